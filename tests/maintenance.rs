//! Maintenance: the checklist pack, terminals, schedules in the store, doing the work, the board, the
//! sheets, and the CLI verbs as a script uses them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

#[path = "support/cli.rs"]
mod cli;
use cli::posdesk;
use jiff::ToSpan;
use jiff::civil::{Date, date};
use posdesk::Clock;
use posdesk::Store;
use posdesk::domain::maintenance::{
    DoneEntry, DueState, EventKind, Interval, IntervalUnit, MaintenanceError, Outcome, Plan,
    Recurrence, SheetSpan, TerminalId, TerminalInfo, TerminalKind, ValueKind,
};
use posdesk::packs::checklists::{ChecklistPack, PACK_FILES};
use posdesk::store::{MaintenanceStoreError, StoreError};
use serde_json::Value;
use std::collections::HashSet;
use std::process::Output;

const DAILY_CARD: [&str; 5] = [
    "receipt_paper",
    "wipe_screen_window",
    "sign_on_test",
    "network_check",
    "end_of_day_settlement",
];

/// A store whose clock stands at noon UTC on `day` (the same date in every zone from UTC-11 to +11).
fn store_on(day: Date) -> (Store, Clock) {
    let clock = Clock::fixed(format!("{day}T12:00:00Z").parse().unwrap());
    let store = Store::open_in_memory().unwrap().with_clock(clock.clone());
    (store, clock)
}

fn move_to(clock: &Clock, day: Date) {
    clock.set(format!("{day}T12:00:00Z").parse().unwrap());
}

fn add(store: &mut Store, name: &str, kind: TerminalKind) -> TerminalId {
    let info = TerminalInfo {
        kind,
        ..TerminalInfo::named(name)
    };
    store.add_terminal(&info).unwrap().id
}

fn due_keys(store: &Store, terminal: TerminalId, day: Date) -> Vec<(String, DueState)> {
    store
        .due_board(day)
        .unwrap()
        .into_iter()
        .filter(|i| i.terminal == terminal)
        .map(|i| (i.task.key, i.state))
        .collect()
}

fn schedule(
    store: &Store,
    terminal: TerminalId,
    key: &str,
) -> posdesk::domain::maintenance::ScheduleId {
    store.schedule_of(terminal, key).unwrap().unwrap()
}

// ---- the pack -------------------------------------------------------------------------------------

#[test]
fn every_checklist_file_in_data_is_compiled_in() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/checklists");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml") && n != "pack.toml")
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = PACK_FILES.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

#[test]
fn the_pack_covers_the_guides_advice_at_the_usual_intervals() {
    let pack = ChecklistPack::bundled().unwrap();
    assert!(pack.version >= 1);
    let get = |key: &str| {
        pack.templates
            .iter()
            .find(|t| t.key == key)
            .unwrap_or_else(|| panic!("missing {key}"))
    };
    for key in DAILY_CARD.iter().chain(&["test_scan"]) {
        assert_eq!(get(key).interval, Interval::DAILY, "{key}");
    }
    for key in [
        "clean_stripe_reader",
        "check_chip_slot",
        "check_cables_power",
        "check_keypad",
    ] {
        assert_eq!(get(key).interval, Interval::WEEKLY, "{key}");
    }
    for key in ["firmware_update", "battery_health", "clean_printer_head"] {
        assert_eq!(get(key).interval, Interval::MONTHLY, "{key}");
    }
    for key in ["keep_dry", "nothing_on_reader", "stored_battery_out"] {
        assert!(get(key).standing, "{key} is standing advice");
    }
    assert_eq!(
        get("firmware_update").value.as_ref().unwrap().kind,
        ValueKind::FirmwareVersion
    );
    assert_eq!(
        get("battery_health").value.as_ref().unwrap().kind,
        ValueKind::BatteryPercent
    );
    assert_eq!(
        get("receipt_paper").value.as_ref().unwrap().kind,
        ValueKind::PaperRolls
    );
    assert_eq!(get("clean_printer_head").recurrence, Recurrence::AfterDone);
    for t in &pack.templates {
        assert_eq!(t.steps_en.len(), t.steps_zh.len(), "{}", t.key);
        assert!(t.steps_en.len() >= 2, "{} has too few steps", t.key);
        assert!(t.why_zh.chars().count() >= 10, "{}", t.key);
    }
    // Every kind of device gets something to do.
    for &kind in TerminalKind::ALL {
        assert!(pack.templates.iter().any(|t| t.applies_to(kind)), "{kind}");
    }
}

#[test]
fn checklist_text_uses_only_characters_the_bundled_font_has() {
    // The GUI and the PDF ship a GB2312 subset font; text outside it would render as boxes.
    let font = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/fonts/PosdeskSans-CJK.otf"
    ))
    .unwrap();
    let face = ttf_parser::Face::parse(&font, 0).unwrap();
    let pack = ChecklistPack::bundled().unwrap();
    for t in &pack.templates {
        let value_label = t.value.iter().map(|v| &v.label_zh);
        let texts = [&t.title_zh, &t.why_zh]
            .into_iter()
            .chain(&t.steps_zh)
            .chain(value_label);
        for text in texts {
            for c in text.chars().filter(|c| !c.is_ascii()) {
                assert!(
                    face.glyph_index(c).is_some(),
                    "{}: character {c:?} (U+{:04X}) is not in the bundled font",
                    t.key,
                    c as u32
                );
            }
        }
    }
}

#[test]
fn a_broken_template_file_is_refused_with_its_name() {
    let text = r#"
[[task]]
key = "x"
title_en = "T"
title_zh = "T"
why_en = "W"
why_zh = "W"
steps_en = ["a", "b"]
steps_zh = ["a"]
kinds = ["card_terminal"]
every = 1
unit = "day"
"#;
    let err = posdesk::packs::checklists::parse_checklist_file("bad.toml", text).unwrap_err();
    assert!(err.to_string().contains("bad.toml"), "{err}");
    assert!(err.to_string().contains("steps"), "{err}");
    let zero = text
        .replace("steps_zh = [\"a\"]", "steps_zh = [\"a\", \"b\"]")
        .replace("every = 1", "every = 0");
    assert!(posdesk::packs::checklists::parse_checklist_file("bad.toml", &zero).is_err());
}

// ---- terminals ------------------------------------------------------------------------------------

#[test]
fn a_new_terminal_gets_its_kinds_default_tasks_with_daily_ones_due_today() {
    let today = date(2026, 5, 4);
    let (mut store, _) = store_on(today);
    let till = add(&mut store, "Till 2", TerminalKind::CardTerminal);
    let due: Vec<(String, DueState)> = due_keys(&store, till, today);
    let keys: Vec<&str> = due.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, DAILY_CARD);
    assert!(due.iter().all(|(_, s)| *s == DueState::Due));
    let tasks: Vec<String> = store
        .terminal_tasks(till, today)
        .unwrap()
        .into_iter()
        .map(|t| t.task.key)
        .collect();
    assert!(tasks.contains(&"firmware_update".to_string()));
    assert!(tasks.contains(&"keep_dry".to_string()));
    assert!(!tasks.contains(&"test_scan".to_string()));
    // Weekly tasks start one week later and are "soon" two days before.
    let weekly = store
        .terminal_tasks(till, today)
        .unwrap()
        .into_iter()
        .find(|t| t.task.key == "clean_stripe_reader")
        .unwrap();
    assert_eq!(weekly.plan.start, date(2026, 5, 11));
    assert_eq!(
        due_keys(&store, till, date(2026, 5, 9))
            .into_iter()
            .find(|(k, _)| k == "clean_stripe_reader")
            .map(|(_, s)| s),
        Some(DueState::Soon)
    );

    let scanner = add(&mut store, "QR box", TerminalKind::QrScanner);
    let keys: Vec<String> = due_keys(&store, scanner, today)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        keys,
        [
            "wipe_screen_window",
            "test_scan",
            "network_check",
            "check_payment_qr"
        ]
    );
}

#[test]
fn names_are_unique_ignoring_case_and_an_archived_name_is_free_again() {
    let (mut store, _) = store_on(date(2026, 5, 4));
    let first = add(&mut store, "Till 2", TerminalKind::CardTerminal);
    let err = store
        .add_terminal(&TerminalInfo::named("  till   2 "))
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Maintenance(MaintenanceStoreError::TerminalExists(_))
        ),
        "{err}"
    );
    assert!(matches!(
        store.add_terminal(&TerminalInfo::named(" ")).unwrap_err(),
        StoreError::Maintenance(MaintenanceStoreError::Rule(MaintenanceError::EmptyName))
    ));
    let other = add(&mut store, "Till 3", TerminalKind::CardTerminal);
    let renamed = TerminalInfo {
        name: "TILL 2".into(),
        ..store.terminal(other).unwrap().unwrap().info
    };
    assert!(matches!(
        store.edit_terminal(other, &renamed).unwrap_err(),
        StoreError::Maintenance(MaintenanceStoreError::TerminalExists(_))
    ));
    store.archive_terminal(first).unwrap();
    let replacement = add(&mut store, "Till 2", TerminalKind::CardTerminal);
    assert_ne!(first, replacement);
    assert_eq!(
        store.terminal_by_name("till 2").unwrap().unwrap().id,
        replacement
    );
    assert!(matches!(
        store.unarchive_terminal(first).unwrap_err(),
        StoreError::Maintenance(MaintenanceStoreError::TerminalExists(_))
    ));
    let names: Vec<String> = store
        .terminals(true)
        .unwrap()
        .into_iter()
        .map(|t| t.info.name)
        .collect();
    assert_eq!(names, ["Till 2", "Till 3", "Till 2"], "archived last");
}

#[test]
fn an_archived_terminal_keeps_its_history_and_leaves_the_board() {
    let today = date(2026, 5, 4);
    let (mut store, _) = store_on(today);
    let till = add(&mut store, "Till 1", TerminalKind::CardTerminal);
    let s = schedule(&store, till, "receipt_paper");
    store
        .mark_done(s, today, &DoneEntry::fine(today, "Li Na"))
        .unwrap();
    store.archive_terminal(till).unwrap();
    assert!(store.due_board(today).unwrap().is_empty());
    assert_eq!(store.due_count(date(2026, 6, 1)).unwrap(), 0);
    let history = store.history(till, None, 50).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].task_key, "receipt_paper");
    assert_eq!(history[0].by, "Li Na");
    assert!(store.terminal(till).unwrap().unwrap().is_archived());
    // No more work on it until it is back in service.
    assert!(matches!(
        store.mark_done(s, date(2026, 5, 5), &DoneEntry::fine(today, "")),
        Err(StoreError::Maintenance(
            MaintenanceStoreError::TerminalArchived(_)
        ))
    ));
    store.unarchive_terminal(till).unwrap();
    assert!(!store.due_board(date(2026, 5, 5)).unwrap().is_empty());
}

#[test]
fn the_last_used_terminal_is_remembered_and_falls_back_to_the_only_one() {
    let (mut store, _) = store_on(date(2026, 5, 4));
    assert!(store.last_used_terminal().unwrap().is_none());
    let one = store
        .add_terminal(&TerminalInfo {
            provider: "Lakala".into(),
            support_phone: "95016".into(),
            ..TerminalInfo::named("Till 1")
        })
        .unwrap();
    assert_eq!(store.last_used_terminal().unwrap().unwrap().id, one.id);
    let two = add(&mut store, "Till 2", TerminalKind::CardTerminal);
    assert!(
        store.last_used_terminal().unwrap().is_none(),
        "two: no guess"
    );
    store.set_last_used_terminal(two).unwrap();
    assert_eq!(store.last_used_terminal().unwrap().unwrap().id, two);
    store.archive_terminal(two).unwrap();
    let back = store.last_used_terminal().unwrap().unwrap();
    assert_eq!(back.info.support_phone, "95016");
}

#[test]
fn a_kind_fixed_before_any_work_swaps_the_default_tasks() {
    let today = date(2026, 5, 4);
    let (mut store, _) = store_on(today);
    let id = add(&mut store, "Scanner", TerminalKind::CardTerminal);
    let info = TerminalInfo {
        kind: TerminalKind::QrScanner,
        ..store.terminal(id).unwrap().unwrap().info
    };
    store.edit_terminal(id, &info).unwrap();
    assert!(store.schedule_of(id, "test_scan").unwrap().is_some());
    assert!(store.schedule_of(id, "sign_on_test").unwrap().is_none());
    // After work was recorded, a kind change leaves the tasks alone.
    let s = schedule(&store, id, "test_scan");
    store
        .mark_done(s, today, &DoneEntry::fine(today, ""))
        .unwrap();
    let info = TerminalInfo {
        kind: TerminalKind::Other,
        ..info
    };
    store.edit_terminal(id, &info).unwrap();
    assert!(store.schedule_of(id, "test_scan").unwrap().is_some());
}

// ---- schedules per terminal -----------------------------------------------------------------------

#[test]
fn tasks_can_be_added_removed_and_rescheduled_per_terminal() {
    let today = date(2026, 5, 4);
    let (mut store, _) = store_on(today);
    let till = add(&mut store, "Till 1", TerminalKind::CardTerminal);
    let other = add(&mut store, "Till 2", TerminalKind::CardTerminal);
    let paper = schedule(&store, till, "receipt_paper");
    store
        .change_plan(
            paper,
            Plan {
                recurrence: Recurrence::Calendar,
                interval: Interval::new(2, IntervalUnit::Day).unwrap(),
                start: today,
            },
        )
        .unwrap();
    // Each day, do what is due: the days it came due are the plan's days.
    let days_due = |store: &mut Store, s| {
        let mut out = vec![];
        for d in today.series(1.day()).take(6) {
            if let Some(item) = store
                .due_board(d)
                .unwrap()
                .into_iter()
                .find(|i| i.schedule == s && i.state == DueState::Due)
            {
                out.push(d.day());
                store
                    .mark_done(s, item.through, &DoneEntry::fine(d, ""))
                    .unwrap();
            }
        }
        out
    };
    assert_eq!(days_due(&mut store, paper), [4, 6, 8]);
    let other_paper = schedule(&store, other, "receipt_paper");
    assert_eq!(days_due(&mut store, other_paper), [4, 5, 6, 7, 8, 9]);
    let net = schedule(&store, till, "network_check");
    store.remove_task(net).unwrap();
    assert!(store.schedule_of(till, "network_check").unwrap().is_none());
    assert!(matches!(
        store.add_task(till, "receipt_paper", None).unwrap_err(),
        StoreError::Maintenance(MaintenanceStoreError::TaskExists { .. })
    ));
    assert!(matches!(
        store.add_task(till, "no_such_task", None).unwrap_err(),
        StoreError::Maintenance(MaintenanceStoreError::NoTask(_))
    ));
    let scan = store.add_task(till, "test_scan", None).unwrap();
    assert!(
        store
            .due_board(today)
            .unwrap()
            .iter()
            .any(|i| i.schedule == scan)
    );
}

// ---- doing the work -------------------------------------------------------------------------------

#[test]
fn done_is_idempotent_per_occurrence_and_moves_the_next_due_date() {
    let today = date(2026, 5, 4);
    let (mut store, _) = store_on(today);
    let till = add(&mut store, "Till 1", TerminalKind::CardTerminal);
    let s = schedule(&store, till, "receipt_paper");
    let entry = DoneEntry {
        value: Some("5".into()),
        note: "new box opened".into(),
        ..DoneEntry::fine(today, "Wang")
    };
    let first = store.mark_done(s, today, &entry).unwrap();
    assert!(first.changed);
    assert_eq!(first.covers, 1);
    let again = store.mark_done(s, today, &entry).unwrap();
    assert!(!again.changed, "nothing twice");
    // A barcode of the same line scanned twice does nothing either.
    assert!(
        !store
            .mark_done_occurrence(s, today, &entry)
            .unwrap()
            .changed
    );
    assert_eq!(
        store
            .history(till, Some("receipt_paper"), 10)
            .unwrap()
            .len(),
        1
    );
    assert!(
        !due_keys(&store, till, today)
            .iter()
            .any(|(k, _)| k == "receipt_paper")
    );
    let tomorrow = date(2026, 5, 5);
    assert!(due_keys(&store, till, tomorrow).contains(&("receipt_paper".into(), DueState::Due)));
    let h = &store.history(till, None, 10).unwrap()[0];
    assert_eq!(
        (h.kind, h.outcome, h.value.as_deref(), h.note.as_str()),
        (
            EventKind::Done,
            Some(Outcome::AllFine),
            Some("5"),
            "new box opened"
        )
    );
    assert_eq!(store.last_person().unwrap().as_deref(), Some("Wang"));
}

#[test]
fn a_task_missed_for_days_is_one_overdue_item_and_one_done_covers_it() {
    let start = date(2026, 5, 4);
    let (mut store, clock) = store_on(start);
    let till = add(&mut store, "Till 1", TerminalKind::CardTerminal);
    let later = date(2026, 5, 8);
    move_to(&clock, later);
    let board = store.due_board(later).unwrap();
    let paper: Vec<_> = board
        .iter()
        .filter(|i| i.task.key == "receipt_paper")
        .collect();
    assert_eq!(paper.len(), 1, "shown once");
    let item = paper[0];
    assert_eq!(item.state, DueState::Overdue);
    assert_eq!(
        (item.first_open, item.missed, item.through),
        (start, 4, later)
    );
    assert_eq!(board[0].state, DueState::Overdue, "overdue first");
    let marked = store
        .mark_done(item.schedule, item.through, &DoneEntry::fine(later, "Wang"))
        .unwrap();
    assert_eq!(marked.covers, 5, "4 missed and today's");
    assert!(
        !due_keys(&store, till, later)
            .iter()
            .any(|(k, _)| k == "receipt_paper")
    );
    assert_eq!(store.due_count(later).unwrap(), 4);
}

#[test]
fn the_board_is_computed_again_when_the_day_turns() {
    let d = date(2026, 5, 4);
    let (mut store, clock) = store_on(d);
    let till = add(&mut store, "Till 1", TerminalKind::CardTerminal);
    let s = schedule(&store, till, "sign_on_test");
    store.mark_done(s, d, &DoneEntry::fine(d, "")).unwrap();
    let count_d = store.due_count(clock.today()).unwrap();
    move_to(&clock, d.tomorrow().unwrap());
    let count_next = store.due_count(clock.today()).unwrap();
    assert_eq!((count_d, count_next), (4, 5));
    let states = due_keys(&store, till, clock.today());
    assert_eq!(
        states
            .iter()
            .filter(|(_, s)| *s == DueState::Overdue)
            .count(),
        4,
        "yesterday's four undone tasks are overdue, sign-on is simply due"
    );
    assert!(states.contains(&("sign_on_test".into(), DueState::Due)));
}

#[test]
fn skip_and_snooze_need_a_reason() {
    let d = date(2026, 5, 4);
    let (mut store, _) = store_on(d);
    let till = add(&mut store, "Till 1", TerminalKind::CardTerminal);
    let s = schedule(&store, till, "network_check");
    assert!(matches!(
        store.skip(s, d, d, "  ", "Wang"),
        Err(StoreError::Maintenance(MaintenanceStoreError::Rule(
            MaintenanceError::ReasonRequired
        )))
    ));
    assert!(matches!(
        store.snooze(s, d, date(2026, 5, 6), "", "Wang"),
        Err(StoreError::Maintenance(MaintenanceStoreError::Rule(
            MaintenanceError::ReasonRequired
        )))
    ));
    assert!(matches!(
        store.snooze(s, d, d, "router down", "Wang"),
        Err(StoreError::Maintenance(MaintenanceStoreError::Rule(
            MaintenanceError::SnoozeNotLater { .. }
        )))
    ));
    assert!(
        store.history(till, None, 10).unwrap().is_empty(),
        "nothing written"
    );

    store
        .snooze(s, d, date(2026, 5, 6), "router being replaced", "Wang")
        .unwrap();
    assert!(
        !due_keys(&store, till, date(2026, 5, 5))
            .iter()
            .any(|(k, _)| k == "network_check")
    );
    let back = store
        .due_board(date(2026, 5, 6))
        .unwrap()
        .into_iter()
        .find(|i| i.schedule == s)
        .unwrap();
    assert_eq!(
        (back.state, back.due_on, back.missed),
        (DueState::Due, date(2026, 5, 6), 2)
    );

    let skipped = store
        .skip(s, back.through, date(2026, 5, 6), "shop closed", "Wang")
        .unwrap();
    assert_eq!(skipped.covers, 3);
    assert!(
        !due_keys(&store, till, date(2026, 5, 6))
            .iter()
            .any(|(k, _)| k == "network_check")
    );
    let kinds: Vec<EventKind> = store
        .history(till, Some("network_check"), 10)
        .unwrap()
        .iter()
        .map(|h| h.kind)
        .collect();
    assert_eq!(kinds, [EventKind::Skipped, EventKind::Snoozed]);
}

#[test]
fn a_firmware_value_updates_the_terminal_and_undo_puts_it_back() {
    let d = date(2026, 5, 4);
    let (mut store, _) = store_on(d);
    let info = TerminalInfo {
        firmware: "V1.0".into(),
        ..TerminalInfo::named("Till 1")
    };
    let till = store.add_terminal(&info).unwrap().id;
    let s = schedule(&store, till, "firmware_update");
    let due = date(2026, 6, 4);
    let entry = DoneEntry {
        value: Some(" V2.3.1 ".into()),
        ..DoneEntry::fine(due, "Wang")
    };
    let marked = store.mark_done(s, due, &entry).unwrap();
    assert_eq!(
        store.terminal(till).unwrap().unwrap().info.firmware,
        "V2.3.1"
    );
    let h = &store.history(till, Some("firmware_update"), 1).unwrap()[0];
    assert_eq!(h.value_kind, Some(ValueKind::FirmwareVersion));
    store.undo(marked.event.unwrap()).unwrap();
    assert_eq!(store.terminal(till).unwrap().unwrap().info.firmware, "V1.0");
    assert!(store.history(till, None, 10).unwrap().is_empty());
    assert!(
        store
            .due_board(due)
            .unwrap()
            .iter()
            .any(|i| i.schedule == s),
        "open again"
    );

    // Values are checked by kind, and a task without one takes none.
    let battery = schedule(&store, till, "battery_health");
    let bad = DoneEntry {
        value: Some("150".into()),
        ..DoneEntry::fine(due, "Wang")
    };
    assert!(matches!(
        store.mark_done(battery, due, &bad),
        Err(StoreError::Maintenance(MaintenanceStoreError::Rule(
            MaintenanceError::BadValue { .. }
        )))
    ));
    let net = schedule(&store, till, "network_check");
    let stray = DoneEntry {
        value: Some("3".into()),
        ..DoneEntry::fine(d, "Wang")
    };
    assert!(matches!(
        store.mark_done(net, d, &stray),
        Err(StoreError::Maintenance(MaintenanceStoreError::Rule(
            MaintenanceError::ValueNotAsked
        )))
    ));
    assert_eq!(store.terminal(till).unwrap().unwrap().info.firmware, "V1.0");
}

#[test]
fn a_pack_refresh_rewrites_templates_and_keeps_the_users_changes() {
    let d = date(2026, 5, 4);
    let (mut store, _) = store_on(d);
    let till = add(&mut store, "Till 1", TerminalKind::CardTerminal);
    let paper = schedule(&store, till, "receipt_paper");
    let my_plan = Plan {
        recurrence: Recurrence::Calendar,
        interval: Interval::new(3, IntervalUnit::Day).unwrap(),
        start: d,
    };
    store.change_plan(paper, my_plan).unwrap();
    store
        .mark_done(paper, d, &DoneEntry::fine(d, "Wang"))
        .unwrap();
    store
        .remove_task(schedule(&store, till, "network_check"))
        .unwrap();

    let mut pack = ChecklistPack::bundled().unwrap();
    assert!(
        !store.sync_checklists(&pack).unwrap(),
        "same version: nothing to do"
    );
    pack.version += 1;
    for t in &mut pack.templates {
        if t.key == "receipt_paper" {
            t.title_en = "Check the paper roll".into();
            t.interval = Interval::WEEKLY;
        }
    }
    let mut new = pack.templates[0].clone();
    new.key = "dust_the_counter".into();
    pack.templates.push(new);
    pack.templates.retain(|t| t.key != "keep_dry");
    assert!(store.sync_checklists(&pack).unwrap());
    assert_eq!(store.checklist_version().unwrap(), Some(pack.version));

    let tasks = store.terminal_tasks(till, d).unwrap();
    let p = tasks.iter().find(|t| t.schedule == paper).unwrap();
    assert_eq!(p.task.title_en, "Check the paper roll", "text refreshed");
    assert_eq!(p.plan, my_plan, "the user's interval kept");
    assert_eq!(p.last_done_on, Some(d), "history kept");
    assert!(
        store.schedule_of(till, "network_check").unwrap().is_none(),
        "removal kept"
    );
    assert!(
        store
            .schedule_of(till, "dust_the_counter")
            .unwrap()
            .is_some(),
        "new advice added"
    );
    assert!(
        !store
            .templates()
            .unwrap()
            .iter()
            .any(|t| t.key == "keep_dry")
    );
    assert!(
        store.template("keep_dry").unwrap().is_some(),
        "retired, still readable"
    );
    assert_eq!(store.history(till, None, 10).unwrap().len(), 1);
}

// ---- sheets and scanned lines ---------------------------------------------------------------------

#[test]
fn sheet_lines_cover_the_day_or_week_and_a_scanned_line_marks_it_once() {
    let d = date(2026, 5, 4);
    let (mut store, _) = store_on(d);
    let t1 = add(&mut store, "Till 1", TerminalKind::CardTerminal);
    let t2 = add(&mut store, "Printer", TerminalKind::ReceiptPrinter);
    let day = store.sheet_lines(None, SheetSpan::Day(d)).unwrap();
    assert_eq!(
        day.len(),
        6,
        "5 daily for the card terminal, paper for the printer"
    );
    assert_eq!(day[0].terminal_name, "Printer", "by terminal name");
    assert!(day.iter().all(|l| l.date == d && !l.resolved && !l.overdue));
    let week = store.sheet_lines(Some(t1), SheetSpan::Week(d)).unwrap();
    assert_eq!(
        week.iter()
            .filter(|l| l.task.key == "receipt_paper")
            .count(),
        7
    );
    assert!(week.iter().all(|l| l.terminal == t1));
    assert!(week.windows(2).all(|w| w[0].date <= w[1].date));

    let line = week
        .iter()
        .find(|l| l.task.key == "receipt_paper" && l.date == date(2026, 5, 6))
        .unwrap();
    let found = store.sheet_line(line.schedule, line.date).unwrap().unwrap();
    assert_eq!(
        (found.terminal, found.task.key.as_str()),
        (t1, "receipt_paper")
    );
    let entry = DoneEntry::fine(line.date, "Wang");
    assert!(
        store
            .mark_done_occurrence(line.schedule, line.date, &entry)
            .unwrap()
            .changed
    );
    assert!(
        !store
            .mark_done_occurrence(line.schedule, line.date, &entry)
            .unwrap()
            .changed
    );
    assert!(
        store
            .sheet_line(line.schedule, line.date)
            .unwrap()
            .unwrap()
            .resolved
    );
    // The 4th and 5th were not ticked: still open, the board says overdue since the 4th.
    let item = store
        .due_board(date(2026, 5, 7))
        .unwrap()
        .into_iter()
        .find(|i| i.schedule == line.schedule)
        .unwrap();
    assert_eq!((item.first_open, item.missed), (d, 2));
    // A date that is not one of the task's dates is refused, and a lookup finds nothing.
    let weekly = schedule(&store, t1, "clean_stripe_reader");
    assert!(
        store
            .sheet_line(weekly, date(2026, 5, 12))
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        store.mark_done_occurrence(weekly, date(2026, 5, 12), &entry),
        Err(StoreError::Maintenance(
            MaintenanceStoreError::NotAnOccurrence(_)
        ))
    ));
    // An overdue weekly task with no date in the span gets one catch-up line.
    let late = store
        .sheet_lines(Some(t2), SheetSpan::Day(date(2026, 5, 20)))
        .unwrap();
    let cables = late
        .iter()
        .find(|l| l.task.key == "check_cables_power")
        .unwrap();
    assert!(cables.overdue);
    assert_eq!((cables.date, cables.missed), (date(2026, 5, 11), 2));
}

#[test]
fn an_after_done_task_scanned_twice_is_done_once() {
    let d = date(2026, 5, 4);
    let (mut store, _) = store_on(d);
    let printer = add(&mut store, "Printer", TerminalKind::ReceiptPrinter);
    let head = schedule(&store, printer, "clean_printer_head");
    let due = date(2026, 6, 4);
    let lines = store
        .sheet_lines(Some(printer), SheetSpan::Week(date(2026, 6, 1)))
        .unwrap();
    let line = lines.iter().find(|l| l.schedule == head).unwrap();
    assert_eq!(line.date, due);
    let entry = DoneEntry::fine(date(2026, 6, 3), "Wang");
    assert!(
        store
            .mark_done_occurrence(head, due, &entry)
            .unwrap()
            .changed
    );
    assert!(
        !store
            .mark_done_occurrence(head, due, &entry)
            .unwrap()
            .changed
    );
    let status = store
        .schedule_status(head, due)
        .unwrap()
        .unwrap()
        .status
        .unwrap();
    assert_eq!(
        status.first_open,
        date(2026, 7, 3),
        "a month after it was done"
    );
}

// ---- the CLI --------------------------------------------------------------------------------------

fn json(o: &Output) -> Vec<Value> {
    assert!(o.status.success(), "{o:?}");
    serde_json::from_slice(&o.stdout).unwrap()
}

fn due_on(dir: &std::path::Path, day: Date) -> Vec<Value> {
    json(&posdesk(
        dir,
        &["due", "--date", &day.to_string(), "--json"],
    ))
}

fn find<'a>(items: &'a [Value], terminal: &str, task: &str) -> Option<&'a Value> {
    items
        .iter()
        .find(|i| i["terminal"] == terminal && i["task"] == task)
}

#[test]
fn cli_terminal_add_then_due_lists_the_daily_tasks_and_done_moves_the_date() {
    let dir = tempfile::tempdir().unwrap();
    let out = posdesk(
        dir.path(),
        &[
            "terminal",
            "add",
            "Till 2",
            "--provider",
            "Lakala",
            "--phone",
            "95016",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), "Till 2");
    let listed = json(&posdesk(dir.path(), &["terminal", "list", "--json"]));
    assert_eq!(listed.len(), 1);
    for key in ["name", "kind", "provider", "phone", "firmware"] {
        assert!(listed[0].get(key).is_some(), "missing {key}");
    }
    assert_eq!(listed[0]["phone"], "95016");

    // The CLI's today is the system clock's; ask the same clock.
    let today = Clock::system().today();
    let due = json(&posdesk(dir.path(), &["due", "--json"]));
    let tasks: HashSet<&str> = due.iter().map(|i| i["task"].as_str().unwrap()).collect();
    assert_eq!(tasks, DAILY_CARD.into_iter().collect());
    for item in &due {
        assert_eq!(item["terminal"], "Till 2");
        assert_eq!(item["state"], "due");
        assert_eq!(item["due"], today.to_string());
        assert!(
            !item["title_zh"].as_str().unwrap().is_ascii(),
            "Chinese title"
        );
        assert!(!item["title_en"].as_str().unwrap().is_empty());
    }

    let done = posdesk(dir.path(), &["done", "Till 2", "receipt_paper"]);
    assert!(done.status.success(), "{done:?}");
    assert!(find(&due_on(dir.path(), today), "Till 2", "receipt_paper").is_none());
    let tomorrow = today.tomorrow().unwrap();
    let next = due_on(dir.path(), tomorrow);
    let paper = find(&next, "Till 2", "receipt_paper").unwrap();
    assert_eq!(
        (paper["state"].as_str(), paper["due"].as_str()),
        (Some("due"), Some(tomorrow.to_string().as_str()))
    );
    let after = tomorrow.tomorrow().unwrap();
    let later = due_on(dir.path(), after);
    let paper = find(&later, "Till 2", "receipt_paper").unwrap();
    assert_eq!(paper["state"], "overdue");
    assert_eq!(paper["due"], tomorrow.to_string());
    assert_eq!(paper["missed"], 1);
    // An undone task from the first day counts both days missed.
    assert_eq!(
        find(&later, "Till 2", "network_check").unwrap()["missed"],
        2
    );
    assert_eq!(later[0]["state"], "overdue");
}

#[test]
fn cli_done_with_a_date_a_value_and_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        posdesk(dir.path(), &["terminal", "add", "Till 1", "--kind", "card"])
            .status
            .success()
    );
    let today = Clock::system().today();
    // The monthly tasks fall due today (as a month after the terminal was added): `--date` is the day
    // the work was done, never a day to come.
    {
        let mut store = Store::open_dir(dir.path()).unwrap();
        let till = store.terminal_by_name("Till 1").unwrap().unwrap();
        for key in ["firmware_update", "battery_health"] {
            let schedule = store.schedule_of(till.id, key).unwrap().unwrap();
            let plan = store
                .schedule_status(schedule, today)
                .unwrap()
                .unwrap()
                .plan;
            store
                .change_plan(
                    schedule,
                    Plan {
                        start: today,
                        ..plan
                    },
                )
                .unwrap();
        }
    }
    let out = posdesk(
        dir.path(),
        &[
            "done",
            "till 1",
            "firmware_update",
            "--date",
            &today.to_string(),
            "--value",
            "V3.2",
            "--problem",
            "--note",
            "took 10 minutes",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let listed = json(&posdesk(dir.path(), &["terminal", "list", "--json"]));
    assert_eq!(listed[0]["firmware"], "V3.2");
    assert!(find(&due_on(dir.path(), today), "Till 1", "firmware_update").is_none());
    // A battery value out of range is refused with exit 1 and nothing recorded.
    let bad = posdesk(
        dir.path(),
        &[
            "done",
            "Till 1",
            "battery_health",
            "--date",
            &today.to_string(),
            "--value",
            "150",
        ],
    );
    assert_eq!(bad.status.code(), Some(1), "{bad:?}");
    assert!(find(&due_on(dir.path(), today), "Till 1", "battery_health").is_some());
}

#[test]
fn cli_unknown_terminal_or_task_exits_1_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        posdesk(dir.path(), &["terminal", "add", "Till 2"])
            .status
            .success()
    );
    let out = posdesk(dir.path(), &["done", "Till 9", "receipt_paper"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Till 9"));
    let out = posdesk(dir.path(), &["done", "Till 2", "polish_the_till"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("receipt_paper"),
        "lists the tasks"
    );
    let out = posdesk(dir.path(), &["done", "Till 2", "test_scan"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a task the terminal does not have"
    );
    let dup = posdesk(dir.path(), &["terminal", "add", "TILL 2"]);
    assert_eq!(dup.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&dup.stderr).contains("already"));
    let bad_kind = posdesk(dir.path(), &["terminal", "add", "X", "--kind", "toaster"]);
    assert!(!bad_kind.status.success());
}
