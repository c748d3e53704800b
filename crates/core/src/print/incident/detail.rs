//! One incident in full: its header and its sections (symptom, steps tried, resolution, timeline,
//! attachments), flowing across pages line by line.

use super::*;

/// One incident in full, as blocks of a line or two so that long texts flow across pages.
pub(super) fn detail_blocks(c: &Ctx, i: &Incident, out: &mut Vec<Block>) {
    let context: Rc<str> = Rc::from(c.headline(i));
    out.push(detail_header(c, i));
    let ctx = || Some(context.clone());

    section(c, out, c.tr("Symptom", "故障现象"), ctx());
    let symptom = i.symptom.trim();
    if symptom.is_empty() {
        line_blocks(
            c,
            out,
            MARGIN,
            content(),
            Ink::Grey,
            c.tr("None written.", "未填写。"),
            ctx(),
        );
    } else {
        line_blocks(c, out, MARGIN, content(), Ink::Body, symptom, ctx());
    }

    section(c, out, c.tr("Steps tried", "已尝试的步骤"), ctx());
    if i.steps.is_empty() {
        line_blocks(
            c,
            out,
            MARGIN,
            content(),
            Ink::Grey,
            c.tr("None recorded.", "未记录。"),
            ctx(),
        );
    }
    let outcome_w = outcome_width(c, BODY);
    let number_w = c.tf.width("88. ", BODY);
    let text_x = MARGIN + number_w;
    let text_w = content() - number_w - outcome_w - 8.0;
    for (n, step) in i.steps.iter().enumerate() {
        let lines = c.tf.wrap(step.text.trim(), BODY, text_w, usize::MAX);
        let lines = if lines.is_empty() {
            vec![String::new()]
        } else {
            lines
        };
        for (k, l) in lines.into_iter().enumerate() {
            let mut pen = Pen::new(c.tf);
            if k == 0 {
                pen.gap(1.5);
                pen.ops.push(Op::text(
                    MARGIN,
                    pen.y,
                    BODY,
                    Ink::Body,
                    format!("{}.", n + 1),
                ));
                let outcome = step.outcome.text(c.lang);
                let ink = outcome_ink(step.outcome);
                let x = right() - c.tf.width(outcome, BODY);
                pen.ops.push(Op::text(x, pen.y, BODY, ink, outcome));
            }
            pen.line(text_x, BODY, Ink::Body, l);
            out.push(pen.block(false, ctx()));
        }
    }

    section(c, out, c.tr("Resolution", "处理结果"), ctx());
    let resolution = i.resolution.trim();
    if !resolution.is_empty() {
        line_blocks(c, out, MARGIN, content(), Ink::Body, resolution, ctx());
    } else if i.status != IncidentStatus::Resolved {
        line_blocks(
            c,
            out,
            MARGIN,
            content(),
            Ink::Grey,
            c.tr("Not resolved yet.", "尚未解决。"),
            ctx(),
        );
    } else {
        line_blocks(
            c,
            out,
            MARGIN,
            content(),
            Ink::Grey,
            c.tr("None written.", "未填写。"),
            ctx(),
        );
    }
    if let Some(t) = i.resolved_at {
        let text = format!("{}{}{}", c.tr("Resolved", "解决时间"), c.colon(), c.when(t));
        line_blocks(c, out, MARGIN, content(), Ink::Grey, &text, ctx());
    }

    section(c, out, c.tr("Timeline", "时间线"), ctx());
    if i.notes.is_empty() {
        line_blocks(
            c,
            out,
            MARGIN,
            content(),
            Ink::Grey,
            c.tr("No notes.", "没有备注。"),
            ctx(),
        );
    }
    let time_w = c.tf.width("2026-12-01 14:05", BODY) + 10.0;
    for note in &i.notes {
        let lines =
            c.tf.wrap(note.text.trim(), BODY, content() - time_w, usize::MAX);
        let lines = if lines.is_empty() {
            vec![String::new()]
        } else {
            lines
        };
        for (k, l) in lines.into_iter().enumerate() {
            let mut pen = Pen::new(c.tf);
            if k == 0 {
                pen.gap(1.5);
                pen.ops
                    .push(Op::text(MARGIN, pen.y, BODY, Ink::Grey, c.when(note.at)));
            }
            pen.line(MARGIN + time_w, BODY, Ink::Body, l);
            out.push(pen.block(false, ctx()));
        }
    }

    section(c, out, c.tr("Attachments", "附件"), ctx());
    if i.attachments.is_empty() {
        line_blocks(
            c,
            out,
            MARGIN,
            content(),
            Ink::Grey,
            c.tr("None.", "无。"),
            ctx(),
        );
    }
    for a in &i.attachments {
        let size = size_text(a.size);
        let size_w = c.tf.width(&size, BODY);
        let mut pen = Pen::new(c.tf);
        pen.ops
            .push(Op::text(right() - size_w, pen.y, BODY, Ink::Grey, size));
        let name =
            c.tf.fit(a.file_name.trim(), BODY, content() - size_w - 10.0);
        pen.line(MARGIN, BODY, Ink::Body, name);
        out.push(pen.block(false, ctx()));
    }
}

/// Heading and field table of one incident; kept with the first section's heading and line.
pub(super) fn detail_header(c: &Ctx, i: &Incident) -> Block {
    let mut pen = Pen::new(c.tf);
    pen.gap(2.0);
    let status = i.status.text(c.lang);
    let status_w = c.tf.width(status, HEADING);
    pen.ops.push(Op::text(
        right() - status_w,
        pen.y,
        HEADING,
        Ink::Bold,
        status,
    ));
    pen.wrapped(
        MARGIN,
        content() - status_w - 12.0,
        HEADING,
        Ink::Bold,
        &c.headline(i),
        2,
    );
    pen.gap(4.0);

    let mut rows: Vec<(&str, String)> = vec![
        (c.tr("When", "发生时间"), c.when(i.occurred_at)),
        (c.tr("Terminal", "终端"), c.terminal(i)),
        (c.tr("Code", "代码"), c.code(i.code.as_deref(), i.scheme)),
        (c.tr("Status", "状态"), status.to_string()),
        (
            c.tr("Who", "记录人"),
            given(i.who.as_deref()).unwrap_or(c.not_given()).to_string(),
        ),
    ];
    if let Some(a) = i.amount {
        rows.push((c.tr("Amount", "金额"), amount_text(a)));
    }
    if let Some(r) = given(i.txn_ref.as_deref()) {
        rows.push((c.tr("Transaction reference", "交易参考号"), r.to_string()));
    }
    if let Some(t) = i.resolved_at {
        rows.push((c.tr("Resolved", "解决时间"), c.when(t)));
    }
    let label_w = rows
        .iter()
        .map(|(l, _)| c.tf.width(l, BODY))
        .fold(0.0, f32::max)
        + 12.0;
    for (label, value) in rows {
        pen.ops
            .push(Op::text(MARGIN, pen.y, BODY, Ink::Grey, label));
        pen.wrapped(
            MARGIN + label_w,
            content() - label_w,
            BODY,
            Ink::Body,
            &value,
            3,
        );
    }
    pen.gap(3.0);
    pen.rule(MARGIN, content(), 0.8, false);
    pen.block(true, None)
}

/// A section heading, kept with the line after it.
pub(super) fn section(c: &Ctx, out: &mut Vec<Block>, title: &str, context: Option<Rc<str>>) {
    let mut pen = Pen::new(c.tf);
    pen.gap(8.0);
    pen.line(
        MARGIN,
        SECTION,
        Ink::Bold,
        c.tf.fit(title, SECTION, content()),
    );
    pen.gap(1.5);
    pen.rule(MARGIN, content(), 0.4, true);
    pen.gap(3.0);
    out.push(pen.block(true, context));
}

/// `text` wrapped to `width`, one block a line, so that it may continue on the next page.
pub(super) fn line_blocks(
    c: &Ctx,
    out: &mut Vec<Block>,
    x: f32,
    width: f32,
    ink: Ink,
    text: &str,
    context: Option<Rc<str>>,
) {
    // Keep the writer's own line breaks.
    for paragraph in text.lines() {
        for l in c.tf.wrap(paragraph, BODY, width, usize::MAX) {
            let mut pen = Pen::new(c.tf);
            pen.line(x, BODY, ink, l);
            out.push(pen.block(false, context.clone()));
        }
    }
}

pub(super) fn outcome_ink(o: StepOutcome) -> Ink {
    match o {
        StepOutcome::Worked => Ink::Bold,
        StepOutcome::Tried | StepOutcome::DidNotWork => Ink::Body,
    }
}

pub(super) fn outcome_width(c: &Ctx, size: f32) -> f32 {
    StepOutcome::ALL
        .iter()
        .map(|o| c.tf.width(o.text(c.lang), size))
        .fold(0.0, f32::max)
}
