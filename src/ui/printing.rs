//! What the screens that print share: writing a PDF's bytes to a file, the folder printed files go to,
//! and keeping only the newest of them. The drawing itself is in `crate::print`.

use crate::i18n::Msg;
use crate::store::Store;
use std::path::{Path, PathBuf};

/// How many printed files of one kind the print folder keeps (the newest ones).
pub const KEEP_PRINTED: usize = 5;

/// Write `bytes` to `path` whole or not at all (temporary file, synced, renamed), making its folder if
/// needed. A `path` that is one of the data folder's own files is refused; an existing file is
/// replaced (the save dialog asked, or it is one of the print folder's own files). The failure says
/// which file and why.
pub fn write_file(data_dir: Option<&Path>, path: &Path, bytes: &[u8]) -> Result<(), Msg> {
    use crate::i18n::Explain as _;
    use std::io::Write as _;
    let out = crate::fsx::Output::check(data_dir, path, crate::fsx::Replace::Yes)
        .map_err(|e| e.explain())?;
    crate::fsx::write_output(&out, |w| w.write_all(bytes)).map_err(|e| io_failed(path, &e))
}

fn io_failed(path: &Path, e: &std::io::Error) -> Msg {
    let shown = path.display();
    Msg::new(
        format!("{shown} could not be written ({e})."),
        format!("无法写入 {shown}（{e}）。"),
    )
}

/// Printed files go to `print/` in the data folder (a temporary folder without one).
pub fn print_folder(store: &Store) -> PathBuf {
    store
        .path()
        .and_then(Path::parent)
        .map(|dir| dir.join("print"))
        .unwrap_or_else(|| std::env::temp_dir().join("posdesk-print"))
}

/// Keep only the newest printed files whose names start with `prefix`; their names sort by time.
pub fn tidy(folder: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let mut printed: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".pdf"))
        })
        .collect();
    printed.sort();
    let old = printed.len().saturating_sub(KEEP_PRINTED);
    for p in printed.into_iter().take(old) {
        // A file a viewer still holds open stays; the next print tries again.
        std::fs::remove_file(p).ok();
    }
}
