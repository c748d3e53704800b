//! A USB till scanner driven as it really types (egui_kittest, no GPU): Shift + letter keys for
//! capitals, digit keys, each with its text event, then Enter, 1 ms apart, either one event per frame
//! or all of them in one frame (a slow frame piles them up). Wherever it arrives (the board, the search
//! box, an open form) it records the task once and changes no other row or field; a product EAN changes
//! nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

mod common;

use eframe::egui::{self, Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use posdesk::domain::maintenance::{EventKind, ScheduleId, SheetSpan, TerminalId, TerminalInfo};
use posdesk::domain::scan::ScanCode;
use posdesk::{Clock, Lang, Store};
use posdesk_app::ui::app::PosdeskApp;
use posdesk_app::ui::command::{MaintenanceCommand, Route};
use posdesk_app::ui::services::Data;

const NOW: &str = "2026-03-10T12:00:00Z";
/// Three days earlier: the terminal was added then, so its daily tasks are overdue.
const ADDED: &str = "2026-03-07T12:00:00Z";

/// How the scanner's keys reach the window.
#[derive(Debug, Clone, Copy)]
enum Pace {
    /// One event per frame, 1 ms apart.
    EventPerFrame,
    /// Every event of the scan in one frame.
    OneFrame,
}

/// A store with two card terminals added three days ago, and the app over it at `NOW`, with frames
/// 1 ms apart (a scanner's pace).
fn setup() -> (Harness<'static, PosdeskApp>, TerminalId, TerminalId) {
    let clock = Clock::fixed(ADDED.parse().unwrap());
    let mut store = common::store().with_clock(clock.clone());
    let till1 = store
        .add_terminal(&TerminalInfo::named("Till 1"))
        .unwrap()
        .id;
    let till2 = store
        .add_terminal(&TerminalInfo::named("Till 2"))
        .unwrap()
        .id;
    clock.set(NOW.parse().unwrap());
    let mut h = Harness::builder()
        .with_size(egui::vec2(1200.0, 900.0))
        .with_max_steps(200)
        .with_step_dt(0.001)
        .build_eframe(move |cc| {
            PosdeskApp::new(
                &cc.egui_ctx,
                Data::Open(store),
                common::prefs(Lang::En),
                clock,
            )
        });
    h.run();
    (h, till1, till2)
}

fn store<'a>(h: &'a Harness<'_, PosdeskApp>) -> &'a Store {
    h.state().store().unwrap()
}

/// Today's sheet line of `task` on `terminal`.
fn line_code(h: &Harness<'_, PosdeskApp>, terminal: TerminalId, task: &str) -> ScanCode {
    let today = h.state().today();
    let line = store(h)
        .sheet_lines(Some(terminal), SheetSpan::Day(today))
        .unwrap()
        .into_iter()
        .find(|l| l.task.key == task)
        .unwrap();
    ScanCode::new(line.schedule.0, line.date)
}

/// The keyboard events a HID scanner sends for `text`, then Enter.
fn scanner_events(text: &str, terminator: Option<Key>) -> Vec<Event> {
    let key_event = |key: Key, pressed: bool, modifiers: Modifiers| Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers,
    };
    let mut events = Vec::new();
    for c in text.chars() {
        let key = Key::from_name(&c.to_ascii_uppercase().to_string()).unwrap();
        let shift = c.is_ascii_uppercase();
        let mods = if shift {
            Modifiers::SHIFT
        } else {
            Modifiers::NONE
        };
        if shift {
            events.push(key_event(Key::ShiftLeft, true, Modifiers::SHIFT));
        }
        events.push(key_event(key, true, mods));
        events.push(Event::Text(c.to_string()));
        events.push(key_event(key, false, mods));
        if shift {
            events.push(key_event(Key::ShiftLeft, false, Modifiers::NONE));
        }
    }
    if let Some(key) = terminator {
        events.push(key_event(key, true, Modifiers::NONE));
        events.push(key_event(key, false, Modifiers::NONE));
    }
    events
}

/// Feed a scan at `pace`, then let the window settle (a scan without Enter completes after 50 ms).
fn scan(h: &mut Harness<'_, PosdeskApp>, text: &str, terminator: Option<Key>, pace: Pace) {
    let events = scanner_events(text, terminator);
    match pace {
        Pace::EventPerFrame => {
            for e in events {
                h.event(e);
            }
            h.step();
        }
        Pace::OneFrame => {
            h.input_mut().events.extend(events);
            h.step();
        }
    }
    h.run_steps(80);
    h.run();
}

fn done_events(h: &Harness<'_, PosdeskApp>, terminal: TerminalId) -> Vec<(ScheduleId, EventKind)> {
    store(h)
        .history(terminal, None, 100)
        .unwrap()
        .into_iter()
        .map(|e| (e.schedule, e.kind))
        .collect()
}

fn status(h: &Harness<'_, PosdeskApp>) -> String {
    h.state().status_text().unwrap_or_default().to_string()
}

/// The first scan asks who did it; "Record" with the clerk box ticked answers for every later scan.
fn answer_who(h: &mut Harness<'_, PosdeskApp>, name: &str) {
    assert!(
        h.state().maintenance.forms.scanned.is_some(),
        "the first scan asks who did it"
    );
    assert_eq!(h.state().route, Route::Maintenance);
    h.state_mut().maintenance.forms.scanned.as_mut().unwrap().by = name.into();
    h.get_by_label("Record").click();
    h.run();
}

#[test]
fn a_scan_on_the_board_records_its_task_once_and_never_the_chosen_row() {
    for pace in [Pace::EventPerFrame, Pace::OneFrame] {
        for code_form in ["text", "digits"] {
            let (mut h, till1, till2) = setup();
            h.get_by_label("Maintenance").click();
            h.run();
            let board_before = h.state().maintenance.view.board.len();
            // The chosen row is Till 1's first task; the scan is Till 2's paper.
            let chosen = h.state().maintenance.view.board[0].schedule;
            let code = line_code(&h, till2, "receipt_paper");
            let typed = if code_form == "text" {
                code.encode()
            } else {
                code.barcode()
            };
            scan(&mut h, &typed, Some(Key::Enter), pace);
            // The paper task's sheet asks for the spare rolls: asked after the scan.
            assert!(
                h.query_all_by_label_contains("Spare rolls left")
                    .next()
                    .is_some(),
                "the value is asked for"
            );
            h.state_mut()
                .maintenance
                .forms
                .scanned
                .as_mut()
                .unwrap()
                .value = "3".into();
            answer_who(&mut h, "Wang");
            let paper = ScheduleId(code.schedule_id);
            let recorded = store(&h).history(till2, None, 1).unwrap();
            assert_eq!(recorded[0].value.as_deref(), Some("3"));
            assert_eq!(
                done_events(&h, till2),
                vec![(paper, EventKind::Done)],
                "{pace:?} {code_form}: {}",
                status(&h)
            );
            assert!(
                done_events(&h, till1).is_empty(),
                "{pace:?}: the chosen row"
            );
            assert!(
                h.state().maintenance.view.item(chosen).is_some(),
                "{pace:?}: the chosen row is still due"
            );
            assert_eq!(h.state().maintenance.view.board.len(), board_before - 1);
            // Today's line of a task overdue since three days covers the missed days too.
            let s = status(&h);
            assert!(
                s.starts_with("Done from the sheet: Check the receipt paper on Till 2")
                    && s.contains("4 dates covered")
                    && s.contains("by Wang"),
                "{s}"
            );
            assert!(h.state().status().unwrap().undo.is_some());
            // The same line again: once only. And the clerk is not asked again.
            scan(&mut h, &typed, Some(Key::Enter), pace);
            assert!(h.state().maintenance.forms.scanned.is_none());
            assert!(status(&h).starts_with("Already recorded"), "{}", status(&h));
            assert_eq!(done_events(&h, till2).len(), 1);
            // Another line is recorded at once, as done by the clerk.
            let wipe = line_code(&h, till2, "wipe_screen_window");
            scan(&mut h, &wipe.barcode(), None, pace);
            assert_eq!(done_events(&h, till2).len(), 2, "{}", status(&h));
            let last = store(&h).history(till2, None, 1).unwrap();
            assert_eq!(last[0].by, "Wang");
            assert!(done_events(&h, till1).is_empty());
        }
    }
}

#[test]
fn a_product_barcode_changes_nothing_anywhere() {
    for pace in [Pace::EventPerFrame, Pace::OneFrame] {
        let (mut h, till1, till2) = setup();
        // On the Codes screen, in the search box.
        common::search_box(&h).focus();
        h.run();
        scan(&mut h, "6901234567892", Some(Key::Enter), pace);
        assert_eq!(h.state().codes.view.query, "", "{pace:?}");
        assert!(status(&h).contains("product barcode"), "{}", status(&h));
        // On the board.
        h.get_by_label("Maintenance").click();
        h.run();
        let board = h.state().maintenance.view.board.clone();
        scan(&mut h, "6901234567892", Some(Key::Enter), pace);
        assert_eq!(h.state().maintenance.view.board, board, "{pace:?}");
        assert!(done_events(&h, till1).is_empty() && done_events(&h, till2).is_empty());
        assert!(status(&h).contains("product barcode"), "{}", status(&h));
    }
}

#[test]
fn a_scan_into_the_search_box_leaves_the_search_alone() {
    for pace in [Pace::EventPerFrame, Pace::OneFrame] {
        let (mut h, _till1, till2) = setup();
        common::search_box(&h).focus();
        h.run();
        common::type_text(&mut h, "51");
        h.run_steps(80);
        assert_eq!(h.state().codes.view.query, "51");
        let code = line_code(&h, till2, "receipt_paper");
        scan(&mut h, &code.encode(), Some(Key::Enter), pace);
        answer_who(&mut h, "Li");
        assert_eq!(done_events(&h, till2).len(), 1, "{pace:?}: {}", status(&h));
        assert_eq!(
            h.state().codes.view.query,
            "51",
            "{pace:?}: nothing glued onto the search"
        );
    }
}

#[test]
fn a_scan_inside_an_open_form_leaves_its_fields_alone() {
    for pace in [Pace::EventPerFrame, Pace::OneFrame] {
        let (mut h, _till1, till2) = setup();
        h.get_by_label("Maintenance").click();
        h.run();
        // The clerk is known from an earlier scan.
        let paper = line_code(&h, till2, "receipt_paper");
        scan(&mut h, &paper.barcode(), Some(Key::Enter), pace);
        answer_who(&mut h, "Wang");
        // Now a new terminal's form is open, a name half typed.
        h.state_mut().queue(MaintenanceCommand::NewTerminal);
        h.run();
        let name = h.get_by_role_and_label(
            egui::accesskit::Role::TextInput,
            "Name (e.g. Till 2 card terminal)",
        );
        name.focus();
        h.run();
        common::type_text(&mut h, "Till 9");
        h.run_steps(80);
        let before = h.state().maintenance.forms.terminal.clone().unwrap().info;
        assert_eq!(before.name, "Till 9");
        let wipe = line_code(&h, till2, "wipe_screen_window");
        scan(&mut h, &wipe.encode(), Some(Key::Tab), pace);
        let after = h.state().maintenance.forms.terminal.clone();
        assert_eq!(
            after.map(|f| f.info),
            Some(before),
            "{pace:?}: the form is as it was"
        );
        assert_eq!(done_events(&h, till2).len(), 2, "{pace:?}: {}", status(&h));
    }
}

#[test]
fn a_person_typing_still_types() {
    let (mut h, _, _) = setup();
    common::search_box(&h).focus();
    h.run();
    // Key by key, 150 ms apart: a person.
    for c in "pd1a".chars() {
        for e in scanner_events(&c.to_string(), None) {
            h.event(e);
        }
        h.step();
        h.run_steps(150);
    }
    h.run();
    assert_eq!(h.state().codes.view.query, "pd1a");
}

#[test]
fn a_future_line_is_refused_with_its_day() {
    let (mut h, _till1, till2) = setup();
    h.get_by_label("Maintenance").click();
    h.run();
    let today = h.state().today();
    let code = line_code(&h, till2, "receipt_paper");
    let later = ScanCode::new(
        code.schedule_id,
        today.checked_add(jiff::Span::new().days(2)).unwrap(),
    );
    scan(&mut h, &later.barcode(), Some(Key::Enter), Pace::OneFrame);
    assert!(h.state().maintenance.forms.scanned.is_none());
    let s = status(&h);
    assert!(
        s.contains("This line is for") && s.contains("2026-03-12"),
        "{s}"
    );
    assert!(done_events(&h, till2).is_empty());
}

#[test]
fn the_board_shows_every_step_and_every_warning() {
    let (mut h, _till1, _till2) = setup();
    h.get_by_label("Maintenance").click();
    h.run();
    // The warning is in view under the title, whole.
    assert!(
        h.query_all_by_label_contains("never spray anything onto the terminal")
            .next()
            .is_some()
    );
    // "How to do it" opens the task's card: why, and every step in full.
    let template = store(&h).template("wipe_screen_window").unwrap().unwrap();
    let row = h
        .state()
        .maintenance
        .view
        .board
        .iter()
        .position(|i| i.task.key == "wipe_screen_window")
        .unwrap();
    h.query_all_by_label("How to do it")
        .nth(row)
        .unwrap()
        .click();
    h.run();
    for step in &template.steps_en {
        assert!(
            h.query_all_by_label_contains(step.trim()).next().is_some(),
            "{step}"
        );
    }
}
