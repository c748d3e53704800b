//! Head office against a real PostgreSQL: enrollment, pushes, idempotency, ownership, faults, views.
//!
//! Run under `pg_virtualenv` (see tests/common). Each test has a database of its own.
#![allow(clippy::unwrap_used, clippy::expect_used)] // helpers shared by the tests, which fail loudly

mod common;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sync_proto::{
    ENROLL_PATH, EPOCH_PATH, EnrollRequest, Entity, EpochRequest, EpochResponse, EventBody,
    MaintenanceEventData, ScheduleData, Status, TerminalData, TombstoneData, bearer,
};
use uuid::Uuid;

macro_rules! hq {
    () => {
        match Hq::start().await {
            Some(hq) => hq,
            None => return,
        }
    };
}

fn terminal_data(name: &str, at: &str) -> TerminalData {
    TerminalData {
        name: name.into(),
        kind: "card_terminal".into(),
        model: "VX520".into(),
        serial: "S1".into(),
        location: String::new(),
        provider: String::new(),
        support_phone: String::new(),
        firmware: "1.0".into(),
        notes: String::new(),
        created_at: at.into(),
        updated_at: at.into(),
        archived_at: None,
    }
}

fn schedule_data(terminal: Uuid, next_due: &str, missed: u32, at: &str) -> ScheduleData {
    ScheduleData {
        terminal,
        task_key: "daily.clean_reader".into(),
        task_title_zh: "清洁读卡器".into(),
        task_title_en: "Clean the card reader".into(),
        recurrence: "calendar".into(),
        every: 1,
        unit: "day".into(),
        start_on: "2026-01-01".into(),
        resolved_through: None,
        snoozed_until: None,
        next_due: Some(next_due.into()),
        missed,
        created_at: at.into(),
        removed_at: None,
    }
}

fn done_event(schedule: Uuid, at: &str) -> MaintenanceEventData {
    MaintenanceEventData {
        schedule,
        kind: "done".into(),
        on_date: "2026-11-20".into(),
        first_on: "2026-11-20".into(),
        through_on: "2026-11-20".into(),
        covers: 1,
        snoozed_until: None,
        outcome: Some("all_fine".into()),
        by_name: "王芳".into(),
        note: String::new(),
        value_kind: None,
        value: None,
        recorded_at: at.into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_twice_partitions_and_a_reader_that_sees_only_views() {
    let mut hq = hq!();
    assert!(
        posdesk_hq::migrate::migrate(&mut hq.sql)
            .await
            .unwrap()
            .is_empty(),
        "second migrate applies nothing"
    );
    assert_eq!(
        posdesk_hq::migrate::schema_version(&hq.sql).await.unwrap(),
        2
    );
    let month = jiff::Timestamp::now().strftime("%Y_%m").to_string();
    for t in ["incident", "incident_status_event", "incident_note"] {
        assert_eq!(
            hq.count(&format!("SELECT count(*) FROM pg_tables WHERE schemaname = 'posdesk' AND tablename = '{t}_{month}'"))
                .await,
            1,
            "{t} has this month's partition"
        );
    }
    // A till whose clock was 8 months ahead: its incident waits in DEFAULT, then gets its month.
    let mut till = hq.till("STORE-A").await;
    till.clock_offset_ms = 240 * 86_400_000;
    let (uid, ev) = till.new_incident("51", "future");
    till.clock_offset_ms = 0;
    let n = till.note(uid, "a note on it");
    till.push(&till.batch(vec![ev, n])).await;
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.incident_default")
            .await,
        1
    );
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.incident_note_default")
            .await,
        1
    );
    assert!(
        posdesk_hq::migrate::ensure_partitions(&hq.sql)
            .await
            .unwrap()
            >= 1
    );
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.incident_default")
            .await,
        0
    );
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.incident_note_default")
            .await,
        0
    );
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.v_incidents").await,
        1
    );
    let part: String = hq
        .sql
        .query_one(
            "SELECT tableoid::regclass::text FROM posdesk.incident WHERE id = $1",
            &[&uid],
        )
        .await
        .unwrap()
        .get(0);
    assert!(
        part.starts_with("posdesk.incident_20"),
        "moved to its month: {part}"
    );

    // The reader role: the views, and nothing else.
    hq.sql
        .batch_execute("SET ROLE posdesk_reader")
        .await
        .unwrap();
    for v in [
        "v_incidents",
        "v_open_incidents",
        "v_overdue_maintenance",
        "v_device_health",
        "v_incidents_daily",
    ] {
        hq.sql
            .query(&format!("SELECT * FROM posdesk.{v}"), &[])
            .await
            .unwrap_or_else(|e| panic!("{v}: {e}"));
    }
    for t in ["incident", "device", "store", "terminal"] {
        let err = hq
            .sql
            .query(&format!("SELECT * FROM posdesk.{t}"), &[])
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("permission denied")
                || format!("{err:?}").contains("permission denied"),
            "{t}: {err:?}"
        );
    }
    assert!(
        hq.sql
            .batch_execute("DELETE FROM posdesk.v_incidents")
            .await
            .is_err()
    );
    hq.sql.batch_execute("RESET ROLE").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_stores_push_and_the_views_name_both() {
    let hq = hq!();
    for store in ["STORE-A", "STORE-B"] {
        let mut till = hq.till(store).await;
        let mut events = Vec::new();
        for i in 1..=3 {
            let (_, ev) = till.new_incident("51", &format!("n{i}"));
            events.push(ev);
        }
        let r = till.push(&till.batch(events)).await;
        assert_eq!(
            (r.applied, r.acked_seq, r.rejected.len(), r.duplicate),
            (3, 3, 0, false),
            "{r:?}"
        );
        assert!(r.max_hlc > 0 && r.max_hlc == till.hlc.0);
    }
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.v_incidents").await,
        6
    );
    assert_eq!(
        hq.count("SELECT count(DISTINCT store) FROM posdesk.v_incidents")
            .await,
        2
    );
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.v_open_incidents")
            .await,
        6
    );
    let rows = hq
        .sql
        .query("SELECT store, code, scheme, terminal, status, note FROM posdesk.v_incidents ORDER BY store, note", &[])
        .await
        .unwrap();
    let first: Vec<String> = (0..6)
        .map(|i| rows[0].get::<_, Option<String>>(i).unwrap_or_default())
        .collect();
    assert_eq!(first, ["STORE-A", "51", "iso8583", "T1", "open", "n1"]);
    assert_eq!(rows[5].get::<_, String>(0), "STORE-B");
    let health = hq
        .sql
        .query("SELECT store, batches, events_applied, clock_wrong FROM posdesk.v_device_health ORDER BY store", &[])
        .await
        .unwrap();
    assert_eq!(health.len(), 2);
    assert_eq!(health[0].get::<_, i64>(1), 1);
    assert_eq!(health[0].get::<_, i64>(2), 3);
    assert!(!health[0].get::<_, bool>(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrollment_codes_and_tokens_are_checked() {
    let hq = hq!();
    let code = hq.code("STORE-A").await;
    let enroll = |code: String| {
        hq.http
            .post(hq.url(ENROLL_PATH))
            .json(&EnrollRequest {
                code,
                device_name: String::new(),
                app_version: String::new(),
            })
            .send()
    };
    // Typed loosely (lower case, spaces instead of dashes): still the code.
    let r = enroll(code.to_lowercase().replace('-', " ")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = enroll(code.clone()).await.unwrap();
    assert_eq!(r.status(), StatusCode::GONE);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "code_used");
    let r = enroll("AAAA-BBBB-CCCC".into()).await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let expired = hq.code("STORE-A").await;
    hq.sql.batch_execute("UPDATE posdesk.enroll_code SET expires_at = now() - interval '1 second' WHERE used_at IS NULL")
        .await
        .unwrap();
    let r = enroll(expired).await.unwrap();
    assert_eq!(r.status(), StatusCode::GONE);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "code_expired");
    let r = hq
        .http
        .post(hq.url(ENROLL_PATH))
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    let mut till = hq.till("STORE-A").await;
    let (_, ev) = till.new_incident("51", "x");
    let batch = till.batch(vec![ev]);
    // No token, a wrong token: 401.
    let r = hq
        .http
        .post(hq.url(sync_proto::PUSH_PATH))
        .json(&batch)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = hq
        .http
        .post(hq.url(sync_proto::PUSH_PATH))
        .header("authorization", bearer("0000"))
        .json(&batch)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // A token of one device with another device's id: 403.
    let other = hq.till("STORE-A").await;
    let mut wrong = batch.clone();
    wrong.device_id = other.device_id;
    assert_eq!(till.push_json(&wrong).await.0, StatusCode::FORBIDDEN);
    // Too many events, or an unknown protocol: 400, nothing applied.
    let mut big = batch.clone();
    big.events = vec![batch.events[0].clone(); sync_proto::MAX_EVENTS + 1];
    assert_eq!(till.push_json(&big).await.0, StatusCode::BAD_REQUEST);
    let mut future = batch.clone();
    future.proto = 99;
    assert_eq!(till.push_json(&future).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(
        till.push_json(&json!({"proto": 1})).await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(hq.count("SELECT count(*) FROM posdesk.incident").await, 0);
    // Revoked: 403, and the till is told in words.
    hq.sql
        .execute(
            "UPDATE posdesk.device SET revoked_at = now() WHERE id = $1",
            &[&till.device_id],
        )
        .await
        .unwrap();
    let (status, body) = till.push_json(&batch).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "revoked");
    assert!(body["message"].as_str().unwrap().contains("removed"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gzip_both_ways() {
    let hq = hq!();
    let mut till = hq.till("STORE-A").await;
    let events: Vec<_> = (0..50)
        .map(|i| till.new_incident("51", &format!("gz{i}")).1)
        .collect();
    let body = serde_json::to_vec(&till.batch(events)).unwrap();
    let packed = gzip(&body);
    assert!(
        packed.len() * 3 < body.len(),
        "gzip shrinks a batch: {} -> {}",
        body.len(),
        packed.len()
    );
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    let r = raw
        .post(hq.url(sync_proto::PUSH_PATH))
        .header("authorization", bearer(&till.token))
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .header("accept-encoding", "gzip")
        .body(packed)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap().to_string()),
        Some("gzip".into())
    );
    let bytes = r.bytes().await.unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text)
        .unwrap();
    let reply: sync_proto::PushResponse = serde_json::from_str(&text).unwrap();
    assert_eq!(reply.applied, 50);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resent_batch_changes_nothing() {
    let hq = hq!();
    let mut till = hq.till("STORE-A").await;
    let (inc, ev) = till.new_incident("51", "first");
    let note = till.note(inc, "called the bank");
    let status = till.status(inc, Status::Resolved, "换线后正常");
    let batch = till.batch(vec![ev.clone(), note.clone(), status.clone()]);
    let first = till.push(&batch).await;
    assert_eq!(first.applied, 3);
    let before = hq.snapshot().await;
    let applied_sum = "SELECT sum(n_applied)::bigint FROM posdesk.sync_batch";
    assert_eq!(hq.count(applied_sum).await, 3);

    // The same batch again (the reply was lost): the first reply, flagged duplicate, nothing changed.
    for _ in 0..3 {
        let again = till.push(&batch).await;
        assert!(again.duplicate);
        assert_eq!(
            (again.applied, again.acked_seq, again.max_hlc),
            (0, first.acked_seq, first.max_hlc)
        );
    }
    // The same events in a new batch (the till rebuilt it): still nothing.
    let rebuilt = till.push(&till.batch(vec![ev.clone(), note, status])).await;
    assert!(!rebuilt.duplicate);
    assert_eq!(rebuilt.applied, 0);
    assert_eq!(hq.snapshot().await, before);
    assert_eq!(hq.count(applied_sum).await, 3);
    assert_eq!(hq.count("SELECT count(*) FROM posdesk.sync_batch").await, 2);

    // A newer version applies; the older one sent again afterwards does not undo it.
    let mut edited = ev.clone();
    if let EventBody::Incident(d) = &mut edited.body {
        d.symptom = "edited".into();
        d.status = Status::Resolved;
        d.resolution = "换线后正常".into();
        d.resolved_at = Some(rfc3339(now_ms()));
    }
    let edited = till.event(inc, edited.body);
    assert_eq!(till.push(&till.batch(vec![edited])).await.applied, 1);
    assert_eq!(till.push(&till.batch(vec![ev])).await.applied, 0);
    let row = hq
        .sql
        .query_one("SELECT symptom, status FROM posdesk.incident", &[])
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "edited");
    assert_eq!(row.get::<_, String>(1), "resolved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reordered_batches_end_in_the_same_state() {
    let hq = hq!();
    // Two tills of two stores do the same things; one's batches arrive in order, the other's reversed.
    let mut finals = Vec::new();
    for (store, reversed) in [("IN-ORDER", false), ("REVERSED", true)] {
        let mut till = hq.till(store).await;
        let at = rfc3339(now_ms());
        let (inc, create) = till.new_incident("A0", "reader dead");
        let term = till.uid();
        let t = till.event(term, EventBody::Terminal(terminal_data("Till 2", &at)));
        let sched = till.uid();
        let s = till.event(
            sched,
            EventBody::Schedule(schedule_data(term, "2026-01-05", 3, &at)),
        );
        let me = till.uid();
        let m = till.event(me, EventBody::MaintenanceEvent(done_event(sched, &at)));
        let b1 = till.batch(vec![create.clone(), t, s, m]);

        let mut edit = create.body.clone();
        if let EventBody::Incident(d) = &mut edit {
            d.symptom = "reader dead, cable replaced".into();
        }
        let edit = till.event(inc, edit);
        let st = till.status(inc, Status::Resolved, "new cable");
        let n = till.note(inc, "bank says ok");
        let undo = till.event(
            me,
            EventBody::Tombstone(TombstoneData {
                entity: Entity::MaintenanceEvent,
                at: at.clone(),
            }),
        );
        let s2 = till.event(
            sched,
            EventBody::Schedule(schedule_data(term, "2026-01-06", 0, &at)),
        );
        let b2 = till.batch(vec![edit, st, n, undo, s2]);

        let order = if reversed { [&b2, &b1] } else { [&b1, &b2] };
        for b in order {
            till.push(b).await;
        }
        let acked: i64 = hq
            .sql
            .query_one(
                "SELECT acked_seq FROM posdesk.device WHERE id = $1",
                &[&till.device_id],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(acked, 9, "{store}");
        let row = hq
            .sql
            .query_one(
                "SELECT i.symptom, i.status, i.resolution, i.resolved_at IS NOT NULL,
                        (SELECT count(*) FROM posdesk.incident_note n WHERE n.incident_id = i.id),
                        (SELECT count(*) FROM posdesk.incident_status_event e WHERE e.incident_id = i.id),
                        (SELECT count(*) FROM posdesk.maintenance_event m WHERE m.store_id = i.store_id AND m.deleted_at IS NULL),
                        (SELECT count(*) FROM posdesk.maintenance_event m WHERE m.store_id = i.store_id),
                        (SELECT next_due_on::text || '/' || missed FROM posdesk.schedule sc WHERE sc.store_id = i.store_id)
                 FROM posdesk.incident i WHERE i.id = $1",
                &[&inc],
            )
            .await
            .unwrap();
        let state = format!(
            "{}|{}|{}|{}|{}|{}|{}|{}|{}",
            row.get::<_, String>(0),
            row.get::<_, String>(1),
            row.get::<_, String>(2),
            row.get::<_, bool>(3),
            row.get::<_, i64>(4),
            row.get::<_, i64>(5),
            row.get::<_, i64>(6),
            row.get::<_, i64>(7),
            row.get::<_, String>(8),
        );
        finals.push(state);
    }
    assert_eq!(
        finals[0],
        "reader dead, cable replaced|resolved|new cable|true|1|1|0|1|2026-01-06/0"
    );
    assert_eq!(finals[0], finals[1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_office_dies_before_commit_and_the_retry_applies_once() {
    let hq = hq!();
    let mut till = hq.till("STORE-A").await;
    let events: Vec<_> = (0..20)
        .flat_map(|i| {
            let (inc, ev) = till.new_incident("51", &format!("k{i}"));
            let n = till.note(inc, "note");
            [ev, n]
        })
        .collect();
    let batch = till.batch(events);
    hq.state.hooks.fail_before_commit.store(2, Ordering::SeqCst);
    for _ in 0..2 {
        let (status, body) = till.push_json(&batch).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(body["error"], "unavailable");
    }
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.incident").await,
        0,
        "rolled back"
    );
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.incident_note").await,
        0
    );
    assert_eq!(hq.count("SELECT count(*) FROM posdesk.sync_batch").await, 0);
    assert_eq!(hq.count("SELECT acked_seq FROM posdesk.device").await, 0);
    let r = till.push(&batch).await;
    assert_eq!((r.applied, r.acked_seq, r.duplicate), (40, 40, false));
    let r = till.push(&batch).await;
    assert!(r.duplicate);
    assert_eq!(hq.count("SELECT count(*) FROM posdesk.incident").await, 20);
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.incident_note").await,
        20
    );
    assert_eq!(
        hq.count("SELECT sum(n_applied)::bigint FROM posdesk.sync_batch")
            .await,
        40
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_event_is_rejected_alone() {
    let hq = hq!();
    let mut till = hq.till("STORE-A").await;
    let (inc, good) = till.new_incident("51", "good");
    let mut bad_date = till.new_incident("51", "bad date").1;
    if let EventBody::Incident(d) = &mut bad_date.body {
        d.occurred_at = "yesterday".into();
    }
    let mut nul = till.new_incident("51", "nul").1;
    if let EventBody::Incident(d) = &mut nul.body {
        d.symptom = "a\0b".into();
    }
    // Passes the checks in Rust, refused by PostgreSQL (year 0): the savepoint path rejects it alone.
    let mut year0 = till.new_incident("51", "year 0").1;
    if let EventBody::Incident(d) = &mut year0.body {
        d.occurred_at = "0000-01-01T00:00:00Z".into();
    }
    let delete_incident = till.event(
        inc,
        EventBody::Tombstone(TombstoneData {
            entity: Entity::Incident,
            at: rfc3339(now_ms()),
        }),
    );
    let note = till.note(inc, "still here");
    let mut batch =
        serde_json::to_value(till.batch(vec![good, bad_date, nul, year0, delete_incident, note]))
            .unwrap();
    let events = batch["events"].as_array_mut().unwrap();
    events.insert(
        1,
        json!({"seq": 100, "hlc": 1, "uid": Uuid::now_v7(), "entity": "wormhole", "data": {}}),
    );
    events.insert(
        2,
        json!({"seq": 101, "hlc": 1, "uid": Uuid::now_v7(), "entity": "incident_status",
        "data": {"incident": inc, "to": "lost", "at": "2026-11-23T02:00:00Z"}}),
    );
    let (status, body) = till.push_json(&batch).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let reply: sync_proto::PushResponse = serde_json::from_value(body).unwrap();
    assert_eq!(reply.applied, 2, "{reply:?}");
    let reasons: Vec<(u64, String)> = reply
        .rejected
        .iter()
        .map(|r| (r.seq, r.reason.split(':').next().unwrap().to_string()))
        .collect();
    assert_eq!(
        reasons,
        [
            (2, "invalid".into()),
            (3, "invalid".into()),
            (4, "invalid".into()),
            (5, "invalid".into()),
            (100, "malformed".into()),
            (101, "malformed".into())
        ]
    );
    assert!(
        reply.rejected[0].reason.contains("occurred_at"),
        "{:?}",
        reply.rejected[0]
    );
    assert!(
        reply.rejected[2].reason.contains("out of range"),
        "{:?}",
        reply.rejected[2]
    );
    assert_eq!(reply.acked_seq, 6);
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.v_incidents").await,
        1
    );
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.incident_note").await,
        1
    );
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.sync_rejected").await,
        6
    );
    assert_eq!(
        hq.count("SELECT events_rejected FROM posdesk.v_device_health")
            .await,
        6
    );
    // The queue goes on: the next batch is taken.
    let (_, next) = till.new_incident("51", "next");
    assert_eq!(till.push(&till.batch(vec![next])).await.applied, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_till_cannot_write_another_stores_rows() {
    let hq = hq!();
    let mut a = hq.till("STORE-A").await;
    let mut b = hq.till("STORE-B").await;
    let at = rfc3339(now_ms());
    let (inc, ev) = a.new_incident("51", "A's incident");
    let note = a.note(inc, "A's note");
    let note_uid = note.uid;
    let term = a.uid();
    let t = a.event(term, EventBody::Terminal(terminal_data("A-T1", &at)));
    let sched = a.uid();
    let s = a.event(
        sched,
        EventBody::Schedule(schedule_data(term, "2026-01-05", 1, &at)),
    );
    assert_eq!(
        a.push(&a.batch(vec![ev.clone(), note, t.clone(), s.clone()]))
            .await
            .applied,
        4
    );
    let before = hq.snapshot().await;

    // B knows A's ids (say, from a copied database) and tries everything, with newer HLCs.
    b.hlc = sync_proto::Hlc(a.hlc.0 + 1000);
    let mut attacks = Vec::new();
    let mut body = ev.body.clone();
    if let EventBody::Incident(d) = &mut body {
        d.symptom = "overwritten by B".into();
    }
    attacks.push(b.event(inc, body));
    attacks.push(b.status(inc, Status::Resolved, "closed by B"));
    attacks.push(b.note(inc, "B's note on A's incident"));
    let mut tb = t.body.clone();
    if let EventBody::Terminal(d) = &mut tb {
        d.name = "stolen".into();
    }
    attacks.push(b.event(term, tb));
    attacks.push(b.event(sched, s.body.clone()));
    let new_sched = b.uid();
    attacks.push(b.event(
        new_sched,
        EventBody::Schedule(schedule_data(term, "2026-01-01", 9, &at)),
    ));
    let me = b.uid();
    attacks.push(b.event(me, EventBody::MaintenanceEvent(done_event(sched, &at))));
    attacks.push(b.event(
        term,
        EventBody::Tombstone(TombstoneData {
            entity: Entity::Terminal,
            at: at.clone(),
        }),
    ));
    attacks.push(b.event(
        note_uid,
        EventBody::Tombstone(TombstoneData {
            entity: Entity::IncidentNote,
            at: at.clone(),
        }),
    ));
    let n = attacks.len();
    let (_, own) = b.new_incident("51", "B's own");
    attacks.push(own);
    let r = b.push(&b.batch(attacks)).await;
    assert_eq!(r.rejected.len(), n, "{r:?}");
    assert!(
        r.rejected
            .iter()
            .all(|x| x.reason.starts_with("other_store")),
        "{r:?}"
    );
    assert_eq!(r.applied, 1, "B's own incident is taken");
    let mut after = hq.snapshot().await;
    after.retain(|row| !row.contains(&b.store_id.to_string()));
    assert_eq!(after, before, "A's rows are untouched");
    assert_eq!(hq.count("SELECT count(*) FROM posdesk.v_incidents WHERE store = 'STORE-A' AND note = 'A''s incident' AND status = 'open'").await, 1);
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.v_overdue_maintenance WHERE store = 'STORE-B'")
            .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clock_skew_both_ways_is_recorded_and_shown() {
    let hq = hq!();
    let day = 86_400_000;
    let cases = [
        ("RIGHT", 0i64),
        ("AHEAD", 3 * day),
        ("BEHIND", -365 * day),
        ("Y1970", -now_ms()),
    ];
    for (store, offset) in cases {
        let mut till = hq.till(store).await;
        till.clock_offset_ms = offset;
        let (_, ev) = till.new_incident("51", store);
        let r = till.push(&till.batch(vec![ev])).await;
        assert_eq!(r.applied, 1);
        // What the till learns: head office's time, so it can correct its own.
        assert!((r.server_time - now_ms()).abs() < 10_000);
    }
    let rows = hq
        .sql
        .query("SELECT store, skew_ms, clock_wrong, incidents_with_wrong_time FROM posdesk.v_device_health", &[])
        .await
        .unwrap();
    for row in rows {
        let store: String = row.get(0);
        let skew: i64 = row.get(1);
        let wrong: bool = row.get(2);
        let in_default: i64 = row.get(3);
        let want = cases.iter().find(|c| c.0 == store).unwrap().1;
        assert!(
            (skew - want).abs() < 10_000,
            "{store}: skew {skew} ms, want about {want}"
        );
        assert_eq!(wrong, want != 0, "{store}");
        assert_eq!(
            in_default,
            i64::from(store == "Y1970"),
            "{store}: a 1970 id waits in DEFAULT"
        );
    }
    // Every incident is still in the views, whatever its till's clock said.
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.v_incidents").await,
        4
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_epoch_after_a_restore_resends_without_duplicates() {
    let hq = hq!();
    let mut till = hq.till("STORE-A").await;
    let mut sent = Vec::new();
    for i in 0..5 {
        sent.push(till.new_incident("51", &format!("e{i}")).1);
    }
    let r = till.push(&till.batch(sent.clone())).await;
    assert_eq!((r.acked_seq, r.epoch), (5, 1));
    let max_hlc = r.max_hlc;

    // A push in an epoch head office has not started: 409 with what it knows, nothing applied.
    let lost = till.new_incident("51", "lost?").1;
    let mut wrong = till.batch(vec![lost]);
    wrong.epoch = 2;
    let (status, body) = till.push_json(&wrong).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let conflict: sync_proto::EpochConflict = serde_json::from_value(body).unwrap();
    assert_eq!(
        (
            conflict.error.as_str(),
            conflict.epoch,
            conflict.acked_seq,
            conflict.max_hlc
        ),
        ("epoch_conflict", 1, 5, max_hlc)
    );

    // The till was restored from a backup taken after 2 events: its seq and HLC went back.
    till.seq = 2;
    till.hlc = sync_proto::Hlc(sent[1].hlc);
    let r = hq
        .http
        .post(hq.url(EPOCH_PATH))
        .header("authorization", bearer(&till.token))
        .json(&EpochRequest {
            device_id: till.device_id,
            from_epoch: 1,
        })
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let e: EpochResponse = r.json().await.unwrap();
    assert_eq!((e.epoch, e.acked_seq, e.max_hlc), (2, 0, max_hlc));
    till.epoch = e.epoch;
    till.hlc = sync_proto::Hlc::observe(till.hlc, sync_proto::Hlc(e.max_hlc));

    // It re-sends what it has (old events, same uids) and new work; nothing twice, nothing lost.
    let mut resend: Vec<_> = sent[..2].to_vec();
    for (i, ev) in resend.iter_mut().enumerate() {
        ev.seq = i as u64 + 1;
    }
    let (_, new) = till.new_incident("51", "after restore");
    let mut edit = sent[0].clone();
    if let EventBody::Incident(d) = &mut edit.body {
        d.symptom = "edited after restore".into();
    }
    let edit = till.event(sent[0].uid, edit.body);
    resend.push(new);
    resend.push(edit);
    let r = till.push(&till.batch(resend)).await;
    assert_eq!((r.applied, r.acked_seq, r.epoch), (2, 4, 2), "{r:?}");
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.v_incidents").await,
        6
    );
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.v_incidents WHERE note = 'edited after restore'")
            .await,
        1,
        "the edit after the restore wins although the restored HLC was behind (max_hlc from head office)"
    );
    // The old epoch is closed.
    let late = till.new_incident("51", "old epoch").1;
    let mut old = till.batch(vec![late]);
    old.epoch = 1;
    assert_eq!(till.push_json(&old).await.0, StatusCode::CONFLICT);
    assert_eq!(
        hq.count("SELECT epoch_changes::bigint FROM posdesk.v_device_health")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overdue_maintenance_view() {
    let hq = hq!();
    let mut till = hq.till("SH001").await;
    let at = rfc3339(now_ms());
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::get("Asia/Shanghai").unwrap())
        .date();
    let overdue = today
        .checked_sub(jiff::Span::new().days(3))
        .unwrap()
        .to_string();
    let later = today
        .checked_add(jiff::Span::new().days(3))
        .unwrap()
        .to_string();
    let t1 = till.uid();
    let t2 = till.uid();
    let mut ev = vec![
        till.event(t1, EventBody::Terminal(terminal_data("Till 1", &at))),
        till.event(t2, EventBody::Terminal(terminal_data("Till 2", &at))),
    ];
    let s1 = till.uid();
    ev.push(till.event(s1, EventBody::Schedule(schedule_data(t1, &overdue, 3, &at))));
    let s2 = till.uid();
    ev.push(till.event(s2, EventBody::Schedule(schedule_data(t1, &later, 0, &at))));
    let s3 = till.uid();
    ev.push(till.event(s3, EventBody::Schedule(schedule_data(t2, &overdue, 3, &at))));
    till.push(&till.batch(ev)).await;
    let rows = hq
        .sql
        .query("SELECT store, terminal, task, due::text, missed, task_zh, days_overdue FROM posdesk.v_overdue_maintenance ORDER BY terminal", &[])
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].get::<_, String>(0), "SH001");
    assert_eq!(rows[0].get::<_, String>(1), "Till 1");
    assert_eq!(rows[0].get::<_, String>(2), "Clean the card reader");
    assert_eq!(rows[0].get::<_, String>(3), overdue);
    assert_eq!(rows[0].get::<_, i32>(4), 3);
    assert_eq!(rows[0].get::<_, String>(5), "清洁读卡器");
    assert_eq!(rows[0].get::<_, i32>(6), 3);
    // Done at the till (next due moves on), Till 2 archived: nothing overdue.
    let mut archived = terminal_data("Till 2", &at);
    archived.archived_at = Some(at.clone());
    let e1 = till.event(s1, EventBody::Schedule(schedule_data(t1, &later, 0, &at)));
    let e2 = till.event(t2, EventBody::Terminal(archived));
    till.push(&till.batch(vec![e1, e2])).await;
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.v_overdue_maintenance")
            .await,
        0
    );
    // A schedule deleted at the till is gone too.
    let e3 = till.event(t2, EventBody::Terminal(terminal_data("Till 2", &at)));
    let e4 = till.event(
        s3,
        EventBody::Tombstone(TombstoneData {
            entity: Entity::Schedule,
            at: at.clone(),
        }),
    );
    till.push(&till.batch(vec![e3, e4])).await;
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.v_overdue_maintenance")
            .await,
        0
    );
}

/// `stores` tills push `batches` batches of `per_batch` events each, all at once; returns the time.
async fn many_stores(hq: &Hq, stores: usize, batches: usize, per_batch: usize) -> Duration {
    let mut tills = Vec::new();
    for i in 0..stores {
        tills.push(hq.till(&format!("S{i:03}")).await);
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, mut till) in tills.into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            for b in 0..batches {
                let mut events = Vec::with_capacity(per_batch);
                while events.len() + 3 <= per_batch {
                    let (inc, ev) = till.new_incident("51", "busy day");
                    events.push(ev);
                    events.push(till.note(inc, "called the bank"));
                    events.push(till.status(inc, Status::Resolved, "ok"));
                }
                let batch = till.batch(events);
                let r = till.push(&batch).await;
                assert_eq!(r.rejected.len(), 0);
                // Every tenth store's batches arrive twice (a lost reply).
                if i % 10 == 0 || b == batches - 1 {
                    assert!(till.push(&batch).await.duplicate);
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let took = started.elapsed();
    let per_till = (per_batch / 3) * batches;
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.v_incidents").await as usize,
        stores * per_till
    );
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.v_open_incidents")
            .await,
        0
    );
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.incident_note").await as usize,
        stores * per_till
    );
    assert_eq!(
        hq.count("SELECT count(DISTINCT store) FROM posdesk.v_incidents")
            .await as usize,
        stores
    );
    assert_eq!(
        hq.count(&format!(
            "SELECT count(*) FROM (SELECT store FROM posdesk.v_incidents GROUP BY store \
             HAVING count(*) <> {per_till}) x"
        ))
        .await,
        0,
        "every store has exactly its incidents"
    );
    assert_eq!(
        hq.count("SELECT sum(n_applied)::bigint FROM posdesk.sync_batch")
            .await as usize,
        stores * per_till * 3
    );
    took
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_stores_push_at_once() {
    let hq = hq!();
    let took = many_stores(&hq, 50, 3, 60).await;
    eprintln!("50 stores x 3 batches of 60 events: {took:?}");
    assert!(took < Duration::from_secs(60), "{took:?}");
}

/// By hand: `cargo test -p posdesk-hq --test hq -- --ignored five_hundred --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn five_hundred_stores_push_at_once() {
    let Some(hq) = Hq::start_with_pool(32).await else {
        return;
    };
    // A day of a busy store: 20 incidents, each with a note and a status change.
    let took = many_stores(&hq, 500, 1, 60).await;
    eprintln!(
        "500 stores x 1 day (20 incidents + 20 notes + 20 status events) drained in {took:?}"
    );
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// By hand: ingest time of a 500-event batch (goal p95 < 300 ms).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn ingest_latency_of_500_event_batches() {
    let hq = hq!();
    let mut till = hq.till("BENCH").await;
    let mut times = Vec::new();
    for round in 0..40 {
        let mut events = Vec::with_capacity(500);
        while events.len() < 500 {
            let (inc, ev) = till.new_incident("51", "余额不足，顾客换卡后成功");
            events.push(ev);
            if events.len() < 500 {
                events.push(till.note(inc, "called the bank"));
            }
            if events.len() < 500 && round % 2 == 0 {
                events.push(till.status(inc, Status::Resolved, "ok"));
            }
        }
        let batch = till.batch(events);
        let started = Instant::now();
        let r = till.push(&batch).await;
        times.push(started.elapsed());
        assert_eq!(r.applied, 500);
    }
    times.sort();
    eprintln!(
        "500-event batch ingest over HTTP (40 batches): p50 {:?}, p95 {:?}, max {:?}",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times.last().unwrap()
    );
}

/// By hand: PostgreSQL size of the incident family per million incidents (each with a note and a
/// status event), from 100,000 pushed through the API.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn postgres_size_per_million_incidents() {
    let hq = hq!();
    let n_tills = 20;
    let per_till = 5_000;
    let mut tasks = Vec::new();
    for i in 0..n_tills {
        let mut till = hq.till(&format!("SZ{i:02}")).await;
        tasks.push(tokio::spawn(async move {
            let mut left = per_till;
            while left > 0 {
                let mut events = Vec::new();
                while events.len() + 3 <= 498 && left > 0 {
                    let (inc, ev) = till.new_incident("51", "余额不足，顾客换卡后成功");
                    events.push(ev);
                    events.push(till.note(inc, "打电话给银行，确认已退款"));
                    events.push(till.status(inc, Status::Resolved, "换卡后正常"));
                    left -= 1;
                }
                till.push(&till.batch(events)).await;
            }
        }));
    }
    let started = Instant::now();
    for t in tasks {
        t.await.unwrap();
    }
    let took = started.elapsed();
    hq.sql.batch_execute("VACUUM ANALYZE").await.unwrap();
    let total = n_tills * per_till;
    let bytes: i64 = hq
        .sql
        .query_one(
            "SELECT sum(pg_total_relation_size(c.oid))::bigint FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'posdesk' AND c.relkind = 'r'
               AND (c.relname LIKE 'incident%' OR c.relname IN ('sync_batch'))",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        hq.count("SELECT count(*) FROM posdesk.incident").await,
        total as i64
    );
    eprintln!(
        "{total} incidents (+1 note +1 status event each) pushed in {took:?} ({:.0} incidents/s); \
         incident family + batches: {} MB, i.e. {:.2} GB per million incidents",
        total as f64 / took.as_secs_f64(),
        bytes / 1_000_000,
        bytes as f64 / total as f64 * 1e6 / 1e9
    );
}

/// The Grafana dashboard in docs/ queries only views, and every query runs as the read-only role.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_grafana_dashboard_queries_run_as_the_reader() {
    let hq = hq!();
    let mut till = hq.till("SH001").await;
    let (inc, ev) = till.new_incident("51", "x");
    let st = till.status(inc, Status::Resolved, "ok");
    let (_, open) = till.new_incident("A0", "y");
    till.push(&till.batch(vec![ev, st, open])).await;

    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/grafana-posdesk.json"
    );
    let dash: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut queries: Vec<(String, String)> = Vec::new();
    for panel in dash["panels"].as_array().unwrap() {
        for t in panel["targets"].as_array().into_iter().flatten() {
            if let Some(sql) = t["rawSql"].as_str() {
                queries.push((
                    panel["title"].as_str().unwrap_or("?").to_string(),
                    sql.to_string(),
                ));
            }
        }
    }
    for v in dash["templating"]["list"].as_array().into_iter().flatten() {
        if let Some(sql) = v["query"].as_str() {
            queries.push((format!("variable {}", v["name"]), sql.to_string()));
        }
    }
    assert!(queries.len() >= 5, "the dashboard has its panels");
    hq.sql
        .batch_execute("SET ROLE posdesk_reader")
        .await
        .unwrap();
    let mut rows_seen = 0;
    for (title, sql) in &queries {
        assert!(
            !sql.contains("posdesk.incident ") && !sql.contains("posdesk.device"),
            "{title}: views only"
        );
        // Grafana's macros and variables, as Grafana expands them for the last 7 days and all stores.
        let sql = sql
            .replace(
                "$__timeFilter(at)",
                "at BETWEEN now() - interval '7 days' AND now()",
            )
            .replace(
                "$__timeFilter(day)",
                "day BETWEEN (now() - interval '7 days')::date AND now()::date",
            )
            .replace("$__timeFrom()", "(now() - interval '7 days')")
            .replace("$__timeTo()", "now()")
            .replace("${store:sqlstring}", "'SH001'")
            .replace("$store", "'SH001'");
        assert!(
            !sql.contains('$'),
            "{title}: a macro the test does not expand: {sql}"
        );
        let rows = hq
            .sql
            .query(&sql, &[])
            .await
            .unwrap_or_else(|e| panic!("{title}: {e:?}\n{sql}"));
        rows_seen += rows.len();
    }
    assert!(rows_seen > 0);
    hq.sql.batch_execute("RESET ROLE").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_answers() {
    let hq = hq!();
    let r = hq
        .http
        .get(hq.url(sync_proto::HEALTH_PATH))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["ok"], true);
}

/// The binary's commands as the issue writes them: `migrate`, `enroll STORE` (the code alone on one line
/// of stdout), `serve --listen ADDR`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_commands_of_the_binary() {
    let Some(db) = TestDb::new().await else {
        return;
    };
    let cfg = &db.cfg;
    let host = match &cfg.get_hosts()[0] {
        tokio_postgres::config::Host::Tcp(h) => h.clone(),
        #[cfg(unix)]
        tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
    };
    let password = cfg
        .get_password()
        .map(|p| String::from_utf8_lossy(p).to_string())
        .unwrap_or_default();
    let hq = |args: &[&str]| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_posdesk-hq"));
        c.args(args)
            .env_remove("DATABASE_URL")
            .env("PGHOST", &host)
            .env("PGPORT", cfg.get_ports()[0].to_string())
            .env("PGUSER", cfg.get_user().unwrap_or("postgres"))
            .env("PGPASSWORD", &password)
            .env("PGDATABASE", &db.name);
        c
    };
    let out = hq(&["enroll", "STORE-A"]).output().unwrap();
    assert!(!out.status.success(), "enroll before migrate fails");
    assert!(String::from_utf8_lossy(&out.stderr).contains("posdesk-hq migrate"));

    let out = hq(&["migrate"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert!(hq(&["migrate"]).output().unwrap().status.success());

    let out = hq(&["enroll", "STORE-A"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "{stdout:?}");
    let code = stdout.trim_end();
    assert!(
        code.len() == 14
            && code
                .split('-')
                .all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_alphanumeric())),
        "{code:?}"
    );
    let out = hq(&["enroll", "no spaces please"]).output().unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not usable"));

    // serve: listens, enrolls the code printed above, stops on SIGTERM.
    let mut child = hq(&["serve", "--listen", "127.0.0.1:0"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let addr = tokio::task::spawn_blocking(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr).lines() {
            let line = line.unwrap();
            if let Some(a) = line.strip_prefix("posdesk-hq: serving on http://") {
                return a.to_string();
            }
        }
        panic!("serve never said where it listens");
    })
    .await
    .unwrap();
    let r = reqwest::Client::new()
        .post(format!("http://{addr}{ENROLL_PATH}"))
        .json(&EnrollRequest {
            code: code.into(),
            device_name: "Till 1".into(),
            app_version: String::new(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let _ = std::process::Command::new("kill")
        .arg(child.id().to_string())
        .status();
    let status = child.wait().unwrap();
    assert!(
        status.success(),
        "serve stops cleanly on SIGTERM: {status:?}"
    );
}
