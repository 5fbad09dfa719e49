//! multipart/form-data bodies (RFC 7578 over RFC 2046's multipart syntax):
//! the parts of a form upload, each with its name, file name and bytes.
//! Read whole from a body already bounded in size.

/// One part of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub data: Vec<u8>,
}

/// More parts than any form of this API has, by far.
const MAX_PARTS: usize = 64;
/// A part's header block: a Content-Disposition and a Content-Type fit many
/// times over.
const MAX_HEADER_BYTES: usize = 8 * 1024;

/// The boundary a `multipart/form-data` Content-Type names (RFC 2046 5.1.1:
/// 1 to 70 characters, maybe quoted).
pub fn boundary(content_type: &str) -> Result<String, String> {
    let mut params = content_type.split(';');
    let media = params.next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case("multipart/form-data") {
        return Err(format!(
            "Content-Type: must be multipart/form-data, got '{media}'"
        ));
    }
    let value = params
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"'))
        .ok_or("Content-Type: multipart/form-data must name its boundary (boundary=...)")?;
    let allowed = |c: char| c.is_ascii_alphanumeric() || "'()+_,-./:=? ".contains(c);
    if value.is_empty() || value.len() > 70 || !value.chars().all(allowed) || value.ends_with(' ') {
        return Err(
            "Content-Type: the boundary must be 1 to 70 characters of RFC 2046's set".into(),
        );
    }
    Ok(value.to_owned())
}

/// The parts of `body`, in order. Anything before the first boundary (the
/// preamble) and after the closing one (the epilogue) is ignored, as RFC
/// 2046 says.
pub fn parse(body: &[u8], boundary: &str) -> Result<Vec<Part>, String> {
    let delimiter = format!("--{boundary}").into_bytes();
    let next_delimiter = format!("\r\n--{boundary}").into_bytes();
    let start = if body.starts_with(&delimiter) {
        delimiter.len()
    } else {
        find(body, &next_delimiter).ok_or("body: no multipart boundary in the body")?
            + next_delimiter.len()
    };
    let mut rest = &body[start..];
    let mut parts = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        // Transport padding may follow a boundary before its line break.
        let padding = rest
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        rest = rest[padding..]
            .strip_prefix(b"\r\n")
            .ok_or("body: a multipart boundary must end its line (CRLF)")?;
        if parts.len() == MAX_PARTS {
            return Err(format!("body: more than {MAX_PARTS} multipart parts"));
        }
        let end = find(rest, &next_delimiter)
            .ok_or("body: the multipart body ends before its closing boundary")?;
        parts.push(part(&rest[..end], parts.len())?);
        rest = &rest[end + next_delimiter.len()..];
    }
}

/// A part: its header lines, a blank line, then its bytes.
fn part(raw: &[u8], index: usize) -> Result<Part, String> {
    let at = |what: &str| format!("body: multipart part {}: {what}", index + 1);
    let (headers, data) = if let Some(data) = raw.strip_prefix(b"\r\n") {
        (&b""[..], data)
    } else {
        let split = find(raw, b"\r\n\r\n").ok_or_else(|| at("no blank line after its headers"))?;
        (&raw[..split], &raw[split + 4..])
    };
    if headers.len() > MAX_HEADER_BYTES {
        return Err(at(&format!("headers longer than {MAX_HEADER_BYTES} bytes")));
    }
    let headers = std::str::from_utf8(headers).map_err(|_| at("headers are not UTF-8"))?;
    let mut disposition = None;
    // A part with no headers at all reads as one empty line.
    for line in headers.split("\r\n").filter(|line| !line.is_empty()) {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| at(&format!("header line '{line}' has no ':'")))?;
        if name.trim().eq_ignore_ascii_case("content-disposition") {
            if disposition.is_some() {
                return Err(at("more than one Content-Disposition"));
            }
            disposition = Some(value.trim());
        }
    }
    let disposition =
        disposition.ok_or_else(|| at("no Content-Disposition header (form-data; name=...)"))?;
    let (name, file_name) = form_data(disposition).map_err(|e| at(&e))?;
    Ok(Part {
        name,
        file_name,
        data: data.to_vec(),
    })
}

/// `form-data; name="..."; filename="..."`: the name and the file name.
fn form_data(value: &str) -> Result<(String, Option<String>), String> {
    let mut rest = value;
    let kind = take_token(&mut rest);
    if !kind.eq_ignore_ascii_case("form-data") {
        return Err(format!(
            "Content-Disposition must be form-data, got '{kind}'"
        ));
    }
    let mut name = None;
    let mut file_name = None;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        rest = rest
            .strip_prefix(';')
            .ok_or("Content-Disposition: parameters must be separated by ';'")?
            .trim_start();
        if rest.is_empty() {
            break;
        }
        let key = take_token(&mut rest).to_ascii_lowercase();
        rest = rest
            .trim_start()
            .strip_prefix('=')
            .ok_or_else(|| format!("Content-Disposition: parameter '{key}' has no value"))?
            .trim_start();
        let value = if rest.starts_with('"') {
            take_quoted(&mut rest)?
        } else {
            take_token(&mut rest).to_owned()
        };
        let slot = match key.as_str() {
            "name" => &mut name,
            "filename" => &mut file_name,
            _ => continue,
        };
        if slot.replace(value).is_some() {
            return Err(format!("Content-Disposition: '{key}' given twice"));
        }
    }
    let name = name.ok_or("Content-Disposition: no name parameter")?;
    Ok((name, file_name))
}

fn take_token<'a>(rest: &mut &'a str) -> &'a str {
    let end = rest
        .find(|c: char| c == ';' || c == '=' || c.is_whitespace())
        .unwrap_or(rest.len());
    let (token, tail) = rest.split_at(end);
    *rest = tail;
    token
}

/// A quoted-string: backslash escapes the next character.
fn take_quoted(rest: &mut &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = rest.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                *rest = &rest[i + 1..];
                return Ok(out);
            }
            '\\' => match chars.next() {
                Some((_, escaped)) => out.push(escaped),
                None => break,
            },
            c => out.push(c),
        }
    }
    Err("Content-Disposition: a quoted value is not closed".into())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDARY: &str = "---------------------------75021945131717";

    fn body(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
        let mut out = b"preamble to ignore\r\n".to_vec();
        for (name, file, data) in parts {
            out.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            let file = file.map_or(String::new(), |f| format!("; filename=\"{f}\""));
            out.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"{file}\r\n").as_bytes(),
            );
            out.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n");
            out.extend_from_slice(data);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{BOUNDARY}--\r\nepilogue").as_bytes());
        out
    }

    #[test]
    fn the_boundary_comes_from_the_content_type() {
        let ct = format!("multipart/form-data; boundary={BOUNDARY}");
        assert_eq!(boundary(&ct).unwrap(), BOUNDARY);
        assert_eq!(
            boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"").unwrap(),
            "a b"
        );
        assert!(
            boundary("application/json")
                .unwrap_err()
                .contains("must be multipart/form-data")
        );
        assert!(
            boundary("multipart/form-data")
                .unwrap_err()
                .contains("boundary")
        );
        assert!(boundary(&format!("multipart/form-data; boundary={}", "x".repeat(71))).is_err());
        assert!(boundary("multipart/form-data; boundary=a<b").is_err());
    }

    #[test]
    fn parts_keep_their_names_file_names_and_bytes() {
        // Binary data holding CR, LF and a near-boundary must come through.
        let file: &[u8] = b"\xfe\xed\xfe\xed\r\n--not-the-boundary\r\n\x00";
        let parts = parse(
            &body(&[
                ("path", Some("acme_cert.jks"), file),
                ("alias", None, b"acme"),
                ("keystorePass", None, b""),
            ]),
            BOUNDARY,
        )
        .unwrap();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].name, "path");
        assert_eq!(parts[0].file_name.as_deref(), Some("acme_cert.jks"));
        assert_eq!(parts[0].data, file);
        assert_eq!(parts[1].data, b"acme");
        assert_eq!(parts[1].file_name, None);
        assert_eq!(parts[2].data, b"");
    }

    #[test]
    fn quoted_names_may_escape_and_headers_are_case_blind() {
        let raw = format!(
            "--{BOUNDARY}\r\ncontent-disposition: FORM-DATA ; Name=\"a\\\"b\" ; filename=x.p12\r\n\r\nv\r\n--{BOUNDARY}--"
        );
        let parts = parse(raw.as_bytes(), BOUNDARY).unwrap();
        assert_eq!(parts[0].name, "a\"b");
        assert_eq!(parts[0].file_name.as_deref(), Some("x.p12"));
    }

    #[test]
    fn broken_bodies_say_what_is_wrong() {
        let cases: [(&str, &str); 8] = [
            ("no boundary here", "no multipart boundary"),
            (
                &format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv"),
                "ends before its closing boundary",
            ),
            (
                &format!("--{BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nv\r\n--{BOUNDARY}--"),
                "no Content-Disposition",
            ),
            (
                &format!("--{BOUNDARY}\r\n\r\nv\r\n--{BOUNDARY}--"),
                "no Content-Disposition",
            ),
            (
                &format!(
                    "--{BOUNDARY}\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--{BOUNDARY}--"
                ),
                "must be form-data",
            ),
            (
                &format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nv\r\n--{BOUNDARY}--"
                ),
                "no name parameter",
            ),
            (
                &format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--{BOUNDARY}--"
                ),
                "not closed",
            ),
            (&format!("--{BOUNDARY}xx\r\n"), "must end its line"),
        ];
        for (raw, expected) in cases {
            let err = parse(raw.as_bytes(), BOUNDARY).unwrap_err();
            assert!(err.contains(expected), "{raw:?}: {err}");
        }
    }

    #[test]
    fn an_empty_form_has_no_parts() {
        assert!(
            parse(format!("--{BOUNDARY}--").as_bytes(), BOUNDARY)
                .unwrap()
                .is_empty()
        );
    }
}
