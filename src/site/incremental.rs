//! Incremental builds: what a second `build` into the same folder can leave alone.

use std::io::Read;
use std::path::Path;

/// Whether `path` already holds exactly `contents` (a regular file, not a link).
/// Compared by length first, then bytes; any error reads as "changed".
pub(super) fn unchanged(path: &Path, contents: &str) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    if !meta.is_file() || meta.len() != contents.len() as u64 {
        return false;
    }
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut existing = Vec::with_capacity(contents.len());
    file.read_to_end(&mut existing).is_ok() && existing == contents.as_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_byte_equal_regular_files_are_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("page.html");
        assert!(!unchanged(&page, "<p>synthetic</p>"));
        std::fs::write(&page, "<p>synthetic</p>").unwrap();
        assert!(unchanged(&page, "<p>synthetic</p>"));
        assert!(!unchanged(&page, "<p>synthetiC</p>"));
        assert!(!unchanged(&page, "<p>synthetic</p>\n"));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.html");
            std::os::unix::fs::symlink(&page, &link).unwrap();
            assert!(!unchanged(&link, "<p>synthetic</p>"));
        }
    }
}
