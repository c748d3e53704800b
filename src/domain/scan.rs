//! The text a printed checklist's barcode carries: which scheduled task, on which date.
//!
//! Format: `PD` + schedule id + `-` + `yyyymmdd`, e.g. `PD42-20261201`. Short on purpose: the Code 128
//! symbol of a 1–6 digit id fits 58 mm receipt paper with 0.25 mm bars (see `print::barcode`); the date
//! is 8 digits so it packs into Code 128 set C. A till scanner "types" the code followed by Enter into
//! the focused field, so [`ScanCode::parse`] must accept exactly that and nothing a clerk would search
//! for ("51", "余额不足", "PD").

use jiff::civil::Date;
use std::fmt;

/// The prefix every scan code starts with; parsed case-insensitively (Caps Lock on the till).
pub const PREFIX: &str = "PD";

/// Most digits of a schedule id: an `i64` has at most 19 (a longer run is not a scan code, whatever
/// it is).
const MAX_ID_DIGITS: usize = 19;

/// One task occurrence: schedule `schedule_id` (a store row id, 1 or more) due on `date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScanCode {
    pub schedule_id: i64,
    pub date: Date,
}

impl ScanCode {
    pub fn new(schedule_id: i64, date: Date) -> ScanCode {
        ScanCode { schedule_id, date }
    }

    /// The printed form, `PD42-20261201`.
    pub fn encode(&self) -> String {
        format!(
            "{PREFIX}{}-{:04}{:02}{:02}",
            self.schedule_id,
            self.date.year(),
            self.date.month(),
            self.date.day()
        )
    }

    /// What a scanner typed, back to the task and date; `None` for anything that is not exactly a scan
    /// code. Surrounding whitespace and the scanner's CR/LF/Tab are ignored, the prefix may be in any
    /// case, and full-width characters (a Chinese IME left in full-width mode) count as their ASCII.
    pub fn parse(text: &str) -> Option<ScanCode> {
        let text: String = text.trim().chars().map(halfwidth).collect();
        let rest = strip_prefix_ignore_case(&text, PREFIX)?;
        let (id, date) = rest.split_once('-')?;
        if id.is_empty()
            || id.len() > MAX_ID_DIGITS
            || id.starts_with('0')
            || !id.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let schedule_id: i64 = id.parse().ok()?;
        let year: i16 = date[0..4].parse().ok()?;
        let month: i8 = date[4..6].parse().ok()?;
        let day: i8 = date[6..8].parse().ok()?;
        let date = Date::new(year, month, day).ok()?;
        Some(ScanCode { schedule_id, date })
    }
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

/// Full-width ASCII forms (U+FF01–U+FF5E) and the ideographic space to plain ASCII.
fn halfwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
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
}
