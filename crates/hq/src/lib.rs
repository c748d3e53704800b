//! posdesk head office: receives every till's journal and maintenance into PostgreSQL.
//!
//! The protocol is written down in `sync_proto` (crates/sync-proto). This crate links neither egui nor
//! SQLite: it is the PostgreSQL schema (`migrations/`), the HTTP service that applies the tills' batches,
//! and enrollment.

/// A line on stderr that never panics (eprintln! panics when stderr is closed, e.g. a log pipe gone).
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub mod apply;
pub mod config;
pub mod enroll;
pub mod migrate;
pub mod server;

pub use server::{AppState, app};

use thiserror::Error;

/// What can go wrong at head office (the service answers 503 for the database ones: the till retries).
#[derive(Debug, Error)]
pub enum HqError {
    #[error("database: {}", pg_text(.0))]
    Db(#[from] tokio_postgres::Error),
    #[error("cannot get a database connection: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    /// A statement failed while applying a batch without savepoints (the batch is applied again, event by
    /// event).
    #[error("an event failed: {}", pg_text(.0))]
    EventFailed(tokio_postgres::Error),
    /// The test hook made the batch fail just before COMMIT.
    #[error("failed before commit (test hook)")]
    InjectedFailure,
    #[error(
        "the database is at schema {database}, newer than this posdesk-hq knows ({binary}): \
         use the newer posdesk-hq"
    )]
    SchemaTooNew { database: i32, binary: i32 },
    #[error("store code {0:?} is not usable: 1 to 64 letters, digits, '-', '_' or '.'")]
    BadStoreCode(String),
}

/// PostgreSQL's own message when there is one (tokio-postgres displays only "db error").
pub fn pg_text(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_string(),
        },
        None => e.to_string(),
    }
}
