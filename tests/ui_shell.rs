//! The window as a whole: closing it with typing not yet saved, what the next typed code does after an
//! action, the message history, errors that stay, and text typed in the same frame as a click.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

mod common;

use common::{custom, harness, search_box, type_text};
use eframe::egui::{self, Key, ViewportCommand, ViewportEvent, ViewportId, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use posdesk::domain::incident::IncidentDraft;
use posdesk::{Lang, Scheme, Store};
use posdesk_app::ui::app::PosdeskApp;
use posdesk_app::ui::command::{CodesCommand, Route};

/// The window's × (or Alt+F4): eframe's close request, for one frame.
fn request_close(h: &mut Harness<'_, PosdeskApp>) {
    h.input_mut()
        .viewports
        .entry(ViewportId::ROOT)
        .or_default()
        .events
        .push(ViewportEvent::Close);
    h.step();
}

/// The viewport commands the app sent in the last frame.
fn sent(h: &Harness<'_, PosdeskApp>) -> Vec<ViewportCommand> {
    h.output()
        .viewport_output
        .get(&ViewportId::ROOT)
        .map(|v| v.commands.clone())
        .unwrap_or_default()
}

fn what_happened<'a>(h: &'a Harness<'_, PosdeskApp>) -> egui_kittest::Node<'a> {
    h.query_by_role_and_label(Role::MultilineTextInput, "What happened")
        .unwrap_or_else(|| h.get_by_role_and_label(Role::TextInput, "What happened"))
}

/// F2 on 51, then a few words typed into "What happened".
fn half_typed_incident() -> Harness<'static, PosdeskApp> {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "51");
    h.key_press(Key::F2);
    h.run();
    assert_eq!(h.state().route, Route::Journal);
    assert!(what_happened(&h).is_focused());
    type_text(&mut h, "Declined twice");
    h
}

#[test]
fn closing_with_a_half_typed_incident_asks_and_go_back_keeps_it() {
    let mut h = half_typed_incident();
    request_close(&mut h);
    assert!(
        sent(&h).contains(&ViewportCommand::CancelClose),
        "the close was cancelled"
    );
    assert!(h.state().asking_close());
    h.run();
    h.get_by_label("Close posdesk?");
    h.get_by_label("• an incident being written");
    h.get_by_label("Go back").click();
    h.run();
    assert!(!h.state().asking_close());
    let form = h.state().journal.forms.incident.as_ref().unwrap();
    assert_eq!(form.fields.symptom, "Declined twice");
}

#[test]
fn closing_and_saving_saves_the_incident_then_closes() {
    let mut h = half_typed_incident();
    request_close(&mut h);
    h.run();
    h.get_by_label("Save and close").click();
    h.step();
    assert!(sent(&h).contains(&ViewportCommand::Close), "then it closes");
    let page = h
        .state()
        .store()
        .unwrap()
        .list_incidents(&Default::default(), None, 10)
        .unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].note.as_deref(), Some("Declined twice"));
    // The close that follows is let through.
    h.run();
    request_close(&mut h);
    assert!(!sent(&h).contains(&ViewportCommand::CancelClose));
}

#[test]
fn closing_and_discarding_closes_without_saving() {
    let mut h = half_typed_incident();
    request_close(&mut h);
    h.run();
    h.get_by_label("Close without saving").click();
    h.step();
    assert!(sent(&h).contains(&ViewportCommand::Close));
    let store = h.state().store().unwrap();
    assert_eq!(store.count_incidents(&Default::default()).unwrap(), 0);
}

#[test]
fn closing_with_an_unsaved_note_asks_and_nothing_typed_closes_at_once() {
    let mut h = harness(common::store(), Lang::En);
    // Nothing typed: the close goes through.
    request_close(&mut h);
    assert!(!sent(&h).contains(&ViewportCommand::CancelClose));
    assert!(!h.state().asking_close());
    h.run();
    type_text(&mut h, "05");
    let note = h.get_by_role_and_label(Role::MultilineTextInput, "My note");
    note.scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::MultilineTextInput, "My note")
        .click();
    h.run();
    type_text(&mut h, "our bank: call 95516");
    request_close(&mut h);
    assert!(sent(&h).contains(&ViewportCommand::CancelClose));
    h.run();
    h.get_by_label("• a note on 05");
    h.get_by_label("Save and close").click();
    h.step();
    assert!(sent(&h).contains(&ViewportCommand::Close));
    let book = posdesk::Codebook::load(h.state().store().unwrap()).unwrap();
    let noted: Vec<&str> = book
        .find("05", None, None)
        .into_iter()
        .filter_map(|e| book.note(e))
        .collect();
    assert_eq!(noted, vec!["our bank: call 95516"]);
}

#[test]
fn after_enter_the_next_code_replaces_the_old_one() {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "51");
    h.key_press(Key::Enter);
    h.run();
    type_text(&mut h, "05");
    assert_eq!(h.state().codes.view.query, "05", "not 5105");
    assert_eq!(search_box(&h).value().as_deref(), Some("05"));
}

#[test]
fn after_a_row_click_or_saving_a_note_the_next_code_replaces_the_old_one() {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "timeout");
    let second = h.state().codes.view.results[1];
    let code = h.state().book().entries()[second.doc].code.clone();
    h.query_all_by_label_contains(&code)
        .find(|n| n.accesskit_node().role() == Role::Button)
        .unwrap()
        .click();
    h.run();
    assert_eq!(h.state().codes.view.selected, 1);
    type_text(&mut h, "54");
    assert_eq!(h.state().codes.view.query, "54", "not timeout54");
    // Save a note, then type the next code.
    let note = h.get_by_role_and_label(Role::MultilineTextInput, "My note");
    note.scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::MultilineTextInput, "My note")
        .click();
    h.run();
    type_text(&mut h, "call the bank");
    h.get_by_label("Save note").scroll_to_me();
    h.run();
    h.get_by_label("Save note").click();
    h.run();
    type_text(&mut h, "05");
    assert_eq!(h.state().codes.view.query, "05", "not 5405");
}

#[test]
fn a_pasted_sentence_goes_to_what_happened_not_the_code() {
    let mut h = harness(common::store(), Lang::Zh);
    h.event(egui::Event::Paste("顾客说扣了钱但是显示失败".into()));
    h.run();
    assert_eq!(h.state().codes.view.query, "顾客说扣了钱但是显示失败");
    h.key_press(Key::F2);
    h.run();
    let said = "顾客说扣了钱但是显示失败";
    let prefill = h.state().journal.prefill().unwrap();
    assert_ne!(prefill.code.as_deref(), Some(said), "not the code");
    assert_eq!(prefill.symptom, said);
    let form = h.state().journal.forms.incident.as_ref().unwrap();
    assert_eq!(form.fields.symptom, said);
    assert_ne!(form.fields.code, said);
}

#[test]
fn letters_typed_in_the_frame_of_a_click_are_kept() {
    let mut store = common::store();
    store
        .create_incident(&IncidentDraft {
            code: Some("A0".into()),
            symptom: "MAC error".into(),
            ..IncidentDraft::default()
        })
        .unwrap();
    let mut h = harness(store, Lang::En);
    h.get_by_label("Journal").click();
    h.run();
    h.get_by_label("MAC error").click();
    h.run();
    h.query_by_role_and_label(Role::TextInput, "How was it fixed? (optional)")
        .unwrap_or_else(|| {
            h.get_by_role_and_label(Role::MultilineTextInput, "How was it fixed? (optional)")
        })
        .click();
    h.run();
    type_text(&mut h, "customer used another ca");
    // A slow PC: the last letters and the click on the button arrive in one frame.
    let at = h.get_by_label("✔ Mark resolved").rect().center();
    h.input_mut().events.extend([
        egui::Event::Text("rd".into()),
        egui::Event::PointerMoved(at),
        egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed: true,
            modifiers: egui::Modifiers::NONE,
        },
        egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed: false,
            modifiers: egui::Modifiers::NONE,
        },
    ]);
    h.step();
    h.run();
    let incident = h.state().store().unwrap().incident(1).unwrap();
    assert_eq!(incident.resolution, "customer used another card");
}

/// Ask for something that fails with a message: deleting an own code that is not there.
fn fail_once(h: &mut Harness<'_, PosdeskApp>, n: usize) {
    h.state_mut()
        .queue(CodesCommand::DeleteCustom(format!("GONE-{n}")));
    h.run();
}

#[test]
fn the_history_keeps_the_last_hundred_messages_with_time_and_level() {
    let mut h = harness(common::store(), Lang::En);
    for n in 0..120 {
        fail_once(&mut h, n);
    }
    let messages = h.state().messages();
    assert_eq!(messages.len(), 100);
    let newest = messages.history().next().unwrap();
    assert!(newest.is_error);
    assert_eq!(newest.msg.en, "Your code GONE-119 was already gone.");
    let oldest = messages.history().last().unwrap();
    assert_eq!(oldest.msg.en, "Your code GONE-20 was already gone.");
    h.get_by_label("Message history").click();
    h.run();
    assert!(h.state().history_open());
    h.get_by_label("The last 100 messages of this session (at most 100).");
    assert!(h.query_all_by_label("Error").count() >= 10);
}

#[test]
fn undo_stays_until_the_next_action_and_is_offered_in_the_history() {
    let mut s = common::store();
    s.save_custom(&custom("ZX-9", "自定义", "Own code"), None, false)
        .unwrap();
    let mut h = harness(s, Lang::En);
    h.state_mut()
        .queue(CodesCommand::DeleteCustom("ZX-9".into()));
    h.run();
    // Long after 8 seconds, the Undo is still there.
    h.run_steps(200);
    assert_eq!(h.state().status_text(), Some("Deleted your code ZX-9."));
    assert!(h.state().status().unwrap().undo.is_some());
    // An error meanwhile does not end it; it stays in the history.
    fail_once(&mut h, 1);
    h.get_by_label("Message history").click();
    h.run();
    h.get_by_label("Undo").click();
    h.run();
    let book = posdesk::Codebook::load(h.state().store().unwrap()).unwrap();
    assert!(!book.find("ZX-9", Some(Scheme::Custom), None).is_empty());
    assert_eq!(h.state().status_text(), Some("Your code ZX-9 is back."));
    // The next action ends any Undo.
    assert!(h.state().messages().history().all(|s| s.undo.is_none()));
}

#[test]
fn an_error_stays_until_dismissed_and_a_later_message_does_not_hide_it() {
    let mut h = harness(common::store(), Lang::En);
    fail_once(&mut h, 1);
    h.run_steps(200);
    assert_eq!(
        h.state().status_text(),
        Some("Your code GONE-1 was already gone.")
    );
    h.get_by_label("×").click();
    h.run();
    assert!(h.state().status().is_none(), "dismissed");
    assert!(
        h.state()
            .messages()
            .history()
            .any(|m| m.is_error && m.dismissed)
    );
    assert_eq!(h.state().messages().hidden_errors(), 0);
}

#[test]
fn a_later_message_leaves_an_undismissed_error_counted_on_the_line() {
    let mut s: Store = common::store();
    s.save_custom(&custom("ZX-3", "自定义", "Own code"), None, false)
        .unwrap();
    let mut h = harness(s, Lang::En);
    fail_once(&mut h, 1);
    h.state_mut()
        .queue(CodesCommand::DeleteCustom("ZX-3".into()));
    h.run();
    assert_eq!(h.state().status_text(), Some("Deleted your code ZX-3."));
    assert_eq!(h.state().messages().hidden_errors(), 1);
    h.get_by_label("⚠ 1 more").click();
    h.run();
    assert!(h.state().history_open());
    h.get_by_label("Dismiss").click();
    h.run();
    assert_eq!(h.state().messages().hidden_errors(), 0);
}
