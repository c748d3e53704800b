//! Printed checklists read back the way a person and a till scanner read them: the PDF's text with
//! `pdftotext`, its page size with `pdfinfo`, its fonts with `pdffonts`, and its barcodes from a
//! 300 dpi render (`pdftoppm`) decoded by `zbarimg`.
//!
//! A thermal printer's view is Ghostscript's 1-bit raster at 203 dpi (what CUPS sends a receipt
//! printer) with one dot of bleed added by ImageMagick; every barcode must still decode.
//!
//! The tools come from Debian's poppler-utils, zbar-tools, ghostscript and imagemagick. Without them
//! these tests skip with a note, unless POSDESK_REQUIRE_PRINT_TOOLS=1 (CI, whose `.ci/run` installs
//! them) makes them fail.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

use jiff::civil::{Date, date};
use posdesk::Lang;
use posdesk::domain::scan::ScanCode;
use posdesk::print::{ChecklistSheet, ChecklistTask, Paper, TerminalChecklist, render_checklist};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Whether `tool` runs here; panics instead of skipping when CI requires the print tools.
fn have(tool: &str) -> bool {
    let found = Command::new(tool).arg("-v").output().is_ok();
    if !found {
        let need = std::env::var("POSDESK_REQUIRE_PRINT_TOOLS").is_ok_and(|v| v == "1");
        assert!(
            !need,
            "`{tool}` is missing but POSDESK_REQUIRE_PRINT_TOOLS=1: install poppler-utils, zbar-tools, \
             ghostscript and imagemagick (apt-get install poppler-utils zbar-tools ghostscript imagemagick)"
        );
        eprintln!(
            "skipped: `{tool}` is not installed \
             (apt-get install poppler-utils zbar-tools ghostscript imagemagick)"
        );
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

fn task(title: &str, steps: &[&str], record: Option<&str>, id: i64, day: Date) -> ChecklistTask {
    ChecklistTask {
        title: title.into(),
        steps: steps.iter().map(|s| s.to_string()).collect(),
        record: record.map(str::to_string),
        scan: ScanCode::new(id, day),
        done: false,
        note: String::new(),
    }
}

const DAY: Date = date(2026, 12, 1);

/// One day, two terminals, Chinese; small enough that each paper's first page holds a whole terminal.
fn chinese_day() -> ChecklistSheet {
    ChecklistSheet {
        lang: Lang::Zh,
        title: "维护检查表".into(),
        shop: "星光便利店".into(),
        first_day: DAY,
        last_day: DAY,
        terminals: vec![
            TerminalChecklist {
                name: "收银台 1 刷卡机".into(),
                detail: "Ingenico Move/5000 · 银联商务 95534".into(),
                tasks: vec![
                    task(
                        "检查打印纸",
                        &["打开纸仓，看纸卷还剩多少。", "少于三分之一就换新纸卷。"],
                        Some("剩余纸卷"),
                        42,
                        DAY,
                    ),
                    task(
                        "擦拭扫码窗和屏幕",
                        &["用微湿的软布擦扫码窗。", "再用干布擦干屏幕。"],
                        None,
                        43,
                        DAY,
                    ),
                    task(
                        "签到并做测试交易",
                        &["按签到键，等待成功提示。"],
                        None,
                        7,
                        DAY,
                    ),
                ],
            },
            TerminalChecklist {
                name: "收银台 2 扫码盒".into(),
                detail: String::new(),
                tasks: vec![task(
                    "检查网络连接",
                    &["看屏幕上的信号图标。"],
                    None,
                    123_456,
                    DAY,
                )],
            },
        ],
    }
}

fn payloads(sheet: &ChecklistSheet, terminals: usize) -> Vec<String> {
    let mut p: Vec<String> = sheet.terminals[..terminals]
        .iter()
        .flat_map(|t| t.tasks.iter().map(|k| k.scan.barcode()))
        .collect();
    p.sort();
    p
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The page width `pdfinfo` reports for page 1.
fn page_width(pdf: &Path) -> f32 {
    let info = run("pdfinfo", &[pdf.as_os_str()]);
    let line = info
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .unwrap_or_else(|| panic!("no page size in {info}"));
    line.split_whitespace().nth(2).unwrap().parse().unwrap()
}

/// What `zbarimg` reads from page `page` rendered at 300 dpi, sorted.
fn scan_page(pdf: &Path, page: usize, dir: &Path) -> Vec<String> {
    let prefix = dir.join(format!("scan-{page}"));
    let n = page.to_string();
    run(
        "pdftoppm",
        &[
            "-r".as_ref(),
            "300".as_ref(),
            "-gray".as_ref(),
            "-f".as_ref(),
            n.as_ref(),
            "-l".as_ref(),
            n.as_ref(),
            "-singlefile".as_ref(),
            "-png".as_ref(),
            pdf.as_os_str(),
            prefix.as_os_str(),
        ],
    );
    let png = prefix.with_extension("png");
    let out = Command::new("zbarimg")
        .args(["--raw", "-q", "-Sdisable", "-Scode128.enable"])
        .arg(&png)
        .output()
        .unwrap();
    let mut codes: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .filter(|l| !l.is_empty())
        .collect();
    codes.sort();
    codes
}

#[test]
fn chinese_pdfs_read_back_on_every_paper() {
    if !(have("pdftotext") && have("pdfinfo") && have("pdffonts")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sheet = chinese_day();
    for (paper, width) in [
        (Paper::A4, 595.28),
        (Paper::Receipt80, 226.77),
        (Paper::Receipt58, 164.41),
    ] {
        let pdf = write(
            dir.path(),
            &format!("{paper}.pdf"),
            &render_checklist(&sheet, paper).unwrap(),
        );
        let text = run(
            "pdftotext",
            &["-layout".as_ref(), pdf.as_os_str(), "-".as_ref()],
        );
        for want in [
            "维护检查表",
            "星光便利店",
            "检查打印纸",
            "擦拭扫码窗和屏幕",
            "签到并做测试交易",
            "检查网络连接",
            "收银台 2 扫码盒",
            "2026-12-01",
            "周二",
            "日期",
            "姓名缩写",
            "签名",
            "剩余纸卷",
            "914 0042 20261201",
            "916 123456 20261201",
        ] {
            assert!(text.contains(want), "{paper}: {want:?} not in\n{text}");
        }
        let w = page_width(&pdf);
        assert!(
            (w - width).abs() < 0.6,
            "{paper}: page is {w} pt wide, want {width}"
        );

        let fonts = run("pdffonts", &[pdf.as_os_str()]);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert_eq!(rows.len(), 1, "{paper}: one font, got\n{fonts}");
        let cols: Vec<&str> = rows[0].split_whitespace().collect();
        let n = cols.len();
        assert!(
            cols[0].contains("+PosdeskSansCJK"),
            "{paper}: subset name\n{fonts}"
        );
        assert_eq!(
            (cols[n - 5], cols[n - 4]),
            ("yes", "yes"),
            "{paper}: embedded, subset\n{fonts}"
        );
        // Subset: the whole font is 3.6 MB.
        let size = std::fs::metadata(&pdf).unwrap().len();
        assert!(size < 200_000, "{paper}: {size} bytes");
    }
}

#[test]
fn barcodes_scan_back_to_exactly_their_payloads() {
    if !(have("pdftoppm") && have("zbarimg")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sheet = chinese_day();
    // A4 holds both terminals on page 1; a receipt strip holds one terminal per page.
    for (paper, terminals) in [(Paper::A4, 2), (Paper::Receipt80, 1), (Paper::Receipt58, 1)] {
        let pdf = write(
            dir.path(),
            &format!("{paper}.pdf"),
            &render_checklist(&sheet, paper).unwrap(),
        );
        let read = scan_page(&pdf, 1, dir.path());
        assert_eq!(read, payloads(&sheet, terminals), "{paper}");
        for code in &read {
            assert!(ScanCode::parse(code).is_some(), "{code}");
        }
    }
    // The 58 mm strip of the second terminal: the widest code (6-digit id) still scans.
    let pdf = dir.path().join("58mm.pdf");
    assert_eq!(
        scan_page(&pdf, 2, dir.path()),
        vec![ScanCode::new(123_456, DAY).barcode()]
    );
}

#[test]
fn english_sheet_writes_english_labels() {
    if !have("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut sheet = chinese_day();
    sheet.lang = Lang::En;
    sheet.title = "Maintenance checklist".into();
    sheet.terminals[0].tasks[0].title = "Check the receipt paper".into();
    sheet.terminals[0].tasks[0].record = Some("Paper rolls left".into());
    let pdf = write(
        dir.path(),
        "en.pdf",
        &render_checklist(&sheet, Paper::Receipt80).unwrap(),
    );
    let text = run("pdftotext", &[pdf.as_os_str(), "-".as_ref()]);
    for want in [
        "Maintenance checklist",
        "Check the receipt paper",
        "Paper rolls left:",
        "2026-12-01 Tue",
        "Date:",
        "Initials:",
        "Signature:",
    ] {
        assert!(text.contains(want), "{want:?} not in\n{text}");
    }
    assert!(!text.contains("签名"));
}

/// 50 terminals × 10 tasks × 7 days, as the bench in benches/print.rs measures in release.
fn big_week() -> ChecklistSheet {
    let monday = date(2026, 11, 30);
    let titles = [
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
    ChecklistSheet {
        lang: Lang::Zh,
        title: "维护检查表".into(),
        shop: "星光便利店".into(),
        first_day: monday,
        last_day: monday.checked_add(jiff::Span::new().days(6)).unwrap(),
        terminals: (0..50)
            .map(|t| TerminalChecklist {
                name: format!("收银台 {} 刷卡机", t + 1),
                detail: "Ingenico Move/5000 · 前台 · 银联商务 95534".into(),
                tasks: (0..7)
                    .flat_map(|d| {
                        titles.iter().enumerate().map(move |(k, title)| {
                            task(
                                title,
                                &["按说明书操作，注意安全。", "完成后做一笔测试交易。"],
                                (k == 8).then_some("固件版本"),
                                (t * 10 + k + 1) as i64,
                                monday.checked_add(jiff::Span::new().days(d)).unwrap(),
                            )
                        })
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[test]
fn a_fifty_terminal_week_renders_in_reasonable_time() {
    let sheet = big_week();
    let started = Instant::now();
    let pdf = render_checklist(&sheet, Paper::A4).unwrap();
    let took = started.elapsed();
    eprintln!(
        "50 terminals x 10 tasks x 7 days, A4: {} bytes in {took:?} (debug build; see benches/print.rs)",
        pdf.len()
    );
    assert!(pdf.starts_with(b"%PDF-"));
    // Debug builds are many times slower than release; this only catches a pathological slowdown.
    assert!(took < Duration::from_secs(60), "{took:?}");
}

/// The CLI as a script prints a checklist: the terminal's daily tasks, in the language the app is
/// set to, on the paper asked for, and a scanned line's code marks that task done.
#[test]
fn the_cli_prints_a_terminals_checklist_that_scans_back_in() {
    if !have("pdftotext") || !have("pdfinfo") || !have("zbarimg") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let posdesk = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_posdesk"))
            .arg("--data-dir")
            .arg(&data)
            .args(args)
            .env_remove("POSDESK_DATA_DIR")
            .output()
            .unwrap()
    };
    assert!(posdesk(&["terminal", "add", "Till 2"]).status.success());
    // The window was last set to Chinese: it keeps that in the data folder for the command line.
    posdesk::store::paths::save_lang(&data, posdesk::Lang::Zh).unwrap();
    let pdf = dir.path().join("till2.pdf");
    let out = posdesk(&[
        "print",
        "checklist",
        "--terminal",
        "Till 2",
        "--paper",
        "58mm",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");
    let text = run("pdftotext", &[pdf.as_os_str(), "-".as_ref()]);
    assert!(
        text.contains("维护检查表") && text.contains("Till 2"),
        "{text}"
    );
    assert!((page_width(&pdf) - 164.4).abs() < 1.0);
    let codes = scan_page(&pdf, 1, dir.path());
    assert!(!codes.is_empty());
    let due_before = String::from_utf8(posdesk(&["due", "--json"]).stdout).unwrap();
    // What the barcode carries names a real task on that terminal for that day.
    let scan = posdesk::domain::scan::ScanCode::parse(&codes[0]).unwrap();
    let store = posdesk::Store::open_dir(&data).unwrap();
    let line = store
        .sheet_line(
            posdesk::domain::maintenance::ScheduleId(scan.schedule_id),
            scan.date,
        )
        .unwrap()
        .unwrap();
    assert_eq!(line.terminal_name, "Till 2");
    assert!(due_before.contains(&line.task.key));
    let english = posdesk(&[
        "print",
        "checklist",
        "--lang",
        "en",
        "--week",
        "--force",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert!(english.status.success());
    assert!(run("pdftotext", &[pdf.as_os_str(), "-".as_ref()]).contains("Maintenance checklist"));
}

/// Every page of `pdf` as a printer rasterises it: Ghostscript 1-bit at `dpi`, then one dot of bleed
/// on every black edge (thermal dot gain); what zbarimg reads, over all pages, sorted.
fn decode_through_a_printer(pdf: &Path, dpi: u32, dir: &Path) -> Vec<String> {
    let stem = pdf.file_stem().unwrap().to_string_lossy().to_string();
    let pattern = dir.join(format!("{stem}-raster-%03d.png"));
    let out = Command::new("gs")
        .args(["-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pngmono"])
        .arg(format!("-r{dpi}"))
        .arg(format!("-sOutputFile={}", pattern.display()))
        .arg(pdf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "gs: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut codes = Vec::new();
    for page in 1.. {
        let raster = dir.join(format!("{stem}-raster-{page:03}.png"));
        if !raster.exists() {
            break;
        }
        let bled = dir.join(format!("{stem}-bled-{page:03}.png"));
        let out = Command::new("convert")
            .arg(&raster)
            .args([
                "-negate",
                "-morphology",
                "Dilate",
                "Rectangle:2x1",
                "-negate",
            ])
            .arg(&bled)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "convert: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = Command::new("zbarimg")
            .args(["--raw", "-q", "-Sdisable", "-Scode128.enable"])
            .arg(&bled)
            .output()
            .unwrap();
        codes.extend(
            String::from_utf8(out.stdout)
                .unwrap()
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string),
        );
    }
    codes.sort();
    codes
}

/// Three terminals with ids of 1 to 6 digits, tasks on several days: a day's sheet and a week's.
fn thermal_sheets() -> Vec<(String, ChecklistSheet, Vec<String>)> {
    let mut out = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        let ids: [[i64; 3]; 3] = [[1, 42, 7], [123_456, 99, 5_000], [3, 888_888, 12]];
        for week in [false, true] {
            let last = if week {
                DAY.checked_add(jiff::Span::new().days(6)).unwrap()
            } else {
                DAY
            };
            let days: Vec<Date> = if week {
                (0..7)
                    .step_by(2)
                    .map(|d| DAY.checked_add(jiff::Span::new().days(d)).unwrap())
                    .collect()
            } else {
                vec![DAY]
            };
            let terminals: Vec<TerminalChecklist> = ids
                .iter()
                .enumerate()
                .map(|(n, ids)| TerminalChecklist {
                    name: format!("Till {}", n + 1),
                    detail: "Lakala · 95016".into(),
                    tasks: days
                        .iter()
                        .flat_map(|d| {
                            ids.iter().map(|id| {
                                task(
                                    "Check the receipt paper",
                                    &["Open the cover.", "Never spray anything onto the terminal."],
                                    None,
                                    *id,
                                    *d,
                                )
                            })
                        })
                        .collect(),
                })
                .collect();
            let mut want: Vec<String> = if week {
                ids.iter()
                    .flatten()
                    .map(|id| ScanCode::week(*id, DAY).barcode())
                    .collect()
            } else {
                terminals
                    .iter()
                    .flat_map(|t| t.tasks.iter().map(|k| k.scan.barcode()))
                    .collect()
            };
            want.sort();
            let sheet = ChecklistSheet {
                lang,
                title: "Maintenance checklist".into(),
                shop: String::new(),
                first_day: DAY,
                last_day: last,
                terminals,
            };
            out.push((
                format!("{lang:?}-{}", if week { "week" } else { "day" }),
                sheet,
                want,
            ));
        }
    }
    out
}

#[test]
fn every_receipt_barcode_decodes_from_a_thermal_raster_with_one_dot_of_bleed() {
    if !(have("gs") && have("convert") && have("zbarimg")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut decoded = 0;
    for (name, sheet, want) in thermal_sheets() {
        for (paper, dpi) in [
            (Paper::Receipt80, 203),
            (Paper::Receipt58, 203),
            (Paper::A4, 300),
        ] {
            let pdf = write(
                dir.path(),
                &format!("{name}-{paper}.pdf"),
                &render_checklist(&sheet, paper).unwrap(),
            );
            let read = decode_through_a_printer(&pdf, dpi, dir.path());
            assert_eq!(read, want, "{name} on {paper} at {dpi} dpi with bleed");
            decoded += read.len();
        }
    }
    eprintln!("{decoded} barcodes decoded through Ghostscript + one dot of bleed");
}

/// The week sheets as `posdesk print checklist --week` writes them: one fresh card terminal's week on
/// 80 mm paper is under 40 cm of roll; fifty card terminals' week on A4 is at most 15 pages, the
/// first a summary of what is due per terminal and day.
#[test]
fn week_sheets_fit_a_roll_and_a_chains_week_fits_fifteen_pages() {
    if !have("pdfinfo") || !have("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let posdesk = |data: &Path, args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_posdesk"))
            .arg("--data-dir")
            .arg(data)
            .args(args)
            .env_remove("POSDESK_DATA_DIR")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        out
    };
    let one = dir.path().join("one");
    posdesk(
        &one,
        &["terminal", "add", "Till 1", "--kind", "card_terminal"],
    );
    for lang in ["zh", "en"] {
        let pdf = dir.path().join(format!("w-{lang}.pdf"));
        let p = pdf.to_str().unwrap();
        posdesk(
            &one,
            &[
                "print",
                "checklist",
                "--paper",
                "80mm",
                "--week",
                "--lang",
                lang,
                "-o",
                p,
            ],
        );
        let info = run("pdfinfo", &["-l".as_ref(), "999".as_ref(), pdf.as_os_str()]);
        let heights: f32 = info
            .lines()
            .filter(|l| l.starts_with("Page ") && l.contains(" size: "))
            .map(|l| l.split_whitespace().nth(5).unwrap().parse::<f32>().unwrap())
            .sum();
        let cm = heights / 72.0 * 2.54;
        eprintln!("one card terminal's week on 80 mm ({lang}): {cm:.1} cm");
        assert!(cm < 40.0, "{lang}: {cm} cm of paper");
        let text = run("pdftotext", &[pdf.as_os_str(), "-".as_ref()]);
        // Every step of every task once, in full, warnings too (read across line breaks).
        let squash = |t: &str| -> String {
            if lang == "en" {
                t.split_whitespace().collect::<Vec<_>>().join(" ")
            } else {
                t.split_whitespace().collect()
            }
        };
        let joined = squash(&text);
        let store = posdesk::Store::open_dir(&one).unwrap();
        let wipe = store.template("wipe_screen_window").unwrap().unwrap();
        let steps = if lang == "en" {
            &wipe.steps_en
        } else {
            &wipe.steps_zh
        };
        for step in steps {
            assert_eq!(
                joined.matches(&squash(step)).count(),
                1,
                "{lang}: {step}\n{text}"
            );
        }
    }
    let chain = dir.path().join("chain");
    for n in 1..=50 {
        posdesk(
            &chain,
            &[
                "terminal",
                "add",
                &format!("Store {n}"),
                "--kind",
                "card_terminal",
            ],
        );
    }
    let pdf = dir.path().join("chain.pdf");
    posdesk(
        &chain,
        &[
            "print",
            "checklist",
            "--paper",
            "a4",
            "--week",
            "--lang",
            "en",
            "-o",
            pdf.to_str().unwrap(),
        ],
    );
    let info = run("pdfinfo", &[pdf.as_os_str()]);
    let pages: usize = info
        .lines()
        .find(|l| l.starts_with("Pages:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap()
        .parse()
        .unwrap();
    eprintln!("fifty card terminals' week on A4: {pages} pages");
    assert!(pages <= 15, "{pages} pages");
    let first = run(
        "pdftotext",
        &["-l".as_ref(), "1".as_ref(), pdf.as_os_str(), "-".as_ref()],
    );
    assert!(
        first.contains("This week at a glance") && first.contains("Store 50"),
        "{first}"
    );
}

#[test]
fn own_tasks_print_on_day_and_week_sheets_in_name_order_and_scan_back_in() {
    if !(have("pdftotext") && have("gs") && have("convert") && have("zbarimg")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let posdesk = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_posdesk"))
            .arg("--data-dir")
            .arg(&data)
            .args(args)
            .env_remove("POSDESK_DATA_DIR")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    for name in ["Store 10", "Store 2"] {
        posdesk(&["terminal", "add", name]);
    }
    posdesk(&[
        "task",
        "add",
        "--title-en",
        "Clean the cash drawer",
        "--title-zh",
        "清洁钱箱",
        "--step",
        "Take the drawer out and wipe it dry",
        "--unit",
        "day",
        "--kind",
        "card",
    ]);
    let day = dir.path().join("day.pdf");
    posdesk(&[
        "print",
        "checklist",
        "--paper",
        "80mm",
        "--lang",
        "en",
        "-o",
        day.to_str().unwrap(),
    ]);
    let text = run("pdftotext", &[day.as_os_str(), "-".as_ref()]);
    assert!(text.contains("Clean the cash drawer"), "{text}");
    let (two, ten) = (
        text.find("Store 2").unwrap(),
        text.find("Store 10").unwrap(),
    );
    assert!(two < ten, "Store 2 prints before Store 10");
    let week = dir.path().join("week.pdf");
    posdesk(&[
        "print",
        "checklist",
        "--paper",
        "a4",
        "--week",
        "--lang",
        "zh",
        "-o",
        week.to_str().unwrap(),
    ]);
    let week_text = run("pdftotext", &[week.as_os_str(), "-".as_ref()]);
    assert!(week_text.contains("清洁钱箱"), "{week_text}");
    // Every code on the receipt sheet decodes through a thermal printer; the own task's scan back in.
    let codes = decode_through_a_printer(&day, 203, dir.path());
    let week_codes = decode_through_a_printer(&week, 300, dir.path());
    let mut store = posdesk::Store::open_dir(&data).unwrap();
    let today = store.clock().today();
    let mut own = Vec::new();
    for code in codes.iter().chain(&week_codes) {
        let scan = ScanCode::parse(code).unwrap();
        let verdict = store.check_scan(scan, today).unwrap();
        if let posdesk::domain::scan::ScanVerdict::Ready { line, mark, .. } = verdict
            && line.task.own
        {
            own.push((line, mark));
        }
    }
    let names: std::collections::BTreeSet<String> =
        own.iter().map(|(l, _)| l.terminal_name.clone()).collect();
    assert_eq!(
        names.len(),
        2,
        "the own task's line scans on both terminals: {codes:?}"
    );
    let (line, mark) = own.remove(0);
    let entry = posdesk::domain::maintenance::DoneEntry::fine(today, "Wang");
    assert!(
        store
            .record_scan(line.schedule, mark, &entry)
            .unwrap()
            .changed
    );
    let due = posdesk(&["due", "--json"]);
    let still: Vec<serde_json::Value> = serde_json::from_str(&due).unwrap();
    assert!(
        !still
            .iter()
            .any(|i| i["task"] == "own_1" && i["terminal"] == line.terminal_name.as_str()),
        "{due}"
    );
}
