#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]
//! posdesk: with no command, the window; with one, a CLI verb over the same library.

use clap::Parser;
use posdesk_cli::{self as cli, Cli};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = Cli::parse();
    let result = match args.command {
        Some(command) => cli::run(args.data_dir, command),
        None => posdesk_app::ui::run(args.data_dir).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("posdesk: {e:#}");
            ExitCode::from(2)
        }
    }
}
