//! `posdesk-cli`: the same command-line verbs as `posdesk`, built as a console program.
//!
//! The release `posdesk.exe` is a Windows GUI program (no console window flashes up on double-click),
//! so Windows gives it no console to print to: `posdesk search 51` typed in cmd or PowerShell prints
//! nothing. `posdesk-cli.exe`, shipped beside it, is what to type there; on Linux and macOS both work.

use clap::CommandFactory;
use posdesk_cli::{self as cli, Cli};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::parse();
    let Some(command) = args.command else {
        // No window from the console program: say what it does instead.
        let mut help = Cli::command().name("posdesk-cli");
        if help.print_help().is_err() {
            return ExitCode::from(2);
        }
        println!("\nTo open the window, start posdesk (not posdesk-cli).");
        return ExitCode::SUCCESS;
    };
    match cli::run(args.data_dir, command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("posdesk: {}", cli::error_text(&e));
            ExitCode::from(2)
        }
    }
}
