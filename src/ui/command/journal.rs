//! What the Journal screen asks for.

use crate::domain::code::Scheme;

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

#[derive(Debug, Clone, PartialEq)]
pub enum JournalCommand {
    /// Read the list, counts and warnings again.
    Refresh,
    /// Open the form for a new incident with this prefill.
    New(Box<NewIncident>),
    /// Esc, when no popup took it (`in_field`: a text field had the keyboard).
    Escape { in_field: bool },
}
