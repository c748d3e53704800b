//! Files in and out: the user's own codes and notes as CSV or JSON.

pub mod codes;
pub mod journal;
