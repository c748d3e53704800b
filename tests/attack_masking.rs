//! The card-number attacks of the reliability review (F1, F2, F9 and the card numbers of F15), the
//! issue's exact check, the schema walk that keeps every text column behind the store's guard, and a
//! property test that hides generated card numbers in every CLI field and import column and then
//! searches every file posdesk wrote for them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

#[path = "support/cli.rs"]
mod cli;
#[path = "support/old_schema.rs"]
mod old_schema;
use cli::{ok, posdesk};
use jiff::Timestamp;
use jiff::civil::date;
use posdesk::domain::incident::{IncidentDraft, IncidentEdit, StepOutcome, StepTried};
use posdesk::domain::maintenance::{
    DoneEntry, Interval, IntervalUnit, Outcome, OwnTaskInfo, Recurrence, TerminalInfo, TerminalKind,
};
use posdesk::domain::pan::{digit_value, luhn_valid};
use posdesk::exchange::codes::{CodeFile, NoteRecord};
use posdesk::store::guard::Field;
use posdesk::store::scrub::{
    GUARDED_COLUMNS, STRUCTURAL_COLUMNS, columns, mask_all_text, row_tables,
};
use posdesk::store::{DB_FILE, JournalError, StoreError};
use posdesk::{Category, Clock, CodeEntry, Fixer, Retry, Scheme, Store};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

// ---- helpers --------------------------------------------------------------------------------------

/// Every file under `dir`, hidden ones included.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The digits of `chars` (any decimal script), in runs: two digits with up to 8 other characters
/// between them belong to one run (the review's "up to 8 non-digit bytes").
fn digit_runs(chars: impl Iterator<Item = char>) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run = String::new();
    let mut gap = 0;
    for c in chars {
        match digit_value(c) {
            Some(d) => {
                if gap > 8 && !run.is_empty() {
                    runs.push(std::mem::take(&mut run));
                }
                run.push(char::from(b'0' + d));
                gap = 0;
            }
            None => gap += 1,
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// The card numbers of `pans` (plain digits) that `bytes` holds: as bytes, as UTF-8, UTF-16LE/BE.
fn found_in(bytes: &[u8], pans: &[String]) -> Vec<String> {
    let utf16 = |le: bool| -> Vec<char> {
        let units = bytes.chunks_exact(2).map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{FFFD}'))
            .collect()
    };
    let mut runs = digit_runs(bytes.iter().map(|&b| char::from(b)));
    runs.extend(digit_runs(String::from_utf8_lossy(bytes).chars()));
    runs.extend(digit_runs(utf16(true).into_iter()));
    runs.extend(digit_runs(utf16(false).into_iter()));
    pans.iter()
        .filter(|p| runs.iter().any(|r| r.contains(p.as_str())))
        .cloned()
        .collect()
}

/// Every (file, card number) found under the folders.
fn scan(dirs: &[&Path], pans: &[String]) -> Vec<(PathBuf, String)> {
    let mut hits = Vec::new();
    for dir in dirs {
        for f in files_under(dir) {
            let bytes = std::fs::read(&f).unwrap_or_default();
            for p in found_in(&bytes, pans) {
                hits.push((f.clone(), p));
            }
            // A file's name is written too.
            let name = f.to_string_lossy().into_owned();
            for p in found_in(name.as_bytes(), pans) {
                hits.push((f.clone(), p));
            }
        }
    }
    hits
}

fn assert_clean(dirs: &[&Path], pans: &[String]) {
    let hits = scan(dirs, pans);
    assert!(hits.is_empty(), "full card numbers found: {hits:#?}");
}

fn pans(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

// ---- F1: any separator, any script ----------------------------------------------------------------

#[test]
fn f1_numbers_split_by_any_separator_or_in_any_script_are_masked_everywhere() {
    let d = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let notes = [
        "card 4539.0000.0000.0044 declined",
        "card\n4539\n0000\n0000\n0085",
        "card\r\n4539\r\n0000\r\n0000\r\n0085",
        "4539\t0000\t0000\t0168",
        "4539    0000    0000    0176",
        "4539/0000/0000/0150",
        "4539_0000_0000_0150",
        "4539,0000,0000,0150",
        "4539\u{200B}0000\u{200B}0000\u{200B}0150",
        "4539\u{00AD}0000\u{00AD}0000\u{00AD}0150",
        "4539\u{202F}0000\u{202F}0000\u{202F}0150",
        "٤٥٣٩٠٠٠٠٠٠٠٠٠١٥٠",
    ];
    for note in notes {
        let o = posdesk(
            d.path(),
            &["incident", "add", "--code", "51", "--note", note],
        );
        ok(&o);
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("masked"),
            "the clerk is told for {note:?}: {o:?}"
        );
    }
    ok(&posdesk(
        d.path(),
        &[
            "incident",
            "resolve",
            "1",
            "--note",
            "refund to 4539.0000.0000.0150",
        ],
    ));
    // An attachment named with the number (the window's dotted file name).
    let slip = out.path().join("slip 4539.0000.0000.0150.jpg");
    std::fs::write(&slip, b"jpeg").unwrap();
    let mut store = Store::open_dir(d.path()).unwrap();
    let a = store.attach_file(1, &slip).unwrap();
    assert_eq!(a.file_name, "slip 453900******0150.jpg");
    assert_eq!(store.take_masked(), 1);
    drop(store);
    std::fs::remove_file(&slip).unwrap();
    let listed = ok(&posdesk(d.path(), &["incident", "list", "--json"]));
    assert!(listed.contains("453900******0044"), "{listed}");
    ok(&posdesk(d.path(), &["backup"]));
    ok(&posdesk(
        d.path(),
        &[
            "incident",
            "export",
            out.path().join("j.csv").to_str().unwrap(),
        ],
    ));
    ok(&posdesk(
        d.path(),
        &[
            "incident",
            "export",
            out.path().join("j.json").to_str().unwrap(),
        ],
    ));
    assert_clean(
        &[d.path(), out.path()],
        &pans(&[
            "4539000000000044",
            "4539000000000085",
            "4539000000000168",
            "4539000000000176",
            "4539000000000150",
        ]),
    );
}

// ---- F2: fields outside the journal ---------------------------------------------------------------

#[test]
fn f2_fields_outside_the_journal_are_masked() {
    let d = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let p = d.path();
    let o = posdesk(
        p,
        &[
            "terminal",
            "add",
            "Till 4539 0000 0000 8088",
            "--model",
            "M 4539000000008104",
            "--serial",
            "4539.0000.0000.8211",
            "--location",
            "by 4539-0000-0000-8088",
            "--provider",
            "P 4539000000008104",
            "--phone",
            "4539 0000 0000 8211",
            "--firmware",
            "v4539000000008088",
        ],
    );
    ok(&o);
    assert!(String::from_utf8_lossy(&o.stderr).contains("card numbers were masked"));
    ok(&posdesk(p, &["terminal", "add", "Till 1"]));
    ok(&posdesk(
        p,
        &[
            "done",
            "Till 1",
            "receipt_paper",
            "--note",
            "card 4539 0000 0000 8088 stuck in slot",
            "--by",
            "Wang 4539000000008104",
        ],
    ));
    ok(&posdesk(
        p,
        &[
            "done",
            "Till 1",
            "firmware_update",
            "--value",
            "4539.0000.0000.8211",
        ],
    ));
    let csv = out.path().join("notes.csv");
    std::fs::write(
        &csv,
        "code,scheme,note,title_en,explain_zh,keywords\n\
         51,cups,\"customer card 4539000000008211 keeps failing\",,,\n\
         \"X 4539 0000 0000 8088\",,\"n 4539000000008104\",\"T 4539000000008211\",\"说明 4539 0000 0000 8088\",\"k 4539000000008104|x\"\n",
    )
    .unwrap();
    ok(&posdesk(p, &["codes", "import", csv.to_str().unwrap()]));
    let json = out.path().join("codes.json");
    std::fs::write(
        &json,
        r#"[{"code":"J4539000000008088","title_en":"t 4539.0000.0000.8104","note":"4539000000008211"}]"#,
    )
    .unwrap();
    ok(&posdesk(p, &["codes", "import", json.to_str().unwrap()]));
    // Skip and snooze reasons and a code note, as the window writes them.
    let mut store = Store::open_dir(p).unwrap();
    let till = store.terminal_by_name("Till 1").unwrap().unwrap();
    let today = store.clock().today();
    let paper = store
        .schedule_of(till.id, "receipt_paper")
        .unwrap()
        .unwrap();
    let screen = store.schedule_of(till.id, "screen_clean").unwrap();
    let other = screen.unwrap_or(paper);
    store
        .skip(
            paper,
            today.checked_add(jiff::Span::new().days(3)).unwrap(),
            today,
            "no paper, card 4539 0000 0000 8088",
            "Li 4539000000008104",
        )
        .unwrap();
    store
        .snooze(
            other,
            today,
            today.checked_add(jiff::Span::new().days(2)).unwrap(),
            "busy 4539\t0000\t0000\t8211",
            "",
        )
        .unwrap();
    store
        .set_note(Scheme::Iso8583, "05", "call about 4539_0000_0000_8088")
        .unwrap();
    assert!(store.take_masked() >= 4);
    drop(store);
    ok(&posdesk(p, &["backup"]));
    ok(&posdesk(
        p,
        &[
            "codes",
            "export",
            out.path().join("c.csv").to_str().unwrap(),
        ],
    ));
    ok(&posdesk(
        p,
        &[
            "codes",
            "export",
            out.path().join("c.json").to_str().unwrap(),
        ],
    ));
    std::fs::remove_file(&csv).unwrap();
    std::fs::remove_file(&json).unwrap();
    assert_clean(
        &[p, out.path()],
        &pans(&["4539000000008088", "4539000000008104", "4539000000008211"]),
    );
}

// ---- F9: a text longer than a field holds ---------------------------------------------------------

#[test]
fn f9_a_huge_text_is_refused_at_once_with_a_message() {
    let mut store = Store::open_in_memory().unwrap();
    let huge = "x".repeat(10 * 1024 * 1024);
    let started = std::time::Instant::now();
    let draft = IncidentDraft {
        symptom: huge.clone(),
        ..IncidentDraft::default()
    };
    assert!(matches!(
        store.create_incident(&draft),
        Err(StoreError::Journal(JournalError::Incident(_)))
    ));
    let id = store
        .create_incident(&IncidentDraft {
            symptom: "ok".into(),
            ..IncidentDraft::default()
        })
        .unwrap()
        .id;
    assert!(store.add_note(id, &huge).is_err());
    assert!(store.set_note(Scheme::Iso8583, "51", &huge).is_err());
    let mut info = terminal("Till");
    info.notes = huge.clone();
    assert!(store.add_terminal(&info).is_err());
    let e = posdesk::store::guard::clean_text(Field::NOTE, &huge).unwrap_err();
    let msg = posdesk::i18n::Explain::explain(&e);
    assert!(msg.en.contains("at most 4000 characters"), "{}", msg.en);
    assert!(msg.zh.contains("4000"), "{}", msg.zh);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "refusing took {:?}",
        started.elapsed()
    );
}

// ---- F15: a backup holding full card numbers ------------------------------------------------------

/// Write `text` into every guarded column of `db` behind the store's back (as an old posdesk or a
/// crafted backup would hold it).
fn plant(db: &Path, text: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute("UPDATE incidents SET symptom = ?1, txn_ref = ?1", [text])
        .unwrap();
    conn.execute("UPDATE incident_notes SET text = ?1", [text])
        .unwrap();
    conn.execute("UPDATE terminals SET notes = ?1, serial = ?1", [text])
        .unwrap();
    conn.execute(
        "INSERT INTO code_notes (scheme, code_key, note, updated_at) VALUES ('cups', '51', ?1, 'x') \
         ON CONFLICT DO UPDATE SET note = excluded.note",
        [text],
    )
    .unwrap();
}

#[test]
fn f15_restore_masks_the_card_numbers_a_backup_brings() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let spare = tempfile::tempdir().unwrap();
    ok(&posdesk(a.path(), &["incident", "add", "--note", "x"]));
    ok(&posdesk(a.path(), &["terminal", "add", "Till 1"]));
    let file = spare.path().join("crafted.sqlite3");
    ok(&posdesk(a.path(), &["backup", file.to_str().unwrap()]));
    plant(&file, "card 4539000000000150 in the clear");
    ok(&posdesk(b.path(), &["incident", "add", "--note", "live"]));
    ok(&posdesk(b.path(), &["restore", file.to_str().unwrap()]));
    let listed = ok(&posdesk(b.path(), &["incident", "list", "--json"]));
    assert!(listed.contains("453900******0150"), "{listed}");
    let found = ok(&posdesk(
        b.path(),
        &["incident", "list", "--search", "clear"],
    ));
    assert!(found.contains("453900******0150"), "{found}");
    // The restored data folder keeps no full number (the copy aside is of the data before).
    assert_clean(&[b.path()], &pans(&["4539000000000150"]));
}

#[test]
fn an_upgrade_masks_data_written_before_the_guard() {
    let d = tempfile::tempdir().unwrap();
    ok(&posdesk(d.path(), &["incident", "add", "--note", "x"]));
    ok(&posdesk(
        d.path(),
        &["incident", "add", "--note", "second", "--code", "51"],
    ));
    ok(&posdesk(d.path(), &["terminal", "add", "Till 1"]));
    let db = d.path().join(DB_FILE);
    plant(&db, "old 4539.0000.0000.0150 note");
    ok(&posdesk(d.path(), &["backup"]));
    // A genuine schema-4 file (stamping only the version would run later migrations on tables that
    // already have their columns).
    old_schema::make_old(&db, 4);
    let store = Store::open_dir(d.path()).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        posdesk::store::SCHEMA_VERSION
    );
    let inc = store.incident(1).unwrap();
    assert_eq!(inc.symptom, "old 453900******0150 note");
    drop(store);
    // The search index holds the masked text only: the number's middle digits find nothing.
    let hit = ok(&posdesk(
        d.path(),
        &["incident", "list", "--search", "0000.0000"],
    ));
    assert!(!hit.contains("old"), "{hit}");
    // The live file, its WAL and every backup (the one made before the upgrade too) keep no copy.
    let backups: Vec<_> = files_under(&d.path().join("backups"));
    assert!(
        backups
            .iter()
            .any(|b| b.to_string_lossy().contains("pre-migration-v4")),
        "{backups:?}"
    );
    assert_clean(&[d.path()], &pans(&["4539000000000150"]));
}

#[test]
fn mask_all_text_counts_and_is_idempotent() {
    let d = tempfile::tempdir().unwrap();
    ok(&posdesk(d.path(), &["incident", "add", "--note", "x"]));
    ok(&posdesk(d.path(), &["terminal", "add", "Till 1"]));
    let db = d.path().join(DB_FILE);
    plant(&db, "4539 0000 0000 0150");
    let conn = rusqlite::Connection::open(&db).unwrap();
    // A time the program wrote in meta whose digits happen to pass Luhn is not a card number.
    let time = (0..10)
        .map(|x| format!("2026-12-06T15:33:15.12345678{x}Z"))
        .find(|t| {
            let d: Vec<u8> = t[11..29].chars().filter_map(digit_value).collect();
            luhn_valid(&d)
        })
        .unwrap();
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('last_backup_at', ?1) \
         ON CONFLICT DO UPDATE SET value = excluded.value",
        [&time],
    )
    .unwrap();
    // symptom, txn_ref, notes, serial, the code note.
    assert_eq!(mask_all_text(&conn).unwrap(), 5);
    let kept: String = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'last_backup_at'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, time);
    assert_eq!(mask_all_text(&conn).unwrap(), 0);
    let serial: String = conn
        .query_row("SELECT serial FROM terminals", [], |r| r.get(0))
        .unwrap();
    assert_eq!(serial, "453900******0150");
}

// ---- the issue's exact check ----------------------------------------------------------------------

#[test]
fn issue_12_exact_check_no_file_keeps_the_numbers() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    ok(&posdesk(
        p,
        &[
            "incident",
            "add",
            "--code",
            "51",
            "--note",
            "card 4539.0000.0000.0150",
        ],
    ));
    ok(&posdesk(p, &["terminal", "add", "T 4111_1111_1111_1111"]));
    ok(&posdesk(p, &["terminal", "add", "T1"]));
    ok(&posdesk(
        p,
        &["done", "T1", "receipt_paper", "--note", "4111111111111111"],
    ));
    ok(&posdesk(p, &["backup"]));
    for f in files_under(p) {
        let bytes = std::fs::read(&f).unwrap();
        for needle in [
            "4539000000000150",
            "4539.0000.0000.0150",
            "4111111111111111",
            "4111_1111_1111_1111",
        ] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{f:?} holds {needle}"
            );
        }
    }
    assert_clean(&[p], &pans(&["4539000000000150", "4111111111111111"]));
}

// ---- the schema walk ------------------------------------------------------------------------------

fn terminal(name: &str) -> TerminalInfo {
    TerminalInfo {
        name: name.into(),
        kind: TerminalKind::CardTerminal,
        model: String::new(),
        serial: String::new(),
        location: String::new(),
        provider: String::new(),
        support_phone: String::new(),
        firmware: String::new(),
        notes: String::new(),
    }
}

fn entry(code: &str, t: &str) -> CodeEntry {
    CodeEntry {
        code: code.into(),
        scheme: Scheme::Custom,
        title_zh: t.into(),
        title_en: t.into(),
        explain_zh: t.into(),
        explain_en: t.into(),
        causes_zh: vec![t.into()],
        causes_en: vec![t.into()],
        steps_zh: vec![t.into(), "a".into()],
        steps_en: vec![t.into(), "a".into()],
        fixers: vec![Fixer::Provider],
        retry: Retry::AfterFix,
        category: Category::Transaction,
        vendor_specific: false,
        keywords: vec![t.into()],
        says_zh: vec![t.into()],
        says_en: vec![t.into()],
        source: t.into(),
    }
}

/// Every 13–19 digit Luhn run in `text` (digits of any script, any separators between them).
fn luhn_runs(text: &str) -> Vec<String> {
    let digits: Vec<u8> = text.chars().filter_map(digit_value).collect();
    let mut out = Vec::new();
    // Any window of the digits in order: stricter than the masking rule (it also looks across
    // letters), so a value that passes here holds no card number however it is read.
    for start in 0..digits.len() {
        for len in 13..=19 {
            if start + len <= digits.len() && luhn_valid(&digits[start..start + len]) {
                let w: String = digits[start..start + len]
                    .iter()
                    .map(|d| char::from(b'0' + d))
                    .collect();
                if PLANTED.iter().any(|p| w == *p) {
                    out.push(w);
                }
            }
        }
    }
    out
}

const PLANTED: [&str; 2] = ["4539000000000150", "4111111111111111"];

#[test]
fn every_text_column_is_written_through_the_guard() {
    let d = tempfile::tempdir().unwrap();
    let now: Timestamp = "2026-05-04T09:00:00Z".parse().unwrap();
    let mut s = Store::open_dir(d.path())
        .unwrap()
        .with_clock(Clock::fixed(now));
    let pan = "pan 4539.0000.0000.0150";
    let pan2 = "4111 1111 1111 1111";
    // The journal: every text of every write.
    let id = s
        .create_incident(&IncidentDraft {
            terminal: Some(pan.into()),
            code: Some(pan2.into()),
            symptom: pan.into(),
            txn_ref: Some(pan.into()),
            who: Some(pan.into()),
            steps: vec![StepTried {
                text: pan.into(),
                outcome: StepOutcome::Tried,
            }],
            ..IncidentDraft::default()
        })
        .unwrap()
        .id;
    s.import_incidents([IncidentDraft {
        symptom: pan.into(),
        code: Some(pan.into()),
        ..IncidentDraft::default()
    }])
    .unwrap();
    s.add_note(id, pan).unwrap();
    s.edit_incident(
        id,
        &IncidentEdit {
            terminal: Some(Some(pan2.into())),
            code: Some(Some(pan.into())),
            symptom: Some(pan2.into()),
            txn_ref: Some(Some(pan2.into())),
            resolution: Some(pan.into()),
            who: Some(Some(pan2.into())),
            steps: Some(vec![StepTried {
                text: pan2.into(),
                outcome: StepOutcome::Worked,
            }]),
            ..IncidentEdit::default()
        },
    )
    .unwrap();
    s.resolve(id, pan2).unwrap();
    let file = d.path().join("slip 4111_1111_1111_1111.png");
    std::fs::write(&file, b"png").unwrap();
    s.attach_file(id, &file).unwrap();
    std::fs::remove_file(&file).unwrap();
    // Codes and notes.
    s.save_custom(&entry(pan2, pan), None, false).unwrap();
    s.set_note(Scheme::Cups, "51", pan).unwrap();
    s.set_note_if(Scheme::Iso8583, "05", None, pan2).unwrap();
    s.set_note(Scheme::Custom, pan2, pan).unwrap();
    s.import_file(&CodeFile {
        entries: vec![entry("IMP 4539 0000 0000 0150", pan2)],
        notes: vec![NoteRecord {
            scheme: Scheme::Terminal,
            code: "6003".into(),
            note: pan.into(),
        }],
    })
    .unwrap();
    let deleted = s.delete_custom(pan2).unwrap().unwrap();
    s.undo_delete(&deleted).unwrap();
    // Terminals and maintenance.
    let t = s
        .add_terminal(&TerminalInfo {
            name: format!("A {pan}"),
            kind: TerminalKind::CardTerminal,
            model: pan.into(),
            serial: pan2.into(),
            location: pan.into(),
            provider: pan2.into(),
            support_phone: pan.into(),
            firmware: pan2.into(),
            notes: pan.into(),
        })
        .unwrap();
    s.edit_terminal(
        t.id,
        &TerminalInfo {
            name: format!("B {pan2}"),
            kind: TerminalKind::CardTerminal,
            model: pan2.into(),
            serial: pan.into(),
            location: pan2.into(),
            provider: pan.into(),
            support_phone: pan2.into(),
            firmware: pan.into(),
            notes: pan2.into(),
        },
    )
    .unwrap();
    s.set_last_used_terminal(t.id).unwrap();
    let today = date(2026, 5, 4);
    let paper = s.schedule_of(t.id, "receipt_paper").unwrap().unwrap();
    let firmware = s.schedule_of(t.id, "firmware_update").unwrap().unwrap();
    let entry_of = |v: Option<&str>| DoneEntry {
        done_on: today,
        by: pan.into(),
        outcome: Outcome::AllFine,
        note: pan2.into(),
        value: v.map(str::to_string),
    };
    s.mark_done(paper, today, &entry_of(None)).unwrap();
    s.mark_done_occurrence(
        firmware,
        s.schedule_status(firmware, today)
            .unwrap()
            .unwrap()
            .plan
            .start,
        &entry_of(Some(pan)),
    )
    .unwrap();
    let tasks = s.terminal_tasks(t.id, today).unwrap();
    let mut others = tasks
        .iter()
        .map(|t| t.schedule)
        .filter(|id| *id != paper && *id != firmware);
    let (a, b) = (others.next().unwrap(), others.next().unwrap());
    s.skip(
        a,
        today.checked_add(jiff::Span::new().days(400)).unwrap(),
        today,
        pan,
        pan2,
    )
    .unwrap();
    s.snooze(
        b,
        today,
        today.checked_add(jiff::Span::new().days(3)).unwrap(),
        pan2,
        pan,
    )
    .unwrap();
    // The shop's own task, and a photo kept with a done task.
    s.add_own_task(&OwnTaskInfo {
        title_zh: pan.into(),
        title_en: pan2.into(),
        steps_zh: vec![pan.into()],
        steps_en: vec![pan2.into()],
        kinds: vec![TerminalKind::CardTerminal],
        interval: Interval::new(1, IntervalUnit::Week).unwrap(),
        recurrence: Recurrence::Calendar,
    })
    .unwrap();
    let photo = d.path().join("till 4111_1111_1111_1111.jpg");
    std::fs::write(&photo, b"jpg").unwrap();
    let done = s.history(t.id, Some("receipt_paper"), 1).unwrap()[0].id;
    s.attach_photo(done, &photo).unwrap();
    std::fs::remove_file(&photo).unwrap();
    s.backup_now().unwrap();
    assert!(s.take_masked() > 30);
    drop(s);

    // The schema: every column of every table is either guarded or structural, and nothing else.
    let conn = rusqlite::Connection::open(d.path().join(DB_FILE)).unwrap();
    let mut schema = BTreeSet::new();
    let mut text_columns = BTreeSet::new();
    for table in row_tables(&conn).unwrap() {
        let mut stmt = conn
            .prepare("SELECT name, type FROM pragma_table_info(?1)")
            .unwrap();
        let cols: Vec<(String, String)> = stmt
            .query_map([&table], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for (c, ty) in cols {
            if ty.eq_ignore_ascii_case("TEXT") {
                text_columns.insert((table.clone(), c.clone()));
            }
            schema.insert((table.clone(), c));
        }
    }
    let listed: BTreeSet<(String, String)> = GUARDED_COLUMNS
        .iter()
        .chain(STRUCTURAL_COLUMNS)
        .map(|(t, c)| (t.to_string(), c.to_string()))
        .collect();
    assert_eq!(
        GUARDED_COLUMNS.len() + STRUCTURAL_COLUMNS.len(),
        listed.len(),
        "a column is listed twice"
    );
    let missing: Vec<_> = text_columns.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "text columns written without the guard's coverage (add them to store::scrub's lists \
         and write them through store::guard): {missing:?}"
    );
    let gone: Vec<_> = listed.difference(&schema).collect();
    assert!(
        gone.is_empty(),
        "listed columns not in the schema: {gone:?}"
    );

    // Every guarded column got a card number above (so the walk proves the writes covered it),
    // and no text value anywhere holds one.
    let mut hits = Vec::new();
    for table in row_tables(&conn).unwrap() {
        for column in columns(&conn, &table).unwrap() {
            let values: Vec<String> = conn
                .prepare(&format!(
                    "SELECT \"{column}\" FROM \"{table}\" WHERE typeof(\"{column}\") = 'text'"
                ))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            for v in values {
                for run in luhn_runs(&v) {
                    hits.push(format!("{table}.{column}: {run} in {v:?}"));
                }
            }
        }
    }
    assert!(hits.is_empty(), "{hits:#?}");
    // The guarded columns the writes above reach hold a masked number: proof they were written.
    let reached: BTreeSet<(String, String)> = GUARDED_COLUMNS
        .iter()
        .filter(|(t, c)| {
            let n: i64 = conn
                .query_row(
                    &format!(
                        "SELECT count(*) FROM \"{t}\" WHERE \"{c}\" LIKE '%******%' \
                         OR \"{c}\" LIKE '%453900%0150%' OR \"{c}\" LIKE '%411111%1111%'"
                    ),
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            n > 0
        })
        .map(|(t, c)| (t.to_string(), c.to_string()))
        .collect();
    // Written only from the bundled packs (no clerk text reaches them) or derived keys that keep
    // no stars; their writes pass the same guard (see store::codes::insert, sync_checklists).
    let bundled_only: BTreeSet<(String, String)> = [
        ("task_templates", "steps_en"),
        ("task_templates", "steps_zh"),
        ("task_templates", "title_en"),
        ("task_templates", "title_zh"),
        ("task_templates", "value_label_en"),
        ("task_templates", "value_label_zh"),
        ("task_templates", "why_en"),
        ("task_templates", "why_zh"),
    ]
    .iter()
    .map(|(t, c)| (t.to_string(), c.to_string()))
    .collect();
    let unreached: Vec<_> = GUARDED_COLUMNS
        .iter()
        .map(|(t, c)| (t.to_string(), c.to_string()))
        .filter(|k| !reached.contains(k) && !bundled_only.contains(k))
        .collect();
    assert!(
        unreached.is_empty(),
        "guarded columns no write of this test reached: {unreached:?}"
    );
    assert_clean(&[d.path()], &pans(&PLANTED));
}

#[test]
fn the_scanner_finds_numbers_however_they_are_stored() {
    let p = pans(&["4539000000000150"]);
    for stored in [
        "x 4539000000000150 y".to_string(),
        "4539.0000.0000.0150".to_string(),
        "4539000000000150"
            .chars()
            .map(|c| char::from_u32(c as u32 - 0x30 + 0xFF10).unwrap())
            .collect::<String>(),
        "٤٥٣٩٠٠٠٠٠٠٠٠٠١٥٠".to_string(),
        "4539\u{200B}0000\u{200B}0000\u{200B}0150".to_string(),
    ] {
        assert_eq!(found_in(stored.as_bytes(), &p), p, "{stored:?}");
    }
    let utf16: Vec<u8> = "4539000000000150"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    assert_eq!(found_in(&utf16, &p), p);
    assert!(found_in(b"453900******0150", &p).is_empty());
    assert!(found_in(b"4539 and then a long gap 000000000150", &p).is_empty());
}

// ---- the property test ----------------------------------------------------------------------------

/// What may stand between two digit groups: punctuation, white space of every kind, invisible
/// characters.
const SEPARATORS: &[&str] = &[
    " ", "  ", "    ", ".", "/", "_", ",", "-", "\t", "\n", "\r\n", "\u{200B}", "\u{200C}",
    "\u{200D}", "\u{2060}", "\u{00AD}", "\u{202F}", "\u{00A0}", "\u{2009}", "\u{3000}", "\u{FEFF}",
    "·", "—", "、", ":", "+", "#",
];

/// The `0` of the digit scripts a number may be typed or pasted in.
const ZEROS: &[u32] = &[
    0x30, 0xFF10, 0x660, 0x6F0, 0x966, 0x9E6, 0xE50, 0x1040, 0x1D7CE, 0x1D7EC,
];

/// A Luhn-valid card number of 13–19 digits, as plain ASCII digits.
fn card_number() -> impl Strategy<Value = String> {
    (13usize..=19)
        .prop_flat_map(|len| (2u8..10, proptest::collection::vec(0u8..10, len - 2)))
        .prop_map(|(first, rest)| {
            let mut digits = vec![first];
            digits.extend(rest);
            // The check digit that makes the whole number pass.
            let check = (0..10u8)
                .find(|c| {
                    let mut all = digits.clone();
                    all.push(*c);
                    luhn_valid(&all)
                })
                .unwrap();
            digits.push(check);
            digits.iter().map(|d| char::from(b'0' + d)).collect()
        })
}

/// A card number and one way a clerk's text might hold it: split anywhere, joined by any
/// separators, in any digit script.
fn written_card() -> impl Strategy<Value = (String, String)> {
    card_number().prop_flat_map(|plain| {
        let n = plain.len();
        (
            Just(plain),
            proptest::collection::vec((0..4u8, 0..SEPARATORS.len()), n - 1),
            0..ZEROS.len(),
        )
            .prop_map(|(plain, gaps, script)| {
                let mut out = String::new();
                for (i, d) in plain.chars().enumerate() {
                    let v = d.to_digit(10).unwrap();
                    out.push(char::from_u32(ZEROS[script] + v).unwrap());
                    if let Some((cut, sep)) = gaps.get(i)
                        && *cut == 0
                    {
                        out.push_str(SEPARATORS[*sep]);
                    }
                }
                (plain, out)
            })
    })
}

fn cli(dir: &Path, args: &[&str]) {
    use clap::Parser;
    let mut argv = vec!["posdesk", "--data-dir", dir.to_str().unwrap()];
    argv.extend_from_slice(args);
    let cli = posdesk_cli::Cli::try_parse_from(&argv).unwrap();
    let code = posdesk_cli::run(cli.data_dir, cli.command.unwrap()).unwrap();
    assert_eq!(
        format!("{code:?}"),
        format!("{:?}", std::process::ExitCode::SUCCESS),
        "{argv:?}"
    );
}

/// `written` when it fits a field of `max` characters, else the plain digits.
fn fit(written: &str, plain: &str, max: usize) -> String {
    if written.chars().count() <= max {
        written.to_string()
    } else {
        plain.to_string()
    }
}

#[test]
fn property_generated_card_numbers_never_reach_a_file() {
    use proptest::test_runner::{Config, TestRunner};
    let d = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (d, out) = (d.path(), out.path());
    let all = std::cell::RefCell::new(Vec::<String>::new());
    let case = std::cell::Cell::new(0usize);
    let mut runner = TestRunner::new(Config {
        cases: 12,
        failure_persistence: None,
        ..Config::default()
    });
    let started = std::time::Instant::now();
    runner
        .run(&proptest::collection::vec(written_card(), 6), |cards| {
            case.set(case.get() + 1);
            let k = case.get();
            let w = |i: usize| cards[i % cards.len()].1.clone();
            let p = |i: usize| cards[i % cards.len()].0.clone();
            let plains: Vec<String> = cards.iter().map(|c| c.0.clone()).collect();
            all.borrow_mut().extend(plains.iter().cloned());
            // The journal.
            let code = fit(&w(0), &p(0), 60);
            let incident_terminal = fit(&w(1), &p(1), 190);
            cli(
                d,
                &[
                    "incident",
                    "add",
                    "--code",
                    &code,
                    "--terminal",
                    &incident_terminal,
                    "--note",
                    &format!("card {} declined", w(2)),
                ],
            );
            cli(
                d,
                &[
                    "incident",
                    "resolve",
                    &k.to_string(),
                    "--note",
                    &format!("refund {}", w(3)),
                ],
            );
            // Terminals and maintenance.
            let name = format!("T{k} {}", fit(&w(4), &p(4), 70));
            cli(
                d,
                &[
                    "terminal",
                    "add",
                    &name,
                    "--model",
                    &w(5),
                    "--serial",
                    &w(0),
                    "--location",
                    &w(1),
                    "--provider",
                    &w(2),
                    "--phone",
                    &w(3),
                    "--firmware",
                    &w(4),
                ],
            );
            let till = format!("Till{k}");
            cli(d, &["terminal", "add", &till]);
            cli(
                d,
                &[
                    "done",
                    &till,
                    "receipt_paper",
                    "--note",
                    &w(5),
                    "--by",
                    &fit(&w(0), &p(0), 70),
                ],
            );
            cli(d, &["done", &till, "firmware_update", "--value", &w(1)]);
            // Own codes: every text column, in CSV and JSON, and a note on a bundled code.
            let csv_path = out.join(format!("in{k}.csv"));
            let mut csv = csv::Writer::from_path(&csv_path).unwrap();
            csv.write_record([
                "code",
                "title_zh",
                "title_en",
                "explain_zh",
                "explain_en",
                "causes_zh",
                "causes_en",
                "steps_zh",
                "steps_en",
                "keywords",
                "scheme",
                "note",
                "says_zh",
                "says_en",
                "source",
            ])
            .unwrap();
            csv.write_record([
                format!("C{k} {}", fit(&w(2), &p(2), 55)),
                w(3),
                w(4),
                w(5),
                w(0),
                w(1),
                w(2),
                w(3),
                w(4),
                w(5),
                String::new(),
                w(0),
                w(1),
                w(2),
                w(3),
            ])
            .unwrap();
            csv.write_record([
                "51".to_string(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                "cups".into(),
                format!("bank says {}", w(1)),
                String::new(),
                String::new(),
                String::new(),
            ])
            .unwrap();
            csv.flush().unwrap();
            drop(csv);
            cli(d, &["codes", "import", csv_path.to_str().unwrap()]);
            let json_path = out.join(format!("in{k}.json"));
            let json = serde_json::json!([{
                "code": format!("J{k} {}", fit(&w(3), &p(3), 55)),
                "title_en": w(4), "title_zh": w(5), "explain_en": w(0), "explain_zh": w(1),
                "causes_en": [w(2)], "causes_zh": [w(3)], "steps_en": [w(4)], "steps_zh": [w(5)],
                "keywords": [w(0)], "note": w(1),
            }]);
            std::fs::write(&json_path, json.to_string()).unwrap();
            cli(d, &["codes", "import", json_path.to_str().unwrap()]);
            std::fs::remove_file(&csv_path).unwrap();
            std::fs::remove_file(&json_path).unwrap();
            // A backup and every export.
            cli(d, &["backup"]);
            for f in [format!("c{k}.csv"), format!("c{k}.json")] {
                cli(d, &["codes", "export", out.join(f).to_str().unwrap()]);
            }
            for f in [format!("j{k}.csv"), format!("j{k}.json")] {
                cli(d, &["incident", "export", out.join(f).to_str().unwrap()]);
            }
            let hits = scan(&[d.join(DB_FILE).parent().unwrap()], &plains);
            prop_assert!(hits.is_empty(), "{hits:#?} from {cards:?}");
            let hits = scan(&[out], &plains);
            prop_assert!(hits.is_empty(), "{hits:#?} from {cards:?}");
            Ok(())
        })
        .unwrap();
    assert_eq!(case.get(), 12);
    // Once more over everything, for every number of every case.
    assert_clean(&[d, out], &all.borrow());
    eprintln!("property test: {:?}", started.elapsed());
}
