//! Why a backup or a file chosen for restore was refused.

use crate::i18n::{Explain, Msg};
use std::path::PathBuf;

/// The backup family's refusals: a file that is not one of posdesk's, one from a newer posdesk, one
/// changed outside posdesk, or a backup that could not be written. Kept apart from
/// [`crate::store::StoreError`]'s failures of the live data file: each of these leaves the live data
/// untouched, and the texts say so.
#[derive(Debug)]
pub enum BackupError {
    /// A file chosen for restore (or found at the data path) that is not a posdesk database.
    NotPosdesk {
        path: PathBuf,
        why: super::NotPosdesk,
    },
    BackupTooNew {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    BackupFile {
        path: PathBuf,
        cause: std::io::Error,
    },
    /// A backup (or the data file) that was changed outside posdesk: its schema differs from what
    /// posdesk's migrations make, its records point at missing ones, or an attachment row has no real
    /// SHA-256 name.
    Altered { path: PathBuf, lines: Vec<String> },
}

impl Explain for BackupError {
    fn explain(&self) -> Msg {
        match self {
            BackupError::NotPosdesk { path, why } => Msg::new(
                format!(
                    "{} is not a posdesk database ({}). Nothing was changed; choose a posdesk backup \
                     (a .sqlite3 file from the backups folder).",
                    path.display(),
                    why.en()
                ),
                format!(
                    "{} 不是 posdesk 的数据库（{}）。没有做任何更改；请选择 posdesk 的备份\
                     （backups 文件夹里的 .sqlite3 文件）。",
                    path.display(),
                    why.zh()
                ),
            ),
            BackupError::BackupTooNew { path, found, known } => Msg::new(
                format!(
                    "The backup {} was made by a newer posdesk (schema {found}; this program knows up to \
                     {known}). Nothing was changed; install the newer posdesk to restore it.",
                    path.display()
                ),
                format!(
                    "备份 {} 由更新版本的 posdesk 制作（结构版本 {found}，本程序只认识到 {known}）。\
                     没有做任何更改；请安装新版 posdesk 后再恢复。",
                    path.display()
                ),
            ),
            BackupError::Altered { path, lines } => Msg::new(
                format!(
                    "{} was changed outside posdesk, so it was refused and nothing was changed ({}).",
                    path.display(),
                    lines.join("; ")
                ),
                format!(
                    "{} 在 posdesk 之外被改动过，已拒绝，没有做任何更改（{}）。",
                    path.display(),
                    lines.join("；")
                ),
            ),
            BackupError::BackupFile { path, cause } => Msg::new(
                format!(
                    "Cannot write {} ({cause}). Nothing already saved is lost.",
                    path.display()
                ),
                format!(
                    "无法写入 {}（{cause}）。已保存的内容不会丢失。",
                    path.display()
                ),
            ),
        }
    }
}
