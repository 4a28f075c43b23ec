//! Render tests over hand-built values, so the templates are checked before
//! (and independently of) the engines that produce real ones.

use chrono::DateTime;

use super::*;
use crate::diff::testing::{change, section_id, Amend};
use crate::diff::SectionChange;
use crate::slug::Slug;
use crate::summary::Withdrawn;

fn version(number: usize, when: &str, kind: UpdateKind, note: &str) -> Version {
    Version {
        number,
        id: format!("{number:0>40}").into(),
        updated: DateTime::parse_from_rfc3339(when).unwrap(),
        editor: "Demo Editor".into(),
        kind,
        note: note.into(),
        blob: Default::default(),
    }
}

fn span(op: SpanOp, text: &str) -> Span {
    Span {
        op,
        text: text.into(),
    }
}

const TRUCE: &str = "Following the summit Mr Macron said France and the UK had proposed a one-month truce “in the air, at sea and on energy infrastructure”—however the UK government later said “no agreement” on this had been reached.";

fn change_set() -> ChangeSet {
    let edited = change(
        ChangeKind::Edited,
        None,
        Some("This explainer was last updated on 1 March."),
        Some("This explainer was last updated at 4pm on Tuesday 4 March."),
    )
    .with_words(vec![
        span(SpanOp::Equal, "This explainer was last updated "),
        span(SpanOp::Delete, "on 1"),
        span(SpanOp::Insert, "at 4pm on Tuesday 4"),
        span(SpanOp::Equal, " March."),
    ])
    .with_tags(vec![Tag::Date, Tag::Number]);
    let added = change(
        ChangeKind::Added,
        Some("What happens next?"),
        None,
        Some(TRUCE),
    )
    .with_tags(vec![Tag::Quote, Tag::Attribution]);
    let removed = change(
        ChangeKind::Removed,
        Some("What happens next?"),
        Some("A minerals deal is expected to be signed on 28 February."),
        None,
    );
    let moved = change(
        ChangeKind::Moved,
        Some("Minerals"),
        Some("Mr Zelenskyy said he was ready to sign."),
        Some("Mr Zelenskyy said he was ready to sign."),
    )
    .moved_from(Some("What happens next?"));
    let cosmetic = change(
        ChangeKind::Edited,
        Some("Minerals"),
        Some("US-Ukraine deal"),
        Some("US–Ukraine deal"),
    )
    .with_words(vec![
        span(SpanOp::Equal, "US"),
        span(SpanOp::Delete, "-"),
        span(SpanOp::Insert, "–"),
        span(SpanOp::Equal, "Ukraine deal"),
    ])
    .cosmetic();
    ChangeSet {
        sections: vec![SectionChange {
            kind: SectionChangeKind::Added,
            id: section_id(Some("Minerals")),
            old_heading: None,
            new_heading: Some("Minerals".into()),
        }],
        changes: vec![edited, added, removed, moved, cosmetic],
        spans: Vec::new(),
        coarse: false,
    }
}

fn header() -> DiffHeader {
    DiffHeader::between(
        "Ukraine peace talks explained",
        &version(
            3,
            "2025-03-01T12:00:00Z",
            UpdateKind::Major,
            "Added the minerals deal.",
        ),
        &version(
            4,
            "2025-03-04T16:00:00Z",
            UpdateKind::Major,
            "Added the London summit.",
        ),
    )
}

fn summary() -> Summary {
    let v2 = version(
        2,
        "2025-02-25T10:00:00Z",
        UpdateKind::Major,
        "Added Mr Trump's claims.",
    );
    let v3 = version(
        3,
        "2025-03-01T12:00:00Z",
        UpdateKind::Minor,
        "Fixed a typo.",
    );
    let v4 = version(
        4,
        "2025-03-04T16:00:00Z",
        UpdateKind::Major,
        "Added the London summit.",
    );
    Summary {
        slug: Slug::new("fullfact-ukraine-peace-talks").unwrap(),
        title: "Ukraine peace talks explained".into(),
        asked: Some(DateTime::parse_from_rfc3339("2025-03-01T00:00:00Z").unwrap()),
        base: v2.clone(),
        head: v4.clone(),
        updates: vec![v3.clone(), v4.clone()],
        minor: Vec::new(),
        highlights: vec![
            Highlight {
                rank: 1,
                kind: HighlightKind::ContestedClaim,
                change: ChangeKind::Added,
                score: crate::summary::Score {
                    class: HighlightKind::ContestedClaim,
                    evidence: vec!["attribution: Mr Macron said".into()],
                },
                section: Some("What happens next?".into()),
                also_in: Vec::new(),
                text: TRUCE.into(),
                old_text: None,
                words: Vec::new(),
                speakers: vec!["Mr Macron".into(), "the UK government".into()],
                claimant: vec!["Mr Macron".into()],
                disputed_by: vec!["the UK government".into()],
                tags: vec![Tag::Quote, Tag::Attribution],
                version: v4.clone(),
                credits: Vec::new(),
                // The added truce sentence of `change_set`.
                changes: vec![1],
                section_changes: Vec::new(),
                group: None,
            },
            // Synthetic removal: shown as removed in every format.
            Highlight {
                rank: 2,
                kind: HighlightKind::Obligation,
                change: ChangeKind::Removed,
                score: crate::summary::Score {
                    class: HighlightKind::Obligation,
                    evidence: vec!["negation removed: no".into()],
                },
                section: Some("What happens next?".into()),
                also_in: vec![Some("Troops".into())],
                text: "No truce has been proposed.".into(),
                old_text: None,
                words: Vec::new(),
                speakers: Vec::new(),
                claimant: Vec::new(),
                disputed_by: Vec::new(),
                tags: Vec::new(),
                version: v3.clone(),
                credits: Vec::new(),
                changes: Vec::new(),
                section_changes: Vec::new(),
                group: None,
            },
        ],
        withdrawn: vec![Withdrawn {
            section: None,
            text: "The deal will be signed on Friday.".into(),
            added_in: v3,
            removed_in: v4,
        }],
        changes: change_set(),
    }
}

#[test]
fn diff_outputs() {
    let (cs, h) = (change_set(), header());
    insta::assert_snapshot!("diff_text_plain", diff_text(&cs, &h, false).unwrap());
    insta::assert_snapshot!("diff_markdown", diff_markdown(&cs, &h).unwrap());
    insta::assert_snapshot!("diff_html", diff_html(&cs, &h).unwrap());
}

#[test]
fn coloured_text_uses_ansi_and_no_markers() {
    let text = diff_text(&change_set(), &header(), true).unwrap();
    assert!(text.contains("\x1b[31;9mon 1\x1b[0m"), "{text}");
    assert!(
        text.contains("\x1b[32;1mat 4pm on Tuesday 4\x1b[0m"),
        "{text}"
    );
    assert!(!text.contains("[+"));
    let plain = diff_text(&change_set(), &header(), false).unwrap();
    assert!(
        plain.contains("[-on 1-] [+at 4pm on Tuesday 4+]"),
        "{plain}"
    );
    assert!(!plain.contains('\x1b'));
}

#[test]
fn summary_outputs() {
    let s = summary();
    insta::assert_snapshot!("summary_text_plain", summary_text(&s, false).unwrap());
    insta::assert_snapshot!("summary_markdown", summary_markdown(&s).unwrap());
    insta::assert_snapshot!("summary_html", summary_html(&s).unwrap());
}

#[test]
fn a_removal_is_said_to_be_removed_everywhere() {
    let s = summary();
    let text = summary_text(&s, false).unwrap();
    assert!(
        text.contains("   - \"[-No truce has been proposed.-]\""),
        "{text}"
    );
    assert!(
        text.contains("Removed in the update of 1 March 2025 (v3)"),
        "{text}"
    );
    assert!(!text.contains("Added in the update of 1 March"), "{text}");
    let md = summary_markdown(&s).unwrap();
    assert!(
        md.contains("> <del>No truce has been proposed.</del>"),
        "{md}"
    );
    assert!(
        md.contains("Removed in the update of 1 March 2025 (v3)"),
        "{md}"
    );
    let html = summary_html(&s).unwrap();
    // The removed highlight's own list item strikes its text through.
    let item = html
        .split("<li class=\"highlight ")
        .find(|li| li.starts_with("obligation removed"))
        .and_then(|li| li.split("</li>").next())
        .unwrap_or_default();
    assert!(
        item.contains("<blockquote><p><del>No truce has been proposed.</del></p></blockquote>"),
        "{html}"
    );
    assert!(item.contains("Removed in the update of"), "{item}");
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["highlights"][1]["change"], "removed");
    assert_eq!(json["highlights"][1]["rank"], 2);
    assert_eq!(json["highlights"][0]["claimant"][0], "Mr Macron");
    assert_eq!(json["highlights"][0]["disputed_by"][0], "the UK government");
    assert_eq!(json["highlights"][0]["score"]["class"], "contested_claim");
}

#[test]
fn full_detail_lists_every_change() {
    let s = summary();
    let all = summary_text_with(&s, false, Detail::All).unwrap();
    insta::assert_snapshot!("summary_text_all", all);
    assert!(!all.contains("Not shown above"));
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let script = "<script>alert(1)</script> *bold* \u{1b}[2J";
    let mut cs = change_set();
    if let Some(Change::Added { text, .. }) = cs.changes.get_mut(1) {
        *text = script.into();
    }
    let mut h = header();
    h.title = script.into();
    if let Some(v) = h.new.version.as_mut() {
        v.note = script.into();
    }
    let html = diff_html(&cs, &h).unwrap();
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
    let md = diff_markdown(&cs, &h).unwrap();
    assert!(!md.contains("<script>"), "{md}");
    assert!(
        md.contains(r"\<script\>alert(1)\</script\> \*bold\*"),
        "{md}"
    );
    let text = diff_text(&cs, &h, false).unwrap();
    assert!(
        !text.contains('\x1b'),
        "terminal escapes must be stripped: {text:?}"
    );

    let mut s = summary();
    s.title = script.into();
    s.highlights[0].text = script.into();
    s.updates[1].note = script.into();
    let html = summary_html(&s).unwrap();
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&#60;script&#62;"));
    let md = summary_markdown(&s).unwrap();
    assert!(!md.contains("<script>"), "{md}");
}

#[test]
fn markdown_bodies_keep_raw_html_as_text() {
    let html = RenderedMarkdown::from_markdown(
        "## Heading\n\nText <script>alert(1)</script> *em*\n\n<div onclick=\"x\">block</div>\n",
    );
    let html = html.as_str();
    assert!(html.contains("<h2>Heading</h2>"), "{html}");
    assert!(html.contains("<em>em</em>"));
    assert!(!html.contains("<script>"), "{html}");
    assert!(!html.contains("<div"), "{html}");
    assert!(html.contains("&lt;script&gt;"));
    let links = RenderedMarkdown::from_markdown(
        "[a](javascript:alert(1)) [b](https://example.org/x) [c](../y.html) ![i](data:text/html,x)",
    );
    let links = links.as_str();
    assert!(!links.contains("javascript:"), "{links}");
    assert!(!links.contains("data:"), "{links}");
    assert!(links.contains(r#"href="https://example.org/x""#));
    assert!(links.contains(r#"href="../y.html""#));
}

#[test]
fn neighbouring_spans_of_one_kind_merge() {
    let merged = pieces(&[
        span(SpanOp::Insert, "new"),
        span(SpanOp::Insert, " "),
        span(SpanOp::Insert, "words"),
        span(SpanOp::Equal, ""),
        span(SpanOp::Equal, " here"),
    ]);
    assert_eq!(merged.len(), 2);
    assert_eq!(merged[0].text, "new words");
    assert!(merged[0].ins);
    assert_eq!(merged[1].text, " here");
}

/// Synthetic: the demo summary plus one table whose rows were removed, told as one highlight.
fn summary_with_table_group() -> Summary {
    let mut s = summary();
    let rows = [
        "`:year` | Year",
        "`:month` | Month",
        "`:day` | Day",
        "`:hour` | Hour",
    ];
    let members: Vec<crate::summary::GroupMember> = rows
        .iter()
        .enumerate()
        .map(|(index, text)| crate::summary::GroupMember {
            index: 100 + index,
            change: ChangeKind::Removed,
            text: (*text).to_string(),
        })
        .chain(std::iter::once(crate::summary::GroupMember {
            index: 104,
            change: ChangeKind::Added,
            text: "`{{ row.name }}` | {{ row.description }}".into(),
        }))
        .collect();
    let mut table = s.highlights.get(1).unwrap().clone();
    table.rank = 3;
    table.kind = HighlightKind::Other;
    table.section = Some("Placeholders".into());
    table.also_in = Vec::new();
    table.text = rows[0].into();
    table.changes = (100..105).collect();
    table.group = Some(crate::summary::BlockGroup {
        block: crate::summary::GroupBlock::Table,
        added: 1,
        removed: 4,
        edited: 0,
        members,
    });
    s.highlights.push(table);
    s
}

#[test]
fn a_table_group_is_one_item_with_counts_and_its_first_rows() {
    let s = summary_with_table_group();
    let text = summary_text(&s, false).unwrap();
    assert!(
        text.contains("3. Table in \"Placeholders\": 4 rows removed, 1 added\n   - \"[-`:year` | Year-]\"\n   - \"[-`:month` | Month-]\"\n   + \"`{{ row.name }}` | {{ row.description }}\"\n   and 2 more\n   Removed in the update of"),
        "{text}"
    );
    let md = summary_markdown(&s).unwrap();
    assert!(
        md.contains("3. **Table** in “Placeholders”: 4 rows removed, 1 added"),
        "{md}"
    );
    assert!(md.contains("    - <del>\\`:year\\` \\| Year</del>"), "{md}");
    assert!(md.contains("    - and 2 more"), "{md}");
    let html = scraper::Html::parse_document(&summary_html(&s).unwrap());
    let item = scraper::Selector::parse("li.highlight[value='3']").unwrap();
    let item = html.select(&item).next().expect("the table's highlight");
    let text_of = |sel: &str| -> Vec<String> {
        let sel = scraper::Selector::parse(sel).unwrap();
        item.select(&sel).map(|e| e.text().collect()).collect()
    };
    assert_eq!(text_of("p.kind"), ["Table: 4 rows removed, 1 added"]);
    assert_eq!(
        text_of("ul.group-samples del"),
        ["removed: `:year` | Year", "removed: `:month` | Month"]
    );
    // The added row is quoted even though removals come first: "1 added" shows what.
    assert_eq!(
        text_of("ul.group-samples ins"),
        ["added: `{{ row.name }}` | {{ row.description }}"]
    );
    assert_eq!(text_of("ul.group-samples li.meta"), ["and 2 more"]);
}

#[test]
fn a_replacement_reads_with_a_gap_and_spoken_words() {
    let pieces = pieces(&[
        Span {
            op: SpanOp::Equal,
            text: "the ".into(),
        },
        Span {
            op: SpanOp::Delete,
            text: "post's".into(),
        },
        Span {
            op: SpanOp::Insert,
            text: "posts".into(),
        },
        Span {
            op: SpanOp::Equal,
            text: " name".into(),
        },
    ]);
    let gaps: Vec<bool> = pieces.iter().map(|p| p.gap).collect();
    assert_eq!(gaps, [false, false, true, false]);
    let html = diff_html(&change_set(), &header()).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let li = scraper::Selector::parse("li.change.edited").unwrap();
    let first: String = doc.select(&li).next().unwrap().text().collect();
    assert!(
        first.contains("last updated deleted: on 1 inserted: at 4pm on Tuesday 4 March."),
        "{first}"
    );
}

#[test]
fn an_edit_spread_over_two_updates_names_each_in_every_format() {
    // Synthetic: a sentence whose figure changed in v3 and its noun in v4.
    let mut s = summary();
    let (v3, v4) = (s.updates[0].clone(), s.updates[1].clone());
    let credit = |version: Version, old: &str, new: &str| crate::blame::Credit {
        version,
        change: crate::blame::CreditChange::Edited,
        words: vec![
            span(SpanOp::Equal, "About "),
            span(SpanOp::Delete, old),
            span(SpanOp::Insert, new),
            span(SpanOp::Equal, " took part."),
        ],
        substantive: true,
    };
    s.highlights[0].credits = vec![credit(v3, "thirty", "32"), credit(v4, "members", "states")];
    let text = summary_text(&s, false).unwrap();
    assert!(
        text.contains(
            "By update: v3 (1 March 2025) changed \"thirty\" → \"32\"; v4 (4 March 2025) changed \"members\" → \"states\""
        ),
        "{text}"
    );
    let md = summary_markdown(&s).unwrap();
    assert!(
        md.contains("By update: v3 (1 March 2025) changed “thirty” → “32”; v4 (4 March 2025) changed “members” → “states”"),
        "{md}"
    );
    let html = summary_html(&s).unwrap();
    assert!(html.contains("<ol class=\"credits meta\">"), "{html}");
    assert!(
        html.contains("changed <del><span class=\"sr-only\">removed: </span>members</del> → <ins><span class=\"sr-only\">added: </span>states</ins>"),
        "{html}"
    );
    // One update alone needs no such line.
    s.highlights[0].credits.truncate(1);
    assert!(!summary_text(&s, false).unwrap().contains("By update"));
}

/// Two sections with one heading are two groups, and only the added one is
/// marked new (they were one group, both "new", when sections were told apart
/// by heading).
#[test]
fn two_sections_with_one_heading_are_two_groups() {
    // Synthetic: the first "Notes" section edited, a second "Notes" section added.
    let doc = |body: &str| crate::model::Document::new(Default::default(), body.to_string());
    let old = doc("Lead.\n\n## Notes\n\nThe first note says one thing.\n");
    let new = doc("Lead.\n\n## Notes\n\nThe first note says another thing.\n\n## Notes\n\nA second note arrives.\n");
    let cs = crate::diff::diff(&old, &new);
    let text = diff_text(&cs, &header(), false).unwrap();
    let groups: Vec<&str> = text.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(groups, ["## Notes", "## Notes (new section)"], "{text}");
    let (edit, added) = (
        text.find("another").unwrap(),
        text.find("A second note arrives.").unwrap(),
    );
    let new_group = text.find("## Notes (new section)").unwrap();
    assert!(edit < new_group && new_group < added, "{text}");
}
