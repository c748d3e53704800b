//! The log file: errors shown to the clerk, the raw text behind them (a SQLite message never reaches
//! the clerk, but it reaches this file), and background work that failed. One file a day in `logs/`
//! in the data folder (`posdesk.YYYY-MM-DD.log`), the newest [`KEEP_DAYS`] kept.

use std::path::{Path, PathBuf};

/// How many daily files are kept.
pub const KEEP_DAYS: usize = 14;

/// The folder of the log files inside the data folder.
pub fn logs_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// Send warnings and errors to the day's file in `data_dir/logs/`, and log panics (a worker that
/// panics says where). Returns why not, when the folder cannot be written; the program runs on
/// without a log then. Call once per process.
pub fn init(data_dir: &Path) -> Result<(), String> {
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("posdesk")
        .filename_suffix("log")
        .max_log_files(KEEP_DAYS)
        .build(logs_dir(data_dir))
        .map_err(|e| e.to_string())?;
    tracing_subscriber::fmt()
        .with_writer(appender)
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .try_init()
        .map_err(|e| e.to_string())?;
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let thread = std::thread::current();
        let name = thread.name().unwrap_or("a worker");
        tracing::error!("{name} stopped: {info}");
        previous(info);
    }));
    Ok(())
}
