//! Calendar words: month and weekday names, as ingest (datelines), the diff
//! (date tags), claims (dates are not speakers; "Feb." keeps its full stop) and
//! the sentence splitter ("Feb. 17" is no sentence end) all need to recognise them.

/// Month names, lower case.
const MONTH_NAMES: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Month abbreviations ("Feb", "Sept"), lower case: a full stop after one need not
/// end a sentence ("Feb. 17, 2025").
const MONTH_ABBREVIATIONS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Case-insensitive membership without allocating (called for every word).
fn one_of(list: &[&str], word: &str) -> bool {
    word.len() <= 9 && list.iter().any(|m| m.eq_ignore_ascii_case(word))
}

/// A month name or abbreviation, with or without a final period ("Feb.").
pub(crate) fn is_month(word: &str) -> bool {
    let word = word.strip_suffix('.').unwrap_or(word);
    one_of(MONTH_NAMES, word) || one_of(MONTH_ABBREVIATIONS, word)
}

/// A month abbreviation ("Feb", "sept"; not "May", which is the full name), any
/// case, without its full stop.
pub(crate) fn is_month_abbreviation(word: &str) -> bool {
    one_of(MONTH_ABBREVIATIONS, word)
}

/// A weekday name ("Tuesday"), any case.
pub(crate) fn is_weekday(word: &str) -> bool {
    one_of(WEEKDAYS, word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_weekdays_in_any_case_with_abbreviations() {
        for w in ["March", "march", "MAY", "Feb.", "sept", "Sept."] {
            assert!(is_month(w), "{w}");
        }
        for w in ["Marches", "Ma", "Feb..", "", "Tuesday"] {
            assert!(!is_month(w), "{w}");
        }
        for w in ["Feb", "sept", "DEC"] {
            assert!(is_month_abbreviation(w), "{w}");
        }
        for w in ["May", "March", "Feb.", "febr"] {
            assert!(!is_month_abbreviation(w), "{w}");
        }
        for w in ["Tuesday", "sunday", "MONDAY"] {
            assert!(is_weekday(w), "{w}");
        }
        for w in ["Tues", "Mondays", "March"] {
            assert!(!is_weekday(w), "{w}");
        }
    }
}
