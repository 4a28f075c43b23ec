//! Readers' pages: the static site's URL scheme ([`Page`]), rendered by the
//! page model once per store tip, plus `/<slug>/since?when=…&until=…`.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{error_response, page_response, Rendered, Shared};
use crate::error::{Error, Result};
use crate::model::VersionRef;
use crate::pages::{self, Page, TEMPLATE_VERSION};
use crate::slug::Slug;
use crate::store::Store;
use crate::summary;

const HTML: &str = "text/html; charset=utf-8";
const ATOM: &str = "application/atom+xml; charset=utf-8";

/// `?when=…&until=…`.
#[derive(Deserialize)]
pub(crate) struct Window {
    when: Option<String>,
    until: Option<String>,
}

/// Any GET that is not the API: a readers' page, or 404.
pub(crate) async fn page(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    query: Query<Window>,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    let path = uri.path();
    // `/<slug>` → `/<slug>/`, so the page's relative links resolve.
    if let Some(slug) = path.strip_prefix('/').filter(|s| !s.contains('/')) {
        if Slug::new(slug).is_ok() {
            return Redirect::permanent(&format!("/{slug}/")).into_response();
        }
    }
    if let Some(slug) = path
        .strip_prefix('/')
        .and_then(|p| p.strip_suffix("/since"))
        .and_then(|s| Slug::new(s).ok())
    {
        return since_window(state, slug, query.0, &headers).await;
    }
    let Some(page) = Page::parse(path) else {
        return not_found();
    };
    let tip = state.tip();
    let key = page.path();
    if let Some(cached) = state.cached(&tip, &key) {
        return page_response(&headers, &cached);
    }
    let rendered = {
        let tip = tip.clone();
        state
            .blocking(move |state, store| render(state, store, &tip, &page))
            .await
    };
    match rendered {
        Ok(Some(rendered)) => {
            state.remember(&tip, &key, &rendered);
            page_response(&headers, &rendered)
        }
        Ok(None) | Err(Error::UnknownExplainer(_)) => not_found(),
        Err(e) => error_response(&e),
    }
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "no such page\n",
    )
        .into_response()
}

/// The validator of pages rendered from `tip`.
fn tip_etag(tip: &Option<String>) -> String {
    format!(
        "\"{}-t{TEMPLATE_VERSION}\"",
        tip.as_deref().unwrap_or("empty")
    )
}

/// Render one page from the store as of `tip` (`None`: no such page).
fn render(
    state: &super::AppState,
    store: &Store,
    tip: &Option<String>,
    page: &Page,
) -> Result<Option<Rendered>> {
    let content_type = if page.is_feed() { ATOM } else { HTML };
    let whole_site = || -> Result<Vec<Arc<std::sync::Mutex<pages::ExplainerPages>>>> {
        let mut all = Vec::new();
        for slug in store.histories()?.keys() {
            match state.explainer_pages(store, tip, slug) {
                Ok(p) => all.push(p),
                // Left out, as `redline build` leaves it out.
                Err(Error::Input { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(all)
    };
    let poisoned = || Error::Render("a page model was poisoned by a panic".into());
    let bytes = match page {
        Page::Index => {
            let mut listed = Vec::new();
            for p in whole_site()? {
                listed.push(p.lock().map_err(|_| poisoned())?.listing());
            }
            pages::index(&listed)?
        }
        Page::SiteFeed => {
            let mut entries = Vec::new();
            for p in whole_site()? {
                entries.extend(p.lock().map_err(|_| poisoned())?.feed_entries()?);
            }
            pages::site_feed(&state.links, entries)?
        }
        _ => {
            let Some(slug) = page.slug() else {
                return Ok(None);
            };
            let explainer = state.explainer_pages(store, tip, slug)?;
            let mut explainer = explainer.lock().map_err(|_| poisoned())?;
            let Some(bytes) = explainer.render(&state.links, page)? else {
                return Ok(None);
            };
            if let Page::Diff(_, n) = page {
                // A diff page shows one fixed pair of versions: validated by
                // the version's own commit, cacheable for ever.
                let id = explainer
                    .version(*n)
                    .map(|v| v.id.clone())
                    .unwrap_or_default();
                return Ok(Some(Rendered {
                    bytes: bytes.into(),
                    etag: format!("\"{id}-t{TEMPLATE_VERSION}\""),
                    immutable: true,
                    content_type,
                }));
            }
            bytes
        }
    };
    Ok(Some(Rendered {
        bytes: bytes.into(),
        etag: tip_etag(tip),
        immutable: false,
        content_type,
    }))
}

/// `/<slug>/since?when=…[&until=…]`: a summary page for any window.
async fn since_window(state: Shared, slug: Slug, window: Window, headers: &HeaderMap) -> Response {
    let Some(when) = window.when.filter(|w| !w.trim().is_empty()) else {
        return (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "give ?when= a date (2025-03-01), a datetime, vN or a commit id\n",
        )
            .into_response();
    };
    let tip = state.tip();
    let key = format!("{slug}/since?{}", serde_json::json!([when, window.until]));
    if let Some(cached) = state.cached(&tip, &key) {
        return page_response(headers, &cached);
    }
    let until = window.until.filter(|u| !u.trim().is_empty());
    let rendered = {
        let tip = tip.clone();
        state
            .blocking(move |_, store| {
                let when: VersionRef = when.parse()?;
                let until = until.map(|u| u.parse::<VersionRef>()).transpose()?;
                let window = store.window(&slug, &when, until.as_ref())?;
                let summary = summary::since(&window, &crate::diff::DiffOptions::default())?;
                Ok(Rendered {
                    bytes: pages::since_window(&summary)?.into(),
                    etag: tip_etag(&tip),
                    immutable: false,
                    content_type: HTML,
                })
            })
            .await
    };
    match rendered {
        Ok(rendered) => {
            state.remember(&tip, &key, &rendered);
            page_response(headers, &rendered)
        }
        Err(e) => {
            let status = StatusCode::from_u16(e.kind().http_status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let status = if status == StatusCode::UNPROCESSABLE_ENTITY {
                StatusCode::BAD_REQUEST
            } else {
                status
            };
            (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                format!("{e}\n"),
            )
                .into_response()
        }
    }
}
