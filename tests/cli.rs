//! End-to-end tests of the `redline` binary against real temporary git stores.
//! Inputs are the demo snapshots (seed text verbatim after the front matter) and
//! synthetic files written by each test.

use assert_cmd::Command;
use predicates::prelude::*;

use crate::support::{repo_path, Workspace};

/// A seed exactly as published: the snapshot file without its front matter.
fn raw_seed(snapshot: &str) -> String {
    let text = std::fs::read_to_string(repo_path(snapshot)).unwrap();
    let rest = text.strip_prefix("+++\n").unwrap();
    let end = rest.find("\n+++\n").unwrap();
    rest[end + 5..].to_string()
}

const FULLFACT: &str = "snapshots/fullfact-ukraine-peace-talks/2025-03-04.txt";
const NYT: &str = "snapshots/nyt-ukraine-peace-talks-guide/2025-02-17.txt";

#[test]
fn committing_the_raw_fullfact_seed_stores_a_clean_body() {
    let ws = Workspace::new();
    let seed = ws.write("fullfact.txt", raw_seed(FULLFACT));
    ws.commit("ff", &seed, &["--note", "First import", "--editor", "Ed"])
        .assert()
        .success()
        .stdout(predicate::str::contains("committed ff v1"));
    let body = ws.stdout(&["show", "ff", "--body"]);
    for promo in [
        "Honesty in public debate matters",
        "You can help us take action",
        "Full Fact fights bad information",
        "Bad information ruins lives",
        "Updated 4 March 2025",
    ] {
        assert!(!body.contains(promo), "body still has {promo:?}");
    }
    for heading in [
        "What talks have taken place and who is involved?",
        "What could happen to Ukraine’s territory?",
        "What is NATO and is Ukraine going to join it?",
        "Could UK troops be sent to Ukraine?",
        "What about troops from other countries?",
        "What have the US and Ukraine agreed on minerals?",
    ] {
        assert!(
            body.lines().any(|l| l == format!("## {heading}")),
            "no heading {heading:?}"
        );
    }
    assert_eq!(body.lines().filter(|l| l.starts_with('#')).count(), 6);
    assert!(body.contains("“no agreement” on this had been reached"));
    let full = ws.stdout(&["show", "ff"]);
    assert!(full.contains("updated = 2025-03-04"), "{full}");
    let log = ws.git(&["log", "--format=%ad", "--date=short"]);
    assert_eq!(log.trim(), "2025-03-04");
}

#[test]
fn committing_the_raw_nyt_seed_drops_the_paywall_and_keeps_one_figure() {
    let ws = Workspace::new();
    let seed = ws.write("nyt.txt", raw_seed(NYT));
    ws.commit("nyt", &seed, &["--note", "First import"])
        .assert()
        .success();
    let body = ws.stdout(&["show", "nyt", "--body"]);
    assert!(!body.contains("You have a preview view"), "{body}");
    assert!(!body.contains("Feb. 17, 2025, 5:15 a.m. ET"), "{body}");
    assert_eq!(body.matches("```figure").count(), 1, "{body}");
    assert!(body.contains("Kursk region."));
    let full = ws.stdout(&["show", "nyt"]);
    assert!(full.contains("2025-02-17T05:15:00-05:00"), "{full}");
}

#[test]
fn demo_history_reads_in_plain_git() {
    let ws = Workspace::new();
    let out = ws.stdout(&["import", repo_path("snapshots").to_str().unwrap()]);
    assert!(
        out.contains("imported 5 new version(s) of 2 explainer(s)"),
        "{out}"
    );
    let log = ws.git(&["log", "--date=iso-strict", "--format=%an|%ad|%s%n%b%n--"]);
    let entries: Vec<&str> = log.split("--\n").filter(|e| !e.trim().is_empty()).collect();
    assert_eq!(entries.len(), 5, "{log}");
    for entry in &entries {
        assert!(entry.starts_with("Demo Editor|20"), "{entry}");
        assert!(entry.contains("Redline-Change: major"), "{entry}");
    }
    assert!(
        log.contains("|2025-03-04T16:00:00Z|Added the London summit"),
        "{log}"
    );
    assert!(log.contains("|2025-02-17T05:15:00-05:00|"), "{log}");

    // The import packed what it wrote (loose copies stay until git gc), and
    // plain git finds the store whole.
    let counts = ws.git(&["count-objects", "-v"]);
    assert!(counts.contains("packs: 1"), "{counts}");
    let in_pack: usize = counts
        .lines()
        .find_map(|l| l.strip_prefix("in-pack: "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    // 5 commits, their root and explainers trees, and 5 blobs at least.
    assert!(in_pack >= 15, "{counts}");
    ws.git(&["fsck", "--strict"]);

    // Re-running adds nothing.
    let again = ws.stdout(&["import", repo_path("snapshots").to_str().unwrap()]);
    assert!(
        again.contains("imported 0 new version(s)") && again.contains("(5 already stored)"),
        "{again}"
    );

    let history = ws.stdout(&["log", "fullfact-ukraine-peace-talks", "--format", "json"]);
    let versions: serde_json::Value = serde_json::from_str(&history).unwrap();
    let versions = versions.as_array().unwrap();
    assert_eq!(versions.len(), 4);
    let dates: Vec<&str> = versions
        .iter()
        .map(|v| v["updated"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        [
            "2025-02-19T17:00:00Z",
            "2025-02-25T15:00:00Z",
            "2025-03-01T12:00:00Z",
            "2025-03-04T16:00:00Z"
        ]
    );
    assert_eq!(versions[3]["number"], 4);
    assert_eq!(versions[3]["kind"], "major");

    // Version references: vN, date ("current then"), commit prefix.
    let at_date = ws.stdout(&["show", "fullfact-ukraine-peace-talks@2025-03-02", "--body"]);
    let v3 = ws.stdout(&["show", "fullfact-ukraine-peace-talks@v3", "--body"]);
    assert_eq!(at_date, v3);
    assert!(!v3.contains("one-month truce"));
    let id = versions[3]["id"].as_str().unwrap();
    let by_id = ws.stdout(&[
        "show",
        &format!("fullfact-ukraine-peace-talks@{}", &id[..8]),
        "--body",
    ]);
    assert!(by_id.contains("one-month truce"));

    let list = ws.stdout(&["list"]);
    assert!(
        list.contains("fullfact-ukraine-peace-talks  (4 versions"),
        "{list}"
    );
    assert!(
        list.contains("nyt-ukraine-peace-talks-guide  (1 version,"),
        "{list}"
    );
}

#[test]
fn reimporting_a_version_that_changed_nothing_skips_it_again() {
    // Synthetic fixture: the second file repeats the first's text (an editor
    // re-saved it), so the first import writes nothing for it ("no change").
    // A later import must skip it again, not refuse it as older than v2.
    let ws = Workspace::new();
    let version = |updated: &str, note: &str, body: &str| {
        format!(
            "+++\ntitle = \"T\"\nupdated = {updated}\n\n[change]\neditor = \"Ed\"\nkind = \"major\"\nnote = \"{note}\"\n+++\n\n{body}\n"
        )
    };
    std::fs::create_dir_all(ws.dir.path().join("import/ex")).unwrap();
    ws.write(
        "import/ex/1.md",
        version("2025-03-01T10:00:00Z", "First", "One."),
    );
    ws.write(
        "import/ex/2.md",
        version("2025-03-02T10:00:00Z", "Re-saved", "One."),
    );
    ws.write(
        "import/ex/3.md",
        version("2025-03-03T10:00:00Z", "Second", "Two."),
    );
    let dir = ws.dir.path().join("import");
    let dir = dir.to_str().unwrap();
    let first = ws.stdout(&["import", dir]);
    assert!(first.contains("imported 2 new version(s)"), "{first}");
    let before = ws.main_ref();
    let again = ws.stdout(&["import", dir]);
    assert!(
        again.contains("imported 0 new version(s)")
            && again.contains("(2 already stored)")
            && again.contains("2.md: no change from v1"),
        "{again}"
    );
    assert_eq!(ws.main_ref(), before);
    // A later version is appended, and the import packs only what it added:
    // one commit, its root and explainers trees, and one blob.
    let in_pack = || -> usize {
        ws.git(&["count-objects", "-v"])
            .lines()
            .find_map(|l| l.strip_prefix("in-pack: "))
            .and_then(|n| n.trim().parse().ok())
            .unwrap()
    };
    let packed_before = in_pack();
    ws.write(
        "import/ex/4.md",
        version("2025-03-04T10:00:00Z", "Third", "Three."),
    );
    let third = ws.stdout(&["import", dir]);
    assert!(third.contains("imported 1 new version(s)"), "{third}");
    assert_eq!(in_pack(), packed_before + 4);
    ws.git(&["fsck", "--strict"]);
    let before = ws.main_ref();
    // A changed older version is still refused: import only appends.
    ws.write(
        "import/ex/2.md",
        version("2025-03-02T10:00:00Z", "Changed", "One and a half."),
    );
    let out = ws.redline(&["import", dir]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("2.md") && err.contains("import only appends"),
        "{err}"
    );
    assert_eq!(ws.main_ref(), before);
}

#[test]
fn an_import_that_cannot_write_its_pack_writes_nothing_and_says_so() {
    let ws = Workspace::new();
    // A file where the pack folder should be: the import's one pack cannot be written.
    let pack_dir = ws.store().join("objects").join("pack");
    std::fs::remove_dir(&pack_dir).unwrap();
    std::fs::write(&pack_dir, "").unwrap();
    let out = ws
        .redline(&["import", repo_path("snapshots").to_str().unwrap()])
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // All or nothing: no version landed.
    let list = ws.stdout(&["list"]);
    assert!(!list.contains("fullfact-ukraine-peace-talks"), "{list}");
}

#[test]
fn demo_command_prints_the_history() {
    let ws = Workspace::new();
    let out = ws.stdout(&["demo"]);
    assert!(
        out.contains("fullfact-ukraine-peace-talks: 4 versions"),
        "{out}"
    );
    assert!(out.contains("v4  "), "{out}");
}

#[test]
fn stale_expect_is_a_conflict_and_moves_nothing() {
    let ws = Workspace::new();
    let v1 = ws.write("v1.md", "# Title\n\nFirst text.\n");
    let v2 = ws.write("v2.md", "# Title\n\nSecond text.\n");
    let v3 = ws.write("v3.md", "# Title\n\nThird text.\n");
    ws.commit("x", &v1, &["--note", "one"]).assert().success();
    ws.commit("x", &v2, &["--note", "two", "--expect", "v1"])
        .assert()
        .success();
    let before = ws.main_ref();
    ws.commit("x", &v3, &["--note", "three", "--expect", "v1"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("conflict").and(predicate::str::contains("v2")));
    assert_eq!(ws.main_ref(), before);
    // Identical content is "no change": nothing written.
    ws.commit("x", &v2, &["--note", "again"])
        .assert()
        .success()
        .stdout(predicate::str::contains("no change"));
    assert_eq!(ws.main_ref(), before);
}

#[test]
fn bad_input_is_refused_with_the_file_named_and_the_store_unchanged() {
    let ws = Workspace::new();
    let good = ws.write("good.md", "# Title\n\nSome text.\n");
    ws.commit("x", &good, &["--note", "one"]).assert().success();
    let before = ws.main_ref();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "bad-utf8.md",
            b"# T\n\nabc \xff\xfe def\n".to_vec(),
            "UTF-8",
        ),
        ("nul.md", b"# T\n\nabc\0def\n".to_vec(), "NUL"),
        ("empty.md", Vec::new(), "empty"),
        ("big.md", vec![b'a'; 5 * 1024 * 1024 + 1], "5 MB"),
        (
            "front.md",
            b"+++\ntitle = \"T\"\nupdated = 2025-13-45\n+++\nBody.\n".to_vec(),
            "line 3",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = ws.write(name, &bytes);
        ws.commit("x", &path, &["--note", "bad"])
            .assert()
            .failure()
            .stderr(predicate::str::contains(name).and(predicate::str::contains(expected)));
        assert_eq!(ws.main_ref(), before, "{name} moved the branch");
    }
    for slug in ["../x", "A B", "a/b", "Caps"] {
        ws.commit(slug, &good, &["--note", "bad"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("invalid slug"));
    }
    assert_eq!(ws.main_ref(), before);
    assert_eq!(
        ws.git(&["ls-tree", "-r", "--name-only", "main"]).trim(),
        "explainers/x.md"
    );
}

#[test]
fn a_missing_store_says_how_to_create_one() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("redline")
        .unwrap()
        .current_dir(dir.path())
        .env("REDLINE_STORE", dir.path().join("nowhere.git"))
        .args(["list"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("redline init"));
}

const TRUCE: &str = "Following the summit Mr Macron said France and the UK had proposed a one-month truce “in the air, at sea and on energy infrastructure”—however the UK government later said “no agreement” on this had been reached.";

#[test]
fn demo_shows_the_truce_claim_and_its_denial_first() {
    let ws = Workspace::new();
    let out = ws.stdout(&["demo"]);
    let highlights = out
        .split("Highlights")
        .nth(1)
        .expect("a Highlights heading");
    let first = highlights.split("\n2. ").next().unwrap();
    assert!(
        first.contains(TRUCE),
        "first highlight is not the truce claim:\n{first}"
    );
    assert!(
        first.contains("Mr Macron") && first.contains("the UK government"),
        "{first}"
    );
    // The reconstructed earlier updates are listed with their notes.
    let updates = out
        .split("Updates in this period")
        .nth(1)
        .expect("an updates list");
    assert!(
        updates.contains("(v3, major, Demo Editor): Added Mr Trump's White House meetings"),
        "{updates}"
    );
    assert!(
        updates.contains("(v4, major, Demo Editor): Added the London summit"),
        "{updates}"
    );
}

#[test]
fn since_json_lists_updates_notes_and_highlights() {
    let ws = Workspace::new();
    ws.import_demo();
    let out = ws.stdout(&[
        "since",
        "fullfact-ukraine-peace-talks",
        "2025-02-20",
        "--format",
        "json",
    ]);
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["asked"], "2025-02-20T00:00:00Z");
    assert_eq!(summary["base"]["number"], 1);
    assert_eq!(summary["head"]["number"], 4);
    let updates = summary["updates"].as_array().unwrap();
    let numbers: Vec<u64> = updates
        .iter()
        .map(|u| u["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [2, 3, 4]);
    assert!(updates
        .iter()
        .all(|u| !u["note"].as_str().unwrap().is_empty()));
    let highlights = summary["highlights"].as_array().unwrap();
    let first = &highlights[0];
    assert_eq!(first["kind"], "contested_claim");
    assert_eq!(first["text"], TRUCE);
    assert_eq!(
        first["section"],
        "What talks have taken place and who is involved?"
    );
    assert_eq!(first["version"]["number"], 4);
    for key in ["kind", "section", "text", "version"] {
        assert!(
            highlights.iter().all(|h| h.get(key).is_some()),
            "a highlight lacks {key}"
        );
    }
    // Every major update in the window introduced at least one highlight.
    for update in [2, 3, 4] {
        assert!(
            highlights.iter().any(|h| h["version"]["number"] == update),
            "no highlight for v{update}"
        );
    }
    // Asked by version, there is no moment to name beside the base.
    let by_version = ws.stdout(&[
        "since",
        "fullfact-ukraine-peace-talks",
        "v2",
        "--format",
        "json",
    ]);
    let by_version: serde_json::Value = serde_json::from_str(&by_version).unwrap();
    assert!(by_version["asked"].is_null(), "{by_version}");
    assert_eq!(by_version["base"]["number"], 2);
}

#[test]
fn diff_between_stored_versions_and_files_in_every_format() {
    let ws = Workspace::new();
    ws.import_demo();
    let slug = "fullfact-ukraine-peace-talks";
    let json = ws.stdout(&["diff", slug, "v3", "v4", "--format", "json"]);
    let changes: serde_json::Value = serde_json::from_str(&json).unwrap();
    let truce = changes["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["new_text"] == TRUCE)
        .expect("the truce sentence is a change");
    assert_eq!(truce["kind"], "added");
    assert_eq!(
        truce["section"],
        "What talks have taken place and who is involved?"
    );
    // Lossless: equal+insert spans rebuild the newer body exactly.
    let new_body = ws.stdout(&["show", &format!("{slug}@v4"), "--body"]);
    let old_body = ws.stdout(&["show", &format!("{slug}@v3"), "--body"]);
    let spans = changes["spans"].as_array().unwrap();
    let rebuild = |skip: &str| -> String {
        spans
            .iter()
            .filter(|s| s["op"] != skip)
            .map(|s| s["text"].as_str().unwrap())
            .collect()
    };
    assert_eq!(rebuild("delete"), new_body);
    assert_eq!(rebuild("insert"), old_body);

    let text = ws.stdout(&["diff", slug, "v3", "v4"]);
    assert!(
        text.contains("+ Following the summit Mr Macron said"),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "no colour codes when not on a terminal"
    );
    let markdown = ws.stdout(&["diff", slug, "v3", "v4", "--format", "markdown"]);
    assert!(markdown.contains("one-month truce"), "{markdown}");
    let html = ws.stdout(&["diff", slug, "v3", "v4", "--format", "html"]);
    assert!(
        html.contains("<ins") && html.contains("one-month truce"),
        "{html}"
    );

    // The same pair as files, without a store.
    let old = ws.write(
        "old.txt",
        std::fs::read(repo_path(
            "snapshots/fullfact-ukraine-peace-talks/2025-03-01.txt",
        ))
        .unwrap(),
    );
    let new = ws.write(
        "new.txt",
        std::fs::read(repo_path(
            "snapshots/fullfact-ukraine-peace-talks/2025-03-04.txt",
        ))
        .unwrap(),
    );
    let from_files = ws.diff_files_json(&old, &new);
    assert_eq!(from_files["changes"], changes["changes"]);

    ws.redline(&["diff", slug, "v3", "v9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("v9"));
}

#[test]
fn build_writes_a_site_with_relative_links() {
    let ws = Workspace::new();
    ws.import_demo();
    let (out, printed) = ws.build_site();
    assert!(printed.contains("built 2 explainer(s)"), "{printed}");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains("href=\"fullfact-ukraine-peace-talks/index.html\""),
        "{index}"
    );
    assert!(out
        .join("fullfact-ukraine-peace-talks/changes.html")
        .is_file());
    assert!(out.join("feed.xml").is_file());
}
