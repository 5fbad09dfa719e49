//! The message format (RFC 1035 section 4), written once for the client and
//! for test nameservers.

use super::DnsError;
use crate::domain::host_name::{self, HostRules};

pub const TXT: u16 = 16;
pub const CNAME: u16 = 5;
const CLASS_IN: u16 = 1;
const HEADER: usize = 12;
const QR: u16 = 0x8000;
const AA: u16 = 0x0400;
const TC: u16 = 0x0200;
const RD: u16 = 0x0100;
const RA: u16 = 0x0080;
const NXDOMAIN: u16 = 3;
/// Where the question's name sits in every message this module writes.
const QUESTION_NAME_POINTER: [u8; 2] = [0xC0, HEADER as u8];
/// A character-string's length is one byte (RFC 1035 3.3).
const MAX_STRING: usize = 255;

/// The first (and, in practice, only) question of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: u16,
    /// Without the trailing dot; bytes other than letters, digits, '-'
    /// and '_' appear as `\DDD`, as in a zone file.
    pub name: String,
    pub qtype: u16,
}

/// What an answer says about the question it was matched against.
#[derive(Debug, PartialEq, Eq)]
pub enum Reply {
    /// Another id or question: a late answer to an earlier query, or noise.
    NotOurs,
    /// The answer did not fit; ask again over TCP.
    Truncated,
    /// The TXT values, one per record; empty for NXDOMAIN or no records.
    Records(Vec<String>),
}

/// `name` without its trailing dot, if it is one a query may carry: ASCII
/// labels (internationalised names in punycode) of 1 to 63 bytes, 253 in
/// all (RFC 1035 2.3.4). '_' is allowed for names like `_acme-challenge`.
pub fn check_name(name: &str) -> Result<&str, DnsError> {
    let bare = name.strip_suffix('.').unwrap_or(name);
    host_name::check(bare, HostRules::DNS_QUERY)
        .map_err(|why| DnsError::Name(format!("'{name}' {why}")))?;
    Ok(bare)
}

/// Whether a byte of a name read off the wire is kept as it is; others
/// are written `\DDD` (RFC 1035 5.1).
fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// A standard query with recursion desired, class IN.
pub fn encode_query(id: u16, name: &str, qtype: u16) -> Result<Vec<u8>, DnsError> {
    let mut packet = header(id, RD, 1, 0);
    push_question(&mut packet, name, qtype)?;
    Ok(packet)
}

/// The question of a query, for a nameserver to answer.
pub fn decode_question(packet: &[u8]) -> Result<Question, DnsError> {
    let (id, flags, qdcount, _) = read_header(packet)?;
    if flags & QR != 0 {
        return Err(malformed("the message is an answer, not a query"));
    }
    if qdcount != 1 {
        return Err(malformed(format!("{qdcount} questions; a query holds one")));
    }
    let (name, qtype, _) = read_question(packet)?;
    Ok(Question { id, name, qtype })
}

/// The answer to `question`: one TXT record per value (values over 255
/// bytes split into several character-strings), or NXDOMAIN when
/// `records` is None because the name does not exist.
pub fn encode_txt_answer(
    question: &Question,
    records: Option<&[String]>,
    ttl: u32,
) -> Result<Vec<u8>, DnsError> {
    let (rcode, records) = match records {
        Some(records) => (0, records),
        None => (NXDOMAIN, &[][..]),
    };
    let ancount = u16::try_from(records.len())
        .map_err(|_| malformed(format!("{} records in one answer", records.len())))?;
    let mut packet = header(question.id, QR | AA | RD | RA | rcode, 1, ancount);
    push_question(&mut packet, &question.name, question.qtype)?;
    for value in records {
        let mut rdata = Vec::with_capacity(value.len() + value.len() / MAX_STRING + 1);
        let bytes = value.as_bytes();
        // An empty value is still one (empty) character-string.
        for chunk in bytes
            .chunks(MAX_STRING)
            .chain(bytes.is_empty().then_some(&[][..]))
        {
            rdata.push(chunk.len() as u8);
            rdata.extend_from_slice(chunk);
        }
        let rdlength = u16::try_from(rdata.len()).map_err(|_| {
            malformed(format!(
                "a TXT value of {} bytes does not fit one record",
                value.len()
            ))
        })?;
        packet.extend_from_slice(&QUESTION_NAME_POINTER);
        packet.extend_from_slice(&TXT.to_be_bytes());
        packet.extend_from_slice(&CLASS_IN.to_be_bytes());
        packet.extend_from_slice(&ttl.to_be_bytes());
        packet.extend_from_slice(&rdlength.to_be_bytes());
        packet.extend_from_slice(&rdata);
    }
    Ok(packet)
}

/// Reads an answer to `query`. TXT records count when their owner is the
/// question's name or a name it is a CNAME (chain) for, as a recursive
/// nameserver sends them. NXDOMAIN is an empty list; any other error code
/// is `DnsError::Server`.
pub fn decode_txt_answer(packet: &[u8], query: &Question) -> Result<Reply, DnsError> {
    let (id, flags, qdcount, ancount) = read_header(packet)?;
    if id != query.id || flags & QR == 0 {
        return Ok(Reply::NotOurs);
    }
    let rcode = flags & 0x000F;
    let mut offset = match qdcount {
        1 => {
            let (name, qtype, end) = read_question(packet)?;
            if qtype != query.qtype || !same_name(&name, &query.name) {
                return Ok(Reply::NotOurs);
            }
            end
        }
        // Some servers drop the question from a FORMERR or REFUSED.
        0 if rcode != 0 && rcode != NXDOMAIN => {
            return Err(DnsError::Server(rcode_name(rcode)));
        }
        _ => return Ok(Reply::NotOurs),
    };
    if flags & TC != 0 {
        return Ok(Reply::Truncated);
    }
    match rcode {
        0 => {}
        NXDOMAIN => return Ok(Reply::Records(Vec::new())),
        _ => return Err(DnsError::Server(rcode_name(rcode))),
    }

    let mut texts = Vec::new();
    let mut aliases = Vec::new();
    for index in 1..=ancount {
        let (owner, after) = read_name(packet, offset)?;
        let fixed = packet
            .get(after..after + 10)
            .ok_or_else(|| malformed(format!("answer record {index} is cut short")))?;
        let rtype = u16::from_be_bytes([fixed[0], fixed[1]]);
        let class = u16::from_be_bytes([fixed[2], fixed[3]]);
        let rdlength = usize::from(u16::from_be_bytes([fixed[8], fixed[9]]));
        let start = after + 10;
        let rdata = packet.get(start..start + rdlength).ok_or_else(|| {
            malformed(format!(
                "answer record {index} runs past the end of the message"
            ))
        })?;
        match (rtype, class) {
            (TXT, CLASS_IN) => texts.push((owner, read_strings(rdata, index)?)),
            (CNAME, CLASS_IN) => aliases.push((owner, read_name(packet, start)?.0)),
            _ => {}
        }
        offset = start + rdlength;
    }
    // The names that lead to the answer; the bound stops a CNAME loop.
    let mut chain = vec![query.name.clone()];
    while chain.len() <= aliases.len() {
        let Some(last) = chain.last() else { break };
        let Some((_, target)) = aliases.iter().find(|(owner, _)| same_name(owner, last)) else {
            break;
        };
        chain.push(target.clone());
    }
    Ok(Reply::Records(
        texts
            .into_iter()
            .filter(|(owner, _)| chain.iter().any(|name| same_name(owner, name)))
            .map(|(_, text)| text)
            .collect(),
    ))
}

fn header(id: u16, flags: u16, qdcount: u16, ancount: u16) -> Vec<u8> {
    let mut packet = Vec::with_capacity(512);
    for field in [id, flags, qdcount, ancount, 0, 0] {
        packet.extend_from_slice(&field.to_be_bytes());
    }
    packet
}

fn push_question(packet: &mut Vec<u8>, name: &str, qtype: u16) -> Result<(), DnsError> {
    for label in check_name(name)?.split('.') {
        packet.push(label.len() as u8);
        packet.extend_from_slice(label.as_bytes());
    }
    packet.push(0);
    packet.extend_from_slice(&qtype.to_be_bytes());
    packet.extend_from_slice(&CLASS_IN.to_be_bytes());
    Ok(())
}

/// id, flags, QDCOUNT, ANCOUNT.
fn read_header(packet: &[u8]) -> Result<(u16, u16, u16, u16), DnsError> {
    let field = |at: usize| u16::from_be_bytes([packet[at], packet[at + 1]]);
    if packet.len() < HEADER {
        return Err(malformed(format!(
            "{} bytes, shorter than the 12-byte header",
            packet.len()
        )));
    }
    Ok((field(0), field(2), field(4), field(6)))
}

/// The first question's name and type, and where the question ends.
fn read_question(packet: &[u8]) -> Result<(String, u16, usize), DnsError> {
    let (name, after) = read_name(packet, HEADER)?;
    let fixed = packet
        .get(after..after + 4)
        .ok_or_else(|| malformed("the question is cut short"))?;
    Ok((name, u16::from_be_bytes([fixed[0], fixed[1]]), after + 4))
}

/// The name at `start`, following compression pointers (RFC 1035 4.1.4),
/// and the offset just past it where it first appears. Each pointer must
/// point before the labels that led to it, so a loop cannot form.
fn read_name(packet: &[u8], start: usize) -> Result<(String, usize), DnsError> {
    let cut = || malformed(format!("the name at offset {start} runs past the end"));
    let mut name = String::new();
    let mut position = start;
    let mut segment = start;
    let mut end = None;
    let mut wire_length = 1;
    loop {
        let length = usize::from(*packet.get(position).ok_or_else(cut)?);
        match length & 0xC0 {
            0x00 if length == 0 => return Ok((name, end.unwrap_or(position + 1))),
            0x00 => {
                let label = packet
                    .get(position + 1..position + 1 + length)
                    .ok_or_else(cut)?;
                wire_length += 1 + length;
                if wire_length > 255 {
                    return Err(malformed(format!(
                        "the name at offset {start} is longer than 255 bytes"
                    )));
                }
                if !name.is_empty() {
                    name.push('.');
                }
                for &byte in label {
                    match is_plain(char::from(byte)) {
                        true => name.push(char::from(byte)),
                        false => name.push_str(&format!("\\{byte:03}")),
                    }
                }
                position += 1 + length;
            }
            0xC0 => {
                let low = usize::from(*packet.get(position + 1).ok_or_else(cut)?);
                let target = ((length & 0x3F) << 8) | low;
                if target >= segment {
                    return Err(malformed(format!(
                        "the compression pointer at offset {position} does not point back (a loop)"
                    )));
                }
                end.get_or_insert(position + 2);
                segment = target;
                position = target;
            }
            other => {
                return Err(malformed(format!(
                    "label type 0x{other:02x} at offset {position} is not RFC 1035"
                )));
            }
        }
    }
}

/// A TXT record's character-strings, joined (RFC 7208 3.3).
fn read_strings(rdata: &[u8], index: u16) -> Result<String, DnsError> {
    let mut joined = Vec::with_capacity(rdata.len());
    let mut rest = rdata;
    while let Some((&length, tail)) = rest.split_first() {
        let string = tail.get(..usize::from(length)).ok_or_else(|| {
            malformed(format!(
                "a character-string of answer record {index} is cut short"
            ))
        })?;
        joined.extend_from_slice(string);
        rest = &tail[usize::from(length)..];
    }
    Ok(String::from_utf8_lossy(&joined).into_owned())
}

/// Names compare without regard to ASCII case (RFC 4343), so a server
/// that echoes the question in another case still matches.
fn same_name(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn rcode_name(rcode: u16) -> String {
    match rcode {
        1 => "FORMERR".to_owned(),
        2 => "SERVFAIL".to_owned(),
        3 => "NXDOMAIN".to_owned(),
        4 => "NOTIMP".to_owned(),
        5 => "REFUSED".to_owned(),
        6 => "YXDOMAIN".to_owned(),
        7 => "YXRRSET".to_owned(),
        8 => "NXRRSET".to_owned(),
        9 => "NOTAUTH".to_owned(),
        10 => "NOTZONE".to_owned(),
        other => format!("RCODE {other}"),
    }
}

fn malformed(why: impl Into<String>) -> DnsError {
    DnsError::Malformed(why.into())
}

#[cfg(test)]
mod tests;
