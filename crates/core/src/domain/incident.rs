//! The incident journal's types and rules: what an incident is, how its status may move, and when the
//! same failure repeating on one terminal deserves a warning. No SQL here; `store::journal` keeps them.

use crate::domain::code::{Scheme, id_enum};
use crate::i18n::{Explain, Label, Msg};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Longest text accepted in one field (symptom, note, step, resolution): a longer one is a paste.
pub const MAX_TEXT_CHARS: usize = 4_000;
/// Longest terminal name, code, transaction reference or clerk name.
pub const MAX_SHORT_CHARS: usize = 200;

/// An incident's id: stable for its whole life (CLI, exports and links use it).
pub type IncidentId = i64;

id_enum! {
    /// Where an incident stands. Open → waiting for the provider → resolved; a resolved one can be
    /// reopened when the failure comes back.
    pub enum IncidentStatus {
        Open = "open",
        Waiting = "waiting",
        Resolved = "resolved",
    }
}

crate::labels!(IncidentStatus {
    Open => ("Open", "未解决"),
    Waiting => ("Waiting for provider", "等待服务商"),
    Resolved => ("Resolved", "已解决"),
});

impl IncidentStatus {
    /// The statuses this one may move to. Staying put is not a move.
    pub fn next(self) -> &'static [IncidentStatus] {
        use IncidentStatus::*;
        match self {
            Open => &[Waiting, Resolved],
            Waiting => &[Open, Resolved],
            Resolved => &[Open],
        }
    }

    pub fn can_move_to(self, to: IncidentStatus) -> bool {
        self.next().contains(&to)
    }

    /// `Ok(to)` when the move is allowed, else the typed reason.
    pub fn move_to(self, to: IncidentStatus) -> Result<IncidentStatus, IncidentError> {
        if self.can_move_to(to) {
            Ok(to)
        } else {
            Err(IncidentError::Transition { from: self, to })
        }
    }
}

id_enum! {
    /// How one fix step went.
    pub enum StepOutcome {
        Tried = "tried",
        Worked = "worked",
        DidNotWork = "did_not_work",
    }
}

crate::labels!(StepOutcome {
    Tried => ("Tried", "已尝试"),
    Worked => ("Worked", "有效"),
    DidNotWork => ("Did not work", "无效"),
});

/// A fix step the clerk tried and what came of it (from the code's card or typed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepTried {
    pub text: String,
    pub outcome: StepOutcome,
}

/// One entry of an incident's timeline: a note added after it was logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteEntry {
    pub id: i64,
    pub at: Timestamp,
    pub text: String,
}

/// A file kept with an incident, copied into `attachments/<sha256>.<ext>` beside the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: i64,
    /// The name the file had when attached (shown to the clerk; card numbers masked).
    pub file_name: String,
    /// Lower-case hex SHA-256 of the content; also the stored file's name.
    pub sha256: String,
    pub size: u64,
    pub added_at: Timestamp,
}

impl Attachment {
    /// The stored file's name inside the `attachments/` folder.
    pub fn stored_name(&self) -> String {
        stored_name(&self.sha256, &self.file_name)
    }
}

/// Whether `text` is a SHA-256 as stored: 64 lower-case hex digits (and so a safe file name).
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Whether `name` is the name of a stored attachment file: `<sha256>` or `<sha256>.<ext>` with a
/// short extension of lower-case letters and digits.
pub fn is_stored_name(name: &str) -> bool {
    let (hash, ext) = name.split_at(name.len().min(64));
    is_sha256(hash)
        && (ext.is_empty()
            || ext.strip_prefix('.').is_some_and(|e| {
                !e.is_empty()
                    && e.len() <= 10
                    && e.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            }))
}

/// `<sha256>.<ext>`, the extension taken from the original name (lower case, letters and digits only),
/// so the system viewer knows what to open it with.
pub fn stored_name(sha256: &str, file_name: &str) -> String {
    let ext: String = std::path::Path::new(file_name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(10)
        .flat_map(|c| c.to_lowercase())
        .collect();
    if ext.is_empty() {
        sha256.to_string()
    } else {
        format!("{sha256}.{ext}")
    }
}

/// A new incident as the form (or the CLI) fills it. Card numbers in any text are masked when stored.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct IncidentDraft {
    pub occurred_at: Option<Timestamp>,
    pub terminal: Option<String>,
    pub code: Option<String>,
    pub scheme: Option<Scheme>,
    pub symptom: String,
    /// In minor units (fen, cents).
    pub amount: Option<i64>,
    pub txn_ref: Option<String>,
    pub steps: Vec<StepTried>,
    pub who: Option<String>,
}

/// Changes to an incident's fields; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IncidentEdit {
    pub occurred_at: Option<Timestamp>,
    pub terminal: Option<Option<String>>,
    pub code: Option<Option<String>>,
    pub scheme: Option<Option<Scheme>>,
    pub symptom: Option<String>,
    pub amount: Option<Option<i64>>,
    pub txn_ref: Option<Option<String>>,
    pub resolution: Option<String>,
    pub who: Option<Option<String>>,
    /// Replaces all steps.
    pub steps: Option<Vec<StepTried>>,
}

/// One row of the journal list: enough for a table line, without steps and notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentSummary {
    pub id: IncidentId,
    pub occurred_at: Timestamp,
    pub terminal: Option<String>,
    pub code: Option<String>,
    pub scheme: Option<Scheme>,
    pub status: IncidentStatus,
    /// The symptom, or when that is empty the first timeline note: what the list shows as "note".
    pub note: Option<String>,
}

/// An incident with everything kept about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    pub id: IncidentId,
    pub occurred_at: Timestamp,
    pub terminal: Option<String>,
    pub code: Option<String>,
    pub scheme: Option<Scheme>,
    pub symptom: String,
    pub amount: Option<i64>,
    pub txn_ref: Option<String>,
    pub resolution: String,
    pub status: IncidentStatus,
    pub resolved_at: Option<Timestamp>,
    pub who: Option<String>,
    pub created_at: Timestamp,
    pub steps: Vec<StepTried>,
    /// Oldest first.
    pub notes: Vec<NoteEntry>,
    pub attachments: Vec<Attachment>,
}

/// Which incidents to list or count. Every field narrows; the default is all of them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IncidentFilter {
    pub status: Option<IncidentStatus>,
    /// Exact terminal name.
    pub terminal: Option<String>,
    /// A code as typed; matched after normalising (`" a0 "` finds `A0`).
    pub code: Option<String>,
    /// Occurred at or after.
    pub from: Option<Timestamp>,
    /// Occurred before.
    pub until: Option<Timestamp>,
    /// Words that must all appear in the code, symptom, transaction reference, resolution, steps or
    /// notes. Words of 3+ characters match as substrings; 1–2 character words as Chinese characters or
    /// the start of an English word or number. A word that names a terminal (the same rules over its
    /// name) also finds the incidents logged on it.
    pub text: Option<String>,
}

/// Where the next page starts: opaque, taken from the last page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cursor(pub(crate) i64);

/// One page of the journal, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentPage {
    pub rows: Vec<IncidentSummary>,
    /// `Some` when there may be more rows after these.
    pub next: Option<Cursor>,
}

/// A code seen in incidents that the code book does not know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownCode {
    /// As first typed.
    pub code: String,
    /// Normalised (`crate::domain::code::normalize_code`).
    pub code_key: String,
    /// The schemes it was logged under (None = not given) with how often, most first.
    pub schemes: Vec<(Option<Scheme>, u64)>,
    pub count: u64,
    pub last_at: Timestamp,
    /// Terminal names (None = not given) with how often, most first.
    pub terminals: Vec<(Option<String>, u64)>,
}

/// How many incidents one code or terminal had in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountRow {
    pub key: Option<String>,
    pub count: u64,
}

/// The statistics view over the last `days` days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalStats {
    pub days: u32,
    pub total: u64,
    /// Most first; `key` is the code as typed (None = no code).
    pub per_code: Vec<CountRow>,
    /// Most first; `key` is the terminal name (None = not given).
    pub per_terminal: Vec<CountRow>,
    /// Over incidents of the period that are resolved.
    pub median_time_to_resolve: Option<SignedDuration>,
    pub resolved: u64,
}

/// "The same code on the same terminal 3 or more times in 14 days": the pattern a banner warns about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepeatRule {
    pub min_count: usize,
    pub window: SignedDuration,
}

impl Default for RepeatRule {
    fn default() -> Self {
        RepeatRule::STANDARD
    }
}

/// A repeat the rule found: how many times in the window and when the first and last were.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RepeatHit {
    pub count: usize,
    pub first: Timestamp,
    pub last: Timestamp,
}

impl RepeatRule {
    pub const STANDARD: RepeatRule = RepeatRule {
        min_count: 3,
        window: SignedDuration::from_hours(14 * 24),
    };

    /// Does the pattern hold at `now`? Counts the times in `[now - window, now]` (both ends included:
    /// three incidents exactly 14 days apart first to last still repeat). Order of `times` is free.
    pub fn check(&self, times: &[Timestamp], now: Timestamp) -> Option<RepeatHit> {
        let start = now.checked_sub(self.window).ok()?;
        let mut inside: Vec<Timestamp> = times
            .iter()
            .copied()
            .filter(|t| *t >= start && *t <= now)
            .collect();
        if inside.len() < self.min_count.max(1) {
            return None;
        }
        inside.sort();
        Some(RepeatHit {
            count: inside.len(),
            first: inside[0],
            last: inside[inside.len() - 1],
        })
    }
}

/// A repeat found in the journal: which code on which terminal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepeatAlert {
    pub code: String,
    pub code_key: String,
    pub terminal: String,
    pub hit: RepeatHit,
}

/// What a journal rule refuses.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IncidentError {
    #[error("an incident cannot go from {} to {}", .from.label().en, .to.label().en)]
    Transition {
        from: IncidentStatus,
        to: IncidentStatus,
    },
    #[error("the {field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("the note is empty")]
    EmptyNote,
}

impl Explain for IncidentError {
    fn explain(&self) -> Msg {
        let zh = match self {
            IncidentError::Transition { from, to } => {
                format!("事件不能从“{}”改为“{}”", from.label().zh, to.label().zh)
            }
            IncidentError::TooLong { field, max } => {
                format!("{} 超过 {max} 个字符", field_zh(field))
            }
            IncidentError::EmptyNote => "备注为空".to_string(),
        };
        Msg::new(self.to_string(), zh)
    }
}

fn field_zh(field: &str) -> &'static str {
    match field {
        "symptom" => "故障现象",
        "note" => "备注",
        "resolution" => "处理结果",
        "step" => "处理步骤",
        "terminal" => "终端名称",
        "code" => "代码",
        "transaction reference" => "交易参考号",
        "name" => "姓名",
        "file name" => "文件名",
        _ => "文字",
    }
}

/// Refuse a text longer than `max` characters.
pub fn check_len(field: &'static str, text: &str, max: usize) -> Result<(), IncidentError> {
    if text.chars().count() > max {
        Err(IncidentError::TooLong { field, max })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn repeat_rule_counts_inside_the_window_only() {
        let rule = RepeatRule::STANDARD;
        let now = t("2026-03-15T12:00:00Z");
        let d = |days: i64| now - SignedDuration::from_hours(24 * days);
        assert!(rule.check(&[d(14), d(7), now], now).is_some());
        assert!(rule.check(&[d(15), d(7), now], now).is_none());
        assert!(rule.check(&[d(7), now], now).is_none());
        let hit = rule.check(&[now, d(1), d(2), d(3)], now);
        assert_eq!(hit.map(|h| (h.count, h.first)), Some((4, d(3))));
    }

    #[test]
    fn status_moves() {
        use IncidentStatus::*;
        assert!(Open.can_move_to(Waiting) && Waiting.can_move_to(Resolved));
        assert!(Resolved.can_move_to(Open));
        assert!(!Resolved.can_move_to(Waiting) && !Open.can_move_to(Open));
    }

    #[test]
    fn only_real_hashes_are_stored_names() {
        let h = "ab".repeat(32);
        assert!(is_stored_name(&h) && is_stored_name(&format!("{h}.jpg")));
        assert!(!is_stored_name(&format!("{h}.JPG")) && !is_stored_name(&format!("{h}/x")));
        assert!(!is_sha256(&format!(
            "./././{}../posdesk.sqlite3",
            "./".repeat(22)
        )));
        assert!(!is_stored_name("passwd") && !is_stored_name(&"AB".repeat(32)));
    }

    #[test]
    fn stored_names_keep_a_clean_extension() {
        assert_eq!(stored_name("ab", "Slip.JPG"), "ab.jpg");
        assert_eq!(stored_name("ab", "noext"), "ab");
        assert_eq!(stored_name("ab", "x.p/n g"), "ab");
    }
}
