//! Crash and concurrency trials on the real binary: `posdesk incident add` is killed with SIGKILL at
//! random moments, and several processes write at once. Afterwards every id a CLI printed (it prints
//! only after the durable commit) must be in the journal with its own note, and the file must pass
//! `PRAGMA integrity_check`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a trial that cannot set up should fail loudly

use posdesk::Store;
use posdesk::domain::incident::IncidentDraft;
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// SIGKILLs of a running `incident add` per trial (the issue asks for 50; `POSDESK_CRASH_KILLS`
/// runs a longer trial by hand).
const KILLS: usize = 50;

fn add(dir: &Path, note: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_posdesk"))
        .arg("--data-dir")
        .arg(dir)
        .args(["incident", "add", "--code", "51", "--note", note])
        .env_remove("POSDESK_DATA_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The id a finished or killed `incident add` printed, if it got that far.
fn printed_id(child: &mut Child) -> Option<i64> {
    let mut out = String::new();
    child.stdout.take()?.read_to_string(&mut out).ok()?;
    out.lines().next()?.trim().parse().ok()
}

/// The journal as the file holds it: id -> symptom.
fn journal(db: &Path) -> BTreeMap<i64, String> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn.prepare("SELECT id, symptom FROM incidents").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn integrity(db: &Path) -> String {
    let conn = Connection::open(db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// xorshift64: the trial's random moments, reproducible from the printed seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[test]
fn incidents_reported_saved_survive_sigkill_at_random_moments() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(posdesk::store::DB_FILE);
    let started = Instant::now();
    let seed = std::env::var("POSDESK_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    let mut rng = Rng(seed);
    // id -> the note its process was given: printed ids are promises.
    let mut promised: BTreeMap<i64, String> = BTreeMap::new();
    let record = |id: Option<i64>, note: &str, promised: &mut BTreeMap<i64, String>| {
        if let Some(id) = id {
            let earlier = promised.insert(id, note.to_string());
            assert!(earlier.is_none(), "id {id} was printed twice (seed {seed})");
        }
    };
    // The first add creates the database and loads the code pack; it is not killed.
    let mut first = add(dir.path(), "crash-0");
    assert!(first.wait().unwrap().success());
    record(printed_id(&mut first), "crash-0", &mut promised);
    // Calibrate: how long one add takes on this machine, so kills land across its whole run.
    let mut n = 1usize;
    let calibrate = Instant::now();
    for _ in 0..5 {
        let note = format!("crash-{n}");
        n += 1;
        let mut child = add(dir.path(), &note);
        assert!(child.wait().unwrap().success());
        record(printed_id(&mut child), &note, &mut promised);
    }
    let typical = (calibrate.elapsed() / 5).as_micros() as u64;

    let (mut kills, mut finished, mut killed_after_print) = (0usize, 6usize, 0usize);
    let want_kills = std::env::var("POSDESK_CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(KILLS);
    while kills < want_kills {
        // Two writers at once: one is killed, the other may be mid-commit meanwhile.
        let note = format!("crash-{n}");
        let other_note = format!("crash-{}", n + 1);
        n += 2;
        let mut victim = add(dir.path(), &note);
        let mut bystander = add(dir.path(), &other_note);
        std::thread::sleep(Duration::from_micros(rng.below(typical * 13 / 10)));
        if victim.try_wait().unwrap().is_none() {
            victim.kill().unwrap();
            victim.wait().unwrap();
            kills += 1;
            let id = printed_id(&mut victim);
            killed_after_print += usize::from(id.is_some());
            record(id, &note, &mut promised);
        } else {
            finished += 1;
            record(printed_id(&mut victim), &note, &mut promised);
        }
        let status = bystander.wait().unwrap();
        assert!(
            status.success(),
            "a writer beside a killed one failed: {status:?}"
        );
        finished += 1;
        record(printed_id(&mut bystander), &other_note, &mut promised);
        assert!(
            want_kills > KILLS || started.elapsed() < Duration::from_secs(120),
            "the trial is too slow"
        );
    }

    assert_eq!(integrity(&db), "ok", "seed {seed}");
    let stored = journal(&db);
    for (id, note) in &promised {
        assert_eq!(
            stored.get(id),
            Some(note),
            "incident {id} was reported saved but is not there as written (seed {seed})"
        );
    }
    // Every committed incident has its outbox marker (written in the same transaction), and so has
    // its first status event: a kill never leaves a change head office would not hear of.
    let unmarked = {
        let conn = Connection::open(&db).unwrap();
        conn.query_row(
            "SELECT (SELECT count(*) FROM incidents i WHERE i.uid IS NULL OR NOT EXISTS \
             (SELECT 1 FROM sync_outbox o WHERE o.entity = 'incident' AND o.entity_key = i.uid)) + \
             (SELECT count(*) FROM incident_status_log l WHERE NOT EXISTS \
             (SELECT 1 FROM sync_outbox o WHERE o.entity = 'incident_status' AND o.entity_key = l.uid))",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
    };
    assert_eq!(
        unmarked, 0,
        "committed rows without an outbox marker (seed {seed})"
    );
    // The store opens cleanly (quick_check) and `posdesk check` agrees.
    drop(Store::open(&db).unwrap());
    let check = Command::new(env!("CARGO_BIN_EXE_posdesk"))
        .arg("--data-dir")
        .arg(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");
    eprintln!(
        "crash trial (seed {seed}, one add ≈ {typical} µs): {kills} SIGKILLs, {finished} adds finished, {} printed ids all \
         present ({killed_after_print} printed just before the kill), {} incidents stored \
         ({} committed but killed before printing), {unmarked} committed without an outbox marker, \
         integrity ok, {:.1} s",
        promised.len(),
        stored.len(),
        stored.len() - promised.len(),
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn two_cli_processes_writing_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // Both start on a folder with no database yet: the first open's migrations race too.
    let per_writer = 20;
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let dir = dir.path().to_path_buf();
            std::thread::spawn(move || {
                (0..per_writer)
                    .map(|i| {
                        let note = format!("writer {w} #{i}");
                        let mut child = add(&dir, &note);
                        let status = child.wait().unwrap();
                        let mut err = String::new();
                        child
                            .stderr
                            .take()
                            .unwrap()
                            .read_to_string(&mut err)
                            .unwrap();
                        assert!(status.success(), "{note}: {status:?} {err}");
                        (printed_id(&mut child).unwrap(), note)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut promised = BTreeMap::new();
    for w in writers {
        for (id, note) in w.join().unwrap() {
            assert!(promised.insert(id, note).is_none(), "id {id} given twice");
        }
    }
    let db = dir.path().join(posdesk::store::DB_FILE);
    assert_eq!(journal(&db), promised);
    assert_eq!(integrity(&db), "ok");
}

#[test]
fn two_connections_in_threads_writing_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open_dir(dir.path()).unwrap());
    let per_writer = 150;
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let dir = dir.path().to_path_buf();
            std::thread::spawn(move || {
                let mut store = Store::open_dir(&dir).unwrap();
                (0..per_writer)
                    .map(|i| {
                        let note = format!("thread {w} #{i}");
                        let draft = IncidentDraft {
                            symptom: note.clone(),
                            ..IncidentDraft::default()
                        };
                        let id = store
                            .create_incident(&draft)
                            .unwrap_or_else(|e| panic!("{note}: {e:?}"))
                            .id;
                        (id, note)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut promised = BTreeMap::new();
    for w in writers {
        promised.extend(w.join().unwrap());
    }
    assert_eq!(promised.len(), 2 * per_writer);
    let db = dir.path().join(posdesk::store::DB_FILE);
    assert_eq!(journal(&db), promised);
    assert_eq!(integrity(&db), "ok");
}
