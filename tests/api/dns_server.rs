//! A loopback nameserver: TXT records a test sets, NXDOMAIN for every other
//! name, and a list of the names it was asked, so a test can show a lookup
//! really went over the wire.

use std::collections::HashMap;
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use obdir::dns::wire;

type Zone = Arc<Mutex<HashMap<String, Vec<String>>>>;

pub struct DnsServer {
    pub address: SocketAddr,
    zone: Zone,
    asked: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl DnsServer {
    /// Answers on 127.0.0.1, a free UDP port, until dropped.
    pub fn start() -> DnsServer {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("bind a UDP port");
        let address = socket.local_addr().expect("bound address");
        // The loop wakes this often to see whether the server was dropped.
        socket
            .set_read_timeout(Some(Duration::from_millis(20)))
            .expect("read timeout");
        let zone = Zone::default();
        let asked = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::thread::spawn({
            let (zone, asked, stop) = (zone.clone(), asked.clone(), stop.clone());
            move || serve(&socket, &zone, &asked, &stop)
        });
        DnsServer {
            address,
            zone,
            asked,
            stop,
            thread: Some(thread),
        }
    }

    /// The TXT records at `name`, one per value; no values leaves the name
    /// existing with no TXT records (NOERROR, empty).
    pub fn set_txt(&self, name: &str, values: &[&str]) {
        self.zone.lock().expect("zone lock").insert(
            key(name),
            values.iter().map(|value| value.to_string()).collect(),
        );
    }

    /// The names asked, in order, as the queries spelled them.
    pub fn queries(&self) -> Vec<String> {
        self.asked.lock().expect("queries lock").clone()
    }
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn key(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

fn serve(socket: &UdpSocket, zone: &Zone, asked: &Mutex<Vec<String>>, stop: &AtomicBool) {
    let mut buffer = [0u8; 512];
    while !stop.load(Ordering::Relaxed) {
        let Ok((size, peer)) = socket.recv_from(&mut buffer) else {
            continue;
        };
        // Not a query it can read: a real server would send FORMERR; silence
        // is enough here.
        let Ok(question) = wire::decode_question(&buffer[..size]) else {
            continue;
        };
        asked
            .lock()
            .expect("queries lock")
            .push(question.name.clone());
        let records = zone
            .lock()
            .expect("zone lock")
            .get(&key(&question.name))
            .map(|values| match question.qtype {
                wire::TXT => values.clone(),
                _ => Vec::new(),
            });
        if let Ok(answer) = wire::encode_txt_answer(&question, records.as_deref(), 60) {
            let _ = socket.send_to(&answer, peer);
        }
    }
}

mod tests {
    use std::time::Duration;

    use obdir::dns::lookup_txt;

    use super::DnsServer;

    const WAIT: Duration = Duration::from_secs(2);

    #[test]
    fn dns_lookup_finds_the_txt_record_the_server_holds() {
        let server = DnsServer::start();
        server.set_txt("_swiss-pki.example.com", &["swiss-pki=token-1"]);
        let found = lookup_txt(server.address, "_swiss-pki.Example.com.", WAIT).unwrap();
        assert_eq!(found, vec!["swiss-pki=token-1"]);
        assert_eq!(server.queries(), vec!["_swiss-pki.Example.com"]);
    }

    #[test]
    fn dns_lookup_of_an_unknown_name_is_empty() {
        let server = DnsServer::start();
        server.set_txt("_swiss-pki.example.com", &["swiss-pki=token-1"]);
        let found = lookup_txt(server.address, "_swiss-pki.example.org", WAIT).unwrap();
        assert!(found.is_empty());
        assert_eq!(server.queries(), vec!["_swiss-pki.example.org"]);
    }

    #[test]
    fn dns_lookup_returns_every_txt_record_at_the_name() {
        let server = DnsServer::start();
        server.set_txt(
            "_swiss-pki.example.com",
            &["swiss-pki=old-token", "swiss-pki=new-token"],
        );
        let found = lookup_txt(server.address, "_swiss-pki.example.com", WAIT).unwrap();
        assert_eq!(found, vec!["swiss-pki=old-token", "swiss-pki=new-token"]);
    }
}
