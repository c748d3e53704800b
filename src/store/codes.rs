//! The codes table family: bundled pack, the user's own codes, and notes.

use super::{Result, Store, StoreError, now_text};
use crate::domain::code::{Category, CodeEntry, Fixer, Retry, Scheme, check_entry, normalize_code};
use crate::pack::Pack;
use rusqlite::{Row, Transaction, params};

/// What an import of the user's own codes changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
}

const COLUMNS: &str = "scheme, code, title_zh, title_en, explain_zh, explain_en, causes_zh, causes_en, \
                       steps_zh, steps_en, fixers, retry, category, vendor_specific, keywords";

fn json_list(items: &[String]) -> String {
    serde_json::Value::from(items.to_vec()).to_string()
}

fn insert(tx: &Transaction<'_>, e: &CodeEntry, now: &str) -> Result<()> {
    let fixers: Vec<String> = e.fixers.iter().map(|f| f.id().to_string()).collect();
    tx.execute(
        "INSERT INTO codes (scheme, code, code_key, title_zh, title_en, explain_zh, explain_en, causes_zh, \
         causes_en, steps_zh, steps_en, fixers, retry, category, vendor_specific, keywords, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        params![
            e.scheme.id(),
            e.code.trim(),
            e.key(),
            e.title_zh.trim(),
            e.title_en.trim(),
            e.explain_zh.trim(),
            e.explain_en.trim(),
            json_list(&e.causes_zh),
            json_list(&e.causes_en),
            json_list(&e.steps_zh),
            json_list(&e.steps_en),
            json_list(&fixers),
            e.retry.id(),
            e.category.id(),
            e.vendor_specific,
            json_list(&e.keywords),
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
    })
}

/// A user's entry must be theirs (scheme `custom`) and keep the entry rules.
fn check_custom(e: &CodeEntry) -> Result<()> {
    if e.scheme != Scheme::Custom {
        return Err(StoreError::Invalid(format!(
            "only your own codes can be changed; {} codes come with posdesk",
            e.scheme.name_en()
        )));
    }
    check_entry(e).map_err(|m| StoreError::Invalid(format!("code {}: {m}", e.code.trim())))
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
        let now = now_text();
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM codes WHERE scheme <> 'custom'", [])?;
        for e in &pack.entries {
            insert(&tx, e, &now)?;
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

    /// Attach `note` to a code of any scheme; an empty note removes it.
    pub fn set_note(&mut self, scheme: Scheme, code: &str, note: &str) -> Result<()> {
        let key = normalize_code(code);
        if key.is_empty() {
            return Err(StoreError::Invalid("the code is empty".into()));
        }
        let note = note.trim();
        if note.chars().count() > 4000 {
            return Err(StoreError::Invalid(
                "the note is longer than 4,000 characters".into(),
            ));
        }
        if note.is_empty() {
            self.conn.execute(
                "DELETE FROM code_notes WHERE scheme = ?1 AND code_key = ?2",
                params![scheme.id(), key],
            )?;
        } else {
            self.conn.execute(
                "INSERT INTO code_notes (scheme, code_key, note, updated_at) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (scheme, code_key) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at",
                params![scheme.id(), key, note, now_text()],
            )?;
        }
        Ok(())
    }

    /// Add or replace one of the user's own codes. `previous_code` is the code it had before an edit that
    /// renamed it; its note moves with it.
    pub fn save_custom(&mut self, entry: &CodeEntry, previous_code: Option<&str>) -> Result<()> {
        check_custom(entry)?;
        let key = entry.key();
        let tx = self.conn.transaction()?;
        if let Some(prev) = previous_code.map(normalize_code).filter(|p| *p != key) {
            let taken: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM codes WHERE scheme = 'custom' AND code_key = ?1)",
                [&key],
                |r| r.get(0),
            )?;
            if taken {
                return Err(StoreError::Invalid(format!(
                    "you already have a code {}",
                    entry.code.trim()
                )));
            }
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
        insert(&tx, entry, &now_text())?;
        tx.commit()?;
        Ok(())
    }

    /// Remove one of the user's own codes and its note. Returns whether it existed.
    pub fn delete_custom(&mut self, code: &str) -> Result<bool> {
        let key = normalize_code(code);
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "DELETE FROM codes WHERE scheme = 'custom' AND code_key = ?1",
            [&key],
        )?;
        tx.execute(
            "DELETE FROM code_notes WHERE scheme = 'custom' AND code_key = ?1",
            [&key],
        )?;
        tx.commit()?;
        Ok(n > 0)
    }

    /// Add or update many of the user's own codes at once: all of them or, on any error, none.
    pub fn import_custom(&mut self, entries: &[CodeEntry]) -> Result<ImportSummary> {
        for e in entries {
            check_custom(e)?;
        }
        let now = now_text();
        let tx = self.conn.transaction()?;
        let mut summary = ImportSummary::default();
        for e in entries {
            let replaced = tx.execute(
                "DELETE FROM codes WHERE scheme = 'custom' AND code_key = ?1",
                [e.key()],
            )?;
            insert(&tx, e, &now)?;
            if replaced > 0 {
                summary.updated += 1;
            } else {
                summary.added += 1;
            }
        }
        tx.commit()?;
        Ok(summary)
    }
}
