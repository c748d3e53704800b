#![allow(clippy::unwrap_used, clippy::expect_used)] // shared by the tests, which fail loudly
//! Fixtures for tests that open no window: a store and one of the user's own codes. Included by the
//! library's tests (`#[path = "support/fixtures.rs"] mod common;`) and re-exported by `common`, so
//! neither links the GUI stack.
#![allow(dead_code)]

use posdesk::{Category, CodeEntry, Fixer, Retry, Scheme, Store};

/// A fresh store with the bundled pack, in memory.
pub fn store() -> Store {
    Store::open_in_memory().expect("in-memory store opens")
}

/// One of the user's own codes with the given code and titles.
pub fn custom(code: &str, title_zh: &str, title_en: &str) -> CodeEntry {
    CodeEntry {
        code: code.into(),
        scheme: Scheme::Custom,
        title_zh: title_zh.into(),
        title_en: title_en.into(),
        explain_zh: format!("{title_zh}，请联系收单机构。"),
        explain_en: format!("{title_en}. Call the acquirer."),
        causes_zh: vec!["收单机构自定义".into()],
        causes_en: vec!["Acquirer-specific".into()],
        steps_zh: vec!["致电收单机构".into()],
        steps_en: vec!["Call the acquirer".into()],
        fixers: vec![Fixer::Provider],
        retry: Retry::AfterFix,
        category: Category::Transaction,
        vendor_specific: false,
        keywords: vec![],
        says_zh: vec![],
        says_en: vec![],
        source: String::new(),
    }
}
