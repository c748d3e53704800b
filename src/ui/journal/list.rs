//! The journal list: filters and search above a table that lays out only the rows in view, reading
//! the next page from the store when the last cached rows scroll into view.

use super::{JournalForms, JournalView, PAGE_SIZE, status_text, words};
use crate::domain::incident::IncidentStatus;
use crate::i18n::{Label, Lang};
use crate::ui::command::JournalCommand;
use crate::ui::services::Shared;
use crate::ui::theme::size;
use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};

pub const ROW_HEIGHT: f32 = 36.0;

/// The journal's search box, for the keys that work while it has the cursor.
pub fn search_id() -> egui::Id {
    egui::Id::unique("journal_search")
}

/// `page_height`: the height the journal page shows at once. The table takes what the warnings and
/// filters above it leave, but never less than about seven rows (or most of a small page): when they
/// leave less, the page scrolls, and scrolling it down brings the whole table into view.
pub fn list_ui(
    ui: &mut egui::Ui,
    view: &JournalView,
    forms: &mut JournalForms,
    shared: &Shared,
    lang: Lang,
    page_height: f32,
    push: &mut impl FnMut(JournalCommand),
) {
    filters_ui(ui, view, forms, lang, push);
    if let Some(e) = &view.filter_error {
        crate::ui::widgets::error_label(ui, e, lang);
    }
    if view.rows.is_empty() {
        ui.add_space(16.0);
        let text = if view.filtered() {
            lang.tr(
                "No incident matches these filters.",
                "没有符合这些条件的故障记录。",
            )
        } else {
            lang.tr(
                "No incidents yet. Press ＋ New incident, or F2 on a code's card.",
                "还没有故障记录。按“＋ 新故障”，或在代码说明页按 F2。",
            )
        };
        ui.label(RichText::new(text).size(size::READ));
        return;
    }
    ui.label(
        RichText::new(lang.tr(
            "Click an incident to open it. Keys: ↑ ↓ choose, Enter opens.",
            "点击一条记录打开。键盘：↑ ↓ 选择，回车打开。",
        ))
        .size(size::SMALL)
        .weak(),
    );
    table_ui(ui, view, shared, lang, page_height, push);
}

fn filters_ui(
    ui: &mut egui::Ui,
    view: &JournalView,
    forms: &mut JournalForms,
    lang: Lang,
    push: &mut impl FnMut(JournalCommand),
) {
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(RichText::new(lang.tr("Search", "搜索")).strong());
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut forms.search)
                    .char_limit(crate::ui::widgets::LINE_CHARS)
                    .id(search_id())
                    .hint_text(lang.tr("words, code, reference", "文字、代码、参考号"))
                    .desired_width(220.0),
            )
            .labelled_by(l.id);
        if r.changed() {
            push(JournalCommand::FilterChanged);
        }
        let l = ui.label(RichText::new(lang.tr("Status", "状态")).strong());
        let all = lang.tr("All", "全部");
        let shown = view.filter.status.map(|s| s.text(lang)).unwrap_or(all);
        egui::ComboBox::from_id_salt("journal_status_filter")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(view.filter.status.is_none(), all)
                    .clicked()
                {
                    push(JournalCommand::SetStatusFilter(None));
                }
                for s in IncidentStatus::ALL {
                    if ui
                        .selectable_label(view.filter.status == Some(*s), s.text(lang))
                        .clicked()
                    {
                        push(JournalCommand::SetStatusFilter(Some(*s)));
                    }
                }
            })
            .response
            .labelled_by(l.id);
        let l = ui.label(RichText::new(lang.tr("Terminal", "终端")).strong());
        let shown = view.filter.terminal.as_deref().unwrap_or(all);
        egui::ComboBox::from_id_salt("journal_terminal_filter")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(view.filter.terminal.is_none(), all)
                    .clicked()
                {
                    push(JournalCommand::SetTerminalFilter(None));
                }
                let mut names: Vec<&str> = view.terminals.iter().map(String::as_str).collect();
                if let Some(t) = view.filter.terminal.as_deref()
                    && !names.contains(&t)
                {
                    names.push(t);
                }
                for name in names {
                    if ui
                        .selectable_label(view.filter.terminal.as_deref() == Some(name), name)
                        .clicked()
                    {
                        push(JournalCommand::SetTerminalFilter(Some(name.to_string())));
                    }
                }
            })
            .response
            .labelled_by(l.id);
    });
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(RichText::new(lang.tr("Code", "代码")).strong());
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut forms.code)
                    .char_limit(crate::ui::widgets::LINE_CHARS)
                    .desired_width(90.0),
            )
            .labelled_by(l.id);
        if r.changed() {
            push(JournalCommand::FilterChanged);
        }
        for (label, text) in [
            (lang.tr("From", "从"), &mut forms.from),
            (lang.tr("Until", "到"), &mut forms.until),
        ] {
            let l = ui.label(RichText::new(label).strong());
            let r = ui
                .add(
                    egui::TextEdit::singleline(text)
                        .char_limit(crate::ui::widgets::LINE_CHARS)
                        .hint_text(lang.tr("year-month-day", "年-月-日"))
                        .desired_width(170.0),
                )
                .labelled_by(l.id);
            // A date half typed is not yet a mistake: it is read when whole, emptied or left.
            let whole = text.trim().is_empty() || words::parse_date(text).is_some();
            if (r.changed() && whole) || r.lost_focus() {
                push(JournalCommand::FilterChanged);
            }
        }
        if view.filtered() && ui.button(lang.tr("Clear filters", "清除条件")).clicked() {
            push(JournalCommand::ClearFilters);
        }
    });
    ui.add_space(4.0);
}

fn table_ui(
    ui: &mut egui::Ui,
    view: &JournalView,
    shared: &Shared,
    lang: Lang,
    page_height: f32,
    push: &mut impl FnMut(JournalCommand),
) {
    // The chosen row is scrolled to for two frames: in the first the page scrolls the table into
    // view, in the second the table scrolls to the row within what the page now shows.
    let follow_id = egui::Id::unique("journal_table_follow");
    let mut follow: u8 = ui.data(|d| d.get_temp(follow_id)).unwrap_or(0);
    if changed_since_last_frame(ui, view.select_generation) {
        follow = 2;
    }
    let scroll_to = follow > 0;
    follow = follow.saturating_sub(1);
    ui.data_mut(|d| d.insert_temp(follow_id, follow));
    if follow > 0 {
        ui.ctx().request_repaint();
    }
    let table_top = ui.cursor().top();
    // A click anywhere on a row opens it: the labels in it must not take the click to select text.
    ui.style_mut().interaction.selectable_labels = false;
    let dark = ui.visuals().dark_mode;
    // Narrower starting columns on a small window (or large text), so the note keeps some room.
    let narrow = ui.available_width() < 760.0;
    let (when_w, terminal_w, code_w, status_w) = if narrow {
        (110.0, 100.0, 70.0, 120.0)
    } else {
        (130.0, 130.0, 80.0, 200.0)
    };
    let mut table = TableBuilder::new(ui)
        .id_salt("journal_table")
        .striped(true)
        .sense(egui::Sense::click())
        .auto_shrink([false, false])
        .min_scrolled_height((page_height * 0.8).min(ROW_HEIGHT * 7.0))
        .max_scroll_height(f32::INFINITY)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::exact(when_w))
        .column(Column::initial(terminal_w).at_least(70.0).clip(true))
        .column(Column::initial(code_w).at_least(60.0).clip(true))
        .column(Column::initial(status_w).at_least(100.0).clip(true))
        .column(Column::remainder().at_least(80.0).clip(true));
    if scroll_to {
        table = table.scroll_to_row(view.selected, None);
    }
    let mut want_more = false;
    table
        .header(30.0, |mut header| {
            for name in [
                lang.tr("When", "时间"),
                lang.tr("Terminal", "终端"),
                lang.tr("Code", "代码"),
                lang.tr("Status", "状态"),
                lang.tr("Note", "情况"),
            ] {
                header.col(|ui| {
                    ui.label(RichText::new(name).strong());
                });
            }
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, view.rows.len(), |mut row| {
                let i = row.index();
                // The last rows of the cache are in view: time to read the next page.
                if i + PAGE_SIZE / 5 >= view.rows.len() {
                    want_more = true;
                }
                let r = &view.rows[i];
                row.set_selected(i == view.selected);
                row.col(|ui| {
                    ui.label(words::when(r.occurred_at, shared.today, lang));
                });
                row.col(|ui| {
                    ui.label(r.terminal.as_deref().unwrap_or("–"));
                });
                row.col(|ui| {
                    ui.label(
                        RichText::new(r.code.as_deref().unwrap_or("–"))
                            .size(size::ROW_CODE)
                            .strong(),
                    );
                });
                row.col(|ui| {
                    ui.label(status_text(r.status, lang, dark));
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(r.note.as_deref().unwrap_or("")).truncate());
                });
                if row.response().clicked() {
                    push(JournalCommand::Open(r.id));
                }
            });
        });
    if scroll_to {
        // Bring the whole table into the page's view (the page scrolls, the warnings above it too).
        let table = egui::Rect::from_x_y_ranges(
            ui.max_rect().x_range(),
            table_top..=ui.min_rect().bottom(),
        );
        ui.scroll_to_rect(table, None);
    }
    if want_more && view.next.is_some() {
        push(JournalCommand::LoadMore);
    }
}

/// Whether the choice moved by key since the last frame, so the table scrolls to it once.
fn changed_since_last_frame(ui: &egui::Ui, generation: u64) -> bool {
    let id = egui::Id::unique("journal_table_seen_generation");
    let last = ui.data(|d| d.get_temp::<u64>(id));
    ui.data_mut(|d| d.insert_temp(id, generation));
    last.is_some_and(|l| l != generation)
}
