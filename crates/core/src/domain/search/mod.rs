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
use std::collections::HashMap;

mod build;
mod query;
mod readings;
mod text;

use self::readings::*;
use self::text::*;
pub use self::text::{numeric_value, other_code_keys};

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
