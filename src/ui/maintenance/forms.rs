//! The text the clerk is typing into the Maintenance screen's forms: the only state its drawing code
//! may change. Saving goes through a command and the library's rules.

use crate::domain::code::fold_fullwidth;
use crate::domain::maintenance::{
    DueItem, EventId, Interval, IntervalUnit, Outcome, OwnTaskInfo, Plan, Recurrence, ScheduleId,
    StockItem, StockLevel, TaskStatus, TaskTemplate, Terminal, TerminalId, TerminalInfo,
    TerminalKind,
};
use crate::domain::scan::{ScanMark, ScannedLine};
use crate::i18n::{Explain, Msg};
use jiff::civil::Date;

#[derive(Debug, Default)]
pub struct MaintenanceForms {
    /// Done with details, skip or snooze, for one board item.
    pub work: Option<WorkForm>,
    /// Add or edit a terminal.
    pub terminal: Option<TerminalForm>,
    /// Change how a task runs on the terminal page.
    pub plan: Option<PlanForm>,
    /// The template chosen in "add a task" (its key; empty: none chosen).
    pub add_task: String,
    /// What was typed by hand while no text field had the keyboard (a code typed in, then Enter).
    pub scan: String,
    /// A scanned line waiting for who did it and the value written on the sheet.
    pub scanned: Option<ScanForm>,
    /// The board's search: terminal name, location or task.
    pub board_search: String,
    /// Count, warning level or delivery of one consumable.
    pub stock: Option<StockForm>,
    /// Add or edit one of the shop's own tasks.
    pub own_task: Option<OwnTaskForm>,
}

/// The count in the drawer, the warning level, or a delivery, for one consumable.
#[derive(Debug, Clone, PartialEq)]
pub struct StockForm {
    pub item: StockItem,
    /// The count now (as counted; empty: unchanged).
    pub count: String,
    /// Warn at or below this count.
    pub low_at: String,
    /// A delivery to add (empty: none).
    pub delivered: String,
    pub error: Option<Msg>,
}

impl StockForm {
    pub fn new(level: &StockLevel) -> StockForm {
        StockForm {
            item: level.item,
            count: level.count.map(|c| c.to_string()).unwrap_or_default(),
            low_at: level.low_at.to_string(),
            delivered: String::new(),
            error: None,
        }
    }
}

/// A whole number typed in a form (full-width digits too); empty is `None`.
pub fn typed_number(text: &str) -> Result<Option<u32>, Msg> {
    let folded: String = text.chars().map(fold_fullwidth).collect();
    let t = folded.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse().map(Some).map_err(|_| {
        Msg::new(
            format!("\"{t}\" is not a whole number."),
            format!("“{t}”不是整数。"),
        )
    })
}

/// One of the shop's own tasks as typed: steps one per line.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnTaskForm {
    /// The key of the task being edited; `None` for a new one.
    pub editing: Option<String>,
    pub title_zh: String,
    pub title_en: String,
    pub steps_zh: String,
    pub steps_en: String,
    pub every: String,
    pub unit: IntervalUnit,
    pub after_done: bool,
    pub kinds: Vec<TerminalKind>,
    pub error: Option<Msg>,
    pub focus_pending: bool,
}

impl Default for OwnTaskForm {
    fn default() -> Self {
        OwnTaskForm::new()
    }
}

impl OwnTaskForm {
    pub fn new() -> OwnTaskForm {
        OwnTaskForm {
            editing: None,
            title_zh: String::new(),
            title_en: String::new(),
            steps_zh: String::new(),
            steps_en: String::new(),
            every: "1".into(),
            unit: IntervalUnit::Week,
            after_done: false,
            kinds: vec![TerminalKind::CardTerminal],
            error: None,
            focus_pending: true,
        }
    }

    pub fn edit(t: &TaskTemplate) -> OwnTaskForm {
        OwnTaskForm {
            editing: Some(t.key.clone()),
            title_zh: t.title_zh.clone(),
            title_en: t.title_en.clone(),
            steps_zh: t.steps_zh.join("\n"),
            steps_en: t.steps_en.join("\n"),
            every: t.interval.every().to_string(),
            unit: t.interval.unit(),
            after_done: t.recurrence == Recurrence::AfterDone,
            kinds: t.kinds.clone(),
            error: None,
            focus_pending: true,
        }
    }

    /// The task as typed, for the store's checks.
    pub fn info(&self) -> Result<OwnTaskInfo, Msg> {
        let every = typed_number(&self.every)?.unwrap_or(1);
        let interval = Interval::new(every, self.unit).map_err(|e| e.explain())?;
        let lines = |text: &str| -> Vec<String> { text.lines().map(str::to_string).collect() };
        Ok(OwnTaskInfo {
            title_zh: self.title_zh.clone(),
            title_en: self.title_en.clone(),
            steps_zh: lines(&self.steps_zh),
            steps_en: lines(&self.steps_en),
            kinds: self.kinds.clone(),
            interval,
            recurrence: if self.after_done {
                Recurrence::AfterDone
            } else {
                Recurrence::Calendar
            },
        })
    }
}

/// After a scan: who did it (the initials on the sheet, or the till's clerk for every scan from now
/// on) and, when the task asks for one, the value written on the sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanForm {
    pub line: ScannedLine,
    pub mark: ScanMark,
    pub done_on: Date,
    pub missed: u32,
    pub by: String,
    /// Record every scan as `by` from now on, without asking.
    pub remember: bool,
    pub value: String,
    pub error: Option<Msg>,
    pub focus_pending: bool,
}

/// Which of the three board forms is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkKind {
    Done,
    Skip,
    Snooze,
}

/// Done with details, skip or snooze: who, and what happened or why.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkForm {
    pub kind: WorkKind,
    pub schedule: ScheduleId,
    pub terminal_name: String,
    pub task: TaskTemplate,
    pub by: String,
    pub outcome: Outcome,
    pub note: String,
    /// The value the template asks for (if it does).
    pub value: String,
    /// Why it is skipped or snoozed (required).
    pub reason: String,
    /// Snooze until this date, as typed (year-month-day).
    pub until: String,
    /// A photo to keep with the record (done only).
    pub photo: Option<std::path::PathBuf>,
    /// Once the done is recorded: its photo being copied on a worker, or why it was not kept.
    pub keeping: Option<KeepingPhoto>,
    pub error: Option<Msg>,
    /// Put the cursor in the first field to fill when the form opens.
    pub focus_pending: bool,
}

/// The photo of a recorded done, copied into the data folder on a worker (a photo from a phone is
/// several MB; the window goes on meanwhile). The done stays recorded whatever becomes of it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeepingPhoto {
    /// The done it goes with.
    pub event: EventId,
    /// What was done ("Check the receipt paper on Till 2"), for what is said when it lands.
    pub what: Msg,
    /// The file's name and size, as the form shows them.
    pub name: String,
    pub size: u64,
    /// Still on the worker; `false` once it failed (the form's error says why).
    pub copying: bool,
    /// How far the copy is, as the worker counts it.
    pub copied: crate::ui::jobs::Copied,
}

impl WorkForm {
    pub fn new(item: &DueItem, kind: WorkKind, person: &str) -> WorkForm {
        WorkForm {
            kind,
            schedule: item.schedule,
            terminal_name: item.terminal_name.clone(),
            task: item.task.clone(),
            by: person.to_string(),
            outcome: Outcome::AllFine,
            note: String::new(),
            value: String::new(),
            reason: String::new(),
            until: String::new(),
            photo: None,
            keeping: None,
            error: None,
            focus_pending: true,
        }
    }
}

/// The terminal form: a new terminal (`editing` empty) or changes to one.
#[derive(Debug, Clone, PartialEq)]
pub struct TerminalForm {
    pub editing: Option<TerminalId>,
    pub info: TerminalInfo,
    pub error: Option<Msg>,
    pub focus_pending: bool,
}

impl TerminalForm {
    pub fn new() -> TerminalForm {
        TerminalForm {
            editing: None,
            info: TerminalInfo::named(""),
            error: None,
            focus_pending: true,
        }
    }

    pub fn edit(t: &Terminal) -> TerminalForm {
        TerminalForm {
            editing: Some(t.id),
            info: t.info.clone(),
            error: None,
            focus_pending: true,
        }
    }
}

impl Default for TerminalForm {
    fn default() -> Self {
        TerminalForm::new()
    }
}

/// How often a task runs on one terminal, as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanForm {
    pub schedule: ScheduleId,
    pub every: String,
    pub unit: IntervalUnit,
    pub recurrence: Recurrence,
    /// The first due date of the new plan (year-month-day).
    pub start: String,
    pub error: Option<Msg>,
}

impl PlanForm {
    /// The task's plan, starting from its next due date (today if it is overdue): a new interval
    /// counts from now on and does not turn past days into missed ones.
    pub fn new(task: &TaskStatus, today: Date) -> PlanForm {
        let next = task
            .status
            .as_ref()
            .map(|s| s.due_on)
            .filter(|d| *d > today)
            .unwrap_or(today);
        PlanForm {
            schedule: task.schedule,
            every: task.plan.interval.every().to_string(),
            unit: task.plan.interval.unit(),
            recurrence: task.plan.recurrence,
            start: next.to_string(),
            error: None,
        }
    }

    pub fn plan(&self) -> Result<Plan, Msg> {
        let every: String = self.every.chars().map(fold_fullwidth).collect();
        let every: u32 = every.trim().parse().map_err(|_| {
            Msg::new(
                format!("\"{}\" is not a number of times.", self.every.trim()),
                format!("“{}”不是数字。", self.every.trim()),
            )
        })?;
        let interval = Interval::new(every, self.unit).map_err(|e| e.explain())?;
        let start = super::words::parse_date(&self.start).ok_or_else(|| {
            Msg::new(
                "Write the start date as year-month-day, e.g. 2026-12-01.",
                "请按“年-月-日”填写开始日期，例如 2026-12-01。",
            )
        })?;
        Ok(Plan {
            recurrence: self.recurrence,
            interval,
            start,
        })
    }
}
