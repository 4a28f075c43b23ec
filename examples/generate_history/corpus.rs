//! Synthetic news explainers and realistic edits, deterministic from a seed.
//!
//! Shared by the `generate_history` example (which writes import folders and
//! pairs) and the criterion benches (which build pairs in memory), so both
//! measure the same kind of text.
// The benches use only part of this module.
#![allow(dead_code)]

/// A small xorshift64* generator: deterministic across platforms and releases,
/// so a seed always yields byte-identical corpora (no `rand` dependency).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (0 is remapped: xorshift must not start at 0).
    pub fn new(seed: u64) -> Rng {
        Rng(seed
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(0x2545_F491_4F6C_DD1D)
            | 1)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A random element.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FIRST: &[&str] = &[
    "Anna",
    "Pavel",
    "Olena",
    "Marco",
    "Sarah",
    "Keir",
    "Emmanuel",
    "Ursula",
    "Mark",
    "Giorgia",
    "Donald",
    "Volodymyr",
    "Sergei",
    "Kaja",
    "Friedrich",
    "Pete",
    "Marco",
    "Antonio",
    "Jens",
    "Helen",
    "David",
    "Priya",
    "Tomasz",
    "Ingrid",
];
const SURNAME: &[&str] = &[
    "Kovalenko",
    "Petrov",
    "Rossi",
    "Hughes",
    "Starmer",
    "Macron",
    "Leyen",
    "Rutte",
    "Meloni",
    "Trump",
    "Zelenskyy",
    "Lavrov",
    "Kallas",
    "Merz",
    "Hegseth",
    "Rubio",
    "Costa",
    "Stoltenberg",
    "Whitfield",
    "Lammy",
    "Sharma",
    "Nowak",
    "Lindqvist",
    "Okafor",
];
const ROLE: &[&str] = &[
    "foreign minister",
    "defence secretary",
    "prime minister",
    "chief negotiator",
    "national security adviser",
    "European Commission president",
    "NATO secretary general",
    "finance minister",
    "special envoy",
    "opposition leader",
];
const ORG: &[&str] = &[
    "the Kremlin",
    "the White House",
    "the European Commission",
    "NATO",
    "the UK government",
    "the Ukrainian parliament",
    "the International Monetary Fund",
    "the United Nations",
    "Downing Street",
    "the French presidency",
    "the German government",
    "the Polish foreign ministry",
];
const OUTLET: &[&str] = &[
    "the Financial Times",
    "The Times",
    "Reuters",
    "the BBC",
    "The New York Times",
    "the Associated Press",
    "Bloomberg",
    "The Telegraph",
    "Politico",
];
const PLACE: &[&str] = &[
    "Kyiv",
    "Moscow",
    "Washington",
    "Brussels",
    "London",
    "Paris",
    "Riyadh",
    "Warsaw",
    "Berlin",
    "Istanbul",
    "the Donbas",
    "Zaporizhzhia",
    "Kharkiv",
    "the Black Sea",
];
const MONTH: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const SUBJECT: &[&str] = &[
    "the agreement",
    "the talks",
    "the ceasefire",
    "European leaders",
    "the reconstruction fund",
    "the minerals deal",
    "negotiators",
    "the peace plan",
    "the security guarantee",
    "the sanctions package",
    "the United States",
    "a peacekeeping force",
    "the aid programme",
];
const MODAL: &[&str] = &[
    "would",
    "would not",
    "could",
    "will",
    "must",
    "should",
    "might",
    "cannot",
];
const ACTION: &[&str] = &[
    "guarantee",
    "delay",
    "replace",
    "support",
    "review",
    "cover",
    "reduce",
    "expand",
    "protect",
    "undermine",
    "fund",
    "include",
];
const OBJECT: &[&str] = &[
    "security for the whole region",
    "the existing sanctions on Russian banks",
    "future military aid payments",
    "troops stationed away from the front line",
    "a permanent settlement of the conflict",
    "the reconstruction budget for the next decade",
    "energy infrastructure along the coast",
    "the return of prisoners of war",
    "grain exports through the Black Sea",
    "elections once martial law is lifted",
    "revenue from rare earth minerals",
    "air defence systems for major cities",
    "the frozen assets held in European banks",
];
const THINGS: &[&str] = &[
    "civilians",
    "soldiers",
    "drones",
    "tanks",
    "homes",
    "schools",
    "refugees",
    "artillery shells",
    "power stations",
    "hospitals",
];
const VERBED: &[&str] = &[
    "reported",
    "destroyed",
    "delivered",
    "recorded",
    "displaced",
    "damaged",
    "evacuated",
    "counted",
];
const ADJ: &[&str] = &[
    "damaged",
    "in use",
    "unaccounted for",
    "under repair",
    "operational",
    "at risk",
];
const TOPIC: &[&str] = &[
    "the ceasefire",
    "security guarantees",
    "NATO membership",
    "the minerals deal",
    "territory",
    "sanctions",
    "military aid",
    "reconstruction",
    "peacekeepers",
    "elections",
    "prisoner exchanges",
    "energy supplies",
];
const FILLER: &[&str] = &[
    "reportedly",
    "formally",
    "publicly",
    "already",
    "again",
    "repeatedly",
    "recently",
    "initially",
    "still",
    "also",
];
const EDITORS: &[&str] = &[
    "Alice Brennan",
    "Tom Okoye",
    "Mei Lin",
    "Rafael Duarte",
    "Joanna Kowalska",
    "Sam Patel",
];

/// One section: a heading (`None` for the lead) and paragraphs of sentences.
#[derive(Debug, Clone)]
pub struct SectionText {
    /// `## ` heading text.
    pub heading: Option<String>,
    /// Paragraphs, each a list of sentences.
    pub paragraphs: Vec<Vec<String>>,
}

/// A generated explainer.
#[derive(Debug, Clone)]
pub struct Article {
    /// Title (front matter).
    pub title: String,
    /// Sections; the first is the lead (no heading).
    pub sections: Vec<SectionText>,
}

impl Article {
    /// The Markdown body: `## ` headings, paragraphs separated by blank lines.
    pub fn markdown(&self) -> String {
        let mut out = String::with_capacity(self.approx_len() + 64);
        for section in &self.sections {
            if let Some(heading) = &section.heading {
                out.push_str("## ");
                out.push_str(heading);
                out.push_str("\n\n");
            }
            for paragraph in &section.paragraphs {
                out.push_str(&paragraph.join(" "));
                out.push_str("\n\n");
            }
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        out
    }

    /// Length of [`Article::markdown`] without building it (close enough for size control).
    pub fn approx_len(&self) -> usize {
        self.sections
            .iter()
            .map(|s| {
                s.heading.as_ref().map_or(0, |h| h.len() + 5)
                    + s.paragraphs
                        .iter()
                        .map(|p| p.iter().map(|x| x.len() + 1).sum::<usize>() + 1)
                        .sum::<usize>()
            })
            .sum()
    }

    fn sentence_count(&self) -> usize {
        self.sections
            .iter()
            .flat_map(|s| &s.paragraphs)
            .map(Vec::len)
            .sum()
    }
}

/// Writes news-like sentences, paragraphs, sections and edits.
pub struct Writer {
    /// The random source; public so callers can draw from the same stream.
    pub rng: Rng,
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

impl Writer {
    /// A writer from a seed.
    pub fn new(seed: u64) -> Writer {
        Writer {
            rng: Rng::new(seed),
        }
    }

    fn person(&mut self) -> (String, String) {
        let first = self.rng.pick(FIRST);
        let surname = self.rng.pick(SURNAME);
        let title = if self.rng.chance(50) { "Mr" } else { "Ms" };
        (format!("{first} {surname}"), format!("{title} {surname}"))
    }

    fn date(&mut self) -> String {
        let day = self.rng.range(1, 28);
        let month = self.rng.pick(MONTH);
        if self.rng.chance(30) {
            format!("{day} {month} {}", self.rng.range(2014, 2025))
        } else {
            format!("{day} {month}")
        }
    }

    fn number(&mut self) -> String {
        match self.rng.below(4) {
            0 => self.rng.range(2, 99).to_string(),
            1 => format!("{},{:03}", self.rng.range(1, 99), self.rng.below(1000)),
            2 => format!("{}.{}", self.rng.range(1, 60), self.rng.below(10)),
            _ => (self.rng.range(1, 40) * 100).to_string(),
        }
    }

    fn count(&mut self) -> String {
        if self.rng.chance(50) {
            self.rng.range(2, 999).to_string()
        } else {
            format!("{},{:03}", self.rng.range(1, 99), self.rng.below(1000))
        }
    }

    fn clause(&mut self) -> String {
        format!(
            "{} {} {} {}",
            self.rng.pick(SUBJECT),
            self.rng.pick(MODAL),
            self.rng.pick(ACTION),
            self.rng.pick(OBJECT)
        )
    }

    /// One sentence of news prose: attributed quotes, dated announcements, figures.
    pub fn sentence(&mut self) -> String {
        let (full, short) = self.person();
        match self.rng.below(12) {
            0 => format!(
                "{full}, the {}, said: “{}.”",
                self.rng.pick(ROLE),
                capitalise(&self.clause())
            ),
            1 => format!(
                "“{},” {short} told {} on {}.",
                capitalise(&self.clause()),
                self.rng.pick(OUTLET),
                self.date()
            ),
            2 => format!(
                "On {}, {} announced that {}.",
                self.date(),
                self.rng.pick(ORG),
                self.clause()
            ),
            3 => format!(
                "According to {}, {} {} were {} in {} between {} and {}.",
                self.rng.pick(OUTLET),
                self.count(),
                self.rng.pick(THINGS),
                self.rng.pick(VERBED),
                self.rng.pick(PLACE),
                self.date(),
                self.date()
            ),
            4 => format!(
                "The figure rose from {} in {} to {} in {}, according to {}.",
                self.number(),
                self.rng.range(2014, 2020),
                self.number(),
                self.rng.range(2021, 2025),
                self.rng.pick(ORG)
            ),
            5 => format!(
                "{full}, who met officials in {} last week, has said that {}.",
                self.rng.pick(PLACE),
                self.clause()
            ),
            6 => format!("It is not yet clear whether {}.", self.clause()),
            7 => format!(
                "{} has not responded to a request for comment about {}.",
                capitalise(self.rng.pick(ORG)),
                self.rng.pick(TOPIC)
            ),
            8 => format!(
                "A spokesperson for {} said the plan would cost about £{} million over {} years.",
                self.rng.pick(ORG),
                self.number(),
                self.rng.range(2, 12)
            ),
            9 => format!(
                "{short} later denied that {}, calling the report “{}”.",
                self.clause(),
                self.rng
                    .pick(&["misleading", "false", "premature", "speculation"])
            ),
            10 => format!(
                "Officials in {} estimate that {} per cent of {} are {}.",
                self.rng.pick(PLACE),
                self.rng.range(3, 97),
                self.rng.pick(THINGS),
                self.rng.pick(ADJ)
            ),
            _ => format!(
                "Speaking in {} on {}, {full} suggested that {}.",
                self.rng.pick(PLACE),
                self.date(),
                self.clause()
            ),
        }
    }

    /// A paragraph of 2–5 sentences.
    pub fn paragraph(&mut self) -> Vec<String> {
        let n = self.rng.range(2, 5);
        (0..n).map(|_| self.sentence()).collect()
    }

    /// A question heading, as explainers use.
    pub fn heading(&mut self) -> String {
        match self.rng.below(6) {
            0 => format!(
                "What has {} said about {}?",
                self.rng.pick(ORG),
                self.rng.pick(TOPIC)
            ),
            1 => format!(
                "How many {} have been {}?",
                self.rng.pick(THINGS),
                self.rng.pick(VERBED)
            ),
            2 => format!("Who is involved in talks on {}?", self.rng.pick(TOPIC)),
            3 => format!("What could happen to {}?", self.rng.pick(TOPIC)),
            4 => format!("What happened in {}?", self.rng.pick(PLACE)),
            _ => format!(
                "Where do {} stand on {}?",
                self.rng.pick(OUTLET),
                self.rng.pick(TOPIC)
            ),
        }
    }

    /// An explainer of about `target` bytes: a lead, then sections of 3–7 paragraphs.
    pub fn article(&mut self, title: &str, target: usize) -> Article {
        let mut article = Article {
            title: title.to_string(),
            sections: vec![SectionText {
                heading: None,
                paragraphs: vec![self.paragraph(), self.paragraph()],
            }],
        };
        while article.approx_len() < target {
            let n = self.rng.range(3, 7);
            let mut section = SectionText {
                heading: Some(self.heading()),
                paragraphs: Vec::new(),
            };
            for _ in 0..n {
                section.paragraphs.push(self.paragraph());
                if article.approx_len() + section_len(&section) >= target {
                    break;
                }
            }
            article.sections.push(section);
        }
        article
    }

    /// Apply one realistic edit; returns a note describing it and whether it was minor.
    /// `grow` biases towards additions (< 0: removals, 0: neutral) to hold a size.
    pub fn edit(&mut self, article: &mut Article, grow: i32) -> (String, bool) {
        let roll = self.rng.below(100);
        // Mostly small edits; occasionally structural ones.
        let op = match grow {
            g if g > 0 => match roll {
                0..=34 => Op::EditWords,
                35..=64 => Op::AddSentence,
                65..=84 => Op::AddParagraph,
                85..=89 => Op::AddSection,
                90..=94 => Op::MoveParagraph,
                _ => Op::RenameHeading,
            },
            g if g < 0 => match roll {
                0..=34 => Op::EditWords,
                35..=64 => Op::RemoveSentence,
                65..=89 => Op::RemoveParagraph,
                90..=94 => Op::MoveParagraph,
                _ => Op::RenameHeading,
            },
            _ => match roll {
                0..=39 => Op::EditWords,
                40..=59 => Op::AddSentence,
                60..=69 => Op::AddParagraph,
                70..=81 => Op::RemoveSentence,
                82..=86 => Op::RemoveParagraph,
                87..=91 => Op::MoveParagraph,
                92..=95 => Op::AddSection,
                _ => Op::RenameHeading,
            },
        };
        self.apply(article, op)
    }

    fn apply(&mut self, article: &mut Article, op: Op) -> (String, bool) {
        let s = self.rng.below(article.sections.len());
        let where_ = heading_of(article, s);
        match op {
            Op::EditWords => {
                if article.sentence_count() == 0 {
                    return self.apply(article, Op::AddParagraph);
                }
                let (si, pi, xi) = self.pick_sentence(article);
                let section = &mut article.sections[si];
                let sentence = &mut section.paragraphs[pi][xi];
                let (edited, kind) = self.edit_words(sentence);
                *sentence = edited;
                let where_ = heading_of(article, si);
                (format!("Corrected {kind} in {where_}"), kind == "wording")
            }
            Op::AddSentence => {
                let section = &mut article.sections[s];
                if section.paragraphs.is_empty() {
                    section.paragraphs.push(Vec::new());
                }
                let p = self.rng.below(section.paragraphs.len());
                let at = self.rng.below(section.paragraphs[p].len() + 1);
                let sentence = self.sentence();
                article.sections[s].paragraphs[p].insert(at, sentence);
                (format!("Added a sentence to {where_}"), false)
            }
            Op::AddParagraph => {
                let paragraph = self.paragraph();
                let section = &mut article.sections[s];
                let at = self.rng.below(section.paragraphs.len() + 1);
                section.paragraphs.insert(at, paragraph);
                (format!("Added a paragraph to {where_}"), false)
            }
            Op::AddSection => {
                let heading = self.heading();
                let n = self.rng.range(2, 4);
                let paragraphs = (0..n).map(|_| self.paragraph()).collect();
                let at = self.rng.range(1, article.sections.len());
                article.sections.insert(
                    at,
                    SectionText {
                        heading: Some(heading.clone()),
                        paragraphs,
                    },
                );
                (format!("Added a new section, {heading}"), false)
            }
            Op::RemoveSentence => {
                if article.sentence_count() <= 1 {
                    return self.apply(article, Op::AddSentence);
                }
                let (si, pi, xi) = self.pick_sentence(article);
                let where_ = heading_of(article, si);
                let paragraphs = &mut article.sections[si].paragraphs;
                if paragraphs[pi].len() > 1 {
                    paragraphs[pi].remove(xi);
                } else {
                    paragraphs.remove(pi);
                }
                (
                    format!("Removed an out-of-date sentence from {where_}"),
                    false,
                )
            }
            Op::RemoveParagraph => {
                let section = &mut article.sections[s];
                if section.paragraphs.len() <= 1 {
                    return self.apply(article, Op::RemoveSentence);
                }
                let at = self.rng.below(section.paragraphs.len());
                section.paragraphs.remove(at);
                (format!("Removed a paragraph from {where_}"), false)
            }
            Op::MoveParagraph => {
                if article.sections[s].paragraphs.len() <= 1 {
                    return self.apply(article, Op::EditWords);
                }
                let from = self.rng.below(article.sections[s].paragraphs.len());
                let paragraph = article.sections[s].paragraphs.remove(from);
                let t = self.rng.below(article.sections.len());
                let at = self.rng.below(article.sections[t].paragraphs.len() + 1);
                article.sections[t].paragraphs.insert(at, paragraph);
                let to = heading_of(article, t);
                (format!("Moved a paragraph from {where_} to {to}"), true)
            }
            Op::RenameHeading => {
                if article.sections.len() <= 1 {
                    return self.apply(article, Op::AddSection);
                }
                let t = self.rng.range(1, article.sections.len() - 1);
                let heading = self.heading();
                let old = heading_of(article, t);
                article.sections[t].heading = Some(heading.clone());
                (format!("Renamed {old} to {heading}"), false)
            }
        }
    }

    fn pick_sentence(&mut self, article: &Article) -> (usize, usize, usize) {
        let n = self.rng.below(article.sentence_count());
        let mut i = 0;
        for (si, section) in article.sections.iter().enumerate() {
            for (pi, paragraph) in section.paragraphs.iter().enumerate() {
                if n < i + paragraph.len() {
                    return (si, pi, n - i);
                }
                i += paragraph.len();
            }
        }
        (0, 0, 0)
    }

    /// Change one to three words of a sentence: a figure if it has one, else wording.
    fn edit_words(&mut self, sentence: &str) -> (String, &'static str) {
        let mut words: Vec<String> = sentence.split(' ').map(str::to_string).collect();
        let numeric: Vec<usize> = (0..words.len())
            .filter(|&i| words[i].chars().next().is_some_and(|c| c.is_ascii_digit()))
            .collect();
        if !numeric.is_empty() && self.rng.chance(60) {
            let i = numeric[self.rng.below(numeric.len())];
            // Keep trailing punctuation ("2019," stays followed by its comma).
            let end = words[i]
                .rfind(|c: char| c.is_ascii_digit())
                .map_or(0, |p| p + 1);
            let tail = words[i][end..].to_string();
            words[i] = format!("{}{tail}", self.number());
            return (words.join(" "), "a figure");
        }
        let edits = self.rng.range(1, 3);
        for _ in 0..edits {
            let i = self.rng.range(1, words.len().max(2) - 1).min(words.len());
            if self.rng.chance(50) || i >= words.len() {
                words.insert(i, self.rng.pick(FILLER).to_string());
            } else if words[i].chars().all(char::is_alphabetic) && words[i].len() > 3 {
                words[i] = self.rng.pick(FILLER).to_string();
            } else {
                words.insert(i, self.rng.pick(FILLER).to_string());
            }
        }
        (words.join(" "), "wording")
    }

    /// An editor name.
    pub fn editor(&mut self) -> &'static str {
        self.rng.pick(EDITORS)
    }
}

#[derive(Debug, Clone, Copy)]
enum Op {
    EditWords,
    AddSentence,
    AddParagraph,
    AddSection,
    RemoveSentence,
    RemoveParagraph,
    MoveParagraph,
    RenameHeading,
}

fn section_len(section: &SectionText) -> usize {
    section.heading.as_ref().map_or(0, |h| h.len() + 5)
        + section
            .paragraphs
            .iter()
            .map(|p| p.iter().map(|x| x.len() + 1).sum::<usize>() + 1)
            .sum::<usize>()
}

fn heading_of(article: &Article, s: usize) -> String {
    match article.sections.get(s).and_then(|x| x.heading.as_ref()) {
        Some(h) => format!("“{h}”"),
        None => "the introduction".to_string(),
    }
}

/// An old/new pair of about `size` bytes with `edits` realistic edits between them.
pub fn pair(seed: u64, size: usize, edits: usize) -> (String, String) {
    let mut writer = Writer::new(seed);
    let mut article = writer.article("Generated explainer", size);
    let old = article.markdown();
    for _ in 0..edits {
        writer.edit(&mut article, 0);
    }
    (old, article.markdown())
}

/// A default number of edits for a pair: about one per 4 KB, at least five.
pub fn default_edits(size: usize) -> usize {
    (size / 4096).max(5)
}

/// Pathological pair: one paragraph of `size` bytes with no sentence break, a few words changed.
pub fn unbroken_paragraph(seed: u64, size: usize) -> (String, String) {
    let mut rng = Rng::new(seed);
    let mut words = Vec::new();
    let mut len = 0;
    while len < size {
        let w = match rng.below(4) {
            0 => rng.pick(SUBJECT),
            1 => rng.pick(OBJECT),
            2 => rng.pick(PLACE),
            _ => rng.pick(FILLER),
        };
        len += w.len() + 1;
        words.push(w.to_string());
    }
    let old = words.join(" ");
    for _ in 0..20 {
        let i = rng.below(words.len());
        words[i] = rng.pick(FILLER).to_string();
    }
    (old, words.join(" "))
}

/// Pathological pair: `lines` identical lines (one block), with a few inserted and removed.
pub fn identical_lines(lines: usize) -> (String, String) {
    let line = "The talks will continue next week.\n";
    let old = line.repeat(lines);
    let half = lines / 2;
    let new = format!(
        "{}The talks were cancelled.\n{}{}",
        line.repeat(half),
        line.repeat(lines - half - 3),
        "A final line was added.\n"
    );
    (old, new)
}

/// Pathological pair: two unrelated explainers of about `size` bytes (a full rewrite).
pub fn full_rewrite(seed: u64, size: usize) -> (String, String) {
    let old = Writer::new(seed).article("Old", size).markdown();
    let new = Writer::new(seed ^ 0xDEAD_BEEF)
        .article("New", size)
        .markdown();
    (old, new)
}

/// Escape a string for a TOML basic string.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Parse a size such as `20k`, `100k`, `1m`, `4096`.
pub fn parse_size(raw: &str) -> Option<usize> {
    let lower = raw.trim().to_ascii_lowercase();
    let s = lower.trim_end_matches('b');
    let (digits, unit) = if let Some(d) = s.strip_suffix('k') {
        (d, 1000)
    } else if let Some(d) = s.strip_suffix('m') {
        (d, 1_000_000)
    } else {
        (s, 1)
    };
    digits.parse::<usize>().ok().map(|n| n * unit)
}
