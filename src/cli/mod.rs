//! Command-line verbs over the library: how scripts and tests reach posdesk. One file per verb group.

mod codes;
mod data;
mod incident;
mod maintenance;
mod print;
mod sync;

use crate::fsx::{Output, Replace};
use crate::store::{Store, paths};
use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub use codes::{CodesAction, SchemeArg};
pub use incident::IncidentAction;
pub use maintenance::{DateArg, KindArg, TerminalAction};
pub use sync::SyncAction;

#[derive(Debug, Parser)]
#[command(
    name = "posdesk",
    version,
    about = "What a payment terminal's code means and what to do. Run without a command to open the window."
)]
pub struct Cli {
    /// Folder holding posdesk's database (default: the platform's local data folder; also POSDESK_DATA_DIR).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Search codes by code, Chinese or English words, or pinyin.
    Search {
        /// What the terminal showed, e.g. 51, A0, 余额不足, "NO COMMUNICATION".
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Show at most this many results.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// The scheme the shop's terminals show (iso8583 or cups): its numeric codes come first.
        #[arg(long, value_name = "SCHEME")]
        prefer: Option<SchemeArg>,
        /// Print JSON (an array, best first).
        #[arg(long)]
        json: bool,
    },
    /// Show everything about one code.
    Show {
        code: String,
        /// Only this scheme: iso8583, cups, terminal, wechatpay, alipay, custom.
        #[arg(long)]
        scheme: Option<SchemeArg>,
        /// The scheme the shop's terminals show: listed first when several schemes have the code.
        #[arg(long, value_name = "SCHEME")]
        prefer: Option<SchemeArg>,
        /// Print JSON (an object, or an array when several schemes have the code).
        #[arg(long)]
        json: bool,
    },
    /// Your own codes and notes: import or export them as CSV or JSON.
    Codes {
        #[command(subcommand)]
        action: CodesAction,
    },
    /// The shop's terminals: add, list, archive.
    Terminal {
        #[command(subcommand)]
        action: TerminalAction,
    },
    /// Maintenance tasks overdue, due and due soon on a date (default today).
    Due {
        /// The day to look from, YYYY-MM-DD.
        #[arg(long)]
        date: Option<DateArg>,
        /// Print JSON (an array of objects, overdue first).
        #[arg(long)]
        json: bool,
    },
    /// Mark a maintenance task done (TASK is its key, e.g. receipt_paper, or its Chinese or English
    /// title, e.g. 检查小票纸).
    Done {
        terminal: String,
        task: String,
        /// The day it was done, YYYY-MM-DD (default today); it completes what was due up to then.
        #[arg(long)]
        date: Option<DateArg>,
        #[arg(long)]
        note: Option<String>,
        /// The value the task records (firmware version, battery %, paper rolls).
        #[arg(long, value_name = "V")]
        value: Option<String>,
        /// A problem was found (the outcome "problem found" instead of "all fine").
        #[arg(long)]
        problem: bool,
        /// Who did it (default: the name used last time).
        #[arg(long)]
        by: Option<String>,
    },
    /// Print: the maintenance checklist as a PDF.
    Print {
        #[command(subcommand)]
        action: print::PrintAction,
    },
    /// The incident journal: log, list, resolve and export incidents.
    Incident {
        #[command(subcommand)]
        action: IncidentAction,
    },
    /// Write a consistent copy of all data (with attachments beside it); prints the file written.
    Backup {
        /// Where to write it (default: a new file in the data folder's backups/).
        file: Option<PathBuf>,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Replace all data with a backup's; the current data is copied aside first. Exit 1 if refused.
    Restore { file: PathBuf },
    /// Head office: enroll this till, send waiting changes now, or show how syncing goes.
    Sync {
        #[command(subcommand)]
        action: SyncAction,
    },
    /// Check the data file (integrity, links between records, schema version); exit 1 if not healthy.
    Check,
}

/// The line that tells the clerk card numbers were masked before saving.
pub fn masked_line(count: u64) -> String {
    if count == 1 {
        "A card number was masked before saving (only its first 6 and last 4 digits are kept). \
         卡号已在保存前隐去（只保留前 6 位和后 4 位）。"
            .to_string()
    } else {
        format!(
            "{count} card numbers were masked before saving (only their first 6 and last 4 digits are \
             kept). {count} 个卡号已在保存前隐去（只保留前 6 位和后 4 位）。"
        )
    }
}

/// A file the user asked to be written, checked: one of the data folder's own files is refused, and
/// an existing file is replaced only with `--force`. `None` after saying why on stderr (exit 1).
pub(crate) fn checked_output(store: &Store, file: &Path, force: bool) -> Option<Output> {
    let replace = if force { Replace::Yes } else { Replace::No };
    match Output::check(store.path().and_then(Path::parent), file, replace) {
        Ok(out) => Some(out),
        Err(e) => {
            let m = crate::i18n::Explain::explain(&e);
            eprintln!("posdesk: {} {}", m.en, m.zh);
            None
        }
    }
}

pub fn open_store(data_dir: Option<PathBuf>) -> Result<Store> {
    let dir = paths::data_dir(data_dir)
        .context("cannot find a folder for posdesk's data; pass --data-dir DIR")?;
    Store::open_dir(&dir)
        .with_context(|| format!("cannot open posdesk's data in {}", dir.display()))
}

/// Run a CLI verb; the exit code says whether what was asked for was found. Output cut short by the
/// reader (`posdesk search 5 | head -1`) is not an error.
pub fn run(data_dir: Option<PathBuf>, command: Command) -> Result<ExitCode> {
    let dir = paths::data_dir(data_dir.clone());
    // `check` and `restore` must work when the store refuses to open (a damaged file).
    let command = match command {
        Command::Check | Command::Restore { .. } => {
            let dir =
                dir.context("cannot find a folder for posdesk's data; pass --data-dir DIR")?;
            let mut out = Clean::new(std::io::stdout().lock());
            return match command {
                Command::Restore { file } => data::restore(&dir, &mut out, &file),
                _ => data::check(&dir, &mut out),
            };
        }
        other => other,
    };
    let mut store = open_store(data_dir)?;
    if store.is_read_only() {
        eprintln!(
            "posdesk: the data folder cannot be written (read-only, or the disk is full): looking \
             up, reading, exporting and backing up to another folder work; nothing new can be saved. \
             数据文件夹无法写入（只读或磁盘已满）：可以查询、阅读、导出和备份到其他文件夹，但不能保存新内容。"
        );
    }
    let mut out = Clean::new(std::io::stdout().lock());
    let result = match command {
        Command::Search {
            query,
            limit,
            prefer,
            json,
        } => codes::search(&store, &mut out, &query.join(" "), limit, prefer, json),
        Command::Show {
            code,
            scheme,
            prefer,
            json,
        } => codes::show(&store, &mut out, &code, scheme, prefer, json),
        Command::Codes { action } => codes::files(&mut store, &mut out, action),
        Command::Terminal { action } => maintenance::terminal(&mut store, &mut out, action),
        Command::Due { date, json } => maintenance::due(&store, &mut out, date, json),
        Command::Done {
            terminal,
            task,
            date,
            note,
            value,
            problem,
            by,
        } => maintenance::done(
            &mut store,
            &mut out,
            maintenance::DoneArgs {
                terminal,
                task,
                date,
                note,
                value,
                problem,
                by,
            },
        ),
        Command::Incident { action } => incident::run(&mut store, &mut out, action),
        Command::Sync { action } => sync::run(&mut store, &mut out, action),
        Command::Print { action } => print::run(&store, dir.as_deref(), &mut out, action),
        Command::Backup { file, force } => data::backup(&store, &mut out, file.as_deref(), force),
        Command::Check | Command::Restore { .. } => unreachable!("handled before the store opens"),
    };
    // Whatever the verb, a card number masked on the way into the store is said once, on stderr (stdout
    // stays what scripts read).
    let masked = store.take_masked();
    if masked > 0 && result.is_ok() {
        eprintln!("{}", masked_line(masked));
    }
    match result {
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            Ok(ExitCode::SUCCESS)
        }
        other => other,
    }
}

/// `text` without control characters (an ANSI escape, a bell, a C1 control) that a terminal would
/// act on; line breaks and tabs stay. For stored text printed on stderr.
pub(crate) fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect()
}

/// Standard output as the CLI writes it: stored text (an imported code's title, a note) never
/// reaches the terminal with control characters in it, so an escape sequence cannot retitle the
/// window, hide text or worse. C0 controls but line feed and tab, DEL, and C1 controls (U+0080 to
/// U+009F, two bytes in UTF-8) are dropped; JSON output escapes them itself and is unchanged.
pub struct Clean<W: std::io::Write> {
    inner: W,
    /// The first byte (0xC2) of a two-byte character whose second byte is in the next write.
    pending_c2: bool,
}

impl<W: std::io::Write> Clean<W> {
    pub fn new(inner: W) -> Clean<W> {
        Clean {
            inner,
            pending_c2: false,
        }
    }
}

impl<W: std::io::Write> std::io::Write for Clean<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut kept = Vec::with_capacity(buf.len() + 1);
        for &b in buf {
            if std::mem::take(&mut self.pending_c2) {
                if (0x80..=0x9f).contains(&b) {
                    continue;
                }
                kept.push(0xC2);
            }
            match b {
                0xC2 => self.pending_c2 = true,
                b'\n' | b'\t' => kept.push(b),
                0x00..=0x1f | 0x7f => {}
                _ => kept.push(b),
            }
        }
        self.inner.write_all(&kept)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let mut out = Clean::new(Vec::new());
        out.write_all("51 \u{1b}]0;pwned\u{7}Title\u{9b}2J 余额\tA\n".as_bytes())
            .unwrap();
        // A C1 control split across two writes is caught too.
        out.write_all(&[0xC2]).unwrap();
        out.write_all(&[0x9B, b'x', 0xC2, 0xA0]).unwrap();
        let text = String::from_utf8(out.inner).unwrap();
        assert_eq!(text, "51 ]0;pwnedTitle2J 余额\tA\nx\u{a0}");
        assert_eq!(clean("a\u{1b}[31mb\u{85}c"), "a[31mbc");
    }
}
