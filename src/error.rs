//! One error type for the whole library, so every layer (CLI, HTTP, CI report)
//! can map failures to exit codes or status codes in one place.

use std::path::PathBuf;

/// Everything that can go wrong in redline, typed so callers can react.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input that cannot be ingested (bad UTF-8, NUL byte, empty, too large, bad front matter).
    #[error("{path}: {message}")]
    Input {
        /// The file (or `-`) the input came from.
        path: PathBuf,
        /// What was wrong, naming the line or field where known.
        message: String,
    },
    /// A slug outside `[a-z0-9][a-z0-9-]*`.
    #[error("invalid slug {0:?}: slugs are lower-case letters, digits and '-', starting with a letter or digit")]
    InvalidSlug(String),
    /// A version reference that does not parse or matches nothing.
    #[error("{0}")]
    Version(String),
    /// No explainer with this slug in the store.
    #[error("no explainer {0:?} in the store (see `redline list`)")]
    UnknownExplainer(String),
    /// The store does not exist or is not a redline store.
    #[error("no store at {path}: create one with `redline init --store {path}` (or set REDLINE_STORE)", path = .0.display())]
    MissingStore(PathBuf),
    /// Compare-and-swap refused the write: the explainer moved on since the expected version.
    #[error("conflict: {slug} has moved on to {newer} since {expected}; nothing was written. Re-apply your edit to {newer} and commit with --expect {newer}")]
    Conflict {
        /// The explainer.
        slug: String,
        /// The version the writer started from.
        expected: String,
        /// The newest version in the store.
        newer: String,
    },
    /// Configuration file problem.
    #[error("{path}: {message}")]
    Config {
        /// The config file.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
    /// Git failure that is not the user's fault.
    #[error("git store error: {0}")]
    Git(String),
    /// Template rendering failure.
    #[error("rendering failed: {0}")]
    Render(String),
    /// Filesystem failure.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// Library result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Process exit status for this error: 3 for a write conflict, 2 for bad input, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Conflict { .. } => 3,
            Error::Input { .. }
            | Error::InvalidSlug(_)
            | Error::Version(_)
            | Error::Config { .. } => 2,
            _ => 1,
        }
    }

    /// Shorthand for an [`Error::Input`].
    pub fn input(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.into(),
            message: message.into(),
        }
    }

    /// Shorthand for an [`Error::Io`].
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

impl From<git2::Error> for Error {
    fn from(e: git2::Error) -> Self {
        Error::Git(e.message().to_string())
    }
}

impl From<askama::Error> for Error {
    fn from(e: askama::Error) -> Self {
        Error::Render(e.to_string())
    }
}
