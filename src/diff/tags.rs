//! Reader-relevant tags of a change (number, date, quote, attribution, negation,
//! name), its significance and a short reason, from plain lexical evidence.

use std::borrow::Cow;

use super::text::folded_words;
use super::{ChangeKind, Significance, Tag};
use crate::claims::{self, minus, new_names};

/// Human wording for a change between two lists: "30,000 → 35,000".
fn arrow(removed: &[String], added: &[String]) -> String {
    match (removed.is_empty(), added.is_empty()) {
        (false, false) => format!("{} → {}", removed.join(", "), added.join(", ")),
        (true, false) => format!("added {}", added.join(", ")),
        (false, true) => format!("removed {}", removed.join(", ")),
        (true, true) => String::new(),
    }
}

/// How an edit that changes no meaning differs.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Form {
    /// Punctuation, case or typography only.
    PunctuationOrCase,
    /// Misspelt words corrected ("Polices" → "Policies"): same words otherwise.
    Spelling(Vec<(String, String)>),
    /// Only a leading section number changed ("2.5.2" → "2.5.1"), as in a table of contents.
    Numbering(String, String),
}

/// Words that carry meaning however close their spelling: a one-letter change
/// between them ("not" → "now", "must" → "most") is no typo fix.
const MEANINGFUL: &[&str] = &[
    "not", "no", "now", "never", "must", "most", "may", "can", "cannot", "shall", "will", "would",
    "should", "could", "might", "none", "nor", "and", "or", "all", "any", "only", "always", "more",
    "less", "before", "after", "above", "below", "within", "without",
];

/// A section number: "2.5.1", "8.", "2.5.1.".
fn is_section_number(word: &str) -> bool {
    let core = word.trim_end_matches('.');
    !core.is_empty()
        && core
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
        && (core.contains('.') || word.ends_with('.'))
}

/// The edit changes form, not meaning: only a leading section number, or only
/// misspellings (each changed word within a small edit distance of its
/// replacement, letters only, at least four letters, no negation or modal).
fn form_only(old: &[Cow<'_, str>], new: &[Cow<'_, str>]) -> Option<Form> {
    if old.len() != new.len() || old.is_empty() {
        return None;
    }
    let changed: Vec<(usize, &Cow<'_, str>, &Cow<'_, str>)> = old
        .iter()
        .zip(new)
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| (i, x, y))
        .collect();
    if let [(0, x, y)] = changed.as_slice() {
        if is_section_number(x) && is_section_number(y) {
            return Some(Form::Numbering(x.to_string(), y.to_string()));
        }
    }
    // A sentence with most of its words respelt is rewritten, not corrected.
    if changed.is_empty() || changed.len() > 2.max(old.len() / 8) {
        return None;
    }
    let typo = |x: &str, y: &str| {
        let letters = |w: &str| {
            w.chars().count() >= 4
                && w.chars()
                    .all(|c| c.is_alphabetic() || c == '\'' || c == '’')
        };
        // A prefix or an ending added ("possible" → "impossible", "term" →
        // "terms") changes meaning, not spelling.
        let affixed = x.starts_with(y) || y.starts_with(x) || x.ends_with(y) || y.ends_with(x);
        let distance = edit_distance(x, y);
        letters(x)
            && letters(y)
            && !affixed
            && !MEANINGFUL.contains(&x)
            && !MEANINGFUL.contains(&y)
            && distance <= 2
            && distance * 4 <= x.chars().count().max(y.chars().count())
    };
    changed.iter().all(|(_, x, y)| typo(x, y)).then(|| {
        Form::Spelling(
            changed
                .iter()
                .map(|(_, x, y)| (x.to_string(), y.to_string()))
                .collect(),
        )
    })
}

/// Levenshtein distance with adjacent transpositions counted as one edit
/// ("form" / "from"), on characters. Words are short; quadratic is fine.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        d[at(i, 0)] = i;
    }
    for j in 0..=b.len() {
        d[at(0, j)] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[at(i - 1, j)] + 1)
                .min(d[at(i, j - 1)] + 1)
                .min(d[at(i - 1, j - 1)] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[at(i - 2, j - 2)] + 1);
            }
            d[at(i, j)] = best;
        }
    }
    d[at(a.len(), b.len())]
}

/// Who said what, comparable across versions: (speaker, verb) pairs.
pub(crate) type Speakers = Vec<(String, String)>;

/// What the tags read in one side's text: its claims facts and who said what.
pub(crate) struct Reading<'t> {
    text: &'t str,
    facts: claims::Facts,
    speakers: Speakers,
}

impl<'t> Reading<'t> {
    /// The reading of `text`; its speakers (from `claims::attributions`) only
    /// `with_speakers`, else none are known.
    pub(crate) fn of(text: &'t str, with_speakers: bool) -> Reading<'t> {
        let (facts, speakers) = if with_speakers {
            let (facts, attributions) = claims::facts_and_attributions(text);
            let speakers = attributions
                .into_iter()
                .map(|a| (a.speaker, a.verb))
                .collect();
            (facts, speakers)
        } else {
            (claims::facts(text), Vec::new())
        };
        Reading {
            text,
            facts,
            speakers,
        }
    }
}

/// Tags, significance and reason of a change, from the readings of its old and
/// new text.
pub(crate) fn classify(
    kind: ChangeKind,
    old: Option<&Reading<'_>>,
    new: Option<&Reading<'_>>,
) -> (Vec<Tag>, Significance, String) {
    let mut tags = Vec::new();
    let mut reasons: Vec<String> = Vec::new();
    match (old, new) {
        (Some(old_reading), Some(new_reading)) => {
            let (old, new) = (old_reading.text, new_reading.text);
            let (a, b) = (&old_reading.facts, &new_reading.facts);
            let speakers = (&old_reading.speakers, &new_reading.speakers);
            let (folded_old, folded_new) = (folded_words(old), folded_words(new));
            let form = if folded_old == folded_new {
                Some(Form::PunctuationOrCase)
            } else {
                form_only(&folded_old, &folded_new)
            };
            let cosmetic = form.is_some();
            let numbers = (minus(&a.numbers, &b.numbers), minus(&b.numbers, &a.numbers));
            if !matches!(form, Some(Form::Numbering(..)))
                && (!numbers.0.is_empty() || !numbers.1.is_empty())
            {
                tags.push(Tag::Number);
                reasons.push(format!("number changed: {}", arrow(&numbers.0, &numbers.1)));
            }
            let dates = (minus(&a.dates, &b.dates), minus(&b.dates, &a.dates));
            if !dates.0.is_empty() || !dates.1.is_empty() {
                tags.push(Tag::Date);
                reasons.push(format!("date changed: {}", arrow(&dates.0, &dates.1)));
            }
            let negations = (
                minus(&a.negations, &b.negations),
                minus(&b.negations, &a.negations),
            );
            if !cosmetic && (!negations.0.is_empty() || !negations.1.is_empty()) {
                tags.push(Tag::Negation);
                reasons.push(match (negations.0.is_empty(), negations.1.is_empty()) {
                    (true, _) => format!("negation added: {}", negations.1.join(", ")),
                    (_, true) => format!("negation removed: {}", negations.0.join(", ")),
                    _ => format!("negation changed: {}", arrow(&negations.0, &negations.1)),
                });
            }
            if !cosmetic && speakers.0 != speakers.1 {
                tags.push(Tag::Attribution);
                let who = |s: &Speakers| {
                    s.iter()
                        .map(|(w, v)| format!("{w} {v}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                reasons.push(match (speakers.0.is_empty(), speakers.1.is_empty()) {
                    (true, _) => format!("new attribution: {}", who(speakers.1)),
                    (_, true) => format!("attribution removed: {}", who(speakers.0)),
                    _ => format!(
                        "attribution changed: {} → {}",
                        who(speakers.0),
                        who(speakers.1)
                    ),
                });
            }
            let quotes = (minus(&a.quotes, &b.quotes), minus(&b.quotes, &a.quotes));
            if !cosmetic && (!quotes.0.is_empty() || !quotes.1.is_empty()) {
                tags.push(Tag::Quote);
                reasons.push(match (quotes.0.is_empty(), quotes.1.is_empty()) {
                    (true, _) => "quotation added".to_string(),
                    (_, true) => "quotation removed".to_string(),
                    _ => "quotation changed".to_string(),
                });
            }
            let names = (new_names(&a.names, &b.names), new_names(&b.names, &a.names));
            if !cosmetic && (!names.0.is_empty() || !names.1.is_empty()) {
                tags.push(Tag::Name);
                reasons.push(format!("name changed: {}", arrow(&names.0, &names.1)));
            }
            let significance = if cosmetic {
                Significance::Cosmetic
            } else {
                Significance::Substantive
            };
            let obligations = (
                minus(&a.obligations, &b.obligations),
                minus(&b.obligations, &a.obligations),
            );
            if !cosmetic && (!obligations.0.is_empty() || !obligations.1.is_empty()) {
                reasons.push(format!(
                    "obligation changed: {}",
                    arrow(&obligations.0, &obligations.1)
                ));
            }
            match &form {
                Some(Form::Spelling(pairs)) => reasons.push(format!(
                    "spelling fixed: {}",
                    pairs
                        .iter()
                        .map(|(x, y)| format!("{x} → {y}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                Some(Form::Numbering(x, y)) => {
                    reasons.push(format!("numbering changed: {x} → {y}"))
                }
                _ => {}
            }
            if reasons.is_empty() {
                reasons.push(match (kind, cosmetic) {
                    (ChangeKind::Moved, true) => "moved, text unchanged".to_string(),
                    (ChangeKind::Moved, false) => "moved and reworded".to_string(),
                    (_, true) => "punctuation or case only".to_string(),
                    (_, false) => "wording changed".to_string(),
                });
            }
            tags.sort();
            tags.dedup();
            (tags, significance, reasons.join("; "))
        }
        (None, Some(reading)) | (Some(reading), None) => {
            let added = old.is_none();
            let facts = &reading.facts;
            let attributed = !reading.speakers.is_empty();
            let quoted = !facts.quotes.is_empty();
            if !facts.numbers.is_empty() {
                tags.push(Tag::Number);
            }
            if !facts.dates.is_empty() {
                tags.push(Tag::Date);
            }
            if quoted {
                tags.push(Tag::Quote);
            }
            if attributed {
                tags.push(Tag::Attribution);
            }
            let what = match (attributed, quoted) {
                (true, true) => "attributed quotation",
                (false, true) => "quotation",
                (true, false) => "attributed statement",
                (false, false) => "text",
            };
            let reason = if added {
                format!("new {what}")
            } else {
                format!("{what} removed")
            };
            tags.sort();
            (tags, Significance::Substantive, reason)
        }
        (None, None) => (tags, Significance::Cosmetic, String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> Speakers {
        Vec::new()
    }

    /// [`super::classify`] of two texts with the given speakers.
    fn classify(
        kind: ChangeKind,
        old: Option<&str>,
        new: Option<&str>,
        speakers: (&Speakers, &Speakers),
    ) -> (Vec<Tag>, Significance, String) {
        fn read<'t>(text: &'t str, who: &Speakers) -> Reading<'t> {
            Reading {
                text,
                facts: claims::facts(text),
                speakers: who.clone(),
            }
        }
        let old = old.map(|t| read(t, speakers.0));
        let new = new.map(|t| read(t, speakers.1));
        super::classify(kind, old.as_ref(), new.as_ref())
    }

    #[test]
    fn numbers_and_dates() {
        let f = claims::facts("On Saturday 1 March, up to 30,000 troops and 5.2 per cent in 2022.");
        assert_eq!(f.dates, vec!["Saturday 1 March", "2022"]);
        assert_eq!(f.numbers, vec!["30,000", "5.2 per cent"]);
        let (tags, sig, reason) = classify(
            ChangeKind::Edited,
            Some("up to 30,000 European troops"),
            Some("up to 35,000 European troops"),
            (&none(), &none()),
        );
        assert_eq!(tags, vec![Tag::Number]);
        assert_eq!(sig, Significance::Substantive);
        assert_eq!(reason, "number changed: 30,000 → 35,000");
        let (tags, _, reason) = classify(
            ChangeKind::Edited,
            Some("last updated at 12pm on Saturday 1 March"),
            Some("last updated at 4pm on Tuesday 4 March"),
            (&none(), &none()),
        );
        // "12pm" is a time of day, not a figure.
        assert_eq!(tags, vec![Tag::Date]);
        assert!(
            reason.contains("date changed: Saturday 1 March → Tuesday 4 March"),
            "{reason}"
        );
    }

    #[test]
    fn negation_quote_name_and_cosmetic() {
        let none = none();
        let (tags, _, reason) = classify(
            ChangeKind::Edited,
            Some("The plan is viable."),
            Some("The plan is not viable."),
            (&none, &none),
        );
        assert_eq!(tags, vec![Tag::Negation]);
        assert_eq!(reason, "negation added: not");
        let (tags, ..) = classify(
            ChangeKind::Edited,
            Some("He called it “possible”."),
            Some("He called it “impossible”."),
            (&none, &none),
        );
        assert_eq!(tags, vec![Tag::Quote]);
        let (tags, ..) = classify(
            ChangeKind::Edited,
            Some("Talks were held with officials."),
            Some("Talks were held with Marco Rubio."),
            (&none, &none),
        );
        assert_eq!(tags, vec![Tag::Name]);
        assert_eq!(
            claims::names("It was Mr. Trump’s deal. They met President Vladimir V. Putin."),
            vec!["Mr. Trump’s", "President Vladimir V. Putin"]
        );
        let (tags, sig, reason) = classify(
            ChangeKind::Edited,
            Some("the talks, which failed"),
            Some("The talks which failed."),
            (&none, &none),
        );
        assert!(tags.is_empty());
        assert_eq!(sig, Significance::Cosmetic);
        assert_eq!(reason, "punctuation or case only");
    }

    #[test]
    fn added_attributed_quotation() {
        let speakers: Speakers = vec![("Mr Macron".into(), "said".into())];
        let (tags, sig, reason) = classify(
            ChangeKind::Added,
            None,
            Some("Mr Macron said a truce “in the air” was proposed."),
            (&none(), &speakers),
        );
        assert_eq!(tags, vec![Tag::Quote, Tag::Attribution]);
        assert_eq!(sig, Significance::Substantive);
        assert_eq!(reason, "new attributed quotation");
    }

    /// Synthetic sentences modelled on legal and technical texts of the corpus.
    #[test]
    fn modal_may_identifiers_and_places_are_not_tags() {
        let none = none();
        let (tags, ..) = classify(
            ChangeKind::Edited,
            Some("We may share your data with partners."),
            Some("We may share your personal data with partners."),
            (&none, &none),
        );
        assert!(!tags.contains(&Tag::Date), "{tags:?}");
        let (tags, ..) = classify(
            ChangeKind::Added,
            None,
            Some("This file covers COVID-19 and H1N1 deaths."),
            (&none, &none),
        );
        assert!(!tags.contains(&Tag::Number), "{tags:?}");
        // "No 10" is Downing Street in the diff as in claims.
        let (tags, ..) = classify(
            ChangeKind::Edited,
            Some("Officials at Downing Street said so."),
            Some("Officials at No 10 said so."),
            (&none, &none),
        );
        assert!(!tags.contains(&Tag::Negation), "{tags:?}");
    }

    #[test]
    fn typos_and_numbering_are_cosmetic_but_figures_are_not() {
        let none = none();
        let (tags, sig, reason) = classify(
            ChangeKind::Edited,
            Some("Basecamp Polices apply to every account."),
            Some("Basecamp Policies apply to every account."),
            (&none, &none),
        );
        assert_eq!(sig, Significance::Cosmetic, "{reason}");
        assert!(tags.is_empty());
        assert_eq!(reason, "spelling fixed: polices → policies");
        let (tags, sig, reason) = classify(
            ChangeKind::Edited,
            Some("2.5.2 Using Response Headers"),
            Some("2.5.1 Using Response Headers"),
            (&none, &none),
        );
        assert_eq!(sig, Significance::Cosmetic, "{reason}");
        assert!(tags.is_empty(), "{tags:?}");
        assert_eq!(reason, "numbering changed: 2.5.2 → 2.5.1");
        let (tags, sig, _) = classify(
            ChangeKind::Edited,
            Some("Our liability is capped at US $5,000 per claim."),
            Some("Our liability is capped at US $500 per claim."),
            (&none, &none),
        );
        assert_eq!(sig, Significance::Substantive);
        assert_eq!(tags, vec![Tag::Number]);
        // A changed modal is meaning, however short the edit.
        let (_, sig, reason) = classify(
            ChangeKind::Edited,
            Some("You must keep a copy."),
            Some("You may keep a copy."),
            (&none, &none),
        );
        assert_eq!(sig, Significance::Substantive);
        assert!(
            reason.contains("obligation changed: removed must"),
            "{reason}"
        );
        assert_eq!(edit_distance("form", "from"), 1);
        // Cut from ../shared/corpus/opensource-guide-legal (v41 → v42).
        let (tags, sig, _) = classify(
            ChangeKind::Edited,
            Some("If your project uses others' code that does't have an open source license, ask."),
            Some(
                "If your project uses others' code that doesn't have an open source license, ask.",
            ),
            (&none, &none),
        );
        assert_eq!((tags, sig), (Vec::new(), Significance::Cosmetic));
    }
}
