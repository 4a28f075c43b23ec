//! Explainer slugs: the only user-supplied string that becomes part of a path,
//! so it is validated before anything touches the store.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A validated explainer slug, `[a-z0-9][a-z0-9-]*`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    /// Validate a slug; refuses path separators, dots, upper case and spaces.
    pub fn new(raw: &str) -> Result<Slug> {
        let mut chars = raw.chars();
        let first_ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if first_ok && rest_ok && raw.len() <= 100 {
            Ok(Slug(raw.to_string()))
        } else {
            Err(Error::InvalidSlug(raw.to_string()))
        }
    }

    /// The slug text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The explainer's path inside the store tree.
    pub fn store_path(&self) -> String {
        format!("explainers/{}.md", self.0)
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Slug {
    type Error = Error;
    fn try_from(s: String) -> Result<Slug> {
        Slug::new(&s)
    }
}

impl From<Slug> for String {
    fn from(s: Slug) -> String {
        s.0
    }
}

impl std::str::FromStr for Slug {
    type Err = Error;
    fn from_str(s: &str) -> Result<Slug> {
        Slug::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_slugs() {
        for ok in ["fullfact-ukraine-peace-talks", "a", "0-x", "nyt-2025"] {
            assert_eq!(Slug::new(ok).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn refuses_paths_and_odd_characters() {
        for bad in [
            "", "../x", "A B", "-lead", "a/b", "a.md", "Caps", "a_b", "é",
        ] {
            let err = Slug::new(bad).unwrap_err();
            assert!(
                matches!(err, Error::InvalidSlug(ref s) if s == bad),
                "{bad}: {err}"
            );
        }
    }
}
