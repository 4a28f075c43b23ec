//! `redline serve`: readers' pages, the JSON API and editors' writes over HTTP.

use std::path::PathBuf;

use redline::error::Result;

use super::Context;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on (port 0 picks a free one; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: std::net::SocketAddr,
    /// Tokens file (see `redline token add`). Without it the server is read-only.
    #[arg(long)]
    tokens: Option<PathBuf>,
    /// Refuse writes even with --tokens.
    #[arg(long)]
    read_only: bool,
    /// The site's public URL, for feeds' absolute links and tag URIs.
    #[arg(long)]
    base_url: Option<String>,
    /// Serve a read-only mirror of this primary store (git URL or path), fetched regularly.
    #[arg(long)]
    mirror_of: Option<String>,
    /// How often a mirror fetches, in seconds (30s, 500ms and 2m also read).
    #[arg(long, default_value = "30s", value_parser = parse_interval)]
    fetch_interval: std::time::Duration,
    /// Shared secret of `POST /hooks/fetch` (a mirror fetches when the primary calls it).
    #[arg(long, env = "REDLINE_HOOK_SECRET")]
    hook_secret: Option<String>,
}

pub fn execute(args: Args, context: &Context) -> Result<u8> {
    let Args {
        listen,
        tokens,
        read_only,
        base_url,
        mirror_of,
        fetch_interval,
        hook_secret,
    } = args;
    redline::serve::run(redline::serve::Config {
        store: context.store.to_path_buf(),
        listen,
        tokens,
        read_only,
        base_url,
        mirror_of,
        fetch_interval,
        hook_secret,
        rules: context.rules()?,
    })?;
    Ok(0)
}

/// `30s`, `500ms`, `2m` or plain seconds.
fn parse_interval(raw: &str) -> std::result::Result<std::time::Duration, String> {
    let raw = raw.trim();
    let (number, unit) = match raw.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => raw.split_at(i),
        None => (raw, "s"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{raw:?}: give a duration like 30s, 500ms or 2m"))?;
    let d = match unit {
        "ms" => std::time::Duration::from_millis(n),
        "s" => std::time::Duration::from_secs(n),
        "m" => std::time::Duration::from_secs(n * 60),
        _ => return Err(format!("{raw:?}: give a duration like 30s, 500ms or 2m")),
    };
    if d.is_zero() {
        return Err(format!("{raw:?}: the interval must be above zero"));
    }
    Ok(d)
}
