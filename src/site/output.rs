//! How `build` puts files into the output folder.
//!
//! - Every file is written to a temporary file beside it and renamed into
//!   place, so a killed build leaves each page whole: old or new, never cut
//!   short (no fsync: this guards against a killed process, not a power cut).
//! - The folder keeps a manifest ([`MANIFEST`]) of the files the last build
//!   wrote. A build removes the files the previous manifest lists that it no
//!   longer writes (the pages of an explainer that left the store), and only
//!   those: files redline did not write (a `CNAME`, a reader's notes) are never
//!   touched, even inside an explainer's folder.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// The manifest's name in the output folder (a dot file, so static hosts
/// that skip dot files do not publish it).
pub(super) const MANIFEST: &str = ".redline-manifest";

/// First line of the manifest, saying what it is to whoever opens it.
const MANIFEST_HEADER: &str = "# Files the last `redline build` wrote here, one per line. The next build removes those it no longer writes; it never touches files not listed.";

/// The largest manifest read back: about a million paths.
const MAX_MANIFEST_BYTES: u64 = 64 * 1024 * 1024;

/// Files one part of a build wrote: how many, and where.
#[derive(Debug, Default)]
pub(super) struct Written {
    /// Files written.
    pub count: usize,
    /// Their paths (the folder given to [`write`] joined with the file's).
    pub paths: Vec<PathBuf>,
}

/// Write `contents` to `dir/relative` by way of a temporary file and a rename.
pub(super) fn write(
    dir: &Path,
    relative: &str,
    contents: &str,
    written: &mut Written,
) -> Result<()> {
    let path = dir.join(relative);
    // A page a previous build wrote byte for byte is left as it is: an unchanged
    // explainer's files keep their times, so a sync to the host sends nothing.
    if super::incremental::unchanged(&path, contents) {
        written.count += 1;
        written.paths.push(path);
        return Ok(());
    }
    let parent = path.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    crate::atomic_file::write(&path, contents.as_bytes()).map_err(|e| Error::io(&path, e))?;
    written.count += 1;
    written.paths.push(path);
    Ok(())
}

/// After a complete build: remove what the previous build wrote and this one
/// did not, then record what this one wrote. `written` are the paths
/// [`write`] was given, under `out_dir`. Returns how many files were removed.
pub(super) fn finish(out_dir: &Path, written: &[PathBuf]) -> Result<usize> {
    let current: BTreeSet<String> = written
        .iter()
        .filter_map(|p| p.strip_prefix(out_dir).ok())
        .filter_map(manifest_line)
        .collect();
    let mut keep_listed = BTreeSet::new();
    let mut first_error = None;
    let mut removed = 0;
    for stale in previous(out_dir)?.difference(&current) {
        match remove_stale(out_dir, stale) {
            Ok(true) => removed += 1,
            Ok(false) => {}
            Err(e) => {
                // Still ours: list it again so the next build tries once more.
                keep_listed.insert(stale.clone());
                first_error.get_or_insert(e);
            }
        }
    }
    let mut text = String::from(MANIFEST_HEADER);
    text.push('\n');
    for line in current.union(&keep_listed) {
        text.push_str(line);
        text.push('\n');
    }
    write(out_dir, MANIFEST, &text, &mut Written::default())?;
    first_error.map_or(Ok(removed), Err)
}

/// The paths the previous build listed, each checked to be a plain relative
/// path inside the folder (a hand-edited manifest cannot reach outside it).
fn previous(out_dir: &Path) -> Result<BTreeSet<String>> {
    let path = out_dir.join(MANIFEST);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(BTreeSet::new());
    }
    let text = crate::input_file::read_bounded_text(&path, MAX_MANIFEST_BYTES)?;
    Ok(text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .filter(|line| manifest_line(Path::new(line)).as_deref() == Some(*line))
        .filter(|line| *line != MANIFEST)
        .map(str::to_string)
        .collect())
}

/// A relative path as a manifest line (`/`-separated), if it is one: only
/// normal components, no `..`, no root, valid UTF-8 without line breaks.
fn manifest_line(relative: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?),
            _ => return None,
        }
    }
    let line = parts.join("/");
    (!parts.is_empty() && !line.contains(['\n', '\r'])).then_some(line)
}

/// Remove one stale file if it is still a regular file (anything else was put
/// there by someone else), then the folders it leaves empty, up to `out_dir`.
/// `Ok(false)` when there was nothing to remove.
fn remove_stale(out_dir: &Path, line: &str) -> Result<bool> {
    let path = out_dir.join(line);
    match std::fs::symlink_metadata(&path) {
        Ok(metadata) if metadata.is_file() => {
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        }
        _ => return Ok(false),
    }
    let mut dir = path.parent();
    while let Some(folder) = dir.filter(|d| *d != out_dir && d.starts_with(out_dir)) {
        // Fails (and stops) at the first folder that still holds something.
        if std::fs::remove_dir(folder).is_err() {
            break;
        }
        dir = folder.parent();
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_lines_are_plain_relative_paths() {
        assert_eq!(
            manifest_line(Path::new("x/diff/v2.html")).as_deref(),
            Some("x/diff/v2.html")
        );
        for bad in ["../x.html", "/etc/passwd", "", "a/../../b", "a\nb"] {
            assert_eq!(manifest_line(Path::new(bad)), None, "{bad:?}");
        }
    }

    #[test]
    fn only_listed_regular_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let mut written = Written::default();
        for page in [
            "index.html",
            "a/index.html",
            "b/index.html",
            "b/diff/v2.html",
        ] {
            write(&out, page, "page", &mut written).unwrap();
        }
        finish(&out, &written.paths).unwrap();
        std::fs::write(out.join("b/mine.txt"), "mine").unwrap();
        std::fs::write(dir.path().join("outside.html"), "outside").unwrap();
        // A hand-edited manifest naming a file outside the folder.
        let manifest = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
        std::fs::write(out.join(MANIFEST), manifest + "../outside.html\n").unwrap();

        let mut written = Written::default();
        write(&out, "index.html", "page", &mut written).unwrap();
        write(&out, "a/index.html", "page", &mut written).unwrap();
        assert_eq!(finish(&out, &written.paths).unwrap(), 2);
        assert!(!out.join("b/index.html").exists());
        assert!(!out.join("b/diff").exists(), "an emptied folder goes");
        assert!(out.join("b/mine.txt").is_file(), "a file not listed stays");
        assert!(dir.path().join("outside.html").is_file());
        let manifest = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
        assert!(
            manifest.ends_with("\na/index.html\nindex.html\n"),
            "{manifest}"
        );
    }
}
