//! posdesk's window: one module per screen (`ui`), a thin shell over the core library (`posdesk`,
//! crates/core) and the command line (`posdesk_cli`, crates/cli).
//!
//! The core's modules are re-exported so a screen names `crate::store::Store` as before; nothing here
//! reaches below the core's public API.

pub use posdesk::{
    Category, Clock, CodeEntry, Codebook, Fixer, Lang, Retry, Scheme, Store, clock, codebook,
    domain, exchange, fsx, i18n, labels, logfile, packs, print, store, sync, trf,
};

pub mod ui;
