//! From the store's checklist lines to a `ChecklistSheet` in one language: what the window's
//! "Print…" and `posdesk print checklist` both print. Pure: the caller reads the lines and terminals.

use super::checklist::{ChecklistSheet, ChecklistTask, TerminalChecklist};
use crate::domain::maintenance::{SheetLine, SheetSpan, Terminal, TerminalId, TerminalInfo};
use crate::domain::scan::ScanCode;
use crate::i18n::Lang;

/// The second line under a terminal's name: model, location, provider and phone, where known.
pub fn terminal_detail(info: &TerminalInfo) -> String {
    [
        &info.model,
        &info.location,
        &info.provider,
        &info.support_phone,
    ]
    .into_iter()
    .map(|p| p.trim())
    .filter(|p| !p.is_empty())
    .collect::<Vec<_>>()
    .join(" · ")
}

/// The checklist for one terminal or all in service, over `span`, in `lang`: every task line the
/// store lists, with its scan code. A catch-up line says since when the task is overdue; a line
/// already done (a reprint) says so.
pub fn checklist_sheet(
    lines: Vec<SheetLine>,
    terminals: &[Terminal],
    span: SheetSpan,
    lang: Lang,
) -> ChecklistSheet {
    let mut ids: Vec<TerminalId> = Vec::new();
    let mut parts: Vec<TerminalChecklist> = Vec::new();
    for line in lines {
        if ids.last() != Some(&line.terminal) {
            ids.push(line.terminal);
            let detail = terminals
                .iter()
                .find(|t| t.id == line.terminal)
                .map(|t| terminal_detail(&t.info))
                .unwrap_or_default();
            parts.push(TerminalChecklist {
                name: line.terminal_name.clone(),
                detail,
                tasks: Vec::new(),
            });
        }
        let title = lang
            .pick(&line.task.title_en, &line.task.title_zh)
            .to_string();
        let mut note = String::new();
        if line.overdue {
            let (since, missed) = (line.date, line.missed);
            note.push_str(&if missed > 1 {
                crate::trf!(
                    lang,
                    " (overdue since {since}, missed {missed} times)",
                    "（自 {since} 起逾期，漏做 {missed} 次）"
                )
            } else {
                crate::trf!(lang, " (overdue since {since})", "（自 {since} 起逾期）")
            });
        }
        // Every step, in full: the warnings ("never …") are steps too.
        let steps = lang
            .pick_list(&line.task.steps_en, &line.task.steps_zh)
            .to_vec();
        let record = line
            .task
            .value
            .as_ref()
            .map(|v| lang.pick(&v.label_en, &v.label_zh).to_string());
        if let Some(part) = parts.last_mut() {
            part.tasks.push(ChecklistTask {
                title,
                steps,
                record,
                scan: ScanCode::new(line.schedule.0, line.date),
                done: line.resolved,
                note,
            });
        }
    }
    ChecklistSheet {
        lang,
        title: lang.tr("Maintenance checklist", "维护检查表").to_string(),
        shop: String::new(),
        first_day: span.first(),
        last_day: span.last(),
        terminals: parts,
    }
}
