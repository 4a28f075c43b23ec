//! Eight bytes at a time in one `u64` (SWAR, "lanes" of one byte): the byte
//! scans that run over every block (the outline) and every sentence (the
//! typographic normal form) of both versions of each diff. The first byte of
//! the text is the lowest lane; each test sets the high bit of the lanes it
//! accepts.

/// 0x01 in every lane.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every lane.
pub(crate) const HIGH_BITS: u64 = ONES * 0x80;

/// The eight bytes of `bytes` from `i` as one word, if there are eight.
pub(crate) fn word_at(bytes: &[u8], i: usize) -> Option<u64> {
    bytes
        .get(i..)
        .and_then(|rest| rest.first_chunk::<8>())
        .map(|chunk| u64::from_le_bytes(*chunk))
}

/// Non-zero unless every byte of `x` is printable ASCII (0x20 to 0x7e). A byte
/// below 0x20 borrows, 0x7f carries into its high bit, 0x80 and up has it set;
/// a borrow or carry can only spill into lanes above one already flagged.
pub(crate) fn outside_printable(x: u64) -> u64 {
    (x.wrapping_sub(ONES * 0x20) | x.wrapping_add(ONES) | x) & HIGH_BITS
}

/// For eight printable ASCII bytes: the high bit of each lane that is a space
/// (with the high bit forced, every lane is at least 0xa0, so subtracting 0x21
/// never borrows across lanes and clears it exactly for 0x20).
pub(crate) fn space_bits(x: u64) -> u64 {
    !(x | HIGH_BITS).wrapping_sub(ONES * 0x21) & HIGH_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The eight-byte tests agree with testing each byte.
        #[test]
        fn lane_tests_match_bytewise(bytes in proptest::prop_oneof![
            proptest::array::uniform8(proptest::num::u8::ANY),
            proptest::array::uniform8(0x1fu8..0x81),
            proptest::array::uniform8(proptest::sample::select(vec![b' ', b'a', b'!', b'~', 0x7f])),
        ]) {
            let x = u64::from_le_bytes(bytes);
            proptest::prop_assert_eq!(word_at(&bytes, 0), Some(x));
            proptest::prop_assert_eq!(word_at(&bytes, 1), None);
            let printable = bytes.iter().all(|b| (0x20..=0x7e).contains(b));
            proptest::prop_assert_eq!(outside_printable(x) == 0, printable);
            if printable {
                for (k, b) in bytes.iter().enumerate() {
                    proptest::prop_assert_eq!(space_bits(x) >> (8 * k + 7) & 1 == 1, *b == b' ');
                }
            }
        }
    }
}
