//! The JSON API: explainers, versions, diffs and summaries to read; editors'
//! updates (`PUT`) and previews to write. Errors are RFC 9457 problem
//! documents whose `detail` is the CLI's one-line message.

// Handlers return a ready `Response` as their error: built once per refused
// request, never on a hot path, so its size does not matter.
#![allow(clippy::result_large_err)]

use std::path::PathBuf;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::{error_response, json_response, may_write, problem, AppState, Shared, MAX_BODY};
use crate::diff::{self, ChangeSet};
use crate::error::{ConflictBase, Error, Newest, Result};
use crate::ingest;
use crate::model::{Document, UpdateKind, Version, VersionRef};
use crate::slug::Slug;
use crate::store::{CommitOutcome, Store, UpdateRequest};
use crate::summary::{self, Summary};

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/explainers", get(list))
        .route("/api/explainers/{slug}", get(explainer).put(update))
        .route("/api/explainers/{slug}/versions", get(versions))
        .route("/api/explainers/{slug}/versions/{version}", get(version))
        .route("/api/explainers/{slug}/diff", get(diff_of))
        .route("/api/explainers/{slug}/since", get(since))
        .route("/api/explainers/{slug}/blame", get(blame))
        .route("/api/explainers/{slug}/history", get(history))
        .route("/api/preview/{slug}", post(preview))
        // One byte over the input limit still reaches the handler as 413.
        .layer(DefaultBodyLimit::max(MAX_BODY + 64 * 1024))
}

fn slug_of(raw: &str) -> std::result::Result<Slug, Response> {
    Slug::new(raw).map_err(|e| problem(StatusCode::NOT_FOUND, "not-found", &e.to_string(), None))
}

/// A request error (malformed query or body): 400, never 422.
fn bad_request(detail: &str) -> Response {
    problem(StatusCode::BAD_REQUEST, "bad-request", detail, None)
}

/// A version reference from a query or path: its shape is the caller's fault (400).
fn reference(raw: &str) -> std::result::Result<VersionRef, Response> {
    raw.parse::<VersionRef>()
        .map_err(|e| bad_request(&e.to_string()))
}

/// `ETag` of an explainer's newest version: its quoted commit id.
fn version_etag(version: &Version) -> String {
    format!("\"{}\"", version.id)
}

async fn list(State(state): State<Shared>) -> Response {
    match state.blocking(|_, store| store.readable_explainers()).await {
        Ok((explainers, _)) => json_response(StatusCode::OK, &explainers),
        Err(e) => error_response(&e),
    }
}

/// One version with its text.
#[derive(Serialize)]
struct VersionBody {
    slug: Slug,
    title: String,
    version: Version,
    /// Whether this is the newest version.
    latest: bool,
    /// The Markdown body.
    body: String,
    /// The stored file (front matter and body), as `redline show` prints it.
    text: String,
}

fn version_body(store: &Store, slug: &Slug, reference: &VersionRef) -> Result<VersionBody> {
    let history = store.history(slug)?;
    let version = store.resolve(slug, reference)?;
    let text = store.text(slug, &version)?;
    let document = store.document(slug, &version)?;
    Ok(VersionBody {
        slug: slug.clone(),
        title: document.meta.title.clone(),
        latest: history.last().is_some_and(|l| l.id == version.id),
        version,
        body: document.body,
        text,
    })
}

async fn explainer(
    State(state): State<Shared>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let slug = match slug_of(&slug) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let result = state
        .blocking(move |_, store| version_body(store, &slug, &VersionRef::Latest))
        .await;
    match result {
        Ok(body) => {
            let etag = version_etag(&body.version);
            let fresh = headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
            let mut response = if fresh {
                StatusCode::NOT_MODIFIED.into_response()
            } else {
                json_response(StatusCode::OK, &body)
            };
            if let Ok(v) = HeaderValue::from_str(&etag) {
                response.headers_mut().insert(header::ETAG, v);
            }
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            response
        }
        Err(e) => error_response(&e),
    }
}

/// A read's answer: 200 with the value as JSON, or the typed error as a problem.
fn json_answer(result: Result<impl serde::Serialize>) -> Response {
    match result {
        Ok(value) => json_response(StatusCode::OK, &value),
        Err(e) => error_response(&e),
    }
}

async fn versions(State(state): State<Shared>, Path(slug): Path<String>) -> Response {
    let slug = match slug_of(&slug) {
        Ok(s) => s,
        Err(r) => return r,
    };
    json_answer(state.blocking(move |_, store| store.history(&slug)).await)
}

async fn version(
    State(state): State<Shared>,
    Path((slug, version)): Path<(String, String)>,
) -> Response {
    let slug = match slug_of(&slug) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let reference = match reference(&version) {
        Ok(r) => r,
        Err(r) => return r,
    };
    json_answer(
        state
            .blocking(move |_, store| version_body(store, &slug, &reference))
            .await,
    )
}

#[derive(Deserialize)]
struct Between {
    from: Option<String>,
    to: Option<String>,
}

async fn diff_of(
    State(state): State<Shared>,
    Path(slug): Path<String>,
    Query(between): Query<Between>,
) -> Response {
    let slug = match slug_of(&slug) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (Some(from), Some(to)) = (between.from, between.to) else {
        return bad_request("give ?from= and &to= (vN, a commit id, a date or `latest`)");
    };
    let (from, to) = match (reference(&from), reference(&to)) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let result = state
        .blocking(move |_, store| {
            let old = store.resolve(&slug, &from)?;
            let new = store.resolve(&slug, &to)?;
            let changes: ChangeSet =
                diff::diff(&store.document(&slug, &old)?, &store.document(&slug, &new)?);
            Ok(changes)
        })
        .await;
    json_answer(result)
}

#[derive(Deserialize)]
struct Window {
    when: Option<String>,
    until: Option<String>,
}

async fn since(
    State(state): State<Shared>,
    Path(slug): Path<String>,
    Query(window): Query<Window>,
) -> Response {
    let slug = match slug_of(&slug) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(when) = window.when else {
        return bad_request("give ?when= (a date, a datetime, vN or a commit id)");
    };
    let when = match reference(&when) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let until = match window.until.as_deref().map(reference).transpose() {
        Ok(u) => u,
        Err(r) => return r,
    };
    json_answer(
        state
            .blocking(move |state, store| state.since(store, &slug, &when, until.as_ref()))
            .await,
    )
}

#[derive(Deserialize)]
struct At {
    at: Option<String>,
}

/// `…/blame?at=…` (default: the newest version): each sentence's last change.
async fn blame(
    State(state): State<Shared>,
    Path(slug): Path<String>,
    Query(at): Query<At>,
) -> Response {
    let slug = match slug_of(&slug) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let reference = match at.at.as_deref().map(reference).transpose() {
        Ok(r) => r.unwrap_or(VersionRef::Latest),
        Err(r) => return r,
    };
    json_answer(
        state
            .blocking(move |_, store| crate::blame::blame(store, &slug, &reference))
            .await,
    )
}

#[derive(Deserialize)]
struct Fragment {
    text: Option<String>,
}

/// `…/history?text=…`: every version of the sentences containing the text.
async fn history(
    State(state): State<Shared>,
    Path(slug): Path<String>,
    Query(fragment): Query<Fragment>,
) -> Response {
    let slug = match slug_of(&slug) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(text) = fragment.text.filter(|t| !t.trim().is_empty()) else {
        return bad_request("give ?text= (words of the sentence to follow)");
    };
    json_answer(
        state
            .blocking(move |_, store| crate::blame::history(store, &slug, &text))
            .await,
    )
}

/// The body of `PUT /api/explainers/{slug}` and `POST /api/preview/{slug}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateBody {
    pub text: String,
    #[serde(default)]
    pub format: Format,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub kind: Option<UpdateKind>,
    #[serde(default)]
    pub updated: Option<String>,
}

/// How `text` is read: as Markdown (with optional front matter) or as a
/// plain-text capture, exactly as the CLI reads `.md` and `.txt` files.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Format {
    #[default]
    Markdown,
    Text,
}

/// An update ready to commit: the document and what to record with it.
pub(crate) struct Pending {
    pub document: Document,
    pub note: String,
    pub kind: UpdateKind,
    pub explicit_updated: Option<DateTime<FixedOffset>>,
}

/// Read an update body as the CLI reads a file and its flags.
pub(crate) fn pending(state: &AppState, slug: &Slug, body: &UpdateBody) -> Result<Pending> {
    let name = PathBuf::from(match body.format {
        Format::Markdown => format!("{slug}.md"),
        Format::Text => format!("{slug}.txt"),
    });
    let mut ingested = ingest::ingest_bytes(&name, body.text.as_bytes(), &state.rules)?;
    let explicit_updated = match &body.updated {
        Some(raw) => {
            let t = DateTime::parse_from_rfc3339(raw.trim()).map_err(|e| {
                Error::bad_input(
                    "updated",
                    raw.as_str(),
                    format!("updated {raw:?}: not an RFC 3339 time ({e})"),
                )
            })?;
            crate::time_range::check_storable(&t).map_err(|problem| {
                Error::bad_input("updated", raw.as_str(), format!("updated {raw}: {problem}"))
            })?;
            Some(t)
        }
        None => None,
    };
    let from_file = ingested.change.take().unwrap_or_default();
    let kind = body.kind.unwrap_or(from_file.kind);
    let note = crate::store::change_note(body.note.clone().or(from_file.note), kind)?;
    Ok(Pending {
        document: ingested.document,
        note,
        kind,
        explicit_updated,
    })
}

/// Read the JSON body: 413 over the limit, 400 when it is not the body asked for.
fn parse_body(bytes: &Bytes) -> std::result::Result<UpdateBody, Response> {
    if bytes.len() > MAX_BODY {
        return Err(too_large());
    }
    serde_json::from_slice(bytes).map_err(|e| {
        bad_request(&format!(
            "the body is not an update ({{\"text\", \"format\", \"note\", \"kind\", \"updated\"}}): {e}"
        ))
    })
}

fn too_large() -> Response {
    problem(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too-large",
        &format!("the request is larger than {MAX_BODY} bytes, the input limit"),
        None,
    )
}

/// Map a write's input errors to 422 (the content was understood and refused).
fn write_error(e: &Error) -> Response {
    error_response(e)
}

/// What `If-Match` says: absent, or the commit id the editor started from.
fn if_match(headers: &HeaderMap) -> std::result::Result<Option<String>, Response> {
    let Some(raw) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let raw = raw.to_str().unwrap_or("").trim();
    let id = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .filter(|id| id.len() >= 4 && id.bytes().all(|b| b.is_ascii_hexdigit()));
    match id {
        Some(id) => Ok(Some(id.to_ascii_lowercase())),
        None => Err(bad_request(
            "If-Match must be the quoted commit id of the version you edited, as the ETag of GET /api/explainers/{slug} gives it",
        )),
    }
}

/// Record an editor's update: the one write path of the API and the web
/// editor. `expect` is the commit id the editor started from; `create_only`
/// refuses an explainer that exists (`If-None-Match: *`).
///
/// Without `expect`, the update is a creation when the explainer has no
/// version as the request is read: a creation that finds the explainer
/// created by the time it commits (another creation won the race, in this
/// server or another process) is [`Written::Exists`] (409), never a second
/// first version. On an explainer that already existed when the request was
/// read, it is [`Written::Unconditional`] (428), or `Exists` with `create_only`.
pub(crate) fn write_update(
    state: &AppState,
    store: &Store,
    slug: &Slug,
    update: &UpdateBody,
    expect: Option<String>,
    create_only: bool,
    editor: String,
) -> Result<Written> {
    let pending = pending(state, slug, update)?;
    let found_new = expect.is_none() && newest_of(store, slug)?.is_none();
    // One writer at a time: "is it new?" and the commit are one step.
    let _writing = state
        .write_lock
        .lock()
        .map_err(|_| Error::Render("the write lock was poisoned".into()))?;
    let history = match store.history(slug) {
        Ok(h) => h,
        Err(Error::UnknownExplainer(_)) => Vec::new(),
        Err(e) => return Err(e),
    };
    if let (Some(id), true) = (&expect, history.is_empty()) {
        // If-Match on an explainer that does not exist: the precondition fails.
        return Err(Error::Conflict {
            slug: slug.to_string(),
            expected: ConflictBase::Id(id.clone()),
            newer: Newest::Missing,
        });
    }
    if let Some(newest) = history.last() {
        if expect.is_none() {
            return Ok(if create_only || found_new {
                Written::Exists(newest.clone())
            } else {
                Written::Unconditional(newest.clone())
            });
        }
    }
    let mut document = pending.document;
    // A text whose `updated` is one of the explainer's versions' own times
    // was started from that version's file (and kept through a conflict):
    // that is no time the editor chose, so the update is recorded as now.
    if history
        .iter()
        .any(|v| Some(v.updated) == document.meta.updated)
    {
        document.meta.updated = None;
    }
    let updated = match pending.explicit_updated {
        Some(t) => t,
        None => {
            store
                .updated_for_commit(slug, None, document.meta.updated, crate::time_range::now())?
                .0
        }
    };
    document.meta.updated = Some(updated);
    let request = UpdateRequest {
        editor,
        updated,
        note: pending.note,
        kind: pending.kind,
        expect: expect.clone().map(VersionRef::Commit),
    };
    // A creation is refused by the store itself if the explainer has a
    // version when `main` moves (another process may commit meanwhile).
    let outcome = if expect.is_none() {
        store.create(slug, &document, &request)
    } else {
        store.commit(slug, &document, &request)
    };
    let _ = store.take_notices();
    match outcome {
        Ok(CommitOutcome::Committed(v)) => {
            state.set_tip(store.tip()?);
            Ok(Written::Created(v))
        }
        Ok(CommitOutcome::Unchanged(v)) => Ok(Written::Unchanged(v)),
        Err(Error::Conflict {
            expected: ConflictBase::Nothing,
            newer: Newest::Version(newer),
            ..
        }) => Ok(Written::Exists(*newer)),
        Err(
            e @ (Error::Conflict { .. } | Error::NoSuchVersion { .. } | Error::BadInput { .. }),
        ) if expect.is_some() => stale(store, slug, expect.as_deref().unwrap_or_default(), &e),
        Err(e) => Err(e),
    }
}

/// The explainer's newest version, `None` when it has none.
fn newest_of(store: &Store, slug: &Slug) -> Result<Option<Version>> {
    match store.history(slug) {
        Ok(history) => Ok(history.last().cloned()),
        Err(Error::UnknownExplainer(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// What a `PUT` became.
// One per request: the size difference of its variants costs nothing.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Written {
    Created(Version),
    Unchanged(Version),
    /// The explainer moved on: the newer version and what changed since the editor's base.
    Stale {
        newer: Version,
        base: Option<Version>,
        changes: Option<ChangeSet>,
        message: String,
    },
    /// A creation that found the explainer created: by another creation
    /// that won the race, or before the request (`If-None-Match: *`).
    Exists(Version),
    /// No `If-Match` on an existing explainer.
    Unconditional(Version),
}

async fn update(
    State(state): State<Shared>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let (identity, slug, update) = match editor_request(&state, &slug, &headers, body) {
        Ok(request) => request,
        Err(r) => return r,
    };
    let expect = match if_match(&headers) {
        Ok(e) => e,
        Err(r) => return r,
    };
    let create_only = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == b"*");
    let editor = identity.name.clone();
    let location_slug = slug.clone();
    let written = state
        .blocking(move |state, store| {
            write_update(state, store, &slug, &update, expect, create_only, editor)
        })
        .await;
    match written {
        Ok(Written::Created(v)) => {
            let mut r = json_response(StatusCode::CREATED, &serde_json::json!({ "status": "created", "version": v }));
            let location = format!("/api/explainers/{}/versions/v{}", location_slug, v.number);
            set(&mut r, header::LOCATION, &location);
            set(&mut r, header::ETAG, &version_etag(&v));
            r
        }
        Ok(Written::Unchanged(v)) => {
            let mut r = json_response(StatusCode::OK, &serde_json::json!({ "status": "no change", "version": v }));
            set(&mut r, header::ETAG, &version_etag(&v));
            r
        }
        Ok(Written::Stale {
            newer,
            base,
            changes,
            message,
        }) => problem(
            StatusCode::PRECONDITION_FAILED,
            "conflict",
            &message,
            Some(serde_json::json!({ "newer": newer, "base": base, "changes": changes })),
        ),
        Ok(Written::Exists(v)) => problem(
            StatusCode::CONFLICT,
            "exists",
            &format!(
                "{location_slug} exists: {} ({}) by {}, {}, won; nothing was written. Fetch it and send your update with If-Match",
                v.label(),
                v.short_id(),
                v.editor,
                v.updated.to_rfc3339()
            ),
            Some(serde_json::json!({ "newer": v })),
        ),
        Ok(Written::Unconditional(v)) => problem(
            StatusCode::PRECONDITION_REQUIRED,
            "if-match-required",
            &format!(
                "the explainer exists (newest {}): send If-Match with the quoted commit id of the version you edited; nothing was written",
                v.label()
            ),
            Some(serde_json::json!({ "newer": v })),
        ),
        Err(e) => write_error(&e),
    }
}

fn set(response: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, v);
    }
}

/// The 412 answer's data: the newest version, the editor's base (when it is
/// one of the explainer's versions) and what changed from it.
fn stale(store: &Store, slug: &Slug, expected: &str, error: &Error) -> Result<Written> {
    let history = store.history(slug)?;
    // The version the refused commit saw, from the conflict itself (a later
    // writer may have moved on again since); else, the newest now.
    let newer = match error {
        Error::Conflict {
            newer: Newest::Version(newer),
            ..
        } => Some(newer.as_ref().clone()),
        _ => history.last().cloned(),
    };
    let Some(newer) = newer else {
        return Err(Error::UnknownExplainer(slug.to_string()));
    };
    let base = history.iter().find(|v| v.id.starts_with(expected)).cloned();
    let changes = match &base {
        Some(b) => Some(diff::diff(
            &store.document(slug, b)?,
            &store.document(slug, &newer)?,
        )),
        None => None,
    };
    Ok(Written::Stale {
        newer,
        base,
        changes,
        message: error.to_string(),
    })
}

/// The checks every editor's request passes first, in the order a client can
/// fix them: who is asking (401/403), the slug (422), the body's size (413) and
/// shape (400).
fn editor_request(
    state: &AppState,
    slug: &str,
    headers: &HeaderMap,
    body: std::result::Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> std::result::Result<(super::Identity, Slug, UpdateBody), Response> {
    let identity = authorise(state, headers)?;
    let slug = Slug::new(slug).map_err(|e| {
        problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad-input",
            &e.to_string(),
            None,
        )
    })?;
    let bytes = match body {
        Ok(b) => b,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
        Err(e) => return Err(bad_request(&e.body_text())),
    };
    let update = parse_body(&bytes)?;
    Ok((identity, slug, update))
}

/// The editor behind the request, or the refusal: 401 without a valid token,
/// 403 for a reader's token or a read-only server.
fn authorise(
    state: &AppState,
    headers: &HeaderMap,
) -> std::result::Result<super::Identity, Response> {
    if !state.writable() {
        return Err(problem(
            StatusCode::FORBIDDEN,
            "read-only",
            "this server is read-only: send updates to the primary",
            None,
        ));
    }
    let Some(identity) = state.bearer(headers) else {
        let mut r = problem(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "send Authorization: Bearer <token> (see `redline token add`)",
            None,
        );
        set(&mut r, header::WWW_AUTHENTICATE, "Bearer");
        return Err(r);
    };
    if !may_write(&identity) {
        return Err(problem(
            StatusCode::FORBIDDEN,
            "forbidden",
            &format!("{}'s token is a reader's: it cannot publish", identity.name),
            None,
        ));
    }
    Ok(identity)
}

/// What readers would be told if the update were published now.
pub(crate) fn preview_summary(
    state: &AppState,
    store: &Store,
    slug: &Slug,
    body: &UpdateBody,
    editor: &str,
) -> Result<Option<Summary>> {
    let pending = pending(state, slug, body)?;
    let history = match store.history(slug) {
        Ok(h) => h,
        Err(Error::UnknownExplainer(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let Some(newest) = history.last().cloned() else {
        return Ok(None);
    };
    let newest_doc = store.document(slug, &newest)?;
    let updated = pending
        .explicit_updated
        .unwrap_or_else(crate::time_range::now)
        .max(newest.updated);
    let proposed = Version {
        number: newest.number + 1,
        id: "0000000000000000000000000000000000000000".into(),
        updated,
        editor: editor.to_string(),
        kind: pending.kind,
        note: pending.note,
        blob: Default::default(),
    };
    summary::summarize(slug, &[newest, proposed], &[newest_doc, pending.document]).map(Some)
}

async fn preview(
    State(state): State<Shared>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let (identity, slug, update) = match editor_request(&state, &slug, &headers, body) {
        Ok(request) => request,
        Err(r) => return r,
    };
    let editor = identity.name;
    match state
        .blocking(move |state, store| preview_summary(state, store, &slug, &update, &editor))
        .await
    {
        Ok(Some(summary)) => json_response(StatusCode::OK, &summary),
        Ok(None) => json_response(
            StatusCode::OK,
            &serde_json::json!({ "new": true, "detail": "a new explainer: readers see its first version" }),
        ),
        Err(e) => error_response(&e),
    }
}
