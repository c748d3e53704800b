//! The file primitives every write of posdesk goes through, correct on Windows as on Unix.
//!
//! - A new file is written under a temporary name created exclusively (`create_new`: a file or link
//!   already sitting there is never opened, so a planted symbolic link is not followed), synced through
//!   the handle that wrote it (Windows' `FlushFileBuffers` refuses a read-only handle) and renamed over
//!   the target: the target is whole or untouched, and a full disk leaves no empty or half file.
//! - A rename replaces an existing file (what `std::fs::rename` does on Windows too) and is retried for a
//!   moment when Windows reports the file briefly locked (an antivirus scanner, the search indexer).
//! - Folders are synced after a rename only on Unix: Windows has no folder sync.
//! - An output the user names ([`Output`]) is refused when it is, or resolves to, one of the files the
//!   data folder keeps (the database and its side files, attachments, backups, preferences), and an
//!   existing file is replaced only when the caller says so.
//! - Temporary names carry the process id ([`partial_name`]), so [`sweep_partials`] can remove those a
//!   killed posdesk left behind.

use crate::i18n::{Explain, Msg};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;
use thiserror::Error;

/// The database's name inside the data folder (repeated here so this module needs no store).
const DB_FILE: &str = crate::store::DB_FILE;
/// Folders and files of the data folder that belong to posdesk: outputs never go there.
const OWNED_DIRS: &[&str] = &["attachments", "backups", "damaged"];
const OWNED_FILES: &[&str] = &["app.ron", crate::sync::IDENTITY_FILE];
/// Marker inside every temporary name: `.<target name>.partial-<pid>[-<n>]`.
const PARTIAL_MARK: &str = ".partial-";
/// How long, in total, a rename or removal waits for a file Windows reports as locked.
const LOCK_RETRIES: u32 = 8;

/// Why an output file was refused.
#[derive(Debug, Error)]
pub enum OutputError {
    #[error(
        "{0} is one of posdesk's own data files (the database, attachments, backups or settings); \
         nothing was written. Choose a file outside them"
    )]
    Owned(PathBuf),
    #[error(
        "{0} already exists; nothing was written. Choose another name, or replace it (--force)"
    )]
    Exists(PathBuf),
    #[error("{0} is a folder; give the name of a file in it")]
    Folder(PathBuf),
}

impl Explain for OutputError {
    fn explain(&self) -> Msg {
        match self {
            OutputError::Owned(p) => Msg::new(
                format!(
                    "{} is one of posdesk's own data files (the database, attachments, backups or \
                     settings), so nothing was written there. Choose a file outside them.",
                    p.display()
                ),
                format!(
                    "{} 是 posdesk 自己的数据文件（数据库、附件、备份或设置），因此没有写入。\
                     请选择这些文件以外的位置。",
                    p.display()
                ),
            ),
            OutputError::Exists(p) => Msg::new(
                format!(
                    "{} already exists, so nothing was written. Choose another name, or replace it \
                     (--force on the command line).",
                    p.display()
                ),
                format!(
                    "{} 已经存在，因此没有写入。请换一个名字，或确认覆盖（命令行加 --force）。",
                    p.display()
                ),
            ),
            OutputError::Folder(p) => Msg::new(
                format!(
                    "{} is a folder; give the name of a file in it.",
                    p.display()
                ),
                format!("{} 是文件夹；请给出其中的文件名。", p.display()),
            ),
        }
    }
}

/// Whether an existing file at the output may be replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replace {
    /// Refuse when the file exists (the CLI without `--force`).
    No,
    /// The user agreed (the window asked, or `--force`).
    Yes,
}

/// A file the user asked posdesk to write (an export, a PDF, a backup), checked against the data folder.
/// Every writer of such files takes one, so no output path skips the check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    path: PathBuf,
    replace: Replace,
}

impl Output {
    /// Check `path` as an output of the data in `data_dir` (`None`: data kept in memory, nothing owned).
    pub fn check(
        data_dir: Option<&Path>,
        path: &Path,
        replace: Replace,
    ) -> Result<Output, OutputError> {
        if path.file_name().is_none() || path.is_dir() {
            return Err(OutputError::Folder(path.to_path_buf()));
        }
        if let Some(dir) = data_dir
            && is_owned(dir, path)
        {
            return Err(OutputError::Owned(path.to_path_buf()));
        }
        if replace == Replace::No && path.symlink_metadata().is_ok() {
            return Err(OutputError::Exists(path.to_path_buf()));
        }
        Ok(Output {
            path: path.to_path_buf(),
            replace,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn replace(&self) -> Replace {
        self.replace
    }
}

/// Whether `target` is, or resolves to (links, `..`, letter case where the file system ignores it,
/// a hard link to the database), a file the data folder `data_dir` keeps.
pub fn is_owned(data_dir: &Path, target: &Path) -> bool {
    let fold = |p: PathBuf| {
        if CASE_INSENSITIVE {
            PathBuf::from(p.to_string_lossy().to_lowercase())
        } else {
            p
        }
    };
    let dir = fold(resolve(data_dir));
    let resolved = fold(resolve(target));
    if let Ok(rel) = resolved.strip_prefix(&dir)
        && owned_relative(rel)
    {
        return true;
    }
    same_file_as_owned(data_dir, target)
}

#[cfg(any(windows, target_os = "macos"))]
const CASE_INSENSITIVE: bool = true;
#[cfg(not(any(windows, target_os = "macos")))]
const CASE_INSENSITIVE: bool = false;

/// A path inside the data folder (relative to it) that posdesk owns.
fn owned_relative(rel: &Path) -> bool {
    let Some(Component::Normal(first)) = rel.components().next() else {
        // The data folder itself.
        return true;
    };
    let first = first.to_string_lossy();
    first.starts_with(DB_FILE)
        || OWNED_FILES.contains(&first.as_ref())
        || OWNED_DIRS.contains(&first.as_ref())
}

/// A hard link to the database, its side files or the preferences is the same file under another name.
#[cfg(unix)]
fn same_file_as_owned(dir: &Path, target: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(t) = std::fs::metadata(target) else {
        return false;
    };
    let mut names: Vec<String> = ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|s| format!("{DB_FILE}{s}"))
        .collect();
    names.extend(OWNED_FILES.iter().map(|s| s.to_string()));
    names.iter().any(|n| {
        std::fs::metadata(dir.join(n)).is_ok_and(|m| m.dev() == t.dev() && m.ino() == t.ino())
    })
}

#[cfg(not(unix))]
fn same_file_as_owned(_dir: &Path, _target: &Path) -> bool {
    false
}

/// `path` made absolute with every link and `..` resolved; the part that does not exist yet is
/// appended to its nearest existing folder, with `.` and `..` applied by name.
pub fn resolve(path: &Path) -> PathBuf {
    resolve_depth(path, 0)
}

fn resolve_depth(path: &Path, depth: u32) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if let Ok(c) = std::fs::canonicalize(&abs) {
        return c;
    }
    // A dangling link: where it points is where a write would land.
    if depth < 8
        && let Ok(meta) = abs.symlink_metadata()
        && meta.file_type().is_symlink()
        && let Ok(to) = std::fs::read_link(&abs)
    {
        let base = abs.parent().map(Path::to_path_buf).unwrap_or_default();
        return resolve_depth(&base.join(to), depth + 1);
    }
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    let mut cur = abs.clone();
    loop {
        match cur.file_name() {
            Some(name) => rest.push(name.to_owned()),
            None => {
                // `..` at the end or the root: apply by name.
                if let Some(last) = cur.components().next_back()
                    && last == Component::ParentDir
                {
                    rest.push("..".into());
                }
            }
        }
        if !cur.pop() {
            break;
        }
        if let Ok(c) = std::fs::canonicalize(&cur) {
            cur = c;
            break;
        }
    }
    for part in rest.into_iter().rev() {
        if part == ".." {
            cur.pop();
        } else if part != "." {
            cur.push(part);
        }
    }
    cur
}

/// The last part of `path` as the clerk knows it (`None`: the path has none, like `..` or `/`).
pub fn file_name(path: &Path) -> Option<String> {
    path.file_name().map(|n| n.to_string_lossy().into_owned())
}

/// `.<name>.partial-<pid>` beside `target`: the temporary name of a file being written.
pub fn partial_name(target: &Path) -> PathBuf {
    let name = file_name(target).unwrap_or_default();
    target.with_file_name(format!(".{name}{PARTIAL_MARK}{}", std::process::id()))
}

/// Create a new empty file beside `target` under a temporary name no one else uses, exclusively (a
/// file or link already there is skipped, never opened). Returns the open file and its name.
pub fn create_partial(target: &Path) -> io::Result<(File, PathBuf)> {
    let base = partial_name(target);
    for n in 0..1000u32 {
        let path = if n == 0 {
            base.clone()
        } else {
            let mut s = base.as_os_str().to_owned();
            s.push(format!("-{n}"));
            PathBuf::from(s)
        };
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(f) => return Ok((f, path)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "too many temporary files beside the target",
    ))
}

/// Flush a file's content to the disk through a handle opened for writing (Windows refuses to flush
/// a read-only handle).
pub fn sync_file(path: &Path) -> io::Result<()> {
    OpenOptions::new().write(true).open(path)?.sync_all()
}

/// Make a rename or a new file in `dir` durable. Only Unix can sync a folder; on Windows NTFS keeps
/// its metadata journal and a folder cannot be opened as a file, so nothing is attempted.
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Whether an error is Windows saying a file is briefly held by another program.
fn is_transient_lock(e: &io::Error) -> bool {
    #[cfg(windows)]
    {
        // ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
        matches!(e.raw_os_error(), Some(5 | 32 | 33))
    }
    #[cfg(not(windows))]
    {
        let _ = e;
        false
    }
}

/// Run `op`, retrying for a moment (about 2.5 s in all) while Windows reports the file locked.
fn with_lock_retry<T>(mut op: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    let mut delay = Duration::from_millis(20);
    let mut attempt = 0;
    loop {
        match op() {
            Err(e) if is_transient_lock(&e) && attempt < LOCK_RETRIES => {
                std::thread::sleep(delay);
                delay = (delay * 2).min(Duration::from_millis(640));
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Rename `from` over `to`, replacing a file there (Windows: MoveFileEx with replace), retried while
/// the target is briefly locked.
pub fn rename_replace(from: &Path, to: &Path) -> io::Result<()> {
    with_lock_retry(|| std::fs::rename(from, to))
}

/// Remove a file, retried while it is briefly locked; a file already gone is fine.
pub fn remove_file(path: &Path) -> io::Result<()> {
    match with_lock_retry(|| std::fs::remove_file(path)) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Put the finished temporary file `tmp` in place as `to`. With [`Replace::No`] an existing `to` is
/// never replaced: a hard link (atomic, fails when the name exists) is tried first, and where the file
/// system has none (FAT sticks) the name is checked just before the rename.
pub fn put_in_place(tmp: &Path, to: &Path, replace: Replace) -> io::Result<()> {
    if replace == Replace::No {
        match std::fs::hard_link(tmp, to) {
            Ok(()) => {
                let _ = remove_file(tmp);
                if let Some(dir) = to.parent() {
                    sync_dir(dir);
                }
                return Ok(());
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(e),
            Err(_) => {
                if to.symlink_metadata().is_ok() {
                    return Err(io::Error::new(
                        io::ErrorKind::AlreadyExists,
                        "the file exists",
                    ));
                }
            }
        }
    }
    rename_replace(tmp, to)?;
    if let Some(dir) = to.parent() {
        sync_dir(dir);
    }
    Ok(())
}

/// Write an output whole or not at all: `write` fills a new temporary file beside it, which is synced
/// and renamed over the output. On any failure (a full disk included) the temporary file is removed
/// and the output is as it was.
pub fn write_output<E: From<io::Error>>(
    out: &Output,
    write: impl FnOnce(&mut io::BufWriter<File>) -> Result<(), E>,
) -> Result<(), E> {
    write_whole(out.path(), out.replace(), write)
}

/// [`write_output`] for a path posdesk chose itself (inside its own folders).
pub fn write_whole<E: From<io::Error>>(
    path: &Path,
    replace: Replace,
    write: impl FnOnce(&mut io::BufWriter<File>) -> Result<(), E>,
) -> Result<(), E> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let (file, tmp) = create_partial(path)?;
    let result = (|| {
        let mut w = io::BufWriter::new(file);
        write(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        put_in_place(&tmp, path, replace)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = remove_file(&tmp);
    }
    result
}

/// Copy `src` to `dest` whole (temporary name, synced, renamed), refusing a `src` that is a symbolic
/// link. Returns the bytes copied.
pub fn copy_whole(src: &Path, dest: &Path) -> io::Result<u64> {
    if src.symlink_metadata()?.file_type().is_symlink() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a symbolic link is not copied",
        ));
    }
    let mut input = File::open(src)?;
    let mut copied = 0;
    write_whole(dest, Replace::Yes, |w| {
        copied = io::copy(&mut input, w)?;
        w.flush()
    })?;
    Ok(copied)
}

/// Remove the temporary files (`.<name>.partial-<pid>…`, `.incoming-<pid>`) that a posdesk killed while
/// writing left in `dir`. Files of a process still running are kept (on Linux its id is checked; where
/// that is not possible, only files untouched for an hour go). Returns how many were removed.
pub fn sweep_partials(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = leftover_pid(&name) else {
            continue;
        };
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        if meta.is_dir() || pid == std::process::id() {
            continue;
        }
        let stale = match process_alive(pid) {
            Some(alive) => !alive,
            None => meta
                .modified()
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > Duration::from_secs(3600)),
        };
        if stale && remove_file(&entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The process id in a temporary name posdesk writes, or `None` for any other name.
fn leftover_pid(name: &str) -> Option<u32> {
    if !name.starts_with('.') {
        return None;
    }
    let digits = if let Some(rest) = name.strip_prefix(".incoming-") {
        rest
    } else {
        let at = name.rfind(PARTIAL_MARK)?;
        &name[at + PARTIAL_MARK.len()..]
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}

/// Whether a process runs: `Some` only where the platform answers without extra libraries (Linux).
fn process_alive(pid: u32) -> Option<bool> {
    if cfg!(target_os = "linux") && Path::new("/proc/self").exists() {
        Some(Path::new("/proc").join(pid.to_string()).exists())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn owned_files_are_recognised_through_dots_links_and_case() {
        let d = tmp();
        let data = d.path().join("数据 folder");
        std::fs::create_dir_all(data.join("backups")).unwrap();
        std::fs::write(data.join(DB_FILE), b"db").unwrap();
        assert!(is_owned(&data, &data.join(DB_FILE)));
        assert!(is_owned(&data, &data.join("posdesk.sqlite3-wal")));
        assert!(is_owned(&data, &data.join("backups/x.sqlite3")));
        assert!(is_owned(&data, &data.join("attachments/ab.jpg")));
        assert!(is_owned(&data, &data.join("print/../posdesk.sqlite3")));
        assert!(is_owned(&data, &data.join("nothere/../posdesk.sqlite3")));
        assert!(!is_owned(&data, &data.join("print/checklist.pdf")));
        assert!(!is_owned(&data, &d.path().join("codes.csv")));
        #[cfg(unix)]
        {
            let link = d.path().join("link.csv");
            std::os::unix::fs::symlink(data.join(DB_FILE), &link).unwrap();
            assert!(is_owned(&data, &link));
            let dangling = d.path().join("dangling.csv");
            std::os::unix::fs::symlink(data.join("backups/new.sqlite3"), &dangling).unwrap();
            assert!(is_owned(&data, &dangling));
            let hard = d.path().join("hard.csv");
            std::fs::hard_link(data.join(DB_FILE), &hard).unwrap();
            assert!(is_owned(&data, &hard));
            let dir_link = d.path().join("alias");
            std::os::unix::fs::symlink(&data, &dir_link).unwrap();
            assert!(is_owned(&dir_link, &data.join(DB_FILE)));
        }
        if CASE_INSENSITIVE {
            assert!(is_owned(&data, &data.join("POSDESK.SQLITE3")));
        }
    }

    #[test]
    fn windows_style_names_resolve_by_name_on_any_system() {
        let d = tmp();
        let data = d.path().join(r"C:\Users\店员 one\posdesk");
        std::fs::create_dir_all(&data).unwrap();
        assert!(is_owned(&data, &data.join(DB_FILE)));
        assert!(!is_owned(
            &data,
            &d.path().join(r"C:\Users\店员 one\export.csv")
        ));
    }

    #[test]
    fn an_output_refuses_an_existing_file_unless_replacing() {
        let d = tmp();
        let f = d.path().join("out.csv");
        std::fs::write(&f, b"old").unwrap();
        assert!(matches!(
            Output::check(None, &f, Replace::No),
            Err(OutputError::Exists(_))
        ));
        assert!(matches!(
            Output::check(None, d.path(), Replace::Yes),
            Err(OutputError::Folder(_))
        ));
        let out = Output::check(None, &f, Replace::Yes).unwrap();
        write_output(&out, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read(&f).unwrap(), b"new");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let d = tmp();
        let f = d.path().join("报告 1.pdf");
        std::fs::write(&f, b"old").unwrap();
        let r: io::Result<()> = write_whole(&f, Replace::Yes, |w| {
            w.write_all(b"half")?;
            Err(io::Error::new(io::ErrorKind::StorageFull, "full"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read(&f).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[test]
    fn without_replace_an_existing_target_is_kept() {
        let d = tmp();
        let f = d.path().join("x.csv");
        let out = Output::check(None, &f, Replace::No).unwrap();
        std::fs::write(&f, b"appeared meanwhile").unwrap();
        let r = write_output(&out, |w| w.write_all(b"new"));
        assert_eq!(r.unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&f).unwrap(), b"appeared meanwhile");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_link_at_the_temporary_name_is_not_followed() {
        let d = tmp();
        let victim = d.path().join("victim.txt");
        std::fs::write(&victim, b"keep").unwrap();
        let target = d.path().join("j.csv");
        std::os::unix::fs::symlink(&victim, partial_name(&target)).unwrap();
        write_whole::<io::Error>(&target, Replace::Yes, |w| w.write_all(b"export")).unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
        assert_eq!(std::fs::read(&target).unwrap(), b"export");
    }

    #[test]
    fn leftovers_of_dead_processes_are_swept_and_live_ones_kept() {
        let d = tmp();
        let dead = d.path().join(".manual-1.sqlite3.partial-4194303");
        let dead_journal = d.path().join(".manual-1.sqlite3.partial-4194303-journal");
        let incoming = d.path().join(".incoming-4194302");
        let mine = partial_name(&d.path().join("m.sqlite3"));
        let other = d.path().join("daily.sqlite3");
        for f in [&dead, &dead_journal, &incoming, &mine, &other] {
            std::fs::write(f, b"x").unwrap();
        }
        if process_alive(1).is_some() {
            assert_eq!(sweep_partials(d.path()), 3);
            assert!(!dead.exists() && !dead_journal.exists() && !incoming.exists());
        }
        assert!(mine.exists() && other.exists());
    }

    #[test]
    fn leftover_names_give_their_process() {
        assert_eq!(leftover_pid(".a.csv.partial-12"), Some(12));
        assert_eq!(leftover_pid(".a.partial-12-journal"), Some(12));
        assert_eq!(leftover_pid(".a.partial-12-3"), Some(12));
        assert_eq!(leftover_pid(".incoming-7"), Some(7));
        assert_eq!(leftover_pid("a.partial-12"), None);
        assert_eq!(leftover_pid(".hidden"), None);
    }
}
