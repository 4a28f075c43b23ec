//! End-to-end tests of `redline report` and `redline check` on a real content
//! repository built with the git CLI. Every explainer here is synthetic (written
//! for these tests): YAML front matter, TOML front matter and none.

use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;

use crate::support::{bin, repo_path, Workspace};

/// A content repository in a temporary folder, driven with the git CLI.
struct ContentRepo {
    dir: tempfile::TempDir,
}

const CEASEFIRE: &str = "---
title: What we know about the ceasefire
updated: 2025-03-01T10:00:00Z
---

# What we know about the ceasefire

The ceasefire began on 3 March after talks in Geneva.

## Who is affected?

Officials said 30,000 people had been displaced by the fighting. Aid groups expect the number to rise.

## What happens next?

Negotiators will meet again next week.
";

const TALKS: &str = "+++
title = \"How the peace talks work\"
updated = 2025-03-01T09:00:00Z
+++

Delegations from both sides meet in Geneva. The talks are chaired by the UN envoy. Mr Lavrov said the talks were useful.

## What has been agreed?

So far the sides have agreed on a prisoner exhange. They have held 3 rounds of talks.
";

const OLD_GUIDE: &str = "# An old guide

This guide is out of date and will be withdrawn.
";

const AID: &str = "# Where the aid money goes

Donors have pledged money for shelter and food.
";

const PRICES: &str = "---
title: Why food prices are rising
updated: 2025-03-05T08:00:00Z
---

Food prices rose by 12% in February, the statistics office said.
";

impl ContentRepo {
    /// `main` with four explainers and a note that is not one, then branches off it.
    fn new() -> ContentRepo {
        let repo = ContentRepo {
            dir: tempfile::tempdir().unwrap(),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.write(
            "redline.toml",
            "[content]\npaths = [\"explainers/**/*.md\"]\n\n[policy]\nupdated_unchanged = \"error\"\n",
        );
        repo.write("explainers/ceasefire.md", CEASEFIRE);
        repo.write("explainers/talks.md", TALKS);
        repo.write("explainers/old-guide.md", OLD_GUIDE);
        repo.write("explainers/aid.md", AID);
        repo.write("notes/ideas.md", "Ideas for later.\n");
        repo.commit("Explainers as published");
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path().join(name)).unwrap()
    }

    fn edit(&self, name: &str, from: &str, to: &str) {
        let text = self.read(name);
        assert!(text.contains(from), "{name} has no {from:?}");
        self.write(name, &text.replacen(from, to, 1));
    }

    fn git(&self, args: &[&str]) -> String {
        let out = Process::new("git")
            .current_dir(self.path())
            .env("GIT_AUTHOR_NAME", "Editor")
            .env("GIT_AUTHOR_EMAIL", "editor@example.org")
            .env("GIT_COMMITTER_NAME", "Editor")
            .env("GIT_COMMITTER_EMAIL", "editor@example.org")
            .env("GIT_AUTHOR_DATE", "2025-03-06T12:00:00Z")
            .env("GIT_COMMITTER_DATE", "2025-03-06T12:00:00Z")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.path())
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    /// A new branch off `main`, checked out.
    fn branch(&self, name: &str) {
        self.git(&["checkout", "-q", "-b", name, "main"]);
    }

    fn short(&self, rev: &str) -> String {
        self.git(&["rev-parse", "--short=7", rev])
            .trim()
            .to_string()
    }

    /// The pull request of the report tests: adds, deletes, renames, changes
    /// numbers (with a mention, a reference and raw HTML), fixes a typo.
    fn update_branch(&self) {
        self.branch("update");
        self.write("explainers/prices.md", PRICES);
        self.git(&["rm", "-q", "explainers/old-guide.md"]);
        self.git(&["mv", "explainers/aid.md", "explainers/aid-funding.md"]);
        self.edit("explainers/ceasefire.md", "30,000", "35,000");
        self.edit(
            "explainers/ceasefire.md",
            "Negotiators will meet again next week.",
            "Negotiators will meet again next week. Questions go to @press-office, see issue #12 <script>alert(1)</script>.",
        );
        self.edit("explainers/talks.md", "exhange", "exchange");
        self.edit("notes/ideas.md", "later", "much later");
        self.commit("Update the explainers");
    }

    fn redline(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(bin());
        cmd.current_dir(self.path())
            .env("NO_COLOR", "1")
            .env_remove("REDLINE_STORE")
            .args(args);
        cmd
    }

    /// stdout of a run that exits with `code`.
    fn run(&self, args: &[&str], code: i32) -> String {
        let out = self.redline(args).assert().code(code);
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }
}

/// 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    1 + text
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?}"))
}

#[test]
fn markdown_report_of_a_pull_request() {
    let repo = ContentRepo::new();
    repo.update_branch();
    let markdown = repo.run(&["report", "--base", "main", "--format", "markdown"], 0);
    assert!(
        markdown.starts_with("<!-- redline-report -->\n"),
        "{markdown}"
    );
    // Commit ids differ between git versions' defaults only through time and
    // author, both fixed here; they are still replaced so the golden reads well.
    let golden = markdown
        .replace(&repo.short("main"), "<base>")
        .replace(&repo.short("update"), "<head>");
    insta::assert_snapshot!("report_markdown", golden);

    // Display names are repository paths, never temporary files.
    assert!(!markdown.contains("/tmp"), "{markdown}");
    assert!(
        !markdown.contains("notes/ideas.md"),
        "not an explainer: {markdown}"
    );
    // Mentions and references are neutralised, raw HTML escaped.
    assert!(!markdown.contains("@press-office"), "{markdown}");
    assert!(markdown.contains("@\u{2060}press-office"), "{markdown}");
    assert!(!markdown.contains("#12"), "{markdown}");
    assert!(!markdown.contains("<script>"), "{markdown}");
}

#[test]
fn markdown_report_structure_read_by_a_gfm_renderer() {
    let repo = ContentRepo::new();
    repo.update_branch();
    let markdown = repo.run(&["report", "--base", "main", "--format", "markdown"], 0);
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    // Raw HTML rendered as is: anything from the content that were HTML would show.
    options.render.r#unsafe = true;
    let html = comrak::markdown_to_html(&markdown, &options);
    assert_eq!(html.matches("<table>").count(), 1, "{html}");
    // One row per explainer file: renamed, changed, added, deleted, changed.
    assert_eq!(html.matches("<tr>").count(), 1 + 5, "{html}");
    // A full diff per file whose text changed: ceasefire and talks.
    assert_eq!(html.matches("<details>").count(), 2, "{html}");
    assert_eq!(html.matches("</details>").count(), 2, "{html}");
    assert!(!html.contains("<script"), "{html}");
    // Every tag in the page is one the templates write.
    let allowed = [
        "!--",
        "h2",
        "h3",
        "h4",
        "p",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "details",
        "summary",
        "ul",
        "ol",
        "li",
        "blockquote",
        "strong",
        "em",
        "ins",
        "del",
        "hr",
        "code",
    ];
    for tag in html.split('<').skip(1) {
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!' || *c == '-')
            .collect();
        assert!(
            allowed.contains(&name.as_str()),
            "unexpected <{name}> in {html}"
        );
    }
    // The mention is text to GitHub: the sigil is not followed by the name.
    assert!(!html.contains("@press-office"), "{html}");
}

#[test]
fn json_report_fields() {
    let repo = ContentRepo::new();
    repo.update_branch();
    let text = repo.run(&["report", "--base", "main", "--format", "json"], 0);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["schema"], 1);
    assert_eq!(json["source"], "git");
    assert_eq!(json["base"]["name"], "main");
    assert_eq!(
        json["merge_base"],
        repo.git(&["merge-base", "main", "update"]).trim()
    );
    let files = json["files"].as_array().unwrap();
    let summary: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("explainers/aid-funding.md".into(), "renamed".into()),
            ("explainers/ceasefire.md".into(), "changed".into()),
            ("explainers/old-guide.md".into(), "deleted".into()),
            ("explainers/prices.md".into(), "added".into()),
            ("explainers/talks.md".into(), "changed".into()),
        ]
    );
    let renamed = &files[0];
    assert_eq!(renamed["old_path"], "explainers/aid.md");
    assert_eq!(renamed["substantive"], 0);
    let ceasefire = &files[1];
    assert_eq!(ceasefire["title"], "What we know about the ceasefire");
    let number = ceasefire["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["tags"].as_array().unwrap().contains(&"number".into()))
        .expect("a number change");
    assert_eq!(number["significance"], "substantive");
    assert_eq!(
        number["line"],
        line_of(&repo.read("explainers/ceasefire.md"), "35,000")
    );
    assert_eq!(number["old_line"], line_of(CEASEFIRE, "30,000"));
    let talks = &files[4];
    assert_eq!(talks["substantive"], 0);
    assert_eq!(talks["cosmetic"], 1);
    assert_eq!(talks["changes"][0]["significance"], "cosmetic");
    assert!(files[3]["substantive"].is_null());
}

#[test]
fn github_annotations_point_at_the_changed_lines() {
    let repo = ContentRepo::new();
    repo.update_branch();
    let text = repo.run(&["report", "--base", "main", "--format", "github"], 0);
    let ceasefire = repo.read("explainers/ceasefire.md");
    let number_line = line_of(&ceasefire, "35,000");
    let expected = format!(
        "::notice file=explainers/ceasefire.md,line={number_line},title=redline%3A edited%3A "
    );
    assert!(
        text.lines().any(|l| l.starts_with(&expected)
            && l.contains("35%2C000")
            && l.ends_with("Officials said 35,000 people had been displaced by the fighting.")),
        "{text}"
    );
    let added_line = line_of(&ceasefire, "@press-office");
    assert!(
        text.contains(&format!(
            "::notice file=explainers/ceasefire.md,line={added_line},"
        )),
        "{text}"
    );
    assert!(text.contains("::notice file=explainers/prices.md,line=1,title=New explainer::Why food prices are rising\n"), "{text}");
    assert!(
        text.contains(
            "::warning file=explainers/old-guide.md,title=Explainer removed::An old guide\n"
        ),
        "{text}"
    );
    assert!(text.contains("::notice file=explainers/aid-funding.md,line=1,title=Explainer renamed::from explainers/aid.md\n"), "{text}");
    // The typo fix is not annotated; every line is one workflow command.
    assert!(!text.contains("talks.md"), "{text}");
    assert!(text.lines().all(|l| l.starts_with("::")), "{text}");
}

#[test]
fn markdown_is_capped_with_a_note_and_the_full_report_written_aside() {
    let repo = ContentRepo::new();
    repo.update_branch();
    let full = repo.run(&["report", "--base", "main", "--format", "markdown"], 0);
    let limit = 1500;
    assert!(full.chars().count() > limit);
    let capped = repo.run(
        &[
            "report",
            "--base",
            "main",
            "--format",
            "markdown",
            "--limit",
            "1500",
            "--full-out",
            "full-report.md",
        ],
        0,
    );
    assert!(
        capped.chars().count() <= limit,
        "{} chars",
        capped.chars().count()
    );
    assert!(capped.starts_with("<!-- redline-report -->\n"));
    assert!(
        capped.contains("This comment is cut to 1500 characters"),
        "{capped}"
    );
    // The table still lists every file.
    for path in [
        "aid-funding.md",
        "ceasefire.md",
        "old-guide.md",
        "prices.md",
        "talks.md",
    ] {
        assert!(capped.contains(path), "{path} missing: {capped}");
    }
    assert_eq!(repo.read("full-report.md"), full);
    // The default cap keeps a long report under GitHub's limit too.
    let mut body = String::from("---\ntitle: Long\n---\n\n");
    for i in 0..600 {
        body.push_str(&format!(
            "Paragraph {i} says {} people were counted.\n\n",
            i * 7
        ));
    }
    repo.write("explainers/long.md", &body);
    repo.commit("Add a long explainer");
    let mut edited = String::from("---\ntitle: Long\n---\n\n");
    for i in 0..600 {
        edited.push_str(&format!(
            "Paragraph {i} says {} residents were counted.\n\n",
            i * 7 + 1
        ));
    }
    repo.write("explainers/long.md", &edited);
    repo.commit("Recount");
    let capped = repo.run(&["report", "--base", "HEAD~1", "--format", "markdown"], 0);
    assert!(
        capped.chars().count() <= 60_000,
        "{}",
        capped.chars().count()
    );
    assert!(capped.contains("This comment is cut to 60000 characters"));
}

#[test]
fn check_passes_a_typo_fix() {
    let repo = ContentRepo::new();
    repo.branch("typo");
    repo.edit("explainers/talks.md", "exhange", "exchange");
    repo.commit("Fix a typo");
    let out = repo.run(&["check", "--base", "main"], 0);
    assert_eq!(
        out,
        "redline check: 1 explainer file, 0 errors, 0 warnings: passed\n"
    );
}

/// A branch changing the number of rounds in the TOML explainer, with `updated`
/// and the front matter's change table as given.
fn number_branch(
    repo: &ContentRepo,
    name: &str,
    updated: Option<&str>,
    change: &str,
    message: &str,
) {
    repo.branch(name);
    repo.edit("explainers/talks.md", "held 3 rounds", "held 4 rounds");
    if let Some(updated) = updated {
        repo.edit("explainers/talks.md", "2025-03-01T09:00:00Z", updated);
    }
    repo.edit(
        "explainers/talks.md",
        "+++\n\n",
        &format!("{change}+++\n\n"),
    );
    repo.commit(message);
}

#[test]
fn check_fails_a_substantive_change_without_a_note() {
    let repo = ContentRepo::new();
    number_branch(
        &repo,
        "unnoted",
        Some("2025-03-06T12:00:00Z"),
        "",
        "More rounds",
    );
    let line = line_of(&repo.read("explainers/talks.md"), "held 4 rounds");
    let out = repo.run(&["check", "--base", "main"], 1);
    let expected = format!("explainers/talks.md:{line}: error: substantive change (number changed: 3 → 4) without a change note");
    assert!(out.starts_with(&expected), "{out}");
    assert!(
        out.ends_with(
            "[change_note]\nredline check: 1 explainer file, 1 error, 0 warnings: failed\n"
        ),
        "{out}"
    );

    let github = repo.run(&["check", "--base", "main", "--format", "github"], 1);
    assert!(
        github.starts_with(&format!("::error file=explainers/talks.md,line={line},title=redline check%3A change_note::substantive change")),
        "{github}"
    );

    // A Redline-Note trailer in a commit of the range is a note.
    repo.edit("explainers/talks.md", "chaired", "led");
    repo.commit("Reword\n\nRedline-Note: Corrected the number of rounds held");
    let out = repo.run(&["check", "--base", "main"], 0);
    assert!(out.ends_with("0 errors, 0 warnings: passed\n"), "{out}");
}

#[test]
fn a_note_left_from_an_earlier_update_is_no_note() {
    let repo = ContentRepo::new();
    repo.edit(
        "explainers/talks.md",
        "+++\n\n",
        "\n[change]\nnote = \"First published\"\n+++\n\n",
    );
    repo.commit("Note the first publication");
    number_branch(
        &repo,
        "stale-note",
        Some("2025-03-06T12:00:00Z"),
        "",
        "More rounds",
    );
    let out = repo.run(&["check", "--base", "main"], 1);
    assert!(out.contains("without a change note"), "{out}");
    repo.edit(
        "explainers/talks.md",
        "First published",
        "A fourth round was held",
    );
    repo.commit("Say why");
    let out = repo.run(&["check", "--base", "main", "--format", "json"], 0);
    assert_eq!(out, "[]\n");
    let report = repo.run(&["report", "--base", "main", "--format", "json"], 0);
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["files"][0]["change_note"], "A fourth round was held");
    assert_eq!(report["files"][0]["marked_minor"], false);
}

#[test]
fn yaml_front_matter_gives_updated_and_the_change_note() {
    let repo = ContentRepo::new();
    repo.branch("yaml");
    repo.edit("explainers/ceasefire.md", "30,000", "35,000");
    repo.commit("More displaced");
    let out = repo.run(&["check", "--base", "main"], 1);
    let updated_line = line_of(CEASEFIRE, "updated:");
    assert!(out.contains("without a change note"), "{out}");
    assert!(
        out.contains(&format!("explainers/ceasefire.md:{updated_line}: error: substantive change, but `updated` did not move forward (2025-03-01T10:00:00+00:00 at base, 2025-03-01T10:00:00+00:00 now)")),
        "{out}"
    );
    repo.edit(
        "explainers/ceasefire.md",
        "updated: 2025-03-01T10:00:00Z\n",
        "updated: 2025-03-06T12:00:00Z\nchange_note: The displacement figure rose to 35,000\n",
    );
    repo.commit("Note it");
    let out = repo.run(&["check", "--base", "main"], 0);
    assert!(out.ends_with("0 errors, 0 warnings: passed\n"), "{out}");
    // The change table form works in YAML too, and marks a change minor.
    repo.edit(
        "explainers/ceasefire.md",
        "change_note: The displacement figure rose to 35,000\n",
        "change:\n  kind: minor\n  note: Figures\n",
    );
    repo.commit("Call it minor");
    let out = repo.run(&["check", "--base", "main"], 1);
    assert!(
        out.contains("[minor_is_minor]") && !out.contains("[change_note]"),
        "{out}"
    );
}

#[test]
fn check_fails_a_minor_flag_over_a_changed_number() {
    let repo = ContentRepo::new();
    number_branch(
        &repo,
        "minor",
        Some("2025-03-06T12:00:00Z"),
        "\n[change]\nkind = \"minor\"\nnote = \"Tidied up\"\n",
        "Tidy",
    );
    let line = line_of(&repo.read("explainers/talks.md"), "held 4 rounds");
    let out = repo.run(&["check", "--base", "main"], 1);
    assert_eq!(
        out,
        format!("explainers/talks.md:{line}: error: marked minor, but this change is substantive (number changed: 3 → 4): a changed number, date, name, quote, attribution or negation is never minor [minor_is_minor]\nredline check: 1 explainer file, 1 error, 0 warnings: failed\n")
    );
}

#[test]
fn check_fails_a_stale_updated_and_a_moved_one() {
    let repo = ContentRepo::new();
    number_branch(
        &repo,
        "stale",
        None,
        "",
        "More rounds\n\nRedline-Note: Four rounds now",
    );
    let out = repo.run(&["check", "--base", "main"], 1);
    let updated_line = line_of(&repo.read("explainers/talks.md"), "updated =");
    assert_eq!(
        out,
        format!("explainers/talks.md:{updated_line}: error: substantive change, but `updated` did not move forward (2025-03-01T09:00:00+00:00 at base, 2025-03-01T09:00:00+00:00 now) [updated_forward]\nredline check: 1 explainer file, 1 error, 0 warnings: failed\n")
    );

    // Moving `updated` for a typo fix breaks `updated_unchanged` (an error in this repo's policy).
    repo.branch("bumped");
    repo.edit("explainers/talks.md", "exhange", "exchange");
    repo.edit(
        "explainers/talks.md",
        "2025-03-01T09:00:00Z",
        "2025-03-06T12:00:00Z",
    );
    repo.commit("Typo");
    let out = repo.run(&["check", "--base", "main"], 1);
    assert!(out.contains(":3: error: `updated` moved"), "{out}");
}

#[test]
fn removing_an_attributed_claim_wants_the_note_to_name_the_speaker() {
    let repo = ContentRepo::new();
    repo.branch("claim");
    repo.edit(
        "explainers/talks.md",
        " Mr Lavrov said the talks were useful.",
        "",
    );
    repo.edit(
        "explainers/talks.md",
        "2025-03-01T09:00:00Z",
        "2025-03-06T12:00:00Z",
    );
    repo.commit("Trim\n\nRedline-Note: Shortened the introduction");
    let line = line_of(&repo.read("explainers/talks.md"), "Delegations");
    let out = repo.run(&["check", "--base", "main"], 0);
    assert_eq!(
        out,
        format!("explainers/talks.md:{line}: warning: an attributed claim was removed (“Mr Lavrov said the talks were useful.”): the change note should say so and name Mr Lavrov [removed_claim_noted]\nredline check: 1 explainer file, 0 errors, 1 warning: passed\n")
    );
    repo.edit("explainers/talks.md", "chaired", "led");
    repo.commit("Reword\n\nRedline-Note: Removed Lavrov's remark, which he retracted");
    let out = repo.run(&["check", "--base", "main"], 0);
    assert!(out.ends_with("0 errors, 0 warnings: passed\n"), "{out}");
}

#[test]
fn policy_comes_from_the_base_and_unknown_keys_are_refused() {
    let repo = ContentRepo::new();
    number_branch(
        &repo,
        "loosen",
        Some("2025-03-06T12:00:00Z"),
        "",
        "More rounds",
    );
    // The pull request itself turning the rule off does not count: the base's policy applies.
    repo.write(
        "redline.toml",
        "[content]\npaths = [\"explainers/**/*.md\"]\n[policy]\nchange_note = \"off\"\n",
    );
    repo.commit("Loosen the policy");
    repo.run(&["check", "--base", "main"], 1);
    // An explicit --rules file is used as given.
    repo.write("relaxed.toml", "[policy]\nchange_note = \"warn\"\n");
    let out = repo.run(&["--rules", "relaxed.toml", "check", "--base", "main"], 0);
    assert!(out.contains(": warning: substantive change"), "{out}");
    repo.write("typo.toml", "[policy]\nchange_notes = \"warn\"\n");
    let err = repo
        .redline(&["--rules", "typo.toml", "check", "--base", "main"])
        .assert()
        .code(2);
    let stderr = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("typo.toml: [policy]: unknown field `change_notes`"),
        "{stderr}"
    );
}

#[test]
fn paths_limit_the_report_and_a_bare_repository_works() {
    let repo = ContentRepo::new();
    repo.update_branch();
    let json = repo.run(
        &[
            "report",
            "--base",
            "main",
            "--format",
            "json",
            "explainers/talks.md",
        ],
        0,
    );
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["files"].as_array().unwrap().len(), 1);

    let bare = tempfile::tempdir().unwrap();
    let bare_path = bare.path().join("content.git");
    repo.git(&["clone", "-q", "--bare", ".", bare_path.to_str().unwrap()]);
    let out = repo.run(
        &[
            "report",
            "--repo",
            bare_path.to_str().unwrap(),
            "--base",
            "main",
            "--head",
            "update",
        ],
        0,
    );
    assert!(out.contains("explainers/ceasefire.md"), "{out}");
    let err = repo
        .redline(&["report", "--base", "no-such-branch"])
        .assert()
        .code(2);
    let stderr = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("\"no-such-branch\" names no commit"),
        "{stderr}"
    );
}

#[test]
fn a_bad_explainer_is_named_with_its_commit_and_an_empty_range_passes() {
    let repo = ContentRepo::new();
    repo.branch("empty");
    let out = repo.run(&["report", "--base", "main"], 0);
    assert!(out.contains("No explainer files changed."), "{out}");
    let out = repo.run(&["check", "--base", "main"], 0);
    assert_eq!(
        out,
        "redline check: 0 explainer files, 0 errors, 0 warnings: passed\n"
    );

    repo.branch("broken");
    repo.edit("explainers/talks.md", "title = ", "title = = ");
    repo.commit("Break the front matter");
    let err = repo.redline(&["report", "--base", "main"]).assert().code(2);
    let stderr = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    let expected = format!(
        "redline: error: explainers/talks.md (at {}): front matter line 2: ",
        repo.short("broken")
    );
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(err.get_output().stdout.is_empty());
}

#[test]
fn store_range_reports_like_a_pull_request() {
    let ws = Workspace::new();
    let v1 = ws.write("v1.md", TALKS);
    ws.commit("talks", &v1, &["--note", "First"])
        .assert()
        .success();
    let v2 = TALKS
        .replace("held 3 rounds", "held 4 rounds")
        .replace("2025-03-01T09", "2025-03-02T09");
    let v2 = ws.write("v2.md", v2);
    ws.commit("talks", &v2, &["--note", "Fourth round"])
        .assert()
        .success();
    let json = ws.json(&["report", "--format", "json", "talks", "v1", "v2"]);
    assert_eq!(json["source"], "store");
    assert_eq!(json["notes"], serde_json::json!(["Fourth round"]));
    assert_eq!(json["files"][0]["path"], "explainers/talks.md");
    assert_eq!(json["files"][0]["substantive"], 1);
    ws.redline(&["check", "talks", "v1", "v2"])
        .assert()
        .success();
}

#[test]
fn example_github_workflow_has_what_actions_needs() {
    let text = std::fs::read_to_string(repo_path("examples/ci/github/redline.yml")).unwrap();
    let yaml: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    let paths = &yaml["on"]["pull_request"]["paths"];
    assert!(
        paths.as_sequence().is_some_and(|p| !p.is_empty()),
        "{paths:?}"
    );
    let jobs = yaml["jobs"].as_mapping().expect("jobs");
    assert!(!jobs.is_empty());
    for (name, job) in jobs {
        assert!(job["runs-on"].as_str().is_some(), "{name:?} has no runs-on");
        let steps = job["steps"].as_sequence().expect("steps");
        assert!(steps
            .iter()
            .all(|s| s["uses"].is_string() || s["run"].is_string()));
    }
    assert!(text.contains("fetch-depth: 0"));
    assert!(text.contains("redline report"));
    assert!(text.contains("redline check"));
    let gitlab = std::fs::read_to_string(repo_path("examples/ci/gitlab/.gitlab-ci.yml")).unwrap();
    let gitlab: serde_norway::Value = serde_norway::from_str(&gitlab).unwrap();
    assert!(gitlab
        .as_mapping()
        .unwrap()
        .values()
        .any(|job| job["script"].is_sequence()));
}
