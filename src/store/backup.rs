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
//! backups/manual-20260301-143000.sqlite3       "Back up now" / `posdesk backup` with no file given
//! backups/pre-migration-v3-20260301-143000.sqlite3   before a newer posdesk upgrades the schema
//! backups/before-restore-20260301-143000.sqlite3     the data as it was just before a restore
//! damaged/posdesk-20260301-143000.sqlite3      a damaged database set aside (+ its -wal, -shm)
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

/// Why a file is not a posdesk database ([`StoreError::NotPosdesk`]).
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
}

impl NotPosdesk {
    pub fn en(self) -> &'static str {
        match self {
            NotPosdesk::NoSuchFile => "there is no such file",
            NotPosdesk::NotADatabase => "not a database file",
            NotPosdesk::Empty => "an empty database",
            NotPosdesk::Foreign => "another program's database",
            NotPosdesk::PageSize => "its page size differs; make the backup with posdesk",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            NotPosdesk::NoSuchFile => "没有这个文件",
            NotPosdesk::NotADatabase => "不是数据库文件",
            NotPosdesk::Empty => "空数据库",
            NotPosdesk::Foreign => "其他程序的数据库",
            NotPosdesk::PageSize => "页大小不同；请用 posdesk 制作备份",
        }
    }
}

impl std::fmt::Display for NotPosdesk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.en())
    }
}

/// One finding of [`check_file`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// There is no database file there.
    Missing(PathBuf),
    /// The file cannot be read as a posdesk database (not SQLite, or another program's file).
    NotPosdesk(NotPosdesk),
    /// A newer posdesk wrote it.
    TooNew { found: u32, known: u32 },
    /// `PRAGMA integrity_check` (or opening) reported damage: its first lines.
    Integrity(Vec<String>),
    /// Rows pointing at rows that are not there: `table rowid -> parent`.
    ForeignKeys(Vec<String>),
    /// Another program holds the file locked.
    Locked,
    /// The check could not run (permissions, I/O): the reason.
    Unreadable(String),
}

/// The outcome of [`check_file`]: healthy when `problems` is empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckReport {
    pub path: PathBuf,
    pub schema_version: Option<u32>,
    pub problems: Vec<Problem>,
}

impl CheckReport {
    pub fn is_healthy(&self) -> bool {
        self.problems.is_empty()
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.explain().en)
    }
}

impl Explain for Problem {
    fn explain(&self) -> Msg {
        match self {
            Problem::Missing(path) => Msg::new(
                format!("There is no posdesk database at {}.", path.display()),
                format!("{} 没有 posdesk 数据库。", path.display()),
            ),
            Problem::NotPosdesk(why) => Msg::new(
                format!("This is not a posdesk database ({}).", why.en()),
                format!("这不是 posdesk 的数据库（{}）。", why.zh()),
            ),
            Problem::TooNew { found, known } => Msg::new(
                format!(
                    "A newer posdesk wrote this file (schema {found}; this program knows up to {known})."
                ),
                format!(
                    "该文件由更新版本的 posdesk 写入（结构版本 {found}，本程序只认识到 {known}）。"
                ),
            ),
            Problem::Integrity(lines) => Msg::new(
                format!("The database is damaged: {}", lines.join("; ")),
                format!("数据库已损坏：{}", lines.join("；")),
            ),
            Problem::ForeignKeys(lines) => Msg::new(
                format!(
                    "Some records point at records that are missing: {}",
                    lines.join("; ")
                ),
                format!("有些记录指向了不存在的记录：{}", lines.join("；")),
            ),
            Problem::Locked => Msg::new(
                "Another program is holding the database locked; close it and check again.",
                "另一个程序锁住了数据库；请关闭它后再检查。",
            ),
            Problem::Unreadable(detail) => Msg::new(
                format!("The database could not be read ({detail})."),
                format!("无法读取数据库（{detail}）。"),
            ),
        }
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
/// ([`StoreError::NotPosdesk`]), one from a newer posdesk ([`StoreError::BackupTooNew`]) and one that
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

/// Check a database file without changing it (no migration, no journal-mode switch): what
/// `posdesk check` runs, and what works even when the store refuses to open. Runs the full
/// `integrity_check`, `foreign_key_check` and the schema version.
pub fn check_file(path: &Path) -> CheckReport {
    let mut report = CheckReport {
        path: path.to_path_buf(),
        schema_version: None,
        problems: Vec::new(),
    };
    if !path.is_file() {
        report.problems.push(Problem::Missing(path.to_path_buf()));
        return report;
    }
    if let Err(e) = check_into(path, &mut report) {
        report.problems.push(match e.at(path) {
            StoreError::NotPosdesk { why, .. } => Problem::NotPosdesk(why),
            StoreError::BackupTooNew { found, known, .. } | StoreError::TooNew { found, known } => {
                Problem::TooNew { found, known }
            }
            StoreError::Damaged { detail, .. } => Problem::Integrity(vec![detail]),
            StoreError::Locked => Problem::Locked,
            other => Problem::Unreadable(other.to_string()),
        });
    }
    report
}

fn check_into(path: &Path, report: &mut CheckReport) -> Result<()> {
    let conn = open_read_only(path)?;
    report.schema_version = Some(identify(&conn, path)?);
    let lines = integrity_lines(&conn, "integrity_check")?;
    if !lines.is_empty() {
        report.problems.push(Problem::Integrity(lines));
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |r| {
        Ok(format!(
            "{} row {} -> {}",
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?
                .map_or_else(|| "?".into(), |id| id.to_string()),
            r.get::<_, String>(2)?
        ))
    })?;
    let broken: Vec<String> = rows
        .take(MAX_PROBLEM_LINES)
        .collect::<rusqlite::Result<_>>()?;
    if !broken.is_empty() {
        report.problems.push(Problem::ForeignKeys(broken));
    }
    Ok(())
}

/// Open a file only to read it. Without `SQLITE_OPEN_CREATE`, a missing file is an error instead of a
/// new empty database.
fn open_read_only(path: &Path) -> Result<Connection> {
    if !path.is_file() {
        return Err(StoreError::NotPosdesk {
            path: path.to_path_buf(),
            why: NotPosdesk::NoSuchFile,
        });
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(super::BUSY_TIMEOUT)?;
    Ok(conn)
}

/// The schema version of a posdesk database, or why this file is not one. A posdesk file carries
/// [`APPLICATION_ID`]; files from before migration 004 carry 0 and are recognised by their tables.
fn identify(conn: &Connection, path: &Path) -> Result<u32> {
    let not_posdesk = |why| StoreError::NotPosdesk {
        path: path.to_path_buf(),
        why,
    };
    let (app_id, version) = match conn.query_row(
        "SELECT application_id, user_version FROM pragma_application_id, pragma_user_version",
        [],
        |r| Ok((r.get::<_, i32>(0)?, r.get::<_, i64>(1)?)),
    ) {
        Ok(v) => v,
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            return Err(not_posdesk(NotPosdesk::NotADatabase));
        }
        Err(e) => return Err(e.into()),
    };
    let version = u32::try_from(version).map_err(|_| not_posdesk(NotPosdesk::Foreign))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::BackupTooNew {
            path: path.to_path_buf(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    match app_id {
        APPLICATION_ID if version > 0 => Ok(version),
        0 if version > 0 => {
            // Before migration 004: the tables each version added must all be there.
            let wanted: &[&str] = match version {
                1 => &["codes", "code_notes", "meta"],
                2 => &["codes", "code_notes", "meta", "terminals", "schedules"],
                _ => &[
                    "codes",
                    "code_notes",
                    "meta",
                    "terminals",
                    "schedules",
                    "incidents",
                ],
            };
            for table in wanted {
                if !has_table(conn, table)? {
                    return Err(not_posdesk(NotPosdesk::Foreign));
                }
            }
            Ok(version)
        }
        0 => Err(not_posdesk(NotPosdesk::Empty)),
        _ => Err(not_posdesk(NotPosdesk::Foreign)),
    }
}

/// At open: a file with another program's application id is never migrated into a posdesk database.
pub(super) fn refuse_foreign(conn: &Connection, path: &Path) -> Result<()> {
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if app_id != 0 && app_id != APPLICATION_ID {
        return Err(StoreError::NotPosdesk {
            path: path.to_path_buf(),
            why: NotPosdesk::Foreign,
        });
    }
    Ok(())
}

/// At open: `PRAGMA quick_check` (the b-tree structure, not every index entry: fast enough for each
/// start). Damage gives [`StoreError::Damaged`], never an empty start.
pub(super) fn quick_check(conn: &Connection) -> Result<()> {
    let lines = integrity_lines(conn, "quick_check")?;
    if lines.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Damaged {
            path: None,
            detail: lines.join("; "),
        })
    }
}

/// The problem lines of `PRAGMA integrity_check` / `quick_check`; empty when the answer is "ok".
fn integrity_lines(conn: &Connection, pragma: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}({MAX_PROBLEM_LINES})"))?;
    let lines: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(if lines.len() == 1 && lines[0] == "ok" {
        Vec::new()
    } else {
        lines
    })
}

fn has_table(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [name],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
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
        _ => StoreError::BackupFile {
            path: path.to_path_buf(),
            cause,
        },
    }
}

/// Make a rename or a new file in `dir` durable where the platform can sync a folder.
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// `prefix-YYYYMMDD-HHMMSS.sqlite3` in `dir` (local time), with `-2`, `-3`… when that name is taken.
fn stamped_name(dir: &Path, prefix: &str, at: Timestamp) -> PathBuf {
    let stamp = at.to_zoned(TimeZone::system()).strftime("%Y%m%d-%H%M%S");
    let mut path = dir.join(format!("{prefix}-{stamp}.{DB_EXT}"));
    let mut n = 2;
    while path.exists() || attachments_beside(&path).exists() {
        path = dir.join(format!("{prefix}-{stamp}-{n}.{DB_EXT}"));
        n += 1;
    }
    path
}

/// Copy `src` to `dest` under a temporary name, synced, then renamed: `dest` is whole or absent.
fn copy_whole(src: &Path, dest: &Path) -> std::io::Result<()> {
    let tmp = dest.with_file_name(format!(
        ".{}.partial-{}",
        dest.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    let result = std::fs::copy(src, &tmp)
        .and_then(|_| std::fs::File::open(&tmp)?.sync_all())
        .and_then(|()| std::fs::rename(&tmp, dest));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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
        // Temporary files of an attachment being copied in start with a dot.
        if name.to_string_lossy().starts_with('.') || !entry.file_type()?.is_file() {
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
                .find(|p| p.is_file())
                .is_some_and(|p| std::fs::hard_link(p, &dest).is_ok());
            if !linked {
                copy_whole(&entry.path(), &dest)?;
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
        std::fs::remove_file(&file).map_err(file_error(&file))?;
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
    /// attachments in [`attachments_beside`]`(dest)`. Runs while other windows keep writing: the
    /// copy is one read snapshot. To keep the window responsive, call it on a second `Store::open`
    /// of [`Store::path`] in a worker thread.
    pub fn backup_to(&self, dest: &Path) -> Result<BackupInfo> {
        let made_at = self.clock().now();
        let dest_dir = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        std::fs::create_dir_all(&dest_dir).map_err(file_error(&dest_dir))?;
        let dest_name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| StoreError::BackupFile {
                path: dest.to_path_buf(),
                cause: std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name"),
            })?;
        let tmp = dest_dir.join(format!(".{dest_name}.partial-{}", std::process::id()));
        let result = self.write_backup(dest, &tmp, made_at);
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
            let _ = std::fs::remove_file(tmp.with_extension("partial-journal"));
        }
        let info = result.map_err(|e| e.at(dest))?;
        self.record_backup(&info)?;
        Ok(info)
    }

    fn write_backup(&self, dest: &Path, tmp: &Path, made_at: Timestamp) -> Result<BackupInfo> {
        let tmp_text = tmp.to_str().ok_or_else(|| StoreError::BackupFile {
            path: dest.to_path_buf(),
            cause: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the folder's name is not valid Unicode",
            ),
        })?;
        if tmp.exists() {
            // Left by a backup of this same process id that was cut off; VACUUM INTO needs no file.
            std::fs::remove_file(tmp).map_err(file_error(tmp))?;
        }
        self.conn.execute("VACUUM INTO ?1", [tmp_text])?;
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
        std::fs::File::open(tmp)
            .and_then(|f| f.sync_all())
            .map_err(file_error(tmp))?;
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
        std::fs::rename(tmp, dest).map_err(file_error(dest))?;
        if let Some(dir) = dest.parent() {
            sync_dir(dir);
        }
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
        self.backup_to(&stamped_name(&dir, "manual", self.clock().now()))
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
        let info = self.backup_to(&dest)?;
        prune_daily(&dir, today)?;
        Ok(Some(info.path))
    }

    /// Before migrations change an existing database: a copy as it was. No copy, no migration.
    pub(super) fn backup_before_migration(&self, from: u32) -> Result<()> {
        if let Some(dir) = self.backups_dir() {
            let dest = stamped_name(&dir, &format!("pre-migration-v{from}"), self.clock().now());
            self.backup_to(&dest)?;
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

    /// Replace all data with a backup's. The backup is checked first ([`backup_summary`]: posdesk's,
    /// not newer, integrity ok); a refused file changes nothing. Then the current data is copied aside
    /// into `backups/before-restore-<time>.sqlite3` (returned; never deleted), the backup's
    /// attachments are added to `attachments/` (none removed), and the content is replaced in one
    /// transaction with SQLite's backup API, so other windows see either the old or the new data. An
    /// older backup is then migrated and gets the current bundled packs.
    ///
    /// Caches built from the store (the code book, counts) must be reloaded afterwards.
    pub fn restore_from(&mut self, backup: &Path) -> Result<PathBuf> {
        backup_summary(backup)?;
        let dir = self.backups_dir().ok_or(StoreError::NoDataFolder)?;
        let aside = stamped_name(&dir, "before-restore", self.clock().now());
        let aside = self.backup_to(&aside)?.path;
        self.replace_with(backup)?;
        // The restored meta holds the backup's own record; the copy just made is the latest.
        let info = BackupInfo {
            path: aside.clone(),
            attachments_dir: attachments_beside(&aside),
            attachments: 0,
            made_at: self.clock().now(),
            bytes: 0,
        };
        self.record_backup(&info)?;
        Ok(aside)
    }

    fn replace_with(&mut self, backup: &Path) -> Result<()> {
        if let Some(live) = self.attachments_dir() {
            merge_attachments(&attachments_beside(backup), &live, &[])
                .map_err(file_error(&live))?;
        }
        let src = open_read_only(backup)?;
        let page = |c: &Connection| c.query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0));
        if page(&src)? != page(&self.conn)? {
            return Err(StoreError::NotPosdesk {
                path: backup.to_path_buf(),
                why: NotPosdesk::PageSize,
            });
        }
        {
            let copy = rusqlite::backup::Backup::new(&src, &mut self.conn)?;
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
        }
        drop(src);
        self.upgrade()?;
        // A backup may hold texts never masked (an older posdesk, a crafted file): mask them now, and
        // empty the WAL that still holds the copied pages.
        if super::scrub::mask_all_text(&self.conn)? > 0 {
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
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
        std::fs::rename(db_path, &dest).map_err(file_error(db_path))?;
        for suffix in ["-wal", "-shm"] {
            let mut side = db_path.as_os_str().to_owned();
            side.push(suffix);
            let side = PathBuf::from(side);
            if side.exists() {
                let mut to = dest.as_os_str().to_owned();
                to.push(suffix);
                std::fs::rename(&side, PathBuf::from(to)).map_err(file_error(&side))?;
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
        backup_summary(backup)?;
        let db = data_dir.join(DB_FILE);
        let damaged_copy = if db.exists() {
            Some(Store::set_aside_damaged(&db)?)
        } else {
            None
        };
        let mut store = Store::open_dir(data_dir)?.with_clock(clock);
        store.replace_with(backup)?;
        Ok(Recovered {
            store,
            damaged_copy,
        })
    }
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
