//! The log file: errors shown to the clerk, the raw text behind them (a SQLite message never reaches
//! the clerk, but it reaches this file), and background work that failed. One file a day in `logs/`
//! in the data folder (`posdesk.YYYY-MM-DD.log`), the newest [`KEEP_DAYS`] kept. Card numbers are
//! masked on the way in, as they are on the way into the store.

use std::io::Write;
use std::path::{Path, PathBuf};
use tracing_appender::rolling::RollingFileAppender;
use tracing_subscriber::fmt::MakeWriter;

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
    // The appender prunes old files from the folder and complains on stderr when it is not there yet.
    std::fs::create_dir_all(logs_dir(data_dir)).map_err(|e| e.to_string())?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("posdesk")
        .filename_suffix("log")
        .max_log_files(KEEP_DAYS)
        .build(logs_dir(data_dir))
        .map_err(|e| e.to_string())?;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::{Layer, filter::Targets};
    // posdesk's own records; of the libraries below it (the window, the graphics), errors only.
    let keep = Targets::new()
        .with_default(tracing::Level::ERROR)
        .with_target("posdesk", tracing::Level::INFO);
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(Masked(appender))
                .with_ansi(false)
                .with_filter(keep),
        )
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

/// The daily files, with card numbers masked in every line written.
struct Masked(RollingFileAppender);

impl<'a> MakeWriter<'a> for Masked {
    type Writer = MaskedWriter<<RollingFileAppender as MakeWriter<'a>>::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        MaskedWriter(self.0.make_writer())
    }
}

/// One event's text (the formatter writes each event whole), masked, then written.
struct MaskedWriter<W>(W);

impl<W: Write> Write for MaskedWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0
            .write_all(crate::domain::pan::mask_pans(&text).text.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_number_never_reaches_the_log() {
        let mut w = MaskedWriter(Vec::new());
        w.write_all(b"refused: card 4111 1111 1111 1111 declined\n")
            .unwrap_or_default();
        let text = String::from_utf8(w.0).unwrap_or_default();
        assert!(!text.contains("4111 1111 1111 1111"), "{text}");
        assert!(text.contains("declined"), "{text}");
    }
}
