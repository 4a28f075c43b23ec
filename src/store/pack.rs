//! Packing loose objects as they pile up, as `git gc --auto` does: every
//! single commit writes four loose objects (blob, two trees, commit), one file
//! each, and reading a long history through thousands of files is slower than
//! through one pack.
//!
//! After a commit, the loose objects are estimated from one of the 256
//! `objects/xx` folders (as git does with `objects/17`); past the limit, every
//! loose object is written into one new pack (libgit2 writes it and its index
//! under temporary names and renames them into place), and only then are the
//! loose copies removed (as `git prune-packed` does): an object is in the pack
//! or loose at every moment, so readers never miss one.

use std::path::Path;

use git2::{Oid, Repository};

/// The `objects/xx` folder sampled for the estimate (git's choice).
const SAMPLE_FOLDER: &str = "17";

/// Pack when the sampled folder holds more than this many objects: about
/// 256 × 4 = 1,024 loose objects in the store, some 250 single commits.
const SAMPLE_LIMIT: usize = 4;

/// Whether loose objects have piled up past the limit (estimate from one folder).
pub(super) fn too_many_loose(repo: &Repository) -> bool {
    let folder = repo.path().join("objects").join(SAMPLE_FOLDER);
    std::fs::read_dir(folder).is_ok_and(|entries| {
        entries
            .filter_map(|e| e.ok())
            .filter(|e| is_object_name(&e.file_name().to_string_lossy()))
            .nth(SAMPLE_LIMIT)
            .is_some()
    })
}

/// Write every loose object into one pack, then remove the loose copies.
/// Returns how many objects were packed.
pub(super) fn pack_loose(repo: &Repository) -> Result<usize, git2::Error> {
    let objects = repo.path().join("objects");
    let loose = loose_objects(&objects);
    if loose.is_empty() {
        return Ok(0);
    }
    let mut builder = repo.packbuilder()?;
    // 0 = one thread per core.
    builder.set_threads(0);
    for (oid, _) in &loose {
        builder.insert_object(*oid, None)?;
    }
    builder.write(&objects.join("pack"), 0)?;
    // The pack is in place: the loose copies are redundant. One that cannot
    // be removed (a read-only file) is still a valid copy.
    for (_, path) in &loose {
        let _ = std::fs::remove_file(path);
    }
    Ok(loose.len())
}

/// Every loose object of the store: its id and file.
fn loose_objects(objects: &Path) -> Vec<(Oid, std::path::PathBuf)> {
    let mut found = Vec::new();
    let Ok(folders) = std::fs::read_dir(objects) else {
        return found;
    };
    for folder in folders.filter_map(|e| e.ok()) {
        let prefix = folder.file_name().to_string_lossy().into_owned();
        if prefix.len() != 2 || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        let Ok(files) = std::fs::read_dir(folder.path()) else {
            continue;
        };
        for file in files.filter_map(|e| e.ok()) {
            let rest = file.file_name().to_string_lossy().into_owned();
            if !is_object_name(&rest) {
                continue;
            }
            if let Ok(oid) = Oid::from_str(&format!("{prefix}{rest}")) {
                found.push((oid, file.path()));
            }
        }
    }
    found
}

/// A loose object's file name within its folder: 38 hex digits (SHA-1).
fn is_object_name(name: &str) -> bool {
    name.len() == 38 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_every_loose_object_and_keeps_them_readable() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init_bare(dir.path()).unwrap();
        // Enough blobs that the sampled folder crosses the limit.
        let ids: Vec<Oid> = (0..3000)
            .map(|i| {
                repo.blob(format!("synthetic blob {i}\n").as_bytes())
                    .unwrap()
            })
            .collect();
        assert!(too_many_loose(&repo));
        let packed = pack_loose(&repo).unwrap();
        assert_eq!(packed, ids.len());
        assert!(loose_objects(&dir.path().join("objects")).is_empty());
        assert!(!too_many_loose(&repo));
        let reopened = Repository::open_bare(dir.path()).unwrap();
        for (i, id) in ids.iter().enumerate() {
            let blob = reopened.find_blob(*id).unwrap();
            assert_eq!(blob.content(), format!("synthetic blob {i}\n").as_bytes());
        }
    }

    /// Synthetic versions of one explainer, as an import folder would hold them.
    fn version_file(n: usize) -> crate::import::ImportFile {
        let text = format!(
            "+++\ntitle = \"Synthetic\"\nupdated = 2024-01-{n:02}T00:00:00Z\n\n[change]\neditor = \"ed\"\nkind = \"major\"\nnote = \"v{n}\"\n+++\nSynthetic body, version {n}.\n"
        );
        crate::import::ImportFile {
            path: std::path::PathBuf::from(format!("synthetic/{n:02}.md")),
            bytes: text.into_bytes(),
        }
    }

    #[test]
    fn an_import_writes_one_pack_and_leaves_the_store_config_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.git");
        let store = crate::store::Store::init(&path).unwrap();
        let config = std::fs::read_to_string(path.join("config")).unwrap();
        let files: Vec<_> = (1..=5).map(version_file).collect();
        let rules = crate::ingest::Rules::shipped();
        let report = crate::import::import(&store, files.as_slice(), &rules, &|_, _| {}).unwrap();
        assert_eq!(report.committed, 5);
        let packs = std::fs::read_dir(path.join("objects/pack"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "pack")
            })
            .count();
        assert_eq!(packs, 1);
        assert!(loose_objects(&path.join("objects")).is_empty());
        // The pack settings stay on the writing handle: the store's config
        // differs at most by the history cache's key, written with the cache.
        let without_cache_key = |text: String| -> String {
            text.lines()
                .filter(|l| !l.trim_start().starts_with("cachekey"))
                .map(|l| format!("{l}\n"))
                .collect()
        };
        assert_eq!(
            without_cache_key(std::fs::read_to_string(path.join("config")).unwrap()),
            without_cache_key(config)
        );
        let slug = crate::slug::Slug::new("synthetic").unwrap();
        let history = store.history(&slug).unwrap();
        assert_eq!(history.len(), 5);
        let last = store.document(&slug, &history[4]).unwrap();
        assert_eq!(last.body, "Synthetic body, version 5.\n");
    }

    #[test]
    fn few_loose_objects_are_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init_bare(dir.path()).unwrap();
        repo.blob(b"one synthetic blob\n").unwrap();
        assert!(!too_many_loose(&repo));
    }
}
