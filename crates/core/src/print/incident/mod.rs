//! The incident report as PDF on A4: one incident in full, or a period as a summary and a compact list.
//! It shares the typeface, wrapping, blocks, pagination and page numbers with the checklist.
//!
//! Layout:
//! - **One incident** (`period: None`): the report title, then a header (id, when in local time,
//!   terminal, code and scheme, status, who, amount, transaction reference, resolved time), then the
//!   sections Symptom, Steps tried (each with its outcome at the right), Resolution, Timeline (each
//!   note with its time) and Attachments. Long texts flow across pages line by line; a section
//!   heading never ends a page without its first line, and a continued incident repeats
//!   "#42 (continued)" on the next page. Several incidents each start on a new page.
//! - **A period** (`period: Some`): title, dates and count, a summary (how many per status, the ten
//!   codes and ten terminals seen most, median time to resolve), then one compact block per incident
//!   (header line with status, details, symptom, steps, resolution, first notes, attachments), each
//!   kept whole on a page. The summary is counted from `incidents`, so it always agrees with the list.
//! - Every page carries "n / N" at the bottom right.
//!
//! Times are stored in UTC and printed in [`IncidentReport::tz`] (the system's zone by default) as
//! `2026-12-01 14:05`.

use crate::domain::code::{Scheme, normalize_code};
use crate::domain::incident::{Incident, IncidentStatus, StepOutcome};
use crate::i18n::{Label, Lang};
use crate::print::PrintError;
use crate::print::flow::{Block, Frame, Pen, language_tag, number_pages, paginate};
use crate::print::layout::{Ink, LEADING, Op, PageLayout, Typeface, write_pdf};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::rc::Rc;

mod detail;
mod summary;

use detail::*;
use summary::*;

/// What to print, already in one language. Plain data: build it on any thread and hand it to
/// [`render_incidents`] there (it is `Send`).
#[derive(Debug, Clone)]
pub struct IncidentReport {
    pub lang: Lang,
    /// First line of the first page, e.g. "Incident #42" or "Incidents, December".
    pub title: String,
    /// `None`: each incident in full (normally just one). `Some((first, last))`: the period's summary
    /// and a compact list; the dates are printed, the caller picks the incidents in them.
    pub period: Option<(Date, Date)>,
    /// Printed in this order (the journal's is newest first).
    pub incidents: Vec<Incident>,
    /// The zone times are printed in; the constructors take the system's.
    pub tz: TimeZone,
}

impl IncidentReport {
    /// One incident in full, titled "Incident #42" / "事件 #42".
    pub fn single(lang: Lang, incident: Incident) -> IncidentReport {
        IncidentReport {
            lang,
            title: format!("{} #{}", lang.tr("Incident", "事件"), incident.id),
            period: None,
            incidents: vec![incident],
            tz: TimeZone::system(),
        }
    }

    /// The incidents of `first..=last`, titled "Incident report" / "事件报告".
    pub fn period(lang: Lang, first: Date, last: Date, incidents: Vec<Incident>) -> IncidentReport {
        IncidentReport {
            lang,
            title: lang.tr("Incident report", "事件报告").to_string(),
            period: Some((first, last)),
            incidents,
            tz: TimeZone::system(),
        }
    }
}

/// The PDF of `report` on A4.
pub fn render_incidents(report: &IncidentReport) -> Result<Vec<u8>, PrintError> {
    let tf = Typeface::bundled()?;
    let pages = lay_out(tf, report);
    write_pdf(tf, &pages, &report.title, language_tag(report.lang))
}

const MM: f32 = 72.0 / 25.4;
const WIDTH: f32 = 210.0 * MM;
const HEIGHT: f32 = 297.0 * MM;
const MARGIN: f32 = 40.0;
const TITLE: f32 = 16.0;
const HEADING: f32 = 12.0;
const SECTION: f32 = 10.5;
const BODY: f32 = 9.5;
const SMALL: f32 = 7.5;
/// Lines of each text in a period's compact block; the rest is cut with "…".
const COMPACT_LINES: usize = 2;
/// Steps and notes shown per incident in a period's compact block.
const COMPACT_STEPS: usize = 6;
const COMPACT_NOTES: usize = 3;
/// Rows of the per-code and per-terminal summary tables.
const TOP: usize = 10;

const FRAME: Frame = Frame {
    width: WIDTH,
    max_height: HEIGHT,
    top: MARGIN,
    bottom: MARGIN,
    fixed_height: true,
};

fn content() -> f32 {
    WIDTH - 2.0 * MARGIN
}

fn right() -> f32 {
    WIDTH - MARGIN
}

/// Everything a block builder needs.
struct Ctx<'a> {
    tf: &'a Typeface,
    lang: Lang,
    tz: &'a TimeZone,
}

impl Ctx<'_> {
    fn tr(&self, en: &'static str, zh: &'static str) -> &'static str {
        self.lang.tr(en, zh)
    }

    fn when(&self, t: Timestamp) -> String {
        t.to_zoned(self.tz.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    }

    fn colon(&self) -> &'static str {
        self.tr(": ", "：")
    }

    fn not_given(&self) -> &'static str {
        self.tr("not given", "未填写")
    }

    /// `51 · UnionPay`, `51`, or "no code".
    fn code(&self, code: Option<&str>, scheme: Option<Scheme>) -> String {
        let code = code.map(str::trim).filter(|c| !c.is_empty());
        match (code, scheme) {
            (Some(c), Some(s)) => format!("{c} · {}", s.text(self.lang)),
            (Some(c), None) => c.to_string(),
            (None, Some(s)) => format!("{} · {}", self.tr("no code", "无代码"), s.text(self.lang)),
            (None, None) => self.tr("no code", "无代码").to_string(),
        }
    }

    fn terminal(&self, i: &Incident) -> String {
        given(i.terminal.as_deref())
            .unwrap_or(self.not_given())
            .to_string()
    }

    /// "#42 · 51 · UnionPay · Till 2": what a continued page repeats.
    fn headline(&self, i: &Incident) -> String {
        let mut s = format!("#{} · {}", i.id, self.code(i.code.as_deref(), i.scheme));
        if let Some(t) = given(i.terminal.as_deref()) {
            s.push_str(" · ");
            s.push_str(t);
        }
        s
    }
}

fn given(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// Minor units as `128.50` (the journal keeps no currency).
fn amount_text(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let m = minor.unsigned_abs();
    format!("{sign}{}.{:02}", m / 100, m % 100)
}

fn size_text(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

fn duration_text(lang: Lang, d: SignedDuration) -> String {
    let minutes = d.as_secs().max(0) / 60;
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match lang {
        Lang::En if days > 0 => format!("{days} d {hours} h"),
        Lang::En if hours > 0 => format!("{hours} h {mins} min"),
        Lang::En => format!("{mins} min"),
        Lang::Zh if days > 0 => format!("{days} 天 {hours} 小时"),
        Lang::Zh if hours > 0 => format!("{hours} 小时 {mins} 分钟"),
        Lang::Zh => format!("{mins} 分钟"),
    }
}

fn period_text(first: Date, last: Date) -> String {
    let (a, b) = if first <= last {
        (first, last)
    } else {
        (last, first)
    };
    if a == b {
        a.to_string()
    } else {
        format!("{a} – {b}")
    }
}

fn lay_out(tf: &Typeface, r: &IncidentReport) -> Vec<PageLayout> {
    let c = Ctx {
        tf,
        lang: r.lang,
        tz: &r.tz,
    };
    let mut pages = Vec::new();
    let continuation = |context: Option<&str>| continuation_header(&c, r, context);
    match r.period {
        None => {
            for i in &r.incidents {
                let mut blocks = Vec::new();
                detail_blocks(&c, i, &mut blocks);
                paginate(&FRAME, title_block(&c, r), blocks, continuation, &mut pages);
            }
            if r.incidents.is_empty() {
                let nothing = vec![nothing_block(&c, c.tr("No incidents.", "没有事件。"))];
                paginate(
                    &FRAME,
                    title_block(&c, r),
                    nothing,
                    continuation,
                    &mut pages,
                );
            }
        }
        Some(_) => {
            let mut blocks = vec![summary_block(&c, &r.incidents)];
            if r.incidents.is_empty() {
                blocks.push(nothing_block(
                    &c,
                    c.tr("No incidents in this period.", "这段时间没有事件。"),
                ));
            } else {
                blocks.push(list_heading(&c));
                blocks.extend(r.incidents.iter().map(|i| compact_block(&c, i)));
            }
            paginate(&FRAME, title_block(&c, r), blocks, continuation, &mut pages);
        }
    }
    number_pages(tf, &mut pages, right(), MARGIN, SMALL);
    pages
}

/// The first page's top: title and, for a period, its dates and count.
fn title_block(c: &Ctx, r: &IncidentReport) -> Block {
    let mut pen = Pen::new(c.tf);
    pen.wrapped(MARGIN, content(), TITLE, Ink::Bold, &r.title, 2);
    if let Some((first, last)) = r.period {
        let count = match c.lang {
            Lang::En if r.incidents.len() == 1 => "1 incident".to_string(),
            Lang::En => format!("{} incidents", r.incidents.len()),
            Lang::Zh => format!("共 {} 个事件", r.incidents.len()),
        };
        let line = format!("{} · {count}", period_text(first, last));
        pen.line(
            MARGIN,
            BODY + 0.5,
            Ink::Body,
            c.tf.fit(&line, BODY + 0.5, content()),
        );
    }
    pen.gap(3.0);
    pen.rule(MARGIN, content(), 0.8, false);
    pen.gap(6.0);
    pen.block(false, None)
}

/// What later pages start with: a running header and, mid-incident, "#42 … (continued)".
fn continuation_header(c: &Ctx, r: &IncidentReport, context: Option<&str>) -> Block {
    let mut pen = Pen::new(c.tf);
    let running = match r.period {
        Some((first, last)) => format!("{} · {}", r.title, period_text(first, last)),
        None => r.title.clone(),
    };
    pen.line(
        MARGIN,
        SMALL,
        Ink::Grey,
        c.tf.fit(&running, SMALL, content()),
    );
    pen.gap(2.0);
    pen.rule(MARGIN, content(), 0.5, true);
    pen.gap(5.0);
    if let Some(context) = context {
        let text = format!("{context} {}", c.tr("(continued)", "（续）"));
        pen.wrapped(MARGIN, content(), SECTION, Ink::Bold, &text, 2);
        pen.gap(3.0);
    }
    pen.block(false, None)
}

fn nothing_block(c: &Ctx, text: &str) -> Block {
    let mut pen = Pen::new(c.tf);
    pen.line(MARGIN, BODY, Ink::Grey, text);
    pen.gap(4.0);
    pen.block(false, None)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::domain::incident::{Attachment, NoteEntry, StepTried};

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn incident(id: i64, lang_zh: bool) -> Incident {
        let at = ts("2026-12-01T06:05:00Z") + SignedDuration::from_hours(id * 7);
        Incident {
            id,
            occurred_at: at,
            terminal: Some(format!("收银台 {}", id % 4 + 1)),
            code: Some(format!("{}", 50 + id % 13)),
            scheme: Some(Scheme::Cups),
            symptom: if lang_zh {
                "刷卡后提示余额不足，顾客说卡里有钱。".into()
            } else {
                "Declined with insufficient funds".into()
            },
            amount: Some(12_850),
            txn_ref: Some(format!("REF{id:06}")),
            resolution: "请顾客换卡支付。".into(),
            status: IncidentStatus::ALL[id as usize % 3],
            resolved_at: (id % 3 == 2).then(|| at + SignedDuration::from_mins(95)),
            who: Some("王芳".into()),
            created_at: at,
            steps: vec![
                StepTried {
                    text: "请顾客确认余额".into(),
                    outcome: StepOutcome::DidNotWork,
                },
                StepTried {
                    text: "换一张卡再试".into(),
                    outcome: StepOutcome::Worked,
                },
            ],
            notes: (0..(id % 5))
                .map(|n| NoteEntry {
                    id: n,
                    at: at + SignedDuration::from_mins(10 * (n + 1)),
                    text: format!("已致电银联客服 95516，第 {n} 次"),
                })
                .collect(),
            attachments: vec![Attachment {
                id: 1,
                file_name: "屏幕照片.jpg".into(),
                sha256: "ab".repeat(32),
                size: 123_456,
                added_at: at,
            }],
        }
    }

    fn texts(page: &PageLayout) -> Vec<&str> {
        page.ops
            .iter()
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    fn assert_on_paper(tf: &Typeface, pages: &[PageLayout]) {
        for (n, page) in pages.iter().enumerate() {
            assert!((page.width - WIDTH).abs() < 0.01 && (page.height - HEIGHT).abs() < 0.01);
            // The last op is the page number, in the bottom margin.
            let (number, body) = page.ops.split_last().unwrap();
            for op in body {
                let (l, r) = op.x_extent(tf);
                assert!(l >= MARGIN - 0.5 && r <= right() + 0.5, "page {n}: {op:?}");
                if let Op::Text { y, size, .. } = op {
                    assert!(*y >= MARGIN - 0.5, "page {n}: {op:?}");
                    assert!(
                        y + size * LEADING <= HEIGHT - MARGIN + 0.5,
                        "page {n}: {op:?}"
                    );
                }
            }
            let (_, r) = number.x_extent(tf);
            assert!(r <= right() + 0.5);
            assert!(
                matches!(number, Op::Text { y, .. } if *y > HEIGHT - MARGIN && *y < HEIGHT - 20.0)
            );
        }
    }

    fn report(period: bool, incidents: Vec<Incident>) -> IncidentReport {
        IncidentReport {
            lang: Lang::Zh,
            title: "事件报告".into(),
            period: period.then(|| {
                (
                    jiff::civil::date(2026, 12, 1),
                    jiff::civil::date(2026, 12, 31),
                )
            }),
            incidents,
            tz: TimeZone::fixed(jiff::tz::offset(8)),
        }
    }

    #[test]
    fn a_long_incident_flows_over_pages_without_orphan_headings() {
        let tf = Typeface::bundled().unwrap();
        let mut i = incident(4, true);
        i.symptom = "终端显示通讯失败，重启后仍然无法连接网络。".repeat(60);
        i.notes = (0..80)
            .map(|n| NoteEntry {
                id: n,
                at: ts("2026-12-01T07:00:00Z") + SignedDuration::from_mins(n),
                text: format!("第 {n} 条备注：已检查网线和路由器，等待服务商回电。"),
            })
            .collect();
        let pages = lay_out(tf, &report(false, vec![i]));
        assert!(pages.len() > 2, "{}", pages.len());
        assert_on_paper(tf, &pages);
        let headings = ["故障现象", "已尝试的步骤", "处理结果", "时间线", "附件"];
        for (n, page) in pages.iter().enumerate() {
            let t = texts(page);
            // The last text before the page number is never a section heading.
            let last = t[t.len() - 2];
            assert!(!headings.contains(&last), "page {n} ends with {last}");
            if n > 0 {
                assert!(t.iter().any(|s| s.contains("（续）")), "page {n}");
            }
            assert_eq!(
                t.last().copied(),
                Some(format!("{} / {}", n + 1, pages.len()).as_str())
            );
        }
        let all: Vec<&str> = pages.iter().flat_map(texts).collect();
        for h in headings {
            assert_eq!(all.iter().filter(|s| **s == h).count(), 1, "{h}");
        }
        assert!(
            all.contains(&"2026-12-01 15:05"),
            "times in the report's zone"
        );
    }

    #[test]
    fn a_period_keeps_each_incident_whole() {
        let tf = Typeface::bundled().unwrap();
        let incidents: Vec<Incident> = (1..=40).map(|n| incident(n, n % 2 == 0)).collect();
        let pages = lay_out(tf, &report(true, incidents));
        assert!(pages.len() > 2);
        assert_on_paper(tf, &pages);
        for n in 1..=40 {
            let head = format!("#{n}   ");
            let on: Vec<usize> = pages
                .iter()
                .enumerate()
                .filter(|(_, p)| texts(p).iter().any(|t| t.starts_with(&head)))
                .map(|(k, _)| k)
                .collect();
            assert_eq!(on.len(), 1, "#{n} on pages {on:?}");
            // Its terminal line, printed right under it, is on the same page.
            let page = texts(&pages[on[0]]);
            let pos = page.iter().position(|t| t.starts_with(&head)).unwrap();
            assert!(
                page[pos + 1].starts_with("终端："),
                "{:?}",
                &page[pos..pos + 2]
            );
        }
        let first = texts(&pages[0]);
        assert!(
            first.contains(&"共 40 个事件") || first.iter().any(|t| t.contains("共 40 个事件"))
        );
        assert!(
            first.contains(&"其他"),
            "more than ten codes or terminals are summed"
        );
    }

    #[test]
    fn summary_counts_and_median() {
        let tf = Typeface::bundled().unwrap();
        let c = Ctx {
            tf,
            lang: Lang::En,
            tz: &TimeZone::UTC,
        };
        let incidents: Vec<Incident> = (1..=6).map(|n| incident(n, false)).collect();
        let b = summary_block(&c, &incidents);
        let t: Vec<&str> = b
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        // Statuses: ids 1..6 % 3 → Waiting, Resolved, Open, Waiting, Resolved, Open.
        let pos = t.iter().position(|s| *s == "Waiting for provider").unwrap();
        assert_eq!(t[pos - 1], "2");
        assert!(t.iter().any(|s| s.starts_with("51 · UnionPay")));
        assert!(
            t.contains(&"Median time to resolve: 1 h 35 min (2 resolved)"),
            "{t:?}"
        );
        assert_eq!(
            duration_text(Lang::Zh, SignedDuration::from_hours(50)),
            "2 天 2 小时"
        );
        assert_eq!(amount_text(-5), "-0.05");
        assert_eq!(amount_text(12_850), "128.50");
    }

    #[test]
    fn empty_reports_say_so() {
        let tf = Typeface::bundled().unwrap();
        for period in [false, true] {
            let pages = lay_out(tf, &report(period, Vec::new()));
            assert_eq!(pages.len(), 1);
            let t = texts(&pages[0]);
            assert!(
                t.iter()
                    .any(|s| s.starts_with("没有事件") || s.starts_with("这段时间没有事件"))
            );
        }
    }

    #[test]
    fn the_report_can_be_rendered_on_a_worker_thread() {
        fn send<T: Send + 'static>(_: &T) {}
        let r = report(false, vec![incident(1, true)]);
        send(&r);
        let bytes = std::thread::spawn(move || render_incidents(&r))
            .join()
            .unwrap()
            .unwrap();
        assert!(bytes.starts_with(b"%PDF"));
    }
}
