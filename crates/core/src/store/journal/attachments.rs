//! Files attached to incidents: copied into the data folder by their SHA-256, with progress.

use super::*;

impl Store {
    /// The folder attachments are copied into, for a store kept in a file.
    pub fn attachments_dir(&self) -> Option<PathBuf> {
        self.path()
            .and_then(Path::parent)
            .map(|d| d.join(ATTACHMENTS_DIR))
    }

    /// Where an attachment's file is kept; `None` for a row whose name is not a real SHA-256 (a
    /// crafted row must never point outside `attachments/`).
    pub fn attachment_path(&self, a: &Attachment) -> Option<PathBuf> {
        if !crate::domain::incident::is_sha256(&a.sha256) {
            return None;
        }
        self.attachments_dir().map(|d| d.join(a.stored_name()))
    }

    /// Copy `src` into `attachments/<sha256>.<ext>` and record it on the incident. The copy is made
    /// (and synced) first, under a temporary name renamed into place; only then is the row written, so
    /// a failed copy stores nothing. The same content attached twice is kept once on disk.
    pub fn attach_file(&mut self, id: IncidentId, src: &Path) -> Result<Attachment> {
        self.attach_file_with_progress(id, src, &|_, _| {})
    }

    /// [`Store::attach_file`], telling `progress(bytes copied, file size)` as the copy goes (a worker
    /// shows it in the window; a 100 MB file takes seconds to copy, hash and sync).
    pub fn attach_file_with_progress(
        &mut self,
        id: IncidentId,
        src: &Path,
        progress: &dyn Fn(u64, u64),
    ) -> Result<Attachment> {
        let dir = self.attachments_dir().ok_or(StoreError::NoDataFolder)?;
        head(&self.conn, id)?;
        let mut c = Cleaner::default();
        let original = crate::fsx::file_name(src).unwrap_or_else(|| "file".into());
        let file_name = c.text("file name", &original, MAX_SHORT_CHARS)?;
        let (sha256, size) = copy_in(src, &dir, progress)?;
        let now = self.now_text();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO attachments (incident_id, file_name, sha256, size, added_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, file_name, sha256, size as i64, now],
        )?;
        let att_id = tx.last_insert_rowid();
        index(&tx, id)?;
        tx.commit()?;
        self.note_masked(c.masked);
        Ok(Attachment {
            id: att_id,
            file_name,
            sha256,
            size,
            added_at: ts(&now, "added_at")?,
        })
    }
}
