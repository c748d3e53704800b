//! Applying a till's batch: one PostgreSQL transaction, idempotent, never across stores.
//!
//! Every statement takes the store from the authenticated device, never from the request. Entity rows
//! (incident, terminal, schedule) are upserts guarded by `store_id = <device's store> AND hlc < new hlc`;
//! append-only rows are `ON CONFLICT DO NOTHING` after a check that their parent (if head office has it)
//! belongs to the same store; tombstones are kept in their own table so one that arrives before its row
//! still wins. Each statement also reads, from the snapshot before it ran, who owns the row and its
//! parent, so a refusal costs no extra round trip.
//!
//! Events are first read and checked one by one in Rust (a malformed or invalid event is rejected alone).
//! The batch is then applied in one transaction without savepoints, its statements pipelined in order; if
//! a statement fails anyway (a value PostgreSQL refuses that the checks let through), the transaction is
//! rolled back and the batch applied again with a savepoint around each event, so that event alone is
//! rejected.
//!
//! The end state does not depend on the order events arrive in: a status event or note whose incident is
//! not here yet is kept (with the sending device's store) and folded in when the incident arrives; a
//! tombstone that comes before its row marks the row deleted when it arrives; entity rows keep the version
//! with the highest HLC.

use std::sync::atomic::Ordering;

use deadpool_postgres::{Pool, Transaction};
use futures_util::future::join_all;
use serde_json::Value;
use sync_proto::{
    EpochConflict, Event, EventBody, IncidentData, MaintenanceEventData, NoteData, PushBatch,
    PushResponse, Rejected, ScheduleData, StatusEventData, TerminalData, TombstoneData, reason,
};
use tokio_postgres::Statement;
use uuid::Uuid;

use crate::HqError;
use crate::server::Hooks;

/// The device a request was authenticated as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Device {
    pub id: Uuid,
    pub store_id: Uuid,
}

/// What a push came to.
#[derive(Debug)]
pub enum PushOutcome {
    Done(PushResponse),
    Conflict(EpochConflict),
}

/// Longest text head office takes in one field (the till's guard keeps far below).
const MAX_TEXT: usize = 64 * 1024;

/// Events whose queries are sent together. join_all polls its futures for the first time in the order
/// given (directly up to 30, through FuturesOrdered beyond, whose queue is first in, first out), and
/// tokio-postgres sends a query at its first poll, so the queries leave and run in the batch's order.
const PIPELINE: usize = sync_proto::MAX_EVENTS;

/// An event that passed the checks, with its HLC as PostgreSQL stores it.
struct Checked {
    event: Event,
    hlc: i64,
}

enum Effect {
    Applied,
    /// A new incident (status events that came before it are folded in at the end of the batch).
    Created(Uuid),
    /// Already there, or an older version than head office has: nothing to do.
    Unchanged,
    Rejected(String),
}

/// Applies one batch for `device`. `server_ms` is head office's clock when the request arrived.
pub async fn push(
    pool: &Pool,
    hooks: &Hooks,
    device: Device,
    batch: PushBatch<Value>,
    server_ms: i64,
) -> Result<PushOutcome, HqError> {
    let mut checked = Vec::with_capacity(batch.events.len());
    let mut rejected: Vec<(Rejected, Value)> = Vec::new();
    for raw in &batch.events {
        match check(raw) {
            Ok(c) => checked.push(c),
            Err(r) => rejected.push((r, raw.clone())),
        }
    }
    let mut client = pool.get().await?;
    match attempt(
        &mut client,
        hooks,
        device,
        &batch,
        &checked,
        &rejected,
        server_ms,
        false,
    )
    .await
    {
        Err(HqError::EventFailed(_)) => {
            attempt(
                &mut client,
                hooks,
                device,
                &batch,
                &checked,
                &rejected,
                server_ms,
                true,
            )
            .await
        }
        other => other,
    }
}

#[allow(clippy::too_many_arguments)]
async fn attempt(
    client: &mut deadpool_postgres::Client,
    hooks: &Hooks,
    device: Device,
    batch: &PushBatch<Value>,
    checked: &[Checked],
    pre_rejected: &[(Rejected, Value)],
    server_ms: i64,
    savepoints: bool,
) -> Result<PushOutcome, HqError> {
    let mut tx = client.transaction().await?;
    let row = tx
        .query_one(
            "SELECT epoch, acked_seq, max_hlc FROM posdesk.device WHERE id = $1 FOR UPDATE",
            &[&device.id],
        )
        .await?;
    let epoch: i32 = row.get(0);
    let acked_seq: i64 = row.get(1);
    let max_hlc: i64 = row.get(2);
    let epoch = u32::try_from(epoch).unwrap_or(0);
    if epoch != batch.epoch {
        return Ok(PushOutcome::Conflict(EpochConflict {
            error: "epoch_conflict".into(),
            epoch,
            acked_seq: to_u64(acked_seq),
            max_hlc: to_u64(max_hlc),
            server_time: server_ms,
        }));
    }
    if let Some(prev) = tx
        .query_opt(
            "SELECT reply FROM posdesk.sync_batch WHERE device_id = $1 AND batch_id = $2",
            &[&device.id, &batch.batch_id],
        )
        .await?
    {
        let reply: Value = prev.get(0);
        let mut reply: PushResponse = serde_json::from_value(reply).unwrap_or_default();
        reply.duplicate = true;
        reply.applied = 0;
        reply.acked_seq = to_u64(acked_seq);
        reply.max_hlc = to_u64(max_hlc);
        reply.epoch = epoch;
        reply.server_time = server_ms;
        return Ok(PushOutcome::Done(reply));
    }

    let mut applied: u64 = 0;
    let mut rejected: Vec<(Rejected, Value)> = pre_rejected.to_vec();
    let stmts = Stmts::prepare(&tx).await?;
    let effects: Vec<Effect> = if savepoints {
        let mut effects = Vec::with_capacity(checked.len());
        for c in checked {
            let sp = tx.transaction().await?;
            match apply_event(&sp, &stmts, device, c).await {
                Ok(effect) => {
                    sp.commit().await?;
                    effects.push(effect);
                }
                Err(e) => {
                    sp.rollback().await?;
                    effects.push(Effect::Rejected(format!(
                        "{}: {}",
                        reason::INVALID,
                        db_message(&e)
                    )));
                }
            }
        }
        effects
    } else {
        // Pipelined: the queries leave back to back, in the batch's order (see PIPELINE).
        let mut effects = Vec::with_capacity(checked.len());
        for chunk in checked.chunks(PIPELINE) {
            let done = join_all(chunk.iter().map(|c| apply_event(&tx, &stmts, device, c))).await;
            for r in done {
                effects.push(r.map_err(HqError::EventFailed)?);
            }
        }
        effects
    };
    let mut new_incidents: Vec<Uuid> = Vec::new();
    for (c, effect) in checked.iter().zip(effects) {
        match effect {
            Effect::Applied => applied += 1,
            Effect::Created(uid) => {
                applied += 1;
                new_incidents.push(uid);
            }
            Effect::Unchanged => {}
            Effect::Rejected(why) => rejected.push((
                Rejected {
                    seq: c.event.seq,
                    reason: why,
                },
                serde_json::to_value(&c.event).unwrap_or(Value::Null),
            )),
        }
    }
    if !new_incidents.is_empty() {
        // Status events that arrived before their incident (batches out of order) set its status now.
        tx.execute(
            "UPDATE posdesk.incident i SET status = e.to_status,
                 resolution = CASE WHEN e.to_status = 'resolved' AND e.note <> '' THEN e.note ELSE i.resolution END,
                 resolved_at = CASE WHEN e.to_status = 'resolved' THEN e.at END,
                 status_hlc = e.hlc
             FROM (SELECT DISTINCT ON (incident_id) incident_id, store_id, to_status, note, at, hlc
                   FROM posdesk.incident_status_event WHERE incident_id = ANY($1)
                   ORDER BY incident_id, hlc DESC, id DESC) e
             WHERE i.id = e.incident_id AND i.store_id = e.store_id AND e.hlc > i.status_hlc",
            &[&new_incidents],
        )
        .await?;
    }

    let batch_max_hlc = checked.iter().map(|c| c.hlc).max().unwrap_or(0);
    let new_max_hlc = max_hlc.max(batch_max_hlc);
    let last_seq = i64::try_from(batch.last_seq).unwrap_or(i64::MAX);
    let new_acked = acked_seq.max(last_seq);
    rejected.sort_by_key(|(r, _)| r.seq);
    let reply = PushResponse {
        acked_seq: to_u64(new_acked),
        applied,
        rejected: rejected.iter().map(|(r, _)| r.clone()).collect(),
        server_time: server_ms,
        max_hlc: to_u64(new_max_hlc),
        epoch,
        duplicate: false,
    };
    let stmt = tx
        .prepare_cached(
            "INSERT INTO posdesk.sync_rejected (device_id, batch_id, epoch, seq, reason, event)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .await?;
    for (r, raw) in &rejected {
        tx.execute(
            &stmt,
            &[
                &device.id,
                &batch.batch_id,
                &(epoch as i32),
                &i64::try_from(r.seq).unwrap_or(i64::MAX),
                &r.reason,
                &storable(raw),
            ],
        )
        .await?;
    }
    let reply_json = serde_json::to_value(&reply).unwrap_or(Value::Null);
    tx.execute(
        "INSERT INTO posdesk.sync_batch (device_id, batch_id, epoch, first_seq, last_seq, n_events, n_applied,
                                         reply, device_time)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, to_timestamp($9::bigint / 1000.0))",
        &[
            &device.id,
            &batch.batch_id,
            &(epoch as i32),
            &i64::try_from(batch.first_seq).unwrap_or(i64::MAX),
            &last_seq,
            &(batch.events.len() as i32),
            &(applied as i32),
            &reply_json,
            &batch.device_time,
        ],
    )
    .await?;
    tx.execute(
        "UPDATE posdesk.device SET acked_seq = $2, max_hlc = $3, last_seen_at = now(), last_skew_ms = $4,
             pending_reported = $5, app_version = $6, schema_version = $7, batches = batches + 1,
             events_applied = events_applied + $8, events_rejected = events_rejected + $9
         WHERE id = $1",
        &[
            &device.id,
            &new_acked,
            &new_max_hlc,
            &batch.device_time.saturating_sub(server_ms),
            &i64::try_from(batch.pending).unwrap_or(i64::MAX),
            &batch.app_version,
            &i32::try_from(batch.schema_version).unwrap_or(i32::MAX),
            &(applied as i64),
            &(rejected.len() as i64),
        ],
    )
    .await?;
    // The test hook: head office dies after doing all the work, before COMMIT.
    if hooks
        .fail_before_commit
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        drop(tx);
        return Err(HqError::InjectedFailure);
    }
    tx.commit().await?;
    Ok(PushOutcome::Done(reply))
}

fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn db_message(e: &tokio_postgres::Error) -> String {
    crate::pg_text(e)
}

/// The event as jsonb can hold it: PostgreSQL refuses NUL in json text, so NULs become U+FFFD.
fn storable(v: &Value) -> Value {
    match v {
        Value::String(s) if s.contains('\0') => Value::String(s.replace('\0', "\u{fffd}")),
        Value::Array(a) => Value::Array(a.iter().map(storable).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.replace('\0', "\u{fffd}"), storable(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

// ---- checks -------------------------------------------------------------------------------------

fn check(raw: &Value) -> Result<Checked, Rejected> {
    let seq = raw.get("seq").and_then(Value::as_u64).unwrap_or(0);
    let event: Event = serde_json::from_value(raw.clone()).map_err(|e| Rejected {
        seq,
        reason: format!("{}: {e}", reason::MALFORMED).replace('\0', "\u{fffd}"),
    })?;
    let invalid = |why: String| Rejected {
        seq,
        reason: format!("{}: {why}", reason::INVALID),
    };
    let hlc = i64::try_from(event.hlc).map_err(|_| invalid("hlc out of range".into()))?;
    if event.uid.is_nil() {
        return Err(invalid("uid is nil".into()));
    }
    check_body(&event.body).map_err(invalid)?;
    Ok(Checked { event, hlc })
}

fn text(name: &str, v: &str) -> Result<(), String> {
    if v.len() > MAX_TEXT {
        return Err(format!("{name} is longer than {MAX_TEXT} bytes"));
    }
    if v.contains('\0') {
        return Err(format!("{name} contains a NUL character"));
    }
    Ok(())
}

fn opt_text(name: &str, v: &Option<String>) -> Result<(), String> {
    v.as_deref().map_or(Ok(()), |v| text(name, v))
}

fn instant(name: &str, v: &str) -> Result<(), String> {
    v.parse::<jiff::Timestamp>()
        .map(|_| ())
        .map_err(|_| format!("{name} is not an RFC 3339 time: {v:?}"))
}

fn opt_instant(name: &str, v: &Option<String>) -> Result<(), String> {
    v.as_deref().map_or(Ok(()), |v| instant(name, v))
}

fn date(name: &str, v: &str) -> Result<(), String> {
    if v.len() != 10 {
        return Err(format!("{name} is not a YYYY-MM-DD date: {v:?}"));
    }
    v.parse::<jiff::civil::Date>()
        .map(|_| ())
        .map_err(|_| format!("{name} is not a YYYY-MM-DD date: {v:?}"))
}

fn opt_date(name: &str, v: &Option<String>) -> Result<(), String> {
    v.as_deref().map_or(Ok(()), |v| date(name, v))
}

fn one_of(name: &str, v: &str, allowed: &[&str]) -> Result<(), String> {
    if allowed.contains(&v) {
        Ok(())
    } else {
        Err(format!("{name} {v:?} is not one of {}", allowed.join(", ")))
    }
}

const SCHEMES: &[&str] = &[
    "iso8583",
    "cups",
    "terminal",
    "wechatpay",
    "alipay",
    "situation",
    "custom",
];
const STEP_OUTCOMES: &[&str] = &["tried", "worked", "did_not_work"];
const TERMINAL_KINDS: &[&str] = &[
    "card_terminal",
    "qr_scanner",
    "receipt_printer",
    "pin_pad",
    "other",
];
const EVENT_KINDS: &[&str] = &["done", "skipped", "snoozed"];
const OUTCOMES: &[&str] = &["all_fine", "problem_found"];

fn check_body(body: &EventBody) -> Result<(), String> {
    match body {
        EventBody::Incident(d) => {
            instant("occurred_at", &d.occurred_at)?;
            instant("created_at", &d.created_at)?;
            opt_instant("resolved_at", &d.resolved_at)?;
            opt_text("terminal", &d.terminal)?;
            opt_text("code", &d.code)?;
            opt_text("code_key", &d.code_key)?;
            if let Some(s) = &d.scheme {
                one_of("scheme", s, SCHEMES)?;
            }
            text("symptom", &d.symptom)?;
            opt_text("txn_ref", &d.txn_ref)?;
            opt_text("who", &d.who)?;
            text("resolution", &d.resolution)?;
            if d.steps.len() > 200 {
                return Err("more than 200 steps".into());
            }
            for s in &d.steps {
                text("step", &s.text)?;
                one_of("step outcome", &s.outcome, STEP_OUTCOMES)?;
            }
            Ok(())
        }
        EventBody::IncidentStatus(d) => {
            instant("at", &d.at)?;
            opt_text("by", &d.by)?;
            text("note", &d.note)
        }
        EventBody::IncidentNote(d) => {
            instant("at", &d.at)?;
            text("text", &d.text)
        }
        EventBody::Terminal(d) => {
            text("name", &d.name)?;
            if d.name.trim().is_empty() {
                return Err("name is empty".into());
            }
            one_of("kind", &d.kind, TERMINAL_KINDS)?;
            for (n, v) in [
                ("model", &d.model),
                ("serial", &d.serial),
                ("location", &d.location),
                ("provider", &d.provider),
                ("support_phone", &d.support_phone),
                ("firmware", &d.firmware),
                ("notes", &d.notes),
            ] {
                text(n, v)?;
            }
            instant("created_at", &d.created_at)?;
            instant("updated_at", &d.updated_at)?;
            opt_instant("archived_at", &d.archived_at)
        }
        EventBody::Schedule(d) => {
            text("task_key", &d.task_key)?;
            text("task_title_zh", &d.task_title_zh)?;
            text("task_title_en", &d.task_title_en)?;
            one_of("recurrence", &d.recurrence, &["calendar", "after_done"])?;
            one_of("unit", &d.unit, &["day", "week", "month"])?;
            if !(1..=366).contains(&d.every) {
                return Err(format!("every {} is not between 1 and 366", d.every));
            }
            if i32::try_from(d.missed).is_err() {
                return Err("missed is out of range".into());
            }
            date("start_on", &d.start_on)?;
            opt_date("resolved_through", &d.resolved_through)?;
            opt_date("snoozed_until", &d.snoozed_until)?;
            opt_date("next_due", &d.next_due)?;
            instant("created_at", &d.created_at)?;
            opt_instant("removed_at", &d.removed_at)
        }
        EventBody::MaintenanceEvent(d) => {
            one_of("kind", &d.kind, EVENT_KINDS)?;
            if let Some(o) = &d.outcome {
                one_of("outcome", o, OUTCOMES)?;
            }
            date("on_date", &d.on_date)?;
            date("first_on", &d.first_on)?;
            date("through_on", &d.through_on)?;
            opt_date("snoozed_until", &d.snoozed_until)?;
            if i32::try_from(d.covers).is_err() {
                return Err("covers is out of range".into());
            }
            text("by_name", &d.by_name)?;
            text("note", &d.note)?;
            opt_text("value_kind", &d.value_kind)?;
            opt_text("value", &d.value)?;
            instant("recorded_at", &d.recorded_at)
        }
        EventBody::Tombstone(d) => {
            instant("at", &d.at)?;
            tombstone_table(d).map(|_| ())
        }
    }
}

fn tombstone_table(d: &TombstoneData) -> Result<&'static str, String> {
    use sync_proto::Entity;
    match d.entity {
        Entity::Terminal => Ok("terminal"),
        Entity::Schedule => Ok("schedule"),
        Entity::MaintenanceEvent => Ok("maintenance_event"),
        Entity::IncidentNote => Ok("incident_note"),
        other => Err(format!("a {} is never deleted", other.as_str())),
    }
}

// ---- statements ---------------------------------------------------------------------------------

/// The statements of a batch, prepared once per connection (deadpool caches them), so that the events'
/// queries can be sent back to back without waiting for each answer (tokio-postgres pipelines queries
/// issued together; they run in the order sent).
pub(crate) struct Stmts {
    incident: Statement,
    status_event: Statement,
    note: Statement,
    terminal: Statement,
    schedule: Statement,
    maintenance_event: Statement,
    tombstones: Vec<(&'static str, Statement)>,
}

const TOMBSTONE_TABLES: [&str; 4] = ["terminal", "schedule", "maintenance_event", "incident_note"];

fn tombstone_sql(table: &str) -> String {
    format!(
        "WITH live AS (SELECT store_id FROM posdesk.{table} WHERE id = $1::uuid),
              other AS (SELECT 1 FROM posdesk.tombstone WHERE id = $1::uuid AND store_id <> $3::uuid),
         ins AS (
           INSERT INTO posdesk.tombstone (id, entity, store_id, device_id, at, hlc)
           SELECT $1::uuid, $2::text, $3::uuid, $4::uuid, $5::text::timestamptz, $6::bigint
           WHERE NOT EXISTS (SELECT 1 FROM live WHERE store_id <> $3::uuid) AND NOT EXISTS (SELECT 1 FROM other)
           ON CONFLICT (id) DO NOTHING
           RETURNING 1),
         upd AS (
           UPDATE posdesk.{table} SET deleted_at = $5::text::timestamptz
           WHERE id = $1::uuid AND store_id = $3::uuid AND deleted_at IS NULL
           RETURNING 1)
         SELECT (SELECT store_id FROM live), (SELECT count(*) FROM ins) + (SELECT count(*) FROM upd)"
    )
}

impl Stmts {
    async fn prepare(tx: &Transaction<'_>) -> Result<Stmts, tokio_postgres::Error> {
        let mut tombstones = Vec::new();
        for table in TOMBSTONE_TABLES {
            tombstones.push((table, tx.prepare_cached(&tombstone_sql(table)).await?));
        }
        Ok(Stmts {
            incident: tx.prepare_cached(INCIDENT_SQL).await?,
            status_event: tx.prepare_cached(STATUS_EVENT_SQL).await?,
            note: tx.prepare_cached(NOTE_SQL).await?,
            terminal: tx.prepare_cached(TERMINAL_SQL).await?,
            schedule: tx.prepare_cached(SCHEDULE_SQL).await?,
            maintenance_event: tx.prepare_cached(MAINTENANCE_EVENT_SQL).await?,
            tombstones,
        })
    }

    fn tombstone(&self, table: &str) -> &Statement {
        self.tombstones
            .iter()
            .find(|(t, _)| *t == table)
            .map_or(&self.terminal, |(_, s)| s)
    }
}

const INCIDENT_SQL: &str = "WITH up AS (
               INSERT INTO posdesk.incident AS cur (id, store_id, device_id, occurred_at, terminal_name, terminal_id,
                   code, code_key, scheme, symptom, amount_minor, txn_ref, who, steps, status, resolution,
                   resolved_at, core_hlc, status_hlc, created_at)
               VALUES ($1, $2, $3, $4::text::timestamptz, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                   $17::text::timestamptz, $18, $18, $19::text::timestamptz)
               ON CONFLICT (id) DO UPDATE SET device_id = EXCLUDED.device_id, occurred_at = EXCLUDED.occurred_at,
                   terminal_name = EXCLUDED.terminal_name, terminal_id = EXCLUDED.terminal_id, code = EXCLUDED.code,
                   code_key = EXCLUDED.code_key, scheme = EXCLUDED.scheme, symptom = EXCLUDED.symptom,
                   amount_minor = EXCLUDED.amount_minor, txn_ref = EXCLUDED.txn_ref, who = EXCLUDED.who,
                   steps = EXCLUDED.steps,
                   status = CASE WHEN EXCLUDED.core_hlc > cur.status_hlc THEN EXCLUDED.status ELSE cur.status END,
                   resolution = CASE WHEN EXCLUDED.core_hlc > cur.status_hlc THEN EXCLUDED.resolution
                                     ELSE cur.resolution END,
                   resolved_at = CASE WHEN EXCLUDED.core_hlc > cur.status_hlc THEN EXCLUDED.resolved_at
                                      ELSE cur.resolved_at END,
                   status_hlc = GREATEST(cur.status_hlc, EXCLUDED.core_hlc),
                   core_hlc = EXCLUDED.core_hlc, created_at = EXCLUDED.created_at, updated_at = now()
               WHERE cur.store_id = EXCLUDED.store_id AND cur.core_hlc < EXCLUDED.core_hlc
               RETURNING 1)
             SELECT (SELECT store_id FROM posdesk.incident WHERE id = $1), (SELECT count(*) FROM up)";
const STATUS_EVENT_SQL: &str = "WITH parent AS (SELECT store_id FROM posdesk.incident WHERE id = $1::uuid),
             ins AS (
               INSERT INTO posdesk.incident_status_event (incident_id, id, store_id, device_id, to_status, prev_id,
                   by_name, note, at, hlc)
               SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::text, $6::uuid, $7::text, $8::text,
                   $9::text::timestamptz, $10::bigint
               WHERE NOT EXISTS (SELECT 1 FROM parent WHERE store_id <> $3::uuid)
               ON CONFLICT (incident_id, id) DO NOTHING
               RETURNING 1),
             upd AS (
               UPDATE posdesk.incident SET status = $5::text,
                   resolution = CASE WHEN $5::text = 'resolved' AND $8::text <> '' THEN $8::text ELSE resolution END,
                   resolved_at = CASE WHEN $5::text = 'resolved' THEN $9::text::timestamptz END,
                   status_hlc = $10::bigint, updated_at = now()
               WHERE id = $1::uuid AND store_id = $3::uuid AND status_hlc < $10::bigint AND EXISTS (SELECT 1 FROM ins)
               RETURNING 1)
             SELECT (SELECT store_id FROM parent), (SELECT count(*) FROM ins) + (SELECT count(*) FROM upd)";
const NOTE_SQL: &str = "WITH parent AS (SELECT store_id FROM posdesk.incident WHERE id = $1::uuid),
             ins AS (
               INSERT INTO posdesk.incident_note (incident_id, id, store_id, device_id, at, text, deleted_at, hlc)
               SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::text::timestamptz, $6::text,
                   (SELECT t.at FROM posdesk.tombstone t WHERE t.id = $2::uuid AND t.store_id = $3::uuid),
                   $7::bigint
               WHERE NOT EXISTS (SELECT 1 FROM parent WHERE store_id <> $3::uuid)
               ON CONFLICT (incident_id, id) DO NOTHING
               RETURNING 1)
             SELECT (SELECT store_id FROM parent), (SELECT count(*) FROM ins)";
const TERMINAL_SQL: &str = "WITH up AS (
               INSERT INTO posdesk.terminal AS cur (id, store_id, device_id, name, kind, model, serial, location,
                   provider, support_phone, firmware, notes, created_at, updated_at, archived_at, deleted_at, hlc)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::text::timestamptz,
                   $14::text::timestamptz, $15::text::timestamptz,
                   (SELECT t.at FROM posdesk.tombstone t WHERE t.id = $1 AND t.store_id = $2), $16)
               ON CONFLICT (id) DO UPDATE SET device_id = EXCLUDED.device_id, name = EXCLUDED.name,
                   kind = EXCLUDED.kind, model = EXCLUDED.model, serial = EXCLUDED.serial,
                   location = EXCLUDED.location, provider = EXCLUDED.provider,
                   support_phone = EXCLUDED.support_phone, firmware = EXCLUDED.firmware, notes = EXCLUDED.notes,
                   created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
                   archived_at = EXCLUDED.archived_at, hlc = EXCLUDED.hlc
               WHERE cur.store_id = EXCLUDED.store_id AND cur.hlc < EXCLUDED.hlc
               RETURNING 1)
             SELECT (SELECT store_id FROM posdesk.terminal WHERE id = $1), (SELECT count(*) FROM up)";
const SCHEDULE_SQL: &str = "WITH parent AS (SELECT store_id FROM posdesk.terminal WHERE id = $4::uuid),
             up AS (
               INSERT INTO posdesk.schedule AS cur (id, store_id, device_id, terminal_id, task_key, task_title_zh,
                   task_title_en, recurrence, every, unit, start_on, resolved_through, snoozed_until, next_due_on,
                   missed, created_at, removed_at, deleted_at, hlc)
               SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::text, $6::text, $7::text, $8::text, $9::int,
                   $10::text, $11::text::date, $12::text::date, $13::text::date, $14::text::date, $15::int,
                   $16::text::timestamptz, $17::text::timestamptz,
                   (SELECT t.at FROM posdesk.tombstone t WHERE t.id = $1::uuid AND t.store_id = $2::uuid),
                   $18::bigint
               WHERE NOT EXISTS (SELECT 1 FROM parent WHERE store_id <> $2::uuid)
               ON CONFLICT (id) DO UPDATE SET device_id = EXCLUDED.device_id, terminal_id = EXCLUDED.terminal_id,
                   task_key = EXCLUDED.task_key, task_title_zh = EXCLUDED.task_title_zh,
                   task_title_en = EXCLUDED.task_title_en, recurrence = EXCLUDED.recurrence,
                   every = EXCLUDED.every, unit = EXCLUDED.unit, start_on = EXCLUDED.start_on,
                   resolved_through = EXCLUDED.resolved_through, snoozed_until = EXCLUDED.snoozed_until,
                   next_due_on = EXCLUDED.next_due_on, missed = EXCLUDED.missed,
                   created_at = EXCLUDED.created_at, removed_at = EXCLUDED.removed_at, hlc = EXCLUDED.hlc
               WHERE cur.store_id = EXCLUDED.store_id AND cur.hlc < EXCLUDED.hlc
               RETURNING 1)
             SELECT (SELECT store_id FROM posdesk.schedule WHERE id = $1::uuid), (SELECT store_id FROM parent),
                    (SELECT count(*) FROM up)";
const MAINTENANCE_EVENT_SQL: &str = "WITH parent AS (SELECT store_id FROM posdesk.schedule WHERE id = $4::uuid),
             ins AS (
               INSERT INTO posdesk.maintenance_event (id, store_id, device_id, schedule_id, kind, on_date, first_on,
                   through_on, covers, snoozed_until, outcome, by_name, note, value_kind, value, recorded_at,
                   deleted_at, hlc)
               SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::text, $6::text::date, $7::text::date,
                   $8::text::date, $9::int, $10::text::date, $11::text, $12::text, $13::text, $14::text, $15::text,
                   $16::text::timestamptz,
                   (SELECT t.at FROM posdesk.tombstone t WHERE t.id = $1::uuid AND t.store_id = $2::uuid),
                   $17::bigint
               WHERE NOT EXISTS (SELECT 1 FROM parent WHERE store_id <> $2::uuid)
               ON CONFLICT (id) DO NOTHING
               RETURNING 1)
             SELECT (SELECT store_id FROM posdesk.maintenance_event WHERE id = $1::uuid),
                    (SELECT store_id FROM parent), (SELECT count(*) FROM ins)";

async fn apply_event(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    device: Device,
    c: &Checked,
) -> Result<Effect, tokio_postgres::Error> {
    let uid = c.event.uid;
    match &c.event.body {
        EventBody::Incident(d) => incident(tx, stmts, device, uid, c.hlc, d).await,
        EventBody::IncidentStatus(d) => status_event(tx, stmts, device, uid, c.hlc, d).await,
        EventBody::IncidentNote(d) => note(tx, stmts, device, uid, c.hlc, d).await,
        EventBody::Terminal(d) => terminal(tx, stmts, device, uid, c.hlc, d).await,
        EventBody::Schedule(d) => schedule(tx, stmts, device, uid, c.hlc, d).await,
        EventBody::MaintenanceEvent(d) => maintenance_event(tx, stmts, device, uid, c.hlc, d).await,
        EventBody::Tombstone(d) => tombstone(tx, stmts, device, uid, c.hlc, d).await,
    }
}

/// The verdict from (owner of the row, owner of its parent, rows written).
fn verdict(device: Device, owners: &[Option<Uuid>], written: i64) -> Effect {
    if owners.iter().flatten().any(|o| *o != device.store_id) {
        Effect::Rejected(format!(
            "{}: the row belongs to another store",
            reason::OTHER_STORE
        ))
    } else if written > 0 {
        Effect::Applied
    } else {
        Effect::Unchanged
    }
}

async fn incident(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    device: Device,
    uid: Uuid,
    hlc: i64,
    d: &IncidentData,
) -> Result<Effect, tokio_postgres::Error> {
    let stmt = &stmts.incident;
    let steps = serde_json::to_value(&d.steps).unwrap_or(Value::Array(Vec::new()));
    let row = tx
        .query_one(
            stmt,
            &[
                &uid,
                &device.store_id,
                &device.id,
                &d.occurred_at,
                &d.terminal,
                &d.terminal_uid,
                &d.code,
                &d.code_key,
                &d.scheme,
                &d.symptom,
                &d.amount,
                &d.txn_ref,
                &d.who,
                &steps,
                &d.status.as_str(),
                &d.resolution,
                &d.resolved_at,
                &hlc,
                &d.created_at,
            ],
        )
        .await?;
    let owner: Option<Uuid> = row.get(0);
    let written: i64 = row.get(1);
    // The owner is read from the snapshot before the insert: none means the row is new.
    if owner.is_none() && written > 0 {
        return Ok(Effect::Created(uid));
    }
    Ok(verdict(device, &[owner], written))
}

async fn status_event(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    device: Device,
    uid: Uuid,
    hlc: i64,
    d: &StatusEventData,
) -> Result<Effect, tokio_postgres::Error> {
    let stmt = &stmts.status_event;
    let row = tx
        .query_one(
            stmt,
            &[
                &d.incident,
                &uid,
                &device.store_id,
                &device.id,
                &d.to.as_str(),
                &d.prev,
                &d.by,
                &d.note,
                &d.at,
                &hlc,
            ],
        )
        .await?;
    Ok(verdict(device, &[row.get(0)], row.get(1)))
}

async fn note(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    device: Device,
    uid: Uuid,
    hlc: i64,
    d: &NoteData,
) -> Result<Effect, tokio_postgres::Error> {
    let stmt = &stmts.note;
    let row = tx
        .query_one(
            stmt,
            &[
                &d.incident,
                &uid,
                &device.store_id,
                &device.id,
                &d.at,
                &d.text,
                &hlc,
            ],
        )
        .await?;
    Ok(verdict(device, &[row.get(0)], row.get(1)))
}

async fn terminal(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    device: Device,
    uid: Uuid,
    hlc: i64,
    d: &TerminalData,
) -> Result<Effect, tokio_postgres::Error> {
    let stmt = &stmts.terminal;
    let row = tx
        .query_one(
            stmt,
            &[
                &uid,
                &device.store_id,
                &device.id,
                &d.name,
                &d.kind,
                &d.model,
                &d.serial,
                &d.location,
                &d.provider,
                &d.support_phone,
                &d.firmware,
                &d.notes,
                &d.created_at,
                &d.updated_at,
                &d.archived_at,
                &hlc,
            ],
        )
        .await?;
    Ok(verdict(device, &[row.get(0)], row.get(1)))
}

async fn schedule(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    device: Device,
    uid: Uuid,
    hlc: i64,
    d: &ScheduleData,
) -> Result<Effect, tokio_postgres::Error> {
    let stmt = &stmts.schedule;
    let every = i32::try_from(d.every).unwrap_or(i32::MAX);
    let missed = i32::try_from(d.missed).unwrap_or(i32::MAX);
    let row = tx
        .query_one(
            stmt,
            &[
                &uid,
                &device.store_id,
                &device.id,
                &d.terminal,
                &d.task_key,
                &d.task_title_zh,
                &d.task_title_en,
                &d.recurrence,
                &every,
                &d.unit,
                &d.start_on,
                &d.resolved_through,
                &d.snoozed_until,
                &d.next_due,
                &missed,
                &d.created_at,
                &d.removed_at,
                &hlc,
            ],
        )
        .await?;
    Ok(verdict(device, &[row.get(0), row.get(1)], row.get(2)))
}

async fn maintenance_event(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    device: Device,
    uid: Uuid,
    hlc: i64,
    d: &MaintenanceEventData,
) -> Result<Effect, tokio_postgres::Error> {
    let stmt = &stmts.maintenance_event;
    let covers = i32::try_from(d.covers).unwrap_or(i32::MAX);
    let row = tx
        .query_one(
            stmt,
            &[
                &uid,
                &device.store_id,
                &device.id,
                &d.schedule,
                &d.kind,
                &d.on_date,
                &d.first_on,
                &d.through_on,
                &covers,
                &d.snoozed_until,
                &d.outcome,
                &d.by_name,
                &d.note,
                &d.value_kind,
                &d.value,
                &d.recorded_at,
                &hlc,
            ],
        )
        .await?;
    Ok(verdict(device, &[row.get(0), row.get(1)], row.get(2)))
}

async fn tombstone(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    device: Device,
    uid: Uuid,
    hlc: i64,
    d: &TombstoneData,
) -> Result<Effect, tokio_postgres::Error> {
    let Ok(table) = tombstone_table(d) else {
        return Ok(Effect::Rejected(format!(
            "{}: cannot delete this",
            reason::INVALID
        )));
    };
    let stmt = stmts.tombstone(table);
    let row = tx
        .query_one(
            stmt,
            &[
                &uid,
                &d.entity.as_str(),
                &device.store_id,
                &device.id,
                &d.at,
                &hlc,
            ],
        )
        .await?;
    Ok(verdict(device, &[row.get(0)], row.get(1)))
}
