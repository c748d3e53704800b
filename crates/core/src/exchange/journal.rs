//! The journal out to files: CSV that Excel opens with Chinese intact, and JSON for everything else.
//!
//! CSV is UTF-8 with a byte-order mark (without it Excel reads UTF-8 as the system code page and
//! Chinese turns to mojibake). A cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a
//! leading `'`, so a symptom typed as `=HYPERLINK(..)` is shown as text, never run as a formula.
//! Both formats are written one incident at a time, to a temporary file renamed into place: a failed
//! export leaves no half file behind.

use crate::domain::incident::Incident;
use crate::i18n::{Explain, Label, Lang, Msg};
use crate::store::{Store, StoreError};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The UTF-8 byte-order mark Excel needs to read the file as UTF-8.
pub const BOM: &str = "\u{FEFF}";

/// The CSV header, one column per field, in English and Chinese (the file is written in the window's
/// language). Steps, notes and attachments are lines inside one cell. Each time is given twice: in
/// the PC's time zone with its offset (what the shop's owner reads: 10:00 in Beijing is 10:00) and in
/// UTC (what another program compares).
pub const CSV_COLUMNS: &[(&str, &str)] = &[
    ("ID", "编号"),
    ("Occurred (local time)", "发生时间（本地）"),
    ("Occurred (UTC)", "发生时间（UTC）"),
    ("Terminal", "终端"),
    ("Scheme", "代码类别"),
    ("Code", "代码"),
    ("Status", "状态"),
    ("What happened", "情况"),
    ("Amount", "金额"),
    ("Transaction reference", "交易参考号"),
    ("Steps tried", "尝试过的步骤"),
    ("Resolution", "解决办法"),
    ("Resolved (local time)", "解决时间（本地）"),
    ("Resolved (UTC)", "解决时间（UTC）"),
    ("Who", "记录人"),
    ("Logged (local time)", "登记时间（本地）"),
    ("Logged (UTC)", "登记时间（UTC）"),
    ("Timeline notes", "跟进备注"),
    ("Attachments", "附件"),
];

/// The CSV header in `lang`.
pub fn csv_columns(lang: Lang) -> Vec<&'static str> {
    CSV_COLUMNS
        .iter()
        .map(|&(en, zh)| match lang {
            Lang::En => en,
            Lang::Zh => zh,
        })
        .collect()
}

/// How the CSV is written: the language of its header and words, and the time zone of its local
/// times (the PC's: [`CsvStyle::local`]).
#[derive(Debug, Clone)]
pub struct CsvStyle {
    pub lang: Lang,
    pub tz: TimeZone,
}

impl CsvStyle {
    /// In `lang`, with times in the PC's time zone.
    pub fn local(lang: Lang) -> CsvStyle {
        CsvStyle {
            lang,
            tz: TimeZone::system(),
        }
    }

    /// A time as the shop reads it: `2026-11-01 10:00:00 +08:00`.
    pub fn local_time(&self, t: Timestamp) -> String {
        t.to_zoned(self.tz.clone())
            .strftime("%Y-%m-%d %H:%M:%S %:z")
            .to_string()
    }
}

#[derive(Debug, Error)]
pub enum ExportError {
    #[error("cannot write {path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("cannot write the CSV: {0}")]
    Csv(String),
    #[error("cannot write the JSON: {0}")]
    Json(String),
    #[error("{0}")]
    Store(StoreError),
    #[error("{0}: the file name must end in .csv or .json")]
    Format(PathBuf),
    #[error("{0}")]
    Output(crate::fsx::OutputError),
}

impl Explain for ExportError {
    fn explain(&self) -> Msg {
        match self {
            ExportError::Io { path, cause } => Msg::new(
                self.to_string(),
                format!("无法写入 {}：{cause}", path.display()),
            ),
            ExportError::Csv(d) => Msg::new(self.to_string(), format!("无法写入 CSV：{d}")),
            ExportError::Json(d) => Msg::new(self.to_string(), format!("无法写入 JSON：{d}")),
            ExportError::Store(e) => e.explain(),
            ExportError::Output(e) => e.explain(),
            ExportError::Format(p) => Msg::new(
                self.to_string(),
                format!("{}：文件名必须以 .csv 或 .json 结尾", p.display()),
            ),
        }
    }
}

impl From<StoreError> for ExportError {
    fn from(e: StoreError) -> Self {
        ExportError::Store(e)
    }
}

/// An I/O error without its file; [`export_journal`] names the file.
impl From<std::io::Error> for ExportError {
    fn from(cause: std::io::Error) -> Self {
        ExportError::Io {
            path: PathBuf::new(),
            cause,
        }
    }
}

impl From<crate::fsx::OutputError> for ExportError {
    fn from(e: crate::fsx::OutputError) -> Self {
        ExportError::Output(e)
    }
}

impl From<csv::Error> for ExportError {
    fn from(e: csv::Error) -> Self {
        ExportError::Csv(e.to_string())
    }
}

impl From<serde_json::Error> for ExportError {
    fn from(e: serde_json::Error) -> Self {
        ExportError::Json(e.to_string())
    }
}

/// Which file format a path asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JournalFormat {
    Csv,
    Json,
}

impl JournalFormat {
    pub fn of(path: &Path) -> Option<JournalFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(JournalFormat::Csv),
            "json" => Some(JournalFormat::Json),
            _ => None,
        }
    }
}

/// A cell as Excel may safely read it: formula starters get a leading `'`.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Minor units as a decimal amount: 1250 → "12.50".
fn amount_text(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// An incident as one CSV record (before neutralising), in the columns of [`CSV_COLUMNS`].
pub fn csv_record(i: &Incident, style: &CsvStyle) -> Vec<String> {
    let lang = style.lang;
    let steps: Vec<String> = i
        .steps
        .iter()
        .map(|s| format!("{} [{}]", s.text, s.outcome.text(lang)))
        .collect();
    let notes: Vec<String> = i
        .notes
        .iter()
        .map(|n| format!("{} {}", style.local_time(n.at), n.text))
        .collect();
    let atts: Vec<String> = i
        .attachments
        .iter()
        .map(|a| format!("{} ({})", a.file_name, a.stored_name()))
        .collect();
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let local = |t: Option<Timestamp>| t.map(|t| style.local_time(t)).unwrap_or_default();
    let utc = |t: Option<Timestamp>| t.map(|t| t.to_string()).unwrap_or_default();
    vec![
        i.id.to_string(),
        local(Some(i.occurred_at)),
        utc(Some(i.occurred_at)),
        opt(&i.terminal),
        i.scheme
            .map(|s| s.text(lang).to_string())
            .unwrap_or_default(),
        opt(&i.code),
        i.status.text(lang).to_string(),
        i.symptom.clone(),
        i.amount.map(amount_text).unwrap_or_default(),
        opt(&i.txn_ref),
        steps.join("\n"),
        i.resolution.clone(),
        local(i.resolved_at),
        utc(i.resolved_at),
        opt(&i.who),
        local(Some(i.created_at)),
        utc(Some(i.created_at)),
        notes.join("\n"),
        atts.join("\n"),
    ]
}

/// Writes incidents as CSV, one at a time.
pub struct CsvExport<W: Write> {
    out: csv::Writer<W>,
    style: CsvStyle,
}

impl<W: Write> CsvExport<W> {
    /// Start the file: byte-order mark and header.
    pub fn new(mut out: W, style: CsvStyle) -> Result<CsvExport<W>, ExportError> {
        out.write_all(BOM.as_bytes())
            .map_err(|e| ExportError::Csv(e.to_string()))?;
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        out.write_record(csv_columns(style.lang))?;
        Ok(CsvExport { out, style })
    }

    pub fn write(&mut self, i: &Incident) -> Result<(), ExportError> {
        let record = csv_record(i, &self.style);
        self.out
            .write_record(record.iter().map(|c| neutralise(c).into_owned()))?;
        Ok(())
    }

    pub fn finish(self) -> Result<W, ExportError> {
        self.out
            .into_inner()
            .map_err(|e| ExportError::Csv(e.to_string()))
    }
}

/// Writes incidents as a JSON array of [`Incident`] objects, one at a time.
pub struct JsonExport<W: Write> {
    out: W,
    first: bool,
}

impl<W: Write> JsonExport<W> {
    pub fn new(mut out: W) -> Result<JsonExport<W>, ExportError> {
        out.write_all(b"[")
            .map_err(|e| ExportError::Json(e.to_string()))?;
        Ok(JsonExport { out, first: true })
    }

    pub fn write(&mut self, i: &Incident) -> Result<(), ExportError> {
        let sep: &[u8] = if self.first { b"\n" } else { b",\n" };
        self.first = false;
        self.out
            .write_all(sep)
            .map_err(|e| ExportError::Json(e.to_string()))?;
        serde_json::to_writer(&mut self.out, i)?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<W, ExportError> {
        self.out
            .write_all(b"\n]\n")
            .map_err(|e| ExportError::Json(e.to_string()))?;
        Ok(self.out)
    }
}

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exported {
    /// Incidents written.
    pub incidents: usize,
    /// Attachment files copied into [`attachments_beside`] the export.
    pub attachments: usize,
    /// Attachment files the journal lists but `attachments/` does not hold (deleted by hand,
    /// quarantined by an antivirus, a database copied without its folder): the export completes
    /// without them and says which.
    pub missing: Vec<String>,
}

/// Export the whole journal to `out` (CSV or JSON by its extension), whole or not at all: written
/// under a temporary name created exclusively, synced and renamed. The attachment files go into
/// [`attachments_beside`] the export; one that is missing is reported in [`Exported::missing`] and
/// does not stop the export.
///
/// A CSV is written in `style` (header and words in its language, local times in its time zone); JSON
/// keeps ids and UTC times, for programs.
pub fn export_journal(
    store: &Store,
    out: &crate::fsx::Output,
    style: &CsvStyle,
) -> Result<Exported, ExportError> {
    let path = out.path();
    let format = JournalFormat::of(path).ok_or_else(|| ExportError::Format(path.to_path_buf()))?;
    let io = |cause: std::io::Error| ExportError::Io {
        path: path.to_path_buf(),
        cause,
    };
    let mut exported = Exported::default();
    let (copied, missing) = copy_attachments(store, path)?;
    exported.attachments = copied;
    exported.missing = missing;
    crate::fsx::write_output(out, |file| {
        let file: &mut dyn Write = file;
        exported.incidents = match format {
            JournalFormat::Csv => {
                let mut w = CsvExport::new(file, style.clone())?;
                let n = store.for_each_incident(|i| w.write(&i))?;
                w.finish()?;
                n
            }
            JournalFormat::Json => {
                let mut w = JsonExport::new(file)?;
                let n = store.for_each_incident(|i| w.write(&i))?;
                w.finish()?;
                n
            }
        };
        Ok::<(), ExportError>(())
    })
    .map_err(|e| match e {
        ExportError::Io { path: p, cause } if p.as_os_str().is_empty() => {
            if cause.kind() == std::io::ErrorKind::AlreadyExists {
                ExportError::Output(crate::fsx::OutputError::Exists(path.to_path_buf()))
            } else {
                io(cause)
            }
        }
        other => other,
    })?;
    Ok(exported)
}

/// `<export stem>.attachments` beside an export: where its attachment files are copied.
pub fn attachments_beside(export: &Path) -> PathBuf {
    export.with_extension("attachments")
}

/// Copy every attachment file the journal lists into [`attachments_beside`] the export. Returns the
/// files copied (or already there) and the names of those missing from `attachments/`.
fn copy_attachments(store: &Store, export: &Path) -> Result<(usize, Vec<String>), ExportError> {
    let mut files = Vec::new();
    let mut missing = Vec::new();
    store.for_each_incident(|i| {
        for a in &i.attachments {
            match store.attachment_path(a) {
                Some(src) if src.symlink_metadata().is_ok_and(|m| m.is_file()) => {
                    files.push((src, a.stored_name()));
                }
                _ => missing.push(format!("#{} {}", i.id, a.file_name)),
            }
        }
        Ok::<(), ExportError>(())
    })?;
    if files.is_empty() {
        return Ok((0, missing));
    }
    let dir = attachments_beside(export);
    let io = |cause: std::io::Error| ExportError::Io {
        path: dir.clone(),
        cause,
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let mut copied = 0;
    for (src, name) in files {
        let dest = dir.join(&name);
        if !dest.exists() {
            match crate::fsx::copy_whole(&src, &dest) {
                Ok(_) => {}
                // Gone between the look and the copy: reported like any other missing file.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    missing.push(name);
                    continue;
                }
                Err(e) => return Err(io(e)),
            }
        }
        copied += 1;
    }
    Ok((copied, missing))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formula_starters_only() {
        assert_eq!(neutralise("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        for c in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(c).starts_with('\''), "{c:?}");
        }
        assert_eq!(neutralise("余额不足"), "余额不足");
        assert_eq!(neutralise("a=b"), "a=b");
    }

    #[test]
    fn amounts_in_minor_units_print_as_decimals() {
        assert_eq!(amount_text(1250), "12.50");
        assert_eq!(amount_text(5), "0.05");
        assert_eq!(amount_text(-100), "-1.00");
    }
}
