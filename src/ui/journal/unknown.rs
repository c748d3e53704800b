//! Codes seen in incidents that posdesk does not know: how often and where, each one click from
//! becoming one of the shop's own codes.

use super::{JournalView, words};
use crate::i18n::{Label, Lang};
use crate::ui::command::JournalCommand;
use crate::ui::theme::size;
use eframe::egui::{self, RichText};

pub fn unknown_ui(
    ui: &mut egui::Ui,
    view: &JournalView,
    lang: Lang,
    push: &mut impl FnMut(JournalCommand),
) {
    ui.heading(lang.tr("Codes posdesk does not know", "posdesk 不认识的代码"));
    ui.label(
        RichText::new(lang.tr(
            "Codes written in incidents that are not in the code book. Add one as your own code with what it means and what to do, and the next clerk finds it.",
            "故障记录里出现、但代码库里没有的代码。把它添加为自己的代码，写下含义和处理办法，下一位店员就能查到。",
        ))
        .size(size::SMALL)
        .weak(),
    );
    ui.add_space(6.0);
    if view.unknown.is_empty() {
        ui.label(
            RichText::new(lang.tr(
                "✔ Every code in the journal is known.",
                "✔ 故障记录里的代码都认识。",
            ))
            .size(size::READ),
        );
        return;
    }
    let none = lang.tr("(no terminal)", "（未填终端）");
    // The journal page around this scrolls.
    ui.scope(|ui| {
        egui::Grid::new("unknown_codes")
            .num_columns(5)
            .striped(true)
            .spacing([20.0, 8.0])
            .show(ui, |ui| {
                for h in [
                    lang.tr("Code", "代码"),
                    lang.tr("Times", "次数"),
                    lang.tr("Where", "终端"),
                    lang.tr("Last seen", "最近一次"),
                    "",
                ] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for u in &view.unknown {
                    ui.label(RichText::new(&u.code).size(size::ROW_CODE).strong());
                    ui.label(u.count.to_string());
                    let places: Vec<String> = u
                        .terminals
                        .iter()
                        .map(|(t, n)| format!("{} ×{n}", t.as_deref().unwrap_or(none)))
                        .collect();
                    let schemes: Vec<&str> = u
                        .schemes
                        .iter()
                        .filter_map(|(s, _)| s.map(|s| s.text(lang)))
                        .collect();
                    ui.vertical(|ui| {
                        ui.label(places.join(", "));
                        if !schemes.is_empty() {
                            ui.label(RichText::new(schemes.join(", ")).weak());
                        }
                    });
                    ui.label(words::local_minute(u.last_at));
                    ui.horizontal(|ui| {
                        let code = &u.code;
                        if ui
                            .button(
                                RichText::new(crate::trf!(
                                    lang,
                                    "Add {code} as my code",
                                    "把 {code} 添加为我的代码"
                                ))
                                .strong(),
                            )
                            .clicked()
                        {
                            push(JournalCommand::AddOwnCode(u.code.clone()));
                        }
                        if ui.button(lang.tr("Show incidents", "查看记录")).clicked() {
                            push(JournalCommand::ShowRepeat {
                                code: u.code.clone(),
                                terminal: String::new(),
                            });
                        }
                    });
                    ui.end_row();
                }
            });
    });
}
