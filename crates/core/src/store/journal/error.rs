//! Why a write to the journal tables (incidents, their notes and steps) was refused.

use crate::domain::incident::IncidentError;
use crate::i18n::{Explain, Msg};

/// The journal family's refusals: a journal rule, or an incident that is not there. Kept apart from
/// [`crate::store::StoreError`]'s file and connection failures so the CLI and the window can answer
/// "fix what you typed" or "no such incident" with their own exit code or focus.
#[derive(Debug)]
pub enum JournalError {
    /// A journal rule refused the change (status move, text length).
    Incident(IncidentError),
    NoIncident(i64),
}

impl Explain for JournalError {
    fn explain(&self) -> Msg {
        match self {
            JournalError::Incident(e) => e.explain(),
            JournalError::NoIncident(id) => Msg::new(
                format!("There is no incident {id}."),
                format!("没有编号为 {id} 的事件"),
            ),
        }
    }
}
