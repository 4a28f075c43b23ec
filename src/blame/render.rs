//! Blame and history for readers: text and HTML views (askama templates
//! `blame.{txt,html}`, `history.{txt,html}`); JSON is the serde form of
//! [`Blame`] and [`History`].

use askama::Template;

use super::{Blame, CreditChange, History};
use crate::error::Result;
use crate::render::filters;
use crate::render::{pieces, Chrome, Piece, VersionView};

/// A paragraph of a blamed version with the latest update among its sentences.
pub(crate) struct BlameParagraph {
    /// The section heading, on the first paragraph of a section.
    pub heading: Option<String>,
    /// Its sentences, each with its credit.
    pub sentences: Vec<BlameLine>,
    /// The latest update that gave one of its sentences its wording.
    pub last: VersionView,
}

/// One blamed sentence.
pub(crate) struct BlameLine {
    pub text: String,
    pub changed: VersionView,
    pub edits: usize,
}

/// A blame ready for display.
pub(crate) struct BlameView {
    pub title: String,
    pub version: VersionView,
    pub paragraphs: Vec<BlameParagraph>,
}

impl BlameView {
    pub(crate) fn new(blame: &Blame) -> BlameView {
        let mut paragraphs: Vec<BlameParagraph> = Vec::new();
        let mut previous: Option<(usize, Option<&str>)> = None;
        for s in &blame.sentences {
            let line = BlameLine {
                text: s.text.clone(),
                changed: VersionView::new(&s.changed_in),
                edits: s.edits,
            };
            let same_paragraph = previous.is_some_and(|(p, _)| p == s.paragraph);
            let new_section = previous.is_none_or(|(_, h)| h != s.section.as_deref());
            previous = Some((s.paragraph, s.section.as_deref()));
            match paragraphs.last_mut() {
                Some(last) if same_paragraph => {
                    if line.changed.number > last.last.number {
                        last.last = line.changed.clone();
                    }
                    last.sentences.push(line);
                }
                _ => paragraphs.push(BlameParagraph {
                    heading: if new_section { s.section.clone() } else { None },
                    last: line.changed.clone(),
                    sentences: vec![line],
                }),
            }
        }
        BlameView {
            title: blame.title.clone(),
            version: VersionView::new(&blame.version),
            paragraphs,
        }
    }
}

#[derive(Template)]
#[template(path = "blame.txt")]
struct BlameText<'a> {
    view: &'a BlameView,
}

#[derive(Template)]
#[template(path = "blame.html")]
struct BlameHtml<'a> {
    chrome: Chrome,
    view: &'a BlameView,
    /// The site page's links, `None` standalone.
    links: Option<crate::pages::PageLinks>,
}

/// Blame as terminal text.
pub fn blame_text(blame: &Blame) -> Result<String> {
    BlameText {
        view: &BlameView::new(blame),
    }
    .render()
    .map_err(crate::error::Error::render)
}

/// Blame as a standalone HTML page.
pub fn blame_html(blame: &Blame) -> Result<String> {
    let view = BlameView::new(blame);
    let chrome = Chrome::standalone(&format!("{}: who changed what", blame.title));
    BlameHtml {
        chrome,
        view: &view,
        links: None,
    }
    .render()
    .map_err(crate::error::Error::render)
}

/// Blame as a page of the site (`<slug>/blame/vN.html`).
pub(crate) fn blame_page(
    blame: &Blame,
    chrome: Chrome,
    links: crate::pages::PageLinks,
) -> Result<String> {
    BlameHtml {
        chrome,
        view: &BlameView::new(blame),
        links: Some(links),
    }
    .render()
    .map_err(crate::error::Error::render)
}

/// One step of a sentence's history, for display.
pub(crate) struct StepView {
    pub version: VersionView,
    pub change: &'static str,
    pub section: Option<String>,
    /// The text after (or, for a removal, before).
    pub text: String,
    /// Word change, when reworded.
    pub pieces: Vec<Piece>,
}

/// One sentence's history, for display.
pub(crate) struct SentenceView {
    pub first_text: String,
    pub current_text: Option<String>,
    pub steps: Vec<StepView>,
}

#[derive(Template)]
#[template(path = "history.txt")]
struct HistoryText<'a> {
    history: &'a History,
    sentences: Vec<SentenceView>,
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryHtml<'a> {
    chrome: Chrome,
    history: &'a History,
    sentences: Vec<SentenceView>,
}

fn change_label(change: CreditChange) -> &'static str {
    match change {
        CreditChange::Added => "added",
        CreditChange::Restored => "restored",
        CreditChange::Edited => "edited",
        CreditChange::Split => "split from a longer sentence",
        CreditChange::Merged => "joined from several sentences",
        CreditChange::Moved => "moved",
        CreditChange::Removed => "removed",
    }
}

fn sentence_views(history: &History) -> Vec<SentenceView> {
    history
        .sentences
        .iter()
        .map(|s| SentenceView {
            first_text: s.first_text.clone(),
            current_text: s.current_text.clone(),
            steps: s
                .steps
                .iter()
                .map(|step| StepView {
                    version: VersionView::new(&step.version),
                    change: change_label(step.change),
                    section: step.section.clone(),
                    text: if step.new_text.is_empty() {
                        step.old_text.clone()
                    } else {
                        step.new_text.clone()
                    },
                    pieces: pieces(&step.words),
                })
                .collect(),
        })
        .collect()
}

/// History as terminal text.
pub fn history_text(history: &History) -> Result<String> {
    HistoryText {
        history,
        sentences: sentence_views(history),
    }
    .render()
    .map_err(crate::error::Error::render)
}

/// History as a standalone HTML page.
pub fn history_html(history: &History) -> Result<String> {
    HistoryHtml {
        chrome: Chrome::standalone(&format!(
            "{}: history of “{}”",
            history.title, history.query
        )),
        history,
        sentences: sentence_views(history),
    }
    .render()
    .map_err(crate::error::Error::render)
}
