//! A response code and the words that describe it. Names a clerk reads live in `domain::labels`; this
//! module holds only what the codes are and the rules they keep.

use serde::{Deserialize, Serialize};

/// An enum stored and typed by a short id (`"check_first"`): the id table, `ALL`, `from_id` and
/// `Display` in one place, so every such enum reads and writes its ids the same way.
macro_rules! id_enum {
    ($(#[$m:meta])* $vis:vis enum $name:ident { $($(#[$vm:meta])* $variant:ident = $id:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        $vis enum $name {
            $($(#[$vm])* #[serde(rename = $id)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn id(self) -> &'static str {
                match self {
                    $($name::$variant => $id),+
                }
            }

            /// The value with this id, ignoring case and surrounding spaces.
            pub fn from_id(id: &str) -> Option<$name> {
                let id = id.trim();
                Self::ALL.iter().copied().find(|v| v.id().eq_ignore_ascii_case(id))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.id())
            }
        }
    };
}
#[allow(unused_imports)] // for the other domain modules' enums
pub(crate) use id_enum;

id_enum! {
    /// Where a code comes from. Each scheme keeps its own meaning for a code (05 is not the same in ISO
    /// and UnionPay), so a code is only identified by scheme and code together.
    pub enum Scheme {
        Iso8583 = "iso8583",
        Cups = "cups",
        Terminal = "terminal",
        Wechatpay = "wechatpay",
        Alipay = "alipay",
        /// A situation at the till that has no code (单边账, charged twice, how to query the last
        /// transaction): a bundled card with the same fields as a code, keyed by an upper-case slug.
        Situation = "situation",
        Custom = "custom",
    }
}

impl Scheme {
    /// Where a scheme stands when several answer: the shop's own codes first (they describe its own
    /// acquirer), then the preferred scheme, then the others in `ALL`'s order. When the clerk's words
    /// are matched (`words`), situations (what to do now) come right after those two. The one order
    /// for lookup, search ranking and lists.
    pub fn rank(self, prefer: Option<Scheme>, words: bool) -> u32 {
        match self {
            Scheme::Custom => 0,
            s if Some(s) == prefer => 1,
            Scheme::Situation if words => 2,
            s => {
                3 + Scheme::ALL
                    .iter()
                    .position(|&a| a == s)
                    .unwrap_or(Scheme::ALL.len()) as u32
            }
        }
    }
}

impl Scheme {
    /// Bundled schemes are read-only; only `custom` belongs to the user.
    pub fn is_bundled(self) -> bool {
        self != Scheme::Custom
    }
}

id_enum! {
    /// What a clerk should do about trying the payment again. This is the first thing they need.
    pub enum Retry {
        /// A momentary glitch: trying again is likely to work.
        Now = "now",
        /// Try again only after the fix (another card, terminal signed in, network back).
        AfterFix = "after_fix",
        /// Do not try this card or payment again; use another payment method.
        Never = "never",
        /// The customer may already have been charged: check the transaction before trying again.
        CheckFirst = "check_first",
        /// A fix that takes seconds at the till (refresh the payment code, wait a minute, insert the
        /// chip, choose the account), then the same payment again: never "ask for another way to pay".
        QuickFix = "quick_fix",
        /// Refund, settlement and merchant-account problems: nobody is paying; the shop owner or the
        /// provider acts, and the customer is never asked to pay.
        MerchantSide = "merchant_side",
    }
}

impl Retry {
    /// How careful the advice is; when schemes disagree on a code, the most careful one is the safe
    /// reading: check first, then do not retry, then after the fix (a merchant-side fix, a quick fix),
    /// then retry now.
    pub fn strictness(self) -> u8 {
        match self {
            Retry::CheckFirst => 5,
            Retry::Never => 4,
            Retry::MerchantSide => 3,
            Retry::AfterFix => 2,
            Retry::QuickFix => 1,
            Retry::Now => 0,
        }
    }
}

id_enum! {
    /// Who can act on the failure.
    pub enum Fixer {
        Clerk = "clerk",
        Merchant = "merchant",
        Provider = "provider",
        Cardholder = "cardholder",
        Issuer = "issuer",
    }
}

id_enum! {
    /// A rough grouping of what went wrong.
    pub enum Category {
        Approved = "approved",
        /// Only part of the amount was approved: the rest must be collected another way.
        Partial = "partial",
        /// The bank declined the payment without a reason the clerk can fix.
        Declined = "declined",
        Card = "card",
        Pin = "pin",
        Funds = "funds",
        Limit = "limit",
        Risk = "risk",
        Security = "security",
        Network = "network",
        Issuer = "issuer",
        Merchant = "merchant",
        Transaction = "transaction",
        Hardware = "hardware",
        Reserved = "reserved",
        /// A situation card (no code): its banner comes from its retry class alone.
        Situation = "situation",
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
    /// What clerks and customers actually say about it (钱不够, 卡里没钱, 刷不了), searched like
    /// keywords and shown on the card.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub says_zh: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub says_en: Vec<String>,
    /// Where this entry's text comes from (a page, a standard, "practice"); empty when the pack
    /// file's source line covers it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

impl CodeEntry {
    /// The key used to match what a clerk typed against this code.
    pub fn key(&self) -> String {
        normalize_code(&self.code)
    }

    /// Whether the code, seen again and again on one terminal, says something about the terminal, its
    /// line or the payment provider (a device, network, key or setup fault) rather than about each
    /// customer's own card or account. Three customers short of funds (51) on one till are three
    /// customers, not a till that needs service. Read from the pack's data: the hardware, network and
    /// key/sign-in categories always; an approval never; any other code when the provider is among
    /// those who fix it.
    pub fn points_at_equipment(&self) -> bool {
        match self.category {
            Category::Hardware | Category::Network | Category::Security => true,
            Category::Approved | Category::Partial => false,
            _ => self.fixers.contains(&Fixer::Provider),
        }
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

/// The keys that name the same code as `input`, best first: its own key, then the other zero paddings
/// of a numeric code. Terminals drop or add leading zeros, so `"5"` gives `["5", "05"]`, `"05"` gives
/// `["05", "5"]` and `"0051"` gives `["0051", "51"]`. Letters are never stripped: `"E1"` is a device
/// error, not ISO `01` (see `search::other_code_keys` for that, shown as a different code).
pub fn code_variants(input: &str) -> Vec<String> {
    let key = normalize_code(input);
    if key.is_empty() {
        return Vec::new();
    }
    let mut out = vec![key.clone()];
    if key.bytes().all(|b| b.is_ascii_digit()) {
        let value = key.trim_start_matches('0');
        let value = if value.is_empty() { "0" } else { value };
        for v in [value.to_string(), format!("{value:0>2}")] {
            if !out.contains(&v) {
                out.push(v);
            }
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
    fn variants_are_the_same_code_only() {
        assert_eq!(code_variants("5"), vec!["5", "05"]);
        assert_eq!(code_variants("05"), vec!["05", "5"]);
        assert_eq!(code_variants("0051"), vec!["0051", "51"]);
        assert_eq!(code_variants("005"), vec!["005", "5", "05"]);
        assert_eq!(code_variants("51"), vec!["51"]);
        assert_eq!(code_variants("０５"), vec!["05", "5"]);
        assert_eq!(code_variants("A0"), vec!["A0"]);
        // A letter label makes another code: never E-05 → 05.
        assert_eq!(code_variants("E-05"), vec!["E05"]);
        assert_eq!(code_variants("rc5"), vec!["RC5"]);
        assert_eq!(code_variants("err 51"), vec!["ERR51"]);
        assert!(code_variants("  ").is_empty());
    }

    #[test]
    fn ids_round_trip() {
        for &s in Scheme::ALL {
            assert_eq!(Scheme::from_id(s.id()), Some(s));
        }
        for &r in Retry::ALL {
            assert_eq!(Retry::from_id(r.id()), Some(r));
        }
        for &f in Fixer::ALL {
            assert_eq!(Fixer::from_id(f.id()), Some(f));
        }
        for &c in Category::ALL {
            assert_eq!(Category::from_id(c.id()), Some(c));
        }
    }
}
