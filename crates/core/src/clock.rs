//! The one way time enters posdesk. Everything below the shell asks a [`Clock`] for `now` and `today`
//! instead of the system, so schedules, day changes and tests can set the date.

use jiff::{Timestamp, civil::Date, tz::TimeZone};
use std::sync::{Arc, Mutex};

/// The system clock, or a fixed one that tests (and a demo) move by hand. Cheap to clone; clones of a
/// fixed clock share its time.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    fixed: Option<Arc<Mutex<Timestamp>>>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock { fixed: None }
    }

    /// A clock that stands at `at` until moved with [`Clock::set`].
    pub fn fixed(at: Timestamp) -> Clock {
        Clock {
            fixed: Some(Arc::new(Mutex::new(at))),
        }
    }

    /// Move a fixed clock; the system clock cannot be moved and ignores this.
    pub fn set(&self, at: Timestamp) {
        if let Some(fixed) = &self.fixed {
            match fixed.lock() {
                Ok(mut t) => *t = at,
                Err(poisoned) => *poisoned.into_inner() = at,
            }
        }
    }

    pub fn now(&self) -> Timestamp {
        match &self.fixed {
            None => Timestamp::now(),
            Some(fixed) => match fixed.lock() {
                Ok(t) => *t,
                Err(poisoned) => *poisoned.into_inner(),
            },
        }
    }

    /// Today's date where the till is (the system's time zone).
    pub fn today(&self) -> Date {
        self.now().to_zoned(TimeZone::system()).date()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_moves_only_when_told_and_clones_share_it() {
        let t: Timestamp = "2026-01-31T09:00:00Z".parse().unwrap_or_default();
        let clock = Clock::fixed(t);
        let other = clock.clone();
        assert_eq!(other.now(), t);
        let later: Timestamp = "2026-02-01T09:00:00Z".parse().unwrap_or_default();
        clock.set(later);
        assert_eq!(other.now(), later);
    }
}
