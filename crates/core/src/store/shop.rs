//! What a small shop adds to the bundled maintenance: its own tasks (stored beside the bundled
//! templates, so schedules, the board, the sheets and scans treat them alike), the paper rolls and
//! cleaning cards in the drawer, and photos on done tasks.

use super::guard::{Field, Guard};
use super::maintenance::{
    StoredTemplate, id_at, insert_schedule, rebuild_watermark, templates_by_key, time_at,
};
use super::{MaintenanceStoreError, Result, Store, StoreError};
use crate::domain::incident::Attachment;
use crate::domain::maintenance::{
    EventId, MAX_STOCK, MaintenanceError, OwnTaskInfo, StockItem, StockLevel, TaskTemplate,
    TerminalId, TerminalKind, ValueKind, name_key,
};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};
use std::path::Path;

/// Own tasks sort after the bundled ones (whose positions are their place in the pack).
const OWN_POSITION: i64 = 100_000;

/// The file types a maintenance photo may be.
const PHOTO_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "webp", "heic", "heif", "gif", "bmp"];

fn stock_from_row(r: &Row<'_>) -> rusqlite::Result<StockLevel> {
    Ok(StockLevel {
        item: id_at(r, 0, "key", StockItem::from_id)?,
        count: r.get(1)?,
        low_at: r.get(2)?,
    })
}

fn stock_of(conn: &Connection, item: StockItem) -> Result<StockLevel> {
    Ok(conn
        .query_row(
            "SELECT key, count, low_at FROM stock_items WHERE key = ?1",
            [item.id()],
            stock_from_row,
        )
        .optional()?
        .unwrap_or(StockLevel {
            item,
            count: None,
            low_at: 0,
        }))
}

/// A count or threshold the drawer can hold, or the refusal of one above [`MAX_STOCK`].
fn at_most_max(n: u32) -> Result<u32> {
    if n > MAX_STOCK {
        return Err(MaintenanceError::BadValue {
            kind: ValueKind::PaperRolls,
            value: n.to_string(),
            max: MAX_STOCK,
        }
        .into());
    }
    Ok(n)
}

/// The English words for a stock item in an error.
fn stock_words(item: StockItem) -> &'static str {
    match item {
        StockItem::PaperRolls => "paper rolls",
        StockItem::CleaningCards => "cleaning cards",
    }
}

/// A "spare rolls left" value recorded on a done task or a scan becomes the shop's paper-roll count
/// when it is the shop's only count of them: exactly one task in use records spare rolls. With
/// several tills each counting the rolls beside them, no one value is the shop's stock. Returns the
/// count it replaced (kept with the event, for Undo), if it replaced one.
pub(super) fn rolls_counted(tx: &Transaction<'_>, rolls: &str, now: &str) -> Result<Option<u32>> {
    let Ok(rolls) = rolls.trim().parse::<u32>() else {
        return Ok(None);
    };
    let counting: i64 = tx.query_row(
        "SELECT count(*) FROM schedules s JOIN terminals t ON t.id = s.terminal_id \
         JOIN task_templates k ON k.key = s.task_key \
         WHERE s.removed_at IS NULL AND t.archived_at IS NULL AND k.value_kind = 'paper_rolls'",
        [],
        |r| r.get(0),
    )?;
    if counting != 1 {
        return Ok(None);
    }
    let previous = stock_of(tx, StockItem::PaperRolls)?.count;
    tx.execute(
        "UPDATE stock_items SET count = ?1, updated_at = ?2 WHERE key = 'paper_rolls'",
        params![rolls.min(MAX_STOCK), now],
    )?;
    Ok(previous)
}

/// Undo of an event whose spare-rolls value became the count: the count it replaced comes back,
/// unless the count has changed since (a delivery, a recount).
pub(super) fn rolls_undone(tx: &Transaction<'_>, value: &str, previous: u32) -> Result<()> {
    if let Ok(value) = value.trim().parse::<u32>() {
        tx.execute(
            "UPDATE stock_items SET count = ?1 WHERE key = 'paper_rolls' AND count = ?2",
            params![previous, value.min(MAX_STOCK)],
        )?;
    }
    Ok(())
}

/// The own task's text after the domain's checks and the store's guard.
fn guarded_task(g: &mut Guard, info: &OwnTaskInfo) -> Result<OwnTaskInfo> {
    let info = info.checked()?;
    let steps = |g: &mut Guard, steps: &[String]| -> Result<Vec<String>> {
        steps.iter().map(|s| g.text(Field::NOTE, s)).collect()
    };
    Ok(OwnTaskInfo {
        title_zh: g.text(Field::SHORT, &info.title_zh)?,
        title_en: g.text(Field::SHORT, &info.title_en)?,
        steps_zh: steps(g, &info.steps_zh)?,
        steps_en: steps(g, &info.steps_en)?,
        ..info
    })
}

/// Another task in use (bundled or own, `except` the one being edited) with either title.
fn title_taken(tx: &Transaction<'_>, info: &OwnTaskInfo, except: Option<&str>) -> Result<bool> {
    let titles = [name_key(&info.title_zh), name_key(&info.title_en)];
    Ok(templates_by_key(tx)?.values().any(|t| {
        !t.retired
            && Some(t.template.key.as_str()) != except
            && [&t.template.title_zh, &t.template.title_en]
                .iter()
                .any(|other| titles.contains(&name_key(other)))
    }))
}

/// Give the task to every terminal in service of its kinds that lacks it; take it off those of
/// other kinds.
fn fit_schedules(
    tx: &Transaction<'_>,
    task: &TaskTemplate,
    now: &str,
    today: jiff::civil::Date,
) -> Result<()> {
    let terminals: Vec<(TerminalId, TerminalKind)> = {
        let mut stmt = tx.prepare("SELECT id, kind FROM terminals WHERE archived_at IS NULL")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                TerminalId(r.get(0)?),
                id_at(r, 1, "kind", TerminalKind::from_id)?,
            ))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let plan = crate::domain::maintenance::Plan {
        recurrence: task.recurrence,
        interval: task.interval,
        // A task the shop has just written is due from today on every terminal.
        start: today,
    };
    for (terminal, kind) in terminals {
        let has: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM schedules WHERE terminal_id = ?1 AND task_key = ?2 \
             AND removed_at IS NULL)",
            params![terminal.0, task.key],
            |r| r.get(0),
        )?;
        if task.applies_to(kind) && !has {
            let id = insert_schedule(tx, terminal, &task.key, &plan, now)?;
            rebuild_watermark(tx, id)?;
        } else if !task.applies_to(kind) && has {
            tx.execute(
                "UPDATE schedules SET removed_at = ?1 WHERE terminal_id = ?2 AND task_key = ?3 \
                 AND removed_at IS NULL",
                params![now, terminal.0, task.key],
            )?;
        }
    }
    Ok(())
}

/// Put every schedule of a task in the head-office outbox: adding, editing or retiring an own task
/// changes schedules on every terminal, and each change must reach head office (see `outbox`).
fn mark_task_schedules(tx: &Transaction<'_>, clock: &crate::clock::Clock, key: &str) -> Result<()> {
    let ids: Vec<i64> = {
        let mut stmt = tx.prepare("SELECT id FROM schedules WHERE task_key = ?1 ORDER BY id")?;
        let rows = stmt.query_map([key], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for id in ids {
        super::maintenance::mark_schedule(tx, clock, crate::domain::maintenance::ScheduleId(id))?;
    }
    Ok(())
}

/// An own task in use, by key (`NoTask` if there is none, `NotOwnTask` for a bundled one).
fn own_task(tx: &Transaction<'_>, key: &str) -> Result<StoredTemplate> {
    let key = key.trim();
    let t = templates_by_key(tx)?
        .remove(key)
        .filter(|t| !t.retired)
        .ok_or_else(|| MaintenanceStoreError::NoTask(key.to_string()))?;
    if !t.template.own {
        return Err(MaintenanceStoreError::NotOwnTask(key.to_string()).into());
    }
    Ok(t)
}

fn write_task(tx: &Transaction<'_>, key: &str, position: i64, info: &OwnTaskInfo) -> Result<()> {
    let kinds: Vec<&str> = info.kinds.iter().map(|k| k.id()).collect();
    tx.execute(
        "INSERT INTO task_templates (key, position, title_zh, title_en, why_zh, why_en, steps_zh, \
         steps_en, kinds, every, unit, recurrence, standing, retired) \
         VALUES (?1, ?2, ?3, ?4, '', '', ?5, ?6, ?7, ?8, ?9, ?10, 0, 0) \
         ON CONFLICT (key) DO UPDATE SET title_zh = excluded.title_zh, title_en = excluded.title_en, \
         steps_zh = excluded.steps_zh, steps_en = excluded.steps_en, kinds = excluded.kinds, \
         every = excluded.every, unit = excluded.unit, recurrence = excluded.recurrence",
        params![
            key,
            position,
            info.title_zh,
            info.title_en,
            serde_json::to_string(&info.steps_zh).unwrap_or_else(|_| "[]".into()),
            serde_json::to_string(&info.steps_en).unwrap_or_else(|_| "[]".into()),
            serde_json::to_string(&kinds).unwrap_or_else(|_| "[]".into()),
            info.interval.every(),
            info.interval.unit().id(),
            info.recurrence.id(),
        ],
    )?;
    tx.execute("INSERT OR IGNORE INTO own_tasks (key) VALUES (?1)", [key])?;
    Ok(())
}

impl Store {
    // ---- the shop's own tasks ---------------------------------------------------------------------

    /// The shop's own tasks in use, oldest first.
    pub fn own_tasks(&self) -> Result<Vec<TaskTemplate>> {
        Ok(self.templates()?.into_iter().filter(|t| t.own).collect())
    }

    /// Add one of the shop's own tasks and schedule it on every terminal in service of its kinds
    /// (one transaction). A title another task in use already has is refused (the CLI finds tasks
    /// by title).
    pub fn add_own_task(&mut self, info: &OwnTaskInfo) -> Result<TaskTemplate> {
        let mut g = Guard::new();
        let info = guarded_task(&mut g, info)?;
        let now = self.now_text();
        let today = self.clock.today();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if title_taken(&tx, &info, None)? {
            return Err(MaintenanceStoreError::TaskTitleTaken(info.title_en).into());
        }
        let n: i64 = tx.query_row(
            "SELECT COALESCE(MAX(CAST(substr(key, 5) AS INTEGER)), 0) + 1 FROM task_templates \
             WHERE key IN (SELECT key FROM own_tasks) AND key GLOB 'own_[0-9]*'",
            [],
            |r| r.get(0),
        )?;
        let key = format!("own_{n}");
        write_task(&tx, &key, OWN_POSITION + n, &info)?;
        let task = templates_by_key(&tx)?
            .remove(&key)
            .ok_or_else(|| MaintenanceStoreError::NoTask(key.clone()))?
            .template;
        fit_schedules(&tx, &task, &now, today)?;
        mark_task_schedules(&tx, &self.clock, &task.key)?;
        tx.commit()?;
        self.note_masked(g.masked());
        Ok(task)
    }

    /// Change an own task. Its text changes everywhere (sheets printed before keep scanning); a new
    /// interval or recurrence applies to its schedules on every terminal (each keeps its start and
    /// history); terminals of a kind added get it, those of a kind dropped lose it (history kept).
    pub fn edit_own_task(&mut self, key: &str, info: &OwnTaskInfo) -> Result<TaskTemplate> {
        let mut g = Guard::new();
        let info = guarded_task(&mut g, info)?;
        let now = self.now_text();
        let today = self.clock.today();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let old = own_task(&tx, key)?;
        let key = old.template.key.clone();
        if title_taken(&tx, &info, Some(&key))? {
            return Err(MaintenanceStoreError::TaskTitleTaken(info.title_en).into());
        }
        write_task(&tx, &key, old.position, &info)?;
        if old.template.interval != info.interval || old.template.recurrence != info.recurrence {
            let ids: Vec<i64> = {
                let mut stmt = tx.prepare(
                    "SELECT id FROM schedules WHERE task_key = ?1 AND removed_at IS NULL",
                )?;
                let rows = stmt.query_map([&key], |r| r.get(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            for id in ids {
                tx.execute(
                    "UPDATE schedules SET recurrence = ?1, every = ?2, unit = ?3 WHERE id = ?4",
                    params![
                        info.recurrence.id(),
                        info.interval.every(),
                        info.interval.unit().id(),
                        id
                    ],
                )?;
                rebuild_watermark(&tx, crate::domain::maintenance::ScheduleId(id))?;
            }
        }
        let task = templates_by_key(&tx)?
            .remove(&key)
            .ok_or_else(|| MaintenanceStoreError::NoTask(key.clone()))?
            .template;
        fit_schedules(&tx, &task, &now, today)?;
        mark_task_schedules(&tx, &self.clock, &task.key)?;
        tx.commit()?;
        self.note_masked(g.masked());
        Ok(task)
    }

    /// Retire an own task: off every terminal, the board and the sheets; its history stays.
    pub fn retire_own_task(&mut self, key: &str) -> Result<TaskTemplate> {
        let now = self.now_text();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let t = own_task(&tx, key)?;
        tx.execute(
            "UPDATE task_templates SET retired = 1 WHERE key = ?1",
            [&t.template.key],
        )?;
        tx.execute(
            "UPDATE schedules SET removed_at = ?1 WHERE task_key = ?2 AND removed_at IS NULL",
            params![now, t.template.key],
        )?;
        mark_task_schedules(&tx, &self.clock, &t.template.key)?;
        tx.commit()?;
        Ok(t.template)
    }

    // ---- stock ------------------------------------------------------------------------------------

    /// The consumables in the drawer.
    pub fn stock(&self) -> Result<Vec<StockLevel>> {
        StockItem::ALL
            .into_iter()
            .map(|i| stock_of(&self.conn, i))
            .collect()
    }

    /// The consumables at or below their low-stock threshold (the board warns).
    pub fn low_stock(&self) -> Result<Vec<StockLevel>> {
        Ok(self.stock()?.into_iter().filter(|s| s.is_low()).collect())
    }

    /// Set the count (after counting the drawer) and/or the low-stock threshold.
    pub fn set_stock(
        &mut self,
        item: StockItem,
        count: Option<u32>,
        low_at: Option<u32>,
    ) -> Result<StockLevel> {
        for n in [count, low_at].into_iter().flatten() {
            at_most_max(n)?;
        }
        self.change_stock(item, |_| Ok(count), low_at)
    }

    /// Take `n` out of the drawer (a roll put in a printer). More than there are is refused, and so
    /// is taking from a count never made.
    pub fn use_stock(&mut self, item: StockItem, n: u32) -> Result<StockLevel> {
        self.change_stock(
            item,
            |level| {
                let have = level
                    .count
                    .ok_or(MaintenanceStoreError::StockNotCounted(stock_words(item)))?;
                if n > have {
                    return Err(MaintenanceStoreError::StockShort {
                        item: stock_words(item),
                        have,
                        wanted: n,
                    }
                    .into());
                }
                Ok(Some(have - n))
            },
            None,
        )
    }

    /// Put `n` into the drawer (a delivery). A count never made starts from the delivery.
    pub fn restock(&mut self, item: StockItem, n: u32) -> Result<StockLevel> {
        self.change_stock(
            item,
            |level| at_most_max(level.count.unwrap_or(0).saturating_add(n)).map(Some),
            None,
        )
    }

    /// The one way a stock level changes: in one transaction, `count` turns the level as it is into
    /// the new count (`None`: keep it) or refuses, `low_at` sets the threshold; the level after.
    fn change_stock(
        &mut self,
        item: StockItem,
        count: impl FnOnce(&StockLevel) -> Result<Option<u32>>,
        low_at: Option<u32>,
    ) -> Result<StockLevel> {
        let now = self.now_text();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(c) = count(&stock_of(&tx, item)?)? {
            tx.execute(
                "UPDATE stock_items SET count = ?1, updated_at = ?2 WHERE key = ?3",
                params![c, now, item.id()],
            )?;
        }
        if let Some(l) = low_at {
            tx.execute(
                "UPDATE stock_items SET low_at = ?1 WHERE key = ?2",
                params![l, item.id()],
            )?;
        }
        let level = stock_of(&tx, item)?;
        tx.commit()?;
        Ok(level)
    }

    // ---- photos -----------------------------------------------------------------------------------

    /// The photos kept with a history event, oldest first.
    pub fn photos(&self, event: EventId) -> Result<Vec<Attachment>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, file_name, sha256, size, added_at FROM maintenance_photos \
             WHERE event_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([event.0], |r| {
            Ok(Attachment {
                id: r.get(0)?,
                file_name: r.get(1)?,
                sha256: r.get(2)?,
                size: r.get::<_, i64>(3)?.max(0) as u64,
                added_at: time_at(r, 4, "added_at")?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Copy a photo into `attachments/<sha256>.<ext>` (like the journal's attachments: copied and
    /// synced first, the row written after) and keep it with a done task's history event.
    pub fn attach_photo(&mut self, event: EventId, src: &Path) -> Result<Attachment> {
        self.attach_photo_with_progress(event, src, &|_, _| {})
    }

    /// [`Store::attach_photo`], telling `progress(bytes copied, file size)` as the copy goes (a
    /// worker shows it on the done form: a phone's photo is several megabytes, a network drive slow).
    pub fn attach_photo_with_progress(
        &mut self,
        event: EventId,
        src: &Path,
        progress: &dyn Fn(u64, u64),
    ) -> Result<Attachment> {
        let dir = self.attachments_dir().ok_or(StoreError::NoDataFolder)?;
        let original = crate::fsx::file_name(src).unwrap_or_else(|| "photo".into());
        let ext = Path::new(&original)
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if !PHOTO_EXTENSIONS.contains(&ext.as_str()) {
            return Err(MaintenanceError::NotAPhoto(original).into());
        }
        let done: bool = self
            .conn
            .query_row(
                "SELECT kind = 'done' FROM maintenance_events WHERE id = ?1",
                [event.0],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(MaintenanceStoreError::NoEvent)?;
        if !done {
            return Err(MaintenanceStoreError::NoEvent.into());
        }
        let mut g = Guard::new();
        let file_name = g.text(Field::FILE_NAME, &original)?;
        let (sha256, size) = super::journal::copy_in(src, &dir, progress)?;
        let now = self.now_text();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO maintenance_photos (event_id, file_name, sha256, size, added_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![event.0, file_name, sha256, size as i64, now],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        self.note_masked(g.masked());
        Ok(Attachment {
            id,
            file_name,
            sha256,
            size,
            added_at: now
                .parse()
                .map_err(|e| super::maintenance::conversion("added_at", e))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::maintenance::natural_cmp;

    #[test]
    fn names_sort_as_people_count() {
        let mut names = vec![
            "Store 10", "store 2", "Store 1", "Till", "Store 02", "Store 1a",
        ];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            vec![
                "Store 1", "Store 1a", "store 2", "Store 02", "Store 10", "Till"
            ]
        );
    }
}
