//! The parts of the window every screen shares: the top bar (screens, text size, language), the status
//! line, and the keys that work everywhere. The shell routes keys to the screen that is showing.

use super::command::{
    CloseAnswer, CodesCommand, Command, JournalCommand, MaintenanceCommand, Route, SettingsCommand,
    ShellCommand,
};
use super::theme;
use crate::i18n::{Lang, Msg};
use eframe::egui::{self, Event, Key, KeyboardShortcut, Modifiers};

use super::messages::Messages;
pub use super::messages::Status;

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
    keep_text_typed_with_a_click(ctx);
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

/// On a slow PC the last letters typed and a click on Save can arrive in the same frame; egui would
/// take the keyboard from the text field before it reads those letters, and they would be lost. In
/// such a frame the field keeps the keyboard, reads them, and the click still acts (its command is
/// applied after every field has been drawn).
pub fn keep_text_typed_with_a_click(ctx: &egui::Context) {
    let typed_and_clicked = ctx
        .input(|i| i.pointer.any_click() && i.events.iter().any(|e| matches!(e, Event::Text(_))));
    let surrender = if typed_and_clicked {
        egui::SurrenderFocusOn::Never
    } else {
        egui::SurrenderFocusOn::Clicks
    };
    if ctx.options(|o| o.input_options.surrender_focus_on) != surrender {
        ctx.options_mut(|o| o.input_options.surrender_focus_on = surrender);
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
    // The tabs, then the controls at the right; each one's width, to decide the next frame's layout.
    let mut bar = |ui: &mut egui::Ui, wrap: bool| {
        let add_tabs = |ui: &mut egui::Ui| tabs_ui(ui, route, badge, lang, out);
        let tabs = if wrap {
            ui.horizontal_wrapped(add_tabs)
        } else {
            ui.horizontal(add_tabs)
        };
        let controls = ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            controls_ui(ui, lang, can_grow, out)
        });
        (tabs.response.rect.width(), controls.response.rect.width())
    };
    let (tabs_w, controls_w) = if one_row {
        ui.horizontal(|ui| bar(ui, false)).inner
    } else {
        bar(ui, true)
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

/// The status line: what just happened (with Undo where it can be undone), or the idle summary; a
/// click on "History" opens every message kept.
pub fn status_bar_ui(
    ui: &mut egui::Ui,
    messages: &Messages,
    idle: &Msg,
    busy: bool,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        if !messages.is_empty()
            && ui
                .small_button(lang.tr("Message history", "消息记录"))
                .on_hover_text(lang.tr(
                    "Every message of this session, with its time",
                    "本次使用中的所有消息及时间",
                ))
                .clicked()
        {
            out.push(ShellCommand::ToggleHistory.into());
        }
        let hidden = messages.hidden_errors();
        if hidden > 0 {
            let text = crate::trf!(lang, "⚠ {hidden} more", "⚠ 另有 {hidden} 条");
            let red = egui::RichText::new(text).color(ui.visuals().error_fg_color);
            if ui
                .small_button(red)
                .on_hover_text(lang.tr(
                    "Errors not yet dismissed: open the history",
                    "尚未关闭的错误：打开消息记录",
                ))
                .clicked()
            {
                out.push(ShellCommand::ToggleHistory.into());
            }
        }
        if busy {
            // No spinner: it would repaint without end while a file dialog waits for the clerk.
            ui.label(lang.tr("Working…", "处理中…"));
            return;
        }
        match messages.line() {
            Some(s) => {
                message_ui(ui, s, lang);
                if s.undo.is_some() && ui.button(lang.tr("Undo", "撤销")).clicked() {
                    out.push(ShellCommand::Undo.into());
                }
                if ui
                    .small_button("×")
                    .on_hover_text(lang.tr("Hide this message", "关闭这条消息"))
                    .clicked()
                {
                    out.push(ShellCommand::DismissStatus(None).into());
                }
            }
            None => {
                ui.label(idle.get(lang));
            }
        }
    });
}

/// One message: a tick, or a warning sign in the error colour.
fn message_ui(ui: &mut egui::Ui, s: &Status, lang: Lang) {
    let text = s.text(lang);
    if s.is_error {
        ui.add(
            egui::Label::new(
                egui::RichText::new(format!("⚠ {text}")).color(ui.visuals().error_fg_color),
            )
            .wrap(),
        );
    } else {
        ui.add(egui::Label::new(format!("✔ {text}")).wrap());
    }
}

/// The message history, newest first: time, level, text; Undo where it is still valid, and a close
/// button on errors not yet dismissed.
pub fn history_ui(ctx: &egui::Context, messages: &Messages, lang: Lang, out: &mut Vec<Command>) {
    let mut open = true;
    egui::Window::new(lang.tr("Messages", "消息记录"))
        .id(egui::Id::unique("message_history"))
        .open(&mut open)
        .collapsible(false)
        // Above the status line it was opened from, leaving the top bar and the screen's head clear.
        .anchor(egui::Align2::LEFT_BOTTOM, egui::vec2(8.0, -40.0))
        .default_width(520.0)
        .show(ctx, |ui| {
            let (n, max) = (messages.len(), super::messages::HISTORY_LEN);
            ui.label(crate::trf!(
                lang,
                "The last {n} messages of this session (at most {max}).",
                "本次使用中最近的 {n} 条消息（最多 {max} 条）。"
            ));
            ui.separator();
            egui::ScrollArea::vertical()
                .max_height(360.0)
                .show(ui, |ui| {
                    for s in messages.history() {
                        ui.horizontal_wrapped(|ui| {
                            let time =
                                s.at.to_zoned(jiff::tz::TimeZone::system())
                                    .strftime("%H:%M:%S")
                                    .to_string();
                            ui.monospace(time);
                            let level = if s.is_error {
                                lang.tr("Error", "错误")
                            } else {
                                lang.tr("Info", "信息")
                            };
                            ui.label(egui::RichText::new(level).strong());
                            message_ui(ui, s, lang);
                            if s.undo.is_some() && ui.button(lang.tr("Undo", "撤销")).clicked() {
                                out.push(ShellCommand::Undo.into());
                            }
                            if s.is_error
                                && !s.dismissed
                                && ui
                                    .small_button(lang.tr("Dismiss", "关闭"))
                                    .on_hover_text(lang.tr("Dismiss this error", "关闭这条错误"))
                                    .clicked()
                            {
                                out.push(ShellCommand::DismissStatus(Some(s.id)).into());
                            }
                        });
                    }
                });
        });
    if !open {
        out.push(ShellCommand::ToggleHistory.into());
    }
}

/// "Close posdesk? This is not saved yet: …" with Save, Discard and Go back.
pub fn close_question_ui(ctx: &egui::Context, unsaved: &[Msg], lang: Lang, out: &mut Vec<Command>) {
    let modal = egui::Modal::new(egui::Id::unique("close_question")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        ui.heading(lang.tr("Close posdesk?", "关闭 posdesk？"));
        ui.label(lang.tr(
            "This is typed but not saved yet:",
            "以下内容已输入但尚未保存：",
        ));
        for what in unsaved {
            ui.label(format!("• {}", what.get(lang)));
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(lang.tr("Save and close", "保存并关闭")).clicked() {
                out.push(ShellCommand::Close(CloseAnswer::Save).into());
            }
            if ui
                .button(lang.tr("Close without saving", "不保存，直接关闭"))
                .clicked()
            {
                out.push(ShellCommand::Close(CloseAnswer::Discard).into());
            }
            if ui.button(lang.tr("Go back", "返回")).clicked() {
                out.push(ShellCommand::Close(CloseAnswer::GoBack).into());
            }
        });
    });
    if modal.should_close() {
        out.push(ShellCommand::Close(CloseAnswer::GoBack).into());
    }
}
