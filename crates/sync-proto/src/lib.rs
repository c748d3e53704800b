//! The wire format between a posdesk till and head office (`posdesk-hq`), shared by both sides.
//!
//! Serde types and constants only (dependencies: `serde`, `uuid`): no HTTP client, no database.
//!
//! # Protocol, version 1
//!
//! Everything is JSON over HTTPS (TLS is done by a reverse proxy in front of `posdesk-hq`). Requests may be
//! sent gzip-compressed (`Content-Encoding: gzip`); responses are gzip-compressed when the request says
//! `Accept-Encoding: gzip`. Times on the wire: `*_ms` / `device_time` / `server_time` are milliseconds
//! since the Unix epoch (UTC); instants inside event data are RFC 3339 strings in UTC
//! (`2026-11-23T02:00:00Z`), dates are `YYYY-MM-DD`.
//!
//! ## Paths
//!
//! | Method and path | Auth | Body → reply |
//! |---|---|---|
//! | `POST /v1/enroll` ([`ENROLL_PATH`]) | none (the one-time code is the credential) | [`EnrollRequest`] → [`EnrollResponse`] |
//! | `POST /v1/push` ([`PUSH_PATH`]) | `Authorization: Bearer <token>` | [`PushBatch`] → [`PushResponse`] |
//! | `POST /v1/epoch` ([`EPOCH_PATH`]) | `Authorization: Bearer <token>` | [`EpochRequest`] → [`EpochResponse`] |
//! | `GET /v1/health` ([`HEALTH_PATH`]) | none | `{"ok":true,"server_time":…}` |
//!
//! Every error reply carries an [`ErrorReply`] body (`{"error":"<code>","message":"…"}`) except the
//! epoch conflict, which carries an [`EpochConflict`].
//!
//! ## Status codes
//!
//! - `200`: done. For a push, read [`PushResponse`]: some events may be in `rejected` (they will never be
//!   accepted as they are: the till moves them aside and goes on; they do not block the queue).
//! - `400` `bad_request`: the body is not a batch (not JSON, wrong `proto`, more than [`MAX_EVENTS`]
//!   events). Nothing was applied.
//! - `401` `unauthorized`: no token or an unknown token. `403` `revoked`: the device was removed by head
//!   office, or `device_id` in the batch is not the token's device. Stop syncing and tell the user.
//! - `404` `unknown_code` / `410` `code_used` / `410` `code_expired`: enrollment refused.
//! - `409` `epoch_conflict`: see *Epochs* below; body [`EpochConflict`].
//! - `413`: the body is larger than [`MAX_BODY_BYTES`] (after decompression): send fewer events.
//! - `503` `unavailable` (with `Retry-After` seconds): the database is down or busy; retry later with
//!   exponential backoff and full jitter. Any network error: the same.
//!
//! ## Enrollment
//!
//! `posdesk-hq enroll STORE` prints a one-time code (valid [`ENROLL_CODE_TTL_HOURS`] hours). The till
//! sends it once with `POST /v1/enroll` and receives its `device_id`, `store_id` and a bearer `token`
//! (shown once: head office keeps only its SHA-256). A code enrolls exactly one device.
//!
//! ## Push, idempotency and ownership
//!
//! The till sends its outbox in order, at most [`MAX_EVENTS`] events per batch, each event with its outbox
//! `seq` (strictly increasing within an epoch) and its HLC. Head office applies a batch in **one
//! PostgreSQL transaction**: everything in it is applied, or nothing (on any failure the till resends the
//! same batch later).
//!
//! - **A resent batch changes nothing.** A `batch_id` head office already committed is answered with the
//!   reply it gave the first time (`duplicate: true`). Independently of `batch_id`, every event is
//!   idempotent by its row `uid`: entity rows (incident, terminal, schedule) are replaced only by an event
//!   with a *higher* HLC; append-only rows (status events, notes, maintenance events) are inserted once;
//!   a tombstone is applied once. A child whose parent has not arrived yet (a note or status event before
//!   its incident, a schedule before its terminal) is kept and counts once the parent comes; a tombstone
//!   before its row marks the row deleted when it comes. Batches that arrive out of order therefore end
//!   in the same state.
//! - **A till writes only its own store's rows.** A row's store is fixed by the first event that created
//!   it. An event for a row (or a parent row: the incident of a note, the terminal of a schedule, …) that
//!   belongs to another store is rejected with reason `other_store`; the rest of the batch is applied.
//! - **A bad event does not block the rest**: it is listed in `rejected` with a reason
//!   ([`reason`] lists them) and counted as acknowledged; the till keeps it aside for a human.
//! - `acked_seq` in the reply is the highest `seq` head office has acknowledged in this epoch; the till
//!   may delete every outbox marker with `seq <= acked_seq` (in this epoch).
//! - `max_hlc` is the highest HLC head office has seen from this device: the till sets
//!   `hlc_last = max(hlc_last, max_hlc)` ([`Hlc::observe`]), so a till restored from an old backup keeps
//!   ordering its new edits after the ones head office already has.
//! - `server_time` lets the till learn its clock offset; head office also records the skew
//!   (`device_time - server_time`) per device (view `posdesk.v_device_health`).
//!
//! ## Epochs
//!
//! A device's `seq` numbers start again when a till is restored from an older backup. An *epoch* names one
//! such numbering: `(epoch, seq)` is unique per device. A new device is in epoch [`FIRST_EPOCH`].
//!
//! - A push whose `epoch` differs from the device's current epoch at head office gets `409`
//!   [`EpochConflict`] and nothing is applied.
//! - The till starts a new epoch with `POST /v1/epoch` when (a) it gets `409`, or (b) it knows it was
//!   restored (its outbox `seq` went backwards, or a `200` reply's `acked_seq` is higher than any `seq` it
//!   has issued). Head office answers `epoch + 1` (its `acked_seq` restarts at 0) and `max_hlc`; the till
//!   re-sends its whole outbox under the new epoch. Nothing is renumbered and nothing is applied twice:
//!   events are idempotent by `uid` (above).
//! - A push whose seqs are at or below `acked_seq` in the *same* epoch (two processes pushing at once, a
//!   batch delivered late) is applied normally (idempotent) and does not lower `acked_seq`.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The protocol version this crate speaks; head office accepts this one and the one before.
pub const PROTO: u32 = 1;
/// The oldest protocol version head office still accepts.
pub const MIN_PROTO: u32 = 1;

pub const ENROLL_PATH: &str = "/v1/enroll";
pub const PUSH_PATH: &str = "/v1/push";
pub const EPOCH_PATH: &str = "/v1/epoch";
pub const HEALTH_PATH: &str = "/v1/health";

/// At most this many events in one push.
pub const MAX_EVENTS: usize = 500;
/// At most this many bytes in one request body, after gzip is undone.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// A new device starts in this epoch.
pub const FIRST_EPOCH: u32 = 1;
/// An enrollment code is valid this long after `posdesk-hq enroll` printed it.
pub const ENROLL_CODE_TTL_HOURS: u32 = 72;

/// `Authorization: Bearer <token>` header value for a device token.
pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// `POST /v1/enroll`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollRequest {
    /// The one-time code printed by `posdesk-hq enroll STORE` (case and dashes do not matter).
    pub code: String,
    /// What the shop calls this PC ("Till 2"); may be empty.
    #[serde(default)]
    pub device_name: String,
    /// The till's program version, for head office's device list.
    #[serde(default)]
    pub app_version: String,
}

/// Reply to a successful enrollment. `token` is shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollResponse {
    pub device_id: Uuid,
    pub store_id: Uuid,
    /// The store's code as head office named it (`STORE-A`, `SH001`).
    pub store_code: String,
    /// The bearer token for every later request (64 hex digits, from the operating system's random generator).
    pub token: String,
    /// The device's first epoch ([`FIRST_EPOCH`]).
    pub epoch: u32,
    /// Head office's clock, ms since the Unix epoch.
    pub server_time: i64,
}

/// `POST /v1/push`: one batch of the till's outbox, oldest first.
///
/// `E` is [`Event`] at the till; head office reads the events one by one (so one it cannot read is
/// rejected alone), hence the parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushBatch<E = Event> {
    /// [`PROTO`].
    pub proto: u32,
    pub device_id: Uuid,
    pub epoch: u32,
    /// A fresh id for each new batch; a *resent* batch keeps its id.
    pub batch_id: Uuid,
    /// The lowest and highest outbox `seq` in `events` (equal to the events' own).
    pub first_seq: u64,
    pub last_seq: u64,
    /// The till's clock when it sent the batch, ms since the Unix epoch (for skew).
    pub device_time: i64,
    /// Outbox markers still waiting at the till after this batch.
    pub pending: u64,
    /// The till's program version and local schema version (shown in device health).
    #[serde(default)]
    pub app_version: String,
    #[serde(default)]
    pub schema_version: u32,
    pub events: Vec<E>,
}

/// One change, as the till's outbox marker `seq` describes it, with the row's current content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub seq: u64,
    /// The change's hybrid logical clock ([`Hlc`]).
    pub hlc: u64,
    /// The row's global id (UUIDv7 minted at the till); for a tombstone, the id of the deleted row.
    pub uid: Uuid,
    #[serde(flatten)]
    pub body: EventBody,
}

/// What changed: `{"entity":"incident","data":{…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "entity", content = "data", rename_all = "snake_case")]
pub enum EventBody {
    /// The incident's current fields (a put: replaces older versions, by HLC).
    Incident(IncidentData),
    /// A status change (append-only).
    IncidentStatus(StatusEventData),
    /// A timeline note (append-only).
    IncidentNote(NoteData),
    /// The terminal's current fields (a put).
    Terminal(TerminalData),
    /// The schedule's current fields, with its next due date and missed count as the till computed them.
    Schedule(ScheduleData),
    /// A maintenance event: done, skipped or snoozed (append-only; Undo sends a tombstone).
    MaintenanceEvent(MaintenanceEventData),
    /// The row `uid` of `entity` was deleted at the till.
    Tombstone(TombstoneData),
}

impl EventBody {
    pub fn entity(&self) -> Entity {
        match self {
            EventBody::Incident(_) => Entity::Incident,
            EventBody::IncidentStatus(_) => Entity::IncidentStatus,
            EventBody::IncidentNote(_) => Entity::IncidentNote,
            EventBody::Terminal(_) => Entity::Terminal,
            EventBody::Schedule(_) => Entity::Schedule,
            EventBody::MaintenanceEvent(_) => Entity::MaintenanceEvent,
            EventBody::Tombstone(t) => t.entity,
        }
    }
}

/// The kinds of synced rows (also the outbox's `entity` column at the till).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
        Entity::Incident,
        Entity::IncidentStatus,
        Entity::IncidentNote,
        Entity::Terminal,
        Entity::Schedule,
        Entity::MaintenanceEvent,
    ];

    /// The wire name (`incident_status`).
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Incident => "incident",
            Entity::IncidentStatus => "incident_status",
            Entity::IncidentNote => "incident_note",
            Entity::Terminal => "terminal",
            Entity::Schedule => "schedule",
            Entity::MaintenanceEvent => "maintenance_event",
        }
    }

    pub fn parse(s: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// Incident status, as the till's `incidents.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Waiting,
    Resolved,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Waiting => "waiting",
            Status::Resolved => "resolved",
        }
    }
}

/// One troubleshooting step recorded on an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepData {
    pub text: String,
    /// `tried`, `worked` or `did_not_work`.
    pub outcome: String,
}

/// An incident's fields (all text already masked by the till's store guard).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentData {
    /// RFC 3339 UTC.
    pub occurred_at: String,
    /// The terminal's name as the shop calls it ("Till 2").
    #[serde(default)]
    pub terminal: Option<String>,
    /// The terminal row's uid, when the name matches one of the till's terminals.
    #[serde(default)]
    pub terminal_uid: Option<Uuid>,
    /// The code as typed, and normalised.
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub code_key: Option<String>,
    /// `iso8583`, `cups`, `terminal`, `wechatpay`, `alipay`, `situation` or `custom`.
    #[serde(default)]
    pub scheme: Option<String>,
    #[serde(default)]
    pub symptom: String,
    /// Minor units (fen, cents).
    #[serde(default)]
    pub amount: Option<i64>,
    #[serde(default)]
    pub txn_ref: Option<String>,
    #[serde(default)]
    pub who: Option<String>,
    #[serde(default)]
    pub steps: Vec<StepData>,
    /// The status at the till when this version was sent; head office keeps whichever of this and the
    /// status events has the highest HLC.
    pub status: Status,
    #[serde(default)]
    pub resolution: String,
    /// RFC 3339 UTC; set exactly when `status` is resolved.
    #[serde(default)]
    pub resolved_at: Option<String>,
    /// RFC 3339 UTC.
    pub created_at: String,
}

/// A status change of an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusEventData {
    /// The incident's uid.
    pub incident: Uuid,
    pub to: Status,
    /// The status event this one superseded, if any.
    #[serde(default)]
    pub prev: Option<Uuid>,
    #[serde(default)]
    pub by: Option<String>,
    /// The resolution text, or a note given with the change.
    #[serde(default)]
    pub note: String,
    /// RFC 3339 UTC.
    pub at: String,
}

/// A timeline note of an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteData {
    /// The incident's uid.
    pub incident: Uuid,
    /// RFC 3339 UTC.
    pub at: String,
    pub text: String,
}

/// A terminal (card terminal, scanner, printer …) of the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminalData {
    pub name: String,
    /// `card_terminal`, `qr_scanner`, `receipt_printer`, `pin_pad` or `other`.
    pub kind: String,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub serial: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub provider: String,
    #[serde(default)]
    pub support_phone: String,
    #[serde(default)]
    pub firmware: String,
    #[serde(default)]
    pub notes: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub updated_at: String,
    /// Out of service since (RFC 3339 UTC).
    #[serde(default)]
    pub archived_at: Option<String>,
}

/// A maintenance task planned on a terminal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleData {
    /// The terminal's uid.
    pub terminal: Uuid,
    /// The task template's key (`daily.clean_reader`).
    pub task_key: String,
    /// The task's title as the till shows it, so head office needs no copy of the templates.
    #[serde(default)]
    pub task_title_zh: String,
    #[serde(default)]
    pub task_title_en: String,
    /// `calendar` or `after_done`.
    pub recurrence: String,
    pub every: u32,
    /// `day`, `week` or `month`.
    pub unit: String,
    /// `YYYY-MM-DD`.
    pub start_on: String,
    #[serde(default)]
    pub resolved_through: Option<String>,
    #[serde(default)]
    pub snoozed_until: Option<String>,
    /// The first occurrence not yet done or skipped (`YYYY-MM-DD`), as the till computed it when it sent
    /// this version; `None` for a schedule with nothing due (removed, or a standing task).
    #[serde(default)]
    pub next_due: Option<String>,
    /// Occurrences missed as of `next_due`'s computation.
    #[serde(default)]
    pub missed: u32,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// Taken off the terminal (RFC 3339 UTC); history kept.
    #[serde(default)]
    pub removed_at: Option<String>,
}

/// A maintenance event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaintenanceEventData {
    /// The schedule's uid.
    pub schedule: Uuid,
    /// `done`, `skipped` or `snoozed`.
    pub kind: String,
    /// `YYYY-MM-DD` for the next four.
    pub on_date: String,
    pub first_on: String,
    pub through_on: String,
    pub covers: u32,
    #[serde(default)]
    pub snoozed_until: Option<String>,
    /// `all_fine` or `problem_found` (done only).
    #[serde(default)]
    pub outcome: Option<String>,
    #[serde(default)]
    pub by_name: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub value_kind: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
    /// RFC 3339 UTC.
    pub recorded_at: String,
}

/// A deletion at the till (maintenance Undo, a schedule dropped with a terminal's kind, a note removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TombstoneData {
    pub entity: Entity,
    /// RFC 3339 UTC.
    pub at: String,
}

/// Reply to a push (`200`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PushResponse {
    /// The highest seq acknowledged in this epoch (outbox markers up to it may be deleted).
    pub acked_seq: u64,
    /// Events of this batch that changed something at head office (0 for a resent batch).
    pub applied: u64,
    /// Events refused for good, with the reason (see [`reason`]).
    #[serde(default)]
    pub rejected: Vec<Rejected>,
    /// Head office's clock, ms since the Unix epoch.
    pub server_time: i64,
    /// The highest HLC head office has seen from this device.
    pub max_hlc: u64,
    /// The device's current epoch.
    pub epoch: u32,
    /// True when this batch had already been applied (a resend): nothing changed.
    #[serde(default)]
    pub duplicate: bool,
}

/// An event head office will never accept as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    pub seq: u64,
    /// One of [`reason`]'s codes, then `: ` and details when there are any.
    pub reason: String,
}

/// Reasons an event is rejected (the start of [`Rejected::reason`]).
pub mod reason {
    /// The event is not an event of this protocol (unknown entity, missing field, wrong type).
    pub const MALFORMED: &str = "malformed";
    /// A field's value is out of range (bad date, unknown status, text too long …).
    pub const INVALID: &str = "invalid";
    /// The row, or its parent, belongs to another store.
    pub const OTHER_STORE: &str = "other_store";
}

/// `409` reply: the push's epoch is not the device's current epoch at head office. Nothing was applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpochConflict {
    /// Always `epoch_conflict`.
    pub error: String,
    /// The device's current epoch at head office.
    pub epoch: u32,
    /// The highest seq acknowledged in that epoch.
    pub acked_seq: u64,
    pub max_hlc: u64,
    pub server_time: i64,
}

/// `POST /v1/epoch`: start a new numbering of the outbox (after a restore, or on `409`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpochRequest {
    pub device_id: Uuid,
    /// The epoch the till was in (for head office's log).
    pub from_epoch: u32,
}

/// Reply to `POST /v1/epoch`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpochResponse {
    pub epoch: u32,
    /// 0: nothing acknowledged in the new epoch yet.
    pub acked_seq: u64,
    pub max_hlc: u64,
    pub server_time: i64,
}

/// Body of every error reply but `409`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorReply {
    /// A stable code: `bad_request`, `unauthorized`, `revoked`, `unknown_code`, `code_used`,
    /// `code_expired`, `too_large`, `unavailable`.
    pub error: String,
    /// A sentence for a person (English).
    pub message: String,
}

/// A hybrid logical clock value: 48 bits of milliseconds since the Unix epoch, then a 16-bit counter
/// (Kulkarni et al. 2014). Ordered like `u64`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Hlc(pub u64);

impl Hlc {
    const COUNTER_BITS: u32 = 16;
    const MS_MASK: u64 = (1 << 48) - 1;

    /// The value for wall-clock `ms` with counter 0 (negative times clamp to 0).
    pub fn from_ms(ms: i64) -> Hlc {
        let ms = u64::try_from(ms.max(0)).unwrap_or(0) & Self::MS_MASK;
        Hlc(ms << Self::COUNTER_BITS)
    }

    /// The milliseconds part.
    pub fn ms(self) -> i64 {
        i64::try_from(self.0 >> Self::COUNTER_BITS).unwrap_or(i64::MAX)
    }

    /// The counter part.
    pub fn counter(self) -> u16 {
        (self.0 & 0xffff) as u16
    }

    /// The next value to issue: after `last`, and no earlier than the wall clock `now_ms` (already
    /// corrected by the learned offset). Strictly increasing whatever the wall clock does.
    pub fn next(last: Hlc, now_ms: i64) -> Hlc {
        let wall = Hlc::from_ms(now_ms);
        if wall > last {
            wall
        } else {
            Hlc(last.0.saturating_add(1))
        }
    }

    /// The receive rule: after seeing `remote` (e.g. `max_hlc` from head office), the last value is the
    /// larger of the two.
    pub fn observe(last: Hlc, remote: Hlc) -> Hlc {
        last.max(remote)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_events() -> Vec<Event> {
        let inc = Uuid::now_v7();
        vec![
            Event {
                seq: 1,
                hlc: Hlc::from_ms(1_795_000_000_000).0,
                uid: inc,
                body: EventBody::Incident(IncidentData {
                    occurred_at: "2026-11-23T02:00:00Z".into(),
                    terminal: Some("T1".into()),
                    terminal_uid: None,
                    code: Some("51".into()),
                    code_key: Some("51".into()),
                    scheme: Some("iso8583".into()),
                    symptom: "余额不足".into(),
                    amount: Some(12800),
                    txn_ref: None,
                    who: Some("王芳".into()),
                    steps: vec![StepData {
                        text: "retry".into(),
                        outcome: "tried".into(),
                    }],
                    status: Status::Open,
                    resolution: String::new(),
                    resolved_at: None,
                    created_at: "2026-11-23T02:00:00Z".into(),
                }),
            },
            Event {
                seq: 2,
                hlc: Hlc::from_ms(1_795_000_000_000).0 + 1,
                uid: Uuid::now_v7(),
                body: EventBody::IncidentStatus(StatusEventData {
                    incident: inc,
                    to: Status::Resolved,
                    prev: None,
                    by: None,
                    note: "换线后正常".into(),
                    at: "2026-11-23T02:05:00Z".into(),
                }),
            },
            Event {
                seq: 3,
                hlc: Hlc::from_ms(1_795_000_000_000).0 + 2,
                uid: Uuid::now_v7(),
                body: EventBody::Tombstone(TombstoneData {
                    entity: Entity::MaintenanceEvent,
                    at: "2026-11-23T02:06:00Z".into(),
                }),
            },
        ]
    }

    #[test]
    fn a_batch_round_trips_and_reads_as_documented() {
        let batch = PushBatch {
            proto: PROTO,
            device_id: Uuid::now_v7(),
            epoch: FIRST_EPOCH,
            batch_id: Uuid::now_v7(),
            first_seq: 1,
            last_seq: 3,
            device_time: 1_795_000_000_000,
            pending: 0,
            app_version: "0.1.0".into(),
            schema_version: 7,
            events: sample_events(),
        };
        let json = serde_json::to_string(&batch).unwrap();
        assert!(
            json.contains(r#""entity":"incident","data":{"occurred_at""#),
            "{json}"
        );
        assert!(
            json.contains(r#""entity":"tombstone","data":{"entity":"maintenance_event""#),
            "{json}"
        );
        let back: PushBatch = serde_json::from_str(&json).unwrap();
        assert_eq!(back, batch);
        // Head office reads the events one by one.
        let raw: PushBatch<serde_json::Value> = serde_json::from_str(&json).unwrap();
        for (v, e) in raw.events.into_iter().zip(&batch.events) {
            assert_eq!(&serde_json::from_value::<Event>(v).unwrap(), e);
        }
    }

    #[test]
    fn an_unknown_entity_fails_alone() {
        let v = serde_json::json!({"seq": 4, "hlc": 5, "uid": Uuid::now_v7(), "entity": "wormhole", "data": {}});
        assert!(serde_json::from_value::<Event>(v).is_err());
    }

    #[test]
    fn hlc_is_strictly_increasing_whatever_the_clock_does() {
        let t = 1_795_000_000_000;
        let a = Hlc::next(Hlc::default(), t);
        assert_eq!(a.ms(), t);
        assert_eq!(a.counter(), 0);
        let b = Hlc::next(a, t); // same millisecond
        assert!(b > a && b.counter() == 1);
        let c = Hlc::next(b, t - 86_400_000); // clock set back a day
        assert!(c > b);
        let d = Hlc::next(c, 0); // 1970
        assert!(d > c);
        let e = Hlc::next(d, t + 1000);
        assert_eq!(e.ms(), t + 1000);
        assert_eq!(Hlc::observe(e, Hlc::from_ms(t + 5000)).ms(), t + 5000);
        assert_eq!(Hlc::observe(e, Hlc(3)), e);
        assert_eq!(Hlc::from_ms(-5), Hlc(0));
    }

    #[test]
    fn entity_names_round_trip() {
        for e in Entity::ALL {
            assert_eq!(Entity::parse(e.as_str()), Some(e));
            assert_eq!(
                serde_json::to_value(e).unwrap(),
                serde_json::json!(e.as_str())
            );
        }
    }
}
