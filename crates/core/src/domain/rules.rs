//! The rules every code entry keeps, in one place: the pack loader, the store, file import and the
//! editor all check an entry here, and a broken rule is an [`EntryError`] a clerk can read in either
//! language.

use super::code::{Category, CodeEntry, Fixer, Retry, Scheme, normalize_code};
use crate::i18n::{Explain, Label, Msg};
use thiserror::Error;

/// Longest code accepted; terminals print short codes, a longer one is a pasted sentence.
pub const MAX_CODE_CHARS: usize = 64;
/// Most text in one entry, in bytes.
pub const MAX_ENTRY_BYTES: usize = 20_000;

/// Which of an entry's lists a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListName {
    Causes,
    Steps,
}

crate::labels!(ListName {
    Causes => ("likely causes", "可能原因"),
    Steps => ("fix steps", "处理步骤"),
});

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EntryError {
    #[error("the code is empty")]
    EmptyCode,
    #[error("the code is longer than {MAX_CODE_CHARS} characters")]
    CodeTooLong,
    #[error("needs a title in Chinese or English")]
    NoTitle,
    #[error("{}: {en} in English but {zh} in Chinese; they must match one to one", .list.label().en)]
    ListsDiffer {
        list: ListName,
        en: usize,
        zh: usize,
    },
    #[error("{}: an item is empty", .list.label().en)]
    EmptyItem { list: ListName },
    #[error("the text is longer than 20,000 characters")]
    TooLong,
    #[error("only your own codes can be changed; {scheme} codes come with posdesk", scheme = .0.label().en)]
    NotCustom(Scheme),
    #[error(
        "retry {0:?} is not one of now, quick_fix, after_fix, merchant_side, never, check_first"
    )]
    UnknownRetry(String),
    #[error("category {0:?} is not one of {ids}", ids = category_ids())]
    UnknownCategory(String),
    #[error("fixer {0:?} is not one of clerk, merchant, provider, cardholder, issuer")]
    UnknownFixer(String),
    #[error("scheme {0:?}: only your own codes (scheme \"custom\") can be imported")]
    ForeignScheme(String),
    #[error("the same code appears twice")]
    Duplicate,
    /// A bundled entry must be complete in both languages.
    #[error("{0} is empty")]
    Incomplete(&'static str),
}

fn category_ids() -> String {
    Category::ALL
        .iter()
        .map(|c| c.id())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Explain for EntryError {
    fn explain(&self) -> Msg {
        let zh = match self {
            EntryError::EmptyCode => "代码为空".to_string(),
            EntryError::CodeTooLong => format!("代码超过 {MAX_CODE_CHARS} 个字符"),
            EntryError::NoTitle => "需要填写中文或英文标题".to_string(),
            EntryError::ListsDiffer { list, en, zh } => format!(
                "{}：英文 {en} 条、中文 {zh} 条，两种语言需要一一对应",
                list.label().zh
            ),
            EntryError::EmptyItem { list } => format!("{}：有一条是空的", list.label().zh),
            EntryError::TooLong => "文字超过 20,000 个字符".to_string(),
            EntryError::NotCustom(s) => {
                format!("只能修改您自己的代码；{}代码随 posdesk 提供", s.label().zh)
            }
            EntryError::UnknownRetry(r) => {
                format!(
                    "重试建议“{r}”无效，应为 now、quick_fix、after_fix、merchant_side、never、check_first 之一"
                )
            }
            EntryError::UnknownCategory(c) => {
                format!("类别“{c}”无效，应为 {} 之一", category_ids())
            }
            EntryError::UnknownFixer(f) => {
                format!("处理人“{f}”无效，应为 clerk、merchant、provider、cardholder、issuer 之一")
            }
            EntryError::ForeignScheme(s) => {
                format!("方案“{s}”：只能导入您自己的代码（方案 custom）")
            }
            EntryError::Duplicate => "同一个代码出现了两次".to_string(),
            EntryError::Incomplete(field) => format!("{field} 为空"),
        };
        Msg::new(self.to_string(), zh)
    }
}

/// Rules every entry keeps, bundled or the user's own: a code and a title, lists that run in parallel
/// in both languages, and no text so long it cannot be a clerk's note.
pub fn check_entry(e: &CodeEntry) -> Result<(), EntryError> {
    let code = e.code.trim();
    if code.is_empty() || normalize_code(code).is_empty() {
        return Err(EntryError::EmptyCode);
    }
    if code.chars().count() > MAX_CODE_CHARS {
        return Err(EntryError::CodeTooLong);
    }
    if e.title_en.trim().is_empty() && e.title_zh.trim().is_empty() {
        return Err(EntryError::NoTitle);
    }
    for (list, en, zh) in [
        (ListName::Causes, &e.causes_en, &e.causes_zh),
        (ListName::Steps, &e.steps_en, &e.steps_zh),
    ] {
        if !en.is_empty() && !zh.is_empty() && en.len() != zh.len() {
            return Err(EntryError::ListsDiffer {
                list,
                en: en.len(),
                zh: zh.len(),
            });
        }
        if en.iter().chain(zh.iter()).any(|s| s.trim().is_empty()) {
            return Err(EntryError::EmptyItem { list });
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
            .chain(&e.says_zh)
            .chain(&e.says_en)
            .map(String::len)
            .sum::<usize>();
    if total > MAX_ENTRY_BYTES {
        return Err(EntryError::TooLong);
    }
    Ok(())
}

/// A user's entry must be theirs (scheme `custom`) and keep the entry rules.
pub fn check_custom(e: &CodeEntry) -> Result<(), EntryError> {
    if e.scheme != Scheme::Custom {
        return Err(EntryError::NotCustom(e.scheme));
    }
    check_entry(e)
}

/// A bundled entry must be complete in both languages: a clerk reading either gets the whole answer.
pub fn check_bundled(e: &CodeEntry) -> Result<(), EntryError> {
    check_entry(e)?;
    for (name, text) in [
        ("title_en", &e.title_en),
        ("title_zh", &e.title_zh),
        ("explain_en", &e.explain_en),
        ("explain_zh", &e.explain_zh),
    ] {
        if text.trim().is_empty() {
            return Err(EntryError::Incomplete(name));
        }
    }
    if e.steps_en.is_empty() || e.steps_zh.is_empty() {
        return Err(EntryError::Incomplete("steps"));
    }
    if e.causes_en.is_empty() || e.causes_zh.is_empty() {
        return Err(EntryError::Incomplete("causes"));
    }
    if e.fixers.is_empty() {
        return Err(EntryError::Incomplete("fixers"));
    }
    Ok(())
}

/// The entry with its text trimmed, empty list items dropped, fixers listed once each, and the
/// provider as fixer when none was given: typed and imported codes get the same defaults.
pub fn tidy(mut e: CodeEntry) -> CodeEntry {
    let trim = |s: &mut String| *s = s.trim().to_string();
    for s in [
        &mut e.code,
        &mut e.title_zh,
        &mut e.title_en,
        &mut e.explain_zh,
        &mut e.explain_en,
        &mut e.source,
    ] {
        trim(s);
    }
    for list in [
        &mut e.causes_zh,
        &mut e.causes_en,
        &mut e.steps_zh,
        &mut e.steps_en,
        &mut e.keywords,
        &mut e.says_zh,
        &mut e.says_en,
    ] {
        *list = list
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
    }
    let mut fixers = Vec::new();
    for f in e.fixers {
        if !fixers.contains(&f) {
            fixers.push(f);
        }
    }
    if fixers.is_empty() {
        fixers.push(Fixer::Provider);
    }
    e.fixers = fixers;
    e
}

/// Read typed ids into values, naming the first one that is not known.
pub fn parse_retry(id: &str, default: Retry) -> Result<Retry, EntryError> {
    match id.trim() {
        "" => Ok(default),
        r => Retry::from_id(r).ok_or_else(|| EntryError::UnknownRetry(r.to_string())),
    }
}

pub fn parse_category(id: &str, default: Category) -> Result<Category, EntryError> {
    match id.trim() {
        "" => Ok(default),
        c => Category::from_id(c).ok_or_else(|| EntryError::UnknownCategory(c.to_string())),
    }
}

pub fn parse_fixer(id: &str) -> Result<Fixer, EntryError> {
    Fixer::from_id(id).ok_or_else(|| EntryError::UnknownFixer(id.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn entry() -> CodeEntry {
        CodeEntry {
            code: "Q1".into(),
            scheme: Scheme::Custom,
            title_zh: "测试".into(),
            title_en: "Test".into(),
            explain_zh: String::new(),
            explain_en: String::new(),
            causes_zh: vec![],
            causes_en: vec![],
            steps_zh: vec!["一".into(), "二".into()],
            steps_en: vec!["one".into()],
            fixers: vec![Fixer::Provider],
            retry: Retry::CheckFirst,
            category: Category::Transaction,
            vendor_specific: false,
            keywords: vec![],
            says_zh: vec![],
            says_en: vec![],
            source: String::new(),
        }
    }

    #[test]
    fn a_broken_rule_explains_itself_in_both_languages() {
        let err = check_entry(&entry()).unwrap_err();
        assert_eq!(
            err,
            EntryError::ListsDiffer {
                list: ListName::Steps,
                en: 1,
                zh: 2
            }
        );
        let msg = err.explain();
        assert!(msg.get(Lang::En).starts_with("fix steps: 1 in English"));
        assert!(msg.get(Lang::Zh).starts_with("处理步骤：英文 1 条"));
    }

    #[test]
    fn bundled_entries_must_be_complete() {
        let mut e = entry();
        e.steps_en.push("two".into());
        assert_eq!(check_entry(&e), Ok(()));
        assert_eq!(check_bundled(&e), Err(EntryError::Incomplete("explain_en")));
        assert_eq!(
            check_custom(&CodeEntry {
                scheme: Scheme::Cups,
                ..e
            }),
            Err(EntryError::NotCustom(Scheme::Cups))
        );
    }
}
