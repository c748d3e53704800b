//! Checking a data file or a backup without changing it: what it is, its integrity, its links and its
//! schema against what posdesk's migrations make.

use super::*;

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
    /// Tables, columns, indexes, triggers or views that posdesk's migrations do not make, or attachment
    /// rows without a real SHA-256 name: the file was changed outside posdesk.
    Altered(Vec<String>),
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
            Problem::Altered(lines) => Msg::new(
                format!(
                    "The database was changed outside posdesk, so posdesk cannot use it: {}",
                    lines.join("; ")
                ),
                format!(
                    "数据库在 posdesk 之外被改动过，posdesk 无法使用：{}",
                    lines.join("；")
                ),
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
            StoreError::Backup(BackupError::NotPosdesk { why, .. }) => Problem::NotPosdesk(why),
            StoreError::Backup(BackupError::BackupTooNew { found, known, .. })
            | StoreError::TooNew { found, known } => Problem::TooNew { found, known },
            StoreError::Damaged { detail, .. } => Problem::Integrity(vec![detail]),
            StoreError::Locked => Problem::Locked,
            other => Problem::Unreadable(other.to_string()),
        });
    }
    report
}

pub(super) fn check_into(path: &Path, report: &mut CheckReport) -> Result<()> {
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
    let altered = altered_lines(&conn, report.schema_version.unwrap_or_default())?;
    if !altered.is_empty() {
        report.problems.push(Problem::Altered(altered));
    }
    Ok(())
}

/// How a database's schema differs from the one posdesk's migrations make at `version`, and
/// attachment rows whose name is not a real SHA-256; empty when the file is as posdesk writes it.
/// The expected schema is made by migrating an empty in-memory database to that version.
pub(in crate::store) fn altered_lines(conn: &Connection, version: u32) -> Result<Vec<String>> {
    let expected = {
        let mem = Connection::open_in_memory()?;
        for migration in crate::store::MIGRATIONS.iter().take(version as usize) {
            mem.execute_batch(migration.sql())?;
        }
        schema_of(&mem)?
    };
    let found = schema_of(conn)?;
    let mut lines = Vec::new();
    for (key, sql) in &found {
        match expected.get(key) {
            None => lines.push(format!("unexpected {} {}", key.0, key.1)),
            Some(want) if want != sql => lines.push(format!("{} {} differs", key.0, key.1)),
            Some(_) => {}
        }
    }
    for key in expected.keys() {
        if !found.contains_key(key) {
            lines.push(format!("missing {} {}", key.0, key.1));
        }
    }
    if lines.is_empty() && has_table(conn, "attachments")? {
        let mut stmt = conn.prepare(
            "SELECT id FROM attachments \
             WHERE length(sha256) <> 64 OR sha256 GLOB '*[^0-9a-f]*' LIMIT 5",
        )?;
        let bad: Vec<i64> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        lines.extend(
            bad.into_iter()
                .map(|id| format!("attachment {id} has no real SHA-256 name")),
        );
    }
    lines.truncate(MAX_PROBLEM_LINES);
    Ok(lines)
}

/// Every schema object as `(type, name) -> SQL with white space collapsed`. FTS shadow tables are
/// compared by name only (SQLite writes their definitions itself, and they vary between its
/// versions); SQLite's own statistics tables are left out.
pub(super) fn schema_of(
    conn: &Connection,
) -> Result<std::collections::BTreeMap<(String, String), String>> {
    let shadow: std::collections::HashSet<String> = {
        let mut stmt = conn.prepare("SELECT name FROM pragma_table_list WHERE type = 'shadow'")?;
        stmt.query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut stmt = conn.prepare("SELECT type, name, sql FROM sqlite_schema")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut out = std::collections::BTreeMap::new();
    for row in rows {
        let (kind, name, sql) = row?;
        if name.starts_with("sqlite_stat") {
            continue;
        }
        let sql = if shadow.contains(&name) {
            String::new()
        } else {
            sql.unwrap_or_default()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        out.insert((kind, name), sql);
    }
    Ok(out)
}

/// Open a file only to read it. Without `SQLITE_OPEN_CREATE`, a missing file is an error instead of a
/// new empty database.
///
/// A database in WAL mode needs its `-shm` file to be read; on a read-only folder or a full disk it
/// cannot be made. When nothing waits in a `-wal` (a database closed cleanly), the file is then read
/// as immutable, which needs no side file: a read-only folder and a full disk can still be read.
pub(in crate::store) fn open_read_only(path: &Path) -> Result<Connection> {
    if !path.is_file() {
        return Err(BackupError::NotPosdesk {
            path: path.to_path_buf(),
            why: NotPosdesk::NoSuchFile,
        }
        .into());
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(crate::store::BUSY_TIMEOUT)?;
    let readable = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    });
    match readable {
        Ok(_) => Ok(conn),
        Err(e) => {
            let mut wal = path.as_os_str().to_owned();
            wal.push("-wal");
            let pending = std::fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0);
            let cannot_make_side_files = matches!(
                e.sqlite_error_code(),
                Some(
                    rusqlite::ErrorCode::CannotOpen
                        | rusqlite::ErrorCode::ReadOnly
                        | rusqlite::ErrorCode::SystemIoFailure
                        | rusqlite::ErrorCode::DiskFull
                        | rusqlite::ErrorCode::PermissionDenied
                )
            );
            if !cannot_make_side_files {
                // Not a database, damaged...: what it is, the caller's checks say.
                return Ok(conn);
            }
            if pending {
                return Err(e.into());
            }
            drop(conn);
            let conn = Connection::open_with_flags(
                immutable_uri(path),
                flags | OpenFlags::SQLITE_OPEN_URI,
            )?;
            conn.busy_timeout(crate::store::BUSY_TIMEOUT)?;
            Ok(conn)
        }
    }
}

/// `file:<path>?immutable=1`, the path percent-encoded (and with `/` on Windows, as SQLite wants).
pub(super) fn immutable_uri(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        abs.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = abs.to_string_lossy().replace('\\', "/").into_bytes();
    let mut uri = String::from("file:");
    if !bytes.starts_with(b"/") {
        uri.push_str("///");
    }
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"/-_.~:".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// The schema version of a posdesk database, or why this file is not one. A posdesk file carries
/// [`APPLICATION_ID`]; files from before migration 004 carry 0 and are recognised by their tables.
pub(super) fn identify(conn: &Connection, path: &Path) -> Result<u32> {
    let not_posdesk = |why| {
        StoreError::from(BackupError::NotPosdesk {
            path: path.to_path_buf(),
            why,
        })
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
        return Err(BackupError::BackupTooNew {
            path: path.to_path_buf(),
            found: version,
            known: SCHEMA_VERSION,
        }
        .into());
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
pub(in crate::store) fn refuse_foreign(conn: &Connection, path: &Path) -> Result<()> {
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if app_id != 0 && app_id != APPLICATION_ID {
        return Err(BackupError::NotPosdesk {
            path: path.to_path_buf(),
            why: NotPosdesk::Foreign,
        }
        .into());
    }
    Ok(())
}

/// At open: `PRAGMA quick_check` (the b-tree structure, not every index entry: fast enough for each
/// start). Damage gives [`StoreError::Damaged`], never an empty start.
pub(in crate::store) fn quick_check(conn: &Connection) -> Result<()> {
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
pub(super) fn integrity_lines(conn: &Connection, pragma: &str) -> Result<Vec<String>> {
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

pub(super) fn has_table(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [name],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}
