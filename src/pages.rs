//! The page model: one function per readers' page, shared by the static site
//! ([`crate::site::build`] writes every page) and the service
//! (`crate::serve` answers one request with the same call), so a static export
//! and the live site are byte-identical for the same store.
//!
//! [`Page`] is the URL scheme: the one place a page's path is written
//! ([`Page::path`]) and read back ([`Page::parse`]). [`Links`] says how links
//! leave the site: pages link relatively (so the folder works from `file://`),
//! feeds absolutely when a base URL is known, with tag URIs on its host.
//!
//! ```text
//! index.html                              explainers: title, versions, last updated
//! feed.xml                                Atom: every explainer's major updates
//! <slug>/index.html                       newest text, "last updated", what changed box
//! <slug>/changes.html                     every update, newest first
//! <slug>/diff/vN.html                     v(N-1) → vN
//! <slug>/blame/vN.html                    vN's text, each paragraph's last change
//!                                         (the static site has the newest only)
//! <slug>/since/YYYY-MM-DD.html            what changed since that day
//! <slug>/track-changes/YYYY-MM-DD.html    newest text with changes since that day marked
//! <slug>/feed.xml                         Atom: the explainer's major updates
//! ```

use std::collections::HashMap;

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
            Page::Index | Page::SiteFeed => None,
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

    /// Whether the page is an Atom feed (else HTML).
    pub fn is_feed(&self) -> bool {
        matches!(self, Page::SiteFeed | Page::Feed(_))
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
            None => {
                let path = target.path();
                match feed.slug() {
                    Some(slug) => path
                        .strip_prefix(&format!("{slug}/"))
                        .map(str::to_string)
                        .unwrap_or(path),
                    None => path,
                }
            }
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

/// One line of the site index.
#[derive(Debug, Clone)]
pub struct ListedExplainer {
    slug: String,
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
    SiteIndex {
        chrome: Chrome {
            title: "Explainers".to_string(),
            home: None,
            explainer: None,
            feed: Some("feed.xml".to_string()),
        },
        explainers,
    }
    .render()
    .map_err(Error::render)
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

/// Summaries keyed by (base, head) version numbers, computed at most once each
/// from the documents already in memory.
struct Summaries {
    cache: HashMap<(usize, usize), Summary>,
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
        let title = documents
            .last()
            .map(|d| d.meta.title.clone())
            .ok_or_else(|| Error::Render(format!("explainer {slug} has no versions")))?;
        let sentences = store.sentence_timeline(slug, &history, Some(&documents))?;
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
            summaries: Summaries {
                cache: HashMap::new(),
            },
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
    pub fn render(&mut self, links: &Links, page: &Page) -> Result<Option<String>> {
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
            Page::Index | Page::SiteFeed => Ok(None),
        }
    }

    /// The explainer's line on the index page.
    pub fn listing(&self) -> ListedExplainer {
        ListedExplainer {
            slug: self.slug.to_string(),
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

    fn summary(&mut self, base: usize, head: usize) -> Result<&Summary> {
        let key = (base, head);
        if !self.summaries.cache.contains_key(&key) {
            let range = base.saturating_sub(1)..head;
            let (Some(window), Some(documents)) =
                (self.history.get(range.clone()), self.documents.get(range))
            else {
                return Err(Error::Render(format!(
                    "{}: no versions v{base}..v{head}",
                    self.slug
                )));
            };
            let summary = summary::summarize_with(
                &self.slug,
                window,
                documents,
                Some(&self.sentences),
                &self.diff_options,
            )?;
            self.summaries.cache.insert(key, summary);
        }
        self.summaries
            .cache
            .get(&key)
            .ok_or_else(|| Error::Render(format!("summary v{base}..v{head} missing")))
    }

    /// `<slug>/diff/vN.html`: v(N-1) → vN. A major update's step summary
    /// (needed for its feed entry) already holds that diff, so it is reused.
    pub fn diff(&mut self, number: usize) -> Result<Option<String>> {
        if number < 2 || number > self.history.len() {
            return Ok(None);
        }
        let (i, version) = (number - 1, self.history[number - 1].clone());
        let previous = self.history[i - 1].clone();
        let header = DiffHeader::between(self.documents[i].meta.title.clone(), &previous, &version);
        let computed: ChangeSet;
        let changes = if version.kind == UpdateKind::Major {
            &self.summary(number - 1, number)?.changes
        } else {
            computed = diff::diff_with(
                &self.documents[i - 1],
                &self.documents[i],
                &self.diff_options,
            );
            &computed
        };
        let view = DiffView::new(changes, &header);
        let chrome = page_chrome(
            &format!(
                "{}: what changed on {}",
                self.title,
                render::long_date(&version.updated)
            ),
            "../../",
            &self.title,
        );
        render::diff_page(&view, chrome, Some("../".to_string())).map(Some)
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
        let chrome = page_chrome(
            &format!("{}: who changed what", self.title),
            "../../",
            &self.title,
        );
        crate::blame::render::blame_page(&blame, chrome).map(Some)
    }

    /// The version current at the start of `day`, if one existed then.
    fn base_on(&self, day: NaiveDate) -> Option<(usize, DateTime<FixedOffset>)> {
        let start = start_of_day(day);
        base_at(&self.history, &start).map(|base| (base, start))
    }

    /// `<slug>/since/YYYY-MM-DD.html`: what changed since the start of `day`.
    pub fn since(&mut self, day: NaiveDate) -> Result<Option<String>> {
        let Some((base, start)) = self.base_on(day) else {
            return Ok(None);
        };
        let head = self.history.len();
        let title = self.title.clone();
        let summary = self.summary(base, head)?;
        let mut view = SummaryView::new(summary);
        // Summaries are shared between pages; this page answers "since <day>".
        view.asked = AskedView::new(&start, &view.base);
        let since = view.asked.as_ref().map_or(&view.base.date, |a| &a.date);
        let chrome = page_chrome(
            &format!("{title}: what changed since {since}"),
            "../../",
            &title,
        );
        let day = day.format("%Y-%m-%d").to_string();
        render::summary_page(&view, chrome, Some("../".to_string()), &day).map(Some)
    }

    /// `<slug>/track-changes/YYYY-MM-DD.html`: the newest text with the changes
    /// since the start of `day` marked.
    pub fn track_changes(&mut self, day: NaiveDate) -> Result<Option<String>> {
        let Some((base, _)) = self.base_on(day) else {
            return Ok(None);
        };
        let head = self.history.len();
        let title = self.title.clone();
        let day = day.format("%Y-%m-%d").to_string();
        let summary = self.summary(base, head)?;
        TrackChanges {
            chrome: page_chrome(
                &format!("{title}: changes marked since {day}"),
                "../../",
                &title,
            ),
            title: &title,
            base: VersionView::new(&summary.base),
            head: VersionView::new(&summary.head),
            day: &day,
            body: TrackedText::new(&summary.changes.spans),
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
                        .then(|| render::day(&v.updated)),
                    version: VersionView::new(v),
                }
            })
            .collect();
        Changelog {
            chrome: page_chrome(&format!("{}: all updates", self.title), "../", &self.title),
            title: &self.title,
            versions: &versions,
        }
        .render()
        .map_err(Error::render)
    }

    /// `<slug>/index.html`: the newest text with its "what changed" box: since
    /// the day of the latest major update, exactly as that day's since page
    /// and `redline since <slug> <day>` mean it (the version current at the
    /// start of that day, up to the newest), so the box, its link and the CLI
    /// tell one story.
    pub fn explainer(&mut self) -> Result<String> {
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
                    since_page: day.format("%Y-%m-%d").to_string(),
                })
            }
            None => None,
        };
        let newest = &self.documents[self.documents.len() - 1];
        ExplainerPage {
            chrome: Chrome {
                title: self.title.clone(),
                home: Some("../index.html".to_string()),
                explainer: None,
                feed: Some("feed.xml".to_string()),
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
        }
        .render()
        .map_err(Error::render)
    }

    /// One Atom entry per major update, newest first.
    pub fn feed_entries(&mut self) -> Result<Vec<FeedEntry>> {
        let majors: Vec<Version> = self
            .history
            .iter()
            .filter(|v| v.kind == UpdateKind::Major)
            .cloned()
            .collect();
        let mut entries = Vec::new();
        for version in majors.iter().rev() {
            let highlights: Vec<HighlightView> = if version.number > 1 {
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
            entries.push(feed_entry(&self.slug, &self.title, version, highlights)?);
        }
        Ok(entries)
    }

    /// `<slug>/feed.xml`: the explainer's major updates.
    pub fn feed(&mut self, links: &Links) -> Result<String> {
        let mut entries = self.feed_entries()?;
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
) -> Result<FeedEntry> {
    let view = VersionView::new(version);
    let content = FeedEntryContent {
        version: &view,
        highlights: &highlights,
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
    let view = SummaryView::new(summary);
    let since = view.asked.as_ref().map_or(&view.base.date, |a| &a.date);
    let chrome = page_chrome(
        &format!("{}: what changed since {since}", summary.title),
        "../",
        &summary.title,
    );
    let day = render::day(&summary.asked.unwrap_or(summary.base.updated));
    render::summary_page(&view, chrome, Some(String::new()), &day)
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

fn page_chrome(page_title: &str, root: &str, explainer: &str) -> Chrome {
    // From a page two levels down (`../../` to the root) the explainer is `../`.
    let to_explainer = root.strip_prefix("../").unwrap_or("");
    Chrome {
        title: page_title.to_string(),
        home: Some(format!("{root}index.html")),
        explainer: Some(Crumb {
            href: format!("{to_explainer}index.html"),
            text: explainer.to_string(),
        }),
        feed: Some(format!("{to_explainer}feed.xml")),
    }
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
    self_href: String,
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
}
