//! `posdesk-hq migrate`: the numbered SQL files in `crates/hq/migrations`, each applied once in its own
//! transaction, under an advisory lock (two head-office processes starting together do not race), then
//! the grants and this season's partitions.

use tokio_postgres::Client;

use crate::HqError;

/// (version, name, SQL), in order. A new migration gets the next number; a shipped one never changes.
pub const MIGRATIONS: &[(i32, &str, &str)] = &[
    (1, "schema", include_str!("../migrations/001_schema.sql")),
    (2, "views", include_str!("../migrations/002_views.sql")),
];

/// Run after every migration: the read-only role and its grants on every `v_*` view.
pub const GRANTS: &str = include_str!("../migrations/grants.sql");

/// Months of partitions made before and after the current one, at `migrate` and at `serve` start.
pub const MONTHS_BEFORE: i32 = 2;
pub const MONTHS_AFTER: i32 = 3;

const LOCK_KEY: i64 = 0x706f_7364_6573_6b01; // "posdesk" + 1

/// Brings the database to the newest schema; returns the versions applied now.
pub async fn migrate(client: &mut Client) -> Result<Vec<i32>, HqError> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&LOCK_KEY])
        .await?;
    let result = migrate_locked(client).await;
    let unlock = client
        .execute("SELECT pg_advisory_unlock($1)", &[&LOCK_KEY])
        .await;
    let applied = result?;
    unlock?;
    ensure_partitions(client).await?;
    Ok(applied)
}

async fn migrate_locked(client: &mut Client) -> Result<Vec<i32>, HqError> {
    client
        .batch_execute(
            "CREATE SCHEMA IF NOT EXISTS posdesk;
             CREATE TABLE IF NOT EXISTS posdesk.schema_migrations (
                 version    integer PRIMARY KEY,
                 name       text NOT NULL,
                 applied_at timestamptz NOT NULL DEFAULT now())",
        )
        .await?;
    let newest = MIGRATIONS.last().map_or(0, |m| m.0);
    let row = client
        .query_one(
            "SELECT COALESCE(max(version), 0) FROM posdesk.schema_migrations",
            &[],
        )
        .await?;
    let current: i32 = row.get(0);
    if current > newest {
        return Err(HqError::SchemaTooNew {
            database: current,
            binary: newest,
        });
    }
    let mut applied = Vec::new();
    for &(version, name, sql) in MIGRATIONS {
        if version <= current {
            continue;
        }
        let tx = client.transaction().await?;
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO posdesk.schema_migrations (version, name) VALUES ($1, $2)",
            &[&version, &name],
        )
        .await?;
        tx.commit().await?;
        applied.push(version);
    }
    client.batch_execute(GRANTS).await?;
    Ok(applied)
}

/// The schema version of the database (0 before the first migration).
pub async fn schema_version(client: &Client) -> Result<i32, HqError> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('posdesk.schema_migrations') IS NOT NULL",
            &[],
        )
        .await?
        .get(0);
    if !exists {
        return Ok(0);
    }
    Ok(client
        .query_one(
            "SELECT COALESCE(max(version), 0) FROM posdesk.schema_migrations",
            &[],
        )
        .await?
        .get(0))
}

/// Creates the incident family's partitions for the months around today (UTC) and for any month that
/// has rows waiting in DEFAULT; returns how many months were created.
pub async fn ensure_partitions(client: &Client) -> Result<i32, HqError> {
    let row = client
        .query_one(
            "SELECT posdesk.ensure_partitions((now() AT TIME ZONE 'UTC')::date, $1, $2)",
            &[&MONTHS_BEFORE, &MONTHS_AFTER],
        )
        .await?;
    Ok(row.get(0))
}

/// Days a committed batch's reply is kept for answering a resend of the same batch (afterwards a resend
/// is still harmless: every event is idempotent by its row's uid and HLC).
pub const BATCH_REPLY_DAYS: i32 = 30;

/// Forgets batch replies older than [`BATCH_REPLY_DAYS`]; returns how many.
pub async fn prune_batches(client: &Client) -> Result<u64, HqError> {
    Ok(client
        .execute(
            "DELETE FROM posdesk.sync_batch WHERE received_at < now() - make_interval(days => $1)",
            &[&BATCH_REPLY_DAYS],
        )
        .await?)
}
