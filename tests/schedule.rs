//! Schedule arithmetic: occurrences without drift, due states from dates, missed counts, day changes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

use jiff::ToSpan;
use jiff::civil::{Date, date};
use posdesk::domain::maintenance::{DueState, Interval, IntervalUnit, Plan, Recurrence};
use posdesk::domain::schedule::{
    Progress, Resolved, SOON_DAYS, advance, first_open, index_on_or_before, is_occurrence,
    is_resolved, nth, occurrences_between, open_through, soon_window, status,
};

fn every(n: u32, unit: IntervalUnit) -> Interval {
    Interval::new(n, unit).unwrap()
}

fn calendar(start: Date, interval: Interval) -> Plan {
    Plan {
        recurrence: Recurrence::Calendar,
        interval,
        start,
    }
}

fn after_done(start: Date, interval: Interval) -> Plan {
    Plan {
        recurrence: Recurrence::AfterDone,
        interval,
        start,
    }
}

fn first(plan: Plan, n: i64) -> Vec<Date> {
    (0..n)
        .map(|k| nth(plan.start, plan.interval, k).unwrap())
        .collect()
}

#[test]
fn monthly_from_the_31st_keeps_the_month_end_without_drift() {
    let plan = calendar(date(2026, 1, 31), Interval::MONTHLY);
    assert_eq!(
        first(plan, 6),
        vec![
            date(2026, 1, 31),
            date(2026, 2, 28),
            date(2026, 3, 31),
            date(2026, 4, 30),
            date(2026, 5, 31),
            date(2026, 6, 30),
        ]
    );
    // Repeated "+1 month" would have drifted to the 28th by March.
    let drifted = date(2026, 1, 31)
        .checked_add(1.month())
        .unwrap()
        .checked_add(1.month())
        .unwrap();
    assert_eq!(drifted, date(2026, 3, 28));
    assert_ne!(first(plan, 3)[2], drifted);
}

#[test]
fn leap_years_give_the_29th_of_february_and_come_back_to_it() {
    let monthly = calendar(date(2028, 1, 31), Interval::MONTHLY);
    assert_eq!(first(monthly, 2)[1], date(2028, 2, 29));
    let yearly = calendar(date(2028, 2, 29), every(12, IntervalUnit::Month));
    assert_eq!(
        first(yearly, 5),
        vec![
            date(2028, 2, 29),
            date(2029, 2, 28),
            date(2030, 2, 28),
            date(2031, 2, 28),
            date(2032, 2, 29),
        ]
    );
    let daily = calendar(date(2028, 2, 28), Interval::DAILY);
    assert_eq!(first(daily, 3)[1], date(2028, 2, 29));
    assert_eq!(first(daily, 3)[2], date(2028, 3, 1));
}

#[test]
fn weekly_tasks_keep_their_weekday() {
    let plan = calendar(date(2026, 3, 6), every(2, IntervalUnit::Week));
    for d in first(plan, 30) {
        assert_eq!(d.weekday(), date(2026, 3, 6).weekday(), "{d}");
    }
    assert_eq!(first(plan, 2)[1], date(2026, 3, 20));
}

#[test]
fn the_occurrence_index_agrees_with_the_series_for_every_day() {
    let plans = [
        calendar(date(2026, 1, 31), Interval::MONTHLY),
        calendar(date(2027, 12, 30), every(2, IntervalUnit::Month)),
        calendar(date(2026, 5, 3), every(3, IntervalUnit::Day)),
        calendar(date(2026, 5, 3), Interval::WEEKLY),
    ];
    for plan in plans {
        let series: Vec<Date> = plan
            .start
            .series(plan.interval.times(1).unwrap())
            .take(40)
            .collect();
        assert_eq!(series, first(plan, 40), "jiff's series and nth agree");
        assert_eq!(
            index_on_or_before(plan.start, plan.interval, plan.start.yesterday().unwrap()),
            None
        );
        let mut day = plan.start;
        while day < series[30] {
            let k = index_on_or_before(plan.start, plan.interval, day).unwrap();
            let k = usize::try_from(k).unwrap();
            assert!(series[k] <= day && day < series[k + 1], "{day}: index {k}");
            assert_eq!(
                is_occurrence(plan.start, plan.interval, day),
                series[k] == day
            );
            day = day.tomorrow().unwrap();
        }
    }
}

#[test]
fn occurrences_in_a_week_include_both_ends() {
    let daily = calendar(date(2026, 5, 1), Interval::DAILY);
    let week = occurrences_between(
        daily.start,
        daily.interval,
        date(2026, 5, 4),
        date(2026, 5, 10),
    );
    assert_eq!(week.len(), 7);
    assert_eq!(week[0], date(2026, 5, 4));
    assert_eq!(week[6], date(2026, 5, 10));
    let monthly = calendar(date(2026, 1, 31), Interval::MONTHLY);
    assert_eq!(
        occurrences_between(
            monthly.start,
            monthly.interval,
            date(2026, 2, 23),
            date(2026, 3, 1)
        ),
        vec![date(2026, 2, 28)]
    );
    // Before the start there is nothing.
    assert!(
        occurrences_between(
            monthly.start,
            monthly.interval,
            date(2025, 1, 1),
            date(2026, 1, 30)
        )
        .is_empty()
    );
}

#[test]
fn a_daily_task_is_due_then_overdue_when_the_day_turns() {
    let d = date(2026, 5, 4);
    let plan = calendar(d, Interval::DAILY);
    let none = Progress::default();
    let s = status(&plan, &none, d).unwrap();
    assert_eq!(s.state, Some(DueState::Due));
    assert_eq!((s.first_open, s.through, s.missed), (d, d, 0));
    // Same schedule, the app still open, the date turns.
    let next = d.tomorrow().unwrap();
    let s = status(&plan, &none, next).unwrap();
    assert_eq!(s.state, Some(DueState::Overdue));
    assert_eq!((s.first_open, s.through, s.missed), (d, next, 1));
    // Done on D: D+1 is simply due, and on D itself nothing shows (tomorrow is not "soon").
    let done = Progress {
        resolved_through: Some(d),
        ..Progress::default()
    };
    assert_eq!(status(&plan, &done, d).unwrap().state, None);
    assert_eq!(
        status(&plan, &done, next).unwrap().state,
        Some(DueState::Due)
    );
}

#[test]
fn a_task_missed_several_times_shows_once_overdue_since_the_first() {
    let plan = calendar(date(2026, 1, 31), Interval::MONTHLY);
    let s = status(&plan, &Progress::default(), date(2026, 5, 15)).unwrap();
    assert_eq!(s.state, Some(DueState::Overdue));
    assert_eq!(s.first_open, date(2026, 1, 31));
    assert_eq!(s.missed, 4, "31 Jan, 28 Feb, 31 Mar, 30 Apr");
    assert_eq!(s.through, date(2026, 4, 30));
    // Marking it done covers all four at once; then the next is 31 May, due soon from the 29th.
    let (a, b, n) = open_through(&plan, &Progress::default(), s.through).unwrap();
    assert_eq!((a, b, n), (date(2026, 1, 31), date(2026, 4, 30), 4));
    let mark = advance(&plan, None, &Resolved::new(vec![(a, b)]));
    assert_eq!(mark, Some(date(2026, 4, 30)));
    let done = Progress {
        resolved_through: mark,
        ..Progress::default()
    };
    assert_eq!(status(&plan, &done, date(2026, 5, 15)).unwrap().state, None);
    assert_eq!(
        status(&plan, &done, date(2026, 5, 29)).unwrap().state,
        Some(DueState::Soon)
    );
    assert_eq!(
        status(&plan, &done, date(2026, 5, 31)).unwrap().state,
        Some(DueState::Due)
    );
    assert!(
        open_through(&plan, &done, date(2026, 4, 30)).is_none(),
        "nothing twice"
    );
}

#[test]
fn due_soon_is_two_days_for_weekly_and_rarer_tasks_only() {
    assert_eq!(soon_window(Interval::DAILY), 0);
    assert_eq!(soon_window(every(3, IntervalUnit::Day)), 0);
    assert_eq!(soon_window(Interval::WEEKLY), SOON_DAYS);
    assert_eq!(soon_window(Interval::MONTHLY), SOON_DAYS);
    let friday = date(2026, 5, 8);
    let weekly = calendar(friday, Interval::WEEKLY);
    let at = |d: Date| status(&weekly, &Progress::default(), d).unwrap().state;
    assert_eq!(at(date(2026, 5, 5)), None);
    assert_eq!(at(date(2026, 5, 6)), Some(DueState::Soon));
    assert_eq!(at(date(2026, 5, 7)), Some(DueState::Soon));
    assert_eq!(at(friday), Some(DueState::Due));
    assert_eq!(at(date(2026, 5, 9)), Some(DueState::Overdue));
}

#[test]
fn after_done_tasks_count_from_the_day_they_were_last_done() {
    let start = date(2026, 3, 1);
    let plan = after_done(start, every(10, IntervalUnit::Day));
    let never = Progress::default();
    assert_eq!(first_open(&plan, &never), Some(start));
    // Done late, on the 7th: next due ten days after that, not after the start.
    let done = Progress {
        last_resolved_on: Some(date(2026, 3, 7)),
        ..Progress::default()
    };
    assert_eq!(first_open(&plan, &done), Some(date(2026, 3, 17)));
    assert_eq!(
        status(&plan, &done, date(2026, 3, 17)).unwrap().state,
        Some(DueState::Due)
    );
    // Left undone for 25 days: overdue once, with the intervals that went by counted.
    let s = status(&plan, &done, date(2026, 4, 11)).unwrap();
    assert_eq!(s.state, Some(DueState::Overdue));
    assert_eq!((s.first_open, s.missed), (date(2026, 3, 17), 3));
    assert!(is_resolved(&plan, &done, date(2026, 3, 1)));
    assert!(!is_resolved(&plan, &done, date(2026, 3, 17)));
    // A start moved later than the last done + interval wins.
    let later = after_done(date(2026, 4, 1), every(10, IntervalUnit::Day));
    assert_eq!(first_open(&later, &done), Some(date(2026, 4, 1)));
}

#[test]
fn a_snooze_hides_the_task_until_its_day_and_then_it_is_due() {
    let d = date(2026, 5, 4);
    let plan = calendar(d, Interval::WEEKLY);
    let snoozed = Progress {
        snoozed_until: Some(date(2026, 5, 6)),
        ..Progress::default()
    };
    let s = status(&plan, &snoozed, d).unwrap();
    assert_eq!(s.state, None);
    assert_eq!(s.snoozed_until, Some(date(2026, 5, 6)));
    assert_eq!(
        status(&plan, &snoozed, date(2026, 5, 5)).unwrap().state,
        None
    );
    let s = status(&plan, &snoozed, date(2026, 5, 6)).unwrap();
    assert_eq!((s.state, s.due_on), (Some(DueState::Due), date(2026, 5, 6)));
    assert_eq!(
        s.first_open, d,
        "the occurrence it stands for is still the 4th"
    );
    assert_eq!(
        status(&plan, &snoozed, date(2026, 5, 7)).unwrap().state,
        Some(DueState::Overdue)
    );
}

#[test]
fn an_occurrence_done_out_of_order_leaves_the_older_ones_open() {
    let d = date(2026, 5, 4);
    let plan = calendar(d, Interval::DAILY);
    // The 6th was scanned from a sheet; the 4th and 5th were not ticked.
    let progress = Progress {
        resolved: Resolved::new(vec![(date(2026, 5, 6), date(2026, 5, 6))]),
        ..Progress::default()
    };
    assert_eq!(advance(&plan, None, &progress.resolved), None);
    let s = status(&plan, &progress, date(2026, 5, 7)).unwrap();
    assert_eq!(
        (s.first_open, s.missed, s.through),
        (d, 2, date(2026, 5, 7))
    );
    let (a, b, n) = open_through(&plan, &progress, date(2026, 5, 7)).unwrap();
    assert_eq!((a, b, n), (d, date(2026, 5, 7), 3));
    assert!(is_resolved(&plan, &progress, date(2026, 5, 6)));
    // Once the 4th and 5th are done too, the watermark moves over all three.
    let all = Resolved::new(vec![
        (date(2026, 5, 6), date(2026, 5, 6)),
        (d, date(2026, 5, 5)),
    ]);
    assert_eq!(advance(&plan, None, &all), Some(date(2026, 5, 6)));
}

#[test]
fn a_plan_that_starts_later_is_only_soon_or_nothing() {
    let plan = calendar(date(2026, 6, 1), Interval::MONTHLY);
    let s = status(&plan, &Progress::default(), date(2026, 5, 1)).unwrap();
    assert_eq!((s.state, s.missed, s.through), (None, 0, date(2026, 6, 1)));
    assert_eq!(
        status(&plan, &Progress::default(), date(2026, 5, 30))
            .unwrap()
            .state,
        Some(DueState::Soon)
    );
}
