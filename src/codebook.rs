//! The codes as the app and the CLI read them: every entry, the user's notes and the search index, loaded
//! from the store. Rebuild it after a write; the store stays the source of truth.

use crate::domain::code::{CodeEntry, Scheme, code_variants};
use crate::domain::search::{IndexInput, SearchIndex};
use crate::store::{Store, StoreError};
use std::collections::HashMap;

pub struct Codebook {
    entries: Vec<CodeEntry>,
    notes: HashMap<(Scheme, String), String>,
    index: SearchIndex,
}

impl Codebook {
    pub fn load(store: &Store) -> Result<Codebook, StoreError> {
        let notes = store
            .notes()?
            .into_iter()
            .map(|(scheme, key, note)| ((scheme, key), note))
            .collect();
        Ok(Codebook::new(store.all_codes()?, notes))
    }

    /// A codebook over entries that need not come from a store (benchmarks, tests).
    pub fn new(entries: Vec<CodeEntry>, notes: HashMap<(Scheme, String), String>) -> Codebook {
        let index = SearchIndex::build(entries.iter().map(|entry| IndexInput {
            entry,
            note: notes.get(&(entry.scheme, entry.key())).map(String::as_str),
        }));
        Codebook {
            entries,
            notes,
            index,
        }
    }

    pub fn entries(&self) -> &[CodeEntry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Best matches for what the clerk typed, best first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&CodeEntry> {
        self.search_positions(query, limit)
            .into_iter()
            .map(|i| &self.entries[i])
            .collect()
    }

    /// Like `search`, as positions in `entries()` (stable until the codebook is rebuilt).
    pub fn search_positions(&self, query: &str, limit: usize) -> Vec<usize> {
        self.index
            .search(query, limit)
            .into_iter()
            .map(|h| h.doc)
            .collect()
    }

    /// The entries with exactly this code (in any of its typed forms), optionally in one scheme.
    pub fn find(&self, code: &str, scheme: Option<Scheme>) -> Vec<&CodeEntry> {
        for key in code_variants(code) {
            let found: Vec<&CodeEntry> = self
                .entries
                .iter()
                .filter(|e| e.key() == key && scheme.is_none_or(|s| s == e.scheme))
                .collect();
            if !found.is_empty() {
                return found;
            }
        }
        Vec::new()
    }

    pub fn note(&self, entry: &CodeEntry) -> Option<&str> {
        self.notes
            .get(&(entry.scheme, entry.key()))
            .map(String::as_str)
    }
}
