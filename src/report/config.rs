//! The `[content]` and `[policy]` tables of `redline.toml`: which files of a
//! content repository are explainers, and the editorial policy `redline check`
//! enforces. Ingest reads the same file for its own keys and passes these
//! tables through untouched; they are checked here, unknown keys refused.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What `report` and `check` read from `redline.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReportConfig {
    /// `[content]`.
    pub content: ContentConfig,
    /// `[policy]`.
    pub policy: Policy,
}

/// `[content]`: which repository files are explainers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContentConfig {
    /// Glob patterns over repository paths (`/`-separated): `*` and `?` stay
    /// inside one path segment, `**` spans any number of segments.
    pub paths: Vec<String>,
}

impl Default for ContentConfig {
    fn default() -> ContentConfig {
        ContentConfig {
            paths: vec!["**/*.md".to_string()],
        }
    }
}

impl ContentConfig {
    /// Is the repository path `path` an explainer?
    pub fn is_explainer(&self, path: &str) -> bool {
        self.paths.iter().any(|pattern| glob_match(pattern, path))
    }
}

/// How seriously a policy rule is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A violation fails the check (exit 1).
    Error,
    /// A violation is printed; the check still passes.
    Warn,
    /// The rule is not checked.
    Off,
}

/// `[policy]`: the editorial rules of `redline check`, each with its severity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// A substantive change needs a change note: a `[change] note` changed in the
    /// file's front matter, or a `Redline-Note:` trailer in a commit of the range.
    pub change_note: Severity,
    /// A substantive change moves `updated` forward.
    pub updated_forward: Severity,
    /// `updated` does not move when nothing substantive changed.
    pub updated_unchanged: Severity,
    /// A change marked minor (`[change] kind = "minor"`, or a `Redline-Change: minor`
    /// trailer) has no substantive change.
    pub minor_is_minor: Severity,
    /// Removing an attributed claim: the change note names who made it.
    pub removed_claim_noted: Severity,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            change_note: Severity::Error,
            updated_forward: Severity::Error,
            updated_unchanged: Severity::Warn,
            minor_is_minor: Severity::Error,
            removed_claim_noted: Severity::Warn,
        }
    }
}

/// The two tables, each optional, every other key of the file ignored here.
#[derive(Debug, Default, Deserialize)]
struct Tables {
    #[serde(default)]
    content: Option<toml::Value>,
    #[serde(default)]
    policy: Option<toml::Value>,
}

impl ReportConfig {
    /// Read `[content]` and `[policy]` from the text of a `redline.toml` that came
    /// from `path` (used in messages). A key these tables do not know is refused,
    /// naming the table and key; a missing key keeps its default.
    pub fn parse(path: &Path, text: &str) -> Result<ReportConfig> {
        let error = |message: String| Error::Config {
            path: path.to_path_buf(),
            message,
        };
        let tables: Tables = toml::from_str(text).map_err(|e| {
            error(format!(
                "line {}: {}",
                line_of(text, e.span().map_or(0, |s| s.start)),
                e.message().trim()
            ))
        })?;
        let content = match tables.content {
            Some(value) => ContentConfig::deserialize(value)
                .map_err(|e| error(format!("[content]: {}", e.message().trim())))?,
            None => ContentConfig::default(),
        };
        let policy = match tables.policy {
            Some(value) => Policy::deserialize(value)
                .map_err(|e| error(format!("[policy]: {}", e.message().trim())))?,
            None => Policy::default(),
        };
        for pattern in &content.paths {
            if pattern.trim().is_empty() || pattern.starts_with('/') {
                return Err(error(format!(
                    "[content] paths: {pattern:?} is not a repository path pattern (relative, `/`-separated, e.g. \"explainers/**/*.md\")"
                )));
            }
        }
        Ok(ReportConfig { content, policy })
    }
}

/// 1-based line of byte `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    1 + text
        .get(..at)
        .unwrap_or(text)
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
}

/// Match a repository path against a glob: `**` is any number of whole segments
/// (zero included), `*` any run of characters inside a segment, `?` one character.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
    let path: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    segments_match(&pattern, &path)
}

fn segments_match(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|skip| {
            path.get(skip..)
                .is_some_and(|tail| segments_match(rest, tail))
        }),
        Some((first, rest)) => match path.split_first() {
            Some((segment, tail)) => {
                segment_match(
                    &first.chars().collect::<Vec<_>>(),
                    &segment.chars().collect::<Vec<_>>(),
                ) && segments_match(rest, tail)
            }
            None => false,
        },
    }
}

/// One segment against `*`/`?` wildcards (iterative, linear backtracking).
fn segment_match(pattern: &[char], text: &[char]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(c) if *c == '?' || Some(c) == text.get(t) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .unwrap_or_default()
        .iter()
        .all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_repository_paths() {
        assert!(glob_match("**/*.md", "a.md"));
        assert!(glob_match("**/*.md", "explainers/x/a.md"));
        assert!(!glob_match("**/*.md", "a.txt"));
        assert!(glob_match("explainers/**/*.md", "explainers/a.md"));
        assert!(glob_match("explainers/**/*.md", "explainers/2025/a.md"));
        assert!(!glob_match("explainers/**/*.md", "drafts/a.md"));
        assert!(!glob_match("explainers/*.md", "explainers/2025/a.md"));
        assert!(glob_match("explainers/?-*.md", "explainers/a-b.md"));
        assert!(glob_match("docs/*", "docs/readme"));
        assert!(glob_match("*a*b*", "xaybz"));
        assert!(!glob_match("*a*b", "xaybz"));
    }

    #[test]
    fn tables_parse_with_defaults_and_refuse_unknown_keys() {
        let path = Path::new("redline.toml");
        let config = ReportConfig::parse(path, "plain_heading_max_words = 3\n").unwrap();
        assert_eq!(config, ReportConfig::default());
        let config = ReportConfig::parse(
            path,
            "[content]\npaths = [\"explainers/**/*.md\"]\n[policy]\nchange_note = \"warn\"\n",
        )
        .unwrap();
        assert_eq!(config.content.paths, ["explainers/**/*.md"]);
        assert_eq!(config.policy.change_note, Severity::Warn);
        assert_eq!(config.policy.minor_is_minor, Severity::Error);

        let err = ReportConfig::parse(
            path,
            "[policy]\nchange_note = \"warn\"\nupdated_fwd = \"off\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("redline.toml: [policy]: unknown field `updated_fwd`"),
            "{err}"
        );
        let err = ReportConfig::parse(path, "[policy]\nchange_note = \"loud\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("[policy]") && err.contains("loud"), "{err}");
        let err = ReportConfig::parse(path, "[content]\npath = []\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `path`"), "{err}");
        let err = ReportConfig::parse(path, "[content\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("redline.toml: line 1:"), "{err}");
    }
}
