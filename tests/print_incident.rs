//! Incident reports read back the way a person reads them: the PDF's text with `pdftotext`, its page
//! size and count with `pdfinfo`, its fonts with `pdffonts`.
//!
//! The tools come from Debian's poppler-utils. Without them these tests skip with a note, unless
//! POSDESK_REQUIRE_PRINT_TOOLS=1 (CI, whose `.ci/run` installs them) makes them fail.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

use jiff::civil::date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use posdesk::Lang;
use posdesk::domain::code::Scheme;
use posdesk::domain::incident::{
    Attachment, Incident, IncidentStatus, NoteEntry, StepOutcome, StepTried,
};
use posdesk::print::{IncidentReport, render_incidents};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether `tool` runs here; panics instead of skipping when CI requires the print tools.
fn have(tool: &str) -> bool {
    let found = Command::new(tool).arg("-v").output().is_ok();
    if !found {
        let need = std::env::var("POSDESK_REQUIRE_PRINT_TOOLS").is_ok_and(|v| v == "1");
        assert!(
            !need,
            "`{tool}` is missing but POSDESK_REQUIRE_PRINT_TOOLS=1: install poppler-utils \
             (apt-get install poppler-utils)"
        );
        eprintln!("skipped: `{tool}` is not installed (apt-get install poppler-utils)");
    }
    found
}

fn run(cmd: &str, args: &[&std::ffi::OsStr]) -> String {
    let out = Command::new(cmd).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{cmd} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// `(page width, page count)` from `pdfinfo`.
fn info(pdf: &Path) -> (f32, usize) {
    let info = run("pdfinfo", &[pdf.as_os_str()]);
    let field = |name: &str| {
        info.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {info}"))
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    let width = field("Page size:")[2].parse().unwrap();
    let pages = field("Pages:")[1].parse().unwrap();
    (width, pages)
}

/// The text with line breaks and runs of spaces folded, so wrapped lines still match.
fn text_of(pdf: &Path) -> String {
    let text = run(
        "pdftotext",
        &["-layout".as_ref(), pdf.as_os_str(), "-".as_ref()],
    );
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_font_embedded_and_subset(pdf: &Path) {
    let fonts = run("pdffonts", &[pdf.as_os_str()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 1, "one font, got\n{fonts}");
    let cols: Vec<&str> = rows[0].split_whitespace().collect();
    let n = cols.len();
    assert!(cols[0].contains("+PosdeskSansCJK"), "subset name\n{fonts}");
    assert_eq!(
        (cols[n - 5], cols[n - 4]),
        ("yes", "yes"),
        "embedded, subset\n{fonts}"
    );
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// Beijing time: the test does not depend on this machine's zone.
fn beijing() -> TimeZone {
    TimeZone::fixed(jiff::tz::offset(8))
}

fn chinese_incident() -> Incident {
    let at = ts("2026-12-01T06:05:00Z");
    Incident {
        id: 42,
        occurred_at: at,
        terminal: Some("收银台 2".into()),
        code: Some("51".into()),
        scheme: Some(Scheme::Cups),
        symptom: "刷卡后提示余额不足，顾客坚持卡里有钱".into(),
        amount: Some(12_850),
        txn_ref: Some("RRN 000123456789".into()),
        resolution: "顾客改用微信支付".into(),
        status: IncidentStatus::Resolved,
        resolved_at: Some(at + SignedDuration::from_mins(40)),
        who: Some("王芳".into()),
        created_at: at,
        steps: vec![
            StepTried {
                text: "请顾客查询余额".into(),
                outcome: StepOutcome::DidNotWork,
            },
            StepTried {
                text: "换一张银行卡".into(),
                outcome: StepOutcome::Worked,
            },
            StepTried {
                text: "重新签到".into(),
                outcome: StepOutcome::Tried,
            },
        ],
        notes: vec![
            NoteEntry {
                id: 1,
                at: at + SignedDuration::from_mins(15),
                text: "已致电银联客服".into(),
            },
            NoteEntry {
                id: 2,
                at: at + SignedDuration::from_mins(30),
                text: "客服说是发卡行拒绝".into(),
            },
        ],
        attachments: vec![Attachment {
            id: 1,
            file_name: "screen-photo.jpg".into(),
            sha256: "ab".repeat(32),
            size: 48_000,
            added_at: at,
        }],
    }
}

#[test]
fn one_chinese_incident_reads_back() {
    if !(have("pdftotext") && have("pdfinfo") && have("pdffonts")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut report = IncidentReport::single(Lang::Zh, chinese_incident());
    assert_eq!(report.title, "事件 #42");
    report.tz = beijing();
    let pdf = write(dir.path(), "one.pdf", &render_incidents(&report).unwrap());
    let text = text_of(&pdf);
    for want in [
        "事件 #42",
        "刷卡后提示余额不足，顾客坚持卡里有钱",
        "51 · 银联",
        "收银台 2",
        "已解决",
        "王芳",
        "128.50",
        "RRN 000123456789",
        "2026-12-01 14:05",
        "请顾客查询余额",
        "无效",
        "换一张银行卡",
        "有效",
        "重新签到",
        "已尝试",
        "顾客改用微信支付",
        "2026-12-01 14:45",
        "2026-12-01 14:20",
        "已致电银联客服",
        "客服说是发卡行拒绝",
        "screen-photo.jpg",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    let (width, pages) = info(&pdf);
    assert!(
        (width - 595.28).abs() < 0.01,
        "A4 is 595.28 pt wide, not {width}"
    );
    assert_eq!(pages, 1);
    assert_font_embedded_and_subset(&pdf);
}

#[test]
fn a_period_of_thirty_incidents_reads_back() {
    if !(have("pdftotext") && have("pdfinfo") && have("pdffonts")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let incidents: Vec<Incident> = (1..=30)
        .map(|n| {
            let mut i = chinese_incident();
            i.id = n;
            i.occurred_at = ts("2026-12-01T02:00:00Z") + SignedDuration::from_hours(n * 20);
            i.code = Some(["51", "05", "A0", "96"][n as usize % 4].into());
            i.terminal = Some(format!("收银台 {}", n % 3 + 1));
            i.status = IncidentStatus::ALL[n as usize % 3];
            if i.status != IncidentStatus::Resolved {
                i.resolved_at = None;
                i.resolution.clear();
            } else {
                i.resolved_at = Some(i.occurred_at + SignedDuration::from_mins(90));
            }
            i.symptom = format!("第 {n} 次：刷卡后提示余额不足");
            for note in &mut i.notes {
                note.at = i.occurred_at + SignedDuration::from_mins(note.id * 15);
            }
            i
        })
        .collect();
    let mut report =
        IncidentReport::period(Lang::Zh, date(2026, 12, 1), date(2026, 12, 31), incidents);
    report.tz = beijing();
    let pdf = write(
        dir.path(),
        "period.pdf",
        &render_incidents(&report).unwrap(),
    );
    let (width, pages) = info(&pdf);
    assert!(
        (width - 595.28).abs() < 0.01,
        "A4 is 595.28 pt wide, not {width}"
    );
    assert!(pages > 1, "{pages} pages");
    let text = text_of(&pdf);
    for want in [
        "事件报告",
        "2026-12-01 – 2026-12-31",
        "共 30 个事件",
        "概况",
        "等待服务商",
        "A0 · 银联",
        "解决用时中位数：1 小时 30 分钟 (10 个已解决)",
        "第 1 次：刷卡后提示余额不足",
        "第 30 次：刷卡后提示余额不足",
        "请顾客查询余额",
        "已致电银联客服",
        "#30",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    let squeezed = text.replace(' ', "");
    for n in 1..=pages {
        assert!(
            squeezed.contains(&format!("{n}/{pages}")),
            "page {n}: {text}"
        );
    }
    assert_font_embedded_and_subset(&pdf);
}

#[test]
fn english_labels_follow_the_language() {
    if !have("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut report = IncidentReport::single(Lang::En, chinese_incident());
    report.tz = TimeZone::UTC;
    let pdf = write(dir.path(), "en.pdf", &render_incidents(&report).unwrap());
    let text = text_of(&pdf);
    for want in [
        "Incident #42",
        "Symptom",
        "Steps tried",
        "Did not work",
        "Worked",
        "Timeline",
        "Attachments",
        "51 · UnionPay",
        "Resolved",
        "2026-12-01 06:05",
        "刷卡后提示余额不足",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
}
