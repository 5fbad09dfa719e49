//! PKCS#12 (RFC 7292): opened by OpenSSL, after a DER outline of the file
//! finds its key bags, their names and the iteration counts to bound.

use super::der_reader::Der;
use super::*;

/// RC2 (the certificates in `openssl pkcs12 -legacy` and older Windows and
/// Java files) lives in OpenSSL 3's legacy provider. Loaded once, beside the
/// default provider, and kept for the life of the process.
fn legacy_provider_loaded() -> bool {
    static LEGACY: OnceLock<Option<Provider>> = OnceLock::new();
    LEGACY
        .get_or_init(|| Provider::try_load(None, "legacy", true).ok())
        .is_some()
}

pub(super) fn read_pkcs12(
    bytes: &[u8],
    keystore_pass: &str,
    wanted: &str,
    alias_pass: &str,
) -> Result<KeystoreEntry, KeystoreError> {
    let p12 = Pkcs12::from_der(bytes).map_err(|_| unreadable("it is not a PKCS#12 file"))?;
    // Re-encoded as DER, so the outline below need not follow BER.
    let der = p12
        .to_der()
        .map_err(|e| unreadable(format!("the PKCS#12 structure is damaged: {e}")))?;
    let outline = outline_pfx(&der).ok_or_else(|| unreadable("it is not a PKCS#12 PFX"))?;
    if outline.max_iterations > MAX_ITERATIONS {
        return Err(KeystoreError::Unsupported(format!(
            "the PKCS#12 file asks for {} iterations of its key derivation, above the limit of {MAX_ITERATIONS}",
            outline.max_iterations
        )));
    }
    for pass in [keystore_pass, alias_pass] {
        if pass.contains('\0') {
            return Err(KeystoreError::Unsupported(
                "a PKCS#12 password cannot contain a NUL character".to_owned(),
            ));
        }
    }
    legacy_provider_loaded();
    let parsed = p12.parse2(keystore_pass).map_err(pkcs12_error)?;
    let certs: Vec<X509> = parsed
        .cert
        .into_iter()
        .chain(parsed.ca.iter().flatten().map(X509Ref::to_owned))
        .collect();

    let mut keys: Vec<(String, Pkcs12Key<'_>)> = Vec::new();
    match outline.key_bags {
        Some(bags) if !bags.is_empty() => {
            let mut unnamed = 0;
            for bag in bags {
                let name = bag.name.clone().unwrap_or_else(|| {
                    unnamed += 1;
                    unnamed.to_string()
                });
                keys.push((name, Pkcs12Key::Bag(bag)));
            }
        }
        // No key bag in the clear: only the key OpenSSL opened, if any.
        _ => {
            if let Some(key) = parsed.pkey {
                let name = certs
                    .iter()
                    .find(|c| matches_key(c, &key))
                    .and_then(|c| c.alias())
                    .map_or_else(
                        || "1".to_owned(),
                        |a| String::from_utf8_lossy(a).into_owned(),
                    );
                keys.push((name, Pkcs12Key::Opened(key)));
            }
        }
    }
    let cert_alias = |cert: &X509| {
        cert.alias()
            .map(|a| String::from_utf8_lossy(a).into_owned())
    };
    let mut trusted: Vec<(String, &X509)> = certs
        .iter()
        .filter_map(|c| Some((cert_alias(c)?, c)))
        .filter(|(name, _)| !keys.iter().any(|(k, _)| same_alias(k, name)))
        .collect();
    if keys.is_empty() && trusted.is_empty() && certs.len() == 1 {
        trusted.push(("1".to_owned(), &certs[0]));
    }

    let key_index = find_alias(keys.iter().map(|(name, _)| name.as_str()), wanted);
    if let Some(index) = key_index {
        let (name, key) = &keys[index];
        let key = match key {
            Pkcs12Key::Bag(bag) => open_key_bag(bag, name, alias_pass)?,
            Pkcs12Key::Opened(key) if alias_pass == keystore_pass => key.clone(),
            Pkcs12Key::Opened(_) => return Err(KeystoreError::WrongAliasPassword(name.clone())),
        };
        let cert = certs.iter().find(|c| matches_key(c, &key)).ok_or_else(|| {
            unreadable(format!(
                "the entry '{name}' has no certificate for its private key"
            ))
        })?;
        let others: Vec<&X509> = certs.iter().filter(|c| !std::ptr::eq(*c, cert)).collect();
        return Ok(KeystoreEntry {
            alias: name.clone(),
            certificate_der: cert_der(cert)?,
            chain_der: chain_above(cert, &others)?,
            private_key_der: Some(pkcs8(&key)?),
        });
    }
    if let Some(index) = find_alias(trusted.iter().map(|(name, _)| name.as_str()), wanted) {
        let (name, cert) = &trusted[index];
        return Ok(KeystoreEntry {
            alias: name.clone(),
            certificate_der: cert_der(cert)?,
            chain_der: Vec::new(),
            private_key_der: None,
        });
    }
    Err(KeystoreError::MissingAlias {
        wanted: wanted.to_owned(),
        present: keys
            .into_iter()
            .map(|(name, _)| name)
            .chain(trusted.into_iter().map(|(name, _)| name))
            .collect(),
    })
}

enum Pkcs12Key<'a> {
    Bag(KeyBag<'a>),
    Opened(PKey<Private>),
}

/// The exact alias if present, else the first that matches ignoring case.
pub(super) fn find_alias<'a>(
    names: impl Iterator<Item = &'a str> + Clone,
    wanted: &str,
) -> Option<usize> {
    names
        .clone()
        .position(|n| n == wanted)
        .or_else(|| names.clone().position(|n| same_alias(n, wanted)))
}

pub(super) fn matches_key(cert: &X509Ref, key: &PKey<Private>) -> bool {
    cert.public_key().is_ok_and(|public| public.public_eq(key))
}

fn open_key_bag(bag: &KeyBag<'_>, name: &str, pass: &str) -> Result<PKey<Private>, KeystoreError> {
    if !bag.shrouded {
        return PKey::private_key_from_pkcs8(bag.der)
            .map_err(|_| unreadable(format!("the private key of '{name}' is not PKCS#8")));
    }
    PKey::private_key_from_pkcs8_passphrase(bag.der, pass.as_bytes()).map_err(|e| {
        if is_unsupported(&e) {
            unsupported_pkcs12(&e)
        } else {
            KeystoreError::WrongAliasPassword(name.to_owned())
        }
    })
}

/// PKCS12_parse checks the MAC before anything else: a MAC failure is the
/// wrong password; anything after it is the file.
fn pkcs12_error(e: ErrorStack) -> KeystoreError {
    // ERR_LIB_PKCS12 and its reasons, from OpenSSL's pkcs12err.h.
    const LIB_PKCS12: i32 = 35;
    const MAC_ABSENT: i32 = 108;
    const MAC_VERIFY_FAILURE: i32 = 113;
    let has = |reason| {
        e.errors()
            .iter()
            .any(|e| e.library_code() == LIB_PKCS12 && e.reason_code() == reason)
    };
    if is_unsupported(&e) {
        unsupported_pkcs12(&e)
    } else if has(MAC_ABSENT) {
        KeystoreError::Unsupported(
            "the PKCS#12 file has no MAC, so its password cannot be checked: export it with one \
             (without `-nomac`)"
                .to_owned(),
        )
    } else if has(MAC_VERIFY_FAILURE) {
        KeystoreError::WrongKeystorePassword
    } else {
        unreadable(format!(
            "the PKCS#12 content does not decrypt or parse ({e})"
        ))
    }
}

fn is_unsupported(e: &ErrorStack) -> bool {
    e.errors()
        .iter()
        .any(|e| e.reason().is_some_and(|r| r.contains("unsupported")))
}

fn unsupported_pkcs12(e: &ErrorStack) -> KeystoreError {
    KeystoreError::Unsupported(if legacy_provider_loaded() {
        format!("the PKCS#12 file uses an encryption algorithm this OpenSSL does not offer ({e})")
    } else {
        "the PKCS#12 file uses legacy encryption (RC2 or DES, as `openssl pkcs12 -legacy` \
         writes) and OpenSSL's legacy provider is not available on this host: re-export it \
         with AES-256 (OpenSSL 3's default)"
            .to_owned()
    })
}

fn cert_der(cert: &X509Ref) -> Result<Vec<u8>, KeystoreError> {
    cert.to_der()
        .map_err(|e| unreadable(format!("a certificate does not re-encode: {e}")))
}

pub(super) fn pkcs8(key: &PKey<Private>) -> Result<Vec<u8>, KeystoreError> {
    key.private_key_to_pkcs8().map_err(|e| {
        KeystoreError::Unsupported(format!("the private key cannot be written as PKCS#8: {e}"))
    })
}

/// The issuers of `leaf` found among `others`, nearest first, by name.
fn chain_above(leaf: &X509Ref, others: &[&X509]) -> Result<Vec<Vec<u8>>, KeystoreError> {
    let mut chain = Vec::new();
    let mut used = vec![false; others.len()];
    let mut current = leaf;
    loop {
        if is_same_name(current.subject_name(), current.issuer_name()) {
            break;
        }
        let next = others
            .iter()
            .enumerate()
            .find(|(i, c)| !used[*i] && is_same_name(c.subject_name(), current.issuer_name()));
        let Some((i, issuer)) = next else { break };
        used[i] = true;
        chain.push(cert_der(issuer)?);
        current = issuer;
    }
    Ok(chain)
}

fn is_same_name(a: &openssl::x509::X509NameRef, b: &openssl::x509::X509NameRef) -> bool {
    a.try_cmp(b).is_ok_and(|o| o.is_eq())
}

/// What obdir reads from a PFX before OpenSSL opens it: the largest
/// iteration count it names (MAC, encrypted content, shrouded keys), and the
/// key bags, whose friendlyNames are in the clear.
pub(super) struct PfxOutline<'a> {
    pub(super) max_iterations: u64,
    /// `None` when the content is not plain `data` throughout (signed, or
    /// nested), so only the key OpenSSL picks can be read.
    pub(super) key_bags: Option<Vec<KeyBag<'a>>>,
}

pub(super) struct KeyBag<'a> {
    pub(super) name: Option<String>,
    /// EncryptedPrivateKeyInfo when shrouded, else PrivateKeyInfo.
    pub(super) der: &'a [u8],
    pub(super) shrouded: bool,
}

// OIDs, as their DER content bytes.
const ID_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
const ID_ENCRYPTED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06];
const PBES2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d];
const KEY_BAG: &[u8] = &[
    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x01,
];
const SHROUDED_KEY_BAG: &[u8] = &[
    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x02,
];
const FRIENDLY_NAME: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x14];

/// PFX ::= SEQUENCE { version, authSafe ContentInfo, macData MacData OPTIONAL }
/// (RFC 7292 section 4).
pub(super) fn outline_pfx(der: &[u8]) -> Option<PfxOutline<'_>> {
    let mut pfx = Der::new(Der::new(der).tagged(SEQUENCE)?);
    if pfx.uint()? != 3 {
        return None;
    }
    let auth_safe = pfx.tagged(SEQUENCE)?;
    let mac_iterations = match pfx.next() {
        None => 0,
        Some((SEQUENCE, mac_data)) => {
            // MacData ::= SEQUENCE { mac DigestInfo, macSalt, iterations DEFAULT 1 }
            let mut mac_data = Der::new(mac_data);
            mac_data.tagged(SEQUENCE)?;
            mac_data.tagged(OCTET_STRING)?;
            if mac_data.is_empty() {
                1
            } else {
                mac_data.uint()?
            }
        }
        Some(_) => return None,
    };
    let mut max_iterations = mac_iterations;
    let key_bags = data_content(auth_safe).and_then(|safe| key_bags(safe, &mut max_iterations));
    Some(PfxOutline {
        max_iterations,
        key_bags,
    })
}

/// The octets of a ContentInfo of type `data`.
fn data_content(content_info: &[u8]) -> Option<&[u8]> {
    let mut info = Der::new(content_info);
    if info.tagged(OID)? != ID_DATA {
        return None;
    }
    Der::new(info.tagged(CONTEXT_0)?).tagged(OCTET_STRING)
}

/// AuthenticatedSafe ::= SEQUENCE OF ContentInfo; the `data` ones hold
/// SafeContents in the clear, the encrypted ones (certificates, as OpenSSL
/// and keytool write them) are OpenSSL's to open.
fn key_bags<'a>(auth_safe: &'a [u8], max_iterations: &mut u64) -> Option<Vec<KeyBag<'a>>> {
    let mut bags = Vec::new();
    let mut infos = Der::new(Der::new(auth_safe).tagged(SEQUENCE)?);
    while let Some((tag, info)) = infos.next() {
        if tag != SEQUENCE {
            return None;
        }
        let Some(safe_contents) = data_content(info) else {
            // EncryptedData ::= SEQUENCE { version, EncryptedContentInfo ::=
            //   SEQUENCE { contentType, contentEncryptionAlgorithm, .. } }
            let mut info = Der::new(info);
            if info.tagged(OID) == Some(ID_ENCRYPTED_DATA) {
                let mut data = Der::new(Der::new(info.tagged(CONTEXT_0)?).tagged(SEQUENCE)?);
                data.uint()?;
                let mut content = Der::new(data.tagged(SEQUENCE)?);
                content.tagged(OID)?;
                let iterations = pbe_iterations(content.tagged(SEQUENCE)?);
                *max_iterations = (*max_iterations).max(iterations);
            }
            continue;
        };
        let mut safe_bags = Der::new(Der::new(safe_contents).tagged(SEQUENCE)?);
        while let Some((tag, bag)) = safe_bags.next() {
            if tag != SEQUENCE {
                return None;
            }
            // SafeBag ::= SEQUENCE { bagId, bagValue [0] EXPLICIT, bagAttributes SET OPTIONAL }
            let mut bag = Der::new(bag);
            let bag_id = bag.tagged(OID)?;
            let value = bag.tagged(CONTEXT_0)?;
            let shrouded = bag_id == SHROUDED_KEY_BAG;
            if !shrouded && bag_id != KEY_BAG {
                continue;
            }
            let name = match bag.next() {
                Some((SET, attributes)) => friendly_name(attributes)?,
                _ => None,
            };
            let der = Der::new(value).next_raw()?;
            if shrouded {
                // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData }
                let algorithm = Der::new(Der::new(der).tagged(SEQUENCE)?).tagged(SEQUENCE)?;
                *max_iterations = (*max_iterations).max(pbe_iterations(algorithm));
            }
            bags.push(KeyBag {
                name,
                der,
                shrouded,
            });
        }
    }
    Some(bags)
}

/// The iteration count of a password-based AlgorithmIdentifier: PBES2 with
/// PBKDF2 (RFC 8018 A.2, A.4), or PBEParameter { salt, iterations } as the
/// PKCS#12 and PBES1 schemes have it; 0 for any other shape.
pub(super) fn pbe_iterations(algorithm: &[u8]) -> u64 {
    let read = || {
        let mut algorithm = Der::new(algorithm);
        let oid = algorithm.tagged(OID)?;
        let mut params = Der::new(algorithm.tagged(SEQUENCE)?);
        if oid == PBES2 {
            let mut kdf = Der::new(params.tagged(SEQUENCE)?);
            kdf.tagged(OID)?;
            params = Der::new(kdf.tagged(SEQUENCE)?);
        }
        params.tagged(OCTET_STRING)?;
        params.uint()
    };
    read().unwrap_or(0)
}

fn friendly_name(attributes: &[u8]) -> Option<Option<String>> {
    let mut attributes = Der::new(attributes);
    while let Some((tag, attribute)) = attributes.next() {
        if tag != SEQUENCE {
            return None;
        }
        let mut attribute = Der::new(attribute);
        if attribute.tagged(OID)? != FRIENDLY_NAME {
            continue;
        }
        let name = Der::new(attribute.tagged(SET)?).tagged(BMP_STRING)?;
        if name.len() % 2 != 0 {
            return None;
        }
        let units: Vec<u16> = name
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16(&units).ok().map(Some);
    }
    Some(None)
}
