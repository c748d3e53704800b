//! The rules maintenance entries keep (names, reasons, notes, values), explained to the clerk.

use super::*;

/// The rules maintenance entries keep, explained to the clerk.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MaintenanceError {
    #[error("the terminal needs a name")]
    EmptyName,
    #[error("the {field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("say why (a reason is needed to skip or snooze a task)")]
    ReasonRequired,
    #[error("snooze until a day after {on} (not {until})")]
    SnoozeNotLater { on: Date, until: Date },
    #[error("an interval must be 1 to {MAX_EVERY}, not {0}")]
    BadInterval(u32),
    #[error("the {0} is empty")]
    ValueEmpty(ValueKind),
    #[error("{value:?} is not a valid {kind} (a whole number from 0 to {max})")]
    BadValue {
        kind: ValueKind,
        value: String,
        max: u32,
    },
    #[error("this task records no value")]
    ValueNotAsked,
    #[error("task key {0:?} must be lower-case letters, digits and _")]
    BadKey(String),
    /// A required part of a task is empty: the field's name (`title`, `steps`, `kinds`...).
    #[error("{}", missing_words(.0).en)]
    Missing(&'static str),
    #[error("the steps differ in number ({en} in English, {zh} in Chinese)")]
    StepsMismatch { en: usize, zh: usize },
    #[error("{0:?} is not a photo (use a .jpg, .png, .webp or .heic file)")]
    NotAPhoto(String),
}

impl Explain for MaintenanceError {
    fn explain(&self) -> Msg {
        use crate::i18n::Label;
        match self {
            MaintenanceError::EmptyName => {
                Msg::new("The terminal needs a name.", "请给终端起个名字。")
            }
            MaintenanceError::TooLong { field, max } => Msg::new(
                format!("The {field} is longer than {max} characters."),
                format!("{}超过 {max} 个字符。", field_zh(field)),
            ),
            MaintenanceError::ReasonRequired => Msg::new(
                "Say why: a reason is needed to skip or snooze a task.",
                "请写明原因：跳过或推迟任务需要填写原因。",
            ),
            MaintenanceError::SnoozeNotLater { on, until } => Msg::new(
                format!("Snooze until a day after {on} (not {until})."),
                format!("推迟到的日期要晚于 {on}（不能是 {until}）。"),
            ),
            MaintenanceError::BadInterval(n) => Msg::new(
                self.to_string(),
                format!("间隔必须在 1 到 {MAX_EVERY} 之间，不能是 {n}。"),
            ),
            MaintenanceError::ValueEmpty(kind) => Msg::new(
                format!("The {} is empty.", kind.label().en.to_lowercase()),
                format!("{}没有填写。", kind.label().zh),
            ),
            MaintenanceError::BadValue { kind, value, max } => Msg::new(
                format!(
                    "{value:?} is not a valid {}: write a whole number from 0 to {max}.",
                    kind.label().en.to_lowercase()
                ),
                format!(
                    "“{value}”不是有效的{}：请填 0 到 {max} 的整数。",
                    kind.label().zh
                ),
            ),
            MaintenanceError::ValueNotAsked => {
                Msg::new("This task records no value.", "这项任务不需要记录数值。")
            }
            MaintenanceError::BadKey(key) => Msg::new(
                self.to_string(),
                format!("任务代号“{key}”只能用小写字母、数字和下划线。"),
            ),
            MaintenanceError::Missing(field) => missing_words(field),
            MaintenanceError::StepsMismatch { en, zh } => Msg::new(
                self.to_string(),
                format!("中英文步骤数目不同（英文 {en} 步，中文 {zh} 步）。"),
            ),
            MaintenanceError::NotAPhoto(name) => Msg::new(
                format!("{name:?} is not a photo: choose a .jpg, .png, .webp or .heic file."),
                format!("“{name}”不是照片：请选择 .jpg、.png、.webp 或 .heic 文件。"),
            ),
        }
    }
}

/// What to fill in when a required part of a task is empty, per field, as the clerk acts on it.
fn missing_words(field: &str) -> Msg {
    match field {
        "title" => Msg::new(
            "Give the task a title (in Chinese or English).",
            "请填写任务名称（中文或英文都可以）。",
        ),
        "steps" => Msg::new("Write at least one step.", "请至少写一个步骤。"),
        "kinds" => Msg::new(
            "Choose at least one kind of device the task is for.",
            "请至少选择一种适用的设备。",
        ),
        "value label" => Msg::new(
            "Name the value the task records, in Chinese and in English.",
            "请用中文和英文写上这项任务要记录的数值名称。",
        ),
        "title_zh" => Msg::new("Give the task its Chinese title.", "请填写任务的中文名称。"),
        "title_en" => Msg::new("Give the task its English title.", "请填写任务的英文名称。"),
        "why_zh" => Msg::new(
            "Say in Chinese why the task is done.",
            "请用中文写明为什么要做这项任务。",
        ),
        "why_en" => Msg::new(
            "Say in English why the task is done.",
            "请用英文写明为什么要做这项任务。",
        ),
        other => Msg::new(
            format!("Fill in the {other}."),
            format!("请填写{}。", field_zh(other)),
        ),
    }
}

pub(super) fn field_zh(field: &str) -> &str {
    match field {
        "name" => "名称",
        "model" => "型号",
        "serial" => "序列号",
        "location" => "位置",
        "provider" => "服务商",
        "support phone" => "客服电话",
        "firmware" => "固件版本",
        "notes" => "备注",
        "note" => "备注",
        "reason" => "原因",
        "steps" => "步骤",
        "kinds" => "适用设备",
        "value label" => "记录项名称",
        "title" => "任务名称",
        "step" => "步骤",
        other => other,
    }
}

/// A reason for a skip or snooze: trimmed, not empty, not too long.
pub fn checked_reason(reason: &str) -> Result<String, MaintenanceError> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(MaintenanceError::ReasonRequired);
    }
    if r.chars().count() > MAX_NOTE_CHARS {
        return Err(MaintenanceError::TooLong {
            field: "reason",
            max: MAX_NOTE_CHARS,
        });
    }
    Ok(r.to_string())
}

/// A note for a done task: trimmed, may be empty, not too long.
pub fn checked_note(note: &str) -> Result<String, MaintenanceError> {
    let n = note.trim();
    if n.chars().count() > MAX_NOTE_CHARS {
        return Err(MaintenanceError::TooLong {
            field: "note",
            max: MAX_NOTE_CHARS,
        });
    }
    Ok(n.to_string())
}
