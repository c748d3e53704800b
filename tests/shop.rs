//! What a small shop adds to the bundled maintenance: its own tasks, paper-roll and cleaning-card
//! stock, photos on done tasks, names sorted as people count, and the CLI verbs over them (usage
//! errors in the user's language included).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

use jiff::civil::{Date, date};
use posdesk::Clock;
use posdesk::Store;
use posdesk::domain::maintenance::{
    DoneEntry, EventKind, Interval, IntervalUnit, OwnTaskInfo, Recurrence, SheetSpan, StockItem,
    TerminalId, TerminalInfo, TerminalKind,
};
use posdesk::packs::checklists::ChecklistPack;
use posdesk::store::{MaintenanceStoreError, StoreError};
use serde_json::Value;
use std::process::{Command, Output};

fn store_on(day: Date) -> (Store, Clock) {
    let clock = Clock::fixed(format!("{day}T12:00:00Z").parse().unwrap());
    let store = Store::open_in_memory().unwrap().with_clock(clock.clone());
    (store, clock)
}

fn add(store: &mut Store, name: &str, kind: TerminalKind) -> TerminalId {
    let info = TerminalInfo {
        kind,
        ..TerminalInfo::named(name)
    };
    store.add_terminal(&info).unwrap().id
}

fn drawer_task() -> OwnTaskInfo {
    OwnTaskInfo {
        title_zh: "清洁钱箱".into(),
        title_en: String::new(),
        steps_zh: vec!["取出钱箱".into(), "擦干净".into()],
        steps_en: Vec::new(),
        kinds: vec![TerminalKind::CardTerminal, TerminalKind::ReceiptPrinter],
        interval: Interval::new(1, IntervalUnit::Week).unwrap(),
        recurrence: Recurrence::Calendar,
    }
}

fn board_keys(store: &Store, terminal: TerminalId, day: Date) -> Vec<String> {
    store
        .due_board(day)
        .unwrap()
        .into_iter()
        .filter(|i| i.terminal == terminal)
        .map(|i| i.task.key)
        .collect()
}

#[test]
fn an_own_task_is_scheduled_on_its_kinds_and_prints_on_the_sheets() {
    let day = date(2026, 12, 6);
    let (mut store, _) = store_on(day);
    let till = add(&mut store, "Till 1", TerminalKind::CardTerminal);
    let qr = add(&mut store, "QR box", TerminalKind::QrScanner);
    let task = store.add_own_task(&drawer_task()).unwrap();
    assert_eq!(task.key, "own_1");
    assert!(task.own);
    // One language given: the other is filled from it.
    assert_eq!(task.title_en, "清洁钱箱");
    assert_eq!(task.steps_en, task.steps_zh);
    assert!(board_keys(&store, till, day).contains(&"own_1".to_string()));
    assert!(!board_keys(&store, qr, day).contains(&"own_1".to_string()));
    // A printer added later gets it with its default tasks.
    let printer = add(&mut store, "Printer", TerminalKind::ReceiptPrinter);
    assert!(store.schedule_of(printer, "own_1").unwrap().is_some());
    // Day and week sheets carry it.
    let lines = store.sheet_lines(Some(till), SheetSpan::Day(day)).unwrap();
    assert!(lines.iter().any(|l| l.task.key == "own_1"));
    // The week: due today on Till 1; the printer, added after, starts a week on like its other
    // weekly tasks (its installer has just checked it).
    let week = store.sheet_lines(None, SheetSpan::Week(day)).unwrap();
    let on_week: Vec<&str> = week
        .iter()
        .filter(|l| l.task.key == "own_1")
        .map(|l| l.terminal_name.as_str())
        .collect();
    assert_eq!(on_week, ["Till 1"]);
    // The same title again is refused: the CLI finds tasks by title.
    let again = store.add_own_task(&OwnTaskInfo {
        title_zh: String::new(),
        title_en: "  清洁钱箱 ".into(),
        ..drawer_task()
    });
    assert!(
        matches!(
            again,
            Err(StoreError::Maintenance(
                MaintenanceStoreError::TaskTitleTaken(_)
            ))
        ),
        "{again:?}"
    );
    assert_eq!(store.own_tasks().unwrap().len(), 1);
}

#[test]
fn an_own_task_needs_a_title_a_step_and_a_kind() {
    let (mut store, _) = store_on(date(2026, 12, 6));
    let cases = [
        OwnTaskInfo {
            title_zh: " ".into(),
            ..drawer_task()
        },
        OwnTaskInfo {
            steps_zh: vec!["  ".into()],
            ..drawer_task()
        },
        OwnTaskInfo {
            kinds: Vec::new(),
            ..drawer_task()
        },
        OwnTaskInfo {
            steps_en: vec!["one".into()],
            ..drawer_task()
        },
    ];
    for case in cases {
        assert!(store.add_own_task(&case).is_err(), "{case:?}");
    }
    assert!(store.own_tasks().unwrap().is_empty());
}

#[test]
fn a_card_number_in_an_own_task_is_masked() {
    let (mut store, _) = store_on(date(2026, 12, 6));
    let t = store
        .add_own_task(&OwnTaskInfo {
            steps_zh: vec!["test card 4111 1111 1111 1111".into()],
            ..drawer_task()
        })
        .unwrap();
    assert!(
        !t.steps_zh[0].contains("1111 1111 1111"),
        "{:?}",
        t.steps_zh
    );
    // Masked in both languages' steps (English copied from the Chinese).
    assert_eq!(store.take_masked(), 2);
    assert!(!t.steps_en[0].contains("1111 1111 1111"));
}

#[test]
fn editing_an_own_task_moves_its_schedules_and_kinds() {
    let day = date(2026, 12, 6);
    let (mut store, _) = store_on(day);
    let till = add(&mut store, "Till 1", TerminalKind::CardTerminal);
    let printer = add(&mut store, "Printer", TerminalKind::ReceiptPrinter);
    let qr = add(&mut store, "QR box", TerminalKind::QrScanner);
    store.add_own_task(&drawer_task()).unwrap();
    let edited = store
        .edit_own_task(
            "own_1",
            &OwnTaskInfo {
                title_en: "Clean the cash drawer".into(),
                kinds: vec![TerminalKind::CardTerminal, TerminalKind::QrScanner],
                interval: Interval::new(2, IntervalUnit::Day).unwrap(),
                ..drawer_task()
            },
        )
        .unwrap();
    assert_eq!(edited.title_en, "Clean the cash drawer");
    assert!(store.schedule_of(qr, "own_1").unwrap().is_some());
    assert!(store.schedule_of(printer, "own_1").unwrap().is_none());
    let s = store.schedule_of(till, "own_1").unwrap().unwrap();
    let status = store.schedule_status(s, day).unwrap().unwrap();
    assert_eq!(
        status.plan.interval,
        Interval::new(2, IntervalUnit::Day).unwrap()
    );
    // Bundled tasks are not the shop's to change.
    let bundled = store.edit_own_task("receipt_paper", &drawer_task());
    assert!(
        matches!(
            bundled,
            Err(StoreError::Maintenance(MaintenanceStoreError::NotOwnTask(
                _
            )))
        ),
        "{bundled:?}"
    );
    assert!(matches!(
        store.retire_own_task("receipt_paper"),
        Err(StoreError::Maintenance(MaintenanceStoreError::NotOwnTask(
            _
        )))
    ));
}

#[test]
fn a_retired_own_task_leaves_the_board_keeps_its_history_and_survives_a_pack_update() {
    let day = date(2026, 12, 6);
    let (mut store, _) = store_on(day);
    let till = add(&mut store, "Till 1", TerminalKind::CardTerminal);
    store.add_own_task(&drawer_task()).unwrap();
    // A newer bundled pack never retires the shop's task.
    let mut pack = ChecklistPack::bundled().unwrap();
    pack.version += 1;
    assert!(store.sync_checklists(&pack).unwrap());
    assert!(board_keys(&store, till, day).contains(&"own_1".to_string()));
    let s = store.schedule_of(till, "own_1").unwrap().unwrap();
    store
        .mark_done(s, day, &DoneEntry::fine(day, "Wang"))
        .unwrap();
    store.retire_own_task("own_1").unwrap();
    assert!(!board_keys(&store, till, day + jiff::ToSpan::weeks(1)).contains(&"own_1".to_string()));
    assert!(store.own_tasks().unwrap().is_empty());
    let history = store.history(till, Some("own_1"), 10).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].kind, EventKind::Done);
    // The next own task gets a new key: a barcode of the retired one never names it.
    assert_eq!(store.add_own_task(&drawer_task()).unwrap().key, "own_2");
}

#[test]
fn stock_warns_when_low_and_refuses_to_go_below_zero() {
    let (mut store, _) = store_on(date(2026, 12, 6));
    // Never counted: no warning.
    assert!(store.low_stock().unwrap().is_empty());
    assert!(matches!(
        store.use_stock(StockItem::PaperRolls, 1),
        Err(StoreError::Maintenance(
            MaintenanceStoreError::StockNotCounted(_)
        ))
    ));
    let level = store
        .set_stock(StockItem::PaperRolls, Some(4), Some(3))
        .unwrap();
    assert_eq!(
        (level.count, level.low_at, level.is_low()),
        (Some(4), 3, false)
    );
    let level = store.use_stock(StockItem::PaperRolls, 1).unwrap();
    assert!(level.is_low());
    assert_eq!(store.low_stock().unwrap()[0].item, StockItem::PaperRolls);
    let short = store.use_stock(StockItem::PaperRolls, 9);
    assert!(
        matches!(
            short,
            Err(StoreError::Maintenance(MaintenanceStoreError::StockShort {
                have: 3,
                wanted: 9,
                ..
            }))
        ),
        "{short:?}"
    );
    let level = store.restock(StockItem::PaperRolls, 10).unwrap();
    assert_eq!(level.count, Some(13));
    assert!(store.low_stock().unwrap().is_empty());
    // A delivery into a drawer never counted starts the count.
    let cards = store.restock(StockItem::CleaningCards, 2).unwrap();
    assert_eq!(cards.count, Some(2));
    assert!(cards.is_low());
}

#[test]
fn spare_rolls_recorded_on_the_only_till_become_the_stock() {
    let day = date(2026, 12, 6);
    let (mut store, _) = store_on(day);
    let till = add(&mut store, "Till 1", TerminalKind::CardTerminal);
    store
        .set_stock(StockItem::PaperRolls, Some(10), None)
        .unwrap();
    let s = store.schedule_of(till, "receipt_paper").unwrap().unwrap();
    let entry = DoneEntry {
        value: Some("2".into()),
        ..DoneEntry::fine(day, "Wang")
    };
    let marked = store.mark_done(s, day, &entry).unwrap();
    let paper = store.stock().unwrap()[0];
    assert_eq!(paper.count, Some(2));
    assert!(paper.is_low());
    // Undo puts back the count the value replaced.
    store.undo(marked.event.unwrap()).unwrap();
    assert_eq!(store.stock().unwrap()[0].count, Some(10));
    store.mark_done(s, day, &entry).unwrap();
    assert_eq!(store.stock().unwrap()[0].count, Some(2));
    // With two tills each counting the rolls beside them, one till's count is not the shop's.
    let till2 = add(&mut store, "Till 2", TerminalKind::CardTerminal);
    let s2 = store.schedule_of(till2, "receipt_paper").unwrap().unwrap();
    let entry = DoneEntry {
        value: Some("7".into()),
        ..DoneEntry::fine(day, "Wang")
    };
    store.mark_done(s2, day, &entry).unwrap();
    assert_eq!(store.stock().unwrap()[0].count, Some(2));
}

#[test]
fn a_photo_is_kept_with_a_done_task_by_its_hash() {
    let day = date(2026, 12, 6);
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::fixed(format!("{day}T12:00:00Z").parse().unwrap());
    let mut store = Store::open_dir(&dir.path().join("data"))
        .unwrap()
        .with_clock(clock);
    let till = add(&mut store, "Till 1", TerminalKind::CardTerminal);
    let s = store
        .schedule_of(till, "wipe_screen_window")
        .unwrap()
        .unwrap();
    let marked = store
        .mark_done(s, day, &DoneEntry::fine(day, "Wang"))
        .unwrap();
    let event = marked.event.unwrap();
    let photo = dir.path().join("Screen.JPG");
    std::fs::write(&photo, b"\xff\xd8\xff\xe0 not really a jpeg, but bytes").unwrap();
    let kept = store.attach_photo(event, &photo).unwrap();
    assert_eq!(kept.sha256.len(), 64);
    let stored = store.attachment_path(&kept).unwrap();
    assert!(stored.ends_with(format!("attachments/{}.jpg", kept.sha256)));
    assert_eq!(
        std::fs::read(&stored).unwrap(),
        std::fs::read(&photo).unwrap()
    );
    let history = store.history(till, None, 10).unwrap();
    assert_eq!(history[0].photos, vec![kept.clone()]);
    // Not a picture: refused, nothing kept.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    assert!(store.attach_photo(event, &text).is_err());
    assert_eq!(store.photos(event).unwrap().len(), 1);
    // The healthy-data check still passes with a photo row, and undo takes the row with the event.
    let report = posdesk::store::backup::check_file(store.path().unwrap());
    assert!(report.is_healthy(), "{:?}", report.problems);
    store.undo(event).unwrap();
    assert!(store.photos(event).unwrap().is_empty());
}

#[test]
fn terminal_names_sort_as_people_count() {
    let day = date(2026, 12, 6);
    let (mut store, _) = store_on(day);
    for n in [10, 2, 1, 11, 3] {
        add(
            &mut store,
            &format!("Store {n}"),
            TerminalKind::CardTerminal,
        );
    }
    let names: Vec<String> = store
        .terminals(false)
        .unwrap()
        .into_iter()
        .map(|t| t.info.name)
        .collect();
    assert_eq!(
        names,
        ["Store 1", "Store 2", "Store 3", "Store 10", "Store 11"]
    );
    let mut board: Vec<String> = store
        .due_board(day)
        .unwrap()
        .into_iter()
        .map(|i| i.terminal_name)
        .collect();
    board.dedup();
    assert_eq!(board, names);
    let mut sheet: Vec<String> = store
        .sheet_lines(None, SheetSpan::Day(day))
        .unwrap()
        .into_iter()
        .map(|l| l.terminal_name)
        .collect();
    sheet.dedup();
    assert_eq!(sheet, names);
}

// ---- the command line ----------------------------------------------------------------------------

fn posdesk(dir: &std::path::Path, locale: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_posdesk"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("POSDESK_DATA_DIR")
        .env("LC_ALL", locale)
        .env("LANG", locale)
        .output()
        .unwrap()
}

fn en(dir: &std::path::Path, args: &[&str]) -> Output {
    posdesk(dir, "en_US.UTF-8", args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn cli_task_verbs_add_list_edit_and_remove_own_tasks() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        en(dir.path(), &["terminal", "add", "Till 1"])
            .status
            .success()
    );
    let out = en(
        dir.path(),
        &[
            "task",
            "add",
            "--title-zh",
            "清洁钱箱",
            "--title-en",
            "Clean the cash drawer",
            "--step",
            "Take the drawer out",
            "--step",
            "Wipe it dry",
            "--every",
            "2",
            "--unit",
            "week",
            "--kind",
            "card,printer",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(text(&out.stdout).trim(), "own_1");
    let list: Vec<Value> =
        serde_json::from_slice(&en(dir.path(), &["task", "list", "--json"]).stdout).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["key"], "own_1");
    assert_eq!(list[0]["every"], 2);
    assert_eq!(list[0]["kinds"][1], "receipt_printer");
    assert_eq!(list[0]["steps_en"][1], "Wipe it dry");
    // It is on the board, and `done` takes its Chinese title.
    let due = text(&en(dir.path(), &["due", "--json"]).stdout);
    assert!(due.contains("own_1"), "{due}");
    let done = en(dir.path(), &["done", "Till 1", "清洁钱箱"]);
    assert!(done.status.success(), "{done:?}");
    assert!(!text(&en(dir.path(), &["due", "--json"]).stdout).contains("own_1"));
    // Edit by English title: what is given changes, the rest stays.
    let out = en(
        dir.path(),
        &["task", "edit", "clean the cash drawer", "--unit", "month"],
    );
    assert!(out.status.success(), "{out:?}");
    let list: Vec<Value> =
        serde_json::from_slice(&en(dir.path(), &["task", "list", "--json"]).stdout).unwrap();
    assert_eq!(
        (list[0]["every"].clone(), list[0]["unit"].clone()),
        (2.into(), "month".into())
    );
    assert_eq!(list[0]["title_zh"], "清洁钱箱");
    // A bundled task cannot be retired; the own one can.
    let out = en(dir.path(), &["task", "remove", "receipt_paper"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("bundled"), "{out:?}");
    assert!(
        en(dir.path(), &["task", "remove", "own_1"])
            .status
            .success()
    );
    let list: Vec<Value> =
        serde_json::from_slice(&en(dir.path(), &["task", "list", "--json"]).stdout).unwrap();
    assert!(list.is_empty());
    let all: Vec<Value> =
        serde_json::from_slice(&en(dir.path(), &["task", "list", "--all", "--json"]).stdout)
            .unwrap();
    assert!(all.iter().any(|t| t["key"] == "receipt_paper"));
}

#[test]
fn cli_stock_verbs_count_use_and_restock() {
    let dir = tempfile::tempdir().unwrap();
    let out = en(
        dir.path(),
        &["stock", "set", "paper", "--count", "3", "--low", "2"],
    );
    assert!(out.status.success(), "{out:?}");
    assert!(
        en(dir.path(), &["stock", "use", "paper_rolls"])
            .status
            .success()
    );
    let list: Vec<Value> =
        serde_json::from_slice(&en(dir.path(), &["stock", "list", "--json"]).stdout).unwrap();
    assert_eq!(list[0]["item"], "paper_rolls");
    assert_eq!(list[0]["count"], 2);
    assert_eq!(list[0]["low"], true);
    assert_eq!(list[1]["count"], Value::Null);
    let out = en(dir.path(), &["stock", "use", "paper", "5"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("only 2"), "{out:?}");
    let out = en(dir.path(), &["stock", "restock", "paper", "12"]);
    assert!(text(&out.stdout).starts_with("paper_rolls  14"), "{out:?}");
    assert_eq!(
        en(dir.path(), &["stock", "use", "toner"]).status.code(),
        Some(2)
    );
}

#[test]
fn cli_done_keeps_a_photo_and_a_wrong_path_records_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(en(&data, &["terminal", "add", "Till 1"]).status.success());
    let missing = dir.path().join("nope.jpg");
    let out = en(
        &data,
        &[
            "done",
            "Till 1",
            "receipt_paper",
            "--photo",
            missing.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&en(&data, &["due", "--json"]).stdout).contains("receipt_paper"));
    let photo = dir.path().join("paper.png");
    std::fs::write(&photo, b"\x89PNG\r\n\x1a\n some bytes").unwrap();
    let out = en(
        &data,
        &[
            "done",
            "Till 1",
            "receipt_paper",
            "--photo",
            photo.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let kept: Vec<_> = std::fs::read_dir(data.join("attachments"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(kept.len(), 1);
    assert!(kept[0].ends_with(".png") && kept[0].len() == 68, "{kept:?}");
}

/// Whether `text` has any Chinese in it.
fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn cli_task_stock_and_done_refusals_speak_one_language() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(en(&data, &["terminal", "add", "Till 1"]).status.success());
    let missing = dir.path().join("nope.jpg");
    let missing = missing.to_str().unwrap();
    // (arguments, exit code, what the English says, what the Chinese says)
    let cases: [(Vec<&str>, i32, &str, &str); 6] = [
        (
            vec!["task", "edit", "polish the till"],
            1,
            "No task is named \"polish the till\"; see `posdesk task list --all`.",
            "没有名为“polish the till”的任务",
        ),
        (
            vec!["task", "remove", "polish the till"],
            1,
            "No task is named",
            "没有名为",
        ),
        (
            vec!["task", "add", "--title", "Drawer", "--kind", "card"],
            1,
            "Write at least one step.",
            "请至少写一个步骤。",
        ),
        (
            vec!["task", "add", "--step", "Wipe it", "--kind", "card"],
            1,
            "Give the task a title",
            "请填写任务名称",
        ),
        (
            vec!["stock", "set", "paper"],
            2,
            "Give --count N and/or --low N.",
            "请填写 --count",
        ),
        (
            vec!["done", "Till 1", "receipt_paper", "--photo", missing],
            1,
            "There is no photo file",
            "找不到照片文件",
        ),
    ];
    for (args, code, english, _) in &cases {
        let out = en(&data, args);
        assert_eq!(out.status.code(), Some(*code), "{args:?}: {out:?}");
        let err = text(&out.stderr);
        assert!(err.contains(english), "{args:?}: {err}");
        assert!(!has_chinese(&err), "{args:?}: one language only: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
    // The window was set to Chinese: the same refusals in Chinese only.
    posdesk::store::paths::save_lang(&data, posdesk::Lang::Zh).unwrap();
    for (args, code, english, chinese) in &cases {
        let out = en(&data, args);
        assert_eq!(out.status.code(), Some(*code), "{args:?}: {out:?}");
        let err = text(&out.stderr);
        assert!(err.contains(chinese), "{args:?}: {err}");
        let first_words = english.split_once(' ').map_or(*english, |(w, _)| w);
        assert!(!err.contains(english), "{args:?}: {err}");
        assert!(
            !err.contains(&format!("{first_words} ")),
            "{args:?}: one language only: {err}"
        );
    }
    // Nothing was recorded by the refused `done`, and the lists speak Chinese too.
    let due = text(&en(&data, &["due"]).stdout);
    assert!(
        due.contains("receipt_paper") && due.contains("到期"),
        "{due}"
    );
    assert!(!due.contains(" due "), "{due}");
    let stock = text(&en(&data, &["stock", "list"]).stdout);
    assert!(stock.starts_with("paper_rolls  未盘点"), "{stock}");
    assert!(!stock.contains("warn at"), "{stock}");
}

#[test]
fn cli_usage_errors_speak_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    let zh = posdesk(dir.path(), "zh_CN.UTF-8", &["due", "--date", "2026-02-30"]);
    assert_eq!(zh.status.code(), Some(2));
    let err = text(&zh.stderr);
    assert!(
        err.contains("不是有效日期") && err.contains("用法"),
        "{err}"
    );
    assert!(!err.contains("invalid value"), "{err}");
    let en_out = en(dir.path(), &["due", "--date", "06/12/2026"]);
    assert_eq!(en_out.status.code(), Some(2));
    assert!(
        text(&en_out.stderr).contains("not a real date"),
        "{en_out:?}"
    );
    let zh = posdesk(dir.path(), "zh_CN.UTF-8", &["tsk"]);
    assert!(text(&zh.stderr).contains("没有命令“tsk”"), "{zh:?}");
    let zh = posdesk(
        dir.path(),
        "zh_CN.UTF-8",
        &["terminal", "add", "T", "--kind", "atm"],
    );
    assert!(text(&zh.stderr).contains("没有“atm”这种设备"), "{zh:?}");
    let zh = posdesk(dir.path(), "zh_CN.UTF-8", &["print", "checklist"]);
    assert_eq!(zh.status.code(), Some(2));
    assert!(text(&zh.stderr).contains("缺少必填的"), "{zh:?}");
    let zh = posdesk(dir.path(), "zh_CN.UTF-8", &["search", "51", "--bogus"]);
    assert!(text(&zh.stderr).contains("没有选项 --bogus"), "{zh:?}");
    // The window's saved choice wins over the system's.
    posdesk::store::paths::save_lang(dir.path(), posdesk::Lang::Zh).unwrap();
    let saved = en(dir.path(), &["due", "--date", "tomorrow"]);
    assert!(text(&saved.stderr).contains("不是有效日期"), "{saved:?}");
    // Help is not an error.
    assert!(en(dir.path(), &["task", "--help"]).status.success());
}
