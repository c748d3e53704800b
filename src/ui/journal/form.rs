//! The incident form, new or edited: the text the clerk types (the only state its drawing may
//! change), how it becomes an `IncidentDraft` or `IncidentEdit`, and how it is drawn.

use super::words;
use crate::domain::code::{Scheme, fold_fullwidth};
use crate::domain::incident::{
    Incident, IncidentDraft, IncidentEdit, IncidentId, StepOutcome, StepTried,
};
use crate::i18n::{Label, Lang, Msg};
use crate::ui::command::{JournalCommand, NewIncident};
use crate::ui::theme::size;
pub use crate::ui::widgets::pan_hint_ui;
use crate::ui::widgets::{LINE_CHARS, NOTE_CHARS};
use eframe::egui::{self, RichText};
use jiff::Timestamp;

/// One fix step: ticked steps are stored with their outcome, unticked ones are not.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRow {
    pub text: String,
    pub ticked: bool,
    pub outcome: StepOutcome,
}

/// What the clerk types; compared with the opening values to know whether anything would be lost.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IncidentFields {
    /// Local time, `2026-03-15 14:32`.
    pub when: String,
    pub terminal: String,
    pub code: String,
    pub scheme: Option<Scheme>,
    pub symptom: String,
    /// As typed: `12.50`.
    pub amount: String,
    pub txn_ref: String,
    pub steps: Vec<StepRow>,
    pub who: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IncidentForm {
    /// The incident being changed; `None` for a new one.
    pub editing: Option<IncidentId>,
    pub fields: IncidentFields,
    initial: IncidentFields,
    /// The time `when` stood for when the form opened: kept to the second if the text is untouched.
    opened_at: Timestamp,
    /// The prefill a new form opened with (the tests and the app read it while the form is open).
    pub prefill: Option<NewIncident>,
    pub error: Option<Msg>,
    /// Put the cursor in the first field to fill when the form opens.
    pub focus_pending: bool,
}

impl IncidentForm {
    /// A new incident: the prefill, the time now and the clerk's name from last time.
    pub fn new(prefill: NewIncident, now: Timestamp, who: Option<String>) -> IncidentForm {
        let fields = IncidentFields {
            when: words::local_minute(now),
            terminal: prefill.terminal.clone().unwrap_or_default(),
            code: prefill.code.clone().unwrap_or_default(),
            scheme: prefill.scheme,
            symptom: prefill.symptom.clone(),
            amount: String::new(),
            txn_ref: String::new(),
            steps: prefill
                .steps
                .iter()
                .map(|s| StepRow {
                    text: s.clone(),
                    ticked: false,
                    outcome: StepOutcome::Tried,
                })
                .collect(),
            who: who.unwrap_or_default(),
        };
        IncidentForm {
            editing: None,
            initial: fields.clone(),
            fields,
            opened_at: now,
            prefill: Some(prefill),
            error: None,
            focus_pending: true,
        }
    }

    /// The incident's own fields, to change.
    pub fn edit(i: &Incident) -> IncidentForm {
        let fields = IncidentFields {
            when: words::local_minute(i.occurred_at),
            terminal: i.terminal.clone().unwrap_or_default(),
            code: i.code.clone().unwrap_or_default(),
            scheme: i.scheme,
            symptom: i.symptom.clone(),
            amount: i.amount.map(words::amount).unwrap_or_default(),
            txn_ref: i.txn_ref.clone().unwrap_or_default(),
            steps: i
                .steps
                .iter()
                .map(|s| StepRow {
                    text: s.text.clone(),
                    ticked: true,
                    outcome: s.outcome,
                })
                .collect(),
            who: i.who.clone().unwrap_or_default(),
        };
        IncidentForm {
            editing: Some(i.id),
            initial: fields.clone(),
            fields,
            opened_at: i.occurred_at,
            prefill: None,
            error: None,
            focus_pending: true,
        }
    }

    pub fn is_changed(&self) -> bool {
        self.fields != self.initial
    }

    /// When it happened: the opening time while the text is untouched, else the typed local time.
    fn occurred_at(&self) -> Result<Timestamp, Msg> {
        if self.fields.when.trim() == self.initial.when.trim() {
            return Ok(self.opened_at);
        }
        words::parse_local_time(&self.fields.when).ok_or_else(|| {
            Msg::new(
                format!(
                    "Write the time as year-month-day hour:minute, e.g. {}.",
                    self.initial.when
                ),
                format!("请按“年-月-日 时:分”填写时间，例如 {}。", self.initial.when),
            )
        })
    }

    fn amount(&self) -> Result<Option<i64>, Msg> {
        let typed = self.fields.amount.trim();
        if typed.is_empty() {
            return Ok(None);
        }
        parse_amount(typed).map(Some).ok_or_else(|| {
            Msg::new(
                format!("\"{typed}\" is not an amount; write it like 12.50."),
                format!("“{typed}”不是金额；请写成 12.50 这样。"),
            )
        })
    }

    fn steps(&self) -> Vec<StepTried> {
        self.fields
            .steps
            .iter()
            .filter(|s| s.ticked && !s.text.trim().is_empty())
            .map(|s| StepTried {
                text: s.text.clone(),
                outcome: s.outcome,
            })
            .collect()
    }

    /// The new incident, or why the form cannot be saved as typed.
    pub fn draft(&self) -> Result<IncidentDraft, Msg> {
        let f = &self.fields;
        let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        let code = some(&f.code);
        if code.is_none() && f.symptom.trim().is_empty() {
            return Err(Msg::new(
                "Write the code the terminal showed or what happened.",
                "请填写终端显示的代码或发生了什么。",
            ));
        }
        Ok(IncidentDraft {
            occurred_at: Some(self.occurred_at()?),
            terminal: some(&f.terminal),
            scheme: code.as_ref().and(f.scheme),
            code,
            symptom: f.symptom.clone(),
            amount: self.amount()?,
            txn_ref: some(&f.txn_ref),
            steps: self.steps(),
            who: some(&f.who),
        })
    }

    /// The changes to the incident being edited (every field is written as the form shows it).
    pub fn changes(&self) -> Result<IncidentEdit, Msg> {
        let d = self.draft()?;
        Ok(IncidentEdit {
            occurred_at: d.occurred_at.filter(|t| *t != self.opened_at),
            terminal: Some(d.terminal),
            code: Some(d.code),
            scheme: Some(d.scheme),
            symptom: Some(d.symptom),
            amount: Some(d.amount),
            txn_ref: Some(d.txn_ref),
            resolution: None,
            who: Some(d.who),
            steps: Some(d.steps),
        })
    }
}

/// `12.50`, `12,5`, `１２` → minor units (1250, 1250, 1200). At most two decimals, never negative.
pub fn parse_amount(text: &str) -> Option<i64> {
    let text: String = text
        .chars()
        .map(fold_fullwidth)
        .filter(|c| !matches!(c, '¥' | '￥' | '$' | '€' | ' '))
        .collect();
    let text = text.replace(',', ".");
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text.as_str(), ""),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(whole) || (whole.is_empty() && digits(frac))) {
        return None;
    }
    if frac.len() > 2 || (!frac.is_empty() && !digits(frac)) {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut cents: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    if frac.len() == 1 {
        cents *= 10;
    }
    whole.checked_mul(100)?.checked_add(cents)
}

/// The form's Save and Cancel buttons, big enough to hit in a hurry.
fn button(text: &str) -> egui::Button<'_> {
    egui::Button::new(RichText::new(text).size(size::LABEL).strong())
        .min_size(egui::vec2(110.0, 44.0))
}

/// Fields as wide as a sentence needs, not the whole window.
const FIELD_WIDTH: f32 = 640.0;

/// A labelled one-line field with the card-number hint under it.
fn line_field(
    ui: &mut egui::Ui,
    label: &str,
    text: &mut String,
    hint: &str,
    lang: Lang,
) -> egui::Response {
    let l = ui.label(RichText::new(label).strong());
    let r = ui
        .add(
            egui::TextEdit::singleline(text)
                .char_limit(LINE_CHARS)
                .hint_text(hint)
                .desired_width(FIELD_WIDTH.min(ui.available_width())),
        )
        .labelled_by(l.id);
    pan_hint_ui(ui, text, lang);
    r
}

pub fn form_ui(
    ui: &mut egui::Ui,
    form: &mut IncidentForm,
    ask_discard: bool,
    terminals: &[String],
    lang: Lang,
    push: &mut impl FnMut(JournalCommand),
) {
    // Title, Save and Cancel stay in view above the scrolling fields, wrapping on narrow windows.
    ui.horizontal_wrapped(|ui| {
        ui.heading(match form.editing {
            Some(id) => crate::trf!(lang, "Edit incident #{id}", "编辑故障 #{id}"),
            None => lang.tr("New incident", "新故障记录").to_string(),
        });
        ui.add_space(12.0);
        if ui.add(button(lang.tr("Save", "保存"))).clicked() {
            push(JournalCommand::SaveForm);
        }
        if ui.add(button(lang.tr("Cancel", "取消"))).clicked() {
            push(JournalCommand::CloseForm { discard: false });
        }
        ui.label(
            RichText::new(lang.tr("Ctrl+Enter saves", "Ctrl+回车 保存"))
                .size(size::SMALL)
                .weak(),
        );
        if form.is_changed() {
            ui.label(
                RichText::new(lang.tr("● not saved yet", "● 尚未保存"))
                    .color(ui.visuals().warn_fg_color),
            );
        }
    });
    if ask_discard {
        crate::ui::widgets::question_ui(
            ui,
            lang.tr(
                "Close the form and lose what you typed?",
                "关闭表单并丢弃已填写的内容吗？",
            ),
            |ui| {
                if ui.button(lang.tr("Keep editing", "继续编辑")).clicked() {
                    push(JournalCommand::KeepEditing);
                }
                if ui.button(lang.tr("Discard", "丢弃")).clicked() {
                    push(JournalCommand::CloseForm { discard: true });
                }
            },
        );
    }
    if let Some(error) = &form.error {
        crate::ui::widgets::error_label(ui, error, lang);
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| fields_ui(ui, form, terminals, lang));
}

fn fields_ui(ui: &mut egui::Ui, form: &mut IncidentForm, terminals: &[String], lang: Lang) {
    let f = &mut form.fields;
    let l = ui.label(RichText::new(lang.tr("What happened", "发生了什么")).strong());
    let symptom = ui
        .add(
            egui::TextEdit::multiline(&mut f.symptom)
                .char_limit(NOTE_CHARS)
                .desired_rows(3)
                .hint_text(lang.tr(
                    "What the terminal or the customer did, in a few words",
                    "简单写下终端或顾客的情况",
                ))
                .desired_width(FIELD_WIDTH.min(ui.available_width())),
        )
        .labelled_by(l.id);
    pan_hint_ui(ui, &f.symptom, lang);
    if form.focus_pending {
        symptom.request_focus();
        form.focus_pending = false;
    }
    ui.add_space(4.0);
    egui::Grid::new("incident_form_grid")
        .num_columns(2)
        .spacing([16.0, 10.0])
        .show(ui, |ui| {
            let l = ui.label(RichText::new(lang.tr("Code", "代码")).strong());
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut f.code)
                        .char_limit(LINE_CHARS)
                        .desired_width(140.0),
                )
                .labelled_by(l.id);
                if let Some(s) = f.scheme
                    && !f.code.trim().is_empty()
                {
                    ui.label(RichText::new(s.text(lang)).weak());
                }
            });
            ui.end_row();

            let l = ui.label(RichText::new(lang.tr("Terminal", "终端")).strong());
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut f.terminal)
                        .char_limit(LINE_CHARS)
                        .desired_width(200.0),
                )
                .labelled_by(l.id);
                if !terminals.is_empty() {
                    egui::ComboBox::from_id_salt("incident_terminal_pick")
                        .selected_text(lang.tr("Choose…", "选择…"))
                        .show_ui(ui, |ui| {
                            for t in terminals {
                                if ui.selectable_label(f.terminal == *t, t).clicked() {
                                    f.terminal = t.clone();
                                }
                            }
                        })
                        .response
                        .labelled_by(l.id);
                }
            });
            ui.end_row();

            let l = ui.label(RichText::new(lang.tr("When", "时间")).strong());
            ui.add(
                egui::TextEdit::singleline(&mut f.when)
                    .char_limit(LINE_CHARS)
                    .desired_width(200.0),
            )
            .labelled_by(l.id);
            ui.end_row();

            let l =
                ui.label(RichText::new(lang.tr("Amount (optional)", "金额（可不填）")).strong());
            ui.add(
                egui::TextEdit::singleline(&mut f.amount)
                    .char_limit(LINE_CHARS)
                    .hint_text("12.50")
                    .desired_width(140.0),
            )
            .labelled_by(l.id);
            ui.end_row();
        });
    line_field(
        ui,
        lang.tr("Transaction reference (optional)", "交易参考号（可不填）"),
        &mut f.txn_ref,
        "",
        lang,
    );
    if !f.steps.is_empty() {
        ui.add_space(6.0);
        ui.label(
            RichText::new(lang.tr(
                "What did you try? Tick the steps and say how each went",
                "试过哪些步骤？勾选并注明结果",
            ))
            .strong(),
        );
        for (n, step) in f.steps.iter_mut().enumerate() {
            ui.horizontal_wrapped(|ui| {
                ui.checkbox(&mut step.ticked, &step.text);
                if step.ticked {
                    ui.push_id(n, |ui| {
                        for o in StepOutcome::ALL {
                            ui.radio_value(&mut step.outcome, *o, o.text(lang));
                        }
                    });
                }
            });
        }
    }
    ui.add_space(6.0);
    line_field(
        ui,
        lang.tr("Your name", "记录人"),
        &mut f.who,
        lang.tr("Who logged it", "谁记录的"),
        lang,
    );
    ui.add_space(12.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_clerks_type_them() {
        assert_eq!(parse_amount("12.50"), Some(1250));
        assert_eq!(parse_amount("12,5"), Some(1250));
        assert_eq!(parse_amount("１２"), Some(1200));
        assert_eq!(parse_amount("¥ 3.05"), Some(305));
        assert_eq!(parse_amount(".5"), Some(50));
        for bad in ["", "12.505", "-3", "abc", "1.2.3"] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }
}
