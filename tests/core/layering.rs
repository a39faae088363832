//! The architecture, checked: the core's dependency tree holds nothing of the window's
//! stack or the command line's, and inside the core every `crate::` arrow points to a
//! lower layer, so no two modules can lean on each other. The layers are the ones
//! `src/lib.rs` lists; a new module must be placed in one here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Crates only the hosts may depend on.
const HOST_ONLY: &[&str] = &[
    "tauri",
    "wry",
    "tao",
    "gtk",
    "webkit2gtk",
    "rfd",
    "clap",
    "rpassword",
];

/// The core's modules in layers, lowest first (as in src/lib.rs).
const LAYERS: &[&[&str]] = &[
    &["error"],
    &["clock", "files", "paths", "text"],
    &["checkin", "cycle"],
    &["journal", "local_settings"],
    &["store"],
    &["insights", "reminder", "today"],
    &["nudges", "playbook", "review", "search"],
    &["backup", "charts", "demo", "prefs"],
    &["sync"],
    &["about", "use_cases"],
];

fn core_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_core_depends_on_nothing_of_the_window_or_the_command_line() {
    let output = Command::new(env!("CARGO"))
        .args(["tree", "--locked", "--offline", "--edges", "normal,build"])
        .args(["--prefix", "none", "--format", "{p}", "--manifest-path"])
        .arg(core_dir().join("Cargo.toml"))
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8_lossy(&output.stdout);
    assert!(tree.contains("rebound-core"), "{tree}");
    let crates: BTreeSet<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    let forbidden: Vec<&&str> = crates
        .iter()
        .filter(|name| {
            HOST_ONLY
                .iter()
                .any(|host| **name == *host || name.starts_with(&format!("{host}-")))
        })
        .collect();
    assert!(forbidden.is_empty(), "the core depends on {forbidden:?}");
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("the core's sources")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The core's top-level modules each module imports from, outside comments and tests.
fn arrows() -> BTreeMap<String, BTreeSet<String>> {
    let src = core_dir().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut arrows: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).expect("under src");
        let first = relative.components().next().expect("a path");
        let from = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if from == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("a readable source");
        // Tests may reach anywhere; the rule is for the code they test.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            let mut rest = line;
            while let Some(at) = rest.find("crate::") {
                rest = &rest[at + "crate::".len()..];
                let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                    let inner = group.split('}').next().unwrap_or_default();
                    inner
                        .split(',')
                        .map(|n| n.trim().split("::").next().unwrap_or_default())
                        .collect()
                } else {
                    vec![rest
                        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .next()
                        .unwrap_or_default()]
                };
                for name in names.into_iter().filter(|n| !n.is_empty() && *n != from) {
                    arrows
                        .entry(from.clone())
                        .or_default()
                        .insert(name.to_string());
                }
            }
        }
    }
    arrows
}

fn layer_of(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|layer| layer.contains(&module))
        .unwrap_or_else(|| panic!("module {module} is in no layer of tests/core/layering.rs"))
}

#[test]
fn every_arrow_in_the_core_points_to_a_lower_layer() {
    for (from, tos) in arrows() {
        // `crate::Error` and `crate::Result` are the error module's, re-exported.
        for to in tos.iter().filter(|t| !t.starts_with(char::is_uppercase)) {
            assert!(
                layer_of(to) < layer_of(&from),
                "{from} imports {to}, which is not in a lower layer; move what they share down"
            );
        }
    }
}
