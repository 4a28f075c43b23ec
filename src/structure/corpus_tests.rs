//! The outline and the diff on every version of the real revision histories in
//! `../shared/corpus` (read in place, never copied; `REDLINE_CORPUS` points
//! elsewhere). Skipped with a note when the folder is absent (CI has it).

use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::diff::{diff, SpanOp};
use crate::ingest::{ingest_bytes, ingest_parts, Rules};
use crate::model::{BlockKind, Document};

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("REDLINE_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    dir.is_dir().then_some(dir)
}

/// Every history folder's versions, oldest first.
fn histories(root: &Path) -> Vec<(String, Vec<PathBuf>)> {
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        files.sort();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        out.push((name, files));
    }
    out
}

/// Ranges of code blocks, pipe tables and the offsets of `<table`/`<tr` tags in raw
/// HTML, straight from pulldown-cmark (not through the outliner).
struct Markup {
    code: Vec<Range<usize>>,
    pipe_tables: Vec<usize>,
    html_tables: Vec<usize>,
}

fn markup(body: &str) -> Markup {
    let mut m = Markup {
        code: Vec::new(),
        pipe_tables: Vec::new(),
        html_tables: Vec::new(),
    };
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => m.code.push(range),
            Event::Start(Tag::Table(_)) => m.pipe_tables.push(range.start),
            Event::Html(t) => {
                let lower = t.to_ascii_lowercase();
                for tag in ["<table", "<tr"] {
                    for (at, _) in lower.match_indices(tag) {
                        m.html_tables.push(range.start + at);
                    }
                }
            }
            _ => {}
        }
    }
    m
}

fn check_outline(label: &str, doc: &Document) {
    let m = markup(&doc.body);
    for section in &doc.sections {
        if let Some(h) = &section.heading {
            assert!(
                !h.starts_with("---") && !h.starts_with("+++"),
                "{label}: heading {h:?}"
            );
        }
        for block in &section.blocks {
            for s in &block.sentences {
                // A code line may be `---` (a YAML example); nothing else may.
                assert!(
                    block.kind == BlockKind::Code
                        || !s.text.starts_with("---") && !s.text.starts_with("+++"),
                    "{label}: front matter as text: {:?}",
                    s.text
                );
                assert!(
                    !s.text.contains("<!--"),
                    "{label}: comment as text: {:?}",
                    s.text
                );
                assert!(
                    block.span.start <= s.span.start && s.span.end <= block.span.end,
                    "{label}: sentence outside its block"
                );
                if block.kind.is_prose() {
                    assert!(
                        !m.code
                            .iter()
                            .any(|c| c.start <= s.span.start && s.span.end <= c.end),
                        "{label}: prose sentence inside code: {:?}",
                        s.text
                    );
                }
            }
        }
    }
    for at in m.pipe_tables.iter().chain(&m.html_tables) {
        assert_eq!(
            doc.block_at(*at).map(|b| b.kind),
            Some(BlockKind::Table),
            "{label}: table at byte {at} is not a Table block"
        );
    }
}

#[test]
fn every_corpus_version_outlines_cleanly_and_diffs_losslessly() {
    let Some(root) = corpus() else {
        eprintln!("note: ../shared/corpus not found (set REDLINE_CORPUS): corpus check skipped");
        return;
    };
    let rules = Rules::shipped();
    let histories = histories(&root);
    assert!(!histories.is_empty(), "no histories in {}", root.display());
    // One thread per history: the five are independent.
    std::thread::scope(|scope| {
        for (name, files) in &histories {
            let rules = &rules;
            scope.spawn(move || {
                let mut previous: Option<Document> = None;
                let mut tables = 0;
                for file in files {
                    let label = format!("{name}/{}", file.file_name().unwrap().to_string_lossy());
                    let bytes = std::fs::read(file).unwrap();
                    let doc = ingest_bytes(file, &bytes, rules)
                        .unwrap_or_else(|e| panic!("{label}: {e}"))
                        .document;
                    check_outline(&label, &doc);
                    // Wrapped as an import file (redline's `+++` facts around the page,
                    // as ../shared/tools/since-audit.py writes it): the same body.
                    let mut wrapped = b"+++\nupdated = 2020-01-01T00:00:00Z\n+++\n".to_vec();
                    wrapped.extend_from_slice(&bytes);
                    let again = ingest_parts(file, &wrapped, rules)
                        .unwrap_or_else(|e| panic!("{label} (wrapped): {e}"));
                    assert!(again.body == doc.body, "{label}: wrapped body differs");
                    assert_eq!(again.meta.title, doc.meta.title, "{label}");
                    tables += doc
                        .sections
                        .iter()
                        .flat_map(|s| &s.blocks)
                        .filter(|b| b.kind == BlockKind::Table)
                        .count();
                    if let Some(old) = &previous {
                        let set = diff(old, &doc);
                        assert_eq!(set.old_text(), old.body, "{label}: old body not rebuilt");
                        assert_eq!(set.new_text(), doc.body, "{label}: new body not rebuilt");
                        assert!(set.spans.iter().all(|s| !s.text.is_empty()));
                        assert!(set.spans.windows(2).all(|w| w[0].op != w[1].op));
                        assert!(set
                            .spans
                            .windows(2)
                            .all(|w| !(w[0].op == SpanOp::Insert && w[1].op == SpanOp::Delete)));
                        for c in &set.changes {
                            let kind = match (c.new_range(), c.old_range()) {
                                (Some(r), _) => doc.block_at(r.start).map(|b| b.kind),
                                (None, Some(r)) => old.block_at(r.start).map(|b| b.kind),
                                _ => None,
                            };
                            if kind == Some(BlockKind::Code) {
                                assert!(
                                    c.reason().ends_with("code changed"),
                                    "{label}: {}",
                                    c.reason()
                                );
                                assert!(c.tags().is_empty(), "{label}");
                            }
                        }
                    }
                    previous = Some(doc);
                }
                eprintln!("{name}: {} versions, {tables} table blocks", files.len());
            });
        }
    });
}
