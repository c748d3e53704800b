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
        assert!(
            err.contains("in the future") && err.contains("未记录"),
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
