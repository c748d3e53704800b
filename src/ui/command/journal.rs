//! What the Journal screen asks for.

use crate::domain::code::Scheme;
use crate::domain::incident::{IncidentId, IncidentStatus};
use std::path::PathBuf;

/// A new incident's prefill: from a code's card, from maintenance ("problem found"), or empty.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewIncident {
    pub code: Option<String>,
    pub scheme: Option<Scheme>,
    /// The terminal's name (the one the clerk last used, or the one maintenance found a problem on).
    pub terminal: Option<String>,
    /// The code's fix steps, to tick as tried / worked.
    pub steps: Vec<String>,
    /// What was seen, in words (maintenance: the task and its note).
    pub symptom: String,
}

/// Which part of the Journal screen is showing. It opens on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JournalPage {
    /// Incidents newest first, with filters and search.
    #[default]
    List,
    /// Codes seen in incidents that the code book does not know.
    Unknown,
    /// Incidents per code and per terminal over 7/30/90 days.
    Stats,
}

/// What a PDF or a print covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportScope {
    /// The incident whose detail is open.
    Incident,
    /// The incidents the list's filters select (its period: the from/until dates).
    Filtered,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JournalCommand {
    /// Read the list, counts and warnings again.
    Refresh,
    /// Open the form for a new incident with this prefill.
    New(Box<NewIncident>),
    /// Esc, when no popup took it (`in_field`: a text field had the keyboard).
    Escape {
        in_field: bool,
    },
    Show(JournalPage),

    /// The typed filters (code, dates, search words in the forms) changed: list again.
    FilterChanged,
    SetStatusFilter(Option<IncidentStatus>),
    SetTerminalFilter(Option<String>),
    /// Show this code on this terminal (the repeat banner's button).
    ShowRepeat {
        code: String,
        terminal: String,
    },
    ClearFilters,
    /// The last rows came into view: read the next page.
    LoadMore,
    /// Choose a list row.
    Select(usize),
    /// Move the choice up or down the list.
    Move(isize),
    /// Enter: open the chosen row.
    OpenChosen,
    Open(IncidentId),
    /// Back from the detail to the list.
    CloseDetail,

    /// Open the form with the open incident's fields.
    Edit,
    /// Save the form (new or edited); Ctrl+Enter.
    SaveForm,
    /// Close the form; `discard` says the clerk agreed to lose what they typed.
    CloseForm {
        discard: bool,
    },
    /// Keep editing after being asked whether to discard.
    KeepEditing,

    /// Add the typed note to the open incident's timeline.
    AddNote,
    /// Move the open incident to this status (not resolved: see `Resolve`).
    SetStatus(IncidentStatus),
    /// Resolve the open incident with the typed resolution.
    Resolve,
    Reopen,
    /// Reopen this incident (the status line's Undo after resolving, whatever is open by then).
    ReopenIncident(IncidentId),

    /// Attach this file to the open incident; `None` asks with the open dialog.
    Attach(Option<PathBuf>),
    /// Files dropped on the window while an incident is open.
    Dropped(Vec<PathBuf>),
    /// Open an attachment with the system's viewer.
    OpenAttachment(i64),

    SetStatsDays(u32),
    /// Make this unknown code one of the user's own (the app opens the Codes editor).
    AddOwnCode(String),

    /// Export the whole journal as CSV (UTF-8 with BOM, Excel-safe); `None` asks where.
    ExportCsv(Option<PathBuf>),
    ExportJson(Option<PathBuf>),
    /// A4 PDF of the open incident or of the filtered incidents; `None` asks where.
    SavePdf {
        scope: ReportScope,
        path: Option<PathBuf>,
    },
    /// The same PDF handed to the printer or the PDF viewer; `None` writes it in the data folder.
    Print {
        scope: ReportScope,
        path: Option<PathBuf>,
    },
}
