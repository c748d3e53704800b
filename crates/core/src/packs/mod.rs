//! The bundled, reviewed text packs compiled into the binary (see `data/`).

pub mod checklists;
pub mod codes;
