//! The command line's dependency tree holds nothing of the window's stack: that is what
//! keeps `rebound --version` from loading ~170 shared libraries.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

/// Crates of the window's stack.
const WINDOW_ONLY: &[&str] = &["tauri", "wry", "tao", "gtk", "webkit2gtk", "rfd", "muda"];

#[test]
fn the_command_line_depends_on_nothing_of_the_window() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let output = Command::new(env!("CARGO"))
        .args(["tree", "--locked", "--offline", "--edges", "normal,build"])
        .args(["--prefix", "none", "--format", "{p}", "--manifest-path"])
        .arg(manifest)
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8_lossy(&output.stdout);
    assert!(tree.contains("rebound-cli"), "{tree}");
    let crates: BTreeSet<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    let forbidden: Vec<&&str> = crates
        .iter()
        .filter(|name| {
            WINDOW_ONLY
                .iter()
                .any(|w| **name == *w || name.starts_with(&format!("{w}-")))
        })
        .collect();
    assert!(
        forbidden.is_empty(),
        "the command line depends on {forbidden:?}"
    );
}
