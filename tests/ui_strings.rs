//! The window's words all come from one catalogue, ui/js/strings/en.js: every key the
//! page and the views ask for is there, and the page holds no words of its own.

use std::collections::BTreeSet;
use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The keys en.js defines, in order, each as often as it is written.
fn catalogue_lines() -> Vec<String> {
    read("ui/js/strings/en.js")
        .lines()
        .filter_map(|line| line.trim().strip_prefix('"'))
        .filter_map(|rest| rest.split_once("\": ").map(|(key, _)| key.to_string()))
        .collect()
}

/// The keys en.js defines.
fn catalogue() -> BTreeSet<String> {
    catalogue_lines().into_iter().collect()
}

#[test]
fn every_key_is_written_once_in_the_catalogue() {
    // A key written twice is one string, the later: an edit to the earlier one (or a
    // translation made from it) would silently not show.
    let mut seen = BTreeSet::new();
    let twice: Vec<String> = catalogue_lines()
        .into_iter()
        .filter(|key| !seen.insert(key.clone()))
        .collect();
    assert!(twice.is_empty(), "keys written twice in en.js: {twice:?}");
}

/// Every `name="key"` in `text` (attribute values naming catalogue keys).
fn attribute_keys(text: &str, name: &str) -> Vec<String> {
    text.split(&format!("{name}=\""))
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(key, _)| key.to_string()))
        .collect()
}

#[test]
fn every_key_the_page_and_the_views_use_is_in_the_catalogue() {
    let known = catalogue();
    assert!(known.len() > 200, "the catalogue has {} keys", known.len());
    let html = read("ui/index.html");
    let mut wanted = Vec::new();
    for name in [
        "data-t",
        "data-t-placeholder",
        "data-t-aria-label",
        "data-t-title",
        "data-t-alt",
    ] {
        wanted.extend(attribute_keys(&html, name));
    }
    let views =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/js/views")).unwrap();
    for entry in views {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for (call, suffix) in [("t(\"", ""), ("plural(\"", "_other")] {
            for (at, _) in text.match_indices(call) {
                // A call of t or plural itself, not of get( or select( and the like.
                let before = text[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                    continue;
                }
                let rest = &text[at + call.len()..];
                let key = rest.split('"').next().unwrap();
                wanted.push(format!("{key}{suffix}"));
            }
        }
    }
    let missing: Vec<&String> = wanted.iter().filter(|k| !known.contains(*k)).collect();
    assert!(missing.is_empty(), "keys missing from en.js: {missing:?}");
}

#[test]
fn the_page_has_no_words_outside_the_catalogue() {
    let html = read("ui/index.html");
    let body = html.split("<body>").nth(1).unwrap();
    let stray: Vec<&str> = body
        .split('<')
        .filter_map(|chunk| chunk.split_once('>').map(|(_, text)| text.trim()))
        .filter(|text| text.chars().any(char::is_alphabetic))
        .collect();
    assert!(
        stray.is_empty(),
        "text in index.html not from the catalogue: {stray:?}"
    );
}

#[test]
fn the_scripts_write_no_sentences_of_their_own() {
    // A quoted run like "Saved the" or `Nothing was` in a script is a sentence that
    // bypasses the catalogue. Comments may say anything.
    // Every script beside app.js and in views/ (the catalogues in strings/ are words).
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/js");
    let mut files = Vec::new();
    for folder in [root.clone(), root.join("views")] {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "js") {
                files.push(path);
            }
        }
    }
    assert!(files.iter().any(|f| f.ends_with("app.js")), "{files:?}");
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") || code.starts_with('*') || code.starts_with("/*") {
                continue;
            }
            let chars: Vec<char> = line.chars().collect();
            for i in 0..chars.len().saturating_sub(3) {
                let quote = matches!(chars[i], '"' | '`');
                let rest: String = chars[i + 1..].iter().take(40).collect();
                let mut words = rest.split(' ');
                let first = words.next().unwrap_or("");
                let second = words.next().unwrap_or("");
                let capital = first.chars().next().is_some_and(char::is_uppercase)
                    && first.len() > 1
                    && first.chars().skip(1).all(char::is_lowercase);
                let word = second.chars().next().is_some_and(char::is_lowercase);
                if quote && capital && word {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                    break;
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "sentences outside the catalogue:\n{}",
        found.join("\n")
    );
}
