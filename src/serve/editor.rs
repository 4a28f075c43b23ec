//! The web editor (no JavaScript): `/edit/<slug>` and `/edit/` for a new
//! explainer. Sign in with a token (a session cookie: `HttpOnly`,
//! `SameSite=Strict`, `Secure` behind HTTPS; sessions survive restarts, see
//! [`super::sessions`]); every form carries a CSRF token: the sign-in form a
//! MAC of a pre-session cookie, the others the session's. **Preview** shows the summary and the diff
//! readers would get; **Publish** records the update against the base version
//! in a hidden field, through the API's write path, so a conflict shows the
//! other editor's change and keeps the editor's text.

// Handlers return a ready `Response` as their error: built once per refused
// request, never on a hot path, so its size does not matter.
#![allow(clippy::result_large_err)]

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::api::{self, Format, UpdateBody, Written};
use super::sessions::{constant_time_eq, Session, SESSION_LIFE, SIGN_IN_LIFE};
use super::{may_write, AppState, Shared, MAX_BODY};
use crate::diff;
use crate::error::Error;
use crate::model::{UpdateKind, VersionRef};
use crate::render::{highlight_views, Chrome, DiffHeader, DiffView, HighlightView, VersionView};
use crate::slug::Slug;

const COOKIE: &str = "redline_session";
/// The pre-session cookie of the sign-in form (login CSRF).
const SIGN_IN_COOKIE: &str = "redline_sign_in";

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/edit/", get(new_form).post(submit_new))
        .route("/edit/_sign-in", post(sign_in))
        .route("/edit/_sign-out", post(sign_out))
        .route("/edit/{slug}", get(edit_form).post(submit))
        .layer(DefaultBodyLimit::max(MAX_BODY * 2))
}

#[derive(Template)]
#[template(path = "edit/sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    next: String,
    csrf: String,
    message: Option<String>,
}

struct PreviewView {
    highlights: Vec<HighlightView>,
    diff: DiffView,
}

struct ConflictView {
    newer: VersionView,
    diff: DiffView,
}

#[derive(Template)]
#[template(path = "edit/edit.html")]
struct EditPage {
    chrome: Chrome,
    /// `None` for a new explainer.
    slug: Option<String>,
    title: String,
    editor: String,
    csrf: String,
    action: String,
    base: String,
    base_version: Option<VersionView>,
    new_slug: String,
    text: String,
    note: String,
    minor: bool,
    message: Option<String>,
    preview: Option<PreviewView>,
    conflict: Option<ConflictView>,
    no_prefix: Option<crate::pages::PageLinks>,
}

impl EditPage {
    fn blank(session: &Session, slug: Option<&Slug>) -> EditPage {
        EditPage {
            chrome: Chrome::standalone("Edit"),
            slug: slug.map(|s| s.to_string()),
            title: String::new(),
            editor: session.identity.name.clone(),
            csrf: session.csrf.clone(),
            action: match slug {
                Some(s) => format!("/edit/{s}"),
                None => "/edit/".to_string(),
            },
            base: String::new(),
            base_version: None,
            new_slug: String::new(),
            text: String::new(),
            note: String::new(),
            minor: false,
            message: None,
            preview: None,
            conflict: None,
            no_prefix: None,
        }
    }
}

fn html(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => {
            let mut r = (status, body).into_response();
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(e) => super::error_response(&Error::render(e)),
    }
}

/// The value of the request's cookie `name`.
fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

/// The signed-in session named by the request's cookie, if still valid.
fn session(state: &AppState, headers: &HeaderMap) -> Option<Session> {
    let id = cookie(headers, COOKIE)?;
    state.sessions.as_ref()?.find(id, state.tokens.as_ref()?)
}

/// Whether cookies set for this request's site must be `Secure`: behind
/// HTTPS, as the proxy says or the base URL does.
fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .is_some_and(|p| p.as_bytes().eq_ignore_ascii_case(b"https"))
        || state
            .links
            .base_url()
            .is_some_and(|b| b.starts_with("https://"))
}

/// A `Set-Cookie` value for the editor's paths.
fn set_cookie(name: &str, value: &str, max_age: u64, secure: bool) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/edit/; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    ))
    .ok()
}

/// The sign-in form, with its login-CSRF pair: a fresh random value in a
/// cookie and its MAC in the form.
fn sign_in_page(
    state: &AppState,
    headers: &HeaderMap,
    next: &str,
    message: Option<String>,
    status: StatusCode,
) -> Response {
    let Some((nonce, csrf)) = state.sessions.as_ref().and_then(|s| s.sign_in_pair()) else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot make a sign-in form\n",
        )
            .into_response();
    };
    let mut r = html(
        status,
        &SignInPage {
            chrome: Chrome::standalone("Sign in to edit"),
            next: next.to_string(),
            csrf,
            message,
        },
    );
    if let Some(v) = set_cookie(
        SIGN_IN_COOKIE,
        &nonce,
        SIGN_IN_LIFE.as_secs(),
        secure(state, headers),
    ) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// A write-enabled server, or the page saying it is not.
fn writable(state: &AppState) -> std::result::Result<(), Response> {
    if state.writable() {
        Ok(())
    } else {
        Err((
            StatusCode::FORBIDDEN,
            "this server is read-only: edit on the primary\n",
        )
            .into_response())
    }
}

#[derive(Deserialize)]
struct SignInForm {
    token: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    csrf: String,
}

async fn sign_in(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    if let Err(r) = writable(&state) {
        return r;
    }
    // Only back to an editor page of this site.
    let next = if form.next.starts_with("/edit/") && !form.next.contains("//") {
        form.next.clone()
    } else {
        "/edit/".to_string()
    };
    let (Some(sessions), Some(tokens)) = (state.sessions.as_ref(), state.tokens.as_ref()) else {
        return (StatusCode::FORBIDDEN, "this server has no editors\n").into_response();
    };
    // Login CSRF: the form must come from a sign-in page this browser loaded.
    let from_our_form =
        cookie(&headers, SIGN_IN_COOKIE).is_some_and(|c| sessions.sign_in_valid(c, &form.csrf));
    if !from_our_form {
        return sign_in_page(
            &state,
            &headers,
            &next,
            Some(
                "This sign-in form is stale or did not come from this site: sign in again here."
                    .to_string(),
            ),
            StatusCode::FORBIDDEN,
        );
    }
    let token = form.token.trim().to_string();
    let checking = std::sync::Arc::clone(&state);
    let identity = tokio::task::spawn_blocking(move || {
        checking.tokens.as_ref().and_then(|t| t.identify(&token))
    })
    .await
    .ok()
    .flatten();
    let Some(identity) = identity.filter(may_write) else {
        return sign_in_page(
            &state,
            &headers,
            &next,
            Some("That token is not an editor's token here.".to_string()),
            StatusCode::UNAUTHORIZED,
        );
    };
    let id = match sessions.start(&identity, tokens) {
        Ok(id) => id,
        Err(e) => return super::error_response(&e),
    };
    let secure = secure(&state, &headers);
    let mut r = Redirect::to(&next).into_response();
    for v in [
        set_cookie(COOKIE, &id, SESSION_LIFE.as_secs(), secure),
        // The sign-in form's value is spent.
        set_cookie(SIGN_IN_COOKIE, "", 0, secure),
    ]
    .into_iter()
    .flatten()
    {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn sign_out(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Some(session) = session(&state, &headers) {
        if csrf_matches(&session, &form.csrf) {
            if let (Some(sessions), Some(id)) = (&state.sessions, cookie(&headers, COOKIE)) {
                sessions.end(id);
            }
        }
    }
    let mut r = Redirect::to("/edit/").into_response();
    if let Some(v) = set_cookie(COOKIE, "", 0, secure(&state, &headers)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

fn csrf_matches(session: &Session, given: &str) -> bool {
    constant_time_eq(session.csrf.as_bytes(), given.as_bytes())
}

async fn new_form(State(state): State<Shared>, headers: HeaderMap) -> Response {
    if let Err(r) = writable(&state) {
        return r;
    }
    let Some(session) = session(&state, &headers) else {
        return sign_in_page(&state, &headers, "/edit/", None, StatusCode::OK);
    };
    let mut page = EditPage::blank(&session, None);
    page.chrome = Chrome::standalone("New explainer");
    page.text = "+++\ntitle = \"\"\n+++\n\n".to_string();
    html(StatusCode::OK, &page)
}

async fn edit_form(
    State(state): State<Shared>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = writable(&state) {
        return r;
    }
    let Ok(slug) = Slug::new(&slug) else {
        return (StatusCode::NOT_FOUND, "no such explainer\n").into_response();
    };
    let Some(session) = session(&state, &headers) else {
        return sign_in_page(
            &state,
            &headers,
            &format!("/edit/{slug}"),
            None,
            StatusCode::OK,
        );
    };
    let loading = slug.clone();
    let newest = state
        .blocking(move |_, store| {
            let version = store.resolve(&loading, &VersionRef::Latest)?;
            let text = store.text(&loading, &version)?;
            let title = store.document(&loading, &version)?.meta.title;
            Ok((version, text, title))
        })
        .await;
    match newest {
        Ok((version, text, title)) => {
            let mut page = EditPage::blank(&session, Some(&slug));
            page.chrome = Chrome::standalone(&format!("Edit {title}"));
            page.title = title;
            page.base = version.id.to_string();
            page.base_version = Some(VersionView::new(&version));
            page.text = text;
            html(StatusCode::OK, &page)
        }
        Err(Error::UnknownExplainer(_)) => (
            StatusCode::NOT_FOUND,
            "no such explainer: start a new one at /edit/\n",
        )
            .into_response(),
        Err(e) => super::error_response(&e),
    }
}

#[derive(Deserialize)]
struct EditForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    base: String,
    #[serde(default)]
    slug: String,
    text: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    action: String,
}

async fn submit_new(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<EditForm>,
) -> Response {
    let slug = form.slug.trim().to_string();
    handle(state, headers, None, slug, form).await
}

async fn submit(
    State(state): State<Shared>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(form): Form<EditForm>,
) -> Response {
    handle(state, headers, Some(slug.clone()), slug, form).await
}

/// What a submitted form became.
enum Outcome {
    Preview(Option<crate::summary::Summary>),
    Written(Written),
}

async fn handle(
    state: Shared,
    headers: HeaderMap,
    path_slug: Option<String>,
    slug: String,
    form: EditForm,
) -> Response {
    if let Err(r) = writable(&state) {
        return r;
    }
    let Some(session) = session(&state, &headers) else {
        let next = path_slug.map_or("/edit/".to_string(), |s| format!("/edit/{s}"));
        return sign_in_page(
            &state,
            &headers,
            &next,
            Some("Your session has ended: sign in again. Your text was not stored.".into()),
            StatusCode::UNAUTHORIZED,
        );
    };
    if !csrf_matches(&session, &form.csrf) {
        return (
            StatusCode::FORBIDDEN,
            "the form is stale or forged (CSRF token mismatch): reload the editor\n",
        )
            .into_response();
    }
    let minor = form.kind == "minor";
    let mut page = EditPage::blank(
        &session,
        path_slug.as_ref().and_then(|s| Slug::new(s).ok()).as_ref(),
    );
    page.chrome = Chrome::standalone("Edit");
    page.text = form.text.replace("\r\n", "\n");
    page.note = form.note.clone();
    page.minor = minor;
    page.base = form.base.clone();
    page.new_slug = slug.clone();
    let slug = match Slug::new(&slug) {
        Ok(s) => s,
        Err(e) => {
            page.message = Some(e.to_string());
            return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    page.title = slug.to_string();
    let update = UpdateBody {
        text: page.text.clone(),
        format: Format::Markdown,
        note: Some(form.note.clone()).filter(|n| !n.trim().is_empty()),
        kind: Some(if minor {
            UpdateKind::Minor
        } else {
            UpdateKind::Major
        }),
        updated: None,
    };
    let expect = Some(form.base.trim().to_ascii_lowercase()).filter(|b| !b.is_empty());
    let editor = session.identity.name.clone();
    let publish = form.action == "publish";
    let working = slug.clone();
    let outcome = state
        .blocking(move |state, store| {
            // The version the editor started from and its title, for the
            // page's heading when it comes back (preview, conflict, error).
            let started_from = expect.as_ref().and_then(|id| {
                let version = store
                    .resolve(&working, &VersionRef::Commit(id.clone()))
                    .ok()?;
                let title = store.document(&working, &version).ok()?.meta.title;
                Some((version, title))
            });
            let outcome = if publish {
                let create_only = expect.is_none();
                api::write_update(state, store, &working, &update, expect, create_only, editor)
                    .map(Outcome::Written)
            } else {
                api::preview_summary(state, store, &working, &update, &editor).map(Outcome::Preview)
            };
            Ok((outcome, started_from))
        })
        .await;
    let (outcome, started_from) = match outcome {
        Ok(both) => both,
        Err(e) => (Err(e), None),
    };
    if let Some((version, title)) = started_from {
        page.chrome = Chrome::standalone(&format!("Edit {title}"));
        page.title = title;
        page.base_version = Some(VersionView::new(&version));
    }
    match outcome {
        Ok(Outcome::Preview(Some(summary))) => {
            let header = DiffHeader::between(summary.title.clone(), &summary.base, &summary.head);
            page.preview = Some(PreviewView {
                highlights: highlight_views(&summary.highlights),
                diff: DiffView::new(&summary.changes, &header),
            });
            html(StatusCode::OK, &page)
        }
        Ok(Outcome::Preview(None)) => {
            page.message =
                Some("A new explainer: readers will see this text as its first version.".into());
            html(StatusCode::OK, &page)
        }
        Ok(Outcome::Written(Written::Created(_) | Written::Unchanged(_))) => {
            Redirect::to(&format!("/{slug}/changes.html")).into_response()
        }
        Ok(Outcome::Written(Written::Stale {
            newer,
            changes,
            base,
            ..
        })) => {
            page.base = newer.id.to_string();
            page.base_version = Some(VersionView::new(&newer));
            let diff = match changes {
                Some(c) => DiffView::new(
                    &c,
                    &DiffHeader::between(slug.to_string(), base.as_ref().unwrap_or(&newer), &newer),
                ),
                None => DiffView::new(
                    &diff::ChangeSet::default(),
                    &DiffHeader::between(slug.to_string(), &newer, &newer),
                ),
            };
            page.conflict = Some(ConflictView {
                newer: VersionView::new(&newer),
                diff,
            });
            html(StatusCode::CONFLICT, &page)
        }
        Ok(Outcome::Written(Written::Exists(newer) | Written::Unconditional(newer))) => {
            page.message = Some(format!(
                "{slug} already exists ({} by {}): open /edit/{slug} to edit it. Nothing was stored.",
                newer.label(),
                newer.editor
            ));
            html(StatusCode::CONFLICT, &page)
        }
        Err(e) => {
            page.message = Some(e.to_string());
            let status = StatusCode::from_u16(e.kind().http_status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            html(status, &page)
        }
    }
}
