//! Dates as a clerk reads them, and dates as a clerk types them.

use crate::i18n::Lang;
use jiff::civil::{Date, Weekday};

/// "today", "yesterday", "tomorrow", else "Mon 30 Nov" / "11月30日（周一）", with the year when it is
/// not this year's.
pub fn date(lang: Lang, day: Date, today: Date) -> String {
    if day == today {
        return lang.tr("today", "今天").to_string();
    }
    if today.yesterday().is_ok_and(|y| y == day) {
        return lang.tr("yesterday", "昨天").to_string();
    }
    if today.tomorrow().is_ok_and(|t| t == day) {
        return lang.tr("tomorrow", "明天").to_string();
    }
    let same_year = day.year() == today.year();
    match lang {
        Lang::En => {
            let month = MONTHS_EN[usize::from(day.month().unsigned_abs()).saturating_sub(1) % 12];
            let weekday = weekday_en(day.weekday());
            if same_year {
                format!("{weekday} {} {month}", day.day())
            } else {
                format!("{weekday} {} {month} {}", day.day(), day.year())
            }
        }
        Lang::Zh => {
            let weekday = weekday_zh(day.weekday());
            if same_year {
                format!("{}月{}日（{weekday}）", day.month(), day.day())
            } else {
                format!(
                    "{}年{}月{}日（{weekday}）",
                    day.year(),
                    day.month(),
                    day.day()
                )
            }
        }
    }
}

/// "Tuesday 1 December 2026" / "2026年12月1日 星期二": the board's heading.
pub fn full_date(lang: Lang, day: Date) -> String {
    match lang {
        Lang::En => {
            let month =
                MONTHS_LONG_EN[usize::from(day.month().unsigned_abs()).saturating_sub(1) % 12];
            format!("{:?} {} {month} {}", day.weekday(), day.day(), day.year())
        }
        Lang::Zh => {
            let weekday = weekday_zh(day.weekday()).replace('周', "星期");
            format!("{}年{}月{}日 {weekday}", day.year(), day.month(), day.day())
        }
    }
}

const MONTHS_LONG_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn weekday_en(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "Mon",
        Weekday::Tuesday => "Tue",
        Weekday::Wednesday => "Wed",
        Weekday::Thursday => "Thu",
        Weekday::Friday => "Fri",
        Weekday::Saturday => "Sat",
        Weekday::Sunday => "Sun",
    }
}

fn weekday_zh(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "周一",
        Weekday::Tuesday => "周二",
        Weekday::Wednesday => "周三",
        Weekday::Thursday => "周四",
        Weekday::Friday => "周五",
        Weekday::Saturday => "周六",
        Weekday::Sunday => "周日",
    }
}

pub use crate::domain::dates::parse_date;

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as d;

    #[test]
    fn dates_read_as_words() {
        let today = d(2026, 11, 30);
        assert_eq!(date(Lang::En, today, today), "today");
        assert_eq!(date(Lang::En, d(2026, 11, 29), today), "yesterday");
        assert_eq!(date(Lang::En, d(2026, 11, 26), today), "Thu 26 Nov");
        assert_eq!(date(Lang::Zh, d(2026, 11, 26), today), "11月26日（周四）");
        assert_eq!(date(Lang::En, d(2027, 1, 4), today), "Mon 4 Jan 2027");
        assert_eq!(full_date(Lang::En, today), "Monday 30 November 2026");
        assert_eq!(full_date(Lang::Zh, today), "2026年11月30日 星期一");
    }

    #[test]
    fn typed_dates_parse() {
        assert_eq!(parse_date(" 2026-12-01 "), Some(d(2026, 12, 1)));
        assert_eq!(parse_date("2026/12/1"), Some(d(2026, 12, 1)));
        assert_eq!(parse_date("２０２６年１２月１日"), Some(d(2026, 12, 1)));
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("tomorrow"), None);
    }
}
