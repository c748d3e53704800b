//! A period: the summary (per status, the codes and terminals seen most, time to resolve) and one
//! compact block per incident.

use super::*;

/// `(label, count)` rows, most first, ties by label; the rows past `top` summed into "Others".
pub(super) fn ranked(c: &Ctx, mut rows: Vec<(String, u64)>, top: usize) -> Vec<(String, u64)> {
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if rows.len() > top {
        let rest: u64 = rows[top - 1..].iter().map(|r| r.1).sum();
        rows.truncate(top - 1);
        rows.push((c.tr("Others", "其他").to_string(), rest));
    }
    rows
}

/// Counts per status, code and terminal, and the median time to resolve.
pub(super) fn summary_block(c: &Ctx, incidents: &[Incident]) -> Block {
    let mut pen = Pen::new(c.tf);
    pen.line(MARGIN, SECTION, Ink::Bold, c.tr("Summary", "概况"));
    pen.gap(1.5);
    pen.rule(MARGIN, content(), 0.4, true);
    pen.gap(4.0);

    let statuses: Vec<(String, u64)> = IncidentStatus::ALL
        .iter()
        .map(|s| {
            let n = incidents.iter().filter(|i| i.status == *s).count() as u64;
            (s.text(c.lang).to_string(), n)
        })
        .collect();

    // Codes are counted by scheme and normalised code ("05" and " 05" are one), shown as first typed.
    let mut codes: Vec<((String, Option<Scheme>), String, u64)> = Vec::new();
    let mut terminals: Vec<(String, u64)> = Vec::new();
    for i in incidents {
        let key = (
            given(i.code.as_deref())
                .map(normalize_code)
                .unwrap_or_default(),
            i.scheme,
        );
        match codes.iter_mut().find(|(k, _, _)| *k == key) {
            Some(row) => row.2 += 1,
            None => codes.push((key, c.code(i.code.as_deref(), i.scheme), 1)),
        }
        let t = c.terminal(i);
        match terminals.iter_mut().find(|(k, _)| *k == t) {
            Some(row) => row.1 += 1,
            None => terminals.push((t, 1)),
        }
    }
    let codes = ranked(c, codes.into_iter().map(|(_, l, n)| (l, n)).collect(), TOP);
    let terminals = ranked(c, terminals, TOP);

    let gutter = 18.0;
    let col_w = (content() - 2.0 * gutter) / 3.0;
    let top = pen.y;
    let mut bottom = top;
    let columns = [
        (c.tr("Status", "状态"), &statuses),
        (c.tr("Code", "代码"), &codes),
        (c.tr("Terminal", "终端"), &terminals),
    ];
    for (n, (title, rows)) in columns.into_iter().enumerate() {
        let x = MARGIN + n as f32 * (col_w + gutter);
        let mut y = top;
        pen.ops.push(Op::text(x, y, BODY, Ink::Bold, title));
        y += BODY * LEADING + 1.0;
        for (label, count) in rows.iter() {
            let count = count.to_string();
            let count_w = c.tf.width(&count, BODY);
            pen.ops
                .push(Op::text(x + col_w - count_w, y, BODY, Ink::Body, count));
            let label = c.tf.fit(label, BODY, col_w - count_w - 6.0);
            pen.ops.push(Op::text(x, y, BODY, Ink::Body, label));
            y += BODY * LEADING;
        }
        bottom = f32::max(bottom, y);
    }
    pen.y = bottom + 4.0;

    let mut times: Vec<SignedDuration> = incidents
        .iter()
        .filter(|i| i.status == IncidentStatus::Resolved)
        .filter_map(|i| i.resolved_at.map(|r| r.duration_since(i.occurred_at)))
        .collect();
    times.sort();
    let median = match times.len() {
        0 => None,
        n if n % 2 == 1 => Some(times[n / 2]),
        n => Some((times[n / 2 - 1] + times[n / 2]) / 2),
    };
    let label = c.tr("Median time to resolve", "解决用时中位数");
    let text = match median {
        Some(m) => format!(
            "{label}{}{} ({} {})",
            c.colon(),
            duration_text(c.lang, m),
            times.len(),
            c.tr("resolved", "个已解决")
        ),
        None => format!("{label}{}-", c.colon()),
    };
    pen.line(MARGIN, BODY, Ink::Body, c.tf.fit(&text, BODY, content()));
    pen.gap(6.0);
    pen.block(false, None)
}

pub(super) fn list_heading(c: &Ctx) -> Block {
    let mut pen = Pen::new(c.tf);
    pen.gap(6.0);
    pen.line(MARGIN, SECTION, Ink::Bold, c.tr("Incidents", "事件列表"));
    pen.gap(1.5);
    pen.rule(MARGIN, content(), 0.8, false);
    pen.gap(2.0);
    pen.block(true, None)
}

/// One incident of a period, bounded in height and kept whole on a page.
pub(super) fn compact_block(c: &Ctx, i: &Incident) -> Block {
    let tf = c.tf;
    let mut pen = Pen::new(tf);
    pen.gap(5.0);
    let head = BODY + 0.5;
    let status = i.status.text(c.lang);
    let status_w = tf.width(status, head);
    pen.ops
        .push(Op::text(right() - status_w, pen.y, head, Ink::Bold, status));
    let headline = format!(
        "#{}   {}   {}",
        i.id,
        c.when(i.occurred_at),
        c.code(i.code.as_deref(), i.scheme)
    );
    let headline_w = content() - status_w - 12.0;
    pen.line(MARGIN, head, Ink::Bold, tf.fit(&headline, head, headline_w));

    let colon = c.colon();
    let mut details = vec![format!(
        "{}{colon}{}",
        c.tr("Terminal", "终端"),
        c.terminal(i)
    )];
    if let Some(w) = given(i.who.as_deref()) {
        details.push(format!("{}{colon}{w}", c.tr("Who", "记录人")));
    }
    if let Some(a) = i.amount {
        details.push(format!(
            "{}{colon}{}",
            c.tr("Amount", "金额"),
            amount_text(a)
        ));
    }
    if let Some(r) = given(i.txn_ref.as_deref()) {
        details.push(format!("{}{colon}{r}", c.tr("Ref.", "交易参考号")));
    }
    if let Some(t) = i.resolved_at {
        details.push(format!(
            "{}{colon}{}",
            c.tr("Resolved", "解决时间"),
            c.when(t)
        ));
    }
    pen.wrapped(
        MARGIN,
        content(),
        SMALL + 0.5,
        Ink::Grey,
        &details.join("  ·  "),
        COMPACT_LINES,
    );

    let indent = MARGIN + 10.0;
    let width = right() - indent;
    let symptom = i.symptom.trim();
    if !symptom.is_empty() {
        pen.gap(1.0);
        pen.wrapped(
            MARGIN,
            content(),
            BODY,
            Ink::Body,
            &one_line(symptom),
            COMPACT_LINES,
        );
    }
    if !i.steps.is_empty() {
        let outcome_w = outcome_width(c, SMALL + 0.5);
        let number_w = tf.width("8. ", SMALL + 0.5);
        let size = SMALL + 0.5;
        for (n, step) in i.steps.iter().take(COMPACT_STEPS).enumerate() {
            let outcome = step.outcome.text(c.lang);
            pen.ops.push(Op::text(
                right() - tf.width(outcome, size),
                pen.y,
                size,
                outcome_ink(step.outcome),
                outcome,
            ));
            pen.ops.push(Op::text(
                indent,
                pen.y,
                size,
                Ink::Body,
                format!("{}.", n + 1),
            ));
            let text_w = width - number_w - outcome_w - 8.0;
            let text = tf.fit(&one_line(step.text.trim()), size, text_w);
            pen.line(indent + number_w, size, Ink::Body, text);
        }
        more(c, &mut pen, indent, i.steps.len(), COMPACT_STEPS);
    }
    let resolution = i.resolution.trim();
    if !resolution.is_empty() {
        let text = format!(
            "{}{colon}{}",
            c.tr("Resolution", "处理结果"),
            one_line(resolution)
        );
        pen.wrapped(indent, width, SMALL + 0.5, Ink::Body, &text, COMPACT_LINES);
    }
    if !i.notes.is_empty() {
        let size = SMALL + 0.5;
        let time_w = tf.width("2026-12-01 14:05", size) + 8.0;
        for note in i.notes.iter().take(COMPACT_NOTES) {
            pen.ops
                .push(Op::text(indent, pen.y, size, Ink::Grey, c.when(note.at)));
            let text = tf.fit(&one_line(note.text.trim()), size, width - time_w);
            pen.line(indent + time_w, size, Ink::Body, text);
        }
        more(c, &mut pen, indent, i.notes.len(), COMPACT_NOTES);
    }
    if !i.attachments.is_empty() {
        let names: Vec<&str> = i.attachments.iter().map(|a| a.file_name.trim()).collect();
        let text = format!("{}{colon}{}", c.tr("Attachments", "附件"), names.join(", "));
        let text = tf.fit(&text, SMALL + 0.5, width);
        pen.line(indent, SMALL + 0.5, Ink::Grey, text);
    }
    pen.gap(4.0);
    pen.rule(MARGIN, content(), 0.3, true);
    pen.block(false, None)
}

/// "+ 3 more" under a list cut at `shown`.
pub(super) fn more(c: &Ctx, pen: &mut Pen, x: f32, total: usize, shown: usize) {
    if total > shown {
        let text = match c.lang {
            Lang::En => format!("+ {} more", total - shown),
            Lang::Zh => format!("另有 {} 条", total - shown),
        };
        pen.line(x, SMALL, Ink::Grey, text);
    }
}

/// A text's lines joined by spaces, for the compact list's one- and two-line fields.
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
