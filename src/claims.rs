//! Claims: lexical analysis of a news sentence: who said what (speaker +
//! reporting verb), quotations, negations, numbers, dates and names. Used by the
//! diff's tags and the summary's highlight ranking.
//! OWNER: summary engineer.
//!
//! Everything here is deliberately lexical (word lists and token patterns, no
//! model): the output must be explainable to an editor and identical on every
//! machine. It is tuned on the seed explainers (Full Fact, NYT) and errs on the
//! side of missing an attribution rather than inventing a speaker.

use std::borrow::Cow;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// "Mr Macron said …": a speaker and a reporting verb.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// Who, as written ("Mr Macron", "the UK government").
    pub speaker: String,
    /// The reporting verb as written ("said", "denied", "proposed").
    pub verb: String,
    /// True when the attribution denies or contradicts ("denied", "said 'no agreement'", "rejected").
    pub denial: bool,
}

/// All attributions in a sentence, in order.
///
/// A speaker is a name or title phrase ("Mr Macron", "the UK government",
/// "a White House official", "Ukrainian Prime Minister Denis Schmyhal") or a
/// personal pronoun (he, she, they) directly before a reporting verb (auxiliaries
/// and adverbs such as "has", "later", ", meanwhile," may sit between), the
/// agent of a passive ("ruled out by Russia"), the antecedent of ", who", the
/// speaker of a coordinated verb ("… and has also suggested"), or the source
/// after "according to". `denial` is set for denying verbs (denied, rejected,
/// ruled out, disputed, dismissed…), for a reported clause that is itself negated
/// near its start ("said “no agreement” had been reached", "said it would not
/// accept"), and for a speaker introduced by a contrast ("however", "but",
/// "although") — a rebuttal of what precedes.
pub fn attributions(sentence: &str) -> Vec<Attribution> {
    attributions_in(sentence, &tokenize(sentence))
}

/// [`attributions`] over the sentence's tokens.
fn attributions_in(sentence: &str, tokens: &[Token<'_>]) -> Vec<Attribution> {
    if credit_line(sentence).is_some() {
        // It attributes the quotation before it (see `credit_line`).
        return Vec::new();
    }
    let mut found: Vec<Found> = Vec::new();
    // Reported speech of the last attribution runs to a clause boundary; a verb
    // inside it ("Mr Macron said France and the UK had proposed …") is part of
    // what was said, not a second attribution.
    let mut reported_until = 0;
    let mut i = 0;
    while i < tokens.len() {
        let Some(verb) = reporting_verb(tokens, i) else {
            i += 1;
            continue;
        };
        if i < reported_until {
            i += verb.len;
            continue;
        }
        let verb_end = i + verb.len;
        if verb.according_to {
            if let Some(np) = noun_phrase_forward(tokens, verb_end) {
                let contrast = contrast_before(tokens, i, !found.is_empty());
                found.push(Found {
                    speaker: np.clone(),
                    clause_start: i,
                    verb: i..verb_end,
                    content_start: skip_comma(tokens, np.end),
                    denial: verb.denial || contrast,
                });
                i = np.end;
                continue;
            }
        } else if let Some((speaker, clause_start, content_start)) =
            speaker_for(tokens, i, verb_end, found.last())
        {
            let contrast = contrast_before(tokens, clause_start, !found.is_empty());
            found.push(Found {
                speaker,
                clause_start,
                verb: i..verb_end,
                content_start,
                denial: verb.denial || contrast,
            });
            reported_until = clause_boundary(tokens, content_start);
        }
        i = verb_end;
    }
    // The reported content of each attribution runs to where the next begins.
    let ends: Vec<usize> = found
        .iter()
        .skip(1)
        .map(|f| f.clause_start)
        .chain(std::iter::once(tokens.len()))
        .collect();
    found
        .iter()
        .zip(ends)
        .filter(|(f, _)| plausible_speaker(tokens, f.speaker.clone()))
        .map(|(f, end)| {
            let content = f.content_start.min(end)..end;
            let negated = content_negated(tokens, content);
            Attribution {
                speaker: slice(sentence, tokens, f.speaker.clone()),
                verb: slice(sentence, tokens, f.verb.clone()),
                denial: f.denial || negated,
            }
        })
        .collect()
}

/// True when the text quotes speech: a pair of double quotes (curly or straight)
/// with at least two words inside.
pub fn has_quotation(text: &str) -> bool {
    !quotations(text).is_empty()
}

/// The quoted passages (without their quote marks) that read as speech: at
/// least two words of letters, not a defined term ("the “data controller”",
/// "(“End User Communications”)", a Title-Case name) and not code or a URL
/// ("“Shared-Storage-Writable: ?1”"). One quoted word is a scare quote.
pub fn quotations(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // A credit line ("— Heather Meeker, “Open Source Software”") names a
    // source: its quoted words are a title, not speech.
    if credit_line(text).is_some() {
        return out;
    }
    for (start, quote) in quoted_spans(text) {
        // A link's quoted text (`["Everything a government attorney…"](url)`)
        // is the title of what it links to.
        let after = text.get(start..).and_then(|rest| {
            let open = rest.chars().next()?.len_utf8();
            let close = rest.get(open + quote.len()..)?;
            close.get(close.chars().next()?.len_utf8()..)
        });
        let titled = text.get(..start).unwrap_or("").ends_with('[')
            && after.is_some_and(|a| a.starts_with("]("));
        if titled {
            continue;
        }
        let words: Vec<&str> = quote
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|w| !w.is_empty())
            .collect();
        let prose_words = words
            .iter()
            .filter(|w| {
                w.chars()
                    .all(|c| c.is_alphabetic() || c == '\'' || c == '’')
            })
            .count();
        let before = text.get(..start).unwrap_or("").trim_end();
        let before = before.strip_suffix(['“', '"']).unwrap_or(before).trim_end();
        let previous = before
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("")
            .to_lowercase();
        let defined_term = before.ends_with('(')
            || [
                "the", "a", "an", "as", "called", "term", "terms", "see", "(see", "or", "and",
            ]
            .contains(&previous.as_str())
            || (words.len() <= 5
                && words
                    .iter()
                    .all(|w| w.chars().next().is_some_and(char::is_uppercase)));
        let code = quote.contains("://") || quote.contains(['(', ')', '{', '}', '=', '<', '>']);
        if prose_words >= 2 && prose_words * 2 >= words.len() && !defined_term && !code {
            out.push(quote);
        }
    }
    out
}

/// The name a credit line gives: a line that opens with a dash and names
/// someone before a comma or its end ("— Heather Meeker, “Open Source
/// Software…”", "— @benbalter"), as under a pull quote. It attributes the
/// quotation before it; it is no claim of its own.
pub fn credit_line(text: &str) -> Option<String> {
    let rest = text
        .trim_start()
        .strip_prefix(['—', '―', '–'])
        .or_else(|| text.trim_start().strip_prefix("--"))?
        .trim_start();
    let name = rest.split(',').next().unwrap_or("").trim();
    let words = name.split_whitespace().count();
    let named = name
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c == '@');
    (named && (1..=5).contains(&words)).then(|| name.to_string())
}

/// Quoted passages with at least `min_words` words, verbatim.
fn quoted_passages(text: &str, min_words: usize) -> Vec<String> {
    quoted_spans(text)
        .into_iter()
        .filter(|(_, inner)| {
            inner
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count()
                >= min_words
        })
        .map(|(_, inner)| inner)
        .collect()
}

/// Every quoted passage with a word in it, with the byte offset of its opening quote.
fn quoted_spans(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (at, c) in text.char_indices() {
        match (open, c) {
            (None, '“') => open = Some((at + c.len_utf8(), '”')),
            (None, '"') => open = Some((at + 1, '"')),
            (Some((start, close)), c) if c == close => {
                let inner = text.get(start..at).unwrap_or("");
                if inner.chars().any(char::is_alphanumeric) {
                    let opening = start - if close == '”' { '“'.len_utf8() } else { 1 };
                    out.push((opening, inner.to_string()));
                }
                open = None;
            }
            // A new opening curly quote before a close: the earlier one was stray.
            (Some(_), '“') => open = Some((at + c.len_utf8(), '”')),
            _ => {}
        }
    }
    out
}

/// Everything the diff's tags and the summary's ranking read in a sentence,
/// from one tokenisation: the one lexical analysis of the crate, so a diff tag
/// and a highlight class never disagree about what a sentence says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Figures that are not part of a date, as written ("30,000", "50 per cent", "$500").
    pub numbers: Vec<String>,
    /// Date phrases, as written ("Tuesday 4 March", "Feb. 17, 2025", "2014" in context).
    pub dates: Vec<String>,
    /// Quoted passages of at least one word, whitespace collapsed.
    pub quotes: Vec<String>,
    /// Negation words, lower case, in order ("not", "no", "n't").
    pub negations: Vec<String>,
    /// Obligation and permission phrases, lower case, in order ("must",
    /// "may not", "will not", "shall", "required"): what a policy binds or allows.
    pub obligations: Vec<String>,
    /// Proper-name runs (see [`names`]).
    pub names: Vec<String>,
}

/// The [`Facts`] of a sentence.
pub fn facts(text: &str) -> Facts {
    facts_in(text, &tokenize(text))
}

/// The [`Facts`] and the [`attributions`] of a sentence, from one tokenisation
/// (the diff's tags read both of every changed sentence).
pub fn facts_and_attributions(text: &str) -> (Facts, Vec<Attribution>) {
    let tokens = tokenize(text);
    (facts_in(text, &tokens), attributions_in(text, &tokens))
}

/// [`facts`] over the text's tokens.
fn facts_in(text: &str, tokens: &[Token<'_>]) -> Facts {
    let date_tokens = date_matches(tokens);
    Facts {
        numbers: numbers_in(text, tokens, &date_tokens),
        dates: date_tokens
            .iter()
            .map(|r| slice(text, tokens, r.clone()))
            .collect(),
        quotes: quoted_passages(text, 1)
            .iter()
            .map(|q| q.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect(),
        negations: negation_words(tokens),
        obligations: obligation_phrases(tokens),
        names: names_in(text, tokens),
    }
}

/// How many negation words the text has: not, no, never, n't, neither, nor, cannot.
/// "No. 10" (a number) is not a negation.
#[cfg(test)] // The one-fact views serve the tests; the library asks `facts` once.
pub fn negations(text: &str) -> usize {
    negation_words(&tokenize(text)).len()
}

/// Negation words, lower case with a straight apostrophe. "No 10 Downing
/// Street" and "No. 10" are places, not negations.
fn negation_words(tokens: &[Token<'_>]) -> Vec<String> {
    tokens
        .iter()
        .enumerate()
        .filter(|(k, t)| {
            if !t.is_word() {
                return false;
            }
            let w = t.lower();
            if w == "no" {
                return !tokens.get(k + 1).is_some_and(|n| n.is_number());
            }
            matches!(
                w.as_ref(),
                "not"
                    | "never"
                    | "neither"
                    | "nor"
                    | "cannot"
                    | "none"
                    | "nobody"
                    | "nothing"
                    | "nowhere"
            ) || w.ends_with("n't")
                || w.ends_with("n’t")
        })
        .map(|(_, t)| t.lower().replace('’', "'"))
        .collect()
}

/// Obligation and permission phrases: "must", "shall", "required", "prohibited",
/// and the negated modals "may not", "will not", "cannot", "won't".
fn obligation_phrases(tokens: &[Token<'_>]) -> Vec<String> {
    let mut out = Vec::new();
    let words: Vec<Cow<'_, str>> = tokens
        .iter()
        .filter(|t| t.is_word())
        .map(|t| {
            let w = t.lower();
            if w.contains('’') {
                Cow::Owned(w.replace('’', "'"))
            } else {
                w
            }
        })
        .collect();
    let mut k = 0;
    while let Some(w) = words.get(k) {
        let next_not = words.get(k + 1).is_some_and(|n| n == "not");
        match w.as_ref() {
            "may" | "will" | "can" | "shall" | "must" | "should" if next_not => {
                out.push(format!("{w} not"));
                k += 2;
                continue;
            }
            "must" | "mustn't" | "shall" | "shan't" | "cannot" | "can't" | "won't" | "required"
            | "require" | "requires" | "prohibited" | "forbidden" | "obliged" | "obligated" => {
                out.push(w.to_string())
            }
            _ => {}
        }
        k += 1;
    }
    out
}

/// The figures in the text, as written: "30,000", "50 per cent", "5.2", "12%",
/// "1,000 or more" → "1,000". Numbers that are part of a date ("12 February",
/// "2014" as a year) are left to [`dates`]. Identifiers that begin with a
/// letter ("COVID-19", "H1N1") are not figures.
#[cfg(test)] // The one-fact views serve the tests; the library asks `facts` once.
pub fn numbers(text: &str) -> Vec<String> {
    let tokens = tokenize(text);
    numbers_in(text, &tokens, &date_matches(&tokens))
}

/// The digits of an identifier such as "COVID-19" or "SARS-CoV-2": a number
/// joined by a hyphen, without spaces, to a word of letters before it.
fn identifier_tail(tokens: &[Token<'_>], k: usize) -> bool {
    let (Some(hyphen), Some(word), Some(digits)) = (
        k.checked_sub(1).and_then(|p| tokens.get(p)),
        k.checked_sub(2).and_then(|p| tokens.get(p)),
        tokens.get(k),
    ) else {
        return false;
    };
    matches!(hyphen.text, "-" | "‑")
        && hyphen.end == digits.start
        && word.end == hyphen.start
        && word.is_word()
        && word.text.chars().any(char::is_alphabetic)
}

fn numbers_in(text: &str, tokens: &[Token<'_>], date_tokens: &[Range<usize>]) -> Vec<String> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        let Some(t) = tokens.get(k) else { break };
        if !t.is_number()
            || date_tokens.iter().any(|r| r.contains(&k))
            || identifier_tail(tokens, k)
        {
            k += 1;
            continue;
        }
        let mut end = k + 1;
        let next = |j: usize| tokens.get(j).map(|t| t.text.to_lowercase());
        match (next(end).as_deref(), next(end + 1).as_deref()) {
            (Some("%"), _) => end += 1,
            (Some("per"), Some("cent")) => end += 2,
            (Some("percent"), _) => end += 1,
            (Some("million" | "billion" | "trillion" | "bn" | "m"), _) => end += 1,
            _ => {}
        }
        // "£" / "$" / "€" directly before belongs to the figure.
        let mut start = k;
        if k > 0
            && tokens
                .get(k - 1)
                .is_some_and(|p| matches!(p.text, "£" | "$" | "€"))
        {
            start = k - 1;
        }
        out.push(slice(text, tokens, start..end));
        k = end;
    }
    out
}

/// The dates in the text, as written: "12 February", "2 March", "Feb. 17, 2025",
/// "Tuesday 4 March", "24 and 28 February", and years in context ("in 2014",
/// "pre-2014", "since 2022").
#[cfg(test)] // The one-fact views serve the tests; the library asks `facts` once.
pub fn dates(text: &str) -> Vec<String> {
    let tokens = tokenize(text);
    date_matches(&tokens)
        .into_iter()
        .map(|r| slice(text, &tokens, r))
        .collect()
}

/// Proper-name runs ("Mr Macron", "Ukrainian Prime Minister Denis Schmyhal",
/// "US Secretary of State Marco Rubio"): capitalised words not at the start of a
/// sentence or quotation (unless the run starts with an honorific such as "Mr"),
/// excluding months, weekdays and capitalised function words.
#[cfg(test)] // The one-fact views serve the tests; the library asks `facts` once.
pub fn names(text: &str) -> Vec<String> {
    names_in(text, &tokenize(text))
}

fn names_in(text: &str, tokens: &[Token<'_>]) -> Vec<String> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        let Some(t) = tokens.get(k) else { break };
        if !is_name_word(t) {
            k += 1;
            continue;
        }
        let mut end = k + 1;
        loop {
            match tokens.get(end) {
                Some(n) if is_name_word(n) => end += 1,
                // "Secretary of State": a lower-case joiner between two name words.
                Some(n)
                    if matches!(n.text, "of" | "de" | "von" | "van" | "al")
                        && tokens.get(end + 1).is_some_and(is_name_word) =>
                {
                    end += 2
                }
                _ => break,
            }
        }
        let mut start = k;
        if at_sentence_start(tokens, k) && !is_honorific(t.text) {
            start += 1;
        }
        if start < end {
            out.push(slice(text, tokens, start..end));
        }
        k = end;
    }
    out
}

// ---------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenKind {
    Word,
    Punct,
}

#[derive(Debug, Clone)]
struct Token<'a> {
    kind: TokenKind,
    text: &'a str,
    start: usize,
    end: usize,
}

impl<'a> Token<'a> {
    fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }
    fn is_number(&self) -> bool {
        self.is_word()
            && self.text.chars().next().is_some_and(|c| c.is_ascii_digit())
            && self
                .text
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    }
    fn is_capitalised(&self) -> bool {
        self.is_word() && self.text.chars().next().is_some_and(char::is_uppercase)
    }
    fn is(&self, word: &str) -> bool {
        self.is_word() && self.text.eq_ignore_ascii_case(word)
    }
    /// The token in lower case; borrowed when it already is (most words: the
    /// diff asks for nearly every token of every changed sentence).
    fn lower(&self) -> Cow<'a, str> {
        if self
            .text
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            Cow::Borrowed(self.text)
        } else {
            Cow::Owned(self.text.to_lowercase())
        }
    }
}

/// Abbreviations besides short titles (`titles`) and months (`calendar`) that keep
/// their full stop ("St.", "Jr.", "No.").
const ABBREVIATIONS: &[&str] = &["st", "jr", "sr", "no", "vs", "etc"];

/// Does `word` (lower case, no full stop) keep a full stop after it ("Mr.", "Feb.", "No.")?
fn is_abbreviation(word: &str) -> bool {
    crate::titles::is_short_title(word)
        || crate::calendar::is_month_abbreviation(word)
        || ABBREVIATIONS.contains(&word)
}

/// Split into words (letters/digits with inner apostrophes, hyphens, full stops
/// and digit-group commas: "Zelenskyy’s", "one-month", "U.S.", "30,000", "5.2")
/// and single punctuation characters.
fn tokenize(text: &str) -> Vec<Token<'_>> {
    // At most one character per byte: one allocation, no regrowth.
    let mut chars: Vec<(usize, char)> = Vec::with_capacity(text.len());
    chars.extend(text.char_indices());
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let pos = |k: usize| chars.get(k).map_or(text.len(), |&(p, _)| p);
    let mut out = Vec::new();
    let mut k = 0;
    while let Some(c) = at(k) {
        if c.is_whitespace() {
            k += 1;
            continue;
        }
        if !c.is_alphanumeric() {
            out.push(Token {
                kind: TokenKind::Punct,
                text: text.get(pos(k)..pos(k + 1)).unwrap_or(""),
                start: pos(k),
                end: pos(k + 1),
            });
            k += 1;
            continue;
        }
        let start = k;
        k += 1;
        while let Some(c) = at(k) {
            if c.is_alphanumeric() {
                k += 1;
                continue;
            }
            let next_alnum = at(k + 1).is_some_and(char::is_alphanumeric);
            let prev_digit = k > 0 && at(k - 1).is_some_and(|p| p.is_ascii_digit());
            let next_digit = at(k + 1).is_some_and(|n| n.is_ascii_digit());
            let joins = match c {
                '\'' | '’' => next_alnum,
                // "one-month" joins; "pre-2014" splits so the year stands alone.
                '-' | '‑' => next_alnum && (prev_digit || !next_digit),
                '.' => next_alnum && (prev_digit == next_digit),
                ',' => prev_digit && next_digit && at(k + 4).is_none_or(|x| !x.is_ascii_digit()),
                _ => false,
            };
            if joins {
                k += 1;
            } else {
                break;
            }
        }
        let word = text.get(pos(start)..pos(k)).unwrap_or("");
        // Keep the full stop of an abbreviation or initialism ("Mr.", "U.S.", "V.").
        if at(k) == Some('.') {
            let lower = word.to_lowercase();
            let single_initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
            if is_abbreviation(&lower) || word.contains('.') || single_initial {
                k += 1;
            }
        }
        out.push(Token {
            kind: TokenKind::Word,
            text: text.get(pos(start)..pos(k)).unwrap_or(""),
            start: pos(start),
            end: pos(k),
        });
    }
    out
}

fn slice(text: &str, tokens: &[Token<'_>], range: Range<usize>) -> String {
    let start = tokens.get(range.start).map_or(text.len(), |t| t.start);
    let end = range
        .end
        .checked_sub(1)
        .and_then(|last| tokens.get(last))
        .map_or(start, |t| t.end);
    text.get(start..end.max(start)).unwrap_or("").to_string()
}

// ---------------------------------------------------------------------------
// Attributions

/// An attribution found in token space.
#[derive(Debug, Clone)]
struct Found {
    /// Tokens of the speaker.
    speaker: Range<usize>,
    /// Where this attribution's clause begins (speaker or verb, whichever first).
    clause_start: usize,
    /// Tokens of the verb.
    verb: Range<usize>,
    /// First token of the reported content.
    content_start: usize,
    /// Denial already established by the verb or a contrast marker.
    denial: bool,
}

struct VerbMatch {
    len: usize,
    denial: bool,
    according_to: bool,
}

#[rustfmt::skip]
const REPORTING_VERBS: &[&str] = &[
    "say", "says", "said", "saying", "tell", "tells", "told", "telling", "claim", "claims", "claimed", "claiming",
    "announce", "announces", "announced", "announcing", "propose", "proposes", "proposed", "proposing", "warn",
    "warns", "warned", "warning", "write", "writes", "wrote", "writing", "suggest", "suggests", "suggested",
    "suggesting", "insist", "insists", "insisted", "insisting", "stated", "confirm", "confirms", "confirmed",
    "confirming", "accuse", "accuses", "accused", "accusing", "respond", "responds", "responded", "responding",
    "replied", "added", "argued", "argues", "acknowledged", "admitted", "asserted", "declared", "explained",
    "clarified", "noted", "reported", "promised", "pledged", "vowed", "threatened", "predicted", "tweeted",
    "posted", "alleged", "alleges", "maintained", "maintains", "countered",
];

#[rustfmt::skip]
const DENIAL_VERBS: &[&str] = &[
    "deny", "denies", "denied", "denying", "reject", "rejects", "rejected", "rejecting", "dispute", "disputes",
    "disputed", "disputing", "dismiss", "dismisses", "dismissed", "dismissing", "refute", "refutes", "refuted",
    "contradicted", "contradicts", "rebuffed", "rebuts", "rebutted",
];

fn reporting_verb(tokens: &[Token<'_>], i: usize) -> Option<VerbMatch> {
    let t = tokens.get(i)?;
    if !t.is_word() || t.is_capitalised() && !t.is("according") {
        return None;
    }
    let w = t.lower();
    let next_is = |word: &str| tokens.get(i + 1).is_some_and(|n| n.is(word));
    if matches!(w.as_ref(), "rule" | "rules" | "ruled" | "ruling") && next_is("out") {
        return Some(VerbMatch {
            len: 2,
            denial: true,
            according_to: false,
        });
    }
    if matches!(w.as_ref(), "push" | "pushes" | "pushed") && next_is("back") {
        return Some(VerbMatch {
            len: 2,
            denial: true,
            according_to: false,
        });
    }
    if w == "according" && next_is("to") {
        return Some(VerbMatch {
            len: 2,
            denial: false,
            according_to: true,
        });
    }
    if DENIAL_VERBS.contains(&w.as_ref()) {
        return Some(VerbMatch {
            len: 1,
            denial: true,
            according_to: false,
        });
    }
    if REPORTING_VERBS.contains(&w.as_ref()) {
        return Some(VerbMatch {
            len: 1,
            denial: false,
            according_to: false,
        });
    }
    None
}

/// Words that may stand between a speaker and its verb ("has also later said").
#[rustfmt::skip]
const AUXILIARIES: &[&str] = &[
    "has", "have", "had", "will", "would", "could", "can", "may", "might", "should", "did", "does", "do", "also",
    "later", "since", "previously", "meanwhile", "repeatedly", "reportedly", "publicly", "recently", "already",
    "then", "now", "once", "again", "subsequently", "separately", "privately", "first", "initially", "earlier",
    "further", "too", "however", "himself", "herself", "itself", "themselves", "to", "appeared", "appears",
    "seemed", "seems", "went", "on", "always", "yet", "still", "long",
];

const PASSIVE_MARKERS: &[&str] = &["be", "been", "being", "was", "were", "is", "are"];

/// Lower-case words that can be the head of a speaker phrase.
#[rustfmt::skip]
const TITLE_NOUNS: &[&str] = &[
    "government", "governments", "official", "officials", "minister", "ministers", "ministry", "secretary",
    "president", "spokesperson", "spokesman", "spokeswoman", "spokespeople", "chancellor", "leader", "leaders",
    "office", "department", "sources", "source", "aide", "aides", "ambassador", "envoy", "authorities",
    "administration", "military", "army", "police", "commission", "council", "organisation", "organization",
    "alliance", "agency", "court", "parliament", "embassy", "newspaper", "analysts", "experts", "diplomats",
    "diplomat", "spokesperson", "kremlin", "general", "commander", "negotiators", "senator", "lawmakers",
];

/// Lower-case modifiers allowed inside a speaker phrase before its head
/// ("the US defence secretary", "a senior official").
#[rustfmt::skip]
const TITLE_MODIFIERS: &[&str] = &[
    "defence", "defense", "foreign", "prime", "deputy", "former", "senior", "chief", "state", "top", "interior",
    "finance", "press", "security", "vice", "national", "military", "government", "white",
];

const DETERMINERS: &[&str] = &["the", "a", "an"];

const PRONOUNS: &[&str] = &["he", "she", "they"];

/// Capitalised words that are never (part of) a speaker or a name.
#[rustfmt::skip]
const CAPITALISED_STOPWORDS: &[&str] = &[
    "however", "meanwhile", "following", "in", "on", "at", "while", "but", "and", "if", "when", "after", "before",
    "since", "speaking", "although", "though", "this", "that", "these", "those", "it", "its", "we", "they", "he",
    "she", "i", "you", "there", "what", "who", "why", "how", "where", "which", "both", "neither", "nor", "yet",
    "so", "as", "for", "with", "from", "by", "to", "of", "prior", "upon", "between", "during", "most", "many",
    "some", "one", "all", "alongside", "image", "right", "to", "our", "his", "her", "their", "then", "now", "said",
    "also", "last", "next", "according", "under", "despite", "whether", "like", "unlike", "it’s", "it's", "we’ve",
    "we've", "we’ll", "we'll", "here’s", "here's", "there’s", "there's", "an", "a", "the", "no", "not", "more",
    "less", "three", "two", "four", "five", "bad", "honesty", "you’ve", "you've",
];

/// Words besides personal titles (`titles`) that open a name at the start of a
/// sentence ("Prime Minister …", "French President …").
const NAME_OPENERS: &[&str] = &[
    "prime",
    "us",
    "uk",
    "french",
    "russian",
    "ukrainian",
    "german",
    "british",
    "american",
];

fn is_month(t: &Token<'_>) -> bool {
    t.is_word() && t.is_capitalised() && crate::calendar::is_month(t.text)
}

fn is_weekday(t: &Token<'_>) -> bool {
    t.is_word() && crate::calendar::is_weekday(t.text)
}

/// A personal title or another word that opens a name ("Mr", "President", "French").
fn is_honorific(word: &str) -> bool {
    crate::titles::is_personal_title(word) || NAME_OPENERS.contains(&word.to_lowercase().as_str())
}

/// A capitalised word that can be part of a name or speaker.
fn is_name_word(t: &Token<'_>) -> bool {
    t.is_capitalised()
        && !is_month(t)
        && !is_weekday(t)
        && !CAPITALISED_STOPWORDS.contains(&t.lower().as_ref())
}

fn at_sentence_start(tokens: &[Token<'_>], k: usize) -> bool {
    let Some(prev) = k.checked_sub(1).and_then(|p| tokens.get(p)) else {
        return true;
    };
    !prev.is_word()
        && matches!(
            prev.text,
            "." | "!" | "?" | "“" | "\"" | "‘" | ":" | "(" | "—"
        )
}

/// Adverbs and determiners that open a sentence in a capital and are nobody.
const NOT_SPEAKERS: &[&str] = &[
    "only",
    "just",
    "even",
    "each",
    "every",
    "any",
    "such",
    "other",
    "further",
    "these",
    "those",
    "users",
    "data",
    "information",
    "promise",
    "content",
    "policy",
    "please",
    "note",
];

/// Speakers are people or organisations. A lone capitalised word that opens
/// the sentence is only a word with a capital ("Only origins write …",
/// "Origins write …", "APIs proposed …") when it is a plural or a common word;
/// a single-word speaker elsewhere, a titled or multi-word phrase, an acronym
/// ("NATO") or a pronoun stays.
fn plausible_speaker(tokens: &[Token<'_>], speaker: Range<usize>) -> bool {
    let words: Vec<&Token<'_>> = tokens
        .get(speaker.clone())
        .unwrap_or(&[])
        .iter()
        .filter(|t| t.is_word())
        .collect();
    let [word] = words.as_slice() else {
        return !words.is_empty();
    };
    let lower = word.lower();
    if NOT_SPEAKERS.contains(&lower.as_ref()) {
        return false;
    }
    if !at_sentence_start(tokens, speaker.start) || PRONOUNS.contains(&lower.as_ref()) {
        return true;
    }
    let chars: Vec<char> = word.text.chars().collect();
    let acronym = chars.len() >= 2 && chars.iter().all(|c| c.is_uppercase() || c.is_ascii_digit());
    // "Origins", "APIs", "Users": a plural noun, not a name ("Brussels" is the
    // rare exception a summary can do without).
    let plural = chars.len() > 3
        && chars.last() == Some(&'s')
        && chars
            .get(chars.len().saturating_sub(2))
            .is_some_and(|c| !matches!(c, 's' | 'u' | 'i'));
    acronym || !plural
}

/// Find the speaker of the verb at `verb_start`, walking back over auxiliaries
/// and adverbs. Returns (speaker tokens, clause start, content start).
fn speaker_for(
    tokens: &[Token<'_>],
    verb_start: usize,
    verb_end: usize,
    previous: Option<&Found>,
) -> Option<(Range<usize>, usize, usize)> {
    let mut i = verb_start;
    let mut passive = false;
    // Walk back over auxiliaries, -ly adverbs and parenthetical ", meanwhile,".
    while let Some(t) = i.checked_sub(1).and_then(|p| tokens.get(p)) {
        if t.is_word() && !t.is_capitalised() {
            let w = t.lower();
            if PASSIVE_MARKERS.contains(&w.as_ref()) {
                passive = true;
                i -= 1;
                continue;
            }
            if AUXILIARIES.contains(&w.as_ref()) || w.ends_with("ly") && w.len() > 4 {
                i -= 1;
                continue;
            }
        }
        if t.text == "," {
            // ", meanwhile," / ", however," between the speaker and its verb.
            let mut j = i - 1;
            while j > 0
                && tokens.get(j - 1).is_some_and(|w| {
                    w.is_word()
                        && !w.is_capitalised()
                        && (AUXILIARIES.contains(&w.lower().as_ref()) || w.lower().ends_with("ly"))
                })
            {
                j -= 1;
            }
            if j < i - 1 && j > 0 && tokens.get(j - 1).is_some_and(|c| c.text == ",") {
                i = j - 1;
                continue;
            }
        }
        break;
    }
    if passive {
        // "ruled out by Russia": the agent follows.
        if tokens.get(verb_end).is_some_and(|t| t.is("by")) {
            let np = noun_phrase_forward(tokens, verb_end + 1)?;
            return Some((np.clone(), verb_start, np.end));
        }
        return None;
    }
    // A date phrase between speaker and verb: "The Times on 19 February suggested".
    i = skip_date_phrase_back(tokens, i);
    let content_start = content_start_after(tokens, verb_end);
    let before = i.checked_sub(1).and_then(|p| tokens.get(p));
    // "Mr Zelenskyy, who had told …": the antecedent is the speaker.
    if before.is_some_and(|t| t.is("who"))
        && i >= 2
        && tokens.get(i - 2).is_some_and(|c| c.text == ",")
    {
        let np = noun_phrase_back(tokens, i - 2)?;
        return Some((np, i - 1, content_start));
    }
    // "… and has also suggested": the same speaker as the previous attribution.
    if before.is_some_and(|t| t.is("and")) {
        if let Some(prev) = previous {
            return Some((prev.speaker.clone(), i - 1, content_start));
        }
    }
    if let Some(np) = noun_phrase_back(tokens, i) {
        return Some((np.clone(), np.start, content_start));
    }
    // A personal pronoun right before the verb: "he later clarified". "He" or
    // "she" after a titled name in the same sentence ("Mr Zelenskyy was asked
    // to leave …, though he has since said") is that person.
    if before.is_some_and(|t| PRONOUNS.contains(&t.lower().as_ref())) {
        let singular = before.is_some_and(|t| !t.is("they"));
        let speaker = antecedent(tokens, i - 1)
            .filter(|_| singular)
            .unwrap_or(i - 1..i);
        return Some((speaker, i - 1, content_start));
    }
    None
}

/// The last titled name ("Mr Zelenskyy", "President Trump") before token `end`.
fn antecedent(tokens: &[Token<'_>], end: usize) -> Option<Range<usize>> {
    (0..end).rev().find_map(|k| {
        let title = tokens.get(k)?;
        if !title.is_capitalised() || !crate::titles::is_personal_title(title.text) {
            return None;
        }
        let mut stop = k + 1;
        while stop < end && tokens.get(stop).is_some_and(is_name_word) {
            stop += 1;
        }
        (stop > k + 1).then_some(k..stop)
    })
}

/// Walk back over "on 12 February" / "on Feb. 17" / "on Tuesday" ending at `i`.
fn skip_date_phrase_back(tokens: &[Token<'_>], i: usize) -> usize {
    let mut j = i;
    while j > 0
        && tokens
            .get(j - 1)
            .is_some_and(|t| t.is_number() || is_month(t) || is_weekday(t) || t.text == ",")
    {
        j -= 1;
    }
    if j < i && j > 0 && tokens.get(j - 1).is_some_and(|t| t.is("on") || t.is("in")) {
        j - 1
    } else {
        i
    }
}

/// The first clause boundary at or after `from`: a dash, semicolon, or a comma
/// followed by a conjunction ("…, and has also suggested", "…, however").
fn clause_boundary(tokens: &[Token<'_>], from: usize) -> usize {
    let mut k = from;
    while let Some(t) = tokens.get(k) {
        if matches!(t.text, "—" | "–" | ";") {
            return k;
        }
        if t.text == ","
            && tokens.get(k + 1).is_some_and(|n| {
                [
                    "however", "but", "although", "though", "while", "whereas", "and", "yet",
                    "with",
                ]
                .contains(&n.lower().as_ref())
            })
        {
            return k;
        }
        k += 1;
    }
    k
}

/// Where the reported content starts after a verb: skips "that", and for "told X
/// that" the addressee.
fn content_start_after(tokens: &[Token<'_>], verb_end: usize) -> usize {
    for k in verb_end..(verb_end + 6).min(tokens.len()) {
        if tokens.get(k).is_some_and(|t| t.is("that")) {
            return k + 1;
        }
        if tokens.get(k).is_some_and(|t| t.text == ":") {
            return k + 1;
        }
    }
    verb_end
}

fn skip_comma(tokens: &[Token<'_>], k: usize) -> usize {
    if tokens.get(k).is_some_and(|t| t.text == ",") {
        k + 1
    } else {
        k
    }
}

/// Speaker phrase ending just before token `end` (exclusive), read backwards.
fn noun_phrase_back(tokens: &[Token<'_>], end: usize) -> Option<Range<usize>> {
    let mut start = end;
    let mut has_head = false;
    while start > 0 {
        let Some(t) = tokens.get(start - 1) else {
            break;
        };
        if !t.is_word() {
            break;
        }
        let w = t.lower();
        let head = is_name_word(t) || TITLE_NOUNS.contains(&w.as_ref());
        let modifier = TITLE_MODIFIERS.contains(&w.as_ref()) && start < end;
        // "Secretary of State": "of" between two name words.
        let joiner = w == "of"
            && start < end
            && start >= 2
            && tokens.get(start - 2).is_some_and(is_name_word);
        if head || modifier || joiner {
            has_head |= head;
            start -= 1;
        } else {
            break;
        }
    }
    if !has_head {
        return None;
    }
    // "the UK government", "a White House official": keep the determiner.
    if start > 0
        && tokens
            .get(start - 1)
            .is_some_and(|t| DETERMINERS.contains(&t.lower().as_ref()))
    {
        start -= 1;
    }
    // "a spokesperson for the European Commission": the title owns the name.
    if start >= 2
        && tokens
            .get(start - 1)
            .is_some_and(|t| t.is("for") || t.is("of"))
        && tokens
            .get(start - 2)
            .is_some_and(|t| !t.is_capitalised() && TITLE_NOUNS.contains(&t.lower().as_ref()))
    {
        if let Some(owner) = noun_phrase_back(tokens, start - 1) {
            start = owner.start;
        }
    }
    Some(start..end)
}

/// Speaker phrase starting at token `start`, read forwards ("the Financial Times").
fn noun_phrase_forward(tokens: &[Token<'_>], start: usize) -> Option<Range<usize>> {
    let mut k = start;
    if tokens
        .get(k)
        .is_some_and(|t| DETERMINERS.contains(&t.lower().as_ref()))
    {
        k += 1;
    }
    let mut end = k;
    let mut has_head = false;
    while let Some(t) = tokens.get(end) {
        if !t.is_word() {
            break;
        }
        let w = t.lower();
        let head = is_name_word(t) || TITLE_NOUNS.contains(&w.as_ref());
        let joiner = w == "of" && end > k && tokens.get(end + 1).is_some_and(is_name_word);
        if head || joiner || TITLE_MODIFIERS.contains(&w.as_ref()) {
            has_head |= head;
            end += 1;
        } else {
            break;
        }
    }
    has_head.then_some(start..end)
}

/// A contrast marker ("however", "but", "although", "though", "yet", "whereas")
/// right before the clause (a comma or dash may sit between) that opposes an
/// earlier attribution in the sentence, or opens the sentence ("However, he
/// later clarified …"): the speaker rebuts. A contrast with mere narrative
/// ("was asked to leave …, though he has since said") is not a rebuttal.
fn contrast_before(tokens: &[Token<'_>], clause_start: usize, earlier: bool) -> bool {
    let mut k = clause_start;
    while k > 0
        && tokens
            .get(k - 1)
            .is_some_and(|t| matches!(t.text, "," | "—" | "–"))
    {
        k -= 1;
    }
    let Some(marker) = k.checked_sub(1) else {
        return false;
    };
    let is_contrast = tokens.get(marker).is_some_and(|t| {
        ["however", "but", "although", "though", "yet", "whereas"].contains(&t.lower().as_ref())
    });
    let opens_sentence = tokens
        .get(..marker)
        .is_some_and(|before| before.iter().all(|t| !t.is_word()));
    is_contrast && (earlier || opens_sentence)
}

/// True when the reported clause is negated near its start: "“no agreement” on
/// this had been reached", "it would not accept". A negation inside a further
/// nested clause ("reaffirmed that there must be no talks") does not count.
fn content_negated(tokens: &[Token<'_>], content: Range<usize>) -> bool {
    let words: Vec<&Token<'_>> = tokens
        .get(content)
        .unwrap_or(&[])
        .iter()
        .filter(|t| t.is_word())
        .take(5)
        .collect();
    for (n, t) in words.iter().enumerate() {
        let w = t.lower();
        if n == 0 && matches!(w.as_ref(), "no" | "nothing" | "none" | "never" | "neither") {
            return true;
        }
        if matches!(
            w.as_ref(),
            "that" | "which" | "who" | "because" | "if" | "when" | "while"
        ) {
            return false;
        }
        if matches!(w.as_ref(), "not" | "never" | "cannot")
            || w.ends_with("n't")
            || w.ends_with("n’t")
        {
            return true;
        }
    }
    false
}

// ---------------------------------------------------------------------------
// Dates

/// Token ranges of dates.
fn date_matches(tokens: &[Token<'_>]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let day = |k: usize| {
        tokens.get(k).is_some_and(|t| {
            t.is_number()
                && t.text.len() <= 2
                && t.text.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
        })
    };
    let year = |k: usize| tokens.get(k).is_some_and(is_year_token);
    let month = |k: usize| tokens.get(k).is_some_and(is_month);
    let mut k = 0;
    while k < tokens.len() {
        let mut start = k;
        let mut end = k;
        if day(k) && month(k + 1) {
            // "12 February [2025]"
            end = k + 2;
            if year(end) {
                end += 1;
            }
            // "24 and 28 February" / "24–28 February": pull in the first day.
        } else if day(k)
            && tokens
                .get(k + 1)
                .is_some_and(|t| t.is("and") || matches!(t.text, "–" | "-" | "—"))
            && day(k + 2)
            && month(k + 3)
        {
            end = k + 4;
            if year(end) {
                end += 1;
            }
        } else if month(k) && day(k + 1) {
            // "Feb. 17[, 2025]" — but not "May 5 people"; months are capitalised already.
            end = k + 2;
            if tokens.get(end).is_some_and(|t| t.text == ",") && year(end + 1) {
                end += 2;
            } else if year(end) {
                end += 1;
            }
        } else if month(k) && year(k + 1) {
            // "February 2022"
            end = k + 2;
        } else if year(k) && year_in_context(tokens, k) {
            end = k + 1;
        }
        if end > k {
            // "Tuesday 4 March": the weekday belongs to the date.
            if k > 0 && tokens.get(k - 1).is_some_and(is_weekday) {
                start = k - 1;
            }
            out.push(start..end);
            k = end;
        } else {
            k += 1;
        }
    }
    out
}

fn is_year_token(t: &Token<'_>) -> bool {
    t.is_word()
        && t.text.len() == 4
        && t.text
            .parse::<u32>()
            .is_ok_and(|y| (1800..=2100).contains(&y))
}

/// A bare four-digit number is a year when a preposition precedes it ("in
/// 2014", "since 2022", "pre-2014" is one token with its prefix split off) or
/// nothing countable follows it.
fn year_in_context(tokens: &[Token<'_>], k: usize) -> bool {
    // "pre-2014": the prefix sits before a hyphen token.
    let mut p = k;
    if p >= 2
        && tokens
            .get(p - 1)
            .is_some_and(|t| matches!(t.text, "-" | "‑"))
    {
        p -= 1;
    }
    let prev = p
        .checked_sub(1)
        .and_then(|p| tokens.get(p))
        .map(|t| t.lower());
    if let Some(p) = prev.as_deref() {
        if matches!(
            p,
            "in" | "since"
                | "of"
                | "from"
                | "until"
                | "till"
                | "by"
                | "before"
                | "after"
                | "during"
                | "early"
                | "late"
                | "mid"
                | "pre"
                | "post"
                | "summer"
                | "spring"
                | "autumn"
                | "winter"
                | "end"
                | "start"
                | "year"
        ) {
            return true;
        }
        // "in 2023 and 2024": a year joined to a year.
        if matches!(p, "and" | "or" | "to")
            && k >= 2
            && tokens.get(k - 2).is_some_and(is_year_token)
        {
            return true;
        }
    }
    // Followed by punctuation or the end: "… in 2023 and 2024 respectively." covered above.
    match tokens.get(k + 1) {
        None => true,
        Some(n) => !n.is_word() && n.text != "%",
    }
}

/// Names of `a` that share no word with any name of `b`, compared without case
/// or full stops: "Mr Trump" next to "Donald Trump", "U.S." next to "US" are no
/// new names. One rule for the diff's `name` tag and the summary's ranking.
pub(crate) fn new_names(a: &[String], b: &[String]) -> Vec<String> {
    let key = |w: &str| w.replace('.', "").to_lowercase();
    let known: std::collections::HashSet<String> = b
        .iter()
        .flat_map(|n| n.split_whitespace())
        .map(key)
        .collect();
    let mut out: Vec<String> = Vec::new();
    for name in a {
        if !name.split_whitespace().any(|w| known.contains(&key(w))) && !out.contains(name) {
            out.push(name.clone());
        }
    }
    out
}

/// What is in `a` and not in `b` (multiset difference), in `a`'s order. Linear:
/// a pathological sentence can hold a hundred thousand figures.
pub(crate) fn minus(a: &[String], b: &[String]) -> Vec<String> {
    let mut left: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
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

#[cfg(test)]
mod tests {
    use super::*;

    const TRUCE: &str = "Following the summit Mr Macron said France and the UK had proposed a one-month truce “in the air, at sea and on energy infrastructure”—however the UK government later said “no agreement” on this had been reached.";

    fn who(sentence: &str) -> Vec<(String, String, bool)> {
        attributions(sentence)
            .into_iter()
            .map(|a| (a.speaker, a.verb, a.denial))
            .collect()
    }

    fn a(speaker: &str, verb: &str, denial: bool) -> (String, String, bool) {
        (speaker.to_string(), verb.to_string(), denial)
    }

    #[test]
    fn truce_claim_and_denial() {
        assert_eq!(
            who(TRUCE),
            vec![
                a("Mr Macron", "said", false),
                a("the UK government", "said", true)
            ]
        );
    }

    #[test]
    fn lavrov_quote() {
        let s = "While the talks were not formal peace negotiations, Mr Lavrov said the two sides had “agreed that a ‘process for Ukrainian settlement’ will be initiated shortly”.";
        assert_eq!(who(s), vec![a("Mr Lavrov", "said", false)]);
    }

    #[test]
    fn russia_parenthetical_and_negated_content() {
        let s = "Russia, meanwhile, has said it would not accept proposals for European forces in Ukraine, noting that it would mean troops from a NATO member state being present in the country.";
        assert_eq!(who(s), vec![a("Russia", "said", true)]);
    }

    #[test]
    fn title_phrases_as_speakers() {
        let s = "It’s also been reported that the agreement will not include any explicit security guarantees or aid commitments from the US, although Ukrainian Prime Minister Denis Schmyhal told Ukrainian media that a clause in the agreement says the US is “supporting Ukraine's efforts to obtain security guarantees needed to build lasting peace”.";
        let got = who(s);
        assert_eq!(
            got.first().map(|x| x.0.as_str()),
            Some("Ukrainian Prime Minister Denis Schmyhal")
        );
        assert_eq!(got.first().map(|x| x.1.as_str()), Some("told"));
        assert_eq!(got.len(), 1, "{got:?}");

        let s = "On 3 March, the United States announced a “pause” on the shipment of all previously-committed military aid to Ukraine, with a White House official saying: “The president has been clear that he is focused on peace.";
        assert_eq!(
            who(s),
            vec![
                a("the United States", "announced", false),
                a("a White House official", "saying", false)
            ]
        );

        let s = "In a speech made at NATO’s headquarters on 12 February—the same day Mr Trump and Mr Putin spoke by phone—the US defence secretary Pete Hegseth said that “returning to Ukraine’s pre-2014 borders is an unrealistic objective”, indicating that the US would be unlikely to support Ukraine’s demand for the full return of Russian-occupied territory.";
        assert_eq!(
            who(s),
            vec![a("the US defence secretary Pete Hegseth", "said", false)]
        );

        let s = "A spokesperson for the European Commission said the plan would cost about £26.3 million over 5 years.";
        assert_eq!(
            who(s),
            vec![a(
                "A spokesperson for the European Commission",
                "said",
                false
            )]
        );

        let s = "President Trump says he wants to “make a deal” to “STOP this ridiculous war” in Ukraine.";
        assert_eq!(who(s), vec![a("President Trump", "says", false)]);
    }

    #[test]
    fn according_to() {
        let s = "According to the Financial Times, the deal will “establish a fund into which Ukraine would contribute 50 per cent of proceeds from the ‘future monetisation’ of state-owned mineral resources, including oil and gas, and associated logistics.";
        assert_eq!(
            who(s),
            vec![a("the Financial Times", "According to", false)]
        );
    }

    #[test]
    fn passive_ruled_out_is_a_denial() {
        let s = "This suggestion appeared to be ruled out by Russia, which has described the idea of a territory swap as part of a peace deal as “impossible”.";
        assert_eq!(who(s), vec![a("Russia", "ruled out", true)]);
        let s = "The US has ruled out deploying its own forces on the ground in Ukraine as part of a peace deal, and has called on European nations to increase defence spending.";
        assert_eq!(who(s), vec![a("The US", "ruled out", true)]);
        assert!(who("It’s been suggested that this could involve the presence of international “peacekeeping forces” in the country.").is_empty());
    }

    #[test]
    fn coordinated_relative_and_pronoun_speakers() {
        let s = "Mr Trump has said that Europe should be responsible for providing security guarantees, and has also suggested that he will not discuss guarantees until a peace deal has been agreed.";
        assert_eq!(
            who(s),
            vec![
                a("Mr Trump", "said", false),
                a("Mr Trump", "suggested", true)
            ]
        );
        let s = "These comments echo the view of Mr Zelenskyy, who had told the Guardian on 10 February that “security guarantees without America are not real security guarantees”.";
        assert_eq!(who(s), vec![a("Mr Zelenskyy", "told", false)]);
        let s = "However, he later clarified his comments, saying “everything is on the table”.";
        assert_eq!(who(s), vec![a("he", "clarified", true)]);
    }

    #[test]
    fn nested_negation_is_not_a_denial() {
        let s = "In a statement following the summit, Mr Starmer said the leaders had reaffirmed that there must be “no talks on Ukraine without Ukraine” and “agreed that the UK, France and others will work with Ukraine on a plan to stop the fighting which we will discuss further with the US and take forward together”.";
        assert_eq!(who(s).first(), Some(&a("Mr Starmer", "said", false)));
        let s = "Mr Zelenskyy has said that Ukraine will not accept any agreements made without its involvement, and has also called for European representatives to be involved in talks.";
        assert_eq!(who(s), vec![a("Mr Zelenskyy", "said", true)]);
    }

    #[test]
    fn no_speaker_no_attribution() {
        assert!(who(
            "These annexations have been widely condemned as being in breach of international law."
        )
        .is_empty());
        assert!(who("One of the points around which negotiations may revolve is the issue of Ukraine’s borders.").is_empty());
        // A noun "claim" is not a claim by anyone.
        assert!(who("We wrote about this claim at the time on our politics live blog.").is_empty());
        // A negated verb reports nothing.
        assert!(
            who("He did not confirm how many troops he would be willing to commit.").is_empty()
        );
    }

    #[test]
    fn contrast_with_narrative_is_not_a_rebuttal() {
        let s = "Mr Zelenskyy was asked to leave the White House after the argument between the pair, though he has since said that he remains ready to sign the agreement “any time”.";
        assert_eq!(who(s), vec![a("Mr Zelenskyy", "said", false)]);
        // Synthetic: any personal title from `titles` names the antecedent, with or
        // without its full stop.
        for (s, speaker) in [
            (
                "Pope Leo was asked to leave, though he has since said that he stays.",
                "Pope Leo",
            ),
            (
                "Sen Warren was asked to leave, though she has since said that she stays.",
                "Sen Warren",
            ),
            (
                "Cllr. Ahmed was asked to leave, though he has since said that he stays.",
                "Cllr. Ahmed",
            ),
        ] {
            assert_eq!(who(s), vec![a(speaker, "said", false)], "{s}");
        }
    }

    #[test]
    fn quotations_need_two_words() {
        assert!(has_quotation(TRUCE));
        assert!(has_quotation("He said \"we are ready now\"."));
        assert!(!has_quotation("Russia described the idea as “impossible”."));
        assert!(!has_quotation("No quotes here."));
        assert_eq!(
            quotations(TRUCE),
            vec![
                "in the air, at sea and on energy infrastructure",
                "no agreement"
            ]
        );
    }

    #[test]
    fn negation_count() {
        assert_eq!(negations(TRUCE), 1);
        assert_eq!(
            negations("Neither Ukraine nor representatives were invited, and it didn’t help."),
            3
        );
        assert_eq!(negations("We’ve asked No 10 and No. 10 again."), 0);
        assert_eq!(negations("It would not accept; never."), 2);
    }

    #[test]
    fn numbers_found_verbatim() {
        let s = "It’s been reported that the plan could involve up to 30,000 European troops, 50 per cent of proceeds and 5.2 per cent growth.";
        assert_eq!(numbers(s), vec!["30,000", "50 per cent", "5.2 per cent"]);
        // Dates are not figures.
        assert_eq!(
            numbers("On 12 February, 32 members met in 2014."),
            vec!["32"]
        );
        assert_eq!(
            numbers("some 1,000 or more casualties a day"),
            vec!["1,000"]
        );
    }

    #[test]
    fn dates_found_verbatim() {
        assert_eq!(
            dates("Bilateral talks were held on 18 February."),
            vec!["18 February"]
        );
        assert_eq!(dates("Feb. 17, 2025, 5:15 a.m. ET"), vec!["Feb. 17, 2025"]);
        assert_eq!(
            dates("last updated at 4pm on Tuesday 4 March"),
            vec!["Tuesday 4 March"]
        );
        assert_eq!(
            dates("Between 24 and 28 February Mr Trump held meetings"),
            vec!["24 and 28 February"]
        );
        assert_eq!(
            dates("annexed by Russia in 2022, as well as the Crimean peninsula, annexed in 2014."),
            vec!["2022", "2014"]
        );
        assert_eq!(
            dates("returning to Ukraine’s pre-2014 borders"),
            vec!["2014"]
        );
        assert!(dates("up to 30,000 troops and 2000 troops").is_empty());
    }

    #[test]
    fn names_skip_sentence_start() {
        assert_eq!(
            names("Following that conversation, it was agreed that US and Russian officials, including US Secretary of State Marco Rubio and Russian foreign minister Sergey Lavrov, would meet in Riyadh, Saudi Arabia."),
            vec!["US", "Russian", "US Secretary of State Marco Rubio", "Russian", "Sergey Lavrov", "Riyadh", "Saudi Arabia"]
        );
        assert_eq!(
            names("Mr Macron said France agreed."),
            vec!["Mr Macron", "France"]
        );
        assert_eq!(names("Russia has said no."), Vec::<String>::new());
        assert_eq!(names("It was held on 12 February in Paris."), vec!["Paris"]);
    }

    #[test]
    fn speakers_are_people_or_organisations() {
        // Cut from ../shared/corpus/shared-storage-explainer (README.md, 2023).
        assert!(attributions("Origins write to their own shared storage.").is_empty());
        assert!(attributions("Only origins write to the storage they own.").is_empty());
        assert!(attributions("APIs proposed in this explainer are gated.").is_empty());
        assert_eq!(
            who("NATO said it was ready."),
            vec![a("NATO", "said", false)]
        );
        assert_eq!(
            who("Russia said it would not agree."),
            vec![a("Russia", "said", true)]
        );
    }

    #[test]
    fn one_analysis_for_tags_and_ranking() {
        // Synthetic, modelled on the legal text in ../shared/corpus/basecamp-privacy.
        let f = facts("We may not sell data about COVID-19 or H1N1 cases, and you must tell us in May 2024; No 10 agreed.");
        assert_eq!(f.dates, vec!["May 2024"]);
        // "No 10" is a place with a number; the identifiers hold none.
        assert_eq!(f.numbers, vec!["10"]);
        assert_eq!(f.obligations, vec!["may not", "must"]);
        assert_eq!(f.negations, vec!["not"]);
        assert!(facts("We may share it.").dates.is_empty());
        assert_eq!(numbers("capped at US $5,000"), vec!["$5,000"]);
        assert_eq!(
            facts("He called it “impossible”.").quotes,
            vec!["impossible"]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Any text, however odd (quotes, dashes, digits, stray commas), is
        /// analysed without panicking, and speakers are verbatim slices.
        #[test]
        fn any_text_is_analysed_without_panicking(
            s in "[A-Za-z0-9 ,.;:“”\"‘’'—–()?!-]{0,120}|\\PC{0,80}"
        ) {
            for a in attributions(&s) {
                proptest::prop_assert!(s.contains(&a.speaker));
                proptest::prop_assert!(s.contains(&a.verb));
            }
            let _ = (negations(&s), numbers(&s), dates(&s), names(&s), quotations(&s));
        }
    }
}

#[cfg(test)]
mod credit_line_tests {
    use super::*;

    #[test]
    fn a_link_title_in_quotes_is_no_quotation() {
        // Cut from opensource-guide-legal (corpus): a credit line under a pull quote.
        let credit = "— Heather Meeker, [\"Open Source Software: Compliance Basics And Best Practices\"](https://techcrunch.com/2012/12/14/open-source-software-compliance-basics-and-best-practices/)";
        assert!(quotations(credit).is_empty());
        assert!(attributions(credit).is_empty());
        assert_eq!(credit_line(credit).as_deref(), Some("Heather Meeker"));
        assert_eq!(
            credit_line("— @benbalter, a title").as_deref(),
            Some("@benbalter")
        );
        // Synthetic: a linked quotation outside a credit line is a title too,
        // while speech in quotes stays speech.
        assert!(quotations("Read [\"how we review code\"](https://example.org) first.").is_empty());
        assert_eq!(
            quotations("The minister said “no agreement had been reached” on Friday."),
            vec!["no agreement had been reached"]
        );
        assert!(credit_line("The minister said so, later.").is_none());
        assert!(credit_line("— and then, nothing").is_none());
    }
}
