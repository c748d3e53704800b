//! Work that must not freeze the window: file dialogs, reading and writing files. A screen owns a
//! `Jobs<R>` for its own kind of result; each job runs on a worker thread and reports back through a
//! channel, and the screen applies the result (store writes stay on the UI thread, in one transaction).

use eframe::egui;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

/// Jobs that failed (panicked) since the app last asked, in any screen: the app tells the clerk once,
/// the log file says where (see `logfile`).
static FAILED_SINCE_ASKED: AtomicUsize = AtomicUsize::new(0);

/// How many jobs failed since the last call.
pub fn take_failures() -> usize {
    FAILED_SINCE_ASKED.swap(0, Ordering::Relaxed)
}

/// How far a file copy on a worker is: the worker counts the bytes, the window draws the bar. Two
/// are equal only when they are the same copy's counter.
#[derive(Debug, Clone, Default)]
pub struct Copied(Arc<AtomicU64>);

impl Copied {
    /// Set by the worker as the copy goes; asks the window to show it.
    pub fn set(&self, bytes: u64, ctx: &egui::Context) {
        self.0.store(bytes, Ordering::Relaxed);
        ctx.request_repaint_after(std::time::Duration::from_millis(100));
    }

    /// How far the copy of a file of `size` bytes is, from 0 to 1.
    pub fn fraction(&self, size: u64) -> f32 {
        if size == 0 {
            return 0.0;
        }
        (self.0.load(Ordering::Relaxed) as f64 / size as f64).min(1.0) as f32
    }
}

impl PartialEq for Copied {
    fn eq(&self, other: &Copied) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

pub struct Jobs<R> {
    tx: Sender<R>,
    rx: Receiver<R>,
    running: usize,
    /// This screen's jobs that failed and will never report: they no longer count as running.
    failed: Arc<AtomicUsize>,
}

impl<R: Send + 'static> Default for Jobs<R> {
    fn default() -> Self {
        let (tx, rx) = channel();
        Jobs {
            tx,
            rx,
            running: 0,
            failed: Arc::default(),
        }
    }
}

impl<R: Send + 'static> Jobs<R> {
    pub fn running(&self) -> usize {
        self.running
    }

    /// Results that arrived since the last frame.
    pub fn finished(&mut self) -> Vec<R> {
        let done: Vec<R> = self.rx.try_iter().collect();
        let failed = self.failed.swap(0, Ordering::Relaxed);
        self.running = self.running.saturating_sub(done.len() + failed);
        done
    }

    pub fn spawn(&mut self, ctx: &egui::Context, work: impl FnOnce() -> R + Send + 'static) {
        let tx = self.tx.clone();
        let ctx = ctx.clone();
        let failed = Arc::clone(&self.failed);
        self.running += 1;
        std::thread::spawn(move || {
            // The receiver lives as long as the screen; if the window closed meanwhile, nobody is left
            // to tell, and dropping the result is right. A job that panics reports as failed (the
            // panic hook has logged where), so the screen is not "busy" for ever.
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
                Ok(result) => {
                    tx.send(result).ok();
                }
                Err(_) => {
                    tracing::error!("a background job failed");
                    failed.fetch_add(1, Ordering::Relaxed);
                    FAILED_SINCE_ASKED.fetch_add(1, Ordering::Relaxed);
                }
            }
            ctx.request_repaint();
        });
    }
}

/// Ask for a file to open, on the calling (worker) thread.
pub fn pick_file(title: &str, filter: (&str, &[&str])) -> Option<PathBuf> {
    pollster::block_on(
        rfd::AsyncFileDialog::new()
            .set_title(title)
            .add_filter(filter.0, filter.1)
            .pick_file(),
    )
    .map(|f| f.path().to_path_buf())
}

/// Ask where to save, on the calling (worker) thread.
pub fn save_file(title: &str, file_name: &str, filters: &[(&str, &[&str])]) -> Option<PathBuf> {
    let mut dialog = rfd::AsyncFileDialog::new()
        .set_title(title)
        .set_file_name(file_name);
    for (name, extensions) in filters {
        dialog = dialog.add_filter(*name, extensions);
    }
    pollster::block_on(dialog.save_file()).map(|f| f.path().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_that_panics_is_counted_as_failed_and_no_longer_running() {
        let ctx = egui::Context::default();
        let mut jobs: Jobs<u32> = Jobs::default();
        jobs.spawn(&ctx, || 7);
        #[allow(clippy::panic)]
        jobs.spawn(&ctx, || panic!("a worker's bug"));
        let mut results = Vec::new();
        for _ in 0..500 {
            results.extend(jobs.finished());
            if jobs.running() == 0 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(results, vec![7]);
        assert_eq!(jobs.running(), 0, "the screen is not busy for ever");
        assert!(take_failures() >= 1, "the app is told");
    }
}
