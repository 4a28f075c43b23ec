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
    #[error("conflict: {slug} has moved on to {newer} since {expected}; nothing was written. {}", retry_advice(.newer))]
    Conflict {
        /// The explainer.
        slug: String,
        /// The version the writer started from.
        expected: String,
        /// The newest version in the store.
        newer: String,
    },
    /// A git repository that is not a redline store (see `redline init --adopt`).
    #[error("{} is a git repository but not a redline store ({reason}); nothing was read or written. To use a bare repository as a store deliberately, run `redline init --adopt --store {}`", .path.display(), .path.display())]
    NotAStore {
        /// The repository.
        path: PathBuf,
        /// Why it is not recognised.
        reason: String,
    },
    /// An update older than the explainer's newest version (without `--backdate`).
    #[error("{slug}: updated {updated} is older than {newest_version}, updated {newest}; nothing was written. Versions are kept in time order: give a later --updated (or `updated` in the file), or add --backdate to record it anyway")]
    TimeBackwards {
        /// The explainer.
        slug: String,
        /// The time asked for.
        updated: String,
        /// The newest version, `v3 (abc1234)`.
        newest_version: String,
        /// Its updated time.
        newest: String,
    },
    /// The store's file system refused a write (no space, permission denied, read-only).
    #[error("cannot write to the store: {0}")]
    StoreWrite(String),
    /// Another writer holds a lock on the store.
    #[error("store locked: {0}")]
    Locked(String),
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

/// What kind of failure an [`Error`] is: what a caller maps to an exit code
/// or an HTTP status, without reading its prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Something named does not exist (an explainer, a version, a store).
    NotFound,
    /// The request itself is malformed or its content is refused (the input,
    /// a version reference, a time out of order, configuration).
    BadInput,
    /// The explainer moved on since the version the writer started from.
    Conflict,
    /// Another writer holds the store's lock.
    Busy,
    /// The store could not be read or written (file system, git).
    Storage,
    /// A failure of redline itself (rendering).
    Internal,
}

impl ErrorKind {
    /// The HTTP status a service answers with for this kind of failure.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorKind::NotFound => 404,
            ErrorKind::BadInput => 422,
            ErrorKind::Conflict => 412,
            ErrorKind::Busy => 503,
            ErrorKind::Storage | ErrorKind::Internal => 500,
        }
    }
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
            | Error::NotAStore { .. }
            | Error::TimeBackwards { .. }
            | Error::Config { .. } => 2,
            _ => 1,
        }
    }

    /// The kind of failure, for exit codes and HTTP statuses.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::UnknownExplainer(_) | Error::MissingStore(_) => ErrorKind::NotFound,
            // A well-formed version reference that matches nothing is "not
            // found"; its shape is checked (as bad input) before a store is read.
            Error::Version(message) if is_no_such_version(message) => ErrorKind::NotFound,
            Error::Input { .. }
            | Error::InvalidSlug(_)
            | Error::Version(_)
            | Error::TimeBackwards { .. }
            | Error::Config { .. }
            | Error::NotAStore { .. } => ErrorKind::BadInput,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::Locked(_) => ErrorKind::Busy,
            Error::StoreWrite(_) | Error::Git(_) | Error::Io { .. } => ErrorKind::Storage,
            Error::Render(_) => ErrorKind::Internal,
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

    /// A file-system failure while writing the store, saying the cause in words.
    pub fn store_io(path: &std::path::Path, what: &str, source: std::io::Error) -> Self {
        Error::StoreWrite(format!("{what} {}: {}", path.display(), io_cause(&source)))
    }

    /// A libgit2 failure while writing the store: the cause in words (no space
    /// left, permission denied, lock held), never libgit2's bare "no error".
    pub fn git_write(what: &str, e: &git2::Error) -> Self {
        if e.code() == git2::ErrorCode::Locked {
            return Error::Locked(format!("{what}: {}; nothing was written", e.message()));
        }
        Error::StoreWrite(format!("{what}: {}; nothing was written", git_cause(e)))
    }
}

/// Whether a [`Error::Version`] message says a version does not exist (the
/// messages `store::resolve_in` writes), rather than that it cannot be read.
fn is_no_such_version(message: &str) -> bool {
    message.contains("; there is no v")
        || message.starts_with("no version of ")
        || message.contains(" has no version at or before ")
        || message.contains(" has no version with commit id ")
}

/// The advice closing a conflict message: exactly what `--expect` accepts.
fn retry_advice(newer: &str) -> String {
    // `newer` reads `v26 (22dce74)`, or says the explainer is gone.
    match newer.split_once(" (") {
        Some((label, _)) if label.starts_with('v') => {
            format!("Re-apply your edit to {newer} and commit with --expect {label}")
        }
        _ => "Commit without --expect to start it again".to_string(),
    }
}

/// An I/O error's cause in plain words.
fn io_cause(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let plain = match e.kind() {
        ErrorKind::StorageFull => "no space left on the device",
        ErrorKind::PermissionDenied => "permission denied",
        ErrorKind::ReadOnlyFilesystem => "read-only file system",
        ErrorKind::QuotaExceeded => "disk quota exceeded",
        ErrorKind::NotADirectory => "a file is where a folder must be",
        _ => return e.to_string(),
    };
    plain.to_string()
}

/// A libgit2 error's cause: its message with the operating system's reason in
/// plain words; libgit2 sometimes loses the reason ("no error"), which is then
/// read back from the last OS error.
fn git_cause(e: &git2::Error) -> String {
    let message = e.message();
    let lower = message.to_ascii_lowercase();
    for (needle, plain) in [
        ("no space left", "no space left on the device"),
        ("permission denied", "permission denied"),
        ("read-only file system", "read-only file system"),
        ("quota exceeded", "disk quota exceeded"),
        ("not a directory", "a file is where a folder must be"),
    ] {
        if lower.contains(needle) {
            return format!("{plain} ({message})");
        }
    }
    if message.is_empty() || lower == "no error" {
        let os = std::io::Error::last_os_error();
        if os.raw_os_error().is_some_and(|code| code != 0) {
            return io_cause(&os);
        }
        return "the file system refused the write without saying why".to_string();
    }
    message.to_string()
}

impl From<git2::Error> for Error {
    fn from(e: git2::Error) -> Self {
        Error::Git(git_cause(&e))
    }
}

impl From<askama::Error> for Error {
    fn from(e: askama::Error) -> Self {
        Error::Render(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Version, VersionRef};
    use crate::slug::Slug;

    /// The kinds a service maps to statuses, from the errors the library
    /// really raises (a store's resolver, the version parser, a conflict).
    #[test]
    fn errors_have_the_kind_a_service_maps_to_its_status() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::init(&dir.path().join("s.git")).unwrap();
        let slug = Slug::new("rates").unwrap();
        let missing = store.history(&slug).unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::NotFound);
        assert_eq!(missing.kind().http_status(), 404);

        let malformed = "yesterday".parse::<VersionRef>().unwrap_err();
        assert_eq!(malformed.kind(), ErrorKind::BadInput);
        assert_eq!(malformed.kind().http_status(), 422);

        let version = Version {
            number: 1,
            id: "abcdef0123456789abcdef0123456789abcdef01".into(),
            updated: chrono::DateTime::parse_from_rfc3339("2025-03-01T00:00:00Z").unwrap(),
            editor: "Jane".into(),
            kind: crate::model::UpdateKind::Major,
            note: "n".into(),
            blob: String::new(),
        };
        let history = [version];
        for reference in ["v2", "beef", "2025-02-01"] {
            let e = crate::store::resolve_for_tests(&slug, &history, &reference.parse().unwrap())
                .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::NotFound, "{reference}: {e}");
        }
        let conflict = Error::Conflict {
            slug: "rates".into(),
            expected: "v1 (abcdef0)".into(),
            newer: "v2 (1234567)".into(),
        };
        assert_eq!(conflict.kind().http_status(), 412);
        assert_eq!(Error::Locked("x".into()).kind().http_status(), 503);
        assert_eq!(Error::Git("x".into()).kind().http_status(), 500);
    }
}
