//! Work that must not freeze the window: file dialogs and reading or writing files run on a worker
//! thread and report back through a channel; the app applies the result (store writes stay on the UI
//! thread, in one transaction).

use super::i18n::Lang;
use crate::codefile;
use crate::domain::code::CodeEntry;
use eframe::egui;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};

/// What a finished job hands back.
#[derive(Debug)]
pub enum JobResult {
    /// A file of the user's codes was read and checked; nothing is stored yet.
    Read(Result<Vec<CodeEntry>, String>),
    /// The user's codes were written to this file (or why not).
    Written(Result<(usize, PathBuf), String>),
    /// The clerk closed the file dialog without choosing.
    Cancelled,
}

pub struct Jobs {
    tx: Sender<JobResult>,
    rx: Receiver<JobResult>,
    running: usize,
}

impl Default for Jobs {
    fn default() -> Self {
        let (tx, rx) = channel();
        Jobs { tx, rx, running: 0 }
    }
}

impl Jobs {
    pub fn is_busy(&self) -> bool {
        self.running > 0
    }

    /// Results that arrived since the last frame.
    pub fn finished(&mut self) -> Vec<JobResult> {
        let done: Vec<JobResult> = self.rx.try_iter().collect();
        self.running = self.running.saturating_sub(done.len());
        done
    }

    fn spawn(&mut self, ctx: &egui::Context, work: impl FnOnce() -> JobResult + Send + 'static) {
        let tx = self.tx.clone();
        let ctx = ctx.clone();
        self.running += 1;
        std::thread::spawn(move || {
            // The receiver lives as long as the app; if the window closed meanwhile, nobody is left to
            // tell.
            let _ = tx.send(work());
            ctx.request_repaint();
        });
    }

    /// Ask for a file (unless `path` is given) and read the user's codes from it.
    pub fn read_codes(&mut self, ctx: &egui::Context, path: Option<PathBuf>, lang: Lang) {
        let title = lang.tr("Import my codes", "导入我的代码");
        self.spawn(ctx, move || {
            let path = path.or_else(|| {
                pollster::block_on(
                    rfd::AsyncFileDialog::new()
                        .set_title(title)
                        .add_filter("CSV / JSON", &["csv", "json"])
                        .pick_file(),
                )
                .map(|f| f.path().to_path_buf())
            });
            match path {
                Some(path) => {
                    JobResult::Read(codefile::read_codes(&path).map_err(|e| e.to_string()))
                }
                None => JobResult::Cancelled,
            }
        });
    }

    /// Ask where to save (unless `path` is given) and write `entries` there.
    pub fn write_codes(
        &mut self,
        ctx: &egui::Context,
        path: Option<PathBuf>,
        entries: Vec<CodeEntry>,
        lang: Lang,
    ) {
        let title = lang.tr("Export my codes", "导出我的代码");
        self.spawn(ctx, move || {
            let path = path.or_else(|| {
                pollster::block_on(
                    rfd::AsyncFileDialog::new()
                        .set_title(title)
                        .set_file_name("my-codes.csv")
                        .add_filter("CSV", &["csv"])
                        .add_filter("JSON", &["json"])
                        .save_file(),
                )
                .map(|f| f.path().to_path_buf())
            });
            match path {
                Some(path) => JobResult::Written(
                    codefile::write_codes(&path, &entries)
                        .map(|()| (entries.len(), path))
                        .map_err(|e| e.to_string()),
                ),
                None => JobResult::Cancelled,
            }
        });
    }
}
