//! The codes as the app and the CLI read them: every entry, the user's notes and the search index, loaded
//! from the store. Rebuild it after a write; the store stays the source of truth.

use crate::domain::advice::{SafeReading, reading_for};
use crate::domain::code::{CodeEntry, Scheme, normalize_code};
pub use crate::domain::search::{Hit, MatchKind, SearchOptions};
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

    /// A codebook with no codes, made without loading the search's dictionaries: what the window
    /// shows for the moment before its codebook is built.
    pub fn empty() -> Codebook {
        Codebook {
            entries: Vec::new(),
            notes: HashMap::new(),
            index: SearchIndex::default(),
        }
    }

    /// The codebook of the pack compiled into this binary, with no notes: what the window looks codes
    /// up in before (or without) its data file.
    pub fn bundled() -> Result<Codebook, crate::packs::codes::PackError> {
        crate::packs::codes::Pack::bundled().map(|p| Codebook::new(p.entries, HashMap::new()))
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

    /// Best matches for what the clerk typed, best first, each with its kind of match; `doc` is the
    /// position in `entries()` (stable until the codebook is rebuilt).
    pub fn search_hits(&self, query: &str, opts: &SearchOptions) -> Vec<Hit> {
        self.index.search(query, opts)
    }

    /// Best matches for what the clerk typed, best first.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Vec<&CodeEntry> {
        self.search_hits(query, opts)
            .into_iter()
            .map(|h| &self.entries[h.doc])
            .collect()
    }

    /// The entries with this code, as typed in any format or zero padding (`5` = `05`), optionally in
    /// one scheme. Never a different code: `E1` does not find `01`. The shop's own codes first, then the
    /// preferred scheme, then the exact spelling before other paddings.
    pub fn find(
        &self,
        code: &str,
        scheme: Option<Scheme>,
        prefer: Option<Scheme>,
    ) -> Vec<&CodeEntry> {
        let key = normalize_code(code);
        if key.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<(usize, &CodeEntry)> = self
            .index
            .same_code_docs(&key)
            .into_iter()
            .map(|d| (d as usize, &self.entries[d as usize]))
            .filter(|(_, e)| scheme.is_none_or(|s| s == e.scheme))
            .collect();
        found.sort_by_key(|&(d, e)| {
            (
                e.scheme.rank(prefer, false),
                self.index.key(d) != key,
                self.index.key(d).to_string(),
            )
        });
        found.into_iter().map(|(_, e)| e).collect()
    }

    /// The other entries with the same code as `entry` (same key or same number with other padding),
    /// usually in other schemes that give it another meaning.
    pub fn same_code(&self, entry: &CodeEntry) -> Vec<&CodeEntry> {
        let key = entry.key();
        let mut found: Vec<(usize, &CodeEntry)> = self
            .index
            .same_code_docs(&key)
            .into_iter()
            .map(|d| (d as usize, &self.entries[d as usize]))
            .filter(|(d, e)| !(e.scheme == entry.scheme && self.index.key(*d) == key))
            .collect();
        found.sort_by_key(|&(d, e)| (e.scheme.rank(None, false), self.index.key(d).to_string()));
        found.into_iter().map(|(_, e)| e).collect()
    }

    /// What the banner on `entry`'s card says for a shop whose terminals show `prefer`'s codes (None:
    /// not chosen, the stricter advice wins), read with the other entries of the same code.
    pub fn reading(&self, entry: &CodeEntry, prefer: Option<Scheme>) -> SafeReading {
        reading_for(entry, &self.same_code(entry), prefer)
    }

    /// Whether incidents with this code (logged under `scheme`, if given) count towards "the terminal
    /// may need service": the reading the code's card shows first decides
    /// ([`CodeEntry::points_at_equipment`]). A code posdesk does not know counts: nothing says it is
    /// the customer's, and a repeated unknown code on one terminal is worth a look.
    pub fn points_at_equipment(&self, code: &str, scheme: Option<Scheme>) -> bool {
        let found = self.find(code, scheme, None);
        let found = if found.is_empty() && scheme.is_some() {
            self.find(code, None, None)
        } else {
            found
        };
        found.first().is_none_or(|e| e.points_at_equipment())
    }

    /// The situation card with this slug (`QUERY_LAST_TXN`), if the pack has it.
    pub fn situation(&self, slug: &str) -> Option<&CodeEntry> {
        self.find(slug, Some(Scheme::Situation), None)
            .into_iter()
            .next()
    }

    pub fn note(&self, entry: &CodeEntry) -> Option<&str> {
        self.notes
            .get(&(entry.scheme, entry.key()))
            .map(String::as_str)
    }
}
