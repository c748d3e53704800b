//! `posdesk done --date` refuses a day still to come: exit 1, nothing recorded (a typo of the year
//! would otherwise tick off every occurrence up to it).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

use std::process::Command;

#[test]
fn done_on_a_future_date_exits_1_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let posdesk = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_posdesk"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .env_remove("POSDESK_DATA_DIR")
            .output()
            .unwrap()
    };
    assert!(posdesk(&["terminal", "add", "Till 1"]).status.success());
    let before = posdesk(&["due", "--json"]).stdout;
    let tomorrow = posdesk::Clock::system()
        .today()
        .tomorrow()
        .unwrap()
        .to_string();
    for date in [tomorrow.as_str(), "2099-12-31"] {
        let out = posdesk(&["done", "Till 1", "receipt_paper", "--date", date]);
        assert_eq!(out.status.code(), Some(1), "{date}: {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        // In the user's language only: English with no saved choice (tests/cli_lang.rs).
        assert!(
            err.contains("in the future") && err.contains("Nothing recorded"),
            "{err}"
        );
    }
    assert_eq!(
        posdesk(&["due", "--json"]).stdout,
        before,
        "nothing changed"
    );
    let today = posdesk(&["done", "Till 1", "receipt_paper"]);
    assert!(today.status.success(), "{today:?}");
}

#[test]
fn a_task_is_named_by_its_key_or_its_chinese_or_english_title() {
    let dir = tempfile::tempdir().unwrap();
    let posdesk = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_posdesk"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .env_remove("POSDESK_DATA_DIR")
            .output()
            .unwrap()
    };
    assert!(posdesk(&["terminal", "add", "Till 1"]).status.success());
    // The titles as the installed checklist pack has them.
    let store = posdesk::Store::open_dir(dir.path()).unwrap();
    let title = |key: &str| store.template(key).unwrap().unwrap();
    let names = [
        title("receipt_paper").title_zh,
        title("wipe_screen_window").title_en.to_uppercase(),
        "sign_on_test".to_string(),
    ];
    let paper_zh = title("receipt_paper").title_zh;
    drop(store);
    for name in &names {
        let out = posdesk(&["done", "Till 1", name.as_str()]);
        assert!(out.status.success(), "{name}: {out:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("done on"),
            "{name}"
        );
    }
    let out = posdesk(&["done", "Till 1", "打扫卫生"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("receipt_paper ({paper_zh})")));
}
