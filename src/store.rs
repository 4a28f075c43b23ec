//! Store: a bare git repository holding `explainers/<slug>.md`, one commit per
//! update on `refs/heads/main`, written without a work tree, ref moved by
//! compare-and-swap. git2 types stay inside this module.
//! OWNER: store engineer.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::error::Result;
use crate::model::{Document, Snapshot, UpdateKind, Version, VersionRef};
use crate::slug::Slug;

/// An open redline store.
pub struct Store {
    path: PathBuf,
}

/// What an editor asks to record with an update.
#[derive(Debug, Clone)]
pub struct UpdateRequest {
    /// Editor name (commit author).
    pub editor: String,
    /// Updated time (commit author date).
    pub updated: DateTime<FixedOffset>,
    /// Public change note (commit message).
    pub note: String,
    /// Major or minor (trailer `Redline-Change`).
    pub kind: UpdateKind,
    /// The version the editor started from; `None` applies to the current head.
    pub expect: Option<VersionRef>,
}

/// Result of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitOutcome {
    /// A new version was written.
    Committed(Version),
    /// The content equals the head version: nothing was written.
    Unchanged(Version),
}

/// One line of `redline list`.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainerEntry {
    /// The explainer.
    pub slug: Slug,
    /// Title of the newest version.
    pub title: String,
    /// How many versions.
    pub versions: usize,
    /// The newest version.
    pub latest: Version,
}

impl Store {
    /// Create a new bare store (HEAD -> refs/heads/main).
    pub fn init(_path: &Path) -> Result<Store> {
        todo!()
    }
    /// Open an existing store; `Error::MissingStore` if absent.
    pub fn open(_path: &Path) -> Result<Store> {
        todo!()
    }
    /// Store path.
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// Commit a new version of `slug` (compare-and-swap on the ref).
    pub fn commit(
        &self,
        _slug: &Slug,
        _document: &Document,
        _request: &UpdateRequest,
    ) -> Result<CommitOutcome> {
        todo!()
    }
    /// All explainers, sorted by slug.
    pub fn explainers(&self) -> Result<Vec<ExplainerEntry>> {
        todo!()
    }
    /// The explainer's versions, oldest first (v1..vN).
    pub fn history(&self, _slug: &Slug) -> Result<Vec<Version>> {
        todo!()
    }
    /// Resolve a version reference against a history.
    pub fn resolve(&self, _slug: &Slug, _reference: &VersionRef) -> Result<Version> {
        todo!()
    }
    /// Read one version's document.
    pub fn document(&self, _slug: &Slug, _version: &Version) -> Result<Document> {
        todo!()
    }
    /// Resolve and read.
    pub fn snapshot(&self, _slug: &Slug, _reference: &VersionRef) -> Result<Snapshot> {
        todo!()
    }
}
