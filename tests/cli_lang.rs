//! The command line speaks the user's language: the one the window was last set to (kept in the data
//! folder), else the system's.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

mod common;

use eframe::egui;
use posdesk::store::paths;
use posdesk::{Lang, Store};
use posdesk_app::ui::command::ShellCommand;
use posdesk_app::ui::services::Data;
use std::path::Path;
use std::process::Output;

fn posdesk(data: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_posdesk"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("POSDESK_DATA_DIR")
        // An English system: only the saved choice can make it Chinese.
        .env("LANG", "C")
        .env("LC_ALL", "C")
        .env_remove("LANGUAGE")
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_command_line_follows_the_language_the_window_saved() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    // Nothing saved: the system's language (English here).
    let out = posdesk(data, &["show", "QQ-404"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is not known"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("未找到"), "{}", stderr(&out));
    let out = posdesk(data, &["incident", "list"]);
    assert_eq!(stdout(&out).trim(), "No incidents match.");

    // The window was set to Chinese.
    paths::save_lang(data, Lang::Zh).unwrap();
    let out = posdesk(data, &["show", "QQ-404"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("未找到代码"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("is not known"), "{}", stderr(&out));
    let out = posdesk(data, &["incident", "list"]);
    assert_eq!(stdout(&out).trim(), "没有匹配的故障记录。");
    let out = posdesk(data, &["incident", "resolve", "abc"]);
    assert!(
        stderr(&out).contains("不是故障记录的编号"),
        "{}",
        stderr(&out)
    );
    let out = posdesk(data, &["incident", "resolve", "77"]);
    assert!(stderr(&out).contains("没有编号为 77"), "{}", stderr(&out));
    // A usage error from the argument parser is introduced in Chinese too.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_posdesk"))
        .arg("no-such-verb")
        .env("POSDESK_DATA_DIR", data)
        .env("LANG", "C")
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("没有命令“no-such-verb”"),
        "{}",
        stderr(&out)
    );

    // And back to English.
    paths::save_lang(data, Lang::En).unwrap();
    let out = posdesk(data, &["incident", "list"]);
    assert_eq!(stdout(&out).trim(), "No incidents match.");
}

#[test]
fn an_error_opening_the_data_is_said_in_the_saved_language_without_sqlite_words() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    paths::save_lang(&data, Lang::Zh).unwrap();
    // Not a database at all where the database should be.
    std::fs::write(data.join(posdesk::store::DB_FILE), vec![7u8; 8192]).unwrap();
    let out = posdesk(&data, &["search", "51"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("无法打开"), "{err}");
    for raw in ["not a database", "malformed", "btree", "error code"] {
        assert!(!err.contains(raw), "{err}");
    }
    // The raw words are in the log.
    let logs = posdesk::logfile::logs_dir(&data);
    let log: String = std::fs::read_dir(&logs)
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert!(log.contains("damaged data file"), "{log}");
}

#[test]
fn switching_the_window_language_keeps_it_for_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    let mut h = common::harness_with(
        Data::Open(store),
        common::prefs(Lang::En),
        egui::vec2(1200.0, 900.0),
    );
    h.state_mut().queue(ShellCommand::SetLang(Lang::Zh));
    h.run();
    assert_eq!(paths::saved_lang(dir.path()), Some(Lang::Zh));
    h.state_mut().queue(ShellCommand::SetLang(Lang::En));
    h.run();
    assert_eq!(paths::saved_lang(dir.path()), Some(Lang::En));
}
