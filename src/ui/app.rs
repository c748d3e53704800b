//! The app: it owns the data, the screens' states and the shell, and is the one place that applies
//! commands. Screens draw from their state and push commands; `PosdeskApp::handle` routes each command
//! to its screen's `handle` (or the shell's), which changes state through the library.

use super::codes::{self, CodesState};
use super::command::{
    Command, JournalCommand, MaintenanceCommand, NewIncident, Route, ShellCommand, ShopScheme,
};
use super::journal::{self, JournalState};
use super::maintenance::{self, MaintenanceState};
use super::scanner::{ScanGate, Scanned};
use super::services::{Data, Shared};
use super::settings::{self, SettingsState};
use super::shell::{self, Status};
use super::startup::{self, Opened, Opening};
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
    /// The data being opened and checked on a worker, while the window already runs.
    opening: Option<Opening>,
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

impl PosdeskApp {
    /// The app over `data`. When the data could not be opened, the bundled codes still answer
    /// lookups and the problem is shown beside them.
    pub fn new(ctx: &egui::Context, data: Data, prefs: Prefs, clock: Clock) -> PosdeskApp {
        fonts::install(ctx);
        theme::apply(ctx);
        ctx.set_zoom_factor(prefs.zoom.clamp(theme::MIN_ZOOM, theme::MAX_ZOOM));
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
            opening: None,
            parked: Vec::new(),
            data_version: None,
            focus_reloads: 0,
            first_frame: startup::FirstFrameProbe::from_env(),
        };
        app.data_version = app.current_data_version();
        app.share();
        app
    }

    /// Run over `Data::Checking` until `opening` is done (see [`startup`]).
    pub fn with_opening(mut self, opening: Opening) -> PosdeskApp {
        self.opening = Some(opening);
        self
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

    /// The worker finished opening the data: every screen reads it, then the waiting commands run.
    fn opened(&mut self, ctx: &egui::Context, opened: Opened) {
        self.opening = None;
        self.shared.data = opened.data;
        let lang = self.prefs.lang;
        let mut sv = self.shared.services(ctx, lang);
        if let Some(book) = opened.book {
            self.codes.replace_book(book, &mut sv);
        }
        sv.reload_terminals();
        self.maintenance.refresh(&mut sv);
        match opened.journal {
            Some(first) => {
                let view = &mut self.journal.view;
                view.repeats = first.repeats;
                view.rows = first.rows;
                view.next = first.next;
                view.total = first.total;
            }
            None => self.journal.refresh(&mut sv),
        }
        self.settings.refresh(&mut sv);
        self.settings.start_daily_backup(&sv);
        self.data_version = self.current_data_version();
        self.commands.append(&mut self.parked);
        ctx.request_repaint();
    }

    /// Copy what one screen knows and another shows: the overdue maintenance and the repeat
    /// warnings, both shown on a code's card.
    fn share(&mut self) {
        use crate::domain::maintenance::DueState;
        self.shared.overdue = self
            .maintenance
            .view
            .board
            .iter()
            .filter(|i| i.state == DueState::Overdue)
            .cloned()
            .collect();
        self.shared.repeats = self.journal.view.repeats.clone();
    }

    /// Open the journal's new-incident form with this prefill.
    fn open_incident(&mut self, ctx: &egui::Context, prefill: NewIncident) {
        self.route = Route::Journal;
        let mut sv = self.shared.services(ctx, self.prefs.lang);
        self.journal
            .handle(JournalCommand::New(Box::new(prefill)), &mut sv);
    }

    /// Report on standard error how long the first frame took from `started`, when the environment
    /// variable `POSDESK_STARTUP_TIMING` is set; with `POSDESK_STARTUP_TIMING=exit` the app then closes
    /// (for measuring launch time from a script).
    /// Say how the window draws, for Settings.
    pub fn set_renderer(&mut self, renderer: crate::ui::renderer::RendererInUse) {
        self.shared.renderer = Some(renderer);
    }

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

    pub fn status(&self) -> Option<&Status> {
        self.shared.status.as_ref()
    }

    /// The status line as it shows now, in the current language (`None` once it has expired).
    pub fn status_text(&self) -> Option<&str> {
        self.shared.status.as_ref().map(|s| s.text(self.prefs.lang))
    }

    /// Apply one command: shell commands here, screen commands by the screen that owns them.
    pub fn handle(&mut self, ctx: &egui::Context, command: Command) {
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
                if let Some(code) = self.codes.take_scan() {
                    // A printed checklist's barcode typed into the search box by hand.
                    self.maintenance
                        .handle(MaintenanceCommand::Scanned(code), &mut sv);
                    if self.maintenance.forms.scanned.is_some() {
                        self.route = Route::Maintenance;
                    }
                }
                if let Some(prefill) = self.codes.take_incident() {
                    self.open_incident(ctx, prefill);
                }
            }
            Command::Maintenance(c) => {
                let mut sv = self.shared.services(ctx, lang);
                self.maintenance.handle(c, &mut sv);
                if self.maintenance.forms.scanned.is_some() && self.route != Route::Maintenance {
                    // A scan from another screen asks who did it, or the value on the sheet.
                    self.route = Route::Maintenance;
                }
                if let Some(request) = self.maintenance.take_incident_request() {
                    // "Problem found" during maintenance becomes an incident on that terminal.
                    let terminal = self
                        .shared
                        .terminals
                        .iter()
                        .find(|t| t.id == request.terminal)
                        .map(|t| t.info.name.clone());
                    let task = self
                        .maintenance
                        .view
                        .templates
                        .iter()
                        .find(|t| t.key == request.task)
                        .map(|t| lang.pick(&t.title_en, &t.title_zh).to_string())
                        .unwrap_or(request.task);
                    let symptom = if request.note.trim().is_empty() {
                        crate::trf!(
                            lang,
                            "Problem found during maintenance: {task}",
                            "维护时发现问题：{task}"
                        )
                    } else {
                        let note = request.note;
                        crate::trf!(
                            lang,
                            "Problem found during maintenance: {task}. {note}",
                            "维护时发现问题：{task}。{note}"
                        )
                    };
                    self.open_incident(
                        ctx,
                        NewIncident {
                            terminal,
                            symptom,
                            ..NewIncident::default()
                        },
                    );
                }
            }
            Command::Journal(c) => {
                let mut sv = self.shared.services(ctx, lang);
                self.journal.handle(c, &mut sv);
                if let Some(code) = self.journal.take_own_code_request() {
                    // An unknown code from the journal, one click from becoming the shop's own.
                    self.route = Route::Codes;
                    self.codes
                        .handle(super::command::CodesCommand::NewCustom(code), &mut sv);
                }
            }
            Command::Settings(c) => {
                let mut sv = self.shared.services(ctx, lang);
                self.settings.handle(c, &mut sv);
            }
            Command::Shell(ShellCommand::SetLang(l)) => {
                self.prefs.lang = l;
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
                self.route = route;
                if route == Route::Settings {
                    let mut sv = self.shared.services(ctx, lang);
                    self.settings.refresh(&mut sv);
                }
                self.refocus(ctx);
            }
            Command::Shell(ShellCommand::Undo) => {
                let undo = self.shared.status.take().and_then(|s| s.undo);
                let mut sv = self.shared.services(ctx, lang);
                match undo {
                    Some(Command::Maintenance(c)) => self.maintenance.handle(c, &mut sv),
                    Some(Command::Journal(c)) => self.journal.handle(c, &mut sv),
                    Some(Command::Codes(c)) => self.codes.handle(c, &mut sv),
                    _ => self.codes.undo(&mut sv),
                }
            }
            Command::Shell(ShellCommand::DismissStatus) => {
                self.shared.status = None;
                self.refocus(ctx);
            }
        }
        self.tell_masked(ctx);
    }

    /// A save that masked a card number says so on the status line, whatever the screen and whether
    /// a click or a finished background job (an import) saved it; the forms warn beforehand.
    fn tell_masked(&mut self, ctx: &egui::Context) {
        let masked = self.shared.data.store().map_or(0, |s| s.take_masked());
        if masked > 0 {
            let notice = super::widgets::masked_msg(masked);
            match &mut self.shared.status {
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
        Msg::new(
            format!("{n} codes · works offline"),
            format!("共 {n} 个代码 · 离线可用"),
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
            if self.settings.take_replaced() {
                // A restore replaced the data: every screen reads it again.
                self.codes.reload(&mut sv);
                sv.reload_terminals();
                self.maintenance.refresh(&mut sv);
                self.journal.refresh(&mut sv);
                self.data_version = None;
            }
        }
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
        // A line that offers Undo stays until the next thing happens (which replaces it).
        if let Some(s) = self.shared.status.as_ref().filter(|s| s.undo.is_none()) {
            let left = s.shown_at + s.seconds() - time;
            if left <= 0.0 {
                self.shared.status = None;
            } else {
                ctx.request_repaint_after(std::time::Duration::from_secs_f64(left));
            }
        }
    }

    /// One frame of the whole window.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let lang = self.prefs.lang;
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
            shell::status_bar_ui(ui, self.shared.status.as_ref(), &idle, busy, lang, &mut out)
        });
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
        self.share();
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
    }
}
