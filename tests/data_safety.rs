//! Data safety: backups, restore, damage at start, refused files, locks. Each test tries to lose or
//! spoil the shop's records and checks that nothing was.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

#[path = "support/cli.rs"]
mod cli;
mod common;
#[path = "support/old_schema.rs"]
mod old_schema;

use cli::posdesk;
use posdesk::domain::incident::IncidentDraft;
use posdesk::domain::maintenance::TerminalInfo;
use posdesk::i18n::Explain;
use posdesk::store::backup::{APPLICATION_ID, attachments_beside, backup_files};
use posdesk::store::{
    BackupError, DB_FILE, SCHEMA_VERSION, StoreError, backup_summary, check_file,
    newest_good_backup,
};
use posdesk::{Clock, Scheme, Store};
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn incident(store: &mut Store, code: &str, symptom: &str) -> i64 {
    let draft = IncidentDraft {
        code: Some(code.into()),
        scheme: Some(Scheme::Iso8583),
        terminal: Some("Till 1".into()),
        symptom: symptom.into(),
        ..IncidentDraft::default()
    };
    store.create_incident(&draft).unwrap().id
}

/// A store in a folder with a bit of everything: own code, notes, terminals, incidents, attachments.
fn filled(dir: &Path) -> Store {
    let mut store = Store::open_dir(dir).unwrap();
    store
        .save_custom(
            &common::custom("Z9", "商户自定义", "Shop's own"),
            None,
            false,
        )
        .unwrap();
    store.set_note(Scheme::Cups, "A0", "先签到").unwrap();
    store.set_note(Scheme::Iso8583, "51", "请换卡").unwrap();
    store.add_terminal(&TerminalInfo::named("Till 1")).unwrap();
    store.add_terminal(&TerminalInfo::named("Till 2")).unwrap();
    for n in 0..20 {
        incident(&mut store, "51", &format!("余额不足 {n}"));
    }
    let id = incident(&mut store, "A0", "MAC error");
    store.add_note(id, "called the acquirer").unwrap();
    let photo = dir.join("slip.png");
    std::fs::write(&photo, b"not really a png, but bytes to keep").unwrap();
    store.attach_file(id, &photo).unwrap();
    store
}

/// Every row of every table (FTS shadow tables included), sorted, as text. `meta`'s record of the last
/// backup is left out: a restore rewrites it on purpose.
fn dump(db: &Path) -> BTreeMap<String, Vec<String>> {
    let conn = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = BTreeMap::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let cols: Vec<String> = (0..n)
                    .map(|i| match r.get_ref(i).unwrap() {
                        rusqlite::types::ValueRef::Text(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                        other => format!("{other:?}"),
                    })
                    .collect();
                Ok(cols.join("|"))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        if t == "meta" {
            rows.retain(|r| !r.contains("last_backup_") && !r.contains("backup_made_at"));
        }
        // A restore marks its data for a new sync epoch on purpose (store::outbox).
        if t == "sync_state" {
            rows.clear();
        }
        rows.sort();
        out.insert(t, rows);
    }
    out
}

/// Names the tables that differ, with their first differing rows, instead of printing both dumps.
fn assert_same(got: &BTreeMap<String, Vec<String>>, want: &BTreeMap<String, Vec<String>>) {
    let mut diffs = Vec::new();
    for table in got.keys().chain(want.keys()) {
        let (a, b) = (got.get(table), want.get(table));
        if a != b {
            let only_got: Vec<_> = a
                .into_iter()
                .flatten()
                .filter(|r| !b.is_some_and(|b| b.contains(r)))
                .take(2)
                .collect();
            let only_want: Vec<_> = b
                .into_iter()
                .flatten()
                .filter(|r| !a.is_some_and(|a| a.contains(r)))
                .take(2)
                .collect();
            diffs.push(format!(
                "{table}: now {only_got:?}, backed up {only_want:?}"
            ));
        }
    }
    assert!(
        diffs.is_empty(),
        "tables differ from the backup:\n{}",
        diffs.join("\n")
    );
}

fn counts(db: &Path) -> (i64, i64, i64, i64) {
    let conn = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let c = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    (
        c("SELECT count(*) FROM codes WHERE scheme = 'custom'"),
        c("SELECT count(*) FROM code_notes"),
        c("SELECT count(*) FROM terminals"),
        c("SELECT count(*) FROM incidents"),
    )
}

#[test]
fn backup_round_trip_restores_every_table_and_keeps_the_changed_data_aside() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = filled(dir.path());
    let db = store.path().unwrap().to_path_buf();
    let before = dump(&db);
    let backup = dir.path().join("elsewhere").join("before.sqlite3");
    let info = store.backup_to(&backup).unwrap();
    assert_eq!(info.path, backup);
    assert_eq!(info.attachments, 1);
    assert_eq!(
        std::fs::read_dir(attachments_beside(&backup))
            .unwrap()
            .count(),
        1
    );
    assert_eq!(store.last_backup().unwrap().unwrap().at, info.made_at);

    // Change every family of tables.
    for n in 0..5 {
        incident(&mut store, "05", &format!("later {n}"));
    }
    store.set_note(Scheme::Cups, "A0", "changed").unwrap();
    store.set_note(Scheme::Iso8583, "05", "new").unwrap();
    store.add_terminal(&TerminalInfo::named("Till 3")).unwrap();
    store.delete_custom("Z9").unwrap();
    let changed = dump(&db);
    assert_ne!(changed, before, "the changes show in the dump");

    let summary = backup_summary(&backup).unwrap();
    assert_eq!(
        (
            summary.own_codes,
            summary.notes,
            summary.terminals,
            summary.incidents,
            summary.attachments,
            summary.schema_version
        ),
        (1, 2, 2, 21, 1, SCHEMA_VERSION)
    );
    assert_eq!(summary.made_at, Some(info.made_at));

    let aside = store.restore_from(&backup).unwrap();
    assert_same(&dump(&db), &before);
    assert_eq!(
        counts(&aside),
        (0, 3, 3, 26),
        "the changed data is kept aside"
    );
    assert!(aside.starts_with(dir.path().join("backups")));
    assert_eq!(
        store.last_backup().unwrap().unwrap().path,
        std::path::absolute(&aside).unwrap()
    );
    // The store keeps working on the restored data, and reopens.
    assert_eq!(store.custom_codes().unwrap().len(), 1);
    incident(&mut store, "51", "after restore");
    drop(store);
    let reopened = Store::open_dir(dir.path()).unwrap();
    assert_eq!(counts(&db).3, 22);
    let journal = reopened.attachments_dir().unwrap();
    assert_eq!(std::fs::read_dir(journal).unwrap().count(), 1);
}

#[test]
fn restoring_brings_back_attachment_files_that_were_lost() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = filled(dir.path());
    let backup = store.backup_now().unwrap();
    std::fs::remove_dir_all(store.attachments_dir().unwrap()).unwrap();
    store.restore_from(&backup.path).unwrap();
    let files: Vec<_> = std::fs::read_dir(store.attachments_dir().unwrap())
        .unwrap()
        .collect();
    assert_eq!(files.len(), 1);
}

#[test]
fn daily_backups_run_once_a_day_and_keep_fourteen_days_and_one_per_month() {
    let dir = tempfile::tempdir().unwrap();
    let start: jiff::Timestamp = "2026-01-01T12:00:00Z".parse().unwrap();
    let clock = Clock::fixed(start);
    let store = filled(dir.path()).with_clock(clock.clone());
    let first = store
        .daily_backup()
        .unwrap()
        .expect("first call of the day backs up");
    assert!(
        first
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("daily-")
    );
    assert_eq!(store.daily_backup().unwrap(), None, "once a day");
    // Attachments of later backups are hard links to the first copy, not new copies.
    for day in 1..50 {
        clock.set(start + jiff::SignedDuration::from_hours(24 * day));
        assert!(store.daily_backup().unwrap().is_some(), "day {day}");
    }
    let names: Vec<String> = backup_files(dir.path())
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    // Jan 1 .. Feb 19: the 14 newest (Feb 6..19) plus the first of January and of February.
    assert_eq!(names.len(), 16, "{names:?}");
    for kept in [
        "daily-2026-01-01",
        "daily-2026-02-01",
        "daily-2026-02-06",
        "daily-2026-02-19",
    ] {
        assert!(
            names.iter().any(|n| n.starts_with(kept)),
            "{kept} kept: {names:?}"
        );
    }
    assert!(!names.iter().any(|n| n.starts_with("daily-2026-02-05")));
    assert!(
        !dir.path()
            .join("backups/daily-2026-02-05.attachments")
            .exists()
    );
    let last = store.last_backup().unwrap().unwrap();
    assert!(last.path.ends_with("daily-2026-02-19.sqlite3"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let files: Vec<_> =
            std::fs::read_dir(dir.path().join("backups/daily-2026-02-19.attachments"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
        assert_eq!(files.len(), 1);
        let live = std::fs::metadata(
            store
                .attachments_dir()
                .unwrap()
                .join(files[0].file_name().unwrap()),
        )
        .unwrap();
        let kept = std::fs::metadata(&files[0]).unwrap();
        assert_eq!(kept.nlink(), 16, "one file shared by the 16 backups");
        assert_ne!(kept.ino(), live.ino(), "a copy apart from the live file");
    }
}

#[test]
fn a_migration_is_preceded_by_a_backup_of_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(DB_FILE);
    drop(filled(dir.path()));
    // A genuine file from posdesk with schema 3 (before the application id).
    old_schema::make_old(&db, 3);
    let store = Store::open(&db).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let files = backup_files(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(
        files[0]
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("pre-migration-v3-")
    );
    let summary = backup_summary(&files[0]).unwrap();
    assert_eq!((summary.schema_version, summary.incidents), (3, 21));
    let conn = Connection::open(&db).unwrap();
    let id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id, APPLICATION_ID);
    // Opening again migrates nothing and backs up nothing.
    drop(store);
    drop(Store::open(&db).unwrap());
    assert_eq!(backup_files(dir.path()).len(), 1);
}

#[test]
fn an_old_backup_is_restored_and_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = filled(dir.path());
    let old = dir.path().join("old.sqlite3");
    store.backup_to(&old).unwrap();
    old_schema::make_old(&old, 3);
    assert_eq!(backup_summary(&old).unwrap().schema_version, 3);
    store.restore_from(&old).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(counts(store.path().unwrap()).3, 21);
}

/// Damage a copy of a database in several ways; the store must refuse each with `Damaged`.
#[test]
fn a_damaged_database_is_reported_set_aside_and_recovered_from_the_newest_good_backup() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = filled(dir.path());
    for n in 0..300 {
        incident(
            &mut store,
            "91",
            &format!("issuer unavailable, try {n} {}", "x".repeat(200)),
        );
    }
    let good = store.daily_backup().unwrap().unwrap();
    let db = store.path().unwrap().to_path_buf();
    drop(store);
    let pristine = std::fs::read(&db).unwrap();
    assert!(
        pristine.len() > 40 * 4096,
        "big enough to damage in the middle"
    );
    let page = 4096;
    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    let mut noise = |buf: &mut [u8]| {
        for b in buf {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            *b = rng as u8;
        }
    };
    let mut variants: Vec<(&str, Vec<u8>)> = Vec::new();
    variants.push(("truncated to half", pristine[..pristine.len() / 2].to_vec()));
    let mut scribbled = pristine.clone();
    for p in [3usize, 7, 12, 20, 31] {
        noise(&mut scribbled[p * page..(p + 1) * page]);
    }
    variants.push(("scribbled pages", scribbled));
    let mut header = pristine.clone();
    noise(&mut header[..100]);
    variants.push(("scribbled header", header));
    let mut both = pristine[..pristine.len() * 2 / 3].to_vec();
    noise(&mut both[10 * page + 8..10 * page + 900]);
    variants.push(("truncated and scribbled", both));
    let mut zeros = pristine.clone();
    zeros[page..6 * page].fill(0);
    variants.push(("zeroed pages", zeros));

    for (what, bytes) in &variants {
        std::fs::write(&db, bytes).unwrap();
        match std::panic::catch_unwind(|| Store::open(&db)) {
            Err(_) => panic!("{what}: opening panicked"),
            Ok(Ok(_)) => panic!("{what}: a damaged file was opened as if healthy"),
            Ok(Err(StoreError::Damaged { path, detail })) => {
                assert_eq!(path.as_deref(), Some(db.as_path()), "{what}");
                assert!(!detail.is_empty());
            }
            Ok(Err(e)) => panic!("{what}: wrong error {e:?}"),
        }
        assert_eq!(
            &std::fs::read(&db).unwrap(),
            bytes,
            "{what}: the file was not touched"
        );
        let report = check_file(&db);
        assert!(!report.is_healthy(), "{what}: check reports the damage");
        let cli = posdesk(dir.path(), &["check"]);
        assert_eq!(cli.status.code(), Some(1), "{what}: {cli:?}");
        assert!(!cli.stderr.is_empty());
    }
    let damaged_bytes = std::fs::read(&db).unwrap();
    let m = Store::open(&db).err().unwrap().explain();
    assert!(m.en.contains("damaged") && m.zh.contains("损坏"), "{m:?}");

    // The offer at start: the newest good backup, and a recovery that keeps the damaged file.
    assert_eq!(newest_good_backup(dir.path()), Some(good.clone()));
    let rec = Store::recover_from_backup(dir.path(), &good, Clock::system()).unwrap();
    let kept = rec.damaged_copy.clone().unwrap();
    assert!(kept.starts_with(dir.path().join("damaged")));
    assert_eq!(
        std::fs::read(&kept).unwrap(),
        damaged_bytes,
        "the damaged file is kept, whole"
    );
    assert_eq!(counts(&db).3, 321);
    assert!(rec.store.path().is_some());
    drop(rec);
    assert_eq!(posdesk(dir.path(), &["check"]).status.code(), Some(0));
}

#[test]
fn set_aside_moves_the_database_with_its_wal_and_shm_and_deletes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(DB_FILE);
    for (suffix, body) in [("", "main"), ("-wal", "wal"), ("-shm", "shm")] {
        std::fs::write(format!("{}{suffix}", db.display()), body).unwrap();
    }
    let aside = Store::set_aside_damaged(&db).unwrap();
    assert!(!db.exists());
    assert_eq!(std::fs::read_to_string(&aside).unwrap(), "main");
    assert_eq!(
        std::fs::read_to_string(format!("{}-wal", aside.display())).unwrap(),
        "wal"
    );
    assert_eq!(
        std::fs::read_to_string(format!("{}-shm", aside.display())).unwrap(),
        "shm"
    );
    // A second damaged file gets its own name.
    std::fs::write(&db, "again").unwrap();
    let second = Store::set_aside_damaged(&db).unwrap();
    assert_ne!(second, aside);
    assert_eq!(std::fs::read_to_string(&aside).unwrap(), "main");
}

fn refused_files(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let text = dir.join("notes.txt");
    std::fs::write(&text, "51,余额不足\nthis is not a database\n").unwrap();
    let empty = dir.join("empty.sqlite3");
    std::fs::write(&empty, b"").unwrap();
    let binary = dir.join("random.sqlite3");
    std::fs::write(
        &binary,
        (0..20_000u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let newer = dir.join("newer.sqlite3");
    {
        let other = tempfile::tempdir().unwrap();
        let s = filled(other.path());
        s.backup_to(&newer).unwrap();
        let conn = Connection::open(&newer).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let foreign = dir.join("foreign.sqlite3");
    {
        let conn = Connection::open(&foreign).unwrap();
        conn.execute_batch("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x'); PRAGMA user_version = 2;")
            .unwrap();
    }
    let damaged = dir.join("damaged.sqlite3");
    {
        let other = tempfile::tempdir().unwrap();
        let mut s = filled(other.path());
        for n in 0..200 {
            incident(&mut s, "91", &format!("{n} {}", "y".repeat(300)));
        }
        s.backup_to(&damaged).unwrap();
        let mut bytes = std::fs::read(&damaged).unwrap();
        let half = bytes.len() / 2;
        bytes[half..half + 8192].fill(0xAB);
        std::fs::write(&damaged, bytes).unwrap();
    }
    vec![
        ("a text file", text),
        ("an empty file", empty),
        ("binary data", binary),
        ("a newer posdesk's backup", newer),
        ("another program's database", foreign),
        ("a damaged backup", damaged),
        ("a missing file", dir.join("nowhere.sqlite3")),
    ]
}

#[test]
fn bad_restore_input_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let mut store = filled(dir.path());
    let db = store.path().unwrap().to_path_buf();
    let before = dump(&db);
    for (what, file) in refused_files(files.path()) {
        let bytes = std::fs::read(&file).ok();
        let err = store
            .restore_from(&file)
            .err()
            .unwrap_or_else(|| panic!("{what} was restored"));
        match (&err, what) {
            (
                StoreError::Backup(BackupError::BackupTooNew { found, .. }),
                "a newer posdesk's backup",
            ) => {
                assert_eq!(*found, SCHEMA_VERSION + 1)
            }
            (StoreError::Damaged { .. }, "a damaged backup") => {}
            (StoreError::Backup(BackupError::NotPosdesk { .. }), _)
                if !what.contains("newer") && !what.contains("damaged") => {}
            _ => panic!("{what}: unexpected {err:?}"),
        }
        let m = err.explain();
        assert!(!m.en.is_empty() && !m.zh.is_empty());
        assert_eq!(dump(&db), before, "{what}: the data is unchanged");
        assert_eq!(
            std::fs::read(&file).ok(),
            bytes,
            "{what}: the file is unchanged"
        );
        assert!(
            backup_files(dir.path()).is_empty(),
            "{what}: nothing was even copied aside"
        );
        let cli = posdesk(dir.path(), &["restore", file.to_str().unwrap()]);
        assert_eq!(cli.status.code(), Some(1), "{what}: {cli:?}");
        assert!(String::from_utf8_lossy(&cli.stderr).contains("posdesk:"));
        assert_eq!(dump(&db), before, "{what}: the CLI changed nothing either");
    }
    assert_eq!(counts(&db), (1, 2, 2, 21));
}

#[test]
fn the_cli_backs_up_checks_and_restores() {
    let dir = tempfile::tempdir().unwrap();
    drop(filled(dir.path()));
    let out = posdesk(dir.path(), &["backup"]);
    assert!(out.status.success(), "{out:?}");
    let written = PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
    assert!(written.is_file() && written.starts_with(dir.path().join("backups")));
    let chosen = dir.path().join("usb").join("copy.sqlite3");
    let out = posdesk(dir.path(), &["backup", chosen.to_str().unwrap()]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        chosen.to_str().unwrap()
    );
    assert!(attachments_beside(&chosen).is_dir());

    let check = posdesk(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    assert!(String::from_utf8_lossy(&check.stdout).starts_with("ok"));

    let add = posdesk(
        dir.path(),
        &["incident", "add", "--code", "05", "--note", "later"],
    );
    assert!(add.status.success());
    let out = posdesk(dir.path(), &["restore", chosen.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("21 incidents"));
    assert_eq!(counts(&dir.path().join(DB_FILE)).3, 21);

    // A broken link between records fails `check` with the reason.
    {
        let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
        conn.execute_batch("PRAGMA foreign_keys=OFF; INSERT INTO incident_notes (incident_id, at, text) VALUES (99999, '2026-01-01T00:00:00Z', 'orphan');")
            .unwrap();
    }
    let check = posdesk(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&check.stderr).contains("incident_notes"),
        "{check:?}"
    );
}

#[test]
fn a_damaged_database_is_restored_by_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled(dir.path());
    let backup = store.backup_now().unwrap().path;
    let db = store.path().unwrap().to_path_buf();
    drop(store);
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[..100].fill(0x55);
    std::fs::write(&db, &bytes).unwrap();
    let list = posdesk(dir.path(), &["incident", "list"]);
    assert_eq!(list.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&list.stderr).contains("damaged"),
        "{list:?}"
    );
    let out = posdesk(dir.path(), &["restore", backup.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("damaged"));
    assert_eq!(counts(&db).3, 21);
    let set_aside: Vec<_> = std::fs::read_dir(dir.path().join("damaged"))
        .unwrap()
        .collect();
    assert_eq!(set_aside.len(), 1);
}

#[test]
fn a_database_locked_by_another_program_gives_locked_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = filled(dir.path());
    let db = store.path().unwrap().to_path_buf();
    let other = Connection::open(&db).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let started = std::time::Instant::now();
    let Err(err) = store.create_incident(&IncidentDraft {
        symptom: "while locked".into(),
        ..IncidentDraft::default()
    }) else {
        panic!("a locked database accepted the write");
    };
    assert!(matches!(err, StoreError::Locked), "{err:?}");
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(4),
        "it waited first: {:?} {err:?}",
        started.elapsed()
    );
    assert!(err.explain().zh.contains("另一个程序"));
    other.execute_batch("ROLLBACK").unwrap();
    drop(other);
    incident(&mut store, "51", "after the lock");
    assert_eq!(counts(&db).3, 22);
}

#[test]
fn sqlite_failures_a_clerk_can_act_on_get_their_own_errors() {
    use rusqlite::ffi;
    let failure =
        |code| StoreError::from(rusqlite::Error::SqliteFailure(ffi::Error::new(code), None));
    assert!(matches!(failure(ffi::SQLITE_FULL), StoreError::DiskFull));
    assert!(matches!(
        failure(ffi::SQLITE_READONLY),
        StoreError::ReadOnly { .. }
    ));
    assert!(matches!(failure(ffi::SQLITE_BUSY), StoreError::Locked));
    assert!(matches!(failure(ffi::SQLITE_LOCKED), StoreError::Locked));
    assert!(matches!(
        failure(ffi::SQLITE_CORRUPT),
        StoreError::Damaged { .. }
    ));
    assert!(matches!(
        failure(ffi::SQLITE_NOTADB),
        StoreError::Damaged { .. }
    ));
    for e in [failure(ffi::SQLITE_FULL), failure(ffi::SQLITE_READONLY)] {
        let m = e.explain();
        assert!(m.en.contains("saved") && m.zh.contains("保存"), "{m:?}");
    }
    // A data folder that cannot be created (a file is in the way) is a typed error, not a panic.
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    assert!(Store::open_dir(&blocker.join("data")).is_err());
}

#[test]
fn a_backup_into_a_folder_that_cannot_exist_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled(dir.path());
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "x").unwrap();
    let err = store.backup_to(&blocker.join("b.sqlite3")).err().unwrap();
    assert!(!err.explain().zh.is_empty());
    assert!(
        store.last_backup().unwrap().is_none(),
        "a failed backup is not recorded"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty());
}
