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
