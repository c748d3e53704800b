//! Plain types and rules: no egui, no SQL.

pub mod advice;
pub mod code;
pub mod dates;
pub mod incident;
pub mod labels;
pub mod maintenance;
pub mod note;
pub mod pan;
pub mod rules;
pub mod scan;
pub mod schedule;
pub mod search;
