//! What a scanned sheet line means, decided by the store (`check_scan`, `record_scan`): the paper's
//! meaning checked against the task as it stands now.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

use jiff::Span;
use jiff::civil::{Date, date};
use posdesk::domain::maintenance::{
    DoneEntry, Interval, IntervalUnit, Plan, Recurrence, ScheduleId, TerminalInfo,
};
use posdesk::domain::scan::{ScanCode, ScanMark, ScanVerdict};
use posdesk::{Clock, Store};

const ADDED: &str = "2026-03-07T12:00:00Z";
const NOW: &str = "2026-03-10T12:00:00Z";
const TODAY: Date = date(2026, 3, 10);

/// A card terminal added three days ago; the clock now at `NOW`.
fn setup() -> (Store, ScheduleId) {
    let clock = Clock::fixed(ADDED.parse().unwrap());
    let mut store = Store::open_in_memory().unwrap().with_clock(clock.clone());
    let till = store.add_terminal(&TerminalInfo::named("Till 1")).unwrap();
    clock.set(NOW.parse().unwrap());
    let paper = store
        .schedule_of(till.id, "receipt_paper")
        .unwrap()
        .unwrap();
    (store, paper)
}

fn days(n: i64) -> Date {
    TODAY.checked_add(Span::new().days(n)).unwrap()
}

fn record(store: &mut Store, verdict: ScanVerdict) -> u32 {
    let ScanVerdict::Ready {
        line,
        mark,
        done_on,
        ..
    } = verdict
    else {
        panic!("not ready: {verdict:?}");
    };
    let entry = DoneEntry::fine(done_on, "Wang");
    store
        .record_scan(line.schedule, mark, &entry)
        .unwrap()
        .covers
}

#[test]
fn todays_line_covers_the_missed_days_and_a_second_scan_changes_nothing() {
    let (mut store, paper) = setup();
    let v = store
        .check_scan(ScanCode::new(paper.0, TODAY), TODAY)
        .unwrap();
    assert!(
        matches!(v, ScanVerdict::Ready { mark: ScanMark::Through(d), missed: 3, done_on, .. } if d == TODAY && done_on == TODAY),
        "{v:?}"
    );
    assert_eq!(record(&mut store, v), 4);
    assert!(
        store
            .due_board(TODAY)
            .unwrap()
            .iter()
            .all(|i| i.schedule != paper)
    );
    let again = store
        .check_scan(ScanCode::new(paper.0, TODAY), TODAY)
        .unwrap();
    assert!(matches!(again, ScanVerdict::AlreadyDone(_)), "{again:?}");
}

#[test]
fn an_earlier_days_line_records_that_day_only() {
    let (mut store, paper) = setup();
    let v = store
        .check_scan(ScanCode::new(paper.0, days(-2)), TODAY)
        .unwrap();
    assert!(
        matches!(v, ScanVerdict::Ready { mark: ScanMark::Occurrence(d), done_on, .. } if d == days(-2) && done_on == days(-2)),
        "{v:?}"
    );
    assert_eq!(record(&mut store, v), 1);
    let item = store
        .due_board(TODAY)
        .unwrap()
        .into_iter()
        .find(|i| i.schedule == paper)
        .unwrap();
    assert_eq!(item.first_open, days(-3), "the older day was not ticked");
}

#[test]
fn a_later_days_line_is_refused_with_its_day() {
    let (store, paper) = setup();
    let v = store
        .check_scan(ScanCode::new(paper.0, days(3)), TODAY)
        .unwrap();
    assert!(
        matches!(v, ScanVerdict::Future { day, .. } if day == days(3)),
        "{v:?}"
    );
}

#[test]
fn a_line_from_before_the_task_changed_says_so() {
    let (mut store, paper) = setup();
    store
        .change_plan(
            paper,
            Plan {
                recurrence: Recurrence::Calendar,
                interval: Interval::new(2, IntervalUnit::Week).unwrap(),
                start: days(1),
            },
        )
        .unwrap();
    let v = store
        .check_scan(ScanCode::new(paper.0, TODAY), TODAY)
        .unwrap();
    assert!(matches!(v, ScanVerdict::Changed(_)), "{v:?}");
    store.remove_task(paper).unwrap();
    let v = store
        .check_scan(ScanCode::new(paper.0, days(1)), TODAY)
        .unwrap();
    assert!(matches!(v, ScanVerdict::Removed(_)), "{v:?}");
    let v = store
        .check_scan(ScanCode::new(999_999, TODAY), TODAY)
        .unwrap();
    assert_eq!(v, ScanVerdict::Unknown);
}

#[test]
fn a_week_row_records_the_day_it_is_scanned_within_its_week() {
    let (mut store, paper) = setup();
    let week = ScanCode::week(paper.0, days(-1));
    let v = store.check_scan(week, TODAY).unwrap();
    assert!(
        matches!(v, ScanVerdict::Ready { mark: ScanMark::Through(d), done_on, .. } if d == TODAY && done_on == TODAY),
        "{v:?}"
    );
    record(&mut store, v);
    assert!(matches!(
        store.check_scan(week, TODAY).unwrap(),
        ScanVerdict::AlreadyDone(_)
    ));
    let next_week = ScanCode::week(paper.0, days(2));
    assert!(matches!(
        store.check_scan(next_week, TODAY).unwrap(),
        ScanVerdict::Future { .. }
    ));
    let old_week = ScanCode::week(paper.0, days(-10));
    assert!(matches!(
        store.check_scan(old_week, TODAY).unwrap(),
        ScanVerdict::WeekOver { .. }
    ));
}

#[test]
fn a_scanned_firmware_version_updates_the_terminal() {
    let clock = Clock::fixed("2026-03-10T12:00:00Z".parse().unwrap());
    let mut store = Store::open_in_memory().unwrap().with_clock(clock.clone());
    let till = store.add_terminal(&TerminalInfo::named("Till 1")).unwrap();
    let firmware = store
        .schedule_of(till.id, "firmware_update")
        .unwrap()
        .unwrap();
    let status = store.schedule_status(firmware, TODAY).unwrap().unwrap();
    let due = status.status.unwrap().due_on;
    clock.set(format!("{due}T12:00:00Z").parse().unwrap());
    let v = store
        .check_scan(ScanCode::new(firmware.0, due), due)
        .unwrap();
    let ScanVerdict::Ready { line, mark, .. } = v else {
        panic!("{v:?}");
    };
    let mut entry = DoneEntry::fine(due, "Li");
    entry.value = Some("2.4.1".into());
    store.record_scan(line.schedule, mark, &entry).unwrap();
    assert_eq!(
        store.terminal(till.id).unwrap().unwrap().info.firmware,
        "2.4.1"
    );
}
