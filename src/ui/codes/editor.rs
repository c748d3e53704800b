//! The form for one of the user's own codes. It holds what the clerk types; saving goes through a
//! command and the same rules as an imported file (`domain::rules`).

use super::super::command::CodesCommand;
use super::CodesView;
use crate::domain::code::{Category, CodeEntry, Fixer, Retry, Scheme};
use crate::domain::rules::{self, EntryError};
use crate::i18n::{Label, Lang, Msg};
use crate::ui::widgets::question_ui;
use eframe::egui::{self, RichText};

/// The form's fields as typed. Lists are one item per line; keywords are separated by commas.
#[derive(Debug, Clone, PartialEq)]
pub struct Fields {
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
    /// What people say and the source line, as an imported file gave them: the form does not show
    /// them, and saving keeps them.
    pub says_zh: Vec<String>,
    pub says_en: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EditorState {
    /// The code before editing; `None` for a new code.
    pub original_code: Option<String>,
    pub fields: Fields,
    /// The fields as the form opened, to tell whether anything would be lost on closing.
    pristine: Fields,
    pub error: Option<Msg>,
    /// Put the cursor in the first field to fill when the form opens.
    pub focus_pending: bool,
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

impl EditorState {
    /// A new code. An unknown code's advice starts as "check first", as the pack's own rule says.
    pub fn new(code: &str) -> EditorState {
        let fields = Fields {
            code: code.trim().to_string(),
            title_zh: String::new(),
            title_en: String::new(),
            explain_zh: String::new(),
            explain_en: String::new(),
            steps_zh: String::new(),
            steps_en: String::new(),
            causes_zh: String::new(),
            causes_en: String::new(),
            retry: Retry::CheckFirst,
            category: Category::Transaction,
            fixers: vec![Fixer::Clerk, Fixer::Provider],
            keywords: String::new(),
            says_zh: Vec::new(),
            says_en: Vec::new(),
            source: String::new(),
        };
        EditorState {
            original_code: None,
            pristine: fields.clone(),
            fields,
            error: None,
            focus_pending: true,
        }
    }

    pub fn from_entry(e: &CodeEntry) -> EditorState {
        let fields = Fields {
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
            says_zh: e.says_zh.clone(),
            says_en: e.says_en.clone(),
            source: e.source.clone(),
        };
        EditorState {
            original_code: Some(e.code.clone()),
            pristine: fields.clone(),
            fields,
            error: None,
            focus_pending: true,
        }
    }

    pub fn is_changed(&self) -> bool {
        self.fields != self.pristine
    }

    /// The entry as typed, checked by the same rules as an imported file.
    pub fn to_entry(&self) -> Result<CodeEntry, EntryError> {
        let f = &self.fields;
        let entry = rules::tidy(CodeEntry {
            code: f.code.clone(),
            scheme: Scheme::Custom,
            title_zh: f.title_zh.clone(),
            title_en: f.title_en.clone(),
            explain_zh: f.explain_zh.clone(),
            explain_en: f.explain_en.clone(),
            causes_zh: lines(&f.causes_zh),
            causes_en: lines(&f.causes_en),
            steps_zh: lines(&f.steps_zh),
            steps_en: lines(&f.steps_en),
            fixers: f.fixers.clone(),
            retry: f.retry,
            category: f.category,
            vendor_specific: false,
            keywords: f
                .keywords
                .split([',', '，', '、', ';', '；'])
                .map(str::to_string)
                .collect(),
            says_zh: f.says_zh.clone(),
            says_en: f.says_en.clone(),
            source: f.source.clone(),
        });
        rules::check_custom(&entry)?;
        Ok(entry)
    }
}

/// A labelled text field that takes no more than its kind holds, with the card-number hint under it.
fn field(
    ui: &mut egui::Ui,
    lang: Lang,
    label: &str,
    text: &mut String,
    multiline: bool,
) -> egui::Response {
    use crate::ui::widgets::FieldSize;
    let fits = if multiline {
        FieldSize::LONG
    } else {
        FieldSize::WIDE_LINE
    };
    crate::ui::widgets::field(ui, lang, label, text, fits)
}

pub fn editor_ui(
    ui: &mut egui::Ui,
    form: &mut EditorState,
    view: &CodesView,
    lang: Lang,
    push: &mut impl FnMut(CodesCommand),
) {
    // Title, Save and Cancel stay in view above the scrolling fields, wrapping on narrow windows.
    ui.horizontal_wrapped(|ui| {
        ui.heading(if form.original_code.is_some() {
            lang.tr("Edit my code", "编辑我的代码")
        } else {
            lang.tr("Add my own code", "添加我的代码")
        });
        ui.add_space(12.0);
        let button = |text: &str| {
            egui::Button::new(RichText::new(text).strong()).min_size(egui::vec2(96.0, 40.0))
        };
        if ui.add(button(lang.tr("Save", "保存"))).clicked() {
            push(CodesCommand::SaveCustom { replace: false });
        }
        if ui.add(button(lang.tr("Cancel", "取消"))).clicked() {
            push(CodesCommand::CloseEditor { discard: false });
        }
        if form.is_changed() {
            ui.label(
                RichText::new(lang.tr("● not saved yet", "● 尚未保存"))
                    .color(ui.visuals().warn_fg_color),
            );
        }
    });
    if view.ask_discard {
        question_ui(
            ui,
            lang.tr(
                "Close the form and lose what you typed?",
                "关闭表单并丢弃已填写的内容吗？",
            ),
            |ui| {
                if ui.button(lang.tr("Keep editing", "继续编辑")).clicked() {
                    push(CodesCommand::KeepEditing);
                }
                if ui.button(lang.tr("Discard", "丢弃")).clicked() {
                    push(CodesCommand::CloseEditor { discard: true });
                }
            },
        );
    }
    if let Some(code) = &view.ask_replace {
        let text = crate::trf!(
            lang,
            "You already have a code {code}. Replace it with this one?",
            "您已经有代码 {code}，用这次填写的内容替换它吗？"
        );
        question_ui(ui, &text, |ui| {
            if ui.button(lang.tr("Keep editing", "继续编辑")).clicked() {
                push(CodesCommand::KeepEditing);
            }
            if ui.button(lang.tr("Replace it", "替换")).clicked() {
                push(CodesCommand::SaveCustom { replace: true });
            }
        });
    }
    if let Some(err) = &form.error {
        ui.add(
            egui::Label::new(
                RichText::new(format!("⚠ {}", err.get(lang))).color(ui.visuals().error_fg_color),
            )
            .wrap(),
        );
    }
    ui.separator();
    let f = &mut form.fields;
    let narrow = ui.available_width() < 560.0;
    egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
        ui.add(
            egui::Label::new(
                RichText::new(lang.tr(
                    "Write what your acquirer or terminal vendor told you. Chinese or English is enough; both is best. Lists: one item per line.",
                    "填写收单机构或终端厂商告诉您的内容。中文或英文填一种即可，两种都填更好。列表每行一项。",
                ))
                .weak(),
            )
            .wrap(),
        );
        ui.add_space(6.0);
        let code = field(ui, lang, lang.tr("Code", "代码"), &mut f.code, false);
        let focus = std::mem::take(&mut form.focus_pending);
        if focus && f.code.trim().is_empty() {
            code.request_focus();
        }
        let pairs: [(&str, &str, bool); 4] = [
            ("Title", "标题", false),
            ("Explanation", "说明", true),
            ("What to do", "处理步骤", true),
            ("Likely causes", "可能原因", true),
        ];
        let texts: [(&mut String, &mut String); 4] = [
            (&mut f.title_zh, &mut f.title_en),
            (&mut f.explain_zh, &mut f.explain_en),
            (&mut f.steps_zh, &mut f.steps_en),
            (&mut f.causes_zh, &mut f.causes_en),
        ];
        let mut title_fields = None;
        for (i, ((en_name, zh_name, multiline), (zh, en))) in pairs.iter().zip(texts).enumerate() {
            let zh_label = crate::trf!(lang, "{en_name} (Chinese)", "{zh_name}（中文）");
            let en_label = crate::trf!(lang, "{en_name} (English)", "{zh_name}（英文）");
            let (zh_response, en_response) = if narrow {
                (field(ui, lang, &zh_label, zh, *multiline), field(ui, lang, &en_label, en, *multiline))
            } else {
                ui.columns(2, |cols| {
                    (
                        field(&mut cols[0], lang, &zh_label, zh, *multiline),
                        field(&mut cols[1], lang, &en_label, en, *multiline),
                    )
                })
            };
            if i == 0 {
                title_fields = Some((zh_response, en_response));
            }
        }
        if focus
            && !f.code.trim().is_empty()
            && let Some((zh, en)) = title_fields
        {
            match lang {
                Lang::En => en.request_focus(),
                Lang::Zh => zh.request_focus(),
            }
        }
        ui.add_space(6.0);
        ui.label(RichText::new(lang.tr("Retry advice", "重试建议")).strong());
        ui.horizontal_wrapped(|ui| {
            for &r in Retry::ALL {
                ui.radio_value(&mut f.retry, r, r.text(lang));
            }
        });
        ui.label(RichText::new(lang.tr("Who can fix it", "谁来处理")).strong());
        ui.horizontal_wrapped(|ui| {
            for &fixer in Fixer::ALL {
                let mut on = f.fixers.contains(&fixer);
                if ui.checkbox(&mut on, fixer.text(lang)).changed() {
                    if on {
                        f.fixers.push(fixer);
                    } else {
                        f.fixers.retain(|x| *x != fixer);
                    }
                }
            }
        });
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(RichText::new(lang.tr("Category", "类别")).strong());
            egui::ComboBox::from_id_salt("category")
                .selected_text(f.category.text(lang))
                .show_ui(ui, |ui| {
                    for &c in Category::ALL {
                        ui.selectable_value(&mut f.category, c, c.text(lang));
                    }
                })
                .response
                .labelled_by(l.id);
        });
        field(ui, lang,
            lang.tr("Search words (separate with commas)", "搜索关键词（用逗号分隔）"),
            &mut f.keywords,
            false,
        );
    });
}
