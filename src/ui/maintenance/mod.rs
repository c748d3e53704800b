//! The Maintenance screen: the due board (overdue and due today, per terminal), the terminals and
//! their pages, and printed checklists. `MaintenanceState::handle` is the only place that changes it.

use super::command::{Command, MaintenanceCommand};
use super::jobs::Jobs;
use super::services::{Services, Shared};
use crate::domain::maintenance::{DoneEntry, DueItem, EventId, Outcome};
use crate::domain::scan::ScanCode;
use crate::i18n::{Explain, Lang, Msg};
use eframe::egui::{self, RichText};

/// What the screen shows; drawn from, changed only by `handle`.
#[derive(Debug, Default)]
pub struct MaintenanceView {
    /// Overdue first, then due today, then due soon.
    pub board: Vec<DueItem>,
    /// Overdue + due today: the top bar's badge.
    pub badge: usize,
    /// The name last used for "done by", offered again.
    pub last_person: String,
}

/// Text being typed into the screen's forms.
#[derive(Debug, Default)]
pub struct MaintenanceForms {}

/// What a finished background job (a PDF written) hands back.
#[derive(Debug)]
pub enum PrintJob {}

pub struct MaintenanceState {
    pub view: MaintenanceView,
    pub forms: MaintenanceForms,
    jobs: Jobs<PrintJob>,
}

impl Default for MaintenanceState {
    fn default() -> Self {
        MaintenanceState::new()
    }
}

impl MaintenanceState {
    pub fn new() -> MaintenanceState {
        MaintenanceState {
            view: MaintenanceView::default(),
            forms: MaintenanceForms::default(),
            jobs: Jobs::default(),
        }
    }

    pub fn busy(&self) -> bool {
        self.jobs.running() > 0
    }

    pub fn finish_jobs(&mut self, _sv: &mut Services<'_>) {
        for job in self.jobs.finished() {
            match job {}
        }
    }

    /// Read the board, the badge and the terminals again for `sv.today`.
    pub fn refresh(&mut self, sv: &mut Services<'_>) {
        let Some(store) = sv.data.store() else {
            self.view = MaintenanceView::default();
            return;
        };
        match (
            store.due_board(sv.today),
            store.due_count(sv.today),
            store.last_person(),
        ) {
            (Ok(board), Ok(badge), Ok(person)) => {
                self.view.board = board;
                self.view.badge = badge;
                self.view.last_person = person.unwrap_or_default();
            }
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => sv.warn(e.explain()),
        }
        sv.reload_terminals();
    }

    pub fn handle(&mut self, command: MaintenanceCommand, sv: &mut Services<'_>) {
        match command {
            MaintenanceCommand::Refresh => self.refresh(sv),
            MaintenanceCommand::Scanned(code) => self.scanned(code, sv),
                        MaintenanceCommand::Undo(event) => {
                let Some(store) = sv.writable() else {
                    return;
                };
                match store.undo(event) {
                    Ok(()) => sv.say(Msg::new("Undone.", "已撤销。")),
                    Err(e) => sv.warn(Msg::new("Could not undo:", "无法撤销：").with(&e.explain())),
                }
                self.refresh(sv);
            }
            MaintenanceCommand::Escape { .. } => {}
        }
    }

    /// A printed line's barcode: mark that task done for that date, once, and say which it was.
    fn scanned(&mut self, code: ScanCode, sv: &mut Services<'_>) {
        let lang = sv.lang;
                let person = self.view.last_person.clone();
        let today = sv.today;
        let Some(store) = sv.writable() else {
            return;
        };
        let schedule = crate::domain::maintenance::ScheduleId(code.schedule_id);
        let line = match store.sheet_line(schedule, code.date) {
            Ok(Some(line)) => line,
            Ok(None) => {
                sv.warn(Msg::new(
                    format!(
                        "The scanned code {} is not a task on any terminal's checklist.",
                        code.encode()
                    ),
                    format!("扫描的代码 {} 不是任何终端清单上的任务。", code.encode()),
                ));
                return;
            }
            Err(e) => {
                sv.warn(e.explain());
                return;
            }
        };
        let entry = DoneEntry {
            done_on: today,
            by: person,
            outcome: Outcome::AllFine,
            note: String::new(),
            value: None,
        };
        let task = lang.pick(&line.task.title_en, &line.task.title_zh).to_string();
        let name = line.terminal_name.clone();
        let date = code.date;
        match store.mark_done_occurrence(schedule, code.date, &entry) {
            Ok(marked) if marked.changed => {
                let msg = Msg::new(
                    format!("Done from the sheet: {task} on {name} ({date})."),
                    format!("已按清单记录完成：{name} 的“{task}”（{date}）。"),
                );
                match marked.event {
                    Some(event) => sv.say_with_undo(msg, undo(event)),
                    None => sv.say(msg),
                }
            }
            Ok(_) => sv.say(Msg::new(
                format!("Already recorded: {task} on {name} ({date}). Nothing changed."),
                format!("已经记录过：{name} 的“{task}”（{date}），没有重复记录。"),
            )),
            Err(e) => sv.warn(e.explain()),
        }
        self.refresh(sv);
    }
}

fn undo(event: EventId) -> Command {
    MaintenanceCommand::Undo(event).into()
}

/// Draw the Maintenance screen.
pub fn maintenance_ui(
    ui: &mut egui::Ui,
    view: &MaintenanceView,
    _forms: &mut MaintenanceForms,
    _shared: &Shared,
    lang: Lang,
    _out: &mut Vec<Command>,
) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.heading(lang.tr("Due today", "今天要做"));
        for item in &view.board {
            ui.label(RichText::new(format!(
                "{} · {}",
                item.terminal_name,
                lang.pick(&item.task.title_en, &item.task.title_zh)
            )));
        }
    });
}
