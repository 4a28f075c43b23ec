//! Site: `redline build --out DIR` writes the static readers' site. Every link is
//! relative, so the folder works from `file://` and from any static host.
//!
//! ```text
//! index.html                              explainers: title, versions, last updated
//! feed.xml                                Atom: every explainer's major updates
//! <slug>/index.html                       newest text, "last updated", what changed box
//! <slug>/changes.html                     every update, newest first
//! <slug>/diff/vN.html                     v(N-1) → vN
//! <slug>/blame/vN.html                    newest text, each paragraph's last change
//! <slug>/since/YYYY-MM-DD.html            what changed since that day
//! <slug>/track-changes/YYYY-MM-DD.html    newest text with changes since that day marked
//! <slug>/feed.xml                         Atom: the explainer's major updates
//! .redline-manifest                       the files this build wrote (see `output`)
//! ```
//!
//! Pages are renamed into place whole; pages of explainers no longer in the
//! store are removed, and nothing redline did not write ([`output`]).
//!
//! Work per explainer: its history once, each version's document read once, one
//! diff per consecutive pair, and one summary per distinct (base, head) pair
//! (the "what changed" box reuses a since page's summary when they coincide).
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
pub fn build(store: &Store, out_dir: &Path, progress: bool) -> Result<BuildReport> {
    build_with(store, out_dir, progress, &Links::relative())
}

/// [`build`], with feeds linking under `links`' base URL when it has one.
pub fn build_with(
    store: &Store,
    out_dir: &Path,
    progress: bool,
    links: &Links,
) -> Result<BuildReport> {
    // One history walk for the whole store.
    let histories: Vec<(Slug, Vec<Version>)> = store.histories()?.into_iter().collect();
    let bar = if progress && std::io::stderr().is_terminal() {
        let bar = ProgressBar::with_draw_target(
            Some(histories.len() as u64),
            ProgressDrawTarget::stderr(),
        );
        if let Ok(style) = ProgressStyle::with_template("{wide_bar} {pos}/{len} explainers") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };

    // Explainers are independent: build them on every core, all reading the
    // one `Store` (it is `Send + Sync` and pools its git handles).
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(histories.len())
        .max(1);
    let next = AtomicUsize::new(0);
    // One unreadable explainer is left out (and reported), not a failure for all.
    type Built = std::result::Result<BuiltExplainer, String>;
    let outcomes: Vec<Result<Vec<(usize, Built)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut built = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((slug, history)) = histories.get(i) else {
                            break;
                        };
                        match build_explainer(store, slug, history, out_dir, links) {
                            Ok(explainer) => built.push((i, Ok(explainer))),
                            Err(e @ Error::Input { .. }) => built.push((i, Err(e.to_string()))),
                            Err(e) => {
                                // Stop the other workers at their next explainer.
                                next.store(histories.len(), Ordering::Relaxed);
                                return Err(e);
                            }
                        }
                        bar.inc(1);
                    }
                    Ok(built)
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
    bar.finish_and_clear();
    let mut built: Vec<(usize, Built)> = Vec::new();
    for outcome in outcomes {
        built.extend(outcome?);
    }
    built.sort_by_key(|(i, _)| *i);

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
    for (_, explainer) in built {
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

/// Write every page of one explainer, as the page model renders it.
fn build_explainer(
    store: &Store,
    slug: &Slug,
    history: &[Version],
    out_dir: &Path,
    links: &Links,
) -> Result<BuiltExplainer> {
    let mut explainer = ExplainerPages::load(store, slug, history.to_vec())?;
    let mut pages = Written::default();
    let mut feeds = Written::default();
    for page in explainer.pages() {
        let Some(bytes) = explainer.render(links, &page)? else {
            return Err(Error::Render(format!("{}: page not rendered", page.path())));
        };
        let counter = if page.is_feed() {
            &mut feeds
        } else {
            &mut pages
        };
        write(out_dir, &page.path(), &bytes, counter)?;
    }
    Ok(BuiltExplainer {
        listing: explainer.listing(),
        feed_entries: explainer.feed_entries()?,
        pages,
        feeds,
    })
}
