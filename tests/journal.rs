//! The incident journal: store rules, masking, search, paging, export, attachments and the CLI.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

#[path = "support/cli.rs"]
mod cli;
mod common;

use cli::posdesk;
use jiff::{SignedDuration, Timestamp};
use posdesk::domain::incident::{
    IncidentDraft, IncidentEdit, IncidentError, IncidentFilter, IncidentStatus, RepeatRule,
    StepOutcome, StepTried,
};
use posdesk::domain::pan::mask_pans;
use posdesk::exchange::journal::{CsvStyle, export_journal};
use posdesk::i18n::Lang;
use posdesk::store::{JournalError, StoreError};
use posdesk::{Clock, Codebook, Scheme, Store};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Output};

const NOW: &str = "2026-03-15T12:00:00Z";

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn days_ago(n: i64) -> Timestamp {
    t(NOW) - SignedDuration::from_hours(24 * n)
}

/// An in-memory store on a fixed clock at NOW.
fn store() -> (Store, Clock) {
    let clock = Clock::fixed(t(NOW));
    (common::store().with_clock(clock.clone()), clock)
}

fn draft(code: &str, terminal: &str, symptom: &str) -> IncidentDraft {
    IncidentDraft {
        code: Some(code.into()),
        terminal: Some(terminal.into()),
        symptom: symptom.into(),
        ..IncidentDraft::default()
    }
}

fn at(mut d: IncidentDraft, when: Timestamp) -> IncidentDraft {
    d.occurred_at = Some(when);
    d
}

fn search(store: &Store, text: &str) -> Vec<i64> {
    let filter = IncidentFilter {
        text: Some(text.into()),
        ..IncidentFilter::default()
    };
    let ids: Vec<i64> = store
        .list_incidents(&filter, None, 100)
        .unwrap()
        .rows
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(store.count_incidents(&filter).unwrap(), ids.len() as u64);
    ids
}

#[test]
fn status_moves_open_waiting_resolved_and_reopen() {
    let (mut s, clock) = store();
    let id = s
        .create_incident(&draft("51", "Till 2", "declined"))
        .unwrap()
        .id;
    assert_eq!(s.incident(id).unwrap().status, IncidentStatus::Open);
    s.set_status(id, IncidentStatus::Waiting).unwrap();
    clock.set(t("2026-03-15T13:30:00Z"));
    s.resolve(id, "provider reset the keys").unwrap();
    let inc = s.incident(id).unwrap();
    assert_eq!(inc.status, IncidentStatus::Resolved);
    assert_eq!(inc.resolved_at, Some(t("2026-03-15T13:30:00Z")));
    assert_eq!(inc.resolution, "provider reset the keys");

    // Invalid moves are typed errors and change nothing.
    for to in [IncidentStatus::Resolved, IncidentStatus::Waiting] {
        match s.set_status(id, to) {
            Err(StoreError::Journal(JournalError::Incident(IncidentError::Transition {
                from,
                to: got,
            }))) => {
                assert_eq!((from, got), (IncidentStatus::Resolved, to));
            }
            other => panic!("expected a transition error, got {other:?}"),
        }
    }
    assert_eq!(s.incident(id).unwrap().status, IncidentStatus::Resolved);

    s.reopen(id).unwrap();
    let inc = s.incident(id).unwrap();
    assert_eq!(inc.status, IncidentStatus::Open);
    assert_eq!(inc.resolved_at, None);
    assert_eq!(inc.resolution, "provider reset the keys", "kept on reopen");
    assert!(matches!(
        s.set_status(id, IncidentStatus::Open),
        Err(StoreError::Journal(JournalError::Incident(
            IncidentError::Transition { .. }
        )))
    ));
    assert!(matches!(
        s.set_status(9999, IncidentStatus::Waiting),
        Err(StoreError::Journal(JournalError::NoIncident(9999)))
    ));
}

#[test]
fn timeline_is_in_time_order_and_steps_keep_theirs() {
    let (mut s, clock) = store();
    let mut d = draft("A0", "Till 1", "MAC error");
    d.steps = vec![
        StepTried {
            text: "Sign in again".into(),
            outcome: StepOutcome::DidNotWork,
        },
        StepTried {
            text: "Call the provider".into(),
            outcome: StepOutcome::Worked,
        },
    ];
    let id = s.create_incident(&d).unwrap().id;
    clock.set(t("2026-03-15T12:10:00Z"));
    s.add_note(id, "second").unwrap();
    clock.set(t("2026-03-15T12:05:00Z")); // a clock set back: the timeline still reads by time
    s.add_note(id, "first").unwrap();
    clock.set(t("2026-03-15T12:20:00Z"));
    s.add_note(id, "third").unwrap();
    let inc = s.incident(id).unwrap();
    let texts: Vec<&str> = inc.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, ["first", "second", "third"]);
    assert!(inc.notes.windows(2).all(|w| w[0].at <= w[1].at));
    assert_eq!(inc.steps, d.steps);
    assert!(matches!(
        s.add_note(id, "   "),
        Err(StoreError::Journal(JournalError::Incident(
            IncidentError::EmptyNote
        )))
    ));
}

#[test]
fn card_numbers_are_masked_in_every_field() {
    let (mut s, _) = store();
    let mut d = draft("51", "Till 2", "card 4111 1111 1111 1111 declined");
    d.txn_ref = Some("5500-0000-0000-0004".into());
    d.steps = vec![StepTried {
        text: "retyped 4111-1111-1111-1111".into(),
        outcome: StepOutcome::Tried,
    }];
    let saved = s.create_incident(&d).unwrap();
    assert!(saved.masked);
    let note = s.add_note(saved.id, "same card 4111111111111111").unwrap();
    assert!(note.masked);
    assert!(s.resolve(saved.id, "told 5500 0000 0000 0004").unwrap());
    let inc = s.incident(saved.id).unwrap();
    assert_eq!(inc.symptom, "card 411111******1111 declined");
    assert_eq!(inc.txn_ref.as_deref(), Some("550000******0004"));
    assert_eq!(inc.steps[0].text, "retyped 411111******1111");
    assert_eq!(inc.notes[0].text, "same card 411111******1111");
    assert_eq!(inc.resolution, "told 550000******0004");
    // The masked form is still searchable; the full number is not there to find.
    assert_eq!(search(&s, "411111"), vec![saved.id]);
    assert!(search(&s, "41111111").is_empty());
}

#[test]
fn order_and_phone_numbers_are_left_alone() {
    let (mut s, _) = store();
    let text = "order 1234567890123, call 13800138000";
    let saved = s.create_incident(&draft("05", "Till 1", text)).unwrap();
    assert!(!saved.masked);
    assert_eq!(s.incident(saved.id).unwrap().symptom, text);
    assert!(!mask_pans("1234567890123").masked());
    assert!(!mask_pans("13800138000").masked());
}

#[test]
fn two_character_chinese_words_and_longer_searches_find_incidents() {
    let (mut s, _) = store();
    let a = s
        .create_incident(&draft("51", "Till 1", "顾客余额不足，换卡支付"))
        .unwrap()
        .id;
    let b = s
        .create_incident(&draft("98", "Till 2", "网络超时，冲正失败"))
        .unwrap()
        .id;
    let c = s
        .create_incident(&draft("", "Till 2", "Printer out of paper"))
        .unwrap()
        .id;
    let d = s
        .create_incident(&draft("A0", "Till 3", "签到失败"))
        .unwrap()
        .id;
    s.add_note(d, "服务商说是超时").unwrap();

    assert_eq!(search(&s, "余额"), vec![a]);
    assert_eq!(
        search(&s, "超时"),
        vec![d, b],
        "newest first, notes included"
    );
    assert_eq!(search(&s, "额不"), vec![a]);
    assert!(search(&s, "余时").is_empty());
    assert_eq!(search(&s, "余额不足"), vec![a], "3+ characters: trigram");
    assert_eq!(search(&s, "冲正失"), vec![b]);
    assert_eq!(search(&s, "paper"), vec![c], "English word");
    assert_eq!(search(&s, "PRINT"), vec![c], "any case, substring");
    assert_eq!(search(&s, "超时 冲正失败"), vec![b], "all words must match");
    assert_eq!(search(&s, "51"), vec![a], "a code is searchable too");
    assert_eq!(
        search(&s, "\"E-101 OR ("),
        Vec::<i64>::new(),
        "syntax is text"
    );

    // Search combines with the other filters.
    let filter = IncidentFilter {
        text: Some("超时".into()),
        terminal: Some("Till 3".into()),
        ..IncidentFilter::default()
    };
    let rows = s.list_incidents(&filter, None, 10).unwrap().rows;
    assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![d]);
}

#[test]
fn editing_rewrites_the_search_index_and_order() {
    let (mut s, _) = store();
    let a = s
        .create_incident(&at(draft("51", "Till 1", "余额不足"), days_ago(2)))
        .unwrap()
        .id;
    let b = s
        .create_incident(&at(draft("05", "Till 1", "declined"), days_ago(1)))
        .unwrap()
        .id;
    let all = IncidentFilter::default();
    let order = |s: &Store| -> Vec<i64> {
        let p = s.list_incidents(&all, None, 10).unwrap();
        p.rows.iter().map(|r| r.id).collect()
    };
    assert_eq!(order(&s), vec![b, a]);
    let masked = s
        .edit_incident(
            a,
            &IncidentEdit {
                occurred_at: Some(t(NOW)),
                symptom: Some("超时 card 4111111111111111".into()),
                terminal: Some(None),
                ..IncidentEdit::default()
            },
        )
        .unwrap();
    assert!(masked);
    assert_eq!(order(&s), vec![a, b]);
    assert!(
        search(&s, "余额").is_empty(),
        "old text is gone from the index"
    );
    assert_eq!(search(&s, "超时"), vec![a]);
    let inc = s.incident(a).unwrap();
    assert_eq!(inc.terminal, None);
    assert_eq!(inc.symptom, "超时 card 411111******1111");
}

#[test]
fn keyset_paging_returns_every_row_once_newest_first() {
    let (mut s, _) = store();
    // Many share a time: the tie-break must not skip or repeat any.
    let drafts: Vec<IncidentDraft> = (0..250)
        .map(|i| {
            let status_text = if i % 3 == 0 {
                "余额不足"
            } else {
                "网络超时"
            };
            at(
                draft(if i % 2 == 0 { "51" } else { "98" }, "Till 1", status_text),
                days_ago(i % 17),
            )
        })
        .collect();
    assert_eq!(s.import_incidents(drafts).unwrap(), 250);
    for filter in [
        IncidentFilter::default(),
        IncidentFilter {
            code: Some("51".into()),
            ..IncidentFilter::default()
        },
        IncidentFilter {
            text: Some("超时".into()),
            ..IncidentFilter::default()
        },
        IncidentFilter {
            from: Some(days_ago(10)),
            until: Some(days_ago(3)),
            ..IncidentFilter::default()
        },
    ] {
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = s.list_incidents(&filter, after, 7).unwrap();
            assert!(page.rows.len() <= 7);
            seen.extend(page.rows.iter().map(|r| (r.id, r.occurred_at)));
            match page.next {
                Some(c) => after = Some(c),
                None => break,
            }
        }
        let ids: HashSet<i64> = seen.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids.len(), seen.len(), "no row twice ({filter:?})");
        assert_eq!(seen.len() as u64, s.count_incidents(&filter).unwrap());
        assert!(seen.windows(2).all(|w| w[0].1 >= w[1].1), "newest first");
        assert!(!seen.is_empty());
    }
    let filter = IncidentFilter {
        code: Some(" 51 ".into()),
        ..IncidentFilter::default()
    };
    assert_eq!(s.count_incidents(&filter).unwrap(), 125);
}

#[test]
fn repeat_rule_at_its_boundaries() {
    let rule = RepeatRule::STANDARD;
    let now = t(NOW);
    assert!(rule.check(&[days_ago(14), days_ago(7), now], now).is_some());
    assert!(rule.check(&[days_ago(15), days_ago(7), now], now).is_none());
    assert!(rule.check(&[days_ago(7), now], now).is_none());

    let (mut s, _) = store();
    let log = |s: &mut Store, code: &str, term: &str, when: Timestamp| {
        s.create_incident(&at(draft(code, term, ""), when)).unwrap();
    };
    // 51 on Till 2: exactly 14 days, 7 days, now → repeats.
    log(&mut s, "51", "Till 2", days_ago(14));
    log(&mut s, "51", "Till 2", days_ago(7));
    log(&mut s, "51", "Till 2", t(NOW));
    // 05 on Till 1: 15 days is outside → only 2 inside.
    log(&mut s, "05", "Till 1", days_ago(15));
    log(&mut s, "05", "Till 1", days_ago(7));
    log(&mut s, "05", "Till 1", t(NOW));
    // 51 on Till 3: twice only.
    log(&mut s, "51", "Till 3", days_ago(1));
    log(&mut s, "51", "Till 3", t(NOW));

    let all = s.repeats(&rule, None, |_, _| true).unwrap();
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(
        (all[0].code.as_str(), all[0].terminal.as_str()),
        ("51", "Till 2")
    );
    assert_eq!(all[0].hit.count, 3);
    assert_eq!(all[0].hit.first, days_ago(14));
    assert_eq!(
        s.repeats(&rule, Some(("51", "Till 2")), |_, _| true)
            .unwrap()
            .len(),
        1
    );
    assert!(
        s.repeats(&rule, Some(("05", "Till 1")), |_, _| true)
            .unwrap()
            .is_empty()
    );
    assert!(
        s.repeats(&rule, Some(("51", "Till 3")), |_, _| true)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn statistics_per_code_and_terminal_and_median_time_to_resolve() {
    let (mut s, clock) = store();
    let mut ids = Vec::new();
    for (code, term, ago) in [
        ("51", "Till 1", 1),
        ("51", "Till 2", 2),
        ("05", "Till 1", 3),
        ("51", "Till 1", 20),
    ] {
        ids.push(
            s.create_incident(&at(draft(code, term, ""), days_ago(ago)))
                .unwrap()
                .id,
        );
    }
    // Resolved 1 h and 3 h after they occurred.
    clock.set(days_ago(1) + SignedDuration::from_hours(1));
    s.resolve(ids[0], "").unwrap();
    clock.set(days_ago(3) + SignedDuration::from_hours(3));
    s.resolve(ids[2], "").unwrap();
    clock.set(t(NOW));
    let week = s.journal_stats(7).unwrap();
    assert_eq!(week.total, 3);
    assert_eq!(week.per_code[0].key.as_deref(), Some("51"));
    assert_eq!(week.per_code[0].count, 2);
    assert_eq!(week.per_terminal[0].key.as_deref(), Some("Till 1"));
    assert_eq!(week.per_terminal[0].count, 2);
    assert_eq!(week.resolved, 2);
    assert_eq!(
        week.median_time_to_resolve,
        Some(SignedDuration::from_hours(2))
    );
    assert_eq!(s.journal_stats(30).unwrap().total, 4);
}

#[test]
fn unknown_codes_are_listed_with_how_often_and_where() {
    let (mut s, _) = store();
    for (code, term) in [
        ("ZZ9", "Till 1"),
        ("zz9", "Till 2"),
        ("ZZ9", "Till 1"),
        ("51", "Till 1"),
    ] {
        s.create_incident(&draft(code, term, "")).unwrap();
    }
    let book = Codebook::load(&s).unwrap();
    let unknown = s
        .unknown_codes(|key| !book.find(key, None, None).is_empty())
        .unwrap();
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert_eq!(unknown[0].code_key, "ZZ9");
    assert_eq!(unknown[0].count, 3);
    assert_eq!(unknown[0].code, "ZZ9");
    assert_eq!(unknown[0].schemes, vec![(None, 3)]);
    assert_eq!(
        unknown[0].terminals,
        vec![
            (Some("Till 1".to_string()), 2),
            (Some("Till 2".to_string()), 1)
        ]
    );
}

#[test]
fn the_clerks_name_is_remembered() {
    let (mut s, _) = store();
    assert_eq!(s.last_who().unwrap(), None);
    let mut d = draft("51", "Till 1", "");
    d.who = Some("王芳".into());
    s.create_incident(&d).unwrap();
    s.create_incident(&draft("05", "Till 1", "")).unwrap();
    assert_eq!(s.last_who().unwrap().as_deref(), Some("王芳"));
}

fn exported_store(dir: &Path) -> Store {
    let clock = Clock::fixed(t(NOW));
    let mut s = Store::open_dir(dir).unwrap().with_clock(clock);
    let mut d = draft("51", "收银台 2", "=cmd|' /C calc'!A0");
    d.amount = Some(12_50);
    d.steps = vec![StepTried {
        text: "-请顾客换卡".into(),
        outcome: StepOutcome::Worked,
    }];
    let id = s.create_incident(&d).unwrap().id;
    s.add_note(id, "@SUM(1+1) 余额不足").unwrap();
    s.create_incident(&draft("", "Till 1", "+1 打印机缺纸\t"))
        .unwrap();
    s
}

#[test]
fn csv_export_opens_in_excel_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let s = exported_store(&dir.path().join("data"));
    let file = dir.path().join("journal.csv");
    assert_eq!(
        export_journal(&s, &out_file(&file), &english())
            .unwrap()
            .incidents,
        2
    );
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 byte-order mark");
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][col("What happened")], "'=cmd|' /C calc'!A0");
    assert_eq!(&rows[0][col("Terminal")], "收银台 2");
    assert_eq!(&rows[0][col("Amount")], "12.50");
    assert_eq!(&rows[0][col("Steps tried")], "'-请顾客换卡 [Worked]");
    assert!(rows[0][col("Timeline notes")].ends_with("@SUM(1+1) 余额不足"));
    assert_eq!(
        &rows[1][col("What happened")],
        "'+1 打印机缺纸",
        "trimmed, neutralised"
    );
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?}"
            );
        }
    }
    let hidden: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "no temporary file is left: {hidden:?}");
}

#[test]
fn json_export_holds_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let s = exported_store(&dir.path().join("data"));
    let file = dir.path().join("journal.json");
    export_journal(&s, &out_file(&file), &english()).unwrap();
    let v: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["code"], "51");
    assert_eq!(list[0]["status"], "open");
    assert_eq!(list[0]["amount"], 1250);
    assert_eq!(
        list[0]["symptom"], "=cmd|' /C calc'!A0",
        "JSON keeps text as typed"
    );
    assert_eq!(list[0]["steps"][0]["outcome"], "worked");
    assert_eq!(list[0]["notes"][0]["text"], "@SUM(1+1) 余额不足");
    assert_eq!(list[0]["occurred_at"], NOW);
    assert!(matches!(
        export_journal(&s, &out_file(&dir.path().join("journal.txt")), &english()),
        Err(posdesk::exchange::journal::ExportError::Format(_))
    ));
}

#[test]
fn attachments_are_copied_and_named_by_content_hash() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut s = Store::open_dir(&data).unwrap();
    let id = s
        .create_incident(&draft("51", "Till 2", "slip"))
        .unwrap()
        .id;
    let photo = dir.path().join("Slip Photo.JPG");
    let content = b"\xFF\xD8\xFF not really a jpeg";
    std::fs::write(&photo, content).unwrap();
    let att = s.attach_file(id, &photo).unwrap();
    let sha: String = Sha256::digest(content)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(att.sha256, sha);
    assert_eq!(att.size, content.len() as u64);
    assert_eq!(att.file_name, "Slip Photo.JPG");
    let stored = data.join("attachments").join(format!("{sha}.jpg"));
    assert_eq!(s.attachment_path(&att), Some(stored.clone()));
    assert_eq!(std::fs::read(&stored).unwrap(), content);
    assert_eq!(s.incident(id).unwrap().attachments, vec![att]);

    // A missing source stores nothing.
    let err = s.attach_file(id, &dir.path().join("gone.png"));
    assert!(matches!(err, Err(StoreError::Attachment { .. })), "{err:?}");
    assert_eq!(s.incident(id).unwrap().attachments.len(), 1);
    let files = std::fs::read_dir(data.join("attachments")).unwrap().count();
    assert_eq!(files, 1, "no partial copy left behind");
    assert!(matches!(
        s.attach_file(9999, &photo),
        Err(StoreError::Journal(JournalError::NoIncident(9999)))
    ));
    assert!(matches!(
        common::store().attach_file(1, &photo),
        Err(StoreError::NoDataFolder)
    ));

    // Photos travel with an export: copied beside it under the name the export gives.
    let out = dir.path().join("journal.json");
    posdesk::exchange::journal::export_journal(&s, &out_file(&out), &english()).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains(&sha), "{text}");
    let beside = dir
        .path()
        .join("journal.attachments")
        .join(format!("{sha}.jpg"));
    assert_eq!(std::fs::read(beside).unwrap(), content);
}

// ---- the real CLI ------------------------------------------------------------------------------------

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Every file under `dir`, read whole.
fn all_bytes(dir: &Path, out: &mut Vec<(std::path::PathBuf, Vec<u8>)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            all_bytes(&p, out);
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn cli_add_masks_the_card_number_everywhere_in_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    // A second connection held open (as the window would be) keeps the WAL and shared-memory files
    // in place after the CLI exits, so they are read too, not only the checkpointed database.
    let held = Store::open_dir(dir.path()).unwrap();
    let out = posdesk(
        dir.path(),
        &[
            "incident",
            "add",
            "--code",
            "51",
            "--terminal",
            "Till 2",
            "--note",
            "card 4111 1111 1111 1111 declined",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let id: i64 = stdout(&out).trim().parse().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("masked"));

    let out = posdesk(dir.path(), &["incident", "list", "--json"]);
    let list: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(list[0]["id"], id);
    assert_eq!(list[0]["note"], "card 411111******1111 declined");

    let scan = |expect_wal: bool| {
        let mut files = Vec::new();
        all_bytes(dir.path(), &mut files);
        let names: Vec<String> = files
            .iter()
            .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().any(|n| n.ends_with(".sqlite3")), "{names:?}");
        assert_eq!(
            names.iter().any(|n| n.ends_with("-wal")),
            expect_wal,
            "{names:?}"
        );
        let mut masked_seen = false;
        for (path, bytes) in &files {
            for full in ["4111111111111111", "4111 1111 1111 1111"] {
                assert!(
                    !contains(bytes, full.as_bytes()),
                    "{full} in {}",
                    path.display()
                );
            }
            masked_seen |= contains(bytes, b"411111******1111");
        }
        assert!(masked_seen, "the masked number was stored somewhere");
    };
    scan(true);
    drop(held);
    scan(false);
}

#[test]
fn cli_list_filters_limits_and_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let add = |args: &[&str]| {
        let mut a = vec!["incident", "add"];
        a.extend_from_slice(args);
        let out = posdesk(dir.path(), &a);
        assert!(out.status.success(), "{out:?}");
        stdout(&out).trim().to_string()
    };
    let first = add(&[
        "--code",
        "51",
        "--scheme",
        "iso8583",
        "--terminal",
        "Till 1",
        "--note",
        "顾客余额不足",
        "--at",
        "2026-03-01T10:00:00+08:00",
    ]);
    let second = add(&[
        "--code",
        "98",
        "--note",
        "网络超时",
        "--at",
        "2026-03-02T10:00:00Z",
    ]);
    let third = add(&["--note", "printer jam", "--at", "2026-03-03T10:00:00Z"]);

    let list = |args: &[&str]| -> Vec<Value> {
        let mut a = vec!["incident", "list", "--json"];
        a.extend_from_slice(args);
        let out = posdesk(dir.path(), &a);
        assert!(out.status.success(), "{out:?}");
        serde_json::from_str(&stdout(&out)).unwrap()
    };
    let all = list(&[]);
    let ids: Vec<String> = all.iter().map(|v| v["id"].to_string()).collect();
    assert_eq!(ids, [third.clone(), second.clone(), first.clone()]);
    let one = &all[2];
    for key in ["id", "at", "code", "scheme", "terminal", "status", "note"] {
        assert!(one.get(key).is_some(), "missing {key}");
    }
    assert_eq!(one["at"], "2026-03-01T02:00:00Z");
    assert_eq!(one["scheme"], "iso8583");
    assert_eq!(one["terminal"], "Till 1");
    assert_eq!(list(&["--limit", "1"]).len(), 1);
    assert_eq!(list(&["--search", "余额"])[0]["id"].to_string(), first);
    assert_eq!(list(&["--code", "98"])[0]["id"].to_string(), second);

    let out = posdesk(
        dir.path(),
        &["incident", "resolve", &second, "--note", "router restarted"],
    );
    assert!(out.status.success(), "{out:?}");
    let resolved = list(&["--status", "resolved"]);
    assert_eq!(resolved.len(), 1);
    assert_eq!(resolved[0]["status"], "resolved");
    assert_eq!(list(&["--status", "open"]).len(), 2);

    // Mistakes exit 1 with a sentence.
    for args in [
        vec!["incident", "resolve", "999"],
        vec!["incident", "resolve", "abc"],
        vec!["incident", "resolve", second.as_str()],
        vec!["incident", "list", "--status", "closed"],
        vec!["incident", "add", "--at", "yesterday"],
        vec!["incident", "add", "--at", "2026-03-01T25:00:00"],
        vec!["incident", "export", "out.txt"],
    ] {
        let out = posdesk(dir.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
    assert_eq!(list(&[]).len(), 3, "a refused add stored nothing");

    let csv = dir.path().join("out.csv");
    let out = posdesk(dir.path(), &["incident", "export", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    assert!(std::fs::read(&csv).unwrap().starts_with(b"\xEF\xBB\xBF"));
}

#[test]
fn scheme_and_code_are_optional_and_stored_as_given() {
    let (mut s, _) = store();
    let d = IncidentDraft {
        code: Some("e-77".into()),
        scheme: Some(Scheme::Terminal),
        ..IncidentDraft::default()
    };
    let id = s.create_incident(&d).unwrap().id;
    let inc = s.incident(id).unwrap();
    assert_eq!(inc.code.as_deref(), Some("e-77"));
    assert_eq!(inc.scheme, Some(Scheme::Terminal));
    let f = IncidentFilter {
        code: Some("E77".into()),
        ..IncidentFilter::default()
    };
    assert_eq!(s.count_incidents(&f).unwrap(), 1);
    let none = s.create_incident(&IncidentDraft::default()).unwrap().id;
    assert_eq!(s.incident(none).unwrap().code, None);
}

/// The CSV in English with local times in UTC (the JSON ignores both).
fn english() -> CsvStyle {
    CsvStyle {
        lang: Lang::En,
        tz: jiff::tz::TimeZone::UTC,
    }
}

/// An export target in a test's temp folder (nothing there belongs to a data folder).
fn out_file(p: &std::path::Path) -> posdesk::fsx::Output {
    posdesk::fsx::Output::check(None, p, posdesk::fsx::Replace::Yes).unwrap()
}

// ---- terminals, search by terminal, the repeat rule, local times (issue 15, item 8) -------------

#[test]
fn the_journals_terminals_are_listed_once_each_registered_or_not() {
    let (mut s, _) = store();
    for (code, term) in [
        ("51", "T1"),
        ("05", "收银台1"),
        ("51", "Till 5"),
        ("96", "T1"),
    ] {
        s.create_incident(&draft(code, term, "")).unwrap();
    }
    s.create_incident(&IncidentDraft::default()).unwrap();
    assert_eq!(
        s.incident_terminals().unwrap(),
        ["T1", "Till 5", "收银台1"],
        "sorted, no duplicates, no empty name"
    );
}

#[test]
fn search_matches_terminal_names_as_well_as_the_texts() {
    let (mut s, _) = store();
    let on_cashier = s
        .create_incident(&draft("51", "收银台1", "顾客余额不足"))
        .unwrap()
        .id;
    let on_t1 = s
        .create_incident(&draft("96", "T1", "系统故障"))
        .unwrap()
        .id;
    let on_till5 = s
        .create_incident(&draft("E77", "Till 5", "卡纸 paper jam"))
        .unwrap()
        .id;
    // A note that names a terminal finds that incident too (its text), wherever it was logged.
    let mentions = s
        .create_incident(&draft("05", "Till 5", "moved from 收银台1 yesterday"))
        .unwrap()
        .id;
    assert_eq!(search(&s, "收银台"), [mentions, on_cashier]);
    assert_eq!(
        search(&s, "收银"),
        [mentions, on_cashier],
        "2 Chinese characters"
    );
    assert_eq!(search(&s, "till"), [mentions, on_till5]);
    assert_eq!(search(&s, "T1"), [on_t1], "T1 is not the start of Till");
    assert_eq!(search(&s, "t1 系统"), [on_t1], "a terminal and a word");
    assert_eq!(search(&s, "till 卡纸"), [on_till5]);
    assert!(
        search(&s, "收银台 卡纸").is_empty(),
        "every word must match"
    );
    assert_eq!(search(&s, "jam"), [on_till5], "texts alone still match");
    let f = IncidentFilter {
        text: Some("收银台".into()),
        ..IncidentFilter::default()
    };
    assert_eq!(s.count_incidents(&f).unwrap(), 2);
    // With other filters: status and code narrow the terminal's matches.
    let f = IncidentFilter {
        text: Some("Till".into()),
        code: Some("E77".into()),
        ..IncidentFilter::default()
    };
    assert_eq!(s.count_incidents(&f).unwrap(), 1);
}

#[test]
fn only_codes_pointing_at_the_device_line_or_provider_count_as_repeats() {
    let (mut s, _) = store();
    let book = Codebook::load(&s).unwrap();
    let mut log = |code: &str, scheme: Option<Scheme>, term: &str| {
        for n in 0..3 {
            let mut d = at(draft(code, term, ""), days_ago(n));
            d.scheme = scheme;
            s.create_incident(&d).unwrap();
        }
    };
    // Three customers short of funds, three declines, three wrong PINs: customers, not the till.
    log("51", None, "Till 1");
    log("05", Some(Scheme::Iso8583), "Till 1");
    log("55", Some(Scheme::Cups), "Till 1");
    // The line, the device, the keys, the bank's system, and a code posdesk does not know.
    log("NO COMMUNICATION", Some(Scheme::Terminal), "Till 2");
    log("PRINTER ERROR", None, "Till 2");
    log("A0", Some(Scheme::Cups), "Till 3");
    log("96", None, "Till 3");
    log("E77", None, "Till 4");
    let counts = |code: &str, scheme| book.points_at_equipment(code, scheme);
    let mut found: Vec<(String, String)> = s
        .repeats(&RepeatRule::STANDARD, None, counts)
        .unwrap()
        .into_iter()
        .map(|a| (a.code, a.terminal))
        .collect();
    found.sort();
    let want = [
        ("96", "Till 3"),
        ("A0", "Till 3"),
        ("E77", "Till 4"),
        ("NO COMMUNICATION", "Till 2"),
        ("PRINTER ERROR", "Till 2"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(c, t)| (c.to_string(), t.to_string()))
        .collect();
    assert_eq!(found, want);
    assert!(
        s.repeats(&RepeatRule::STANDARD, Some(("51", "Till 1")), counts)
            .unwrap()
            .is_empty(),
        "the card of 51 warns of nothing either"
    );
    // The rule reads the pack's data, not a list of codes.
    let e51 = &book.find("51", Some(Scheme::Iso8583), None)[0];
    assert!(!e51.points_at_equipment());
    let e68 = &book.find("68", Some(Scheme::Iso8583), None)[0];
    assert_eq!(e68.category, posdesk::Category::Network);
    assert!(e68.points_at_equipment());
}

#[test]
fn csv_header_and_words_in_chinese_with_local_and_utc_times() {
    let dir = tempfile::tempdir().unwrap();
    let s = exported_store(&dir.path().join("data"));
    let file = dir.path().join("journal.csv");
    let style = CsvStyle {
        lang: Lang::Zh,
        tz: jiff::tz::TimeZone::get("Asia/Shanghai").unwrap(),
    };
    export_journal(&s, &out_file(&file), &style).unwrap();
    let bytes = std::fs::read(&file).unwrap();
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, posdesk::exchange::journal::csv_columns(Lang::Zh));
    assert_eq!(header[1], "发生时间（本地）");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    // NOW is 12:00 UTC: 20:00 in Beijing.
    assert_eq!(
        &rows[0][col("发生时间（本地）")],
        "2026-03-15 20:00:00 +08:00"
    );
    assert_eq!(&rows[0][col("发生时间（UTC）")], NOW);
    assert_eq!(
        &rows[0][col("登记时间（本地）")],
        "2026-03-15 20:00:00 +08:00"
    );
    assert_eq!(&rows[0][col("解决时间（本地）")], "");
    assert_eq!(&rows[0][col("状态")], "未解决");
    assert_eq!(&rows[0][col("尝试过的步骤")], "'-请顾客换卡 [有效]");
    assert!(
        rows[0][col("跟进备注")].starts_with("2026-03-15 20:00:00 +08:00 "),
        "{}",
        &rows[0][col("跟进备注")]
    );
    // The English header has the same columns in the same order.
    assert_eq!(
        posdesk::exchange::journal::csv_columns(Lang::En).len(),
        header.len()
    );
}

/// The CLI in a given time zone.
fn posdesk_in(tz: &str, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_posdesk"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("POSDESK_DATA_DIR")
        .env("TZ", tz)
        .output()
        .unwrap()
}

#[test]
fn cli_add_reads_a_time_without_offset_as_local_and_export_gives_both_times() {
    let dir = tempfile::tempdir().unwrap();
    let add = |at: &str, note: &str| {
        let out = posdesk_in(
            "Asia/Shanghai",
            dir.path(),
            &["incident", "add", "--terminal", "T1", "--at", at, note],
        );
        assert!(out.status.success(), "{at}: {out:?}");
    };
    add("2026-11-01T10:00:00", "--note=-2+3 local");
    add("2026-11-01 11:30", "--note=space form");
    add("2026-11-01T10:00:00+08:00", "--note=with offset");
    add("2026-11-01T02:00:00Z", "--note=utc");
    let out = posdesk_in("Asia/Shanghai", dir.path(), &["incident", "list", "--json"]);
    let list: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    let at: Vec<(&str, &str)> = list
        .iter()
        .map(|v| (v["at"].as_str().unwrap(), v["note"].as_str().unwrap()))
        .collect();
    assert_eq!(
        at,
        [
            ("2026-11-01T03:30:00Z", "space form"),
            ("2026-11-01T02:00:00Z", "utc"),
            ("2026-11-01T02:00:00Z", "with offset"),
            ("2026-11-01T02:00:00Z", "-2+3 local"),
        ],
        "10:00 in Beijing is 02:00 UTC; the note starting with - kept"
    );
    // Without "=", a note starting with "-" is read as an option: refused, nothing stored.
    let out = posdesk_in(
        "Asia/Shanghai",
        dir.path(),
        &["incident", "add", "--note", "-2+3"],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let help = posdesk_in("UTC", dir.path(), &["incident", "add", "--help"]);
    let help = stdout(&help);
    assert!(help.contains("--note=-2+3"), "{help}");
    assert!(help.contains("2026-03-01T14:30:00"), "{help}");

    let csv = dir.path().join("j.csv");
    let out = posdesk_in(
        "Asia/Shanghai",
        dir.path(),
        &["incident", "export", csv.to_str().unwrap(), "--lang", "zh"],
    );
    assert!(out.status.success(), "{out:?}");
    let bytes = std::fs::read(&csv).unwrap();
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[1], "发生时间（本地）");
    assert_eq!(header[2], "发生时间（UTC）");
    let first = r.records().next().unwrap().unwrap();
    assert_eq!(&first[1], "2026-11-01 10:00:00 +08:00");
    assert_eq!(&first[2], "2026-11-01T02:00:00Z");
    let out = posdesk_in(
        "UTC",
        dir.path(),
        &[
            "incident",
            "export",
            csv.to_str().unwrap(),
            "--lang",
            "en",
            "--force",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with("\u{FEFF}ID,Occurred (local time),Occurred (UTC),"),
        "{text}"
    );
    assert!(text.contains("2026-11-01 02:00:00 +00:00"), "{text}");
}
