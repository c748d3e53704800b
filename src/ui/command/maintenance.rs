//! What the Maintenance screen asks for.

use crate::domain::incident::Attachment;
use crate::domain::maintenance::{EventId, ScheduleId, StockItem, TerminalId};
use crate::domain::scan::ScanCode;
use crate::print::Paper;
use std::path::PathBuf;

/// Which part of the Maintenance screen is showing. It opens on the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MaintenancePage {
    /// Overdue, due today and due soon, per terminal.
    #[default]
    Board,
    Terminals,
    /// One terminal: its fields, tasks and history.
    Terminal(TerminalId),
    /// Printed checklists.
    Print,
    /// Paper rolls and cleaning cards in stock, and the shop's own tasks.
    Shop,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MaintenanceCommand {
    /// Read the board and the terminals again (the day turned, or another screen changed them).
    Refresh,
    /// A till scanner typed a printed checklist line's barcode (on any screen): record what the line
    /// says, or say why not.
    Scanned(ScanCode),
    /// A scanner read something that is not a checklist line (a product barcode): say so only.
    ScannedOther(String),
    /// The scan form's Save: who did it and the value written on the sheet.
    SaveScan,
    /// Close the scan form without recording.
    CancelScan,
    /// Ask again, at the next scan, who scans are recorded as.
    ChangeScanClerk,
    /// Take back a recorded done, skip or snooze (the status line's Undo).
    Undo(EventId),
    /// Esc, when no popup took it (`in_field`: a text field had the keyboard).
    Escape {
        in_field: bool,
    },
    Show(MaintenancePage),

    // ---- the board ----
    /// Choose a board row.
    Select(usize),
    /// Move the choice up or down the board.
    Move(isize),
    /// The big button: done, all fine, by the remembered person, covering every missed date.
    Done(ScheduleId),
    /// Enter or Space on the board: `Done` for the chosen row.
    DoneChosen,
    /// Open the small forms for one board item.
    OpenDone(ScheduleId),
    OpenSkip(ScheduleId),
    OpenSnooze(ScheduleId),
    SaveDone,
    SaveSkip,
    /// Snooze for `days` from today, or until the date typed in the form when `None`.
    SaveSnooze {
        days: Option<i64>,
    },
    /// Close the open done/skip/snooze, terminal or interval form without saving.
    CloseForm,
    /// "Problem found": the clerk wants an incident logged for it. The screen sends the journal's
    /// new-incident form, filled in with the terminal, the task and the note.
    LogIncident {
        terminal: TerminalId,
        task: String,
        note: String,
    },
    /// Hide the "problem found: log an incident?" line.
    DismissProblem,
    /// Fold or unfold one terminal's group on the board.
    ToggleGroup(TerminalId),
    /// Fold (`true`) or unfold every terminal's group.
    CollapseAll(bool),
    /// "Add a photo…" in the done form: ask for the file on a worker.
    ChoosePhoto,
    /// The photo the done form keeps with the record (`None` takes it away).
    SetPhoto(Option<PathBuf>),
    /// Open a photo kept with a history entry in the system's viewer.
    OpenPhoto(Attachment),

    // ---- supplies and the shop's own tasks ----
    /// One taken out of stock (a roll put in a printer).
    UseStock(StockItem),
    /// Open the count / warning level / delivery form for one item.
    EditStock(StockItem),
    SaveStock,
    NewOwnTask,
    /// Edit the own task with this key.
    EditOwnTask(String),
    SaveOwnTask,
    /// Retire an own task: the first click asks, `confirmed` retires.
    RetireOwnTask {
        key: String,
        confirmed: bool,
    },

    // ---- terminals ----
    ShowArchived(bool),
    NewTerminal,
    EditTerminal(TerminalId),
    /// Save the terminal form (a new terminal, or the one being edited).
    SaveTerminal,
    /// Take a terminal out of service (undoable with `Unarchive`).
    Archive(TerminalId),
    Unarchive(TerminalId),
    /// Open the interval form of a task on the terminal page.
    EditPlan(ScheduleId),
    SavePlan,
    /// Take a task off its terminal: the first click asks, `confirmed` removes.
    RemoveTask {
        schedule: ScheduleId,
        confirmed: bool,
    },
    AddTask {
        terminal: TerminalId,
        task: String,
    },

    // ---- printed checklists ----
    SetPaper(Paper),
    /// One terminal, or all in service.
    SetSheetTerminal(Option<TerminalId>),
    /// This week (seven days from today) instead of today.
    SetSheetWeek(bool),
    /// Write the checklist PDF and hand it to the system; to `path`, else into the data folder.
    Print(Option<PathBuf>),
    /// Write the checklist PDF to `path`, else where the save dialog says.
    SaveAsPdf(Option<PathBuf>),
}
