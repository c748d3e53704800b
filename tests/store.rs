//! Store, migrations and pack refresh.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

#[path = "support/fixtures.rs"]
mod common;

use posdesk::domain::note::CodeNote;
use posdesk::exchange::codes::CodeFile;
use posdesk::packs::codes::Pack;
use posdesk::store::{CodesError, DB_FILE, SCHEMA_VERSION, StoreError};
use posdesk::{Codebook, Scheme, Store};

#[test]
fn a_new_store_has_the_bundled_pack_and_uses_wal() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let pack = Pack::bundled().unwrap();
    assert_eq!(store.pack_version().unwrap(), Some(pack.version));
    assert_eq!(store.all_codes().unwrap().len(), pack.entries.len());
    drop(store);
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_database_from_a_newer_posdesk_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open_dir(dir.path()).unwrap());
    let path = dir.path().join(DB_FILE);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    match Store::open_dir(dir.path()) {
        Err(StoreError::TooNew { found, known }) => {
            assert_eq!(found, SCHEMA_VERSION + 1);
            assert_eq!(known, SCHEMA_VERSION);
        }
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a newer database was opened"),
    }
    let err = Store::open_dir(dir.path()).err().unwrap().to_string();
    assert!(err.contains("newer posdesk"), "{err}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION + 1, "the refused file was not changed");
}

#[test]
fn reopening_keeps_custom_codes_and_notes() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open_dir(dir.path()).unwrap();
        store
            .save_custom(
                &common::custom("X9", "我行拒绝", "Our bank declined"),
                None,
                false,
            )
            .unwrap();
        store
            .set_note(Scheme::Iso8583, "51", "our bank: call 95516")
            .unwrap();
    }
    let store = Store::open_dir(dir.path()).unwrap();
    let book = Codebook::load(&store).unwrap();
    assert_eq!(book.find("x9", None, None)[0].title_en, "Our bank declined");
    let e51 = book.find("51", Some(Scheme::Iso8583), None)[0];
    assert_eq!(book.note(e51), Some("our bank: call 95516"));
}

#[test]
fn a_pack_update_replaces_bundled_codes_but_keeps_user_codes_and_notes() {
    let mut store = common::store();
    store
        .save_custom(
            &common::custom("Q77", "自定义", "Custom decline"),
            None,
            false,
        )
        .unwrap();
    store
        .set_note(Scheme::Cups, "A0", "先签到，再打 95516")
        .unwrap();
    let mut newer = Pack::bundled().unwrap();
    newer.version += 1;
    // The newer pack rewords 51 and drops 54.
    for e in &mut newer.entries {
        if e.code == "51" && e.scheme == Scheme::Iso8583 {
            e.title_en = "Not enough money on the card".into();
        }
    }
    newer
        .entries
        .retain(|e| !(e.code == "54" && e.scheme == Scheme::Iso8583));
    assert!(store.sync_pack(&newer).unwrap());
    assert!(
        !store.sync_pack(&newer).unwrap(),
        "same version: no refresh"
    );
    assert_eq!(store.pack_version().unwrap(), Some(newer.version));

    let book = Codebook::load(&store).unwrap();
    assert_eq!(
        book.find("51", Some(Scheme::Iso8583), None)[0].title_en,
        "Not enough money on the card"
    );
    assert!(book.find("54", Some(Scheme::Iso8583), None).is_empty());
    assert_eq!(book.find("Q77", None, None)[0].title_en, "Custom decline");
    let a0 = book.find("A0", Some(Scheme::Cups), None)[0];
    assert_eq!(book.note(a0), Some("先签到，再打 95516"));

    // An older pack never replaces a newer one.
    let older = Pack::bundled().unwrap();
    assert!(!store.sync_pack(&older).unwrap());
}

#[test]
fn bundled_codes_cannot_be_saved_as_user_codes() {
    let mut store = common::store();
    let mut e = common::custom("51", "改写", "Rewritten");
    e.scheme = Scheme::Iso8583;
    let err = store.save_custom(&e, None, false).unwrap_err().to_string();
    assert!(err.contains("only your own codes"), "{err}");
    let book = Codebook::load(&store).unwrap();
    assert_ne!(
        book.find("51", Some(Scheme::Iso8583), None)[0].title_en,
        "Rewritten"
    );
}

#[test]
fn renaming_a_custom_code_moves_its_note_and_refuses_a_taken_code() {
    let mut store = common::store();
    store
        .save_custom(&common::custom("K1", "甲", "First"), None, false)
        .unwrap();
    store
        .save_custom(&common::custom("K2", "乙", "Second"), None, false)
        .unwrap();
    store.set_note(Scheme::Custom, "K1", "note one").unwrap();
    store
        .save_custom(
            &common::custom("K3", "甲", "First renamed"),
            Some("K1"),
            false,
        )
        .unwrap();
    let book = Codebook::load(&store).unwrap();
    assert!(book.find("K1", Some(Scheme::Custom), None).is_empty());
    let k3 = book.find("K3", Some(Scheme::Custom), None)[0];
    assert_eq!(book.note(k3), Some("note one"));

    let err = store
        .save_custom(&common::custom("K2", "甲", "clash"), Some("K3"), false)
        .unwrap_err();
    assert!(err.to_string().contains("already have a code K2"));
    let book = Codebook::load(&store).unwrap();
    assert_eq!(book.find("K3", None, None)[0].title_en, "First renamed");
    assert_eq!(book.find("K2", None, None)[0].title_en, "Second");
}

#[test]
fn deleting_a_custom_code_removes_it_and_its_note() {
    let mut store = common::store();
    store
        .save_custom(&common::custom("Z-9", "丙", "Third"), None, false)
        .unwrap();
    store.set_note(Scheme::Custom, "Z9", "n").unwrap();
    assert!(store.delete_custom("z9").unwrap().is_some());
    assert!(store.delete_custom("z9").unwrap().is_none());
    assert!(store.notes().unwrap().is_empty());
    assert!(store.custom_codes().unwrap().is_empty());
}

#[test]
fn an_empty_note_removes_the_note() {
    let mut store = common::store();
    store.set_note(Scheme::Iso8583, "05", "call them").unwrap();
    store.set_note(Scheme::Iso8583, "05", "   ").unwrap();
    assert!(store.notes().unwrap().is_empty());
}

#[test]
fn a_failed_import_changes_nothing() {
    let mut store = common::store();
    store
        .save_custom(&common::custom("K1", "甲", "First"), None, false)
        .unwrap();
    let good = common::custom("K5", "戊", "Fifth");
    let mut bad = common::custom("K6", "己", "Sixth");
    bad.steps_en.push("extra step without Chinese".into());
    let err = store.import_custom(&[good, bad]).unwrap_err();
    assert!(err.to_string().contains("K6"), "{err}");
    let codes: Vec<String> = store
        .custom_codes()
        .unwrap()
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(codes, vec!["K1"]);
}

#[test]
fn adding_a_code_i_already_have_asks_before_replacing_it() {
    let mut store = common::store();
    store
        .save_custom(&common::custom("K1", "甲", "First"), None, false)
        .unwrap();
    // "k-1" is the same code as "K1": a new form must not silently replace it.
    let err = store
        .save_custom(&common::custom("k-1", "乙", "Second"), None, false)
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Codes(CodesError::Exists(ref c)) if c == "k-1"),
        "{err}"
    );
    assert_eq!(store.custom_codes().unwrap()[0].title_en, "First");
    store
        .save_custom(&common::custom("k-1", "乙", "Second"), None, true)
        .unwrap();
    let codes = store.custom_codes().unwrap();
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].title_en, "Second");
    // Editing a code and saving it under its own name needs no question.
    store
        .save_custom(
            &common::custom("k-1", "乙", "Second, edited"),
            Some("k-1"),
            false,
        )
        .unwrap();
    assert_eq!(store.custom_codes().unwrap()[0].title_en, "Second, edited");
}

#[test]
fn a_deleted_code_comes_back_with_its_note_on_undo() {
    let mut store = common::store();
    store
        .save_custom(&common::custom("Q1", "甲", "First"), None, false)
        .unwrap();
    store.set_note(Scheme::Custom, "Q1", "call Li").unwrap();
    let deleted = store.delete_custom("q1").unwrap().unwrap();
    assert!(store.custom_codes().unwrap().is_empty());
    store.undo_delete(&deleted).unwrap();
    let book = Codebook::load(&store).unwrap();
    let q1 = book.find("Q1", Some(Scheme::Custom), None)[0];
    assert_eq!(q1.title_en, "First");
    assert_eq!(book.note(q1), Some("call Li"));
    // A code made under that name meanwhile is not replaced by the undo.
    let again = store.delete_custom("Q1").unwrap().unwrap();
    store
        .save_custom(&common::custom("Q1", "乙", "Newer"), None, false)
        .unwrap();
    assert!(matches!(
        store.undo_delete(&again),
        Err(StoreError::Codes(CodesError::Exists(_)))
    ));
    assert_eq!(store.custom_codes().unwrap()[0].title_en, "Newer");
}

#[test]
fn two_windows_never_silently_overwrite_each_others_note() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Store::open_dir(dir.path()).unwrap();
    let mut b = Store::open_dir(dir.path()).unwrap();
    // Both start from no note; B saves first.
    b.set_note_if(Scheme::Iso8583, "51", None, "from B")
        .unwrap();
    let err = a
        .set_note_if(Scheme::Iso8583, "51", None, "from A")
        .unwrap_err();
    match err {
        StoreError::Codes(CodesError::NoteChanged { current }) => {
            assert_eq!(current.as_deref(), Some("from B"))
        }
        e => panic!("wrong error: {e}"),
    }
    assert_eq!(
        a.note(Scheme::Iso8583, "51").unwrap().as_deref(),
        Some("from B")
    );
    // A, told what B wrote, may choose to keep its own.
    a.set_note_if(Scheme::Iso8583, "51", Some("from B"), "from A")
        .unwrap();
    assert_eq!(
        b.note(Scheme::Iso8583, "51").unwrap().as_deref(),
        Some("from A")
    );
}

#[test]
fn a_failure_inside_the_import_transaction_rolls_everything_back() {
    let mut store = common::store();
    let file = CodeFile {
        entries: vec![common::custom("K5", "戊", "Fifth")],
        // The code is accepted by the up-front checks of entries, but the note's code is empty: the
        // failure comes after K5 was written inside the transaction.
        notes: vec![CodeNote {
            scheme: Scheme::Cups,
            code: "--".into(),
            note: "n".into(),
        }],
    };
    assert!(store.import_file(&file).is_err());
    assert!(store.custom_codes().unwrap().is_empty());
    assert!(store.notes().unwrap().is_empty());
}

#[test]
fn notes_are_exported_with_the_users_codes() {
    let mut store = common::store();
    store
        .save_custom(&common::custom("Q1", "甲", "First"), None, false)
        .unwrap();
    store.set_note(Scheme::Custom, "Q1", "mine").unwrap();
    store.set_note(Scheme::Cups, "a0", "先签到").unwrap();
    let file = store.export_file().unwrap();
    assert_eq!(file.entries.len(), 1);
    let mut notes: Vec<(Scheme, String, String)> = file
        .notes
        .iter()
        .map(|n| (n.scheme, n.code.clone(), n.note.clone()))
        .collect();
    notes.sort();
    assert_eq!(
        notes,
        vec![
            (Scheme::Cups, "A0".into(), "先签到".into()),
            (Scheme::Custom, "Q1".into(), "mine".into()),
        ]
    );
    let mut fresh = common::store();
    let summary = fresh.import_file(&file).unwrap();
    assert_eq!((summary.added, summary.notes), (1, 2));
    assert_eq!(
        fresh.note(Scheme::Cups, "A0").unwrap().as_deref(),
        Some("先签到")
    );
}

#[test]
fn every_open_sets_full_sync_and_foreign_keys_and_a_refused_file_keeps_its_journal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    assert!(Store::open(&path).is_err());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete", "a refused file is not switched to WAL");
    drop(conn);
    let other = tempfile::tempdir().unwrap();
    let store = Store::open_dir(other.path()).unwrap();
    let (sync, fk) = store.pragmas().unwrap();
    assert_eq!(
        (sync, fk),
        (2, 1),
        "synchronous=FULL (2) and foreign_keys=ON"
    );
}

#[test]
fn every_migration_file_is_listed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/migrations");
    let files = std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".sql")
        })
        .count();
    assert_eq!(files as u32, SCHEMA_VERSION);
}

#[test]
fn a_database_of_the_first_schema_is_migrated_keeping_its_codes_and_notes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        // As the first release left it: schema 1, one own code and a note.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!(
            "../crates/core/src/store/migrations/001_codes.sql"
        ))
        .unwrap();
        conn.execute_batch(
            "INSERT INTO codes (scheme, code, code_key, title_zh, title_en, explain_zh, explain_en, \
             causes_zh, causes_en, steps_zh, steps_en, fixers, retry, category, vendor_specific, \
             keywords, updated_at) VALUES ('custom', 'Q1', 'Q1', '甲', 'First', '', '', '[]', '[]', \
             '[]', '[]', '[\"provider\"]', 'after_fix', 'transaction', 0, '[]', '2026-01-01T00:00:00Z');
             INSERT INTO code_notes VALUES ('cups', 'A0', '先签到', '2026-01-01T00:00:00Z');
             INSERT INTO meta VALUES ('pack_version', '1');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let store = Store::open_dir(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.custom_codes().unwrap()[0].title_en, "First");
    let book = Codebook::load(&store).unwrap();
    let a0 = book.find("A0", Some(Scheme::Cups), None)[0];
    assert_eq!(book.note(a0), Some("先签到"));
    // The newer pack replaced the bundled codes on the way.
    assert!(store.pack_version().unwrap() > Some(1));
    assert!(store.terminals(false).unwrap().is_empty());
}
