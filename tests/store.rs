//! Store, migrations and pack refresh.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

mod common;

use posdesk::pack::Pack;
use posdesk::store::{DB_FILE, SCHEMA_VERSION, StoreError};
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
            .save_custom(&common::custom("X9", "我行拒绝", "Our bank declined"), None)
            .unwrap();
        store
            .set_note(Scheme::Iso8583, "51", "our bank: call 95516")
            .unwrap();
    }
    let store = Store::open_dir(dir.path()).unwrap();
    let book = Codebook::load(&store).unwrap();
    assert_eq!(book.find("x9", None)[0].title_en, "Our bank declined");
    let e51 = book.find("51", Some(Scheme::Iso8583))[0];
    assert_eq!(book.note(e51), Some("our bank: call 95516"));
}

#[test]
fn a_pack_update_replaces_bundled_codes_but_keeps_user_codes_and_notes() {
    let mut store = common::store();
    store
        .save_custom(&common::custom("Q77", "自定义", "Custom decline"), None)
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
        book.find("51", Some(Scheme::Iso8583))[0].title_en,
        "Not enough money on the card"
    );
    assert!(book.find("54", Some(Scheme::Iso8583)).is_empty());
    assert_eq!(book.find("Q77", None)[0].title_en, "Custom decline");
    let a0 = book.find("A0", Some(Scheme::Cups))[0];
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
    let err = store.save_custom(&e, None).unwrap_err().to_string();
    assert!(err.contains("only your own codes"), "{err}");
    let book = Codebook::load(&store).unwrap();
    assert_ne!(
        book.find("51", Some(Scheme::Iso8583))[0].title_en,
        "Rewritten"
    );
}

#[test]
fn renaming_a_custom_code_moves_its_note_and_refuses_a_taken_code() {
    let mut store = common::store();
    store
        .save_custom(&common::custom("K1", "甲", "First"), None)
        .unwrap();
    store
        .save_custom(&common::custom("K2", "乙", "Second"), None)
        .unwrap();
    store.set_note(Scheme::Custom, "K1", "note one").unwrap();
    store
        .save_custom(&common::custom("K3", "甲", "First renamed"), Some("K1"))
        .unwrap();
    let book = Codebook::load(&store).unwrap();
    assert!(book.find("K1", Some(Scheme::Custom)).is_empty());
    let k3 = book.find("K3", Some(Scheme::Custom))[0];
    assert_eq!(book.note(k3), Some("note one"));

    let err = store
        .save_custom(&common::custom("K2", "甲", "clash"), Some("K3"))
        .unwrap_err();
    assert!(err.to_string().contains("already have a code K2"));
    let book = Codebook::load(&store).unwrap();
    assert_eq!(book.find("K3", None)[0].title_en, "First renamed");
    assert_eq!(book.find("K2", None)[0].title_en, "Second");
}

#[test]
fn deleting_a_custom_code_removes_it_and_its_note() {
    let mut store = common::store();
    store
        .save_custom(&common::custom("Z-9", "丙", "Third"), None)
        .unwrap();
    store.set_note(Scheme::Custom, "Z9", "n").unwrap();
    assert!(store.delete_custom("z9").unwrap());
    assert!(!store.delete_custom("z9").unwrap());
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
        .save_custom(&common::custom("K1", "甲", "First"), None)
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
