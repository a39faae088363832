//! End-to-end tests in the real window: the debug `rebound-window` program, driven through
//! tauri-driver and WebKitWebDriver. They need an X display (run under Xvfb), tauri-driver
//! (`cargo install tauri-driver --locked --version 2.1.0`) and WebKitWebDriver
//! (Debian: webkit2gtk-driver). Without them they print SKIPPING and pass, unless
//! E2E_REQUIRED=1 (set by .ci/run), which makes a skip a failure.
//!
//! Each test gets its own data folder and its own tauri-driver; they run one at a time.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use rebound_core::store::Store;
use serde_json::{json, Value};

use crate::util::temp_dir;

const BIN: &str = env!("CARGO_BIN_EXE_rebound-window");
const WAIT: Duration = Duration::from_secs(20);
/// How many times a session on a freshly started window is asked for.
const SESSION_TRIES: u32 = 3;

/// One window at a time: two WebKit processes on two cores only slow each other down.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn find_program(name: &str, extra: &[PathBuf]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(extra.iter().cloned())
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// What the end-to-end tests need, or why they cannot run here.
fn prerequisites() -> Result<(PathBuf, PathBuf), String> {
    if std::env::var_os("DISPLAY").is_none() {
        return Err("no DISPLAY (run under xvfb-run)".into());
    }
    let cargo_bin = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin"));
    let driver = find_program("tauri-driver", &cargo_bin.into_iter().collect::<Vec<_>>()).ok_or(
        "tauri-driver is not installed (cargo install tauri-driver --locked --version 2.1.0)",
    )?;
    let native = find_program("WebKitWebDriver", &[PathBuf::from("/usr/bin")])
        .ok_or("WebKitWebDriver is not installed (apt-get install webkit2gtk-driver)")?;
    Ok((driver, native))
}

/// Run `scenario` in the real window, or skip (or fail, with E2E_REQUIRED=1).
fn in_window<F, Fut>(name: &str, env: &[(&str, &Path)], scenario: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = Client> + Send + 'static,
{
    run_window(name, env, true, scenario);
}

/// The same, with the window left at the size it opened at (E2E_WINDOW ignored): for a
/// test of the size the window remembers.
fn in_window_as_opened<F, Fut>(name: &str, env: &[(&str, &Path)], scenario: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = Client> + Send + 'static,
{
    run_window(name, env, false, scenario);
}

fn run_window<F, Fut>(name: &str, env: &[(&str, &Path)], resize: bool, scenario: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = Client> + Send + 'static,
{
    let (driver, native) = match prerequisites() {
        Ok(found) => found,
        Err(why) => {
            assert!(
                std::env::var("E2E_REQUIRED").as_deref() != Ok("1"),
                "e2e {name} cannot run: {why}"
            );
            println!("SKIPPING e2e {name}: {why}");
            return;
        }
    };
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    println!("e2e {name}: starting the real window");
    let started = Instant::now();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        // On a busy machine WebKitWebDriver sometimes gives up waiting for the app to
        // start; another try with a fresh driver is enough.
        let mut tries = 1;
        let log = output_log(name);
        let (_driver, client) = loop {
            let attempt = Driver::start(&driver, &native, env, &log);
            match attempt.connect().await {
                Ok(client) => break (attempt, client),
                Err(e) if tries < SESSION_TRIES => {
                    println!("e2e {name}: no session on try {tries} ({e}); trying again");
                    tries += 1;
                }
                Err(e) => {
                    panic!("no WebDriver session on the Rebound window after {tries} tries: {e}")
                }
            }
        };
        let window = if resize {
            size_window(&client).await
        } else {
            js(
                &client,
                "return `${window.innerWidth}x${window.innerHeight}`",
            )
            .await
            .as_str()
            .unwrap_or("unknown size")
            .to_string()
        };
        println!("e2e {name}: window {window}");
        // The scenario runs as a task of its own so that a failed step (a panic) still
        // leaves the session here to take a picture of the screen and the page with.
        let watcher = client.clone();
        match tokio::spawn(scenario(client)).await {
            Ok(client) => client.close().await.expect("the session closes"),
            Err(failure) => {
                let why = panic_text(failure);
                let saved = save_failure(&watcher, name).await;
                let _ = watcher.close().await;
                let printed = log_tail(&log);
                panic!("e2e {name} failed at {window}: {why}\n{saved}\n{printed}");
            }
        }
    });
    println!(
        "e2e {name}: passed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// The size the window is tested at: `E2E_WINDOW=WIDTHxHEIGHT` (e.g. 800x600, the
/// smallest the window allows), or the size tauri.conf.json opens it at. Returns the
/// page's inner size as the window reports it.
async fn size_window(client: &Client) -> String {
    if let Ok(asked) = std::env::var("E2E_WINDOW") {
        let (w, h) = asked
            .split_once('x')
            .and_then(|(w, h)| Some((w.parse::<u32>().ok()?, h.parse::<u32>().ok()?)))
            .unwrap_or_else(|| panic!("E2E_WINDOW={asked:?}: expected WIDTHxHEIGHT, e.g. 800x600"));
        client
            .set_window_size(w, h)
            .await
            .unwrap_or_else(|e| panic!("the window could not be resized to {asked}: {e}"));
        // The resize reaches the page a moment later.
        let want = json!([w, h]);
        let deadline = Instant::now() + WAIT;
        while js(client, "return [window.innerWidth, window.innerHeight]").await != want {
            assert!(
                Instant::now() < deadline,
                "the page never became {asked}: {}",
                js(client, "return [window.innerWidth, window.innerHeight]").await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let size = js(
        client,
        "return `${window.innerWidth}x${window.innerHeight}`",
    )
    .await;
    size.as_str().unwrap_or("unknown size").to_string()
}

/// The message a panicking scenario task ended with.
fn panic_text(failure: tokio::task::JoinError) -> String {
    match failure.try_into_panic() {
        Ok(payload) => payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic without a message".into()),
        Err(e) => format!("the scenario task did not finish: {e}"),
    }
}

/// Where the app, tauri-driver and WebKitWebDriver write for the test `name`: a file
/// made empty for each test, beside the failures' folder (`target/e2e-logs`).
fn output_log(name: &str) -> PathBuf {
    let dir = failure_dir().with_file_name("e2e-logs");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{name}.log"));
    let _ = std::fs::write(&path, b"");
    path
}

/// The last lines the app and the drivers wrote (what Rust said went wrong, if it said
/// anything), for the log of a failed test.
fn log_tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let tail = &lines[lines.len().saturating_sub(LOG_TAIL_LINES)..];
    if tail.is_empty() {
        return format!("the app and the drivers wrote nothing ({})", log.display());
    }
    format!(
        "the app and the drivers wrote, last {} lines of {}:\n  {}",
        tail.len(),
        log.display(),
        tail.join("\n  ")
    )
}

/// How many of those lines a failed test prints.
const LOG_TAIL_LINES: usize = 30;

/// Where a failed step leaves its picture and page: a known folder under the target
/// dir (`target/e2e-failures`), so CI and a person can find them.
fn failure_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("e2e-failures")
}

/// Save a screenshot and the page's HTML for a failed scenario; say where they are.
async fn save_failure(client: &Client, name: &str) -> String {
    let dir = failure_dir();
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return format!(
            "(no screenshot or page saved: could not create {}: {e})",
            dir.display()
        );
    }
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let html_path = dir.join(format!("{name}-{stamp}.html"));
    let html = js(client, "return document.documentElement.outerHTML").await;
    let html_said = match std::fs::write(&html_path, html.as_str().unwrap_or_default()) {
        Ok(()) => format!("page: {}", html_path.display()),
        Err(e) => format!("page not saved ({e})"),
    };
    let png_path = dir.join(format!("{name}-{stamp}.png"));
    let png_said = match screenshot_to(&png_path).await {
        Ok(()) => format!("screenshot: {}", png_path.display()),
        Err(e) => format!("screenshot not saved ({e})"),
    };
    let said = match client.execute(PAGE_SAYS, vec![]).await {
        Ok(Value::String(said)) => said,
        Ok(other) => format!("  (unexpected {other})"),
        Err(e) => format!("  (the page could not be read: {e})"),
    };
    format!("{png_said}\n{html_said}\nthe page says:\n{said}")
}

/// What a person would read on the failed screen, for the log of a machine whose
/// screenshot cannot be looked at: the open dialogs and views, every visible alert and
/// field error, the toast, and the editor's fields that are filled in.
const PAGE_SAYS: &str = r##"
const seen = (e) => !!e && !e.hidden && e.getClientRects().length > 0;
const text = (e) => e.textContent.replace(/\s+/g, " ").trim();
const lines = [];
for (const d of document.querySelectorAll("dialog[open]")) lines.push(`dialog #${d.id}: ${text(d).slice(0, 200)}`);
for (const v of document.querySelectorAll("[id^=view-], #editor, #startup")) if (seen(v)) lines.push(`shown: #${v.id}`);
for (const a of document.querySelectorAll("[role=alert], .field-error, .form-message, #toast"))
  if (seen(a) && text(a)) lines.push(`${a.id ? "#" + a.id : a.className}: ${text(a).slice(0, 200)}`);
const form = document.querySelector("#cycle-form");
if (form && seen(document.querySelector("#editor"))) {
  const filled = [...new FormData(form)].filter(([, v]) => String(v).trim() !== "");
  lines.push(`editor fields: ${filled.map(([k, v]) => `${k}=${JSON.stringify(String(v).slice(0, 40))}`).join(", ")}`);
  lines.push(`save button disabled: ${document.querySelector("#save")?.disabled}`);
}
lines.push(`focus: ${document.activeElement?.id || document.activeElement?.tagName}`);
return lines.map((l) => "  " + l).join("\n");
"##;

/// `log` opened for appending, as a child's output (nowhere if it cannot be opened).
fn appended(log: &Path) -> Stdio {
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(log)
        .map_or_else(|_| Stdio::null(), Stdio::from)
}

/// A running tauri-driver, stopped with SIGTERM so it also stops WebKitWebDriver.
struct Driver {
    child: Child,
    port: u16,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Driver {
    fn start(driver: &Path, native: &Path, env: &[(&str, &Path)], log: &Path) -> Driver {
        let port = free_port();
        let native_port = loop {
            let other = free_port();
            if other != port {
                break other;
            }
        };
        let mut command = Command::new(driver);
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .arg("--native-driver")
            .arg(native)
            .stdout(appended(log))
            .stderr(appended(log))
            // Its own process group, so the app it starts can be stopped with it.
            .process_group(0);
        for (key, value) in env {
            command.env(key, value); // the app inherits tauri-driver's environment
        }
        let child = command.spawn().expect("tauri-driver starts");
        // Both must listen before a session is asked for: tauri-driver passes the request
        // on to WebKitWebDriver, and if that one is not up yet the request is dropped
        // (seen as "webdriver server did not respond" on a busy machine).
        let deadline = Instant::now() + WAIT;
        for (who, listening_on) in [("tauri-driver", port), ("WebKitWebDriver", native_port)] {
            while std::net::TcpStream::connect(("127.0.0.1", listening_on)).is_err() {
                assert!(
                    Instant::now() < deadline,
                    "{who} did not listen on {listening_on}"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Driver { child, port }
    }

    async fn connect(&self) -> Result<Client, fantoccini::error::NewSessionError> {
        let mut caps = serde_json::Map::new();
        caps.insert("tauri:options".into(), json!({ "application": BIN }));
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        // Give the app a moment to close on its own, then stop what is left.
        let deadline = Instant::now() + Duration::from_secs(3);
        while self.group_alive() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        if self.group_alive() {
            self.stop_group();
        }
    }
}

impl Driver {
    /// Stop whatever is left of the session: WebKitWebDriver normally closes the app
    /// when the session ends, but not always promptly. The data is flushed after every
    /// write, so stopping the app here loses nothing.
    fn group_alive(&self) -> bool {
        Command::new("kill")
            .args(["-0", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    fn stop_group(&self) {
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
    }
}

/// Evaluate `script` (a function body) in the page.
async fn js(client: &Client, script: &str) -> Value {
    client
        .execute(script, vec![])
        .await
        .expect("the script runs")
}

/// Right-clicks (a `contextmenu` event) on Today's chart, a sidebar link, the search
/// field and selected text; answers, for each, whether the web view may show its menu.
const CONTEXT_MENUS: &str = "
const shown = (node) => node.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true }));
const chart = shown(document.querySelector('#evidence-chart'));
const link = shown(document.querySelector('a.nav-item'));
const field = shown(document.querySelector('#search-text'));
const sentence = document.querySelector('#evidence-sentence');
const range = document.createRange();
range.selectNodeContents(sentence);
getSelection().removeAllRanges();
getSelection().addRange(range);
const selected = shown(sentence);
getSelection().removeAllRanges();
return [chart, link, field, selected];
";

/// Feeds `dom.js`'s `chartElement` a chart with script, links, handlers and foreign
/// content, then text that is not SVG, SVG with a control character, and XHTML; answers
/// the first one's element and attribute names as kept, what the others gave, and
/// whether any of the script ran.
const HOSTILE_CHARTS: &str = r##"
const done = arguments[arguments.length - 1];
import("./js/dom.js").then(({ chartElement }) => {
  const svg = (body) => `<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9" onload="window.ran = 1">${body}</svg>`;
  const hostile = chartElement(svg(
    '<script>window.ran = 2</script><a href="javascript:window.ran = 3"><text>link</text></a>'
    + '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'
    + '<image href="x.png"/><rect width="1" height="1" onclick="window.ran = 4"/>'
    + '<text xlink:href="#x" xmlns:xlink="http://www.w3.org/1999/xlink">kept</text>'));
  const all = [hostile, ...hostile.querySelectorAll("*")];
  const attributes = new Set(all.flatMap((node) => [...node.attributes].map((a) => a.name)));
  done([
    all.map((node) => node.localName),
    [...attributes].sort(),
    chartElement("not a drawing"),
    chartElement(svg("<text></text>")),
    chartElement('<html xmlns="http://www.w3.org/1999/xhtml"><body>x</body></html>'),
    window.ran ?? null,
  ]);
}, (error) => done(String(error)));
"##;

/// Wait until `script` returns something truthy, and return it.
async fn until(client: &Client, what: &str, script: &str) -> Value {
    soon(client, script, WAIT)
        .await
        .unwrap_or_else(|last| panic!("timed out waiting for {what}; last value {last}"))
}

/// What `script` returns once it is truthy within `wait`, or (Err) what it last returned.
async fn soon(client: &Client, script: &str, wait: Duration) -> Result<Value, Value> {
    let deadline = Instant::now() + wait;
    loop {
        let value = js(client, script).await;
        let truthy = !matches!(&value, Value::Null | Value::Bool(false))
            && value != json!("")
            && value != json!(0);
        if truthy {
            return Ok(value);
        }
        if Instant::now() > deadline {
            return Err(value);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Bring the element `css` into view, centred in every scrolling box around it, and
/// wait until nothing covers its centre (a sticky bar, a dialog, a toast): a click or
/// keystroke then reaches it whatever the window's size and the fonts' metrics.
async fn reach(client: &Client, css: &str) -> fantoccini::elements::Element {
    let script = format!(
        "const e = document.querySelector({css:?}); \
         if (!e || e.getClientRects().length === 0) return false; \
         e.scrollIntoView({{block: 'center', inline: 'center'}}); \
         const r = e.getBoundingClientRect(); \
         const x = r.left + r.width / 2, y = r.top + r.height / 2; \
         if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return false; \
         const top = document.elementFromPoint(x, y); \
         return !!top && (top === e || e.contains(top));"
    );
    until(client, &format!("{css} to be reachable"), &script).await;
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} not found: {e}"))
}

async fn click(client: &Client, css: &str) {
    reach(client, css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("{css} not clickable: {e}"));
}

async fn type_into(client: &Client, css: &str, text: &str) {
    let field = reach(client, css).await;
    field
        .clear()
        .await
        .unwrap_or_else(|e| panic!("{css} could not be cleared: {e}"));
    field
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("{css} did not take the keys: {e}"));
}

/// Press a key (a WebDriver key code such as Escape, "\u{E00C}") in the element `css`.
async fn press(client: &Client, css: &str, key: &str) {
    reach(client, css)
        .await
        .send_keys(key)
        .await
        .unwrap_or_else(|e| panic!("{css} did not take the key: {e}"));
}

/// Press Tab where the focus is, as the keyboard does (WebDriver actions).
async fn press_tab(client: &Client) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let tab = '\u{E004}';
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: tab })
        .then(KeyAction::Up { value: tab });
    client
        .perform_actions(keys)
        .await
        .unwrap_or_else(|e| panic!("Tab could not be pressed: {e}"));
}

/// Choose `value` on the scale or segments `name`, and see it chosen: a click that did
/// not take fails here, naming the field, not later as a form that will not save.
///
/// A click can miss when the form moves between finding the segment and the click
/// arriving: the editor shows its nudges and the adjustment carried from the area's last
/// cycle a moment after a pause (editor.js). Seen once, at 800×600 on a fresh machine:
/// Outcome's "Partial" was not chosen, and the form was otherwise as the test left it.
/// So the segment is watched, frame by frame, from before the click: one not chosen
/// within 3 s that moved meanwhile is clicked again (up to three times); one that did
/// not move fails at once.
async fn choose(client: &Client, name: &str, value: &str) {
    let segment = format!("label[for=\"f-{name}-{value}\"]");
    let checked = format!("return document.getElementById('f-{name}-{value}').checked");
    let watch = format!(
        "const e = document.querySelector({segment:?}); \
         const at = (r) => `${{Math.round(r.left)}},${{Math.round(r.top)}}`; \
         const start = at(e.getBoundingClientRect()); \
         const watch = {{ moved: false, stop: false }}; \
         window.e2eSegmentWatch = watch; \
         const tick = () => {{ \
           if (at(e.getBoundingClientRect()) !== start) watch.moved = true; \
           if (!watch.stop) requestAnimationFrame(tick); \
         }}; \
         requestAnimationFrame(tick);"
    );
    let moved = "const watch = window.e2eSegmentWatch; watch.stop = true; return watch.moved;";
    for attempt in 1..=3 {
        let element = reach(client, &segment).await;
        js(client, &watch).await;
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("{segment} not clickable: {e}"));
        if soon(client, &checked, Duration::from_secs(3)).await.is_ok() {
            js(client, moved).await;
            return;
        }
        assert_eq!(
            js(client, moved).await,
            json!(true),
            "{name} {value} was not chosen by click {attempt}, and its segment had not moved"
        );
        eprintln!(
            "e2e: {name} {value} was not chosen by click {attempt}: its segment moved meanwhile"
        );
    }
    panic!("{name} {value} was not chosen after three clicks on its segment");
}

async fn text_of(client: &Client, css: &str) -> String {
    let script = format!("return document.querySelector({css:?})?.textContent.trim() ?? null");
    js(client, &script)
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Save a picture of the screen into E2E_SCREENSHOT_DIR, if set, for a person to look at.
async fn save_screenshot(name: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("E2E_SCREENSHOT_DIR")?);
    std::fs::create_dir_all(&dir).ok()?;
    let path = dir.join(format!("{name}.png"));
    screenshot_to(&path).await.ok()?;
    Some(path)
}

/// A picture of the whole X screen. It uses ImageMagick's `import` on the display
/// (scripts/setup.sh installs it): WebKitWebDriver's own screenshot command never
/// answers under Xvfb here (and then blocks the session).
async fn screenshot_to(path: &Path) -> Result<(), String> {
    // Let the last change paint before the picture is taken.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let status = Command::new("/usr/bin/import")
        .args(["-window", "root"])
        .arg(path)
        .status()
        .map_err(|e| format!("/usr/bin/import did not run: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("/usr/bin/import failed: {status}"))
    }
}

/// Fill the editor with one attempt and save it.
async fn log_attempt(client: &Client, area: &str, attempt: &str, outcome: &str, days_ago: u32) {
    click(client, "#new-attempt").await;
    until(
        client,
        "the editor",
        "return !document.querySelector('#editor').hidden",
    )
    .await;
    type_into(client, "#f-area", area).await;
    type_into(client, "#f-attempt", attempt).await;
    let set_date = format!(
        "const d = new Date(); d.setDate(d.getDate() - {days_ago}); \
         const p = (n) => String(n).padStart(2, '0'); \
         document.querySelector('#f-attempted_on').value = `${{d.getFullYear()}}-${{p(d.getMonth() + 1)}}-${{p(d.getDate())}}`;"
    );
    js(client, &set_date).await;
    choose(client, "difficulty", "6").await;
    choose(client, "stakes", "3").await;
    choose(client, "effort", "4").await;
    choose(client, "safety", "3").await;
    choose(client, "outcome", outcome).await;
    click(client, "#save").await;
    until(
        client,
        "the editor to close after saving",
        "return document.querySelector('#editor').hidden",
    )
    .await;
}

const PASSPHRASE: &str = "four calm words here";

#[test]
fn in_the_window_a_person_logs_cycles_sees_the_evidence_grow_edits_deletes_exports_and_restores() {
    let dir = temp_dir();
    let (data, out) = (dir.path().join("data"), dir.path().join("out"));
    std::fs::create_dir_all(&out).unwrap();
    // The open dialog "chooses" the backup the save dialog "saved" (the newest in `out`).
    let env = [
        ("REBOUND_DATA_DIR", data.as_path()),
        (rebound_window::desktop::TEST_SAVE_DIR_ENV, out.as_path()),
    ];
    let started_on = chrono::Local::now().date_naive();
    in_window("journey", &env, |c| async move {
        // First run: Today explains the loop and offers the first step.
        until(
            &c,
            "the first-run Today",
            "return !document.querySelector('#welcome').hidden",
        )
        .await;
        assert!(text_of(&c, "#welcome")
            .await
            .contains("Attempt something real but bounded"));
        let _ = save_screenshot("01-first-run").await;

        // Saving an empty attempt says what is missing, beside each field, and keeps the text.
        click(&c, "#first-attempt").await;
        until(
            &c,
            "the editor",
            "return !document.querySelector('#editor').hidden",
        )
        .await;
        type_into(&c, "#f-attempt", "Half-typed attempt").await;
        click(&c, "#save").await;
        until(
            &c,
            "the area's message",
            "return !document.querySelector('#e-area').hidden",
        )
        .await;
        assert!(text_of(&c, "#e-area")
            .await
            .starts_with("Required: name the field you practise in"));
        // A row of segments is chosen, not typed (issue 14: it asked for "a whole number").
        assert_eq!(
            text_of(&c, "#e-difficulty").await,
            "Choose one of the numbers above."
        );
        assert_eq!(
            js(&c, "return document.querySelector('#f-attempt').value").await,
            "Half-typed attempt"
        );
        let _ = save_screenshot("02-field-messages").await;
        // Esc with unsaved text asks first; "keep editing" keeps it.
        press(&c, "#f-attempt", "\u{E00C}").await;
        discard_changes(&c).await;

        // A failure with markup in it, a week ago.
        log_attempt(
            &c,
            "Client pitches",
            "<img src=x onerror=\"window.__owned=1\"> Pitched above my rate",
            "failure",
            7,
        )
        .await;
        until(
            &c,
            "Today with evidence",
            "return !document.querySelector('#evidence').hidden",
        )
        .await;
        until(&c, "the waiting sentence", "return document.querySelector('#evidence-sentence').textContent.includes('One setback is waiting')").await;
        assert_eq!(
            js(&c, "return document.querySelector('#headline').hidden").await,
            true,
            "no score of zero"
        );

        // Trying again in the same area (typed in another case) is evidence.
        log_attempt(
            &c,
            "client PITCHES",
            "Pitched again, result first",
            "success",
            0,
        )
        .await;
        until(
            &c,
            "the evidence to grow",
            "return document.querySelector('#evidence-total').textContent === '1'",
        )
        .await;
        assert_eq!(
            js(&c, "return document.querySelector('#headline').hidden").await,
            false
        );
        assert_eq!(
            text_of(&c, "#evidence-sentence").await,
            "1 failure followed by another attempt, in 1 area."
        );
        // The chart is drawn into the page: Rust's SVG, named for a screen reader by the
        // sentence it shows, and with nothing in it but the drawing.
        let chart = js(
            &c,
            "const chart = document.querySelector('#evidence-chart'); \
             const svg = chart.querySelector(':scope > svg'); \
             return [chart.getAttribute('role'), chart.getAttribute('aria-label'), \
                     svg && svg.getAttribute('viewBox') !== null, \
                     svg && svg.getBoundingClientRect().height > 100, \
                     chart.querySelectorAll('script, foreignObject, a').length]",
        )
        .await;
        assert_eq!(
            chart,
            json!([
                "img",
                "Evidence of recovery chart. 1 failure followed by another attempt, in 1 area.",
                true,
                true,
                0
            ]),
            "the evidence chart in the page"
        );
        // What reaches the page that way keeps only the drawing, whatever Rust sent.
        let kept = c
            .execute_async(HOSTILE_CHARTS, vec![])
            .await
            .expect("the script runs");
        assert_eq!(
            kept,
            json!([
                ["svg", "rect", "text"],
                ["aria-hidden", "height", "width", "xmlns", "xmlns:xlink"],
                null,
                null,
                null,
                null
            ]),
            "only a drawing's own parts are kept"
        );
        // Right-click: the web view's browser menu (Back, Reload, Open Image in New
        // Window) is kept out, but not from text fields or selected text.
        assert_eq!(
            js(&c, CONTEXT_MENUS).await,
            json!([false, false, true, true]),
            "the menu on the chart, a link, the search field and selected text"
        );
        let _ = save_screenshot("03-today").await;

        // The list: newest first, text shown as text, one area.
        click(&c, "a.nav-item[data-view='cycles']").await;
        until(
            &c,
            "two rows",
            "return document.querySelectorAll('#cycle-list .cycle-row').length === 2",
        )
        .await;
        let rows = js(&c, "return [...document.querySelectorAll('#cycle-list .cycle-row .cycle-attempt')].map(n => n.textContent)").await;
        assert_eq!(
            rows,
            json!([
                "Pitched again, result first",
                "<img src=x onerror=\"window.__owned=1\"> Pitched above my rate"
            ])
        );
        assert_eq!(
            js(
                &c,
                "return document.querySelectorAll('#cycle-list img').length"
            )
            .await,
            json!(0)
        );
        assert_eq!(
            js(&c, "return window.__owned ?? null").await,
            Value::Null,
            "markup in a cycle never runs"
        );
        let areas = js(&c, "return [...document.querySelectorAll('#cycle-list .cycle-area')].map(n => n.textContent)").await;
        assert_eq!(areas, json!(["Client pitches", "Client pitches"]));

        // Open the failure, add what was observed, save: its stage marks update.
        click(&c, "#cycle-list li:nth-child(2) .cycle-row").await;
        until(
            &c,
            "the editor with the failure",
            "return document.querySelector('#f-attempt').value.includes('Pitched above')",
        )
        .await;
        type_into(&c, "#f-observation", "They went quiet at the pricing slide").await;
        click(&c, "#save").await;
        until(&c, "the observe mark", "return document.querySelectorAll('#cycle-list li:nth-child(2) .stages i.done').length === 2").await;

        // Delete the success, then undo.
        click(&c, "#cycle-list li:nth-child(1) .cycle-row").await;
        until(
            &c,
            "the editor with the success",
            "return document.querySelector('#f-attempt').value === 'Pitched again, result first'",
        )
        .await;
        click(&c, "#delete").await;
        // Delete asks first.
        until(
            &c,
            "the delete question",
            "return document.querySelector('#delete-confirm').open",
        )
        .await;
        click(&c, "#delete-yes").await;
        until(
            &c,
            "one row left",
            "return document.querySelectorAll('#cycle-list .cycle-row').length === 1",
        )
        .await;
        assert_eq!(text_of(&c, "#toast-text").await, "Cycle deleted.");
        click(&c, "#toast-action").await;
        until(
            &c,
            "two rows again",
            "return document.querySelectorAll('#cycle-list .cycle-row').length === 2",
        )
        .await;
        until(
            &c,
            "the evidence back",
            "return document.querySelector('#evidence-total').textContent === '1'",
        )
        .await;

        // Export an encrypted backup through the save path tests switch on.
        click(&c, "a.nav-item[data-view='backup']").await;
        click(&c, "#export").await;
        until(&c, "the passphrase reminder", "return document.querySelector('#export-result').textContent.includes('at least 8 characters')").await;
        type_into(&c, "#export-passphrase", PASSPHRASE).await;
        type_into(&c, "#export-passphrase-again", PASSPHRASE).await;
        click(&c, "#export").await;
        let said = until(
            &c,
            "the export result",
            "return document.querySelector('#export-result.ok')?.textContent",
        )
        .await;
        assert!(
            said.as_str().unwrap().starts_with("Saved 2 cycles to "),
            "{said}"
        );
        assert!(
            said.as_str()
                .unwrap()
                .contains("protected with your passphrase"),
            "{said}"
        );
        let _ = save_screenshot("04-backup").await;
        let before = js(&c, "return [...document.querySelectorAll('#cycle-list .cycle-row .cycle-attempt')].map(n => n.textContent)").await;

        // Change the cycles after the backup.
        log_attempt(&c, "Running", "A hill 10k after the backup", "partial", 1).await;
        click(&c, "a.nav-item[data-view='cycles']").await;
        until(
            &c,
            "three rows",
            "return document.querySelectorAll('#cycle-list .cycle-row').length === 3",
        )
        .await;

        // Restore it: a wrong passphrase is said plainly, then a preview, then replace.
        click(&c, "a.nav-item[data-view='backup']").await;
        click(&c, "#restore-choose").await;
        until(
            &c,
            "the passphrase question",
            "return !document.querySelector('#unlock-form').hidden",
        )
        .await;
        type_into(&c, "#restore-passphrase", "not the passphrase").await;
        click(&c, "#unlock").await;
        until(&c, "the wrong-passphrase message", "return document.querySelector('#restore-result').textContent.includes('does not open this backup')").await;
        type_into(&c, "#restore-passphrase", PASSPHRASE).await;
        click(&c, "#unlock").await;
        until(
            &c,
            "the preview",
            "return !document.querySelector('#restore-preview').hidden",
        )
        .await;
        let counts = js(&c, "return ['new', 'changed', 'identical', 'only-here'].map(k => document.querySelector('#preview-' + k).textContent)").await;
        assert_eq!(counts, json!(["0", "0", "2", "1"]));
        assert!(text_of(&c, "#preview-summary")
            .await
            .contains("with 2 cycles"));
        let _ = save_screenshot("06-restore-preview").await;
        click(&c, "input[name='restore-mode'][value='replace']").await;
        click(&c, "#restore-apply").await;
        let said = until(
            &c,
            "the restore summary",
            "return document.querySelector('#restore-result.ok')?.textContent",
        )
        .await;
        assert!(
            said.as_str()
                .unwrap()
                .starts_with("Restored 2 cycles (backup from "),
            "{said}"
        );
        let _ = save_screenshot("07-restored").await;

        // The data is as it was at the backup.
        click(&c, "a.nav-item[data-view='cycles']").await;
        until(
            &c,
            "two rows after the restore",
            "return document.querySelectorAll('#cycle-list .cycle-row').length === 2",
        )
        .await;
        let after = js(&c, "return [...document.querySelectorAll('#cycle-list .cycle-row .cycle-attempt')].map(n => n.textContent)").await;
        assert_eq!(after, before);

        // Automatic backups: one made now is listed with a restore button.
        click(&c, "a.nav-item[data-view='backup']").await;
        click(&c, "#backup-now").await;
        until(
            &c,
            "an automatic backup in the list",
            "return document.querySelectorAll('#auto-list button[data-name]').length === 1",
        )
        .await;
        js(
            &c,
            "document.querySelector('#auto-card').scrollIntoView(); return 1",
        )
        .await;
        let _ = save_screenshot("08-automatic-backups").await;

        // The About panel, from the foot of the sidebar: the version and the sources.
        click(&c, "a.about-link").await;
        let version = until(
            &c,
            "the About panel",
            "return document.querySelector('#about-version').textContent",
        )
        .await;
        assert_eq!(
            version,
            json!(format!("Version {}", env!("CARGO_PKG_VERSION")))
        );
        let sources = text_of(&c, "#about-sources").await;
        assert!(
            sources.contains("Nature Communications, 10, 4646"),
            "{sources}"
        );
        let _ = save_screenshot("05-about").await;
        click(&c, "a.nav-item[data-view='backup']").await;

        // The window refuses to navigate away from the app's own pages.
        js(&c, "window.location.href = 'http://example.com/'; return 1").await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(
            js(&c, "return location.protocol + '//' + location.host").await,
            "tauri://localhost"
        );
        assert!(
            text_of(&c, "#backup-title").await == "Backup",
            "the app is still there"
        );

        // The page's Content-Security-Policy stops injected inline script.
        js(&c, "const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.body.append(s);").await;
        assert_eq!(js(&c, "return window.__inline ?? null").await, Value::Null);
        c
    });
    if prerequisites().is_err() {
        return;
    }

    let files: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        files.len(),
        1,
        "exactly the backup, no temporary file: {files:?}"
    );
    let name = files[0].file_name().unwrap().to_str().unwrap().to_string();
    // Named after the day it was made: the day the test started, or the next one if it
    // ran over midnight.
    let made_on = |day: chrono::NaiveDate| format!("rebound-backup-{day}.json.age");
    let next_day = started_on.succ_opt().unwrap();
    assert!(
        name == made_on(started_on) || name == made_on(next_day),
        "{name}"
    );
    let plain =
        rebound_core::backup::decrypt(&std::fs::read(&files[0]).unwrap(), PASSPHRASE).unwrap();
    let backup: Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(backup["format"], "rebound-backup");
    assert_eq!(backup["cycle_count"], 2);
    let observed: Vec<&str> = backup["cycles"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["observation"].as_str())
        .collect();
    assert_eq!(observed, ["They went quiet at the pricing slide"]);

    // The data on disk holds both (once the app process has finished exiting and let go
    // of the folder).
    let store = wait_for_store(&data);
    assert_eq!(store.count().unwrap(), 2);
    drop(store);

    // Close the app and open it again: everything is there.
    let env = [("REBOUND_DATA_DIR", data.as_path())];
    in_window("reopen", &env, |c| async move {
        until(
            &c,
            "the app",
            "return !document.querySelector('#app').hidden",
        )
        .await;
        click(&c, "a.nav-item[data-view='cycles']").await;
        until(
            &c,
            "both cycles after reopening",
            "return document.querySelectorAll('#cycle-list .cycle-row').length === 2",
        )
        .await;
        assert_eq!(text_of(&c, "#evidence-total").await, "1");
        c
    });
}

#[test]
fn in_the_window_a_second_copy_explains_itself_and_changes_nothing() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    let held = std::sync::Arc::new(Mutex::new(Some(Store::open(&data).unwrap())));
    let env = [("REBOUND_DATA_DIR", data.as_path())];
    let release = held.clone();
    in_window("second-copy", &env, |c| async move {
        until(
            &c,
            "the start-up message",
            "return !document.querySelector('#startup').hidden",
        )
        .await;
        assert_eq!(
            text_of(&c, "#startup-title").await,
            "Rebound is already open"
        );
        assert!(text_of(&c, "#startup")
            .await
            .contains("Nothing has been changed."));
        let _ = save_screenshot("05-already-open").await;
        click(&c, "#startup-retry").await;
        until(&c, "the still-open note", "return document.querySelector('#startup-status').textContent.includes('Still not available')").await;
        // The other copy closes; trying again opens the app.
        release.lock().unwrap().take();
        click(&c, "#startup-retry").await;
        until(
            &c,
            "the app",
            "return !document.querySelector('#app').hidden",
        )
        .await;
        c
    });
}

/// Wait for the editor to close.
async fn editor_closed(client: &Client) {
    until(
        client,
        "the editor to close",
        "return document.querySelector('#editor').hidden",
    )
    .await;
}

/// Answer "Discard" to the question the editor asks before losing typed text.
async fn discard_changes(client: &Client) {
    until(
        client,
        "the discard question",
        "return document.querySelector('#discard').open",
    )
    .await;
    click(client, "#discard-yes").await;
    editor_closed(client).await;
}

/// Rename, in the Areas view, the area whose row is headed exactly `from` to `to`,
/// through the rename dialog; waits until a row is headed `to`.
async fn rename_area(client: &Client, from: &str, to: &str) {
    let row = |name: &str| {
        format!(
            "[...document.querySelectorAll('#areas-body tr')] \
             .find((r) => r.querySelector('th').firstChild.textContent === {name:?})"
        )
    };
    let mark = format!(
        "document.getElementById('rename-this')?.removeAttribute('id'); \
         const row = {}; if (!row) return false; \
         row.querySelector('button').id = 'rename-this'; return true;",
        row(from)
    );
    until(client, "the area's row", &mark).await;
    click(client, "#rename-this").await;
    until(
        client,
        "the rename dialog",
        "return document.querySelector('#rename-dialog').open",
    )
    .await;
    type_into(client, "#rename-to", to).await;
    click(client, "#rename-save").await;
    until(client, "the renamed area", &format!("return !!{}", row(to))).await;
}

/// Difficulty 7, stakes 3, effort 4, safety 3: the scales every attempt needs.
async fn choose_attempt_scales(client: &Client) {
    for (name, value) in [
        ("difficulty", "7"),
        ("stakes", "3"),
        ("effort", "4"),
        ("safety", "3"),
    ] {
        choose(client, name, value).await;
    }
}

/// A data folder `data` in `dir` holding `count` demo cycles (seed 7), closed.
fn demo_folder(dir: &Path, count: usize) -> PathBuf {
    let data = dir.join("data");
    let store = Store::open(&data).unwrap();
    rebound_core::demo::write_demo(&store, count, 7, rebound_core::clock::Clock::system()).unwrap();
    data
}

/// Open the data folder once the app process has let go of it.
fn wait_for_store(data: &Path) -> Store {
    let deadline = Instant::now() + WAIT;
    loop {
        match Store::open(data) {
            Ok(store) => return store,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => panic!("the data did not reopen: {e}"),
        }
    }
}

/// Wait until the element `css` exists and is shown.
async fn shown(client: &Client, what: &str, css: &str) {
    let script = format!(
        "const e = document.querySelector({css:?}); return !!e && !e.hidden && e.getClientRects().length > 0"
    );
    until(client, what, &script).await;
}

#[test]
fn in_the_window_an_adjustment_is_carried_forward_nudges_teach_and_search_finds_it() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    let env = [("REBOUND_DATA_DIR", data.as_path())];
    in_window("method", &env, |c| async move {
        shown(&c, "the first-run Today", "#welcome").await;

        // A failure, reflected on, with a specific adjustment.
        click(&c, "#first-attempt").await;
        shown(&c, "the editor", "#editor").await;
        type_into(&c, "#f-area", "client pitches").await;
        type_into(&c, "#f-attempt", "Pitched a retainer above my usual rate").await;
        choose_attempt_scales(&c).await;
        choose(&c, "outcome", "failure").await;
        for (field, text) in [
            (
                "observation",
                "They went quiet at the pricing slide, before the results",
            ),
            ("in_my_control", "I showed the price before the outcome"),
            (
                "adjustment",
                "Open every pitch with the result the client gets, price last",
            ),
            (
                "check",
                "The next pitch reaches the pricing slide with questions",
            ),
        ] {
            type_into(&c, &format!("#f-{field}"), text).await;
        }
        click(&c, "#save").await;
        editor_closed(&c).await;

        // Today lists the adjustment as waiting to be tested.
        shown(&c, "the untested adjustments", "#waiting-untested").await;
        assert!(text_of(&c, "#waiting-untested")
            .await
            .contains("price last"));

        // The next attempt in the same area (typed in another case) is offered it.
        click(&c, "#new-attempt").await;
        shown(&c, "the editor", "#editor").await;
        type_into(&c, "#f-area", "Client Pitches").await;
        shown(&c, "the carried-forward adjustment", "#carry").await;
        assert_eq!(
            text_of(&c, "#carry-adjustment").await,
            "Open every pitch with the result the client gets, price last"
        );
        let _ = save_screenshot("10-carry-forward").await;
        choose(&c, "applied", "yes").await;
        choose(&c, "result", "better").await;
        type_into(&c, "#f-attempt", "Pitched again, results first").await;
        choose_attempt_scales(&c).await;
        type_into(&c, "#f-predicted_success", "30").await;
        choose(&c, "outcome", "success").await;
        until(
            &c,
            "the prediction gap",
            "return document.querySelector('#prediction-gap').textContent.includes('You gave this 30%; it worked')",
        )
        .await;
        click(&c, "#save").await;
        editor_closed(&c).await;
        until(
            &c,
            "no adjustment left to test",
            "return document.querySelector('#waiting-untested').hidden",
        )
        .await;

        // Lessons shows the adjustment with the trial's answers.
        click(&c, "a[data-view=\"lessons\"]").await;
        until(
            &c,
            "the tested lesson",
            "return document.querySelector('#lesson-list')?.textContent.includes('applied, it went better')",
        )
        .await;
        let _ = save_screenshot("11-lessons").await;

        // Nudges appear beside their fields, teach, and can be dismissed.
        click(&c, "#new-attempt").await;
        shown(&c, "the editor", "#editor").await;
        type_into(&c, "#f-observation", "didn't work").await;
        shown(
            &c,
            "the vague-observation nudge",
            "#n-observation .nudge[data-rule=\"vague_observation\"]",
        )
        .await;
        // A nudge that arrives above the field being typed in leaves that field where it
        // is on screen (the form scrolls by as much). The check field is reached with Tab
        // from the field before it (and scrolled to) first, then the reframe's text comes
        // in.
        let check_at = "const f = document.querySelector('#f-check'); \
                        const body = f.closest('.editor-body'); \
                        const [r, v] = [f.getBoundingClientRect(), body.getBoundingClientRect()]; \
                        return [r.top, body.scrollHeight > body.clientHeight, \
                                r.top >= v.top && r.bottom <= v.bottom, \
                                document.activeElement?.id];";
        // The field before it sits at the form's foot, focused, as after typing in it;
        // then Tab, pressed as a person presses it (not sent to an element, which
        // scrolls that element into view first).
        js(
            &c,
            "const a = document.querySelector('#f-adjustment'); \
             const body = a.closest('.editor-body'); \
             body.scrollTop += a.getBoundingClientRect().bottom - body.getBoundingClientRect().bottom; \
             a.focus({ preventScroll: true });",
        )
        .await;
        press_tab(&c).await;
        let before = c
            .execute_async(
                &format!(
                    "const done = arguments[arguments.length - 1]; \
                     requestAnimationFrame(() => requestAnimationFrame(() => \
                       done((() => {{ {check_at} }})())));"
                ),
                vec![],
            )
            .await
            .expect("the check field is focused");
        assert_eq!(
            before[3], "f-check",
            "Tab from the adjustment reaches the check field"
        );
        // Focused, the field is shown whole, not cut off at the editor's foot.
        assert_eq!(
            before[2], true,
            "the focused check field is shown whole: {before}"
        );
        let _ = save_screenshot("12-check-focused").await;
        js(
            &c,
            "const r = document.querySelector('#f-reframe'); r.value = 'I am a failure'; \
             r.dispatchEvent(new Event('input', { bubbles: true }));",
        )
        .await;
        shown(
            &c,
            "the identity nudge",
            "#n-reframe .nudge[data-rule=\"identity_language\"]",
        )
        .await;
        assert!(text_of(&c, "#n-reframe").await.contains("attempt"));
        let after = js(&c, check_at).await;
        let top = |v: &Value| v[0].as_f64().expect("a position");
        if before[1] == true {
            assert!(
                (top(&after) - top(&before)).abs() <= 1.0,
                "the field being typed in moved from {before} to {after} when a nudge came above it"
            );
        }
        assert_eq!(
            js(&c, "return document.activeElement?.id").await,
            "f-check",
            "the focus stays where it was"
        );
        let _ = save_screenshot("12-nudges").await;
        click(&c, "#n-observation .nudge-dismiss").await;
        until(
            &c,
            "the dismissed nudge to go",
            "return !document.querySelector('#n-observation .nudge')",
        )
        .await;
        // Nudges never block: the form's own checks are the only ones.
        click(&c, "#editor-close").await;
        discard_changes(&c).await;

        // Ctrl+F goes to the search; the cycle is found by a word of its adjustment.
        js(&c, "document.dispatchEvent(new KeyboardEvent('keydown', {key: 'f', ctrlKey: true, bubbles: true}))").await;
        until(
            &c,
            "the search field focused",
            "return document.activeElement?.id === 'search-text'",
        )
        .await;
        type_into(&c, "#search-text", "PRICE LAST").await;
        until(
            &c,
            "one search result",
            "return document.querySelectorAll('#cycle-list li').length === 1 \
             && document.querySelector('#cycle-list').textContent.includes('above my usual rate')",
        )
        .await;
        type_into(&c, "#search-text", "no such words anywhere").await;
        shown(&c, "the no-match message", "#cycles-none").await;

        // Areas: rename through the dialog.
        click(&c, "a[data-view=\"areas\"]").await;
        until(
            &c,
            "the areas table",
            "return document.querySelectorAll('#areas-body tr').length === 1",
        )
        .await;
        rename_area(&c, "client pitches", "Pitching").await;
        c
    });

    if prerequisites().is_err() {
        return;
    }
    // On disk: the second cycle names the first as the one it tested.
    let store = wait_for_store(&data);
    let all = store.all_by_id().unwrap();
    assert_eq!(all.len(), 2);
    let (first, second) = (&all[0], &all[1]);
    assert_eq!(second.fields.tests_cycle, Some(first.id));
    assert_eq!(second.fields.predicted_success, Some(30));
    assert!(all.iter().all(|c| c.fields.area == "Pitching"));
}

#[test]
fn in_the_window_a_reminder_missed_while_closed_shows_once_and_turns_off_in_one_click() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    {
        // The reminder was turned on yesterday at 00:00, before its time had come; so
        // today's fell due while Rebound was closed.
        let store = Store::open(&data).unwrap();
        let yesterday = chrono::Local::now().date_naive().pred_opt().unwrap();
        let reminder = rebound_core::reminder::Reminder::parse(true, "00:00").unwrap();
        let midnight = rebound_core::use_cases::Clock {
            today: yesterday,
            time: chrono::NaiveTime::MIN,
            ..rebound_core::use_cases::Clock::system()
        };
        rebound_core::use_cases::set_reminder(&store, reminder, midnight).unwrap();
    }
    let env = [("REBOUND_DATA_DIR", data.as_path())];
    in_window("reminder", &env, |c| async move {
        shown(&c, "the reminder banner", "#reminder-banner").await;
        assert!(text_of(&c, "#reminder-text")
            .await
            .contains("came while Rebound was closed"));
        let _ = save_screenshot("13-reminder").await;
        click(&c, "#reminder-off").await;
        until(
            &c,
            "the banner to go",
            "return document.querySelector('#reminder-banner').hidden",
        )
        .await;
        c
    });
    if prerequisites().is_err() {
        return;
    }
    let store = wait_for_store(&data);
    assert!(!rebound_core::use_cases::reminder(&store).unwrap().enabled);
}
/// The dashboard view (tests/e2e/dashboard.rs).
mod dashboard;

/// Two computers through one sync folder (tests/e2e/sync.rs).
mod sync;

#[test]
fn in_the_window_data_that_will_not_open_is_recovered_from_rebounds_own_records() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    {
        let store = Store::open(&data).unwrap();
        for attempt in ["Pitched above my rate", "Pitched again, results first"] {
            let draft = crate::util::draft("client pitches", attempt, "failure", 4, "2026-11-20");
            rebound_core::use_cases::log_cycle(&store, draft, crate::util::clock()).unwrap();
        }
    }
    crate::util::damage(&data);
    let env = [("REBOUND_DATA_DIR", data.as_path())];
    in_window("recover", &env, |c| async move {
        shown(&c, "the start-up screen", "#startup").await;
        shown(&c, "the offer to recover", "#startup-restore").await;
        assert!(text_of(&c, "#startup-backup")
            .await
            .contains("keeps its own record of everything you saved"));
        let _ = save_screenshot("14-recover-offer").await;
        click(&c, "#startup-restore").await;
        shown(&c, "the app", "#app").await;
        let said = until(
            &c,
            "the recovery report",
            "return document.querySelector('#toast-text')?.textContent",
        )
        .await;
        assert!(
            said.as_str().unwrap().starts_with("Recovered 2 cycles"),
            "{said}"
        );
        let _ = save_screenshot("15-recovered").await;
        click(&c, "a.nav-item[data-view='cycles']").await;
        until(
            &c,
            "both cycles",
            "return document.querySelectorAll('#cycle-list .cycle-row').length === 2",
        )
        .await;
        c
    });
    if prerequisites().is_err() {
        return;
    }
    let aside = std::fs::read_dir(&data)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("damaged-"))
        .count();
    assert_eq!(aside, 1, "the damaged database is kept aside");
}

/// Areas, Cycles, the editor and the charts at 800 × 600; the theme and the window's
/// size across a restart (tests/e2e/screens.rs).
mod screens;

/// Guidance where the choice is made (tests/e2e/guidance.rs).
mod guidance;

/// The window's first moments: what is asked for before the other views' code arrives
/// waits for it (tests/e2e/start.rs).
mod start;

/// An area renamed in its case keeps that spelling (tests/e2e/areas.rs).
mod areas;
