//! The desktop window.

use eframe::egui;
use std::path::PathBuf;

pub fn run(data_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let _ = data_dir;
    let options = eframe::NativeOptions::default();
    eframe::run_native(
        "posdesk",
        options,
        Box::new(|_cc| Ok(Box::new(Shell))),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}

struct Shell;

impl eframe::App for Shell {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| ui.heading("posdesk"));
    }
}
