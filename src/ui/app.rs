//! The one place that changes state: screens draw and push `Command`s, `PosdeskApp::handle` applies them
//! through the library and refreshes what the screens show.

use super::codes::{self, CodesView};
use super::editor::EditorState;
use super::i18n::Lang;
use super::jobs::{JobResult, Jobs};
use super::{fonts, theme};
use crate::codebook::Codebook;
use crate::domain::code::Scheme;
use crate::store::Store;
use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Most search results listed; a clerk never scrolls past the first screenful.
pub const RESULT_LIMIT: usize = 200;

/// UI preferences kept by eframe between runs. Business data never goes here: it lives in SQLite.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub lang: Lang,
    pub zoom: f32,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            lang: Lang::from_system(),
            zoom: 1.0,
        }
    }
}

/// The screens of the top bar. Only screens that work are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Codes,
}

/// A message at the bottom of the window: what just happened, in the clerk's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub is_error: bool,
}

/// Everything a screen can ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// The search text changed: search again.
    Search,
    /// Empty the search box and put the cursor back in it.
    ClearSearch,
    SetLang(Lang),
    Zoom(f32),
    /// Open the form for a new code of the user's own, with this code filled in.
    NewCustom(String),
    EditCustom(String),
    CancelEdit,
    SaveCustom,
    DeleteCustom(String),
    SaveNote {
        scheme: Scheme,
        code: String,
    },
    ImportCodes(Option<PathBuf>),
    ExportCodes(Option<PathBuf>),
}

pub struct PosdeskApp {
    store: Store,
    book: Codebook,
    pub prefs: Prefs,
    pub screen: Screen,
    pub codes: CodesView,
    pub status: Option<Status>,
    commands: Vec<Command>,
    jobs: Jobs,
    /// When the process started, to report launch-to-first-frame time (`POSDESK_STARTUP_TIMING=1`).
    started: Option<std::time::Instant>,
}

impl PosdeskApp {
    pub fn new(
        ctx: &egui::Context,
        store: Store,
        prefs: Prefs,
    ) -> Result<PosdeskApp, crate::store::StoreError> {
        fonts::install(ctx);
        theme::apply(ctx);
        ctx.set_zoom_factor(prefs.zoom.clamp(theme::MIN_ZOOM, theme::MAX_ZOOM));
        let book = Codebook::load(&store)?;
        Ok(PosdeskApp {
            store,
            book,
            prefs,
            screen: Screen::Codes,
            codes: CodesView::new(),
            status: None,
            commands: Vec::new(),
            jobs: Jobs::default(),
            started: None,
        })
    }

    /// Report on standard error how long the first frame took from `started`, when the environment
    /// variable `POSDESK_STARTUP_TIMING` is set; with `POSDESK_STARTUP_TIMING=exit` the app then closes
    /// (for measuring launch time from a script).
    pub fn report_startup_from(&mut self, started: std::time::Instant) {
        if std::env::var_os("POSDESK_STARTUP_TIMING").is_some() {
            self.started = Some(started);
        }
    }

    /// Ask for a command to be applied at the next frame, as if a screen had asked.
    pub fn queue(&mut self, command: Command) {
        self.commands.push(command);
    }

    pub fn book(&self) -> &Codebook {
        &self.book
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    fn lang(&self) -> Lang {
        self.prefs.lang
    }

    fn say(&mut self, text: String, is_error: bool) {
        self.status = Some(Status { text, is_error });
    }

    /// Apply one command. Errors become a status line the clerk can act on; nothing fails silently.
    pub fn handle(&mut self, ctx: &egui::Context, command: Command) {
        let lang = self.lang();
        match command {
            Command::Search => self.codes.refresh(&self.book),
            Command::ClearSearch => {
                self.codes.query.clear();
                self.codes.editor = None;
                self.codes.refresh(&self.book);
                self.codes.focus_search = true;
            }
            Command::SetLang(l) => self.prefs.lang = l,
            Command::Zoom(z) => {
                let z = (z * 10.0).round() / 10.0;
                ctx.set_zoom_factor(z.clamp(theme::MIN_ZOOM, theme::MAX_ZOOM));
            }
            Command::NewCustom(code) => self.codes.editor = Some(EditorState::new(&code)),
            Command::EditCustom(code) => {
                if let Some(e) = self.book.find(&code, Some(Scheme::Custom)).first() {
                    self.codes.editor = Some(EditorState::from_entry(e));
                }
            }
            Command::CancelEdit => self.codes.editor = None,
            Command::SaveCustom => {
                let Some(editor) = self.codes.editor.as_mut() else {
                    return;
                };
                let previous = editor.original_code.clone();
                let saved = editor.to_entry().and_then(|entry| {
                    self.store
                        .save_custom(&entry, previous.as_deref())
                        .map(|()| entry)
                        .map_err(|e| e.to_string())
                });
                match saved {
                    Ok(entry) => {
                        self.codes.editor = None;
                        self.codes.query = entry.code.clone();
                        self.reload();
                        self.codes.refresh(&self.book);
                        self.say(
                            format!(
                                "{} {}",
                                lang.tr("Saved your code", "已保存您的代码"),
                                entry.code
                            ),
                            false,
                        );
                    }
                    Err(e) => {
                        editor.error = Some(format!("{} {e}", lang.tr("Not saved:", "未保存：")));
                    }
                }
            }
            Command::DeleteCustom(code) => match self.store.delete_custom(&code) {
                Ok(_) => {
                    self.codes.confirm_delete = None;
                    self.reload();
                    self.say(
                        format!("{} {code}", lang.tr("Deleted your code", "已删除您的代码")),
                        false,
                    );
                }
                Err(e) => self.say(format!("{} {e}", lang.tr("Not deleted:", "未删除：")), true),
            },
            Command::SaveNote { scheme, code } => {
                let text = self.codes.note_draft.clone();
                match self.store.set_note(scheme, &code, &text) {
                    Ok(()) => {
                        self.reload();
                        self.say(
                            if text.trim().is_empty() {
                                lang.tr("Note removed.", "备注已删除。").to_string()
                            } else {
                                lang.tr("Note saved.", "备注已保存。").to_string()
                            },
                            false,
                        );
                    }
                    Err(e) => self.say(
                        format!("{} {e}", lang.tr("Note not saved:", "备注未保存：")),
                        true,
                    ),
                }
            }
            Command::ImportCodes(path) => {
                if !self.jobs.is_busy() {
                    self.jobs.read_codes(ctx, path, lang);
                }
            }
            Command::ExportCodes(path) => match self.store.custom_codes() {
                Ok(entries) if entries.is_empty() => self.say(
                    lang.tr(
                        "You have no codes of your own to export yet.",
                        "您还没有自己的代码可导出。",
                    )
                    .into(),
                    true,
                ),
                Ok(entries) => {
                    if !self.jobs.is_busy() {
                        self.jobs.write_codes(ctx, path, entries, lang);
                    }
                }
                Err(e) => self.say(e.to_string(), true),
            },
        }
    }

    /// Apply what background jobs finished: a checked file is stored in one transaction here.
    fn finish_jobs(&mut self) {
        let lang = self.lang();
        for result in self.jobs.finished() {
            match result {
                JobResult::Read(read) => {
                    let imported = read.and_then(|entries| {
                        self.store
                            .import_custom(&entries)
                            .map_err(|e| e.to_string())
                    });
                    match imported {
                        Ok(s) => {
                            self.reload();
                            self.say(
                                match lang {
                                    Lang::En => {
                                        format!("Imported: {} new, {} updated.", s.added, s.updated)
                                    }
                                    Lang::Zh => {
                                        format!(
                                            "导入完成：新增 {} 个，更新 {} 个。",
                                            s.added, s.updated
                                        )
                                    }
                                },
                                false,
                            );
                        }
                        Err(e) => self.say(
                            format!(
                                "{} {e}",
                                lang.tr(
                                    "Import failed, nothing was changed:",
                                    "导入失败，没有任何更改："
                                )
                            ),
                            true,
                        ),
                    }
                }
                JobResult::Written(Ok((n, path))) => self.say(
                    format!(
                        "{} {n} → {}",
                        lang.tr("Exported codes:", "已导出代码："),
                        path.display()
                    ),
                    false,
                ),
                JobResult::Written(Err(e)) => self.say(
                    format!("{} {e}", lang.tr("Export failed:", "导出失败：")),
                    true,
                ),
                JobResult::Cancelled => {}
            }
        }
    }

    /// Rebuild the view of the codes from the store after a write.
    fn reload(&mut self) {
        match Codebook::load(&self.store) {
            Ok(book) => {
                self.codes.refresh_keeping_selection(&self.book, &book);
                self.book = book;
            }
            Err(e) => self.say(e.to_string(), true),
        }
    }

    /// Keys that work everywhere: Ctrl+F or `/` to search, Esc to clear, Ctrl+plus/minus for text size
    /// (egui's own zoom keys; the factor is saved with the preferences).
    fn shortcuts(&mut self, ctx: &egui::Context) {
        let typing_elsewhere = ctx
            .memory(|m| m.focused())
            .is_some_and(|id| id != codes::search_id());
        let (find, slash, escape) = ctx.input_mut(|i| {
            (
                i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::F)),
                !typing_elsewhere && i.consume_key(Modifiers::NONE, Key::Slash),
                i.consume_key(Modifiers::NONE, Key::Escape),
            )
        });
        if find || slash {
            self.codes.focus_search = true;
        }
        if escape {
            if self.codes.editor.is_some() {
                self.commands.push(Command::CancelEdit);
            } else {
                self.commands.push(Command::ClearSearch);
            }
        }
    }

    /// One frame of the whole window.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.finish_jobs();
        self.shortcuts(&ctx);
        let lang = self.lang();
        let mut out = std::mem::take(&mut self.commands);
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("posdesk");
                ui.separator();
                ui.selectable_value(
                    &mut self.screen,
                    Screen::Codes,
                    lang.tr("Codes", "代码查询"),
                );
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .button(lang.switch_label())
                        .on_hover_text(lang.tr("Switch language", "切换语言"))
                        .clicked()
                    {
                        out.push(Command::SetLang(lang.other()));
                    }
                    let zoom = ctx.zoom_factor();
                    if ui
                        .button("A+")
                        .on_hover_text(lang.tr("Larger text (Ctrl +)", "放大文字 (Ctrl +)"))
                        .clicked()
                    {
                        out.push(Command::Zoom(zoom + theme::ZOOM_STEP));
                    }
                    if ui
                        .button("A−")
                        .on_hover_text(lang.tr("Smaller text (Ctrl −)", "缩小文字 (Ctrl −)"))
                        .clicked()
                    {
                        out.push(Command::Zoom(zoom - theme::ZOOM_STEP));
                    }
                });
            });
        });
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            ui.horizontal(|ui| match &self.status {
                // No spinner: it would repaint without end while a file dialog waits for the clerk.
                _ if self.jobs.is_busy() => {
                    ui.label(lang.tr("Working…", "处理中…"));
                }
                Some(s) if s.is_error => {
                    ui.colored_label(ui.visuals().error_fg_color, format!("⚠ {}", s.text));
                }
                Some(s) => {
                    ui.label(format!("✔ {}", s.text));
                }
                None => {
                    ui.label(match lang {
                        Lang::En => format!("{} codes · offline", self.book.len()),
                        Lang::Zh => format!("共 {} 个代码 · 离线可用", self.book.len()),
                    });
                }
            });
        });
        match self.screen {
            Screen::Codes => codes::codes_ui(ui, &self.book, &mut self.codes, lang, &mut out),
        }
        if !out.is_empty() {
            // What the commands changed shows in the next frame; ask for exactly one.
            ctx.request_repaint();
        }
        for command in out {
            self.handle(&ctx, command);
        }
        self.prefs.zoom = ctx.zoom_factor();
        if let Some(started) = self.started.take() {
            eprintln!("posdesk: first frame after {:?}", started.elapsed());
            if std::env::var("POSDESK_STARTUP_TIMING").is_ok_and(|v| v == "exit") {
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }
}

impl eframe::App for PosdeskApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
    }
}
