//! Command-line interface: argument definitions (clap derive; doc comments are
//! the `--help` text) and one function per subcommand. Each subcommand is a thin
//! layer over the library stages, so the HTTP service and CI reports can reuse them.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use askama::Template;
use chrono::{DateTime, FixedOffset, Utc};
use clap::{Parser, Subcommand, ValueEnum};

use crate::blame;
use crate::diff;
use crate::error::{Error, Result};
use crate::import::{self, ImportFile};
use crate::ingest::{self, Rules};
use crate::model::{UpdateKind, Version, VersionRef};
use crate::render::{self, DiffHeader, DiffSide};
use crate::site;
use crate::slug::Slug;
use crate::store::{CommitOutcome, ExplainerEntry, Store, UpdateRequest};
use crate::summary::{self, Summary};

/// The demo history, embedded so `redline demo` works from any directory.
static DEMO_SNAPSHOTS: include_dir::Dir<'_> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/snapshots");

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
    Init {
        /// Make an existing bare git repository a store instead (versions go on its `main` branch).
        #[arg(long)]
        adopt: bool,
    },
    /// Print the canonical stored form of FILE (front matter + Markdown body): exactly what `commit` would store.
    Ingest {
        /// A Markdown file (optionally with +++ TOML front matter) or a plain-text capture.
        file: PathBuf,
    },
    /// Record a new version of an explainer.
    Commit {
        /// Explainer slug: lower-case letters, digits and '-'.
        slug: String,
        /// The new version (Markdown or plain-text capture).
        file: PathBuf,
        /// Public change note shown to readers (a major update needs one). Defaults to the file's [change] note.
        #[arg(long)]
        note: Option<String>,
        /// Mark the update as minor (typos, formatting). Defaults to the file's [change] kind, else major.
        #[arg(long, conflicts_with = "major")]
        minor: bool,
        /// Mark the update as major, whatever the file's [change] table says.
        #[arg(long)]
        major: bool,
        /// Editor's name. Defaults to the file's [change] editor, else $REDLINE_EDITOR, else git's user.name, else $USER.
        #[arg(long)]
        editor: Option<String>,
        /// Updated time (2025-03-04 or 2025-03-04T16:00:00Z; 1970-01-01 to 2106-02-07 UTC, what git stores). Defaults to the file's `updated`, else now.
        #[arg(long)]
        updated: Option<String>,
        /// The version you edited (vN or commit id). If the explainer has moved on, the commit is refused (exit 3).
        #[arg(long)]
        expect: Option<String>,
        /// Record an updated time older than the newest version's (refused otherwise, exit 2).
        #[arg(long)]
        backdate: bool,
    },
    /// List explainers with their title, number of versions and last update.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Show an explainer's versions: number, commit, updated time, kind, editor, note.
    Log {
        /// Explainer slug.
        slug: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print one version: SLUG or SLUG@VERSION, VERSION being vN, a commit id, or a date/datetime (the version current then).
    Show {
        /// SLUG[@VERSION].
        target: String,
        /// Print only the Markdown body.
        #[arg(long)]
        body: bool,
    },
    /// Import a folder of version files: DIR/<slug>/<name>.md|.txt with front matter (see README).
    Import {
        /// The folder.
        dir: PathBuf,
    },
    /// Show what changed between two versions (SLUG FROM TO), or between two files (--files OLD NEW).
    Diff {
        /// SLUG FROM TO (FROM/TO: any version `show` accepts), or OLD NEW with --files.
        #[arg(num_args = 2..=3, required = true)]
        args: Vec<String>,
        /// Compare two files (any input `ingest` accepts) without a store.
        #[arg(long)]
        files: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// What changed in an explainer since WHEN (a date, datetime, vN or commit id): highlights first.
    Since {
        /// Explainer slug.
        slug: String,
        /// The moment the reader last saw the explainer.
        when: String,
        /// Stop at the version current then instead of the newest.
        #[arg(long)]
        until: Option<String>,
        /// List every highlight and change (text and Markdown show about one screen by default).
        #[arg(long)]
        all: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Write the readers' static site (index, explainer pages, changelogs, diffs, summaries, Atom feeds).
    Build {
        /// Output folder (created if needed).
        #[arg(long)]
        out: PathBuf,
    },
    /// Import the bundled demo history into a fresh store and show what changed. The store is temporary unless --store names a new one to keep.
    Demo,
    /// Serve the readers' pages, a JSON API and (with --tokens) editors' writes over HTTP.
    Serve {
        /// Address to listen on (port 0 picks a free one; the address is printed).
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Tokens file (see `redline token add`). Without it the server is read-only.
        #[arg(long)]
        tokens: Option<PathBuf>,
        /// Refuse writes even with --tokens.
        #[arg(long)]
        read_only: bool,
        /// The site's public URL, for feeds' absolute links and tag URIs.
        #[arg(long)]
        base_url: Option<String>,
        /// Serve a read-only mirror of this primary store (git URL or path), fetched regularly.
        #[arg(long)]
        mirror_of: Option<String>,
        /// How often a mirror fetches, in seconds (30s, 500ms and 2m also read).
        #[arg(long, default_value = "30s", value_parser = parse_interval)]
        fetch_interval: std::time::Duration,
        /// Shared secret of `POST /hooks/fetch` (a mirror fetches when the primary calls it).
        #[arg(long, env = "REDLINE_HOOK_SECRET")]
        hook_secret: Option<String>,
    },
    /// Manage the tokens file of `redline serve`.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check the store: rebuild every history from git, compare it with the history cache (which is rewritten), re-hash and parse every version. Exit 1 when anything differed or is unreadable.
    Verify,
    /// Every sentence of a version (SLUG or SLUG@VERSION) with the update that gave it its current wording.
    Blame {
        /// SLUG[@VERSION] (VERSION: anything `show` accepts; default the newest).
        target: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = PageFormat::Text)]
        format: PageFormat,
    },
    /// The history of every sentence containing TEXT, in any version: added, edited, removed, with each update's note.
    History {
        /// Explainer slug.
        slug: String,
        /// Some words of the sentence (case and typography aside).
        text: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = PageFormat::Text)]
        format: PageFormat,
    },
    /// Report what changed in the explainers of a pull request (`--base REF`: the git range
    /// BASE...HEAD of a content repository), or in one explainer of the store (SLUG FROM TO).
    Report {
        /// Which range, which files, which format.
        #[command(flatten)]
        range: RangeArgs,
        /// Markdown: most characters to print (GitHub's comment limit is 65,536).
        #[arg(long, default_value_t = crate::report::COMMENT_LIMIT)]
        limit: usize,
        /// Markdown: also write the whole report, uncut, to FILE (e.g. a CI artifact).
        #[arg(long)]
        full_out: Option<PathBuf>,
    },
    /// Check a pull request (same arguments as `report`) against the `[policy]` of redline.toml:
    /// one line per violation, exit status 1 when any rule set to "error" is broken.
    Check {
        /// Which range, which files, which format.
        #[command(flatten)]
        range: RangeArgs,
    },
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

/// `redline token …`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Add a token for NAME and print it once (only its hash is stored).
    Add {
        /// The owner's name, recorded as the editor of their updates.
        name: String,
        /// editor (may publish) or reader (may read).
        #[arg(long, default_value = "editor")]
        role: String,
        /// The tokens file (created if absent).
        #[arg(long)]
        tokens: PathBuf,
    },
}

/// `30s`, `500ms`, `2m` or plain seconds.
fn parse_interval(raw: &str) -> std::result::Result<std::time::Duration, String> {
    let raw = raw.trim();
    let (number, unit) = match raw.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => raw.split_at(i),
        None => (raw, "s"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{raw:?}: give a duration like 30s, 500ms or 2m"))?;
    let d = match unit {
        "ms" => std::time::Duration::from_millis(n),
        "s" => std::time::Duration::from_secs(n),
        "m" => std::time::Duration::from_secs(n * 60),
        _ => return Err(format!("{raw:?}: give a duration like 30s, 500ms or 2m")),
    };
    if d.is_zero() {
        return Err(format!("{raw:?}: the interval must be above zero"));
    }
    Ok(d)
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

/// Run a parsed command line; returns the process exit status.
pub fn run(cli: Cli) -> Result<u8> {
    // Rules are read only by the commands that ingest text (startup cost).
    let rules_path = cli.rules.clone();
    let rules = || load_rules(rules_path.as_deref());
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Init { adopt } => {
            let store = if adopt {
                Store::adopt(&cli.store)?
            } else {
                Store::init(&cli.store)?
            };
            let path = store.path().display().to_string();
            emit(&mut out, &render(&Status::Initialised { path })?)?;
        }
        Command::Ingest { file } => {
            let ingested = ingest::ingest_file(&file, &rules()?)?;
            emit(&mut out, &verbatim(ingest::stored_text(&ingested.document)))?;
        }
        Command::Commit {
            slug,
            file,
            note,
            minor,
            major,
            editor,
            updated,
            expect,
            backdate,
        } => {
            let slug = Slug::new(&slug)?;
            let store = Store::open(&cli.store)?;
            let mut ingested = ingest::ingest_file(&file, &rules()?)?;
            let explicit = match updated {
                Some(raw) => {
                    let updated = crate::model::parse_when(&raw)?;
                    crate::time_range::check_storable(&updated).map_err(|problem| {
                        Error::bad_input(
                            "--updated",
                            raw.as_str(),
                            format!("--updated {raw}: {problem}"),
                        )
                    })?;
                    Some(updated)
                }
                None => None,
            };
            let (updated, notice) =
                store.updated_for_commit(&slug, explicit, ingested.document.meta.updated, now())?;
            ingested.document.meta.updated = Some(updated);
            // Flags win; the file's [change] table fills in what they leave out.
            let from_file = ingested.change.take();
            let kind = match (minor, major, &from_file) {
                (true, _, _) => UpdateKind::Minor,
                (_, true, _) => UpdateKind::Major,
                (_, _, Some(change)) => change.kind,
                (_, _, None) => UpdateKind::Major,
            };
            let from_file = from_file.unwrap_or_default();
            let request = UpdateRequest {
                editor: editor.or(from_file.editor).unwrap_or_else(default_editor),
                updated,
                note: change_note(note.or(from_file.note), kind)?,
                kind,
                expect: expect.map(|e| e.parse::<VersionRef>()).transpose()?,
            };
            let order = if backdate {
                crate::store::TimeOrder::Backdate
            } else {
                crate::store::TimeOrder::Append
            };
            let outcome = store.commit_with(&slug, &ingested.document, &request, order);
            print_notices(&store);
            let outcome = outcome?;
            let (version, written) = match outcome {
                CommitOutcome::Committed(v) => (v, true),
                CommitOutcome::Unchanged(v) => (v, false),
            };
            if let Some(notice) = notice.filter(|_| written) {
                eprintln!("redline: note: {}: {notice}", file.display());
            }
            emit(
                &mut out,
                &render(&CommittedView {
                    slug: &slug,
                    version: &version,
                    written,
                })?,
            )?;
        }
        Command::List { format } => {
            let store = Store::open(&cli.store)?;
            let (explainers, unreadable) = store.readable_explainers()?;
            for problem in &unreadable {
                eprintln!("redline: warning: left out {problem}");
            }
            match format {
                ListFormat::Text => emit(
                    &mut out,
                    &render(&ListView {
                        explainers: &explainers,
                    })?,
                )?,
                ListFormat::Json => emit(&mut out, &json(&explainers)?)?,
            }
        }
        Command::Log { slug, format } => {
            let slug = Slug::new(&slug)?;
            let store = Store::open(&cli.store)?;
            let versions = store.history(&slug)?;
            match format {
                ListFormat::Text => emit(
                    &mut out,
                    &render(&LogView {
                        slug: &slug,
                        versions: &versions,
                    })?,
                )?,
                ListFormat::Json => emit(&mut out, &json(&versions)?)?,
            }
        }
        Command::Show { target, body } => {
            let (slug, reference) = parse_target(&target)?;
            let store = Store::open(&cli.store)?;
            let snapshot = store.snapshot(&slug, &reference)?;
            if body {
                emit(&mut out, &verbatim(snapshot.document.body))?;
            } else {
                emit(&mut out, &verbatim(ingest::stored_text(&snapshot.document)))?;
            }
        }
        Command::Import { dir } => {
            let store = Store::open(&cli.store)?;
            let source = import::read_source(&dir)?;
            let report = import_with_progress(&store, &source.files, &rules()?);
            print_notices(&store);
            let mut report = report?;
            report.ignored = source.ignored;
            let source = dir.display().to_string();
            emit(&mut out, &render(&Status::Imported { report, source })?)?;
        }
        Command::Diff {
            args,
            files,
            format,
        } => {
            let (changes, header) = if files {
                let [old, new] = args.as_slice() else {
                    return Err(Error::bad_input(
                        "arguments",
                        "",
                        "diff --files takes two files: OLD NEW".to_string(),
                    ));
                };
                let (old_doc, new_doc) =
                    ingest::ingest_pair(Path::new(old), Path::new(new), &rules()?)?;
                let header = DiffHeader {
                    title: new_doc.meta.title.clone(),
                    old: DiffSide::file(old.as_str()),
                    new: DiffSide::file(new.as_str()),
                };
                (diff::diff(&old_doc, &new_doc), header)
            } else {
                let [slug, from, to] = args.as_slice() else {
                    return Err(Error::bad_input(
                        "arguments",
                        "",
                        "diff takes SLUG FROM TO (or --files OLD NEW)".to_string(),
                    ));
                };
                let slug = Slug::new(slug)?;
                let store = Store::open(&cli.store)?;
                let old = store.snapshot(&slug, &from.parse()?)?;
                let new = store.snapshot(&slug, &to.parse()?)?;
                let header = DiffHeader::between(
                    new.document.meta.title.clone(),
                    &old.version,
                    &new.version,
                );
                (diff::diff(&old.document, &new.document), header)
            };
            let text = match format {
                ReportFormat::Text => render::diff_text(&changes, &header, use_color())?,
                ReportFormat::Json => json(&changes)?,
                ReportFormat::Markdown => render::diff_markdown(&changes, &header)?,
                ReportFormat::Html => verbatim(render::diff_html(&changes, &header)?),
            };
            emit(&mut out, &text)?;
        }
        Command::Since {
            slug,
            when,
            until,
            all,
            format,
        } => {
            let slug = Slug::new(&slug)?;
            let store = Store::open(&cli.store)?;
            let until = until.map(|u| u.parse::<VersionRef>()).transpose()?;
            let window = store.window(&slug, &when.parse()?, until.as_ref())?;
            let summary = summary::since(&window, &diff::DiffOptions::default())?;
            let detail = if all {
                render::Detail::All
            } else {
                render::Detail::Short
            };
            emit(&mut out, &render_summary(&summary, format, detail)?)?;
        }
        Command::Build { out: out_dir } => {
            let store = Store::open(&cli.store)?;
            let report = site::build(&store, &out_dir, true)?;
            for why in &report.left_out {
                eprintln!("redline: warning: left out {why}");
            }
            let out_dir = report.out_dir.display().to_string();
            emit(&mut out, &render(&Status::Built { report, out_dir })?)?;
        }
        Command::Demo => {
            let keep = cli.store_given.then_some(cli.store.as_path());
            demo(&mut out, &rules()?, keep)?
        }
        Command::Serve {
            listen,
            tokens,
            read_only,
            base_url,
            mirror_of,
            fetch_interval,
            hook_secret,
        } => {
            crate::serve::run(crate::serve::Config {
                store: cli.store.clone(),
                listen,
                tokens,
                read_only,
                base_url,
                mirror_of,
                fetch_interval,
                hook_secret,
                rules: rules()?,
            })?;
        }
        Command::Token(TokenCommand::Add { name, role, tokens }) => {
            let role: crate::serve::tokens::Role = role.parse()?;
            let token = crate::serve::tokens::add(&tokens, &name, role)?;
            eprintln!(
                "redline: added {} token for {name} to {}; it is shown once, here:",
                match role {
                    crate::serve::tokens::Role::Editor => "an editor",
                    crate::serve::tokens::Role::Reader => "a reader",
                },
                tokens.display()
            );
            emit(&mut out, &verbatim(format!("{token}\n")))?;
        }
        Command::Verify => {
            let store = Store::open(&cli.store)?;
            let report = store.verify()?;
            let path = store.path().display().to_string();
            let clean = report.differences.is_empty() && report.unreadable.is_empty();
            emit(&mut out, &render(&Status::Verified { report, path })?)?;
            if !clean {
                return Ok(1);
            }
        }
        Command::Blame { target, format } => {
            let (slug, reference) = parse_target(&target)?;
            let blame = blame::blame(&Store::open(&cli.store)?, &slug, &reference)?;
            let text = match format {
                PageFormat::Text => blame::render::blame_text(&blame)?,
                PageFormat::Json => json(&blame)?,
                PageFormat::Html => blame::render::blame_html(&blame)?,
            };
            emit(&mut out, &text)?;
        }
        Command::History { slug, text, format } => {
            let slug = Slug::new(&slug)?;
            let history = blame::history(&Store::open(&cli.store)?, &slug, &text)?;
            let text = match format {
                PageFormat::Text => blame::render::history_text(&history)?,
                PageFormat::Json => json(&history)?,
                PageFormat::Html => blame::render::history_html(&history)?,
            };
            emit(&mut out, &text)?;
        }
        Command::Report {
            range,
            limit,
            full_out,
        } => {
            let (report, _) = range_report(&range, &cli.store, cli.rules.as_deref())?;
            let text = match range.format {
                RangeFormat::Text => crate::report::text(&report, use_color())?,
                RangeFormat::Json => crate::report::json(&report)?,
                RangeFormat::Github => crate::report::github(&report)?,
                RangeFormat::Markdown => crate::report::markdown(&report, limit)?.text,
            };
            if let Some(path) = full_out {
                write_whole(&path, &crate::report::markdown(&report, usize::MAX)?.text)?;
            }
            emit(&mut out, &text)?;
        }
        Command::Check { range } => {
            let (report, config) = range_report(&range, &cli.store, cli.rules.as_deref())?;
            let violations = crate::report::check(&report, &config.policy);
            let text = match range.format {
                RangeFormat::Json => json(&violations)?,
                format => {
                    crate::report::check_text(&report, &violations, format == RangeFormat::Github)?
                }
            };
            emit(&mut out, &text)?;
            let failed = violations
                .iter()
                .any(|v| v.severity == crate::report::Severity::Error);
            return Ok(u8::from(failed));
        }
    }
    Ok(0)
}

/// The report `report` and `check` work on: a git range with --base, else a store range.
fn range_report(
    range: &RangeArgs,
    store: &Path,
    rules_path: Option<&Path>,
) -> Result<(crate::report::Report, crate::report::ReportConfig)> {
    use crate::report::{self, ReportConfig};
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
    crate::atomic_file::write(path, text.as_bytes()).map_err(|e| Error::io(path, e))
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

/// The note to record: readers are told about a major update by its note, so
/// one without a note (or with only spaces) is refused; a minor one may go without.
pub(crate) fn change_note(note: Option<String>, kind: UpdateKind) -> Result<String> {
    let note = note.unwrap_or_default();
    if kind == UpdateKind::Major && note.trim().is_empty() {
        return Err(Error::bad_input("--note", "", 
            "a major update needs a change note for readers: give --note TEXT (or note = \"…\" in the file's [change] table), or --minor for a fix readers need not be told about".to_string(),
        ));
    }
    Ok(note)
}

/// Import the demo history and show it. The store is a temporary one, or `keep`
/// (a new store the user named with `--store`, left in place to explore).
fn demo(out: &mut impl Write, rules: &Rules, keep: Option<&Path>) -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let store = Store::init(&keep.map_or_else(|| dir.path().join("demo.git"), Path::to_path_buf))?;
    let files = demo_files();
    let report = import_with_progress(&store, &files, rules)?;
    let explainers = store.explainers()?;
    let kept = keep.map(|path| path.display().to_string());
    emit(out, &render(&Status::DemoImported { report, kept })?)?;
    emit(
        out,
        &render(&ListView {
            explainers: &explainers,
        })?,
    )?;
    let slug = Slug::new("fullfact-ukraine-peace-talks")?;
    let versions = store.history(&slug)?;
    emit(out, "\n")?;
    emit(
        out,
        &render(&LogView {
            slug: &slug,
            versions: &versions,
        })?,
    )?;
    // The reader's view: what changed since 1 March, highlights first.
    let when: VersionRef = "2025-03-01".parse()?;
    let summary = summary::since(
        &store.window(&slug, &when, None)?,
        &diff::DiffOptions::default(),
    )?;
    emit(out, "\n")?;
    emit(out, &render::summary_text(&summary, use_color())?)?;
    Ok(())
}

/// The embedded demo snapshots as import files (`<slug>/<name>`).
pub fn demo_files() -> Vec<ImportFile> {
    let mut files: Vec<ImportFile> = DEMO_SNAPSHOTS
        .dirs()
        .flat_map(|d| d.files())
        .filter(|f| {
            matches!(
                f.path().extension().and_then(|e| e.to_str()),
                Some("md" | "txt")
            )
        })
        .map(|f| ImportFile {
            path: f.path().to_path_buf(),
            bytes: f.contents().to_vec(),
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn import_with_progress(
    store: &Store,
    files: &[ImportFile],
    rules: &Rules,
) -> Result<import::ImportReport> {
    // A bar only for a person watching; pipes and CI logs get nothing extra.
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(files.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("importing {bar:30} {pos}/{len} versions")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let report = import::import(store, files, rules, &|done, total| {
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

fn render_summary(
    summary: &Summary,
    format: ReportFormat,
    detail: render::Detail,
) -> Result<String> {
    match format {
        ReportFormat::Text => render::summary_text_with(summary, use_color(), detail),
        ReportFormat::Json => json(summary),
        ReportFormat::Markdown => render::summary_markdown_with(summary, detail),
        ReportFormat::Html => render::summary_html(summary).map(verbatim),
    }
}

/// Colour only for a person at a terminal who has not asked for none (no-color.org).
fn use_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub(crate) fn now() -> DateTime<FixedOffset> {
    // Whole seconds, as git keeps them: the stored front matter then says what `log` says.
    let now = Utc::now().fixed_offset();
    now - chrono::Duration::nanoseconds(i64::from(now.timestamp_subsec_nanos()))
}

fn default_editor() -> String {
    if let Ok(name) = std::env::var("REDLINE_EDITOR") {
        if !name.trim().is_empty() {
            return name;
        }
    }
    if let Some(name) = git2::Config::open_default()
        .ok()
        .and_then(|c| c.get_string("user.name").ok())
    {
        if !name.trim().is_empty() {
            return name;
        }
    }
    std::env::var("USER").unwrap_or_else(|_| "unknown editor".to_string())
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| Error::Render(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

fn render(template: &impl Template) -> Result<String> {
    template.render().map_err(Error::render)
}

/// Text printed as it is, not through a `.txt` template: a stored file or an
/// HTML page, byte for byte into a pipe or file (`redline show x > x.md` must
/// round-trip); on a terminal, control characters are dropped as the `.txt`
/// templates drop them, so a stored explainer cannot drive the terminal.
/// (JSON needs nothing: serde escapes control characters.)
fn verbatim(text: String) -> String {
    if std::io::stdout().is_terminal() {
        crate::render::filters::strip_controls(&text)
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
        report: crate::store::VerifyReport,
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

#[derive(Template)]
#[template(path = "cli/committed.txt")]
struct CommittedView<'a> {
    slug: &'a Slug,
    version: &'a Version,
    written: bool,
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
