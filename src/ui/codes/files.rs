//! Import and export of the user's codes and notes: the dialog and the file work run on a worker; the
//! store write runs here on the UI thread, in one transaction.

use super::super::jobs::{self, Jobs};
use super::super::services::Services;
use crate::exchange::codes::{self as codefile, CodeFile, CodeFileError};
use crate::i18n::{Explain, Msg};
use std::path::{Path, PathBuf};

/// What a finished file job hands back.
#[derive(Debug)]
pub enum FileJob {
    /// A file was read and checked; nothing is stored yet.
    Read(Result<CodeFile, CodeFileError>),
    /// Codes and notes were written to this file (or why not).
    Written(Result<(usize, usize, PathBuf), Msg>),
    /// The clerk closed the file dialog without choosing.
    Cancelled,
}

pub fn import(jobs: &mut Jobs<FileJob>, sv: &Services<'_>, path: Option<PathBuf>) {
    let title = sv
        .lang
        .tr("Import my codes and notes", "导入我的代码和备注");
    jobs.spawn(sv.egui, move || {
        match path.or_else(|| jobs::pick_file(title, ("CSV / JSON", &["csv", "json"]))) {
            Some(path) => FileJob::Read(codefile::read_codes(&path)),
            None => FileJob::Cancelled,
        }
    });
}

pub fn export(jobs: &mut Jobs<FileJob>, sv: &mut Services<'_>, path: Option<PathBuf>) {
    use crate::i18n::Explain as _;
    let Some(store) = sv.data.store() else {
        sv.writable();
        return;
    };
    let file = match store.export_file() {
        Ok(file) => file,
        Err(e) => {
            sv.warn(Msg::new("Export failed:", "导出失败：").with(&e.explain()));
            return;
        }
    };
    if file.entries.is_empty() && file.notes.is_empty() {
        sv.warn(Msg::new(
            "You have no codes or notes of your own to export yet.",
            "您还没有自己的代码或备注可导出。",
        ));
        return;
    }
    let title = sv
        .lang
        .tr("Export my codes and notes", "导出我的代码和备注");
    let data_dir = store.path().and_then(Path::parent).map(Path::to_path_buf);
    jobs.spawn(sv.egui, move || {
        let path = path.or_else(|| {
            jobs::save_file(
                title,
                "my-codes.csv",
                &[("CSV", &["csv"]), ("JSON", &["json"])],
            )
        });
        match path {
            // The save dialog asked before replacing a file; the data folder's own are refused.
            Some(path) => FileJob::Written(
                crate::fsx::Output::check(data_dir.as_deref(), &path, crate::fsx::Replace::Yes)
                    .map_err(|e| e.explain())
                    .and_then(|out| codefile::write_codes(&out, &file).map_err(|e| e.explain()))
                    .map(|()| (file.entries.len(), file.notes.len(), path)),
            ),
            None => FileJob::Cancelled,
        }
    });
}

/// Apply a finished job: store what was read, report what was written.
pub fn apply(job: FileJob, sv: &mut Services<'_>) {
    match job {
        FileJob::Read(Ok(file)) => {
            let Some(store) = sv.writable() else {
                return;
            };
            match store.import_file(&file) {
                Ok(s) => {
                    sv.reload_book();
                    sv.say(Msg::new(
                        format!(
                            "Imported: {} new, {} updated, {} notes.",
                            s.added, s.updated, s.notes
                        ),
                        format!(
                            "导入完成：新增 {} 个，更新 {} 个，备注 {} 条。",
                            s.added, s.updated, s.notes
                        ),
                    ));
                }
                Err(e) => sv.warn(import_failed().with(&e.explain())),
            }
        }
        FileJob::Read(Err(e)) => sv.warn(import_failed().with(&e.explain())),
        FileJob::Written(Ok((codes, notes, path))) => {
            let name = path.display();
            sv.say(Msg::new(
                format!("Exported {codes} codes and {notes} notes to {name}."),
                format!("已导出 {codes} 个代码和 {notes} 条备注到 {name}。"),
            ));
        }
        FileJob::Written(Err(e)) => sv.warn(Msg::new("Export failed:", "导出失败：").with(&e)),
        FileJob::Cancelled => {}
    }
}

fn import_failed() -> Msg {
    Msg::new(
        "Import failed, nothing was changed:",
        "导入失败，没有做任何更改：",
    )
}
