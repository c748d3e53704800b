//! Issue 14's checks, run exactly as a script runs them: situation cards, whole sentences in both
//! languages, and a banner that follows the next action.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

#[path = "support/cli.rs"]
mod cli;
use cli::posdesk;
use serde_json::Value;
use std::path::Path;

fn json(dir: &Path, args: &[&str]) -> Value {
    let out = posdesk(dir, args);
    assert!(out.status.success(), "{args:?}: {out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn hits(dir: &Path, args: &[&str]) -> Vec<Value> {
    json(dir, args).as_array().unwrap().clone()
}

fn codes(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn clerks_words_find_the_funds_code() {
    let dir = tempfile::tempdir().unwrap();
    let top = hits(
        dir.path(),
        &["search", "卡里没钱了", "--json", "--limit", "3"],
    );
    assert!(codes(&top).contains(&"51".to_string()), "{:?}", codes(&top));
    // Traditional characters (Hong Kong, Taiwan, Macau terminals) are folded before matching.
    let top = hits(dir.path(), &["search", "餘額不足", "--json"]);
    assert_eq!(top[0]["code"], "51");
    let top = hits(
        dir.path(),
        &["search", "密碼錯誤", "--json", "--limit", "3"],
    );
    assert!(codes(&top).iter().any(|c| c == "55"), "{:?}", codes(&top));
    // Full-width letters as a Chinese input method types them.
    let top = hits(dir.path(), &["search", "ＵＳＥＲＰＡＹＩＮＧ", "--json"]);
    assert_eq!(top[0]["code"], "USERPAYING");
}

#[test]
fn debited_but_failed_is_found_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    for q in [
        "单边账",
        "customer charged but terminal says failed",
        "顾客说扣钱了但没成功",
    ] {
        let top = hits(dir.path(), &["search", q, "--json", "--limit", "3"]);
        let found = top
            .iter()
            .find(|h| h["code"] == "DEBITED_BUT_FAILED")
            .unwrap_or_else(|| panic!("{q}: {:?}", codes(&top)));
        assert_eq!(found["scheme"], "situation");
        assert_eq!(found["category"], "situation");
        assert!(!found["source"].as_str().unwrap().is_empty());
        assert!(found["says_zh"].as_array().is_some_and(|a| !a.is_empty()));
    }
}

#[test]
fn charged_twice_is_not_answered_by_approved() {
    let dir = tempfile::tempdir().unwrap();
    let top = hits(
        dir.path(),
        &["search", "charged twice", "--json", "--limit", "3"],
    );
    assert!(
        !codes(&top).contains(&"00".to_string()),
        "{:?}",
        codes(&top)
    );
    assert!(codes(&top).contains(&"CHARGED_TWICE".to_string()));
}

#[test]
fn a_meaningful_query_never_gets_an_empty_list() {
    let dir = tempfile::tempdir().unwrap();
    let top = hits(dir.path(), &["search", "顾客说扣钱了但没成功", "--json"]);
    assert!(!top.is_empty());
    // Words nothing holds: the unknown-code card leads, whatever shares a word is marked a guess.
    for q in [
        "钓鱼竿",
        "qqzzxx",
        "机器冒烟了怎么办",
        "the thing beeps thrice",
    ] {
        let top = hits(dir.path(), &["search", q, "--json"]);
        assert!(!top.is_empty(), "{q}");
        assert_eq!(top[0]["code"], "UNKNOWN", "{q}: {:?}", codes(&top));
        assert_eq!(top[0]["match"], "unknown", "{q}");
        assert!(
            top[1..].iter().all(|h| h["match"] == "guess"),
            "{q}: {top:?}"
        );
    }
    // The text output says so too, and never "No code matches".
    let out = posdesk(dir.path(), &["search", "机器冒烟了怎么办"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("No code matches"), "{text}");
}

#[test]
fn quick_fixes_and_refunds_do_not_send_the_customer_away() {
    let dir = tempfile::tempdir().unwrap();
    let e = json(dir.path(), &["show", "AUTHCODEEXPIRE", "--json"]);
    assert_ne!(e["advice"], "declined");
    assert_eq!(e["advice"], "quick_fix");
    let e = json(dir.path(), &["show", "TRADE_OVERDUE", "--json"]);
    let en = e["advice_en"].as_str().unwrap().to_lowercase();
    assert!(!en.contains("pay") && !en.contains("another way"), "{en}");
    assert_eq!(e["advice"], "merchant_side");
    assert!(!e["advice_zh"].as_str().unwrap().contains("付款"));
}

#[test]
fn the_shops_scheme_leads_and_its_own_code_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let top = hits(dir.path(), &["search", "45", "--prefer", "cups", "--json"]);
    assert_eq!(top[0]["scheme"], "cups");
    assert_eq!(top[0]["code"], "45");
    assert_ne!(top[0]["advice"], "check_first");
    assert_eq!(top[0]["advice_from"], "preferred");
    // With no choice made, the stricter advice still wins.
    let e = json(dir.path(), &["show", "45", "--scheme", "cups", "--json"]);
    assert_eq!(e["advice"], "check_first");
    assert_eq!(e["advice_from"], "stricter");
    // A shop's own 45 marked "retry now" sets the banner of the bundled 45s, and says so.
    let file = dir.path().join("mine.csv");
    std::fs::write(
        &file,
        "code,title_en,retry,category\n45,Our acquirer: retry once,now,transaction\n",
    )
    .unwrap();
    let out = posdesk(dir.path(), &["codes", "import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    for scheme in ["cups", "iso8583"] {
        let e = json(dir.path(), &["show", "45", "--scheme", scheme, "--json"]);
        assert_eq!(e["advice"], "retry_now", "{scheme}");
        assert_eq!(e["advice_from"], "custom", "{scheme}");
    }
    let out = posdesk(dir.path(), &["show", "45", "--scheme", "iso8583"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("set by your own code"), "{text}");
}

#[test]
fn situation_cards_show_what_people_say_and_their_source() {
    let dir = tempfile::tempdir().unwrap();
    let out = posdesk(dir.path(), &["show", "QUERY_LAST_TXN"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("情况 / Situation"), "{text}");
    assert!(text.contains("Source:"), "{text}");
    let e = json(dir.path(), &["show", "DEBITED_BUT_FAILED", "--json"]);
    assert_eq!(e["advice"], "check_first");
    assert!(
        e["steps_en"][0]
            .as_str()
            .unwrap()
            .contains("last transaction")
    );
}

#[test]
fn the_shops_own_codes_carry_what_people_say_through_import_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.csv");
    std::fs::write(
        &file,
        "code,title_en,title_zh,says_zh,says_en,source\n\
         Q-7,Acquirer busy,收单机构繁忙,机器转圈圈|一直转,spinning forever,Our acquirer's list 2026\n",
    )
    .unwrap();
    let out = posdesk(dir.path(), &["codes", "import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let top = hits(
        dir.path(),
        &["search", "机器一直转圈圈", "--json", "--limit", "3"],
    );
    assert_eq!(top[0]["code"], "Q-7", "{:?}", codes(&top));
    let top = hits(
        dir.path(),
        &["search", "spinning forever", "--json", "--limit", "3"],
    );
    assert_eq!(top[0]["code"], "Q-7", "{:?}", codes(&top));
    let e = json(dir.path(), &["show", "Q-7", "--json"]);
    assert_eq!(e["source"], "Our acquirer's list 2026");
    let back = dir.path().join("back.json");
    let out = posdesk(dir.path(), &["codes", "export", back.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let exported: Value = serde_json::from_str(&std::fs::read_to_string(&back).unwrap()).unwrap();
    assert_eq!(exported[0]["says_zh"][1], "一直转");
    assert_eq!(exported[0]["says_en"][0], "spinning forever");
}

#[test]
fn a_file_from_before_situations_upgrades_keeping_the_shops_codes() {
    use posdesk::{Scheme, Store};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(posdesk::store::DB_FILE);
    {
        // A schema-4 file as the previous posdesk left it: the old migrations, an old pack, one own code.
        let conn = rusqlite::Connection::open(&db).unwrap();
        let migrations =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/core/src/store/migrations");
        for name in [
            "001_codes.sql",
            "002_maintenance.sql",
            "003_journal.sql",
            "004_application_id.sql",
        ] {
            conn.execute_batch(&std::fs::read_to_string(migrations.join(name)).unwrap())
                .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO codes (scheme, code, code_key, title_zh, title_en, explain_zh, explain_en, \
             causes_zh, causes_en, steps_zh, steps_en, fixers, retry, category, vendor_specific, \
             keywords, updated_at) VALUES ('custom', 'Q-1', 'Q1', '我的', 'Mine', '', '', '[]', '[]', \
             '[]', '[]', '[\"provider\"]', 'now', 'transaction', 0, '[]', '2026-01-01T00:00:00Z'); \
             INSERT INTO codes (scheme, code, code_key, title_zh, title_en, explain_zh, explain_en, \
             causes_zh, causes_en, steps_zh, steps_en, fixers, retry, category, vendor_specific, \
             keywords, updated_at) VALUES ('iso8583', '51', '51', '旧', 'Old', '', '', '[]', '[]', \
             '[]', '[]', '[\"issuer\"]', 'after_fix', 'funds', 0, '[]', '2026-01-01T00:00:00Z'); \
             INSERT INTO meta (key, value) VALUES ('pack_version', '2'); \
             PRAGMA user_version = 4;",
        )
        .unwrap();
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        posdesk::store::SCHEMA_VERSION
    );
    let codes = store.all_codes().unwrap();
    let mine: Vec<_> = codes
        .iter()
        .filter(|e| e.scheme == Scheme::Custom)
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].code, "Q-1");
    assert!(
        codes
            .iter()
            .any(|e| e.scheme == Scheme::Situation && e.code == "QUERY_LAST_TXN")
    );
    let iso51 = codes
        .iter()
        .find(|e| e.scheme == Scheme::Iso8583 && e.code == "51")
        .unwrap();
    assert_ne!(iso51.title_en, "Old", "the bundled pack was reloaded");
    assert!(!iso51.says_zh.is_empty());
}
