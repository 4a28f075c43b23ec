//! Front matter shared by stored files and input files: splitting it from the
//! body, deserialising it with errors that name the line *in the file*, and
//! converting TOML datetimes to and from chrono.
//!
//! Three forms are read: TOML between `+++` lines (Zola/Hugo, and redline's own
//! stored form), YAML between `---` lines (Jekyll, Hugo, most content
//! repositories; a closing `...` line is accepted too) and, in either, keys
//! redline does not know, which are kept as text in [`DocumentMeta::extra`]
//! rather than refused. Only the `[change]` table of an import file refuses
//! unknown keys, so a typo there (`edtor`) cannot pass silently.
//!
//! Keys mapped to document facts: `title`; `publisher`; `source_url`; the
//! updated time from the first present of `updated`, `last_modified`,
//! `lastmod`, `date` (the most specific "last changed" wins over a publication
//! `date`; the others stay in `extra`).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use toml::value::{Datetime, Offset};
use toml::Spanned;

use crate::error::{Error, Result};
use crate::model::DocumentMeta;

use super::ChangeMeta;

/// The keys that give the updated time, most specific first: the first present wins.
pub(crate) const UPDATED_KEYS: [&str; 4] = ["updated", "last_modified", "lastmod", "date"];

/// Which language the front matter is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FrontFormat {
    /// Between `+++` lines.
    Toml,
    /// Between `---` lines.
    Yaml,
}

/// The front matter text of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Front<'a> {
    /// The text between the fences.
    pub text: &'a str,
    /// The 1-based file line the text starts on.
    pub first_line: usize,
    /// TOML or YAML.
    pub format: FrontFormat,
}

/// A text split into its front matter (if any) and the body after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    /// The front matter, if the text has one.
    pub front: Option<Front<'a>>,
    /// Everything after the closing fence line, verbatim.
    pub body: &'a str,
}

/// Is `line` (without its `\n`) the fence `fence`? Trailing whitespace and `\r` are
/// tolerated so a file that went through a CRLF checkout (or `--- `) still splits.
fn is_fence(line: &str, fence: &str) -> bool {
    line.trim_end() == fence
}

/// Split `text` at its front matter. A text that does not start with a `+++` or
/// `---` line has none. An unclosed `+++` is refused; an unclosed `---` is a
/// Markdown thematic break, not front matter, so the text is all body.
pub(crate) fn split<'a>(name: &Path, text: &'a str) -> Result<Split<'a>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (first, rest) = match text.split_once('\n') {
        Some((first, rest)) => (first, rest),
        None => (text, ""),
    };
    let format = if is_fence(first, "+++") {
        FrontFormat::Toml
    } else if is_fence(first, "---") {
        FrontFormat::Yaml
    } else {
        return Ok(Split {
            front: None,
            body: text,
        });
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        let closes = match format {
            FrontFormat::Toml => is_fence(content, "+++"),
            FrontFormat::Yaml => is_fence(content, "---") || is_fence(content, "..."),
        };
        if closes {
            let front = rest.get(..offset).unwrap_or_default();
            let body = rest.get(offset + line.len()..).unwrap_or_default();
            if format == FrontFormat::Yaml && !yaml_could_be_front_matter(front) {
                break;
            }
            return Ok(Split {
                front: Some(Front {
                    text: front,
                    first_line: 2,
                    format,
                }),
                body,
            });
        }
        offset += line.len();
    }
    match format {
        FrontFormat::Toml => Err(Error::input(
            name,
            "front matter opened with +++ on line 1 is never closed: add a line +++ after it",
        )),
        FrontFormat::Yaml => Ok(Split {
            front: None,
            body: text,
        }),
    }
}

/// Whether the text between two `---` lines is front matter: a mapping, nothing,
/// or malformed YAML (refused later with its line). Plain text ("---", a line of
/// prose, "---": a rule and a setext heading) is Markdown, not front matter.
fn yaml_could_be_front_matter(text: &str) -> bool {
    use serde_norway::Value;
    !matches!(
        serde_norway::from_str::<Value>(text),
        Ok(Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Sequence(_))
    )
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

/// Deserialise TOML front matter, mapping toml's byte span to a line of the file.
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

/// Front matter of a stored explainer file: the document facts and nothing else
/// (the stored form is redline's own, so an unknown key there is a damaged file).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredFront {
    title: String,
    updated: Option<Spanned<Datetime>>,
    publisher: Option<String>,
    source_url: Option<String>,
    #[serde(default)]
    extra: BTreeMap<String, String>,
}

/// Front matter of an input file: optional facts, the `[change]` table of an
/// update, and any other keys (kept as metadata).
#[derive(Debug, Deserialize)]
pub(crate) struct InputFront {
    pub title: Option<toml::Value>,
    pub publisher: Option<String>,
    pub source_url: Option<String>,
    pub change: Option<ChangeMeta>,
    #[serde(flatten)]
    pub rest: toml::Table,
}

/// Input front matter with the updated time already converted to chrono.
#[derive(Debug, Default)]
pub(crate) struct InputFacts {
    pub title: Option<String>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub publisher: Option<String>,
    pub source_url: Option<String>,
    pub change: Option<ChangeMeta>,
    /// Keys redline does not map, as text.
    pub extra: BTreeMap<String, String>,
    /// The key (and its value as text) that gave `updated`, so the value can go
    /// back to `extra` if another front matter's time wins.
    pub updated_from: Option<(String, String)>,
}

impl InputFacts {
    /// Fill what `self` lacks from `other` (a second front matter): `self` wins.
    /// A time `other` took from one of its keys and `self` overrides stays in `extra`.
    pub(crate) fn or(mut self, other: InputFacts) -> InputFacts {
        self.title = self.title.or(other.title);
        self.publisher = self.publisher.or(other.publisher);
        self.source_url = self.source_url.or(other.source_url);
        self.change = self.change.or(other.change);
        if self.updated.is_none() {
            self.updated = other.updated;
            self.updated_from = other.updated_from;
        } else if let Some((key, value)) = other.updated_from {
            self.extra.entry(key).or_insert(value);
        }
        for (key, value) in other.extra {
            self.extra.entry(key).or_insert(value);
        }
        self
    }
}

/// A second front matter right after the first (an import wrapper's `+++` around a
/// file that has its own `---`): its facts and the body after it. Read only when it
/// is well-formed, so a body that merely opens with a rule stays body. `offset` is
/// the byte offset of `body` in the file, for line numbers.
pub(crate) fn nested<'a>(
    name: &Path,
    body: &'a str,
    offset_lines: usize,
) -> Result<Option<(InputFacts, &'a str)>> {
    let trimmed = body.trim_start_matches('\n');
    let skipped = body.len() - trimmed.len();
    let Ok(split) = split(name, trimmed) else {
        return Ok(None);
    };
    let Some(front) = split.front else {
        return Ok(None);
    };
    let well_formed = match front.format {
        FrontFormat::Yaml => matches!(
            serde_norway::from_str::<serde_norway::Value>(front.text),
            Ok(serde_norway::Value::Mapping(_))
        ),
        FrontFormat::Toml => toml::from_str::<toml::Table>(front.text).is_ok(),
    };
    if !well_formed {
        return Ok(None);
    }
    let front = Front {
        first_line: offset_lines + skipped + front.first_line,
        ..front
    };
    Ok(Some((parse_front(name, &front)?, split.body)))
}

/// Parse input front matter in either form.
pub(crate) fn parse_front(name: &Path, front: &Front<'_>) -> Result<InputFacts> {
    match front.format {
        FrontFormat::Toml => parse_input(name, front.text, front.first_line),
        FrontFormat::Yaml => parse_yaml(name, front.text, front.first_line),
    }
}

/// The 1-based file line of top-level key `key` (a line starting with it), for
/// errors about a value when the parser gives no position.
fn key_line(text: &str, first_line: usize, key: &str) -> usize {
    key_index(text, key).map_or(first_line, |i| first_line + i)
}

/// The 0-based index of the first line of `text` that sets top-level key `key`
/// (`key =` in TOML, `key:` in YAML).
pub(crate) fn key_index(text: &str, key: &str) -> Option<usize> {
    text.lines().position(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with([':', '=']))
    })
}

/// Parse TOML input front matter (unknown top-level keys kept; the `[change]`
/// table's unknown keys refused, naming key and line).
pub(crate) fn parse_input(name: &Path, toml_text: &str, first_line: usize) -> Result<InputFacts> {
    let front: InputFront = parse(name, toml_text, first_line)?;
    let mut rest: BTreeMap<String, toml::Value> = front.rest.into_iter().collect();
    let mut updated = None;
    let mut updated_from = None;
    for key in UPDATED_KEYS {
        let Some(value) = rest.get(key) else { continue };
        let line = key_line(toml_text, first_line, key);
        let parsed = match value {
            toml::Value::Datetime(t) => from_toml(t).map_err(|m| m.replace("updated", key)),
            toml::Value::String(s) => parse_date_text(s).ok_or_else(|| {
                format!("{key} = {s:?} is not a date: write e.g. 2025-03-04T16:00:00Z")
            }),
            other => Err(format!(
                "{key} = {other} is not a date: write e.g. 2025-03-04T16:00:00Z"
            )),
        };
        match parsed {
            Ok(t) => {
                updated_from = rest
                    .remove(key)
                    .map(|v| (key.to_string(), toml_text_value(&v)));
                updated = Some(t);
                break;
            }
            // Only redline's own key must be a date; a site's own `date` may be anything.
            Err(message) if key == "updated" => return Err(error_at(name, line, message)),
            Err(_) => {}
        }
    }
    Ok(InputFacts {
        title: front.title.map(|t| toml_text_value(&t)),
        updated,
        publisher: front.publisher,
        source_url: front.source_url,
        change: front.change,
        extra: rest
            .into_iter()
            .map(|(k, v)| (k, toml_text_value(&v)))
            .collect(),
        updated_from,
    })
}

/// A TOML value as metadata text: strings as they are, scalars as written, arrays
/// and tables as JSON.
fn toml_text_value(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(_)
        | toml::Value::Float(_)
        | toml::Value::Boolean(_)
        | toml::Value::Datetime(_) => value.to_string(),
        toml::Value::Array(_) | toml::Value::Table(_) => {
            serde_json::to_string(&toml_json(value)).unwrap_or_default()
        }
    }
}

fn toml_json(value: &toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(s) => serde_json::Value::String(s.clone()),
        toml::Value::Array(a) => serde_json::Value::Array(a.iter().map(toml_json).collect()),
        toml::Value::Table(t) => {
            serde_json::Value::Object(t.iter().map(|(k, v)| (k.clone(), toml_json(v))).collect())
        }
        other => serde_json::Value::String(other.to_string()),
    }
}

/// A date written as text: RFC 3339, `2025-03-04`, `2025-03-04 16:00[:00]`, or
/// Jekyll's `2018-05-14 12:00:00 -0500`.
fn parse_date_text(raw: &str) -> Option<DateTime<FixedOffset>> {
    let s = raw.trim();
    if let Ok(t) = crate::model::parse_when(s) {
        return Some(t);
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, fmt) {
            return Some(t);
        }
    }
    None
}

/// Parse YAML input front matter: a mapping of keys (or nothing). Errors name the
/// file line; a malformed YAML is one line saying where.
pub(crate) fn parse_yaml(name: &Path, yaml_text: &str, first_line: usize) -> Result<InputFacts> {
    use serde_norway::Value;
    let value: Value = serde_norway::from_str(yaml_text).map_err(|e| {
        let line = e
            .location()
            .map_or(first_line, |l| first_line + l.line().saturating_sub(1));
        let message = e.to_string();
        // serde_norway appends " at line L column C": the line is said once, in the file's terms.
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        error_at(name, line, format!("not valid YAML: {message}"))
    })?;
    let mapping = match value {
        Value::Mapping(m) => m,
        Value::Null => return Ok(InputFacts::default()),
        _ => {
            return Err(error_at(
                name,
                first_line,
                "YAML front matter must be `key: value` lines",
            ))
        }
    };
    let mut facts = InputFacts::default();
    let mut rest: BTreeMap<String, Value> = BTreeMap::new();
    for (key, value) in mapping {
        let key = yaml_text_value(&key);
        match key.as_str() {
            "title" => facts.title = Some(yaml_text_value(&value)),
            "publisher" => facts.publisher = Some(yaml_text_value(&value)),
            "source_url" => facts.source_url = Some(yaml_text_value(&value)),
            "change" => {
                let change: ChangeMeta = serde_norway::from_value(value)
                    .map_err(|e| error_at(name, key_line(yaml_text, first_line, "change"), e))?;
                facts.change = Some(change);
            }
            _ => {
                rest.insert(key, value);
            }
        }
    }
    for key in UPDATED_KEYS {
        let Some(value) = rest.get(key) else { continue };
        let text = yaml_text_value(value);
        match parse_date_text(&text) {
            Some(t) => {
                rest.remove(key);
                facts.updated = Some(t);
                facts.updated_from = Some((key.to_string(), text));
                break;
            }
            None if key == "updated" => {
                return Err(error_at(
                    name,
                    key_line(yaml_text, first_line, key),
                    format!("updated: {text:?} is not a date: write e.g. 2025-03-04T16:00:00Z"),
                ))
            }
            None => {}
        }
    }
    facts.extra = rest
        .into_iter()
        .map(|(k, v)| (k, yaml_text_value(&v)))
        .collect();
    Ok(facts)
}

/// A YAML value as metadata text: scalars as written, sequences and mappings as JSON.
fn yaml_text_value(value: &serde_norway::Value) -> String {
    use serde_norway::Value;
    match value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Tagged(t) => yaml_text_value(&t.value),
        Value::Sequence(_) | Value::Mapping(_) => {
            serde_json::to_string(&yaml_json(value)).unwrap_or_default()
        }
    }
}

fn yaml_json(value: &serde_norway::Value) -> serde_json::Value {
    use serde_norway::Value;
    match value {
        Value::Sequence(items) => serde_json::Value::Array(items.iter().map(yaml_json).collect()),
        Value::Mapping(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, v)| (yaml_text_value(k), yaml_json(v)))
                .collect(),
        ),
        Value::Tagged(t) => yaml_json(&t.value),
        other => serde_json::Value::String(yaml_text_value(other)),
    }
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
        extra: front.extra,
    })
}

/// The TOML text (ending in a newline) of a document's facts; `None` fields are left out,
/// and `extra` keys follow in an `[extra]` table (quoted keys, so any key survives).
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
    if !meta.extra.is_empty() {
        out.push_str("[extra]\n");
        for (key, value) in &meta.extra {
            out.push_str(&format!(
                "{} = {}\n",
                basic_string(key),
                basic_string(value)
            ));
        }
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
            extra: BTreeMap::new(),
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

    fn toml_front(text: &str) -> Option<Front<'_>> {
        Some(Front {
            text,
            first_line: 2,
            format: FrontFormat::Toml,
        })
    }

    #[test]
    fn split_finds_fences_and_keeps_body_verbatim() {
        let s = split(Path::new("a.md"), "+++\ntitle = \"t\"\n+++\nbody\n\nmore").unwrap();
        assert_eq!(s.front, toml_front("title = \"t\"\n"));
        assert_eq!(s.body, "body\n\nmore");
        let s = split(Path::new("a.md"), "no front\n+++\n").unwrap();
        assert_eq!(s.front, None);
        assert_eq!(s.body, "no front\n+++\n");
        let s = split(Path::new("a.md"), "+++\n+++").unwrap();
        assert_eq!(
            s,
            Split {
                front: toml_front(""),
                body: ""
            }
        );
        let err = split(Path::new("a.md"), "+++\ntitle = \"t\"\nbody\n").unwrap_err();
        assert!(err.to_string().contains("never closed"), "{err}");
    }

    #[test]
    fn split_reads_yaml_fences_with_trailing_space() {
        // Shape cut from ../shared/corpus/basecamp-privacy/0042_*.md: `--- ` opens it.
        let s = split(
            Path::new("a.md"),
            "--- \ntitle: Privacy policy\n---\n\nBody.\n",
        )
        .unwrap();
        let front = s.front.unwrap();
        assert_eq!(front.format, FrontFormat::Yaml);
        assert_eq!(front.text, "title: Privacy policy\n");
        assert_eq!(s.body, "\nBody.\n");
        // Synthetic: `...` also closes YAML; an unclosed `---` is a thematic break, all body.
        let s = split(Path::new("a.md"), "---\na: 1\n...\nBody.\n").unwrap();
        assert_eq!(s.body, "Body.\n");
        let s = split(Path::new("a.md"), "---\nJust a rule above.\n").unwrap();
        assert_eq!(s.front, None);
        assert_eq!(s.body, "---\nJust a rule above.\n");
        // Two rules around prose are Markdown, not front matter.
        let s = split(
            Path::new("a.md"),
            "---\n\nProse between rules.\n\n---\nMore.\n",
        )
        .unwrap();
        assert_eq!(s.front, None);
    }

    #[test]
    fn yaml_maps_known_keys_and_keeps_the_rest() {
        // Cut from ../shared/corpus/jekyll-permalinks (front matter), plus synthetic date keys.
        let yaml = "title: Permalinks\npermalink: /docs/permalinks/\ndate: 2018-05-14 12:00:00 -0500\nlastmod: 2019-01-02\ntoc:\n  - a\n  - b\norder: 3\n";
        let f = parse_yaml(Path::new("p.md"), yaml, 2).unwrap();
        assert_eq!(f.title.as_deref(), Some("Permalinks"));
        // `lastmod` wins over `date`, which stays as metadata.
        assert_eq!(f.updated.unwrap().to_rfc3339(), "2019-01-02T00:00:00+00:00");
        assert_eq!(
            f.extra.get("date").map(String::as_str),
            Some("2018-05-14 12:00:00 -0500")
        );
        assert_eq!(
            f.extra.get("permalink").map(String::as_str),
            Some("/docs/permalinks/")
        );
        assert_eq!(
            f.extra.get("toc").map(String::as_str),
            Some("[\"a\",\"b\"]")
        );
        assert_eq!(f.extra.get("order").map(String::as_str), Some("3"));
        assert!(!f.extra.contains_key("lastmod") && !f.extra.contains_key("title"));
        // Jekyll's date format alone gives the updated time, offset kept.
        let f = parse_yaml(Path::new("p.md"), "date: 2018-05-14 12:00:00 -0500\n", 2).unwrap();
        assert_eq!(f.updated.unwrap().to_rfc3339(), "2018-05-14T12:00:00-05:00");
        assert!(f.extra.is_empty());
        // Empty front matter is no facts.
        assert!(parse_yaml(Path::new("p.md"), "", 2)
            .unwrap()
            .title
            .is_none());
    }

    #[test]
    fn malformed_yaml_is_one_line_naming_file_and_line() {
        // Synthetic: an unclosed quote on the third front-matter line (file line 4).
        let err = parse_yaml(
            Path::new("in/p.md"),
            "title: ok\nlayout: x\ndescription: \"open\nmore: 1\n",
            2,
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("in/p.md: front matter line "), "{msg}");
        assert!(!msg.contains('\n'), "{msg}");
        assert!(msg.contains("YAML"), "{msg}");
        let err = parse_yaml(Path::new("p.md"), "- a\n- b\n", 2).unwrap_err();
        assert!(err.to_string().contains("key: value"), "{err}");
        // Malformed YAML between `---` lines is still front matter, so the error is given.
        let s = split(Path::new("p.md"), "---\ntitle: \"open\n---\nBody.\n").unwrap();
        assert!(s.front.is_some());
        let err = parse_yaml(Path::new("p.md"), "title: t\nupdated: soon\n", 2).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("p.md: front matter line 3: updated"),
            "{err}"
        );
    }

    #[test]
    fn toml_hugo_keys_are_kept_not_refused() {
        // Synthetic Hugo-style front matter.
        let f = parse_input(
            Path::new("in.md"),
            "title = \"t\"\ndate = 2025-03-01T10:00:00Z\ndraft = false\ntags = [\"a\", \"b\"]\n",
            2,
        )
        .unwrap();
        assert_eq!(f.updated.unwrap().to_rfc3339(), "2025-03-01T10:00:00+00:00");
        assert_eq!(f.extra.get("draft").map(String::as_str), Some("false"));
        assert_eq!(
            f.extra.get("tags").map(String::as_str),
            Some("[\"a\",\"b\"]")
        );
        // `updated` wins over `date`; `date` stays as metadata.
        let f = parse_input(
            Path::new("in.md"),
            "date = 2025-03-01\nupdated = 2025-03-04T16:00:00Z\n",
            2,
        )
        .unwrap();
        assert_eq!(f.updated.unwrap().to_rfc3339(), "2025-03-04T16:00:00+00:00");
        assert_eq!(f.extra.get("date").map(String::as_str), Some("2025-03-01"));
    }

    #[test]
    fn extra_round_trips_through_the_stored_form() {
        let mut m = meta(Some("2025-03-04T16:00:00Z"));
        m.extra.insert("permalink".into(), "/docs/\"x\"/".into());
        m.extra
            .insert("odd key = [x]\n+++".into(), "multi\nline\n+++".into());
        let text = render_meta(&m);
        assert!(!text.lines().any(|l| l == "+++"), "{text}");
        assert_eq!(parse_meta(Path::new("x.md"), &text, 2).unwrap(), m);
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
        // A top-level key redline does not know is kept, not refused.
        let f = parse_input(Path::new("in.txt"), "titel = \"t\"\n", 2).unwrap();
        assert_eq!(f.extra.get("titel").map(String::as_str), Some("t"));
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
