//! Patterns: incidents per code and per terminal over 7, 30 or 90 days, as bar charts and tables,
//! and the median time to resolve.

use super::{JournalView, STATS_DAYS, words};
use crate::domain::advice::Advice;
use crate::domain::incident::CountRow;
use crate::i18n::Lang;
use crate::ui::command::JournalCommand;
use crate::ui::theme::{self, size};
use eframe::egui::{self, RichText};
use egui_plot::{Bar, BarChart, Plot};

/// Bars shown per chart (the tables list all).
const MAX_BARS: usize = 12;

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
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
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

/// One breakdown: a bar chart of the largest counts and a table of them all.
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
    let names: Vec<String> = rows
        .iter()
        .take(MAX_BARS)
        .map(|r| r.key.clone().unwrap_or_else(|| none.to_string()))
        .collect();
    // A solid, strong blue that reads on both light and dark backgrounds.
    let colour = theme::advice_look(Advice::Approved, ui.visuals().dark_mode).accent;
    let bars: Vec<Bar> = rows
        .iter()
        .take(MAX_BARS)
        .enumerate()
        .map(|(n, r)| {
            Bar::new(n as f64, r.count as f64)
                .name(&names[n])
                .width(0.7)
                .fill(colour)
                .stroke(egui::Stroke::new(1.0, colour))
        })
        .collect();
    let labels = names.clone();
    Plot::new(id)
        .height(220.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .include_y(0.0)
        .x_grid_spacer(move |input| {
            let (lo, hi) = input.bounds;
            (lo.ceil().max(0.0) as usize..=hi.floor().max(0.0) as usize)
                .map(|n| egui_plot::GridMark {
                    value: n as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        .x_axis_formatter(move |mark, _| {
            let n = mark.value.round();
            if (mark.value - n).abs() > 1e-6 || n < 0.0 {
                return String::new();
            }
            labels.get(n as usize).cloned().unwrap_or_default()
        })
        .y_axis_formatter(|mark, _| {
            if mark.value.fract().abs() < 1e-6 {
                format!("{}", mark.value as i64)
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new(title, bars).color(colour))
        });
    ui.add_space(4.0);
    egui::Grid::new((id, "table"))
        .num_columns(2)
        .striped(true)
        .spacing([24.0, 4.0])
        .show(ui, |ui| {
            ui.label(RichText::new(key_name).strong());
            ui.label(RichText::new(lang.tr("Incidents", "次数")).strong());
            ui.end_row();
            for r in rows {
                ui.label(r.key.as_deref().unwrap_or(none));
                ui.label(r.count.to_string());
                ui.end_row();
            }
        });
}
