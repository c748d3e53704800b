//! The Codes screen: search box, results, and the card of the chosen code (or, when nothing matches,
//! the general ladder and "add as my own code"). `CodesState::handle` is the only place that changes
//! it; the drawing functions read `CodesView` and edit only the text of open forms (`Forms`).

mod card;
pub mod editor;
mod files;
mod results;

use super::command::{
    CodesCommand, JournalCommand, MaintenanceCommand, NewIncident, Route, ShellCommand, ShopScheme,
};
use super::jobs::Jobs;
use super::services::Services;
use crate::codebook::Codebook;
use crate::domain::code::{CodeEntry, Scheme, normalize_code};
use crate::domain::scan::ScanCode;
use crate::domain::search::{Hit, SearchOptions};
use crate::i18n::{Explain, Lang, Msg};
use crate::store::{CodesError, Deleted, StoreError};
use editor::EditorState;
use eframe::egui;
use files::FileJob;
use std::collections::HashMap;

/// Most search results listed; a clerk never scrolls past the first screenful.
pub const RESULT_LIMIT: usize = 200;

/// The search box's id, so the shell can tell whether the clerk is typing in it.
pub fn search_id() -> egui::Id {
    egui::Id::unique("code_search")
}

/// A note being typed, with the stored note it started from (to notice another window's change).
#[derive(Debug, Clone, PartialEq)]
pub struct NoteDraft {
    pub base: Option<String>,
    pub text: String,
}

impl NoteDraft {
    pub fn is_changed(&self) -> bool {
        self.text.trim() != self.base.as_deref().unwrap_or("").trim()
    }
}

/// Another window saved a different note while this one was typing.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteClash {
    pub scheme: Scheme,
    pub code: String,
    pub theirs: Option<String>,
}

/// What the screen shows; drawn from, changed only by `handle`.
#[derive(Debug, Default)]
pub struct CodesView {
    pub query: String,
    pub results: Vec<Hit>,
    pub selected: usize,
    /// Bumped whenever a new card is chosen, so the card scrolls back to its top.
    pub card_generation: u64,
    /// When Enter last opened the card (egui time), to mark it for a moment.
    pub opened_at: Option<f64>,
    pub shop: Option<ShopScheme>,
    /// The form asks "discard your changes?".
    pub ask_discard: bool,
    /// The form asks "you already have this code: replace it?".
    pub ask_replace: Option<String>,
    pub note_clash: Option<NoteClash>,
}

/// Text the clerk is typing into forms: the only state drawing code may change.
#[derive(Debug, Default)]
pub struct Forms {
    pub editor: Option<EditorState>,
    pub notes: HashMap<(Scheme, String), NoteDraft>,
}

pub struct CodesState {
    pub view: CodesView,
    pub forms: Forms,
    last_deleted: Option<Deleted>,
    jobs: Jobs<FileJob>,
}

impl CodesState {
    pub fn new(shop: Option<ShopScheme>) -> CodesState {
        CodesState {
            view: CodesView {
                shop,
                ..CodesView::default()
            },
            forms: Forms::default(),
            last_deleted: None,
            jobs: Jobs::default(),
        }
    }

    pub fn shop(&self, lang: Lang) -> ShopScheme {
        self.view.shop.unwrap_or(ShopScheme::for_lang(lang))
    }

    pub fn busy(&self) -> bool {
        self.jobs.running() > 0
    }

    pub fn selected_entry<'a>(&self, book: &'a Codebook) -> Option<&'a CodeEntry> {
        self.view.selected_entry(book)
    }

    /// Search again for the current text; the best match is chosen.
    pub fn refresh(&mut self, book: &Codebook, lang: Lang) {
        self.view.results = book.search_hits(
            &self.view.query,
            &SearchOptions {
                limit: RESULT_LIMIT,
                prefer: Some(self.shop(lang).scheme()),
            },
        );
        self.view.selected = 0;
        self.view.card_generation += 1;
    }

    /// Search again after the codes changed, keeping the same code chosen where it still matches.
    fn refresh_keeping(&mut self, old: Option<(Scheme, String)>, book: &Codebook, lang: Lang) {
        let generation = self.view.card_generation;
        self.refresh(book, lang);
        if let Some(keep) = old
            && let Some(row) = self.view.results.iter().position(|h| {
                book.entries()
                    .get(h.doc)
                    .is_some_and(|e| (e.scheme, e.key()) == keep)
            })
        {
            self.view.selected = row;
            self.view.card_generation = generation;
        }
    }

    /// Results that background jobs finished: a checked file is stored here, in one transaction.
    pub fn finish_jobs(&mut self, sv: &mut Services<'_>) {
        for job in self.jobs.finished() {
            files::apply(job, sv);
            let keep = self
                .view
                .selected_entry(sv.book)
                .map(|e| (e.scheme, e.key()));
            self.refresh_keeping(keep, sv.book, sv.lang);
        }
    }

    /// Read the codes again (another posdesk window may have changed them), keeping the chosen code.
    pub fn reload(&mut self, sv: &mut Services<'_>) {
        let keep = self
            .view
            .selected_entry(sv.book)
            .map(|e| (e.scheme, e.key()));
        sv.reload_book();
        self.refresh_keeping(keep, sv.book, sv.lang);
    }

    /// Take `book` (read on a worker) in place of the codebook, searching again and keeping the chosen
    /// code chosen where it is still found.
    pub fn replace_book(&mut self, book: Codebook, sv: &mut Services<'_>) {
        let keep = self
            .view
            .selected_entry(sv.book)
            .map(|e| (e.scheme, e.key()));
        *sv.book = book;
        self.refresh_keeping(keep, sv.book, sv.lang);
    }

    /// Does a form hold typing that would be lost?
    pub fn has_unsaved_work(&self) -> bool {
        self.forms.editor.as_ref().is_some_and(|e| e.is_changed())
            || self.forms.notes.values().any(NoteDraft::is_changed)
    }

    /// Apply one command. Errors become a status line the clerk can act on; nothing fails silently.
    pub fn handle(&mut self, command: CodesCommand, sv: &mut Services<'_>) {
        let lang = sv.lang;
        // After any action the cursor goes back to the search box, so the next keys typed are a
        // search; only commands that open a form, or that keep one open, leave it elsewhere. After an
        // action (Enter, a row click, a save) the old query is selected too, so the next code typed
        // replaces it (`51`, Enter, `05` searches 05, not 5105); typing and arrow keys keep it as is.
        let mut focus_search = true;
        let select_query = !matches!(
            command,
            CodesCommand::SetQuery(_)
                | CodesCommand::Move(_)
                | CodesCommand::FocusSearch { .. }
                | CodesCommand::ClearSearch
        );
        match command {
            CodesCommand::SetQuery(query) => {
                self.view.query = query;
                self.refresh(sv.book, lang);
            }
            CodesCommand::ClearSearch => {
                self.view.query.clear();
                self.refresh(sv.book, lang);
            }
            CodesCommand::FocusSearch { select_all } => {
                if select_all {
                    select_all_in_search(sv.egui, &self.view.query);
                }
            }
            CodesCommand::Select(row) => {
                if row < self.view.results.len() {
                    self.view.selected = row;
                    self.view.card_generation += 1;
                }
                if self.forms.editor.is_some() {
                    focus_search = self.leave_editor();
                }
            }
            CodesCommand::Move(delta) => {
                let last = self.view.results.len().saturating_sub(1);
                let row = self.view.selected.saturating_add_signed(delta).min(last);
                if row != self.view.selected {
                    self.view.selected = row;
                    self.view.card_generation += 1;
                }
            }
            CodesCommand::Open => {
                // A till scanner types a printed checklist line's code and Enter: that is not a
                // search, it is a task done.
                if let Some(code) = ScanCode::parse(&self.view.query) {
                    sv.send(MaintenanceCommand::Scanned(code));
                    self.view.query.clear();
                    self.refresh(sv.book, lang);
                } else {
                    self.view.card_generation += 1;
                    self.view.opened_at = Some(sv.egui.input(|i| i.time));
                }
            }
            CodesCommand::LogIncident => {
                // From the card: the code, its scheme and fix steps, and the terminal in use.
                let terminal = sv
                    .last_terminal
                    .and_then(|id| sv.terminals.iter().find(|t| t.id == id))
                    .map(|t| t.info.name.clone());
                let entry = self.view.selected_entry(sv.book);
                let typed = self.view.query.trim().to_string();
                // A sentence typed or pasted into the search ("the customer says they were charged")
                // is what happened, not a code: it goes to the form's note, whatever it matched.
                let (typed, said) = if looks_like_sentence(&typed) {
                    (String::new(), typed)
                } else {
                    (typed, String::new())
                };
                let mut prefill = match entry {
                    // A code posdesk does not know is logged as typed, to be collected as unknown.
                    Some(e) if e.scheme == Scheme::Terminal && e.code == "UNKNOWN" => NewIncident {
                        code: (!typed.is_empty()).then_some(typed),
                        terminal,
                        steps: lang.pick_list(&e.steps_en, &e.steps_zh).to_vec(),
                        ..NewIncident::default()
                    },
                    Some(e) => NewIncident {
                        code: Some(e.code.clone()),
                        scheme: Some(e.scheme),
                        terminal,
                        steps: lang.pick_list(&e.steps_en, &e.steps_zh).to_vec(),
                        symptom: String::new(),
                    },
                    None => NewIncident {
                        code: (!typed.is_empty()).then_some(typed),
                        terminal,
                        ..NewIncident::default()
                    },
                };
                if !said.is_empty() {
                    prefill.symptom = said;
                }
                sv.send(ShellCommand::Go(Route::Journal));
                sv.send(JournalCommand::New(Box::new(prefill)));
                focus_search = false;
            }
            CodesCommand::UseTerminal(id) => {
                if let Some(store) = sv.writable() {
                    match store.set_last_used_terminal(id) {
                        Ok(()) => sv.reload_terminals(),
                        Err(e) => sv.warn(e.explain()),
                    }
                }
            }
            CodesCommand::SetShopScheme(shop) => {
                // Re-rank: the shop's scheme now leads, so its entry becomes the chosen one.
                self.view.shop = Some(shop);
                self.refresh(sv.book, lang);
            }
            CodesCommand::Escape { in_field } => {
                if self.forms.editor.is_some() {
                    focus_search = self.leave_editor();
                } else if self.view.note_clash.is_some() {
                    // The clash question stays until answered: either answer keeps a note.
                    focus_search = false;
                } else if in_field {
                    // Esc in the note box: leave it for the search; the typed note stays, marked
                    // unsaved.
                } else {
                    self.view.query.clear();
                    self.refresh(sv.book, lang);
                }
            }
            CodesCommand::OpenSituation(slug) => {
                // The slug is an exact code, so the situation comes first and is chosen.
                self.view.query = slug;
                self.refresh(sv.book, lang);
                self.view.opened_at = Some(sv.egui.input(|i| i.time));
            }
            CodesCommand::NewCustom(code) => {
                self.forms.editor = Some(EditorState::new(&code));
                self.view.ask_discard = false;
                self.view.ask_replace = None;
                focus_search = false;
            }
            CodesCommand::EditCustom(code) => {
                if let Some(e) = sv.book.find(&code, Some(Scheme::Custom), None).first() {
                    self.forms.editor = Some(EditorState::from_entry(e));
                    self.view.ask_discard = false;
                    self.view.ask_replace = None;
                }
                focus_search = false;
            }
            CodesCommand::CloseEditor { discard } => {
                if discard || !self.forms.editor.as_ref().is_some_and(|e| e.is_changed()) {
                    self.forms.editor = None;
                    self.view.ask_discard = false;
                    self.view.ask_replace = None;
                } else {
                    self.view.ask_discard = true;
                    focus_search = false;
                }
            }
            CodesCommand::KeepEditing => {
                self.view.ask_discard = false;
                self.view.ask_replace = None;
                focus_search = false;
            }
            CodesCommand::SaveCustom { replace } => {
                focus_search = self.save_custom(replace, sv);
            }
            CodesCommand::DeleteCustom(code) => self.delete_custom(&code, sv),
            CodesCommand::SaveNote { scheme, code } => self.save_note(scheme, &code, None, sv),
            CodesCommand::DiscardNote { scheme, code } => {
                self.forms.notes.remove(&(scheme, normalize_code(&code)));
            }
            CodesCommand::ResolveNote { keep_mine } => {
                if let Some(clash) = self.view.note_clash.take() {
                    let id = (clash.scheme, normalize_code(&clash.code));
                    if keep_mine {
                        self.save_note(clash.scheme, &clash.code, Some(clash.theirs), sv);
                    } else {
                        self.forms.notes.remove(&id);
                        sv.reload_book();
                    }
                }
            }
            CodesCommand::ImportCodes(path) => {
                if self.busy() {
                    sv.warn(Msg::new(
                        "A file is still being read or written; try again when it is done.",
                        "还有文件正在读写，完成后再试。",
                    ));
                } else if sv.writable().is_some() {
                    files::import(&mut self.jobs, sv, path);
                }
            }
            CodesCommand::ExportCodes(path) => {
                if self.busy() {
                    sv.warn(Msg::new(
                        "A file is still being read or written; try again when it is done.",
                        "还有文件正在读写，完成后再试。",
                    ));
                } else {
                    files::export(&mut self.jobs, sv, path);
                }
            }
        }
        if focus_search {
            sv.egui.memory_mut(|m| m.request_focus(search_id()));
            if select_query {
                select_all_in_search(sv.egui, &self.view.query);
            }
        }
    }

    /// Close the form if nothing typed would be lost, else ask. Returns whether the form closed.
    fn leave_editor(&mut self) -> bool {
        if self.forms.editor.as_ref().is_some_and(|e| e.is_changed()) {
            self.view.ask_discard = true;
            false
        } else {
            self.forms.editor = None;
            self.view.ask_discard = false;
            self.view.ask_replace = None;
            true
        }
    }

    /// Returns whether the form closed (and the cursor may go back to the search).
    fn save_custom(&mut self, replace: bool, sv: &mut Services<'_>) -> bool {
        let Some(form) = self.forms.editor.as_mut() else {
            return true;
        };
        let entry = match form.to_entry() {
            Ok(entry) => entry,
            Err(e) => {
                form.error = Some(Msg::new("Not saved:", "未保存：").with(&e.explain()));
                return false;
            }
        };
        let previous = form.original_code.clone();
        let Some(store) = sv.writable() else {
            return false;
        };
        match store.save_custom(&entry, previous.as_deref(), replace) {
            Ok(()) => {
                self.forms.editor = None;
                self.view.ask_discard = false;
                self.view.ask_replace = None;
                sv.reload_book();
                self.view.query = entry.code.clone();
                self.refresh_keeping(Some((Scheme::Custom, entry.key())), sv.book, sv.lang);
                sv.say(Msg::new(
                    format!("Saved your code {}.", entry.code),
                    format!("已保存您的代码 {}。", entry.code),
                ));
                true
            }
            Err(StoreError::Codes(CodesError::Exists(code))) => {
                self.view.ask_replace = Some(code);
                false
            }
            Err(e) => {
                form.error = Some(Msg::new("Not saved:", "未保存：").with(&e.explain()));
                false
            }
        }
    }

    fn delete_custom(&mut self, code: &str, sv: &mut Services<'_>) {
        let Some(store) = sv.writable() else {
            return;
        };
        match store.delete_custom(code) {
            Ok(Some(deleted)) => {
                let keep = self
                    .view
                    .selected_entry(sv.book)
                    .map(|e| (e.scheme, e.key()));
                sv.reload_book();
                self.refresh_keeping(keep, sv.book, sv.lang);
                let code = deleted.entry.code.clone();
                self.last_deleted = Some(deleted);
                sv.say_with_undo(
                    Msg::new(
                        format!("Deleted your code {code}."),
                        format!("已删除您的代码 {code}。"),
                    ),
                    super::command::ShellCommand::Undo.into(),
                );
            }
            Ok(None) => sv.warn(Msg::new(
                format!("Your code {code} was already gone."),
                format!("您的代码 {code} 已经不存在。"),
            )),
            Err(e) => sv.warn(Msg::new("Not deleted:", "未删除：").with(&e.explain())),
        }
    }

    /// Undo the last delete, if there is one to undo.
    pub fn undo(&mut self, sv: &mut Services<'_>) {
        let Some(deleted) = self.last_deleted.take() else {
            return;
        };
        let Some(store) = sv.writable() else {
            self.last_deleted = Some(deleted);
            return;
        };
        match store.undo_delete(&deleted) {
            Ok(()) => {
                sv.reload_book();
                let code = deleted.entry.code.clone();
                self.view.query = code.clone();
                self.refresh_keeping(
                    Some((Scheme::Custom, deleted.entry.key())),
                    sv.book,
                    sv.lang,
                );
                sv.say(Msg::new(
                    format!("Your code {code} is back."),
                    format!("您的代码 {code} 已恢复。"),
                ));
            }
            Err(e) => sv.warn(Msg::new("Could not undo:", "无法撤销：").with(&e.explain())),
        }
        sv.egui.memory_mut(|m| m.request_focus(search_id()));
    }

    /// Save the typed note. `over` is the note another window saved, when the clerk chose to keep
    /// theirs over it; otherwise the note must still be what it was when typing began.
    fn save_note(
        &mut self,
        scheme: Scheme,
        code: &str,
        over: Option<Option<String>>,
        sv: &mut Services<'_>,
    ) {
        let id = (scheme, normalize_code(code));
        let Some(draft) = self.forms.notes.get(&id).cloned() else {
            return;
        };
        let base = match &over {
            Some(theirs) => theirs.clone(),
            None => draft.base.clone(),
        };
        let Some(store) = sv.writable() else {
            return;
        };
        match store.set_note_if(scheme, code, base.as_deref(), &draft.text) {
            Ok(()) => {
                self.forms.notes.remove(&id);
                self.view.note_clash = None;
                sv.reload_book();
                let keep = Some(id);
                self.refresh_keeping(keep, sv.book, sv.lang);
                sv.say(if draft.text.trim().is_empty() {
                    Msg::new(
                        format!("Note on {code} removed."),
                        format!("已删除 {code} 的备注。"),
                    )
                } else {
                    Msg::new(
                        format!("Note on {code} saved."),
                        format!("已保存 {code} 的备注。"),
                    )
                });
            }
            Err(StoreError::Codes(CodesError::NoteChanged { current })) => {
                self.view.note_clash = Some(NoteClash {
                    scheme,
                    code: code.to_string(),
                    theirs: current,
                });
                sv.warn(StoreError::Codes(CodesError::NoteChanged { current: None }).explain());
            }
            Err(e) => sv.warn(Msg::new("Note not saved:", "备注未保存：").with(&e.explain())),
        }
    }
}

impl CodesView {
    pub fn selected_hit(&self) -> Option<&Hit> {
        self.results.get(self.selected)
    }

    pub fn selected_entry<'a>(&self, book: &'a Codebook) -> Option<&'a CodeEntry> {
        self.selected_hit().and_then(|h| book.entries().get(h.doc))
    }
}

/// Whether a search text is a sentence someone wrote rather than a code or message a terminal shows:
/// more than four words, or more than 8 Chinese characters, or longer than any code (40 characters).
fn looks_like_sentence(text: &str) -> bool {
    let cjk = text
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    text.split_whitespace().count() > 4 || cjk > 8 || text.chars().count() > 40
}

/// Focus the search box with its whole text selected, so what the clerk types next replaces it.
fn select_all_in_search(ctx: &egui::Context, query: &str) {
    use egui::text::{CCursor, CCursorRange};
    let id = search_id();
    let mut state = egui::TextEdit::load_state(ctx, id).unwrap_or_default();
    state.cursor.set_char_range(Some(CCursorRange::two(
        CCursor::new(0),
        CCursor::new(query.chars().count()),
    )));
    state.store(ctx, id);
}

/// Whether `generation` differs from what the part named `what` saw in the previous frame (egui keeps
/// the last one seen), so a list scrolls to a new choice once instead of on every frame.
fn changed_since_last_frame(ui: &egui::Ui, what: &str, generation: u64) -> bool {
    let id = egui::Id::unique(("seen_generation", what));
    let last = ui.data(|d| d.get_temp::<u64>(id));
    ui.data_mut(|d| d.insert_temp(id, generation));
    last != Some(generation)
}

/// Draw the Codes screen.
pub fn codes_ui(
    ui: &mut egui::Ui,
    view: &CodesView,
    forms: &mut Forms,
    shared: &super::services::Shared,
    lang: Lang,
    out: &mut Vec<super::command::Command>,
) {
    let book = &shared.book;
    let problem = shared.problem();
    let mut push = |c: CodesCommand| out.push(c.into());
    // F2: log an incident for the code on screen, from the keyboard alone.
    if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::F2))
        && forms.editor.is_none()
    {
        push(CodesCommand::LogIncident);
    }
    // Narrow windows (small screens, large text) stack the list above the card instead of beside it.
    let narrow = ui.available_width() < 760.0;
    if narrow {
        // Search on top, then a few rows of results, then the card: all of it in view.
        egui::Panel::top("search").resizable(false).show(ui, |ui| {
            results::search_ui(ui, view, problem, lang, &mut push);
            ui.add_space(4.0);
        });
        if !view.results.is_empty() {
            let rows = view.results.len().min(3) as f32;
            let height = (rows * results::ROW_HEIGHT).min(ui.available_height() * 0.25);
            egui::Panel::top("results")
                .resizable(false)
                .exact_size(height)
                .show(ui, |ui| results::list_ui(ui, view, book, lang, &mut push));
        }
    } else {
        let width = (ui.available_width() * 0.36).clamp(300.0, 460.0);
        egui::Panel::left("results")
            .resizable(false)
            .exact_size(width)
            .show(ui, |ui| {
                results::search_ui(ui, view, problem, lang, &mut push);
                ui.separator();
                results::list_ui(ui, view, book, lang, &mut push);
            });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        if let Some(form) = forms.editor.as_mut() {
            editor::editor_ui(ui, form, view, lang, &mut push);
        } else if let Some(entry) = view.selected_entry(book) {
            card::card_ui(ui, shared, entry, view, forms, lang, &mut push);
        } else if view.query.trim().is_empty() {
            card::welcome_ui(ui, lang);
        } else if shared.book_pending {
            card::loading_ui(ui, lang);
        } else {
            card::unknown_ui(ui, &view.query, lang, &mut push);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::looks_like_sentence;

    #[test]
    fn a_sentence_is_not_a_code() {
        for code in [
            "51",
            "NO COMMUNICATION",
            "扫码校验失败",
            "ACQ.BUYER_BALANCE_NOT_ENOUGH",
            "E77",
        ] {
            assert!(!looks_like_sentence(code), "{code}");
        }
        for said in [
            "顾客说扣了钱但是显示失败",
            "customer says charged but it failed",
        ] {
            assert!(looks_like_sentence(said), "{said}");
        }
    }
}
