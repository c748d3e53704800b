#![allow(clippy::unwrap_used)]
mod common;
use posdesk::codebook::SearchOptions;
use posdesk::Codebook;
use std::collections::HashMap;
#[test]
fn dbg() {
    let book = Codebook::new(common::store().all_codes().unwrap(), HashMap::new());
    for q in std::env::var("Q").unwrap().split('|') {
        println!("== {q}");
        for h in book.search_hits(q, &SearchOptions { limit: 8, prefer: None }) {
            let e = &book.entries()[h.doc];
            println!("{:8.1} {:?} {} {}", h.score, h.kind, e.code, e.title_zh);
        }
    }
}
#[test]
fn jb() {
    let j = jieba_rs::Jieba::new();
    for t in j.cut("机器提示要先签到", true) { println!("TOK {:?}", t.word); }
    for t in j.cut("顾客说扣钱了但没成功", true) { println!("TOK {:?}", t.word); }
}
