//! Command-line interface: the global arguments (clap derive; doc comments are
//! the `--help` text), one module per subcommand with its arguments and its
//! `execute`, and what they share (output, formats, rules). Each subcommand is a
//! thin layer over the library stages, so the HTTP service and CI reports can
//! reuse them.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use askama::Template;
use clap::{Parser, Subcommand, ValueEnum};

use redline::error::{Error, Result};
use redline::import;
use redline::ingest::Rules;
use redline::model::{Version, VersionRef};
use redline::site;
use redline::slug::Slug;
use redline::store::{ExplainerEntry, Store};

mod blame;
mod build;
mod check;
mod commit;
mod demo;
mod diff;
mod history;
mod import_dir;
mod ingest;
mod init;
mod list;
mod log;
mod report;
mod serve;
mod show;
mod since;
mod token;
mod verify;

/// redline: track what changed in living explainers. Every update is a snapshot in
/// a git store with its editor, time, change note and kind.
#[derive(Debug, Parser)]
#[command(name = "redline", version, about, long_about = None)]
pub struct Cli {
    /// The store (a bare git repository). Defaults to $REDLINE_STORE, else ./redline.git.
    #[arg(
        long,
        global = true,
        env = "REDLINE_STORE",
        default_value = "redline.git"
    )]
    pub store: PathBuf,
    /// Publisher rules (boilerplate to strip). Defaults to ./redline.toml if present, else the shipped rules.
    #[arg(long, global = true)]
    pub rules: Option<PathBuf>,
    /// `--store` was given on the command line (not taken from $REDLINE_STORE or
    /// the default): `demo` keeps its store only when asked this way.
    #[arg(skip)]
    pub store_given: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats for machine- or human-readable listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Human-readable text.
    Text,
    /// JSON (serde).
    Json,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create an empty store.
    Init(Deferred<init::Args>),
    /// Print the canonical stored form of FILE (front matter + Markdown body): exactly what `commit` would store.
    Ingest(Deferred<ingest::Args>),
    /// Record a new version of an explainer.
    Commit(Deferred<commit::Args>),
    /// List explainers with their title, number of versions and last update.
    List(Deferred<list::Args>),
    /// Show an explainer's versions: number, commit, updated time, kind, editor, note.
    Log(Deferred<log::Args>),
    /// Print one version: SLUG or SLUG@VERSION, VERSION being vN, a commit id, or a date/datetime (the version current then).
    Show(Deferred<show::Args>),
    /// Import a folder of version files: DIR/<slug>/<name>.md|.txt with front matter (see README).
    Import(Deferred<import_dir::Args>),
    /// Show what changed between two versions (SLUG FROM TO), or between two files (--files OLD NEW).
    Diff(Deferred<diff::Args>),
    /// What changed in an explainer since WHEN (a date, datetime, vN or commit id): highlights first.
    Since(Deferred<since::Args>),
    /// Write the readers' static site (index, explainer pages, changelogs, diffs, summaries, Atom feeds).
    Build(Deferred<build::Args>),
    /// Import the bundled demo history into a fresh store and show what changed. The store is temporary unless --store names a new one to keep.
    Demo,
    /// Serve the readers' pages, a JSON API and (with --tokens) editors' writes over HTTP.
    Serve(Deferred<serve::Args>),
    /// Manage the tokens file of `redline serve`.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Check the store: rebuild every history from git, compare it with the history cache (which is rewritten), re-hash and parse every version. Exit 1 when anything differed or is unreadable.
    Verify,
    /// Every sentence of a version (SLUG or SLUG@VERSION) with the update that gave it its current wording.
    Blame(Deferred<blame::Args>),
    /// The history of every sentence containing TEXT, in any version: added, edited, removed, with each update's note.
    History(Deferred<history::Args>),
    /// Report what changed in the explainers of a pull request (`--base REF`: the git range
    /// BASE...HEAD of a content repository), or in one explainer of the store (SLUG FROM TO).
    Report(Deferred<report::Args>),
    /// Check a pull request (same arguments as `report`) against the `[policy]` of redline.toml:
    /// one line per violation, exit status 1 when any rule set to "error" is broken.
    Check(Deferred<check::Args>),
}

/// A subcommand's arguments, given to clap only when that subcommand is the one
/// on the command line (`clap::Command::defer`): building every subcommand's
/// arguments at each start was most of clap's start-up time.
#[derive(Debug)]
pub struct Deferred<T>(pub T);

impl<T: clap::FromArgMatches> clap::FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &clap::ArgMatches) -> std::result::Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Deferred)
    }

    fn update_from_arg_matches(
        &mut self,
        matches: &clap::ArgMatches,
    ) -> std::result::Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }
}

impl<T: clap::Args> clap::Args for Deferred<T> {
    fn augment_args(command: clap::Command) -> clap::Command {
        command.defer(T::augment_args)
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        command.defer(T::augment_args_for_update)
    }
}

/// Output formats of reports (diffs and summaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Terminal text, coloured on a terminal unless NO_COLOR is set.
    Text,
    /// JSON (serde), for programs.
    Json,
    /// Markdown, for CI comments.
    Markdown,
    /// A standalone HTML page.
    Html,
}

/// Output formats of blame and history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PageFormat {
    /// Terminal text.
    Text,
    /// JSON (serde), for programs.
    Json,
    /// A standalone HTML page.
    Html,
}

/// What every subcommand may use besides its own arguments: the global options.
pub struct Context<'a> {
    /// `--store`.
    pub store: &'a Path,
    /// `--rules`.
    pub rules: Option<&'a Path>,
    /// `--store` was given on the command line.
    pub store_given: bool,
}

impl Context<'_> {
    /// The publisher rules: `--rules`, else ./redline.toml if present, else the
    /// shipped rules. Read only by the commands that ingest text (startup cost).
    pub fn rules(&self) -> Result<Rules> {
        load_rules(self.rules)
    }
}

/// Run a parsed command line; returns the process exit status.
pub fn run(cli: Cli) -> Result<u8> {
    let context = Context {
        store: &cli.store,
        rules: cli.rules.as_deref(),
        store_given: cli.store_given,
    };
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Init(Deferred(args)) => init::execute(args, &context, &mut out),
        Command::Ingest(Deferred(args)) => ingest::execute(args, &context, &mut out),
        Command::Commit(Deferred(args)) => commit::execute(args, &context, &mut out),
        Command::List(Deferred(args)) => list::execute(args, &context, &mut out),
        Command::Log(Deferred(args)) => log::execute(args, &context, &mut out),
        Command::Show(Deferred(args)) => show::execute(args, &context, &mut out),
        Command::Import(Deferred(args)) => import_dir::execute(args, &context, &mut out),
        Command::Diff(Deferred(args)) => diff::execute(args, &context, &mut out),
        Command::Since(Deferred(args)) => since::execute(args, &context, &mut out),
        Command::Build(Deferred(args)) => build::execute(args, &context, &mut out),
        Command::Demo => demo::execute(&context, &mut out),
        Command::Serve(Deferred(args)) => serve::execute(args, &context),
        Command::Token(command) => token::execute(command, &mut out),
        Command::Verify => verify::execute(&context, &mut out),
        Command::Blame(Deferred(args)) => blame::execute(args, &context, &mut out),
        Command::History(Deferred(args)) => history::execute(args, &context, &mut out),
        Command::Report(Deferred(args)) => report::execute(args, &context, &mut out),
        Command::Check(Deferred(args)) => check::execute(args, &context, &mut out),
    }
}

impl Command {
    /// Whether the command may read a store's objects (false for the ones
    /// that only read files: `ingest`, `diff --files`, `token`).
    pub fn reads_store(&self) -> bool {
        match self {
            Command::Ingest(_) | Command::Token(_) => false,
            Command::Diff(Deferred(args)) => !args.compares_files(),
            _ => true,
        }
    }
}

/// What the store did on the user's behalf (a recovered lock), on stderr.
fn print_notices(store: &Store) {
    for notice in store.take_notices() {
        eprintln!("redline: note: {notice}");
    }
}

impl Cli {
    /// Parse the process's arguments (exiting with clap's message on a bad
    /// command line), noting whether `--store` was given on the command line.
    pub fn parse_args() -> Cli {
        use clap::{CommandFactory, FromArgMatches};
        let matches = Cli::command().get_matches();
        let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
        cli.store_given =
            matches.value_source("store") == Some(clap::parser::ValueSource::CommandLine);
        cli
    }
}

fn import_with_progress<'a>(
    store: &Store,
    input: impl Into<import::ImportInput<'a>>,
    rules: &Rules,
) -> Result<import::ImportReport> {
    let input = input.into();
    // A bar only for a person watching; pipes and CI logs get nothing extra.
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(input.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("importing {bar:30} {pos}/{len} versions")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let report = import::import(store, input, rules, &|done, total| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    report
}

fn load_rules(explicit: Option<&Path>) -> Result<Rules> {
    match explicit {
        Some(path) => Rules::load(path),
        None => {
            let local = Path::new("redline.toml");
            if local.is_file() {
                Rules::load(local)
            } else {
                Ok(Rules::shipped())
            }
        }
    }
}

/// Split `slug@version`; a bare slug means the newest version.
pub fn parse_target(target: &str) -> Result<(Slug, VersionRef)> {
    match target.split_once('@') {
        Some((slug, version)) => Ok((Slug::new(slug)?, version.parse()?)),
        None => Ok((Slug::new(target)?, VersionRef::Latest)),
    }
}

/// Colour only for a person at a terminal who has not asked for none (no-color.org).
fn use_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| Error::Render(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

fn render(template: &impl Template) -> Result<String> {
    template.render().map_err(|e| Error::Render(e.to_string()))
}

/// Text printed as it is, not through a `.txt` template: a stored file or an
/// HTML page, byte for byte into a pipe or file (`redline show x > x.md` must
/// round-trip); on a terminal, control characters are dropped as the `.txt`
/// templates drop them, so a stored explainer cannot drive the terminal.
/// (JSON needs nothing: serde escapes control characters.)
fn verbatim(text: String) -> String {
    if std::io::stdout().is_terminal() {
        redline::render::strip_controls(&text)
    } else {
        text
    }
}

/// The line `main` prints for an error, through the `.txt` templates' escaper:
/// messages quote file names and file contents.
pub fn error_line(error: &Error) -> String {
    ErrorLine { error }
        .render()
        .unwrap_or_else(|_| "redline: error (its message could not be printed)".to_string())
}

#[derive(Template)]
#[template(path = "cli/error.txt")]
struct ErrorLine<'a> {
    error: &'a Error,
}

fn emit(out: &mut impl Write, text: &str) -> Result<()> {
    match out.write_all(text.as_bytes()) {
        // A closed pipe (`redline log x | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| Error::io("<stdout>", e)),
    }
}

/// One-line reports of what a command did.
#[derive(Template)]
#[template(path = "cli/status.txt")]
enum Status {
    Initialised {
        path: String,
    },
    Imported {
        report: import::ImportReport,
        source: String,
    },
    DemoImported {
        report: import::ImportReport,
        /// The store the user named with `--store`, kept after the demo.
        kept: Option<String>,
    },
    Built {
        report: site::BuildReport,
        out_dir: String,
    },
    Verified {
        report: redline::store::VerifyReport,
        path: String,
    },
}

#[derive(Template)]
#[template(path = "cli/log.txt")]
struct LogView<'a> {
    slug: &'a Slug,
    versions: &'a [Version],
}

#[derive(Template)]
#[template(path = "cli/list.txt")]
struct ListView<'a> {
    explainers: &'a [ExplainerEntry],
}
