//! Read replicas: a mirror is a store fetched from the primary (plain git),
//! every `--fetch-interval` and when the primary's hook calls
//! `POST /hooks/fetch` with the shared secret.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::{error_response, json_response, problem, Shared};
use crate::error::Result;
use crate::store::Store;

/// Make `store` a mirror of `primary`: create it when absent, fetch once.
pub(super) fn prepare(store: &Path, primary: &str) -> Result<()> {
    let store = if store.exists() {
        Store::open(store)?
    } else {
        Store::init(store)?
    };
    store.fetch_main(primary)?;
    Ok(())
}

/// Fetch from the primary and note the new tip.
async fn fetch(state: &Shared) -> Result<Option<String>> {
    let Some(primary) = state.mirror_of.clone() else {
        return state.blocking(|_, store| store.tip()).await;
    };
    let tip = state
        .blocking(move |_, store| {
            store.fetch_main(&primary)?;
            store.tip()
        })
        .await?;
    state.set_tip(tip.clone());
    Ok(tip)
}

/// Fetch every `interval`; a failed fetch is logged and retried next time.
pub(super) async fn fetch_every(state: Shared, interval: Duration) {
    loop {
        tokio::time::sleep(interval).await;
        if let Err(e) = fetch(&state).await {
            tracing::warn!(target: "redline::serve", "fetch from the primary failed: {e}");
        }
    }
}

/// `POST /hooks/fetch` with `X-Redline-Secret: <secret>`: fetch now.
pub(super) async fn hook(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let Some(secret) = state.hook_secret.as_deref() else {
        return problem(
            StatusCode::NOT_FOUND,
            "not-found",
            "this server has no fetch hook (start it with --mirror-of and --hook-secret)",
            None,
        );
    };
    let given = headers
        .get("x-redline-secret")
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !constant_time_eq(given, secret.as_bytes()) {
        return problem(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "send the shared secret in X-Redline-Secret",
            None,
        );
    }
    match fetch(&Arc::clone(&state)).await {
        Ok(tip) => json_response(StatusCode::OK, &serde_json::json!({ "tip": tip })),
        Err(e) => error_response(&e),
    }
}

/// Compare without leaking where the first difference is.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
