//! The till against the real head office: the `posdesk-hq` binary (built beside this test's binaries
//! by `cargo test --workspace`) over a real PostgreSQL. Run under `pg_virtualenv`, which starts a
//! throw-away cluster and sets the `PG*` variables. Without one the test skips with a message, except
//! under `CI=true`, where it fails.
//!
//! Faults on loopback: a tiny TCP proxy between till and head office cuts the upload half-way, or
//! lets head office commit and then closes the connection before the reply reaches the till.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

use jiff::Timestamp;
use posdesk::domain::incident::{IncidentDraft, IncidentEdit};
use posdesk::sync::{self, HttpTransport, SyncFile};
use posdesk::{Clock, Store};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn hq_bin() -> PathBuf {
    let posdesk = PathBuf::from(env!("CARGO_BIN_EXE_posdesk"));
    let bin = posdesk.with_file_name(format!("posdesk-hq{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: build head office first (cargo build -p posdesk-hq, or cargo test --workspace)",
        bin.display()
    );
    bin
}

/// Whether a PostgreSQL is there (PG* set); under CI=true its absence fails the test.
fn have_postgres() -> bool {
    let configured =
        std::env::var_os("PGHOST").is_some() || std::env::var_os("DATABASE_URL").is_some();
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    if !configured {
        assert!(
            !ci,
            "PostgreSQL not available (no PGHOST or DATABASE_URL) and CI=true: run the tests under \
             pg_virtualenv"
        );
        eprintln!(
            "SKIPPED: PostgreSQL not available; run under pg_virtualenv to test the till against head office"
        );
    }
    configured
}

/// A database of its own for this test, migrated; dropped (with the server) at the end.
struct Hq {
    db: String,
    server: Child,
    url: String,
}

impl Hq {
    fn start() -> Hq {
        let db = format!("till_{}", uuid::Uuid::now_v7().simple());
        let created = Command::new("createdb").arg(&db).status().unwrap();
        assert!(created.success(), "createdb {db}");
        let out = hq(&db).arg("migrate").output().unwrap();
        assert!(out.status.success(), "{out:?}");
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let server = hq(&db)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "posdesk-hq did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Hq {
            db,
            server,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    fn enroll(&self, store: &str) -> String {
        let out = hq(&self.db).args(["enroll", store]).output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    fn sql(&self, query: &str) -> String {
        let out = Command::new("psql")
            .args(["-Atc", query])
            .env("PGDATABASE", &self.db)
            .output()
            .unwrap();
        assert!(out.status.success(), "{query}: {out:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    fn count(&self, query: &str) -> i64 {
        self.sql(query).parse().unwrap()
    }
}

impl Drop for Hq {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
        let _ = Command::new("dropdb").arg(&self.db).status();
    }
}

fn hq(db: &str) -> Command {
    let mut c = Command::new(hq_bin());
    c.env("PGDATABASE", db).env_remove("DATABASE_URL");
    c
}

fn draft(note: &str) -> IncidentDraft {
    IncidentDraft {
        code: Some("51".into()),
        terminal: Some("T1".into()),
        symptom: note.into(),
        ..IncidentDraft::default()
    }
}

/// A till on a temp data folder with its own clock, enrolled as `store` (through `url`).
fn till(hq: &Hq, store: &str, clock: &Clock) -> (tempfile::TempDir, Store) {
    let d = tempfile::tempdir().unwrap();
    let s = Store::open_dir(d.path()).unwrap().with_clock(clock.clone());
    let code = hq.enroll(store);
    sync::enroll(
        d.path(),
        &hq.url,
        &code,
        "Till 1",
        &HttpTransport::new(),
        clock,
    )
    .unwrap();
    (d, s)
}

fn sync_via(s: &mut Store, dir: &Path, url: &str) -> Result<sync::Report, sync::SyncError> {
    let mut file = SyncFile::load(dir).unwrap().unwrap();
    let real = file.url.clone();
    file.url = url.to_string();
    file.save(dir).unwrap();
    let r = sync::sync_now(s, dir, &HttpTransport::new());
    let mut file = SyncFile::load(dir).unwrap().unwrap();
    file.url = real;
    file.save(dir).unwrap();
    r
}

#[derive(Clone, Copy)]
enum Fault {
    /// Forward this many bytes of the request, then close both sides.
    CutUpload(usize),
    /// Forward the whole request; when head office answers (it has committed), close the till's
    /// side without passing the answer on.
    DropReply,
}

/// A one-connection-at-a-time TCP proxy to `upstream` that applies `fault` to every connection.
fn proxy(upstream: &str, fault: Fault) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let upstream = upstream.trim_start_matches("http://").to_string();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { return };
            counter.fetch_add(1, Ordering::SeqCst);
            let Ok(mut server) = TcpStream::connect(&upstream) else {
                continue;
            };
            match fault {
                Fault::CutUpload(n) => {
                    let mut buf = vec![0u8; n];
                    let mut got = 0;
                    while got < n {
                        match client.read(&mut buf[got..]) {
                            Ok(0) | Err(_) => break,
                            Ok(k) => got += k,
                        }
                    }
                    let _ = server.write_all(&buf[..got]);
                    let _ = server.shutdown(Shutdown::Both);
                    let _ = client.shutdown(Shutdown::Both);
                }
                Fault::DropReply => {
                    let mut up = client.try_clone().unwrap();
                    let mut down = server.try_clone().unwrap();
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut up, &mut down);
                    });
                    let mut first = [0u8; 1];
                    // Head office answers only after its transaction committed.
                    let _ = server.read(&mut first);
                    let _ = client.shutdown(Shutdown::Both);
                    let _ = server.shutdown(Shutdown::Both);
                }
            }
        }
    });
    (format!("http://{addr}"), seen)
}

#[test]
fn the_till_against_head_office_on_postgresql() {
    if !have_postgres() {
        return;
    }
    let hq = Hq::start();
    let clock = Clock::fixed(Timestamp::now());

    // Push, then push again: nothing the second time, nothing twice at head office.
    let (da, mut a) = till(&hq, "STORE-A", &clock);
    for i in 0..3 {
        a.create_incident(&draft(&format!("n{i}"))).unwrap();
    }
    let r = sync::sync_now(&mut a, da.path(), &HttpTransport::new()).unwrap();
    assert_eq!((r.pushed, r.acked, r.rejected, r.pending), (6, 6, 0, 0));
    let again = sync::sync_now(&mut a, da.path(), &HttpTransport::new()).unwrap();
    assert_eq!(again.pushed, 0);
    assert_eq!(hq.count("select count(*) from posdesk.v_incidents"), 3);

    // The connection cut half-way through the upload: an error, every marker kept, then exact.
    for i in 3..6 {
        a.create_incident(&draft(&format!("n{i}"))).unwrap();
    }
    let waiting = a.outbox_pending().unwrap();
    let (cut, seen) = proxy(&hq.url, Fault::CutUpload(300));
    let e = sync_via(&mut a, da.path(), &cut).unwrap_err();
    assert!(matches!(e, sync::SyncError::Unreachable { .. }), "{e}");
    assert!(seen.load(Ordering::SeqCst) >= 1);
    assert_eq!(a.outbox_pending().unwrap(), waiting);
    assert_eq!(hq.count("select count(*) from posdesk.v_incidents"), 3);
    sync::sync_now(&mut a, da.path(), &HttpTransport::new()).unwrap();
    assert_eq!(hq.count("select count(*) from posdesk.v_incidents"), 6);

    // Head office commits, the reply is lost: the resend changes nothing there.
    let id = a.create_incident(&draft("n6")).unwrap().id;
    a.add_note(id, "called the bank").unwrap();
    a.resolve(id, "swapped the cable").unwrap();
    let (drop_reply, _) = proxy(&hq.url, Fault::DropReply);
    assert!(sync_via(&mut a, da.path(), &drop_reply).is_err());
    assert!(
        a.outbox_pending().unwrap() > 0,
        "the till did not hear the answer"
    );
    let events = "select (select count(*) from posdesk.incident) || '/' || \
                  (select count(*) from posdesk.incident_status_event) || '/' || \
                  (select count(*) from posdesk.incident_note)";
    let committed = hq.sql(events);
    assert_eq!(hq.count("select count(*) from posdesk.v_incidents"), 7);
    let r = sync::sync_now(&mut a, da.path(), &HttpTransport::new()).unwrap();
    assert_eq!(r.pending, 0);
    assert_eq!(
        hq.sql(events),
        committed,
        "the resend applied nothing twice"
    );

    // Restore from an old backup: a new epoch, nothing lost, nothing doubled, the newest edit wins.
    let backup = a.backup_now().unwrap().path;
    for i in 0..3 {
        a.create_incident(&draft(&format!("lost future {i}")))
            .unwrap();
    }
    a.edit_incident(
        1,
        &IncidentEdit {
            symptom: Some("edited before the restore".into()),
            ..IncidentEdit::default()
        },
    )
    .unwrap();
    sync::sync_now(&mut a, da.path(), &HttpTransport::new()).unwrap();
    assert_eq!(hq.count("select count(*) from posdesk.v_incidents"), 10);
    let epoch = SyncFile::load(da.path()).unwrap().unwrap().epoch;
    a.restore_from(&backup).unwrap();
    a.create_incident(&draft("after the restore")).unwrap();
    a.edit_incident(
        1,
        &IncidentEdit {
            symptom: Some("edited after the restore".into()),
            ..IncidentEdit::default()
        },
    )
    .unwrap();
    let r = sync::sync_now(&mut a, da.path(), &HttpTransport::new()).unwrap();
    assert_eq!(r.pending, 0);
    assert_eq!(SyncFile::load(da.path()).unwrap().unwrap().epoch, epoch + 1);
    assert_eq!(hq.count("select count(*) from posdesk.v_incidents"), 11);
    assert_eq!(
        hq.count(
            "select count(*) from posdesk.v_incidents where note = 'edited after the restore'"
        ),
        1
    );
    assert_eq!(
        hq.count("select count(*) from posdesk.v_incidents where note like 'lost future%'"),
        3
    );

    // A PC clock three days ahead and one a year behind: noticed, said, and records still land.
    for (store, skew) in [("STORE-FAST", 3 * 86_400), ("STORE-SLOW", -365 * 86_400)] {
        let wrong =
            Clock::fixed(Timestamp::from_second(Timestamp::now().as_second() + skew).unwrap());
        let (d, mut s) = till(&hq, store, &wrong);
        s.create_incident(&draft("clock")).unwrap();
        sync::sync_now(&mut s, d.path(), &HttpTransport::new()).unwrap();
        let file = SyncFile::load(d.path()).unwrap().unwrap();
        let measured = file.clock_skew_ms.unwrap() / 1000;
        assert!((measured - skew).abs() < 60, "{measured} vs {skew}");
        assert!(file.clock_warning().is_some());
        let st = Command::new(env!("CARGO_BIN_EXE_posdesk"))
            .arg("--data-dir")
            .arg(d.path())
            .args(["sync", "status"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&st.stdout);
        assert!(
            text.contains(if skew > 0 { "ahead of" } else { "behind" }),
            "{text}"
        );
    }
    assert_eq!(
        hq.count("select count(*) from posdesk.v_incidents where note = 'clock'"),
        2
    );

    // Unreachable: exit 1 with a message in both languages, nothing lost.
    let (dz, mut z) = till(&hq, "STORE-Z", &clock);
    z.create_incident(&draft("offline")).unwrap();
    drop(z);
    let mut file = SyncFile::load(dz.path()).unwrap().unwrap();
    file.url = "http://127.0.0.1:9".into();
    file.save(dz.path()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_posdesk"))
        .arg("--data-dir")
        .arg(dz.path())
        .args(["sync", "now", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot be reached") && err.contains("Nothing is lost"),
        "{err}"
    );
    let st = Command::new(env!("CARGO_BIN_EXE_posdesk"))
        .arg("--data-dir")
        .arg(dz.path())
        .args(["sync", "status", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&st.stdout).unwrap();
    assert_eq!(v["enrolled"], true);
    assert_eq!(v["pending"], 2);
    assert!(
        v["last_error"]
            .as_str()
            .unwrap()
            .contains("cannot be reached")
    );
    assert!(v["last_ok"].is_null());
}
