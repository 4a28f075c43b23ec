//! A minimal W3C WebDriver client over reqwest for Debian's headless Chromium,
//! driven through one ChromeDriver that every browser test of the run shares
//! (starting it per test cost a process each; a browser session is still one
//! Chromium per test, or per profile where a test needs two sign-ins).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use base64::Engine;
use reqwest::blocking::Client;
use serde_json::{json, Value};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// The W3C key under which an element reference travels.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// A phone's viewport width in CSS pixels.
pub const PHONE_WIDTH: u64 = 390;

/// A running ChromeDriver on a free local port, killed when the last test
/// holding it drops it.
pub struct ChromeDriver {
    child: Child,
    base: String,
    http: Client,
}

/// The ChromeDriver of this run: the one another test is using, or a new one.
pub fn chromedriver() -> Arc<ChromeDriver> {
    static SHARED: Mutex<Weak<ChromeDriver>> = Mutex::new(Weak::new());
    let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(driver) = shared.upgrade() {
        return driver;
    }
    let driver = Arc::new(ChromeDriver::start());
    *shared = Arc::downgrade(&driver);
    driver
}

impl ChromeDriver {
    fn start() -> ChromeDriver {
        assert!(
            Path::new(CHROMEDRIVER).is_file() && Path::new(CHROMIUM).is_file(),
            "the browser tests need Debian's chromium and ChromeDriver: install them with `apt-get update && apt-get install -y chromium chromium-driver`"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let driver = ChromeDriver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http: Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let ready = driver
                .http
                .get(format!("{}/status", driver.base))
                .send()
                .ok()
                .and_then(|r| r.json::<Value>().ok())
                .is_some_and(|v| v["value"]["ready"] == json!(true));
            if ready {
                return driver;
            }
            assert!(Instant::now() < deadline, "ChromeDriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One WebDriver command; the reply's `value`, or a panic naming the error.
fn call(http: &Client, method: &str, url: &str, body: &Value) -> Value {
    try_call(http, method, url, body).unwrap_or_else(|error| panic!("{error}"))
}

/// [`call`], with a WebDriver error as the error.
fn try_call(http: &Client, method: &str, url: &str, body: &Value) -> Result<Value, String> {
    let request = match method {
        "GET" => http.get(url),
        "DELETE" => http.delete(url),
        _ => http.post(url).json(body),
    };
    let response = request.send().unwrap();
    let status = response.status();
    let reply: Value = response.json().unwrap();
    if status.is_success() {
        Ok(reply["value"].clone())
    } else {
        Err(format!("{method} {url}: {status} {reply}"))
    }
}

/// One WebDriver session (one headless Chromium with its own profile),
/// closed when dropped.
pub struct Browser {
    driver: Arc<ChromeDriver>,
    id: String,
}

impl Browser {
    /// A browser emulating a phone PHONE_WIDTH px wide (Chromium will not
    /// make a window narrower than 500 px, so the viewport is emulated).
    pub fn phone(profile: &Path) -> Browser {
        Browser::open(
            profile,
            &["--window-size=390,1200"],
            json!({"deviceMetrics": {
                "width": PHONE_WIDTH, "height": 1200, "pixelRatio": 1.0, "mobile": true, "touch": false,
            }}),
        )
    }

    /// A desktop browser with extra command-line switches.
    pub fn desktop(profile: &Path, extra: &[&str]) -> Browser {
        Browser::open(profile, extra, Value::Null)
    }

    fn open(profile: &Path, extra: &[&str], mobile_emulation: Value) -> Browser {
        let mut args: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ]
        .iter()
        .chain(extra)
        .map(|a| a.to_string())
        .collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let mut options = json!({ "binary": CHROMIUM, "args": args });
        if !mobile_emulation.is_null() {
            options["mobileEmulation"] = mobile_emulation;
        }
        let body = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            // Finding an element waits for the page a click loads.
            "timeouts": {"implicit": 5000},
            "goog:chromeOptions": options,
        }}});
        let driver = chromedriver();
        let value = call(
            &driver.http,
            "POST",
            &format!("{}/session", driver.base),
            &body,
        );
        let id = value["sessionId"].as_str().unwrap().to_string();
        Browser { driver, id }
    }

    pub fn command(&self, method: &str, path: &str, body: Value) -> Value {
        self.try_command(method, path, body)
            .unwrap_or_else(|error| panic!("{error}"))
    }

    /// [`Self::command`], with a WebDriver error as the error (for polling while a page loads).
    fn try_command(&self, method: &str, path: &str, body: Value) -> Result<Value, String> {
        let url = format!("{}/session/{}{path}", self.driver.base, self.id);
        try_call(&self.driver.http, method, &url, &body)
    }

    /// Load `url` and wait for its load event.
    pub fn go(&self, url: &str) {
        self.command("POST", "/url", json!({ "url": url }));
    }

    pub fn current_url(&self) -> String {
        self.command("GET", "/url", json!({}))
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Wait for a navigation (a form's POST and its redirect) to arrive at `url`:
    /// ChromeDriver's click may return before a page that follows a 4xx page loads.
    pub fn wait_for_url(&self, url: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.current_url() != url {
            assert!(
                Instant::now() < deadline,
                "the browser is not at {url} but at {}: {}",
                self.current_url(),
                self.text("body")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let ready = "return document.readyState;";
        while self.execute(ready, json!([])) != json!("complete") {
            assert!(Instant::now() < deadline, "{url} did not finish loading");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Wait (up to 10 s) until the first `css` element's text passes `done`, and
    /// return it. For a form that posts back to its own URL, where [`Self::wait_for_url`]
    /// cannot tell the page that follows from the one before (ChromeDriver's click
    /// may return before that page loads); errors while the old page goes are retried.
    pub fn wait_for_text(&self, css: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        let script =
            "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;";
        let body = json!({"script": script, "args": [css]});
        loop {
            let text = self.try_command("POST", "/execute/sync", body.clone());
            if let Ok(Value::String(text)) = &text {
                if done(text) {
                    return text.clone();
                }
            }
            assert!(
                Instant::now() < deadline,
                "{css} never showed the text awaited; last: {text:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The first element matching `css` (waiting up to the implicit timeout).
    pub fn find(&self, css: &str) -> String {
        let value = self.command(
            "POST",
            "/element",
            json!({"using": "css selector", "value": css}),
        );
        match value[ELEMENT].as_str() {
            Some(element) => element.to_string(),
            None => panic!("no {css} in {}: {value}", self.current_url()),
        }
    }

    pub fn find_all(&self, css: &str) -> Vec<String> {
        let value = self.command(
            "POST",
            "/elements",
            json!({"using": "css selector", "value": css}),
        );
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e[ELEMENT].as_str().unwrap().to_string())
            .collect()
    }

    pub fn texts(&self, css: &str) -> Vec<String> {
        self.find_all(css).iter().map(|e| self.text_of(e)).collect()
    }

    pub fn text_of(&self, element: &str) -> String {
        self.command("GET", &format!("/element/{element}/text"), json!({}))
            .as_str()
            .unwrap()
            .to_string()
    }

    pub fn text(&self, css: &str) -> String {
        self.text_of(&self.find(css))
    }

    /// The current value of a form field (what the browser would submit).
    pub fn value(&self, css: &str) -> String {
        let element = self.find(css);
        self.command(
            "GET",
            &format!("/element/{element}/property/value"),
            json!({}),
        )
        .as_str()
        .unwrap()
        .to_string()
    }

    pub fn click(&self, css: &str) {
        let element = self.find(css);
        self.command("POST", &format!("/element/{element}/click"), json!({}));
    }

    pub fn type_into(&self, css: &str, keys: &str) {
        let element = self.find(css);
        self.command(
            "POST",
            &format!("/element/{element}/value"),
            json!({ "text": keys }),
        );
    }

    pub fn execute(&self, script: &str, args: Value) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": args}),
        )
    }

    /// The DOM as Chromium's `--dump-dom` prints it.
    pub fn dom(&self) -> String {
        self.execute("return document.documentElement.outerHTML;", json!([]))
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Give the page a `width`×`height` CSS-pixel viewport (any width: the
    /// window itself cannot be narrower than 500 px).
    pub fn set_viewport(&self, width: u64, height: u64) {
        self.command(
            "POST",
            "/goog/cdp/execute",
            json!({"cmd": "Emulation.setDeviceMetricsOverride", "params": {
                "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false,
            }}),
        );
    }

    /// A PNG of the viewport.
    pub fn screenshot_png(&self) -> Vec<u8> {
        let encoded = self.command("GET", "/screenshot", json!({}));
        base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap())
            .unwrap()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let url = format!("{}/session/{}", self.driver.base, self.id);
        let _ = self.driver.http.delete(url).send();
    }
}
