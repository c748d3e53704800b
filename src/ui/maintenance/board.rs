//! The due board: what is overdue and due today per terminal, one big Done button per task, and the
//! small forms behind "Done with details…", "Skip…" and "Snooze…".

use super::forms::{KeepingPhoto, MaintenanceForms, ScanForm, WorkForm, WorkKind};
use super::{MaintenanceCommand, MaintenancePage, MaintenanceView, words};
use crate::domain::advice::Advice;
use crate::domain::maintenance::{DueItem, DueState, Outcome, TerminalId};
use crate::i18n::{Label, Lang};
use crate::ui::services::Shared;
use crate::ui::theme::{self, size};
use crate::ui::widgets::{FieldSize, big_button};
use eframe::egui::{self, Color32, RichText, Stroke};
use jiff::civil::Date;

/// The size of the big Done button.
const DONE_SIZE: egui::Vec2 = egui::vec2(150.0, 56.0);

/// The screen's own tabs, and the "problem found" offer under them.
pub fn nav_ui(
    ui: &mut egui::Ui,
    view: &MaintenanceView,
    shared: &Shared,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        let due = view.due_now();
        let board_name = if due > 0 {
            crate::trf!(lang, "Due now ({due})", "现在要做（{due}）")
        } else {
            lang.tr("Due now", "现在要做").to_string()
        };
        let on_terminals = matches!(
            view.page,
            MaintenancePage::Terminals | MaintenancePage::Terminal(_)
        );
        for (on, name, page) in [
            (
                view.page == MaintenancePage::Board,
                board_name,
                MaintenancePage::Board,
            ),
            (
                on_terminals,
                lang.tr("Terminals", "终端").to_string(),
                MaintenancePage::Terminals,
            ),
            (
                view.page == MaintenancePage::Print,
                lang.tr("Print checklists", "打印检查表").to_string(),
                MaintenancePage::Print,
            ),
            (
                view.page == MaintenancePage::Shop,
                if view.low_stock().next().is_some() {
                    lang.tr("⚠ Supplies & own tasks", "⚠ 耗材与自定义任务")
                } else {
                    lang.tr("Supplies & own tasks", "耗材与自定义任务")
                }
                .to_string(),
                MaintenancePage::Shop,
            ),
        ] {
            let text = RichText::new(name).size(size::LABEL);
            if ui.selectable_label(on, text).clicked() && view.page != page {
                push(MaintenanceCommand::Show(page));
            }
        }
        if shared.problem().is_some() {
            ui.label(
                RichText::new(lang.tr("⚠ Nothing can be saved now", "⚠ 暂时不能保存"))
                    .color(ui.visuals().error_fg_color),
            );
        }
    });
    if let Some(p) = &view.last_problem {
        let look = theme::advice_look(Advice::CheckFirst, ui.visuals().dark_mode);
        egui::Frame::new()
            .fill(look.fill)
            .inner_margin(8)
            .corner_radius(6)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    let name = &p.terminal_name;
                    let title = p.title.get(lang);
                    ui.label(
                        RichText::new(crate::trf!(
                            lang,
                            "⚠ Problem found on {name} ({title}): log an incident?",
                            "⚠ {name} 发现问题（{title}）：要记录一个故障吗？"
                        ))
                        .color(look.text)
                        .size(size::LABEL),
                    );
                    if ui
                        .button(RichText::new(lang.tr("Log an incident", "记录故障")).strong())
                        .clicked()
                    {
                        push(MaintenanceCommand::LogIncident {
                            terminal: p.terminal,
                            task: p.task.clone(),
                            note: p.note.clone(),
                        });
                    }
                    if ui.button(lang.tr("Not now", "暂不")).clicked() {
                        push(MaintenanceCommand::DismissProblem);
                    }
                });
            });
    }
    ui.add_space(2.0);
}

pub fn board_ui(
    ui: &mut egui::Ui,
    view: &MaintenanceView,
    forms: &mut MaintenanceForms,
    today: Date,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    if let Some(form) = forms.scanned.as_mut() {
        scan_form_ui(ui, form, view, lang, push);
        return;
    }
    if let Some(form) = forms.work.as_mut() {
        work_form_ui(ui, form, view, today, lang, push);
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.heading(lang.tr("Due now", "现在要做"));
        ui.label(RichText::new(words::full_date(lang, today)).size(size::LABEL));
    });
    let due = view.due_now();
    if due == 0 {
        empty_ui(ui, view, today, lang, push);
    } else {
        ui.label(
            RichText::new(lang.tr(
                "Press ✔ Done when a task is done. Keys: ↑ ↓ choose a task, Enter marks it done.",
                "做完一项就按 ✔ 完成。键盘：↑ ↓ 选择任务，回车标记完成。",
            ))
            .size(size::SMALL)
            .weak(),
        );
    }
    if let Some(clerk) = &view.scan_clerk {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(crate::trf!(
                    lang,
                    "Scanned sheets are recorded as done by {clerk}.",
                    "扫描的检查表记为 {clerk} 完成。"
                ))
                .size(size::SMALL),
            );
            if ui.small_button(lang.tr("Change…", "更改…")).clicked() {
                push(MaintenanceCommand::ChangeScanClerk);
            }
        });
    }
    low_stock_ui(ui, view, lang, push);
    if view.board.is_empty() {
        return;
    }
    ui.add_space(4.0);
    search_ui(ui, view, forms, lang, push);
    let visible = view.visible_rows(&forms.board_search);
    let searching = !forms.board_search.trim().is_empty();
    if searching && visible.is_empty() {
        ui.label(
            RichText::new(lang.tr(
                "Nothing due matches the search.",
                "没有符合搜索的待办任务。",
            ))
            .size(size::READ),
        );
    }
    let scroll_to = changed_since_last_frame(ui, view.select_generation);
    egui::ScrollArea::vertical()
        .id_salt(("maintenance_board", view.board_opened))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let mut start = 0;
            while start < view.board.len() {
                let terminal = view.board[start].terminal;
                let end = view.board[start..]
                    .iter()
                    .position(|i| i.terminal != terminal)
                    .map_or(view.board.len(), |n| start + n);
                let rows: Vec<usize> = visible
                    .iter()
                    .copied()
                    .filter(|r| (start..end).contains(r))
                    .collect();
                let folded = view.collapsed.contains(&terminal) && !searching;
                if folded || !rows.is_empty() {
                    group_header_ui(ui, view, &view.board[start..end], folded, lang, push);
                }
                for row in rows {
                    let item = &view.board[row];
                    let selected = row == view.selected;
                    let r = row_ui(ui, item, selected, today, lang, push);
                    if selected && scroll_to {
                        r.scroll_to_me(Some(egui::Align::Center));
                    }
                }
                start = end;
            }
            ui.add_space(8.0);
        });
}

/// The board's search box (terminal name, location or task) and fold / unfold all.
fn search_ui(
    ui: &mut egui::Ui,
    view: &MaintenanceView,
    forms: &mut MaintenanceForms,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(RichText::new(lang.tr("🔍 Find", "🔍 查找")).size(size::LABEL));
        ui.add(
            egui::TextEdit::singleline(&mut forms.board_search)
                .hint_text(lang.tr("terminal, location or task", "终端、位置或任务"))
                .char_limit(crate::ui::widgets::LINE_CHARS)
                .desired_width(260.0_f32.min(ui.available_width())),
        )
        .labelled_by(l.id);
        if !forms.board_search.is_empty() && ui.button(lang.tr("✖ Clear", "✖ 清除")).clicked()
        {
            forms.board_search.clear();
        }
        let groups: std::collections::BTreeSet<TerminalId> =
            view.board.iter().map(|i| i.terminal).collect();
        if groups.len() > 1 {
            if groups.iter().any(|t| !view.collapsed.contains(t)) {
                if ui.button(lang.tr("Fold all", "全部收起")).clicked() {
                    push(MaintenanceCommand::CollapseAll(true));
                }
            } else if ui.button(lang.tr("Unfold all", "全部展开")).clicked() {
                push(MaintenanceCommand::CollapseAll(false));
            }
        }
    });
}

/// A terminal's line on the board: fold arrow and name, its location (a column of its own), and how
/// many tasks are overdue, due and due soon.
fn group_header_ui(
    ui: &mut egui::Ui,
    view: &MaintenanceView,
    items: &[DueItem],
    folded: bool,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    let Some(first) = items.first() else {
        return;
    };
    let dark = ui.visuals().dark_mode;
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        let arrow = if folded { "▶" } else { "▼" };
        let name = egui::Button::new(
            RichText::new(format!("{arrow} {}", first.terminal_name))
                .size(size::SECTION)
                .strong(),
        )
        .frame(false);
        let column = 220.0_f32.min(ui.available_width());
        let r = ui.add(name);
        if r.clicked() {
            push(MaintenanceCommand::ToggleGroup(first.terminal));
        }
        // Names left-aligned, locations in a column after them.
        ui.add_space((column - r.rect.width()).max(0.0));
        let location = view
            .terminal(first.terminal)
            .map(|t| t.info.location.trim())
            .filter(|l| !l.is_empty())
            .map_or_else(|| "—".to_string(), |l| format!("📍 {l}"));
        ui.add_sized(
            [180.0_f32.min(ui.available_width()), 20.0],
            egui::Label::new(RichText::new(location).size(size::LABEL)).truncate(),
        );
        for state in [DueState::Overdue, DueState::Due, DueState::Soon] {
            let n = items.iter().filter(|i| i.state == state).count();
            if n > 0 {
                let (heading, colour) = section_heading(state, lang, dark);
                ui.label(
                    RichText::new(format!("{heading}{}{n}", lang.tr(": ", "：")))
                        .color(colour)
                        .strong(),
                );
            }
        }
    });
}

/// The board's warning when paper rolls or cleaning cards are running out.
fn low_stock_ui(
    ui: &mut egui::Ui,
    view: &MaintenanceView,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    let low: Vec<String> = view
        .low_stock()
        .map(|s| {
            let name = s.item.name();
            let name = name.get(lang);
            let left = s.count.unwrap_or(0);
            crate::trf!(lang, "{name}: {left} left", "{name}：只剩 {left}")
        })
        .collect();
    if low.is_empty() {
        return;
    }
    let look = theme::advice_look(Advice::CheckFirst, ui.visuals().dark_mode);
    egui::Frame::new()
        .fill(look.fill)
        .inner_margin(8)
        .corner_radius(6)
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let list = low.join(lang.tr("; ", "；"));
                ui.label(
                    RichText::new(crate::trf!(
                        lang,
                        "⚠ Low stock: {list}. Reorder soon.",
                        "⚠ 库存不足：{list}。请尽快补货。"
                    ))
                    .color(look.text)
                    .size(size::LABEL),
                );
                if ui.button(lang.tr("Supplies…", "耗材…")).clicked() {
                    push(MaintenanceCommand::Show(MaintenancePage::Shop));
                }
            });
        });
}

/// Nothing overdue or due today: say so, and what comes next.
fn empty_ui(
    ui: &mut egui::Ui,
    view: &MaintenanceView,
    today: Date,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    ui.add_space(12.0);
    let in_service = view.terminals.iter().any(|t| !t.is_archived());
    if !in_service {
        ui.label(
            RichText::new(lang.tr("No terminals yet.", "还没有终端。"))
                .size(size::TITLE)
                .strong(),
        );
        ui.label(
            RichText::new(lang.tr(
                "Add the shop's card terminals, scanners and printers: their daily checks then appear here.",
                "添加店里的刷卡终端、扫码盒和打印机，它们每天要做的检查就会显示在这里。",
            ))
            .size(size::READ),
        );
        ui.add_space(8.0);
        if ui
            .add(
                egui::Button::new(
                    RichText::new(lang.tr("＋ Add terminal", "＋ 添加终端"))
                        .size(size::SECTION)
                        .strong(),
                )
                .min_size(egui::vec2(200.0, 50.0)),
            )
            .clicked()
        {
            push(MaintenanceCommand::NewTerminal);
        }
        return;
    }
    let look = theme::advice_look(Advice::RetryNow, ui.visuals().dark_mode);
    ui.label(
        RichText::new(lang.tr("✔ Nothing due today", "✔ 今天没有要做的维护"))
            .size(size::TITLE)
            .strong()
            .color(look.accent),
    );
    if let Some(next) = &view.next_due {
        let title = next.title.get(lang);
        let name = &next.terminal_name;
        let when = words::date(lang, next.due_on, today);
        ui.label(
            RichText::new(crate::trf!(
                lang,
                "Next: {title} on {name}, {when}.",
                "下一项：{name} 的“{title}”，{when}。"
            ))
            .size(size::READ),
        );
    }
}

/// A board section's heading: icon, words and colour.
fn section_heading(state: DueState, lang: Lang, dark: bool) -> (String, Color32) {
    match state {
        DueState::Overdue => (
            format!("⚠ {}", state.text(lang)),
            theme::advice_look(Advice::Declined, dark).accent,
        ),
        DueState::Due => (
            format!("● {}", state.text(lang)),
            theme::advice_look(Advice::CheckFirst, dark).accent,
        ),
        DueState::Soon => (state.text(lang).to_string(), soon_colour(dark)),
    }
}

fn soon_colour(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(170)
    } else {
        Color32::from_gray(90)
    }
}

/// The state of a board row in words and colour (never colour alone).
fn state_words(item: &DueItem, today: Date, lang: Lang, dark: bool) -> (String, Color32) {
    match item.state {
        DueState::Overdue => {
            let since = words::date(lang, item.first_open, today);
            let missed = item.missed;
            let text = if missed > 1 {
                crate::trf!(
                    lang,
                    "⚠ Overdue since {since} · missed {missed} times",
                    "⚠ 自{since}起逾期 · 漏做 {missed} 次"
                )
            } else {
                crate::trf!(lang, "⚠ Overdue since {since}", "⚠ 自{since}起逾期")
            };
            (text, theme::advice_look(Advice::Declined, dark).accent)
        }
        DueState::Due => (
            format!("● {}", DueState::Due.text(lang)),
            theme::advice_look(Advice::CheckFirst, dark).accent,
        ),
        DueState::Soon => {
            let when = words::date(lang, item.due_on, today);
            (
                crate::trf!(lang, "Due soon: {when}", "即将到期：{when}"),
                soon_colour(dark),
            )
        }
    }
}

fn row_ui(
    ui: &mut egui::Ui,
    item: &DueItem,
    selected: bool,
    today: Date,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) -> egui::Response {
    let visuals = ui.visuals().clone();
    let (state, colour) = state_words(item, today, lang, visuals.dark_mode);
    let soon = item.state == DueState::Soon;
    let stroke = if selected {
        Stroke::new(3.0, visuals.selection.stroke.color)
    } else {
        visuals.widgets.noninteractive.bg_stroke
    };
    let fill = if selected {
        visuals.faint_bg_color
    } else {
        Color32::TRANSPARENT
    };
    egui::Frame::new()
        .inner_margin(10)
        .corner_radius(6)
        .stroke(stroke)
        .fill(fill)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let text_width =
                    (ui.available_width() - DONE_SIZE.x - ui.spacing().item_spacing.x).max(160.0);
                ui.vertical(|ui| {
                    ui.set_max_width(text_width);
                    let mut title =
                        RichText::new(lang.pick(&item.task.title_en, &item.task.title_zh))
                            .size(if soon { size::READ } else { size::SECTION })
                            .strong();
                    if soon {
                        title = title.color(colour);
                    }
                    ui.add(egui::Label::new(title).wrap());
                    warnings_ui(ui, &item.task, lang);
                    egui::CollapsingHeader::new(
                        RichText::new(lang.tr("How to do it", "怎么做")).size(size::SMALL),
                    )
                    .id_salt(("task_steps", item.schedule.0))
                    .show(ui, |ui| task_card_ui(ui, &item.task, lang));
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(&state).color(colour).strong());
                        ui.label(RichText::new(format!("· {}", item.terminal_name)).weak());
                        ui.add_space(8.0);
                        if ui
                            .small_button(lang.tr("Done with details…", "填写详情…"))
                            .clicked()
                        {
                            push(MaintenanceCommand::OpenDone(item.schedule));
                        }
                        if ui.small_button(lang.tr("Skip…", "跳过…")).clicked() {
                            push(MaintenanceCommand::OpenSkip(item.schedule));
                        }
                        if ui.small_button(lang.tr("Snooze…", "推迟…")).clicked() {
                            push(MaintenanceCommand::OpenSnooze(item.schedule));
                        }
                    });
                });
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let done = egui::Button::new(
                        RichText::new(lang.tr("✔ Done", "✔ 完成"))
                            .size(size::SECTION)
                            .strong(),
                    )
                    .min_size(DONE_SIZE);
                    if ui.add(done).clicked() {
                        push(MaintenanceCommand::Done(item.schedule));
                    }
                });
            });
        })
        .response
}

/// A step that warns ("never spray anything onto the terminal", "不要…"): shown in full and marked,
/// wherever the task shows.
fn is_warning(step: &str) -> bool {
    let lower = step.to_lowercase();
    [
        "never",
        "do not",
        "don't",
        "不要",
        "切勿",
        "禁止",
        "千万别",
        "不能",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// The task's warnings, always in view under its title.
fn warnings_ui(ui: &mut egui::Ui, task: &crate::domain::maintenance::TaskTemplate, lang: Lang) {
    let accent = theme::advice_look(Advice::CheckFirst, ui.visuals().dark_mode).accent;
    for step in lang.pick_list(&task.steps_en, &task.steps_zh) {
        if is_warning(step) {
            ui.add(
                egui::Label::new(
                    RichText::new(format!("⚠ {}", step.trim()))
                        .color(accent)
                        .size(size::SMALL),
                )
                .wrap(),
            );
        }
    }
}

/// The task's card: why it matters and every step, in full, warnings marked.
fn task_card_ui(ui: &mut egui::Ui, task: &crate::domain::maintenance::TaskTemplate, lang: Lang) {
    let accent = theme::advice_look(Advice::CheckFirst, ui.visuals().dark_mode).accent;
    let why = lang.pick(&task.why_en, &task.why_zh);
    if !why.trim().is_empty() {
        ui.add(egui::Label::new(RichText::new(why).italics().size(size::READ)).wrap());
    }
    for (n, step) in lang
        .pick_list(&task.steps_en, &task.steps_zh)
        .iter()
        .enumerate()
    {
        let text = format!("{}. {}", n + 1, step.trim());
        let text = if is_warning(step) {
            RichText::new(format!("⚠ {text}")).color(accent).strong()
        } else {
            RichText::new(text)
        };
        ui.add(egui::Label::new(text.size(size::READ)).wrap());
    }
    if let Some(spec) = &task.value {
        let label = lang.pick(&spec.label_en, &spec.label_zh);
        ui.label(
            RichText::new(crate::trf!(lang, "Write down: {label}", "记下：{label}"))
                .size(size::READ)
                .weak(),
        );
    }
}

/// After a scan: who did it, and the value written on the sheet when the task asks for one.
fn scan_form_ui(
    ui: &mut egui::Ui,
    form: &mut ScanForm,
    view: &MaintenanceView,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    let line = &form.line;
    ui.heading(lang.tr("Scanned from the sheet", "扫描检查表"));
    ui.label(
        RichText::new(lang.pick(&line.task.title_en, &line.task.title_zh))
            .size(size::SECTION)
            .strong(),
    );
    let on = form.done_on;
    let missed = form.missed;
    let name = &line.terminal_name;
    let when = if missed > 0 {
        crate::trf!(
            lang,
            "{name} · done on {on}; also covers the {missed} missed times before",
            "{name} · 完成于 {on}；同时补上之前漏做的 {missed} 次"
        )
    } else {
        crate::trf!(lang, "{name} · done on {on}", "{name} · 完成于 {on}")
    };
    ui.label(RichText::new(when).size(size::LABEL));
    warnings_ui(ui, &line.task, lang);
    ui.add_space(6.0);
    if let Some(error) = &form.error {
        ui.add(
            egui::Label::new(
                RichText::new(format!("⚠ {}", error.get(lang)))
                    .color(ui.visuals().error_fg_color)
                    .size(size::LABEL),
            )
            .wrap(),
        );
    }
    let mut enter = false;
    let first = if let Some(spec) = &line.task.value {
        let what = lang.pick(&spec.label_en, &spec.label_zh);
        let label = crate::trf!(
            lang,
            "{what} (as written on the sheet; may be left empty)",
            "{what}（按检查表上写的填写；可以不填）"
        );
        let r = field(ui, lang, &label, &mut form.value, false);
        enter |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        Some(r)
    } else {
        None
    };
    let who = field(
        ui,
        lang,
        lang.tr(
            "Done by (the initials on the sheet)",
            "完成人（检查表上签的姓名缩写）",
        ),
        &mut form.by,
        false,
    );
    enter |= who.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    ui.checkbox(
        &mut form.remember,
        lang.tr(
            "I am the clerk at this till: record the next scans as done by this name without asking",
            "我是这台收银机的店员：之后的扫描都记为这个名字，不再询问",
        ),
    );
    if form.focus_pending {
        first.as_ref().unwrap_or(&who).request_focus();
        form.focus_pending = false;
    }
    let waiting = view.pending_scans.len();
    if waiting > 0 {
        ui.label(
            RichText::new(crate::trf!(
                lang,
                "{waiting} more scans wait for this one.",
                "还有 {waiting} 次扫描在等待。"
            ))
            .weak(),
        );
    }
    ui.horizontal_wrapped(|ui| {
        if ui.add(big_button(lang.tr("Record", "记录"))).clicked() || enter {
            push(MaintenanceCommand::SaveScan);
        }
        if ui.add(big_button(lang.tr("Cancel", "取消"))).clicked() {
            push(MaintenanceCommand::CancelScan);
        }
    });
}

/// Done with details, skip or snooze for one task.
fn work_form_ui(
    ui: &mut egui::Ui,
    form: &mut WorkForm,
    view: &MaintenanceView,
    today: Date,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    let title = lang
        .pick(&form.task.title_en, &form.task.title_zh)
        .to_string();
    let heading = match form.kind {
        WorkKind::Done => lang.tr("Mark done", "标记完成"),
        WorkKind::Skip => lang.tr("Skip this time", "这次跳过"),
        WorkKind::Snooze => lang.tr("Snooze", "推迟"),
    };
    ui.heading(heading);
    ui.label(RichText::new(&title).size(size::SECTION).strong());
    if let Some(item) = view.item(form.schedule) {
        let (state, colour) = state_words(item, today, lang, ui.visuals().dark_mode);
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&form.terminal_name).size(size::LABEL));
            ui.label(RichText::new(state).color(colour).strong());
        });
    }
    if let Some(keeping) = &form.keeping {
        ui.add_space(6.0);
        keeping_ui(ui, keeping, form, lang, push);
        return;
    }
    egui::CollapsingHeader::new(RichText::new(lang.tr("How to do it", "怎么做")).strong())
        .id_salt(("work_form_steps", form.schedule.0))
        .show(ui, |ui| task_card_ui(ui, &form.task, lang));
    ui.add_space(6.0);
    // Why it was not saved, next to the fields to fix (the reason comes first).
    if let Some(error) = &form.error {
        ui.add(
            egui::Label::new(
                RichText::new(format!("⚠ {}", error.get(lang)))
                    .color(ui.visuals().error_fg_color)
                    .size(size::LABEL),
            )
            .wrap(),
        );
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, true])
        .max_height((ui.available_height() - 70.0).max(120.0))
        .show(ui, |ui| {
            let first = match form.kind {
                WorkKind::Done => {
                    let who = field(ui, lang, lang.tr("Done by", "完成人"), &mut form.by, false);
                    ui.label(RichText::new(lang.tr("Outcome", "结果")).strong());
                    ui.horizontal_wrapped(|ui| {
                        for o in [Outcome::AllFine, Outcome::ProblemFound] {
                            ui.radio_value(&mut form.outcome, o, o.text(lang));
                        }
                    });
                    if let Some(spec) = &form.task.value {
                        let label = lang.pick(&spec.label_en, &spec.label_zh).to_string();
                        field(ui, lang, &label, &mut form.value, false);
                    }
                    let note = field(
                        ui,
                        lang,
                        lang.tr("Note (optional)", "备注（可不填）"),
                        &mut form.note,
                        true,
                    );
                    photo_row_ui(ui, form, lang, push);
                    if form.outcome == Outcome::ProblemFound {
                        note
                    } else {
                        who
                    }
                }
                WorkKind::Skip | WorkKind::Snooze => {
                    let reason = field(
                        ui,
                        lang,
                        lang.tr("Reason (required)", "原因（必填）"),
                        &mut form.reason,
                        false,
                    );
                    field(ui, lang, lang.tr("Who", "经手人"), &mut form.by, false);
                    reason
                }
            };
            if form.focus_pending {
                first.request_focus();
                form.focus_pending = false;
            }
            if form.kind == WorkKind::Snooze {
                ui.add_space(4.0);
                ui.label(RichText::new(lang.tr("Snooze for", "推迟多久")).strong());
                ui.horizontal_wrapped(|ui| {
                    for (days, en, zh) in [
                        (1, "1 day", "1 天"),
                        (3, "3 days", "3 天"),
                        (7, "1 week", "1 周"),
                    ] {
                        if ui.add(big_button(lang.tr(en, zh))).clicked() {
                            push(MaintenanceCommand::SaveSnooze { days: Some(days) });
                        }
                    }
                });
                field(
                    ui,
                    lang,
                    lang.tr(
                        "Or until this date (year-month-day)",
                        "或推迟到这一天（年-月-日）",
                    ),
                    &mut form.until,
                    false,
                );
                if ui
                    .add(big_button(
                        lang.tr("Snooze until this date", "推迟到这一天"),
                    ))
                    .clicked()
                {
                    push(MaintenanceCommand::SaveSnooze { days: None });
                }
            }
        });
    ui.horizontal_wrapped(|ui| {
        match form.kind {
            WorkKind::Done => {
                if ui.add(big_button(lang.tr("Save", "保存"))).clicked() {
                    push(MaintenanceCommand::SaveDone);
                }
            }
            WorkKind::Skip => {
                if ui.add(big_button(lang.tr("Skip it", "跳过"))).clicked() {
                    push(MaintenanceCommand::SaveSkip);
                }
            }
            WorkKind::Snooze => {}
        }
        if ui.add(big_button(lang.tr("Cancel", "取消"))).clicked() {
            push(MaintenanceCommand::CloseForm);
        }
    });
}

/// The done form once the done is recorded: its photo being copied (the window goes on meanwhile),
/// or why it was not kept, with the photo to try again or another to choose.
fn keeping_ui(
    ui: &mut egui::Ui,
    keeping: &KeepingPhoto,
    form: &WorkForm,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    ui.label(
        RichText::new(lang.tr("✔ Done is recorded.", "✔ 已记录完成。"))
            .size(size::LABEL)
            .strong(),
    );
    if keeping.copying {
        let name = &keeping.name;
        let size = megabytes(keeping.size);
        ui.add(
            egui::Label::new(
                RichText::new(crate::trf!(
                    lang,
                    "Keeping the photo {name} ({size}) with it…",
                    "正在保存照片 {name}（{size}）……"
                ))
                .size(size::LABEL),
            )
            .wrap(),
        );
        ui.add(
            egui::ProgressBar::new(keeping.copied.fraction(keeping.size))
                .show_percentage()
                .animate(true),
        );
        ui.label(
            RichText::new(lang.tr(
                "You can go on working: the photo is copied into the data folder meanwhile.",
                "可以继续操作：照片会在后台复制到数据文件夹。",
            ))
            .size(size::SMALL)
            .weak(),
        );
        ui.add_space(6.0);
        if ui.add(big_button(lang.tr("Close", "关闭"))).clicked() {
            push(MaintenanceCommand::CloseForm);
        }
        return;
    }
    if let Some(error) = &form.error {
        crate::ui::widgets::error_label(ui, error, lang);
    }
    photo_row_ui(ui, form, lang, push);
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        if form.photo.is_some()
            && ui
                .add(big_button(lang.tr("Keep the photo", "保存照片")))
                .clicked()
        {
            push(MaintenanceCommand::SaveDone);
        }
        if ui
            .add(big_button(
                lang.tr("Close without the photo", "不保存照片，关闭"),
            ))
            .clicked()
        {
            push(MaintenanceCommand::CloseForm);
        }
    });
}

/// "📷 name.jpg  Remove photo", or "📷 Add a photo…" when none is chosen.
fn photo_row_ui(
    ui: &mut egui::Ui,
    form: &WorkForm,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    ui.horizontal_wrapped(|ui| match &form.photo {
        Some(path) => {
            let name = crate::fsx::file_name(path).unwrap_or_default();
            ui.label(RichText::new(format!("📷 {name}")).size(size::LABEL));
            if ui.button(lang.tr("Remove photo", "去掉照片")).clicked() {
                push(MaintenanceCommand::SetPhoto(None));
            }
        }
        None => {
            if ui
                .button(lang.tr("📷 Add a photo…", "📷 添加照片…"))
                .clicked()
            {
                push(MaintenanceCommand::ChoosePhoto);
            }
        }
    });
}

/// A file size as a clerk reads it: "0.4 MB", "12.3 MB".
fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// Whether the choice moved by key since the last frame (egui keeps the last generation seen), so
/// the board scrolls to it once instead of on every frame.
fn changed_since_last_frame(ui: &egui::Ui, generation: u64) -> bool {
    let id = egui::Id::unique("maintenance_board_seen_generation");
    let last = ui.data(|d| d.get_temp::<u64>(id));
    ui.data_mut(|d| d.insert_temp(id, generation));
    last.is_some_and(|l| l != generation)
}

/// A maintenance form's field: one line, or a note when `multiline`.
pub(super) fn field(
    ui: &mut egui::Ui,
    lang: Lang,
    label: &str,
    text: &mut String,
    multiline: bool,
) -> egui::Response {
    let fits = if multiline {
        FieldSize::NOTE
    } else {
        FieldSize::LINE
    };
    crate::ui::widgets::field(ui, lang, label, text, fits)
}

/// Several of [`field`] one under the other: each a label, its text, and whether it is a note. The
/// forms list what they ask for here; returns each field's response, in order (to put the cursor in
/// one).
pub(super) fn fields<'a>(
    ui: &mut egui::Ui,
    lang: Lang,
    list: impl IntoIterator<Item = (&'a str, &'a mut String, bool)>,
) -> Vec<egui::Response> {
    list.into_iter()
        .map(|(label, text, multiline)| field(ui, lang, label, text, multiline))
        .collect()
}
