//! `redline serve` end to end: the real binary listening on 127.0.0.1 (port 0,
//! the bound address read from its stderr), a real HTTP client (reqwest) and
//! real temporary stores. Covers every route and status, byte-identity with
//! `redline build`, concurrent writers, a mirror, and `kill -9` during writes.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use reqwest::header;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::{bin, files_under as files};

pub(crate) const FULLFACT: &str = "fullfact-ukraine-peace-talks";

/// A running `redline serve`, killed when dropped.
pub(crate) struct Server {
    child: Child,
    base: String,
    /// Everything the server wrote on stderr so far.
    log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    pub(crate) fn start(store: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(bin())
            .arg("--store")
            .arg(store)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .env("REDLINE_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let logging = std::sync::Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(address) = line.strip_prefix("redline: serving ") {
                    let _ = tx.send(address.to_string());
                }
                let mut log = logging.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let base = rx
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|e| {
                panic!(
                    "the server did not say where it listens ({e}): {}",
                    log.lock().unwrap()
                )
            });
        Server { child, base, log }
    }

    /// What the server logged so far.
    pub(crate) fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn new_client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn redline(args: &[&str]) -> std::process::Output {
    let out = Command::new(bin()).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "redline {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A demo store in a temporary folder.
pub(crate) fn demo(dir: &Path) -> PathBuf {
    let store = dir.join("store.git");
    redline(&["--store", store.to_str().unwrap(), "demo"]);
    store
}

/// A new token: `redline token add` prints it alone on its last line.
pub(crate) fn token(tokens: &Path, name: &str, role: &str) -> String {
    let out = redline(&[
        "token",
        "add",
        name,
        "--role",
        role,
        "--tokens",
        tokens.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let token = stdout.lines().last().unwrap().to_string();
    assert!(token.starts_with("rl_"), "{stdout}");
    assert!(!std::fs::read_to_string(tokens).unwrap().contains(&token));
    token
}

/// A new store `name` in `dir`, and beside it a tokens file with an editor
/// token for Jane Doe: what most write tests start from.
fn store_with_editor(dir: &Path, name: &str) -> (PathBuf, PathBuf, String) {
    let store = dir.join(name);
    redline(&["--store", store.to_str().unwrap(), "init"]);
    let tokens = dir.join("tokens.toml");
    let jane = token(&tokens, "Jane Doe", "editor");
    (store, tokens, jane)
}

fn markdown(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n\n{body}\n")
}

fn etag_of(client: &Client, server: &Server, slug: &str) -> String {
    let r = client
        .get(server.url(&format!("/api/explainers/{slug}")))
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.headers()[header::ETAG].to_str().unwrap().to_string()
}

fn put(
    client: &Client,
    server: &Server,
    slug: &str,
    token: Option<&str>,
    if_match: Option<&str>,
    body: &Value,
) -> reqwest::blocking::Response {
    let mut request = client
        .put(server.url(&format!("/api/explainers/{slug}")))
        .json(body);
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    if let Some(m) = if_match {
        request = request.header(header::IF_MATCH, m);
    }
    request.send().unwrap()
}

pub(crate) fn versions(client: &Client, server: &Server, slug: &str) -> Vec<Value> {
    let r = client
        .get(server.url(&format!("/api/explainers/{slug}/versions")))
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json::<Vec<Value>>().unwrap()
}

/// The explainer's versions, or `None` when it does not exist (404).
fn versions_or_none(client: &Client, server: &Server, slug: &str) -> Option<Vec<Value>> {
    let r = client
        .get(server.url(&format!("/api/explainers/{slug}/versions")))
        .send()
        .unwrap();
    if r.status() == StatusCode::NOT_FOUND {
        return None;
    }
    Some(r.json().unwrap())
}

#[test]
fn served_pages_equal_the_static_export_and_revalidate() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let out = dir.path().join("site");
    redline(&[
        "--store",
        store.to_str().unwrap(),
        "build",
        "--out",
        out.to_str().unwrap(),
    ]);
    let server = Server::start(&store, &[]);
    let client = new_client();

    let mut served = 0;
    for file in files(&out) {
        let relative = file
            .strip_prefix(&out)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        if relative.starts_with(".redline") || relative.ends_with(".css") {
            continue;
        }
        let r = client
            .get(server.url(&format!("/{relative}")))
            .send()
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{relative}");
        let etag = r.headers()[header::ETAG].to_str().unwrap().to_string();
        let cache = r.headers()[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .to_string();
        let is_diff = relative.contains("/diff/");
        assert_eq!(cache.contains("immutable"), is_diff, "{relative}: {cache}");
        let bytes = r.bytes().unwrap();
        assert_eq!(
            bytes.as_ref(),
            std::fs::read(&file).unwrap().as_slice(),
            "{relative}"
        );
        let again = client
            .get(server.url(&format!("/{relative}")))
            .header(header::IF_NONE_MATCH, &etag)
            .send()
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{relative}");
        served += 1;
    }
    assert!(served > 10, "only {served} pages compared");

    // Folder URLs, the redirect to them, and pages that do not exist.
    let root = client.get(server.url("/")).send().unwrap();
    assert_eq!(
        root.bytes().unwrap().as_ref(),
        std::fs::read(out.join("index.html")).unwrap().as_slice()
    );
    let page = client
        .get(server.url(&format!("/{FULLFACT}/")))
        .send()
        .unwrap();
    assert_eq!(
        page.bytes().unwrap().as_ref(),
        std::fs::read(out.join(FULLFACT).join("index.html"))
            .unwrap()
            .as_slice()
    );
    let redirect = client
        .get(server.url(&format!("/{FULLFACT}")))
        .send()
        .unwrap();
    assert_eq!(redirect.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        redirect.headers()[header::LOCATION],
        format!("/{FULLFACT}/").as_str()
    );
    for missing in [
        "/nope/".to_string(),
        format!("/{FULLFACT}/diff/v99.html"),
        format!("/{FULLFACT}/diff/v1.html"),
        format!("/{FULLFACT}/since/1999-01-01.html"),
        "/../../etc/passwd".to_string(),
        "/x/y/z/w".to_string(),
    ] {
        let r = client.get(server.url(&missing)).send().unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{missing}");
    }
    let feed = client.get(server.url("/feed.xml")).send().unwrap();
    assert!(feed.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));

    // Any window, as a page.
    let window = client
        .get(server.url(&format!("/{FULLFACT}/since?when=2025-03-02&until=v4")))
        .send()
        .unwrap();
    assert_eq!(window.status(), StatusCode::OK);
    let html = window.text().unwrap();
    assert!(html.contains("<html"), "{html}");
    let no_when = client
        .get(server.url(&format!("/{FULLFACT}/since")))
        .send()
        .unwrap();
    assert_eq!(no_when.status(), StatusCode::BAD_REQUEST);
    let health = client.get(server.url("/healthz")).send().unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let health: Value = health.json().unwrap();
    assert_eq!(health["writable"], json!(false));
}

/// A window's summary page (`/<slug>/since?when=vN`) links the track-changes
/// view of the same window (from vN, not from the version current at the
/// start of vN's day), and that view links back to it.
#[test]
fn a_window_page_links_the_track_changes_of_the_same_window() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let server = Server::start(&store, &[]);
    let client = new_client();
    let link = |html: &str, text: &str| -> String {
        let doc = scraper::Html::parse_document(html);
        let a = scraper::Selector::parse("a").unwrap();
        doc.select(&a)
            .find(|e| e.text().collect::<String>() == text)
            .and_then(|e| e.value().attr("href"))
            .unwrap_or_else(|| panic!("no link {text:?}: {html}"))
            .to_string()
    };
    let count = versions(&client, &server, FULLFACT).len();
    for n in 1..count {
        let page_url =
            reqwest::Url::parse(&server.url(&format!("/{FULLFACT}/since?when=v{n}"))).unwrap();
        let summary = client.get(page_url.clone()).send().unwrap();
        assert_eq!(summary.status(), StatusCode::OK);
        let summary = summary.text().unwrap();
        let marked_url = page_url
            .join(&link(&summary, "See every change marked in the text"))
            .unwrap();
        let marked = client.get(marked_url.clone()).send().unwrap();
        assert_eq!(marked.status(), StatusCode::OK, "{marked_url}");
        let marked = marked.text().unwrap();
        let lede = format!("(v{n}) up to");
        assert!(
            marked.contains(&lede),
            "{marked_url} is not from v{n}: {marked}"
        );
        assert!(
            marked.contains(&format!("(v{count}), marked in the text")),
            "{marked}"
        );
        // And back to the same window's summary.
        let back = marked_url
            .join(&link(&marked, "Summary of these changes"))
            .unwrap();
        let back = client.get(back).send().unwrap();
        assert_eq!(back.status(), StatusCode::OK);
        let back = back.text().unwrap();
        assert!(back.contains(&format!("(v{n}) up to")), "{back}");
        // Its relative links resolve under the explainer.
        let all = marked_url.join(&link(&marked, "All updates")).unwrap();
        assert_eq!(all.path(), format!("/{FULLFACT}/changes.html"));
    }
}

/// The service computes `since` from inputs it reads once per store tip; what
/// it answers is exactly what `redline since --format json` says, for any window.
#[test]
fn since_json_equals_the_cli_for_any_window() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let server = Server::start(&store, &[]);
    let client = new_client();
    for (when, until) in [
        ("v1", None),
        ("v2", Some("v3")),
        ("2025-03-02", None),
        ("2000-01-01", Some("v2")),
        ("v3", Some("v3")),
    ] {
        let mut url = format!("/api/explainers/{FULLFACT}/since?when={when}");
        let mut args = vec![
            "--store",
            store.to_str().unwrap(),
            "since",
            FULLFACT,
            when,
            "--format",
            "json",
        ];
        if let Some(u) = until {
            url.push_str(&format!("&until={u}"));
            args.extend(["--until", u]);
        }
        // Twice: the second answer comes from the inputs already read.
        for _ in 0..2 {
            let served: Value = client.get(server.url(&url)).send().unwrap().json().unwrap();
            let cli: Value = serde_json::from_slice(&redline(&args).stdout).unwrap();
            assert_eq!(served, cli, "{url}");
        }
    }
}

#[test]
fn feeds_link_absolutely_under_the_base_url() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let server = Server::start(
        &store,
        &["--base-url", "https://news.example.org/explainers/"],
    );
    let client = new_client();
    for path in ["/feed.xml".to_string(), format!("/{FULLFACT}/feed.xml")] {
        let bytes = client
            .get(server.url(&path))
            .send()
            .unwrap()
            .bytes()
            .unwrap();
        let feed = feed_rs::parser::parse(bytes.as_ref()).unwrap();
        assert!(!feed.entries.is_empty(), "{path}");
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        assert!(text.contains("<id>tag:news.example.org,20"), "{text}");
        for entry in &feed.entries {
            let href = &entry.links[0].href;
            assert!(
                href.starts_with("https://news.example.org/explainers/"),
                "{href}"
            );
        }
    }
}

#[test]
fn json_api_reads_explainers_versions_diffs_and_summaries() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let server = Server::start(&store, &[]);
    let client = new_client();
    let get = |path: &str| client.get(server.url(path)).send().unwrap();

    let list = get("/api/explainers");
    assert_eq!(list.headers()[header::CONTENT_TYPE], "application/json");
    let list: Vec<Value> = list.json().unwrap();
    assert!(list.iter().any(|e| e["slug"] == FULLFACT));

    let one = get(&format!("/api/explainers/{FULLFACT}"));
    let etag = one.headers()[header::ETAG].to_str().unwrap().to_string();
    let one: Value = one.json().unwrap();
    assert_eq!(
        etag,
        format!("\"{}\"", one["version"]["id"].as_str().unwrap())
    );
    assert_eq!(one["latest"], json!(true));
    assert!(one["text"].as_str().unwrap().starts_with("+++"));

    let history: Vec<Value> = get(&format!("/api/explainers/{FULLFACT}/versions"))
        .json()
        .unwrap();
    assert_eq!(history.len(), 4);
    let v1_id = history[0]["id"].as_str().unwrap();
    for reference in ["v1", &v1_id[..10], "2025-02-20T00:00:00Z"] {
        let v: Value = get(&format!("/api/explainers/{FULLFACT}/versions/{reference}"))
            .json()
            .unwrap();
        assert_eq!(v["version"]["number"], json!(1), "{reference}");
        assert_eq!(v["latest"], json!(false));
    }
    let latest: Value = get(&format!("/api/explainers/{FULLFACT}/versions/latest"))
        .json()
        .unwrap();
    assert_eq!(latest["version"]["number"], json!(4));

    let diff: Value = get(&format!("/api/explainers/{FULLFACT}/diff?from=v1&to=v4"))
        .json()
        .unwrap();
    assert!(
        diff.get("changes").is_some() || diff.get("sections").is_some(),
        "{diff}"
    );
    let since = get(&format!(
        "/api/explainers/{FULLFACT}/since?when=v1&until=v3"
    ));
    assert_eq!(since.status(), StatusCode::OK);
    let since: Value = since.json().unwrap();
    assert_eq!(since["base"]["number"], json!(1));
    assert_eq!(since["head"]["number"], json!(3));

    let blame = get(&format!("/api/explainers/{FULLFACT}/blame?at=v2"));
    assert_eq!(blame.status(), StatusCode::OK);
    let blame: Value = blame.json().unwrap();
    assert!(blame.to_string().contains("\"number\":2"), "{blame}");
    let history = get(&format!(
        "/api/explainers/{FULLFACT}/history?text=Zelenskyy"
    ));
    assert_eq!(history.status(), StatusCode::OK);
    assert!(history.text().unwrap().contains("Zelenskyy"));

    // Errors: problem documents with the CLI's message.
    for (path, status) in [
        (
            format!("/api/explainers/{FULLFACT}/versions/v99"),
            StatusCode::NOT_FOUND,
        ),
        ("/api/explainers/nope".to_string(), StatusCode::NOT_FOUND),
        (
            "/api/explainers/Not_A_Slug".to_string(),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/api/explainers/{FULLFACT}/versions/yesterday"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/explainers/{FULLFACT}/diff?from=v1"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/explainers/{FULLFACT}/since"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/explainers/{FULLFACT}/history"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/explainers/{FULLFACT}/blame?at=v9"),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/api/explainers/{FULLFACT}/since?when=v3&until=v1"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let r = get(&path);
        assert_eq!(r.status(), status, "{path}");
        assert_eq!(
            r.headers()[header::CONTENT_TYPE],
            "application/problem+json",
            "{path}"
        );
        let problem: Value = r.json().unwrap();
        assert_eq!(problem["status"], json!(status.as_u16()));
        assert!(!problem["detail"].as_str().unwrap().is_empty());
    }
    let v99: Value = get(&format!("/api/explainers/{FULLFACT}/versions/v99"))
        .json()
        .unwrap();
    assert_eq!(
        v99["detail"],
        json!(format!(
            "{FULLFACT} has 4 versions (v1–v4); there is no v99"
        ))
    );
}

#[test]
fn editors_write_with_if_match_and_every_refusal_has_its_status() {
    let dir = tempfile::tempdir().unwrap();
    let (store, tokens, jane) = store_with_editor(dir.path(), "store.git");
    let rita = token(&tokens, "Rita Reader", "reader");
    let server = Server::start(&store, &["--tokens", tokens.to_str().unwrap()]);
    let client = new_client();
    let slug = "rates";
    let first = json!({"text": markdown("Rates", "The rate is 4%."), "note": "First version", "kind": "major"});

    // 401 without or with a wrong token; 403 for a reader.
    assert_eq!(
        put(&client, &server, slug, None, None, &first).status(),
        StatusCode::UNAUTHORIZED
    );
    let wrong = format!("{}x", &jane[..jane.len() - 1]);
    assert_eq!(
        put(&client, &server, slug, Some(&wrong), None, &first).status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        put(&client, &server, slug, Some(&rita), None, &first).status(),
        StatusCode::FORBIDDEN
    );

    // 400 malformed body, 422 refused content (the CLI's message), 413 too big.
    let r = client
        .put(server.url("/api/explainers/rates"))
        .bearer_auth(&jane)
        .body("{not json")
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let no_note = json!({"text": markdown("Rates", "The rate is 4%."), "kind": "major"});
    let r = put(&client, &server, slug, Some(&jane), None, &no_note);
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().unwrap();
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("a major update needs a change note"));
    let huge = json!({"text": "a".repeat(5 * 1024 * 1024 + 10), "note": "x"});
    assert_eq!(
        put(&client, &server, slug, Some(&jane), None, &huge).status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let empty = json!({"text": "", "note": "x"});
    assert_eq!(
        put(&client, &server, slug, Some(&jane), None, &empty).status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        client
            .get(server.url("/api/explainers/rates"))
            .send()
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    // If-Match on an explainer that does not exist: 412, nothing written.
    let r = put(
        &client,
        &server,
        slug,
        Some(&jane),
        Some("\"abcdef0\""),
        &first,
    );
    assert_eq!(r.status(), StatusCode::PRECONDITION_FAILED);
    assert!(versions_or_none(&client, &server, slug).is_none());

    // 201 for a new explainer, with Location and ETag; the token's owner is the author.
    let r = put(&client, &server, slug, Some(&jane), None, &first);
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(
        r.headers()[header::LOCATION],
        "/api/explainers/rates/versions/v1"
    );
    let v1 = r.headers()[header::ETAG].to_str().unwrap().to_string();
    assert_eq!(v1, etag_of(&client, &server, slug));
    let log = Command::new("git")
        .args([
            "--git-dir",
            store.to_str().unwrap(),
            "log",
            "-1",
            "--format=%an",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&log.stdout).trim(), "Jane Doe");

    // 409: created twice; 428: no If-Match on an existing explainer.
    let r = client
        .put(server.url("/api/explainers/rates"))
        .bearer_auth(&jane)
        .header(header::IF_NONE_MATCH, "*")
        .json(&first)
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        put(&client, &server, slug, Some(&jane), None, &first).status(),
        StatusCode::PRECONDITION_REQUIRED
    );
    let bad_match = put(&client, &server, slug, Some(&jane), Some("v1"), &first);
    assert_eq!(bad_match.status(), StatusCode::BAD_REQUEST);

    // 200: no change.
    let r = put(&client, &server, slug, Some(&jane), Some(&v1), &first);
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().unwrap()["status"], json!("no change"));

    // Preview writes nothing and tells what readers would be told.
    let second = json!({"text": markdown("Rates", "The rate is 5%."), "note": "Rate <script>alert(1)</script> raised", "kind": "major"});
    let r = client
        .post(server.url("/api/preview/rates"))
        .bearer_auth(&jane)
        .json(&second)
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let preview: Value = r.json().unwrap();
    assert!(
        preview["highlights"].to_string().contains("5%"),
        "{preview}"
    );
    assert_eq!(versions(&client, &server, slug).len(), 1);

    let r = put(&client, &server, slug, Some(&jane), Some(&v1), &second);
    assert_eq!(r.status(), StatusCode::CREATED);
    let v2 = r.headers()[header::ETAG].to_str().unwrap().to_string();

    // 412: a stale If-Match, with the newer version and the diff from the base; nothing written.
    let third =
        json!({"text": markdown("Rates", "The rate is 6%."), "note": "Another", "kind": "major"});
    let r = put(&client, &server, slug, Some(&jane), Some(&v1), &third);
    assert_eq!(r.status(), StatusCode::PRECONDITION_FAILED);
    let problem: Value = r.json().unwrap();
    assert_eq!(
        format!("\"{}\"", problem["newer"]["id"].as_str().unwrap()),
        v2
    );
    assert_eq!(problem["newer"]["editor"], json!("Jane Doe"));
    assert_eq!(problem["base"]["number"], json!(1));
    assert!(problem["changes"].to_string().contains("5%"), "{problem}");
    assert_eq!(versions(&client, &server, slug).len(), 2);

    // The note is text on every page, never markup.
    std::thread::sleep(Duration::from_millis(50));
    for page in ["/rates/changes.html", "/rates/diff/v2.html", "/rates/"] {
        let html = client.get(server.url(page)).send().unwrap().text().unwrap();
        assert!(!html.contains("<script>alert"), "{page}");
        if page != "/rates/" {
            // Escaped (askama writes `&#60;script&#62;`), so shown as text.
            assert!(
                html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
                "{page}: {html}"
            );
        }
    }

    // A read-only server refuses writes even with a good token.
    drop(server);
    let read_only = Server::start(
        &store,
        &["--tokens", tokens.to_str().unwrap(), "--read-only"],
    );
    assert_eq!(
        put(&client, &read_only, slug, Some(&jane), Some(&v2), &third).status(),
        StatusCode::FORBIDDEN
    );
}

#[test]
fn eight_clients_writing_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (store, tokens, jane) = store_with_editor(dir.path(), "store.git");
    let server = Server::start(&store, &["--tokens", tokens.to_str().unwrap()]);
    let client = new_client();
    let r = put(
        &client,
        &server,
        "race",
        Some(&jane),
        None,
        &json!({"text": markdown("Race", "Start."), "note": "v1"}),
    );
    assert_eq!(r.status(), StatusCode::CREATED);

    let results: Vec<(Vec<String>, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|writer| {
                let (server, jane) = (&server, &jane);
                scope.spawn(move || {
                    let client = new_client();
                    let mut written = Vec::new();
                    let mut stale = 0;
                    for i in 0..50 {
                        let etag = etag_of(&client, server, "race");
                        let body = json!({
                            "text": markdown("Race", &format!("Writer {writer} wrote {i}.")),
                            "note": format!("writer {writer} update {i}"),
                            "kind": "minor",
                        });
                        let r = put(&client, server, "race", Some(jane), Some(&etag), &body);
                        match r.status() {
                            StatusCode::CREATED => written.push(
                                r.headers()[header::ETAG]
                                    .to_str()
                                    .unwrap()
                                    .trim_matches('"')
                                    .to_string(),
                            ),
                            StatusCode::PRECONDITION_FAILED => stale += 1,
                            other => panic!("unexpected {other}: {}", r.text().unwrap()),
                        }
                    }
                    (written, stale)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let written: Vec<String> = results.iter().flat_map(|(w, _)| w.clone()).collect();
    let stale: usize = results.iter().map(|(_, s)| s).sum();
    assert_eq!(written.len() + stale, 400);
    assert!(!written.is_empty());
    let history = versions(&client, &server, "race");
    assert_eq!(history.len(), written.len() + 1);
    let ids: BTreeSet<&str> = history.iter().map(|v| v["id"].as_str().unwrap()).collect();
    for id in &written {
        assert!(ids.contains(id.as_str()), "acknowledged {id} missing");
    }
    let fsck = Command::new("git")
        .args(["--git-dir", store.to_str().unwrap(), "fsck", "--strict"])
        .output()
        .unwrap();
    assert!(
        fsck.status.success(),
        "{}",
        String::from_utf8_lossy(&fsck.stderr)
    );
}

/// The create semantics: a `PUT` without `If-Match` on a slug with no version
/// is a creation; of creations racing for one slug, one is stored (201) and
/// every loser is told 409 with the version that won, never 428 (the answer
/// for a `PUT` without `If-Match` on an explainer that existed already).
#[test]
fn two_creations_of_one_slug_store_one_and_the_loser_gets_409() {
    let dir = tempfile::tempdir().unwrap();
    let (store, tokens, jane) = store_with_editor(dir.path(), "store.git");
    let server = Server::start(&store, &["--tokens", tokens.to_str().unwrap()]);
    let client = new_client();
    // The token is checked once (argon2) before the race, so the creations
    // below arrive together.
    assert_eq!(
        put(
            &client,
            &server,
            "warm-up",
            Some(&jane),
            None,
            &json!({"text": markdown("Warm", "Up."), "note": "v1"})
        )
        .status(),
        StatusCode::CREATED
    );
    let mut conflicts = 0;
    for round in 0..4 {
        let slug = format!("created-twice-{round}");
        let barrier = std::sync::Barrier::new(8);
        let answers: Vec<(StatusCode, Option<String>, Value)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|writer| {
                    let (server, jane, slug, barrier) = (&server, &jane, &slug, &barrier);
                    scope.spawn(move || {
                        let client = new_client();
                        let body = json!({
                            "text": markdown("Created twice", &format!("Writer {writer} was first.")),
                            "note": format!("writer {writer} creates it"),
                        });
                        barrier.wait();
                        let r = put(&client, server, slug, Some(jane), None, &body);
                        let etag = r
                            .headers()
                            .get(header::ETAG)
                            .map(|e| e.to_str().unwrap().trim_matches('"').to_string());
                        (r.status(), etag, r.json::<Value>().unwrap())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let winners: Vec<_> = answers
            .iter()
            .filter(|(status, _, _)| *status == StatusCode::CREATED)
            .collect();
        assert_eq!(winners.len(), 1, "{answers:?}");
        let won = winners[0].1.clone().unwrap();
        let history = versions(&client, &server, &slug);
        assert_eq!(history.len(), 1, "{history:?}");
        assert_eq!(history[0]["id"], json!(won));
        for (status, _, body) in &answers {
            match *status {
                StatusCode::CREATED => {}
                // Lost the race: told which version won.
                StatusCode::CONFLICT => {
                    conflicts += 1;
                    assert_eq!(body["newer"]["id"], json!(won), "{body}");
                    assert_eq!(body["newer"]["editor"], json!("Jane Doe"), "{body}");
                    assert!(body["detail"].as_str().unwrap().contains("v1"), "{body}");
                }
                // Arrived after the winner was stored: an update without If-Match.
                StatusCode::PRECONDITION_REQUIRED => {}
                other => panic!("unexpected {other}: {body}"),
            }
        }
    }
    // Eight writers released together: losers that arrived before the winner
    // was stored are answered 409 (with 428 there would be none).
    assert!(conflicts > 0, "no creation lost a race in 4 rounds of 8");
    // Sequentially, a PUT without If-Match on the existing explainer is 428.
    let again = json!({"text": markdown("Created twice", "Later."), "note": "later"});
    assert_eq!(
        put(
            &client,
            &server,
            "created-twice-0",
            Some(&jane),
            None,
            &again
        )
        .status(),
        StatusCode::PRECONDITION_REQUIRED
    );
    // The store refuses a creation itself when the explainer has a version by
    // commit time, so a creation racing another process's commit is refused too.
    drop(server);
    let opened = redline::store::Store::open(&store).unwrap();
    let slug = redline::slug::Slug::new("created-twice-0").unwrap();
    let document = redline::ingest::ingest_bytes(
        Path::new("created-twice-0.md"),
        markdown("Created twice", "Another first.").as_bytes(),
        &redline::ingest::Rules::default(),
    )
    .unwrap()
    .document;
    let request = redline::store::UpdateRequest {
        editor: "Other Process".into(),
        updated: chrono::Utc::now().fixed_offset(),
        note: "another creation".into(),
        kind: redline::model::UpdateKind::Major,
        expect: None,
    };
    match opened.create(&slug, &document, &request) {
        Err(redline::error::Error::Conflict {
            expected: redline::error::ConflictBase::Nothing,
            newer: redline::error::Newest::Version(newer),
            ..
        }) => assert_eq!(newer.number, 1),
        other => panic!("a second creation was not refused: {other:?}"),
    }
    assert_eq!(opened.history(&slug).unwrap().len(), 1);
}

#[test]
fn a_mirror_catches_up_with_the_primary() {
    let dir = tempfile::tempdir().unwrap();
    let (primary_store, tokens, jane) = store_with_editor(dir.path(), "primary.git");
    let primary = Server::start(&primary_store, &["--tokens", tokens.to_str().unwrap()]);
    let client = new_client();
    let r = put(
        &client,
        &primary,
        "mirrored",
        Some(&jane),
        None,
        &json!({"text": markdown("Mirrored", "One."), "note": "v1"}),
    );
    assert_eq!(r.status(), StatusCode::CREATED);

    let mirror_store = dir.path().join("mirror.git");
    let mirror = Server::start(
        &mirror_store,
        &[
            "--read-only",
            "--mirror-of",
            primary_store.to_str().unwrap(),
            "--fetch-interval",
            "200ms",
            "--hook-secret",
            "s3cret",
        ],
    );
    assert_eq!(versions(&client, &mirror, "mirrored").len(), 1);
    let v1 = etag_of(&client, &primary, "mirrored");
    let r = put(
        &client,
        &primary,
        "mirrored",
        Some(&jane),
        Some(&v1),
        &json!({"text": markdown("Mirrored", "Two."), "note": "v2"}),
    );
    assert_eq!(r.status(), StatusCode::CREATED);
    let deadline = Instant::now() + Duration::from_secs(10);
    while versions(&client, &mirror, "mirrored").len() < 2 {
        assert!(Instant::now() < deadline, "the mirror did not catch up");
        std::thread::sleep(Duration::from_millis(100));
    }
    let page = client
        .get(mirror.url("/mirrored/changes.html"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(page.contains("v2"), "{page}");
    // Writes go to the primary; the hook wants its secret.
    assert_eq!(
        put(
            &client,
            &mirror,
            "mirrored",
            Some(&jane),
            None,
            &json!({"text": "x", "note": "x"})
        )
        .status(),
        StatusCode::FORBIDDEN
    );
    let hook = |secret: &str| {
        client
            .post(mirror.url("/hooks/fetch"))
            .header("X-Redline-Secret", secret)
            .send()
            .unwrap()
            .status()
    };
    assert_eq!(hook("wrong"), StatusCode::UNAUTHORIZED);
    assert_eq!(hook("s3cret"), StatusCode::OK);
}

/// A mirror of an ssh primary fetches with the system git, so git's own ssh
/// configuration is used (here the mirror store's `core.sshCommand`: a
/// stand-in for ssh that runs the command git asks for locally, as git's own
/// test suite does). The binary itself has no ssh transport.
#[test]
#[cfg(unix)]
fn a_mirror_fetches_over_ssh_with_gits_own_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let (primary_store, tokens, jane) = store_with_editor(dir.path(), "primary.git");
    let primary = Server::start(&primary_store, &["--tokens", tokens.to_str().unwrap()]);
    let client = new_client();
    let r = put(
        &client,
        &primary,
        "over-ssh",
        Some(&jane),
        None,
        &json!({"text": markdown("Over ssh", "One."), "note": "v1"}),
    );
    assert_eq!(r.status(), StatusCode::CREATED);

    // The stand-in ssh: `ssh HOST COMMAND` runs COMMAND here, and says so.
    let used = dir.path().join("ssh-was-used");
    let fake_ssh = dir.path().join("fake-ssh");
    std::fs::write(
        &fake_ssh,
        format!(
            "#!/bin/sh\ntouch '{}'\nshift\nexec sh -c \"$1\"\n",
            used.display()
        ),
    )
    .unwrap();
    let mirror_store = dir.path().join("mirror.git");
    redline(&["--store", mirror_store.to_str().unwrap(), "init"]);
    // Run by `sh`, not executed: a script just written may still be open in
    // a process another test thread is forking ("text file busy").
    let ssh_command = format!("sh '{}'", fake_ssh.display());
    for (key, value) in [
        ("core.sshCommand", ssh_command.as_str()),
        ("ssh.variant", "simple"),
    ] {
        let status = Command::new("git")
            .args([
                "--git-dir",
                mirror_store.to_str().unwrap(),
                "config",
                key,
                value,
            ])
            .status()
            .unwrap();
        assert!(status.success());
    }
    let url = format!("ssh://primary.invalid{}", primary_store.display());
    let mirror = Server::start(
        &mirror_store,
        &[
            "--read-only",
            "--mirror-of",
            &url,
            "--fetch-interval",
            "60m",
            "--hook-secret",
            "s3cret",
        ],
    );
    assert!(
        used.exists(),
        "the fetch did not go through git's ssh command"
    );
    assert_eq!(versions(&client, &mirror, "over-ssh").len(), 1);
    let v1 = etag_of(&client, &primary, "over-ssh");
    let r = put(
        &client,
        &primary,
        "over-ssh",
        Some(&jane),
        Some(&v1),
        &json!({"text": markdown("Over ssh", "Two."), "note": "v2"}),
    );
    assert_eq!(r.status(), StatusCode::CREATED);
    // The hook fetches at once (the interval is an hour).
    let r = client
        .post(mirror.url("/hooks/fetch"))
        .header("X-Redline-Secret", "s3cret")
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(versions(&client, &mirror, "over-ssh").len(), 2);
    let fsck = Command::new("git")
        .args([
            "--git-dir",
            mirror_store.to_str().unwrap(),
            "fsck",
            "--strict",
        ])
        .output()
        .unwrap();
    assert!(
        fsck.status.success(),
        "{}",
        String::from_utf8_lossy(&fsck.stderr)
    );

    // A primary that cannot be fetched stops the mirror's start with git's reason.
    let out = Command::new(bin())
        .arg("--store")
        .arg(dir.path().join("other-mirror.git"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--read-only",
            "--mirror-of",
        ])
        .arg(dir.path().join("no-such-primary.git"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot fetch from"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[test]
fn acknowledged_writes_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let (store, tokens, jane) = store_with_editor(dir.path(), "store.git");
    let mut acknowledged: Vec<String> = Vec::new();
    let mut first = true;
    for round in 0..10 {
        let mut server = Server::start(&store, &["--tokens", tokens.to_str().unwrap()]);
        let pid = server.child.id().to_string();
        let client = new_client();
        // Killed 250 ms after the round's first acknowledged write (not its
        // first answer: on a loaded machine one write can take longer than
        // 250 ms, and a round that acknowledged nothing would test nothing).
        let (acknowledged_once, first_ack) = std::sync::mpsc::channel::<()>();
        let mut i = 0;
        // Writes run until the kill: the last one may be cut off mid-way.
        let writer = std::thread::scope(|scope| {
            let (server_ref, jane) = (&server, &jane);
            let handle = scope.spawn(move || {
                let mut acked = Vec::new();
                let mut first = first;
                loop {
                    let etag = if first {
                        None
                    } else {
                        match client.get(server_ref.url("/api/explainers/crash")).send() {
                            Ok(r) if r.status() == StatusCode::OK => {
                                Some(r.headers()[header::ETAG].to_str().unwrap().to_string())
                            }
                            _ => return acked,
                        }
                    };
                    let body = json!({"text": markdown("Crash", &format!("Round {round} write {i}.")), "note": "n", "kind": "minor"});
                    let mut request = client.put(server_ref.url("/api/explainers/crash")).bearer_auth(jane).json(&body);
                    if let Some(e) = &etag {
                        request = request.header(header::IF_MATCH, e);
                    }
                    match request.send() {
                        Ok(r) if r.status() == StatusCode::CREATED => {
                            first = false;
                            acked.push(r.headers()[header::ETAG].to_str().unwrap().trim_matches('"').to_string());
                            let _ = acknowledged_once.send(());
                        }
                        Ok(r) if r.status().is_success() || r.status() == StatusCode::PRECONDITION_FAILED => {}
                        _ => return acked,
                    }
                    i += 1;
                }
            });
            let _ = first_ack.recv_timeout(Duration::from_secs(60));
            std::thread::sleep(Duration::from_millis(250));
            // SIGKILL, mid-write or not.
            assert!(Command::new("kill")
                .args(["-KILL", &pid])
                .status()
                .unwrap()
                .success());
            handle.join().unwrap()
        });
        let _ = server.child.wait();
        if !writer.is_empty() {
            first = false;
        }
        acknowledged.extend(writer);
    }
    assert!(
        acknowledged.len() >= 10,
        "only {} writes acknowledged",
        acknowledged.len()
    );
    let server = Server::start(&store, &[]);
    let ids: BTreeSet<String> = versions(&new_client(), &server, "crash")
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect();
    for id in &acknowledged {
        assert!(ids.contains(id), "acknowledged {id} lost");
    }
    let fsck = Command::new("git")
        .args(["--git-dir", store.to_str().unwrap(), "fsck"])
        .output()
        .unwrap();
    assert!(
        fsck.status.success(),
        "{}",
        String::from_utf8_lossy(&fsck.stderr)
    );
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let mut server = Server::start(&store, &[]);
    assert_eq!(
        new_client()
            .get(server.url("/healthz"))
            .send()
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(Instant::now() < deadline, "still running after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One browser-like session of the web editor: cookies kept by hand, forms
/// read with an HTML parser and posted as a browser would (no JavaScript).
struct EditorSession<'a> {
    server: &'a Server,
    client: Client,
    cookie: String,
}

fn form_value(html: &str, name: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let input = scraper::Selector::parse(&format!("input[name=\"{name}\"]")).unwrap();
    let textarea = scraper::Selector::parse(&format!("textarea[name=\"{name}\"]")).unwrap();
    if let Some(e) = doc.select(&input).next() {
        return e.value().attr("value").unwrap_or_default().to_string();
    }
    doc.select(&textarea)
        .next()
        .map(|e| e.text().collect::<String>())
        .unwrap_or_default()
}

/// The sign-in page at `path` and the pre-session cookie it set (`name=value`).
fn sign_in_form(client: &Client, server: &Server, path: &str) -> (String, String) {
    let r = client.get(server.url(path)).send().unwrap();
    let set_cookie = r.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(set_cookie.starts_with("redline_sign_in="), "{set_cookie}");
    for flag in ["HttpOnly", "SameSite=Strict"] {
        assert!(set_cookie.contains(flag), "{set_cookie}");
    }
    let page = r.text().unwrap();
    assert!(page.contains("Sign in to edit"), "{page}");
    assert!(!form_value(&page, "csrf").is_empty(), "{page}");
    (page, set_cookie.split(';').next().unwrap().to_string())
}

impl<'a> EditorSession<'a> {
    fn sign_in(server: &'a Server, token: &str, next: &str) -> EditorSession<'a> {
        let client = new_client();
        let (page, form_cookie) = sign_in_form(&client, server, next);
        let r = client
            .post(server.url("/edit/_sign-in"))
            .header(header::COOKIE, &form_cookie)
            .form(&[
                ("token", token),
                ("next", &form_value(&page, "next")),
                ("csrf", &form_value(&page, "csrf")),
            ])
            .send()
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()[header::LOCATION], next);
        let set_cookie = r
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with("redline_session="))
            .unwrap();
        for flag in ["HttpOnly", "SameSite=Strict"] {
            assert!(set_cookie.contains(flag), "{set_cookie}");
        }
        let cookie = set_cookie.split(';').next().unwrap().to_string();
        EditorSession {
            server,
            client,
            cookie,
        }
    }

    fn get(&self, path: &str) -> String {
        let r = self
            .client
            .get(self.server.url(path))
            .header(header::COOKIE, &self.cookie)
            .send()
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        r.text().unwrap()
    }

    /// Submit the editor form of `page` with `text`, `note` and the button `action`.
    fn submit(
        &self,
        path: &str,
        page: &str,
        text: &str,
        note: &str,
        action: &str,
    ) -> reqwest::blocking::Response {
        self.client
            .post(self.server.url(path))
            .header(header::COOKIE, &self.cookie)
            .form(&[
                ("csrf", form_value(page, "csrf").as_str()),
                ("base", form_value(page, "base").as_str()),
                ("slug", form_value(page, "slug").as_str()),
                ("text", text),
                ("note", note),
                ("kind", "major"),
                ("action", action),
            ])
            .send()
            .unwrap()
    }
}

#[test]
fn web_editor_signs_in_previews_publishes_and_shows_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let tokens = dir.path().join("tokens.toml");
    let ada = token(&tokens, "Ada Editor", "editor");
    let bo = token(&tokens, "Bo Editor", "editor");
    let rita = token(&tokens, "Rita Reader", "reader");
    let server = Server::start(&store, &["--tokens", tokens.to_str().unwrap()]);
    let path = format!("/edit/{FULLFACT}");

    // A reader's token does not sign in.
    let client = new_client();
    let (page, form_cookie) = sign_in_form(&client, &server, &path);
    let r = client
        .post(server.url("/edit/_sign-in"))
        .header(header::COOKIE, &form_cookie)
        .form(&[
            ("token", rita.as_str()),
            ("next", path.as_str()),
            ("csrf", &form_value(&page, "csrf")),
        ])
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let a = EditorSession::sign_in(&server, &ada, &path);
    let b = EditorSession::sign_in(&server, &bo, &path);
    let page_a = a.get(&path);
    let page_b = b.get(&path);
    let newest = form_value(&page_a, "text");
    assert!(newest.starts_with("+++"), "{newest}");
    // Edit the body, not the front matter's title.
    let body_edit = |with: &str| {
        let end = newest.find("\n+++\n").unwrap() + 5;
        let (front, body) = newest.split_at(end);
        format!(
            "{front}{}",
            body.replacen("Ukraine", &format!("Ukraine ({with})"), 1)
        )
    };
    let edited = body_edit("edited by Ada");
    assert_ne!(edited, newest);

    // A forged form is refused.
    let forged = a
        .client
        .post(server.url(&path))
        .header(header::COOKIE, &a.cookie)
        .form(&[("csrf", "forged"), ("text", "x"), ("action", "publish")])
        .send()
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    // Preview: the summary shows the change, nothing is stored.
    let preview = a.submit(&path, &page_a, &edited, "Ada's update", "preview");
    assert_eq!(preview.status(), StatusCode::OK);
    let preview = preview.text().unwrap();
    assert!(preview.contains("What readers will be told"), "{preview}");
    assert!(preview.contains("edited by Ada"), "{preview}");
    assert_eq!(versions(&new_client(), &server, FULLFACT).len(), 4);

    // Publish: redirected to the changelog, which shows it.
    let published = a.submit(&path, &preview, &edited, "Ada's update", "publish");
    assert_eq!(published.status(), StatusCode::SEE_OTHER);
    let changelog = published.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(changelog, format!("/{FULLFACT}/changes.html"));
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let html = new_client()
            .get(server.url(&changelog))
            .send()
            .unwrap()
            .text()
            .unwrap();
        if html.contains("Ada&#39;s update")
            || html.contains("Ada&#x27;s update")
            || html.contains("Ada's update")
        {
            assert!(html.contains("Ada Editor"), "{html}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the changelog does not show the update: {html}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // Bo edited the same version: his publish is refused, Ada's change is
    // shown, and his text is kept.
    let bos_text = body_edit("Bo's words");
    let conflict = b.submit(&path, &page_b, &bos_text, "Bo's update", "publish");
    assert_eq!(conflict.status(), StatusCode::CONFLICT);
    let conflict = conflict.text().unwrap();
    assert!(
        conflict.contains("Someone else published first"),
        "{conflict}"
    );
    assert!(conflict.contains("Ada Editor"), "{conflict}");
    assert!(conflict.contains("edited by Ada"), "{conflict}");
    assert_eq!(form_value(&conflict, "text"), bos_text);
    assert_eq!(versions(&new_client(), &server, FULLFACT).len(), 5);
    // Publishing again from the conflict page puts Bo's text on top of Ada's.
    let again = b.submit(&path, &conflict, &bos_text, "Bo's update", "publish");
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let history = versions(&new_client(), &server, FULLFACT);
    assert_eq!(history.len(), 6);
    assert_eq!(history[5]["editor"], json!("Bo Editor"));

    // A new explainer from /edit/.
    let new_page = a.get("/edit/");
    let r = a
        .client
        .post(server.url("/edit/"))
        .header(header::COOKIE, &a.cookie)
        .form(&[
            ("csrf", form_value(&new_page, "csrf").as_str()),
            ("base", ""),
            ("slug", "brand-new"),
            ("text", &markdown("Brand new", "A first paragraph.")),
            ("note", "First published"),
            ("kind", "major"),
            ("action", "publish"),
        ])
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(versions(&new_client(), &server, "brand-new").len(), 1);
}

/// Login CSRF: a sign-in is accepted only from a sign-in form this browser
/// loaded (its hidden `csrf` is a MAC of the pre-session cookie it set).
#[test]
fn signing_in_needs_the_forms_csrf_token_and_its_cookie() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let tokens = dir.path().join("tokens.toml");
    let ada = token(&tokens, "Ada Editor", "editor");
    let server = Server::start(&store, &["--tokens", tokens.to_str().unwrap()]);
    let path = format!("/edit/{FULLFACT}");
    let client = new_client();
    let (page, form_cookie) = sign_in_form(&client, &server, &path);
    let (other_page, other_cookie) = sign_in_form(&client, &server, &path);
    let csrf = form_value(&page, "csrf");
    let attempt = |cookie: Option<&str>, csrf: Option<&str>| {
        let mut request = client.post(server.url("/edit/_sign-in"));
        if let Some(c) = cookie {
            request = request.header(header::COOKIE, c);
        }
        let mut form = vec![("token", ada.as_str()), ("next", path.as_str())];
        if let Some(c) = csrf {
            form.push(("csrf", c));
        }
        let r = request.form(&form).send().unwrap();
        let signed_in = r
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|v| v.to_str().unwrap().starts_with("redline_session="));
        (r.status(), signed_in)
    };
    // A form posted from elsewhere has no token, or not this browser's pair.
    assert_eq!(attempt(None, None), (StatusCode::FORBIDDEN, false));
    assert_eq!(
        attempt(Some(&form_cookie), None),
        (StatusCode::FORBIDDEN, false)
    );
    assert_eq!(attempt(None, Some(&csrf)), (StatusCode::FORBIDDEN, false));
    assert_eq!(
        attempt(Some(&other_cookie), Some(&csrf)),
        (StatusCode::FORBIDDEN, false)
    );
    assert_eq!(
        attempt(Some(&form_cookie), Some(&form_value(&other_page, "csrf"))),
        (StatusCode::FORBIDDEN, false)
    );
    assert_eq!(
        attempt(Some(&form_cookie), Some("0".repeat(64).as_str())),
        (StatusCode::FORBIDDEN, false)
    );
    // The refusal is a new sign-in form, with its own pair.
    let refused = client
        .post(server.url("/edit/_sign-in"))
        .form(&[("token", ada.as_str()), ("next", path.as_str())])
        .send()
        .unwrap();
    assert!(refused.headers().contains_key(header::SET_COOKIE));
    let refused = refused.text().unwrap();
    assert!(refused.contains("did not come from this site"), "{refused}");
    assert!(!form_value(&refused, "csrf").is_empty());
    // This browser's own pair signs in.
    assert_eq!(
        attempt(Some(&form_cookie), Some(&csrf)),
        (StatusCode::SEE_OTHER, true)
    );
    // Every form of the editor carries a CSRF token.
    let a = EditorSession::sign_in(&server, &ada, &path);
    for page in [a.get(&path), a.get("/edit/"), page] {
        let doc = scraper::Html::parse_document(&page);
        let forms = scraper::Selector::parse("form").unwrap();
        let csrf_field = scraper::Selector::parse("input[type=hidden][name=csrf]").unwrap();
        let mut count = 0;
        for form in doc.select(&forms) {
            count += 1;
            let value = form
                .select(&csrf_field)
                .next()
                .and_then(|i| i.value().attr("value"))
                .unwrap_or_default();
            assert!(
                value.len() >= 32,
                "a form without a CSRF token: {}",
                form.html()
            );
        }
        assert!(count > 0);
    }
}

/// Sessions are kept across a restart (in the store, mode 0600, without the
/// session ids themselves), end when their token is removed from the tokens
/// file, and the tokens file is read again when it changes: a new token works
/// at once, a removed one stops, an invalid file keeps the last good set and
/// logs one line naming the file and line.
#[test]
fn sessions_survive_a_restart_and_the_tokens_file_is_read_again_when_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let tokens = dir.path().join("tokens.toml");
    let ada = token(&tokens, "Ada Editor", "editor");
    let bo = token(&tokens, "Bo Editor", "editor");
    let path = format!("/edit/{FULLFACT}");
    let server = Server::start(&store, &["--tokens", tokens.to_str().unwrap()]);
    let a = EditorSession::sign_in(&server, &ada, &path);
    let b = EditorSession::sign_in(&server, &bo, &path);
    assert!(a.get(&path).contains("Signed in as Ada Editor"));
    let (a_cookie, b_cookie) = (a.cookie.clone(), b.cookie.clone());
    drop((a, b));

    // kill -9, then a new server on the same store: still signed in.
    drop(server);
    let sessions_file = store.join("redline-serve/sessions.json");
    let kept = std::fs::read_to_string(&sessions_file).unwrap();
    let a_id = a_cookie.split_once('=').unwrap().1;
    assert!(!kept.contains(a_id), "the file holds a session id: {kept}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in [&sessions_file, &store.join("redline-serve/key")] {
            let mode = std::fs::metadata(file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}", file.display());
        }
    }
    let server = Server::start(&store, &["--tokens", tokens.to_str().unwrap()]);
    let client = new_client();
    let editor_page = |cookie: &str| {
        client
            .get(server.url(&path))
            .header(header::COOKIE, cookie)
            .send()
            .unwrap()
            .text()
            .unwrap()
    };
    assert!(editor_page(&a_cookie).contains("Signed in as Ada Editor"));
    assert!(editor_page(&b_cookie).contains("Signed in as Bo Editor"));
    assert!(editor_page("redline_session=forged").contains("Sign in to edit"));
    let preview = |token: &str| {
        client
            .post(server.url(&format!("/api/preview/{FULLFACT}")))
            .bearer_auth(token)
            .json(&json!({"text": markdown("Preview", "Text."), "kind": "minor"}))
            .send()
            .unwrap()
            .status()
    };
    assert_eq!(preview(&ada), StatusCode::OK);

    // A token added while the server runs works at once.
    let cy = token(&tokens, "Cy Editor", "editor");
    assert_eq!(preview(&cy), StatusCode::OK);

    // Ada's token removed from the file: her session and her token stop.
    let text = std::fs::read_to_string(&tokens).unwrap();
    let mut file: toml::Table = toml::from_str(&text).unwrap();
    file["token"]
        .as_array_mut()
        .unwrap()
        .retain(|t| t["name"].as_str() != Some("Ada Editor"));
    std::fs::write(&tokens, toml::to_string(&file).unwrap()).unwrap();
    assert!(editor_page(&a_cookie).contains("Sign in to edit"));
    assert_eq!(preview(&ada), StatusCode::UNAUTHORIZED);
    assert!(editor_page(&b_cookie).contains("Signed in as Bo Editor"));
    assert_eq!(preview(&bo), StatusCode::OK);

    // An invalid file: the last good set stays, one line names file and line.
    let good = std::fs::read_to_string(&tokens).unwrap();
    let broken = format!("{good}\n[[token]]\nname = \"Dee\"\nrole = \"boss\"\n");
    let broken_line = broken.lines().count();
    std::fs::write(&tokens, &broken).unwrap();
    assert_eq!(preview(&bo), StatusCode::OK);
    assert_eq!(preview(&cy), StatusCode::OK);
    assert!(editor_page(&b_cookie).contains("Signed in as Bo Editor"));
    assert_eq!(preview(&ada), StatusCode::UNAUTHORIZED);
    let deadline = Instant::now() + Duration::from_secs(5);
    let refused_line = loop {
        let log = server.log();
        if let Some(line) = log.lines().find(|l| l.contains(tokens.to_str().unwrap())) {
            break line.to_string();
        }
        assert!(Instant::now() < deadline, "nothing logged: {log}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        refused_line.contains(&format!("line {broken_line}")),
        "{refused_line}"
    );
    assert!(refused_line.contains("keeping the"), "{refused_line}");
    // Logged once, not on every request.
    assert_eq!(preview(&bo), StatusCode::OK);
    std::thread::sleep(Duration::from_millis(100));
    let log = server.log();
    assert_eq!(
        log.lines()
            .filter(|l| l.contains(tokens.to_str().unwrap()))
            .count(),
        1,
        "{log}"
    );
    // Mended: read again.
    std::fs::write(&tokens, &good).unwrap();
    assert_eq!(preview(&cy), StatusCode::OK);
}
