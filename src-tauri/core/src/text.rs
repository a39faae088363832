//! Small text helpers shared by the hosts and the charts. No Tauri types here.

/// Make person-written text safe and short for one line of a chart label or a terminal
/// table: whitespace runs become one space, control characters are dropped (they make
/// SVG invalid XML and can steer a terminal), and text over `max` characters is cut
/// with an ellipsis.
pub fn one_line(text: &str, max: usize) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect();
    let words = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.chars().count() <= max {
        words
    } else {
        let mut short: String = words.chars().take(max.saturating_sub(1)).collect();
        short.push('…');
        short
    }
}

/// A count with thousands separators, as people read it: 1204 → "1,204".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_204), "1,204");
        assert_eq!(thousands(12_345_678), "12,345,678");
    }

    #[test]
    fn one_line_loses_control_characters_and_stays_short() {
        assert_eq!(one_line("a\u{1}b\nc\u{7f}", 20), "ab c");
        assert_eq!(one_line("abcdefghij", 5), "abcd…");
        assert_eq!(one_line("  spaced   out  ", 20), "spaced out");
    }
}
