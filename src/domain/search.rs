//! Ranked, typo-tolerant search over code entries in Chinese and English.
//!
//! An in-memory index built from the store's rows (the store stays the source of truth; the index is
//! rebuilt after every write). It is a plain inverted index rather than SQLite FTS5 because two-character
//! Chinese words (余额, 密码) and English typo tolerance both need lookups the trigram tokenizer cannot do,
//! and because a code typed exactly must win over any text match.

use crate::domain::code::{CodeEntry, Scheme, code_variants, fold_fullwidth, normalize_code};
use std::collections::HashMap;

/// Longest query looked at; anything beyond is ignored so a pasted page cannot stall the UI.
const MAX_QUERY_CHARS: usize = 200;
/// Most query terms scored; later ones are ignored.
const MAX_TERMS: usize = 12;
/// Code-prefix matches collected at most (100,000 custom codes may share a prefix).
const MAX_PREFIX_HITS: usize = 400;
/// Vocabulary words a prefix may expand to.
const MAX_PREFIX_WORDS: usize = 60;

const EXACT_CODE: f32 = 1000.0;
const VARIANT_CODE: f32 = 850.0;
const TITLE_EQUALS_QUERY: f32 = 600.0;
const CODE_PREFIX: f32 = 400.0;
const TERM_IS_CODE: f32 = 300.0;

/// Where in an entry a word was found; a word in the title says more than one in a fix step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    Body = 1,
    Explain = 2,
    Keyword = 3,
    Title = 4,
}

const FIELDS: [Field; 4] = [Field::Title, Field::Keyword, Field::Explain, Field::Body];

/// What the index needs from one entry, with the user's note (searched like keywords).
pub struct IndexInput<'a> {
    pub entry: &'a CodeEntry,
    pub note: Option<&'a str>,
}

/// One result: the position of the entry in the slice the index was built from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub doc: usize,
    pub score: f32,
}

struct Doc {
    scheme: Scheme,
    key: String,
    /// Lower-cased text per field, indexed by `Field as usize - 1`.
    text: [String; 4],
}

#[derive(Default)]
pub struct SearchIndex {
    docs: Vec<Doc>,
    by_key: HashMap<String, Vec<u32>>,
    keys_sorted: Vec<(String, u32)>,
    words: HashMap<String, Vec<(u32, u8)>>,
    vocab: Vec<String>,
    /// Alphabetic vocabulary words by length in characters, the only candidates for typo matching
    /// (numbers and codes are never "misspelt", and 100,000 custom codes add that many of them).
    fuzzy_vocab: Vec<Vec<String>>,
    /// Entries by lower-cased title, for "the query is exactly this title".
    by_title: HashMap<String, Vec<u32>>,
    /// Bonus for a title match, higher for short titles, per doc.
    focus: Vec<f32>,
    /// Order among equal scores, per doc (scheme, then code), precomputed so ranking 100,000 equal
    /// scores compares integers, not strings.
    tiebreak: Vec<u32>,
    bigrams: HashMap<(char, char), Vec<(u32, u8)>>,
    unigrams: HashMap<char, Vec<(u32, u8)>>,
}

/// A term of the query: an ASCII word or a run of Chinese (non-ASCII) characters.
#[derive(Debug, PartialEq)]
enum Term {
    Word(String),
    Han(Vec<char>),
}

fn is_han_char(c: char) -> bool {
    !c.is_ascii() && c.is_alphanumeric()
}

/// Split lower-cased text into ASCII words and runs of non-ASCII letters.
fn terms(text: &str) -> Vec<Term> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut han = Vec::new();
    for c in text.chars().map(fold_fullwidth) {
        if c.is_ascii_alphanumeric() {
            if !han.is_empty() {
                out.push(Term::Han(std::mem::take(&mut han)));
            }
            word.push(c.to_ascii_lowercase());
        } else if is_han_char(c) {
            if !word.is_empty() {
                out.push(Term::Word(std::mem::take(&mut word)));
            }
            han.extend(c.to_lowercase());
        } else {
            if !word.is_empty() {
                out.push(Term::Word(std::mem::take(&mut word)));
            }
            if !han.is_empty() {
                out.push(Term::Han(std::mem::take(&mut han)));
            }
        }
    }
    if !word.is_empty() {
        out.push(Term::Word(word));
    }
    if !han.is_empty() {
        out.push(Term::Han(han));
    }
    out
}

/// Words too common to say anything on their own.
fn is_stop_word(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "the"
            | "of"
            | "to"
            | "is"
            | "and"
            | "or"
            | "in"
            | "on"
            | "for"
            | "it"
            | "be"
            | "this"
            | "with"
            | "not"
    )
}

fn lower(text: &str) -> String {
    text.chars()
        .map(fold_fullwidth)
        .flat_map(char::to_lowercase)
        .collect()
}

/// Add `(doc, weight)` keeping one posting per doc with the highest weight (postings arrive by doc).
fn post(list: &mut Vec<(u32, u8)>, doc: u32, weight: u8) {
    match list.last_mut() {
        Some((d, w)) if *d == doc => *w = (*w).max(weight),
        _ => list.push((doc, weight)),
    }
}

impl SearchIndex {
    pub fn build<'a>(inputs: impl IntoIterator<Item = IndexInput<'a>>) -> SearchIndex {
        let mut index = SearchIndex::default();
        for input in inputs {
            index.add(input);
        }
        index.keys_sorted = index
            .docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.key.clone(), i as u32))
            .collect();
        index.keys_sorted.sort();
        let mut order: Vec<u32> = (0..index.docs.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&index.docs[a as usize], &index.docs[b as usize]);
            scheme_rank(a.scheme)
                .cmp(&scheme_rank(b.scheme))
                .then_with(|| a.key.cmp(&b.key))
        });
        index.tiebreak = vec![0; index.docs.len()];
        for (rank, &d) in order.iter().enumerate() {
            index.tiebreak[d as usize] = rank as u32;
        }
        index.vocab = index.words.keys().cloned().collect();
        index.vocab.sort();
        for w in &index.vocab {
            let len = w.chars().count();
            if len >= 3 && w.chars().all(|c| c.is_ascii_alphabetic()) {
                if index.fuzzy_vocab.len() <= len {
                    index.fuzzy_vocab.resize(len + 1, Vec::new());
                }
                index.fuzzy_vocab[len].push(w.clone());
            }
        }
        index
    }

    fn add(&mut self, input: IndexInput<'_>) {
        let e = input.entry;
        let doc = self.docs.len() as u32;
        let join = |parts: &[&[String]]| {
            lower(
                &parts
                    .iter()
                    .flat_map(|p| p.iter())
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        };
        let code_words = lower(&e.code);
        let title = lower(&format!("{}\n{}", e.title_en, e.title_zh));
        let keywords = format!(
            "{}\n{}\n{}",
            join(&[&e.keywords]),
            code_words,
            lower(input.note.unwrap_or(""))
        );
        let explain = lower(&format!("{}\n{}", e.explain_en, e.explain_zh));
        let body = join(&[&e.causes_en, &e.causes_zh, &e.steps_en, &e.steps_zh]);
        let text = [body, explain, keywords, title];
        for field in FIELDS {
            let weight = field as u8;
            for term in terms(&text[field as usize - 1]) {
                match term {
                    Term::Word(w) => post(self.words.entry(w).or_default(), doc, weight),
                    Term::Han(run) => {
                        for &c in &run {
                            post(self.unigrams.entry(c).or_default(), doc, weight);
                        }
                        for pair in run.windows(2) {
                            post(
                                self.bigrams.entry((pair[0], pair[1])).or_default(),
                                doc,
                                weight,
                            );
                        }
                    }
                }
            }
        }
        self.docs.push(Doc {
            scheme: e.scheme,
            key: e.key(),
            text,
        });
        self.by_key.entry(e.key()).or_default().push(doc);
        for title in [&e.title_en, &e.title_zh] {
            let title = lower(title.trim());
            if !title.is_empty() {
                self.by_title.entry(title).or_default().push(doc);
            }
        }
        self.focus
            .push(2.0 / e.title_en.split_whitespace().count().max(1) as f32);
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Ranked hits, best first: exact code, then code prefixes, then text. Never fails: any input gives
    /// results or an empty list.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        let query = lower(query.trim());
        if query.is_empty() || limit == 0 || self.docs.is_empty() {
            return Vec::new();
        }
        let mut acc = Scores::new(self.docs.len());
        self.score_code(&query, &mut acc);
        acc.finish_term(0);
        let terms: Vec<Term> = terms(&query).into_iter().take(MAX_TERMS).collect();
        let meaningful: Vec<&Term> = terms
            .iter()
            .filter(|t| !matches!(t, Term::Word(w) if is_stop_word(w)) || terms.len() == 1)
            .collect();
        let last = meaningful.len().saturating_sub(1);
        for (i, term) in meaningful.iter().enumerate() {
            let bit = 1u16 << i;
            if meaningful.len() > 1 {
                let key = match term {
                    Term::Word(w) => normalize_code(w),
                    Term::Han(run) => normalize_code(&run.iter().collect::<String>()),
                };
                for &d in self.by_key.get(&key).map(Vec::as_slice).unwrap_or(&[]) {
                    acc.add(d, TERM_IS_CODE);
                }
            }
            match term {
                Term::Word(w) => self.score_word(w, i == last, &mut acc),
                Term::Han(run) => self.score_han(run, &mut acc),
            }
            acc.finish_term(bit);
        }
        // Entries that match every term of a several-term query come first among text matches.
        if meaningful.len() > 1 {
            let all = (1u16 << meaningful.len()) - 1;
            for &d in &acc.touched {
                let m = acc.matched[d as usize];
                let n = m.count_ones() as f32;
                acc.score[d as usize] += if m & all == all { 80.0 * n } else { 20.0 * n };
            }
        }
        for &d in self.by_title.get(&query).into_iter().flatten() {
            if acc.score[d as usize] > 0.0 {
                acc.score[d as usize] += TITLE_EQUALS_QUERY;
            }
        }
        let mut hits: Vec<Hit> = acc
            .touched
            .iter()
            .map(|&d| Hit {
                doc: d as usize,
                score: acc.score[d as usize],
            })
            .filter(|h| h.score > 0.0)
            .collect();
        let order = |a: &Hit, b: &Hit| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| self.tiebreak[a.doc].cmp(&self.tiebreak[b.doc]))
        };
        if hits.len() > limit {
            hits.select_nth_unstable_by(limit - 1, order);
            hits.truncate(limit);
        }
        hits.sort_by(order);
        hits
    }

    fn score_code(&self, query: &str, acc: &mut Scores) {
        let variants = code_variants(query);
        let Some(key) = variants.first().cloned() else {
            return;
        };
        for (i, variant) in variants.iter().enumerate() {
            let points = if i == 0 { EXACT_CODE } else { VARIANT_CODE };
            for &d in self.lookup(variant) {
                acc.add(d, points);
            }
        }
        let start = self
            .keys_sorted
            .partition_point(|(k, _)| k.as_str() < key.as_str());
        for (k, d) in self.keys_sorted[start..]
            .iter()
            .take_while(|(k, _)| k.starts_with(&key))
            .filter(|(k, _)| k.len() > key.len())
            .take(MAX_PREFIX_HITS)
        {
            // Closer to the whole code ranks higher: "USERP" is nearer USERPAYING than "U" is.
            let closeness = key.chars().count() as f32 / k.chars().count() as f32;
            acc.add(*d, CODE_PREFIX + 100.0 * closeness);
        }
    }

    fn lookup(&self, key: &str) -> &[u32] {
        self.by_key.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    fn score_word(&self, word: &str, is_last: bool, acc: &mut Scores) {
        if let Some(postings) = self.words.get(word) {
            for &(d, w) in postings {
                acc.add(d, self.field_score(d, w, 10.0));
            }
        }
        // As the clerk types, the last word is probably unfinished: "insuf" should find "insufficient".
        let len = word.chars().count();
        if len >= 2 && (is_last || len >= 4) {
            let start = self.vocab.partition_point(|v| v.as_str() < word);
            for v in self.vocab[start..]
                .iter()
                .take_while(|v| v.starts_with(word))
                .filter(|v| v.as_str() != word)
                .take(MAX_PREFIX_WORDS)
            {
                for &(d, w) in &self.words[v] {
                    acc.add(d, self.field_score(d, w, 7.0));
                }
            }
        }
        // Typos: only when the word itself is unknown, so a real word is not diluted by near misses.
        if len >= 4
            && !self.words.contains_key(word)
            && word.chars().all(|c| c.is_ascii_alphabetic())
        {
            let max_distance = if len <= 6 { 1 } else { 2 };
            let lengths = len.saturating_sub(max_distance)..=len + max_distance;
            for v in lengths.filter_map(|l| self.fuzzy_vocab.get(l)).flatten() {
                if strsim::damerau_levenshtein(word, v) <= max_distance {
                    for &(d, w) in &self.words[v] {
                        acc.add(d, self.field_score(d, w, 5.0));
                    }
                }
            }
        }
    }

    fn score_han(&self, run: &[char], acc: &mut Scores) {
        let per_char = 12.0 * run.len().min(6) as f32;
        if let [c] = run {
            // One character: the posting already says in which field it stands.
            for &(d, w) in self.unigrams.get(c).into_iter().flatten() {
                acc.add(d, self.field_score(d, w, per_char));
            }
            return;
        }
        let needle: String = run.iter().collect();
        for d in self.intersect_bigrams(run) {
            let doc = &self.docs[d as usize];
            if let Some(field) = FIELDS
                .into_iter()
                .find(|&f| doc.text[f as usize - 1].contains(&needle))
            {
                acc.add(d, self.field_score(d, field as u8, per_char));
            }
        }
        // A longer phrase may hold words the entry does not ("顾客余额不足"): entries that share most of
        // its two-character pieces score too, below whole matches.
        if run.len() > 2 {
            let pairs = run.len() - 1;
            let mut counts: HashMap<u32, (usize, u8)> = HashMap::new();
            for pair in run.windows(2) {
                for &(d, w) in self.bigrams.get(&(pair[0], pair[1])).into_iter().flatten() {
                    let entry = counts.entry(d).or_insert((0, 0));
                    entry.0 += 1;
                    entry.1 = entry.1.max(w);
                }
            }
            for (d, (count, w)) in counts {
                if count * 2 >= pairs {
                    acc.add(d, self.field_score(d, w, 6.0 * count as f32));
                }
            }
        }
    }

    fn intersect_bigrams(&self, run: &[char]) -> Vec<u32> {
        let mut lists: Vec<&Vec<(u32, u8)>> = Vec::new();
        for pair in run.windows(2) {
            match self.bigrams.get(&(pair[0], pair[1])) {
                Some(list) => lists.push(list),
                None => return Vec::new(),
            }
        }
        lists.sort_by_key(|l| l.len());
        let mut result: Vec<u32> = lists[0].iter().map(|&(d, _)| d).collect();
        for list in &lists[1..] {
            result.retain(|d| list.binary_search_by_key(d, |&(x, _)| x).is_ok());
        }
        result
    }

    /// Points for a match in a field, with a small bonus for short titles: "Expired card" is a better
    /// answer to "expired" than "Expired card, keep the card".
    fn field_score(&self, doc: u32, weight: u8, base: f32) -> f32 {
        let focus = if weight == Field::Title as u8 {
            self.focus[doc as usize]
        } else {
            0.0
        };
        base * weight as f32 + focus
    }
}

/// Order of schemes among equal scores: the user's own codes describe their own acquirer, so they lead.
fn scheme_rank(s: Scheme) -> u8 {
    match s {
        Scheme::Custom => 0,
        Scheme::Iso8583 => 1,
        Scheme::Cups => 2,
        Scheme::Terminal => 3,
        Scheme::Wechatpay => 4,
        Scheme::Alipay => 5,
    }
}

/// Scores per document, dense so that a query touching 100,000 entries stays cheap. Credits are
/// gathered one term at a time so a term found by several routes (word, prefix, typo) counts once, at its
/// best.
struct Scores {
    score: Vec<f32>,
    matched: Vec<u16>,
    touched: Vec<u32>,
    term_best: Vec<f32>,
    term_touched: Vec<u32>,
}

impl Scores {
    fn new(n: usize) -> Scores {
        Scores {
            score: vec![0.0; n],
            matched: vec![0; n],
            touched: Vec::new(),
            term_best: vec![0.0; n],
            term_touched: Vec::new(),
        }
    }

    /// Credit `points` to `doc` for the current term.
    fn add(&mut self, doc: u32, points: f32) {
        let i = doc as usize;
        if self.term_best[i] == 0.0 {
            self.term_touched.push(doc);
        }
        if points > self.term_best[i] {
            self.term_best[i] = points;
        }
    }

    /// Close the current term: its best credits join the totals, marked with `bit` (0 for the
    /// whole-query code match).
    fn finish_term(&mut self, bit: u16) {
        for doc in self.term_touched.drain(..) {
            let i = doc as usize;
            if self.score[i] == 0.0 && self.matched[i] == 0 {
                self.touched.push(doc);
            }
            self.score[i] += self.term_best[i];
            self.matched[i] |= bit;
            self.term_best[i] = 0.0;
        }
    }
}
