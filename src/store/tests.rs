//! Git-layer tests on raw stored text (independent of ingest's format).

use super::*;

fn request(editor: &str, when: &str, note: &str, expect: Option<VersionRef>) -> UpdateRequest {
    UpdateRequest {
        editor: editor.into(),
        updated: DateTime::parse_from_rfc3339(when).unwrap(),
        note: note.into(),
        kind: UpdateKind::Major,
        expect,
    }
}

fn slug(s: &str) -> Slug {
    Slug::new(s).unwrap()
}

fn committed(outcome: CommitOutcome) -> Version {
    match outcome {
        CommitOutcome::Committed(v) => v,
        other => panic!("expected a commit, got {other:?}"),
    }
}

#[test]
fn text_round_trips_and_histories_agree() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("s.git")).unwrap();
    let (a, b) = (slug("alpha"), slug("beta"));
    let v1 = committed(
        store
            .commit_text(
                &a,
                "a1\n",
                &request("Ann", "2025-03-01T10:00:00Z", "first", None),
            )
            .unwrap(),
    );
    committed(
        store
            .commit_text(
                &b,
                "b1\n",
                &request("Bo", "2025-03-02T10:00:00Z", "b first", None),
            )
            .unwrap(),
    );
    let v2 = committed(
        store
            .commit_text(
                &a,
                "a2\n",
                &request("Ann", "2025-03-03T10:00:00Z", "second", None),
            )
            .unwrap(),
    );
    assert_eq!((v1.number, v2.number), (1, 2));
    assert_eq!(store.text(&a, &v1).unwrap(), "a1\n");
    assert_eq!(store.text(&a, &v2).unwrap(), "a2\n");
    let all = store.histories().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[&a], store.history(&a).unwrap());
    assert_eq!(all[&b], store.history(&b).unwrap());
    assert_eq!(store.history(&a).unwrap(), vec![v1, v2]);

    // Every history version carries its blob id, and reading through it gives
    // the same file as reading through the commit, before and after the
    // on-disk cache round trip.
    drop(store);
    let reopened = Store::open(&dir.path().join("s.git")).unwrap();
    for (slug, versions) in reopened.histories().unwrap() {
        for version in versions {
            assert_eq!(version.blob.len(), 40, "{slug} {version:?}");
            assert_eq!(
                reopened.text_from_history(&slug, &version).unwrap(),
                reopened.text(&slug, &version).unwrap()
            );
        }
    }
    let unknown_blob = Version {
        blob: "0".repeat(40).into(),
        ..reopened.history(&a).unwrap()[0].clone()
    };
    let err = reopened.text_from_history(&a, &unknown_blob).unwrap_err();
    assert!(err.to_string().contains("no stored file"), "{err}");
}

#[test]
fn removed_explainers_are_not_listed_and_restart_when_recreated() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("s.git")).unwrap();
    let (a, b) = (slug("alpha"), slug("beta"));
    store
        .commit_text(
            &a,
            "a1\n",
            &request("Ann", "2025-03-01T10:00:00Z", "one", None),
        )
        .unwrap();
    store
        .commit_text(
            &b,
            "b1\n",
            &request("Ann", "2025-03-01T11:00:00Z", "b", None),
        )
        .unwrap();
    // Remove alpha with plain git2, as an administrator might.
    let repo = &*store.repo().unwrap();
    let tip = repo.refname_to_id(MAIN_REF).unwrap();
    let parent = repo.find_commit(tip).unwrap();
    let tree_id = git2::build::TreeUpdateBuilder::new()
        .remove(a.store_path())
        .create_updated(repo, &parent.tree().unwrap())
        .unwrap();
    let sig = Signature::now("Admin", "admin@example.invalid").unwrap();
    repo.commit(
        Some(MAIN_REF),
        &sig,
        &sig,
        "Remove alpha",
        &repo.find_tree(tree_id).unwrap(),
        &[&parent],
    )
    .unwrap();
    assert!(matches!(store.history(&a), Err(Error::UnknownExplainer(_))));
    assert_eq!(
        store
            .histories()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>(),
        vec![b.clone()]
    );
    // Re-created: a fresh history from v1.
    let v = committed(
        store
            .commit_text(
                &a,
                "a again\n",
                &request("Ann", "2025-03-05T10:00:00Z", "back", None),
            )
            .unwrap(),
    );
    assert_eq!(v.number, 1);
    assert_eq!(store.history(&a).unwrap().len(), 1);
    assert_eq!(store.histories().unwrap()[&a].len(), 1);
}

#[test]
fn unchanged_and_conflict_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("s.git")).unwrap();
    let a = slug("alpha");
    let v1 = committed(
        store
            .commit_text(
                &a,
                "a1\n",
                &request("Ann", "2025-03-01T10:00:00Z", "one", None),
            )
            .unwrap(),
    );
    let same = store
        .commit_text(
            &a,
            "a1\n",
            &request(
                "Ann",
                "2025-03-02T10:00:00Z",
                "again",
                Some(VersionRef::Latest),
            ),
        )
        .unwrap();
    assert_eq!(same, CommitOutcome::Unchanged(v1.clone()));
    let v2 = committed(
        store
            .commit_text(
                &a,
                "a2\n",
                &request(
                    "Ann",
                    "2025-03-02T10:00:00Z",
                    "two",
                    Some(VersionRef::Number(1)),
                ),
            )
            .unwrap(),
    );
    let before = store.repo().unwrap().refname_to_id(MAIN_REF).unwrap();
    let err = store
        .commit_text(
            &a,
            "a3\n",
            &request(
                "Bo",
                "2025-03-03T10:00:00Z",
                "stale",
                Some(VersionRef::Number(1)),
            ),
        )
        .unwrap_err();
    match &err {
        Error::Conflict {
            slug,
            expected,
            newer,
        } => {
            assert_eq!(slug, "alpha");
            // The data, not prose: what a service's 412 answer is built from.
            assert_eq!(expected, &ConflictBase::Version(Box::new(v1.clone())));
            assert_eq!(newer, &Newest::Version(Box::new(v2.clone())));
            assert!(err.to_string().contains(&format!(
                "has moved on to v2 ({}) since v1 ({})",
                v2.short_id(),
                v1.short_id()
            )));
        }
        other => panic!("{other}"),
    }
    assert_eq!(err.exit_code(), 3);
    assert_eq!(
        store.repo().unwrap().refname_to_id(MAIN_REF).unwrap(),
        before
    );
}

#[test]
fn bad_editor_is_refused_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("s.git")).unwrap();
    let err = store
        .commit_text(
            &slug("alpha"),
            "x\n",
            &request("A\nB", "2025-03-01T10:00:00Z", "n", None),
        )
        .unwrap_err();
    assert!(err.to_string().contains("editor name"), "{err}");
    assert_eq!(history::main_tip(&store.repo().unwrap()).unwrap(), None);
}

/// Commit `changes` (path → Some(text) to write, None to delete) with plain git2
/// in one commit on main, as a git user might: several files at once, no trailers.
fn plain_commit(store: &Store, changes: &[(&str, Option<&str>)], message: &str) -> Oid {
    let repo = &*store.repo().unwrap();
    let tip = history::main_tip(repo).unwrap();
    let parent = tip.map(|t| repo.find_commit(t).unwrap());
    let base = match &parent {
        Some(p) => p.tree().unwrap(),
        None => repo
            .find_tree(repo.treebuilder(None).unwrap().write().unwrap())
            .unwrap(),
    };
    let mut update = git2::build::TreeUpdateBuilder::new();
    for (path, text) in changes {
        match text {
            Some(t) => update.upsert(*path, repo.blob(t.as_bytes()).unwrap(), FileMode::Blob),
            None => update.remove(*path),
        };
    }
    let tree = repo
        .find_tree(update.create_updated(repo, &base).unwrap())
        .unwrap();
    let sig = Signature::now("Git User", "git@example.invalid").unwrap();
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    repo.commit(Some(MAIN_REF), &sig, &sig, message, &tree, &parents)
        .unwrap()
}

#[test]
fn replay_matches_the_backward_walk_from_any_base() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("s.git")).unwrap();
    let names = ["alpha", "beta", "gamma"];
    let mut tips = vec![];
    for i in 0..18usize {
        let s = slug(names[i % 3]);
        let when = format!("2025-03-{:02}T10:00:00Z", i + 1);
        match i {
            // Several files in one plain commit, one of them deleted.
            7 => {
                plain_commit(
                    &store,
                    &[
                        ("explainers/alpha.md", Some("by hand\n")),
                        ("explainers/beta.md", None),
                        ("README", Some("x")),
                    ],
                    "Tidy up",
                );
            }
            // A commit touching nothing under explainers/.
            11 => {
                plain_commit(&store, &[("README", Some("y"))], "Readme");
            }
            // Files that are not explainers are ignored.
            13 => {
                plain_commit(
                    &store,
                    &[
                        ("explainers/Not A Slug.md", Some("z")),
                        ("explainers/notes.txt", Some("z")),
                    ],
                    "Junk",
                );
            }
            _ => {
                store
                    .commit_text(
                        &s,
                        &format!("{s} {i}\n"),
                        &request("Ann", &when, &format!("n{i}"), None),
                    )
                    .unwrap();
            }
        }
        tips.push(history::main_tip(&store.repo().unwrap()).unwrap().unwrap());
    }
    let repo = &*store.repo().unwrap();
    for (k, tip) in tips.iter().enumerate() {
        let full = history::histories_at(repo, *tip, None).unwrap().0;
        for name in names {
            let s = slug(name);
            let walked = history::slug_history(repo, Some(*tip), &s).unwrap();
            assert_eq!(
                full.get(&s).cloned().unwrap_or_default(),
                walked,
                "{name} at step {k}"
            );
        }
        for (j, base_tip) in tips.iter().enumerate().take(k + 1) {
            let base = history::histories_at(repo, *base_tip, None).unwrap().0;
            assert_eq!(
                history::histories_at(repo, *tip, Some((*base_tip, base)))
                    .unwrap()
                    .0,
                full,
                "{j}→{k}"
            );
        }
    }
    let last = history::histories_at(repo, *tips.last().unwrap(), None)
        .unwrap()
        .0;
    // beta was deleted at step 7 and re-created at step 10: v1 is step 10.
    assert_eq!(last[&slug("beta")].first().unwrap().note, "n10");
    assert_eq!(
        last[&slug("alpha")]
            .iter()
            .filter(|v| v.note == "Tidy up")
            .count(),
        1
    );
    assert_eq!(last.len(), 3);
}

#[test]
fn unusable_caches_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.git");
    let store = Store::init(&path).unwrap();
    let a = slug("alpha");
    for i in 0..3 {
        store
            .commit_text(
                &a,
                &format!("{i}\n"),
                &request("Ann", "2025-03-01T10:00:00Z", "n", None),
            )
            .unwrap();
    }
    let truth = store.histories().unwrap();
    let cache_file = path.join("redline-histories.json");
    // Written by the commits themselves: a handle that is never dropped
    // (a killed process) leaves the cache as current as a closed one.
    std::mem::forget(store);
    assert!(cache_file.exists(), "the commits leave a cache behind");
    let cached = Store::open(&path).unwrap();
    assert_eq!(cached.histories().unwrap(), truth);
    assert_eq!(
        lock(&cached.memo).cached_tip,
        history::main_tip(&cached.repo().unwrap()).unwrap(),
        "the cache read describes main's tip: nothing was replayed"
    );
    drop(cached);
    let store = Store::open(&path).unwrap();
    // A cache for a commit that is not on main (a sibling) must not be trusted.
    let tip = history::main_tip(&store.repo().unwrap()).unwrap().unwrap();
    let repo = &*store.repo().unwrap();
    let parent = repo.find_commit(tip).unwrap().parent(0).unwrap();
    let sig = Signature::now("X", "x@example.invalid").unwrap();
    let sibling = repo
        .commit(
            None,
            &sig,
            &sig,
            "side",
            &parent.tree().unwrap(),
            &[&parent],
        )
        .unwrap();
    let mut bogus = truth.clone();
    bogus.insert(slug("ghost"), truth[&a].clone());
    for contents in [
        // Format 2, a ghost explainer, for a commit not on main.
        serde_json::json!({"format": 2, "tip": sibling.to_string(),
            "histories": {"ghost": [[tip.to_string(), 0, 0, "e", "major", "n"]]}})
        .to_string(),
        serde_json::json!({"format": 999, "tip": tip.to_string(), "histories": bogus}).to_string(),
        serde_json::json!({"format": 2, "tip": tip.to_string(), "histories": {"Bad Slug": []}})
            .to_string(),
        serde_json::json!({"format": 2, "tip": tip.to_string(),
            "histories": {"alpha": [["x", 0, 99_999_999, "e", "major", "n"]]}})
        .to_string(),
        "not json".to_string(),
        String::new(),
    ] {
        std::fs::write(&cache_file, &contents).unwrap();
        let fresh = Store::open(&path).unwrap();
        assert_eq!(fresh.histories().unwrap(), truth, "{contents}");
    }
    // A valid cache for an ancestor is resumed from.
    std::fs::remove_file(&cache_file).unwrap();
    let reader = Store::open(&path).unwrap();
    assert_eq!(reader.histories().unwrap(), truth);
    store
        .commit_text(
            &a,
            "new\n",
            &request("Ann", "2025-03-02T10:00:00Z", "n4", None),
        )
        .unwrap();
    let fresh = Store::open(&path).unwrap();
    assert_eq!(fresh.history(&a).unwrap().len(), 4);
    assert_eq!(
        reader.history(&a).unwrap().len(),
        4,
        "an open handle sees later commits"
    );
}

#[test]
fn the_cache_is_used_only_while_its_keyed_checksum_matches() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("s.git")).unwrap();
    let s = slug("alpha");
    for (i, when) in ["2025-03-01T10:00:00Z", "2025-03-02T10:00:00Z"]
        .iter()
        .enumerate()
    {
        store
            .commit_text(&s, &format!("text {i}\n"), &request("Ann", when, "n", None))
            .unwrap();
    }
    drop(store);
    let store = Store::open(&dir.path().join("s.git")).unwrap();
    let (tip, histories, _) = cache::load(&store.repo().unwrap()).expect("a fresh cache is used");
    assert_eq!(
        Some(tip),
        history::main_tip(&store.repo().unwrap()).unwrap()
    );
    assert_eq!(histories[&s].len(), 2);

    // Any edit that keeps valid JSON breaks the checksum.
    let path = store.repo().unwrap().path().join("redline-histories.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replacen("\"Ann\"", "\"Eve\"", 1);
    assert_ne!(text, edited);
    std::fs::write(&path, &edited).unwrap();
    assert!(cache::load(&store.repo().unwrap()).is_none());
    assert!(matches!(
        cache::load_unchecked(&store.repo().unwrap()),
        Ok(Some((_, _, _, false)))
    ));
    // A checksum made without the store's key does not pass either.
    store
        .repo()
        .unwrap()
        .config()
        .unwrap()
        .set_str("redline.cachekey", "another key")
        .unwrap();
    std::fs::write(&path, &text).unwrap();
    assert!(cache::load(&store.repo().unwrap()).is_none());
}

#[test]
fn an_update_older_than_the_newest_is_refused_unless_backdated() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("s.git")).unwrap();
    let s = slug("alpha");
    let doc = |body: &str| Document::new(crate::model::DocumentMeta::default(), body.to_string());
    let newer = request("Ann", "2025-03-02T10:00:00Z", "n", None);
    let older = request("Ann", "2025-03-01T10:00:00Z", "n", None);
    store.commit(&s, &doc("One.\n"), &newer).unwrap();
    let err = store.commit(&s, &doc("Two.\n"), &older).unwrap_err();
    assert!(matches!(err, Error::TimeBackwards { .. }), "{err}");
    assert_eq!(err.exit_code(), 2);
    assert_eq!(store.history(&s).unwrap().len(), 1);
    // Equal times are not backwards.
    store.commit(&s, &doc("Two.\n"), &newer).unwrap();
    store
        .commit_with(&s, &doc("Three.\n"), &older, TimeOrder::Backdate)
        .unwrap();
    assert_eq!(store.history(&s).unwrap().len(), 3);
}

/// One `Arc<Store>` shared by threads that commit and read at once (what
/// `redline serve` does): every commit lands exactly once, in order per
/// explainer, and every reader sees whole histories.
#[test]
fn one_shared_store_serves_concurrent_writers_and_readers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.git");
    let store = std::sync::Arc::new(Store::init(&path).unwrap());
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let store = std::sync::Arc::clone(&store);
            std::thread::spawn(move || {
                let s = slug(&format!("w{w}"));
                for i in 0..10 {
                    let version = committed(
                        store
                            .commit_text(
                                &s,
                                &format!("{w} {i}\n"),
                                &request("Ann", "2025-03-01T10:00:00Z", "n", None),
                            )
                            .unwrap(),
                    );
                    assert_eq!(version.number, i + 1);
                    // Reads between writes see this writer's own commits.
                    let history = store.history(&s).unwrap();
                    assert_eq!(history.len(), i + 1);
                    assert_eq!(store.text(&s, &history[i]).unwrap(), format!("{w} {i}\n"));
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let histories = store.histories().unwrap();
    assert_eq!(histories.len(), 4);
    assert!(histories.values().all(|h| h.len() == 10));
    // The shared memo agrees with a fresh replay from git.
    let fresh = Store::open(&path).unwrap();
    std::fs::remove_file(path.join("redline-histories.json")).unwrap();
    assert_eq!(fresh.histories().unwrap(), histories);
}

/// A bulk write serialises its trees and commits itself (`objects`): on top of
/// a tree holding more than explainers (a root file, a nested folder, as a git
/// user might add), each new commit must be exactly what libgit2 makes of its
/// parent with that version's file upserted, and read back as the version.
#[test]
fn a_batch_makes_the_commits_libgit2_would_and_keeps_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("s.git")).unwrap();
    let base = plain_commit(
        &store,
        &[
            ("README", Some("synthetic root file\n")),
            ("explainers/alpha.md", Some("a1\n")),
            (
                "explainers/alpha/notes.txt",
                Some("a synthetic nested file\n"),
            ),
            ("explainers/alpha.mdx", Some("x\n")),
        ],
        "plain git",
    );
    let (alpha, beta) = (slug("alpha"), slug("beta"));
    let versions: [(&Slug, &str, &str, &str); 4] = [
        (&beta, "b1\n", "2025-03-01T10:00:00+05:30", "Ann"),
        (&alpha, "a2\n", "2025-03-02T10:00:00-08:00", "Bo <b>"),
        (&beta, "b2\n", "2025-03-03T10:00:00Z", "Ann"),
        (&alpha, "a2\n", "2025-03-04T10:00:00Z", "Ann"),
    ];
    let batch: Vec<BatchVersion<'_>> = versions
        .iter()
        .map(|(slug, text, when, editor)| BatchVersion {
            slug,
            text,
            blob: blob_id(text.as_bytes()).unwrap(),
            editor,
            updated: DateTime::parse_from_rfc3339(when).unwrap(),
            note: "a synthetic note",
            kind: UpdateKind::Minor,
        })
        .collect();
    let done = std::cell::Cell::new(0);
    let base_hex = base.to_string();
    assert!(store
        .append_batch(Some(&base_hex), &batch, &|n| done.set(n))
        .unwrap());
    assert_eq!(done.get(), batch.len());

    let repo = &*store.repo().unwrap();
    let mut commits = Vec::new();
    let mut at = repo
        .find_commit(history::main_tip(repo).unwrap().unwrap())
        .unwrap();
    while at.id() != base {
        let parent = at.parent(0).unwrap();
        commits.push(at);
        at = parent;
    }
    commits.reverse();
    assert_eq!(commits.len(), batch.len());
    let mut parent_tree = repo.find_commit(base).unwrap().tree().unwrap();
    for (commit, version) in commits.iter().zip(&batch) {
        let expected = git2::build::TreeUpdateBuilder::new()
            .upsert(version.slug.store_path(), version.blob, FileMode::Blob)
            .create_updated(repo, &parent_tree)
            .unwrap();
        assert_eq!(commit.tree_id(), expected, "{}", version.slug);
        let author = commit.author();
        assert_eq!(author.name().unwrap(), message::author_name(version.editor));
        assert_eq!(author.when(), message::time_to_git(&version.updated));
        assert_eq!(commit.committer().name().unwrap(), message::COMMITTER_NAME);
        assert_eq!(
            commit.message().unwrap(),
            message::compose(version.note, version.kind, version.slug, version.editor)
        );
        // The id is the content's.
        let odb = repo.odb().unwrap();
        let object = odb.read(commit.id()).unwrap();
        assert_eq!(
            Oid::hash_object(ObjectType::Commit, object.data()).unwrap(),
            commit.id()
        );
        parent_tree = commit.tree().unwrap();
    }
    let tip_tree = commits.last().unwrap().tree().unwrap();
    for kept in [
        "README",
        "explainers/alpha/notes.txt",
        "explainers/alpha.mdx",
    ] {
        assert!(tip_tree.get_path(Path::new(kept)).is_ok(), "{kept}");
    }
    let alpha_history = store.history(&alpha).unwrap();
    let beta_history = store.history(&beta).unwrap();
    assert_eq!(
        store.text(&alpha, alpha_history.last().unwrap()).unwrap(),
        "a2\n"
    );
    assert_eq!(
        store.text(&beta, beta_history.last().unwrap()).unwrap(),
        "b2\n"
    );
    assert_eq!(beta_history.len(), 2);
}
