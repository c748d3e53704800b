//! Printing: maintenance checklists as PDF, with a Code 128 barcode per task that scans back in, and
//! incident reports (one incident, or a period) as PDF: [`render_incidents`], laid out in [`incident`].
//! Both share the typeface and wrapping (`layout`) and the blocks, pagination and page numbers (`flow`).
//!
//! Pure: data in, bytes out. The caller (CLI or UI, off the UI thread) builds a [`ChecklistSheet`] in
//! the clerk's language, calls [`render_checklist`] for a [`Paper`], writes the bytes where it likes
//! ("Save as PDF…") or to a temporary file it passes to [`hand_to_system`] ("Print…").
//!
//! - The PDF embeds the bundled Posdesk Sans CJK font (`assets/fonts`), subset by krilla to the
//!   glyphs used, so Chinese prints on a till PC without CJK fonts and the file stays small.
//! - Each task line carries the Code 128 symbol of its [`ScanCode`](crate::domain::scan::ScanCode)
//!   in digits (`9140042202612061`, set C, typed by a scanner without Shift), with the same digits in
//!   groups underneath for a person to type if a scanner fails; a week sheet's row carries the task's
//!   week code, which records the day it is scanned. A till scanner types it back, usually followed by
//!   Enter; the window's scan gate (`ui::scanner`) and `ScanCode::parse` read it, and
//!   `Store::check_scan` decides what it records.
//! - Paper layouts (A4 flowing pages; one strip per terminal on 80 and 58 mm receipts, each at most
//!   297 mm long) are described in [`checklist`].
//! - Speed: a 50-terminal week (3,500 task lines, 267 A4 pages) renders whole in about 0.2–0.3 s in a
//!   release build (`cargo bench -p posdesk-core --bench print`), so its first page is ready well
//!   within a second.
//! - Printing goes through the system: `lp` (CUPS, on Linux and macOS) when it is on `PATH`, otherwise
//!   (and on Windows, or when `lp` fails) the system's PDF viewer through the `open` crate, from
//!   which the clerk prints. No portable "print silently" API exists, and the viewer lets the clerk
//!   pick the receipt printer.

pub mod barcode;
pub mod checklist;
mod flow;
pub mod incident;
mod layout;
pub mod sheet;

pub use checklist::{ChecklistSheet, ChecklistTask, Paper, TerminalChecklist, render_checklist};
pub use incident::{IncidentReport, render_incidents};

use crate::i18n::{Explain, Label, Msg};
use std::ffi::OsString;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum PrintError {
    #[error("the bundled font could not be read")]
    Font,
    #[error("no barcode for {payload:?}: {reason}")]
    Barcode { payload: String, reason: String },
    #[error("the barcode {payload:?} is too wide for {} paper", .paper.label().en)]
    BarcodeTooWide { payload: String, paper: Paper },
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    #[error("{} does not exist", .path.display())]
    NoFile { path: PathBuf },
    #[error("the system could not open {} ({cause})", .path.display())]
    Viewer {
        path: PathBuf,
        cause: io::Error,
        /// Why `lp` was not used, when it was there and failed first.
        lp_error: Option<String>,
    },
}

impl Explain for PrintError {
    fn explain(&self) -> Msg {
        match self {
            PrintError::Font => Msg::new(
                "The PDF could not be made: the font built into posdesk could not be read. Reinstall posdesk.",
                "无法生成 PDF：posdesk 自带的字体无法读取。请重新安装 posdesk。",
            ),
            PrintError::Barcode { payload, reason } => Msg::new(
                format!("No barcode could be made for {payload} ({reason})."),
                format!("无法为 {payload} 生成条码（{reason}）。"),
            ),
            PrintError::BarcodeTooWide { payload, paper } => Msg::new(
                format!(
                    "The barcode {payload} is too wide for {} paper; print on wider paper.",
                    paper.label().en
                ),
                format!(
                    "条码 {payload} 太宽，{}放不下；请改用更宽的纸。",
                    paper.label().zh
                ),
            ),
            PrintError::Pdf(e) => Msg::new(
                format!("The PDF could not be written ({e})."),
                format!("无法写出 PDF（{e}）。"),
            ),
            PrintError::NoFile { path } => Msg::new(
                format!(
                    "{} does not exist, so it cannot be printed.",
                    path.display()
                ),
                format!("{} 不存在，无法打印。", path.display()),
            ),
            PrintError::Viewer { path, cause, .. } => Msg::new(
                format!(
                    "Neither a printer nor a PDF viewer could be reached ({cause}). The checklist is saved as {}; open and print it by hand.",
                    path.display()
                ),
                format!(
                    "找不到打印机，也无法打开 PDF 阅读器（{cause}）。检查表已保存为 {}，请手动打开并打印。",
                    path.display()
                ),
            ),
        }
    }
}

/// How [`hand_to_system`] passed the PDF on, so the UI can say what happens next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintRoute {
    /// Queued on the default printer with `lp`; `request` is the job id lp printed, if any.
    Lp { request: Option<String> },
    /// Opened in the system's PDF viewer, where the clerk prints it; `lp_error` says why `lp` was
    /// not used when it exists but failed (no default printer, CUPS not running).
    Viewer { lp_error: Option<String> },
}

impl Explain for PrintRoute {
    fn explain(&self) -> Msg {
        match self {
            PrintRoute::Lp { request: Some(id) } => Msg::new(
                format!("Sent to the default printer (job {id})."),
                format!("已发送到默认打印机（任务 {id}）。"),
            ),
            PrintRoute::Lp { request: None } => {
                Msg::new("Sent to the default printer.", "已发送到默认打印机。")
            }
            PrintRoute::Viewer { lp_error: None } => Msg::new(
                "Opened in the PDF viewer: print it from there.",
                "已在 PDF 阅读器中打开，请从那里打印。",
            ),
            PrintRoute::Viewer { lp_error: Some(e) } => Msg::new(
                format!(
                    "The printer did not take it ({e}); opened in the PDF viewer instead: print it from there."
                ),
                format!("打印机未接受（{e}），已改为在 PDF 阅读器中打开，请从那里打印。"),
            ),
        }
    }
}

/// Longest wait for `lp` to queue the job; it normally answers at once. After this it is stopped and
/// the viewer is used, so a hung print system never hangs the caller.
const LP_TIMEOUT: Duration = Duration::from_secs(10);

/// "Print…": hand the PDF at `pdf_path` to the system. `lp` (Linux, macOS) queues it on the default
/// printer; without `lp` (Windows), or when it fails, the system viewer opens it (spawned, not waited
/// for). Call it off the UI thread: it waits up to 10 s for `lp` to answer.
pub fn hand_to_system(pdf_path: &Path) -> Result<PrintRoute, PrintError> {
    if !pdf_path.is_file() {
        return Err(PrintError::NoFile {
            path: pdf_path.to_path_buf(),
        });
    }
    let lp = if cfg!(windows) {
        None
    } else {
        find_program("lp", std::env::var_os("PATH"))
    };
    route(pdf_path, lp.as_deref(), LP_TIMEOUT, |p| {
        open::that_detached(p)
    })
}

/// The route with its pieces passed in, so tests can use a fake `lp` and no real viewer.
fn route(
    pdf: &Path,
    lp: Option<&Path>,
    timeout: Duration,
    open_viewer: impl FnOnce(&Path) -> io::Result<()>,
) -> Result<PrintRoute, PrintError> {
    let mut lp_error = None;
    if let Some(lp) = lp {
        match run_lp(lp, pdf, timeout) {
            Ok(request) => return Ok(PrintRoute::Lp { request }),
            Err(e) => lp_error = Some(e),
        }
    }
    match open_viewer(pdf) {
        Ok(()) => Ok(PrintRoute::Viewer { lp_error }),
        Err(cause) => Err(PrintError::Viewer {
            path: pdf.to_path_buf(),
            cause,
            lp_error,
        }),
    }
}

/// Runs `lp -- FILE`; the job id on success, lp's complaint on failure.
fn run_lp(lp: &Path, pdf: &Path, timeout: Duration) -> Result<Option<String>, String> {
    let mut child = Command::new(lp)
        .arg("--")
        .arg(pdf)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= timeout => {
                // Our own child: stopping it is safe, and waiting after kill returns at once.
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("lp did not answer within {} s", timeout.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(e.to_string()),
        }
    };
    // lp writes a line or two; the pipes never fill, so reading after exit cannot block.
    let mut out = String::new();
    let mut err = String::new();
    if let Some(mut s) = child.stdout.take() {
        let _ = s.read_to_string(&mut out);
    }
    if let Some(mut s) = child.stderr.take() {
        let _ = s.read_to_string(&mut err);
    }
    if status.success() {
        Ok(request_id(&out))
    } else {
        let err = err.trim();
        Err(if err.is_empty() {
            format!("lp failed ({status})")
        } else {
            err.to_string()
        })
    }
}

/// `printer-42` from CUPS's "request id is printer-42 (1 file(s))".
fn request_id(lp_output: &str) -> Option<String> {
    let rest = lp_output.split("request id is ").nth(1)?;
    rest.split_whitespace().next().map(str::to_string)
}

/// The first executable `name` on `path_var` (the `PATH` value), like `which`.
fn find_program(name: &str, path_var: Option<OsString>) -> Option<PathBuf> {
    std::env::split_paths(&path_var?)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::cell::Cell;

    #[test]
    fn reads_the_cups_job_id() {
        assert_eq!(
            request_id("request id is Receipt-42 (1 file(s))\n").as_deref(),
            Some("Receipt-42")
        );
        assert_eq!(request_id(""), None);
    }

    #[cfg(unix)]
    fn fake_lp(dir: &Path, script: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("lp");
        std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[cfg(unix)]
    #[test]
    fn finds_lp_on_the_path_like_which() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(find_program("lp", Some(dir.path().into())), None);
        std::fs::write(dir.path().join("lp"), "not executable").unwrap();
        assert_eq!(find_program("lp", Some(dir.path().into())), None);
        let lp = fake_lp(dir.path(), "exit 0");
        let path = std::env::join_paths([Path::new("/nonexistent"), dir.path()]).unwrap();
        assert_eq!(find_program("lp", Some(path)), Some(lp));
        assert_eq!(find_program("lp", None), None);
    }

    #[cfg(unix)]
    #[test]
    fn lp_first_then_the_viewer() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("sheet.pdf");
        std::fs::write(&pdf, b"%PDF-1.7").unwrap();
        let opened = Cell::new(false);
        let viewer = |_: &Path| {
            opened.set(true);
            Ok(())
        };

        let ok = fake_lp(
            dir.path(),
            r#"[ "$1" = "--" ] && echo "request id is Till-7 (1 file(s))""#,
        );
        let r = route(&pdf, Some(&ok), LP_TIMEOUT, viewer).unwrap();
        assert_eq!(
            r,
            PrintRoute::Lp {
                request: Some("Till-7".into())
            }
        );
        assert!(!opened.get());

        let failing = fake_lp(
            dir.path(),
            "echo 'lp: Error - no default destination available.' >&2; exit 1",
        );
        let r = route(&pdf, Some(&failing), LP_TIMEOUT, |_: &Path| {
            opened.set(true);
            Ok(())
        })
        .unwrap();
        assert_eq!(
            r,
            PrintRoute::Viewer {
                lp_error: Some("lp: Error - no default destination available.".into())
            }
        );
        assert!(opened.get());

        let r = route(&pdf, None, LP_TIMEOUT, |_: &Path| Ok(())).unwrap();
        assert_eq!(r, PrintRoute::Viewer { lp_error: None });

        let e = route(&pdf, None, LP_TIMEOUT, |_: &Path| {
            Err(io::Error::other("no viewer"))
        });
        assert!(matches!(e, Err(PrintError::Viewer { .. })));
    }

    #[cfg(unix)]
    #[test]
    fn a_hung_lp_is_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("sheet.pdf");
        std::fs::write(&pdf, b"%PDF-1.7").unwrap();
        let hung = fake_lp(dir.path(), "exec sleep 30");
        let started = Instant::now();
        let r = route(&pdf, Some(&hung), Duration::from_millis(300), |_: &Path| {
            Ok(())
        })
        .unwrap();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(
            matches!(r, PrintRoute::Viewer { lp_error: Some(e) } if e.contains("did not answer"))
        );
    }

    #[test]
    fn a_missing_file_is_not_printed() {
        let e = hand_to_system(Path::new("/nonexistent/posdesk-sheet.pdf"));
        assert!(matches!(e, Err(PrintError::NoFile { .. })));
        assert!(e.unwrap_err().explain().zh.contains("不存在"));
    }
}
