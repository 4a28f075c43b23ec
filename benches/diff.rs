//! Structured-diff benchmarks: redline's `diff::diff` in-process on the demo
//! pairs, on generated 100 KB and 1 MB explainers, and on pathological inputs
//! that must degrade to a coarser diff within the deadline (< 2 s).
//!
//! Run: `cargo bench --bench diff` (figures land in `target/criterion/`, which
//! `bench/run.sh` reads for its in-process ratios). Parsing is done outside the
//! timed loop for the `diff` group and inside it for `parse_and_diff`.

#[path = "../examples/generate_history/corpus.rs"]
mod corpus;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use redline::ingest::{self, Rules};
use redline::model::Document;

/// One old/new pair, named for the report, with the raw text of both sides.
struct Pair {
    name: &'static str,
    old_name: &'static str,
    new_name: &'static str,
    old: String,
    new: String,
}

impl Pair {
    fn generated(name: &'static str, (old, new): (String, String)) -> Pair {
        Pair {
            name,
            old_name: "old.md",
            new_name: "new.md",
            old,
            new,
        }
    }

    fn documents(&self, rules: &Rules) -> (Document, Document) {
        (
            parse(self.old_name, &self.old, rules),
            parse(self.new_name, &self.new, rules),
        )
    }
}

fn parse(name: &str, text: &str, rules: &Rules) -> Document {
    match ingest::ingest_bytes(Path::new(name), text.as_bytes(), rules) {
        Ok(ingested) => ingested.document,
        Err(error) => panic!("bench input {name} does not ingest: {error}"),
    }
}

fn snapshot(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("snapshots/fullfact-ukraine-peace-talks")
        .join(file);
    match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => panic!("{}: {error}", path.display()),
    }
}

/// The Full Fact demo history: consecutive updates and the whole span.
fn demo_pairs() -> Vec<Pair> {
    [
        ("demo-19feb-25feb", "2025-02-19.txt", "2025-02-25.txt"),
        ("demo-25feb-01mar", "2025-02-25.txt", "2025-03-01.txt"),
        ("demo-01mar-04mar", "2025-03-01.txt", "2025-03-04.txt"),
        ("demo-19feb-04mar", "2025-02-19.txt", "2025-03-04.txt"),
    ]
    .into_iter()
    .map(|(name, old, new)| Pair {
        name,
        old_name: old,
        new_name: new,
        old: snapshot(old),
        new: snapshot(new),
    })
    .collect()
}

/// Generated explainers with realistic edits (the same seeds as `bench/run.sh`).
fn generated_pairs() -> Vec<Pair> {
    vec![
        Pair::generated(
            "generated-20k",
            corpus::pair(42, 20_000, corpus::default_edits(20_000)),
        ),
        Pair::generated(
            "generated-100k",
            corpus::pair(42, 100_000, corpus::default_edits(100_000)),
        ),
        Pair::generated(
            "generated-1m",
            corpus::pair(42, 1_000_000, corpus::default_edits(1_000_000)),
        ),
    ]
}

/// Inputs built to defeat the aligner: the engine must answer (coarser) within its deadline.
fn pathological_pairs() -> Vec<Pair> {
    vec![
        Pair::generated(
            "unbroken-paragraph-1m",
            corpus::unbroken_paragraph(42, 1_000_000),
        ),
        Pair::generated("identical-lines-50k", corpus::identical_lines(50_000)),
        Pair::generated("full-rewrite-100k", corpus::full_rewrite(42, 100_000)),
        Pair::generated("full-rewrite-1m", corpus::full_rewrite(42, 1_000_000)),
    ]
}

fn bench_diff(c: &mut Criterion) {
    let rules = Rules::shipped();
    let mut group = c.benchmark_group("diff");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for pair in demo_pairs().into_iter().chain(generated_pairs()) {
        let (old, new) = pair.documents(&rules);
        group.throughput(Throughput::Bytes((pair.old.len() + pair.new.len()) as u64));
        if pair.old.len() > 500_000 {
            group.sample_size(10).sampling_mode(SamplingMode::Flat);
        } else {
            group.sample_size(50).sampling_mode(SamplingMode::Auto);
        }
        group.bench_with_input(
            BenchmarkId::from_parameter(pair.name),
            &(old, new),
            |b, (old, new)| b.iter(|| redline::diff::diff(black_box(old), black_box(new))),
        );
    }
    group.finish();
}

fn bench_parse_and_diff(c: &mut Criterion) {
    let rules = Rules::shipped();
    let mut group = c.benchmark_group("parse_and_diff");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    let pairs = demo_pairs()
        .into_iter()
        .chain(generated_pairs())
        .filter(|p| p.name != "generated-20k");
    for pair in pairs {
        group.throughput(Throughput::Bytes((pair.old.len() + pair.new.len()) as u64));
        if pair.old.len() > 500_000 {
            group.sample_size(10).sampling_mode(SamplingMode::Flat);
        } else {
            group.sample_size(50).sampling_mode(SamplingMode::Auto);
        }
        group.bench_with_input(BenchmarkId::from_parameter(pair.name), &pair, |b, pair| {
            b.iter(|| {
                let (old, new) = pair.documents(&rules);
                redline::diff::diff(black_box(&old), black_box(&new))
            })
        });
    }
    group.finish();
}

fn bench_pathological(c: &mut Criterion) {
    let rules = Rules::shipped();
    let mut group = c.benchmark_group("pathological");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    for pair in pathological_pairs() {
        let (old, new) = pair.documents(&rules);
        // One timed call up front, printed, so the deadline figure is visible
        // even when criterion's statistics are not read.
        let start = Instant::now();
        let changes = redline::diff::diff(&old, &new);
        eprintln!(
            "pathological {}: one diff {:.1} ms, coarse = {}, {} changes",
            pair.name,
            start.elapsed().as_secs_f64() * 1000.0,
            changes.coarse,
            changes.changes.len()
        );
        group.bench_with_input(
            BenchmarkId::from_parameter(pair.name),
            &(old, new),
            |b, (old, new)| b.iter(|| redline::diff::diff(black_box(old), black_box(new))),
        );
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_diff,
    bench_parse_and_diff,
    bench_pathological
);
criterion_main!(benches);
