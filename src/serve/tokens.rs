//! Editors' and readers' tokens: a TOML file of names, roles and argon2id
//! hashes (never the tokens themselves).
//!
//! ```toml
//! [[token]]
//! name = "Jane Doe"          # recorded as the commit author of her updates
//! role = "editor"            # or "reader": may read, never write
//! id = "3f9c1a2b"            # public: picks the hash to check
//! hash = "$argon2id$v=19$m=19456,t=2,p=1$..."
//! ```
//!
//! A token reads `rl_<id>_<secret>`: the id picks one entry, whose argon2
//! hash is checked against the whole token (argon2's comparison is
//! constant-time). A token checked once is remembered (until the file
//! changes) so a busy editor does not pay for argon2 on every request.

use crate::ids::hex;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// May publish updates.
    Editor,
    /// May read (the API and pages), never write.
    Reader,
}

impl std::str::FromStr for Role {
    type Err = Error;
    fn from_str(s: &str) -> Result<Role> {
        match s {
            "editor" => Ok(Role::Editor),
            "reader" => Ok(Role::Reader),
            other => Err(Error::bad_input(
                "role",
                other,
                format!("unknown role {other:?}: use \"editor\" or \"reader\""),
            )),
        }
    }
}

/// One line of the tokens file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenEntry {
    /// The owner: the editor name recorded on their updates.
    pub name: String,
    /// What the token may do.
    pub role: Role,
    /// Public id, the `<id>` of `rl_<id>_<secret>`.
    pub id: String,
    /// argon2id PHC string of the whole token.
    pub hash: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TokensFile {
    #[serde(default)]
    token: Vec<TokenEntry>,
}

/// Who a checked token belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The owner's name.
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// The token's public id (the `<id>` of `rl_<id>_<secret>`).
    pub token_id: String,
}

/// What identifies a version of the tokens file without reading it: a change
/// of any (a rewrite renames a new file into place) means "read it again".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<std::time::SystemTime>,
    len: u64,
    #[cfg(unix)]
    inode: u64,
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Stamp {
            modified: meta.modified().ok(),
            len: meta.len(),
            #[cfg(unix)]
            inode: meta.ino(),
        }
    }
}

/// The entries in force and the file version they came from.
struct Loaded {
    entries: Vec<TokenEntry>,
    in_force: Stamp,
    /// A file version found invalid, or `Some(None)` for a missing file:
    /// already logged once; the entries in force stay.
    refused: Option<Option<Stamp>>,
}

/// The tokens a server accepts: the tokens file, read again when it changes.
///
/// Each check first compares the file's modification time, size and inode
/// with the version in force (one `stat`), so `redline token add` takes
/// effect on the next request and a removed token stops working at once. A
/// file that becomes invalid (or goes missing) is refused with one logged line
/// naming the file and line; the last good set stays in force.
pub struct Tokens {
    path: PathBuf,
    loaded: RwLock<Loaded>,
    /// Tokens already checked, so argon2 runs once per token per file version.
    checked: Mutex<HashMap<String, Identity>>,
}

impl Tokens {
    /// Read a tokens file; a missing or malformed file is an error naming it
    /// (and the line).
    pub fn load(path: &Path) -> Result<Tokens> {
        let (entries, in_force) = read(path)?;
        Ok(Tokens {
            path: path.to_path_buf(),
            loaded: RwLock::new(Loaded {
                entries,
                in_force,
                refused: None,
            }),
            checked: Mutex::new(HashMap::new()),
        })
    }

    /// Read the file again if it changed since the version in force.
    fn refresh(&self) {
        let now = std::fs::metadata(&self.path).ok().map(|m| Stamp::of(&m));
        let unchanged =
            |loaded: &Loaded| now == Some(loaded.in_force) || loaded.refused == Some(now);
        if self.loaded.read().map_or(true, |l| unchanged(&l)) {
            return;
        }
        let Ok(mut loaded) = self.loaded.write() else {
            return;
        };
        if unchanged(&loaded) {
            return;
        }
        match read(&self.path) {
            Ok((entries, in_force)) => {
                *loaded = Loaded {
                    entries,
                    in_force,
                    refused: None,
                };
                if let Ok(mut checked) = self.checked.lock() {
                    checked.clear();
                }
                tracing::info!(
                    target: "redline::serve",
                    "read {} again: {} tokens",
                    self.path.display(),
                    loaded.entries.len()
                );
            }
            Err(e) => {
                tracing::error!(
                    target: "redline::serve",
                    "{e}; keeping the {} tokens read before",
                    loaded.entries.len()
                );
                loaded.refused = Some(now);
            }
        }
    }

    /// Who `token` belongs to, or `None` for a token the file does not hold.
    pub fn identify(&self, token: &str) -> Option<Identity> {
        self.refresh();
        if let Ok(checked) = self.checked.lock() {
            if let Some(identity) = checked.get(token) {
                return Some(identity.clone());
            }
        }
        let id = token.strip_prefix("rl_")?.split('_').next()?;
        let entry = self.entry(id)?;
        let hash = PasswordHash::new(&entry.hash).ok()?;
        Argon2::default()
            .verify_password(token.as_bytes(), &hash)
            .ok()?;
        let identity = Identity {
            name: entry.name.clone(),
            role: entry.role,
            token_id: entry.id.clone(),
        };
        if let Ok(mut checked) = self.checked.lock() {
            checked.insert(token.to_string(), identity.clone());
        }
        Some(identity)
    }

    /// The entry in force with public id `id` (the file is read again first
    /// if it changed): what a browser session re-checks on every request.
    pub fn current(&self, id: &str) -> Option<TokenEntry> {
        self.refresh();
        self.entry(id)
    }

    fn entry(&self, id: &str) -> Option<TokenEntry> {
        let loaded = self.loaded.read().ok()?;
        loaded.entries.iter().find(|e| e.id == id).cloned()
    }
}

/// Read and check the tokens file, with the version read.
fn read(path: &Path) -> Result<(Vec<TokenEntry>, Stamp)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let stamp = file
        .metadata()
        .map(|m| Stamp::of(&m))
        .map_err(|e| Error::io(path, e))?;
    let mut text = String::new();
    file.read_to_string(&mut text)
        .map_err(|e| Error::io(path, e))?;
    let line_at = |offset: usize| {
        text.get(..offset)
            .map_or(1, |t| t.matches('\n').count() + 1)
    };
    let parsed: TokensFile = toml::from_str(&text).map_err(|e| Error::Config {
        path: path.to_path_buf(),
        message: match e.span() {
            Some(span) => format!("line {}: {}", line_at(span.start), e.message()),
            None => e.message().to_string(),
        },
    })?;
    for entry in &parsed.token {
        PasswordHash::new(&entry.hash).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: format!(
                "line {}: token {:?} ({}): hash unreadable: {e}",
                text.find(entry.hash.as_str()).map_or(1, line_at),
                entry.name,
                entry.id
            ),
        })?;
    }
    Ok((parsed.token, stamp))
}

/// Add a token for `name` to the tokens file at `path` (created if absent) and
/// return the new token: the only time it exists outside its owner's hands.
pub fn add(path: &Path, name: &str, role: Role) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::bad_input(
            "name",
            "",
            "a token needs its owner's name".to_string(),
        ));
    }
    let mut file: TokensFile = match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str(&text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: e.message().to_string(),
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => TokensFile::default(),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut rng = rand::rng();
    let mut id_bytes = [0u8; 4];
    let mut secret = [0u8; 32];
    rng.fill_bytes(&mut id_bytes);
    rng.fill_bytes(&mut secret);
    let id = hex(&id_bytes);
    let token = format!("rl_{id}_{}", hex(&secret));
    let mut salt = [0u8; 16];
    rng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::Render(e.to_string()))?;
    let hash = Argon2::default()
        .hash_password(token.as_bytes(), &salt)
        .map_err(|e| Error::Render(e.to_string()))?
        .to_string();
    file.token.push(TokenEntry {
        name: name.to_string(),
        role,
        id,
        hash,
    });
    let text = toml::to_string(&file).map_err(|e| Error::Render(e.to_string()))?;
    write_whole(path, &text)?;
    Ok(token)
}

/// Write `text` to `path` whole (a temporary file renamed into place), readable
/// by its owner only: hashes are not secrets, but nobody else needs them.
fn write_whole(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| Error::io(&dir, e))?;
    tmp.write_all(text.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io(path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o600));
    }
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_token_identifies_its_owner_and_nothing_else_does() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens.toml");
        let jane = add(&path, "Jane Doe", Role::Editor).unwrap();
        let rita = add(&path, "Rita", Role::Reader).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains(&jane) && !text.contains(&rita), "{text}");
        let tokens = Tokens::load(&path).unwrap();
        assert_eq!(
            tokens.identify(&jane),
            Some(Identity {
                name: "Jane Doe".into(),
                role: Role::Editor,
                token_id: jane[3..11].to_string(),
            })
        );
        assert_eq!(tokens.identify(&rita).map(|i| i.role), Some(Role::Reader));
        // Same id, wrong secret.
        let forged = format!("{}0", &jane[..jane.len() - 1]);
        let forged = if forged == jane {
            format!("{}1", &jane[..jane.len() - 1])
        } else {
            forged
        };
        assert_eq!(tokens.identify(&forged), None);
        assert_eq!(tokens.identify("rl_nothing_here"), None);
        assert_eq!(tokens.identify(""), None);
    }
}
