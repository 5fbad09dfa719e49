//! The message format against hand-built packets: round trips, compression,
//! truncation and the name rules.

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
    let packet = encode_query(0xBEEF, "_swiss-pki.Example.COM.", TXT).unwrap();
    assert_eq!(
        decode_question(&packet).unwrap(),
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
    let packet = encode_txt_answer(&q, Some(&records), 300).unwrap();
    assert_eq!(
        decode_txt_answer(&packet, &q).unwrap(),
        Reply::Records(records)
    );
}

#[test]
fn a_300_byte_value_is_split_into_two_strings_and_joined_again() {
    let q = question("example.com");
    let value = "x".repeat(300);
    let packet = encode_txt_answer(&q, Some(std::slice::from_ref(&value)), 60).unwrap();
    let rdata = &packet[packet.len() - 302..];
    assert_eq!((rdata[0], rdata[256]), (255, 45));
    assert_eq!(
        decode_txt_answer(&packet, &q).unwrap(),
        Reply::Records(vec![value])
    );
}

#[test]
fn nxdomain_is_an_empty_list() {
    let q = question("nowhere.example");
    let packet = encode_txt_answer(&q, None, 60).unwrap();
    assert_eq!(packet[3] & 0x0F, 3);
    assert_eq!(
        decode_txt_answer(&packet, &q).unwrap(),
        Reply::Records(Vec::new())
    );
}

#[test]
fn answers_to_another_id_or_question_are_not_ours() {
    let q = question("example.com");
    let packet = encode_txt_answer(&q, Some(&strings(&["a"])), 60).unwrap();
    let other_id = Question { id: 1, ..q.clone() };
    let other_name = question("example.org");
    let other_type = Question {
        qtype: 1,
        ..q.clone()
    };
    for other in [other_id, other_name, other_type] {
        assert_eq!(decode_txt_answer(&packet, &other).unwrap(), Reply::NotOurs);
    }
    // The query itself (QR clear) is not an answer either.
    let query = encode_query(q.id, &q.name, TXT).unwrap();
    assert_eq!(decode_txt_answer(&query, &q).unwrap(), Reply::NotOurs);
}

#[test]
fn the_question_matches_in_any_case() {
    let asked = question("Example.COM");
    let echoed = question("eXAMPLE.com");
    let packet = encode_txt_answer(&echoed, Some(&strings(&["a"])), 60).unwrap();
    assert_eq!(
        decode_txt_answer(&packet, &asked).unwrap(),
        Reply::Records(strings(&["a"]))
    );
}

#[test]
fn servfail_and_refused_are_server_errors_and_tc_asks_for_tcp() {
    let q = question("example.com");
    let mut packet = encode_txt_answer(&q, Some(&[]), 60).unwrap();
    for (rcode, name) in [(2, "SERVFAIL"), (5, "REFUSED")] {
        packet[3] = (packet[3] & 0xF0) | rcode;
        match decode_txt_answer(&packet, &q) {
            Err(DnsError::Server(got)) => assert_eq!(got, name),
            other => panic!("expected {name}, got {other:?}"),
        }
    }
    packet[3] &= 0xF0;
    packet[2] |= 0x02;
    assert_eq!(decode_txt_answer(&packet, &q).unwrap(), Reply::Truncated);
}

#[test]
fn a_txt_record_behind_a_cname_is_found_through_compression_pointers() {
    let q = question("_swiss-pki.example.com");
    let mut packet = answer_header(q.id, 3);
    push_labels(&mut packet, &q.name);
    packet.extend_from_slice(&[0, 16, 0, 1]);
    // _swiss-pki.example.com CNAME token.validation.net
    packet.extend_from_slice(&[0xC0, 12]);
    push_record_head(&mut packet, CNAME, 22);
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
        decode_txt_answer(&packet, &q).unwrap(),
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
        decode_txt_answer(&packet, &q),
        Err(DnsError::Malformed(_))
    ));
    // a -> pointer forward to b, b -> pointer back to a.
    packet[owner..owner + 2].copy_from_slice(&[1, b'a']);
    packet.truncate(owner + 2);
    packet.extend_from_slice(&[0xC0, (owner + 4) as u8, 0xC0, owner as u8]);
    assert!(matches!(
        decode_txt_answer(&packet, &q),
        Err(DnsError::Malformed(_))
    ));
}

#[test]
fn a_truncated_message_is_refused() {
    let q = question("example.com");
    let packet = encode_txt_answer(&q, Some(&strings(&["swiss-pki=abc"])), 60).unwrap();
    for length in [packet.len() - 3, packet.len() - 16, 20, 5] {
        assert!(
            matches!(
                decode_txt_answer(&packet[..length], &q),
                Err(DnsError::Malformed(_))
            ),
            "{length} bytes"
        );
    }
    let query = encode_query(q.id, &q.name, TXT).unwrap();
    assert!(decode_question(&query).is_ok());
    assert!(decode_question(&query[..query.len() - 1]).is_err());
    assert!(decode_question(&query[..14]).is_err());
}

#[test]
fn names_are_checked_before_anything_is_sent() {
    let label = "a".repeat(63);
    assert!(check_name(&format!("{label}.example")).is_ok());
    let long = format!("{label}.{label}.{label}.{}", "b".repeat(61));
    assert_eq!(long.len(), 253);
    assert!(check_name(&long).is_ok());
    for bad in [
        format!("a{label}.example"),
        format!("{long}c"),
        "".to_owned(),
        ".".to_owned(),
        "a..example".to_owned(),
        "bücher.example".to_owned(),
        "a b.example".to_owned(),
    ] {
        assert!(matches!(check_name(&bad), Err(DnsError::Name(_))), "{bad}");
        assert!(encode_query(1, &bad, TXT).is_err(), "{bad}");
    }
    // The client refuses it too, before any packet leaves.
    let error = crate::dns::lookup_txt(
        "127.0.0.1:9".parse().unwrap(),
        &format!("a{label}.example"),
        std::time::Duration::from_millis(10),
    )
    .unwrap_err();
    assert!(error.to_string().contains("1 to 63"), "{error}");
}
