//! The maintenance table family: terminals, the bundled task templates, each terminal's schedules and
//! the history of what was done, skipped or snoozed. The dates are computed by
//! [`crate::domain::schedule`]; this module only reads and writes what it needs.

use super::guard::{Field, Guard};
use super::outbox::{self, Entity};
use super::{Result, Store, StoreError};
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
fn mark_schedule(tx: &Connection, clock: &Clock, id: ScheduleId) -> Result<()> {
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

/// A schedule that can take work now: still on its terminal, the terminal in use.
struct Target {
    row: ScheduleRow,
    terminal: Terminal,
    template: TaskTemplate,
}

fn target(tx: &Transaction<'_>, id: ScheduleId) -> Result<Target> {
    let row = load_schedule(tx, id)?
        .filter(|r| !r.removed)
        .ok_or(StoreError::NoSchedule)?;
    let terminal = load_terminal(tx, row.terminal)?.ok_or(StoreError::NoTerminal)?;
    if terminal.is_archived() {
        return Err(StoreError::TerminalArchived(terminal.info.name));
    }
    let template = templates_by_key(tx)?
        .remove(&row.task_key)
        .map(|t| t.template)
        .ok_or_else(|| StoreError::NoTask(row.task_key.clone()))?;
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

    pub fn checklist_version(&self) -> Result<Option<u32>> {
        Ok(self.meta(META_PACK)?.and_then(|v| v.parse().ok()))
    }

    /// Load `pack` unless this version or a newer one is installed. Templates' text is rewritten; the
    /// terminals' schedules, intervals and history are not touched. A template key new in this pack
    /// is added to the terminals in use of its kinds; a key dropped from the pack is retired (its
    /// schedules and history stay). Returns whether anything was loaded.
    pub fn sync_checklists(&mut self, pack: &ChecklistPack) -> Result<bool> {
        if self.checklist_version()?.is_some_and(|v| v >= pack.version) {
            return Ok(false);
        }
        let now = self.now_text();
        let today = self.clock.today();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let known: HashSet<String> = templates_by_key(&tx)?.into_keys().collect();
        tx.execute(
            "UPDATE task_templates SET retired = 1 WHERE key NOT IN (SELECT key FROM own_tasks)",
            [],
        )?;
        let mut g = Guard::new();
        for (position, t) in pack.templates.iter().enumerate() {
            let kinds: Vec<&str> = t.kinds.iter().map(|k| k.id()).collect();
            tx.execute(
                "INSERT INTO task_templates (key, position, title_zh, title_en, why_zh, why_en, steps_zh, \
                 steps_en, kinds, every, unit, recurrence, value_kind, value_label_zh, value_label_en, \
                 standing, retired) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 0) \
                 ON CONFLICT (key) DO UPDATE SET position = excluded.position, \
                 title_zh = excluded.title_zh, title_en = excluded.title_en, why_zh = excluded.why_zh, \
                 why_en = excluded.why_en, steps_zh = excluded.steps_zh, steps_en = excluded.steps_en, \
                 kinds = excluded.kinds, every = excluded.every, unit = excluded.unit, \
                 recurrence = excluded.recurrence, value_kind = excluded.value_kind, \
                 value_label_zh = excluded.value_label_zh, value_label_en = excluded.value_label_en, \
                 standing = excluded.standing, retired = 0",
                params![
                    t.key,
                    position as i64,
                    g.text(Field::CODE_TEXT, &t.title_zh)?,
                    g.text(Field::CODE_TEXT, &t.title_en)?,
                    g.text(Field::CODE_TEXT, &t.why_zh)?,
                    g.text(Field::CODE_TEXT, &t.why_en)?,
                    g.list(Field::CODE_TEXT, &t.steps_zh)?,
                    g.list(Field::CODE_TEXT, &t.steps_en)?,
                    json_list(&kinds),
                    t.interval.every(),
                    t.interval.unit().id(),
                    t.recurrence.id(),
                    t.value.as_ref().map(|v| v.kind.id()),
                    g.opt(Field::SHORT, t.value.as_ref().map(|v| v.label_zh.as_str()))?,
                    g.opt(Field::SHORT, t.value.as_ref().map(|v| v.label_en.as_str()))?,
                    t.standing,
                ],
            )?;
        }
        // New advice reaches the terminals already in use.
        let terminals: Vec<(TerminalId, TerminalKind)> = {
            let mut stmt =
                tx.prepare("SELECT id, kind FROM terminals WHERE archived_at IS NULL")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    TerminalId(r.get(0)?),
                    id_at(r, 1, "kind", TerminalKind::from_id)?,
                ))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for t in pack.templates.iter().filter(|t| !known.contains(&t.key)) {
            for (terminal, kind) in &terminals {
                if t.applies_to(*kind) {
                    let id =
                        insert_schedule(&tx, *terminal, &t.key, &default_plan(t, today), &now)?;
                    mark_schedule(&tx, &self.clock, id)?;
                }
            }
        }
        set_meta(&tx, META_PACK, &pack.version.to_string())?;
        tx.commit()?;
        Ok(true)
    }

    /// The templates in the installed pack, in pack order (daily, weekly, monthly, standing).
    pub fn templates(&self) -> Result<Vec<TaskTemplate>> {
        let mut all: Vec<StoredTemplate> = templates_by_key(&self.conn)?
            .into_values()
            .filter(|t| !t.retired)
            .collect();
        all.sort_by_key(|t| t.position);
        Ok(all.into_iter().map(|t| t.template).collect())
    }

    /// One template by key, retired ones included (history names them).
    pub fn template(&self, key: &str) -> Result<Option<TaskTemplate>> {
        Ok(templates_by_key(&self.conn)?
            .remove(key.trim())
            .map(|t| t.template))
    }

    /// The standing advice a sheet prints as reminders.
    pub fn standing_advice(&self) -> Result<Vec<TaskTemplate>> {
        Ok(self
            .templates()?
            .into_iter()
            .filter(|t| t.standing)
            .collect())
    }

    // ---- terminals --------------------------------------------------------------------------------

    /// Add a terminal with its kind's default tasks (one transaction). A name already used by a
    /// terminal in service, ignoring case, is refused with `TerminalExists`.
    pub fn add_terminal(&mut self, info: &TerminalInfo) -> Result<Terminal> {
        let mut g = Guard::new();
        let info = guarded_info(&mut g, info)?;
        let now = self.now_text();
        let today = self.clock.today();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if name_taken(&tx, &info.name, None)? {
            return Err(StoreError::TerminalExists(info.name));
        }
        tx.execute(
            "INSERT INTO terminals (name, name_key, kind, model, serial, location, provider, support_phone, \
             firmware, notes, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
            params![
                info.name,
                name_key(&info.name),
                info.kind.id(),
                info.model,
                info.serial,
                info.location,
                info.provider,
                info.support_phone,
                info.firmware,
                info.notes,
                now
            ],
        )?;
        let id = TerminalId(tx.last_insert_rowid());
        add_default_tasks(&tx, id, info.kind, today, &now)?;
        outbox::put(&tx, &self.clock, Entity::Terminal, id.0)?;
        mark_terminal_schedules(&tx, &self.clock, id)?;
        let terminal = load_terminal(&tx, id)?.ok_or(StoreError::NoTerminal)?;
        tx.commit()?;
        self.note_masked(g.masked());
        Ok(terminal)
    }

    /// Change a terminal's fields. While it has no history yet, a change of kind swaps in the new
    /// kind's default tasks (the kind was mistyped); after that its tasks stay as the user set them.
    pub fn edit_terminal(&mut self, id: TerminalId, info: &TerminalInfo) -> Result<Terminal> {
        let mut g = Guard::new();
        let info = guarded_info(&mut g, info)?;
        let now = self.now_text();
        let today = self.clock.today();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let old = load_terminal(&tx, id)?.ok_or(StoreError::NoTerminal)?;
        if !old.is_archived() && name_taken(&tx, &info.name, Some(id))? {
            return Err(StoreError::TerminalExists(info.name));
        }
        tx.execute(
            "UPDATE terminals SET name = ?1, name_key = ?2, kind = ?3, model = ?4, serial = ?5, \
             location = ?6, provider = ?7, support_phone = ?8, firmware = ?9, notes = ?10, \
             updated_at = ?11 WHERE id = ?12",
            params![
                info.name,
                name_key(&info.name),
                info.kind.id(),
                info.model,
                info.serial,
                info.location,
                info.provider,
                info.support_phone,
                info.firmware,
                info.notes,
                now,
                id.0
            ],
        )?;
        if info.kind != old.info.kind {
            let has_history: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM maintenance_events e JOIN schedules s ON s.id = e.schedule_id \
                 WHERE s.terminal_id = ?1)",
                [id.0],
                |r| r.get(0),
            )?;
            if !has_history {
                let old: Vec<i64> = tx
                    .prepare("SELECT id FROM schedules WHERE terminal_id = ?1")?
                    .query_map([id.0], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                for schedule in old {
                    outbox::tombstone(&tx, &self.clock, Entity::Schedule, schedule)?;
                }
                tx.execute("DELETE FROM schedules WHERE terminal_id = ?1", [id.0])?;
                add_default_tasks(&tx, id, info.kind, today, &now)?;
                mark_terminal_schedules(&tx, &self.clock, id)?;
            }
        }
        outbox::put(&tx, &self.clock, Entity::Terminal, id.0)?;
        let terminal = load_terminal(&tx, id)?.ok_or(StoreError::NoTerminal)?;
        tx.commit()?;
        self.note_masked(g.masked());
        Ok(terminal)
    }

    /// Take a terminal out of service: off the board and the sheets, its history kept.
    pub fn archive_terminal(&mut self, id: TerminalId) -> Result<()> {
        let now = self.now_text();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE terminals SET archived_at = COALESCE(archived_at, ?1), updated_at = ?1 WHERE id = ?2",
            params![now, id.0],
        )?;
        if changed == 0 {
            return Err(StoreError::NoTerminal);
        }
        outbox::put(&tx, &self.clock, Entity::Terminal, id.0)?;
        tx.commit()?;
        Ok(())
    }

    /// Put an archived terminal back in service, unless its name is now used by another.
    pub fn unarchive_terminal(&mut self, id: TerminalId) -> Result<()> {
        let now = self.now_text();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let t = load_terminal(&tx, id)?.ok_or(StoreError::NoTerminal)?;
        if name_taken(&tx, &t.info.name, Some(id))? {
            return Err(StoreError::TerminalExists(t.info.name));
        }
        tx.execute(
            "UPDATE terminals SET archived_at = NULL, updated_at = ?1 WHERE id = ?2",
            params![now, id.0],
        )?;
        outbox::put(&tx, &self.clock, Entity::Terminal, id.0)?;
        tx.commit()?;
        Ok(())
    }

    /// The terminals, by name as people count (Store 2 before Store 10); archived ones only when
    /// asked for (after those in service).
    pub fn terminals(&self, include_archived: bool) -> Result<Vec<Terminal>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {TERMINAL_COLUMNS} FROM terminals WHERE ?1 OR archived_at IS NULL \
             ORDER BY archived_at IS NOT NULL, name_key, id"
        ))?;
        let rows = stmt.query_map([include_archived], terminal_from_row)?;
        let mut list: Vec<Terminal> = rows.collect::<rusqlite::Result<_>>()?;
        // "Store 2" before "Store 10": the SQL order only breaks ties.
        list.sort_by(|a, b| {
            a.is_archived()
                .cmp(&b.is_archived())
                .then_with(|| natural_cmp(&a.info.name, &b.info.name))
        });
        Ok(list)
    }

    pub fn terminal(&self, id: TerminalId) -> Result<Option<Terminal>> {
        load_terminal(&self.conn, id)
    }

    /// The terminal with this name, ignoring case: the one in service, else the latest archived. A
    /// name typed with a card number finds the terminal stored under the masked name.
    pub fn terminal_by_name(&self, name: &str) -> Result<Option<Terminal>> {
        let name = crate::domain::pan::mask_pans(name).text;
        let name = name.as_str();
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {TERMINAL_COLUMNS} FROM terminals WHERE name_key = ?1 \
                     ORDER BY archived_at IS NOT NULL, archived_at DESC LIMIT 1"
                ),
                [name_key(name)],
                terminal_from_row,
            )
            .optional()?)
    }

    /// Remember the terminal the clerk is working with (the Codes card shows its provider and phone;
    /// the journal prefills it).
    pub fn set_last_used_terminal(&mut self, id: TerminalId) -> Result<()> {
        let tx = self.conn.transaction()?;
        if load_terminal(&tx, id)?.is_none() {
            return Err(StoreError::NoTerminal);
        }
        set_meta(&tx, META_TERMINAL, &id.0.to_string())?;
        tx.commit()?;
        Ok(())
    }

    /// The terminal last used, if it is still in service; else the only terminal in service, if
    /// there is exactly one.
    pub fn last_used_terminal(&self) -> Result<Option<Terminal>> {
        if let Some(id) = self
            .meta(META_TERMINAL)?
            .and_then(|v| v.parse::<i64>().ok())
            && let Some(t) = load_terminal(&self.conn, TerminalId(id))?
            && !t.is_archived()
        {
            return Ok(Some(t));
        }
        let mut active = self.terminals(false)?;
        Ok(if active.len() == 1 {
            active.pop()
        } else {
            None
        })
    }

    // ---- schedules --------------------------------------------------------------------------------

    /// Each task on a terminal with where it stands on `today`, in pack order.
    pub fn terminal_tasks(&self, terminal: TerminalId, today: Date) -> Result<Vec<TaskStatus>> {
        let templates = templates_by_key(&self.conn)?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {SCHEDULE_COLUMNS} FROM schedules s WHERE s.terminal_id = ?1 AND s.removed_at IS NULL"
        ))?;
        let rows: Vec<ScheduleRow> = stmt
            .query_map([terminal.0], schedule_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let mut progress = progress_map(&self.conn, &rows, None)?;
        let mut out = Vec::new();
        for row in rows {
            let Some(t) = templates.get(&row.task_key) else {
                continue;
            };
            let p = progress.remove(&row.id).unwrap_or_default();
            out.push((t.position, self.task_status(&row, &t.template, &p, today)?));
        }
        out.sort_by_key(|(position, _)| *position);
        Ok(out.into_iter().map(|(_, s)| s).collect())
    }

    /// One scheduled task with where it stands on `today` (`None` if there is no such schedule).
    pub fn schedule_status(&self, id: ScheduleId, today: Date) -> Result<Option<TaskStatus>> {
        let Some(row) = load_schedule(&self.conn, id)? else {
            return Ok(None);
        };
        let Some(t) = templates_by_key(&self.conn)?.remove(&row.task_key) else {
            return Ok(None);
        };
        let p = progress_of(&self.conn, &row)?;
        Ok(Some(self.task_status(&row, &t.template, &p, today)?))
    }

    fn task_status(
        &self,
        row: &ScheduleRow,
        template: &TaskTemplate,
        progress: &Progress,
        today: Date,
    ) -> Result<TaskStatus> {
        let last_done_on = self.conn.query_row(
            "SELECT MAX(on_date) FROM maintenance_events WHERE schedule_id = ?1 AND kind = 'done'",
            [row.id.0],
            |r| opt_date_at(r, 0, "on_date"),
        )?;
        Ok(TaskStatus {
            schedule: row.id,
            terminal: row.terminal,
            task: template.clone(),
            plan: row.plan,
            status: schedule::status(&row.plan, progress, today),
            last_done_on,
        })
    }

    /// The schedule of a task on a terminal, if the terminal has that task.
    pub fn schedule_of(&self, terminal: TerminalId, task_key: &str) -> Result<Option<ScheduleId>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM schedules WHERE terminal_id = ?1 AND task_key = ?2 AND removed_at IS NULL",
                params![terminal.0, task_key.trim()],
                |r| r.get(0),
            )
            .optional()?
            .map(ScheduleId))
    }

    /// Add a task to a terminal, with the template's plan from today unless `plan` is given.
    pub fn add_task(
        &mut self,
        terminal: TerminalId,
        task_key: &str,
        plan: Option<Plan>,
    ) -> Result<ScheduleId> {
        let now = self.now_text();
        let today = self.clock.today();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let t = load_terminal(&tx, terminal)?.ok_or(StoreError::NoTerminal)?;
        let template = templates_by_key(&tx)?
            .remove(task_key.trim())
            .filter(|t| !t.retired)
            .ok_or_else(|| StoreError::NoTask(task_key.trim().to_string()))?
            .template;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM schedules WHERE terminal_id = ?1 AND task_key = ?2 AND removed_at IS NULL)",
            params![terminal.0, template.key],
            |r| r.get(0),
        )?;
        if exists {
            return Err(StoreError::TaskExists {
                terminal: t.info.name,
                task: template.key,
            });
        }
        let plan = plan.unwrap_or(Plan {
            recurrence: template.recurrence,
            interval: template.interval,
            start: today,
        });
        let id = insert_schedule(&tx, terminal, &template.key, &plan, &now)?;
        rebuild_watermark(&tx, id)?;
        mark_schedule(&tx, &self.clock, id)?;
        tx.commit()?;
        Ok(id)
    }

    /// Take a task off its terminal. Its history stays; adding it again starts a new schedule.
    pub fn remove_task(&mut self, id: ScheduleId) -> Result<()> {
        let now = self.now_text();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE schedules SET removed_at = ?1 WHERE id = ?2 AND removed_at IS NULL",
            params![now, id.0],
        )?;
        if changed == 0 {
            return Err(StoreError::NoSchedule);
        }
        mark_schedule(&tx, &self.clock, id)?;
        tx.commit()?;
        Ok(())
    }

    /// Change how a task runs on its terminal. Calendar occurrences restart from `plan.start`; work
    /// already recorded on a date that is still an occurrence keeps counting.
    pub fn change_plan(&mut self, id: ScheduleId, plan: Plan) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE schedules SET recurrence = ?1, every = ?2, unit = ?3, start_on = ?4 \
             WHERE id = ?5 AND removed_at IS NULL",
            params![
                plan.recurrence.id(),
                plan.interval.every(),
                plan.interval.unit().id(),
                plan.start.to_string(),
                id.0
            ],
        )?;
        if changed == 0 {
            return Err(StoreError::NoSchedule);
        }
        rebuild_watermark(&tx, id)?;
        mark_schedule(&tx, &self.clock, id)?;
        tx.commit()?;
        Ok(())
    }

    // ---- doing the work ---------------------------------------------------------------------------

    /// Mark done every open occurrence up to `through` (a board item's `through`: a task missed three
    /// times is done once). With nothing open up to `through` it changes nothing. A firmware version
    /// becomes the terminal's firmware in the same transaction; the name is remembered for next time.
    pub fn mark_done(
        &mut self,
        schedule: ScheduleId,
        through: Date,
        entry: &DoneEntry,
    ) -> Result<Marked> {
        let mut g = Guard::new();
        let note = g.text(Field::NOTE, &checked_note(&entry.note)?)?;
        let by = g.text(Field::SHORT, &checked_person(&entry.by)?)?;
        let now = self.now_text();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let t = target(&tx, schedule)?;
        let value = checked_value(&t.template, entry.value.as_deref())?
            .map(|(kind, v)| g.text(Field::SHORT, &v).map(|v| (kind, v)))
            .transpose()?;
        let progress = progress_of(&tx, &t.row)?;
        let Some((first, last, covers)) = schedule::open_through(&t.row.plan, &progress, through)
        else {
            return Ok(Marked::NOTHING);
        };
        let res = Resolution {
            kind: EventKind::Done,
            on: entry.done_on,
            first,
            through: last,
            covers,
            outcome: Some(entry.outcome),
            by: &by,
            note: &note,
            value,
        };
        let event = resolve(&tx, &self.clock, &t, res, &now)?;
        tx.commit()?;
        self.note_masked(g.masked());
        Ok(Marked {
            changed: true,
            event: Some(event),
            covers,
        })
    }

    /// Mark done exactly the occurrence on `day`: what a scanned sheet line does. A line scanned twice
    /// changes nothing the second time; older open occurrences stay open (their boxes were not
    /// ticked). A calendar date that is not one of the task's dates is `NotAnOccurrence` (the plan
    /// changed since the sheet was printed).
    pub fn mark_done_occurrence(
        &mut self,
        schedule: ScheduleId,
        day: Date,
        entry: &DoneEntry,
    ) -> Result<Marked> {
        let mut g = Guard::new();
        let note = g.text(Field::NOTE, &checked_note(&entry.note)?)?;
        let by = g.text(Field::SHORT, &checked_person(&entry.by)?)?;
        let now = self.now_text();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let t = target(&tx, schedule)?;
        let value = checked_value(&t.template, entry.value.as_deref())?
            .map(|(kind, v)| g.text(Field::SHORT, &v).map(|v| (kind, v)))
            .transpose()?;
        let plan = t.row.plan;
        if plan.recurrence == Recurrence::Calendar
            && !schedule::is_occurrence(plan.start, plan.interval, day)
        {
            return Err(StoreError::NotAnOccurrence(day));
        }
        let progress = progress_of(&tx, &t.row)?;
        if schedule::is_resolved(&plan, &progress, day) || occurrence_recorded(&tx, schedule, day)?
        {
            return Ok(Marked::NOTHING);
        }
        let first = match plan.recurrence {
            Recurrence::Calendar => day,
            Recurrence::AfterDone => schedule::first_open(&plan, &progress).unwrap_or(day),
        };
        let res = Resolution {
            kind: EventKind::Done,
            on: entry.done_on,
            first,
            through: day,
            covers: 1,
            outcome: Some(entry.outcome),
            by: &by,
            note: &note,
            value,
        };
        let event = resolve(&tx, &self.clock, &t, res, &now)?;
        tx.commit()?;
        self.note_masked(g.masked());
        Ok(Marked {
            changed: true,
            event: Some(event),
            covers: 1,
        })
    }

    /// Skip every open occurrence up to `through`, with a reason (required). Nothing open: no change.
    pub fn skip(
        &mut self,
        schedule: ScheduleId,
        through: Date,
        on: Date,
        reason: &str,
        by: &str,
    ) -> Result<Marked> {
        let mut g = Guard::new();
        let reason = g.text(Field::NOTE, &checked_reason(reason)?)?;
        let by = g.text(Field::SHORT, &checked_person(by)?)?;
        let now = self.now_text();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let t = target(&tx, schedule)?;
        let progress = progress_of(&tx, &t.row)?;
        let Some((first, last, covers)) = schedule::open_through(&t.row.plan, &progress, through)
        else {
            return Ok(Marked::NOTHING);
        };
        let res = Resolution {
            kind: EventKind::Skipped,
            on,
            first,
            through: last,
            covers,
            outcome: None,
            by: &by,
            note: &reason,
            value: None,
        };
        let event = resolve(&tx, &self.clock, &t, res, &now)?;
        tx.commit()?;
        self.note_masked(g.masked());
        Ok(Marked {
            changed: true,
            event: Some(event),
            covers,
        })
    }

    /// Keep a task off the board until `until` (a day after `on`), with a reason (required). Its open
    /// occurrences stay open: on `until` it is back, overdue if it was.
    pub fn snooze(
        &mut self,
        schedule: ScheduleId,
        on: Date,
        until: Date,
        reason: &str,
        by: &str,
    ) -> Result<EventId> {
        let mut g = Guard::new();
        let reason = g.text(Field::NOTE, &checked_reason(reason)?)?;
        if until <= on {
            return Err(MaintenanceError::SnoozeNotLater { on, until }.into());
        }
        let by = g.text(Field::SHORT, &checked_person(by)?)?;
        let now = self.now_text();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let t = target(&tx, schedule)?;
        let progress = progress_of(&tx, &t.row)?;
        let first = schedule::first_open(&t.row.plan, &progress).unwrap_or(on);
        tx.execute(
            "INSERT INTO maintenance_events (schedule_id, kind, on_date, first_on, through_on, covers, \
             snoozed_until, by_name, note, recorded_at) VALUES (?1, 'snoozed', ?2, ?3, ?3, 0, ?4, ?5, ?6, ?7)",
            params![
                schedule.0,
                on.to_string(),
                first.to_string(),
                until.to_string(),
                by,
                reason,
                now
            ],
        )?;
        let event = EventId(tx.last_insert_rowid());
        tx.execute(
            "UPDATE schedules SET snoozed_until = ?1 WHERE id = ?2",
            params![until.to_string(), schedule.0],
        )?;
        outbox::put(&tx, &self.clock, Entity::MaintenanceEvent, event.0)?;
        mark_schedule(&tx, &self.clock, schedule)?;
        if !by.is_empty() {
            set_meta(&tx, META_PERSON, &by)?;
        }
        tx.commit()?;
        self.note_masked(g.masked());
        Ok(event)
    }

    /// Take back one history event (the Undo after a mark-done or a scan): its occurrences are open
    /// again, a firmware value it wrote is put back if nobody changed it since, a snooze it set ends.
    pub fn undo(&mut self, event: EventId) -> Result<()> {
        let now = self.now_text();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found = tx
            .query_row(
                "SELECT e.schedule_id, e.kind, e.value_kind, e.value, e.previous_firmware, e.snoozed_until, \
                 s.terminal_id, u.previous_rolls FROM maintenance_events e \
                 JOIN schedules s ON s.id = e.schedule_id \
                 LEFT JOIN stock_undo u ON u.event_id = e.id WHERE e.id = ?1",
                [event.0],
                |r| {
                    Ok((
                        ScheduleId(r.get(0)?),
                        id_at(r, 1, "kind", EventKind::from_id)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        TerminalId(r.get(6)?),
                        r.get::<_, Option<u32>>(7)?,
                    ))
                },
            )
            .optional()?;
        let Some((
            schedule,
            kind,
            value_kind,
            value,
            previous,
            snoozed_until,
            terminal,
            rolls_before,
        )) = found
        else {
            return Err(StoreError::NoEvent);
        };
        if value_kind.as_deref() == Some(ValueKind::PaperRolls.id())
            && let (Some(value), Some(before)) = (&value, rolls_before)
        {
            super::shop::rolls_undone(&tx, value, before)?;
        }
        outbox::tombstone(&tx, &self.clock, Entity::MaintenanceEvent, event.0)?;
        tx.execute("DELETE FROM maintenance_events WHERE id = ?1", [event.0])?;
        if value_kind.as_deref() == Some(ValueKind::FirmwareVersion.id())
            && let (Some(value), Some(previous)) = (value, previous)
        {
            tx.execute(
                "UPDATE terminals SET firmware = ?1, updated_at = ?2 WHERE id = ?3 AND firmware = ?4",
                params![previous, now, terminal.0, value],
            )?;
            outbox::put(&tx, &self.clock, Entity::Terminal, terminal.0)?;
        }
        if kind == EventKind::Snoozed {
            tx.execute(
                "UPDATE schedules SET snoozed_until = NULL WHERE id = ?1 AND snoozed_until = ?2",
                params![schedule.0, snoozed_until],
            )?;
        }
        rebuild_watermark(&tx, schedule)?;
        mark_schedule(&tx, &self.clock, schedule)?;
        tx.commit()?;
        Ok(())
    }

    /// The name of whoever last marked a task done, skipped or snoozed it: the form's default.
    pub fn last_person(&self) -> Result<Option<String>> {
        self.meta(META_PERSON)
    }

    /// A terminal's history, newest first, for one task (by key) or all; at most `limit` events.
    pub fn history(
        &self,
        terminal: TerminalId,
        task_key: Option<&str>,
        limit: usize,
    ) -> Result<Vec<HistoryEvent>> {
        let mut stmt = self.conn.prepare(
            "SELECT e.id, e.schedule_id, s.terminal_id, s.task_key, t.title_zh, t.title_en, e.kind, \
             e.on_date, e.first_on, e.through_on, e.covers, e.snoozed_until, e.outcome, e.by_name, e.note, \
             e.value_kind, e.value, e.recorded_at \
             FROM maintenance_events e JOIN schedules s ON s.id = e.schedule_id \
             JOIN task_templates t ON t.key = s.task_key \
             WHERE s.terminal_id = ?1 AND (?2 IS NULL OR s.task_key = ?2) \
             ORDER BY e.on_date DESC, e.id DESC LIMIT ?3",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![terminal.0, task_key, limit], |r| {
            Ok(HistoryEvent {
                id: EventId(r.get(0)?),
                schedule: ScheduleId(r.get(1)?),
                terminal: TerminalId(r.get(2)?),
                task_key: r.get(3)?,
                title_zh: r.get(4)?,
                title_en: r.get(5)?,
                kind: id_at(r, 6, "kind", EventKind::from_id)?,
                on: date_at(r, 7, "on_date")?,
                first_occurrence: date_at(r, 8, "first_on")?,
                last_occurrence: date_at(r, 9, "through_on")?,
                covers: r.get(10)?,
                snoozed_until: opt_date_at(r, 11, "snoozed_until")?,
                outcome: r
                    .get::<_, Option<String>>(12)?
                    .map(|o| {
                        Outcome::from_id(&o).ok_or_else(|| conversion("outcome", format!("{o:?}")))
                    })
                    .transpose()?,
                by: r.get(13)?,
                note: r.get(14)?,
                value_kind: r
                    .get::<_, Option<String>>(15)?
                    .map(|k| {
                        ValueKind::from_id(&k)
                            .ok_or_else(|| conversion("value_kind", format!("{k:?}")))
                    })
                    .transpose()?,
                value: r.get(16)?,
                recorded_at: time_at(r, 17, "recorded_at")?,
                photos: Vec::new(),
            })
        })?;
        let mut events: Vec<HistoryEvent> = rows.collect::<rusqlite::Result<_>>()?;
        for e in &mut events {
            e.photos = self.photos(e.id)?;
        }
        Ok(events)
    }

    // ---- the board and the sheets -----------------------------------------------------------------

    /// What is overdue, due today and due soon on `today`, one item per task and terminal: overdue
    /// first, then due, then soon; within each by terminal name and pack order.
    pub fn due_board(&self, today: Date) -> Result<Vec<DueItem>> {
        let mut items = Vec::new();
        for (row, terminal, template, progress) in self.active_plans(None)? {
            let Some(status) = schedule::status(&row.plan, &progress, today) else {
                continue;
            };
            let Some(state) = status.state else {
                continue;
            };
            items.push((
                (state_rank(state), template.1),
                due_item(&row, &terminal, template.0, &status, state),
            ));
        }
        items.sort_by(|a, b| {
            (a.0.0)
                .cmp(&b.0.0)
                .then_with(|| natural_cmp(&a.1.terminal_name, &b.1.terminal_name))
                .then_with(|| a.1.terminal.cmp(&b.1.terminal))
                .then_with(|| a.0.1.cmp(&b.0.1))
        });
        Ok(items.into_iter().map(|(_, item)| item).collect())
    }

    /// The top bar's badge: tasks overdue or due today.
    pub fn due_count(&self, today: Date) -> Result<usize> {
        Ok(self
            .due_board(today)?
            .iter()
            .filter(|i| i.state != DueState::Soon)
            .count())
    }

    /// The lines of a printed checklist for one terminal or all in service: each occurrence in the
    /// span, plus one catch-up line for a task that has none in the span but is overdue before it.
    /// Sorted by terminal name, date and pack order.
    pub fn sheet_lines(
        &self,
        terminal: Option<TerminalId>,
        span: SheetSpan,
    ) -> Result<Vec<SheetLine>> {
        let (from, to) = (span.first(), span.last());
        let mut lines = Vec::new();
        for (row, term, (template, position), progress) in self.active_plans(terminal)? {
            let plan = row.plan;
            let dates: Vec<Date> = match plan.recurrence {
                Recurrence::Calendar => {
                    schedule::occurrences_between(plan.start, plan.interval, from, to)
                }
                Recurrence::AfterDone => schedule::first_open(&plan, &progress)
                    .filter(|d| *d >= from && *d <= to)
                    .into_iter()
                    .collect(),
            };
            let mut push = |date: Date, overdue: bool, missed: u32, resolved: bool| {
                lines.push((
                    (date, position),
                    SheetLine {
                        schedule: row.id,
                        terminal: term.id,
                        terminal_name: term.info.name.clone(),
                        task: template.clone(),
                        date,
                        overdue,
                        missed,
                        resolved,
                    },
                ));
            };
            if dates.is_empty() {
                if let Some(s) = schedule::status(&plan, &progress, from)
                    && s.first_open < from
                {
                    push(s.first_open, true, s.missed, false);
                }
            } else {
                for d in dates {
                    push(d, false, 0, schedule::is_resolved(&plan, &progress, d));
                }
            }
        }
        lines.sort_by(|a, b| {
            natural_cmp(&a.1.terminal_name, &b.1.terminal_name)
                .then_with(|| a.1.terminal.cmp(&b.1.terminal))
                .then_with(|| a.0.cmp(&b.0))
        });
        Ok(lines.into_iter().map(|(_, l)| l).collect())
    }

    /// The sheet line a scanned barcode names: schedule and date. `None` when the schedule is gone
    /// or the date is not one of its dates.
    pub fn sheet_line(&self, schedule: ScheduleId, day: Date) -> Result<Option<SheetLine>> {
        let Some(row) = load_schedule(&self.conn, schedule)?.filter(|r| !r.removed) else {
            return Ok(None);
        };
        let plan = row.plan;
        if plan.recurrence == Recurrence::Calendar
            && !schedule::is_occurrence(plan.start, plan.interval, day)
        {
            return Ok(None);
        }
        let Some(term) = load_terminal(&self.conn, row.terminal)? else {
            return Ok(None);
        };
        let Some(t) = templates_by_key(&self.conn)?.remove(&row.task_key) else {
            return Ok(None);
        };
        let progress = progress_of(&self.conn, &row)?;
        let resolved = schedule::is_resolved(&plan, &progress, day)
            || occurrence_recorded(&self.conn, schedule, day)?;
        Ok(Some(SheetLine {
            schedule,
            terminal: term.id,
            terminal_name: term.info.name,
            task: t.template,
            date: day,
            overdue: false,
            missed: 0,
            resolved,
        }))
    }

    /// What scanning `code` on `today` would do, without writing anything: the paper's meaning
    /// (today's line covers the missed days, a later day's line is refused, a week row records the day
    /// it is scanned) checked against the task as it stands now.
    pub fn check_scan(&self, code: ScanCode, today: Date) -> Result<ScanVerdict> {
        let schedule = ScheduleId(code.schedule_id);
        let Some(row) = load_schedule(&self.conn, schedule)? else {
            return Ok(ScanVerdict::Unknown);
        };
        let Some(term) = load_terminal(&self.conn, row.terminal)? else {
            return Ok(ScanVerdict::Unknown);
        };
        let Some(t) = templates_by_key(&self.conn)?.remove(&row.task_key) else {
            return Ok(ScanVerdict::Unknown);
        };
        let line = ScannedLine {
            code,
            schedule,
            terminal: term.id,
            terminal_name: term.info.name.clone(),
            task: t.template,
        };
        if row.removed {
            return Ok(ScanVerdict::Removed(line));
        }
        if term.is_archived() {
            return Ok(ScanVerdict::Archived(line));
        }
        let plan = row.plan;
        let progress = progress_of(&self.conn, &row)?;
        let status = schedule::status(&plan, &progress, today);
        match code.kind {
            ScanKind::Day => {
                if code.date > today {
                    return Ok(ScanVerdict::Future {
                        line,
                        day: code.date,
                    });
                }
                if plan.recurrence == Recurrence::Calendar
                    && !schedule::is_occurrence(plan.start, plan.interval, code.date)
                {
                    return Ok(ScanVerdict::Changed(line));
                }
                if schedule::is_resolved(&plan, &progress, code.date)
                    || occurrence_recorded(&self.conn, schedule, code.date)?
                {
                    return Ok(ScanVerdict::AlreadyDone(line));
                }
                if code.date == today
                    && let Some(s) = status.filter(|s| s.first_open <= today)
                {
                    return Ok(ScanVerdict::Ready {
                        line,
                        mark: ScanMark::Through(s.through),
                        done_on: today,
                        missed: s.missed,
                    });
                }
                Ok(ScanVerdict::Ready {
                    line,
                    mark: ScanMark::Occurrence(code.date),
                    done_on: code.date,
                    missed: 0,
                })
            }
            ScanKind::Week => {
                let first = code.date;
                let last = SheetSpan::Week(first).last();
                if first > today {
                    return Ok(ScanVerdict::Future { line, day: first });
                }
                if last < today {
                    return Ok(ScanVerdict::WeekOver { line, first, last });
                }
                let Some(s) = status else {
                    return Ok(ScanVerdict::AlreadyDone(line));
                };
                if s.first_open <= today || s.state.is_some() {
                    return Ok(ScanVerdict::Ready {
                        line,
                        mark: ScanMark::Through(s.through),
                        done_on: today,
                        missed: s.missed,
                    });
                }
                let done_today: bool = self.conn.query_row(
                    "SELECT EXISTS (SELECT 1 FROM maintenance_events WHERE schedule_id = ?1 \
                     AND kind = 'done' AND on_date = ?2)",
                    params![schedule.0, today.to_string()],
                    |r| r.get(0),
                )?;
                if done_today {
                    Ok(ScanVerdict::AlreadyDone(line))
                } else {
                    Ok(ScanVerdict::NotDue {
                        line,
                        next: s.first_open,
                    })
                }
            }
        }
    }

    /// Record a scan [`Store::check_scan`] found ready, with who did it and the value written on the
    /// sheet (a firmware version also becomes the terminal's firmware).
    pub fn record_scan(
        &mut self,
        schedule: ScheduleId,
        mark: ScanMark,
        entry: &DoneEntry,
    ) -> Result<Marked> {
        match mark {
            ScanMark::Through(through) => self.mark_done(schedule, through, entry),
            ScanMark::Occurrence(day) => self.mark_done_occurrence(schedule, day, entry),
        }
    }

    /// Every schedule in use with its terminal, template (and pack position) and progress.
    #[allow(clippy::type_complexity)]
    fn active_plans(
        &self,
        terminal: Option<TerminalId>,
    ) -> Result<Vec<(ScheduleRow, Terminal, (TaskTemplate, i64), Progress)>> {
        let rows = active_schedules(&self.conn, terminal)?;
        let mut progress = progress_map(&self.conn, &rows, None)?;
        let templates = templates_by_key(&self.conn)?;
        let terminals: HashMap<TerminalId, Terminal> = self
            .terminals(false)?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let (Some(term), Some(t)) =
                (terminals.get(&row.terminal), templates.get(&row.task_key))
            else {
                continue;
            };
            let p = progress.remove(&row.id).unwrap_or_default();
            out.push((row, term.clone(), (t.template.clone(), t.position), p));
        }
        Ok(out)
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
