//! When a task is due: pure date arithmetic over a [`Plan`] and what was done, for a given `today`.
//!
//! Nothing here runs in the background or writes anything: the board is this computation run again
//! with the new `today` when the app starts or the day turns, so nothing is created twice and nothing
//! missed can disappear.
//!
//! - **Calendar** plans have occurrences `start + k·interval`, each computed from the start (never by
//!   adding one month to the previous date, which would drift: monthly from 31 January gives 28/29
//!   February, 31 March, 30 April). An occurrence is open until it is done or skipped.
//! - **After-done** plans have one open occurrence: one interval after the last done or skip, or the
//!   start until then.
//! - A task with several open occurrences shows **once**, as overdue since the first, with how many
//!   were missed; marking it done covers all of them (see [`Status::through`]).
//! - **Soon**: tasks that recur weekly or less often are "due soon" in the [`SOON_DAYS`] days before
//!   their due date, so they can be planned; tasks that recur more often are not (tomorrow's daily
//!   tasks are on tomorrow's list).

use crate::domain::maintenance::{DueState, Interval, IntervalUnit, Plan, Recurrence};
use jiff::Unit;
use jiff::civil::Date;

/// How many days before its due date a weekly or rarer task shows as "due soon".
pub const SOON_DAYS: i64 = 2;

/// No computation walks more occurrences than this (27 years of a daily task): a bound, not a limit
/// anyone meets.
const MAX_STEPS: u32 = 10_000;

/// The "due soon" window in days for a task with this interval: [`SOON_DAYS`] for weekly or rarer
/// tasks, none for more frequent ones.
pub fn soon_window(interval: Interval) -> i64 {
    if interval.min_days() >= 7 {
        SOON_DAYS
    } else {
        0
    }
}

/// The `k`-th occurrence (`k = 0` is `start`), computed from the start so month ends never drift.
pub fn nth(start: Date, interval: Interval, k: i64) -> Option<Date> {
    start.checked_add(interval.times(k)?).ok()
}

/// The index of the last occurrence on or before `day`, or `None` when `day` is before `start`.
pub fn index_on_or_before(start: Date, interval: Interval, day: Date) -> Option<i64> {
    if day < start {
        return None;
    }
    let every = i64::from(interval.every());
    let estimate = match interval.unit() {
        IntervalUnit::Day => i64::from(start.until((Unit::Day, day)).ok()?.get_days()) / every,
        IntervalUnit::Week => {
            i64::from(start.until((Unit::Day, day)).ok()?.get_days()) / (7 * every)
        }
        IntervalUnit::Month => {
            i64::from(start.until((Unit::Month, day)).ok()?.get_months()) / every
        }
    };
    // Month ends clamp (31 Jan + 1 month = 28 Feb), so a month estimate may be one off either way.
    let mut k = estimate.max(0);
    while k > 0 && nth(start, interval, k).is_none_or(|d| d > day) {
        k -= 1;
    }
    while nth(start, interval, k + 1).is_some_and(|d| d <= day) {
        k += 1;
    }
    Some(k)
}

/// The index of the first occurrence after `day` (0 when `day` is before the start).
pub fn index_after(start: Date, interval: Interval, day: Date) -> i64 {
    index_on_or_before(start, interval, day).map_or(0, |k| k + 1)
}

/// Whether `day` is one of the plan's calendar dates.
pub fn is_occurrence(start: Date, interval: Interval, day: Date) -> bool {
    index_on_or_before(start, interval, day).and_then(|k| nth(start, interval, k)) == Some(day)
}

/// The calendar occurrences from `from` to `to`, both included.
pub fn occurrences_between(start: Date, interval: Interval, from: Date, to: Date) -> Vec<Date> {
    let first = match from.yesterday() {
        Ok(before) => index_after(start, interval, before),
        Err(_) => 0,
    };
    (first..)
        .take(MAX_STEPS as usize)
        .map_while(|k| nth(start, interval, k))
        .take_while(|d| *d <= to)
        .collect()
}

/// Date ranges of occurrences already done or skipped, merged and sorted, for quick lookup.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    ranges: Vec<(Date, Date)>,
}

impl Resolved {
    /// From `(first, last)` ranges in any order; overlapping ranges are merged.
    pub fn new(mut ranges: Vec<(Date, Date)>) -> Resolved {
        ranges.retain(|(a, b)| a <= b);
        ranges.sort();
        let mut merged: Vec<(Date, Date)> = Vec::with_capacity(ranges.len());
        for (a, b) in ranges {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        Resolved { ranges: merged }
    }

    pub fn contains(&self, day: Date) -> bool {
        let i = self.ranges.partition_point(|(a, _)| *a <= day);
        i > 0 && self.ranges[i - 1].1 >= day
    }
}

/// What was done so far on one schedule, as the store keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Calendar: every occurrence on or before this date is done or skipped.
    pub resolved_through: Option<Date>,
    /// Calendar: later occurrences done or skipped out of order (a scanned sheet line while an
    /// older one is still open).
    pub resolved: Resolved,
    /// After-done: the last day it was done or skipped.
    pub last_resolved_on: Option<Date>,
    /// Off the board until this day.
    pub snoozed_until: Option<Date>,
}

impl Progress {
    fn covers(&self, day: Date) -> bool {
        self.resolved_through.is_some_and(|w| day <= w) || self.resolved.contains(day)
    }
}

/// Where one schedule stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    /// The earliest occurrence not done or skipped: "overdue since" when before today.
    pub first_open: Date,
    /// The last occurrence that marking it done now covers: the last open one on or before today,
    /// or `first_open` when that is later (done early).
    pub through: Date,
    /// Open occurrences before today.
    pub missed: u32,
    /// When it is due: `first_open`, or the end of a snooze if later.
    pub due_on: Date,
    /// Set while a snooze keeps it off the board.
    pub snoozed_until: Option<Date>,
    /// `None`: not on the board (due later, or snoozed).
    pub state: Option<DueState>,
}

/// The first open occurrence, or `None` when the plan runs past the last date jiff knows.
pub fn first_open(plan: &Plan, progress: &Progress) -> Option<Date> {
    match plan.recurrence {
        Recurrence::Calendar => {
            let mut k = progress
                .resolved_through
                .map_or(0, |w| index_after(plan.start, plan.interval, w));
            for _ in 0..MAX_STEPS {
                let day = nth(plan.start, plan.interval, k)?;
                if !progress.resolved.contains(day) {
                    return Some(day);
                }
                k += 1;
            }
            nth(plan.start, plan.interval, k)
        }
        Recurrence::AfterDone => match progress.last_resolved_on {
            None => Some(plan.start),
            Some(last) => Some(
                last.checked_add(plan.interval.times(1)?)
                    .ok()?
                    .max(plan.start),
            ),
        },
    }
}

/// The open occurrences on or before `through`: the first, the last and how many. `None` when none
/// is open, which is what makes marking done twice a no-op.
pub fn open_through(plan: &Plan, progress: &Progress, through: Date) -> Option<(Date, Date, u32)> {
    let first = first_open(plan, progress)?;
    if first > through {
        return None;
    }
    match plan.recurrence {
        Recurrence::AfterDone => Some((first, first, 1)),
        Recurrence::Calendar => {
            let mut last = first;
            let mut count = 0;
            let k0 = index_on_or_before(plan.start, plan.interval, first).unwrap_or(0);
            for k in (k0..).take(MAX_STEPS as usize) {
                let Some(day) = nth(plan.start, plan.interval, k) else {
                    break;
                };
                if day > through {
                    break;
                }
                if !progress.covers(day) {
                    last = day;
                    count += 1;
                }
            }
            Some((first, last, count))
        }
    }
}

/// Whether the occurrence on `day` is already done or skipped (a second scan of the same line).
pub fn is_resolved(plan: &Plan, progress: &Progress, day: Date) -> bool {
    match plan.recurrence {
        Recurrence::Calendar => progress.covers(day),
        Recurrence::AfterDone => first_open(plan, progress).is_none_or(|open| day < open),
    }
}

/// The calendar watermark after new ranges were resolved: the latest occurrence up to which every
/// occurrence is done or skipped, walking on from `resolved_through`.
pub fn advance(plan: &Plan, resolved_through: Option<Date>, resolved: &Resolved) -> Option<Date> {
    let mut mark = resolved_through;
    let mut k = resolved_through.map_or(0, |w| index_after(plan.start, plan.interval, w));
    for _ in 0..MAX_STEPS {
        match nth(plan.start, plan.interval, k) {
            Some(day) if resolved.contains(day) => {
                mark = Some(day);
                k += 1;
            }
            _ => break,
        }
    }
    mark
}

/// Where the schedule stands on `today`. Run it again with tomorrow's date when the day turns.
pub fn status(plan: &Plan, progress: &Progress, today: Date) -> Option<Status> {
    let first = first_open(plan, progress)?;
    let (missed, through) = if first > today {
        (0, first)
    } else {
        match plan.recurrence {
            Recurrence::AfterDone => {
                // One open occurrence; count the intervals that went by since it fell due.
                let missed = (0..)
                    .take(MAX_STEPS as usize)
                    .map_while(|k| nth(first, plan.interval, k))
                    .take_while(|d| *d < today)
                    .count();
                (missed as u32, first)
            }
            Recurrence::Calendar => {
                let (_, last, count) =
                    open_through(plan, progress, today).unwrap_or((first, first, 0));
                let today_open = last == today;
                (count - u32::from(today_open), last)
            }
        }
    };
    let snoozed = progress.snoozed_until.filter(|until| *until > today);
    let due_on = progress
        .snoozed_until
        .map_or(first, |until| until.max(first));
    let state = if snoozed.is_some() {
        None
    } else if due_on < today {
        Some(DueState::Overdue)
    } else if due_on == today {
        Some(DueState::Due)
    } else if today
        .checked_add(jiff::Span::new().days(soon_window(plan.interval)))
        .is_ok_and(|edge| due_on <= edge)
    {
        Some(DueState::Soon)
    } else {
        None
    };
    Some(Status {
        first_open: first,
        through,
        missed,
        due_on,
        snoozed_until: snoozed,
        state,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn ranges_merge_and_answer_membership() {
        let r = Resolved::new(vec![
            (date(2026, 3, 5), date(2026, 3, 9)),
            (date(2026, 3, 1), date(2026, 3, 2)),
            (date(2026, 3, 8), date(2026, 3, 12)),
        ]);
        assert!(r.contains(date(2026, 3, 1)));
        assert!(!r.contains(date(2026, 3, 3)));
        assert!(r.contains(date(2026, 3, 12)));
        assert!(!r.contains(date(2026, 3, 13)));
        assert_eq!(r.ranges.len(), 2);
    }
}
