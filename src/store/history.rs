//! History walks: which commits on `main` are versions of which explainer.
//!
//! A version of `<slug>` is a commit on the first-parent chain of `main` whose
//! blob at `explainers/<slug>.md` differs from its first parent's (the file was
//! added or changed). A history starts where the file was (last) added, so an
//! explainer deleted and re-created starts again at v1; explainers absent from
//! `main` are not listed. All histories come from one replay of the chain,
//! reading each `explainers` tree once and skipping commits whose `explainers`
//! subtree id equals the parent's without opening it; the replay can resume
//! from a cached answer for an older commit (see `cache`).

use std::collections::BTreeMap;

use git2::{Commit, ObjectType, Oid, Repository};

use super::message;
use crate::error::Result;
use crate::model::Version;
use crate::slug::Slug;

/// The branch every redline store keeps its versions on.
pub(crate) const MAIN_REF: &str = "refs/heads/main";
/// The folder holding one file per explainer.
pub(crate) const EXPLAINERS_DIR: &str = "explainers";

/// The commit `main` points at, or `None` while the store is empty (unborn branch).
pub(crate) fn main_tip(repo: &Repository) -> Result<Option<Oid>> {
    match repo.refname_to_id(MAIN_REF) {
        Ok(oid) => Ok(Some(oid)),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(crate::error::Error::git(e)),
    }
}

/// The version a commit records, numbered `number`.
pub(crate) fn version_from_commit(commit: &Commit<'_>, number: usize) -> Version {
    let author = commit.author();
    let parsed = message::parse(&String::from_utf8_lossy(commit.message_bytes()));
    Version {
        number,
        id: commit.id().to_string().into(),
        updated: message::time_from_git(author.when()),
        editor: parsed
            .editor
            .unwrap_or_else(|| String::from_utf8_lossy(author.name_bytes()).into_owned()),
        kind: parsed.kind,
        note: parsed.note,
        blob: Default::default(),
    }
}

/// The id of the `explainers` tree of a commit, if it has one.
fn explainers_dir(repo: &Repository, commit: &Commit<'_>) -> Result<Option<Oid>> {
    let root = repo
        .find_tree(commit.tree_id())
        .map_err(crate::error::Error::git)?;
    Ok(root
        .get_name(EXPLAINERS_DIR)
        .filter(|e| e.kind() == Some(ObjectType::Tree))
        .map(|e| e.id()))
}

#[cfg(test)]
/// The blob id of `file` inside an `explainers` tree.
fn blob_in(repo: &Repository, dir: Option<Oid>, file: &str) -> Result<Option<Oid>> {
    let Some(dir) = dir else { return Ok(None) };
    let tree = repo.find_tree(dir).map_err(crate::error::Error::git)?;
    Ok(tree
        .get_name(file)
        .filter(|e| e.kind() == Some(ObjectType::Blob))
        .map(|e| e.id()))
}

#[cfg(test)]
/// The first parent of a commit, if any.
fn first_parent<'r>(repo: &'r Repository, commit: &Commit<'_>) -> Result<Option<Commit<'r>>> {
    match commit.parent_ids().next() {
        Some(id) => Ok(Some(
            repo.find_commit(id).map_err(crate::error::Error::git)?,
        )),
        None => Ok(None),
    }
}

#[cfg(test)]
/// Number versions collected newest first as v1..vN, oldest first.
fn numbered(mut newest_first: Vec<Version>) -> Vec<Version> {
    newest_first.reverse();
    for (i, v) in newest_first.iter_mut().enumerate() {
        v.number = i + 1;
    }
    newest_first
}

/// The `<slug>.md` blobs of an `explainers` tree, sorted by slug.
fn explainer_blobs(repo: &Repository, dir: Option<Oid>) -> Result<Vec<(String, Oid)>> {
    let Some(dir) = dir else {
        return Ok(Vec::new());
    };
    let tree = repo.find_tree(dir).map_err(crate::error::Error::git)?;
    let mut blobs: Vec<(String, Oid)> = tree
        .iter()
        .filter(|e| e.kind() == Some(ObjectType::Blob))
        .filter_map(|e| {
            let name = std::str::from_utf8(e.name_bytes()).ok()?;
            let slug = name.strip_suffix(".md")?;
            Slug::new(slug).ok()?;
            Some((slug.to_string(), e.id()))
        })
        .collect();
    // Already in git's order for blobs; sorting keeps the merge below correct regardless.
    blobs.sort();
    Ok(blobs)
}

/// What happened to one explainer between a commit and its parent.
enum Change<'a> {
    /// Added (absent in the parent) or changed; `blob` is the new content.
    Written {
        slug: &'a str,
        added: bool,
        blob: Oid,
    },
    /// Present in the parent, gone in the commit.
    Removed { slug: &'a str },
}

/// Merge-join two sorted blob lists into the changes from `parent` to `current`.
fn changes<'a>(current: &'a [(String, Oid)], parent: &'a [(String, Oid)]) -> Vec<Change<'a>> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    loop {
        match (current.get(i), parent.get(j)) {
            (Some((cs, co)), Some((ps, po))) => match cs.cmp(ps) {
                std::cmp::Ordering::Equal => {
                    if co != po {
                        out.push(Change::Written {
                            slug: cs,
                            added: false,
                            blob: *co,
                        });
                    }
                    i += 1;
                    j += 1;
                }
                std::cmp::Ordering::Less => {
                    out.push(Change::Written {
                        slug: cs,
                        added: true,
                        blob: *co,
                    });
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    out.push(Change::Removed { slug: ps });
                    j += 1;
                }
            },
            (Some((cs, co)), None) => {
                out.push(Change::Written {
                    slug: cs,
                    added: true,
                    blob: *co,
                });
                i += 1;
            }
            (None, Some((ps, _))) => {
                out.push(Change::Removed { slug: ps });
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// One explainer's versions as of commit `tip`, oldest first; empty when the
/// explainer does not exist there. An independent backward walk, kept as the
/// oracle the replay in [`histories_at`] is tested against.
#[cfg(test)]
pub(crate) fn slug_history(
    repo: &Repository,
    tip: Option<Oid>,
    slug: &Slug,
) -> Result<Vec<Version>> {
    let Some(tip) = tip else {
        return Ok(Vec::new());
    };
    let file = format!("{slug}.md");
    let mut commit = repo.find_commit(tip).map_err(crate::error::Error::git)?;
    let mut dir = explainers_dir(repo, &commit)?;
    let mut blob = blob_in(repo, dir, &file)?;
    let mut found = Vec::new();
    // Walk back while the file exists; the commit where it appears is v1.
    while let Some(current) = blob {
        let parent = first_parent(repo, &commit)?;
        let (parent_dir, parent_blob) = match &parent {
            Some(p) => {
                let pdir = explainers_dir(repo, p)?;
                let pblob = if pdir == dir {
                    blob
                } else {
                    blob_in(repo, pdir, &file)?
                };
                (pdir, pblob)
            }
            None => (None, None),
        };
        if parent_blob != Some(current) {
            found.push(Version {
                blob: current.to_string().into(),
                ..version_from_commit(&commit, 0)
            });
        }
        let Some(parent) = parent else { break };
        commit = parent;
        dir = parent_dir;
        blob = parent_blob;
    }
    Ok(numbered(found))
}

/// Every explainer's versions, oldest first, keyed by slug.
pub(crate) type Histories = BTreeMap<Slug, Vec<Version>>;

/// Every explainer's versions as of commit `tip`, and how many commits had to
/// be read to get there.
///
/// `base` is a known answer for an earlier commit (from the cache): when that
/// commit is on `tip`'s first-parent chain only the commits after it are read;
/// otherwise (no cache, or `main` was rewritten) the whole chain is replayed.
/// Replay goes oldest to newest, diffing each `explainers` tree against the
/// previous one only when their ids differ.
pub(crate) fn histories_at(
    repo: &Repository,
    tip: Oid,
    base: Option<(Oid, Histories)>,
) -> Result<(Histories, usize)> {
    let base_tip = base.as_ref().map(|(id, _)| *id);
    let mut chain = Vec::new();
    let mut reached_base = false;
    let mut next = Some(tip);
    while let Some(id) = next {
        if Some(id) == base_tip {
            reached_base = true;
            break;
        }
        let commit = repo.find_commit(id).map_err(crate::error::Error::git)?;
        next = commit.parent_ids().next();
        chain.push(commit);
    }
    let (mut state, mut previous_dir) = match base {
        Some((id, histories)) if reached_base => (
            histories,
            explainers_dir(
                repo,
                &repo.find_commit(id).map_err(crate::error::Error::git)?,
            )?,
        ),
        _ => (Histories::new(), None),
    };
    let mut previous_blobs = explainer_blobs(repo, previous_dir)?;
    for commit in chain.iter().rev() {
        let dir = explainers_dir(repo, commit)?;
        if dir == previous_dir {
            continue;
        }
        let blobs = explainer_blobs(repo, dir)?;
        let mut version: Option<Version> = None;
        for change in changes(&blobs, &previous_blobs) {
            match change {
                Change::Written { slug, added, blob } => {
                    let Ok(slug) = Slug::new(slug) else { continue };
                    let v = version.get_or_insert_with(|| version_from_commit(commit, 0));
                    let list = state.entry(slug).or_default();
                    if added {
                        // Re-created after a deletion: a fresh history.
                        list.clear();
                    }
                    list.push(Version {
                        number: list.len() + 1,
                        blob: blob.to_string().into(),
                        ..v.clone()
                    });
                }
                Change::Removed { slug } => {
                    if let Ok(slug) = Slug::new(slug) {
                        state.remove(&slug);
                    }
                }
            }
        }
        previous_dir = dir;
        previous_blobs = blobs;
    }
    Ok((state, chain.len()))
}
