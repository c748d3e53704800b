//! The Maintenance board for a shop with many terminals (grouped by terminal, folded, searched, with
//! their locations), the low-stock warning, the Supplies & own tasks page, and the screen at 800×600
//! with the largest text in both languages (egui_kittest, no GPU).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

mod common;

use common::{harness_with_clock, prefs, type_text};
use eframe::egui::{self, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use posdesk::domain::maintenance::{
    EventKind, HistoryEvent, StockItem, TerminalId, TerminalInfo, TerminalKind,
};
use posdesk::{Clock, Lang, Store};
use posdesk_app::ui::app::PosdeskApp;
use posdesk_app::ui::command::MaintenanceCommand;
use posdesk_app::ui::services::Data;

const START: &str = "2026-03-10T12:00:00Z";

fn clock() -> Clock {
    Clock::fixed(START.parse().unwrap())
}

/// "Store 10", "Store 2" and "Store 1" (card terminals) with their locations.
fn shop(clock: &Clock) -> Store {
    let mut store = common::store().with_clock(clock.clone());
    for (name, location) in [
        ("Store 10", "Airport"),
        ("Store 2", "Back office"),
        ("Store 1", "Front till"),
    ] {
        let info = TerminalInfo {
            kind: TerminalKind::CardTerminal,
            location: location.into(),
            ..TerminalInfo::named(name)
        };
        store.add_terminal(&info).unwrap();
    }
    store
}

fn app(store: Store, clock: Clock, lang: Lang, size: egui::Vec2) -> Harness<'static, PosdeskApp> {
    harness_with_clock(Data::Open(store), prefs(lang), size, clock)
}

fn open_maintenance(h: &mut Harness<'_, PosdeskApp>) {
    let tab = match h.state().lang() {
        Lang::En => "Maintenance",
        Lang::Zh => "设备维护",
    };
    h.get_by_label(tab).click();
    h.run();
}

fn done_buttons(h: &Harness<'_, PosdeskApp>) -> usize {
    h.query_all_by_label("✔ Done").count()
}

fn visible_terminals(h: &Harness<'_, PosdeskApp>) -> Vec<String> {
    let view = &h.state().maintenance.view;
    let mut names: Vec<String> = view
        .visible_rows(&h.state().maintenance.forms.board_search)
        .into_iter()
        .map(|r| view.board[r].terminal_name.clone())
        .collect();
    names.dedup();
    names
}

#[test]
fn the_board_groups_by_terminal_in_name_order_with_locations() {
    let clock = clock();
    let mut h = app(shop(&clock), clock, Lang::En, egui::vec2(1200.0, 900.0));
    open_maintenance(&mut h);
    assert_eq!(visible_terminals(&h), ["Store 1", "Store 2", "Store 10"]);
    for header in ["▼ Store 1", "▼ Store 2", "▼ Store 10"] {
        h.get_by_label(header);
    }
    for place in ["📍 Front till", "📍 Back office", "📍 Airport"] {
        h.get_by_label(place);
    }
    // Store 1's header is above Store 2's, which is above Store 10's.
    let y = |l: &str| h.get_by_label(l).rect().top();
    assert!(y("▼ Store 1") < y("▼ Store 2") && y("▼ Store 2") < y("▼ Store 10"));
}

#[test]
fn a_folded_terminal_hides_its_rows_and_the_keys_pass_it_by() {
    let clock = clock();
    let mut h = app(shop(&clock), clock, Lang::En, egui::vec2(1200.0, 4000.0));
    open_maintenance(&mut h);
    let all = done_buttons(&h);
    let per_terminal = all / 3;
    assert!(per_terminal > 0);
    h.get_by_label("▼ Store 1").click();
    h.run();
    h.get_by_label("▶ Store 1");
    assert_eq!(done_buttons(&h), all - per_terminal);
    assert_eq!(visible_terminals(&h), ["Store 2", "Store 10"]);
    // ↓ from a hidden row lands on the first row on view; Enter marks only rows on view.
    h.key_press(Key::ArrowDown);
    h.run();
    let view = &h.state().maintenance.view;
    assert_eq!(view.board[view.selected].terminal_name, "Store 2");
    // Fold all, then nothing on view: Enter marks nothing.
    h.get_by_label("Fold all").click();
    h.run();
    assert_eq!(done_buttons(&h), 0);
    let before = h.state().maintenance.view.board.len();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().maintenance.view.board.len(), before);
    h.get_by_label("Unfold all").click();
    h.run();
    assert_eq!(done_buttons(&h), all);
}

#[test]
fn the_board_search_finds_terminals_locations_and_tasks() {
    let clock = clock();
    let mut h = app(shop(&clock), clock, Lang::En, egui::vec2(1200.0, 4000.0));
    open_maintenance(&mut h);
    let all = done_buttons(&h);
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "🔍 Find")
        .click();
    h.run();
    type_text(&mut h, "back off");
    assert_eq!(visible_terminals(&h), ["Store 2"]);
    assert_eq!(done_buttons(&h), all / 3);
    // A task's words find that task on every terminal.
    h.state_mut().maintenance.forms.board_search = "receipt paper".into();
    h.run();
    assert_eq!(done_buttons(&h), 3);
    assert_eq!(visible_terminals(&h), ["Store 1", "Store 2", "Store 10"]);
    // A terminal and a task: that task on that terminal only.
    h.state_mut().maintenance.forms.board_search = "store 10 receipt".into();
    h.run();
    assert_eq!(done_buttons(&h), 1);
    h.state_mut().maintenance.forms.board_search = "nothing like this".into();
    h.run();
    h.get_by_label("Nothing due matches the search.");
    h.get_by_label("✖ Clear").click();
    h.run();
    assert_eq!(done_buttons(&h), all);
}

#[test]
fn low_stock_warns_on_the_board_and_supplies_are_counted_in_the_window() {
    let clock = clock();
    let mut store = shop(&clock);
    store
        .set_stock(StockItem::PaperRolls, Some(2), Some(3))
        .unwrap();
    let mut h = app(store, clock, Lang::En, egui::vec2(1200.0, 900.0));
    open_maintenance(&mut h);
    h.get_by_label("⚠ Low stock: Paper rolls: 2 left. Reorder soon.");
    h.get_by_label("Supplies…").click();
    h.run();
    h.get_by_label("2 in stock");
    h.get_by_label("− Used one").click();
    h.run();
    let paper = h.state().store().unwrap().stock().unwrap()[0];
    assert_eq!(paper.count, Some(1));
    // A delivery through the form takes the warning away.
    h.query_all_by_label("Count / delivery…")
        .next()
        .unwrap()
        .click();
    h.run();
    h.get_by_role_and_label(
        egui::accesskit::Role::TextInput,
        "Delivered (added to the count)",
    )
    .click();
    h.run();
    type_text(&mut h, "12");
    h.get_by_label("Save").click();
    h.run();
    assert_eq!(
        h.state().store().unwrap().stock().unwrap()[0].count,
        Some(13)
    );
    h.get_by_label_contains("Due now").click();
    h.run();
    assert!(h.query_by_label_contains("Low stock").is_none());
}

#[test]
fn an_own_task_made_in_the_window_goes_on_every_card_terminal() {
    let clock = clock();
    let mut h = app(shop(&clock), clock, Lang::Zh, egui::vec2(1200.0, 900.0));
    open_maintenance(&mut h);
    h.get_by_label("耗材与自定义任务").click();
    h.run();
    h.get_by_label("还没有自定义任务。");
    h.get_by_label("＋ 新任务").click();
    h.run();
    // The cursor starts in the Chinese title.
    type_text(&mut h, "清洁钱箱");
    h.get_by_role_and_label(
        egui::accesskit::Role::MultilineTextInput,
        "中文步骤，每行一步",
    )
    .click();
    h.run();
    type_text(&mut h, "取出钱箱");
    h.get_by_label("天").click();
    h.get_by_label("保存").click();
    h.run();
    let own = h.state().store().unwrap().own_tasks().unwrap();
    assert_eq!(own.len(), 1, "{:?}", h.state().status_text());
    assert_eq!(own[0].title_en, "清洁钱箱");
    h.get_by_label("清洁钱箱");
    let board = &h.state().maintenance.view.board;
    assert_eq!(board.iter().filter(|i| i.task.own).count(), 3);
    // Retire asks first.
    h.get_by_label("停用…").click();
    h.run();
    h.get_by_label("确定停用").click();
    h.run();
    assert!(h.state().store().unwrap().own_tasks().unwrap().is_empty());
    assert!(!h.state().maintenance.view.board.iter().any(|i| i.task.own));
}

#[test]
fn the_board_opens_at_its_top() {
    let clock = clock();
    let mut h = app(shop(&clock), clock, Lang::En, egui::vec2(1200.0, 900.0));
    open_maintenance(&mut h);
    let opened = h.state().maintenance.view.board_opened;
    h.get_by_label("Codes").click();
    h.run();
    open_maintenance(&mut h);
    assert_eq!(h.state().maintenance.view.board_opened, opened + 1);
    // The first terminal's header is in view again, at the top of the board.
    let header = h.get_by_label("▼ Store 1").rect();
    assert!(h.ctx.content_rect().contains_rect(header), "{header:?}");
}

/// Every part of the Maintenance screen at 800×600 with the largest text, in both languages: the
/// screen's tabs, the board's search and fold, the low-stock warning, the Supplies page and the own
/// task form's buttons lie inside the window (long pages scroll).
#[test]
fn the_maintenance_screen_is_usable_at_800_by_600_with_the_largest_text() {
    for lang in [Lang::En, Lang::Zh] {
        let clock = clock();
        let mut store = shop(&clock);
        store
            .set_stock(StockItem::CleaningCards, Some(0), Some(2))
            .unwrap();
        let mut p = prefs(lang);
        p.zoom = posdesk_app::ui::theme::MAX_ZOOM;
        let mut h = harness_with_clock(Data::Open(store), p, egui::vec2(800.0, 600.0), clock);
        open_maintenance(&mut h);
        let screen = h.ctx.content_rect().expand(1.0);
        let inside = |h: &Harness<'_, PosdeskApp>, label: &str| {
            let rects: Vec<egui::Rect> = h.query_all_by_label(label).map(|n| n.rect()).collect();
            assert!(
                rects.iter().any(|r| screen.contains_rect(*r)),
                "{lang:?}: {label:?} at {rects:?} is outside {screen:?}"
            );
        };
        let t = |en: &'static str, zh: &'static str| lang.tr(en, zh);
        for tab in [
            t("Terminals", "终端"),
            t("Print checklists", "打印检查表"),
            t("⚠ Supplies & own tasks", "⚠ 耗材与自定义任务"),
            t("Fold all", "全部收起"),
            t("Supplies…", "耗材…"),
        ] {
            inside(&h, tab);
        }
        let find = h
            .get_by_role_and_label(egui::accesskit::Role::TextInput, t("🔍 Find", "🔍 查找"))
            .rect();
        assert!(screen.contains_rect(find), "{lang:?}: find box {find:?}");
        // A row's Done button is reachable: the first one is on screen.
        let done = h
            .query_all_by_label(t("✔ Done", "✔ 完成"))
            .next()
            .unwrap()
            .rect();
        assert!(screen.contains_rect(done), "{lang:?}: Done at {done:?}");
        h.get_by_label(t("Supplies…", "耗材…")).click();
        h.run();
        inside(&h, t("＋ New task", "＋ 新任务"));
        h.get_by_label(t("＋ New task", "＋ 新任务")).click();
        h.run();
        inside(&h, t("Save", "保存"));
        inside(&h, t("Cancel", "取消"));
        h.get_by_label(t("Cancel", "取消")).click();
        h.run();
        h.state_mut().queue(MaintenanceCommand::Show(
            posdesk_app::ui::command::MaintenancePage::Terminals,
        ));
        h.run();
        inside(&h, t("Terminals", "终端"));
        // The terminal list's first name is on screen (its wide columns scroll sideways).
        inside(&h, "Store 1");
    }
}

/// A file store with "Till 1" (its tasks due today), and the app on it at 1200×900.
fn photo_shop(dir: &std::path::Path) -> (Harness<'static, PosdeskApp>, TerminalId) {
    let clock = clock();
    let mut store = Store::open_dir(&dir.join("data"))
        .unwrap()
        .with_clock(clock.clone());
    let till = store
        .add_terminal(&TerminalInfo::named("Till 1"))
        .unwrap()
        .id;
    let h = app(store, clock, Lang::En, egui::vec2(1200.0, 900.0));
    (h, till)
}

/// A small real picture at `path`.
fn picture(path: &std::path::Path) {
    image::RgbImage::from_pixel(64, 48, image::Rgb([200, 40, 40]))
        .save(path)
        .unwrap();
}

/// Open the first task's done form and choose `photo` in it (what the file dialog's worker hands
/// back), then Save.
fn done_with_photo(h: &mut Harness<'_, PosdeskApp>, photo: &std::path::Path) {
    open_maintenance(h);
    h.query_all_by_label("Done with details…")
        .next()
        .unwrap()
        .click();
    h.run();
    h.get_by_label("📷 Add a photo…");
    h.state_mut()
        .queue(MaintenanceCommand::SetPhoto(Some(photo.to_path_buf())));
    h.run();
    let name = photo.file_name().unwrap().to_string_lossy();
    h.get_by_label(&format!("📷 {name}"));
    h.get_by_label("Save").click();
    // Not `run`: the form shows a moving progress bar while the photo is copied, which keeps drawing.
    h.step();
}

fn history(h: &Harness<'_, PosdeskApp>, till: TerminalId) -> Vec<HistoryEvent> {
    h.state().store().unwrap().history(till, None, 5).unwrap()
}

#[test]
fn a_photo_chosen_in_the_done_form_is_kept_and_shown_on_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, till) = photo_shop(dir.path());
    let photo = dir.path().join("printer.png");
    picture(&photo);
    done_with_photo(&mut h, &photo);
    // The copy runs on a worker; the form closes when the photo is kept.
    common::run_until(&mut h, |app| app.maintenance.forms.work.is_none());
    let history = history(&h, till);
    assert_eq!(history[0].photos.len(), 1, "{:?}", h.state().status_text());
    assert_eq!(history[0].photos[0].file_name, "printer.png");
    assert!(
        h.state()
            .status_text()
            .unwrap()
            .ends_with("with the photo printer.png."),
        "{:?}",
        h.state().status_text()
    );
    h.state_mut().queue(MaintenanceCommand::Show(
        posdesk_app::ui::command::MaintenancePage::Terminal(till),
    ));
    // Its thumbnail is decoded on the worker and shown on the history line, which opens it.
    let id = history[0].photos[0].id;
    common::run_until(&mut h, |app| {
        app.maintenance
            .view
            .photo_thumbs
            .0
            .get(&id)
            .is_some_and(Option::is_some)
    });
    h.get_by_label("📷");
}

/// A photo that comes through a named pipe, filled when the test sends on the channel: until then
/// its copy cannot end, so the window must go on drawing (a copy on the UI thread would hang it, and
/// the pipe is filled after 20 s anyway so that such a build fails instead of hanging).
#[cfg(unix)]
fn slow_photo(
    dir: &std::path::Path,
    name: &str,
) -> (std::path::PathBuf, std::sync::mpsc::Sender<()>) {
    use std::io::Write;
    let source = dir.join("source.png");
    picture(&source);
    let pipe = dir.join(name);
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .unwrap();
    assert!(made.success());
    let (go, wait) = std::sync::mpsc::channel::<()>();
    let (bytes, to) = (std::fs::read(&source).unwrap(), pipe.clone());
    std::thread::spawn(move || {
        let _ = wait.recv_timeout(std::time::Duration::from_secs(20));
        // Opening blocks until the worker opens the pipe to read.
        let mut w = std::fs::OpenOptions::new().write(true).open(&to).unwrap();
        w.write_all(&bytes).unwrap();
    });
    (pipe, go)
}

#[cfg(unix)]
#[test]
fn the_photo_is_copied_on_a_worker_while_the_form_shows_it_going() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, till) = photo_shop(dir.path());
    let (pipe, go) = slow_photo(dir.path(), "slow camera.png");
    done_with_photo(&mut h, &pipe);
    for _ in 0..5 {
        h.step();
    }
    // The done is recorded at once; the form stays and shows the photo going.
    let recorded = history(&h, till);
    assert_eq!(recorded[0].kind, EventKind::Done);
    assert!(recorded[0].photos.is_empty(), "the copy is still waiting");
    h.get_by_label("✔ Done is recorded.");
    h.get_by_label_contains("Keeping the photo slow camera.png");
    assert!(h.state().maintenance.busy());
    go.send(()).unwrap();
    common::run_until(&mut h, |app| app.maintenance.forms.work.is_none());
    let kept = history(&h, till);
    assert_eq!(
        kept[0].id, recorded[0].id,
        "the same done, not a second one"
    );
    assert_eq!(kept[0].photos.len(), 1);
    assert_eq!(kept[0].photos[0].file_name, "slow camera.png");
}

#[cfg(unix)]
#[test]
fn undo_while_the_photo_is_copied_takes_the_done_back_and_says_no_more() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, till) = photo_shop(dir.path());
    let (pipe, go) = slow_photo(dir.path(), "slow camera.png");
    done_with_photo(&mut h, &pipe);
    for _ in 0..3 {
        h.step();
    }
    assert_eq!(history(&h, till).len(), 1);
    // The status line says "Working…" while the copy runs; the done's Undo is in the history.
    h.get_by_label("Message history").click();
    for _ in 0..4 {
        h.step();
    }
    h.get_by_label("Undo").click();
    h.step();
    h.step();
    assert!(history(&h, till).is_empty(), "undone");
    assert!(
        h.state().maintenance.forms.work.is_none(),
        "its form closed"
    );
    go.send(()).unwrap();
    common::run_until(&mut h, |app| !app.maintenance.busy());
    assert!(history(&h, till).is_empty());
    assert_eq!(h.state().status_text(), Some("Undone."));
}

#[test]
fn a_photo_that_cannot_be_kept_leaves_the_done_recorded_and_can_be_tried_again() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, till) = photo_shop(dir.path());
    // Chosen, then gone before it could be copied (a USB stick pulled out).
    let gone = dir.path().join("gone.png");
    done_with_photo(&mut h, &gone);
    common::run_until(&mut h, |app| {
        app.maintenance
            .forms
            .work
            .as_ref()
            .and_then(|f| f.keeping.as_ref())
            .is_some_and(|k| !k.copying)
    });
    let recorded = history(&h, till);
    assert_eq!(recorded[0].kind, EventKind::Done, "the done is not lost");
    assert!(recorded[0].photos.is_empty());
    // Said in words, on the form and on the status line, naming the file.
    let said: Vec<String> = h
        .query_all_by_label_contains("but the photo was not kept")
        .filter_map(|n| n.accesskit_node().value())
        .collect();
    assert_eq!(said.len(), 2, "{said:?}");
    assert!(said.iter().all(|s| s.contains("gone.png")), "{said:?}");
    assert!(
        h.state()
            .status_text()
            .unwrap()
            .starts_with("Done is recorded for"),
        "{:?}",
        h.state().status_text()
    );
    // Another photo, kept with the same done.
    let photo = dir.path().join("found.png");
    picture(&photo);
    h.state_mut()
        .queue(MaintenanceCommand::SetPhoto(Some(photo.clone())));
    h.run();
    h.get_by_label("Keep the photo").click();
    h.step();
    common::run_until(&mut h, |app| app.maintenance.forms.work.is_none());
    let kept = history(&h, till);
    assert_eq!(kept.len(), recorded.len(), "no second done");
    assert_eq!(kept[0].photos.len(), 1);
    assert_eq!(kept[0].photos[0].file_name, "found.png");
}
