//! The outbox: one marker per change of a row that travels to head office, written by the store
//! functions in the same transaction as the change (so a change is never committed without its
//! marker, and a marker never outlives a rolled-back change). The sync client reads the markers in
//! order, sends the rows as they are then, and deletes the markers head office acknowledged.
//!
//! Rows are named by a `uid` (UUID v7 minted here) instead of their local INTEGER id, which a restore
//! from an old backup reuses. Every marker carries a hybrid logical clock value (milliseconds << 16 |
//! counter): it only grows on this till, even when the PC's clock goes back, so head office can keep
//! the newest version of a row whatever order batches arrive in.
//!
//! In debug builds (the whole test suite) an audit checks at every commit that each changed row of a
//! synced table has its marker: a write path that forgets one fails its test.

use super::{Result, Store};
use crate::clock::Clock;
use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, params};

/// What a marker is about; each maps to one local table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Entity {
    Incident,
    IncidentStatus,
    IncidentNote,
    Terminal,
    Schedule,
    MaintenanceEvent,
}

impl Entity {
    pub const ALL: [Entity; 6] = [
        Entity::Terminal,
        Entity::Schedule,
        Entity::Incident,
        Entity::IncidentStatus,
        Entity::IncidentNote,
        Entity::MaintenanceEvent,
    ];

    /// The name in `sync_outbox.entity` and on the wire.
    pub fn id(self) -> &'static str {
        match self {
            Entity::Incident => "incident",
            Entity::IncidentStatus => "incident_status",
            Entity::IncidentNote => "incident_note",
            Entity::Terminal => "terminal",
            Entity::Schedule => "schedule",
            Entity::MaintenanceEvent => "maintenance_event",
        }
    }

    pub fn from_id(id: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.id() == id)
    }

    pub fn table(self) -> &'static str {
        match self {
            Entity::Incident => "incidents",
            Entity::IncidentStatus => "incident_status_log",
            Entity::IncidentNote => "incident_notes",
            Entity::Terminal => "terminals",
            Entity::Schedule => "schedules",
            Entity::MaintenanceEvent => "maintenance_events",
        }
    }

    /// The column an old row's uid is made from (its own time).
    fn time_column(self) -> &'static str {
        match self {
            Entity::Incident | Entity::Terminal | Entity::Schedule => "created_at",
            Entity::IncidentStatus | Entity::IncidentNote => "at",
            Entity::MaintenanceEvent => "recorded_at",
        }
    }
}

/// A new row's uid: a UUID v7 from the clock's time and 74 random bits.
pub(crate) fn new_uid(clock: &Clock) -> String {
    uid_at(clock.now())
}

fn uid_at(at: Timestamp) -> String {
    let secs = at.as_second().max(0) as u64;
    let nanos = if at.as_second() < 0 {
        0
    } else {
        at.subsec_nanosecond().max(0) as u32
    };
    uuid::Uuid::new_v7(uuid::Timestamp::from_unix(uuid::NoContext, secs, nanos)).to_string()
}

/// The next hybrid logical clock value: after the last one, and at least the clock's time corrected
/// by the offset learned from head office.
fn next_hlc(conn: &Connection, clock: &Clock) -> Result<i64> {
    let now_ms = clock.now().as_millisecond();
    Ok(conn
        .prepare_cached(
            "UPDATE sync_state SET hlc_last = max(hlc_last + 1, (?1 + clock_offset_ms) << 16) \
             WHERE id = 1 RETURNING hlc_last",
        )?
        .query_row([now_ms], |r| r.get(0))?)
}

fn insert_marker(
    conn: &Connection,
    clock: &Clock,
    entity: Entity,
    key: &str,
    op: &str,
    due: Option<(Option<Date>, u32)>,
) -> Result<()> {
    let hlc = next_hlc(conn, clock)?;
    conn.prepare_cached(
        "INSERT INTO sync_outbox (entity, entity_key, op, hlc, due_on, missed) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        entity.id(),
        key,
        op,
        hlc,
        due.and_then(|(d, _)| d.map(|d| d.to_string())),
        due.map(|(_, m)| m),
    ])?;
    Ok(())
}

fn uid_of(conn: &Connection, entity: Entity, rowid: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(&format!("SELECT uid FROM {} WHERE id = ?1", entity.table()))?
        .query_row([rowid], |r| r.get(0))
        .optional()?
        .flatten())
}

/// Mark the row `rowid` of `entity`'s table as changed (inserted or updated). A row without a uid
/// yet (none should be left after migration 008) gets one here.
pub(crate) fn put(conn: &Connection, clock: &Clock, entity: Entity, rowid: i64) -> Result<()> {
    put_with(conn, clock, entity, rowid, None)
}

/// [`put`] for a schedule, carrying its next due date and missed count as of the change.
pub(crate) fn put_schedule(
    conn: &Connection,
    clock: &Clock,
    rowid: i64,
    due_on: Option<Date>,
    missed: u32,
) -> Result<()> {
    put_with(conn, clock, Entity::Schedule, rowid, Some((due_on, missed)))
}

fn put_with(
    conn: &Connection,
    clock: &Clock,
    entity: Entity,
    rowid: i64,
    due: Option<(Option<Date>, u32)>,
) -> Result<()> {
    let uid = match uid_of(conn, entity, rowid)? {
        Some(uid) => uid,
        None => {
            let uid = new_uid(clock);
            conn.execute(
                &format!(
                    "UPDATE {} SET uid = ?1 WHERE id = ?2 AND uid IS NULL",
                    entity.table()
                ),
                params![uid, rowid],
            )?;
            uid
        }
    };
    insert_marker(conn, clock, entity, &uid, "put", due)?;
    audit::marked(entity.table(), rowid);
    Ok(())
}

/// [`put`] when the caller already knows the uid (a row it just inserted): one read less on the
/// journal's hot path.
pub(crate) fn put_uid(
    conn: &Connection,
    clock: &Clock,
    entity: Entity,
    rowid: i64,
    uid: &str,
) -> Result<()> {
    insert_marker(conn, clock, entity, uid, "put", None)?;
    audit::marked(entity.table(), rowid);
    Ok(())
}

/// Mark the row as deleted (a tombstone); call before the DELETE, while its uid can still be read.
pub(crate) fn tombstone(
    conn: &Connection,
    clock: &Clock,
    entity: Entity,
    rowid: i64,
) -> Result<()> {
    if let Some(uid) = uid_of(conn, entity, rowid)? {
        insert_marker(conn, clock, entity, &uid, "delete", None)?;
    }
    audit::marked(entity.table(), rowid);
    Ok(())
}

/// A text the masking pass (`scrub::mask_all_text`) changed: the row travels again, masked. Before
/// migration 008 (no outbox yet) and for tables that do not travel it does nothing. No clock here:
/// the HLC just follows the last one.
pub(crate) fn mark_masked(conn: &Connection, table: &str, rowid: i64) -> Result<()> {
    let has_outbox: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sync_outbox')",
        )?
        .query_row([], |r| r.get(0))?;
    if !has_outbox {
        return Ok(());
    }
    let (entity, rowid) = if table == "incident_steps" {
        let incident: Option<i64> = conn
            .query_row(
                "SELECT incident_id FROM incident_steps WHERE id = ?1",
                [rowid],
                |r| r.get(0),
            )
            .optional()?;
        match incident {
            Some(id) => (Entity::Incident, id),
            None => return Ok(()),
        }
    } else {
        match Entity::ALL.into_iter().find(|e| e.table() == table) {
            Some(e) => (e, rowid),
            None => return Ok(()),
        }
    };
    if let Some(uid) = uid_of(conn, entity, rowid)? {
        let hlc: i64 = conn.query_row(
            "UPDATE sync_state SET hlc_last = hlc_last + 1 WHERE id = 1 RETURNING hlc_last",
            [],
            |r| r.get(0),
        )?;
        conn.execute(
            "INSERT INTO sync_outbox (entity, entity_key, op, hlc) VALUES (?1, ?2, 'put', ?3)",
            params![entity.id(), uid, hlc],
        )?;
    }
    audit::marked(entity.table(), rowid);
    Ok(())
}

/// Migration 008's step: a uid for every old row (from its own time), one status event per old
/// incident for the status it has, and a marker for every row, parents first, so head office gets
/// the history the till already had.
pub(super) fn backfill(conn: &Connection, clock: &Clock) -> Result<()> {
    let _pause = audit::pause();
    for entity in [
        Entity::Terminal,
        Entity::Schedule,
        Entity::Incident,
        Entity::IncidentNote,
        Entity::MaintenanceEvent,
    ] {
        let rows: Vec<(i64, String)> = conn
            .prepare(&format!(
                "SELECT id, {} FROM {} WHERE uid IS NULL ORDER BY id",
                entity.time_column(),
                entity.table()
            ))?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut set = conn.prepare(&format!(
            "UPDATE {} SET uid = ?1 WHERE id = ?2",
            entity.table()
        ))?;
        for (id, at) in rows {
            let at = at.parse::<Timestamp>().unwrap_or_else(|_| clock.now());
            set.execute(params![uid_at(at), id])?;
        }
    }
    let incidents: Vec<(i64, String, String, Option<String>)> = conn
        .prepare(
            "SELECT id, status, created_at, resolved_at FROM incidents i \
             WHERE NOT EXISTS (SELECT 1 FROM incident_status_log l WHERE l.incident_id = i.id) ORDER BY id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut log = conn.prepare(
        "INSERT INTO incident_status_log (uid, incident_id, status, prev_uid, at) VALUES (?1, ?2, ?3, NULL, ?4)",
    )?;
    for (id, status, created_at, resolved_at) in incidents {
        let at = resolved_at.unwrap_or(created_at);
        let stamp = at.parse::<Timestamp>().unwrap_or_else(|_| clock.now());
        log.execute(params![uid_at(stamp), id, status, at])?;
    }
    for entity in [
        Entity::Terminal,
        Entity::Schedule,
        Entity::Incident,
        Entity::IncidentStatus,
        Entity::IncidentNote,
        Entity::MaintenanceEvent,
    ] {
        let uids: Vec<String> = conn
            .prepare(&format!("SELECT uid FROM {} ORDER BY id", entity.table()))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for uid in uids {
            insert_marker(conn, clock, entity, &uid, "put", None)?;
        }
    }
    Ok(())
}

/// Head office's reason for refusing an event, kept only as a short code (`unknown_entity`,
/// `foreign_store`...): letters, digits and `_`, so no free text from outside lands in the file.
fn reason_code(reason: &str) -> String {
    let code: String = reason
        .split(':')
        .next()
        .unwrap_or_default()
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    if code.is_empty() {
        "refused".into()
    } else {
        code
    }
}

/// One pending marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub seq: i64,
    pub entity: Entity,
    pub key: String,
    pub deleted: bool,
    pub hlc: i64,
    pub due_on: Option<String>,
    pub missed: Option<u32>,
}

impl Store {
    /// How many changes wait to be sent to head office.
    pub fn outbox_pending(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// The oldest `limit` markers, in order.
    pub fn outbox_peek(&self, limit: usize) -> Result<Vec<Marker>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, entity, entity_key, op, hlc, due_on, missed FROM sync_outbox ORDER BY seq LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            let entity: String = r.get(1)?;
            Ok(Marker {
                seq: r.get(0)?,
                entity: Entity::from_id(&entity).ok_or_else(|| {
                    rusqlite::Error::FromSqlConversionFailure(
                        1,
                        rusqlite::types::Type::Text,
                        format!("unknown outbox entity {entity:?}").into(),
                    )
                })?,
                key: r.get(2)?,
                deleted: r.get::<_, String>(3)? == "delete",
                hlc: r.get(4)?,
                due_on: r.get(5)?,
                missed: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Events head office refused, newest first: (seq, entity, key, reason).
    pub fn sync_rejected(&self) -> Result<Vec<(i64, String, String, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, entity, entity_key, reason FROM sync_rejected ORDER BY seq DESC",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether this data was restored from a backup since the last sync (the next sync starts a
    /// new epoch at head office).
    pub fn sync_restored(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT restored FROM sync_state WHERE id = 1", [], |r| {
                r.get::<_, i64>(0)
            })?
            != 0)
    }

    /// Mark the data as restored: changes made from now on come after everything head office has
    /// (the markers already in the restored outbox keep their place). Called by the restore.
    pub(crate) fn set_sync_restored(&mut self) -> Result<()> {
        let max = self.outbox_max_seq()?;
        self.conn.execute(
            "UPDATE sync_state SET restored = ?1 + 1 WHERE id = 1",
            [max],
        )?;
        Ok(())
    }

    /// Head office gave a new epoch after a restore, and `max_hlc` (the highest HLC it has from this
    /// till, the lost changes' included): the changes made since the restore get HLCs after it, in
    /// their order, so they win over versions from before the restore even when the PC's clock was
    /// behind. Clears the restored mark. One transaction.
    pub fn sync_new_epoch(&mut self, offset_ms: i64, max_hlc: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        let (restored, last): (i64, i64) = tx.query_row(
            "SELECT restored, max(hlc_last, ?1) FROM sync_state WHERE id = 1",
            [max_hlc],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if restored > 0 {
            let from = restored - 1;
            tx.execute(
                "UPDATE sync_outbox SET hlc = ?1 + (seq - ?2) WHERE seq > ?2",
                params![last, from],
            )?;
        }
        tx.execute(
            "UPDATE sync_state SET restored = 0, clock_offset_ms = ?1, \
             hlc_last = max(?2, coalesce((SELECT max(hlc) FROM sync_outbox), 0)) WHERE id = 1",
            params![offset_ms, last],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Learn head office's view of time: `offset_ms` (server minus this PC) corrects the clock the
    /// markers' HLC is made from, and `max_hlc` (the highest HLC head office saw from this till,
    /// e.g. before a restore) keeps new changes ordered after every one head office has.
    pub fn sync_observe(&mut self, offset_ms: i64, max_hlc: Option<i64>) -> Result<()> {
        self.conn.execute(
            "UPDATE sync_state SET clock_offset_ms = ?1, hlc_last = max(hlc_last, coalesce(?2, 0)) WHERE id = 1",
            params![offset_ms, max_hlc],
        )?;
        Ok(())
    }

    /// The last HLC this till issued.
    pub fn sync_hlc_last(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT hlc_last FROM sync_state WHERE id = 1", [], |r| {
                r.get(0)
            })?)
    }
}

/// A batch ready to send: the events (several markers of one row become one event, read as the row
/// is now) and every marker seq they answer for (delete exactly these once head office has them).
#[derive(Debug, Clone, Default)]
pub struct OutboxBatch {
    pub events: Vec<sync_proto::Event>,
    pub seqs: Vec<i64>,
}

/// The row `sql` selects for `key`, as `T`. The query builds a JSON object named by `T`'s fields
/// (`json_object('name', name, …)`) and serde fills the struct: each column is paired with its field
/// by name in one place, not by its position in a second list.
fn json_row<T: serde::de::DeserializeOwned>(
    c: &Connection,
    sql: &str,
    key: &str,
) -> Result<Option<T>> {
    let json: Option<String> = c
        .prepare_cached(sql)?
        .query_row([key], |r| r.get(0))
        .optional()?;
    Ok(json
        .map(|j| {
            serde_json::from_str(&j).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    0,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })
        })
        .transpose()?)
}

fn uuid_of(text: &str) -> rusqlite::Result<uuid::Uuid> {
    uuid::Uuid::parse_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn status_of(text: &str) -> rusqlite::Result<sync_proto::Status> {
    use sync_proto::Status as S;
    match text {
        "open" => Ok(S::Open),
        "waiting" => Ok(S::Waiting),
        "resolved" => Ok(S::Resolved),
        other => Err(rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown status {other:?}").into(),
        )),
    }
}

impl Store {
    /// Read the oldest `limit` markers into events, as the rows are now (one read transaction, so
    /// the events agree with each other). A put whose row is gone (an Undo since) is left to its
    /// tombstone; its marker still counts as answered.
    pub fn outbox_batch(&self, limit: usize) -> Result<OutboxBatch> {
        use sync_proto::{Event, EventBody};
        let markers = self.outbox_peek(limit)?;
        let mut batch = OutboxBatch::default();
        // The last marker of each (entity, key) carries the event; earlier ones only count.
        let mut last: std::collections::HashMap<(Entity, &str), usize> =
            std::collections::HashMap::new();
        for (i, m) in markers.iter().enumerate() {
            last.insert((m.entity, m.key.as_str()), i);
        }
        let today = self.clock.today();
        let now = self.now_text();
        for (i, m) in markers.iter().enumerate() {
            batch.seqs.push(m.seq);
            if last.get(&(m.entity, m.key.as_str())) != Some(&i) {
                continue;
            }
            let uid = uuid_of(&m.key)?;
            let body = if m.deleted {
                Some(EventBody::Tombstone(sync_proto::TombstoneData {
                    entity: wire_entity(m.entity),
                    at: now.clone(),
                }))
            } else {
                self.event_body(m, today)?
            };
            if let Some(body) = body {
                batch.events.push(Event {
                    seq: m.seq.max(0) as u64,
                    hlc: m.hlc.max(0) as u64,
                    uid,
                    body,
                });
            }
        }
        Ok(batch)
    }

    fn event_body(&self, m: &Marker, today: Date) -> Result<Option<sync_proto::EventBody>> {
        use sync_proto::EventBody as B;
        let c = &self.conn;
        let key = m.key.as_str();
        Ok(match m.entity {
            Entity::Incident => {
                let row = c
                    .prepare_cached(
                        "SELECT id, occurred_at, terminal, code, code_key, scheme, symptom, amount, txn_ref, \
                         who, status, resolution, resolved_at, created_at FROM incidents WHERE uid = ?1",
                    )?
                    .query_row([key], |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            sync_proto::IncidentData {
                                occurred_at: r.get(1)?,
                                terminal: r.get(2)?,
                                terminal_uid: None,
                                code: r.get(3)?,
                                code_key: r.get(4)?,
                                scheme: r.get(5)?,
                                symptom: r.get(6)?,
                                amount: r.get(7)?,
                                txn_ref: r.get(8)?,
                                who: r.get(9)?,
                                steps: Vec::new(),
                                status: status_of(&r.get::<_, String>(10)?)?,
                                resolution: r.get(11)?,
                                resolved_at: r.get(12)?,
                                created_at: r.get(13)?,
                            },
                        ))
                    })
                    .optional()?;
                let Some((id, mut data)) = row else {
                    return Ok(None);
                };
                data.steps = c
                    .prepare_cached(
                        "SELECT text, outcome FROM incident_steps WHERE incident_id = ?1 ORDER BY position",
                    )?
                    .query_map([id], |r| {
                        Ok(sync_proto::StepData {
                            text: r.get(0)?,
                            outcome: r.get(1)?,
                        })
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                if let Some(name) = &data.terminal {
                    let uid: Option<Option<String>> = c
                        .prepare_cached(
                            "SELECT uid FROM terminals WHERE name_key = ?1 \
                             ORDER BY archived_at IS NOT NULL, id DESC LIMIT 1",
                        )?
                        .query_row([crate::domain::maintenance::name_key(name)], |r| r.get(0))
                        .optional()?;
                    data.terminal_uid = uid.flatten().and_then(|u| uuid::Uuid::parse_str(&u).ok());
                }
                Some(B::Incident(data))
            }
            Entity::IncidentStatus => c
                .prepare_cached(
                    "SELECT i.uid, l.status, l.prev_uid, l.at, i.resolution FROM incident_status_log l \
                     JOIN incidents i ON i.id = l.incident_id WHERE l.uid = ?1",
                )?
                .query_row([key], |r| {
                    let to = status_of(&r.get::<_, String>(1)?)?;
                    Ok(B::IncidentStatus(sync_proto::StatusEventData {
                        incident: uuid_of(&r.get::<_, String>(0)?)?,
                        to,
                        prev: r
                            .get::<_, Option<String>>(2)?
                            .map(|p| uuid_of(&p))
                            .transpose()?,
                        by: None,
                        note: if to == sync_proto::Status::Resolved {
                            r.get(4)?
                        } else {
                            String::new()
                        },
                        at: r.get(3)?,
                    }))
                })
                .optional()?,
            Entity::IncidentNote => c
                .prepare_cached(
                    "SELECT i.uid, n.at, n.text FROM incident_notes n JOIN incidents i ON i.id = n.incident_id \
                     WHERE n.uid = ?1",
                )?
                .query_row([key], |r| {
                    Ok(B::IncidentNote(sync_proto::NoteData {
                        incident: uuid_of(&r.get::<_, String>(0)?)?,
                        at: r.get(1)?,
                        text: r.get(2)?,
                    }))
                })
                .optional()?,
            Entity::Terminal => json_row(
                c,
                "SELECT json_object('name', name, 'kind', kind, 'model', model, 'serial', serial, \
                 'location', location, 'provider', provider, 'support_phone', support_phone, \
                 'firmware', firmware, 'notes', notes, 'created_at', created_at, \
                 'updated_at', updated_at, 'archived_at', archived_at) FROM terminals WHERE uid = ?1",
                key,
            )?
            .map(B::Terminal),
            Entity::Schedule => {
                let row = c
                    .prepare_cached(
                        "SELECT s.id, t.uid, s.task_key, s.recurrence, s.every, s.unit, s.start_on, \
                         s.resolved_through, s.snoozed_until, s.created_at, s.removed_at \
                         FROM schedules s JOIN terminals t ON t.id = s.terminal_id WHERE s.uid = ?1",
                    )?
                    .query_row([key], |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            sync_proto::ScheduleData {
                                terminal: uuid_of(&r.get::<_, String>(1)?)?,
                                task_key: r.get(2)?,
                                task_title_zh: String::new(),
                                task_title_en: String::new(),
                                recurrence: r.get(3)?,
                                every: r.get(4)?,
                                unit: r.get(5)?,
                                start_on: r.get(6)?,
                                resolved_through: r.get(7)?,
                                snoozed_until: r.get(8)?,
                                next_due: m.due_on.clone(),
                                missed: m.missed.unwrap_or(0),
                                created_at: r.get(9)?,
                                removed_at: r.get(10)?,
                            },
                        ))
                    })
                    .optional()?;
                let Some((id, mut data)) = row else {
                    return Ok(None);
                };
                // Where it stands as it is sent (a marker written days ago offline has an older
                // missed count); a removed schedule has nothing due.
                if let Some(st) = self.schedule_status(crate::domain::maintenance::ScheduleId(id), today)? {
                    data.task_title_zh = st.task.title_zh.clone();
                    data.task_title_en = st.task.title_en.clone();
                    match (&data.removed_at, st.status) {
                        (None, Some(status)) => {
                            data.next_due = Some(status.first_open.to_string());
                            data.missed = status.missed;
                        }
                        _ => {
                            data.next_due = None;
                            data.missed = 0;
                        }
                    }
                }
                Some(B::Schedule(data))
            }
            Entity::MaintenanceEvent => json_row(
                c,
                "SELECT json_object('schedule', s.uid, 'kind', e.kind, 'on_date', e.on_date, \
                 'first_on', e.first_on, 'through_on', e.through_on, 'covers', e.covers, \
                 'snoozed_until', e.snoozed_until, 'outcome', e.outcome, 'by_name', e.by_name, \
                 'note', e.note, 'value_kind', e.value_kind, 'value', e.value, \
                 'recorded_at', e.recorded_at) \
                 FROM maintenance_events e JOIN schedules s ON s.id = e.schedule_id WHERE e.uid = ?1",
                key,
            )?
            .map(B::MaintenanceEvent),
        })
    }

    /// Forget exactly the markers of a batch head office has (applied or refused for good), keeping
    /// the refused ones aside in `sync_rejected`. Markers written meanwhile stay. One transaction.
    pub fn outbox_done(&mut self, seqs: &[i64], rejected: &[(i64, String)]) -> Result<()> {
        let now = self.now_text();
        let tx = self.conn.transaction()?;
        for (seq, reason) in rejected {
            tx.execute(
                "INSERT OR REPLACE INTO sync_rejected (seq, entity, entity_key, reason, at) \
                 SELECT seq, entity, entity_key, ?2, ?3 FROM sync_outbox WHERE seq = ?1",
                params![seq, reason_code(reason), now],
            )?;
        }
        {
            let mut del = tx.prepare_cached("DELETE FROM sync_outbox WHERE seq = ?1")?;
            for seq in seqs {
                del.execute([seq])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The highest outbox seq this data has ever issued (0 when none).
    pub fn outbox_max_seq(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row(
                "SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }
}

fn wire_entity(e: Entity) -> sync_proto::Entity {
    match e {
        Entity::Incident => sync_proto::Entity::Incident,
        Entity::IncidentStatus => sync_proto::Entity::IncidentStatus,
        Entity::IncidentNote => sync_proto::Entity::IncidentNote,
        Entity::Terminal => sync_proto::Entity::Terminal,
        Entity::Schedule => sync_proto::Entity::Schedule,
        Entity::MaintenanceEvent => sync_proto::Entity::MaintenanceEvent,
    }
}

/// The debug-build audit: the update hook notes every changed row of a synced table, the store's
/// marker functions note what they marked, and the commit hook refuses (rolls back) a commit that
/// changed a synced row without its marker, naming it on stderr. Per thread: a transaction runs on
/// one thread from its first statement to its commit.
#[cfg(debug_assertions)]
pub(crate) mod audit {
    use std::cell::RefCell;
    use std::collections::BTreeSet;

    #[derive(Default)]
    struct State {
        changed: BTreeSet<(&'static str, i64)>,
        marked: BTreeSet<(&'static str, i64)>,
        /// incident_steps changed: the incident's own marker covers them.
        steps: bool,
        paused: u32,
    }

    thread_local! {
        static STATE: RefCell<State> = RefCell::new(State::default());
    }

    fn synced(table: &str) -> Option<&'static str> {
        super::Entity::ALL
            .into_iter()
            .map(super::Entity::table)
            .find(|t| *t == table)
    }

    pub(crate) fn marked(table: &'static str, rowid: i64) {
        STATE.with(|s| {
            s.borrow_mut().marked.insert((table, rowid));
        });
    }

    /// While the guard lives, changes are not audited (migrations fill and mark rows in bulk).
    pub(crate) struct Pause;

    pub(crate) fn pause() -> Pause {
        STATE.with(|s| s.borrow_mut().paused += 1);
        Pause
    }

    impl Drop for Pause {
        fn drop(&mut self) {
            STATE.with(|s| {
                let mut s = s.borrow_mut();
                s.paused = s.paused.saturating_sub(1);
            });
        }
    }

    fn clear() {
        STATE.with(|s| {
            let mut s = s.borrow_mut();
            s.changed.clear();
            s.marked.clear();
            s.steps = false;
        });
    }

    /// The rows changed without a marker in the transaction now committing.
    fn missing() -> Vec<(&'static str, i64)> {
        STATE.with(|s| {
            let s = s.borrow();
            if s.paused > 0 {
                return Vec::new();
            }
            let mut missing: Vec<_> = s.changed.difference(&s.marked).copied().collect();
            if s.steps && !s.marked.iter().any(|(t, _)| *t == "incidents") {
                missing.push(("incident_steps", 0));
            }
            missing
        })
    }

    pub(crate) fn install(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {
        conn.update_hook(Some(|_action, _db: &str, table: &str, rowid: i64| {
            STATE.with(|s| {
                let mut s = s.borrow_mut();
                if let Some(t) = synced(table) {
                    s.changed.insert((t, rowid));
                } else if table == "incident_steps" {
                    s.steps = true;
                }
            });
        }))?;
        conn.commit_hook(Some(|| {
            let missing = missing();
            clear();
            if missing.is_empty() {
                false
            } else {
                eprintln!(
                    "posdesk debug audit: a commit changed synced rows without an outbox marker \
                     (table, rowid): {missing:?}; the commit is rolled back"
                );
                true
            }
        }))?;
        conn.rollback_hook(Some(clear))?;
        Ok(())
    }
}

/// Release builds carry no audit.
#[cfg(not(debug_assertions))]
pub(crate) mod audit {
    pub(crate) fn marked(_table: &'static str, _rowid: i64) {}
    pub(crate) struct Pause;
    pub(crate) fn pause() -> Pause {
        Pause
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::maintenance::{DoneEntry, Outcome, TerminalInfo, TerminalKind};
    use sync_proto::EventBody as B;

    /// Every column reaches its field: the JSON names in `event_body`'s queries are typed by hand,
    /// and a misspelt one would leave a defaulted field empty without an error.
    #[test]
    fn terminal_and_event_bodies_carry_every_column() {
        let clock = Clock::fixed("2026-11-20T09:00:00Z".parse().unwrap());
        let mut s = Store::open_in_memory().unwrap().with_clock(clock.clone());
        let info = TerminalInfo {
            name: "Till 1".into(),
            kind: TerminalKind::CardTerminal,
            model: "Move/5000".into(),
            serial: "SN-1".into(),
            location: "front desk".into(),
            provider: "Acquirer".into(),
            support_phone: "400-100".into(),
            firmware: "4.2".into(),
            notes: "loose cable".into(),
        };
        let till = s.add_terminal(&info).unwrap();
        let schedule = s.terminal_tasks(till.id, clock.today()).unwrap()[0].schedule;
        let entry = DoneEntry {
            done_on: clock.today(),
            by: "Wang".into(),
            outcome: Outcome::ProblemFound,
            note: "reseated the cable".into(),
            value: None,
        };
        s.mark_done(schedule, clock.today(), &entry).unwrap();
        let until = clock.today().tomorrow().unwrap();
        s.snooze(schedule, clock.today(), until, "no paper", "Li")
            .unwrap();
        s.archive_terminal(till.id).unwrap();
        let uid: String = s
            .conn
            .query_row(
                "SELECT uid FROM schedules WHERE id = ?1",
                [schedule.0],
                |r| r.get(0),
            )
            .unwrap();
        // A snooze starts at the first open occurrence, which the task's plan decides.
        let snoozed_from: String = s
            .conn
            .query_row(
                "SELECT first_on FROM maintenance_events WHERE kind = 'snoozed'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let now = clock.now().to_string();
        let mut terminals = Vec::new();
        let mut events = Vec::new();
        for e in s.outbox_batch(1000).unwrap().events {
            match e.body {
                B::Terminal(t) => terminals.push(t),
                B::MaintenanceEvent(m) => events.push(m),
                _ => {}
            }
        }
        assert_eq!(
            terminals,
            [sync_proto::TerminalData {
                name: "Till 1".into(),
                kind: "card_terminal".into(),
                model: "Move/5000".into(),
                serial: "SN-1".into(),
                location: "front desk".into(),
                provider: "Acquirer".into(),
                support_phone: "400-100".into(),
                firmware: "4.2".into(),
                notes: "loose cable".into(),
                created_at: now.clone(),
                updated_at: now.clone(),
                archived_at: Some(now.clone()),
            }]
        );
        let today = clock.today().to_string();
        let event = |kind: &str| sync_proto::MaintenanceEventData {
            schedule: uuid::Uuid::parse_str(&uid).unwrap(),
            kind: kind.into(),
            on_date: today.clone(),
            first_on: today.clone(),
            through_on: today.clone(),
            covers: 1,
            snoozed_until: None,
            outcome: None,
            by_name: String::new(),
            note: String::new(),
            value_kind: None,
            value: None,
            recorded_at: now.clone(),
        };
        assert_eq!(
            events,
            [
                sync_proto::MaintenanceEventData {
                    outcome: Some("problem_found".into()),
                    by_name: "Wang".into(),
                    note: "reseated the cable".into(),
                    ..event("done")
                },
                sync_proto::MaintenanceEventData {
                    first_on: snoozed_from.clone(),
                    through_on: snoozed_from.clone(),
                    covers: 0,
                    snoozed_until: Some(until.to_string()),
                    by_name: "Li".into(),
                    note: "no paper".into(),
                    ..event("snoozed")
                },
            ]
        );
    }
}
