//! Reader-relevant tags of a change (number, date, quote, attribution, negation,
//! name), its significance and a short reason, from plain lexical evidence.

use super::text::{folded_words, is_word, normalise, tokens, words, FastMap};
use super::{ChangeKind, Significance, Tag};
use crate::calendar::{is_month, is_weekday};

const NEGATIONS: &[&str] = &[
    "not", "no", "never", "nor", "none", "nobody", "nothing", "neither", "cannot", "nowhere",
];

/// Lexical facts about one sentence.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    /// Figures that are not part of a date ("30,000", "5.2", "50").
    pub numbers: Vec<String>,
    /// Date phrases ("Saturday 1 March", "12 February", "2022").
    pub dates: Vec<String>,
    /// Quoted passages (between double quotes), normalised.
    pub quotes: Vec<String>,
    /// Negation words, in order.
    pub negations: Vec<String>,
    /// Proper names: runs of capitalised words, not sentence-initial, titles
    /// ("Mr", "Sir") and dates left out ("Volodymyr Zelenskyy", "Kremlin").
    pub names: Vec<String>,
}

/// Case-insensitive membership without allocating (called for every word).
fn one_of(list: &[&str], w: &str) -> bool {
    w.len() <= 9 && list.iter().any(|m| m.eq_ignore_ascii_case(w))
}

fn is_year(w: &str) -> bool {
    w.len() == 4
        && w.chars().all(|c| c.is_ascii_digit())
        && (w.starts_with("19") || w.starts_with("20"))
}

fn is_day(w: &str) -> bool {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    !digits.is_empty()
        && digits.len() <= 2
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(w.get(digits.len()..), Some("" | "st" | "nd" | "rd" | "th"))
}

fn is_negation(w: &str) -> bool {
    let contraction = |suffix: &str| {
        w.len() > suffix.len()
            && w.get(w.len() - suffix.len()..)
                .is_some_and(|end| end.eq_ignore_ascii_case(suffix))
    };
    one_of(NEGATIONS, w) || contraction("n't") || contraction("n’t")
}

impl Facts {
    pub(crate) fn of(text: &str) -> Facts {
        let words: Vec<&str> = words(text).collect();
        let mut facts = Facts::default();
        // Date phrases: maximal runs of weekday / day / month / year with a month or
        // weekday or year in them ("Tuesday 4 March", "24 February", "2022").
        let mut i = 0;
        while i < words.len() {
            let w = words[i];
            let datey = |w: &str| is_month(w) || is_weekday(w) || is_year(w) || is_day(w);
            if datey(w) {
                let start = i;
                while i < words.len() && datey(words[i]) {
                    i += 1;
                }
                let run = &words[start..i];
                let anchored = run
                    .iter()
                    .any(|w| is_month(w) || is_weekday(w) || is_year(w));
                if anchored {
                    facts.dates.push(run.join(" "));
                } else {
                    facts.numbers.extend(run.iter().map(|w| w.to_string()));
                }
                continue;
            }
            if w.chars().any(|c| c.is_ascii_digit()) {
                facts.numbers.push(w.to_string());
            }
            if is_negation(w) {
                facts.negations.push(normalise(w).to_lowercase());
            }
            i += 1;
        }
        facts.names = name_phrases(text);
        facts.quotes = quotations(text);
        facts
    }
}

/// Titles that precede a name but are not one.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "sir", "dame", "prof", "st", "lord", "lady",
];

/// Runs of capitalised words separated by single spaces (see [`Facts::names`]).
fn name_phrases(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // The current run as a byte range of `text`, so "Vladimir V. Putin" stays verbatim.
    let mut run: Option<(usize, usize)> = None;
    let mut first_word = true;
    let mut previous_word = "";
    let mut flush = |run: &mut Option<(usize, usize)>| {
        if let Some((a, b)) = run.take() {
            out.push(text.get(a..b).unwrap_or("").to_string());
        }
    };
    let mut offset = 0;
    for token in tokens(text) {
        let at = offset;
        offset += token.len();
        if token == " " {
            continue;
        }
        let initial = previous_word.chars().nth(1).is_none();
        if token == "." && initial && run.is_some() {
            // "V." inside a name.
            continue;
        }
        let capitalised = token.chars().next().is_some_and(char::is_uppercase);
        let is_name = is_word(token)
            && capitalised
            && !first_word
            && token != "I"
            && !one_of(TITLES, token)
            && !one_of(NEGATIONS, token)
            && !is_month(token)
            && !is_weekday(token);
        if is_word(token) {
            first_word = false;
            previous_word = token;
        } else if matches!(token, "!" | "?" | ":" | "“" | "\"" | "‘")
            || (token == "." && !one_of(TITLES, previous_word) && !initial)
        {
            // A new sentence or a quotation starts with a capital that is no name
            // (but "Mr. Putin" and "Vladimir V. Putin" go on).
            first_word = true;
        }
        if is_name {
            run = Some(run.map_or((at, offset), |(a, _)| (a, offset)));
        } else {
            flush(&mut run);
        }
    }
    flush(&mut run);
    out
}

/// Name phrases of `a` that share no word with any name in `b` (case-insensitive):
/// "Mr Trump" next to "Donald Trump" is no new name.
fn new_names(a: &[String], b: &[String]) -> Vec<String> {
    let known: std::collections::HashSet<String> = b
        .iter()
        .flat_map(|n| n.split(' '))
        .map(str::to_lowercase)
        .collect();
    let mut out: Vec<String> = Vec::new();
    for name in a {
        if !name.split(' ').any(|w| known.contains(&w.to_lowercase())) && !out.contains(name) {
            out.push(name.clone());
        }
    }
    out
}

/// Passages between double quotes (curly or straight), normalised.
fn quotations(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match c {
            '“' => open = Some(i + c.len_utf8()),
            '”' => {
                if let Some(start) = open.take() {
                    push_quote(&mut out, text.get(start..i).unwrap_or(""));
                }
            }
            '"' => match open.take() {
                Some(start) => push_quote(&mut out, text.get(start..i).unwrap_or("")),
                None => open = Some(i + 1),
            },
            _ => {}
        }
    }
    out
}

fn push_quote(out: &mut Vec<String>, quote: &str) {
    if words(quote).next().is_some() {
        out.push(normalise(quote));
    }
}

/// What is in `a` and not in `b` (multiset difference), in `a`'s order. Linear:
/// a pathological sentence can hold a hundred thousand figures.
fn minus(a: &[String], b: &[String]) -> Vec<String> {
    let mut left: FastMap<&str, usize> = FastMap::default();
    for y in b {
        *left.entry(y.as_str()).or_default() += 1;
    }
    let mut out = Vec::new();
    for x in a {
        match left.get_mut(x.as_str()) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.push(x.clone()),
        }
    }
    out
}

/// Human wording for a change between two lists: "30,000 → 35,000".
fn arrow(removed: &[String], added: &[String]) -> String {
    match (removed.is_empty(), added.is_empty()) {
        (false, false) => format!("{} → {}", removed.join(", "), added.join(", ")),
        (true, false) => format!("added {}", added.join(", ")),
        (false, true) => format!("removed {}", removed.join(", ")),
        (true, true) => String::new(),
    }
}

/// Who said what, comparable across versions: (speaker, verb) pairs.
pub(crate) type Speakers = Vec<(String, String)>;

/// Tags, significance and reason of a change. `speakers` are the attributions of the
/// old and new text (from `claims::attributions`), empty when unknown.
pub(crate) fn classify(
    kind: ChangeKind,
    old: Option<&str>,
    new: Option<&str>,
    speakers: (&Speakers, &Speakers),
) -> (Vec<Tag>, Significance, String) {
    let mut tags = Vec::new();
    let mut reasons: Vec<String> = Vec::new();
    match (old, new) {
        (Some(old), Some(new)) => {
            let (a, b) = (Facts::of(old), Facts::of(new));
            let cosmetic = folded_words(old) == folded_words(new);
            let numbers = (minus(&a.numbers, &b.numbers), minus(&b.numbers, &a.numbers));
            if !numbers.0.is_empty() || !numbers.1.is_empty() {
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
        (None, Some(text)) | (Some(text), None) => {
            let added = old.is_none();
            let facts = Facts::of(text);
            let attributed = !(if added { speakers.1 } else { speakers.0 }).is_empty();
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

    #[test]
    fn numbers_and_dates() {
        let f = Facts::of("On Saturday 1 March, up to 30,000 troops and 5.2 per cent in 2022.");
        assert_eq!(f.dates, vec!["Saturday 1 March", "2022"]);
        assert_eq!(f.numbers, vec!["30,000", "5.2"]);
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
        assert_eq!(tags, vec![Tag::Number, Tag::Date]);
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
            name_phrases(
                "It was Mr. Trump’s deal. They met President Vladimir V. Putin. “The talks”"
            ),
            vec!["Trump’s", "President Vladimir V. Putin"]
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
}
