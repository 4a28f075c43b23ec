//! Reading a content repository with git2: the range's merge base, the explainer
//! files changed in it (renames found), their blobs, the range's commit trailers
//! and the base's `redline.toml`. git2 types stay in this file.

use std::path::Path;

use git2::{Delta, DiffFindOptions, DiffOptions, ObjectType, Oid, Repository, Sort};

use super::config::ContentConfig;
use super::FileStatus;
use crate::error::{Error, Result};

/// One side of the range: the name asked for and the commit it resolved to.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub name: String,
    pub commit: String,
}

/// An open repository and the range `base...head`.
pub(crate) struct GitRange {
    repo: Repository,
    pub base: Resolved,
    pub head: Resolved,
    pub merge_base: String,
    merge_base_oid: Oid,
    head_oid: Oid,
}

/// One explainer file the range touched.
#[derive(Debug, Clone)]
pub(crate) struct FileDelta {
    pub status: FileStatus,
    /// Path at the merge base (None for added files).
    pub old_path: Option<String>,
    /// Path at head (None for deleted files).
    pub new_path: Option<String>,
    pub old_bytes: Option<Vec<u8>>,
    pub new_bytes: Option<Vec<u8>>,
}

impl GitRange {
    /// Open the repository at (or above) `path` and resolve `base...head`.
    pub fn open(path: &Path, base: &str, head: &str) -> Result<GitRange> {
        let repo = Repository::open_ext(
            path,
            git2::RepositoryOpenFlags::empty(),
            std::iter::empty::<&std::ffi::OsStr>(),
        )
        .map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: format!("not a git repository: {}", e.message()),
        })?;
        let resolve = |name: &str| -> Result<(Resolved, Oid)> {
            let commit = repo
                .revparse_single(name)
                .and_then(|o| o.peel_to_commit())
                .map_err(|e| {
                    Error::bad_input(
                        "ref",
                        name,
                        format!(
                            "{name:?} names no commit in {}: {}",
                            path.display(),
                            e.message()
                        ),
                    )
                })?;
            let id = commit.id();
            Ok((
                Resolved {
                    name: name.to_string(),
                    commit: id.to_string(),
                },
                id,
            ))
        };
        let (base, base_oid) = resolve(base)?;
        let (head, head_oid) = resolve(head)?;
        let merge_base_oid = repo.merge_base(base_oid, head_oid).map_err(|e| {
            Error::bad_input(
                "ref",
                format!("{}...{}", base.name, head.name),
                format!(
                    "{} and {} have no common ancestor: {}",
                    base.name,
                    head.name,
                    e.message()
                ),
            )
        })?;
        Ok(GitRange {
            repo,
            base,
            head,
            merge_base: merge_base_oid.to_string(),
            merge_base_oid,
            head_oid,
        })
    }

    /// The committer time of a commit of the range, for the summary's versions.
    pub fn time(&self, head: bool) -> Result<chrono::DateTime<chrono::FixedOffset>> {
        let oid = if head {
            self.head_oid
        } else {
            self.merge_base_oid
        };
        let time = self.repo.find_commit(oid).map_err(Error::git)?.time();
        let offset = chrono::FixedOffset::east_opt(time.offset_minutes() * 60)
            .unwrap_or_else(|| chrono::Offset::fix(&chrono::Utc));
        Ok(chrono::DateTime::from_timestamp(time.seconds(), 0)
            .unwrap_or_default()
            .with_timezone(&offset))
    }

    /// `redline.toml` at the root of the merge base's tree, if there is one.
    pub fn base_config(&self) -> Result<Option<String>> {
        let tree = self
            .repo
            .find_commit(self.merge_base_oid)
            .map_err(Error::git)?
            .tree()
            .map_err(Error::git)?;
        let Some(entry) = tree.get_name("redline.toml") else {
            return Ok(None);
        };
        let Ok(blob) = entry.to_object(&self.repo).and_then(|o| o.peel_to_blob()) else {
            return Ok(None);
        };
        String::from_utf8(blob.content().to_vec())
            .map(Some)
            .map_err(|_| Error::Config {
                path: format!("{}:redline.toml", short(&self.merge_base)).into(),
                message: "is not valid UTF-8".into(),
            })
    }

    /// Every commit message of the range (merge base excluded, head included).
    pub fn messages(&self) -> Result<Vec<String>> {
        let mut walk = self.repo.revwalk().map_err(Error::git)?;
        walk.set_sorting(Sort::TOPOLOGICAL).map_err(Error::git)?;
        walk.push(self.head_oid).map_err(Error::git)?;
        walk.hide(self.merge_base_oid).map_err(Error::git)?;
        let mut messages = Vec::new();
        for oid in walk {
            let commit = self
                .repo
                .find_commit(oid.map_err(Error::git)?)
                .map_err(Error::git)?;
            messages.push(String::from_utf8_lossy(commit.message_bytes()).into_owned());
        }
        Ok(messages)
    }

    /// The explainer files changed between the merge base and head, in path order.
    /// `only` limits them to those paths (a file, or a folder and everything in it).
    pub fn changed_files(
        &self,
        content: &ContentConfig,
        only: &[String],
    ) -> Result<Vec<FileDelta>> {
        let old_tree = self
            .repo
            .find_commit(self.merge_base_oid)
            .map_err(Error::git)?
            .tree()
            .map_err(Error::git)?;
        let new_tree = self
            .repo
            .find_commit(self.head_oid)
            .map_err(Error::git)?
            .tree()
            .map_err(Error::git)?;
        let mut options = DiffOptions::new();
        options.ignore_submodules(true);
        let mut diff = self
            .repo
            .diff_tree_to_tree(Some(&old_tree), Some(&new_tree), Some(&mut options))
            .map_err(Error::git)?;
        diff.find_similar(Some(DiffFindOptions::new().renames(true)))
            .map_err(Error::git)?;
        let wanted = |path: &Option<String>| {
            path.as_deref().is_some_and(|p| {
                content.is_explainer(p) && (only.is_empty() || only.iter().any(|o| within(p, o)))
            })
        };
        let mut files = Vec::new();
        for delta in diff.deltas() {
            let blob_side = |file: git2::DiffFile<'_>| {
                let is_blob = matches!(
                    file.mode(),
                    git2::FileMode::Blob | git2::FileMode::BlobExecutable
                );
                (is_blob && file.exists())
                    .then(|| {
                        file.path_bytes()
                            .map(|p| String::from_utf8_lossy(p).into_owned())
                    })
                    .flatten()
                    .map(|path| (path, file.id()))
            };
            let old = blob_side(delta.old_file());
            let new = blob_side(delta.new_file());
            let old_path = old.as_ref().map(|(p, _)| p.clone());
            let new_path = new.as_ref().map(|(p, _)| p.clone());
            let (old_wanted, new_wanted) = (wanted(&old_path), wanted(&new_path));
            let status = match (delta.status(), old_wanted, new_wanted) {
                (_, false, false) => continue,
                (Delta::Renamed, true, true) if old_path != new_path => FileStatus::Renamed,
                (_, true, true) => FileStatus::Changed,
                (_, false, true) => FileStatus::Added,
                (_, true, false) => FileStatus::Deleted,
            };
            let read = |side: &Option<(String, Oid)>, keep: bool| -> Result<Option<Vec<u8>>> {
                match side {
                    Some((_, id)) if keep => Ok(Some(self.blob(*id)?)),
                    _ => Ok(None),
                }
            };
            let keep_old = status != FileStatus::Added;
            let keep_new = status != FileStatus::Deleted;
            files.push(FileDelta {
                status,
                old_path: old_path.filter(|_| keep_old),
                new_path: new_path.filter(|_| keep_new),
                old_bytes: read(&old, keep_old)?,
                new_bytes: read(&new, keep_new)?,
            });
        }
        files.sort_by(|a, b| a.display_path().cmp(b.display_path()));
        Ok(files)
    }

    fn blob(&self, id: Oid) -> Result<Vec<u8>> {
        let object = self
            .repo
            .find_object(id, Some(ObjectType::Blob))
            .map_err(Error::git)?;
        let blob = object.peel_to_blob().map_err(Error::git)?;
        Ok(blob.content().to_vec())
    }
}

impl FileDelta {
    /// The path a reader knows the file by: at head, or at base when deleted.
    pub fn display_path(&self) -> &str {
        self.new_path
            .as_deref()
            .or(self.old_path.as_deref())
            .unwrap_or_default()
    }
}

/// Is `path` the file `limit`, or inside the folder `limit`?
fn within(path: &str, limit: &str) -> bool {
    let limit = limit.trim_start_matches("./").trim_end_matches('/');
    limit.is_empty()
        || limit == "."
        || path == limit
        || path
            .strip_prefix(limit)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Seven-character commit id.
pub(crate) fn short(id: &str) -> &str {
    id.get(..7).unwrap_or(id)
}

/// The values of `key` trailers (`Key: value` in a message's final paragraph).
pub(crate) fn trailers(message: &str, key: &str) -> Vec<String> {
    git2::message_trailers_strs(message)
        .map(|t| {
            t.iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.trim().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_files_or_folders() {
        assert!(within("explainers/a.md", "explainers"));
        assert!(within("explainers/a.md", "explainers/"));
        assert!(within("explainers/a.md", "./explainers/a.md"));
        assert!(!within("explainers-old/a.md", "explainers"));
        assert!(within("x.md", "."));
    }

    #[test]
    fn trailers_are_read_from_the_last_paragraph() {
        let message = "Update figures\n\nBody text.\n\nRedline-Note: Casualty figure updated\nSigned-off-by: A <a@b>\n";
        assert_eq!(
            trailers(message, "redline-note"),
            ["Casualty figure updated"]
        );
        assert!(trailers("Redline-Note: only a subject\n", "Redline-Note").len() <= 1);
        assert!(trailers(
            "Subject\n\nRedline-Note: x\n\nlater paragraph\n",
            "Redline-Note"
        )
        .is_empty());
    }
}
