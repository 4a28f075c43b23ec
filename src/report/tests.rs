//! Unit tests of the report's assembly and outputs over in-memory documents
//! (synthetic texts written for these tests); git ranges are tested end to end
//! in `tests/report.rs`.

use super::render::filters_for_tests::{workflow_data, workflow_property};
use super::*;

fn side(file: &str) -> Side {
    let ingested = ingest::ingest_bytes(Path::new("x.md"), file.as_bytes(), &Rules::shipped())
        .expect("synthetic input ingests");
    Side {
        file: file.to_string(),
        document: ingested.document,
        change: ingested.change,
    }
}

fn changed_file(path: &str, old: &str, new: &str) -> FileReport {
    let (old, new) = (side(old), side(new));
    let base = side_version(
        1,
        "a".repeat(40).as_str(),
        chrono::DateTime::UNIX_EPOCH.fixed_offset(),
    );
    let head = side_version(
        2,
        "b".repeat(40).as_str(),
        chrono::DateTime::UNIX_EPOCH.fixed_offset(),
    );
    file_report(
        path,
        Some(path),
        FileStatus::Changed,
        Some(&old),
        Some(&new),
        |o, n| summary::summarize(&file_slug(), &[base, head], &[o.clone(), n.clone()]),
    )
    .expect("report of synthetic files")
}

fn report_of(files: Vec<FileReport>) -> Report {
    Report {
        schema: SCHEMA,
        source: "git",
        base: End {
            name: "main".into(),
            commit: "a".repeat(40),
        },
        head: End {
            name: "HEAD".into(),
            commit: "b".repeat(40),
        },
        merge_base: Some("a".repeat(40)),
        notes: Vec::new(),
        marked_minor: false,
        files,
    }
}

/// A file of `n` paragraphs whose numbers all change between old and new.
fn numbers_file(index: usize, n: usize) -> FileReport {
    let text = |step: usize| {
        (0..n)
            .map(|i| {
                format!(
                    "Paragraph {i} of file {index} counts {} people.\n\n",
                    i * 10 + step
                )
            })
            .collect::<String>()
    };
    changed_file(&format!("explainers/f{index:02}.md"), &text(0), &text(1))
}

#[test]
fn workflow_commands_encode_their_separators() {
    assert_eq!(workflow_data("50% up\r\nnext"), "50%25 up%0D%0Anext");
    assert_eq!(workflow_property("a:b,c%"), "a%3Ab%2Cc%25");
}

#[test]
fn markdown_stays_under_any_limit_and_keeps_its_structure() {
    let report = report_of((0..12).map(|i| numbers_file(i, 20)).collect());
    let full = markdown(&report, usize::MAX).unwrap();
    assert!(!full.truncated);
    assert_eq!(full.text.matches("<details>").count(), 12);
    let size = full.text.chars().count();
    for limit in [size, size - 1, size / 2, size / 5, 2_000, 900] {
        let cut = markdown(&report, limit).unwrap();
        assert!(
            cut.text.chars().count() <= limit,
            "{limit}: {}",
            cut.text.chars().count()
        );
        assert!(cut.text.starts_with(MARKER));
        assert_eq!(cut.truncated, limit < size, "{limit}");
        assert_eq!(
            cut.text.matches("<details>").count(),
            cut.text.matches("</details>").count()
        );
        if cut.truncated {
            assert!(cut
                .text
                .contains(&format!("This comment is cut to {limit} characters")));
        }
    }
    // Half the size: some files keep their full diff, the rest their summary or only a row.
    let half = markdown(&report, size / 2).unwrap().text;
    assert!(
        half.contains("<details>") && half.contains("is left out here"),
        "{half}"
    );
    assert_eq!(half.matches("| explainers/f").count(), 12);
}

#[test]
fn a_very_long_table_is_cut_too() {
    let files: Vec<FileReport> = (0..400).map(|i| numbers_file(i, 1)).collect();
    let report = report_of(files);
    let cut = markdown(&report, 5_000).unwrap();
    assert!(cut.text.chars().count() <= 5_000);
    assert!(
        cut.text.contains("more files, not listed here"),
        "{}",
        cut.text
    );
}

#[test]
fn changes_carry_file_lines_past_front_matter() {
    let old = "+++\ntitle = \"T\"\nupdated = 2025-03-01T09:00:00Z\n+++\n\nLead text here.\n\n## Part\n\nThere were 3 rounds.\n";
    let new = "+++\ntitle = \"T\"\nupdated = 2025-03-02T09:00:00Z\n+++\n\nLead text here.\n\n## Part\n\nA new sentence.\n\nThere were 4 rounds.\n";
    let file = changed_file("explainers/t.md", old, new);
    let lines: Vec<(ChangeKind, usize, Option<usize>)> = file
        .changes
        .iter()
        .map(|c| (c.kind, c.line, c.old_line))
        .collect();
    assert!(lines.contains(&(ChangeKind::Added, 10, None)), "{lines:?}");
    assert!(
        lines.contains(&(ChangeKind::Edited, 12, Some(10))),
        "{lines:?}"
    );
    assert_eq!(file.updated_line, Some(3));
    assert_eq!(file.substantive, Some(2));
}

#[test]
fn text_keeps_redlines_colours_and_drops_the_contents_controls() {
    let old = "Talks began in \u{1b}[2JGeneva with 3 rounds.\n";
    let new = "Talks began in \u{1b}[2JGeneva with 4 rounds.\n";
    let report = report_of(vec![changed_file("explainers/t.md", old, new)]);
    let coloured = text(&report, true).unwrap();
    assert!(coloured.contains("\u{1b}[31;9m3\u{1b}[0m"), "{coloured:?}");
    assert!(!coloured.contains("\u{1b}[2J"), "{coloured:?}");
    let plain = text(&report, false).unwrap();
    assert!(
        plain.contains("[-3-] [+4+]") && !plain.contains('\u{1b}'),
        "{plain:?}"
    );
}
