//! Ingest: turn an input file (Markdown with optional front matter, TOML `+++` or
//! YAML `---`, or a plain-text capture of a web page) into a `Document` in
//! canonical stored form. Front matter keys redline does not map are kept in
//! [`DocumentMeta::extra`]; front matter never reaches the body.
//!
//! Input checks come first (size, NUL, UTF-8, emptiness) so a wrong file is refused
//! with its name before anything is parsed. Line ends become LF and a BOM goes, so
//! the stored body never differs by platform. Plain text is rebuilt as Markdown via
//! `templates/document.md`; Markdown is kept as written.
//!
//! Canonical body generated from plain text (what the outliner, `structure::outline`, reads):
//! blocks separated by exactly one blank line; headings as `## Heading`; paragraphs on
//! one line each, Markdown-special characters backslash-escaped; a figure as a fenced
//! block with info string `figure` holding one label per line, verbatim; exactly one
//! final newline; no title (it is in the front matter).
//!
//! ````text
//! Lead paragraph.
//!
//! ## What talks have taken place and who is involved?
//!
//! Paragraph with \*stars\* kept as text.
//!
//! ```figure
//! Ukraine holds
//! territory in Russia’s
//! ```
//! ````
//!
//! Stored file ([`stored_text`] / [`parse_stored`]): `+++`, the TOML facts (`title`,
//! `updated` as a TOML offset datetime, `publisher`, `source_url`; absent ones left
//! out; then an `[extra]` table of quoted keys and string values, if any), `+++`,
//! then the body verbatim.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{Document, DocumentMeta, UpdateKind};

mod frontmatter;
mod markdown;
mod plain;
mod rules;

#[cfg(test)]
mod input_tests;

pub use rules::{DstRule, Furniture, Publisher, Rules, Zone};

/// Largest input accepted: explainers are tens of kilobytes; anything this big is a wrong file.
pub const MAX_INPUT_BYTES: usize = 5 * 1024 * 1024;

/// The `[change]` table of an import file: the update's editorial facts.
/// Unknown keys are refused so a typo (`edtor`) cannot pass silently.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeMeta {
    /// Editor name.
    pub editor: Option<String>,
    /// Major or minor.
    #[serde(default)]
    pub kind: UpdateKind,
    /// Public change note.
    pub note: Option<String>,
}

/// The result of ingesting one input.
#[derive(Debug, Clone)]
pub struct Ingested {
    /// The document in canonical form.
    pub document: Document,
    /// The `[change]` table, if the file had one (import files do).
    pub change: Option<ChangeMeta>,
}

/// How an input's body is read, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// `.md` / `.markdown`: kept as written.
    Markdown,
    /// Anything else (`.txt`, captures): one paragraph per line, rebuilt as Markdown.
    PlainText,
}

impl InputFormat {
    /// The format for a file name: Markdown for `.md`/`.markdown` (any case), else plain text.
    pub fn of(name: &Path) -> InputFormat {
        match name
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("md" | "markdown") => InputFormat::Markdown,
            _ => InputFormat::PlainText,
        }
    }
}

/// Read and ingest a file (refusing bad UTF-8, NUL, empty, > 5 MB, naming the file).
pub fn ingest_file(path: &Path, rules: &Rules) -> Result<Ingested> {
    let bytes = crate::input_file::read_bounded(path, MAX_INPUT_BYTES as u64)?;
    ingest_vec(path, bytes, rules)
}

/// The two sides of a file comparison (`diff --files OLD NEW`). `/dev/null` or a
/// missing file on one side means the file was added (or deleted): that side is an
/// empty document with the other side's title, so every sentence shows as added
/// (or removed). Both sides absent is an error naming them.
pub fn ingest_pair(old: &Path, new: &Path, rules: &Rules) -> Result<(Document, Document)> {
    let read = |path: &Path| -> Result<Option<Document>> {
        if path == Path::new("/dev/null") || !path.exists() {
            return Ok(None);
        }
        Ok(Some(ingest_file(path, rules)?.document))
    };
    let empty_like = |other: &Document| {
        Document::new(
            DocumentMeta {
                title: other.meta.title.clone(),
                ..DocumentMeta::default()
            },
            String::new(),
        )
    };
    match (read(old)?, read(new)?) {
        (Some(a), Some(b)) => Ok((a, b)),
        (None, Some(b)) => Ok((empty_like(&b), b)),
        (Some(a), None) => {
            let b = empty_like(&a);
            Ok((a, b))
        }
        (None, None) => Err(Error::input(
            old,
            format!(
                "neither this nor {} exists: nothing to compare",
                new.display()
            ),
        )),
    }
}

/// Ingest bytes that came from `name` (used for messages and to pick the format by extension).
pub fn ingest_bytes(name: &Path, bytes: &[u8], rules: &Rules) -> Result<Ingested> {
    ingest_vec(name, bytes.to_vec(), rules)
}

/// [`ingest_bytes`] of bytes it may keep (see [`ingest_owned`]).
fn ingest_vec(name: &Path, bytes: Vec<u8>, rules: &Rules) -> Result<Ingested> {
    let parts = ingest_owned(name, bytes, rules)?;
    Ok(Ingested {
        document: Document::new(parts.meta, parts.body),
        change: parts.change,
    })
}

/// What ingest produces before the outline is parsed: facts, canonical body, change table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestedParts {
    /// Document facts for the front matter.
    pub meta: DocumentMeta,
    /// Canonical Markdown body (one final newline; empty for a title-only stub).
    pub body: String,
    /// The `[change]` table, if any.
    pub change: Option<ChangeMeta>,
}

/// How many lines of `text` its front matter takes, fences and a nested second
/// front matter included; 0 when it has none. Read exactly as ingest reads it
/// (`--- ` and `...` fences, prose between `---` lines is body), so a report that
/// maps the body onto the file's lines never disagrees with what was ingested.
pub(crate) fn front_matter_lines(text: &str) -> usize {
    let name = Path::new("");
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Ok(split) = frontmatter::split(name, text) else {
        return 0;
    };
    if split.front.is_none() {
        return 0;
    }
    let mut body = split.body;
    let lines_before = text
        .get(..text.len() - body.len())
        .unwrap_or("")
        .matches('\n')
        .count();
    if let Ok(Some((_, rest))) = frontmatter::nested(name, body, lines_before) {
        body = rest;
    }
    text.get(..text.len() - body.len())
        .unwrap_or("")
        .matches('\n')
        .count()
}

/// The 1-based line of top-level `key` (`key =` in TOML, `key:` in YAML) within the
/// lines ingest reads as `text`'s front matter (see [`front_matter_lines`]).
pub(crate) fn front_matter_key_line(text: &str, key: &str) -> Option<usize> {
    let lines = front_matter_lines(text);
    let end = match lines.checked_sub(1) {
        None => return None,
        Some(last) => text
            .match_indices('\n')
            .nth(last)
            .map_or(text.len(), |(i, _)| i),
    };
    frontmatter::key_index(text.get(..end).unwrap_or(""), key).map(|i| i + 1)
}

/// [`ingest_bytes`] without building the outline: checks, front matter, body.
pub fn ingest_parts(name: &Path, bytes: &[u8], rules: &Rules) -> Result<IngestedParts> {
    ingest_owned(name, bytes.to_vec(), rules)
}

/// [`ingest_parts`] of bytes it may keep: the text is checked in the file's own
/// buffer and the body made from it with one copy (the tidy), not a copy per step.
fn ingest_owned(name: &Path, bytes: Vec<u8>, rules: &Rules) -> Result<IngestedParts> {
    let text = checked_text(name, bytes)?;
    let mut split = frontmatter::split(name, &text)?;
    let mut facts = match &split.front {
        Some(front) => frontmatter::parse_front(name, front)?,
        None => frontmatter::InputFacts::default(),
    };
    if split.front.is_some() {
        // A file with its own front matter wrapped in another (an import's `+++`
        // facts around a Jekyll page): the inner one is metadata too, never body.
        let before = text.len() - split.body.len();
        let lines_before = text.get(..before).unwrap_or("").matches('\n').count();
        if let Some((inner, rest)) = frontmatter::nested(name, split.body, lines_before)? {
            facts = facts.or(inner);
            split.body = rest;
        }
    }
    let known_title = facts
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());

    // The body is a suffix of `text` (front matter and fences before it).
    let body_start = text.len() - split.body.len();
    let (found_title, body, lifted, publisher) = match InputFormat::of(name) {
        InputFormat::Markdown => {
            let md = markdown::read(text, body_start, known_title);
            (md.title, md.body, None, None)
        }
        InputFormat::PlainText => {
            let capture = plain::read(split.body, rules, known_title);
            let body = if capture.blocks.is_empty() {
                String::new()
            } else {
                plain::render(&capture.blocks)?
            };
            (capture.title, body, capture.updated, capture.publisher)
        }
    };
    // A title-only document (a stub) is a valid version with an empty body.
    let body = if body.trim().is_empty() {
        String::new()
    } else {
        body
    };

    let title = known_title
        .map(str::to_string)
        .or(found_title)
        .unwrap_or_else(|| file_stem(name));
    let meta = DocumentMeta {
        title,
        updated: facts.updated.or(lifted),
        publisher: facts.publisher.or(publisher),
        source_url: facts.source_url,
        extra: facts.extra,
    };
    if let Some(problem) = meta
        .updated
        .and_then(|t| crate::time_range::check_storable(&t).err())
    {
        return Err(Error::input(name, format!("updated {problem}")));
    }
    Ok(IngestedParts {
        meta,
        body,
        change: facts.change,
    })
}

/// Refuse what is not text (oversize, NUL, bad UTF-8, empty) and normalise line ends and BOM.
fn checked_text(name: &Path, bytes: Vec<u8>) -> Result<String> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(Error::input(
            name,
            format!(
                "is larger than the 5 MB limit ({} bytes read): is this the right file?",
                bytes.len()
            ),
        ));
    }
    if let Some(at) = memchr::memchr(0, &bytes) {
        let line = line_at(&bytes, at);
        return Err(Error::input(
            name,
            format!("contains a NUL byte on line {line} (byte {at}): this looks like a binary file, not text"),
        ));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = line_at(e.as_bytes(), at);
        Error::input(
            name,
            format!(
                "is not valid UTF-8 at byte {at} (line {line}): save it as UTF-8 and try again"
            ),
        )
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.trim().is_empty() {
        return Err(Error::input(name, "is empty: nothing to ingest"));
    }
    // Most files already have LF line ends: one scan, no rewrite.
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return Ok(text);
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Parse a stored file (front matter + Markdown body) back into a `Document`.
/// Inverse of [`stored_text`]: the body is kept byte for byte.
pub fn parse_stored(name: &Path, text: &str) -> Result<Document> {
    let (meta, body) = parse_stored_parts(name, text)?;
    Ok(Document::new(meta, body))
}

/// The front-matter layer of [`parse_stored`]: facts and verbatim body, no outline.
/// A file without front matter (e.g. written with plain git) is all body, titled by its stem.
pub fn parse_stored_parts(name: &Path, text: &str) -> Result<(DocumentMeta, String)> {
    let split = frontmatter::split(name, text)?;
    let meta = match &split.front {
        Some(front) if front.format == frontmatter::FrontFormat::Toml => {
            frontmatter::parse_meta(name, front.text, front.first_line)?
        }
        // A YAML front matter (a file written with plain git) reads like an input's.
        Some(front) => {
            let facts = frontmatter::parse_front(name, front)?;
            DocumentMeta {
                title: facts.title.unwrap_or_else(|| file_stem(name)),
                updated: facts.updated,
                publisher: facts.publisher,
                source_url: facts.source_url,
                extra: facts.extra,
            }
        }
        None => DocumentMeta {
            title: file_stem(name),
            ..DocumentMeta::default()
        },
    };
    Ok((meta, split.body.to_string()))
}

/// The canonical stored text of a document: `+++` TOML front matter, then the body.
pub fn stored_text(document: &Document) -> String {
    stored_text_parts(&document.meta, &document.body)
}

/// [`stored_text`] from facts and body, for callers that have no outline yet.
pub fn stored_text_parts(meta: &DocumentMeta, body: &str) -> String {
    format!("+++\n{}+++\n{body}", frontmatter::render_meta(meta))
}

/// The 1-based line of byte offset `at`, for errors that point into a file.
fn line_at(bytes: &[u8], at: usize) -> usize {
    1 + memchr::memchr_iter(b'\n', bytes.get(..at).unwrap_or_default()).count()
}

/// The file name without directory and extension, as a fallback title.
fn file_stem(name: &Path) -> String {
    name.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn sample_meta() -> DocumentMeta {
        DocumentMeta {
            title: "A guide to potential Ukraine peace talks".into(),
            updated: Some(DateTime::parse_from_rfc3339("2025-02-17T05:15:00-05:00").unwrap()),
            publisher: Some("The New York Times".into()),
            source_url: Some("https://www.nytimes.com/x".into()),
            extra: Default::default(),
        }
    }

    #[test]
    fn stored_form_round_trips_exactly() {
        let bodies = [
            "",
            "One paragraph.\n",
            "Lead.\n\n## What next?\n\nText with +++ inside.\n\n```figure\nUkraine holds\nBELARUS\n```\n",
            "+++\nbody that itself starts with a fence\n+++\n",
            "no final newline",
        ];
        for body in bodies {
            for meta in [
                sample_meta(),
                DocumentMeta {
                    title: "t \"quoted\" \\ x".into(),
                    ..Default::default()
                },
            ] {
                let text = stored_text_parts(&meta, body);
                assert!(text.starts_with("+++\n"));
                let (m, b) = parse_stored_parts(Path::new("explainers/x.md"), &text).unwrap();
                assert_eq!(b, body);
                assert_eq!(m, meta);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// Any facts and any body survive the stored form unchanged.
        #[test]
        fn stored_form_round_trips_anything(
            title in "(\\PC|[\\x00-\\x1f\\x7f]|\n[+]{3}\n){0,30}",
            publisher in proptest::option::of("[ -~’“”\n\t]{0,20}"),
            body in "(\\PC|\n|\r|[+]{3}\n){0,60}",
            seconds in 0i64..4_000_000_000,
            offset_minutes in -900i32..900,
            extra in proptest::collection::vec(("(\\PC|\n|[+]{3}|\\[|=){0,12}", "(\\PC|\n|\r|[+]{3}\n){0,20}"), 0..4),
        ) {
            let offset = chrono::FixedOffset::east_opt(offset_minutes * 60).unwrap();
            let updated = chrono::DateTime::from_timestamp(seconds, 0).unwrap().with_timezone(&offset);
            let extra = extra.into_iter().collect();
            let meta = DocumentMeta { title, updated: Some(updated), publisher, source_url: None, extra };
            let text = stored_text_parts(&meta, &body);
            let (m, b) = parse_stored_parts(Path::new("x.md"), &text).unwrap();
            proptest::prop_assert_eq!(b, body);
            proptest::prop_assert_eq!(m, meta);
        }
    }

    #[test]
    fn stored_text_shape() {
        let text = stored_text_parts(&sample_meta(), "Body.\n");
        assert_eq!(
            text,
            "+++\ntitle = \"A guide to potential Ukraine peace talks\"\nupdated = 2025-02-17T05:15:00-05:00\npublisher = \"The New York Times\"\nsource_url = \"https://www.nytimes.com/x\"\n+++\nBody.\n"
        );
    }

    #[test]
    fn malformed_stored_front_matter_names_file_and_line() {
        let text = "+++\ntitle = \"t\"\npublisher = \"p\nupdated = 2025-03-04\n+++\nbody\n";
        let err = parse_stored_parts(Path::new("explainers/x.md"), text).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("explainers/x.md: front matter line 3: "),
            "{err}"
        );
        let text = "+++\ntitle = \"t\"\nchange = 1\n+++\nbody\n";
        let err = parse_stored_parts(Path::new("explainers/x.md"), text).unwrap_err();
        assert!(
            err.to_string().contains("line 3") && err.to_string().contains("change"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_or_null_side_is_an_added_or_deleted_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("page.md");
        // Synthetic document.
        std::fs::write(&file, "# Page\n\nOne sentence. Two.\n").unwrap();
        let rules = Rules::shipped();
        let (old, new) = ingest_pair(Path::new("/dev/null"), &file, &rules).unwrap();
        assert_eq!(old.body, "");
        assert_eq!(old.meta.title, "Page");
        let set = crate::diff::diff(&old, &new);
        assert_eq!(set.new_text(), new.body);
        assert!(set
            .changes
            .iter()
            .all(|c| c.kind() == crate::diff::ChangeKind::Added));
        assert_eq!(set.changes.len(), 2);
        let missing = dir.path().join("gone.md");
        let (old, new) = ingest_pair(&file, &missing, &rules).unwrap();
        assert_eq!(new.body, "");
        let set = crate::diff::diff(&old, &new);
        assert!(set
            .changes
            .iter()
            .all(|c| c.kind() == crate::diff::ChangeKind::Removed));
        let err = ingest_pair(&missing, Path::new("/dev/null"), &rules).unwrap_err();
        assert!(err.to_string().contains("nothing to compare"), "{err}");
    }

    #[test]
    fn front_matter_lines_count_what_ingest_reads_as_front_matter() {
        // Synthetic.
        assert_eq!(front_matter_lines("Body.\n"), 0);
        assert_eq!(front_matter_lines("+++\ntitle = \"T\"\n+++\nBody.\n"), 3);
        assert_eq!(front_matter_lines("--- \ntitle: T\n...\nBody.\n"), 3);
        // Prose between two rules is Markdown, not front matter.
        assert_eq!(front_matter_lines("---\nJust a line of prose.\n---\n"), 0);
        // An import wrapper's `+++` around a page's own `---`: both are front matter.
        assert_eq!(
            front_matter_lines("+++\ntitle = \"T\"\n+++\n---\nlayout: page\n---\nBody.\n"),
            6
        );
    }

    #[test]
    fn front_matter_key_lines_are_found_only_in_front_matter() {
        // Synthetic.
        // Moved from report: the body's own `updated = no` is not the key.
        assert_eq!(
            front_matter_key_line(
                "+++\ntitle = \"x\"\nupdated = 2025-01-01\n+++\nupdated = no\n",
                "updated"
            ),
            Some(3)
        );
        assert_eq!(
            front_matter_key_line("---\nupdated: 2025-01-01\n---\n", "updated"),
            Some(2)
        );
        // In the nested page front matter of an import wrapper.
        assert_eq!(
            front_matter_key_line(
                "+++\ntitle = \"T\"\n+++\n---\nlayout: page\nupdated: 2025-01-01\n---\nBody.\n",
                "updated"
            ),
            Some(6)
        );
        // The body, a longer key, no front matter: not the key.
        assert_eq!(
            front_matter_key_line("---\ntitle: x\n---\nupdated: 2025\n", "updated"),
            None
        );
        assert_eq!(
            front_matter_key_line("+++\nupdated_by = \"x\"\n+++\n", "updated"),
            None
        );
        assert_eq!(front_matter_key_line("updated = 1\n", "updated"), None);
    }

    #[test]
    fn stored_file_without_front_matter_is_all_body() {
        let (m, b) =
            parse_stored_parts(Path::new("explainers/plain-git.md"), "Just text.\n").unwrap();
        assert_eq!(m.title, "plain-git");
        assert_eq!(b, "Just text.\n");
    }
}
