//! Synthetic explainer histories for redline's benchmarks, deterministic from a seed.
//!
//! ```text
//! cargo run --release --example generate_history -- history OUT [--versions 1000] [--size 20k] [--seed 42] [--slug SLUG]
//! cargo run --release --example generate_history -- site OUT [--explainers 100] [--versions 50] [--size 20k] [--seed 42]
//! cargo run --release --example generate_history -- pair OUT [--size 100k] [--edits N] [--seed 42]
//! cargo run --release --example generate_history -- pathological OUT
//! ```
//!
//! `history` and `site` write an import folder (`OUT/<slug>/<nnnn>.md`, each with
//! `+++` front matter and a `[change]` table) for `redline import OUT`; `pair`
//! writes `OUT/old.md` and `OUT/new.md`; `pathological` writes three such pairs
//! (`unbroken`, `identical-lines`, `rewrite`) under OUT.

mod corpus;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Duration, TimeZone, Utc};

use corpus::{parse_size, toml_string, Writer};

/// Parsed command line.
struct Args {
    mode: String,
    out: PathBuf,
    versions: Option<usize>,
    explainers: usize,
    size: Option<usize>,
    edits: Option<usize>,
    seed: u64,
    slug: String,
}

fn parse_args() -> Result<Args, String> {
    let mut raw = std::env::args().skip(1);
    let mode = raw
        .next()
        .ok_or("missing mode: history | site | pair | pathological")?;
    let out = PathBuf::from(raw.next().ok_or("missing output folder")?);
    let mut args = Args {
        mode,
        out,
        versions: None,
        explainers: 100,
        size: None,
        edits: None,
        seed: 42,
        slug: "generated-explainer".into(),
    };
    while let Some(flag) = raw.next() {
        let value = raw.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("{flag}: not a number: {value}"))
        };
        match flag.as_str() {
            "--versions" => args.versions = Some(number()?),
            "--explainers" => args.explainers = number()?,
            "--edits" => args.edits = Some(number()?),
            "--seed" => args.seed = number()? as u64,
            "--size" => {
                args.size = Some(parse_size(&value).ok_or(format!("--size: cannot read {value}"))?)
            }
            "--slug" => args.slug = value,
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(args)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Write one explainer's history: v1, then `versions - 1` updates of 1–3 edits each,
/// holding the body near `size` bytes. Returns the bytes written.
fn write_history(
    dir: &Path,
    slug: &str,
    title: &str,
    versions: usize,
    size: usize,
    seed: u64,
) -> Result<usize, String> {
    let mut writer = Writer::new(seed);
    let mut article = writer.article(title, size);
    let mut when: DateTime<Utc> = Utc
        .with_ymd_and_hms(2024, 6, 1, 8, 0, 0)
        .single()
        .ok_or("bad start date")?;
    let width = versions.to_string().len().max(4);
    let mut total = 0;
    for number in 1..=versions {
        let (note, minor) = if number == 1 {
            ("First published".to_string(), false)
        } else {
            let edits = match writer.rng.below(10) {
                0..=5 => 1,
                6..=8 => 2,
                _ => 3,
            };
            let mut notes = Vec::new();
            let mut all_minor = true;
            for _ in 0..edits {
                let len = article.approx_len();
                let grow = if len > size + size / 7 {
                    -1
                } else if len < size - size / 7 {
                    1
                } else {
                    0
                };
                let (note, minor) = writer.edit(&mut article, grow);
                all_minor &= minor;
                notes.push(note);
            }
            (notes.join("; "), all_minor)
        };
        when += Duration::minutes(writer.rng.range(60, 600) as i64);
        let body = article.markdown();
        let text = format!(
            "+++\ntitle = {}\nupdated = {}\npublisher = \"Redline Bench\"\n\n[change]\neditor = {}\nkind = \"{}\"\nnote = {}\n+++\n{body}\n",
            toml_string(title),
            when.format("%Y-%m-%dT%H:%M:%SZ"),
            toml_string(writer.editor()),
            if minor { "minor" } else { "major" },
            toml_string(&note),
        );
        total += text.len();
        write(&dir.join(slug).join(format!("{number:0width$}.md")), &text)?;
    }
    Ok(total)
}

fn write_pair(dir: &Path, old: &str, new: &str) -> Result<(), String> {
    write(&dir.join("old.md"), old)?;
    write(&dir.join("new.md"), new)
}

fn run(args: Args) -> Result<(), String> {
    match args.mode.as_str() {
        "history" => {
            let versions = args.versions.unwrap_or(1000);
            let size = args.size.unwrap_or(20_000);
            let bytes = write_history(
                &args.out,
                &args.slug,
                "Peace talks explained: what is happening and what could be on the table?",
                versions,
                size,
                args.seed,
            )?;
            eprintln!(
                "wrote {versions} versions of {} ({bytes} bytes) to {}",
                args.slug,
                args.out.display()
            );
        }
        "site" => {
            let versions = args.versions.unwrap_or(50);
            let size = args.size.unwrap_or(20_000);
            let mut bytes = 0;
            for i in 1..=args.explainers {
                bytes += write_history(
                    &args.out,
                    &format!("explainer-{i:03}"),
                    &format!("Explainer {i}: what we know so far"),
                    versions,
                    size,
                    args.seed.wrapping_add(i as u64 * 7919),
                )?;
            }
            eprintln!(
                "wrote {} explainers x {versions} versions ({bytes} bytes) to {}",
                args.explainers,
                args.out.display()
            );
        }
        "pair" => {
            let size = args.size.unwrap_or(100_000);
            let edits = args.edits.unwrap_or_else(|| corpus::default_edits(size));
            let (old, new) = corpus::pair(args.seed, size, edits);
            write_pair(&args.out, &old, &new)?;
            eprintln!(
                "wrote a {} / {} byte pair with {edits} edits to {}",
                old.len(),
                new.len(),
                args.out.display()
            );
        }
        "pathological" => {
            let (old, new) = corpus::unbroken_paragraph(args.seed, 1_000_000);
            write_pair(&args.out.join("unbroken"), &old, &new)?;
            let (old, new) = corpus::identical_lines(50_000);
            write_pair(&args.out.join("identical-lines"), &old, &new)?;
            let (old, new) = corpus::full_rewrite(args.seed, 1_000_000);
            write_pair(&args.out.join("rewrite"), &old, &new)?;
            eprintln!("wrote three pathological pairs to {}", args.out.display());
        }
        other => {
            return Err(format!(
                "unknown mode {other}: history | site | pair | pathological"
            ))
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("generate_history: {message}");
            ExitCode::FAILURE
        }
    }
}
