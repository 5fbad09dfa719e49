use std::io::Write;
use std::process::{Command, Stdio};

use super::der_reader::Der;
use super::java::*;
use super::pkcs12::*;
use super::*;
use crate::pki::der::{INTEGER, tlv};

const PASS: &str = "changeit";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/keystores/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read(name: &str, alias: &str, alias_pass: Option<&str>) -> KeystoreEntry {
    read_keystore(&fixture(name), PASS, alias, alias_pass)
        .unwrap_or_else(|e| panic!("{name} '{alias}': {e}"))
}

fn subject_cn(der: &[u8]) -> String {
    let cert = X509::from_der(der).unwrap();
    let cn = cert
        .subject_name()
        .entries_by_nid(openssl::nid::Nid::COMMONNAME)
        .next()
        .unwrap();
    cn.data().to_string().unwrap()
}

fn ca_der() -> Vec<u8> {
    X509::from_pem(&fixture("ca.pem"))
        .unwrap()
        .to_der()
        .unwrap()
}

/// The public key as the openssl command line derives it from `der`.
fn openssl_public_key(command: &str, der: &[u8]) -> Vec<u8> {
    let args: &[&str] = match command {
        "pkey" => &["pkey", "-inform", "DER", "-pubout"],
        _ => &["x509", "-inform", "DER", "-pubkey", "-noout"],
    };
    let mut child = Command::new("openssl")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(der).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "openssl {command} failed");
    out.stdout
}

fn assert_key_matches_certificate(entry: &KeystoreEntry) {
    let key = entry.private_key_der.as_deref().expect("a private key");
    let from_key = openssl_public_key("pkey", key);
    assert!(from_key.starts_with(b"-----BEGIN PUBLIC KEY-----"));
    assert_eq!(
        from_key,
        openssl_public_key("x509", &entry.certificate_der),
        "{}",
        entry.alias
    );
}

#[test]
fn formats_are_told_by_their_bytes() {
    for (name, format) in [
        ("aes256.p12", KeystoreFormat::Pkcs12),
        ("legacy.p12", KeystoreFormat::Pkcs12),
        ("keytool.p12", KeystoreFormat::Pkcs12),
        ("keystore.jks", KeystoreFormat::Jks),
        ("keystore.jceks", KeystoreFormat::Jceks),
    ] {
        assert_eq!(
            KeystoreFormat::detect(&fixture(name)),
            Some(format),
            "{name}"
        );
    }
    assert_eq!(KeystoreFormat::detect(&fixture("ca.pem")), None);
    assert_eq!(
        KeystoreFormat::detect(&[0x30, 0x03, 0x02, 0x01, 0x03]),
        None
    );
}

#[test]
fn pkcs12_reads_with_aes_256_and_with_legacy_encryption() {
    for name in ["aes256.p12", "legacy.p12"] {
        let entry = read(name, "obdir-test", None);
        assert_eq!(entry.alias, "obdir-test");
        assert_eq!(
            subject_cn(&entry.certificate_der),
            "obdir keystore test leaf"
        );
        assert_eq!(entry.chain_der, vec![ca_der()], "{name}");
        assert_key_matches_certificate(&entry);
    }
}

#[test]
fn pkcs12_without_friendly_name_is_alias_1() {
    let entry = read("unnamed.p12", "1", None);
    assert_eq!(
        subject_cn(&entry.certificate_der),
        "obdir keystore test unnamed"
    );
    assert!(entry.chain_der.is_empty());
    assert_key_matches_certificate(&entry);
}

#[test]
fn keytool_pkcs12_reads_every_entry_not_only_the_first_key() {
    for (alias, cn) in [("first", "first"), ("Second", "second")] {
        let entry = read("keytool.p12", alias, None);
        assert_eq!(entry.alias, cn);
        assert_eq!(
            subject_cn(&entry.certificate_der),
            format!("obdir keystore test keytool {cn}")
        );
        assert_key_matches_certificate(&entry);
    }
    let trusted = read("keytool.p12", "test-ca", None);
    assert_eq!(trusted.certificate_der, ca_der());
    assert!(trusted.private_key_der.is_none());
}

#[test]
fn jks_reads_key_entries_case_insensitively_and_trusted_certificates() {
    let entry = read("keystore.jks", "obdir-test", None);
    assert_eq!(
        subject_cn(&entry.certificate_der),
        "obdir keystore test JKS"
    );
    assert!(entry.chain_der.is_empty());
    assert_key_matches_certificate(&entry);

    let ec = read("keystore.jks", "SEPARATE-KEYPASS", Some("other-secret"));
    assert_eq!(ec.alias, "separate-keypass");
    assert_key_matches_certificate(&ec);

    let chained = read("keystore.jks", "chained", None);
    assert_eq!(
        subject_cn(&chained.certificate_der),
        "obdir keystore test leaf"
    );
    assert_eq!(chained.chain_der, vec![ca_der()]);
    assert_key_matches_certificate(&chained);

    let trusted = read("keystore.jks", "test-ca", None);
    assert_eq!(trusted.certificate_der, ca_der());
    assert!(trusted.private_key_der.is_none());
}

#[test]
fn jceks_reads_triple_des_protected_keys() {
    let entry = read("keystore.jceks", "obdir-test", None);
    assert_eq!(
        subject_cn(&entry.certificate_der),
        "obdir keystore test JCEKS"
    );
    assert_key_matches_certificate(&entry);
    let ec = read("keystore.jceks", "separate-keypass", Some("other-secret"));
    assert_key_matches_certificate(&ec);
    assert!(
        read("keystore.jceks", "test-ca", None)
            .private_key_der
            .is_none()
    );
}

#[test]
fn wrong_keystore_password_is_told_apart_from_a_bad_file() {
    for name in [
        "aes256.p12",
        "legacy.p12",
        "keystore.jks",
        "keystore.jceks",
        "secret-key.jceks",
    ] {
        let err = read_keystore(&fixture(name), "wrong-pass", "obdir-test", None).unwrap_err();
        assert!(
            matches!(err, KeystoreError::WrongKeystorePassword),
            "{name}: {err}"
        );
    }
}

#[test]
fn wrong_alias_password_names_the_alias() {
    for (name, alias, pass) in [
        ("keystore.jks", "separate-keypass", None),
        ("keystore.jks", "obdir-test", Some("other-secret")),
        ("keystore.jceks", "separate-keypass", None),
        ("keystore.jceks", "separate-keypass", Some("caf\u{e9}")),
        ("aes256.p12", "obdir-test", Some("other-secret")),
        ("legacy.p12", "obdir-test", Some("other-secret")),
    ] {
        let err = read_keystore(&fixture(name), PASS, alias, pass).unwrap_err();
        assert!(
            matches!(&err, KeystoreError::WrongAliasPassword(a) if a == alias),
            "{name} '{alias}': {err}"
        );
        assert!(err.to_string().contains(alias));
    }
    // A trusted certificate has no key, so no password to get wrong.
    let trusted = read_keystore(&fixture("keystore.jks"), PASS, "test-ca", Some("x"));
    assert!(trusted.is_ok());
}

#[test]
fn missing_alias_lists_the_aliases_present() {
    for (name, present) in [
        (
            "keystore.jks",
            &["chained", "obdir-test", "separate-keypass", "test-ca"][..],
        ),
        ("keytool.p12", &["first", "second", "test-ca"]),
        ("aes256.p12", &["obdir-test"]),
        ("unnamed.p12", &["1"]),
    ] {
        let err = read_keystore(&fixture(name), PASS, "nope", None).unwrap_err();
        let message = err.to_string();
        let KeystoreError::MissingAlias {
            wanted,
            present: mut got,
        } = err
        else {
            panic!("{name}: {message}");
        };
        assert_eq!(wanted, "nope");
        got.sort();
        assert_eq!(got, present, "{name}");
        for alias in present {
            assert!(message.contains(&format!("'{alias}'")), "{message}");
        }
    }
}

#[test]
fn garbage_truncation_and_pem_are_unreadable() {
    let jks = fixture("keystore.jks");
    let p12 = fixture("aes256.p12");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("text", b"not a keystore at all".to_vec()),
        ("zeros", vec![0; 4096]),
        ("pem", fixture("ca.pem")),
        ("der certificate", ca_der()),
        ("truncated jks", jks[..jks.len() / 2].to_vec()),
        ("jks without digest", jks[..jks.len() - 20].to_vec()),
        ("jks with extra bytes", [&jks[..], b"extra"].concat()),
        ("truncated p12", p12[..p12.len() / 2].to_vec()),
        ("bare magic", JKS_MAGIC.to_vec()),
    ];
    for (what, bytes) in cases {
        let err = read_keystore(&bytes, PASS, "obdir-test", None).unwrap_err();
        assert!(matches!(err, KeystoreError::Unreadable(_)), "{what}: {err}");
    }
    let pem = read_keystore(&fixture("ca.pem"), PASS, "a", None).unwrap_err();
    assert!(pem.to_string().contains("PEM"), "{pem}");
}

#[test]
fn a_changed_byte_fails_the_jks_digest() {
    let mut jks = fixture("keystore.jks");
    let last_cert_byte = jks.len() - 21;
    jks[last_cert_byte] ^= 1;
    let err = read_keystore(&jks, PASS, "obdir-test", None).unwrap_err();
    assert!(matches!(err, KeystoreError::WrongKeystorePassword), "{err}");
}

#[test]
fn jceks_secret_keys_are_unsupported_and_say_so() {
    let bytes = fixture("secret-key.jceks");
    for alias in ["aes-key", "obdir-test"] {
        let err = read_keystore(&bytes, PASS, alias, None).unwrap_err();
        assert!(
            matches!(&err, KeystoreError::Unsupported(m) if m.contains("secret-key")),
            "{err}"
        );
    }
}

#[test]
fn pkcs12_outline_finds_key_bags_and_iteration_counts() {
    for (name, bags, iterations) in [
        ("aes256.p12", &[Some("obdir-test")][..], 2048),
        ("legacy.p12", &[Some("obdir-test")], 2048),
        ("unnamed.p12", &[None], 2048),
        ("keytool.p12", &[Some("first"), Some("second")], 10_000),
    ] {
        let der = Pkcs12::from_der(&fixture(name)).unwrap().to_der().unwrap();
        let outline = outline_pfx(&der).unwrap();
        let found = outline.key_bags.unwrap();
        let names: Vec<_> = found.iter().map(|b| b.name.as_deref()).collect();
        assert_eq!(names, bags, "{name}");
        for bag in &found {
            assert!(bag.shrouded);
            let algorithm = Der::new(Der::new(bag.der).tagged(SEQUENCE).unwrap())
                .tagged(SEQUENCE)
                .unwrap();
            assert_eq!(pbe_iterations(algorithm), iterations, "{name}");
        }
        assert_eq!(outline.max_iterations, iterations, "{name}");
    }
}

#[test]
fn pkcs12_iteration_counts_above_the_limit_are_refused_before_hashing() {
    // aes256.p12 with its MAC's iteration count raised to 6,000,000.
    let p12 = fixture("aes256.p12");
    let mut pfx = Der::new(Der::new(&p12).tagged(SEQUENCE).unwrap());
    let version = pfx.next_raw().unwrap();
    let auth_safe = pfx.next_raw().unwrap();
    let mut mac_data = Der::new(pfx.tagged(SEQUENCE).unwrap());
    let digest_info = mac_data.next_raw().unwrap();
    let salt = mac_data.next_raw().unwrap();
    let mac_data = [digest_info, salt, &tlv(INTEGER, &[0x5b, 0x8d, 0x80])].concat();
    let forged = tlv(
        SEQUENCE,
        &[version, auth_safe, &tlv(SEQUENCE, &mac_data)].concat(),
    );
    assert_eq!(
        KeystoreFormat::detect(&forged),
        Some(KeystoreFormat::Pkcs12)
    );
    let err = read_keystore(&forged, PASS, "obdir-test", None).unwrap_err();
    assert!(
        matches!(&err, KeystoreError::Unsupported(m) if m.contains("6000000")),
        "{err}"
    );
}

#[test]
fn pkcs12_without_a_mac_is_unsupported_not_a_wrong_password() {
    let err = read_keystore(&fixture("nomac.p12"), PASS, "no-mac", None).unwrap_err();
    assert!(
        matches!(&err, KeystoreError::Unsupported(m) if m.contains("no MAC")),
        "{err}"
    );
}

#[test]
fn debug_never_shows_the_private_key() {
    let entry = read("keystore.jks", "obdir-test", None);
    let key = entry.private_key_der.clone().unwrap();
    let debug = format!("{entry:?}");
    assert!(debug.contains("<redacted>"), "{debug}");
    assert!(
        !debug.contains(&format!("{:?}", &key[..8])[1..20]),
        "{debug}"
    );
    assert!(debug.len() < 200, "{debug}");
}

#[test]
fn java_modified_utf8_decodes_nul_and_supplementary_characters() {
    assert_eq!(java_utf(b"abc").as_deref(), Some("abc"));
    assert_eq!(java_utf(&[0xc0, 0x80]).as_deref(), Some("\0"));
    // U+1F511 as two CESU-8 surrogates.
    let key = [0xed, 0xa0, 0xbd, 0xed, 0xb4, 0x91];
    assert_eq!(java_utf(&key).as_deref(), Some("\u{1f511}"));
    assert_eq!(java_utf(&[0xed, 0xa0, 0xbd]), None);
    assert_eq!(java_utf(&[0xff]), None);
}
