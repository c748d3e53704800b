//! `posdesk sync enroll URL CODE`, `posdesk sync now [--json]`, `posdesk sync status [--json]`: the
//! till's side of head office.

use crate::i18n::Explain;
use crate::store::Store;
use anyhow::Result;
use clap::Subcommand;
use posdesk::sync::{self, HttpTransport, Status, SyncError, SyncFile};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum SyncAction {
    /// Connect this till to head office with the one-time code `posdesk-hq enroll STORE` printed.
    Enroll {
        /// Head office's address, e.g. https://hq.example.cn or http://10.0.0.5:8765.
        url: String,
        /// The one-time enrollment code.
        code: String,
    },
    /// Send every waiting change to head office now.
    Now {
        /// Print {"pushed":N,"acked":N,"rejected":N,"pending":N}.
        #[arg(long)]
        json: bool,
    },
    /// Whether this till is enrolled, how many changes wait, the last sync and the last error.
    Status {
        /// Print {"enrolled":…,"pending":N,"last_ok":…,"last_error":…}.
        #[arg(long)]
        json: bool,
    },
}

/// Print the error in both languages on stderr; exit 1 (nothing is lost: the outbox stays).
fn fail(e: &SyncError) -> ExitCode {
    let m = e.explain();
    eprintln!("posdesk: {}", super::say(&m));
    ExitCode::from(1)
}

pub fn run(store: &mut Store, out: &mut impl Write, action: SyncAction) -> Result<ExitCode> {
    let Some(dir) = store.path().and_then(Path::parent).map(Path::to_path_buf) else {
        return Ok(fail(&SyncError::NoDataFolder));
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".").to_path_buf()
    } else {
        dir
    };
    match action {
        SyncAction::Enroll { url, code } => {
            let clock = store.clock().clone();
            match sync::enroll(&dir, &url, &code, "", &HttpTransport::new(), &clock) {
                Ok(file) => {
                    let (store, device) = (&file.store_code, &file.device_id);
                    let done = crate::i18n::Msg::new(
                        format!("Enrolled with head office as store {store} (device {device})."),
                        format!("已在总部登记为门店 {store}（设备 {device}）。"),
                    );
                    writeln!(out, "{}", super::say(&done))?;
                    if let Some(w) = file.clock_warning() {
                        eprintln!("posdesk: {}", super::say(&w));
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => Ok(fail(&e)),
            }
        }
        SyncAction::Now { json } => match sync::sync_now(store, &dir, &HttpTransport::new()) {
            Ok(report) => {
                if json {
                    writeln!(out, "{}", serde_json::to_string(&report)?)?;
                } else {
                    let (sent, taken, refused, waiting) =
                        (report.pushed, report.acked, report.rejected, report.pending);
                    let said = crate::i18n::Msg::new(
                        format!(
                            "Sent {sent} changes ({taken} taken, {refused} refused); {waiting} waiting."
                        ),
                        format!(
                            "已发送 {sent} 条（接收 {taken} 条，拒绝 {refused} 条）；{waiting} 条待发送。"
                        ),
                    );
                    writeln!(out, "{}", super::say(&said))?;
                }
                if let Some(w) = SyncFile::load(&dir)
                    .ok()
                    .flatten()
                    .and_then(|f| f.clock_warning())
                {
                    eprintln!("posdesk: {}", super::say(&w));
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => Ok(fail(&e)),
        },
        SyncAction::Status { json } => {
            let status = match Status::read(store, &dir) {
                Ok(s) => s,
                Err(e) => return Ok(fail(&e)),
            };
            let warning = status.clock_skew_ms.and_then(sync::clock_warning);
            if json {
                let v = serde_json::json!({
                    "enrolled": status.enrolled,
                    "pending": status.pending,
                    "last_ok": status.last_ok.map(|t| t.to_string()),
                    "last_error": status.last_error.as_ref().map(|m| super::say(m).to_string()),
                    "clock_skew_ms": status.clock_skew_ms,
                    "clock_warning": warning.as_ref().map(|m| super::say(m).to_string()),
                });
                writeln!(out, "{v}")?;
            } else {
                let line = status.line(store.clock().now());
                writeln!(out, "{}", super::say(&line))?;
                if let (Some(code), Some(url)) = (&status.store_code, &status.url) {
                    let line = crate::i18n::Msg::new(
                        format!("Store {code} at {url}."),
                        format!("门店 {code}，总部地址 {url}。"),
                    );
                    writeln!(out, "{}", super::say(&line))?;
                }
                if let Some(e) = &status.last_error {
                    let head = crate::i18n::Msg::new("Last error:", "上次错误：");
                    writeln!(out, "{} {}", super::say(&head), super::say(e))?;
                }
                if let Some(w) = &warning {
                    writeln!(out, "{}", super::say(w))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
