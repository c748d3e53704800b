//! A shop's note on a code ("our bank: call 95516"), on its own codes or on bundled ones.

use super::code::Scheme;

/// Notes are keyed by scheme and code, not by row, so they survive a pack refresh that replaces rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeNote {
    pub scheme: Scheme,
    pub code: String,
    pub note: String,
}

/// The shop's own codes and its notes (on its codes or on bundled ones): what a codes file holds, and
/// what the store imports and exports in one transaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShopCodes {
    pub entries: Vec<crate::domain::code::CodeEntry>,
    pub notes: Vec<CodeNote>,
}

/// Longest note accepted, in characters.
pub const MAX_NOTE_CHARS: usize = 4000;
