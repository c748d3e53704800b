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

mod day;
mod week;

use day::*;
use week::*;

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
