//! End-to-end tests of `redline since` as readers get it: direction of every
//! highlight in every format and in the site, short text on long windows, the
//! demo's contested truce with its roles. Fixtures: the demo snapshots (one
//! copy edited to remove a sentence, said where) and synthetic histories.

use crate::support::{files_with_extension, repo_path, Workspace};

const FF: &str = "fullfact-ukraine-peace-talks";
const TRUCE: &str = "Following the summit Mr Macron said France and the UK had proposed a one-month truce “in the air, at sea and on energy infrastructure”—however the UK government later said “no agreement” on this had been reached.";
const NO_TRUCE: &str = "No truce has been proposed.";

fn json(ws: &Workspace, args: &[&str]) -> serde_json::Value {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    ws.json(&args)
}

#[test]
fn demo_since_first_march_leads_with_the_truce_and_its_roles() {
    let ws = Workspace::new();
    ws.import_demo();
    let text = ws.stdout(&["since", FF, "2025-03-01"]);
    let first = text
        .split("\n1. ")
        .nth(1)
        .unwrap()
        .split("\n2. ")
        .next()
        .unwrap();
    assert!(first.contains(TRUCE), "{first}");
    assert!(
        first.contains("Claimed by Mr Macron; disputed by the UK government"),
        "{first}"
    );
    let s = json(&ws, &["since", FF, "2025-03-01"]);
    let highlights = s["highlights"].as_array().unwrap();
    assert_eq!(highlights[0]["claimant"], serde_json::json!(["Mr Macron"]));
    assert_eq!(
        highlights[0]["disputed_by"],
        serde_json::json!(["the UK government"])
    );
    // The timestamp line is furniture, the added clause an edit: neither a correction.
    for h in highlights {
        let t = h["text"].as_str().unwrap();
        assert!(
            !t.contains("last updated at"),
            "furniture as a highlight: {h}"
        );
        if t.contains("a very public breakdown in relations") {
            assert_eq!(h["kind"], "other", "{h}");
            assert_eq!(h["change"], "edited", "{h}");
        }
        assert!(h["rank"].as_u64().is_some() && h["score"]["class"] == h["kind"]);
    }
    assert!(!text.contains("Correction"), "{text}");
}

/// The demo snapshots with "No truce has been proposed." added to the first
/// two versions (after the Lavrov sentence), so the 1 March update removes it.
fn demo_with_a_removal(ws: &Workspace) {
    let dir = ws.dir.path().join("import");
    for entry in files_with_extension(&repo_path("snapshots"), "txt") {
        let relative = entry.strip_prefix(repo_path("snapshots")).unwrap();
        let target = dir.join(relative);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        let mut text = std::fs::read_to_string(&entry).unwrap();
        let name = relative.to_string_lossy();
        if name.ends_with("2025-02-19.txt") || name.ends_with("2025-02-25.txt") {
            let anchor = "will be initiated shortly”.";
            assert!(text.contains(anchor), "{name}");
            text = text.replacen(anchor, &format!("{anchor} {NO_TRUCE}"), 1);
        }
        std::fs::write(target, text).unwrap();
    }
    ws.redline(&["import", dir.to_str().unwrap()])
        .assert()
        .success();
}

#[test]
fn a_removed_sentence_is_removed_in_text_json_html_and_site() {
    let ws = Workspace::new();
    demo_with_a_removal(&ws);
    let s = json(&ws, &["since", FF, "2025-02-20"]);
    let gone: Vec<&serde_json::Value> = s["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["text"] == NO_TRUCE)
        .collect();
    assert_eq!(gone.len(), 1, "{s}");
    assert_eq!(gone[0]["change"], "removed");
    assert_eq!(gone[0]["version"]["number"], 3);

    let all = ws.stdout(&["since", FF, "2025-02-20", "--all"]);
    let item = all
        .split(&format!("\"[-{NO_TRUCE}-]\""))
        .nth(1)
        .expect("the removed sentence, struck, in the text");
    assert!(
        item.trim_start()
            .starts_with("Removed in the update of 1 March 2025 (v3)"),
        "{all}"
    );
    assert!(all.contains(&format!("   - \"[-{NO_TRUCE}-]\"")), "{all}");
    assert!(!all.contains(&format!("+ \"{NO_TRUCE}\"")), "{all}");

    let html = ws.stdout(&["since", FF, "2025-02-20", "--format", "html"]);
    assert!(html.contains(&format!("<del>{NO_TRUCE}</del>")), "{html}");
    let md = ws.stdout(&["since", FF, "2025-02-20", "--format", "markdown", "--all"]);
    assert!(md.contains(&format!("<del>{NO_TRUCE}</del>")), "{md}");

    let (out, _) = ws.build_site();
    let page = std::fs::read_to_string(out.join(FF).join("since/2025-02-25.html")).unwrap();
    let item = page
        .split("<li class=\"highlight ")
        .find(|li| li.contains(NO_TRUCE))
        .expect("the removal is a highlight of the since page");
    assert!(item.contains(" removed\""), "{item}");
    assert!(item.contains(&format!("<del>{NO_TRUCE}</del>")), "{item}");
    assert!(item.contains("Removed in the update of"), "{item}");
}

#[test]
fn a_long_window_fits_one_screen_and_json_keeps_everything() {
    // Synthetic history: 30 updates, each adding a section of five sentences
    // and the same boilerplate sentence, and editing a figure in the lead.
    let ws = Workspace::new();
    let boilerplate = "This section does not currently contain information on probable deaths.";
    let mut body = String::from("The count stands at 100 cases.\n");
    for n in 1..=30 {
        body = body.replace(
            &format!("at {} cases", 100 + n - 1),
            &format!("at {} cases", 100 + n),
        );
        body.push_str(&format!("\n## Section {n}\n\n"));
        for k in 1..=5 {
            body.push_str(&format!(
                "Finding {k} of part {n} was reviewed by the panel. "
            ));
        }
        body.push_str(&format!("{boilerplate}\n"));
        let file = ws.write(
            &format!("v{n}.md"),
            format!("+++\ntitle = \"Long\"\nupdated = 2024-01-{n:02}T10:00:00Z\n+++\n{body}"),
        );
        ws.commit(
            "long",
            &file,
            &["--note", &format!("Update {n}.\nSecond line of the note.")],
        )
        .assert()
        .success();
    }
    let text = ws.stdout(&["since", "long", "v1"]);
    assert!(
        text.lines().count() <= 80,
        "{} lines:\n{text}",
        text.lines().count()
    );
    assert!(text.contains("Highlights (10 of "), "{text}");
    assert!(text.contains("earlier updates, then:"), "{text}");
    assert!(text.contains("more changes in 24 other sections"), "{text}");
    let all = ws.stdout(&["since", "long", "v1", "--all"]);
    assert!(all.lines().count() > 80);
    let s = json(&ws, &["since", "long", "v1"]);
    let highlights = s["highlights"].as_array().unwrap();
    assert!(highlights.len() > 10);
    for (i, h) in highlights.iter().enumerate() {
        assert_eq!(h["rank"], i + 1);
        assert!(["added", "removed", "edited", "moved"].contains(&h["change"].as_str().unwrap()));
        assert!(h["score"]["evidence"].is_array());
    }
    // The repeated sentence is one highlight naming every other section.
    let repeated: Vec<&serde_json::Value> = highlights
        .iter()
        .filter(|h| h["text"] == boilerplate)
        .collect();
    assert_eq!(repeated.len(), 1);
    assert_eq!(repeated[0]["also_in"].as_array().unwrap().len(), 28);
}
