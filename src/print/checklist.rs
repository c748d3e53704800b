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
//! - Bars are whole printer dots of a 203 dpi head: 2 dots (0.25 mm) a module on receipts, 3 dots
//!   (0.375 mm) on A4, with 10 modules of quiet zone each side.

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
                module: 1.5 * MIN_MODULE_PT,
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
    /// The how-to steps, shortened: 1–3 short lines (more are left off; a long one is cut with "…").
    pub steps: Vec<String>,
    /// The value to write down when done, as a label without blanks ("Firmware version"); the sheet
    /// draws the writing line.
    pub record: Option<String>,
    /// Which schedule and date; the barcode carries its [`ScanCode::encode`] and the date comes from it.
    pub scan: ScanCode,
}

/// Most steps printed per task.
pub const MAX_STEPS: usize = 3;

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

fn legend(lang: Lang) -> &'static str {
    lang.tr(
        "Tick the box when a task is done. Scan its code at the till to record it in posdesk.",
        "完成一项就在方框里打勾。在收银台扫描它的条码，posdesk 即记为已完成。",
    )
}

/// The sheet as pages of drawing operations.
fn lay_out(
    tf: &Typeface,
    sheet: &ChecklistSheet,
    paper: Paper,
) -> Result<Vec<PageLayout>, PrintError> {
    let g = paper.geometry();
    let multi_day = sheet.first_day != sheet.last_day;
    let lang = sheet.lang;

    // The bars first: a code too wide for the paper is an error before anything is drawn, and A4's
    // barcode column is as wide as the widest code.
    let mut bars: Vec<Vec<Code128Bars>> = Vec::with_capacity(sheet.terminals.len());
    let mut widest: f32 = 0.0;
    for t in &sheet.terminals {
        let mut row = Vec::with_capacity(t.tasks.len());
        for task in &t.tasks {
            let payload = task.scan.encode();
            // A code the till could not read back (a schedule id of 0 or less) is not printed.
            if ScanCode::parse(&payload) != Some(task.scan) {
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
            widest = widest.max(w);
            row.push(b);
        }
        bars.push(row);
    }

    let mut groups: Vec<(Block, Vec<Block>)> = Vec::new();
    if g.fixed_height {
        let mut blocks = Vec::new();
        for (t, tb) in sheet.terminals.iter().zip(&bars) {
            blocks.push(terminal_heading(tf, &g, t));
            terminal_blocks(tf, &g, lang, t, tb, widest, multi_day, &mut blocks);
        }
        if sheet.terminals.is_empty() {
            blocks.push(nothing_due(tf, &g, lang));
        }
        groups.push((sheet_header(tf, &g, sheet, None), blocks));
    } else {
        for (t, tb) in sheet.terminals.iter().zip(&bars) {
            let mut blocks = Vec::new();
            terminal_blocks(tf, &g, lang, t, tb, widest, multi_day, &mut blocks);
            groups.push((sheet_header(tf, &g, sheet, Some(t)), blocks));
        }
        if sheet.terminals.is_empty() {
            groups.push((
                sheet_header(tf, &g, sheet, None),
                vec![nothing_due(tf, &g, lang)],
            ));
        }
    }

    let frame = Frame {
        width: g.width,
        max_height: g.max_height,
        top: g.top,
        bottom: g.bottom,
        fixed_height: g.fixed_height,
    };
    let mut pages = Vec::new();
    for (first_header, blocks) in groups {
        let continuation = |context: Option<&str>| continuation_header(tf, &g, sheet, context);
        paginate(&frame, first_header, blocks, continuation, &mut pages);
    }
    number_pages(tf, &mut pages, g.right(), g.bottom, g.small);
    Ok(pages)
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
    pen.wrapped(x, w, g.small, Ink::Grey, legend(sheet.lang), 3);
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

/// One terminal's date sub-headings, task rows and closing signature lines.
#[allow(clippy::too_many_arguments)]
fn terminal_blocks(
    tf: &Typeface,
    g: &Geometry,
    lang: Lang,
    t: &TerminalChecklist,
    bars: &[Code128Bars],
    widest: f32,
    multi_day: bool,
    out: &mut Vec<Block>,
) {
    let terminal_context: Rc<str> = Rc::from(t.name.as_str());
    if t.tasks.is_empty() {
        out.push(nothing_due(tf, g, lang));
        return;
    }
    // Group by date, keeping the caller's order within a date.
    let mut order: Vec<usize> = (0..t.tasks.len()).collect();
    order.sort_by_key(|&i| t.tasks[i].scan.date);
    let mut current_date = None;
    let mut context = terminal_context.clone();
    for &i in &order {
        let task = &t.tasks[i];
        if multi_day && current_date != Some(task.scan.date) {
            current_date = Some(task.scan.date);
            let day = day_text(lang, task.scan.date);
            context = Rc::from(format!("{} · {day}", t.name));
            let mut pen = Pen::new(tf);
            pen.gap(3.0);
            pen.line(
                g.margin,
                g.step + 1.5,
                Ink::Bold,
                tf.fit(&day, g.step + 1.5, g.content()),
            );
            pen.gap(1.0);
            pen.rule(g.margin, g.content(), 0.4, true);
            pen.gap(4.0);
            out.push(pen.block(true, Some(terminal_context.clone())));
        }
        out.push(task_block(
            tf,
            g,
            lang,
            task,
            &bars[i],
            widest,
            context.clone(),
        ));
    }
    if let Some(last) = out.last_mut() {
        last.keep_with_next = true;
    }
    out.push(signature_block(tf, g, lang, terminal_context));
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
    pen.ops.push(Op::Frame {
        x: g.margin,
        y: top + (g.task * LEADING - box_size) / 2.0,
        w: box_size,
        h: box_size,
        line: 0.9,
    });
    pen.wrapped(text_x, text_w, g.task, Ink::Bold, &task.title, 2);
    let steps: Vec<&String> = task
        .steps
        .iter()
        .filter(|s| !s.trim().is_empty())
        .take(MAX_STEPS)
        .collect();
    // Receipts are narrow, so a step may take two lines there, hung under its number.
    let step_lines = if g.beside { 1 } else { 2 };
    let number_w = tf.width("8. ", g.step);
    for (n, step) in steps.iter().enumerate() {
        let lines = tf.wrap(step.trim(), g.step, text_w - number_w, step_lines);
        for (i, l) in lines.into_iter().enumerate() {
            if i == 0 {
                let number = format!("{}.", n + 1);
                pen.ops
                    .push(Op::text(text_x, pen.y, g.step, Ink::Body, number));
            }
            pen.ops
                .push(Op::text(text_x + number_w, pen.y, g.step, Ink::Body, l));
            pen.y += g.step * LEADING;
        }
    }
    if let Some(label) = task.record.as_deref().filter(|l| !l.trim().is_empty()) {
        pen.gap(3.0);
        let label = tf.fit(
            &format!("{}{}", label.trim(), lang.tr(":", "：")),
            g.step,
            text_w * 0.6,
        );
        let label_w = tf.width(&label, g.step);
        pen.ops
            .push(Op::text(text_x, pen.y, g.step, Ink::Body, label));
        pen.y += g.step * LEADING;
        pen.ops.push(Op::Rule {
            x: text_x + label_w + 3.0,
            y: pen.y - g.step * 0.25,
            w: text_w - label_w - 3.0,
            line: 0.5,
            grey: false,
        });
    }
    let text_bottom = pen.y;

    let bars_w = bars.modules.len() as f32 * g.module;
    let (bars_x, bars_y) = if g.beside {
        (g.right() - column + g.quiet(), top + 1.0)
    } else {
        pen.gap(4.0);
        (g.margin + (g.content() - bars_w) / 2.0, pen.y)
    };
    pen.ops.push(Op::Bars {
        x: bars_x,
        y: bars_y,
        module: g.module,
        height: g.bar_height,
        runs: bars.runs(),
    });
    let payload = task.scan.encode();
    let payload_w = tf.width(&payload, g.small);
    let payload_y = bars_y + g.bar_height + 1.0;
    pen.ops.push(Op::text(
        bars_x + (bars_w - payload_w) / 2.0,
        payload_y,
        g.small,
        Ink::Grey,
        payload,
    ));
    pen.y = text_bottom.max(payload_y + g.small * LEADING) + 4.0;
    pen.rule(g.margin, g.content(), 0.3, true);
    pen.gap(2.0);
    pen.block(false, Some(context))
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
}
