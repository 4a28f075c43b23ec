//! Site: `redline build --out DIR` writes the static readers' site. Every link is
//! relative, so the folder works from `file://` and from any static host.
//!
//! ```text
//! index.html                              explainers: title, versions, last updated
//! feed.xml                                Atom: the site's latest major updates
//! style.css                               the one stylesheet every page links to
//! <slug>/index.html                       newest text, "last updated", what changed box
//! <slug>/changes.html                     every update, newest first
//! <slug>/diff/vN.html                     v(N-1) → vN
//! <slug>/blame/vN.html                    newest text, each paragraph's last change
//! <slug>/since/YYYY-MM-DD.html            what changed since that day
//! <slug>/track-changes/YYYY-MM-DD.html    newest text with changes since that day marked
//! <slug>/feed.xml                         Atom: the explainer's latest major updates
//! .redline-manifest                       the files this build wrote (see `output`)
//! ```
//!
//! Pages are renamed into place whole; pages of explainers no longer in the
//! store are removed, and nothing redline did not write (`output`).
//!
//! Work: one history walk; each explainer's documents read once (all
//! explainers at once); then every page rendered on every core, all threads
//! sharing the one `Store` and the loaded explainers. One diff per consecutive
//! pair, one summary per since day (its since and track-changes pages are one
//! job), and the feed's entries once for both feeds.
//! OWNER: render engineer.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::{Error, Result};
use crate::model::Version;
use crate::pages::{self, ExplainerPages, FeedEntry, Links, ListedExplainer, Page};
use crate::slug::Slug;
use crate::store::Store;

mod incremental;
mod output;
use output::{write, Written};

/// What a build wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildReport {
    /// Explainers built.
    pub explainers: usize,
    /// HTML pages written.
    pub pages: usize,
    /// Atom feeds written.
    pub feeds: usize,
    /// Files an earlier build wrote that this one removed (pages the store no longer has).
    pub removed: usize,
    /// The site's folder.
    pub out_dir: PathBuf,
    /// Explainers left out because a stored version cannot be read (a malformed
    /// file committed with plain git), each as `<file>@<commit>: <reason>`.
    pub left_out: Vec<String>,
}

/// Build the whole static site from `store` into `out_dir` (created if needed).
/// Shows a progress bar on stderr when `progress` is set and stderr is a terminal.
/// Pages render on up to `workers` threads (the caller owns the pool's size).
pub fn build(store: &Store, out_dir: &Path, progress: bool, workers: usize) -> Result<BuildReport> {
    build_with(store, out_dir, progress, &Links::relative(), workers)
}

/// [`build`], with feeds linking under `links`' base URL when it has one.
pub fn build_with(
    store: &Store,
    out_dir: &Path,
    progress: bool,
    links: &Links,
    workers: usize,
) -> Result<BuildReport> {
    // One history walk for the whole store.
    let histories: Vec<(Slug, Vec<Version>)> = store.histories()?.into_iter().collect();
    // The caller sizes the pool (the CLI: one thread per core); at least one.
    let workers = workers.max(1);

    // Every explainer read once, all at once. One unreadable explainer is left
    // out (and reported), not a failure for all.
    let loaded: Vec<std::result::Result<ExplainerPages, String>> = in_parallel(
        workers,
        &histories,
        |(slug, history)| match ExplainerPages::load(store, slug, history.clone()) {
            Ok(explainer) => Ok(Ok(explainer)),
            Err(e @ Error::Input { .. }) => Ok(Err(e.to_string())),
            Err(e) => Err(e),
        },
    )?;

    // Then every page on every core, all reading the one `Store` and the
    // loaded explainers: a long history's pages do not wait on one thread.
    // Pages of one window (a since page and its track-changes page) are one
    // job, so its summary is computed once.
    let jobs: Vec<(usize, Vec<Page>)> = loaded
        .iter()
        .enumerate()
        .filter_map(|(i, explainer)| explainer.as_ref().ok().map(|e| (i, e.pages())))
        .flat_map(|(i, pages)| same_window_runs(pages).into_iter().map(move |run| (i, run)))
        .collect();
    let bar = if progress && std::io::stderr().is_terminal() {
        let bar =
            ProgressBar::with_draw_target(Some(jobs.len() as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{wide_bar} {pos}/{len} pages") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let done: Vec<Done> = in_parallel(workers, &jobs, |(i, run)| {
        let mut done = Done::default();
        if let Some(Ok(explainer)) = loaded.get(*i) {
            for page in run {
                write_page(explainer, page, out_dir, links, &mut done)?;
            }
        }
        bar.inc(1);
        Ok(done)
    })?;
    bar.finish_and_clear();
    let mut built: Vec<std::result::Result<BuiltExplainer, String>> = loaded
        .iter()
        .map(|explainer| {
            explainer
                .as_ref()
                .map_err(Clone::clone)
                .map(|e| BuiltExplainer {
                    listing: e.listing(),
                    feed_entries: Vec::new(),
                    pages: Written::default(),
                    feeds: Written::default(),
                })
        })
        .collect();
    for ((i, _), done) in jobs.iter().zip(done) {
        if let Some(Ok(explainer)) = built.get_mut(*i) {
            explainer.pages.count += done.pages.count;
            explainer.pages.paths.extend(done.pages.paths);
            explainer.feeds.count += done.feeds.count;
            explainer.feeds.paths.extend(done.feeds.paths);
            explainer.feed_entries.extend(done.feed_entries);
        }
    }

    let mut report = BuildReport {
        out_dir: out_dir.to_path_buf(),
        ..BuildReport::default()
    };
    let mut listed = Vec::new();
    let mut site_entries = Vec::new();
    let mut site_pages = Written::default();
    let mut site_feeds = Written::default();
    // Not a page: counted in no total, but listed in the manifest.
    let mut stylesheet = Written::default();
    let mut written = Vec::new();
    for explainer in built {
        let explainer = match explainer {
            Ok(explainer) => explainer,
            Err(why) => {
                report.left_out.push(why);
                continue;
            }
        };
        report.explainers += 1;
        report.pages += explainer.pages.count;
        report.feeds += explainer.feeds.count;
        written.extend(explainer.pages.paths);
        written.extend(explainer.feeds.paths);
        site_entries.extend(explainer.feed_entries);
        listed.push(explainer.listing);
    }
    write(
        out_dir,
        &Page::Index.path(),
        &pages::index(&listed)?,
        &mut site_pages,
    )?;
    write(
        out_dir,
        &Page::Stylesheet.path(),
        &pages::stylesheet()?,
        &mut stylesheet,
    )?;
    write(
        out_dir,
        &Page::SiteFeed.path(),
        &pages::site_feed(links, site_entries)?,
        &mut site_feeds,
    )?;
    report.pages += site_pages.count;
    report.feeds += site_feeds.count;
    written.extend(site_pages.paths);
    written.extend(site_feeds.paths);
    written.extend(stylesheet.paths);
    // Only after every page is in place: remove what no longer exists.
    report.removed = output::finish(out_dir, &written)?;
    Ok(report)
}

/// What the site-wide pages need from one explainer.
struct BuiltExplainer {
    listing: ListedExplainer,
    feed_entries: Vec<FeedEntry>,
    /// HTML pages written.
    pages: Written,
    /// Atom feeds written.
    feeds: Written,
}

/// What rendering some of an explainer's pages wrote.
#[derive(Default)]
struct Done {
    /// HTML pages written.
    pages: Written,
    /// Atom feeds written.
    feeds: Written,
    /// The explainer's feed entries, when its feed was among the pages.
    feed_entries: Vec<FeedEntry>,
}

/// Render one page of `explainer` and write it.
fn write_page(
    explainer: &ExplainerPages,
    page: &Page,
    out_dir: &Path,
    links: &Links,
    done: &mut Done,
) -> Result<()> {
    let not_rendered = || Error::Render(format!("{}: page not rendered", page.path()));
    if let Page::Feed(_) = page {
        // The site feed lists the same entries: computed once.
        let entries = explainer.feed_entries()?;
        let bytes = explainer.feed_with(links, entries.clone())?;
        done.feed_entries = entries;
        return write(out_dir, &page.path(), &bytes, &mut done.feeds);
    }
    let bytes = explainer.render(links, page)?.ok_or_else(not_rendered)?;
    let counter = if page.is_feed() {
        &mut done.feeds
    } else {
        &mut done.pages
    };
    write(out_dir, &page.path(), &bytes, counter)
}

/// `pages` cut into runs that share one summary: a since page with the
/// track-changes page of the same day; every other page alone.
fn same_window_runs(pages: Vec<Page>) -> Vec<Vec<Page>> {
    let mut runs: Vec<Vec<Page>> = Vec::new();
    for page in pages {
        let joins = match (runs.last().and_then(|r| r.last()), &page) {
            (Some(Page::Since(a, d)), Page::TrackChanges(b, e)) => a == b && d == e,
            _ => false,
        };
        match runs.last_mut() {
            Some(run) if joins => run.push(page),
            _ => runs.push(vec![page]),
        }
    }
    runs
}

/// Run `job` on every item on up to `workers` threads; the results in item
/// order. The first error stops the other threads at their next item.
fn in_parallel<T: Sync, R: Send>(
    workers: usize,
    items: &[T],
    job: impl Fn(&T) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    let next = AtomicUsize::new(0);
    let outcomes: Vec<Result<Vec<(usize, R)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers.min(items.len()).max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else {
                            break;
                        };
                        match job(item) {
                            Ok(result) => done.push((i, result)),
                            Err(e) => {
                                next.store(items.len(), Ordering::Relaxed);
                                return Err(e);
                            }
                        }
                    }
                    Ok(done)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Error::Render("a site build thread panicked".into())))
            })
            .collect()
    });
    let mut all = Vec::new();
    for outcome in outcomes {
        all.extend(outcome?);
    }
    all.sort_by_key(|(i, _)| *i);
    Ok(all.into_iter().map(|(_, result)| result).collect())
}
