//! The left side of the Codes screen: the search box, the shop's scheme, file buttons and the results.

use super::super::command::{CodesCommand, ShopScheme};
use super::super::theme::{self, size};
use super::{CodesView, search_id};
use crate::codebook::Codebook;
use crate::domain::code::{CodeEntry, Scheme};
use crate::domain::labels::advice_short;
use crate::domain::search::{Hit, MatchKind};
use crate::i18n::{Label, Lang, Msg};
use eframe::egui::{self, Key, Modifiers, RichText};

/// The search box with what belongs to it: the problem with the data if any, own-code and file
/// buttons, and the shop's scheme.
pub fn search_ui(
    ui: &mut egui::Ui,
    view: &CodesView,
    problem: Option<&Msg>,
    lang: Lang,
    push: &mut impl FnMut(CodesCommand),
) {
    ui.add_space(6.0);
    let label = ui.add(
        egui::Label::new(RichText::new(lang.tr(
            "Type the code or message the terminal shows",
            "输入终端显示的代码或提示",
        )))
        .wrap(),
    );
    // Up/Down move through the results and PageUp/PageDown scroll the card while the cursor stays in
    // the search box: taken before the text field sees them.
    let search_focused = ui.memory(|m| m.has_focus(search_id()));
    let mut enter = false;
    if search_focused {
        let (down, up, enter_key) = ui.input_mut(|i| {
            (
                i.consume_key(Modifiers::NONE, Key::ArrowDown),
                i.consume_key(Modifiers::NONE, Key::ArrowUp),
                i.consume_key(Modifiers::NONE, Key::Enter),
            )
        });
        enter = enter_key;
        if down {
            push(CodesCommand::Move(1));
        }
        if up {
            push(CodesCommand::Move(-1));
        }
    }
    let mut query = view.query.clone();
    let search = ui
        .add(
            egui::TextEdit::singleline(&mut query)
                .char_limit(crate::ui::widgets::LINE_CHARS)
                .id(search_id())
                .hint_text(lang.tr("e.g. 51, A0, 余额不足", "例如 51、A0、余额不足"))
                .font(egui::TextStyle::Heading)
                // Enter opens the card; it must not take the cursor out of the box.
                .return_key(None)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    if search.changed() {
        push(CodesCommand::SetQuery(query));
    }
    // After the box took this frame's typing: Enter right after the last character opens what was
    // typed, all of it.
    if enter {
        push(CodesCommand::Open);
    }
    if let Some(problem) = problem {
        ui.add(
            egui::Label::new(
                RichText::new(format!(
                    "⚠ {} {}",
                    lang.tr(
                        "Lookups work, but nothing can be saved:",
                        "可以查询，但暂时不能保存："
                    ),
                    problem.get(lang)
                ))
                .color(ui.visuals().error_fg_color),
            )
            .wrap(),
        );
    }
    ui.horizontal_wrapped(|ui| {
        if ui
            .button(lang.tr("＋ Add my own code", "＋ 添加我的代码"))
            .clicked()
        {
            push(CodesCommand::NewCustom(view.query.trim().to_string()));
        }
        if ui
            .button(lang.tr("Import…", "导入…"))
            .on_hover_text(lang.tr(
                "Import my codes and notes from CSV or JSON",
                "从 CSV 或 JSON 导入我的代码和备注",
            ))
            .clicked()
        {
            push(CodesCommand::ImportCodes(None));
        }
        if ui
            .button(lang.tr("Export…", "导出…"))
            .on_hover_text(lang.tr(
                "Export my codes and notes to CSV or JSON",
                "把我的代码和备注导出为 CSV 或 JSON",
            ))
            .clicked()
        {
            push(CodesCommand::ExportCodes(None));
        }
    });
    shop_scheme_ui(ui, view, lang, push);
}

/// The results, one row each, only the visible ones laid out.
/// Height of one result row, in points.
pub const ROW_HEIGHT: f32 = size::ROW_CODE + size::ROW_TITLE + 22.0;

pub fn list_ui(
    ui: &mut egui::Ui,
    view: &CodesView,
    book: &Codebook,
    lang: Lang,
    push: &mut impl FnMut(CodesCommand),
) {
    if view.results.is_empty() {
        return;
    }
    let row_height = ROW_HEIGHT;
    let chosen_anew = super::changed_since_last_frame(ui, "results", view.card_generation);
    egui::ScrollArea::vertical().auto_shrink(false).show_rows(
        ui,
        row_height,
        view.results.len(),
        |ui, rows| {
            for row in rows {
                let Some(hit) = view.results.get(row) else {
                    continue;
                };
                let Some(entry) = book.entries().get(hit.doc) else {
                    continue;
                };
                let selected = row == view.selected;
                let response = result_row_ui(
                    ui,
                    book,
                    entry,
                    hit,
                    selected,
                    row_height,
                    lang,
                    view.shop.map(ShopScheme::scheme),
                );
                if selected && chosen_anew {
                    response.scroll_to_me(None);
                }
                if response.clicked() {
                    push(CodesCommand::Select(row));
                }
            }
        },
    );
}

fn shop_scheme_ui(
    ui: &mut egui::Ui,
    view: &CodesView,
    lang: Lang,
    push: &mut impl FnMut(CodesCommand),
) {
    let current = view.shop.unwrap_or(ShopScheme::for_lang(lang));
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(lang.tr("My terminals show:", "我的终端显示："));
        egui::ComboBox::from_id_salt("shop_scheme")
            .selected_text(current.text(lang))
            .show_ui(ui, |ui| {
                for &shop in &ShopScheme::ALL {
                    if ui
                        .selectable_label(shop == current, shop.text(lang))
                        .clicked()
                    {
                        push(CodesCommand::SetShopScheme(shop));
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
}

/// One row: the code large and the scheme small on the first line; the advice (icon, word, colour)
/// and the title on the second. Every part is cut to one line, so rows of any length keep their height.
#[allow(clippy::too_many_arguments)] // one row, drawn from everything it shows
fn result_row_ui(
    ui: &mut egui::Ui,
    book: &Codebook,
    e: &CodeEntry,
    hit: &Hit,
    selected: bool,
    height: f32,
    lang: Lang,
    view_prefer: Option<Scheme>,
) -> egui::Response {
    let width = ui.available_width();
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(width, height - 4.0), egui::Sense::click());
    // The row says what the card's banner will say: the reading for the shop's chosen scheme.
    let advice = book.reading(e, view_prefer).advice;
    let situation = e.scheme == Scheme::Situation;
    // A situation has no code: its title leads the row, where a code would stand.
    let (head, title) = if situation {
        (lang.pick(&e.title_en, &e.title_zh), "")
    } else {
        (e.code.as_str(), lang.pick(&e.title_en, &e.title_zh))
    };
    let other_code = hit.kind == MatchKind::OtherCode;
    let guess = hit.kind == MatchKind::Guess;
    let spoken = format!(
        "{} {} {}{}",
        head,
        title,
        advice_short(advice).get(lang),
        if other_code {
            lang.tr(" (a different code)", "（另一个代码）")
        } else if guess {
            lang.tr(" (a guess)", "（猜测）")
        } else {
            ""
        }
    );
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::accesskit::Role::Button, true, selected, &spoken)
    });
    if !ui.is_rect_visible(rect) {
        return response;
    }
    let visuals = ui.style().interact_selectable(&response, selected);
    let painter = ui.painter();
    if selected || response.hovered() {
        painter.rect_filled(rect, 4.0, visuals.weak_bg_fill);
    }
    let look = theme::advice_look(advice, ui.visuals().dark_mode);
    let strong = ui.visuals().strong_text_color();
    let normal = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    let pad = 8.0;
    let inner = rect.shrink2(egui::vec2(pad, 4.0));
    // The scheme (and a "different code" mark) on the right of the first line.
    // "≠": found by reading E77 as 77, a different code.
    let mut right = e.scheme.text(lang).to_string();
    if other_code {
        right = format!("≠ {right}");
    }
    if guess {
        right = format!("{} · {right}", lang.tr("guess?", "猜测？"));
    }
    let scheme = painter.layout_job(one_line(&right, size::SMALL, weak, inner.width() * 0.5));
    painter.galley(
        egui::pos2(inner.right() - scheme.size().x, inner.top() + 3.0),
        scheme.clone(),
        weak,
    );
    let code_width = (inner.width() - scheme.size().x - 10.0).max(20.0);
    let head_size = if situation {
        size::ROW_TITLE
    } else {
        size::ROW_CODE
    };
    let code = painter.layout_job(one_line(head, head_size, strong, code_width));
    painter.galley(inner.left_top(), code, strong);
    // Second line: the advice word in its colour, then the title.
    let word = format!("{} {}", look.icon, advice_short(advice).get(lang));
    let word = painter.layout_job(one_line(
        &word,
        size::SMALL,
        look.accent,
        inner.width() * 0.4,
    ));
    let second_top = inner.top() + size::ROW_CODE + 6.0;
    painter.galley(
        egui::pos2(inner.left(), second_top + 1.0),
        word.clone(),
        look.accent,
    );
    let title_left = inner.left() + word.size().x + 10.0;
    let title_job = one_line(
        title,
        size::ROW_TITLE,
        normal,
        (inner.right() - title_left).max(20.0),
    );
    painter.galley(
        egui::pos2(title_left, second_top),
        painter.layout_job(title_job),
        normal,
    );
    response
}

/// Text laid out on one line of at most `max_width`, cut with "…" where it does not fit.
fn one_line(text: &str, size: f32, color: egui::Color32, max_width: f32) -> egui::text::LayoutJob {
    let mut job = egui::text::LayoutJob::simple_singleline(
        text.replace('\n', " "),
        egui::FontId::proportional(size),
        color,
    );
    job.wrap = egui::text::TextWrapping {
        max_width,
        max_rows: 1,
        break_anywhere: true,
        overflow_character: Some('…'),
    };
    job
}
