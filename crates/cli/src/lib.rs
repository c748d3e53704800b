//! Command-line verbs over the library: how scripts and tests reach posdesk. One file per verb group.

mod codes;
mod data;
mod incident;
mod maintenance;
mod print;
mod shop;
mod sync;

// The core's modules under the names the verbs have always used (`crate::store::Store`).
use posdesk::{Clock, Retry, codebook, domain, exchange, fsx, i18n, logfile, store};

use crate::fsx::{Output, Replace};
use crate::i18n::{Explain, Lang, Msg};
use crate::store::{Store, StoreError, paths};
use anyhow::Result;
use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub use codes::{CodesAction, SchemeArg};
pub use incident::IncidentAction;
pub use maintenance::{DateArg, KindArg, TerminalAction};
pub use shop::{StockAction, TaskAction};
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
    /// The shop's own maintenance tasks: add, list, edit, remove.
    Task {
        #[command(subcommand)]
        action: TaskAction,
    },
    /// Paper rolls and cleaning cards in stock: list, set, use, restock.
    Stock {
        #[command(subcommand)]
        action: StockAction,
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
        /// A photo to keep with the record (.jpg, .png...), copied into the data folder.
        #[arg(long, value_name = "FILE")]
        photo: Option<PathBuf>,
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

/// The language the command line speaks, chosen once as it starts ([`speak`]).
static LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

/// Speak the language the window was last set to in `data_dir`, else the system's.
pub fn speak(data_dir: Option<&Path>) -> Lang {
    *LANG.get_or_init(|| paths::user_lang(data_dir))
}

/// The language the command line speaks (the default data folder's choice, if not yet chosen).
pub fn lang() -> Lang {
    *LANG.get_or_init(|| paths::user_lang(paths::data_dir(None).as_deref()))
}

/// A message in the command line's language.
pub fn say(m: &Msg) -> &str {
    m.get(lang())
}

/// A step that failed, in words the user can act on, with what it failed on.
#[derive(Debug)]
pub struct Failed(pub Msg);

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(say(&self.0))
    }
}

impl std::error::Error for Failed {}

/// An error as the command line prints it, in its language: the step that failed, then why (a
/// library error explains itself); other causes as they say it.
pub fn error_text(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        let text = if let Some(f) = cause.downcast_ref::<Failed>() {
            say(&f.0).to_string()
        } else if let Some(s) = cause.downcast_ref::<StoreError>() {
            say(&s.explain()).to_string()
        } else if let Some(c) = cause.downcast_ref::<crate::exchange::codes::CodeFileError>() {
            say(&c.explain()).to_string()
        } else if let Some(o) = cause.downcast_ref::<crate::fsx::OutputError>() {
            say(&o.explain()).to_string()
        } else if let Some(p) = cause.downcast_ref::<posdesk::print::PrintError>() {
            say(&p.explain()).to_string()
        } else {
            cause.to_string()
        };
        if !parts.contains(&text) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

/// A value the command line cannot take, said in both languages: a usage error shows the one the
/// user reads (see [`parse`]).
#[derive(Debug, Clone)]
pub struct ArgError(pub Msg);

impl ArgError {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> ArgError {
        ArgError(Msg::new(en, zh))
    }
}

impl std::fmt::Display for ArgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.en)
    }
}

impl std::error::Error for ArgError {}

/// The language usage errors are written in: the window's saved choice, else the system's. Kept in
/// this one function so it can follow wherever that choice is kept.
pub fn usage_lang(args: &[OsString]) -> Lang {
    // `--data-dir DIR` or `--data-dir=DIR`, read by hand: the arguments did not parse.
    let mut dir = None;
    let mut it = args.iter().map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--data-dir" {
            dir = it.next().map(|d| PathBuf::from(d.as_ref()));
        } else if let Some(d) = a.strip_prefix("--data-dir=") {
            dir = Some(PathBuf::from(d));
        }
    }
    paths::user_lang(paths::data_dir(dir).as_deref())
}

/// A usage error as the user reads it, in `lang`: what is wrong, clap's suggestion if it has one,
/// and where the help is. Help and version requests are not errors and never come here.
pub fn usage_message(e: &clap::Error, lang: Lang) -> String {
    use clap::error::{ContextKind, ErrorKind};
    let ctx = |k: ContextKind| e.get(k).map(|v| v.to_string());
    let arg = ctx(ContextKind::InvalidArg).unwrap_or_default();
    let value = ctx(ContextKind::InvalidValue).unwrap_or_default();
    let reason = std::error::Error::source(e).map(|s| match s.downcast_ref::<ArgError>() {
        Some(a) => a.0.clone(),
        None => Msg::new(s.to_string(), s.to_string()),
    });
    let m = match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => match reason {
            Some(r) => Msg::new(format!("{arg}: {}", r.en), format!("{arg}：{}", r.zh)),
            None => {
                let valid = ctx(ContextKind::ValidValue).unwrap_or_default();
                Msg::new(
                    format!("{value:?} is not a value {arg} takes (use: {valid})"),
                    format!("{arg} 不接受“{value}”（可用：{valid}）"),
                )
            }
        },
        ErrorKind::UnknownArgument => Msg::new(
            format!("there is no option {arg} here"),
            format!("这里没有选项 {arg}"),
        ),
        ErrorKind::InvalidSubcommand => {
            let sub = ctx(ContextKind::InvalidSubcommand).unwrap_or_default();
            Msg::new(
                format!("there is no command {sub:?}"),
                format!("没有命令“{sub}”"),
            )
        }
        ErrorKind::MissingRequiredArgument => {
            Msg::new(format!("this needs {arg}"), format!("缺少必填的 {arg}"))
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            Msg::new(
                "this command needs one more word (which one is listed by --help)",
                "这个命令还缺一个子命令（用 --help 查看可用的子命令）",
            )
        }
        ErrorKind::ArgumentConflict => {
            let prior = ctx(ContextKind::PriorArg).unwrap_or_default();
            Msg::new(
                format!("{arg} cannot be used with {prior}"),
                format!("{arg} 不能和 {prior} 一起使用"),
            )
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            Msg::new(
                format!("{arg} was given the wrong number of values"),
                format!("{arg} 的值个数不对"),
            )
        }
        ErrorKind::NoEquals => Msg::new(
            format!("{arg} needs its value after an = sign"),
            format!("{arg} 的值要写在等号后面"),
        ),
        ErrorKind::InvalidUtf8 => Msg::new(
            "an argument is not valid text (UTF-8)",
            "有参数不是有效的文字（UTF-8）",
        ),
        _ => Msg::new("the command line is not right", "命令行有误"),
    };
    let stop = lang.tr(".", "。");
    let mut text = format!(
        "posdesk: {}{stop}",
        m.get(lang).trim_end_matches(['.', '。'])
    );
    let suggestion = ctx(ContextKind::SuggestedSubcommand)
        .or_else(|| ctx(ContextKind::SuggestedArg))
        .or_else(|| ctx(ContextKind::SuggestedValue));
    if let Some(s) = suggestion {
        text.push(' ');
        text.push_str(&posdesk::trf!(
            lang,
            "Did you mean {s}?",
            "您是不是要输入 {s}？"
        ));
    }
    text.push(' ');
    text.push_str(lang.tr(
        "See `posdesk --help` (or `posdesk COMMAND --help`).",
        "用法见 `posdesk --help`（或 `posdesk 命令 --help`）。",
    ));
    text
}

/// The command line parsed, or a usage error told in the user's language (exit 2); `--help` and
/// `--version` print as clap writes them.
pub fn parse() -> Cli {
    let args: Vec<OsString> = std::env::args_os().collect();
    match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                e.exit();
            }
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                // The help clap shows for `posdesk task` is the list of what can follow.
                let _ = e.print();
            }
            eprintln!("{}", usage_message(&e, usage_lang(&args)));
            std::process::exit(2);
        }
    }
}

/// The line that tells the clerk card numbers were masked before saving.
pub fn masked_line(count: u64) -> String {
    say(&if count == 1 {
        Msg::new(
            "A card number was masked before saving (only its first 6 and last 4 digits are kept).",
            "卡号已在保存前隐去（只保留前 6 位和后 4 位）。",
        )
    } else {
        Msg::new(
            format!(
                "{count} card numbers were masked before saving (only their first 6 and last 4 \
                 digits are kept)."
            ),
            format!("{count} 个卡号已在保存前隐去（只保留前 6 位和后 4 位）。"),
        )
    })
    .to_string()
}

/// A file the user asked to be written, checked: one of the data folder's own files is refused, and
/// an existing file is replaced only with `--force`. `None` after saying why on stderr (exit 1).
pub(crate) fn checked_output(store: &Store, file: &Path, force: bool) -> Option<Output> {
    let replace = if force { Replace::Yes } else { Replace::No };
    match Output::check(store.path().and_then(Path::parent), file, replace) {
        Ok(out) => Some(out),
        Err(e) => {
            eprintln!("posdesk: {}", say(&e.explain()));
            None
        }
    }
}

/// No data folder was given and none could be found.
pub fn no_folder() -> Failed {
    Failed(Msg::new(
        "cannot find a folder for posdesk's data; pass --data-dir DIR",
        "找不到 posdesk 的数据文件夹；请加上 --data-dir 文件夹",
    ))
}

/// Opening the data in `dir` failed (the cause follows).
pub fn cannot_open(dir: &Path) -> Failed {
    let dir = dir.display();
    Failed(Msg::new(
        format!("cannot open posdesk's data in {dir}"),
        format!("无法打开 {dir} 中的 posdesk 数据"),
    ))
}

pub fn open_store(data_dir: Option<PathBuf>) -> Result<Store> {
    let dir = paths::data_dir(data_dir).ok_or_else(no_folder)?;
    Store::open_dir(&dir).map_err(|e| anyhow::Error::new(e).context(cannot_open(&dir)))
}

/// Run a CLI verb; the exit code says whether what was asked for was found. Output cut short by the
/// reader (`posdesk search 5 | head -1`) is not an error.
pub fn run(data_dir: Option<PathBuf>, command: Command) -> Result<ExitCode> {
    let dir = paths::data_dir(data_dir.clone());
    speak(dir.as_deref());
    if let Some(dir) = &dir {
        // Errors go to the data folder's log as the window's do; without one the CLI still runs.
        crate::logfile::init(dir).ok();
    }
    // `check` and `restore` must work when the store refuses to open (a damaged file).
    let command = match command {
        Command::Check | Command::Restore { .. } => {
            let dir = dir.ok_or_else(no_folder)?;
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
            "posdesk: {}",
            say(&Msg::new(
                "the data folder cannot be written (read-only, or the disk is full): looking up, \
                 reading, exporting and backing up to another folder work; nothing new can be saved.",
                "数据文件夹无法写入（只读或磁盘已满）：可以查询、阅读、导出和备份到其他文件夹，但不能保存新内容。"
            ))
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
            photo,
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
                photo,
            },
        ),
        Command::Task { action } => shop::task(&mut store, &mut out, action),
        Command::Stock { action } => shop::stock(&mut store, &mut out, action),
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
