//! Why a write to the maintenance tables (terminals, task templates, schedules, the history, stock and
//! photos) was refused.

use crate::domain::maintenance::MaintenanceError;
use crate::i18n::{Explain, Msg};
use crate::packs::checklists::ChecklistPackError;

/// The maintenance family's refusals: a rule of the domain, or a terminal, task, schedule or history
/// entry that is not (or no longer) as the caller saw it. Kept apart from [`crate::store::StoreError`]'s
/// file and connection failures so a screen can tell "fix what you typed" from "the data file failed".
#[derive(Debug)]
pub enum MaintenanceStoreError {
    /// A maintenance rule refused the entry (empty name, missing reason, bad value...).
    Rule(MaintenanceError),
    Checklists(ChecklistPackError),
    TerminalExists(String),
    NoTerminal,
    TerminalArchived(String),
    NoTask(String),
    /// A bundled task asked to be changed or retired: only the shop's own tasks can be.
    NotOwnTask(String),
    /// Another task already has this title (the CLI finds tasks by title).
    TaskTitleTaken(String),
    /// Fewer items in stock than asked to take.
    StockShort {
        item: &'static str,
        have: u32,
        wanted: u32,
    },
    /// Stock that was never counted cannot be used or checked.
    StockNotCounted(&'static str),
    TaskExists {
        terminal: String,
        task: String,
    },
    NoSchedule,
    /// A scanned or typed date that is not one of the task's dates: its plan changed since printing.
    NotAnOccurrence(jiff::civil::Date),
    NoEvent,
}

/// The Chinese name of a stock item named in an error by its English words.
fn stock_zh(item: &str) -> &'static str {
    match item {
        "paper rolls" => "小票纸卷",
        _ => "清洁卡",
    }
}

impl Explain for MaintenanceStoreError {
    fn explain(&self) -> Msg {
        use MaintenanceStoreError as E;
        match self {
            E::Rule(e) => e.explain(),
            E::Checklists(e) => Msg::new(
                format!("The bundled checklist pack is broken: {e}"),
                format!("内置检查清单已损坏：{e}"),
            ),
            E::TerminalExists(name) => Msg::new(
                format!("You already have a terminal named {name:?}."),
                format!("已经有名为“{name}”的终端"),
            ),
            E::NoTerminal => Msg::new(
                "That terminal is not in the data (any more).",
                "数据里没有（或已不再有）这台终端",
            ),
            E::TerminalArchived(name) => Msg::new(
                format!("Terminal {name:?} is archived; put it back in service first."),
                format!("终端“{name}”已停用；请先恢复使用"),
            ),
            E::NoTask(key) => Msg::new(
                format!("There is no task {key:?} (see the checklist templates)."),
                format!("没有任务“{key}”"),
            ),
            E::NotOwnTask(key) => Msg::new(
                format!(
                    "{key:?} is one of the bundled tasks: only the shop's own tasks can be changed or \
                     retired (take it off a terminal instead)."
                ),
                format!(
                    "“{key}”是内置任务：只能修改或停用本店自己的任务（可以把它从终端上移除）。"
                ),
            ),
            E::TaskTitleTaken(title) => Msg::new(
                format!("A task is already called {title:?}: give this one another title."),
                format!("已经有叫“{title}”的任务：请换一个名称。"),
            ),
            E::StockShort { item, have, wanted } => Msg::new(
                format!("There are only {have} {item} in stock, not {wanted}. Nothing changed."),
                format!(
                    "库存只有 {have} 个（{}），不够 {wanted} 个。未更改。",
                    stock_zh(item)
                ),
            ),
            E::StockNotCounted(item) => Msg::new(
                format!(
                    "The {item} have not been counted yet: set the count first. Nothing changed."
                ),
                format!("{}还没有盘点：请先填写数量。未更改。", stock_zh(item)),
            ),
            E::TaskExists { terminal, task } => Msg::new(
                format!("Terminal {terminal:?} already has the task {task}."),
                format!("终端“{terminal}”已经有任务 {task}"),
            ),
            E::NoSchedule => Msg::new(
                "That task is no longer on the terminal.",
                "这项任务已不在该终端上",
            ),
            E::NotAnOccurrence(day) => Msg::new(
                format!(
                    "{day} is not one of this task's dates (the sheet is older than a change to the task)."
                ),
                format!("{day} 不是这项任务的日期（打印这张单后任务设置改过）"),
            ),
            E::NoEvent => Msg::new(
                "That history entry is not there (any more).",
                "这条记录已不存在",
            ),
        }
    }
}
