//! Integration tests: the git store, against real temporary bare repositories,
//! checked both through the library and with the plain `git` CLI.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::thread;

use chrono::{DateTime, Duration, FixedOffset};
use redline::ingest::{parse_stored_parts, stored_text};
use redline::model::{Document, DocumentMeta, UpdateKind, Version, VersionRef};
use redline::slug::Slug;
use redline::store::{CommitOutcome, Store, UpdateRequest};
use redline::Error;

fn slug(s: &str) -> Slug {
    Slug::new(s).unwrap()
}

fn when(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

/// A document built without an outline (the store stores text; outlines are not its business).
fn doc(title: &str, body: &str) -> Document {
    Document {
        meta: DocumentMeta {
            title: title.into(),
            updated: None,
            publisher: Some("Full Fact".into()),
            source_url: None,
            extra: Default::default(),
        },
        body: body.into(),
        sections: vec![],
    }
}

fn request(
    editor: &str,
    updated: &str,
    note: &str,
    kind: UpdateKind,
    expect: Option<VersionRef>,
) -> UpdateRequest {
    UpdateRequest {
        editor: editor.into(),
        updated: when(updated),
        note: note.into(),
        kind,
        expect,
    }
}

fn committed(outcome: CommitOutcome) -> Version {
    match outcome {
        CommitOutcome::Committed(v) => v,
        other => panic!("expected a new version, got {other:?}"),
    }
}

/// Run `git --git-dir=STORE args…`, returning stdout; panics with stderr on failure.
fn git(store: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> String {
    use std::io::Write;
    let mut cmd = Command::new("git");
    cmd.arg(format!("--git-dir={}", store.display()))
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("git runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn main_ref(store: &Path) -> String {
    git(store, &["rev-parse", "refs/heads/main"], &[], None)
        .trim()
        .to_string()
}

fn fsck(store: &Path) {
    git(store, &["fsck", "--strict", "--no-dangling"], &[], None);
}

/// A store with four versions of one explainer at known times.
fn four_versions(dir: &Path) -> (Store, Slug, Vec<Version>) {
    let store = Store::init(&dir.join("store.git")).unwrap();
    let s = slug("fullfact-ukraine-peace-talks");
    let times = [
        "2025-02-19T09:00:00Z",
        "2025-02-25T14:30:00+01:00",
        "2025-03-01T08:00:00Z",
        "2025-03-04T16:00:00-05:00",
    ];
    let mut versions = vec![];
    for (i, t) in times.iter().enumerate() {
        let body = format!("Paragraph {i}.\n");
        let kind = if i == 2 {
            UpdateKind::Minor
        } else {
            UpdateKind::Major
        };
        let v = committed(
            store
                .commit(
                    &s,
                    &doc("Peace talks", &body),
                    &request("Jane Doe", t, &format!("Update {i}"), kind, None),
                )
                .unwrap(),
        );
        versions.push(v);
    }
    (store, s, versions)
}

#[test]
fn init_refuses_occupied_paths_and_open_refuses_non_stores() {
    let dir = tempfile::tempdir().unwrap();
    // Non-empty directory and plain file: refused, left as they were.
    let occupied = dir.path().join("occupied");
    std::fs::create_dir(&occupied).unwrap();
    std::fs::write(occupied.join("notes.txt"), "keep me").unwrap();
    let err = Store::init(&occupied).err().expect("refused");
    assert!(err.to_string().contains("not an empty directory"), "{err}");
    assert_eq!(std::fs::read_dir(&occupied).unwrap().count(), 1);
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    assert!(Store::init(&file).is_err());

    // Empty directory and missing path: fine; HEAD points at main.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    Store::init(&empty).unwrap();
    let fresh = dir.path().join("a/b/store.git");
    let store = Store::init(&fresh).unwrap();
    assert_eq!(store.path(), fresh.as_path());
    assert_eq!(
        git(&fresh, &["symbolic-ref", "HEAD"], &[], None).trim(),
        "refs/heads/main"
    );
    assert_eq!(
        git(&fresh, &["rev-parse", "--is-bare-repository"], &[], None).trim(),
        "true"
    );
    // Initialising twice is refused.
    assert!(Store::init(&fresh).is_err());

    // An empty store opens and lists nothing.
    let store = Store::open(&fresh).unwrap();
    assert!(store.explainers().unwrap().is_empty());
    assert!(store.histories().unwrap().is_empty());
    assert!(matches!(store.history(&slug("x")), Err(Error::UnknownExplainer(s)) if s == "x"));

    // Missing path, plain directory, a file, a folder inside a store: MissingStore naming the path.
    for bad in [
        dir.path().join("nowhere"),
        occupied.clone(),
        file.clone(),
        fresh.join("refs"),
    ] {
        match Store::open(&bad) {
            Err(Error::MissingStore(p)) => assert_eq!(p, bad),
            Err(other) => panic!("{}: {other}", bad.display()),
            Ok(_) => panic!("{} opened", bad.display()),
        }
    }
}

#[test]
fn commit_round_trips_text_and_facts() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("store.git")).unwrap();
    let s = slug("fullfact-ukraine-peace-talks");
    let mut document = doc(
        "A guide to peace talks",
        "# Heading\n\nUK denies truce claim.\n",
    );
    document.meta.updated = Some(when("2025-03-04T16:05:00-05:00"));
    let req = request(
        "Jane Doe",
        "2025-03-04T16:05:00-05:00",
        "UK denies truce claim\n\nFigures updated.",
        UpdateKind::Minor,
        None,
    );
    let v = committed(store.commit(&s, &document, &req).unwrap());
    assert_eq!(v.number, 1);
    assert_eq!(v.editor, "Jane Doe");
    assert_eq!(v.updated, when("2025-03-04T16:05:00-05:00"));
    assert_eq!(v.updated.offset().local_minus_utc(), -5 * 3600);
    assert_eq!(v.kind, UpdateKind::Minor);
    assert_eq!(v.note, "UK denies truce claim\n\nFigures updated.");
    assert_eq!(v.id.len(), 40);

    // Read back through a second handle: the exact stored text and the same facts.
    let reopened = Store::open(store.path()).unwrap();
    let text = reopened.text(&s, &v).unwrap();
    assert_eq!(text, stored_text(&document));
    let (meta, body) = parse_stored_parts(Path::new("x.md"), &text).unwrap();
    assert_eq!(meta, document.meta);
    assert_eq!(body, document.body);
    assert_eq!(reopened.history(&s).unwrap(), vec![v.clone()]);
    assert_eq!(reopened.resolve(&s, &VersionRef::Latest).unwrap(), v);

    let list = reopened.explainers().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].slug, s);
    assert_eq!(list[0].title, "A guide to peace talks");
    assert_eq!(list[0].versions, 1);
    assert_eq!(list[0].latest, v);

    // The file sits at explainers/<slug>.md in the commit any git client sees.
    let shown = git(
        store.path(),
        &["show", &format!("main:{}", s.store_path())],
        &[],
        None,
    );
    assert_eq!(shown, text);
    fsck(store.path());
}

#[test]
fn histories_list_every_explainer_in_one_walk() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("store.git")).unwrap();
    let slugs = [slug("bravo"), slug("alpha"), slug("charlie")];
    let base = when("2025-01-01T00:00:00Z");
    for round in 0..3 {
        for (i, s) in slugs.iter().enumerate() {
            // charlie only gets one version; the others three.
            if i == 2 && round > 0 {
                continue;
            }
            let t = (base + Duration::hours(round * 10 + i as i64)).to_rfc3339();
            store
                .commit(
                    s,
                    &doc(&format!("Title {s} {round}"), &format!("{s} {round}\n")),
                    &request("Ann", &t, "n", UpdateKind::Major, None),
                )
                .unwrap();
        }
    }
    let all = store.histories().unwrap();
    assert_eq!(
        all.keys().map(Slug::as_str).collect::<Vec<_>>(),
        ["alpha", "bravo", "charlie"]
    );
    for s in &slugs {
        assert_eq!(all[s], store.history(s).unwrap(), "{s}");
    }
    assert_eq!(all[&slugs[0]].len(), 3);
    assert_eq!(all[&slugs[2]].len(), 1);
    let list = store.explainers().unwrap();
    let summary: Vec<(String, String, usize)> = list
        .iter()
        .map(|e| (e.slug.to_string(), e.title.clone(), e.versions))
        .collect();
    assert_eq!(
        summary,
        [
            ("alpha".to_string(), "Title alpha 2".to_string(), 3),
            ("bravo".to_string(), "Title bravo 2".to_string(), 3),
            ("charlie".to_string(), "Title charlie 0".to_string(), 1),
        ]
    );
    // One commit per update, nothing else.
    let count = git(store.path(), &["rev-list", "--count", "main"], &[], None);
    assert_eq!(count.trim(), "7");
}

#[test]
fn resolve_every_kind_of_reference() {
    let dir = tempfile::tempdir().unwrap();
    let (store, s, v) = four_versions(dir.path());
    assert_eq!(store.history(&s).unwrap(), v);
    assert_eq!(v.iter().map(|x| x.number).collect::<Vec<_>>(), [1, 2, 3, 4]);
    assert_eq!(v[2].kind, UpdateKind::Minor);
    assert_eq!(v[1].updated.offset().local_minus_utc(), 3600);

    assert_eq!(store.resolve(&s, &VersionRef::Latest).unwrap(), v[3]);
    assert_eq!(store.resolve(&s, &VersionRef::Number(2)).unwrap(), v[1]);
    let err = store.resolve(&s, &VersionRef::Number(9)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "fullfact-ukraine-peace-talks has 4 versions (v1–v4); there is no v9"
    );
    assert_eq!(err.exit_code(), 2);

    // Commit prefixes: short id, full id, upper case, no match.
    assert_eq!(
        store
            .resolve(&s, &VersionRef::Commit(v[2].short_id().into()))
            .unwrap(),
        v[2]
    );
    assert_eq!(
        store
            .resolve(&s, &VersionRef::Commit(v[0].id.clone()))
            .unwrap(),
        v[0]
    );
    assert_eq!(
        store
            .resolve(&s, &VersionRef::Commit(v[1].id[..8].to_uppercase()))
            .unwrap(),
        v[1]
    );
    let missing = if v.iter().any(|x| x.id.starts_with("0000")) {
        "ffff"
    } else {
        "0000"
    };
    let err = store
        .resolve(&s, &VersionRef::Commit(missing.into()))
        .unwrap_err();
    assert!(
        err.to_string().contains(missing) && err.to_string().contains(s.as_str()),
        "{err}"
    );

    // Dates: exactly at a version, between versions, the same instant in another offset, after all, before the first.
    let at = |t: &str| store.resolve(&s, &VersionRef::At(when(t)));
    assert_eq!(at("2025-02-19T09:00:00Z").unwrap(), v[0]);
    assert_eq!(at("2025-02-20T00:00:00Z").unwrap(), v[0]);
    assert_eq!(at("2025-02-25T13:30:00Z").unwrap(), v[1]); // = 14:30+01:00
    assert_eq!(at("2025-02-25T13:29:59Z").unwrap(), v[0]);
    assert_eq!(at("2025-03-02T00:00:00+09:00").unwrap(), v[2]);
    assert_eq!(at("2030-01-01T00:00:00Z").unwrap(), v[3]);
    let err = at("2025-02-01T00:00:00Z").unwrap_err();
    assert!(
        err.to_string().contains("2025-02-19T09:00:00+00:00"),
        "{err}"
    );
    assert!(err.to_string().contains("v1"), "{err}");

    // The same references through parsing, as the CLI sees them.
    let parsed: VersionRef = "2025-03-02".parse().unwrap();
    assert_eq!(store.resolve(&s, &parsed).unwrap(), v[2]);

    // Unknown explainer.
    let err = store
        .resolve(&slug("nope"), &VersionRef::Latest)
        .unwrap_err();
    assert!(
        matches!(err, Error::UnknownExplainer(ref x) if x == "nope"),
        "{err}"
    );
    assert!(store.history(&slug("nope")).is_err());
}

#[test]
fn ambiguous_commit_prefix_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("store.git")).unwrap();
    let s = slug("many");
    // 17 versions: two ids must share their first hex digit.
    for i in 0..17 {
        let t = format!("2025-01-{:02}T00:00:00Z", i + 1);
        store
            .commit(
                &s,
                &doc("M", &format!("{i}\n")),
                &request("Ann", &t, "n", UpdateKind::Major, None),
            )
            .unwrap();
    }
    let history = store.history(&s).unwrap();
    let mut by_first: HashMap<char, Vec<&Version>> = HashMap::new();
    for v in &history {
        by_first
            .entry(v.id.chars().next().unwrap())
            .or_default()
            .push(v);
    }
    let (digit, shared) = by_first.iter().find(|(_, vs)| vs.len() > 1).unwrap();
    let err = store
        .resolve(&s, &VersionRef::Commit(digit.to_string()))
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("ambiguous"), "{msg}");
    for v in shared {
        assert!(
            msg.contains(&format!("{} ({})", v.label(), v.short_id())),
            "{msg}"
        );
    }
}

#[test]
fn unchanged_content_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (store, s, v) = four_versions(dir.path());
    let before = main_ref(store.path());
    let same = store
        .commit(
            &s,
            &doc("Peace talks", "Paragraph 3.\n"),
            &request(
                "Bo",
                "2025-03-05T00:00:00Z",
                "no-op",
                UpdateKind::Major,
                Some(VersionRef::Latest),
            ),
        )
        .unwrap();
    assert_eq!(same, CommitOutcome::Unchanged(v[3].clone()));
    assert_eq!(main_ref(store.path()), before);
    // A changed title is a change.
    let changed = store
        .commit(
            &s,
            &doc("Peace talks, explained", "Paragraph 3.\n"),
            &request(
                "Bo",
                "2025-03-05T00:00:00Z",
                "title",
                UpdateKind::Minor,
                None,
            ),
        )
        .unwrap();
    assert_eq!(committed(changed).number, 5);
}

#[test]
fn stale_expect_is_a_conflict_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (store, s, v) = four_versions(dir.path());
    let before = main_ref(store.path());
    for stale in [
        VersionRef::Number(3),
        VersionRef::Commit(v[2].short_id().into()),
        VersionRef::At(v[2].updated),
    ] {
        let err = store
            .commit(
                &s,
                &doc("Peace talks", "An edit of v3.\n"),
                &request(
                    "Bo",
                    "2025-03-05T00:00:00Z",
                    "late",
                    UpdateKind::Major,
                    Some(stale.clone()),
                ),
            )
            .unwrap_err();
        match &err {
            Error::Conflict {
                slug,
                expected,
                newer,
            } => {
                assert_eq!(slug, s.as_str());
                assert_eq!(expected, &format!("v3 ({})", v[2].short_id()));
                assert_eq!(newer, &format!("v4 ({})", v[3].short_id()));
            }
            other => panic!("{stale}: {other}"),
        }
        assert_eq!(err.exit_code(), 3);
        assert!(err.to_string().contains("nothing was written"), "{err}");
        assert_eq!(main_ref(store.path()), before);
    }
    // Expecting a version that does not exist is a version error, not a write.
    let err = store
        .commit(
            &s,
            &doc("P", "x\n"),
            &request(
                "Bo",
                "2025-03-05T00:00:00Z",
                "n",
                UpdateKind::Major,
                Some(VersionRef::Number(7)),
            ),
        )
        .unwrap_err();
    assert!(matches!(err, Error::Version(_)), "{err}");
    // Expecting the newest succeeds.
    let ok = store
        .commit(
            &s,
            &doc("P", "x\n"),
            &request(
                "Bo",
                "2025-03-05T00:00:00Z",
                "n",
                UpdateKind::Major,
                Some(VersionRef::Number(4)),
            ),
        )
        .unwrap();
    assert_eq!(committed(ok).number, 5);
    // Another explainer's update does not make this one's expectation stale.
    let other = slug("other");
    store
        .commit(
            &other,
            &doc("O", "o\n"),
            &request("Cy", "2025-03-06T00:00:00Z", "o", UpdateKind::Major, None),
        )
        .unwrap();
    let ok = store
        .commit(
            &s,
            &doc("P", "y\n"),
            &request(
                "Bo",
                "2025-03-07T00:00:00Z",
                "n",
                UpdateKind::Major,
                Some(VersionRef::Number(5)),
            ),
        )
        .unwrap();
    assert_eq!(committed(ok).number, 6);
    fsck(store.path());
}

#[test]
fn bad_editor_names_are_refused_naming_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("store.git")).unwrap();
    for editor in ["", "  ", "Jane\nDoe", "Jane\u{0}"] {
        let err = store
            .commit(
                &slug("a"),
                &doc("A", "a\n"),
                &request(editor, "2025-03-01T00:00:00Z", "n", UpdateKind::Major, None),
            )
            .unwrap_err();
        assert!(err.to_string().contains("editor name"), "{editor:?}: {err}");
        assert_eq!(err.exit_code(), 2);
    }
    assert!(store.explainers().unwrap().is_empty());
}

#[test]
fn editor_names_git_cannot_hold_round_trip_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("store.git")).unwrap();
    let editor = "Ed <script>alert(1)</script>";
    let v = committed(
        store
            .commit(
                &slug("a"),
                &doc("A", "a\n"),
                &request(editor, "2025-03-01T00:00:00Z", "n", UpdateKind::Major, None),
            )
            .unwrap(),
    );
    assert_eq!(v.editor, editor);
    assert_eq!(
        Store::open(store.path())
            .unwrap()
            .history(&slug("a"))
            .unwrap()[0]
            .editor,
        editor
    );
    // git shows a look-alike author and the exact name in a trailer.
    let log = git(store.path(), &["log", "-1", "--format=%an%n%b"], &[], None);
    assert!(log.starts_with("Ed ‹script›alert(1)‹/script›\n"), "{log}");
    assert!(
        log.contains("Redline-Editor: Ed <script>alert(1)</script>"),
        "{log}"
    );
    fsck(store.path());
}

#[test]
fn a_new_updated_time_alone_is_no_change() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("store.git")).unwrap();
    let s = slug("a");
    let mut document = doc("A", "Body.\n");
    document.meta.updated = Some(when("2025-03-01T00:00:00Z"));
    let v1 = committed(
        store
            .commit(
                &s,
                &document,
                &request("Ann", "2025-03-01T00:00:00Z", "n", UpdateKind::Major, None),
            )
            .unwrap(),
    );
    let before = main_ref(store.path());
    document.meta.updated = Some(when("2025-03-09T00:00:00Z"));
    let again = store
        .commit(
            &s,
            &document,
            &request("Ann", "2025-03-09T00:00:00Z", "n", UpdateKind::Major, None),
        )
        .unwrap();
    assert_eq!(again, CommitOutcome::Unchanged(v1));
    assert_eq!(main_ref(store.path()), before);
    // Any other fact is a change.
    document.meta.source_url = Some("https://example.org/a".into());
    let v2 = committed(
        store
            .commit(
                &s,
                &document,
                &request("Ann", "2025-03-09T00:00:00Z", "n", UpdateKind::Major, None),
            )
            .unwrap(),
    );
    assert_eq!(v2.number, 2);
}

#[test]
fn git_log_shows_editor_date_note_and_trailers() {
    let dir = tempfile::tempdir().unwrap();
    let (store, s, _) = four_versions(dir.path());
    let log = git(
        store.path(),
        &[
            "log",
            "--date=iso-strict",
            "--format=%an <%ae>|%ad|%cn|%s%n%b%n--",
        ],
        &[],
        None,
    );
    let entries: Vec<&str> = log.split("--\n").filter(|e| !e.trim().is_empty()).collect();
    assert_eq!(entries.len(), 4, "{log}");
    let newest = entries[0];
    assert!(
        newest.starts_with("Jane Doe <jane.doe@editors.redline.invalid>|2025-03-04T16:00:00-05:00|redline|Update 3\n"),
        "{newest}"
    );
    assert!(newest.contains("Redline-Change: major"), "{newest}");
    assert!(
        newest.contains(&format!("Redline-Explainer: {s}")),
        "{newest}"
    );
    assert!(
        entries[1].contains("Redline-Change: minor"),
        "{}",
        entries[1]
    );
    // git itself reads the trailers.
    let trailers = git(
        store.path(),
        &[
            "log",
            "-1",
            "--format=%(trailers:key=Redline-Change,valueonly)",
        ],
        &[],
        None,
    );
    assert_eq!(trailers.trim(), "major");
}

#[test]
fn commits_made_with_plain_git_read_sensibly() {
    let dir = tempfile::tempdir().unwrap();
    let (store, s, v) = four_versions(dir.path());
    let path = store.path();
    // Plumbing only: blob → explainers tree → root tree → commit → ref, as a git user would.
    let text = "+++\ntitle = \"Peace talks\"\n+++\nFixed by hand.\n";
    let blob = git(path, &["hash-object", "-w", "--stdin"], &[], Some(text));
    let explainers = git(
        path,
        &["mktree"],
        &[],
        Some(&format!("100644 blob {}\t{}.md\n", blob.trim(), s)),
    );
    let root = git(
        path,
        &["mktree"],
        &[],
        Some(&format!("040000 tree {}\texplainers\n", explainers.trim())),
    );
    let parent = main_ref(path);
    let env = [
        ("GIT_AUTHOR_NAME", "Sam Hand"),
        ("GIT_AUTHOR_EMAIL", "sam@example.org"),
        ("GIT_AUTHOR_DATE", "2025-03-05T10:00:00+02:00"),
        ("GIT_COMMITTER_NAME", "Sam Hand"),
        ("GIT_COMMITTER_EMAIL", "sam@example.org"),
    ];
    let commit = git(
        path,
        &[
            "commit-tree",
            root.trim(),
            "-p",
            &parent,
            "-m",
            "Fix typo in casualty figures",
            "-m",
            "Spotted by a reader.",
        ],
        &env,
        None,
    );
    git(
        path,
        &["update-ref", "refs/heads/main", commit.trim(), &parent],
        &[],
        None,
    );

    let history = store.history(&s).unwrap();
    assert_eq!(history.len(), 5);
    let hand = &history[4];
    assert_eq!(hand.id, commit.trim());
    assert_eq!(hand.kind, UpdateKind::Major);
    assert_eq!(
        hand.note,
        "Fix typo in casualty figures\n\nSpotted by a reader."
    );
    assert_eq!(hand.editor, "Sam Hand");
    assert_eq!(hand.updated, when("2025-03-05T10:00:00+02:00"));
    assert_eq!(hand.updated.offset().local_minus_utc(), 7200);
    assert_eq!(store.text(&s, hand).unwrap(), text);
    assert_eq!(&history[..4], &v[..]);
    // redline writes on top of it, expecting it.
    let next = store
        .commit(
            &s,
            &doc("Peace talks", "Next.\n"),
            &request(
                "Jane Doe",
                "2025-03-06T00:00:00Z",
                "n",
                UpdateKind::Major,
                Some(VersionRef::Commit(hand.short_id().into())),
            ),
        )
        .unwrap();
    assert_eq!(committed(next).number, 6);
    fsck(path);
}

/// THE concurrency test: many writers, one explainer, each expecting the head it last saw.
#[test]
fn concurrent_writers_to_one_explainer_never_lose_an_update() {
    const THREADS: usize = 8;
    const EACH: usize = 25;
    let dir = tempfile::tempdir().unwrap();
    let path = Arc::new(dir.path().join("store.git"));
    let s = slug("contested");
    let store = Store::init(&path).unwrap();
    let first = committed(
        store
            .commit(
                &s,
                &doc("C", "start\n"),
                &request(
                    "Setup",
                    "2025-01-01T00:00:00Z",
                    "start",
                    UpdateKind::Major,
                    None,
                ),
            )
            .unwrap(),
    );

    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let path = Arc::clone(&path);
            let s = s.clone();
            thread::spawn(move || {
                let store = Store::open(&path).unwrap();
                let mut successes = Vec::new();
                let mut conflicts = 0usize;
                let mut seen = store.resolve(&s, &VersionRef::Latest).unwrap();
                while successes.len() < EACH {
                    // Half the writers name the version by number, half by commit id.
                    let expect = if t % 2 == 0 {
                        VersionRef::Number(seen.number)
                    } else {
                        VersionRef::Commit(seen.id.clone())
                    };
                    let body = format!(
                        "writer {t} update {} on top of {}\n",
                        successes.len(),
                        seen.id
                    );
                    let req = request(
                        &format!("Writer {t}"),
                        "2025-02-01T00:00:00Z",
                        &format!("w{t}-{}", successes.len()),
                        UpdateKind::Major,
                        Some(expect),
                    );
                    match store.commit(&s, &doc("C", &body), &req) {
                        Ok(CommitOutcome::Committed(v)) => {
                            assert_eq!(
                                v.number,
                                seen.number + 1,
                                "a commit lands right after the version it expected"
                            );
                            successes.push(v.clone());
                            seen = v;
                        }
                        Ok(CommitOutcome::Unchanged(v)) => {
                            panic!("unique content reported unchanged: {v:?}")
                        }
                        Err(Error::Conflict { newer, .. }) => {
                            conflicts += 1;
                            seen = store.resolve(&s, &VersionRef::Latest).unwrap();
                            assert!(newer.starts_with('v'), "{newer}");
                        }
                        Err(other) => panic!("writer {t}: refusal other than a conflict: {other}"),
                    }
                }
                (successes, conflicts)
            })
        })
        .collect();
    let mut successes: Vec<Version> = Vec::new();
    let mut conflicts = 0;
    for h in handles {
        let (s, c) = h.join().unwrap();
        successes.extend(s);
        conflicts += c;
    }

    let history = store.history(&s).unwrap();
    assert_eq!(successes.len(), THREADS * EACH);
    assert_eq!(
        history.len(),
        1 + successes.len(),
        "conflicts seen: {conflicts}"
    );
    assert_eq!(history[0], first);
    let in_history: HashMap<&str, &Version> = history.iter().map(|v| (v.id.as_str(), v)).collect();
    let mut distinct = HashSet::new();
    for v in &successes {
        assert!(distinct.insert(v.id.clone()), "{} reported twice", v.id);
        let stored = in_history
            .get(v.id.as_str())
            .unwrap_or_else(|| panic!("{} lost", v.id));
        assert_eq!(*stored, v, "the reported version is the stored one");
    }
    // Each version was written on top of the one before it: the chain is linear.
    for pair in history.windows(2) {
        let text = store.text(&s, &pair[1]).unwrap();
        assert!(
            text.ends_with(&format!("on top of {}\n", pair[0].id)),
            "{text}"
        );
    }
    fsck(&path);
}

/// Many writers, different explainers, no expectation: every update lands.
#[test]
fn concurrent_writers_to_different_explainers_all_land() {
    const THREADS: usize = 8;
    const EACH: usize = 25;
    let dir = tempfile::tempdir().unwrap();
    let path = Arc::new(dir.path().join("store.git"));
    Store::init(&path).unwrap();
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let path = Arc::clone(&path);
            thread::spawn(move || {
                let store = Store::open(&path).unwrap();
                let s = slug(&format!("explainer-{t}"));
                for i in 0..EACH {
                    let req = request(
                        "Ann",
                        "2025-02-01T00:00:00Z",
                        &format!("{t}-{i}"),
                        UpdateKind::Minor,
                        None,
                    );
                    let v = committed(
                        store
                            .commit(&s, &doc("E", &format!("{t} {i}\n")), &req)
                            .unwrap(),
                    );
                    assert_eq!(v.number, i + 1);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let store = Store::open(&path).unwrap();
    let all = store.histories().unwrap();
    assert_eq!(all.len(), THREADS);
    for t in 0..THREADS {
        let s = slug(&format!("explainer-{t}"));
        let notes: Vec<String> = all[&s].iter().map(|v| v.note.clone()).collect();
        let expected: Vec<String> = (0..EACH).map(|i| format!("{t}-{i}")).collect();
        assert_eq!(notes, expected, "{s}");
        assert_eq!(store.history(&s).unwrap(), all[&s]);
        let head = all[&s].last().unwrap();
        assert!(store
            .text(&s, head)
            .unwrap()
            .ends_with(&format!("{t} {}\n", EACH - 1)));
    }
    let count = git(&path, &["rev-list", "--count", "main"], &[], None);
    assert_eq!(count.trim(), (THREADS * EACH).to_string());
    fsck(&path);
}

#[test]
fn snapshots_read_documents_back_with_their_outline() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("store.git")).unwrap();
    let s = slug("outlined");
    let meta = DocumentMeta {
        title: "Outlined".into(),
        updated: Some(when("2025-03-04T16:00:00Z")),
        publisher: Some("Full Fact".into()),
        source_url: Some("https://fullfact.org/x".into()),
        extra: Default::default(),
    };
    let first = Document::new(
        meta.clone(),
        "Lead text.\n\n## Section\n\nOne. Two.\n".into(),
    );
    let second = Document::new(meta, "Lead text.\n\n## Section\n\nOne. Three.\n".into());
    let req = |t: &str| request("Ann", t, "n", UpdateKind::Major, None);
    let v1 = committed(
        store
            .commit(&s, &first, &req("2025-03-01T00:00:00Z"))
            .unwrap(),
    );
    let v2 = committed(
        store
            .commit(&s, &second, &req("2025-03-02T00:00:00Z"))
            .unwrap(),
    );

    let snap = store.snapshot(&s, &VersionRef::Number(1)).unwrap();
    assert_eq!(snap.slug, s);
    assert_eq!(snap.version, v1);
    assert_eq!(snap.document, first);
    assert!(!snap.document.sections.is_empty());
    assert_eq!(store.document(&s, &v2).unwrap(), second);
    let latest = store.snapshot(&s, &VersionRef::Latest).unwrap();
    assert_eq!((latest.version, latest.document), (v2.clone(), second));

    // A version of one explainer does not hold another that did not exist then.
    let other = slug("later");
    store
        .commit(&other, &doc("L", "l\n"), &req("2025-03-03T00:00:00Z"))
        .unwrap();
    let err = store.document(&other, &v1).unwrap_err();
    assert!(err.to_string().contains("later"), "{err}");
    // A made-up version id is refused, not a panic.
    let bogus = Version {
        id: "not-a-commit".into(),
        ..v2
    };
    assert!(store.document(&s, &bogus).is_err());
    assert!(store
        .snapshot(&slug("missing"), &VersionRef::Latest)
        .is_err());
}

#[test]
fn a_store_can_move_to_another_thread() {
    fn assert_send<T: Send>() {}
    assert_send::<Store>();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("store.git")).unwrap();
    let handle = thread::spawn(move || store.explainers().map(|e| e.len()).unwrap());
    assert_eq!(handle.join().unwrap(), 0);
}

#[test]
fn a_stale_lock_fails_clearly_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (store, s, _) = four_versions(dir.path());
    let before = main_ref(store.path());
    // As if a writer crashed while moving main.
    let lock = store.path().join("refs/heads/main.lock");
    std::fs::write(&lock, "").unwrap();
    let err = store
        .commit(
            &s,
            &doc("P", "blocked\n"),
            &request("Ann", "2025-03-05T00:00:00Z", "n", UpdateKind::Major, None),
        )
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("main.lock") && msg.contains("nothing was written"),
        "{msg}"
    );
    assert!(!msg.contains('\n'), "one line: {msg}");
    std::fs::remove_file(&lock).unwrap();
    assert_eq!(main_ref(store.path()), before);
    // Once the lock is gone, writing works again.
    let v = committed(
        store
            .commit(
                &s,
                &doc("P", "unblocked\n"),
                &request("Ann", "2025-03-05T00:00:00Z", "n", UpdateKind::Major, None),
            )
            .unwrap(),
    );
    assert_eq!(v.number, 5);
}
