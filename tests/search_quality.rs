//! Search quality: what a clerk types → what must come first (or near the top).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

mod common;

use posdesk::{Codebook, Scheme};

fn book() -> Codebook {
    Codebook::load(&common::store()).unwrap()
}

/// (query, scheme, code, must be within the first N results)
const TABLE: &[(&str, Scheme, &str, usize)] = &[
    // Exact codes, any case or format.
    ("51", Scheme::Iso8583, "51", 1),
    ("a0", Scheme::Cups, "A0", 1),
    ("A0", Scheme::Cups, "A0", 1),
    (" 05 ", Scheme::Iso8583, "05", 1),
    ("E-05", Scheme::Iso8583, "05", 1),
    ("rc 55", Scheme::Iso8583, "55", 1),
    ("5", Scheme::Iso8583, "05", 1),
    ("Ａ０", Scheme::Cups, "A0", 1),
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
        let hits = book.search(query, 10);
        let pos = hits
            .iter()
            .position(|e| e.scheme == scheme && e.code == code);
        if pos.is_none_or(|p| p >= within) {
            let top: Vec<String> = hits
                .iter()
                .take(5)
                .map(|e| format!("{}:{}", e.scheme, e.code))
                .collect();
            failures.push(format!(
                "{query:?}: want {scheme}:{code} within {within}, got position {pos:?}; top {top:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn an_exact_code_comes_before_text_that_mentions_it() {
    let book = book();
    for e in book.search("51", 10).iter().take(2) {
        assert_eq!(e.code, "51");
    }
    let hits = book.search("97", 10);
    assert_eq!(hits[0].code, "97");
    assert_eq!(hits[1].code, "97", "ISO and CUPS both keep their own 97");
    assert_ne!(hits[0].scheme, hits[1].scheme);
}

#[test]
fn any_input_is_safe() {
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
    ];
    for q in nasty {
        let hits = book.search(q, 20);
        assert!(hits.len() <= 20);
    }
    assert!(book.search("", 10).is_empty());
    assert!(book.search("😀💳", 10).is_empty());
    assert!(book.search("qqqqzzzzxxxx", 10).is_empty());
}

#[test]
fn notes_are_searchable() {
    let mut store = common::store();
    store
        .set_note(Scheme::Iso8583, "05", "our bank hotline 95516")
        .unwrap();
    let book = Codebook::load(&store).unwrap();
    let hits = book.search("95516", 5);
    assert!(
        hits.iter()
            .any(|e| e.scheme == Scheme::Iso8583 && e.code == "05"),
        "a note's words find its code"
    );
}

#[test]
fn custom_codes_lead_among_equals() {
    let mut store = common::store();
    store
        .save_custom(
            &common::custom("51", "我行：余额不足", "Our bank: no funds"),
            None,
        )
        .unwrap();
    let book = Codebook::load(&store).unwrap();
    let hits = book.search("51", 5);
    assert_eq!(hits[0].scheme, Scheme::Custom);
    assert_eq!(hits[0].code, "51");
}
