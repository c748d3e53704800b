#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly
//! The workspace lists its test files by hand (the core's tests live in the top-level `tests/` beside
//! the window's, so Cargo cannot find them by itself): a test file missing from every list would
//! never run, and nobody would notice.

use std::path::Path;

#[test]
fn every_test_file_is_built_by_exactly_one_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let manifests: Vec<String> = [
        "Cargo.toml",
        "crates/core/Cargo.toml",
        "crates/cli/Cargo.toml",
    ]
    .iter()
    .map(|m| std::fs::read_to_string(root.join(m)).unwrap())
    .collect();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(root.join("tests")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let Some(stem) = name.strip_suffix(".rs") else {
            continue;
        };
        let listed = manifests
            .iter()
            .map(|m| {
                m.matches(&format!("path = \"tests/{stem}.rs\"")).count()
                    + m.matches(&format!("path = \"../../tests/{stem}.rs\""))
                        .count()
            })
            .sum::<usize>();
        if listed != 1 {
            missing.push(format!("tests/{name} is listed {listed} times"));
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}
