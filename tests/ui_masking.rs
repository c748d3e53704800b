//! The window's side of card-number masking and text limits (F2, F9 of the reliability review): a
//! paste never grows a field past what it holds, and every form warns before and tells after a save
//! that masked a number.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

mod common;

use common::{harness, harness_with_clock, prefs, type_text};
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::kittest::Queryable;
use posdesk::domain::maintenance::{EventKind, TerminalInfo};
use posdesk::{Clock, Lang};
use posdesk_app::ui::services::Data;

#[test]
fn f9_a_10_mb_paste_into_the_incident_form_is_cut_to_what_the_field_holds() {
    let mut h = harness(common::store(), Lang::En);
    h.get_by_label("Journal").click();
    h.run();
    h.get_by_label("＋ New incident").click();
    h.run();
    let started = std::time::Instant::now();
    h.event(egui::Event::Paste("x".repeat(10 * 1024 * 1024)));
    h.run();
    type_text(&mut h, "y");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    let symptom = h.state().store().unwrap().incident(1).unwrap().symptom;
    assert_eq!(symptom.chars().count(), 4_000);
}

#[test]
fn a_skip_reason_with_a_card_number_is_warned_about_masked_and_told() {
    let clock = Clock::fixed("2026-03-10T12:00:00Z".parse().unwrap());
    let mut store = common::store().with_clock(clock.clone());
    let till = store.add_terminal(&TerminalInfo::named("Till 2")).unwrap();
    let mut h = harness_with_clock(
        Data::Open(store),
        prefs(Lang::En),
        egui::vec2(1200.0, 900.0),
        clock,
    );
    h.get_by_label("Maintenance").click();
    h.run();
    h.query_all_by_label("Skip…").next().unwrap().click();
    h.run();
    type_text(&mut h, "card 4539.0000.0000.0150 stuck");
    h.get_by_label("A card number will be masked when saved: card 453900******0150 stuck");
    h.get_by_label("Skip it").click();
    h.run();
    let status = h.state().status_text().unwrap().to_string();
    assert!(status.contains("card number was masked"), "{status}");
    let history = h
        .state()
        .store()
        .unwrap()
        .history(till.id, None, 10)
        .unwrap();
    assert_eq!(history[0].kind, EventKind::Skipped);
    assert_eq!(history[0].note, "card 453900******0150 stuck");
}

#[test]
fn an_import_that_masked_numbers_says_so_in_its_result() {
    use posdesk_app::ui::command::CodesCommand;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.csv");
    std::fs::write(
        &file,
        "code,title_en,scheme,note\nQ-42,Card 4539.0000.0000.0150 refused,,\n51,,cups,call 4539\t0000\t0000\t0150\n",
    )
    .unwrap();
    let mut h = harness(common::store(), Lang::En);
    h.state_mut().queue(CodesCommand::ImportCodes(Some(file)));
    common::run_until(&mut h, |app| app.status().is_some());
    let status = h.state().status_text().unwrap().to_string();
    assert!(status.starts_with("Imported: 1 new"), "{status}");
    assert!(status.contains("2 card numbers were masked"), "{status}");
    let store = h.state().store().unwrap();
    let own = store.custom_codes().unwrap();
    assert_eq!(own[0].title_en, "Card 453900******0150 refused");
}
