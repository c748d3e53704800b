//! Search latency over the bundled pack, and over the pack plus 100,000 generated custom codes. Run
//! by hand: `cargo bench -p posdesk-core --bench search`. Prints p50/p99 per corpus first, then
//! criterion's figures.

#![allow(clippy::expect_used)] // a benchmark that cannot set up should stop loudly

use criterion::Criterion;
use posdesk::codebook::SearchOptions;
use posdesk::{Category, CodeEntry, Codebook, Fixer, Retry, Scheme, Store};
use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// What clerks type: codes, prefixes, Chinese of 1–6 characters, English words, typos, mixed.
const QUERIES: &[&str] = &[
    "51",
    "a0",
    "E-05",
    "5",
    "userp",
    "USERPAYING",
    "acq.trade",
    "10003",
    "NO COMMUNICATION",
    "余额不足",
    "余额",
    "密码",
    "超时",
    "签到",
    "打印",
    "网",
    "顾客余额不足",
    "insufficient",
    "insuficient",
    "expird",
    "wrong pin",
    "paper",
    "card",
    "timeout network",
    "51 余额",
    "mac error",
    "scan",
    "declined",
    "c0",
    "custom",
];

/// Queries the later search features added: unknown codes, label-stripped codes, padding, pinyin.
const EXTRA_QUERIES: &[&str] = &[
    "E77",
    "ZZ9",
    "1234",
    "0051",
    "rc 55",
    "yuebuzu",
    "yebz",
    "mima",
    "chaoshi",
    "yuebu",
    "dayinji",
    "qiandao",
    "zhongduan",
    "shanghu",
];

const OPTS: SearchOptions = SearchOptions {
    limit: 50,
    prefer: None,
};

const WORDS: &[&str] = &[
    "acquirer",
    "merchant",
    "limit",
    "declined",
    "terminal",
    "batch",
    "settlement",
    "reversal",
    "routing",
    "gateway",
    "velocity",
    "foreign",
    "currency",
    "refund",
    "installment",
    "loyalty",
];
const HAN: &[&str] = &[
    "收单", "商户", "限额", "拒绝", "终端", "批次", "结算", "冲正", "路由", "网关", "频次", "境外",
    "币种", "退货", "分期", "积分",
];

fn generated(n: usize) -> Vec<CodeEntry> {
    (0..n)
        .map(|i| {
            let w = |k: usize| WORDS[(i / k) % WORDS.len()];
            let h = |k: usize| HAN[(i / k) % HAN.len()];
            CodeEntry {
                code: format!("C{i:06}"),
                scheme: Scheme::Custom,
                title_zh: format!("{}{}错误 {i}", h(1), h(7)),
                title_en: format!("{} {} error {i}", w(1), w(7)),
                explain_zh: format!("收单行返回{}{}，请联系服务商。", h(3), h(11)),
                explain_en: format!("The acquirer reports a {} {} problem.", w(3), w(11)),
                causes_zh: vec![format!("{}设置", h(5))],
                causes_en: vec![format!("{} setting", w(5))],
                steps_zh: vec!["致电服务商".into()],
                steps_en: vec!["Call the provider".into()],
                fixers: vec![Fixer::Provider],
                retry: Retry::AfterFix,
                category: Category::Transaction,
                vendor_specific: false,
                keywords: vec![w(13).into(), h(13).into()],
                says_zh: vec![],
                says_en: vec![],
                source: String::new(),
            }
        })
        .collect()
}

/// Like `generated`, but every title and keyword has Chinese of its own, so no pinyin work is shared
/// between entries (an imported list of 100,000 distinct acquirer messages).
fn generated_distinct(n: usize) -> Vec<CodeEntry> {
    let han = |i: usize, k: usize| {
        char::from_u32(0x4E00 + ((i * 7 + k * 13) % 20_000) as u32).unwrap_or('码')
    };
    let mut entries = generated(n);
    for (i, e) in entries.iter_mut().enumerate() {
        e.title_zh = format!(
            "{}{}{}{}错误",
            han(i, 1),
            han(i, 2),
            han(i / 3, 3),
            han(i / 5, 4)
        );
        e.keywords.push(format!("{}{}", han(i, 5), han(i / 7, 6)));
    }
    entries
}

fn corpora() -> Vec<(&'static str, Codebook)> {
    let store = Store::open_in_memory().expect("store");
    let bundled = store.all_codes().expect("codes");
    let mut big = bundled.clone();
    big.extend(generated(100_000));
    let bundled_copy = bundled.clone();
    let corpora = [("bundled", bundled), ("bundled+100k", big)]
        .into_iter()
        .map(|(name, entries)| {
            // The index build alone: what a reload after every write costs.
            let t = Instant::now();
            let book = Codebook::new(entries, HashMap::new());
            println!("{name:>14}: index built in {:?}", t.elapsed());
            (name, book)
        })
        .collect::<Vec<_>>();
    let mut distinct = bundled_copy;
    distinct.extend(generated_distinct(100_000));
    let t = Instant::now();
    let book = Codebook::new(distinct, HashMap::new());
    println!(
        "{:>14}: index built in {:?} (100k distinct Chinese titles)",
        "bundled+100k'",
        t.elapsed()
    );
    drop(book);
    corpora
}

fn percentiles(corpora: &[(&str, Codebook)]) {
    for (name, book) in corpora {
        for (set, queries) in [("queries", QUERIES), ("extra queries", EXTRA_QUERIES)] {
            let mut times: Vec<Duration> = Vec::new();
            for _ in 0..30 {
                for q in queries {
                    let t = Instant::now();
                    black_box(book.search_hits(black_box(q), &OPTS));
                    times.push(t.elapsed());
                }
            }
            if std::env::var_os("POSDESK_BENCH_PER_QUERY").is_some() {
                for q in queries {
                    let t = Instant::now();
                    for _ in 0..5 {
                        black_box(book.search_hits(black_box(q), &OPTS));
                    }
                    println!("  {name} {q:?}: {:?}", t.elapsed() / 5);
                }
            }
            times.sort();
            let at = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
            println!(
                "{name:>14}: {} entries, {} {set}: p50 {:?}, p99 {:?}, max {:?}",
                book.len(),
                times.len(),
                at(0.50),
                at(0.99),
                times[times.len() - 1]
            );
        }
    }
}

fn main() {
    let t = Instant::now();
    let corpora = corpora();
    println!("built both indexes in {:?}", t.elapsed());
    percentiles(&corpora);
    let mut c = Criterion::default().configure_from_args();
    for (name, book) in &corpora {
        let mut group = c.benchmark_group(*name);
        for q in [
            "51",
            "余额",
            "insuficient",
            "acq.trade",
            "51 余额",
            "card",
            "E77",
            "yuebuzu",
        ] {
            group.bench_function(q, |b| b.iter(|| book.search_hits(black_box(q), &OPTS)));
        }
        group.finish();
    }
    c.final_summary();
}
