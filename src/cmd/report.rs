//! `redline report`: what changed in a pull request's explainers (or a store range).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use redline::error::{Error, Result};
use redline::report::{self, ReportConfig};
use redline::slug::Slug;
use redline::store::Store;

use super::{emit, use_color, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which range, which files, which format.
    #[command(flatten)]
    range: RangeArgs,
    /// Markdown: most characters to print (GitHub's comment limit is 65,536).
    #[arg(long, default_value_t = redline::report::COMMENT_LIMIT)]
    limit: usize,
    /// Markdown: also write the whole report, uncut, to FILE (e.g. a CI artifact).
    #[arg(long)]
    full_out: Option<PathBuf>,
}

/// The range of `report` and `check`.
#[derive(Debug, clap::Args)]
pub struct RangeArgs {
    /// The content repository (working tree or bare).
    #[arg(long, default_value = ".")]
    pub repo: PathBuf,
    /// The branch the pull request goes into; files are compared from the merge base of BASE and HEAD.
    #[arg(long)]
    pub base: Option<String>,
    /// The pull request's head.
    #[arg(long, default_value = "HEAD")]
    pub head: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RangeFormat::Text)]
    pub format: RangeFormat,
    /// With --base: only these explainer paths (files or folders). Without: SLUG FROM TO in the store.
    pub paths: Vec<String>,
}

/// Output formats of `report` and `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RangeFormat {
    /// Terminal text.
    Text,
    /// GitHub-flavoured Markdown for a pull-request comment.
    Markdown,
    /// JSON (`"schema": 1`).
    Json,
    /// GitHub Actions workflow commands (annotations on the changed lines).
    Github,
}

pub fn execute(args: Args, context: &Context, out: &mut impl Write) -> Result<u8> {
    let Args {
        range,
        limit,
        full_out,
    } = args;
    let (report, _) = range_report(&range, context.store, context.rules)?;
    let text = match range.format {
        RangeFormat::Text => report::text(&report, use_color())?,
        RangeFormat::Json => report::json(&report)?,
        RangeFormat::Github => report::github(&report)?,
        RangeFormat::Markdown => report::markdown(&report, limit)?.text,
    };
    if let Some(path) = full_out {
        write_whole(&path, &report::markdown(&report, usize::MAX)?.text)?;
    }
    emit(out, &text)?;
    Ok(0)
}

/// The report `report` and `check` work on: a git range with --base, else a store range.
pub(super) fn range_report(
    range: &RangeArgs,
    store: &Path,
    rules_path: Option<&Path>,
) -> Result<(report::Report, ReportConfig)> {
    let explicit = rules_path
        .map(|p| {
            std::fs::read_to_string(p)
                .map(|t| (p, t))
                .map_err(|e| Error::io(p, e))
        })
        .transpose()?;
    if let Some(base) = &range.base {
        let request = report::GitRequest {
            repo: &range.repo,
            base,
            head: &range.head,
            paths: &range.paths,
            config: explicit.as_ref().map(|(p, t)| (*p, t.as_str())),
        };
        return report::git_report(&request);
    }
    let [slug, from, to] = range.paths.as_slice() else {
        return Err(Error::bad_input("arguments", "", 
            "give --base REF (a git range of a content repository) or SLUG FROM TO (a store explainer)"
                .to_string(),
        ));
    };
    let config = match &explicit {
        Some((path, text)) => ReportConfig::parse(path, text)?,
        None if Path::new("redline.toml").is_file() => {
            let path = Path::new("redline.toml");
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            ReportConfig::parse(path, &text)?
        }
        None => ReportConfig::default(),
    };
    let store = Store::open(store)?;
    let report = report::store_report(&store, &Slug::new(slug)?, &from.parse()?, &to.parse()?)?;
    Ok((report, config))
}

/// Write a whole file or nothing: a temporary file beside it, renamed into place.
fn write_whole(path: &Path, text: &str) -> Result<()> {
    redline::atomic_file::write(path, text.as_bytes()).map_err(|e| Error::io(path, e))
}
