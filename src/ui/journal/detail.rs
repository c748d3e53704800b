//! One incident: its fields, the steps tried, the timeline of notes, its photos and files, and what
//! can be done next (only the status moves its status allows are offered).

use super::form::pan_hint_ui;
use super::{JournalForms, JournalView, THUMB_SIZE, Thumb, status_text, words};
use crate::domain::incident::{Attachment, Incident, IncidentStatus};
use crate::i18n::{Label, Lang};
use crate::ui::command::{JournalCommand, ReportScope};
use crate::ui::services::Shared;
use crate::ui::theme::size;
use eframe::egui::{self, RichText};

fn big(text: &str) -> egui::Button<'_> {
    egui::Button::new(RichText::new(text).size(size::LABEL).strong())
        .min_size(egui::vec2(120.0, 42.0))
}

pub fn detail_ui(
    ui: &mut egui::Ui,
    incident: &Incident,
    view: &JournalView,
    forms: &mut JournalForms,
    shared: &Shared,
    lang: Lang,
    push: &mut impl FnMut(JournalCommand),
) {
    let dark = ui.visuals().dark_mode;
    let id = incident.id;
    ui.horizontal_wrapped(|ui| {
        if ui
            .button(lang.tr("← Back to the list", "← 返回列表"))
            .clicked()
        {
            push(JournalCommand::CloseDetail);
        }
        ui.heading(crate::trf!(lang, "Incident #{id}", "故障 #{id}"));
        ui.label(status_text(incident.status, lang, dark).size(size::SECTION));
    });
    ui.horizontal_wrapped(|ui| {
        if ui.add(big(lang.tr("Edit", "编辑"))).clicked() {
            push(JournalCommand::Edit);
        }
        for to in incident.status.next() {
            let text = match (incident.status, to) {
                (_, IncidentStatus::Resolved) => continue,
                (IncidentStatus::Resolved, IncidentStatus::Open) => lang.tr("Reopen", "重新打开"),
                (_, IncidentStatus::Waiting) => lang.tr("Waiting for provider", "等待服务商"),
                (_, IncidentStatus::Open) => lang.tr("Back to open", "改回未解决"),
            };
            if ui.add(big(text)).clicked() {
                push(
                    if *to == IncidentStatus::Open && incident.status == IncidentStatus::Resolved {
                        JournalCommand::Reopen
                    } else {
                        JournalCommand::SetStatus(*to)
                    },
                );
            }
        }
        if ui.button(lang.tr("PDF…", "PDF…")).clicked() {
            push(JournalCommand::SavePdf {
                scope: ReportScope::Incident,
                path: None,
            });
        }
        if ui.button(lang.tr("Print…", "打印…")).clicked() {
            push(JournalCommand::Print {
                scope: ReportScope::Incident,
                path: None,
            });
        }
    });
    ui.add_space(4.0);
    // The journal page around this scrolls.
    ui.scope(|ui| {
        if incident.status.can_move_to(IncidentStatus::Resolved) {
            resolve_ui(ui, forms, lang, push);
        }
        // Side by side where there is room: what happened (with its photos) on the left, what
        // came after on the right.
        if ui.available_width() >= 900.0 {
            ui.columns(2, |cols| {
                fields_ui(&mut cols[0], incident, shared, lang);
                steps_ui(&mut cols[0], incident, lang);
                attachments_ui(&mut cols[0], incident, view, lang, push);
                timeline_ui(&mut cols[1], incident, forms, shared, lang, push);
            });
        } else {
            fields_ui(ui, incident, shared, lang);
            steps_ui(ui, incident, lang);
            timeline_ui(ui, incident, forms, shared, lang, push);
            attachments_ui(ui, incident, view, lang, push);
        }
        ui.add_space(12.0);
    });
}

fn section(ui: &mut egui::Ui, text: &str) {
    ui.add_space(8.0);
    ui.label(RichText::new(text).size(size::SECTION).strong());
}

fn resolve_ui(
    ui: &mut egui::Ui,
    forms: &mut JournalForms,
    lang: Lang,
    push: &mut impl FnMut(JournalCommand),
) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(
                RichText::new(lang.tr("How was it fixed? (optional)", "怎么解决的？（可不填）"))
                    .strong(),
            );
            ui.add(
                egui::TextEdit::singleline(&mut forms.resolution)
                    .char_limit(crate::ui::widgets::NOTE_CHARS)
                    .desired_width((ui.available_width() - 200.0).clamp(160.0, 520.0)),
            )
            .labelled_by(l.id);
            if ui
                .add(big(lang.tr("✔ Mark resolved", "✔ 标记为已解决")))
                .clicked()
            {
                push(JournalCommand::Resolve);
            }
        });
        pan_hint_ui(ui, &forms.resolution, lang);
    });
}

fn fields_ui(ui: &mut egui::Ui, i: &Incident, shared: &Shared, lang: Lang) {
    let none = "–";
    egui::Grid::new("incident_fields")
        .num_columns(2)
        .spacing([16.0, 6.0])
        .striped(true)
        .show(ui, |ui| {
            let row = |ui: &mut egui::Ui, name: &str, value: String| {
                ui.label(RichText::new(name).strong());
                ui.add(egui::Label::new(value).wrap());
                ui.end_row();
            };
            row(
                ui,
                lang.tr("When", "时间"),
                words::local_minute(i.occurred_at),
            );
            row(
                ui,
                lang.tr("Terminal", "终端"),
                i.terminal.clone().unwrap_or_else(|| none.into()),
            );
            let code = match (&i.code, i.scheme) {
                (Some(c), Some(s)) => format!("{c} · {}", s.text(lang)),
                (Some(c), None) => c.clone(),
                (None, _) => none.into(),
            };
            row(ui, lang.tr("Code", "代码"), code);
            let symptom = if i.symptom.is_empty() {
                none.into()
            } else {
                i.symptom.clone()
            };
            row(ui, lang.tr("What happened", "发生了什么"), symptom);
            if let Some(a) = i.amount {
                row(ui, lang.tr("Amount", "金额"), words::amount(a));
            }
            if let Some(t) = &i.txn_ref {
                row(
                    ui,
                    lang.tr("Transaction reference", "交易参考号"),
                    t.clone(),
                );
            }
            row(
                ui,
                lang.tr("Logged by", "记录人"),
                i.who.clone().unwrap_or_else(|| none.into()),
            );
            if let Some(at) = i.resolved_at {
                row(
                    ui,
                    lang.tr("Resolved", "解决时间"),
                    words::when(at, shared.today, lang),
                );
            }
            if !i.resolution.is_empty() {
                row(
                    ui,
                    lang.tr("How it was fixed", "处理结果"),
                    i.resolution.clone(),
                );
            }
        });
}

fn steps_ui(ui: &mut egui::Ui, i: &Incident, lang: Lang) {
    if i.steps.is_empty() {
        return;
    }
    section(ui, lang.tr("Steps tried", "试过的步骤"));
    for s in &i.steps {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("{}:", s.outcome.text(lang))).strong());
            ui.add(egui::Label::new(&s.text).wrap());
        });
    }
}

fn timeline_ui(
    ui: &mut egui::Ui,
    i: &Incident,
    forms: &mut JournalForms,
    shared: &Shared,
    lang: Lang,
    push: &mut impl FnMut(JournalCommand),
) {
    section(ui, lang.tr("Timeline", "经过"));
    let when = |t| words::when(t, shared.today, lang);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(when(i.occurred_at)).weak());
        ui.label(lang.tr("It happened", "发生"));
    });
    // Logged later than it happened (written up after the rush): both times count.
    if i.created_at.duration_since(i.occurred_at).as_secs() >= 60 {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(when(i.created_at)).weak());
            ui.label(lang.tr("Logged", "记录"));
        });
    }
    for n in &i.notes {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(when(n.at)).weak());
            ui.add(egui::Label::new(RichText::new(&n.text).size(size::READ)).wrap());
        });
    }
    if let Some(at) = i.resolved_at {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(when(at)).weak());
            ui.label(IncidentStatus::Resolved.text(lang));
        });
    }
    ui.add_space(4.0);
    let l = ui.label(RichText::new(lang.tr("Add a note", "添加备注")).strong());
    ui.horizontal_wrapped(|ui| {
        ui.add(
            egui::TextEdit::multiline(&mut forms.note)
                .char_limit(crate::ui::widgets::NOTE_CHARS)
                .desired_rows(2)
                .hint_text(lang.tr(
                    "e.g. called the provider, engineer comes tomorrow",
                    "例如：已致电服务商，工程师明天来",
                ))
                .desired_width((ui.available_width() - 200.0).clamp(160.0, 520.0)),
        )
        .labelled_by(l.id);
        if ui.add(big(lang.tr("Add note", "添加"))).clicked() {
            push(JournalCommand::AddNote);
        }
    });
    ui.label(
        RichText::new(lang.tr("Ctrl+Enter adds the note", "Ctrl+回车 添加备注"))
            .size(size::SMALL)
            .weak(),
    );
    pan_hint_ui(ui, &forms.note, lang);
}

fn is_picture(a: &Attachment) -> bool {
    super::files::is_picture(&a.file_name)
}

fn attachments_ui(
    ui: &mut egui::Ui,
    i: &Incident,
    view: &JournalView,
    lang: Lang,
    push: &mut impl FnMut(JournalCommand),
) {
    section(ui, lang.tr("Photos and files", "照片和文件"));
    ui.horizontal_wrapped(|ui| {
        if ui
            .add(big(lang.tr("Attach a photo or file…", "添加照片或文件…")))
            .clicked()
        {
            push(JournalCommand::Attach(None));
        }
        ui.label(
            RichText::new(lang.tr("or drop files on this window", "也可以把文件拖到这个窗口里"))
                .weak(),
        );
    });
    for a in view.attaching.iter().filter(|a| a.incident == i.id) {
        let name = &a.name;
        ui.add(
            egui::ProgressBar::new(a.fraction())
                .show_percentage()
                .text(crate::trf!(lang, "Attaching {name}…", "正在添加 {name}…")),
        );
    }
    if i.attachments.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        for a in &i.attachments {
            ui.vertical(|ui| {
                ui.set_max_width(THUMB_SIZE as f32 + 8.0);
                let thumb = is_picture(a).then(|| view.thumbs.0.get(&a.id)).flatten();
                let clicked = match thumb {
                    Some(Thumb::Ready(tex)) => {
                        let image = egui::Image::new(tex)
                            .max_size(egui::vec2(THUMB_SIZE as f32, THUMB_SIZE as f32));
                        let r = ui.add(egui::Button::image(image));
                        // The picture's name is what a screen reader (and a test) calls it.
                        r.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::Button, true, &a.file_name)
                        });
                        r.clicked()
                    }
                    Some(Thumb::Loading) => {
                        ui.label(lang.tr("Loading…", "加载中…"));
                        false
                    }
                    _ => ui.button(lang.tr("Open", "打开")).clicked(),
                };
                ui.add(egui::Label::new(RichText::new(&a.file_name).size(size::SMALL)).truncate());
                if clicked {
                    push(JournalCommand::OpenAttachment(a.id));
                }
            });
        }
    });
}
