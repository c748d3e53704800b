//! The two languages every screen speaks. Each string is written next to its translation at the place it
//! is used (`lang.tr("Search", "搜索")`), so a screen cannot grow an untranslated label unnoticed.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// The system's language: Chinese for any `zh` locale, English otherwise.
    pub fn from_system() -> Lang {
        match sys_locale::get_locale() {
            Some(l) if l.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    pub fn tr(self, en: &'static str, zh: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    /// Pick the text in this language, falling back to the other when it is empty (a user's own code
    /// may be written in one language only).
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        let (first, second) = match self {
            Lang::En => (en, zh),
            Lang::Zh => (zh, en),
        };
        if first.trim().is_empty() {
            second
        } else {
            first
        }
    }

    pub fn pick_list<'a>(self, en: &'a [String], zh: &'a [String]) -> &'a [String] {
        let (first, second) = match self {
            Lang::En => (en, zh),
            Lang::Zh => (zh, en),
        };
        if first.is_empty() { second } else { first }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }

    /// The button that switches to the other language, named in that language.
    pub fn switch_label(self) -> &'static str {
        match self {
            Lang::En => "中文",
            Lang::Zh => "English",
        }
    }
}
