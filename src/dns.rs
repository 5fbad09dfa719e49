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

pub mod wire;

#[cfg(test)]
mod tests {
    use std::net::TcpListener;
    use std::thread;

    use super::wire;
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
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
