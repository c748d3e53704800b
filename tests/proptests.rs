//! Property tests that feed hostile input to search, to the import of the user's own codes and to the
//! CSV exports: whatever comes in, nothing panics, a bad file is refused with its line and a reason, and
//! the store is exactly as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

#[path = "support/fixtures.rs"]
mod common;

use posdesk::codebook::SearchOptions;
use posdesk::domain::code::normalize_code;
use posdesk::domain::incident::{IncidentDraft, StepOutcome, StepTried};
use posdesk::domain::rules::{self, EntryError, ListName};
use posdesk::exchange::codes::{self as codefile, CodeFile, CodeFileError, Problem};
use posdesk::exchange::journal::{self, BOM};
use posdesk::i18n::Explain;
use posdesk::{Category, CodeEntry, Codebook, Fixer, Retry, Scheme, Store};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Cases per property: enough to shake out edge cases, few enough to keep this file quick in a debug
/// build. Failures are not persisted to files: a failing case prints its minimal input.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// The bundled book, built once for all search properties.
fn book() -> &'static Codebook {
    static BOOK: OnceLock<Codebook> = OnceLock::new();
    BOOK.get_or_init(|| Codebook::load(&common::store()).unwrap())
}

// ---------------------------------------------------------------------------------------------------
// Search

/// Text a clerk (or a cat on the keyboard, or a paste from anywhere) may put into the search box.
fn any_query() -> impl Strategy<Value = String> {
    let sqlish = prop::sample::select(vec![
        "' OR 1=1 --",
        "\"; DROP TABLE codes; --",
        "%",
        "_",
        "*",
        "NEAR(a b)",
        "\"unterminated",
        "a AND b OR NOT c",
        "\\",
        "code_key = 'A0'",
        "51 OR 1=1",
        "E",
        "ERR",
        "rc 55",
        "0000000000000000000000000000000000000051",
        "ＡＢＣ１２３",
        "\u{3000}",
        "余额不足 insufficient yebz",
    ])
    .prop_map(String::from);
    let words = prop::collection::vec(
        prop::sample::select(vec![
            "card",
            "declined",
            "余额",
            "不足",
            "51",
            "05",
            "a0",
            "pin",
            "mima",
            "the",
            "e",
            "rc",
            "🙂",
            "\u{0}",
            "\u{200d}",
            "ｃａｒｄ",
            "insuf",
            "terminl",
        ]),
        0..20,
    )
    .prop_map(|w| w.join(" "));
    prop_oneof![
        3 => any::<String>(),
        2 => "\\PC{0,40}",
        1 => "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}]{0,20}",
        1 => ".{1000,6000}",
        1 => "[\\u{1F300}-\\u{1FAFF}\\u{200D}\\u{FE0F}\\u{1F1E6}-\\u{1F1FF}]{0,12}",
        2 => sqlish,
        3 => words,
    ]
}

fn any_options() -> impl Strategy<Value = SearchOptions> {
    (
        0usize..=60,
        prop::option::of(prop::sample::select(Scheme::ALL.to_vec())),
    )
        .prop_map(|(limit, prefer)| SearchOptions { limit, prefer })
}

/// Indexes of bundled entries whose key is one token of the query: all ASCII letters and digits or all
/// CJK, and not a word search drops as too common.
fn token_entries() -> Vec<usize> {
    const STOP: [&str; 16] = [
        "A", "AN", "THE", "OF", "TO", "IS", "AND", "OR", "IN", "ON", "FOR", "IT", "BE", "THIS",
        "WITH", "NOT",
    ];
    book()
        .entries()
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            let k = e.key();
            !k.is_empty()
                && !STOP.contains(&k.as_str())
                && (k.chars().all(|c| c.is_ascii_alphanumeric())
                    || k.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
        })
        .map(|(i, _)| i)
        .collect()
}

proptest! {
    #![proptest_config(config(96))]

    /// Any input: no panic, at most `limit` hits, valid docs, finite scores best first, the same answer
    /// twice, and a smaller limit gives the start of the same list.
    #[test]
    fn search_never_fails_and_is_ordered(query in any_query(), opts in any_options()) {
        let book = book();
        let hits = book.search_hits(&query, &opts);
        prop_assert!(hits.len() <= opts.limit, "{} hits for limit {}", hits.len(), opts.limit);
        for h in &hits {
            prop_assert!(h.doc < book.len());
            prop_assert!(h.score.is_finite() && h.score > 0.0, "score {}", h.score);
        }
        for pair in hits.windows(2) {
            prop_assert!(pair[0].score >= pair[1].score, "not best first: {:?}", pair);
        }
        let again = book.search_hits(&query, &opts);
        prop_assert_eq!(&hits, &again, "not deterministic");
        let docs: BTreeSet<usize> = hits.iter().map(|h| h.doc).collect();
        prop_assert_eq!(docs.len(), hits.len(), "an entry listed twice");
        if opts.limit > 1 {
            let fewer = SearchOptions { limit: opts.limit / 2, ..opts };
            let head = book.search_hits(&query, &fewer);
            prop_assert_eq!(&head[..], &hits[..head.len().min(hits.len())]);
            prop_assert_eq!(head.len(), fewer.limit.min(hits.len()));
        }
    }

    /// A query holding a bundled code's key as a whole token, among other words and separators, still
    /// lists that very entry.
    #[test]
    fn a_code_in_the_query_is_found(
        pick in prop::sample::select(token_entries()),
        lower in any::<bool>(),
        before in prop::collection::vec(filler(), 0..3),
        after in prop::collection::vec(filler(), 0..3),
        seps in prop::collection::vec(separator(), 6),
        prefer in prop::option::of(prop::sample::select(Scheme::ALL.to_vec())),
    ) {
        let book = book();
        let entry = &book.entries()[pick];
        let key = if lower { entry.key().to_lowercase() } else { entry.key() };
        let mut query = String::new();
        let mut sep = seps.iter().cycle();
        for w in &before {
            query.push_str(w);
            query.push_str(sep.next().unwrap());
        }
        query.push_str(&key);
        for w in &after {
            query.push_str(sep.next().unwrap());
            query.push_str(w);
        }
        let opts = SearchOptions { limit: 50, prefer };
        let found = book.search(&query, &opts);
        prop_assert!(
            found.iter().any(|e| e.scheme == entry.scheme && e.code == entry.code),
            "query {:?} does not list {} {}; got {:?}",
            query,
            entry.scheme,
            entry.code,
            found.iter().take(8).map(|e| (e.scheme, e.code.as_str())).collect::<Vec<_>>()
        );
    }
}

/// Words around a code in a query; no code labels (`E`, `RC`: "rc 55" is another code by design) and
/// no stop words.
fn filler() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "card",
        "declined",
        "余额不足",
        "terminal",
        "please",
        "retry",
        "交易失败",
        "timeout",
        "密码",
        "51",
        "🙂",
        "shows",
    ])
}

fn separator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        " ", ", ", "，", "/", " - ", "\t", "、", "\n", ": ", "(",
    ])
}

// ---------------------------------------------------------------------------------------------------
// Code import: what the store holds, and the checks on a refusal

#[derive(Debug, PartialEq)]
struct Snapshot {
    custom: Vec<CodeEntry>,
    notes: Vec<(Scheme, String, String)>,
    all: usize,
}

fn snapshot(s: &Store) -> Snapshot {
    Snapshot {
        custom: s.custom_codes().unwrap(),
        notes: s.notes().unwrap(),
        all: s.all_codes().unwrap().len(),
    }
}

/// A store with the bundled pack, two of the shop's codes and two notes, so "unchanged" means something
/// and an import may update an existing code (`A1`).
fn seeded() -> Store {
    let mut s = common::store();
    s.import_custom(&[
        common::custom("KEEP1", "保留", "Keep"),
        common::custom("A1", "旧的", "Old one"),
    ])
    .unwrap();
    s.set_note(Scheme::Custom, "KEEP1", "call Wang, line 2")
        .unwrap();
    s.set_note(Scheme::Cups, "A0", "先签到").unwrap();
    s
}

/// Lines in `bytes` as an editor counts them.
fn line_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count() + 1
}

/// A refusal names a line inside the file (or the whole file) and gives a reason in both languages.
fn check_refusal(err: &CodeFileError, lines: usize) -> Result<(), TestCaseError> {
    let problem = match err {
        CodeFileError::Line { line, problem, .. } => {
            prop_assert!(
                (1..=lines).contains(line),
                "line {line} is outside the file's {lines} lines: {err}"
            );
            problem
        }
        CodeFileError::File { problem, .. } => problem,
        other => return Err(TestCaseError::fail(format!("not a refusal: {other}"))),
    };
    prop_assert!(!problem.to_string().trim().is_empty(), "no reason: {err:?}");
    let msg = err.explain();
    prop_assert!(!msg.en.trim().is_empty() && !msg.zh.trim().is_empty());
    Ok(())
}

/// After a successful import: every code of the file is stored as read, the others are untouched, the
/// notes are there, and exporting then reading the export back gives the same codes and notes.
fn check_imported(
    before: &Snapshot,
    store: &Store,
    file: &CodeFile,
    dir: &Path,
) -> Result<(), TestCaseError> {
    let now = snapshot(store);
    let imported: BTreeSet<String> = file.entries.iter().map(CodeEntry::key).collect();
    for e in &file.entries {
        prop_assert!(now.custom.contains(e), "{} not stored as read", e.code);
    }
    for e in before
        .custom
        .iter()
        .filter(|e| !imported.contains(&e.key()))
    {
        prop_assert!(
            now.custom.contains(e),
            "{} changed by an import without it",
            e.code
        );
    }
    let keys: BTreeSet<String> = before
        .custom
        .iter()
        .map(CodeEntry::key)
        .chain(imported.iter().cloned())
        .collect();
    prop_assert_eq!(now.custom.len(), keys.len());
    prop_assert_eq!(now.all - now.custom.len(), before.all - before.custom.len());
    for n in &file.notes {
        let want = (n.scheme, normalize_code(&n.code), n.note.clone());
        prop_assert!(now.notes.contains(&want), "note {:?} not stored", want);
    }
    let export = store.export_file().unwrap();
    for name in ["again.csv", "again.json"] {
        let p = dir.join(name);
        codefile::write_codes(
            &posdesk::fsx::Output::check(None, &p, posdesk::fsx::Replace::Yes).unwrap(),
            &export,
        )
        .unwrap();
        let back = codefile::read_codes(&p)
            .map_err(|e| TestCaseError::fail(format!("own export refused ({name}): {e}")))?;
        prop_assert_eq!(&back.entries, &export.entries, "{}", name);
        let sorted = |f: &CodeFile| {
            let mut n: Vec<_> = f
                .notes
                .iter()
                .map(|n| (n.scheme, normalize_code(&n.code), n.note.clone()))
                .collect();
            n.sort();
            n
        };
        prop_assert_eq!(sorted(&back), sorted(&export), "{}", name);
    }
    Ok(())
}

/// One seeded store for the refused files, with how it looked when made (a fresh store per case would
/// cost 60 ms each).
fn shared() -> std::sync::MutexGuard<'static, (Store, Snapshot)> {
    static SHARED: OnceLock<Mutex<(Store, Snapshot)>> = OnceLock::new();
    SHARED
        .get_or_init(|| {
            let s = seeded();
            let snap = snapshot(&s);
            Mutex::new((s, snap))
        })
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What the app does with a file (the code screen and `posdesk import` alike): read and check it whole,
/// then import it in one transaction. A refused file never reaches the store, so the shared one must
/// look as it did; a file that reads goes into a fresh seeded store and is checked there.
fn import_and_check(path: &Path, dir: &Path) -> Result<bool, TestCaseError> {
    let bytes = std::fs::read(path).unwrap();
    match codefile::read_codes(path) {
        Err(e) => {
            check_refusal(&e, line_count(&bytes))?;
            let shared = shared();
            prop_assert_eq!(
                &snapshot(&shared.0),
                &shared.1,
                "a refused file changed the store"
            );
            Ok(false)
        }
        Ok(file) => import_read(&mut seeded(), &file, dir),
    }
}

/// Import a file that read well: either all of it is stored and round-trips, or nothing changes.
fn import_read(store: &mut Store, file: &CodeFile, dir: &Path) -> Result<bool, TestCaseError> {
    let before = snapshot(store);
    match store.import_file(file) {
        Ok(_) => {
            check_imported(&before, store, file, dir)?;
            Ok(true)
        }
        Err(e) => {
            prop_assert!(!e.to_string().trim().is_empty());
            prop_assert_eq!(
                &snapshot(store),
                &before,
                "a failed import changed the store"
            );
            Ok(false)
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Code import: any CSV

/// The library's CSV columns up to `note`: the ones a generated row fills (`says_*` and `source`
/// came later and stay out of these generators).
fn columns() -> &'static [&'static str] {
    let end = codefile::CSV_COLUMNS
        .iter()
        .position(|c| *c == "note")
        .expect("the CSV has a note column")
        + 1;
    &codefile::CSV_COLUMNS[..end]
}

/// How cells start when someone means harm or a spreadsheet got in the way.
const STARTERS: [&str; 18] = [
    "",
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\"",
    ",",
    "\n",
    "=cmd|' /C calc'!A0",
    "=HYPERLINK(\"http://x\",\"y\")",
    "余额不足",
    "中文，逗号",
    "'",
    " | ",
    "\u{feff}",
    "０５",
];

/// A header: mostly a good one (a code column and other real ones, any order, any case), otherwise
/// names picked at random, unknown and repeated ones among them.
fn any_header() -> impl Strategy<Value = Vec<String>> {
    let good = (
        prop::sample::subsequence(columns()[1..].to_vec(), 1..=columns().len() - 1),
        prop::sample::select(vec!["code", "Code", " CODE "]),
    )
        .prop_flat_map(|(mut columns, code)| {
            columns.push(code);
            if !columns.contains(&"title_en") && !columns.contains(&"title_zh") {
                columns.push("title_en");
            }
            Just(columns.into_iter().map(String::from).collect::<Vec<_>>()).prop_shuffle()
        });
    let name = prop_oneof![
        10 => prop::sample::select(columns().to_vec()).prop_map(String::from),
        1 => prop::sample::select(vec![
            "Code", " code ", "TITLE_EN", "titel", "描述", "", "code,x", "=code", "\u{feff}code",
        ])
        .prop_map(String::from),
        1 => "[a-z_]{1,8}",
    ];
    prop_oneof![
        3 => good,
        1 => prop::collection::vec(name, 0..9),
    ]
}

/// Any text for a cell, formula starters, quotes, separators and line breaks included.
fn text_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (prop::sample::select(STARTERS.to_vec()), "\\PC{0,12}")
            .prop_map(|(s, t)| format!("{s}{t}")),
        1 => "[a-z \"\n\r,|=+@中文]{0,16}",
        1 => any::<String>(),
    ]
}

/// A cell for `column`: mostly right values (which still need not make a valid row), sometimes wrong.
fn any_cell(column: &str) -> BoxedStrategy<String> {
    let mix = |good: Vec<&'static str>, bad: Vec<&'static str>| {
        prop_oneof![
            20 => prop::sample::select(good).prop_map(String::from),
            1 => prop::sample::select(bad).prop_map(String::from),
        ]
        .boxed()
    };
    match column.trim().to_ascii_lowercase().as_str() {
        "code" => prop_oneof![
            10 => "[A-Z][0-9]{1,2}".boxed(),
            6 => prop::sample::select(vec![
                "Z1", "z-1", "Z 1", "Q9", "q9", "测试码", "=1+1", "+1", "-1", "1", "@A", "A0", "A1",
                "51", "KEEP1", "=cmd|' /C calc'!A0", "ＺＸ９",
            ])
            .prop_map(String::from)
            .boxed(),
            1 => prop_oneof![
                prop::sample::select(vec!["", "  ", "=+-"]).prop_map(String::from),
                Just("X".repeat(65)),
                "\\PC{0,10}",
            ]
            .boxed(),
        ]
        .boxed(),
        "title_zh" | "title_en" => prop_oneof![
            3 => "[A-Za-z中文余额 ,\"=+-]{1,12}".boxed(),
            1 => text_cell().boxed(),
        ]
        .boxed(),
        "retry" => mix(
            vec!["", "now", "after_fix", "never", "check_first", " never "],
            vec!["NOW", "sometimes"],
        ),
        "category" => mix(
            Category::ALL.iter().map(|c| c.id()).chain([""]).collect(),
            vec!["bogus", "Funds"],
        ),
        "fixers" => mix(
            vec![
                "",
                "clerk",
                "clerk | merchant",
                "provider|issuer",
                "clerk|clerk",
                "|",
            ],
            vec!["bogus", "Clerk"],
        ),
        "vendor_specific" => mix(
            vec!["", "true", "false", "yes", "no", "1", "0", "TRUE"],
            vec!["maybe", "2"],
        ),
        "scheme" => mix(
            vec!["", "", "", "custom", "Custom"],
            vec!["visa", "cups", "iso8583"],
        ),
        "note" => prop_oneof![
            2 => Just(String::new()).boxed(),
            2 => text_cell().boxed(),
            1 => prop_oneof![9 => Just(String::new()), 1 => Just("注".repeat(4001))].boxed(),
        ]
        .boxed(),
        _ => text_cell().boxed(),
    }
}

#[derive(Debug, Clone)]
struct RawCsv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Written by a CSV writer (quoted as needed) or joined naively with commas.
    quoted: bool,
    crlf: bool,
    bom: bool,
}

impl RawCsv {
    fn text(&self) -> String {
        let eol = if self.crlf { "\r\n" } else { "\n" };
        let mut out = String::new();
        if self.bom {
            out.push('\u{feff}');
        }
        let records = std::iter::once(&self.header).chain(&self.rows);
        if self.quoted {
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .terminator(if self.crlf {
                    csv::Terminator::CRLF
                } else {
                    csv::Terminator::Any(b'\n')
                })
                .from_writer(Vec::new());
            for r in records {
                w.write_record(r).unwrap();
            }
            out.push_str(&String::from_utf8(w.into_inner().unwrap()).unwrap());
        } else {
            for r in records {
                out.push_str(&r.join(","));
                out.push_str(eol);
            }
        }
        out
    }
}

fn any_csv() -> impl Strategy<Value = RawCsv> {
    any_header().prop_flat_map(|header| {
        let row = (
            header.iter().map(|h| any_cell(h)).collect::<Vec<_>>(),
            prop_oneof![38 => Just(0i8), 1 => Just(-1i8), 1 => Just(1i8)],
            text_cell(),
        )
            .prop_map(|(mut cells, change, extra)| {
                match change {
                    -1 => {
                        cells.pop();
                    }
                    1 => cells.push(extra),
                    _ => {}
                }
                cells
            });
        (
            Just(header),
            prop::collection::vec(row, 1..6),
            prop_oneof![3 => Just(true), 1 => Just(false)],
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(header, rows, quoted, crlf, bom)| RawCsv {
                header,
                rows,
                quoted,
                crlf,
                bom,
            })
    })
}

// ---------------------------------------------------------------------------------------------------
// Code import: good files with one planted fault, so the error must name that very line

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    UnknownRetry,
    UnknownCategory,
    UnknownFixer,
    EmptyCode,
    CodeTooLong,
    Duplicate,
    VendorFlag,
    NoTitle,
    ListsDiffer,
    UnknownScheme,
    BundledRow,
    FieldCount,
    NoteTooLong,
}

impl Fault {
    const ALL: [Fault; 14] = [
        Fault::None,
        Fault::UnknownRetry,
        Fault::UnknownCategory,
        Fault::UnknownFixer,
        Fault::EmptyCode,
        Fault::CodeTooLong,
        Fault::Duplicate,
        Fault::VendorFlag,
        Fault::NoTitle,
        Fault::ListsDiffer,
        Fault::UnknownScheme,
        Fault::BundledRow,
        Fault::FieldCount,
        Fault::NoteTooLong,
    ];

    /// Columns the fault needs in the header.
    fn needs(self) -> &'static [&'static str] {
        match self {
            Fault::UnknownRetry => &["retry"],
            Fault::UnknownCategory => &["category"],
            Fault::UnknownFixer => &["fixers"],
            Fault::VendorFlag => &["vendor_specific"],
            Fault::ListsDiffer => &["causes_en", "causes_zh"],
            Fault::UnknownScheme | Fault::BundledRow => &["scheme"],
            Fault::NoteTooLong => &["note"],
            _ => &[],
        }
    }

    fn expected(self, columns: usize, first_line: usize) -> Problem {
        match self {
            Fault::None => unreachable!("no fault, no problem"),
            Fault::UnknownRetry => Problem::Entry(EntryError::UnknownRetry("sometimes".into())),
            Fault::UnknownCategory => Problem::Entry(EntryError::UnknownCategory("bogus".into())),
            Fault::UnknownFixer => Problem::Entry(EntryError::UnknownFixer("bogus".into())),
            Fault::EmptyCode => Problem::Entry(EntryError::EmptyCode),
            Fault::CodeTooLong => Problem::Entry(EntryError::CodeTooLong),
            Fault::Duplicate => Problem::Duplicate {
                code: String::new(),
                first_line,
            },
            Fault::VendorFlag => Problem::VendorFlag("maybe".into()),
            Fault::NoTitle => Problem::Entry(EntryError::NoTitle),
            Fault::ListsDiffer => Problem::Entry(EntryError::ListsDiffer {
                list: ListName::Causes,
                en: 2,
                zh: 1,
            }),
            Fault::UnknownScheme => Problem::UnknownScheme("visa".into()),
            Fault::BundledRow => Problem::BundledRow(Scheme::Cups),
            Fault::FieldCount => Problem::FieldCount {
                len: columns - 1,
                expected: columns,
            },
            Fault::NoteTooLong => Problem::NoteTooLong,
        }
    }
}

/// Text that is valid but awkward: formula starters, quotes, commas, line breaks, Chinese. Never blank.
fn awkward_text() -> impl Strategy<Value = String> {
    (
        prop::sample::select(STARTERS.to_vec()),
        "[^|]{0,12}",
        prop::sample::select(vec!["x", "中", "=", "\"", "5", "é", "🙂"]),
    )
        .prop_map(|(s, mid, end)| format!("{s}{mid}{end}").replace('|', "/"))
}

/// A list cell's items: never blank, never holding the `|` that separates them.
fn awkward_items() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(awkward_text(), 0..3)
}

#[derive(Debug, Clone)]
struct GoodRow {
    prefix: usize,
    titles: (String, String),
    explain: (String, String),
    /// Same length in both languages.
    steps: Vec<(String, String)>,
    causes: Vec<(String, String)>,
    retry: &'static str,
    category: &'static str,
    fixers: Vec<&'static str>,
    keywords: Vec<String>,
    note: String,
    vendor: &'static str,
}

/// Codes with distinct keys: a letter (or 测) of the prefix, then the row's number.
const CODE_PREFIXES: [(&str, &str); 7] = [
    ("=A", "a"),
    ("+B", "b"),
    ("-C", "c"),
    ("@D", "d"),
    ("测", "测"),
    ("e-", "e"),
    (" F ", "f"),
];

impl GoodRow {
    fn code(&self, row: usize) -> String {
        format!("{}{row}", CODE_PREFIXES[self.prefix].0)
    }

    /// Another spelling of the same code: lower case, a dash, spaces around.
    fn same_code(&self, row: usize) -> String {
        format!(" {}-{row} ", CODE_PREFIXES[self.prefix].1)
    }

    fn cell(&self, column: &str, row: usize) -> String {
        let list = |items: Vec<&String>| {
            items
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" | ")
        };
        match column {
            "code" => self.code(row),
            "title_zh" => self.titles.0.clone(),
            "title_en" => self.titles.1.clone(),
            "explain_zh" => self.explain.0.clone(),
            "explain_en" => self.explain.1.clone(),
            "steps_zh" => list(self.steps.iter().map(|s| &s.0).collect()),
            "steps_en" => list(self.steps.iter().map(|s| &s.1).collect()),
            "causes_zh" => list(self.causes.iter().map(|s| &s.0).collect()),
            "causes_en" => list(self.causes.iter().map(|s| &s.1).collect()),
            "fixers" => self.fixers.join("|"),
            "retry" => self.retry.into(),
            "category" => self.category.into(),
            "vendor_specific" => self.vendor.into(),
            "keywords" => list(self.keywords.iter().collect()),
            "scheme" => String::new(),
            "note" => self.note.clone(),
            other => unreachable!("column {other}"),
        }
    }
}

/// A Chinese and an English text, each awkward.
fn text_pair() -> impl Strategy<Value = (String, String)> {
    (awkward_text(), awkward_text())
}

/// One of these words.
fn one_of(words: Vec<&'static str>) -> impl Strategy<Value = &'static str> {
    prop::sample::select(words)
}

prop_compose! {
    fn good_row()(
        prefix in 0..CODE_PREFIXES.len(),
        titles in text_pair(),
        explain in text_pair(),
        steps in prop::collection::vec(text_pair(), 0..3),
        causes in prop::collection::vec(text_pair(), 0..3),
        retry in one_of(vec!["", "now", "after_fix", "never", "check_first", " never "]),
        category in one_of(Category::ALL.iter().map(|c| c.id()).chain([""]).collect()),
        fixers in prop::collection::vec(one_of(Fixer::ALL.iter().map(|f| f.id()).collect()), 0..3),
        keywords in awkward_items(),
        note in prop_oneof![Just(String::new()), awkward_text()],
        vendor in one_of(vec!["", "true", "false", "yes", "0"]),
    ) -> GoodRow {
        GoodRow { prefix, titles, explain, steps, causes, retry, category, fixers, keywords, note, vendor }
    }
}

#[derive(Debug, Clone)]
struct PlantedCsv {
    columns: Vec<&'static str>,
    rows: Vec<GoodRow>,
    fault: Fault,
    at: usize,
    crlf: bool,
}

impl PlantedCsv {
    /// The file's text and the line each data row starts on.
    fn text(&self) -> (String, Vec<usize>) {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .terminator(if self.crlf {
                csv::Terminator::CRLF
            } else {
                csv::Terminator::Any(b'\n')
            })
            .from_writer(Vec::new());
        w.write_record(&self.columns).unwrap();
        w.flush().unwrap();
        let mut starts = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            starts.push(line_count(w.get_ref()));
            let mut cells: Vec<String> = self.columns.iter().map(|c| row.cell(c, i)).collect();
            if i == self.at {
                self.plant(&mut cells);
            }
            w.write_record(&cells).unwrap();
            w.flush().unwrap();
        }
        (String::from_utf8(w.into_inner().unwrap()).unwrap(), starts)
    }

    fn plant(&self, cells: &mut Vec<String>) {
        let col = |name: &str| self.columns.iter().position(|c| *c == name).unwrap();
        let mut set = |name: &str, value: String| cells[col(name)] = value;
        match self.fault {
            Fault::None => {}
            Fault::UnknownRetry => set("retry", "sometimes".into()),
            Fault::UnknownCategory => set("category", "bogus".into()),
            Fault::UnknownFixer => set("fixers", "clerk | bogus".into()),
            Fault::EmptyCode => set("code", " - = ".into()),
            Fault::CodeTooLong => set("code", "X".repeat(65)),
            Fault::Duplicate => set("code", self.rows[0].same_code(0)),
            Fault::VendorFlag => set("vendor_specific", "maybe".into()),
            Fault::NoTitle => {
                set("title_zh", " ".into());
                set("title_en", "\t".into());
            }
            Fault::ListsDiffer => {
                set("causes_en", "one | two".into());
                set("causes_zh", "一".into());
            }
            Fault::UnknownScheme => set("scheme", "visa".into()),
            Fault::BundledRow => set("scheme", "cups".into()),
            Fault::FieldCount => {
                cells.pop();
            }
            Fault::NoteTooLong => set("note", "注".repeat(4001)),
        }
    }
}

fn planted_csv() -> impl Strategy<Value = PlantedCsv> {
    let optional: Vec<&'static str> = columns()[3..].to_vec();
    (
        prop::sample::subsequence(optional.clone(), 0..=optional.len()),
        prop::collection::vec(good_row(), 2..6),
        prop::sample::select(Fault::ALL.to_vec()),
        0usize..6,
        any::<bool>(),
    )
        .prop_flat_map(|(extra, rows, fault, at, crlf)| {
            let mut columns: Vec<&'static str> = vec!["code", "title_zh", "title_en"];
            columns.extend(extra);
            for need in fault.needs() {
                if !columns.contains(need) {
                    columns.push(need);
                }
            }
            let mut at = at % rows.len();
            if fault == Fault::Duplicate {
                at = at.max(1);
            }
            (
                Just(columns).prop_shuffle(),
                Just(rows),
                Just(fault),
                Just(at),
                Just(crlf),
            )
        })
        .prop_map(|(columns, rows, fault, at, crlf)| PlantedCsv {
            columns,
            rows,
            fault,
            at,
            crlf,
        })
}

proptest! {
    #![proptest_config(config(64))]

    /// Any CSV at all (odd columns, odd cells, duplicates, wrong field counts): either it imports and
    /// round-trips, or it is refused with a line inside the file and a reason, and the store is as it was.
    #[test]
    fn any_csv_imports_cleanly_or_is_refused(raw in any_csv()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("codes.csv");
        std::fs::write(&path, raw.text()).unwrap();
        import_and_check(&path, dir.path())?;
    }

    /// A good file with one fault planted on one row: refused with exactly that row's line and that
    /// reason, the store untouched. Without a fault it imports and round-trips.
    #[test]
    fn a_planted_fault_is_refused_on_its_line(planted in planted_csv()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("codes.csv");
        let (text, starts) = planted.text();
        std::fs::write(&path, &text).unwrap();
        let result = codefile::read_codes(&path);
        if planted.fault == Fault::None {
            let file = result.map_err(|e| TestCaseError::fail(format!("good file refused: {e}")))?;
            prop_assert_eq!(file.entries.len(), planted.rows.len());
            prop_assert!(import_read(&mut seeded(), &file, dir.path())?, "good file not imported");
        } else {
            let err = result.err().ok_or_else(|| TestCaseError::fail("bad file accepted"))?;
            check_refusal(&err, line_count(text.as_bytes()))?;
            let CodeFileError::Line { line, problem, .. } = &err else {
                return Err(TestCaseError::fail(format!("not a line error: {err}")));
            };
                        prop_assert_eq!(*line, starts[planted.at], "wrong line: {}", err);
            let mut want = planted.fault.expected(planted.columns.len(), starts[0]);
            if let (Problem::Duplicate { code, .. }, Problem::Duplicate { code: got, .. }) =
                (&mut want, problem)
            {
                code.clone_from(got);
            }
            prop_assert_eq!(problem, &want);
            let shared = shared();
            prop_assert_eq!(&snapshot(&shared.0), &shared.1);
        }
    }

    /// JSON files of odd records, sometimes cut short: imported cleanly or refused with a line inside
    /// the file.
    #[test]
    fn any_json_imports_cleanly_or_is_refused(
        records in prop::collection::vec(json_record(), 0..5),
        pretty in any::<bool>(),
        cut in prop_oneof![4 => Just(None), 1 => (0.0f64..1.0).prop_map(Some)],
    ) {
        let value = serde_json::Value::Array(records);
        let mut text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        if let Some(cut) = cut {
            let mut at = (text.len() as f64 * cut) as usize;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.truncate(at);
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("codes.json");
        std::fs::write(&path, &text).unwrap();
        import_and_check(&path, dir.path())?;
    }

    /// Random bytes, as CSV or JSON or without an extension: never a panic, never an import; bytes that
    /// are not UTF-8 are refused as such, naming the first bad byte.
    #[test]
    fn binary_data_is_refused(
        bytes in prop_oneof![
            2 => prop::collection::vec(any::<u8>(), 0..2048),
            1 => "[ -~\\n\\r\\t]{0,300}".prop_map(String::into_bytes),
            1 => "\\PC{0,100}".prop_map(String::into_bytes),
        ],
        name in prop::sample::select(vec!["codes.csv", "codes.json", "codes", "codes.xlsx"]),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let imported = import_and_check(&path, dir.path())?;
        prop_assert!(!imported, "random bytes imported");
        if let Err(e) = std::str::from_utf8(&bytes) {
            let err = codefile::read_codes(&path).unwrap_err();
            prop_assert!(
                matches!(&err, CodeFileError::File { problem: Problem::NotUtf8(p), .. } if *p == e.valid_up_to()),
                "{err}"
            );
        }
    }

    /// A good file saved in another encoding (GBK, Latin-1, UTF-16), or with a stray bad byte: refused
    /// as not UTF-8 at the first bad byte, the store untouched.
    #[test]
    fn wrong_encoding_is_refused(
        good in planted_csv(),
        spoil in prop::sample::select(vec![
            // "余额不足" in GBK, "Café" in Latin-1, a lone continuation byte, a cut sequence, FF.
            &[0xD3u8, 0xE0, 0xB6, 0xEE, 0xB2, 0xBB, 0xD7, 0xE3][..],
            &[b'C', b'a', b'f', 0xE9][..],
            &[0x80][..],
            &[0xE4, 0xB8][..],
            &[0xFF][..],
        ]),
        at in any::<prop::sample::Index>(),
        utf16 in any::<bool>(),
    ) {
        let (text, _) = PlantedCsv { fault: Fault::None, ..good }.text();
        let (bytes, first_bad) = if utf16 {
            let mut b = vec![0xFF, 0xFE];
            b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            (b, 0)
        } else {
            // Between characters, so the bytes before the spoiler are still good UTF-8.
            let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            let cut = boundaries[at.index(boundaries.len())];
            let mut b = text.as_bytes()[..cut].to_vec();
            b.extend_from_slice(spoil);
            b.extend_from_slice(&text.as_bytes()[cut..]);
            let bad = cut + spoil.iter().take_while(|c| c.is_ascii()).count();
            (b, bad)
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("codes.csv");
        std::fs::write(&path, &bytes).unwrap();
        prop_assert!(!import_and_check(&path, dir.path())?);
        let err = codefile::read_codes(&path).unwrap_err();
        prop_assert!(
            matches!(&err, CodeFileError::File { problem: Problem::NotUtf8(p), .. } if *p == first_bad),
            "expected not UTF-8 at {first_bad}: {err}"
        );
    }
}

/// A JSON value for `column`, of the type the field takes.
fn json_value(column: &'static str) -> BoxedStrategy<serde_json::Value> {
    use serde_json::Value;
    match column {
        "causes_zh" | "causes_en" | "steps_zh" | "steps_en" | "keywords" => {
            prop::collection::vec(text_cell(), 0..3)
                .prop_map(Value::from)
                .boxed()
        }
        "fixers" => prop::collection::vec(
            prop::sample::select(vec![
                "clerk",
                "merchant",
                "provider",
                "issuer",
                "cardholder",
                "bogus",
            ]),
            0..3,
        )
        .prop_map(Value::from)
        .boxed(),
        "vendor_specific" => any::<bool>().prop_map(Value::from).boxed(),
        c => any_cell(c).prop_map(Value::from).boxed(),
    }
}

/// A JSON record: mostly one with the right fields of the right types (which still need not make a
/// valid code), sometimes unknown keys and values of any type, or no object at all.
fn json_record() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        text_cell().prop_map(Value::from),
        prop::collection::vec(text_cell(), 0..3).prop_map(Value::from),
    ];
    let key = prop_oneof![
        6 => prop::sample::select(columns().to_vec()).prop_map(String::from),
        1 => "[a-z\\]\\[{}\",]{1,6}",
    ];
    let typed = prop::sample::subsequence(columns()[1..].to_vec(), 1..=columns().len() - 1)
        .prop_flat_map(|columns| {
            let title = if columns.contains(&"title_zh") {
                "title_en"
            } else {
                "title_zh"
            };
            ["code", title]
                .into_iter()
                .chain(columns.into_iter().filter(move |c| *c != title))
                .map(|c| json_value(c).prop_map(move |v| (c.to_string(), v)))
                .collect::<Vec<_>>()
        })
        .prop_map(|fields| Value::Object(fields.into_iter().collect()));
    prop_oneof![
        6 => typed,
        1 => prop::collection::hash_map(key, leaf.clone(), 0..8)
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        1 => leaf,
    ]
}

// ---------------------------------------------------------------------------------------------------
// Code import: files that are too big, empty or nothing but a header

#[test]
fn a_100_mb_file_is_refused_quickly_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.csv");
    let f = std::fs::File::create(&path).unwrap();
    // Sparse: no 100 MB is written, but the file says it has them.
    f.set_len(100_000_000).unwrap();
    drop(f);
    let started = Instant::now();
    let err = codefile::read_codes(&path).unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(
            &err,
            CodeFileError::File {
                problem: Problem::TooBig { size: 100_000_000 },
                ..
            }
        ),
        "{err}"
    );
    assert!(
        took < Duration::from_millis(500),
        "took {took:?}: it read the file"
    );
    assert!(!import_and_check(&path, dir.path()).unwrap());
}

#[test]
fn empty_and_header_only_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let header = columns().join(",");
    let cases = [
        ("empty.csv", String::new()),
        ("bom.csv", "\u{feff}".to_string()),
        ("blank.csv", " \n\n \r\n".to_string()),
        ("header.csv", format!("{header}\n")),
        ("header-no-eol.csv", "code,title_en".to_string()),
        ("header-bom.csv", format!("\u{feff}{header}\r\n")),
        (
            "header-blank-rows.csv",
            format!("{header}\n,,,,,,,,,,,,,,,\n\n"),
        ),
        ("empty.json", String::new()),
        ("array.json", "[]".to_string()),
        ("spaces.json", " [ \n ] ".to_string()),
    ];
    for (name, text) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &text).unwrap();
        let err = codefile::read_codes(&path).expect_err(name);
        check_refusal(&err, line_count(text.as_bytes())).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!import_and_check(&path, dir.path()).unwrap(), "{name}");
    }
    // A file that has a header and nothing under it says so, not something about columns.
    for name in [
        "header.csv",
        "header-bom.csv",
        "header-blank-rows.csv",
        "array.json",
    ] {
        let err = codefile::read_codes(&dir.path().join(name)).unwrap_err();
        assert!(
            matches!(
                &err,
                CodeFileError::File {
                    problem: Problem::Empty,
                    ..
                }
            ),
            "{name}: {err}"
        );
    }
}

// ---------------------------------------------------------------------------------------------------
// Formula cells

/// Text that a spreadsheet would run as a formula.
fn formula_text() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "=cmd|' /C calc'!A0",
            "=HYPERLINK(\"http://evil\",\"点这里\")",
            "+1+1",
            "-2+3",
            "@SUM(A1:A9)",
            "=1,2",
            "=\"a\"\"b\"",
            "-",
            "=\n=",
        ]),
        "[^|]{0,10}",
    )
        .prop_map(|(f, t)| format!("{f}{t}"))
}

/// A list item that starts like a formula (a `|` inside it is escaped by the export).
fn formula_item() -> impl Strategy<Value = String> {
    formula_text()
}

fn formula_entry(i: usize) -> impl Strategy<Value = CodeEntry> {
    (
        formula_text(),
        formula_text(),
        formula_text(),
        formula_text(),
        prop::collection::vec((formula_item(), formula_item()), 0..3),
        prop::collection::vec(formula_item(), 0..3),
        prop::sample::select(Retry::ALL.to_vec()),
    )
        .prop_map(
            move |(title_zh, title_en, explain_zh, explain_en, steps, keywords, retry)| {
                let mut e = common::custom(&format!("=F{i}"), "", "");
                e.title_zh = title_zh;
                e.title_en = title_en;
                e.explain_zh = explain_zh;
                e.explain_en = explain_en;
                e.steps_zh = steps.iter().map(|s| s.0.clone()).collect();
                e.steps_en = steps.iter().map(|s| s.1.clone()).collect();
                e.causes_zh = e.steps_zh.clone();
                e.causes_en = e.steps_en.clone();
                e.keywords = keywords;
                e.retry = retry;
                rules::tidy(e)
            },
        )
}

fn formula_draft() -> impl Strategy<Value = IncidentDraft> {
    let text = prop_oneof![
        4 => formula_text(),
        1 => prop::sample::select(vec!["\t=1+1", "\r=1+1", " =1", "'=already", "a=b", "余额不足"])
            .prop_map(String::from),
    ];
    (
        text.clone(),
        prop::option::of(text.clone()),
        prop::option::of(text.clone()),
        prop::option::of(text.clone()),
        prop::option::of(-100_000i64..100_000),
        prop::collection::vec(text, 0..3),
    )
        .prop_map(
            |(symptom, terminal, txn_ref, who, amount, steps)| IncidentDraft {
                symptom,
                terminal,
                txn_ref,
                who,
                amount,
                code: Some("=51".into()),
                steps: steps
                    .into_iter()
                    .map(|text| StepTried {
                        text,
                        outcome: StepOutcome::Tried,
                    })
                    .collect(),
                ..IncidentDraft::default()
            },
        )
}

proptest! {
    #![proptest_config(config(32))]

    /// The shop's own codes keep text that looks like a formula exactly as typed through their own CSV
    /// and JSON files: that file is for posdesk, not for a spreadsheet to run.
    #[test]
    fn formula_text_survives_own_code_files(
        entries in (1usize..4).prop_flat_map(|n| (0..n).map(formula_entry).collect::<Vec<_>>()),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = common::store();
        store.import_custom(&entries).unwrap();
        let export = store.export_file().unwrap();
        prop_assert_eq!(export.entries.len(), entries.len());
        for name in ["own.csv", "own.json"] {
            let p = dir.path().join(name);
            codefile::write_codes(&posdesk::fsx::Output::check(None, &p, posdesk::fsx::Replace::Yes).unwrap(), &export).unwrap();
            let back = codefile::read_codes(&p)
                .map_err(|e| TestCaseError::fail(format!("{name}: {e}")))?;
            prop_assert_eq!(&back.entries, &export.entries, "{}", name);
        }
        // What was stored and exported is what was typed, formula starters and all.
        let mut want = entries.clone();
        want.sort_by_key(CodeEntry::key);
        prop_assert_eq!(&export.entries, &want);
    }

    /// The journal's CSV starts with the byte-order mark, and no cell of it starts like a formula: a
    /// symptom typed as `=cmd|...` is exported as `'=cmd|...`.
    #[test]
    fn journal_csv_neutralises_formula_cells(
        drafts in prop::collection::vec(formula_draft(), 1..5),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = common::store();
        let mut saved = HashMap::new();
        for d in &drafts {
            let id = store.create_incident(d).unwrap().id;
            saved.insert(id.to_string(), store.incident(id).unwrap());
        }
        let path = dir.path().join("journal.csv");
        let style = journal::CsvStyle::local(posdesk::i18n::Lang::En);
        prop_assert_eq!(journal::export_journal(&store, &posdesk::fsx::Output::check(None, &path, posdesk::fsx::Replace::Yes).unwrap(), &style).unwrap().incidents, drafts.len());
        let bytes = std::fs::read(&path).unwrap();
        prop_assert!(bytes.starts_with(BOM.as_bytes()), "no byte-order mark");
        let mut reader = csv::Reader::from_reader(&bytes[BOM.len()..]);
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        prop_assert_eq!(&header, &journal::csv_columns(posdesk::i18n::Lang::En));
        let symptom = header.iter().position(|h| h == "What happened").unwrap();
        let mut rows = 0;
        for record in reader.records() {
            let record = record.unwrap();
            rows += 1;
            for cell in record.iter() {
                prop_assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "cell {:?} starts like a formula", cell
                );
            }
            let incident = &saved[&record[0]];
            prop_assert_eq!(&record[symptom], &*journal::neutralise(&incident.symptom));
            if incident.symptom.starts_with(['=', '+', '-', '@']) {
                prop_assert_eq!(record[symptom].strip_prefix('\''), Some(incident.symptom.as_str()));
            }
        }
        prop_assert_eq!(rows, drafts.len());
    }
}

/// A list item holding the `|` that separates items in a CSV cell (a step typed as `=cmd|' /C calc'`
/// in the editor, one step per line): the shop's own CSV export splits it, so the file posdesk wrote
/// no longer reads back as the same code, or at all when the two languages then differ in length.
#[test]
fn a_bar_inside_a_list_item_survives_the_csv_export() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::store();
    let mut e = common::custom("Q7", "测试", "Test");
    e.steps_zh = vec!["打开 设置|网络".into()];
    e.steps_en = vec!["Open Settings, then Network".into()];
    e.keywords = vec!["a|b".into()];
    store.import_custom(&[e]).unwrap();
    let export = store.export_file().unwrap();
    let p = dir.path().join("own.csv");
    codefile::write_codes(
        &posdesk::fsx::Output::check(None, &p, posdesk::fsx::Replace::Yes).unwrap(),
        &export,
    )
    .unwrap();
    let back = codefile::read_codes(&p).expect("posdesk reads back its own export");
    assert_eq!(back.entries, export.entries);
}

/// Excel on Windows saves CSV with CRLF line ends. The csv crate places a record after the `\r` that
/// ended the one before, still on that record's line, so every line number of a CRLF file is one short:
/// a bad first row is reported as "line 1", the header.
#[test]
fn crlf_files_name_the_right_line() {
    for eol in ["\n", "\r\n"] {
        let text = format!("code,title_en,retry{eol}A1,Title,sometimes{eol}");
        let err =
            codefile::parse_codes(Path::new("x.csv"), &text, codefile::Format::Csv).unwrap_err();
        assert!(
            matches!(err, CodeFileError::Line { line: 2, .. }),
            "{eol:?}: {err}"
        );
    }
}
