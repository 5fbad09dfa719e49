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

#[test]
fn every_setting_is_read_from_its_obdir_variable() {
    let env = |name: &str| match name {
        "OBDIR_STORE_CACHE_MB" => Some("16".to_owned()),
        "OBDIR_TLS_NAMES" => Some(r#"["obdir.test", "127.0.0.1"]"#.to_owned()),
        "OBDIR_FAULTS_ALLOW_HEADER" => Some("true".to_owned()),
        "OBDIR_KEYSTORE_FLAVOUR" => Some("obie".to_owned()),
        "OBDIR_SERVER_BIND" => Some("127.0.0.1:9000".to_owned()),
        "OBDIR_HOSTS" => Some(r#"{ "keystore.test" = "keystore" }"#.to_owned()),
        _ => None,
    };
    let s = Settings::load(None, env, Overrides::default()).unwrap();
    assert_eq!(s.store.cache_mb, 16);
    assert_eq!(s.tls.names, ["obdir.test", "127.0.0.1"]);
    assert!(s.faults.allow_header);
    assert_eq!(s.keystore.flavour, Flavour::Obie);
    assert_eq!(s.server.bind, "127.0.0.1:9000");
    assert_eq!(
        s.hosts.get("keystore.test").map(String::as_str),
        Some("keystore")
    );

    // The short names win over the long ones.
    let both = |name: &str| match name {
        "OBDIR_SERVER_BIND" => Some("127.0.0.1:9000".to_owned()),
        "OBDIR_BIND" => Some("127.0.0.1:9001".to_owned()),
        _ => None,
    };
    let s = Settings::load(None, both, Overrides::default()).unwrap();
    assert_eq!(s.server.bind, "127.0.0.1:9001");
}

#[test]
fn a_variable_of_the_wrong_type_is_refused_by_name() {
    let env = |name: &str| (name == "OBDIR_STORE_CACHE_MB").then(|| "lots".to_owned());
    let err = Settings::load(None, env, Overrides::default()).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("OBDIR_STORE_CACHE_MB"), "{message}");
    assert!(message.contains("store.cache_mb"), "{message}");
    assert!(message.contains("integer"), "{message}");

    let env = |name: &str| (name == "OBDIR_KEYSTORE_FLAVOUR").then(|| "dutch".to_owned());
    let message = Settings::load(None, env, Overrides::default())
        .unwrap_err()
        .to_string();
    assert!(message.contains("OBDIR_KEYSTORE_FLAVOUR"), "{message}");
}

#[test]
fn every_key_of_the_defaults_is_a_field_of_the_settings() {
    // The type takes no key it does not know and has no default of its
    // own, so the defaults' keys are exactly its fields: each one left out
    // makes the defaults unreadable.
    let defaults: toml::Table = toml::from_str(DEFAULT).unwrap();
    for setting in env::settings(&defaults) {
        let mut table = defaults.clone();
        match setting.key.split_once('.') {
            Some((section, name)) => {
                table[section].as_table_mut().unwrap().remove(name);
            }
            None => {
                table.remove(&setting.key);
            }
        }
        let read: Result<Settings, _> = table.try_into();
        assert!(
            read.is_err(),
            "{} is not a field of the settings",
            setting.key
        );
    }
}

/// The README's settings table, made from config/default.toml: each key,
/// its variable, its default and the comment above it.
fn settings_table() -> String {
    let defaults: toml::Table = toml::from_str(DEFAULT).unwrap();
    let settings = env::settings(&defaults);
    let described = described_keys();
    let mut table =
        String::from("| setting | environment | default | what it does |\n|---|---|---|---|\n");
    for setting in settings {
        let default = match &setting.default {
            toml::Value::String(text) if text.is_empty() => "empty".to_owned(),
            toml::Value::String(text) => format!("`{text}`"),
            other => format!("`{other}`"),
        };
        let what = described.get(&setting.key).cloned().unwrap_or_default();
        table.push_str(&format!(
            "| `{}` | `{}` | {default} | {} |\n",
            setting.key,
            setting.variable,
            what.replace('|', "\\|")
        ));
    }
    table
}

/// The comment above each key of config/default.toml (for a section with
/// no keys, the comment inside it), leaving out commented-out examples.
fn described_keys() -> std::collections::BTreeMap<String, String> {
    let example = |line: &str| {
        let text = line.trim_start_matches('#').trim();
        text.starts_with('[')
            || (text.starts_with('"') && text.contains("\" = "))
            || text
                .split_once(" = ")
                .is_some_and(|(k, _)| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
    };
    let mut found = std::collections::BTreeMap::new();
    let (mut section, mut keys_in_section, mut comment) = (String::new(), 0, Vec::<String>::new());
    let close = |section: &str,
                 keys: usize,
                 comment: &mut Vec<String>,
                 found: &mut std::collections::BTreeMap<String, String>| {
        if !section.is_empty() && keys == 0 {
            found.insert(section.to_owned(), comment.join(" "));
        }
        comment.clear();
    };
    for line in DEFAULT.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            close(&section, keys_in_section, &mut comment, &mut found);
            section = name.to_owned();
            keys_in_section = 0;
        } else if line.starts_with('#') {
            if !section.is_empty() && !example(line) {
                comment.push(line.trim_start_matches('#').trim().to_owned());
            }
        } else if let Some((key, _)) = line.split_once(" = ") {
            found.insert(format!("{section}.{key}"), comment.join(" "));
            comment.clear();
            keys_in_section += 1;
        }
    }
    close(&section, keys_in_section, &mut comment, &mut found);
    found
}

#[test]
fn the_readme_lists_every_setting_as_the_defaults_hold_it() {
    const START: &str = "<!-- settings: made from config/default.toml by a test -->\n";
    const END: &str = "<!-- end of settings -->";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let from = readme
        .find(START)
        .expect("the README marks its settings table")
        + START.len();
    let to = from + readme[from..].find(END).expect("the table's end is marked");
    let table = settings_table();
    if std::env::var("OBDIR_BLESS").is_ok() {
        let mut updated = readme.clone();
        updated.replace_range(from..to, &table);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        readme[from..to] == table,
        "README.md's settings table differs from config/default.toml; \
         rerun with OBDIR_BLESS=1 to write it:\n{table}"
    );
}
