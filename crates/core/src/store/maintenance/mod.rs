//! The maintenance table family: terminals, the bundled task templates, each terminal's schedules and
//! the history of what was done, skipped or snoozed. The dates are computed by
//! [`crate::domain::schedule`]; this module only reads and writes what it needs.

use super::guard::{Field, Guard};
use super::outbox::{self, Entity};
use super::{Result, Store};
use crate::clock::Clock;
use crate::domain::maintenance::MaintenanceError;
use crate::domain::maintenance::{
    DoneEntry, DueItem, DueState, EventId, EventKind, HistoryEvent, Interval, IntervalUnit,
    MAX_NAME_CHARS, Marked, Outcome, Plan, Recurrence, ScheduleId, SheetLine, SheetSpan,
    TaskStatus, TaskTemplate, Terminal, TerminalId, TerminalInfo, TerminalKind, ValueKind,
    ValueSpec, checked_note, checked_reason, name_key, natural_cmp,
};
use crate::domain::scan::{ScanCode, ScanKind, ScanMark, ScanVerdict, ScannedLine};
use crate::domain::schedule::{self, Progress, Resolved, Status};
use crate::packs::checklists::ChecklistPack;
use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};
use std::collections::{HashMap, HashSet};

mod board;
mod error;
mod tasks;
mod templates;
mod terminals;

pub use error::MaintenanceStoreError;

const META_PACK: &str = "checklist_pack_version";
const META_PERSON: &str = "maintenance_last_person";
const META_TERMINAL: &str = "maintenance_last_terminal";

const TERMINAL_COLUMNS: &str = "id, name, kind, model, serial, location, provider, support_phone, \
                                firmware, notes, created_at, archived_at";

const TEMPLATE_COLUMNS: &str = "key, title_zh, title_en, why_zh, why_en, steps_zh, steps_en, kinds, \
                                every, unit, recurrence, value_kind, value_label_zh, value_label_en, \
                                standing, retired, position, \
                                EXISTS (SELECT 1 FROM own_tasks o WHERE o.key = task_templates.key)";

const SCHEDULE_COLUMNS: &str = "s.id, s.terminal_id, s.task_key, s.recurrence, s.every, s.unit, \
                                s.start_on, s.resolved_through, s.snoozed_until, s.removed_at";

// ---- reading rows ---------------------------------------------------------------------------------

pub(super) fn conversion(column: &str, message: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("{column}: {message}").into(),
    )
}

fn date_of(text: &str, column: &str) -> rusqlite::Result<Date> {
    text.parse().map_err(|e| conversion(column, e))
}

fn date_at(r: &Row<'_>, i: usize, column: &str) -> rusqlite::Result<Date> {
    date_of(&r.get::<_, String>(i)?, column)
}

fn opt_date_at(r: &Row<'_>, i: usize, column: &str) -> rusqlite::Result<Option<Date>> {
    r.get::<_, Option<String>>(i)?
        .map(|t| date_of(&t, column))
        .transpose()
}

pub(super) fn time_at(r: &Row<'_>, i: usize, column: &str) -> rusqlite::Result<Timestamp> {
    r.get::<_, String>(i)?
        .parse()
        .map_err(|e| conversion(column, e))
}

fn opt_time_at(r: &Row<'_>, i: usize, column: &str) -> rusqlite::Result<Option<Timestamp>> {
    r.get::<_, Option<String>>(i)?
        .map(|t| t.parse().map_err(|e| conversion(column, e)))
        .transpose()
}

pub(super) fn id_at<T>(
    r: &Row<'_>,
    i: usize,
    column: &str,
    from_id: fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let text: String = r.get(i)?;
    from_id(&text).ok_or_else(|| conversion(column, format!("unknown value {text:?}")))
}

fn interval_at(r: &Row<'_>, every: usize, unit: usize) -> rusqlite::Result<Interval> {
    let unit = id_at(r, unit, "unit", IntervalUnit::from_id)?;
    Interval::new(r.get(every)?, unit).map_err(|e| conversion("every", e))
}

fn list_of(text: &str, column: &str) -> rusqlite::Result<Vec<String>> {
    serde_json::from_str(text).map_err(|e| conversion(column, e))
}

fn json_list<T: serde::Serialize>(items: &[T]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

fn terminal_from_row(r: &Row<'_>) -> rusqlite::Result<Terminal> {
    Ok(Terminal {
        id: TerminalId(r.get(0)?),
        info: TerminalInfo {
            name: r.get(1)?,
            kind: id_at(r, 2, "kind", TerminalKind::from_id)?,
            model: r.get(3)?,
            serial: r.get(4)?,
            location: r.get(5)?,
            provider: r.get(6)?,
            support_phone: r.get(7)?,
            firmware: r.get(8)?,
            notes: r.get(9)?,
        },
        created_at: time_at(r, 10, "created_at")?,
        archived_at: opt_time_at(r, 11, "archived_at")?,
    })
}

/// A template row with its place in the pack and whether the pack still has it.
#[derive(Debug, Clone)]
pub(super) struct StoredTemplate {
    pub(super) template: TaskTemplate,
    pub(super) retired: bool,
    pub(super) position: i64,
}

fn template_from_row(r: &Row<'_>) -> rusqlite::Result<StoredTemplate> {
    let kinds = list_of(&r.get::<_, String>(7)?, "kinds")?
        .iter()
        .map(|k| {
            TerminalKind::from_id(k).ok_or_else(|| conversion("kinds", format!("unknown {k:?}")))
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let value = match r.get::<_, Option<String>>(11)? {
        None => None,
        Some(kind) => Some(ValueSpec {
            kind: ValueKind::from_id(&kind)
                .ok_or_else(|| conversion("value_kind", format!("unknown {kind:?}")))?,
            label_zh: r.get::<_, Option<String>>(12)?.unwrap_or_default(),
            label_en: r.get::<_, Option<String>>(13)?.unwrap_or_default(),
        }),
    };
    Ok(StoredTemplate {
        template: TaskTemplate {
            key: r.get(0)?,
            title_zh: r.get(1)?,
            title_en: r.get(2)?,
            why_zh: r.get(3)?,
            why_en: r.get(4)?,
            steps_zh: list_of(&r.get::<_, String>(5)?, "steps_zh")?,
            steps_en: list_of(&r.get::<_, String>(6)?, "steps_en")?,
            kinds,
            interval: interval_at(r, 8, 9)?,
            recurrence: id_at(r, 10, "recurrence", Recurrence::from_id)?,
            value,
            standing: r.get(14)?,
            own: r.get(17)?,
        },
        retired: r.get(15)?,
        position: r.get(16)?,
    })
}

/// One schedule row as stored.
#[derive(Debug, Clone)]
struct ScheduleRow {
    id: ScheduleId,
    terminal: TerminalId,
    task_key: String,
    plan: Plan,
    resolved_through: Option<Date>,
    snoozed_until: Option<Date>,
    removed: bool,
}

fn schedule_from_row(r: &Row<'_>) -> rusqlite::Result<ScheduleRow> {
    Ok(ScheduleRow {
        id: ScheduleId(r.get(0)?),
        terminal: TerminalId(r.get(1)?),
        task_key: r.get(2)?,
        plan: Plan {
            recurrence: id_at(r, 3, "recurrence", Recurrence::from_id)?,
            interval: interval_at(r, 4, 5)?,
            start: date_at(r, 6, "start_on")?,
        },
        resolved_through: opt_date_at(r, 7, "resolved_through")?,
        snoozed_until: opt_date_at(r, 8, "snoozed_until")?,
        removed: r.get::<_, Option<String>>(9)?.is_some(),
    })
}

pub(super) fn templates_by_key(conn: &Connection) -> Result<HashMap<String, StoredTemplate>> {
    let mut stmt = conn.prepare(&format!("SELECT {TEMPLATE_COLUMNS} FROM task_templates"))?;
    let rows = stmt.query_map([], template_from_row)?;
    let mut map = HashMap::new();
    for t in rows {
        let t = t?;
        map.insert(t.template.key.clone(), t);
    }
    Ok(map)
}

fn load_terminal(conn: &Connection, id: TerminalId) -> Result<Option<Terminal>> {
    Ok(conn
        .query_row(
            &format!("SELECT {TERMINAL_COLUMNS} FROM terminals WHERE id = ?1"),
            [id.0],
            terminal_from_row,
        )
        .optional()?)
}

fn load_schedule(conn: &Connection, id: ScheduleId) -> Result<Option<ScheduleRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {SCHEDULE_COLUMNS} FROM schedules s WHERE s.id = ?1"),
            [id.0],
            schedule_from_row,
        )
        .optional()?)
}

/// The schedules in use: not removed, on terminals not archived (or on one terminal).
fn active_schedules(conn: &Connection, terminal: Option<TerminalId>) -> Result<Vec<ScheduleRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {SCHEDULE_COLUMNS} FROM schedules s JOIN terminals t ON t.id = s.terminal_id \
         WHERE s.removed_at IS NULL AND t.archived_at IS NULL AND (?1 IS NULL OR s.terminal_id = ?1) \
         ORDER BY s.id"
    ))?;
    let rows = stmt.query_map([terminal.map(|t| t.0)], schedule_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What was done on the schedules in use (or on one schedule), as the date arithmetic needs it: the
/// calendar watermark and the resolved ranges beyond it, and after-done schedules' last date.
fn progress_map(
    conn: &Connection,
    rows: &[ScheduleRow],
    only: Option<ScheduleId>,
) -> Result<HashMap<ScheduleId, Progress>> {
    let mut ranges: HashMap<ScheduleId, Vec<(Date, Date)>> = HashMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT e.schedule_id, e.first_on, e.through_on FROM maintenance_events e \
             JOIN schedules s ON s.id = e.schedule_id \
             WHERE e.kind IN ('done', 'skipped') AND s.recurrence = 'calendar' \
               AND (?1 IS NULL OR s.id = ?1) AND e.through_on >= s.start_on \
               AND (s.resolved_through IS NULL OR e.through_on > s.resolved_through)",
        )?;
        let found = stmt.query_map([only.map(|s| s.0)], |r| {
            Ok((
                ScheduleId(r.get(0)?),
                date_at(r, 1, "first_on")?,
                date_at(r, 2, "through_on")?,
            ))
        })?;
        for f in found {
            let (id, a, b) = f?;
            ranges.entry(id).or_default().push((a, b));
        }
    }
    let mut last: HashMap<ScheduleId, Date> = HashMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT e.schedule_id, MAX(e.on_date) FROM maintenance_events e \
             JOIN schedules s ON s.id = e.schedule_id \
             WHERE e.kind IN ('done', 'skipped') AND s.recurrence = 'after_done' \
               AND (?1 IS NULL OR s.id = ?1) \
             GROUP BY e.schedule_id",
        )?;
        let found = stmt.query_map([only.map(|s| s.0)], |r| {
            Ok((ScheduleId(r.get(0)?), date_at(r, 1, "on_date")?))
        })?;
        for f in found {
            let (id, d) = f?;
            last.insert(id, d);
        }
    }
    Ok(rows
        .iter()
        .map(|row| {
            let progress = Progress {
                resolved_through: row.resolved_through,
                resolved: Resolved::new(ranges.remove(&row.id).unwrap_or_default()),
                last_resolved_on: last.get(&row.id).copied(),
                snoozed_until: row.snoozed_until,
            };
            (row.id, progress)
        })
        .collect())
}

fn progress_of(conn: &Connection, row: &ScheduleRow) -> Result<Progress> {
    Ok(progress_map(conn, std::slice::from_ref(row), Some(row.id))?
        .remove(&row.id)
        .unwrap_or_default())
}

/// Every resolved range of a calendar schedule from its start (for a watermark recomputed after an
/// undo or a change of plan).
fn all_ranges(conn: &Connection, row: &ScheduleRow) -> Result<Resolved> {
    let mut stmt = conn.prepare(
        "SELECT first_on, through_on FROM maintenance_events \
         WHERE schedule_id = ?1 AND kind IN ('done', 'skipped') AND through_on >= ?2",
    )?;
    let rows = stmt.query_map(params![row.id.0, row.plan.start.to_string()], |r| {
        Ok((date_at(r, 0, "first_on")?, date_at(r, 1, "through_on")?))
    })?;
    Ok(Resolved::new(rows.collect::<rusqlite::Result<_>>()?))
}

fn set_meta(tx: &Transaction<'_>, key: &str, value: &str) -> Result<()> {
    let value = super::guard::clean_text(Field::SETTING, value)?.text;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// Write a schedule's outbox marker with its next due date and missed count as of today.
pub(super) fn mark_schedule(tx: &Connection, clock: &Clock, id: ScheduleId) -> Result<()> {
    let (due_on, missed) = match load_schedule(tx, id)? {
        Some(row) => {
            let progress = progress_of(tx, &row)?;
            match schedule::status(&row.plan, &progress, clock.today()) {
                Some(st) => (Some(st.first_open), st.missed),
                None => (None, 0),
            }
        }
        None => (None, 0),
    };
    outbox::put_schedule(tx, clock, id.0, due_on, missed)
}

/// Mark every schedule of a terminal (its task set was just made or swapped).
fn mark_terminal_schedules(tx: &Connection, clock: &Clock, terminal: TerminalId) -> Result<()> {
    let ids: Vec<i64> = tx
        .prepare("SELECT id FROM schedules WHERE terminal_id = ?1 ORDER BY id")?
        .query_map([terminal.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        mark_schedule(tx, clock, ScheduleId(id))?;
    }
    Ok(())
}

/// The plan a template starts with on a terminal added on `today`: daily-ish tasks are due at once,
/// weekly and rarer ones one interval later (the installer has just checked a new terminal).
pub fn default_plan(template: &TaskTemplate, today: Date) -> Plan {
    let start = if template.interval.min_days() < 7 {
        today
    } else {
        schedule::nth(today, template.interval, 1).unwrap_or(today)
    };
    Plan {
        recurrence: template.recurrence,
        interval: template.interval,
        start,
    }
}

pub(super) fn insert_schedule(
    tx: &Transaction<'_>,
    terminal: TerminalId,
    key: &str,
    plan: &Plan,
    now: &str,
) -> Result<ScheduleId> {
    tx.execute(
        "INSERT INTO schedules (terminal_id, task_key, recurrence, every, unit, start_on, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            terminal.0,
            key,
            plan.recurrence.id(),
            plan.interval.every(),
            plan.interval.unit().id(),
            plan.start.to_string(),
            now
        ],
    )?;
    Ok(ScheduleId(tx.last_insert_rowid()))
}

/// Give a terminal its kind's default task set.
fn add_default_tasks(
    tx: &Transaction<'_>,
    terminal: TerminalId,
    kind: TerminalKind,
    today: Date,
    now: &str,
) -> Result<()> {
    let mut templates: Vec<StoredTemplate> = templates_by_key(tx)?
        .into_values()
        .filter(|t| !t.retired && t.template.applies_to(kind))
        .collect();
    templates.sort_by_key(|t| t.position);
    for t in &templates {
        let plan = default_plan(&t.template, today);
        insert_schedule(tx, terminal, &t.template.key, &plan, now)?;
    }
    Ok(())
}

/// Another terminal in use with this name, if any (`except` is the terminal being edited).
fn name_taken(tx: &Transaction<'_>, name: &str, except: Option<TerminalId>) -> Result<bool> {
    Ok(tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM terminals WHERE name_key = ?1 AND archived_at IS NULL \
         AND (?2 IS NULL OR id <> ?2))",
        params![name_key(name), except.map(|t| t.0)],
        |r| r.get(0),
    )?)
}

/// The calendar watermark brought forward over newly resolved ranges.
fn store_watermark(tx: &Transaction<'_>, row: &ScheduleRow, mark: Option<Date>) -> Result<()> {
    tx.execute(
        "UPDATE schedules SET resolved_through = ?1 WHERE id = ?2",
        params![mark.map(|d| d.to_string()), row.id.0],
    )?;
    Ok(())
}

/// Recompute a calendar schedule's watermark from all its history (after an undo or a new plan).
pub(super) fn rebuild_watermark(tx: &Transaction<'_>, id: ScheduleId) -> Result<()> {
    let Some(row) = load_schedule(tx, id)? else {
        return Ok(());
    };
    let mark = match row.plan.recurrence {
        Recurrence::Calendar => schedule::advance(&row.plan, None, &all_ranges(tx, &row)?),
        Recurrence::AfterDone => None,
    };
    store_watermark(tx, &row, mark)
}

/// What the clerk records on a schedule: a done (the form's entry) or a skip (with its reason).
#[derive(Clone, Copy)]
enum Work<'a> {
    Done(&'a DoneEntry),
    Skip {
        on: Date,
        reason: &'a str,
        by: &'a str,
    },
}

/// A done or skipped event about to be written.
struct Resolution<'a> {
    kind: EventKind,
    on: Date,
    first: Date,
    through: Date,
    covers: u32,
    outcome: Option<Outcome>,
    by: &'a str,
    note: &'a str,
    value: Option<(ValueKind, String)>,
}

/// Record a done or skip that resolves `res.covers` occurrences, and commit: what it changed.
fn commit_resolution(
    tx: Transaction<'_>,
    clock: &Clock,
    t: &Target,
    res: Resolution<'_>,
    now: &str,
) -> Result<Marked> {
    let covers = res.covers;
    let event = resolve(&tx, clock, t, res, now)?;
    tx.commit()?;
    Ok(Marked {
        changed: true,
        event: Some(event),
        covers,
    })
}

/// A schedule that can take work now: still on its terminal, the terminal in use.
struct Target {
    row: ScheduleRow,
    terminal: Terminal,
    template: TaskTemplate,
}

fn target(tx: &Transaction<'_>, id: ScheduleId) -> Result<Target> {
    let row = load_schedule(tx, id)?
        .filter(|r| !r.removed)
        .ok_or(MaintenanceStoreError::NoSchedule)?;
    let terminal = load_terminal(tx, row.terminal)?.ok_or(MaintenanceStoreError::NoTerminal)?;
    if terminal.is_archived() {
        return Err(MaintenanceStoreError::TerminalArchived(terminal.info.name).into());
    }
    let template = templates_by_key(tx)?
        .remove(&row.task_key)
        .map(|t| t.template)
        .ok_or_else(|| MaintenanceStoreError::NoTask(row.task_key.clone()))?;
    Ok(Target {
        row,
        terminal,
        template,
    })
}

/// Write a done or skipped event, bring the schedule forward, and for a firmware value update the
/// terminal: the caller's transaction makes it one change.
fn resolve(
    tx: &Transaction<'_>,
    clock: &Clock,
    t: &Target,
    res: Resolution<'_>,
    now: &str,
) -> Result<EventId> {
    let mut previous_firmware = None;
    if let Some((ValueKind::FirmwareVersion, version)) = &res.value {
        previous_firmware = Some(t.terminal.info.firmware.clone());
        tx.execute(
            "UPDATE terminals SET firmware = ?1, updated_at = ?2 WHERE id = ?3",
            params![version, now, t.terminal.id.0],
        )?;
        outbox::put(tx, clock, Entity::Terminal, t.terminal.id.0)?;
    }
    tx.execute(
        "INSERT INTO maintenance_events (schedule_id, kind, on_date, first_on, through_on, covers, \
         outcome, by_name, note, value_kind, value, previous_firmware, recorded_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            t.row.id.0,
            res.kind.id(),
            res.on.to_string(),
            res.first.to_string(),
            res.through.to_string(),
            res.covers,
            res.outcome.map(|o| o.id()),
            res.by,
            res.note,
            res.value.as_ref().map(|(k, _)| k.id()),
            res.value.as_ref().map(|(_, v)| v.as_str()),
            previous_firmware,
            now,
        ],
    )?;
    let event = EventId(tx.last_insert_rowid());
    if let Some((ValueKind::PaperRolls, rolls)) = &res.value
        && let Some(previous) = super::shop::rolls_counted(tx, rolls, now)?
    {
        tx.execute(
            "INSERT INTO stock_undo (event_id, previous_rolls) VALUES (?1, ?2)",
            params![event.0, previous],
        )?;
    }
    tx.execute(
        "UPDATE schedules SET snoozed_until = NULL WHERE id = ?1",
        [t.row.id.0],
    )?;
    if t.row.plan.recurrence == Recurrence::Calendar {
        let progress = progress_of(tx, &t.row)?;
        let mark = schedule::advance(&t.row.plan, t.row.resolved_through, &progress.resolved);
        store_watermark(tx, &t.row, mark)?;
    }
    outbox::put(tx, clock, Entity::MaintenanceEvent, event.0)?;
    mark_schedule(tx, clock, t.row.id)?;
    if !res.by.is_empty() {
        set_meta(tx, META_PERSON, res.by)?;
    }
    Ok(event)
}

/// A terminal's fields after the domain's checks and the store's guard.
fn guarded_info(g: &mut Guard, info: &TerminalInfo) -> Result<TerminalInfo> {
    let info = info.checked()?;
    Ok(TerminalInfo {
        name: g.text(Field::SHORT, &info.name)?,
        kind: info.kind,
        model: g.text(Field::SHORT, &info.model)?,
        serial: g.text(Field::SHORT, &info.serial)?,
        location: g.text(Field::SHORT, &info.location)?,
        provider: g.text(Field::SHORT, &info.provider)?,
        support_phone: g.text(Field::SHORT, &info.support_phone)?,
        firmware: g.text(Field::SHORT, &info.firmware)?,
        notes: g.text(Field::NOTE, &info.notes)?,
    })
}

fn checked_person(by: &str) -> Result<String> {
    if by.len() > MAX_NAME_CHARS * 16 {
        return Err(MaintenanceError::TooLong {
            field: "name",
            max: MAX_NAME_CHARS,
        }
        .into());
    }
    let by = by.split_whitespace().collect::<Vec<_>>().join(" ");
    if by.chars().count() > MAX_NAME_CHARS {
        return Err(MaintenanceError::TooLong {
            field: "name",
            max: MAX_NAME_CHARS,
        }
        .into());
    }
    Ok(by)
}

/// The value typed for a template: checked by its kind; a template without one takes none.
fn checked_value(
    template: &TaskTemplate,
    value: Option<&str>,
) -> Result<Option<(ValueKind, String)>> {
    let Some(text) = value.filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    let spec = template
        .value
        .as_ref()
        .ok_or(MaintenanceError::ValueNotAsked)?;
    Ok(Some((spec.kind, spec.kind.check(text)?)))
}

fn state_rank(state: DueState) -> u8 {
    match state {
        DueState::Overdue => 0,
        DueState::Due => 1,
        DueState::Soon => 2,
    }
}

impl Store {
    // ---- the template pack ------------------------------------------------------------------------

    /// Load the bundled templates when they are newer than the installed ones (called on open).
    pub(super) fn sync_bundled_checklists(&mut self) -> Result<()> {
        let bundled = ChecklistPack::bundled_version()?;
        if self.checklist_version()?.is_none_or(|v| v < bundled) {
            self.sync_checklists(&ChecklistPack::bundled()?)?;
        }
        Ok(())
    }
}

/// A done or skipped event already ends on `day` (an after-done line scanned twice).
fn occurrence_recorded(conn: &Connection, schedule: ScheduleId, day: Date) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM maintenance_events WHERE schedule_id = ?1 \
         AND kind IN ('done', 'skipped') AND through_on = ?2)",
        params![schedule.0, day.to_string()],
        |r| r.get(0),
    )?)
}

fn due_item(
    row: &ScheduleRow,
    terminal: &Terminal,
    template: TaskTemplate,
    status: &Status,
    state: DueState,
) -> DueItem {
    DueItem {
        schedule: row.id,
        terminal: terminal.id,
        terminal_name: terminal.info.name.clone(),
        task: template,
        state,
        due_on: status.due_on,
        first_open: status.first_open,
        through: status.through,
        missed: status.missed,
    }
}
