//! `redline check`: the editorial policy of `[policy]` applied to a [`Report`].
//! Each rule yields violations with the file and line to fix; a rule set to
//! `off` is not checked, `warn` is reported without failing.

use serde::Serialize;

use super::config::{Policy, Severity};
use super::{FileReport, FileStatus, Report};

/// One breach of the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The `[policy]` key of the rule.
    pub rule: &'static str,
    /// Error (fails the check) or warning.
    pub severity: Severity,
    /// Repository path.
    pub path: String,
    /// Line of the head file to look at.
    pub line: usize,
    /// What is wrong and how to put it right.
    pub message: String,
}

/// Apply `policy` to every changed (or renamed) explainer of `report`.
/// Added and deleted explainers have nothing to compare and are not checked.
pub fn check(report: &Report, policy: &Policy) -> Vec<Violation> {
    let mut found = Vec::new();
    for file in &report.files {
        if matches!(file.status, FileStatus::Added | FileStatus::Deleted) {
            continue;
        }
        check_file(report, file, policy, &mut found);
    }
    found.retain(|v| v.severity != Severity::Off);
    found
}

fn check_file(report: &Report, file: &FileReport, policy: &Policy, found: &mut Vec<Violation>) {
    let substantive = file.first_substantive();
    let notes: Vec<&str> = file
        .change_note
        .as_deref()
        .into_iter()
        .chain(report.notes.iter().map(String::as_str))
        .filter(|n| !n.trim().is_empty())
        .collect();
    let mut add = |rule, severity, line, message: String| {
        found.push(Violation {
            rule,
            severity,
            path: file.path.clone(),
            line,
            message,
        })
    };
    let updated_line = file.updated_line.unwrap_or(1);

    if let Some(change) = substantive {
        if notes.is_empty() {
            add(
                "change_note",
                policy.change_note,
                change.line,
                format!(
                    "substantive change ({}) without a change note: set `note` in the front matter's change table, or add a `Redline-Note:` trailer to a commit",
                    change.reason
                ),
            );
        }
        if report.marked_minor || file.marked_minor {
            add(
                "minor_is_minor",
                policy.minor_is_minor,
                change.line,
                format!(
                    "marked minor, but this change is substantive ({}): a changed number, date, name, quote, attribution or negation is never minor",
                    change.reason
                ),
            );
        }
        match (file.updated.old, file.updated.new) {
            (Some(old), Some(new)) if new <= old => add(
                "updated_forward",
                policy.updated_forward,
                updated_line,
                format!(
                    "substantive change, but `updated` did not move forward ({} at base, {} now)",
                    old.to_rfc3339(),
                    new.to_rfc3339()
                ),
            ),
            (Some(old), None) => add(
                "updated_forward",
                policy.updated_forward,
                updated_line,
                format!(
                    "substantive change, but `updated` ({}) was removed: set it to the time of this update",
                    old.to_rfc3339()
                ),
            ),
            _ => {}
        }
    } else if file.updated.old != file.updated.new {
        let show = |t: Option<chrono::DateTime<chrono::FixedOffset>>| {
            t.map_or_else(|| "none".to_string(), |t| t.to_rfc3339())
        };
        add(
            "updated_unchanged",
            policy.updated_unchanged,
            updated_line,
            format!(
                "`updated` moved ({} → {}) but nothing substantive changed",
                show(file.updated.old),
                show(file.updated.new)
            ),
        );
    }

    for claim in file.removed_claims() {
        if !note_mentions(&notes, &claim.speakers) {
            let who = if claim.speakers.is_empty() {
                "the claim".to_string()
            } else {
                claim.speakers.join(", ")
            };
            add(
                "removed_claim_noted",
                policy.removed_claim_noted,
                claim.line.unwrap_or(1),
                format!(
                    "an attributed claim was removed (“{}”): the change note should say so and name {who}",
                    claim.text
                ),
            );
        }
    }
}

/// Does a note name one of `speakers` (whole name or its last word, any case)?
/// With no speaker known, any note counts.
fn note_mentions(notes: &[&str], speakers: &[String]) -> bool {
    if speakers.is_empty() {
        return !notes.is_empty();
    }
    let notes: Vec<String> = notes.iter().map(|n| n.to_lowercase()).collect();
    speakers.iter().any(|speaker| {
        let speaker = speaker.to_lowercase();
        let surname = speaker.split_whitespace().last().unwrap_or_default();
        notes.iter().any(|n| {
            n.contains(&speaker) || (surname.chars().count() > 2 && contains_word(n, surname))
        })
    })
}

/// `word` in `text` as a whole word.
fn contains_word(text: &str, word: &str) -> bool {
    // Apostrophes split too: "Macron's" names Macron.
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| w == word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_name_speakers_by_name_or_surname() {
        let speakers = vec!["Mr Macron".to_string()];
        assert!(note_mentions(&["Removed Mr Macron's claim"], &speakers));
        assert!(note_mentions(&["Macron quote withdrawn"], &speakers));
        assert!(note_mentions(&["Dropped Macron’s remark"], &speakers));
        assert!(!note_mentions(&["Macronist figures updated"], &speakers));
        assert!(!note_mentions(&[], &speakers));
        assert!(note_mentions(&["anything"], &[]));
        assert!(!note_mentions(&[], &[]));
    }
}
