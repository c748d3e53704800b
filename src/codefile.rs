//! Files of the user's own codes: CSV for spreadsheets, JSON for everything else.
//!
//! A file is read whole and checked whole before anything is stored, so a bad file changes nothing and
//! the error names the line to fix.

use crate::domain::code::{Category, CodeEntry, Fixer, Retry, Scheme, check_entry};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Files larger than this are refused: no list of a shop's own codes is that big.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Separator between list items inside one CSV cell.
const CSV_LIST_SEPARATOR: char = '|';

#[derive(Debug, Error)]
pub enum CodeFileError {
    #[error("cannot read {path}: {cause}")]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("cannot write {path}: {cause}")]
    Write {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{path}, line {line}: {message}. Nothing was imported.")]
    Line {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{path}: {message}. Nothing was imported.")]
    File { path: PathBuf, message: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    /// By extension; a file without a known one is JSON if it starts with `[`, otherwise CSV.
    pub fn detect(path: &Path, text: &str) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("json") => Format::Json,
            Some("csv") => Format::Csv,
            _ if text.trim_start().starts_with('[') => Format::Json,
            _ => Format::Csv,
        }
    }
}

/// One code as it stands in a file. Only `code` and one title are required.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CodeRecord {
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub explain_zh: String,
    #[serde(default)]
    pub explain_en: String,
    #[serde(default)]
    pub causes_zh: Vec<String>,
    #[serde(default)]
    pub causes_en: Vec<String>,
    #[serde(default)]
    pub steps_zh: Vec<String>,
    #[serde(default)]
    pub steps_en: Vec<String>,
    #[serde(default)]
    pub fixers: Vec<String>,
    #[serde(default)]
    pub retry: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub vendor_specific: bool,
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// CSV columns, in the order exported.
const CSV_COLUMNS: [&str; 15] = [
    "code",
    "title_zh",
    "title_en",
    "explain_zh",
    "explain_en",
    "causes_zh",
    "causes_en",
    "steps_zh",
    "steps_en",
    "fixers",
    "retry",
    "category",
    "vendor_specific",
    "keywords",
    "scheme",
];

impl CodeRecord {
    pub fn from_entry(e: &CodeEntry) -> CodeRecord {
        CodeRecord {
            code: e.code.clone(),
            scheme: None,
            title_zh: e.title_zh.clone(),
            title_en: e.title_en.clone(),
            explain_zh: e.explain_zh.clone(),
            explain_en: e.explain_en.clone(),
            causes_zh: e.causes_zh.clone(),
            causes_en: e.causes_en.clone(),
            steps_zh: e.steps_zh.clone(),
            steps_en: e.steps_en.clone(),
            fixers: e.fixers.iter().map(|f| f.id().to_string()).collect(),
            retry: e.retry.id().to_string(),
            category: e.category.id().to_string(),
            vendor_specific: e.vendor_specific,
            keywords: e.keywords.clone(),
        }
    }

    /// The entry this record describes, as one of the user's own codes. Missing advice defaults to the
    /// cautious choice: retry only after a fix, ask the provider.
    pub fn into_entry(self) -> Result<CodeEntry, String> {
        if let Some(s) = self
            .scheme
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            && Scheme::from_id(s) != Some(Scheme::Custom)
        {
            return Err(format!(
                "scheme {s:?}: only your own codes (scheme \"custom\") can be imported"
            ));
        }
        let retry = match self.retry.trim() {
            "" => Retry::AfterFix,
            r => Retry::from_id(r).ok_or_else(|| {
                format!("retry {r:?} is not one of now, after_fix, never, check_first")
            })?,
        };
        let category = match self.category.trim() {
            "" => Category::Transaction,
            c => Category::from_id(c).ok_or_else(|| {
                let all: Vec<&str> = Category::ALL.iter().map(|c| c.id()).collect();
                format!("category {c:?} is not one of {}", all.join(", "))
            })?,
        };
        let mut fixers = Vec::new();
        for f in self
            .fixers
            .iter()
            .map(|f| f.trim())
            .filter(|f| !f.is_empty())
        {
            let fixer = Fixer::from_id(f).ok_or_else(|| {
                format!("fixer {f:?} is not one of clerk, merchant, provider, cardholder, issuer")
            })?;
            if !fixers.contains(&fixer) {
                fixers.push(fixer);
            }
        }
        if fixers.is_empty() {
            fixers.push(Fixer::Provider);
        }
        let clean = |v: Vec<String>| -> Vec<String> {
            v.into_iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let entry = CodeEntry {
            code: self.code.trim().to_string(),
            scheme: Scheme::Custom,
            title_zh: self.title_zh.trim().to_string(),
            title_en: self.title_en.trim().to_string(),
            explain_zh: self.explain_zh.trim().to_string(),
            explain_en: self.explain_en.trim().to_string(),
            causes_zh: clean(self.causes_zh),
            causes_en: clean(self.causes_en),
            steps_zh: clean(self.steps_zh),
            steps_en: clean(self.steps_en),
            fixers,
            retry,
            category,
            vendor_specific: self.vendor_specific,
            keywords: clean(self.keywords),
        };
        check_entry(&entry)?;
        Ok(entry)
    }
}

/// Read and check a whole file of the user's own codes.
pub fn read_codes(path: &Path) -> Result<Vec<CodeEntry>, CodeFileError> {
    let read_err = |cause| CodeFileError::Read {
        path: path.to_path_buf(),
        cause,
    };
    let size = std::fs::metadata(path).map_err(read_err)?.len();
    if size > MAX_FILE_BYTES {
        return Err(CodeFileError::File {
            path: path.to_path_buf(),
            message: format!("the file is {size} bytes; the limit is {MAX_FILE_BYTES}"),
        });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    let text = String::from_utf8(bytes).map_err(|e| CodeFileError::File {
        path: path.to_path_buf(),
        message: format!(
            "the file is not UTF-8 text (bad byte at position {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        ),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    parse_codes(path, text, Format::detect(path, text))
}

/// Parse `text` as a file of the user's own codes; `path` only names the file in errors.
pub fn parse_codes(
    path: &Path,
    text: &str,
    format: Format,
) -> Result<Vec<CodeEntry>, CodeFileError> {
    let records = match format {
        Format::Csv => parse_csv(path, text)?,
        Format::Json => parse_json(path, text)?,
    };
    if records.is_empty() {
        return Err(CodeFileError::File {
            path: path.to_path_buf(),
            message: "the file holds no codes".into(),
        });
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut entries = Vec::with_capacity(records.len());
    for (line, record) in records {
        let entry = record.into_entry().map_err(|message| CodeFileError::Line {
            path: path.to_path_buf(),
            line,
            message,
        })?;
        if let Some(first) = seen.insert(entry.key(), line) {
            return Err(CodeFileError::Line {
                path: path.to_path_buf(),
                line,
                message: format!("code {} is already on line {first}", entry.code),
            });
        }
        entries.push(entry);
    }
    Ok(entries)
}

fn split_list(cell: &str) -> Vec<String> {
    cell.split(CSV_LIST_SEPARATOR)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn parse_csv(path: &Path, text: &str) -> Result<Vec<(usize, CodeRecord)>, CodeFileError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let file_err = |message: String| CodeFileError::File {
        path: path.to_path_buf(),
        message,
    };
    let headers = reader
        .headers()
        .map_err(|e| file_err(format!("cannot read the header line: {e}")))?
        .clone();
    let mut columns = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let name = h.trim().to_ascii_lowercase();
        if !CSV_COLUMNS.contains(&name.as_str()) {
            return Err(CodeFileError::Line {
                path: path.to_path_buf(),
                line: 1,
                message: format!(
                    "unknown column {h:?}; the columns are {}",
                    CSV_COLUMNS.join(", ")
                ),
            });
        }
        if columns.insert(name, i).is_some() {
            return Err(CodeFileError::Line {
                path: path.to_path_buf(),
                line: 1,
                message: format!("column {h:?} appears twice"),
            });
        }
    }
    if !columns.contains_key("code") {
        return Err(CodeFileError::Line {
            path: path.to_path_buf(),
            line: 1,
            message: "the header has no \"code\" column".into(),
        });
    }
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| {
            let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
            CodeFileError::Line {
                path: path.to_path_buf(),
                line,
                message: match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!("has {len} fields but the header has {expected_len}"),
                    _ => e.to_string(),
                },
            }
        })?;
        let line = row.position().map(|p| p.line() as usize).unwrap_or(0);
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |name: &str| {
            columns
                .get(name)
                .and_then(|&i| row.get(i))
                .unwrap_or("")
                .to_string()
        };
        let vendor = cell("vendor_specific");
        let vendor_specific = match vendor.trim().to_ascii_lowercase().as_str() {
            "" | "false" | "no" | "0" => false,
            "true" | "yes" | "1" => true,
            other => {
                return Err(CodeFileError::Line {
                    path: path.to_path_buf(),
                    line,
                    message: format!("vendor_specific {other:?} is not true or false"),
                });
            }
        };
        let scheme = cell("scheme");
        out.push((
            line,
            CodeRecord {
                code: cell("code"),
                scheme: (!scheme.trim().is_empty()).then_some(scheme),
                title_zh: cell("title_zh"),
                title_en: cell("title_en"),
                explain_zh: cell("explain_zh"),
                explain_en: cell("explain_en"),
                causes_zh: split_list(&cell("causes_zh")),
                causes_en: split_list(&cell("causes_en")),
                steps_zh: split_list(&cell("steps_zh")),
                steps_en: split_list(&cell("steps_en")),
                fixers: split_list(&cell("fixers")),
                retry: cell("retry"),
                category: cell("category"),
                vendor_specific,
                keywords: split_list(&cell("keywords")),
            },
        ));
    }
    Ok(out)
}

fn parse_json(path: &Path, text: &str) -> Result<Vec<(usize, CodeRecord)>, CodeFileError> {
    let values: Vec<serde_json::Value> =
        serde_json::from_str(text).map_err(|e| CodeFileError::Line {
            path: path.to_path_buf(),
            line: e.line(),
            message: if e.is_data() {
                "the file must be a JSON array of code objects".into()
            } else {
                e.to_string()
            },
        })?;
    let starts = element_lines(text);
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let line = starts.get(i).copied().unwrap_or(0);
            serde_json::from_value::<CodeRecord>(v)
                .map(|r| (line, r))
                .map_err(|e| CodeFileError::Line {
                    path: path.to_path_buf(),
                    line,
                    message: e.to_string(),
                })
        })
        .collect()
}

/// The line on which each element of a top-level JSON array starts (serde_json does not keep spans).
fn element_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let (mut depth, mut line) = (0usize, 1usize);
    let (mut in_string, mut escaped, mut expect_element) = (false, false, false);
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if expect_element && depth == 1 && !c.is_whitespace() && c != ']' {
            lines.push(line);
            expect_element = false;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    expect_element = true;
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 1 => expect_element = true,
            _ => {}
        }
    }
    lines
}

/// Write the user's own codes to `path`, as CSV or JSON by its extension (JSON when unsure).
pub fn write_codes(path: &Path, entries: &[CodeEntry]) -> Result<(), CodeFileError> {
    let write_err = |cause| CodeFileError::Write {
        path: path.to_path_buf(),
        cause,
    };
    let records: Vec<CodeRecord> = entries.iter().map(CodeRecord::from_entry).collect();
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let bytes = if is_csv {
        let mut w = csv::Writer::from_writer(Vec::new());
        let header = &CSV_COLUMNS[..CSV_COLUMNS.len() - 1];
        w.write_record(header)
            .map_err(|e| write_err(std::io::Error::other(e)))?;
        let sep = format!(" {CSV_LIST_SEPARATOR} ");
        for r in &records {
            w.write_record([
                r.code.as_str(),
                &r.title_zh,
                &r.title_en,
                &r.explain_zh,
                &r.explain_en,
                &r.causes_zh.join(&sep),
                &r.causes_en.join(&sep),
                &r.steps_zh.join(&sep),
                &r.steps_en.join(&sep),
                &r.fixers.join(&sep),
                &r.retry,
                &r.category,
                if r.vendor_specific { "true" } else { "false" },
                &r.keywords.join(&sep),
            ])
            .map_err(|e| write_err(std::io::Error::other(e)))?;
        }
        w.into_inner()
            .map_err(|e| write_err(std::io::Error::other(e.to_string())))?
    } else {
        let mut text = serde_json::to_string_pretty(&records)
            .map_err(|e| write_err(std::io::Error::other(e)))?;
        text.push('\n');
        text.into_bytes()
    };
    // Write beside the target and rename, so a full disk never leaves half a file under the real name.
    let tmp = path.with_extension("posdesk-tmp");
    std::fs::write(&tmp, bytes).map_err(write_err)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        write_err(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_line_of_each_json_element() {
        let text = "[\n  {\"code\": \"a\"},\n  {\n    \"code\": \"b]\"\n  }\n]";
        assert_eq!(element_lines(text), vec![2, 3]);
    }

    #[test]
    fn csv_list_cells_split_on_bars() {
        assert_eq!(split_list(" a | b ||c "), vec!["a", "b", "c"]);
    }
}
