//! Report outputs, every one through an askama template in `templates/report/`:
//! GitHub-flavoured Markdown for a pull-request comment (sticky marker, size cap),
//! terminal text, GitHub workflow commands (annotations), JSON, and the check's
//! violations.

use askama::Template;

use super::config::Severity;
use super::git::short;
use super::policy::Violation;
use super::{FileReport, FileStatus, Report};
use crate::diff::ChangeKind;
use crate::error::{Error, Result};
use crate::render::{
    highlight_views, DiffHeader, DiffSide, DiffView, HighlightView, SectionGroup, SectionNote,
    SummaryView,
};

/// The hidden first line of a Markdown report: a workflow finds its earlier
/// comment by it and edits that one instead of adding another.
pub const MARKER: &str = "<!-- redline-report -->";

/// Characters a Markdown report may have by default: under GitHub's 65,536 limit
/// for a comment, with room for a workflow's own footer.
pub const COMMENT_LIMIT: usize = 60_000;

/// Room kept for the truncation note when a report is cut.
const NOTE_ROOM: usize = 600;

/// A rendered Markdown report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markdown {
    /// The text, at most the limit asked for.
    pub text: String,
    /// Something was left out to keep under the limit.
    pub truncated: bool,
}

/// Escaping for report templates.
mod filters {
    use std::fmt::Display;

    use askama::{Result, Values};

    // Inline Markdown (mentions and issue references neutralised) and terminal
    // text: the same filters as every other report.
    pub(crate) use crate::render::filters::{md, plain};

    /// A workflow command's message: `%`, CR and LF encoded as the runner expects.
    #[askama::filter_fn]
    pub fn ghdata(text: impl Display, _: &dyn Values) -> Result<String> {
        Ok(super::workflow_data(&text.to_string()))
    }

    /// A workflow command's property value: as data, plus `:` and `,`.
    #[askama::filter_fn]
    pub fn ghprop(text: impl Display, _: &dyn Values) -> Result<String> {
        Ok(super::workflow_property(&text.to_string()))
    }
}

pub(crate) fn workflow_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub(crate) fn workflow_property(text: &str) -> String {
    workflow_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
pub(crate) mod filters_for_tests {
    pub(crate) use super::{workflow_data, workflow_property};
}

/// One file's row of the table.
struct Row<'a> {
    path: &'a str,
    old_path: Option<&'a str>,
    status: &'static str,
    substantive: String,
    cosmetic: String,
}

impl<'a> Row<'a> {
    fn new(file: &'a FileReport) -> Row<'a> {
        let count = |n: Option<usize>| n.map_or_else(|| "–".to_string(), |n| n.to_string());
        Row {
            path: &file.path,
            old_path: file.old_path.as_deref(),
            status: file.status.name(),
            substantive: count(file.substantive),
            cosmetic: count(file.cosmetic),
        }
    }
}

/// A highlight and the file line it points at.
struct HighlightRow {
    h: HighlightView,
    line: Option<usize>,
}

/// One file's section, ready for the templates.
struct FileView<'a> {
    file: &'a FileReport,
    status: &'static str,
    /// Sentence-level changes.
    total: usize,
    highlights: Vec<HighlightRow>,
    /// Section changes not already a highlight.
    sections: Vec<SectionNote>,
    diff_sections: Vec<SectionNote>,
    diff_groups: Vec<SectionGroup>,
    /// Include the full diff.
    full: bool,
}

impl<'a> FileView<'a> {
    fn new(file: &'a FileReport) -> FileView<'a> {
        let (highlights, sections, diff) = match &file.summary {
            Some(summary) => {
                let rows = highlight_views(&summary.highlights)
                    .into_iter()
                    .zip(&file.highlights)
                    .map(|(h, r)| HighlightRow { h, line: r.line })
                    .collect();
                let header = DiffHeader {
                    title: file.title.clone(),
                    old: DiffSide::file(file.old_path.clone().unwrap_or_default()),
                    new: DiffSide::file(file.path.clone()),
                };
                (
                    rows,
                    SummaryView::new(summary).sections,
                    Some(DiffView::new(&summary.changes, &header)),
                )
            }
            None => (Vec::new(), Vec::new(), None),
        };
        let (diff_sections, diff_groups) =
            diff.map_or_else(Default::default, |d| (d.sections, d.groups));
        FileView {
            file,
            status: file.status.name(),
            total: file.changes.len(),
            highlights,
            sections,
            diff_sections,
            diff_groups,
            full: true,
        }
    }

    /// Any text change at all (sentences or sections).
    fn changed_text(&self) -> bool {
        self.total > 0 || !self.diff_sections.is_empty()
    }
}

#[derive(Template)]
#[template(path = "report/file.md")]
struct FileMarkdown<'a> {
    v: &'a FileView<'a>,
}

impl FileMarkdown<'_> {
    fn changed(&self) -> bool {
        self.v.changed_text()
    }
}

#[derive(Template)]
#[template(path = "report/report.md")]
struct ReportMarkdown<'a> {
    report: &'a Report,
    base: String,
    head: String,
    rows: &'a [Row<'a>],
    rows_left: usize,
    sections: &'a [String],
    truncated: bool,
    omitted: usize,
    briefed: usize,
    limit: usize,
}

/// The Markdown report, at most `limit` characters (Unicode scalar values, as
/// GitHub counts). Over the limit, a file's full diff is left out first, then its
/// whole section (the table still lists it), and a note says so; pass
/// `usize::MAX` for the full report.
pub fn markdown(report: &Report, limit: usize) -> Result<Markdown> {
    let views: Vec<FileView<'_>> = report.files.iter().map(FileView::new).collect();
    let rows: Vec<Row<'_>> = report.files.iter().map(Row::new).collect();
    let (base, head) = end_labels(report);
    let page = |rows: &[Row<'_>], rows_left, sections: &[String], omitted, briefed| {
        ReportMarkdown {
            report,
            base: base.clone(),
            head: head.clone(),
            rows,
            rows_left,
            sections,
            truncated: omitted + briefed + rows_left > 0,
            omitted,
            briefed,
            limit,
        }
        .render()
        .map_err(Error::render)
    };
    let full_sections = views
        .iter()
        .map(|v| FileMarkdown { v }.render().map_err(Error::render))
        .collect::<Result<Vec<String>>>()?;
    let text = page(&rows, 0, &full_sections, 0, 0)?;
    if length(&text) <= limit {
        return Ok(Markdown {
            text,
            truncated: false,
        });
    }
    // The heading and table first: with thousands of files even they may not fit.
    let mut shown_rows = rows.len();
    let mut frame = page(&rows, 0, &[], 0, 0)?;
    while length(&frame) + NOTE_ROOM > limit && shown_rows > 0 {
        shown_rows /= 2;
        frame = page(&rows[..shown_rows], rows.len() - shown_rows, &[], 0, 0)?;
    }
    let rows_left = rows.len() - shown_rows;
    let shown_rows = &rows[..shown_rows];
    let mut budget = limit.saturating_sub(length(&frame) + NOTE_ROOM);
    let mut sections = Vec::new();
    let (mut omitted, mut briefed) = (0, 0);
    for (view, full) in views.iter().zip(&full_sections) {
        if length(full) + 2 <= budget {
            budget -= length(full) + 2;
            sections.push(full.clone());
            continue;
        }
        let brief = FileView {
            full: false,
            diff_groups: Vec::new(),
            diff_sections: view.diff_sections.clone(),
            highlights: view
                .highlights
                .iter()
                .map(|r| HighlightRow {
                    h: r.h.clone(),
                    line: r.line,
                })
                .collect(),
            sections: view.sections.clone(),
            ..*view
        };
        let brief = FileMarkdown { v: &brief }.render().map_err(Error::render)?;
        if length(&brief) + 2 <= budget {
            budget -= length(&brief) + 2;
            sections.push(brief);
            briefed += 1;
        } else {
            omitted += 1;
        }
    }
    let mut text = page(shown_rows, rows_left, &sections, omitted, briefed)?;
    // The budget counted generously; should the page still be long, drop sections.
    while length(&text) > limit && !sections.is_empty() {
        sections.pop();
        omitted += 1;
        text = page(shown_rows, rows_left, &sections, omitted, briefed)?;
    }
    Ok(Markdown {
        text,
        truncated: true,
    })
}

fn length(text: &str) -> usize {
    text.chars().count()
}

/// "main (abc1234)" style labels of both ends; for git the base is the merge base.
fn end_labels(report: &Report) -> (String, String) {
    let base = match &report.merge_base {
        Some(merge_base) => format!("{} (merge base {})", report.base.name, short(merge_base)),
        None => format!("{} ({})", report.base.name, short(&report.base.commit)),
    };
    let head = format!("{} ({})", report.head.name, short(&report.head.commit));
    (base, head)
}

#[derive(Template)]
#[template(path = "report/report.txt")]
struct ReportText<'a> {
    report: &'a Report,
    base: String,
    head: String,
    rows: Vec<Row<'a>>,
    /// Each changed file's diff as `render::diff_text` printed it: its own `.txt`
    /// template already passed every user string through the terminal escaper,
    /// and its colour codes are redline's, so it is inserted as it is.
    diffs: Vec<(&'a FileReport, askama::filters::Safe<String>)>,
}

/// Terminal text: the table, then each changed file's diff (coloured when `color`).
pub fn text(report: &Report, color: bool) -> Result<String> {
    let (base, head) = end_labels(report);
    let mut diffs = Vec::new();
    for file in &report.files {
        if let Some(summary) = &file.summary {
            let header = DiffHeader {
                title: file.title.clone(),
                old: DiffSide::file(format!(
                    "{}:{}",
                    report.base.name,
                    file.old_path.as_deref().unwrap_or(&file.path)
                )),
                new: DiffSide::file(format!("{}:{}", report.head.name, file.path)),
            };
            let diff = crate::render::diff_text(&summary.changes, &header, color)?;
            diffs.push((file, askama::filters::Safe(diff)));
        }
    }
    ReportText {
        report,
        base,
        head,
        rows: report.files.iter().map(Row::new).collect(),
        diffs,
    }
    .render()
    .map_err(Error::render)
}

/// One GitHub annotation.
struct Annotation {
    level: &'static str,
    file: String,
    line: Option<usize>,
    title: String,
    message: String,
}

#[derive(Template)]
#[template(path = "report/annotations.txt")]
struct Annotations<'a> {
    annotations: &'a [Annotation],
}

/// GitHub workflow commands: a `::notice` on the head file's line of every
/// substantive change, a `::warning` where an attributed claim was removed, and
/// one per added, deleted or renamed explainer.
pub fn github(report: &Report) -> Result<String> {
    let mut annotations = Vec::new();
    for file in &report.files {
        let whole = |level, title: String, message: String| Annotation {
            level,
            file: file.path.clone(),
            line: None,
            title,
            message,
        };
        match file.status {
            FileStatus::Added => annotations.push(Annotation {
                line: Some(1),
                ..whole("notice", "New explainer".into(), file.title.clone())
            }),
            FileStatus::Deleted => annotations.push(whole(
                "warning",
                "Explainer removed".into(),
                file.title.clone(),
            )),
            FileStatus::Renamed => annotations.push(Annotation {
                line: Some(1),
                ..whole(
                    "notice",
                    "Explainer renamed".into(),
                    format!("from {}", file.old_path.as_deref().unwrap_or_default()),
                )
            }),
            FileStatus::Changed => {}
        }
        for change in file.changes.iter().filter(|c| c.is_substantive()) {
            let claim_removed = change.kind == ChangeKind::Removed
                && change.tags.contains(&crate::diff::Tag::Attribution);
            let text = change
                .new_text
                .as_deref()
                .or(change.old_text.as_deref())
                .unwrap_or_default();
            let kind = change.kind.name();
            annotations.push(Annotation {
                level: if claim_removed { "warning" } else { "notice" },
                file: file.path.clone(),
                line: Some(change.line),
                title: format!("redline: {kind}: {}", change.reason),
                message: text.to_string(),
            });
        }
    }
    Annotations {
        annotations: &annotations,
    }
    .render()
    .map_err(Error::render)
}

/// The report as JSON (`"schema": 1`).
pub fn json(report: &Report) -> Result<String> {
    let mut text =
        serde_json::to_string_pretty(report).map_err(|e| Error::Render(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

#[derive(Template)]
#[template(path = "report/check.txt")]
struct CheckText<'a> {
    violations: &'a [Violation],
    files: usize,
    errors: usize,
    warnings: usize,
    github: bool,
}

/// The check's verdict: one line per violation (`path:line: error: …`, or
/// `::error file=…,line=…` workflow commands when `github`), then a count.
pub fn check_text(report: &Report, violations: &[Violation], github: bool) -> Result<String> {
    let count = |s| violations.iter().filter(|v| v.severity == s).count();
    CheckText {
        violations,
        files: report.files.len(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warn),
        github,
    }
    .render()
    .map_err(Error::render)
}

impl Violation {
    fn level(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warn => "warning",
            Severity::Off => "off",
        }
    }
}
