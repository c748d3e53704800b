//! The one answer a clerk acts on: what the banner on a code's card says. It comes from the code's
//! retry class and category, and, when other schemes give the same code different advice, from the
//! strictest of them: a clerk who checks first never charges twice.

use super::code::{Category, CodeEntry, Retry, Scheme};

/// What the banner tells the clerk to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Advice {
    /// The payment went through: do not charge again.
    Approved,
    /// Part of the amount went through: collect the rest another way.
    PartlyApproved,
    /// The result is unknown: check before charging again.
    CheckFirst,
    /// The bank said no: ask for another card or way to pay.
    Declined,
    /// Do not try this card or payment again.
    DoNotRetry,
    /// Fix the cause (sign in, network back...) and then try again.
    AfterFix,
    /// A fix of seconds at the till (refresh the payment code, insert the chip), then the same payment.
    QuickFix,
    /// Nobody is paying: the shop owner or the provider acts (refunds, settlement, the shop's account).
    MerchantSide,
    /// A glitch: trying again is fine.
    RetryNow,
}

impl Advice {
    /// The advice for a code with this retry class and category.
    pub fn of(retry: Retry, category: Category) -> Advice {
        let refusal = matches!(
            category,
            Category::Declined | Category::Funds | Category::Card | Category::Limit
        );
        match (retry, category) {
            (_, Category::Partial) => Advice::PartlyApproved,
            (Retry::CheckFirst, _) => Advice::CheckFirst,
            (Retry::Never, Category::Approved) => Advice::Approved,
            (Retry::Never, _) => Advice::DoNotRetry,
            (Retry::QuickFix, _) => Advice::QuickFix,
            (Retry::MerchantSide, _) => Advice::MerchantSide,
            (Retry::AfterFix, _) if refusal => Advice::Declined,
            (Retry::AfterFix, _) => Advice::AfterFix,
            (Retry::Now, _) => Advice::RetryNow,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Advice::Approved => "approved",
            Advice::PartlyApproved => "partly_approved",
            Advice::CheckFirst => "check_first",
            Advice::Declined => "declined",
            Advice::DoNotRetry => "do_not_retry",
            Advice::AfterFix => "after_fix",
            Advice::QuickFix => "quick_fix",
            Advice::MerchantSide => "merchant_side",
            Advice::RetryNow => "retry_now",
        }
    }
}

/// Why the banner shows the advice it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The entry's own advice; no other scheme disagrees, or this is the shop's own code.
    Own,
    /// Another scheme gives the same code a stricter class, and no scheme was chosen: the stricter wins.
    Stricter,
    /// The shop chose this entry's scheme: its advice leads, the others' are a note under it.
    Preferred,
    /// The shop's own code with the same code sets the banner for this shop.
    Custom,
}

/// The advice for one entry, read together with the other schemes' entries for the same code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeReading {
    pub advice: Advice,
    /// The retry class the advice follows: the entry's own, a stricter one from another scheme, or the
    /// shop's own code's.
    pub retry: Retry,
    /// Other schemes whose retry class for this code differs from this entry's, with theirs.
    pub disagree: Vec<(Scheme, Retry)>,
    pub basis: Basis,
}

impl SafeReading {
    /// Other schemes give this code another class (the card names them under the banner).
    pub fn stricter_elsewhere(&self) -> bool {
        !self.disagree.is_empty()
    }
}

/// The safe reading of `entry` given `same_code`, the entries of other schemes with the same code,
/// when no scheme was chosen: the stricter class wins.
pub fn safe_reading(entry: &CodeEntry, same_code: &[&CodeEntry]) -> SafeReading {
    reading_for(entry, same_code, None)
}

/// The reading of `entry` for a shop whose terminals show `prefer`'s codes (None: not chosen).
///
/// - The shop's own code is its own answer; a bundled entry with the same code as one of the shop's own
///   takes the shop's advice (the shop saved what its provider told it).
/// - With a chosen scheme, an entry of that scheme keeps its own advice; the others' differences are
///   listed as a note.
/// - Otherwise the strictest class of all schemes wins: a clerk who checks first never charges twice.
pub fn reading_for(
    entry: &CodeEntry,
    same_code: &[&CodeEntry],
    prefer: Option<Scheme>,
) -> SafeReading {
    let disagree: Vec<(Scheme, Retry)> = same_code
        .iter()
        .filter(|o| o.scheme != entry.scheme && o.retry != entry.retry)
        .map(|o| (o.scheme, o.retry))
        .collect();
    let own = |basis| SafeReading {
        advice: Advice::of(entry.retry, entry.category),
        retry: entry.retry,
        disagree: disagree.clone(),
        basis,
    };
    if entry.scheme == Scheme::Custom {
        return own(Basis::Own);
    }
    if let Some(shop) = same_code.iter().find(|o| o.scheme == Scheme::Custom) {
        return SafeReading {
            advice: Advice::of(shop.retry, shop.category),
            retry: shop.retry,
            disagree,
            basis: Basis::Custom,
        };
    }
    if prefer == Some(entry.scheme) {
        return own(if disagree.is_empty() {
            Basis::Own
        } else {
            Basis::Preferred
        });
    }
    let retry = disagree
        .iter()
        .map(|&(_, r)| r)
        .chain([entry.retry])
        .max_by_key(|r| r.strictness())
        .unwrap_or(entry.retry);
    if retry == entry.retry {
        return own(Basis::Own);
    }
    SafeReading {
        advice: Advice::of(retry, entry.category),
        retry,
        disagree,
        basis: Basis::Stricter,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::code::Fixer;

    fn entry(scheme: Scheme, retry: Retry, category: Category) -> CodeEntry {
        CodeEntry {
            code: "91".into(),
            scheme,
            title_zh: "t".into(),
            title_en: "t".into(),
            explain_zh: String::new(),
            explain_en: String::new(),
            causes_zh: vec![],
            causes_en: vec![],
            steps_zh: vec![],
            steps_en: vec![],
            fixers: vec![Fixer::Clerk],
            retry,
            category,
            vendor_specific: false,
            keywords: vec![],
            says_zh: vec![],
            says_en: vec![],
            source: String::new(),
        }
    }

    #[test]
    fn the_stricter_advice_wins_and_the_disagreement_is_named() {
        let cups = entry(Scheme::Cups, Retry::Now, Category::Issuer);
        let iso = entry(Scheme::Iso8583, Retry::CheckFirst, Category::Issuer);
        let r = safe_reading(&cups, &[&iso]);
        assert_eq!(r.advice, Advice::CheckFirst);
        assert_eq!(r.disagree, vec![(Scheme::Iso8583, Retry::CheckFirst)]);
        let r = safe_reading(&iso, &[&cups]);
        assert_eq!(r.advice, Advice::CheckFirst);
        assert!(r.stricter_elsewhere());
        let alone = safe_reading(&cups, &[]);
        assert_eq!(alone.advice, Advice::RetryNow);
        assert!(!alone.stricter_elsewhere());
    }

    #[test]
    fn the_chosen_scheme_leads_and_the_shops_own_code_wins() {
        let cups = entry(Scheme::Cups, Retry::QuickFix, Category::Card);
        let iso = entry(Scheme::Iso8583, Retry::CheckFirst, Category::Reserved);
        let r = reading_for(&cups, &[&iso], Some(Scheme::Cups));
        assert_eq!(r.advice, Advice::QuickFix);
        assert_eq!(r.basis, Basis::Preferred);
        assert_eq!(r.disagree, vec![(Scheme::Iso8583, Retry::CheckFirst)]);
        // The other scheme's card, and no choice at all: the stricter still wins.
        assert_eq!(
            reading_for(&iso, &[&cups], Some(Scheme::Cups)).advice,
            Advice::CheckFirst
        );
        assert_eq!(reading_for(&cups, &[&iso], None).advice, Advice::CheckFirst);
        // The shop's own 91 marked "retry now" overrides both bundled banners, whatever the choice.
        let shop = entry(Scheme::Custom, Retry::Now, Category::Issuer);
        for prefer in [None, Some(Scheme::Iso8583), Some(Scheme::Cups)] {
            let r = reading_for(&iso, &[&cups, &shop], prefer);
            assert_eq!(r.advice, Advice::RetryNow);
            assert_eq!(r.basis, Basis::Custom);
        }
        let r = reading_for(&shop, &[&iso, &cups], None);
        assert_eq!((r.advice, r.basis), (Advice::RetryNow, Basis::Own));
    }

    #[test]
    fn quick_fixes_and_merchant_side_never_send_the_customer_away() {
        for category in Category::ALL
            .iter()
            .copied()
            .filter(|&c| c != Category::Partial)
        {
            assert_eq!(Advice::of(Retry::QuickFix, category), Advice::QuickFix);
            assert_eq!(
                Advice::of(Retry::MerchantSide, category),
                Advice::MerchantSide
            );
        }
    }

    #[test]
    fn strictness_runs_check_first_never_after_fix_now() {
        let order = [Retry::CheckFirst, Retry::Never, Retry::AfterFix, Retry::Now];
        for pair in order.windows(2) {
            assert!(pair[0].strictness() > pair[1].strictness());
        }
        let a = entry(Scheme::Cups, Retry::AfterFix, Category::Card);
        let b = entry(Scheme::Iso8583, Retry::Never, Category::Card);
        assert_eq!(safe_reading(&a, &[&b]).advice, Advice::DoNotRetry);
    }

    #[test]
    fn approvals_and_declines_read_differently() {
        assert_eq!(
            Advice::of(Retry::Never, Category::Approved),
            Advice::Approved
        );
        assert_eq!(
            Advice::of(Retry::Never, Category::Partial),
            Advice::PartlyApproved
        );
        assert_eq!(
            Advice::of(Retry::AfterFix, Category::Funds),
            Advice::Declined
        );
        assert_eq!(
            Advice::of(Retry::AfterFix, Category::Security),
            Advice::AfterFix
        );
        // An "approved" code whose own class says check first is not shown as approved.
        assert_eq!(
            Advice::of(Retry::CheckFirst, Category::Approved),
            Advice::CheckFirst
        );
    }
}
