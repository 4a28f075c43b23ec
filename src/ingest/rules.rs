//! Publisher rules (`redline.toml`): which lines of a plain-text capture are page
//! furniture, which are the publisher's updated time, and the thresholds that
//! turn bare lines into headings and figures.

use std::path::Path;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Weekday,
};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::typography::normalise_caseless;

/// The shipped rules file, embedded so the binary works without any config.
const SHIPPED: &str = include_str!("../../redline.toml");

/// Publisher rules (boilerplate to strip, metadata lines to lift), loaded from `redline.toml`.
/// Every key is optional; a missing one takes [`Rules::default`]'s value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// A one-sentence question line of at most this many words is a heading.
    pub question_heading_max_words: usize,
    /// A line without final punctuation of at most this many words is a heading.
    pub plain_heading_max_words: usize,
    /// Lines that mark an image; the short label lines after one form a figure.
    pub figure_markers: Vec<String>,
    /// Longest figure label line, in words.
    pub figure_label_max_words: usize,
    /// Longest figure label line, in characters.
    pub figure_label_max_chars: usize,
    /// Words that may precede an updated date ("Updated", "Last updated").
    pub updated_prefixes: Vec<String>,
    /// How many leading content lines are searched for the updated date.
    pub updated_search_lines: usize,
    /// chrono date formats tried on a date line.
    pub date_formats: Vec<String>,
    /// Time zone abbreviations that may follow a time.
    pub zone: Vec<Zone>,
    /// Publishers and their page furniture.
    pub publisher: Vec<Publisher>,
    /// `[content]`: which files of a content repository are explainers. Read by
    /// `crate::report` (checked there, unknown keys refused); ingest ignores it.
    #[serde(skip_serializing)]
    pub content: OtherTable,
    /// `[policy]`: editorial policy of `redline check`, read by `crate::report`.
    #[serde(skip_serializing)]
    pub policy: OtherTable,
}

/// A table of `redline.toml` that another module reads and checks; ingest
/// accepts it without looking inside.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OtherTable;

impl<'de> Deserialize<'de> for OtherTable {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| OtherTable)
    }
}

/// A named time zone with its standard offset and daylight-saving rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zone {
    /// Abbreviations or names as they appear after a time ("ET").
    pub names: Vec<String>,
    /// Standard-time offset from UTC in minutes (ET: -300).
    pub utc_offset_minutes: i32,
    /// Daylight-saving rule.
    #[serde(default)]
    pub dst: DstRule,
}

/// When a zone is one hour ahead of its standard offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DstRule {
    /// Never (a fixed offset such as EST or GMT).
    #[default]
    None,
    /// United States since 2007: second Sunday of March 02:00 local to first Sunday of November 02:00 local.
    Us,
    /// European Union and UK: last Sunday of March to last Sunday of October, both at 01:00 UTC.
    Eu,
}

/// A publisher and the lines of its pages that are not content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    /// Display name, used as the document's publisher when a boilerplate line matched.
    pub name: String,
    /// Line prefixes to drop (compared with quotes, dashes, spacing and case folded).
    #[serde(default)]
    pub boilerplate: Vec<String>,
}

impl Default for Rules {
    /// Thresholds only, no publishers or zones: the shipped file supplies those.
    fn default() -> Rules {
        Rules {
            question_heading_max_words: 14,
            plain_heading_max_words: 10,
            figure_markers: vec!["Image".into()],
            figure_label_max_words: 6,
            figure_label_max_chars: 48,
            updated_prefixes: vec!["Updated".into()],
            updated_search_lines: 12,
            date_formats: vec!["%d %B %Y".into(), "%B %d %Y".into(), "%Y-%m-%d".into()],
            zone: Vec::new(),
            publisher: Vec::new(),
            content: OtherTable,
            policy: OtherTable,
        }
    }
}

impl Rules {
    /// The shipped defaults (embedded `redline.toml`).
    // The generated literal ends in `..Rules::default()` in case the file leaves a key out.
    #[allow(clippy::needless_update)]
    pub fn shipped() -> Rules {
        // Compiled from redline.toml by build.rs, so no process parses TOML to
        // start; a unit test checks it equals the file parsed here.
        include!(concat!(env!("OUT_DIR"), "/shipped_rules.rs"))
    }

    /// Load rules from a file, naming file and line on error.
    pub fn load(path: &Path) -> Result<Rules> {
        let text = crate::input_file::read_bounded_text(path, crate::input_file::MAX_RULES_BYTES)?;
        Rules::parse(path, &text)
    }

    /// Parse rules text that came from `path`. A key the text leaves out keeps its
    /// shipped value, so a file that only tunes a threshold still strips the shipped
    /// publishers' furniture (write `publisher = []` to drop them).
    pub fn parse(path: &Path, text: &str) -> Result<Rules> {
        // Validate the text on its own first, so errors point at its lines.
        parse_complete(path, text)?;
        let config_error = |message: String| Error::Config {
            path: path.to_path_buf(),
            message,
        };
        let mut merged: toml::Table = toml::from_str(SHIPPED).unwrap_or_default();
        let own: toml::Table =
            toml::from_str(text).map_err(|e| config_error(e.message().to_string()))?;
        merged.extend(own);
        merged
            .try_into()
            .map_err(|e: toml::de::Error| config_error(e.message().to_string()))
    }

    /// The publisher whose boilerplate `line` is, if any.
    pub fn boilerplate_of(&self, line: &str) -> Option<&Publisher> {
        self.furniture().publisher_of(line)
    }

    /// The boilerplate prefixes normalised once, for checking many lines.
    pub fn furniture(&self) -> Furniture<'_> {
        let prefixes = self
            .publisher
            .iter()
            .flat_map(|p| {
                p.boilerplate
                    .iter()
                    .map(move |b| (normalise_caseless(b.trim_end_matches(['…', '.'])), p))
            })
            .filter(|(b, _): &(String, &Publisher)| !b.is_empty())
            .collect::<Vec<_>>();
        let longest = prefixes
            .iter()
            .map(|(b, _)| b.chars().count())
            .max()
            .unwrap_or(0);
        Furniture {
            prefixes,
            window: longest * 2 + 16,
        }
    }

    /// Is `line` an image marker?
    pub fn is_figure_marker(&self, line: &str) -> bool {
        // Markers are single words: a long line is never one (and is not normalised).
        if line.len() > 64 {
            return false;
        }
        let line = normalise_caseless(line);
        self.figure_markers
            .iter()
            .any(|m| normalise_caseless(m) == line)
    }

    /// If `line` is only a date or datetime (optionally after an updated prefix), that time.
    /// A bare date is midnight UTC; a time without a known zone is UTC.
    pub fn updated_time(&self, line: &str) -> Option<DateTime<FixedOffset>> {
        let line = line.trim();
        let mut candidates = vec![line];
        for prefix in &self.updated_prefixes {
            if let Some(rest) = strip_prefix_ignore_case(line, prefix) {
                let rest = rest.trim_start_matches([':', ' ', '-', '–', '—']);
                if rest.len() < line.len() {
                    candidates.push(rest);
                }
            }
        }
        candidates.into_iter().find_map(|c| self.parse_datetime(c))
    }

    /// Parse "4 March 2025", "Feb. 17, 2025, 5:15 a.m. ET", "2025-03-04 16:00 GMT" and the like.
    fn parse_datetime(&self, text: &str) -> Option<DateTime<FixedOffset>> {
        // Every date needs a number (year, day) and chrono reads ASCII digits only:
        // a line without one is no date, whatever the formats.
        if !text.bytes().any(|b| b.is_ascii_digit()) {
            return None;
        }
        let (text, zone) = self.strip_zone(text.trim().trim_end_matches('.'));
        let (date_part, time) = split_time(text)?;
        let date = self.parse_date(date_part)?;
        let local = date.and_time(time.unwrap_or(NaiveTime::MIN));
        let offset_minutes = match zone {
            Some(z) => z.offset_minutes_at(local),
            None => 0,
        };
        let offset = FixedOffset::east_opt(offset_minutes * 60)?;
        offset.from_local_datetime(&local).earliest()
    }

    /// Remove a trailing zone name (longest first), returning the zone.
    fn strip_zone<'a>(&self, text: &'a str) -> (&'a str, Option<&Zone>) {
        let mut best: Option<(&'a str, &Zone, usize)> = None;
        for zone in &self.zone {
            for name in &zone.names {
                let Some(cut) = text.len().checked_sub(name.len()) else {
                    continue;
                };
                let (Some(head), Some(tail)) = (text.get(..cut), text.get(cut..)) else {
                    continue;
                };
                let boundary = head.chars().last().is_some_and(|c| !c.is_alphanumeric());
                if tail.eq_ignore_ascii_case(name)
                    && boundary
                    && best.is_none_or(|b| name.len() > b.2)
                {
                    best = Some((
                        head.trim_end().trim_end_matches(',').trim_end(),
                        zone,
                        name.len(),
                    ));
                }
            }
        }
        match best {
            Some((head, zone, _)) => (head, Some(zone)),
            None => (text, None),
        }
    }

    /// Parse the date part with the configured formats after tidying publisher spelling.
    fn parse_date(&self, text: &str) -> Option<NaiveDate> {
        let tidy = tidy_date(text);
        if tidy.is_empty() {
            return None;
        }
        self.date_formats
            .iter()
            .find_map(|f| NaiveDate::parse_from_str(&tidy, f).ok())
    }
}

/// Publishers' boilerplate, normalised once (see [`Rules::furniture`]).
#[derive(Debug, Clone)]
pub struct Furniture<'a> {
    prefixes: Vec<(String, &'a Publisher)>,
    /// How many characters of a line can matter: the longest prefix with room for
    /// collapsed whitespace and expanded ellipses. Long paragraphs are not normalised whole.
    window: usize,
}

impl<'a> Furniture<'a> {
    /// The publisher whose boilerplate `line` is: with typography and case folded,
    /// the line starts with one of its texts, ending at a word boundary.
    pub fn publisher_of(&self, line: &str) -> Option<&'a Publisher> {
        // Most lines are content: unless the first character's normalised form could
        // begin some prefix, no prefix can match, so the line is not normalised at all.
        let first = line.trim_start().chars().next()?;
        let head = normalise_caseless(first.encode_utf8(&mut [0; 4]));
        if !self
            .prefixes
            .iter()
            .any(|(b, _)| b.starts_with(&head) || head.starts_with(b.as_str()))
        {
            return None;
        }
        let end = line
            .char_indices()
            .nth(self.window)
            .map_or(line.len(), |(i, _)| i);
        let line = normalise_caseless(line.get(..end).unwrap_or(line));
        if line.is_empty() {
            return None;
        }
        self.prefixes
            .iter()
            .find(|(b, _)| starts_with_word(&line, b))
            .map(|(_, p)| *p)
    }
}

/// Parse rules text as complete in itself (missing keys take [`Rules::default`]).
fn parse_complete(path: &Path, text: &str) -> Result<Rules> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| {
            1 + text
                .get(..s.start)
                .unwrap_or(text)
                .bytes()
                .filter(|b| *b == b'\n')
                .count()
        });
        Error::Config {
            path: path.to_path_buf(),
            message: format!("line {line}: {}", e.message().trim()),
        }
    })
}

impl Zone {
    /// The zone's offset from UTC (minutes) at a local time, daylight saving included.
    fn offset_minutes_at(&self, local: NaiveDateTime) -> i32 {
        let standard = self.utc_offset_minutes;
        let daylight = match self.dst {
            DstRule::None => false,
            DstRule::Us => {
                let year = local.year();
                let at_two = |d: Option<NaiveDate>| d.and_then(|d| d.and_hms_opt(2, 0, 0));
                match (
                    at_two(nth_weekday(year, 3, 2)),
                    at_two(nth_weekday(year, 11, 1)),
                ) {
                    // The repeated hour on the last day reads as daylight time (its first occurrence).
                    (Some(start), Some(end)) => local >= start && local < end,
                    _ => false,
                }
            }
            DstRule::Eu => {
                let year = local.year();
                let at_one = |d: Option<NaiveDate>| d.and_then(|d| d.and_hms_opt(1, 0, 0));
                let utc = local - Duration::minutes(i64::from(standard));
                match (at_one(last_sunday(year, 3)), at_one(last_sunday(year, 10))) {
                    (Some(start), Some(end)) => utc >= start && utc < end,
                    _ => false,
                }
            }
        };
        if daylight {
            standard + 60
        } else {
            standard
        }
    }
}

/// The `n`th (1-based) Sunday of a month.
fn nth_weekday(year: i32, month: u32, n: u8) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Sun, n)
}

/// The last Sunday of a month.
fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    nth_weekday(year, month, 5).or_else(|| nth_weekday(year, month, 4))
}

/// Split "Feb. 17, 2025, 5:15 a.m." into the date part and the time, if a time is there.
/// Returns `None` when something that looks like a time does not parse.
fn split_time(text: &str) -> Option<(&str, Option<NaiveTime>)> {
    let lower = text.to_ascii_lowercase();
    // The time starts at the last token that begins with a digit and contains ':' or
    // ends in am/pm ("5:15", "4pm", "16:00").
    let words: Vec<(usize, &str)> = word_offsets(&lower);
    let start = words.iter().rposition(|(_, w)| {
        w.starts_with(|c: char| c.is_ascii_digit()) && (w.contains(':') || is_meridiem_suffixed(w))
    });
    let Some(i) = start else {
        return Some((text, None));
    };
    let (at, _) = *words.get(i)?;
    let time_text: String = lower
        .get(at..)?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let time = parse_clock(&time_text)?;
    let date = text.get(..at)?.trim_end().trim_end_matches(',').trim_end();
    let date = date
        .strip_suffix(" at")
        .unwrap_or(date)
        .trim_end_matches(',')
        .trim_end();
    Some((date, Some(time)))
}

/// Words of `text` with their byte offsets.
fn word_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, text.get(s..i).unwrap_or_default()));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.get(s..).unwrap_or_default()));
    }
    out
}

/// "4pm", "11am", "4p.m."
fn is_meridiem_suffixed(word: &str) -> bool {
    let w = word.trim_end_matches(['.', ',']).replace('.', "");
    w.ends_with("am") || w.ends_with("pm")
}

/// Parse "5:15am", "5:15a.m.", "16:00", "4pm" (whitespace already removed, lower case).
fn parse_clock(text: &str) -> Option<NaiveTime> {
    let t = text.trim_end_matches(',').replace('.', "");
    let (clock, meridiem) = if let Some(c) = t.strip_suffix("am") {
        (c, Some(false))
    } else if let Some(c) = t.strip_suffix("pm") {
        (c, Some(true))
    } else {
        (t.as_str(), None)
    };
    let mut parts = clock.split(':');
    let hour: u32 = parts.next()?.parse().ok()?;
    let minute: u32 = parts.next().map_or(Some(0), |m| m.parse().ok())?;
    let second: u32 = parts.next().map_or(Some(0), |s| s.parse().ok())?;
    if parts.next().is_some() {
        return None;
    }
    let hour = match meridiem {
        Some(pm) if (1..=12).contains(&hour) => hour % 12 + if pm { 12 } else { 0 },
        Some(_) => return None,
        None => hour,
    };
    NaiveTime::from_hms_opt(hour, minute, second)
}

/// Make a publisher's date chrono-readable: drop weekday names, commas, periods after
/// month abbreviations and ordinal suffixes; "Sept" becomes "Sep".
fn tidy_date(text: &str) -> String {
    text.split_whitespace()
        .map(|w| w.trim_end_matches([',', '.']))
        .filter(|w| !w.is_empty() && !crate::calendar::is_weekday(w))
        .map(|w| {
            let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            let suffix = w.get(digits.len()..).unwrap_or_default();
            if !digits.is_empty()
                && digits.chars().all(|c| c.is_ascii_digit())
                && ["st", "nd", "rd", "th"]
                    .iter()
                    .any(|s| suffix.eq_ignore_ascii_case(s))
            {
                digits.to_string()
            } else if w.eq_ignore_ascii_case("sept") {
                "Sep".to_string()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Case-insensitive prefix strip that respects word boundaries ("Updated" does not strip "Updatedness").
fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    let rest = text.get(prefix.len()..)?;
    (head.eq_ignore_ascii_case(prefix) && !rest.starts_with(|c: char| c.is_alphanumeric()))
        .then_some(rest)
}

/// Does `line` start with `prefix`, ending at a word boundary?
/// A prefix that ends in punctuation ("Share -", folded to "share-") ends at one itself.
fn starts_with_word(line: &str, prefix: &str) -> bool {
    let ends_in_word = prefix.ends_with(|c: char| c.is_alphanumeric());
    line.strip_prefix(prefix)
        .is_some_and(|rest| !ends_in_word || !rest.starts_with(|c: char| c.is_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_rules_parse() {
        let rules = parse_complete(Path::new("redline.toml"), SHIPPED).unwrap();
        // build.rs's compiled rules are the file's.
        assert_eq!(Rules::shipped(), rules);
        assert!(rules
            .publisher
            .iter()
            .any(|p| p.name == "Full Fact" && p.boilerplate.len() == 4));
        assert!(rules
            .zone
            .iter()
            .any(|z| z.names.contains(&"ET".to_string()) && z.dst == DstRule::Us));
    }

    #[test]
    fn bad_rules_name_file_and_line() {
        let err = Rules::parse(
            Path::new("my.toml"),
            "figure_markers = [\"Image\"]\nheading_max = 3\n",
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "my.toml: line 2: unknown field `heading_max`, expected one of `question_heading_max_words`, `plain_heading_max_words`, `figure_markers`, `figure_label_max_words`, `figure_label_max_chars`, `updated_prefixes`, `updated_search_lines`, `date_formats`, `zone`, `publisher`, `content`, `policy`");
        let err = Rules::parse(
            Path::new("my.toml"),
            "\n\n[[zone]]\nnames = [\"X\"]\nutc_offset_minutes = 0\ndst = \"mars\"\n",
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("my.toml: line 6: "), "{err}");
        let err = Rules::load(Path::new("/nonexistent/redline.toml")).unwrap_err();
        assert!(
            err.to_string().starts_with("/nonexistent/redline.toml: "),
            "{err}"
        );
    }

    #[test]
    fn partial_rules_keep_shipped_values() {
        let rules = Rules::parse(Path::new("r.toml"), "plain_heading_max_words = 4\n").unwrap();
        assert_eq!(rules.plain_heading_max_words, 4);
        assert_eq!(rules.question_heading_max_words, 14);
        assert_eq!(rules.publisher, Rules::shipped().publisher);
        let rules = Rules::parse(
            Path::new("r.toml"),
            "publisher = []\n[[zone]]\nnames = [\"IST\"]\nutc_offset_minutes = 330\n",
        )
        .unwrap();
        assert!(rules.publisher.is_empty());
        assert_eq!(rules.zone.len(), 1);
        assert_eq!(
            t(&rules, "4 March 2025 10:00 IST").as_deref(),
            Some("2025-03-04T10:00:00+05:30")
        );
    }

    #[test]
    fn load_reads_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("redline.toml");
        std::fs::write(&path, "figure_markers = [\"Map\"]\n").unwrap();
        let rules = Rules::load(&path).unwrap();
        assert_eq!(rules.figure_markers, ["Map"]);
        assert!(rules.is_figure_marker("map"));
        assert!(!rules.is_figure_marker("Image"));
    }

    #[test]
    fn boilerplate_matches_prefix_after_normalising() {
        let rules = Rules::shipped();
        let ff = |l: &str| rules.boilerplate_of(l).map(|p| p.name.clone());
        assert_eq!(
            ff("Honesty in public debate matters").as_deref(),
            Some("Full Fact")
        );
        assert_eq!(
            ff("  You can help us take action - and get our regular free email ").as_deref(),
            Some("Full Fact")
        );
        assert_eq!(
            ff("You can help us take action — and get our regular free email").as_deref(),
            Some("Full Fact")
        );
        assert_eq!(
            ff("Bad information ruins lives. It promotes hate, damages people’s health, and hurts democracy. You deserve better.").as_deref(),
            Some("Full Fact")
        );
        assert_eq!(
            ff("You have a preview view of this article while we are checking your access. When we have confirmed access, the full article content will load.").as_deref(),
            Some("The New York Times")
        );
        assert_eq!(ff("Honesty in public debate mattersome"), None);
        assert_eq!(ff("Full Fact said the claim was wrong."), None);
        assert_eq!(ff(""), None);
    }

    #[test]
    fn boilerplate_ending_in_punctuation_ends_at_it() {
        // Synthetic publisher: a prefix ending in a dash folds to "share-" (no space
        // around dashes), and the line's next word follows it directly.
        let rules = Rules::parse(
            Path::new("redline.toml"),
            "[[publisher]]\nname = \"P\"\nboilerplate = [\"Share this story –\", \"Advertisement\"]\n",
        )
        .unwrap();
        let of = |l: &str| rules.boilerplate_of(l).map(|p| p.name.clone());
        assert_eq!(of("Share this story — Facebook").as_deref(), Some("P"));
        assert_eq!(of("SHARE THIS STORY - Facebook").as_deref(), Some("P"));
        assert_eq!(of("Advertisement").as_deref(), Some("P"));
        assert_eq!(of("Advertisements were banned."), None);
        assert_eq!(of("Share this story about dashes"), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
        /// The first-character filter in `publisher_of` only skips lines no prefix matches.
        #[test]
        fn furniture_filter_is_exact(line in "(Honesty in public debate matters|You can help us take action|Full Fact|Bad information|You have a|\\s|[hyfbHYFB]|…|“|‘|—|İ|\u{a0}|[a-zA-Z .’–-]){0,10}") {
            let rules = Rules::shipped();
            let furniture = rules.furniture();
            // The same match without the filter.
            let end = line
                .char_indices()
                .nth(furniture.window)
                .map_or(line.len(), |(i, _)| i);
            let norm = normalise_caseless(&line[..end]);
            let slow = if norm.is_empty() {
                None
            } else {
                furniture
                    .prefixes
                    .iter()
                    .find(|(b, _)| starts_with_word(&norm, b))
                    .map(|(_, p)| &p.name)
            };
            proptest::prop_assert_eq!(furniture.publisher_of(&line).map(|p| &p.name), slow);
        }
    }

    fn t(rules: &Rules, line: &str) -> Option<String> {
        rules.updated_time(line).map(|t| t.to_rfc3339())
    }

    #[test]
    fn updated_lines_and_datelines() {
        let r = Rules::shipped();
        assert_eq!(
            t(&r, "Updated 4 March 2025").as_deref(),
            Some("2025-03-04T00:00:00+00:00")
        );
        assert_eq!(
            t(&r, "Feb. 17, 2025, 5:15 a.m. ET").as_deref(),
            Some("2025-02-17T05:15:00-05:00")
        );
        assert_eq!(
            t(&r, "Last updated: Tuesday 4th March 2025 at 4pm GMT").as_deref(),
            Some("2025-03-04T16:00:00+00:00")
        );
        assert_eq!(
            t(&r, "Updated Sept. 9, 2025, 12:05 p.m. ET").as_deref(),
            Some("2025-09-09T12:05:00-04:00")
        );
        assert_eq!(
            t(&r, "March 4, 2025").as_deref(),
            Some("2025-03-04T00:00:00+00:00")
        );
        assert_eq!(
            t(&r, "2025-03-04 16:00 BST").as_deref(),
            Some("2025-03-04T16:00:00+01:00")
        );
        assert_eq!(
            t(&r, "Updated 4 March 2025, 16:00 UK time").as_deref(),
            Some("2025-03-04T16:00:00+00:00")
        );
        assert_eq!(
            t(&r, "Updated 4 July 2025, 16:00 UK time").as_deref(),
            Some("2025-07-04T16:00:00+01:00")
        );
        assert_eq!(t(&r, "Updated 4 March 2025 and more"), None);
        assert_eq!(t(&r, "Updated"), None);
        assert_eq!(
            t(&r, "What talks have taken place and who is involved?"),
            None
        );
        assert_eq!(
            t(&r, "In 2022, Ukraine formally applied to join NATO."),
            None
        );
        assert_eq!(t(&r, "Feb. 17, 2025, 25:15 a.m. ET"), None);
    }

    #[test]
    fn us_eastern_daylight_saving_boundaries() {
        let r = Rules::shipped();
        // 2025: DST from Sunday 9 March 02:00 to Sunday 2 November 02:00.
        assert_eq!(
            t(&r, "March 9, 2025, 1:59 a.m. ET").as_deref(),
            Some("2025-03-09T01:59:00-05:00")
        );
        assert_eq!(
            t(&r, "March 9, 2025, 3:00 a.m. ET").as_deref(),
            Some("2025-03-09T03:00:00-04:00")
        );
        assert_eq!(
            t(&r, "Nov. 2, 2025, 1:30 a.m. ET").as_deref(),
            Some("2025-11-02T01:30:00-04:00")
        );
        assert_eq!(
            t(&r, "Nov. 2, 2025, 2:30 a.m. ET").as_deref(),
            Some("2025-11-02T02:30:00-05:00")
        );
        assert_eq!(
            t(&r, "Dec. 25, 2024, 9:00 p.m. ET").as_deref(),
            Some("2024-12-25T21:00:00-05:00")
        );
        assert_eq!(
            t(&r, "Feb. 17, 2025, 5:15 a.m. EDT").as_deref(),
            Some("2025-02-17T05:15:00-04:00")
        );
    }

    #[test]
    fn eu_daylight_saving_boundaries() {
        let r = Rules::shipped();
        // 2025: BST from 30 March 01:00 UTC to 26 October 01:00 UTC.
        assert_eq!(
            t(&r, "30 March 2025 00:59 UK time").as_deref(),
            Some("2025-03-30T00:59:00+00:00")
        );
        assert_eq!(
            t(&r, "30 March 2025 02:00 UK time").as_deref(),
            Some("2025-03-30T02:00:00+01:00")
        );
        assert_eq!(
            t(&r, "26 October 2025 02:00 UK time").as_deref(),
            Some("2025-10-26T02:00:00+00:00")
        );
    }
}
