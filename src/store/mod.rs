//! SQLite storage: one file, opened with the pragmas that keep committed records safe, and migrated by
//! numbered SQL files.

mod codes;

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use thiserror::Error;

pub use codes::ImportSummary;

/// Numbered migrations; position + 1 is the schema version they lead to. Never edit one that has
/// shipped: add the next.
const MIGRATIONS: &[&str] = &[include_str!("migrations/001_codes.sql")];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// The database file's name inside the data folder.
pub const DB_FILE: &str = "posdesk.sqlite3";

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error(
        "the data file was written by a newer posdesk (schema {found}, this program knows up to {known}); \
         install the newer posdesk or open another data folder"
    )]
    TooNew { found: u32, known: u32 },
    #[error("cannot create the data folder {path}: {cause}")]
    Folder {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("the database did not switch to WAL journal mode (it answered {0:?})")]
    NoWal(String),
    #[error("the bundled code pack is broken: {0}")]
    Pack(crate::pack::PackError),
    #[error("{0}")]
    Invalid(String),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
}

// Manual conversions, not `#[from]`: the messages above already include the inner error, and a
// `source` too would print it twice in an error chain.
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(e)
    }
}

impl From<crate::pack::PackError> for StoreError {
    fn from(e: crate::pack::PackError) -> Self {
        StoreError::Pack(e)
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The open database. All business data lives here; everything else is a view of it.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
}

impl Store {
    /// Open (or create) the database in `dir`, migrate it and bring the bundled codes up to date.
    pub fn open_dir(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|cause| StoreError::Folder {
            path: dir.to_path_buf(),
            cause,
        })?;
        Store::open(&dir.join(DB_FILE))
    }

    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path)?;
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::NoWal(mode));
        }
        Store::init(conn, Some(path.to_path_buf()))
    }

    /// A private database that vanishes when dropped, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?, None)
    }

    fn init(conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        // FULL: a till loses power; NORMAL in WAL mode may roll back the last commits after a power cut.
        conn.execute_batch(
            "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;",
        )?;
        let mut store = Store { conn, path };
        store.migrate()?;
        // Parse the bundled codes only when they are newer than the installed ones: not on every start.
        let bundled = crate::pack::Pack::bundled_version()?;
        if store.pack_version()?.is_none_or(|v| v < bundled) {
            store.sync_pack(&crate::pack::Pack::bundled()?)?;
        }
        Ok(store)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn schema_version(&self) -> Result<u32> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn migrate(&mut self) -> Result<()> {
        let found = self.schema_version()?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                found,
                known: SCHEMA_VERSION,
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as u32 + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    fn meta(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }
}

/// Now, as stored in `*_at` columns: RFC 3339 in UTC.
fn now_text() -> String {
    jiff::Timestamp::now().to_string()
}
