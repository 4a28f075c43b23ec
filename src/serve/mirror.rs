//! Read replicas: a mirror is a store fetched from the primary (plain git),
//! every `--fetch-interval` and when the primary's hook calls
//! `POST /hooks/fetch` with the shared secret.
//!
//! The fetch runs the system `git fetch`, so ssh and https primaries work with
//! git's own transports and credentials (ssh config and agent, credential
//! helpers, `url.*.insteadOf`) and the binary links neither OpenSSL nor
//! libssh2. It never prompts: a fetch that needs a password fails, logged.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::sessions::constant_time_eq;
use super::{error_response, json_response, problem, Shared};
use crate::error::{Error, Result};
use crate::store::Store;

/// The longest a fetch may take before it is stopped (and retried next time).
const FETCH_TIMEOUT: Duration = Duration::from_secs(120);

/// Make `store` a mirror of `primary`: create it when absent, fetch once.
pub(super) fn prepare(store: &Path, primary: &str) -> Result<()> {
    if !store.exists() {
        Store::init(store)?;
    } else {
        Store::open(store)?;
    }
    fetch_main(store, primary)
}

/// Move the mirror's `main` to the primary's, with the system `git fetch`.
fn fetch_main(store: &Path, primary: &str) -> Result<()> {
    let failed = |why: String| Error::storage(format!("cannot fetch from {primary}: {why}"));
    // A URL is never an option of git's.
    if primary.starts_with('-') {
        return Err(failed("not a git URL or path".into()));
    }
    let mut child = Command::new("git")
        .arg("--git-dir")
        .arg(store)
        .args([
            "fetch",
            "--quiet",
            "--no-tags",
            "--no-write-fetch-head",
            "--no-recurse-submodules",
            primary,
            "+refs/heads/main:refs/heads/main",
        ])
        // Never ask: a service has nobody to answer.
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_ASKPASS", "true")
        .env("SSH_ASKPASS", "true")
        .env("SSH_ASKPASS_REQUIRE", "never")
        .env_remove("GIT_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            failed(format!(
                "cannot run git ({e}); a mirror needs git installed"
            ))
        })?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > FETCH_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failed(format!(
                    "git fetch took more than {} s and was stopped",
                    FETCH_TIMEOUT.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(failed(e.to_string())),
        }
    };
    if status.success() {
        return Ok(());
    }
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
    }
    // git's own words, on one line.
    let said = stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    Err(failed(if said.is_empty() {
        format!("git fetch {status}")
    } else {
        said
    }))
}

/// Fetch from the primary and note the new tip.
async fn fetch(state: &Shared) -> Result<Option<String>> {
    let Some(primary) = state.mirror_of.clone() else {
        return state.blocking(|_, store| store.tip()).await;
    };
    let tip = state
        .blocking(move |_, store| {
            fetch_main(store.path(), &primary)?;
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
