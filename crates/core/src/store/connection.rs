//! More connections to a store that is already open, for background work, and the cheap question
//! "did anybody else change the data?".
//!
//! `Store::open` checks the whole file (`quick_check`), migrates and syncs the bundled packs: seconds
//! on a large journal. A worker that reads statistics or writes an export must not pay that again, so
//! it gets [`Store::second_connection`]: a plain connection to the file the window already checked.

use super::{BUSY_TIMEOUT, CONNECTION_PRAGMAS, Result, Store, StoreError};
use rusqlite::{Connection, OpenFlags};

impl Store {
    /// A second connection to this store's file, with the same clock and the same pragmas, and none of
    /// the checks `Store::open` ran (the file passed them when this store opened). For workers: send
    /// it to the thread that uses it. A store in memory has no file to share (`NoDataFolder`); a
    /// read-only store gives a read-only connection. The file is never created here.
    pub fn second_connection(&self) -> Result<Store> {
        let path = self.path.as_deref().ok_or(StoreError::NoDataFolder)?;
        let access = if self.read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
        };
        let mut conn = Connection::open_with_flags(path, access | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| StoreError::from(e).at(path))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        if self.read_only {
            conn.execute_batch("PRAGMA foreign_keys=ON;")?;
        } else {
            conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
            conn.execute_batch(CONNECTION_PRAGMAS)?;
        }
        Ok(self.sibling(conn))
    }

    fn sibling(&self, conn: Connection) -> Store {
        Store {
            conn,
            path: self.path.clone(),
            clock: self.clock.clone(),
            masked: std::cell::Cell::new(0),
            read_only: self.read_only,
        }
    }

    /// SQLite's `PRAGMA data_version` for this connection: it changes when another connection (another
    /// posdesk window, the CLI, a worker) commits to the file, and not for this connection's own
    /// writes. Equal answers mean nothing was changed from outside in between.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }
}
