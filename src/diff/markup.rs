//! Changes in blocks that are not prose (code, tables, figures, raw HTML): the
//! lexical tags of `tags::classify` (numbers, dates, speakers) are about prose,
//! so these get their own reason and significance here.

use crate::model::BlockKind;
use crate::structure::{images, table_cells, Image};

use super::{ChangeKind, Significance, Tag};

/// Longest cell or attribute quoted in a reason, in characters.
const MAX_QUOTED: usize = 60;

/// The non-prose kind a change is classified by: the new unit's, else the old's;
/// `None` when both sides are prose (or the kind says nothing, `Other`).
pub(super) fn kind_of(old: Option<BlockKind>, new: Option<BlockKind>) -> Option<BlockKind> {
    let markup = |k: Option<BlockKind>| k.filter(|k| !k.is_prose() && *k != BlockKind::Other);
    markup(new).or(markup(old))
}

/// Tags, significance and reason of a change in a non-prose block. Each side is
/// `(plain text, source)`.
pub(super) fn classify(
    block: BlockKind,
    kind: ChangeKind,
    old: Option<(&str, &str)>,
    new: Option<(&str, &str)>,
) -> (Vec<Tag>, Significance, String) {
    match block {
        BlockKind::Code => (Vec::new(), Significance::Cosmetic, "code changed".into()),
        BlockKind::Table => (
            Vec::new(),
            Significance::Substantive,
            table_reason(kind, old.map(|o| o.0), new.map(|n| n.0)),
        ),
        BlockKind::Figure => (
            Vec::new(),
            Significance::Substantive,
            figure_reason(kind, old.map(|o| o.1), new.map(|n| n.1)),
        ),
        _ => (Vec::new(), Significance::Cosmetic, "markup changed".into()),
    }
}

/// `'text'`, cut to [`MAX_QUOTED`] characters.
fn quoted(text: &str) -> String {
    let mut out: String = text.chars().take(MAX_QUOTED).collect();
    if text.chars().nth(MAX_QUOTED).is_some() {
        out.push('…');
    }
    format!("'{out}'")
}

/// "row 'Daily values': 'numerator' → 'denominator'", "row 'Node 24' added".
fn table_reason(kind: ChangeKind, old: Option<&str>, new: Option<&str>) -> String {
    let old_cells = old.map(table_cells).unwrap_or_default();
    let new_cells = new.map(table_cells).unwrap_or_default();
    let label = new_cells
        .first()
        .or(old_cells.first())
        .copied()
        .unwrap_or("");
    let row = format!("row {}", quoted(label));
    match kind {
        ChangeKind::Added => return format!("{row} added"),
        ChangeKind::Removed => return format!("{row} removed"),
        _ => {}
    }
    let width = old_cells.len().max(new_cells.len());
    let changed: Vec<String> = (0..width)
        .filter_map(|i| {
            let (a, b) = (
                old_cells.get(i).copied().unwrap_or(""),
                new_cells.get(i).copied().unwrap_or(""),
            );
            (a != b).then(|| format!("{} → {}", quoted(a), quoted(b)))
        })
        .collect();
    if changed.is_empty() {
        return if kind == ChangeKind::Moved {
            format!("{row} moved")
        } else {
            format!("{row} changed")
        };
    }
    format!("{row}: {}", changed.join("; "))
}

/// "figure changed: alt text 'a' → 'b'", "figure changed: image source 'x' → 'y'".
fn figure_reason(kind: ChangeKind, old: Option<&str>, new: Option<&str>) -> String {
    match kind {
        ChangeKind::Added => return "figure added".into(),
        ChangeKind::Removed => return "figure removed".into(),
        _ => {}
    }
    let before = old.map(images).unwrap_or_default();
    let after = new.map(images).unwrap_or_default();
    let field = |image: Option<&Image>, alt: bool| {
        image
            .and_then(|i| if alt { i.alt.clone() } else { i.src.clone() })
            .unwrap_or_default()
    };
    let mut details = Vec::new();
    for i in 0..before.len().max(after.len()) {
        let (a, b) = (before.get(i), after.get(i));
        match (a, b) {
            (Some(_), None) => details.push("image removed".to_string()),
            (None, Some(_)) => details.push("image added".to_string()),
            _ => {
                for (alt, what) in [(true, "alt text"), (false, "image source")] {
                    let (x, y) = (field(a, alt), field(b, alt));
                    if x != y {
                        details.push(format!("{what} {} → {}", quoted(&x), quoted(&y)));
                    }
                }
            }
        }
    }
    if details.is_empty() {
        "figure changed".into()
    } else {
        format!("figure changed: {}", details.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_say_which_cells_changed() {
        let r = table_reason(
            ChangeKind::Edited,
            Some("Daily values | numerator | 3"),
            Some("Daily values | denominator | 3"),
        );
        assert_eq!(r, "row 'Daily values': 'numerator' → 'denominator'");
        assert_eq!(
            table_reason(ChangeKind::Added, None, Some("Node 24 | Current")),
            "row 'Node 24' added"
        );
        assert_eq!(
            table_reason(ChangeKind::Removed, Some("Node 16 | EOL"), None),
            "row 'Node 16' removed"
        );
        let long = "x".repeat(100);
        let r = table_reason(
            ChangeKind::Edited,
            Some("a | b"),
            Some(&format!("a | {long}")),
        );
        assert!(r.ends_with("…'"), "{r}");
    }

    #[test]
    fn figures_say_what_about_the_image_changed() {
        let r = figure_reason(
            ChangeKind::Edited,
            Some("<img src=\"a.png\" alt=\"Old chart\">"),
            Some("<img src=\"b.png\" alt=\"New chart\">"),
        );
        assert_eq!(
            r,
            "figure changed: alt text 'Old chart' → 'New chart'; image source 'a.png' → 'b.png'"
        );
        assert_eq!(
            figure_reason(
                ChangeKind::Edited,
                Some("```figure\na\n```"),
                Some("```figure\nb\n```")
            ),
            "figure changed"
        );
        assert_eq!(
            figure_reason(ChangeKind::Added, None, Some("<img src=x>")),
            "figure added"
        );
    }

    #[test]
    fn only_markup_kinds_override() {
        assert_eq!(
            kind_of(Some(BlockKind::Paragraph), Some(BlockKind::Quote)),
            None
        );
        assert_eq!(
            kind_of(Some(BlockKind::Paragraph), Some(BlockKind::Code)),
            Some(BlockKind::Code)
        );
        assert_eq!(
            kind_of(Some(BlockKind::Table), None),
            Some(BlockKind::Table)
        );
        assert_eq!(
            kind_of(Some(BlockKind::Other), Some(BlockKind::Other)),
            None
        );
    }
}
