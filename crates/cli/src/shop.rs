//! `task add|list|edit|remove` (the shop's own maintenance tasks) and `stock list|set|use|restock`
//! (paper rolls and cleaning cards in the drawer).

use super::maintenance::{KindArg, refused, task_named};
use crate::domain::maintenance::{
    Interval, IntervalUnit, OwnTaskInfo, Recurrence, StockItem, StockLevel, TaskTemplate,
};
use crate::i18n::{Explain, Label, Msg};
use crate::store::Store;
use anyhow::Result;
use clap::{Args, Subcommand};
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum TaskAction {
    /// Add one of the shop's own tasks; every terminal in service of its kinds gets it at once.
    /// Prints its key (own_1, own_2...), which `done`, `task edit` and `task remove` accept, as they
    /// accept its title.
    Add {
        #[command(flatten)]
        fields: TaskFields,
    },
    /// List the shop's own tasks (with --all, the bundled ones too).
    List {
        #[arg(long)]
        all: bool,
        /// Print JSON (an array of objects).
        #[arg(long)]
        json: bool,
    },
    /// Change an own task (by key or title): what is given changes, the rest stays. A new interval
    /// applies on every terminal; a kind added or dropped adds or takes the task off terminals.
    Edit {
        task: String,
        #[command(flatten)]
        fields: TaskFields,
        /// Replace the steps (with --step, --step-zh, --step-en) instead of keeping them.
        #[arg(long)]
        replace_steps: bool,
    },
    /// Retire an own task (by key or title): off every terminal and sheet; its history is kept.
    Remove { task: String },
}

/// What `task add` and `task edit` take.
#[derive(Debug, Args)]
pub struct TaskFields {
    /// The title in one language (used for both when --title-zh or --title-en is not given).
    #[arg(long)]
    title: Option<String>,
    #[arg(long)]
    title_zh: Option<String>,
    #[arg(long)]
    title_en: Option<String>,
    /// A step, in the order done (repeat the option; used for both languages).
    #[arg(long = "step", value_name = "TEXT")]
    steps: Vec<String>,
    /// A step in Chinese (repeat; as many as --step-en when both are given).
    #[arg(long = "step-zh", value_name = "TEXT")]
    steps_zh: Vec<String>,
    /// A step in English.
    #[arg(long = "step-en", value_name = "TEXT")]
    steps_en: Vec<String>,
    /// How often: every N units (1 to 366; default 1).
    #[arg(long, value_name = "N")]
    every: Option<u32>,
    /// day, week or month.
    #[arg(long, value_parser = parse_unit)]
    unit: Option<IntervalUnit>,
    /// Count the interval from the day it was last done instead of on fixed dates.
    #[arg(long)]
    after_done: bool,
    /// On fixed dates (the default; undoes --after-done on edit).
    #[arg(long, conflicts_with = "after_done")]
    fixed_dates: bool,
    /// The kinds of device that get it: card_terminal (card), qr_scanner (qr), receipt_printer
    /// (printer), pin_pad (pinpad), other. Repeat or separate with commas.
    #[arg(long = "kind", value_delimiter = ',')]
    kinds: Vec<KindArg>,
}

fn parse_unit(s: &str) -> Result<IntervalUnit, super::ArgError> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.trim_end_matches('s');
    IntervalUnit::from_id(t)
        .or(match s.trim() {
            "天" | "日" => Some(IntervalUnit::Day),
            "周" | "星期" => Some(IntervalUnit::Week),
            "月" | "个月" => Some(IntervalUnit::Month),
            _ => None,
        })
        .ok_or_else(|| {
            super::ArgError::new(
                format!("unknown unit {s:?}; use day, week or month"),
                format!("没有单位“{s}”；请用 day（天）、week（周）或 month（月）"),
            )
        })
}

impl TaskFields {
    /// The task as these options describe it, starting from `base` (an edit) or empty (an add).
    fn apply(&self, base: Option<&TaskTemplate>, replace_steps: bool) -> Result<OwnTaskInfo, Msg> {
        let mut info = match base {
            Some(t) => OwnTaskInfo {
                title_zh: t.title_zh.clone(),
                title_en: t.title_en.clone(),
                steps_zh: t.steps_zh.clone(),
                steps_en: t.steps_en.clone(),
                kinds: t.kinds.clone(),
                interval: t.interval,
                recurrence: t.recurrence,
            },
            None => OwnTaskInfo {
                title_zh: String::new(),
                title_en: String::new(),
                steps_zh: Vec::new(),
                steps_en: Vec::new(),
                kinds: Vec::new(),
                interval: Interval::new(1, IntervalUnit::Day).map_err(|e| e.explain())?,
                recurrence: Recurrence::Calendar,
            },
        };
        if let Some(t) = &self.title {
            info.title_zh = t.clone();
            info.title_en = t.clone();
        }
        if let Some(t) = &self.title_zh {
            info.title_zh = t.clone();
        }
        if let Some(t) = &self.title_en {
            info.title_en = t.clone();
        }
        let new_steps =
            !self.steps.is_empty() || !self.steps_zh.is_empty() || !self.steps_en.is_empty();
        if new_steps || replace_steps {
            info.steps_zh = if self.steps_zh.is_empty() {
                self.steps.clone()
            } else {
                self.steps_zh.clone()
            };
            info.steps_en = if self.steps_en.is_empty() {
                self.steps.clone()
            } else {
                self.steps_en.clone()
            };
        }
        if self.every.is_some() || self.unit.is_some() {
            let every = self.every.unwrap_or(info.interval.every());
            let unit = self.unit.unwrap_or(info.interval.unit());
            info.interval = Interval::new(every, unit).map_err(|e| e.explain())?;
        }
        if self.after_done {
            info.recurrence = Recurrence::AfterDone;
        } else if self.fixed_dates {
            info.recurrence = Recurrence::Calendar;
        }
        if !self.kinds.is_empty() {
            info.kinds = self.kinds.iter().map(|k| k.0).collect();
        }
        Ok(info)
    }
}

/// One task of `task list`, in the user's language: its key, title, interval, kinds (their ids, as
/// `--kind` takes them) and, when it counts from the last done, that.
fn task_line(t: &TaskTemplate) -> String {
    let lang = super::lang();
    let kinds: Vec<&str> = t.kinds.iter().map(|k| k.id()).collect();
    let after = if t.recurrence == Recurrence::AfterDone {
        let label = t.recurrence.label();
        lang.pick(
            &format!("  ({})", label.en.to_lowercase()),
            &format!("（{}）", label.zh),
        )
        .to_string()
    } else {
        String::new()
    };
    format!(
        "{}  {}  {}  [{}]{after}",
        t.key,
        lang.pick(&t.title_en, &t.title_zh),
        t.interval.describe().get(lang),
        kinds.join(","),
    )
}

#[derive(Serialize)]
struct JsonTask<'a> {
    key: &'a str,
    title_zh: &'a str,
    title_en: &'a str,
    steps_zh: &'a [String],
    steps_en: &'a [String],
    every: u32,
    unit: &'static str,
    recurrence: &'static str,
    kinds: Vec<&'static str>,
    own: bool,
}

fn json_task(t: &TaskTemplate) -> JsonTask<'_> {
    JsonTask {
        key: &t.key,
        title_zh: &t.title_zh,
        title_en: &t.title_en,
        steps_zh: &t.steps_zh,
        steps_en: &t.steps_en,
        every: t.interval.every(),
        unit: t.interval.unit().id(),
        recurrence: t.recurrence.id(),
        kinds: t.kinds.iter().map(|k| k.id()).collect(),
        own: t.own,
    }
}

fn unknown_task(name: &str) -> ExitCode {
    let name = name.trim();
    eprintln!(
        "{}",
        super::say(&Msg::new(
            format!("No task is named {name:?}; see `posdesk task list --all`."),
            format!("没有名为“{name}”的任务；请看 `posdesk task list --all`。"),
        ))
    );
    ExitCode::from(1)
}

/// The options given do not make a task or a count: said in the user's language, exit 2.
fn bad_fields(message: &Msg) -> ExitCode {
    eprintln!("{}", super::say(message));
    ExitCode::from(2)
}

pub fn task(store: &mut Store, out: &mut impl Write, action: TaskAction) -> Result<ExitCode> {
    match action {
        TaskAction::Add { fields } => {
            let info = match fields.apply(None, false) {
                Ok(i) => i,
                Err(m) => return Ok(bad_fields(&m)),
            };
            match store.add_own_task(&info) {
                Ok(t) => {
                    writeln!(out, "{}", t.key)?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => Ok(refused(&e)),
            }
        }
        TaskAction::List { all, json } => {
            let tasks: Vec<TaskTemplate> = if all {
                store.templates()?
            } else {
                store.own_tasks()?
            };
            if json {
                let list: Vec<JsonTask> = tasks.iter().map(json_task).collect();
                writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
            } else if tasks.is_empty() {
                let none = Msg::new(
                    "No tasks of your own yet: add one with `posdesk task add --title ... --step ... \
                     --unit week --kind card`.",
                    "还没有自定义任务：用 `posdesk task add --title 名称 --step 步骤 --unit week \
                     --kind card` 添加。",
                );
                writeln!(out, "{}", super::say(&none))?;
            } else {
                for t in &tasks {
                    writeln!(out, "{}", task_line(t))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        TaskAction::Edit {
            task,
            fields,
            replace_steps,
        } => {
            let Some(t) = task_named(store, &task)? else {
                return Ok(unknown_task(&task));
            };
            let info = match fields.apply(Some(&t), replace_steps) {
                Ok(i) => i,
                Err(m) => return Ok(bad_fields(&m)),
            };
            match store.edit_own_task(&t.key, &info) {
                Ok(t) => {
                    writeln!(out, "{}", t.key)?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => Ok(refused(&e)),
            }
        }
        TaskAction::Remove { task } => {
            let Some(t) = task_named(store, &task)? else {
                return Ok(unknown_task(&task));
            };
            match store.retire_own_task(&t.key) {
                Ok(t) => {
                    writeln!(out, "{}", t.key)?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => Ok(refused(&e)),
            }
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum StockAction {
    /// The paper rolls and cleaning cards in stock, and when each is low.
    List {
        /// Print JSON (an array of objects).
        #[arg(long)]
        json: bool,
    },
    /// Set the counted number (--count) and/or the low-stock warning level (--low).
    Set {
        /// paper_rolls (paper) or cleaning_cards (cards).
        item: StockArg,
        #[arg(long, value_name = "N")]
        count: Option<u32>,
        #[arg(long, value_name = "N")]
        low: Option<u32>,
    },
    /// Take N (default 1) out of stock, e.g. a roll put in a printer.
    Use {
        item: StockArg,
        #[arg(default_value_t = 1)]
        n: u32,
    },
    /// Add N to stock (a delivery).
    Restock { item: StockArg, n: u32 },
}

/// A stock item as typed on the command line.
#[derive(Debug, Clone, Copy)]
pub struct StockArg(pub StockItem);

impl std::str::FromStr for StockArg {
    type Err = super::ArgError;

    fn from_str(s: &str) -> Result<StockArg, super::ArgError> {
        StockItem::parse(s).map(StockArg).ok_or_else(|| {
            super::ArgError::new(
                format!("unknown item {s:?}; use paper_rolls or cleaning_cards"),
                format!("没有“{s}”这一项；请用 paper_rolls（小票纸卷）或 cleaning_cards（清洁卡）"),
            )
        })
    }
}

#[derive(Serialize)]
struct JsonStock {
    item: &'static str,
    count: Option<u32>,
    low_at: u32,
    low: bool,
}

/// One line of `stock`, in the user's language: the item's id and count first (scripts read them),
/// then its warning level, its name, and whether it is low.
fn stock_line(s: &StockLevel) -> String {
    let name = s.item.name();
    let low_at = s.low_at;
    let count = match s.count {
        Some(c) => c.to_string(),
        None => super::say(&Msg::new("not counted", "未盘点")).to_string(),
    };
    let low = if s.is_low() {
        Msg::new("  LOW: reorder", "  库存不足：请补货")
    } else {
        Msg::new("", "")
    };
    let rest = Msg::new(
        format!("(warn at {low_at})  {}{}", name.en, low.en),
        format!("（低于或等于 {low_at} 时提醒）  {}{}", name.zh, low.zh),
    );
    format!("{}  {count}  {}", s.item.id(), super::say(&rest))
}

pub fn stock(store: &mut Store, out: &mut impl Write, action: StockAction) -> Result<ExitCode> {
    let changed = match action {
        StockAction::List { json } => {
            let levels = store.stock()?;
            if json {
                let list: Vec<JsonStock> = levels
                    .iter()
                    .map(|s| JsonStock {
                        item: s.item.id(),
                        count: s.count,
                        low_at: s.low_at,
                        low: s.is_low(),
                    })
                    .collect();
                writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
            } else {
                for s in &levels {
                    writeln!(out, "{}", stock_line(s))?;
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        StockAction::Set { item, count, low } => {
            if count.is_none() && low.is_none() {
                return Ok(bad_fields(&Msg::new(
                    "Give --count N and/or --low N.",
                    "请填写 --count（数量）和/或 --low（提醒数量）。",
                )));
            }
            store.set_stock(item.0, count, low)
        }
        StockAction::Use { item, n } => store.use_stock(item.0, n),
        StockAction::Restock { item, n } => store.restock(item.0, n),
    };
    match changed {
        Ok(level) => {
            writeln!(out, "{}", stock_line(&level))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Ok(refused(&e)),
    }
}
