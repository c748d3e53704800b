//! posdesk: a helpdesk for shop clerks beside a card terminal.
//!
//! The library holds all domain logic, storage and search; the GUI (`ui`) and the CLI (`cli`) are thin
//! shells over it.

pub mod cli;
pub mod codebook;
pub mod codefile;
pub mod domain;
pub mod pack;
pub mod paths;
pub mod store;
pub mod ui;

pub use codebook::Codebook;
pub use domain::code::{Category, CodeEntry, Fixer, Retry, Scheme};
pub use store::Store;
