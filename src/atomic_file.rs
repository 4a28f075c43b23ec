//! Whole-file writes: the bytes go to a uniquely named temporary file beside the
//! target, which is then renamed over it. A reader never sees half a file, and a
//! writer killed midway leaves the old file (plus, at worst, a `.redline-*.tmp`).
//! One mechanism for the site's pages, the history and timeline caches and the
//! CLI's report files.

use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` whole or not at all, readable as a file made by
/// `File::create` would be (mode 0666 less the umask: a web server's workers
/// must read site pages). The temporary file is unique per call (threads and
/// processes writing one target never share it) and removed when anything fails.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with_mode(path, bytes, 0o666)
}

/// [`write()`] for secrets (the server's sessions): readable by the owner only.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with_mode(path, bytes, 0o600)
}

fn write_with_mode(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".redline-").suffix(".tmp");
    // The mode is given at open, so the umask applies as it does to any new file.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(mode));
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = builder.tempfile_in(dir)?;
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

    /// Pages are readable by others (a web server's workers read them), as
    /// `File::create` would make them; secrets are the owner's only.
    #[cfg(unix)]
    #[test]
    fn pages_follow_the_umask_and_secrets_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |name: &str| {
            std::fs::metadata(dir.path().join(name))
                .unwrap()
                .permissions()
                .mode()
                & 0o777
        };
        std::fs::File::create(dir.path().join("created")).unwrap();
        super::write(&dir.path().join("page.html"), b"page").unwrap();
        super::write_private(&dir.path().join("sessions.json"), b"{}").unwrap();
        assert_eq!(mode("page.html"), mode("created"));
        assert_ne!(mode("page.html") & 0o044, 0, "readable by others");
        assert_eq!(mode("sessions.json"), 0o600);
    }
}
