//! Calendar words: month and weekday names, as ingest (datelines), the diff
//! (date tags) and claims (dates are not speakers) all need to recognise them.

/// Month names and their abbreviations ("Feb", "Sept"), lower case.
const MONTHS: &[&str] = &[
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
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
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
    one_of(MONTHS, word.strip_suffix('.').unwrap_or(word))
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
        for w in ["Tuesday", "sunday", "MONDAY"] {
            assert!(is_weekday(w), "{w}");
        }
        for w in ["Tues", "Mondays", "March"] {
            assert!(!is_weekday(w), "{w}");
        }
    }
}
