//! Typed ids for git objects the library hands between modules: a commit
//! ([`CommitId`], a version's id) and a blob ([`BlobId`], a stored file's
//! content), so one cannot be passed where the other, or any other text, is
//! meant. Both hold the full hex id as git writes it and serialise as that
//! plain string, so JSON is the same as when they were `String`s.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

/// Bytes as lower-case hex, as git writes ids (also checksums and random keys).
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

macro_rules! git_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The id from its hex text (as git wrote it).
            pub fn new(hex: impl Into<String>) -> Self {
                $name(hex.into())
            }

            /// The hex text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(hex: String) -> Self {
                $name(hex)
            }
        }

        impl From<&str> for $name {
            fn from(hex: &str) -> Self {
                $name(hex.to_string())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }
    };
}

git_id!(
    /// A commit's full hex id: which update a [`crate::model::Version`] is.
    CommitId
);

git_id!(
    /// A blob's full hex id: one stored file's content. Empty when unknown.
    BlobId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialise_as_plain_strings_and_compare_with_text() {
        let id = CommitId::new("0123456789abcdef0123456789abcdef01234567");
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"0123456789abcdef0123456789abcdef01234567\""
        );
        let back: CommitId = serde_json::from_str("\"abc\"").unwrap();
        assert_eq!(back, "abc");
        assert_eq!(id.get(..7), Some("0123456"));
        assert!(BlobId::default().is_empty());
    }
}
