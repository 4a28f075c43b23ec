//! Ingest of whole inputs: the two real seed captures (as captured and with the demo
//! front matter) and the synthetic refusal fixtures in `tests/fixtures/ingest/`.

use std::path::Path;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag};

use super::*;

const FF_SNAPSHOT: &str =
    include_str!("../../snapshots/fullfact-ukraine-peace-talks/2025-03-04.txt");
const NYT_SNAPSHOT: &str =
    include_str!("../../snapshots/nyt-ukraine-peace-talks-guide/2025-02-17.txt");
const FF_RECONSTRUCTIONS: [(&str, &str); 3] = [
    (
        "2025-02-19.txt",
        include_str!("../../snapshots/fullfact-ukraine-peace-talks/2025-02-19.txt"),
    ),
    (
        "2025-02-25.txt",
        include_str!("../../snapshots/fullfact-ukraine-peace-talks/2025-02-25.txt"),
    ),
    (
        "2025-03-01.txt",
        include_str!("../../snapshots/fullfact-ukraine-peace-talks/2025-03-01.txt"),
    ),
];

const FF_HEADINGS: [&str; 6] = [
    "What talks have taken place and who is involved?",
    "What could happen to Ukraine’s territory?",
    "What is NATO and is Ukraine going to join it?",
    "Could UK troops be sent to Ukraine?",
    "What about troops from other countries?",
    "What have the US and Ukraine agreed on minerals?",
];

const FF_PROMOTIONS: [&str; 4] = [
    "Honesty in public debate matters",
    "You can help us take action",
    "Full Fact fights bad information",
    "Bad information ruins lives",
];

/// The seed exactly as captured: the snapshot file's body after its front matter.
fn seed(snapshot: &str) -> &str {
    frontmatter::split(Path::new("snapshot"), snapshot)
        .unwrap()
        .body
}

fn ingest(name: &str, text: &str) -> IngestedParts {
    ingest_parts(Path::new(name), text.as_bytes(), &Rules::shipped()).unwrap()
}

fn refusal(name: &str, bytes: &[u8]) -> String {
    match ingest_parts(Path::new(name), bytes, &Rules::shipped()) {
        Err(e @ Error::Input { .. }) => e.to_string(),
        other => panic!("{name}: expected an input error, got {other:?}"),
    }
}

/// `## ` headings of a body, as pulldown-cmark reads them.
fn h2_headings(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for event in Parser::new(body) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                assert_eq!(
                    level,
                    HeadingLevel::H2,
                    "only ## headings in generated bodies"
                );
                inside = true;
                out.push(String::new());
            }
            Event::End(_) => inside = false,
            Event::Text(t) if inside => out.last_mut().unwrap().push_str(&t),
            _ => {}
        }
    }
    out
}

/// Contents of ```figure blocks.
fn figures(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new(body) {
        match event {
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info))) => {
                assert_eq!(&*info, "figure");
                current = Some(String::new());
            }
            Event::Text(t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => out.extend(current.take()),
            _ => {}
        }
    }
    out
}

#[test]
fn fullfact_seed_as_captured() {
    let raw = seed(FF_SNAPSHOT);
    let parts = ingest("fullfact-ukraine-peace-talks-2025-03-04.txt", raw);
    assert_eq!(
        parts.meta.title,
        "Ukraine peace talks explained: what’s happening and what could be on the table?"
    );
    assert_eq!(
        parts.meta.updated.unwrap().to_rfc3339(),
        "2025-03-04T00:00:00+00:00"
    );
    assert_eq!(parts.meta.publisher.as_deref(), Some("Full Fact"));
    assert_eq!(parts.change, None);
    let body = &parts.body;
    assert_eq!(h2_headings(body), FF_HEADINGS);
    for promo in FF_PROMOTIONS {
        assert!(!body.contains(promo), "promotion left in: {promo}");
    }
    assert!(!body.contains("Updated 4 March 2025"));
    assert!(
        !body.contains("Ukraine peace talks explained"),
        "the title lives in the front matter"
    );
    assert!(body.starts_with("Three years on from the start"));
    assert!(body.ends_with("contributing to a solution.”\n"));
    // Every other line of the capture is one paragraph, unchanged.
    let expected: Vec<&str> = raw
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .skip(2) // title, "Updated …"
        .filter(|l| !FF_PROMOTIONS.iter().any(|p| l.starts_with(p)) && !FF_HEADINGS.contains(l))
        .collect();
    let paragraphs: Vec<&str> = body
        .split("\n\n")
        .map(str::trim_end)
        .filter(|b| !b.starts_with("## "))
        .collect();
    assert_eq!(paragraphs, expected);
    assert!(
        body.contains("require \u{a0}American support")
            || body.contains("require\u{a0} American support")
    );
    assert!(!body.contains("\n\n\n") && !body.contains(" \n"));
}

#[test]
fn fullfact_snapshot_front_matter_wins_and_body_is_the_same() {
    let parts = ingest("2025-03-04.txt", FF_SNAPSHOT);
    assert_eq!(
        parts.meta.updated.unwrap().to_rfc3339(),
        "2025-03-04T16:00:00+00:00"
    );
    assert_eq!(
        parts.meta.title,
        "Ukraine peace talks explained: what’s happening and what could be on the table?"
    );
    let change = parts.change.unwrap();
    assert_eq!(change.editor.as_deref(), Some("Demo Editor"));
    assert_eq!(change.kind, UpdateKind::Major);
    assert!(change.note.unwrap().contains("one-month truce"));
    let captured = ingest(
        "fullfact-ukraine-peace-talks-2025-03-04.txt",
        seed(FF_SNAPSHOT),
    );
    assert_eq!(parts.body, captured.body);
}

#[test]
fn fullfact_reconstructions_ingest_with_their_headings() {
    for (name, text) in FF_RECONSTRUCTIONS {
        let parts = ingest(name, text);
        let headings = h2_headings(&parts.body);
        let expected = if name == "2025-03-01.txt" {
            &FF_HEADINGS[..]
        } else {
            &FF_HEADINGS[..5]
        };
        assert_eq!(headings, expected, "{name}");
        assert!(!parts.body.contains("Updated "), "{name}");
        for promo in FF_PROMOTIONS {
            assert!(!parts.body.contains(promo), "{name}: {promo}");
        }
    }
}

#[test]
fn nyt_seed_as_captured() {
    let raw = seed(NYT_SNAPSHOT);
    let parts = ingest("nyt-ukraine-peace-talks-guide-2025-02-17.txt", raw);
    assert_eq!(
        parts.meta.updated.unwrap().to_rfc3339(),
        "2025-02-17T05:15:00-05:00"
    );
    assert_eq!(parts.meta.publisher.as_deref(), Some("The New York Times"));
    // No headline in the capture: the first line is a two-sentence standfirst, kept as content.
    assert_eq!(parts.meta.title, "nyt-ukraine-peace-talks-guide-2025-02-17");
    let body = &parts.body;
    assert!(!body.contains("preview view"), "paywall notice left in");
    assert!(!body.contains("5:15 a.m."), "dateline left in");
    assert!(body.starts_with("Balancing Ukraine’s sovereignty"));
    assert!(body.contains("\n\nBut how would those talks actually work? Who would be involved? What could a deal look like?\n\n"));
    assert_eq!(h2_headings(body), Vec::<String>::new());
    // One figure holding every label after "Image", in order, to the end of the text.
    let labels: Vec<&str> = raw.lines().skip_while(|l| *l != "Image").skip(1).collect();
    assert_eq!(labels.len(), 44);
    assert_eq!(figures(body), vec![format!("{}\n", labels.join("\n"))]);
    assert!(body.ends_with("Crimea in 2014.\n```\n"));
    assert_eq!(body.matches("```figure").count(), 1);
}

#[test]
fn nyt_snapshot_keeps_the_front_matter_title() {
    let parts = ingest("2025-02-17.txt", NYT_SNAPSHOT);
    assert_eq!(parts.meta.title, "A guide to potential Ukraine peace talks");
    assert_eq!(
        parts.meta.updated.unwrap().to_rfc3339(),
        "2025-02-17T05:15:00-05:00"
    );
    assert_eq!(parts.body, ingest("nyt.txt", seed(NYT_SNAPSHOT)).body);
}

#[test]
fn fullfact_stored_form_golden() {
    let parts = ingest(
        "fullfact-ukraine-peace-talks-2025-03-04.txt",
        seed(FF_SNAPSHOT),
    );
    let stored = stored_text_parts(&parts.meta, &parts.body);
    let (meta, body) = parse_stored_parts(
        Path::new("explainers/fullfact-ukraine-peace-talks.md"),
        &stored,
    )
    .unwrap();
    assert_eq!((meta, body), (parts.meta, parts.body));
    insta::assert_snapshot!("fullfact_stored", stored);
}

#[test]
fn nyt_stored_form_golden() {
    let parts = ingest("2025-02-17.txt", NYT_SNAPSHOT);
    insta::assert_snapshot!("nyt_stored", stored_text_parts(&parts.meta, &parts.body));
}

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest");

fn fixture(name: &str) -> (std::path::PathBuf, Vec<u8>) {
    let path = Path::new(FIXTURES).join(name);
    let bytes = std::fs::read(&path).unwrap();
    (path, bytes)
}

fn fixture_refusal(name: &str) -> String {
    let (path, bytes) = fixture(name);
    let message = refusal(name, &bytes);
    assert!(
        message.starts_with(&format!("{name}: ")),
        "names the file: {message}"
    );
    // ingest_file refuses the same way, naming the path it was given.
    let via_file = match ingest_file(&path, &Rules::shipped()) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("{name} accepted by ingest_file"),
    };
    assert!(
        via_file.starts_with(&path.display().to_string()),
        "{via_file}"
    );
    message
}

#[test]
fn refuses_invalid_utf8_naming_the_byte() {
    assert_eq!(
        fixture_refusal("bad-utf8.txt"),
        "bad-utf8.txt: is not valid UTF-8 at byte 16 (line 2): save it as UTF-8 and try again"
    );
}

#[test]
fn refuses_nul_naming_the_line() {
    let msg = fixture_refusal("nul-byte.txt");
    assert!(msg.contains("NUL byte on line 3"), "{msg}");
}

#[test]
fn refuses_empty_inputs() {
    assert_eq!(
        fixture_refusal("empty.txt"),
        "empty.txt: is empty: nothing to ingest"
    );
    assert_eq!(
        fixture_refusal("whitespace-only.md"),
        "whitespace-only.md: is empty: nothing to ingest"
    );
}

#[test]
fn title_only_documents_are_stubs_with_an_empty_body() {
    let parts = ingest_parts(
        Path::new("front-matter-only.md"),
        &std::fs::read(format!(
            "{}/tests/fixtures/ingest/front-matter-only.md",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
        &Rules::shipped(),
    )
    .unwrap();
    assert_eq!(parts.meta.title, "Only front matter");
    assert_eq!(parts.body, "");
    // Synthetic stubs: a bare title heading, and a capture whose only line is furniture.
    let parts = ingest("title-only.md", "# Just a title\n\n");
    assert_eq!(parts.meta.title, "Just a title");
    assert_eq!(parts.body, "");
    let parts = ingest("furniture.txt", "Honesty in public debate matters\n");
    assert_eq!(parts.body, "");
    // A YAML front matter alone (shape of ../shared/corpus/jekyll-permalinks) is a stub too.
    let parts = ingest(
        "stub.md",
        "---\ntitle: Permalinks\npermalink: /docs/permalinks/\n---\n",
    );
    assert_eq!(parts.meta.title, "Permalinks");
    assert_eq!(parts.body, "");
    assert_eq!(
        parts.meta.extra.get("permalink").map(String::as_str),
        Some("/docs/permalinks/")
    );
}

#[test]
fn yaml_front_matter_never_reaches_the_body() {
    // Cut from ../shared/corpus/basecamp-privacy/0042_*.md (opening `--- ` with a trailing space).
    let text = "--- \ntitle: Privacy policy\ndescription: The privacy of your data is a big deal to us.\n---\n\n# Privacy policy\n\nWe take it seriously.\n";
    let parts = ingest("index.md", text);
    assert_eq!(parts.meta.title, "Privacy policy");
    assert_eq!(parts.body, "We take it seriously.\n");
    assert!(parts.meta.extra.contains_key("description"));
    let doc = crate::model::Document::new(parts.meta, parts.body);
    assert_eq!(doc.sections.len(), 1);
    assert_eq!(doc.sections[0].heading, None);
}

#[test]
fn yaml_front_matter_inside_an_import_wrapper_is_metadata_too() {
    // The audit's import files: redline's `+++` facts around a page that has its own
    // `---` front matter (page cut from ../shared/corpus/jekyll-permalinks/0030_*.md).
    let text = "+++\ntitle = \"jekyll-permalinks\"\nupdated = 2019-03-22T10:00:00Z\n\n[change]\neditor = \"rev a\"\n+++\n---\ntitle: Permalinks\npermalink: /docs/permalinks/\ndate: 2018-01-01\n---\n\nPermalinks refer to the URLs.\n";
    let parts = ingest("0030.md", text);
    assert_eq!(parts.meta.title, "jekyll-permalinks");
    assert_eq!(
        parts.meta.updated.unwrap().to_rfc3339(),
        "2019-03-22T10:00:00+00:00"
    );
    assert_eq!(parts.body, "Permalinks refer to the URLs.\n");
    assert_eq!(
        parts.meta.extra.get("permalink").map(String::as_str),
        Some("/docs/permalinks/")
    );
    // The inner `date` lost to the outer `updated`, so it stays as metadata.
    assert_eq!(
        parts.meta.extra.get("date").map(String::as_str),
        Some("2018-01-01")
    );
    assert_eq!(parts.change.unwrap().editor.as_deref(), Some("rev a"));
    // An inner error names the line in the file (line 6: `updated: soon`).
    let msg = refusal(
        "w.md",
        b"+++\ntitle = \"t\"\n+++\n---\ntitle: x\nupdated: soon\n---\nBody.\n",
    );
    assert!(
        msg.starts_with("w.md: front matter line 6: updated"),
        "{msg}"
    );
    // A body that only opens with a rule stays body.
    let parts = ingest(
        "r.md",
        "+++\ntitle = \"t\"\n+++\n---\n\nText after a rule.\n",
    );
    assert_eq!(parts.body, "---\n\nText after a rule.\n");
}

#[test]
fn malformed_yaml_front_matter_names_file_and_line() {
    // Synthetic: line 3 of the file has a tab-indented key YAML refuses.
    let msg = refusal("bad.md", b"---\ntitle: t\n\tbad: [\n---\nBody.\n");
    assert!(msg.starts_with("bad.md: front matter line "), "{msg}");
    assert_eq!(msg.lines().count(), 1, "{msg}");
}

#[test]
fn refuses_oversize_input() {
    let big = vec![b'a'; MAX_INPUT_BYTES + 1];
    let msg = refusal("huge.txt", &big);
    assert!(
        msg.starts_with("huge.txt: is larger than the 5 MB limit"),
        "{msg}"
    );
    // Exactly at the limit is fine as far as size goes.
    let mut ok = b"Title\n".to_vec();
    ok.resize(MAX_INPUT_BYTES, b'a');
    assert!(ingest_parts(Path::new("limit.txt"), &ok, &Rules::shipped()).is_ok());
    // A file is refused by its size, before it is read (crate::input_file).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.txt");
    std::fs::write(&path, vec![b'a'; MAX_INPUT_BYTES + 4096]).unwrap();
    let msg = ingest_file(&path, &Rules::shipped())
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains(&format!("5 MB limit ({} bytes)", MAX_INPUT_BYTES + 4096)),
        "{msg}"
    );
}

#[test]
fn refuses_malformed_front_matter_naming_the_line() {
    let msg = fixture_refusal("malformed-front-matter.md");
    assert!(
        msg.starts_with("malformed-front-matter.md: front matter line 3: "),
        "{msg}"
    );
    let msg = refusal(
        "front.md",
        b"+++\ntitle = \"T\"\nupdated = 2025-13-45\n+++\nBody.\n",
    );
    assert!(msg.starts_with("front.md: front matter line 3: "), "{msg}");
    let msg = refusal(
        "front.md",
        b"+++\ntitle = \"T\"\n\nupdated = 16:00:00\n+++\nBody.\n",
    );
    assert!(
        msg.starts_with("front.md: front matter line 4: updated = 16:00:00 has no date"),
        "{msg}"
    );
    let msg = fixture_refusal("unclosed-front-matter.md");
    assert!(msg.contains("never closed"), "{msg}");
}

#[test]
fn refuses_unknown_front_matter_key_naming_key_and_line() {
    let msg = fixture_refusal("unknown-key.txt");
    assert!(
        msg.starts_with("unknown-key.txt: front matter line 6: unknown field `edtor`"),
        "{msg}"
    );
}

#[test]
fn missing_file_is_an_io_error_naming_it() {
    let err = ingest_file(Path::new("/nonexistent/x.txt"), &Rules::shipped()).unwrap_err();
    assert!(matches!(err, Error::Io { .. }));
    assert!(err.to_string().starts_with("/nonexistent/x.txt: "), "{err}");
}

#[test]
fn crlf_bom_and_trailing_spaces_are_normalised() {
    let (_, bytes) = fixture("crlf-bom.md");
    let parts = ingest_parts(Path::new("crlf-bom.md"), &bytes, &Rules::shipped()).unwrap();
    assert_eq!(parts.meta.title, "Windows file");
    assert_eq!(
        parts.body,
        "First paragraph.\nOld Mac line end.\nLast line.\n"
    );
    let change = parts.change.unwrap();
    assert_eq!(change.kind, UpdateKind::Minor);
    assert_eq!(change.note.as_deref(), Some("Typo fixed."));
}

#[test]
fn markdown_without_front_matter_takes_title_from_h1_else_stem() {
    let parts = ingest(
        "notes/explainer.md",
        "# Ukraine talks: a guide\n\nLead *para*.\n\n## Who?\n\nText.\n",
    );
    assert_eq!(parts.meta.title, "Ukraine talks: a guide");
    assert_eq!(parts.meta.updated, None);
    assert_eq!(parts.body, "Lead *para*.\n\n## Who?\n\nText.\n");
    let parts = ingest("notes/my-explainer.markdown", "Lead.\n\n## Who?\n");
    assert_eq!(parts.meta.title, "my-explainer");
    assert_eq!(parts.body, "Lead.\n\n## Who?\n");
    // Markdown is not a capture: furniture and "Updated" lines are the author's to keep.
    let parts = ingest(
        "x.MD",
        "Updated 4 March 2025\n\nHonesty in public debate matters\n",
    );
    assert_eq!(parts.meta.updated, None);
    assert_eq!(
        parts.body,
        "Updated 4 March 2025\n\nHonesty in public debate matters\n"
    );
}

#[test]
fn plain_text_escapes_markup_and_front_matter_updated_wins() {
    let text = "+++\ntitle = \"Given\"\nupdated = 2025-01-01\nsource_url = \"https://example.org/a\"\n+++\nUpdated 4 March 2025\n# not a heading, a hashtag line.\n* starred line *here*.\n";
    let parts = ingest("capture.txt", text);
    assert_eq!(parts.meta.title, "Given");
    assert_eq!(
        parts.meta.updated.unwrap().to_rfc3339(),
        "2025-01-01T00:00:00+00:00"
    );
    assert_eq!(
        parts.meta.source_url.as_deref(),
        Some("https://example.org/a")
    );
    assert_eq!(
        parts.body,
        "\\# not a heading, a hashtag line.\n\n\\* starred line \\*here\\*.\n"
    );
}

#[test]
fn ingested_seeds_outline_as_intended() {
    use crate::model::BlockKind;
    let rules = Rules::shipped();
    let ff = ingest_bytes(
        Path::new("fullfact-ukraine-peace-talks-2025-03-04.txt"),
        seed(FF_SNAPSHOT).as_bytes(),
        &rules,
    )
    .unwrap();
    let headings: Vec<Option<&str>> = ff
        .document
        .sections
        .iter()
        .map(|s| s.heading.as_deref())
        .collect();
    let mut expected = vec![None];
    expected.extend(FF_HEADINGS.iter().map(|h| Some(*h)));
    assert_eq!(headings, expected);
    assert!(ff.document.sections.iter().skip(1).all(|s| s.level == 2));
    assert!(ff
        .document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .all(|b| b.kind == BlockKind::Paragraph));
    // The truce paragraph reads as two sentence-level claims, unescaped.
    let truce = ff
        .document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .flat_map(|b| &b.sentences)
        .find(|s| s.text.starts_with("Following the summit Mr Macron"))
        .unwrap();
    assert!(
        truce
            .text
            .ends_with("“no agreement” on this had been reached."),
        "{}",
        truce.text
    );

    let nyt = ingest_bytes(Path::new("2025-02-17.txt"), NYT_SNAPSHOT.as_bytes(), &rules).unwrap();
    assert_eq!(nyt.change.as_ref().map(|c| c.kind), Some(UpdateKind::Major));
    let blocks: Vec<_> = nyt
        .document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .collect();
    let figures: Vec<_> = blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Figure)
        .collect();
    assert_eq!(figures.len(), 1);
    assert_eq!(
        figures[0].sentences.len(),
        1,
        "a figure is never split into sentences"
    );
    assert!(figures[0].sentences[0]
        .text
        .starts_with("Ukraine holds territory in Russia’s Kursk region. BELARUS"));
    let three_questions = blocks
        .iter()
        .find(|b| nyt.document.body[b.span.clone()].starts_with("But how would"))
        .unwrap();
    assert_eq!(three_questions.kind, BlockKind::Paragraph);
    assert_eq!(three_questions.sentences.len(), 3);

    // The stored form parses back to the same document, outline included.
    for doc in [&ff.document, &nyt.document] {
        let back = parse_stored(Path::new("explainers/x.md"), &stored_text(doc)).unwrap();
        assert_eq!(&back, doc);
    }
}
