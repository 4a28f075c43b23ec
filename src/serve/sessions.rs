//! The web editor's sign-ins, kept across restarts.
//!
//! A session is a random 256-bit id in an `HttpOnly`, `SameSite=Strict`
//! cookie. The server keeps, in `<store>/redline-serve/sessions.json` (mode
//! 0600, rewritten whole with [`crate::atomic_file`] on every sign-in and
//! sign-out), only a hash of each id, the token it was opened with, its CSRF
//! token and its start: the file lets nobody sign in. A session ends after
//! [`SESSION_LIFE`], on sign-out, and as soon as its token is removed from the
//! tokens file (or changed, or made a reader's): every request re-checks it
//! against the tokens in force.
//!
//! The sign-in form is protected against login CSRF by a per-browser random
//! value in a short-lived cookie, whose keyed BLAKE2 MAC (the key is
//! `<store>/redline-serve/key`, 32 random bytes, mode 0600, made on first
//! start) is the form's hidden `csrf` field: another site can neither read
//! the cookie nor compute the MAC.

use crate::ids::hex;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use blake2::digest::consts::U32;
use blake2::digest::{Digest, Mac};
use blake2::{Blake2b, Blake2bMac};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use super::tokens::{Identity, Role, Tokens};
use crate::error::{Error, Result};

/// How long a sign-in lasts.
pub(crate) const SESSION_LIFE: Duration = Duration::from_secs(12 * 60 * 60);

/// How long a sign-in form stays usable.
pub(crate) const SIGN_IN_LIFE: Duration = Duration::from_secs(60 * 60);

/// A signed-in editor's browser session.
#[derive(Clone)]
pub(crate) struct Session {
    pub identity: Identity,
    pub csrf: String,
}

/// One session as kept on disk.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Kept {
    /// The token's public id.
    token: String,
    /// Hash of the token's entry (its argon2 hash): a token replaced under
    /// the same id does not carry the session over.
    entry: String,
    csrf: String,
    /// Seconds since the Unix epoch.
    started: u64,
}

/// The server's sessions (see the module docs).
pub(crate) struct Sessions {
    file: PathBuf,
    key: [u8; 32],
    /// Hash of the session id → the session.
    live: Mutex<HashMap<String, Kept>>,
}

impl Sessions {
    /// Open the sessions of the server on `store`: make the folder and key on
    /// first start, read the sessions left by the last run (expired ones
    /// dropped). An unreadable sessions file signs everyone out, with a warning.
    pub(crate) fn open(store: &Path) -> Result<Sessions> {
        let dir = store.join("redline-serve");
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir).map_err(|e| Error::io(&dir, e))?;
        let key = key(&dir.join("key"))?;
        let file = dir.join("sessions.json");
        let live = match std::fs::read(&file) {
            Ok(bytes) => match serde_json::from_slice::<HashMap<String, Kept>>(&bytes) {
                Ok(kept) => kept,
                Err(e) => {
                    tracing::warn!(
                        target: "redline::serve",
                        "{}: unreadable ({e}); every editor signs in again",
                        file.display()
                    );
                    HashMap::new()
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => HashMap::new(),
            Err(e) => return Err(Error::io(&file, e)),
        };
        let sessions = Sessions {
            file,
            key,
            live: Mutex::new(live),
        };
        if let Ok(mut live) = sessions.live.lock() {
            let before = live.len();
            live.retain(|_, k| !expired(k.started, SESSION_LIFE));
            if live.len() != before {
                sessions.save(&live)?;
            }
        }
        Ok(sessions)
    }

    /// Open a session for the holder of `identity`'s token; the new session id.
    pub(crate) fn start(&self, identity: &Identity, tokens: &Tokens) -> Result<String> {
        let entry = tokens
            .current(&identity.token_id)
            .ok_or_else(|| Error::Render("the token was removed while signing in".into()))?;
        let id = random_hex();
        let mut live = self
            .live
            .lock()
            .map_err(|_| Error::Render("the sessions lock was poisoned".into()))?;
        live.retain(|_, k| !expired(k.started, SESSION_LIFE));
        live.insert(
            digest(id.as_bytes()),
            Kept {
                token: identity.token_id.clone(),
                entry: digest(entry.hash.as_bytes()),
                csrf: random_hex(),
                started: now(),
            },
        );
        self.save(&live)?;
        Ok(id)
    }

    /// The session `id` names, if it is live and its token is still an
    /// editor's; a session found dead is removed.
    pub(crate) fn find(&self, id: &str, tokens: &Tokens) -> Option<Session> {
        let hashed = digest(id.as_bytes());
        let kept = self.live.lock().ok()?.get(&hashed).cloned()?;
        let entry = tokens.current(&kept.token);
        let valid = !expired(kept.started, SESSION_LIFE)
            && entry
                .as_ref()
                .is_some_and(|e| e.role == Role::Editor && digest(e.hash.as_bytes()) == kept.entry);
        match (valid, entry) {
            (true, Some(entry)) => Some(Session {
                identity: Identity {
                    name: entry.name,
                    role: entry.role,
                    token_id: entry.id,
                },
                csrf: kept.csrf,
            }),
            _ => {
                self.end(id);
                None
            }
        }
    }

    /// End the session `id` (sign-out, or found dead).
    pub(crate) fn end(&self, id: &str) {
        let hashed = digest(id.as_bytes());
        if let Ok(mut live) = self.live.lock() {
            if live.remove(&hashed).is_some() {
                if let Err(e) = self.save(&live) {
                    tracing::error!(target: "redline::serve", "{e}");
                }
            }
        }
    }

    fn save(&self, live: &HashMap<String, Kept>) -> Result<()> {
        let bytes = serde_json::to_vec(live).map_err(|e| Error::Render(e.to_string()))?;
        crate::atomic_file::write_private(&self.file, &bytes).map_err(|e| Error::io(&self.file, e))
    }

    /// A new sign-in form's pair: the cookie's value and the form's `csrf`.
    pub(crate) fn sign_in_pair(&self) -> Option<(String, String)> {
        let nonce = format!("{}.{}", now(), random_hex());
        let csrf = self.sign_in_mac(&nonce)?;
        Some((nonce, csrf))
    }

    /// Whether a sign-in form's `csrf` matches its cookie, and is recent.
    pub(crate) fn sign_in_valid(&self, cookie: &str, csrf: &str) -> bool {
        let fresh = cookie
            .split_once('.')
            .and_then(|(t, _)| t.parse::<u64>().ok())
            .is_some_and(|t| !expired(t, SIGN_IN_LIFE));
        fresh
            && self
                .sign_in_mac(cookie)
                .is_some_and(|mac| constant_time_eq(mac.as_bytes(), csrf.as_bytes()))
    }

    /// `None` only if BLAKE2b refused the key (it takes up to 64 bytes).
    fn sign_in_mac(&self, nonce: &str) -> Option<String> {
        let mut mac = <Blake2bMac<U32> as Mac>::new_from_slice(&self.key).ok()?;
        mac.update(b"redline sign-in form\0");
        mac.update(nonce.as_bytes());
        Some(hex(&mac.finalize().into_bytes()))
    }
}

/// The MAC key at `path`, made (32 random bytes, mode 0600) when absent.
fn key(path: &Path) -> Result<[u8; 32]> {
    match std::fs::read(path) {
        Ok(bytes) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(path)
                    .map_err(|e| Error::io(path, e))?
                    .permissions()
                    .mode();
                if mode & 0o077 != 0 {
                    return Err(Error::Config {
                        path: path.to_path_buf(),
                        message: format!(
                            "readable by others (mode {:o}): run `chmod 600 {}`",
                            mode & 0o777,
                            path.display()
                        ),
                    });
                }
            }
            bytes.try_into().map_err(|bytes: Vec<u8>| Error::Config {
                path: path.to_path_buf(),
                message: format!(
                    "{} bytes, not a 32-byte key: remove it to make a new one (editors sign in again)",
                    bytes.len()
                ),
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut key = [0u8; 32];
            rand::rng().fill_bytes(&mut key);
            // Whole or not at all, and never over a key another server made
            // meanwhile (tempfile makes the file 0600).
            let dir = path.parent().unwrap_or(Path::new("."));
            let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
            tmp.write_all(&key)
                .and_then(|()| tmp.as_file().sync_all())
                .map_err(|e| Error::io(path, e))?;
            match tmp.persist_noclobber(path) {
                Ok(_) => Ok(key),
                Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => self::key(path),
                Err(e) => Err(Error::io(path, e.error)),
            }
        }
        Err(e) => Err(Error::io(path, e)),
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn expired(started: u64, life: Duration) -> bool {
    now().saturating_sub(started) > life.as_secs() || started > now() + 60
}

fn digest(bytes: &[u8]) -> String {
    hex(&Blake2b::<U32>::digest(bytes))
}

fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

/// Compare without leaking where the first difference is.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_in_form_is_valid_only_with_its_own_cookie() {
        let dir = tempfile::tempdir().unwrap();
        let sessions = Sessions::open(dir.path()).unwrap();
        let (cookie, csrf) = sessions.sign_in_pair().unwrap();
        assert!(sessions.sign_in_valid(&cookie, &csrf));
        let (other_cookie, other_csrf) = sessions.sign_in_pair().unwrap();
        assert!(!sessions.sign_in_valid(&other_cookie, &csrf));
        assert!(!sessions.sign_in_valid(&cookie, &other_csrf));
        assert!(!sessions.sign_in_valid(&cookie, ""));
        // An old form (its time is part of the MAC'd value) is refused.
        let old = format!("{}.{}", now() - SIGN_IN_LIFE.as_secs() - 5, random_hex());
        assert!(!sessions.sign_in_valid(&old, &sessions.sign_in_mac(&old).unwrap()));
        // Another server's key (another store) makes other MACs.
        let elsewhere = tempfile::tempdir().unwrap();
        let other = Sessions::open(elsewhere.path()).unwrap();
        assert!(!other.sign_in_valid(&cookie, &csrf));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let key = dir.path().join("redline-serve/key");
            let mode = std::fs::metadata(key).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
