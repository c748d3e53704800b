//! The real app driven as a clerk drives it: by labels, clicks and keys (egui_kittest, no GPU needed).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

mod common;

use eframe::egui::{self, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use posdesk::ui::app::{PosdeskApp, Prefs};
use posdesk::ui::i18n::Lang;
use posdesk::{Codebook, Scheme, Store};

const SEARCH_EN: &str = "Type the code or message the terminal shows";

fn harness(store: Store, lang: Lang) -> Harness<'static, PosdeskApp> {
    let mut h = Harness::builder()
        .with_size([1200.0, 900.0])
        .build_eframe(move |cc| {
            PosdeskApp::new(&cc.egui_ctx, store, Prefs { lang, zoom: 1.0 }).unwrap()
        });
    h.run();
    h
}

/// Type as the clerk does: into whatever has keyboard focus.
fn type_text(h: &mut Harness<'_, PosdeskApp>, text: &str) {
    h.event(egui::Event::Text(text.to_string()));
    h.run();
}

fn search_box<'a>(h: &'a Harness<'_, PosdeskApp>) -> egui_kittest::Node<'a> {
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, SEARCH_EN)
}

#[test]
fn the_cursor_starts_in_the_search_box_and_a_code_shows_its_card() {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "51");
    assert_eq!(h.state().codes.query, "51");
    assert!(search_box(&h).is_focused());
    h.get_by_label("Insufficient funds");
    h.get_by_label("What to do");
    h.get_by_label("Who can fix it");
    h.get_by_label("🔧  Retry only after the fix");
}

#[test]
fn a_chinese_word_finds_its_code_in_chinese() {
    let mut h = harness(common::store(), Lang::Zh);
    type_text(&mut h, "余额不足");
    let e = h.state().codes.selected_entry(h.state().book()).unwrap();
    assert_eq!(e.code, "51");
    h.get_by_label("怎么办");
    h.get_by_label("谁来处理");
    assert!(h.query_all_by_label("余额不足").count() >= 1);
}

#[test]
fn switching_language_relabels_the_screen_and_is_kept_in_prefs() {
    let mut h = harness(common::store(), Lang::En);
    h.get_by_label("Codes");
    h.get_by_label("中文").click();
    h.run();
    h.get_by_label("代码查询");
    assert_eq!(h.state().prefs.lang, Lang::Zh);
    h.get_by_label("English").click();
    h.run();
    h.get_by_label("Codes");
    assert_eq!(h.state().prefs.lang, Lang::En);
}

#[test]
fn escape_clears_the_search() {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "A0");
    assert!(h.query_all_by_label_contains("MAC").next().is_some());
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(h.state().codes.query, "");
    h.get_by_label("What does the terminal show?");
    // The cursor is back in the box: typing goes on working.
    type_text(&mut h, "54");
    assert_eq!(h.state().codes.query, "54");
}

#[test]
fn arrow_keys_move_through_results_and_enter_opens() {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "USERPAYING");
    let first = h
        .state()
        .codes
        .selected_entry(h.state().book())
        .unwrap()
        .clone();
    assert_eq!(first.code, "USERPAYING");
    h.get_by_label("⚠  Check first: the customer may already have paid");
    h.key_press(Key::Escape);
    h.run();
    type_text(&mut h, "card");
    assert!(h.state().codes.results.len() > 2);
    h.key_press(Key::ArrowDown);
    h.run();
    assert_eq!(h.state().codes.selected, 1);
    h.key_press(Key::ArrowUp);
    h.run();
    assert_eq!(h.state().codes.selected, 0);
    h.key_press(Key::Enter);
    h.run();
    assert!(
        !search_box(&h).is_focused(),
        "Enter leaves the box for the card"
    );
    // Ctrl+F (or /) brings the cursor back.
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::F);
    h.run();
    assert!(search_box(&h).is_focused());
}

#[test]
fn an_unknown_code_shows_the_ladder_and_can_become_my_own_code() {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "ZX-999");
    h.get_by_label("\"ZX-999\" is not in posdesk yet");
    assert!(
        h.query_all_by_label_contains("Restart the terminal")
            .next()
            .is_some()
    );
    h.get_by_label("＋ Add \"ZX-999\" as my own code").click();
    h.run();
    h.get_by_label("Add my own code");
    let title = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Title (English)");
    title.click();
    h.run();
    type_text(&mut h, "Acquirer says: card brand not enabled");
    h.get_by_label("Save").click();
    h.run();
    assert!(
        h.state().codes.editor.is_none(),
        "{:?}",
        h.state().codes.editor
    );
    let e = h.state().codes.selected_entry(h.state().book()).unwrap();
    assert_eq!((e.scheme, e.code.as_str()), (Scheme::Custom, "ZX-999"));
    // It is in the store, found by search.
    let book = Codebook::load(h.state().store()).unwrap();
    assert_eq!(
        book.search("zx999", 3)[0].title_en,
        "Acquirer says: card brand not enabled"
    );
    assert_eq!(book.search("brand not enabled", 3)[0].code, "ZX-999");
}

#[test]
fn saving_a_custom_code_without_a_title_shows_why() {
    let mut h = harness(common::store(), Lang::En);
    h.get_by_label("＋ Add my own code").click();
    h.run();
    h.get_by_label("Save").click();
    h.run();
    let editor = h.state().codes.editor.as_ref().expect("form stays open");
    assert!(editor.error.as_deref().unwrap().contains("Not saved"));
    assert!(h.state().store().custom_codes().unwrap().is_empty());
}

#[test]
fn a_note_on_a_bundled_code_is_kept_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut h = harness(Store::open_dir(dir.path()).unwrap(), Lang::En);
        type_text(&mut h, "05");
        let note = h.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "My note");
        note.scroll_to_me();
        h.run();
        let note = h.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "My note");
        note.click();
        h.run();
        type_text(&mut h, "our bank: call 95516");
        h.get_by_label("Save note").scroll_to_me();
        h.run();
        h.get_by_label("Save note").click();
        h.run();
        h.get_by_label("✔ Note saved.");
    }
    let store = Store::open_dir(dir.path()).unwrap();
    let book = Codebook::load(&store).unwrap();
    let e05 = book.find("05", Some(Scheme::Iso8583))[0];
    assert_eq!(book.note(e05), Some("our bank: call 95516"));
    let mut h = harness(store, Lang::En);
    type_text(&mut h, "95516");
    let e = h.state().codes.selected_entry(h.state().book()).unwrap();
    assert_eq!(e.code, "05", "the note's words find the code");
    assert_eq!(
        h.state().codes.note_draft,
        "our bank: call 95516",
        "the card shows the note"
    );
}

#[test]
fn text_size_buttons_change_and_keep_the_zoom() {
    let mut h = harness(common::store(), Lang::En);
    h.get_by_label("A+").click();
    h.run();
    assert!(
        (h.state().prefs.zoom - 1.1).abs() < 1e-3,
        "{}",
        h.state().prefs.zoom
    );
    h.get_by_label("A−").click();
    h.run();
    h.get_by_label("A−").click();
    h.run();
    assert!(
        (h.state().prefs.zoom - 0.9).abs() < 1e-3,
        "{}",
        h.state().prefs.zoom
    );
}

/// Step the app until `done` holds, giving a worker thread time to finish (at most ~5 s).
fn run_until(h: &mut Harness<'_, PosdeskApp>, done: impl Fn(&PosdeskApp) -> bool) {
    for _ in 0..500 {
        h.step();
        if done(h.state()) {
            h.run();
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the app did not finish in time");
}

#[test]
fn importing_a_file_in_the_background_adds_codes_and_a_bad_file_changes_nothing() {
    use posdesk::ui::app::Command;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("mine.csv");
    std::fs::write(
        &good,
        "code,title_zh,title_en\nQ-42,商户未开通外卡,Foreign cards not enabled\n",
    )
    .unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "code,title_en,retry\nQ-43,Fine,now\nQ-44,Bad,sometimes\n",
    )
    .unwrap();

    let mut h = harness(common::store(), Lang::En);
    h.state_mut().queue(Command::ImportCodes(Some(good)));
    run_until(&mut h, |app| app.status.is_some());
    h.get_by_label("✔ Imported: 1 new, 0 updated.");
    type_text(&mut h, "外卡");
    let e = h.state().codes.selected_entry(h.state().book()).unwrap();
    assert_eq!(e.code, "Q-42");

    h.state_mut().queue(Command::ImportCodes(Some(bad)));
    run_until(&mut h, |app| {
        app.status.as_ref().is_some_and(|s| s.is_error)
    });
    let status = h.state().status.clone().unwrap();
    assert!(
        status.text.contains("line 3") && status.text.contains("nothing was changed"),
        "{status:?}"
    );
    let codes: Vec<String> = h
        .state()
        .store()
        .custom_codes()
        .unwrap()
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(codes, vec!["Q-42"]);

    let out = dir.path().join("out.json");
    h.state_mut().queue(Command::ExportCodes(Some(out.clone())));
    run_until(&mut h, |app| {
        app.status
            .as_ref()
            .is_some_and(|s| s.text.starts_with("Exported"))
    });
    assert!(std::fs::read_to_string(&out).unwrap().contains("Q-42"));
}
