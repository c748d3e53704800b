//! The Codes screen: search box, results, and the card of the selected code (or, when nothing matches,
//! the general ladder and "add as my own code").

use super::app::{Command, RESULT_LIMIT};
use super::editor::{self, EditorState};
use super::i18n::Lang;
use super::theme;
use crate::codebook::Codebook;
use crate::domain::code::{CodeEntry, Scheme};
use eframe::egui::{self, Key, Modifiers, RichText};

/// What the Codes screen keeps between frames: text being typed and what is selected. Stored data is
/// only changed through commands.
pub struct CodesView {
    pub query: String,
    /// Positions in the codebook's entries, best first.
    pub results: Vec<usize>,
    pub selected: usize,
    pub focus_search: bool,
    /// Scroll the card back to the top (a new code was chosen).
    scroll_card_top: bool,
    pub note_draft: String,
    /// The code the note draft belongs to, so switching codes reloads it.
    note_for: Option<(Scheme, String)>,
    pub editor: Option<EditorState>,
    pub confirm_delete: Option<String>,
}

impl CodesView {
    pub fn new() -> CodesView {
        CodesView {
            query: String::new(),
            results: Vec::new(),
            selected: 0,
            focus_search: true,
            scroll_card_top: false,
            note_draft: String::new(),
            note_for: None,
            editor: None,
            confirm_delete: None,
        }
    }

    /// Search again for the current text; the best match is selected.
    pub fn refresh(&mut self, book: &Codebook) {
        self.results = book.search_positions(&self.query, RESULT_LIMIT);
        self.selected = 0;
        self.scroll_card_top = true;
        self.confirm_delete = None;
    }

    /// Search again after the codes changed, keeping the same code selected where it still matches.
    pub fn refresh_keeping_selection(&mut self, old: &Codebook, new: &Codebook) {
        let keep = self.selected_entry(old).map(|e| (e.scheme, e.key()));
        self.results = new.search_positions(&self.query, RESULT_LIMIT);
        self.selected = keep
            .and_then(|k| {
                self.results
                    .iter()
                    .position(|&i| (new.entries()[i].scheme, new.entries()[i].key()) == k)
            })
            .unwrap_or(0);
        self.confirm_delete = None;
    }

    pub fn selected_entry<'a>(&self, book: &'a Codebook) -> Option<&'a CodeEntry> {
        self.results.get(self.selected).map(|&i| &book.entries()[i])
    }
}

impl Default for CodesView {
    fn default() -> Self {
        CodesView::new()
    }
}

/// The search box's id, so shortcuts can tell whether the clerk is typing in it.
pub fn search_id() -> egui::Id {
    egui::Id::unique("code_search")
}

pub fn codes_ui(
    ui: &mut egui::Ui,
    book: &Codebook,
    view: &mut CodesView,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    egui::Panel::left("results")
        .resizable(true)
        .default_size(380.0)
        .min_size(260.0)
        .show(ui, |ui| results_ui(ui, book, view, lang, out));
    egui::CentralPanel::default().show(ui, |ui| {
        if let Some(form) = view.editor.as_mut() {
            editor::editor_ui(ui, form, lang, out);
        } else if let Some(entry) = view.selected_entry(book) {
            card_ui(ui, book, entry, view, lang, out);
        } else if view.query.trim().is_empty() {
            welcome_ui(ui, lang);
        } else {
            unknown_ui(ui, &view.query, lang, out);
        }
    });
}

fn results_ui(
    ui: &mut egui::Ui,
    book: &Codebook,
    view: &mut CodesView,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    ui.add_space(6.0);
    let label = ui.label(RichText::new(lang.tr(
        "Type the code or message the terminal shows",
        "输入终端显示的代码或提示",
    )));
    // Up/Down move through results even while the cursor is in the search box; taken before the text
    // field sees them.
    let search_focused = ui.memory(|m| m.has_focus(search_id()));
    if search_focused && !view.results.is_empty() {
        let (down, up, enter) = ui.input_mut(|i| {
            (
                i.consume_key(Modifiers::NONE, Key::ArrowDown),
                i.consume_key(Modifiers::NONE, Key::ArrowUp),
                i.key_pressed(Key::Enter),
            )
        });
        if down && view.selected + 1 < view.results.len() {
            view.selected += 1;
            view.scroll_card_top = true;
        }
        if up && view.selected > 0 {
            view.selected -= 1;
            view.scroll_card_top = true;
        }
        if enter {
            // Enter opens the selected code: the cursor leaves the box so keys scroll the card.
            ui.memory_mut(|m| m.surrender_focus(search_id()));
            view.scroll_card_top = true;
        }
    }
    let search = ui
        .add(
            egui::TextEdit::singleline(&mut view.query)
                .id(search_id())
                .hint_text(lang.tr(
                    "e.g. 51, A0, 余额不足, NO COMMUNICATION",
                    "例如 51、A0、余额不足、NO COMMUNICATION",
                ))
                .font(egui::TextStyle::Heading)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    if view.focus_search {
        search.request_focus();
        view.focus_search = false;
    }
    if search.changed() {
        out.push(Command::Search);
    }
    ui.horizontal_wrapped(|ui| {
        if ui
            .button(lang.tr("＋ Add my own code", "＋ 添加我的代码"))
            .clicked()
        {
            out.push(Command::NewCustom(String::new()));
        }
        if ui
            .button(lang.tr("Import…", "导入…"))
            .on_hover_text(lang.tr(
                "Import my codes from CSV or JSON",
                "从 CSV 或 JSON 导入我的代码",
            ))
            .clicked()
        {
            out.push(Command::ImportCodes(None));
        }
        if ui
            .button(lang.tr("Export…", "导出…"))
            .on_hover_text(lang.tr(
                "Export my codes to CSV or JSON",
                "把我的代码导出为 CSV 或 JSON",
            ))
            .clicked()
        {
            out.push(Command::ExportCodes(None));
        }
    });
    ui.separator();
    if view.results.is_empty() {
        return;
    }
    let row_height = ui.text_style_height(&egui::TextStyle::Body) * 2.0 + 14.0;
    let mut clicked = None;
    egui::ScrollArea::vertical().auto_shrink(false).show_rows(
        ui,
        row_height,
        view.results.len(),
        |ui, rows| {
            for row in rows {
                let e = &book.entries()[view.results[row]];
                let selected = row == view.selected;
                let response = ui.add(
                    egui::Button::selectable(selected, result_row_text(ui, e, lang))
                        .right_text("")
                        .min_size(egui::vec2(ui.available_width(), row_height - 4.0)),
                );
                if selected && view.scroll_card_top {
                    response.scroll_to_me(None);
                }
                if response.clicked() {
                    clicked = Some(row);
                }
            }
        },
    );
    if let Some(row) = clicked {
        view.selected = row;
        view.scroll_card_top = true;
        view.editor = None;
    }
}

/// A result row: the code large, the scheme small, the title beneath.
fn result_row_text(ui: &egui::Ui, e: &CodeEntry, lang: Lang) -> egui::text::LayoutJob {
    use egui::text::{LayoutJob, TextFormat};
    let strong = ui.visuals().strong_text_color();
    let normal = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    let mut job = LayoutJob::default();
    let format = |size: f32, color| TextFormat {
        font_id: egui::FontId::proportional(size),
        color,
        ..Default::default()
    };
    // One line per part: rows have one height (the list only lays out visible rows), so a long code
    // is shortened here; the card shows it whole.
    let room = ((ui.available_width() - 110.0) / 11.0).max(6.0) as usize;
    let code: String = if e.code.chars().count() > room {
        e.code.chars().take(room - 1).chain(['…']).collect()
    } else {
        e.code.clone()
    };
    job.append(&code, 0.0, format(20.0, strong));
    job.append(
        &format!("   {}\n", scheme_name(e.scheme, lang)),
        0.0,
        format(15.0, weak),
    );
    let title = lang.pick(&e.title_en, &e.title_zh);
    let room = (ui.available_width() / 9.0).max(8.0) as usize;
    let title: String = if title.chars().count() > room {
        title.chars().take(room - 1).chain(['…']).collect()
    } else {
        title.to_string()
    };
    job.append(&title, 0.0, format(17.0, normal));
    job
}

fn scheme_name(s: Scheme, lang: Lang) -> &'static str {
    match lang {
        Lang::En => s.name_en(),
        Lang::Zh => s.name_zh(),
    }
}

fn welcome_ui(ui: &mut egui::Ui, lang: Lang) {
    ui.add_space(40.0);
    ui.vertical_centered(|ui| {
        ui.heading(lang.tr("What does the terminal show?", "终端显示了什么？"));
        ui.add_space(12.0);
        ui.label(lang.tr(
            "Type the code or message on the left. The answer appears as you type.",
            "在左边输入代码或提示文字，边输入边显示答案。",
        ));
        ui.add_space(8.0);
        ui.label(
            RichText::new(lang.tr(
                "Ctrl+F or / : search   ↑↓ : choose   Enter : open   Esc : clear",
                "Ctrl+F 或 / ：搜索   ↑↓ ：选择   回车：打开   Esc：清空",
            ))
            .weak(),
        );
    });
}

/// The general ladder from merchants' guides, for a code posdesk does not know.
fn unknown_ui(ui: &mut egui::Ui, query: &str, lang: Lang, out: &mut Vec<Command>) {
    let shown: String = query.trim().chars().take(64).collect();
    egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
        ui.heading(match lang {
            Lang::En => format!("\"{shown}\" is not in posdesk yet"),
            Lang::Zh => format!("posdesk 里还没有“{shown}”"),
        });
        ui.add_space(8.0);
        ui.label(lang.tr(
            "If a payment was in progress, first check whether the customer was charged (last transaction, or the customer's bank/app message). Then work down this list:",
            "如果刚才在收款，先确认顾客是否已扣款（查最后一笔交易，或看顾客手机上的扣款通知）。然后按顺序排查：",
        ));
        ui.add_space(6.0);
        let steps: [(&str, &str); 5] = [
            (
                "Check cables and power: the terminal's power, network cable or Wi-Fi/SIM, and the printer cover.",
                "检查线缆和电源：终端电源、网线或 Wi-Fi/SIM 卡、打印机盖。",
            ),
            (
                "Restart the terminal and the cash-register PC, then try once more.",
                "重启终端和收银电脑，然后再试一次。",
            ),
            (
                "Check the network: do other devices in the shop reach the internet? Is the router on?",
                "检查网络：店里其他设备能上网吗？路由器是否开着？",
            ),
            (
                "Update the terminal: sign in again (签到) and accept any software or parameter update it offers.",
                "更新终端：重新签到，并接受终端提示的软件或参数更新。",
            ),
            (
                "Call your payment provider (the number is on the terminal's sticker) and tell them the exact code.",
                "致电支付服务商（电话在终端标签上），告诉他们准确的代码。",
            ),
        ];
        for (i, (en, zh)) in steps.iter().enumerate() {
            ui.label(RichText::new(format!("{}. {}", i + 1, lang.tr(en, zh))).size(20.0));
        }
        ui.add_space(16.0);
        let label = match lang {
            Lang::En => format!("＋ Add \"{shown}\" as my own code"),
            Lang::Zh => format!("＋ 把“{shown}”添加为我的代码"),
        };
        if ui.add(egui::Button::new(RichText::new(label).size(20.0)).min_size(egui::vec2(0.0, 44.0))).clicked() {
            out.push(Command::NewCustom(shown));
        }
    });
}

fn card_ui(
    ui: &mut egui::Ui,
    book: &Codebook,
    e: &CodeEntry,
    view: &mut CodesView,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    let id = (e.scheme, e.key());
    if view.note_for.as_ref() != Some(&id) {
        view.note_draft = book.note(e).unwrap_or_default().to_string();
        view.note_for = Some(id);
    }
    let mut scroll = egui::ScrollArea::vertical().auto_shrink(false);
    if std::mem::take(&mut view.scroll_card_top) {
        scroll = scroll.vertical_scroll_offset(0.0);
    }
    scroll.show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&e.code).size(34.0).strong().monospace());
            ui.label(RichText::new(scheme_name(e.scheme, lang)).size(18.0).weak());
            ui.label(
                RichText::new(match lang {
                    Lang::En => e.category.label_en(),
                    Lang::Zh => e.category.label_zh(),
                })
                .size(16.0)
                .weak(),
            );
        });
        ui.label(RichText::new(lang.pick(&e.title_en, &e.title_zh)).size(28.0).strong());
        ui.add_space(6.0);
        retry_banner(ui, e, lang);
        // The shop's own note ("our bank: call 95516") is often the real next step: show it up top.
        if let Some(note) = book.note(e) {
            egui::Frame::new()
                .stroke(egui::Stroke::new(2.0, ui.visuals().selection.bg_fill))
                .corner_radius(6.0)
                .inner_margin(egui::Margin::symmetric(12, 8))
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(
                        RichText::new(format!("✏ {} {note}", lang.tr("My note:", "我的备注：")))
                            .size(20.0)
                            .strong(),
                    );
                });
        }
        if e.vendor_specific {
            ui.label(
                RichText::new(lang.tr(
                    "ⓘ The meaning of this code varies by terminal vendor or provider: confirm with yours.",
                    "ⓘ 此代码的含义因终端厂商或服务商而异，请向您的服务商确认。",
                ))
                .italics(),
            );
        }
        ui.add_space(6.0);
        ui.label(RichText::new(lang.pick(&e.explain_en, &e.explain_zh)).size(20.0));
        let steps = lang.pick_list(&e.steps_en, &e.steps_zh);
        if !steps.is_empty() {
            ui.add_space(10.0);
            ui.label(RichText::new(lang.tr("What to do", "怎么办")).size(22.0).strong());
            for (i, step) in steps.iter().enumerate() {
                ui.label(RichText::new(format!("{}. {step}", i + 1)).size(20.0));
            }
        }
        ui.add_space(10.0);
        ui.label(RichText::new(lang.tr("Who can fix it", "谁来处理")).size(18.0).strong());
        let fixers: Vec<&str> = e
            .fixers
            .iter()
            .map(|f| match lang {
                Lang::En => f.label_en(),
                Lang::Zh => f.label_zh(),
            })
            .collect();
        ui.label(fixers.join(lang.tr(", ", "、")));
        let causes = lang.pick_list(&e.causes_en, &e.causes_zh);
        if !causes.is_empty() {
            ui.add_space(10.0);
            ui.label(RichText::new(lang.tr("Likely causes", "可能原因")).size(18.0).strong());
            for cause in causes {
                ui.label(format!("• {cause}"));
            }
        }
        ui.add_space(14.0);
        ui.separator();
        note_ui(ui, e, view, lang, out);
        if e.scheme == Scheme::Custom {
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                if ui.button(lang.tr("✏ Edit my code", "✏ 编辑我的代码")).clicked() {
                    out.push(Command::EditCustom(e.code.clone()));
                }
                if view.confirm_delete.as_deref() == Some(e.code.as_str()) {
                    if ui
                        .button(RichText::new(lang.tr("Really delete?", "确定删除？")).color(ui.visuals().error_fg_color))
                        .clicked()
                    {
                        out.push(Command::DeleteCustom(e.code.clone()));
                    }
                    if ui.button(lang.tr("Keep it", "不删除")).clicked() {
                        view.confirm_delete = None;
                    }
                } else if ui.button(lang.tr("🗑 Delete", "🗑 删除")).clicked() {
                    view.confirm_delete = Some(e.code.clone());
                }
            });
        } else {
            ui.add_space(6.0);
            ui.label(
                RichText::new(lang.tr(
                    "This text comes with posdesk and cannot be changed; add your own note above.",
                    "这段说明随 posdesk 提供，不能修改；可以在上方添加自己的备注。",
                ))
                .small()
                .weak(),
            );
        }
    });
}

fn retry_banner(ui: &mut egui::Ui, e: &CodeEntry, lang: Lang) {
    let look = theme::retry_look(e.retry, e.category, ui.visuals().dark_mode);
    let words = if e.category == crate::domain::code::Category::Approved {
        lang.tr(
            "Approved: the payment went through. Do not charge again.",
            "交易成功：款已收到，不要重复收款。",
        )
    } else {
        match lang {
            Lang::En => e.retry.label_en(),
            Lang::Zh => e.retry.label_zh(),
        }
    };
    egui::Frame::new()
        .fill(look.fill)
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(14, 10))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                RichText::new(format!("{}  {}", look.icon, words))
                    .size(24.0)
                    .strong()
                    .color(look.text),
            );
        });
}

fn note_ui(
    ui: &mut egui::Ui,
    e: &CodeEntry,
    view: &mut CodesView,
    lang: Lang,
    out: &mut Vec<Command>,
) {
    let label = ui.label(
        RichText::new(lang.tr("My note", "我的备注"))
            .size(18.0)
            .strong(),
    );
    ui.add(
        egui::TextEdit::multiline(&mut view.note_draft)
            .hint_text(lang.tr("e.g. our bank: call 95516", "例如：我们的银行请打 95516"))
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    if ui.button(lang.tr("Save note", "保存备注")).clicked() {
        out.push(Command::SaveNote {
            scheme: e.scheme,
            code: e.code.clone(),
        });
    }
}
