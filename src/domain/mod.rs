//! Plain types and rules: no egui, no SQL.

pub mod code;
pub mod search;
