//! The real app driven as a clerk drives it: by labels, clicks and keys (egui_kittest, no GPU needed).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

mod common;

use common::{chosen, harness, harness_with, prefs, run_until, search_box, type_text};
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use posdesk::{Codebook, Lang, Scheme, Store};
use posdesk_app::ui::command::{CodesCommand, ShopScheme};
use posdesk_app::ui::services::Data;

#[test]
fn the_cursor_starts_in_the_search_box_and_a_code_shows_its_card() {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "51");
    assert_eq!(h.state().codes.view.query, "51");
    assert!(search_box(&h).is_focused());
    h.get_by_label("What to do");
    h.get_by_label("Who can fix it");
    // A decline asks for another way to pay; it does not invite a retry "after the fix".
    h.get_by_label("⛔  Declined: ask for another way to pay");
}

#[test]
fn a_chinese_word_finds_its_code_in_chinese() {
    let mut h = harness(common::store(), Lang::Zh);
    type_text(&mut h, "余额不足");
    assert_eq!(chosen(&h).unwrap().1, "51");
    h.get_by_label("怎么办");
    h.get_by_label("谁来处理");
}

#[test]
fn switching_language_relabels_the_screen() {
    let mut h = harness(common::store(), Lang::En);
    h.get_by_label("Codes");
    h.get_by_label("中文").click();
    h.run();
    h.get_by_label("代码查询");
    assert_eq!(h.state().prefs.lang, Lang::Zh);
    assert!(
        search_box(&h).is_focused(),
        "the cursor went back to the search"
    );
    h.get_by_label("English").click();
    h.run();
    h.get_by_label("Codes");
}

#[test]
fn language_text_size_and_scheme_survive_a_restart() {
    let mut storage = common::MemoryStorage::default();
    {
        let mut h = harness(common::store(), Lang::En);
        h.get_by_label("中文").click();
        h.run();
        h.get_by_label("A+").click();
        h.run();
        h.state_mut()
            .queue(CodesCommand::SetShopScheme(ShopScheme::Iso8583));
        h.run();
        eframe::App::save(h.state_mut(), &mut storage);
    }
    // The next start reads what the last one saved, the way `ui::run` does.
    let prefs = posdesk_app::ui::app::Prefs::load(Some(&storage));
    assert_eq!(prefs.lang, Lang::Zh);
    assert!((prefs.zoom - 1.1).abs() < 1e-3, "{}", prefs.zoom);
    assert_eq!(prefs.shop, Some(ShopScheme::Iso8583));
    let h = harness_with(
        Data::Open(common::store()),
        prefs,
        egui::vec2(1200.0, 900.0),
    );
    h.get_by_label("代码查询");
    assert!((h.ctx.zoom_factor() - 1.1).abs() < 1e-3);
    // eframe keeps them in a file inside the data folder (its persistence path is a file path).
    let dir = std::path::Path::new("/data");
    assert_eq!(posdesk_app::ui::prefs_file(dir), dir.join("app.ron"));
}

#[test]
fn escape_clears_the_search_and_typing_goes_on() {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "A0");
    assert!(h.query_all_by_label_contains("MAC").next().is_some());
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(h.state().codes.view.query, "");
    h.get_by_label("What does the terminal show?");
    type_text(&mut h, "54");
    assert_eq!(h.state().codes.view.query, "54");
}

#[test]
fn ctrl_f_and_slash_select_the_old_query_so_typing_replaces_it() {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "51");
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    type_text(&mut h, "a0");
    assert_eq!(h.state().codes.view.query, "a0");
    h.key_press(Key::Slash);
    h.event(egui::Event::Text("/".into()));
    h.run();
    type_text(&mut h, "14");
    assert_eq!(h.state().codes.view.query, "14", "the / was not typed");
}

#[test]
fn arrows_move_enter_marks_the_card_and_the_cursor_never_leaves_the_box() {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "card");
    assert!(h.state().codes.view.results.len() > 2);
    let first = chosen(&h);
    h.key_press(Key::ArrowDown);
    h.run();
    assert_eq!(h.state().codes.view.selected, 1);
    assert_ne!(chosen(&h), first, "the card changed");
    h.key_press(Key::ArrowUp);
    h.run();
    assert_eq!(h.state().codes.view.selected, 0);
    h.key_press(Key::Enter);
    h.run();
    assert!(
        h.state().codes.view.opened_at.is_some(),
        "Enter marks the card"
    );
    assert!(search_box(&h).is_focused());
    // After Enter the old query is selected: the next keys start a new search.
    type_text(&mut h, "s");
    assert_eq!(h.state().codes.view.query, "s");
}

#[test]
fn after_a_click_on_a_result_typed_keys_still_reach_the_search() {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "timeout");
    let second = h.state().codes.view.results[1];
    let code = h.state().book().entries()[second.doc].code.clone();
    h.query_all_by_label_contains(&code)
        .find(|n| n.accesskit_node().role() == egui::accesskit::Role::Button)
        .unwrap()
        .click();
    h.run();
    assert_eq!(h.state().codes.view.selected, 1);
    assert!(search_box(&h).is_focused());
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    type_text(&mut h, "51");
    assert!(h.state().codes.view.query.ends_with("51"));
}

#[test]
fn ninety_one_shows_the_shops_scheme_first_and_never_hides_the_disagreement() {
    // A Chinese PC defaults to UnionPay codes.
    let mut h = harness(common::store(), Lang::Zh);
    type_text(&mut h, "91");
    assert_eq!(chosen(&h).unwrap().0, Scheme::Cups);
    h.state_mut()
        .queue(CodesCommand::SetShopScheme(ShopScheme::Iso8583));
    h.run();
    assert_eq!(chosen(&h).unwrap().0, Scheme::Iso8583);
    // Whatever the schemes say, the card gives the strictest reading of any of them.
    let book = h.state().book();
    let all = book.find("91", None, None);
    let strictest = all.iter().map(|e| e.retry.strictness()).max().unwrap();
    let own = h.state().codes.selected_entry(book).unwrap();
    let reading = posdesk::domain::advice::safe_reading(own, &book.same_code(own));
    assert_eq!(reading.retry.strictness(), strictest);
    if all.iter().any(|e| e.retry != own.retry) {
        assert!(
            h.query_all_by_label_contains("其他体系对这个代码的建议不同")
                .next()
                .is_some()
        );
    }
}

#[test]
fn an_approval_and_a_retry_never_share_a_colour() {
    use posdesk::domain::advice::Advice;
    use posdesk_app::ui::theme::advice_look;
    for dark in [true, false] {
        let looks: Vec<egui::Color32> = [
            Advice::Approved,
            Advice::PartlyApproved,
            Advice::CheckFirst,
            Advice::DoNotRetry,
            Advice::AfterFix,
            Advice::RetryNow,
        ]
        .into_iter()
        .map(|a| advice_look(a, dark).fill)
        .collect();
        for (i, a) in looks.iter().enumerate() {
            for b in &looks[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "00");
    h.get_by_label("✔  Approved: the payment went through. Do not charge again.");
}

#[test]
fn a_code_nobody_knows_opens_the_unknown_card_with_the_check_first_banner() {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "E77");
    let (scheme, code) = chosen(&h).unwrap();
    assert_eq!((scheme, code.as_str()), (Scheme::Terminal, "UNKNOWN"));
    h.get_by_label("\"E77\" is not in posdesk yet");
    h.get_by_label("⚠  Check first: the customer may already have paid");
    h.get_by_label("＋ Add \"E77\" as my own code").click();
    h.run();
    h.get_by_label("Add my own code");
    let form = h.state().codes.forms.editor.as_ref().unwrap();
    assert_eq!(form.fields.code, "E77");
    assert_eq!(
        form.fields.retry,
        posdesk::Retry::CheckFirst,
        "unknown means check first"
    );
}

#[test]
fn words_that_match_nothing_still_open_with_the_check_first_banner() {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "鸭鹅");
    // The unknown-code card answers: a meaningful query never gets an empty list.
    h.get_by_label("\"鸭鹅\" is not in posdesk yet");
    h.get_by_label("⚠  Check first: the customer may already have paid");
}

#[test]
fn a_new_code_of_my_own_is_saved_found_and_asks_before_replacing() {
    let mut h = harness(common::store(), Lang::En);
    h.get_by_label("＋ Add my own code").click();
    h.run();
    type_text(&mut h, "ZX-999");
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Title (English)")
        .click();
    h.run();
    type_text(&mut h, "Acquirer says: card brand not enabled");
    h.get_by_label("Save").click();
    h.run();
    assert!(h.state().codes.forms.editor.is_none());
    assert_eq!(chosen(&h).unwrap(), (Scheme::Custom, "ZX-999".to_string()));
    assert!(search_box(&h).is_focused());
    // The same code again: the form asks instead of replacing.
    h.get_by_label("＋ Add my own code").click();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Title (English)")
        .click();
    h.run();
    type_text(&mut h, "Second version");
    h.get_by_label("Save").click();
    h.run();
    h.get_by_label("You already have a code ZX-999. Replace it with this one?");
    let store_title = |h: &egui_kittest::Harness<'_, posdesk_app::ui::app::PosdeskApp>| {
        h.state().store().unwrap().custom_codes().unwrap()[0]
            .title_en
            .clone()
    };
    assert_eq!(store_title(&h), "Acquirer says: card brand not enabled");
    h.get_by_label("Replace it").click();
    h.run();
    assert_eq!(store_title(&h), "Second version");
}

#[test]
fn saving_a_code_without_a_title_says_why_in_the_clerks_language() {
    let mut h = harness(common::store(), Lang::Zh);
    h.get_by_label("＋ 添加我的代码").click();
    h.run();
    type_text(&mut h, "Q9");
    h.get_by_label("保存").click();
    h.run();
    let form = h
        .state()
        .codes
        .forms
        .editor
        .as_ref()
        .expect("form stays open");
    assert_eq!(
        form.error.as_ref().unwrap().get(Lang::Zh),
        "未保存：需要填写中文或英文标题"
    );
    assert!(
        h.state()
            .store()
            .unwrap()
            .custom_codes()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn escape_never_throws_away_a_form_without_asking() {
    let mut h = harness(common::store(), Lang::En);
    // An untouched form closes on Esc.
    h.get_by_label("＋ Add my own code").click();
    h.run();
    h.key_press(Key::Escape);
    h.run();
    assert!(h.state().codes.forms.editor.is_none());
    // A changed one asks.
    h.get_by_label("＋ Add my own code").click();
    h.run();
    type_text(&mut h, "Q7");
    h.key_press(Key::Escape);
    h.run();
    assert!(h.state().codes.forms.editor.is_some());
    h.get_by_label("Close the form and lose what you typed?");
    h.get_by_label("Keep editing").click();
    h.run();
    assert_eq!(
        h.state().codes.forms.editor.as_ref().unwrap().fields.code,
        "Q7"
    );
    // Esc on an open drop-down closes the drop-down only.
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Category")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Category")
        .click();
    h.run();
    assert!(
        h.query_by_label("Card problem").is_some(),
        "the drop-down opened"
    );
    h.key_press(Key::Escape);
    h.run();
    assert!(
        h.query_by_label("Card problem").is_none(),
        "Esc closed the drop-down"
    );
    assert!(h.state().codes.forms.editor.is_some());
    assert!(!h.state().codes.view.ask_discard, "the popup took the Esc");
    h.key_press(Key::Escape);
    h.run();
    h.get_by_label("Discard").click();
    h.run();
    assert!(h.state().codes.forms.editor.is_none());
}

#[test]
fn a_note_is_saved_kept_after_reopening_and_its_message_follows_the_language() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut h = harness(Store::open_dir(dir.path()).unwrap(), Lang::En);
        type_text(&mut h, "05");
        let note = h.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "My note");
        note.scroll_to_me();
        h.run();
        h.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "My note")
            .click();
        h.run();
        type_text(&mut h, "our bank: call 95516");
        h.get_by_label("● not saved yet");
        h.get_by_label("Save note").scroll_to_me();
        h.run();
        h.get_by_label("Save note").click();
        h.run();
        h.get_by_label_contains("Note on 05 saved.");
        assert!(
            search_box(&h).is_focused(),
            "the cursor went back to the search"
        );
        h.get_by_label("中文").click();
        h.run();
        h.get_by_label_contains("已保存 05 的备注。");
        // Status lines go away by themselves.
        h.run_steps(100);
        assert!(h.state().status_text().is_none());
    }
    let store = Store::open_dir(dir.path()).unwrap();
    let book = Codebook::load(&store).unwrap();
    let e05 = book.find("05", Some(Scheme::Iso8583), None)[0];
    assert_eq!(book.note(e05), Some("our bank: call 95516"));
    let mut h = harness(store, Lang::En);
    type_text(&mut h, "95516");
    assert_eq!(
        chosen(&h).unwrap().1,
        "05",
        "the note's words find the code"
    );
}

#[test]
fn a_typed_note_survives_looking_at_another_code() {
    let mut h = harness(common::store(), Lang::En);
    type_text(&mut h, "05");
    let first = chosen(&h).unwrap();
    h.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "My note")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "My note")
        .click();
    h.run();
    assert!(
        h.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "My note")
            .is_focused()
    );
    type_text(&mut h, "half typed");
    assert_eq!(h.state().codes.view.query, "05");
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(
        h.state().codes.view.query,
        "05",
        "Esc in the note only leaves it"
    );
    assert!(search_box(&h).is_focused());
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    type_text(&mut h, "51");
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    type_text(&mut h, "05");
    assert_eq!(chosen(&h).unwrap(), first);
    let draft = &h.state().codes.forms.notes[&(first.0, "05".to_string())];
    assert_eq!(draft.text, "half typed");
    assert!(h.state().codes.has_unsaved_work());
}

#[test]
fn deleting_my_code_is_undone_from_the_status_line() {
    let mut store = common::store();
    store
        .save_custom(&common::custom("Q1", "甲", "Our first code"), None, false)
        .unwrap();
    let mut h = harness(store, Lang::En);
    type_text(&mut h, "Q1");
    h.get_by_label("🗑 Delete").click();
    h.run();
    assert!(
        h.state()
            .store()
            .unwrap()
            .custom_codes()
            .unwrap()
            .is_empty()
    );
    h.get_by_label_contains("Deleted your code Q1.");
    h.get_by_label("Undo").click();
    h.run();
    let codes = h.state().store().unwrap().custom_codes().unwrap();
    assert_eq!(codes[0].title_en, "Our first code");
    assert_eq!(chosen(&h).unwrap(), (Scheme::Custom, "Q1".to_string()));
}

#[test]
fn when_the_data_cannot_open_lookups_still_work_and_the_problem_is_shown() {
    let file = tempfile::NamedTempFile::new().unwrap();
    // A regular file where the data folder should be.
    let data = posdesk_app::ui::open_data(Some(file.path()), &posdesk::Clock::system());
    assert!(data.problem().is_some());
    let mut h = harness_with(data, prefs(Lang::En), egui::vec2(1200.0, 900.0));
    type_text(&mut h, "51");
    assert_eq!(chosen(&h).unwrap().1, "51");
    h.get_by_label_contains("Lookups work, but nothing can be saved");
    h.get_by_label("＋ Add my own code").click();
    h.run();
    type_text(&mut h, "Q1");
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Title (English)")
        .click();
    h.run();
    type_text(&mut h, "Mine");
    h.get_by_label("Save").click();
    h.run();
    assert!(
        h.state()
            .status_text()
            .unwrap()
            .starts_with("Nothing can be saved while posdesk cannot open its data")
    );
}

#[test]
fn text_size_buttons_change_the_zoom_within_the_laid_out_range() {
    let mut h = harness(common::store(), Lang::En);
    h.get_by_label("A+").click();
    h.run();
    assert!((h.state().prefs.zoom - 1.1).abs() < 1e-3);
    h.get_by_label("A−").click();
    h.run();
    h.get_by_label("A−").click();
    h.run();
    assert!((h.state().prefs.zoom - 0.9).abs() < 1e-3);
    for _ in 0..20 {
        h.state_mut()
            .queue(posdesk_app::ui::command::ShellCommand::Zoom(9.0));
        h.run();
    }
    assert!((h.state().prefs.zoom - posdesk_app::ui::theme::MAX_ZOOM).abs() < 1e-3);
}

/// The widgets a clerk needs lie wholly inside the window.
fn assert_nothing_cut_off(
    h: &egui_kittest::Harness<'_, posdesk_app::ui::app::PosdeskApp>,
    labels: &[&str],
    what: &str,
) {
    let screen = h.ctx.content_rect().expand(1.0);
    for label in labels {
        let r = h.get_by_label(label).rect();
        assert!(
            screen.contains_rect(r),
            "{what}: {label:?} at {r:?} is outside {screen:?}"
        );
    }
    let search = search_box(h).rect();
    assert!(
        screen.contains_rect(search),
        "{what}: the search box at {search:?}"
    );
}

#[test]
fn nothing_is_cut_off_at_800_by_600_even_at_the_largest_text() {
    let mut p = prefs(Lang::En);
    for zoom in [1.0, posdesk_app::ui::theme::MAX_ZOOM] {
        p.zoom = zoom;
        let mut h = harness_with(
            Data::Open(common::store()),
            p.clone(),
            egui::vec2(800.0, 600.0),
        );
        h.run();
        type_text(&mut h, "51");
        let card = [
            "A+",
            "中文",
            "Insufficient funds",
            "⛔  Declined: ask for another way to pay",
        ];
        assert_nothing_cut_off(&h, &card, &format!("card at {zoom}"));
        // The largest text size this window holds is still well above normal.
        if zoom > 1.0 {
            assert!(h.ctx.zoom_factor() > 1.1, "{}", h.ctx.zoom_factor());
        }
        h.get_by_label("＋ Add my own code").click();
        h.run();
        assert_nothing_cut_off(
            &h,
            &["Save", "Cancel", "Add my own code"],
            &format!("form at {zoom}"),
        );
    }
}

#[test]
fn importing_in_the_background_adds_codes_and_a_bad_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("mine.csv");
    std::fs::write(
        &good,
        "code,title_zh,title_en\nQ-42,商户未开通外卡,Foreign cards not enabled\n",
    )
    .unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "code,title_en,retry\nQ-43,Fine,now\nQ-44,Bad,sometimes\n",
    )
    .unwrap();

    let mut h = harness(common::store(), Lang::Zh);
    h.state_mut().queue(CodesCommand::ImportCodes(Some(good)));
    run_until(&mut h, |app| app.status().is_some());
    assert_eq!(
        h.state().status_text(),
        Some("导入完成：新增 1 个，更新 0 个，备注 0 条。")
    );
    type_text(&mut h, "外卡");
    assert_eq!(chosen(&h).unwrap().1, "Q-42");

    h.state_mut().queue(CodesCommand::ImportCodes(Some(bad)));
    run_until(&mut h, |app| app.status().is_some_and(|s| s.is_error));
    let text = h.state().status_text().unwrap().to_string();
    assert_eq!(
        text,
        "导入失败，没有做任何更改：bad.csv 第 3 行：重试建议“sometimes”无效，应为 now、quick_fix、after_fix、merchant_side、never、check_first 之一。"
    );
    let codes: Vec<String> = h
        .state()
        .store()
        .unwrap()
        .custom_codes()
        .unwrap()
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(codes, vec!["Q-42"]);

    let out = dir.path().join("out.json");
    h.state_mut()
        .queue(CodesCommand::ExportCodes(Some(out.clone())));
    run_until(&mut h, |app| {
        app.status_text().is_some_and(|s| s.starts_with("已导出"))
    });
    assert!(std::fs::read_to_string(&out).unwrap().contains("Q-42"));
}

#[test]
fn a_checklist_barcode_scanned_into_the_search_box_marks_the_task_done_once() {
    use posdesk::domain::maintenance::{SheetSpan, TerminalInfo};
    use posdesk::domain::scan::ScanCode;
    let mut store = common::store();
    let mut info = TerminalInfo::named("Till 2");
    info.provider = "Lakala".into();
    info.support_phone = "95016".into();
    let till = store.add_terminal(&info).unwrap();
    store.set_last_used_terminal(till.id).unwrap();
    let today = posdesk::Clock::system().today();
    let line = store
        .sheet_lines(Some(till.id), SheetSpan::Day(today))
        .unwrap()
        .into_iter()
        .find(|l| l.task.key == "receipt_paper")
        .unwrap();
    let mut h = harness(store, Lang::En);
    let before = h.state().due_badge();
    assert!(before > 0, "a new terminal has today's tasks");
    // The badge shows on the Codes screen too.
    assert!(h.query_all_by_label(&before.to_string()).next().is_some());
    let code = ScanCode::new(line.schedule.0, line.date).encode();
    // The code typed into the search box, then Enter.
    for first in [true, false] {
        type_text(&mut h, &code);
        h.key_press(Key::Enter);
        h.run();
        assert_eq!(
            h.state().codes.view.query,
            "",
            "a scan is not left as a search"
        );
        if first {
            // The first scan asks who did it, once; then back to the codes.
            assert!(h.state().maintenance.forms.scanned.is_some());
            h.get_by_label("Record").click();
            h.run();
            h.get_by_label("Codes").click();
            h.run();
        }
    }
    assert!(
        h.state()
            .status_text()
            .unwrap()
            .starts_with("Already recorded")
    );
    assert_eq!(
        h.state().due_badge(),
        before - 1,
        "marked done exactly once"
    );
    // The card of a code the provider fixes names the terminal's provider and phone.
    type_text(&mut h, "96");
    h.get_by_label_contains("Lakala · Phone 95016");
}

#[test]
fn f2_on_a_code_card_opens_a_new_incident_filled_in_from_the_card() {
    use posdesk::domain::maintenance::TerminalInfo;
    let mut store = common::store();
    let till = store.add_terminal(&TerminalInfo::named("Till 2")).unwrap();
    store.set_last_used_terminal(till.id).unwrap();
    let mut h = harness(store, Lang::En);
    type_text(&mut h, "51");
    h.key_press(Key::F2);
    h.run();
    assert_eq!(h.state().route, posdesk_app::ui::command::Route::Journal);
    let prefill = h.state().journal.prefill().unwrap();
    assert_eq!(prefill.code.as_deref(), Some("51"));
    assert_eq!(prefill.terminal.as_deref(), Some("Till 2"));
    let card = h.state().book().find("51", prefill.scheme, None)[0].clone();
    assert_eq!(
        prefill.steps, card.steps_en,
        "the fix steps come as a tick list"
    );
}
