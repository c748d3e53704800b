//! The right side of the Codes screen: a code's card (banner first), the welcome text, and the card
//! for a code posdesk does not know.

use super::super::command::CodesCommand;
use super::super::services::Shared;
use super::super::theme::{self, size};
use super::super::widgets;
use super::{CodesView, Forms, NoteDraft, changed_since_last_frame, search_id};
use crate::codebook::Codebook;
use crate::domain::advice::{Advice, Basis, SafeReading};
use crate::domain::code::{Category, CodeEntry, Fixer, Retry, Scheme};
use crate::domain::search::MatchKind;
use crate::i18n::{Label, Lang};
use eframe::egui::{self, Key, Modifiers, RichText};

/// How long Enter marks the card, in seconds.
const OPEN_MARK_SECONDS: f64 = 1.2;

pub fn welcome_ui(ui: &mut egui::Ui, lang: Lang) {
    ui.add_space(40.0);
    ui.vertical_centered(|ui| {
        ui.heading(lang.tr("What does the terminal show?", "终端显示了什么？"));
        ui.add_space(12.0);
        ui.add(
            egui::Label::new(lang.tr(
                "Type the code or message on the left. The answer appears as you type.",
                "在左边输入代码或提示文字，边输入边显示答案。",
            ))
            .wrap(),
        );
        ui.add_space(8.0);
        ui.add(
            egui::Label::new(
                RichText::new(lang.tr(
                    "Ctrl+F or / : new search   ↑↓ : choose   PgUp/PgDn : scroll the card   Esc : clear",
                    "Ctrl+F 或 / ：重新搜索   ↑↓ ：选择   PgUp/PgDn ：翻看说明   Esc：清空",
                ))
                .weak(),
            )
            .wrap(),
        );
    });
}

/// The moment after start, before the list of codes is built: what was typed is kept and looked up
/// as soon as it is (rather than saying "not found" about a code that is in the list).
pub fn loading_ui(ui: &mut egui::Ui, lang: Lang) {
    ui.add_space(40.0);
    ui.vertical_centered(|ui| {
        ui.spinner();
        ui.add_space(8.0);
        ui.add(
            egui::Label::new(lang.tr(
                "Loading the list of codes… your search shows in a moment.",
                "正在载入代码表……马上显示搜索结果。",
            ))
            .wrap(),
        );
    });
}

/// A scrolling card that starts at its top whenever a new code is chosen, and that PageUp/PageDown
/// scroll while the cursor stays in the search box.
fn card_scroll(ui: &mut egui::Ui, view: &CodesView, add: impl FnOnce(&mut egui::Ui)) {
    let mut scroll = egui::ScrollArea::vertical().auto_shrink(false);
    if changed_since_last_frame(ui, "card", view.card_generation) {
        scroll = scroll.vertical_scroll_offset(0.0);
    }
    let now = ui.input(|i| i.time);
    let marked = view.opened_at.is_some_and(|t| now - t < OPEN_MARK_SECONDS);
    if marked {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(OPEN_MARK_SECONDS));
    }
    let stroke = if marked {
        egui::Stroke::new(3.0, ui.visuals().selection.bg_fill)
    } else {
        egui::Stroke::NONE
    };
    egui::Frame::new()
        .stroke(stroke)
        .inner_margin(4)
        .show(ui, |ui| {
            scroll.show(ui, |ui| {
                if ui.memory(|m| m.has_focus(search_id())) {
                    let (down, up) = ui.input_mut(|i| {
                        (
                            i.consume_key(Modifiers::NONE, Key::PageDown),
                            i.consume_key(Modifiers::NONE, Key::PageUp),
                        )
                    });
                    let page = ui.clip_rect().height() * 0.8;
                    if down {
                        ui.scroll_with_delta(egui::vec2(0.0, -page));
                    }
                    if up {
                        ui.scroll_with_delta(egui::vec2(0.0, page));
                    }
                }
                add(ui);
            });
        });
}

/// Nothing at all matched (not even as an unknown code): the same check-first banner as every card,
/// then the ladder from merchants' guides.
pub fn unknown_ui(ui: &mut egui::Ui, query: &str, lang: Lang, push: &mut impl FnMut(CodesCommand)) {
    let shown: String = query.trim().chars().take(64).collect();
    egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
        ui.add(
            egui::Label::new(RichText::new(crate::trf!(lang, "Nothing in posdesk matches \"{shown}\"", "posdesk 里没有与“{shown}”匹配的内容"))
            .size(size::TITLE)
            .strong())
            .wrap(),
        );
        ui.add_space(6.0);
        banner_ui(ui, Advice::CheckFirst, None, None, lang);
        ui.add_space(6.0);
        let steps: [(&str, &str); 5] = [
            (
                "If a payment was in progress, first check the terminal's last transaction or the customer's bank message. Already paid: reprint the receipt, do not charge again.",
                "如果刚才在收款，先查终端的末笔交易或顾客的扣款短信。已经付款的，重打小票，不要再收。",
            ),
            (
                "Check cables and power: the terminal's power, network cable or Wi-Fi/SIM, and the cable to the till.",
                "检查线缆和电源：终端电源、网线或 WiFi/流量卡，以及终端到收银机的连接线。",
            ),
            (
                "Restart the terminal (and the router), then try once more.",
                "重启终端（和路由器），然后再试一次。",
            ),
            (
                "Ask your provider whether the terminal needs a software or parameter update.",
                "问服务商终端是否需要更新软件或参数。",
            ),
            (
                "Call your payment provider (the number is on the terminal's sticker) and tell them exactly what the screen shows.",
                "致电支付服务商（电话在终端标签上），把屏幕上的内容原样告诉对方。",
            ),
        ];
        for (i, (en, zh)) in steps.iter().enumerate() {
            ui.add(
                egui::Label::new(
                    RichText::new(format!("{}. {}", i + 1, lang.tr(en, zh))).size(size::READ),
                )
                .wrap(),
            );
        }
        ui.add_space(16.0);
        let label = crate::trf!(lang, "＋ Add \"{shown}\" as my own code", "＋ 把“{shown}”添加为我的代码");
        if ui.add(crate::ui::widgets::big_button(&label)).clicked() {
            push(CodesCommand::NewCustom(shown));
        }
    });
}

/// The banner: the one answer, with icon, words and colour; when other schemes read the same code
/// differently, it says so and shows the safer reading.
fn banner_ui(
    ui: &mut egui::Ui,
    advice: Advice,
    reading: Option<&SafeReading>,
    entry: Option<&CodeEntry>,
    lang: Lang,
) {
    let look = theme::advice_look(advice, ui.visuals().dark_mode);
    egui::Frame::new()
        .fill(look.fill)
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(14, 10))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.add(
                egui::Label::new(
                    RichText::new(format!("{}  {}", look.icon, advice.text(lang)))
                        .size(size::BANNER)
                        .strong()
                        .color(look.text),
                )
                .wrap(),
            );
            if let (Some(reading), Some(e)) = (reading, entry)
                && reading.basis == Basis::Custom
            {
                let code = &e.code;
                let text = crate::trf!(
                    lang,
                    "Your own code {code} sets this advice for your shop (what your provider told you).",
                    "这条建议按您自己保存的代码 {code} 显示（服务商告诉您的处理方法）。"
                );
                ui.add(
                    egui::Label::new(RichText::new(text).size(size::LABEL).color(look.text)).wrap(),
                );
            } else if let Some(reading) = reading.filter(|r| r.stricter_elsewhere()) {
                // One phrase per advice, naming every scheme that gives it.
                let mut groups: Vec<(crate::Retry, Vec<&str>)> = Vec::new();
                for &(scheme, retry) in &reading.disagree {
                    match groups.iter_mut().find(|(r, _)| *r == retry) {
                        Some((_, schemes)) => schemes.push(scheme.text(lang)),
                        None => groups.push((retry, vec![scheme.text(lang)])),
                    }
                }
                let others: Vec<String> = groups
                    .iter()
                    .map(|(retry, schemes)| {
                        let schemes = schemes.join(lang.tr(", ", "、"));
                        let retry = retry.text(lang);
                        crate::trf!(lang, "{schemes}: \"{retry}\"", "{schemes}：“{retry}”")
                    })
                    .collect();
                let others = others.join(lang.tr("; ", "；"));
                let text = match (reading.basis, entry) {
                    (Basis::Preferred, Some(e)) => {
                        let scheme = e.scheme.text(lang);
                        crate::trf!(
                            lang,
                            "Your terminals show {scheme} codes, so its advice is shown. Other schemes read this code differently ({others}).",
                            "您的终端显示{scheme}代码，这里显示它的建议。其他体系对这个代码的建议不同（{others}）。"
                        )
                    }
                    _ => crate::trf!(
                        lang,
                        "Other schemes read this code differently ({others}). The safer advice is shown.",
                        "其他体系对这个代码的建议不同（{others}），这里显示更稳妥的建议。"
                    ),
                };
                ui.add(
                    egui::Label::new(RichText::new(text).size(size::LABEL).color(look.text)).wrap(),
                );
            }
        });
}

fn read(ui: &mut egui::Ui, text: impl Into<String>) {
    ui.add(egui::Label::new(RichText::new(text.into()).size(size::READ)).wrap());
}

fn section(ui: &mut egui::Ui, text: &str) {
    ui.add_space(10.0);
    ui.label(RichText::new(text).size(size::SECTION).strong());
}

#[allow(clippy::too_many_arguments)] // one card, drawn from everything it shows
pub fn card_ui(
    ui: &mut egui::Ui,
    shared: &Shared,
    e: &CodeEntry,
    view: &CodesView,
    forms: &mut Forms,
    lang: Lang,
    push: &mut impl FnMut(CodesCommand),
) {
    let book = &shared.book;
    let kind = view.selected_hit().map(|h| h.kind);
    let typed: String = view.query.trim().chars().take(64).collect();
    let reading = book.reading(e, view.shop.map(|s| s.scheme()));
    let situation = e.scheme == Scheme::Situation;
    card_scroll(ui, view, |ui| {
        match kind {
            Some(MatchKind::Unknown) => {
                ui.add(
                    egui::Label::new(
                        RichText::new(crate::trf!(
                            lang,
                            "\"{typed}\" is not in posdesk yet",
                            "posdesk 里还没有“{typed}”"
                        ))
                        .size(size::TITLE)
                        .strong(),
                    )
                    .wrap(),
                );
            }
            Some(MatchKind::OtherCode) => {
                ui.add(
                    egui::Label::new(
                        RichText::new({
                            let (scheme, code) = (e.scheme.text(lang), &e.code);
                            crate::trf!(
                                lang,
                                "No code \"{typed}\" is known. This is {scheme} {code}, a different code: make sure it is what your terminal means.",
                                "没有找到代码“{typed}”。下面是{scheme} {code}，是另一个代码：请确认与终端的意思相同。"
                            )
                        })
                        .size(size::LABEL)
                        .strong()
                        .color(ui.visuals().warn_fg_color),
                    )
                    .wrap(),
                );
            }
            _ => {}
        }
        // The unknown-code card is headed by what the clerk typed, not by the word UNKNOWN.
        // In a small window the code and its title share a line, so the banner stays in view.
        let compact = ui.available_height() < 320.0;
        if situation {
            // A situation has no code to show: a label says what kind of card this is.
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!("ⓘ {}", e.scheme.text(lang)))
                        .size(size::LABEL)
                        .strong(),
                );
                ui.label(
                    RichText::new(e.category.text(lang))
                        .size(size::SMALL)
                        .weak(),
                );
            });
            ui.add(
                egui::Label::new(
                    RichText::new(lang.pick(&e.title_en, &e.title_zh))
                        .size(if compact { size::SECTION } else { size::TITLE })
                        .strong(),
                )
                .wrap(),
            );
        } else if kind != Some(MatchKind::Unknown) && compact {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(&e.code)
                        .size(size::TITLE)
                        .strong()
                        .monospace(),
                );
                ui.label(
                    RichText::new(lang.pick(&e.title_en, &e.title_zh))
                        .size(size::SECTION)
                        .strong(),
                );
                ui.label(RichText::new(e.scheme.text(lang)).size(size::SMALL).weak());
            });
        } else if kind != Some(MatchKind::Unknown) {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(&e.code).size(size::CODE).strong().monospace());
                ui.label(RichText::new(e.scheme.text(lang)).size(size::LABEL).weak());
                ui.label(
                    RichText::new(e.category.text(lang))
                        .size(size::SMALL)
                        .weak(),
                );
            });
            ui.add(
                egui::Label::new(
                    RichText::new(lang.pick(&e.title_en, &e.title_zh))
                        .size(size::TITLE)
                        .strong(),
                )
                .wrap(),
            );
        }
        ui.add_space(if compact { 2.0 } else { 6.0 });
        banner_ui(ui, reading.advice, Some(&reading), Some(e), lang);
        repeat_ui(ui, shared, e, lang);
        if ui
            .add(
                egui::Button::new(
                    RichText::new(lang.tr("📝 Log incident (F2)", "📝 记录故障 (F2)"))
                        .size(size::LABEL),
                )
                .min_size(egui::vec2(0.0, 36.0)),
            )
            .on_hover_text(lang.tr(
                "Write down this failure in the journal, filled in from this card",
                "把这次故障记到故障记录里，按这张卡片自动填好",
            ))
            .clicked()
        {
            push(CodesCommand::LogIncident);
        }
        if kind == Some(MatchKind::Unknown) && !typed.is_empty() {
            // Right under the banner: once the provider has said what it means, one click keeps it.
            let label = crate::trf!(
                lang,
                "＋ Add \"{typed}\" as my own code",
                "＋ 把“{typed}”添加为我的代码"
            );
            if ui.add(crate::ui::widgets::big_button(&label)).clicked() {
                push(CodesCommand::NewCustom(typed.clone()));
            }
        }
        // The shop's own note ("our bank: call 95516") is often the real next step: show it up top.
        if let Some(note) = book.note(e) {
            egui::Frame::new()
                .stroke(egui::Stroke::new(2.0, ui.visuals().selection.bg_fill))
                .corner_radius(6.0)
                .inner_margin(egui::Margin::symmetric(12, 8))
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.add(
                        egui::Label::new(
                            RichText::new(format!(
                                "✏ {} {note}",
                                lang.tr("My note:", "我的备注：")
                            ))
                            .size(size::READ)
                            .strong(),
                        )
                        .wrap(),
                    );
                });
        }
        if e.vendor_specific {
            ui.add(
                egui::Label::new(
                    RichText::new(lang.tr(
                        "ⓘ The meaning of this code varies by terminal vendor or provider: confirm with yours.",
                        "ⓘ 此代码的含义因终端厂商或服务商而异，请向您的服务商确认。",
                    ))
                    .italics(),
                )
                .wrap(),
            );
        }
        let explain = lang.pick(&e.explain_en, &e.explain_zh);
        if !explain.trim().is_empty() {
            ui.add_space(6.0);
            read(ui, explain);
        }
        let steps = lang.pick_list(&e.steps_en, &e.steps_zh);
        if !steps.is_empty() {
            section(ui, lang.tr("What to do", "怎么办"));
            for (i, step) in steps.iter().enumerate() {
                read(ui, format!("{}. {step}", i + 1));
                if i == 0 {
                    query_last_link_ui(ui, book, e, &reading, lang, push);
                }
            }
        }
        let settled = matches!(e.category, Category::Approved) && e.retry == crate::Retry::Never;
        if !settled {
            section(ui, lang.tr("Who can fix it", "谁来处理"));
            let fixers: Vec<&str> = e.fixers.iter().map(|f| f.text(lang)).collect();
            ui.add(egui::Label::new(fixers.join(lang.tr(", ", "、"))).wrap());
            if e.fixers.contains(&Fixer::Provider) {
                provider_ui(ui, shared, lang, push);
            }
        }
        let causes = lang.pick_list(&e.causes_en, &e.causes_zh);
        if !causes.is_empty() {
            section(
                ui,
                if settled {
                    lang.tr("What it means", "含义")
                } else {
                    lang.tr("Likely causes", "可能原因")
                },
            );
            for cause in causes {
                ui.add(egui::Label::new(format!("• {cause}")).wrap());
            }
        }
        let says = lang.pick_list(&e.says_en, &e.says_zh);
        if !says.is_empty() {
            section(ui, lang.tr("What people say", "常见说法"));
            let quoted: Vec<String> = says
                .iter()
                .map(|s| crate::trf!(lang, "\"{s}\"", "“{s}”"))
                .collect();
            ui.add(egui::Label::new(quoted.join(lang.tr(" · ", " · "))).wrap());
        }
        if !e.source.trim().is_empty() {
            ui.add_space(6.0);
            ui.add(
                egui::Label::new(
                    RichText::new(format!("{} {}", lang.tr("Source:", "来源："), e.source))
                        .small()
                        .weak(),
                )
                .wrap(),
            );
        }
        ui.add_space(14.0);
        ui.separator();
        note_ui(ui, book, e, view, forms, lang, push);
        if e.scheme == Scheme::Custom {
            ui.add_space(10.0);
            ui.horizontal_wrapped(|ui| {
                if ui
                    .button(lang.tr("✏ Edit my code", "✏ 编辑我的代码"))
                    .clicked()
                {
                    push(CodesCommand::EditCustom(e.code.clone()));
                }
                // No "really delete?" under the pointer: the delete happens, and the status line
                // offers Undo.
                if ui.button(lang.tr("🗑 Delete", "🗑 删除")).clicked() {
                    push(CodesCommand::DeleteCustom(e.code.clone()));
                }
            });
        } else {
            ui.add_space(6.0);
            ui.add(
                egui::Label::new(
                    RichText::new(lang.tr(
                        "This text comes with posdesk and cannot be changed; add your own note above.",
                        "这段说明随 posdesk 提供，不能修改；可以在上方添加自己的备注。",
                    ))
                    .small()
                    .weak(),
                )
                .wrap(),
            );
        }
    });
}

/// The situation card that says how to check the last transaction, which step 1 of every check-first
/// card asks for: one click opens it.
pub const QUERY_LAST_TXN: &str = "QUERY_LAST_TXN";

fn query_last_link_ui(
    ui: &mut egui::Ui,
    book: &Codebook,
    e: &CodeEntry,
    reading: &SafeReading,
    lang: Lang,
    push: &mut impl FnMut(CodesCommand),
) {
    let check_first = reading.advice == Advice::CheckFirst || e.retry == Retry::CheckFirst;
    if !check_first || (e.scheme == Scheme::Situation && e.code == QUERY_LAST_TXN) {
        return;
    }
    let Some(how) = book.situation(QUERY_LAST_TXN) else {
        return;
    };
    let title = lang.pick(&how.title_en, &how.title_zh);
    let text = crate::trf!(lang, "→ How: {title}", "→ 怎么做：{title}");
    if ui
        .link(RichText::new(text).size(size::LABEL))
        .on_hover_text(lang.tr(
            "Open the card that says how to check the last transaction and reprint",
            "打开说明如何查询末笔交易和重打小票的卡片",
        ))
        .clicked()
    {
        push(CodesCommand::OpenSituation(QUERY_LAST_TXN.to_string()));
    }
}

/// The same code on the same terminal 3 or more times in 14 days: say so, and name that terminal's
/// overdue maintenance (a dirty reader or old firmware is often why the failure repeats).
fn repeat_ui(ui: &mut egui::Ui, shared: &Shared, e: &CodeEntry, lang: Lang) {
    let key = e.key();
    for alert in shared.repeats.iter().filter(|a| a.code_key == key) {
        let terminal = &alert.terminal;
        let times = alert.hit.count;
        let mut text = crate::trf!(
            lang,
            "{key} has happened {times} times on {terminal} in the last 14 days.",
            "{terminal} 在最近 14 天里出现 {key} 已有 {times} 次。"
        );
        let overdue: Vec<&str> = shared
            .overdue
            .iter()
            .filter(|i| &i.terminal_name == terminal)
            .map(|i| lang.pick(&i.task.title_en, &i.task.title_zh))
            .collect();
        if !overdue.is_empty() {
            let tasks = overdue.join(lang.tr("; ", "；"));
            text.push(' ');
            text.push_str(&crate::trf!(
                lang,
                "Overdue maintenance on it: {tasks}.",
                "它的维护已逾期：{tasks}。"
            ));
        }
        widgets::warn_frame(ui, |ui| {
            ui.add(
                egui::Label::new(
                    RichText::new(format!("↻ {text}"))
                        .size(size::LABEL)
                        .strong(),
                )
                .wrap(),
            );
        });
    }
}

/// Who the provider is, for the terminal the clerk is at: its name and support phone, and a choice of
/// another terminal. Nothing shows until the shop has entered a terminal.
fn provider_ui(
    ui: &mut egui::Ui,
    shared: &Shared,
    lang: Lang,
    push: &mut impl FnMut(CodesCommand),
) {
    if shared.terminals.is_empty() {
        return;
    }
    let current = shared.current_terminal();
    egui::Frame::new()
        .stroke(egui::Stroke::new(1.0, ui.visuals().weak_text_color()))
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(12, 6))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                let label = ui.label(RichText::new(lang.tr("Terminal:", "终端：")).strong());
                let shown = current
                    .map(|t| t.info.name.as_str())
                    .unwrap_or(lang.tr("choose…", "请选择…"));
                egui::ComboBox::from_id_salt("card_terminal")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        for t in &shared.terminals {
                            let on = current.is_some_and(|c| c.id == t.id);
                            if ui.selectable_label(on, &t.info.name).clicked() {
                                push(CodesCommand::UseTerminal(t.id));
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
            if let Some(t) = current {
                let provider = if t.info.provider.trim().is_empty() {
                    lang.tr("(provider not entered)", "（未填写服务商）")
                } else {
                    t.info.provider.as_str()
                };
                let phone = t.info.support_phone.trim();
                ui.add(
                    egui::Label::new(
                        RichText::new(if phone.is_empty() {
                            provider.to_string()
                        } else {
                            format!("{provider} · {} {phone}", lang.tr("Phone", "电话"))
                        })
                        .size(size::READ)
                        .strong(),
                    )
                    .wrap(),
                );
            }
        });
}

fn note_ui(
    ui: &mut egui::Ui,
    book: &Codebook,
    e: &CodeEntry,
    view: &CodesView,
    forms: &mut Forms,
    lang: Lang,
    push: &mut impl FnMut(CodesCommand),
) {
    let stored = book.note(e).map(str::to_string);
    let draft = forms
        .notes
        .entry((e.scheme, e.key()))
        .or_insert_with(|| NoteDraft {
            base: stored.clone(),
            text: stored.clone().unwrap_or_default(),
        });
    // Nothing typed yet but the stored note changed (saved, imported): show the stored one.
    if !draft.is_changed() && draft.base != stored {
        *draft = NoteDraft {
            base: stored.clone(),
            text: stored.clone().unwrap_or_default(),
        };
    }
    let changed = draft.is_changed();
    let label = ui
        .horizontal_wrapped(|ui| {
            let label = ui.label(
                RichText::new(lang.tr("My note", "我的备注"))
                    .size(size::LABEL)
                    .strong(),
            );
            if changed {
                ui.label(
                    RichText::new(lang.tr("● not saved yet", "● 尚未保存"))
                        .color(ui.visuals().warn_fg_color),
                );
            }
            label
        })
        .inner;
    ui.add(
        egui::TextEdit::multiline(&mut draft.text)
            .char_limit(crate::ui::widgets::NOTE_CHARS)
            .id(egui::Id::unique(("note", e.scheme, e.key())))
            .hint_text(lang.tr("e.g. our bank: call 95516", "例如：我们的银行请打 95516"))
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(changed, egui::Button::new(lang.tr("Save note", "保存备注")))
            .clicked()
        {
            push(CodesCommand::SaveNote {
                scheme: e.scheme,
                code: e.code.clone(),
            });
        }
        if changed && ui.button(lang.tr("Discard changes", "放弃修改")).clicked() {
            push(CodesCommand::DiscardNote {
                scheme: e.scheme,
                code: e.code.clone(),
            });
        }
    });
    if let Some(clash) = &view.note_clash
        && clash.scheme == e.scheme
        && crate::domain::code::normalize_code(&clash.code) == e.key()
    {
        let theirs = clash.theirs.as_deref().unwrap_or("");
        let text = crate::trf!(
            lang,
            "Another posdesk window changed this note meanwhile. Its note: \"{theirs}\". Which one should stay?",
            "另一个 posdesk 窗口刚才改了这条备注，它的内容是：“{theirs}”。保留哪一个？"
        );
        widgets::question_ui(ui, &text, |ui| {
            if ui.button(lang.tr("Keep mine", "保留我的")).clicked() {
                push(CodesCommand::ResolveNote { keep_mine: true });
            }
            if ui
                .button(lang.tr("Use the other one", "用另一个"))
                .clicked()
            {
                push(CodesCommand::ResolveNote { keep_mine: false });
            }
        });
    }
}
