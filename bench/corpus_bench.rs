//! Corpus timing: every consecutive pair of every history of a revision corpus
//! (`../shared/corpus`: `<history>/NNNN_*.md`), measured in-process and as whole
//! processes against `git diff --no-index --word-diff=porcelain`, interleaved.
//!
//! Usage: corpus_bench CORPUS_DIR [--redline BIN] [--static BIN] [--process-runs N] [--only HISTORY]
//!
//! Prints one JSON object per pair to stdout:
//! `{"history","pair","bytes","ingest_diff_ms","diff_ms","redline_ms","static_ms","git_ms"}`;
//! `static_ms` is the second binary's time (the static musl build, see README), when given.
//! In-process figures are the median of repeated runs (at least 5, or as many
//! as fit in ~20 ms); whole-process figures are the median of `--process-runs`
//! runs (default 7), redline (both builds) and git alternating so load swings hit all alike.
//! `bench/run.sh` (CORPUS mode) runs this and `bench/corpus_report.py` tabulates.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use redline::ingest::{self, Rules};
use redline::model::Document;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("corpus_bench: {message}");
            ExitCode::from(2)
        }
    }
}

struct Args {
    corpus: PathBuf,
    redline: Option<PathBuf>,
    static_build: Option<PathBuf>,
    process_runs: usize,
    only: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let mut corpus = None;
    let mut redline = None;
    let mut static_build = None;
    let mut process_runs = 7;
    let mut only = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--redline" => redline = args.next().map(PathBuf::from),
            "--static" => static_build = args.next().map(PathBuf::from),
            "--process-runs" => {
                process_runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--process-runs takes a number")?
            }
            "--only" => only = args.next(),
            _ if corpus.is_none() => corpus = Some(PathBuf::from(arg)),
            other => return Err(format!("unexpected argument {other}")),
        }
    }
    Ok(Args {
        corpus: corpus.ok_or(
            "usage: corpus_bench CORPUS_DIR [--redline BIN] [--static BIN] [--process-runs N] [--only HISTORY]",
        )?,
        redline,
        static_build,
        process_runs,
        only,
    })
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let rules = Rules::shipped();
    for history in histories(&args.corpus)? {
        let name = history
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if args.only.as_ref().is_some_and(|only| *only != name) {
            continue;
        }
        let files = versions(&history)?;
        for pair in files.windows(2) {
            let [old, new] = pair else { continue };
            let old_bytes = std::fs::read(old).map_err(|e| format!("{}: {e}", old.display()))?;
            let new_bytes = std::fs::read(new).map_err(|e| format!("{}: {e}", new.display()))?;
            let parse = |path: &Path, bytes: &[u8]| -> Result<Document, String> {
                ingest::ingest_bytes(path, bytes, &rules)
                    .map(|i| i.document)
                    .map_err(|e| format!("{}: {e}", path.display()))
            };
            let ingest_diff_ms = median_ms(|| {
                let a = parse(old, &old_bytes).ok();
                let b = parse(new, &new_bytes).ok();
                if let (Some(a), Some(b)) = (a, b) {
                    black_box(redline::diff::diff(&a, &b));
                }
            });
            let (a, b) = (parse(old, &old_bytes)?, parse(new, &new_bytes)?);
            let diff_ms = median_ms(|| {
                black_box(redline::diff::diff(black_box(&a), black_box(&b)));
            });
            let (redline_ms, static_ms, git_ms) = match &args.redline {
                Some(bin) => {
                    let binaries: Vec<&Path> = std::iter::once(bin.as_path())
                        .chain(args.static_build.as_deref())
                        .collect();
                    let times = processes(&binaries, old, new, args.process_runs)?;
                    let static_ms = args
                        .static_build
                        .as_ref()
                        .and_then(|_| times.get(1).copied());
                    (times.first().copied(), static_ms, times.last().copied())
                }
                None => (None, None, None),
            };
            println!(
                "{{\"history\":\"{name}\",\"pair\":\"{}\",\"bytes\":{},\"ingest_diff_ms\":{ingest_diff_ms:.4},\"diff_ms\":{diff_ms:.4},\"redline_ms\":{},\"static_ms\":{},\"git_ms\":{}}}",
                pair_name(old, new),
                old_bytes.len() + new_bytes.len(),
                json_ms(redline_ms),
                json_ms(static_ms),
                json_ms(git_ms),
            );
        }
    }
    Ok(())
}

fn histories(corpus: &Path) -> Result<Vec<PathBuf>, String> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus)
        .map_err(|e| format!("{}: {e}", corpus.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    Ok(dirs)
}

fn versions(history: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(history)
        .map_err(|e| format!("{}: {e}", history.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    Ok(files)
}

fn pair_name(old: &Path, new: &Path) -> String {
    let seq = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().chars().take(4).collect::<String>())
            .unwrap_or_default()
    };
    format!("{}-{}", seq(old), seq(new))
}

fn json_ms(ms: Option<f64>) -> String {
    ms.map_or("null".into(), |ms| format!("{ms:.4}"))
}

/// Median wall time of `work` in ms: at least 5 runs, more while under ~20 ms in total.
fn median_ms(mut work: impl FnMut()) -> f64 {
    work(); // warm caches and allocator
    let mut times = Vec::new();
    let started = Instant::now();
    while times.len() < 5 || (started.elapsed() < Duration::from_millis(20) && times.len() < 200) {
        let t0 = Instant::now();
        work();
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    median(&mut times)
}

fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    match times.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => times[n / 2],
        n => (times[n / 2 - 1] + times[n / 2]) / 2.0,
    }
}

/// Median whole-process times (ms) on one pair of each redline binary, then git
/// (the last figure), alternating.
fn processes(binaries: &[&Path], old: &Path, new: &Path, runs: usize) -> Result<Vec<f64>, String> {
    let mut commands: Vec<Command> = binaries
        .iter()
        .map(|bin| {
            let mut redline = Command::new(bin);
            redline.arg("diff").arg("--files").arg(old).arg(new);
            redline
        })
        .collect();
    let mut git = Command::new("git");
    git.args(["diff", "--no-index", "--word-diff=porcelain"])
        .arg(old)
        .arg(new);
    commands.push(git);
    // One unmeasured run each: warms the page cache, and checks none fails
    // (exit 0 or 1: "no differences" or "differences").
    for command in &mut commands {
        let status = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| format!("{command:?}: {e}"))?;
        if status.code().is_none_or(|c| c > 1) {
            return Err(format!("{command:?} failed: {status}"));
        }
    }
    let mut times = vec![Vec::new(); commands.len()];
    for _ in 0..runs.max(1) {
        for (command, times) in commands.iter_mut().zip(&mut times) {
            let t0 = Instant::now();
            command.status().map_err(|e| format!("{command:?}: {e}"))?;
            times.push(t0.elapsed().as_secs_f64() * 1000.0);
        }
    }
    Ok(times.iter_mut().map(|t| median(t)).collect())
}
