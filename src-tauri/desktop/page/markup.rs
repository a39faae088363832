//! Small, exact edits to the window's own `index.html`: its words filled in where
//! `data-t` attributes ask for them (as i18n.js's `applyStrings` does), and elements
//! found by id shown, hidden, or given a text or an attribute. Only for that one page,
//! whose markup Rebound writes; every text put in is escaped.

use super::words::Words;

/// `text` escaped for the page's text and its quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An attribute of a start tag: its name, and its value as written (None for `hidden`).
struct Attribute<'a> {
    name: &'a str,
    value: Option<&'a str>,
}

/// The attributes of the start tag `tag` (from `<` to `>`), or None if it is not one
/// this module can read back exactly: unquoted or single-quoted values are refused.
fn attributes(tag: &str) -> Option<Vec<Attribute<'_>>> {
    let inner = tag.strip_prefix('<')?.strip_suffix('>')?;
    let inner = inner.trim_end_matches('/');
    let mut rest = inner.trim_start_matches(|c: char| c.is_ascii_alphanumeric());
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Some(out);
        }
        let name_len = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        rest = &rest[name_len..];
        if let Some(after) = rest.strip_prefix("=\"") {
            let end = after.find('"')?;
            out.push(Attribute {
                name,
                value: Some(&after[..end]),
            });
            rest = &after[end + 1..];
        } else if rest.starts_with('=') {
            return None;
        } else {
            out.push(Attribute { name, value: None });
        }
    }
}

/// The start tag's name and attributes written back, with `changes` made.
fn rewrite(tag: &str, change: impl FnOnce(&mut Vec<(String, Option<String>)>)) -> Option<String> {
    let name_end = tag[1..]
        .find(|c: char| !c.is_ascii_alphanumeric())
        .map_or(tag.len() - 1, |i| i + 1);
    let mut list: Vec<(String, Option<String>)> = attributes(tag)?
        .into_iter()
        .map(|a| (a.name.to_owned(), a.value.map(str::to_owned)))
        .collect();
    change(&mut list);
    let mut out = tag[..name_end].to_owned();
    for (name, value) in list {
        out.push(' ');
        out.push_str(&name);
        if let Some(value) = value {
            out.push_str("=\"");
            out.push_str(&value);
            out.push('"');
        }
    }
    out.push('>');
    Some(out)
}

/// Set (or add) attribute `name` to `value` (already escaped) in an attribute list.
fn set(list: &mut Vec<(String, Option<String>)>, name: &str, value: String) {
    match list.iter_mut().find(|(n, _)| n == name) {
        Some(slot) => slot.1 = Some(value),
        None => list.push((name.to_owned(), Some(value))),
    }
}

/// The page with every `data-t` element's text, and every `data-t-<attribute>`, filled
/// from `words`. An element with `data-t` is filled only while empty in the template;
/// a key the catalogue lacks is left for the page's scripts. None if a tag cannot be read.
pub fn fill_words(page: &str, words: &Words) -> Option<String> {
    let mut out = String::with_capacity(page.len() + page.len() / 4);
    let mut rest = page;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->")? + 3;
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let end = rest.find('>')? + 1;
        let tag = &rest[..end];
        rest = &rest[end..];
        if !tag[1..].starts_with(|c: char| c.is_ascii_alphabetic()) || !tag.contains("data-t") {
            out.push_str(tag);
            continue;
        }
        let attrs = attributes(tag)?;
        let text_key = attrs
            .iter()
            .find(|a| a.name == "data-t")
            .and_then(|a| a.value);
        let asked: Vec<(String, String)> = attrs
            .iter()
            .filter_map(|a| {
                let target = a.name.strip_prefix("data-t-")?;
                let text = words.get(a.value?)?;
                Some((target.to_owned(), escape(text)))
            })
            .collect();
        out.push_str(&rewrite(tag, |list| {
            for (target, text) in asked {
                set(list, &target, text);
            }
        })?);
        if let Some(text) = text_key.and_then(|key| words.get(key)) {
            if rest.starts_with("</") {
                out.push_str(&escape(text));
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// Where the start tag of the element with id `id` is: its first and one-past-last byte.
fn start_tag(page: &str, id: &str) -> Option<(usize, usize)> {
    let needle = format!(" id=\"{id}\"");
    let at = page.find(&needle)?;
    // Ids are unique in the page: a second one means the template is not what it was.
    if page[at + needle.len()..].contains(&needle) {
        return None;
    }
    let open = page[..at].rfind('<')?;
    let close = at + page[at..].find('>')? + 1;
    Some((open, close))
}

/// Edits by id to a page, each checked: any element not found, or not readable, makes
/// the whole result None, so a template that changed is served as it is, never half done.
pub struct Edits {
    page: Option<String>,
}

impl Edits {
    pub fn new(page: String) -> Edits {
        Edits { page: Some(page) }
    }

    fn tag(mut self, id: &str, change: impl FnOnce(&mut Vec<(String, Option<String>)>)) -> Edits {
        self.page = self.page.take().and_then(|mut page| {
            let (open, close) = start_tag(&page, id)?;
            let tag = rewrite(&page[open..close], change)?;
            page.replace_range(open..close, &tag);
            Some(page)
        });
        self
    }

    /// Show (`shown`) or hide the element: its `hidden` attribute removed or added.
    pub fn shown(self, id: &str, shown: bool) -> Edits {
        self.tag(id, |list| {
            list.retain(|(name, _)| name != "hidden");
            if !shown {
                list.push(("hidden".into(), None));
            }
        })
    }

    /// Set the element's attribute `name` to `value`.
    pub fn attribute(self, id: &str, name: &str, value: &str) -> Edits {
        let value = escape(value);
        self.tag(id, |list| set(list, name, value))
    }

    /// Replace what the element holds (text only, in the template) with `markup`.
    fn inner(mut self, id: &str, markup: &str) -> Edits {
        self.page = self.page.take().and_then(|mut page| {
            let (_, close) = start_tag(&page, id)?;
            let end = close + page[close..].find('<')?;
            if !page[end..].starts_with("</") {
                return None;
            }
            page.replace_range(close..end, markup);
            Some(page)
        });
        self
    }

    /// Set the element's text.
    pub fn text(self, id: &str, text: &str) -> Edits {
        self.inner(id, &escape(text))
    }

    /// Put `markup` (made by Rebound, checked by the caller) inside the empty element.
    pub fn markup(self, id: &str, markup: &str) -> Edits {
        self.inner(id, markup)
    }

    /// Set attribute `name` of the page's root, `<html>`, to `value`.
    pub fn root(mut self, name: &str, value: &str) -> Edits {
        let value = escape(value);
        self.page = self.page.take().and_then(|mut page| {
            let open = page.find("<html")?;
            let close = open + page[open..].find('>')? + 1;
            let tag = rewrite(&page[open..close], |list| set(list, name, value))?;
            page.replace_range(open..close, &tag);
            Some(page)
        });
        self
    }

    /// Put `markup` just before `</body>`.
    pub fn before_body_end(mut self, markup: &str) -> Edits {
        self.page = self.page.take().and_then(|mut page| {
            let at = page.rfind("</body>")?;
            page.insert_str(at, markup);
            Some(page)
        });
        self
    }

    pub fn done(self) -> Option<String> {
        self.page
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Words {
        Words::parse("export default {\n\"a\": \"A & <b>\",\n\"p\": \"Say \\\"hi\\\"\"\n};")
            .unwrap()
    }

    #[test]
    fn words_fill_empty_elements_and_their_attributes() {
        let page = "<!-- <x data-t=\"a\"></x> --><p id=\"one\" data-t=\"a\"></p>\n\
                    <input placeholder=\"\" data-t-placeholder=\"p\" data-t-title=\"a\">\
                    <b data-t=\"missing\"></b><i data-t=\"a\">kept</i><br>";
        let filled = fill_words(page, &words()).unwrap();
        assert_eq!(
            filled,
            "<!-- <x data-t=\"a\"></x> --><p id=\"one\" data-t=\"a\">A &amp; &lt;b&gt;</p>\n\
             <input placeholder=\"Say &quot;hi&quot;\" data-t-placeholder=\"p\" data-t-title=\"a\" \
             title=\"A &amp; &lt;b&gt;\"><b data-t=\"missing\"></b><i data-t=\"a\">kept</i><br>"
        );
    }

    #[test]
    fn a_tag_that_cannot_be_read_back_exactly_is_refused() {
        assert!(fill_words("<p data-t='a'></p>", &words()).is_none());
        assert!(fill_words("<p data-t=a></p>", &words()).is_none());
        assert!(fill_words("<p data-t=\"a></p>", &words()).is_none());
    }

    #[test]
    fn edits_by_id_change_only_their_element() {
        let page =
            "<html lang=\"en\"><div id=\"app\" class=\"app\" hidden><p id=\"t\" class=\"x\">0</p>\
                    <div id=\"c\" aria-label=\"\"></div></div></body>";
        let edited = Edits::new(page.into())
            .shown("app", true)
            .shown("t", false)
            .text("t", "1 < 2")
            .attribute("c", "aria-label", "\"q\"")
            .markup("c", "<svg></svg>")
            .before_body_end("<!-- end -->")
            .root("data-theme", "dark")
            .done()
            .unwrap();
        assert_eq!(
            edited,
            "<html lang=\"en\" data-theme=\"dark\"><div id=\"app\" class=\"app\"><p id=\"t\" class=\"x\" hidden>1 &lt; 2</p>\
             <div id=\"c\" aria-label=\"&quot;q&quot;\"><svg></svg></div></div><!-- end --></body>"
        );
    }

    #[test]
    fn an_edit_to_an_element_not_there_spoils_the_whole_result() {
        let page = "<p id=\"a\"></p><p id=\"b\"><b>x</b></p><p id=\"d\"></p><p id=\"d\"></p>";
        assert!(Edits::new(page.into())
            .text("gone", "x")
            .shown("a", true)
            .done()
            .is_none());
        assert!(Edits::new(page.into()).text("b", "x").done().is_none());
        assert!(Edits::new(page.into()).shown("d", true).done().is_none());
        assert!(Edits::new(page.into()).text("a", "x").done().is_some());
    }
}
