//! Backups, restore and health checks: the shop's records must survive a power cut, a damaged disk page,
//! a full disk and a wrong file picked in a dialog.
//!
//! Layout, all in the data folder beside the database:
//!
//! ```text
//! posdesk.sqlite3                              the live database (+ -wal, -shm while open)
//! attachments/                                 the live attachment files (<sha256>.<ext>)
//! backups/daily-2026-03-01.sqlite3             first start of each day (Store::daily_backup)
//! backups/daily-2026-03-01.attachments/        the attachment files that backup needs
//! backups/manual-20260301T143000.sqlite3       "Back up now" / `posdesk backup` with no file given
//! backups/pre-migration-v3-20260301T143000.sqlite3   before a newer posdesk upgrades the schema
//! backups/before-restore-20260301T143000.sqlite3     the data as it was just before a restore
//! damaged/posdesk-20260301T143000.sqlite3      a damaged database set aside (+ its -wal, -shm)
//! ```
//!
//! Every backup is one self-contained SQLite file (rollback journal, no -wal beside it) written with
//! `VACUUM INTO` under a temporary name, synced and renamed, so a backup file is always whole; its
//! attachments go into `<stem>.attachments/` beside it (see [`attachments_beside`]) *before* the file
//! is renamed into place. Inside `backups/` an attachment already kept by another backup is hard-linked
//! (names are content hashes, files never change), so 26 backups of 1 GB of photos cost 1 GB; a backup
//! written anywhere else (a USB stick) gets real copies.
//!
//! Retention ([`prune_daily`]) touches only `daily-*`: the 14 newest are kept, plus the first of each
//! month for a year. Manual, pre-migration and before-restore copies are kept until the user deletes
//! them; damaged files are never deleted.

use super::{DB_FILE, Result, SCHEMA_VERSION, Store, StoreError};
use crate::clock::Clock;
use crate::i18n::{Explain, Msg};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};

/// `PRAGMA application_id` of a posdesk database ("POSD"), set by migration 004.
pub const APPLICATION_ID: i32 = 0x504F_5344;

/// Folder of the automatic and manual backups, beside the database.
pub const BACKUPS_DIR: &str = "backups";

/// Folder damaged databases are moved into by [`Store::set_aside_damaged`].
pub const DAMAGED_DIR: &str = "damaged";

/// Daily backups kept whatever their month.
pub const KEEP_DAILY: usize = 14;

/// Months (counting back from today) that keep their first daily backup.
pub const KEEP_MONTHS: i64 = 12;

const DB_EXT: &str = "sqlite3";
const DAILY_PREFIX: &str = "daily-";
const LAST_BACKUP_AT: &str = "last_backup_at";
const LAST_BACKUP_PATH: &str = "last_backup_path";
/// Written into each backup file: when it was made (RFC 3339, UTC).
const BACKUP_MADE_AT: &str = "backup_made_at";
/// At most this many problem lines are kept from an integrity check.
const MAX_PROBLEM_LINES: usize = 10;

/// One backup written: the file, its attachments folder and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    /// `<stem>.attachments/` beside the file; it exists only when there were attachments to keep.
    pub attachments_dir: PathBuf,
    /// Attachment files the backup keeps.
    pub attachments: usize,
    pub made_at: Timestamp,
    /// Size of the database file.
    pub bytes: u64,
}

/// The most recent backup this database made (any kind), for the Settings screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastBackup {
    pub at: Timestamp,
    pub path: PathBuf,
}

/// What a backup file holds, shown before a restore is confirmed. Only a file that passed every check
/// (posdesk's, not newer than this program, integrity ok) gets a summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupSummary {
    pub path: PathBuf,
    /// When the backup was made (recorded inside it; the file's modification time for a plain copy of a
    /// database). `None` only when neither is known.
    pub made_at: Option<Timestamp>,
    pub schema_version: u32,
    pub own_codes: u64,
    pub notes: u64,
    pub terminals: u64,
    pub incidents: u64,
    /// Attachment rows; their files are in [`BackupSummary::attachments_dir`] when the backup has them.
    pub attachments: u64,
    pub attachments_dir: PathBuf,
}

impl BackupSummary {
    /// What the backup holds, in one line: its date (local time) and its counts. Settings and
    /// `posdesk restore` show it before the data is replaced.
    pub fn describe(&self) -> Msg {
        let date = self.made_at.map(crate::domain::dates::local_minute);
        let (codes, notes, terminals, incidents) =
            (self.own_codes, self.notes, self.terminals, self.incidents);
        Msg::new(
            format!(
                "from {}: {incidents} incidents, {terminals} terminals, {codes} own codes, {notes} notes",
                date.as_deref().unwrap_or("an unknown date")
            ),
            format!(
                "{}：{incidents} 条故障记录，{terminals} 台终端，{codes} 个自己的代码，{notes} 条备注",
                date.as_deref().unwrap_or("日期不明")
            ),
        )
    }
}

/// Why a file is not a posdesk database ([`BackupError::NotPosdesk`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotPosdesk {
    NoSuchFile,
    /// Not SQLite at all (a text file, a photo, random bytes).
    NotADatabase,
    /// SQLite, but with no tables (an empty file is one too).
    Empty,
    /// Another program's SQLite database.
    Foreign,
    /// A page size posdesk never writes, so it cannot be copied into the live file.
    PageSize,
    /// A symbolic link (to the file or its attachments folder): a restore reads only real files.
    Link,
}

impl NotPosdesk {
    pub fn en(self) -> &'static str {
        match self {
            NotPosdesk::NoSuchFile => "there is no such file",
            NotPosdesk::NotADatabase => "not a database file",
            NotPosdesk::Empty => "an empty database",
            NotPosdesk::Foreign => "another program's database",
            NotPosdesk::PageSize => "its page size differs; make the backup with posdesk",
            NotPosdesk::Link => "a symbolic link; choose the backup file itself",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            NotPosdesk::NoSuchFile => "没有这个文件",
            NotPosdesk::NotADatabase => "不是数据库文件",
            NotPosdesk::Empty => "空数据库",
            NotPosdesk::Foreign => "其他程序的数据库",
            NotPosdesk::PageSize => "页大小不同；请用 posdesk 制作备份",
            NotPosdesk::Link => "是符号链接；请直接选择备份文件本身",
        }
    }
}

impl std::fmt::Display for NotPosdesk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.en())
    }
}

/// `<stem>.attachments` beside a backup file: where its attachment files are kept.
pub fn attachments_beside(backup: &Path) -> PathBuf {
    let stem = backup
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "backup".into());
    backup.with_file_name(format!("{stem}.attachments"))
}

/// The backups folder of a data folder.
pub fn backups_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(BACKUPS_DIR)
}

/// Backup files in a data folder's `backups/`, newest first (by modification time).
pub fn backup_files(data_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(backups_dir(data_dir)) else {
        return Vec::new();
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == DB_EXT))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .map(|p| {
            let t = std::fs::metadata(&p)
                .and_then(|m| m.modified())
                .unwrap_or(std::time::UNIX_EPOCH);
            (t, p)
        })
        .collect();
    files.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.cmp(&a.1)));
    files.into_iter().map(|(_, p)| p).collect()
}

/// The newest backup in `data_dir/backups/` that passes every check of [`backup_summary`]: what the
/// start screen offers to restore when the database is damaged.
pub fn newest_good_backup(data_dir: &Path) -> Option<PathBuf> {
    backup_files(data_dir)
        .into_iter()
        .find(|p| backup_summary(p).is_ok())
}

/// Check a backup (or any file a clerk picked) and say what it holds. Refuses, with a typed error and
/// without changing the file: a missing file, a file that is not a posdesk database
/// ([`BackupError::NotPosdesk`]), one from a newer posdesk ([`BackupError::BackupTooNew`]) and one that
/// fails `PRAGMA integrity_check` ([`StoreError::Damaged`]).
pub fn backup_summary(path: &Path) -> Result<BackupSummary> {
    summarise(path).map_err(|e| e.at(path))
}

fn summarise(path: &Path) -> Result<BackupSummary> {
    let conn = open_read_only(path)?;
    let schema_version = identify(&conn, path)?;
    let lines = integrity_lines(&conn, "integrity_check")?;
    if !lines.is_empty() {
        return Err(StoreError::Damaged {
            path: Some(path.to_path_buf()),
            detail: lines.join("; "),
        });
    }
    let count = |sql: &str| -> Result<u64> {
        Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))?.max(0) as u64)
    };
    let has = |table: &str| has_table(&conn, table);
    let made_at = if has("meta")? {
        conn.query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [BACKUP_MADE_AT],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .and_then(|t| t.parse::<Timestamp>().ok())
    } else {
        None
    }
    .or_else(|| {
        std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| Timestamp::try_from(t).ok())
    });
    let or_zero =
        |table: &str, sql: &str| -> Result<u64> { if has(table)? { count(sql) } else { Ok(0) } };
    Ok(BackupSummary {
        path: path.to_path_buf(),
        made_at,
        schema_version,
        own_codes: or_zero(
            "codes",
            "SELECT count(*) FROM codes WHERE scheme = 'custom'",
        )?,
        notes: or_zero("code_notes", "SELECT count(*) FROM code_notes")?,
        terminals: or_zero("terminals", "SELECT count(*) FROM terminals")?,
        incidents: or_zero("incidents", "SELECT count(*) FROM incidents")?,
        attachments: or_zero("attachments", "SELECT count(*) FROM attachments")?,
        attachments_dir: attachments_beside(path),
    })
}

/// An I/O error on a backup, restore or set-aside file, classified so the clerk can act on it.
fn file_error(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |cause| match cause.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => StoreError::DiskFull,
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            StoreError::ReadOnly {
                path: Some(path.to_path_buf()),
            }
        }
        _ => BackupError::BackupFile {
            path: path.to_path_buf(),
            cause,
        }
        .into(),
    }
}

use crate::fsx::sync_dir;

mod candidate;
mod check;
mod error;

pub(in crate::store) use candidate::*;
pub use check::*;
pub use error::BackupError;

/// `prefix-YYYYMMDDTHHMMSS.sqlite3` in `dir` (local time; the `T` keeps the 14 digits from reading as a card number that the masking of stored paths would hide), with `-2`, `-3`… when that name is taken.
fn stamped_name(dir: &Path, prefix: &str, at: Timestamp) -> PathBuf {
    let stamp = at.to_zoned(TimeZone::system()).strftime("%Y%m%dT%H%M%S");
    let mut path = dir.join(format!("{prefix}-{stamp}.{DB_EXT}"));
    let mut n = 2;
    while path.exists() || attachments_beside(&path).exists() {
        path = dir.join(format!("{prefix}-{stamp}-{n}.{DB_EXT}"));
        n += 1;
    }
    path
}

/// Put every attachment file of `from` into `to` that is not there yet (names are content hashes, so
/// a present name is the same content). Files are hard-linked from `link_from` folders when one has
/// the name, else copied. Nothing in `to` is removed. Returns how many files `to` now shares with
/// `from`.
fn merge_attachments(from: &Path, to: &Path, link_from: &[PathBuf]) -> std::io::Result<usize> {
    let entries = match std::fs::read_dir(from) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut n = 0;
    let mut created = false;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        // Only attachment files (`<sha256>[.ext]`, never a link): temporary files of an attachment
        // being copied in start with a dot, and a crafted backup's folder may hold anything.
        if !crate::domain::incident::is_stored_name(&name.to_string_lossy())
            || !entry.file_type()?.is_file()
        {
            continue;
        }
        if !created {
            std::fs::create_dir_all(to)?;
            created = true;
        }
        let dest = to.join(&name);
        if !dest.exists() {
            let linked = link_from
                .iter()
                .map(|d| d.join(&name))
                .find(|p| p.symlink_metadata().is_ok_and(|m| m.is_file()))
                .is_some_and(|p| std::fs::hard_link(p, &dest).is_ok());
            if !linked {
                crate::fsx::copy_whole(&entry.path(), &dest)?;
            }
        }
        n += 1;
    }
    if created {
        sync_dir(to);
    }
    Ok(n)
}

/// The `*.attachments` folders in `backups/`, except `but`: where a new backup can hard-link from.
fn sibling_attachment_dirs(backups: &Path, but: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(backups)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.is_dir() && p != but && p.extension().is_some_and(|x| x == "attachments")
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Daily backups to delete on `today` under the retention rule: all but the [`KEEP_DAILY`] newest
/// and the first of each of the last [`KEEP_MONTHS`] months.
pub fn prune_plan(days: &[Date], today: Date) -> Vec<Date> {
    let mut sorted: Vec<Date> = days.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    sorted.dedup();
    let mut keep: Vec<Date> = sorted.iter().take(KEEP_DAILY).copied().collect();
    let oldest_month = today
        .checked_sub((KEEP_MONTHS - 1).months())
        .unwrap_or(Date::MIN)
        .first_of_month();
    let mut month_first: std::collections::BTreeMap<(i16, i8), Date> = Default::default();
    for d in &sorted {
        if *d >= oldest_month {
            let first = month_first.entry((d.year(), d.month())).or_insert(*d);
            if d < first {
                *first = *d;
            }
        }
    }
    keep.extend(month_first.values().copied());
    sorted.into_iter().filter(|d| !keep.contains(d)).collect()
}

/// Delete the daily backups (and their attachment folders) the retention rule no longer keeps.
/// Returns the files deleted.
pub fn prune_daily(backups: &Path, today: Date) -> Result<Vec<PathBuf>> {
    let Ok(entries) = std::fs::read_dir(backups) else {
        return Ok(Vec::new());
    };
    let days: Vec<Date> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_prefix(DAILY_PREFIX)?
                .strip_suffix(&format!(".{DB_EXT}"))?
                .parse::<Date>()
                .ok()
        })
        .collect();
    let mut deleted = Vec::new();
    for day in prune_plan(&days, today) {
        let file = daily_path(backups, day);
        crate::fsx::remove_file(&file).map_err(file_error(&file))?;
        let att = attachments_beside(&file);
        if att.is_dir() {
            std::fs::remove_dir_all(&att).map_err(file_error(&att))?;
        }
        deleted.push(file);
    }
    Ok(deleted)
}

fn daily_path(backups: &Path, day: Date) -> PathBuf {
    backups.join(format!("{DAILY_PREFIX}{day}.{DB_EXT}"))
}

/// Where a database keeps its data: the folder holding the file.
fn data_dir_of(db: &Path) -> PathBuf {
    db.parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// What [`Store::recover_from_backup`] did.
pub struct Recovered {
    /// The store, open on the restored data.
    pub store: Store,
    /// Where the damaged database was moved (absent when there was no file).
    pub damaged_copy: Option<PathBuf>,
}

impl Store {
    /// The data folder's `backups/`, for a store kept in a file.
    pub fn backups_dir(&self) -> Option<PathBuf> {
        self.path().map(|p| backups_dir(&data_dir_of(p)))
    }

    /// Write a consistent copy of the whole database to `dest` (replacing a file there), with the
    /// attachments in [`attachments_beside`]`(dest)`. A `dest` that is one of the data folder's own
    /// files is refused ([`crate::fsx::Output`]). Runs while other windows keep writing: the copy is
    /// one read snapshot. To keep the window responsive, call it on a second `Store::open` of
    /// [`Store::path`] in a worker thread.
    pub fn backup_to(&self, dest: &Path) -> Result<BackupInfo> {
        let out = crate::fsx::Output::check(
            self.path().map(data_dir_of).as_deref(),
            dest,
            crate::fsx::Replace::Yes,
        )?;
        self.backup_output(&out)
    }

    /// [`Store::backup_to`] a checked output: an existing file is replaced only when `out` allows it.
    pub fn backup_output(&self, out: &crate::fsx::Output) -> Result<BackupInfo> {
        let info = self.backup_into(out.path(), out.replace())?;
        // A backup that is written is written: failing to note it (a read-only or full database)
        // must not turn it into a failure.
        let _ = self.record_backup(&info);
        Ok(info)
    }

    /// Write the backup file `dest` (posdesk's own names in `backups/`, or a checked output).
    fn backup_into(&self, dest: &Path, replace: crate::fsx::Replace) -> Result<BackupInfo> {
        let made_at = self.clock().now();
        let dest_dir = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        std::fs::create_dir_all(&dest_dir).map_err(file_error(&dest_dir))?;
        if dest.file_name().is_none() {
            return Err(BackupError::BackupFile {
                path: dest.to_path_buf(),
                cause: std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name"),
            }
            .into());
        }
        // The name is taken exclusively (a planted file or link there is skipped, never written
        // through); VACUUM INTO fills the empty file.
        let (file, tmp) = crate::fsx::create_partial(dest).map_err(file_error(dest))?;
        drop(file);
        let result = self.write_backup(dest, &tmp, made_at, replace);
        if result.is_err() {
            let _ = crate::fsx::remove_file(&tmp);
            let mut journal = tmp.as_os_str().to_owned();
            journal.push("-journal");
            let _ = crate::fsx::remove_file(Path::new(&journal));
        }
        result.map_err(|e| e.at(dest))
    }

    fn write_backup(
        &self,
        dest: &Path,
        tmp: &Path,
        made_at: Timestamp,
        replace: crate::fsx::Replace,
    ) -> Result<BackupInfo> {
        match tmp.to_str() {
            Some(tmp_text) => {
                self.conn.execute("VACUUM INTO ?1", [tmp_text])?;
            }
            None => {
                // VACUUM INTO takes a text name; a folder whose name is not valid Unicode (Linux)
                // gets the page-by-page copy of the backup API instead.
                let mut copy = Connection::open(tmp)?;
                let b = rusqlite::backup::Backup::new(&self.conn, &mut copy)?;
                b.run_to_completion(1 << 20, std::time::Duration::from_millis(50), None)?;
            }
        }
        {
            // A backup is one self-contained file: a rollback journal, and when it was made.
            let copy = Connection::open(tmp)?;
            let mode: String = copy.query_row("PRAGMA journal_mode=DELETE", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("delete") {
                return Err(StoreError::NoWal(mode));
            }
            copy.execute_batch("PRAGMA synchronous=FULL")?;
            if has_table(&copy, "meta")? {
                copy.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2) \
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [BACKUP_MADE_AT, &made_at.to_string()],
                )?;
            }
        }
        // Through a handle opened for writing: Windows refuses to flush a read-only one.
        crate::fsx::sync_file(tmp).map_err(file_error(tmp))?;
        // Attachments first: a backup file in place always has its attachments beside it.
        let att_dir = attachments_beside(dest);
        let attachments = match self.attachments_dir() {
            Some(live) => {
                let backups = self.backups_dir();
                let link_from = match &backups {
                    Some(b) if dest.parent() == Some(b.as_path()) => {
                        sibling_attachment_dirs(b, &att_dir)
                    }
                    _ => Vec::new(),
                };
                merge_attachments(&live, &att_dir, &link_from).map_err(file_error(&att_dir))?
            }
            None => 0,
        };
        crate::fsx::put_in_place(tmp, dest, replace).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                StoreError::Output(crate::fsx::OutputError::Exists(dest.to_path_buf()))
            } else {
                file_error(dest)(e)
            }
        })?;
        let bytes = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
        Ok(BackupInfo {
            path: dest.to_path_buf(),
            attachments_dir: att_dir,
            attachments,
            made_at,
            bytes,
        })
    }

    fn record_backup(&self, info: &BackupInfo) -> Result<()> {
        let path = std::path::absolute(&info.path).unwrap_or_else(|_| info.path.clone());
        let tx = self.conn.unchecked_transaction()?;
        for (key, value) in [
            (LAST_BACKUP_AT, info.made_at.to_string()),
            (LAST_BACKUP_PATH, path.to_string_lossy().into_owned()),
        ] {
            // The path is typed by the clerk; the time is the clock's (a mask would only damage it).
            let value = if key == LAST_BACKUP_PATH {
                super::guard::clean_text(super::guard::Field::SETTING, &value)?.text
            } else {
                value
            };
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, &value],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// A new backup in `backups/` named by the time ("Back up now", `posdesk backup`).
    pub fn backup_now(&self) -> Result<BackupInfo> {
        let dir = self.backups_dir().ok_or(StoreError::NoDataFolder)?;
        self.backup_stamped(&dir, "manual")
    }

    /// A backup under a new `prefix-<time>` name in `dir`, never replacing another (two posdesks
    /// backing up in the same second get two files).
    fn backup_stamped(&self, dir: &Path, prefix: &str) -> Result<BackupInfo> {
        let mut tries = 0;
        loop {
            let dest = stamped_name(dir, prefix, self.clock().now());
            match self.backup_into(&dest, crate::fsx::Replace::No) {
                Err(StoreError::Output(crate::fsx::OutputError::Exists(_))) if tries < 5 => {
                    tries += 1;
                }
                Ok(info) => {
                    let _ = self.record_backup(&info);
                    return Ok(info);
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// The first call on each day (by the store's clock) writes `backups/daily-<date>.sqlite3` and
    /// prunes old daily copies; later calls that day return `None`, as does a store without a folder.
    /// Call it at start-up, off the UI thread.
    pub fn daily_backup(&self) -> Result<Option<PathBuf>> {
        let Some(dir) = self.backups_dir() else {
            return Ok(None);
        };
        let today = self.clock().today();
        let dest = daily_path(&dir, today);
        if dest.exists() {
            return Ok(None);
        }
        let info = self.backup_into(&dest, crate::fsx::Replace::Yes)?;
        let _ = self.record_backup(&info);
        prune_daily(&dir, today)?;
        Ok(Some(info.path))
    }

    /// Before migrations change an existing database: a copy as it was. No copy, no migration.
    pub(super) fn backup_before_migration(&self, from: u32) -> Result<()> {
        if let Some(dir) = self.backups_dir() {
            self.backup_stamped(&dir, &format!("pre-migration-v{from}"))?;
        }
        Ok(())
    }

    /// The latest backup this data made (daily, manual, before a migration or a restore).
    pub fn last_backup(&self) -> Result<Option<LastBackup>> {
        let at = self.meta(LAST_BACKUP_AT)?.and_then(|t| t.parse().ok());
        let path = self.meta(LAST_BACKUP_PATH)?;
        Ok(at.zip(path).map(|(at, path)| LastBackup {
            at,
            path: PathBuf::from(path),
        }))
    }

    /// Replace all data with a backup's. Nothing is trusted and nothing live is touched until the end:
    /// the backup is copied into a private candidate file ([`prepare_candidate`]: no links followed,
    /// posdesk's, not newer, integrity and links between records ok, exactly the schema its version
    /// must have, real attachment names), which is migrated to this program's schema and gets the
    /// current bundled packs. Only then is the current data copied aside into
    /// `backups/before-restore-<time>.sqlite3` (returned; never deleted), the backup's attachments
    /// added to `attachments/` (none removed), and the content swapped in one SQLite transaction, so
    /// other windows see either the old or the new data and a refused, failed or interrupted restore
    /// leaves the live data as it was.
    ///
    /// The swap is a transaction, not a rename of the file: other posdesk windows and the CLI keep
    /// the database open, and renaming over an open WAL database loses their later writes (and is
    /// refused on Windows).
    ///
    /// Caches built from the store (the code book, counts) must be reloaded afterwards.
    pub fn restore_from(&mut self, backup: &Path) -> Result<PathBuf> {
        let dir = self.backups_dir().ok_or(StoreError::NoDataFolder)?;
        let candidate = prepare_candidate(backup, &dir)?;
        let aside = self.backup_stamped(&dir, "before-restore")?.path;
        self.swap_in(&candidate)?;
        // Head office has seen this till's later changes: the next sync starts a new epoch and
        // sends the restored outbox again (events are idempotent there).
        self.set_sync_restored()?;
        // The clerk is told when the backup held card numbers that were masked on the way in.
        if let Some(restored) = &candidate.store {
            self.note_masked(usize::try_from(restored.take_masked()).unwrap_or(usize::MAX));
        }
        drop(candidate);
        // The restored meta holds the backup's own record; the copy just made is the latest.
        let info = BackupInfo {
            path: aside.clone(),
            attachments_dir: attachments_beside(&aside),
            attachments: 0,
            made_at: self.clock().now(),
            bytes: 0,
        };
        let _ = self.record_backup(&info);
        Ok(aside)
    }

    /// Replace the content with a prepared candidate's, in one transaction (SQLite's backup API in
    /// one step). The backup's attachment files are added first (adding never harms the live data).
    fn swap_in(&mut self, candidate: &Candidate) -> Result<()> {
        if let Some(live) = self.attachments_dir() {
            merge_attachments(&attachments_beside(&candidate.source), &live, &[])
                .map_err(file_error(&live))?;
        }
        let src = candidate.conn()?;
        let page = |c: &Connection| c.query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0));
        let live_page = page(&self.conn)?;
        if page(src)? != live_page {
            // The candidate is private and in rollback mode: VACUUM gives it the live page size.
            src.execute_batch(&format!("PRAGMA page_size={live_page}; VACUUM;"))?;
        }
        let copy = rusqlite::backup::Backup::new(src, &mut self.conn)?;
        let mut waited = std::time::Duration::ZERO;
        loop {
            // -1: every page in one step, so the destination changes in one transaction.
            match copy.step(-1)? {
                rusqlite::backup::StepResult::Done => break,
                rusqlite::backup::StepResult::More => {}
                _ if waited >= super::BUSY_TIMEOUT => return Err(StoreError::Locked),
                _ => {
                    let pause = std::time::Duration::from_millis(100);
                    std::thread::sleep(pause);
                    waited += pause;
                }
            }
        }
        Ok(())
    }

    /// Move a damaged database and its `-wal` / `-shm` into `damaged/` beside it (never deleted: a
    /// specialist may still recover rows from it). Returns the new path of the database file; the
    /// next open starts a new file, into which a backup is restored ([`Store::recover_from_backup`]).
    pub fn set_aside_damaged(db_path: &Path) -> Result<PathBuf> {
        let dir = data_dir_of(db_path).join(DAMAGED_DIR);
        std::fs::create_dir_all(&dir).map_err(file_error(&dir))?;
        // Named by the file's own modification time: this runs before any store (and clock) exists.
        let at = std::fs::metadata(db_path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| Timestamp::try_from(t).ok())
            .unwrap_or(Timestamp::UNIX_EPOCH);
        let stem = db_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "posdesk".into());
        let dest = stamped_name(&dir, &stem, at);
        crate::fsx::rename_replace(db_path, &dest).map_err(file_error(db_path))?;
        for suffix in ["-wal", "-shm"] {
            let mut side = db_path.as_os_str().to_owned();
            side.push(suffix);
            let side = PathBuf::from(side);
            if side.exists() {
                let mut to = dest.as_os_str().to_owned();
                to.push(suffix);
                crate::fsx::rename_replace(&side, &PathBuf::from(to)).map_err(file_error(&side))?;
            }
        }
        sync_dir(&dir);
        if let Some(parent) = db_path.parent() {
            sync_dir(parent);
        }
        Ok(dest)
    }

    /// When the database in `data_dir` cannot be opened because it is damaged: check `backup` first
    /// (a refused backup changes nothing), move the damaged file aside, start a new database and
    /// restore the backup into it. Attachments already in `attachments/` stay.
    pub fn recover_from_backup(data_dir: &Path, backup: &Path, clock: Clock) -> Result<Recovered> {
        let candidate = prepare_candidate(backup, &backups_dir(data_dir))?;
        let db = data_dir.join(DB_FILE);
        let damaged_copy = if db.exists() {
            Some(Store::set_aside_damaged(&db)?)
        } else {
            None
        };
        let mut store = Store::open_dir(data_dir)?.with_clock(clock);
        store.swap_in(&candidate)?;
        store.set_sync_restored()?;
        Ok(Recovered {
            store,
            damaged_copy,
        })
    }
}

/// A private copy of a backup being restored, checked and migrated; its file is removed when dropped.
pub(in crate::store) struct Candidate {
    store: Option<Store>,
    file: PathBuf,
    /// The backup it was copied from (its attachments are beside it).
    source: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn retention_keeps_fourteen_days_and_the_first_of_each_month_for_a_year() {
        let today = d("2026-06-30");
        let days: Vec<Date> = (0..500)
            .filter_map(|n| today.checked_sub(n.days()).ok())
            .collect();
        let deleted = prune_plan(&days, today);
        let kept: Vec<Date> = days
            .iter()
            .filter(|x| !deleted.contains(x))
            .copied()
            .collect();
        assert_eq!(kept.len(), KEEP_DAILY + 12, "{kept:?}");
        assert!(kept.contains(&d("2026-06-17")) && !kept.contains(&d("2026-06-16")));
        assert!(kept.contains(&d("2025-07-01")) && kept.contains(&d("2026-01-01")));
        assert!(!kept.contains(&d("2025-06-01")), "older than a year");
        assert!(!kept.contains(&d("2025-12-02")));
    }
}
