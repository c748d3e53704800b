//! Importing and exporting the user's own codes: good files round-trip, bad files are rejected with the
//! line and the reason, and the store is unchanged.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

#[path = "support/fixtures.rs"]
mod common;

use posdesk::domain::search::SearchOptions;
use posdesk::exchange::codes::{self as codefile, CodeFileError};
use posdesk::{Codebook, Retry, Scheme};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn line_of(err: CodeFileError) -> (usize, String) {
    match err {
        CodeFileError::Line { line, problem, .. } => (line, problem.to_string()),
        other => panic!("expected a line error, got {other}"),
    }
}

#[test]
fn csv_import_with_lists_and_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "mine.csv",
        "code,title_zh,title_en,steps_zh,steps_en,retry,keywords\n\
         N7,CVV2错误,CVV2 mismatch,核对卡背三位数 | 换卡,Check the 3 digits | Use another card,never,cvv|安全码\n\
         X1,银行维护,,,,,\n",
    );
    let entries = codefile::read_codes(&p).unwrap().entries;
    assert_eq!(entries.len(), 2);
    assert_eq!(
        entries[0].steps_en,
        vec!["Check the 3 digits", "Use another card"]
    );
    assert_eq!(entries[0].retry, Retry::Never);
    assert_eq!(entries[0].keywords, vec!["cvv", "安全码"]);
    assert_eq!(entries[1].retry, Retry::CheckFirst, "cautious default");
    assert!(entries.iter().all(|e| e.scheme == Scheme::Custom));
}

#[test]
fn export_then_import_round_trips_csv_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::store();
    let mut a = common::custom("Y1X", "逗号,和\"引号\"", "Comma, and \"quotes\"");
    a.steps_zh = vec!["第一步".into(), "第二步".into()];
    a.steps_en = vec!["Step one".into(), "Step two".into()];
    store
        .import_custom(&[a, common::custom("Y2X", "乙", "B")])
        .unwrap();
    store
        .set_note(Scheme::Custom, "Y1X", "ask for Wang, line 2")
        .unwrap();
    store.set_note(Scheme::Cups, "A0", "先签到").unwrap();
    let original = store.export_file().unwrap();
    assert_eq!(original.notes.len(), 2);
    for name in ["out.csv", "out.json"] {
        let p = dir.path().join(name);
        codefile::write_codes(
            &posdesk::fsx::Output::check(None, &p, posdesk::fsx::Replace::Yes).unwrap(),
            &original,
        )
        .unwrap();
        let back = codefile::read_codes(&p).unwrap();
        assert_eq!(back.entries, original.entries, "{name}");
        let mut notes = back.notes.clone();
        let mut want = original.notes.clone();
        notes.sort_by(|a, b| a.code.cmp(&b.code));
        want.sort_by(|a, b| a.code.cmp(&b.code));
        assert_eq!(notes, want, "{name}");
    }
}

#[test]
fn bad_csv_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "code,title_en\nA1,Fine\nA2,Fine too\nA3,Bad,extra\n",
            4,
            "fields",
        ),
        (
            "code,title_en,retry\nA1,Fine,now\nA2,Bad,sometimes\n",
            3,
            "retry",
        ),
        ("code,title_en\nA1,Fine\n,No code\n", 3, "code is empty"),
        (
            "code,title_en\nA1,Fine\na-1,Same code\n",
            3,
            "already on line 2",
        ),
        ("code,title_en\nA1,\n", 2, "title"),
        ("code,colour\nA1,red\n", 1, "unknown column"),
        ("title_en\nFine\n", 1, "no \"code\" column"),
        ("code,title_en,category\nA1,Fine,weather\n", 2, "category"),
        ("code,title_en,fixers\nA1,Fine,clerk|wizard\n", 2, "fixer"),
        (
            "code,title_en,steps_en,steps_zh\nA1,Fine,a|b,一\n",
            2,
            "must match",
        ),
    ];
    for (text, want_line, want_msg) in cases {
        let p = write(dir.path(), "bad.csv", text);
        let (line, msg) = line_of(codefile::read_codes(&p).unwrap_err());
        assert_eq!(line, want_line, "{text:?}: {msg}");
        assert!(msg.contains(want_msg), "{text:?}: {msg}");
    }
}

#[test]
fn bad_json_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[\n {\"code\": \"A1\", \"title_en\": \"ok\"},\n {\"code\": \"A2\", \"colour\": 1}\n]",
            3,
            "colour",
        ),
        (
            "[\n {\"code\": \"A1\", \"title_en\": \"ok\"},\n {\"code\": \"A2\", \"title_en\": \"x\", \"retry\": \"maybe\"}\n]",
            3,
            "retry",
        ),
        ("[\n {\"code\": \"A1\", \"title_en\": \"ok\"\n", 3, "EOF"),
        ("{\"code\": \"A1\"}", 1, "JSON array"),
        (
            "[{\"code\": \"A1\", \"title_en\": \"ok\", \"scheme\": \"iso8583\"}]",
            1,
            "only carry a note",
        ),
    ];
    for (text, want_line, want_msg) in cases {
        let p = write(dir.path(), "bad.json", text);
        let (line, msg) = line_of(codefile::read_codes(&p).unwrap_err());
        assert_eq!(line, want_line, "{text:?}: {msg}");
        assert!(msg.contains(want_msg), "{text:?}: {msg}");
    }
}

#[test]
fn files_that_are_not_code_lists_are_rejected_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("binary.csv");
    std::fs::write(&p, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    assert!(
        codefile::read_codes(&p)
            .unwrap_err()
            .to_string()
            .contains("not UTF-8")
    );
    let p = write(dir.path(), "empty.json", "[]");
    assert!(
        codefile::read_codes(&p)
            .unwrap_err()
            .to_string()
            .contains("no codes")
    );
    let missing = dir.path().join("missing.csv");
    assert!(
        codefile::read_codes(&missing)
            .unwrap_err()
            .to_string()
            .contains("cannot read")
    );
}

#[test]
fn imported_codes_are_found_by_search() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::store();
    let p = write(
        dir.path(),
        "mine.json",
        r#"[{"code": "B-77", "title_zh": "商户号未开通境外卡", "title_en": "Foreign cards not enabled", "keywords": ["foreign"]}]"#,
    );
    store
        .import_file(&codefile::read_codes(&p).unwrap())
        .unwrap();
    let book = Codebook::load(&store).unwrap();
    let opts = SearchOptions {
        limit: 5,
        prefer: None,
    };
    assert_eq!(book.search("b77", &opts)[0].code, "B-77");
    assert_eq!(book.search("境外卡", &opts)[0].code, "B-77");
    assert_eq!(book.search("foreign", &opts)[0].code, "B-77");
}

#[test]
fn an_import_error_explains_itself_in_chinese_with_the_file_and_line() {
    use posdesk::i18n::{Explain, Lang};
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "bad.csv",
        "code,title_en,retry\nQ-43,Fine,now\nQ-44,Bad,maybe\n",
    );
    let msg = codefile::read_codes(&p).unwrap_err().explain();
    assert_eq!(
        msg.get(Lang::Zh),
        "bad.csv 第 3 行：重试建议“maybe”无效，应为 now、quick_fix、after_fix、merchant_side、never、check_first 之一。"
    );
    assert!(
        msg.get(Lang::En)
            .starts_with("bad.csv, line 3: retry \"maybe\"")
    );
}
