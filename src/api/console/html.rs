//! The console's markup. Handlers hand over text, links and cells, never
//! markup: every value passes through `escape` on its way into the page, so
//! a name like `<script>` is shown as text.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use crate::api::rfc3339;

pub use crate::api::markup::escape;
pub use crate::domain::urls::segment;

/// A link the page may carry: to the directory (absolute http(s) URLs) or
/// to another console page (a path). Anything else is shown as text.
#[derive(Debug, Clone)]
pub struct Link {
    pub href: String,
    pub label: String,
}

impl Link {
    pub fn new(href: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            href: href.into(),
            label: label.into(),
        }
    }

    fn render(&self, out: &mut String, code: bool) {
        let href = &self.href;
        let followable = href.starts_with("http://")
            || href.starts_with("https://")
            || (href.starts_with('/') && !href.starts_with("//"));
        let label = if code {
            format!("<code>{}</code>", escape(&self.label))
        } else {
            escape(&self.label)
        };
        if followable {
            let _ = write!(out, "<a href=\"{}\">{label}</a>", escape(href));
        } else {
            out.push_str(&label);
        }
    }
}

/// One value of a table row or a fact list.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    /// A time, kept on one line.
    Time(DateTime<Utc>),
    /// Ids, kids, fingerprints: set in monospace.
    Code(String),
    /// A status word, coloured by a class named after it.
    Status(String),
    Link(Link),
    /// A link whose label is an id.
    CodeLink(Link),
    Links(Vec<Link>),
    /// Several values, one per line.
    Lines(Vec<String>),
    /// No value: shown as a dash.
    Missing,
}

impl Cell {
    pub fn text(value: impl Into<String>) -> Self {
        Cell::Text(value.into())
    }

    pub fn code(value: impl Into<String>) -> Self {
        Cell::Code(value.into())
    }

    pub fn status(value: impl Into<String>) -> Self {
        Cell::Status(value.into())
    }

    /// Links one per line; a dash when there are none.
    pub fn links(links: Vec<Link>) -> Self {
        if links.is_empty() {
            Cell::Missing
        } else {
            Cell::Links(links)
        }
    }

    /// One value per line; a dash when there are none.
    pub fn lines(values: Vec<String>) -> Self {
        if values.is_empty() {
            Cell::Missing
        } else {
            Cell::Lines(values)
        }
    }

    pub fn optional(value: Option<impl Into<String>>) -> Self {
        value.map_or(Cell::Missing, |v| Cell::Text(v.into()))
    }

    fn render(&self, out: &mut String) {
        match self {
            Cell::Text(text) => out.push_str(&escape(text)),
            Cell::Time(t) => {
                let _ = write!(out, "<span class=\"time\">{}</span>", escape(&rfc3339(*t)));
            }
            Cell::Code(text) => {
                let _ = write!(out, "<code>{}</code>", escape(text));
            }
            Cell::Status(word) => {
                let class: String = word
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                let _ = write!(
                    out,
                    "<span class=\"status {class}\">{}</span>",
                    escape(word)
                );
            }
            Cell::Link(link) => link.render(out, false),
            Cell::CodeLink(link) => link.render(out, true),
            Cell::Links(links) => {
                for (i, link) in links.iter().enumerate() {
                    if i > 0 {
                        out.push_str("<br>");
                    }
                    link.render(out, false);
                }
            }
            Cell::Lines(lines) => out.push_str(
                &lines
                    .iter()
                    .map(|line| escape(line))
                    .collect::<Vec<_>>()
                    .join("<br>"),
            ),
            Cell::Missing => out.push('\u{2014}'),
        }
    }
}

/// A table row; `key` (a kid, an id) becomes its `data-key` attribute, so
/// a row can be found by what it is about.
pub struct Row {
    pub key: String,
    pub cells: Vec<Cell>,
}

const STYLE: &str = "\
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d232a;background:#f6f7f9}\
header{background:#1d3557;padding:.6em 1.5em}header a{color:#fff;margin-right:1.5em;text-decoration:none}\
main{padding:1em 1.5em}h1{font-size:1.4em;margin:.2em 0 .6em}h2{font-size:1.1em;margin:1.4em 0 .4em}\
nav.trail{color:#555;margin-bottom:.4em}\
table{border-collapse:collapse;background:#fff;width:100%}\
th,td{border:1px solid #d5d9de;padding:.3em .5em;text-align:left;vertical-align:top}\
th{background:#eef1f4}.time{white-space:nowrap}code{font:12px ui-monospace,monospace;word-break:break-all}\
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em;background:#fff;padding:.6em;border:1px solid #d5d9de}\
dt{font-weight:600}dd{margin:0}\
.status{font-weight:600}.active,.signing,.success{color:#1a7f37}.revoked,.fail{color:#c62828}\
.expired,.inactive,.retired{color:#6b7280}.pending,.standby,.start{color:#9a6700}\
p.empty{color:#6b7280}";

/// A console page: a title, then headings, fact lists, tables and notes in
/// the order they are added. Only `render` writes markup.
pub struct Page {
    title: String,
    body: String,
}

impl Page {
    /// A page whose `<title>` and `<h1>` are `title`, below a trail of links
    /// to the pages above it.
    pub fn new(title: &str, trail: &[Link]) -> Self {
        let mut body = String::new();
        if !trail.is_empty() {
            body.push_str("<nav class=\"trail\">");
            for link in trail {
                link.render(&mut body, false);
                body.push_str(" \u{203a} ");
            }
            body.push_str("</nav>");
        }
        let _ = write!(body, "<h1>{}</h1>", escape(title));
        Self {
            title: title.to_owned(),
            body,
        }
    }

    pub fn heading(&mut self, text: &str) {
        let _ = write!(self.body, "<h2>{}</h2>", escape(text));
    }

    pub fn note(&mut self, text: &str) {
        let _ = write!(self.body, "<p>{}</p>", escape(text));
    }

    /// A list of named values.
    pub fn facts(&mut self, facts: Vec<(&str, Cell)>) {
        self.body.push_str("<dl>");
        for (name, value) in facts {
            let _ = write!(self.body, "<dt>{}</dt><dd>", escape(name));
            value.render(&mut self.body);
            self.body.push_str("</dd>");
        }
        self.body.push_str("</dl>");
    }

    /// A table with the id `id`, or `empty` when there are no rows.
    pub fn table(&mut self, id: &str, headers: &[&str], rows: Vec<Row>, empty: &str) {
        if rows.is_empty() {
            let _ = write!(
                self.body,
                "<p class=\"empty\" id=\"{}\">{}</p>",
                escape(id),
                escape(empty)
            );
            return;
        }
        let _ = write!(self.body, "<table id=\"{}\"><thead><tr>", escape(id));
        for header in headers {
            let _ = write!(self.body, "<th>{}</th>", escape(header));
        }
        self.body.push_str("</tr></thead><tbody>");
        for row in rows {
            let _ = write!(self.body, "<tr data-key=\"{}\">", escape(&row.key));
            for cell in &row.cells {
                self.body.push_str("<td>");
                cell.render(&mut self.body);
                self.body.push_str("</td>");
            }
            self.body.push_str("</tr>");
        }
        self.body.push_str("</tbody></table>");
    }

    pub fn render(&self) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title} \u{2014} obdir</title><style>{STYLE}</style></head>\
             <body><header><a href=\"/console\">Organisations</a>\
             <a href=\"/console/participants\">Participants</a>\
             <a href=\"/console/events\">Events</a><a href=\"/console/ca\">Certificate authority</a>\
             </header><main>{body}</main></body></html>\n",
            title = escape(&self.title),
            body = self.body,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            escape("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("Ação Ltda"), "Ação Ltda");
    }

    #[test]
    fn no_value_reaches_the_page_as_markup() {
        let evil = "<script>alert(1)</script>";
        let mut page = Page::new(evil, &[Link::new("/console", evil)]);
        page.heading(evil);
        page.note(evil);
        page.facts(vec![(evil, Cell::text(evil)), ("kid", Cell::code(evil))]);
        page.table(
            evil,
            &[evil],
            vec![Row {
                key: evil.into(),
                cells: vec![
                    Cell::text(evil),
                    Cell::Link(Link::new(format!("https://x/{evil}"), evil)),
                    Cell::CodeLink(Link::new("/console", evil)),
                    Cell::optional(Some(evil)),
                ],
            }],
            evil,
        );
        let html = page.render();
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("href=\"https://x/&lt;script&gt;"));
    }

    #[test]
    fn a_quote_cannot_leave_an_attribute() {
        let mut page = Page::new("t", &[]);
        page.table(
            "t",
            &["h"],
            vec![Row {
                key: "\" onmouseover=\"alert(1)".into(),
                cells: vec![Cell::Link(Link::new("https://x/\"><b>", "l"))],
            }],
            "",
        );
        let html = page.render();
        assert!(html.contains("data-key=\"&quot; onmouseover=&quot;alert(1)\""));
        assert!(html.contains("href=\"https://x/&quot;&gt;&lt;b&gt;\""));
    }

    #[test]
    fn only_http_and_console_links_are_followable() {
        let mut out = String::new();
        Link::new("javascript:alert(1)", "x").render(&mut out, false);
        Link::new("//elsewhere.example/", "y").render(&mut out, false);
        assert_eq!(out, "xy");
        let mut out = String::new();
        Link::new("/console/ca", "ca").render(&mut out, false);
        assert_eq!(out, "<a href=\"/console/ca\">ca</a>");
    }

    #[test]
    fn segments_keep_only_unreserved_characters() {
        assert_eq!(segment("org-1_a.b~c"), "org-1_a.b~c");
        assert_eq!(segment("a b&c+d/é"), "a%20b%26c%2Bd%2F%C3%A9");
    }
}
