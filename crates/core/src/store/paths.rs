//! Where posdesk keeps its one data folder.

use std::path::PathBuf;

/// Environment variable that overrides the data folder (the `--data-dir` option wins over it).
pub const DATA_DIR_ENV: &str = "POSDESK_DATA_DIR";

/// The data folder: `--data-dir`, else `POSDESK_DATA_DIR`, else the platform's local data folder
/// (Local, not Roaming, on Windows: the database must not follow a user between PCs).
pub fn data_dir(explicit: Option<PathBuf>) -> Option<PathBuf> {
    explicit
        .or_else(|| {
            std::env::var_os(DATA_DIR_ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .or_else(|| {
            directories::ProjectDirs::from("", "", "posdesk")
                .map(|d| d.data_local_dir().to_path_buf())
        })
}
