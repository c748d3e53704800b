//! Pinyin readings of Chinese runs, for clerks who type `yebz` or `yuebuzu` for 余额不足.

use super::*;
use pinyin::ToPinyinMulti;

/// The readings of one character, plain (no tones), with ü also as "v" and "u" as clerks type it.
pub(super) fn readings(c: char) -> Vec<String> {
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
pub(super) fn pinyin_keys(run: &[char]) -> PinyinKeys {
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
pub(super) fn reading_combos(options: &[Vec<String>]) -> Vec<String> {
    pub(super) fn collect(
        options: &[Vec<String>],
        others: usize,
        prefix: &mut String,
        out: &mut Vec<String>,
    ) {
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

/// Points for a pinyin key match: below a real English word in the same field (10 per weight), full
/// pinyin above initials, a match at the start of a title or keyword above one inside it.
pub(super) fn pinyin_points(weight_and_head: u8, initials: bool) -> (u8, f32) {
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

/// Full-pinyin and initials keys of one run, with "starts the run".
pub(super) type PinyinKeys = (Vec<(String, bool)>, Vec<(String, bool)>);
