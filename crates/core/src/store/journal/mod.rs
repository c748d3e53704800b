//! The incident journal table family: incidents, their steps, timeline notes and attachments, and the
//! two search indexes kept beside them.
//!
//! Every text is cleaned here before it is written: trimmed, length-checked and card numbers masked
//! (`domain::pan`), so a full card number never reaches the database file, its WAL or an index. Each
//! write is one transaction that also rewrites the incident's search document, and returns only after
//! the commit is durable (`synchronous=FULL`).

use super::guard::{Field, Guard};
use super::outbox::{self, Entity};
use super::{Result, Store, StoreError};
use crate::clock::Clock;
use crate::domain::code::{Scheme, fold_fullwidth, normalize_code};
use crate::domain::incident::{
    Attachment, CountRow, Cursor, Incident, IncidentDraft, IncidentEdit, IncidentError,
    IncidentFilter, IncidentId, IncidentPage, IncidentStatus, IncidentSummary, JournalStats,
    MAX_SHORT_CHARS, MAX_TEXT_CHARS, NoteEntry, RepeatAlert, RepeatRule, StepOutcome, StepTried,
    UnknownCode, check_len, stored_name,
};
use jiff::{SignedDuration, Timestamp};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

mod attachments;
mod changes;
mod error;
mod reading;
mod reports;

/// The folder beside the database that holds attached files.
pub const ATTACHMENTS_DIR: &str = "attachments";
/// Largest file accepted as an attachment.
pub const MAX_ATTACHMENT_BYTES: u64 = 100 * 1024 * 1024;
/// Largest page [`Store::list_incidents`] returns.
pub const MAX_PAGE: usize = 10_000;
pub use error::JournalError;

const LAST_WHO_KEY: &str = "journal_last_who";

/// What a write stored, and whether a card number had to be masked on the way (tell the clerk).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    /// The new incident's or note's id.
    pub id: i64,
    pub masked: bool,
}

/// Cleans texts on their way in (through the store's guard) and counts masked card numbers.
#[derive(Default)]
struct Cleaner {
    guard: Guard,
    masked: usize,
}

impl Cleaner {
    fn text(&mut self, field: &'static str, text: &str, max: usize) -> Result<String> {
        let door = if max <= MAX_SHORT_CHARS {
            Field::SHORT
        } else {
            Field::NOTE
        };
        // Refused by the door or by the journal's own limit: the message names the field either way.
        let clean = match self.guard.text(door, text.trim()) {
            Err(StoreError::TooLong(_)) => return Err(IncidentError::TooLong { field, max }.into()),
            other => other?,
        };
        check_len(field, &clean, max)?;
        self.masked = self.guard.masked();
        Ok(clean)
    }

    /// An optional short text: empty becomes `None`.
    fn short(&mut self, field: &'static str, text: Option<&str>) -> Result<Option<String>> {
        match text.map(str::trim).filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(t) => self.text(field, t, MAX_SHORT_CHARS).map(Some),
        }
    }

    fn steps(&mut self, steps: &[StepTried]) -> Result<Vec<StepTried>> {
        steps
            .iter()
            .filter(|s| !s.text.trim().is_empty())
            .map(|s| {
                Ok(StepTried {
                    text: self.text("step", &s.text, MAX_TEXT_CHARS)?,
                    outcome: s.outcome,
                })
            })
            .collect()
    }
}

impl From<IncidentError> for StoreError {
    fn from(e: IncidentError) -> Self {
        JournalError::Incident(e).into()
    }
}

/// A draft after cleaning: what is written.
struct Clean {
    occurred_at: Timestamp,
    terminal: Option<String>,
    code: Option<String>,
    scheme: Option<Scheme>,
    symptom: String,
    amount: Option<i64>,
    txn_ref: Option<String>,
    steps: Vec<StepTried>,
    who: Option<String>,
}

fn clean_draft(d: &IncidentDraft, now: Timestamp, c: &mut Cleaner) -> Result<Clean> {
    Ok(Clean {
        occurred_at: d.occurred_at.unwrap_or(now),
        terminal: c.short("terminal", d.terminal.as_deref())?,
        code: c.short("code", d.code.as_deref())?,
        scheme: d.scheme,
        symptom: c.text("symptom", &d.symptom, MAX_TEXT_CHARS)?,
        amount: d.amount,
        txn_ref: c.short("transaction reference", d.txn_ref.as_deref())?,
        steps: c.steps(&d.steps)?,
        who: c.short("name", d.who.as_deref())?,
    })
}

fn bad(column: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("{column}: unknown value {value:?}").into(),
    )
}

fn ts(text: &str, column: &str) -> rusqlite::Result<Timestamp> {
    text.parse().map_err(|_| bad(column, text))
}

fn opt_ts(text: Option<String>, column: &str) -> rusqlite::Result<Option<Timestamp>> {
    text.map(|t| ts(&t, column)).transpose()
}

fn scheme_of(text: Option<String>) -> rusqlite::Result<Option<Scheme>> {
    text.map(|s| Scheme::from_id(&s).ok_or_else(|| bad("scheme", &s)))
        .transpose()
}

fn status_of(text: &str) -> rusqlite::Result<IncidentStatus> {
    IncidentStatus::from_id(text).ok_or_else(|| bad("status", text))
}

/// A code's matching key, or `None` for no code.
fn code_key(code: Option<&str>) -> Option<String> {
    code.map(normalize_code).filter(|k| !k.is_empty())
}

/// The first free sort key at or after `micros` (ties on the same microsecond move one on).
fn free_sort_key(conn: &Connection, micros: i64) -> Result<i64> {
    let mut stmt =
        conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM incidents WHERE sort_key = ?1)")?;
    let mut key = micros;
    while stmt.query_row([key], |r| r.get::<_, bool>(0))? {
        key += 1;
    }
    Ok(key)
}

// ---- search documents -------------------------------------------------------------------------------

/// The form both indexes and queries see: full-width folded to ASCII, lower case.
fn search_form(text: &str) -> String {
    text.chars()
        .map(fold_fullwidth)
        .flat_map(char::to_lowercase)
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Ascii,
    Other,
    Gap,
}

fn class(c: char) -> CharClass {
    if c.is_ascii_alphanumeric() {
        CharClass::Ascii
    } else if c.is_alphanumeric() {
        CharClass::Other
    } else {
        CharClass::Gap
    }
}

/// Runs of ASCII letters/digits and of other (Chinese) letters, in `search_form`.
fn runs(text: &str) -> Vec<(CharClass, Vec<char>)> {
    let mut out: Vec<(CharClass, Vec<char>)> = Vec::new();
    for c in search_form(text).chars() {
        let k = class(c);
        if k == CharClass::Gap {
            out.push((CharClass::Gap, Vec::new()));
            continue;
        }
        match out.last_mut() {
            Some((last, run)) if *last == k => run.push(c),
            _ => out.push((k, vec![c])),
        }
    }
    out.retain(|(k, run)| *k != CharClass::Gap && !run.is_empty());
    out
}

/// The grams document: whole ASCII words, and for Chinese every adjacent pair plus each run's last
/// character. "余额不足 51" gives "余额 额不 不足 足 51": any 2-character word is one token and any
/// single character starts one.
pub(crate) fn grams(text: &str) -> String {
    let mut out = String::new();
    for (k, run) in runs(text) {
        let mut push = |s: &[char]| {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(s);
        };
        match k {
            CharClass::Ascii => push(&run),
            _ => {
                for pair in run.windows(2) {
                    push(pair);
                }
                push(&run[run.len() - 1..]);
            }
        }
    }
    out
}

/// An FTS5 string: the text quoted as one phrase, so `E-101 OR (` is never read as query syntax.
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// A text search split into what each index can answer.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct TextQuery {
    /// For `incident_fts` (words of 3+ characters, substrings).
    pub trigram: Option<String>,
    /// For `incident_grams` (words of 1–2 characters).
    pub grams: Option<String>,
}

pub(crate) fn text_query(text: &str) -> TextQuery {
    let mut long = Vec::new();
    let mut short = Vec::new();
    for word in search_form(text).split_whitespace() {
        if word.chars().count() >= 3 {
            long.push(phrase(word));
            continue;
        }
        for (k, run) in runs(word) {
            let token: String = run.iter().collect();
            if k == CharClass::Other && run.len() == 2 {
                short.push(phrase(&token));
            } else {
                // One Chinese character, or an ASCII word's start: a prefix.
                short.push(format!("{}*", phrase(&token)));
            }
        }
    }
    let join = |v: Vec<String>| (!v.is_empty()).then(|| v.join(" AND "));
    TextQuery {
        trigram: join(long),
        grams: join(short),
    }
}

/// Whether a search word names this terminal, by the rules the text indexes follow: a word of 3+
/// characters anywhere in the name; a shorter one as the start of an English word or number in it, or
/// as Chinese characters in it ("T1" names "T1" but not "Till 5"; "收银" names "收银台1").
fn names_terminal(word: &str, terminal: &str) -> bool {
    let word = search_form(word);
    if word.chars().count() >= 3 {
        return search_form(terminal).contains(&word);
    }
    let grams = grams(terminal);
    let tokens: Vec<&str> = grams.split(' ').collect();
    let parts = runs(&word);
    !parts.is_empty()
        && parts.iter().all(|(k, run)| {
            let token: String = run.iter().collect();
            if *k == CharClass::Other && run.len() == 2 {
                tokens.contains(&token.as_str())
            } else {
                tokens.iter().any(|t| t.starts_with(&token))
            }
        })
}

/// A search word that names terminals: an incident matches it by its terminal or by its texts.
struct TerminalWord {
    terminals: Vec<String>,
    /// The word as the text indexes read it: (index table, MATCH expression).
    text: Option<(&'static str, String)>,
}

/// Split a search into the words that name terminals (of `terminals`, the journal's) and the text
/// the indexes alone answer.
fn split_search(text: &str, terminals: &[String]) -> (Option<String>, Vec<TerminalWord>) {
    let mut rest = Vec::new();
    let mut named = Vec::new();
    for word in search_form(text).split_whitespace() {
        let hits: Vec<String> = terminals
            .iter()
            .filter(|t| names_terminal(word, t))
            .cloned()
            .collect();
        if hits.is_empty() {
            rest.push(word.to_string());
            continue;
        }
        let q = text_query(word);
        let text = match (q.trigram, q.grams) {
            (Some(t), _) => Some(("incident_fts", t)),
            (None, Some(g)) => Some(("incident_grams", g)),
            (None, None) => None,
        };
        named.push(TerminalWord {
            terminals: hits,
            text,
        });
    }
    ((!rest.is_empty()).then(|| rest.join(" ")), named)
}

/// Rewrite the incident's entries in both search indexes (after its texts were masked in place).
pub(crate) fn reindex(conn: &Connection, id: IncidentId) -> Result<()> {
    index(conn, id)
}

/// Rewrite the incident's entries in both search indexes (after any change to its texts or time).
fn index(conn: &Connection, id: IncidentId) -> Result<()> {
    let (sort_key, mut doc): (i64, String) = conn
        .prepare_cached(
            "SELECT sort_key, concat_ws(char(10), code, symptom, txn_ref, resolution) \
             FROM incidents WHERE id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    for sql in [
        "SELECT text FROM incident_steps WHERE incident_id = ?1 ORDER BY position",
        "SELECT text FROM incident_notes WHERE incident_id = ?1 ORDER BY at, id",
        "SELECT file_name FROM attachments WHERE incident_id = ?1 ORDER BY id",
    ] {
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = stmt.query([id])?;
        while let Some(r) = rows.next()? {
            doc.push('\n');
            doc.push_str(&r.get::<_, String>(0)?);
        }
    }
    write_index(conn, sort_key, &doc)
}

fn write_index(conn: &Connection, sort_key: i64, doc: &str) -> Result<()> {
    unindex(conn, sort_key)?;
    conn.prepare_cached("INSERT INTO incident_fts (rowid, doc) VALUES (?1, ?2)")?
        .execute(params![sort_key, search_form(doc)])?;
    conn.prepare_cached("INSERT INTO incident_grams (rowid, grams) VALUES (?1, ?2)")?
        .execute(params![sort_key, grams(doc)])?;
    Ok(())
}

fn unindex(conn: &Connection, sort_key: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM incident_fts WHERE rowid = ?1")?
        .execute([sort_key])?;
    conn.prepare_cached("DELETE FROM incident_grams WHERE rowid = ?1")?
        .execute([sort_key])?;
    Ok(())
}

// ---- writing ----------------------------------------------------------------------------------------

/// Insert one cleaned incident with its steps, its first status event ('open') and their outbox
/// markers (no index yet); returns its id and sort key.
fn insert_incident(
    conn: &Connection,
    clock: &Clock,
    c: &Clean,
    now: &str,
) -> Result<(IncidentId, i64)> {
    let sort_key = free_sort_key(conn, c.occurred_at.as_microsecond())?;
    let uid = outbox::new_uid(clock);
    conn.prepare_cached(
        "INSERT INTO incidents (sort_key, occurred_at, terminal, code, code_key, scheme, symptom, amount, \
         txn_ref, who, created_at, uid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        sort_key,
        c.occurred_at.to_string(),
        c.terminal,
        c.code,
        code_key(c.code.as_deref()),
        c.scheme.map(Scheme::id),
        c.symptom,
        c.amount,
        c.txn_ref,
        c.who,
        now,
        uid,
    ])?;
    let id = conn.last_insert_rowid();
    write_steps(conn, id, &c.steps)?;
    outbox::put_uid(conn, clock, Entity::Incident, id, &uid)?;
    log_status(conn, clock, id, IncidentStatus::Open, now)?;
    Ok((id, sort_key))
}

/// Append a status event to the incident's history (after the one before it), with its marker.
fn log_status(
    conn: &Connection,
    clock: &Clock,
    id: IncidentId,
    to: IncidentStatus,
    now: &str,
) -> Result<()> {
    let prev: Option<String> = conn
        .prepare_cached(
            "SELECT uid FROM incident_status_log WHERE incident_id = ?1 ORDER BY id DESC LIMIT 1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let uid = outbox::new_uid(clock);
    conn.prepare_cached(
        "INSERT INTO incident_status_log (uid, incident_id, status, prev_uid, at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![uid, id, to.id(), prev, now])?;
    outbox::put_uid(
        conn,
        clock,
        Entity::IncidentStatus,
        conn.last_insert_rowid(),
        &uid,
    )
}

fn write_steps(conn: &Connection, id: IncidentId, steps: &[StepTried]) -> Result<()> {
    conn.prepare_cached("DELETE FROM incident_steps WHERE incident_id = ?1")?
        .execute([id])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO incident_steps (incident_id, position, text, outcome) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, s) in steps.iter().enumerate() {
        stmt.execute(params![id, i as i64, s.text, s.outcome.id()])?;
    }
    Ok(())
}

/// The incident's status and sort key, or `NoIncident`.
fn head(conn: &Connection, id: IncidentId) -> Result<(IncidentStatus, i64)> {
    conn.prepare_cached("SELECT status, sort_key FROM incidents WHERE id = ?1")?
        .query_row([id], |r| {
            Ok((status_of(&r.get::<_, String>(0)?)?, r.get(1)?))
        })
        .optional()?
        .ok_or_else(|| JournalError::NoIncident(id).into())
}

fn doc_of(c: &Clean) -> String {
    let mut doc = [
        c.code.as_deref(),
        Some(c.symptom.as_str()),
        c.txn_ref.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n");
    for s in &c.steps {
        doc.push('\n');
        doc.push_str(&s.text);
    }
    doc
}

// ---- reading ----------------------------------------------------------------------------------------

const SUMMARY_COLUMNS: &str = "i.id, i.sort_key, i.occurred_at, i.terminal, i.code, i.scheme, i.status, \
     CASE WHEN i.symptom <> '' THEN i.symptom ELSE \
     (SELECT n.text FROM incident_notes n WHERE n.incident_id = i.id ORDER BY n.at, n.id LIMIT 1) END";

fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<(IncidentSummary, i64)> {
    Ok((
        IncidentSummary {
            id: r.get(0)?,
            occurred_at: ts(&r.get::<_, String>(2)?, "occurred_at")?,
            terminal: r.get(3)?,
            code: r.get(4)?,
            scheme: scheme_of(r.get(5)?)?,
            status: status_of(&r.get::<_, String>(6)?)?,
            note: r.get(7)?,
        },
        r.get(1)?,
    ))
}

const INCIDENT_COLUMNS: &str = "id, occurred_at, terminal, code, scheme, symptom, amount, txn_ref, \
     resolution, status, resolved_at, who, created_at";

fn incident_from_row(r: &Row<'_>) -> rusqlite::Result<Incident> {
    Ok(Incident {
        id: r.get(0)?,
        occurred_at: ts(&r.get::<_, String>(1)?, "occurred_at")?,
        terminal: r.get(2)?,
        code: r.get(3)?,
        scheme: scheme_of(r.get(4)?)?,
        symptom: r.get(5)?,
        amount: r.get(6)?,
        txn_ref: r.get(7)?,
        resolution: r.get(8)?,
        status: status_of(&r.get::<_, String>(9)?)?,
        resolved_at: opt_ts(r.get(10)?, "resolved_at")?,
        who: r.get(11)?,
        created_at: ts(&r.get::<_, String>(12)?, "created_at")?,
        steps: Vec::new(),
        notes: Vec::new(),
        attachments: Vec::new(),
    })
}

fn step_from_row(r: &Row<'_>) -> rusqlite::Result<StepTried> {
    let outcome: String = r.get(1)?;
    Ok(StepTried {
        text: r.get(0)?,
        outcome: StepOutcome::from_id(&outcome).ok_or_else(|| bad("outcome", &outcome))?,
    })
}

fn note_from_row(r: &Row<'_>) -> rusqlite::Result<NoteEntry> {
    Ok(NoteEntry {
        id: r.get(0)?,
        at: ts(&r.get::<_, String>(1)?, "at")?,
        text: r.get(2)?,
    })
}

fn attachment_from_row(r: &Row<'_>) -> rusqlite::Result<Attachment> {
    Ok(Attachment {
        id: r.get(0)?,
        file_name: r.get(1)?,
        sha256: r.get(2)?,
        size: r.get::<_, i64>(3)?.max(0) as u64,
        added_at: ts(&r.get::<_, String>(4)?, "added_at")?,
    })
}

/// WHERE clauses and their values for a filter; `key` is the column holding the sort key.
fn filter_sql(f: &IncidentFilter, key: &str, after: Option<Cursor>) -> (Vec<String>, Vec<Value>) {
    let mut clauses = Vec::new();
    let mut values = Vec::new();
    if let Some(s) = f.status {
        clauses.push("i.status = ?".to_string());
        values.push(Value::Text(s.id().into()));
    }
    if let Some(t) = f
        .terminal
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        clauses.push("i.terminal = ?".to_string());
        values.push(Value::Text(t.into()));
    }
    if let Some(code) = &f.code {
        clauses.push("i.code_key = ?".to_string());
        values.push(Value::Text(normalize_code(code)));
    }
    if let Some(from) = f.from {
        clauses.push(format!("{key} >= ?"));
        values.push(Value::Integer(from.as_microsecond()));
    }
    if let Some(until) = f.until {
        clauses.push(format!("{key} < ?"));
        values.push(Value::Integer(until.as_microsecond()));
    }
    if let Some(Cursor(c)) = after {
        clauses.push(format!("{key} < ?"));
        values.push(Value::Integer(c));
    }
    (clauses, values)
}

/// The FROM and WHERE of a filtered query. A text search drives from its index, newest first (rowid =
/// sort key), so a page stops after `limit` hits instead of sorting every match.
///
/// `terminals` are the journal's terminal names: a search word that names some of them also finds the
/// incidents logged on those terminals. `scan`: read those terminals' incidents by walking the journal
/// newest first (right when they hold many: a page fills at once) rather than through their index
/// (right when they hold few: they are found and sorted, however far back they lie).
fn from_where(
    f: &IncidentFilter,
    after: Option<Cursor>,
    terminals: &[String],
    scan: bool,
) -> (String, Vec<Value>) {
    let (rest, named) = match f.text.as_deref() {
        Some(text) => split_search(text, terminals),
        None => (None, Vec::new()),
    };
    let mut extra = Vec::new();
    let mut extra_values = Vec::new();
    for word in named {
        let marks = vec!["?"; word.terminals.len()].join(", ");
        let column = if scan { "+i.terminal" } else { "i.terminal" };
        let mut clause = format!("({column} IN ({marks})");
        extra_values.extend(word.terminals.into_iter().map(Value::Text));
        if let Some((table, expr)) = word.text {
            clause.push_str(&format!(
                " OR i.sort_key IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)"
            ));
            extra_values.push(Value::Text(expr));
        }
        clause.push(')');
        extra.push(clause);
    }
    let q = rest.as_deref().map(text_query).unwrap_or_default();
    let (driver, other) = match (&q.trigram, &q.grams) {
        (Some(t), g) => (
            Some(("incident_fts", t.clone())),
            g.clone().map(|g| ("incident_grams", g)),
        ),
        (None, Some(g)) => (Some(("incident_grams", g.clone())), None),
        (None, None) => (None, None),
    };
    match driver {
        None => {
            let (mut clauses, mut values) = filter_sql(f, "i.sort_key", after);
            clauses.extend(extra);
            values.extend(extra_values);
            let mut sql = "FROM incidents i".to_string();
            if !clauses.is_empty() {
                sql.push_str(" WHERE ");
                sql.push_str(&clauses.join(" AND "));
            }
            sql.push_str(" ORDER BY i.sort_key DESC");
            (sql, values)
        }
        Some((table, expr)) => {
            let key = format!("{table}.rowid");
            let (mut clauses, mut values) = filter_sql(f, &key, after);
            clauses.insert(0, format!("{table} MATCH ?"));
            values.insert(0, Value::Text(expr));
            if let Some((other, expr)) = other {
                // `+` keeps this out of the driving index's plan: pushed down as `rowid IN (..)`,
                // SQLite would run the whole MATCH again once per value.
                clauses.push(format!(
                    "+{key} IN (SELECT rowid FROM {other} WHERE {other} MATCH ?)"
                ));
                values.push(Value::Text(expr));
            }
            clauses.extend(extra);
            values.extend(extra_values);
            // CROSS JOIN keeps the index as the outer loop.
            let sql = format!(
                "FROM {table} CROSS JOIN incidents i ON i.sort_key = {key} WHERE {} ORDER BY {key} DESC",
                clauses.join(" AND ")
            );
            (sql, values)
        }
    }
}

impl Store {
    /// Log a new incident with its steps, in one transaction. Returns after the commit is durable.
    pub fn create_incident(&mut self, draft: &IncidentDraft) -> Result<Saved> {
        let now = self.clock().now();
        let mut c = Cleaner::default();
        let clean = clean_draft(draft, now, &mut c)?;
        let tx = self.conn.transaction()?;
        let (id, sort_key) = insert_incident(&tx, &self.clock, &clean, &now.to_string())?;
        write_index(&tx, sort_key, &doc_of(&clean))?;
        if let Some(who) = &clean.who {
            set_meta(&tx, LAST_WHO_KEY, who)?;
        }
        tx.commit()?;
        self.note_masked(c.masked);
        Ok(Saved {
            id,
            masked: c.masked > 0,
        })
    }

    /// Load many incidents at once (an import, or a benchmark's journal): one transaction, prepared
    /// statements, the same cleaning as [`Store::create_incident`]. All or, on an error, none.
    pub fn import_incidents<I>(&mut self, drafts: I) -> Result<usize>
    where
        I: IntoIterator<Item = IncidentDraft>,
    {
        let now = self.clock().now();
        let now_text = now.to_string();
        let tx = self.conn.transaction()?;
        let mut n = 0;
        let mut masked = 0;
        for d in drafts {
            let mut c = Cleaner::default();
            let clean = clean_draft(&d, now, &mut c)?;
            let (_, sort_key) = insert_incident(&tx, &self.clock, &clean, &now_text)?;
            write_index(&tx, sort_key, &doc_of(&clean))?;
            masked += c.masked;
            n += 1;
        }
        tx.commit()?;
        self.note_masked(masked);
        Ok(n)
    }

    /// The clerk's name from the last incident logged with one (to fill the next form).
    pub fn last_who(&self) -> Result<Option<String>> {
        self.meta(LAST_WHO_KEY)
    }
}

/// The rows of a child table (ordered by incident id) that belong to incident `id`.
fn take_for<T, I>(rows: &mut std::iter::Peekable<I>, id: IncidentId) -> Result<Vec<T>>
where
    I: Iterator<Item = rusqlite::Result<(i64, T)>>,
{
    let mut out = Vec::new();
    loop {
        match rows.peek() {
            Some(Ok((owner, _))) if *owner < id => {
                rows.next();
            }
            Some(Ok((owner, _))) if *owner == id => {
                if let Some(Ok((_, item))) = rows.next() {
                    out.push(item);
                }
            }
            Some(Err(_)) => {
                if let Some(Err(e)) = rows.next() {
                    return Err(e.into());
                }
            }
            _ => return Ok(out),
        }
    }
}

fn step_from_row_at(r: &Row<'_>, at: usize) -> rusqlite::Result<StepTried> {
    let outcome: String = r.get(at + 1)?;
    Ok(StepTried {
        text: r.get(at)?,
        outcome: StepOutcome::from_id(&outcome).ok_or_else(|| bad("outcome", &outcome))?,
    })
}

fn note_from_row_at(r: &Row<'_>) -> rusqlite::Result<NoteEntry> {
    Ok(NoteEntry {
        id: r.get(1)?,
        at: ts(&r.get::<_, String>(2)?, "at")?,
        text: r.get(3)?,
    })
}

fn attachment_from_row_at(r: &Row<'_>) -> rusqlite::Result<Attachment> {
    Ok(Attachment {
        id: r.get(1)?,
        file_name: r.get(2)?,
        sha256: r.get(3)?,
        size: r.get::<_, i64>(4)?.max(0) as u64,
        added_at: ts(&r.get::<_, String>(5)?, "added_at")?,
    })
}

fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    let value = super::guard::clean_text(Field::SETTING, value)?.text;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// Copy `src` into the attachments folder `dir` (made when missing) as `<sha256>.<ext>`: what an
/// incident's attachment and a done task's photo both do. A failure names `src`.
pub(in crate::store) fn copy_in(
    src: &Path,
    dir: &Path,
    progress: &dyn Fn(u64, u64),
) -> Result<(String, u64)> {
    let io = |cause: std::io::Error| StoreError::Attachment {
        path: src.to_path_buf(),
        cause,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    copy_hashed(src, dir, progress).map_err(io)
}

/// Copy `src` into `dir` as `<sha256>.<ext>`, synced, returning the hash and size. Written under a
/// temporary name first and renamed, so the named file is always whole.
fn copy_hashed(
    src: &Path,
    dir: &Path,
    progress: &dyn Fn(u64, u64),
) -> std::io::Result<(String, u64)> {
    let input = std::fs::File::open(src)?;
    let size = input.metadata()?.len();
    // A device or pipe says 0 bytes and never ends: read one byte past the limit at most.
    let mut input = input.take(MAX_ATTACHMENT_BYTES + 1);
    if size > MAX_ATTACHMENT_BYTES {
        return Err(std::io::Error::other(format!(
            "the file is {size} bytes; the limit is {MAX_ATTACHMENT_BYTES}"
        )));
    }
    // Created exclusively: a file or link planted at the temporary name is never written through.
    let (mut out, tmp) = crate::fsx::create_partial(&dir.join("incoming"))?;
    let result = (|| {
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0u64;
        loop {
            let n = input.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n])?;
            total += n as u64;
            progress(total, size);
        }
        if total > MAX_ATTACHMENT_BYTES {
            return Err(std::io::Error::other(format!(
                "the file is larger than the limit of {MAX_ATTACHMENT_BYTES} bytes"
            )));
        }
        out.sync_all()?;
        let sha: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let name = crate::fsx::file_name(src).unwrap_or_default();
        let dest = dir.join(stored_name(&sha, &name));
        drop(out);
        crate::fsx::rename_replace(&tmp, &dest)?;
        crate::fsx::sync_dir(dir);
        Ok((sha, total))
    })();
    if result.is_err() {
        let _ = crate::fsx::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_hold_chinese_pairs_and_ascii_words() {
        assert_eq!(grams("余额不足 Code51"), "余额 额不 不足 足 code51");
        assert_eq!(grams("卡，超时"), "卡 超时 时");
    }

    #[test]
    fn queries_split_by_length() {
        let q = text_query("余额 timeout");
        assert_eq!(q.trigram.as_deref(), Some("\"timeout\""));
        assert_eq!(q.grams.as_deref(), Some("\"余额\""));
        assert_eq!(text_query("5").grams.as_deref(), Some("\"5\"*"));
        assert_eq!(
            text_query("a\"b\"c").trigram.as_deref(),
            Some("\"a\"\"b\"\"c\"")
        );
    }
}
