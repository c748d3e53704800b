//! The shop's own tasks as typed, and its stock of paper rolls and cleaning cards.

use super::*;

/// Most steps an own task holds, and the longest step.
pub const MAX_OWN_STEPS: usize = 30;
pub const MAX_STEP_CHARS: usize = 1000;

/// The shop's own task as typed: a title in one language or both, steps, how often, which kinds.
/// [`OwnTaskInfo::checked`] fills a language left empty from the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnTaskInfo {
    pub title_zh: String,
    pub title_en: String,
    pub steps_zh: Vec<String>,
    pub steps_en: Vec<String>,
    pub kinds: Vec<TerminalKind>,
    pub interval: Interval,
    pub recurrence: Recurrence,
}

impl OwnTaskInfo {
    /// Trimmed, blank steps dropped, a missing language copied from the other; at least a title, a
    /// step and a kind; both languages' steps the same in number when both are given.
    pub fn checked(&self) -> Result<OwnTaskInfo, MaintenanceError> {
        let clean = |steps: &[String]| -> Vec<String> {
            steps
                .iter()
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|s| !s.is_empty())
                .collect()
        };
        let (mut zh, mut en) = (
            self.title_zh.trim().to_string(),
            self.title_en.trim().to_string(),
        );
        if zh.is_empty() && en.is_empty() {
            return Err(MaintenanceError::Missing("title"));
        }
        if zh.is_empty() {
            zh = en.clone();
        } else if en.is_empty() {
            en = zh.clone();
        }
        for t in [&zh, &en] {
            if t.chars().count() > MAX_FIELD_CHARS {
                return Err(MaintenanceError::TooLong {
                    field: "title",
                    max: MAX_FIELD_CHARS,
                });
            }
        }
        let (mut steps_zh, mut steps_en) = (clean(&self.steps_zh), clean(&self.steps_en));
        if steps_zh.is_empty() && steps_en.is_empty() {
            return Err(MaintenanceError::Missing("steps"));
        }
        if steps_zh.is_empty() {
            steps_zh = steps_en.clone();
        } else if steps_en.is_empty() {
            steps_en = steps_zh.clone();
        }
        if steps_zh.len() != steps_en.len() {
            return Err(MaintenanceError::StepsMismatch {
                en: steps_en.len(),
                zh: steps_zh.len(),
            });
        }
        if steps_zh.len() > MAX_OWN_STEPS {
            return Err(MaintenanceError::TooLong {
                field: "steps",
                max: MAX_OWN_STEPS,
            });
        }
        if steps_zh
            .iter()
            .chain(&steps_en)
            .any(|s| s.chars().count() > MAX_STEP_CHARS)
        {
            return Err(MaintenanceError::TooLong {
                field: "step",
                max: MAX_STEP_CHARS,
            });
        }
        let mut kinds = self.kinds.clone();
        kinds.sort();
        kinds.dedup();
        if kinds.is_empty() {
            return Err(MaintenanceError::Missing("kinds"));
        }
        Ok(OwnTaskInfo {
            title_zh: zh,
            title_en: en,
            steps_zh,
            steps_en,
            kinds,
            interval: self.interval,
            recurrence: self.recurrence,
        })
    }
}

/// A consumable kept for the terminals, counted in the drawer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StockItem {
    PaperRolls,
    CleaningCards,
}

impl StockItem {
    pub const ALL: [StockItem; 2] = [StockItem::PaperRolls, StockItem::CleaningCards];

    pub fn id(self) -> &'static str {
        match self {
            StockItem::PaperRolls => "paper_rolls",
            StockItem::CleaningCards => "cleaning_cards",
        }
    }

    pub fn from_id(id: &str) -> Option<StockItem> {
        StockItem::ALL.into_iter().find(|i| i.id() == id)
    }

    /// The id, or a short word: `paper`, `rolls`, `cards`, `cleaning`, 小票纸, 清洁卡.
    pub fn parse(text: &str) -> Option<StockItem> {
        let t = text.trim().to_lowercase().replace(['-', ' '], "_");
        match t.as_str() {
            "paper_rolls" | "paper" | "rolls" | "paper_roll" | "小票纸" | "纸卷" => {
                Some(StockItem::PaperRolls)
            }
            "cleaning_cards" | "cards" | "cleaning" | "cleaning_card" | "清洁卡" => {
                Some(StockItem::CleaningCards)
            }
            _ => None,
        }
    }

    pub fn name(self) -> Msg {
        match self {
            StockItem::PaperRolls => Msg::new("Paper rolls", "小票纸卷"),
            StockItem::CleaningCards => Msg::new("Cleaning cards", "清洁卡"),
        }
    }
}

/// How many of a consumable are in the drawer, and when that is low.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockLevel {
    pub item: StockItem,
    /// `None` until the shop first counts it.
    pub count: Option<u32>,
    /// At or below this count the board warns.
    pub low_at: u32,
}

impl StockLevel {
    pub fn is_low(&self) -> bool {
        self.count.is_some_and(|c| c <= self.low_at)
    }
}

/// Most of one consumable counted (a typo guard).
pub const MAX_STOCK: u32 = 100_000;
