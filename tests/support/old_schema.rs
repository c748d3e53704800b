//! Turns a current posdesk database into a genuine older one, for tests of restore and upgrade: the
//! schema is rebuilt from the migrations up to `version` and every row is copied into it (columns the
//! old schema lacks are dropped). Stamping only `user_version` is not enough since a migration changed
//! a table: restore compares the whole schema with what that version must have.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use rusqlite::Connection;
use std::path::Path;

/// The migrations' SQL, in order (the masking migration adds only comments).
const MIGRATIONS: &[&str] = &[
    include_str!("../../crates/core/src/store/migrations/001_codes.sql"),
    include_str!("../../crates/core/src/store/migrations/002_maintenance.sql"),
    include_str!("../../crates/core/src/store/migrations/003_journal.sql"),
    include_str!("../../crates/core/src/store/migrations/004_application_id.sql"),
    include_str!("../../crates/core/src/store/migrations/005_mask_all_text.sql"),
    include_str!("../../crates/core/src/store/migrations/006_situations.sql"),
    include_str!("../../crates/core/src/store/migrations/007_shop_tasks_stock_photos.sql"),
    include_str!("../../crates/core/src/store/migrations/008_sync_outbox.sql"),
];

/// Rewrite the database at `path` (not open elsewhere) as posdesk at schema `version` wrote it.
pub fn make_old(path: &Path, version: usize) {
    assert!(version < MIGRATIONS.len(), "no migration after {version}");
    let tmp = path.with_extension("old-schema");
    let _ = std::fs::remove_file(&tmp);
    {
        let cur = Connection::open(path).unwrap();
        cur.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;")
            .unwrap();
    }
    let old = Connection::open(&tmp).unwrap();
    for sql in &MIGRATIONS[..version] {
        old.execute_batch(sql).unwrap();
    }
    old.execute("ATTACH DATABASE ?1 AS cur", [path.to_str().unwrap()])
        .unwrap();
    let shadow: Vec<String> = names(
        &old,
        "SELECT name FROM main.pragma_table_list WHERE schema = 'main' AND type = 'shadow'",
    );
    let tables: Vec<String> = names(
        &old,
        "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND sql NOT LIKE 'CREATE VIRTUAL%'",
    );
    // Ordinary tables first (their triggers, if any, may write indexes), then the full-text indexes'
    // own tables as they were, replacing whatever a trigger wrote. A row the old schema cannot hold (a
    // bundled code with a retry class added later) is left out, as an older posdesk never had it.
    let (plain, shadows): (Vec<_>, Vec<_>) = tables.into_iter().partition(|t| !shadow.contains(t));
    old.execute_batch("PRAGMA foreign_keys=OFF; BEGIN;")
        .unwrap();
    for table in plain.iter().chain(shadows.iter()) {
        let have = columns(&old, "main", table);
        let had = columns(&old, "cur", table);
        let common: Vec<String> = have
            .into_iter()
            .filter(|c| had.contains(c))
            .map(|c| format!("\"{c}\""))
            .collect();
        if common.is_empty() {
            continue;
        }
        let cols = common.join(", ");
        old.execute_batch(&format!(
            "DELETE FROM main.\"{table}\"; INSERT OR IGNORE INTO main.\"{table}\" ({cols}) SELECT {cols} FROM cur.\"{table}\";"
        ))
        .unwrap();
    }
    old.execute_batch("COMMIT; DETACH DATABASE cur;").unwrap();
    old.pragma_update(None, "user_version", version as u32)
        .unwrap();
    if version < 4 {
        old.pragma_update(None, "application_id", 0).unwrap();
    }
    drop(old);
    std::fs::rename(&tmp, path).unwrap();
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let _ = std::fs::remove_file(side);
    }
}

fn names(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn columns(conn: &Connection, schema: &str, table: &str) -> Vec<String> {
    names(
        conn,
        &format!("SELECT name FROM {schema}.pragma_table_info('{table}')"),
    )
}
