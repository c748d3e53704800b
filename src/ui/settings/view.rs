//! Drawing the Settings screen and the damaged-data offer. Reads the view, pushes commands.

use super::SettingsView;
use crate::domain::dates::local_minute;
use crate::i18n::Label;
use crate::i18n::Lang;
use crate::store::backup::{KEEP_DAILY, KEEP_MONTHS};
use crate::ui::command::{Command, Route, SettingsCommand, ShellCommand};
use crate::ui::renderer::RendererInUse;
use crate::ui::services::{Damaged, Shared};
use crate::ui::theme::size;
use crate::ui::widgets::big_button;
use eframe::egui::{self, RichText};
use std::path::Path;

fn section(ui: &mut egui::Ui, text: &str) {
    ui.add_space(14.0);
    ui.label(RichText::new(text).size(size::SECTION).strong());
    ui.add_space(4.0);
}

/// A path the clerk can select and copy (to read out on the phone, or paste in a file manager).
/// A long path wraps and its Copy button goes under it: nothing makes the screen wider than the
/// window (which would cut every wrapping line below it at the right edge).
fn path_row(ui: &mut egui::Ui, path: Option<&Path>, lang: Lang, out: &mut Vec<Command>) {
    match path {
        Some(path) => {
            let text = path.display().to_string();
            ui.horizontal_wrapped(|ui| {
                ui.add(
                    egui::Label::new(RichText::new(&text).size(size::READ).monospace())
                        .selectable(true)
                        .wrap(),
                );
                if ui
                    .button(lang.tr("Copy", "复制"))
                    .on_hover_text(lang.tr("Copy this path", "复制这个路径"))
                    .clicked()
                {
                    out.push(SettingsCommand::Copy(text.clone()).into());
                }
            });
        }
        None => {
            ui.label(
                RichText::new(lang.tr(
                    "(none: the data is not kept in a folder)",
                    "（无：数据不在文件夹里）",
                ))
                .size(size::READ),
            );
        }
    }
}

fn key(ui: &mut egui::Ui, text: &str) {
    ui.label(RichText::new(text).size(size::LABEL).strong());
}

pub fn settings_ui(
    ui: &mut egui::Ui,
    view: &SettingsView,
    shared: &Shared,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            body(ui, view, shared, lang, out);
        });
    });
}

fn body(
    ui: &mut egui::Ui,
    view: &SettingsView,
    shared: &Shared,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    let info = &view.info;
    let can_write = shared.data.store().is_some_and(|s| s.path().is_some());
    let idle = view.working.is_none();
    ui.label(
        RichText::new(lang.tr("Your data", "您的数据"))
            .size(size::TITLE)
            .strong(),
    );
    egui::Grid::new("settings_data")
        .num_columns(2)
        .spacing([18.0, 10.0])
        .show(ui, |ui| {
            key(ui, lang.tr("Data folder", "数据文件夹"));
            path_row(ui, info.folder.as_deref(), lang, out);
            ui.end_row();
            key(ui, lang.tr("Schema version", "数据结构版本"));
            let version = info
                .schema_version
                .map_or_else(|| lang.tr("unknown", "未知").to_string(), |v| v.to_string());
            ui.label(RichText::new(version).size(size::READ));
            ui.end_row();
            key(ui, lang.tr("Last backup", "上次备份"));
            let last = info.last_backup.as_ref().map_or_else(
                || lang.tr("none yet", "还没有").to_string(),
                |b| local_minute(b.at),
            );
            ui.label(RichText::new(last).size(size::READ));
            ui.end_row();
            key(ui, lang.tr("Backups go to", "备份存放在"));
            path_row(ui, info.backups_dir.as_deref(), lang, out);
            ui.end_row();
            key(ui, lang.tr("Backups kept", "已保存的备份"));
            let kept = info.backups_kept;
            ui.add(
                egui::Label::new(
                    RichText::new(crate::trf!(
                        lang,
                        "{kept} now. Each day's first start makes one; posdesk keeps the last {KEEP_DAILY} days and the first of each month for {KEEP_MONTHS} months.",
                        "现有 {kept} 个。每天第一次启动时自动备份；保留最近 {KEEP_DAILY} 天，以及 {KEEP_MONTHS} 个月内每月的第一份。"
                    ))
                    .size(size::READ),
                )
                .wrap(),
            );
            ui.end_row();
        });

    section(ui, lang.tr("Back up", "备份"));
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(
                can_write && idle,
                big_button(lang.tr("Back up now…", "立即备份…")),
            )
            .on_hover_text(lang.tr(
                "Choose where to save a copy (a USB stick, for example)",
                "选择备份保存的位置（例如 U 盘）",
            ))
            .clicked()
        {
            out.push(SettingsCommand::BackUpTo(None).into());
        }
        if ui
            .add_enabled(
                can_write && idle,
                big_button(lang.tr("Back up to the backups folder", "备份到备份文件夹")),
            )
            .clicked()
        {
            out.push(SettingsCommand::BackUpToFolder.into());
        }
    });

    section(ui, lang.tr("Restore", "恢复"));
    ui.add(
        egui::Label::new(
            RichText::new(lang.tr(
                "Restoring replaces all of posdesk's data with a backup. First you see what the backup holds; nothing changes until you confirm.",
                "恢复会用备份替换 posdesk 的全部数据。会先显示备份里有什么；您确认之前不会做任何更改。",
            ))
            .size(size::READ),
        )
        .wrap(),
    );
    let can_restore = shared.data.store().is_some() || shared.data.damaged().is_some();
    if ui
        .add_enabled(
            can_restore && idle,
            big_button(lang.tr("Restore from backup…", "从备份恢复…")),
        )
        .clicked()
    {
        out.push(SettingsCommand::ChooseRestore(None).into());
    }
    if let Some(text) = view.working_text(lang) {
        ui.add_space(8.0);
        ui.label(RichText::new(text).size(size::SECTION).strong());
    }
    if let Some(pending) = &view.pending {
        ui.add_space(10.0);
        egui::Frame::group(ui.style())
            .fill(ui.visuals().faint_bg_color)
            .inner_margin(14.0)
            .show(ui, |ui| {
                ui.label(
                    RichText::new(lang.tr("This backup holds:", "这个备份里有："))
                        .size(size::SECTION)
                        .strong(),
                );
                ui.add(
                    egui::Label::new(RichText::new(pending.describe().get(lang)).size(size::READ))
                        .wrap(),
                );
                ui.label(RichText::new(pending.path.display().to_string()).size(size::SMALL));
                ui.add_space(6.0);
                let aside = match shared.data.damaged() {
                    Some(_) => lang
                        .tr(
                            "Restoring starts a new data file from this backup. The damaged file is moved into the damaged folder, not deleted.",
                            "恢复会用这个备份建立新的数据文件。损坏的文件会移到 damaged 文件夹，不会被删除。",
                        )
                        .to_string(),
                    None => {
                        let dir = info
                            .backups_dir
                            .as_ref()
                            .map(|d| d.display().to_string())
                            .unwrap_or_default();
                        crate::trf!(
                            lang,
                            "Restoring replaces everything now in posdesk with this backup. Your data as it is now is first copied to {dir} (a file named before-restore-…).",
                            "恢复会用这个备份替换 posdesk 里现在的全部内容。现在的数据会先复制到 {dir}（文件名以 before-restore- 开头）。"
                        )
                    }
                };
                ui.add(egui::Label::new(RichText::new(aside).size(size::READ)).wrap());
                ui.add_space(10.0);
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(
                            idle,
                            big_button(lang.tr("Replace my data with this backup", "用这个备份替换我的数据")),
                        )
                        .clicked()
                    {
                        out.push(SettingsCommand::ConfirmRestore.into());
                    }
                    ui.add_space(24.0);
                    if ui
                        .add_enabled(idle, big_button(lang.tr("Keep my data as it is", "保留现在的数据")))
                        .clicked()
                    {
                        out.push(SettingsCommand::CancelRestore.into());
                    }
                });
            });
    }
    if let Some(outcome) = &view.outcome {
        ui.add_space(10.0);
        let mut text = RichText::new(outcome.msg.get(lang)).size(size::READ);
        if outcome.is_error {
            text = text.color(ui.visuals().error_fg_color);
        }
        ui.add(egui::Label::new(text).wrap());
    }
    renderer_ui(ui, shared.renderer.as_ref(), lang);
    super::head_office_ui(ui, &view.head_office, shared.clock.now(), lang, out);
}

/// How the window draws, and what could not start on this PC (support asks for this).
fn renderer_ui(ui: &mut egui::Ui, renderer: Option<&RendererInUse>, lang: Lang) {
    section(ui, lang.tr("Graphics", "图形显示"));
    egui::Grid::new("settings_renderer")
        .num_columns(2)
        .spacing([18.0, 10.0])
        .show(ui, |ui| {
            key(ui, lang.tr("Renderer", "渲染方式"));
            let summary = renderer.map_or_else(
                || lang.tr("unknown", "未知").to_string(),
                |r| r.summary(lang),
            );
            ui.add(
                egui::Label::new(RichText::new(summary).size(size::READ))
                    .selectable(true)
                    .wrap(),
            );
            ui.end_row();
            for failure in renderer.map_or(&[][..], |r| &r.failed) {
                key(ui, lang.tr("Could not start", "无法启动"));
                let text = format!("{}: {}", failure.choice.text(lang), failure.error);
                ui.add(
                    egui::Label::new(RichText::new(text).size(size::SMALL))
                        .selectable(true)
                        .wrap(),
                );
                ui.end_row();
            }
        });
    ui.add(
        egui::Label::new(
            RichText::new(lang.tr(
                "posdesk picks the fastest way this PC's graphics can draw and remembers it in renderer.txt in the data folder. After a graphics driver update, delete that file to let posdesk try the faster ways again.",
                "posdesk 会选用这台电脑显卡能用的最快绘图方式，并记在数据文件夹的 renderer.txt 里。更新显卡驱动后，可删除该文件，让 posdesk 重新尝试更快的方式。",
            ))
            .size(size::SMALL),
        )
        .wrap(),
    );
}

/// The offer shown at the top of every screen while the data file is damaged.
pub fn damaged_ui(
    ui: &mut egui::Ui,
    damaged: &Damaged,
    working: bool,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    let fill = if ui.visuals().dark_mode {
        egui::Color32::from_rgb(0x63, 0x1E, 0x1A)
    } else {
        egui::Color32::from_rgb(0xFF, 0xD9, 0xD6)
    };
    egui::Frame::new()
        .fill(fill)
        .inner_margin(12.0)
        .corner_radius(6.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                RichText::new(lang.tr(
                    "⚠ posdesk's data file is damaged.",
                    "⚠ posdesk 的数据文件已损坏。",
                ))
                .size(size::BANNER)
                .strong(),
            );
            let (date, incidents) = damaged.backup.as_ref().map_or((None, 0), |b| {
                (b.made_at.map(local_minute), b.incidents)
            });
            match &damaged.backup {
                Some(backup) => {
                    let what = backup.describe();
                    let date = date.unwrap_or_default();
                    let text = crate::trf!(
                        lang,
                        "posdesk is not using it, and nothing has been deleted. Restore the newest good backup (from {date}, with {incidents} incidents)? The damaged file is kept in the damaged folder.",
                        "posdesk 没有使用它，也没有删除任何内容。要恢复最新的完好备份吗（{date}，含 {incidents} 条故障记录）？损坏的文件会保存在 damaged 文件夹里。"
                    );
                    ui.add(egui::Label::new(RichText::new(text).size(size::READ)).wrap());
                    ui.label(RichText::new(what.get(lang)).size(size::SMALL));
                    ui.add_space(6.0);
                    ui.horizontal(|ui| {
                        if ui
                            .add_enabled(!working, big_button(lang.tr("Restore it", "恢复")))
                            .clicked()
                        {
                            out.push(SettingsCommand::RecoverDamaged.into());
                        }
                        if ui
                            .add_enabled(
                                !working,
                                egui::Button::new(lang.tr("Choose another backup…", "选择其他备份…")),
                            )
                            .clicked()
                        {
                            out.push(ShellCommand::Go(Route::Settings).into());
                            out.push(SettingsCommand::ChooseRestore(None).into());
                        }
                        if working {
                            ui.label(RichText::new(lang.tr("Restoring…", "正在恢复…")).size(size::LABEL));
                        }
                    });
                }
                None => {
                    let file = damaged.dir.join(crate::store::DB_FILE);
                    let file = file.display();
                    let text = crate::trf!(
                        lang,
                        "There is no good backup to restore. Do not delete anything: call whoever set up this PC and tell them the data file is damaged. The file stays where it is ({file}), unchanged. Codes can still be looked up; nothing new can be saved.",
                        "没有可以恢复的完好备份。请不要删除任何文件：请联系为这台电脑安装 posdesk 的人，告诉他们数据文件已损坏。该文件原样保留在 {file}。代码仍可查询，但暂时不能保存新内容。"
                    );
                    ui.add(egui::Label::new(RichText::new(text).size(size::READ)).wrap());
                    if ui
                        .add_enabled(!working, egui::Button::new(lang.tr("Restore from a backup file…", "从备份文件恢复…")))
                        .clicked()
                    {
                        out.push(ShellCommand::Go(Route::Settings).into());
                        out.push(SettingsCommand::ChooseRestore(None).into());
                    }
                }
            }
            ui.add(
                egui::Label::new(RichText::new(damaged.detail.get(lang)).size(size::SMALL))
                    .wrap(),
            );
        });
}
