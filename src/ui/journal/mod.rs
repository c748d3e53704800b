//! The Journal screen: incidents newest first, filters and search, an incident's detail and
//! timeline, the new-incident form, statistics, unknown codes and the repeat warning.
//! `JournalState::handle` is the only place that changes it; the drawing functions read
//! `JournalView` and edit only the text of open forms (`JournalForms`).
//!
//! The list is never read whole: `view.rows` is a cache of the pages read so far (keyset paging,
//! [`PAGE_SIZE`] rows a page, the next page read when the last rows come into view), and the table
//! lays out only the visible rows.
//!
//! Statistics over a large journal can take longer than a frame (the library measures ~130 ms for 90
//! days of a million incidents), so for a journal kept in a file they run on a worker over a second
//! connection to the same database; an in-memory journal (tests) is small and answers inline.

mod detail;
pub(crate) mod files;
mod form;
mod list;
mod stats;
mod unknown;
mod words;

pub use files::JournalJob;
pub use form::{IncidentFields, IncidentForm, StepRow, parse_amount};

use super::command::{
    CodesCommand, Command, JournalCommand, JournalPage, NewIncident, ReportScope, Route,
    ShellCommand,
};
use super::jobs::Jobs;
use super::services::{Services, Shared};
use super::theme::{self, size};
use crate::domain::advice::Advice;
use crate::domain::incident::{
    Cursor, Incident, IncidentFilter, IncidentId, IncidentStatus, IncidentSummary, JournalStats,
    RepeatAlert, RepeatRule, UnknownCode,
};
use crate::i18n::{Explain, Label, Lang, Msg};
use crate::store::Store;
use eframe::egui::{self, Key, KeyboardShortcut, Modifiers, RichText};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

mod entries;

/// Rows read from the store at a time.
pub const PAGE_SIZE: usize = 100;
/// The statistics' periods, in days.
pub const STATS_DAYS: [u32; 3] = [7, 30, 90];
/// The side of a photo's thumbnail, in points.
pub const THUMB_SIZE: u32 = 160;

/// A photo's thumbnail: being decoded on a worker, on the GPU, or not a picture after all.
pub enum Thumb {
    Loading,
    Ready(egui::TextureHandle),
    Failed,
}

/// Thumbnails by attachment id, kept while the app runs (opening an incident again costs nothing).
#[derive(Default)]
pub struct Thumbs(pub HashMap<i64, Thumb>);

impl std::fmt::Debug for Thumbs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Thumbs({} cached)", self.0.len())
    }
}

/// What the screen shows; drawn from, changed only by `handle`.
#[derive(Debug)]
pub struct JournalView {
    pub page: JournalPage,
    /// Codes seen 3 or more times on one terminal within 14 days (shared with the Codes screen's
    /// cards: published to `Shared::repeats` each time it is read).
    pub repeats: Arc<Vec<RepeatAlert>>,
    /// The prefill of the new-incident form, while it is open.
    pub new: Option<NewIncident>,
    /// The form asks "discard your changes?".
    pub ask_discard: bool,
    /// The filter the list shows (status and terminal chosen, the typed ones as last read).
    pub filter: IncidentFilter,
    /// What the terminal filter offers: every terminal named in the journal, and the shop's
    /// registered ones, sorted.
    pub terminals: Vec<String>,
    /// Why a typed filter (a date) was not understood.
    pub filter_error: Option<Msg>,
    /// The pages read so far, newest first: the page cache the table draws from.
    pub rows: Vec<IncidentSummary>,
    /// Where the next page starts, when there may be more.
    pub next: Option<Cursor>,
    /// How many incidents the filter matches in all.
    pub total: u64,
    /// The chosen row (Enter opens it).
    pub selected: usize,
    /// Bumped when the choice moves by key, so the table scrolls to it once.
    pub select_generation: u64,
    /// The incident whose detail is open.
    pub detail: Option<Incident>,
    pub unknown: Vec<UnknownCode>,
    pub stats_days: u32,
    pub stats: Option<JournalStats>,
    pub thumbs: Thumbs,
    /// The last file written (export or PDF), shown under the buttons.
    pub last_file: Option<PathBuf>,
    /// Files being copied into the data folder on a worker, with their progress.
    pub attaching: Vec<files::Attaching>,
}

impl Default for JournalView {
    fn default() -> Self {
        JournalView {
            page: JournalPage::List,
            repeats: Arc::default(),
            new: None,
            ask_discard: false,
            filter: IncidentFilter::default(),
            terminals: Vec::new(),
            filter_error: None,
            rows: Vec::new(),
            next: None,
            total: 0,
            selected: 0,
            select_generation: 0,
            detail: None,
            unknown: Vec::new(),
            stats_days: 30,
            stats: None,
            thumbs: Thumbs::default(),
            last_file: None,
            attaching: Vec::new(),
        }
    }
}

impl JournalView {
    pub fn chosen(&self) -> Option<&IncidentSummary> {
        self.rows.get(self.selected)
    }

    /// Whether any filter narrows the list.
    pub fn filtered(&self) -> bool {
        self.filter != IncidentFilter::default()
    }
}

/// Text being typed into the screen's forms and filters.
#[derive(Debug, Default)]
pub struct JournalForms {
    pub incident: Option<IncidentForm>,
    /// The next timeline note for the open incident.
    pub note: String,
    /// How the open incident was resolved.
    pub resolution: String,
    /// The list's typed filters: search words, a code, from and until dates (year-month-day).
    pub search: String,
    pub code: String,
    pub from: String,
    pub until: String,
}

pub struct JournalState {
    pub view: JournalView,
    pub forms: JournalForms,
    jobs: Jobs<JournalJob>,
}

impl Default for JournalState {
    fn default() -> Self {
        JournalState::new()
    }
}

impl JournalState {
    pub fn new() -> JournalState {
        JournalState {
            view: JournalView::default(),
            forms: JournalForms::default(),
            jobs: Jobs::default(),
        }
    }

    /// What the new-incident form was opened with, while it is open.
    pub fn prefill(&self) -> Option<&NewIncident> {
        self.view.new.as_ref()
    }

    /// How many list rows are held in memory (the page cache), however long the journal.
    pub fn cached_rows(&self) -> usize {
        self.view.rows.len()
    }

    pub fn busy(&self) -> bool {
        self.jobs.running() > 0
    }

    pub fn finish_jobs(&mut self, sv: &mut Services<'_>) {
        for job in self.jobs.finished() {
            files::apply(job, self, sv);
        }
    }

    /// Read what the screen shows again (and the repeat warnings every screen shows).
    pub fn refresh(&mut self, sv: &mut Services<'_>) {
        let Some(store) = sv.data.store() else {
            return;
        };
        let book = &*sv.book;
        let counts = |code: &str, scheme| book.points_at_equipment(code, scheme);
        let repeats = store.repeats(&RepeatRule::STANDARD, None, counts);
        let terminals = store.incident_terminals().map(|mut names| {
            names.extend(sv.terminals.iter().map(|t| t.info.name.clone()));
            names.sort();
            names.dedup();
            names
        });
        match repeats {
            Ok(repeats) => {
                self.view.repeats = Arc::new(repeats);
                *sv.repeats = Arc::clone(&self.view.repeats);
            }
            Err(e) => sv.warn(e.explain()),
        }
        match terminals {
            Ok(names) => self.view.terminals = names,
            Err(e) => sv.warn(e.explain()),
        }
        self.reload_list(sv);
        self.reload_detail(sv);
        match self.view.page {
            JournalPage::List => {}
            JournalPage::Unknown => self.reload_unknown(sv),
            JournalPage::Stats => self.reload_stats(sv),
        }
    }

    /// Read the first page again for the current filter, keeping the chosen incident chosen.
    fn reload_list(&mut self, sv: &mut Services<'_>) {
        let Some(store) = sv.data.store() else {
            return;
        };
        let keep = self.view.chosen().map(|r| r.id);
        let read = store
            .list_incidents(&self.view.filter, None, PAGE_SIZE)
            .and_then(|page| {
                store
                    .count_incidents(&self.view.filter)
                    .map(|total| (page, total))
            });
        match read {
            Ok((page, total)) => {
                self.view.rows = page.rows;
                self.view.next = page.next;
                self.view.total = total;
                self.view.selected = keep
                    .and_then(|id| self.view.rows.iter().position(|r| r.id == id))
                    .unwrap_or(0);
            }
            Err(e) => sv.warn(e.explain()),
        }
    }

    fn load_more(&mut self, sv: &mut Services<'_>) {
        let Some(after) = self.view.next else {
            return;
        };
        let Some(store) = sv.data.store() else {
            return;
        };
        match store.list_incidents(&self.view.filter, Some(after), PAGE_SIZE) {
            Ok(page) => {
                self.view.rows.extend(page.rows);
                self.view.next = page.next;
            }
            Err(e) => {
                self.view.next = None;
                sv.warn(e.explain());
            }
        }
    }

    fn reload_detail(&mut self, sv: &mut Services<'_>) {
        let Some(id) = self.view.detail.as_ref().map(|d| d.id) else {
            return;
        };
        self.open(id, sv);
    }

    fn open(&mut self, id: IncidentId, sv: &mut Services<'_>) {
        let Some(store) = sv.data.store() else {
            return;
        };
        match store.incident(id) {
            Ok(incident) => {
                if self.view.detail.as_ref().is_none_or(|d| d.id != id) {
                    self.forms.note.clear();
                    self.forms.resolution.clear();
                }
                files::start_thumbs(&mut self.jobs, &mut self.view.thumbs, store, &incident, sv);
                self.view.detail = Some(incident);
                if let Some(row) = self.view.rows.iter().position(|r| r.id == id) {
                    self.view.selected = row;
                }
            }
            Err(e) => {
                self.view.detail = None;
                sv.warn(e.explain());
            }
        }
    }

    fn reload_unknown(&mut self, sv: &mut Services<'_>) {
        let Some(store) = sv.data.store() else {
            return;
        };
        let book = &*sv.book;
        match store.unknown_codes(|key| !book.find(key, None, None).is_empty()) {
            Ok(unknown) => self.view.unknown = unknown,
            Err(e) => sv.warn(e.explain()),
        }
    }

    fn reload_stats(&mut self, sv: &mut Services<'_>) {
        files::start_stats(&mut self.jobs, self.view.stats_days, sv);
    }

    pub fn handle(&mut self, command: JournalCommand, sv: &mut Services<'_>) {
        use JournalCommand as C;
        match command {
            C::Refresh => self.refresh(sv),
            C::New(prefill) => self.open_form(*prefill, sv),
            C::Escape { in_field } => self.escape(in_field),
            C::Show(page) => {
                self.view.page = page;
                self.view.detail = None;
                self.refresh(sv);
            }
            C::FilterChanged => self.read_typed_filters(sv),
            C::SetStatusFilter(status) => {
                self.view.filter.status = status;
                self.reload_list(sv);
            }
            C::SetTerminalFilter(terminal) => {
                self.view.filter.terminal = terminal;
                self.reload_list(sv);
            }
            C::ShowRepeat { code, terminal } => {
                // The incidents the warning counted: from the day of the first of them on, not all
                // the terminal's history with that code.
                let first = self
                    .view
                    .repeats
                    .iter()
                    .find(|a| a.code == code && a.terminal == terminal)
                    .map(|a| a.hit.first);
                self.forms.from = first
                    .map(|t| t.to_zoned(jiff::tz::TimeZone::system()).date().to_string())
                    .unwrap_or_default();
                self.forms.until.clear();
                self.forms.code = code;
                self.view.filter.terminal = (!terminal.is_empty()).then_some(terminal);
                self.view.page = JournalPage::List;
                self.view.detail = None;
                self.read_typed_filters(sv);
            }
            C::ClearFilters => {
                self.forms.search.clear();
                self.forms.code.clear();
                self.forms.from.clear();
                self.forms.until.clear();
                self.view.filter = IncidentFilter::default();
                self.view.filter_error = None;
                self.reload_list(sv);
            }
            C::LoadMore => self.load_more(sv),
            C::Select(row) => {
                if row < self.view.rows.len() {
                    self.view.selected = row;
                }
            }
            C::Move(delta) => {
                let last = self.view.rows.len().saturating_sub(1);
                self.view.selected = self.view.selected.saturating_add_signed(delta).min(last);
                self.view.select_generation += 1;
                if self.view.selected + 10 >= self.view.rows.len() {
                    self.load_more(sv);
                }
            }
            C::OpenChosen => {
                if let Some(id) = self.view.chosen().map(|r| r.id) {
                    self.open(id, sv);
                }
            }
            C::Open(id) => self.open(id, sv),
            C::CloseDetail => self.view.detail = None,
            C::Edit => {
                if let Some(d) = &self.view.detail {
                    self.forms.incident = Some(IncidentForm::edit(d));
                    self.view.ask_discard = false;
                }
            }
            C::SaveForm => self.save_form(sv),
            C::CloseForm { discard } => {
                if discard || !self.forms.incident.as_ref().is_some_and(|f| f.is_changed()) {
                    self.close_form();
                } else {
                    self.view.ask_discard = true;
                }
            }
            C::KeepEditing => self.view.ask_discard = false,
            C::AddNote => self.add_note(sv),
            C::SetStatus(to) => self.set_status(to, sv),
            C::Resolve => self.resolve(sv),
            C::Reopen => {
                if let Some(id) = self.detail_id() {
                    self.reopen(id, sv);
                }
            }
            C::ReopenIncident(id) => self.reopen(id, sv),
            C::Attach(path) => files::attach(self, path, sv),
            C::Dropped(paths) => {
                for path in paths {
                    files::attach(self, Some(path), sv);
                }
            }
            C::OpenAttachment(id) => files::open_attachment(self, id, sv),
            C::SetStatsDays(days) => {
                self.view.stats_days = days;
                self.reload_stats(sv);
            }
            C::AddOwnCode(code) => {
                // An unknown code from the journal, one click from becoming the shop's own.
                sv.send(ShellCommand::Go(Route::Codes));
                sv.send(CodesCommand::NewCustom(code));
            }
            C::ExportCsv(path) => files::export(&mut self.jobs, path, Format::Csv, sv),
            C::ExportJson(path) => files::export(&mut self.jobs, path, Format::Json, sv),
            C::SavePdf { scope, path } => self.report(scope, files::Output::Save(path), sv),
            C::Print { scope, path } => self.report(scope, files::Output::Print(path), sv),
        }
    }

    fn report(&mut self, scope: ReportScope, output: files::Output, sv: &mut Services<'_>) {
        files::report(&mut self.jobs, &self.view, scope, output, sv);
    }

    /// Esc: the form closes if nothing typed would be lost, else asks (a second Esc keeps editing);
    /// in a field it only leaves the field; else the detail closes, else the other pages go back to
    /// the list.
    fn escape(&mut self, in_field: bool) {
        if let Some(form) = &self.forms.incident {
            if self.view.ask_discard {
                self.view.ask_discard = false;
            } else if form.is_changed() {
                self.view.ask_discard = true;
            } else {
                self.close_form();
            }
            return;
        }
        if in_field {
            return;
        }
        if self.view.detail.take().is_some() {
            return;
        }
        self.view.page = JournalPage::List;
    }
}

/// Which file an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// A status as a clerk reads it: the word, in a colour that matches (never colour alone).
pub fn status_look(status: IncidentStatus, dark: bool) -> (egui::Color32, &'static str) {
    match status {
        IncidentStatus::Open => (theme::advice_look(Advice::CheckFirst, dark).accent, "●"),
        IncidentStatus::Waiting => (theme::advice_look(Advice::AfterFix, dark).accent, "⏳"),
        IncidentStatus::Resolved => (theme::advice_look(Advice::RetryNow, dark).accent, "✔"),
    }
}

pub fn status_text(status: IncidentStatus, lang: Lang, dark: bool) -> RichText {
    let (colour, icon) = status_look(status, dark);
    RichText::new(format!("{icon} {}", status.text(lang)))
        .color(colour)
        .strong()
}

/// Keys taken before the screen is drawn, so the fields never see them: Ctrl+Enter saves the form
/// (or adds the note on an incident's detail); on the list ↑/↓ choose and Enter opens, while nothing
/// but the journal's search box has the keyboard; files dropped on the window attach to the open
/// incident.
fn keys(
    ctx: &egui::Context,
    view: &JournalView,
    forms: &JournalForms,
    push: &mut impl FnMut(JournalCommand),
) {
    let save = KeyboardShortcut::new(Modifiers::COMMAND, Key::Enter);
    if forms.incident.is_some() {
        if ctx.input_mut(|i| i.consume_shortcut(&save)) {
            push(JournalCommand::SaveForm);
        }
        return;
    }
    if view.detail.is_some() {
        if ctx.input_mut(|i| i.consume_shortcut(&save)) {
            if !forms.resolution.trim().is_empty() && forms.note.trim().is_empty() {
                push(JournalCommand::Resolve);
            } else {
                push(JournalCommand::AddNote);
            }
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            push(JournalCommand::Dropped(dropped));
        }
        return;
    }
    if view.page != JournalPage::List || view.rows.is_empty() {
        return;
    }
    let focused = ctx.memory(|m| m.focused());
    if focused.is_some_and(|id| id != list::search_id()) {
        return;
    }
    let (down, up, enter) = ctx.input_mut(|i| {
        (
            i.consume_key(Modifiers::NONE, Key::ArrowDown),
            i.consume_key(Modifiers::NONE, Key::ArrowUp),
            i.consume_key(Modifiers::NONE, Key::Enter),
        )
    });
    if down {
        push(JournalCommand::Move(1));
    }
    if up {
        push(JournalCommand::Move(-1));
    }
    if enter {
        push(JournalCommand::OpenChosen);
    }
}

/// The screen's own tabs and buttons (the repeat warning goes under them, in the page that scrolls).
fn nav_ui(
    ui: &mut egui::Ui,
    view: &JournalView,
    shared: &Shared,
    lang: Lang,
    push: &mut impl FnMut(JournalCommand),
) {
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        let total = view.total;
        let list_name = crate::trf!(lang, "Incidents ({total})", "故障记录（{total}）");
        for (page, name) in [
            (JournalPage::List, list_name),
            (
                JournalPage::Unknown,
                lang.tr("Unknown codes", "未知代码").to_string(),
            ),
            (
                JournalPage::Stats,
                lang.tr("Statistics", "统计").to_string(),
            ),
        ] {
            let on = view.page == page && (page != JournalPage::List || view.detail.is_none());
            let text = RichText::new(name).size(size::LABEL);
            if ui.selectable_label(on, text).clicked() && !on {
                push(JournalCommand::Show(page));
            }
        }
        ui.add_space(8.0);
        let new = egui::Button::new(
            RichText::new(lang.tr("＋ New incident", "＋ 新故障"))
                .size(size::LABEL)
                .strong(),
        )
        .min_size(egui::vec2(150.0, 40.0));
        if ui.add(new).clicked() {
            push(JournalCommand::New(Box::default()));
        }
        ui.menu_button(lang.tr("Export / print…", "导出 / 打印…"), |ui| {
            files::menu_ui(ui, view, lang, push);
        });
        if shared.problem().is_some() {
            ui.label(
                RichText::new(lang.tr("⚠ Nothing can be saved now", "⚠ 暂时不能保存"))
                    .color(ui.visuals().error_fg_color),
            );
        }
    });
    ui.add_space(2.0);
}

/// Same code on the same terminal 3 or more times in 14 days: say so, with that terminal's overdue
/// maintenance, and offer to list those incidents.
fn repeat_banner_ui(
    ui: &mut egui::Ui,
    view: &JournalView,
    shared: &Shared,
    lang: Lang,
    push: &mut impl FnMut(JournalCommand),
) {
    if view.repeats.is_empty() {
        return;
    }
    let look = theme::advice_look(Advice::CheckFirst, ui.visuals().dark_mode);
    egui::Frame::new()
        .fill(look.fill)
        .inner_margin(8)
        .corner_radius(6)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            for alert in view.repeats.iter().take(3) {
                let (code, terminal, n) = (&alert.code, &alert.terminal, alert.hit.count);
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(crate::trf!(
                            lang,
                            "⚠ Code {code} came {n} times on {terminal} in 14 days: the terminal may need service.",
                            "⚠ {terminal} 在 14 天内出现 {n} 次代码 {code}：终端可能需要检修。"
                        ))
                        .color(look.text)
                        .size(size::LABEL)
                        .strong(),
                    );
                    if ui.button(lang.tr("Show them", "查看这些记录")).clicked() {
                        push(JournalCommand::ShowRepeat {
                            code: code.clone(),
                            terminal: terminal.clone(),
                        });
                    }
                });
                let overdue: Vec<&str> = shared
                    .overdue
                    .iter()
                    .filter(|d| d.terminal_name == *terminal)
                    .map(|d| lang.pick(&d.task.title_en, &d.task.title_zh))
                    .collect();
                if !overdue.is_empty() {
                    let tasks = overdue.join(lang.tr(", ", "、"));
                    ui.add(
                        egui::Label::new(
                            RichText::new(crate::trf!(
                                lang,
                                "Overdue maintenance on {terminal}: {tasks}",
                                "{terminal} 有逾期的维护：{tasks}"
                            ))
                            .color(look.text),
                        )
                        .wrap(),
                    );
                }
            }
            let more = view.repeats.len().saturating_sub(3);
            if more > 0 {
                ui.label(
                    RichText::new(crate::trf!(
                        lang,
                        "and {more} more repeats",
                        "还有 {more} 处重复"
                    ))
                    .color(look.text),
                );
            }
        });
    ui.add_space(4.0);
}

/// Draw the Journal screen.
pub fn journal_ui(
    ui: &mut egui::Ui,
    view: &JournalView,
    forms: &mut JournalForms,
    shared: &Shared,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    let mut push = |c: JournalCommand| out.push(c.into());
    keys(ui.ctx(), view, forms, &mut push);
    if let Some(form) = forms.incident.as_mut() {
        let terminals: Vec<String> = shared
            .terminals
            .iter()
            .map(|t| t.info.name.clone())
            .collect();
        egui::CentralPanel::default().show(ui, |ui| {
            form::form_ui(ui, form, view.ask_discard, &terminals, lang, &mut push)
        });
        return;
    }
    egui::Panel::top("journal_nav")
        .resizable(false)
        .show(ui, |ui| nav_ui(ui, view, shared, lang, &mut push));
    egui::CentralPanel::default().show(ui, |ui| {
        // One scroll for the whole page, the repeat warning included: on a small window with large
        // text it scrolls away and nothing below it is out of reach. Each page (and each incident)
        // keeps its own scroll position, so an incident opens at its top.
        let page_height = ui.available_height();
        let scroll_id = match &view.detail {
            Some(d) => egui::Id::unique(("journal_page_incident", d.id)),
            None => egui::Id::unique((
                "journal_page",
                match view.page {
                    JournalPage::List => 0,
                    JournalPage::Unknown => 1,
                    JournalPage::Stats => 2,
                },
            )),
        };
        egui::ScrollArea::vertical()
            .id_salt(scroll_id)
            .auto_shrink([false, false])
            .show(ui, |ui| {
                repeat_banner_ui(ui, view, shared, lang, &mut push);
                if let Some(incident) = &view.detail {
                    detail::detail_ui(ui, incident, view, forms, shared, lang, &mut push);
                    return;
                }
                match view.page {
                    JournalPage::List => {
                        list::list_ui(ui, view, forms, shared, lang, page_height, &mut push)
                    }
                    JournalPage::Unknown => unknown::unknown_ui(ui, view, lang, &mut push),
                    JournalPage::Stats => stats::stats_ui(ui, view, lang, &mut push),
                }
            });
    });
}

/// A second connection to the checked store for a worker, with the app's clock (no checks again).
fn worker_store(store: &Store, clock: crate::clock::Clock) -> Result<Store, Msg> {
    store
        .second_connection()
        .map(|s| s.with_clock(clock))
        .map_err(|e| e.explain())
}
