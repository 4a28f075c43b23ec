//! git's tree and commit objects, serialised and named here rather than by
//! libgit2, so a bulk write builds every object in memory without an object
//! database (libgit2 would check each tree entry exists, so every blob would
//! first go into one): the formats are git's (`Documentation/gitformat-*`),
//! byte for byte what libgit2 writes, and an object's id is the SHA-1 of
//! `<type> <size>\0` and its data.

use std::cmp::Ordering;
use std::io::Write;

use git2::{ObjectType, Oid, Signature};

/// A tree entry's mode for a file (git normalises every blob to this or 755).
pub(super) const MODE_FILE: u32 = 0o100644;
/// A tree entry's mode for a folder.
pub(super) const MODE_TREE: u32 = 0o040000;

/// The id git gives an object of `kind` holding `data`: libgit2's SHA-1
/// with collision detection, as git's own, so data crafted to collide with
/// another object is refused rather than stored under that object's id.
pub(super) fn object_id(kind: ObjectType, data: &[u8]) -> Result<Oid, git2::Error> {
    Oid::hash_object(kind, data)
}

/// One entry of a tree: name, mode (as git stores it) and object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TreeEntry {
    pub name: Vec<u8>,
    pub mode: u32,
    pub id: Oid,
}

impl TreeEntry {
    fn is_tree(&self) -> bool {
        self.mode == MODE_TREE
    }
}

/// A tree's entries in git's order, updated one entry at a time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Tree {
    entries: Vec<TreeEntry>,
}

impl Tree {
    /// The entries of a stored tree, modes as stored.
    pub(super) fn read(tree: &git2::Tree<'_>) -> Tree {
        let mut entries: Vec<TreeEntry> = tree
            .iter()
            .map(|e| TreeEntry {
                name: e.name_bytes().to_vec(),
                mode: e.filemode_raw() as u32,
                id: e.id(),
            })
            .collect();
        // Stored trees are sorted already; sorting again costs nothing then
        // and keeps a malformed one from producing a tree git would refuse.
        entries.sort_by(git_order);
        Tree { entries }
    }

    /// The entry called `name`.
    pub(super) fn get(&self, name: &[u8]) -> Option<&TreeEntry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// Set the entry called `name` (replacing one of that name, whatever
    /// its mode), keeping git's order.
    pub(super) fn upsert(&mut self, name: &[u8], mode: u32, id: Oid) {
        self.entries.retain(|e| e.name != name);
        let entry = TreeEntry {
            name: name.to_vec(),
            mode,
            id,
        };
        let at = self
            .entries
            .partition_point(|e| git_order(e, &entry) == Ordering::Less);
        self.entries.insert(at, entry);
    }

    /// The tree object's data: per entry, the mode in octal, a space, the
    /// name, a NUL and the raw 20-byte id.
    pub(super) fn data(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.entries.len() * 48);
        for entry in &self.entries {
            // Writing into a Vec cannot fail.
            let _ = write!(out, "{:o} ", entry.mode);
            out.extend_from_slice(&entry.name);
            out.push(0);
            out.extend_from_slice(entry.id.as_bytes());
        }
        out
    }
}

/// git's tree order: names compared bytewise, a folder's as if it ended in `/`.
fn git_order(a: &TreeEntry, b: &TreeEntry) -> Ordering {
    sort_name(a).cmp(sort_name(b))
}

/// An entry's name as git sorts it.
fn sort_name(entry: &TreeEntry) -> impl Iterator<Item = u8> + '_ {
    let suffix: &'static [u8] = if entry.is_tree() { b"/" } else { b"" };
    entry.name.iter().chain(suffix).copied()
}

/// A commit object's data, as libgit2's `git_commit_create` writes it: tree,
/// parents, author, committer, a blank line and the message unchanged.
pub(super) fn commit_data(
    tree: Oid,
    parents: &[Oid],
    author: &Signature<'_>,
    committer: &Signature<'_>,
    message: &str,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(256 + message.len());
    out.extend_from_slice(format!("tree {tree}\n").as_bytes());
    for parent in parents {
        out.extend_from_slice(format!("parent {parent}\n").as_bytes());
    }
    signature_line(&mut out, "author", author);
    signature_line(&mut out, "committer", committer);
    out.push(b'\n');
    out.extend_from_slice(message.as_bytes());
    out
}

/// `<header> <name> <<email>> <seconds> <+|-><hh><mm>\n` (libgit2's
/// `git_signature__writebuf`; times are within git's unsigned 32-bit range,
/// see `time_range`).
fn signature_line(out: &mut Vec<u8>, header: &str, signature: &Signature<'_>) {
    let when = signature.when();
    let offset = when.offset_minutes();
    let sign = if offset < 0 || when.sign() == '-' {
        '-'
    } else {
        '+'
    };
    let offset = offset.unsigned_abs();
    out.extend_from_slice(header.as_bytes());
    out.push(b' ');
    out.extend_from_slice(signature.name_bytes());
    out.extend_from_slice(b" <");
    out.extend_from_slice(signature.email_bytes());
    out.extend_from_slice(
        format!(
            "> {} {sign}{:02}{:02}\n",
            when.seconds() as u32,
            offset / 60,
            offset % 60
        )
        .as_bytes(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> (tempfile::TempDir, git2::Repository) {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init_bare(dir.path()).unwrap();
        (dir, repo)
    }

    #[test]
    fn ids_agree_with_libgit2() {
        for data in [&b""[..], b"hello\n", &[0u8, 1, 2, 255][..]] {
            for kind in [ObjectType::Blob, ObjectType::Tree, ObjectType::Commit] {
                // Against the definition: SHA-1 of `<type> <size>\0<data>`.
                let mut framed = format!("{} {}\0", kind.str(), data.len()).into_bytes();
                framed.extend_from_slice(data);
                let digest = sha1_smol::Sha1::from(&framed).digest().bytes();
                assert_eq!(
                    object_id(kind, data).unwrap(),
                    Oid::from_bytes(&digest).unwrap()
                );
            }
        }
    }

    #[test]
    fn trees_are_byte_for_byte_what_libgit2_writes() {
        // Synthetic names chosen to exercise git's order: a folder `a` sorts
        // as `a/`, after the file `a.md` ('.' < '/') and before `a0`.
        let (_dir, repo) = repo();
        let blob = repo.blob(b"x").unwrap();
        let mut builder = repo.treebuilder(None).unwrap();
        builder.insert("z.md", blob, 0o100644).unwrap();
        let inner = builder.write().unwrap();
        let mut ours = Tree::default();
        let mut theirs = repo.treebuilder(None).unwrap();
        let entries: [(&str, u32, Oid); 6] = [
            ("a0", MODE_FILE, blob),
            ("a", MODE_TREE, inner),
            ("a.md", MODE_FILE, blob),
            ("b", 0o100755, blob),
            ("a-b", MODE_TREE, inner),
            ("A", MODE_FILE, blob),
        ];
        for (name, mode, id) in entries {
            ours.upsert(name.as_bytes(), mode, id);
            theirs.insert(name, id, mode as i32).unwrap();
        }
        // Replacing an entry keeps one of that name, with the new mode.
        ours.upsert(b"a0", MODE_TREE, inner);
        theirs.insert("a0", inner, MODE_TREE as i32).unwrap();
        let theirs = repo.find_tree(theirs.write().unwrap()).unwrap();
        let odb = repo.odb().unwrap();
        let expected = odb.read(theirs.id()).unwrap();
        assert_eq!(ours.data(), expected.data());
        assert_eq!(
            object_id(ObjectType::Tree, &ours.data()).unwrap(),
            theirs.id()
        );
        assert_eq!(Tree::read(&theirs), ours);
        assert_eq!(ours.get(b"a").map(|e| e.id), Some(inner));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Any names (bytes git allows: no NUL or '/'), files and folders,
        /// set in any order, some twice: the same bytes as libgit2's builder.
        #[test]
        fn any_tree_is_what_libgit2_writes(
            entries in proptest::collection::vec(
                ("[a-z.A-Z0-9_-]{1,6}", proptest::bool::ANY),
                1..24,
            )
        ) {
            let (_dir, repo) = repo();
            let blob = repo.blob(b"synthetic").unwrap();
            let folder = repo.treebuilder(None).unwrap().write().unwrap();
            let mut ours = Tree::default();
            let mut theirs = repo.treebuilder(None).unwrap();
            for (name, is_folder) in &entries {
                if name == "." || name == ".." || name == ".git" {
                    continue;
                }
                let (mode, id) = if *is_folder { (MODE_TREE, folder) } else { (MODE_FILE, blob) };
                ours.upsert(name.as_bytes(), mode, id);
                theirs.insert(name, id, mode as i32).unwrap();
            }
            let theirs = theirs.write().unwrap();
            let odb = repo.odb().unwrap();
            proptest::prop_assert_eq!(ours.data(), odb.read(theirs).unwrap().data().to_vec());
        }
    }

    #[test]
    fn commits_are_byte_for_byte_what_libgit2_writes() {
        let (_dir, repo) = repo();
        let tree = repo
            .find_tree(repo.treebuilder(None).unwrap().write().unwrap())
            .unwrap();
        // Offsets east, west and zero; the first and last storable times.
        let times = [
            git2::Time::new(1_700_000_000, 330),
            git2::Time::new(0, -480),
            git2::Time::new(u32::MAX as i64, 0),
        ];
        let committer = Signature::new("redline", "redline@redline.invalid", &times[0]).unwrap();
        let mut parents: Vec<Oid> = Vec::new();
        for time in times {
            let author =
                Signature::new("Jane Doe", "jane.doe@editors.redline.invalid", &time).unwrap();
            let message = "A note\n\nRedline-Change: major\n";
            let parent_commits: Vec<git2::Commit<'_>> = parents
                .iter()
                .map(|p| repo.find_commit(*p).unwrap())
                .collect();
            let parent_refs: Vec<&git2::Commit<'_>> = parent_commits.iter().collect();
            let expected = repo
                .commit(None, &author, &committer, message, &tree, &parent_refs)
                .unwrap();
            let data = commit_data(tree.id(), &parents, &author, &committer, message);
            assert_eq!(
                data,
                repo.odb().unwrap().read(expected).unwrap().data(),
                "{}",
                String::from_utf8_lossy(&data)
            );
            assert_eq!(object_id(ObjectType::Commit, &data).unwrap(), expected);
            parents = vec![expected];
        }
    }
}
