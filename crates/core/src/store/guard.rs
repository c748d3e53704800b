//! The store's door: every text any store function writes, in every table, passes [`clean_text`] (or a
//! [`Guard`], which calls it and counts). It masks card numbers (`domain::pan`) and refuses a text longer
//! than its field can hold, with a message the clerk can act on, before anything is written.
//!
//! Columns that hold no typed text are not passed here: ids and enum names checked by the schema,
//! dates and times the clock or a date picker made, content hashes, numbers. `tests/attack_masking.rs`
//! walks the schema and fails when a text column is neither written through the guard nor listed as
//! one of those.

use super::{Result, StoreError};
use crate::domain::pan::mask_pans;
use crate::i18n::Msg;

/// A kind of text field: its name for the clerk and how many characters it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub en: &'static str,
    pub zh: &'static str,
    pub max_chars: usize,
}

impl Field {
    const fn new(en: &'static str, zh: &'static str, max_chars: usize) -> Field {
        Field { en, zh, max_chars }
    }

    /// A name, code, reference, model, serial, phone, firmware or value: one line.
    pub const SHORT: Field = Field::new("short field", "短字段", 200);
    /// A note, reason, symptom, resolution or step the clerk writes.
    pub const NOTE: Field = Field::new("note", "备注", 4_000);
    /// The original name of an attached file.
    pub const FILE_NAME: Field = Field::new("file name", "文件名", 200);
    /// A code's title, explanation, cause, step or keyword (own codes and the bundled pack).
    pub const CODE_TEXT: Field = Field::new("code text", "代码文字", 20_000);
    /// A list (causes, steps, keywords) as stored: JSON.
    pub const LIST: Field = Field::new("list", "列表", 100_000);
    /// A setting remembered in `meta` (last name used, last backup's path...).
    pub const SETTING: Field = Field::new("setting", "设置", 4_096);

    /// The refusal for a text longer than this field holds.
    pub fn too_long(self) -> StoreError {
        StoreError::TooLong(self)
    }

    pub(crate) fn too_long_msg(self) -> Msg {
        let max = self.max_chars;
        Msg::new(
            format!(
                "This {} is too long: it can hold at most {max} characters. Nothing was saved; \
                 shorten it and try again.",
                self.en
            ),
            format!(
                "{}太长：最多只能有 {max} 个字符。没有保存任何内容；请缩短后再试。",
                self.zh
            ),
        )
    }
}

/// A text as it may be stored, and how many card numbers were masked in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    pub text: String,
    pub masked: usize,
}

/// Mask card numbers in `text` and check it fits `field`. Huge input is refused by its size before it
/// is read character by character (a 10 MB paste costs no more than its length check).
pub fn clean_text(field: Field, text: &str) -> Result<Cleaned> {
    // A character is at most 4 bytes: more bytes than that can never fit.
    if text.len() > field.max_chars.saturating_mul(4) {
        return Err(field.too_long());
    }
    let m = mask_pans(text);
    if m.text.chars().count() > field.max_chars {
        return Err(field.too_long());
    }
    Ok(Cleaned {
        text: m.text,
        masked: m.count,
    })
}

/// Cleans the texts of one write and counts the card numbers it masked, so the store can tell the
/// clerk once the write is committed ([`super::Store::take_masked`]).
#[derive(Debug, Default)]
pub struct Guard {
    masked: usize,
}

impl Guard {
    pub fn new() -> Guard {
        Guard::default()
    }

    /// One text, cleaned.
    pub fn text(&mut self, field: Field, text: &str) -> Result<String> {
        let c = clean_text(field, text)?;
        self.masked += c.masked;
        Ok(c.text)
    }

    /// An optional text, cleaned.
    pub fn opt(&mut self, field: Field, text: Option<&str>) -> Result<Option<String>> {
        text.map(|t| self.text(field, t)).transpose()
    }

    /// A list of texts stored as a JSON array: each item cleaned, then the JSON as a whole (a number
    /// split across two items is masked too; masking keeps the JSON valid, as it only removes text
    /// between two digits of string items).
    pub fn list(&mut self, field: Field, items: &[String]) -> Result<String> {
        let items = items
            .iter()
            .map(|i| self.text(field, i))
            .collect::<Result<Vec<_>>>()?;
        let json = serde_json::Value::from(items).to_string();
        self.text(Field::LIST, &json)
    }

    /// How many card numbers were masked so far.
    pub fn masked(&self) -> usize {
        self.masked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_and_limits() {
        let c = clean_text(Field::NOTE, "card 4539.0000.0000.0150").unwrap();
        assert_eq!(c.text, "card 453900******0150");
        assert_eq!(c.masked, 1);
        assert!(matches!(
            clean_text(Field::SHORT, &"x".repeat(201)),
            Err(StoreError::TooLong(Field::SHORT))
        ));
        assert!(matches!(
            clean_text(Field::NOTE, &"x".repeat(10_000_000)),
            Err(StoreError::TooLong(Field::NOTE))
        ));
        assert_eq!(
            clean_text(Field::SHORT, &"字".repeat(200)).unwrap().masked,
            0
        );
    }

    #[test]
    fn lists_stay_json_when_a_number_spans_two_items() {
        let mut g = Guard::new();
        let json = g
            .list(
                Field::CODE_TEXT,
                &["call 4539 0000".to_string(), "0000 0150 now".to_string()],
            )
            .unwrap();
        let items: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(items, vec!["call 453900******0150 now".to_string()]);
        assert_eq!(g.masked(), 1);
    }
}
