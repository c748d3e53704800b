//! The file half of the attack run (reliability review F3–F7, F10–F16): each failure it found, as a
//! test that failed on the released build.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot set up should fail loudly

#[path = "support/cli.rs"]
mod cli;
#[path = "support/old_schema.rs"]
mod old_schema;
use cli::{ok, posdesk};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A data folder with three incidents, an own code and a terminal.
fn data(root: &Path) -> PathBuf {
    let d = root.join("数据 folder");
    for n in 1..=3 {
        ok(&posdesk(
            &d,
            &[
                "incident",
                "add",
                "--code",
                "51",
                "--note",
                &format!("precious {n}"),
            ],
        ));
    }
    std::fs::write(root.join("c.csv"), "code,title_en\nOLD1,Old\n").unwrap();
    ok(&posdesk(
        &d,
        &["codes", "import", root.join("c.csv").to_str().unwrap()],
    ));
    ok(&posdesk(&d, &["terminal", "add", "T1"]));
    d
}

fn incidents(d: &Path) -> Vec<String> {
    let out = ok(&posdesk(d, &["incident", "list", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| i["note"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn assert_intact(d: &Path) {
    let check = posdesk(d, &["check"]);
    assert!(check.status.success(), "check: {check:?}");
    let list = ok(&posdesk(d, &["incident", "list"]));
    for n in 1..=3 {
        assert!(list.contains(&format!("precious {n}")), "{list}");
    }
}

fn sqlite_db(d: &Path) -> PathBuf {
    d.join("posdesk.sqlite3")
}

// ---- F3: nothing writes over the data ----------------------------------------------------------

#[test]
fn f3_codes_export_and_print_onto_the_live_database_are_refused() {
    let t = tempfile::tempdir().unwrap();
    let d = data(t.path());
    let db = sqlite_db(&d);
    let db_s = db.to_str().unwrap();
    let out = posdesk(&d, &["codes", "export", db_s]);
    assert!(!out.status.success(), "{out:?}");
    assert!(
        stderr(&out).contains("posdesk's own data files"),
        "{}",
        stderr(&out)
    );
    // In the user's language only (English on a system with no saved choice; tests/cli_lang.rs).
    assert!(
        !stderr(&out).contains("没有写入"),
        "one language: {}",
        stderr(&out)
    );
    let out = posdesk(&d, &["print", "checklist", "-o", db_s]);
    assert!(!out.status.success(), "{out:?}");
    // Through `..`, a side file, the backups folder, a link, and with --force as well.
    let sneaky = d.join("print").join("..").join("posdesk.sqlite3");
    let wal = d.join("posdesk.sqlite3-wal");
    let backup = d.join("backups").join("x.sqlite3");
    for target in [&sneaky, &wal, &backup] {
        let s = target.to_str().unwrap();
        assert!(
            !posdesk(&d, &["codes", "export", "--force", s])
                .status
                .success(),
            "{s}"
        );
        assert!(
            !posdesk(&d, &["incident", "export", "--force", s])
                .status
                .success(),
            "{s}"
        );
        assert!(
            !posdesk(&d, &["backup", "--force", s]).status.success(),
            "{s}"
        );
    }
    #[cfg(unix)]
    {
        let link = t.path().join("innocent.csv");
        std::os::unix::fs::symlink(&db, &link).unwrap();
        let s = link.to_str().unwrap();
        assert!(
            !posdesk(&d, &["codes", "export", "--force", s])
                .status
                .success()
        );
        assert!(
            !posdesk(&d, &["incident", "export", "--force", s])
                .status
                .success()
        );
    }
    assert_intact(&d);
}

#[test]
fn f16_cli_outputs_replace_an_existing_file_only_with_force() {
    let t = tempfile::tempdir().unwrap();
    let d = data(t.path());
    let cases: [(&str, Vec<&str>); 4] = [
        ("codes.csv", vec!["codes", "export"]),
        ("journal.csv", vec!["incident", "export"]),
        ("sheet.pdf", vec!["print", "checklist", "-o"]),
        ("b.sqlite3", vec!["backup"]),
    ];
    for (name, verb) in cases {
        let file = t.path().join(name);
        std::fs::write(&file, b"keep me").unwrap();
        let mut args = verb.clone();
        args.push(file.to_str().unwrap());
        let out = posdesk(&d, &args);
        assert_eq!(out.status.code(), Some(1), "{name}: {out:?}");
        assert!(stderr(&out).contains("--force"), "{name}: {}", stderr(&out));
        assert_eq!(std::fs::read(&file).unwrap(), b"keep me", "{name}");
        args.push("--force");
        ok(&posdesk(&d, &args));
        assert_ne!(std::fs::read(&file).unwrap(), b"keep me", "{name}");
    }
    let hidden: Vec<_> = std::fs::read_dir(t.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

// ---- F4, F5, F15: restore trusts nothing -------------------------------------------------------

#[test]
fn f4_a_crafted_posdesk_file_without_tables_is_refused_and_changes_nothing() {
    let t = tempfile::tempdir().unwrap();
    let d = data(t.path());
    let fake = t.path().join("fake.sqlite3");
    Connection::open(&fake)
        .unwrap()
        .execute_batch(
            "PRAGMA application_id=1347375940; PRAGMA user_version=4; CREATE TABLE x(a);",
        )
        .unwrap();
    let before = std::fs::read(sqlite_db(&d)).unwrap();
    let out = posdesk(&d, &["restore", fake.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        stderr(&out).contains("nothing was changed"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(sqlite_db(&d)).unwrap(), before);
    assert_intact(&d);
    // The same with no table at all.
    let empty = t.path().join("empty.sqlite3");
    Connection::open(&empty)
        .unwrap()
        .execute_batch("PRAGMA application_id=1347375940; PRAGMA user_version=4;")
        .unwrap();
    assert_eq!(
        posdesk(&d, &["restore", empty.to_str().unwrap()])
            .status
            .code(),
        Some(1)
    );
    assert_intact(&d);
}

#[test]
fn f4_check_does_not_call_a_bricked_file_healthy() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("d");
    std::fs::create_dir_all(&d).unwrap();
    Connection::open(sqlite_db(&d))
        .unwrap()
        .execute_batch(
            "PRAGMA application_id=1347375940; PRAGMA user_version=4; CREATE TABLE x(a);",
        )
        .unwrap();
    let out = posdesk(&d, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        stderr(&out).contains("changed outside posdesk"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn f5_a_backup_with_its_own_trigger_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let d = data(t.path());
    let good = t.path().join("good.sqlite3");
    ok(&posdesk(&d, &["backup", good.to_str().unwrap()]));
    Connection::open(&good)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER wipe AFTER INSERT ON incidents BEGIN \
             DELETE FROM incidents WHERE id <> new.id; END",
        )
        .unwrap();
    let d2 = t.path().join("d2");
    ok(&posdesk(&d2, &["incident", "add", "--note", "mine"]));
    let out = posdesk(&d2, &["restore", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(stderr(&out).contains("trigger wipe"), "{}", stderr(&out));
    // A view, an extra column and an extra index are refused as well.
    for sql in [
        "CREATE VIEW v AS SELECT 1",
        "ALTER TABLE incidents ADD COLUMN extra TEXT",
        "CREATE INDEX extra_idx ON incidents(symptom)",
    ] {
        let copy = t.path().join("altered.sqlite3");
        std::fs::copy(t.path().join("good.sqlite3"), &copy).unwrap();
        let c = Connection::open(&copy).unwrap();
        c.execute_batch("DROP TRIGGER wipe").unwrap();
        c.execute_batch(sql).unwrap();
        drop(c);
        assert_eq!(
            posdesk(&d2, &["restore", copy.to_str().unwrap()])
                .status
                .code(),
            Some(1),
            "{sql}"
        );
    }
    ok(&posdesk(&d2, &["incident", "add", "--note", "a"]));
    ok(&posdesk(&d2, &["incident", "add", "--note", "b"]));
    assert_eq!(incidents(&d2).len(), 3);
    // The untouched backup still restores.
    let clean = t.path().join("clean.sqlite3");
    ok(&posdesk(&d, &["backup", clean.to_str().unwrap()]));
    ok(&posdesk(&d2, &["restore", clean.to_str().unwrap()]));
    assert_intact(&d2);
}

#[test]
fn f15_attachment_names_with_dot_dot_and_linked_folders_are_refused() {
    let t = tempfile::tempdir().unwrap();
    let d = data(t.path());
    let good = t.path().join("good.sqlite3");
    ok(&posdesk(&d, &["backup", good.to_str().unwrap()]));
    let evil = format!("{}../posdesk.sqlite3", "./".repeat(23));
    assert_eq!(evil.len(), 64);
    let crafted = t.path().join("crafted.sqlite3");
    std::fs::copy(&good, &crafted).unwrap();
    Connection::open(&crafted)
        .unwrap()
        .execute(
            "INSERT INTO attachments (incident_id, file_name, sha256, size, added_at) \
             VALUES (1, 'slip.jpg', ?1, 10, '2026-01-01T00:00:00Z')",
            [&evil],
        )
        .unwrap();
    let out = posdesk(&d, &["restore", crafted.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(stderr(&out).contains("SHA-256"), "{}", stderr(&out));
    #[cfg(unix)]
    {
        let etc = t.path().join("secrets");
        std::fs::create_dir_all(&etc).unwrap();
        std::fs::write(etc.join("passwd"), b"root").unwrap();
        std::os::unix::fs::symlink(&etc, t.path().join("good.attachments")).unwrap();
        let out = posdesk(&d, &["restore", good.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
        assert!(!d.join("attachments").join("passwd").exists());
    }
    assert_intact(&d);
}

#[test]
fn f15_a_crafted_row_in_the_live_data_never_leads_an_export_outside_its_folder() {
    let t = tempfile::tempdir().unwrap();
    let d = data(t.path());
    let evil = format!("{}../posdesk.sqlite3", "./".repeat(23));
    Connection::open(sqlite_db(&d))
        .unwrap()
        .execute(
            "INSERT INTO attachments (incident_id, file_name, sha256, size, added_at) \
             VALUES (1, 'slip', ?1, 10, '2026-01-01T00:00:00Z')",
            [&evil],
        )
        .unwrap();
    let exp = t.path().join("exp");
    std::fs::create_dir_all(&exp).unwrap();
    ok(&posdesk(
        &d,
        &[
            "incident",
            "export",
            exp.join("journal.csv").to_str().unwrap(),
        ],
    ));
    assert!(!exp.join("posdesk.sqlite3").exists());
}

// ---- F6: a missing attachment file ------------------------------------------------------------

#[test]
fn f6_a_missing_attachment_is_reported_and_the_export_completes() {
    let t = tempfile::tempdir().unwrap();
    let d = data(t.path());
    Connection::open(sqlite_db(&d))
        .unwrap()
        .execute(
            "INSERT INTO attachments (incident_id, file_name, sha256, size, added_at) \
             VALUES (1, 'slip.jpg', ?1, 10, '2026-01-01T00:00:00Z')",
            [&"ab".repeat(32)],
        )
        .unwrap();
    std::fs::create_dir_all(d.join("attachments")).unwrap();
    for name in ["journal.csv", "journal.json"] {
        let file = t.path().join(name);
        let out = posdesk(&d, &["incident", "export", file.to_str().unwrap()]);
        assert!(out.status.success(), "{out:?}");
        assert!(stderr(&out).contains("slip.jpg"), "{}", stderr(&out));
        assert!(
            std::fs::read_to_string(&file)
                .unwrap()
                .contains("precious 1")
        );
    }
}

// ---- F7: the message says what happened -------------------------------------------------------

#[test]
fn f7_an_old_backup_is_checked_and_migrated_before_the_live_data_is_touched() {
    let t = tempfile::tempdir().unwrap();
    let d = data(t.path());
    let old = t.path().join("v3.sqlite3");
    ok(&posdesk(&d, &["backup", old.to_str().unwrap()]));
    old_schema::make_old(&old, 3);
    let d2 = t.path().join("d2");
    ok(&posdesk(&d2, &["incident", "add", "--note", "LIVE 1"]));
    // A candidate that cannot be written: the private copy fails, and the live data is as it was.
    let backups = d2.join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Root ignores permissions, so only check when the folder really refuses writes.
        std::fs::set_permissions(&backups, std::fs::Permissions::from_mode(0o500)).unwrap();
        if std::fs::write(backups.join("probe"), b"x").is_err() {
            let out = posdesk(&d2, &["restore", old.to_str().unwrap()]);
            assert_eq!(out.status.code(), Some(1), "{out:?}");
            assert_eq!(incidents(&d2), vec!["LIVE 1".to_string()]);
        }
        std::fs::set_permissions(&backups, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    ok(&posdesk(&d2, &["restore", old.to_str().unwrap()]));
    assert_intact(&d2);
    let leftovers: Vec<_> = std::fs::read_dir(&backups)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "the private copy is gone: {leftovers:?}"
    );
}

// ---- F10: leftovers ---------------------------------------------------------------------------

#[test]
fn f10_partial_copies_of_a_killed_posdesk_are_removed_at_the_next_start() {
    let t = tempfile::tempdir().unwrap();
    let d = data(t.path());
    // A process id that is not running (above Linux's default pid_max of 4,194,304 minus one).
    let dead = 4_194_303;
    let planted = [
        d.join("backups")
            .join(format!(".manual-20260101-000000.sqlite3.partial-{dead}")),
        d.join("backups").join(format!(
            ".manual-20260101-000000.sqlite3.partial-{dead}-journal"
        )),
        d.join("backups")
            .join(format!(".before-restore-1.sqlite3.partial-{dead}")),
        d.join("attachments").join(format!(".incoming-{dead}")),
    ];
    for p in &planted {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, vec![0u8; 4096]).unwrap();
    }
    ok(&posdesk(&d, &["search", "51"]));
    if Path::new("/proc/self").exists() {
        for p in &planted {
            assert!(!p.exists(), "{} is left", p.display());
        }
    }
}

// ---- F11: own codes by the hundred thousand ---------------------------------------------------

#[test]
fn f11_import_and_export_grow_linearly() {
    use posdesk::exchange::codes as codefile;
    let t = tempfile::tempdir().unwrap();
    let mut csv = String::from("code,title_en,note\n");
    for n in 0..20_000 {
        csv.push_str(&format!("X{n},Title {n},note {n}\n"));
    }
    let file = t.path().join("many.csv");
    std::fs::write(&file, &csv).unwrap();
    let started = std::time::Instant::now();
    let read = codefile::read_codes(&file).unwrap();
    assert_eq!(read.entries.len(), 20_000);
    let out =
        posdesk::fsx::Output::check(None, &t.path().join("out.csv"), posdesk::fsx::Replace::No)
            .unwrap();
    codefile::write_codes(&out, &read).unwrap();
    // Quadratic code took 12.7 s to read and 55 s to write 20,000 rows; linear code is far below.
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    let back = codefile::read_codes(out.path()).unwrap();
    assert_eq!(back.notes.len(), 20_000);
    assert_eq!(back.notes[19_999].note, "note 19999");
}

// ---- F14: planted links -----------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn f14_links_planted_at_temporary_names_are_not_written_through() {
    let t = tempfile::tempdir().unwrap();
    let d = data(t.path());
    let victim = t.path().join("victim.txt");
    std::fs::write(&victim, b"untouched").unwrap();
    // Old temporary names: `X.csv.partial` and `X.posdesk-tmp` were opened whatever sat there.
    for name in [
        "j.csv.partial",
        "c.posdesk-tmp",
        ".j.csv.partial-1",
        ".c.json.partial-1",
    ] {
        std::os::unix::fs::symlink(&victim, t.path().join(name)).unwrap();
    }
    ok(&posdesk(
        &d,
        &[
            "incident",
            "export",
            t.path().join("j.csv").to_str().unwrap(),
        ],
    ));
    ok(&posdesk(
        &d,
        &["codes", "export", t.path().join("c.json").to_str().unwrap()],
    ));
    assert_eq!(std::fs::read(&victim).unwrap(), b"untouched");
    assert!(
        std::fs::read_to_string(t.path().join("j.csv"))
            .unwrap()
            .contains("precious")
    );
}

// ---- F16: small ones --------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn f16_dev_zero_stops_at_the_size_limit() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("d");
    let started = std::time::Instant::now();
    let out = posdesk(&d, &["codes", "import", "/dev/zero"]);
    assert!(!out.status.success(), "{out:?}");
    assert!(stderr(&out).contains("limit"), "{}", stderr(&out));
    assert!(started.elapsed().as_secs() < 60);
}

#[test]
fn f16_the_codes_csv_is_formula_safe_and_reads_back() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("d");
    let csv = "code,title_en,note\nF1,=HYPERLINK(\"http://x\"),@SUM(1)\nF2,+cmd|' /C calc'!A0,-1\n";
    std::fs::write(t.path().join("in.csv"), csv).unwrap();
    ok(&posdesk(
        &d,
        &["codes", "import", t.path().join("in.csv").to_str().unwrap()],
    ));
    let out = t.path().join("out.csv");
    ok(&posdesk(&d, &["codes", "export", out.to_str().unwrap()]));
    let text = std::fs::read_to_string(&out).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    for row in r.records() {
        for cell in row.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?}"
            );
        }
    }
    // Imported again, the texts are as they were.
    let d2 = t.path().join("d2");
    ok(&posdesk(&d2, &["codes", "import", out.to_str().unwrap()]));
    let shown = ok(&posdesk(&d2, &["show", "F1", "--json"]));
    assert!(shown.contains("=HYPERLINK"), "{shown}");
    assert!(shown.contains("@SUM(1)"), "{shown}");
}

#[test]
fn f16_escape_sequences_in_stored_text_never_reach_the_terminal() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("d");
    let json = r#"[{"code":"E1","title_en":"Evil \u001b]0;pwned\u0007 title \u009b2J","note":"x\u001b[31m"}]"#;
    std::fs::write(t.path().join("in.json"), json).unwrap();
    ok(&posdesk(
        &d,
        &[
            "codes",
            "import",
            t.path().join("in.json").to_str().unwrap(),
        ],
    ));
    for args in [
        vec!["search", "E1"],
        vec!["show", "E1"],
        vec!["search", "Evil"],
    ] {
        let out = posdesk(&d, &args);
        assert!(
            !out.stdout.iter().any(|&b| b == 0x1b || b == 0x07),
            "{args:?}: {:?}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{9b}'));
    }
    // JSON keeps the text, escaped.
    let json_out = ok(&posdesk(&d, &["show", "E1", "--json"]));
    assert!(json_out.contains("\\u001b"), "{json_out}");
}

#[test]
fn f16_a_failed_pdf_leaves_no_empty_file() {
    let t = tempfile::tempdir().unwrap();
    let d = data(t.path());
    // A target whose folder cannot be made: the write fails before any file has the name.
    let blocker = t.path().join("blocker");
    std::fs::write(&blocker, b"x").unwrap();
    let pdf = blocker.join("sheet.pdf");
    let out = posdesk(&d, &["print", "checklist", "-o", pdf.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(!pdf.exists());
}

#[cfg(target_os = "linux")]
#[test]
fn f16_a_folder_whose_name_is_not_unicode_can_be_backed_up() {
    use std::os::unix::ffi::OsStrExt;
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9"));
    let out = Command::new(env!("CARGO_BIN_EXE_posdesk"))
        .arg("--data-dir")
        .arg(&d)
        .args(["incident", "add", "--note", "x"])
        .env_remove("POSDESK_DATA_DIR")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = Command::new(env!("CARGO_BIN_EXE_posdesk"))
        .arg("--data-dir")
        .arg(&d)
        .arg("backup")
        .env_remove("POSDESK_DATA_DIR")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

// ---- Windows-style names (issue 17) ------------------------------------------------------------

#[test]
fn names_with_spaces_chinese_and_backslashes_back_up_restore_and_export() {
    let t = tempfile::tempdir().unwrap();
    let d = data(t.path());
    let odd = t.path().join(r"C:\Users\店员 一\备份 文件");
    std::fs::create_dir_all(&odd).unwrap();
    let b = odd.join("备份 1.sqlite3");
    ok(&posdesk(&d, &["backup", b.to_str().unwrap()]));
    ok(&posdesk(
        &d,
        &[
            "incident",
            "export",
            odd.join("记录 1.csv").to_str().unwrap(),
        ],
    ));
    ok(&posdesk(
        &d,
        &["codes", "export", odd.join("代码 1.json").to_str().unwrap()],
    ));
    ok(&posdesk(
        &d,
        &[
            "print",
            "checklist",
            "-o",
            odd.join("表 1.pdf").to_str().unwrap(),
        ],
    ));
    let d2 = t.path().join(r"D:\posdesk 数据");
    ok(&posdesk(&d2, &["restore", b.to_str().unwrap()]));
    assert_intact(&d2);
}

// ---- F12: a read-only data folder --------------------------------------------------------------

/// Make `dir` read-only for everyone, root included (`chattr +i`); `false` where that is not possible.
#[cfg(target_os = "linux")]
fn lock(dir: &Path, on: bool) -> bool {
    Command::new("chattr")
        .arg(if on { "+i" } else { "-i" })
        .arg(dir)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[cfg(target_os = "linux")]
#[test]
fn f12_a_read_only_folder_still_looks_up_reads_exports_and_checks() {
    let t = tempfile::tempdir().unwrap();
    let d = data(t.path());
    if !lock(&d, true) {
        return;
    }
    let result = std::panic::catch_unwind(|| {
        let search = posdesk(&d, &["search", "51"]);
        assert!(search.status.success(), "{search:?}");
        assert!(stderr(&search).contains("read-only"), "{}", stderr(&search));
        assert!(ok(&posdesk(&d, &["incident", "list"])).contains("precious 2"));
        let out = t.path().join("j.csv");
        ok(&posdesk(&d, &["incident", "export", out.to_str().unwrap()]));
        assert!(
            std::fs::read_to_string(&out)
                .unwrap()
                .contains("precious 3")
        );
        let b = t.path().join("b.sqlite3");
        ok(&posdesk(&d, &["backup", b.to_str().unwrap()]));
        assert!(b.is_file());
        let check = posdesk(&d, &["check"]);
        assert!(check.status.success(), "{check:?}");
        // Saving says why it cannot.
        let add = posdesk(&d, &["incident", "add", "--note", "new"]);
        assert!(!add.status.success());
        assert!(stderr(&add).contains("read-only"), "{}", stderr(&add));
    });
    lock(&d, false);
    result.unwrap();
    assert_intact(&d);
}

// ---- F13: a full disk at start -----------------------------------------------------------------

#[cfg(target_os = "linux")]
#[test]
fn f13_a_full_disk_at_start_still_looks_things_up() {
    let t = tempfile::tempdir().unwrap();
    let mnt = t.path().join("small");
    std::fs::create_dir_all(&mnt).unwrap();
    // Needs the right to mount a small tmpfs (root outside a locked-down container); skipped otherwise.
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=16m", "tmpfs"])
        .arg(&mnt)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        return;
    }
    let result = std::panic::catch_unwind(|| {
        let d = mnt.join("d");
        for n in 1..=5 {
            ok(&posdesk(
                &d,
                &["incident", "add", "--note", &format!("n{n}")],
            ));
        }
        // Fill the disk to the last block.
        let mut fill = std::fs::File::create(mnt.join("fill")).unwrap();
        let block = vec![0u8; 4096];
        while std::io::Write::write_all(&mut fill, &block).is_ok() {}
        drop(fill);
        assert!(ok(&posdesk(&d, &["search", "51"])).contains("51"));
        assert_eq!(incidents(&d).len(), 5);
        assert!(posdesk(&d, &["check"]).status.success());
        std::fs::remove_file(mnt.join("fill")).unwrap();
        assert_eq!(incidents(&d).len(), 5);
    });
    let _ = Command::new("umount").arg(&mnt).output();
    result.unwrap();
}
