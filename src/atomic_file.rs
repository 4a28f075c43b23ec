//! Whole-file writes: the bytes go to a uniquely named temporary file beside the
//! target, which is then renamed over it. A reader never sees half a file, and a
//! writer killed midway leaves the old file (plus, at worst, a `.redline-*.tmp`).
//! One mechanism for the site's pages, the history and timeline caches and the
//! CLI's report files.

use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` whole or not at all. The temporary file is unique per
/// call (threads and processes writing one target never share it) and removed
/// when anything fails.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut file = tempfile::Builder::new()
        .prefix(".redline-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn writes_whole_files_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("page.html");
        super::write(&target, b"first").unwrap();
        super::write(&target, b"second").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "second");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("page.html")]);
        // A target whose folder is missing fails and writes nothing.
        assert!(super::write(&dir.path().join("no/such/page.html"), b"x").is_err());
    }
}
