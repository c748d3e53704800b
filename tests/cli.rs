//! The CLI as a script uses it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

use serde_json::Value;
use std::process::{Command, Output};

fn posdesk(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_posdesk"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("POSDESK_DATA_DIR")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn search_json_lists_51_first_for_yu_e_bu_zu() {
    let dir = tempfile::tempdir().unwrap();
    let out = posdesk(dir.path(), &["search", "余额不足", "--json"]);
    assert!(out.status.success(), "{out:?}");
    let hits: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(hits[0]["code"], "51");
    for key in [
        "code", "scheme", "title_zh", "title_en", "retry", "steps_en",
    ] {
        assert!(hits[0].get(key).is_some(), "missing {key}");
    }
}

#[test]
fn search_limit_and_text_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = posdesk(dir.path(), &["search", "card", "--limit", "3", "--json"]);
    let hits: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(hits.len(), 3);
    let out = posdesk(dir.path(), &["search", "NO", "COMMUNICATION"]);
    assert!(out.status.success());
    assert!(
        stdout(&out)
            .lines()
            .next()
            .unwrap()
            .starts_with("NO COMMUNICATION")
    );
    let out = posdesk(dir.path(), &["search", "zzqqxx"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("No code matches"));
}

#[test]
fn show_a0_in_cups_explains_the_mac_failure() {
    let dir = tempfile::tempdir().unwrap();
    let out = posdesk(dir.path(), &["show", "A0", "--scheme", "cups"]);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    assert!(text.contains("MAC"), "{text}");
    assert!(text.contains("签到"), "{text}");
    assert!(text.contains("What to do:"), "{text}");
    let out = posdesk(dir.path(), &["show", "a0", "--scheme", "cups", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(v.is_object());
    assert_eq!(v["scheme"], "cups");
    assert_eq!(v["code"], "A0");
}

#[test]
fn show_a_code_in_several_schemes_gives_an_array() {
    let dir = tempfile::tempdir().unwrap();
    let out = posdesk(dir.path(), &["show", "05", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let list = v.as_array().unwrap();
    assert!(list.len() >= 2);
    let schemes: Vec<&str> = list.iter().map(|e| e["scheme"].as_str().unwrap()).collect();
    assert!(schemes.contains(&"iso8583") && schemes.contains(&"cups"));
}

#[test]
fn show_unknown_code_exits_1_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = posdesk(dir.path(), &["show", "ZZ-NOPE"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not known"), "{err}");
    let out = posdesk(dir.path(), &["show", "51", "--scheme", "visa"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown scheme"));
}

#[test]
fn import_export_and_bad_file_leaves_store_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let good = dir.path().join("mine.csv");
    std::fs::write(
        &good,
        "code,title_zh,title_en,retry\nM1,商户限额,Shop limit reached,never\n",
    )
    .unwrap();
    let out = posdesk(&data, &["codes", "import", good.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    assert!(stdout(&out).contains("1 new"));

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "code,title_zh,title_en,retry\nM2,新,New,now\nM3,坏,Bad,perhaps\n",
    )
    .unwrap();
    let out = posdesk(&data, &["codes", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3") && err.contains("retry"), "{err}");

    let export = dir.path().join("out.json");
    let out = posdesk(&data, &["codes", "export", export.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&export).unwrap()).unwrap();
    let codes: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["M1"], "M2 from the bad file was not imported");

    let out = posdesk(&data, &["show", "m1", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["scheme"], "custom");
    assert_eq!(v["retry"], "never");
}

#[test]
fn data_dir_comes_from_the_environment_too() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_posdesk"))
        .args(["search", "51", "--json"])
        .env("POSDESK_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(dir.path().join("posdesk.sqlite3").exists());
}
