//! The words of a query and of the codes: splitting, folding, stemming, and the shapes of code keys.

use super::*;
use std::borrow::Cow;
use std::sync::LazyLock;

/// The Chinese word segmenter, with its dictionary compiled in. Loading it takes a moment, so it is
/// loaded once, when the first index is built (see [`SearchIndex::build`]).
pub(super) static JIEBA: LazyLock<jieba_rs::Jieba> = LazyLock::new(jieba_rs::Jieba::new);
pub(super) static STEMMER: LazyLock<rust_stemmers::Stemmer> =
    LazyLock::new(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English));

/// A term of the query: an ASCII word or a run of Chinese (non-ASCII) characters.
#[derive(Debug, PartialEq)]
pub(super) enum Term {
    Word(String),
    Han(Vec<char>),
}

pub(super) fn is_han_char(c: char) -> bool {
    !c.is_ascii() && c.is_alphanumeric()
}

/// Split lower-cased text into ASCII words and runs of non-ASCII letters.
pub(super) fn terms(text: &str) -> Vec<Term> {
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
pub(super) fn is_stop_word(w: &str) -> bool {
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
pub(super) fn lower(text: &str) -> String {
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
pub(super) fn stem(word: &str) -> Cow<'_, str> {
    STEMMER.stem(word)
}

/// Add `(doc, weight)` keeping one posting per doc with the highest weight (postings arrive by doc).
pub(super) fn post(list: &mut Vec<(u32, u8)>, doc: u32, weight: u8) {
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
pub(super) fn letter_counts(word: &str) -> [u8; 26] {
    let mut counts = [0u8; 26];
    for b in word.bytes().filter(u8::is_ascii_lowercase) {
        let c = &mut counts[usize::from(b - b'a')];
        *c = c.saturating_add(1);
    }
    counts
}

pub(super) fn is_code_label(word: &str) -> bool {
    CODE_LABELS.iter().any(|l| l.eq_ignore_ascii_case(word))
}
