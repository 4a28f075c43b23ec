//! Personal titles ("Mr", "Dr.", "President"): the one list, as the sentence
//! splitter ("Dr. Smith" is no sentence end) and claims (a titled name is a
//! speaker; "Mr." keeps its full stop) both need to recognise them.

/// Titles written short, with or without a full stop ("Mr", "Gen."), lower case.
const SHORT_TITLES: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "capt", "sgt",
    "rev", "hon", "supt", "insp", "cllr", "adm", "maj", "cpl", "pres", "messrs",
];

/// Titles written in full before a name ("Sir Keir", "President Trump"), lower case.
const FULL_TITLES: &[&str] = &[
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "chancellor",
    "minister",
    "secretary",
    "senator",
    "general",
    "king",
    "queen",
    "pope",
];

/// Case-insensitive membership without allocating (called for every word).
fn one_of(list: &[&str], word: &str) -> bool {
    word.len() <= 10 && list.iter().any(|t| t.eq_ignore_ascii_case(word))
}

/// A short title without its full stop ("Mr", "dr", "GEN"): a full stop after one
/// abbreviates it, it does not end a sentence.
pub(crate) fn is_short_title(word: &str) -> bool {
    one_of(SHORT_TITLES, word)
}

/// A title before a person's name, any case: a short one with or without its full
/// stop ("Mr", "Mr.", "Gen."), or a full one ("Sir", "President"; not "Sir.").
pub(crate) fn is_personal_title(word: &str) -> bool {
    match word.strip_suffix('.') {
        Some(short) => is_short_title(short),
        None => is_short_title(word) || one_of(FULL_TITLES, word),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_full_titles_in_any_case() {
        for w in [
            "Mr",
            "mr.",
            "MRS",
            "Dr.",
            "Gen",
            "gen.",
            "Sir",
            "President",
            "pope",
        ] {
            assert!(is_personal_title(w), "{w}");
        }
        for w in ["Sir.", "President.", "Mister", "Mr..", "", "Smith", "st"] {
            assert!(!is_personal_title(w), "{w}");
        }
        for w in ["Mr", "dr", "Capt"] {
            assert!(is_short_title(w), "{w}");
        }
        for w in ["Mr.", "Sir", "President"] {
            assert!(!is_short_title(w), "{w}");
        }
    }
}
