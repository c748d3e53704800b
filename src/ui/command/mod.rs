//! Everything a screen can ask for. Screens only read state and push these; `PosdeskApp::handle` routes
//! each to the part that owns it. Kept apart from the app and the screens so neither imports the other.

mod journal;
mod maintenance;
mod settings;

pub use journal::{JournalCommand, JournalPage, NewIncident, ReportScope};
pub use maintenance::{MaintenanceCommand, MaintenancePage};
pub use settings::SettingsCommand;

use crate::domain::code::Scheme;
use crate::i18n::Lang;
use std::path::PathBuf;

/// What is on screen. More screens join as they are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Route {
    Codes,
    Maintenance,
    Journal,
    Settings,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Shell(ShellCommand),
    Codes(CodesCommand),
    Maintenance(MaintenanceCommand),
    Journal(JournalCommand),
    Settings(SettingsCommand),
}

/// What belongs to the window as a whole: language, text size, the status line.
#[derive(Debug, Clone, PartialEq)]
pub enum ShellCommand {
    SetLang(Lang),
    Zoom(f32),
    Go(Route),
    /// Carry out the undo the status line offers.
    Undo,
    /// Close a message: the one on the status line (`None`), or one in the history by its id.
    DismissStatus(Option<u64>),
    /// Open or close the message history.
    ToggleHistory,
    /// A restore replaced the data: every screen reads it again.
    DataReplaced,
    /// The answer to "close the window with unsaved typing?".
    Close(CloseAnswer),
}

/// What the clerk answered when closing the window with typing not yet saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseAnswer {
    /// Save every form that can be saved, then close (stay, on the form, if one cannot be saved).
    Save,
    /// Close and lose the typing.
    Discard,
    /// Do not close.
    GoBack,
}

/// Which codes the shop's terminals show, so that numeric codes of that scheme rank first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ShopScheme {
    UnionPay,
    Iso8583,
}

impl ShopScheme {
    pub const ALL: [ShopScheme; 2] = [ShopScheme::UnionPay, ShopScheme::Iso8583];

    /// The default: UnionPay codes on a Chinese PC, international ones elsewhere.
    pub fn for_lang(lang: Lang) -> ShopScheme {
        match lang {
            Lang::Zh => ShopScheme::UnionPay,
            Lang::En => ShopScheme::Iso8583,
        }
    }

    pub fn scheme(self) -> Scheme {
        match self {
            ShopScheme::UnionPay => Scheme::Cups,
            ShopScheme::Iso8583 => Scheme::Iso8583,
        }
    }
}

crate::labels!(ShopScheme {
    UnionPay => ("UnionPay (China) codes", "银联（中国）代码"),
    Iso8583 => ("International ISO 8583 codes", "国际 ISO 8583 代码"),
});

/// What the Codes screen asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum CodesCommand {
    /// The clerk typed: this is the whole search text now.
    SetQuery(String),
    ClearSearch,
    /// Put the cursor in the search box; with `select_all`, select what is there so typing replaces it.
    FocusSearch {
        select_all: bool,
    },
    /// Choose a result by its row.
    Select(usize),
    /// Move the choice up or down the results.
    Move(isize),
    /// Enter: show the chosen code's card from the top and mark it.
    Open,
    SetShopScheme(ShopScheme),
    /// Esc, when no popup took it: leave a text field (`in_field`), close a clean form, ask about a
    /// changed one, else clear the search.
    Escape {
        in_field: bool,
    },
    /// Open a situation card by its slug (step 1's "how to check the last transaction" link).
    OpenSituation(String),
    /// Open the form for a new code of the user's own, with this code filled in.
    NewCustom(String),
    EditCustom(String),
    /// Close the form; `discard` says the clerk agreed to lose what they typed.
    CloseEditor {
        discard: bool,
    },
    /// Keep editing after being asked whether to discard.
    KeepEditing,
    /// Save the form; `replace` says the clerk agreed to replace a code they already have.
    SaveCustom {
        replace: bool,
    },
    DeleteCustom(String),
    SaveNote {
        scheme: Scheme,
        code: String,
    },
    /// Throw away the typed note for this code and show the stored one again.
    DiscardNote {
        scheme: Scheme,
        code: String,
    },
    /// After a clash with another window: keep mine (save over theirs) or take theirs.
    ResolveNote {
        keep_mine: bool,
    },
    ImportCodes(Option<PathBuf>),
    ExportCodes(Option<PathBuf>),
    /// Log an incident for the chosen code (F2 or the card's button).
    LogIncident,
    /// The terminal the clerk is at: its provider and phone show on cards the provider can fix.
    UseTerminal(crate::domain::maintenance::TerminalId),
}

impl From<SettingsCommand> for Command {
    fn from(c: SettingsCommand) -> Command {
        Command::Settings(c)
    }
}

impl From<JournalCommand> for Command {
    fn from(c: JournalCommand) -> Command {
        Command::Journal(c)
    }
}

impl From<MaintenanceCommand> for Command {
    fn from(c: MaintenanceCommand) -> Command {
        Command::Maintenance(c)
    }
}

impl From<ShellCommand> for Command {
    fn from(c: ShellCommand) -> Command {
        Command::Shell(c)
    }
}

impl From<CodesCommand> for Command {
    fn from(c: CodesCommand) -> Command {
        Command::Codes(c)
    }
}
