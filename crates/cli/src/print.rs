//! `posdesk print checklist`: the printed checklist as a PDF file.

use super::maintenance::DateArg;
use crate::domain::maintenance::SheetSpan;
use crate::i18n::{Lang, Msg};
use crate::store::Store;
use anyhow::{Context, Result};
use clap::Subcommand;
use posdesk::print::{self, Paper};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum PrintAction {
    /// The maintenance checklist to tick by hand, with a barcode per task that scans back in.
    Checklist {
        /// Only this terminal (default: every terminal in service).
        #[arg(long)]
        terminal: Option<String>,
        /// a4, 80mm or 58mm (the till's receipt printer).
        #[arg(long, default_value = "a4", value_parser = parse_paper)]
        paper: Paper,
        /// The seven days from the date instead of the one day.
        #[arg(long)]
        week: bool,
        /// The day (or the week's first day), YYYY-MM-DD; default today.
        #[arg(long)]
        date: Option<DateArg>,
        /// zh or en (default: the language the app is set to).
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
        /// The PDF file to write.
        #[arg(short = 'o', long = "output", value_name = "FILE.pdf")]
        output: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
}

fn parse_paper(s: &str) -> Result<Paper, super::ArgError> {
    Paper::from_id(s).ok_or_else(|| {
        super::ArgError::new(
            format!("unknown paper {s:?}; use a4, 80mm or 58mm"),
            format!("没有“{s}”这种纸；请用 a4、80mm 或 58mm"),
        )
    })
}

pub(super) fn parse_lang(s: &str) -> Result<Lang, super::ArgError> {
    match s.trim().to_ascii_lowercase().as_str() {
        "zh" | "cn" | "zh-cn" => Ok(Lang::Zh),
        "en" => Ok(Lang::En),
        _ => Err(super::ArgError::new(
            format!("unknown language {s:?}; use zh or en"),
            format!("没有“{s}”这种语言；请用 zh（中文）或 en（英文）"),
        )),
    }
}

pub fn run(
    store: &Store,
    data_dir: Option<&Path>,
    out: &mut impl Write,
    action: PrintAction,
) -> Result<ExitCode> {
    let PrintAction::Checklist {
        terminal,
        paper,
        week,
        date,
        lang,
        output,
        force,
    } = action;
    if output.as_os_str().is_empty() {
        return Err(super::Failed(Msg::new(
            "give the PDF file to write with -o FILE.pdf",
            "请用 -o 文件名.pdf 指定要写入的 PDF 文件",
        ))
        .into());
    }
    // Checked before anything is drawn: the data folder's own files are never written over.
    let Some(target) = super::checked_output(store, &output, force) else {
        return Ok(ExitCode::from(1));
    };
    let lang = lang.unwrap_or_else(|| crate::store::paths::user_lang(data_dir));
    let day = date.map(|d| d.0).unwrap_or_else(|| store.clock().today());
    let span = if week {
        SheetSpan::Week(day)
    } else {
        SheetSpan::Day(day)
    };
    let terminal_id = match &terminal {
        Some(name) => match store.terminal_by_name(name)? {
            Some(t) => Some(t.id),
            None => {
                eprintln!(
                    "{}",
                    super::say(&Msg::new(
                        format!("No terminal {name:?}. See `posdesk terminal list`."),
                        format!("没有终端“{name}”。请看 `posdesk terminal list`。"),
                    ))
                );
                return Ok(ExitCode::from(1));
            }
        },
        None => None,
    };
    let lines = store.sheet_lines(terminal_id, span)?;
    let terminals = store.terminals(false)?;
    let sheet = print::sheet::checklist_sheet(lines, &terminals, span, lang);
    let pdf = print::render_checklist(&sheet, paper)?;
    crate::fsx::write_output(&target, |w| w.write_all(&pdf)).with_context(|| {
        let shown = output.display();
        super::Failed(Msg::new(
            format!("cannot write {shown}"),
            format!("无法写入 {shown}"),
        ))
    })?;
    let tasks: usize = sheet.terminals.iter().map(|t| t.tasks.len()).sum();
    let (shown, terminals) = (output.display(), sheet.terminals.len());
    let said = Msg::new(
        format!("{shown} ({tasks} tasks on {terminals} terminals)"),
        format!("{shown}（{terminals} 台终端，共 {tasks} 项任务）"),
    );
    writeln!(out, "{}", super::say(&said))?;
    Ok(ExitCode::SUCCESS)
}
