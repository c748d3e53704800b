//! Every screen at 800×600 with the largest text the window holds, in English and Chinese: the top
//! bar hides no tab, and every filter, button, list row and chart is in the window or reachable by
//! scrolling (egui_kittest, no GPU). The Maintenance screen has its own such test in
//! `ui_maintenance.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

mod common;

use common::{harness_with, harness_with_clock, prefs, type_text};
use eframe::egui::{self, Key, Rect, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use jiff::{SignedDuration, Timestamp};
use posdesk::domain::incident::IncidentDraft;
use posdesk::{Clock, Lang, Scheme, Store};
use posdesk_app::ui::app::PosdeskApp;
use posdesk_app::ui::command::Route;
use posdesk_app::ui::services::Data;
use posdesk_app::ui::theme::MAX_ZOOM;

const SMALL: egui::Vec2 = egui::vec2(800.0, 600.0);

fn largest(lang: Lang) -> posdesk_app::ui::app::Prefs {
    let mut p = prefs(lang);
    p.zoom = MAX_ZOOM;
    p
}

fn tr(h: &Harness<'_, PosdeskApp>, en: &'static str, zh: &'static str) -> &'static str {
    match h.state().lang() {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The top bar's tabs, in the harness's language.
fn tabs(h: &Harness<'_, PosdeskApp>) -> [&'static str; 4] {
    match h.state().lang() {
        Lang::En => ["Codes", "Maintenance", "Journal", "Settings"],
        Lang::Zh => ["代码查询", "设备维护", "故障记录", "设置"],
    }
}

/// The text-size and language buttons.
fn controls(h: &Harness<'_, PosdeskApp>) -> [&'static str; 3] {
    match h.state().lang() {
        Lang::En => ["A+", "A−", "中文"],
        Lang::Zh => ["A+", "A−", "English"],
    }
}

/// The part of the window between the top bar and the status line, where a screen draws.
fn screen_area(h: &Harness<'_, PosdeskApp>) -> Rect {
    let window = h.ctx.content_rect();
    let mut top = window.top();
    for label in tabs(h).into_iter().chain(controls(h)) {
        top = top.max(h.get_by_label(label).rect().bottom());
    }
    let idle = tr(h, "works offline", "离线可用");
    let bottom = h
        .query_by_label_contains(idle)
        .map_or(window.bottom(), |n| n.rect().top());
    Rect::from_x_y_ranges(window.x_range(), top..=bottom)
}

/// No tab is hidden: each lies in the window and no button covers it.
fn assert_top_bar_whole(h: &Harness<'_, PosdeskApp>, what: &str) {
    let window = h.ctx.content_rect().expand(1.0);
    let mut rects: Vec<(&str, Rect)> = Vec::new();
    for label in tabs(h).into_iter().chain(controls(h)) {
        let r = h.get_by_label(label).rect();
        assert!(
            window.contains_rect(r),
            "{what}: {label:?} at {r:?} is outside {window:?}"
        );
        rects.push((label, r));
    }
    for (i, (a, ra)) in rects.iter().enumerate() {
        for (b, rb) in &rects[i + 1..] {
            assert!(
                !ra.shrink(1.0).intersects(rb.shrink(1.0)),
                "{what}: {a:?} at {ra:?} overlaps {b:?} at {rb:?}"
            );
        }
    }
}

/// The widget `find` finds is in the screen's area, at once or after scrolling to it.
fn assert_reachable_by(
    h: &mut Harness<'_, PosdeskApp>,
    find: impl for<'a> Fn(&'a Harness<'_, PosdeskApp>) -> egui_kittest::Node<'a>,
    name: &str,
    what: &str,
) {
    find(h).scroll_to_me();
    h.run_ok();
    let r = find(h).rect();
    let area = screen_area(h).expand(1.0);
    assert!(
        area.contains_rect(r),
        "{what}: {name:?} at {r:?} is not reachable in {area:?}"
    );
}

/// The one widget labelled `label` is in the screen's area, at once or after scrolling to it.
fn assert_reachable(h: &mut Harness<'_, PosdeskApp>, label: &'static str, what: &str) {
    assert_reachable_by(h, |h| h.get_by_label(label), label, what);
}

/// As [`assert_reachable`], for the one widget whose label contains `part`.
fn assert_reachable_contains(h: &mut Harness<'_, PosdeskApp>, part: &'static str, what: &str) {
    assert_reachable_by(h, |h| h.get_by_label_contains(part), part, what);
}

fn go(h: &mut Harness<'_, PosdeskApp>, route: Route) {
    let i = match route {
        Route::Codes => 0,
        Route::Maintenance => 1,
        Route::Journal => 2,
        Route::Settings => 3,
    };
    let tab = tabs(h)[i];
    h.get_by_label(tab).click();
    h.run_ok();
    assert_eq!(h.state().route, route);
}

#[test]
fn the_top_bar_hides_no_tab_at_800_by_600_with_the_largest_text() {
    for lang in [Lang::En, Lang::Zh] {
        let mut h = harness_with(Data::Open(common::store()), largest(lang), SMALL);
        h.run_ok();
        assert!(h.ctx.zoom_factor() > 1.1, "{}", h.ctx.zoom_factor());
        assert_top_bar_whole(&h, &format!("{lang:?}"));
        // Every tab opens its screen with a click.
        for route in [
            Route::Settings,
            Route::Journal,
            Route::Maintenance,
            Route::Codes,
        ] {
            go(&mut h, route);
            assert_top_bar_whole(&h, &format!("{lang:?} on {route:?}"));
        }
    }
    // At a normal size on a wide window the bar keeps one row: the tabs and the buttons side by side.
    let mut h = harness_with(
        Data::Open(common::store()),
        prefs(Lang::En),
        egui::vec2(1200.0, 800.0),
    );
    h.run_ok();
    let one_row = |h: &Harness<'_, PosdeskApp>| {
        let tab = h.get_by_label("Settings").rect();
        let button = h.get_by_label("中文").rect();
        tab.y_range().contains(button.center().y)
    };
    assert!(one_row(&h), "one row on a wide window");
    // Narrowed, the buttons move to a second row; widened again, they come back.
    h.set_size(egui::vec2(640.0, 600.0));
    h.run_ok();
    assert!(!one_row(&h), "two rows at 640 wide");
    assert_top_bar_whole(&h, "640 wide");
    h.set_size(egui::vec2(1200.0, 800.0));
    h.run_ok();
    assert!(one_row(&h), "one row again");
}

#[test]
fn codes_at_800_by_600_with_the_largest_text() {
    for lang in [Lang::En, Lang::Zh] {
        let mut h = harness_with(Data::Open(common::store()), largest(lang), SMALL);
        let what = format!("codes {lang:?}");
        for label in [
            tr(&h, "＋ Add my own code", "＋ 添加我的代码"),
            tr(&h, "Import…", "导入…"),
            tr(&h, "Export…", "导出…"),
            tr(&h, "My terminals show:", "我的终端显示："),
        ] {
            assert_reachable(&mut h, label, &what);
        }
        type_text(&mut h, "51");
        let card = [
            tr(&h, "📝 Log incident (F2)", "📝 记录故障 (F2)"),
            tr(
                &h,
                "Declined: ask for another way to pay",
                "被拒绝：请顾客换卡或换其他方式付款",
            ),
        ];
        for label in card {
            assert_reachable_contains(&mut h, label, &what);
        }
        assert_top_bar_whole(&h, &what);
    }
}

/// A journal with three repeat warnings (each with overdue maintenance beside it), other incidents
/// enough to scroll, and terminals the shop never registered.
fn busy_journal(clock: &Clock) -> (tempfile::TempDir, Store) {
    // A file store: statistics and reports run on a worker over a second connection, as in the app.
    let (dir, s) = common::file_store();
    let mut s = s.with_clock(clock.clone());
    let now = clock.now();
    let ago = |minutes: i64| now - SignedDuration::from_mins(minutes);
    let mut n = 0;
    let mut log = |code: &str, scheme: Option<Scheme>, terminal: &str, symptom: &str| {
        n += 1;
        s.create_incident(&IncidentDraft {
            occurred_at: Some(ago(n * 7)),
            code: Some(code.into()),
            scheme,
            terminal: Some(terminal.into()),
            symptom: format!("{symptom} #{n}"),
            ..IncidentDraft::default()
        })
        .unwrap();
    };
    for _ in 0..4 {
        log("NO COMMUNICATION", Some(Scheme::Terminal), "T1", "no line");
        log("96", None, "Till 5", "system malfunction");
        log("E77", None, "收银台1", "unknown code on the screen");
    }
    for k in 0..30 {
        let term = ["T1", "Till 5", "收银台1"][k % 3];
        log("51", None, term, "customer short of funds");
    }
    (dir, s)
}

fn journal_harness(lang: Lang) -> (tempfile::TempDir, Harness<'static, PosdeskApp>) {
    let at: Timestamp = "2026-11-20T06:00:00Z".parse().unwrap();
    let clock = Clock::fixed(at);
    let (dir, s) = busy_journal(&clock);
    let mut h = harness_with_clock(Data::Open(s), largest(lang), SMALL, clock);
    go(&mut h, Route::Journal);
    (dir, h)
}

#[test]
fn journal_list_at_800_by_600_with_the_largest_text() {
    for lang in [Lang::En, Lang::Zh] {
        let (_dir, mut h) = journal_harness(lang);
        let what = format!("journal {lang:?}");
        assert_top_bar_whole(&h, &what);
        assert_eq!(h.state().journal.view.repeats.len(), 3);
        let warning = tr(
            &h,
            "Code 96 came 4 times on Till 5 in 14 days",
            "Till 5 在 14 天内出现 4 次代码 96",
        );
        assert_reachable_contains(&mut h, warning, &what);
        let show = tr(&h, "Show them", "查看这些记录");
        assert_eq!(h.query_all_by_label(show).count(), 3);
        // Every filter, below the warnings: four fields and two drop-downs.
        for label in [
            tr(&h, "Search", "搜索"),
            tr(&h, "Code", "代码"),
            tr(&h, "From", "从"),
            tr(&h, "Until", "到"),
        ] {
            assert_reachable_by(
                &mut h,
                |h| h.get_by_role_and_label(Role::TextInput, label),
                label,
                &what,
            );
        }
        for label in [tr(&h, "Status", "状态"), tr(&h, "Terminal", "终端")] {
            assert_reachable_by(
                &mut h,
                |h| h.get_by_role_and_label(Role::ComboBox, label),
                label,
                &what,
            );
        }
        // The newest row, and with the keys the oldest one too (the table reads and scrolls).
        assert_reachable(&mut h, "no line #1", &what);
        for _ in 0..45 {
            h.key_press(Key::ArrowDown);
            h.run_ok();
        }
        let oldest = h.get_by_label("customer short of funds #42").rect();
        let area = screen_area(&h).expand(1.0);
        assert!(
            area.contains_rect(oldest),
            "{what}: the oldest row at {oldest:?} is outside {area:?}"
        );
        // The screen's own tabs stay in view above the page that scrolled.
        let stats = h.get_by_label(tr(&h, "Statistics", "统计")).rect();
        assert!(area.contains_rect(stats), "{what}: {stats:?}");
        // The warning scrolls with the page, away from the list: no fixed panel holds it.
        let banner = h.get_by_label_contains(warning).rect();
        let area = screen_area(&h);
        assert!(
            !area.intersects(banner) || banner.bottom() < area.top() + 60.0,
            "{what}: the warning at {banner:?} stays in view beside the list"
        );
    }
}

#[test]
fn journal_statistics_unknown_codes_and_an_incident_at_800_by_600_with_the_largest_text() {
    for lang in [Lang::En, Lang::Zh] {
        let (_dir, mut h) = journal_harness(lang);
        let what = format!("statistics {lang:?}");
        h.get_by_label(tr(&h, "Statistics", "统计")).click();
        common::run_until(&mut h, |app| app.journal.view.stats.is_some());
        for label in [
            tr(&h, "Last 90 days", "最近 90 天"),
            tr(&h, "Per code", "按代码"),
            "NO COMMUNICATION",
            "E77",
            tr(&h, "Per terminal", "按终端"),
            "收银台1",
            "Till 5",
        ] {
            assert_reachable(&mut h, label, &what);
        }
        // The chart's axes are named: what is counted, and per what.
        assert_eq!(h.query_all_by_label(tr(&h, "Incidents", "次数")).count(), 2);
        let terminal = tr(&h, "Terminal", "终端");
        assert_reachable(&mut h, terminal, &what);

        let what = format!("unknown codes {lang:?}");
        h.get_by_label(tr(&h, "Unknown codes", "未知代码")).click();
        h.run_ok();
        assert_reachable(&mut h, "E77", &what);

        let what = format!("incident {lang:?}");
        let list = h.state().journal.view.rows.clone();
        h.state_mut()
            .queue(posdesk_app::ui::command::JournalCommand::Show(
                posdesk_app::ui::command::JournalPage::List,
            ));
        h.run_ok();
        h.state_mut()
            .queue(posdesk_app::ui::command::JournalCommand::Open(list[0].id));
        h.run_ok();
        for label in [
            tr(&h, "← Back to the list", "← 返回列表"),
            tr(&h, "Edit", "编辑"),
            tr(&h, "✔ Mark resolved", "✔ 标记为已解决"),
            tr(&h, "Add note", "添加"),
            tr(&h, "Attach a photo or file…", "添加照片或文件…"),
        ] {
            assert_reachable(&mut h, label, &what);
        }
        assert_top_bar_whole(&h, &what);
    }
}

#[test]
fn settings_at_800_by_600_with_the_largest_text() {
    for lang in [Lang::En, Lang::Zh] {
        let dir = tempfile::tempdir().unwrap();
        // A data folder as deep as a till PC's: its path wraps, and its Copy button must not push
        // the screen wider than the window.
        let folder = dir
            .path()
            .join("Users/Shop Till 2/AppData/Local/posdesk-helpdesk/data-for-the-corner-shop");
        let store = Store::open_dir(&folder).unwrap();
        let mut h = harness_with(Data::Open(store), largest(lang), SMALL);
        go(&mut h, Route::Settings);
        let what = format!("settings {lang:?}");
        assert_top_bar_whole(&h, &what);
        for label in [
            tr(&h, "Data folder", "数据文件夹"),
            tr(&h, "Back up now…", "立即备份…"),
            tr(&h, "Back up to the backups folder", "备份到备份文件夹"),
            tr(&h, "Restore from backup…", "从备份恢复…"),
            tr(&h, "Renderer", "渲染方式"),
        ] {
            assert_reachable(&mut h, label, &what);
        }
        // The path itself, wrapped, whole in the window.
        let shown = folder.display().to_string();
        h.get_by_label(&shown).scroll_to_me();
        h.run_ok();
        let r = h.get_by_label(&shown).rect();
        let area = screen_area(&h).expand(1.0);
        assert!(area.contains_rect(r), "{what}: the data folder at {r:?}");
        // The renderer hint wraps inside the window, whole: none of it is cut at the right edge.
        assert_reachable_contains(&mut h, "renderer.txt", &what);
        let hint = h.get_by_label_contains("renderer.txt");
        let ends = tr(
            &h,
            "to let posdesk try the faster ways again.",
            "让 posdesk 重新尝试更快的方式。",
        );
        assert!(
            hint.accesskit_node()
                .value()
                .is_some_and(|t| t.ends_with(ends)),
            "{what}: the whole hint"
        );
    }
}
