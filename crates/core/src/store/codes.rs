//! The codes table family: bundled pack, the user's own codes, and notes.

use super::guard::{Field, Guard};
use super::{Result, Store};
use crate::domain::code::{Category, CodeEntry, Fixer, Retry, Scheme, normalize_code};
use crate::domain::note::ShopCodes;
use crate::domain::note::{CodeNote, MAX_NOTE_CHARS};
use crate::domain::rules::{EntryError, check_custom};
use crate::i18n::{Explain, Msg};
use crate::packs::codes::{Pack, PackError};
use rusqlite::{OptionalExtension, Row, Transaction, TransactionBehavior, params};
use std::collections::HashSet;

/// The codes family's refusals: a broken bundled pack, a code the rules refuse or that exists, a
/// note too long or changed meanwhile. Kept apart from [`super::StoreError`]'s file and connection failures
/// so the code editor can put the text beside the field it is about.
#[derive(Debug)]
pub enum CodesError {
    Pack(PackError),
    Entry {
        code: String,
        error: EntryError,
    },
    Exists(String),
    NoteTooLong,
    /// The note was changed by another posdesk window since this one read it.
    NoteChanged {
        current: Option<String>,
    },
}

impl Explain for CodesError {
    fn explain(&self) -> Msg {
        match self {
            CodesError::Pack(e) => Msg::new(
                format!("The bundled code pack is broken: {e}"),
                format!("内置代码包已损坏：{e}"),
            ),
            CodesError::Entry { code, error } => {
                let m = error.explain();
                Msg::new(
                    format!("code {code}: {}", m.en),
                    format!("代码 {code}：{}", m.zh),
                )
            }
            CodesError::Exists(code) => Msg::new(
                format!("You already have a code {code}."),
                format!("您已经有代码 {code}"),
            ),
            CodesError::NoteTooLong => Msg::new(
                "The note is longer than 4,000 characters.",
                "备注超过 4,000 个字符",
            ),
            CodesError::NoteChanged { .. } => Msg::new(
                "The note was changed in another posdesk window meanwhile",
                "这条备注已在另一个 posdesk 窗口里被修改",
            ),
        }
    }
}

/// What an import of the user's own codes changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
    pub notes: usize,
    /// Card numbers masked on the way in.
    pub masked: usize,
}

/// One of the user's codes as it was just before it was deleted, so the delete can be undone.
#[derive(Debug, Clone, PartialEq)]
pub struct Deleted {
    pub entry: CodeEntry,
    pub note: Option<String>,
}

const COLUMNS: &str = "scheme, code, title_zh, title_en, explain_zh, explain_en, causes_zh, causes_en, \
                       steps_zh, steps_en, fixers, retry, category, vendor_specific, keywords, says_zh, says_en, source";

fn json_list(items: &[String]) -> String {
    serde_json::Value::from(items.to_vec()).to_string()
}

/// Write one code; every text passes the guard `g` (the key is derived from the cleaned code).
fn insert(tx: &Transaction<'_>, g: &mut Guard, e: &CodeEntry, now: &str) -> Result<()> {
    let fixers: Vec<String> = e.fixers.iter().map(|f| f.id().to_string()).collect();
    let code = g.text(Field::SHORT, e.code.trim())?;
    let text = |g: &mut Guard, t: &str| g.text(Field::CODE_TEXT, t.trim());
    tx.execute(
        "INSERT INTO codes (scheme, code, code_key, title_zh, title_en, explain_zh, explain_en, causes_zh, \
         causes_en, steps_zh, steps_en, fixers, retry, category, vendor_specific, keywords, says_zh, says_en, \
         source, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
        params![
            e.scheme.id(),
            &code,
            normalize_code(&code),
            text(g, &e.title_zh)?,
            text(g, &e.title_en)?,
            text(g, &e.explain_zh)?,
            text(g, &e.explain_en)?,
            g.list(Field::CODE_TEXT, &e.causes_zh)?,
            g.list(Field::CODE_TEXT, &e.causes_en)?,
            g.list(Field::CODE_TEXT, &e.steps_zh)?,
            g.list(Field::CODE_TEXT, &e.steps_en)?,
            json_list(&fixers),
            e.retry.id(),
            e.category.id(),
            e.vendor_specific,
            g.list(Field::CODE_TEXT, &e.keywords)?,
            g.list(Field::CODE_TEXT, &e.says_zh)?,
            g.list(Field::CODE_TEXT, &e.says_en)?,
            text(g, e.source.trim())?,
            now,
        ],
    )?;
    Ok(())
}

fn parse_list(text: &str, column: &str) -> rusqlite::Result<Vec<String>> {
    serde_json::from_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("{column}: {e}").into(),
        )
    })
}

fn bad(column: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("{column}: unknown value {value:?}").into(),
    )
}

fn entry_from_row(r: &Row<'_>) -> rusqlite::Result<CodeEntry> {
    let scheme: String = r.get(0)?;
    let retry: String = r.get(11)?;
    let category: String = r.get(12)?;
    let fixers = parse_list(&r.get::<_, String>(10)?, "fixers")?
        .iter()
        .map(|f| Fixer::from_id(f).ok_or_else(|| bad("fixers", f)))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(CodeEntry {
        scheme: Scheme::from_id(&scheme).ok_or_else(|| bad("scheme", &scheme))?,
        code: r.get(1)?,
        title_zh: r.get(2)?,
        title_en: r.get(3)?,
        explain_zh: r.get(4)?,
        explain_en: r.get(5)?,
        causes_zh: parse_list(&r.get::<_, String>(6)?, "causes_zh")?,
        causes_en: parse_list(&r.get::<_, String>(7)?, "causes_en")?,
        steps_zh: parse_list(&r.get::<_, String>(8)?, "steps_zh")?,
        steps_en: parse_list(&r.get::<_, String>(9)?, "steps_en")?,
        fixers,
        retry: Retry::from_id(&retry).ok_or_else(|| bad("retry", &retry))?,
        category: Category::from_id(&category).ok_or_else(|| bad("category", &category))?,
        vendor_specific: r.get(13)?,
        keywords: parse_list(&r.get::<_, String>(14)?, "keywords")?,
        says_zh: parse_list(&r.get::<_, String>(15)?, "says_zh")?,
        says_en: parse_list(&r.get::<_, String>(16)?, "says_en")?,
        source: r.get(17)?,
    })
}

/// A user's entry must be theirs (scheme `custom`) and keep the entry rules.
fn checked(e: &CodeEntry) -> Result<()> {
    check_custom(e).map_err(|error| {
        CodesError::Entry {
            code: e.code.trim().to_string(),
            error,
        }
        .into()
    })
}

/// The key a code is stored under: that of its code as stored, card numbers masked.
fn stored_key(code: &str) -> String {
    normalize_code(&crate::domain::pan::mask_pans(code.trim()).text)
}

fn note_key(code: &str) -> Result<String> {
    let key = stored_key(code);
    if key.is_empty() {
        return Err(CodesError::Entry {
            code: code.to_string(),
            error: EntryError::EmptyCode,
        }
        .into());
    }
    Ok(key)
}

fn read_note(tx: &Transaction<'_>, scheme: Scheme, key: &str) -> Result<Option<String>> {
    Ok(tx
        .query_row(
            "SELECT note FROM code_notes WHERE scheme = ?1 AND code_key = ?2",
            params![scheme.id(), key],
            |r| r.get(0),
        )
        .optional()?)
}

fn write_note(
    tx: &Transaction<'_>,
    g: &mut Guard,
    scheme: Scheme,
    key: &str,
    note: &str,
    now: &str,
) -> Result<()> {
    let note = note.trim();
    if note.len() > MAX_NOTE_CHARS * 4 || note.chars().count() > MAX_NOTE_CHARS {
        return Err(CodesError::NoteTooLong.into());
    }
    let note = g.text(Field::NOTE, note)?;
    let key = g.text(Field::SHORT, key)?;
    let key = normalize_code(&key);
    let note = note.as_str();
    let key = key.as_str();
    if note.is_empty() {
        tx.execute(
            "DELETE FROM code_notes WHERE scheme = ?1 AND code_key = ?2",
            params![scheme.id(), key],
        )?;
    } else {
        tx.execute(
            "INSERT INTO code_notes (scheme, code_key, note, updated_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (scheme, code_key) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at",
            params![scheme.id(), key, note, now],
        )?;
    }
    Ok(())
}

fn custom_exists(tx: &Transaction<'_>, key: &str) -> Result<bool> {
    Ok(tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM codes WHERE scheme = 'custom' AND code_key = ?1)",
        [key],
        |r| r.get(0),
    )?)
}

impl Store {
    /// Load `pack` unless the store already has this version or a newer one. The user's own codes and
    /// all notes are left alone. Returns whether the bundled codes were replaced.
    pub fn sync_pack(&mut self, pack: &Pack) -> Result<bool> {
        let installed = self
            .meta("pack_version")?
            .and_then(|v| v.parse::<u32>().ok());
        if installed.is_some_and(|v| v >= pack.version) {
            return Ok(false);
        }
        let now = self.now_text();
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM codes WHERE scheme <> 'custom'", [])?;
        let mut g = Guard::new();
        for e in &pack.entries {
            insert(&tx, &mut g, e, &now)?;
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('pack_version', ?1) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [pack.version.to_string()],
        )?;
        tx.commit()?;
        Ok(true)
    }

    pub fn pack_version(&self) -> Result<Option<u32>> {
        Ok(self.meta("pack_version")?.and_then(|v| v.parse().ok()))
    }

    /// Every code, bundled and the user's own.
    pub fn all_codes(&self) -> Result<Vec<CodeEntry>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM codes ORDER BY id"))?;
        let rows = stmt.query_map([], entry_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn custom_codes(&self) -> Result<Vec<CodeEntry>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM codes WHERE scheme = 'custom' ORDER BY code_key"
        ))?;
        let rows = stmt.query_map([], entry_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// All notes as (scheme, normalized code, note).
    pub fn notes(&self) -> Result<Vec<(Scheme, String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT scheme, code_key, note FROM code_notes ORDER BY scheme, code_key")?;
        let rows = stmt.query_map([], |r| {
            let scheme: String = r.get(0)?;
            Ok((
                Scheme::from_id(&scheme).ok_or_else(|| bad("scheme", &scheme))?,
                r.get(1)?,
                r.get(2)?,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The note on one code, read now from the database (not from any copy in memory).
    pub fn note(&mut self, scheme: Scheme, code: &str) -> Result<Option<String>> {
        let key = note_key(code)?;
        let tx = self.conn.transaction()?;
        let note = read_note(&tx, scheme, &key)?;
        tx.commit()?;
        Ok(note)
    }

    /// Attach `note` to a code of any scheme; an empty note removes it.
    pub fn set_note(&mut self, scheme: Scheme, code: &str, note: &str) -> Result<()> {
        let key = note_key(code)?;
        let now = self.now_text();
        let tx = self.conn.transaction()?;
        let mut g = Guard::new();
        write_note(&tx, &mut g, scheme, &key, note, &now)?;
        tx.commit()?;
        self.note_masked(g.masked());
        Ok(())
    }

    /// Like [`Store::set_note`], but only if the stored note is still `base`, the one the clerk
    /// started from. Two windows on one data folder then never silently overwrite each other's notes:
    /// the second gets `NoteChanged` with the note as it now stands.
    pub fn set_note_if(
        &mut self,
        scheme: Scheme,
        code: &str,
        base: Option<&str>,
        note: &str,
    ) -> Result<()> {
        let key = note_key(code)?;
        let now = self.now_text();
        // IMMEDIATE: take the write lock before reading, so no other process writes in between.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = read_note(&tx, scheme, &key)?;
        let base = base.map(str::trim).filter(|b| !b.is_empty());
        if current.as_deref() != base {
            return Err(CodesError::NoteChanged { current }.into());
        }
        let mut g = Guard::new();
        write_note(&tx, &mut g, scheme, &key, note, &now)?;
        tx.commit()?;
        self.note_masked(g.masked());
        Ok(())
    }

    /// Add or replace one of the user's own codes. `previous_code` is the code it had before an edit
    /// (its note moves with it when renamed). Saving over another code of the user's, a new one or a
    /// rename onto a taken code, needs `replace`: without it the store answers `Exists` and changes
    /// nothing, so the form can ask first.
    pub fn save_custom(
        &mut self,
        entry: &CodeEntry,
        previous_code: Option<&str>,
        replace: bool,
    ) -> Result<()> {
        checked(entry)?;
        let key = stored_key(&entry.code);
        let now = self.now_text();
        let tx = self.conn.transaction()?;
        let previous = previous_code.map(normalize_code);
        let overwrites = previous.as_deref() != Some(key.as_str()) && custom_exists(&tx, &key)?;
        if overwrites && !replace {
            return Err(CodesError::Exists(entry.code.trim().to_string()).into());
        }
        if let Some(prev) = previous.filter(|p| *p != key) {
            tx.execute(
                "DELETE FROM codes WHERE scheme = 'custom' AND code_key = ?1",
                [&prev],
            )?;
            tx.execute(
                "UPDATE OR REPLACE code_notes SET code_key = ?1 WHERE scheme = 'custom' AND code_key = ?2",
                params![key, prev],
            )?;
        }
        tx.execute(
            "DELETE FROM codes WHERE scheme = 'custom' AND code_key = ?1",
            [&key],
        )?;
        let mut g = Guard::new();
        insert(&tx, &mut g, entry, &now)?;
        tx.commit()?;
        self.note_masked(g.masked());
        Ok(())
    }

    /// Remove one of the user's own codes and its note, returning them so the clerk can undo it.
    pub fn delete_custom(&mut self, code: &str) -> Result<Option<Deleted>> {
        let key = stored_key(code);
        let tx = self.conn.transaction()?;
        let entry = {
            let mut stmt = tx.prepare(&format!(
                "SELECT {COLUMNS} FROM codes WHERE scheme = 'custom' AND code_key = ?1"
            ))?;
            stmt.query_row([&key], entry_from_row).optional()?
        };
        let Some(entry) = entry else {
            return Ok(None);
        };
        let note = read_note(&tx, Scheme::Custom, &key)?;
        tx.execute(
            "DELETE FROM codes WHERE scheme = 'custom' AND code_key = ?1",
            [&key],
        )?;
        tx.execute(
            "DELETE FROM code_notes WHERE scheme = 'custom' AND code_key = ?1",
            [&key],
        )?;
        tx.commit()?;
        Ok(Some(Deleted { entry, note }))
    }

    /// Put back a deleted code and its note. A code added under the same name since is not replaced.
    pub fn undo_delete(&mut self, deleted: &Deleted) -> Result<()> {
        checked(&deleted.entry)?;
        let key = stored_key(&deleted.entry.code);
        let now = self.now_text();
        let tx = self.conn.transaction()?;
        if custom_exists(&tx, &key)? {
            return Err(CodesError::Exists(deleted.entry.code.clone()).into());
        }
        let mut g = Guard::new();
        insert(&tx, &mut g, &deleted.entry, &now)?;
        if let Some(note) = &deleted.note {
            write_note(&tx, &mut g, Scheme::Custom, &key, note, &now)?;
        }
        tx.commit()?;
        self.note_masked(g.masked());
        Ok(())
    }

    /// Add or update many of the user's own codes at once: all of them or, on any error, none.
    pub fn import_custom(&mut self, entries: &[CodeEntry]) -> Result<ImportSummary> {
        self.import_file(&ShopCodes {
            entries: entries.to_vec(),
            notes: Vec::new(),
        })
    }

    /// Import a whole file of codes and notes in one transaction: all of it or, on any error, none.
    pub fn import_file(&mut self, file: &ShopCodes) -> Result<ImportSummary> {
        let mut seen = HashSet::new();
        for e in &file.entries {
            checked(e)?;
            if !seen.insert(stored_key(&e.code)) {
                return Err(CodesError::Entry {
                    code: e.code.clone(),
                    error: EntryError::Duplicate,
                }
                .into());
            }
        }
        let now = self.now_text();
        let tx = self.conn.transaction()?;
        let mut summary = ImportSummary::default();
        let mut g = Guard::new();
        for e in &file.entries {
            let replaced = tx.execute(
                "DELETE FROM codes WHERE scheme = 'custom' AND code_key = ?1",
                [stored_key(&e.code)],
            )?;
            insert(&tx, &mut g, e, &now)?;
            if replaced > 0 {
                summary.updated += 1;
            } else {
                summary.added += 1;
            }
        }
        for n in &file.notes {
            write_note(&tx, &mut g, n.scheme, &note_key(&n.code)?, &n.note, &now)?;
            summary.notes += 1;
        }
        tx.commit()?;
        summary.masked = g.masked();
        self.note_masked(g.masked());
        Ok(summary)
    }

    /// The user's own codes and every note, as a file holds them.
    pub fn export_file(&self) -> Result<ShopCodes> {
        let entries = self.custom_codes()?;
        let mut codes_of: std::collections::HashMap<(Scheme, String), String> = self
            .all_codes()?
            .into_iter()
            .map(|e| ((e.scheme, e.key()), e.code))
            .collect();
        let notes = self
            .notes()?
            .into_iter()
            .map(|(scheme, key, note)| CodeNote {
                code: codes_of.remove(&(scheme, key.clone())).unwrap_or(key),
                scheme,
                note,
            })
            .collect();
        Ok(ShopCodes { entries, notes })
    }
}
