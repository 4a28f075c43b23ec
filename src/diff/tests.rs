//! Diff engine tests: synthetic fixtures (tests/fixtures/diff), the demo pair,
//! pathological inputs and lossless round-trip properties.

use std::time::Duration;

use proptest::prelude::*;

use super::testing::word_diff as show;
use super::*;
use crate::model::DocumentMeta;

fn doc(body: &str) -> Document {
    Document::new(DocumentMeta::default(), body.to_string())
}

fn fixture(case: &str) -> (Document, Document) {
    let dir = format!("{}/tests/fixtures/diff/{case}", env!("CARGO_MANIFEST_DIR"));
    let read = |name: &str| std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
    (doc(&read("old.md")), doc(&read("new.md")))
}

/// The span list rebuilds both bodies exactly, in order, with neighbours merged.
fn assert_lossless(old: &Document, new: &Document, set: &ChangeSet) {
    assert_eq!(set.old_text(), old.body, "old body not rebuilt");
    assert_eq!(set.new_text(), new.body, "new body not rebuilt");
    for w in set.spans.windows(2) {
        assert!(w[0].op != w[1].op, "unmerged neighbours: {:?}", w);
        assert!(
            !(w[0].op == SpanOp::Insert && w[1].op == SpanOp::Delete),
            "insert before delete"
        );
    }
    assert!(set.spans.iter().all(|s| !s.text.is_empty()));
}

fn diff_checked(old: &Document, new: &Document) -> ChangeSet {
    let set = diff(old, new);
    assert_lossless(old, new, &set);
    set
}

/// Diff with a deadline, checking the answer is lossless however coarse.
fn diff_checked_within(old: &Document, new: &Document, deadline: Duration) -> ChangeSet {
    let set = diff_with(old, new, &DiffOptions { deadline });
    assert_lossless(old, new, &set);
    set
}

#[test]
fn identical_documents_have_no_changes() {
    let (old, _) = fixture("number");
    let set = diff_checked(&old, &old);
    assert!(set.is_empty());
    assert_eq!(set.spans.len(), 1);
    assert!(!set.coarse);
    let empty = doc("");
    let set = diff_checked(&empty, &empty);
    assert!(set.is_empty() && set.spans.is_empty());
}

#[test]
fn rewrapped_paragraphs_are_not_changes() {
    let (old, new) = fixture("rewrap");
    let set = diff_checked(&old, &new);
    assert!(set.is_empty(), "{:#?}", set.changes);
    // The spans still carry the exact bytes, so the new line breaks are visible there.
    assert!(set.spans.iter().any(|s| s.op != SpanOp::Equal));
}

#[test]
fn quotes_dashes_and_nbsp_are_not_changes() {
    let (old, new) = fixture("quotes");
    let set = diff_checked(&old, &new);
    assert!(set.is_empty(), "{:#?}", set.changes);
    assert!(set
        .spans
        .iter()
        .any(|s| s.op == SpanOp::Insert && s.text.contains('“')));
}

#[test]
fn paragraph_moved_to_another_section_is_one_move() {
    let (old, new) = fixture("moved-paragraph");
    let set = diff_checked(&old, &new);
    assert_eq!(set.changes.len(), 1, "{:#?}", set.changes);
    let c = &set.changes[0];
    assert_eq!(c.kind(), ChangeKind::Moved);
    assert_eq!(
        c.moved_from().and_then(SectionRef::heading),
        Some("What could happen to Ukraine’s territory?")
    );
    assert_eq!(c.heading(), Some("What is NATO?"));
    assert_eq!(c.significance(), Significance::Cosmetic);
    assert!(
        c.reason().starts_with("moved from “What could happen"),
        "{}",
        c.reason()
    );
    assert!(set.sections.is_empty());
    // Shown in the spans as deleted where it was and inserted where it is.
    let text = "These annexations have been widely condemned";
    assert!(set
        .spans
        .iter()
        .any(|s| s.op == SpanOp::Delete && s.text.contains(text)));
    assert!(set
        .spans
        .iter()
        .any(|s| s.op == SpanOp::Insert && s.text.contains(text)));
}

#[test]
fn number_change_is_an_edit_tagged_number() {
    let (old, new) = fixture("number");
    let set = diff_checked(&old, &new);
    assert_eq!(set.changes.len(), 1, "{:#?}", set.changes);
    let c = &set.changes[0];
    assert_eq!(c.kind(), ChangeKind::Edited);
    assert_eq!(c.tags(), vec![Tag::Number]);
    assert_eq!(c.significance(), Significance::Substantive);
    assert_eq!(c.reason(), "number changed: 30,000 → 35,000");
    assert_eq!(c.heading(), Some("Could UK troops be sent to Ukraine?"));
    let changed: Vec<&Span> = c.words().iter().filter(|s| s.op != SpanOp::Equal).collect();
    assert_eq!(changed.len(), 2);
    assert_eq!(
        (changed[0].text.as_str(), changed[1].text.as_str()),
        ("30,000", "35,000")
    );
    let (o, n) = (
        c.old_range().clone().unwrap(),
        c.new_range().clone().unwrap(),
    );
    assert!(old.body[o].contains("30,000") && new.body[n].contains("35,000"));
}

#[test]
fn negation_is_tagged() {
    let (old, new) = fixture("negation");
    let set = diff_checked(&old, &new);
    assert_eq!(set.changes.len(), 1, "{:#?}", set.changes);
    let c = &set.changes[0];
    assert_eq!(c.kind(), ChangeKind::Edited);
    assert!(c.tags().contains(&Tag::Negation), "{:?}", c.tags());
    assert_eq!(c.significance(), Significance::Substantive);
    assert!(c.reason().contains("negation added: not"), "{}", c.reason());
    assert_eq!(
        show(c.words()).matches("{+").count(),
        1,
        "{}",
        show(c.words())
    );
}

#[test]
fn new_speaker_is_an_attribution_change() {
    let (old, new) = fixture("attribution");
    let set = diff_checked(&old, &new);
    assert_eq!(set.changes.len(), 1, "{:#?}", set.changes);
    let c = &set.changes[0];
    assert_eq!(c.kind(), ChangeKind::Edited);
    assert!(c.tags().contains(&Tag::Attribution), "{:?}", c.tags());
    assert!(c.tags().contains(&Tag::Name), "{:?}", c.tags());
    assert_eq!(c.significance(), Significance::Substantive);
    assert!(c.reason().contains("attribution"), "{}", c.reason());
    assert_eq!(
        show(c.words()),
        "After the talks, [-Mr Lavrov said-]{+the Kremlin denied+} the two sides had agreed to start a process for a settlement."
    );
}

#[test]
fn renamed_heading_is_a_rename() {
    let (old, new) = fixture("renamed-heading");
    let set = diff_checked(&old, &new);
    assert_eq!(
        set.sections,
        vec![SectionChange {
            kind: SectionChangeKind::Renamed,
            id: SectionId::New(
                new.sections
                    .iter()
                    .position(|s| {
                        s.heading.as_deref()
                            == Some("What is NATO and is Ukraine going to join it?")
                    })
                    .unwrap()
            ),
            old_heading: Some("What is NATO?".into()),
            new_heading: Some("What is NATO and is Ukraine going to join it?".into()),
        }]
    );
    assert!(set.changes.is_empty(), "{:#?}", set.changes);
}

#[test]
fn sections_added_removed_and_moved() {
    let old = doc("Lead.\n\n## A\n\nAlpha one two three.\n\n## B\n\nBeta one two three.\n\n## C\n\nGamma one two three.\n");
    let new = doc("Lead.\n\n## C\n\nGamma one two three.\n\n## A\n\nAlpha one two three.\n\n## D\n\nDelta four five six.\n");
    let set = diff_checked(&old, &new);
    let kinds: Vec<(SectionChangeKind, Option<&str>, Option<&str>)> = set
        .sections
        .iter()
        .map(|s| (s.kind, s.old_heading.as_deref(), s.new_heading.as_deref()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (SectionChangeKind::Moved, Some("C"), Some("C")),
            (SectionChangeKind::Removed, Some("B"), None),
            (SectionChangeKind::Added, None, Some("D")),
        ]
    );
    let c: Vec<(ChangeKind, Option<&str>)> = set
        .changes
        .iter()
        .map(|c| (c.kind(), c.heading()))
        .collect();
    assert_eq!(
        c,
        vec![
            (ChangeKind::Removed, Some("B")),
            (ChangeKind::Added, Some("D"))
        ]
    );
}

#[test]
fn sentence_split_in_two_is_one_edit() {
    let old = doc("## Minerals\n\nMr Trump and Mr Zelenskyy were expected to sign the agreement on 28 February, but Mr Zelenskyy was asked to leave the White House after the argument between the pair. The deal matters.\n");
    let new = doc("## Minerals\n\nMr Trump and Mr Zelenskyy were expected to sign the agreement on 28 February. Mr Zelenskyy was asked to leave the White House after the argument between the pair, though he has since said that he remains ready to sign the agreement “any time”. The deal matters.\n");
    let set = diff_checked(&old, &new);
    assert_eq!(set.changes.len(), 1, "{:#?}", set.changes);
    let c = &set.changes[0];
    assert_eq!(c.kind(), ChangeKind::Edited);
    assert_eq!(
        show(c.words()),
        "Mr Trump and Mr Zelenskyy were expected to sign the agreement on 28 February[-, but-]{+.+} Mr Zelenskyy was asked to leave the White House after the argument between the pair{+, though he has since said that he remains ready to sign the agreement “any time”+}."
    );
    assert!(c.tags().contains(&Tag::Quote));
}

#[test]
fn added_and_removed_sentences() {
    let old = doc("## S\n\nFirst sentence stays here. Old claim about the talks goes away.\n");
    let new = doc("## S\n\nFirst sentence stays here. Brand new reporting on “a truce” arrives.\n");
    let set = diff_checked(&old, &new);
    let kinds: Vec<ChangeKind> = set.changes.iter().map(|c| c.kind()).collect();
    assert_eq!(kinds, vec![ChangeKind::Removed, ChangeKind::Added]);
    assert_eq!(set.changes[1].tags(), vec![Tag::Quote]);
    assert_eq!(set.changes[1].reason(), "new quotation");
    assert_eq!(
        set.changes[0].old_text(),
        Some("Old claim about the talks goes away.")
    );
    // Whole sentences stay whole in the spans.
    assert!(show(&set.spans).contains(
        "[-Old claim about the talks goes away.-]{+Brand new reporting on “a truce” arrives.+}"
    ));
}

#[test]
fn changes_serialise() {
    let (old, new) = fixture("number");
    let set = diff(&old, &new);
    let json = serde_json::to_string(&set).unwrap();
    assert!(json.contains("\"kind\":\"edited\"") && json.contains("\"tags\":[\"number\"]"));
}

/// Every kind of change serialises to the one flat record `Change` had when it
/// was a struct: the same keys in the same order, `null`/`[]` where a kind has
/// no such field, and no section ids.
#[test]
fn every_change_kind_keeps_the_flat_json_shape() {
    // Synthetic: one change of each kind (edited, moved, added, removed).
    let old = doc("Lead.\n\n## A\n\nThe plan involves 20,000 troops.\n\nTalks are ongoing in Geneva today.\n\nThis goes away.\n\n## B\n\nB text.\n");
    let new = doc("Lead.\n\n## A\n\nThe plan involves 30,000 troops.\n\nThis is new.\n\n## B\n\nB text.\n\nTalks are ongoing in Geneva today.\n");
    let set = diff_checked(&old, &new);
    let json = serde_json::to_value(&set).unwrap();
    let keys = [
        "kind",
        "section",
        "old_section",
        "old_text",
        "new_text",
        "words",
        "tags",
        "significance",
        "reason",
        "old_range",
        "new_range",
    ];
    let mut kinds = Vec::new();
    for (change, value) in set.changes.iter().zip(json["changes"].as_array().unwrap()) {
        let mut sorted = keys.to_vec();
        sorted.sort_unstable();
        let object = value.as_object().unwrap();
        assert_eq!(object.keys().collect::<Vec<_>>(), sorted, "{value}");
        // In this order (the texts here hold no `,"key":`).
        let text = serde_json::to_string(change).unwrap();
        let at: Vec<usize> = keys
            .iter()
            .map(|k| {
                let lead = if *k == "kind" { '{' } else { ',' };
                text.find(&format!("{lead}\"{k}\":")).unwrap()
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");
        let kind = change.kind();
        kinds.push(kind);
        assert_eq!(value["kind"], kind.name());
        assert_eq!(value["section"].as_str(), change.heading());
        assert_eq!(value["old_text"].as_str(), change.old_text());
        assert_eq!(value["new_text"].as_str(), change.new_text());
        assert_eq!(value["reason"], change.reason());
        let range = |r: Option<std::ops::Range<usize>>| {
            r.map_or(
                serde_json::Value::Null,
                |r| serde_json::json!({"start": r.start, "end": r.end}),
            )
        };
        assert_eq!(value["old_range"], range(change.old_range()));
        assert_eq!(value["new_range"], range(change.new_range()));
        match kind {
            ChangeKind::Moved => assert_eq!(value["old_section"], "A"),
            _ => assert!(value["old_section"].is_null(), "{value}"),
        }
        match kind {
            ChangeKind::Added => {
                assert!(value["old_text"].is_null() && value["old_range"].is_null())
            }
            ChangeKind::Removed => {
                assert!(value["new_text"].is_null() && value["new_range"].is_null())
            }
            _ => assert!(value["old_text"].is_string() && value["new_text"].is_string()),
        }
        if matches!(kind, ChangeKind::Added | ChangeKind::Removed) {
            assert_eq!(value["words"], serde_json::json!([]));
        }
    }
    kinds.sort_by_key(|k| k.name());
    assert_eq!(
        kinds,
        [
            ChangeKind::Added,
            ChangeKind::Edited,
            ChangeKind::Moved,
            ChangeKind::Removed
        ]
    );
    // Section changes keep `kind`, `old_heading`, `new_heading` only.
    let set = diff_checked(&doc("## A\n\nA.\n"), &doc("## A\n\nA.\n\n## C\n\nC.\n"));
    let json = serde_json::to_value(&set.sections).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{"kind": "added", "old_heading": null, "new_heading": "C"}])
    );
}

/// Two sections with one heading are two sections: their changes name
/// different sections, and a new one does not make the old one "new".
#[test]
fn two_sections_with_one_heading_do_not_collide() {
    // Synthetic: a second "Notes" section added after an edited first one.
    let old = doc("Lead.\n\n## Notes\n\nThe first note says one thing.\n");
    let new = doc("Lead.\n\n## Notes\n\nThe first note says another thing.\n\n## Notes\n\nA second note arrives.\n");
    let set = diff_checked(&old, &new);
    assert_eq!(set.changes.len(), 2, "{:#?}", set.changes);
    let (first, second) = (&set.changes[0], &set.changes[1]);
    assert_eq!(
        (first.kind(), second.kind()),
        (ChangeKind::Edited, ChangeKind::Added)
    );
    assert_eq!(
        (first.heading(), second.heading()),
        (Some("Notes"), Some("Notes"))
    );
    assert_eq!(first.section().id, SectionId::New(1));
    assert_eq!(second.section().id, SectionId::New(2));
    assert_eq!(set.sections.len(), 1);
    assert_eq!(
        (set.sections[0].kind, set.sections[0].id),
        (SectionChangeKind::Added, SectionId::New(2))
    );
    // A removal from a section that stays names the new version's section.
    let set = diff_checked(&new, &doc("Lead.\n\n## Extra\n\nInserted.\n\n## Notes\n\nThe first note says another thing.\n\n## Notes\n\n"));
    let removed = set
        .changes
        .iter()
        .find(|c| c.kind() == ChangeKind::Removed)
        .unwrap();
    assert_eq!(removed.text(), "A second note arrives.");
    assert_eq!(removed.section().id, SectionId::New(3));
}

#[test]
fn pathological_long_paragraph_finishes_losslessly() {
    // About 1 MB in one paragraph with no sentence break, rewritten throughout.
    let old: String = (0..110_000).map(|i| format!("w{} ", i % 997)).collect();
    let new: String = (0..110_000)
        .map(|i| format!("w{} ", (i * 7) % 991))
        .collect();
    let (old, new) = (doc(&old), doc(&new));
    let set = diff_checked_within(&old, &new, Duration::from_millis(200));
    assert!(set.coarse);
}

#[test]
fn pathological_identical_lines_finish_losslessly() {
    let line = "The same line again.\n";
    let old = line.repeat(50_000);
    let mut new = line.repeat(25_000);
    new.push_str("A different line in the middle.\n");
    new.push_str(&line.repeat(25_000));
    let (old, new) = (doc(&old), doc(&new));
    let set = diff_checked_within(&old, &new, Duration::from_secs(5));
    assert_eq!(set.changes.len(), 1);
    assert_eq!(set.changes[0].kind(), ChangeKind::Added);
}

#[test]
fn full_rewrite_finishes_losslessly() {
    let old: String = (0..2_000)
        .map(|i| format!("Sentence number {i} says alpha beta.\n\n"))
        .collect();
    let new: String = (0..2_000)
        .map(|i| format!("Completely other text {i} reads gamma delta.\n\n"))
        .collect();
    let (old, new) = (doc(&old), doc(&new));
    let set = diff_checked_within(&old, &new, Duration::from_secs(5));
    assert!(set.changes.len() >= 2_000);
    // A zero deadline still gives a lossless (coarse) answer.
    let set = diff_checked_within(&old, &new, Duration::ZERO);
    assert!(set.coarse);
}

/// A seed body as canonical Markdown: bare question lines become `## ` headings.
fn seed_markdown(slug: &str, date: &str) -> String {
    let body = crate::structure::tests::snapshot_body(slug, date);
    body.split('\n')
        .map(|line| {
            let t = line.trim();
            if t.ends_with('?') && t.len() < 90 && !t.contains(". ") && t.split(' ').count() > 2 {
                format!("## {t}")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Move(usize, usize),
    Reflow(usize, usize),
    Word(usize, usize),
    Insert(usize),
    Quotes(usize),
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Move(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Reflow(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Word(a, b)),
        any::<usize>().prop_map(Edit::Insert),
        any::<usize>().prop_map(Edit::Quotes),
    ]
}

fn apply(body: &str, edits: &[Edit]) -> String {
    let mut paras: Vec<String> = body.split("\n\n").map(str::to_string).collect();
    for e in edits {
        let n = paras.len().max(1);
        match *e {
            Edit::Delete(i) if paras.len() > 1 => {
                paras.remove(i % n);
            }
            Edit::Move(a, b) => {
                let p = paras.remove(a % n);
                let len = paras.len();
                paras.insert(b % (len + 1), p);
            }
            Edit::Reflow(i, k) => {
                if let Some(p) = paras.get_mut(i % n) {
                    let mut count = 0;
                    *p = p
                        .chars()
                        .map(|c| {
                            count += usize::from(c == ' ');
                            if c == ' ' && count % (k % 7 + 2) == 0 {
                                '\n'
                            } else {
                                c
                            }
                        })
                        .collect();
                }
            }
            Edit::Word(i, k) => {
                if let Some(p) = paras.get_mut(i % n) {
                    let words: Vec<&str> = p.split(' ').collect();
                    let w = k % words.len().max(1);
                    *p = words
                        .iter()
                        .enumerate()
                        .map(|(x, s)| if x == w { "35,000" } else { *s })
                        .collect::<Vec<_>>()
                        .join(" ");
                }
            }
            Edit::Insert(i) => {
                paras.insert(i % (n + 1), "Mr Macron said “a truce” was agreed.".into())
            }
            Edit::Quotes(i) => {
                if let Some(p) = paras.get_mut(i % n) {
                    *p = p.replace(['“', '”'], "\"").replace('’', "'");
                }
            }
            Edit::Delete(_) => {}
        }
    }
    paras.join("\n\n")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Random deletions, moves, reflows, word edits, insertions and quote changes on
    /// the real seed texts always round-trip through the span list.
    #[test]
    fn seed_edits_round_trip(edits in proptest::collection::vec(edit_strategy(), 1..6), nyt in any::<bool>()) {
        let body = if nyt {
            seed_markdown("nyt-ukraine-peace-talks-guide", "2025-02-17")
        } else {
            seed_markdown("fullfact-ukraine-peace-talks", "2025-03-04")
        };
        let old = doc(&body);
        let new = doc(&apply(&body, &edits));
        let set = diff(&old, &new);
        prop_assert_eq!(set.old_text(), old.body.clone());
        prop_assert_eq!(set.new_text(), new.body.clone());
        for c in &set.changes {
            if let Some(r) = &c.new_range() {
                prop_assert!(new.body.get(r.clone()).is_some());
            }
            if let Some(r) = &c.old_range() {
                prop_assert!(old.body.get(r.clone()).is_some());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Arbitrary Markdown-ish strings: no panic, always lossless.
    #[test]
    fn arbitrary_text_round_trips(
        a in "(?s)(## |> |- |```|\\*|\\[|\\]|[a-zA-Z0-9 .,!?\\n“”’—-]|Mr\\. |é|\u{a0}){0,80}",
        b in "(?s)(## |> |- |```|\\*|\\[|\\]|[a-zA-Z0-9 .,!?\\n“”’—-]|Mr\\. |é|\u{a0}){0,80}",
    ) {
        let (old, new) = (doc(&a), doc(&b));
        let set = diff(&old, &new);
        prop_assert_eq!(set.old_text(), a);
        prop_assert_eq!(set.new_text(), b);
    }

    /// Any Unicode at all, including control characters and odd scripts.
    #[test]
    fn any_unicode_round_trips(a in "\\PC{0,60}", b in "\\PC{0,60}") {
        let (old, new) = (doc(&a), doc(&b));
        let set = diff(&old, &new);
        prop_assert_eq!(set.old_text(), a);
        prop_assert_eq!(set.new_text(), b);
    }
}

fn demo_version(date: &str) -> Document {
    let rules = crate::ingest::Rules::shipped();
    let path = format!(
        "{}/snapshots/fullfact-ukraine-peace-talks/{date}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    crate::ingest::ingest_file(std::path::Path::new(&path), &rules)
        .unwrap()
        .document
}

/// The demo pair that matters: Full Fact, 1 March → 4 March.
#[test]
fn fullfact_1_to_4_march() {
    let (old, new) = (demo_version("2025-03-01"), demo_version("2025-03-04"));
    let set = diff_checked(&old, &new);
    assert!(!set.coarse);
    assert!(set.sections.is_empty(), "{:#?}", set.sections);
    assert!(
        set.changes.iter().all(|c| c.kind() != ChangeKind::Removed),
        "{:#?}",
        set.changes
    );
    let talks = Some("What talks have taken place and who is involved?");
    let added = |start: &str| {
        let found: Vec<&Change> = set
            .changes
            .iter()
            .filter(|c| c.new_text().is_some_and(|t| t.starts_with(start)))
            .collect();
        assert_eq!(found.len(), 1, "{start}: {:#?}", set.changes);
        assert_eq!(found[0].kind(), ChangeKind::Added, "{start}");
        assert_eq!(found[0].significance(), Significance::Substantive);
        found[0]
    };

    let truce = added(
        "Following the summit Mr Macron said France and the UK had proposed a one-month truce",
    );
    assert_eq!(truce.heading(), talks);
    assert!(truce.tags().contains(&Tag::Quote), "{:?}", truce.tags());
    assert!(
        truce.tags().contains(&Tag::Attribution),
        "{:?}",
        truce.tags()
    );
    assert_eq!(truce.reason(), "new attributed quotation");
    let range = truce.new_range().clone().unwrap();
    assert!(new.body[range].ends_with("“no agreement” on this had been reached."));

    for start in [
        "More than a dozen leaders from across Europe",
        "In a statement following the summit, Mr Starmer said",
        "Mr Starmer also set out a four-point plan",
    ] {
        assert_eq!(added(start).heading(), talks, "{start}");
    }
    let pause = added("On 3 March, the United States announced a “pause”");
    assert_eq!(
        pause.heading(),
        Some("What have the US and Ukraine agreed on minerals?")
    );
    assert!(pause
        .new_text()
        .unwrap()
        .ends_with("contributing to a solution.”"));

    let minerals: Vec<&Change> = set
        .changes
        .iter()
        .filter(|c| {
            c.old_text()
                .is_some_and(|t| t.starts_with("Mr Trump and Mr Zelenskyy were expected"))
        })
        .collect();
    assert_eq!(minerals.len(), 1);
    let m = minerals[0];
    assert_eq!(m.kind(), ChangeKind::Edited);
    let changed: Vec<(SpanOp, &str)> = m
        .words()
        .iter()
        .filter(|s| s.op != SpanOp::Equal)
        .map(|s| (s.op, s.text.as_str()))
        .collect();
    assert_eq!(
        changed,
        vec![
            (SpanOp::Delete, ", but"),
            (SpanOp::Insert, "."),
            (
                SpanOp::Insert,
                ", though he has since said that he remains ready to sign the agreement “any time”"
            ),
        ]
    );

    let stamp = set
        .changes
        .iter()
        .find(|c| {
            c.old_text()
                .is_some_and(|t| t.contains("last updated at 12pm"))
        })
        .unwrap();
    assert_eq!(stamp.kind(), ChangeKind::Edited);
    assert!(stamp.tags().contains(&Tag::Date));
    // New-document order.
    let starts: Vec<usize> = set
        .changes
        .iter()
        .filter_map(|c| c.new_range().as_ref().map(|r| r.start))
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn reworded_sentence_moved_to_another_section() {
    let old = doc("## A\n\nThe alliance was formed by Western allies after the Second World War in Europe.\n\nA stays.\n\n## B\n\nB stays here.\n");
    let new = doc("## A\n\nA stays.\n\n## B\n\nB stays here.\n\nThe alliance was formed by Western allies soon after the Second World War in Europe.\n");
    let set = diff_checked(&old, &new);
    assert_eq!(set.changes.len(), 1, "{:#?}", set.changes);
    let c = &set.changes[0];
    assert_eq!(c.kind(), ChangeKind::Moved);
    assert_eq!(
        (c.moved_from().and_then(SectionRef::heading), c.heading()),
        (Some("A"), Some("B"))
    );
    assert_eq!(c.significance(), Significance::Substantive);
    assert!(show(c.words()).contains("{+soon +}"), "{}", show(c.words()));
    assert!(c.reason().starts_with("moved from “A”"), "{}", c.reason());
}

#[test]
fn two_sentences_joined_into_one_is_one_edit() {
    let old = doc(
        "The talks were held in Riyadh on 18 February. They were not formal peace negotiations.\n",
    );
    let new = doc("The talks were held in Riyadh on 18 February, though they were not formal peace negotiations.\n");
    let set = diff_checked(&old, &new);
    assert_eq!(set.changes.len(), 1, "{:#?}", set.changes);
    let c = &set.changes[0];
    assert_eq!(c.kind(), ChangeKind::Edited);
    assert_eq!(c.heading(), None);
    assert_eq!(
        show(c.words()),
        "The talks were held in Riyadh on 18 February[-. They-]{+, though they+} were not formal peace negotiations."
    );
    // "though" is a new word: substantive, though no tag applies.
    assert_eq!(c.significance(), Significance::Substantive);
    assert_eq!(c.reason(), "wording changed");
    assert!(c.tags().is_empty());
}

#[test]
fn markup_only_edits_are_not_changes() {
    let old = doc("## S\n\nThe deal was *expected* to be signed.\n\n- first item here\n");
    let new = doc("## S\n\nThe deal was **expected** to be [signed](https://example.org).\n\n* first item here\n");
    let set = diff_checked(&old, &new);
    assert!(set.is_empty(), "{:#?}", set.changes);
}

#[test]
fn list_items_quotes_and_figures_are_compared() {
    let old = doc("## S\n\n- Ukraine holds territory.\n\n> He said it was over.\n\n```figure\nKyiv\nRUSSIA\n```\n");
    let new = doc("## S\n\n- Ukraine holds less territory.\n\n> He said it was not over.\n\n```figure\nKyiv\nBELARUS\n```\n");
    let set = diff_checked(&old, &new);
    let kinds: Vec<ChangeKind> = set.changes.iter().map(|c| c.kind()).collect();
    assert_eq!(
        kinds,
        vec![ChangeKind::Edited, ChangeKind::Edited, ChangeKind::Edited],
        "{:#?}",
        set.changes
    );
    assert!(set.changes[1].tags().contains(&Tag::Negation));
    assert_eq!(show(set.changes[2].words()), "Kyiv [-RUSSIA-]{+BELARUS+}");
}

#[test]
fn demo_pair_with_no_time_is_coarse_but_lossless() {
    let (old, new) = (demo_version("2025-03-01"), demo_version("2025-03-04"));
    let set = diff_checked_within(&old, &new, Duration::ZERO);
    assert!(set.coarse);
}
