//! The commit format: how an update's facts map onto a git commit and back.
//!
//! A redline commit message is the public change note, a blank line, then
//! trailers (the `git interpret-trailers` convention, so `git log` and
//! `git interpret-trailers --parse` read them too):
//!
//! ```text
//! UK denies truce claim; casualty figures updated
//!
//! Redline-Change: major
//! Redline-Explainer: fullfact-ukraine-peace-talks
//! ```
//!
//! Reading is lenient so commits made with plain git still read sensibly: a
//! missing or unknown `Redline-Change` means major, and the note is the
//! message without its trailer paragraph.

use chrono::{DateTime, FixedOffset, Offset, Utc};

use crate::model::UpdateKind;
use crate::slug::Slug;

/// Trailer naming the update's editorial weight.
pub(crate) const CHANGE_TRAILER: &str = "Redline-Change";
/// Trailer holding the editor's exact name when git cannot: author names may
/// not contain `<` or `>`, so the author gets a look-alike and this trailer
/// keeps the real name for redline.
pub(crate) const EDITOR_TRAILER: &str = "Redline-Editor";
/// Trailer naming the explainer the commit updates (informational: history is
/// derived from the tree, so commits touching several files stay correct).
pub(crate) const EXPLAINER_TRAILER: &str = "Redline-Explainer";

/// The committer of every redline write: the tool, at the time of writing;
/// the editor is the author.
pub(crate) const COMMITTER_NAME: &str = "redline";
/// Committer e-mail; `.invalid` (RFC 2606) so it can never reach anyone.
pub(crate) const COMMITTER_EMAIL: &str = "redline@redline.invalid";

/// The full commit message for a note, kind and explainer (and the editor's
/// name when the author field cannot hold it exactly).
pub(crate) fn compose(note: &str, kind: UpdateKind, slug: &Slug, editor: &str) -> String {
    let note = note.trim();
    let mut trailers = format!("{CHANGE_TRAILER}: {kind}\n{EXPLAINER_TRAILER}: {slug}\n");
    if author_name(editor) != editor {
        trailers.push_str(&format!("{EDITOR_TRAILER}: {editor}\n"));
    }
    if note.is_empty() {
        trailers
    } else {
        format!("{note}\n\n{trailers}")
    }
}

/// What a commit message says about an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedMessage {
    /// The change note: the message without trailers, trimmed.
    pub note: String,
    /// `Redline-Change`, defaulting to major when absent or unreadable.
    pub kind: UpdateKind,
    /// `Redline-Editor`, when the author name is only a look-alike.
    pub editor: Option<String>,
}

/// Read a commit message written by redline or by plain git.
pub(crate) fn parse(message: &str) -> ParsedMessage {
    let text = message.trim_end();
    let lines: Vec<&str> = text.lines().collect();
    // The last paragraph starts after the last blank line.
    let start = lines
        .iter()
        .rposition(|l| l.trim().is_empty())
        .map_or(0, |i| i + 1);
    let last = lines.get(start..).unwrap_or_default();
    let has_body_before = lines
        .get(..start)
        .is_some_and(|before| before.iter().any(|l| !l.trim().is_empty()));
    let trailers = parse_trailers(last);
    let is_trailer_block = match &trailers {
        // A lone paragraph is the subject unless it is redline's own trailers
        // (an update recorded with an empty note).
        Some(pairs) => {
            has_body_before
                || pairs.iter().any(|(k, _)| {
                    k.eq_ignore_ascii_case(CHANGE_TRAILER)
                        || k.eq_ignore_ascii_case(EXPLAINER_TRAILER)
                })
        }
        None => false,
    };
    if !is_trailer_block {
        return ParsedMessage {
            note: text.trim().to_string(),
            kind: UpdateKind::Major,
            editor: None,
        };
    }
    let trailers = trailers.unwrap_or_default();
    let value = |key: &str| {
        trailers
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| *v)
    };
    let kind = value(CHANGE_TRAILER)
        .and_then(|v| v.parse::<UpdateKind>().ok())
        .unwrap_or_default();
    let editor = value(EDITOR_TRAILER)
        .filter(|v| !v.is_empty())
        .map(str::to_string);
    let note = lines
        .get(..start)
        .unwrap_or_default()
        .join("\n")
        .trim()
        .to_string();
    ParsedMessage { note, kind, editor }
}

/// `Some(pairs)` when every line of the paragraph is a `Key: value` trailer (or
/// an indented continuation of one), as git defines them.
fn parse_trailers<'a>(paragraph: &[&'a str]) -> Option<Vec<(&'a str, &'a str)>> {
    if paragraph.is_empty() {
        return None;
    }
    let mut pairs = Vec::new();
    for line in paragraph {
        if line.starts_with([' ', '\t']) && !pairs.is_empty() {
            continue;
        }
        let (key, value) = line.split_once(':')?;
        let key_ok = key
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !key_ok {
            return None;
        }
        pairs.push((key, value.trim()));
    }
    Some(pairs)
}

/// A git signature time as a chrono time with its offset; out-of-range values
/// (only possible in hand-made commits) fall back to UTC / the epoch rather than fail.
pub(crate) fn time_from_git(time: git2::Time) -> DateTime<FixedOffset> {
    let offset = time
        .offset_minutes()
        .checked_mul(60)
        .and_then(FixedOffset::east_opt)
        .unwrap_or_else(|| Utc.fix());
    DateTime::from_timestamp(time.seconds(), 0)
        .unwrap_or_default()
        .with_timezone(&offset)
}

/// A chrono time as a git signature time (whole seconds, offset in minutes).
pub(crate) fn time_to_git(time: &DateTime<FixedOffset>) -> git2::Time {
    git2::Time::new(time.timestamp(), time.offset().local_minus_utc() / 60)
}

/// The placeholder author e-mail for an editor: git needs one, redline has
/// none, so it is derived from the name (`Jane Doe` →
/// `jane.doe@editors.redline.invalid`); `.invalid` guarantees it is never a
/// real address. Names without ASCII letters or digits get `editor@…`.
pub(crate) fn editor_email(name: &str) -> String {
    let mut local = String::new();
    for word in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !local.is_empty() {
            local.push('.');
        }
        local.push_str(&word.to_ascii_lowercase());
    }
    if local.is_empty() {
        local.push_str("editor");
    }
    format!("{local}@editors.redline.invalid")
}

/// The git author name for an editor: `<` and `>` (which git reserves for the
/// e-mail) become the look-alikes `‹` and `›`.
pub(crate) fn author_name(editor: &str) -> String {
    editor.replace('<', "‹").replace('>', "›")
}

/// Why an editor name cannot be recorded, if it cannot.
pub(crate) fn editor_problem(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        Some("the editor name is empty")
    } else if name.chars().any(char::is_control) {
        Some("the editor name contains a line break or control character")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug() -> Slug {
        Slug::new("fullfact-x").unwrap()
    }

    #[test]
    fn composed_messages_read_back() {
        let msg = compose(
            "  UK denies truce claim\n\nMore detail.  ",
            UpdateKind::Minor,
            &slug(),
            "Jane Doe",
        );
        assert_eq!(
            msg,
            "UK denies truce claim\n\nMore detail.\n\nRedline-Change: minor\nRedline-Explainer: fullfact-x\n"
        );
        let parsed = parse(&msg);
        assert_eq!(parsed.note, "UK denies truce claim\n\nMore detail.");
        assert_eq!(parsed.kind, UpdateKind::Minor);
        assert_eq!(parsed.editor, None);
    }

    #[test]
    fn editors_git_cannot_hold_are_kept_in_a_trailer() {
        let editor = "Ed <script>";
        assert_eq!(author_name(editor), "Ed ‹script›");
        let msg = compose("Note", UpdateKind::Major, &slug(), editor);
        assert!(msg.ends_with("Redline-Editor: Ed <script>\n"), "{msg}");
        let parsed = parse(&msg);
        assert_eq!(parsed.editor.as_deref(), Some(editor));
        assert_eq!(parsed.note, "Note");
    }

    #[test]
    fn empty_note_reads_back_empty() {
        let parsed = parse(&compose("", UpdateKind::Minor, &slug(), "Ann"));
        assert_eq!(
            parsed,
            ParsedMessage {
                note: String::new(),
                kind: UpdateKind::Minor,
                editor: None,
            }
        );
    }

    #[test]
    fn plain_git_messages_read_sensibly() {
        let p = parse("Fix typo in casualty figures\n");
        assert_eq!(
            p,
            ParsedMessage {
                note: "Fix typo in casualty figures".into(),
                kind: UpdateKind::Major,
                editor: None,
            }
        );
        // A one-paragraph subject that looks like a trailer is still the subject.
        let p = parse("Update: truce claim denied");
        assert_eq!(p.note, "Update: truce claim denied");
        // Foreign trailers are dropped from the note.
        let p = parse("Subject\n\nBody line\n\nSigned-off-by: A <a@b>\n");
        assert_eq!(p.note, "Subject\n\nBody line");
        assert_eq!(p.kind, UpdateKind::Major);
        // An unknown kind value defaults to major.
        let p = parse("Subject\n\nRedline-Change: enormous\n");
        assert_eq!(p.kind, UpdateKind::Major);
        assert_eq!(parse("").note, "");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Whatever the note and editor, redline reads back what it wrote
        /// (notes are trimmed and their line ends normalised to `\n`).
        #[test]
        fn any_note_and_editor_round_trip(
            note in "[ a-zA-Z0-9:<>#\r\n.-]{0,80}",
            editor in "[a-zA-Z<>][ a-zA-Z<>:]{0,20}",
            minor in proptest::bool::ANY,
        ) {
            let kind = if minor { UpdateKind::Minor } else { UpdateKind::Major };
            let editor = editor.trim();
            let parsed = parse(&compose(&note, kind, &slug(), editor));
            let expected = note.trim().lines().collect::<Vec<_>>().join("\n");
            proptest::prop_assert_eq!(parsed.note, expected.trim());
            proptest::prop_assert_eq!(parsed.kind, kind);
            let exact = parsed.editor.unwrap_or_else(|| author_name(editor));
            proptest::prop_assert_eq!(exact, editor);
        }
    }

    #[test]
    fn emails_are_placeholders() {
        assert_eq!(editor_email("Jane Doe"), "jane.doe@editors.redline.invalid");
        assert_eq!(
            editor_email("Zoë O'Neil"),
            "zo.o.neil@editors.redline.invalid"
        );
        assert_eq!(editor_email("编辑"), "editor@editors.redline.invalid");
    }

    #[test]
    fn times_round_trip_with_offset() {
        let t = DateTime::parse_from_rfc3339("2025-03-04T16:05:00+05:30").unwrap();
        assert_eq!(time_from_git(time_to_git(&t)), t);
        assert_eq!(time_from_git(time_to_git(&t)).offset(), t.offset());
    }

    #[test]
    fn bad_editor_names_are_named() {
        assert!(editor_problem("").is_some());
        assert!(
            editor_problem("A <b>").is_none(),
            "kept exactly in a trailer"
        );
        assert!(editor_problem("A\nB").is_some());
        assert!(editor_problem("Jane Doe").is_none());
    }
}
