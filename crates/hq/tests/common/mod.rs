//! Harness for head-office tests: a fresh database per test on the PostgreSQL the `PG*` variables (or
//! `DATABASE_URL`) name, posdesk-hq served in-process on 127.0.0.1:0, and simulated tills.
//!
//! Without a server the tests skip with a message, except under `CI=true`, where they fail: run them
//! under `pg_virtualenv` (Debian's postgresql-common), which starts a throw-away cluster and sets `PG*`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::net::SocketAddr;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use posdesk_hq::{AppState, app, config, enroll, migrate};
use reqwest::StatusCode;
use serde_json::Value;
use sync_proto::{
    EnrollRequest, EnrollResponse, Event, EventBody, FIRST_EPOCH, Hlc, IncidentData, NoteData,
    PROTO, PushBatch, PushResponse, Status, StatusEventData, bearer,
};
use tokio_postgres::{Client, Config, NoTls};
use uuid::Uuid;

/// The admin connection settings, or `None` (after saying so) when there is no server outside CI.
pub fn admin_config() -> Option<Config> {
    let configured =
        std::env::var_os("DATABASE_URL").is_some() || std::env::var_os("PGHOST").is_some();
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    if !configured {
        if ci {
            panic!(
                "PostgreSQL not available (no PGHOST or DATABASE_URL) and CI=true: the head-office tests \
                 must run, under pg_virtualenv (e.g. `pg_virtualenv -v 15 cargo test --workspace --locked`)"
            );
        }
        eprintln!(
            "SKIPPED: PostgreSQL not available (no PGHOST or DATABASE_URL); run under pg_virtualenv to test \
             head office"
        );
        return None;
    }
    Some(config::from_env().expect("PG* variables"))
}

pub async fn connect(cfg: &Config) -> Client {
    let (client, conn) = cfg
        .connect(NoTls)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to the PostgreSQL the PG* variables name: {e}"));
    tokio::spawn(async move {
        let _ = conn.await;
    });
    client
}

/// A database of its own for one test, dropped at the end.
pub struct TestDb {
    pub admin: Config,
    pub cfg: Config,
    pub name: String,
}

impl TestDb {
    pub async fn new() -> Option<TestDb> {
        let admin = admin_config()?;
        let name = format!("t_{}", Uuid::new_v4().simple());
        let client = connect(&admin).await;
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create test database");
        let mut cfg = admin.clone();
        cfg.dbname(&name);
        Some(TestDb { admin, cfg, name })
    }

    pub fn pool(&self, size: usize) -> Pool {
        let mgr = Manager::from_config(
            self.cfg.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        Pool::builder(mgr).max_size(size).build().expect("pool")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let admin = self.admin.clone();
        let name = self.name.clone();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async move {
                let (client, conn) = admin.connect(NoTls).await.ok()?;
                tokio::spawn(async move {
                    let _ = conn.await;
                });
                client
                    .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
                    .ok()
            })
        })
        .join();
    }
}

/// Head office served in-process.
pub struct Hq {
    pub db: TestDb,
    pub state: AppState,
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    pub sql: Client,
}

impl Hq {
    pub async fn start() -> Option<Hq> {
        Hq::start_with_pool(16).await
    }

    pub async fn start_with_pool(size: usize) -> Option<Hq> {
        let db = TestDb::new().await?;
        let mut sql = connect(&db.cfg).await;
        migrate::migrate(&mut sql).await.expect("migrate");
        let state = AppState::new(db.pool(size));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let router = app(state.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(64)
            .build()
            .expect("http client");
        Some(Hq {
            db,
            state,
            addr,
            http,
            sql,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn code(&self, store: &str) -> String {
        let mut c = connect(&self.db.cfg).await;
        enroll::create_code(&mut c, store, None)
            .await
            .expect("enroll code")
    }

    /// Enrolls a new till of `store` (made if new).
    pub async fn till(&self, store: &str) -> Till {
        let code = self.code(store).await;
        let resp = self
            .http
            .post(self.url(sync_proto::ENROLL_PATH))
            .json(&EnrollRequest {
                code,
                device_name: format!("till of {store}"),
                app_version: "test".into(),
            })
            .send()
            .await
            .expect("enroll request");
        assert_eq!(resp.status(), StatusCode::OK);
        let e: EnrollResponse = resp.json().await.expect("enroll reply");
        Till {
            device_id: e.device_id,
            store_id: e.store_id,
            token: e.token,
            epoch: e.epoch,
            seq: 0,
            hlc: Hlc::default(),
            clock_offset_ms: 0,
            http: self.http.clone(),
            base: format!("http://{}", self.addr),
        }
    }

    pub async fn count(&self, sql: &str) -> i64 {
        self.sql
            .query_one(sql, &[])
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .get(0)
    }

    /// Every row of the store-owned tables as JSON text, for before/after comparisons.
    pub async fn snapshot(&self) -> Vec<String> {
        let mut out = Vec::new();
        for t in [
            "incident",
            "incident_status_event",
            "incident_note",
            "terminal",
            "schedule",
            "maintenance_event",
            "tombstone",
        ] {
            let rows = self
                .sql
                .query(
                    &format!(
                        "SELECT to_jsonb(x)::text FROM posdesk.{t} x ORDER BY to_jsonb(x)->>'id', \
                         to_jsonb(x)::text"
                    ),
                    &[],
                )
                .await
                .expect("snapshot");
            out.extend(
                rows.iter()
                    .map(|r| format!("{t}: {}", r.get::<_, String>(0))),
            );
        }
        out
    }
}

/// A simulated till: its identity and its own seq and HLC.
pub struct Till {
    pub device_id: Uuid,
    pub store_id: Uuid,
    pub token: String,
    pub epoch: u32,
    pub seq: u64,
    pub hlc: Hlc,
    /// How far this till's clock is from the truth (ms).
    pub clock_offset_ms: i64,
    pub http: reqwest::Client,
    pub base: String,
}

pub fn now_ms() -> i64 {
    posdesk_hq::server::now_ms()
}

pub fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .expect("time")
        .to_string()
}

impl Till {
    pub fn clock_ms(&self) -> i64 {
        now_ms() + self.clock_offset_ms
    }

    /// A UUIDv7 minted by this till's clock.
    pub fn uid(&self) -> Uuid {
        let ms = u64::try_from(self.clock_ms().max(0)).unwrap_or(0);
        Uuid::new_v7(uuid::Timestamp::from_unix(
            uuid::NoContext,
            ms / 1000,
            ((ms % 1000) * 1_000_000) as u32,
        ))
    }

    /// The next outbox marker for `body` on row `uid`.
    pub fn event(&mut self, uid: Uuid, body: EventBody) -> Event {
        self.seq += 1;
        self.hlc = Hlc::next(self.hlc, self.clock_ms());
        Event {
            seq: self.seq,
            hlc: self.hlc.0,
            uid,
            body,
        }
    }

    pub fn incident_data(&self, code: &str, note: &str) -> IncidentData {
        let at = rfc3339(self.clock_ms());
        IncidentData {
            occurred_at: at.clone(),
            terminal: Some("T1".into()),
            terminal_uid: None,
            code: Some(code.into()),
            code_key: Some(code.into()),
            scheme: Some("iso8583".into()),
            symptom: note.into(),
            amount: Some(12800),
            txn_ref: None,
            who: Some("王芳".into()),
            steps: vec![],
            status: Status::Open,
            resolution: String::new(),
            resolved_at: None,
            created_at: at,
        }
    }

    /// A new incident: (its uid, the event).
    pub fn new_incident(&mut self, code: &str, note: &str) -> (Uuid, Event) {
        let uid = self.uid();
        let data = self.incident_data(code, note);
        (uid, self.event(uid, EventBody::Incident(data)))
    }

    pub fn note(&mut self, incident: Uuid, text: &str) -> Event {
        let uid = self.uid();
        let at = rfc3339(self.clock_ms());
        self.event(
            uid,
            EventBody::IncidentNote(NoteData {
                incident,
                at,
                text: text.into(),
            }),
        )
    }

    pub fn status(&mut self, incident: Uuid, to: Status, note: &str) -> Event {
        let uid = self.uid();
        let at = rfc3339(self.clock_ms());
        self.event(
            uid,
            EventBody::IncidentStatus(StatusEventData {
                incident,
                to,
                prev: None,
                by: Some("王芳".into()),
                note: note.into(),
                at,
            }),
        )
    }

    pub fn batch(&self, events: Vec<Event>) -> PushBatch {
        PushBatch {
            proto: PROTO,
            device_id: self.device_id,
            epoch: self.epoch,
            batch_id: Uuid::now_v7(),
            first_seq: events.first().map_or(0, |e| e.seq),
            last_seq: events.last().map_or(0, |e| e.seq),
            device_time: self.clock_ms(),
            pending: 0,
            app_version: "test".into(),
            schema_version: 7,
            events,
        }
    }

    /// Sends any JSON as a push; returns the status and the body.
    pub async fn push_json(&self, body: &impl serde::Serialize) -> (StatusCode, Value) {
        let resp = self
            .http
            .post(format!("{}{}", self.base, sync_proto::PUSH_PATH))
            .header("authorization", bearer(&self.token))
            .json(body)
            .send()
            .await
            .expect("push request");
        let status = resp.status();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        (status, body)
    }

    /// Sends a batch that must be accepted (200).
    pub async fn push(&self, batch: &PushBatch) -> PushResponse {
        let (status, body) = self.push_json(batch).await;
        assert_eq!(status, StatusCode::OK, "push refused: {body}");
        serde_json::from_value(body).expect("push reply")
    }
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
}

pub const EPOCH1: u32 = FIRST_EPOCH;
