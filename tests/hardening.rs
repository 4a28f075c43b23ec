//! Hostile and mistaken input (issue 10, items 1, 6, 8, 9, 10, 15, 16), end to
//! end against the real binary and real temporary git stores. Every document here
//! is synthetic, written by the test.

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::Duration;

use predicates::prelude::*;

use crate::support::{bin, files_under, plain_git, Workspace};

/// A synthetic Markdown explainer with front matter.
fn explainer(title: &str, updated: &str, body: &str) -> String {
    let title = toml::Value::String(title.to_string());
    format!("+++\ntitle = {title}\nupdated = {updated}\n+++\n{body}")
}

/// Explainer `x` in two versions, both titled `title`: v1 "First text."
/// (1 March, note "one"), then v2 (2 March) adding `added` after it,
/// committed with `args`. The two files written.
fn two_versions(ws: &Workspace, title: &str, added: &str, args: &[&str]) -> (PathBuf, PathBuf) {
    let v1 = ws.write(
        "v1.md",
        explainer(title, "2025-03-01T10:00:00Z", "First text.\n"),
    );
    let v2 = ws.write(
        "v2.md",
        explainer(
            title,
            "2025-03-02T10:00:00Z",
            &format!("First text.\n\n{added}"),
        ),
    );
    ws.commit("x", &v1, &["--note", "one"]).assert().success();
    ws.commit("x", &v2, args).assert().success();
    (v1, v2)
}

/// Make a named pipe (nothing ever writes to it: reading it would block forever).
fn fifo(path: &Path) {
    let status = Process::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Run the binary through `sh` with its address space capped at `limit_kb`, so a
/// reader that loads a huge input whole fails fast instead of exhausting the machine.
fn redline_capped(ws: &Workspace, limit_kb: u64, args: &str) -> std::process::Output {
    let bin = bin();
    Process::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {limit_kb}; exec '{}' {args}",
            bin.display()
        ))
        .current_dir(ws.dir.path())
        .env("REDLINE_STORE", ws.store())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

// ---------------------------------------------------------------------------
// 1. Times git cannot hold are refused, not wrapped.

#[test]
fn dates_outside_what_git_stores_are_refused_naming_the_value_and_range() {
    let ws = Workspace::new();
    let file = ws.write("x.md", "# T\n\nSome text.\n");
    for bad in [
        "1900-01-01",
        "0001-01-01",
        "1969-12-31T23:59:59Z",
        "9999-12-31",
        "2262-04-12",
        "2106-02-07T06:28:16Z",
        // Midnight in Paris is still 1969 in UTC.
        "1970-01-01T00:30:00+01:00",
    ] {
        ws.commit("x", &file, &["--note", "n", "--updated", bad])
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains(bad)
                    .and(predicate::str::contains("1970-01-01T00:00:00Z"))
                    .and(predicate::str::contains("2106-02-07T06:28:15Z")),
            );
    }
    // The same from the file's own front matter (and from `ingest`, which shows what commit stores).
    let old = ws.write(
        "old.md",
        explainer("Old", "1900-01-01T00:00:00Z", "Some text.\n"),
    );
    for args in [
        vec!["commit", "x", old.to_str().unwrap(), "--note", "n"],
        vec!["ingest", old.to_str().unwrap()],
    ] {
        ws.redline(&args).assert().code(2).stderr(
            predicate::str::contains("old.md")
                .and(predicate::str::contains("1900-01-01"))
                .and(predicate::str::contains("1970-01-01T00:00:00Z")),
        );
    }
    // And from a version file in an import folder.
    let folder = ws.dir.path().join("import/x");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("v1.md"),
        explainer("X", "9999-12-31T00:00:00Z", "Some text.\n"),
    )
    .unwrap();
    ws.redline(&["import", "import"]).assert().code(2).stderr(
        predicate::str::contains("v1.md")
            .and(predicate::str::contains("9999-12-31"))
            .and(predicate::str::contains("2106-02-07T06:28:15Z")),
    );
    assert_eq!(ws.main_ref(), None, "nothing may be written");

    // Both ends of the range are stored exactly, in git and in the front matter.
    for (slug, edge) in [
        ("first", "1970-01-01T00:00:00Z"),
        ("last", "2106-02-07T06:28:15Z"),
    ] {
        ws.commit(slug, &file, &["--note", "n", "--updated", edge])
            .assert()
            .success();
        let shown = ws.stdout(&["show", slug]);
        assert!(
            shown.contains(&format!("updated = {edge}")),
            "{edge}: {shown}"
        );
        let git_time = ws.git(&["log", "-1", "--format=%ad", "--date=iso-strict", "main"]);
        assert_eq!(git_time.trim(), edge);
    }
}

// ---------------------------------------------------------------------------
// 6. Non-regular and oversized files are refused before they are read.

#[test]
fn a_fifo_or_device_is_refused_at_once_and_huge_files_are_not_read_whole() {
    let ws = Workspace::new();
    let pipe = ws.dir.path().join("pipe.md");
    fifo(&pipe);
    let good = ws.write("good.md", "# T\n\nSome text.\n");
    let pipe_arg = pipe.to_str().unwrap();
    for args in [
        vec!["commit", "x", pipe_arg, "--note", "n"],
        vec!["ingest", pipe_arg],
        vec!["diff", "--files", good.to_str().unwrap(), pipe_arg],
        vec!["ingest", "/dev/zero"],
    ] {
        ws.redline(&args)
            .timeout(Duration::from_secs(20))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("is not a regular file"));
    }
    assert_eq!(ws.main_ref(), None);

    // Rules from a device: refused, not read until memory runs out.
    let out = redline_capped(&ws, 1_000_000, "--rules /dev/zero ingest good.md");
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("/dev/zero") && stderr_of(&out).contains("not a regular file"),
        "{}",
        stderr_of(&out)
    );
    // A rules file larger than any real one is refused by its size.
    let rules = std::fs::File::create(ws.dir.path().join("big.toml")).unwrap();
    rules.set_len(64 << 20).unwrap();
    drop(rules);
    ws.redline(&["--rules", "big.toml", "ingest", "good.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("big.toml").and(predicate::str::contains("limit")));

    // A 1 GB (sparse) version file in an import folder: refused by its size,
    // within a 1 GB address space, so it was never read whole.
    let folder = ws.dir.path().join("import/huge");
    std::fs::create_dir_all(&folder).unwrap();
    let huge = std::fs::File::create(folder.join("v1.md")).unwrap();
    huge.set_len(1 << 30).unwrap();
    drop(huge);
    let out = redline_capped(&ws, 1_000_000, "import import");
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("v1.md") && stderr_of(&out).contains("5 MB"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(ws.main_ref(), None);
}

// ---------------------------------------------------------------------------
// 8. Terminal output never carries control characters from the store.

#[test]
fn terminal_output_strips_control_characters_from_titles_notes_and_text() {
    let ws = Workspace::new();
    let title = "Title \u{1b}]0;pwned\u{7} here";
    let v1 = ws.write(
        "v1.md",
        explainer(title, "2025-03-01T10:00:00Z", "First \u{1b}[2Jtext.\n"),
    );
    let v2 = ws.write(
        "v2.md",
        explainer(
            title,
            "2025-03-02T10:00:00Z",
            "First \u{1b}[2Jtext.\n\nA new \u{9b}31m line.\n",
        ),
    );
    for (file, note) in [(&v1, "first \u{1b}[2J note"), (&v2, "second \u{7} note")] {
        let out = ws.stdout(&["commit", "x", file.to_str().unwrap(), "--note", note]);
        assert!(!out.chars().any(is_terminal_control), "commit: {out:?}");
    }
    for args in [
        vec!["log", "x"],
        vec!["list"],
        vec!["since", "x", "2025-03-01"],
        vec!["diff", "x", "v1", "v2"],
    ] {
        let out = ws.stdout(&args);
        assert!(
            !out.chars().any(is_terminal_control),
            "{args:?} printed a control character: {out:?}"
        );
        assert!(out.contains("pwned") || args[0] != "list", "{out}");
    }
    let log = ws.stdout(&["log", "x"]);
    assert!(log.contains("second  note"), "{log}");
    // `show` prints the stored text byte for byte into a pipe (it must round-trip)...
    let piped = ws.stdout(&["show", "x"]);
    assert!(piped.contains("First \u{1b}[2Jtext."), "{piped:?}");
    // ...and without control characters on a terminal (util-linux `script` gives it one).
    let bin = bin();
    for args in ["show x", "show x --body", "diff x v1 v2 --format html"] {
        let out = Process::new("script")
            .args(["-qec", &format!("'{}' {args}", bin.display()), "/dev/null"])
            .current_dir(ws.dir.path())
            .env("REDLINE_STORE", ws.store())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{args}: {shown}");
        assert!(shown.contains("line."), "{args}: {shown:?}");
        // The terminal itself turns "\n" into "\r\n"; nothing else may be a control.
        assert!(
            !shown.chars().any(|c| is_terminal_control(c) && c != '\r'),
            "{args} on a terminal: {shown:?}"
        );
    }
    // Error messages quote file names and contents: they are escaped too.
    let out = ws
        .redline(&["commit", "x", "missing\u{1b}]0;t\u{7}.md", "--note", "n"])
        .assert()
        .failure();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.starts_with("redline: error: missing]0;t.md"),
        "{stderr:?}"
    );
    assert!(!stderr.chars().any(is_terminal_control), "{stderr:?}");
}

fn is_terminal_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

// ---------------------------------------------------------------------------
// 9. Atom feeds stay well-formed XML 1.0 whatever the text holds.

#[test]
fn feeds_contain_no_character_xml_forbids() {
    let ws = Workspace::new();
    let title = "Bell \u{7} and escape \u{1b}[31m title";
    two_versions(
        &ws,
        title,
        "The minister said \u{1b}[2J \u{8} \u{ffff} it was agreed.\n",
        &["--note", "two \u{7}\u{b}\u{c} note"],
    );
    let (out, _) = ws.build_site();
    for feed in [out.join("feed.xml"), out.join("x/feed.xml")] {
        let xml = std::fs::read_to_string(&feed).unwrap();
        let bad: Vec<char> = xml.chars().filter(|&c| !xml_char(c)).collect();
        assert!(bad.is_empty(), "{}: {bad:?}", feed.display());
        // Nor as character references, which XML 1.0 forbids just the same.
        assert!(!xml.contains("&#x1b;") && !xml.contains("&#27;"), "{xml}");
        assert!(xml.contains("two  note"), "the note is kept: {xml}");
        feed_rs::parser::parse(xml.as_bytes()).unwrap();
    }
}

/// The `Char` production of XML 1.0.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

// ---------------------------------------------------------------------------
// 10. Markdown reports cannot ping people or link issues.

#[test]
fn markdown_reports_neutralise_mentions_and_issue_references() {
    let ws = Workspace::new();
    let title = "Ask @octocat about #12";
    let (v1, v2) = two_versions(
        &ws,
        title,
        "## Fixes #7 and GH-9\n\nThe minister told @alice and @org/team that gh-42 and #123 were closed.\n",
        &["--note", "closes #5, thanks @bob", "--editor", "@carol"],
    );
    let outputs = [
        ws.stdout(&["diff", "x", "v1", "v2", "--format", "markdown"]),
        ws.stdout(&["since", "x", "2025-03-01", "--format", "markdown"]),
        ws.stdout(&[
            "diff",
            "--files",
            v1.to_str().unwrap(),
            v2.to_str().unwrap(),
            "--format",
            "markdown",
        ]),
    ];
    for md in &outputs {
        assert!(md.contains("octocat") && md.contains("minister"), "{md}");
        let lower = md.to_lowercase();
        let chars: Vec<char> = lower.chars().collect();
        for (i, window) in chars.windows(2).enumerate() {
            let linked = match window {
                ['@', next] => next.is_ascii_alphanumeric(),
                ['#', next] => next.is_ascii_digit(),
                ['-', next] => next.is_ascii_digit() && i >= 2 && chars[i - 2..i] == ['g', 'h'],
                _ => false,
            };
            assert!(
                !linked,
                "a live reference at {}: {md}",
                chars[i.saturating_sub(10)..(i + 5).min(chars.len())]
                    .iter()
                    .collect::<String>()
            );
        }
    }
}

// ---------------------------------------------------------------------------
// 15. `build` replaces pages atomically and removes only its own stale pages.

#[test]
fn build_renames_pages_into_place_and_removes_only_its_own_stale_pages() {
    let ws = Workspace::new();
    for slug in ["kept", "gone"] {
        let file = ws.write(
            &format!("{slug}.md"),
            explainer(slug, "2025-03-01T10:00:00Z", "Some text.\n"),
        );
        ws.commit(slug, &file, &["--note", "n"]).assert().success();
    }
    let out = ws.dir.path().join("site");
    let build = || {
        ws.redline(&["build", "--out", out.to_str().unwrap()])
            .assert()
            .success();
    };
    build();
    assert!(out.join("gone/index.html").is_file());

    // A page hard-linked elsewhere: writing in place would change the other name too.
    std::fs::remove_file(out.join("kept/index.html")).unwrap();
    std::fs::write(out.join("reader-copy.html"), "a reader's own file").unwrap();
    std::fs::hard_link(out.join("reader-copy.html"), out.join("kept/index.html")).unwrap();
    // Files redline did not write, beside and inside its folders.
    std::fs::write(out.join("gone/notes.txt"), "mine").unwrap();
    std::fs::write(out.join("CNAME"), "example.org").unwrap();

    // Remove `gone` from the store with plain git.
    let git_env = |args: &[&str]| plain_git(&ws.store(), ws.dir.path(), args);
    git_env(&["read-tree", "main"]);
    git_env(&["update-index", "--force-remove", "explainers/gone.md"]);
    let tree = git_env(&["write-tree"]);
    let commit = git_env(&["commit-tree", &tree, "-p", "main", "-m", "Withdraw gone"]);
    git_env(&["update-ref", "refs/heads/main", &commit]);

    ws.redline(&["build", "--out", out.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "removed 4 file(s) of an earlier build the store no longer has",
        ));
    assert_eq!(
        std::fs::read_to_string(out.join("reader-copy.html")).unwrap(),
        "a reader's own file",
        "the page was rewritten in place"
    );
    assert!(std::fs::read_to_string(out.join("kept/index.html"))
        .unwrap()
        .contains("Some text."));
    assert!(!out.join("gone/index.html").exists(), "stale page kept");
    assert!(!out.join("gone/changes.html").exists(), "stale page kept");
    assert!(!out.join("gone/feed.xml").exists(), "stale feed kept");
    assert!(
        !out.join("gone/blame/v1.html").exists(),
        "stale blame page kept"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("gone/notes.txt")).unwrap(),
        "mine"
    );
    assert!(out.join("CNAME").is_file());
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!index.contains("gone/index.html"), "{index}");
    // No temporary file is left behind.
    for path in files_under(&out) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.contains("tmp"), "left behind: {}", path.display());
    }
}

// ---------------------------------------------------------------------------
// 16. What the user said is what is recorded, or refused with the reason.

#[test]
fn commit_uses_the_files_change_table_unless_flags_say_otherwise() {
    let ws = Workspace::new();
    let with_change = |updated: &str, body: &str| {
        format!(
            "+++\ntitle = \"T\"\nupdated = {updated}\n\n[change]\neditor = \"File Editor\"\nkind = \"minor\"\nnote = \"Fixed a typo\"\n+++\n{body}"
        )
    };
    let v1 = ws.write("v1.md", with_change("2025-03-01T10:00:00Z", "Some text.\n"));
    ws.commit("x", &v1, &[])
        .assert()
        .success()
        .stdout(predicate::str::contains("minor").and(predicate::str::contains("File Editor")));
    let log = ws.stdout(&["log", "x"]);
    assert!(
        log.contains("minor  File Editor") && log.contains("Fixed a typo"),
        "{log}"
    );

    // Flags win over the table.
    let v2 = ws.write(
        "v2.md",
        with_change("2025-03-02T10:00:00Z", "Some other text.\n"),
    );
    ws.commit(
        "x",
        &v2,
        &["--major", "--note", "Rewrote it", "--editor", "Flag Editor"],
    )
    .assert()
    .success();
    let log = ws.stdout(&["log", "x"]);
    assert!(
        log.contains("major  Flag Editor") && log.contains("Rewrote it"),
        "{log}"
    );
}

#[test]
fn a_major_update_without_a_note_is_refused() {
    let ws = Workspace::new();
    let file = ws.write("x.md", "# T\n\nSome text.\n");
    for note in ["", "   "] {
        ws.commit("x", &file, &["--note", note])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("note").and(predicate::str::contains("--minor")));
    }
    ws.commit("x", &file, &[])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--note"));
    assert_eq!(ws.main_ref(), None);
    // A minor fix may go without a note.
    ws.commit("x", &file, &["--minor", "--note", ""])
        .assert()
        .success();
}

#[test]
fn demo_with_a_store_keeps_the_demo_history_there() {
    let ws = Workspace::new();
    let kept = ws.dir.path().join("demo.git");
    ws.redline(&["demo", "--store", kept.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains(kept.to_str().unwrap()));
    let list = ws.stdout(&["list", "--store", kept.to_str().unwrap()]);
    assert!(list.contains("fullfact-ukraine-peace-talks"), "{list}");
    // Without --store ($REDLINE_STORE alone) the demo leaves the configured store alone.
    ws.redline(&["demo"]).assert().success();
    assert_eq!(ws.main_ref(), None);
    // And an occupied path is refused, not overwritten.
    ws.redline(&["demo", "--store", kept.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("already exists"));
}
