//! What the Settings screen (where the data lives, backups, restore) asks for.

use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq)]
pub enum SettingsCommand {
    /// Read where the data lives, its schema version and the last backup again.
    Refresh,
    /// Write a backup to this file; `None` asks with the system's save dialog first.
    BackUpTo(Option<PathBuf>),
    /// Write a backup into the data folder's `backups/`, named by the time.
    BackUpToFolder,
    /// Check a backup file and show what it holds; `None` asks with the open dialog first. Nothing
    /// changes until [`SettingsCommand::ConfirmRestore`].
    ChooseRestore(Option<PathBuf>),
    /// The clerk's second step: replace the data with the backup being shown.
    ConfirmRestore,
    /// Put the backup being shown away; nothing changes.
    CancelRestore,
    /// The damaged-data offer's "Restore it": the newest good backup into a new data file.
    RecoverDamaged,
    /// Put this text (a folder's path) on the clipboard.
    Copy(String),
    /// Head office: send the waiting changes now (on the sync worker).
    SyncNow,
    /// Head office: enroll this till with the address and one-time code (on the sync worker).
    Enroll { url: String, code: String },
    /// Esc, when no popup took it: closes the restore question.
    Escape { in_field: bool },
}
