//! Java's JKS and JCEKS keystores, read by hand: the layout, the integrity
//! digest, and the two key protections (Sun's JKS protector and
//! PBEWithMD5AndTripleDES).

use super::der_reader::Der;
use super::pkcs12::{find_alias, matches_key, pkcs8};
use super::*;

/// Sun's JKS key protector, 1.3.6.1.4.1.42.2.17.1.1.
const SUN_JKS_KEY_PROTECTOR: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x2a, 0x02, 0x11, 0x01, 0x01];
/// Sun's PBEWithMD5AndTripleDES (JCEKS), 1.3.6.1.4.1.42.2.19.1.
const SUN_JCE_PBE_MD5_3DES: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x2a, 0x02, 0x13, 0x01];

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

pub(super) fn read_java(
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
pub(super) fn java_utf(bytes: &[u8]) -> Option<String> {
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
