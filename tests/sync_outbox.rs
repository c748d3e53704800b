//! The till's side of head-office sync without a server: migration 008 on a genuine schema-6 file,
//! the outbox markers every write leaves, and the sync client against an in-process head office that
//! follows `sync_proto`'s rules (idempotent by uid, newest HLC wins, epochs), through a transport that
//! can cut the connection before head office sees a batch or drop the reply after it committed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

#[path = "support/old_schema.rs"]
mod old_schema;

use jiff::Timestamp;
use posdesk::domain::incident::{IncidentDraft, IncidentStatus};
use posdesk::domain::maintenance::{DoneEntry, Outcome, TerminalInfo};
use posdesk::store::DB_FILE;
use posdesk::sync::{self, Reply, SyncFile, Transport, TransportError};
use posdesk::{Clock, Store};
use rusqlite::Connection;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use sync_proto::{
    EnrollResponse, EpochConflict, EpochRequest, EpochResponse, Event, EventBody, PushBatch,
    PushResponse,
};
use uuid::Uuid;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn draft(note: &str) -> IncidentDraft {
    IncidentDraft {
        code: Some("51".into()),
        terminal: Some("Till 1".into()),
        symptom: note.into(),
        ..IncidentDraft::default()
    }
}

fn filled(dir: &Path, clock: &Clock) -> Store {
    let mut s = Store::open_dir(dir).unwrap().with_clock(clock.clone());
    let till = s.add_terminal(&TerminalInfo::named("Till 1")).unwrap();
    for i in 0..5 {
        let id = s.create_incident(&draft(&format!("n{i}"))).unwrap().id;
        s.add_note(id, "called the bank").unwrap();
        if i % 2 == 0 {
            s.resolve(id, "swapped the cable").unwrap();
        }
    }
    let task = s.terminal_tasks(till.id, clock.today()).unwrap()[0].schedule;
    let entry = DoneEntry {
        done_on: clock.today(),
        outcome: Outcome::AllFine,
        by: "Wang".into(),
        note: String::new(),
        value: None,
    };
    s.mark_done(task, clock.today(), &entry).unwrap();
    s
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

const SYNCED: [&str; 6] = [
    "incidents",
    "incident_status_log",
    "incident_notes",
    "terminals",
    "schedules",
    "maintenance_events",
];

#[test]
fn a_schema_6_file_migrates_with_unique_ids_unchanged_counts_and_a_marker_per_row() {
    let d = tempfile::tempdir().unwrap();
    let clock = Clock::fixed(t("2026-11-20T09:00:00Z"));
    drop(filled(d.path(), &clock));
    let db = d.path().join(DB_FILE);
    old_schema::make_old(&db, 6);
    let before: BTreeMap<&str, i64> = {
        let c = Connection::open(&db).unwrap();
        SYNCED[..1]
            .iter()
            .chain(&SYNCED[2..])
            .map(|t| (*t, count(&c, &format!("SELECT count(*) FROM {t}"))))
            .collect()
    };
    assert_eq!(before["incidents"], 5);
    let store = Store::open(&db).unwrap();
    drop(store);
    let c = Connection::open(&db).unwrap();
    for (table, n) in &before {
        assert_eq!(
            count(&c, &format!("SELECT count(*) FROM {table}")),
            *n,
            "{table}"
        );
    }
    let mut all = std::collections::HashSet::new();
    for table in SYNCED {
        assert_eq!(
            count(
                &c,
                &format!("SELECT count(*) FROM {table} WHERE uid IS NULL")
            ),
            0,
            "{table}"
        );
        let mut stmt = c.prepare(&format!("SELECT uid FROM {table}")).unwrap();
        for uid in stmt.query_map([], |r| r.get::<_, String>(0)).unwrap() {
            let uid = uid.unwrap();
            let parsed = Uuid::parse_str(&uid).unwrap();
            assert_eq!(parsed.get_version_num(), 7, "{uid}");
            assert!(all.insert(uid), "{table}: a uid used twice");
        }
        // Every row is waiting to reach head office.
        assert_eq!(
            count(&c, &format!("SELECT count(*) FROM {table}")),
            count(
                &c,
                &format!(
                    "SELECT count(DISTINCT entity_key) FROM sync_outbox o JOIN {table} r ON r.uid = o.entity_key"
                )
            ),
            "{table}"
        );
    }
    // One status event per old incident, for the status it had.
    assert_eq!(
        count(&c, "SELECT count(*) FROM incident_status_log"),
        before["incidents"]
    );
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM incident_status_log l JOIN incidents i ON i.id = l.incident_id WHERE l.status = i.status"
        ),
        5
    );
    // An old incident's uid carries its own time.
    let uid: String = c
        .query_row("SELECT uid FROM incidents ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let (secs, _) = Uuid::parse_str(&uid)
        .unwrap()
        .get_timestamp()
        .unwrap()
        .to_unix();
    assert_eq!(secs as i64, t("2026-11-20T09:00:00Z").as_second());
}

fn markers(store_db: &Path) -> Vec<(String, String)> {
    let c = Connection::open(store_db).unwrap();
    let mut stmt = c
        .prepare("SELECT entity, op FROM sync_outbox ORDER BY seq")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn each_write_leaves_its_markers_and_undo_a_tombstone() {
    let d = tempfile::tempdir().unwrap();
    let clock = Clock::fixed(t("2026-11-20T09:00:00Z"));
    let mut s = Store::open_dir(d.path()).unwrap().with_clock(clock.clone());
    let db = d.path().join(DB_FILE);
    let base = markers(&db).len();
    let id = s.create_incident(&draft("no answer")).unwrap().id;
    let m = markers(&db);
    assert_eq!(
        m[base..],
        [
            ("incident".into(), "put".into()),
            ("incident_status".into(), "put".into())
        ]
    );
    s.add_note(id, "called").unwrap();
    s.set_status(id, IncidentStatus::Waiting).unwrap();
    s.resolve(id, "cable").unwrap();
    let m = markers(&db);
    let tail: Vec<&str> = m[base + 2..].iter().map(|(e, _)| e.as_str()).collect();
    assert_eq!(
        tail,
        [
            "incident_note",
            "incident",
            "incident_status",
            "incident",
            "incident_status"
        ]
    );
    // The history has every status, each after the one before.
    let c = Connection::open(&db).unwrap();
    let chain: Vec<(String, Option<String>, String)> = c
        .prepare("SELECT status, prev_uid, uid FROM incident_status_log WHERE incident_id = ?1 ORDER BY id")
        .unwrap()
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let statuses: Vec<&str> = chain.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(statuses, ["open", "waiting", "resolved"]);
    assert_eq!(chain[0].1, None);
    assert_eq!(chain[1].1.as_deref(), Some(chain[0].2.as_str()));
    assert_eq!(chain[2].1.as_deref(), Some(chain[1].2.as_str()));

    let till = s.add_terminal(&TerminalInfo::named("Till 2")).unwrap();
    let task = s.terminal_tasks(till.id, clock.today()).unwrap()[0].schedule;
    let entry = DoneEntry {
        done_on: clock.today(),
        outcome: Outcome::AllFine,
        by: "Wang".into(),
        note: String::new(),
        value: None,
    };
    let event = s
        .mark_done(task, clock.today(), &entry)
        .unwrap()
        .event
        .unwrap();
    let before_undo = markers(&db).len();
    s.undo(event).unwrap();
    let m = markers(&db);
    assert!(
        m[before_undo..].contains(&("maintenance_event".into(), "delete".into())),
        "{m:?}"
    );
    assert!(m[before_undo..].contains(&("schedule".into(), "put".into())));
    // Markers' HLC only grows.
    let hlcs: Vec<i64> = c
        .prepare("SELECT hlc FROM sync_outbox ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(hlcs.windows(2).all(|w| w[0] < w[1]), "{hlcs:?}");
    // The schedule marker carries its next due date and missed count.
    let (due, missed): (Option<String>, Option<i64>) = c
        .query_row(
            "SELECT due_on, missed FROM sync_outbox WHERE entity = 'schedule' ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(due.is_some() && missed == Some(0), "{due:?} {missed:?}");
}

#[test]
fn a_restore_marks_the_data_for_a_new_epoch() {
    let d = tempfile::tempdir().unwrap();
    let clock = Clock::fixed(t("2026-11-20T09:00:00Z"));
    let mut s = filled(d.path(), &clock);
    let backup = s.backup_now().unwrap().path;
    assert!(!s.sync_restored().unwrap());
    s.restore_from(&backup).unwrap();
    assert!(s.sync_restored().unwrap());
}

// ---- a head office in the test's own process -------------------------------------------------------

#[derive(Default)]
struct Row {
    hlc: u64,
    body: Option<EventBody>,
}

#[derive(Default)]
struct Hq {
    epoch: u32,
    acked_seq: u64,
    max_hlc: u64,
    rows: HashMap<Uuid, Row>,
    batches: HashMap<Uuid, PushResponse>,
    applied_events: u64,
}

/// Follows the protocol's rules on one device; counts what it applied.
struct FakeHq {
    hq: Mutex<Hq>,
    /// Head office's clock (ms).
    now_ms: AtomicI64,
    /// The next N requests never reach head office (a cut before upload completes).
    cut_before: AtomicU32,
    /// The next N pushes are committed but their reply is lost.
    drop_reply: AtomicU32,
    device: Uuid,
}

impl FakeHq {
    fn new(now: Timestamp) -> FakeHq {
        FakeHq {
            hq: Mutex::new(Hq {
                epoch: 1,
                ..Hq::default()
            }),
            now_ms: AtomicI64::new(now.as_millisecond()),
            cut_before: AtomicU32::new(0),
            drop_reply: AtomicU32::new(0),
            device: Uuid::now_v7(),
        }
    }

    fn incidents(&self) -> Vec<(Uuid, sync_proto::IncidentData, u64)> {
        self.hq
            .lock()
            .unwrap()
            .rows
            .iter()
            .filter_map(|(k, r)| match &r.body {
                Some(EventBody::Incident(d)) => Some((*k, d.clone(), r.hlc)),
                _ => None,
            })
            .collect()
    }

    fn json(status: u16, v: &impl serde::Serialize) -> Reply {
        Reply {
            status,
            body: serde_json::to_vec(v).unwrap(),
        }
    }

    fn apply(&self, batch: PushBatch) -> Reply {
        let mut hq = self.hq.lock().unwrap();
        let now = self.now_ms.load(Ordering::SeqCst);
        if batch.epoch != hq.epoch {
            return FakeHq::json(
                409,
                &EpochConflict {
                    error: "epoch_conflict".into(),
                    epoch: hq.epoch,
                    acked_seq: hq.acked_seq,
                    max_hlc: hq.max_hlc,
                    server_time: now,
                },
            );
        }
        if let Some(r) = hq.batches.get(&batch.batch_id) {
            let mut r = r.clone();
            r.duplicate = true;
            r.applied = 0;
            return FakeHq::json(200, &r);
        }
        let mut applied = 0;
        for Event { hlc, uid, body, .. } in batch.events {
            hq.max_hlc = hq.max_hlc.max(hlc);
            let row = hq.rows.entry(uid).or_default();
            let append_only = matches!(
                body,
                EventBody::IncidentStatus(_)
                    | EventBody::IncidentNote(_)
                    | EventBody::MaintenanceEvent(_)
            );
            let newer = hlc > row.hlc;
            let first = row.body.is_none() && row.hlc == 0;
            match body {
                EventBody::Tombstone(_) if newer => {
                    row.body = None;
                    row.hlc = hlc;
                    applied += 1;
                }
                EventBody::Tombstone(_) => {}
                body if (append_only && first) || (!append_only && newer) => {
                    row.body = Some(body);
                    row.hlc = hlc;
                    applied += 1;
                }
                _ => {}
            }
        }
        hq.applied_events += applied;
        hq.acked_seq = hq.acked_seq.max(batch.last_seq);
        let reply = PushResponse {
            acked_seq: hq.acked_seq,
            applied,
            rejected: vec![],
            server_time: now,
            max_hlc: hq.max_hlc,
            epoch: hq.epoch,
            duplicate: false,
        };
        hq.batches.insert(batch.batch_id, reply.clone());
        FakeHq::json(200, &reply)
    }
}

impl Transport for FakeHq {
    fn post(&self, url: &str, token: Option<&str>, json: &[u8]) -> Result<Reply, TransportError> {
        if self
            .cut_before
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return Err(TransportError("connection reset by peer".into()));
        }
        let now = self.now_ms.load(Ordering::SeqCst);
        if url.ends_with(sync_proto::ENROLL_PATH) {
            return Ok(FakeHq::json(
                200,
                &EnrollResponse {
                    device_id: self.device,
                    store_id: Uuid::now_v7(),
                    store_code: "STORE-A".into(),
                    token: "secret".into(),
                    epoch: 1,
                    server_time: now,
                },
            ));
        }
        assert_eq!(token, Some("secret"));
        if url.ends_with(sync_proto::EPOCH_PATH) {
            let req: EpochRequest = serde_json::from_slice(json).unwrap();
            assert_eq!(req.device_id, self.device);
            let mut hq = self.hq.lock().unwrap();
            hq.epoch += 1;
            hq.acked_seq = 0;
            return Ok(FakeHq::json(
                200,
                &EpochResponse {
                    epoch: hq.epoch,
                    acked_seq: 0,
                    max_hlc: hq.max_hlc,
                    server_time: now,
                },
            ));
        }
        let batch: PushBatch = serde_json::from_slice(json).unwrap();
        assert!(batch.events.len() <= sync::BATCH);
        let reply = self.apply(batch);
        if self
            .drop_reply
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return Err(TransportError("connection closed before the reply".into()));
        }
        Ok(reply)
    }
}

fn enrolled(clock: &Clock, hq: &FakeHq) -> (tempfile::TempDir, Store) {
    let d = tempfile::tempdir().unwrap();
    let s = filled(d.path(), clock);
    sync::enroll(d.path(), "http://hq.test", "ABCD-1234", "", hq, clock).unwrap();
    (d, s)
}

#[test]
fn a_sync_sends_everything_once_and_a_second_sends_nothing() {
    let clock = Clock::fixed(t("2026-11-20T09:00:00Z"));
    let hq = FakeHq::new(clock.now());
    let (d, mut s) = enrolled(&clock, &hq);
    let waiting = s.outbox_pending().unwrap();
    assert!(waiting > 10);
    let r = sync::sync_now(&mut s, d.path(), &hq).unwrap();
    assert_eq!(r.pending, 0);
    assert_eq!(r.rejected, 0);
    assert_eq!(r.pushed, r.acked);
    assert!(r.pushed > 0 && r.pushed <= waiting);
    assert_eq!(hq.incidents().len(), 5);
    let again = sync::sync_now(&mut s, d.path(), &hq).unwrap();
    assert_eq!(again, sync::Report::default());
    let file = SyncFile::load(d.path()).unwrap().unwrap();
    assert!(file.last_ok.is_some() && file.last_error.is_none());
}

#[test]
fn a_cut_connection_loses_nothing_and_a_lost_reply_applies_nothing_twice() {
    let clock = Clock::fixed(t("2026-11-20T09:00:00Z"));
    let hq = FakeHq::new(clock.now());
    let (d, mut s) = enrolled(&clock, &hq);
    let waiting = s.outbox_pending().unwrap();
    // Cut before head office saw anything: an error in both languages, every marker kept.
    hq.cut_before.store(1, Ordering::SeqCst);
    let e = sync::sync_now(&mut s, d.path(), &hq).unwrap_err();
    assert!(matches!(e, sync::SyncError::Unreachable { .. }), "{e}");
    assert_eq!(s.outbox_pending().unwrap(), waiting);
    let file = SyncFile::load(d.path()).unwrap().unwrap();
    let said = file.last_error.unwrap();
    assert!(said.en.contains("Nothing is lost") && said.zh.contains("没有丢失"));
    // Head office commits, the reply is lost: the markers stay, the resend changes nothing there.
    hq.drop_reply.store(1, Ordering::SeqCst);
    assert!(sync::sync_now(&mut s, d.path(), &hq).is_err());
    assert_eq!(s.outbox_pending().unwrap(), waiting);
    let applied = hq.hq.lock().unwrap().applied_events;
    assert!(applied > 0);
    let r = sync::sync_now(&mut s, d.path(), &hq).unwrap();
    assert_eq!(r.pending, 0);
    assert_eq!(
        hq.hq.lock().unwrap().applied_events,
        applied,
        "the resent batch applied nothing"
    );
    assert_eq!(hq.incidents().len(), 5);
    assert!(
        SyncFile::load(d.path())
            .unwrap()
            .unwrap()
            .last_error
            .is_none()
    );
}

#[test]
fn a_till_restored_from_an_old_backup_starts_an_epoch_and_head_office_keeps_everything() {
    let clock = Clock::fixed(t("2026-11-20T09:00:00Z"));
    let hq = FakeHq::new(clock.now());
    let (d, mut s) = enrolled(&clock, &hq);
    sync::sync_now(&mut s, d.path(), &hq).unwrap();
    let backup = s.backup_now().unwrap().path;
    // The lost future: five more incidents and an edit of the first, all at head office.
    clock.set(t("2026-11-21T09:00:00Z"));
    for i in 0..5 {
        s.create_incident(&draft(&format!("later {i}"))).unwrap();
    }
    let first = 1;
    s.edit_incident(
        first,
        &posdesk::domain::incident::IncidentEdit {
            symptom: Some("edited before the restore".into()),
            ..Default::default()
        },
    )
    .unwrap();
    sync::sync_now(&mut s, d.path(), &hq).unwrap();
    assert_eq!(hq.incidents().len(), 10);
    let epoch_before = hq.hq.lock().unwrap().epoch;
    // Restore the old backup; the PC's clock is now also an hour behind.
    s.restore_from(&backup).unwrap();
    clock.set(t("2026-11-21T08:00:00Z"));
    s.create_incident(&draft("after the restore")).unwrap();
    s.edit_incident(
        first,
        &posdesk::domain::incident::IncidentEdit {
            symptom: Some("edited after the restore".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let r = sync::sync_now(&mut s, d.path(), &hq).unwrap();
    assert_eq!(r.pending, 0);
    assert_eq!(hq.hq.lock().unwrap().epoch, epoch_before + 1);
    assert_eq!(
        SyncFile::load(d.path()).unwrap().unwrap().epoch,
        epoch_before + 1
    );
    assert!(!s.sync_restored().unwrap());
    // Nothing lost at head office (10 + 1, no uid reused), and the post-restore edit wins although
    // the restored clock was behind the lost one.
    let incidents = hq.incidents();
    assert_eq!(incidents.len(), 11);
    let symptoms: Vec<&str> = incidents
        .iter()
        .map(|(_, d, _)| d.symptom.as_str())
        .collect();
    assert!(
        symptoms.contains(&"edited after the restore"),
        "{symptoms:?}"
    );
    assert!(!symptoms.contains(&"edited before the restore"));
    assert!(symptoms.contains(&"later 4"));
}

#[test]
fn a_wrong_pc_clock_is_noticed_both_ways() {
    for (pc, hq_time, ahead) in [
        ("2026-11-23T02:00:00Z", "2026-11-20T02:00:00Z", true),
        ("2025-11-20T02:00:00Z", "2026-11-20T02:00:00Z", false),
    ] {
        let clock = Clock::fixed(t(pc));
        let hq = FakeHq::new(t(hq_time));
        let (d, mut s) = enrolled(&clock, &hq);
        sync::sync_now(&mut s, d.path(), &hq).unwrap();
        let file = SyncFile::load(d.path()).unwrap().unwrap();
        let skew = file.clock_skew_ms.unwrap();
        assert_eq!(skew > 0, ahead, "{skew}");
        let w = file.clock_warning().unwrap();
        assert!(
            w.en.contains(if ahead { "ahead of" } else { "behind" }),
            "{}",
            w.en
        );
        assert!(w.zh.contains("时钟"));
        // New changes are ordered by head office's time, not the wrong clock.
        let hlc_before = s.sync_hlc_last().unwrap();
        s.create_incident(&draft("after")).unwrap();
        let hlc = s.sync_hlc_last().unwrap();
        assert!(hlc > hlc_before);
        if !ahead {
            // A clock a year behind: new changes are stamped near head office's time.
            let ms = hlc >> 16;
            assert!((ms - t(hq_time).as_millisecond()).abs() < 60_000, "{ms}");
        }
    }
    assert!(sync::clock_warning(30_000).is_none());
}

#[test]
fn without_enrollment_sync_says_so_and_the_identity_is_not_an_output() {
    let d = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(d.path()).unwrap();
    let hq = FakeHq::new(Timestamp::now());
    let e = sync::sync_now(&mut s, d.path(), &hq).unwrap_err();
    assert!(matches!(e, sync::SyncError::NotEnrolled));
    assert!(posdesk::fsx::is_owned(
        d.path(),
        &d.path().join(sync::IDENTITY_FILE)
    ));
}
