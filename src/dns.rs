//! A DNS TXT client (RFC 1035). The RA face proves that an applicant holds a
//! domain by finding `swiss-pki=<token>` in a TXT record; in one mode it asks
//! a real nameserver. One question type over UDP, with TCP when the answer is
//! truncated, is small enough not to need a resolver crate.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

use wire::{Question, Reply};

/// Why a TXT lookup gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum DnsError {
    #[error("not a DNS name: {0}")]
    Name(String),
    #[error(
        "no answer from nameserver {0} within {waited} (asked twice); check its address and that it serves DNS",
        waited = seconds(.1)
    )]
    Timeout(SocketAddr, Duration),
    #[error("cannot talk to the nameserver: {0}")]
    Io(String),
    /// The nameserver's response code, by its RFC 1035/2136 name.
    #[error("the nameserver answered {0}: it could not or would not resolve the name")]
    Server(String),
    #[error("malformed DNS message: {0}")]
    Malformed(String),
}

fn seconds(duration: &Duration) -> String {
    match duration.subsec_millis() {
        0 => format!("{} s", duration.as_secs()),
        _ => format!("{} ms", duration.as_millis()),
    }
}

/// The TXT record values at `name`, one string per record (its
/// character-strings joined, as RFC 7208 reads SPF). A name that does not
/// exist, or has no TXT records, gives an empty list.
pub fn lookup_txt(
    nameserver: SocketAddr,
    name: &str,
    timeout: Duration,
) -> Result<Vec<String>, DnsError> {
    let question = Question {
        id: random_id(),
        name: wire::check_name(name)?.to_owned(),
        qtype: wire::TXT,
    };
    let query = wire::encode_query(question.id, &question.name, question.qtype)?;
    match ask_udp(nameserver, &query, &question, timeout)? {
        Reply::Records(records) => Ok(records),
        Reply::Truncated => ask_tcp(nameserver, &query, &question, timeout),
        // ask_udp keeps waiting past answers to other queries.
        Reply::NotOurs => Err(DnsError::Timeout(nameserver, timeout)),
    }
}

/// RFC 5452: an unpredictable id (with the ephemeral source port) is what
/// stops an off-path answer being taken for the real one.
fn random_id() -> u16 {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    u16::from_be_bytes([bytes[0], bytes[1]])
}

fn ask_udp(
    nameserver: SocketAddr,
    query: &[u8],
    question: &Question,
    timeout: Duration,
) -> Result<Reply, DnsError> {
    let io = |e: std::io::Error| DnsError::Io(format!("{nameserver} over UDP: {e}"));
    let local = match nameserver {
        SocketAddr::V4(_) => SocketAddr::from(([0, 0, 0, 0], 0)),
        SocketAddr::V6(_) => SocketAddr::from(([0u16; 8], 0)),
    };
    let socket = UdpSocket::bind(local).map_err(io)?;
    // Connected: the kernel drops datagrams from any other address.
    socket.connect(nameserver).map_err(io)?;
    // Without EDNS an answer is at most 512 bytes; a larger buffer still
    // reads an oversized one whole rather than cutting it.
    let mut buffer = vec![0u8; 65_535];
    for _ in 0..2 {
        socket.send(query).map_err(io)?;
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            socket.set_read_timeout(Some(left)).map_err(io)?;
            let size = match socket.recv(&mut buffer) {
                Ok(size) => size,
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => break,
                Err(e) => return Err(io(e)),
            };
            match wire::decode_txt_answer(&buffer[..size], question)? {
                Reply::NotOurs => continue,
                reply => return Ok(reply),
            }
        }
    }
    Err(DnsError::Timeout(nameserver, timeout))
}

/// RFC 1035 4.2.2: over TCP each message carries a two-byte length prefix.
fn ask_tcp(
    nameserver: SocketAddr,
    query: &[u8],
    question: &Question,
    timeout: Duration,
) -> Result<Vec<String>, DnsError> {
    let io = |e: std::io::Error| match e.kind() {
        ErrorKind::WouldBlock | ErrorKind::TimedOut => DnsError::Timeout(nameserver, timeout),
        _ => DnsError::Io(format!("{nameserver} over TCP: {e}")),
    };
    let mut stream = TcpStream::connect_timeout(&nameserver, timeout).map_err(io)?;
    stream.set_read_timeout(Some(timeout)).map_err(io)?;
    stream.set_write_timeout(Some(timeout)).map_err(io)?;
    let length = u16::try_from(query.len())
        .map_err(|_| DnsError::Malformed(format!("a query of {} bytes", query.len())))?;
    let mut framed = length.to_be_bytes().to_vec();
    framed.extend_from_slice(query);
    stream.write_all(&framed).map_err(io)?;
    let mut prefix = [0u8; 2];
    stream.read_exact(&mut prefix).map_err(io)?;
    let mut answer = vec![0u8; usize::from(u16::from_be_bytes(prefix))];
    stream.read_exact(&mut answer).map_err(io)?;
    match wire::decode_txt_answer(&answer, question)? {
        Reply::Records(records) => Ok(records),
        Reply::Truncated => Err(DnsError::Malformed(format!(
            "{nameserver} set the truncated flag over TCP"
        ))),
        Reply::NotOurs => Err(DnsError::Malformed(format!(
            "{nameserver} answered another question over TCP"
        ))),
    }
}

/// The message format (RFC 1035 section 4), written once for the client and
/// for test nameservers.
pub mod wire {
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
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;
    use std::thread;

    use super::wire::{self, Question, Reply, TXT};
    use super::*;

    fn question(name: &str) -> Question {
        Question {
            id: 0x1234,
            name: name.to_owned(),
            qtype: TXT,
        }
    }

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    /// A header for an answer with one question and `ancount` records.
    fn answer_header(id: u16, ancount: u16) -> Vec<u8> {
        let mut packet = Vec::new();
        for field in [id, 0x8180, 1, ancount, 0, 0] {
            packet.extend_from_slice(&field.to_be_bytes());
        }
        packet
    }

    fn push_labels(packet: &mut Vec<u8>, name: &str) {
        for label in name.split('.') {
            packet.push(label.len() as u8);
            packet.extend_from_slice(label.as_bytes());
        }
        packet.push(0);
    }

    fn push_record_head(packet: &mut Vec<u8>, rtype: u16, rdlength: u16) {
        packet.extend_from_slice(&rtype.to_be_bytes());
        packet.extend_from_slice(&1u16.to_be_bytes());
        packet.extend_from_slice(&60u32.to_be_bytes());
        packet.extend_from_slice(&rdlength.to_be_bytes());
    }

    #[test]
    fn query_round_trips_keeping_case_and_dropping_the_root_dot() {
        let packet = wire::encode_query(0xBEEF, "_swiss-pki.Example.COM.", TXT).unwrap();
        assert_eq!(
            wire::decode_question(&packet).unwrap(),
            Question {
                id: 0xBEEF,
                name: "_swiss-pki.Example.COM".to_owned(),
                qtype: TXT,
            }
        );
    }

    #[test]
    fn answer_round_trips_one_string_per_record() {
        let q = question("_swiss-pki.example.com");
        let records = strings(&["swiss-pki=abc", "v=spf1 -all", ""]);
        let packet = wire::encode_txt_answer(&q, Some(&records), 300).unwrap();
        assert_eq!(
            wire::decode_txt_answer(&packet, &q).unwrap(),
            Reply::Records(records)
        );
    }

    #[test]
    fn a_300_byte_value_is_split_into_two_strings_and_joined_again() {
        let q = question("example.com");
        let value = "x".repeat(300);
        let packet = wire::encode_txt_answer(&q, Some(std::slice::from_ref(&value)), 60).unwrap();
        let rdata = &packet[packet.len() - 302..];
        assert_eq!((rdata[0], rdata[256]), (255, 45));
        assert_eq!(
            wire::decode_txt_answer(&packet, &q).unwrap(),
            Reply::Records(vec![value])
        );
    }

    #[test]
    fn nxdomain_is_an_empty_list() {
        let q = question("nowhere.example");
        let packet = wire::encode_txt_answer(&q, None, 60).unwrap();
        assert_eq!(packet[3] & 0x0F, 3);
        assert_eq!(
            wire::decode_txt_answer(&packet, &q).unwrap(),
            Reply::Records(Vec::new())
        );
    }

    #[test]
    fn answers_to_another_id_or_question_are_not_ours() {
        let q = question("example.com");
        let packet = wire::encode_txt_answer(&q, Some(&strings(&["a"])), 60).unwrap();
        let other_id = Question { id: 1, ..q.clone() };
        let other_name = question("example.org");
        let other_type = Question {
            qtype: 1,
            ..q.clone()
        };
        for other in [other_id, other_name, other_type] {
            assert_eq!(
                wire::decode_txt_answer(&packet, &other).unwrap(),
                Reply::NotOurs
            );
        }
        // The query itself (QR clear) is not an answer either.
        let query = wire::encode_query(q.id, &q.name, TXT).unwrap();
        assert_eq!(wire::decode_txt_answer(&query, &q).unwrap(), Reply::NotOurs);
    }

    #[test]
    fn the_question_matches_in_any_case() {
        let asked = question("Example.COM");
        let echoed = question("eXAMPLE.com");
        let packet = wire::encode_txt_answer(&echoed, Some(&strings(&["a"])), 60).unwrap();
        assert_eq!(
            wire::decode_txt_answer(&packet, &asked).unwrap(),
            Reply::Records(strings(&["a"]))
        );
    }

    #[test]
    fn servfail_and_refused_are_server_errors_and_tc_asks_for_tcp() {
        let q = question("example.com");
        let mut packet = wire::encode_txt_answer(&q, Some(&[]), 60).unwrap();
        for (rcode, name) in [(2, "SERVFAIL"), (5, "REFUSED")] {
            packet[3] = (packet[3] & 0xF0) | rcode;
            match wire::decode_txt_answer(&packet, &q) {
                Err(DnsError::Server(got)) => assert_eq!(got, name),
                other => panic!("expected {name}, got {other:?}"),
            }
        }
        packet[3] &= 0xF0;
        packet[2] |= 0x02;
        assert_eq!(
            wire::decode_txt_answer(&packet, &q).unwrap(),
            Reply::Truncated
        );
    }

    #[test]
    fn a_txt_record_behind_a_cname_is_found_through_compression_pointers() {
        let q = question("_swiss-pki.example.com");
        let mut packet = answer_header(q.id, 3);
        push_labels(&mut packet, &q.name);
        packet.extend_from_slice(&[0, 16, 0, 1]);
        // _swiss-pki.example.com CNAME token.validation.net
        packet.extend_from_slice(&[0xC0, 12]);
        push_record_head(&mut packet, wire::CNAME, 22);
        let target = packet.len();
        push_labels(&mut packet, "token.validation.net");
        // validation.net TXT "elsewhere": not on the chain
        packet.extend_from_slice(&[0xC0, (target + 6) as u8]);
        push_record_head(&mut packet, TXT, 10);
        packet.push(9);
        packet.extend_from_slice(b"elsewhere");
        // token.validation.net TXT "swiss-pki=abc"
        packet.extend_from_slice(&[0xC0, target as u8]);
        push_record_head(&mut packet, TXT, 14);
        packet.push(13);
        packet.extend_from_slice(b"swiss-pki=abc");
        assert_eq!(
            wire::decode_txt_answer(&packet, &q).unwrap(),
            Reply::Records(strings(&["swiss-pki=abc"]))
        );
    }

    #[test]
    fn a_compression_pointer_loop_is_refused() {
        let q = question("example.com");
        let mut packet = answer_header(q.id, 1);
        push_labels(&mut packet, &q.name);
        packet.extend_from_slice(&[0, 16, 0, 1]);
        let owner = packet.len();
        // The owner name points at itself.
        packet.extend_from_slice(&[0xC0, owner as u8]);
        push_record_head(&mut packet, TXT, 2);
        packet.extend_from_slice(&[1, b'a']);
        assert!(matches!(
            wire::decode_txt_answer(&packet, &q),
            Err(DnsError::Malformed(_))
        ));
        // a -> pointer forward to b, b -> pointer back to a.
        packet[owner..owner + 2].copy_from_slice(&[1, b'a']);
        packet.truncate(owner + 2);
        packet.extend_from_slice(&[0xC0, (owner + 4) as u8, 0xC0, owner as u8]);
        assert!(matches!(
            wire::decode_txt_answer(&packet, &q),
            Err(DnsError::Malformed(_))
        ));
    }

    #[test]
    fn a_truncated_message_is_refused() {
        let q = question("example.com");
        let packet = wire::encode_txt_answer(&q, Some(&strings(&["swiss-pki=abc"])), 60).unwrap();
        for length in [packet.len() - 3, packet.len() - 16, 20, 5] {
            assert!(
                matches!(
                    wire::decode_txt_answer(&packet[..length], &q),
                    Err(DnsError::Malformed(_))
                ),
                "{length} bytes"
            );
        }
        let query = wire::encode_query(q.id, &q.name, TXT).unwrap();
        assert!(wire::decode_question(&query).is_ok());
        assert!(wire::decode_question(&query[..query.len() - 1]).is_err());
        assert!(wire::decode_question(&query[..14]).is_err());
    }

    #[test]
    fn names_are_checked_before_anything_is_sent() {
        let label = "a".repeat(63);
        assert!(wire::check_name(&format!("{label}.example")).is_ok());
        let long = format!("{label}.{label}.{label}.{}", "b".repeat(61));
        assert_eq!(long.len(), 253);
        assert!(wire::check_name(&long).is_ok());
        for bad in [
            format!("a{label}.example"),
            format!("{long}c"),
            "".to_owned(),
            ".".to_owned(),
            "a..example".to_owned(),
            "bücher.example".to_owned(),
            "a b.example".to_owned(),
        ] {
            assert!(
                matches!(wire::check_name(&bad), Err(DnsError::Name(_))),
                "{bad}"
            );
            assert!(wire::encode_query(1, &bad, TXT).is_err(), "{bad}");
        }
        let error = lookup_txt(
            "127.0.0.1:9".parse().unwrap(),
            &format!("a{label}.example"),
            Duration::from_millis(10),
        )
        .unwrap_err();
        assert!(error.to_string().contains("1 to 63"), "{error}");
    }

    #[test]
    fn a_silent_nameserver_is_asked_twice_then_times_out() {
        let server = UdpSocket::bind("127.0.0.1:0").unwrap();
        let address = server.local_addr().unwrap();
        let listener = thread::spawn(move || {
            server
                .set_read_timeout(Some(Duration::from_millis(800)))
                .unwrap();
            let mut buffer = [0u8; 512];
            let mut seen = 0;
            while server.recv(&mut buffer).is_ok() {
                seen += 1;
            }
            seen
        });
        let error = lookup_txt(address, "example.com", Duration::from_millis(200)).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "no answer from nameserver {address} within 200 ms (asked twice); check its address and that it serves DNS"
            )
        );
        assert_eq!(listener.join().unwrap(), 2);
    }

    #[test]
    fn a_closed_port_is_an_io_error_not_a_wait() {
        let address = UdpSocket::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let started = Instant::now();
        let error = lookup_txt(address, "example.com", Duration::from_secs(5)).unwrap_err();
        assert!(matches!(error, DnsError::Io(_)), "{error}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_truncated_udp_answer_is_asked_again_over_tcp() {
        // UDP and TCP on one port, as a nameserver listens.
        let (udp, tcp) = (0..20)
            .find_map(|_| {
                let udp = UdpSocket::bind("127.0.0.1:0").ok()?;
                let tcp = TcpListener::bind(udp.local_addr().ok()?).ok()?;
                Some((udp, tcp))
            })
            .unwrap();
        let address = udp.local_addr().unwrap();
        let records = strings(&["swiss-pki=abc", &"y".repeat(600)]);
        let served = records.clone();
        let server = thread::spawn(move || {
            let mut buffer = [0u8; 512];
            let size = udp.recv_from(&mut buffer).unwrap();
            let q = wire::decode_question(&buffer[..size.0]).unwrap();
            let mut truncated = wire::encode_txt_answer(&q, Some(&[]), 60).unwrap();
            truncated[2] |= 0x02;
            udp.send_to(&truncated, size.1).unwrap();

            let (mut stream, _) = tcp.accept().unwrap();
            let mut prefix = [0u8; 2];
            stream.read_exact(&mut prefix).unwrap();
            let mut query = vec![0u8; usize::from(u16::from_be_bytes(prefix))];
            stream.read_exact(&mut query).unwrap();
            let q = wire::decode_question(&query).unwrap();
            let answer = wire::encode_txt_answer(&q, Some(&served), 60).unwrap();
            stream
                .write_all(&(answer.len() as u16).to_be_bytes())
                .unwrap();
            stream.write_all(&answer).unwrap();
        });
        let found = lookup_txt(address, "example.com", Duration::from_secs(2)).unwrap();
        server.join().unwrap();
        assert_eq!(found, records);
    }
}
