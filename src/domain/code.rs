//! A response code and the words that describe it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a code comes from. Each scheme keeps its own meaning for a code (05 is not the same in ISO and
/// UnionPay), so a code is only identified by scheme and code together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    Iso8583,
    Cups,
    Terminal,
    Wechatpay,
    Alipay,
    Custom,
}

impl Scheme {
    pub const ALL: [Scheme; 6] = [
        Scheme::Iso8583,
        Scheme::Cups,
        Scheme::Terminal,
        Scheme::Wechatpay,
        Scheme::Alipay,
        Scheme::Custom,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Scheme::Iso8583 => "iso8583",
            Scheme::Cups => "cups",
            Scheme::Terminal => "terminal",
            Scheme::Wechatpay => "wechatpay",
            Scheme::Alipay => "alipay",
            Scheme::Custom => "custom",
        }
    }

    pub fn from_id(id: &str) -> Option<Scheme> {
        let id = id.trim().to_ascii_lowercase();
        Scheme::ALL.into_iter().find(|s| s.id() == id)
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Scheme::Iso8583 => "ISO 8583",
            Scheme::Cups => "UnionPay",
            Scheme::Terminal => "Terminal message",
            Scheme::Wechatpay => "WeChat Pay",
            Scheme::Alipay => "Alipay",
            Scheme::Custom => "My codes",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Scheme::Iso8583 => "ISO 8583",
            Scheme::Cups => "银联",
            Scheme::Terminal => "终端提示",
            Scheme::Wechatpay => "微信支付",
            Scheme::Alipay => "支付宝",
            Scheme::Custom => "我的代码",
        }
    }

    /// Bundled schemes are read-only; only `custom` belongs to the user.
    pub fn is_bundled(self) -> bool {
        self != Scheme::Custom
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// What a clerk should do about trying the payment again. This is the first thing they need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Retry {
    /// A momentary glitch: trying again is likely to work.
    Now,
    /// Try again only after the fix (another card, terminal signed in, network back).
    AfterFix,
    /// Do not try this card or payment again; use another payment method.
    Never,
    /// The customer may already have been charged: check the transaction before trying again.
    CheckFirst,
}

impl Retry {
    pub const ALL: [Retry; 4] = [Retry::Now, Retry::AfterFix, Retry::Never, Retry::CheckFirst];

    pub fn id(self) -> &'static str {
        match self {
            Retry::Now => "now",
            Retry::AfterFix => "after_fix",
            Retry::Never => "never",
            Retry::CheckFirst => "check_first",
        }
    }

    pub fn from_id(id: &str) -> Option<Retry> {
        Retry::ALL.into_iter().find(|r| r.id() == id.trim())
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Retry::Now => "Safe to retry now",
            Retry::AfterFix => "Retry only after the fix",
            Retry::Never => "Do not retry",
            Retry::CheckFirst => "Check first: the customer may already have paid",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Retry::Now => "可以直接重试",
            Retry::AfterFix => "处理好后再重试",
            Retry::Never => "不要重试",
            Retry::CheckFirst => "先查询：顾客可能已经付款",
        }
    }
}

/// Who can act on the failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fixer {
    Clerk,
    Merchant,
    Provider,
    Cardholder,
    Issuer,
}

impl Fixer {
    pub const ALL: [Fixer; 5] = [
        Fixer::Clerk,
        Fixer::Merchant,
        Fixer::Provider,
        Fixer::Cardholder,
        Fixer::Issuer,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Fixer::Clerk => "clerk",
            Fixer::Merchant => "merchant",
            Fixer::Provider => "provider",
            Fixer::Cardholder => "cardholder",
            Fixer::Issuer => "issuer",
        }
    }

    pub fn from_id(id: &str) -> Option<Fixer> {
        Fixer::ALL.into_iter().find(|f| f.id() == id.trim())
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Fixer::Clerk => "You (the clerk)",
            Fixer::Merchant => "Shop owner or manager",
            Fixer::Provider => "Payment provider / acquirer",
            Fixer::Cardholder => "The customer",
            Fixer::Issuer => "The customer's bank or wallet",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Fixer::Clerk => "收银员（您）",
            Fixer::Merchant => "店主或店长",
            Fixer::Provider => "支付服务商 / 收单机构",
            Fixer::Cardholder => "顾客",
            Fixer::Issuer => "顾客的发卡行或钱包",
        }
    }
}

/// A rough grouping of what went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Approved,
    Card,
    Pin,
    Funds,
    Limit,
    Risk,
    Security,
    Network,
    Issuer,
    Merchant,
    Transaction,
    Hardware,
    Reserved,
}

impl Category {
    pub const ALL: [Category; 13] = [
        Category::Approved,
        Category::Card,
        Category::Pin,
        Category::Funds,
        Category::Limit,
        Category::Risk,
        Category::Security,
        Category::Network,
        Category::Issuer,
        Category::Merchant,
        Category::Transaction,
        Category::Hardware,
        Category::Reserved,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Category::Approved => "approved",
            Category::Card => "card",
            Category::Pin => "pin",
            Category::Funds => "funds",
            Category::Limit => "limit",
            Category::Risk => "risk",
            Category::Security => "security",
            Category::Network => "network",
            Category::Issuer => "issuer",
            Category::Merchant => "merchant",
            Category::Transaction => "transaction",
            Category::Hardware => "hardware",
            Category::Reserved => "reserved",
        }
    }

    pub fn from_id(id: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.id() == id.trim())
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Category::Approved => "Approved / information",
            Category::Card => "Card problem",
            Category::Pin => "PIN",
            Category::Funds => "Funds",
            Category::Limit => "Limit",
            Category::Risk => "Risk / security hold",
            Category::Security => "Terminal keys / sign-in",
            Category::Network => "Network / communication",
            Category::Issuer => "Bank or system unavailable",
            Category::Merchant => "Shop or terminal setup",
            Category::Transaction => "Transaction",
            Category::Hardware => "Device hardware",
            Category::Reserved => "Reserved / private code",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Category::Approved => "成功 / 提示",
            Category::Card => "卡片问题",
            Category::Pin => "密码",
            Category::Funds => "余额",
            Category::Limit => "限额",
            Category::Risk => "风险 / 冻结",
            Category::Security => "密钥 / 签到",
            Category::Network => "网络 / 通讯",
            Category::Issuer => "银行或系统不可用",
            Category::Merchant => "商户或终端设置",
            Category::Transaction => "交易",
            Category::Hardware => "设备硬件",
            Category::Reserved => "保留 / 自定义代码",
        }
    }
}

/// One code with everything a clerk needs to act on it. Lists in `_en` and `_zh` run in parallel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeEntry {
    pub code: String,
    pub scheme: Scheme,
    pub title_zh: String,
    pub title_en: String,
    pub explain_zh: String,
    pub explain_en: String,
    pub causes_zh: Vec<String>,
    pub causes_en: Vec<String>,
    pub steps_zh: Vec<String>,
    pub steps_en: Vec<String>,
    pub fixers: Vec<Fixer>,
    pub retry: Retry,
    pub category: Category,
    #[serde(default)]
    pub vendor_specific: bool,
    #[serde(default)]
    pub keywords: Vec<String>,
}

impl CodeEntry {
    /// The key used to match what a clerk typed against this code.
    pub fn key(&self) -> String {
        normalize_code(&self.code)
    }
}

/// Reduce a code to the form used for matching: upper case letters and digits only, full-width forms
/// folded to ASCII. `" a0 "`, `"A-0"` and `"Ａ０"` all become `"A0"`; Chinese text is kept as it is.
pub fn normalize_code(input: &str) -> String {
    input
        .chars()
        .map(fold_fullwidth)
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The keys a typed code may stand for, best first: itself, then "5" as "05" (terminals drop the leading
/// zero) and "E-05" / "RC05" as "05" (a letter prefix before a numeric code).
pub fn code_variants(input: &str) -> Vec<String> {
    let key = normalize_code(input);
    if key.is_empty() {
        return Vec::new();
    }
    let mut out = vec![key.clone()];
    let pad = |digits: &str, out: &mut Vec<String>| {
        if digits.len() == 1 && digits.chars().all(|c| c.is_ascii_digit()) {
            out.push(format!("0{digits}"));
        }
    };
    pad(&key, &mut out);
    // Only labels terminals really print before a response code; "A0" is a code, not "A" + "0".
    for label in ["ERROR", "ERR", "CODE", "RESP", "RC", "E"] {
        if let Some(digits) = key.strip_prefix(label)
            && !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit())
        {
            out.push(digits.to_string());
            pad(digits, &mut out);
            break;
        }
    }
    out
}

/// Map full-width ASCII (as typed with a Chinese input method) to plain ASCII.
pub fn fold_fullwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Rules every entry keeps, bundled or the user's own: a code and a title, lists that run in parallel in
/// both languages, and no text so long it cannot be a clerk's note.
pub fn check_entry(e: &CodeEntry) -> Result<(), String> {
    let code = e.code.trim();
    if code.is_empty() || normalize_code(code).is_empty() {
        return Err("the code is empty".into());
    }
    if code.chars().count() > 64 {
        return Err("the code is longer than 64 characters".into());
    }
    if e.title_en.trim().is_empty() && e.title_zh.trim().is_empty() {
        return Err("needs a title in Chinese or English".into());
    }
    for (name, en, zh) in [
        ("causes", &e.causes_en, &e.causes_zh),
        ("steps", &e.steps_en, &e.steps_zh),
    ] {
        if !en.is_empty() && !zh.is_empty() && en.len() != zh.len() {
            return Err(format!(
                "{name}: {} in English but {} in Chinese; they must match one to one",
                en.len(),
                zh.len()
            ));
        }
        if en.iter().chain(zh.iter()).any(|s| s.trim().is_empty()) {
            return Err(format!("{name}: an item is empty"));
        }
    }
    let total: usize = [&e.title_en, &e.title_zh, &e.explain_en, &e.explain_zh]
        .iter()
        .map(|s| s.len())
        .sum::<usize>()
        + e.causes_en
            .iter()
            .chain(&e.causes_zh)
            .chain(&e.steps_en)
            .chain(&e.steps_zh)
            .chain(&e.keywords)
            .map(String::len)
            .sum::<usize>();
    if total > 20_000 {
        return Err("the text is longer than 20,000 characters".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_codes_for_matching() {
        assert_eq!(normalize_code(" a0 "), "A0");
        assert_eq!(normalize_code("Ａ０"), "A0");
        assert_eq!(
            normalize_code("acq.trade_has_success"),
            "ACQTRADEHASSUCCESS"
        );
        assert_eq!(normalize_code("扫码校验失败"), "扫码校验失败");
        assert_eq!(normalize_code("NO COMMUNICATION"), "NOCOMMUNICATION");
    }

    #[test]
    fn variants_cover_dropped_zeros_and_prefixes() {
        assert_eq!(code_variants("5"), vec!["5", "05"]);
        assert_eq!(code_variants("E-05"), vec!["E05", "05"]);
        assert_eq!(code_variants("rc5"), vec!["RC5", "5", "05"]);
        assert_eq!(code_variants("A0"), vec!["A0"]);
        assert_eq!(code_variants("err 51"), vec!["ERR51", "51"]);
        assert!(code_variants("  ").is_empty());
    }

    #[test]
    fn ids_round_trip() {
        for s in Scheme::ALL {
            assert_eq!(Scheme::from_id(s.id()), Some(s));
        }
        for r in Retry::ALL {
            assert_eq!(Retry::from_id(r.id()), Some(r));
        }
        for f in Fixer::ALL {
            assert_eq!(Fixer::from_id(f.id()), Some(f));
        }
        for c in Category::ALL {
            assert_eq!(Category::from_id(c.id()), Some(c));
        }
    }
}
