//! Ingest: turn an input file (Markdown with optional TOML front matter, or a
//! plain-text capture of a web page) into a `Document` in canonical stored form.
//! OWNER: ingest engineer. Interface agreed; bodies to be written.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::model::{Document, DocumentMeta, UpdateKind};

mod frontmatter;

/// Publisher rules (boilerplate to strip, metadata lines to lift), loaded from `redline.toml`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Rules {}

impl Rules {
    /// The shipped defaults (embedded `redline.toml`).
    pub fn shipped() -> Rules {
        todo!()
    }
    /// Load rules from a file, naming file and line on error.
    pub fn load(_path: &Path) -> Result<Rules> {
        todo!()
    }
}

/// The `[change]` table of an import file: the update's editorial facts.
/// Unknown keys are refused so a typo (`edtor`) cannot pass silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// Read and ingest a file (refusing bad UTF-8, NUL, empty, > 5 MB, naming the file).
pub fn ingest_file(_path: &Path, _rules: &Rules) -> Result<Ingested> {
    todo!()
}

/// Ingest bytes that came from `name` (used for messages and to pick the format by extension).
pub fn ingest_bytes(_name: &Path, _bytes: &[u8], _rules: &Rules) -> Result<Ingested> {
    todo!()
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
    let meta = match split.front {
        Some((toml, first_line)) => frontmatter::parse_meta(name, toml, first_line)?,
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
    fn stored_file_without_front_matter_is_all_body() {
        let (m, b) =
            parse_stored_parts(Path::new("explainers/plain-git.md"), "Just text.\n").unwrap();
        assert_eq!(m.title, "plain-git");
        assert_eq!(b, "Just text.\n");
    }
}
