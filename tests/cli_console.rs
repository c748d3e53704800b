#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly
//! `posdesk-cli`, the console program (crates/cli): the same verbs as `posdesk`, and no window stack.

use std::process::Command;

#[test]
fn the_console_program_answers_the_same_verbs() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_posdesk-cli"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["show", "51", "--scheme", "iso8583", "--json"])
        .env_remove("POSDESK_DATA_DIR")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], "51");
    // Without a verb it explains itself instead of trying to open a window.
    let out = Command::new(env!("CARGO_BIN_EXE_posdesk-cli"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("search"));
}

/// The layers are held by the compiler: crates/cli depends on the core only, so the console program
/// carries none of the window's stack. Its binary is read for the crates' source folders
/// (`…/eframe-0.37.0/src/…`), which every Rust binary keeps in its panic locations.
#[test]
fn the_console_program_links_no_window_stack() {
    let bytes = std::fs::read(env!("CARGO_BIN_EXE_posdesk-cli")).unwrap();
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    // A crate the console program does link is found the same way, so the search itself works.
    assert!(
        has(b"/rusqlite-"),
        "the check cannot see crate folders in this binary"
    );
    for gui in [
        &b"/eframe-"[..],
        b"/egui-",
        b"/winit-",
        b"/wgpu-",
        b"/glow-",
    ] {
        assert!(
            !has(gui),
            "posdesk-cli links {}",
            String::from_utf8_lossy(gui)
        );
    }
}
