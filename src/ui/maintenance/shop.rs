//! "Supplies and own tasks": the paper rolls and cleaning cards in stock (use one, count, deliveries,
//! the warning level) and the shop's own tasks (add, edit, retire). Also the handlers behind them.

use super::board::fields;
use super::forms::{MaintenanceForms, OwnTaskForm, StockForm, typed_number};
use super::{MaintenanceCommand, MaintenanceState, MaintenanceView};
use crate::domain::incident::Attachment;
use crate::domain::maintenance::{IntervalUnit, StockItem, StockLevel, TerminalKind};
use crate::i18n::{Explain, Label, Lang, Msg};
use crate::ui::services::Services;
use crate::ui::theme::size;
use crate::ui::widgets::big_button;
use eframe::egui::{self, RichText};

pub fn shop_ui(
    ui: &mut egui::Ui,
    view: &MaintenanceView,
    forms: &mut MaintenanceForms,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    if let Some(form) = forms.own_task.as_mut() {
        own_task_form_ui(ui, form, lang, push);
        return;
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.heading(lang.tr("Supplies", "耗材"));
            ui.label(
                RichText::new(lang.tr(
                    "Count what is in the drawer once; then take one out as it is used and add deliveries. \
                     The board warns when a count reaches its warning level.",
                    "先盘点一次抽屉里的数量，之后用掉一个就减一个，到货就加上。数量到了提醒线，首页会提醒。",
                ))
                .size(size::SMALL)
                .weak(),
            );
            for level in &view.stock {
                match forms.stock.as_mut().filter(|f| f.item == level.item) {
                    Some(form) => stock_form_ui(ui, form, lang, push),
                    None => stock_row_ui(ui, level, lang, push),
                }
            }
            ui.add_space(12.0);
            ui.separator();
            own_tasks_ui(ui, view, lang, push);
            ui.add_space(8.0);
        });
}

fn stock_row_ui(
    ui: &mut egui::Ui,
    level: &StockLevel,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    ui.horizontal_wrapped(|ui| {
        let name = level.item.name();
        ui.label(RichText::new(name.get(lang)).size(size::SECTION).strong());
        let count = match level.count {
            Some(c) => crate::trf!(lang, "{c} in stock", "库存 {c}"),
            None => lang.tr("not counted yet", "还没有盘点").to_string(),
        };
        let text = RichText::new(count).size(size::LABEL);
        if level.is_low() {
            ui.label(text.color(ui.visuals().error_fg_color).strong());
            ui.label(
                RichText::new(lang.tr("⚠ Low: reorder", "⚠ 不足：请补货"))
                    .color(ui.visuals().error_fg_color),
            );
        } else {
            ui.label(text);
        }
        let low = level.low_at;
        ui.label(RichText::new(crate::trf!(lang, "(warn at {low})", "（提醒线 {low}）")).weak());
        if level.count.is_some_and(|c| c > 0)
            && ui
                .add(big_button(lang.tr("− Used one", "− 用掉一个")))
                .clicked()
        {
            push(MaintenanceCommand::UseStock(level.item));
        }
        if ui
            .add(big_button(lang.tr("Count / delivery…", "盘点 / 到货…")))
            .clicked()
        {
            push(MaintenanceCommand::EditStock(level.item));
        }
    });
}

fn stock_form_ui(
    ui: &mut egui::Ui,
    form: &mut StockForm,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(
            RichText::new(form.item.name().get(lang))
                .size(size::SECTION)
                .strong(),
        );
        if let Some(error) = &form.error {
            crate::ui::widgets::error_label(ui, error, lang);
        }
        fields(
            ui,
            lang,
            [
                (lang.tr("Counted now", "现在的数量"), &mut form.count, false),
                (
                    lang.tr("Delivered (added to the count)", "到货（加到数量上）"),
                    &mut form.delivered,
                    false,
                ),
                (
                    lang.tr("Warn when at or below", "低于或等于这个数量时提醒"),
                    &mut form.low_at,
                    false,
                ),
            ],
        );
        ui.horizontal_wrapped(|ui| {
            if ui.add(big_button(lang.tr("Save", "保存"))).clicked() {
                push(MaintenanceCommand::SaveStock);
            }
            if ui.add(big_button(lang.tr("Cancel", "取消"))).clicked() {
                push(MaintenanceCommand::CloseForm);
            }
        });
    });
}

fn own_tasks_ui(
    ui: &mut egui::Ui,
    view: &MaintenanceView,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    ui.heading(lang.tr("Our own tasks", "本店自定义任务"));
    ui.label(
        RichText::new(lang.tr(
            "Tasks for other devices or habits of the shop (clean the cash drawer, the label printer...). \
             They go on the board, the printed sheets and scan back like the bundled ones.",
            "店里其他设备或习惯的任务（清洁钱箱、标签打印机……）。它们和内置任务一样显示在首页、打印在检查表上，也能扫码记录。",
        ))
        .size(size::SMALL)
        .weak(),
    );
    if ui
        .add(big_button(lang.tr("＋ New task", "＋ 新任务")))
        .clicked()
    {
        push(MaintenanceCommand::NewOwnTask);
    }
    let mut any = false;
    for t in view.own_tasks() {
        any = true;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.add(
                egui::Label::new(
                    RichText::new(lang.pick(&t.title_en, &t.title_zh))
                        .size(size::SECTION)
                        .strong(),
                )
                .wrap(),
            );
            let kinds: Vec<String> = t.kinds.iter().map(|k| k.text(lang).to_string()).collect();
            let every = t.interval.describe();
            ui.label(format!(
                "{} · {}",
                every.get(lang),
                kinds.join(lang.tr(", ", "、"))
            ));
            for (n, step) in lang.pick_list(&t.steps_en, &t.steps_zh).iter().enumerate() {
                ui.add(egui::Label::new(format!("{}. {step}", n + 1)).wrap());
            }
            ui.horizontal_wrapped(|ui| {
                if ui.button(lang.tr("Edit…", "修改…")).clicked() {
                    push(MaintenanceCommand::EditOwnTask(t.key.clone()));
                }
                if view.confirm_retire.as_deref() == Some(t.key.as_str()) {
                    ui.label(lang.tr(
                        "Take it off every terminal? Its history stays.",
                        "要从所有终端上移除吗？历史记录会保留。",
                    ));
                    if ui.button(lang.tr("Yes, retire it", "确定停用")).clicked() {
                        push(MaintenanceCommand::RetireOwnTask {
                            key: t.key.clone(),
                            confirmed: true,
                        });
                    }
                    if ui.button(lang.tr("Keep it", "保留")).clicked() {
                        push(MaintenanceCommand::CloseForm);
                    }
                } else if ui.button(lang.tr("Retire…", "停用…")).clicked() {
                    push(MaintenanceCommand::RetireOwnTask {
                        key: t.key.clone(),
                        confirmed: false,
                    });
                }
            });
        });
    }
    if !any {
        ui.label(lang.tr("No tasks of your own yet.", "还没有自定义任务。"));
    }
}

fn own_task_form_ui(
    ui: &mut egui::Ui,
    form: &mut OwnTaskForm,
    lang: Lang,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    ui.heading(if form.editing.is_some() {
        lang.tr("Change our task", "修改自定义任务")
    } else {
        lang.tr("New task of our own", "新的自定义任务")
    });
    if let Some(error) = &form.error {
        crate::ui::widgets::error_label(ui, error, lang);
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, true])
        .max_height((ui.available_height() - 70.0).max(120.0))
        .show(ui, |ui| {
            let shown = fields(
                ui,
                lang,
                [
                    (
                        lang.tr("Title in Chinese", "中文名称"),
                        &mut form.title_zh,
                        false,
                    ),
                    (
                        lang.tr(
                            "Title in English (one language is enough)",
                            "英文名称（填一种语言即可）",
                        ),
                        &mut form.title_en,
                        false,
                    ),
                    (
                        lang.tr("Steps in Chinese, one per line", "中文步骤，每行一步"),
                        &mut form.steps_zh,
                        true,
                    ),
                    (
                        lang.tr("Steps in English, one per line", "英文步骤，每行一步"),
                        &mut form.steps_en,
                        true,
                    ),
                ],
            );
            if form.focus_pending {
                shown[0].request_focus();
                form.focus_pending = false;
            }
            ui.label(RichText::new(lang.tr("How often", "多久做一次")).strong());
            ui.horizontal_wrapped(|ui| {
                let l = ui.label(lang.tr("Every", "每"));
                ui.add(egui::TextEdit::singleline(&mut form.every).desired_width(50.0))
                    .labelled_by(l.id);
                for unit in [IntervalUnit::Day, IntervalUnit::Week, IntervalUnit::Month] {
                    ui.radio_value(&mut form.unit, unit, unit.text(lang));
                }
            });
            ui.checkbox(
                &mut form.after_done,
                lang.tr(
                    "Count from the day it was last done (not on fixed dates)",
                    "从上次完成那天起算（不按固定日期）",
                ),
            );
            ui.label(RichText::new(lang.tr("For these devices", "适用的设备")).strong());
            ui.horizontal_wrapped(|ui| {
                for &kind in TerminalKind::ALL {
                    let mut on = form.kinds.contains(&kind);
                    if ui.checkbox(&mut on, kind.text(lang)).changed() {
                        if on {
                            form.kinds.push(kind);
                        } else {
                            form.kinds.retain(|k| *k != kind);
                        }
                    }
                }
            });
        });
    ui.horizontal_wrapped(|ui| {
        if ui.add(big_button(lang.tr("Save", "保存"))).clicked() {
            push(MaintenanceCommand::SaveOwnTask);
        }
        if ui.add(big_button(lang.tr("Cancel", "取消"))).clicked() {
            push(MaintenanceCommand::CloseForm);
        }
    });
}

// ---- handlers ------------------------------------------------------------------------------------

pub(super) fn use_stock(state: &mut MaintenanceState, item: StockItem, sv: &mut Services<'_>) {
    let Some(store) = sv.writable() else {
        return;
    };
    match store.use_stock(item, 1) {
        Ok(level) => {
            let name = item.name();
            let left = level.count.unwrap_or(0);
            sv.say(Msg::new(
                format!("{}: {left} left.", name.en),
                format!("{}：还剩 {left}。", name.zh),
            ));
        }
        Err(e) => sv.warn(Msg::new("Not saved:", "未保存：").with(&e.explain())),
    }
    state.refresh(sv);
}

pub(super) fn save_stock(state: &mut MaintenanceState, sv: &mut Services<'_>) {
    let Some(form) = state.forms.stock.clone() else {
        return;
    };
    let typed = (|| -> Result<_, Msg> {
        Ok((
            typed_number(&form.count)?,
            typed_number(&form.low_at)?,
            typed_number(&form.delivered)?,
        ))
    })();
    let (count, low_at, delivered) = match typed {
        Ok(t) => t,
        Err(e) => {
            if let Some(f) = state.forms.stock.as_mut() {
                f.error = Some(e);
            }
            return;
        }
    };
    let Some(store) = sv.writable() else {
        return;
    };
    let saved = store
        .set_stock(form.item, count, low_at)
        .and_then(|level| match delivered {
            Some(n) if n > 0 => store.restock(form.item, n),
            _ => Ok(level),
        });
    match saved {
        Ok(level) => {
            state.forms.stock = None;
            let name = form.item.name();
            let n = level
                .count
                .map_or_else(|| "-".to_string(), |c| c.to_string());
            sv.say(Msg::new(
                format!("Saved: {} {n} in stock.", name.en),
                format!("已保存：{}库存 {n}。", name.zh),
            ));
            state.refresh(sv);
        }
        Err(e) => {
            if let Some(f) = state.forms.stock.as_mut() {
                f.error = Some(Msg::new("Not saved:", "未保存：").with(&e.explain()));
            }
        }
    }
}

pub(super) fn save_own_task(state: &mut MaintenanceState, sv: &mut Services<'_>) {
    let Some(form) = state.forms.own_task.clone() else {
        return;
    };
    let not_saved = Msg::new("Not saved:", "未保存：");
    let info = match form.info() {
        Ok(i) => i,
        Err(e) => {
            if let Some(f) = state.forms.own_task.as_mut() {
                f.error = Some(not_saved.with(&e));
            }
            return;
        }
    };
    let Some(store) = sv.writable() else {
        return;
    };
    let saved = match &form.editing {
        Some(key) => store.edit_own_task(key, &info),
        None => store.add_own_task(&info),
    };
    match saved {
        Ok(t) => {
            state.forms.own_task = None;
            let (en, zh) = (t.title_en.clone(), t.title_zh.clone());
            sv.say(Msg::new(
                format!("Saved the task \"{en}\": it is on every terminal it is for."),
                format!("已保存任务“{zh}”：适用的终端都已加上。"),
            ));
            state.refresh(sv);
        }
        Err(e) => {
            if let Some(f) = state.forms.own_task.as_mut() {
                f.error = Some(not_saved.with(&e.explain()));
            }
        }
    }
}

pub(super) fn retire_own_task(
    state: &mut MaintenanceState,
    key: String,
    confirmed: bool,
    sv: &mut Services<'_>,
) {
    if !confirmed {
        state.view.confirm_retire = Some(key);
        return;
    }
    state.view.confirm_retire = None;
    let Some(store) = sv.writable() else {
        return;
    };
    match store.retire_own_task(&key) {
        Ok(t) => sv.say(Msg::new(
            format!("Retired \"{}\"; its history is kept.", t.title_en),
            format!("已停用“{}”，历史记录保留。", t.title_zh),
        )),
        Err(e) => sv.warn(Msg::new("Not retired:", "未停用：").with(&e.explain())),
    }
    state.refresh(sv);
}

/// Open a photo kept with a history entry in the system's viewer.
pub(super) fn open_photo(photo: &Attachment, sv: &mut Services<'_>) {
    let Some(path) = sv.data.store().and_then(|s| s.attachment_path(photo)) else {
        return;
    };
    if let Err(e) = open::that_detached(&path) {
        let shown = path.display().to_string();
        sv.warn(Msg::new(
            format!("Could not open {shown} ({e}); it is kept in the data folder's attachments."),
            format!("无法打开 {shown}（{e}）；照片保存在数据文件夹的 attachments 里。"),
        ));
    }
}
