//! Integration tests: rendering on the demo history (golden files), escaping of
//! hostile text in every page and feed, the static site's links and Atom feeds
//! (parsed with the independent feed-rs), and a real headless Chromium.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::DateTime;
use redline::diff;
use redline::import;
use redline::ingest::Rules;
use redline::model::{Document, DocumentMeta, UpdateKind, VersionRef};
use redline::render::{self, DiffHeader};
use redline::site;
use redline::slug::Slug;
use redline::store::{Store, UpdateRequest};
use redline::summary;

use crate::support::browser::Browser;
use crate::support::{files_with_extension, repo_path, FULLFACT};

/// A temporary store holding the demo history (snapshots/ in the repository).
struct DemoStore {
    dir: tempfile::TempDir,
    store: Store,
}

fn demo_store() -> DemoStore {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("store.git")).unwrap();
    let files = import::read_dir(&repo_path("snapshots")).unwrap();
    import::import(&store, files.as_slice(), &Rules::shipped(), &|_, _| {}).unwrap();
    DemoStore { dir, store }
}

fn slug(s: &str) -> Slug {
    Slug::new(s).unwrap()
}

/// The page's `<main>` (the stylesheet is the same on every page and would
/// drown the golden files).
fn main_of(html: &str) -> &str {
    let start = html.find("<main>").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>");
    &html[start..end + "</main>".len()]
}

#[test]
fn demo_diff_outputs_match_golden_files() {
    let demo = demo_store();
    let s = slug(FULLFACT);
    let history = demo.store.history(&s).unwrap();
    assert_eq!(history.len(), 4);
    let old = demo.store.document(&s, &history[2]).unwrap();
    let new = demo.store.document(&s, &history[3]).unwrap();
    let changes = diff::diff(&old, &new);
    let header = DiffHeader::between(new.meta.title.clone(), &history[2], &history[3]);
    insta::assert_snapshot!(
        "demo_diff_v4_text",
        render::diff_text(&changes, &header, false).unwrap()
    );
    insta::assert_snapshot!(
        "demo_diff_v4_markdown",
        render::diff_markdown(&changes, &header).unwrap()
    );
    let html = render::diff_html(&changes, &header).unwrap();
    insta::assert_snapshot!("demo_diff_v4_html", main_of(&html));
    let coloured = render::diff_text(&changes, &header, true).unwrap();
    assert!(coloured.contains("\x1b["), "coloured output uses ANSI");
}

#[test]
fn demo_summary_outputs_match_golden_files() {
    let demo = demo_store();
    let since: VersionRef = "2025-03-01".parse().unwrap();
    let window = demo.store.window(&slug(FULLFACT), &since, None).unwrap();
    // No wall-clock deadline: the goldens cannot change with machine load.
    let unbounded = redline::diff::DiffOptions {
        deadline: std::time::Duration::MAX,
    };
    let summary = summary::since(&window, &unbounded).unwrap();
    let text = render::summary_text(&summary, false).unwrap();
    insta::assert_snapshot!("demo_summary_since_0301_text", text);
    insta::assert_snapshot!(
        "demo_summary_since_0301_markdown",
        render::summary_markdown(&summary).unwrap()
    );
    let html = render::summary_html(&summary).unwrap();
    insta::assert_snapshot!("demo_summary_since_0301_html", main_of(&html));

    // Highlights come first, and the first is the truce claim with the UK's denial.
    let highlights = text.find("Highlights").expect("highlights section");
    let updates = text
        .find("Updates in this period")
        .expect("updates section");
    assert!(highlights < updates);
    let first = &text[highlights..updates];
    let truce = first.find("truce").expect("truce highlight");
    assert!(first[truce..].contains("no agreement"), "{first}");
}

#[test]
fn site_summaries_equal_summary_since() {
    let demo = demo_store();
    let s = slug(FULLFACT);
    let history = demo.store.history(&s).unwrap();
    let documents: Vec<_> = history
        .iter()
        .map(|v| demo.store.document(&s, v).unwrap())
        .collect();
    for base in 0..history.len() {
        for head in base..history.len() {
            let fast =
                redline::summary::summarize(&s, &history[base..=head], &documents[base..=head])
                    .unwrap();
            let window = demo
                .store
                .window(
                    &s,
                    &VersionRef::Number(base + 1),
                    Some(&VersionRef::Number(head + 1)),
                )
                .unwrap();
            let since = summary::since(&window, &Default::default()).unwrap();
            assert_eq!(
                serde_json::to_value(&fast).unwrap(),
                serde_json::to_value(&since).unwrap(),
                "v{}..v{}",
                base + 1,
                head + 1
            );
        }
    }
}

/// Every relative `href` in every page points at a file the build wrote.
fn assert_relative_links_resolve(out: &Path) {
    let mut checked = 0;
    for page in files_with_extension(out, "html") {
        let html = std::fs::read_to_string(&page).unwrap();
        for href in html
            .split("href=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
        {
            if href.starts_with("http://") || href.starts_with("https://") || href.starts_with('#')
            {
                continue;
            }
            assert!(
                !href.starts_with('/'),
                "{}: absolute link {href}",
                page.display()
            );
            let target = page.parent().unwrap().join(href.split('#').next().unwrap());
            assert!(target.is_file(), "{}: broken link {href}", page.display());
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} links checked");
}

#[test]
fn demo_site_has_every_page_and_working_relative_links() {
    let demo = demo_store();
    let out = demo.dir.path().join("site");
    let report = site::build(&demo.store, &out, false, 2).unwrap();
    assert_eq!(report.explainers, 2);
    let ff = out.join(FULLFACT);
    for page in [
        "index.html",
        "changes.html",
        "feed.xml",
        "diff/v2.html",
        "diff/v3.html",
        "diff/v4.html",
        "since/2025-02-25.html",
        "since/2025-03-01.html",
        "since/2025-03-04.html",
        "track-changes/2025-03-01.html",
    ] {
        assert!(ff.join(page).is_file(), "missing {page}");
    }
    assert!(out.join("index.html").is_file() && out.join("feed.xml").is_file());
    assert_eq!(report.pages, files_with_extension(&out, "html").len());
    assert_relative_links_resolve(&out);

    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("Ukraine peace talks explained"));
    assert!(index.contains("4 versions"));
    let page = std::fs::read_to_string(ff.join("index.html")).unwrap();
    assert!(page
        .contains("Last updated <time datetime=\"2025-03-04T16:00:00+00:00\">4 March 2025</time>"));
    assert!(page.contains("href=\"changes.html\">see all updates</a>"));
    // The box answers "since 4 March" exactly as since/2025-03-04.html and
    // `redline since … 2025-03-04` do: the version current at the start of
    // that day (v3, 1 March) up to the newest (v4).
    assert!(
        page.contains("<h2>What changed since 4 March 2025</h2>"),
        "box: since the day of the latest major update"
    );
    assert!(page.contains("Compared with the version of <time datetime=\"2025-03-01T12:00:00+00:00\">1 March 2025</time> (v3), up to <time datetime=\"2025-03-04T16:00:00+00:00\">4 March 2025</time> (v4)"), "{page}");
    assert!(page.contains("href=\"since/2025-03-04.html\""));
    let since_page = std::fs::read_to_string(ff.join("since/2025-03-04.html")).unwrap();
    assert!(
        since_page.contains("compared with the version of <time datetime=\"2025-03-01T12:00:00+00:00\">1 March 2025</time> (v3), up to <time datetime=\"2025-03-04T16:00:00+00:00\">4 March 2025</time> (v4)"),
        "{since_page}"
    );
    // Track changes: rendered Markdown, each replacement spelt out in its paragraph.
    let track = std::fs::read_to_string(ff.join("track-changes/2025-03-01.html")).unwrap();
    let track = scraper::Html::parse_document(&track);
    let select = |css| scraper::Selector::parse(css).unwrap();
    let text = |e: scraper::ElementRef<'_>| e.text().collect::<String>();
    let headings: Vec<_> = track.select(&select(".track h2")).map(text).collect();
    assert!(
        headings
            .iter()
            .any(|h| h == "What talks have taken place and who is involved?"),
        "{headings:?}"
    );
    let updated = track
        .select(&select(".track > p"))
        .map(text)
        .find(|p| p.contains("last updated at"))
        .unwrap();
    assert!(
        updated.contains(
            "at deleted: 3pm inserted: 4pm on Tuesday deleted: 25 February inserted: 4 March and"
        ),
        "{updated}"
    );
    assert_eq!(
        track.select(&select(".track > ins, .track > del")).count(),
        0
    );
    assert!(track.select(&select(".track ins")).count() > 0);
    assert!(!page.contains("<script"), "the site needs no JavaScript");
}

#[test]
fn atom_feeds_parse_and_list_major_updates() {
    let demo = demo_store();
    let out = demo.dir.path().join("site");
    site::build(&demo.store, &out, false, 2).unwrap();
    let s = slug(FULLFACT);
    let history = demo.store.history(&s).unwrap();
    let majors: Vec<_> = history
        .iter()
        .filter(|v| v.kind == UpdateKind::Major)
        .collect();

    let bytes = std::fs::read(out.join(FULLFACT).join("feed.xml")).unwrap();
    let feed = feed_rs::parser::parse(bytes.as_slice()).unwrap();
    assert_eq!(feed.entries.len(), majors.len());
    for version in &majors {
        let entry = feed
            .entries
            .iter()
            .find(|e| e.updated.map(|t| t.timestamp()) == Some(version.updated.timestamp()))
            .unwrap_or_else(|| panic!("no entry for {}", version.label()));
        let title = entry.title.as_ref().unwrap().content.as_str();
        assert!(title.contains("Ukraine peace talks explained"), "{title}");
        assert!(
            title.contains(&version.updated.format("%-d %B %Y").to_string()),
            "{title}"
        );
        assert_eq!(entry.summary.as_ref().unwrap().content, version.note);
        assert_eq!(
            entry.authors[0].name.as_deref(),
            Some(version.editor.as_str())
        );
    }
    // Newest first; the newest entry carries the truce highlight.
    let newest = &feed.entries[0];
    let content = newest
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap();
    assert!(content.contains("no agreement"), "{content}");

    let bytes = std::fs::read(out.join("feed.xml")).unwrap();
    let site_feed = feed_rs::parser::parse(bytes.as_slice()).unwrap();
    let total: usize = demo
        .store
        .explainers()
        .unwrap()
        .iter()
        .map(|e| {
            demo.store
                .history(&e.slug)
                .unwrap()
                .iter()
                .filter(|v| v.kind == UpdateKind::Major)
                .count()
        })
        .sum();
    assert_eq!(site_feed.entries.len(), total);
    let ids: BTreeSet<_> = site_feed.entries.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids.len(), total, "entry ids are unique");
}

const SCRIPT: &str = "<script>alert(1)</script>";

#[test]
fn hostile_text_shows_as_text_in_every_page_and_feed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("store.git")).unwrap();
    let s = slug("hostile");
    let meta = DocumentMeta {
        title: format!("Title {SCRIPT}"),
        ..DocumentMeta::default()
    };
    let versions = [
        ("2025-03-01T10:00:00Z", "Intro paragraph.\n\n## Section\n\nFirst sentence here.\n"),
        (
            "2025-03-02T10:00:00Z",
            "Intro paragraph.\n\n## Section\n\nFirst sentence here. Mr Smith said \"<script>alert(1)</script>\" today.\n\n<script>alert(1)</script>\n",
        ),
    ];
    for (when, body) in versions {
        let request = UpdateRequest {
            // git refuses '<' and '>' in author names; '&' and '"' still need escaping.
            editor: "Editor \"Co\" & Sons".to_string(),
            updated: DateTime::parse_from_rfc3339(when).unwrap(),
            note: format!("Note {SCRIPT}"),
            kind: UpdateKind::Major,
            expect: None,
        };
        store
            .commit(&s, &Document::new(meta.clone(), body.to_string()), &request)
            .unwrap();
    }
    let out = dir.path().join("site");
    site::build(&store, &out, false, 2).unwrap();
    let mut pages = files_with_extension(&out, "html");
    pages.extend(files_with_extension(&out, "xml"));
    assert!(pages.len() >= 8, "{pages:?}");
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        assert!(
            !text.contains("<script"),
            "raw script tag in {}",
            page.display()
        );
    }
    let escaped = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    let body = escaped("hostile/index.html");
    assert!(
        body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "body text: {body}"
    );
    assert!(body.contains("Title &#60;script&#62;"), "title");
    for page in [
        "hostile/changes.html",
        "hostile/diff/v2.html",
        "hostile/since/2025-03-02.html",
    ] {
        assert!(
            escaped(page).contains("Note &#60;script&#62;alert(1)&#60;/script&#62;"),
            "note in {page}"
        );
    }
    let changes = escaped("hostile/changes.html");
    assert!(
        changes.contains("Editor &#34;Co&#34; &#38; Sons"),
        "editor: {}",
        main_of(&changes)
    );
    let feed_text = escaped("hostile/feed.xml");
    assert!(
        feed_text.contains("Note &#60;script&#62;alert(1)&#60;/script&#62;"),
        "note in the feed summary"
    );
    let feed = feed_rs::parser::parse(feed_text.as_bytes()).unwrap();
    let entry = &feed.entries[0];
    assert_eq!(
        entry.summary.as_ref().unwrap().content,
        format!("Note {SCRIPT}"),
        "the feed reader sees text"
    );
    let html = entry.content.as_ref().and_then(|c| c.body.clone()).unwrap();
    assert!(
        !html.contains("<script"),
        "entry HTML escapes the note: {html}"
    );
}

// ---------------------------------------------------------------------------
// Real browser: one headless Chromium session (through the shared ChromeDriver)
// loads every page, rather than one Chromium process per page and width.

#[test]
fn site_in_headless_chromium() {
    let demo = demo_store();
    let out = demo.dir.path().join("site");
    site::build(&demo.store, &out, false, 2).unwrap();
    let ff = out.join(FULLFACT);
    let url = |page: &Path| format!("file://{}", page.display());
    let browser = Browser::desktop(
        &demo.dir.path().join("chromium-profile"),
        &[
            "--hide-scrollbars",
            // The overflow harness below reads its iframe's document.
            "--allow-file-access-from-files",
        ],
    );

    // The first highlight a reader sees since 1 March is the truce claim and its denial.
    browser.go(&url(&ff.join("since/2025-03-01.html")));
    let dom = browser.dom();
    let first = dom
        .find("class=\"highlight ")
        .expect("a highlight in the DOM");
    let end = dom[first..].find("</li>").map_or(dom.len(), |e| first + e);
    let highlight = &dom[first..end];
    assert!(
        highlight.contains("truce") && highlight.contains("no agreement"),
        "{highlight}"
    );

    // The changelog lists every version.
    browser.go(&url(&ff.join("changes.html")));
    let dom = browser.dom();
    let history = demo.store.history(&slug(FULLFACT)).unwrap();
    assert_eq!(dom.matches("<li class=\"version\"").count(), history.len());
    for version in &history {
        assert!(
            dom.contains(&version.updated.format("%-d %B %Y").to_string()),
            "{}",
            version.label()
        );
    }

    // No horizontal overflow at phone width: a test-only harness page measures
    // each page in a 390 px iframe (the site itself has no JavaScript).
    for (n, page) in [
        "index.html",
        "changes.html",
        "since/2025-03-01.html",
        "track-changes/2025-03-01.html",
        "diff/v4.html",
    ]
    .into_iter()
    .enumerate()
    {
        let harness = demo.dir.path().join(format!("overflow-{n}.html"));
        std::fs::write(
            &harness,
            format!(
                r#"<!DOCTYPE html><html><body><iframe id="f" style="width:390px;height:800px;border:0" src="{}"></iframe>
<script>document.getElementById('f').addEventListener('load', function () {{
  var d = this.contentDocument.documentElement;
  document.body.setAttribute('data-overflow', d.scrollWidth > d.clientWidth ? 'yes:' + d.scrollWidth : 'no');
}});</script></body></html>"#,
                url(&ff.join(page))
            ),
        )
        .unwrap();
        browser.go(&url(&harness));
        // Waits (up to the implicit timeout) for the iframe's load handler.
        browser.find("body[data-overflow]");
        let dom = browser.dom();
        assert!(
            dom.contains("data-overflow=\"no\""),
            "{page} overflows at 390 px: {dom}"
        );
    }

    // Screenshots at phone and desktop widths, kept for people to look at.
    let shots = repo_path("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for width in [390, 1280] {
        browser.set_viewport(width, 2000);
        for (name, page) in [
            ("since", "since/2025-03-01.html"),
            ("explainer", "index.html"),
            ("track-changes", "track-changes/2025-03-01.html"),
            ("changes", "changes.html"),
            ("diff", "diff/v4.html"),
        ] {
            let file = shots.join(format!("{name}-{width}.png"));
            let _ = std::fs::remove_file(&file);
            browser.go(&url(&ff.join(page)));
            std::fs::write(&file, browser.screenshot_png()).unwrap();
            let png = std::fs::read(&file).unwrap();
            assert!(
                png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
                "{}",
                file.display()
            );
        }
    }
}

#[test]
fn stylesheet_keeps_pages_within_a_phone_screen() {
    let css = std::fs::read_to_string(repo_path("templates/style.css")).unwrap();
    for rule in [
        "max-width: 44rem",
        "overflow-wrap: anywhere",
        "max-width: 100%",
    ] {
        assert!(css.contains(rule), "style.css lacks {rule}");
    }
    let page = render::diff_html(
        &Default::default(),
        &DiffHeader {
            title: "t".into(),
            old: render::DiffSide::file("a.md"),
            new: render::DiffSide::file("b.md"),
        },
    )
    .unwrap();
    assert!(page.contains("name=\"viewport\" content=\"width=device-width, initial-scale=1\""));
    assert!(
        page.contains("overflow-wrap: anywhere"),
        "the stylesheet is inlined"
    );
}
