//! Writing a bulk write's objects as one pack, the way `git fast-import`
//! does: each object compressed once, each version of a file stored as a
//! delta against a neighbouring version of the same file (found by a line
//! diff, not by libgit2's search over every object), so an import of a
//! thousand versions costs a thousand small diffs rather than a delta search.
//!
//! The pack format (git's `Documentation/gitformat-pack.txt`): a header
//! (`PACK`, version 2, object count), the objects, and the SHA-1 of all that.
//! Each object is a type-and-size header, for an offset delta the distance
//! back to its base, then the zlib-deflated data. A delta is the base's
//! size, the result's size, then instructions: copy a range of the base, or
//! insert literal bytes. A base is always earlier in the pack (offset
//! deltas), and chains are at most [`MAX_DEPTH`] long, so a read applies at
//! most that many deltas.
//!
//! The pack's index (`.idx`, version 2) is written here too, as
//! `git fast-import` does: the writer knows every object's id, offset and
//! entry bytes, so nothing re-reads the pack, resolves its deltas or hashes
//! its objects again. The ids come from `objects` (the SHA-1 of each
//! object's data, computed once); the writer checks every object it meant
//! to store is readable through libgit2 before anything points at it.

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

use flate2::{Compress, Compression, FlushCompress, Status};
use git2::{ObjectType, Oid};

/// Longest delta chain (git's default `pack.depth`).
pub(super) const MAX_DEPTH: u32 = 50;

/// Pack object type numbers.
const OBJ_COMMIT: u8 = 1;
const OBJ_TREE: u8 = 2;
const OBJ_BLOB: u8 = 3;
const OBJ_OFS_DELTA: u8 = 6;

/// Largest copy one delta instruction may name (git splits copies at 64 KiB).
const MAX_COPY: usize = 0x10000;

/// Largest literal one delta instruction may carry.
const MAX_INSERT: usize = 0x7f;

/// Objects shorter than this are stored in their zlib stream as they are:
/// deflate would not make them smaller (a bulk write's trees are mostly
/// deltas of 20–60 bytes), and resetting the compressor's tables for each
/// costs more than the object.
const STORE_BELOW: usize = 128;

/// A pack being written: objects appended in order, each at most once.
pub(super) struct PackBuilder {
    bytes: Vec<u8>,
    count: u32,
    /// Offset in the pack and delta depth of each object written.
    written: HashMap<Oid, (u64, u32)>,
    /// Each object written, in pack order: id, offset, CRC-32 of its entry
    /// (header and compressed data), for the index.
    entries: Vec<(Oid, u64, u32)>,
    /// One zlib stream state, reset for each object (making one allocates
    /// and clears a few hundred KB of tables).
    compressor: Compress,
    /// Where each object is compressed before it is appended.
    scratch: Vec<u8>,
    /// Why compressing an object failed, if it did: `finish` reports it.
    failure: Option<String>,
}

/// A finished pack and its index.
pub(super) struct Pack {
    /// `pack-<checksum>.pack`'s bytes.
    pub data: Vec<u8>,
    /// `pack-<checksum>.idx`'s bytes.
    pub index: Vec<u8>,
    /// The pack's trailing SHA-1 in hex: its name.
    pub name: String,
}

impl PackBuilder {
    pub(super) fn new() -> PackBuilder {
        let mut bytes = Vec::with_capacity(1 << 16);
        bytes.extend_from_slice(b"PACK");
        bytes.extend_from_slice(&2u32.to_be_bytes());
        // The object count, filled in by `finish`.
        bytes.extend_from_slice(&0u32.to_be_bytes());
        PackBuilder {
            bytes,
            count: 0,
            written: HashMap::new(),
            entries: Vec::new(),
            compressor: Compress::new(Compression::fast(), true),
            scratch: Vec::new(),
            failure: None,
        }
    }

    /// Whether `id` is in the pack already.
    pub(super) fn contains(&self, id: Oid) -> bool {
        self.written.contains_key(&id)
    }

    /// Append an object whole (nothing when it is in the pack already).
    pub(super) fn add_whole(&mut self, id: Oid, kind: ObjectType, data: &[u8]) {
        if self.contains(id) {
            return;
        }
        let offset = self.bytes.len() as u64;
        write_header(&mut self.bytes, type_number(kind), data.len());
        self.deflate(data);
        self.record(id, offset, 0);
    }

    /// Append an object as a delta against `base` (an object of the pack,
    /// whose data is `base_data`); whole when the base is not in the pack,
    /// its chain is at the depth limit, or the delta would not be smaller.
    pub(super) fn add_delta(
        &mut self,
        id: Oid,
        kind: ObjectType,
        data: &[u8],
        base: Oid,
        base_data: &[u8],
    ) {
        if self.contains(id) {
            return;
        }
        let Some(&(base_offset, base_depth)) = self.written.get(&base) else {
            return self.add_whole(id, kind, data);
        };
        if base_depth + 1 >= MAX_DEPTH {
            return self.add_whole(id, kind, data);
        }
        let delta = delta(base_data, data);
        if delta.len() >= data.len() {
            return self.add_whole(id, kind, data);
        }
        let offset = self.bytes.len() as u64;
        write_header(&mut self.bytes, OBJ_OFS_DELTA, delta.len());
        write_offset(&mut self.bytes, offset - base_offset);
        self.deflate(&delta);
        self.record(id, offset, base_depth + 1);
    }

    /// Note the object just written at `offset` (its entry runs to the end).
    fn record(&mut self, id: Oid, offset: u64, depth: u32) {
        let mut crc = flate2::Crc::new();
        crc.update(self.bytes.get(offset as usize..).unwrap_or_default());
        self.written.insert(id, (offset, depth));
        self.entries.push((id, offset, crc.sum()));
        self.count += 1;
    }

    /// The pack (count filled in, checksum appended) and its index.
    pub(super) fn finish(mut self) -> std::io::Result<Pack> {
        if let Some(failure) = self.failure {
            return Err(std::io::Error::other(failure));
        }
        if let Some(count) = self.bytes.get_mut(8..12) {
            count.copy_from_slice(&self.count.to_be_bytes());
        }
        let checksum = sha1_smol::Sha1::from(&self.bytes).digest().bytes();
        self.bytes.extend_from_slice(&checksum);
        let index = index(&mut self.entries, &checksum);
        Ok(Pack {
            data: self.bytes,
            index,
            name: crate::ids::hex(&checksum),
        })
    }

    /// Append `data` as one zlib stream.
    fn deflate(&mut self, data: &[u8]) {
        if data.len() < STORE_BELOW {
            return write_stored(&mut self.bytes, data);
        }
        self.compressor.reset();
        loop {
            let consumed = usize::try_from(self.compressor.total_in()).unwrap_or(usize::MAX);
            let written = usize::try_from(self.compressor.total_out()).unwrap_or(usize::MAX);
            let rest = data.get(consumed..).unwrap_or_default();
            // Room for the rest stored uncompressed, which deflate never
            // exceeds by much. The scratch buffer is initialised once as it
            // grows (compressing into a Vec's spare capacity would clear all
            // of it for every object: the whole pack's spare room).
            let needed = written.saturating_add(rest.len()).saturating_add(64);
            if self.scratch.len() < needed {
                self.scratch.resize(needed, 0);
            }
            let out = self.scratch.get_mut(written..).unwrap_or_default();
            match self.compressor.compress(rest, out, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => break,
                Ok(Status::Ok | Status::BufError) => {}
                Err(e) => {
                    self.failure
                        .get_or_insert(format!("could not compress an object: {e}"));
                    return;
                }
            }
        }
        let written = usize::try_from(self.compressor.total_out()).unwrap_or(usize::MAX);
        self.bytes
            .extend_from_slice(self.scratch.get(..written).unwrap_or_default());
    }
}

/// `data` as a zlib stream of one uncompressed ("stored") deflate block
/// (RFC 1950 and 1951): the zlib header (deflate, 32 KiB window, fastest),
/// the block header (final, type 0), the length and its complement, the
/// bytes, and their Adler-32. `data` is shorter than 64 KiB.
fn write_stored(out: &mut Vec<u8>, data: &[u8]) {
    debug_assert!(data.len() <= usize::from(u16::MAX));
    let len = data.len() as u16;
    out.extend_from_slice(&[0x78, 0x01, 0x01]);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(data);
    out.extend_from_slice(&adler32(data).to_be_bytes());
}

/// The Adler-32 checksum of `data` (RFC 1950).
fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    for byte in data {
        a = (a + u32::from(*byte)) % MOD;
        b = (b + a) % MOD;
    }
    (b << 16) | a
}

/// A version 2 pack index (`gitformat-pack`): magic and version; the fan-out
/// table (for each first byte, how many ids are at most it); the ids sorted;
/// each one's CRC-32; each one's offset (4 bytes, or with the top bit set an
/// index into a table of 8-byte offsets for those past 2 GiB); that table;
/// the pack's checksum; and the SHA-1 of all of that.
fn index(entries: &mut [(Oid, u64, u32)], pack_checksum: &[u8; 20]) -> Vec<u8> {
    entries.sort_unstable_by_key(|(id, _, _)| *id);
    let mut out = Vec::with_capacity(8 + 256 * 4 + entries.len() * 28 + 40);
    out.extend_from_slice(b"\xfftOc");
    out.extend_from_slice(&2u32.to_be_bytes());
    let mut fanout = [0u32; 256];
    for (id, _, _) in entries.iter() {
        if let Some(slot) = id
            .as_bytes()
            .first()
            .and_then(|b| fanout.get_mut(usize::from(*b)))
        {
            *slot += 1;
        }
    }
    let mut total = 0u32;
    for count in fanout {
        total += count;
        out.extend_from_slice(&total.to_be_bytes());
    }
    for (id, _, _) in entries.iter() {
        out.extend_from_slice(id.as_bytes());
    }
    for (_, _, crc) in entries.iter() {
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut large: Vec<u64> = Vec::new();
    for (_, offset, _) in entries.iter() {
        let small = match u32::try_from(*offset) {
            Ok(small) if small < 0x8000_0000 => small,
            _ => {
                large.push(*offset);
                0x8000_0000 | (large.len() as u32 - 1)
            }
        };
        out.extend_from_slice(&small.to_be_bytes());
    }
    for offset in large {
        out.extend_from_slice(&offset.to_be_bytes());
    }
    out.extend_from_slice(pack_checksum);
    let checksum = sha1_smol::Sha1::from(&out).digest().bytes();
    out.extend_from_slice(&checksum);
    out
}

/// Put `pack` into the pack folder `dir` as git does: each file written
/// under a temporary name, flushed to disk, made read-only and renamed into
/// place, the pack before its index (readers find packs by their index, so
/// none sees an index without its pack); then the folder itself is flushed,
/// so the names survive a crash too. An error leaves at most a stray
/// temporary file or an unindexed pack, which no reader sees.
pub(super) fn install(dir: &Path, pack: &Pack) -> std::io::Result<PathBuf> {
    let base = dir.join(format!("pack-{}", pack.name));
    for (bytes, extension) in [(&pack.data, "pack"), (&pack.index, "idx")] {
        let mut file = tempfile::Builder::new()
            .prefix(&format!("tmp_{extension}_"))
            .tempfile_in(dir)?;
        file.write_all(bytes)?;
        file.as_file().sync_all()?;
        // Read-only to everyone, as git and libgit2 leave packs.
        let mut permissions = file.as_file().metadata()?.permissions();
        #[cfg(unix)]
        std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o444);
        #[cfg(not(unix))]
        permissions.set_readonly(true);
        file.as_file().set_permissions(permissions)?;
        file.persist(base.with_extension(extension))
            .map_err(|e| e.error)?;
    }
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    Ok(base.with_extension("pack"))
}

fn type_number(kind: ObjectType) -> u8 {
    match kind {
        ObjectType::Commit => OBJ_COMMIT,
        ObjectType::Tree => OBJ_TREE,
        _ => OBJ_BLOB,
    }
}

/// An object header: type in bits 4–6 of the first byte, the size in its low
/// four bits and then seven bits a byte, low first; the top bit says "more".
fn write_header(out: &mut Vec<u8>, kind: u8, size: usize) {
    let mut size = size as u64;
    let mut byte = (kind << 4) | (size & 0x0f) as u8;
    size >>= 4;
    while size > 0 {
        out.push(byte | 0x80);
        byte = (size & 0x7f) as u8;
        size >>= 7;
    }
    out.push(byte);
}

/// An offset delta's distance back to its base: seven bits a byte, high
/// first, each continuation adding one (git's encoding, so no two byte
/// strings mean one distance).
fn write_offset(out: &mut Vec<u8>, mut distance: u64) {
    let mut bytes = vec![(distance & 0x7f) as u8];
    distance >>= 7;
    while distance > 0 {
        distance -= 1;
        bytes.push(0x80 | (distance & 0x7f) as u8);
        distance >>= 7;
    }
    bytes.reverse();
    out.extend_from_slice(&bytes);
}

/// A size in a delta's header: seven bits a byte, low first.
fn write_size(out: &mut Vec<u8>, mut size: usize) {
    loop {
        let byte = (size & 0x7f) as u8;
        size >>= 7;
        if size == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// The delta that makes `target` from `base`: the lines they share are
/// copied from the base, the rest inserted (a line diff, with the shared
/// start and end of the two taken first, so binary data such as trees
/// costs no more than its changed middle).
pub(super) fn delta(base: &[u8], target: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    write_size(&mut out, base.len());
    write_size(&mut out, target.len());
    let prefix = base.iter().zip(target).take_while(|(a, b)| a == b).count();
    let suffix = base[prefix..]
        .iter()
        .rev()
        .zip(target[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    copy(&mut out, 0..prefix);
    let (base_mid, target_mid) = (prefix..base.len() - suffix, prefix..target.len() - suffix);
    let base_lines = lines(base, base_mid.clone());
    let target_lines = lines(target, target_mid.clone());
    let base_texts: Vec<&[u8]> = base_lines.iter().map(|r| &base[r.clone()]).collect();
    let target_texts: Vec<&[u8]> = target_lines.iter().map(|r| &target[r.clone()]).collect();
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &base_texts, &target_texts);
    for op in ops {
        match op {
            similar::DiffOp::Equal {
                old_index,
                new_index: _,
                len,
            } => {
                let (Some(first), Some(last)) = (
                    base_lines.get(old_index),
                    base_lines.get(old_index + len - 1),
                ) else {
                    continue;
                };
                copy(&mut out, first.start..last.end);
            }
            similar::DiffOp::Insert {
                new_index, new_len, ..
            }
            | similar::DiffOp::Replace {
                new_index, new_len, ..
            } => {
                let (Some(first), Some(last)) = (
                    target_lines.get(new_index),
                    target_lines.get(new_index + new_len - 1),
                ) else {
                    continue;
                };
                insert(&mut out, &target[first.start..last.end]);
            }
            similar::DiffOp::Delete { .. } => {}
        }
    }
    copy(&mut out, base.len() - suffix..base.len());
    debug_assert_eq!(
        target_mid.len(),
        target_lines.iter().map(|r| r.len()).sum::<usize>()
    );
    out
}

/// The lines of `data[range]` (each with its `\n`), as ranges of `data`.
fn lines(data: &[u8], range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    for at in memchr::memchr_iter(b'\n', &data[range.clone()]) {
        let end = range.start + at + 1;
        out.push(start..end);
        start = end;
    }
    if start < range.end {
        out.push(start..range.end);
    }
    out
}

/// Copy instructions for `range` of the base (split at [`MAX_COPY`]): the
/// opcode's low bits say which offset and size bytes follow (zero bytes are
/// left out; a size of 64 KiB is written as none).
fn copy(out: &mut Vec<u8>, range: Range<usize>) {
    let mut start = range.start;
    while start < range.end {
        let len = (range.end - start).min(MAX_COPY);
        let mut op = 0x80u8;
        let mut args = Vec::with_capacity(7);
        for (i, byte) in (start as u32).to_le_bytes().into_iter().enumerate() {
            if byte != 0 {
                op |= 1 << i;
                args.push(byte);
            }
        }
        if len != MAX_COPY {
            for (i, byte) in (len as u32).to_le_bytes().into_iter().take(3).enumerate() {
                if byte != 0 {
                    op |= 0x10 << i;
                    args.push(byte);
                }
            }
        }
        out.push(op);
        out.extend_from_slice(&args);
        start += len;
    }
}

/// Insert instructions for literal `bytes` (at most 127 a piece).
fn insert(out: &mut Vec<u8>, bytes: &[u8]) {
    for piece in bytes.chunks(MAX_INSERT) {
        out.push(piece.len() as u8);
        out.extend_from_slice(piece);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Apply a delta as git does (the reference this writer must agree with).
    fn apply(base: &[u8], delta: &[u8]) -> Vec<u8> {
        let mut at = 0;
        let mut size = || {
            let (mut value, mut shift) = (0usize, 0);
            loop {
                let byte = delta[at];
                at += 1;
                value |= ((byte & 0x7f) as usize) << shift;
                shift += 7;
                if byte & 0x80 == 0 {
                    return value;
                }
            }
        };
        assert_eq!(size(), base.len());
        let target_len = size();
        let mut out = Vec::new();
        while at < delta.len() {
            let op = delta[at];
            at += 1;
            if op & 0x80 != 0 {
                let (mut offset, mut len) = (0usize, 0usize);
                for i in 0..4 {
                    if op & (1 << i) != 0 {
                        offset |= (delta[at] as usize) << (8 * i);
                        at += 1;
                    }
                }
                for i in 0..3 {
                    if op & (0x10 << i) != 0 {
                        len |= (delta[at] as usize) << (8 * i);
                        at += 1;
                    }
                }
                if len == 0 {
                    len = MAX_COPY;
                }
                out.extend_from_slice(&base[offset..offset + len]);
            } else {
                assert!(op != 0, "opcode 0 is reserved");
                out.extend_from_slice(&delta[at..at + op as usize]);
                at += op as usize;
            }
        }
        assert_eq!(out.len(), target_len);
        out
    }

    #[test]
    fn deltas_rebuild_their_target() {
        // Synthetic texts: edits at the start, middle and end, lines added
        // and removed, no final newline, empty sides, a long copy.
        let long = "a line of a long synthetic file\n".repeat(5000);
        let cases: Vec<(String, String)> = vec![
            ("one\ntwo\nthree\n".into(), "one\n2\nthree\nfour".into()),
            ("".into(), "new\n".into()),
            ("old\n".into(), "".into()),
            ("same\n".into(), "same\n".into()),
            (long.clone(), format!("start\n{long}end\n")),
            (format!("x{long}"), format!("{long}y")),
            ("a\nb\nc\nd\ne\n".into(), "e\nd\nc\nb\na\n".into()),
        ];
        for (base, target) in cases {
            let d = delta(base.as_bytes(), target.as_bytes());
            assert_eq!(
                apply(base.as_bytes(), &d),
                target.as_bytes(),
                "{base:?} → {target:?}"
            );
        }
        // Binary data (a tree) with few newlines: the changed middle only.
        let base: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
        let mut target = base.clone();
        target[1500] ^= 0xff;
        let d = delta(&base, &target);
        assert_eq!(apply(&base, &d), target);
        assert!(
            d.len() < 400,
            "delta of one changed byte: {} bytes",
            d.len()
        );
    }

    /// A pack of synthetic objects: blobs whole and as deltas, a tree, a commit.
    fn sample_pack() -> (Pack, Vec<Oid>) {
        let mut pack = PackBuilder::new();
        let mut ids = Vec::new();
        let mut previous: Option<(Oid, Vec<u8>)> = None;
        for n in 0..40 {
            let text = format!("{}line {n}\n", "a shared synthetic line\n".repeat(50)).into_bytes();
            let id = Oid::hash_object(ObjectType::Blob, &text).unwrap();
            match &previous {
                Some((base, base_text)) => {
                    pack.add_delta(id, ObjectType::Blob, &text, *base, base_text)
                }
                None => pack.add_whole(id, ObjectType::Blob, &text),
            }
            ids.push(id);
            previous = Some((id, text));
        }
        let mut tree = Vec::new();
        tree.extend_from_slice(b"100644 a.md\0");
        tree.extend_from_slice(ids[0].as_bytes());
        let tree_id = Oid::hash_object(ObjectType::Tree, &tree).unwrap();
        pack.add_whole(tree_id, ObjectType::Tree, &tree);
        let commit = format!(
            "tree {tree_id}\nauthor A <a@b.invalid> 0 +0000\ncommitter A <a@b.invalid> 0 +0000\n\nsynthetic\n"
        );
        let commit_id = Oid::hash_object(ObjectType::Commit, commit.as_bytes()).unwrap();
        pack.add_whole(commit_id, ObjectType::Commit, commit.as_bytes());
        ids.extend([tree_id, commit_id]);
        (pack.finish().unwrap(), ids)
    }

    #[test]
    fn the_index_is_byte_for_byte_what_git_index_pack_writes() {
        let (pack, ids) = sample_pack();
        let dir = tempfile::tempdir().unwrap();
        let pack_path = dir.path().join("copy.pack");
        std::fs::write(&pack_path, &pack.data).unwrap();
        let git_index = dir.path().join("git.idx");
        let output = std::process::Command::new("git")
            .arg("index-pack")
            .arg("--strict")
            .arg("-o")
            .arg(&git_index)
            .arg(&pack_path)
            .output()
            .expect("git is installed");
        assert!(output.status.success(), "{output:?}");
        // git prints the pack's checksum, which names it.
        assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), pack.name);
        assert_eq!(std::fs::read(&git_index).unwrap(), pack.index);
        // Every object is in the index (git index-pack resolved and hashed
        // each one to get its id).
        let listed = std::process::Command::new("git")
            .arg("show-index")
            .stdin(std::fs::File::open(&git_index).unwrap())
            .output()
            .unwrap();
        let listed = String::from_utf8(listed.stdout).unwrap();
        assert_eq!(listed.lines().count(), ids.len());
        for id in ids {
            assert!(listed.contains(&id.to_string()), "{id} not indexed");
        }
    }

    #[test]
    fn installed_packs_are_read_by_libgit2_and_git() {
        let (pack, ids) = sample_pack();
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init_bare(dir.path()).unwrap();
        let pack_dir = dir.path().join("objects/pack");
        let path = install(&pack_dir, &pack).unwrap();
        assert_eq!(path, pack_dir.join(format!("pack-{}.pack", pack.name)));
        let mut names: Vec<String> = std::fs::read_dir(&pack_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let base = format!("pack-{}", pack.name);
        assert_eq!(names, [format!("{base}.idx"), format!("{base}.pack")]);
        assert!(std::fs::metadata(&path).unwrap().permissions().readonly());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o444);
        }
        let odb = repo.odb().unwrap();
        for id in &ids {
            let object = odb.read(*id).unwrap();
            assert_eq!(Oid::hash_object(object.kind(), object.data()).unwrap(), *id);
        }
        let verify = std::process::Command::new("git")
            .arg("verify-pack")
            .arg(&path)
            .output()
            .unwrap();
        assert!(verify.status.success(), "{verify:?}");
        // Installing the same pack again (a retried write) replaces it.
        install(&pack_dir, &pack).unwrap();
        assert_eq!(std::fs::read_dir(&pack_dir).unwrap().count(), 2);
    }

    #[test]
    fn offsets_past_2_gib_go_to_the_large_offset_table() {
        let small = Oid::from_bytes(&[1; 20]).unwrap();
        let large = Oid::from_bytes(&[2; 20]).unwrap();
        let mut entries = vec![(large, 0x1_2345_6789u64, 7u32), (small, 12, 9)];
        let index = index(&mut entries, &[0xab; 20]);
        let tables = 8 + 256 * 4;
        // Fan-out: one id starting 0x01, two at 0x02 and after.
        let fanout = |byte: usize| &index[8 + 4 * byte..8 + 4 * (byte + 1)];
        assert_eq!(fanout(0), 0u32.to_be_bytes());
        assert_eq!(fanout(1), 1u32.to_be_bytes());
        assert_eq!(fanout(2), 2u32.to_be_bytes());
        assert_eq!(index[8 + 4 * 255..tables], 2u32.to_be_bytes());
        let offsets = tables + 2 * 20 + 2 * 4;
        assert_eq!(index[offsets..offsets + 4], 12u32.to_be_bytes());
        assert_eq!(
            index[offsets + 4..offsets + 8],
            0x8000_0000u32.to_be_bytes()
        );
        assert_eq!(
            index[offsets + 8..offsets + 16],
            0x1_2345_6789u64.to_be_bytes()
        );
        assert_eq!(index[offsets + 16..offsets + 36], [0xab; 20]);
        assert_eq!(index.len(), offsets + 16 + 40);
    }

    #[test]
    fn short_objects_are_stored_as_zlib_streams_any_inflater_reads() {
        use std::io::Read;
        for len in [0, 1, 31, STORE_BELOW - 1] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
            let mut stream = Vec::new();
            write_stored(&mut stream, &data);
            let mut back = Vec::new();
            flate2::read::ZlibDecoder::new(&stream[..])
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(back, data, "{len} bytes");
            // zlib's header check: the first two bytes are a multiple of 31.
            assert_eq!(u16::from_be_bytes([stream[0], stream[1]]) % 31, 0);
        }
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn offsets_and_headers_use_gits_encodings() {
        let mut out = Vec::new();
        write_offset(&mut out, 127);
        assert_eq!(out, [0x7f]);
        out.clear();
        // 128 = (0 + 1) << 7 | 0: git writes 0x80 0x00.
        write_offset(&mut out, 128);
        assert_eq!(out, [0x80, 0x00]);
        out.clear();
        write_header(&mut out, OBJ_BLOB, 15);
        assert_eq!(out, [0x3f]);
        out.clear();
        write_header(&mut out, OBJ_BLOB, 16);
        assert_eq!(out, [0xb0, 0x01]);
    }
}
