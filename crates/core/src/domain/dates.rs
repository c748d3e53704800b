//! Dates as people type them. One reader for every screen and verb, so a date that works in the
//! journal's filter also works on the maintenance board.

use crate::domain::code::fold_fullwidth;
use jiff::civil::Date;

/// A typed date: `2026-12-01`, also with `/` or `.` between the parts, full-width digits, or
/// `2026年12月1日`.
pub fn parse_date(text: &str) -> Option<Date> {
    let folded: String = text.chars().map(fold_fullwidth).collect();
    let parts: Vec<&str> = folded
        .trim()
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.trim().is_empty())
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    Date::new(
        y.trim().parse().ok()?,
        m.trim().parse().ok()?,
        d.trim().parse().ok()?,
    )
    .ok()
}

/// A moment as a clerk reads it: the PC's local time to the minute (`2026-12-06 21:05`).
pub fn local_minute(at: jiff::Timestamp) -> String {
    at.to_zoned(jiff::tz::TimeZone::system())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_ways_a_date_is_typed() {
        let day = Date::new(2026, 3, 15).ok();
        for typed in [
            "2026-03-15",
            "2026/3/15",
            "2026.3.15",
            "2026年3月15日",
            "２０２６－０３－１５",
            " 2026-3-15 ",
        ] {
            assert_eq!(parse_date(typed), day, "{typed}");
        }
        for bad in ["", "2026-02-30", "15.3", "2026-03-15-01", "yesterday"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
