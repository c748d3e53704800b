//! The printed maintenance checklist: what the caller hands in ([`ChecklistSheet`]) and how it is laid
//! out on each [`Paper`].
//!
//! Layout, per paper:
//! - **A4**: pages flow from terminal to terminal. Each terminal has a heading, then (on a sheet of
//!   several days) a sub-heading per date, then one row per task: tick box, title, the short steps and
//!   the "value to record" line on the left, the task's barcode in a column on the right. A Date /
//!   Initials / Signature line closes each terminal. A heading never ends a page alone and the
//!   signature line never starts one; a terminal that runs onto the next page repeats its name there
//!   "(continued)".
//! - **80 mm and 58 mm receipts**: one strip per terminal (staff tear them apart and take each to its
//!   till), each page only as long as its content and at most 297 mm, the roll length thermal
//!   printer drivers offer by default; a longer terminal continues on the next page. Everything is
//!   one column with the barcode centred under its task. Margins are 4 mm (80 mm paper) and 5 mm
//!   (58 mm paper): the printable widths of those heads are 72 mm and 48 mm.
//! - **A week** (a sheet of several days) is a grid: one row per task, a tick box under each day it is
//!   due, one barcode per task that records the day it is scanned, and a row of initials per day; each
//!   task's steps are printed once, after the grid (once per sheet on A4, once per strip on a
//!   receipt). An A4 week of several terminals starts with a one-page summary for a manager: terminal ×
//!   day, how many tasks are due.
//! - **Thermal-safe**: receipts are solid black only (a 1-bit 203 dpi raster breaks grey into dots).
//!   Every barcode starts on a whole printer dot, its modules are whole dots (2 dots, 0.25 mm, at 203
//!   dpi on receipts; 4 dots, 0.34 mm, at 300 dpi on A4), and each bar is drawn half a dot narrower
//!   (a quarter each side), so a rasteriser fills exactly the module's dots and one dot of thermal
//!   bleed still leaves every space open. 10 modules of quiet zone each side.
//! - Steps and warnings are never cut: titles and steps wrap onto as many lines as they need.

use super::PrintError;
use super::barcode::{Code128Bars, MIN_MODULE_PT, QUIET_MODULES};
use super::flow::{Block, Frame, Pen, language_tag, number_pages, paginate};
use super::layout::{Ink, LEADING, Op, PageLayout, Typeface, write_pdf};
use crate::domain::code::id_enum;
use crate::domain::scan::ScanCode;
use crate::i18n::Lang;
use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

id_enum! {
    /// The paper a checklist is laid out for; ids are the CLI's `--paper` values.
    pub enum Paper {
        A4 = "a4",
        Receipt80 = "80mm",
        Receipt58 = "58mm",
    }
}

crate::labels!(Paper {
    A4 => ("A4", "A4"),
    Receipt80 => ("80 mm receipt", "80 毫米小票"),
    Receipt58 => ("58 mm receipt", "58 毫米小票"),
});

const MM: f32 = 72.0 / 25.4;

impl Paper {
    /// Page width in points.
    pub fn width_pt(self) -> f32 {
        match self {
            Paper::A4 => 210.0 * MM,
            Paper::Receipt80 => 80.0 * MM,
            Paper::Receipt58 => 58.0 * MM,
        }
    }

    fn geometry(self) -> Geometry {
        match self {
            Paper::A4 => Geometry {
                width: self.width_pt(),
                margin: 40.0,
                top: 40.0,
                bottom: 40.0,
                max_height: 297.0 * MM,
                fixed_height: true,
                dot: 72.0 / 300.0,
                module: 4.0 * 72.0 / 300.0,
                bar_height: 30.0,
                title: 16.0,
                heading: 13.0,
                task: 11.0,
                step: 8.5,
                small: 7.0,
                beside: true,
            },
            Paper::Receipt80 => Geometry {
                width: self.width_pt(),
                margin: 4.0 * MM,
                top: 10.0,
                bottom: 18.0,
                max_height: 297.0 * MM,
                fixed_height: false,
                dot: 72.0 / 203.0,
                module: MIN_MODULE_PT,
                bar_height: 28.0,
                title: 12.0,
                heading: 11.0,
                task: 9.5,
                step: 8.0,
                small: 6.5,
                beside: false,
            },
            Paper::Receipt58 => Geometry {
                width: self.width_pt(),
                margin: 5.0 * MM,
                top: 10.0,
                bottom: 18.0,
                max_height: 297.0 * MM,
                fixed_height: false,
                dot: 72.0 / 203.0,
                module: MIN_MODULE_PT,
                bar_height: 26.0,
                title: 10.5,
                heading: 10.0,
                task: 9.0,
                step: 7.5,
                small: 6.0,
                beside: false,
            },
        }
    }
}

/// A checklist to print, already in one language: the caller picks titles and steps in `lang`; the
/// fixed words (Date, Initials, Signature, weekdays) are written here in the same `lang`.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistSheet {
    pub lang: Lang,
    /// First line of the sheet, e.g. "Maintenance checklist" / "维护检查表".
    pub title: String,
    /// The shop's name; may be empty.
    pub shop: String,
    /// The day printed for, or the first and last day of the week (equal for one day).
    pub first_day: Date,
    pub last_day: Date,
    pub terminals: Vec<TerminalChecklist>,
}

/// One terminal's part of the sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct TerminalChecklist {
    /// "Till 2 card terminal".
    pub name: String,
    /// A second line: model, location, provider and phone; may be empty.
    pub detail: String,
    /// In the order they should be done; a week's tasks are grouped by date on the sheet (keeping
    /// this order within a date).
    pub tasks: Vec<ChecklistTask>,
}

/// One task occurrence: a tick box and a barcode on paper.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistTask {
    pub title: String,
    /// The how-to steps, all of them, printed in full (warnings such as "never spray anything onto
    /// the terminal" are steps too).
    pub steps: Vec<String>,
    /// The value to write down when done, as a label without blanks ("Firmware version"); the sheet
    /// draws the writing line.
    pub record: Option<String>,
    /// Which schedule and date; the barcode carries its [`ScanCode::barcode`] and the date comes from
    /// it. On a week sheet the task's row carries [`ScanCode::week`] of the same schedule.
    pub scan: ScanCode,
    /// Already done or skipped when the sheet was made (a reprint): the box is printed ticked.
    pub done: bool,
    /// Said after the title, e.g. " (overdue since 2026-12-01, missed 3 times)"; may be empty.
    pub note: String,
}

/// Most lines a title or one step may take: a whole sentence always fits (nothing real comes near).
const MAX_LINES: usize = 12;

/// The PDF of `sheet` on `paper`.
pub fn render_checklist(sheet: &ChecklistSheet, paper: Paper) -> Result<Vec<u8>, PrintError> {
    let tf = Typeface::bundled()?;
    let pages = lay_out(tf, sheet, paper)?;
    write_pdf(tf, &pages, &sheet.title, language_tag(sheet.lang))
}

/// Sizes in points for one paper.
#[derive(Debug, Clone, Copy)]
struct Geometry {
    width: f32,
    margin: f32,
    top: f32,
    bottom: f32,
    /// The page height (A4) or the longest page (receipts).
    max_height: f32,
    fixed_height: bool,
    /// One dot of the printer the paper goes through (203 dpi thermal head; 300 dpi office printer).
    dot: f32,
    module: f32,
    bar_height: f32,
    title: f32,
    heading: f32,
    task: f32,
    step: f32,
    small: f32,
    /// Barcode in a column beside the task (A4) or under it (receipts).
    beside: bool,
}

impl Geometry {
    fn content(&self) -> f32 {
        self.width - 2.0 * self.margin
    }

    fn right(&self) -> f32 {
        self.width - self.margin
    }

    fn quiet(&self) -> f32 {
        QUIET_MODULES as f32 * self.module
    }

    /// `x` moved to the nearest whole printer dot.
    fn snap(&self, x: f32) -> f32 {
        (x / self.dot).round() * self.dot
    }

    /// How much narrower each bar is drawn, each side, in modules: a quarter dot.
    fn shave(&self) -> f32 {
        0.25 * self.dot / self.module
    }

    /// Receipts go to a thermal head: black only.
    fn thermal(&self) -> bool {
        !self.fixed_height
    }

    /// The size of the text under a barcode: legible on a thermal head.
    fn code_text(&self) -> f32 {
        if self.thermal() {
            self.small.max(7.5)
        } else {
            self.small
        }
    }
}

fn weekday(lang: Lang, d: Date) -> &'static str {
    match d.weekday() {
        Weekday::Monday => lang.tr("Mon", "周一"),
        Weekday::Tuesday => lang.tr("Tue", "周二"),
        Weekday::Wednesday => lang.tr("Wed", "周三"),
        Weekday::Thursday => lang.tr("Thu", "周四"),
        Weekday::Friday => lang.tr("Fri", "周五"),
        Weekday::Saturday => lang.tr("Sat", "周六"),
        Weekday::Sunday => lang.tr("Sun", "周日"),
    }
}

/// `2026-12-01 Tue`: ISO dates read the same in both languages and sort on a clipboard.
fn day_text(lang: Lang, d: Date) -> String {
    format!("{d} {}", weekday(lang, d))
}

fn period_text(sheet: &ChecklistSheet) -> String {
    let (a, b) = if sheet.first_day <= sheet.last_day {
        (sheet.first_day, sheet.last_day)
    } else {
        (sheet.last_day, sheet.first_day)
    };
    if a == b {
        day_text(sheet.lang, a)
    } else {
        format!("{} – {}", day_text(sheet.lang, a), day_text(sheet.lang, b))
    }
}

fn legend(lang: Lang, week: bool) -> &'static str {
    if week {
        lang.tr(
            "Tick the day's box when a task is done and write your initials under the day. Scan the task's code at the till the same day: posdesk records it for the day it is scanned.",
            "完成一项就在当天的方框里打勾，并在当天下面写上姓名缩写。当天在收银台扫描这项任务的条码，posdesk 即记为扫描当天完成。",
        )
    } else {
        lang.tr(
            "Tick the box when a task is done. Scan its code at the till to record it in posdesk.",
            "完成一项就在方框里打勾。在收银台扫描它的条码，posdesk 即记为已完成。",
        )
    }
}

/// The sheet as pages of drawing operations.
fn lay_out(
    tf: &Typeface,
    sheet: &ChecklistSheet,
    paper: Paper,
) -> Result<Vec<PageLayout>, PrintError> {
    let g = paper.geometry();
    let mut pages = if sheet.first_day != sheet.last_day {
        lay_out_week(tf, &g, sheet, paper)?
    } else {
        lay_out_day(tf, &g, sheet, paper)?
    };
    number_pages(tf, &mut pages, g.right(), g.bottom, g.small);
    if g.thermal() {
        solid_black(&mut pages);
    }
    Ok(pages)
}

/// A thermal head prints black or nothing: grey text and rules become black.
fn solid_black(pages: &mut [PageLayout]) {
    for op in pages.iter_mut().flat_map(|p| p.ops.iter_mut()) {
        match op {
            Op::Text { ink, .. } if *ink == Ink::Grey => *ink = Ink::Body,
            Op::Rule { grey, .. } => *grey = false,
            _ => {}
        }
    }
}

/// The bars of `scan`'s barcode, refused when posdesk would not read it back or it is too wide.
fn bars_for(g: &Geometry, scan: ScanCode, paper: Paper) -> Result<Code128Bars, PrintError> {
    let payload = scan.barcode();
    // A code the till could not read back (a schedule id of 0 or less) is not printed.
    if ScanCode::parse(&payload) != Some(scan) {
        return Err(PrintError::Barcode {
            payload,
            reason: "posdesk would not read this code back".to_string(),
        });
    }
    let b = Code128Bars::new(&payload)?;
    let w = b.modules.len() as f32 * g.module;
    if w > g.content() || w + 2.0 * g.quiet() > g.width {
        return Err(PrintError::BarcodeTooWide { payload, paper });
    }
    Ok(b)
}

/// A barcode at `x` (moved to a whole dot) and `y`, with its human-readable text under it; returns
/// the bottom of the text.
#[allow(clippy::too_many_arguments)]
fn draw_code(
    tf: &Typeface,
    g: &Geometry,
    pen: &mut Pen<'_>,
    scan: ScanCode,
    bars: &Code128Bars,
    x: f32,
    y: f32,
    bar_height: f32,
) -> f32 {
    let x = draw_bars(g, pen, bars, x, y, bar_height);
    let bars_w = bars.modules.len() as f32 * g.module;
    let text = scan.human();
    let size = g.code_text();
    let text_w = tf.width(&text, size);
    let text_y = y + bar_height + 1.0;
    pen.ops.push(Op::text(
        x + (bars_w - text_w) / 2.0,
        text_y,
        size,
        Ink::Body,
        text,
    ));
    text_y + size * LEADING
}

/// The bars alone at `x` moved to a whole dot (returned) and `y`.
fn draw_bars(
    g: &Geometry,
    pen: &mut Pen<'_>,
    bars: &Code128Bars,
    x: f32,
    y: f32,
    height: f32,
) -> f32 {
    let x = g.snap(x);
    pen.ops.push(Op::Bars {
        x,
        y,
        module: g.module,
        height,
        runs: bars.runs(),
        shave: g.shave(),
    });
    x
}

/// One day: a row per task with its steps and barcode, a signature block per terminal.
fn lay_out_day(
    tf: &Typeface,
    g: &Geometry,
    sheet: &ChecklistSheet,
    paper: Paper,
) -> Result<Vec<PageLayout>, PrintError> {
    let lang = sheet.lang;
    // The bars first: a code too wide for the paper is an error before anything is drawn, and A4's
    // barcode column is as wide as the widest code.
    let mut bars: Vec<Vec<Code128Bars>> = Vec::with_capacity(sheet.terminals.len());
    let mut widest: f32 = 0.0;
    for t in &sheet.terminals {
        let mut row = Vec::with_capacity(t.tasks.len());
        for task in &t.tasks {
            let b = bars_for(g, task.scan, paper)?;
            widest = widest.max(b.modules.len() as f32 * g.module);
            row.push(b);
        }
        bars.push(row);
    }

    let mut groups: Vec<(Block, Vec<Block>)> = Vec::new();
    if g.fixed_height {
        let mut blocks = Vec::new();
        for (t, tb) in sheet.terminals.iter().zip(&bars) {
            blocks.push(terminal_heading(tf, g, t));
            terminal_blocks(tf, g, lang, t, tb, widest, &mut blocks);
        }
        if sheet.terminals.is_empty() {
            blocks.push(nothing_due(tf, g, lang));
        }
        groups.push((sheet_header(tf, g, sheet, None), blocks));
    } else {
        for (t, tb) in sheet.terminals.iter().zip(&bars) {
            let mut blocks = Vec::new();
            terminal_blocks(tf, g, lang, t, tb, widest, &mut blocks);
            groups.push((sheet_header(tf, g, sheet, Some(t)), blocks));
        }
        if sheet.terminals.is_empty() {
            groups.push((
                sheet_header(tf, g, sheet, None),
                vec![nothing_due(tf, g, lang)],
            ));
        }
    }
    Ok(paginate_groups(tf, g, sheet, groups))
}

fn paginate_groups(
    tf: &Typeface,
    g: &Geometry,
    sheet: &ChecklistSheet,
    groups: Vec<(Block, Vec<Block>)>,
) -> Vec<PageLayout> {
    let frame = Frame {
        width: g.width,
        max_height: g.max_height,
        top: g.top,
        bottom: g.bottom,
        fixed_height: g.fixed_height,
    };
    let mut pages = Vec::new();
    for (first_header, blocks) in groups {
        let continuation = |context: Option<&str>| continuation_header(tf, g, sheet, context);
        paginate(&frame, first_header, blocks, continuation, &mut pages);
    }
    pages
}

/// One task's row on a week sheet: the days it is due, those already done, its week barcode.
struct WeekRow<'a> {
    task: &'a ChecklistTask,
    due: [bool; 7],
    done: [bool; 7],
    scan: ScanCode,
    bars: Code128Bars,
}

/// The rows of one terminal's week, in the order the tasks first come. A catch-up line (overdue
/// from before the week) is due on the first day.
fn week_rows<'a>(
    g: &Geometry,
    t: &'a TerminalChecklist,
    first: Date,
    paper: Paper,
) -> Result<Vec<WeekRow<'a>>, PrintError> {
    let mut rows: Vec<WeekRow<'a>> = Vec::new();
    for task in &t.tasks {
        let offset = first
            .until(task.scan.date)
            .map(|s| s.get_days())
            .unwrap_or(0);
        let Ok(day) = usize::try_from(offset.max(0)) else {
            continue;
        };
        if day > 6 {
            continue;
        }
        let row = match rows
            .iter()
            .position(|r| r.scan.schedule_id == task.scan.schedule_id)
        {
            Some(i) => &mut rows[i],
            None => {
                let scan = ScanCode::week(task.scan.schedule_id, first);
                rows.push(WeekRow {
                    task,
                    due: [false; 7],
                    done: [false; 7],
                    scan,
                    bars: bars_for(g, scan, paper)?,
                });
                let last = rows.len() - 1;
                &mut rows[last]
            }
        };
        row.due[day] = true;
        row.done[day] |= task.done;
    }
    Ok(rows)
}

/// A terminal's name, and its details after it on the same line (a week's A4 page holds four).
fn week_heading(tf: &Typeface, g: &Geometry, t: &TerminalChecklist) -> Block {
    let mut pen = Pen::new(tf);
    pen.gap(5.0);
    let size = g.heading - 1.0;
    let name = tf.fit(&t.name, size, g.content() * 0.6);
    let name_w = tf.width(&name, size);
    pen.ops
        .push(Op::text(g.margin, pen.y, size, Ink::Bold, name));
    if !t.detail.trim().is_empty() {
        let x = g.margin + name_w + 8.0;
        let detail = tf.fit(&t.detail, g.small + 1.0, g.right() - x);
        pen.ops.push(Op::text(
            x,
            pen.y + (size - g.small - 1.0) * 0.9,
            g.small + 1.0,
            Ink::Grey,
            detail,
        ));
    }
    pen.y += size * LEADING;
    pen.block(true, None)
}

/// Sizes of the week grid on one paper.
struct WeekGrid {
    title: f32,
    day_w: f32,
    bar_height: f32,
    /// Left edge of the first day column.
    days_x: f32,
    /// The title column's width (A4) or the full width (receipts, title above the boxes).
    title_w: f32,
    /// Barcode beside the boxes (A4, and receipts wide enough) or under them.
    code_beside: bool,
    /// A4: the barcode column's left edge.
    code_x: f32,
}

fn week_grid(g: &Geometry, widest: f32) -> WeekGrid {
    let code_col = widest + 2.0 * g.quiet();
    if g.beside {
        let day_w = 24.0;
        let days_x = g.right() - code_col - 7.0 * day_w;
        WeekGrid {
            title: 9.0,
            day_w,
            bar_height: 14.0,
            days_x,
            title_w: days_x - g.margin - 6.0,
            code_beside: true,
            code_x: g.right() - code_col,
        }
    } else {
        let day_w = if g.content() > 180.0 { 14.0 } else { 17.0 };
        let beside = 7.0 * day_w + code_col <= g.content() + 0.01;
        WeekGrid {
            title: g.task,
            day_w,
            bar_height: 18.0,
            days_x: g.margin,
            title_w: g.content(),
            code_beside: beside,
            code_x: g.right() - code_col,
        }
    }
}

/// The weekday and day of the month over each day column.
fn day_header(
    tf: &Typeface,
    g: &Geometry,
    grid: &WeekGrid,
    lang: Lang,
    first: Date,
    label: &str,
) -> Block {
    let mut pen = Pen::new(tf);
    let size = g.small;
    pen.gap(2.0);
    if !label.is_empty() {
        pen.ops.push(Op::text(
            g.margin,
            pen.y,
            size,
            Ink::Grey,
            tf.fit(label, size, grid.title_w),
        ));
    }
    // A4: "Sun 6" on one line; a narrow receipt column: the weekday over the day of the month.
    let lines = if g.beside { 1.0 } else { 2.0 };
    for d in 0..7 {
        let day = first
            .checked_add(jiff::Span::new().days(d))
            .unwrap_or(first);
        let x = grid.days_x + d as f32 * grid.day_w;
        let texts = if g.beside {
            vec![format!("{} {}", weekday(lang, day), day.day())]
        } else {
            vec![weekday(lang, day).to_string(), day.day().to_string()]
        };
        for (line, text) in texts.into_iter().enumerate() {
            let text = tf.fit(&text, size, grid.day_w);
            let w = tf.width(&text, size);
            pen.ops.push(Op::text(
                x + (grid.day_w - w) / 2.0,
                pen.y + line as f32 * size * LEADING,
                size,
                Ink::Bold,
                text,
            ));
        }
    }
    pen.y += lines * size * LEADING + 1.0;
    pen.rule(g.margin, g.content(), 0.4, true);
    pen.gap(2.0);
    pen.block(true, None)
}

/// One task's row: title, a box under each day it is due, its week barcode.
fn week_row_block(
    tf: &Typeface,
    g: &Geometry,
    grid: &WeekGrid,
    row: &WeekRow<'_>,
    context: Rc<str>,
) -> Block {
    let mut pen = Pen::new(tf);
    pen.gap(if g.beside { 2.0 } else { 3.0 });
    let top = pen.y;
    let mut title = row.task.title.clone();
    if !row.task.note.is_empty() {
        title.push_str(&row.task.note);
    }
    pen.wrapped(
        g.margin,
        grid.title_w,
        grid.title,
        Ink::Bold,
        &title,
        MAX_LINES,
    );
    let boxes_y = if g.beside { top } else { pen.y + 1.0 };
    let box_size = (grid.day_w - 5.0).min(11.0);
    for d in 0..7 {
        let x = grid.days_x + d as f32 * grid.day_w + (grid.day_w - box_size) / 2.0;
        if row.due[d] {
            pen.ops.push(Op::Frame {
                x,
                y: boxes_y,
                w: box_size,
                h: box_size,
                line: 0.8,
            });
            if row.done[d] {
                tick(&mut pen, x, boxes_y, box_size);
            }
        } else {
            let w = tf.width("-", g.small);
            pen.ops.push(Op::text(
                x + (box_size - w) / 2.0,
                boxes_y + (box_size - g.small * LEADING) / 2.0,
                g.small,
                Ink::Grey,
                "-",
            ));
        }
    }
    let boxes_bottom = boxes_y + box_size + 2.0;
    let bars_w = row.bars.modules.len() as f32 * g.module;
    let (code_x, code_y) = if grid.code_beside {
        let x = if g.beside {
            grid.code_x + g.quiet()
        } else {
            g.right() - g.quiet() - bars_w
        };
        (x, boxes_y)
    } else {
        (g.margin + (g.content() - bars_w) / 2.0, boxes_bottom + 2.0)
    };
    let code_bottom = if g.beside {
        // A4: the code's digits go under the title, where the row has room, so a row is only as
        // tall as its bars (fifty terminals' week fits fifteen pages).
        let size = g.code_text();
        pen.ops
            .push(Op::text(g.margin, pen.y, size, Ink::Body, row.scan.human()));
        pen.y += size * LEADING;
        draw_bars(g, &mut pen, &row.bars, code_x, code_y, grid.bar_height);
        code_y + grid.bar_height
    } else {
        draw_code(
            tf,
            g,
            &mut pen,
            row.scan,
            &row.bars,
            code_x,
            code_y,
            grid.bar_height,
        )
    };
    pen.y = pen.y.max(boxes_bottom).max(code_bottom) + 2.0;
    pen.rule(g.margin, g.content(), 0.3, true);
    pen.gap(1.0);
    pen.block(false, Some(context))
}

/// "Initials" and a box under each day.
fn initials_block(
    tf: &Typeface,
    g: &Geometry,
    grid: &WeekGrid,
    lang: Lang,
    context: Rc<str>,
) -> Block {
    let mut pen = Pen::new(tf);
    let size = g.step;
    pen.gap(3.0);
    let label = format!("{}{}", lang.tr("Initials", "姓名缩写"), lang.tr(":", "："));
    let h = if g.beside { 12.0 } else { 14.0 };
    if g.beside {
        pen.ops.push(Op::text(
            g.margin,
            pen.y + (h - size * LEADING) / 2.0,
            size,
            Ink::Bold,
            label,
        ));
    } else {
        pen.line(g.margin, size, Ink::Bold, label);
        pen.gap(1.0);
    }
    for d in 0..7 {
        pen.ops.push(Op::Frame {
            x: grid.days_x + d as f32 * grid.day_w + 1.0,
            y: pen.y,
            w: grid.day_w - 2.0,
            h,
            line: 0.6,
        });
    }
    pen.y += h + if g.beside { 3.0 } else { 6.0 };
    pen.block(false, Some(context))
}

/// Each task's steps, once: title, numbered steps in full, and the value to write down.
fn steps_blocks(
    tf: &Typeface,
    g: &Geometry,
    lang: Lang,
    tasks: &[&ChecklistTask],
    out: &mut Vec<Block>,
) {
    if tasks.is_empty() {
        return;
    }
    let mut pen = Pen::new(tf);
    pen.gap(6.0);
    pen.wrapped(
        g.margin,
        g.content(),
        g.heading,
        Ink::Bold,
        lang.tr("How to do each task", "每项任务怎么做"),
        MAX_LINES,
    );
    pen.gap(1.0);
    pen.rule(g.margin, g.content(), 0.6, false);
    pen.gap(3.0);
    out.push(pen.block(true, None));
    let size = if g.beside { g.step } else { 7.0 };
    for task in tasks {
        let mut pen = Pen::new(tf);
        pen.wrapped(
            g.margin,
            g.content(),
            size + 1.0,
            Ink::Bold,
            &task.title,
            MAX_LINES,
        );
        if g.beside {
            steps_ops(&mut pen, g.margin, g.content(), size, &task.steps);
        } else {
            // A receipt roll: the numbered steps run on in one paragraph, every word of them.
            let text = task
                .steps
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .enumerate()
                .map(|(n, s)| format!("{}. {s}", n + 1))
                .collect::<Vec<_>>()
                .join(" ");
            pen.wrapped(g.margin, g.content(), size, Ink::Body, &text, MAX_LINES * 4);
        }
        if let Some(label) = task.record.as_deref().filter(|l| !l.trim().is_empty()) {
            let label = label.trim();
            let text = crate::trf!(
                lang,
                "Write down each time: {label}. The till asks for it when the code is scanned.",
                "每次记下：{label}。扫描条码时收银台会询问。"
            );
            pen.wrapped(g.margin, g.content(), size, Ink::Body, &text, MAX_LINES);
        }
        pen.gap(4.0);
        out.push(pen.block(false, None));
    }
}

/// The distinct tasks of `terminals`, in the order they first come (by title and steps).
fn distinct_tasks<'a>(
    terminals: impl IntoIterator<Item = &'a TerminalChecklist>,
) -> Vec<&'a ChecklistTask> {
    let mut seen: Vec<&ChecklistTask> = Vec::new();
    for t in terminals {
        for task in &t.tasks {
            if !seen
                .iter()
                .any(|s| s.title == task.title && s.steps == task.steps)
            {
                seen.push(task);
            }
        }
    }
    seen
}

/// The manager's page: every terminal, how many tasks are due each day of the week.
fn summary_blocks(
    tf: &Typeface,
    g: &Geometry,
    sheet: &ChecklistSheet,
    rows: &[Vec<WeekRow<'_>>],
) -> Vec<Block> {
    let lang = sheet.lang;
    let size = 8.0;
    let day_w = 40.0;
    let total_w = 44.0;
    let days_x = g.right() - total_w - 7.0 * day_w;
    let name_w = days_x - g.margin - 6.0;
    let mut out = Vec::new();
    let mut pen = Pen::new(tf);
    pen.wrapped(
        g.margin,
        g.content(),
        g.heading,
        Ink::Bold,
        lang.tr("This week at a glance", "本周概览"),
        MAX_LINES,
    );
    pen.wrapped(
        g.margin,
        g.content(),
        g.small,
        Ink::Grey,
        lang.tr(
            "How many tasks each terminal has due each day; the pages after this one are the sheets for each terminal.",
            "每台终端每天要做几项任务；后面几页是每台终端的检查表。",
        ),
        MAX_LINES,
    );
    pen.gap(4.0);
    let y = pen.y;
    pen.ops.push(Op::text(
        g.margin,
        y,
        size,
        Ink::Bold,
        lang.tr("Terminal", "终端"),
    ));
    for d in 0..7 {
        let day = sheet
            .first_day
            .checked_add(jiff::Span::new().days(d))
            .unwrap_or(sheet.first_day);
        let text = format!("{} {}", weekday(lang, day), day.day());
        let w = tf.width(&text, size);
        pen.ops.push(Op::text(
            days_x + d as f32 * day_w + (day_w - w) / 2.0,
            y,
            size,
            Ink::Bold,
            text,
        ));
    }
    let total = lang.tr("Week", "本周");
    pen.ops.push(Op::text(
        g.right() - tf.width(total, size),
        y,
        size,
        Ink::Bold,
        total,
    ));
    pen.y += size * LEADING + 1.0;
    pen.rule(g.margin, g.content(), 0.6, false);
    pen.gap(2.0);
    out.push(pen.block(true, None));
    for (t, rows) in sheet.terminals.iter().zip(rows) {
        let mut pen = Pen::new(tf);
        let y = pen.y;
        pen.ops.push(Op::text(
            g.margin,
            y,
            size,
            Ink::Body,
            tf.fit(&t.name, size, name_w),
        ));
        let mut week = 0;
        for d in 0..7 {
            let n = rows.iter().filter(|r| r.due[d]).count();
            week += n;
            let text = if n == 0 {
                "-".to_string()
            } else {
                n.to_string()
            };
            let w = tf.width(&text, size);
            pen.ops.push(Op::text(
                days_x + d as f32 * day_w + (day_w - w) / 2.0,
                y,
                size,
                Ink::Body,
                text,
            ));
        }
        let text = week.to_string();
        pen.ops.push(Op::text(
            g.right() - tf.width(&text, size),
            y,
            size,
            Ink::Body,
            text,
        ));
        pen.y += size * LEADING;
        pen.rule(g.margin, g.content(), 0.25, true);
        pen.gap(1.5);
        out.push(pen.block(false, None));
    }
    out
}

/// A week: per terminal a grid of its tasks × the seven days, then each task's steps once.
fn lay_out_week(
    tf: &Typeface,
    g: &Geometry,
    sheet: &ChecklistSheet,
    paper: Paper,
) -> Result<Vec<PageLayout>, PrintError> {
    let lang = sheet.lang;
    let first = sheet.first_day.min(sheet.last_day);
    let mut rows = Vec::with_capacity(sheet.terminals.len());
    let mut widest: f32 = 0.0;
    for t in &sheet.terminals {
        let r = week_rows(g, t, first, paper)?;
        for row in &r {
            widest = widest.max(row.bars.modules.len() as f32 * g.module);
        }
        rows.push(r);
    }
    let grid = week_grid(g, widest);
    let task_label = lang.tr("Task", "任务");
    let terminal_part = |t: &TerminalChecklist, rows: &[WeekRow<'_>], out: &mut Vec<Block>| {
        let context: Rc<str> = Rc::from(t.name.as_str());
        if rows.is_empty() {
            out.push(nothing_due(tf, g, lang));
            return;
        }
        let mut header = day_header(
            tf,
            g,
            &grid,
            lang,
            first,
            if g.beside { task_label } else { "" },
        );
        header.context = Some(context.clone());
        out.push(header);
        for row in rows {
            out.push(week_row_block(tf, g, &grid, row, context.clone()));
        }
        if let Some(last) = out.last_mut() {
            last.keep_with_next = true;
        }
        out.push(initials_block(tf, g, &grid, lang, context));
    };
    let mut groups: Vec<(Block, Vec<Block>)> = Vec::new();
    if g.fixed_height {
        if sheet.terminals.len() > 1 {
            groups.push((
                sheet_header(tf, g, sheet, None),
                summary_blocks(tf, g, sheet, &rows),
            ));
        }
        let mut blocks = Vec::new();
        for (t, r) in sheet.terminals.iter().zip(&rows) {
            blocks.push(week_heading(tf, g, t));
            terminal_part(t, r, &mut blocks);
        }
        if sheet.terminals.is_empty() {
            blocks.push(nothing_due(tf, g, lang));
        }
        steps_blocks(tf, g, lang, &distinct_tasks(&sheet.terminals), &mut blocks);
        let header = if groups.is_empty() {
            sheet_header(tf, g, sheet, None)
        } else {
            continuation_header(tf, g, sheet, None)
        };
        groups.push((header, blocks));
    } else {
        for (t, r) in sheet.terminals.iter().zip(&rows) {
            let mut blocks = Vec::new();
            terminal_part(t, r, &mut blocks);
            steps_blocks(tf, g, lang, &distinct_tasks([t]), &mut blocks);
            groups.push((sheet_header(tf, g, sheet, Some(t)), blocks));
        }
        if sheet.terminals.is_empty() {
            groups.push((
                sheet_header(tf, g, sheet, None),
                vec![nothing_due(tf, g, lang)],
            ));
        }
    }
    Ok(paginate_groups(tf, g, sheet, groups))
}

/// Title, shop, dates and legend; on receipts also the terminal (each strip stands alone).
fn sheet_header(
    tf: &Typeface,
    g: &Geometry,
    sheet: &ChecklistSheet,
    terminal: Option<&TerminalChecklist>,
) -> Block {
    let mut pen = Pen::new(tf);
    let x = g.margin;
    let w = g.content();
    pen.wrapped(x, w, g.title, Ink::Bold, &sheet.title, 2);
    if !sheet.shop.trim().is_empty() {
        pen.wrapped(x, w, g.step + 1.0, Ink::Body, &sheet.shop, 2);
    }
    pen.line(
        x,
        g.step + 1.0,
        Ink::Body,
        tf.fit(&period_text(sheet), g.step + 1.0, w),
    );
    pen.gap(2.0);
    pen.wrapped(
        x,
        w,
        g.small,
        Ink::Grey,
        legend(sheet.lang, sheet.first_day != sheet.last_day),
        MAX_LINES,
    );
    pen.gap(3.0);
    pen.rule(x, w, 0.8, false);
    pen.gap(5.0);
    if let Some(t) = terminal {
        pen.wrapped(x, w, g.heading, Ink::Bold, &t.name, 2);
        if !t.detail.trim().is_empty() {
            pen.wrapped(x, w, g.small, Ink::Grey, &t.detail, 2);
        }
        pen.gap(4.0);
    }
    pen.block(false, None)
}

/// What later pages start with: a running header and, mid-terminal, "Till 2 (continued)".
fn continuation_header(
    tf: &Typeface,
    g: &Geometry,
    sheet: &ChecklistSheet,
    context: Option<&str>,
) -> Block {
    let mut pen = Pen::new(tf);
    let x = g.margin;
    let w = g.content();
    let running = if sheet.shop.trim().is_empty() {
        format!("{} · {}", sheet.title, period_text(sheet))
    } else {
        format!("{} · {} · {}", sheet.title, sheet.shop, period_text(sheet))
    };
    pen.line(x, g.small, Ink::Grey, tf.fit(&running, g.small, w));
    pen.gap(2.0);
    pen.rule(x, w, 0.5, true);
    pen.gap(5.0);
    if let Some(context) = context {
        let text = format!("{context} {}", sheet.lang.tr("(continued)", "（续）"));
        pen.wrapped(x, w, g.heading, Ink::Bold, &text, 2);
        pen.gap(4.0);
    }
    pen.block(false, None)
}

fn terminal_heading(tf: &Typeface, g: &Geometry, t: &TerminalChecklist) -> Block {
    let mut pen = Pen::new(tf);
    let x = g.margin;
    let w = g.content();
    pen.gap(6.0);
    pen.wrapped(x, w, g.heading, Ink::Bold, &t.name, 2);
    if !t.detail.trim().is_empty() {
        pen.wrapped(x, w, g.small + 1.0, Ink::Grey, &t.detail, 2);
    }
    pen.gap(2.0);
    pen.rule(x, w, 0.8, false);
    pen.gap(6.0);
    pen.block(true, None)
}

fn nothing_due(tf: &Typeface, g: &Geometry, lang: Lang) -> Block {
    let mut pen = Pen::new(tf);
    pen.line(
        g.margin,
        g.task,
        Ink::Grey,
        lang.tr("Nothing is due.", "没有到期的任务。"),
    );
    pen.gap(6.0);
    pen.block(false, None)
}

/// One terminal's task rows and closing signature lines.
fn terminal_blocks(
    tf: &Typeface,
    g: &Geometry,
    lang: Lang,
    t: &TerminalChecklist,
    bars: &[Code128Bars],
    widest: f32,
    out: &mut Vec<Block>,
) {
    let context: Rc<str> = Rc::from(t.name.as_str());
    if t.tasks.is_empty() {
        out.push(nothing_due(tf, g, lang));
        return;
    }
    for (task, bars) in t.tasks.iter().zip(bars) {
        out.push(task_block(tf, g, lang, task, bars, widest, context.clone()));
    }
    if let Some(last) = out.last_mut() {
        last.keep_with_next = true;
    }
    out.push(signature_block(tf, g, lang, context));
}

/// Numbered steps at `x`, each wrapped in full under its number.
fn steps_ops(pen: &mut Pen<'_>, x: f32, width: f32, size: f32, steps: &[String]) {
    let number_w = pen.tf.width("88. ", size);
    let steps = steps.iter().filter(|s| !s.trim().is_empty());
    for (n, step) in steps.enumerate() {
        let lines = pen.tf.wrap(step.trim(), size, width - number_w, MAX_LINES);
        for (i, l) in lines.into_iter().enumerate() {
            if i == 0 {
                let number = format!("{}.", n + 1);
                pen.ops.push(Op::text(x, pen.y, size, Ink::Body, number));
            }
            pen.ops
                .push(Op::text(x + number_w, pen.y, size, Ink::Body, l));
            pen.y += size * LEADING;
        }
    }
}

fn task_block(
    tf: &Typeface,
    g: &Geometry,
    lang: Lang,
    task: &ChecklistTask,
    bars: &Code128Bars,
    widest: f32,
    context: Rc<str>,
) -> Block {
    let mut pen = Pen::new(tf);
    let box_size = g.task * 0.95;
    let text_x = g.margin + box_size + g.task * 0.6;
    // A4: the barcode column takes the widest code and its quiet zones at the right.
    let column = if g.beside {
        widest + 2.0 * g.quiet()
    } else {
        0.0
    };
    let text_w = g.right() - text_x - column;

    pen.gap(2.0);
    let top = pen.y;
    let box_y = top + (g.task * LEADING - box_size) / 2.0;
    pen.ops.push(Op::Frame {
        x: g.margin,
        y: box_y,
        w: box_size,
        h: box_size,
        line: 0.9,
    });
    let mut title = task.title.clone();
    if !task.note.is_empty() {
        title.push_str(&task.note);
    }
    if task.done {
        tick(&mut pen, g.margin, box_y, box_size);
        title.push_str(lang.tr(" (already recorded)", "（已记录）"));
    }
    pen.wrapped(text_x, text_w, g.task, Ink::Bold, &title, MAX_LINES);
    steps_ops(&mut pen, text_x, text_w, g.step, &task.steps);
    if let Some(label) = task.record.as_deref().filter(|l| !l.trim().is_empty()) {
        pen.gap(3.0);
        record_line(&mut pen, lang, label, text_x, text_w, g.step);
    }
    let text_bottom = pen.y;

    let bars_w = bars.modules.len() as f32 * g.module;
    let (bars_x, bars_y) = if g.beside {
        (g.right() - column + g.quiet(), top + 1.0)
    } else {
        pen.gap(4.0);
        (g.margin + (g.content() - bars_w) / 2.0, pen.y)
    };
    let code_bottom = draw_code(
        tf,
        g,
        &mut pen,
        task.scan,
        bars,
        bars_x,
        bars_y,
        g.bar_height,
    );
    pen.y = text_bottom.max(code_bottom) + 4.0;
    pen.rule(g.margin, g.content(), 0.3, true);
    pen.gap(2.0);
    pen.block(false, Some(context))
}

/// "Firmware version: ______": the label and a line to write on, `width` wide from `x`.
fn record_line(pen: &mut Pen<'_>, lang: Lang, label: &str, x: f32, width: f32, size: f32) {
    let label = pen.tf.fit(
        &format!("{}{}", label.trim(), lang.tr(":", "：")),
        size,
        width * 0.7,
    );
    let label_w = pen.tf.width(&label, size);
    pen.ops.push(Op::text(x, pen.y, size, Ink::Body, label));
    pen.y += size * LEADING;
    pen.ops.push(Op::Rule {
        x: x + label_w + 3.0,
        y: pen.y - size * 0.25,
        w: (width - label_w - 3.0).max(20.0),
        line: 0.5,
        grey: false,
    });
}

/// A tick in a box already done (a reprint).
fn tick(pen: &mut Pen<'_>, x: f32, y: f32, size: f32) {
    pen.ops.push(Op::Rule {
        x: x + size * 0.2,
        y: y + size * 0.5,
        w: size * 0.6,
        line: size * 0.5,
        grey: false,
    });
}

/// Date, initials and signature: one row on A4, three lines on a receipt.
fn signature_block(tf: &Typeface, g: &Geometry, lang: Lang, context: Rc<str>) -> Block {
    let mut pen = Pen::new(tf);
    let size = g.step + 0.5;
    let colon = lang.tr(":", "：");
    let fields = [
        (lang.tr("Date", "日期"), 0.28),
        (lang.tr("Initials", "姓名缩写"), 0.24),
        (lang.tr("Signature", "签名"), 0.48),
    ];
    pen.gap(size * 1.4);
    if g.beside {
        let mut x = g.margin;
        for (label, share) in fields {
            let label = format!("{label}{colon}");
            let w = tf.width(&label, size);
            let field_w = g.content() * share;
            pen.ops.push(Op::text(x, pen.y, size, Ink::Body, label));
            pen.ops.push(Op::Rule {
                x: x + w + 3.0,
                y: pen.y + size * LEADING - size * 0.25,
                w: field_w - w - 12.0,
                line: 0.6,
                grey: false,
            });
            x += field_w;
        }
        pen.y += size * LEADING;
    } else {
        for (label, _) in fields {
            let label = format!("{label}{colon}");
            let w = tf.width(&label, size);
            pen.ops
                .push(Op::text(g.margin, pen.y, size, Ink::Body, label));
            pen.y += size * LEADING;
            pen.ops.push(Op::Rule {
                x: g.margin + w + 3.0,
                y: pen.y - size * 0.25,
                w: g.content() - w - 3.0,
                line: 0.6,
                grey: false,
            });
            pen.gap(size * 0.9);
        }
    }
    pen.gap(size);
    pen.block(false, Some(context))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use jiff::civil::date;

    fn sheet(lang: Lang, terminals: usize, days: i8, tasks: usize) -> ChecklistSheet {
        let first = date(2026, 11, 30);
        ChecklistSheet {
            lang,
            title: "维护检查表".into(),
            shop: "星光便利店（南京路店）".into(),
            first_day: first,
            last_day: first.checked_add(jiff::Span::new().days(days - 1)).unwrap(),
            terminals: (0..terminals)
                .map(|t| TerminalChecklist {
                    name: format!("收银台 {} 刷卡机", t + 1),
                    detail: "Ingenico Move/5000 · 前台 · 银联商务 95534".into(),
                    tasks: (0..days)
                        .flat_map(|d| {
                            (0..tasks).map(move |k| ChecklistTask {
                                title: format!("用清洁卡清洁磁条读头，来回刷三次（任务 {k}）"),
                                steps: vec![
                                    "关机后取出清洁卡，插入刷卡槽。".into(),
                                    "来回刷三次，每次都要刷到底，不要用力过猛。".into(),
                                    "开机后做一笔测试交易。".into(),
                                    "第四步不打印".into(),
                                ],
                                record: (k == 0).then(|| "固件版本".to_string()),
                                scan: ScanCode::new(
                                    (t * 100 + k + 1) as i64 * 997,
                                    date(2026, 11, 30)
                                        .checked_add(jiff::Span::new().days(d))
                                        .unwrap(),
                                ),
                                done: false,
                                note: String::new(),
                            })
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn nothing_runs_off_any_paper() {
        let tf = Typeface::bundled().unwrap();
        for paper in Paper::ALL {
            let g = paper.geometry();
            for lang in [Lang::Zh, Lang::En] {
                let pages = lay_out(tf, &sheet(lang, 3, 7, 4), *paper).unwrap();
                assert!(pages.len() > 1, "{paper}");
                for (n, page) in pages.iter().enumerate() {
                    assert!(page.height <= g.max_height + 0.01, "{paper} page {n}");
                    for op in &page.ops {
                        let (l, r) = op.x_extent(tf);
                        assert!(
                            l >= g.margin - 0.5 && r <= g.right() + 0.5,
                            "{paper} page {n}: {op:?}"
                        );
                        if let Op::Text { y, size, .. } = op {
                            assert!(
                                *y >= 0.0 && y + size <= page.height,
                                "{paper} page {n}: {op:?}"
                            );
                        }
                        if let Op::Bars { x, .. } = op {
                            assert!(*x - g.quiet() >= -0.01, "{paper}: quiet zone off the paper");
                            assert!(
                                r + g.quiet() <= g.width + 0.01,
                                "{paper}: quiet zone off the paper"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn receipts_start_a_strip_per_terminal() {
        let tf = Typeface::bundled().unwrap();
        let pages = lay_out(tf, &sheet(Lang::En, 4, 1, 2), Paper::Receipt80).unwrap();
        assert_eq!(pages.len(), 4);
        assert!(
            pages
                .iter()
                .all(|p| p.height < Paper::Receipt80.geometry().max_height)
        );
        let a4 = lay_out(tf, &sheet(Lang::En, 2, 1, 2), Paper::A4).unwrap();
        assert_eq!(a4.len(), 1, "A4 flows terminals on one page");
    }

    #[test]
    fn a_code_too_wide_for_58mm_is_refused() {
        let tf = Typeface::bundled().unwrap();
        let mut s = sheet(Lang::En, 1, 1, 1);
        s.terminals[0].tasks[0].scan.schedule_id = i64::MAX;
        assert!(matches!(
            lay_out(tf, &s, Paper::Receipt58),
            Err(PrintError::BarcodeTooWide { .. })
        ));
        assert!(lay_out(tf, &s, Paper::A4).is_ok());
        s.terminals[0].tasks[0].scan.schedule_id = 0;
        assert!(matches!(
            lay_out(tf, &s, Paper::A4),
            Err(PrintError::Barcode { .. })
        ));
    }

    #[test]
    fn an_empty_sheet_says_nothing_is_due() {
        let tf = Typeface::bundled().unwrap();
        let mut s = sheet(Lang::En, 0, 1, 0);
        s.terminals.clear();
        for paper in Paper::ALL {
            let pages = lay_out(tf, &s, *paper).unwrap();
            assert_eq!(pages.len(), 1);
            assert!(
                pages[0]
                    .ops
                    .iter()
                    .any(|op| matches!(op, Op::Text { text, .. } if text == "Nothing is due."))
            );
        }
    }

    #[test]
    fn bars_start_on_a_whole_dot_and_receipts_are_black() {
        let tf = Typeface::bundled().unwrap();
        for paper in Paper::ALL {
            let g = paper.geometry();
            for days in [1, 7] {
                let pages = lay_out(tf, &sheet(Lang::En, 2, days, 3), *paper).unwrap();
                let mut codes = 0;
                for op in pages.iter().flat_map(|p| &p.ops) {
                    match op {
                        Op::Bars {
                            x, module, shave, ..
                        } => {
                            codes += 1;
                            let dots = x / g.dot;
                            assert!((dots - dots.round()).abs() < 1e-3, "{paper}: x {x}");
                            let per_module = module / g.dot;
                            assert!((per_module - per_module.round()).abs() < 1e-3);
                            assert!((shave * module / g.dot - 0.25).abs() < 1e-3);
                        }
                        Op::Text { ink, .. } if g.thermal() => {
                            assert_ne!(*ink, Ink::Grey, "{paper}: grey text on a thermal head")
                        }
                        Op::Rule { grey, .. } if g.thermal() => assert!(!grey),
                        _ => {}
                    }
                }
                // A day has one barcode per line (3 tasks on 2 terminals); a week one per task row,
                // not one per day (3 tasks due every day on 2 terminals).
                assert_eq!(codes, 2 * 3, "{paper} {days}");
            }
        }
    }

    #[test]
    fn steps_are_never_cut() {
        let tf = Typeface::bundled().unwrap();
        let mut s = sheet(Lang::En, 1, 1, 1);
        let warning = "If needed, dampen it slightly with water; never spray anything onto the terminal, and never use alcohol on the screen unless the maker says so.";
        s.terminals[0].tasks[0].steps = (0..6).map(|i| format!("Step {i}. {warning}")).collect();
        for paper in Paper::ALL {
            for days in [1, 7] {
                let mut s = s.clone();
                s.last_day = s
                    .first_day
                    .checked_add(jiff::Span::new().days(days - 1))
                    .unwrap();
                let pages = lay_out(tf, &s, *paper).unwrap();
                let text: String = pages
                    .iter()
                    .flat_map(|p| &p.ops)
                    .filter_map(|op| match op {
                        Op::Text { text, .. } => Some(text.as_str()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                assert!(!text.contains('…'), "{paper}: {text}");
                assert!(text.contains("Step 5."), "{paper}");
                assert_eq!(
                    text.matches("never spray").count(),
                    6,
                    "{paper} {days}: {text}"
                );
            }
        }
    }
}
