//! The desktop window: a thin shell over the library. `app` routes commands, `shell` holds what every
//! screen shares, and each screen has its own module (`codes`).

pub mod app;
pub mod codes;
pub mod command;
pub mod fonts;
pub mod jobs;
pub mod journal;
pub mod maintenance;
pub mod messages;
pub mod printing;
pub mod renderer;
pub mod scanner;
pub mod services;
pub mod settings;
pub mod shell;
pub mod startup;
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
            Err(e @ StoreError::Damaged { .. }) => {
                tracing::error!("the data file is damaged: {e:?}");
                Data::Damaged(Damaged {
                    dir: dir.to_path_buf(),
                    problem: Damaged::problem_line(),
                    detail: e.explain(),
                    backup: crate::store::backup::backup_files(dir)
                        .into_iter()
                        .find_map(|p| crate::store::backup_summary(&p).ok()),
                })
            }
            Err(e) => {
                tracing::error!("the data could not be opened: {e:?}");
                Data::Unavailable {
                    problem: e.explain(),
                    dir: Some(dir.to_path_buf()),
                }
            }
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

/// Open the window, falling back to the next way of drawing when one cannot start (see
/// [`renderer`]). Each way is tried in a child posdesk process: a graphics driver that aborts the
/// process (Wine's vkd3d does, on an assertion) then takes only that attempt down.
pub fn run(data_dir: Option<PathBuf>) -> anyhow::Result<()> {
    use renderer::{RendererFailure, RendererMemory, RendererStore};
    let dir = crate::store::paths::data_dir(data_dir);
    if let Some(dir) = &dir
        && let Err(e) = crate::logfile::init(dir)
    {
        eprintln!("posdesk: no log file ({e})");
    }
    if let Some(choice) = renderer::attempt_from_env() {
        return run_with(choice, dir).map_err(|e| anyhow::anyhow!("{e}"));
    }
    let memory_store = RendererStore::in_dir(dir.as_deref());
    let memory = memory_store.load();
    let forced = renderer::forced_from_env();
    let mut failures: Vec<RendererFailure> = Vec::new();
    for choice in memory.attempt_order(forced) {
        // Said before trying, so a start that dies outright tries this one last next time.
        memory_store.save(&RendererMemory {
            works: memory.works,
            trying: Some(choice),
        });
        let error = match renderer::run_child(choice, &failures) {
            // The child could not be started at all: try in this process.
            Err(spawn_error) => {
                eprintln!("posdesk: {spawn_error}; drawing in this process");
                match run_with(choice, dir.clone()) {
                    Ok(()) => return Ok(()),
                    Err(e) => e,
                }
            }
            Ok(outcome) if outcome.success => return Ok(()),
            Ok(outcome) => {
                // It drew, then stopped: that is the app's own failure, not the renderer's.
                let now = memory_store.load();
                if now.works == Some(choice) && now.trying.is_none() {
                    anyhow::bail!("posdesk stopped: {}", outcome.error);
                }
                outcome.error
            }
        };
        eprintln!(
            "posdesk: the window could not draw with {}: {error}",
            choice.key()
        );
        failures.push(RendererFailure { choice, error });
    }
    memory_store.save(&RendererMemory {
        works: memory.works,
        trying: None,
    });
    renderer::report_nothing_worked(&failures);
    Err(anyhow::anyhow!(
        "no way of drawing the window worked on this PC (see above)"
    ))
}

/// Open the window drawing with `choice`, in this process; the error says why it could not.
fn run_with(choice: renderer::RendererChoice, dir: Option<PathBuf>) -> Result<(), String> {
    use renderer::{RendererInUse, RendererStore};
    let started = std::time::Instant::now();
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
    let store = RendererStore::in_dir(dir.as_deref());
    let failed_before = renderer::failures_from_env();
    // Built once the first frame is on screen (see `BundledBook`).
    let book = startup::BundledBook::start();
    let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        eframe::run_native(
            "posdesk",
            choice.apply(options),
            Box::new(move |cc| {
                let prefs = Prefs::load(cc.storage);
                let clock = Clock::system();
                // The store opens and is checked on a worker: the window paints at once.
                let (data, opening) =
                    startup::Opening::start(&cc.egui_ctx, dir.clone(), clock.clone());
                let in_use = RendererInUse::new(choice, cc, failed_before);
                let mut app = PosdeskApp::starting(&cc.egui_ctx, data, book, prefs, clock)
                    .with_opening(opening);
                app.set_renderer(in_use);
                app.report_startup_from(started);
                Ok(Box::new(renderer::RememberWhenDrawn::new(
                    app, store, choice,
                )))
            }),
        )
    }));
    match attempt {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(panic) => Err(renderer::panic_text(panic.as_ref())),
    }
}
