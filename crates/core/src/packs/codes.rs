//! The bundled code pack: reviewed text files under `data/codes/`, compiled into the binary.

use crate::domain::code::{Category, CodeEntry, Fixer, Retry, Scheme};
use crate::domain::rules::{EntryError, check_bundled};
use serde::Deserialize;
use thiserror::Error;

/// Every pack file, by name. `tests/pack.rs` checks this list against the folder.
pub const PACK_FILES: &[(&str, &str)] = &[
    (
        "iso8583-00-49.toml",
        include_str!("../../../../data/codes/iso8583-00-49.toml"),
    ),
    (
        "iso8583-50-99.toml",
        include_str!("../../../../data/codes/iso8583-50-99.toml"),
    ),
    (
        "cups.toml",
        include_str!("../../../../data/codes/cups.toml"),
    ),
    (
        "terminal.toml",
        include_str!("../../../../data/codes/terminal.toml"),
    ),
    (
        "wechatpay.toml",
        include_str!("../../../../data/codes/wechatpay.toml"),
    ),
    (
        "alipay.toml",
        include_str!("../../../../data/codes/alipay.toml"),
    ),
    (
        "situations.toml",
        include_str!("../../../../data/codes/situations.toml"),
    ),
];

const PACK_MANIFEST: &str = include_str!("../../../../data/codes/pack.toml");

#[derive(Debug, Error)]
pub enum PackError {
    #[error("code pack file {file}: {message}")]
    Syntax { file: String, message: String },
    #[error("code pack file {file}, code {code}: {error}")]
    Entry {
        file: String,
        code: String,
        error: EntryError,
    },
}

/// A set of bundled codes with the version that decides whether an installed copy must refresh.
#[derive(Debug, Clone)]
pub struct Pack {
    pub version: u32,
    pub entries: Vec<CodeEntry>,
}

#[derive(Deserialize)]
struct Manifest {
    version: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    pack: PackHeader,
    #[serde(default)]
    code: Vec<PackCode>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackHeader {
    scheme: Scheme,
    #[allow(dead_code)]
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackCode {
    code: String,
    title_en: String,
    title_zh: String,
    category: Category,
    retry: Retry,
    fixers: Vec<Fixer>,
    #[serde(default)]
    vendor_specific: bool,
    explain_en: String,
    explain_zh: String,
    causes_en: Vec<String>,
    causes_zh: Vec<String>,
    steps_en: Vec<String>,
    steps_zh: Vec<String>,
    keywords: Vec<String>,
    #[serde(default)]
    says_zh: Vec<String>,
    #[serde(default)]
    says_en: Vec<String>,
    #[serde(default)]
    source: Option<String>,
}

impl Pack {
    /// The version of the pack compiled into this binary, without parsing the codes.
    pub fn bundled_version() -> Result<u32, PackError> {
        let manifest: Manifest = toml::from_str(PACK_MANIFEST).map_err(|e| PackError::Syntax {
            file: "pack.toml".into(),
            message: e.to_string(),
        })?;
        Ok(manifest.version)
    }

    /// The pack compiled into this binary.
    pub fn bundled() -> Result<Pack, PackError> {
        let version = Pack::bundled_version()?;
        let mut entries = Vec::new();
        for (name, text) in PACK_FILES {
            entries.extend(parse_pack_file(name, text)?);
        }
        let mut seen = std::collections::HashSet::new();
        for e in &entries {
            if !seen.insert((e.scheme, e.key())) {
                return Err(PackError::Entry {
                    file: "data/codes".into(),
                    code: e.code.clone(),
                    error: EntryError::Duplicate,
                });
            }
        }
        Ok(Pack { version, entries })
    }
}

/// Situation cards and codes do not mix: a situation's slug is no code a terminal shows, so it is in
/// upper case letters, digits and `_`, and only situations use the `situation` category.
fn check_kind(scheme: Scheme, e: &CodeEntry) -> Result<(), String> {
    let situation = scheme == Scheme::Situation;
    if situation != (e.category == Category::Situation) {
        return Err(format!(
            "{}: category \"situation\" is for situation cards only, and every situation card has it",
            e.code
        ));
    }
    if situation && e.source.trim().is_empty() {
        return Err(format!(
            "{}: a situation card needs its own source line",
            e.code
        ));
    }
    if situation
        && !e
            .code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(format!(
            "{}: a situation's code is an upper-case slug (A-Z, 0-9, _)",
            e.code
        ));
    }
    Ok(())
}

/// Parse one pack file and check every entry is complete in both languages.
pub fn parse_pack_file(name: &str, text: &str) -> Result<Vec<CodeEntry>, PackError> {
    let file: PackFile = toml::from_str(text).map_err(|e| PackError::Syntax {
        file: name.into(),
        message: e.to_string(),
    })?;
    if file.pack.scheme == Scheme::Custom {
        return Err(PackError::Syntax {
            file: name.into(),
            message: "the custom scheme belongs to the user and cannot be bundled".into(),
        });
    }
    file.code
        .into_iter()
        .map(|c| {
            let entry = CodeEntry {
                code: c.code,
                scheme: file.pack.scheme,
                title_zh: c.title_zh,
                title_en: c.title_en,
                explain_zh: c.explain_zh,
                explain_en: c.explain_en,
                causes_zh: c.causes_zh,
                causes_en: c.causes_en,
                steps_zh: c.steps_zh,
                steps_en: c.steps_en,
                fixers: c.fixers,
                retry: c.retry,
                category: c.category,
                vendor_specific: c.vendor_specific,
                keywords: c.keywords,
                says_zh: c.says_zh,
                says_en: c.says_en,
                source: c.source.unwrap_or_default(),
            };
            check_kind(file.pack.scheme, &entry).map_err(|message| PackError::Syntax {
                file: name.into(),
                message,
            })?;
            check_bundled(&entry).map_err(|error| PackError::Entry {
                file: name.into(),
                code: entry.code.clone(),
                error,
            })?;
            Ok(entry)
        })
        .collect()
}
