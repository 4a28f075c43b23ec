//! The web editor in a real headless Chromium, driven through ChromeDriver
//! (the WebDriver client is `support::browser`), against the real
//! `redline serve` and a real temporary store: sign in, edit, preview,
//! publish, the changelog; and two editors publishing from the same version.
//! At 390 px wide (a phone) every editor page must fit without sideways
//! scrolling. Set `REDLINE_SCREENSHOTS` to keep PNGs of each step in
//! `../screens-editor/`.

use std::io::Write;
use std::path::PathBuf;

use serde_json::json;

use crate::serve::{demo, new_client, token, versions, Server, FULLFACT};
use crate::support::browser::{Browser, PHONE_WIDTH};

/// The editor's steps (the WebDriver client is in `support::browser`).
impl Browser {
    /// Select `old` in the textarea `#text`, as an editor would with the
    /// mouse, and type `new` over it.
    fn replace_in_text(&self, old: &str, new: &str) {
        let found = self.execute(
            "const t = document.getElementById('text');
             const at = t.value.indexOf(arguments[0]);
             if (at < 0) { return false; }
             t.focus();
             t.setSelectionRange(at, at + arguments[0].length);
             return true;",
            json!([old]),
        );
        assert_eq!(found, json!(true), "{old:?} is not in the editor's text");
        self.type_into("#text", new);
    }

    /// The page fits a phone's width: nothing scrolls sideways.
    fn assert_fits_width(&self, what: &str) {
        let sizes = self.execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            json!([]),
        );
        let (scroll, inner) = (sizes[0].as_u64().unwrap(), sizes[1].as_u64().unwrap());
        // A phone widens its layout viewport (innerWidth) to fit content
        // wider than the screen, so both must stay at the phone's width.
        assert!(
            scroll <= PHONE_WIDTH && inner == PHONE_WIDTH,
            "{what} does not fit a {PHONE_WIDTH} px phone: {scroll} px of content in a {inner} px viewport ({})",
            self.current_url()
        );
    }

    /// A PNG of the window in `../screens-editor/NAME.png` when
    /// `REDLINE_SCREENSHOTS` is set; the screenshot is taken (and decoded) either way.
    fn screenshot(&self, name: &str) {
        let png = self.screenshot_png();
        assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
        if std::env::var_os("REDLINE_SCREENSHOTS").is_some() {
            let dir = PathBuf::from("../screens-editor");
            std::fs::create_dir_all(&dir).unwrap();
            let mut file = std::fs::File::create(dir.join(format!("{name}.png"))).unwrap();
            file.write_all(&png).unwrap();
        }
    }

    fn sign_in(&self, server: &Server, token: &str, path: &str) {
        self.go(&server.url(path));
        assert_eq!(self.text("h1"), "Sign in to edit");
        self.assert_fits_width("the sign-in page");
        self.type_into("#token", token);
        self.click("form[action='/edit/_sign-in'] button[type=submit]");
        // The sign-in page is at the editor's own URL: only the heading tells
        // the editor from the page the click left.
        self.wait_for_text("h1", |h| h.starts_with("Edit "));
        assert_eq!(self.current_url(), server.url(path));
        assert!(self.text("h1").starts_with("Edit "), "{}", self.text("h1"));
    }
}

/// A publish lands on the explainer's changelog, which lists the new
/// version with its note and editor.
fn assert_on_changelog(browser: &Browser, server: &Server, note: &str, editor: &str) {
    browser.wait_for_url(&server.url(&format!("/{FULLFACT}/changes.html")));
    let body = browser.text("main");
    assert!(body.contains(note), "the changelog lacks {note:?}: {body}");
    assert!(
        body.contains(editor),
        "the changelog lacks {editor:?}: {body}"
    );
    browser.assert_fits_width("the changelog");
}

#[test]
fn web_editor_in_headless_chromium_previews_publishes_and_resolves_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let tokens = dir.path().join("tokens.toml");
    let ada = token(&tokens, "Ada Editor", "editor");
    let bo = token(&tokens, "Bo Editor", "editor");
    let server = Server::start(&store, &["--tokens", tokens.to_str().unwrap()]);
    let path = format!("/edit/{FULLFACT}");
    let before = versions(&new_client(), &server, FULLFACT).len();

    // Flow 1: sign in, change a number, preview, publish, the changelog.
    let a = Browser::phone(&dir.path().join("profile-a"));
    a.sign_in(&server, &ada, &path);
    a.assert_fits_width("the editor");
    a.screenshot("1-editor");
    let heading = a.text("h1");
    let started_from = a.text("main > p.meta");
    assert!(
        started_from.contains(&format!("Editing from v{before} of")),
        "{started_from}"
    );
    a.replace_in_text("held on 18 February", "held on 20 February");
    a.type_into("#note", "Corrected the date of the Riyadh talks");
    a.click("button[value=preview]");
    assert_eq!(a.text("#preview"), "What readers will be told");
    // The preview still says what is being edited, and from which version.
    assert_eq!(a.text("h1"), heading);
    assert_eq!(a.text("main > p.meta"), started_from);
    let removed = a.texts("section[aria-labelledby=preview] del");
    let added = a.texts("section[aria-labelledby=preview] ins");
    assert!(
        removed.iter().any(|t| t.contains("18")),
        "the preview does not show 18 removed: {removed:?}"
    );
    assert!(
        added.iter().any(|t| t.contains("20")),
        "the preview does not show 20 added: {added:?}"
    );
    let highlights = a.texts("section[aria-labelledby=preview] .highlights > li");
    assert!(
        highlights
            .iter()
            .any(|h| h.contains("18") && h.contains("20")),
        "no highlight tells readers of 18 → 20: {highlights:?}"
    );
    // The preview keeps the edit and stores nothing.
    assert!(a.value("#text").contains("held on 20 February"));
    assert_eq!(a.value("#note"), "Corrected the date of the Riyadh talks");
    assert_eq!(versions(&new_client(), &server, FULLFACT).len(), before);
    a.assert_fits_width("the preview");
    a.screenshot("2-preview");
    a.click("button[value=publish]");
    assert_on_changelog(
        &a,
        &server,
        "Corrected the date of the Riyadh talks",
        "Ada Editor",
    );
    a.screenshot("3-changelog");
    assert_eq!(versions(&new_client(), &server, FULLFACT).len(), before + 1);
    a.go(&server.url(&format!("/{FULLFACT}/")));
    let page = a.text("main");
    assert!(page.contains("held on 20 February"), "{page}");
    assert!(!page.contains("held on 18 February"), "{page}");

    // Flow 2: Ada and Bo open the same version; Ada publishes first.
    let b = Browser::phone(&dir.path().join("profile-b"));
    b.sign_in(&server, &bo, &path);
    a.go(&server.url(&path));
    a.replace_in_text("met on three occasions", "met on four occasions");
    a.type_into("#note", "Ada: four meetings");
    a.click("button[value=publish]");
    assert_on_changelog(&a, &server, "Ada: four meetings", "Ada Editor");

    // Bo publishes from the version he opened: refused, Ada's change shown,
    // his text kept.
    b.replace_in_text("in recent weeks", "in recent months");
    b.type_into("#note", "Bo: months, not weeks");
    let bos_text = b.value("#text");
    b.click("button[value=publish]");
    assert_eq!(b.text("#conflict"), "Someone else published first");
    assert_eq!(b.text("h1"), heading);
    let started_from = b.text("main > p.meta");
    assert!(
        started_from.contains(&format!("Editing from v{} of", before + 2)),
        "publishing again must start from Ada's version: {started_from}"
    );
    let conflict = b.text("section[aria-labelledby=conflict]");
    assert!(conflict.contains("Ada Editor"), "{conflict}");
    assert!(conflict.contains("Ada: four meetings"), "{conflict}");
    assert!(
        conflict.contains("Publishing again replaces their version with your text"),
        "{conflict}"
    );
    let theirs_removed = b.texts("section[aria-labelledby=conflict] del");
    let theirs_added = b.texts("section[aria-labelledby=conflict] ins");
    assert!(
        theirs_removed.iter().any(|t| t.contains("three")),
        "{theirs_removed:?}"
    );
    assert!(
        theirs_added.iter().any(|t| t.contains("four")),
        "{theirs_added:?}"
    );
    assert_eq!(b.value("#text"), bos_text);
    assert_eq!(b.value("#note"), "Bo: months, not weeks");
    assert_eq!(versions(&new_client(), &server, FULLFACT).len(), before + 2);
    b.assert_fits_width("the conflict page");
    b.screenshot("4-conflict");

    // Publishing again replaces Ada's version with Bo's text, as the
    // conflict page told him.
    b.click("button[value=publish]");
    assert_on_changelog(&b, &server, "Bo: months, not weeks", "Bo Editor");
    b.screenshot("5-changelog-after-conflict");
    let history = versions(&new_client(), &server, FULLFACT);
    assert_eq!(history.len(), before + 3);
    assert_eq!(history[before + 2]["editor"], json!("Bo Editor"));
    b.go(&server.url(&format!("/{FULLFACT}/")));
    let page = b.text("main");
    assert!(page.contains("in recent months"), "{page}");
    assert!(page.contains("met on three occasions"), "{page}");
}
