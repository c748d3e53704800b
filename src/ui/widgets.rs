//! Small pieces every screen draws the same way.

use super::theme::size;
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
