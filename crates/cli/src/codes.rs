//! `search`, `show` and `codes import|export`.

use crate::codebook::Codebook;
use crate::domain::advice::{Basis, SafeReading};
use crate::domain::code::{CodeEntry, Scheme};
use crate::domain::labels::advice_short;
use crate::domain::search::{MatchKind, SearchOptions};
use crate::exchange::codes as codefile;
use crate::i18n::{Label, Lang, Msg};
use crate::store::Store;
use anyhow::Result;
use clap::Subcommand;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum CodesAction {
    /// Add or update your own codes and notes from a CSV or JSON file (all or nothing).
    Import { file: PathBuf },
    /// Write your own codes and all your notes to a CSV or JSON file (by extension).
    Export {
        file: PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// A scheme id as typed on the command line.
#[derive(Debug, Clone, Copy)]
pub struct SchemeArg(pub Scheme);

impl std::str::FromStr for SchemeArg {
    type Err = super::ArgError;

    fn from_str(s: &str) -> Result<SchemeArg, super::ArgError> {
        Scheme::from_id(s).map(SchemeArg).ok_or_else(|| {
            let ids: Vec<&str> = Scheme::ALL.iter().map(|s| s.id()).collect();
            super::ArgError::new(
                format!("unknown scheme {s:?}; use one of: {}", ids.join(", ")),
                format!("没有“{s}”这种代码体系；请用：{}", ids.join("、")),
            )
        })
    }
}

/// An entry as printed with `--json`: the entry's fields (`retry` and `category` among them) plus the
/// advice the card shows, the user's note and, in search results, why it matched.
#[derive(Serialize)]
struct JsonEntry<'a> {
    #[serde(flatten)]
    entry: &'a CodeEntry,
    scheme_name_en: &'static str,
    scheme_name_zh: &'static str,
    /// The banner's advice, after reading the other schemes' advice for the same code.
    advice: &'static str,
    advice_en: &'static str,
    advice_zh: &'static str,
    /// Why the banner says it: `own`, `stricter` (another scheme's stricter class won), `preferred`
    /// (the shop's chosen scheme leads, others differ) or `custom` (the shop's own code sets it).
    advice_from: &'static str,
    /// Other schemes with a different retry class for this code.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    disagree: Vec<JsonDisagree>,
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    matched: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonDisagree {
    scheme: Scheme,
    retry: crate::Retry,
}

fn match_id(kind: MatchKind) -> &'static str {
    match kind {
        MatchKind::Exact => "exact",
        MatchKind::SameCode => "same_code",
        MatchKind::OtherCode => "other_code",
        MatchKind::CodePrefix => "code_prefix",
        MatchKind::Text => "text",
        MatchKind::Unknown => "unknown",
        MatchKind::Guess => "guess",
    }
}

fn basis_id(b: Basis) -> &'static str {
    match b {
        Basis::Own => "own",
        Basis::Stricter => "stricter",
        Basis::Preferred => "preferred",
        Basis::Custom => "custom",
    }
}

fn json_entry<'a>(
    book: &'a Codebook,
    entry: &'a CodeEntry,
    kind: Option<MatchKind>,
    prefer: Option<Scheme>,
) -> JsonEntry<'a> {
    let SafeReading {
        advice,
        disagree,
        basis,
        ..
    } = book.reading(entry, prefer);
    JsonEntry {
        entry,
        scheme_name_en: entry.scheme.label().en,
        scheme_name_zh: entry.scheme.label().zh,
        advice: advice.id(),
        advice_en: advice.label().en,
        advice_zh: advice.label().zh,
        advice_from: basis_id(basis),
        disagree: disagree
            .into_iter()
            .map(|(scheme, retry)| JsonDisagree { scheme, retry })
            .collect(),
        matched: kind.map(match_id),
        note: book.note(entry),
    }
}

pub fn search(
    store: &Store,
    out: &mut impl Write,
    query: &str,
    limit: usize,
    prefer: Option<SchemeArg>,
    json: bool,
) -> Result<ExitCode> {
    let book = Codebook::load(store)?;
    let opts = SearchOptions {
        limit,
        prefer: prefer.map(|p| p.0),
    };
    let hits: Vec<(&CodeEntry, MatchKind)> = book
        .search_hits(query, &opts)
        .into_iter()
        .filter_map(|h| book.entries().get(h.doc).map(|e| (e, h.kind)))
        .collect();
    if json {
        let list: Vec<JsonEntry> = hits
            .iter()
            .map(|&(e, kind)| json_entry(&book, e, Some(kind), opts.prefer))
            .collect();
        serde_json::to_writer_pretty(&mut *out, &list)?;
        writeln!(out)?;
    } else if hits.is_empty() {
        let none = Msg::new("No code matches.", "没有找到匹配的代码。");
        writeln!(out, "{}", super::say(&none))?;
    } else {
        // Columns as wide as the longest code and scheme shown, so long codes do not push rows apart.
        let code_width = hits
            .iter()
            .map(|(e, _)| e.code.chars().count())
            .max()
            .unwrap_or(0);
        let lang = super::lang();
        let scheme_width = hits
            .iter()
            .map(|(e, _)| e.scheme.text(lang).chars().count())
            .max()
            .unwrap_or(0);
        for (e, kind) in hits {
            let advice = book.reading(e, opts.prefer).advice;
            let mark = match kind {
                MatchKind::OtherCode => lang.tr(" (a different code)", "（另一个代码）"),
                MatchKind::Guess => lang.tr(" (a guess)", "（猜测）"),
                _ => "",
            };
            writeln!(
                out,
                "{:<code_width$}  {:<scheme_width$}  {} · {}  [{}]{mark}",
                e.code,
                e.scheme.text(lang),
                e.title_zh,
                e.title_en,
                advice_short(advice).get(lang),
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn show(
    store: &Store,
    out: &mut impl Write,
    code: &str,
    scheme: Option<SchemeArg>,
    prefer: Option<SchemeArg>,
    json: bool,
) -> Result<ExitCode> {
    let book = Codebook::load(store)?;
    let scheme = scheme.map(|s| s.0);
    let prefer = prefer.map(|p| p.0);
    let found = book.find(code, scheme, prefer);
    if found.is_empty() {
        let within = scheme
            .map(|s| format!(" in {}", s.label().en))
            .unwrap_or_default();
        let code = code.trim();
        let within_zh = scheme
            .map(|s| format!("（{}）", s.label().zh))
            .unwrap_or_default();
        eprintln!(
            "{}",
            super::say(&Msg::new(
                format!("Code {code:?} is not known{within}. Try `posdesk search {code}`."),
                format!("未找到代码 {code:?}{within_zh}。试试 `posdesk search {code}`。"),
            ))
        );
        return Ok(ExitCode::from(1));
    }
    if json {
        if let [one] = found.as_slice() {
            serde_json::to_writer_pretty(&mut *out, &json_entry(&book, one, None, prefer))?;
        } else {
            let list: Vec<JsonEntry> = found
                .iter()
                .map(|e| json_entry(&book, e, None, prefer))
                .collect();
            serde_json::to_writer_pretty(&mut *out, &list)?;
        }
        writeln!(out)?;
    } else {
        for (i, e) in found.iter().enumerate() {
            if i > 0 {
                writeln!(out, "\n{}", "-".repeat(60))?;
            }
            write_entry(out, &book, e, prefer)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn files(store: &mut Store, out: &mut impl Write, action: CodesAction) -> Result<ExitCode> {
    match action {
        CodesAction::Import { file } => {
            let read = codefile::read_codes(&file)?;
            let summary = store.import_file(&read)?;
            let shown = file.display();
            let (added, updated, notes) = (summary.added, summary.updated, summary.notes);
            let said = Msg::new(
                format!(
                    "Imported from {shown}: {added} new {}, {updated} updated, {notes} {}.",
                    plural(added, "code", "codes"),
                    plural(notes, "note", "notes"),
                ),
                format!(
                    "已从 {shown} 导入：新增 {added} 个代码，更新 {updated} 个，备注 {notes} 条。"
                ),
            );
            writeln!(out, "{}", super::say(&said))?;
        }
        CodesAction::Export { file, force } => {
            let data = store.export_file()?;
            if data.entries.is_empty() && data.notes.is_empty() {
                return Err(super::Failed(Msg::new(
                    "you have no codes or notes of your own to export yet",
                    "还没有可以导出的自己的代码或备注",
                ))
                .into());
            }
            let Some(target) = super::checked_output(store, &file, force) else {
                return Ok(ExitCode::from(1));
            };
            if let Err(e) = codefile::write_codes(&target, &data) {
                if let codefile::CodeFileError::Write { cause, .. } = &e
                    && cause.kind() == std::io::ErrorKind::AlreadyExists
                {
                    let file = file.display();
                    eprintln!(
                        "posdesk: {}",
                        super::say(&Msg::new(
                            format!(
                                "{file} already exists; nothing was written (use --force to replace it)."
                            ),
                            format!("{file} 已存在，没有写入（加 --force 覆盖）。"),
                        ))
                    );
                    return Ok(ExitCode::from(1));
                }
                return Err(e.into());
            }
            let (codes, notes, shown) = (data.entries.len(), data.notes.len(), file.display());
            let said = Msg::new(
                format!(
                    "Exported {codes} {} and {notes} {} to {shown}.",
                    plural(codes, "code", "codes"),
                    plural(notes, "note", "notes"),
                ),
                format!("已导出 {codes} 个代码和 {notes} 条备注到 {shown}。"),
            );
            writeln!(out, "{}", super::say(&said))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// The whole entry as text, Chinese first, then English.
fn write_entry(
    out: &mut impl Write,
    book: &Codebook,
    e: &CodeEntry,
    prefer: Option<Scheme>,
) -> std::io::Result<()> {
    let name = e.scheme.label();
    if e.scheme == Scheme::Situation {
        writeln!(out, "{} / {}", name.zh, name.en)?;
    } else if name.en == name.zh {
        writeln!(out, "{}  [{}]", e.code, name.en)?;
    } else {
        writeln!(out, "{}  [{} / {}]", e.code, name.zh, name.en)?;
    }
    if e.vendor_specific {
        writeln!(
            out,
            "含义因终端厂商而异 / Meaning varies by terminal vendor"
        )?;
    }
    let SafeReading {
        advice,
        disagree,
        basis,
        ..
    } = book.reading(e, prefer);
    for lang in [Lang::Zh, Lang::En] {
        writeln!(out)?;
        let fixers: Vec<&str> = e.fixers.iter().map(|f| f.text(lang)).collect();
        writeln!(out, "{}", lang.pick(&e.title_en, &e.title_zh))?;
        writeln!(
            out,
            "{}{}",
            lang.tr("What to do now: ", "现在怎么做："),
            advice.text(lang)
        )?;
        if basis == Basis::Custom {
            writeln!(
                out,
                "{}",
                lang.tr(
                    "(set by your own code with the same code)",
                    "（按您自己保存的同名代码显示）"
                )
            )?;
        }
        if !disagree.is_empty() && basis != Basis::Custom {
            let others: Vec<String> = disagree
                .iter()
                .map(|(s, r)| format!("{} {}", s.text(lang), r.text(lang)))
                .collect();
            let lead = if basis == Basis::Preferred {
                lang.tr(
                    "(your terminals' scheme is shown; other schemes advise: ",
                    "（显示您终端所用体系的建议；其他体系建议：",
                )
            } else {
                lang.tr(
                    "(other schemes advise differently, the safer advice is shown: ",
                    "（其他体系建议不同，这里显示更稳妥的建议：",
                )
            };
            writeln!(
                out,
                "{}{}",
                lead,
                others.join(lang.tr("; ", "；")) + lang.tr(")", "）")
            )?;
        }
        writeln!(
            out,
            "{}{}",
            lang.tr("Who can fix it: ", "谁来处理："),
            fixers.join(lang.tr(", ", "、"))
        )?;
        writeln!(out, "{}", lang.pick(&e.explain_en, &e.explain_zh))?;
        write_list(
            out,
            lang.tr("What to do:", "处理步骤："),
            lang.pick_list(&e.steps_en, &e.steps_zh),
            true,
        )?;
        write_list(
            out,
            lang.tr("Likely causes:", "可能原因："),
            lang.pick_list(&e.causes_en, &e.causes_zh),
            false,
        )?;
    }
    for (heading, says) in [
        ("常见说法 / What people say (zh):", &e.says_zh),
        ("What people say (en):", &e.says_en),
    ] {
        if !says.is_empty() {
            writeln!(out, "\n{heading} {}", says.join(" · "))?;
        }
    }
    if !e.source.is_empty() {
        writeln!(out, "\n来源 / Source: {}", e.source)?;
    }
    if let Some(note) = book.note(e) {
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
