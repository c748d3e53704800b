//! Regression tests for the code-pack review (defects D1-D19 and the systematic problems): each assertion
//! fails if a reviewed defect comes back.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

use posdesk::packs::codes::Pack;
use posdesk::{Category, CodeEntry, Fixer, Retry, Scheme};

fn pack() -> Pack {
    Pack::bundled().unwrap()
}

fn get<'a>(pack: &'a Pack, scheme: Scheme, code: &str) -> &'a CodeEntry {
    pack.entries
        .iter()
        .find(|e| e.scheme == scheme && e.code == code)
        .unwrap_or_else(|| panic!("{scheme} {code} is missing"))
}

/// Every zh text field of an entry (keywords excluded: they may keep old spellings so searches still hit).
fn zh_fields(e: &CodeEntry) -> Vec<&str> {
    let mut v = vec![e.title_zh.as_str(), e.explain_zh.as_str()];
    v.extend(e.causes_zh.iter().map(String::as_str));
    v.extend(e.steps_zh.iter().map(String::as_str));
    v
}

const RESERVED_ISO: &[u8] = &[
    45, 46, 47, 48, 49, 50, 69, 70, 71, 72, 73, 74, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87,
    88, 89, 97, 98, 99,
];

#[test]
fn pack_version_was_raised() {
    assert!(pack().version >= 2);
}

#[test]
fn d1_terminal_6003_is_a_network_check_first_code() {
    let p = pack();
    let e = get(&p, Scheme::Terminal, "6003");
    assert_eq!(e.retry, Retry::CheckFirst);
    assert_eq!(e.category, Category::Network);
    assert!(e.vendor_specific);
    assert_eq!(e.fixers.first(), Some(&Fixer::Clerk));
    assert!(e.title_zh.contains("网络"), "{}", e.title_zh);
    assert!(e.steps_zh[0].contains("末笔交易"), "{}", e.steps_zh[0]);
    assert!(!e.title_en.to_lowercase().contains("frozen"));
}

#[test]
fn d2_terminal_21_checks_first_and_has_the_ladder() {
    let p = pack();
    let e = get(&p, Scheme::Terminal, "21");
    assert_eq!(e.retry, Retry::CheckFirst);
    assert!(e.vendor_specific);
    assert_eq!(e.fixers.first(), Some(&Fixer::Clerk));
    assert!(e.steps_zh[0].contains("末笔交易"));
    let all = e.steps_en.join(" ").to_lowercase();
    for rung in ["cable", "restart", "network", "update"] {
        assert!(all.contains(rung), "terminal 21 steps lack {rung}");
    }
}

#[test]
fn d3_every_reserved_iso_code_checks_first_with_the_clerk_first() {
    let p = pack();
    for n in RESERVED_ISO {
        let code = format!("{n:02}");
        let e = get(&p, Scheme::Iso8583, &code);
        assert_eq!(e.category, Category::Reserved, "iso {code}");
        assert_eq!(e.retry, Retry::CheckFirst, "iso {code}");
        assert_eq!(e.fixers.first(), Some(&Fixer::Clerk), "iso {code}");
        let s1 = e.steps_en[0].to_lowercase();
        assert!(
            s1.contains("last transaction") && s1.contains("sms"),
            "iso {code} step 1: {s1}"
        );
        assert!(e.steps_zh[0].contains("末笔交易"), "iso {code}");
        // practical meaning first, standards trivia last
        assert!(
            !e.explain_en.starts_with("ISO") && !e.explain_zh.starts_with("ISO"),
            "iso {code} explanation still leads with the standard"
        );
    }
}

#[test]
fn iso_codes_point_to_the_unionpay_meaning_where_it_differs() {
    let p = pack();
    for code in ["21", "45", "77", "97", "98", "99"] {
        let e = get(&p, Scheme::Iso8583, code);
        assert!(e.explain_zh.contains("银联"), "iso {code}");
    }
}

#[test]
fn d4_scan_check_failure_asks_about_payment_before_rescanning() {
    let p = pack();
    let e = get(&p, Scheme::Terminal, "扫码校验失败");
    assert_eq!(e.retry, Retry::CheckFirst);
    assert!(e.steps_zh[0].contains("支付成功") || e.steps_zh[0].contains("订单"));
    assert!(
        !e.steps_zh[0].contains("刷新"),
        "step 1 must not be 'refresh and rescan'"
    );
}

#[test]
fn d5_transaction_cancelled_is_not_retry_now() {
    let p = pack();
    let e = get(&p, Scheme::Terminal, "TRANSACTION CANCELLED");
    assert_eq!(e.retry, Retry::CheckFirst);
    assert!(e.steps_zh[0].contains("处理中") && e.steps_zh[0].contains("正在联机"));
}

#[test]
fn d6_vendor_codes_1001_to_1006_exist_with_the_right_classes() {
    let p = pack();
    for (code, retry) in [
        ("1001", Retry::AfterFix),
        ("1002", Retry::AfterFix),
        ("1003", Retry::AfterFix),
        ("1004", Retry::CheckFirst),
        ("1005", Retry::CheckFirst),
        ("1006", Retry::CheckFirst),
    ] {
        let e = get(&p, Scheme::Terminal, code);
        assert!(e.vendor_specific, "terminal {code}");
        assert_eq!(e.retry, retry, "terminal {code}");
        assert!(e.explain_en.contains("not a standard"), "terminal {code}");
    }
    assert_eq!(get(&p, Scheme::Terminal, "1001").category, Category::Funds);
    for code in ["1005", "1006"] {
        assert_eq!(get(&p, Scheme::Terminal, code).category, Category::Network);
    }
}

#[test]
fn d7_generic_unknown_code_entry_is_as_specified() {
    let p = pack();
    let e = get(&p, Scheme::Terminal, "UNKNOWN");
    assert_eq!(e.title_zh, "未知返回码");
    assert_eq!(e.title_en, "Unknown code");
    assert_eq!(e.retry, Retry::CheckFirst);
    assert!(matches!(e.category, Category::Reserved | Category::Network));
    assert_eq!(e.fixers, vec![Fixer::Clerk, Fixer::Provider]);
    for kw in [
        "未知",
        "未知返回码",
        "来知返回码",
        "未知代码",
        "不认识的代码",
        "没见过的代码",
        "unknown code",
        "unknown error",
        "unrecognised code",
        "unrecognized code",
    ] {
        assert!(e.keywords.iter().any(|k| k == kw), "keyword {kw}");
    }
    assert_eq!(e.steps_en.len(), 4);
    assert!(e.steps_zh[0].contains("末笔交易") && e.steps_zh[0].contains("不要再收"));
    assert!(e.steps_zh[1].contains("文字"));
    let ladder = e.steps_en[2].to_lowercase();
    for rung in ["cable", "restart", "network", "update", "provider"] {
        assert!(ladder.contains(rung), "unknown-code ladder lacks {rung}");
    }
    assert!(e.steps_zh[3].contains("备注"));
}

#[test]
fn d8_unionpay_titles_lead_with_the_meaning() {
    let p = pack();
    for e in p.entries.iter().filter(|e| e.scheme == Scheme::Cups) {
        if e.retry == Retry::CheckFirst {
            let head = e.title_zh.split('（').next().unwrap();
            assert!(!head.contains("请重试"), "cups {}: {}", e.code, e.title_zh);
            assert!(!e.title_zh.starts_with("请重试"), "cups {}", e.code);
        }
    }
    assert_eq!(
        get(&p, Scheme::Cups, "68").title_zh,
        "发卡行应答超时（终端显示：交易超时，请重试）"
    );
    assert_ne!(
        get(&p, Scheme::Cups, "02").title_zh,
        get(&p, Scheme::Cups, "06").title_zh
    );
    // the old screen text stays searchable
    assert!(
        get(&p, Scheme::Cups, "68")
            .keywords
            .iter()
            .any(|k| k == "交易超时，请重试")
    );
}

#[test]
fn d9_partial_approvals_are_not_plain_approvals() {
    let p = pack();
    for scheme in [Scheme::Iso8583, Scheme::Cups] {
        let e = get(&p, scheme, "10");
        assert_eq!(e.category, Category::Partial, "{scheme} 10");
        assert!(e.title_zh.contains("差额"), "{scheme} 10");
        assert!(
            e.steps_zh
                .iter()
                .any(|s| s.contains("不要在这张卡上重刷全额"))
        );
    }
    let iso = get(&p, Scheme::Iso8583, "10");
    assert_eq!(iso.title_en, "Partly approved: collect the rest");
    assert_eq!(iso.title_zh, "部分金额批准，请收取差额");
}

#[test]
fn d10_generic_declines_use_the_declined_category_and_do_not_invite_retry() {
    let p = pack();
    for scheme in [Scheme::Iso8583, Scheme::Cups] {
        let e = get(&p, scheme, "05");
        assert_eq!(e.category, Category::Declined, "{scheme} 05");
        assert_eq!(e.retry, Retry::Never, "{scheme} 05");
    }
    assert!(get(&p, Scheme::Cups, "05").steps_zh[0].contains("换卡"));
}

#[test]
fn d11_iso_and_unionpay_agree_where_the_meaning_is_the_same() {
    let p = pack();
    for code in [
        "05", "06", "20", "22", "30", "40", "54", "60", "63", "66", "75", "91", "92",
    ] {
        assert_eq!(
            get(&p, Scheme::Iso8583, code).retry,
            get(&p, Scheme::Cups, code).retry,
            "iso and cups {code} disagree on retry"
        );
    }
    assert_eq!(get(&p, Scheme::Cups, "91").retry, Retry::CheckFirst);
    assert_eq!(get(&p, Scheme::Cups, "54").retry, Retry::Never);
    assert_eq!(get(&p, Scheme::Cups, "75").retry, Retry::Never);
    assert!(
        !get(&p, Scheme::Cups, "91")
            .explain_en
            .contains("No money was taken")
    );
}

#[test]
fn d13_unionpay_21_and_59_mention_the_older_table() {
    let p = pack();
    assert!(
        get(&p, Scheme::Cups, "21")
            .explain_zh
            .contains("不能采取行动")
    );
    assert!(
        get(&p, Scheme::Cups, "59")
            .explain_zh
            .contains("有作弊嫌疑")
    );
}

#[test]
fn d14_no_communication_covers_the_till_link() {
    let p = pack();
    let e = get(&p, Scheme::Terminal, "NO COMMUNICATION");
    assert!(e.causes_zh.iter().any(|c| c.contains("收银机")));
    let till = e.steps_en.iter().position(|s| s.contains("till")).unwrap();
    let net = e
        .steps_en
        .iter()
        .position(|s| s.contains("check the network"))
        .unwrap();
    assert!(till < net);
}

#[test]
fn d15_invalid_card_lists_the_provider_and_checks_expiry_first() {
    let p = pack();
    let e = get(&p, Scheme::Terminal, "INVALID CARD");
    assert!(e.fixers.contains(&Fixer::Provider) && e.fixers.contains(&Fixer::Clerk));
    assert!(e.steps_zh[0].contains("有效期"));
}

#[test]
fn d16_check_first_entries_whose_first_step_is_a_check_start_with_the_clerk() {
    let p = pack();
    for e in &p.entries {
        if e.retry != Retry::CheckFirst {
            continue;
        }
        let s1 = e.steps_en[0].to_lowercase();
        if s1.contains("last transaction") || s1.contains("check the order") {
            assert_eq!(
                e.fixers.first(),
                Some(&Fixer::Clerk),
                "{} {}",
                e.scheme,
                e.code
            );
        }
    }
}

#[test]
fn d18_every_pick_up_code_has_the_shop_policy_condition() {
    let p = pack();
    let e = get(&p, Scheme::Iso8583, "67");
    assert!(e.steps_en.iter().any(|s| s.contains("shop's policy")));
}

#[test]
fn d19_inferred_wechat_code_is_marked() {
    let p = pack();
    assert!(get(&p, Scheme::Wechatpay, "PAYER_ACCOUNT_ABNORMAL").vendor_specific);
}

#[test]
fn chinese_terms_are_consistent() {
    let p = pack();
    for e in &p.entries {
        for t in zh_fields(e) {
            assert!(!t.contains("客户"), "{} {}: {t}", e.scheme, e.code);
            assert!(
                !t.contains("最后一笔") && !t.contains("上一笔"),
                "{} {}: {t}",
                e.scheme,
                e.code
            );
            assert!(!t.contains("POS机"), "{} {}: {t}", e.scheme, e.code);
            assert!(!t.contains("签购单"), "{} {}: {t}", e.scheme, e.code);
        }
        for t in [&e.explain_en]
            .into_iter()
            .chain(&e.steps_en)
            .chain(&e.causes_en)
        {
            assert!(!t.contains(" slip"), "{} {}: {t}", e.scheme, e.code);
            assert!(!t.contains("back office"), "{} {}: {t}", e.scheme, e.code);
        }
    }
}

#[test]
fn near_duplicate_terminal_messages_have_distinct_titles() {
    let p = pack();
    let groups: &[&[&str]] = &[
        &[
            "CALL BANK",
            "CALL ISSUER",
            "REFER TO ISSUER",
            "请联系发卡行",
        ],
        &["PAPER OUT", "OUT OF PAPER", "打印机缺纸"],
        &["TAMPER", "TAMPERED", "终端被攻击"],
        &["PLEASE SIGN IN", "LOGON REQUIRED", "请重新签到"],
        &["KEY ERROR", "密钥错误"],
        &["CONNECTION TIMEOUT", "连接超时"],
        &["TIMEOUT", "交易超时"],
        &["INSERT CARD", "请插卡"],
    ];
    for group in groups {
        let entries: Vec<_> = group.iter().map(|c| get(&p, Scheme::Terminal, c)).collect();
        for (i, a) in entries.iter().enumerate() {
            assert_eq!(
                a.retry, entries[0].retry,
                "{} vs {}",
                a.code, entries[0].code
            );
            assert_eq!(a.category, entries[0].category, "{}", a.code);
            for b in &entries[i + 1..] {
                assert_ne!(a.title_zh, b.title_zh, "{} / {}", a.code, b.code);
                assert_ne!(a.title_en, b.title_en, "{} / {}", a.code, b.code);
            }
        }
    }
}

#[test]
fn unionpay_filler_steps_are_gone() {
    let p = pack();
    for code in ["39", "42", "44", "53", "56"] {
        let e = get(&p, Scheme::Cups, code);
        assert!(
            !e.steps_zh.iter().any(|s| s.contains("重新读卡再试一次")),
            "cups {code}"
        );
    }
}

#[test]
fn wallet_order_states_exist() {
    let p = pack();
    for code in [
        "NOTPAY",
        "PAYERROR",
        "REVOKED",
        "SUCCESS",
        "CLOSED",
        "REFUND",
        "USERPAYING",
    ] {
        get(&p, Scheme::Wechatpay, code);
    }
    let ok = get(&p, Scheme::Wechatpay, "SUCCESS");
    assert_eq!(ok.category, Category::Approved);
    assert_eq!(ok.retry, Retry::Never);
    assert_eq!(
        get(&p, Scheme::Wechatpay, "NOTPAY").retry,
        Retry::CheckFirst
    );
    for code in [
        "TRADE_SUCCESS",
        "TRADE_FINISHED",
        "TRADE_CLOSED",
        "WAIT_BUYER_PAY",
    ] {
        get(&p, Scheme::Alipay, code);
    }
    assert_eq!(
        get(&p, Scheme::Alipay, "TRADE_FINISHED").retry,
        Retry::Never
    );
    assert_eq!(
        get(&p, Scheme::Alipay, "WAIT_BUYER_PAY").retry,
        Retry::CheckFirst
    );
}

#[test]
fn frozen_terminal_and_scanner_fault_entries_exist() {
    let p = pack();
    let frozen = get(&p, Scheme::Terminal, "死机");
    assert_eq!(frozen.category, Category::Hardware);
    assert_eq!(frozen.retry, Retry::CheckFirst);
    assert!(frozen.keywords.iter().any(|k| k == "无法开机"));
    assert!(frozen.keywords.iter().any(|k| k == "黑屏"));
    let scanner = p
        .entries
        .iter()
        .find(|e| e.scheme == Scheme::Terminal && e.keywords.iter().any(|k| k == "扫码枪"))
        .expect("a scanner hardware entry");
    assert_eq!(scanner.category, Category::Hardware);
}

#[test]
fn persistent_network_and_hardware_failures_mention_a_software_update() {
    let p = pack();
    for code in [
        "NO COMMUNICATION",
        "通讯失败",
        "HOST UNREACHABLE",
        "网络异常",
        "6003",
        "死机",
        "PRINTER ERROR",
        "CARD READ ERROR",
    ] {
        let e = get(&p, Scheme::Terminal, code);
        assert!(
            e.steps_en.iter().any(|s| s.contains("update")),
            "terminal {code}"
        );
        assert!(
            e.steps_zh.iter().any(|s| s.contains("升级")),
            "terminal {code}"
        );
    }
}

#[test]
fn approved_entries_do_not_say_the_cause_is_the_bank_approving() {
    let p = pack();
    for e in p
        .entries
        .iter()
        .filter(|e| e.category == Category::Approved)
    {
        assert!(!e.causes_en.is_empty() && !e.steps_en.is_empty());
        assert_eq!(
            e.fixers.first(),
            Some(&Fixer::Clerk),
            "{} {}",
            e.scheme,
            e.code
        );
    }
}
