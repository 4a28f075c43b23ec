//! Helpers shared by the end-to-end modules: the binary and repository paths,
//! a temporary workspace with an initialised store, running a process and
//! checking how it ended, git on a store, the files under a folder; and
//! (`browser`) the WebDriver client of the headless-Chromium tests.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub mod browser;

/// The demo's Full Fact explainer.
pub const FULLFACT: &str = "fullfact-ukraine-peace-talks";

/// The `redline` binary cargo built for these tests.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_redline"))
}

/// A path inside the repository (the crate's folder).
pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Run `cmd` to the end and return its output, panicking with its arguments
/// and stderr unless it exited 0.
pub fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{:?} {:?}: {}",
        cmd.get_program(),
        cmd.get_args().collect::<Vec<_>>(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `git --git-dir=STORE`, ignoring the machine's and the user's git configuration.
pub fn git_command(store: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg(format!("--git-dir={}", store.display()))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null");
    cmd
}

/// stdout of `git --git-dir=STORE ARGS…`, which must succeed.
pub fn git(store: &Path, args: &[&str]) -> String {
    git_with(store, args, &[], None)
}

/// stdout of `git --git-dir=STORE ARGS…` with `env` set and `stdin` fed,
/// which must succeed (plain-git writes that bypass redline).
pub fn git_with(store: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> String {
    let mut cmd = git_command(store);
    cmd.args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("git runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// stdout (trimmed) of a git command that changes the store behind
/// redline's back: `git --git-dir=STORE --work-tree=WORK ARGS…` (plumbing such
/// as update-index wants a work tree; it touches none of its files) with a
/// private index in WORK and a fixed identity.
pub fn plain_git(store: &Path, work: &Path, args: &[&str]) -> String {
    let work_tree = format!("--work-tree={}", work.display());
    let index = work.join("plain-git-index");
    let env = [
        ("GIT_INDEX_FILE", index.to_str().unwrap()),
        ("GIT_AUTHOR_NAME", "Plain Git"),
        ("GIT_AUTHOR_EMAIL", "plain-git@example.invalid"),
        ("GIT_COMMITTER_NAME", "Plain Git"),
        ("GIT_COMMITTER_EMAIL", "plain-git@example.invalid"),
    ];
    let args: Vec<&str> = [work_tree.as_str()]
        .into_iter()
        .chain(args.iter().copied())
        .collect();
    git_with(store, &args, &env, None).trim().to_string()
}

/// `git fsck --strict` finds nothing wrong in the store.
pub fn fsck(store: &Path) {
    git(store, &["fsck", "--strict", "--no-dangling"]);
}

/// Every file under `dir`, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Every file under `dir` named `*.EXT`, sorted.
pub fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files = files_under(dir);
    files.retain(|p| p.extension().is_some_and(|e| e == ext));
    files
}

/// A temporary working folder with an initialised store.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    pub fn new() -> Workspace {
        let ws = Workspace {
            dir: tempfile::tempdir().unwrap(),
        };
        ws.redline(&["init"]).assert().success();
        ws
    }

    pub fn store(&self) -> PathBuf {
        self.dir.path().join("store.git")
    }

    /// The binary, run inside the workspace with the store set by environment.
    pub fn redline(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::new(bin());
        cmd.current_dir(self.dir.path())
            .env("REDLINE_STORE", self.store())
            .env("NO_COLOR", "1")
            .env_remove("REDLINE_EDITOR")
            .args(args);
        cmd
    }

    /// `redline commit SLUG FILE EXTRA…`, to be run and checked by the caller.
    pub fn commit(&self, slug: &str, file: &Path, extra: &[&str]) -> assert_cmd::Command {
        let mut cmd = self.redline(&["commit", slug, file.to_str().unwrap()]);
        cmd.args(extra);
        cmd
    }

    /// Import the demo snapshots (`snapshots/` in the repository).
    pub fn import_demo(&self) {
        self.redline(&["import", repo_path("snapshots").to_str().unwrap()])
            .assert()
            .success();
    }

    /// `redline build --out site`: the site's folder and what the build printed.
    pub fn build_site(&self) -> (PathBuf, String) {
        let out = self.dir.path().join("site");
        let printed = self.stdout(&["build", "--out", out.to_str().unwrap()]);
        (out, printed)
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// `git rev-parse refs/heads/main` in the store, or None when unborn.
    pub fn main_ref(&self) -> Option<String> {
        let out = git_command(&self.store())
            .args(["rev-parse", "--verify", "-q", "refs/heads/main"])
            .output()
            .unwrap();
        out.status
            .success()
            .then(|| String::from_utf8(out.stdout).unwrap().trim().to_string())
    }

    pub fn git(&self, args: &[&str]) -> String {
        git(&self.store(), args)
    }

    /// stdout of a run that must succeed.
    pub fn stdout(&self, args: &[&str]) -> String {
        let out = self.redline(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }

    /// stdout of a run that must succeed, read as JSON (the arguments ask for it).
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.stdout(args)).unwrap()
    }

    /// `redline diff --files OLD NEW --format json`.
    pub fn diff_files_json(&self, old: &Path, new: &Path) -> serde_json::Value {
        self.json(&[
            "diff",
            "--files",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            "--format",
            "json",
        ])
    }
}
