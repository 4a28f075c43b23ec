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
    let repo = &store.repo;
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
    let before = store.repo.refname_to_id(MAIN_REF).unwrap();
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
            assert_eq!(expected, &format!("v1 ({})", v1.short_id()));
            assert_eq!(newer, &format!("v2 ({})", v2.short_id()));
        }
        other => panic!("{other}"),
    }
    assert_eq!(err.exit_code(), 3);
    assert_eq!(store.repo.refname_to_id(MAIN_REF).unwrap(), before);
}

#[test]
fn bad_editor_is_refused_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(&dir.path().join("s.git")).unwrap();
    let err = store
        .commit_text(
            &slug("alpha"),
            "x\n",
            &request("A <b>", "2025-03-01T10:00:00Z", "n", None),
        )
        .unwrap_err();
    assert!(err.to_string().contains("editor name"), "{err}");
    assert_eq!(history::main_tip(&store.repo).unwrap(), None);
}
