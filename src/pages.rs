//! The page model: one function per readers' page, shared by the static site
//! ([`crate::site::build`] writes every page) and the service
//! (`crate::serve` answers one request with the same call), so a static export
//! and the live site are byte-identical for the same store.
//!
//! [`Page`] is the URL scheme: the one place a page's path is written
//! ([`Page::path`]) and read back ([`Page::parse`]). [`Links`] writes every
//! URL from it: [`PageLinks`] gives a page's templates each href relative to
//! that page (so the folder works from `file://`); feeds link absolutely when a
//! base URL is known, with tag URIs on its host. No template spells a path.
//!
//! ```text
//! index.html                              explainers: title, versions, last updated
//! feed.xml                                Atom: the site's latest major updates
//! style.css                               the one stylesheet every page links to
//! <slug>/index.html                       newest text, "last updated", what changed box
//! <slug>/changes.html                     every update, newest first
//! <slug>/diff/vN.html                     v(N-1) → vN
//! <slug>/blame/vN.html                    vN's text, each paragraph's last change
//!                                         (the static site has the newest only)
//! <slug>/since/YYYY-MM-DD.html            what changed since that day
//! <slug>/track-changes/YYYY-MM-DD.html    newest text with changes since that day marked
//! <slug>/feed.xml                         Atom: the explainer's major updates
//! ```

use std::sync::{Arc, Mutex, PoisonError};

use askama::Template;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

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

mod folded;
use folded::FoldedText;

/// Bumped whenever templates or this module change what a page says, so a
/// cached page (an HTTP `ETag`) is not reused across such a change.
pub const TEMPLATE_VERSION: u32 = 1;

/// One readers' page: the site's URL scheme.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Page {
    /// `index.html`: every explainer.
    Index,
    /// `feed.xml`: every explainer's major updates.
    SiteFeed,
    /// `style.css`: the one stylesheet every page links to.
    Stylesheet,
    /// `<slug>/index.html`.
    Explainer(Slug),
    /// `<slug>/changes.html`.
    Changelog(Slug),
    /// `<slug>/diff/vN.html` (N ≥ 2).
    Diff(Slug, usize),
    /// `<slug>/blame/vN.html`.
    Blame(Slug, usize),
    /// `<slug>/since/YYYY-MM-DD.html`.
    Since(Slug, NaiveDate),
    /// `<slug>/track-changes/YYYY-MM-DD.html`.
    TrackChanges(Slug, NaiveDate),
    /// `<slug>/feed.xml`.
    Feed(Slug),
}

impl Page {
    /// The page's path from the site's root, without a leading `/`.
    pub fn path(&self) -> String {
        match self {
            Page::Index => "index.html".to_string(),
            Page::SiteFeed => "feed.xml".to_string(),
            Page::Stylesheet => "style.css".to_string(),
            Page::Explainer(s) => format!("{s}/index.html"),
            Page::Changelog(s) => format!("{s}/changes.html"),
            Page::Diff(s, n) => format!("{s}/diff/v{n}.html"),
            Page::Blame(s, n) => format!("{s}/blame/v{n}.html"),
            Page::Since(s, d) => format!("{s}/since/{}.html", d.format("%Y-%m-%d")),
            Page::TrackChanges(s, d) => format!("{s}/track-changes/{}.html", d.format("%Y-%m-%d")),
            Page::Feed(s) => format!("{s}/feed.xml"),
        }
    }

    /// The page at `path` (from the root, with or without a leading `/`; a
    /// folder means its `index.html`), or `None` when no page can live there.
    pub fn parse(path: &str) -> Option<Page> {
        let path = path.strip_prefix('/').unwrap_or(path);
        let parts: Vec<&str> = path.split('/').collect();
        let slug = |s: &str| Slug::new(s).ok();
        let day = |file: &str| {
            let day = file.strip_suffix(".html")?;
            (day.len() == 10)
                .then(|| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
                .flatten()
        };
        let number = |file: &str| -> Option<usize> {
            let n = file.strip_prefix('v')?.strip_suffix(".html")?;
            // Digits only, no sign or leading zero: one path per page.
            if n.is_empty() || n.starts_with('0') || !n.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            n.parse().ok()
        };
        match parts.as_slice() {
            [""] | ["index.html"] => Some(Page::Index),
            ["feed.xml"] => Some(Page::SiteFeed),
            ["style.css"] => Some(Page::Stylesheet),
            [s, ""] | [s, "index.html"] => slug(s).map(Page::Explainer),
            [s, "changes.html"] => slug(s).map(Page::Changelog),
            [s, "feed.xml"] => slug(s).map(Page::Feed),
            [s, "diff", file] => Some(Page::Diff(slug(s)?, number(file)?)),
            [s, "blame", file] => Some(Page::Blame(slug(s)?, number(file)?)),
            [s, "since", file] => Some(Page::Since(slug(s)?, day(file)?)),
            [s, "track-changes", file] => Some(Page::TrackChanges(slug(s)?, day(file)?)),
            _ => None,
        }
    }

    /// The explainer the page belongs to, if any.
    pub fn slug(&self) -> Option<&Slug> {
        match self {
            Page::Index | Page::SiteFeed | Page::Stylesheet => None,
            Page::Explainer(s)
            | Page::Changelog(s)
            | Page::Diff(s, _)
            | Page::Blame(s, _)
            | Page::Since(s, _)
            | Page::TrackChanges(s, _)
            | Page::Feed(s) => Some(s),
        }
    }

    /// Whether the page shows one fixed version pair and so never changes
    /// once it exists (a diff page; a blame page is not: a later version can
    /// credit a sentence differently).
    pub fn is_immutable(&self) -> bool {
        matches!(self, Page::Diff(..))
    }

    /// Whether the page is an Atom feed.
    pub fn is_feed(&self) -> bool {
        matches!(self, Page::SiteFeed | Page::Feed(_))
    }

    /// Whether the page is the stylesheet (else HTML or a feed).
    pub fn is_stylesheet(&self) -> bool {
        matches!(self, Page::Stylesheet)
    }
}

/// How links leave the site: the base URL feeds need for absolute links and
/// tag URIs. Pages themselves link relatively and do not depend on it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// `https://explainers.example.org/` (always ending in `/`), when known.
    base_url: Option<String>,
}

impl Links {
    /// Relative links only (a static site that can be moved anywhere).
    pub fn relative() -> Links {
        Links { base_url: None }
    }

    /// Feeds link absolutely under `base_url` (an `http(s)://` URL).
    pub fn with_base_url(base_url: &str) -> Result<Links> {
        let lower = base_url.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        match rest {
            Some(rest) if !rest.is_empty() && !rest.starts_with('/') => {}
            _ => {
                return Err(Error::bad_input("--base-url", base_url, format!(
                    "--base-url {base_url:?}: give an http:// or https:// URL with a host, like https://explainers.example.org/"
                )))
            }
        }
        let mut base = base_url.to_string();
        if !base.ends_with('/') {
            base.push('/');
        }
        Ok(Links {
            base_url: Some(base),
        })
    }

    /// The base URL, ending in `/`.
    pub fn base_url(&self) -> Option<&str> {
        self.base_url.as_deref()
    }

    /// How a feed at `feed` refers to `target`: absolute under the base URL,
    /// else relative to the feed's folder.
    fn href_in_feed(&self, feed: &Page, target: &Page) -> String {
        match &self.base_url {
            Some(base) => format!("{base}{}", target.path()),
            None => relative_href(&feed.path(), &target.path()),
        }
    }

    /// The links of the page at `page`: every URL that page writes.
    pub fn on(&self, page: &Page) -> PageLinks {
        PageLinks {
            from: page.path(),
            slug: page.slug().cloned(),
        }
    }

    /// The links of `/<slug>/since?when=…`, a summary of any window served
    /// beside the explainer's changelog (not a page of the static site).
    pub fn on_since_window(&self, slug: &Slug) -> PageLinks {
        PageLinks {
            from: format!("{slug}/since"),
            slug: Some(slug.clone()),
        }
    }

    /// Links on `<slug>/track-changes/?when=…&until=…` (served live, not built).
    pub fn on_track_changes_window(&self, slug: &Slug) -> PageLinks {
        PageLinks {
            from: format!("{slug}/track-changes/"),
            slug: Some(slug.clone()),
        }
    }

    /// The authority of tag URIs (RFC 4151): the base URL's host, else `redline`
    /// (as static builds have always written).
    fn tag_authority(&self) -> String {
        self.base_url
            .as_deref()
            .and_then(|b| b.split_once("://"))
            .map(|(_, rest)| {
                let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
                // Tag URIs take a DNS name: no port, no user info.
                let host = host.rsplit('@').next().unwrap_or(host);
                host.split(':').next().unwrap_or(host).to_string()
            })
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "redline".to_string())
    }
}

/// Every URL one page of the site writes, relative to that page (so the site
/// works from any folder and from `file://`), taken from [`Page::path`]:
/// templates ask it (`{{ links.changelog() }}`) instead of spelling paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLinks {
    /// The page's own path from the root.
    from: String,
    /// The explainer the page belongs to (none for the site's own pages).
    slug: Option<Slug>,
}

impl PageLinks {
    /// The href of `target` from this page.
    pub fn to(&self, target: &Page) -> String {
        relative_href(&self.from, &target.path())
    }

    /// A page of this page's explainer; the site index for the site's own pages.
    fn of_explainer(&self, page: impl FnOnce(Slug) -> Page) -> String {
        match &self.slug {
            Some(slug) => self.to(&page(slug.clone())),
            None => self.home(),
        }
    }

    /// The site index.
    pub fn home(&self) -> String {
        self.to(&Page::Index)
    }

    /// The site-wide feed.
    pub fn site_feed(&self) -> String {
        self.to(&Page::SiteFeed)
    }

    /// The site's stylesheet.
    pub fn stylesheet(&self) -> String {
        self.to(&Page::Stylesheet)
    }

    /// The explainer's page (its newest text).
    pub fn explainer(&self) -> String {
        self.of_explainer(Page::Explainer)
    }

    /// The explainer's list of every update.
    pub fn changelog(&self) -> String {
        self.of_explainer(Page::Changelog)
    }

    /// The explainer's feed (the site feed for the site's own pages).
    pub fn feed(&self) -> String {
        match &self.slug {
            Some(slug) => self.to(&Page::Feed(slug.clone())),
            None => self.site_feed(),
        }
    }

    /// The explainer's diff page of version `number` (v(N-1) → vN).
    pub fn diff(&self, number: &usize) -> String {
        self.of_explainer(|s| Page::Diff(s, *number))
    }

    /// The explainer's blame page of version `number`.
    pub fn blame(&self, number: &usize) -> String {
        self.of_explainer(|s| Page::Blame(s, *number))
    }

    /// The explainer's since page of `day`.
    pub fn since(&self, day: &NaiveDate) -> String {
        self.of_explainer(|s| Page::Since(s, *day))
    }

    /// The explainer's track-changes page of `day`.
    pub fn track_changes(&self, day: &NaiveDate) -> String {
        self.of_explainer(|s| Page::TrackChanges(s, *day))
    }

    /// The live summary of the window from version `base` to `head`
    /// (`<slug>/since?when=vBASE&until=vHEAD`, answered by `redline serve`).
    pub fn since_window(&self, base: usize, head: usize) -> String {
        self.window(|slug| format!("{slug}/since"), base, head)
    }

    /// The live track-changes view of the same window
    /// (`<slug>/track-changes/?when=vBASE&until=vHEAD`).
    pub fn track_changes_window(&self, base: usize, head: usize) -> String {
        self.window(|slug| format!("{slug}/track-changes/"), base, head)
    }

    /// A live window page of this page's explainer, naming the window by its versions.
    fn window(&self, path: impl FnOnce(&Slug) -> String, base: usize, head: usize) -> String {
        match &self.slug {
            Some(slug) => format!(
                "{}?when=v{base}&until=v{head}",
                relative_href(&self.from, &path(slug))
            ),
            None => self.home(),
        }
    }

    /// Another explainer's page (from the site index).
    pub fn explainer_of(&self, slug: &Slug) -> String {
        self.to(&Page::Explainer(slug.clone()))
    }

    /// Another explainer's list of updates (from the site index).
    pub fn changelog_of(&self, slug: &Slug) -> String {
        self.to(&Page::Changelog(slug.clone()))
    }
}

/// How a page at `from` refers to `to` (both paths from the site's root):
/// up out of the folders they do not share, then down.
fn relative_href(from: &str, to: &str) -> String {
    let mut from_dirs: Vec<&str> = from.split('/').collect();
    from_dirs.pop();
    let mut to_dirs: Vec<&str> = to.split('/').collect();
    let file = to_dirs.pop().unwrap_or_default();
    let shared = from_dirs
        .iter()
        .zip(&to_dirs)
        .take_while(|(a, b)| a == b)
        .count();
    let mut href = "../".repeat(from_dirs.len() - shared);
    for dir in &to_dirs[shared..] {
        href.push_str(dir);
        href.push('/');
    }
    href.push_str(file);
    href
}

/// One line of the site index.
#[derive(Debug, Clone)]
pub struct ListedExplainer {
    slug: Slug,
    title: String,
    versions: usize,
    latest: VersionView,
}

/// One Atom entry (one major update).
#[derive(Debug, Clone)]
pub struct FeedEntry {
    id: String,
    title: String,
    updated: String,
    updated_at: DateTime<FixedOffset>,
    author: String,
    /// The page the entry links to.
    page: Page,
    href: String,
    note: String,
    content: String,
}

/// The site index page.
pub fn index(explainers: &[ListedExplainer]) -> Result<String> {
    let links = Links::relative().on(&Page::Index);
    SiteIndex {
        chrome: Chrome {
            title: "Explainers".to_string(),
            home: None,
            explainer: None,
            feed: Some(links.site_feed()),
            stylesheet: Some(links.stylesheet()),
        },
        explainers,
        links,
    }
    .render()
    .map_err(Error::render)
}

/// The stylesheet every page of the site links to (once per site, not in
/// every page; a page written on its own carries it inline instead).
pub fn stylesheet() -> Result<String> {
    Stylesheet.render().map_err(Error::render)
}

/// The site-wide Atom feed of every explainer's major updates, given each
/// explainer's entries (from [`ExplainerPages::feed_entries`]).
pub fn site_feed(links: &Links, entries: Vec<FeedEntry>) -> Result<String> {
    let mut entries = entries;
    let authority = links.tag_authority();
    for e in &mut entries {
        e.href = links.href_in_feed(&Page::SiteFeed, &e.page);
        e.id = format!("tag:{authority},{}", e.id);
    }
    entries.sort_by(|a, b| {
        b.updated_at
            .cmp(&a.updated_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    entries.truncate(FEED_ENTRIES);
    AtomFeed {
        id: format!("tag:{},2025:site", links.tag_authority()),
        title: "All explainer updates".to_string(),
        updated: entries
            .iter()
            .map(|e| e.updated_at)
            .max()
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".to_string()),
        self_href: links.href_in_feed(&Page::SiteFeed, &Page::SiteFeed),
        alternate: links.href_in_feed(&Page::SiteFeed, &Page::Index),
        entries: &entries,
    }
    .render()
    .map_err(Error::render)
}

/// The latest few summaries, keyed by (base, head) version numbers, so pages
/// of one window rendered together (a since page, its track-changes page, the
/// explainer's box) compute it once. Bounded: a summary holds the whole text
/// of its window, and a long-lived explainer (the service) must not keep one
/// per page it ever rendered. Behind a lock, so one explainer's pages can be
/// rendered on several threads at once.
#[derive(Default)]
struct Summaries {
    /// Oldest first.
    recent: Mutex<Vec<(Window, Arc<Summary>)>>,
}

/// A summary's (base, head) version numbers.
type Window = (usize, usize);

/// How many summaries [`Summaries`] keeps.
const KEPT_SUMMARIES: usize = 4;

impl Summaries {
    fn get(&self, key: Window) -> Option<Arc<Summary>> {
        // A panic elsewhere cannot leave the list half-changed: use it as is.
        let recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
        recent
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, s)| Arc::clone(s))
    }

    fn keep(&self, key: Window, summary: Arc<Summary>) {
        let mut recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
        if !recent.iter().any(|(k, _)| *k == key) {
            if recent.len() == KEPT_SUMMARIES {
                recent.remove(0);
            }
            recent.push((key, summary));
        }
    }
}

/// One explainer's pages: its history and every version's document read once;
/// one diff per consecutive pair and one summary per distinct (base, head)
/// pair, computed when a page first needs them.
pub struct ExplainerPages {
    slug: Slug,
    history: Vec<Version>,
    documents: Vec<Document>,
    title: String,
    /// Days with a since page: each distinct version date that has a version
    /// before it, with the version current at the start of that day.
    since_days: Vec<(NaiveDate, usize, DateTime<FixedOffset>)>,
    summaries: Summaries,
    /// The sentence timeline of the whole history (credits, withdrawn, blame).
    sentences: crate::blame::SentenceTimeline,
    /// Options of every diff the pages show (the deadline).
    diff_options: diff::DiffOptions,
}

impl ExplainerPages {
    /// Read every version of `slug` (its `history`, oldest first) from `store`.
    pub fn load(store: &Store, slug: &Slug, history: Vec<Version>) -> Result<ExplainerPages> {
        let documents: Vec<Document> = history
            .iter()
            .map(|v| store.document_from_history(slug, v))
            .collect::<Result<_>>()?;
        let sentences = store.sentence_timeline(slug, &history, Some(&documents))?;
        ExplainerPages::from_parts(slug, history, documents, sentences)
    }

    /// The pages of a history held in memory: `documents` index for index
    /// with `history` (oldest first) and the history's sentence timeline. No
    /// store and no file: what [`ExplainerPages::load`] reads, given.
    pub fn from_parts(
        slug: &Slug,
        history: Vec<Version>,
        documents: Vec<Document>,
        sentences: crate::blame::SentenceTimeline,
    ) -> Result<ExplainerPages> {
        if documents.len() != history.len() {
            return Err(Error::Internal(format!(
                "explainer {slug}: {} documents for {} versions",
                documents.len(),
                history.len()
            )));
        }
        let title = documents
            .last()
            .map(|d| d.meta.title.clone())
            .ok_or_else(|| Error::Render(format!("explainer {slug} has no versions")))?;
        let mut since_days: Vec<(NaiveDate, usize, DateTime<FixedOffset>)> = Vec::new();
        for version in &history {
            let day = version.updated.date_naive();
            if since_days.iter().any(|(d, _, _)| *d == day) {
                continue;
            }
            let start = start_of_day(day);
            if let Some(base) = base_at(&history, &start) {
                since_days.push((day, base, start));
            }
        }
        Ok(ExplainerPages {
            slug: slug.clone(),
            history,
            documents,
            title,
            since_days,
            summaries: Summaries::default(),
            sentences,
            diff_options: diff::DiffOptions::default(),
        })
    }

    /// The same pages diffed with `options` (a service or a test choosing
    /// deterministic output instead of the default deadline).
    pub fn with_diff_options(self, options: diff::DiffOptions) -> ExplainerPages {
        ExplainerPages {
            diff_options: options,
            ..self
        }
    }

    /// The explainer.
    pub fn slug(&self) -> &Slug {
        &self.slug
    }

    /// Every page of this explainer a static site holds.
    pub fn pages(&self) -> Vec<Page> {
        let slug = &self.slug;
        // Blame of the newest version only (older versions: `redline blame
        // SLUG@vN` or the service): keeps the build's cost flat in history length.
        let mut pages = vec![Page::Blame(slug.clone(), self.history.len())];
        pages.extend(
            self.history
                .iter()
                .filter(|v| v.number > 1)
                .map(|v| Page::Diff(slug.clone(), v.number)),
        );
        for (day, _, _) in &self.since_days {
            pages.push(Page::Since(slug.clone(), *day));
            pages.push(Page::TrackChanges(slug.clone(), *day));
        }
        pages.push(Page::Changelog(slug.clone()));
        pages.push(Page::Explainer(slug.clone()));
        pages.push(Page::Feed(slug.clone()));
        pages
    }

    /// Render one of this explainer's pages; `None` when it has no such page
    /// (a diff of a version it does not have, a day before its first version).
    pub fn render(&self, links: &Links, page: &Page) -> Result<Option<String>> {
        if page.slug() != Some(&self.slug) {
            return Ok(None);
        }
        match page {
            Page::Explainer(_) => self.explainer().map(Some),
            Page::Changelog(_) => self.changelog().map(Some),
            Page::Diff(_, n) => self.diff(*n),
            Page::Blame(_, n) => self.blame(*n),
            Page::Since(_, day) => self.since(*day),
            Page::TrackChanges(_, day) => self.track_changes(*day),
            Page::Feed(_) => self.feed(links).map(Some),
            Page::Index | Page::SiteFeed | Page::Stylesheet => Ok(None),
        }
    }

    /// The explainer's line on the index page.
    pub fn listing(&self) -> ListedExplainer {
        ListedExplainer {
            slug: self.slug.clone(),
            title: self.title.clone(),
            versions: self.history.len(),
            latest: VersionView::new(self.latest()),
        }
    }

    /// Version `number` (1-based), if the explainer has it.
    pub fn version(&self, number: usize) -> Option<&Version> {
        number.checked_sub(1).and_then(|i| self.history.get(i))
    }

    fn latest(&self) -> &Version {
        // `load` refuses an empty history.
        &self.history[self.history.len() - 1]
    }

    fn summary(&self, base: usize, head: usize) -> Result<Arc<Summary>> {
        let key = (base, head);
        if let Some(summary) = self.summaries.get(key) {
            return Ok(summary);
        }
        let range = base.saturating_sub(1)..head;
        let (Some(window), Some(documents)) =
            (self.history.get(range.clone()), self.documents.get(range))
        else {
            return Err(Error::Render(format!(
                "{}: no versions v{base}..v{head}",
                self.slug
            )));
        };
        let summary = Arc::new(summary::summarize_with(
            &self.slug,
            window,
            documents,
            Some(&self.sentences),
            &self.diff_options,
        )?);
        self.summaries.keep(key, Arc::clone(&summary));
        Ok(summary)
    }

    /// `<slug>/diff/vN.html`: v(N-1) → vN. A step summary still at hand
    /// (a feed entry's) already holds that diff, so it is reused.
    pub fn diff(&self, number: usize) -> Result<Option<String>> {
        if number < 2 || number > self.history.len() {
            return Ok(None);
        }
        let (i, version) = (number - 1, self.history[number - 1].clone());
        let previous = self.history[i - 1].clone();
        let header = DiffHeader::between(self.documents[i].meta.title.clone(), &previous, &version);
        let step = self.summaries.get((number - 1, number));
        let computed: ChangeSet;
        let changes = match &step {
            Some(summary) => &summary.changes,
            None => {
                computed = diff::diff_with(
                    &self.documents[i - 1],
                    &self.documents[i],
                    &self.diff_options,
                );
                &computed
            }
        };
        let view = DiffView::new(changes, &header);
        let links = self.links_on(Page::Diff(self.slug.clone(), number));
        let chrome = page_chrome(
            &format!(
                "{}: what changed on {}",
                self.title,
                render::long_date(&version.updated)
            ),
            &links,
            &self.title,
        );
        render::diff_page(&view, chrome, Some(links)).map(Some)
    }

    /// `<slug>/blame/vN.html`: vN's text, each paragraph with its last change.
    pub fn blame(&self, number: usize) -> Result<Option<String>> {
        let (Some(version), Some(document)) = (
            self.version(number),
            number.checked_sub(1).and_then(|i| self.documents.get(i)),
        ) else {
            return Ok(None);
        };
        let blame = crate::blame::blame_in(&self.sentences, &self.history, version, document)?;
        let links = self.links_on(Page::Blame(self.slug.clone(), number));
        let chrome = page_chrome(
            &format!("{}: who changed what", self.title),
            &links,
            &self.title,
        );
        crate::blame::render::blame_page(&blame, chrome, links).map(Some)
    }

    /// The links of one of this explainer's pages (pages link relatively, so
    /// they do not depend on a base URL).
    fn links_on(&self, page: Page) -> PageLinks {
        Links::relative().on(&page)
    }

    /// The version current at the start of `day`, if one existed then.
    fn base_on(&self, day: NaiveDate) -> Option<(usize, DateTime<FixedOffset>)> {
        let start = start_of_day(day);
        base_at(&self.history, &start).map(|base| (base, start))
    }

    /// `<slug>/since/YYYY-MM-DD.html`: what changed since the start of `day`.
    pub fn since(&self, day: NaiveDate) -> Result<Option<String>> {
        let Some((base, start)) = self.base_on(day) else {
            return Ok(None);
        };
        let head = self.history.len();
        let title = self.title.clone();
        let summary = self.summary(base, head)?;
        let mut view = since_view(&summary);
        // Summaries are shared between pages; this page answers "since <day>".
        view.asked = AskedView::new(&start, &view.base);
        let since = view.asked.as_ref().map_or(&view.base.date, |a| &a.date);
        let links = self.links_on(Page::Since(self.slug.clone(), day));
        let chrome = page_chrome(
            &format!("{title}: what changed since {since}"),
            &links,
            &title,
        );
        let track_changes = links.track_changes(&day);
        render::summary_page(&view, chrome, Some(links), Some(track_changes)).map(Some)
    }

    /// `<slug>/track-changes/YYYY-MM-DD.html`: the newest text with the changes
    /// since the start of `day` marked.
    pub fn track_changes(&self, day: NaiveDate) -> Result<Option<String>> {
        let Some((base, _)) = self.base_on(day) else {
            return Ok(None);
        };
        let head = self.history.len();
        let title = self.title.clone();
        let links = self.links_on(Page::TrackChanges(self.slug.clone(), day));
        let summary = self.summary(base, head)?;
        TrackChanges {
            chrome: page_chrome(
                &format!("{title}: changes marked since {}", day.format("%Y-%m-%d")),
                &links,
                &title,
            ),
            title: &title,
            base: VersionView::new(&summary.base),
            head: VersionView::new(&summary.head),
            summary_href: links.since(&day),
            body: FoldedText::new(TrackedText::new(&summary.changes.spans)),
            links,
        }
        .render()
        .map(Some)
        .map_err(Error::render)
    }

    /// `<slug>/changes.html`: every update, newest first.
    pub fn changelog(&self) -> Result<String> {
        let versions: Vec<ChangelogEntry> = self
            .history
            .iter()
            .rev()
            .map(|v| {
                let day = v.updated.date_naive();
                ChangelogEntry {
                    since: self
                        .since_days
                        .iter()
                        .any(|(d, _, _)| *d == day)
                        .then_some(day),
                    version: VersionView::new(v),
                }
            })
            .collect();
        let links = self.links_on(Page::Changelog(self.slug.clone()));
        Changelog {
            chrome: page_chrome(&format!("{}: all updates", self.title), &links, &self.title),
            title: &self.title,
            versions: &versions,
            links,
        }
        .render()
        .map_err(Error::render)
    }

    /// `<slug>/index.html`: the newest text with its "what changed" box: since
    /// the day of the latest major update, exactly as that day's since page
    /// and `redline since <slug> <day>` mean it (the version current at the
    /// start of that day, up to the newest), so the box, its link and the CLI
    /// tell one story.
    pub fn explainer(&self) -> Result<String> {
        let head = self.history.len();
        let latest_major = self
            .history
            .iter()
            .rev()
            .find(|v| v.kind == UpdateKind::Major && v.number > 1);
        let window = latest_major.and_then(|major| {
            let day = major.updated.date_naive();
            self.since_days
                .iter()
                .find(|(d, _, _)| *d == day)
                .map(|(d, base, start)| (*d, *base, *start))
        });
        let whats_new = match window {
            Some((day, base, start)) => {
                let summary = self.summary(base, head)?;
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
                    since: day,
                })
            }
            None => None,
        };
        let newest = &self.documents[self.documents.len() - 1];
        let links = self.links_on(Page::Explainer(self.slug.clone()));
        ExplainerPage {
            chrome: Chrome {
                title: self.title.clone(),
                home: Some(links.home()),
                explainer: None,
                feed: Some(links.feed()),
                stylesheet: Some(links.stylesheet()),
            },
            title: &self.title,
            publisher: newest.meta.publisher.as_deref(),
            source_url: newest.meta.source_url.as_deref().filter(|u| {
                let u = u.trim_start().to_ascii_lowercase();
                u.starts_with("https://") || u.starts_with("http://")
            }),
            latest: VersionView::new(self.latest()),
            whats_new,
            body: RenderedMarkdown::from_markdown(&newest.body),
            links,
        }
        .render()
        .map_err(Error::render)
    }

    /// One Atom entry per major update, newest first: the latest
    /// [`FEED_ENTRIES`] (the changelog lists them all).
    pub fn feed_entries(&self) -> Result<Vec<FeedEntry>> {
        let majors: Vec<Version> = self
            .history
            .iter()
            .rev()
            .filter(|v| v.kind == UpdateKind::Major)
            .take(FEED_ENTRIES)
            .cloned()
            .collect();
        let mut entries = Vec::new();
        for version in &majors {
            let mut highlights: Vec<HighlightView> = if version.number > 1 {
                self.summary(version.number - 1, version.number)?
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
            };
            let more = highlights.len().saturating_sub(FEED_HIGHLIGHTS);
            highlights.truncate(FEED_HIGHLIGHTS);
            entries.push(feed_entry(
                &self.slug,
                &self.title,
                version,
                highlights,
                more,
            )?);
        }
        Ok(entries)
    }

    /// `<slug>/feed.xml`: the explainer's major updates.
    pub fn feed(&self, links: &Links) -> Result<String> {
        self.feed_with(links, self.feed_entries()?)
    }

    /// [`Self::feed`] of entries already computed by [`Self::feed_entries`]
    /// (a builder that also needs them for the site feed).
    pub fn feed_with(&self, links: &Links, entries: Vec<FeedEntry>) -> Result<String> {
        let mut entries = entries;
        let here = Page::Feed(self.slug.clone());
        for e in &mut entries {
            e.href = links.href_in_feed(&here, &e.page);
        }
        let first = &self.history[0];
        let authority = links.tag_authority();
        for e in &mut entries {
            e.id = format!("tag:{authority},{}", e.id);
        }
        AtomFeed {
            id: format!(
                "tag:{authority},{}:{}",
                render::day(&first.updated),
                self.slug
            ),
            title: self.title.clone(),
            updated: entries
                .iter()
                .map(|e| e.updated_at)
                .max()
                .unwrap_or(self.latest().updated)
                .to_rfc3339(),
            self_href: links.href_in_feed(&here, &here),
            alternate: links.href_in_feed(&here, &Page::Explainer(self.slug.clone())),
            entries: &entries,
        }
        .render()
        .map_err(Error::render)
    }
}

/// Tag URIs of entries are completed by the feed that lists them (the
/// authority comes from [`Links`]): this is the part after `tag:<authority>,`.
fn feed_entry(
    slug: &Slug,
    title: &str,
    version: &Version,
    highlights: Vec<HighlightView>,
    more: usize,
) -> Result<FeedEntry> {
    let view = VersionView::new(version);
    let content = FeedEntryContent {
        version: &view,
        highlights: &highlights,
        more,
    }
    .render()
    .map_err(Error::render)?;
    let page = if version.number > 1 {
        Page::Diff(slug.clone(), version.number)
    } else {
        Page::Explainer(slug.clone())
    };
    Ok(FeedEntry {
        id: format!("{}:{}/{}", view.day, slug, version.id),
        title: format!("{title}: updated {}", view.date),
        updated: view.iso.clone(),
        updated_at: version.updated,
        author: version.editor.clone(),
        href: String::new(),
        page,
        note: view.note.clone(),
        content,
    })
}

/// `<slug>/since?when=…&until=…`: what changed in any window (a summary page
/// one level below the root, beside `changes.html`).
pub fn since_window(summary: &Summary) -> Result<String> {
    let view = since_view(summary);
    let since = view.asked.as_ref().map_or(&view.base.date, |a| &a.date);
    let links = Links::relative().on_since_window(&summary.slug);
    let chrome = page_chrome(
        &format!("{}: what changed since {since}", summary.title),
        &links,
        &summary.title,
    );
    // The same window's track-changes page (a day's page starts from the
    // version current at that day's start, which need not be this base).
    let track_changes = links.track_changes_window(summary.base.number, summary.head.number);
    render::summary_page(&view, chrome, Some(links), Some(track_changes))
}

/// `<slug>/track-changes/?when=vA&until=vB`: a window's head text with its
/// changes marked, linked from (and back to) [`since_window`]'s page.
pub fn track_changes_window(summary: &Summary) -> Result<String> {
    let links = Links::relative().on_track_changes_window(&summary.slug);
    TrackChanges {
        chrome: page_chrome(
            &format!(
                "{}: changes marked since {}",
                summary.title,
                summary.base.label()
            ),
            &links,
            &summary.title,
        ),
        title: &summary.title,
        base: VersionView::new(&summary.base),
        head: VersionView::new(&summary.head),
        summary_href: links.since_window(summary.base.number, summary.head.number),
        body: FoldedText::new(TrackedText::new(&summary.changes.spans)),
        links,
    }
    .render()
    .map_err(Error::render)
}

/// How many items (highlights, other changes, changes added and later
/// removed) a since page lists one by one; past it, the page lists the top
/// highlights and counts the rest by section, linking to the track-changes
/// page where every change is marked in the text.
pub const SINCE_LISTED: usize = 60;

/// A since page's view of `summary`: every change listed, or, past
/// [`SINCE_LISTED`] items, the short form (as `redline since` prints it).
fn since_view(summary: &Summary) -> SummaryView {
    let all = SummaryView::new(summary);
    let listed = all.highlights.len()
        + all.more_highlights.len()
        + all.withdrawn.len()
        + all.others.iter().map(|g| g.changes.len()).sum::<usize>();
    if listed > SINCE_LISTED {
        SummaryView::with_detail(summary, render::Detail::Short)
    } else {
        all
    }
}

/// Midnight UTC at the start of `day` (as a reader's "since 4 March" means).
fn start_of_day(day: NaiveDate) -> DateTime<FixedOffset> {
    Utc.from_utc_datetime(&day.and_time(NaiveTime::MIN))
        .fixed_offset()
}

/// The number of the version current at `when`, if any existed then.
fn base_at(history: &[Version], when: &DateTime<FixedOffset>) -> Option<usize> {
    crate::store::current_at(history, when)
        .and_then(|i| history.get(i))
        .map(|v| v.number)
}

/// The chrome of an explainer's page below its own: links home, to the
/// explainer and to its feed.
fn page_chrome(page_title: &str, links: &PageLinks, explainer: &str) -> Chrome {
    Chrome {
        title: page_title.to_string(),
        home: Some(links.home()),
        explainer: Some(Crumb {
            href: links.explainer(),
            text: explainer.to_string(),
        }),
        feed: Some(links.feed()),
        stylesheet: Some(links.stylesheet()),
    }
}

// ---------------------------------------------------------------------------
// Templates.

#[derive(Template)]
#[template(path = "style.css", escape = "none")]
struct Stylesheet;

#[derive(Template)]
#[template(path = "index.html")]
struct SiteIndex<'a> {
    chrome: Chrome,
    explainers: &'a [ListedExplainer],
    links: PageLinks,
}

/// How many entries a feed carries: the latest major updates (an explainer's
/// own, or the whole site's), as feed readers expect a bounded feed; every
/// update stays on the changelog and its diff page.
pub const FEED_ENTRIES: usize = 20;

/// How many highlights a feed entry quotes; it counts the rest, which the
/// update's diff page (the entry's link) shows.
pub const FEED_HIGHLIGHTS: usize = 10;

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
    /// The day of the since page of the same window.
    since: NaiveDate,
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
    links: PageLinks,
}

struct ChangelogEntry {
    version: VersionView,
    /// The day of the since page starting at this update's day, if it has one.
    since: Option<NaiveDate>,
}

#[derive(Template)]
#[template(path = "changes.html")]
struct Changelog<'a> {
    chrome: Chrome,
    title: &'a str,
    versions: &'a [ChangelogEntry],
    links: PageLinks,
}

#[derive(Template)]
#[template(path = "track_changes.html")]
struct TrackChanges<'a> {
    chrome: Chrome,
    title: &'a str,
    base: VersionView,
    head: VersionView,
    /// The summary page of the same window.
    summary_href: String,
    body: FoldedText,
    links: PageLinks,
}

#[derive(Template)]
#[template(path = "feed.xml")]
struct AtomFeed<'a> {
    id: String,
    title: String,
    updated: String,
    self_href: String,
    alternate: String,
    entries: &'a [FeedEntry],
}

#[derive(Template)]
#[template(path = "feed_entry.html")]
struct FeedEntryContent<'a> {
    version: &'a VersionView,
    highlights: &'a [HighlightView],
    /// Highlights left out (the entry's link shows them all).
    more: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_start_at_midnight_utc() {
        let day = NaiveDate::from_ymd_opt(2025, 3, 4).unwrap();
        assert_eq!(start_of_day(day).to_rfc3339(), "2025-03-04T00:00:00+00:00");
    }

    #[test]
    fn every_page_path_parses_back_to_its_page() {
        let s = Slug::new("rates").unwrap();
        let day = NaiveDate::from_ymd_opt(2025, 3, 4).unwrap();
        for page in [
            Page::Index,
            Page::SiteFeed,
            Page::Stylesheet,
            Page::Explainer(s.clone()),
            Page::Changelog(s.clone()),
            Page::Diff(s.clone(), 12),
            Page::Blame(s.clone(), 3),
            Page::Since(s.clone(), day),
            Page::TrackChanges(s.clone(), day),
            Page::Feed(s.clone()),
        ] {
            assert_eq!(Page::parse(&page.path()), Some(page.clone()), "{page:?}");
            assert_eq!(Page::parse(&format!("/{}", page.path())), Some(page));
        }
        assert_eq!(Page::parse("/"), Some(Page::Index));
        assert_eq!(Page::parse("/rates/"), Some(Page::Explainer(s)));
        for bad in [
            "/rates/diff/v012.html",
            "/rates/diff/v+2.html",
            "/Rates/",
            "/rates/since/2025-3-4.html",
            "/rates/since/2025-02-30.html",
            "/../etc/passwd",
            "/rates/changes.html/x",
        ] {
            assert_eq!(Page::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn page_links_are_relative_to_the_page_and_come_from_the_scheme() {
        let s = Slug::new("rates").unwrap();
        let day = NaiveDate::from_ymd_opt(2025, 3, 4).unwrap();
        let links = Links::with_base_url("https://example.org/").unwrap();
        // Pages link relatively even when feeds have a base URL.
        let diff = links.on(&Page::Diff(s.clone(), 3));
        assert_eq!(diff.home(), "../../index.html");
        assert_eq!(diff.stylesheet(), "../../style.css");
        assert_eq!(diff.explainer(), "../index.html");
        assert_eq!(diff.changelog(), "../changes.html");
        assert_eq!(diff.diff(&2), "v2.html");
        assert_eq!(diff.track_changes(&day), "../track-changes/2025-03-04.html");
        let explainer = links.on(&Page::Explainer(s.clone()));
        assert_eq!(explainer.since(&day), "since/2025-03-04.html");
        assert_eq!(explainer.blame(&7), "blame/v7.html");
        assert_eq!(explainer.feed(), "feed.xml");
        let index = links.on(&Page::Index);
        assert_eq!(index.explainer_of(&s), "rates/index.html");
        assert_eq!(index.changelog_of(&s), "rates/changes.html");
        assert_eq!(index.feed(), "feed.xml");
        let window = links.on_since_window(&s);
        assert_eq!(window.diff(&3), "diff/v3.html");
        assert_eq!(window.home(), "../index.html");
        // Every href resolves, from its page's folder, to the target's path.
        for (from, to) in [
            (
                Page::Since(s.clone(), day),
                Page::TrackChanges(s.clone(), day),
            ),
            (Page::Index, Page::Blame(s.clone(), 2)),
            (Page::Feed(s.clone()), Page::SiteFeed),
        ] {
            let href = links.on(&from).to(&to);
            let mut path: Vec<String> = from.path().split('/').map(str::to_string).collect();
            path.pop();
            for part in href.split('/') {
                if part == ".." {
                    path.pop();
                } else {
                    path.push(part.to_string());
                }
            }
            assert_eq!(path.join("/"), to.path(), "{from:?} → {to:?}: {href}");
        }
    }

    #[test]
    fn feeds_take_absolute_links_and_tag_authority_from_the_base_url() {
        let links = Links::with_base_url("https://news.example.org:8443/explainers").unwrap();
        assert_eq!(
            links.base_url(),
            Some("https://news.example.org:8443/explainers/")
        );
        assert_eq!(links.tag_authority(), "news.example.org");
        let s = Slug::new("rates").unwrap();
        assert_eq!(
            links.href_in_feed(&Page::Feed(s.clone()), &Page::Diff(s.clone(), 3)),
            "https://news.example.org:8443/explainers/rates/diff/v3.html"
        );
        let relative = Links::relative();
        assert_eq!(
            relative.href_in_feed(&Page::Feed(s.clone()), &Page::Diff(s.clone(), 3)),
            "diff/v3.html"
        );
        assert_eq!(
            relative.href_in_feed(&Page::SiteFeed, &Page::Diff(s, 3)),
            "rates/diff/v3.html"
        );
        assert!(Links::with_base_url("ftp://x").is_err());
        assert!(Links::with_base_url("https://").is_err());
    }

    /// One explainer page and its changelog rendered through the page model
    /// from versions held in memory (synthetic texts): no store, no file.
    #[test]
    fn an_explainer_page_renders_from_memory_without_a_store() {
        let slug = Slug::new("synthetic-talks").unwrap();
        let bodies = [
            "Talks began in Riyadh.\n",
            "Talks began in Riyadh. Mr Macron said a truce was proposed.\n",
        ];
        let history: Vec<Version> = (0..bodies.len())
            .map(crate::blame::testing::version)
            .collect();
        let documents: Vec<Document> = bodies
            .iter()
            .map(|b| {
                let meta = crate::model::DocumentMeta {
                    title: "Synthetic <talks>".into(),
                    ..Default::default()
                };
                Document::new(meta, b.to_string())
            })
            .collect();
        let sentences = crate::blame::from_documents(&slug, &history, &documents);
        let pages = ExplainerPages::from_parts(&slug, history, documents, sentences).unwrap();
        let explainer = pages
            .render(&Links::relative(), &Page::Explainer(slug.clone()))
            .unwrap()
            .unwrap();
        // The title is escaped, never markup.
        assert!(
            explainer.contains("Synthetic &#60;talks&#62;"),
            "{explainer}"
        );
        assert!(!explainer.contains("<talks>"), "{explainer}");
        assert!(explainer.contains("a truce was proposed"), "{explainer}");
        let changelog = pages.changelog().unwrap();
        assert!(changelog.contains("update 2"), "{changelog}");
        assert!(changelog.contains(
            &Links::relative()
                .on(&Page::Changelog(slug.clone()))
                .diff(&2)
        ));
        // A page of another explainer is not this one's to render.
        let other = Slug::new("other").unwrap();
        assert!(pages
            .render(&Links::relative(), &Page::Explainer(other))
            .unwrap()
            .is_none());
        // Mismatched parts are refused, not rendered.
        let one = vec![crate::blame::testing::version(0)];
        let empty = crate::blame::from_documents(&slug, &[], &[]);
        assert!(ExplainerPages::from_parts(&slug, one, Vec::new(), empty).is_err());
    }
}
