//! `since` over real git stores: the demo Full Fact history (imported from
//! `snapshots/`) and small synthetic histories.

use std::path::Path;

use chrono::DateTime;
use tempfile::TempDir;

use super::*;
use crate::import;
use crate::ingest::Rules;
use crate::model::{Document, DocumentMeta, UpdateKind, VersionRef};
use crate::store::{Store, UpdateRequest};

const FULL_FACT: &str = "fullfact-ukraine-peace-talks";
const TALKS: &str = "What talks have taken place and who is involved?";
const TRUCE: &str = "Following the summit Mr Macron said France and the UK had proposed a one-month truce “in the air, at sea and on energy infrastructure”—however the UK government later said “no agreement” on this had been reached.";

fn demo_store() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("demo.git")).unwrap();
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    let files = import::read_dir(&snapshots).unwrap();
    import::import(&store, files.as_slice(), &Rules::shipped(), &|_, _| {}).unwrap();
    (dir, store)
}

/// `redline since` as the CLI runs it: the store reads the window, the summary
/// is computed from it, with no wall-clock deadline (deterministic output).
fn since_in(
    store: &Store,
    slug: &Slug,
    when: &VersionRef,
    until: Option<&VersionRef>,
) -> Result<Summary> {
    let unbounded = DiffOptions {
        deadline: std::time::Duration::MAX,
    };
    since(&store.window(slug, when, until)?, &unbounded)
}

fn slug(s: &str) -> Slug {
    Slug::new(s).unwrap()
}

fn at(s: &str) -> VersionRef {
    s.parse().unwrap()
}

fn day(v: &Version) -> String {
    v.updated.format("%Y-%m-%d").to_string()
}

#[test]
fn since_first_march_leads_with_the_contested_truce() {
    let (_dir, store) = demo_store();
    let s = since_in(&store, &slug(FULL_FACT), &at("2025-03-01"), None).unwrap();
    // At 00:00 on 1 March the 25 February version was current.
    assert_eq!(day(&s.base), "2025-02-25");
    assert_eq!(day(&s.head), "2025-03-04");
    assert_eq!(
        s.updates.iter().map(day).collect::<Vec<_>>(),
        vec!["2025-03-01", "2025-03-04"]
    );
    assert!(s.updates.iter().all(|u| !u.note.is_empty()));
    assert!(s.title.starts_with("Ukraine peace talks explained"));

    let first = s.highlights.first().unwrap();
    assert_eq!(first.kind, HighlightKind::ContestedClaim);
    assert_eq!(first.text, TRUCE);
    assert_eq!(first.speakers, vec!["Mr Macron", "the UK government"]);
    assert_eq!(first.claimant, vec!["Mr Macron"]);
    assert_eq!(first.disputed_by, vec!["the UK government"]);
    assert_eq!((first.rank, first.change), (1, ChangeKind::Added));
    assert_eq!(first.section.as_deref(), Some(TALKS));
    // The timestamp line is furniture and the added clause an edit: no correction.
    assert!(
        !s.highlights
            .iter()
            .any(|h| h.kind == HighlightKind::Correction),
        "{:?}",
        s.highlights
    );
    assert!(!s
        .highlights
        .iter()
        .any(|h| h.text.contains("last updated at")));
    assert_eq!(day(&first.version), "2025-03-04");
    assert_eq!(first.version, s.head);

    // The same update's "any time" statement is a claim of the 4 March update,
    // and the minerals section a new section of the 1 March update.
    let any_time = s
        .highlights
        .iter()
        .find(|h| h.text.contains("“any time”"))
        .unwrap();
    assert_eq!(any_time.kind, HighlightKind::Claim);
    assert_eq!(day(&any_time.version), "2025-03-04");
    let minerals = s
        .highlights
        .iter()
        .find(|h| h.kind == HighlightKind::NewSection)
        .unwrap();
    assert_eq!(
        minerals.text,
        "What have the US and Ukraine agreed on minerals?"
    );
    assert_eq!(day(&minerals.version), "2025-03-01");
    // Ranked: classes never go backwards.
    assert!(s.highlights.windows(2).all(|w| w[0].kind <= w[1].kind));
    // Every highlight quotes the head (or, for removals, the base) verbatim.
    for h in &s.highlights {
        assert!(
            h.text.split_whitespace().count() > 0 && !h.text.contains("  "),
            "{h:?}"
        );
    }
    // The 1 March wordings that 4 March rewrote were superseded, not withdrawn.
    assert!(s.withdrawn.is_empty(), "{:?}", s.withdrawn);
}

#[test]
fn since_twentieth_february_lists_every_update_with_its_additions() {
    let (_dir, store) = demo_store();
    let history = store.history(&slug(FULL_FACT)).unwrap();
    let s = since_in(&store, &slug(FULL_FACT), &at("2025-02-20"), None).unwrap();
    assert_eq!(s.base, history[0]);
    assert_eq!(s.updates, history[1..].to_vec());
    assert_eq!(
        s.updates.iter().map(day).collect::<Vec<_>>(),
        vec!["2025-02-25", "2025-03-01", "2025-03-04"]
    );
    // Each major update introduced at least one highlight.
    for update in &s.updates {
        assert!(
            s.highlights.iter().any(|h| h.version == *update),
            "no highlight for {} ({})",
            update.label(),
            update.note
        );
    }
    let dictator = s
        .highlights
        .iter()
        .find(|h| h.text.contains("“dictator without elections”"))
        .unwrap();
    assert_eq!(dictator.kind, HighlightKind::Claim);
    assert_eq!(dictator.speakers, vec!["Mr Trump"]);
    assert_eq!(day(&dictator.version), "2025-02-25");
    let truce = s.highlights.first().unwrap();
    assert_eq!(
        (truce.kind, truce.text.as_str()),
        (HighlightKind::ContestedClaim, TRUCE)
    );
    assert_eq!(day(&truce.version), "2025-03-04");
}

#[test]
fn version_references_and_window_errors() {
    let (_dir, store) = demo_store();
    let ff = slug(FULL_FACT);
    let history = store.history(&ff).unwrap();
    // vN and a commit prefix name the base directly; `until` bounds the head.
    let s = since_in(
        &store,
        &ff,
        &VersionRef::Number(2),
        Some(&VersionRef::Number(3)),
    )
    .unwrap();
    assert_eq!((s.base.number, s.head.number), (2, 3));
    assert_eq!(s.updates, vec![history[2].clone()]);
    assert!(s.highlights.iter().all(|h| h.version.number == 3));
    assert!(!s.highlights.iter().any(|h| h.text == TRUCE));
    let prefix = VersionRef::Commit(history[2].id[..8].to_string());
    assert_eq!(since_in(&store, &ff, &prefix, None).unwrap().base.number, 3);
    // Before the first version: counted from v1.
    let s = since_in(&store, &ff, &at("2024-01-01"), None).unwrap();
    assert_eq!(s.base.number, 1);
    assert_eq!(s.updates.len(), history.len() - 1);
    // Base is head: nothing changed.
    let s = since_in(&store, &ff, &VersionRef::Latest, None).unwrap();
    assert!(s.updates.is_empty() && s.highlights.is_empty() && s.withdrawn.is_empty());
    // An end before the start, an unknown version, an unknown explainer.
    assert!(matches!(
        since_in(
            &store,
            &ff,
            &VersionRef::Number(3),
            Some(&VersionRef::Number(2))
        ),
        Err(Error::BadInput {
            field: "window",
            ..
        })
    ));
    assert!(matches!(
        since_in(&store, &ff, &VersionRef::Number(9), None),
        Err(Error::NoSuchVersion { .. })
    ));
    assert!(matches!(
        since_in(
            &store,
            &slug("no-such-explainer"),
            &VersionRef::Latest,
            None
        ),
        Err(Error::UnknownExplainer(_))
    ));
}

/// A store with one explainer whose versions have the given bodies, one day apart.
fn synthetic(bodies: &[&str]) -> (TempDir, Store, Slug) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("s.git")).unwrap();
    let slug = slug("talks");
    for (n, body) in bodies.iter().enumerate() {
        let updated = DateTime::parse_from_rfc3339("2025-02-01T12:00:00Z").unwrap()
            + chrono::Duration::days(n as i64);
        let meta = DocumentMeta {
            title: "Talks".into(),
            updated: Some(updated),
            ..DocumentMeta::default()
        };
        let request = UpdateRequest {
            editor: "Test Editor".into(),
            updated,
            note: format!("Update {}", n + 1),
            kind: UpdateKind::Major,
            expect: None,
        };
        store
            .commit(&slug, &Document::new(meta, body.to_string()), &request)
            .unwrap();
    }
    (dir, store, slug)
}

const V1: &str = "Lead sentence.\n\n## Talks\n\nThe talks began on 12 February.\n";
const V2: &str = "Lead sentence.\n\n## Talks\n\nThe talks began on 12 February.\n\nMr Lavrov said the deal was done.\n";
const V3: &str = "Lead sentence.\n\n## Talks\n\nThe talks began on 18 February.\n";
const V4: &str = "Lead sentence.\n\n## Talks\n\nThe talks began on 18 February.\n\nMr Rubio said talks would continue in Riyadh.\n";

#[test]
fn sentence_added_then_removed_is_withdrawn() {
    let (_dir, store, slug) = synthetic(&[V1, V2, V3, V4]);
    let s = since_in(&store, &slug, &VersionRef::Number(1), None).unwrap();
    assert_eq!(s.withdrawn.len(), 1, "{:?}", s.withdrawn);
    let w = &s.withdrawn[0];
    assert_eq!(w.text, "Mr Lavrov said the deal was done.");
    assert_eq!(w.section.as_deref(), Some("Talks"));
    assert_eq!((w.added_in.number, w.removed_in.number), (2, 3));
    // The net change knows nothing of it; the highlights name who did what, when.
    let rubio = s
        .highlights
        .iter()
        .find(|h| h.text.starts_with("Mr Rubio"))
        .unwrap();
    assert_eq!(
        (rubio.kind, rubio.version.number),
        (HighlightKind::Claim, 4)
    );
    let fix = s
        .highlights
        .iter()
        .find(|h| h.kind == HighlightKind::Correction)
        .unwrap();
    assert_eq!(fix.text, "The talks began on 18 February.");
    assert_eq!(fix.version.number, 3);
    assert!(!fix.words.is_empty());
    // Until v3: still withdrawn (gone again by the head).
    let s = since_in(
        &store,
        &slug,
        &VersionRef::Number(1),
        Some(&VersionRef::Number(3)),
    )
    .unwrap();
    assert_eq!(s.withdrawn.len(), 1);
    assert_eq!(s.withdrawn[0].removed_in.number, 3);
}

#[test]
fn introduced_by_is_the_last_arrival_not_the_first() {
    // Added in v2, removed in v3, added again in v4: v4 introduced what the reader sees.
    let claim = "Mr Rubio said talks would continue in Riyadh.";
    let with = format!("Lead sentence.\n\n## Talks\n\n{claim}\n");
    let without = "Lead sentence.\n\n## Talks\n\nNothing yet.\n";
    let (_dir, store, slug) = synthetic(&[without, &with, without, &with, &with]);
    let s = since_in(&store, &slug, &VersionRef::Number(1), None).unwrap();
    let h = s.highlights.iter().find(|h| h.text == claim).unwrap();
    assert_eq!(h.version.number, 4);
    // It is in the head, so it is no withdrawn change, though it came and went once.
    assert!(s.withdrawn.is_empty(), "{:?}", s.withdrawn);
    // A removal is introduced by the update after which it stays gone.
    let s = since_in(
        &store,
        &slug,
        &VersionRef::Number(2),
        Some(&VersionRef::Number(3)),
    )
    .unwrap();
    let gone = s.highlights.iter().find(|h| h.text == claim).unwrap();
    assert_eq!(
        (gone.kind, gone.version.number),
        (HighlightKind::RemovedClaim, 3)
    );
}
#[test]
fn reverted_edit_is_withdrawn_but_a_kept_rewording_is_not() {
    let base = "## Troops\n\nThe plan could involve up to 30,000 European troops.\n";
    let bumped = "## Troops\n\nThe plan could involve up to 50,000 European troops.\n";
    let reworded = "## Troops\n\nThe plan could involve as many as 30,000 troops from Europe.\n";
    // 50,000 came and went (the edit was reverted to the base wording).
    let (_dir, store, slug) = synthetic(&[base, bumped, base]);
    let s = since_in(&store, &slug, &VersionRef::Number(1), None).unwrap();
    assert_eq!(s.withdrawn.len(), 1, "{:?}", s.withdrawn);
    assert_eq!(
        s.withdrawn[0].text,
        "The plan could involve up to 50,000 European troops."
    );
    assert_eq!(s.withdrawn[0].section.as_deref(), Some("Troops"));
    assert_eq!(
        (
            s.withdrawn[0].added_in.number,
            s.withdrawn[0].removed_in.number
        ),
        (2, 3)
    );
    assert!(s.highlights.is_empty());
    // 50,000 rewritten into the head's wording: superseded, shown by the net change.
    let (_dir, store, slug) = synthetic(&[base, bumped, reworded]);
    let s = since_in(&store, &slug, &VersionRef::Number(1), None).unwrap();
    assert!(s.withdrawn.is_empty(), "{:?}", s.withdrawn);
    assert_eq!(s.highlights.len(), 1);
    assert_eq!(s.highlights[0].version.number, 3);
}

#[test]
fn a_long_window_lists_each_withdrawn_sentence_with_its_own_updates_in_order() {
    // A long window (40 versions): the sentence timeline keeps window order.
    let mut bodies: Vec<String> = Vec::new();
    for n in 0..40 {
        let mut body = String::from("## Talks\n\nThe talks began.\n");
        if n % 10 == 5 {
            body.push_str(&format!("\nMr Lavrov said round {n} went well.\n"));
        }
        body.push_str(&format!("\nThis explainer was updated {} times.\n", n % 3));
        bodies.push(body);
    }
    let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
    let (_dir, store, slug) = synthetic(&refs);
    let s = since_in(&store, &slug, &VersionRef::Number(1), None).unwrap();
    let spans: Vec<(usize, usize)> = s
        .withdrawn
        .iter()
        .filter(|w| w.text.starts_with("Mr Lavrov"))
        .map(|w| (w.added_in.number, w.removed_in.number))
        .collect();
    assert_eq!(spans, vec![(6, 7), (16, 17), (26, 27), (36, 37)]);
    assert_eq!(s.updates.len(), 39);
}

#[test]
fn a_removed_copy_of_a_repeated_sentence_credits_the_update_that_removed_it() {
    // Synthetic, shaped like shared-storage-explainer v75→v76: a sentence that
    // stood in two paragraphs loses one copy; a later update changes something else.
    let both = "## Permissions\n\nMethods can be disallowed by a policy. Its default allowlist is every origin.\n\nThe select method can be disallowed by another policy. Its default allowlist is every origin.\n\nThe end.\n";
    let one = "## Permissions\n\nMethods can be disallowed by a policy. Its default allowlist is every origin.\n\nThe select method can be disallowed by another policy.\n\nThe end.\n";
    let later = "## Permissions\n\nMethods can be disallowed by a policy. Its default allowlist is every origin.\n\nThe select method can be disallowed by another policy.\n\nThe end, for now.\n";
    let (_dir, store, slug) = synthetic(&[both, one, later]);
    let s = since_in(&store, &slug, &VersionRef::Number(1), None).unwrap();
    let gone = s
        .highlights
        .iter()
        .find(|h| h.text == "Its default allowlist is every origin.")
        .expect("the removed copy is a highlight");
    assert_eq!(gone.change, ChangeKind::Removed);
    assert_eq!(gone.version.number, 2, "{:?}", gone.credits);
}

#[test]
fn a_section_renamed_then_removed_credits_both_updates() {
    // Synthetic, shaped like jekyll-permalinks v22 (headings extended) and v30 (sections removed).
    let base = "Intro sentence.\n\n## Template variables\n\nUse the variables below in a permalink.\n\n## Other\n\nMore text here.\n";
    let renamed = "Intro sentence.\n\n## Template variables for permalinks\n\nUse the variables below in a permalink.\n\n## Other\n\nMore text here.\n";
    let removed = "Intro sentence.\n\n## Other\n\nMore text here.\n";
    let (_dir, store, slug) = synthetic(&[base, renamed, removed]);
    let s = since_in(&store, &slug, &VersionRef::Number(1), None).unwrap();
    let section = s
        .highlights
        .iter()
        .find(|h| h.text == "Template variables")
        .expect("the removed section is a highlight");
    assert_eq!(section.change, ChangeKind::Removed);
    assert_eq!(section.version.number, 3);
    assert_eq!(
        section
            .credits
            .iter()
            .map(|c| (c.version.number, c.change))
            .collect::<Vec<_>>(),
        vec![
            (2, crate::blame::CreditChange::Edited),
            (3, crate::blame::CreditChange::Removed)
        ]
    );
}

#[test]
fn cosmetic_changes_are_minor_not_highlights() {
    // Synthetic: a spelling fix and a new sentence in one update.
    let base = "## Deal\n\nSo far the sides have agreed on a prisoner exhange.\n";
    let head = "## Deal\n\nSo far the sides have agreed on a prisoner exchange.\n\nTalks resume in Geneva on 4 May.\n";
    let (_dir, store, slug) = synthetic(&[base, base, head]);
    let s = since_in(&store, &slug, &VersionRef::Number(1), None).unwrap();
    assert_eq!(s.highlights.len(), 1, "{:?}", s.highlights);
    assert_eq!(s.highlights[0].text, "Talks resume in Geneva on 4 May.");
    assert_eq!(s.minor.len(), 1);
    assert_eq!(s.minor[0].kind, HighlightKind::Cosmetic);
    assert_eq!(
        (s.minor[0].rank, s.minor[0].version.number),
        (1, s.head.number)
    );
    let view = crate::render::summary_text(&s, false).unwrap();
    assert!(
        view.contains("1 minor change (spelling), never highlights"),
        "{view}"
    );
}

/// `since` is a pure function of its window: the store's window and the same
/// versions held in memory (documents read by hand, timeline built from them)
/// give the same summary, and so does a second call (no clock in the output
/// when the options set no deadline).
#[test]
fn since_is_a_pure_function_of_the_window() {
    let (_dir, store) = demo_store();
    let ff = slug(FULL_FACT);
    let unbounded = DiffOptions {
        deadline: std::time::Duration::MAX,
    };
    let window = store.window(&ff, &at("2025-02-20"), None).unwrap();
    assert!(window.sentences.is_some() && window.versions.len() > 2);
    let from_store = serde_json::to_value(since(&window, &unbounded).unwrap()).unwrap();
    assert_eq!(
        serde_json::to_value(since(&window, &unbounded).unwrap()).unwrap(),
        from_store
    );
    let history = store.history(&ff).unwrap();
    let first = history
        .iter()
        .position(|v| v.id == window.versions[0].id)
        .unwrap();
    let versions = &history[first..];
    let documents: Vec<Document> = versions
        .iter()
        .map(|v| store.document(&ff, v).unwrap())
        .collect();
    let sentences = crate::blame::from_documents(&ff, &history, &{
        history
            .iter()
            .map(|v| store.document(&ff, v).unwrap())
            .collect::<Vec<_>>()
    });
    let in_memory = summarize_with(&ff, versions, &documents, Some(&sentences), &unbounded)
        .map(|s| Summary {
            asked: window.asked,
            ..s
        })
        .unwrap();
    assert_eq!(serde_json::to_value(in_memory).unwrap(), from_store);
    // A window of many versions without its timeline is refused, not guessed.
    let bare = Window {
        sentences: None,
        ..window
    };
    assert!(matches!(since(&bare, &unbounded), Err(Error::Internal(_))));
}

/// The window's edges: a time before v1 starts at v1 (and says what was
/// asked), `until` before `when` is refused, a window of one update carries
/// no timeline.
#[test]
fn the_store_reads_a_window_in_one_call() {
    let (_dir, store) = demo_store();
    let ff = slug(FULL_FACT);
    let early = store.window(&ff, &at("2020-01-01"), None).unwrap();
    assert_eq!(early.versions[0].number, 1);
    assert_eq!(early.asked, Some("2020-01-01T00:00:00Z".parse().unwrap()));
    assert_eq!(
        early.head.body,
        store
            .document(&ff, store.history(&ff).unwrap().last().unwrap())
            .unwrap()
            .body
    );
    let one = store
        .window(&ff, &VersionRef::Number(2), Some(&VersionRef::Number(3)))
        .unwrap();
    assert_eq!(one.versions.len(), 2);
    assert!(one.sentences.is_none());
    let backwards = store.window(&ff, &VersionRef::Number(3), Some(&VersionRef::Number(2)));
    assert!(matches!(backwards, Err(Error::BadInput { .. })));
}
