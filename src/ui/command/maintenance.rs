//! What the Maintenance screen asks for.

use crate::domain::maintenance::EventId;
use crate::domain::scan::ScanCode;

#[derive(Debug, Clone, PartialEq)]
pub enum MaintenanceCommand {
    /// Read the board and the terminals again (the day turned, or another screen changed them).
    Refresh,
    /// A till scanner typed a printed checklist line's barcode: mark that task done for that date.
    Scanned(ScanCode),
        /// Take back a recorded done, skip or snooze (the status line's Undo).
    Undo(EventId),
    /// Esc, when no popup took it (`in_field`: a text field had the keyboard).
    Escape { in_field: bool },
}
