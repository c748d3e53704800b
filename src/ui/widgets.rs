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
