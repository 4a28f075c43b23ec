//! End-to-end: the real `redline` binary on Markdown as content repositories write
//! it (YAML front matter, stubs, tables, code) and on added or deleted files.
//! Fixtures are synthetic unless they say where they were cut from.

use crate::support::Workspace;

/// Cut from ../shared/corpus/jekyll-permalinks/0030_*.md (front matter and first
/// paragraph), with a synthetic Hugo-style `lastmod` added.
const JEKYLL_PAGE: &str = "---\ntitle: Permalinks\npermalink: /docs/permalinks/\nlastmod: 2018-05-14 12:00:00 -0500\n---\n\nPermalinks refer to the URLs (excluding the domain name or directory folder) for your pages, posts, or collections.\n";

#[test]
fn yaml_front_matter_is_metadata_in_the_stored_form() {
    let ws = Workspace::new();
    let page = ws.write("permalinks.md", JEKYLL_PAGE);
    let stored = ws.stdout(&["ingest", page.to_str().unwrap()]);
    assert_eq!(
        stored,
        "+++\ntitle = \"Permalinks\"\nupdated = 2018-05-14T12:00:00-05:00\n[extra]\n\"permalink\" = \"/docs/permalinks/\"\n+++\nPermalinks refer to the URLs (excluding the domain name or directory folder) for your pages, posts, or collections.\n"
    );
    // Committed and read back: the body holds no front matter.
    ws.commit("permalinks", &page, &["--note", "first"])
        .env("REDLINE_EDITOR", "Test Editor")
        .assert()
        .success();
    let body = ws.stdout(&["show", "permalinks", "--body"]);
    assert!(body.starts_with("Permalinks refer"), "{body}");
}

#[test]
fn malformed_yaml_is_one_line_naming_file_and_line() {
    let ws = Workspace::new();
    let bad = ws.write(
        "bad.md",
        "---\ntitle: ok\ndescription: \"never closed\nlayout: x\n---\n\nText.\n",
    );
    let out = ws
        .redline(&["ingest", bad.to_str().unwrap()])
        .assert()
        .failure()
        .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("bad.md: front matter line "), "{err}");
}

#[test]
fn a_stub_is_a_version_and_diff_files_takes_dev_null() {
    let ws = Workspace::new();
    let stub = ws.write("stub.md", "# Only a title\n");
    let stored = ws.stdout(&["ingest", stub.to_str().unwrap()]);
    assert_eq!(stored, "+++\ntitle = \"Only a title\"\n+++\n");
    let page = ws.write(
        "page.md",
        "# Only a title\n\nFirst sentence. Second sentence.\n\n| Name | Value |\n|---|---|\n| Daily values | numerator |\n",
    );
    // A stub against its first real text: everything added.
    let json = ws.diff_files_json(&stub, &page);
    let kinds: Vec<&str> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["added"; 4], "{json}");
    // /dev/null (added file) and a missing file (deleted file).
    let added = ws.diff_files_json(std::path::Path::new("/dev/null"), &page);
    assert!(added["changes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["kind"] == "added"));
    let gone = ws.dir.path().join("gone.md");
    let removed = ws.diff_files_json(&page, &gone);
    let changes = removed["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 4);
    assert!(changes.iter().all(|c| c["kind"] == "removed"));
    assert_eq!(changes[3]["reason"], "row 'Daily values' removed");
}

#[test]
fn diff_files_reports_table_cells_and_cosmetic_code() {
    let ws = Workspace::new();
    let old = ws.write(
        "old.md",
        "# Data\n\nThe table below lists values.\n\n| Measure | Basis |\n|---|---|\n| Daily values | numerator |\n\n```js\nconst cap = 5000;\n```\n",
    );
    let new = ws.write(
        "new.md",
        "# Data\n\nThe table below lists values.\n\n| Measure | Basis |\n|---|---|\n| Daily values | denominator |\n\n```js\nconst cap = 500;\n```\n",
    );
    let json = ws.diff_files_json(&old, &new);
    let changes = json["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "{json}");
    assert_eq!(
        changes[0]["reason"],
        "row 'Daily values': 'numerator' → 'denominator'"
    );
    assert_eq!(changes[1]["reason"], "code changed");
    assert_eq!(changes[1]["significance"], "cosmetic");
    assert_eq!(changes[1]["tags"].as_array().unwrap().len(), 0);
}
