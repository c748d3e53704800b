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
    KeepingPhoto, MaintenanceForms, OwnTaskForm, PlanForm, ScanForm, StockForm, TerminalForm,
    WorkForm, WorkKind,
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

mod edits;
mod scans;
mod work;

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
    /// The dones whose photo is on a worker, and whether the done was undone meanwhile (then what
    /// becomes of the photo is not news: Undo took it too).
    photos_going: std::collections::BTreeMap<EventId, bool>,
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
            photos_going: Default::default(),
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
                PrintJob::PhotoKept {
                    event,
                    what,
                    masked,
                    result,
                } => self.photo_kept(event, &what, masked, result, sv),
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
            && form.keeping.is_none()
            && self.view.item(form.schedule).is_none()
        {
            // Done elsewhere meanwhile (a scan, another window): the form has nothing left to do.
            // (Once its own done is recorded, it stays for the photo being kept.)
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
                    Ok(()) => {
                        sv.say(Msg::new("Undone.", "已撤销。"));
                        self.undone_while_keeping(event);
                    }
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
