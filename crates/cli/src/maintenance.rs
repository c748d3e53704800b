//! `terminal add|list|archive`, `due` and `done`: the maintenance verbs.

use crate::domain::maintenance::{
    DoneEntry, DueItem, Outcome, Terminal, TerminalInfo, TerminalKind,
};
use crate::i18n::{Explain, Msg};
use crate::store::Store;
use anyhow::Result;
use clap::Subcommand;
use jiff::civil::Date;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum TerminalAction {
    /// Add a terminal (it gets its kind's default maintenance tasks); prints its name.
    Add {
        name: String,
        /// card_terminal (or card), qr_scanner (qr), receipt_printer (printer), pin_pad (pinpad), other.
        #[arg(long, default_value = "card_terminal")]
        kind: KindArg,
        #[arg(long)]
        model: Option<String>,
        #[arg(long)]
        serial: Option<String>,
        #[arg(long)]
        location: Option<String>,
        /// The provider / acquirer that services it.
        #[arg(long)]
        provider: Option<String>,
        /// The provider's support phone.
        #[arg(long, value_name = "TEL")]
        phone: Option<String>,
        #[arg(long)]
        firmware: Option<String>,
    },
    /// List the terminals in service (with --all, the archived ones too).
    List {
        #[arg(long)]
        all: bool,
        /// Print JSON (an array of objects).
        #[arg(long)]
        json: bool,
    },
    /// Take a terminal out of service; its history is kept.
    Archive { name: String },
}

/// A terminal kind as typed on the command line.
#[derive(Debug, Clone, Copy)]
pub struct KindArg(pub TerminalKind);

impl std::str::FromStr for KindArg {
    type Err = super::ArgError;

    fn from_str(s: &str) -> Result<KindArg, super::ArgError> {
        TerminalKind::parse(s).map(KindArg).ok_or_else(|| {
            let ids: Vec<&str> = TerminalKind::ALL.iter().map(|k| k.id()).collect();
            super::ArgError::new(
                format!("unknown kind {s:?}; use one of: {}", ids.join(", ")),
                format!("没有“{s}”这种设备；请用：{}", ids.join("、")),
            )
        })
    }
}

/// A `YYYY-MM-DD` date as typed on the command line.
#[derive(Debug, Clone, Copy)]
pub struct DateArg(pub Date);

impl std::str::FromStr for DateArg {
    type Err = super::ArgError;

    fn from_str(s: &str) -> Result<DateArg, super::ArgError> {
        s.trim().parse::<Date>().map(DateArg).map_err(|_| {
            super::ArgError::new(
                format!("{s:?} is not a real date written as YYYY-MM-DD (e.g. 2026-12-06)"),
                format!("“{s}”不是有效日期：请写成 年-月-日，例如 2026-12-06"),
            )
        })
    }
}

#[derive(Serialize)]
struct JsonTerminal<'a> {
    name: &'a str,
    kind: &'static str,
    model: &'a str,
    serial: &'a str,
    location: &'a str,
    provider: &'a str,
    phone: &'a str,
    firmware: &'a str,
    notes: &'a str,
    archived_at: Option<String>,
}

fn json_terminal(t: &Terminal) -> JsonTerminal<'_> {
    JsonTerminal {
        name: &t.info.name,
        kind: t.info.kind.id(),
        model: &t.info.model,
        serial: &t.info.serial,
        location: &t.info.location,
        provider: &t.info.provider,
        phone: &t.info.support_phone,
        firmware: &t.info.firmware,
        notes: &t.info.notes,
        archived_at: t.archived_at.map(|a| a.to_string()),
    }
}

/// Report a store refusal the way the clerk reads it, in the user's language, with exit code 1.
pub(super) fn refused(e: &crate::store::StoreError) -> ExitCode {
    eprintln!("{}", super::say(&e.explain()));
    ExitCode::from(1)
}

pub fn terminal(
    store: &mut Store,
    out: &mut impl Write,
    action: TerminalAction,
) -> Result<ExitCode> {
    match action {
        TerminalAction::Add {
            name,
            kind,
            model,
            serial,
            location,
            provider,
            phone,
            firmware,
        } => {
            let info = TerminalInfo {
                kind: kind.0,
                model: model.unwrap_or_default(),
                serial: serial.unwrap_or_default(),
                location: location.unwrap_or_default(),
                provider: provider.unwrap_or_default(),
                support_phone: phone.unwrap_or_default(),
                firmware: firmware.unwrap_or_default(),
                ..TerminalInfo::named(&name)
            };
            match store.add_terminal(&info) {
                Ok(t) => {
                    writeln!(out, "{}", t.info.name)?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => Ok(refused(&e)),
            }
        }
        TerminalAction::List { all, json } => {
            let terminals = store.terminals(all)?;
            if json {
                let list: Vec<JsonTerminal> = terminals.iter().map(json_terminal).collect();
                writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
            } else if terminals.is_empty() {
                let none = Msg::new(
                    "No terminals yet: add one with `posdesk terminal add NAME`.",
                    "还没有终端：用 `posdesk terminal add 名称` 添加。",
                );
                writeln!(out, "{}", super::say(&none))?;
            } else {
                for t in &terminals {
                    writeln!(out, "{}", terminal_line(t))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        TerminalAction::Archive { name } => {
            let Some(t) = store.terminal_by_name(&name)?.filter(|t| !t.is_archived()) else {
                return Ok(unknown_terminal(&name));
            };
            match store.archive_terminal(t.id) {
                Ok(()) => {
                    writeln!(out, "{}", t.info.name)?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => Ok(refused(&e)),
            }
        }
    }
}

/// One terminal of `terminal list`, in the user's language.
fn terminal_line(t: &Terminal) -> String {
    let info = &t.info;
    let (provider, phone, firmware) = (
        dash(&info.provider),
        dash(&info.support_phone),
        dash(&info.firmware),
    );
    let kind = info.kind.id();
    let (archived_en, archived_zh) = if t.is_archived() {
        ("  (archived)", "（已停用）")
    } else {
        ("", "")
    };
    super::say(&Msg::new(
        format!(
            "{}  [{kind}]  {provider}  {phone}  firmware {firmware}{archived_en}",
            info.name
        ),
        format!(
            "{}  [{kind}]  {provider}  {phone}  固件 {firmware}{archived_zh}",
            info.name
        ),
    ))
    .to_string()
}

fn dash(s: &str) -> &str {
    if s.is_empty() { "-" } else { s }
}

fn unknown_terminal(name: &str) -> ExitCode {
    let name = name.trim();
    eprintln!(
        "{}",
        super::say(&Msg::new(
            format!("No terminal in service is named {name:?}; see `posdesk terminal list`."),
            format!("没有名为“{name}”的在用终端；请看 `posdesk terminal list`。"),
        ))
    );
    ExitCode::from(1)
}

#[derive(Serialize)]
struct JsonDue<'a> {
    terminal: &'a str,
    task: &'a str,
    title_zh: &'a str,
    title_en: &'a str,
    /// When it is (or was) due.
    due: String,
    state: &'static str,
    /// The first occurrence not done ("overdue since").
    overdue_since: Option<String>,
    /// Occurrences before the date that were not done.
    missed: u32,
    schedule_id: i64,
}

fn json_due(item: &DueItem) -> JsonDue<'_> {
    JsonDue {
        terminal: &item.terminal_name,
        task: &item.task.key,
        title_zh: &item.task.title_zh,
        title_en: &item.task.title_en,
        due: item.due_on.to_string(),
        state: item.state.id(),
        overdue_since: (item.missed > 0).then(|| item.first_open.to_string()),
        missed: item.missed,
        schedule_id: item.schedule.0,
    }
}

pub fn due(
    store: &Store,
    out: &mut impl Write,
    date: Option<DateArg>,
    json: bool,
) -> Result<ExitCode> {
    let today = date.map_or_else(|| store.clock().today(), |d| d.0);
    let board = store.due_board(today)?;
    if json {
        let list: Vec<JsonDue> = board.iter().map(json_due).collect();
        // Text first, then one write: a reader that stops early is a plain broken pipe.
        writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
    } else if board.is_empty() {
        let none = Msg::new(
            format!("Nothing due on {today}."),
            format!("{today} 没有要做的维护。"),
        );
        writeln!(out, "{}", super::say(&none))?;
    } else {
        for item in &board {
            writeln!(out, "{}", due_line(item))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One row of `due`, in the user's language: its state's id, the terminal, the task's key and
/// title, when it is due and, when it was missed, since when.
fn due_line(item: &DueItem) -> String {
    let (since, missed, due) = (item.first_open, item.missed, item.due_on);
    let (missed_en, missed_zh) = if missed > 0 {
        let times = if missed == 1 { "time" } else { "times" };
        (
            format!("  since {since} (missed {missed} {times})"),
            format!("  自 {since} 起（漏做 {missed} 次）"),
        )
    } else {
        (String::new(), String::new())
    };
    let (name, key, task) = (&item.terminal_name, &item.task.key, &item.task);
    let state = item.state.id();
    super::say(&Msg::new(
        format!(
            "{state:<7}  {name}  {key}  {}  due {due}{missed_en}",
            task.title_en
        ),
        format!(
            "{state:<7}  {name}  {key}  {}  到期 {due}{missed_zh}",
            task.title_zh
        ),
    ))
    .to_string()
}

/// The task a clerk names on the command line: its key (`receipt_paper`), or its Chinese or English
/// title (`检查小票纸`, `check the receipt paper`), ignoring case and surrounding spaces.
pub(super) fn task_named(
    store: &Store,
    name: &str,
) -> Result<Option<crate::domain::maintenance::TaskTemplate>> {
    let name = name.trim();
    if let Some(t) = store.template(name)? {
        return Ok(Some(t));
    }
    let folded = name.to_lowercase();
    Ok(store
        .templates()?
        .into_iter()
        .find(|t| t.title_zh.trim() == name || t.title_en.trim().to_lowercase() == folded))
}

/// What `posdesk done` was asked to record.
pub struct DoneArgs {
    pub terminal: String,
    pub task: String,
    pub date: Option<DateArg>,
    pub note: Option<String>,
    pub value: Option<String>,
    pub problem: bool,
    pub by: Option<String>,
    /// A photo to keep with the record (copied into the data folder).
    pub photo: Option<std::path::PathBuf>,
}

/// Mark a task done on `--date` (default today): it covers every occurrence open up to that date,
/// or the next one when it is due soon. Exit 1 for an unknown terminal or task.
pub fn done(store: &mut Store, out: &mut impl Write, args: DoneArgs) -> Result<ExitCode> {
    let today = store.clock().today();
    let on = args.date.map_or(today, |d| d.0);
    if on > today {
        // `--date` is the day the work was done: a day still to come is a typo, and taking it would
        // tick off every occurrence up to it.
        eprintln!(
            "{}",
            super::say(&Msg::new(
                format!(
                    "{on} is in the future (today is {today}): give the day the work was done. \
                     Nothing recorded."
                ),
                format!("{on} 还没到（今天是 {today}）：请填写实际完成的日期。未记录。"),
            ))
        );
        return Ok(ExitCode::from(1));
    }
    let Some(terminal) = store
        .terminal_by_name(&args.terminal)?
        .filter(|t| !t.is_archived())
    else {
        return Ok(unknown_terminal(&args.terminal));
    };
    let Some(template) = task_named(store, &args.task)? else {
        let keys: Vec<String> = store
            .templates()?
            .into_iter()
            .map(|t| format!("{} ({})", t.key, t.title_zh))
            .collect();
        let (task, keys) = (args.task.trim(), keys.join(", "));
        eprintln!(
            "{}",
            super::say(&Msg::new(
                format!(
                    "Unknown task {task:?}; give its key or its Chinese or English title: {keys}."
                ),
                format!("没有任务“{task}”；请填写任务代号或中文、英文名称：{keys}。"),
            ))
        );
        return Ok(ExitCode::from(1));
    };
    let key = template.key.as_str();
    let Some(schedule) = store.schedule_of(terminal.id, key)? else {
        let name = &terminal.info.name;
        eprintln!(
            "{}",
            super::say(&Msg::new(
                format!("Terminal {name:?} has no task {key:?}."),
                format!("终端“{name}”没有任务 {key}。"),
            ))
        );
        return Ok(ExitCode::from(1));
    };
    let status = store.schedule_status(schedule, on)?.and_then(|s| s.status);
    let through =
        status.and_then(|s| (s.first_open <= on || s.state.is_some()).then_some(s.through));
    let Some(through) = through else {
        let next = status.map(|s| s.first_open.to_string()).unwrap_or_default();
        let name = &terminal.info.name;
        writeln!(
            out,
            "{}",
            super::say(&Msg::new(
                format!("{name} · {key}: nothing due up to {on} (next {next}); nothing recorded."),
                format!("{name} · {key}：到 {on} 为止没有到期的（下次 {next}）；未记录。"),
            ))
        )?;
        return Ok(ExitCode::SUCCESS);
    };
    let by = match args.by {
        Some(by) => by,
        None => store.last_person()?.unwrap_or_default(),
    };
    let entry = DoneEntry {
        done_on: on,
        by,
        outcome: if args.problem {
            Outcome::ProblemFound
        } else {
            Outcome::AllFine
        },
        note: args.note.unwrap_or_default(),
        value: args.value,
    };
    if let Some(photo) = &args.photo
        && !photo.is_file()
    {
        // Checked before anything is recorded: a mistyped path leaves the task as it was.
        let shown = photo.display();
        eprintln!(
            "{}",
            super::say(&Msg::new(
                format!("There is no photo file {shown}. Nothing recorded."),
                format!("找不到照片文件 {shown}。未记录。"),
            ))
        );
        return Ok(ExitCode::from(1));
    }
    let marked = match store.mark_done(schedule, through, &entry) {
        Ok(m) => m,
        Err(e) => return Ok(refused(&e)),
    };
    if let (Some(photo), Some(event)) = (&args.photo, marked.event)
        && let Err(e) = store.attach_photo(event, photo)
    {
        // The photo is refused (not a picture, unreadable): take the record back so nothing is
        // half-saved, and say why.
        store.undo(event)?;
        return Ok(refused(&e));
    }
    let next = store
        .schedule_status(schedule, on)?
        .and_then(|s| s.status)
        .map(|s| s.due_on.to_string())
        .unwrap_or_default();
    let (name, covers) = (&terminal.info.name, marked.covers);
    let times = if covers == 1 {
        "occurrence"
    } else {
        "occurrences"
    };
    writeln!(
        out,
        "{}",
        super::say(&Msg::new(
            format!("{name} · {key}: done on {on} ({covers} {times}); next due {next}"),
            format!("{name} · {key}：{on} 已完成（共 {covers} 次）；下次 {next}"),
        ))
    )?;
    Ok(ExitCode::SUCCESS)
}
