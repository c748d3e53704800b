//! A sheet of one day: per terminal a heading, one row per task (tick box, title, steps, the value
//! to record, its barcode) and a signature line.

use super::*;

/// One day: a row per task with its steps and barcode, a signature block per terminal.
pub(super) fn lay_out_day(
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

pub(super) fn terminal_heading(tf: &Typeface, g: &Geometry, t: &TerminalChecklist) -> Block {
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

/// One terminal's task rows and closing signature lines.
pub(super) fn terminal_blocks(
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

pub(super) fn task_block(
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
pub(super) fn record_line(
    pen: &mut Pen<'_>,
    lang: Lang,
    label: &str,
    x: f32,
    width: f32,
    size: f32,
) {
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

/// Date, initials and signature: one row on A4, three lines on a receipt.
pub(super) fn signature_block(tf: &Typeface, g: &Geometry, lang: Lang, context: Rc<str>) -> Block {
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
