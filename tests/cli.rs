//! The CLI as a script uses it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

#[path = "support/cli.rs"]
mod cli;
use cli::posdesk;
use serde_json::Value;
use std::process::{Command, Output};

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
    // Nothing matches: the unknown-code card answers, never an empty list.
    let out = posdesk(dir.path(), &["search", "zzqqxx"]);
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("UNKNOWN"), "{}", stdout(&out));
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

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "{o:?}");
    serde_json::from_str(&stdout(o)).unwrap()
}

#[test]
fn vendor_code_6003_on_a_terminal_says_check_first() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(&posdesk(
        dir.path(),
        &["show", "6003", "--scheme", "terminal", "--json"],
    ));
    assert_eq!(v["code"], "6003");
    assert_eq!(v["retry"], "check_first");
    assert_eq!(v["advice"], "check_first");
    assert!(v.get("category").is_some());
}

#[test]
fn merchant_guide_codes_and_pinyin_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let out = posdesk(dir.path(), &["search", "1005"]);
    assert!(
        stdout(&out).lines().next().unwrap().starts_with("1005 "),
        "{}",
        stdout(&out)
    );
    let hits = json(&posdesk(dir.path(), &["search", "yebz", "--json"]));
    let top3: Vec<&str> = hits.as_array().unwrap()[..3]
        .iter()
        .map(|h| h["code"].as_str().unwrap())
        .collect();
    assert!(top3.contains(&"51"), "{top3:?}");
}

#[test]
fn prefer_puts_the_shops_scheme_first_and_every_object_has_retry_and_category() {
    let dir = tempfile::tempdir().unwrap();
    for (scheme, other) in [("cups", "iso8583"), ("iso8583", "cups")] {
        let hits = json(&posdesk(
            dir.path(),
            &["search", "91", "--prefer", scheme, "--json"],
        ));
        let hits = hits.as_array().unwrap();
        assert_eq!(
            (hits[0]["code"].as_str(), hits[0]["scheme"].as_str()),
            (Some("91"), Some(scheme))
        );
        assert_eq!(hits[1]["scheme"], other);
        for h in hits {
            assert!(h["retry"].is_string() && h["category"].is_string(), "{h}");
        }
        let shown = json(&posdesk(
            dir.path(),
            &["show", "91", "--prefer", scheme, "--json"],
        ));
        assert_eq!(shown.as_array().unwrap()[0]["scheme"], scheme);
    }
}

#[test]
fn an_unknown_vendor_code_lists_the_unknown_card_first_and_labels_the_other_code() {
    let dir = tempfile::tempdir().unwrap();
    let hits = json(&posdesk(dir.path(), &["search", "E77", "--json"]));
    let hits = hits.as_array().unwrap();
    assert_eq!(hits[0]["code"], "UNKNOWN");
    assert_eq!(hits[0]["retry"], "check_first");
    for h in &hits[1..] {
        if h["code"] == "77" {
            assert_eq!(
                h["match"], "other_code",
                "77 is labelled as a different code"
            );
        }
    }
    for q in ["未知返回码", "unknown code"] {
        let hits = json(&posdesk(dir.path(), &["search", q, "--json"]));
        assert_eq!(hits[0]["code"], "UNKNOWN", "{q}");
    }
    // `show` never answers E1 with ISO 01.
    let out = posdesk(dir.path(), &["show", "E1"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn output_cut_short_by_the_reader_is_not_an_error() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    posdesk(dir.path(), &["search", "5"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_posdesk"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["search", "5", "--limit", "200"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 8];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The pipe is closed here with most of the output unread.
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("Broken pipe"));
}

#[test]
fn show_names_the_scheme_once_and_says_what_to_do_now() {
    let dir = tempfile::tempdir().unwrap();
    let text = stdout(&posdesk(dir.path(), &["show", "51", "--scheme", "iso8583"]));
    assert!(text.starts_with("51  [ISO 8583]\n"), "{text}");
    assert!(
        text.contains("What to do now: Declined: ask for another way to pay"),
        "{text}"
    );
    assert!(text.contains("现在怎么做："), "{text}");
}
