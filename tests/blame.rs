//! End-to-end tests of sentence history: `since` credits, `redline blame`
//! and `redline history`, on the demo history and on synthetic histories
//! (every synthetic body below is synthetic, written for these tests).

use serde_json::Value;

use crate::support::Workspace;

const SLUG: &str = "synthetic-talks";

/// A workspace holding one synthetic explainer, one commit per body
/// (v1 on 1 February 2025, one day apart), with the given kinds and notes.
fn history(updates: &[(&str, &str, bool)]) -> Workspace {
    let ws = Workspace::new();
    for (i, (body, note, minor)) in updates.iter().enumerate() {
        let file = ws.write(
            &format!("v{}.md", i + 1),
            format!("# Synthetic talks\n\n{body}"),
        );
        let day = format!("2025-02-{:02}T12:00:00Z", i + 1);
        let mut args = vec![
            "commit",
            SLUG,
            file.to_str().unwrap(),
            "--note",
            note,
            "--updated",
            &day,
            "--editor",
            "Ed",
        ];
        if *minor {
            args.push("--minor");
        }
        ws.redline(&args).assert().success();
    }
    ws
}

/// The highlight whose text contains `needle`: (version, credited versions).
fn credit(summary: &Value, needle: &str) -> (u64, Vec<u64>) {
    let h = summary["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["text"].as_str().unwrap().contains(needle))
        .unwrap_or_else(|| panic!("no highlight with {needle}: {summary:#}"));
    let credits = h["credits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["version"]["number"].as_u64().unwrap())
        .collect();
    (h["version"]["number"].as_u64().unwrap(), credits)
}

/// The blamed sentence containing `needle`: (changed_in, edits).
fn blamed(blame: &Value, needle: &str) -> (u64, u64) {
    let s = blame["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["text"].as_str().unwrap().contains(needle))
        .unwrap_or_else(|| panic!("no sentence with {needle}"));
    (
        s["changed_in"]["number"].as_u64().unwrap(),
        s["edits"].as_u64().unwrap(),
    )
}

const OTHER: &str = "The talks began in Riyadh on 18 February.";

#[test]
fn an_edit_over_two_updates_credits_both_with_their_words() {
    let ws = history(&[
        (
            &format!("{OTHER}\n\nThirty members backed the plan at the summit.\n"),
            "v1",
            false,
        ),
        (
            &format!("{OTHER}\n\n32 members backed the plan at the summit.\n"),
            "figure",
            false,
        ),
        (
            &format!("{OTHER} Nothing else.\n\n32 members backed the plan at the summit.\n"),
            "other",
            false,
        ),
        (
            &format!("{OTHER} Nothing else.\n\n32 states backed the plan at the summit.\n"),
            "wording",
            false,
        ),
    ]);
    let s = ws.json(&["since", SLUG, "v1", "--format", "json"]);
    let (version, credits) = credit(&s, "32 states backed");
    assert_eq!(version, 4);
    assert_eq!(credits, vec![2, 4]);
    let h = &s["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["text"].as_str().unwrap().contains("32 states"))
        .unwrap()["credits"];
    let words = |i: usize| -> String {
        h[i]["words"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["op"] != "equal")
            .map(|w| w["text"].as_str().unwrap().trim().to_string())
            .collect::<Vec<_>>()
            .join("|")
    };
    assert_eq!(words(0), "Thirty|32");
    assert_eq!(words(1), "members|states");
    // A window from v2 never credits v2 or earlier.
    let s = ws.json(&["since", SLUG, "v2", "--format", "json"]);
    assert_eq!(credit(&s, "32 states backed"), (4, vec![4]));
    // Blame: the wording came with v4, after one earlier edit.
    let b = ws.json(&["blame", SLUG, "--format", "json"]);
    assert_eq!(blamed(&b, "32 states"), (4, 2));
    assert_eq!(blamed(&b, "Riyadh"), (1, 0));
}

#[test]
fn a_punctuation_fix_never_takes_the_credit_for_a_rewrite() {
    let ws = history(&[
        (
            &format!("{OTHER}\n\nThe envoy will travel to Moscow next week.\n"),
            "v1",
            false,
        ),
        (
            &format!("{OTHER}\n\nThe envoy has cancelled his trip to Moscow, officials said\n"),
            "rewrite",
            false,
        ),
        (
            &format!("{OTHER}\n\nThe envoy has cancelled his trip to Moscow, officials said.\n"),
            "Punctuation",
            true,
        ),
    ]);
    let s = ws.json(&["since", SLUG, "v1", "--format", "json"]);
    let (version, credits) = credit(&s, "cancelled his trip");
    assert_eq!(version, 2);
    assert_eq!(credits, vec![2, 3], "the fix is listed, after the rewrite");
    let b = ws.json(&["blame", SLUG, "--format", "json"]);
    assert_eq!(blamed(&b, "cancelled his trip").0, 2);
}

#[test]
fn split_and_merge_credit_the_update_that_brought_the_words() {
    let long = "Mr Trump and Mr Zelenskyy were expected to sign the agreement on 28 February, but the meeting ended early.";
    let split = "Mr Trump and Mr Zelenskyy were expected to sign the agreement on 28 February. The meeting ended early, though talks may resume.";
    let ws = history(&[
        (&format!("{OTHER}\n"), "v1", false),
        (&format!("{OTHER} {long}\n"), "signing", false),
        (&format!("{OTHER} {split}\n"), "split", false),
    ]);
    let s = ws.json(&["since", SLUG, "v1", "--format", "json"]);
    assert_eq!(credit(&s, "on 28 February.").0, 2, "its words came with v2");
    assert_eq!(credit(&s, "though talks may resume").0, 3);
    // Merged: two sentences joined with new words credit the join.
    let ws = history(&[
        (
            "The summit opened in London. Leaders met the king.\n",
            "v1",
            false,
        ),
        (
            "The summit opened in London, where leaders later met the king.\n",
            "joined",
            false,
        ),
    ]);
    let h = ws.json(&["history", SLUG, "summit opened", "--format", "json"]);
    let steps = h["sentences"][0]["steps"].as_array().unwrap();
    let changes: Vec<&str> = steps
        .iter()
        .map(|s| s["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, vec!["added", "merged"]);
    let b = ws.json(&["blame", SLUG, "--format", "json"]);
    assert_eq!(blamed(&b, "where leaders later"), (2, 1));
}

#[test]
fn a_sentence_removed_then_restored_is_credited_to_the_restoring_update() {
    let claim = "Mr Rubio said talks would continue in Riyadh next month.";
    let ws = history(&[
        (&format!("{OTHER}\n"), "v1", false),
        (&format!("{OTHER} {claim}\n"), "claim", false),
        (&format!("{OTHER}\n"), "withdrawn", false),
        (&format!("{OTHER} {claim}\n"), "restored", false),
    ]);
    let s = ws.json(&["since", SLUG, "v1", "--format", "json"]);
    assert_eq!(credit(&s, "Mr Rubio said").0, 4);
    let b = ws.json(&["blame", SLUG, "--format", "json"]);
    assert_eq!(blamed(&b, "Mr Rubio said").0, 4);
    let h = ws.json(&["history", SLUG, "Rubio said talks", "--format", "json"]);
    let sentences = h["sentences"].as_array().unwrap();
    assert_eq!(sentences.len(), 1, "one sentence, both lives: {h:#}");
    let steps: Vec<(u64, &str)> = sentences[0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["version"]["number"].as_u64().unwrap(),
                s["change"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(steps, vec![(2, "added"), (3, "removed"), (4, "restored")]);
    // And the text form names each update's note.
    let text = ws.stdout(&["history", SLUG, "Rubio said talks"]);
    assert!(text.contains("v3, 3 February 2025, Ed: removed"), "{text}");
    assert!(text.contains("(withdrawn)"), "{text}");
}

#[test]
fn moves_across_sections_keep_the_credit_and_show_in_history() {
    let moved = "Aid shipments were paused for review on 3 March by the White House.";
    let ws = history(&[
        (
            &format!("## Talks\n\n{OTHER} {moved}\n\n## Aid\n\nAid continues.\n"),
            "v1",
            false,
        ),
        (
            &format!("## Talks\n\n{OTHER}\n\n## Aid\n\nAid continues. {moved}\n"),
            "moved",
            false,
        ),
        (
            &format!("## Talks\n\n{OTHER} Talks went on.\n\n## Aid\n\nAid continues. {moved}\n"),
            "more",
            false,
        ),
    ]);
    let b = ws.json(&["blame", SLUG, "--format", "json"]);
    assert_eq!(
        blamed(&b, "Aid shipments"),
        (1, 0),
        "a move is no new wording"
    );
    let h = ws.json(&["history", SLUG, "shipments were paused", "--format", "json"]);
    let steps = h["sentences"][0]["steps"].as_array().unwrap();
    let got: Vec<(&str, &str)> = steps
        .iter()
        .map(|s| {
            (
                s["change"].as_str().unwrap(),
                s["section"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(got, vec![("added", "Talks"), ("moved", "Aid")]);
}

#[test]
fn history_errors_on_no_match_and_shows_each_match() {
    let ws = history(&[
        ("The talks began. The talks ended in March.\n", "v1", false),
        (
            "The talks began on Monday. The talks ended in March.\n",
            "dated",
            false,
        ),
    ]);
    ws.redline(&["history", SLUG, "no such words"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no sentence in any version contains \"no such words\"",
        ));
    let h = ws.json(&["history", SLUG, "the talks", "--format", "json"]);
    assert_eq!(h["sentences"].as_array().unwrap().len(), 2, "{h:#}");
    let html = ws.stdout(&["history", SLUG, "talks began", "--format", "html"]);
    assert!(html.contains("<del>") || html.contains("<ins>"), "{html}");
}

#[test]
fn the_cache_is_checked_against_the_history_and_extended() {
    let ws = history(&[
        ("The talks began.\n", "v1", false),
        ("The talks began on Monday.\n", "dated", false),
    ]);
    let first = ws.stdout(&["blame", SLUG, "--format", "json"]);
    let cache = ws
        .store()
        .join("redline-timeline")
        .join(format!("{SLUG}.bin"));
    assert!(cache.exists());
    // A damaged cache (cut short, or not a cache at all) is rebuilt, not trusted.
    let good = std::fs::read(&cache).unwrap();
    for damaged in [
        &good[..good.len() / 2],
        b"{\"format\":1,\"versions\":[]}".as_slice(),
    ] {
        std::fs::write(&cache, damaged).unwrap();
        assert_eq!(ws.stdout(&["blame", SLUG, "--format", "json"]), first);
        assert_eq!(std::fs::read(&cache).unwrap(), good);
    }
    // A new update extends it.
    let file = ws.write(
        "v3.md",
        "# Synthetic talks\n\nThe talks began on Monday in Riyadh.\n",
    );
    ws.commit(
        SLUG,
        &file,
        &["--note", "place", "--updated", "2025-02-03T12:00:00Z"],
    )
    .assert()
    .success();
    let b = ws.json(&["blame", SLUG, "--format", "json"]);
    assert_eq!(blamed(&b, "in Riyadh"), (3, 2));
    let cached: redline::blame::SentenceTimeline =
        postcard::from_bytes(&std::fs::read(&cache).unwrap()).unwrap();
    assert_eq!(cached.versions.len(), 3);
}

#[test]
fn demo_blame_and_history() {
    let ws = Workspace::new();
    ws.import_demo();
    let demo = "fullfact-ukraine-peace-talks";
    let b = ws.json(&["blame", demo, "--format", "json"]);
    assert_eq!(blamed(&b, "one-month truce").0, 4);
    let minerals: Vec<u64> = b["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| {
            s["section"]
                .as_str()
                .is_some_and(|h| h.contains("minerals"))
        })
        .map(|s| s["changed_in"]["number"].as_u64().unwrap())
        .collect();
    assert!(minerals.len() >= 5, "{minerals:?}");
    // The section came with v3; v4 added its last paragraphs.
    assert_eq!(
        minerals.iter().filter(|v| **v == 3).count(),
        minerals.len() - minerals.iter().filter(|v| **v == 4).count()
    );
    assert_eq!(minerals.first(), Some(&3));
    let text = ws.stdout(&["history", demo, "one-month truce"]);
    assert!(
        text.contains("v4, 4 March 2025, Demo Editor: added"),
        "{text}"
    );
    let html = ws.stdout(&["blame", demo, "--format", "html"]);
    assert!(html.contains("last changed"), "{html}");
}

#[test]
fn the_site_has_a_blame_page_of_the_newest_version_linking_to_diffs() {
    let ws = Workspace::new();
    ws.import_demo();
    let (out, _) = ws.build_site();
    let page =
        std::fs::read_to_string(out.join("fullfact-ukraine-peace-talks/blame/v4.html")).unwrap();
    assert!(page.contains("href=\"../diff/v4.html\""), "{page}");
    assert!(page.contains("href=\"../diff/v3.html\""), "{page}");
    assert!(page.contains("last changed"), "{page}");
    let home =
        std::fs::read_to_string(out.join("fullfact-ukraine-peace-talks/index.html")).unwrap();
    assert!(
        home.contains("href=\"blame/v4.html\">who changed what</a>"),
        "{home}"
    );
    // Every diff page it links to exists.
    for v in ["v2", "v3", "v4"] {
        if page.contains(&format!("../diff/{v}.html")) {
            assert!(out
                .join(format!("fullfact-ukraine-peace-talks/diff/{v}.html"))
                .exists());
        }
    }
}
