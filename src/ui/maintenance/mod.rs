//! The Maintenance screen: the due board (overdue and due today, per terminal), the terminals and
//! their pages, and printed checklists. `MaintenanceState::handle` is the only place that changes it;
//! the drawing functions read `MaintenanceView` and edit only the text of open forms
//! (`MaintenanceForms`).

mod board;
mod forms;
mod keys;
mod print;
mod shop;
mod terminals;
mod words;

pub use forms::{
    MaintenanceForms, OwnTaskForm, PlanForm, ScanForm, StockForm, TerminalForm, WorkForm, WorkKind,
};
pub use print::PrintJob;

use super::command::{
    Command, JournalCommand, MaintenanceCommand, MaintenancePage, NewIncident, Route, ShellCommand,
};
use super::jobs::Jobs;
use super::services::{Services, Shared};
use crate::domain::maintenance::{
    DoneEntry, DueItem, DueState, EventId, HistoryEvent, Interval, Outcome, Plan, ScheduleId,
    StockLevel, TaskStatus, TaskTemplate, Terminal, TerminalId, checked_reason, natural_cmp,
};
use crate::domain::scan::{ScanCode, ScanVerdict, ScannedLine};
use crate::i18n::{Explain, Lang, Msg};
use crate::print::Paper;
use crate::store::Store;
use eframe::egui;
use jiff::civil::Date;
use std::path::PathBuf;

/// Most history events a terminal page lists (newest first).
pub const HISTORY_LIMIT: usize = 500;

/// The next task due when nothing is due today, for the empty board.
#[derive(Debug, Clone, PartialEq)]
pub struct NextDue {
    pub terminal_name: String,
    pub title: Msg,
    pub due_on: Date,
}

/// A terminal's page: what it is, its tasks, what was done.
#[derive(Debug, Clone, PartialEq)]
pub struct TerminalPage {
    pub terminal: Terminal,
    pub tasks: Vec<TaskStatus>,
    pub history: Vec<HistoryEvent>,
}

/// A task marked done with "problem found": the board offers to log an incident for it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProblemFound {
    pub event: EventId,
    pub terminal: TerminalId,
    /// The task's template key.
    pub task: String,
    pub terminal_name: String,
    pub title: Msg,
    pub note: String,
}

/// What the screen shows; drawn from, changed only by `handle`.
#[derive(Debug)]
pub struct MaintenanceView {
    pub page: MaintenancePage,
    /// Overdue, then due today, then due soon, each per terminal (by name). The row numbers of
    /// `selected` count in this order.
    pub board: Vec<DueItem>,
    /// Overdue + due today: the top bar's badge.
    pub badge: usize,
    /// The chosen board row (Enter or Space marks it done).
    pub selected: usize,
    /// Bumped when the choice moves by key, so the board scrolls to it once.
    pub select_generation: u64,
    /// The next task due, when nothing is overdue or due today.
    pub next_due: Option<NextDue>,
    /// The name last used for "done by", offered again.
    pub last_person: String,
    /// Every terminal, those in service first; archived ones show only with `show_archived`.
    pub terminals: Vec<Terminal>,
    pub show_archived: bool,
    /// The terminal page's content, when `page` is a terminal.
    pub terminal_page: Option<TerminalPage>,
    /// The installed task templates, in pack order (for "add a task").
    pub templates: Vec<TaskTemplate>,
    /// The task whose removal is being asked about.
    pub confirm_remove: Option<ScheduleId>,
    /// The last "problem found", until an incident is logged for it or the clerk hides the line.
    pub last_problem: Option<ProblemFound>,
    /// The checklist's paper, terminal (all when `None`) and days, as last chosen.
    pub paper: Paper,
    pub sheet_terminal: Option<TerminalId>,
    pub sheet_week: bool,
    /// The last checklist PDF written.
    pub last_pdf: Option<PathBuf>,
    /// Who scans are recorded as, once the clerk at this till said so (asked at the first scan).
    pub scan_clerk: Option<String>,
    /// Scans that came while the scan form was open, taken in turn after it.
    pub pending_scans: Vec<ScanCode>,
    /// Paper rolls and cleaning cards in stock.
    pub stock: Vec<StockLevel>,
    /// The terminals whose board group is folded.
    pub collapsed: std::collections::BTreeSet<TerminalId>,
    /// Bumped each time the screen or the board opens, so the board starts at its top.
    pub board_opened: u64,
    /// The own task whose retirement is being asked about (its key).
    pub confirm_retire: Option<String>,
    /// History photos' thumbnails by photo id, kept while the app runs.
    pub photo_thumbs: PhotoThumbs,
}

/// Thumbnails by photo id (`None`: being decoded, or not a picture it can read).
#[derive(Default)]
pub struct PhotoThumbs(pub std::collections::HashMap<i64, Option<egui::TextureHandle>>);

impl std::fmt::Debug for PhotoThumbs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PhotoThumbs({} photos)", self.0.len())
    }
}

impl Default for MaintenanceView {
    fn default() -> Self {
        MaintenanceView {
            page: MaintenancePage::Board,
            board: Vec::new(),
            badge: 0,
            selected: 0,
            select_generation: 0,
            next_due: None,
            last_person: String::new(),
            terminals: Vec::new(),
            show_archived: false,
            terminal_page: None,
            templates: Vec::new(),
            confirm_remove: None,
            last_problem: None,
            paper: Paper::A4,
            sheet_terminal: None,
            sheet_week: false,
            last_pdf: None,
            scan_clerk: None,
            pending_scans: Vec::new(),
            stock: Vec::new(),
            collapsed: std::collections::BTreeSet::new(),
            board_opened: 0,
            confirm_retire: None,
            photo_thumbs: PhotoThumbs::default(),
        }
    }
}

impl MaintenanceView {
    /// Overdue and due-today rows, the ones the badge counts.
    pub fn due_now(&self) -> usize {
        self.board
            .iter()
            .filter(|i| i.state != DueState::Soon)
            .count()
    }

    pub fn item(&self, schedule: ScheduleId) -> Option<&DueItem> {
        self.board.iter().find(|i| i.schedule == schedule)
    }

    pub fn terminal(&self, id: TerminalId) -> Option<&Terminal> {
        self.terminals.iter().find(|t| t.id == id)
    }

    /// The consumables at or below their warning level.
    pub fn low_stock(&self) -> impl Iterator<Item = &StockLevel> {
        self.stock.iter().filter(|s| s.is_low())
    }

    /// The shop's own tasks in use.
    pub fn own_tasks(&self) -> impl Iterator<Item = &TaskTemplate> {
        self.templates.iter().filter(|t| t.own)
    }

    /// The board rows shown with this search, in board order: a folded terminal's rows are hidden
    /// unless a search is typed (a search opens the groups it finds). A terminal whose name or
    /// location matches shows all its rows; otherwise only the tasks whose title or key matches.
    pub fn visible_rows(&self, search: &str) -> Vec<usize> {
        let words: Vec<String> = crate::domain::maintenance::name_key(search)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        let hit = |text: &str| {
            let t = crate::domain::maintenance::name_key(text);
            words.iter().all(|w| t.contains(w.as_str()))
        };
        self.board
            .iter()
            .enumerate()
            .filter(|(_, item)| {
                if words.is_empty() {
                    return !self.collapsed.contains(&item.terminal);
                }
                let location = self
                    .terminal(item.terminal)
                    .map(|t| t.info.location.as_str())
                    .unwrap_or("");
                let task = &item.task;
                hit(&format!("{} {location}", item.terminal_name))
                    || hit(&format!("{} {} {}", task.title_en, task.title_zh, task.key))
                    || hit(&format!(
                        "{} {location} {} {}",
                        item.terminal_name, task.title_en, task.title_zh
                    ))
            })
            .map(|(i, _)| i)
            .collect()
    }
}

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

    /// The overdue tasks, for the code cards and the journal's repeat warning: replaced only when
    /// the board is read again, never copied per frame.
    fn publish_overdue(&self, sv: &mut Services<'_>) {
        use crate::domain::maintenance::DueState;
        let overdue: Vec<DueItem> = self
            .view
            .board
            .iter()
            .filter(|i| i.state == DueState::Overdue)
            .cloned()
            .collect();
        if **sv.overdue != overdue {
            *sv.overdue = std::sync::Arc::new(overdue);
        }
    }

    /// "Problem found during maintenance" becomes a new incident on that terminal, in the journal.
    fn log_incident(
        &mut self,
        terminal: TerminalId,
        task: String,
        note: String,
        sv: &mut Services<'_>,
    ) {
        let lang = sv.lang;
        let terminal = sv
            .terminals
            .iter()
            .find(|t| t.id == terminal)
            .map(|t| t.info.name.clone());
        let task = self
            .view
            .templates
            .iter()
            .find(|t| t.key == task)
            .map(|t| lang.pick(&t.title_en, &t.title_zh).to_string())
            .unwrap_or(task);
        let symptom = if note.trim().is_empty() {
            crate::trf!(
                lang,
                "Problem found during maintenance: {task}",
                "维护时发现问题：{task}"
            )
        } else {
            crate::trf!(
                lang,
                "Problem found during maintenance: {task}. {note}",
                "维护时发现问题：{task}。{note}"
            )
        };
        let prefill = NewIncident {
            terminal,
            symptom,
            ..NewIncident::default()
        };
        sv.send(ShellCommand::Go(Route::Journal));
        sv.send(JournalCommand::New(Box::new(prefill)));
        self.view.last_problem = None;
    }

    pub fn finish_jobs(&mut self, sv: &mut Services<'_>) {
        for job in self.jobs.finished() {
            match job {
                PrintJob::Photo(path) => {
                    if path.is_some() {
                        self.handle(MaintenanceCommand::SetPhoto(path), sv);
                    }
                }
                PrintJob::Thumb { id, image } => {
                    let texture = image.map(|image| {
                        sv.egui.load_texture(
                            format!("maintenance-photo-{id}"),
                            image,
                            egui::TextureOptions::LINEAR,
                        )
                    });
                    self.view.photo_thumbs.0.insert(id, texture);
                }
                job => print::apply(job, &mut self.view, sv),
            }
        }
    }

    /// Decode on the worker the thumbnails of the open terminal page's photos not seen yet.
    fn load_thumbs(&mut self, sv: &mut Services<'_>) {
        let (Some(page), Some(store)) = (&self.view.terminal_page, sv.data.store()) else {
            return;
        };
        for photo in page.history.iter().flat_map(|e| &e.photos) {
            if self.view.photo_thumbs.0.contains_key(&photo.id)
                || !super::journal::files::is_picture(&photo.file_name)
            {
                continue;
            }
            let Some(path) = store.attachment_path(photo) else {
                continue;
            };
            self.view.photo_thumbs.0.insert(photo.id, None);
            let id = photo.id;
            self.jobs.spawn(sv.egui, move || PrintJob::Thumb {
                id,
                image: super::journal::files::thumbnail(&path),
            });
        }
    }

    /// The screen was opened from the top bar: the board starts at its top.
    pub fn opened(&mut self) {
        self.view.board_opened += 1;
    }

    /// Read everything the screen shows again for `sv.today`: the board, the badge, the terminals,
    /// the open terminal page, the templates. Called at start, after every change and when the day
    /// turns.
    pub fn refresh(&mut self, sv: &mut Services<'_>) {
        let Some(store) = sv.data.store() else {
            self.view.board.clear();
            self.publish_overdue(sv);
            self.view.badge = 0;
            self.view.next_due = None;
            self.view.terminals.clear();
            self.view.terminal_page = None;
            return;
        };
        match read_all(store, &self.view, sv.today) {
            Ok(read) => {
                self.view.board = read.board;
                self.view.badge = self.view.due_now();
                self.view.next_due = read.next_due;
                self.view.last_person = read.person;
                self.view.terminals = read.terminals;
                self.view.templates = read.templates;
                self.view.terminal_page = read.page;
                self.view.stock = read.stock;
                self.load_thumbs(sv);
            }
            Err(e) => sv.warn(e.explain()),
        }
        self.publish_overdue(sv);
        self.view.selected = self
            .view
            .selected
            .min(self.view.board.len().saturating_sub(1));
        if let MaintenancePage::Terminal(_) = self.view.page
            && self.view.terminal_page.is_none()
        {
            self.view.page = MaintenancePage::Terminals;
        }
        if self
            .view
            .sheet_terminal
            .is_some_and(|id| self.view.terminal(id).is_none_or(Terminal::is_archived))
        {
            self.view.sheet_terminal = None;
        }
        if let Some(form) = &self.forms.work
            && self.view.item(form.schedule).is_none()
        {
            // Done elsewhere meanwhile (a scan, another window): the form has nothing left to do.
            self.forms.work = None;
        }
        sv.reload_terminals();
    }

    pub fn handle(&mut self, command: MaintenanceCommand, sv: &mut Services<'_>) {
        use MaintenanceCommand as C;
        match command {
            C::Refresh => self.refresh(sv),
            C::Scanned(code) => {
                self.scanned(code, sv);
                if self.forms.scanned.is_some() {
                    // A scan from any screen asks who did it, or the value on the sheet, here.
                    sv.send(ShellCommand::Go(Route::Maintenance));
                }
            }
            C::ScannedOther(text) => self.scanned_other(&text, sv),
            C::SaveScan => self.save_scan(sv),
            C::CancelScan => {
                self.forms.scanned = None;
                self.view.pending_scans.clear();
                sv.say(Msg::new("Scan not recorded.", "这次扫描未记录。"));
            }
            C::ChangeScanClerk => self.view.scan_clerk = None,
            C::Undo(event) => {
                let Some(store) = sv.writable() else {
                    return;
                };
                match store.undo(event) {
                    Ok(()) => sv.say(Msg::new("Undone.", "已撤销。")),
                    Err(e) => sv.warn(Msg::new("Could not undo:", "无法撤销：").with(&e.explain())),
                }
                if self
                    .view
                    .last_problem
                    .as_ref()
                    .is_some_and(|p| p.event == event)
                {
                    self.view.last_problem = None;
                }
                self.refresh(sv);
            }
            C::Escape { in_field } => self.escape(in_field),
            C::Show(page) => {
                if page == MaintenancePage::Board && self.view.page != page {
                    self.view.board_opened += 1;
                }
                self.view.page = page;
                self.view.confirm_remove = None;
                self.view.confirm_retire = None;
                self.forms.plan = None;
                if !matches!(
                    page,
                    MaintenancePage::Terminals | MaintenancePage::Terminal(_)
                ) {
                    self.forms.terminal = None;
                }
                self.refresh(sv);
            }
            C::Select(row) => {
                if row < self.view.board.len() {
                    self.view.selected = row;
                }
            }
            C::Move(delta) => {
                // Only through the rows on view: a folded group or a search hides the others.
                let rows = self.view.visible_rows(&self.forms.board_search);
                if let Some(&first) = rows.first() {
                    let next = match rows.iter().position(|&r| r == self.view.selected) {
                        Some(at) => rows[at.saturating_add_signed(delta).min(rows.len() - 1)],
                        None => first,
                    };
                    self.view.selected = next;
                    self.view.select_generation += 1;
                }
            }
            C::Done(schedule) => self.done(schedule, sv),
            C::DoneChosen => {
                // Enter marks the chosen row only while it is on view.
                let rows = self.view.visible_rows(&self.forms.board_search);
                if rows.contains(&self.view.selected)
                    && let Some(item) = self.view.board.get(self.view.selected)
                {
                    let schedule = item.schedule;
                    self.done(schedule, sv);
                }
            }
            C::OpenDone(s) => self.open_work(s, WorkKind::Done),
            C::OpenSkip(s) => self.open_work(s, WorkKind::Skip),
            C::OpenSnooze(s) => self.open_work(s, WorkKind::Snooze),
            C::SaveDone => self.save_done(sv),
            C::SaveSkip => self.save_skip(sv),
            C::SaveSnooze { days } => self.save_snooze(days, sv),
            C::CloseForm => {
                if self.forms.scanned.take().is_none()
                    && self.forms.work.take().is_none()
                    && self.forms.plan.take().is_none()
                    && self.forms.terminal.take().is_none()
                    && self.forms.stock.take().is_none()
                    && self.forms.own_task.take().is_none()
                {
                    self.view.confirm_remove = None;
                }
            }
            C::LogIncident {
                terminal,
                task,
                note,
            } => self.log_incident(terminal, task, note, sv),
            C::DismissProblem => self.view.last_problem = None,
            C::ToggleGroup(id) => {
                if !self.view.collapsed.remove(&id) {
                    self.view.collapsed.insert(id);
                }
            }
            C::CollapseAll(fold) => {
                self.view.collapsed = if fold {
                    self.view.board.iter().map(|i| i.terminal).collect()
                } else {
                    Default::default()
                };
            }
            C::ChoosePhoto => {
                let title = sv.lang.tr("Choose a photo", "选择照片").to_string();
                let pictures = sv.lang.tr("Photos", "照片").to_string();
                self.jobs.spawn(sv.egui, move || {
                    PrintJob::Photo(super::jobs::pick_file(
                        &title,
                        (
                            &pictures,
                            &["jpg", "jpeg", "png", "webp", "heic", "heif", "gif", "bmp"],
                        ),
                    ))
                });
            }
            C::SetPhoto(path) => {
                if let Some(form) = self.forms.work.as_mut() {
                    form.photo = path;
                }
            }
            C::OpenPhoto(photo) => shop::open_photo(&photo, sv),
            C::UseStock(item) => shop::use_stock(self, item, sv),
            C::EditStock(item) => {
                if let Some(level) = self.view.stock.iter().find(|s| s.item == item) {
                    self.forms.stock = Some(StockForm::new(level));
                }
            }
            C::SaveStock => shop::save_stock(self, sv),
            C::NewOwnTask => self.forms.own_task = Some(OwnTaskForm::new()),
            C::EditOwnTask(key) => {
                if let Some(t) = self.view.own_tasks().find(|t| t.key == key) {
                    self.forms.own_task = Some(OwnTaskForm::edit(t));
                }
            }
            C::SaveOwnTask => shop::save_own_task(self, sv),
            C::RetireOwnTask { key, confirmed } => shop::retire_own_task(self, key, confirmed, sv),
            C::ShowArchived(show) => self.view.show_archived = show,
            C::NewTerminal => {
                self.forms.terminal = Some(TerminalForm::new());
                if !matches!(self.view.page, MaintenancePage::Terminals) {
                    self.view.page = MaintenancePage::Terminals;
                }
            }
            C::EditTerminal(id) => {
                if let Some(t) = self.view.terminal(id) {
                    self.forms.terminal = Some(TerminalForm::edit(t));
                    self.view.page = MaintenancePage::Terminal(id);
                }
            }
            C::SaveTerminal => self.save_terminal(sv),
            C::Archive(id) => self.archive(id, sv),
            C::Unarchive(id) => self.unarchive(id, sv),
            C::EditPlan(schedule) => self.edit_plan(schedule, sv.today),
            C::SavePlan => self.save_plan(sv),
            C::RemoveTask {
                schedule,
                confirmed,
            } => self.remove_task(schedule, confirmed, sv),
            C::AddTask { terminal, task } => self.add_task(terminal, &task, sv),
            C::SetPaper(paper) => self.view.paper = paper,
            C::SetSheetTerminal(t) => self.view.sheet_terminal = t,
            C::SetSheetWeek(week) => self.view.sheet_week = week,
            C::Print(path) => self.print(print::Output::Print(path), sv),
            C::SaveAsPdf(path) => self.print(print::Output::Save(path), sv),
        }
    }

    /// Esc: in a field it only leaves the field (egui already took the cursor out); else it closes
    /// the open question or form, else goes one page back towards the board.
    fn escape(&mut self, in_field: bool) {
        if in_field {
            return;
        }
        if self.view.confirm_remove.take().is_some()
            || self.forms.scanned.take().is_some()
            || self.forms.work.take().is_some()
            || self.forms.plan.take().is_some()
            || self.forms.terminal.take().is_some()
            || self.forms.stock.take().is_some()
            || self.forms.own_task.take().is_some()
            || self.view.confirm_retire.take().is_some()
        {
            return;
        }
        self.view.page = match self.view.page {
            MaintenancePage::Terminal(_) => MaintenancePage::Terminals,
            _ => MaintenancePage::Board,
        };
    }

    /// The big Done button: all fine, by the remembered person, every missed date covered.
    fn done(&mut self, schedule: ScheduleId, sv: &mut Services<'_>) {
        let Some(item) = self.view.item(schedule).cloned() else {
            sv.warn(not_on_board());
            self.refresh(sv);
            return;
        };
        let entry = DoneEntry::fine(sv.today, &self.view.last_person);
        self.record_done(&item, &entry, sv);
    }

    /// Mark `item` done with `entry`; says what was done and offers Undo. Returns the error, if any,
    /// for a form to show.
    fn record_done(
        &mut self,
        item: &DueItem,
        entry: &DoneEntry,
        sv: &mut Services<'_>,
    ) -> Option<Msg> {
        self.record_done_photo(item, entry, None, sv)
    }

    /// [`Self::record_done`] with a photo kept with the record. A photo that cannot be kept takes
    /// the record back (nothing half-saved) and says why.
    fn record_done_photo(
        &mut self,
        item: &DueItem,
        entry: &DoneEntry,
        photo: Option<&std::path::Path>,
        sv: &mut Services<'_>,
    ) -> Option<Msg> {
        let Some(store) = sv.writable() else {
            return Some(Msg::new("Not saved.", "未保存。"));
        };
        let result = match (store.mark_done(item.schedule, item.through, entry), photo) {
            (Ok(marked), Some(photo)) if marked.changed => match marked.event {
                Some(event) => match store.attach_photo(event, photo) {
                    Ok(_) => Ok(marked),
                    Err(e) => {
                        let undone = store.undo(event);
                        Err(undone.err().unwrap_or(e))
                    }
                },
                None => Ok(marked),
            },
            (other, _) => other,
        };
        let what = described(item);
        let failed = match result {
            Ok(marked) if marked.changed => {
                let covered = if marked.covers > 1 {
                    Msg::new(
                        format!(" ({} dates covered)", marked.covers),
                        format!("（共 {} 次）", marked.covers),
                    )
                } else {
                    Msg::new("", "")
                };
                let msg = Msg::new(
                    format!("Done: {}{}.", what.en, covered.en),
                    format!("已完成：{}{}。", what.zh, covered.zh),
                );
                match marked.event {
                    Some(event) => {
                        if entry.outcome == Outcome::ProblemFound {
                            self.view.last_problem = Some(ProblemFound {
                                event,
                                terminal: item.terminal,
                                task: item.task.key.clone(),
                                terminal_name: item.terminal_name.clone(),
                                title: title_of(&item.task),
                                note: entry.note.trim().to_string(),
                            });
                        }
                        sv.say_with_undo(msg, undo(event));
                    }
                    None => sv.say(msg),
                }
                None
            }
            Ok(_) => {
                sv.say(Msg::new(
                    format!("Already recorded: {}. Nothing changed.", what.en),
                    format!("已经记录过：{}，没有重复记录。", what.zh),
                ));
                None
            }
            Err(e) => {
                let msg = Msg::new("Not saved:", "未保存：").with(&e.explain());
                sv.warn(msg.clone());
                Some(msg)
            }
        };
        self.refresh(sv);
        failed
    }

    fn open_work(&mut self, schedule: ScheduleId, kind: WorkKind) {
        if let Some(item) = self.view.item(schedule) {
            self.forms.work = Some(WorkForm::new(item, kind, &self.view.last_person));
            self.view.selected = self
                .view
                .board
                .iter()
                .position(|i| i.schedule == schedule)
                .unwrap_or(self.view.selected);
        }
    }

    fn save_done(&mut self, sv: &mut Services<'_>) {
        let Some(form) = self.forms.work.clone() else {
            return;
        };
        let Some(item) = self.view.item(form.schedule).cloned() else {
            self.forms.work = None;
            sv.warn(not_on_board());
            return;
        };
        let value = form.value.trim();
        let entry = DoneEntry {
            done_on: sv.today,
            by: form.by.clone(),
            outcome: form.outcome,
            note: form.note.clone(),
            value: (item.task.value.is_some() && !value.is_empty()).then(|| value.to_string()),
        };
        match self.record_done_photo(&item, &entry, form.photo.as_deref(), sv) {
            None => self.forms.work = None,
            Some(error) => {
                if let Some(f) = self.forms.work.as_mut() {
                    f.error = Some(error);
                }
            }
        }
    }

    fn save_skip(&mut self, sv: &mut Services<'_>) {
        let Some(form) = self.forms.work.clone() else {
            return;
        };
        let Some(item) = self.view.item(form.schedule).cloned() else {
            self.forms.work = None;
            sv.warn(not_on_board());
            return;
        };
        let today = sv.today;
        let Some(store) = sv.writable() else {
            return;
        };
        let what = described(&item);
        match store.skip(item.schedule, item.through, today, &form.reason, &form.by) {
            Ok(marked) => {
                self.forms.work = None;
                let reason = form.reason.trim();
                let msg = Msg::new(
                    format!("Skipped: {} (reason: {reason}).", what.en),
                    format!("已跳过：{}（原因：{reason}）。", what.zh),
                );
                match marked.event {
                    Some(event) => sv.say_with_undo(msg, undo(event)),
                    None => sv.say(Msg::new(
                        format!("Nothing left to skip: {}.", what.en),
                        format!("没有需要跳过的：{}。", what.zh),
                    )),
                }
                self.refresh(sv);
            }
            Err(e) => self.form_error(
                Msg::new("Not skipped:", "未跳过：").with(&e.explain()),
                true,
            ),
        }
    }

    fn save_snooze(&mut self, days: Option<i64>, sv: &mut Services<'_>) {
        let Some(form) = self.forms.work.clone() else {
            return;
        };
        let Some(item) = self.view.item(form.schedule).cloned() else {
            self.forms.work = None;
            sv.warn(not_on_board());
            return;
        };
        let not_snoozed = Msg::new("Not snoozed:", "未推迟：");
        // The reason first: it is what the clerk must add, whatever the date.
        if let Err(e) = checked_reason(&form.reason) {
            self.form_error(not_snoozed.with(&e.explain()), true);
            return;
        }
        let today = sv.today;
        let until = match days {
            Some(days) => today.checked_add(jiff::Span::new().days(days)).ok(),
            None => words::parse_date(&form.until),
        };
        let Some(until) = until else {
            self.form_error(
                not_snoozed.with(&Msg::new(
                    format!(
                        "Write the date as year-month-day, e.g. {}.",
                        today.tomorrow().unwrap_or(today)
                    ),
                    format!(
                        "请按“年-月-日”填写日期，例如 {}。",
                        today.tomorrow().unwrap_or(today)
                    ),
                )),
                false,
            );
            return;
        };
        let Some(store) = sv.writable() else {
            return;
        };
        let what = described(&item);
        match store.snooze(item.schedule, today, until, &form.reason, &form.by) {
            Ok(event) => {
                self.forms.work = None;
                let (en, zh) = (
                    words::date(Lang::En, until, today),
                    words::date(Lang::Zh, until, today),
                );
                sv.say_with_undo(
                    Msg::new(
                        format!("Snoozed until {en}: {}.", what.en),
                        format!("已推迟到 {zh}：{}。", what.zh),
                    ),
                    undo(event),
                );
                self.refresh(sv);
            }
            Err(e) => self.form_error(not_snoozed.with(&e.explain()), false),
        }
    }

    /// Show why the form was not saved; with `refocus`, the cursor goes back to its first field
    /// (the reason), which is what needs filling.
    fn form_error(&mut self, msg: Msg, refocus: bool) {
        if let Some(f) = self.forms.work.as_mut() {
            f.error = Some(msg);
            f.focus_pending |= refocus;
        }
    }

    fn save_terminal(&mut self, sv: &mut Services<'_>) {
        let Some(form) = self.forms.terminal.as_mut() else {
            return;
        };
        let not_saved = Msg::new("Not saved:", "未保存：");
        let info = match form.info.checked() {
            Ok(info) => info,
            Err(e) => {
                form.error = Some(not_saved.with(&e.explain()));
                return;
            }
        };
        let editing = form.editing;
        let today = sv.today;
        let Some(store) = sv.writable() else {
            return;
        };
        let saved = match editing {
            Some(id) => store.edit_terminal(id, &info),
            None => store.add_terminal(&info),
        };
        match saved {
            Ok(t) => {
                self.forms.terminal = None;
                let name = t.info.name.clone();
                let msg = match editing {
                    Some(_) => Msg::new(format!("Saved {name}."), format!("已保存“{name}”。")),
                    None => {
                        let (tasks, due) = match store.terminal_tasks(t.id, today) {
                            Ok(tasks) => {
                                let due = tasks
                                    .iter()
                                    .filter(|s| {
                                        s.status.as_ref().is_some_and(|st| {
                                            matches!(
                                                st.state,
                                                Some(DueState::Due | DueState::Overdue)
                                            )
                                        })
                                    })
                                    .count();
                                (tasks.len(), due)
                            }
                            Err(_) => (0, 0),
                        };
                        Msg::new(
                            format!("Added {name}: {tasks} tasks, {due} due today."),
                            format!("已添加“{name}”：{tasks} 项任务，今天要做 {due} 项。"),
                        )
                    }
                };
                self.view.page = MaintenancePage::Terminal(t.id);
                sv.say(msg);
                self.refresh(sv);
            }
            Err(e) => {
                if let Some(form) = self.forms.terminal.as_mut() {
                    form.error = Some(not_saved.with(&e.explain()));
                }
            }
        }
    }

    fn archive(&mut self, id: TerminalId, sv: &mut Services<'_>) {
        let name = self.terminal_name(id);
        let Some(store) = sv.writable() else {
            return;
        };
        match store.archive_terminal(id) {
            Ok(()) => {
                self.forms.terminal = None;
                sv.say_with_undo(
                    Msg::new(
                        format!("Archived {name}: it is off the board and the checklists; its history is kept."),
                        format!("已停用“{name}”：不再出现在待办和检查表上，历史记录保留。"),
                    ),
                    MaintenanceCommand::Unarchive(id).into(),
                );
                self.refresh(sv);
            }
            Err(e) => sv.warn(Msg::new("Not archived:", "未停用：").with(&e.explain())),
        }
    }

    fn unarchive(&mut self, id: TerminalId, sv: &mut Services<'_>) {
        let name = self.terminal_name(id);
        let Some(store) = sv.writable() else {
            return;
        };
        match store.unarchive_terminal(id) {
            Ok(()) => {
                sv.say(Msg::new(
                    format!("{name} is back in service."),
                    format!("“{name}”已恢复使用。"),
                ));
                self.refresh(sv);
            }
            Err(e) => sv.warn(Msg::new("Not restored:", "未恢复：").with(&e.explain())),
        }
    }

    fn terminal_name(&self, id: TerminalId) -> String {
        self.view
            .terminal(id)
            .map(|t| t.info.name.clone())
            .unwrap_or_default()
    }

    fn page_task(&self, schedule: ScheduleId) -> Option<&TaskStatus> {
        self.view
            .terminal_page
            .as_ref()
            .and_then(|p| p.tasks.iter().find(|t| t.schedule == schedule))
    }

    fn edit_plan(&mut self, schedule: ScheduleId, today: Date) {
        if let Some(task) = self.page_task(schedule) {
            self.forms.plan = Some(PlanForm::new(task, today));
            self.view.confirm_remove = None;
        }
    }

    fn save_plan(&mut self, sv: &mut Services<'_>) {
        let Some(form) = self.forms.plan.as_mut() else {
            return;
        };
        let not_saved = Msg::new("Not changed:", "未修改：");
        let plan = match form.plan() {
            Ok(plan) => plan,
            Err(e) => {
                form.error = Some(not_saved.with(&e));
                return;
            }
        };
        let schedule = form.schedule;
        let title = self.page_task(schedule).map(|t| title_of(&t.task));
        let Some(store) = sv.writable() else {
            return;
        };
        match store.change_plan(schedule, plan) {
            Ok(()) => {
                self.forms.plan = None;
                let how = plan.interval.describe();
                let title = title.unwrap_or_else(|| Msg::new("", ""));
                sv.say(Msg::new(
                    format!("Changed: {} now {}, from {}.", title.en, how.en, plan.start),
                    format!(
                        "已修改：{}改为{}，从 {} 开始。",
                        title.zh, how.zh, plan.start
                    ),
                ));
                self.refresh(sv);
            }
            Err(e) => {
                if let Some(form) = self.forms.plan.as_mut() {
                    form.error = Some(not_saved.with(&e.explain()));
                }
            }
        }
    }

    fn remove_task(&mut self, schedule: ScheduleId, confirmed: bool, sv: &mut Services<'_>) {
        if !confirmed {
            self.view.confirm_remove = Some(schedule);
            self.forms.plan = None;
            return;
        }
        self.view.confirm_remove = None;
        let title = self.page_task(schedule).map(|t| title_of(&t.task));
        let Some(store) = sv.writable() else {
            return;
        };
        match store.remove_task(schedule) {
            Ok(()) => {
                let title = title.unwrap_or_else(|| Msg::new("", ""));
                sv.say(Msg::new(
                    format!("Removed {}; its history stays.", title.en),
                    format!("已移除“{}”，历史记录保留。", title.zh),
                ));
                self.refresh(sv);
            }
            Err(e) => sv.warn(Msg::new("Not removed:", "未移除：").with(&e.explain())),
        }
    }

    fn add_task(&mut self, terminal: TerminalId, key: &str, sv: &mut Services<'_>) {
        let title = self
            .view
            .templates
            .iter()
            .find(|t| t.key == key)
            .map(title_of)
            .unwrap_or_else(|| Msg::new(key, key));
        let Some(store) = sv.writable() else {
            return;
        };
        match store.add_task(terminal, key, None) {
            Ok(_) => {
                self.forms.add_task.clear();
                sv.say(Msg::new(
                    format!("Added the task {}.", title.en),
                    format!("已添加任务“{}”。", title.zh),
                ));
                self.refresh(sv);
            }
            Err(e) => sv.warn(Msg::new("Not added:", "未添加：").with(&e.explain())),
        }
    }

    fn print(&mut self, output: print::Output, sv: &mut Services<'_>) {
        if self.busy() {
            sv.warn(Msg::new(
                "A checklist is still being written; try again when it is done.",
                "还有检查表正在生成，完成后再试。",
            ));
            return;
        }
        print::start(&mut self.jobs, &self.view, output, sv);
    }

    /// A printed line's barcode, from any screen: what the paper says, checked against the task as it
    /// stands now; recorded at once when the till's clerk is known and no value is asked for, else the
    /// scan form asks (and the app shows the Maintenance screen).
    fn scanned(&mut self, code: ScanCode, sv: &mut Services<'_>) {
        if self.forms.scanned.is_some() {
            // One question at a time: this scan waits for the open form.
            if !self.view.pending_scans.contains(&code) {
                self.view.pending_scans.push(code);
            }
            return;
        }
        let today = sv.today;
        let Some(store) = sv.writable() else {
            return;
        };
        let verdict = match store.check_scan(code, today) {
            Ok(v) => v,
            Err(e) => {
                sv.warn(e.explain());
                return;
            }
        };
        let ScanVerdict::Ready {
            line,
            mark,
            done_on,
            missed,
        } = verdict
        else {
            let (msg, is_error) = refusal(&verdict, today);
            if is_error {
                sv.warn(msg);
            } else {
                sv.say(msg);
            }
            return;
        };
        let form = ScanForm {
            by: self
                .view
                .scan_clerk
                .clone()
                .unwrap_or_else(|| self.view.last_person.clone()),
            remember: true,
            value: String::new(),
            error: None,
            focus_pending: true,
            line,
            mark,
            done_on,
            missed,
        };
        if form.line.task.value.is_some() || self.view.scan_clerk.is_none() {
            self.forms.scanned = Some(form);
            self.forms.work = None;
            self.view.page = MaintenancePage::Board;
            return;
        }
        self.record_scan(form, sv);
    }

    /// The scan form's Save: record it, remember the clerk if asked, then take the next waiting scan.
    fn save_scan(&mut self, sv: &mut Services<'_>) {
        let Some(form) = self.forms.scanned.take() else {
            return;
        };
        if form.remember && !form.by.trim().is_empty() {
            self.view.scan_clerk = Some(form.by.trim().to_string());
        }
        if let Some(form) = self.record_scan(form, sv) {
            self.forms.scanned = Some(form);
            return;
        }
        for code in std::mem::take(&mut self.view.pending_scans) {
            self.scanned(code, sv);
        }
    }

    /// Write a scan; gives the form back with the reason when the store refuses it (a value out of
    /// range), so the clerk can correct it.
    fn record_scan(&mut self, mut form: ScanForm, sv: &mut Services<'_>) -> Option<ScanForm> {
        let value = form.value.trim();
        let entry = DoneEntry {
            done_on: form.done_on,
            by: form.by.trim().to_string(),
            outcome: Outcome::AllFine,
            note: String::new(),
            value: (form.line.task.value.is_some() && !value.is_empty()).then(|| value.to_string()),
        };
        let store = sv.writable()?;
        let line = &form.line;
        let what = Msg::new(
            format!("{} on {}", line.task.title_en, line.terminal_name),
            format!("{} 的“{}”", line.terminal_name, line.task.title_zh),
        );
        let date = line.code.date;
        match store.record_scan(line.schedule, form.mark, &entry) {
            Ok(marked) if marked.changed => {
                let covered = if marked.covers > 1 {
                    Msg::new(
                        format!(", {} dates covered", marked.covers),
                        format!("，共 {} 次", marked.covers),
                    )
                } else {
                    Msg::new("", "")
                };
                let on = form.done_on;
                let by = if entry.by.is_empty() {
                    Msg::new("", "")
                } else {
                    Msg::new(
                        format!(", by {}", entry.by),
                        format!("，完成人 {}", entry.by),
                    )
                };
                let msg = Msg::new(
                    format!(
                        "Done from the sheet: {} ({on}{}{}).",
                        what.en, covered.en, by.en
                    ),
                    format!(
                        "已按清单记录完成：{}（{on}{}{}）。",
                        what.zh, covered.zh, by.zh
                    ),
                );
                match marked.event {
                    Some(event) => sv.say_with_undo(msg, undo(event)),
                    None => sv.say(msg),
                }
            }
            Ok(_) => sv.say(Msg::new(
                format!("Already recorded: {} ({date}). Nothing changed.", what.en),
                format!("已经记录过：{}（{date}），没有重复记录。", what.zh),
            )),
            Err(e) => {
                let msg = Msg::new("Not recorded:", "未记录：").with(&e.explain());
                if matches!(e, crate::store::StoreError::Maintenance(_)) {
                    form.error = Some(msg);
                    form.focus_pending = true;
                    return Some(form);
                }
                sv.warn(msg);
            }
        }
        self.refresh(sv);
        None
    }

    /// Something a scanner read that is not a checklist line: say so, change nothing.
    fn scanned_other(&mut self, text: &str, sv: &mut Services<'_>) {
        let shown: String = text.chars().take(40).collect();
        let msg = if crate::domain::scan::is_product_code(text) {
            Msg::new(
                format!(
                    "{shown} is a product barcode, not a line of a maintenance checklist. Nothing changed."
                ),
                format!("{shown} 是商品条码，不是维护检查表上的条码。没有任何改动。"),
            )
        } else {
            Msg::new(
                format!("The scanner read {shown}: not a posdesk checklist code. Nothing changed."),
                format!("扫码枪读到 {shown}：不是 posdesk 检查表的条码。没有任何改动。"),
            )
        };
        sv.warn(msg);
    }
}

/// Why a scan records nothing, in words the clerk can act on; `true` when it is a warning.
fn refusal(verdict: &ScanVerdict, today: Date) -> (Msg, bool) {
    let what = |l: &ScannedLine| {
        Msg::new(
            format!("{} on {}", l.task.title_en, l.terminal_name),
            format!("{} 的“{}”", l.terminal_name, l.task.title_zh),
        )
    };
    let day = |d: Date| {
        Msg::new(
            words::date(Lang::En, d, today),
            words::date(Lang::Zh, d, today),
        )
    };
    match verdict {
        ScanVerdict::Unknown | ScanVerdict::Ready { .. } => (
            Msg::new(
                "That code is not a task on any terminal's checklist here. Nothing changed.",
                "这个条码不是本店任何终端检查表上的任务。没有任何改动。",
            ),
            true,
        ),
        ScanVerdict::Removed(l) => {
            let w = what(l);
            (
                Msg::new(
                    format!(
                        "{} was taken off the terminal after this sheet was printed. Nothing recorded.",
                        w.en
                    ),
                    format!("{}在打印这张检查表之后已被移除。未记录。", w.zh),
                ),
                true,
            )
        }
        ScanVerdict::Archived(l) => (
            Msg::new(
                format!(
                    "{} is out of service (archived). Nothing recorded.",
                    l.terminal_name
                ),
                format!("“{}”已停用。未记录。", l.terminal_name),
            ),
            true,
        ),
        ScanVerdict::Future { line, day: d } => {
            let (w, when) = (what(line), day(*d));
            (
                Msg::new(
                    format!(
                        "This line is for {} ({d}): {} cannot be recorded before that day. Nothing recorded.",
                        when.en, w.en
                    ),
                    format!(
                        "这一行是 {}（{d}）的：{}不能提前记录。未记录。",
                        when.zh, w.zh
                    ),
                ),
                true,
            )
        }
        ScanVerdict::WeekOver { line, first, last } => {
            let w = what(line);
            (
                Msg::new(
                    format!(
                        "This sheet is for the week {first} – {last}, which is over ({}). Scan this week's sheet. Nothing recorded.",
                        w.en
                    ),
                    format!(
                        "这张是 {first} 至 {last} 那一周的检查表，已经过去了（{}）。请扫描本周的检查表。未记录。",
                        w.zh
                    ),
                ),
                true,
            )
        }
        ScanVerdict::Changed(l) => {
            let w = what(l);
            let d = l.code.date;
            (
                Msg::new(
                    format!(
                        "This line ({d}) is from a sheet printed before {} was changed: {d} is no longer one of its days. Print a new sheet. Nothing recorded.",
                        w.en
                    ),
                    format!(
                        "这一行（{d}）来自{}修改之前打印的检查表：{d} 已不是它要做的日子。请重新打印。未记录。",
                        w.zh
                    ),
                ),
                true,
            )
        }
        ScanVerdict::AlreadyDone(l) => {
            let w = what(l);
            (
                Msg::new(
                    format!("Already recorded: {}. Nothing changed.", w.en),
                    format!("已经记录过：{}，没有重复记录。", w.zh),
                ),
                false,
            )
        }
        ScanVerdict::NotDue { line, next } => {
            let (w, when) = (what(line), day(*next));
            (
                Msg::new(
                    format!(
                        "{} is not due until {} ({next}). Nothing recorded.",
                        w.en, when.en
                    ),
                    format!("{}要到 {}（{next}）才需要做。未记录。", w.zh, when.zh),
                ),
                true,
            )
        }
    }
}

/// What `refresh` reads, all or nothing.
struct Read {
    board: Vec<DueItem>,
    next_due: Option<NextDue>,
    person: String,
    terminals: Vec<Terminal>,
    templates: Vec<TaskTemplate>,
    page: Option<TerminalPage>,
    stock: Vec<StockLevel>,
}

fn read_all(store: &Store, view: &MaintenanceView, today: Date) -> crate::store::Result<Read> {
    let board = grouped(store.due_board(today)?);
    let terminals = store.terminals(true)?;
    let next_due = if board.iter().any(|i| i.state != DueState::Soon) {
        None
    } else {
        next_due(store, &terminals, today)?
    };
    let page = match view.page {
        MaintenancePage::Terminal(id) => match store.terminal(id)? {
            Some(terminal) => Some(TerminalPage {
                tasks: store.terminal_tasks(id, today)?,
                history: store.history(id, None, HISTORY_LIMIT)?,
                terminal,
            }),
            None => None,
        },
        _ => None,
    };
    Ok(Read {
        board,
        next_due,
        person: store.last_person()?.unwrap_or_default(),
        terminals,
        templates: store.templates()?,
        page,
        stock: store.stock()?,
    })
}

/// The board grouped by terminal (by name as people count: Store 2 before Store 10), within each
/// overdue, then due today, then due soon, as the store sorts them. Rows only ever leave as tasks
/// are done; none jumps from one till to another.
fn grouped(mut board: Vec<DueItem>) -> Vec<DueItem> {
    // Stable: each terminal's rows keep the store's order.
    board.sort_by(|a, b| {
        natural_cmp(&a.terminal_name, &b.terminal_name).then_with(|| a.terminal.cmp(&b.terminal))
    });
    board
}

/// The earliest due date after today among the terminals in service.
fn next_due(
    store: &Store,
    terminals: &[Terminal],
    today: Date,
) -> crate::store::Result<Option<NextDue>> {
    let mut best: Option<NextDue> = None;
    for t in terminals.iter().filter(|t| !t.is_archived()) {
        for task in store.terminal_tasks(t.id, today)? {
            let Some(status) = task.status else {
                continue;
            };
            if status.due_on <= today {
                continue;
            }
            if best.as_ref().is_none_or(|b| status.due_on < b.due_on) {
                best = Some(NextDue {
                    terminal_name: t.info.name.clone(),
                    title: title_of(&task.task),
                    due_on: status.due_on,
                });
            }
        }
    }
    Ok(best)
}

fn title_of(task: &TaskTemplate) -> Msg {
    Msg::new(task.title_en.clone(), task.title_zh.clone())
}

/// "Check the receipt paper on Till 2" / "Till 2 的“检查小票纸”".
fn described(item: &DueItem) -> Msg {
    let name = &item.terminal_name;
    Msg::new(
        format!("{} on {name}", item.task.title_en),
        format!("{name} 的“{}”", item.task.title_zh),
    )
}

fn not_on_board() -> Msg {
    Msg::new(
        "That task is no longer due (it was done or changed meanwhile).",
        "这项任务已不再待办（可能已完成或被修改）。",
    )
}

fn undo(event: EventId) -> Command {
    MaintenanceCommand::Undo(event).into()
}

/// An interval and its words, for the terminal page.
fn interval_words(interval: Interval, lang: Lang) -> String {
    interval.describe().get(lang).to_string()
}

/// A plan in words: "every day" / "every 2 weeks after it was last done".
fn plan_words(plan: &Plan, lang: Lang) -> String {
    let how = interval_words(plan.interval, lang);
    match plan.recurrence {
        crate::domain::maintenance::Recurrence::Calendar => how,
        crate::domain::maintenance::Recurrence::AfterDone => match lang {
            Lang::En => format!("{how}, after it was last done"),
            Lang::Zh => format!("{how}（从上次完成算起）"),
        },
    }
}

/// Draw the Maintenance screen.
pub fn maintenance_ui(
    ui: &mut egui::Ui,
    view: &MaintenanceView,
    forms: &mut MaintenanceForms,
    shared: &Shared,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    let mut push = |c: MaintenanceCommand| out.push(c.into());
    keys::keys(ui.ctx(), view, forms, &mut push);
    egui::Panel::top("maintenance_nav")
        .resizable(false)
        .show(ui, |ui| board::nav_ui(ui, view, shared, lang, &mut push));
    egui::CentralPanel::default().show(ui, |ui| match view.page {
        MaintenancePage::Board => board::board_ui(ui, view, forms, shared.today, lang, &mut push),
        MaintenancePage::Terminals => match forms.terminal.as_mut() {
            Some(form) => terminals::terminal_form_ui(ui, form, lang, &mut push),
            None => terminals::list_ui(ui, view, lang, &mut push),
        },
        MaintenancePage::Terminal(_) => match forms.terminal.as_mut() {
            Some(form) => terminals::terminal_form_ui(ui, form, lang, &mut push),
            None => terminals::page_ui(ui, view, forms, shared.today, lang, &mut push),
        },
        MaintenancePage::Print => print::print_ui(ui, view, lang, &mut push),
        MaintenancePage::Shop => shop::shop_ui(ui, view, forms, lang, &mut push),
    });
}
