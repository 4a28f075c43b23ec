//! One error type for the whole library, so every layer (CLI, HTTP, CI report)
//! can map failures to exit codes or status codes in one place.

use std::path::PathBuf;

use crate::model::Version;

/// Everything that can go wrong in redline, typed so callers can react:
/// each variant carries the data a caller needs (which explainer, which
/// version, which field, the newer version of a conflict, the cause of a
/// storage failure) besides its one-line message.
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
    /// An argument or request field that is malformed or refused: a version
    /// reference that does not parse, a change kind, a time, a window whose
    /// end is before its start, the shape of a command's arguments.
    #[error("{message}")]
    BadInput {
        /// The field or argument (`version`, `kind`, `updated`, `window`, …).
        field: &'static str,
        /// The value given (empty when the problem is a missing value).
        value: String,
        /// The one-line message, naming the field and value and the fix.
        message: String,
    },
    /// A well-formed version reference that matches no version of the explainer.
    #[error("{message}")]
    NoSuchVersion {
        /// The explainer.
        slug: String,
        /// The reference as given (`v9`, a commit id, a date).
        reference: String,
        /// The one-line message, saying which versions exist.
        message: String,
    },
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
        expected: ConflictBase,
        /// What the explainer holds now: its newest version, when it has one.
        newer: Newest,
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
    #[error("{slug}: updated {updated} is older than {} ({}), updated {}; nothing was written. Versions are kept in time order: give a later --updated (or `updated` in the file), or add --backdate to record it anyway", .newest.label(), .newest.short_id(), .newest.updated.to_rfc3339())]
    TimeBackwards {
        /// The explainer.
        slug: String,
        /// The time asked for (RFC 3339).
        updated: String,
        /// The explainer's newest version, which is newer than `updated`.
        newest: Box<Version>,
    },
    /// The store's file system refused a write (no space, permission denied, read-only).
    #[error("cannot write to the store: {message}")]
    StoreWrite {
        /// Why, as a class a caller can act on.
        cause: StorageCause,
        /// The cause in words, naming the file or operation.
        message: String,
    },
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
    #[error("git store error: {message}")]
    Git {
        /// libgit2's failure as a class (its error code and the OS reason).
        cause: StorageCause,
        /// The cause in words.
        message: String,
    },
    /// Template rendering failure.
    #[error("rendering failed: {0}")]
    Render(String),
    /// A broken invariant of redline itself (a bug, not the input's fault).
    #[error("{0}")]
    Internal(String),
    /// Filesystem failure.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// The version a refused writer started from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConflictBase {
    /// One of the explainer's versions.
    Version(Box<Version>),
    /// A commit id that is none of them (an `If-Match` for an explainer that
    /// does not exist), as given.
    Id(String),
    /// No version: the writer was creating the explainer.
    Nothing,
}

/// What an explainer holds when a write is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Newest {
    /// Its newest version, which the writer has not seen.
    Version(Box<Version>),
    /// No version: it was removed from the store since the writer's version.
    Removed,
    /// No version: the explainer does not exist.
    Missing,
}

impl std::fmt::Display for ConflictBase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConflictBase::Version(v) => write!(f, "{} ({})", v.label(), v.short_id()),
            ConflictBase::Id(id) => f.write_str(id),
            ConflictBase::Nothing => f.write_str("no version (it was being created)"),
        }
    }
}

impl std::fmt::Display for Newest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Newest::Version(v) => write!(f, "{} ({})", v.label(), v.short_id()),
            Newest::Removed => f.write_str("no version (it was removed from the store)"),
            Newest::Missing => f.write_str("no version (the explainer does not exist)"),
        }
    }
}

/// Why the store could not be read or written, as a class a caller can act
/// on (free space, fix permissions, wait for a lock) without reading prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StorageCause {
    /// No space left on the device.
    NoSpace,
    /// Permission denied.
    PermissionDenied,
    /// A read-only file system.
    ReadOnly,
    /// A disk quota exceeded.
    QuotaExceeded,
    /// A file is where a folder must be.
    NotADirectory,
    /// A lock file is held (by another writer, or left by a crash).
    LockHeld,
    /// An object or reference the store needs is missing.
    Missing,
    /// Anything else.
    Other,
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
    /// A failure of redline itself (rendering, a broken invariant).
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
            | Error::BadInput { .. }
            | Error::NoSuchVersion { .. }
            | Error::NotAStore { .. }
            | Error::TimeBackwards { .. }
            | Error::Config { .. } => 2,
            _ => 1,
        }
    }

    /// The kind of failure, for exit codes and HTTP statuses.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::UnknownExplainer(_) | Error::MissingStore(_) | Error::NoSuchVersion { .. } => {
                ErrorKind::NotFound
            }
            Error::Input { .. }
            | Error::InvalidSlug(_)
            | Error::BadInput { .. }
            | Error::TimeBackwards { .. }
            | Error::Config { .. }
            | Error::NotAStore { .. } => ErrorKind::BadInput,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::Locked(_) => ErrorKind::Busy,
            Error::StoreWrite { .. } | Error::Git { .. } | Error::Io { .. } => ErrorKind::Storage,
            Error::Render(_) | Error::Internal(_) => ErrorKind::Internal,
        }
    }

    /// Shorthand for an [`Error::Input`].
    pub fn input(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.into(),
            message: message.into(),
        }
    }

    /// Shorthand for an [`Error::BadInput`].
    pub fn bad_input(
        field: &'static str,
        value: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::BadInput {
            field,
            value: value.into(),
            message: message.into(),
        }
    }

    /// Shorthand for an [`Error::NoSuchVersion`].
    pub fn no_such_version(
        slug: impl std::fmt::Display,
        reference: impl std::fmt::Display,
        message: impl Into<String>,
    ) -> Self {
        Error::NoSuchVersion {
            slug: slug.to_string(),
            reference: reference.to_string(),
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
        let (cause, words) = io_cause(&source);
        Error::StoreWrite {
            cause,
            message: format!("{what} {}: {words}", path.display()),
        }
    }

    /// A store failure described by redline (not by libgit2).
    pub(crate) fn storage(message: impl Into<String>) -> Self {
        Error::Git {
            cause: StorageCause::Other,
            message: message.into(),
        }
    }

    /// A libgit2 failure (the one way a git2 error becomes an [`Error`]:
    /// git2's types are not part of redline's API).
    pub(crate) fn git(e: git2::Error) -> Self {
        let (cause, message) = git_cause(&e);
        Error::Git { cause, message }
    }

    /// A template failure (askama's error is not part of redline's API).
    pub(crate) fn render(e: askama::Error) -> Self {
        Error::Render(e.to_string())
    }

    /// A libgit2 failure while writing the store: the cause in words (no space
    /// left, permission denied, lock held), never libgit2's bare "no error".
    pub(crate) fn git_write(what: &str, e: &git2::Error) -> Self {
        if e.code() == git2::ErrorCode::Locked {
            return Error::Locked(format!("{what}: {}; nothing was written", e.message()));
        }
        let (cause, words) = git_cause(e);
        Error::StoreWrite {
            cause,
            message: format!("{what}: {words}; nothing was written"),
        }
    }
}

/// The advice closing a conflict message: exactly what `--expect` accepts.
fn retry_advice(newer: &Newest) -> String {
    match newer {
        Newest::Version(v) => format!(
            "Re-apply your edit to {newer} and commit with --expect {}",
            v.label()
        ),
        Newest::Removed | Newest::Missing => {
            "Commit without --expect to start it again".to_string()
        }
    }
}

/// An I/O error's cause as a class and in plain words.
fn io_cause(e: &std::io::Error) -> (StorageCause, String) {
    use std::io::ErrorKind;
    let (cause, plain) = match e.kind() {
        ErrorKind::StorageFull => (StorageCause::NoSpace, "no space left on the device"),
        ErrorKind::PermissionDenied => (StorageCause::PermissionDenied, "permission denied"),
        ErrorKind::ReadOnlyFilesystem => (StorageCause::ReadOnly, "read-only file system"),
        ErrorKind::QuotaExceeded => (StorageCause::QuotaExceeded, "disk quota exceeded"),
        ErrorKind::NotADirectory => (
            StorageCause::NotADirectory,
            "a file is where a folder must be",
        ),
        _ => return (StorageCause::Other, e.to_string()),
    };
    (cause, plain.to_string())
}

/// A libgit2 error's cause: a class, and its message with the operating
/// system's reason in plain words; libgit2 sometimes loses the reason ("no
/// error"), which is then read back from the last OS error.
fn git_cause(e: &git2::Error) -> (StorageCause, String) {
    let message = e.message();
    let lower = message.to_ascii_lowercase();
    for (needle, cause, plain) in [
        (
            "no space left",
            StorageCause::NoSpace,
            "no space left on the device",
        ),
        (
            "permission denied",
            StorageCause::PermissionDenied,
            "permission denied",
        ),
        (
            "read-only file system",
            StorageCause::ReadOnly,
            "read-only file system",
        ),
        (
            "quota exceeded",
            StorageCause::QuotaExceeded,
            "disk quota exceeded",
        ),
        (
            "not a directory",
            StorageCause::NotADirectory,
            "a file is where a folder must be",
        ),
    ] {
        if lower.contains(needle) {
            return (cause, format!("{plain} ({message})"));
        }
    }
    let cause = match e.code() {
        git2::ErrorCode::Locked => StorageCause::LockHeld,
        git2::ErrorCode::NotFound => StorageCause::Missing,
        _ => StorageCause::Other,
    };
    if message.is_empty() || lower == "no error" {
        let os = std::io::Error::last_os_error();
        if os.raw_os_error().is_some_and(|code| code != 0) {
            return io_cause(&os);
        }
        return (
            cause,
            "the file system refused the write without saying why".to_string(),
        );
    }
    (cause, message.to_string())
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
            blob: Default::default(),
        };
        let history = [version.clone()];
        for reference in ["v2", "beef", "2025-02-01"] {
            let e = crate::store::resolve_for_tests(&slug, &history, &reference.parse().unwrap())
                .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::NotFound, "{reference}: {e}");
            match e {
                Error::NoSuchVersion {
                    slug,
                    reference: given,
                    ..
                } => {
                    assert_eq!(slug, "rates");
                    assert_eq!(given, reference.parse::<VersionRef>().unwrap().to_string());
                }
                other => panic!("{other:?}"),
            }
        }
        for (reference, field) in [("v0", "version"), ("yesterday", "version")] {
            match reference.parse::<VersionRef>().unwrap_err() {
                Error::BadInput {
                    field: f, value, ..
                } => {
                    assert_eq!((f, value.as_str()), (field, reference));
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(Error::Locked("x".into()).kind().http_status(), 503);
        assert_eq!(Error::storage("x").kind().http_status(), 500);
        assert_eq!(Error::Internal("x".into()).kind().http_status(), 500);
    }

    /// A conflict carries the newer version itself, and says it in the same
    /// words as when it carried text.
    #[test]
    fn conflicts_carry_versions_and_read_as_before() {
        let version = |number: usize, id: &str| Version {
            number,
            id: id.into(),
            updated: chrono::DateTime::parse_from_rfc3339("2025-03-01T00:00:00Z").unwrap(),
            editor: "Jane".into(),
            kind: crate::model::UpdateKind::Major,
            note: "n".into(),
            blob: Default::default(),
        };
        let v1 = version(1, "abcdef0123456789abcdef0123456789abcdef01");
        let v2 = version(2, "1234567123456789abcdef0123456789abcdef01");
        let conflict = Error::Conflict {
            slug: "rates".into(),
            expected: ConflictBase::Version(Box::new(v1)),
            newer: Newest::Version(Box::new(v2.clone())),
        };
        assert_eq!(conflict.kind().http_status(), 412);
        assert_eq!(conflict.exit_code(), 3);
        assert_eq!(
            conflict.to_string(),
            "conflict: rates has moved on to v2 (1234567) since v1 (abcdef0); nothing was written. Re-apply your edit to v2 (1234567) and commit with --expect v2"
        );
        let Error::Conflict {
            newer: Newest::Version(newer),
            ..
        } = &conflict
        else {
            unreachable!()
        };
        assert_eq!(**newer, v2);
        let missing = Error::Conflict {
            slug: "rates".into(),
            expected: ConflictBase::Id("abc123".into()),
            newer: Newest::Missing,
        };
        assert_eq!(
            missing.to_string(),
            "conflict: rates has moved on to no version (the explainer does not exist) since abc123; nothing was written. Commit without --expect to start it again"
        );
    }

    /// Storage failures carry their cause as a class, and keep their words.
    #[test]
    fn storage_failures_carry_their_cause() {
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let e = Error::store_io(std::path::Path::new("/s/x"), "cannot write", full);
        assert!(matches!(
            e,
            Error::StoreWrite {
                cause: StorageCause::NoSpace,
                ..
            }
        ));
        assert_eq!(
            e.to_string(),
            "cannot write to the store: cannot write /s/x: no space left on the device"
        );
        let locked = git2::Error::new(
            git2::ErrorCode::Locked,
            git2::ErrorClass::Reference,
            "failed to lock file",
        );
        assert!(matches!(
            Error::git(locked),
            Error::Git {
                cause: StorageCause::LockHeld,
                ..
            }
        ));
        let denied = git2::Error::new(
            git2::ErrorCode::GenericError,
            git2::ErrorClass::Os,
            "failed to make directory: Permission denied",
        );
        let e = Error::git_write("could not record x", &denied);
        assert!(matches!(
            e,
            Error::StoreWrite {
                cause: StorageCause::PermissionDenied,
                ..
            }
        ));
        assert_eq!(e.kind(), ErrorKind::Storage);
    }
}
