//! The text a printed checklist's barcode carries: which scheduled task, on which date, and whether
//! the line stands for one day or for a whole week.
//!
//! Two forms are read back:
//! - **Digits** (what posdesk prints now): `9 k W <id, W digits> <yyyymmdd> c`, e.g.
//!   `9140042202612067` — `9`, the kind `k` (1 a day's line, 2 a week line), the id's width `W` (4, 6
//!   or 8), the schedule id zero-padded to `W` digits, the date, and a check digit. Digits only: a
//!   keyboard-mode scanner types them without Shift (no Caps Lock or keyboard-layout surprises), and
//!   Code 128 set C packs them two to a symbol, so the symbol is narrower than the text form. The
//!   lengths (16, 18, 20) are none of a product barcode's (8, 12, 13, 14), and the check digit is
//!   the Luhn digit plus 5, so a code is never a valid card number (the journal's masking leaves it
//!   alone) and a mistyped digit is caught.
//! - **Text** (sheets printed before, and ids too long for the digits): `PD` + schedule id + `-` +
//!   `yyyymmdd`, e.g. `PD42-20261201`, always a day's line.
//!
//! A till scanner "types" the code, usually followed by Enter, so [`ScanCode::parse`] must accept
//! exactly that and nothing a clerk would search for ("51", "余额不足", "PD", a product EAN).

use crate::domain::maintenance::{ScheduleId, TaskTemplate, TerminalId};
use jiff::civil::Date;
use std::fmt;

/// The prefix every text-form scan code starts with; parsed case-insensitively (Caps Lock on the till).
pub const PREFIX: &str = "PD";

/// Most digits of a schedule id: an `i64` has at most 19 (a longer run is not a scan code, whatever
/// it is).
const MAX_ID_DIGITS: usize = 19;

/// The first digit of every digits-form code.
const DIGIT_MARK: u8 = b'9';

/// What one printed barcode stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScanKind {
    /// One occurrence: the task as due on `date`.
    Day,
    /// A week sheet's row: the task done on the day it is scanned, `date` being the sheet's first day.
    Week,
}

/// One task occurrence (or week row): schedule `schedule_id` (a store row id, 1 or more) and `date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScanCode {
    pub schedule_id: i64,
    pub date: Date,
    pub kind: ScanKind,
}

impl ScanCode {
    /// A day's line: the task as due on `date`.
    pub fn new(schedule_id: i64, date: Date) -> ScanCode {
        ScanCode {
            schedule_id,
            date,
            kind: ScanKind::Day,
        }
    }

    /// A week sheet's row for the week starting `first_day`: scanning it records the day it is scanned.
    pub fn week(schedule_id: i64, first_day: Date) -> ScanCode {
        ScanCode {
            schedule_id,
            date: first_day,
            kind: ScanKind::Week,
        }
    }

    /// The text form, `PD42-20261201`, as messages name a line (a week row reads `PD42-W20261201`).
    pub fn encode(&self) -> String {
        let week = if self.kind == ScanKind::Week { "W" } else { "" };
        format!(
            "{PREFIX}{}-{week}{:04}{:02}{:02}",
            self.schedule_id,
            self.date.year(),
            self.date.month(),
            self.date.day()
        )
    }

    /// What the barcode carries: the digits form when the id fits 8 digits, else the text form (a
    /// week row always fits: ids that long do not happen in a shop).
    pub fn barcode(&self) -> String {
        self.digits().unwrap_or_else(|| self.encode())
    }

    /// The barcode's text for a person to read and type, in groups: `914 0042 20261206 7`.
    pub fn human(&self) -> String {
        match self.digits() {
            Some(d) => {
                let w = usize::from(d.as_bytes()[2] - b'0');
                format!(
                    "{} {} {} {}",
                    &d[..3],
                    &d[3..3 + w],
                    &d[3 + w..11 + w],
                    &d[11 + w..]
                )
            }
            None => self.encode(),
        }
    }

    /// The digits form, `None` when the id does not fit 8 digits (or is not positive).
    fn digits(&self) -> Option<String> {
        if self.schedule_id < 1 || self.schedule_id > 99_999_999 {
            return None;
        }
        let id = self.schedule_id.to_string();
        let width = [4usize, 6, 8].into_iter().find(|w| id.len() <= *w)?;
        let kind = match self.kind {
            ScanKind::Day => '1',
            ScanKind::Week => '2',
        };
        let body = format!(
            "{}{kind}{width}{:0width$}{:04}{:02}{:02}",
            DIGIT_MARK as char,
            self.schedule_id,
            self.date.year(),
            self.date.month(),
            self.date.day(),
        );
        let check = check_digit(&body)?;
        Some(format!("{body}{check}"))
    }

    /// What a scanner typed, back to the task and date; `None` for anything that is not exactly a scan
    /// code. Surrounding whitespace and the scanner's CR/LF/Tab are ignored, the text form's prefix may
    /// be in any case, the digits may be typed in their printed groups, and full-width characters (a
    /// Chinese IME left in full-width mode) count as their ASCII.
    pub fn parse(text: &str) -> Option<ScanCode> {
        let text: String = text
            .trim()
            .chars()
            .map(crate::domain::code::fold_fullwidth)
            .collect();
        let text = text.trim();
        if text.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
            return parse_digits(text);
        }
        let rest = strip_prefix_ignore_case(text, PREFIX)?;
        let (id, date) = rest.split_once('-')?;
        if id.is_empty()
            || id.len() > MAX_ID_DIGITS
            || id.starts_with('0')
            || !id.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let (kind, date) = match date.strip_prefix(['W', 'w']) {
            Some(d) => (ScanKind::Week, d),
            None => (ScanKind::Day, date),
        };
        let schedule_id: i64 = id.parse().ok()?;
        let date = compact_date(date)?;
        Some(ScanCode {
            schedule_id,
            date,
            kind,
        })
    }
}

/// The digits form, spaces between its printed groups allowed.
fn parse_digits(text: &str) -> Option<ScanCode> {
    let digits: String = text.chars().filter(|c| *c != ' ').collect();
    let b = digits.as_bytes();
    if !b.iter().all(u8::is_ascii_digit) || b.len() < 16 || b[0] != DIGIT_MARK {
        return None;
    }
    let kind = match b[1] {
        b'1' => ScanKind::Day,
        b'2' => ScanKind::Week,
        _ => return None,
    };
    let width = usize::from(b[2] - b'0');
    if ![4, 6, 8].contains(&width) || b.len() != 12 + width {
        return None;
    }
    let (body, check) = digits.split_at(digits.len() - 1);
    if check_digit(body)? != check.chars().next()? {
        return None;
    }
    let schedule_id: i64 = body[3..3 + width].parse().ok()?;
    if schedule_id < 1 {
        return None;
    }
    let date = compact_date(&body[3 + width..11 + width])?;
    let code = ScanCode {
        schedule_id,
        date,
        kind,
    };
    // One spelling per code: an id padded wider than it needs is not one posdesk printed.
    (code.digits().as_deref() == Some(digits.as_str())).then_some(code)
}

/// The `yyyymmdd` of a printed code (exactly eight digits).
fn compact_date(date: &str) -> Option<Date> {
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i16 = date[0..4].parse().ok()?;
    let month: i8 = date[4..6].parse().ok()?;
    let day: i8 = date[6..8].parse().ok()?;
    Date::new(year, month, day).ok()
}

/// The Luhn check digit of `body`, plus 5 (mod 10): a code is then never a valid card number.
fn check_digit(body: &str) -> Option<char> {
    let mut sum = 0u32;
    for (i, c) in body.chars().rev().enumerate() {
        let mut d = c.to_digit(10)?;
        if i % 2 == 0 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    let luhn = (10 - sum % 10) % 10;
    char::from_digit((luhn + 5) % 10, 10)
}

/// Whether `digits` is a product barcode (EAN-8, UPC-A, EAN-13, GTIN-14) with a valid check digit:
/// what a till scanner reads off goods, never a checklist line.
pub fn is_product_code(text: &str) -> bool {
    let d: Vec<u32> = text.trim().chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != text.trim().len() || ![8, 12, 13, 14].contains(&d.len()) {
        return false;
    }
    let (body, check) = d.split_at(d.len() - 1);
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, v)| if i % 2 == 0 { v * 3 } else { *v })
        .sum();
    (10 - sum % 10) % 10 == check[0]
}

impl fmt::Display for ScanCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// The task a scanned code names, as it stands now.
#[derive(Debug, Clone, PartialEq)]
pub struct ScannedLine {
    pub code: ScanCode,
    pub schedule: ScheduleId,
    pub terminal: TerminalId,
    pub terminal_name: String,
    pub task: TaskTemplate,
}

/// How a [`ScanVerdict::Ready`] scan is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanMark {
    /// Every open occurrence up to this date, like the board's Done: today's line of a task missed
    /// since last week covers the missed days too.
    Through(Date),
    /// Exactly this occurrence: an earlier day's line (older open days were not ticked on it).
    Occurrence(Date),
}

/// What a scanned code would do, decided before anything is written ([`crate::store::Store::check_scan`]).
#[derive(Debug, Clone, PartialEq)]
pub enum ScanVerdict {
    /// No task of this posdesk has that number (another shop's sheet, or a made-up code).
    Unknown,
    /// The task was taken off its terminal since the sheet was printed.
    Removed(ScannedLine),
    /// The terminal is out of service (archived).
    Archived(ScannedLine),
    /// A day's line for a later day (or a week sheet that has not begun): refused, with that day.
    Future { line: ScannedLine, day: Date },
    /// A week sheet whose week is over.
    WeekOver {
        line: ScannedLine,
        first: Date,
        last: Date,
    },
    /// The sheet was printed before the task's plan changed: the date is none of its dates now.
    Changed(ScannedLine),
    /// Already recorded (scanned twice, or done on the board).
    AlreadyDone(ScannedLine),
    /// A week row scanned on a day the task is not due (and not due soon): nothing to record.
    NotDue { line: ScannedLine, next: Date },
    /// Ready to record: done on `done_on`, marking `mark`.
    Ready {
        line: ScannedLine,
        mark: ScanMark,
        done_on: Date,
        /// Occurrences before today it also covers (today's line of an overdue task).
        missed: u32,
    },
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use jiff::civil::date;

    #[test]
    fn round_trips() {
        for (id, d) in [
            (1, date(2026, 12, 1)),
            (42, date(2026, 2, 28)),
            (123_456, date(2028, 2, 29)),
            (i64::MAX, date(2099, 12, 31)),
        ] {
            let code = ScanCode::new(id, d);
            assert_eq!(ScanCode::parse(&code.encode()), Some(code), "{code}");
        }
        assert_eq!(
            ScanCode::new(42, date(2026, 12, 1)).encode(),
            "PD42-20261201"
        );
    }

    #[test]
    fn accepts_what_a_scanner_types() {
        let want = Some(ScanCode::new(42, date(2026, 12, 1)));
        for typed in [
            "PD42-20261201\r\n",
            "PD42-20261201\n",
            "  pd42-20261201\t",
            "Pd42-20261201\r",
            "ＰＤ４２－２０２６１２０１",
        ] {
            assert_eq!(ScanCode::parse(typed), want, "{typed:?}");
        }
    }

    #[test]
    fn rejects_normal_search_text() {
        for text in [
            "",
            "51",
            "A0",
            "余额不足",
            "PD",
            "pd",
            "PD12",
            "PD12-",
            "PD12-2026130",
            "PD12-202612011",
            "PD12-20261301",
            "PD12-20260230",
            "PD-20261201",
            "PD012-20261201",
            "PD-1-20261201",
            "PD1 2-20261201",
            "PD12-2026-12-01",
            "XPD12-20261201",
            "PD12-20261201X",
            "PD99999999999999999999-20261201",
            "PDA0-20261201",
            "pd 余额",
            "paper",
        ] {
            assert_eq!(ScanCode::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn digits_round_trip_and_are_never_a_card_or_a_product() {
        for code in [
            ScanCode::new(42, date(2026, 12, 6)),
            ScanCode::week(7, date(2026, 12, 6)),
            ScanCode::new(123_456, date(2028, 2, 29)),
            ScanCode::new(99_999_999, date(2099, 12, 31)),
        ] {
            let digits = code.barcode();
            assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{digits}");
            assert!([16, 18, 20].contains(&digits.len()), "{digits}");
            assert_eq!(ScanCode::parse(&digits), Some(code), "{digits}");
            assert_eq!(
                ScanCode::parse(&code.human()),
                Some(code),
                "{}",
                code.human()
            );
            assert_eq!(ScanCode::parse(&format!("{digits}\r\n")), Some(code));
            let bytes: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
            assert!(!crate::domain::pan::luhn_valid(&bytes), "{digits}");
            assert!(!is_product_code(&digits));
            // One wrong digit is caught.
            let mut wrong = digits.clone().into_bytes();
            wrong[5] = if wrong[5] == b'0' { b'1' } else { b'0' };
            assert_eq!(ScanCode::parse(std::str::from_utf8(&wrong).unwrap()), None);
        }
        assert_eq!(
            ScanCode::new(42, date(2026, 12, 6))
                .human()
                .split(' ')
                .count(),
            4
        );
        // Too long for the digits: the text form.
        assert_eq!(
            ScanCode::new(123_456_789, date(2026, 12, 6)).barcode(),
            "PD123456789-20261206"
        );
        let week = ScanCode::week(42, date(2026, 12, 6));
        assert_eq!(week.encode(), "PD42-W20261206");
        assert_eq!(ScanCode::parse("pd42-w20261206"), Some(week));
    }

    #[test]
    fn product_codes_are_told_apart() {
        assert!(is_product_code("6901234567892"));
        assert!(is_product_code("96385074"));
        assert!(!is_product_code("6901234567891"));
        assert!(!is_product_code("51"));
        assert_eq!(ScanCode::parse("6901234567892"), None);
        assert_eq!(ScanCode::parse("4111111111111111"), None);
    }
}
