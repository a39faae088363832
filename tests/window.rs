//! The `rebound-window` program itself: it takes where the data is and nothing else;
//! commands belong to `rebound`.

use std::process::Command;

const WINDOW: &str = env!("CARGO_BIN_EXE_rebound-window");

#[test]
fn the_window_program_says_its_version() {
    let out = Command::new(WINDOW).arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        format!("rebound-window {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_command_given_to_the_window_program_is_a_usage_error() {
    let out = Command::new(WINDOW).arg("list").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("'list'"), "{err}");
}

#[test]
fn without_a_display_the_window_program_says_so_in_one_line() {
    let dir = crate::util::temp_dir();
    let out = Command::new(WINDOW)
        .arg("--data-dir")
        .arg(dir.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("rebound: there is no display"), "{err}");
}

/// Asked to stop (SIGTERM: a logout, a shutdown, `kill`), the window closes its data
/// cleanly: the next start opens it in place, not through a copy after a crash.
#[test]
fn asked_to_stop_the_window_closes_its_data_cleanly() {
    use std::time::{Duration, Instant};

    if std::env::var_os("DISPLAY").is_none() {
        assert!(
            std::env::var_os("E2E_REQUIRED").is_none(),
            "no DISPLAY: run under xvfb-run"
        );
        eprintln!("skipped: no DISPLAY");
        return;
    }
    let dir = crate::util::temp_dir();
    {
        let store = rebound_core::store::Store::open(dir.path()).unwrap();
        rebound_core::use_cases::log_cycle(
            &store,
            crate::util::draft("running", "Ran 5k", "failure", 3, "2026-11-20"),
            crate::util::clock(),
        )
        .unwrap();
    }
    let record = dir.path().join("db").join("rebound-closed-cleanly.json");
    let is_open = || {
        std::fs::read(&record)
            .map(|b| b.starts_with(b"{\"open\""))
            .unwrap_or(false)
    };
    assert!(!is_open(), "closed cleanly before the window starts");
    let mut window = Command::new(WINDOW)
        .arg("--data-dir")
        .arg(dir.path())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !is_open() {
        assert!(
            Instant::now() < deadline,
            "the window never opened its data"
        );
        assert!(
            window.try_wait().unwrap().is_none(),
            "the window ended early"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Let the page finish loading, then ask the program to stop as a logout does.
    std::thread::sleep(Duration::from_secs(2));
    let killed = Command::new("kill")
        .arg("-TERM")
        .arg(window.id().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = window.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = window.kill();
            panic!("the window did not exit within 30 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    assert!(
        !is_open(),
        "the data was left open (closed as after a crash)"
    );
    // The next start opens it in place: no folder set aside as not closed cleanly.
    drop(rebound_core::store::Store::open(dir.path()).unwrap());
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("unclean-"))
        .collect();
    assert!(aside.is_empty(), "opened through a copy: {aside:?}");
}
