//! The bundled code pack: complete, well-formed and covering what clerks meet.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

use posdesk::packs::codes::{PACK_FILES, Pack};
use posdesk::{Category, Retry, Scheme};
use std::collections::HashSet;

#[test]
fn every_pack_file_in_data_is_compiled_in() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/codes");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml") && n != "pack.toml")
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = PACK_FILES.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

#[test]
fn the_pack_parses_and_is_large_enough() {
    let pack = Pack::bundled().unwrap();
    assert!(pack.version >= 1);
    assert!(pack.entries.len() >= 250, "{} entries", pack.entries.len());
    for scheme in [
        Scheme::Iso8583,
        Scheme::Cups,
        Scheme::Terminal,
        Scheme::Wechatpay,
        Scheme::Alipay,
    ] {
        let n = pack.entries.iter().filter(|e| e.scheme == scheme).count();
        assert!(n >= 20, "{scheme}: only {n} entries");
    }
}

#[test]
fn iso8583_has_every_code_from_00_to_99() {
    let pack = Pack::bundled().unwrap();
    let iso: HashSet<&str> = pack
        .entries
        .iter()
        .filter(|e| e.scheme == Scheme::Iso8583)
        .map(|e| e.code.as_str())
        .collect();
    for n in 0..100 {
        assert!(iso.contains(format!("{n:02}").as_str()), "missing {n:02}");
    }
    assert_eq!(iso.len(), 100);
}

#[test]
fn codes_clerks_ask_about_are_present() {
    let pack = Pack::bundled().unwrap();
    let has = |scheme: Scheme, code: &str| {
        pack.entries
            .iter()
            .any(|e| e.scheme == scheme && e.code == code)
    };
    for code in [
        "00", "05", "14", "21", "22", "51", "54", "55", "94", "96", "97", "98", "99", "A0",
    ] {
        assert!(has(Scheme::Cups, code), "cups {code}");
    }
    for code in [
        "USERPAYING",
        "SYSTEMERROR",
        "BANKERROR",
        "ORDERPAID",
        "NOTENOUGH",
        "AUTHCODEEXPIRE",
        "AUTH_CODE_INVALID",
    ] {
        assert!(has(Scheme::Wechatpay, code), "wechatpay {code}");
    }
    for code in [
        "10000",
        "10003",
        "20000",
        "40004",
        "ACQ.TRADE_HAS_SUCCESS",
        "ACQ.SYSTEM_ERROR",
    ] {
        assert!(has(Scheme::Alipay, code), "alipay {code}");
    }
    for code in ["NO COMMUNICATION", "扫码校验失败", "21", "6003"] {
        assert!(has(Scheme::Terminal, code), "terminal {code}");
    }
}

#[test]
fn result_unknown_codes_say_check_first() {
    let pack = Pack::bundled().unwrap();
    for (scheme, code) in [
        (Scheme::Wechatpay, "USERPAYING"),
        (Scheme::Wechatpay, "SYSTEMERROR"),
        (Scheme::Wechatpay, "BANKERROR"),
        (Scheme::Alipay, "10003"),
        (Scheme::Alipay, "20000"),
        (Scheme::Alipay, "ACQ.SYSTEM_ERROR"),
        (Scheme::Iso8583, "68"),
        (Scheme::Iso8583, "91"),
        (Scheme::Iso8583, "96"),
    ] {
        let e = pack
            .entries
            .iter()
            .find(|e| e.scheme == scheme && e.code == code)
            .unwrap();
        assert_eq!(e.retry, Retry::CheckFirst, "{scheme} {code}");
    }
}

#[test]
fn schemes_keep_their_own_meanings_and_vendor_codes_are_marked() {
    let pack = Pack::bundled().unwrap();
    let get = |scheme: Scheme, code: &str| {
        pack.entries
            .iter()
            .find(|e| e.scheme == scheme && e.code == code)
            .unwrap()
    };
    assert_ne!(
        get(Scheme::Iso8583, "97").title_en,
        get(Scheme::Cups, "97").title_en
    );
    assert_ne!(
        get(Scheme::Iso8583, "05").title_en,
        get(Scheme::Cups, "05").title_en
    );
    assert!(get(Scheme::Terminal, "6003").vendor_specific);
    assert!(get(Scheme::Terminal, "21").vendor_specific);
    assert_eq!(get(Scheme::Iso8583, "99").category, Category::Reserved);
    let a0 = get(Scheme::Cups, "A0");
    assert!(
        a0.title_en.to_lowercase().contains("mac"),
        "{}",
        a0.title_en
    );
    assert!(a0.steps_zh.iter().any(|s| s.contains("签到")));
}

#[test]
fn text_uses_only_characters_the_bundled_font_has() {
    // The GUI ships a subset font; text outside it would render as boxes on a till with no CJK font.
    let font = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/fonts/PosdeskSans-CJK.otf"
    ))
    .unwrap();
    let face = ttf_parser::Face::parse(&font, 0).unwrap();
    let pack = Pack::bundled().unwrap();
    for e in &pack.entries {
        let texts = [&e.title_zh, &e.explain_zh]
            .into_iter()
            .chain(&e.steps_zh)
            .chain(&e.causes_zh)
            .chain(&e.keywords);
        for text in texts {
            for c in text.chars().filter(|c| !c.is_ascii()) {
                assert!(
                    face.glyph_index(c).is_some(),
                    "{} {}: character {c:?} (U+{:04X}) is not in the bundled font; \
                     rerun assets/fonts/make_subset.py",
                    e.scheme,
                    e.code,
                    c as u32
                );
            }
        }
    }
}
