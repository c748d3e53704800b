//! Maintenance: the shop's terminals, the task templates that keep them healthy, and what the board,
//! the terminal page and the printed sheet show. Plain types and rules; the date arithmetic is in
//! [`crate::domain::schedule`], the storage in `store::maintenance`.

use crate::domain::code::{fold_fullwidth, id_enum};
use crate::i18n::{Explain, Msg};
use crate::labels;
use jiff::civil::Date;
use jiff::{Span, Timestamp};
use serde::{Deserialize, Serialize};
use thiserror::Error;

mod rules;
mod shop;

pub use rules::*;
pub use shop::*;

/// Longest terminal name, so a name still fits a sheet's heading and a barcode label.
pub const MAX_NAME_CHARS: usize = 80;
/// Longest short field (model, serial, phone, firmware...).
pub const MAX_FIELD_CHARS: usize = 200;
/// Longest note or reason, the same bound as a code's note.
pub const MAX_NOTE_CHARS: usize = 4000;
/// Longest interval count: once a year for a daily interval; anything rarer is not maintenance.
pub const MAX_EVERY: u32 = 366;

id_enum! {
    /// What a device is; it decides the default task set a new terminal gets.
    pub enum TerminalKind {
        CardTerminal = "card_terminal",
        QrScanner = "qr_scanner",
        ReceiptPrinter = "receipt_printer",
        PinPad = "pin_pad",
        Other = "other",
    }
}

labels!(TerminalKind {
    CardTerminal => ("Card terminal", "刷卡终端"),
    QrScanner => ("QR scanner box", "扫码盒"),
    ReceiptPrinter => ("Receipt printer", "小票打印机"),
    PinPad => ("PIN pad", "密码键盘"),
    Other => ("Other device", "其他设备"),
});

impl TerminalKind {
    /// The kind for an id or a short word as typed on a command line (`card`, `qr`, `printer`,
    /// `pinpad`), ignoring case, `-` and spaces.
    pub fn parse(text: &str) -> Option<TerminalKind> {
        if let Some(k) = TerminalKind::from_id(text) {
            return Some(k);
        }
        let word: String = text
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        Some(match word.as_str() {
            "card" | "cardterminal" | "terminal" | "pos" => TerminalKind::CardTerminal,
            "qr" | "qrscanner" | "scanner" | "qrbox" => TerminalKind::QrScanner,
            "printer" | "receiptprinter" => TerminalKind::ReceiptPrinter,
            "pin" | "pinpad" => TerminalKind::PinPad,
            "other" => TerminalKind::Other,
            _ => return None,
        })
    }
}

id_enum! {
    /// The unit of a task's interval.
    pub enum IntervalUnit {
        Day = "day",
        Week = "week",
        Month = "month",
    }
}

labels!(IntervalUnit {
    Day => ("day", "天"),
    Week => ("week", "周"),
    Month => ("month", "个月"),
});

id_enum! {
    /// How a task's due dates follow each other.
    pub enum Recurrence {
        /// On the calendar: start, start + 1·interval, start + 2·interval... whatever happens. Each of
        /// these dates is an occurrence that is done, skipped or still open (missed).
        Calendar = "calendar",
        /// One interval after it was last done (or skipped); the start date until then.
        AfterDone = "after_done",
    }
}

labels!(Recurrence {
    Calendar => ("On fixed dates", "按固定日期"),
    AfterDone => ("After it was last done", "上次完成后计算"),
});

id_enum! {
    /// What the clerk found when doing a task.
    pub enum Outcome {
        AllFine = "all_fine",
        ProblemFound = "problem_found",
    }
}

labels!(Outcome {
    AllFine => ("All fine", "一切正常"),
    ProblemFound => ("Problem found", "发现问题"),
});

id_enum! {
    /// Where a task stands on the due board. Tasks due later than "soon" are not on the board.
    pub enum DueState {
        /// Its due date has passed and it was neither done nor skipped.
        Overdue = "overdue",
        /// Due today.
        Due = "due",
        /// Due within the next few days (see `schedule::soon_window`).
        Soon = "soon",
    }
}

labels!(DueState {
    Overdue => ("Overdue", "已逾期"),
    Due => ("Due today", "今天要做"),
    Soon => ("Due soon", "即将到期"),
});

id_enum! {
    /// A value a task asks the clerk to write down when it is done.
    pub enum ValueKind {
        /// The firmware/software version after the update; it becomes the terminal's firmware field.
        FirmwareVersion = "firmware_version",
        /// Battery health in percent, 0–100.
        BatteryPercent = "battery_percent",
        /// Receipt paper rolls left in stock.
        PaperRolls = "paper_rolls",
    }
}

labels!(ValueKind {
    FirmwareVersion => ("Firmware version", "固件版本"),
    BatteryPercent => ("Battery health (%)", "电池健康度（%）"),
    PaperRolls => ("Paper rolls left", "剩余纸卷"),
});

impl ValueKind {
    /// The value as it is stored: trimmed, full-width digits folded, a number checked for its range
    /// (a trailing `%` or `卷` is accepted and dropped).
    pub fn check(self, text: &str) -> Result<String, MaintenanceError> {
        let folded: String = text.chars().map(fold_fullwidth).collect();
        let value = folded.trim();
        if value.is_empty() {
            return Err(MaintenanceError::ValueEmpty(self));
        }
        let max = match self {
            ValueKind::FirmwareVersion => {
                if value.chars().count() > MAX_FIELD_CHARS {
                    return Err(MaintenanceError::TooLong {
                        field: "firmware",
                        max: MAX_FIELD_CHARS,
                    });
                }
                return Ok(value.to_string());
            }
            ValueKind::BatteryPercent => 100,
            ValueKind::PaperRolls => 9999,
        };
        let number = value
            .trim_end_matches(['%', '卷'])
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| MaintenanceError::BadValue {
                kind: self,
                value: value.to_string(),
                max,
            })?;
        Ok(number.to_string())
    }
}

id_enum! {
    /// What happened to a task, as kept in its history.
    pub enum EventKind {
        Done = "done",
        Skipped = "skipped",
        Snoozed = "snoozed",
    }
}

labels!(EventKind {
    Done => ("Done", "已完成"),
    Skipped => ("Skipped", "已跳过"),
    Snoozed => ("Snoozed", "已推迟"),
});

/// A terminal's row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TerminalId(pub i64);

/// One task scheduled on one terminal: the id a printed sheet's barcode carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ScheduleId(pub i64);

/// One history event's id (what Undo takes back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EventId(pub i64);

/// How often a task comes round: every `every` days, weeks or months. Always at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Interval {
    every: u32,
    unit: IntervalUnit,
}

impl Interval {
    pub const DAILY: Interval = Interval {
        every: 1,
        unit: IntervalUnit::Day,
    };
    pub const WEEKLY: Interval = Interval {
        every: 1,
        unit: IntervalUnit::Week,
    };
    pub const MONTHLY: Interval = Interval {
        every: 1,
        unit: IntervalUnit::Month,
    };

    pub fn new(every: u32, unit: IntervalUnit) -> Result<Interval, MaintenanceError> {
        if every == 0 || every > MAX_EVERY {
            return Err(MaintenanceError::BadInterval(every));
        }
        Ok(Interval { every, unit })
    }

    pub fn every(self) -> u32 {
        self.every
    }

    pub fn unit(self) -> IntervalUnit {
        self.unit
    }

    /// `times` intervals as a span (jiff clamps month ends: Jan 31 + 1 month = Feb 28/29).
    pub fn times(self, times: i64) -> Option<Span> {
        let n = i64::from(self.every).checked_mul(times)?;
        match self.unit {
            IntervalUnit::Day => Span::new().try_days(n).ok(),
            IntervalUnit::Week => Span::new().try_weeks(n).ok(),
            IntervalUnit::Month => Span::new().try_months(n).ok(),
        }
    }

    /// Roughly how many days one interval is (months as 28, the shortest).
    pub fn min_days(self) -> u32 {
        self.every
            * match self.unit {
                IntervalUnit::Day => 1,
                IntervalUnit::Week => 7,
                IntervalUnit::Month => 28,
            }
    }

    /// "every day", "every 2 weeks" / "每天", "每2周".
    pub fn describe(self) -> Msg {
        use crate::i18n::Label;
        let unit = self.unit.label();
        if self.every == 1 {
            Msg::new(format!("every {}", unit.en), format!("每{}", unit.zh))
        } else {
            Msg::new(
                format!("every {} {}s", self.every, unit.en),
                format!("每{}{}", self.every, unit.zh),
            )
        }
    }
}

/// The value a template asks for when it is done, with the label the form and the sheet show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueSpec {
    pub kind: ValueKind,
    pub label_zh: String,
    pub label_en: String,
}

/// One reviewed maintenance task from `data/checklists/`. `steps_zh` and `steps_en` run in parallel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskTemplate {
    /// Stable id (`receipt_paper`): schedules, history, the CLI and barcodes refer to it.
    pub key: String,
    pub title_zh: String,
    pub title_en: String,
    pub why_zh: String,
    pub why_en: String,
    pub steps_zh: Vec<String>,
    pub steps_en: Vec<String>,
    /// The kinds of device that get this task by default.
    pub kinds: Vec<TerminalKind>,
    /// The interval and recurrence a new terminal's schedule starts with.
    pub interval: Interval,
    pub recurrence: Recurrence,
    pub value: Option<ValueSpec>,
    /// Standing advice (keep it dry, nothing on the reader...): a rule to keep at all times, checked
    /// now and then like any task, and printed by the sheet as a reminder apart from the boxes.
    pub standing: bool,
    /// The shop's own task (added in the window or with `posdesk task add`), not a bundled one.
    pub own: bool,
}

impl TaskTemplate {
    pub fn applies_to(&self, kind: TerminalKind) -> bool {
        self.kinds.contains(&kind)
    }

    /// Check the rules a bundled template keeps: a key of `a-z0-9_`, both languages filled in, the
    /// same number of steps in each, at least one kind.
    pub fn check(&self) -> Result<(), MaintenanceError> {
        let key_ok = !self.key.is_empty()
            && self
                .key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !key_ok {
            return Err(MaintenanceError::BadKey(self.key.clone()));
        }
        let texts = [
            ("title_zh", &self.title_zh),
            ("title_en", &self.title_en),
            ("why_zh", &self.why_zh),
            ("why_en", &self.why_en),
        ];
        for (field, text) in texts {
            if text.trim().is_empty() {
                return Err(MaintenanceError::Missing(field));
            }
        }
        if self.steps_en.is_empty() || self.steps_en.len() != self.steps_zh.len() {
            return Err(MaintenanceError::StepsMismatch {
                en: self.steps_en.len(),
                zh: self.steps_zh.len(),
            });
        }
        if self
            .steps_en
            .iter()
            .chain(&self.steps_zh)
            .any(|s| s.trim().is_empty())
        {
            return Err(MaintenanceError::Missing("steps"));
        }
        if self.kinds.is_empty() {
            return Err(MaintenanceError::Missing("kinds"));
        }
        if let Some(v) = &self.value
            && (v.label_en.trim().is_empty() || v.label_zh.trim().is_empty())
        {
            return Err(MaintenanceError::Missing("value label"));
        }
        Ok(())
    }
}

/// What the shop writes about one device: the fields of the add and edit forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminalInfo {
    /// Unique among the terminals in use, ignoring case ("Till 2" and "till 2" are the same).
    pub name: String,
    pub kind: TerminalKind,
    pub model: String,
    pub serial: String,
    pub location: String,
    /// The provider / acquirer that services it.
    pub provider: String,
    /// The provider's support phone.
    pub support_phone: String,
    /// As last recorded: typed here, or by a firmware-update task done with a version.
    pub firmware: String,
    pub notes: String,
}

impl TerminalInfo {
    /// A card terminal with this name and every other field empty.
    pub fn named(name: &str) -> TerminalInfo {
        TerminalInfo {
            name: name.to_string(),
            kind: TerminalKind::CardTerminal,
            model: String::new(),
            serial: String::new(),
            location: String::new(),
            provider: String::new(),
            support_phone: String::new(),
            firmware: String::new(),
            notes: String::new(),
        }
    }

    /// The fields trimmed and within their lengths, or why not.
    pub fn checked(&self) -> Result<TerminalInfo, MaintenanceError> {
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(MaintenanceError::EmptyName);
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(MaintenanceError::TooLong {
                field: "name",
                max: MAX_NAME_CHARS,
            });
        }
        let short = |field: &'static str, text: &str| {
            let t = text.trim();
            if t.chars().count() > MAX_FIELD_CHARS {
                Err(MaintenanceError::TooLong {
                    field,
                    max: MAX_FIELD_CHARS,
                })
            } else {
                Ok(t.to_string())
            }
        };
        let notes = self.notes.trim();
        if notes.chars().count() > MAX_NOTE_CHARS {
            return Err(MaintenanceError::TooLong {
                field: "notes",
                max: MAX_NOTE_CHARS,
            });
        }
        Ok(TerminalInfo {
            name,
            kind: self.kind,
            model: short("model", &self.model)?,
            serial: short("serial", &self.serial)?,
            location: short("location", &self.location)?,
            provider: short("provider", &self.provider)?,
            support_phone: short("support phone", &self.support_phone)?,
            firmware: short("firmware", &self.firmware)?,
            notes: notes.to_string(),
        })
    }
}

/// Order names as people count: "Store 2" before "Store 10", ignoring case, full-width and spaces
/// like [`name_key`]. Runs of digits compare by value (then by length, so "07" follows "7").
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (a, b) = (name_key(a), name_key(b));
    let (mut x, mut y) = (a.as_str(), b.as_str());
    loop {
        match (x.chars().next(), y.chars().next()) {
            (None, None) => return a.cmp(&b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let n = x.find(|c: char| !c.is_ascii_digit()).unwrap_or(x.len());
                let m = y.find(|c: char| !c.is_ascii_digit()).unwrap_or(y.len());
                let (p, q) = (&x[..n], &y[..m]);
                let (pt, qt) = (p.trim_start_matches('0'), q.trim_start_matches('0'));
                let order = pt
                    .len()
                    .cmp(&qt.len())
                    .then_with(|| pt.cmp(qt))
                    .then_with(|| p.len().cmp(&q.len()));
                if order != Ordering::Equal {
                    return order;
                }
                x = &x[n..];
                y = &y[m..];
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                x = &x[c.len_utf8()..];
                y = &y[d.len_utf8()..];
            }
        }
    }
}

/// The form of a name that decides uniqueness: spaces collapsed, full-width folded, lower case.
pub fn name_key(name: &str) -> String {
    let folded: String = name.chars().map(fold_fullwidth).collect();
    folded
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A device of the shop as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terminal {
    pub id: TerminalId,
    pub info: TerminalInfo,
    pub created_at: Timestamp,
    /// Set when the device left service. Its history stays; it leaves the board and the sheets.
    pub archived_at: Option<Timestamp>,
}

impl Terminal {
    pub fn is_archived(&self) -> bool {
        self.archived_at.is_some()
    }
}

/// How one task runs on one terminal: the user may change it per terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub recurrence: Recurrence,
    pub interval: Interval,
    /// The first due date; calendar occurrences are `start + k·interval`.
    pub start: Date,
}

/// One task on one terminal, with where it stands today.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskStatus {
    pub schedule: ScheduleId,
    pub terminal: TerminalId,
    pub task: TaskTemplate,
    pub plan: Plan,
    /// `None` only when the schedule runs past the last date jiff knows.
    pub status: Option<crate::domain::schedule::Status>,
    /// The last day it was done, if ever.
    pub last_done_on: Option<Date>,
}

/// A line of the due board: one task on one terminal, however many of its occurrences were missed.
#[derive(Debug, Clone, PartialEq)]
pub struct DueItem {
    pub schedule: ScheduleId,
    pub terminal: TerminalId,
    pub terminal_name: String,
    pub task: TaskTemplate,
    pub state: DueState,
    /// The date it is (or was) due: the first open occurrence, or the end of a snooze.
    pub due_on: Date,
    /// The first occurrence not done: "overdue since" when before today.
    pub first_open: Date,
    /// The last occurrence that marking this item done covers (`Store::mark_done(.., through, ..)`).
    pub through: Date,
    /// Occurrences before today that were neither done nor skipped.
    pub missed: u32,
}

/// One box of a printed checklist: a task on a terminal for one date.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetLine {
    pub schedule: ScheduleId,
    pub terminal: TerminalId,
    pub terminal_name: String,
    pub task: TaskTemplate,
    /// The occurrence this box stands for; with `schedule` it is what the line's barcode carries.
    pub date: Date,
    /// The occurrence is before the sheet's first day: a catch-up of an overdue task.
    pub overdue: bool,
    /// Occurrences missed before the sheet's first day (shown beside a catch-up line).
    pub missed: u32,
    /// Already done or skipped when the sheet was made (a reprint): the PDF may tick or grey it.
    pub resolved: bool,
}

/// The days a sheet covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetSpan {
    Day(Date),
    /// Seven days from this date.
    Week(Date),
}

impl SheetSpan {
    pub fn first(self) -> Date {
        match self {
            SheetSpan::Day(d) | SheetSpan::Week(d) => d,
        }
    }

    pub fn last(self) -> Date {
        match self {
            SheetSpan::Day(d) => d,
            SheetSpan::Week(d) => d.checked_add(Span::new().days(6)).unwrap_or(d),
        }
    }
}

/// What the clerk enters when marking a task done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoneEntry {
    /// The day the work was done.
    pub done_on: Date,
    /// Who did it (may be empty; the store remembers the last name for the next form).
    pub by: String,
    pub outcome: Outcome,
    pub note: String,
    /// The value the template asks for, as typed; checked against the template's value kind.
    pub value: Option<String>,
}

impl DoneEntry {
    /// Done on `on` by `by`, all fine, no note or value.
    pub fn fine(on: Date, by: &str) -> DoneEntry {
        DoneEntry {
            done_on: on,
            by: by.to_string(),
            outcome: Outcome::AllFine,
            note: String::new(),
            value: None,
        }
    }
}

/// What a mark-done, skip or scan changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marked {
    /// False when there was nothing open to mark (done already, or scanned twice).
    pub changed: bool,
    /// The history event written, for Undo.
    pub event: Option<EventId>,
    /// How many occurrences the event covers (a task missed three times and done now covers 3+).
    pub covers: u32,
}

impl Marked {
    pub const NOTHING: Marked = Marked {
        changed: false,
        event: None,
        covers: 0,
    };
}

/// One entry of a terminal's maintenance history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEvent {
    pub id: EventId,
    pub schedule: ScheduleId,
    pub terminal: TerminalId,
    pub task_key: String,
    pub title_zh: String,
    pub title_en: String,
    pub kind: EventKind,
    /// The day it was done, skipped or snoozed.
    pub on: Date,
    /// The occurrences it covers, first and last (a snooze: the due date it moved).
    pub first_occurrence: Date,
    pub last_occurrence: Date,
    pub covers: u32,
    pub snoozed_until: Option<Date>,
    pub outcome: Option<Outcome>,
    pub by: String,
    /// The clerk's note, or the reason for a skip or snooze.
    pub note: String,
    pub value_kind: Option<ValueKind>,
    pub value: Option<String>,
    pub recorded_at: Timestamp,
    /// Photos taken with it (a done task), oldest first.
    pub photos: Vec<crate::domain::incident::Attachment>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_ids_and_short_words() {
        assert_eq!(
            TerminalKind::parse("card"),
            Some(TerminalKind::CardTerminal)
        );
        assert_eq!(
            TerminalKind::parse("Card_Terminal"),
            Some(TerminalKind::CardTerminal)
        );
        assert_eq!(TerminalKind::parse("pin-pad"), Some(TerminalKind::PinPad));
        assert_eq!(TerminalKind::parse("QR"), Some(TerminalKind::QrScanner));
        assert_eq!(TerminalKind::parse("toaster"), None);
    }

    #[test]
    fn values_are_checked_by_kind() {
        assert_eq!(ValueKind::BatteryPercent.check(" 87% "), Ok("87".into()));
        assert_eq!(ValueKind::BatteryPercent.check("８７"), Ok("87".into()));
        assert!(ValueKind::BatteryPercent.check("101").is_err());
        assert!(ValueKind::PaperRolls.check("-1").is_err());
        assert_eq!(ValueKind::PaperRolls.check("3卷"), Ok("3".into()));
        assert_eq!(
            ValueKind::FirmwareVersion.check(" V2.1.0 "),
            Ok("V2.1.0".into())
        );
        assert_eq!(
            ValueKind::FirmwareVersion.check(" "),
            Err(MaintenanceError::ValueEmpty(ValueKind::FirmwareVersion))
        );
    }

    #[test]
    fn names_compare_without_case_or_extra_spaces() {
        assert_eq!(name_key(" Till  2 "), name_key("till 2"));
        assert_eq!(name_key("ＴＩＬＬ 2"), "till 2");
        let info = TerminalInfo::named("  Till   2 ")
            .checked()
            .unwrap_or_else(|e| {
                panic!("{e}");
            });
        assert_eq!(info.name, "Till 2");
        assert_eq!(
            TerminalInfo::named("  ").checked(),
            Err(MaintenanceError::EmptyName)
        );
    }

    #[test]
    fn reasons_must_say_something() {
        assert_eq!(checked_reason(" \n"), Err(MaintenanceError::ReasonRequired));
        assert_eq!(checked_reason(" closed "), Ok("closed".into()));
    }

    #[test]
    fn intervals_describe_themselves_and_refuse_zero() {
        assert!(Interval::new(0, IntervalUnit::Day).is_err());
        assert_eq!(Interval::DAILY.describe().en, "every day");
        let two = Interval::new(2, IntervalUnit::Week).unwrap_or(Interval::WEEKLY);
        assert_eq!(two.describe().en, "every 2 weeks");
        assert_eq!(two.describe().zh, "每2周");
    }
}
