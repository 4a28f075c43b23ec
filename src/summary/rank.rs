//! Highlight ranking: which changes of a net `ChangeSet` a reader must see
//! first. Pure (no store I/O), so the rules are testable on hand-built change
//! sets; [`super::since`] then ties each highlight to the update that made it.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::claims::{self, minus, new_names, Attribution};
use crate::diff::{
    Change, ChangeKind, ChangeSet, SectionChangeKind, SectionRef, Significance, Span, SpanOp, Tag,
};
use crate::model::{BlockKind, Document};
use crate::typography::normalise;

use super::HighlightKind;

/// How to find the update that introduced a highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trace {
    /// Introduced by the earliest update from which this text is present in every later version.
    Appears(String),
    /// Introduced by the earliest update from which this text is absent from every later version.
    Disappears(String),
}

impl Trace {
    /// The text traced.
    pub fn text(&self) -> &str {
        match self {
            Trace::Appears(t) | Trace::Disappears(t) => t,
        }
    }
}

/// A ranked highlight not yet tied to the update that introduced it.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingHighlight {
    /// Ranking class.
    pub kind: HighlightKind,
    /// Direction: added, removed, edited or moved text.
    pub change: ChangeKind,
    /// Why it ranks where it does.
    pub score: Score,
    /// Section heading (`None` = the lead).
    pub section: Option<String>,
    /// Other sections where the very same change was made (collapsed into this one).
    pub also_in: Vec<Option<String>>,
    /// The sentence (or heading) verbatim: new text; old text for removals.
    pub text: String,
    /// The sentence before an edit, verbatim (`None` unless edited).
    pub old_text: Option<String>,
    /// Word-level change of an edited sentence.
    pub words: Vec<Span>,
    /// Speakers named, in order, without repeats.
    pub speakers: Vec<String>,
    /// Who makes the claim (contested and plain claims).
    pub claimant: Vec<String>,
    /// Who denies or rebuts it (contested claims).
    pub disputed_by: Vec<String>,
    /// Diff tags.
    pub tags: Vec<Tag>,
    /// How to find the introducing update.
    pub trace: Trace,
    /// Indices into `ChangeSet::changes` of every change this highlight
    /// stands for (several for a group or a collapsed repeat; none for a section).
    pub changes: Vec<usize>,
    /// Indices into `ChangeSet::sections` of the section changes this
    /// highlight stands for (a new, removed or renamed section; else none).
    pub section_changes: Vec<usize>,
    /// Changed rows of one table or lines of one code block, shown as one item.
    pub group: Option<BlockGroup>,
}

/// What a [`BlockGroup`] is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBlock {
    /// Rows of one table.
    Table,
    /// Lines of one code block.
    Code,
    /// Entries of a table of contents: list items that are only links to
    /// headings of the page (`[What we collect](#what-we-collect)`).
    Contents,
}

/// Consecutive changes inside one table, one code block or one table of
/// contents, told as one highlight ("Table in 'Placeholders': 35 rows
/// removed, 1 added") rather than one per row or line: a reader wants to know
/// the table changed, then see a few of its rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockGroup {
    /// `table`, `code` or `contents`.
    pub block: GroupBlock,
    /// Rows (lines) added.
    pub added: usize,
    /// Rows (lines) removed.
    pub removed: usize,
    /// Rows (lines) edited.
    pub edited: usize,
    /// Every member change in document order: its direction and text (new
    /// text; old text for a removal).
    pub members: Vec<GroupMember>,
}

/// One row or line of a [`BlockGroup`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupMember {
    /// Index into `ChangeSet::changes`.
    pub index: usize,
    /// Direction.
    pub change: ChangeKind,
    /// New text; old text for a removal.
    pub text: String,
}

/// Why a highlight ranks where it does: its class and the lexical evidence
/// found, as `key: value` strings ("number: $5,000 → $500", "obligation
/// removed: must", "block: code", "denial: the UK government denied").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    /// The ranking class (the same as the highlight's `kind`).
    pub class: HighlightKind,
    /// Evidence, strongest first within each kind.
    pub evidence: Vec<String>,
}

/// What the ranking knows about one sentence-level change.
struct Reading {
    /// Index into `ChangeSet::changes`.
    index: usize,
    /// New text that carries new content (added, or edited with a new attribution or quotation).
    fresh: bool,
    /// Attributions that count for this change: new ones for edits, all for additions,
    /// old ones for removals.
    attributions: Vec<Attribution>,
    /// A new (or, for removals, removed) quotation.
    quotation: bool,
    /// The sentence sits in prose (not code, a table, raw HTML or a figure).
    prose: bool,
    /// The block it sits in, when known.
    block: Option<BlockKind>,
}

/// Where a change of a table or code block sits: the block's start in the
/// base (old text) and in the head (new text), so changes of one block can be
/// told as one. Entries of a table of contents are one list item each: any
/// run of them in one section is one group (no start to compare).
#[derive(Debug, Clone, PartialEq, Eq)]
struct BlockPlace {
    section: SectionRef,
    kind: GroupBlock,
    base: Option<usize>,
    head: Option<usize>,
}

impl BlockPlace {
    /// The table, code block or table of contents a change sits in; `None`
    /// for any other block.
    fn of(change: &Change, base: &Document, head: &Document) -> Option<BlockPlace> {
        if is_contents_entry(change, base, head) {
            return Some(BlockPlace {
                section: change.section().clone(),
                kind: GroupBlock::Contents,
                base: None,
                head: None,
            });
        }
        let kind = block_kind(change, base, head)?;
        let group = match kind {
            BlockKind::Table => GroupBlock::Table,
            BlockKind::Code => GroupBlock::Code,
            _ => return None,
        };
        let start = |doc: &Document, range: Option<std::ops::Range<usize>>| {
            range
                .and_then(|r| doc.block_at(r.start))
                .filter(|b| b.kind == kind)
                .map(|b| b.span.start)
        };
        Some(BlockPlace {
            section: change.section().clone(),
            kind: group,
            base: start(base, change.old_range()),
            head: if change.kind() == ChangeKind::Removed {
                None
            } else {
                start(head, change.new_range())
            },
        })
    }
}

impl Reading {
    fn claims(&self) -> bool {
        self.attributions.iter().any(|a| !a.denial)
    }
    fn denies(&self) -> bool {
        self.attributions.iter().any(|a| a.denial)
    }
    /// A claim and a denial by different speakers in this one sentence ("Mr
    /// Macron said …—however the UK government later said “no agreement”").
    /// One speaker qualifying their own claim ("Mr Trump has said …, and has
    /// also suggested that he will not …") contests nothing.
    fn contests_itself(&self) -> bool {
        self.attributions.iter().any(|claim| {
            !claim.denial
                && self
                    .attributions
                    .iter()
                    .any(|d| d.denial && !d.speaker.eq_ignore_ascii_case(&claim.speaker))
        })
    }
}

/// The kind of block a change sits in (head's for new text, base's for removed
/// text); `None` when its range is in no block (or it has no range).
fn block_kind(change: &Change, base: &Document, head: &Document) -> Option<BlockKind> {
    let block = match (change.new_range(), change.old_range()) {
        (Some(r), _) if change.kind() != ChangeKind::Removed => head.block_at(r.start),
        (_, Some(r)) => base.block_at(r.start),
        _ => None,
    };
    block.map(|b| b.kind)
}

/// Rank the changes of a net change set into highlights, in display order:
///
/// 1. `ContestedClaim`: a new sentence (added, or edited so that it gains an
///    attribution) carrying an attributed claim and a denial/rebuttal, either in
///    the sentence itself or in an adjacent new sentence of the same section
///    (then both sentences are contested claims);
/// 2. `Claim`: any other new attribution (speaker + reporting verb) or new quotation;
/// 3. `Correction`: an edited sentence in which an existing figure, date or
///    name was replaced (an added clause with a new figure is no correction);
/// 4. `RemovedClaim`: a removed sentence that carried an attribution or quotation;
/// 5. `Obligation`: an obligation or negation added, removed or changed ("must",
///    "may not", "will not", "not"), in either direction;
/// 6. `NewSection`: an added section (text = its heading);
/// 7. `Other`: every other substantive added, removed or edited sentence, then
///    removed and renamed sections;
/// 8. `Cosmetic`: code, tables, markup, spelling fixes and renumbering.
///
/// Only prose can be a claim, correction or obligation. Within a class,
/// changes with figures, dates or names come before those without, then
/// document order. Punctuation-only edits, pure moves and page furniture (a
/// "last updated" line) are no highlights. A sentence changed the same way in
/// several sections is one highlight (`also_in` names the others). `base` and
/// `head` are the documents the change ranges index.
pub fn rank_highlights(
    changes: &ChangeSet,
    base: &Document,
    head: &Document,
) -> Vec<PendingHighlight> {
    // A sentence removed in one place and added, identical, in another is still
    // there for the reader: a move the alignment did not pair, no highlight.
    let key = |t: Option<&str>| t.map(normalise);
    let added: BTreeSet<String> = changes
        .changes
        .iter()
        .filter(|c| c.kind() != ChangeKind::Removed)
        .filter_map(|c| key(c.new_text()))
        .collect();
    let removed: BTreeSet<String> = changes
        .changes
        .iter()
        .filter(|c| c.kind() == ChangeKind::Removed)
        .filter_map(|c| key(c.old_text()))
        .collect();
    let relocated = |c: &Change| match c.kind() {
        ChangeKind::Removed => key(c.old_text()).is_some_and(|t| added.contains(&t)),
        ChangeKind::Added => key(c.new_text()).is_some_and(|t| removed.contains(&t)),
        _ => false,
    };
    let mut readings: Vec<Reading> = changes
        .changes
        .iter()
        .enumerate()
        .filter(|(_, change)| !relocated(change))
        .filter_map(|(index, change)| read_change(index, change, base, head))
        .collect();
    credit_quotations(&mut readings, changes, &head.body);

    let mut out: Vec<(u8, PendingHighlight, Option<BlockPlace>)> = Vec::new();
    for (pos, reading) in readings.iter().enumerate() {
        let Some(change) = changes.changes.get(reading.index) else {
            continue;
        };
        let neighbours: Vec<&Reading> = [pos.checked_sub(1), pos.checked_add(1)]
            .into_iter()
            .flatten()
            .filter_map(|p| readings.get(p))
            .filter(|n| n.fresh && adjacent(changes, reading.index, n.index, &head.body))
            .collect();
        let facts = Evidence::of(change, reading.block);
        let place = BlockPlace::of(change, base, head);
        let contents = place
            .as_ref()
            .is_some_and(|p| p.kind == GroupBlock::Contents);
        let mut rebuttals: Vec<&Reading> = Vec::new();
        let kind = if contents
            || reading.block == Some(BlockKind::Code)
            || change.significance() == Significance::Cosmetic
        {
            // Code is shown, never read as claims; spelling and numbering
            // fixes change no meaning; a table of contents repeats headings.
            HighlightKind::Cosmetic
        } else if !reading.prose {
            // A table, markup or a figure: shown after the prose it illustrates.
            HighlightKind::Other
        } else if change.significance() == Significance::Cosmetic {
            HighlightKind::Cosmetic
        } else if reading.fresh {
            // A pure claim next to a pure rebuttal (or the reverse) contest each
            // other; a sentence that carries both rebuts itself, not its neighbours.
            let pure_claim = |r: &Reading| r.claims() && !r.denies();
            let pure_denial = |r: &Reading| r.denies() && !r.claims();
            for n in &neighbours {
                if pure_claim(reading) && pure_denial(n) || pure_denial(reading) && pure_claim(n) {
                    rebuttals.push(n);
                }
            }
            if reading.contests_itself() || !rebuttals.is_empty() {
                HighlightKind::ContestedClaim
            } else if !reading.attributions.is_empty() || reading.quotation {
                HighlightKind::Claim
            } else {
                facts.class(change.kind())
            }
        } else {
            match change.kind() {
                ChangeKind::Removed if !reading.attributions.is_empty() || reading.quotation => {
                    HighlightKind::RemovedClaim
                }
                kind => facts.class(kind),
            }
        };
        let removed = change.kind() == ChangeKind::Removed;
        let text = change.text().to_string();
        let spoken = if change.kind() == ChangeKind::Edited {
            // An edited sentence names everyone in it, not only the new speakers.
            claims::attributions(&text)
        } else {
            reading.attributions.clone()
        };
        let mut speakers: Vec<String> = Vec::new();
        let (mut claimant, mut disputed_by) = (Vec::new(), Vec::new());
        let mut evidence = Vec::new();
        for a in spoken
            .iter()
            .chain(rebuttals.iter().flat_map(|n| n.attributions.iter()))
        {
            // A bare pronoun names nobody a reader can place ("Said by he").
            if ["he", "she", "they"].contains(&a.speaker.to_lowercase().as_str()) {
                continue;
            }
            evidence.push(format!(
                "{}: {} {}",
                if a.denial { "denial" } else { "attribution" },
                a.speaker,
                a.verb
            ));
            let role = if a.denial {
                &mut disputed_by
            } else {
                &mut claimant
            };
            if !role.contains(&a.speaker) {
                role.push(a.speaker.clone());
            }
        }
        for a in &spoken {
            let pronoun = ["he", "she", "they"].contains(&a.speaker.to_lowercase().as_str());
            if !pronoun && !speakers.contains(&a.speaker) {
                speakers.push(a.speaker.clone());
            }
        }
        if kind != HighlightKind::ContestedClaim {
            // Roles are only told for a contest; a plain claim names its speakers.
            disputed_by.clear();
        }
        evidence.extend(facts.evidence);
        out.push((
            facts.weight,
            PendingHighlight {
                kind,
                change: change.kind(),
                score: Score {
                    class: kind,
                    evidence,
                },
                section: change.heading().map(str::to_string),
                also_in: Vec::new(),
                trace: if removed {
                    Trace::Disappears(text.clone())
                } else {
                    Trace::Appears(text.clone())
                },
                old_text: (change.kind() == ChangeKind::Edited)
                    .then(|| change.old_text().map(str::to_string))
                    .flatten(),
                words: if change.kind() == ChangeKind::Edited {
                    change.words().to_vec()
                } else {
                    Vec::new()
                },
                speakers,
                claimant,
                disputed_by,
                tags: change.tags().to_vec(),
                text,
                changes: vec![reading.index],
                section_changes: Vec::new(),
                group: None,
            },
            place,
        ));
    }
    let mut out = group_blocks(out);

    for (index, section) in changes.sections.iter().enumerate() {
        let (kind, change, text, trace) =
            match (section.kind, &section.new_heading, &section.old_heading) {
                (SectionChangeKind::Added, Some(h), _) => (
                    HighlightKind::NewSection,
                    ChangeKind::Added,
                    h,
                    Trace::Appears(h.clone()),
                ),
                (SectionChangeKind::Renamed, Some(h), _) => (
                    HighlightKind::Other,
                    ChangeKind::Edited,
                    h,
                    Trace::Appears(h.clone()),
                ),
                (SectionChangeKind::Removed, _, Some(h)) => (
                    HighlightKind::Other,
                    ChangeKind::Removed,
                    h,
                    Trace::Disappears(h.clone()),
                ),
                _ => continue,
            };
        out.push((
            1,
            PendingHighlight {
                kind,
                change,
                score: Score {
                    class: kind,
                    evidence: vec![format!("section {}", change.name())],
                },
                section: Some(text.clone()),
                also_in: Vec::new(),
                text: text.clone(),
                old_text: match section.kind {
                    SectionChangeKind::Renamed => section.old_heading.clone(),
                    _ => None,
                },
                words: Vec::new(),
                speakers: Vec::new(),
                claimant: Vec::new(),
                disputed_by: Vec::new(),
                tags: Vec::new(),
                trace,
                changes: Vec::new(),
                section_changes: vec![index],
                group: None,
            },
        ));
    }

    // Stable: document order survives within each class and weight.
    out.sort_by_key(|(weight, h)| (h.kind, *weight));
    collapse_repeats(out.into_iter().map(|(_, h)| h).collect())
}

/// Consecutive highlights (in document order) from one table or one code
/// block become one: it ranks as its strongest member would, and keeps every
/// member (index, direction, text). Rows removed from the base's table and
/// rows added to the head's belong together when nothing else changed between them.
fn group_blocks(
    ranked: Vec<(u8, PendingHighlight, Option<BlockPlace>)>,
) -> Vec<(u8, PendingHighlight)> {
    // Runs of highlights of one block: (place of the run, base starts, head starts, members).
    type Run = (
        BlockPlace,
        Vec<usize>,
        Vec<usize>,
        Vec<(u8, PendingHighlight)>,
    );
    let mut runs: Vec<Result<Run, (u8, PendingHighlight)>> = Vec::new();
    for (weight, highlight, place) in ranked {
        let Some(place) = place else {
            runs.push(Err((weight, highlight)));
            continue;
        };
        if let Some(Ok((first, bases, heads, members))) = runs.last_mut() {
            // Another block's start on either side means another block.
            let fits = |at: Option<usize>, seen: &[usize]| {
                at.is_none_or(|at| seen.is_empty() || seen.contains(&at))
            };
            if first.section == place.section
                && first.kind == place.kind
                && fits(place.base, bases)
                && fits(place.head, heads)
            {
                bases.extend(place.base);
                heads.extend(place.head);
                members.push((weight, highlight));
                continue;
            }
        }
        let (bases, heads) = (
            place.base.into_iter().collect(),
            place.head.into_iter().collect(),
        );
        runs.push(Ok((place, bases, heads, vec![(weight, highlight)])));
    }
    let mut out = Vec::with_capacity(runs.len());
    for run in runs {
        match run {
            Err(single) => out.push(single),
            Ok((place, _, _, members)) => out.extend(join_run(place.kind, members)),
        }
    }
    out
}

/// One highlight for a run of changes in one block (the highlight itself when
/// the run has one member).
fn join_run(
    block: GroupBlock,
    members: Vec<(u8, PendingHighlight)>,
) -> Option<(u8, PendingHighlight)> {
    if members.len() < 2 {
        return members.into_iter().next();
    }
    let weight = members.iter().map(|(w, _)| *w).min().unwrap_or(2);
    let kind = members
        .iter()
        .map(|(_, h)| h.kind)
        .min()
        .unwrap_or(HighlightKind::Other);
    let count = |k: ChangeKind| members.iter().filter(|(_, h)| h.change == k).count();
    let (added, removed, edited) = (
        count(ChangeKind::Added),
        count(ChangeKind::Removed),
        count(ChangeKind::Edited),
    );
    let mut group = BlockGroup {
        block,
        added,
        removed,
        edited,
        members: Vec::with_capacity(members.len()),
    };
    let mut evidence = vec![
        format!("block: {}", group_name(block)),
        format!("group: {added} added, {removed} removed, {edited} edited"),
    ];
    let mut tags: Vec<Tag> = Vec::new();
    let mut changes = Vec::new();
    // The first member's own evidence (every member's would flood it).
    if let Some((_, first)) = members.first() {
        evidence.extend(
            first
                .score
                .evidence
                .iter()
                .filter(|e| !e.starts_with("block: "))
                .cloned(),
        );
    }
    for (_, h) in &members {
        for t in &h.tags {
            if !tags.contains(t) {
                tags.push(*t);
            }
        }
        changes.extend(h.changes.iter().copied());
        group
            .members
            .extend(h.changes.iter().map(|&index| GroupMember {
                index,
                change: h.change,
                text: h.text.clone(),
            }));
    }
    // `text`, `change` and `trace` stay the first member's, so the quoted row,
    // its direction and the update credited with it agree; `group` tells the rest.
    let (_, first) = members.into_iter().next()?;
    Some((
        weight,
        PendingHighlight {
            kind,
            score: Score {
                class: kind,
                evidence,
            },
            old_text: None,
            words: Vec::new(),
            speakers: Vec::new(),
            claimant: Vec::new(),
            disputed_by: Vec::new(),
            tags,
            changes,
            group: Some(group),
            ..first
        },
    ))
}

/// One highlight for a sentence changed the same way in several sections
/// (boilerplate repeated under every heading): the first keeps the others'
/// sections in `also_in`.
fn collapse_repeats(ranked: Vec<PendingHighlight>) -> Vec<PendingHighlight> {
    let mut first: HashMap<(HighlightKind, ChangeKind, String, String), usize> = HashMap::new();
    let mut out: Vec<PendingHighlight> = Vec::with_capacity(ranked.len());
    for h in ranked {
        let key = (
            h.kind,
            h.change,
            normalise(&h.text),
            normalise(h.old_text.as_deref().unwrap_or("")),
        );
        match first.get(&key).and_then(|&i| out.get_mut(i)) {
            Some(kept)
                if h.kind != HighlightKind::NewSection
                    && h.group.is_none()
                    && kept.group.is_none() =>
            {
                kept.also_in.push(h.section);
                kept.changes.extend(h.changes);
                kept.section_changes.extend(h.section_changes);
            }
            _ => {
                first.insert(key, out.len());
                out.push(h);
            }
        }
    }
    out
}

/// A block kind's name in evidence.
fn block_name(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Paragraph => "paragraph",
        BlockKind::Quote => "quote",
        BlockKind::ListItem => "list item",
        BlockKind::Figure => "figure",
        BlockKind::Code => "code",
        BlockKind::Table => "table",
        BlockKind::Html => "html",
        BlockKind::Other => "other",
    }
}

/// A group's name in evidence.
fn group_name(kind: GroupBlock) -> &'static str {
    match kind {
        GroupBlock::Table => "table",
        GroupBlock::Code => "code",
        GroupBlock::Contents => "table of contents",
    }
}

/// The lexical evidence of a change that is not a claim.
struct Evidence {
    /// An existing figure, date or name was replaced by another.
    replaced: bool,
    /// An obligation or negation came, went or changed.
    binding: bool,
    /// 0: figures, dates, names or obligations involved; 1: plain words; 2: a fragment of
    /// one or two words (a file name, a table cell).
    weight: u8,
    evidence: Vec<String>,
}

impl Evidence {
    fn of(change: &Change, block: Option<BlockKind>) -> Evidence {
        let old = claims::facts(change.old_text().unwrap_or(""));
        let new = claims::facts(change.new_text().unwrap_or(""));
        let mut evidence = Vec::new();
        let prose = block.is_none_or(BlockKind::is_prose);
        if let Some(kind) = block.filter(|_| !prose) {
            evidence.push(format!("block: {}", block_name(kind)));
        }
        if change.significance() == Significance::Cosmetic {
            evidence.push(format!("cosmetic: {}", change.reason()));
        }
        let edited = change.kind() == ChangeKind::Edited;
        let mut replaced = false;
        let mut figures = false;
        for (what, gone, came) in [
            (
                "number",
                minus(&old.numbers, &new.numbers),
                minus(&new.numbers, &old.numbers),
            ),
            (
                "date",
                minus(&old.dates, &new.dates),
                minus(&new.dates, &old.dates),
            ),
            (
                "name",
                new_names(&old.names, &new.names),
                new_names(&new.names, &old.names),
            ),
        ] {
            if gone.is_empty() && came.is_empty() {
                continue;
            }
            replaced |= !gone.is_empty() && !came.is_empty();
            // A capitalised word in a new sentence says little; a new figure or date does.
            figures |= what != "name" || edited;
            evidence.push(if edited {
                format!("{what}: {} → {}", gone.join(", "), came.join(", "))
            } else {
                format!(
                    "{what}: {}",
                    gone.iter()
                        .chain(&came)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
        }
        // Obligations bind in any direction; a negation matters where an edit flips it.
        let mut binding = false;
        for (what, a, b) in [
            ("obligation", &old.obligations, &new.obligations),
            ("negation", &old.negations, &new.negations),
        ] {
            let (gone, came) = (minus(a, b), minus(b, a));
            if !gone.is_empty() {
                evidence.push(format!("{what} removed: {}", gone.join(", ")));
            }
            if !came.is_empty() {
                evidence.push(format!("{what} added: {}", came.join(", ")));
            }
            let changed = !gone.is_empty() || !came.is_empty();
            binding |= changed && (what == "obligation" || edited);
            figures |= changed;
        }
        let text = change.text();
        let fragment = text.split_whitespace().count() < 3;
        if fragment {
            evidence.push("fragment".to_string());
        }
        Evidence {
            replaced,
            binding,
            weight: if fragment || !prose {
                2
            } else if figures || binding {
                0
            } else {
                1
            },
            evidence,
        }
    }

    /// The class of a prose change that is not a claim.
    fn class(&self, kind: ChangeKind) -> HighlightKind {
        match kind {
            ChangeKind::Edited if self.replaced => HighlightKind::Correction,
            _ if self.binding => HighlightKind::Obligation,
            _ => HighlightKind::Other,
        }
    }
}

/// A stamp line on its own ("*Last updated: 4 May 2020*"): page furniture
/// wherever it appears (highlights, withdrawn changes).
pub fn is_stamp_line(text: &str) -> bool {
    is_stamped(text) && text.split_whitespace().count() <= 12
}

fn is_stamped(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "last updated",
        "last modified",
        "last revised",
        "last reviewed",
        "last changed",
        "updated on",
        "updated at",
        "updated:",
    ]
    .iter()
    .any(|m| lower.contains(m))
}

/// Page furniture: a "last updated" line whose only news is its own time.
/// It is in the change list, never a highlight.
fn is_furniture(change: &Change) -> bool {
    let text = change.text();
    if !is_stamped(text) {
        return false;
    }
    match change.kind() {
        // Only the time changed: every changed word is part of a date or time.
        ChangeKind::Edited => change
            .words()
            .iter()
            .filter(|s| s.op != SpanOp::Equal)
            .all(|s| s.text.split_whitespace().all(is_time_word)),
        _ => is_stamp_line(text),
    }
}

/// A word of a date or time: digits, months, weekdays, "am"/"pm", joiners.
fn is_time_word(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    w.is_empty()
        || w.chars().any(|c| c.is_ascii_digit())
        || crate::calendar::is_month(w)
        || crate::calendar::is_weekday(w)
        || [
            "am", "pm", "at", "on", "of", "the", "utc", "gmt", "bst", "et",
        ]
        .contains(&w.to_lowercase().as_str())
}

/// The Markdown source of a change's sentence: in head for new text, in base
/// for a removal (`""` without a range).
fn source<'d>(change: &Change, base: &'d Document, head: &'d Document) -> &'d str {
    let (doc, range) = match change.kind() {
        ChangeKind::Removed => (base, change.old_range()),
        _ => (head, change.new_range()),
    };
    range
        .as_ref()
        .and_then(|r| doc.body.get(r.clone()))
        .unwrap_or("")
}

/// An entry of a table of contents: a list item whose whole content is a link
/// to an anchor of the page (`* [What we collect](#what-we-collect)`), or a
/// list of such links. Its text repeats a heading that was there before: a
/// new or changed contents list is one cosmetic item, never one highlight per entry.
fn is_contents_entry(change: &Change, base: &Document, head: &Document) -> bool {
    let (doc, range) = match change.kind() {
        ChangeKind::Removed => (base, change.old_range()),
        _ => (head, change.new_range()),
    };
    let Some(block) = range.as_ref().and_then(|r| doc.block_at(r.start)) else {
        return false;
    };
    if block.kind != BlockKind::ListItem {
        return false;
    }
    // The block's span is its text; the link markup around it is on its lines.
    let body = doc.body.as_str();
    let start = body
        .get(..block.span.start)
        .and_then(|b| b.rfind('\n'))
        .map_or(0, |at| at + 1);
    let end = body
        .get(block.span.end..)
        .and_then(|rest| rest.find('\n'))
        .map_or(body.len(), |at| block.span.end + at);
    let text = body.get(start..end).unwrap_or("");
    let mut any = false;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let item = line
            .strip_prefix(['*', '-', '+'])
            .or_else(|| {
                let digits = line.trim_start_matches(|c: char| c.is_ascii_digit());
                (digits.len() < line.len())
                    .then(|| digits.strip_prefix(['.', ')']))
                    .flatten()
            })
            .unwrap_or(line)
            .trim();
        if !is_anchor_link(item) {
            return false;
        }
        any = true;
    }
    any
}

/// `[text](#anchor)` and nothing else.
fn is_anchor_link(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('[') else {
        return false;
    };
    let Some((label, target)) = rest.split_once("](#") else {
        return false;
    };
    !label.contains(']')
        && target
            .strip_suffix(')')
            .is_some_and(|anchor| !anchor.is_empty() && !anchor.contains([' ', ')', '(']))
}

/// A change too small to tell a reader anything on its own: its reader-visible
/// text is only a URL, only inline code (`sharedStorage.length()`), or fewer
/// than three words with no figure, date, name, obligation or negation
/// ("Options include:", a repeated title). It stays in the change list and in
/// the per-section counts of a summary; the sentences around it carry the news.
fn is_fragment(change: &Change, base: &Document, head: &Document) -> bool {
    let text = match change.kind() {
        ChangeKind::Removed => change.old_text(),
        _ => change.new_text(),
    }
    .unwrap_or("")
    .trim();
    let bare =
        text.trim_matches(|c: char| c.is_ascii_punctuation() && c != '/' && c != '(' && c != ')');
    let url = !bare.contains(char::is_whitespace)
        && ["http://", "https://", "www.", "mailto:"]
            .iter()
            .any(|p| bare.to_ascii_lowercase().starts_with(p));
    if url {
        return true;
    }
    // Inline code only: nothing but punctuation outside the code spans.
    let src = source(change, base, head);
    if src.contains('`') {
        let outside: String = src.split('`').step_by(2).collect();
        if !outside.chars().any(char::is_alphanumeric) {
            return true;
        }
    }
    if text.split_whitespace().count() >= 3 {
        return false;
    }
    let facts = claims::facts(text);
    let old = claims::facts(change.old_text().unwrap_or(""));
    facts.numbers.is_empty()
        && facts.dates.is_empty()
        && facts.names.is_empty()
        && facts.obligations.is_empty()
        && facts.negations.is_empty()
        && (change.kind() != ChangeKind::Edited
            || old.numbers.is_empty()
                && old.dates.is_empty()
                && old.names.is_empty()
                && old.obligations.is_empty()
                && old.negations.is_empty())
}

/// What a change says about claims, or `None` when it is no highlight at all.
fn read_change(
    index: usize,
    change: &crate::diff::Change,
    base: &Document,
    head: &Document,
) -> Option<Reading> {
    if change.kind() == ChangeKind::Moved || is_furniture(change) {
        return None;
    }
    let block = block_kind(change, base, head);
    let prose = block.is_none_or(BlockKind::is_prose);
    if prose && !is_contents_entry(change, base, head) && is_fragment(change, base, head) {
        return None;
    }
    if change.significance() == Significance::Cosmetic {
        // Punctuation and case alone change nothing a reader reads.
        let letters = |t: Option<&str>| -> String {
            t.unwrap_or("")
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        };
        if letters(change.old_text()) == letters(change.new_text()) {
            return None;
        }
    }
    if !prose || change.significance() == Significance::Cosmetic {
        return Some(Reading {
            index,
            fresh: false,
            attributions: Vec::new(),
            quotation: false,
            prose,
            block,
        });
    }
    match change.kind() {
        ChangeKind::Added => {
            let text = change.new_text()?;
            Some(Reading {
                index,
                fresh: true,
                attributions: claims::attributions(text),
                quotation: claims::has_quotation(text),
                prose,
                block,
            })
        }
        ChangeKind::Removed => {
            let text = change.old_text()?;
            Some(Reading {
                index,
                fresh: false,
                attributions: claims::attributions(text),
                quotation: claims::has_quotation(text),
                prose,
                block,
            })
        }
        ChangeKind::Edited => {
            let new = change.new_text()?;
            let old = change.old_text().unwrap_or("");
            // Who said it is matched on the speaker's last word, so a retitled
            // speaker ("opposition leader Friedrich Merz" → "likely incoming
            // Chancellor Friedrich Merz") is a correction, not a new claim.
            let before: BTreeSet<(String, String)> =
                claims::attributions(old).iter().map(speaker_key).collect();
            let gained: Vec<Attribution> = claims::attributions(new)
                .into_iter()
                .filter(|a| !before.contains(&speaker_key(a)))
                .collect();
            let old_quotes: BTreeSet<String> = claims::quotations(old)
                .iter()
                .map(|q| normalise(q))
                .collect();
            let new_quote = claims::quotations(new)
                .iter()
                .any(|q| !old_quotes.contains(&normalise(q)));
            Some(Reading {
                index,
                fresh: !gained.is_empty() || new_quote,
                attributions: gained,
                quotation: new_quote,
                prose,
                block,
            })
        }
        ChangeKind::Moved => None,
    }
}

/// A new credit line under a pull quote ("— Heather Meeker, “Title”")
/// attributes the new sentence just before it, with nothing but markup between
/// them (`</p><p class="pquote-credit">`): that sentence is Heather Meeker's
/// quotation. The credit line itself claims nothing.
fn credit_quotations(readings: &mut [Reading], changes: &ChangeSet, head_body: &str) {
    for at in 1..readings.len() {
        let (Some(quote), Some(credit)) = (readings.get(at - 1), readings.get(at)) else {
            continue;
        };
        let (Some(q), Some(c)) = (
            changes.changes.get(quote.index),
            changes.changes.get(credit.index),
        ) else {
            continue;
        };
        let Some(name) = (c.kind() == ChangeKind::Added)
            .then(|| c.new_text().and_then(claims::credit_line))
            .flatten()
        else {
            continue;
        };
        let between = match (q.new_range(), c.new_range()) {
            (Some(a), Some(b)) if a.end <= b.start => head_body.get(a.end..b.start),
            _ => None,
        };
        let only_markup = between.is_some_and(|gap| {
            let mut inside = false;
            gap.chars().all(|ch| {
                match ch {
                    '<' => inside = true,
                    '>' => inside = false,
                    _ => {}
                }
                inside || ch == '>' || ch.is_whitespace()
            })
        });
        if q.kind() != ChangeKind::Added
            || q.section() != c.section()
            || !quote.prose
            || !only_markup
        {
            continue;
        }
        if let Some(quote) = readings.get_mut(at - 1) {
            quote.quotation = true;
            quote.attributions.push(Attribution {
                speaker: name,
                verb: "—".to_string(),
                denial: false,
            });
        }
    }
}

/// An attribution's identity across an edit: the speaker's last word and the verb.
fn speaker_key(a: &Attribution) -> (String, String) {
    let last = a.speaker.split_whitespace().last().unwrap_or_default();
    (last.to_lowercase(), a.verb.to_lowercase())
}

/// Two changes are adjacent when they sit in the same section and only
/// whitespace separates them in the new body (or, without ranges, when they
/// are consecutive changes).
fn adjacent(changes: &ChangeSet, a: usize, b: usize, head_body: &str) -> bool {
    let (Some(x), Some(y)) = (changes.changes.get(a), changes.changes.get(b)) else {
        return false;
    };
    if x.section() != y.section() {
        return false;
    }
    match (x.new_range(), y.new_range()) {
        (Some(rx), Some(ry)) => {
            let (first, second) = if rx.start <= ry.start {
                (rx, ry)
            } else {
                (ry, rx)
            };
            head_body
                .get(first.end..second.start)
                .is_some_and(|gap| gap.trim().is_empty())
        }
        _ => a.abs_diff(b) == 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::testing::{change, Amend};
    use crate::diff::{Change, SectionChange, SectionId, SpanOp};

    const TALKS: &str = "What talks have taken place and who is involved?";
    const TRUCE: &str = "Following the summit Mr Macron said France and the UK had proposed a one-month truce “in the air, at sea and on energy infrastructure”—however the UK government later said “no agreement” on this had been reached.";
    const SUMMIT: &str = "More than a dozen leaders from across Europe, as well as Canada and Turkey, gathered in London on 2 March for a summit on Ukraine.";
    const LAVROV: &str = "While the talks were not formal peace negotiations, Mr Lavrov said the two sides had “agreed that a ‘process for Ukrainian settlement’ will be initiated shortly”.";

    fn added(section: &str, text: &str) -> Change {
        change(ChangeKind::Added, Some(section), None, Some(text))
    }

    fn doc(body: &str) -> Document {
        Document::new(crate::model::DocumentMeta::default(), body.to_string())
    }

    fn set(changes: Vec<Change>) -> ChangeSet {
        ChangeSet {
            changes,
            ..ChangeSet::default()
        }
    }

    fn kinds(h: &[PendingHighlight]) -> Vec<(HighlightKind, &str)> {
        h.iter().map(|h| (h.kind, h.text.as_str())).collect()
    }

    #[test]
    fn truce_claim_with_denial_ranks_first() {
        let cs = set(vec![
            added(TALKS, SUMMIT),
            added(TALKS, LAVROV),
            added(TALKS, TRUCE),
        ]);
        let h = rank_highlights(&cs, &doc(""), &doc(""));
        assert_eq!(
            kinds(&h),
            vec![
                (HighlightKind::ContestedClaim, TRUCE),
                (HighlightKind::Claim, LAVROV),
                (HighlightKind::Other, SUMMIT)
            ]
        );
        let first = h.first().unwrap();
        assert_eq!(first.speakers, vec!["Mr Macron", "the UK government"]);
        assert_eq!(first.section.as_deref(), Some(TALKS));
        assert_eq!(first.trace, Trace::Appears(TRUCE.to_string()));
    }

    #[test]
    fn a_speaker_qualifying_their_own_claim_is_no_contest() {
        let s = "Mr Trump has said that Europe should be responsible for providing security guarantees, and has also suggested that he will not discuss guarantees until a peace deal has been agreed.";
        let h = rank_highlights(&set(vec![added("Troops", s)]), &doc(""), &doc(""));
        assert_eq!(kinds(&h), vec![(HighlightKind::Claim, s)]);
    }

    #[test]
    fn rebuttal_in_adjacent_sentence_contests_both() {
        let claim = "Mr Zelenskyy has said this could be swapped for Russian-occupied territory in Ukraine.";
        let denial = "This suggestion appeared to be ruled out by Russia, which has described the idea of a territory swap as part of a peace deal as “impossible”.";
        let body = format!("{claim} {denial}");
        let a = added("Territory", claim).with_new_range(0..claim.len());
        let b = added("Territory", denial).with_new_range(claim.len() + 1..body.len());
        let h = rank_highlights(&set(vec![a.clone(), b.clone()]), &doc(""), &doc(&body));
        assert_eq!(
            kinds(&h),
            vec![
                (HighlightKind::ContestedClaim, claim),
                (HighlightKind::ContestedClaim, denial)
            ]
        );
        // Not adjacent (an unchanged sentence between): each stands alone as a claim.
        let body = format!("{claim} Unchanged text. {denial}");
        let b = b.with_new_range(claim.len() + 17..body.len());
        let h = rank_highlights(&set(vec![a, b]), &doc(""), &doc(&body));
        assert_eq!(
            kinds(&h),
            vec![
                (HighlightKind::Claim, claim),
                (HighlightKind::Claim, denial)
            ]
        );
    }

    #[test]
    fn corrections_removed_claims_sections_and_the_rest() {
        let edit = change(
            ChangeKind::Edited,
            Some("Troops"),
            Some("The plan could involve up to 20,000 European troops."),
            Some("The plan could involve up to 30,000 European troops."),
        );
        let edit = edit.with_words(vec![
            Span {
                op: SpanOp::Equal,
                text: "The plan could involve up to ".into(),
            },
            Span {
                op: SpanOp::Delete,
                text: "20,000".into(),
            },
            Span {
                op: SpanOp::Insert,
                text: "30,000".into(),
            },
            Span {
                op: SpanOp::Equal,
                text: " European troops.".into(),
            },
        ]);
        let reworded = change(
            ChangeKind::Edited,
            Some("Troops"),
            Some("But the level of support has been uncertain."),
            Some("But the level of military support has been the subject of significant uncertainty."),
        );
        let removed_claim = change(
            ChangeKind::Removed,
            Some("Troops"),
            Some("Mr Starmer said that he was prepared to commit UK forces."),
            None,
        );
        let removed_plain = change(
            ChangeKind::Removed,
            Some("Troops"),
            Some("Talks are ongoing."),
            None,
        );
        let cosmetic = change(
            ChangeKind::Edited,
            None,
            Some("It's here."),
            Some("It’s here."),
        )
        .cosmetic();
        let moved = change(
            ChangeKind::Moved,
            Some("B"),
            Some("Same words."),
            Some("Same words."),
        );
        let mut cs = set(vec![
            reworded,
            edit,
            removed_plain,
            removed_claim,
            cosmetic,
            moved,
        ]);
        cs.sections.push(SectionChange {
            kind: SectionChangeKind::Added,
            id: SectionId::New(5),
            old_heading: None,
            new_heading: Some("What have the US and Ukraine agreed on minerals?".into()),
        });
        cs.sections.push(SectionChange {
            kind: SectionChangeKind::Removed,
            id: SectionId::Old(6),
            old_heading: Some("Old section".into()),
            new_heading: None,
        });
        let h = rank_highlights(&cs, &doc(""), &doc(""));
        assert_eq!(
            kinds(&h),
            vec![
                (HighlightKind::Correction, "The plan could involve up to 30,000 European troops."),
                (HighlightKind::RemovedClaim, "Mr Starmer said that he was prepared to commit UK forces."),
                (HighlightKind::NewSection, "What have the US and Ukraine agreed on minerals?"),
                (HighlightKind::Other, "But the level of military support has been the subject of significant uncertainty."),
                (HighlightKind::Other, "Talks are ongoing."),
                (HighlightKind::Other, "Old section"),
            ]
        );
        let correction = h.first().unwrap();
        assert_eq!(correction.words.len(), 4);
        assert_eq!(
            correction.old_text.as_deref(),
            Some("The plan could involve up to 20,000 European troops.")
        );
        let removed = h.get(1).unwrap();
        assert_eq!(removed.speakers, vec!["Mr Starmer"]);
        assert_eq!(
            removed.trace,
            Trace::Disappears("Mr Starmer said that he was prepared to commit UK forces.".into())
        );
    }

    #[test]
    fn edit_that_adds_an_attribution_is_a_claim() {
        let old = "Mr Trump and Mr Zelenskyy were expected to sign the agreement on 28 February, but Mr Zelenskyy was asked to leave the White House after the argument between the pair.";
        let new = "Mr Zelenskyy was asked to leave the White House after the argument between the pair, though he has since said that he remains ready to sign the agreement “any time”.";
        let h = rank_highlights(
            &set(vec![change(
                ChangeKind::Edited,
                Some("Minerals"),
                Some(old),
                Some(new),
            )]),
            &doc(""),
            &doc(""),
        );
        assert_eq!(kinds(&h), vec![(HighlightKind::Claim, new)]);
        assert_eq!(h.first().unwrap().speakers, vec!["Mr Zelenskyy"]);
        // An unresolved pronoun is no speaker to show.
        let new = "However, he later clarified his comments, saying “everything is on the table”.";
        let h = rank_highlights(&set(vec![added("NATO", new)]), &doc(""), &doc(""));
        assert_eq!(kinds(&h), vec![(HighlightKind::Claim, new)]);
        assert!(h.first().unwrap().speakers.is_empty());
        // An edit that keeps the same speaker and verb is no new claim.
        let old = "Mr Lavrov said the talks went well.";
        let new = "Mr Lavrov said the talks went very well.";
        let h = rank_highlights(
            &set(vec![change(ChangeKind::Edited, None, Some(old), Some(new))]),
            &doc(""),
            &doc(""),
        );
        assert_eq!(kinds(&h), vec![(HighlightKind::Other, new)]);
        // A retitled speaker is no new claim, and no correction either: the name stays.
        let old = "Both German Chancellor Olaf Scholz and opposition leader Friedrich Merz have said it is “too early”.";
        let new = "Both the outgoing German Chancellor Olaf Scholz and likely incoming Chancellor Friedrich Merz have said it is “too early”.";
        let h = rank_highlights(
            &set(vec![change(ChangeKind::Edited, None, Some(old), Some(new))]),
            &doc(""),
            &doc(""),
        );
        assert_eq!(kinds(&h), vec![(HighlightKind::Other, new)]);
    }

    /// Rank the real diff of two synthetic bodies.
    fn ranked(old: &str, new: &str) -> Vec<PendingHighlight> {
        let (a, b) = (doc(old), doc(new));
        rank_highlights(&crate::diff::diff(&a, &b), &a, &b)
    }

    #[test]
    fn a_cut_liability_cap_outranks_a_typo_fix() {
        // Synthetic, modelled on a terms-of-service text.
        let old = "## Policies\n\nBasecamp Polices apply to all accounts.\n\n## Liability\n\nOur liability is capped at US $5,000 per claim.\n";
        let new = "## Policies\n\nBasecamp Policies apply to all accounts.\n\n## Liability\n\nOur liability is capped at US $500 per claim.\n";
        let h = ranked(old, new);
        assert_eq!(
            kinds(&h),
            vec![
                (
                    HighlightKind::Correction,
                    "Our liability is capped at US $500 per claim."
                ),
                (
                    HighlightKind::Cosmetic,
                    "Basecamp Policies apply to all accounts."
                ),
            ]
        );
        assert_eq!(h[0].change, ChangeKind::Edited);
        assert!(
            h[0].score
                .evidence
                .iter()
                .any(|e| e == "number: $5,000 → $500"),
            "{:?}",
            h[0].score
        );
    }

    #[test]
    fn a_removal_keeps_its_direction_and_old_text() {
        let old = "## Talks\n\nNo truce has been proposed.\n\nTalks go on.\n";
        let new = "## Talks\n\nTalks go on.\n";
        let h = ranked(old, new);
        let gone = h.first().unwrap();
        assert_eq!(gone.change, ChangeKind::Removed);
        assert_eq!(gone.text, "No truce has been proposed.");
        assert_eq!(
            gone.trace,
            Trace::Disappears("No truce has been proposed.".into())
        );
        // A removed obligation ranks with an added one.
        let with = "## Data\n\nWe will not sell your data to advertisers.\n\nBackups are kept.\n";
        let without = "## Data\n\nBackups are kept.\n";
        let removed = ranked(with, without);
        let added = ranked(without, with);
        assert!(
            removed
                .iter()
                .any(|h| h.kind == HighlightKind::Obligation && h.change == ChangeKind::Removed),
            "{removed:?}"
        );
        assert!(
            added
                .iter()
                .any(|h| h.kind == HighlightKind::Obligation && h.change == ChangeKind::Added),
            "{added:?}"
        );
    }

    #[test]
    fn code_never_ranks_as_a_claim_or_correction() {
        let old = "## Example\n\nCall the API as shown.\n\n```js\nconst limit = 5000; // said \"the owner\"\n```\n";
        let new = "## Example\n\nCall the API as shown.\n\n```js\nconst limit = 500; // said \"the owner\"\n```\n";
        let h = ranked(old, new);
        assert!(!h.is_empty());
        for h in &h {
            assert!(
                matches!(h.kind, HighlightKind::Cosmetic | HighlightKind::Other),
                "{h:?}"
            );
        }
    }

    #[test]
    fn repeated_sentences_collapse_into_one_highlight() {
        // Synthetic, modelled on ../shared/corpus/buzzfeed-nics-readme boilerplate.
        let note = "This file does not currently contain information on probable deaths.";
        let old = "## A\n\nOne.\n\n## B\n\nTwo.\n\n## C\n\nThree.\n";
        let new = format!("## A\n\nOne. {note}\n\n## B\n\nTwo. {note}\n\n## C\n\nThree. {note}\n");
        let h = ranked(old, &new);
        let repeated: Vec<&PendingHighlight> = h.iter().filter(|h| h.text == note).collect();
        assert_eq!(repeated.len(), 1, "{h:?}");
        assert_eq!(repeated[0].section.as_deref(), Some("A"));
        assert_eq!(
            repeated[0].also_in,
            vec![Some("B".to_string()), Some("C".to_string())]
        );
    }

    #[test]
    fn timestamps_are_furniture_and_added_clauses_no_corrections() {
        let old = "*Last updated: 4 May 2020*\n\nThe plan covers Ukraine.\n";
        let new = "*Last updated: 9 June 2021*\n\nThe plan covers Ukraine, and a truce agreed with Mr Trump.\n";
        let h = ranked(old, new);
        assert_eq!(
            kinds(&h),
            vec![(
                HighlightKind::Other,
                "The plan covers Ukraine, and a truce agreed with Mr Trump."
            )]
        );
        assert_eq!(h[0].change, ChangeKind::Edited);
    }

    #[test]
    fn contested_claims_keep_their_roles() {
        let h = rank_highlights(&set(vec![added(TALKS, TRUCE)]), &doc(""), &doc(""));
        let truce = h.first().unwrap();
        assert_eq!(truce.claimant, vec!["Mr Macron"]);
        assert_eq!(truce.disputed_by, vec!["the UK government"]);
        assert_eq!(truce.score.class, HighlightKind::ContestedClaim);
    }
}

#[cfg(test)]
mod group_tests {
    use super::*;

    fn doc(body: &str) -> Document {
        Document::new(crate::model::DocumentMeta::default(), body.to_string())
    }

    fn rank(old: &str, new: &str) -> (ChangeSet, Vec<PendingHighlight>) {
        let (base, head) = (doc(old), doc(new));
        let changes = crate::diff::diff(&base, &head);
        let ranked = rank_highlights(&changes, &base, &head);
        (changes, ranked)
    }

    // Synthetic, shaped like jekyll-permalinks v41→v42: a table's rows replaced by one loop row.
    const TABLE_OLD: &str = "Intro sentence about permalinks.\n\n## Placeholders\n\nThe placeholders are listed below.\n\n| Variable | Description |\n| --- | --- |\n| `:year` | Year from the post's filename with four digits. |\n| `:month` | Month from the post's filename, from 01 to 12. |\n| `:day` | Day from the post's filename, from 01 to 31. |\n| `:title` | Title from the document's filename. |\n";
    const TABLE_NEW: &str = "Intro sentence about permalinks.\n\n## Placeholders\n\nThe placeholders are listed below.\n\n| Variable | Description |\n| --- | --- |\n| `{{ row.name }}` | {{ row.description }} |\n";

    #[test]
    fn rows_of_one_table_are_one_highlight_listing_every_member() {
        let (changes, h) = rank(TABLE_OLD, TABLE_NEW);
        assert_eq!(h.len(), 1, "{h:#?}");
        let table = h.first().unwrap();
        let group = table.group.as_ref().expect("a group");
        assert_eq!(group.block, GroupBlock::Table);
        assert_eq!(
            (group.removed, group.added + group.edited),
            (4 - group.edited, 1),
            "{group:#?}"
        );
        // Every change of the table is a member, by index, in document order.
        assert_eq!(table.changes.len(), changes.changes.len());
        assert_eq!(
            group.members.iter().map(|m| m.index).collect::<Vec<_>>(),
            table.changes
        );
        let first = group.members.first().unwrap();
        assert_eq!(
            (table.change, table.text.as_str()),
            (first.change, first.text.as_str())
        );
        assert!(table.score.evidence.contains(&"block: table".to_string()));
    }

    #[test]
    fn prose_between_tables_keeps_them_apart_and_ranks_first() {
        // Synthetic: two tables in one section, a changed sentence between them.
        let old = "## Part\n\n| a | b |\n| - | - |\n| 1 | one |\n| 2 | two |\n\nThe limit is 5 days.\n\n| c | d |\n| - | - |\n| 3 | three |\n| 4 | four |\n";
        let new =
            "## Part\n\n| a | b |\n| - | - |\n\nThe limit is 9 days.\n\n| c | d |\n| - | - |\n";
        let (_, h) = rank(old, new);
        let groups: Vec<_> = h.iter().filter_map(|h| h.group.as_ref()).collect();
        assert_eq!(groups.len(), 2, "{h:#?}");
        assert!(groups
            .iter()
            .all(|g| g.removed == 2 && g.members.len() == 2));
        assert!(h.first().unwrap().group.is_none(), "prose first: {h:#?}");
    }

    #[test]
    fn changed_lines_of_one_code_block_are_one_cosmetic_highlight() {
        // Synthetic: two separated edits in one fenced block.
        let old = "Run this:\n\n```sh\nmake build\necho one\nmake test\necho two\n```\n";
        let new = "Run this:\n\n```sh\nmake release\necho one\nmake check\necho two\n```\n";
        let (_, h) = rank(old, new);
        assert_eq!(h.len(), 1, "{h:#?}");
        let code = h.first().unwrap();
        assert_eq!(code.kind, HighlightKind::Cosmetic);
        let group = code.group.as_ref().expect("a group");
        assert_eq!((group.block, group.members.len()), (GroupBlock::Code, 2));
    }

    #[test]
    fn a_removed_pull_quote_is_a_removed_highlight_not_markup() {
        // Cut from ../shared/corpus/opensource-guide-legal (an `<aside>` pull quote), shortened.
        let quote = "We have eliminated the CLA for Node.js. Doing this lowers the barrier to entry for Node.js contributors.";
        let old = format!("Lead text.\n\n<aside markdown=\"1\" class=\"pquote\">\n  <img src=\"https://avatars.githubusercontent.com/bcantrill?s=180\" class=\"pquote-avatar\" alt=\"avatar\">\n    {quote}\n</aside>\n\nTail text.\n");
        let new = "Lead text.\n\nTail text.\n";
        let (_, h) = rank(&old, new);
        let removed: Vec<&str> = h
            .iter()
            .filter(|h| h.change == ChangeKind::Removed)
            .map(|h| h.text.as_str())
            .collect();
        assert!(
            removed.contains(&"We have eliminated the CLA for Node.js."),
            "{h:#?}"
        );
        assert!(
            h.iter().all(|h| h.kind != HighlightKind::Cosmetic),
            "{h:#?}"
        );
    }

    #[test]
    fn a_single_row_stays_a_plain_highlight() {
        // Synthetic.
        let old = "| a | b |\n| - | - |\n| 1 | one |\n| 2 | two |\n";
        let new = "| a | b |\n| - | - |\n| 1 | one |\n";
        let (_, h) = rank(old, new);
        assert_eq!(h.len(), 1);
        let row = h.first().unwrap();
        assert!(row.group.is_none());
        assert_eq!(row.change, ChangeKind::Removed);
    }

    // Cut from basecamp-privacy (corpus, 0042_2023-05-02): the table of
    // contents that version added above sections that were already there.
    const CONTENTS_OLD: &str = "# Privacy policy\n\nWe care about your privacy.\n\n## What we collect and why\n\nWe collect your name.\n\n## How we secure your data\n\nAll data is encrypted.\n";
    const CONTENTS_NEW: &str = "# Privacy policy\n\nWe care about your privacy. This policy is split into sections. For your convenience, links to each of those sections is as follows:\n\n* [Privacy policy](#privacy-policy)\n* [What we collect and why](#what-we-collect-and-why)\n* [How we secure your data](#how-we-secure-your-data)\n\n## What we collect and why\n\nWe collect your name.\n\n## How we secure your data\n\nAll data is encrypted.\n";

    #[test]
    fn a_table_of_contents_is_one_cosmetic_group() {
        let (changes, h) = rank(CONTENTS_OLD, CONTENTS_NEW);
        let contents: Vec<&PendingHighlight> = h
            .iter()
            .filter(|h| {
                h.group
                    .as_ref()
                    .is_some_and(|g| g.block == GroupBlock::Contents)
            })
            .collect();
        assert_eq!(contents.len(), 1, "{h:#?}");
        let group = contents[0].group.as_ref().unwrap();
        assert_eq!((group.added, group.members.len()), (3, 3));
        assert_eq!(contents[0].kind, HighlightKind::Cosmetic);
        // No entry is a highlight of its own; the prose added next to it is.
        assert!(!h
            .iter()
            .any(|h| h.group.is_none() && h.text == "How we secure your data"));
        assert!(h
            .iter()
            .any(|h| h.text == "This policy is split into sections."
                && h.kind == HighlightKind::Other));
        // Every entry stays in the change list.
        assert!(changes
            .changes
            .iter()
            .any(|c| c.new_text() == Some("What we collect and why")));
    }

    #[test]
    fn a_list_of_ordinary_links_is_no_table_of_contents() {
        // Synthetic: links to other pages are content, not a contents list.
        let old = "Intro.\n\n## Read more\n\nSee these.\n";
        let new = "Intro.\n\n## Read more\n\nSee these.\n\n* [The full government guidance on licences](https://example.org/guidance)\n";
        let (_, h) = rank(old, new);
        assert_eq!(h.len(), 1, "{h:#?}");
        assert!(h[0].group.is_none() && h[0].kind != HighlightKind::Cosmetic);
    }

    #[test]
    fn fragments_are_no_highlights() {
        // Synthetic, shaped like shared-storage-explainer and opensource-guide-legal:
        // a code-only list item, a bare URL, a two-word lead-in.
        let old = "Intro.\n\n## Methods\n\nThe methods are below.\n";
        let new = "Intro.\n\n## Methods\n\nThe methods are below.\n\n* `sharedStorage.length()`\n\nhttps://example.org/spec\n\nOptions include:\n\n* Returns the number of entries stored for the origin.\n* Version 2\n";
        let (changes, h) = rank(old, new);
        let texts: Vec<&str> = h.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Returns the number of entries stored for the origin.",
                "Version 2"
            ],
            "a figure keeps a short item; only substance is a highlight"
        );
        assert!(changes.changes.len() >= 5, "fragments stay changes");
    }

    #[test]
    fn a_pull_quote_credit_line_attributes_the_quote_and_claims_nothing() {
        // Cut from opensource-guide-legal (corpus, 0066 version): a pull quote with its credit line.
        let old = "Intro.\n\n## Licences\n\nWhen you create a new project, add a license.\n";
        let new = "Intro.\n\n## Licences\n\nWhen you create a new project, add a license.\n\n<aside markdown=\"1\" class=\"pquote\">\n  Unless absolutely required, avoid custom, modified, or non-standard terms, which will serve as a barrier to downstream use of the agency code.\n  <p markdown=\"1\" class=\"pquote-credit\">\n\u{2014} @benbalter, [\"Everything a government attorney needs to know about open source software&nbsp;licensing\"](https://ben.balter.com/2014/10/08/open-source-licensing-for-government-attorneys/)\n  </p>\n</aside>\n";
        let (_, h) = rank(old, new);
        let credit = h.iter().find(|h| h.text.contains("@benbalter,"));
        assert!(
            credit.is_none_or(|c| c.kind != HighlightKind::Claim),
            "{h:#?}"
        );
        let quote = h
            .iter()
            .find(|h| h.text.starts_with("Unless absolutely required"))
            .unwrap();
        assert_eq!(quote.kind, HighlightKind::Claim);
        assert_eq!(quote.speakers, vec!["@benbalter"]);
    }
}
