//! Masking what is already stored: an upgrade cleans a database written before the guard knew every
//! way a card number can be written, and a restore cleans the copy it brings in before it is used.

use super::{Result, StoreError};
use crate::domain::code::normalize_code;
use crate::domain::maintenance::name_key;
use crate::domain::pan::mask_pans;
use rusqlite::Connection;
use rusqlite::types::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Text columns that hold what a clerk, a file or a pack wrote: every store write passes them through
/// `store::guard`, and [`mask_all_text`] masks them in stored data.
pub const GUARDED_COLUMNS: &[(&str, &str)] = &[
    ("attachments", "file_name"),
    ("code_notes", "code_key"),
    ("code_notes", "note"),
    ("codes", "causes_en"),
    ("codes", "causes_zh"),
    ("codes", "code"),
    ("codes", "code_key"),
    ("codes", "explain_en"),
    ("codes", "explain_zh"),
    ("codes", "keywords"),
    ("codes", "says_en"),
    ("codes", "says_zh"),
    ("codes", "source"),
    ("codes", "steps_en"),
    ("codes", "steps_zh"),
    ("codes", "title_en"),
    ("codes", "title_zh"),
    ("incident_notes", "text"),
    ("incident_steps", "text"),
    ("incidents", "code"),
    ("incidents", "code_key"),
    ("incidents", "resolution"),
    ("incidents", "symptom"),
    ("incidents", "terminal"),
    ("incidents", "txn_ref"),
    ("incidents", "who"),
    ("maintenance_events", "by_name"),
    ("maintenance_events", "note"),
    ("maintenance_events", "previous_firmware"),
    ("maintenance_events", "value"),
    ("maintenance_photos", "file_name"),
    ("meta", "value"),
    ("task_templates", "steps_en"),
    ("task_templates", "steps_zh"),
    ("task_templates", "title_en"),
    ("task_templates", "title_zh"),
    ("task_templates", "value_label_en"),
    ("task_templates", "value_label_zh"),
    ("task_templates", "why_en"),
    ("task_templates", "why_zh"),
    ("terminals", "firmware"),
    ("terminals", "location"),
    ("terminals", "model"),
    ("terminals", "name"),
    ("terminals", "name_key"),
    ("terminals", "notes"),
    ("terminals", "provider"),
    ("terminals", "serial"),
    ("terminals", "support_phone"),
];

/// Text columns that can hold no typed text: enum names the schema's CHECKs or the code's own ids
/// allow, dates and times the program formats, content hashes and meta keys. (`meta.value` is
/// guarded, but a value there that is a time the program wrote is left as it is.) Masking them would only
/// damage them (a time with nanoseconds has 13+ digits).
pub const STRUCTURAL_COLUMNS: &[(&str, &str)] = &[
    ("attachments", "added_at"),
    ("attachments", "sha256"),
    ("code_notes", "scheme"),
    ("code_notes", "updated_at"),
    ("codes", "category"),
    ("codes", "fixers"),
    ("codes", "retry"),
    ("codes", "scheme"),
    ("codes", "updated_at"),
    ("incident_notes", "at"),
    ("incident_notes", "uid"),
    ("incident_status_log", "at"),
    ("incident_status_log", "prev_uid"),
    ("incident_status_log", "status"),
    ("incident_status_log", "uid"),
    ("incident_steps", "outcome"),
    ("incidents", "created_at"),
    ("incidents", "occurred_at"),
    ("incidents", "resolved_at"),
    ("incidents", "scheme"),
    ("incidents", "status"),
    ("incidents", "uid"),
    ("maintenance_events", "first_on"),
    ("maintenance_events", "kind"),
    ("maintenance_events", "on_date"),
    ("maintenance_events", "outcome"),
    ("maintenance_events", "recorded_at"),
    ("maintenance_events", "snoozed_until"),
    ("maintenance_events", "through_on"),
    ("maintenance_events", "uid"),
    ("maintenance_events", "value_kind"),
    ("maintenance_photos", "added_at"),
    ("maintenance_photos", "sha256"),
    ("meta", "key"),
    ("own_tasks", "key"),
    ("schedules", "created_at"),
    ("schedules", "recurrence"),
    ("schedules", "removed_at"),
    ("schedules", "resolved_through"),
    ("schedules", "snoozed_until"),
    ("schedules", "start_on"),
    ("schedules", "task_key"),
    ("schedules", "uid"),
    ("schedules", "unit"),
    ("stock_items", "key"),
    ("stock_items", "updated_at"),
    ("sync_outbox", "due_on"),
    ("sync_outbox", "entity"),
    ("sync_outbox", "entity_key"),
    ("sync_outbox", "op"),
    ("sync_rejected", "at"),
    ("sync_rejected", "entity"),
    ("sync_rejected", "entity_key"),
    ("sync_rejected", "reason"),
    ("task_templates", "key"),
    ("task_templates", "kinds"),
    ("task_templates", "recurrence"),
    ("task_templates", "unit"),
    ("task_templates", "value_kind"),
    ("terminals", "archived_at"),
    ("terminals", "created_at"),
    ("terminals", "kind"),
    ("terminals", "uid"),
    ("terminals", "updated_at"),
];

/// Columns that hold a JSON array of texts: masked item by item (a line break inside an item is `\n`
/// in the JSON, which would hide a number split across lines from a mask of the raw text).
const LIST_COLUMNS: &[(&str, &str)] = &[
    ("codes", "causes_en"),
    ("codes", "causes_zh"),
    ("codes", "keywords"),
    ("codes", "says_en"),
    ("codes", "says_zh"),
    ("codes", "steps_en"),
    ("codes", "steps_zh"),
    ("task_templates", "steps_en"),
    ("task_templates", "steps_zh"),
];

/// Lookup keys derived from a text: masked, then normalised again the way the store derives them.
fn rekey(table: &str, column: &str, masked: &str) -> Option<String> {
    match (table, column) {
        ("incidents" | "codes" | "code_notes", "code_key") => Some(normalize_code(masked)),
        ("terminals", "name_key") => Some(name_key(masked)),
        _ => None,
    }
}

/// Tables holding rows (not FTS indexes or their shadow tables, which are rebuilt from the rows).
pub fn row_tables(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         ORDER BY name",
    )?;
    let all: Vec<(String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let virtual_tables: Vec<&str> = all
        .iter()
        .filter(|(_, sql)| {
            sql.as_deref().is_some_and(|s| {
                s.trim_start()
                    .to_ascii_uppercase()
                    .starts_with("CREATE VIRTUAL")
            })
        })
        .map(|(n, _)| n.as_str())
        .collect();
    Ok(all
        .iter()
        .filter(|(n, _)| {
            !virtual_tables
                .iter()
                .any(|v| n == v || n.starts_with(&format!("{v}_")))
        })
        .map(|(n, _)| n.clone())
        .collect())
}

/// The columns of `table`.
pub fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info(?1)")?;
    let cols = stmt
        .query_map([table], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(cols)
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Mask every card number in every text value of every table (all but [`STRUCTURAL_COLUMNS`]; a
/// column unknown to this program is masked too), in one transaction (a savepoint, so it also runs
/// inside a caller's transaction, e.g. a migration). The journal's search indexes are rewritten for
/// every incident whose text changed and then merged, so the old entries leave the index. Returns how
/// many values changed.
pub fn mask_all_text(conn: &Connection) -> std::result::Result<u64, StoreError> {
    conn.execute_batch("SAVEPOINT posdesk_mask_all")?;
    match mask_inside(conn) {
        Ok(n) => {
            conn.execute_batch("RELEASE posdesk_mask_all")?;
            Ok(n)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK TO posdesk_mask_all; RELEASE posdesk_mask_all");
            Err(e)
        }
    }
}

fn mask_inside(conn: &Connection) -> Result<u64> {
    let structural: BTreeSet<(&str, &str)> = STRUCTURAL_COLUMNS.iter().copied().collect();
    let lists: BTreeSet<(&str, &str)> = LIST_COLUMNS.iter().copied().collect();
    let mut changed = 0u64;
    let mut incidents: BTreeSet<i64> = BTreeSet::new();
    for table in row_tables(conn)? {
        for column in columns(conn, &table)? {
            if structural.contains(&(table.as_str(), column.as_str())) {
                continue;
            }
            let rows: Vec<(i64, String)> = conn
                .prepare(&format!(
                    "SELECT rowid, {c} FROM {t} WHERE typeof({c}) = 'text'",
                    c = quote(&column),
                    t = quote(&table)
                ))?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let is_list = lists.contains(&(table.as_str(), column.as_str()));
            let mut update = conn.prepare(&format!(
                "UPDATE {t} SET {c} = ?1 WHERE rowid = ?2",
                c = quote(&column),
                t = quote(&table)
            ))?;
            for (rowid, text) in rows {
                let new = masked_value(&table, &column, &text, is_list);
                if new != text {
                    update.execute((Value::Text(new), rowid))?;
                    super::outbox::mark_masked(conn, &table, rowid)?;
                    changed += 1;
                    if let Some(id) = incident_of(conn, &table, rowid)? {
                        incidents.insert(id);
                    }
                }
            }
        }
    }
    if !incidents.is_empty() {
        for id in &incidents {
            super::journal::reindex(conn, *id)?;
        }
        // Merge the index segments: deleted entries (the old texts' tokens) are dropped for good.
        conn.execute_batch(
            "INSERT INTO incident_fts (incident_fts) VALUES ('optimize'); \
             INSERT INTO incident_grams (incident_grams) VALUES ('optimize');",
        )?;
    }
    Ok(changed)
}

/// One stored value, masked. Lists are masked item by item and as a whole (as `guard::Guard::list`);
/// a value that is not the JSON it should be is masked as plain text.
fn masked_value(table: &str, column: &str, text: &str, is_list: bool) -> String {
    if is_list && let Ok(items) = serde_json::from_str::<Vec<String>>(text) {
        // No length limit here: stored data is masked, never refused.
        let items: Vec<String> = items.iter().map(|i| mask_pans(i).text).collect();
        let json = serde_json::Value::from(items).to_string();
        return mask_pans(&json).text;
    }
    // `meta` keeps times (the last backup, when a backup was made) beside typed values: a time's
    // fraction of a second may have 13+ digits, and is no card number.
    if (table, column) == ("meta", "value") && text.parse::<jiff::Timestamp>().is_ok() {
        return text.to_string();
    }
    let masked = mask_pans(text).text;
    if masked == text {
        return masked;
    }
    rekey(table, column, &masked).unwrap_or(masked)
}

/// The incident a journal row belongs to, for re-indexing.
fn incident_of(conn: &Connection, table: &str, rowid: i64) -> Result<Option<i64>> {
    Ok(match table {
        "incidents" => Some(rowid),
        "incident_steps" | "incident_notes" | "attachments" => Some(conn.query_row(
            &format!("SELECT incident_id FROM {} WHERE rowid = ?1", quote(table)),
            [rowid],
            |r| r.get(0),
        )?),
        _ => None,
    })
}

/// Mask the backups posdesk keeps in `dir` (its `backups/` folder), for an upgrade that found card
/// numbers in the live data: the copies made before, the one made just before the upgrade included,
/// then keep none either. Each file is masked in one transaction and, if anything changed, vacuumed,
/// so no freed page keeps the old text. A file that cannot be opened or masked (damaged, not
/// posdesk's, read-only) is left as it is. Returns how many values changed in all of them.
pub fn mask_backups(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut changed = 0;
    for e in entries.flatten() {
        let path = e.path();
        let is_file = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file());
        if !is_file || path.extension().is_none_or(|x| x != "sqlite3") {
            continue;
        }
        let masked = (|| -> Result<u64> {
            let conn = Connection::open(&path)?;
            conn.busy_timeout(super::BUSY_TIMEOUT)?;
            conn.execute_batch("PRAGMA secure_delete=ON")?;
            let n = mask_all_text(&conn)?;
            if n > 0 {
                conn.execute_batch("VACUUM")?;
            }
            Ok(n)
        })();
        changed += masked.unwrap_or(0);
    }
    changed
}
