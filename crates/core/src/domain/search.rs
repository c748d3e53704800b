//! Ranked, typo-tolerant search over code entries in Chinese, English and pinyin.
//!
//! An in-memory index built from the store's rows (the store stays the source of truth; the index is
//! rebuilt after every write). It is a plain inverted index rather than SQLite FTS5 because two-character
//! Chinese words (余额, 密码) and English typo tolerance both need lookups the trigram tokenizer cannot do,
//! and because a code typed exactly must win over any text match.
//!
//! Every hit says what kind of match it is ([`MatchKind`]), so a screen can say "this is a different
//! code" when `E77` only found ISO `77`: stripping a letter label gives another code, not the same one.

use crate::domain::code::{CodeEntry, Scheme, code_variants, fold_fullwidth, normalize_code};
use pinyin::ToPinyinMulti;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The Chinese word segmenter, with its dictionary compiled in. Loading it takes a moment, so it is
/// loaded once, when the first index is built (see [`SearchIndex::build`]).
static JIEBA: LazyLock<jieba_rs::Jieba> = LazyLock::new(jieba_rs::Jieba::new);
static STEMMER: LazyLock<rust_stemmers::Stemmer> =
    LazyLock::new(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English));

/// Longest query looked at; anything beyond is ignored so a pasted page cannot stall the UI.
const MAX_QUERY_CHARS: usize = 200;
/// Most query terms scored; later ones are ignored.
const MAX_TERMS: usize = 12;
/// A sentence whose best text match carries less than this share of its words' weight is not
/// understood: the unknown-code card leads and the matches under it are guesses.
const MIN_COVERAGE: f32 = 0.5;
/// The weight of the most common word relative to the rarest, in a query of several words.
const MIN_TERM_WEIGHT: f32 = 0.25;
/// Code-prefix matches collected at most (100,000 custom codes may share a prefix).
const MAX_PREFIX_HITS: usize = 400;
/// Vocabulary words a prefix may expand to.
const MAX_PREFIX_WORDS: usize = 60;
/// Pinyin keys a query word may expand to.
const MAX_PINYIN_KEYS: usize = 200;
/// Characters of a Chinese run spelt out in one pinyin key (longer phrases are matched by their start).
const PINYIN_SPAN: usize = 8;
/// Spellings kept per key start.
const MAX_READING_COMBOS: usize = 16;
/// Characters of one key read with another than their usual reading. One keeps every reading of every
/// character findable (行 as `xing` in 银行 or as `hang`) while the dictionary's rare readings of common
/// characters (余 tú, 不 fǒu, 足 jù) do not multiply into dozens of keys per character.
const MAX_OTHER_READINGS: usize = 1;
/// Shortest query word tried as full pinyin ("mima") and as initials ("yebz").
const MIN_FULL_PINYIN: usize = 4;
const MIN_INITIALS: usize = 3;

const EXACT_CODE: f32 = 1000.0;
const SAME_CODE: f32 = 900.0;
const OTHER_CODE: f32 = 700.0;
const TITLE_EQUALS_QUERY: f32 = 600.0;
/// The whole query, as typed, stands in a title, keyword or saying.
const PHRASE_BONUS: f32 = 150.0;
/// Entries looked at for the whole query as a phrase, at most.
const MAX_PHRASE_CHECKS: usize = 2_000;
/// A code prefix when the query does not read as text ("userp", "acq.trade_has_s", "ZX9").
const CODE_PREFIX_STRONG: f32 = 300.0;
const TERM_IS_CODE: f32 = 300.0;
/// With a preferred scheme, code matches of the shop's own codes and of that scheme move up; larger than
/// the text differences between two entries of the same code, far smaller than the gaps between kinds.
const PREFER_CUSTOM_BONUS: f32 = 50.0;
const PREFER_SCHEME_BONUS: f32 = 25.0;

/// Letters terminals print before a number. Stripping one gives a *different* code: device error `E1`
/// is not ISO `01`.
const CODE_LABELS: [&str; 6] = ["ERROR", "ERR", "CODE", "RESP", "RC", "E"];

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

/// Why an entry is in the results, so the UI and the CLI can label it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchKind {
    /// The entry's key equals the query's key (or, in a query of several words, one word's key).
    Exact,
    /// The same code written with other zero padding: `5` ↔ `05`, `0051` → `51`.
    SameCode,
    /// A different code, found by stripping a letter label: `E77` → `77`. Never the answer by itself.
    OtherCode,
    /// The query is the start of the entry's code (`userp` → `USERPAYING`).
    CodePrefix,
    /// Words, Chinese text or pinyin.
    Text,
    /// The generic unknown-code entry, placed first because a code-like query matched no code exactly,
    /// or because a sentence was not understood well enough.
    Unknown,
    /// A text match under the unknown-code card: it shares some words with what was typed, no more.
    Guess,
}

impl MatchKind {
    /// Precedence when several routes found the same entry.
    fn rank(self) -> u8 {
        match self {
            MatchKind::Text | MatchKind::Guess => 0,
            MatchKind::CodePrefix => 1,
            MatchKind::OtherCode => 2,
            MatchKind::SameCode => 3,
            MatchKind::Exact => 4,
            MatchKind::Unknown => 5,
        }
    }

    fn from_rank(rank: u8) -> MatchKind {
        match rank {
            1 => MatchKind::CodePrefix,
            2 => MatchKind::OtherCode,
            3 => MatchKind::SameCode,
            4 => MatchKind::Exact,
            5 => MatchKind::Unknown,
            _ => MatchKind::Text,
        }
    }
}

/// One result: the position of the entry in the slice the index was built from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub doc: usize,
    pub score: f32,
    pub kind: MatchKind,
}

/// How to search: how many hits at most, and the scheme of the shop's acquirer (its meaning of a
/// numeric code comes first among schemes that share the code; the shop's own codes still lead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchOptions {
    pub limit: usize,
    pub prefer: Option<Scheme>,
}

impl Default for SearchOptions {
    fn default() -> SearchOptions {
        SearchOptions {
            limit: 50,
            prefer: None,
        }
    }
}

struct Doc {
    scheme: Scheme,
    key: String,
    /// Lower-cased text per field, indexed by `Field as usize - 1`.
    text: [String; 4],
}

/// A vocabulary word and where it occurs.
#[derive(Default)]
struct Word {
    postings: Vec<(u32, u8)>,
    /// The best field (`Field as u8`) the word occurs in as real text (titles, keywords, explanations,
    /// steps, notes), 0 when it only occurs inside codes: "card" is text; "cardx" from a custom code
    /// `CARDX` is not.
    text_field: u8,
}

#[derive(Default)]
pub struct SearchIndex {
    docs: Vec<Doc>,
    by_key: HashMap<String, Vec<u32>>,
    /// All-digit keys by their value without leading zeros, for "5" = "05" = "005".
    by_number: HashMap<String, Vec<u32>>,
    keys_sorted: Vec<(String, u32)>,
    words: HashMap<String, Word>,
    vocab: Vec<String>,
    /// Alphabetic vocabulary words by length in characters, the only candidates for typo matching
    /// (numbers and codes are never "misspelt", and 100,000 custom codes add that many of them).
    fuzzy_vocab: Vec<Vec<(String, [u8; 26])>>,
    /// Entries by lower-cased title, for "the query is exactly this title".
    by_title: HashMap<String, Vec<u32>>,
    /// Stems of the English words of the text fields ("charged", "charges" → "charg"), for sentences.
    stems: HashMap<String, Vec<(u32, u8)>>,
    /// Bonus for a title match, higher for short titles, per doc.
    focus: Vec<f32>,
    /// Rank of each doc's key in key order, for a cheap deterministic order among equal scores.
    key_rank: Vec<u32>,
    /// Each doc's scheme as a small index (see `slot`), kept apart from `docs` so ranking 100,000 hits
    /// reads two dense arrays.
    scheme_slot: Vec<u8>,
    bigrams: HashMap<(char, char), Vec<(u32, u8)>>,
    unigrams: HashMap<char, Vec<(u32, u8)>>,
    /// Full pinyin of Chinese in titles and keywords, see [`pinyin_keys`].
    pinyin: HashMap<String, Vec<(u32, u8)>>,
    pinyin_vocab: Vec<String>,
    /// Pinyin initials of the same text.
    initials: HashMap<String, Vec<(u32, u8)>>,
    initials_vocab: Vec<String>,
    /// The generic "unknown code" entry, if the data has one (the shop's own first).
    unknown: Option<u32>,
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

/// Words too common to say anything on their own, in English and in Chinese (as the segmenter cuts
/// a clerk's sentence: 顾客说扣钱了但没成功 → 扣钱 / 没 / 成功).
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
            | "but"
            | "was"
            | "were"
            | "are"
            | "has"
            | "have"
            | "had"
            | "i"
            | "me"
            | "my"
            | "we"
            | "our"
            | "you"
            | "he"
            | "she"
            | "they"
            | "his"
            | "her"
            | "their"
            | "at"
            | "by"
            | "as"
            | "so"
            | "do"
            | "does"
            | "did"
            | "what"
            | "how"
            | "why"
            | "when"
            | "can"
            | "just"
            | "customer"
            | "customers"
            | "says"
            | "said"
            | "say"
            | "shows"
            | "showed"
            | "show"
            | "screen"
            | "machine"
            | "please"
            | "顾客"
            | "客人"
            | "客户"
            | "机器"
            | "机子"
            | "显示"
            | "提示"
            | "屏幕"
            | "说"
            | "了"
            | "的"
            | "地"
            | "得"
            | "吗"
            | "呢"
            | "啊"
            | "吧"
            | "呀"
            | "哦"
            | "嗯"
            | "但"
            | "但是"
            | "可是"
            | "就"
            | "我"
            | "我们"
            | "你"
            | "他"
            | "她"
            | "它"
            | "是"
            | "在"
            | "这"
            | "那"
            | "这个"
            | "那个"
            | "个"
            | "怎么"
            | "怎么办"
            | "怎么回事"
            | "什么"
            | "为什么"
            | "一直"
            | "还"
            | "又"
            | "也"
            | "都"
            | "把"
            | "被"
            | "给"
            | "让"
            | "要"
            | "会"
            | "一下"
            | "请问"
            | "现在"
            | "刚才"
            | "刚刚"
            | "出现"
            | "上面"
            | "突然"
    )
}

/// Fold what the clerk typed and what the codes say to one form before matching: full-width letters
/// to ASCII, lower case, and traditional characters (Hong Kong, Taiwan and Macau terminals: 餘額不足)
/// to simplified (余额不足).
fn lower(text: &str) -> String {
    let folded: String = text
        .chars()
        .map(fold_fullwidth)
        .flat_map(char::to_lowercase)
        .collect();
    if folded.is_ascii() {
        folded
    } else {
        fast2s::convert(&folded)
    }
}

/// The stem of an English word ("charged" → "charg").
fn stem(word: &str) -> Cow<'_, str> {
    STEMMER.stem(word)
}

/// Add `(doc, weight)` keeping one posting per doc with the highest weight (postings arrive by doc).
fn post(list: &mut Vec<(u32, u8)>, doc: u32, weight: u8) {
    match list.last_mut() {
        Some((d, w)) if *d == doc => *w = (*w).max(weight),
        _ => list.push((doc, weight)),
    }
}

/// The value of an all-digit key without its leading zeros ("0051" → "51", "00" → "0"); `None` for a
/// key with letters. Two keys with the same value are the same code written with other padding.
pub fn numeric_value(key: &str) -> Option<&str> {
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = key.trim_start_matches('0');
    Some(if value.is_empty() { "0" } else { value })
}

/// The codes a label-prefixed key would be without its label: `E77` → `77`, `ERR5` → `5`, `05`.
/// These are *other* codes, to be shown as such.
pub fn other_code_keys(key: &str) -> Vec<String> {
    for label in CODE_LABELS {
        if let Some(rest) = key.strip_prefix(label)
            && numeric_value(rest).is_some()
        {
            return code_variants(rest);
        }
    }
    Vec::new()
}

/// How often each letter a–z occurs in an ASCII word (saturating).
fn letter_counts(word: &str) -> [u8; 26] {
    let mut counts = [0u8; 26];
    for b in word.bytes().filter(u8::is_ascii_lowercase) {
        let c = &mut counts[usize::from(b - b'a')];
        *c = c.saturating_add(1);
    }
    counts
}

fn is_code_label(word: &str) -> bool {
    CODE_LABELS.iter().any(|l| l.eq_ignore_ascii_case(word))
}

/// The readings of one character, plain (no tones), with ü also as "v" and "u" as clerks type it.
fn readings(c: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi {
            let plain = p.plain();
            let forms = if plain.contains('ü') {
                vec![plain.replace('ü', "v"), plain.replace('ü', "u")]
            } else {
                vec![plain.to_string()]
            };
            for f in forms {
                if !f.is_empty() && f.is_ascii() && !out.contains(&f) {
                    out.push(f);
                }
            }
        }
    }
    out
}

/// Pinyin keys of a run of Chinese characters, computed at index time: for every start position, the
/// full pinyin (`余额不足` → `yuebuzu`) and the initials (`yebz`) of up to [`PINYIN_SPAN`] characters,
/// each with whether it starts the run. Polyphones keep their other readings (行 → `hang…` and
/// `xing…`): every character's usual reading, then each spelling with one character read otherwise
/// ([`MAX_OTHER_READINGS`]), up to [`MAX_READING_COMBOS`] keys per start, so the rare readings the
/// dictionary lists for common characters (余 tú, 不 fǒu) cannot crowd out the usual spelling. A query word then matches a
/// key by prefix, so it always starts on a character boundary and covers whole characters from there:
/// `mima` finds 密码 inside 输入密码错误, but a word can never match from the middle of a syllable.
///
/// Keys too short to be matched (full pinyin under [`MIN_FULL_PINYIN`] letters, initials under
/// [`MIN_INITIALS`] characters) are not stored.
fn pinyin_keys(run: &[char]) -> PinyinKeys {
    let per_char: Vec<Vec<String>> = run.iter().map(|&c| readings(c)).collect();
    let per_char_initials: Vec<Vec<String>> = per_char
        .iter()
        .map(|r| {
            let mut out: Vec<String> = Vec::new();
            for first in r.iter().filter_map(|p| p.get(..1)) {
                if !out.iter().any(|o| o == first) {
                    out.push(first.to_string());
                }
            }
            out
        })
        .collect();
    let mut full = Vec::new();
    let mut initials = Vec::new();
    for start in 0..run.len() {
        let head = start == 0;
        let end = (start + PINYIN_SPAN).min(run.len());
        let spelt = per_char[start..end]
            .iter()
            .take_while(|r| !r.is_empty())
            .count();
        if spelt == 0 {
            continue;
        }
        for key in reading_combos(&per_char[start..start + spelt]) {
            if key.len() >= MIN_FULL_PINYIN {
                full.push((key, head));
            }
        }
        for key in reading_combos(&per_char_initials[start..start + spelt]) {
            if key.len() >= MIN_INITIALS {
                initials.push((key, head));
            }
        }
    }
    (full, initials)
}

/// Spellings of a run from per-character options (the usual one first): fewest other readings first,
/// at most [`MAX_READING_COMBOS`].
fn reading_combos(options: &[Vec<String>]) -> Vec<String> {
    fn collect(options: &[Vec<String>], others: usize, prefix: &mut String, out: &mut Vec<String>) {
        if out.len() >= MAX_READING_COMBOS || options.len() < others {
            return;
        }
        let Some((first, rest)) = options.split_first() else {
            if others == 0 {
                out.push(prefix.clone());
            }
            return;
        };
        let len = prefix.len();
        for (i, reading) in first.iter().enumerate() {
            if i > 0 && others == 0 {
                break;
            }
            prefix.push_str(reading);
            collect(rest, others - usize::from(i > 0), prefix, out);
            prefix.truncate(len);
        }
    }
    let mut out = Vec::new();
    for others in 0..=options.len().min(MAX_OTHER_READINGS) {
        collect(options, others, &mut String::new(), &mut out);
        if out.len() >= MAX_READING_COMBOS {
            break;
        }
    }
    out
}

/// Order of schemes among equal scores: the user's own codes describe their own acquirer, so they lead;
/// a preferred scheme comes right after them.
fn scheme_ranks(prefer: Option<Scheme>) -> [u32; SCHEMES] {
    let mut ranks = [0u32; SCHEMES];
    for s in Scheme::ALL.iter().copied() {
        // Situations are written in the words clerks use: when the clerk's words fit a situation and
        // a code equally, the situation (what to do now) comes before the codes.
        ranks[slot(s)] = s.rank(prefer, true);
    }
    ranks
}

/// How many schemes there are, for per-scheme tables.
const SCHEMES: usize = 7;

/// A small index per scheme, for per-scheme tables.
fn slot(s: Scheme) -> usize {
    match s {
        Scheme::Iso8583 => 0,
        Scheme::Cups => 1,
        Scheme::Terminal => 2,
        Scheme::Wechatpay => 3,
        Scheme::Alipay => 4,
        Scheme::Custom => 5,
        Scheme::Situation => 6,
    }
}

/// Points for a code prefix. A query that reads as text ("card": every word is a real word of the
/// codes' text) gets a small credit, below any exact word in a title, so `CARDX` cannot push
/// `CARD REMOVED` down; a query that reads as a code ("userp", "acq.trade_has_s") gets a strong one.
/// Either way, the more of the code typed, the more points.
fn code_prefix_points(typed: usize, code: usize, strong: bool) -> f32 {
    let closeness = typed as f32 / code.max(1) as f32;
    if strong {
        CODE_PREFIX_STRONG + 100.0 * closeness
    } else {
        30.0 + 10.0 * closeness * closeness
    }
}

/// Points for a pinyin key match: below a real English word in the same field (10 per weight), full
/// pinyin above initials, a match at the start of a title or keyword above one inside it.
fn pinyin_points(weight_and_head: u8, initials: bool) -> (u8, f32) {
    let field = weight_and_head >> 1;
    let head = weight_and_head & 1 == 1;
    let base = match (initials, head) {
        (false, true) => 7.0,
        (false, false) => 5.0,
        (true, true) => 6.0,
        (true, false) => 4.0,
    };
    (field, base)
}

impl SearchIndex {
    pub fn build<'a>(inputs: impl IntoIterator<Item = IndexInput<'a>>) -> SearchIndex {
        // Load the segmenter's dictionary now rather than on the clerk's first sentence.
        LazyLock::force(&JIEBA);
        let mut index = SearchIndex::default();
        let mut pinyin_cache: HashMap<Vec<char>, PinyinKeys> = HashMap::new();
        for input in inputs {
            index.add(input, &mut pinyin_cache);
        }
        index.keys_sorted = index
            .docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.key.clone(), i as u32))
            .collect();
        index.keys_sorted.sort();
        index.scheme_slot = index.docs.iter().map(|d| slot(d.scheme) as u8).collect();
        index.key_rank = vec![0; index.docs.len()];
        for (rank, (_, d)) in index.keys_sorted.iter().enumerate() {
            index.key_rank[*d as usize] = rank as u32;
        }
        index.vocab = index.words.keys().cloned().collect();
        index.vocab.sort();
        for w in &index.vocab {
            let len = w.chars().count();
            if len >= 3 && w.chars().all(|c| c.is_ascii_alphabetic()) {
                if index.fuzzy_vocab.len() <= len {
                    index.fuzzy_vocab.resize(len + 1, Vec::new());
                }
                index.fuzzy_vocab[len].push((w.clone(), letter_counts(w)));
            }
        }
        index.pinyin_vocab = index.pinyin.keys().cloned().collect();
        index.pinyin_vocab.sort();
        index.initials_vocab = index.initials.keys().cloned().collect();
        index.initials_vocab.sort();
        index.unknown = [Scheme::Custom, Scheme::Terminal]
            .into_iter()
            .find_map(|s| {
                index
                    .lookup("UNKNOWN")
                    .iter()
                    .copied()
                    .find(|&d| index.docs[d as usize].scheme == s)
            });
        index
    }

    fn add(&mut self, input: IndexInput<'_>, pinyin_cache: &mut HashMap<Vec<char>, PinyinKeys>) {
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
        let keyword_text = format!(
            "{}\n{}",
            join(&[&e.keywords, &e.says_zh, &e.says_en]),
            lower(input.note.unwrap_or(""))
        );
        let keywords = format!("{keyword_text}\n{code_words}");
        let explain = lower(&format!("{}\n{}", e.explain_en, e.explain_zh));
        let body = join(&[&e.causes_en, &e.causes_zh, &e.steps_en, &e.steps_zh]);
        let text = [body, explain, keywords, title];
        for field in FIELDS {
            let weight = field as u8;
            // The code's own words are searchable as keywords but are not "text" (see `Word::text`).
            let source = if field == Field::Keyword {
                &keyword_text
            } else {
                &text[field as usize - 1]
            };
            for term in terms(source) {
                match term {
                    Term::Word(w) => {
                        if w.len() >= 3 && w.bytes().all(|b| b.is_ascii_alphabetic()) {
                            let stemmed = stem(&w).into_owned();
                            match self.stems.get_mut(stemmed.as_str()) {
                                Some(list) => post(list, doc, weight),
                                None => {
                                    self.stems.insert(stemmed, vec![(doc, weight)]);
                                }
                            }
                        }
                        let word = self.words.entry(w).or_default();
                        word.text_field = word.text_field.max(weight);
                        post(&mut word.postings, doc, weight);
                    }
                    Term::Han(run) => {
                        self.add_han(&run, doc, weight);
                        if field >= Field::Keyword {
                            self.add_pinyin(&run, doc, weight, pinyin_cache);
                        }
                    }
                }
            }
            if field == Field::Keyword {
                for term in terms(&code_words) {
                    match term {
                        Term::Word(w) => {
                            post(&mut self.words.entry(w).or_default().postings, doc, weight)
                        }
                        Term::Han(run) => {
                            self.add_han(&run, doc, weight);
                            self.add_pinyin(&run, doc, weight, pinyin_cache);
                        }
                    }
                }
            }
        }
        let key = e.key();
        self.by_key.entry(key.clone()).or_default().push(doc);
        if let Some(value) = numeric_value(&key) {
            self.by_number
                .entry(value.to_string())
                .or_default()
                .push(doc);
        }
        self.docs.push(Doc {
            scheme: e.scheme,
            key,
            text,
        });
        for title in [&e.title_en, &e.title_zh] {
            let title = lower(title.trim());
            if !title.is_empty() {
                self.by_title.entry(title).or_default().push(doc);
            }
        }
        // Short titles are better answers; a Chinese-only title counts about two characters a word.
        let words = match e.title_en.split_whitespace().count() {
            0 => e.title_zh.trim().chars().count().div_ceil(2),
            n => n,
        };
        self.focus.push(2.0 / words.max(1) as f32);
    }

    fn add_han(&mut self, run: &[char], doc: u32, weight: u8) {
        for &c in run {
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

    fn add_pinyin(
        &mut self,
        run: &[char],
        doc: u32,
        weight: u8,
        cache: &mut HashMap<Vec<char>, PinyinKeys>,
    ) {
        if !cache.contains_key(run) {
            cache.insert(run.to_vec(), pinyin_keys(run));
        }
        let Some((full, initials)) = cache.get(run) else {
            return;
        };
        for (map, keys) in [(&mut self.pinyin, full), (&mut self.initials, initials)] {
            for (key, head) in keys {
                let weight = weight * 2 + u8::from(*head);
                match map.get_mut(key.as_str()) {
                    Some(list) => post(list, doc, weight),
                    None => {
                        map.insert(key.clone(), vec![(doc, weight)]);
                    }
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Docs with this key or the same code written with other zero padding, in doc order.
    pub fn same_code_docs(&self, key: &str) -> Vec<u32> {
        let mut out: Vec<u32> = match numeric_value(key) {
            Some(value) => self.by_number.get(value).cloned().unwrap_or_default(),
            None => self.lookup(key).to_vec(),
        };
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The key a doc was indexed under.
    pub fn key(&self, doc: usize) -> &str {
        &self.docs[doc].key
    }

    /// Order among equal scores: scheme (custom first, then the preferred one), then key.
    fn tiebreak(&self, doc: usize, ranks: &[u32; SCHEMES]) -> u64 {
        (u64::from(ranks[usize::from(self.scheme_slot[doc])]) << 32) | u64::from(self.key_rank[doc])
    }

    fn is_text_word(&self, word: &str) -> bool {
        self.words.get(word).is_some_and(|w| w.text_field > 0)
    }

    /// The query is one word found as such in a title, a keyword or a note ("95516", a hotline in a
    /// note): then it matched something exactly, and the unknown-code card does not push it down.
    fn is_title_or_keyword_word(&self, terms: &[&Term]) -> bool {
        match terms {
            [Term::Word(w)] => self
                .words
                .get(w)
                .is_some_and(|w| w.text_field >= Field::Keyword as u8),
            _ => false,
        }
    }

    /// A query a clerk copied off a terminal's screen rather than words: one token of ASCII letters and
    /// digits (with `-`, `_`, `.`), optionally after a label ("RC 55"), that has a digit ("E77",
    /// "1234"), or is in capitals and is not a word of the codes' text ("ZZZ", "ACQ.NEW_THING", but not
    /// "PIN"). Chinese and several English words are never code-like.
    fn looks_like_code(&self, raw: &str) -> bool {
        let tokens: Vec<&str> = raw.split_whitespace().collect();
        let token = match tokens.as_slice() {
            [t] => *t,
            [label, t] if is_code_label(label) => *t,
            _ => return false,
        };
        let alnum = token.chars().filter(char::is_ascii_alphanumeric).count();
        if alnum == 0
            || token.len() > 32
            || !token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return false;
        }
        if token.chars().any(|c| c.is_ascii_digit()) {
            return true;
        }
        let capitals = token.chars().all(|c| !c.is_ascii_lowercase());
        let separated = token.contains(['_', '.']);
        capitals && (alnum <= 8 || separated) && !self.is_text_word(&token.to_ascii_lowercase())
    }

    /// Ranked hits, best first: exact code, same code, other codes and code prefixes, then text. Never
    /// fails: any input gives results or an empty list.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Vec<Hit> {
        let limit = opts.limit;
        let raw: String = query
            .chars()
            .take(MAX_QUERY_CHARS)
            .map(fold_fullwidth)
            .collect();
        let raw = raw.trim();
        let query = lower(raw);
        if query.is_empty() || limit == 0 || self.docs.is_empty() {
            return Vec::new();
        }
        // Several tokens typed (before stop words go): each may be a code of its own ("shows 51").
        let several_tokens = terms(&query).len() > 1;
        let mut sentences = Vec::new();
        let terms: Vec<Term> = self
            .query_terms(&query, &mut sentences)
            .into_iter()
            .take(MAX_TERMS)
            .collect();
        let meaningful: Vec<&Term> = terms.iter().collect();
        // How much each word says: a word few entries hold weighs more than one most hold (BM25's
        // inverse document frequency, scaled so the rarest word weighs 1).
        let mut weight = [1.0f32; MAX_TERMS];
        let mut acc = Scores::new(self.docs.len());

        // The whole query as a code.
        let code_shaped = !raw.contains(char::is_whitespace)
            && raw.contains(|c: char| c.is_ascii_digit() || c == '_' || c == '.');
        let reads_as_text = meaningful.iter().all(|t| match t {
            Term::Word(w) => self.is_text_word(w),
            Term::Han(_) => true,
        });
        let found_code = self.score_code(&query, code_shaped || !reads_as_text, &mut acc);
        acc.finish_term(0);
        let code_part: Vec<(u32, f32)> = {
            let mut v: Vec<(u32, f32)> = acc
                .touched
                .iter()
                .map(|&d| (d, acc.score[d as usize]))
                .collect();
            v.sort_unstable_by_key(|&(d, _)| d);
            v
        };

        // Then word by word.
        let single = meaningful.len() == 1;
        let last = meaningful.len().saturating_sub(1);
        for (i, term) in meaningful.iter().enumerate() {
            let bit = 1u16 << i;
            // "rc 55" is the label-stripped code 55, scored above as another code, not an exact one.
            let after_label =
                i > 0 && matches!(meaningful[i - 1], Term::Word(w) if is_code_label(w));
            if several_tokens && !after_label {
                let key = match term {
                    Term::Word(w) => normalize_code(w),
                    Term::Han(run) => normalize_code(&run.iter().collect::<String>()),
                };
                for d in self.same_code_docs(&key) {
                    let kind = if self.docs[d as usize].key == key {
                        MatchKind::Exact
                    } else {
                        MatchKind::SameCode
                    };
                    acc.add_code(d, TERM_IS_CODE, kind);
                }
            }
            match term {
                Term::Word(w) => self.score_word(w, i == last, single, &mut acc),
                Term::Han(run) => self.score_han(run, &mut acc),
            }
            if !single {
                weight[i] = self.term_weight(acc.term_touched.len());
                acc.scale_term(weight[i]);
            }
            acc.finish_term(bit);
        }
        // Words of a sentence that stand together in an entry as they stood in the sentence
        // (机器提示要先签到 and the title 终端提示要先签到) say more than the same words apart.
        for run in &sentences {
            self.phrase_bonus(run, &mut acc);
        }
        let total_weight: f32 = weight[..meaningful.len()].iter().sum();
        let coverage = |m: u16| -> f32 {
            let got: f32 = (0..meaningful.len())
                .filter(|i| m & (1 << i) != 0)
                .map(|i| weight[i])
                .sum();
            got / total_weight.max(f32::EPSILON)
        };
        // Entries that match every term of a several-term query come first among text matches; the
        // others earn by the weight of the words they match, not by their count.
        let mut best_coverage = 0.0f32;
        if meaningful.len() > 1 {
            let all = (1u16 << meaningful.len()) - 1;
            let n_all = meaningful.len() as f32;
            for &d in &acc.touched {
                let m = acc.matched[d as usize];
                let share = coverage(m);
                best_coverage = best_coverage.max(share);
                acc.score[d as usize] += if m & all == all {
                    80.0 * n_all
                } else {
                    20.0 * n_all * share
                };
            }
        } else {
            best_coverage = 1.0;
        }
        // Several words typed as a title, keyword or saying has them, in that order ("customer
        // charged but terminal says failed"): the entry that says it so comes first. Looked at only
        // among the entries that hold every word, and only while they are few.
        if meaningful.len() > 1 {
            let all = (1u16 << meaningful.len()) - 1;
            let phrase = query.split_whitespace().collect::<Vec<_>>().join(" ");
            let holders: Vec<u32> = acc
                .touched
                .iter()
                .copied()
                .filter(|&d| acc.matched[d as usize] & all == all)
                .take(MAX_PHRASE_CHECKS + 1)
                .collect();
            if holders.len() <= MAX_PHRASE_CHECKS {
                for d in holders {
                    let doc = &self.docs[d as usize];
                    if [Field::Title, Field::Keyword]
                        .iter()
                        .any(|&f| doc.text[f as usize - 1].contains(&phrase))
                    {
                        acc.score[d as usize] += PHRASE_BONUS;
                    }
                }
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
            .map(|&d| {
                let score = acc.score[d as usize];
                let mut kind = MatchKind::from_rank(acc.kind[d as usize]);
                // A weak code prefix under a mostly-text score is a text match.
                if kind == MatchKind::CodePrefix {
                    let code = code_part
                        .binary_search_by_key(&d, |&(x, _)| x)
                        .map_or(0.0, |i| code_part[i].1);
                    if code * 2.0 < score {
                        kind = MatchKind::Text;
                    }
                }
                Hit {
                    doc: d as usize,
                    score,
                    kind,
                }
            })
            .filter(|h| h.score > 0.0)
            .collect();
        if let Some(prefer) = opts.prefer {
            for h in &mut hits {
                if matches!(
                    h.kind,
                    MatchKind::Exact | MatchKind::SameCode | MatchKind::OtherCode
                ) {
                    match self.docs[h.doc].scheme {
                        Scheme::Custom => h.score += PREFER_CUSTOM_BONUS,
                        s if s == prefer => h.score += PREFER_SCHEME_BONUS,
                        _ => {}
                    }
                }
            }
        }
        // A sentence nothing answers well (or at all): the unknown-code card leads, and what shares
        // some of its words follows as guesses. Never an empty list for something meaningful typed.
        let code_hit = hits.iter().any(|h| {
            matches!(
                h.kind,
                MatchKind::Exact | MatchKind::SameCode | MatchKind::OtherCode
            )
        });
        let has_meaning = query.chars().filter(|c| c.is_alphanumeric()).count() >= 2
            || query.chars().any(is_han_char);
        if !code_hit
            && has_meaning
            && let Some(u) = self.unknown
            && (hits.is_empty() || best_coverage < MIN_COVERAGE)
            && !self.looks_like_code(raw)
        {
            let top = hits.iter().map(|h| h.score).fold(0.0f32, f32::max);
            hits.retain(|h| h.doc != u as usize);
            for h in &mut hits {
                if h.kind == MatchKind::Text {
                    h.kind = MatchKind::Guess;
                }
            }
            hits.push(Hit {
                doc: u as usize,
                score: top + 1.0,
                kind: MatchKind::Unknown,
            });
        }
        // Nothing has this code: the generic card for unknown codes leads, whatever else was found.
        if !found_code
            && let Some(u) = self.unknown
            && self.looks_like_code(raw)
            && !self.is_title_or_keyword_word(&meaningful)
        {
            let top = hits.iter().map(|h| h.score).fold(0.0f32, f32::max);
            hits.retain(|h| h.doc != u as usize);
            hits.push(Hit {
                doc: u as usize,
                score: top + 1.0,
                kind: MatchKind::Unknown,
            });
        }
        // Order: score, then scheme (custom, the preferred one, the rest), then key; the tiebreak is
        // computed once per hit, not per comparison.
        let ranks = scheme_ranks(opts.prefer);
        let mut ranked: Vec<(u64, Hit)> = hits
            .into_iter()
            .map(|h| (self.tiebreak(h.doc, &ranks), h))
            .collect();
        let order = |a: &(u64, Hit), b: &(u64, Hit)| {
            b.1.score.total_cmp(&a.1.score).then_with(|| a.0.cmp(&b.0))
        };
        if ranked.len() > limit {
            ranked.select_nth_unstable_by(limit - 1, order);
            ranked.truncate(limit);
        }
        ranked.sort_by(order);
        ranked.into_iter().map(|(_, h)| h).collect()
    }

    /// Score the whole query as a code; true when an entry has this very code (exact or padded).
    fn score_code(&self, query: &str, strong_prefix: bool, acc: &mut Scores) -> bool {
        let key = normalize_code(query);
        if key.is_empty() {
            return false;
        }
        let mut found = false;
        for d in self.same_code_docs(&key) {
            found = true;
            if self.docs[d as usize].key == key {
                acc.add_code(d, EXACT_CODE, MatchKind::Exact);
            } else {
                acc.add_code(d, SAME_CODE, MatchKind::SameCode);
            }
        }
        if let Some(other) = other_code_keys(&key).first() {
            for d in self.same_code_docs(other) {
                acc.add_code(d, OTHER_CODE, MatchKind::OtherCode);
            }
        }
        let start = self
            .keys_sorted
            .partition_point(|(k, _)| k.as_str() < key.as_str());
        let typed = key.chars().count();
        for (k, d) in self.keys_sorted[start..]
            .iter()
            .take_while(|(k, _)| k.starts_with(&key))
            .filter(|(k, _)| k.len() > key.len())
            // A situation's slug is no code a terminal shows: typed whole it opens the card (the
            // step-1 link does that), but its start is an ordinary word ("foreign", "settle").
            .filter(|(_, d)| self.docs[*d as usize].scheme != Scheme::Situation)
            .take(MAX_PREFIX_HITS)
        {
            let points = code_prefix_points(typed, k.chars().count(), strong_prefix);
            acc.add_code(*d, points, MatchKind::CodePrefix);
        }
        found
    }

    fn lookup(&self, key: &str) -> &[u32] {
        self.by_key.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    fn score_word(&self, word: &str, is_last: bool, single: bool, acc: &mut Scores) {
        let known = self.words.get(word);
        if let Some(w) = known {
            for &(d, f) in &w.postings {
                acc.add(d, self.field_score(d, f, 10.0));
            }
        }
        // Other forms of the same word: "charged" finds "charge", "failed" finds "fails".
        let mut stemmed = false;
        if word.len() >= 3
            && word.bytes().all(|b| b.is_ascii_alphabetic())
            && let Some(list) = self.stems.get(stem(word).as_ref())
        {
            stemmed = true;
            for &(d, f) in list {
                acc.add(d, self.field_score(d, f, 8.0));
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
                let entry = &self.words[v];
                // A word that only occurs inside codes is the whole-query code prefix again.
                if single && entry.text_field == 0 {
                    continue;
                }
                for &(d, f) in &entry.postings {
                    acc.add(d, self.field_score(d, f, 7.0));
                }
            }
        }
        let alphabetic = word.chars().all(|c| c.is_ascii_alphabetic());
        // Pinyin, for a clerk without a Chinese input method; a word of the codes' text is meant as such.
        let mut pinyin = false;
        if known.is_none() && !stemmed && alphabetic {
            if len >= MIN_FULL_PINYIN {
                pinyin |= self.score_pinyin(word, &self.pinyin, &self.pinyin_vocab, false, acc);
            }
            // Initials are looser: they do not stop the typo route below.
            if (MIN_INITIALS..=PINYIN_SPAN).contains(&len) {
                self.score_pinyin(word, &self.initials, &self.initials_vocab, true, acc);
            }
        }
        // Typos: only when the word itself is unknown (and not full pinyin), so a real word is not
        // diluted by near misses.
        if len >= 4 && known.is_none() && !stemmed && alphabetic && !pinyin {
            let max_distance = if len <= 6 { 1 } else { 2 };
            let counts = letter_counts(word);
            let lengths = len.saturating_sub(max_distance)..=len + max_distance;
            for (v, v_counts) in lengths.filter_map(|l| self.fuzzy_vocab.get(l)).flatten() {
                // Each edit changes the letter counts by at most 2: a cheap test before the real one.
                let diff: u32 = counts
                    .iter()
                    .zip(v_counts)
                    .map(|(a, b)| u32::from(a.abs_diff(*b)))
                    .sum();
                if diff as usize <= 2 * max_distance
                    && strsim::damerau_levenshtein(word, v) <= max_distance
                {
                    for &(d, f) in &self.words[v].postings {
                        acc.add(d, self.field_score(d, f, 5.0));
                    }
                }
            }
        }
    }

    fn score_pinyin(
        &self,
        word: &str,
        map: &HashMap<String, Vec<(u32, u8)>>,
        vocab: &[String],
        initials: bool,
        acc: &mut Scores,
    ) -> bool {
        let start = vocab.partition_point(|v| v.as_str() < word);
        let mut found = false;
        for key in vocab[start..]
            .iter()
            .take_while(|v| v.starts_with(word))
            .take(MAX_PINYIN_KEYS)
        {
            found = true;
            for &(d, wh) in &map[key] {
                let (field, base) = pinyin_points(wh, initials);
                acc.add(d, self.field_score(d, field, base));
            }
        }
        found
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

    /// Credit entries already found that share most two-character pieces of a cut sentence.
    fn phrase_bonus(&self, run: &[char], acc: &mut Scores) {
        let pairs = run.len().saturating_sub(1);
        if pairs < 2 {
            return;
        }
        let mut counts: HashMap<u32, (usize, u8)> = HashMap::new();
        for pair in run.windows(2) {
            for &(d, w) in self.bigrams.get(&(pair[0], pair[1])).into_iter().flatten() {
                if acc.score[d as usize] > 0.0 {
                    let entry = counts.entry(d).or_insert((0, 0));
                    entry.0 += 1;
                    entry.1 = entry.1.max(w);
                }
            }
        }
        for (d, (count, w)) in counts {
            if count * 2 >= pairs {
                acc.score[d as usize] += self.field_score(d, w, 4.0 * count as f32);
            }
        }
    }

    /// Some entry holds this run of Chinese as it stands.
    fn has_phrase(&self, run: &[char]) -> bool {
        let needle: String = run.iter().collect();
        self.intersect_bigrams(run).into_iter().any(|d| {
            self.docs[d as usize]
                .text
                .iter()
                .any(|t| t.contains(&needle))
        })
    }

    /// A clerk's sentence as words: a run of Chinese that no entry holds as it stands is cut into
    /// words (顾客说扣钱了但没成功 → 扣钱 / 没 / 成功); stop words go, unless nothing else is left.
    fn query_terms(&self, query: &str, sentences: &mut Vec<Vec<char>>) -> Vec<Term> {
        let mut out = Vec::new();
        for term in terms(query) {
            match term {
                Term::Han(run) if run.len() >= 3 && !self.has_phrase(&run) => {
                    let text: String = run.iter().collect();
                    let words: Vec<Vec<char>> = JIEBA
                        .cut(&text, true)
                        .into_iter()
                        .map(|t| t.word.chars().collect::<Vec<char>>())
                        .filter(|w| !w.is_empty())
                        .collect();
                    if words.len() <= 1 {
                        out.push(Term::Han(run));
                    } else {
                        out.extend(words.into_iter().map(Term::Han));
                        sentences.push(run);
                    }
                }
                other => out.push(other),
            }
        }
        let stop = |t: &Term| match t {
            Term::Word(w) => is_stop_word(w),
            Term::Han(run) => is_stop_word(&run.iter().collect::<String>()),
        };
        if out.iter().all(stop) {
            return out;
        }
        out.retain(|t| !stop(t));
        out
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

    /// The weight of a query word found in `df` entries: BM25's inverse document frequency, relative
    /// to a word found in one entry, never below [`MIN_TERM_WEIGHT`].
    fn term_weight(&self, df: usize) -> f32 {
        let n = self.docs.len() as f32;
        let idf = |df: f32| (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        if df == 0 {
            return 1.0;
        }
        (idf(df as f32) / idf(1.0)).clamp(MIN_TERM_WEIGHT, 1.0)
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

/// Full-pinyin and initials keys of one run, with "starts the run".
type PinyinKeys = (Vec<(String, bool)>, Vec<(String, bool)>);

/// Scores per document, dense so that a query touching 100,000 entries stays cheap. Credits are
/// gathered one term at a time so a term found by several routes (word, prefix, typo) counts once, at its
/// best.
struct Scores {
    score: Vec<f32>,
    matched: Vec<u16>,
    /// Best `MatchKind::rank` of the code routes that found the doc (0: text only).
    kind: Vec<u8>,
    touched: Vec<u32>,
    term_best: Vec<f32>,
    term_touched: Vec<u32>,
}

impl Scores {
    fn new(n: usize) -> Scores {
        Scores {
            score: vec![0.0; n],
            matched: vec![0; n],
            kind: vec![0; n],
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

    /// Scale the current term's text credits by its weight; code matches keep their points.
    fn scale_term(&mut self, factor: f32) {
        for &doc in &self.term_touched {
            let i = doc as usize;
            if self.kind[i] == 0 {
                self.term_best[i] *= factor;
            }
        }
    }

    /// Credit a code match, remembering its kind.
    fn add_code(&mut self, doc: u32, points: f32, kind: MatchKind) {
        self.add(doc, points);
        let k = &mut self.kind[doc as usize];
        *k = (*k).max(kind.rank());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_values_ignore_padding() {
        assert_eq!(numeric_value("0051"), Some("51"));
        assert_eq!(numeric_value("05"), Some("5"));
        assert_eq!(numeric_value("5"), Some("5"));
        assert_eq!(numeric_value("00"), Some("0"));
        assert_eq!(numeric_value("A0"), None);
        assert_eq!(numeric_value(""), None);
    }

    #[test]
    fn labels_strip_to_other_codes() {
        assert_eq!(other_code_keys("E77"), vec!["77"]);
        assert_eq!(other_code_keys("E5"), vec!["5", "05"]);
        assert_eq!(other_code_keys("ERR51"), vec!["51"]);
        assert_eq!(other_code_keys("RC55"), vec!["55"]);
        assert!(other_code_keys("A0").is_empty());
        assert!(other_code_keys("E").is_empty());
        assert!(other_code_keys("EXPIRED").is_empty());
    }

    #[test]
    fn pinyin_keys_cover_full_initials_and_polyphones() {
        let run: Vec<char> = "余额不足".chars().collect();
        let (full, initials) = pinyin_keys(&run);
        assert!(full.contains(&("yuebuzu".to_string(), true)));
        assert!(full.contains(&("buzu".to_string(), false)));
        assert!(initials.contains(&("yebz".to_string(), true)));
        assert!(initials.contains(&("ebz".to_string(), false)));
        // Too short to ever match: not stored.
        assert!(!initials.iter().any(|(k, _)| k == "bz"));
        assert!(!full.iter().any(|(k, _)| k == "zu"));
        let (full, initials) = pinyin_keys(&"银行卡".chars().collect::<Vec<_>>());
        assert!(full.iter().any(|(k, _)| k == "yinhangka"));
        assert!(full.iter().any(|(k, _)| k == "yinxingka"));
        assert!(initials.iter().any(|(k, _)| k == "yhk"));
        assert!(initials.iter().any(|(k, _)| k == "yxk"));
    }

    #[test]
    fn many_polyphones_stay_bounded_without_losing_readings() {
        let run: Vec<char> = "行行行行行行行行行行".chars().collect();
        let (full, _) = pinyin_keys(&run);
        let heads: Vec<&String> = full.iter().filter(|(_, h)| *h).map(|(k, _)| k).collect();
        assert!(heads.len() <= MAX_READING_COMBOS);
        assert!(heads.iter().any(|k| k.starts_with("hang")));
        assert!(heads.iter().any(|k| k.starts_with("xing")));
        // The usual spelling of every character comes first.
        let usual = readings('行')[0].repeat(PINYIN_SPAN);
        assert_eq!(heads[0], &usual);
    }

    #[test]
    fn reading_combos_prefer_usual_readings() {
        let options = vec![
            vec!["yu".to_string(), "tu".to_string()],
            vec!["e".to_string()],
            vec!["bu".to_string(), "fou".to_string()],
        ];
        assert_eq!(
            reading_combos(&options),
            vec!["yuebu", "yuefou", "tuebu"],
            "one character read otherwise at a time"
        );
    }

    #[test]
    fn weak_prefixes_stay_below_a_title_word() {
        // An exact word in a title is worth 10 × 4 = 40.
        assert!(code_prefix_points(4, 5, false) < 40.0);
        assert!(code_prefix_points(4, 5, true) > 300.0);
        assert!(code_prefix_points(5, 10, true) < code_prefix_points(9, 10, true));
        assert!(code_prefix_points(9, 10, true) < OTHER_CODE);
    }

    #[test]
    fn pinyin_scores_below_english_words() {
        for wh in [8u8, 9, 6, 7] {
            for initials in [false, true] {
                let (field, base) = pinyin_points(wh, initials);
                assert!(base < 10.0);
                assert!(field == 3 || field == 4);
            }
        }
        assert!(pinyin_points(9, false).1 > pinyin_points(9, true).1);
        assert!(pinyin_points(9, false).1 > pinyin_points(8, false).1);
    }

    #[test]
    fn preferred_scheme_ranks_after_custom() {
        let ranks = scheme_ranks(Some(Scheme::Cups));
        assert_eq!(ranks[slot(Scheme::Custom)], 0);
        assert_eq!(ranks[slot(Scheme::Cups)], 1);
        assert!(ranks[slot(Scheme::Iso8583)] > 1);
        let ranks = scheme_ranks(None);
        assert!(ranks[slot(Scheme::Iso8583)] < ranks[slot(Scheme::Cups)]);
    }

    #[test]
    fn terms_split_words_and_han_runs() {
        assert_eq!(
            terms("51 余额abc"),
            vec![
                Term::Word("51".into()),
                Term::Han(vec!['余', '额']),
                Term::Word("abc".into())
            ]
        );
    }
}
