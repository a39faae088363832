//! `rebound` with no command opens the window by handing over to `rebound-window`
//! beside it, with the data folder it was given. A stand-in script plays the window, so
//! these tests need no display and never build the window.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::util::temp_dir;

/// A folder holding a copy of `rebound` and, if `with_window`, a stand-in
/// `rebound-window` that writes its arguments to `args.txt` and exits with 7.
fn installed(dir: &Path, with_window: bool) -> PathBuf {
    let rebound = dir.join("rebound");
    std::fs::copy(super::BIN, &rebound).unwrap();
    if with_window {
        let window = dir.join("rebound-window");
        let script = format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\nexit 7\n",
            dir.join("args.txt").display()
        );
        std::fs::write(&window, script).unwrap();
        std::fs::set_permissions(&window, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    rebound
}

fn run(rebound: &Path, args: &[&str], data_env: Option<&Path>) -> Output {
    let mut command = Command::new(rebound);
    command.args(args).env_remove("REBOUND_DATA_DIR");
    if let Some(dir) = data_env {
        command.env("REBOUND_DATA_DIR", dir);
    }
    command.output().unwrap()
}

#[test]
fn no_command_hands_over_to_the_window_program_with_the_data_folder() {
    let dir = temp_dir();
    let rebound = installed(dir.path(), true);
    let out = run(&rebound, &["--data-dir", "/some/data"], None);
    // The window replaced `rebound`: its exit status is the one seen.
    assert_eq!(out.status.code(), Some(7), "{out:?}");
    let args = std::fs::read_to_string(dir.path().join("args.txt")).unwrap();
    assert_eq!(args, "--data-dir\n/some/data\n");
}

#[test]
fn no_command_passes_the_data_folder_from_the_environment_on() {
    let dir = temp_dir();
    let rebound = installed(dir.path(), true);
    let out = run(&rebound, &[], Some(Path::new("/from/env")));
    assert_eq!(out.status.code(), Some(7), "{out:?}");
    let args = std::fs::read_to_string(dir.path().join("args.txt")).unwrap();
    assert_eq!(args, "--data-dir\n/from/env\n");
}

#[test]
fn no_command_and_no_data_folder_lets_the_window_choose_its_default() {
    let dir = temp_dir();
    let rebound = installed(dir.path(), true);
    let out = run(&rebound, &[], None);
    assert_eq!(out.status.code(), Some(7), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("args.txt")).unwrap(),
        "\n",
        "no arguments"
    );
}

#[test]
fn without_the_window_program_beside_it_rebound_says_so_in_one_line() {
    let dir = temp_dir();
    let rebound = installed(dir.path(), false);
    let out = run(&rebound, &["--data-dir", "/some/data"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("rebound: could not open the window (") && err.contains("rebound-window"),
        "{err}"
    );
}

#[test]
fn a_command_never_starts_the_window_program() {
    let dir = temp_dir();
    let rebound = installed(dir.path(), true);
    let data = dir.path().join("data");
    let out = run(
        &rebound,
        &["--data-dir", data.to_str().unwrap(), "list"],
        None,
    );
    assert!(out.status.success(), "{out:?}");
    assert!(!dir.path().join("args.txt").exists());
}
