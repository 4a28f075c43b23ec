//! Integration tests: the git store, against real temporary bare repositories,
//! checked both through the library and with the plain `git` CLI.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::thread;

use chrono::{DateTime, Duration, FixedOffset};
use redline::error::{ConflictBase, Newest};
use redline::ingest::{parse_stored_parts, stored_text};
use redline::model::{Document, DocumentMeta, UpdateKind, Version, VersionRef};
use redline::slug::Slug;
use redline::store::{CommitOutcome, Store, UpdateRequest};
use redline::Error;

use crate::support::{self, fsck, git_with};

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

fn main_ref(store: &Path) -> String {
    support::git(store, &["rev-parse", "refs/heads/main"])
        .trim()
        .to_string()
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
        support::git(&fresh, &["symbolic-ref", "HEAD"]).trim(),
        "refs/heads/main"
    );
    assert_eq!(
        support::git(&fresh, &["rev-parse", "--is-bare-repository"]).trim(),
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
    let shown = git_with(
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
    let count = support::git(store.path(), &["rev-list", "--count", "main"]);
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
            .resolve(&s, &VersionRef::Commit(v[0].id.to_string()))
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
                assert_eq!(expected, &ConflictBase::Version(Box::new(v[2].clone())));
                assert_eq!(newer, &Newest::Version(Box::new(v[3].clone())));
            }
            other => panic!("{stale}: {other}"),
        }
        assert_eq!(err.exit_code(), 3);
        assert!(err.to_string().contains("nothing was written"), "{err}");
        assert_eq!(main_ref(store.path()), before);
    }
    // Bo's major update to `body` at `updated`, made expecting version `expect`.
    let update_expecting = |body: &str, updated: &str, expect: usize| {
        store.commit(
            &s,
            &doc("P", body),
            &request(
                "Bo",
                updated,
                "n",
                UpdateKind::Major,
                Some(VersionRef::Number(expect)),
            ),
        )
    };
    // Expecting a version that does not exist is a version error, not a write.
    let err = update_expecting("x\n", "2025-03-05T00:00:00Z", 7).unwrap_err();
    assert!(matches!(err, Error::NoSuchVersion { .. }), "{err}");
    // Expecting the newest succeeds.
    let ok = update_expecting("x\n", "2025-03-05T00:00:00Z", 4).unwrap();
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
    let ok = update_expecting("y\n", "2025-03-07T00:00:00Z", 5).unwrap();
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
    let log = support::git(store.path(), &["log", "-1", "--format=%an%n%b"]);
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
    let log = support::git(
        store.path(),
        &[
            "log",
            "--date=iso-strict",
            "--format=%an <%ae>|%ad|%cn|%s%n%b%n--",
        ],
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
    let trailers = support::git(
        store.path(),
        &[
            "log",
            "-1",
            "--format=%(trailers:key=Redline-Change,valueonly)",
        ],
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
    let blob = git_with(path, &["hash-object", "-w", "--stdin"], &[], Some(text));
    let explainers = git_with(
        path,
        &["mktree"],
        &[],
        Some(&format!("100644 blob {}\t{}.md\n", blob.trim(), s)),
    );
    let root = git_with(
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
    let commit = git_with(
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
    support::git(
        path,
        &["update-ref", "refs/heads/main", commit.trim(), &parent],
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
                        VersionRef::Commit(seen.id.to_string())
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
                            assert!(matches!(newer, Newest::Version(_)), "{newer}");
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
    let count = support::git(&path, &["rev-list", "--count", "main"]);
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

// ---------------------------------------------------------------------------
// Hardening (issue 10 items 2, 3, 4, 5, 7, 11, 12, 13, 14; issue 8 bullet 8):
// the real binary against real temporary stores. All inputs are synthetic.

pub mod hardening {
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    use crate::support::{
        files_under, files_with_extension, fsck, git, git_with, plain_git, run_ok, Workspace,
    };

    /// A synthetic version file for `import` (front matter with `[change]`).
    pub fn version_file(updated: &str, note: &str, body: &str) -> String {
        format!(
            "+++\ntitle = \"Synthetic\"\nupdated = {updated}\n\n[change]\neditor = \"Ed Itor\"\nkind = \"major\"\nnote = \"{note}\"\n+++\n{body}\n"
        )
    }

    /// A synthetic document for `commit`.
    fn document(updated: Option<&str>, body: &str) -> String {
        match updated {
            Some(t) => format!("+++\ntitle = \"Synthetic\"\nupdated = {t}\n+++\n{body}\n"),
            None => format!("+++\ntitle = \"Synthetic\"\n+++\n{body}\n"),
        }
    }

    fn commit_args<'a>(slug: &'a str, file: &'a Path, note: &'a str) -> Vec<&'a str> {
        vec![
            "commit",
            slug,
            file.to_str().unwrap(),
            "--note",
            note,
            "--editor",
            "Ann",
        ]
    }

    /// `log --format json` as (note, updated) pairs.
    fn log(ws: &Workspace, slug: &str) -> Vec<(String, String)> {
        let json: serde_json::Value =
            serde_json::from_str(&ws.stdout(&["log", slug, "--format", "json"])).unwrap();
        json.as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["note"].as_str().unwrap().to_string(),
                    v["updated"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
        String::from_utf8(assert.get_output().stderr.clone()).unwrap()
    }

    fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
        String::from_utf8(assert.get_output().stdout.clone()).unwrap()
    }

    /// A folder `DIR/<slug>/NNNN.md` of `count` synthetic versions, one hour apart.
    pub fn import_folder(root: &Path, slug: &str, count: usize) -> PathBuf {
        let dir = root.join("import");
        std::fs::create_dir_all(dir.join(slug)).unwrap();
        let start = chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").unwrap();
        for i in 0..count {
            let when = (start + chrono::Duration::hours(i as i64)).to_rfc3339();
            std::fs::write(
                dir.join(slug).join(format!("{i:04}.md")),
                version_file(
                    &when,
                    &format!("update {i}"),
                    &format!("Paragraph number {i}."),
                ),
            )
            .unwrap();
        }
        dir
    }

    #[test]
    fn time_going_backwards_is_refused_and_the_show_edit_commit_loop_takes_now() {
        let ws = Workspace::new();
        let first = ws.write(
            "a.md",
            document(Some("2025-03-04T10:00:00Z"), "First text."),
        );
        ws.redline(&commit_args("x", &first, "first"))
            .assert()
            .success();
        let before = ws.main_ref();

        // Older than the newest version: refused, naming both times and the override.
        let older = ws.write("b.md", document(None, "Second text."));
        let mut args = commit_args("x", &older, "second");
        args.extend(["--updated", "2020-01-01"]);
        let refused = ws.redline(&args).assert().code(2);
        let msg = stderr_of(&refused);
        for part in [
            "2020-01-01T00:00:00+00:00",
            "2025-03-04T10:00:00+00:00",
            "--backdate",
            "v1",
        ] {
            assert!(msg.contains(part), "{part:?} missing: {msg}");
        }
        assert_eq!(msg.trim().lines().count(), 1, "{msg}");
        assert_eq!(ws.main_ref(), before);
        // The same from the file's front matter.
        let old_file = ws.write(
            "c.md",
            document(Some("2020-01-01T00:00:00Z"), "Second text."),
        );
        ws.redline(&commit_args("x", &old_file, "second"))
            .assert()
            .code(2);
        assert_eq!(ws.main_ref(), before);

        // show > e.md; edit; commit: the file carries v1's own time, so "now" is taken, and said.
        let shown = ws.stdout(&["show", "x"]);
        let edited = ws.write("e.md", shown.replace("First text.", "Edited text."));
        let start = chrono::Utc::now() - chrono::Duration::seconds(1);
        let done = ws
            .redline(&commit_args("x", &edited, "edited"))
            .assert()
            .success();
        assert!(
            stderr_of(&done).contains("recorded as updated now"),
            "{}",
            stderr_of(&done)
        );
        let history = log(&ws, "x");
        assert_eq!(history.len(), 2);
        let v2 = chrono::DateTime::parse_from_rfc3339(&history[1].1).unwrap();
        assert!(v2 >= start, "v2 updated {v2} should be now");
        assert!(ws.stdout(&["show", "x"]).contains(&format!(
            "updated = {}",
            history[1].1.replace("+00:00", "Z")
        )));

        // The override records it, after the newest.
        let mut args = commit_args("x", &older, "backdated");
        args.extend(["--updated", "2020-01-01", "--backdate"]);
        ws.redline(&args).assert().success();
        assert_eq!(log(&ws, "x").len(), 3);

        // Import appends only: a file older than the newest stored version is refused.
        let dir = ws.dir.path().join("imp");
        std::fs::create_dir_all(dir.join("x")).unwrap();
        std::fs::write(
            dir.join("x/0001.md"),
            // Older than v3, backdated to 2020-01-01, the newest by position.
            version_file("2019-06-01T00:00:00Z", "late", "Late text."),
        )
        .unwrap();
        let refused = ws
            .redline(&["import", dir.to_str().unwrap()])
            .assert()
            .code(2);
        assert!(
            stderr_of(&refused).contains("import only appends"),
            "{}",
            stderr_of(&refused)
        );
        assert_eq!(log(&ws, "x").len(), 3);
    }

    #[test]
    fn import_orders_equal_and_date_only_times_by_name_and_reports_repeats() {
        let ws = Workspace::new();
        let dir = ws.dir.path().join("imp");
        std::fs::create_dir_all(dir.join("x")).unwrap();
        let files = [
            // Two versions the same day (date-only), one the same second, one repeat.
            ("0001.md", "2025-03-01", "one", "Text one."),
            ("0002.md", "2025-03-01", "two", "Text two."),
            ("0003.md", "2025-03-02T09:00:00Z", "three", "Text two."),
            ("0004.md", "2025-03-02T09:00:00Z", "four", "Text four."),
            ("0005.md", "2025-03-02T09:00:00Z", "five", "Text five."),
        ];
        for (name, updated, note, body) in files {
            std::fs::write(dir.join("x").join(name), version_file(updated, note, body)).unwrap();
        }
        let done = ws
            .redline(&["import", dir.to_str().unwrap()])
            .assert()
            .success();
        let out = stdout_of(&done);
        assert!(out.contains("imported 4 new version(s)"), "{out}");
        assert!(out.contains("0003.md: no change from v2"), "{out}");
        assert!(
            !out.contains("already stored)\nnot stored: ") || out.contains("(0 already stored)"),
            "{out}"
        );
        let history = log(&ws, "x");
        let notes: Vec<&str> = history.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(notes, ["one", "two", "four", "five"]);
        // The stored `updated` is what each file says.
        assert_eq!(history[0].1, history[1].1);
        assert_eq!(history[0].1, "2025-03-01T00:00:00Z");
        assert_eq!(history[2].1, history[3].1);
        assert!(ws
            .stdout(&["show", "x@v2"])
            .contains("updated = 2025-03-01"));

        // Re-running adds nothing and says the same about the repeat.
        let again = ws
            .redline(&["import", dir.to_str().unwrap()])
            .assert()
            .success();
        let out = stdout_of(&again);
        assert!(
            out.contains("imported 0 new version(s)") && out.contains("(4 already stored)"),
            "{out}"
        );
        assert!(out.contains("0003.md: no change from v2"), "{out}");
        assert_eq!(log(&ws, "x").len(), 4);
        fsck(&ws.store());
    }

    #[test]
    fn concurrent_imports_of_one_folder_store_each_version_once() {
        let count = 60;
        for trial in 0..2 {
            let ws = Workspace::new();
            let dir = import_folder(ws.dir.path(), "x", count);
            let children: Vec<_> = (0..2)
                .map(|_| {
                    Command::new(env!("CARGO_BIN_EXE_redline"))
                        .arg("--store")
                        .arg(ws.store())
                        .arg("import")
                        .arg(&dir)
                        .stdout(Stdio::piped())
                        .stderr(Stdio::piped())
                        .spawn()
                        .unwrap()
                })
                .collect();
            for child in children {
                let out = child.wait_with_output().unwrap();
                assert!(
                    out.status.success(),
                    "trial {trial}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            let history = log(&ws, "x");
            let notes: Vec<String> = history.into_iter().map(|(n, _)| n).collect();
            let expected: Vec<String> = (0..count).map(|i| format!("update {i}")).collect();
            assert_eq!(notes, expected, "trial {trial}");
            fsck(&ws.store());
        }
    }

    #[test]
    fn an_imported_store_passes_git_fsck_and_verify_pack_and_git_reads_every_version() {
        // Synthetic history: three explainers interleaved in time, 60 versions
        // of one (past the pack's delta depth limit of 50), edits at the
        // start, middle and end of long texts, non-ASCII text; then a second
        // import on top of the first (a pack over a non-empty store).
        let ws = Workspace::new();
        let dir = ws.dir.path().join("import");
        let start = chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00+02:00").unwrap();
        let slugs = ["alpha", "beta", "gamma"];
        let mut written: Vec<(&str, PathBuf)> = Vec::new();
        let mut write_versions = |range: std::ops::Range<usize>| {
            for i in range {
                for (k, slug) in slugs.iter().enumerate() {
                    if k > 0 && i % 5 != k {
                        continue;
                    }
                    let when = (start + chrono::Duration::hours((i * 3 + k) as i64)).to_rfc3339();
                    let mut paragraphs: Vec<String> = (0..40)
                        .map(|p| format!("Paragraph {p} of {slug}, a synthetic sentence."))
                        .collect();
                    paragraphs[i % 40] =
                        format!("Paragraph edited in update {i}: café — ‘quoted’ ½.");
                    paragraphs.insert(0, format!("Opening of update {i}."));
                    paragraphs.push(format!("Closing of update {i}."));
                    let path = dir.join(slug).join(format!("{i:04}.md"));
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(
                        &path,
                        version_file(&when, &format!("update {i}"), &paragraphs.join("\n\n")),
                    )
                    .unwrap();
                    written.push((slug, path));
                }
            }
        };
        write_versions(0..45);
        ws.redline(&["import", dir.to_str().unwrap()])
            .assert()
            .success();
        write_versions(45..60);
        ws.redline(&["import", dir.to_str().unwrap()])
            .assert()
            .success();

        let store = ws.store();
        let fsck_output = git(&store, &["fsck", "--strict", "--full"]);
        assert!(!fsck_output.contains("dangling"), "{fsck_output}");
        // Each import wrote one pack and no loose object; git verifies each
        // pack (every object inflated, deltas resolved, ids re-hashed, CRCs
        // checked) and together they hold every object main reaches.
        let packs = files_with_extension(&store.join("objects/pack"), "idx");
        assert_eq!(packs.len(), 2, "{packs:?}");
        let mut packed = std::collections::HashSet::new();
        for idx in &packs {
            let listing = git(&store, &["verify-pack", "-v", idx.to_str().unwrap()]);
            for line in listing.lines() {
                if let Some(id) = line.split(' ').next().filter(|id| id.len() == 40) {
                    packed.insert(id.to_string());
                }
            }
        }
        let reachable = git(&store, &["rev-list", "--objects", "main"]);
        let reachable: Vec<&str> = reachable
            .lines()
            .map(|l| l.split(' ').next().unwrap())
            .collect();
        assert!(reachable.len() > 4 * written.len() / 2);
        for id in &reachable {
            assert!(packed.contains(*id), "{id} is reachable but in no pack");
        }
        let loose = files_under(&store.join("objects"))
            .into_iter()
            .filter(|p| {
                !p.starts_with(store.join("objects/pack"))
                    && !p.starts_with(store.join("objects/info"))
            })
            .count();
        assert_eq!(loose, 0);

        // git reads back, at each version's commit, the stored form of its file.
        for slug in slugs {
            let path = format!("explainers/{slug}.md");
            let commits = git(
                &store,
                &["log", "--reverse", "--format=%H", "main", "--", &path],
            );
            let files: Vec<&PathBuf> = written
                .iter()
                .filter(|(s, _)| *s == slug)
                .map(|(_, p)| p)
                .collect();
            let commits: Vec<&str> = commits.lines().collect();
            assert_eq!(commits.len(), files.len(), "{slug}");
            for (commit, file) in commits.iter().zip(files) {
                let stored = git(&store, &["cat-file", "-p", &format!("{commit}:{path}")]);
                let canonical = ws.stdout(&["ingest", file.to_str().unwrap()]);
                assert_eq!(stored, canonical, "{}", file.display());
            }
        }
        ws.redline(&["verify"]).assert().success();
        assert_eq!(
            ws.stdout(&["log", "alpha"])
                .lines()
                .filter(|l| l.starts_with('v'))
                .count(),
            60
        );
    }

    #[test]
    fn an_import_is_all_or_nothing() {
        // A file that cannot be recorded (an editor name git cannot hold) at
        // the end of the batch: nothing of the batch lands.
        let ws = Workspace::new();
        let dir = import_folder(ws.dir.path(), "x", 5);
        std::fs::write(
            dir.join("x/0009.md"),
            version_file("2025-01-01T00:00:00Z", "bad", "Bad.").replace("Ed Itor", "Ed\\nItor"),
        )
        .unwrap();
        ws.redline(&["import", dir.to_str().unwrap()])
            .assert()
            .failure();
        assert_eq!(ws.main_ref(), None);
    }

    #[test]
    fn a_lock_left_by_a_killed_redline_is_recovered_and_other_locks_are_not_broken() {
        let ws = Workspace::new();
        let a = ws.write("a.md", document(Some("2025-03-01T00:00:00Z"), "One."));
        ws.redline(&commit_args("x", &a, "one")).assert().success();
        let main_lock = ws.store().join("refs/heads/main.lock");

        // A redline killed while moving main: its record says `updating` and it is gone.
        let mut dead = Command::new("true").spawn().unwrap();
        let dead_pid = dead.id();
        dead.wait().unwrap();
        std::fs::write(
            ws.store().join("redline.lock"),
            format!("pid={dead_pid} start=1 state=updating\n"),
        )
        .unwrap();
        std::fs::write(&main_lock, "").unwrap();
        let b = ws.write("b.md", document(Some("2025-03-02T00:00:00Z"), "Two."));
        let done = ws.redline(&commit_args("x", &b, "two")).assert().success();
        assert!(
            stderr_of(&done).contains("main.lock"),
            "{}",
            stderr_of(&done)
        );
        assert!(!main_lock.exists());
        assert_eq!(log(&ws, "x").len(), 2);

        // A main.lock no redline left (plain git holds it): never removed, a clear message.
        std::fs::write(&main_lock, "").unwrap();
        let before = ws.main_ref();
        let c = ws.write("c.md", document(Some("2025-03-03T00:00:00Z"), "Three."));
        let refused = ws.redline(&commit_args("x", &c, "three")).assert().code(1);
        let msg = stderr_of(&refused);
        assert!(
            msg.contains("main.lock")
                && msg.contains("other than redline")
                && msg.contains("nothing was written"),
            "{msg}"
        );
        assert!(main_lock.exists());
        assert_eq!(ws.main_ref(), before);
        std::fs::remove_file(&main_lock).unwrap();

        // A live writer's lock is waited for, not broken.
        let mut holder = Command::new("flock")
            .arg(ws.store().join("redline.lock"))
            .args(["sleep", "2"])
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(300));
        let start = Instant::now();
        ws.redline(&commit_args("x", &c, "three"))
            .assert()
            .success();
        assert!(
            start.elapsed() >= Duration::from_millis(1200),
            "{:?}",
            start.elapsed()
        );
        holder.wait().unwrap();
        assert_eq!(log(&ws, "x").len(), 3);
        fsck(&ws.store());
    }

    #[test]
    fn an_edited_history_cache_is_not_trusted_and_verify_reports_it() {
        let ws = Workspace::new();
        for (i, t) in ["2025-03-01", "2025-03-02", "2025-03-03"]
            .iter()
            .enumerate()
        {
            let f = ws.write("v.md", document(Some(t), &format!("Text {i}.")));
            ws.redline(&commit_args("x", &f, &format!("note {i}")))
                .assert()
                .success();
        }
        let truth = log(&ws, "x");
        let cache = ws.store().join("redline-histories.json");
        let forge = || {
            let mut json: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
            let versions = json["histories"]["x"].as_array_mut().unwrap();
            versions[0][5] = "FORGED note".into();
            versions[1][3] = "Forged Editor".into();
            versions.pop();
            std::fs::write(&cache, serde_json::to_vec(&json).unwrap()).unwrap();
        };
        forge();
        assert_eq!(log(&ws, "x"), truth);
        assert!(!ws.stdout(&["list"]).contains("FORGED"));

        forge();
        let found = ws.redline(&["verify"]).assert().code(1);
        let out = stdout_of(&found);
        assert!(out.contains("checksum"), "{out}");
        assert!(out.contains("x v1") && out.contains("note"), "{out}");
        assert!(out.contains("editor"), "{out}");
        // Repaired: a second run finds nothing.
        let clean = ws.redline(&["verify"]).assert().success();
        assert!(
            stdout_of(&clean).contains("3 version(s)")
                && stdout_of(&clean).contains("no differences")
        );
        assert_eq!(log(&ws, "x"), truth);
    }

    #[test]
    fn only_redline_stores_are_opened_and_adopting_one_is_deliberate() {
        let ws = Workspace::new();
        let root = ws.dir.path();
        let git = |dir: &Path, args: &[&str]| {
            run_ok(
                Command::new("git")
                    .current_dir(dir)
                    .args(["-c", "user.name=T", "-c", "user.email=t@example.invalid"])
                    .args(args),
            );
        };
        let work = root.join("work");
        std::fs::create_dir(&work).unwrap();
        git(&work, &["init", "-q", "-b", "main"]);
        std::fs::write(work.join("README"), "a project").unwrap();
        git(&work, &["add", "README"]);
        git(&work, &["commit", "-qm", "readme"]);
        git(root, &["clone", "-q", "--bare", "work", "bare.git"]);
        let a = ws.write("a.md", document(Some("2025-03-01"), "One."));

        for other in [root.join("bare.git"), work.join(".git"), work.clone()] {
            let store = other.to_str().unwrap();
            let refused = ws.redline(&["--store", store, "list"]).assert().code(2);
            let msg = stderr_of(&refused);
            assert!(
                msg.contains("not a redline store") && msg.contains("init --adopt"),
                "{msg}"
            );
            let mut args = vec!["--store", store];
            args.extend(commit_args("x", &a, "one"));
            ws.redline(&args).assert().code(2);
        }
        assert!(!root.join("bare.git/redline-histories.json").exists());
        assert!(!work.join(".git/redline-histories.json").exists());

        // A work tree cannot be adopted; a bare repository can, and keeps its files.
        let refused = ws
            .redline(&["--store", work.to_str().unwrap(), "init", "--adopt"])
            .assert()
            .code(2);
        assert!(stderr_of(&refused).contains("work tree"));
        let bare = root.join("bare.git");
        ws.redline(&["--store", bare.to_str().unwrap(), "init", "--adopt"])
            .assert()
            .success();
        let mut args = vec!["--store", bare.to_str().unwrap()];
        args.extend(commit_args("x", &a, "one"));
        ws.redline(&args).assert().success();
        assert_eq!(
            crate::support::git(&bare, &["ls-tree", "-r", "--name-only", "main"]),
            "README\nexplainers/x.md\n"
        );

        // A store made before the marker existed (no key, only explainers/) still opens.
        ws.redline(&commit_args("x", &a, "one")).assert().success();
        ws.git(&["config", "--unset", "redline.store"]);
        assert!(ws.stdout(&["list"]).contains("x  (1 version"));
    }

    #[test]
    fn import_refuses_links_out_of_the_folder_and_reports_what_it_skips() {
        let ws = Workspace::new();
        let dir = import_folder(ws.dir.path(), "x", 2);
        let outside = ws.write(
            "outside.md",
            version_file("2030-01-01", "outside", "Elsewhere."),
        );
        std::fs::write(dir.join("x/UPPER.MD"), "x").unwrap();
        std::fs::create_dir(dir.join("x/nested")).unwrap();
        std::fs::write(dir.join("stray.md"), "x").unwrap();
        // A link inside the folder is fine.
        std::os::unix::fs::symlink(dir.join("x/0001.md"), dir.join("x/0002-link.md")).unwrap();
        let done = ws
            .redline(&["import", dir.to_str().unwrap()])
            .assert()
            .success();
        let out = stdout_of(&done);
        for skipped in [
            "x/UPPER.MD: not a .md",
            "x/nested: nested folder",
            "stray.md: not inside a <slug>/ folder",
        ] {
            assert!(out.contains(skipped), "{skipped:?} not reported: {out}");
        }
        assert!(out.contains("0002-link.md: no change from v2"), "{out}");
        assert_eq!(log(&ws, "x").len(), 2);

        // A link to a file outside: refused, nothing written.
        let before = ws.main_ref();
        std::os::unix::fs::symlink(&outside, dir.join("x/0009.md")).unwrap();
        let refused = ws
            .redline(&["import", dir.to_str().unwrap()])
            .assert()
            .code(2);
        let msg = stderr_of(&refused);
        assert!(msg.contains("0009.md") && msg.contains("outside"), "{msg}");
        std::fs::remove_file(dir.join("x/0009.md")).unwrap();
        // A symlinked slug folder outside: refused too.
        let elsewhere = ws.dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::fs::write(
            elsewhere.join("0001.md"),
            version_file("2030-01-01", "o", "O."),
        )
        .unwrap();
        std::os::unix::fs::symlink(&elsewhere, dir.join("y")).unwrap();
        ws.redline(&["import", dir.to_str().unwrap()])
            .assert()
            .code(2);
        assert_eq!(ws.main_ref(), before);
    }

    #[test]
    fn write_failures_name_the_cause() {
        let ws = Workspace::new();
        let a = ws.write("a.md", document(Some("2025-03-01"), "One."));
        ws.redline(&commit_args("x", &a, "one")).assert().success();
        let before = ws.main_ref();
        let b = ws.write("b.md", document(Some("2025-03-02"), "Two."));
        // Permission denied: as root, run the writer as another user (root ignores modes).
        let root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .unwrap()
            .stdout
            == b"0\n";
        let mut cmd = if root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(env!("CARGO_BIN_EXE_redline"));
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_redline"))
        };
        if !root {
            for dir in ["objects", "refs/heads"] {
                let p = ws.store().join(dir);
                let mut perm = std::fs::metadata(&p).unwrap().permissions();
                std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o555);
                std::fs::set_permissions(&p, perm).unwrap();
            }
        }
        // Others must reach the store and the input to get as far as writing.
        let mut perm = std::fs::metadata(ws.dir.path()).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o755);
        std::fs::set_permissions(ws.dir.path(), perm).unwrap();
        // git refuses repositories owned by another user unless told they are safe.
        let home = ws.dir.path().join("home");
        std::fs::create_dir(&home).unwrap();
        std::fs::write(home.join(".gitconfig"), "[safe]\n\tdirectory = *\n").unwrap();
        let out = cmd
            .env("HOME", &home)
            .arg("--store")
            .arg(ws.store())
            .args(commit_args("x", &b, "two"))
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let msg = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{msg}");
        assert!(
            msg.contains("cannot write to the store")
                && msg.contains("permission denied")
                && msg.contains("nothing was written"),
            "{msg}"
        );
        assert_eq!(msg.trim().lines().count(), 1, "{msg}");
        assert_eq!(ws.main_ref(), before);

        // No space left: a tiny tmpfs in a private mount namespace, where the
        // machine allows one (root, or user namespaces); skipped, saying so, elsewhere.
        let script = format!(
            "mount -t tmpfs -o size=256k tmpfs {dir} || exit 99; \
             {bin} --store {dir}/s.git init >/dev/null && \
             {bin} --store {dir}/s.git commit x {a} --note one --editor Ann >/dev/null && \
             (dd if=/dev/zero of={dir}/fill bs=1k 2>/dev/null; true) && \
             {bin} --store {dir}/s.git commit x {b} --note two --editor Ann; echo \"rc=$?\"; \
             git --git-dir={dir}/s.git rev-list --count main",
            dir = ws.dir.path().join("full").display(),
            bin = env!("CARGO_BIN_EXE_redline"),
            a = a.display(),
            b = b.display(),
        );
        std::fs::create_dir(ws.dir.path().join("full")).unwrap();
        let out = Command::new("unshare")
            .args(["-m", "sh", "-c", &script])
            .output();
        match out {
            Ok(out) if out.status.code() != Some(99) && out.status.success() => {
                let msg = String::from_utf8_lossy(&out.stderr);
                let stdout = String::from_utf8_lossy(&out.stdout);
                assert!(stdout.contains("rc=1\n1\n"), "{stdout} {msg}");
                assert!(
                    msg.contains("no space left on the device")
                        && msg.contains("nothing was written"),
                    "{msg}"
                );
            }
            _ => eprintln!("disk-full case skipped: no private mount namespace here"),
        }
    }

    #[test]
    fn one_malformed_explainer_does_not_hide_the_others() {
        let ws = Workspace::new();
        let a = ws.write("a.md", document(Some("2025-03-01"), "One."));
        ws.redline(&commit_args("good", &a, "one"))
            .assert()
            .success();
        // A plain-git commit of a file with broken front matter.
        let blob = git_with(
            &ws.store(),
            &["hash-object", "-w", "--stdin"],
            &[],
            Some("+++\ntitle = \n+++\nBody.\n"),
        )
        .trim()
        .to_string();
        let parent = ws.main_ref().unwrap();
        let git_env = |args: &[&str]| plain_git(&ws.store(), ws.dir.path(), args);
        git_env(&["read-tree", "main"]);
        git_env(&[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("100644,{blob},explainers/broken.md"),
        ]);
        let tree = git_env(&["write-tree"]);
        let commit = git_env(&["commit-tree", &tree, "-p", &parent, "-m", "broken"]);
        git_env(&["update-ref", "refs/heads/main", &commit]);

        let listed = ws.redline(&["list"]).assert().success();
        let out = stdout_of(&listed);
        assert!(out.contains("good  (1 version"), "{out}");
        assert!(!out.contains("broken"), "{out}");
        let warn = stderr_of(&listed);
        assert!(
            warn.contains("explainers/broken.md v1") && warn.contains(&commit[..7]),
            "{warn}"
        );
        assert_eq!(warn.trim().lines().count(), 1, "{warn}");
        // The site is built for the others.
        let site = ws.dir.path().join("site");
        let built = ws
            .redline(&["build", "--out", site.to_str().unwrap()])
            .assert()
            .success();
        let warn = stderr_of(&built);
        assert!(
            warn.contains(&format!("explainers/broken.md@{}", &commit[..7])),
            "{warn}"
        );
        assert!(site.join("good/index.html").exists() || site.join("good.html").exists());
        assert!(!std::fs::read_to_string(site.join("index.html"))
            .unwrap()
            .contains("broken"));
        // verify names it too, and exits 1.
        let verified = ws.redline(&["verify"]).assert().code(1);
        assert!(stdout_of(&verified).contains("unreadable: explainers/broken.md v1"));
    }

    #[test]
    fn the_conflict_message_suggests_exactly_what_expect_accepts() {
        let ws = Workspace::new();
        let a = ws.write("a.md", document(Some("2025-03-01"), "One."));
        ws.redline(&commit_args("x", &a, "one")).assert().success();
        let b = ws.write("b.md", document(Some("2025-03-02"), "Two."));
        let mut args = commit_args("x", &b, "two");
        args.extend(["--expect", "v1"]);
        ws.redline(&args).assert().success();
        let c = ws.write("c.md", document(Some("2025-03-03"), "Three."));
        let mut args = commit_args("x", &c, "three");
        args.extend(["--expect", "v1"]);
        let conflict = ws.redline(&args).assert().code(3);
        let msg = stderr_of(&conflict);
        let suggested = msg
            .split("--expect ")
            .nth(1)
            .unwrap_or_else(|| panic!("no suggestion: {msg}"))
            .trim()
            .to_string();
        let mut args = commit_args("x", &c, "three");
        args.extend(["--expect", &suggested]);
        ws.redline(&args).assert().success();
        assert_eq!(log(&ws, "x").len(), 3);
    }
}
