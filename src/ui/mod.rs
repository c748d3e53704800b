//! The desktop window: a thin shell over the library. `app` routes commands, `shell` holds what every
//! screen shares, and each screen has its own module (`codes`).

pub mod app;
pub mod codes;
pub mod command;
pub mod fonts;
pub mod jobs;
pub mod journal;
pub mod maintenance;
pub mod printing;
pub mod scanner;
pub mod services;
pub mod settings;
pub mod shell;
pub mod theme;
pub mod widgets;

use crate::clock::Clock;
use crate::i18n::{Explain, Msg};
use crate::store::{Store, StoreError};
use app::{PosdeskApp, Prefs};
use eframe::egui;
use services::{Damaged, Data};
use std::path::{Path, PathBuf};

const ICON_PNG: &[u8] = include_bytes!("../../assets/icons/posdesk-256.png");

/// The file eframe keeps the preferences in. eframe 0.37 treats `persistence_path` as the file
/// itself (its doc comment says folder; given a folder, saving fails silently).
pub fn prefs_file(dir: &Path) -> PathBuf {
    dir.join("app.ron")
}

/// Open the data in `dir`: the store, or why it cannot open (the window then still looks codes up).
pub fn open_data(dir: Option<&Path>, clock: &Clock) -> Data {
    match dir {
        Some(dir) => match Store::open_dir(dir) {
            Ok(store) => Data::Open(store.with_clock(clock.clone())),
            // Never start empty over a damaged file: offer the newest good backup instead.
            Err(e @ StoreError::Damaged { .. }) => Data::Damaged(Damaged {
                dir: dir.to_path_buf(),
                problem: Damaged::problem_line(),
                detail: e.explain(),
                backup: crate::store::backup::backup_files(dir)
                    .into_iter()
                    .find_map(|p| crate::store::backup_summary(&p).ok()),
            }),
            Err(e) => Data::Unavailable {
                problem: e.explain(),
                dir: Some(dir.to_path_buf()),
            },
        },
        None => Data::Unavailable {
            problem: Msg::new(
                "no folder for posdesk's data was found; start it with --data-dir DIR",
                "找不到 posdesk 的数据文件夹；请用 --data-dir 文件夹 启动",
            ),
            dir: None,
        },
    }
}

/// Open the window.
pub fn run(data_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let dir = crate::store::paths::data_dir(data_dir);
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("posdesk")
        .with_app_id("posdesk")
        .with_inner_size([1100.0, 760.0])
        .with_min_inner_size([640.0, 480.0]);
    match eframe::icon_data::from_png_bytes(ICON_PNG) {
        Ok(icon) => viewport = viewport.with_icon(icon),
        Err(e) => eprintln!("posdesk: the window icon could not be read ({e}); using none"),
    }
    let options = eframe::NativeOptions {
        viewport,
        persistence_path: dir.as_deref().map(prefs_file),
        ..Default::default()
    };
    eframe::run_native(
        "posdesk",
        options,
        Box::new(move |cc| {
            let prefs = Prefs::load(cc.storage);
            let clock = Clock::system();
            let data = open_data(dir.as_deref(), &clock);
            let mut app = PosdeskApp::new(&cc.egui_ctx, data, prefs, clock);
            app.report_startup_from(started);
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}
