//! `incident add|list|resolve|export`: the journal from scripts.
//!
//! `--note` on `add` is the incident's symptom (what the clerk wrote when logging it); on `resolve` it
//! is the resolution. The `note` of a listed incident is its symptom, or when that is empty its first
//! timeline note. Mistakes a script can make (unknown id, bad status, bad time) exit with code 1 and a
//! sentence on stderr.

use super::codes::SchemeArg;
use crate::domain::incident::{IncidentDraft, IncidentFilter, IncidentStatus, IncidentSummary};
use crate::exchange::journal::{CsvStyle, export_journal};
use crate::i18n::{Explain, Lang, Msg};
use crate::store::{JournalError, Store, StoreError};
use anyhow::Result;
use clap::Subcommand;
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Rows read per query while listing everything.
const LIST_PAGE: usize = 1_000;

#[derive(Debug, Subcommand)]
pub enum IncidentAction {
    /// Log an incident; prints its id once it is safely stored.
    Add {
        /// The code the terminal showed.
        #[arg(long)]
        code: Option<String>,
        /// The code's scheme: iso8583, cups, terminal, wechatpay, alipay, custom.
        #[arg(long, value_name = "ID")]
        scheme: Option<SchemeArg>,
        /// The terminal's name, e.g. "Till 2".
        #[arg(long, value_name = "NAME")]
        terminal: Option<String>,
        /// What happened, in words (card numbers are masked). A note that starts with "-" is
        /// written with "=", e.g. --note=-2+3 or --note="-card stuck", or it is read as an option.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// When it happened: this PC's local time, e.g. 2026-03-01T14:30:00 or "2026-03-01 14:30",
        /// or a time with its offset, e.g. 2026-03-01T14:30:00+08:00 or 2026-03-01T06:30:00Z;
        /// default now.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
    },
    /// List incidents, newest first.
    List {
        /// open, waiting or resolved.
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        code: Option<String>,
        /// Words to find in the code, symptom, notes, steps, resolution or transaction reference.
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// Show at most this many (default: all).
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Print a JSON array of objects with id, at, code, scheme, terminal, status, note.
        #[arg(long)]
        json: bool,
    },
    /// Mark an incident resolved.
    Resolve {
        id: String,
        /// How it was resolved. A note that starts with "-" is written with "=", e.g.
        /// --note=-reset, or it is read as an option.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Write the whole journal to a CSV (opens in Excel) or JSON file, by extension. The CSV gives
    /// each time in this PC's time zone (with its offset) and in UTC.
    Export {
        file: PathBuf,
        /// The language of the CSV's header and words: en or zh (default: the system's).
        #[arg(long, value_name = "LANG", value_parser = super::print::parse_lang)]
        lang: Option<Lang>,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Serialize)]
struct JsonRow<'a> {
    id: i64,
    at: String,
    code: Option<&'a str>,
    scheme: Option<&'static str>,
    terminal: Option<&'a str>,
    status: &'static str,
    note: Option<&'a str>,
}

fn usage(msg: &str) -> Result<ExitCode> {
    eprintln!("posdesk: {msg}");
    Ok(ExitCode::from(1))
}

pub fn run(store: &mut Store, out: &mut impl Write, action: IncidentAction) -> Result<ExitCode> {
    match action {
        IncidentAction::Add {
            code,
            scheme,
            terminal,
            note,
            at,
        } => {
            let occurred_at = match at.as_deref().map(|t| parse_at(t, &TimeZone::system())) {
                None => None,
                Some(Some(t)) => Some(t),
                Some(None) => {
                    let at = at.unwrap_or_default();
                    return usage(super::say(&Msg::new(
                        format!(
                            "--at {at:?} is not a time; write a local time such as 2026-03-01T14:30:00 \
                             or one with its offset such as 2026-03-01T14:30:00+08:00."
                        ),
                        format!(
                            "--at {at:?} 时间格式不正确，例如 2026-03-01T14:30:00（本机时区）或 \
                             2026-03-01T14:30:00+08:00。"
                        ),
                    )));
                }
            };
            let draft = IncidentDraft {
                occurred_at,
                terminal,
                code,
                scheme: scheme.map(|s| s.0),
                symptom: note.unwrap_or_default(),
                who: store.last_who()?,
                ..IncidentDraft::default()
            };
            let saved = match store.create_incident(&draft) {
                Err(StoreError::Journal(JournalError::Incident(e))) => {
                    return usage(super::say(&e.explain()));
                }
                other => other?,
            };
            // create_incident returns after the durable commit: only now is the id printed.
            writeln!(out, "{}", saved.id)?;
            Ok(ExitCode::SUCCESS)
        }
        IncidentAction::List {
            status,
            code,
            search,
            limit,
            json,
        } => {
            let status = match status.as_deref().map(|s| (s, IncidentStatus::from_id(s))) {
                None => None,
                Some((_, Some(s))) => Some(s),
                Some((s, None)) => {
                    return usage(super::say(&Msg::new(
                        format!("unknown status {s:?}; use open, waiting or resolved."),
                        format!("状态 {s:?} 无效；请用 open、waiting 或 resolved。"),
                    )));
                }
            };
            let filter = IncidentFilter {
                status,
                code,
                text: search,
                ..IncidentFilter::default()
            };
            let rows = collect(store, &filter, limit)?;
            if json {
                let list: Vec<JsonRow> = rows
                    .iter()
                    .map(|r| JsonRow {
                        id: r.id,
                        at: r.occurred_at.to_string(),
                        code: r.code.as_deref(),
                        scheme: r.scheme.map(|s| s.id()),
                        terminal: r.terminal.as_deref(),
                        status: r.status.id(),
                        note: r.note.as_deref(),
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &list)?;
                writeln!(out)?;
            } else if rows.is_empty() {
                let none = Msg::new("No incidents match.", "没有匹配的故障记录。");
                writeln!(out, "{}", super::say(&none))?;
            } else {
                for r in &rows {
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        r.id,
                        r.occurred_at,
                        r.status,
                        r.terminal.as_deref().unwrap_or("-"),
                        r.code.as_deref().unwrap_or("-"),
                        r.note.as_deref().unwrap_or("").replace(['\n', '\r'], " ")
                    )?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        IncidentAction::Resolve { id, note } => {
            let Ok(id) = id.trim().parse::<i64>() else {
                return usage(super::say(&Msg::new(
                    format!("{id:?} is not an incident id."),
                    format!("{id:?} 不是故障记录的编号。"),
                )));
            };
            match store.resolve(id, note.as_deref().unwrap_or("")) {
                Ok(_) => {
                    let done = Msg::new(
                        format!("Incident {id} resolved."),
                        format!("故障 #{id} 已解决。"),
                    );
                    writeln!(out, "{}", super::say(&done))?;
                    Ok(ExitCode::SUCCESS)
                }
                // No such incident, or a journal rule refused the move: the clerk's mistake.
                Err(StoreError::Journal(e)) => usage(super::say(&e.explain())),
                Err(e) => Err(e.into()),
            }
        }
        IncidentAction::Export { file, force, lang } => {
            if crate::exchange::journal::JournalFormat::of(&file).is_none() {
                let file = file.display();
                return usage(super::say(&Msg::new(
                    format!("{file}: the file name must end in .csv or .json."),
                    format!("{file}：文件名须以 .csv 或 .json 结尾。"),
                )));
            }
            let Some(target) = super::checked_output(store, &file, force) else {
                return Ok(ExitCode::from(1));
            };
            let style = CsvStyle::local(lang.unwrap_or_else(super::lang));
            let done = match export_journal(store, &target, &style) {
                Ok(done) => done,
                Err(crate::exchange::journal::ExportError::Output(e)) => {
                    eprintln!(
                        "posdesk: {}",
                        super::say(&crate::i18n::Explain::explain(&e))
                    );
                    return Ok(ExitCode::from(1));
                }
                Err(e) => return Err(e.into()),
            };
            let (n, shown) = (done.incidents, file.display());
            writeln!(
                out,
                "{}",
                super::say(&Msg::new(
                    format!("Exported {n} incidents to {shown}."),
                    format!("已导出 {n} 条故障记录到 {shown}。"),
                ))
            )?;
            if !done.missing.is_empty() {
                let (n, names) = (done.missing.len(), crate::clean(&done.missing.join(", ")));
                eprintln!(
                    "posdesk: {}",
                    super::say(&Msg::new(
                        format!(
                            "{n} attached files are missing from the attachments folder and were \
                             left out: {names}."
                        ),
                        format!("附件文件夹里缺少 {n} 个附件，已略过：{names}。"),
                    ))
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `--at`: a time with its offset (`2026-11-01T10:00:00+08:00`, `…Z`), or a local time without one
/// (`2026-11-01T10:00:00`, `2026-11-01 10:00`) read in `tz`, the PC's time zone. A local time that a
/// clock change makes ambiguous or skips is read as the clock on the wall would (jiff's
/// "compatible" rule).
pub fn parse_at(text: &str, tz: &TimeZone) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(t) = text.parse::<Timestamp>() {
        return Some(t);
    }
    let local = text.parse::<DateTime>().ok()?;
    local.to_zoned(tz.clone()).ok().map(|z| z.timestamp())
}

/// Every matching incident (or the first `limit`), read page by page.
fn collect(
    store: &Store,
    filter: &IncidentFilter,
    limit: Option<usize>,
) -> Result<Vec<IncidentSummary>> {
    let mut rows = Vec::new();
    let mut after = None;
    loop {
        let want = limit.map_or(LIST_PAGE, |l| (l - rows.len()).min(LIST_PAGE));
        if want == 0 {
            break;
        }
        let page = store.list_incidents(filter, after, want)?;
        rows.extend(page.rows);
        match page.next {
            Some(c) => after = Some(c),
            None => break,
        }
    }
    Ok(rows)
}
