//! Search quality: what a clerk types → what must come first (or near the top), and what kind of match
//! each hit is.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

#[path = "support/fixtures.rs"]
mod common;

use posdesk::codebook::{Hit, MatchKind, SearchOptions};
use posdesk::{CodeEntry, Codebook, Scheme};
use std::collections::HashMap;

fn opts(limit: usize) -> SearchOptions {
    SearchOptions {
        limit,
        prefer: None,
    }
}

fn prefer(limit: usize, scheme: Scheme) -> SearchOptions {
    SearchOptions {
        limit,
        prefer: Some(scheme),
    }
}

/// The generic card for codes the pack does not know, as the data will carry it.
fn unknown_entry() -> CodeEntry {
    let mut e = common::custom("UNKNOWN", "未知返回码", "Unknown code");
    e.scheme = Scheme::Terminal;
    e.keywords = vec![
        "未知".into(),
        "未知代码".into(),
        "unknown code".into(),
        "unknown".into(),
    ];
    e
}

/// The bundled pack (with the unknown-code entry, added if the data does not have it yet) plus `extra`.
fn book_with(extra: Vec<CodeEntry>) -> Codebook {
    let mut entries = common::store().all_codes().unwrap();
    if !entries
        .iter()
        .any(|e| e.scheme == Scheme::Terminal && e.key() == "UNKNOWN")
    {
        entries.push(unknown_entry());
    }
    entries.extend(extra);
    Codebook::new(entries, HashMap::new())
}

fn book() -> Codebook {
    book_with(Vec::new())
}

fn is_unknown(e: &CodeEntry) -> bool {
    e.scheme == Scheme::Terminal && e.key() == "UNKNOWN"
}

fn describe(book: &Codebook, hits: &[Hit]) -> Vec<String> {
    hits.iter()
        .take(6)
        .map(|h| {
            let e = &book.entries()[h.doc];
            format!("{}:{} {:?} {:.0}", e.scheme, e.code, h.kind, h.score)
        })
        .collect()
}

/// (query, scheme, code, must be within the first N results)
const TABLE: &[(&str, Scheme, &str, usize)] = &[
    // Exact codes, any case or format.
    ("51", Scheme::Iso8583, "51", 1),
    ("a0", Scheme::Cups, "A0", 1),
    ("A0", Scheme::Cups, "A0", 1),
    (" 05 ", Scheme::Iso8583, "05", 1),
    ("5", Scheme::Iso8583, "05", 1),
    ("0051", Scheme::Iso8583, "51", 1),
    ("Ａ０", Scheme::Cups, "A0", 1),
    ("A-0", Scheme::Cups, "A0", 1),
    ("userpaying", Scheme::Wechatpay, "USERPAYING", 1),
    ("USERPAYING", Scheme::Wechatpay, "USERPAYING", 1),
    ("SYSTEMERROR", Scheme::Wechatpay, "SYSTEMERROR", 1),
    (
        "acq.trade_has_success",
        Scheme::Alipay,
        "ACQ.TRADE_HAS_SUCCESS",
        1,
    ),
    ("10003", Scheme::Alipay, "10003", 1),
    ("40004", Scheme::Alipay, "40004", 1),
    ("NO COMMUNICATION", Scheme::Terminal, "NO COMMUNICATION", 1),
    ("no communication", Scheme::Terminal, "NO COMMUNICATION", 1),
    ("扫码校验失败", Scheme::Terminal, "扫码校验失败", 1),
    ("6003", Scheme::Terminal, "6003", 1),
    // A label before a number makes another code: it follows the unknown-code card.
    ("E-05", Scheme::Iso8583, "05", 2),
    ("rc 55", Scheme::Iso8583, "55", 2),
    ("E77", Scheme::Iso8583, "77", 3),
    // Code prefixes, as the clerk types.
    ("userp", Scheme::Wechatpay, "USERPAYING", 1),
    ("AUTHCODEEXP", Scheme::Wechatpay, "AUTHCODEEXPIRE", 1),
    (
        "acq.trade_has_s",
        Scheme::Alipay,
        "ACQ.TRADE_HAS_SUCCESS",
        1,
    ),
    ("no comm", Scheme::Terminal, "NO COMMUNICATION", 3),
    // Chinese words of any length.
    ("余额不足", Scheme::Iso8583, "51", 1),
    ("余额", Scheme::Iso8583, "51", 3),
    ("密码错误", Scheme::Iso8583, "55", 2),
    ("密码", Scheme::Iso8583, "55", 5),
    ("过期", Scheme::Iso8583, "54", 5),
    ("重新签到", Scheme::Cups, "A0", 8),
    ("缺纸", Scheme::Terminal, "打印机缺纸", 3),
    ("用户支付中", Scheme::Wechatpay, "USERPAYING", 1),
    ("顾客余额不足", Scheme::Iso8583, "51", 5),
    ("未知返回码", Scheme::Terminal, "UNKNOWN", 1),
    // Pinyin, full and initials, for a clerk without a Chinese input method.
    ("yuebuzu", Scheme::Iso8583, "51", 3),
    ("yebz", Scheme::Iso8583, "51", 3),
    ("mimacuowu", Scheme::Iso8583, "55", 3),
    ("mima", Scheme::Iso8583, "55", 8),
    ("dayinjiquezhi", Scheme::Terminal, "打印机缺纸", 1),
    // English words and typos.
    ("insufficient funds", Scheme::Iso8583, "51", 1),
    ("insuficient", Scheme::Iso8583, "51", 1),
    ("expird", Scheme::Iso8583, "54", 1),
    ("expired card", Scheme::Iso8583, "54", 1),
    ("wrong pin", Scheme::Iso8583, "55", 3),
    ("incorect pin", Scheme::Iso8583, "55", 3),
    ("paper", Scheme::Terminal, "PAPER OUT", 5),
    ("stolen", Scheme::Iso8583, "43", 2),
    ("mac", Scheme::Cups, "A0", 3),
    ("unknown code", Scheme::Terminal, "UNKNOWN", 1),
    // A code mixed with words.
    ("51 余额", Scheme::Iso8583, "51", 1),
    ("A0 签到", Scheme::Cups, "A0", 1),
    ("54 expired", Scheme::Iso8583, "54", 1),
];

#[test]
fn search_quality_table() {
    let book = book();
    let mut failures = Vec::new();
    for &(query, scheme, code, within) in TABLE {
        let hits = book.search_hits(query, &opts(10));
        let pos = hits.iter().position(|h| {
            let e = &book.entries()[h.doc];
            e.scheme == scheme && e.code == code
        });
        if pos.is_none_or(|p| p >= within) {
            failures.push(format!(
                "{query:?}: want {scheme}:{code} within {within}, got position {pos:?}; top {:?}",
                describe(&book, &hits)
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn an_exact_code_comes_before_text_that_mentions_it() {
    let book = book();
    for e in book.search("51", &opts(10)).iter().take(2) {
        assert_eq!(e.code, "51");
    }
    let hits = book.search("97", &opts(10));
    assert_eq!(hits[0].code, "97");
    assert_eq!(hits[1].code, "97", "ISO and CUPS both keep their own 97");
    assert_ne!(hits[0].scheme, hits[1].scheme);
}

/// The kind of the first hit of `scheme:code` for `query`.
fn kind_of(book: &Codebook, query: &str, scheme: Scheme, code: &str) -> Option<MatchKind> {
    book.search_hits(query, &opts(20))
        .into_iter()
        .find(|h| {
            let e = &book.entries()[h.doc];
            e.scheme == scheme && e.code == code
        })
        .map(|h| h.kind)
}

#[test]
fn hits_say_what_kind_of_match_they_are() {
    let book = book();
    let cases: &[(&str, Scheme, &str, MatchKind)] = &[
        ("51", Scheme::Iso8583, "51", MatchKind::Exact),
        ("a-0", Scheme::Cups, "A0", MatchKind::Exact),
        ("Ａ０", Scheme::Cups, "A0", MatchKind::Exact),
        (
            "no communication",
            Scheme::Terminal,
            "NO COMMUNICATION",
            MatchKind::Exact,
        ),
        ("5", Scheme::Iso8583, "05", MatchKind::SameCode),
        ("0051", Scheme::Iso8583, "51", MatchKind::SameCode),
        ("E77", Scheme::Iso8583, "77", MatchKind::OtherCode),
        ("E-05", Scheme::Iso8583, "05", MatchKind::OtherCode),
        ("E5", Scheme::Iso8583, "05", MatchKind::OtherCode),
        ("ERR 51", Scheme::Iso8583, "51", MatchKind::OtherCode),
        ("rc 55", Scheme::Iso8583, "55", MatchKind::OtherCode),
        (
            "userp",
            Scheme::Wechatpay,
            "USERPAYING",
            MatchKind::CodePrefix,
        ),
        ("余额不足", Scheme::Iso8583, "51", MatchKind::Text),
        ("yuebuzu", Scheme::Iso8583, "51", MatchKind::Text),
        ("insufficient", Scheme::Iso8583, "51", MatchKind::Text),
        ("51 余额", Scheme::Iso8583, "51", MatchKind::Exact),
    ];
    let mut failures = Vec::new();
    for &(query, scheme, code, want) in cases {
        let got = kind_of(&book, query, scheme, code);
        if got != Some(want) {
            failures.push(format!(
                "{query:?} → {scheme}:{code}: want {want:?}, got {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_code_nothing_matches_shows_the_unknown_code_card_first() {
    let book = book();
    for q in [
        "E77",
        "X9",
        "ZZ9",
        "1234",
        "zz9",
        "E-1",
        "ZZZ",
        "ACQ.NEW_THING",
        "rc 999",
    ] {
        assert!(
            book.find(q, None, None).is_empty(),
            "{q} must be absent for this test"
        );
        let hits = book.search_hits(q, &opts(10));
        assert_eq!(
            hits.first().map(|h| h.kind),
            Some(MatchKind::Unknown),
            "{q:?}: {:?}",
            describe(&book, &hits)
        );
        assert!(is_unknown(&book.entries()[hits[0].doc]));
        assert!(
            hits[1..]
                .iter()
                .all(|h| h.kind != MatchKind::Unknown && !is_unknown(&book.entries()[h.doc])),
            "{q:?}: the card appears once"
        );
    }
    // E77 never shows ISO 77 as the answer: it follows, labelled as a different code.
    let hits = book.search_hits("E77", &opts(10));
    let iso77 = hits
        .iter()
        .find(|h| {
            let e = &book.entries()[h.doc];
            e.scheme == Scheme::Iso8583 && e.code == "77"
        })
        .expect("ISO 77 is still offered");
    assert_eq!(iso77.kind, MatchKind::OtherCode);
    // The text of the card is found as text, first.
    for q in ["未知返回码", "unknown code", "Unknown code"] {
        let hits = book.search(q, &opts(5));
        assert!(is_unknown(hits[0]), "{q:?}");
    }
}

#[test]
fn known_codes_and_words_do_not_show_the_unknown_code_card_first() {
    let book = book();
    for q in [
        "51",
        "5",
        "05",
        "0051",
        "a0",
        "A-0",
        "userp",
        "acq.trade",
        "余额不足",
        "no communication",
        "card",
        "PIN",
        "TIMEOUT",
        "insuficient",
        "yuebuzu",
    ] {
        let hits = book.search_hits(q, &opts(5));
        assert!(
            hits.first().is_some_and(|h| h.kind != MatchKind::Unknown),
            "{q:?}: {:?}",
            describe(&book, &hits)
        );
    }
}

#[test]
fn zero_padding_is_the_same_code_both_ways() {
    let book = book_with(vec![common::custom(
        "5",
        "我行：自定义五",
        "Our bank: five",
    )]);
    // "05" finds a custom code stored as "5", and "5" finds it exactly.
    let hits = book.search_hits("05", &opts(10));
    let custom5 = hits
        .iter()
        .find(|h| book.entries()[h.doc].scheme == Scheme::Custom)
        .expect("05 finds custom 5");
    assert_eq!(custom5.kind, MatchKind::SameCode);
    assert_eq!(
        kind_of(&book, "5", Scheme::Custom, "5"),
        Some(MatchKind::Exact)
    );
    assert_eq!(
        kind_of(&book, "5", Scheme::Iso8583, "05"),
        Some(MatchKind::SameCode)
    );
    // find: same code only, custom first.
    let found = book.find("05", None, None);
    assert_eq!(found[0].scheme, Scheme::Custom);
    assert!(
        found
            .iter()
            .any(|e| e.scheme == Scheme::Iso8583 && e.code == "05")
    );
    assert!(found.iter().all(|e| e.key().trim_start_matches('0') == "5"));
    assert_eq!(book.find("0051", Some(Scheme::Iso8583), None)[0].code, "51");
    assert_eq!(book.find("５", Some(Scheme::Iso8583), None)[0].code, "05");
}

#[test]
fn find_never_strips_a_label() {
    let book = book();
    assert!(book.find("E1", None, None).is_empty(), "E1 is not 01");
    assert!(book.find("E-05", None, None).is_empty(), "E-05 is not 05");
    assert!(book.find("rc55", None, None).is_empty());
    assert!(!book.find("05", None, None).is_empty());
}

#[test]
fn find_puts_the_preferred_scheme_first_after_custom() {
    let book = book_with(vec![common::custom("91", "我行：系统忙", "Our bank: busy")]);
    let found = book.find("91", None, Some(Scheme::Cups));
    let schemes: Vec<Scheme> = found.iter().map(|e| e.scheme).collect();
    assert_eq!(
        &schemes[..3],
        &[Scheme::Custom, Scheme::Cups, Scheme::Iso8583]
    );
    let found = book.find("91", None, Some(Scheme::Iso8583));
    assert_eq!(found[1].scheme, Scheme::Iso8583);
    let found = book.find("91", Some(Scheme::Cups), Some(Scheme::Iso8583));
    assert!(found.iter().all(|e| e.scheme == Scheme::Cups));
}

#[test]
fn same_code_lists_the_other_schemes() {
    let book = book_with(vec![common::custom(
        "5",
        "我行：自定义五",
        "Our bank: five",
    )]);
    let iso05 = book.find("05", Some(Scheme::Iso8583), None)[0];
    let others = book.same_code(iso05);
    assert!(
        others
            .iter()
            .any(|e| e.scheme == Scheme::Cups && e.code == "05")
    );
    assert!(
        others
            .iter()
            .any(|e| e.scheme == Scheme::Custom && e.code == "5")
    );
    assert!(
        !others
            .iter()
            .any(|e| e.scheme == Scheme::Iso8583 && e.code == "05")
    );
    let a0 = book.find("A0", Some(Scheme::Cups), None)[0];
    assert!(book.same_code(a0).iter().all(|e| e.key() == "A0"));
}

#[test]
fn the_shops_scheme_comes_first_for_a_shared_code() {
    let book = book();
    for code in ["91", "21"] {
        for (pref, want) in [
            (Scheme::Cups, Scheme::Cups),
            (Scheme::Iso8583, Scheme::Iso8583),
            (Scheme::Terminal, Scheme::Terminal),
        ] {
            let hits = book.search(code, &prefer(5, pref));
            if pref == Scheme::Terminal && !hits.iter().any(|e| e.scheme == Scheme::Terminal) {
                continue; // only 21 has a terminal meaning
            }
            assert_eq!(hits[0].scheme, want, "{code} prefer {pref}");
            assert_eq!(hits[0].code, code);
        }
    }
    // For 91 (no terminal meaning) the other scheme's meaning follows right after.
    let hits = book.search("91", &prefer(5, Scheme::Cups));
    assert_eq!(hits[1].code, "91");
    assert_eq!(hits[1].scheme, Scheme::Iso8583);
    // Without a preference: the order as before (ISO, then UnionPay).
    let hits = book.search("91", &opts(5));
    assert_eq!(hits[0].scheme, Scheme::Iso8583);
    assert_eq!(hits[1].scheme, Scheme::Cups);
    // Padded and label-stripped codes follow the preference too.
    let hits = book.search("5", &prefer(5, Scheme::Cups));
    assert_eq!(
        (hits[0].scheme, hits[0].code.as_str()),
        (Scheme::Cups, "05")
    );
    let hits = book.search_hits("E77", &prefer(5, Scheme::Cups));
    assert_eq!(hits[0].kind, MatchKind::Unknown);
    let second = &book.entries()[hits[1].doc];
    assert_eq!((second.scheme, second.code.as_str()), (Scheme::Cups, "77"));
    assert_eq!(hits[1].kind, MatchKind::OtherCode);
}

#[test]
fn the_shops_own_codes_still_lead_with_a_preferred_scheme() {
    let book = book_with(vec![common::custom("91", "我行：系统忙", "Our bank: busy")]);
    let hits = book.search("91", &prefer(5, Scheme::Cups));
    assert_eq!(hits[0].scheme, Scheme::Custom);
    assert_eq!(hits[1].scheme, Scheme::Cups);
}

#[test]
fn a_loose_code_prefix_does_not_outrank_a_title_word() {
    let book = book_with(vec![
        common::custom("CARDX", "我行：拒绝交易", "Our bank: declined"),
        common::custom("PAPERX1", "我行：拒绝交易", "Our bank: declined"),
    ]);
    let pos = |q: &str, scheme: Scheme, code: &str| {
        book.search(q, &opts(500))
            .iter()
            .position(|e| e.scheme == scheme && e.code == code)
    };
    let cardx = pos("card", Scheme::Custom, "CARDX").expect("CARDX is still offered");
    let removed = pos("card", Scheme::Terminal, "CARD REMOVED").expect("CARD REMOVED is found");
    assert!(
        removed < cardx,
        "card: CARD REMOVED {removed} vs CARDX {cardx}"
    );
    assert_ne!(book.search("card", &opts(5))[0].code, "CARDX");
    let paper = pos("paper", Scheme::Terminal, "PAPER OUT").unwrap();
    let paperx = pos("paper", Scheme::Custom, "PAPERX1").unwrap();
    assert!(paper < paperx);
    // A code typed as a code still finds it by its prefix.
    assert_eq!(book.search("cardx", &opts(5))[0].code, "CARDX");
    assert_eq!(book.search("paperx", &opts(5))[0].code, "PAPERX1");
    assert_eq!(book.search("userp", &opts(5))[0].code, "USERPAYING");
    let hits = book.search("acq.trade", &opts(8));
    assert!(
        hits.iter().all(|e| e.code.starts_with("ACQ.TRADE")),
        "{:?}",
        hits.iter().map(|e| &e.code).collect::<Vec<_>>()
    );
}

#[test]
fn pinyin_finds_chinese_titles_and_keywords() {
    let book = book();
    let top =
        |q: &str, n: usize| -> Vec<&CodeEntry> { book.search(q, &opts(n)).into_iter().collect() };
    // Also a syllable (or an initial) at a time, as a clerk without a Chinese input method types it.
    for q in [
        "yuebuzu",
        "yebz",
        "yuebu",
        "yu e bu zu",
        "Yu E Bu Zu",
        "y e b z",
        "yue buzu",
    ] {
        assert!(
            top(q, 3).iter().any(|e| e.code == "51"),
            "{q}: {:?}",
            top(q, 5).iter().map(|e| &e.code).collect::<Vec<_>>()
        );
    }
    // What people say (says_zh) is searched like keywords, pinyin included.
    let has = |e: &CodeEntry, zh: &str| {
        e.title_zh.contains(zh) || e.keywords.iter().chain(&e.says_zh).any(|k| k.contains(zh))
    };
    for (q, zh) in [
        ("mima", "密码"),
        ("chaoshi", "超时"),
        ("qiandao", "签到"),
        ("dayin", "打印"),
    ] {
        let hits = top(q, 5);
        assert!(!hits.is_empty(), "{q}");
        assert!(
            hits.iter().all(|e| has(e, zh)),
            "{q} → {zh}: {:?}",
            hits.iter().map(|e| &e.title_zh).collect::<Vec<_>>()
        );
    }
    // Polyphones: both readings of 行 are indexed (银行 yinhang; 行 as xing in 执行/进行 if present).
    assert!(top("yinhang", 5).iter().all(|e| has(e, "银行")));
}

#[test]
fn english_words_are_not_joined_into_pinyin() {
    let book = book();
    // Real words keep their meaning: "card expired" is not read as pinyin.
    let top: Vec<String> = book
        .search("card expired", &opts(3))
        .into_iter()
        .map(|e| e.code.clone())
        .collect();
    assert!(top.contains(&"54".to_string()), "{top:?}");
    // Letters that start no pinyin reading stay unknown rather than guessing.
    let hits = book.search_hits("qx zv", &opts(3));
    assert!(
        hits.first().is_none_or(|h| h.kind == MatchKind::Unknown),
        "{hits:?}"
    );
}

#[test]
fn short_ascii_words_are_not_read_as_pinyin() {
    let book = book();
    // Two letters are never pinyin, so they only find words that start with them (or, when nothing
    // does, the unknown-code card alone: nothing typed meaningfully gets an empty list).
    for q in ["ye", "bz", "mm"] {
        for e in book.search(q, &opts(50)) {
            if is_unknown(e) {
                continue;
            }
            let text = format!(
                "{} {} {} {} {} {} {}",
                e.code,
                e.title_en,
                e.explain_en,
                e.keywords.join(" "),
                e.causes_en.join(" "),
                e.steps_en.join(" "),
                e.title_zh
            )
            .to_lowercase();
            assert!(
                text.split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|w| w.starts_with(q)),
                "{q} found {}:{} without a word starting with it",
                e.scheme,
                e.code
            );
        }
    }
    // A real English word is meant as English: "pin" finds PIN codes, not 品/拼.
    let hits = book.search("pin", &opts(3));
    assert!(
        hits.iter()
            .all(|e| e.title_en.to_lowercase().contains("pin"))
    );
}

#[test]
fn any_input_is_safe_sorted_and_deterministic() {
    let book = book();
    let long = "余额不足 insufficient ".repeat(500);
    let nasty = [
        "",
        "   ",
        "\"",
        "\"\"\"",
        "*",
        "OR (",
        "E-101 OR (",
        "NEAR(a b)",
        "%",
        "_",
        "'; DROP TABLE codes; --",
        "😀💳",
        "\u{0}",
        "\u{202e}abc",
        "a\nb\tc",
        &long,
        "ﾞ",
        "ß",
        "İ",
        "x",
        "ab",
        "yebzyebzyebz",
        "行行行行行行行行行行",
    ];
    for q in nasty {
        let hits = book.search_hits(q, &opts(20));
        assert!(hits.len() <= 20);
        assert!(
            hits.windows(2).all(|w| w[0].score >= w[1].score),
            "{q:?}: sorted by score"
        );
        assert!(hits.iter().all(|h| h.score > 0.0 && h.doc < book.len()));
        assert_eq!(hits, book.search_hits(q, &opts(20)), "{q:?}: deterministic");
        // A code in the query is still found, whatever else surrounds it.
        let with_code = format!("51 {q}");
        let found = book.search(&with_code, &opts(20));
        assert!(
            found
                .iter()
                .any(|e| e.scheme == Scheme::Iso8583 && e.code == "51"),
            "{with_code:?}"
        );
    }
    assert!(book.search("", &opts(10)).is_empty());
    assert!(book.search("😀💳", &opts(10)).is_empty());
    // Gibberish is no code and no word: the unknown-code card alone, never an empty list.
    let gibberish = book.search_hits("qqqqzzzzxxxx", &opts(10));
    assert_eq!(gibberish.len(), 1);
    assert_eq!(gibberish[0].kind, MatchKind::Unknown);
    assert!(book.search("51", &opts(0)).is_empty());
}

#[test]
fn notes_are_searchable() {
    let mut store = common::store();
    store
        .set_note(Scheme::Iso8583, "05", "our bank hotline 95516")
        .unwrap();
    let book = Codebook::load(&store).unwrap();
    let hits = book.search("95516", &opts(5));
    assert!(
        hits.iter()
            .any(|e| e.scheme == Scheme::Iso8583 && e.code == "05"),
        "a note's words find its code"
    );
    // A number that is a word of the note matched something exactly: no unknown-code card first.
    assert_eq!(hits[0].code, "05");
}

#[test]
fn custom_codes_lead_among_equals() {
    let mut store = common::store();
    store
        .save_custom(
            &common::custom("51", "我行：余额不足", "Our bank: no funds"),
            None,
            false,
        )
        .unwrap();
    let book = Codebook::load(&store).unwrap();
    let hits = book.search("51", &opts(5));
    assert_eq!(hits[0].scheme, Scheme::Custom);
    assert_eq!(hits[0].code, "51");
}
