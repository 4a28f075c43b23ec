//! Line numbers in the file as it sits in the repository, for annotations.
//!
//! The diff's ranges are byte offsets into the canonical body, which is the file
//! minus its front matter, minus a title heading lifted into the front matter,
//! with trailing spaces and leading blank lines trimmed. Every body line is
//! therefore one of the file's lines, trimmed, in order: each non-blank body
//! line is matched to the first file line after the previous match that reads the
//! same. A body line without such a file line (a plain-text capture rebuilt as
//! Markdown) takes the line of the previous match, so a number is never past the
//! text it points at.

use std::collections::HashMap;

use crate::diff::{Span, SpanOp};

/// The file line (1-based) of each body line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineMap {
    /// Byte offset in the body where each body line starts.
    body_starts: Vec<usize>,
    /// The file line of each body line.
    file_lines: Vec<usize>,
}

impl LineMap {
    /// Map `body` (the canonical body ingested from `file`) onto `file`'s lines.
    pub fn new(file: &str, body: &str) -> LineMap {
        let file = file.strip_prefix('\u{feff}').unwrap_or(file);
        let file_lines: Vec<&str> = file.split('\n').map(str::trim_end).collect();
        // Where each distinct line occurs, in order: finding the next occurrence
        // is a binary search, so a body with no matching lines (a rebuilt
        // plain-text capture) costs n log n, not n².
        let mut positions: HashMap<&str, Vec<usize>> = HashMap::new();
        for (index, line) in file_lines.iter().enumerate() {
            if !line.is_empty() {
                positions.entry(line).or_default().push(index);
            }
        }
        let mut next = crate::ingest::front_matter_lines(file);
        let mut last = next;
        let mut body_starts = Vec::new();
        let mut mapped = Vec::new();
        let mut offset = 0;
        for line in body.split_inclusive('\n') {
            body_starts.push(offset);
            offset += line.len();
            let wanted = line.trim_end();
            let found = if wanted.is_empty() {
                None
            } else {
                positions
                    .get(wanted)
                    .and_then(|at| at.get(at.partition_point(|i| *i < next)).copied())
            };
            let index = match found {
                Some(i) => {
                    next = i + 1;
                    last = i;
                    i
                }
                // A blank line sits just after the previous text.
                None if wanted.is_empty() => next.min(file_lines.len().saturating_sub(1)),
                None => last,
            };
            mapped.push(index + 1);
        }
        LineMap {
            body_starts,
            file_lines: mapped,
        }
    }

    /// The file line of body byte `offset` (1 when the body is empty).
    pub fn line_at(&self, offset: usize) -> usize {
        let index = self.body_starts.partition_point(|start| *start <= offset);
        index
            .checked_sub(1)
            .and_then(|i| self.file_lines.get(i))
            .copied()
            .unwrap_or(1)
    }
}

/// Where old-body byte `old_offset` sits in the new body: walk the lossless spans,
/// so a removal is placed where its text used to be.
pub fn old_to_new(spans: &[Span], old_offset: usize) -> usize {
    let (mut old, mut new) = (0, 0);
    for span in spans {
        let len = span.text.len();
        match span.op {
            SpanOp::Equal => {
                if old + len > old_offset {
                    return new + old_offset.saturating_sub(old);
                }
                old += len;
                new += len;
            }
            SpanOp::Delete => {
                if old + len > old_offset {
                    return new;
                }
                old += len;
            }
            SpanOp::Insert => new += len,
        }
    }
    new
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_lines_map_past_front_matter_and_title() {
        let file =
            "---\ntitle: T\nupdated: 2025-03-04\n---\n\n# T\n\nLead.  \n\n## Next\n\nText.\n";
        let body = "Lead.\n\n## Next\n\nText.\n";
        let map = LineMap::new(file, body);
        assert_eq!(map.line_at(0), 8);
        assert_eq!(map.line_at(body.find("## Next").unwrap()), 10);
        assert_eq!(map.line_at(body.find("Text").unwrap() + 2), 12);
        let toml = "+++\ntitle = \"T\"\n+++\nLead.\n";
        assert_eq!(LineMap::new(toml, "Lead.\n").line_at(0), 4);
        assert_eq!(LineMap::new("Lead.\n", "Lead.\n").line_at(3), 1);
    }

    #[test]
    fn unmatched_lines_keep_the_previous_line() {
        let map = LineMap::new("One.\nTwo \\* escaped\n", "One.\n\nTwo \\\\\\* escaped\n");
        assert_eq!(map.line_at(0), 1);
        assert_eq!(map.line_at(8), 1);
        assert_eq!(LineMap::new("x\n", "").line_at(0), 1);
    }

    #[test]
    fn old_offsets_follow_the_spans() {
        let span = |op, text: &str| Span {
            op,
            text: text.to_string(),
        };
        let spans = [
            span(SpanOp::Equal, "abc "),
            span(SpanOp::Delete, "gone "),
            span(SpanOp::Insert, "new text "),
            span(SpanOp::Equal, "end"),
        ];
        assert_eq!(old_to_new(&spans, 1), 1);
        assert_eq!(old_to_new(&spans, 4), 4);
        assert_eq!(old_to_new(&spans, 10), 4 + 9 + 1);
    }
}
