//! The window's first paint waits only for Today's code (issue 13): what app.js imports
//! statically, which every open fetches and runs before it draws anything, holds none of
//! the views other-views.js brings (those are loaded with import() once Today is
//! painted), and index.html asks for each of those modules with app.js (modulepreload)
//! rather than one import level after another.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

fn ui() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("ui")
}

/// `path` (relative to ui/) with its `.` and `..` folded away, as a page names it.
fn normal(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                parts.pop();
            }
            Component::Normal(name) => parts.push(name.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

/// The modules `module` (e.g. "js/app.js") names in its static `import … from` and
/// `export … from` lines, relative to ui/; not its `import()` calls.
fn named_statically(module: &str) -> Vec<String> {
    let text = std::fs::read_to_string(ui().join(module)).unwrap();
    let folder = Path::new(module).parent().unwrap();
    text.lines()
        .filter(|line| line.starts_with("import ") || line.starts_with("export "))
        .filter_map(|line| line.split_once(" from \"").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split_once('"').map(|(spec, _)| spec))
        .map(|spec| normal(&folder.join(spec)))
        .collect()
}

/// Every module `module` needs before it runs: its static imports, and theirs.
fn static_closure(module: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut next = named_statically(module);
    while let Some(module) = next.pop() {
        if found.insert(module.clone()) {
            next.extend(named_statically(&module));
        }
    }
    found
}

#[test]
fn the_first_paint_waits_for_none_of_the_views_loaded_after_it() {
    let before_paint = static_closure("js/app.js");
    assert!(
        before_paint.contains("js/views/today.js"),
        "{before_paint:?}"
    );
    let later = named_statically("js/other-views.js");
    assert!(later.len() >= 10, "other-views.js brings {later:?}");
    let early: Vec<&String> = later
        .iter()
        .filter(|view| before_paint.contains(*view))
        .collect();
    assert!(
        early.is_empty(),
        "app.js imports these views statically, so every open waits for them before its \
         first paint; reach them through other-views.js instead: {early:?}"
    );
    let app = std::fs::read_to_string(ui().join("js/app.js")).unwrap();
    assert!(app.contains("import(\"./other-views.js\")"));
}

#[test]
fn the_page_preloads_exactly_what_app_js_imports() {
    let html = std::fs::read_to_string(ui().join("index.html")).unwrap();
    let preloaded: BTreeSet<String> = html
        .split("<link rel=\"modulepreload\" href=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(href, _)| href.to_string()))
        .collect();
    assert_eq!(
        preloaded,
        static_closure("js/app.js"),
        "index.html's modulepreload links and what app.js imports statically differ"
    );
}
