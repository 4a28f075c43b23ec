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
//! The pack is checked by whoever stores it: libgit2's indexer recomputes
//! every object id from the resolved data, and the writer checks every id
//! it meant to store is there before anything points at it.

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;

use flate2::write::ZlibEncoder;
use flate2::Compression;
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

/// A pack being written: objects appended in order, each at most once.
pub(super) struct PackBuilder {
    bytes: Vec<u8>,
    count: u32,
    /// Offset in the pack and delta depth of each object written.
    written: HashMap<Oid, (u64, u32)>,
    compressor: Compression,
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
            compressor: Compression::fast(),
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
        self.written.insert(id, (offset, 0));
        self.count += 1;
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
        self.written.insert(id, (offset, base_depth + 1));
        self.count += 1;
    }

    /// The pack's bytes: count filled in, checksum appended.
    pub(super) fn finish(mut self) -> Vec<u8> {
        if let Some(count) = self.bytes.get_mut(8..12) {
            count.copy_from_slice(&self.count.to_be_bytes());
        }
        let checksum = sha1_smol::Sha1::from(&self.bytes).digest().bytes();
        self.bytes.extend_from_slice(&checksum);
        self.bytes
    }

    fn deflate(&mut self, data: &[u8]) {
        let mut encoder = ZlibEncoder::new(std::mem::take(&mut self.bytes), self.compressor);
        // Writing into a Vec cannot fail.
        let _ = encoder.write_all(data);
        self.bytes = encoder.finish().unwrap_or_default();
    }
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
