//! The bundled checklist templates: reviewed text files under `data/checklists/`, compiled into the
//! binary (see `data/checklists/FORMAT.md`).

use crate::domain::maintenance::{
    Interval, IntervalUnit, MaintenanceError, Recurrence, TaskTemplate, TerminalKind, ValueSpec,
};
use serde::Deserialize;
use thiserror::Error;

/// Every template file, by name, in the order the tasks are listed. `tests/maintenance.rs` checks this
/// list against the folder.
pub const PACK_FILES: &[(&str, &str)] = &[
    (
        "daily.toml",
        include_str!("../../../../data/checklists/daily.toml"),
    ),
    (
        "weekly.toml",
        include_str!("../../../../data/checklists/weekly.toml"),
    ),
    (
        "monthly.toml",
        include_str!("../../../../data/checklists/monthly.toml"),
    ),
    (
        "standing.toml",
        include_str!("../../../../data/checklists/standing.toml"),
    ),
];

const PACK_MANIFEST: &str = include_str!("../../../../data/checklists/pack.toml");

#[derive(Debug, Error)]
pub enum ChecklistPackError {
    #[error("checklist file {file}: {message}")]
    Syntax { file: String, message: String },
    #[error("checklist file {file}, task {key}: {error}")]
    Task {
        file: String,
        key: String,
        error: MaintenanceError,
    },
    #[error("checklist task {0} appears twice")]
    Duplicate(String),
}

/// The bundled templates with the version that decides whether an installed copy must refresh.
#[derive(Debug, Clone)]
pub struct ChecklistPack {
    pub version: u32,
    pub templates: Vec<TaskTemplate>,
}

#[derive(Deserialize)]
struct Manifest {
    version: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    #[serde(default)]
    task: Vec<PackTask>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackTask {
    key: String,
    title_en: String,
    title_zh: String,
    why_en: String,
    why_zh: String,
    steps_en: Vec<String>,
    steps_zh: Vec<String>,
    kinds: Vec<TerminalKind>,
    every: u32,
    unit: IntervalUnit,
    #[serde(default = "calendar")]
    recurrence: Recurrence,
    #[serde(default)]
    standing: bool,
    value: Option<ValueSpec>,
}

fn calendar() -> Recurrence {
    Recurrence::Calendar
}

impl ChecklistPack {
    /// The version of the templates compiled into this binary, without parsing them.
    pub fn bundled_version() -> Result<u32, ChecklistPackError> {
        let manifest: Manifest =
            toml::from_str(PACK_MANIFEST).map_err(|e| ChecklistPackError::Syntax {
                file: "pack.toml".into(),
                message: e.to_string(),
            })?;
        Ok(manifest.version)
    }

    /// The templates compiled into this binary.
    pub fn bundled() -> Result<ChecklistPack, ChecklistPackError> {
        let version = ChecklistPack::bundled_version()?;
        let mut templates = Vec::new();
        for (name, text) in PACK_FILES {
            templates.extend(parse_checklist_file(name, text)?);
        }
        let mut seen = std::collections::HashSet::new();
        for t in &templates {
            if !seen.insert(t.key.as_str()) {
                return Err(ChecklistPackError::Duplicate(t.key.clone()));
            }
        }
        Ok(ChecklistPack { version, templates })
    }
}

/// Parse one template file and check every task keeps the template rules.
pub fn parse_checklist_file(
    name: &str,
    text: &str,
) -> Result<Vec<TaskTemplate>, ChecklistPackError> {
    let file: PackFile = toml::from_str(text).map_err(|e| ChecklistPackError::Syntax {
        file: name.into(),
        message: e.to_string(),
    })?;
    file.task
        .into_iter()
        .map(|t| {
            let fail = |error| ChecklistPackError::Task {
                file: name.into(),
                key: t.key.clone(),
                error,
            };
            let interval = Interval::new(t.every, t.unit).map_err(fail)?;
            let mut kinds = t.kinds.clone();
            kinds.sort();
            kinds.dedup();
            let template = TaskTemplate {
                key: t.key.clone(),
                title_zh: t.title_zh.trim().to_string(),
                title_en: t.title_en.trim().to_string(),
                why_zh: t.why_zh.trim().to_string(),
                why_en: t.why_en.trim().to_string(),
                steps_zh: t.steps_zh.iter().map(|s| s.trim().to_string()).collect(),
                steps_en: t.steps_en.iter().map(|s| s.trim().to_string()).collect(),
                kinds,
                interval,
                recurrence: t.recurrence,
                value: t.value.clone(),
                standing: t.standing,
                own: false,
            };
            template.check().map_err(fail)?;
            Ok(template)
        })
        .collect()
}
