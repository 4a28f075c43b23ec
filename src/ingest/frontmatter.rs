//! The `+++` TOML front matter shared by stored files and input files: splitting
//! it from the body, deserialising it with errors that name the line *in the
//! file*, and converting TOML datetimes to and from chrono.

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use toml::value::{Datetime, Offset};
use toml::Spanned;

use crate::error::{Error, Result};
use crate::model::DocumentMeta;

use super::ChangeMeta;

/// The delimiter line that opens and closes front matter (Zola/Hugo convention).
const FENCE: &str = "+++";

/// A text split into its front matter (if any) and the body after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    /// The TOML between the fences, with the 1-based file line it starts on.
    pub front: Option<(&'a str, usize)>,
    /// Everything after the closing fence line, verbatim.
    pub body: &'a str,
}

/// Is `line` (without its `\n`) a fence? Trailing whitespace and `\r` are tolerated
/// so a file that went through a CRLF checkout still splits.
fn is_fence(line: &str) -> bool {
    line.trim_end() == FENCE
}

/// Split `text` at its front matter. A text that does not start with a `+++` line has
/// none; one that opens front matter but never closes it is refused.
pub(crate) fn split<'a>(name: &Path, text: &'a str) -> Result<Split<'a>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (first, rest) = match text.split_once('\n') {
        Some((first, rest)) => (first, rest),
        None => (text, ""),
    };
    if !is_fence(first) {
        return Ok(Split {
            front: None,
            body: text,
        });
    }
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        if is_fence(content) {
            let toml = rest.get(..offset).unwrap_or_default();
            let body = rest.get(offset + line.len()..).unwrap_or_default();
            return Ok(Split {
                front: Some((toml, 2)),
                body,
            });
        }
        offset += line.len();
    }
    Err(Error::input(
        name,
        "front matter opened with +++ on line 1 is never closed: add a line +++ after it",
    ))
}

/// 1-based line in the file of byte `at` of a front matter that starts on `first_line`.
fn line_of(toml: &str, first_line: usize, at: usize) -> usize {
    let before = toml.get(..at.min(toml.len())).unwrap_or(toml);
    first_line + before.bytes().filter(|b| *b == b'\n').count()
}

/// An input error pointing at a line of the front matter.
fn error_at(name: &Path, line: usize, message: impl std::fmt::Display) -> Error {
    Error::input(name, format!("front matter line {line}: {message}"))
}

/// Deserialise front matter, mapping toml's byte span to a line of the file.
pub(crate) fn parse<T: DeserializeOwned>(
    name: &Path,
    toml_text: &str,
    first_line: usize,
) -> Result<T> {
    toml::from_str(toml_text).map_err(|e| {
        let line = e.span().map_or(first_line, |span| {
            line_of(toml_text, first_line, span.start)
        });
        error_at(name, line, e.message().trim())
    })
}

/// Front matter of a stored explainer file: the document facts and nothing else.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredFront {
    title: String,
    updated: Option<Spanned<Datetime>>,
    publisher: Option<String>,
    source_url: Option<String>,
}

/// Front matter of an input file: optional facts plus the `[change]` table of an update.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InputFront {
    pub title: Option<String>,
    pub updated: Option<Spanned<Datetime>>,
    pub publisher: Option<String>,
    pub source_url: Option<String>,
    pub change: Option<ChangeMeta>,
}

/// Input front matter with `updated` already converted to chrono.
#[derive(Debug, Default)]
pub(crate) struct InputFacts {
    pub title: Option<String>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub publisher: Option<String>,
    pub source_url: Option<String>,
    pub change: Option<ChangeMeta>,
}

/// Parse input front matter (unknown keys refused, naming key and line).
pub(crate) fn parse_input(name: &Path, toml_text: &str, first_line: usize) -> Result<InputFacts> {
    let front: InputFront = parse(name, toml_text, first_line)?;
    let updated = front
        .updated
        .map(|t| convert_updated(name, toml_text, first_line, &t))
        .transpose()?;
    Ok(InputFacts {
        title: front.title,
        updated,
        publisher: front.publisher,
        source_url: front.source_url,
        change: front.change,
    })
}

/// Turn a spanned TOML `updated` value into chrono, naming the line if it is only a time.
fn convert_updated(
    name: &Path,
    toml_text: &str,
    first_line: usize,
    value: &Spanned<Datetime>,
) -> Result<DateTime<FixedOffset>> {
    from_toml(value.get_ref()).map_err(|message| {
        error_at(
            name,
            line_of(toml_text, first_line, value.span().start),
            message,
        )
    })
}

/// Parse the front matter of a stored file into document facts.
pub(crate) fn parse_meta(name: &Path, toml_text: &str, first_line: usize) -> Result<DocumentMeta> {
    let front: StoredFront = parse(name, toml_text, first_line)?;
    let updated = front
        .updated
        .map(|t| convert_updated(name, toml_text, first_line, &t))
        .transpose()?;
    Ok(DocumentMeta {
        title: front.title,
        updated,
        publisher: front.publisher,
        source_url: front.source_url,
    })
}

/// The TOML text (ending in a newline) of a document's facts; `None` fields are left out.
///
/// Written key by key rather than with `toml::to_string`, because the serializer picks a
/// multi-line string for a value containing a newline, and a line `+++` inside one
/// would end the front matter early. Basic strings keep every value on its own line.
pub(crate) fn render_meta(meta: &DocumentMeta) -> String {
    let mut out = format!("title = {}\n", basic_string(&meta.title));
    if let Some(t) = meta.updated {
        out.push_str(&format!("updated = {}\n", to_toml(t)));
    }
    if let Some(p) = &meta.publisher {
        out.push_str(&format!("publisher = {}\n", basic_string(p)));
    }
    if let Some(u) = &meta.source_url {
        out.push_str(&format!("source_url = {}\n", basic_string(u)));
    }
    out
}

/// A TOML basic string (one line): `"` and `\\` escaped, control characters as escapes.
fn basic_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A chrono datetime as a TOML offset datetime (`Z` for UTC, seconds kept, nanoseconds if any).
pub(crate) fn to_toml(t: DateTime<FixedOffset>) -> Datetime {
    use chrono::{Datelike, Timelike};
    let seconds = t.offset().local_minus_utc();
    let offset = if seconds == 0 {
        Offset::Z
    } else {
        Offset::Custom {
            minutes: i16::try_from(seconds / 60).unwrap_or(0),
        }
    };
    Datetime {
        date: Some(toml::value::Date {
            year: u16::try_from(t.year()).unwrap_or(0),
            month: t.month() as u8,
            day: t.day() as u8,
        }),
        time: Some(toml::value::Time {
            hour: t.hour() as u8,
            minute: t.minute() as u8,
            second: t.second() as u8,
            nanosecond: t.nanosecond(),
        }),
        offset: Some(offset),
    }
}

/// A TOML datetime as chrono: an offset datetime as is, a local datetime as UTC,
/// a bare date as midnight UTC. A bare time has no day and is refused.
pub(crate) fn from_toml(value: &Datetime) -> std::result::Result<DateTime<FixedOffset>, String> {
    let Some(d) = value.date else {
        return Err(format!(
            "updated = {value} has no date: write e.g. 2025-03-04T16:00:00Z"
        ));
    };
    let date = NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        .ok_or_else(|| format!("updated = {value} is not a calendar date"))?;
    let time = match value.time {
        Some(t) => NaiveTime::from_hms_nano_opt(
            u32::from(t.hour),
            u32::from(t.minute),
            u32::from(t.second),
            t.nanosecond,
        )
        .ok_or_else(|| format!("updated = {value} is not a valid time"))?,
        None => NaiveTime::MIN,
    };
    let local = date.and_time(time);
    let offset_seconds = match value.offset {
        None | Some(Offset::Z) => 0,
        Some(Offset::Custom { minutes }) => i32::from(minutes) * 60,
    };
    let offset = FixedOffset::east_opt(offset_seconds)
        .ok_or_else(|| format!("updated = {value} has an out-of-range offset"))?;
    if offset_seconds == 0 {
        return Ok(Utc.from_utc_datetime(&local).fixed_offset());
    }
    offset
        .from_local_datetime(&local)
        .single()
        .ok_or_else(|| format!("updated = {value} is not a valid local time"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(updated: Option<&str>) -> DocumentMeta {
        DocumentMeta {
            title:
                "Ukraine peace talks explained: what’s happening and what could be on the table?"
                    .into(),
            updated: updated.map(|u| DateTime::parse_from_rfc3339(u).unwrap()),
            publisher: Some("Full Fact".into()),
            source_url: None,
        }
    }

    #[test]
    fn meta_round_trips_through_toml() {
        for u in [
            None,
            Some("2025-03-04T16:00:00Z"),
            Some("2025-02-17T05:15:00-05:00"),
            Some("2025-02-17T05:15:00.25+05:30"),
        ] {
            let m = meta(u);
            let text = render_meta(&m);
            assert!(!text.contains("source_url"), "{text}");
            assert_eq!(
                parse_meta(Path::new("x.md"), &text, 2).unwrap(),
                m,
                "{text}"
            );
        }
    }

    #[test]
    fn values_with_newlines_and_fences_stay_on_one_line() {
        let m = DocumentMeta {
            title: "a\n+++\nb \"q\" \\ \u{7f}\u{1}\t’".into(),
            publisher: Some("x\r\n+++".into()),
            ..DocumentMeta::default()
        };
        let text = render_meta(&m);
        assert_eq!(text.lines().count(), 2, "{text}");
        assert_eq!(parse_meta(Path::new("x.md"), &text, 2).unwrap(), m);
    }

    #[test]
    fn utc_is_written_as_z_and_offsets_kept() {
        let text = render_meta(&meta(Some("2025-03-04T16:00:00Z")));
        assert!(text.contains("updated = 2025-03-04T16:00:00Z"), "{text}");
        let text = render_meta(&meta(Some("2025-02-17T05:15:00-05:00")));
        assert!(
            text.contains("updated = 2025-02-17T05:15:00-05:00"),
            "{text}"
        );
    }

    #[test]
    fn bare_date_is_midnight_utc_and_bare_time_refused() {
        let m = parse_meta(
            Path::new("x.md"),
            "title = \"t\"\nupdated = 2025-03-04\n",
            2,
        )
        .unwrap();
        assert_eq!(m.updated.unwrap().to_rfc3339(), "2025-03-04T00:00:00+00:00");
        let err = parse_meta(
            Path::new("x.md"),
            "title = \"t\"\n\nupdated = 16:00:00\n",
            2,
        )
        .unwrap_err();
        assert!(
            err.to_string().starts_with("x.md: front matter line 4: "),
            "{err}"
        );
    }

    #[test]
    fn split_finds_fences_and_keeps_body_verbatim() {
        let s = split(Path::new("a.md"), "+++\ntitle = \"t\"\n+++\nbody\n\nmore").unwrap();
        assert_eq!(s.front, Some(("title = \"t\"\n", 2)));
        assert_eq!(s.body, "body\n\nmore");
        let s = split(Path::new("a.md"), "no front\n+++\n").unwrap();
        assert_eq!(s.front, None);
        assert_eq!(s.body, "no front\n+++\n");
        let s = split(Path::new("a.md"), "+++\n+++").unwrap();
        assert_eq!(
            s,
            Split {
                front: Some(("", 2)),
                body: ""
            }
        );
        let err = split(Path::new("a.md"), "+++\ntitle = \"t\"\nbody\n").unwrap_err();
        assert!(err.to_string().contains("never closed"), "{err}");
    }

    #[test]
    fn syntax_error_names_file_line() {
        let toml = "title = \"t\"\npublisher = \"p\"\nupdated = = 3\n";
        let err = parse_meta(Path::new("explainers/x.md"), toml, 2).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("explainers/x.md: front matter line 4: "),
            "{msg}"
        );
        assert!(matches!(err, Error::Input { .. }));
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let err = parse_input(
            Path::new("in.txt"),
            "title = \"t\"\n[change]\nedtor = \"A\"\n",
            2,
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("line 4") && msg.contains("edtor"), "{msg}");
        let err = parse_input(Path::new("in.txt"), "titel = \"t\"\n", 2).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("line 2") && msg.contains("titel"), "{msg}");
    }

    #[test]
    fn input_front_matter_carries_the_change_table() {
        let f = parse_input(
            Path::new("in.txt"),
            "title = \"t\"\nupdated = 2025-03-04T16:00:00Z\n[change]\neditor = \"Demo Editor\"\nkind = \"minor\"\nnote = \"n\"\n",
            2,
        )
        .unwrap();
        let change = f.change.unwrap();
        assert_eq!(change.editor.as_deref(), Some("Demo Editor"));
        assert_eq!(change.kind, crate::model::UpdateKind::Minor);
        assert_eq!(f.updated.unwrap().to_rfc3339(), "2025-03-04T16:00:00+00:00");
    }
}
