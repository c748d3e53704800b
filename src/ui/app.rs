//! The app: it owns the data, the screens' states and the shell, and is the one place that applies
//! commands. Screens draw from their state and push commands; `PosdeskApp::handle` routes each command
//! to its screen's `handle` (or the shell's), which changes state through the library.

use super::codes::{self, CodesState};
use super::command::{
    CloseAnswer, CodesCommand, Command, JournalCommand, MaintenanceCommand, Route, ShellCommand,
    ShopScheme,
};
use super::journal::{self, JournalState};
use super::maintenance::{self, MaintenanceState};
use super::messages::Messages;
use super::scanner::{ScanGate, Scanned};
use super::services::{Data, Shared};
use super::settings::{self, SettingsState};
use super::shell::{self, Status};
use super::startup::{self, BundledBook, Opened, Opening};
use super::{fonts, theme};
use crate::clock::Clock;
use crate::codebook::Codebook;
use crate::i18n::{Lang, Msg};
use eframe::egui;
use serde::{Deserialize, Serialize};

/// UI preferences kept by eframe between runs (in `app.ron` in the data folder). Business data never
/// goes here: it lives in SQLite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub lang: Lang,
    /// The text size the clerk asked for; the window may hold less (see `theme::fitting_zoom`).
    pub zoom: f32,
    /// Which codes the shop's terminals show; `None` follows the language.
    pub shop: Option<ShopScheme>,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            lang: Lang::from_system(),
            zoom: 1.0,
            shop: None,
        }
    }
}

impl Prefs {
    /// The preferences eframe kept from the last run, or the defaults.
    pub fn load(storage: Option<&dyn eframe::Storage>) -> Prefs {
        storage
            .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            .unwrap_or_default()
    }
}

pub struct PosdeskApp {
    shared: Shared,
    pub prefs: Prefs,
    pub route: Route,
    pub codes: CodesState,
    pub maintenance: MaintenanceState,
    pub journal: JournalState,
    pub settings: SettingsState,
    commands: Vec<Command>,
    /// Whether the window had the focus last frame: coming back to it reads the data again, so
    /// what another posdesk window saved meanwhile shows here too.
    was_focused: bool,
    /// The zoom last applied, to tell egui's own zoom keys from the window's limit.
    applied_zoom: f32,
    /// When the process started, to report launch-to-first-frame time (`POSDESK_STARTUP_TIMING=1`).
    started: Option<std::time::Instant>,
    /// Takes a till scanner's keys out of every frame before any widget sees them.
    scan_gate: ScanGate,
    /// The message history is open (from the status line).
    history_open: bool,
    /// The window was asked to close with typing not yet saved: the question is showing.
    asking_close: bool,
    /// The clerk agreed to close (saved or discarded): the next close request is let through.
    close_agreed: bool,
    /// The language last kept in the data folder for the command line.
    lang_kept: Option<Lang>,
    /// The data being opened and checked on a worker, while the window already runs.
    opening: Option<Opening>,
    /// The bundled codebook being built at start (see [`startup::BundledBook`]).
    pending_book: Option<BundledBook>,
    /// Commands that need the data, waiting for the check (applied in order once it passed).
    parked: Vec<Command>,
    /// The store's `data_version` when this window last read the data: coming back to the window
    /// reads it again only when another connection changed it since.
    data_version: Option<i64>,
    /// How many times coming back to the window read the data again.
    focus_reloads: u64,
    /// Writes when the first frame was painted, for `scripts/first-frame.sh`.
    first_frame: startup::FirstFrameProbe,
}

/// Typing not yet saved, as the close question names it, with the screen it is on and the command
/// that saves it (none: it can only be saved by hand, on its screen).
pub struct Unsaved {
    pub what: Msg,
    pub route: Route,
    pub save: Option<Command>,
}

impl PosdeskApp {
    /// The app over `data`. When the data could not be opened, the bundled codes still answer
    /// lookups and the problem is shown beside them.
    pub fn new(ctx: &egui::Context, data: Data, prefs: Prefs, clock: Clock) -> PosdeskApp {
        let (book, data) = match data.load_book() {
            Ok(book) => (book, data),
            Err(problem) => {
                let dir = data.store().and_then(|s| s.path()).map(|p| p.to_path_buf());
                let fallback = Data::Unavailable { problem, dir };
                let book = fallback
                    .load_book()
                    .unwrap_or_else(|_| Codebook::new(Vec::new(), Default::default()));
                (book, fallback)
            }
        };
        PosdeskApp::with_book(ctx, data, book, prefs, clock)
    }

    /// The window as a clerk starts it: over data still being checked, with the bundled codebook
    /// still being built on `book` (see [`startup::BundledBook`]); the first frame waits for neither.
    pub fn starting(
        ctx: &egui::Context,
        data: Data,
        book: BundledBook,
        prefs: Prefs,
        clock: Clock,
    ) -> PosdeskApp {
        let mut app = PosdeskApp::with_book(ctx, data, Codebook::empty(), prefs, clock);
        app.shared.book_pending = true;
        app.pending_book = Some(book);
        app
    }

    fn with_book(
        ctx: &egui::Context,
        data: Data,
        book: Codebook,
        prefs: Prefs,
        clock: Clock,
    ) -> PosdeskApp {
        fonts::install(ctx);
        theme::apply(ctx);
        ctx.set_zoom_factor(prefs.zoom.clamp(theme::MIN_ZOOM, theme::MAX_ZOOM));
        let today = clock.today();
        let mut shared = Shared::new(data, book, clock, today);
        let mut codes = CodesState::new(prefs.shop);
        codes.refresh(&shared.book, prefs.lang);
        let mut maintenance = MaintenanceState::new();
        let mut journal = JournalState::new();
        let mut settings = SettingsState::new();
        {
            let mut sv = shared.services(ctx, prefs.lang);
            maintenance.refresh(&mut sv);
            journal.refresh(&mut sv);
            settings.refresh(&mut sv);
            settings.start_daily_backup(&sv);
            settings.start_sync(&sv);
        }
        ctx.memory_mut(|m| m.request_focus(codes::search_id()));
        let mut app = PosdeskApp {
            shared,
            prefs,
            route: Route::Codes,
            codes,
            maintenance,
            journal,
            settings,
            commands: Vec::new(),
            was_focused: true,
            applied_zoom: ctx.zoom_factor(),
            started: None,
            scan_gate: ScanGate::default(),
            history_open: false,
            asking_close: false,
            close_agreed: false,
            lang_kept: None,
            opening: None,
            pending_book: None,
            parked: Vec::new(),
            data_version: None,
            focus_reloads: 0,
            first_frame: startup::FirstFrameProbe::from_env(),
        };
        app.data_version = app.current_data_version();
        app
    }

    /// Run over `Data::Checking` until `opening` is done (see [`startup`]).
    pub fn with_opening(mut self, opening: Opening) -> PosdeskApp {
        self.opening = Some(opening);
        self
    }

    /// The bundled codebook is still being built (the moment after start).
    pub fn is_book_pending(&self) -> bool {
        self.pending_book.is_some()
    }

    /// The data is still being opened and checked.
    pub fn is_checking(&self) -> bool {
        self.opening.is_some()
    }

    /// How many times coming back to the window read the data again (only when it changed).
    pub fn focus_reloads(&self) -> u64 {
        self.focus_reloads
    }

    fn current_data_version(&self) -> Option<i64> {
        self.shared.data.store().and_then(|s| s.data_version().ok())
    }

    /// The bundled codebook, once built: the search typed meanwhile runs on it.
    fn take_bundled_book(&mut self, ctx: &egui::Context) {
        let frame = ctx.cumulative_frame_nr();
        let Some(pending) = &mut self.pending_book else {
            return;
        };
        let Some(built) = pending.try_take(frame) else {
            // Its thread cannot wake the window (it has no handle on it): look again soon.
            ctx.request_repaint_after(std::time::Duration::from_millis(15));
            return;
        };
        self.pending_book = None;
        self.shared.book_pending = false;
        let mut sv = self.shared.services(ctx, self.prefs.lang);
        match built {
            Ok(book) => self.codes.replace_book(book, &mut sv),
            Err(problem) => sv.warn(problem),
        }
        ctx.request_repaint();
    }

    /// The worker finished opening the data: every screen reads it, then the waiting commands run.
    fn opened(&mut self, ctx: &egui::Context, opened: Opened) {
        self.opening = None;
        self.shared.data = opened.data;
        let lang = self.prefs.lang;
        if opened.book.is_some() {
            // The data's codebook has the bundled codes too: one still being built is not needed.
            self.pending_book = None;
            self.shared.book_pending = false;
        }
        let mut sv = self.shared.services(ctx, lang);
        if let Some(book) = opened.book {
            self.codes.replace_book(book, &mut sv);
        }
        sv.reload_terminals();
        self.maintenance.refresh(&mut sv);
        match opened.journal {
            Some(first) => {
                let view = &mut self.journal.view;
                view.repeats = std::sync::Arc::new(first.repeats);
                *sv.repeats = std::sync::Arc::clone(&view.repeats);
                view.rows = first.rows;
                view.next = first.next;
                view.total = first.total;
            }
            None => self.journal.refresh(&mut sv),
        }
        self.settings.refresh(&mut sv);
        self.settings.start_daily_backup(&sv);
        self.settings.start_sync(&sv);
        self.data_version = self.current_data_version();
        self.commands.append(&mut self.parked);
        ctx.request_repaint();
    }

    /// Say how the window draws, for Settings.
    pub fn set_renderer(&mut self, renderer: crate::ui::renderer::RendererInUse) {
        self.shared.renderer = Some(renderer);
    }

    /// Report on standard error how long the first frame took from `started`, when the environment
    /// variable `POSDESK_STARTUP_TIMING` is set; with `POSDESK_STARTUP_TIMING=exit` the app then closes
    /// (for measuring launch time from a script).
    pub fn report_startup_from(&mut self, started: std::time::Instant) {
        if std::env::var_os("POSDESK_STARTUP_TIMING").is_some() {
            self.started = Some(started);
        }
    }

    /// Ask for a command to be applied at the next frame, as if a screen had asked.
    pub fn queue(&mut self, command: impl Into<Command>) {
        self.commands.push(command.into());
    }

    pub fn book(&self) -> &Codebook {
        &self.shared.book
    }

    pub fn data(&self) -> &Data {
        &self.shared.data
    }

    /// The store, when it opened.
    pub fn store(&self) -> Option<&crate::store::Store> {
        self.shared.data.store()
    }

    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    pub fn today(&self) -> jiff::civil::Date {
        self.shared.today
    }

    pub fn lang(&self) -> Lang {
        self.prefs.lang
    }

    /// Maintenance tasks overdue or due today, as the top bar's badge counts them.
    pub fn due_badge(&self) -> usize {
        self.maintenance.view.badge
    }

    /// The message on the status line.
    pub fn status(&self) -> Option<&Status> {
        self.shared.messages.line()
    }

    /// The status line as it shows now, in the current language (`None` once it has expired).
    pub fn status_text(&self) -> Option<&str> {
        self.status().map(|s| s.text(self.prefs.lang))
    }

    /// Every message kept this session (newest first in [`Messages::history`]).
    pub fn messages(&self) -> &Messages {
        &self.shared.messages
    }

    /// Whether the window is asking what to do with unsaved typing before it closes.
    pub fn asking_close(&self) -> bool {
        self.asking_close
    }

    /// The typing that closing the window would lose: forms and notes changed but not saved.
    pub fn unsaved_work(&self) -> Vec<Unsaved> {
        let mut found = Vec::new();
        if let Some(form) = self.codes.forms.editor.as_ref().filter(|e| e.is_changed()) {
            let code = form.fields.code.trim().to_string();
            found.push(Unsaved {
                what: Msg::new(
                    format!("your own code {code}, being written"),
                    format!("正在填写的自己的代码 {code}"),
                ),
                route: Route::Codes,
                save: Some(CodesCommand::SaveCustom { replace: false }.into()),
            });
        }
        let mut notes: Vec<_> = self
            .codes
            .forms
            .notes
            .iter()
            .filter(|(_, d)| d.is_changed())
            .map(|((scheme, code), _)| (*scheme, code.clone()))
            .collect();
        notes.sort_by(|a, b| a.1.cmp(&b.1));
        for (scheme, code) in notes {
            found.push(Unsaved {
                what: Msg::new(format!("a note on {code}"), format!("{code} 的备注")),
                route: Route::Codes,
                save: Some(CodesCommand::SaveNote { scheme, code }.into()),
            });
        }
        if self
            .journal
            .forms
            .incident
            .as_ref()
            .is_some_and(|f| f.is_changed())
        {
            found.push(Unsaved {
                what: Msg::new("an incident being written", "正在填写的故障记录"),
                route: Route::Journal,
                save: Some(JournalCommand::SaveForm.into()),
            });
        }
        if let Some(detail) = &self.journal.view.detail
            && !self.journal.forms.note.trim().is_empty()
        {
            let id = detail.id;
            found.push(Unsaved {
                what: Msg::new(
                    format!("a note on incident #{id}"),
                    format!("故障 #{id} 的备注"),
                ),
                route: Route::Journal,
                save: Some(JournalCommand::AddNote.into()),
            });
        }
        if let Some(form) = &self.maintenance.forms.terminal {
            let changed = match form.editing {
                None => form.info != crate::domain::maintenance::TerminalInfo::named(""),
                Some(id) => self
                    .maintenance
                    .view
                    .terminal(id)
                    .is_none_or(|t| t.info != form.info),
            };
            if changed {
                found.push(Unsaved {
                    what: Msg::new("a terminal's details", "终端资料"),
                    route: Route::Maintenance,
                    save: Some(MaintenanceCommand::SaveTerminal.into()),
                });
            }
        }
        found
    }

    /// Whether the message history is open.
    pub fn history_open(&self) -> bool {
        self.history_open
    }

    /// Apply one command (shell commands here, screen commands by the screen that owns them), then
    /// the commands its handler sent, in order.
    pub fn handle(&mut self, ctx: &egui::Context, command: Command) {
        self.apply(ctx, command);
        self.drain_outbox(ctx);
        self.tell_masked(ctx);
    }

    /// Apply the commands handlers sent (which may send more; a chain longer than a few steps is a
    /// loop, and is cut).
    fn drain_outbox(&mut self, ctx: &egui::Context) {
        for _ in 0..8 {
            if self.shared.outbox.is_empty() {
                return;
            }
            for command in std::mem::take(&mut self.shared.outbox) {
                self.apply(ctx, command);
            }
        }
        tracing::error!(
            "commands kept sending commands; dropped {:?}",
            self.shared.outbox
        );
        self.shared.outbox.clear();
    }

    fn apply(&mut self, ctx: &egui::Context, command: Command) {
        let lang = self.prefs.lang;
        if self.opening.is_some() && startup::waits_for_data(&command) {
            // Nothing is written before the check passed; the same save asked twice waits once.
            if !self.parked.contains(&command) {
                self.parked.push(command);
            }
            self.shared.services(ctx, lang).say(startup::waiting_msg());
            return;
        }
        match command {
            Command::Codes(c) => {
                let mut sv = self.shared.services(ctx, lang);
                self.codes.handle(c, &mut sv);
                self.prefs.shop = self.codes.view.shop;
            }
            Command::Maintenance(c) => {
                let mut sv = self.shared.services(ctx, lang);
                self.maintenance.handle(c, &mut sv);
            }
            Command::Journal(c) => {
                let mut sv = self.shared.services(ctx, lang);
                self.journal.handle(c, &mut sv);
            }
            Command::Settings(c) => {
                let mut sv = self.shared.services(ctx, lang);
                self.settings.handle(c, &mut sv);
            }
            Command::Shell(ShellCommand::SetLang(l)) => {
                self.prefs.lang = l;
                self.keep_lang();
                // The scheme default follows the language; results re-rank with it.
                self.codes.refresh(&self.shared.book, l);
                self.refocus(ctx);
            }
            Command::Shell(ShellCommand::Zoom(z)) => {
                let z = (z * 10.0).round() / 10.0;
                self.prefs.zoom = z.clamp(theme::MIN_ZOOM, theme::MAX_ZOOM);
                self.apply_zoom(ctx);
                self.refocus(ctx);
            }
            Command::Shell(ShellCommand::Go(route)) => {
                if route == Route::Maintenance && self.route != route {
                    self.maintenance.opened();
                }
                self.route = route;
                if route == Route::Settings {
                    let mut sv = self.shared.services(ctx, lang);
                    self.settings.refresh(&mut sv);
                }
                self.refocus(ctx);
            }
            Command::Shell(ShellCommand::Undo) => {
                let undo = self.shared.messages.take_undo();
                let mut sv = self.shared.services(ctx, lang);
                match undo {
                    Some(Command::Maintenance(c)) => self.maintenance.handle(c, &mut sv),
                    Some(Command::Journal(c)) => self.journal.handle(c, &mut sv),
                    Some(Command::Codes(c)) => self.codes.handle(c, &mut sv),
                    Some(Command::Shell(ShellCommand::Undo)) => self.codes.undo(&mut sv),
                    _ => {}
                }
            }
            Command::Shell(ShellCommand::DismissStatus(id)) => {
                self.shared.messages.dismiss(id);
                self.refocus(ctx);
            }
            Command::Shell(ShellCommand::ToggleHistory) => {
                self.history_open = !self.history_open;
                if !self.history_open {
                    self.refocus(ctx);
                }
            }
            Command::Shell(ShellCommand::Close(answer)) => self.answer_close(ctx, answer),
            Command::Shell(ShellCommand::DataReplaced) => {
                // A restore replaced the data: every screen reads it again.
                let mut sv = self.shared.services(ctx, lang);
                self.codes.reload(&mut sv);
                sv.reload_terminals();
                self.maintenance.refresh(&mut sv);
                self.journal.refresh(&mut sv);
                self.data_version = None;
            }
        }
    }

    /// Keep the window's language in the data folder (when it changed), where the command line reads
    /// it: `posdesk search 51` then answers in the language the clerk chose here.
    fn keep_lang(&mut self) {
        let lang = self.prefs.lang;
        if self.lang_kept == Some(lang) {
            return;
        }
        let Some(dir) = self.shared.data.dir() else {
            return;
        };
        if crate::store::paths::saved_lang(&dir) != Some(lang)
            && let Err(e) = crate::store::paths::save_lang(&dir, lang)
        {
            tracing::warn!("the language could not be kept in {}: {e}", dir.display());
            return;
        }
        self.lang_kept = Some(lang);
    }

    /// The window was asked to close (its × button, Alt+F4, logging off): with typing not yet saved
    /// it stays open and asks (eframe's close request, cancelled).
    fn guard_close(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) || self.close_agreed {
            return;
        }
        if !self.unsaved_work().is_empty() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.asking_close = true;
        }
    }

    fn answer_close(&mut self, ctx: &egui::Context, answer: CloseAnswer) {
        self.asking_close = false;
        match answer {
            CloseAnswer::GoBack => {}
            CloseAnswer::Discard => {
                self.close_agreed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            CloseAnswer::Save => {
                for unsaved in self.unsaved_work() {
                    if let Some(save) = unsaved.save {
                        self.apply(ctx, save);
                    }
                }
                self.drain_outbox(ctx);
                match self.unsaved_work().into_iter().next() {
                    None => {
                        self.close_agreed = true;
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                    Some(left) => {
                        // Not saved (a form error, a question): show it, and stay open.
                        self.route = left.route;
                        let what = left.what;
                        self.shared.services(ctx, self.prefs.lang).warn(
                            Msg::new(
                                "The window stays open: not saved yet:",
                                "窗口没有关闭，尚未保存：",
                            )
                            .with(&what)
                            .with(&Msg::new("(see the form).", "（见表单）。")),
                        );
                    }
                }
            }
        }
    }

    /// A save that masked a card number says so on the status line, whatever the screen and whether
    /// a click or a finished background job (an import) saved it; the forms warn beforehand.
    fn tell_masked(&mut self, ctx: &egui::Context) {
        let masked = self.shared.data.store().map_or(0, |s| s.take_masked());
        if masked > 0 {
            let notice = super::widgets::masked_msg(masked);
            match self.shared.messages.line_mut() {
                Some(status) => status.msg = status.msg.clone().with(&notice),
                None => self.shared.services(ctx, self.prefs.lang).say(notice),
            }
        }
    }

    /// Put the cursor where the screen showing wants it: the search box on the Codes screen.
    fn refocus(&self, ctx: &egui::Context) {
        if self.route == Route::Codes {
            ctx.memory_mut(|m| m.request_focus(codes::search_id()));
        }
    }

    /// Apply the text size: the one asked for, as far as the window holds it (the wish is kept, so
    /// a larger window gets it back).
    fn apply_zoom(&mut self, ctx: &egui::Context) {
        let effective = theme::effective_zoom(self.prefs.zoom, theme::fitting_zoom(ctx));
        if (ctx.zoom_factor() - effective).abs() > 1e-3 {
            ctx.set_zoom_factor(effective);
        }
        self.applied_zoom = effective;
    }

    fn idle_line(&self) -> Msg {
        let n = self.shared.book.len();
        let sync = self.settings.sync_line(self.shared.clock.now());
        let sync = sync.map(|m| (format!(" · {}", m.en), format!(" · {}", m.zh)));
        let (en, zh) = sync.unwrap_or_default();
        if self.shared.book_pending {
            // Not "0 codes": the list is being built, for a moment after start.
            return Msg::new(
                format!("Loading the codes… · works offline{en}"),
                format!("正在载入代码表…… · 离线可用{zh}"),
            );
        }
        Msg::new(
            format!("{n} codes · works offline{en}"),
            format!("共 {n} 个代码 · 离线可用{zh}"),
        )
    }

    /// Work that does not come from a click: finished background jobs, a new day, the window
    /// coming back to the front, the status line expiring.
    fn tick(&mut self, ctx: &egui::Context) {
        let lang = self.prefs.lang;
        let today = self.shared.clock.today();
        let focused = ctx.input(|i| i.viewport().focused.unwrap_or(true));
        let came_back = focused && !self.was_focused;
        self.was_focused = focused;
        let new_day = today != self.shared.today;
        self.shared.today = today;
        let frame = ctx.cumulative_frame_nr();
        if let Some(opened) = self.opening.as_mut().and_then(|o| o.poll(ctx, frame)) {
            self.opened(ctx, opened);
        }
        self.take_bundled_book(ctx);
        // Read again only what another window, the CLI or a worker changed meanwhile.
        let came_back = came_back && {
            let now = self.current_data_version();
            let changed = now != self.data_version;
            self.data_version = now;
            changed
        };
        if came_back {
            self.focus_reloads += 1;
        }
        // This window's own workers write over a second connection (an attachment, a backup's date):
        // not a change from outside; each screen reads what its job changed when it finishes.
        let own_writes = self.codes.busy()
            || self.maintenance.busy()
            || self.journal.busy()
            || self.settings.busy()
            || self.settings.daily_busy();
        {
            let mut sv = self.shared.services(ctx, lang);
            if came_back {
                self.codes.reload(&mut sv);
            }
            if came_back || new_day {
                self.maintenance.refresh(&mut sv);
                self.journal.refresh(&mut sv);
            }
            self.codes.finish_jobs(&mut sv);
            self.maintenance.finish_jobs(&mut sv);
            self.journal.finish_jobs(&mut sv);
            self.settings.finish_jobs(&mut sv);
        }
        let failed = super::jobs::take_failures();
        if failed > 0 {
            self.shared.services(ctx, lang).warn(Msg::new(
                format!(
                    "{failed} background task(s) stopped with an error; nothing they were doing was \
                     saved. Try again; the log in the data folder (logs/) says what happened."
                ),
                format!(
                    "{failed} 个后台任务出错停止；它们正在做的事没有保存。请重试；数据文件夹里的日志\
                     （logs/）记录了原因。"
                ),
            ));
        }
        // What finished jobs asked for (a restore asks every screen to read the data again).
        self.drain_outbox(ctx);
        if own_writes || self.data_version.is_none() {
            self.data_version = self.current_data_version();
        }
        self.tell_masked(ctx);
        // No background job: at midnight one frame is enough to move the board to the new day.
        let now = self.shared.clock.now();
        if let Ok(midnight) = today
            .tomorrow()
            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::system()))
            && let Ok(left) = midnight.timestamp().duration_since(now).try_into()
        {
            ctx.request_repaint_after(left);
        }
        let time = ctx.input(|i| i.time);
        // Errors and a line offering Undo stay; other lines leave after a while (the history keeps them).
        if let Some(left) = self.shared.messages.expire(time) {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(left));
        }
    }

    /// One frame of the whole window.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let lang = self.prefs.lang;
        self.guard_close(&ctx);
        self.tick(&ctx);
        // Ctrl+plus/minus are egui's own zoom keys: what they set is the clerk's wish.
        if (ctx.zoom_factor() - self.applied_zoom).abs() > 1e-3 {
            self.prefs.zoom = ctx.zoom_factor().clamp(theme::MIN_ZOOM, theme::MAX_ZOOM);
        }
        self.apply_zoom(&ctx);
        let mut out = std::mem::take(&mut self.commands);
        // First of all: a scanner's keys, before the shortcuts, the search box or any form.
        for scanned in self.scan_gate.filter(&ctx) {
            out.push(match scanned {
                Scanned::Checklist(code) => MaintenanceCommand::Scanned(code).into(),
                Scanned::Other(text) => MaintenanceCommand::ScannedOther(text).into(),
            });
        }
        let start = shell::early_keys(&ctx, codes::search_id(), self.route, &mut out);
        let can_grow = self.applied_zoom + 0.01 < theme::MAX_ZOOM.min(theme::fitting_zoom(&ctx));
        let badge = self.maintenance.view.badge;
        egui::Panel::top("top_bar").show(ui, |ui| {
            shell::top_bar_ui(ui, self.route, badge, lang, can_grow, &mut out)
        });
        let idle = self.idle_line();
        let busy = self.codes.busy()
            || self.maintenance.busy()
            || self.journal.busy()
            || self.settings.busy();
        if let Some(damaged) = self.shared.data.damaged() {
            // On every screen, until a backup is restored.
            egui::Panel::top("damaged_offer").show(ui, |ui| {
                settings::damaged_ui(ui, damaged, self.settings.busy(), lang, &mut out)
            });
        }
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            shell::status_bar_ui(ui, &self.shared.messages, &idle, busy, lang, &mut out)
        });
        if self.history_open {
            shell::history_ui(&ctx, &self.shared.messages, lang, &mut out);
        }
        if self.asking_close {
            let unsaved: Vec<Msg> = self.unsaved_work().into_iter().map(|u| u.what).collect();
            shell::close_question_ui(&ctx, &unsaved, lang, &mut out);
        }
        match self.route {
            Route::Codes => codes::codes_ui(
                ui,
                &self.codes.view,
                &mut self.codes.forms,
                &self.shared,
                lang,
                &mut out,
            ),
            Route::Maintenance => maintenance::maintenance_ui(
                ui,
                &self.maintenance.view,
                &mut self.maintenance.forms,
                &self.shared,
                lang,
                &mut out,
            ),
            Route::Journal => journal::journal_ui(
                ui,
                &self.journal.view,
                &mut self.journal.forms,
                &self.shared,
                lang,
                &mut out,
            ),
            Route::Settings => {
                settings::settings_ui(ui, &self.settings.view, &self.shared, lang, &mut out)
            }
        }
        shell::late_keys(&ctx, self.route, start, &mut out);
        if !out.is_empty() {
            // What the commands changed shows in the next frame; ask for exactly one.
            ctx.request_repaint();
        }
        for command in out {
            self.handle(&ctx, command);
        }
        self.first_frame.frame(&ctx);
        if let Some(started) = self.started.take() {
            eprintln!("posdesk: first frame after {:?}", started.elapsed());
            if std::env::var("POSDESK_STARTUP_TIMING").is_ok_and(|v| v == "exit") {
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }
}

impl eframe::App for PosdeskApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
        self.keep_lang();
    }
}
