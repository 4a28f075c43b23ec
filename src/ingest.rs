//! Ingest: turn an input file (Markdown with optional TOML front matter, or a
//! plain-text capture of a web page) into a `Document` in canonical stored form.
//! OWNER: ingest engineer. Interface agreed; bodies to be written.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::model::{Document, UpdateKind};

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
pub fn parse_stored(_name: &Path, _text: &str) -> Result<Document> {
    todo!()
}

/// The canonical stored text of a document: `+++` TOML front matter, then the body.
pub fn stored_text(_document: &Document) -> String {
    todo!()
}
