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

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use askama::Template;
use chrono::{DateTime, FixedOffset, NaiveTime, TimeZone, Utc};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::diff::{self, ChangeSet};
use crate::error::{Error, Result};
use crate::model::{Document, UpdateKind, Version};
use crate::render::track_changes::TrackedText;
use crate::render::{
    self, AskedView, Chrome, Crumb, DiffHeader, DiffView, HighlightView, RenderedMarkdown,
    SummaryView, VersionView,
};
use crate::slug::Slug;
use crate::store::Store;
use crate::summary::{self, Summary};

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

    // Explainers are independent: build them on every core. A git repository
    // handle cannot be shared between threads, so each worker opens the store.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(histories.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let store_path = store.path();
    // One unreadable explainer is left out (and reported), not a failure for all.
    type Built = std::result::Result<BuiltExplainer, String>;
    let outcomes: Vec<Result<Vec<(usize, Built)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let store = Store::open(store_path)?;
                    let mut built = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((slug, history)) = histories.get(i) else {
                            break;
                        };
                        match build_explainer(&store, slug, history, out_dir) {
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
    let mut pages = Written::default();
    let mut feeds = Written::default();
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
        let slug = explainer.listing.slug.clone();
        site_entries.extend(explainer.feed_entries.into_iter().map(|mut e| {
            e.href = format!("{slug}/{}", e.href);
            e
        }));
        listed.push(explainer.listing);
    }

    let index = SiteIndex {
        chrome: Chrome {
            title: "Explainers".to_string(),
            home: None,
            explainer: None,
            feed: Some("feed.xml".to_string()),
        },
        explainers: &listed,
    };
    write(out_dir, "index.html", &index.render()?, &mut pages)?;

    site_entries.sort_by(|a, b| {
        b.updated_at
            .cmp(&a.updated_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    let feed = AtomFeed {
        id: "tag:redline,2025:site".to_string(),
        title: "All explainer updates".to_string(),
        updated: site_entries
            .iter()
            .map(|e| e.updated_at)
            .max()
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".to_string()),
        alternate: "index.html".to_string(),
        entries: &site_entries,
    };
    write(out_dir, "feed.xml", &feed.render()?, &mut feeds)?;
    report.pages += pages.count;
    report.feeds += feeds.count;
    written.extend(pages.paths);
    written.extend(feeds.paths);
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

/// One line of the site index.
struct ListedExplainer {
    slug: String,
    title: String,
    versions: usize,
    latest: VersionView,
}

/// Summaries keyed by (base, head) version numbers, computed at most once each
/// from the documents already in memory.
struct Summaries<'a> {
    slug: &'a Slug,
    history: &'a [Version],
    documents: &'a [Document],
    cache: HashMap<(usize, usize), Summary>,
    /// The sentence timeline of the whole history (credits, withdrawn, blame).
    sentences: &'a crate::blame::SentenceTimeline,
}

impl Summaries<'_> {
    fn get(&mut self, base: usize, head: usize) -> Result<&Summary> {
        if !self.cache.contains_key(&(base, head)) {
            let range = base.saturating_sub(1)..head;
            let (Some(window), Some(documents)) =
                (self.history.get(range.clone()), self.documents.get(range))
            else {
                return Err(Error::Render(format!(
                    "{}: no versions v{base}..v{head}",
                    self.slug
                )));
            };
            let summary = summary::summarize_with(self.slug, window, documents, self.sentences)?;
            self.cache.insert((base, head), summary);
        }
        self.cache
            .get(&(base, head))
            .ok_or_else(|| Error::Render(format!("summary v{base}..v{head} missing")))
    }
}

fn build_explainer(
    store: &Store,
    slug: &Slug,
    history: &[Version],
    out_dir: &Path,
) -> Result<BuiltExplainer> {
    let mut pages = Written::default();
    let mut feeds = Written::default();
    let latest = history
        .last()
        .ok_or_else(|| Error::Render(format!("explainer {slug} has no versions")))?;
    let documents: Vec<Document> = history
        .iter()
        .map(|v| store.document_from_history(slug, v))
        .collect::<Result<_>>()?;
    let newest = documents
        .last()
        .ok_or_else(|| Error::Render(format!("explainer {slug} has no versions")))?;
    let title = newest.meta.title.clone();
    let dir = out_dir.join(slug.as_str());
    let sentences = crate::blame::load(store, slug, history, Some(&documents))?;
    let mut summaries = Summaries {
        slug,
        history,
        documents: &documents,
        cache: HashMap::new(),
        sentences: &sentences,
    };

    // Blame page of the newest version (older versions: `redline blame SLUG@vN`;
    // one page per explainer keeps the build's cost flat in history length).
    let blame = crate::blame::blame_in(&sentences, history, latest, newest)?;
    let chrome = page_chrome(&format!("{title}: who changed what"), "../../", &title);
    let html = crate::blame::render::blame_page(&blame, chrome)?;
    write(
        &dir,
        &format!("blame/v{}.html", latest.number),
        &html,
        &mut pages,
    )?;
    let head = latest.number;

    // Diff pages: one per consecutive pair. A major update's step summary (needed
    // for its feed entry) already holds that diff, so it is not computed twice.
    let mut feed_entries = Vec::new();
    for (i, version) in history.iter().enumerate() {
        let highlights = if i == 0 {
            Vec::new()
        } else {
            let changes: ChangeSet;
            let changes_ref = if version.kind == UpdateKind::Major {
                &summaries.get(version.number - 1, version.number)?.changes
            } else {
                changes = match (documents.get(i - 1), documents.get(i)) {
                    (Some(old), Some(new)) => diff::diff(old, new),
                    _ => ChangeSet::default(),
                };
                &changes
            };
            let previous = history.get(i - 1).unwrap_or(version);
            let header = DiffHeader::between(
                documents
                    .get(i)
                    .map(|d| d.meta.title.clone())
                    .unwrap_or_default(),
                previous,
                version,
            );
            let view = DiffView::new(changes_ref, &header);
            let chrome = page_chrome(
                &format!(
                    "{title}: what changed on {}",
                    render::long_date(&version.updated)
                ),
                "../../",
                &title,
            );
            let html = render::diff_page(&view, chrome, Some("../".to_string()))?;
            write(
                &dir,
                &format!("diff/v{}.html", version.number),
                &html,
                &mut pages,
            )?;
            if version.kind == UpdateKind::Major {
                summaries
                    .get(version.number - 1, version.number)?
                    .highlights
                    .iter()
                    .map(|h| HighlightView {
                        // The entry shows this update's note once, above its highlights.
                        show_note: false,
                        ..HighlightView::new(h)
                    })
                    .collect()
            } else {
                Vec::new()
            }
        };
        if version.kind == UpdateKind::Major {
            feed_entries.push(feed_entry(slug, &title, version, highlights)?);
        }
    }

    // Since and track-changes pages: one per distinct version date that has a
    // version before it (the version current at the start of that day).
    let mut since_days: Vec<(String, usize, DateTime<FixedOffset>)> = Vec::new();
    for version in history {
        let day = render::day(&version.updated);
        if since_days.iter().any(|(d, _, _)| *d == day) {
            continue;
        }
        let start = start_of_day(&version.updated);
        if let Some(base) = base_at(history, &start) {
            since_days.push((day, base, start));
        }
    }
    for (day, base, start) in &since_days {
        let summary = summaries.get(*base, head)?;
        let mut view = SummaryView::new(summary);
        // Summaries are shared between pages; this page answers "since <day>".
        view.asked = AskedView::new(start, &view.base);
        let since = view.asked.as_ref().map_or(&view.base.date, |a| &a.date);
        let chrome = page_chrome(
            &format!("{title}: what changed since {since}"),
            "../../",
            &title,
        );
        let html = render::summary_page(&view, chrome, Some("../".to_string()), day)?;
        write(&dir, &format!("since/{day}.html"), &html, &mut pages)?;

        let track = TrackChanges {
            chrome: page_chrome(
                &format!("{title}: changes marked since {day}"),
                "../../",
                &title,
            ),
            title: &title,
            base: VersionView::new(&summary.base),
            head: VersionView::new(&summary.head),
            day,
            body: TrackedText::new(&summary.changes.spans),
        };
        write(
            &dir,
            &format!("track-changes/{day}.html"),
            &track.render()?,
            &mut pages,
        )?;
    }

    // Changelog, newest first.
    let versions: Vec<ChangelogEntry> = history
        .iter()
        .rev()
        .map(|v| {
            let day = render::day(&v.updated);
            ChangelogEntry {
                since: since_days.iter().any(|(d, _, _)| *d == day).then_some(day),
                version: VersionView::new(v),
            }
        })
        .collect();
    let changes = Changelog {
        chrome: page_chrome(&format!("{title}: all updates"), "../", &title),
        title: &title,
        versions: &versions,
    };
    write(&dir, "changes.html", &changes.render()?, &mut pages)?;

    // The explainer page with its "what changed" box: since the day of the
    // latest major update, exactly as that day's since page and `redline since
    // <slug> <day>` mean it (the version current at the start of that day, up
    // to the newest), so the box, its link and the CLI tell one story.
    let latest_major = history
        .iter()
        .rev()
        .find(|v| v.kind == UpdateKind::Major && v.number > 1);
    let whats_new = match latest_major.and_then(|major| {
        let day = render::day(&major.updated);
        since_days
            .iter()
            .find(|(d, _, _)| *d == day)
            .map(|(d, base, start)| (d.clone(), *base, *start))
    }) {
        Some((day, base, start)) => {
            let summary = summaries.get(base, head)?;
            let mut highlights = render::highlight_views(&summary.highlights);
            let more = highlights.len().saturating_sub(BOX_HIGHLIGHTS);
            highlights.truncate(BOX_HIGHLIGHTS);
            let base = VersionView::new(&summary.base);
            Some(WhatsNew {
                asked: AskedView::new(&start, &base),
                base,
                head: VersionView::new(&summary.head),
                highlights,
                more,
                updates: summary.updates.iter().map(VersionView::new).collect(),
                since_page: day,
            })
        }
        None => None,
    };
    let page = ExplainerPage {
        chrome: Chrome {
            title: title.clone(),
            home: Some("../index.html".to_string()),
            explainer: None,
            feed: Some("feed.xml".to_string()),
        },
        title: &title,
        publisher: newest.meta.publisher.as_deref(),
        source_url: newest.meta.source_url.as_deref().filter(|u| {
            let u = u.trim_start().to_ascii_lowercase();
            u.starts_with("https://") || u.starts_with("http://")
        }),
        latest: VersionView::new(latest),
        whats_new,
        body: RenderedMarkdown::from_markdown(&newest.body),
    };
    write(&dir, "index.html", &page.render()?, &mut pages)?;

    feed_entries.reverse();
    let feed = AtomFeed {
        id: format!(
            "tag:redline,{}:{}",
            render::day(&history.first().unwrap_or(latest).updated),
            slug
        ),
        title: title.clone(),
        updated: feed_entries
            .iter()
            .map(|e| e.updated_at)
            .max()
            .unwrap_or(latest.updated)
            .to_rfc3339(),
        alternate: "index.html".to_string(),
        entries: &feed_entries,
    };
    write(&dir, "feed.xml", &feed.render()?, &mut feeds)?;

    Ok(BuiltExplainer {
        listing: ListedExplainer {
            slug: slug.to_string(),
            title: title.clone(),
            versions: history.len(),
            latest: VersionView::new(latest),
        },
        feed_entries,
        pages,
        feeds,
    })
}

/// Midnight UTC of the day of `t` (as a reader's "since 4 March" means).
fn start_of_day(t: &DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    Utc.from_utc_datetime(&t.date_naive().and_time(NaiveTime::MIN))
        .fixed_offset()
}

/// The number of the version current at `when`, if any existed then.
fn base_at(history: &[Version], when: &DateTime<FixedOffset>) -> Option<usize> {
    history
        .iter()
        .rev()
        .find(|v| v.updated <= *when)
        .map(|v| v.number)
}

fn page_chrome(page_title: &str, root: &str, explainer: &str) -> Chrome {
    Chrome {
        title: page_title.to_string(),
        home: Some(format!("{root}index.html")),
        explainer: Some(Crumb {
            href: format!("{}index.html", root_to_explainer(root)),
            text: explainer.to_string(),
        }),
        feed: Some(format!("{}feed.xml", root_to_explainer(root))),
    }
}

/// From a page two levels down (`../../` to the root) the explainer is `../`.
fn root_to_explainer(root: &str) -> &str {
    root.strip_prefix("../").unwrap_or("")
}

// ---------------------------------------------------------------------------
// Atom.

/// One Atom entry (one major update).
struct FeedEntry {
    id: String,
    title: String,
    updated: String,
    updated_at: DateTime<FixedOffset>,
    author: String,
    href: String,
    note: String,
    content: String,
}

fn feed_entry(
    slug: &Slug,
    title: &str,
    version: &Version,
    highlights: Vec<HighlightView>,
) -> Result<FeedEntry> {
    let view = VersionView::new(version);
    let content = FeedEntryContent {
        version: &view,
        highlights: &highlights,
    }
    .render()?;
    Ok(FeedEntry {
        id: format!("tag:redline,{}:{}/{}", view.day, slug, version.id),
        title: format!("{title}: updated {}", view.date),
        updated: view.iso.clone(),
        updated_at: version.updated,
        author: version.editor.clone(),
        href: if version.number > 1 {
            format!("diff/v{}.html", version.number)
        } else {
            "index.html".to_string()
        },
        note: view.note.clone(),
        content,
    })
}

// ---------------------------------------------------------------------------
// Templates.

#[derive(Template)]
#[template(path = "index.html")]
struct SiteIndex<'a> {
    chrome: Chrome,
    explainers: &'a [ListedExplainer],
}

/// How many highlights the explainer page's box shows before linking to the rest.
const BOX_HIGHLIGHTS: usize = 5;

/// The "what changed since the latest major update's day" box: the same window
/// as the since page it links to.
struct WhatsNew {
    /// The day asked about, when it is not the base version's own day.
    asked: Option<AskedView>,
    /// The version compared with (current at the start of that day).
    base: VersionView,
    /// The newest version.
    head: VersionView,
    highlights: Vec<HighlightView>,
    /// Highlights left out of the box.
    more: usize,
    updates: Vec<VersionView>,
    /// The since page of the same window: `since/<day>.html`.
    since_page: String,
}

#[derive(Template)]
#[template(path = "explainer.html")]
struct ExplainerPage<'a> {
    chrome: Chrome,
    title: &'a str,
    publisher: Option<&'a str>,
    source_url: Option<&'a str>,
    latest: VersionView,
    whats_new: Option<WhatsNew>,
    body: RenderedMarkdown,
}

struct ChangelogEntry {
    version: VersionView,
    since: Option<String>,
}

#[derive(Template)]
#[template(path = "changes.html")]
struct Changelog<'a> {
    chrome: Chrome,
    title: &'a str,
    versions: &'a [ChangelogEntry],
}

#[derive(Template)]
#[template(path = "track_changes.html")]
struct TrackChanges<'a> {
    chrome: Chrome,
    title: &'a str,
    base: VersionView,
    head: VersionView,
    day: &'a str,
    body: TrackedText,
}

#[derive(Template)]
#[template(path = "feed.xml")]
struct AtomFeed<'a> {
    id: String,
    title: String,
    updated: String,
    alternate: String,
    entries: &'a [FeedEntry],
}

#[derive(Template)]
#[template(path = "feed_entry.html")]
struct FeedEntryContent<'a> {
    version: &'a VersionView,
    highlights: &'a [HighlightView],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_start_at_midnight_utc() {
        let t = DateTime::parse_from_rfc3339("2025-03-04T16:00:00Z").unwrap();
        assert_eq!(start_of_day(&t).to_rfc3339(), "2025-03-04T00:00:00+00:00");
    }
}
