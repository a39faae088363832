//! The window's English words, read from the page's own catalogue (`ui/js/strings/en.js`,
//! the one source of every string the window shows), so that the page served with Today
//! in it says exactly what its scripts would have written.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The catalogue as the page has it: `export default { "key": "text", ... };`, one entry
/// per line, between whole-line comments.
const SOURCE: &str = include_str!("../../../ui/js/strings/en.js");

/// English's catalogue, read once (None if en.js ever stops being a plain list of
/// strings: the page is then served as it is, and its scripts write every word).
pub fn english() -> Option<&'static Words> {
    static WORDS: OnceLock<Option<Words>> = OnceLock::new();
    WORDS.get_or_init(|| Words::parse(SOURCE).ok()).as_ref()
}

/// A catalogue: key to text, with `{name}` placeholders.
#[derive(Debug)]
pub struct Words(BTreeMap<String, String>);

impl Words {
    /// Read a catalogue module. Its object is JSON once the comment lines are dropped
    /// and the last entry's comma removed; anything else is refused.
    pub fn parse(source: &str) -> Result<Words, String> {
        let open = source
            .find("export default {")
            .ok_or("no `export default {` in the catalogue")?
            + "export default ".len();
        let close = source
            .rfind('}')
            .ok_or("the catalogue's object is not closed")?;
        if close < open {
            return Err("the catalogue's object is not closed".into());
        }
        let mut json = String::with_capacity(close - open + 1);
        for line in source[open..=close].lines() {
            if !line.trim_start().starts_with("//") {
                json.push_str(line);
                json.push('\n');
            }
        }
        // The last entry's comma, which JSON does not allow.
        let body = json.trim_end().trim_end_matches('}').trim_end();
        let body = body.strip_suffix(',').unwrap_or(body);
        let json = format!("{body}\n}}");
        serde_json::from_str(&json)
            .map(Words)
            .map_err(|e| format!("the catalogue is not a plain list of strings: {e}"))
    }

    /// The text of `key`, if the catalogue has it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// The text of `key` with its `{name}` placeholders filled from `vars` (as i18n.js's
    /// `t` does: a placeholder without a value stays as it is).
    pub fn fill(&self, key: &str, vars: &[(&str, &str)]) -> Option<String> {
        let text = self.get(key)?;
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let name_len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            let value = (name_len > 0 && after[name_len..].starts_with('}'))
                .then(|| vars.iter().find(|(name, _)| *name == &after[..name_len]))
                .flatten();
            match value {
                Some((_, value)) => {
                    out.push_str(value);
                    rest = &after[name_len + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        Some(out)
    }

    /// English's singular or plural form of `key` for `count`, given `{n}` (i18n.js's
    /// `plural` with English's rule: one for 1, other for anything else).
    pub fn plural(&self, key: &str, count: usize) -> Option<String> {
        let one = format!("{key}_one");
        let form = if count == 1 && self.get(&one).is_some() {
            one
        } else {
            format!("{key}_other")
        };
        self.fill(&form, &[("n", &number(count))])
    }
}

/// `count` as English writes it, in groups of three: "10,000" (i18n.js's `number`,
/// which formats in the catalogue's language).
pub fn number(count: usize) -> String {
    rebound_core::text::thousands(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_own_catalogue_is_read_whole() {
        let words = english().expect("en.js reads as a catalogue");
        let entries = SOURCE
            .lines()
            .filter(|line| line.trim_start().starts_with('"'))
            .count();
        assert_eq!(words.0.len(), entries);
        assert_eq!(words.get("today"), Some("Today"));
        assert!(words
            .get("the_share_of_recent_genuine")
            .unwrap()
            .contains("\"at the edge\""));
    }

    #[test]
    fn a_catalogue_that_is_not_a_list_of_strings_is_refused() {
        assert!(Words::parse("export default { \"a\": 1 };").is_err());
        assert!(Words::parse("export default { \"a\": `b` };").is_err());
        assert!(Words::parse("const x = 1;").is_err());
        let words = Words::parse("export default {\n  // c\n  \"a\": \"b\",\n};\n").unwrap();
        assert_eq!(words.get("a"), Some("b"));
    }

    #[test]
    fn placeholders_and_plurals_are_filled_as_the_page_fills_them() {
        let words =
            Words::parse("export default {\n\"x_one\": \"{n} thing\",\n\"x_other\": \"{n} things {y}\",\n\"z\": \"{a}{b} {} {c\"\n};")
                .unwrap();
        assert_eq!(words.plural("x", 1).unwrap(), "1 thing");
        assert_eq!(words.plural("x", 0).unwrap(), "0 things {y}");
        assert_eq!(words.plural("x", 12345).unwrap(), "12,345 things {y}");
        assert_eq!(
            words.fill("z", &[("a", "1"), ("b", "{c}")]).unwrap(),
            "1{c} {} {c"
        );
        assert_eq!(words.fill("missing", &[]), None);
    }
}
