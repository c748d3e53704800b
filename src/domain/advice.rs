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
            Advice::RetryNow => "retry_now",
        }
    }
}

/// The advice for one entry, read together with the other schemes' entries for the same code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeReading {
    pub advice: Advice,
    /// The retry class the advice follows: the entry's own, or a stricter one from another scheme.
    pub retry: Retry,
    /// Other schemes whose retry class for this code differs from this entry's, with theirs.
    pub disagree: Vec<(Scheme, Retry)>,
}

impl SafeReading {
    pub fn stricter_elsewhere(&self) -> bool {
        !self.disagree.is_empty()
    }
}

/// The safe reading of `entry` given `same_code`, the entries of other schemes with the same code.
pub fn safe_reading(entry: &CodeEntry, same_code: &[&CodeEntry]) -> SafeReading {
    let disagree: Vec<(Scheme, Retry)> = same_code
        .iter()
        .filter(|o| o.scheme != entry.scheme && o.retry != entry.retry)
        .map(|o| (o.scheme, o.retry))
        .collect();
    let retry = disagree
        .iter()
        .map(|&(_, r)| r)
        .chain([entry.retry])
        .max_by_key(|r| r.strictness())
        .unwrap_or(entry.retry);
    SafeReading {
        advice: Advice::of(retry, entry.category),
        retry,
        disagree,
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
