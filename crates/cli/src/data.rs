//! `backup [FILE]`, `restore FILE`, `check`: the data's safety from scripts.
//!
//! `check` and `restore` work even when the store refuses to open (a damaged file): `check` reads the
//! file without changing it; `restore` checks the backup first, and when the current database is
//! damaged moves it into `damaged/` before restoring. A refused file exits 1 and changes nothing.

use crate::i18n::{Explain, Msg};
use crate::store::{self, DB_FILE, Store, StoreError};
use anyhow::Result;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// `posdesk backup [FILE]`: prints the file written (stdout holds only that path).
pub fn backup(
    store: &Store,
    out: &mut impl Write,
    file: Option<&Path>,
    force: bool,
) -> Result<ExitCode> {
    let info = match file {
        Some(f) => match super::checked_output(store, f, force) {
            Some(target) => store.backup_output(&target),
            None => return Ok(ExitCode::from(1)),
        },
        None => store.backup_now(),
    };
    match info {
        Ok(info) => {
            writeln!(out, "{}", info.path.display())?;
            if info.attachments > 0 {
                let (n, dir) = (info.attachments, info.attachments_dir.display());
                eprintln!(
                    "{}",
                    super::say(&Msg::new(
                        format!("{n} attachments in {dir}."),
                        format!("{n} 个附件已一并备份到 {dir}。"),
                    ))
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => refused(&e),
    }
}

/// `posdesk check`: exit 0 when healthy, 1 with the reasons on stderr.
pub fn check(data_dir: &Path, out: &mut impl Write) -> Result<ExitCode> {
    let report = store::check_file(&data_dir.join(DB_FILE));
    if report.is_healthy() {
        let version = report.schema_version.unwrap_or_default();
        let note = if version < store::SCHEMA_VERSION {
            " (upgraded on the next start)"
        } else {
            ""
        };
        let path = report.path.display();
        writeln!(
            out,
            "{}",
            super::say(&Msg::new(
                format!("ok: {path} (schema {version}{note})."),
                format!("数据完好：{path}（结构版本 {version}{note}）。"),
            ))
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    for problem in &report.problems {
        eprintln!("posdesk: {}", super::say(&problem.explain()));
    }
    Ok(ExitCode::from(1))
}

/// `posdesk restore FILE`: check the backup, copy the current data aside, replace it.
pub fn restore(data_dir: &Path, out: &mut impl Write, file: &Path) -> Result<ExitCode> {
    let summary = match store::backup_summary(file) {
        Ok(s) => s,
        Err(e) => return refused(&e),
    };
    let holds = summary.describe();
    let said = Msg::new(
        format!("Backup {}.", holds.en),
        format!("备份（{}）。", holds.zh),
    );
    writeln!(out, "{}", super::say(&said))?;
    match Store::open_dir(data_dir) {
        Ok(mut live) => match live.restore_from(file) {
            Ok(aside) => {
                let aside = aside.display();
                writeln!(
                    out,
                    "{}",
                    super::say(&Msg::new(
                        format!("Restored. The data as it was is kept in {aside}."),
                        format!("已恢复。原来的数据另存在 {aside}。"),
                    ))
                )?;
                let masked = live.take_masked();
                if masked > 0 {
                    eprintln!("{}", super::masked_line(masked));
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => refused(&e),
        },
        Err(StoreError::Damaged { .. }) => {
            let rec = match Store::recover_from_backup(data_dir, file, crate::Clock::system()) {
                Ok(r) => r,
                Err(e) => return refused(&e),
            };
            if let Some(damaged) = &rec.damaged_copy {
                let damaged = damaged.display();
                writeln!(
                    out,
                    "{}",
                    super::say(&Msg::new(
                        format!("The damaged database was moved to {damaged}."),
                        format!("损坏的数据库已移到 {damaged}。"),
                    ))
                )?;
            }
            writeln!(out, "{}", super::say(&Msg::new("Restored.", "已恢复。")))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Err(anyhow::Error::new(e).context(super::cannot_open(data_dir))),
    }
}

/// A refusal the user can act on: the reason in the user's language, exit 1.
fn refused(e: &StoreError) -> Result<ExitCode> {
    eprintln!("posdesk: {}", super::say(&e.explain()));
    Ok(ExitCode::from(1))
}
