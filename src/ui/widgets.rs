//! Small pieces every screen draws the same way.

use super::theme::size;
use crate::domain::pan::mask_pans;
use crate::i18n::{Lang, Msg};
use eframe::egui::{self, RichText};

/// A box in the warning colour, for something the clerk must not miss.
pub fn warn_frame(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui)) {
    egui::Frame::new()
        .stroke(egui::Stroke::new(2.0, ui.visuals().warn_fg_color))
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(12, 8))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add(ui);
        });
}

/// A question with its answers, framed so it is not missed.
pub fn question_ui(ui: &mut egui::Ui, text: &str, buttons: impl FnOnce(&mut egui::Ui)) {
    warn_frame(ui, |ui| {
        ui.add(egui::Label::new(RichText::new(text).size(size::LABEL).strong()).wrap());
        ui.horizontal_wrapped(buttons);
    });
}

/// The button for the one obvious next step: large, bold, as tall as a finger on a touch screen, and
/// wrapping its words on a narrow window. One size on every screen.
pub fn big_button(text: &str) -> egui::Button<'_> {
    egui::Button::new(RichText::new(text).size(size::LABEL).strong())
        .wrap()
        .min_size(egui::vec2(120.0, 44.0))
}

/// What went wrong, in the error colour and large enough to be read at arm's length, wrapping.
pub fn error_label(ui: &mut egui::Ui, error: &Msg, lang: Lang) -> egui::Response {
    ui.add(
        egui::Label::new(
            RichText::new(format!("⚠ {}", error.get(lang)))
                .color(ui.visuals().error_fg_color)
                .size(size::LABEL),
        )
        .wrap(),
    )
}

/// How much a text field takes and how it shows: one line or several, its length limit, its width.
#[derive(Debug, Clone, Copy)]
pub struct FieldSize {
    pub rows: usize,
    pub chars: usize,
    pub width: f32,
}

impl FieldSize {
    /// A name, code, serial or phone number: one line as wide as a name needs.
    pub const LINE: FieldSize = FieldSize {
        rows: 1,
        chars: LINE_CHARS,
        width: 640.0,
    };
    /// A note or a reason: two lines to start with.
    pub const NOTE: FieldSize = FieldSize {
        rows: 2,
        chars: NOTE_CHARS,
        width: 640.0,
    };
    /// One line across the whole form.
    pub const WIDE_LINE: FieldSize = FieldSize {
        rows: 1,
        chars: LINE_CHARS,
        width: f32::INFINITY,
    };
    /// A code's explanation, causes or steps: three lines across the whole form.
    pub const LONG: FieldSize = FieldSize {
        rows: 3,
        chars: LONG_CHARS,
        width: f32::INFINITY,
    };
}

/// A labelled text field that takes no more than its size holds, with the card-number hint under it.
pub fn field(
    ui: &mut egui::Ui,
    lang: Lang,
    label: &str,
    text: &mut String,
    fits: FieldSize,
) -> egui::Response {
    let l = ui.label(RichText::new(label).strong());
    let edit = if fits.rows > 1 {
        egui::TextEdit::multiline(text).desired_rows(fits.rows)
    } else {
        egui::TextEdit::singleline(text)
    };
    let r = ui
        .add(
            edit.char_limit(fits.chars)
                .desired_width(fits.width.min(ui.available_width())),
        )
        .labelled_by(l.id);
    pan_hint_ui(ui, text, lang);
    r
}

/// Longest text a one-line field takes: a paste beyond it is cut where it is typed, so a 10 MB paste
/// never reaches the form (the store refuses more than a field holds anyway).
pub const LINE_CHARS: usize = 200;
/// Longest note, reason, symptom or resolution.
pub const NOTE_CHARS: usize = 4_000;
/// Longest text of an own code (an explanation, a list of steps).
pub const LONG_CHARS: usize = 20_000;

/// Under a field: what typed there will be masked as a card number when saved.
pub fn pan_hint_ui(ui: &mut egui::Ui, text: &str, lang: Lang) {
    let masked = mask_pans(text);
    if masked.masked() {
        let shown = masked.text;
        ui.add(
            egui::Label::new(
                RichText::new(crate::trf!(
                    lang,
                    "A card number will be masked when saved: {shown}",
                    "保存时会隐藏卡号：{shown}"
                ))
                .color(ui.visuals().warn_fg_color)
                .size(size::SMALL),
            )
            .wrap(),
        );
    }
}

/// What the status line adds after a save that masked card numbers.
pub fn masked_msg(count: u64) -> Msg {
    if count == 1 {
        Msg::new(
            "A card number was masked (only its first 6 and last 4 digits are kept).",
            "已隐藏卡号（只保留前 6 位和后 4 位）。",
        )
    } else {
        Msg::new(
            format!(
                "{count} card numbers were masked (only their first 6 and last 4 digits are kept)."
            ),
            format!("已隐藏 {count} 个卡号（只保留前 6 位和后 4 位）。"),
        )
    }
}
