//! Where posdesk keeps its one data folder.

use crate::i18n::Lang;
use std::path::{Path, PathBuf};

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

/// The file in the data folder that keeps the language the window was last set to ("zh" or "en"),
/// so the command line speaks it too. Plain text, owned by the library: the CLI reads it without the
/// window's preference format.
pub const LANG_FILE: &str = "language.txt";

/// The language the window was last set to, if it ever was.
pub fn saved_lang(data_dir: &Path) -> Option<Lang> {
    let text = std::fs::read_to_string(data_dir.join(LANG_FILE)).ok()?;
    match text.trim() {
        "zh" => Some(Lang::Zh),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// Keep the window's language for the command line (and the next start).
pub fn save_lang(data_dir: &Path, lang: Lang) -> std::io::Result<()> {
    let text = match lang {
        Lang::Zh => "zh\n",
        Lang::En => "en\n",
    };
    std::fs::create_dir_all(data_dir)?;
    std::fs::write(data_dir.join(LANG_FILE), text)
}

/// The language the user reads: the window's saved choice in `data_dir`, else the system's.
pub fn user_lang(data_dir: Option<&Path>) -> Lang {
    data_dir
        .and_then(saved_lang)
        .unwrap_or_else(Lang::from_system)
}
