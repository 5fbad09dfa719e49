//! Text put into markup (the console's HTML, the tenants face's XML): one
//! escaping rule for both.

/// `text` made safe for element content and double-quoted attribute values
/// in HTML and XML 1.0: the five special characters escaped, and the
/// control characters XML 1.0 cannot carry at all dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_characters_are_escaped_and_controls_dropped() {
        assert_eq!(
            escape("CN=a&b, O=\"<x>\"'"),
            "CN=a&amp;b, O=&quot;&lt;x&gt;&quot;&#39;"
        );
        assert_eq!(escape("a\u{1}b\tc"), "ab\tc");
    }
}
