#![allow(clippy::unwrap_used, clippy::expect_used)] // shared by the tests, which fail loudly
//! Shared helpers for the integration tests: stores, entries, and the one factory for the real app
//! under egui_kittest.
#![allow(dead_code)]

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use posdesk::{Clock, Lang, Scheme, Store};
use posdesk_app::ui::app::{PosdeskApp, Prefs};
use posdesk_app::ui::services::Data;

#[path = "../support/fixtures.rs"]
mod fixtures;
#[allow(unused_imports)] // each test binary uses some of them
pub use fixtures::{custom, store};

/// Preferences for a test: this language, normal text size, the scheme following the language.
pub fn prefs(lang: Lang) -> Prefs {
    Prefs {
        lang,
        zoom: 1.0,
        shop: None,
    }
}

/// The real app over `store`, in a 1200×900 window.
pub fn harness(store: Store, lang: Lang) -> Harness<'static, PosdeskApp> {
    harness_with(Data::Open(store), prefs(lang), egui::vec2(1200.0, 900.0))
}

/// The real app over any data, preferences and window size.
pub fn harness_with(data: Data, prefs: Prefs, size: egui::Vec2) -> Harness<'static, PosdeskApp> {
    // A few more settling frames than kittest's default 4: a background job (an import, a thumbnail)
    // finishing during `run()` asks for a frame or two more, which is not a repaint loop.
    let mut h = Harness::builder()
        .with_size(size)
        .with_max_steps(12)
        .build_eframe(move |cc| PosdeskApp::new(&cc.egui_ctx, data, prefs, Clock::system()));
    h.run();
    h
}

/// The real app over any data, preferences and window size, with `clock` (a fixed clock the test
/// moves: days turn while the app is open).
pub fn harness_with_clock(
    data: Data,
    prefs: Prefs,
    size: egui::Vec2,
    clock: Clock,
) -> Harness<'static, PosdeskApp> {
    let mut h = Harness::builder()
        .with_size(size)
        .with_max_steps(12)
        .build_eframe(move |cc| PosdeskApp::new(&cc.egui_ctx, data, prefs, clock));
    h.run();
    h
}

/// Type as the clerk does: into whatever has keyboard focus.
pub fn type_text(h: &mut Harness<'_, PosdeskApp>, text: &str) {
    h.event(egui::Event::Text(text.to_string()));
    h.run();
}

pub const SEARCH_EN: &str = "Type the code or message the terminal shows";
pub const SEARCH_ZH: &str = "输入终端显示的代码或提示";

pub fn search_box<'a>(h: &'a Harness<'_, PosdeskApp>) -> egui_kittest::Node<'a> {
    let label = match h.state().lang() {
        Lang::En => SEARCH_EN,
        Lang::Zh => SEARCH_ZH,
    };
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, label)
}

/// The code of the chosen result.
pub fn chosen(h: &Harness<'_, PosdeskApp>) -> Option<(Scheme, String)> {
    h.state()
        .codes
        .selected_entry(h.state().book())
        .map(|e| (e.scheme, e.code.clone()))
}

/// Step the app until `done` holds, giving a worker thread time to finish (at most ~5 s).
pub fn run_until(h: &mut Harness<'_, PosdeskApp>, done: impl Fn(&PosdeskApp) -> bool) {
    for _ in 0..500 {
        h.step();
        if done(h.state()) {
            // Settle, tolerating the extra frames a finishing worker asks for.
            h.run_ok();
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the app did not finish in time");
}

/// eframe's storage, kept in memory: what `App::save` writes and the next start reads.
#[derive(Default)]
pub struct MemoryStorage(pub std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }

    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }

    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }

    fn flush(&mut self) {}
}

/// A fresh store in a file in a temporary folder (kept while the `TempDir` lives): background jobs
/// open a second connection to it, as they do in the app.
pub fn file_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open_dir(&dir.path().join("data")).expect("file store opens");
    (dir, store)
}
