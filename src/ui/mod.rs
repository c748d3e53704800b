//! The desktop window: a thin shell over the library, one module per screen.

pub mod app;
pub mod codes;
pub mod editor;
pub mod fonts;
pub mod i18n;
pub mod jobs;
pub mod theme;

use crate::store::Store;
use app::{PosdeskApp, Prefs};
use eframe::egui;
use std::path::PathBuf;

const ICON_PNG: &[u8] = include_bytes!("../../assets/icons/posdesk-256.png");

/// Open the window. A store that cannot be opened is shown to the clerk in the window, not on a
/// console they cannot see.
pub fn run(data_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let dir = crate::paths::data_dir(data_dir);
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("posdesk")
        .with_app_id("posdesk")
        .with_inner_size([1100.0, 760.0])
        .with_min_inner_size([720.0, 480.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(ICON_PNG) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        persistence_path: dir.clone(),
        ..Default::default()
    };
    eframe::run_native(
        "posdesk",
        options,
        Box::new(move |cc| {
            let prefs: Prefs = cc
                .storage
                .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
                .unwrap_or_default();
            let opened = match &dir {
                Some(dir) => Store::open_dir(dir).map_err(|e| e.to_string()),
                None => Err(
                    "no folder for posdesk's data was found; start it with --data-dir DIR".into(),
                ),
            };
            let app: Box<dyn eframe::App> = match opened.and_then(|store| {
                PosdeskApp::new(&cc.egui_ctx, store, prefs.clone()).map_err(|e| e.to_string())
            }) {
                Ok(mut app) => {
                    app.report_startup_from(started);
                    Box::new(app)
                }
                Err(message) => Box::new(StartupError::new(&cc.egui_ctx, message, dir, prefs)),
            };
            Ok(app)
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}

/// Shown instead of the app when the data cannot be opened: what happened and what to do.
struct StartupError {
    message: String,
    dir: Option<PathBuf>,
    prefs: Prefs,
}

impl StartupError {
    fn new(
        ctx: &egui::Context,
        message: String,
        dir: Option<PathBuf>,
        prefs: Prefs,
    ) -> StartupError {
        fonts::install(ctx);
        theme::apply(ctx);
        StartupError {
            message,
            dir,
            prefs,
        }
    }
}

impl eframe::App for StartupError {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let lang = self.prefs.lang;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(lang.tr("posdesk cannot open its data", "posdesk 无法打开数据"));
            ui.add_space(8.0);
            ui.label(&self.message);
            if let Some(dir) = &self.dir {
                ui.label(format!("{} {}", lang.tr("Data folder:", "数据文件夹："), dir.display()));
            }
            ui.add_space(8.0);
            ui.label(lang.tr(
                "Nothing was changed. Close posdesk and call whoever set up this PC; do not delete the data folder.",
                "没有做任何更改。请关闭 posdesk，联系负责这台电脑的人；不要删除数据文件夹。",
            ));
        });
    }
}
