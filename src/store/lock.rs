//! The writers' lock: `<store>/redline.lock`, held by every redline writer
//! while it moves `main`, so a lock left behind by a crash can be told from a
//! live writer's.
//!
//! The lock itself is an advisory `flock` on the file, which the kernel
//! releases when its holder exits, however it exits (`kill -9` included): a
//! redline that holds it knows no other redline is writing. The file's text
//! records the holder (`pid=… start=… state=idle|updating`, the start time
//! from `/proc/<pid>/stat`, so a reused pid is not mistaken for the holder).
//! `state=updating` is written just before `main` is moved and `idle` just
//! after; a writer that takes the lock and finds `updating` from a process
//! that is gone knows that process died while libgit2 held
//! `refs/heads/main.lock`, so any such file is its leftover and is removed.
//! A `main.lock` found in any other case belongs to some other program (plain
//! git) and is never touched.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// File name inside the git directory.
pub(crate) const LOCK_FILE: &str = "redline.lock";

/// How long a writer waits for another live writer (which holds the lock for
/// the milliseconds a ref update takes) before it gives up.
const WAIT: Duration = Duration::from_secs(10);

/// Who holds (or last held) the lock, as its file records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Holder {
    pub pid: u32,
    /// Process start time in clock ticks since boot (0 when unknown).
    pub start: u64,
    /// Whether it was moving `main` when it last wrote the file.
    pub updating: bool,
}

impl Holder {
    fn me(updating: bool) -> Holder {
        let pid = std::process::id();
        Holder {
            pid,
            start: process_start(pid).unwrap_or(0),
            updating,
        }
    }

    fn parse(text: &str) -> Option<Holder> {
        let mut pid = None;
        let mut start = 0;
        let mut updating = false;
        for field in text.split_whitespace() {
            match field.split_once('=') {
                Some(("pid", v)) => pid = v.parse().ok(),
                Some(("start", v)) => start = v.parse().unwrap_or(0),
                Some(("state", v)) => updating = v == "updating",
                _ => {}
            }
        }
        Some(Holder {
            pid: pid?,
            start,
            updating,
        })
    }

    fn line(&self) -> String {
        format!(
            "pid={} start={} state={}\n",
            self.pid,
            self.start,
            if self.updating { "updating" } else { "idle" }
        )
    }

    /// Whether the recorded process is still running (same pid and start time).
    fn alive(&self) -> bool {
        match process_start(self.pid) {
            Some(start) => self.start == 0 || start == self.start,
            // No /proc entry: gone (or no /proc at all, where the flock alone decides).
            None => !Path::new("/proc/self/stat").exists(),
        }
    }
}

/// A process's start time (field 22 of `/proc/<pid>/stat`), on Linux.
fn process_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces and ')': fields resume after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// The lock, held until dropped.
pub(crate) struct WriterLock {
    file: File,
    path: PathBuf,
    /// The previous holder died while moving `main` (its `main.lock`, if any, is stale).
    pub previous_died_updating: Option<Holder>,
}

impl WriterLock {
    /// Take the lock of the store whose git directory is `git_dir`, waiting up
    /// to [`WAIT`] for a live writer.
    pub(crate) fn acquire(git_dir: &Path) -> Result<WriterLock> {
        let path = git_dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::store_io(&path, "cannot open the writers' lock", e))?;
        let deadline = Instant::now() + WAIT;
        let mut pause = Duration::from_micros(200);
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(20));
                }
                Err(TryLockError::WouldBlock) => {
                    // The record is the holder's own only if that process still runs.
                    let who = match read_holder(&mut file).filter(Holder::alive) {
                        Some(h) => format!("redline process {}", h.pid),
                        None => "another process".to_string(),
                    };
                    return Err(Error::Locked(format!(
                        "{} is held by {who}, which has been writing for over {} s (it is running, so its lock is not broken); nothing was written, try again when it has finished",
                        path.display(),
                        WAIT.as_secs()
                    )));
                }
                Err(TryLockError::Error(e)) => {
                    return Err(Error::store_io(&path, "cannot take the writers' lock", e))
                }
            }
        }
        let previous = read_holder(&mut file);
        let previous_died_updating = previous.filter(|h| h.updating && !h.alive());
        let mut lock = WriterLock {
            file,
            path,
            previous_died_updating,
        };
        lock.record(false)?;
        Ok(lock)
    }

    /// Record whether this writer is moving `main` now.
    pub(crate) fn record(&mut self, updating: bool) -> Result<()> {
        let line = Holder::me(updating).line();
        let write = |file: &mut File| -> std::io::Result<()> {
            file.set_len(0)?;
            file.seek(SeekFrom::Start(0))?;
            file.write_all(line.as_bytes())
        };
        write(&mut self.file)
            .map_err(|e| Error::store_io(&self.path, "cannot write the writers' lock", e))
    }
}

fn read_holder(file: &mut File) -> Option<Holder> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    Holder::parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holder_lines_round_trip_and_tolerate_junk() {
        let h = Holder {
            pid: 42,
            start: 7,
            updating: true,
        };
        assert_eq!(Holder::parse(&h.line()), Some(h));
        assert_eq!(Holder::parse("junk"), None);
        assert_eq!(Holder::parse(""), None);
    }

    #[test]
    fn this_process_is_alive_and_a_reused_pid_is_not() {
        let me = Holder::me(false);
        assert!(me.alive());
        if me.start != 0 {
            let other = Holder {
                start: me.start + 1,
                ..me
            };
            assert!(!other.alive());
        }
    }

    #[test]
    fn a_second_lock_in_the_same_process_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = WriterLock::acquire(dir.path()).unwrap();
        let released = std::thread::spawn({
            let path = dir.path().to_path_buf();
            move || {
                let start = Instant::now();
                let _second = WriterLock::acquire(&path).unwrap();
                start.elapsed()
            }
        });
        std::thread::sleep(Duration::from_millis(300));
        drop(first);
        assert!(released.join().unwrap() >= Duration::from_millis(250));
    }
}
