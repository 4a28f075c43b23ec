//! `redline serve`: the readers' pages, a JSON API and editors' writes over
//! HTTP. The service adds transport, auth and caching, no new logic: pages
//! come from [`crate::pages`] (so the live site and `redline build` give the
//! same bytes), data from [`crate::store`] and [`crate::summary`].
//!
//! Threads: git and rendering run on tokio's blocking pool
//! (`AppState::blocking`), never on the async workers, all on one shared
//! [`Store`] (`Send + Sync`: it pools its own git handles). Writes are serialised in this process by one lock, so "the slug is
//! being created twice" is answered 409 rather than recorded as two versions;
//! other processes writing the same store are still safe (the store's
//! compare-and-swap), and the server notices their commits within
//! [`TIP_POLL`].
//!
//! Caching: every page is rendered once per store tip and kept in memory; its
//! `ETag` is the tip and [`crate::pages::TEMPLATE_VERSION`] (a diff page's,
//! the version's own commit id, and it is marked immutable).

mod api;
mod editor;
mod mirror;
mod readers;
mod sessions;
pub mod tokens;

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::error::{Error, ErrorKind, Result};
use crate::ingest::Rules;
use crate::pages::{ExplainerPages, Links};
use crate::slug::Slug;
use crate::store::Store;
use tokens::{Identity, Role, Tokens};

/// How often the server re-reads the store's tip to notice commits made by
/// other processes (the CLI, a mirror's fetch).
pub const TIP_POLL: Duration = Duration::from_millis(500);

/// The largest request body accepted (the CLI's input limit).
pub const MAX_BODY: usize = crate::ingest::MAX_INPUT_BYTES;

/// Pages kept per store tip at most (each explainer has a few dozen).
const MAX_CACHED_PAGES: usize = 20_000;

/// How a server is started.
#[derive(Debug, Clone)]
pub struct Config {
    /// The store.
    pub store: PathBuf,
    /// Address to listen on (`127.0.0.1:0` picks a free port).
    pub listen: SocketAddr,
    /// Tokens file; without one the server is read-only.
    pub tokens: Option<PathBuf>,
    /// Refuse writes even with tokens.
    pub read_only: bool,
    /// Public URL of the site, for feeds' absolute links and tag URIs.
    pub base_url: Option<String>,
    /// Serve a mirror of this primary store (a git URL or path), fetched every
    /// `fetch_interval` and on `POST /hooks/fetch`.
    pub mirror_of: Option<String>,
    /// How often a mirror fetches.
    pub fetch_interval: Duration,
    /// The shared secret `POST /hooks/fetch` must carry.
    pub hook_secret: Option<String>,
    /// Publisher rules for editors' input (as the CLI's `--rules`).
    pub rules: Rules,
}

/// Pages rendered for one store tip.
#[derive(Default)]
struct PageCache {
    tip: Option<String>,
    pages: HashMap<String, Rendered>,
    explainers: HashMap<Slug, Arc<Mutex<ExplainerPages>>>,
    windows: HashMap<Slug, Arc<WindowInputs>>,
}

/// What any window's summary of one explainer is computed from, read once per
/// store tip: its history, every version's document and the sentence
/// timeline. Summaries themselves are computed on every request.
pub(crate) struct WindowInputs {
    pub history: Vec<crate::model::Version>,
    pub documents: Vec<crate::model::Document>,
    pub sentences: crate::blame::SentenceTimeline,
}

/// A rendered page with its validator.
#[derive(Clone)]
pub(crate) struct Rendered {
    bytes: axum::body::Bytes,
    etag: HeaderValue,
    immutable: bool,
    content_type: &'static str,
}

/// Everything a request handler shares.
pub(crate) struct AppState {
    store: Store,
    links: Links,
    rules: Rules,
    tokens: Option<Tokens>,
    writable: bool,
    hook_secret: Option<String>,
    mirror_of: Option<String>,
    /// The store's `main` tip as last read (`None`: no commit yet).
    tip: RwLock<Option<String>>,
    cache: RwLock<PageCache>,
    /// One writer at a time in this process (see the module docs).
    write_lock: Mutex<()>,
    /// Browser sessions of the web editor (a writable server's only).
    sessions: Option<sessions::Sessions>,
}

type Shared = Arc<AppState>;

impl AppState {
    /// Run `work` with the store on the blocking pool.
    pub(crate) async fn blocking<T, F>(self: &Arc<Self>, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&AppState, &Store) -> Result<T> + Send + 'static,
    {
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || work(&state, &state.store))
            .await
            .unwrap_or_else(|e| Err(Error::Render(format!("a request's worker failed: {e}"))))
    }

    /// The tip as last read.
    pub(crate) fn tip(&self) -> Option<String> {
        self.tip.read().map(|t| t.clone()).unwrap_or(None)
    }

    /// Record the tip read from the store; drops cached pages when it moved.
    pub(crate) fn set_tip(&self, tip: Option<String>) {
        if let Ok(mut current) = self.tip.write() {
            if *current != tip {
                *current = tip;
            }
        }
    }

    /// A cached page for the current tip.
    fn cached(&self, tip: &Option<String>, key: &str) -> Option<Rendered> {
        let cache = self.cache.read().ok()?;
        if cache.tip != *tip {
            return None;
        }
        cache.pages.get(key).cloned()
    }

    fn remember(&self, tip: &Option<String>, key: &str, page: &Rendered) {
        if let Ok(mut cache) = self.cache.write() {
            if cache.tip != *tip {
                *cache = PageCache {
                    tip: tip.clone(),
                    ..PageCache::default()
                };
            }
            // Bounded: `since?when=…` can name endless windows.
            if cache.pages.len() < MAX_CACHED_PAGES {
                cache.pages.insert(key.to_string(), page.clone());
            }
        }
    }

    /// One explainer's page model for `tip`, loaded once per tip.
    fn explainer_pages(
        &self,
        store: &Store,
        tip: &Option<String>,
        slug: &Slug,
    ) -> Result<Arc<Mutex<ExplainerPages>>> {
        if let Ok(cache) = self.cache.read() {
            if cache.tip == *tip {
                if let Some(pages) = cache.explainers.get(slug) {
                    return Ok(Arc::clone(pages));
                }
            }
        }
        let history = store.history(slug)?;
        let pages = Arc::new(Mutex::new(ExplainerPages::load(store, slug, history)?));
        if let Ok(mut cache) = self.cache.write() {
            if cache.tip != *tip {
                *cache = PageCache {
                    tip: tip.clone(),
                    ..PageCache::default()
                };
            }
            cache.explainers.insert(slug.clone(), Arc::clone(&pages));
        }
        Ok(pages)
    }

    /// One explainer's [`WindowInputs`] for `tip`, read once per tip.
    pub(crate) fn window_inputs(
        &self,
        store: &Store,
        tip: &Option<String>,
        slug: &Slug,
    ) -> Result<Arc<WindowInputs>> {
        if let Ok(cache) = self.cache.read() {
            if cache.tip == *tip {
                if let Some(inputs) = cache.windows.get(slug) {
                    return Ok(Arc::clone(inputs));
                }
            }
        }
        let history = store.history(slug)?;
        let documents = history
            .iter()
            .map(|v| store.document_from_history(slug, v))
            .collect::<Result<Vec<_>>>()?;
        let sentences = store.sentence_timeline(slug, &history, Some(&documents))?;
        let inputs = Arc::new(WindowInputs {
            history,
            documents,
            sentences,
        });
        if let Ok(mut cache) = self.cache.write() {
            if cache.tip != *tip {
                *cache = PageCache {
                    tip: tip.clone(),
                    ..PageCache::default()
                };
            }
            cache.windows.insert(slug.clone(), Arc::clone(&inputs));
        }
        Ok(inputs)
    }

    /// What changed in `slug` in the window `when`..`until`, as
    /// [`crate::summary::since`] tells it, computed from the tip's
    /// [`WindowInputs`] (no git or cache file read per request).
    pub(crate) fn since(
        &self,
        store: &Store,
        slug: &Slug,
        when: &crate::model::VersionRef,
        until: Option<&crate::model::VersionRef>,
    ) -> Result<crate::summary::Summary> {
        let tip = self.tip();
        let inputs = self.window_inputs(store, &tip, slug)?;
        let (base, head) = crate::store::window_bounds(slug, &inputs.history, when, until)?;
        let (Some(versions), Some(base_doc), Some(head_doc)) = (
            inputs.history.get(base..=head),
            inputs.documents.get(base),
            inputs.documents.get(head),
        ) else {
            return Err(Error::UnknownExplainer(slug.to_string()));
        };
        let window = crate::store::Window {
            slug: slug.clone(),
            asked: when.moment(),
            versions: Cow::Borrowed(versions),
            base: Cow::Borrowed(base_doc),
            head: Cow::Borrowed(head_doc),
            sentences: Some(Cow::Borrowed(&inputs.sentences)),
        };
        crate::summary::since(&window, &crate::diff::DiffOptions::default())
    }

    /// Whether this server accepts writes at all.
    pub(crate) fn writable(&self) -> bool {
        self.writable
    }

    /// The identity behind an `Authorization: Bearer` header.
    pub(crate) fn bearer(&self, headers: &HeaderMap) -> Option<Identity> {
        let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
        let token = value.strip_prefix("Bearer ")?.trim();
        self.tokens.as_ref()?.identify(token)
    }
}

/// Build the state for `config` and read the store's tip once.
fn state(config: &Config) -> Result<Shared> {
    let store = Store::open(&config.store)?;
    let tip = store.tip()?;
    let tokens = config.tokens.as_deref().map(Tokens::load).transpose()?;
    let links = match &config.base_url {
        Some(url) => Links::with_base_url(url)?,
        None => Links::relative(),
    };
    let writable = tokens.is_some() && !config.read_only && config.mirror_of.is_none();
    let sessions = if writable {
        Some(sessions::Sessions::open(&config.store)?)
    } else {
        None
    };
    Ok(Arc::new(AppState {
        store,
        links,
        rules: config.rules.clone(),
        tokens,
        writable,
        hook_secret: config.hook_secret.clone(),
        mirror_of: config.mirror_of.clone(),
        tip: RwLock::new(tip),
        cache: RwLock::new(PageCache::default()),
        write_lock: Mutex::new(()),
        sessions,
    }))
}

/// The routes.
fn router(state: Shared) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .merge(api::routes())
        .merge(editor::routes())
        .route("/hooks/fetch", post(mirror::hook))
        .fallback(readers::page)
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

async fn healthz(State(state): State<Shared>) -> Response {
    let body = serde_json::json!({
        "status": "ok",
        "tip": state.tip(),
        "writable": state.writable(),
    });
    json_response(StatusCode::OK, &body)
}

/// One log line per request: method, path, status, time taken.
async fn log_request(request: Request, next: Next) -> Response {
    if !tracing::enabled!(target: "redline::serve", tracing::Level::INFO) {
        return next.run(request).await;
    }
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        target: "redline::serve",
        %method,
        path,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

/// A JSON body with `status`.
pub(crate) fn json_response(status: StatusCode, value: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            bytes,
        )
            .into_response(),
        Err(e) => problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            &e.to_string(),
            None,
        ),
    }
}

/// An RFC 9457 problem document: `type` names the error kind, `detail` is the
/// one-line message the CLI would print; `extra` adds the error's fields.
pub(crate) fn problem(
    status: StatusCode,
    kind: &str,
    detail: &str,
    extra: Option<serde_json::Value>,
) -> Response {
    let mut body = serde_json::json!({
        "type": format!("https://redline.invalid/problems/{kind}"),
        "title": status.canonical_reason().unwrap_or("error"),
        "status": status.as_u16(),
        "detail": detail,
    });
    if let (Some(serde_json::Value::Object(extra)), Some(object)) = (extra, body.as_object_mut()) {
        object.extend(extra);
    }
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        )],
        bytes,
    )
        .into_response()
}

/// The problem response for a library error.
pub(crate) fn error_response(error: &Error) -> Response {
    let kind = error.kind();
    let status =
        StatusCode::from_u16(kind.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let name = match kind {
        ErrorKind::NotFound => "not-found",
        ErrorKind::BadInput => "bad-input",
        ErrorKind::Conflict => "conflict",
        ErrorKind::Busy => "busy",
        ErrorKind::Storage => "storage",
        ErrorKind::Internal => "internal",
    };
    if matches!(kind, ErrorKind::Storage | ErrorKind::Internal) {
        tracing::error!(target: "redline::serve", "{error}");
    }
    problem(status, name, &error.to_string(), None)
}

/// Serve until SIGINT or SIGTERM; requests in flight (writes included) finish
/// first. Prints `redline: serving http://ADDR` on stderr once listening.
pub fn run(config: Config) -> Result<()> {
    // As the `redline` binary does (see `main.rs`): git checks object hashes
    // in fsck, not on every read. Process-wide, so set by the server's start.
    git2::opts::strict_hash_verification(false);
    // REDLINE_LOG: error, warn, info (the default), debug or trace.
    let level = std::env::var("REDLINE_LOG")
        .ok()
        .and_then(|l| l.trim().parse::<tracing::Level>().ok())
        .unwrap_or(tracing::Level::INFO);
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_max_level(level)
        .try_init();
    if let Some(primary) = &config.mirror_of {
        mirror::prepare(&config.store, primary)?;
    }
    let state = state(&config)?;
    // Blocking work is mostly CPU (rendering, summaries, git reads of a
    // local store): a few threads per core keep both busy without the
    // default's 512 threads thrashing on a small machine.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        .max_blocking_threads((cores * 2).max(4))
        .enable_all()
        .build()
        .map_err(|e| Error::Render(format!("cannot start the server's runtime: {e}")))?;
    runtime.block_on(serve(config, state))
}

async fn serve(config: Config, state: Shared) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| Error::io(config.listen.to_string(), e))?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::io(config.listen.to_string(), e))?;
    if !state.writable() {
        let why = if config.mirror_of.is_some() {
            "a mirror: writes go to the primary"
        } else if config.tokens.is_none() {
            "no --tokens file"
        } else {
            "--read-only"
        };
        eprintln!("redline: read-only ({why}): the write API and editor are off");
    }
    eprintln!("redline: serving http://{address}");
    tokio::spawn(poll_tip(Arc::clone(&state)));
    if config.mirror_of.is_some() {
        tokio::spawn(mirror::fetch_every(
            Arc::clone(&state),
            config.fetch_interval,
        ));
    }
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| Error::io(address.to_string(), e))?;
    eprintln!("redline: stopped");
    Ok(())
}

/// Notice commits made by other processes.
async fn poll_tip(state: Shared) {
    loop {
        tokio::time::sleep(TIP_POLL).await;
        if let Ok(tip) = state.blocking(|_, store| store.tip()).await {
            state.set_tip(tip);
        }
    }
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    eprintln!("redline: stopping: finishing requests in flight");
}

/// A page or feed response, honouring `If-None-Match`.
pub(crate) fn page_response(headers: &HeaderMap, page: &Rendered) -> Response {
    let cache_control = if page.immutable {
        "public, max-age=31536000, immutable"
    } else {
        "public, no-cache"
    };
    let etag = page.etag.as_bytes();
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().as_bytes() == etag || t.trim() == "*")
        });
    let mut response = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = Response::new(Body::from(page.bytes.clone()));
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(page.content_type),
        );
        r
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, page.etag.clone());
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    response
}

/// Whether `identity` may write.
pub(crate) fn may_write(identity: &Identity) -> bool {
    identity.role == Role::Editor
}
