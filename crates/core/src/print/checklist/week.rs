//! A week: a grid of tasks × days with one barcode per task, initials per day, each task's steps
//! once, and on A4 a one-page summary for a manager.

use super::*;

/// One task's row on a week sheet: the days it is due, those already done, its week barcode.
pub(super) struct WeekRow<'a> {
    task: &'a ChecklistTask,
    due: [bool; 7],
    done: [bool; 7],
    scan: ScanCode,
    bars: Code128Bars,
}

/// The rows of one terminal's week, in the order the tasks first come. A catch-up line (overdue
/// from before the week) is due on the first day.
pub(super) fn week_rows<'a>(
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
pub(super) fn week_heading(tf: &Typeface, g: &Geometry, t: &TerminalChecklist) -> Block {
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
pub(super) struct WeekGrid {
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

pub(super) fn week_grid(g: &Geometry, widest: f32) -> WeekGrid {
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
pub(super) fn day_header(
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
pub(super) fn week_row_block(
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
pub(super) fn initials_block(
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
pub(super) fn steps_blocks(
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
pub(super) fn distinct_tasks<'a>(
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
pub(super) fn summary_blocks(
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
pub(super) fn lay_out_week(
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
