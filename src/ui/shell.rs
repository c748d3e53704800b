//! The parts of the window every screen shares: the top bar (screens, text size, language), the status
//! line, and the keys that work everywhere. The shell routes keys to the screen that is showing.

use super::command::{
    CodesCommand, Command, JournalCommand, MaintenanceCommand, Route, SettingsCommand, ShellCommand,
};
use super::theme;
use crate::i18n::{Lang, Msg};
use eframe::egui::{self, Event, Key, KeyboardShortcut, Modifiers};

/// How long a status line stays, in seconds; long enough to read and to reach Undo.
const STATUS_SECONDS: f64 = 8.0;
const ERROR_SECONDS: f64 = 20.0;

/// What just happened, in both languages, so it follows a language switch.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub msg: Msg,
    pub is_error: bool,
    /// When it appeared (egui's clock, seconds); it disappears by itself after a while.
    pub shown_at: f64,
    /// What the Undo button on the line does, if there is one.
    pub undo: Option<Command>,
}

impl Status {
    pub fn seconds(&self) -> f64 {
        if self.is_error {
            ERROR_SECONDS
        } else {
            STATUS_SECONDS
        }
    }

    pub fn text(&self, lang: Lang) -> &str {
        self.msg.get(lang)
    }
}

/// Keys taken before the screens are drawn: Ctrl+F and `/` go to the search (taking the `/` so it is
/// not typed), and text typed while nothing has the keyboard goes into the search box instead of
/// being lost.
/// What the keyboard was doing as the frame began, for the keys read after the screens are drawn.
#[derive(Debug, Clone, Copy)]
pub struct FrameStart {
    /// A text field other than the search box had the keyboard.
    pub in_field: bool,
    /// A popup (a drop-down) was open: it takes Esc, nothing else does.
    pub popup_open: bool,
}

pub fn early_keys(
    ctx: &egui::Context,
    search_id: egui::Id,
    route: Route,
    out: &mut Vec<Command>,
) -> FrameStart {
    let focused = ctx.memory(|m| m.focused());
    // egui drops the focus on Esc before the frame's code runs: what had it is read from last frame.
    let had_focus = ctx
        .data(|d| d.get_temp::<Option<egui::Id>>(last_focus_id()))
        .flatten();
    let in_field = had_focus.is_some_and(|id| id != search_id);
    // Whether a popup was drawn in the last frame (a popup closed by this frame's Esc still counts).
    let popup_open = ctx
        .data(|d| d.get_temp::<bool>(popup_flag_id()))
        .unwrap_or(false);
    let typing_elsewhere = focused.is_some_and(|id| id != search_id);
    // A "/" key and the "/" text it types may arrive in different frames: the text that follows a
    // taken "/" key is dropped too, unless other text came first.
    let swallow_id = egui::Id::unique("swallow_slash_text");
    let mut swallow = ctx
        .data(|d| d.get_temp::<bool>(swallow_id))
        .unwrap_or(false);
    let (find, slash) = ctx.input_mut(|i| {
        let find = i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::F));
        let slash = !typing_elsewhere && i.consume_key(Modifiers::NONE, Key::Slash);
        swallow |= slash;
        if swallow && let Some(pos) = i.events.iter().position(|e| matches!(e, Event::Text(_))) {
            if matches!(&i.events[pos], Event::Text(t) if t == "/") {
                i.events.remove(pos);
            }
            swallow = false;
        }
        (find, slash)
    });
    ctx.data_mut(|d| d.insert_temp(swallow_id, swallow));
    if find || slash {
        if route != Route::Codes {
            out.push(ShellCommand::Go(Route::Codes).into());
        }
        out.push(CodesCommand::FocusSearch { select_all: true }.into());
        return FrameStart {
            in_field,
            popup_open,
        };
    }
    let typed_into_nothing =
        focused.is_none() && ctx.input(|i| i.events.iter().any(|e| matches!(e, Event::Text(_))));
    if typed_into_nothing && route == Route::Codes {
        // Focus now, in this frame, so the search box drawn below receives these very keys.
        ctx.memory_mut(|m| m.request_focus(search_id));
    }
    FrameStart {
        in_field,
        popup_open,
    }
}

/// Keys read after the screens are drawn, so that an open popup (a drop-down) gets Esc first.
/// In another text field Esc only leaves the field.
pub fn late_keys(ctx: &egui::Context, route: Route, start: FrameStart, out: &mut Vec<Command>) {
    let popup_now = ctx.any_popup_open() || egui::Popup::is_any_open(ctx);
    let focused = ctx.memory(|m| m.focused());
    ctx.data_mut(|d| {
        d.insert_temp(popup_flag_id(), popup_now);
        d.insert_temp(last_focus_id(), focused);
    });
    let escape = ctx.input(|i| i.key_pressed(Key::Escape));
    if !escape || start.popup_open || popup_now {
        return;
    }
    let in_field = start.in_field;
    match route {
        Route::Codes => out.push(CodesCommand::Escape { in_field }.into()),
        Route::Maintenance => out.push(MaintenanceCommand::Escape { in_field }.into()),
        Route::Journal => out.push(JournalCommand::Escape { in_field }.into()),
        Route::Settings => out.push(SettingsCommand::Escape { in_field }.into()),
    }
}

/// The count of maintenance tasks overdue or due today, in the colour of "check first".
fn badge_ui(ui: &mut egui::Ui, count: usize, lang: Lang, out: &mut Vec<Command>) {
    let look = theme::advice_look(
        crate::domain::advice::Advice::CheckFirst,
        ui.visuals().dark_mode,
    );
    let hover = crate::trf!(
        lang,
        "{count} maintenance tasks overdue or due today",
        "{count} 项维护任务已过期或今天到期"
    );
    let badge = egui::Button::new(
        egui::RichText::new(count.to_string())
            .color(look.text)
            .strong(),
    )
    .fill(look.fill)
    .corner_radius(10.0);
    if ui.add(badge).on_hover_text(hover).clicked() {
        out.push(ShellCommand::Go(Route::Maintenance).into());
    }
}

fn last_focus_id() -> egui::Id {
    egui::Id::unique("focus_last_frame")
}

fn popup_flag_id() -> egui::Id {
    egui::Id::unique("popup_open_last_frame")
}

/// `can_grow`: the window holds a larger text size.
/// `badge`: maintenance tasks overdue or due today, shown on every screen.
///
/// The screens' tabs and the text-size and language buttons share one row where they fit; where they
/// do not (a small window, large text, the longer English names), the buttons take a second row, and
/// the tabs wrap rather than slide under them: no tab is ever hidden. Whether they fit is judged by
/// the widths the last frame measured.
pub fn top_bar_ui(
    ui: &mut egui::Ui,
    route: Route,
    badge: usize,
    lang: Lang,
    can_grow: bool,
    out: &mut Vec<Command>,
) {
    let widths_id = egui::Id::unique(("top_bar_widths", lang));
    let (tabs_w, controls_w) = ui
        .data(|d| d.get_temp::<(f32, f32)>(widths_id))
        .unwrap_or((0.0, 0.0));
    let gap = 2.0 * ui.spacing().item_spacing.x;
    let one_row = tabs_w + controls_w + gap <= ui.available_width();
    let (tabs_w, controls_w) = if one_row {
        ui.horizontal(|ui| {
            let tabs = ui
                .horizontal(|ui| tabs_ui(ui, route, badge, lang, out))
                .response
                .rect
                .width();
            let controls = ui
                .with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    controls_ui(ui, lang, can_grow, out)
                })
                .response
                .rect
                .width();
            (tabs, controls)
        })
        .inner
    } else {
        let tabs = ui
            .horizontal_wrapped(|ui| tabs_ui(ui, route, badge, lang, out))
            .response
            .rect
            .width();
        let controls = ui
            .with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                controls_ui(ui, lang, can_grow, out)
            })
            .response
            .rect
            .width();
        (tabs, controls)
    };
    // The controls' own width: in a right-to-left row the response may span the whole row.
    let controls_w = controls_w.min(ui.available_width());
    ui.data_mut(|d| d.insert_temp(widths_id, (tabs_w, controls_w)));
}

/// The name and the screens' tabs (with the maintenance badge).
fn tabs_ui(ui: &mut egui::Ui, route: Route, badge: usize, lang: Lang, out: &mut Vec<Command>) {
    ui.heading("posdesk");
    ui.separator();
    for (tab, name) in [
        (Route::Codes, lang.tr("Codes", "代码查询")),
        (Route::Maintenance, lang.tr("Maintenance", "设备维护")),
        (Route::Journal, lang.tr("Journal", "故障记录")),
        (Route::Settings, lang.tr("Settings", "设置")),
    ] {
        let text = egui::RichText::new(name).size(theme::size::LABEL).strong();
        if ui.selectable_label(route == tab, text).clicked() && route != tab {
            out.push(ShellCommand::Go(tab).into());
        }
        if tab == Route::Maintenance && badge > 0 {
            badge_ui(ui, badge, lang, out);
        }
    }
}

/// Language and text size, laid out right to left.
fn controls_ui(ui: &mut egui::Ui, lang: Lang, can_grow: bool, out: &mut Vec<Command>) {
    if ui
        .button(lang.switch_label())
        .on_hover_text(lang.tr("Switch language", "切换语言"))
        .clicked()
    {
        out.push(ShellCommand::SetLang(lang.other()).into());
    }
    let zoom = ui.ctx().zoom_factor();
    // Fixed-width buttons: they must not move under the pointer as the text grows.
    let size = egui::vec2(52.0, 0.0);
    if ui
        .add_enabled(can_grow, egui::Button::new("A+").min_size(size))
        .on_hover_text(lang.tr("Larger text (Ctrl +)", "放大文字 (Ctrl +)"))
        .clicked()
    {
        out.push(ShellCommand::Zoom(zoom + theme::ZOOM_STEP).into());
    }
    if ui
        .add_enabled(
            zoom > theme::MIN_ZOOM + 0.01,
            egui::Button::new("A−").min_size(size),
        )
        .on_hover_text(lang.tr("Smaller text (Ctrl −)", "缩小文字 (Ctrl −)"))
        .clicked()
    {
        out.push(ShellCommand::Zoom(zoom - theme::ZOOM_STEP).into());
    }
}

/// The status line: what just happened (with Undo where it can be undone), or the idle summary.
pub fn status_bar_ui(
    ui: &mut egui::Ui,
    status: Option<&Status>,
    idle: &Msg,
    busy: bool,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        if busy {
            // No spinner: it would repaint without end while a file dialog waits for the clerk.
            ui.label(lang.tr("Working…", "处理中…"));
            return;
        }
        match status {
            Some(s) => {
                let text = s.text(lang);
                if s.is_error {
                    ui.add(
                        egui::Label::new(
                            egui::RichText::new(format!("⚠ {text}"))
                                .color(ui.visuals().error_fg_color),
                        )
                        .wrap(),
                    );
                } else {
                    ui.add(egui::Label::new(format!("✔ {text}")).wrap());
                }
                if s.undo.is_some() && ui.button(lang.tr("Undo", "撤销")).clicked() {
                    out.push(ShellCommand::Undo.into());
                }
                if ui
                    .small_button("×")
                    .on_hover_text(lang.tr("Hide this message", "关闭这条消息"))
                    .clicked()
                {
                    out.push(ShellCommand::DismissStatus.into());
                }
            }
            None => {
                ui.label(idle.get(lang));
            }
        }
    });
}
