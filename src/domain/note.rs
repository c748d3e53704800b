//! A shop's note on a code ("our bank: call 95516"), on its own codes or on bundled ones.

use super::code::Scheme;

/// Notes are keyed by scheme and code, not by row, so they survive a pack refresh that replaces rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeNote {
    pub scheme: Scheme,
    pub code: String,
    pub note: String,
}

/// Longest note accepted, in characters.
pub const MAX_NOTE_CHARS: usize = 4000;
