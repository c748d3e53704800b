//! Answering a query: each route (code, word, prefix, typo, pinyin, Chinese run) credits documents, then
//! the best are ranked.

use super::*;

impl SearchIndex {
    /// Order among equal scores: scheme (custom first, then the preferred one), then key.
    pub(super) fn tiebreak(&self, doc: usize, ranks: &[u32; SCHEMES]) -> u64 {
        (u64::from(ranks[usize::from(self.scheme_slot[doc])]) << 32) | u64::from(self.key_rank[doc])
    }

    pub(super) fn is_text_word(&self, word: &str) -> bool {
        self.words.get(word).is_some_and(|w| w.text_field > 0)
    }

    /// The query is one word found as such in a title, a keyword or a note ("95516", a hotline in a
    /// note): then it matched something exactly, and the unknown-code card does not push it down.
    pub(super) fn is_title_or_keyword_word(&self, terms: &[&Term]) -> bool {
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
    pub(super) fn looks_like_code(&self, raw: &str) -> bool {
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
        let hits = self.search_as_typed(query, opts);
        // Pinyin typed a syllable at a time ("yu e bu zu", "ye bz"), by a clerk without a Chinese
        // input method: when the words as typed found nothing sure, the syllables are read joined.
        if hits.first().is_none_or(|h| h.kind == MatchKind::Unknown)
            && let Some(joined) = self.spaced_pinyin(query)
        {
            let again = self.search_as_typed(&joined, opts);
            if again.first().is_some_and(|h| h.kind != MatchKind::Unknown) {
                return again;
            }
        }
        hits
    }

    /// The query's words joined, when they are short runs of letters that together start a pinyin
    /// reading (or the initials) of the codes' Chinese text.
    fn spaced_pinyin(&self, query: &str) -> Option<String> {
        let words: Vec<&str> = query.split_whitespace().collect();
        let syllables = words.len() >= 2
            && words
                .iter()
                .all(|w| w.len() <= 6 && w.bytes().all(|b| b.is_ascii_alphabetic()));
        if !syllables {
            return None;
        }
        let joined = words.concat().to_ascii_lowercase();
        let starts = |vocab: &[String]| {
            let at = vocab.partition_point(|v| v.as_str() < joined.as_str());
            vocab.get(at).is_some_and(|v| v.starts_with(&joined))
        };
        let len = joined.len();
        let full = len >= MIN_FULL_PINYIN && starts(&self.pinyin_vocab);
        let initials = (MIN_INITIALS..=PINYIN_SPAN).contains(&len) && starts(&self.initials_vocab);
        (full || initials).then_some(joined)
    }

    /// [`SearchIndex::search`] of the query as it was typed.
    fn search_as_typed(&self, query: &str, opts: &SearchOptions) -> Vec<Hit> {
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
    pub(super) fn score_code(&self, query: &str, strong_prefix: bool, acc: &mut Scores) -> bool {
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

    pub(super) fn lookup(&self, key: &str) -> &[u32] {
        self.by_key.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    pub(super) fn score_word(&self, word: &str, is_last: bool, single: bool, acc: &mut Scores) {
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

    pub(super) fn score_pinyin(
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

    pub(super) fn score_han(&self, run: &[char], acc: &mut Scores) {
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
    pub(super) fn phrase_bonus(&self, run: &[char], acc: &mut Scores) {
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
    pub(super) fn has_phrase(&self, run: &[char]) -> bool {
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
    pub(super) fn query_terms(&self, query: &str, sentences: &mut Vec<Vec<char>>) -> Vec<Term> {
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

    pub(super) fn intersect_bigrams(&self, run: &[char]) -> Vec<u32> {
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
    pub(super) fn term_weight(&self, df: usize) -> f32 {
        let n = self.docs.len() as f32;
        let idf = |df: f32| (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        if df == 0 {
            return 1.0;
        }
        (idf(df as f32) / idf(1.0)).clamp(MIN_TERM_WEIGHT, 1.0)
    }

    /// Points for a match in a field, with a small bonus for short titles: "Expired card" is a better
    /// answer to "expired" than "Expired card, keep the card".
    pub(super) fn field_score(&self, doc: u32, weight: u8, base: f32) -> f32 {
        let focus = if weight == Field::Title as u8 {
            self.focus[doc as usize]
        } else {
            0.0
        };
        base * weight as f32 + focus
    }
}

/// Scores per document, dense so that a query touching 100,000 entries stays cheap. Credits are
/// gathered one term at a time so a term found by several routes (word, prefix, typo) counts once, at its
/// best.
pub(super) struct Scores {
    score: Vec<f32>,
    matched: Vec<u16>,
    /// Best `MatchKind::rank` of the code routes that found the doc (0: text only).
    kind: Vec<u8>,
    touched: Vec<u32>,
    term_best: Vec<f32>,
    term_touched: Vec<u32>,
}

impl Scores {
    pub(super) fn new(n: usize) -> Scores {
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
    pub(super) fn add(&mut self, doc: u32, points: f32) {
        let i = doc as usize;
        if self.term_best[i] == 0.0 {
            self.term_touched.push(doc);
        }
        if points > self.term_best[i] {
            self.term_best[i] = points;
        }
    }

    /// Scale the current term's text credits by its weight; code matches keep their points.
    pub(super) fn scale_term(&mut self, factor: f32) {
        for &doc in &self.term_touched {
            let i = doc as usize;
            if self.kind[i] == 0 {
                self.term_best[i] *= factor;
            }
        }
    }

    /// Credit a code match, remembering its kind.
    pub(super) fn add_code(&mut self, doc: u32, points: f32, kind: MatchKind) {
        self.add(doc, points);
        let k = &mut self.kind[doc as usize];
        *k = (*k).max(kind.rank());
    }

    /// Close the current term: its best credits join the totals, marked with `bit` (0 for the
    /// whole-query code match).
    pub(super) fn finish_term(&mut self, bit: u16) {
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
