//! Files of the user's own codes and notes: CSV for spreadsheets, JSON for everything else.
//!
//! A file is read whole and checked whole before anything is stored, so a bad file changes nothing and
//! the error names the line to fix. A row of a bundled scheme (`scheme = "cups"`) carries only a note
//! on that bundled code, so the shop's notes move to a new PC with its codes.

use crate::domain::code::{Category, CodeEntry, Retry, Scheme, normalize_code};
use crate::domain::rules::{self, EntryError, check_entry};
use crate::exchange::journal::neutralise;
use crate::i18n::{Explain, Msg};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Files larger than this are refused: no list of a shop's own codes is that big.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Separator between list items inside one CSV cell.
const CSV_LIST_SEPARATOR: char = '|';

/// What is wrong with a file or one of its lines.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Problem {
    #[error("{0}")]
    Entry(EntryError),
    #[error("code {code} is already on line {first_line}")]
    Duplicate { code: String, first_line: usize },
    #[error("unknown column {0:?}; the columns are {cols}", cols = CSV_COLUMNS.join(", "))]
    UnknownColumn(String),
    #[error("column {0:?} appears twice")]
    ColumnTwice(String),
    #[error("the header has no \"code\" column")]
    NoCodeColumn,
    #[error("has {len} fields but the header has {expected}")]
    FieldCount { len: usize, expected: usize },
    #[error("cannot read the CSV: {0}")]
    Csv(String),
    #[error("vendor_specific {0:?} is not true or false")]
    VendorFlag(String),
    #[error("the file must be a JSON array of code objects")]
    NotAnArray,
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("{0}")]
    Record(String),
    #[error("scheme {0:?} is not one of iso8583, cups, terminal, wechatpay, alipay, custom")]
    UnknownScheme(String),
    #[error("a row of a bundled scheme ({0}) can only carry a note on that code")]
    BundledRow(Scheme),
    #[error("the note is longer than 4,000 characters")]
    NoteTooLong,
    #[error("the file is {size} bytes; the limit is {MAX_FILE_BYTES}")]
    TooBig { size: u64 },
    #[error("the file is not UTF-8 text (bad byte at position {0}); save it as UTF-8")]
    NotUtf8(usize),
    #[error("the file holds no codes")]
    Empty,
}

impl Explain for Problem {
    fn explain(&self) -> Msg {
        let zh = match self {
            Problem::Entry(e) => return e.explain(),
            Problem::Duplicate { code, first_line } => {
                format!("代码 {code} 在第 {first_line} 行已经出现过")
            }
            Problem::UnknownColumn(c) => {
                format!("不认识的列“{c}”；可用的列为 {}", CSV_COLUMNS.join(", "))
            }
            Problem::ColumnTwice(c) => format!("列“{c}”出现了两次"),
            Problem::NoCodeColumn => "标题行里没有 code 列".into(),
            Problem::FieldCount { len, expected } => {
                format!("这一行有 {len} 格，标题行有 {expected} 格")
            }
            Problem::Csv(detail) => format!("无法读取 CSV：{detail}"),
            Problem::VendorFlag(v) => format!("vendor_specific 的值“{v}”应为 true 或 false"),
            Problem::NotAnArray => "文件必须是由代码对象组成的 JSON 数组".into(),
            Problem::Json(detail) => format!("不是有效的 JSON：{detail}"),
            Problem::Record(detail) => format!("这一条的内容有误：{detail}"),
            Problem::UnknownScheme(s) => format!(
                "方案“{s}”无效，应为 iso8583、cups、terminal、wechatpay、alipay、custom 之一"
            ),
            Problem::BundledRow(s) => format!("内置方案（{s}）的行只能填写该代码的备注"),
            Problem::NoteTooLong => "备注超过 4,000 个字符".into(),
            Problem::TooBig { size } => {
                format!("文件有 {size} 字节，超过上限 {MAX_FILE_BYTES} 字节")
            }
            Problem::NotUtf8(pos) => {
                format!("文件不是 UTF-8 文本（第 {pos} 个字节有误）；请另存为 UTF-8")
            }
            Problem::Empty => "文件里没有代码".into(),
        };
        Msg::new(self.to_string(), zh)
    }
}

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
    #[error("line {line}: {problem}. Nothing was imported. ({path})")]
    Line {
        path: PathBuf,
        line: usize,
        problem: Problem,
    },
    #[error("{problem}. Nothing was imported. ({path})")]
    File { path: PathBuf, problem: Problem },
}

fn file_name(path: &Path) -> String {
    crate::fsx::file_name(path).unwrap_or_else(|| path.display().to_string())
}

impl Explain for CodeFileError {
    fn explain(&self) -> Msg {
        match self {
            CodeFileError::Read { path, cause } => Msg::new(
                format!("Cannot read {}: {cause}", file_name(path)),
                format!("无法读取 {}：{cause}", file_name(path)),
            ),
            CodeFileError::Write { path, cause } => Msg::new(
                format!("Cannot write {}: {cause}", file_name(path)),
                format!("无法写入 {}：{cause}", file_name(path)),
            ),
            CodeFileError::Line {
                path,
                line,
                problem,
            } => {
                let p = problem.explain();
                Msg::new(
                    format!("{}, line {line}: {}.", file_name(path), p.en),
                    format!("{} 第 {line} 行：{}。", file_name(path), p.zh),
                )
            }
            CodeFileError::File { path, problem } => {
                let p = problem.explain();
                Msg::new(
                    format!("{}: {}.", file_name(path), p.en),
                    format!("{}：{}。", file_name(path), p.zh),
                )
            }
        }
    }
}

pub use crate::domain::note::{CodeNote as NoteRecord, MAX_NOTE_CHARS};

/// Everything a file holds: the shop's own codes and notes. The type is the domain's (the store imports
/// and exports it without knowing about files); this module only reads and writes it.
pub use crate::domain::note::ShopCodes as CodeFile;

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
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// What clerks and customers say about it, searched like keywords.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub says_zh: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub says_en: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

/// CSV columns, in the order exported.
pub const CSV_COLUMNS: [&str; 19] = [
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
    "note",
    "says_zh",
    "says_en",
    "source",
];

impl CodeRecord {
    pub fn from_entry(e: &CodeEntry, note: Option<&str>) -> CodeRecord {
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
            note: note.unwrap_or_default().to_string(),
            says_zh: e.says_zh.clone(),
            says_en: e.says_en.clone(),
            source: e.source.clone(),
        }
    }

    /// A row that carries only a note on a bundled code.
    pub fn from_note(n: &NoteRecord) -> CodeRecord {
        CodeRecord {
            code: n.code.clone(),
            scheme: Some(n.scheme.id().to_string()),
            note: n.note.clone(),
            ..CodeRecord::default()
        }
    }

    /// What this record describes: one of the user's own codes (with its note, if any), or a note on a
    /// bundled code. Missing advice defaults to the cautious choice: check first, ask the provider.
    pub fn into_item(self) -> Result<Item, Problem> {
        let scheme = match self
            .scheme
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Scheme::Custom,
            Some(s) => Scheme::from_id(s).ok_or_else(|| Problem::UnknownScheme(s.to_string()))?,
        };
        let note = self.note.trim().to_string();
        if note.chars().count() > MAX_NOTE_CHARS {
            return Err(Problem::NoteTooLong);
        }
        if scheme.is_bundled() {
            let only_note = self.title_zh.trim().is_empty()
                && self.title_en.trim().is_empty()
                && self.explain_zh.trim().is_empty()
                && self.explain_en.trim().is_empty()
                && self.steps_zh.is_empty()
                && self.steps_en.is_empty()
                && self.causes_zh.is_empty()
                && self.causes_en.is_empty();
            if !only_note || note.is_empty() || normalize_code(&self.code).is_empty() {
                return Err(Problem::BundledRow(scheme));
            }
            return Ok(Item::Note(NoteRecord {
                scheme,
                code: self.code.trim().to_string(),
                note,
            }));
        }
        let retry = rules::parse_retry(&self.retry, Retry::CheckFirst).map_err(Problem::Entry)?;
        let category =
            rules::parse_category(&self.category, Category::Transaction).map_err(Problem::Entry)?;
        let fixers = self
            .fixers
            .iter()
            .map(|f| f.trim())
            .filter(|f| !f.is_empty())
            .map(rules::parse_fixer)
            .collect::<Result<Vec<_>, _>>()
            .map_err(Problem::Entry)?;
        let entry = rules::tidy(CodeEntry {
            code: self.code,
            scheme: Scheme::Custom,
            title_zh: self.title_zh,
            title_en: self.title_en,
            explain_zh: self.explain_zh,
            explain_en: self.explain_en,
            causes_zh: self.causes_zh,
            causes_en: self.causes_en,
            steps_zh: self.steps_zh,
            steps_en: self.steps_en,
            fixers,
            retry,
            category,
            vendor_specific: self.vendor_specific,
            keywords: self.keywords,
            says_zh: self.says_zh,
            says_en: self.says_en,
            source: self.source.trim().to_string(),
        });
        check_entry(&entry).map_err(Problem::Entry)?;
        Ok(Item::Code(
            Box::new(entry),
            (!note.is_empty()).then_some(note),
        ))
    }
}

/// One record of a file, read.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Code(Box<CodeEntry>, Option<String>),
    Note(NoteRecord),
}

/// Read and check a whole file of the user's own codes and notes.
pub fn read_codes(path: &Path) -> Result<CodeFile, CodeFileError> {
    let read_err = |cause| CodeFileError::Read {
        path: path.to_path_buf(),
        cause,
    };
    let file_err = |problem| CodeFileError::File {
        path: path.to_path_buf(),
        problem,
    };
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(read_err)?;
    let size = file.metadata().map_err(read_err)?.len();
    if size > MAX_FILE_BYTES {
        return Err(file_err(Problem::TooBig { size }));
    }
    // A device or pipe reports 0 bytes and may never end (`/dev/zero`): read one byte past the
    // limit at most.
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(file_err(Problem::TooBig {
            size: bytes.len() as u64,
        }));
    }
    let text = String::from_utf8(bytes)
        .map_err(|e| file_err(Problem::NotUtf8(e.utf8_error().valid_up_to())))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    parse_codes(path, text, Format::detect(path, text))
}

/// Parse `text` as a file of the user's own codes and notes; `path` only names the file in errors.
pub fn parse_codes(path: &Path, text: &str, format: Format) -> Result<CodeFile, CodeFileError> {
    let records = match format {
        Format::Csv => parse_csv(path, text)?,
        Format::Json => parse_json(path, text)?,
    };
    if records.is_empty() {
        return Err(CodeFileError::File {
            path: path.to_path_buf(),
            problem: Problem::Empty,
        });
    }
    let line_err = |line, problem| CodeFileError::Line {
        path: path.to_path_buf(),
        line,
        problem,
    };
    let mut seen: HashMap<(Scheme, String), usize> = HashMap::new();
    let mut file = CodeFile::default();
    for (line, record) in records {
        let item = record.into_item().map_err(|p| line_err(line, p))?;
        let (key, code) = match &item {
            Item::Code(e, _) => ((Scheme::Custom, e.key()), e.code.clone()),
            Item::Note(n) => ((n.scheme, normalize_code(&n.code)), n.code.clone()),
        };
        if let Some(first_line) = seen.insert(key, line) {
            return Err(line_err(line, Problem::Duplicate { code, first_line }));
        }
        match item {
            Item::Code(entry, note) => {
                if let Some(note) = note {
                    file.notes.push(NoteRecord {
                        scheme: Scheme::Custom,
                        code: entry.code.clone(),
                        note,
                    });
                }
                file.entries.push(*entry);
            }
            Item::Note(n) => file.notes.push(n),
        }
    }
    Ok(file)
}

/// A CSV cell a spreadsheet will not run: the journal's rule ([`neutralise`]), and a cell that already
/// starts with `'` before a formula character gets one more, so [`unneutralise`] gives it back whole.
fn formula_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let mut chars = cell.chars();
    if chars.next() == Some('\'') && chars.next().is_some_and(|c| FORMULA_START.contains(&c)) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        neutralise(cell)
    }
}

/// What [`formula_safe`] added taken off again when a CSV is read back.
fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        Some(rest) if rest.starts_with('\'') && rest[1..].starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}

/// First characters that make a spreadsheet treat a cell as a formula.
const FORMULA_START: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// Items of a CSV list cell: split on `|`, where `\|` is a bar inside an item and `\\` a backslash
/// (any other backslash is kept as it is, so files written by hand read as typed).
fn split_list(cell: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut item = String::new();
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some(&CSV_LIST_SEPARATOR) | Some(&'\\')) => {
                item.extend(chars.next());
            }
            CSV_LIST_SEPARATOR => items.push(std::mem::take(&mut item)),
            _ => item.push(c),
        }
    }
    items.push(item);
    items
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The cell for a list: items joined with ` | `, a bar or backslash inside an item escaped.
fn join_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| i.replace('\\', "\\\\").replace(CSV_LIST_SEPARATOR, "\\|"))
        .collect::<Vec<_>>()
        .join(&format!(" {CSV_LIST_SEPARATOR} "))
}

/// The line a CSV record starts on. The csv crate places a record at the end of the line before it
/// (before a `\r\n` as well), so the line is counted from the record's first byte instead. Lines
/// are counted on from where the previous record was (`counted`: byte offset and newlines before
/// it), so a file of n records costs n, not n² (100,000 rows took minutes).
fn record_line(
    text: &str,
    position: Option<&csv::Position>,
    counted: &mut (usize, usize),
) -> usize {
    let Some(p) = position else {
        return 0;
    };
    let rest = text.get(p.byte() as usize..).unwrap_or("");
    let skipped = rest.len() - rest.trim_start_matches(['\r', '\n']).len();
    let start = (p.byte() as usize + skipped).min(text.len());
    if start < counted.0 {
        *counted = (0, 0);
    }
    let newlines = text
        .get(counted.0..start)
        .map_or(0, |between| between.bytes().filter(|&b| b == b'\n').count());
    *counted = (start, counted.1 + newlines);
    counted.1 + 1
}

fn parse_csv(path: &Path, text: &str) -> Result<Vec<(usize, CodeRecord)>, CodeFileError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| CodeFileError::Line {
            path: path.to_path_buf(),
            line: 1,
            problem: Problem::Csv(e.to_string()),
        })?
        .clone();
    let mut columns = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let name = h.trim().to_ascii_lowercase();
        if !CSV_COLUMNS.contains(&name.as_str()) {
            return Err(CodeFileError::Line {
                path: path.to_path_buf(),
                line: 1,
                problem: Problem::UnknownColumn(h.to_string()),
            });
        }
        if columns.insert(name, i).is_some() {
            return Err(CodeFileError::Line {
                path: path.to_path_buf(),
                line: 1,
                problem: Problem::ColumnTwice(h.to_string()),
            });
        }
    }
    if !columns.contains_key("code") {
        return Err(CodeFileError::Line {
            path: path.to_path_buf(),
            line: 1,
            problem: Problem::NoCodeColumn,
        });
    }
    let mut out = Vec::new();
    let mut counted = (0, 0);
    for row in reader.records() {
        let row = row.map_err(|e| {
            let line = record_line(text, e.position(), &mut counted.clone());
            CodeFileError::Line {
                path: path.to_path_buf(),
                line,
                problem: match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => Problem::FieldCount {
                        len: *len as usize,
                        expected: *expected_len as usize,
                    },
                    _ => Problem::Csv(e.to_string()),
                },
            }
        })?;
        let line = record_line(text, row.position(), &mut counted);
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |name: &str| {
            unneutralise(columns.get(name).and_then(|&i| row.get(i)).unwrap_or("")).to_string()
        };
        let vendor = cell("vendor_specific");
        let vendor_specific = match vendor.trim().to_ascii_lowercase().as_str() {
            "" | "false" | "no" | "0" => false,
            "true" | "yes" | "1" => true,
            other => {
                return Err(CodeFileError::Line {
                    path: path.to_path_buf(),
                    line,
                    problem: Problem::VendorFlag(other.to_string()),
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
                note: cell("note"),
                says_zh: split_list(&cell("says_zh")),
                says_en: split_list(&cell("says_en")),
                source: cell("source"),
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
            problem: if e.is_data() {
                Problem::NotAnArray
            } else {
                Problem::Json(e.to_string())
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
                    problem: Problem::Record(e.to_string()),
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

/// Write the user's own codes and all notes to `path`, as CSV or JSON by its extension (JSON when
/// unsure). Notes on the user's codes ride on their rows; notes on bundled codes get rows of their own.
///
/// `out` was checked against the data folder ([`crate::fsx::Output`]); the file is written whole or
/// not at all. The CSV is formula-safe like the journal's: a cell that a spreadsheet would run
/// (`=`, `+`, `-`, `@`, tab, CR first) starts with `'`.
pub fn write_codes(out: &crate::fsx::Output, file: &CodeFile) -> Result<(), CodeFileError> {
    let path = out.path();
    let write_err = |cause| CodeFileError::Write {
        path: path.to_path_buf(),
        cause,
    };
    // One pass over the notes, not one per entry (100,000 codes took over 11 minutes).
    let custom_notes: HashMap<String, &str> = file
        .notes
        .iter()
        .filter(|n| n.scheme == Scheme::Custom)
        .rev()
        .map(|n| (normalize_code(&n.code), n.note.as_str()))
        .collect();
    let note_of = |e: &CodeEntry| custom_notes.get(&e.key()).copied();
    let mut records: Vec<CodeRecord> = file
        .entries
        .iter()
        .map(|e| CodeRecord::from_entry(e, note_of(e)))
        .collect();
    records.extend(
        file.notes
            .iter()
            .filter(|n| n.scheme.is_bundled())
            .map(CodeRecord::from_note),
    );
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let bytes = if is_csv {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(CSV_COLUMNS)
            .map_err(|e| write_err(std::io::Error::other(e)))?;
        for r in &records {
            let scheme = r.scheme.as_deref().unwrap_or(Scheme::Custom.id());
            let cells = [
                r.code.as_str(),
                &r.title_zh,
                &r.title_en,
                &r.explain_zh,
                &r.explain_en,
                &join_list(&r.causes_zh),
                &join_list(&r.causes_en),
                &join_list(&r.steps_zh),
                &join_list(&r.steps_en),
                &join_list(&r.fixers),
                &r.retry,
                &r.category,
                if r.vendor_specific { "true" } else { "false" },
                &join_list(&r.keywords),
                scheme,
                &r.note,
                &join_list(&r.says_zh),
                &join_list(&r.says_en),
                &r.source,
            ];
            w.write_record(cells.iter().map(|c| formula_safe(c).into_owned()))
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
    // Written beside the target and renamed, so a full disk never leaves half a file under the name.
    crate::fsx::write_output(out, |w| {
        use std::io::Write;
        w.write_all(&bytes)
    })
    .map_err(write_err)
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
        let items = vec![
            "打开 设置|网络".to_string(),
            r"C:\pos".to_string(),
            "x".to_string(),
        ];
        assert_eq!(split_list(&join_list(&items)), items);
        assert_eq!(
            split_list(r"a\b | c"),
            vec![r"a\b", "c"],
            "a lone backslash stays"
        );
    }

    #[test]
    fn csv_lines_are_counted_the_same_with_crlf() {
        let text = "code,title_en\r\nA1,x\r\nA2,y\r\n";
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut counted = (0, 0);
        let lines: Vec<usize> = reader
            .records()
            .map(|r| record_line(text, r.unwrap().position(), &mut counted))
            .collect();
        assert_eq!(lines, vec![2, 3]);
    }

    #[test]
    fn formula_cells_are_neutralised_and_read_back_as_written() {
        for cell in [
            "=HYPERLINK(\"x\")",
            "@SUM(A1)",
            "+cmd|' /C calc'!A0",
            "-1",
            "'=x",
            "plain",
        ] {
            let written = formula_safe(cell);
            assert!(!written.starts_with(['=', '+', '-', '@']), "{cell}");
            assert_eq!(unneutralise(&written), cell);
        }
    }
}
