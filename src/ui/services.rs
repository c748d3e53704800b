//! What the screens' command handlers work through: the data (the store, or the bundled codes alone
//! when the store cannot open), the codebook read from it, and the status line.

use super::command::Command;
use super::messages::Messages;
use crate::clock::Clock;
use crate::codebook::Codebook;
use crate::domain::maintenance::{Terminal, TerminalId};
use crate::i18n::Explain;
use crate::i18n::{Lang, Msg};
use crate::store::Store;
use eframe::egui;
use jiff::civil::Date;
use std::path::PathBuf;
use std::sync::Arc;

/// The store, or why there is none. Without a store the bundled codes still answer lookups; only
/// writing (own codes, notes) is refused, with the reason beside the lookup.
pub enum Data {
    Open(Store),
    Unavailable {
        problem: Msg,
        dir: Option<PathBuf>,
    },
    /// The database file is damaged: it is not used (and not changed) until a backup is restored into
    /// a new one; lookups work from the bundled codes meanwhile.
    Damaged(Damaged),
    /// The store is being opened and checked on a worker (`super::startup`): lookups work from the
    /// bundled codes meanwhile, and commands that need the data wait for it.
    Checking {
        dir: Option<PathBuf>,
        problem: Msg,
    },
}

/// A damaged database found at start, and the newest good backup to offer in its place.
#[derive(Debug, Clone)]
pub struct Damaged {
    pub dir: PathBuf,
    /// The short line beside lookups and on refused writes ([`Damaged::problem_line`]).
    pub problem: Msg,
    /// The library's explanation of the damage.
    pub detail: Msg,
    /// The newest backup in `backups/` that passed every check, with what it holds.
    pub backup: Option<crate::store::BackupSummary>,
}

impl Damaged {
    /// The short line beside lookups and on refused writes; the full offer is at the top.
    pub fn problem_line() -> Msg {
        Msg::new(
            "posdesk's data file is damaged; nothing can be saved until a backup is restored (see the top of the window).",
            "posdesk 的数据文件已损坏；恢复备份之前不能保存（见窗口顶部）。",
        )
    }
}

impl Data {
    /// The data in `dir` while a worker opens and checks it.
    pub fn checking(dir: Option<PathBuf>) -> Data {
        Data::Checking {
            dir,
            problem: Msg::new(
                "Checking posdesk's data file… Looking codes up works already; saving waits for the check.",
                "正在检查 posdesk 的数据文件……现在就可以查代码；保存要等检查完成。",
            ),
        }
    }

    /// The data is still being opened and checked on a worker.
    pub fn is_checking(&self) -> bool {
        matches!(self, Data::Checking { .. })
    }

    pub fn store_mut(&mut self) -> Option<&mut Store> {
        match self {
            Data::Open(store) => Some(store),
            Data::Unavailable { .. } | Data::Damaged(_) | Data::Checking { .. } => None,
        }
    }

    pub fn store(&self) -> Option<&Store> {
        match self {
            Data::Open(store) => Some(store),
            Data::Unavailable { .. } | Data::Damaged(_) | Data::Checking { .. } => None,
        }
    }

    pub fn problem(&self) -> Option<&Msg> {
        match self {
            Data::Open(_) => None,
            Data::Unavailable { problem, .. } => Some(problem),
            Data::Damaged(d) => Some(&d.problem),
            Data::Checking { problem, .. } => Some(problem),
        }
    }

    /// The data folder, when there is one (an in-memory store has none).
    pub fn dir(&self) -> Option<PathBuf> {
        match self {
            Data::Open(store) => store
                .path()
                .and_then(|p| p.parent())
                .map(|p| p.to_path_buf()),
            Data::Unavailable { dir, .. } | Data::Checking { dir, .. } => dir.clone(),
            Data::Damaged(d) => Some(d.dir.clone()),
        }
    }

    /// The damaged database found at start, until a backup is restored.
    pub fn damaged(&self) -> Option<&Damaged> {
        match self {
            Data::Damaged(d) => Some(d),
            _ => None,
        }
    }

    /// The codebook to look codes up in: from the store, else from the bundled pack alone.
    pub fn load_book(&self) -> Result<Codebook, Msg> {
        match self {
            Data::Open(store) => Codebook::load(store).map_err(|e| e.explain()),
            Data::Unavailable { .. } | Data::Damaged(_) | Data::Checking { .. } => {
                Codebook::bundled().map_err(|e| super::startup::broken_pack(&e))
            }
        }
    }
}

/// What every screen reads and the command handlers change: the data, the codebook read from it,
/// the shop's terminals, the day, and the status line.
pub struct Shared {
    pub data: Data,
    pub book: Codebook,
    /// The bundled codebook is still being built (the moment after start): `book` is empty, and a
    /// search typed meanwhile runs when it arrives.
    pub book_pending: bool,
    pub clock: Clock,
    /// Today, read once per frame from the clock: every screen sees the same day.
    pub today: Date,
    /// Every message shown, newest on the status line.
    pub messages: Messages,
    /// Commands a handler sent for another part of the window (open the journal's form, reload every
    /// screen): the app applies them right after the command that sent them.
    pub outbox: Vec<Command>,
    /// The shop's terminals in service, and the one the clerk last used (its provider and phone show
    /// on code cards; new incidents start with it).
    pub terminals: Vec<Terminal>,
    pub last_terminal: Option<TerminalId>,
    /// Codes seen 3 or more times on one terminal within 14 days (from the journal), and the
    /// maintenance tasks overdue (from the board): a code's card warns with both. Each is replaced
    /// (a new `Arc`) by the screen that reads it, when it reads it again; nothing copies them per frame.
    pub repeats: Arc<Vec<crate::domain::incident::RepeatAlert>>,
    pub overdue: Arc<Vec<crate::domain::maintenance::DueItem>>,
    /// How the window draws (Settings shows it); none in tests, which draw nothing.
    pub renderer: Option<crate::ui::renderer::RendererInUse>,
}

impl Shared {
    pub fn new(data: Data, book: Codebook, clock: Clock, today: Date) -> Shared {
        let mut shared = Shared {
            data,
            book,
            book_pending: false,
            clock,
            today,
            messages: Messages::default(),
            outbox: Vec::new(),
            terminals: Vec::new(),
            last_terminal: None,
            repeats: Arc::default(),
            overdue: Arc::default(),
            renderer: None,
        };
        if let Some(msg) = shared.read_terminals() {
            let now = shared.clock.now();
            shared.messages.push(msg, true, None, 0.0, now);
        }
        shared
    }

    pub fn services<'a>(&'a mut self, egui: &'a egui::Context, lang: Lang) -> Services<'a> {
        Services {
            egui,
            clock: &self.clock,
            today: self.today,
            data: &mut self.data,
            book: &mut self.book,
            lang,
            messages: &mut self.messages,
            outbox: &mut self.outbox,
            terminals: &mut self.terminals,
            last_terminal: &mut self.last_terminal,
            repeats: &mut self.repeats,
            overdue: &mut self.overdue,
        }
    }

    pub fn problem(&self) -> Option<&Msg> {
        self.data.problem()
    }

    /// The terminal the clerk last used, if it is still in service.
    pub fn current_terminal(&self) -> Option<&Terminal> {
        self.last_terminal
            .and_then(|id| self.terminals.iter().find(|t| t.id == id))
    }

    fn read_terminals(&mut self) -> Option<Msg> {
        let store = self.data.store()?;
        match (store.terminals(false), store.last_used_terminal()) {
            (Ok(terminals), Ok(last)) => {
                self.terminals = terminals;
                self.last_terminal = last.map(|t| t.id);
                None
            }
            (Err(e), _) | (_, Err(e)) => Some(e.explain()),
        }
    }
}

/// Borrowed by a screen while it applies one command.
pub struct Services<'a> {
    pub egui: &'a egui::Context,
    pub clock: &'a Clock,
    pub today: Date,
    pub data: &'a mut Data,
    pub book: &'a mut Codebook,
    pub lang: Lang,
    pub messages: &'a mut Messages,
    outbox: &'a mut Vec<Command>,
    pub terminals: &'a mut Vec<Terminal>,
    pub last_terminal: &'a mut Option<TerminalId>,
    /// The shared read models a screen publishes when it reads them again (see [`Shared::repeats`]).
    pub repeats: &'a mut Arc<Vec<crate::domain::incident::RepeatAlert>>,
    pub overdue: &'a mut Arc<Vec<crate::domain::maintenance::DueItem>>,
}

impl Services<'_> {
    /// Ask for another command, for any part of the window: the app applies it right after the
    /// one being handled (a screen never reaches into another screen's state).
    pub fn send(&mut self, command: impl Into<Command>) {
        self.outbox.push(command.into());
    }

    pub fn say(&mut self, msg: Msg) {
        self.show(msg, false, None);
    }

    pub fn warn(&mut self, msg: Msg) {
        self.show(msg, true, None);
    }

    pub fn say_with_undo(&mut self, msg: Msg, undo: Command) {
        self.show(msg, false, Some(undo));
    }

    fn show(&mut self, msg: Msg, is_error: bool, undo: Option<Command>) {
        let shown_at = self.egui.input(|i| i.time);
        let at = self.clock.now();
        self.messages.push(msg, is_error, undo, shown_at, at);
    }

    /// Read the codebook again after a write; the store stays the source of truth.
    pub fn reload_book(&mut self) {
        match self.data.load_book() {
            Ok(book) => *self.book = book,
            Err(msg) => self.warn(msg),
        }
    }

    /// Read the terminals again after a screen changed them.
    pub fn reload_terminals(&mut self) {
        let Some(store) = self.data.store() else {
            return;
        };
        match (store.terminals(false), store.last_used_terminal()) {
            (Ok(terminals), Ok(last)) => {
                *self.terminals = terminals;
                *self.last_terminal = last.map(|t| t.id);
            }
            (Err(e), _) | (_, Err(e)) => self.warn(e.explain()),
        }
    }

    /// Writing needs the store; without one, say why instead.
    pub fn writable(&mut self) -> Option<&mut Store> {
        if self.data.store().is_none() {
            let problem = self.data.problem().cloned();
            let head = Msg::new(
                "Nothing can be saved while posdesk cannot open its data:",
                "posdesk 打不开数据，暂时不能保存：",
            );
            let msg = match problem {
                Some(p) => head.with(&p),
                None => head,
            };
            self.warn(msg);
            return None;
        }
        if self.data.store().is_some_and(Store::is_read_only) {
            self.warn(Msg::new(
                "Nothing can be saved: posdesk's data folder cannot be written (it is read-only, or \
                 the disk is full). Looking up, reading, exporting and backing up to another folder \
                 still work.",
                "无法保存：posdesk 的数据文件夹无法写入（只读或磁盘已满）。查询、阅读、导出和备份到其他\
                 文件夹仍然可用。",
            ));
            return None;
        }
        self.data.store_mut()
    }
}
