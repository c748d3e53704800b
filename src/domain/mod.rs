//! Plain types and rules: no egui, no SQL.

pub mod advice;
pub mod code;
pub mod note;
pub mod rules;
pub mod search;
