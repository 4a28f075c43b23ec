//! The document model shared by every stage: what an explainer version is
//! (a `Document`: facts + canonical Markdown body + its outline) and what the
//! store knows about each update (`Version`).

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ids::{BlobId, CommitId};
use crate::slug::Slug;

/// Document facts kept in the TOML front matter of the stored file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DocumentMeta {
    /// The explainer's title.
    pub title: String,
    /// When the publisher last updated this version, if known.
    pub updated: Option<DateTime<FixedOffset>>,
    /// Who publishes the explainer, e.g. "Full Fact".
    pub publisher: Option<String>,
    /// The public page the text comes from.
    pub source_url: Option<String>,
    /// Front-matter keys redline does not map to a fact (`permalink`, `layout`,
    /// a site's own `date` when `lastmod` gave the updated time, ...), as text:
    /// strings as written, other scalars as written in the source, lists and
    /// maps as JSON. Kept so nothing in the input is lost; never shown as content.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
}

impl DocumentMeta {
    /// Whether two versions would read the same: same body and same facts. A
    /// different `updated` time or site metadata (`extra`) alone is not a change
    /// readers could see, so committing it writes nothing.
    pub fn same_content(&self, body: &str, other: &DocumentMeta, other_body: &str) -> bool {
        body == other_body
            && DocumentMeta {
                updated: other.updated,
                extra: other.extra.clone(),
                ..self.clone()
            } == *other
    }
}

/// One version of an explainer: its facts, its canonical Markdown body and the
/// outline parsed from that body. Byte ranges in the outline index `body`.
/// `Document::new`, which parses the outline, is defined beside the outliner (`structure`):
/// the outliner depends on the model, never the other way round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// Front-matter facts.
    pub meta: DocumentMeta,
    /// Canonical Markdown body, exactly as stored after the front matter.
    pub body: String,
    /// Sections in document order; the first has no heading when text precedes the first heading.
    pub sections: Vec<Section>,
}

impl Document {
    /// The block whose byte range contains `offset` in `body`, if any (a change's
    /// `old_range`/`new_range` start tells which kind of block it sits in).
    pub fn block_at(&self, offset: usize) -> Option<&Block> {
        let section = self
            .sections
            .iter()
            .find(|s| s.span.start <= offset && offset < s.span.end)?;
        section
            .blocks
            .iter()
            .find(|b| b.span.start <= offset && offset < b.span.end)
    }
}

/// A heading and the blocks under it (up to the next heading).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// Heading text without Markdown markup; `None` for the lead before the first heading.
    pub heading: Option<String>,
    /// Heading level (1–6); 0 for the lead.
    pub level: u8,
    /// Byte range of the whole section in the body, heading line included.
    pub span: Range<usize>,
    /// Blocks in order.
    pub blocks: Vec<Block>,
}

/// What kind of block a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// A paragraph.
    Paragraph,
    /// A block quotation.
    Quote,
    /// One item of a list.
    ListItem,
    /// A figure: an image marker with its labels, kept whole and never split into sentences.
    Figure,
    /// Fenced or indented code: compared by line, shown as code, never read as prose.
    Code,
    /// A table (pipe or HTML): compared by row and cell, never read as prose.
    Table,
    /// A raw HTML block that is neither a figure nor a table.
    Html,
    /// Anything else kept verbatim.
    Other,
}

impl BlockKind {
    /// Whether the block is prose a reader reads as sentences (claims, numbers,
    /// corrections can only come from prose; code, tables and markup are shown
    /// but never ranked as claims or corrections).
    pub fn is_prose(self) -> bool {
        matches!(
            self,
            BlockKind::Paragraph | BlockKind::Quote | BlockKind::ListItem
        )
    }
}

/// A paragraph, quotation, list item or figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    /// The block's kind.
    pub kind: BlockKind,
    /// Byte range in the body.
    pub span: Range<usize>,
    /// Sentences in order (a figure has exactly one, its whole text).
    pub sentences: Vec<Sentence>,
}

/// One sentence of prose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sentence {
    /// Byte range of the sentence's source (Markdown included) in the body.
    pub span: Range<usize>,
    /// The sentence as a reader sees it: Markdown markup removed, whitespace collapsed.
    pub text: String,
}

/// Editorial weight of an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum UpdateKind {
    /// A substantive update readers should be told about (the default).
    #[default]
    Major,
    /// A correction of typos, links or formatting.
    Minor,
}

impl fmt::Display for UpdateKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UpdateKind::Major => "major",
            UpdateKind::Minor => "minor",
        })
    }
}

impl std::str::FromStr for UpdateKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "major" => Ok(UpdateKind::Major),
            "minor" => Ok(UpdateKind::Minor),
            other => Err(Error::bad_input(
                "kind",
                other,
                format!("unknown change kind {other:?}: use \"major\" or \"minor\""),
            )),
        }
    }
}

/// One update of one explainer as recorded in the store (one git commit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    /// 1-based position in the explainer's history (v1 is the first).
    pub number: usize,
    /// Full commit id.
    pub id: CommitId,
    /// Updated time (the commit's author date).
    pub updated: DateTime<FixedOffset>,
    /// Editor (the commit's author name).
    pub editor: String,
    /// Major or minor.
    pub kind: UpdateKind,
    /// Public change note (the commit message without trailers).
    pub note: String,
    /// Id of the stored file's git blob at this version, when the store's
    /// history walk recorded it: lets a reader open the file with one object
    /// read instead of four (commit, root tree, folder, blob). Empty when
    /// unknown; never shown to readers.
    #[serde(skip)]
    pub blob: BlobId,
}

impl Version {
    /// `v3`-style label.
    pub fn label(&self) -> String {
        format!("v{}", self.number)
    }

    /// Seven-character commit id.
    pub fn short_id(&self) -> &str {
        self.id.get(..7).unwrap_or(&self.id)
    }
}

/// A stored explainer version: which explainer, which update, and its document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    /// The explainer.
    pub slug: Slug,
    /// The update that produced this version.
    pub version: Version,
    /// The version's document.
    pub document: Document,
}

/// How a user names a version: `v3`, a commit-id prefix, a date or datetime
/// ("the version current then"), or the newest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionRef {
    /// The newest version.
    Latest,
    /// `vN`, 1-based.
    Number(usize),
    /// A commit-id prefix (at least 4 hex digits).
    Commit(String),
    /// The version current at this instant (a bare date means the start of that day, UTC).
    At(DateTime<FixedOffset>),
}

impl VersionRef {
    /// The moment a reader asked about, when they named one rather than a
    /// version (what `Summary::asked` records).
    pub fn moment(&self) -> Option<DateTime<FixedOffset>> {
        match self {
            VersionRef::At(t) => Some(*t),
            _ => None,
        }
    }
}

impl fmt::Display for VersionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VersionRef::Latest => f.write_str("latest"),
            VersionRef::Number(n) => write!(f, "v{n}"),
            VersionRef::Commit(c) => f.write_str(c),
            VersionRef::At(t) => write!(f, "{}", t.to_rfc3339()),
        }
    }
}

impl std::str::FromStr for VersionRef {
    type Err = Error;
    fn from_str(raw: &str) -> Result<Self> {
        let s = raw.trim();
        if s.eq_ignore_ascii_case("latest") || s.eq_ignore_ascii_case("head") {
            return Ok(VersionRef::Latest);
        }
        if let Some(n) = s.strip_prefix('v').and_then(|n| n.parse::<usize>().ok()) {
            if n == 0 {
                return Err(Error::bad_input(
                    "version",
                    s,
                    "versions are numbered from v1".to_string(),
                ));
            }
            return Ok(VersionRef::Number(n));
        }
        if let Ok(t) = parse_when(s) {
            return Ok(VersionRef::At(t));
        }
        if s.len() >= 4 && s.len() <= 40 && s.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(VersionRef::Commit(s.to_ascii_lowercase()));
        }
        Err(Error::bad_input("version", raw, format!(
            "cannot read version {raw:?}: use vN, a commit id (4+ hex digits), a date (2025-03-01) or a datetime (2025-03-01T12:00:00Z)"
        )))
    }
}

/// Parse a user-given date or datetime. A bare date is the start of that day, UTC;
/// a datetime without offset is UTC.
pub fn parse_when(raw: &str) -> Result<DateTime<FixedOffset>> {
    let s = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t);
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(Utc.from_utc_datetime(&t).fixed_offset());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        if let Some(t) = d.and_hms_opt(0, 0, 0) {
            return Ok(Utc.from_utc_datetime(&t).fixed_offset());
        }
    }
    Err(Error::bad_input(
        "date",
        raw,
        format!("cannot read date {raw:?}: use 2025-03-01 or 2025-03-01T16:00:00Z"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_refs_parse() {
        assert_eq!("v3".parse::<VersionRef>().unwrap(), VersionRef::Number(3));
        assert_eq!("latest".parse::<VersionRef>().unwrap(), VersionRef::Latest);
        assert_eq!(
            "abc1234".parse::<VersionRef>().unwrap(),
            VersionRef::Commit("abc1234".into())
        );
        match "2025-03-01".parse::<VersionRef>().unwrap() {
            VersionRef::At(t) => assert_eq!(t.to_rfc3339(), "2025-03-01T00:00:00+00:00"),
            other => panic!("{other:?}"),
        }
        match "2025-03-04T16:00:00Z".parse::<VersionRef>().unwrap() {
            VersionRef::At(t) => assert_eq!(t.to_rfc3339(), "2025-03-04T16:00:00+00:00"),
            other => panic!("{other:?}"),
        }
        assert!("v0".parse::<VersionRef>().is_err());
        assert!("yesterday".parse::<VersionRef>().is_err());
        assert!("abc".parse::<VersionRef>().is_err());
    }

    #[test]
    fn block_at_finds_the_block_holding_an_offset() {
        // Synthetic: a lead paragraph, then a section with a list item.
        let body = "Lead sentence.\n\n## Part\n\n- An item.\n".to_string();
        let doc = Document::new(DocumentMeta::default(), body.clone());
        let item = body.find("An item").unwrap();
        assert_eq!(doc.block_at(0).map(|b| b.kind), Some(BlockKind::Paragraph));
        assert_eq!(
            doc.block_at(item).map(|b| b.kind),
            Some(BlockKind::ListItem)
        );
        assert!(doc.block_at(body.len()).is_none());
        assert!(BlockKind::Paragraph.is_prose());
        assert!(!BlockKind::Code.is_prose());
    }
}
