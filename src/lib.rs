//! posdesk: a helpdesk for shop clerks beside a card terminal.
//!
//! The library holds all domain logic, storage and search; the GUI (`ui`) and the CLI (`cli`) are thin
//! shells over it. Layers, from the bottom: `domain` (plain types and rules) and `i18n` (the words for
//! them), `packs` (the bundled text), `store` (SQLite), `exchange` (files in and out), `codebook` (the
//! codes as read for lookup), then `cli` and `ui`.

pub mod cli;
pub mod clock;
pub mod codebook;
pub mod domain;
pub mod exchange;
pub mod fsx;
pub mod i18n;
pub mod packs;
pub mod print;
pub mod store;
pub mod sync;
pub mod ui;

pub use clock::Clock;
pub use codebook::Codebook;
pub use domain::code::{Category, CodeEntry, Fixer, Retry, Scheme};
pub use i18n::Lang;
pub use store::Store;
