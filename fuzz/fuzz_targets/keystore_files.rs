//! Uploaded keystores (the tenants face's PKI import): PKCS#12, JKS and
//! JCEKS files read with a fixed password, for a key entry and a trusted one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use obdir::pki::keystore_file::{KeystoreError, KeystoreFormat, read_keystore};

/// The password of every seed in `corpus/keystore_files/`.
const PASS: &str = "changeit";

fuzz_target!(|data: &[u8]| {
    let format = KeystoreFormat::detect(data);
    for alias in ["obdir-test", "TEST-CA"] {
        match read_keystore(data, PASS, alias, None) {
            Ok(entry) => {
                assert!(format.is_some());
                assert_eq!(entry.alias.to_lowercase(), alias.to_lowercase());
                assert!(!entry.certificate_der.is_empty());
                // The key never reaches a log line through Debug.
                if let Some(key) = &entry.private_key_der {
                    let debug = format!("{entry:?}");
                    assert!(!debug.contains(&format!("{:?}", key.as_slice())));
                }
            }
            Err(KeystoreError::Unreadable(why)) => assert!(!why.is_empty()),
            // Only a file told as a keystore gets as far as its passwords and aliases.
            Err(KeystoreError::MissingAlias { wanted, present }) => {
                assert!(format.is_some());
                assert_eq!(wanted, alias);
                assert!(
                    !present
                        .iter()
                        .any(|p| p.to_lowercase() == alias.to_lowercase())
                );
            }
            Err(err) => {
                assert!(format.is_some(), "{err}");
                assert!(!err.to_string().is_empty());
            }
        }
    }
});
