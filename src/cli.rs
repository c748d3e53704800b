//! Command-line verbs over the library: how scripts and tests reach posdesk.

use crate::codebook::Codebook;
use crate::codefile;
use crate::domain::code::{CodeEntry, Scheme};
use crate::paths;
use crate::store::Store;
use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

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
    /// Search codes by code, Chinese or English words.
    Search {
        /// What the terminal showed, e.g. 51, A0, 余额不足, "NO COMMUNICATION".
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Show at most this many results.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print JSON (an array, best first).
        #[arg(long)]
        json: bool,
    },
    /// Show everything about one code.
    Show {
        code: String,
        /// Only this scheme: iso8583, cups, terminal, wechatpay, alipay, custom.
        #[arg(long)]
        scheme: Option<String>,
        /// Print JSON (an object, or an array when several schemes have the code).
        #[arg(long)]
        json: bool,
    },
    /// Your own codes: import or export them as CSV or JSON.
    Codes {
        #[command(subcommand)]
        action: CodesAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum CodesAction {
    /// Add or update your own codes from a CSV or JSON file (all or nothing).
    Import { file: PathBuf },
    /// Write your own codes to a CSV or JSON file (by extension).
    Export { file: PathBuf },
}

/// An entry as printed with `--json`: the entry's fields plus the user's note.
#[derive(Serialize)]
struct JsonEntry<'a> {
    #[serde(flatten)]
    entry: &'a CodeEntry,
    scheme_name_en: &'static str,
    scheme_name_zh: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

fn json_entry<'a>(book: &'a Codebook, entry: &'a CodeEntry) -> JsonEntry<'a> {
    JsonEntry {
        entry,
        scheme_name_en: entry.scheme.name_en(),
        scheme_name_zh: entry.scheme.name_zh(),
        note: book.note(entry),
    }
}

pub fn open_store(data_dir: Option<PathBuf>) -> Result<Store> {
    let dir = paths::data_dir(data_dir)
        .context("cannot find a folder for posdesk's data; pass --data-dir DIR")?;
    Store::open_dir(&dir)
        .with_context(|| format!("cannot open posdesk's data in {}", dir.display()))
}

/// Run a CLI verb; the exit code says whether what was asked for was found.
pub fn run(data_dir: Option<PathBuf>, command: Command) -> Result<ExitCode> {
    let mut store = open_store(data_dir)?;
    let mut out = std::io::stdout().lock();
    match command {
        Command::Search { query, limit, json } => {
            let book = Codebook::load(&store)?;
            let hits = book.search(&query.join(" "), limit);
            if json {
                let list: Vec<JsonEntry> = hits.iter().map(|e| json_entry(&book, e)).collect();
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else if hits.is_empty() {
                writeln!(out, "No code matches. 没有找到匹配的代码。")?;
            } else {
                for e in hits {
                    writeln!(
                        out,
                        "{:<24} {:<16} {} · {}",
                        e.code,
                        e.scheme.name_en(),
                        e.title_zh,
                        e.title_en
                    )?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { code, scheme, json } => {
            let scheme = match scheme {
                Some(s) => Some(Scheme::from_id(&s).with_context(|| {
                    format!(
                        "unknown scheme {s:?}; use one of: {}",
                        Scheme::ALL.map(|s| s.id()).join(", ")
                    )
                })?),
                None => None,
            };
            let book = Codebook::load(&store)?;
            let found = book.find(&code, scheme);
            if found.is_empty() {
                let within = scheme
                    .map(|s| format!(" in {}", s.name_en()))
                    .unwrap_or_default();
                eprintln!(
                    "Code {:?} is not known{within}. Try `posdesk search {}`. 未找到此代码。",
                    code.trim(),
                    code.trim()
                );
                return Ok(ExitCode::from(1));
            }
            if json {
                if let [one] = found.as_slice() {
                    serde_json::to_writer_pretty(&mut out, &json_entry(&book, one))?;
                } else {
                    let list: Vec<JsonEntry> = found.iter().map(|e| json_entry(&book, e)).collect();
                    serde_json::to_writer_pretty(&mut out, &list)?;
                }
                writeln!(out)?;
            } else {
                for (i, e) in found.iter().enumerate() {
                    if i > 0 {
                        writeln!(out, "\n{}", "-".repeat(60))?;
                    }
                    write_entry(&mut out, e, book.note(e))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Codes { action } => match action {
            CodesAction::Import { file } => {
                let entries = codefile::read_codes(&file)?;
                let summary = store.import_custom(&entries)?;
                writeln!(
                    out,
                    "Imported {} codes from {}: {} new, {} updated.",
                    entries.len(),
                    file.display(),
                    summary.added,
                    summary.updated
                )?;
                Ok(ExitCode::SUCCESS)
            }
            CodesAction::Export { file } => {
                let entries = store.custom_codes()?;
                if entries.is_empty() {
                    bail!("you have no codes of your own to export yet");
                }
                codefile::write_codes(&file, &entries)?;
                writeln!(
                    out,
                    "Exported {} codes to {}.",
                    entries.len(),
                    file.display()
                )?;
                Ok(ExitCode::SUCCESS)
            }
        },
    }
}

/// The whole entry as text, Chinese first, then English.
fn write_entry(out: &mut impl Write, e: &CodeEntry, note: Option<&str>) -> std::io::Result<()> {
    writeln!(
        out,
        "{}  [{} / {}]",
        e.code,
        e.scheme.name_zh(),
        e.scheme.name_en()
    )?;
    if e.vendor_specific {
        writeln!(
            out,
            "含义因终端厂商而异 / Meaning varies by terminal vendor"
        )?;
    }
    writeln!(out)?;
    let fixers_zh: Vec<&str> = e.fixers.iter().map(|f| f.label_zh()).collect();
    let fixers_en: Vec<&str> = e.fixers.iter().map(|f| f.label_en()).collect();
    writeln!(out, "{}", e.title_zh)?;
    writeln!(out, "重试：{}", e.retry.label_zh())?;
    writeln!(out, "谁来处理：{}", fixers_zh.join("、"))?;
    writeln!(out, "{}", e.explain_zh)?;
    write_list(out, "处理步骤：", &e.steps_zh, true)?;
    write_list(out, "可能原因：", &e.causes_zh, false)?;
    writeln!(out)?;
    writeln!(out, "{}", e.title_en)?;
    writeln!(out, "Retry: {}", e.retry.label_en())?;
    writeln!(out, "Who can fix it: {}", fixers_en.join(", "))?;
    writeln!(out, "{}", e.explain_en)?;
    write_list(out, "What to do:", &e.steps_en, true)?;
    write_list(out, "Likely causes:", &e.causes_en, false)?;
    if let Some(note) = note {
        writeln!(out, "\n备注 / Note: {note}")?;
    }
    Ok(())
}

fn write_list(
    out: &mut impl Write,
    heading: &str,
    items: &[String],
    numbered: bool,
) -> std::io::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(out, "{heading}")?;
    for (i, item) in items.iter().enumerate() {
        if numbered {
            writeln!(out, "  {}. {item}", i + 1)?;
        } else {
            writeln!(out, "  - {item}")?;
        }
    }
    Ok(())
}
