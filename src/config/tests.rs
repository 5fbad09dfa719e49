//! Unit tests of the settings layers: defaults, file, OBDIR_* variables and flags.

use super::*;

#[test]
fn defaults_need_no_file() {
    let s = Settings::load(None, |_| None, Overrides::default()).unwrap();
    assert_eq!(s.server.bind, "127.0.0.1:8080");
    assert_eq!(s.certificates.validity_months, 13);
    assert!(!s.server.admin_token.is_set());
}

#[test]
fn the_brazil_sandbox_cas_are_trusted_by_default() {
    let s = Settings::defaults();
    assert!(s.truststore.brazil_sandbox);
    assert!(s.truststore.certificates.is_empty());
    let subjects: Vec<String> = BRAZIL_SANDBOX_CAS
        .iter()
        .flat_map(|pem| crate::pki::trust::read_anchors(pem).unwrap())
        .map(|c| c.subject)
        .collect();
    assert_eq!(
        subjects,
        [
            "C=BR, O=Open Finance Brasil, OU=Open Finance sandbox, CN=Open Finance sandbox Root CA - G2",
            "C=BR, O=Open Finance Brasil, OU=Open Finance sandbox, CN=Open Finance sandbox Issuing CA - G2",
        ]
    );
}

#[test]
fn file_then_env_then_flags_override() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("obdir.toml");
    std::fs::write(&path, "[server]\nbind = \"127.0.0.1:1\"\npublic_url = \"https://file\"\n[certificates]\nvalidity_months = 3\n").unwrap();
    let env = |k: &str| (k == "OBDIR_PUBLIC_URL").then(|| "https://env".to_owned());
    let flags = Overrides {
        bind: Some("127.0.0.1:2".into()),
        ..Default::default()
    };
    let s = Settings::load(Some(&path), env, flags).unwrap();
    assert_eq!(s.server.bind, "127.0.0.1:2");
    assert_eq!(s.server.public_url, "https://env");
    assert_eq!(s.certificates.validity_months, 3);
    assert_eq!(s.ca.key_bits, 2048);
}

#[test]
fn a_misspelt_key_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("obdir.toml");
    std::fs::write(&path, "[server]\nbnid = \"x\"\n").unwrap();
    let err = Settings::load(Some(&path), |_| None, Overrides::default()).unwrap_err();
    assert!(err.to_string().contains("bnid"), "{err}");
}

#[test]
fn a_weak_ca_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("obdir.toml");
    std::fs::write(&path, "[ca]\nkey_bits = 1024\n").unwrap();
    let err = Settings::load(Some(&path), |_| None, Overrides::default()).unwrap_err();
    assert!(
        err.to_string()
            .contains("ca.key_bits must be at least 2048"),
        "{err}"
    );
}
