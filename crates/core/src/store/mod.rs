//! SQLite storage: one file, opened with the pragmas that keep committed records safe, and migrated by
//! numbered SQL files.

pub mod backup;
mod codes;
mod connection;
pub mod guard;
mod journal;
mod maintenance;
pub mod outbox;
pub mod paths;
pub mod scrub;
mod shop;

use crate::clock::Clock;
use crate::i18n::{Explain, Msg};
use crate::packs::codes::{Pack, PackError};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

pub use backup::{
    BackupError, BackupInfo, BackupSummary, CheckReport, LastBackup, NotPosdesk, Problem,
    Recovered, backup_summary, check_file, newest_good_backup,
};
pub use codes::{CodesError, Deleted, ImportSummary};
pub use journal::{ATTACHMENTS_DIR, JournalError, MAX_PAGE, Saved};
pub use maintenance::{MaintenanceStoreError, default_plan};

/// One numbered migration: SQL, or a step only Rust can do.
enum Migration {
    Sql(&'static str),
    /// Its SQL (comments), then mask every stored text again (`scrub::mask_all_text`): data written
    /// before the masking knew every separator and digit script keeps no card number after it.
    MaskAllText(&'static str),
    /// Its SQL, then a uid for every old row, a status event per old incident and an outbox marker
    /// for every row (`outbox::backfill`), so head office gets the history the till already had.
    SyncOutbox(&'static str),
}

impl Migration {
    /// The schema statements (a masking migration adds no schema of its own).
    fn sql(&self) -> &'static str {
        match self {
            Migration::Sql(sql) | Migration::MaskAllText(sql) | Migration::SyncOutbox(sql) => sql,
        }
    }
}

/// Numbered migrations; position + 1 is the schema version they lead to. Never edit one that has
/// shipped: add the next.
const MIGRATIONS: &[Migration] = &[
    Migration::Sql(include_str!("migrations/001_codes.sql")),
    Migration::Sql(include_str!("migrations/002_maintenance.sql")),
    Migration::Sql(include_str!("migrations/003_journal.sql")),
    Migration::Sql(include_str!("migrations/004_application_id.sql")),
    Migration::MaskAllText(include_str!("migrations/005_mask_all_text.sql")),
    Migration::Sql(include_str!("migrations/006_situations.sql")),
    Migration::Sql(include_str!("migrations/007_shop_tasks_stock_photos.sql")),
    Migration::SyncOutbox(include_str!("migrations/008_sync_outbox.sql")),
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Set on every connection to the file: the window's, the CLI's and each worker's (see `init`).
const CONNECTION_PRAGMAS: &str = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; \
     PRAGMA busy_timeout=5000; PRAGMA secure_delete=ON;";

/// The database file's name inside the data folder.
pub const DB_FILE: &str = "posdesk.sqlite3";

/// How long a write waits for another posdesk (window or CLI) to finish its own before giving up.
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Why a store operation failed. The data file and its connection fail here (damaged, read-only,
/// full, locked, too new); what one table family refuses is that family's own enum, wrapped in
/// `Codes`, `Maintenance`, `Journal` or `Backup`. Each variant has one text per language, in
/// [`StoreError::explain`]; `Display` (the command line, logs) is its English. Raw SQLite text never
/// reaches a clerk: it goes to the log file.
#[derive(Debug)]
pub enum StoreError {
    Sqlite(rusqlite::Error),
    TooNew {
        found: u32,
        known: u32,
    },
    Folder {
        path: PathBuf,
        cause: std::io::Error,
    },
    NoWal(String),
    /// A text longer than its field holds, refused at the store's door (`guard`).
    TooLong(guard::Field),
    /// Attachments and photos need a data folder; an in-memory store has none.
    NoDataFolder,
    /// A file to attach (to an incident, or a photo to a done task) could not be copied in.
    Attachment {
        path: PathBuf,
        cause: std::io::Error,
    },
    /// The database file (or a backup) is damaged: SQLite reported corruption or the integrity check
    /// failed. Never answered by starting empty: see `Store::set_aside_damaged` and
    /// `store::newest_good_backup`.
    Damaged {
        path: Option<PathBuf>,
        detail: String,
    },
    /// The folder or file cannot be written (read-only folder, permissions, a write-protected stick).
    ReadOnly {
        path: Option<PathBuf>,
    },
    DiskFull,
    /// Another program (or another posdesk) kept the database locked longer than `BUSY_TIMEOUT`.
    Locked,
    /// An output the user named was refused (one of the data folder's own files, or it exists).
    Output(crate::fsx::OutputError),
    /// The codes tables refused (pack, code, note).
    Codes(CodesError),
    /// The maintenance tables refused (terminal, task, schedule, history, stock).
    Maintenance(MaintenanceStoreError),
    /// The journal tables refused (incident rule, no such incident).
    Journal(JournalError),
    /// A backup or a file chosen for restore was refused.
    Backup(BackupError),
}

/// `Display` (the English of `explain`), `std::error::Error` and the conversion into
/// [`StoreError`] for one table family's error, so store code can return it with `?` or `.into()`.
macro_rules! family_error {
    ($family:ident, $variant:ident) => {
        impl std::fmt::Display for $family {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.explain().en)
            }
        }

        impl std::error::Error for $family {}

        impl From<$family> for StoreError {
            fn from(e: $family) -> Self {
                StoreError::$variant(e)
            }
        }
    };
}

family_error!(CodesError, Codes);
family_error!(MaintenanceStoreError, Maintenance);
family_error!(JournalError, Journal);
family_error!(BackupError, Backup);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.explain().en)
    }
}

impl std::error::Error for StoreError {}

impl From<crate::fsx::OutputError> for StoreError {
    fn from(e: crate::fsx::OutputError) -> Self {
        StoreError::Output(e)
    }
}

impl StoreError {
    /// A failure of the disk or folder rather than of the data: read-only, full, or an I/O error.
    fn is_io(&self) -> bool {
        match self {
            StoreError::ReadOnly { .. } | StoreError::DiskFull => true,
            StoreError::Sqlite(e) => {
                e.sqlite_error_code() == Some(rusqlite::ErrorCode::SystemIoFailure)
            }
            _ => false,
        }
    }

    /// Name the file an error without one is about (errors converted from SQLite carry no path).
    pub(crate) fn at(self, path: &Path) -> StoreError {
        match self {
            StoreError::Damaged { path: None, detail } => StoreError::Damaged {
                path: Some(path.to_path_buf()),
                detail,
            },
            StoreError::ReadOnly { path: None } => StoreError::ReadOnly {
                path: Some(path.to_path_buf()),
            },
            StoreError::Backup(BackupError::Altered { path: p, lines })
                if p.as_os_str().is_empty() =>
            {
                BackupError::Altered {
                    path: path.to_path_buf(),
                    lines,
                }
                .into()
            }
            other => other,
        }
    }
}

impl Explain for StoreError {
    fn explain(&self) -> Msg {
        match self {
            StoreError::Sqlite(e) => {
                // SQLite's own words are for the log, not for the clerk.
                tracing::error!("database error: {e}");
                Msg::new(
                    "posdesk's database could not do this step, so it was not done. Try again; if it \
                     happens again, the log in the data folder (logs/) says what went wrong.",
                    "posdesk 的数据库无法完成这一步，所以没有执行。请重试；如果再次出现，数据文件夹里的\
                     日志（logs/）记录了原因。",
                )
            }
            StoreError::TooNew { found, known } => Msg::new(
                format!(
                    "The data file was written by a newer posdesk (schema {found}; this program knows \
                     up to {known}). Install the newer posdesk, or open another data folder."
                ),
                format!(
                    "数据文件由更新版本的 posdesk 写入（结构版本 {found}，本程序只认识到 {known}）；\
                     请安装新版 posdesk，或打开其他数据文件夹"
                ),
            ),
            StoreError::Folder { path, cause } => Msg::new(
                format!(
                    "Cannot create the data folder ({cause}): {}",
                    path.display()
                ),
                format!("无法创建数据文件夹（{cause}）：{}", path.display()),
            ),
            StoreError::NoWal(mode) => Msg::new(
                format!("The database did not switch to WAL journal mode (it answered {mode:?})."),
                format!("数据库无法切换到 WAL 日志模式（返回 {mode:?}）"),
            ),
            StoreError::TooLong(field) => field.too_long_msg(),
            StoreError::NoDataFolder => Msg::new(
                "This data has no folder to keep attachments in.",
                "当前数据没有可存放附件的文件夹",
            ),
            StoreError::Attachment { path, cause } => Msg::new(
                format!("Cannot attach {} ({cause}).", path.display()),
                format!("无法添加附件 {}（{cause}）", path.display()),
            ),
            StoreError::Damaged { path, detail } => {
                // SQLite's words about the damage ("btreeInitPage() returns error code 11") are for
                // the log only.
                tracing::error!("damaged data file {path:?}: {detail}");
                let file = path
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                Msg::new(
                    format!(
                        "The data file {file} is damaged, so posdesk will not use it. Nothing is \
                         deleted: restore the newest good backup (in the window, or with `posdesk \
                         restore FILE`), and the damaged file is kept in the damaged folder. The details \
                         are in the log (logs/ in the data folder)."
                    ),
                    format!(
                        "数据文件 {file} 已损坏，posdesk 不会使用它。不会删除任何内容：请恢复最新的完好备份\
                         （在窗口里，或用 `posdesk restore 文件`），损坏的文件会保存在 damaged 文件夹里。\
                         详细原因记录在日志里（数据文件夹的 logs/）。"
                    ),
                )
            }
            StoreError::ReadOnly { path } => {
                let place = path
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                Msg::new(
                    format!(
                        "posdesk cannot save to {place}: the folder or file is read-only or not allowed. \
                         Nothing already saved is lost. Check the folder's permissions or that the disk \
                         is not write-protected, or choose another folder."
                    ),
                    format!(
                        "posdesk 无法保存到 {place}：文件夹或文件是只读的或没有权限。已保存的内容不会丢失。\
                         请检查文件夹权限、磁盘是否写保护，或换一个文件夹。"
                    ),
                )
            }
            StoreError::DiskFull => Msg::new(
                "The disk is full, so this was not saved. Everything saved before is kept. \
                 Free some space (empty the recycle bin, delete old files) and try again.",
                "磁盘已满，这一步没有保存。之前保存的内容都还在。请腾出空间（清空回收站、删除旧文件）后重试。",
            ),
            StoreError::Locked => Msg::new(
                "Another program is using posdesk's data right now (perhaps posdesk is already open, \
                 or a backup or antivirus program is reading the file). Nothing was lost. Wait a moment \
                 and try again, or close the other program.",
                "另一个程序正在使用 posdesk 的数据（可能 posdesk 已经打开，或备份、杀毒软件正在读取该文件）。\
                 没有丢失任何内容。请稍等再试，或关闭那个程序。",
            ),
            StoreError::Output(e) => e.explain(),
            StoreError::Codes(e) => e.explain(),
            StoreError::Maintenance(e) => e.explain(),
            StoreError::Journal(e) => e.explain(),
            StoreError::Backup(e) => e.explain(),
        }
    }
}

// Manual conversions, not `#[from]`: the messages above already include the inner error, and a
// `source` too would print it twice in an error chain.
impl From<rusqlite::Error> for StoreError {
    /// The failures a clerk can act on get their own variant; the rest stay `Sqlite`.
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        match e.sqlite_error_code() {
            Some(C::DiskFull) => StoreError::DiskFull,
            Some(C::ReadOnly | C::CannotOpen | C::PermissionDenied) => {
                StoreError::ReadOnly { path: None }
            }
            Some(C::DatabaseBusy | C::DatabaseLocked) => StoreError::Locked,
            Some(C::DatabaseCorrupt | C::NotADatabase) => StoreError::Damaged {
                path: None,
                detail: e.to_string(),
            },
            _ => StoreError::Sqlite(e),
        }
    }
}

impl From<crate::domain::maintenance::MaintenanceError> for StoreError {
    fn from(e: crate::domain::maintenance::MaintenanceError) -> Self {
        MaintenanceStoreError::Rule(e).into()
    }
}

impl From<crate::packs::checklists::ChecklistPackError> for StoreError {
    fn from(e: crate::packs::checklists::ChecklistPackError) -> Self {
        MaintenanceStoreError::Checklists(e).into()
    }
}

impl From<PackError> for StoreError {
    fn from(e: PackError) -> Self {
        CodesError::Pack(e).into()
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The open database. All business data lives here; everything else is a view of it.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    clock: Clock,
    /// Card numbers masked by writes committed since the caller last asked (`take_masked`).
    masked: std::cell::Cell<u64>,
    /// Opened only to read: the folder or file is read-only, or the disk is full (see
    /// [`Store::is_read_only`]).
    read_only: bool,
}

impl Store {
    /// Open (or create) the database in `dir`, migrate it and bring the bundled codes up to date.
    pub fn open_dir(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|cause| match cause.kind() {
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                StoreError::ReadOnly {
                    path: Some(dir.to_path_buf()),
                }
            }
            std::io::ErrorKind::StorageFull => StoreError::DiskFull,
            _ => StoreError::Folder {
                path: dir.to_path_buf(),
                cause,
            },
        })?;
        Store::open(&dir.join(DB_FILE))
    }

    /// Open (or create) the database file. Before anything is written it checks, in order: the schema
    /// is not newer (`TooNew`), the file is not another program's (`NotPosdesk`), and
    /// `PRAGMA quick_check` passes (`Damaged`). A pending migration first writes a backup.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_checked(path).map_err(|e| e.at(path))
    }

    fn open_checked(path: &Path) -> Result<Store> {
        sweep_leftovers(path);
        match Store::open_writable(path) {
            // A read-only folder or file, or a disk too full for SQLite's side files: the clerk can
            // still look things up, read, export and back up elsewhere.
            Err(
                e @ (StoreError::ReadOnly { .. } | StoreError::DiskFull | StoreError::Sqlite(_)),
            ) if path.is_file() && e.is_io() => Store::open_for_reading(path).map_err(|_| e),
            other => other,
        }
    }

    /// Open an existing database only to read it. A file that needs migrating cannot be opened so.
    fn open_for_reading(path: &Path) -> Result<Store> {
        let conn = backup::open_read_only(path)?;
        let found = check_version(&conn)?;
        backup::refuse_foreign(&conn, path)?;
        backup::quick_check(&conn)?;
        if found < SCHEMA_VERSION {
            return Err(StoreError::ReadOnly {
                path: Some(path.to_path_buf()),
            });
        }
        conn.execute_batch("PRAGMA foreign_keys=ON;")?;
        Ok(Store {
            conn,
            path: Some(path.to_path_buf()),
            clock: Clock::system(),
            masked: std::cell::Cell::new(0),
            read_only: true,
        })
    }

    /// Whether this store was opened only to read (a read-only folder or file, or a full disk):
    /// lookups, reading, exports and backups to elsewhere work; saving does not.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn open_writable(path: &Path) -> Result<Store> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Refuse a newer file before changing anything in it, journal mode included.
        check_version(&conn)?;
        backup::refuse_foreign(&conn, path)?;
        backup::quick_check(&conn)?;
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

    fn init(mut conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        // Every write transaction takes the write lock when it begins, waiting up to the busy timeout.
        // A deferred one that reads first and then writes gets SQLITE_BUSY at once, without waiting,
        // while another posdesk writes: two windows (or the CLI) writing together lost one write.
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        // FULL: a till loses power; NORMAL in WAL mode may roll back the last commits after a power cut.
        // secure_delete: a page freed by masking or deleting is overwritten with zeros, so an old text
        // (a card number masked by an upgrade) does not live on in free pages of the file or its WAL.
        conn.execute_batch(CONNECTION_PRAGMAS)?;
        let mut store = Store {
            conn,
            path,
            clock: Clock::system(),
            masked: std::cell::Cell::new(0),
            read_only: false,
        };
        store.upgrade()?;
        // Debug builds (the test suite) refuse a commit that changes a synced row without its
        // outbox marker (store::outbox::audit).
        #[cfg(debug_assertions)]
        outbox::audit::install(&mut store.conn)?;
        Ok(store)
    }

    /// Migrate and bring the bundled packs up to date: at open, and after a restore of older data.
    fn upgrade(&mut self) -> Result<()> {
        self.migrate()?;
        // Parse the bundled codes only when they are newer than the installed ones: not on every start.
        let bundled = Pack::bundled_version()?;
        if self.pack_version()?.is_none_or(|v| v < bundled) {
            self.sync_pack(&Pack::bundled()?)?;
        }
        // The same for the checklist templates; terminals' own schedules are never touched.
        self.sync_bundled_checklists()?;
        Ok(())
    }

    /// Use `clock` for every time this store writes (tests and schedules set the date this way).
    pub fn with_clock(mut self, clock: Clock) -> Store {
        self.clock = clock;
        self
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// How many card numbers the writes committed since the last call masked (then starts again from
    /// 0). The CLI and the window ask after each action and tell the clerk.
    pub fn take_masked(&self) -> u64 {
        self.masked.replace(0)
    }

    /// Count the numbers a committed write masked (call only after its commit).
    pub fn note_masked(&self, n: usize) {
        self.masked.set(self.masked.get() + n as u64);
    }

    /// Now, as stored in `*_at` columns: RFC 3339 in UTC.
    fn now_text(&self) -> String {
        self.clock.now().to_string()
    }

    /// `synchronous` and `foreign_keys` as this connection runs with them (2 = FULL, 1 = on).
    pub fn pragmas(&self) -> Result<(i64, i64)> {
        let sync = self
            .conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))?;
        let fk = self
            .conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
        Ok((sync, fk))
    }

    pub fn schema_version(&self) -> Result<u32> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn migrate(&mut self) -> Result<()> {
        let found = check_version(&self.conn)?;
        if found >= SCHEMA_VERSION {
            return Ok(());
        }
        if found > 0 {
            self.backup_before_migration(found)?;
        }
        let mut masked = 0;
        for (i, step) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            // IMMEDIATE and a second look: another posdesk started at the same moment may have run it.
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            if check_version(&tx)? as usize > i {
                continue;
            }
            match step {
                Migration::Sql(sql) => tx.execute_batch(sql)?,
                Migration::MaskAllText(sql) => {
                    tx.execute_batch(sql)?;
                    masked += scrub::mask_all_text(&tx)?;
                }
                Migration::SyncOutbox(sql) => {
                    tx.execute_batch(sql)?;
                    outbox::backfill(&tx, &self.clock)?;
                }
            }
            tx.pragma_update(None, "user_version", i as u32 + 1)?;
            tx.commit()?;
        }
        if masked > 0
            && let Some(dir) = self.backups_dir()
        {
            // The backups, the one just made before this upgrade too, hold the same numbers.
            scrub::mask_backups(&dir);
        }
        if masked > 0 && self.path.is_some() {
            // Earlier frames of the WAL may still hold pages as they were before: write the new pages
            // into the file (whose freed pages secure_delete has zeroed) and empty the WAL.
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
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

/// Remove the temporary files a posdesk killed mid-way left beside the database, in `backups/` and in
/// `attachments/` (a backup's, a restore's or an attachment's partial copy): hidden, and as large as
/// the database, they would otherwise fill the disk over the years.
fn sweep_leftovers(db: &Path) {
    let Some(dir) = db.parent() else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    for d in [
        dir.to_path_buf(),
        dir.join(backup::BACKUPS_DIR),
        dir.join(journal::ATTACHMENTS_DIR),
    ] {
        crate::fsx::sweep_partials(&d);
    }
}

/// The file's schema version, or `TooNew` when a newer posdesk wrote it.
fn check_version(conn: &Connection) -> Result<u32> {
    let found: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found,
            known: SCHEMA_VERSION,
        });
    }
    Ok(found)
}
