//! The shop's terminals: the list, the add/edit form, and a terminal's page with its tasks and
//! history.

use super::board::{field, fields};
use super::forms::{MaintenanceForms, PlanForm, TerminalForm};
use super::{
    MaintenanceCommand, MaintenancePage, MaintenanceView, TerminalPage, plan_words, words,
};
use crate::domain::maintenance::{
    EventKind, HistoryEvent, IntervalUnit, Recurrence, TaskStatus, TerminalKind,
};
use crate::i18n::{Label, Lang};
use crate::ui::theme::size;
use crate::ui::widgets::big_button;
use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};
use jiff::civil::Date;

const ROW: f32 = 34.0;

pub fn list_ui(
    ui: &mut egui::Ui,
    view: &MaintenanceView,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    ui.horizontal_wrapped(|ui| {
        ui.heading(lang.tr("Terminals", "终端"));
        ui.add_space(12.0);
        if ui
            .add(big_button(lang.tr("＋ Add terminal", "＋ 添加终端")))
            .clicked()
        {
            push(MaintenanceCommand::NewTerminal);
        }
        let archived = view.terminals.iter().filter(|t| t.is_archived()).count();
        if archived > 0 {
            let mut show = view.show_archived;
            let text = crate::trf!(
                lang,
                "Show archived ({archived})",
                "显示已停用的（{archived}）"
            );
            if ui.checkbox(&mut show, text).changed() {
                push(MaintenanceCommand::ShowArchived(show));
            }
        }
    });
    let shown: Vec<_> = view
        .terminals
        .iter()
        .filter(|t| view.show_archived || !t.is_archived())
        .collect();
    if shown.is_empty() {
        ui.add_space(12.0);
        ui.label(
            RichText::new(lang.tr(
                "No terminals yet. Add the shop's card terminals, scanners and printers.",
                "还没有终端。请添加店里的刷卡终端、扫码盒和打印机。",
            ))
            .size(size::READ),
        );
        return;
    }
    ui.label(
        RichText::new(lang.tr(
            "Click a name to see its tasks and history.",
            "点击名称查看它的任务和维护记录。",
        ))
        .size(size::SMALL)
        .weak(),
    );
    ui.add_space(4.0);
    // Wider than the window at the largest text: scrolls sideways rather than cutting columns off.
    egui::ScrollArea::horizontal()
        .id_salt("terminal_list_h")
        .show(ui, |ui| {
            TableBuilder::new(ui)
                .id_salt("terminal_list")
                .striped(true)
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .column(Column::auto().at_least(160.0))
                .column(Column::auto().at_least(110.0))
                .column(Column::auto().at_least(100.0))
                .column(Column::auto().at_least(100.0))
                .column(Column::auto().at_least(90.0))
                .column(Column::remainder().at_least(80.0))
                .header(ROW, |mut h| {
                    for (en, zh) in [
                        ("Name", "名称"),
                        ("Kind", "类型"),
                        ("Location", "位置"),
                        ("Provider", "服务商"),
                        ("Phone", "客服电话"),
                        ("Firmware", "固件版本"),
                    ] {
                        h.col(|ui| {
                            ui.strong(lang.tr(en, zh));
                        });
                    }
                })
                .body(|body| {
                    body.rows(ROW + 6.0, shown.len(), |mut row| {
                        let t = shown[row.index()];
                        row.col(|ui| {
                            let mut name = RichText::new(&t.info.name).size(size::LABEL).strong();
                            if t.is_archived() {
                                name = name.weak();
                            }
                            if ui.link(name).clicked() {
                                push(MaintenanceCommand::Show(MaintenancePage::Terminal(t.id)));
                            }
                            if t.is_archived() {
                                ui.label(RichText::new(lang.tr("(archived)", "（已停用）")).weak());
                            }
                        });
                        row.col(|ui| {
                            ui.label(t.info.kind.text(lang));
                        });
                        row.col(|ui| {
                            ui.label(&t.info.location);
                        });
                        row.col(|ui| {
                            ui.label(&t.info.provider);
                        });
                        row.col(|ui| {
                            ui.label(&t.info.support_phone);
                        });
                        row.col(|ui| {
                            ui.label(&t.info.firmware);
                        });
                    });
                });
        });
}

pub fn terminal_form_ui(
    ui: &mut egui::Ui,
    form: &mut TerminalForm,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    ui.horizontal_wrapped(|ui| {
        ui.heading(if form.editing.is_some() {
            lang.tr("Edit terminal", "编辑终端")
        } else {
            lang.tr("Add terminal", "添加终端")
        });
        ui.add_space(12.0);
        if ui.add(big_button(lang.tr("Save", "保存"))).clicked() {
            push(MaintenanceCommand::SaveTerminal);
        }
        if ui.add(big_button(lang.tr("Cancel", "取消"))).clicked() {
            push(MaintenanceCommand::CloseForm);
        }
    });
    if let Some(error) = &form.error {
        crate::ui::widgets::error_label(ui, error, lang);
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let info = &mut form.info;
            let name = field(
                ui,
                lang,
                lang.tr(
                    "Name (e.g. Till 2 card terminal)",
                    "名称（例如 2号收银台刷卡机）",
                ),
                &mut info.name,
                false,
            );
            if form.focus_pending {
                name.request_focus();
                form.focus_pending = false;
            }
            let kind_label = ui.label(RichText::new(lang.tr("Kind", "类型")).strong());
            egui::ComboBox::from_id_salt("terminal_kind")
                .selected_text(info.kind.text(lang))
                .show_ui(ui, |ui| {
                    for k in TerminalKind::ALL {
                        ui.selectable_value(&mut info.kind, *k, k.text(lang));
                    }
                })
                .response
                .labelled_by(kind_label.id);
            if form.editing.is_none() {
                ui.label(
                    RichText::new(lang.tr(
                        "It gets the usual checks for its kind; you can change them on its page.",
                        "会按类型配好常规检查任务，之后可以在它的页面上修改。",
                    ))
                    .weak(),
                );
            }
            fields(
                ui,
                lang,
                [
                    (lang.tr("Model", "型号"), &mut info.model, false),
                    (lang.tr("Serial number", "序列号"), &mut info.serial, false),
                    (lang.tr("Location", "位置"), &mut info.location, false),
                    (
                        lang.tr("Provider / acquirer", "服务商 / 收单机构"),
                        &mut info.provider,
                        false,
                    ),
                    (
                        lang.tr("Provider's support phone", "服务商客服电话"),
                        &mut info.support_phone,
                        false,
                    ),
                    (
                        lang.tr("Firmware version", "固件版本"),
                        &mut info.firmware,
                        false,
                    ),
                    (lang.tr("Notes", "备注"), &mut info.notes, true),
                ],
            );
        });
}

pub fn page_ui(
    ui: &mut egui::Ui,
    view: &MaintenanceView,
    forms: &mut MaintenanceForms,
    today: Date,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    let Some(page) = &view.terminal_page else {
        return;
    };
    let t = &page.terminal;
    ui.horizontal_wrapped(|ui| {
        if ui
            .button(lang.tr("← All terminals", "← 全部终端"))
            .clicked()
        {
            push(MaintenanceCommand::Show(MaintenancePage::Terminals));
        }
        ui.heading(&t.info.name);
        if t.is_archived() {
            ui.label(
                RichText::new(lang.tr("Archived", "已停用"))
                    .size(size::LABEL)
                    .color(ui.visuals().warn_fg_color),
            );
        }
    });
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            fields_ui(ui, page, lang, push);
            ui.add_space(10.0);
            if !t.is_archived() {
                tasks_ui(ui, view, forms, page, today, lang, push);
                ui.add_space(10.0);
            }
            history_ui(ui, &page.history, &view.photo_thumbs, today, lang, push);
        });
}

fn fields_ui(
    ui: &mut egui::Ui,
    page: &TerminalPage,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    let t = &page.terminal;
    let info = &t.info;
    egui::Grid::new("terminal_fields")
        .num_columns(2)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            let rows = [
                (lang.tr("Kind", "类型"), info.kind.text(lang).to_string()),
                (lang.tr("Model", "型号"), info.model.clone()),
                (lang.tr("Serial number", "序列号"), info.serial.clone()),
                (lang.tr("Location", "位置"), info.location.clone()),
                (lang.tr("Provider", "服务商"), info.provider.clone()),
                (
                    lang.tr("Support phone", "客服电话"),
                    info.support_phone.clone(),
                ),
                (lang.tr("Firmware", "固件版本"), info.firmware.clone()),
                (lang.tr("Notes", "备注"), info.notes.clone()),
            ];
            for (label, value) in rows {
                if value.trim().is_empty() {
                    continue;
                }
                ui.label(RichText::new(label).strong());
                ui.add(egui::Label::new(RichText::new(value).size(size::LABEL)).wrap());
                ui.end_row();
            }
        });
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        if t.is_archived() {
            if ui
                .add(big_button(lang.tr("Put back in service", "恢复使用")))
                .clicked()
            {
                push(MaintenanceCommand::Unarchive(t.id));
            }
        } else {
            if ui.add(big_button(lang.tr("Edit…", "编辑…"))).clicked() {
                push(MaintenanceCommand::EditTerminal(t.id));
            }
            // Archiving is undone from the status line; it keeps every record.
            if ui
                .button(lang.tr("Archive (out of service)", "停用（不再使用）"))
                .on_hover_text(lang.tr(
                    "Takes it off the board and the checklists; its history is kept. Undo is offered.",
                    "不再出现在待办和检查表上，历史记录保留，可以撤销。",
                ))
                .clicked()
            {
                push(MaintenanceCommand::Archive(t.id));
            }
        }
    });
}

fn tasks_ui(
    ui: &mut egui::Ui,
    view: &MaintenanceView,
    forms: &mut MaintenanceForms,
    page: &TerminalPage,
    today: Date,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    ui.label(
        RichText::new(lang.tr("Tasks", "维护任务"))
            .size(size::SECTION)
            .strong(),
    );
    let title_of = |schedule| {
        page.tasks
            .iter()
            .find(|t| t.schedule == schedule)
            .map(|t| lang.pick(&t.task.title_en, &t.task.title_zh).to_string())
            .unwrap_or_default()
    };
    // The open question or form, above the table (whose rows are all one height).
    if let Some(schedule) = view.confirm_remove {
        let title = title_of(schedule);
        question_frame(ui, |ui| {
            ui.label(
                RichText::new(crate::trf!(
                    lang,
                    "Remove \"{title}\" from this terminal? Its history stays.",
                    "从这台终端移除“{title}”吗？历史记录会保留。"
                ))
                .size(size::LABEL),
            );
            if ui.button(lang.tr("Keep it", "保留")).clicked() {
                push(MaintenanceCommand::CloseForm);
            }
            if ui.button(lang.tr("Yes, remove", "确定移除")).clicked() {
                push(MaintenanceCommand::RemoveTask {
                    schedule,
                    confirmed: true,
                });
            }
        });
    }
    if let Some(form) = forms.plan.as_mut() {
        let title = title_of(form.schedule);
        question_frame(ui, |ui| {
            ui.vertical(|ui| {
                ui.label(
                    RichText::new(crate::trf!(lang, "How often: {title}", "频率：{title}"))
                        .size(size::LABEL)
                        .strong(),
                );
                plan_form_ui(ui, form, lang, push);
            });
        });
    }
    // Wider than the window at the largest text: scrolls sideways rather than cutting columns off.
    egui::ScrollArea::horizontal()
        .id_salt("terminal_tasks_h")
        .show(ui, |ui| {
            TableBuilder::new(ui)
                .id_salt("terminal_tasks")
                .striped(true)
                .vscroll(false)
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .column(Column::remainder().at_least(200.0).clip(true))
                .column(Column::auto().at_least(110.0))
                .column(Column::auto().at_least(120.0))
                .column(Column::auto().at_least(100.0))
                .column(Column::auto().at_least(200.0))
                .header(ROW, |mut h| {
                    for (en, zh) in [
                        ("Task", "任务"),
                        ("How often", "频率"),
                        ("Next", "下次"),
                        ("Last done", "上次完成"),
                        ("", ""),
                    ] {
                        h.col(|ui| {
                            ui.strong(lang.tr(en, zh));
                        });
                    }
                })
                .body(|body| {
                    body.rows(ROW + 4.0, page.tasks.len(), |mut row| {
                        let task = &page.tasks[row.index()];
                        row.col(|ui| {
                            ui.add(
                                egui::Label::new(
                                    RichText::new(
                                        lang.pick(&task.task.title_en, &task.task.title_zh),
                                    )
                                    .strong(),
                                )
                                .truncate(),
                            );
                        });
                        row.col(|ui| {
                            ui.label(plan_words(&task.plan, lang));
                        });
                        row.col(|ui| {
                            ui.label(next_words(task, today, lang));
                        });
                        row.col(|ui| {
                            if let Some(last) = task.last_done_on {
                                ui.label(words::date(lang, last, today));
                            }
                        });
                        row.col(|ui| {
                            if ui
                                .small_button(lang.tr("Change how often…", "修改频率…"))
                                .clicked()
                            {
                                push(MaintenanceCommand::EditPlan(task.schedule));
                            }
                            if ui.small_button(lang.tr("Remove…", "移除…")).clicked() {
                                push(MaintenanceCommand::RemoveTask {
                                    schedule: task.schedule,
                                    confirmed: false,
                                });
                            }
                        });
                    });
                });
        });
    // Add a task from the templates this terminal does not have yet.
    let missing: Vec<_> = view
        .templates
        .iter()
        .filter(|tpl| !page.tasks.iter().any(|t| t.task.key == tpl.key))
        .collect();
    if missing.is_empty() {
        return;
    }
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(RichText::new(lang.tr("Add a task", "添加任务")).strong());
        let chosen = missing
            .iter()
            .find(|t| t.key == forms.add_task)
            .map(|t| lang.pick(&t.title_en, &t.title_zh).to_string())
            .unwrap_or_else(|| lang.tr("Choose…", "请选择…").to_string());
        egui::ComboBox::from_id_salt("add_task")
            .selected_text(chosen)
            .width(320.0)
            .show_ui(ui, |ui| {
                for tpl in &missing {
                    let title = lang.pick(&tpl.title_en, &tpl.title_zh);
                    let text = format!("{title} ({})", tpl.interval.describe().get(lang));
                    ui.selectable_value(&mut forms.add_task, tpl.key.clone(), text);
                }
            })
            .response
            .labelled_by(label.id);
        let can_add = missing.iter().any(|t| t.key == forms.add_task);
        if ui
            .add_enabled(can_add, egui::Button::new(lang.tr("Add", "添加")))
            .clicked()
        {
            push(MaintenanceCommand::AddTask {
                terminal: page.terminal.id,
                task: forms.add_task.clone(),
            });
        }
    });
}

/// "overdue since Sat 28 Nov" / "tomorrow".
fn next_words(task: &TaskStatus, today: Date, lang: Lang) -> String {
    match &task.status {
        Some(s) if s.due_on <= today && s.missed > 0 => {
            let since = words::date(lang, s.first_open, today);
            crate::trf!(lang, "overdue since {since}", "自{since}起逾期")
        }
        Some(s) => words::date(lang, s.due_on, today),
        None => lang.tr("no further date", "没有后续日期").to_string(),
    }
}

/// A highlighted box for a question or a small form that belongs to the table below it.
fn question_frame(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui)) {
    egui::Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .stroke(egui::Stroke::new(2.0, ui.visuals().warn_fg_color))
        .inner_margin(10)
        .show(ui, |ui| {
            ui.horizontal_wrapped(add);
        });
}

fn plan_form_ui(
    ui: &mut egui::Ui,
    form: &mut PlanForm,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    ui.horizontal_wrapped(|ui| {
        let every = ui.label(RichText::new(lang.tr("Every", "每")).strong());
        ui.add(
            egui::TextEdit::singleline(&mut form.every)
                .char_limit(crate::ui::widgets::LINE_CHARS)
                .desired_width(60.0),
        )
        .labelled_by(every.id);
        for unit in IntervalUnit::ALL {
            ui.radio_value(&mut form.unit, *unit, unit.text(lang));
        }
    });
    ui.horizontal_wrapped(|ui| {
        for r in Recurrence::ALL {
            ui.radio_value(&mut form.recurrence, *r, r.text(lang));
        }
    });
    ui.horizontal_wrapped(|ui| {
        let start = ui.label(RichText::new(lang.tr("Starting", "开始日期")).strong());
        ui.add(
            egui::TextEdit::singleline(&mut form.start)
                .char_limit(crate::ui::widgets::LINE_CHARS)
                .desired_width(140.0),
        )
        .labelled_by(start.id);
        if ui.button(lang.tr("Save", "保存")).clicked() {
            push(MaintenanceCommand::SavePlan);
        }
        if ui.button(lang.tr("Cancel", "取消")).clicked() {
            push(MaintenanceCommand::CloseForm);
        }
    });
    if let Some(error) = &form.error {
        crate::ui::widgets::error_label(ui, error, lang);
    }
}

/// What an event was, in words: "Done · all fine", "Skipped", "Snoozed until Fri 4 Dec".
fn event_words(e: &HistoryEvent, today: Date, lang: Lang) -> String {
    match e.kind {
        EventKind::Done => match e.outcome {
            Some(o) => format!("{} · {}", e.kind.text(lang), o.text(lang)),
            None => e.kind.text(lang).to_string(),
        },
        EventKind::Skipped => e.kind.text(lang).to_string(),
        EventKind::Snoozed => match e.snoozed_until {
            Some(until) => {
                let when = words::date(lang, until, today);
                crate::trf!(lang, "Snoozed until {when}", "推迟到 {when}")
            }
            None => e.kind.text(lang).to_string(),
        },
    }
}

fn history_ui(
    ui: &mut egui::Ui,
    history: &[HistoryEvent],
    thumbs: &super::PhotoThumbs,
    today: Date,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    ui.label(
        RichText::new(lang.tr("History", "维护记录"))
            .size(size::SECTION)
            .strong(),
    );
    if history.is_empty() {
        ui.label(lang.tr("Nothing recorded yet.", "还没有记录。"));
        return;
    }
    // Wider than the window at the largest text: scrolls sideways rather than cutting columns off.
    egui::ScrollArea::horizontal()
        .id_salt("terminal_history_h")
        .show(ui, |ui| {
            TableBuilder::new(ui)
                .id_salt("terminal_history")
                .striped(true)
                .vscroll(false)
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .column(Column::auto().at_least(110.0))
                .column(Column::initial(240.0).at_least(160.0).clip(true))
                .column(Column::auto().at_least(150.0))
                .column(Column::auto().at_least(70.0))
                .column(Column::auto().at_least(60.0))
                .column(Column::remainder().at_least(120.0))
                .header(ROW, |mut h| {
                    for (en, zh) in [
                        ("Date", "日期"),
                        ("Task", "任务"),
                        ("What", "情况"),
                        ("Who", "经手人"),
                        ("Value", "记录值"),
                        ("Note / reason", "备注 / 原因"),
                    ] {
                        h.col(|ui| {
                            ui.strong(lang.tr(en, zh));
                        });
                    }
                })
                .body(|body| {
                    body.rows(ROW, history.len(), |mut row| {
                        let e = &history[row.index()];
                        row.col(|ui| {
                            ui.label(words::date(lang, e.on, today));
                        });
                        row.col(|ui| {
                            ui.add(
                                egui::Label::new(lang.pick(&e.title_en, &e.title_zh)).truncate(),
                            );
                        });
                        row.col(|ui| {
                            let mut text = event_words(e, today, lang);
                            let covers = e.covers;
                            if covers > 1 {
                                text.push_str(&crate::trf!(
                                    lang,
                                    " ({covers} dates)",
                                    "（{covers} 次）"
                                ));
                            }
                            ui.label(text);
                        });
                        row.col(|ui| {
                            ui.label(&e.by);
                        });
                        row.col(|ui| {
                            ui.label(e.value.as_deref().unwrap_or(""));
                        });
                        row.col(|ui| {
                            // A photo kept with the record opens in the system's viewer.
                            for photo in &e.photos {
                                let button = match thumbs.0.get(&photo.id) {
                                    Some(Some(texture)) => egui::Button::image_and_text(
                                        egui::Image::new(texture)
                                            .fit_to_exact_size(egui::vec2(ROW * 1.5, ROW - 8.0)),
                                        "📷",
                                    ),
                                    _ => egui::Button::new("📷"),
                                };
                                if ui.add(button).on_hover_text(&photo.file_name).clicked() {
                                    push(MaintenanceCommand::OpenPhoto(photo.clone()));
                                }
                            }
                            ui.add(egui::Label::new(&e.note).truncate());
                        });
                    });
                });
        });
}
