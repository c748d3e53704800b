//! posdesk's core: a helpdesk for shop clerks beside a card terminal, everything but the window.
//!
//! All domain logic, storage and search live here, with no GUI crate in reach: the window (the
//! `posdesk` package) and the command line (`posdesk-cli`) are thin shells over it. Layers, from the
//! bottom: `domain` (plain types and rules) and `i18n` (the words for them), `packs` (the bundled text),
//! `store` (SQLite), `exchange` (files in and out), `print` (PDF sheets), `codebook` (the codes as read
//! for lookup).

pub mod clock;
pub mod codebook;
pub mod domain;
pub mod exchange;
pub mod fsx;
pub mod i18n;
pub mod logfile;
pub mod packs;
pub mod print;
pub mod store;
pub mod sync;

pub use clock::Clock;
pub use codebook::Codebook;
pub use domain::code::{Category, CodeEntry, Fixer, Retry, Scheme};
pub use i18n::Lang;
pub use store::Store;
