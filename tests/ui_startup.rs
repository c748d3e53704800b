//! The window paints before the data is checked; a save meanwhile waits and then lands; coming back
//! to the window reads the data again only when it changed (issue 15, item 2). egui_kittest, no GPU.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

mod common;

use common::{file_store, prefs, run_until, type_text};
use eframe::egui::{self, Key, ViewportId};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use posdesk::domain::incident::{IncidentDraft, IncidentFilter};
use posdesk::{Clock, Lang, Store};
use posdesk_app::ui::app::PosdeskApp;
use posdesk_app::ui::command::Route;
use posdesk_app::ui::services::Data;
use posdesk_app::ui::startup::{BundledBook, Opening};
use std::path::PathBuf;
use std::sync::mpsc::{Sender, channel};

/// The app over the data folder `dir`, opened by the start-up worker, whose check waits until the
/// returned sender is used (or dropped): a check that takes as long as the test wants.
fn harness_checking(dir: PathBuf, lang: Lang) -> (Harness<'static, PosdeskApp>, Sender<()>) {
    let (release, gate) = channel::<()>();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1200.0, 900.0))
        .with_max_steps(12)
        .build_eframe(move |cc| {
            let shown = Data::checking(Some(dir.clone()));
            let opening = Opening::spawn(&cc.egui_ctx, move || {
                gate.recv().ok();
                posdesk_app::ui::open_data(Some(&dir), &Clock::system())
            });
            // As `ui::run` starts it: the bundled codebook is built on its own thread too.
            let book = BundledBook::start();
            PosdeskApp::starting(&cc.egui_ctx, shown, book, prefs(lang), Clock::system())
                .with_opening(opening)
        });
    run_until(&mut h, |app| !app.is_book_pending());
    (h, release)
}

/// The app as a clerk starts it, with a bundled codebook that is built only when the returned sender
/// is used (or dropped), and data that opens at once.
fn harness_building_book(dir: PathBuf, lang: Lang) -> (Harness<'static, PosdeskApp>, Sender<()>) {
    let (release, gate) = channel::<()>();
    let h = Harness::builder()
        .with_size(egui::vec2(1200.0, 900.0))
        .with_max_steps(12)
        .build_eframe(move |cc| {
            let shown = Data::checking(Some(dir.clone()));
            let opening = Opening::spawn(&cc.egui_ctx, move || {
                posdesk_app::ui::open_data(Some(&dir), &Clock::system())
            });
            let book = BundledBook::spawn(move || {
                gate.recv().ok();
                posdesk::codebook::Codebook::bundled()
                    .map_err(|e| posdesk::i18n::Msg::new(e.to_string(), e.to_string()))
            });
            PosdeskApp::starting(&cc.egui_ctx, shown, book, prefs(lang), Clock::system())
                .with_opening(opening)
        });
    (h, release)
}

fn incidents(store: &Store) -> usize {
    store
        .list_incidents(&IncidentFilter::default(), None, 10)
        .unwrap()
        .rows
        .len()
}

#[test]
fn the_first_frame_shows_and_bundled_lookups_work_while_the_check_is_pending() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, release) = harness_checking(dir.path().join("data"), Lang::En);
    h.run();
    assert!(h.state().is_checking());
    assert!(h.state().store().is_none());
    // The window is there, says what it is doing, and looks codes up from the bundled pack.
    h.get_by_label_contains("Checking posdesk's data file");
    type_text(&mut h, "51");
    assert_eq!(
        common::chosen(&h).map(|(_, code)| code).as_deref(),
        Some("51")
    );
    release.send(()).unwrap();
    run_until(&mut h, |app| !app.is_checking());
    assert!(
        h.state().store().is_some(),
        "the store opened after the check"
    );
    assert!(
        h.query_by_label_contains("Checking posdesk's data file")
            .is_none()
    );
}

#[test]
fn a_code_typed_before_the_codebook_is_built_is_looked_up_when_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, release) = harness_building_book(dir.path().join("data"), Lang::En);
    // Frames go on while the list loads (a spinner turns): step them rather than wait for calm.
    h.run_steps(3);
    assert!(h.state().is_book_pending());
    h.event(egui::Event::Text("51".into()));
    h.run_steps(3);
    // Neither an answer nor "not found" yet: the list is loading, and what was typed is kept.
    h.get_by_label_contains("Loading the list of codes");
    // The status line does not say "0 codes" meanwhile.
    h.get_by_label_contains("Loading the codes…");
    assert!(h.query_by_label_contains("0 codes").is_none());
    assert_eq!(common::chosen(&h), None);
    assert!(
        h.query_by_label_contains("Nothing in posdesk matches")
            .is_none()
    );
    release.send(()).unwrap();
    run_until(&mut h, |app| !app.is_book_pending());
    h.run();
    assert_eq!(
        common::chosen(&h).map(|(_, code)| code).as_deref(),
        Some("51")
    );
    assert!(
        h.query_by_label_contains("Loading the list of codes")
            .is_none()
    );
    h.get_by_label_contains("codes · works offline");
}

#[test]
fn an_incident_saved_during_the_check_waits_says_so_and_then_lands() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (mut h, release) = harness_checking(data.clone(), Lang::En);
    h.run();
    type_text(&mut h, "51");
    h.key_press(Key::F2);
    h.run();
    assert_eq!(h.state().route, Route::Journal, "the form opens meanwhile");
    type_text(&mut h, "Declined while posdesk was starting");
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Enter);
    h.run();
    // Not written: the store is not even open. The form keeps what was typed, and the clerk is told.
    assert!(h.state().is_checking());
    assert!(h.state().journal.prefill().is_some(), "the form stays open");
    let said = h.state().status_text().unwrap().to_string();
    assert!(said.contains("still checking its data file"), "{said}");
    assert!(
        said.contains("saved as soon as the check has passed"),
        "{said}"
    );
    // Saved twice while waiting: still one incident.
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Enter);
    h.run();
    release.send(()).unwrap();
    run_until(&mut h, |app| {
        app.store().is_some_and(|s| incidents(s) == 1) && app.journal.prefill().is_none()
    });
    assert_eq!(h.state().status_text(), Some("Incident #1 saved."));
    let page = h
        .state()
        .store()
        .unwrap()
        .list_incidents(&IncidentFilter::default(), None, 10)
        .unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].code.as_deref(), Some("51"));
    drop(h);
    // And it is in the file.
    let again = Store::open_dir(&data).unwrap();
    assert_eq!(incidents(&again), 1);
}

#[test]
fn a_damaged_file_found_by_the_worker_still_gets_the_recovery_offer() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    drop(Store::open_dir(&data).unwrap());
    // Overwrite the middle of the file: the quick check fails.
    let db = data.join(posdesk::store::DB_FILE);
    let mut bytes = std::fs::read(&db).unwrap();
    let len = bytes.len();
    for b in &mut bytes[len / 4..] {
        *b = 0x5A;
    }
    std::fs::write(&db, &bytes).unwrap();
    let (mut h, release) = harness_checking(data, Lang::En);
    h.run();
    drop(release);
    run_until(&mut h, |app| !app.is_checking());
    assert!(h.state().data().damaged().is_some(), "offered as damaged");
    assert!(h.state().store().is_none());
}

/// The window loses the focus and gets it back, as when the clerk used another program meanwhile.
fn leave_and_come_back(h: &mut Harness<'_, PosdeskApp>) {
    let root = ViewportId::ROOT;
    h.input_mut().viewports.entry(root).or_default().focused = Some(false);
    h.run();
    h.input_mut().viewports.entry(root).or_default().focused = Some(true);
    h.run();
}

#[test]
fn coming_back_to_the_window_reads_the_data_again_only_when_it_changed() {
    let (_dir, store) = file_store();
    let path = store.path().unwrap().to_path_buf();
    let mut h = common::harness(store, Lang::En);
    leave_and_come_back(&mut h);
    assert_eq!(
        h.state().focus_reloads(),
        0,
        "nothing changed: nothing read"
    );
    // Its own saves are not a change from outside either.
    type_text(&mut h, "51");
    h.key_press(Key::F2);
    h.run();
    type_text(&mut h, "declined here");
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Enter);
    h.run();
    assert_eq!(h.state().status_text(), Some("Incident #1 saved."));
    leave_and_come_back(&mut h);
    assert_eq!(h.state().focus_reloads(), 0);
    // Another posdesk (here: the CLI's way in) logs an incident while the window is in the background.
    let mut other = Store::open(&path).unwrap();
    other
        .create_incident(&IncidentDraft {
            code: Some("51".into()),
            symptom: "logged from the other till".into(),
            ..IncidentDraft::default()
        })
        .unwrap();
    leave_and_come_back(&mut h);
    assert_eq!(h.state().focus_reloads(), 1);
    assert_eq!(h.state().journal.view.total, 2, "the journal shows it");
    leave_and_come_back(&mut h);
    assert_eq!(h.state().focus_reloads(), 1, "read once, not again");
}
