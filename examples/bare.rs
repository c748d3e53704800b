//! A bare eframe window: the yardstick `scripts/first-frame.sh` compares posdesk's first frame with.
//! The same size as posdesk's window and one label; no fonts, no data. With
//! `POSDESK_FIRST_FRAME_FILE=PATH` it writes the wall-clock time (Unix seconds) at which its first
//! frame had been painted (the start of the second frame), exactly as posdesk does
//! (`posdesk::ui::startup::FirstFrameProbe`, copied here so this binary stays bare).
//! `BARE_RENDERER=glow` draws with glow instead of wgpu, to match a posdesk that draws with glow.

use eframe::egui;

struct Bare {
    file: Option<std::path::PathBuf>,
    frames: u32,
}

impl eframe::App for Bare {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.label("bare eframe");
        });
        if let Some(file) = &self.file {
            self.frames += 1;
            if self.frames == 1 {
                ui.ctx().request_repaint();
            } else {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0.0, |d| d.as_secs_f64());
                std::fs::write(file, format!("{now:.6}\n")).ok();
                self.file = None;
            }
        }
    }
}

fn main() -> eframe::Result {
    let mut options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("bare")
            .with_inner_size([1100.0, 760.0]),
        ..Default::default()
    };
    if std::env::var("BARE_RENDERER").is_ok_and(|r| r == "glow") {
        options.renderer = eframe::Renderer::Glow;
    }
    let file = std::env::var_os("POSDESK_FIRST_FRAME_FILE").map(Into::into);
    eframe::run_native(
        "bare",
        options,
        Box::new(move |_cc| Ok(Box::new(Bare { file, frames: 0 }))),
    )
}
