//! The first frame does not wait for the data. Opening the store checks the whole file
//! (`quick_check`: seconds on a large journal), may back it up before a migration, and on a damaged
//! file looks for a good backup; then the codebook and the journal's first page, count and repeat
//! warnings are read. All of that runs here, on a worker, while the window already paints and looks
//! codes up in the bundled pack (which needs no file).
//!
//! Meanwhile the data is [`Data::Checking`], and nothing is written to the file: a command that needs
//! the data (a save above all) waits in the app, which says so, and is applied once the check passed.
//! A damaged file arrives as [`Data::Damaged`] with its recovery offer, as before.

use super::command::{CodesCommand, Command, JournalCommand, SettingsCommand};
use super::journal::PAGE_SIZE;
use super::services::Data;
use crate::clock::Clock;
use crate::codebook::Codebook;
use crate::domain::incident::{Cursor, IncidentFilter, IncidentSummary, RepeatAlert, RepeatRule};
use crate::i18n::{Explain, Msg};
use crate::store::Store;
use eframe::egui;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// The worker opening the data; the app asks each frame whether it is done. It starts after the
/// first frame, so that its reading of the whole file never competes with the window's first paint.
pub struct Opening {
    open: Option<Box<dyn FnOnce() -> Data + Send>>,
    rx: Option<Receiver<Opened>>,
}

/// What the worker read: the data, and for an open store its codebook and the journal's first view.
pub struct Opened {
    pub data: Data,
    /// The codebook with the shop's own codes and notes (`None`: keep the bundled one).
    pub book: Option<Codebook>,
    pub journal: Option<JournalFirst>,
}

/// The journal's unfiltered first page, its count and the repeat warnings, as `JournalState::refresh`
/// would read them.
pub struct JournalFirst {
    pub repeats: Vec<RepeatAlert>,
    pub rows: Vec<IncidentSummary>,
    pub next: Option<Cursor>,
    pub total: u64,
}

impl Opening {
    /// Open the data in `dir` on a worker. Until it is done the app runs over [`Data::checking`].
    pub fn start(ctx: &egui::Context, dir: Option<PathBuf>, clock: Clock) -> (Data, Opening) {
        let shown = Data::checking(dir.clone());
        let opening = Opening::spawn(ctx, move || super::open_data(dir.as_deref(), &clock));
        (shown, opening)
    }

    /// Run `open` on a worker (from the second frame on), then read what the first frames after it
    /// show. Tests pass an `open` that waits, to see the window while the check is still running.
    pub fn spawn(ctx: &egui::Context, open: impl FnOnce() -> Data + Send + 'static) -> Opening {
        // The first frame asks for the next one, which starts the worker.
        ctx.request_repaint();
        Opening {
            open: Some(Box::new(open)),
            rx: None,
        }
    }

    /// Start the worker at the second call (the first frame has been painted by then); later, the
    /// opened data once it is done.
    pub fn poll(&mut self, ctx: &egui::Context, frame: u64) -> Option<Opened> {
        if let Some(open) = self.open.take_if(|_| frame > 0) {
            let (tx, rx) = channel();
            let ctx = ctx.clone();
            std::thread::spawn(move || {
                // The window may have closed meanwhile: then nobody is left to tell.
                tx.send(read_first(open())).ok();
                ctx.request_repaint();
            });
            self.rx = Some(rx);
        }
        if self.open.is_some() {
            ctx.request_repaint();
        }
        self.try_take()
    }

    /// The opened data, once the worker is done. A worker that died (it panicked) leaves the data
    /// unavailable with a reason, rather than checking for ever.
    fn try_take(&self) -> Option<Opened> {
        match self.rx.as_ref()?.try_recv() {
            Ok(opened) => Some(opened),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Opened {
                data: Data::Unavailable {
                    problem: Msg::new(
                        "posdesk could not finish opening its data (the check stopped unexpectedly). \
                         Looking codes up works; close posdesk and start it again to save.",
                        "posdesk 没能打开数据（检查意外中断）。查代码仍可用；请关闭 posdesk 再重新打开后保存。",
                    ),
                    dir: None,
                },
                book: None,
                journal: None,
            }),
        }
    }
}

fn read_first(data: Data) -> Opened {
    let Data::Open(store) = data else {
        return Opened {
            data,
            book: None,
            journal: None,
        };
    };
    let book = match Codebook::load(&store) {
        Ok(book) => book,
        Err(e) => {
            // As at any start: without its codebook the store is not used, lookups still work.
            let dir = store.path().map(|p| p.to_path_buf());
            return Opened {
                data: Data::Unavailable {
                    problem: e.explain(),
                    dir,
                },
                book: None,
                journal: None,
            };
        }
    };
    // A failure here is read again (and reported) by the journal's own refresh on the UI thread.
    let journal = journal_first(&store, &book).ok();
    Opened {
        data: Data::Open(store),
        book: Some(book),
        journal,
    }
}

fn journal_first(store: &Store, book: &Codebook) -> crate::store::Result<JournalFirst> {
    let filter = IncidentFilter::default();
    let counts = |code: &str, scheme| book.points_at_equipment(code, scheme);
    let repeats = store.repeats(&RepeatRule::STANDARD, None, counts)?;
    let page = store.list_incidents(&filter, None, PAGE_SIZE)?;
    let total = store.count_incidents(&filter)?;
    Ok(JournalFirst {
        repeats,
        rows: page.rows,
        next: page.next,
        total,
    })
}

/// The bundled codebook, built on a thread that starts once the first frame is on screen: loading the
/// Chinese word segmenter's dictionary and indexing the pack take a few hundred milliseconds of CPU on
/// a till PC, and the first frame waits for none of it. (Started before the window, the thread still
/// slowed the first frame by a third on two cores: it competed with the graphics driver's start-up.)
/// Until the codebook arrives the Codes screen says the list is loading and keeps what the clerk
/// types; the search runs on the codebook as soon as it is here.
pub struct BundledBook {
    build: Option<Box<dyn FnOnce() -> Result<Codebook, Msg> + Send>>,
    rx: Option<Receiver<Result<Codebook, Msg>>>,
}

impl BundledBook {
    /// The codebook of the bundled pack, built from the second frame on.
    pub fn start() -> BundledBook {
        BundledBook::deferred(|| Codebook::bundled().map_err(|e| broken_pack(&e)))
    }

    /// Build with `build` on a thread. Tests pass one that waits, to see the window meanwhile.
    pub fn spawn(build: impl FnOnce() -> Result<Codebook, Msg> + Send + 'static) -> BundledBook {
        let mut book = BundledBook::deferred(build);
        book.spawn_now();
        book
    }

    fn deferred(build: impl FnOnce() -> Result<Codebook, Msg> + Send + 'static) -> BundledBook {
        BundledBook {
            build: Some(Box::new(build)),
            rx: None,
        }
    }

    fn spawn_now(&mut self) {
        let Some(build) = self.build.take() else {
            return;
        };
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            // The window may be gone before the codebook is built: then nobody is left to tell.
            tx.send(build()).ok();
        });
        self.rx = Some(rx);
    }

    /// Start building at the second frame (`frame` > 0: the first has been painted); later, the
    /// codebook once it is built. A builder that died gives the reason instead.
    pub fn try_take(&mut self, frame: u64) -> Option<Result<Codebook, Msg>> {
        if frame > 0 {
            self.spawn_now();
        }
        match self.rx.as_ref()?.try_recv() {
            Ok(book) => Some(book),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(Msg::new(
                "posdesk could not build its list of codes (it stopped unexpectedly). Close posdesk and \
                 start it again.",
                "posdesk 没能载入代码表（意外中断）。请关闭 posdesk 再重新打开。",
            ))),
        }
    }
}

/// The bundled code pack did not read: only a damaged program file does that.
pub fn broken_pack(e: &crate::packs::codes::PackError) -> Msg {
    Msg::new(
        format!("The bundled code pack is broken: {e}. Install posdesk again."),
        format!("内置代码包已损坏：{e}。请重新安装 posdesk。"),
    )
}

/// Whether `command` needs the data, so waits while it is being checked. Looking codes up, moving
/// between screens and opening or closing forms do not; saving, and reading the journal or the
/// maintenance board, do.
pub fn waits_for_data(command: &Command) -> bool {
    match command {
        Command::Shell(_) => false,
        Command::Codes(c) => matches!(
            c,
            CodesCommand::SaveCustom { .. }
                | CodesCommand::DeleteCustom(_)
                | CodesCommand::EditCustom(_)
                | CodesCommand::SaveNote { .. }
                | CodesCommand::ResolveNote { .. }
                | CodesCommand::ImportCodes(_)
                | CodesCommand::ExportCodes(_)
                | CodesCommand::UseTerminal(_)
        ),
        Command::Journal(c) => !matches!(
            c,
            JournalCommand::New(_)
                | JournalCommand::Escape { .. }
                | JournalCommand::CloseForm { .. }
                | JournalCommand::KeepEditing
                | JournalCommand::Show(_)
        ),
        Command::Maintenance(_) => true,
        Command::Settings(c) => !matches!(
            c,
            SettingsCommand::Copy(_)
                | SettingsCommand::Escape { .. }
                | SettingsCommand::CancelRestore
        ),
    }
}

/// On the status line while a command waits for the check.
pub fn waiting_msg() -> Msg {
    Msg::new(
        "posdesk is still checking its data file (a few seconds with a long journal). What you saved \
         waits and is saved as soon as the check has passed; keep working meanwhile.",
        "posdesk 还在检查数据文件（记录很多时需要几秒）。刚才保存的内容正在等待，检查通过后会立即保存；\
         您可以继续操作。",
    )
}

/// With `POSDESK_FIRST_FRAME_FILE=PATH`, writes to PATH the wall-clock time (Unix seconds) at which
/// the first frame had been painted: taken at the start of the second frame, which eframe begins
/// only after presenting the first. `scripts/first-frame.sh` compares it with the launch time, and
/// `examples/bare.rs` does the same for a bare eframe window.
#[derive(Default)]
pub struct FirstFrameProbe {
    file: Option<PathBuf>,
    frames: u32,
}

impl FirstFrameProbe {
    pub fn from_env() -> FirstFrameProbe {
        FirstFrameProbe {
            file: std::env::var_os("POSDESK_FIRST_FRAME_FILE").map(PathBuf::from),
            frames: 0,
        }
    }

    /// Call once per frame.
    pub fn frame(&mut self, ctx: &egui::Context) {
        let Some(file) = &self.file else {
            return;
        };
        self.frames += 1;
        if self.frames == 1 {
            ctx.request_repaint();
            return;
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        // Measuring only: a failed write shows as a missing figure in the script.
        std::fs::write(file, format!("{now:.6}\n")).ok();
        self.file = None;
    }
}
