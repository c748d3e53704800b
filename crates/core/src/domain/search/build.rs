//! Building the index from the codes: one pass over the entries, postings per word, bigram and reading.

use super::*;
use std::collections::HashMap;
use std::sync::LazyLock;

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

    pub(super) fn add(
        &mut self,
        input: IndexInput<'_>,
        pinyin_cache: &mut HashMap<Vec<char>, PinyinKeys>,
    ) {
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

    pub(super) fn add_han(&mut self, run: &[char], doc: u32, weight: u8) {
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

    pub(super) fn add_pinyin(
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
}
