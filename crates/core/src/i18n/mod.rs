//! Two languages, one mechanism. Every text a clerk reads is written as an English/Chinese pair at one
//! place: UI labels as `lang.tr("Search", "搜索")`, enum names through [`Label`], and messages that carry
//! values (errors, status lines) as a [`Msg`] holding both languages, so a status line switches language
//! with the rest of the screen instead of staying in the language it was made in.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The language of the window and of the messages shown in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
        Text::new(en, zh).get(self)
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
        self.tr("中文", "English")
    }
}

/// A fixed text in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Text {
    pub const fn new(en: &'static str, zh: &'static str) -> Text {
        Text { en, zh }
    }

    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

/// A message with values in it, made in both languages at once.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Msg {
    pub en: String,
    pub zh: String,
}

impl Msg {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Msg {
        Msg {
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    /// `self` followed by `detail`, joined the way each language joins a reason to a sentence.
    pub fn with(&self, detail: &Msg) -> Msg {
        Msg::new(
            format!("{} {}", self.en, detail.en),
            format!("{}{}", self.zh, detail.zh),
        )
    }
}

impl From<Text> for Msg {
    fn from(t: Text) -> Msg {
        Msg::new(t.en, t.zh)
    }
}

/// English, for logs and the command line.
impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// The name of an enum value as a clerk reads it.
pub trait Label {
    fn label(&self) -> Text;

    fn text(&self, lang: Lang) -> &'static str {
        self.label().get(lang)
    }
}

/// An error or outcome that can explain itself to a clerk in either language.
pub trait Explain {
    fn explain(&self) -> Msg;
}

/// A text with values in it, in the language asked for: `trf!(lang, "Saved {code}", "已保存 {code}")`.
/// Both formats are written together, as everywhere else.
#[macro_export]
macro_rules! trf {
    ($lang:expr, $en:literal, $zh:literal $(,)?) => {
        match $lang {
            $crate::i18n::Lang::En => format!($en),
            $crate::i18n::Lang::Zh => format!($zh),
        }
    };
}

/// `impl Label` for an enum from a table of `Variant => ("English", "中文")`.
#[macro_export]
macro_rules! labels {
    ($ty:ty { $($variant:ident => ($en:expr, $zh:expr)),+ $(,)? }) => {
        impl $crate::i18n::Label for $ty {
            fn label(&self) -> $crate::i18n::Text {
                match self {
                    $(<$ty>::$variant => $crate::i18n::Text::new($en, $zh)),+
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pick_falls_back_to_the_other_language() {
        assert_eq!(Lang::Zh.pick("Card", ""), "Card");
        assert_eq!(Lang::Zh.pick("Card", "卡"), "卡");
        assert_eq!(Lang::En.pick(" ", "卡"), "卡");
    }

    #[test]
    fn messages_join_a_reason_in_each_language() {
        let m = Msg::new("Not saved:", "未保存：").with(&Msg::new("the code is empty", "代码为空"));
        assert_eq!(m.get(Lang::En), "Not saved: the code is empty");
        assert_eq!(m.get(Lang::Zh), "未保存：代码为空");
    }
}
