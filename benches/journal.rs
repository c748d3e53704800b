//! The incident journal at 1,000,000 incidents: build time, then p50/p99 of the first page newest
//! first, each filter, the three kinds of text search, a deep page, counts, and durable insert
//! latency (synchronous=FULL). Run by hand: `cargo bench -p posdesk-core --bench journal` (release;
//! builds the journal once in a temporary folder, about a few minutes). `POSDESK_JOURNAL_DB=DIR`
//! keeps the journal in DIR and reuses it on the next run; `POSDESK_JOURNAL_ROWS=N` builds N
//! incidents instead.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly

use criterion::Criterion;
use jiff::{SignedDuration, Timestamp};
use posdesk::domain::incident::{
    IncidentDraft, IncidentFilter, IncidentStatus, StepOutcome, StepTried,
};
use posdesk::{Clock, Store};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const ROWS: usize = 1_000_000;
/// The journal spans two years ending at END.
const SPAN_DAYS: i64 = 730;
const END: &str = "2026-03-15T12:00:00Z";
const PAGE: usize = 50;

const CODES: &[&str] = &[
    "51", "05", "55", "91", "96", "98", "A0", "54", "61", "14", "12", "30", "57", "58", "94", "E1",
    "E-101", "ZZ9", "C0", "03",
];
const ZH: &[&str] = &[
    "顾客余额不足",
    "网络超时",
    "交易冲正失败",
    "签到失败",
    "密码错误",
    "卡片过期",
    "打印机缺纸",
    "终端无响应",
    "通讯中断",
    "商户号不存在",
    "请顾客换卡",
    "扫码支付未到账",
];
const EN: &[&str] = &[
    "declined at till",
    "timeout waiting for host",
    "customer retried twice",
    "printer jam",
    "network down since morning",
    "wrong PIN entered",
    "card expired",
    "provider says keys out of sync",
    "refund requested",
    "gateway error",
];
const RARE_EN: &str = "sandpiper"; // in 1 of 5,000 incidents
const RARE_ZH: &str = "鹦鹉"; // in 1 of 5,000 incidents

/// A small deterministic generator: the same journal every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }
}

fn end() -> Timestamp {
    END.parse().unwrap()
}

fn drafts(n: usize) -> impl Iterator<Item = IncidentDraft> {
    let mut rng = Lcg(42);
    let start = end() - SignedDuration::from_hours(24 * SPAN_DAYS);
    let step = SignedDuration::from_secs(SPAN_DAYS * 86_400) / (n.max(1) as i32);
    (0..n).map(move |i| {
        let mut symptom = format!("{}，{}", rng.pick(ZH), rng.pick(EN));
        if i % 5_000 == 17 {
            symptom.push_str(&format!(" {RARE_EN} {RARE_ZH}"));
        }
        let jitter = SignedDuration::from_secs((rng.next() % 600) as i64);
        IncidentDraft {
            occurred_at: Some(start + step * (i as i32) + jitter),
            terminal: Some(format!("Till {}", rng.next() % 20 + 1)),
            code: (i % 7 != 0).then(|| rng.pick(CODES).to_string()),
            scheme: None,
            symptom,
            amount: (i % 3 == 0).then_some((rng.next() % 100_000) as i64),
            txn_ref: (i % 4 == 0).then(|| format!("T{:010}", rng.next())),
            steps: vec![StepTried {
                text: rng
                    .pick(&["重新签到", "Restart the terminal", "致电服务商"])
                    .into(),
                outcome: StepOutcome::Tried,
            }],
            who: Some("王芳".into()),
        }
    })
}

/// Open the journal in `dir`, building it first when it is not there yet.
fn journal(dir: &Path, rows: usize) -> Store {
    let clock = Clock::fixed(end());
    let db = dir.join(posdesk::store::DB_FILE);
    let fresh = !db.exists();
    let mut store = Store::open_dir(dir).expect("open").with_clock(clock);
    if fresh {
        let t = Instant::now();
        store.import_incidents(drafts(rows)).expect("import");
        let imported = t.elapsed();
        // Statuses: 85 % resolved (an hour or so after), 5 % waiting, 10 % open.
        let conn = rusqlite::Connection::open(&db).expect("second connection");
        conn.execute_batch(
            "UPDATE incidents SET status = 'resolved', \
               resolved_at = strftime('%Y-%m-%dT%H:%M:%SZ', occurred_at, '+' || (id % 240) || ' minutes') \
               WHERE id % 20 >= 3; \
             UPDATE incidents SET status = 'waiting' WHERE id % 20 = 2; \
             ANALYZE;",
        )
        .expect("statuses");
        drop(conn);
        println!(
            "built {rows} incidents in {imported:.1?} (+ statuses and ANALYZE: {:.1?} total); file {} MB",
            t.elapsed(),
            std::fs::metadata(&db)
                .map(|m| m.len() / 1_000_000)
                .unwrap_or(0)
        );
    } else {
        println!("reusing the journal in {}", dir.display());
    }
    store
}

fn filter(f: impl FnOnce(&mut IncidentFilter)) -> IncidentFilter {
    let mut out = IncidentFilter::default();
    f(&mut out);
    out
}

fn text(t: &str) -> IncidentFilter {
    filter(|f| f.text = Some(t.into()))
}

/// Named cases, each a few filters the clerk would use in turn.
fn cases() -> Vec<(&'static str, Vec<IncidentFilter>)> {
    let week = |d: i64| {
        filter(|f| {
            f.from = Some(end() - SignedDuration::from_hours(24 * (d + 7)));
            f.until = Some(end() - SignedDuration::from_hours(24 * d));
        })
    };
    vec![
        ("first page, newest first", vec![IncidentFilter::default()]),
        (
            "status",
            [
                IncidentStatus::Open,
                IncidentStatus::Waiting,
                IncidentStatus::Resolved,
            ]
            .map(|s| filter(|f| f.status = Some(s)))
            .into(),
        ),
        (
            "terminal",
            (1..=20)
                .map(|i| filter(|f| f.terminal = Some(format!("Till {i}"))))
                .collect(),
        ),
        (
            "code",
            CODES
                .iter()
                .map(|c| filter(|f| f.code = Some((*c).into())))
                .collect(),
        ),
        ("date range (a week)", [0, 30, 200, 500].map(week).into()),
        (
            "2-char Chinese search",
            ["余额", "超时", "冲正", "签到", "缺纸", RARE_ZH]
                .map(text)
                .into(),
        ),
        (
            "3+ char search",
            ["余额不足", "冲正失败", "商户号", "打印机缺纸", "T00"]
                .map(text)
                .into(),
        ),
        (
            "English word search",
            ["timeout", "declined", "gateway", "printer", RARE_EN]
                .map(text)
                .into(),
        ),
        (
            "search + status + terminal",
            vec![
                filter(|f| {
                    f.text = Some("余额".into());
                    f.status = Some(IncidentStatus::Waiting);
                }),
                filter(|f| {
                    f.text = Some("timeout".into());
                    f.terminal = Some("Till 3".into());
                }),
                filter(|f| {
                    f.text = Some("超时 host".into());
                    f.code = Some("51".into());
                }),
            ],
        ),
        (
            "code + status",
            vec![filter(|f| {
                f.code = Some("98".into());
                f.status = Some(IncidentStatus::Open);
            })],
        ),
    ]
}

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    times[((times.len() as f64 * p) as usize).min(times.len() - 1)]
}

fn row(name: &str, times: &mut [Duration]) {
    let p50 = percentile(times, 0.50);
    let p99 = percentile(times, 0.99);
    let max = times[times.len() - 1];
    let ok = if p99 < Duration::from_millis(100) {
        "ok"
    } else {
        "SLOW"
    };
    println!(
        "{name:<32} {:>5} {:>10.2?} {:>10.2?} {:>10.2?}  {ok}",
        times.len(),
        p50,
        p99,
        max
    );
}

fn header(what: &str) {
    println!(
        "\n{what:<32} {:>5} {:>10} {:>10} {:>10}",
        "runs", "p50", "p99", "max"
    );
}

fn table(store: &mut Store) {
    header("query (page of 50)");
    for (name, filters) in cases() {
        let mut times = Vec::new();
        for _ in 0..(120 / filters.len()).max(10) {
            for f in &filters {
                let t = Instant::now();
                black_box(store.list_incidents(f, None, PAGE).unwrap());
                times.push(t.elapsed());
            }
        }
        row(name, &mut times);
    }

    // Page 20 of the unfiltered journal and of a search, following the cursors.
    for (name, f) in [
        ("page 20, newest first", IncidentFilter::default()),
        ("page 20 of a 2-char search", text("超时")),
    ] {
        let mut times = Vec::new();
        for _ in 0..30 {
            let mut after = None;
            for _ in 0..19 {
                after = store.list_incidents(&f, after, PAGE).unwrap().next;
            }
            let t = Instant::now();
            black_box(store.list_incidents(&f, after, PAGE).unwrap());
            times.push(t.elapsed());
        }
        row(name, &mut times);
    }

    header("count (for \"N incidents\")");
    for (name, f) in [
        (
            "count: status open",
            filter(|f| f.status = Some(IncidentStatus::Open)),
        ),
        (
            "count: terminal",
            filter(|f| f.terminal = Some("Till 5".into())),
        ),
        ("count: 2-char search", text("冲正")),
        ("count: rare word", text(RARE_EN)),
        ("count: all", IncidentFilter::default()),
    ] {
        let mut times = Vec::new();
        for _ in 0..20 {
            let t = Instant::now();
            black_box(store.count_incidents(&f).unwrap());
            times.push(t.elapsed());
        }
        row(name, &mut times);
    }

    header("whole-journal views");
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        black_box(store.journal_stats(90).unwrap());
        times.push(t.elapsed());
    }
    row("statistics, 90 days", &mut times);
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        // Every code counts: the most work the rule can do.
        black_box(
            store
                .repeats(&Default::default(), None, |_, _| true)
                .unwrap(),
        );
        times.push(t.elapsed());
    }
    row("repeat rule, all", &mut times);
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        black_box(store.unknown_codes(|k| k != "ZZ9" && k != "E101").unwrap());
        times.push(t.elapsed());
    }
    row("unknown codes", &mut times);

    header("durable insert (synchronous=FULL)");
    let mut times = Vec::new();
    for i in 0..200 {
        let d = IncidentDraft {
            terminal: Some("Till 2".into()),
            code: Some("51".into()),
            symptom: format!("bench insert {i} 余额不足 card 4111 1111 1111 1111"),
            ..IncidentDraft::default()
        };
        let t = Instant::now();
        black_box(store.create_incident(&d).unwrap());
        times.push(t.elapsed());
    }
    row("create incident", &mut times);
    println!();
}

fn main() {
    let rows = std::env::var("POSDESK_JOURNAL_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(ROWS);
    let temp;
    let dir: PathBuf = match std::env::var_os("POSDESK_JOURNAL_DB") {
        Some(d) => d.into(),
        None => {
            temp = tempfile::tempdir().expect("temp dir");
            temp.path().to_path_buf()
        }
    };
    let mut store = journal(&dir, rows);
    table(&mut store);

    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(20)
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500));
    let mut group = c.benchmark_group("journal");
    for (name, f) in [
        ("first_page", IncidentFilter::default()),
        (
            "status_open",
            filter(|f| f.status = Some(IncidentStatus::Open)),
        ),
        ("search_2char_yu_e", text("余额")),
        ("search_3char_yu_e_bu_zu", text("余额不足")),
        ("search_english_timeout", text("timeout")),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| store.list_incidents(black_box(&f), None, PAGE).unwrap())
        });
    }
    group.finish();
    c.final_summary();
}
