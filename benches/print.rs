//! How long a printed checklist takes: a 50-terminal week (10 tasks a day each, 3,500 task lines
//! with a barcode each) on A4 and on 80 mm paper, and a one-terminal day for the common case. Run
//! by hand: `cargo bench -p posdesk-core --bench print`. The whole PDF is rendered, so its first
//! page is ready no later than these figures (the issue asks for under a second).

#![allow(clippy::expect_used)] // a benchmark that cannot set up should stop loudly

use criterion::Criterion;
use jiff::civil::date;
use posdesk::Lang;
use posdesk::domain::scan::ScanCode;
use posdesk::print::{ChecklistSheet, ChecklistTask, Paper, TerminalChecklist, render_checklist};
use std::hint::black_box;
use std::time::{Duration, Instant};

const TITLES: [&str; 10] = [
    "检查打印纸",
    "擦拭扫码窗和屏幕",
    "签到并做测试交易",
    "检查网络连接",
    "用清洁卡清洁磁条读头",
    "检查芯片卡槽",
    "检查线缆和电源",
    "检查键盘",
    "检查并安装固件更新",
    "检查电池健康",
];

fn sheet(terminals: usize, days: i64) -> ChecklistSheet {
    let monday = date(2026, 11, 30);
    let day = |d: i64| monday.checked_add(jiff::Span::new().days(d)).expect("date");
    ChecklistSheet {
        lang: Lang::Zh,
        title: "维护检查表".into(),
        shop: "星光便利店".into(),
        first_day: monday,
        last_day: day(days - 1),
        terminals: (0..terminals)
            .map(|t| TerminalChecklist {
                name: format!("收银台 {} 刷卡机", t + 1),
                detail: "Ingenico Move/5000 · 前台 · 银联商务 95534".into(),
                tasks: (0..days)
                    .flat_map(|d| {
                        TITLES
                            .iter()
                            .enumerate()
                            .map(move |(k, title)| ChecklistTask {
                                title: title.to_string(),
                                steps: vec![
                                    "按说明书操作，注意安全。".into(),
                                    "完成后做一笔测试交易。".into(),
                                ],
                                record: (k == 8).then(|| "固件版本".to_string()),
                                scan: ScanCode::new((t * 10 + k + 1) as i64, day(d)),
                                done: false,
                                note: String::new(),
                            })
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn main() {
    let week = sheet(50, 7);
    let day = sheet(1, 1);
    for (name, s, paper) in [
        ("50-terminal week, A4", &week, Paper::A4),
        ("50-terminal week, 80 mm", &week, Paper::Receipt80),
        ("one terminal, one day, 58 mm", &day, Paper::Receipt58),
    ] {
        let mut times: Vec<Duration> = (0..5)
            .map(|_| {
                let started = Instant::now();
                let pdf = render_checklist(s, paper).expect("renders");
                black_box(pdf.len());
                started.elapsed()
            })
            .collect();
        times.sort();
        let bytes = render_checklist(s, paper).expect("renders").len();
        println!(
            "{name}: median {:?}, worst {:?} of 5, {bytes} bytes",
            times[2], times[4]
        );
    }

    let mut c = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(10))
        .configure_from_args();
    c.bench_function("checklist 50 terminals x 7 days A4", |b| {
        b.iter(|| render_checklist(black_box(&week), Paper::A4).expect("renders"))
    });
    c.bench_function("checklist 1 terminal x 1 day 58mm", |b| {
        b.iter(|| render_checklist(black_box(&day), Paper::Receipt58).expect("renders"))
    });
    c.final_summary();
}
