//! Reading one entry out of an uploaded keystore file: PKCS#12 (RFC 7292)
//! through OpenSSL, and Java's JKS and JCEKS formats by hand, since OpenSSL
//! knows neither. The format comes from the bytes, never from a file name.

use std::fmt;
use std::sync::OnceLock;

use openssl::error::ErrorStack;
use openssl::hash::{Hasher, MessageDigest};
use openssl::pkcs12::Pkcs12;
use openssl::pkey::{PKey, Private};
use openssl::provider::Provider;
use openssl::symm::{Cipher, decrypt};
use openssl::x509::{X509, X509Ref};

use super::der::{BMP_STRING, CONTEXT_0, INTEGER, NULL, OCTET_STRING, OID, SEQUENCE, SET};

/// The keystore formats obdir reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeystoreFormat {
    Pkcs12,
    Jks,
    Jceks,
}

const JKS_MAGIC: [u8; 4] = [0xfe, 0xed, 0xfe, 0xed];
const JCEKS_MAGIC: [u8; 4] = [0xce, 0xce, 0xce, 0xce];

impl KeystoreFormat {
    /// JKS and JCEKS by their magic number; PKCS#12 when the bytes are a DER
    /// SEQUENCE that OpenSSL reads as a PFX.
    pub fn detect(bytes: &[u8]) -> Option<Self> {
        match bytes.get(..4)? {
            m if m == JKS_MAGIC => Some(Self::Jks),
            m if m == JCEKS_MAGIC => Some(Self::Jceks),
            [0x30, ..] if Pkcs12::from_der(bytes).is_ok() => Some(Self::Pkcs12),
            _ => None,
        }
    }
}

/// One keystore entry: a certificate, the rest of its chain, and the private
/// key when the entry holds one (a trusted-certificate entry does not).
pub struct KeystoreEntry {
    /// The alias as the file spells it.
    pub alias: String,
    pub certificate_der: Vec<u8>,
    /// The rest of the chain, issuer first; empty when the file holds none.
    pub chain_der: Vec<Vec<u8>>,
    /// Unencrypted PKCS#8 PrivateKeyInfo. Never printed: see the Debug impl.
    pub private_key_der: Option<Vec<u8>>,
}

impl fmt::Debug for KeystoreEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let der_len = |der: &Vec<u8>| format!("<{} bytes>", der.len());
        f.debug_struct("KeystoreEntry")
            .field("alias", &self.alias)
            .field("certificate_der", &der_len(&self.certificate_der))
            .field(
                "chain_der",
                &self.chain_der.iter().map(der_len).collect::<Vec<_>>(),
            )
            .field(
                "private_key_der",
                &self.private_key_der.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Why a keystore file gave no entry; each is the uploader's to fix.
#[derive(Debug, thiserror::Error)]
pub enum KeystoreError {
    #[error("the keystore file cannot be read: {0}")]
    Unreadable(String),
    #[error("the keystore password is wrong: the file's integrity check fails with it")]
    WrongKeystorePassword,
    #[error(
        "the password for alias '{0}' is wrong: its private key does not decrypt with it (when the key has no password of its own, give the keystore password)"
    )]
    WrongAliasPassword(String),
    #[error("the keystore has no entry with alias '{wanted}'; {}", list_aliases(.present))]
    MissingAlias {
        wanted: String,
        present: Vec<String>,
    },
    #[error("{0}")]
    Unsupported(String),
}

fn list_aliases(present: &[String]) -> String {
    if present.is_empty() {
        "it holds no entries".to_owned()
    } else {
        let quoted: Vec<String> = present.iter().map(|a| format!("'{a}'")).collect();
        format!("the aliases present are {}", quoted.join(", "))
    }
}

fn unreadable(why: impl Into<String>) -> KeystoreError {
    KeystoreError::Unreadable(why.into())
}

/// Java refuses PBE iteration counts above this (`MAX_ITERATION_COUNT` in its
/// keystores); so does obdir, so an upload cannot buy minutes of hashing.
const MAX_ITERATIONS: u64 = 5_000_000;

/// Reads the entry `alias` out of `bytes`, a PKCS#12, JKS or JCEKS file.
///
/// `keystore_pass` checks the file's integrity (and, in PKCS#12, opens its
/// certificates); `alias_pass`, when `None` the keystore password, decrypts
/// the entry's private key. Aliases match case-insensitively, as keytool
/// lower-cases them. A PKCS#12 alias is the entry's friendlyName (`-name` in
/// `openssl pkcs12 -export`). A file whose single entry has no friendlyName
/// (`-export` without `-name`) calls it "1", as keytool does; should several
/// keys lack one, they are "1", "2", ... in file order.
pub fn read_keystore(
    bytes: &[u8],
    keystore_pass: &str,
    alias: &str,
    alias_pass: Option<&str>,
) -> Result<KeystoreEntry, KeystoreError> {
    let alias_pass = alias_pass.unwrap_or(keystore_pass);
    match KeystoreFormat::detect(bytes) {
        Some(KeystoreFormat::Pkcs12) => read_pkcs12(bytes, keystore_pass, alias, alias_pass),
        Some(format) => read_java(bytes, format, keystore_pass, alias, alias_pass),
        None if bytes.starts_with(b"-----BEGIN") => Err(unreadable(
            "it is PEM text, not a keystore; upload the binary PKCS#12 (.p12, .pfx) or JKS file",
        )),
        None => Err(unreadable(
            "it is not a PKCS#12 (.p12, .pfx), JKS or JCEKS keystore",
        )),
    }
}

fn same_alias(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

// ---------------------------------------------------------------- PKCS#12

/// RC2 (the certificates in `openssl pkcs12 -legacy` and older Windows and
/// Java files) lives in OpenSSL 3's legacy provider. Loaded once, beside the
/// default provider, and kept for the life of the process.
fn legacy_provider_loaded() -> bool {
    static LEGACY: OnceLock<Option<Provider>> = OnceLock::new();
    LEGACY
        .get_or_init(|| Provider::try_load(None, "legacy", true).ok())
        .is_some()
}

fn read_pkcs12(
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
fn find_alias<'a>(names: impl Iterator<Item = &'a str> + Clone, wanted: &str) -> Option<usize> {
    names
        .clone()
        .position(|n| n == wanted)
        .or_else(|| names.clone().position(|n| same_alias(n, wanted)))
}

fn matches_key(cert: &X509Ref, key: &PKey<Private>) -> bool {
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

fn pkcs8(key: &PKey<Private>) -> Result<Vec<u8>, KeystoreError> {
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
struct PfxOutline<'a> {
    max_iterations: u64,
    /// `None` when the content is not plain `data` throughout (signed, or
    /// nested), so only the key OpenSSL picks can be read.
    key_bags: Option<Vec<KeyBag<'a>>>,
}

struct KeyBag<'a> {
    name: Option<String>,
    /// EncryptedPrivateKeyInfo when shrouded, else PrivateKeyInfo.
    der: &'a [u8],
    shrouded: bool,
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
/// Sun's JKS key protector, 1.3.6.1.4.1.42.2.17.1.1.
const SUN_JKS_KEY_PROTECTOR: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x2a, 0x02, 0x11, 0x01, 0x01];
/// Sun's PBEWithMD5AndTripleDES (JCEKS), 1.3.6.1.4.1.42.2.19.1.
const SUN_JCE_PBE_MD5_3DES: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x2a, 0x02, 0x13, 0x01];

/// PFX ::= SEQUENCE { version, authSafe ContentInfo, macData MacData OPTIONAL }
/// (RFC 7292 section 4).
fn outline_pfx(der: &[u8]) -> Option<PfxOutline<'_>> {
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
fn pbe_iterations(algorithm: &[u8]) -> u64 {
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

/// A reader of definite-length DER, enough for the structures above.
struct Der<'a> {
    rest: &'a [u8],
}

impl<'a> Der<'a> {
    fn new(rest: &'a [u8]) -> Self {
        Self { rest }
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The next element's whole encoding, header included.
    fn next_raw(&mut self) -> Option<&'a [u8]> {
        let start = self.rest;
        self.next()?;
        Some(&start[..start.len() - self.rest.len()])
    }

    fn next(&mut self) -> Option<(u8, &'a [u8])> {
        let (&tag, rest) = self.rest.split_first()?;
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 || rest.len() < n {
                return None;
            }
            let len = rest[..n]
                .iter()
                .fold(0usize, |len, b| len << 8 | usize::from(*b));
            (len, &rest[n..])
        };
        if rest.len() < len {
            return None;
        }
        let (content, rest) = rest.split_at(len);
        self.rest = rest;
        Some((tag, content))
    }

    fn tagged(&mut self, tag: u8) -> Option<&'a [u8]> {
        match self.next()? {
            (t, content) if t == tag => Some(content),
            _ => None,
        }
    }

    /// A non-negative INTEGER that fits in a u64.
    fn uint(&mut self) -> Option<u64> {
        let content = self.tagged(INTEGER)?;
        if content.first().is_none_or(|b| b & 0x80 != 0) {
            return None;
        }
        let digits = &content[content.iter().take_while(|b| **b == 0).count()..];
        if digits.len() > 8 {
            return None;
        }
        Some(digits.iter().fold(0, |n, b| n << 8 | u64::from(*b)))
    }
}

// ------------------------------------------------------------ JKS, JCEKS

/// The digest that ends a JKS or JCEKS file salts the password with this
/// phrase (sun.security.provider.JavaKeyStore).
const JAVA_INTEGRITY_SALT: &[u8] = b"Mighty Aphrodite";
const SHA1_LEN: usize = 20;

enum JavaEntry<'a> {
    Key {
        alias: String,
        protected_key: &'a [u8],
        chain: Vec<&'a [u8]>,
    },
    Trusted {
        alias: String,
        cert: &'a [u8],
    },
}

impl JavaEntry<'_> {
    fn alias(&self) -> &str {
        match self {
            Self::Key { alias, .. } | Self::Trusted { alias, .. } => alias,
        }
    }
}

struct JavaStore<'a> {
    entries: Vec<JavaEntry<'a>>,
    /// How many leading bytes the trailing digest covers.
    signed_len: usize,
    /// A JCEKS secret-key entry is a serialized Java object whose length
    /// only a Java deserializer knows; reading stops there.
    stopped_at_secret: Option<String>,
}

fn read_java(
    bytes: &[u8],
    format: KeystoreFormat,
    keystore_pass: &str,
    wanted: &str,
    alias_pass: &str,
) -> Result<KeystoreEntry, KeystoreError> {
    let store = parse_java(bytes, format)?;
    let password = utf16_be(keystore_pass);
    let digest = sha1(&[&password, JAVA_INTEGRITY_SALT, &bytes[..store.signed_len]])?;
    if digest[..] != bytes[store.signed_len..] {
        return Err(KeystoreError::WrongKeystorePassword);
    }
    let names = store.entries.iter().map(JavaEntry::alias);
    let Some(index) = find_alias(names, wanted) else {
        return Err(match store.stopped_at_secret {
            Some(secret) if same_alias(&secret, wanted) => KeystoreError::Unsupported(format!(
                "'{secret}' is a secret-key entry; only private keys and certificates can be imported"
            )),
            Some(secret) => KeystoreError::Unsupported(format!(
                "'{wanted}' is not among the entries before the secret-key entry '{secret}', \
                 which obdir cannot read past: copy '{wanted}' into a keystore of its own \
                 (keytool -importkeystore -srcalias '{wanted}')"
            )),
            None => KeystoreError::MissingAlias {
                wanted: wanted.to_owned(),
                present: store.entries.iter().map(|e| e.alias().to_owned()).collect(),
            },
        });
    };
    match &store.entries[index] {
        JavaEntry::Trusted { alias, cert } => Ok(KeystoreEntry {
            alias: alias.clone(),
            certificate_der: checked_cert(cert)?,
            chain_der: Vec::new(),
            private_key_der: None,
        }),
        JavaEntry::Key {
            alias,
            protected_key,
            chain,
        } => {
            let plain = recover_java_key(protected_key, alias, alias_pass)?;
            let key = PKey::private_key_from_pkcs8(&plain)
                .map_err(|_| unreadable(format!("the private key of '{alias}' is not PKCS#8")))?;
            let (leaf, rest) = chain
                .split_first()
                .ok_or_else(|| unreadable(format!("the entry '{alias}' has no certificate")))?;
            let certificate_der = checked_cert(leaf)?;
            let cert = X509::from_der(&certificate_der).map_err(|e| unreadable(e.to_string()))?;
            if !matches_key(&cert, &key) {
                return Err(unreadable(format!(
                    "the private key of '{alias}' does not match its certificate"
                )));
            }
            Ok(KeystoreEntry {
                alias: alias.clone(),
                certificate_der,
                chain_der: rest
                    .iter()
                    .map(|c| checked_cert(c))
                    .collect::<Result<_, _>>()?,
                private_key_der: Some(pkcs8(&key)?),
            })
        }
    }
}

/// The layout JavaKeyStore and JceKeyStore write: magic, version, entry
/// count, entries (tag 1 private key, 2 trusted certificate, 3 JCEKS secret
/// key), then a SHA-1 digest.
fn parse_java(bytes: &[u8], format: KeystoreFormat) -> Result<JavaStore<'_>, KeystoreError> {
    let truncated = || unreadable("the keystore is truncated or damaged");
    let mut r = Reader { bytes, pos: 4 };
    let version = r.u32().ok_or_else(truncated)?;
    if version != 1 && version != 2 {
        return Err(unreadable(format!("unknown keystore version {version}")));
    }
    let count = r.u32().ok_or_else(truncated)?;
    let mut entries = Vec::new();
    for _ in 0..count {
        let tag = r.u32().ok_or_else(truncated)?;
        let alias = r.utf()?;
        r.take(8).ok_or_else(truncated)?; // creation date, ms since 1970
        match tag {
            1 => {
                let protected_key = r.sized().ok_or_else(truncated)?;
                let chain_len = r.u32().ok_or_else(truncated)?;
                let mut chain = Vec::new();
                for _ in 0..chain_len {
                    chain.push(r.cert(version)?);
                }
                entries.push(JavaEntry::Key {
                    alias,
                    protected_key,
                    chain,
                });
            }
            2 => {
                let cert = r.cert(version)?;
                entries.push(JavaEntry::Trusted { alias, cert });
            }
            3 if format == KeystoreFormat::Jceks => {
                let signed_len = bytes
                    .len()
                    .checked_sub(SHA1_LEN)
                    .filter(|n| *n >= r.pos)
                    .ok_or_else(truncated)?;
                return Ok(JavaStore {
                    entries,
                    signed_len,
                    stopped_at_secret: Some(alias),
                });
            }
            _ => return Err(unreadable(format!("unknown entry type {tag}"))),
        }
    }
    if bytes.len() - r.pos != SHA1_LEN {
        return Err(unreadable(
            "the keystore does not end with its 20-byte digest after the last entry",
        ));
    }
    Ok(JavaStore {
        entries,
        signed_len: r.pos,
        stopped_at_secret: None,
    })
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let out = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }

    /// A u32 length, then that many bytes.
    fn sized(&mut self) -> Option<&'a [u8]> {
        let len = self.u32()?;
        self.take(usize::try_from(len).ok()?)
    }

    /// DataOutputStream.writeUTF: a u16 length, then modified UTF-8.
    fn utf(&mut self) -> Result<String, KeystoreError> {
        let bad = || unreadable("an alias or type name is not valid modified UTF-8");
        let len = self.take(2).ok_or_else(bad)?;
        let text = self
            .take(usize::from(u16::from_be_bytes([len[0], len[1]])))
            .ok_or_else(bad)?;
        java_utf(text).ok_or_else(bad)
    }

    /// Version 2 names each certificate's type; version 1 means X.509.
    fn cert(&mut self, version: u32) -> Result<&'a [u8], KeystoreError> {
        if version == 2 {
            let kind = self.utf()?;
            if kind != "X.509" {
                return Err(KeystoreError::Unsupported(format!(
                    "certificates of type '{kind}': only X.509 ones can be imported"
                )));
            }
        }
        self.sized()
            .ok_or_else(|| unreadable("the keystore is truncated or damaged"))
    }
}

/// Java's modified UTF-8: NUL as two bytes, characters beyond the BMP as
/// two three-byte surrogates.
fn java_utf(bytes: &[u8]) -> Option<String> {
    let mut units = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let cont = |k: usize| {
            bytes
                .get(i + k)
                .filter(|c| *c & 0xc0 == 0x80)
                .map(|c| u16::from(c & 0x3f))
        };
        let (unit, width) = match b {
            0x01..=0x7f => (u16::from(b), 1),
            0xc0..=0xdf => ((u16::from(b & 0x1f) << 6) | cont(1)?, 2),
            0xe0..=0xef => ((u16::from(b & 0x0f) << 12) | (cont(1)? << 6) | cont(2)?, 3),
            _ => return None,
        };
        units.push(unit);
        i += width;
    }
    String::from_utf16(&units).ok()
}

/// Java passwords are `char[]`; its keystores hash them as UTF-16BE.
fn utf16_be(password: &str) -> Vec<u8> {
    password.encode_utf16().flat_map(u16::to_be_bytes).collect()
}

fn sha1(parts: &[&[u8]]) -> Result<Vec<u8>, KeystoreError> {
    let failed = |e: ErrorStack| KeystoreError::Unsupported(format!("SHA-1 failed: {e}"));
    let mut hasher = Hasher::new(MessageDigest::sha1()).map_err(failed)?;
    for part in parts {
        hasher.update(part).map_err(failed)?;
    }
    Ok(hasher.finish().map_err(failed)?.to_vec())
}

fn checked_cert(der: &[u8]) -> Result<Vec<u8>, KeystoreError> {
    X509::from_der(der)
        .map(|_| der.to_vec())
        .map_err(|_| unreadable("a certificate in the keystore is not valid DER X.509"))
}

/// EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING },
/// by the algorithm Sun's two key protectors name.
fn recover_java_key(protected: &[u8], alias: &str, pass: &str) -> Result<Vec<u8>, KeystoreError> {
    let damaged = || unreadable(format!("the protected key of '{alias}' is damaged"));
    let mut info = Der::new(Der::new(protected).tagged(SEQUENCE).ok_or_else(damaged)?);
    let mut algorithm = Der::new(info.tagged(SEQUENCE).ok_or_else(damaged)?);
    let encrypted = info.tagged(OCTET_STRING).ok_or_else(damaged)?;
    let oid = algorithm.tagged(OID).ok_or_else(damaged)?;
    if oid == SUN_JKS_KEY_PROTECTOR {
        if !matches!(algorithm.next(), None | Some((NULL, []))) {
            return Err(damaged());
        }
        return jks_key_protector(encrypted, pass)?
            .ok_or_else(|| KeystoreError::WrongAliasPassword(alias.to_owned()));
    }
    if oid == SUN_JCE_PBE_MD5_3DES {
        let params = algorithm.tagged(SEQUENCE).ok_or_else(damaged)?;
        return pbe_md5_triple_des(params, encrypted, pass, alias);
    }
    Err(KeystoreError::Unsupported(format!(
        "the private key of '{alias}' is protected by an algorithm obdir does not know"
    )))
}

/// sun.security.provider.KeyProtector: salt (20) || key XOR keystream ||
/// SHA-1(password || key), the keystream being SHA-1 chained from the salt.
/// `None` when the check digest does not match: the wrong password.
fn jks_key_protector(protected: &[u8], pass: &str) -> Result<Option<Vec<u8>>, KeystoreError> {
    if protected.len() < 2 * SHA1_LEN {
        return Err(unreadable("a protected key is too short"));
    }
    let password = utf16_be(pass);
    let (salt, rest) = protected.split_at(SHA1_LEN);
    let (encrypted, check) = rest.split_at(rest.len() - SHA1_LEN);
    let mut plain = Vec::with_capacity(encrypted.len());
    let mut block = salt.to_vec();
    for chunk in encrypted.chunks(SHA1_LEN) {
        block = sha1(&[&password, &block])?;
        plain.extend(chunk.iter().zip(&block).map(|(c, k)| c ^ k));
    }
    Ok((sha1(&[&password, &plain])? == check).then_some(plain))
}

/// com.sun.crypto.provider.PBES1Core for DESede: each half of the 8-byte
/// salt is hashed with the password `iterations` times by MD5, giving the
/// 3DES key and the CBC IV. PBEParameter ::= SEQUENCE { salt, iterations }.
fn pbe_md5_triple_des(
    params: &[u8],
    encrypted: &[u8],
    pass: &str,
    alias: &str,
) -> Result<Vec<u8>, KeystoreError> {
    let damaged = || unreadable(format!("the protected key of '{alias}' is damaged"));
    let mut params = Der::new(params);
    let salt: [u8; 8] = params
        .tagged(OCTET_STRING)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(damaged)?;
    let iterations = params.uint().filter(|n| *n > 0).ok_or_else(damaged)?;
    if iterations > MAX_ITERATIONS {
        return Err(KeystoreError::Unsupported(format!(
            "the key of '{alias}' uses {iterations} PBE iterations, above the limit of {MAX_ITERATIONS}"
        )));
    }
    // PBEKey takes printable ASCII only, so no other password can be right.
    if !pass.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
        return Err(KeystoreError::WrongAliasPassword(alias.to_owned()));
    }
    let mut salt = salt;
    if salt[..4] == salt[4..] {
        salt[..4].reverse(); // Sun's rule when both halves are equal
    }
    let failed = |e: ErrorStack| KeystoreError::Unsupported(format!("MD5 failed: {e}"));
    let mut md5 = Hasher::new(MessageDigest::md5()).map_err(failed)?;
    let mut derived = Vec::with_capacity(32);
    for half in salt.chunks(4) {
        let mut block = half.to_vec();
        for _ in 0..iterations {
            md5.update(&block).map_err(failed)?;
            md5.update(pass.as_bytes()).map_err(failed)?;
            block = md5.finish().map_err(failed)?.to_vec();
        }
        derived.extend(block);
    }
    let (key, iv) = derived.split_at(24);
    let wrong = || KeystoreError::WrongAliasPassword(alias.to_owned());
    let plain = decrypt(Cipher::des_ede3_cbc(), key, Some(iv), encrypted).map_err(|_| wrong())?;
    // Padding passes by chance for 1 wrong password in 256; the PKCS#8 parse does not.
    PKey::private_key_from_pkcs8(&plain).map_err(|_| wrong())?;
    Ok(plain)
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::process::{Command, Stdio};

    use super::*;
    use crate::pki::der::tlv;

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
}
