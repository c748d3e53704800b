//! A backup about to be restored, as a private copy: checked, migrated and masked there before the
//! live data is touched.

use super::*;

impl Candidate {
    pub(super) fn conn(&self) -> Result<&Connection> {
        self.store
            .as_ref()
            .map(|s| &s.conn)
            .ok_or(StoreError::NoDataFolder)
    }
}

impl Drop for Candidate {
    fn drop(&mut self) {
        // Close the connection first: Windows does not delete a file that is open.
        drop(self.store.take());
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let mut name = self.file.as_os_str().to_owned();
            name.push(suffix);
            let _ = crate::fsx::remove_file(Path::new(&name));
        }
    }
}

/// Copy `backup` into a private file in `work_dir` and check and prepare it there, trusting nothing
/// in it: links are not followed (the file and its attachments folder), it must be posdesk's and not
/// newer, pass `integrity_check` and `foreign_key_check`, have exactly the schema its version must
/// have (no triggers, views, tables, columns or indexes of its own), and name its attachments by real
/// SHA-256 hashes. The copy is then migrated to this program's schema (with the current bundled
/// packs) and scrubbed ([`scrub_candidate`]). The backup itself is only read, so a copy of a live
/// database on read-only media (with its `-wal`) restores too.
pub(in crate::store) fn prepare_candidate(backup: &Path, work_dir: &Path) -> Result<Candidate> {
    let not_posdesk = |why| {
        StoreError::from(BackupError::NotPosdesk {
            path: backup.to_path_buf(),
            why,
        })
    };
    let meta = match backup.symlink_metadata() {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(not_posdesk(NotPosdesk::NoSuchFile));
        }
        Err(e) => return Err(file_error(backup)(e)),
    };
    if meta.file_type().is_symlink()
        || attachments_beside(backup)
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(not_posdesk(NotPosdesk::Link));
    }
    if !meta.is_file() {
        return Err(not_posdesk(NotPosdesk::NotADatabase));
    }
    std::fs::create_dir_all(work_dir).map_err(file_error(work_dir))?;
    let (mut out, file) = crate::fsx::create_partial(&work_dir.join("restore.sqlite3"))
        .map_err(file_error(work_dir))?;
    let mut candidate = Candidate {
        store: None,
        file: file.clone(),
        source: backup.to_path_buf(),
    };
    let copy_into = |from: &Path, to: &mut std::fs::File| -> Result<()> {
        let mut input = std::fs::File::open(from).map_err(file_error(from))?;
        std::io::copy(&mut input, to).map_err(file_error(work_dir))?;
        Ok(())
    };
    copy_into(backup, &mut out)?;
    drop(out);
    let mut wal = backup.as_os_str().to_owned();
    wal.push("-wal");
    let wal = PathBuf::from(wal);
    if wal.symlink_metadata().is_ok_and(|m| m.is_file()) {
        let mut to = file.as_os_str().to_owned();
        to.push("-wal");
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(PathBuf::from(to))
            .map_err(file_error(work_dir))?;
        copy_into(&wal, &mut out)?;
    }
    let conn = Connection::open_with_flags(
        &file,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(crate::store::BUSY_TIMEOUT)?;
    let version = identify(&conn, backup)?;
    let lines = integrity_lines(&conn, "integrity_check")?;
    if !lines.is_empty() {
        return Err(StoreError::Damaged {
            path: Some(backup.to_path_buf()),
            detail: lines.join("; "),
        });
    }
    // A private rollback-mode file from here on (a copy of a live database brings its WAL in).
    let mode: String = conn.query_row("PRAGMA journal_mode=DELETE", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(StoreError::NoWal(mode));
    }
    let mut altered = altered_lines(&conn, version)?;
    let broken: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    if broken > 0 {
        altered.push(format!(
            "{broken} records point at records that are missing"
        ));
    }
    if !altered.is_empty() {
        return Err(BackupError::Altered {
            path: backup.to_path_buf(),
            lines: altered,
        }
        .into());
    }
    let store = Store::init(conn, None)?;
    let masked = scrub_candidate(&store.conn).map_err(|e| e.at(backup))?;
    store.note_masked(usize::try_from(masked).unwrap_or(usize::MAX));
    candidate.store = Some(store);
    Ok(candidate)
}

/// The last step before a restored backup is swapped in, on the private candidate already migrated
/// to this program's schema: the checks run again on the migrated copy (the migrations must have made
/// exactly the current schema), then every text the backup brings in is masked, before anything of
/// the live data is touched. Returns how many texts held a card number.
pub(super) fn scrub_candidate(conn: &Connection) -> Result<u64> {
    let altered = altered_lines(conn, SCHEMA_VERSION)?;
    if !altered.is_empty() {
        return Err(BackupError::Altered {
            path: PathBuf::new(),
            lines: altered,
        }
        .into());
    }
    crate::store::scrub::mask_all_text(conn)
}
