//! The Settings screen and the damaged-data offer, driven as a clerk drives them (egui_kittest, no
//! GPU): backups and restores run on workers, so the tests step the app until they finish.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

mod common;

use common::{harness, harness_with, prefs, run_until};
use eframe::egui;
use egui_kittest::kittest::Queryable;
use posdesk::domain::incident::IncidentDraft;
use posdesk::store::{DB_FILE, SCHEMA_VERSION, backup_summary};
use posdesk::{Clock, Lang, Scheme, Store};
use posdesk_app::ui::app::PosdeskApp;
use posdesk_app::ui::command::{Route, SettingsCommand, ShellCommand};
use std::path::{Path, PathBuf};

const DAMAGED_EN: &str = "⚠ posdesk's data file is damaged.";

fn incident(store: &mut Store, symptom: &str) {
    let draft = IncidentDraft {
        code: Some("51".into()),
        scheme: Some(Scheme::Iso8583),
        terminal: Some("Till 1".into()),
        symptom: symptom.into(),
        ..IncidentDraft::default()
    };
    store.create_incident(&draft).unwrap();
}

fn incidents(db: &Path) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.query_row("SELECT count(*) FROM incidents", [], |r| r.get(0))
        .unwrap()
}

fn files_in(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
                        && p.extension().is_some_and(|x| x == "sqlite3")
                })
                .collect()
        })
        .unwrap_or_default()
}

fn open_settings(h: &mut egui_kittest::Harness<'_, PosdeskApp>) {
    h.get_by_label("Settings").click();
    h.run();
    assert_eq!(h.state().route, Route::Settings);
}

/// Step until the background job is done and the screen says how it went.
fn until_done(h: &mut egui_kittest::Harness<'_, PosdeskApp>) {
    run_until(h, |app| {
        app.settings.view.working.is_none() && app.settings.view.outcome.is_some()
    });
}

#[test]
fn the_settings_screen_shows_where_the_data_lives_and_its_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    let mut h = harness(store, Lang::En);
    open_settings(&mut h);
    h.get_by_label("Data folder");
    h.get_by_label(&dir.path().display().to_string());
    h.get_by_label(&dir.path().join("backups").display().to_string());
    h.get_by_label("Schema version");
    assert!(
        h.query_all_by_label(&SCHEMA_VERSION.to_string())
            .next()
            .is_some()
    );
    h.get_by_label("Back up now…");
    h.get_by_label("Restore from backup…");
    // The same in Chinese (the harness panics on a glyph the fonts lack).
    h.get_by_label("中文").click();
    h.run();
    h.get_by_label("数据文件夹");
    h.get_by_label("从备份恢复…");
    h.get_by_label("设置");
}

#[test]
fn the_settings_screen_says_which_renderer_draws_and_what_could_not_start() {
    use posdesk_app::ui::renderer::{RendererChoice, RendererFailure, RendererInUse};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    let mut h = harness_with(
        posdesk_app::ui::services::Data::Open(store),
        prefs(Lang::En),
        egui::vec2(1200.0, 1600.0),
    );
    open_settings(&mut h);
    // A test draws nothing, so nothing is known about the renderer yet.
    h.get_by_label("Renderer");
    h.get_by_label("unknown");
    h.state_mut().set_renderer(RendererInUse {
        choice: RendererChoice::WgpuGl,
        detail: Some("Gl: llvmpipe".into()),
        failed: vec![RendererFailure {
            choice: RendererChoice::Wgpu,
            error: "Parent device is lost".into(),
        }],
    });
    h.run();
    h.get_by_label("wgpu over OpenGL · Gl: llvmpipe");
    h.get_by_label("Could not start");
    h.get_by_label("wgpu (DirectX 12 / Vulkan / Metal): Parent device is lost");
    h.get_by_label("中文").click();
    h.run();
    h.get_by_label("渲染方式");
    h.get_by_label("wgpu（OpenGL） · Gl: llvmpipe");
    h.get_by_label("无法启动");
}

#[test]
fn the_daily_backup_runs_at_start_and_shows_as_the_last_backup() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    let mut h = harness(store, Lang::En);
    run_until(&mut h, |app| app.settings.view.info.last_backup.is_some());
    assert_eq!(files_in(&dir.path().join("backups"), "daily-").len(), 1);
    assert!(h.state().status_text().is_none(), "no line when it works");
    assert_eq!(h.state().settings.view.info.backups_kept, 1);
}

#[test]
fn back_up_to_a_chosen_file_writes_a_backup_that_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_dir(dir.path()).unwrap();
    incident(&mut store, "card declined twice");
    let mut h = harness(store, Lang::En);
    open_settings(&mut h);
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("stick.sqlite3");
    h.state_mut()
        .queue(SettingsCommand::BackUpTo(Some(file.clone())));
    h.step();
    assert!(
        h.state().settings.view.working.is_some(),
        "runs off the UI thread"
    );
    until_done(&mut h);
    let outcome = h.state().settings.view.outcome.clone().unwrap();
    assert!(!outcome.is_error, "{outcome:?}");
    let summary = backup_summary(&file).unwrap();
    assert_eq!(summary.incidents, 1);
    assert_eq!(summary.schema_version, SCHEMA_VERSION);

    h.state_mut().queue(SettingsCommand::BackUpToFolder);
    until_done(&mut h);
    assert_eq!(files_in(&dir.path().join("backups"), "manual-").len(), 1);
}

#[test]
fn a_file_that_is_not_a_backup_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_dir(dir.path()).unwrap();
    incident(&mut store, "paper jam");
    let db = store.path().unwrap().to_path_buf();
    let mut h = harness(store, Lang::En);
    open_settings(&mut h);
    let bad = dir.path().join("notes.txt");
    std::fs::write(&bad, "this is a shopping list, not a database\n").unwrap();
    h.state_mut()
        .queue(SettingsCommand::ChooseRestore(Some(bad.clone())));
    until_done(&mut h);
    let outcome = h.state().settings.view.outcome.clone().unwrap();
    assert!(outcome.is_error);
    assert!(
        outcome.msg.en.contains("not a posdesk database"),
        "{outcome:?}"
    );
    h.get_by_label(&outcome.msg.en);
    assert!(h.state().settings.view.pending.is_none());
    assert!(
        h.query_by_label("Replace my data with this backup")
            .is_none()
    );
    // Even a confirm now has nothing to restore.
    h.state_mut().queue(SettingsCommand::ConfirmRestore);
    h.run();
    assert_eq!(incidents(&db), 1);
    assert!(files_in(&dir.path().join("backups"), "before-restore-").is_empty());

    // In Chinese, the library's words in Chinese.
    h.get_by_label("中文").click();
    h.run();
    h.state_mut()
        .queue(SettingsCommand::ChooseRestore(Some(bad)));
    h.run();
    until_done(&mut h);
    let outcome = h.state().settings.view.outcome.clone().unwrap();
    h.get_by_label(&outcome.msg.zh);
    assert!(outcome.msg.zh.contains("不是 posdesk 的数据库"));
    assert_eq!(incidents(&db), 1);
}

#[test]
fn a_backup_made_earlier_is_shown_then_restored_after_the_clerk_confirms() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_dir(dir.path()).unwrap();
    incident(&mut store, "kept one");
    let out = tempfile::tempdir().unwrap();
    let backup = out.path().join("before.sqlite3");
    store.backup_to(&backup).unwrap();
    incident(&mut store, "added after the backup");
    let db = store.path().unwrap().to_path_buf();
    let mut h = harness(store, Lang::En);
    h.run();
    assert_eq!(h.state().journal.view.total, 2);
    open_settings(&mut h);
    h.state_mut()
        .queue(SettingsCommand::ChooseRestore(Some(backup)));
    run_until(&mut h, |app| app.settings.view.pending.is_some());
    h.get_by_label("This backup holds:");
    assert_eq!(incidents(&db), 2, "nothing changes before the confirm");
    h.get_by_label("Replace my data with this backup").click();
    h.run();
    until_done(&mut h);
    let outcome = h.state().settings.view.outcome.clone().unwrap();
    assert!(!outcome.is_error, "{outcome:?}");
    assert_eq!(incidents(&db), 1, "the later incident is gone");
    let aside = files_in(&dir.path().join("backups"), "before-restore-");
    assert_eq!(aside.len(), 1);
    assert_eq!(incidents(&aside[0]), 2, "the data as it was is kept aside");
    assert!(outcome.msg.en.contains(&aside[0].display().to_string()));
    // Every screen read the restored data.
    assert_eq!(h.state().journal.view.total, 1);
}

/// A real data folder with incidents and a daily backup, then its database damaged: pages scribbled
/// over in the middle and the end cut off.
fn damaged_folder(with_backup: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_dir(dir.path()).unwrap();
    for n in 0..300 {
        incident(
            &mut store,
            &format!("issuer unavailable {n} {}", "x".repeat(200)),
        );
    }
    if with_backup {
        store.daily_backup().unwrap().unwrap();
    }
    let db = store.path().unwrap().to_path_buf();
    drop(store);
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(bytes.len() > 40 * 4096);
    let keep = bytes.len() * 2 / 3;
    bytes.truncate(keep);
    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    for b in &mut bytes[10 * 4096 + 8..10 * 4096 + 900] {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        *b = rng as u8;
    }
    std::fs::write(&db, &bytes).unwrap();
    dir
}

#[test]
fn a_damaged_database_opens_a_window_that_offers_the_newest_good_backup() {
    let dir = damaged_folder(true);
    let db = dir.path().join(DB_FILE);
    let damaged_bytes = std::fs::read(&db).unwrap();
    let data = posdesk_app::ui::open_data(Some(dir.path()), &Clock::system());
    let mut h = harness_with(data, prefs(Lang::En), egui::vec2(1200.0, 900.0));
    h.get_by_label(DAMAGED_EN);
    // The offer names the backup's date and what it holds.
    let backup = files_in(&dir.path().join("backups"), "daily-");
    let made = backup_summary(&backup[0]).unwrap().made_at.unwrap();
    let date = posdesk::domain::dates::local_minute(made);
    let offer = format!("Restore the newest good backup (from {date}, with 300 incidents)?");
    assert!(
        h.query_all_by_label_contains(&offer).next().is_some(),
        "{offer}"
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        damaged_bytes,
        "not touched yet"
    );
    // Lookups still work from the bundled codes, on every screen the offer stays.
    assert!(!h.state().book().is_empty());
    h.get_by_label("Journal").click();
    h.run();
    h.get_by_label(DAMAGED_EN);

    h.get_by_label("Restore it").click();
    h.run();
    run_until(&mut h, |app| app.store().is_some());
    assert!(h.query_by_label(DAMAGED_EN).is_none(), "the offer is gone");
    assert_eq!(incidents(&db), 300, "the incidents are back");
    let kept = files_in(&dir.path().join("damaged"), "posdesk-");
    assert_eq!(kept.len(), 1, "the damaged file is kept aside");
    assert_eq!(std::fs::read(&kept[0]).unwrap(), damaged_bytes);
    // The journal shows the restored incidents, and saving works again.
    assert_eq!(h.state().journal.view.total, 300);
    assert!(h.state().data().problem().is_none());
}

#[test]
fn a_damaged_database_without_a_backup_says_what_to_do_and_changes_nothing() {
    let dir = damaged_folder(false);
    let db = dir.path().join(DB_FILE);
    let damaged_bytes = std::fs::read(&db).unwrap();
    let data = posdesk_app::ui::open_data(Some(dir.path()), &Clock::system());
    let mut h = harness_with(data, prefs(Lang::Zh), egui::vec2(1200.0, 900.0));
    h.get_by_label("⚠ posdesk 的数据文件已损坏。");
    assert!(
        h.query_all_by_label_contains("请联系为这台电脑安装 posdesk 的人")
            .next()
            .is_some()
    );
    assert!(h.query_by_label("恢复").is_none(), "no backup to offer");
    h.state_mut().queue(SettingsCommand::RecoverDamaged);
    h.state_mut().queue(ShellCommand::Go(Route::Settings));
    h.run();
    assert_eq!(std::fs::read(&db).unwrap(), damaged_bytes);
    assert!(!dir.path().join("damaged").exists());
}

#[test]
fn head_office_enrollment_that_cannot_reach_head_office_says_so_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    // Tall enough that the section at the bottom of Settings is on screen to click.
    let mut h = harness_with(
        posdesk_app::ui::services::Data::Open(store),
        prefs(Lang::En),
        egui::vec2(1200.0, 2400.0),
    );
    open_settings(&mut h);
    run_until(&mut h, |app| app.settings.view.head_office.status.is_some());
    assert!(
        !h.state()
            .settings
            .view
            .head_office
            .status
            .as_ref()
            .unwrap()
            .enrolled
    );
    h.get_by_label("Head office");
    h.get_by_label("Address").click();
    h.run();
    common::type_text(&mut h, "http://127.0.0.1:9");
    h.get_by_label("Code").click();
    h.run();
    common::type_text(&mut h, "ABCD-1234");
    h.get_by_label("Enroll").click();
    h.run();
    run_until(&mut h, |app| {
        !app.settings.view.head_office.working && app.settings.view.head_office.outcome.is_some()
    });
    let outcome = h.state().settings.view.head_office.outcome.clone().unwrap();
    assert!(outcome.is_error);
    assert!(
        outcome.msg.en.contains("cannot be reached"),
        "{}",
        outcome.msg.en
    );
    assert!(
        !dir.path().join(posdesk::sync::IDENTITY_FILE).exists(),
        "no identity without head office's answer"
    );
}

#[test]
fn an_enrolled_till_shows_its_last_sync_waiting_count_and_last_error_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_dir(dir.path()).unwrap();
    incident(&mut store, "waiting for head office");
    let file = posdesk::sync::SyncFile {
        url: "http://127.0.0.1:9".into(),
        device_id: uuid::Uuid::now_v7(),
        store_id: uuid::Uuid::now_v7(),
        store_code: "STORE-A".into(),
        token: "t".into(),
        epoch: 1,
        last_ok: Some(jiff::Timestamp::now() - jiff::SignedDuration::from_mins(2)),
        last_attempt: None,
        last_error: None,
        clock_skew_ms: Some(0),
    };
    file.save(dir.path()).unwrap();
    let mut h = harness(store, Lang::En);
    // The worker's first round tries (head office is not there) and reports.
    run_until(&mut h, |app| {
        app.settings
            .view
            .head_office
            .status
            .as_ref()
            .is_some_and(|s| s.last_error.is_some())
    });
    let status = h.state().settings.view.head_office.status.clone().unwrap();
    assert!(status.enrolled);
    assert_eq!(status.pending, 2, "the incident and its status event wait");
    h.get_by_label_contains("Synced 2 min ago · 2 waiting");
    open_settings(&mut h);
    h.get_by_label("STORE-A · http://127.0.0.1:9");
    h.get_by_label_contains("cannot be reached right now");
    h.get_by_label("Sync now");
    // Chinese too.
    let mut zh = harness(Store::open_dir(dir.path()).unwrap(), Lang::Zh);
    run_until(&mut zh, |app| {
        app.settings.view.head_office.status.is_some()
    });
    zh.get_by_label_contains("已同步 · 2 分钟前 · 2 条待发送");
}
