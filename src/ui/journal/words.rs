//! Times, dates and amounts as a clerk reads and types them, in the till's own time zone.

use crate::domain::code::fold_fullwidth;
use crate::i18n::Lang;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// `2026-03-15 14:32`, local time: what the form shows and accepts.
pub fn local_minute(t: Timestamp) -> String {
    t.to_zoned(TimeZone::system())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// A list row's time: `today 14:32`, `03-15 14:32`, or with the year when it is not this year's.
pub fn when(t: Timestamp, today: Date, lang: Lang) -> String {
    let z = t.to_zoned(TimeZone::system());
    let clock = z.strftime("%H:%M");
    if z.date() == today {
        format!("{} {clock}", lang.tr("today", "今天"))
    } else if today.yesterday().is_ok_and(|y| y == z.date()) {
        format!("{} {clock}", lang.tr("yesterday", "昨天"))
    } else if z.year() == today.year() {
        z.strftime("%m-%d %H:%M").to_string()
    } else {
        z.strftime("%Y-%m-%d %H:%M").to_string()
    }
}

/// Read a typed local time: `2026-03-15 14:32`, `2026/3/15 9:05`, full-width digits, or a date alone
/// (its midnight).
pub fn parse_local_time(text: &str) -> Option<Timestamp> {
    let text: String = text.chars().map(fold_fullwidth).collect();
    let text = text.trim().replace('T', " ");
    let (date, clock) = match text.split_once(' ') {
        Some((d, c)) => (d.trim(), c.trim()),
        None => (text.as_str(), ""),
    };
    let date = parse_date(date)?;
    let (hour, minute) = if clock.is_empty() {
        (0, 0)
    } else {
        let mut parts = clock.split([':', '：']);
        let hour: i8 = parts.next()?.trim().parse().ok()?;
        let minute: i8 = parts.next().unwrap_or("0").trim().parse().ok()?;
        (hour, minute)
    };
    let dt = DateTime::new(date.year(), date.month(), date.day(), hour, minute, 0, 0).ok()?;
    dt.to_zoned(TimeZone::system()).ok().map(|z| z.timestamp())
}

pub use crate::domain::dates::parse_date;

/// The first moment of `day` where the till is.
pub fn start_of(day: Date) -> Option<Timestamp> {
    day.to_zoned(TimeZone::system()).ok().map(|z| z.timestamp())
}

/// Minor units as `12.50`.
pub fn amount(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let m = minor.unsigned_abs();
    format!("{sign}{}.{:02}", m / 100, m % 100)
}

/// A duration the way a person says it: `45 min`, `3 h 20 min`, `2 days 4 h`.
pub fn duration(d: SignedDuration, lang: Lang) -> String {
    let minutes = (d.as_secs().max(0) / 60) as u64;
    let (days, hours, mins) = (minutes / 1440, (minutes / 60) % 24, minutes % 60);
    match lang {
        Lang::En => {
            if days > 0 {
                let unit = if days == 1 { "day" } else { "days" };
                format!("{days} {unit} {hours} h")
            } else if hours > 0 {
                format!("{hours} h {mins} min")
            } else {
                format!("{mins} min")
            }
        }
        Lang::Zh => {
            if days > 0 {
                format!("{days} 天 {hours} 小时")
            } else if hours > 0 {
                format!("{hours} 小时 {mins} 分钟")
            } else {
                format!("{mins} 分钟")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_times_and_dates_read_back() {
        let t = parse_local_time("2026-03-15 14:32");
        assert!(t.is_some());
        assert_eq!(t.map(local_minute).as_deref(), Some("2026-03-15 14:32"));
        assert_eq!(
            parse_local_time("２０２６/3/15 14:32").map(local_minute),
            t.map(local_minute)
        );
        assert_eq!(parse_date("2026年3月5日"), Date::new(2026, 3, 5).ok());
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_local_time("yesterday"), None);
    }

    #[test]
    fn amounts_and_durations_in_words() {
        assert_eq!(amount(1250), "12.50");
        assert_eq!(amount(5), "0.05");
        assert_eq!(
            duration(SignedDuration::from_mins(200), Lang::En),
            "3 h 20 min"
        );
        assert_eq!(
            duration(SignedDuration::from_hours(50), Lang::Zh),
            "2 天 2 小时"
        );
    }
}
