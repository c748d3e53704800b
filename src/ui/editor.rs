//! The form for one of the user's own codes.

use super::app::Command;
use super::i18n::Lang;
use crate::codefile::CodeRecord;
use crate::domain::code::{Category, CodeEntry, Fixer, Retry};
use eframe::egui::{self, RichText};

/// The form's fields as typed. Lists are one item per line; keywords are separated by commas.
#[derive(Debug, Clone, PartialEq)]
pub struct EditorState {
    /// The code before editing; `None` for a new code.
    pub original_code: Option<String>,
    pub code: String,
    pub title_zh: String,
    pub title_en: String,
    pub explain_zh: String,
    pub explain_en: String,
    pub steps_zh: String,
    pub steps_en: String,
    pub causes_zh: String,
    pub causes_en: String,
    pub retry: Retry,
    pub category: Category,
    pub fixers: Vec<Fixer>,
    pub keywords: String,
    pub error: Option<String>,
    /// Put the cursor in the first field to fill when the form opens.
    pub focus_pending: bool,
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

impl EditorState {
    pub fn new(code: &str) -> EditorState {
        EditorState {
            original_code: None,
            code: code.trim().to_string(),
            title_zh: String::new(),
            title_en: String::new(),
            explain_zh: String::new(),
            explain_en: String::new(),
            steps_zh: String::new(),
            steps_en: String::new(),
            causes_zh: String::new(),
            causes_en: String::new(),
            retry: Retry::AfterFix,
            category: Category::Transaction,
            fixers: vec![Fixer::Provider],
            keywords: String::new(),
            error: None,
            focus_pending: true,
        }
    }

    pub fn from_entry(e: &CodeEntry) -> EditorState {
        EditorState {
            original_code: Some(e.code.clone()),
            code: e.code.clone(),
            title_zh: e.title_zh.clone(),
            title_en: e.title_en.clone(),
            explain_zh: e.explain_zh.clone(),
            explain_en: e.explain_en.clone(),
            steps_zh: e.steps_zh.join("\n"),
            steps_en: e.steps_en.join("\n"),
            causes_zh: e.causes_zh.join("\n"),
            causes_en: e.causes_en.join("\n"),
            retry: e.retry,
            category: e.category,
            fixers: e.fixers.clone(),
            keywords: e.keywords.join(", "),
            error: None,
            focus_pending: true,
        }
    }

    /// The entry as typed, checked by the same rules as an imported file.
    pub fn to_entry(&self) -> Result<CodeEntry, String> {
        CodeRecord {
            code: self.code.clone(),
            scheme: None,
            title_zh: self.title_zh.clone(),
            title_en: self.title_en.clone(),
            explain_zh: self.explain_zh.clone(),
            explain_en: self.explain_en.clone(),
            causes_zh: lines(&self.causes_zh),
            causes_en: lines(&self.causes_en),
            steps_zh: lines(&self.steps_zh),
            steps_en: lines(&self.steps_en),
            fixers: self.fixers.iter().map(|f| f.id().to_string()).collect(),
            retry: self.retry.id().to_string(),
            category: self.category.id().to_string(),
            vendor_specific: false,
            keywords: self
                .keywords
                .split([',', '，', '、', ';', '；'])
                .map(|k| k.trim().to_string())
                .collect(),
        }
        .into_entry()
    }
}

fn field(ui: &mut egui::Ui, label: &str, text: &mut String, multiline: bool) -> egui::Response {
    let l = ui.label(RichText::new(label).strong());
    let edit = if multiline {
        egui::TextEdit::multiline(text).desired_rows(3)
    } else {
        egui::TextEdit::singleline(text)
    };
    ui.add(edit.desired_width(f32::INFINITY)).labelled_by(l.id)
}

pub fn editor_ui(ui: &mut egui::Ui, form: &mut EditorState, lang: Lang, out: &mut Vec<Command>) {
    // Title, Save and Cancel stay in view above the scrolling fields.
    ui.horizontal(|ui| {
        ui.heading(if form.original_code.is_some() {
            lang.tr("Edit my code", "编辑我的代码")
        } else {
            lang.tr("Add my own code", "添加我的代码")
        });
        ui.add_space(20.0);
        if ui
            .add(
                egui::Button::new(RichText::new(lang.tr("Save", "保存")).strong())
                    .min_size(egui::vec2(110.0, 40.0)),
            )
            .clicked()
        {
            out.push(Command::SaveCustom);
        }
        if ui
            .add(egui::Button::new(lang.tr("Cancel", "取消")).min_size(egui::vec2(110.0, 40.0)))
            .clicked()
        {
            out.push(Command::CancelEdit);
        }
    });
    if let Some(err) = &form.error {
        ui.colored_label(ui.visuals().error_fg_color, format!("⚠ {err}"));
    }
    ui.separator();
    egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
        ui.label(
            RichText::new(lang.tr(
                "Write what your acquirer or terminal vendor told you. Chinese or English is enough; both is best. Lists: one item per line.",
                "填写收单机构或终端厂商告诉您的内容。中文或英文填一种即可，两种都填更好。列表每行一项。",
            ))
            .weak(),
        );
        ui.add_space(6.0);
        let code = field(ui, lang.tr("Code", "代码"), &mut form.code, false);
        let focus = std::mem::take(&mut form.focus_pending);
        if focus && form.code.trim().is_empty() {
            code.request_focus();
        }
        ui.columns(2, |cols| {
            let zh = field(&mut cols[0], lang.tr("Title (Chinese)", "标题（中文）"), &mut form.title_zh, false);
            let en = field(&mut cols[1], lang.tr("Title (English)", "标题（英文）"), &mut form.title_en, false);
            if focus && !form.code.trim().is_empty() {
                match lang {
                    Lang::En => en.request_focus(),
                    Lang::Zh => zh.request_focus(),
                }
            }
            field(&mut cols[0], lang.tr("Explanation (Chinese)", "说明（中文）"), &mut form.explain_zh, true);
            field(&mut cols[1], lang.tr("Explanation (English)", "说明（英文）"), &mut form.explain_en, true);
            field(&mut cols[0], lang.tr("What to do (Chinese)", "处理步骤（中文）"), &mut form.steps_zh, true);
            field(&mut cols[1], lang.tr("What to do (English)", "处理步骤（英文）"), &mut form.steps_en, true);
            field(&mut cols[0], lang.tr("Likely causes (Chinese)", "可能原因（中文）"), &mut form.causes_zh, true);
            field(&mut cols[1], lang.tr("Likely causes (English)", "可能原因（英文）"), &mut form.causes_en, true);
        });
        ui.add_space(6.0);
        ui.label(RichText::new(lang.tr("Retry advice", "重试建议")).strong());
        ui.horizontal_wrapped(|ui| {
            for r in Retry::ALL {
                let text = match lang {
                    Lang::En => r.label_en(),
                    Lang::Zh => r.label_zh(),
                };
                ui.radio_value(&mut form.retry, r, text);
            }
        });
        ui.label(RichText::new(lang.tr("Who can fix it", "谁来处理")).strong());
        ui.horizontal_wrapped(|ui| {
            for f in Fixer::ALL {
                let mut on = form.fixers.contains(&f);
                let text = match lang {
                    Lang::En => f.label_en(),
                    Lang::Zh => f.label_zh(),
                };
                if ui.checkbox(&mut on, text).changed() {
                    if on {
                        form.fixers.push(f);
                    } else {
                        form.fixers.retain(|x| *x != f);
                    }
                }
            }
        });
        ui.horizontal(|ui| {
            let l = ui.label(RichText::new(lang.tr("Category", "类别")).strong());
            egui::ComboBox::from_id_salt("category")
                .selected_text(match lang {
                    Lang::En => form.category.label_en(),
                    Lang::Zh => form.category.label_zh(),
                })
                .show_ui(ui, |ui| {
                    for c in Category::ALL {
                        let text = match lang {
                            Lang::En => c.label_en(),
                            Lang::Zh => c.label_zh(),
                        };
                        ui.selectable_value(&mut form.category, c, text);
                    }
                })
                .response
                .labelled_by(l.id);
        });
        field(
            ui,
            lang.tr("Search words (separate with commas)", "搜索关键词（用逗号分隔）"),
            &mut form.keywords,
            false,
        );
    });
}
