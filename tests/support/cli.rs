#![allow(clippy::unwrap_used, clippy::expect_used)] // shared by the tests, which fail loudly
#![allow(dead_code)] // each test file uses some of it
//! Running the `posdesk` program on a data folder, for the tests that drive the command line
//! (`#[path = "support/cli.rs"] mod cli;`). Only the root package's tests have the program to run.

use std::path::Path;
use std::process::{Command, Output};

/// `posdesk --data-dir DIR ARGS…`, with no data folder from the environment.
pub fn posdesk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_posdesk"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("POSDESK_DATA_DIR")
        .output()
        .unwrap()
}

/// What a run that must succeed printed.
pub fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{o:?}");
    String::from_utf8(o.stdout.clone()).unwrap()
}
