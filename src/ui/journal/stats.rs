//! Patterns: incidents per code and per terminal over 7, 30 or 90 days, as labelled bar charts, and
//! the median time to resolve.

use super::{JournalView, STATS_DAYS, words};
use crate::domain::advice::Advice;
use crate::domain::incident::CountRow;
use crate::i18n::Lang;
use crate::ui::command::JournalCommand;
use crate::ui::theme::{self, size};
use eframe::egui::{self, RichText};

pub fn stats_ui(
    ui: &mut egui::Ui,
    view: &JournalView,
    lang: Lang,
    push: &mut impl FnMut(JournalCommand),
) {
    ui.horizontal_wrapped(|ui| {
        ui.heading(lang.tr("Statistics", "统计"));
        ui.add_space(12.0);
        for days in STATS_DAYS {
            let text = RichText::new(crate::trf!(lang, "Last {days} days", "最近 {days} 天"))
                .size(size::LABEL);
            if ui.selectable_label(view.stats_days == days, text).clicked()
                && view.stats_days != days
            {
                push(JournalCommand::SetStatsDays(days));
            }
        }
    });
    let Some(stats) = view.stats.as_ref().filter(|s| s.days == view.stats_days) else {
        ui.label(lang.tr("Counting…", "统计中…"));
        return;
    };
    let (total, resolved) = (stats.total, stats.resolved);
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(crate::trf!(lang, "{total} incidents", "共 {total} 条故障"))
                .size(size::SECTION)
                .strong(),
        );
        ui.label(
            RichText::new(crate::trf!(
                lang,
                "{resolved} resolved",
                "已解决 {resolved} 条"
            ))
            .size(size::LABEL),
        );
        let median = match stats.median_time_to_resolve {
            Some(d) => words::duration(d, lang),
            None => "–".into(),
        };
        ui.label(
            RichText::new(crate::trf!(
                lang,
                "Median time to resolve: {median}",
                "解决用时中位数：{median}"
            ))
            .size(size::LABEL)
            .strong(),
        );
    });
    if total == 0 {
        ui.add_space(12.0);
        ui.label(
            RichText::new(lang.tr("No incidents in this period.", "这段时间没有故障记录。"))
                .size(size::READ),
        );
        return;
    }
    let no_code = lang.tr("(no code)", "（无代码）");
    let no_terminal = lang.tr("(no terminal)", "（未填终端）");
    // The journal page around this scrolls.
    ui.scope(|ui| {
        let wide = ui.available_width() >= 900.0;
        let code_part = |ui: &mut egui::Ui| {
            part_ui(
                ui,
                "per_code",
                lang.tr("Per code", "按代码"),
                lang.tr("Code", "代码"),
                &stats.per_code,
                no_code,
                lang,
            )
        };
        let terminal_part = |ui: &mut egui::Ui| {
            part_ui(
                ui,
                "per_terminal",
                lang.tr("Per terminal", "按终端"),
                lang.tr("Terminal", "终端"),
                &stats.per_terminal,
                no_terminal,
                lang,
            )
        };
        if wide {
            ui.columns(2, |cols| {
                code_part(&mut cols[0]);
                terminal_part(&mut cols[1]);
            });
        } else {
            code_part(ui);
            ui.add_space(12.0);
            terminal_part(ui);
        }
    });
}

/// One breakdown as a labelled bar chart: one row per code (or terminal), most first, each with its
/// name, its count and a bar as long as its share of the largest count. The names are words on the
/// screen, never axis ticks that a long name (`NO COMMUNICATION`) could make the chart drop, and the
/// header names both axes. Every row is listed: the page scrolls.
fn part_ui(
    ui: &mut egui::Ui,
    id: &str,
    title: &str,
    key_name: &str,
    rows: &[CountRow],
    none: &str,
    lang: Lang,
) {
    ui.label(RichText::new(title).size(size::SECTION).strong());
    // A solid, strong blue that reads on both light and dark backgrounds.
    let colour = theme::advice_look(Advice::Approved, ui.visuals().dark_mode).accent;
    let most = rows.iter().map(|r| r.count).max().unwrap_or(0).max(1);
    let width = ui.available_width();
    let name_w = (width * 0.35).clamp(60.0, 220.0);
    let count_head = RichText::new(lang.tr("Incidents", "次数")).strong();
    let count_w = egui::WidgetText::from(count_head.clone())
        .into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Body,
        )
        .size()
        .x
        .max(56.0);
    let spacing = ui.spacing().item_spacing.x;
    let bar_w = (width - name_w - count_w - 3.0 * spacing).max(40.0);
    let bar_h = ui.text_style_height(&egui::TextStyle::Body) * 0.8;
    egui::Grid::new((id, "bars"))
        .num_columns(3)
        .striped(true)
        .spacing([spacing, 4.0])
        .min_col_width(0.0)
        .show(ui, |ui| {
            cell(
                ui,
                name_w,
                egui::Align::Min,
                RichText::new(key_name).strong(),
            );
            cell(ui, count_w, egui::Align::Max, count_head);
            ui.label(RichText::new(lang.tr("Share of the most", "与最多者相比")).weak());
            ui.end_row();
            for r in rows {
                let name = r.key.as_deref().unwrap_or(none);
                cell(ui, name_w, egui::Align::Min, RichText::new(name).strong())
                    .on_hover_text(name);
                cell(
                    ui,
                    count_w,
                    egui::Align::Max,
                    RichText::new(r.count.to_string()),
                );
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(bar_w, bar_h), egui::Sense::hover());
                let share = r.count as f32 / most as f32;
                let bar = egui::Rect::from_min_size(
                    rect.min,
                    egui::vec2((bar_w * share).max(2.0), bar_h),
                );
                ui.painter().rect_filled(bar, 2.0, colour);
                ui.end_row();
            }
        });
}

/// A label in a cell `width` wide, at its left (`Min`) or right (`Max`), cut with "…" when longer.
fn cell(ui: &mut egui::Ui, width: f32, align: egui::Align, text: RichText) -> egui::Response {
    let height = ui.spacing().interact_size.y;
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        match align {
            egui::Align::Max => egui::Layout::right_to_left(egui::Align::Center),
            _ => egui::Layout::left_to_right(egui::Align::Center),
        },
        |ui| {
            ui.set_min_size(egui::vec2(width, height));
            ui.add(egui::Label::new(text).truncate())
        },
    )
    .inner
}
