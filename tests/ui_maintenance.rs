//! The Maintenance screen driven as a clerk drives it: by labels, clicks and keys (egui_kittest, no
//! GPU). The clock is fixed so the board's dates are known, and moved to turn the day.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

mod common;

use common::{harness_with_clock, prefs, run_until, type_text};
use eframe::egui::{self, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use posdesk::domain::maintenance::{
    DueState, EventKind, Plan, SheetSpan, TerminalId, TerminalInfo,
};
use posdesk::domain::scan::ScanCode;
use posdesk::{Clock, Lang, Store};
use posdesk_app::ui::app::PosdeskApp;
use posdesk_app::ui::command::MaintenanceCommand;
use posdesk_app::ui::services::Data;

/// Noon, so the date is the same in any time zone the test machine is in.
const START: &str = "2026-03-10T12:00:00Z";

fn clock() -> Clock {
    Clock::fixed(START.parse().unwrap())
}

fn store_at(clock: &Clock) -> Store {
    common::store().with_clock(clock.clone())
}

/// A store with "Till 2" (a card terminal from Lakala), and its id.
fn with_till(clock: &Clock) -> (Store, TerminalId) {
    let mut store = store_at(clock);
    let mut info = TerminalInfo::named("Till 2");
    info.provider = "Lakala".into();
    info.support_phone = "95016".into();
    let till = store.add_terminal(&info).unwrap();
    (store, till.id)
}

fn app(store: Store, clock: Clock, lang: Lang, size: egui::Vec2) -> Harness<'static, PosdeskApp> {
    harness_with_clock(Data::Open(store), prefs(lang), size, clock)
}

fn big() -> egui::Vec2 {
    egui::vec2(1200.0, 900.0)
}

/// Click the Maintenance tab in the top bar.
fn open_maintenance(h: &mut Harness<'_, PosdeskApp>) {
    let tab = match h.state().lang() {
        Lang::En => "Maintenance",
        Lang::Zh => "设备维护",
    };
    h.get_by_label(tab).click();
    h.run();
}

/// The store's count of overdue + due today.
fn due_count(h: &Harness<'_, PosdeskApp>) -> usize {
    let today = h.state().today();
    h.state().store().unwrap().due_count(today).unwrap()
}

fn board_schedules(h: &Harness<'_, PosdeskApp>) -> Vec<i64> {
    h.state()
        .maintenance
        .view
        .board
        .iter()
        .map(|i| i.schedule.0)
        .collect()
}

/// The `n`-th (from 0) button or label with exactly this text.
fn nth<'a>(h: &'a Harness<'_, PosdeskApp>, label: &'a str, n: usize) -> egui_kittest::Node<'a> {
    h.query_all_by_label(label)
        .nth(n)
        .unwrap_or_else(|| panic!("no {n}th {label:?}"))
}

fn history_kinds(h: &Harness<'_, PosdeskApp>, till: TerminalId) -> Vec<EventKind> {
    h.state()
        .store()
        .unwrap()
        .history(till, None, 100)
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

#[test]
fn a_terminal_added_through_the_form_puts_todays_tasks_on_the_board() {
    let clock = clock();
    let mut h = app(store_at(&clock), clock, Lang::En, big());
    open_maintenance(&mut h);
    h.get_by_label("No terminals yet.");
    h.get_by_label("＋ Add terminal").click();
    h.run();
    // The cursor starts in the name field.
    type_text(&mut h, "Till 2");
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Provider / acquirer")
        .click();
    h.run();
    type_text(&mut h, "Lakala");
    h.get_by_label("Save").click();
    h.run();
    let status = h.state().status_text().unwrap().to_string();
    assert!(status.starts_with("Added Till 2:"), "{status}");
    let till = h.state().store().unwrap().terminals(false).unwrap()[0].clone();
    assert_eq!(till.info.provider, "Lakala");

    h.get_by_label_contains("Due now").click();
    h.run();
    let due = due_count(&h);
    assert!(due > 0, "a new card terminal has daily tasks due today");
    assert_eq!(h.state().due_badge(), due);
    assert_eq!(h.state().maintenance.view.due_now(), due);
    // Every task due today shows by its title, with its big Done button.
    for item in h.state().maintenance.view.board.clone() {
        if item.state != DueState::Soon {
            h.get_by_label(&item.task.title_en);
        }
    }
    assert_eq!(
        h.query_all_by_label("✔ Done").count(),
        h.state().maintenance.view.board.len()
    );
    // The badge in the top bar shows the same count.
    assert!(h.query_all_by_label(&due.to_string()).next().is_some());
}

#[test]
fn one_click_marks_a_task_done_and_undo_brings_it_back() {
    let clock = clock();
    let (store, till) = with_till(&clock);
    let mut h = app(store, clock, Lang::En, big());
    open_maintenance(&mut h);
    let before = h.state().due_badge();
    let first = h.state().maintenance.view.board[0].clone();
    nth(&h, "✔ Done", 0).click();
    h.run();
    assert_eq!(h.state().due_badge(), before - 1);
    assert_eq!(due_count(&h), before - 1);
    assert!(
        !board_schedules(&h).contains(&first.schedule.0),
        "the row left"
    );
    assert!(h.query_by_label(&first.task.title_en).is_none());
    let status = h.state().status_text().unwrap().to_string();
    assert_eq!(status, format!("Done: {} on Till 2.", first.task.title_en));
    assert_eq!(history_kinds(&h, till), vec![EventKind::Done]);

    h.get_by_label("Undo").click();
    h.run();
    assert_eq!(h.state().due_badge(), before);
    assert!(
        board_schedules(&h).contains(&first.schedule.0),
        "the row is back"
    );
    h.get_by_label(&first.task.title_en);
    assert!(history_kinds(&h, till).is_empty());
}

#[test]
fn arrows_choose_a_row_and_enter_marks_it_done() {
    let clock = clock();
    let (store, _) = with_till(&clock);
    let mut h = app(store, clock, Lang::En, big());
    open_maintenance(&mut h);
    let before = h.state().due_badge();
    let second = h.state().maintenance.view.board[1].schedule;
    h.key_press(Key::ArrowDown);
    h.run();
    assert_eq!(h.state().maintenance.view.selected, 1);
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().due_badge(), before - 1);
    assert!(!board_schedules(&h).contains(&second.0));
    // Space does the same for the row now chosen.
    let chosen = h.state().maintenance.view.board[1].schedule;
    h.key_press(Key::Space);
    h.run();
    assert_eq!(h.state().due_badge(), before - 2);
    assert!(!board_schedules(&h).contains(&chosen.0));
}

#[test]
fn snooze_is_refused_without_a_reason_and_works_with_one() {
    let clock = clock();
    let (store, till) = with_till(&clock);
    let mut h = app(store, clock, Lang::En, big());
    open_maintenance(&mut h);
    let before = h.state().due_badge();
    let first = h.state().maintenance.view.board[0].clone();
    nth(&h, "Snooze…", 0).click();
    h.run();
    h.get_by_label("1 day").click();
    h.run();
    h.get_by_label_contains("Not snoozed: Say why: a reason is needed to skip or snooze a task.");
    assert!(history_kinds(&h, till).is_empty(), "nothing stored");
    assert_eq!(h.state().due_badge(), before);

    // The cursor is in the reason field.
    type_text(&mut h, "Terminal is at the repair shop");
    h.get_by_label("1 day").click();
    h.run();
    assert_eq!(history_kinds(&h, till), vec![EventKind::Snoozed]);
    let event = &h.state().store().unwrap().history(till, None, 1).unwrap()[0];
    assert_eq!(event.note, "Terminal is at the repair shop");
    assert_eq!(event.snoozed_until, h.state().today().tomorrow().ok());
    assert_eq!(h.state().due_badge(), before - 1);
    assert!(!board_schedules(&h).contains(&first.schedule.0));
    assert!(
        h.state()
            .status_text()
            .unwrap()
            .starts_with("Snoozed until tomorrow:")
    );
}

#[test]
fn snooze_until_a_typed_date() {
    let clock = clock();
    let (store, till) = with_till(&clock);
    let mut h = app(store, clock, Lang::En, big());
    open_maintenance(&mut h);
    nth(&h, "Snooze…", 0).click();
    h.run();
    type_text(&mut h, "Closed for inventory");
    h.get_by_role_and_label(
        egui::accesskit::Role::TextInput,
        "Or until this date (year-month-day)",
    )
    .click();
    h.run();
    type_text(&mut h, "next week");
    h.get_by_label("Snooze until this date").click();
    h.run();
    h.get_by_label_contains("Write the date as year-month-day");
    assert!(history_kinds(&h, till).is_empty());
    h.get_by_role_and_label(
        egui::accesskit::Role::TextInput,
        "Or until this date (year-month-day)",
    )
    .click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    type_text(&mut h, "2026-03-14");
    h.get_by_label("Snooze until this date").click();
    h.run();
    let event = &h.state().store().unwrap().history(till, None, 1).unwrap()[0];
    assert_eq!(event.snoozed_until, Some(jiff::civil::date(2026, 3, 14)));
}

#[test]
fn skip_is_refused_without_a_reason_and_works_with_one() {
    let clock = clock();
    let (store, till) = with_till(&clock);
    let mut h = app(store, clock, Lang::Zh, big());
    open_maintenance(&mut h);
    let before = h.state().due_badge();
    let first = h.state().maintenance.view.board[0].clone();
    nth(&h, "跳过…", 0).click();
    h.run();
    h.get_by_label("跳过").click();
    h.run();
    // Refused in the clerk's language.
    h.get_by_label_contains("未跳过：请写明原因");
    assert!(history_kinds(&h, till).is_empty(), "nothing stored");

    type_text(&mut h, "今天停业");
    h.get_by_label("跳过").click();
    h.run();
    assert_eq!(history_kinds(&h, till), vec![EventKind::Skipped]);
    assert_eq!(h.state().due_badge(), before - 1);
    assert!(!board_schedules(&h).contains(&first.schedule.0));
    let status = h.state().status_text().unwrap().to_string();
    assert!(status.starts_with("已跳过：Till 2 的"), "{status}");
    assert!(status.contains("今天停业"));
}

#[test]
fn a_code_scanned_on_the_maintenance_screen_marks_the_task_done_once() {
    let clock = clock();
    let (store, till) = with_till(&clock);
    let today = clock.today();
    let line = store
        .sheet_lines(Some(till), SheetSpan::Day(today))
        .unwrap()
        .into_iter()
        .find(|l| l.task.key == "receipt_paper")
        .unwrap();
    let mut h = app(store, clock, Lang::En, big());
    open_maintenance(&mut h);
    let before = h.state().due_badge();
    let code = ScanCode::new(line.schedule.0, line.date).encode();
    // The code typed into no field at all, then Enter.
    for first in [true, false] {
        assert!(h.ctx.memory(|m| m.focused()).is_none());
        type_text(&mut h, &code);
        h.key_press(Key::Enter);
        h.run();
        if first {
            // The first scan asks who did it, once.
            assert!(h.state().maintenance.forms.scanned.is_some());
            h.get_by_label("Record").click();
            h.run();
        }
    }
    assert!(
        h.state()
            .status_text()
            .unwrap()
            .starts_with("Already recorded: Check the receipt paper on Till 2")
    );
    assert_eq!(h.state().due_badge(), before - 1, "done exactly once");
    assert_eq!(history_kinds(&h, till), vec![EventKind::Done]);
    assert!(!board_schedules(&h).contains(&line.schedule.0));
    // The scanner's Enter did not also mark the chosen row done.
    assert_eq!(due_count(&h), before - 1);
    // Something typed that is not a code says so and does nothing: Enter after typing never marks
    // the chosen row.
    type_text(&mut h, "hello");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(
        history_kinds(&h, till).len(),
        1,
        "Enter marked the chosen row"
    );
    assert!(
        h.state()
            .status_text()
            .unwrap()
            .contains("not a posdesk checklist code")
    );
}

#[test]
fn done_with_details_records_the_value_and_a_problem_offers_an_incident() {
    let clock = clock();
    let (mut store, till) = with_till(&clock);
    let today = clock.today();
    // Make the monthly firmware check overdue since yesterday: the first row on the board.
    let firmware = store.schedule_of(till, "firmware_update").unwrap().unwrap();
    let task = store
        .terminal_tasks(till, today)
        .unwrap()
        .into_iter()
        .find(|t| t.schedule == firmware)
        .unwrap();
    store
        .change_plan(
            firmware,
            Plan {
                start: today.yesterday().unwrap(),
                ..task.plan
            },
        )
        .unwrap();
    let mut h = app(store, clock, Lang::En, big());
    open_maintenance(&mut h);
    let row = h
        .state()
        .maintenance
        .view
        .board
        .iter()
        .position(|i| i.schedule == firmware)
        .unwrap();
    nth(&h, "Done with details…", row).click();
    h.run();
    h.get_by_label("Mark done");
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Version after the update")
        .click();
    h.run();
    type_text(&mut h, "V2.1.0");
    h.get_by_label("Problem found").click();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "Note (optional)")
        .click();
    h.run();
    type_text(&mut h, "Update failed twice");
    h.get_by_label("Save").click();
    h.run();
    let t = h.state().store().unwrap().terminal(till).unwrap().unwrap();
    assert_eq!(
        t.info.firmware, "V2.1.0",
        "the recorded version is the terminal's firmware"
    );
    let event = &h.state().store().unwrap().history(till, None, 1).unwrap()[0];
    assert_eq!(event.note, "Update failed twice");
    assert!(!board_schedules(&h).contains(&firmware.0));
    let problem = h.state().maintenance.view.last_problem.clone().unwrap();
    assert_eq!(
        (problem.terminal, problem.task.as_str()),
        (till, "firmware_update")
    );
    assert_eq!(problem.event, event.id);
    h.get_by_label_contains("Problem found on Till 2");
    h.get_by_label("Log an incident").click();
    h.run();
    // The app opens the journal's new incident on that terminal, with the task and the note.
    assert_eq!(h.state().route, posdesk_app::ui::command::Route::Journal);
    let prefill = h.state().journal.prefill().unwrap();
    assert_eq!(prefill.terminal.as_deref(), Some("Till 2"));
    assert!(
        prefill.symptom.contains("Update failed twice"),
        "{}",
        prefill.symptom
    );
    assert!(
        h.query_by_label_contains("Problem found on Till 2")
            .is_none()
    );
}

#[test]
fn archiving_takes_a_terminal_off_the_board_and_keeps_its_history() {
    let clock = clock();
    let (store, till) = with_till(&clock);
    let mut h = app(store, clock, Lang::En, big());
    open_maintenance(&mut h);
    nth(&h, "✔ Done", 0).click();
    h.run();
    h.get_by_label("Terminals").click();
    h.run();
    h.get_by_label("Lakala");
    h.get_by_label("Till 2").click();
    h.run();
    h.get_by_label("History");
    h.get_by_label("Done · All fine");
    h.get_by_label("Archive (out of service)").click();
    h.run();
    assert!(
        h.state()
            .store()
            .unwrap()
            .terminal(till)
            .unwrap()
            .unwrap()
            .is_archived()
    );
    assert_eq!(h.state().due_badge(), 0);
    assert_eq!(
        history_kinds(&h, till),
        vec![EventKind::Done],
        "history kept"
    );
    h.get_by_label("Archived");
    h.get_by_label("Done · All fine");
    // Archived terminals hide behind a toggle in the list.
    h.get_by_label("← All terminals").click();
    h.run();
    assert!(h.query_by_label("Till 2").is_none());
    h.get_by_label("Show archived (1)").click();
    h.run();
    h.get_by_label("Till 2").click();
    h.run();
    h.get_by_label("Done · All fine");
    h.get_by_label("Put back in service");
    // Archiving is undone from the status line.
    h.get_by_label("Undo").click();
    h.run();
    assert!(
        !h.state()
            .store()
            .unwrap()
            .terminal(till)
            .unwrap()
            .unwrap()
            .is_archived()
    );
    assert!(h.state().due_badge() > 0);
}

#[test]
fn a_task_gets_a_new_interval_and_can_be_removed_after_a_second_step() {
    let clock = clock();
    let (store, till) = with_till(&clock);
    let mut h = app(store, clock, Lang::En, big());
    open_maintenance(&mut h);
    h.state_mut().queue(MaintenanceCommand::Show(
        posdesk_app::ui::command::MaintenancePage::Terminal(till),
    ));
    h.run();
    let tasks = h
        .state()
        .maintenance
        .view
        .terminal_page
        .clone()
        .unwrap()
        .tasks;
    let first = tasks[0].clone();
    nth(&h, "Change how often…", 0).click();
    h.run();
    let every = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Every");
    every.click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    type_text(&mut h, "2");
    h.get_by_label("Save").click();
    h.run();
    let changed = h
        .state()
        .store()
        .unwrap()
        .terminal_tasks(till, h.state().today())
        .unwrap()
        .into_iter()
        .find(|t| t.schedule == first.schedule)
        .unwrap();
    assert_eq!(changed.plan.interval.every(), 2);

    let count = tasks.len();
    nth(&h, "Remove…", 0).click();
    h.run();
    h.get_by_label_contains("from this terminal? Its history stays.");
    assert_eq!(
        h.state()
            .maintenance
            .view
            .terminal_page
            .as_ref()
            .unwrap()
            .tasks
            .len(),
        count
    );
    h.get_by_label("Yes, remove").click();
    h.run();
    assert_eq!(
        h.state()
            .maintenance
            .view
            .terminal_page
            .as_ref()
            .unwrap()
            .tasks
            .len(),
        count - 1
    );
}

fn has_program(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
}

#[test]
fn save_as_pdf_and_print_write_a_pdf_off_the_ui_thread() {
    let clock = clock();
    let (store, _) = with_till(&clock);
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(store, clock, Lang::Zh, big());
    open_maintenance(&mut h);
    h.get_by_label("打印检查表").click();
    h.run();
    h.get_by_label("80 毫米小票").click();
    h.run();
    assert_eq!(
        h.state().maintenance.view.paper,
        posdesk::print::Paper::Receipt80
    );

    let saved = dir.path().join("sheet.pdf");
    h.state_mut()
        .queue(MaintenanceCommand::SaveAsPdf(Some(saved.clone())));
    run_until(&mut h, |app| {
        app.status().is_some() && !app.maintenance.busy()
    });
    let bytes = std::fs::read(&saved).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    assert!(
        h.state()
            .status_text()
            .unwrap()
            .starts_with("检查表已保存为")
    );
    assert_eq!(h.state().maintenance.view.last_pdf.as_ref(), Some(&saved));

    // "Print…" hands the file to the system: only where that cannot open a real viewer or printer.
    let opener = ["lp", "xdg-open", "gio", "gnome-open", "kde-open", "wslview"];
    if opener.iter().any(|p| has_program(p)) {
        eprintln!("skipping Print: this machine would really print or open a viewer");
        return;
    }
    let printed = dir.path().join("print.pdf");
    h.state_mut()
        .queue(MaintenanceCommand::Print(Some(printed.clone())));
    run_until(&mut h, |app| {
        app.status_text().is_some_and(|s| s.starts_with("未打印"))
    });
    assert!(std::fs::read(&printed).unwrap().starts_with(b"%PDF"));
    // The clerk is told where the file is, to print it by hand.
    assert!(h.state().status_text().unwrap().contains("print.pdf"));
}

#[test]
fn the_board_moves_to_the_next_day_while_open() {
    let clock = clock();
    let (mut store, till) = with_till(&clock);
    let today = clock.today();
    for item in store.due_board(today).unwrap() {
        if item.state != DueState::Soon {
            store
                .mark_done(
                    item.schedule,
                    item.through,
                    &posdesk::domain::maintenance::DoneEntry::fine(today, "Ann"),
                )
                .unwrap();
        }
    }
    let mut h = app(store, clock.clone(), Lang::En, big());
    open_maintenance(&mut h);
    assert_eq!(h.state().due_badge(), 0);
    h.get_by_label("✔ Nothing due today");
    h.get_by_label_contains("Next: ");
    h.get_by_label_contains("on Till 2, tomorrow.");

    clock.set("2026-03-11T12:00:00Z".parse().unwrap());
    h.run();
    assert_eq!(h.state().today(), jiff::civil::date(2026, 3, 11));
    let due = due_count(&h);
    assert!(due > 0, "tomorrow's daily tasks are due");
    assert_eq!(h.state().due_badge(), due);
    assert!(h.query_by_label("✔ Nothing due today").is_none());
    h.get_by_label("Check the receipt paper");
    let _ = till;
}

#[test]
fn at_800_by_600_the_done_button_and_the_tabs_are_in_the_window() {
    let clock = clock();
    let (store, _) = with_till(&clock);
    let mut h = app(store, clock, Lang::En, egui::vec2(800.0, 600.0));
    open_maintenance(&mut h);
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(800.0, 600.0));
    for label in ["Codes", "Maintenance", "Terminals", "Print checklists"] {
        let r = h.get_by_label(label).rect();
        assert!(window.contains_rect(r), "{label} at {r:?}");
    }
    let done = nth(&h, "✔ Done", 0).rect();
    assert!(window.contains_rect(done), "Done at {done:?}");
    assert!(done.width() >= 140.0, "the Done button stays big");
    // The same in Chinese with the largest text size the window holds.
    h.get_by_label("中文").click();
    h.run();
    h.get_by_label("A+").click();
    h.run();
    for label in ["代码查询", "设备维护", "终端", "打印检查表"] {
        let r = h.get_by_label(label).rect();
        assert!(window.contains_rect(r), "{label} at {r:?}");
    }
    let done = nth(&h, "✔ 完成", 0).rect();
    assert!(window.contains_rect(done), "完成 at {done:?}");
}

#[test]
fn escape_closes_the_form_then_goes_back_a_page() {
    let clock = clock();
    let (store, till) = with_till(&clock);
    let mut h = app(store, clock, Lang::En, big());
    open_maintenance(&mut h);
    nth(&h, "Skip…", 0).click();
    h.run();
    h.get_by_label("Skip this time");
    // The first Esc leaves the reason field, the next closes the form.
    h.key_press(Key::Escape);
    h.run();
    h.key_press(Key::Escape);
    h.run();
    assert!(h.query_by_label("Skip this time").is_none());
    assert!(history_kinds(&h, till).is_empty());
    h.get_by_label("Terminals").click();
    h.run();
    h.get_by_label("Till 2").click();
    h.run();
    h.get_by_label("← All terminals");
    h.key_press(Key::Escape);
    h.run();
    h.get_by_label("＋ Add terminal");
    h.key_press(Key::Escape);
    h.run();
    h.get_by_label_contains("Press ✔ Done when a task is done.");
}
