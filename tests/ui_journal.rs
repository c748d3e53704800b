//! The Journal screen driven as a clerk drives it: by labels, clicks and keys (egui_kittest, no GPU).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

mod common;

use common::{harness, harness_with, harness_with_clock, prefs, run_until, type_text};
use eframe::egui::{self, Key, Modifiers, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use posdesk::domain::incident::{IncidentDraft, IncidentFilter, IncidentStatus};
use posdesk::domain::maintenance::TerminalInfo;
use posdesk::{Clock, Lang, Store};
use posdesk_app::ui::app::PosdeskApp;
use posdesk_app::ui::command::{JournalCommand, JournalPage, Route};
use posdesk_app::ui::services::Data;

fn draft(code: &str, terminal: &str, symptom: &str) -> IncidentDraft {
    IncidentDraft {
        code: (!code.is_empty()).then(|| code.to_string()),
        terminal: (!terminal.is_empty()).then(|| terminal.to_string()),
        symptom: symptom.to_string(),
        ..IncidentDraft::default()
    }
}

/// A journal in a file (kept while the `TempDir` lives): statistics, exports and reports read it on
/// a worker over a second connection, as in the app.
fn store_with(drafts: &[IncidentDraft]) -> (tempfile::TempDir, Store) {
    let (dir, mut store) = common::file_store();
    for d in drafts {
        store.create_incident(d).unwrap();
    }
    (dir, store)
}

/// Click the Journal tab in the top bar.
fn open_journal(h: &mut Harness<'_, PosdeskApp>) {
    let tab = match h.state().lang() {
        Lang::En => "Journal",
        Lang::Zh => "故障记录",
    };
    h.get_by_label(tab).click();
    h.run();
    assert_eq!(h.state().route, Route::Journal);
}

/// A text field by its label (one line or several).
fn field<'a>(h: &'a Harness<'_, PosdeskApp>, label: &'a str) -> egui_kittest::Node<'a> {
    h.query_by_role_and_label(Role::TextInput, label)
        .unwrap_or_else(|| h.get_by_role_and_label(Role::MultilineTextInput, label))
}

fn store<'a>(h: &'a Harness<'_, PosdeskApp>) -> &'a Store {
    h.state().store().unwrap()
}

fn ctrl_enter(h: &mut Harness<'_, PosdeskApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
}

#[test]
fn f2_on_a_code_then_typing_and_ctrl_enter_logs_the_incident_with_the_keyboard_alone() {
    let mut s = common::store();
    let till = s.add_terminal(&TerminalInfo::named("Till 2")).unwrap();
    s.set_last_used_terminal(till.id).unwrap();
    let mut h = harness(s, Lang::En);
    type_text(&mut h, "51");
    h.key_press(Key::F2);
    h.run();
    assert_eq!(h.state().route, Route::Journal);
    let prefill = h.state().journal.prefill().unwrap();
    assert_eq!(prefill.code.as_deref(), Some("51"));
    assert_eq!(prefill.terminal.as_deref(), Some("Till 2"));
    // The cursor waits in "What happened": the clerk just types.
    assert!(field(&h, "What happened").is_focused());
    type_text(&mut h, "Declined twice, customer paid cash");
    ctrl_enter(&mut h);
    assert!(h.state().journal.prefill().is_none(), "the form closed");
    assert_eq!(h.state().status_text(), Some("Incident #1 saved."));
    let page = store(&h)
        .list_incidents(&IncidentFilter::default(), None, 10)
        .unwrap();
    assert_eq!(page.rows.len(), 1);
    let row = &page.rows[0];
    assert_eq!(row.code.as_deref(), Some("51"));
    assert_eq!(row.terminal.as_deref(), Some("Till 2"));
    assert_eq!(row.status, IncidentStatus::Open);
    // It shows at the top of the list.
    h.get_by_label("Declined twice, customer paid cash");
    assert_eq!(h.state().journal.view.rows[0].id, row.id);
    // The steps of the code's card came as a tick list; none ticked, none stored.
    assert!(store(&h).incident(row.id).unwrap().steps.is_empty());
}

#[test]
fn ticked_steps_are_stored_with_their_outcome() {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "51");
    h.key_press(Key::F2);
    h.run();
    let first = h.state().journal.prefill().unwrap().steps[0].clone();
    h.get_by_label(&first).click();
    h.run();
    h.query_all_by_label("Did not work").next().unwrap().click();
    h.run();
    field(&h, "What happened").focus();
    type_text(&mut h, "Still declined");
    ctrl_enter(&mut h);
    let steps = store(&h).incident(1).unwrap().steps;
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].text, first);
    assert_eq!(
        steps[0].outcome,
        posdesk::domain::incident::StepOutcome::DidNotWork
    );
}

#[test]
fn status_filter_and_a_two_character_chinese_search_find_the_incident() {
    let (_dir, s) = store_with(&[
        draft("51", "Till 2", "余额不足，顾客换卡"),
        draft("A0", "Till 1", "MAC 校验错误"),
        draft("", "Till 1", "打印机卡纸"),
    ]);
    let mut h = harness(s, Lang::En);
    open_journal(&mut h);
    assert_eq!(h.state().journal.view.rows.len(), 3);
    h.get_by_label("Incidents (3)");
    // Resolve the paper jam, then show only resolved incidents.
    {
        let id = h.state().journal.view.rows[0].id;
        h.state_mut().queue(JournalCommand::Open(id));
        h.run();
        h.get_by_label("✔ Mark resolved").click();
        h.run();
        h.get_by_label("← Back to the list").click();
        h.run();
    }
    h.get_by_role_and_label(Role::ComboBox, "Status").click();
    h.run();
    h.get_by_label("Resolved").click();
    h.run();
    let rows = &h.state().journal.view.rows;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, IncidentStatus::Resolved);
    h.get_by_role_and_label(Role::ComboBox, "Status").click();
    h.run();
    h.get_by_label("All").click();
    h.run();
    assert_eq!(h.state().journal.view.rows.len(), 3);
    field(&h, "Search").click();
    h.run();
    type_text(&mut h, "余额");
    let rows = &h.state().journal.view.rows;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].code.as_deref(), Some("51"));
    h.get_by_label("余额不足，顾客换卡");
    assert!(h.query_by_label("打印机卡纸").is_none());
    // Enter opens the only row, with the cursor still in the search box.
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(
        h.state()
            .journal
            .view
            .detail
            .as_ref()
            .map(|d| d.code.clone()),
        Some(Some("51".to_string()))
    );
}

#[test]
fn a_note_added_on_the_detail_shows_in_the_timeline() {
    let (_dir, s) = store_with(&[draft("51", "Till 2", "Declined at lunch")]);
    let mut h = harness(s, Lang::En);
    open_journal(&mut h);
    h.get_by_label("Declined at lunch").click();
    h.run();
    h.get_by_label("Incident #1");
    field(&h, "Add a note").click();
    h.run();
    type_text(&mut h, "Called the provider, engineer comes tomorrow");
    ctrl_enter(&mut h);
    h.get_by_label("Called the provider, engineer comes tomorrow");
    let notes = store(&h).incident(1).unwrap().notes;
    assert_eq!(notes.len(), 1);
    assert_eq!(
        notes[0].text,
        "Called the provider, engineer comes tomorrow"
    );
    assert!(
        field(&h, "Add a note")
            .value()
            .unwrap_or_default()
            .is_empty()
    );
}

#[test]
fn resolving_stores_resolved_and_only_reopen_is_offered_after() {
    let (_dir, s) = store_with(&[draft("A0", "Till 1", "MAC error")]);
    let mut h = harness(s, Lang::En);
    open_journal(&mut h);
    h.get_by_label("MAC error").click();
    h.run();
    assert!(
        h.state().journal.view.detail.is_some(),
        "the click opened it"
    );
    // Open: waiting and resolved are offered, reopen is not.
    assert!(h.query_by_label("Reopen").is_none());
    h.get_by_label("Waiting for provider").click();
    h.run();
    assert_eq!(
        store(&h).incident(1).unwrap().status,
        IncidentStatus::Waiting
    );
    h.get_by_label("Back to open");
    assert!(h.query_by_label("Waiting for provider").is_none());
    field(&h, "How was it fixed? (optional)").click();
    h.run();
    type_text(&mut h, "Keys downloaded again");
    h.get_by_label("✔ Mark resolved").click();
    h.run();
    let i = store(&h).incident(1).unwrap();
    assert_eq!(i.status, IncidentStatus::Resolved);
    assert_eq!(i.resolution, "Keys downloaded again");
    assert!(i.resolved_at.is_some());
    assert_eq!(h.state().status_text(), Some("Incident #1 resolved."));
    assert!(h.query_by_label("Waiting for provider").is_none());
    assert!(h.query_by_label("✔ Mark resolved").is_none());
    h.get_by_label("Reopen").click();
    h.run();
    assert_eq!(store(&h).incident(1).unwrap().status, IncidentStatus::Open);
    // Resolved by mistake: the status line's Undo reopens that incident, even from the list.
    h.get_by_label("✔ Mark resolved").click();
    h.run();
    h.get_by_label("← Back to the list").click();
    h.run();
    h.get_by_label("Undo").click();
    h.run();
    assert_eq!(store(&h).incident(1).unwrap().status, IncidentStatus::Open);
}

#[test]
fn a_card_number_typed_in_the_symptom_is_stored_masked_and_the_clerk_is_told() {
    let mut h = harness(common::store(), Lang::En);
    open_journal(&mut h);
    h.get_by_label("＋ New incident").click();
    h.run();
    assert!(field(&h, "What happened").is_focused());
    type_text(&mut h, "card 4111 1111 1111 1111 declined");
    // Told before saving...
    h.get_by_label("A card number will be masked when saved: card 411111******1111 declined");
    ctrl_enter(&mut h);
    // ...and after.
    let status = h.state().status_text().unwrap().to_string();
    assert!(status.starts_with("Incident #1 saved."), "{status}");
    assert!(status.contains("card number was masked"), "{status}");
    let i = store(&h).incident(1).unwrap();
    assert_eq!(i.symptom, "card 411111******1111 declined");
    assert!(!i.symptom.contains("4111 1111 1111 1111"));
}

#[test]
fn escape_closes_a_clean_form_and_asks_before_throwing_typing_away() {
    let mut h = harness(common::store(), Lang::En);
    open_journal(&mut h);
    h.get_by_label("＋ New incident").click();
    h.run();
    assert!(h.state().journal.prefill().is_some());
    h.key_press(Key::Escape);
    h.run();
    assert!(h.state().journal.prefill().is_none(), "a clean form closes");
    h.get_by_label("＋ New incident").click();
    h.run();
    type_text(&mut h, "Screen frozen");
    h.key_press(Key::Escape);
    h.run();
    h.get_by_label("Close the form and lose what you typed?");
    assert!(h.state().journal.prefill().is_some(), "still open");
    h.get_by_label("Keep editing").click();
    h.run();
    assert!(
        h.query_by_label("Close the form and lose what you typed?")
            .is_none()
    );
    h.get_by_label("Cancel").click();
    h.run();
    h.get_by_label("Discard").click();
    h.run();
    assert!(h.state().journal.prefill().is_none());
    assert_eq!(
        store(&h)
            .count_incidents(&IncidentFilter::default())
            .unwrap(),
        0
    );
}

#[test]
fn export_csv_from_a_queued_command_writes_utf8_with_bom() {
    let (_dir, s) = store_with(&[draft("51", "收银台 2", "余额不足")]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.csv");
    let mut h = harness(s, Lang::En);
    h.state_mut()
        .queue(JournalCommand::ExportCsv(Some(path.clone())));
    run_until(&mut h, |app| !app.journal.busy());
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 BOM first");
    assert!(String::from_utf8_lossy(&bytes).contains("余额不足"));
    assert!(
        h.state()
            .status_text()
            .unwrap()
            .starts_with("Exported 1 incidents")
    );
}

#[test]
fn json_export_and_pdf_of_a_file_journal_run_on_a_worker() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(&dir.path().join("data")).unwrap();
    s.create_incident(&draft("51", "Till 2", "余额不足"))
        .unwrap();
    let json = dir.path().join("journal.json");
    let pdf = dir.path().join("incident.pdf");
    let mut h = harness_with(Data::Open(s), prefs(Lang::Zh), egui::vec2(1200.0, 900.0));
    h.state_mut()
        .queue(JournalCommand::ExportJson(Some(json.clone())));
    run_until(&mut h, |app| !app.journal.busy());
    let text = std::fs::read_to_string(&json).unwrap();
    assert!(text.contains("余额不足"), "{text}");
    h.state_mut().queue(JournalCommand::Open(1));
    h.run();
    h.state_mut().queue(JournalCommand::SavePdf {
        scope: posdesk_app::ui::command::ReportScope::Incident,
        path: Some(pdf.clone()),
    });
    run_until(&mut h, |app| !app.journal.busy());
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "a PDF was written");
}

#[test]
fn unknown_codes_are_listed_and_one_click_asks_for_an_own_code() {
    let (_dir, s) = store_with(&[
        draft("Q-77", "Till 1", "Terminal showed Q-77"),
        draft("Q-77", "Till 2", "Q-77 again"),
        draft("51", "Till 2", "Declined"),
    ]);
    let mut h = harness(s, Lang::En);
    open_journal(&mut h);
    h.get_by_label("Unknown codes").click();
    h.run();
    assert_eq!(h.state().journal.view.page, JournalPage::Unknown);
    h.get_by_label("Q-77");
    h.get_by_label("Till 1 ×1, Till 2 ×1");
    assert!(
        h.query_by_label("Add 51 as my code").is_none(),
        "known codes are not listed"
    );
    h.get_by_label("Add Q-77 as my code").click();
    h.run();
    // The app opens the Codes screen's form for it, the code filled in.
    assert_eq!(h.state().route, posdesk_app::ui::command::Route::Codes);
    let form = h.state().codes.forms.editor.as_ref().unwrap();
    assert_eq!(form.fields.code, "Q-77");
}

#[test]
fn statistics_show_the_counts_per_code_and_terminal() {
    let mut drafts = vec![draft("51", "Till 2", "Declined"); 5];
    drafts.extend(vec![draft("A0", "Till 1", "MAC"); 2]);
    let (_dir, s) = store_with(&drafts);
    let mut h = harness(s, Lang::En);
    open_journal(&mut h);
    h.get_by_label("Statistics").click();
    run_until(&mut h, |app| app.journal.view.stats.is_some());
    h.get_by_label("7 incidents");
    let stats = h.state().journal.view.stats.clone().unwrap();
    assert_eq!(stats.per_code[0].key.as_deref(), Some("51"));
    assert_eq!(stats.per_code[0].count, 5);
    // The table: code 51 with 5, terminal Till 1 with 2.
    h.get_by_label("51");
    h.get_by_label("A0");
    assert!(h.query_all_by_label("5").count() >= 1);
    assert!(h.query_all_by_label("2").count() >= 1);
    h.get_by_label("Till 1");
    h.get_by_label("Last 90 days").click();
    run_until(&mut h, |app| !app.journal.busy());
    assert_eq!(h.state().journal.view.stats_days, 90);
    h.get_by_label("7 incidents");
}

#[test]
fn three_of_one_code_on_one_terminal_raise_the_banner_with_overdue_maintenance() {
    // The terminal and its checklist exist from two weeks ago, so its daily checks are overdue now.
    let start: jiff::Timestamp = "2026-03-01T12:00:00Z".parse().unwrap();
    let clock = Clock::fixed(start);
    let mut s = common::store().with_clock(clock.clone());
    s.add_terminal(&TerminalInfo::named("Till 2")).unwrap();
    // One long before the 14 days: not among those the warning counts, nor those it lists.
    let mut old = draft("96", "Till 2", "System malfunction last month");
    old.occurred_at = Some("2026-02-10T12:00:00Z".parse().unwrap());
    s.create_incident(&old).unwrap();
    clock.set("2026-03-15T12:00:00Z".parse().unwrap());
    for _ in 0..2 {
        s.create_incident(&draft("96", "Till 2", "System malfunction"))
            .unwrap();
    }
    let mut h = harness_with_clock(
        Data::Open(s),
        prefs(Lang::En),
        egui::vec2(1200.0, 900.0),
        clock,
    );
    open_journal(&mut h);
    assert!(h.query_by_label_contains("came 3 times").is_none());
    // The third, logged from the screen.
    h.get_by_label("＋ New incident").click();
    h.run();
    type_text(&mut h, "System malfunction again");
    field(&h, "Code").focus();
    type_text(&mut h, "96");
    field(&h, "Terminal").focus();
    type_text(&mut h, "Till 2");
    ctrl_enter(&mut h);
    h.get_by_label_contains("Code 96 came 3 times on Till 2 in 14 days");
    h.get_by_label_contains("Overdue maintenance on Till 2:");
    // The button lists those incidents.
    h.get_by_label("Show them").click();
    h.run();
    assert_eq!(h.state().journal.view.rows.len(), 3);
    assert_eq!(h.state().journal.forms.from, "2026-03-15");
    assert_eq!(
        h.state().journal.view.filter.terminal.as_deref(),
        Some("Till 2")
    );
}

#[test]
fn the_forms_save_button_is_in_the_window_at_800_by_600() {
    for zoom in [1.0, posdesk_app::ui::theme::MAX_ZOOM] {
        let mut p = prefs(Lang::En);
        p.zoom = zoom;
        let mut h = harness_with(Data::Open(common::store()), p, egui::vec2(800.0, 600.0));
        type_text(&mut h, "51");
        h.key_press(Key::F2);
        h.run();
        let screen = h.ctx.content_rect().expand(1.0);
        for label in ["Save", "Cancel", "What happened"] {
            let r = h.get_by_label(label).rect();
            assert!(screen.contains_rect(r), "{label} at {r:?} at zoom {zoom}");
        }
    }
}

#[test]
fn a_large_journal_opens_and_scrolls_reading_pages_not_everything() {
    let mut s = common::store();
    let drafts = (0..20_000).map(|n| IncidentDraft {
        occurred_at: Some(jiff::Timestamp::from_second(1_770_000_000 + n * 60).unwrap()),
        code: Some(["51", "A0", "96", "05"][n as usize % 4].to_string()),
        terminal: Some(format!("Till {}", n % 7)),
        symptom: format!("incident number {n}"),
        ..IncidentDraft::default()
    });
    assert_eq!(s.import_incidents(drafts).unwrap(), 20_000);
    let mut h = harness(s, Lang::En);
    open_journal(&mut h);
    h.get_by_label("Incidents (20000)");
    h.get_by_label("incident number 19999");
    let first = h.state().journal.cached_rows();
    assert_eq!(first, posdesk_app::ui::journal::PAGE_SIZE);
    // Scroll down with the wheel over the table, several screens.
    let at = h.get_by_label("incident number 19990").rect().center();
    for _ in 0..6 {
        h.hover_at(at);
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -2000.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: Modifiers::NONE,
        });
        // A few frames: the scroll moves on and each brings the next page into view.
        h.run_steps(10);
    }
    let cached = h.state().journal.cached_rows();
    assert!(
        cached > first,
        "the next pages were read as rows came into view"
    );
    assert!(
        cached <= 1_000,
        "the page cache holds {cached} rows, not 20,000"
    );
    // ↓ walks on past the cache, reading as it goes.
    for _ in 0..5 {
        h.key_press(Key::ArrowDown);
    }
    h.run();
    assert!(h.state().journal.cached_rows() < 2_000);
}

#[test]
fn every_journal_page_draws_in_chinese() {
    // Missing glyphs fail the harness: every page in Chinese, with each status, proves the font.
    let (_dir, mut s) = store_with(&[
        draft("51", "收银台 2", "余额不足，顾客换卡"),
        draft("Q-77", "收银台 1", "终端显示 Q-77"),
        draft("", "", "打印机卡纸"),
    ]);
    s.set_status(2, IncidentStatus::Waiting).unwrap();
    s.resolve(3, "换了纸卷").unwrap();
    s.add_note(1, "已致电服务商").unwrap();
    let mut h = harness(s, Lang::Zh);
    open_journal(&mut h);
    h.get_by_label("故障记录（3）");
    h.get_by_label("⏳ 等待服务商");
    h.get_by_label("✔ 已解决");
    h.get_by_label("余额不足，顾客换卡").click();
    h.run();
    h.get_by_label("故障 #1");
    h.get_by_label("已致电服务商");
    h.get_by_label("编辑").click();
    h.run();
    h.get_by_label("编辑故障 #1");
    h.key_press(Key::Escape);
    h.run();
    h.get_by_label("← 返回列表").click();
    h.run();
    h.get_by_label("未知代码").click();
    h.run();
    h.get_by_label("把 Q-77 添加为我的代码");
    h.get_by_label("统计").click();
    run_until(&mut h, |app| app.journal.view.stats.is_some());
    h.get_by_label("共 3 条故障");
    h.get_by_label("＋ 新故障").click();
    h.run();
    h.get_by_label("新故障记录");
    type_text(&mut h, "卡号 4111-1111-1111-1111 被拒");
    h.get_by_label("保存时会隐藏卡号：卡号 411111******1111 被拒");
}

/// A file dropped on the window, as the windowing layer hands it over.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn photos_dropped_on_an_open_incident_are_kept_and_shown_as_thumbnails() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(&dir.path().join("data")).unwrap();
    s.create_incident(&draft("51", "Till 2", "Declined"))
        .unwrap();
    let photo = dir.path().join("screen.png");
    image::RgbaImage::from_pixel(640, 480, image::Rgba([20, 120, 40, 255]))
        .save(&photo)
        .unwrap();
    let slip = dir.path().join("slip.txt");
    std::fs::write(&slip, "SALE 12.50 DECLINED 51").unwrap();
    let mut h = harness_with(Data::Open(s), prefs(Lang::En), egui::vec2(1200.0, 900.0));
    open_journal(&mut h);
    h.get_by_label("Declined").click();
    h.run();
    for path in [&photo, &slip] {
        h.input_mut()
            .dropped_files
            .push(std::sync::Arc::new(Dropped(path.clone())));
    }
    // Copied, hashed and synced on a worker each (with progress), then shown; the thumbnail worker
    // may finish during these frames and ask for more of them.
    run_until(&mut h, |app| {
        app.store()
            .is_some_and(|s| s.incident(1).unwrap().attachments.len() == 2)
            && app.journal.view.attaching.is_empty()
    });
    let attachments = store(&h).incident(1).unwrap().attachments;
    assert_eq!(attachments.len(), 2);
    for a in &attachments {
        let kept = store(&h).attachment_path(a).unwrap();
        assert!(kept.is_file(), "copied into attachments/: {kept:?}");
    }
    // The photo's thumbnail is decoded on a worker and cached; the text file shows by name. The two
    // files are copied on workers of their own, so either may be stored first.
    let id = attachments
        .iter()
        .find(|a| a.file_name == "screen.png")
        .unwrap()
        .id;
    run_until(&mut h, |app| {
        matches!(
            app.journal.view.thumbs.0.get(&id),
            Some(posdesk_app::ui::journal::Thumb::Ready(_))
        )
    });
    if let Some(posdesk_app::ui::journal::Thumb::Ready(tex)) =
        h.state().journal.view.thumbs.0.get(&id)
    {
        let size = tex.size();
        assert!(size[0] <= 160 && size[1] <= 160, "{size:?}");
    }
    h.get_by_label("slip.txt");
    h.get_by_role_and_label(Role::Button, "screen.png");
}

#[test]
fn the_terminal_filter_offers_every_terminal_in_the_journal_registered_or_not() {
    let (_dir, mut s) = store_with(&[
        draft("96", "T1", "system malfunction"),
        draft("E77", "收银台1", "unknown code"),
        draft("51", "Till 5", "short of funds"),
    ]);
    s.add_terminal(&TerminalInfo::named("Till 9")).unwrap();
    let mut h = harness(s, Lang::Zh);
    open_journal(&mut h);
    assert_eq!(
        h.state().journal.view.terminals,
        ["T1", "Till 5", "Till 9", "收银台1"]
    );
    h.get_by_role_and_label(Role::ComboBox, "终端").click();
    h.run();
    // In the drop-down (beside the table's own cells).
    let offered = |h: &Harness<'_, PosdeskApp>, name: &str| {
        h.query_all_by_label(name)
            .filter(|n| n.accesskit_node().role() != Role::Label)
            .count()
    };
    for name in ["T1", "Till 5", "Till 9", "收银台1"] {
        assert_eq!(offered(&h, name), 1, "{name}");
    }
    // The drop-down scrolls when the names are many.
    h.query_all_by_label("收银台1")
        .find(|n| n.accesskit_node().role() != Role::Label)
        .unwrap()
        .scroll_to_me();
    h.run();
    h.query_all_by_label("收银台1")
        .find(|n| n.accesskit_node().role() != Role::Label)
        .unwrap()
        .click();
    h.run();
    assert_eq!(
        h.state().journal.view.filter.terminal.as_deref(),
        Some("收银台1")
    );
    assert_eq!(h.state().journal.view.rows.len(), 1);
    assert_eq!(h.state().journal.view.rows[0].code.as_deref(), Some("E77"));
    // A terminal first named in a new incident is offered at once.
    h.state_mut()
        .queue(posdesk_app::ui::command::JournalCommand::ClearFilters);
    h.run();
    h.state_mut()
        .queue(posdesk_app::ui::command::JournalCommand::New(Box::new(
            posdesk_app::ui::command::NewIncident {
                code: Some("A0".into()),
                terminal: Some("Till 12".into()),
                ..Default::default()
            },
        )));
    h.run();
    type_text(&mut h, "MAC error");
    ctrl_enter(&mut h);
    assert!(
        h.state()
            .journal
            .view
            .terminals
            .contains(&"Till 12".to_string()),
        "{:?}",
        h.state().journal.view.terminals
    );
}

#[test]
fn searching_a_terminals_name_lists_its_incidents() {
    let (_dir, s) = store_with(&[
        draft("96", "T1", "system malfunction"),
        draft("E77", "收银台1", "unknown code"),
        draft("E77", "收银台1", "unknown code again"),
        draft("51", "Till 5", "short of funds"),
    ]);
    let mut h = harness(s, Lang::Zh);
    open_journal(&mut h);
    h.get_by_role_and_label(Role::TextInput, "搜索").focus();
    type_text(&mut h, "收银台");
    assert_eq!(h.state().journal.view.total, 2);
    h.get_by_label("unknown code again");
    assert!(h.query_by_label("system malfunction").is_none());
    h.get_by_label("故障记录（2）");
}

#[test]
fn three_customers_short_of_funds_on_one_till_raise_no_service_warning() {
    let mut drafts = vec![draft("51", "Till 1", "short of funds"); 3];
    drafts.extend(vec![draft("05", "Till 1", "declined"); 3]);
    drafts.extend(vec![draft("NO COMMUNICATION", "Till 2", "no line"); 3]);
    let (_dir, s) = store_with(&drafts);
    let mut h = harness(s, Lang::En);
    open_journal(&mut h);
    let alerts = &h.state().journal.view.repeats;
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    h.get_by_label_contains("Code NO COMMUNICATION came 3 times on Till 2 in 14 days");
    assert!(h.query_by_label_contains("Code 51 came").is_none());
    assert!(h.query_by_label_contains("Code 05 came").is_none());
    // The code's card does not warn about the till either.
    h.get_by_label("Codes").click();
    h.run();
    type_text(&mut h, "51");
    assert!(h.query_by_label_contains("times on Till 1").is_none());
}
