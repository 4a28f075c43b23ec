//! Reading a user-named file with a bound: every input file (documents, import
//! versions, rules) goes through [`read_bounded`], so a FIFO cannot hang a
//! command, a device cannot be read until memory runs out, and a huge file is
//! refused by its size before a byte of it is read.
//!
//! The path is checked first (a device is refused without being opened: opening
//! some has side effects), then the file is opened without blocking (a FIFO
//! with no writer would otherwise block in `open`) and the *opened* handle is
//! checked again: a regular file, no larger than the limit. Checking the handle
//! leaves no window for the path to be swapped between the check and the read.
//! The read itself stops one byte past the limit, in case the file grows meanwhile.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// Largest rules file accepted: the shipped one is about 4 KB. (Documents are
/// bounded by [`crate::ingest::MAX_INPUT_BYTES`].)
pub const MAX_RULES_BYTES: u64 = 1024 * 1024;

/// Read all of `path`, refusing (as [`Error::Input`], naming the file) anything
/// that is not a regular file or is larger than `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    read_bounded_into(path, limit, &mut bytes)?;
    Ok(bytes)
}

/// [`read_bounded`] into `bytes` (cleared first): a caller reading many files
/// reuses one buffer, which the CPU's caches and the page tables already hold.
pub fn read_bounded_into(path: &Path, limit: u64, bytes: &mut Vec<u8>) -> Result<()> {
    bytes.clear();
    check(
        path,
        &std::fs::metadata(path).map_err(|e| Error::io(path, e))?,
        limit,
    )?;
    let file = open_nonblocking(path)?;
    let metadata = file.metadata().map_err(|e| Error::io(path, e))?;
    check(path, &metadata, limit)?;
    // One byte more than the file holds, so the read that finds its end
    // needs no second allocation.
    bytes.reserve(
        usize::try_from(metadata.len())
            .unwrap_or(0)
            .saturating_add(1),
    );
    file.take(limit + 1)
        .read_to_end(bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, bytes.len() as u64, limit));
    }
    Ok(())
}

/// [`read_bounded`] as UTF-8 text (for configuration files).
pub fn read_bounded_text(path: &Path, limit: u64) -> Result<String> {
    String::from_utf8(read_bounded(path, limit)?).map_err(|e| {
        Error::input(
            path,
            format!(
                "is not valid UTF-8 at byte {}: save it as UTF-8 and try again",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// A regular file no larger than `limit`, or the reason it is refused.
fn check(path: &Path, metadata: &std::fs::Metadata, limit: u64) -> Result<()> {
    if !metadata.is_file() {
        return Err(Error::input(
            path,
            format!(
                "is not a regular file but {}: give the path of a file",
                kind_of(&metadata.file_type())
            ),
        ));
    }
    if metadata.len() > limit {
        return Err(too_large(path, metadata.len(), limit));
    }
    Ok(())
}

fn too_large(path: &Path, size: u64, limit: u64) -> Error {
    Error::input(
        path,
        format!(
            "is larger than the {} limit ({size} bytes): is this the right file?",
            human_size(limit)
        ),
    )
}

/// "5 MB", "1 MB", "512 KB": limits are whole binary units.
fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MB", bytes / (1024 * 1024))
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK only changes how FIFOs and devices open and read; a regular
    // file reads the same. It is what keeps `open` of a FIFO from waiting.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| Error::io(path, e))
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> Result<File> {
    File::open(path).map_err(|e| Error::io(path, e))
}

/// What a non-regular file is, for the message.
fn kind_of(file_type: &std::fs::FileType) -> &'static str {
    if file_type.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    "something else"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_within_the_limit_are_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "12345").unwrap();
        assert_eq!(read_bounded(&path, 5).unwrap(), b"12345");
        let err = read_bounded(&path, 4).unwrap_err().to_string();
        assert!(
            err.contains("a.md") && err.contains("4 bytes limit (5 bytes)"),
            "{err}"
        );
    }

    #[test]
    fn a_reused_buffer_holds_only_the_last_file() {
        let dir = tempfile::tempdir().unwrap();
        let (long, short) = (dir.path().join("long.md"), dir.path().join("short.md"));
        std::fs::write(&long, "a longer synthetic file\n").unwrap();
        std::fs::write(&short, "short\n").unwrap();
        let mut buffer = Vec::new();
        read_bounded_into(&long, 100, &mut buffer).unwrap();
        assert_eq!(buffer, b"a longer synthetic file\n");
        read_bounded_into(&short, 100, &mut buffer).unwrap();
        assert_eq!(buffer, b"short\n");
        assert!(read_bounded_into(&long, 5, &mut buffer).is_err());
    }

    #[test]
    fn directories_and_devices_are_refused_by_type() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_bounded(dir.path(), 10).unwrap_err();
        assert!(err.to_string().contains("a directory"), "{err}");
        assert_eq!(err.exit_code(), 2);
        #[cfg(unix)]
        {
            let err = read_bounded(Path::new("/dev/zero"), 10).unwrap_err();
            assert!(err.to_string().contains("a device"), "{err}");
        }
    }

    #[test]
    fn sizes_are_named_in_whole_units() {
        assert_eq!(human_size(5 * 1024 * 1024), "5 MB");
        assert_eq!(human_size(512 * 1024), "512 KB");
        assert_eq!(human_size(1000), "1000 bytes");
    }
}
