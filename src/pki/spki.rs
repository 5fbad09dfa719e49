//! A public key read from its SubjectPublicKeyInfo DER: RSA and named-curve
//! EC keys are built from their parts, which costs OpenSSL 3 about a
//! microsecond where its generic decoder and encoder cost hundreds; other
//! keys go through the decoder. Either way the key comes with the DER
//! OpenSSL would write for it, so a key's identity (the hash the key index
//! and the JWK's kid are built on) does not depend on how a client wrapped it.

use openssl::bn::BigNumContext;
use openssl::ec::{EcGroup, EcKey, EcPoint};
use openssl::nid::Nid;
use openssl::pkey::{PKey, Public};
use openssl::rsa::Rsa;
use x509_parser::prelude::FromDer;
use x509_parser::x509::SubjectPublicKeyInfo;

use super::PkiError;
use super::der::{self, BIT_STRING, INTEGER, NULL, SEQUENCE, tlv};

const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";

/// A public key and its SubjectPublicKeyInfo as OpenSSL encodes it.
pub(super) struct PublicKeyInfo {
    pub key: PKey<Public>,
    pub der: Vec<u8>,
}

/// Reads a SubjectPublicKeyInfo. Err when OpenSSL could not read it either.
pub(super) fn read(spki: &[u8]) -> Result<PublicKeyInfo, openssl::error::ErrorStack> {
    if let Some(read) = read_by_parts(spki) {
        return Ok(read);
    }
    let key = PKey::public_key_from_der(spki)?;
    let der = key.public_key_to_der()?;
    Ok(PublicKeyInfo { key, der })
}

/// A PKCS#1 RSAPublicKey, as its SubjectPublicKeyInfo.
pub(super) fn read_rsa_public_key(pkcs1: &[u8]) -> Result<PublicKeyInfo, PkiError> {
    let rsa = Rsa::public_key_from_der_pkcs1(pkcs1)?;
    let der = rsa_spki(&rsa)?;
    Ok(PublicKeyInfo {
        key: PKey::from_rsa(rsa)?,
        der,
    })
}

/// RSA, and EC on the curves obdir accepts; None for anything else, or
/// anything odd about these, which the generic decoder then judges.
fn read_by_parts(spki: &[u8]) -> Option<PublicKeyInfo> {
    let (rest, info) = SubjectPublicKeyInfo::from_der(spki).ok()?;
    if !rest.is_empty() || info.subject_public_key.unused_bits != 0 {
        return None;
    }
    let bits = info.subject_public_key.data.as_ref();
    let parameters = info.algorithm.parameters.as_ref();
    match info.algorithm.algorithm.to_id_string().as_str() {
        RSA_ENCRYPTION => {
            // OpenSSL reads absent parameters as NULL ones, and writes NULL.
            if parameters.is_some_and(|p| p.tag().0 != u32::from(NULL) || !p.data.is_empty()) {
                return None;
            }
            let rsa = Rsa::public_key_from_der_pkcs1(bits).ok()?;
            let der = rsa_spki(&rsa).ok()?;
            Some(PublicKeyInfo {
                key: PKey::from_rsa(rsa).ok()?,
                der,
            })
        }
        EC_PUBLIC_KEY => {
            let curve = parameters?.as_oid().ok()?.to_id_string();
            let nid = match curve.as_str() {
                "1.2.840.10045.3.1.7" => Nid::X9_62_PRIME256V1,
                "1.3.132.0.34" => Nid::SECP384R1,
                "1.3.132.0.35" => Nid::SECP521R1,
                _ => return None,
            };
            // A single byte is the point at infinity, which is no key.
            if bits.len() < 2 {
                return None;
            }
            let group = EcGroup::from_curve_name(nid).ok()?;
            let mut ctx = BigNumContext::new().ok()?;
            let point = EcPoint::from_bytes(&group, bits, &mut ctx).ok()?;
            let ec = EcKey::from_public_key(&group, &point).ok()?;
            // OpenSSL writes the point back in the form it came in
            // (uncompressed, compressed or hybrid): the bytes as given.
            let mut algorithm = tlv(der::OID, &der::oid(EC_PUBLIC_KEY));
            algorithm.extend(tlv(der::OID, &der::oid(&curve)));
            let der = spki_der(&algorithm, bits);
            Some(PublicKeyInfo {
                key: PKey::from_ec_key(ec).ok()?,
                der,
            })
        }
        _ => None,
    }
}

/// rsaEncryption with NULL parameters over RSAPublicKey (RFC 8017 A.1.1).
fn rsa_spki(rsa: &Rsa<Public>) -> Result<Vec<u8>, openssl::error::ErrorStack> {
    let mut key = der_integer(&rsa.n().to_vec());
    key.extend(der_integer(&rsa.e().to_vec()));
    let mut algorithm = tlv(der::OID, &der::oid(RSA_ENCRYPTION));
    algorithm.extend(tlv(NULL, &[]));
    Ok(spki_der(&algorithm, &tlv(SEQUENCE, &key)))
}

fn spki_der(algorithm: &[u8], key: &[u8]) -> Vec<u8> {
    let mut bits = vec![0]; // no unused bits
    bits.extend_from_slice(key);
    let mut content = tlv(SEQUENCE, algorithm);
    content.extend(tlv(BIT_STRING, &bits));
    tlv(SEQUENCE, &content)
}

/// A non-negative INTEGER from its big-endian magnitude (no leading zeros).
fn der_integer(magnitude: &[u8]) -> Vec<u8> {
    match magnitude.first() {
        None => tlv(INTEGER, &[0]),
        Some(first) if first & 0x80 != 0 => {
            let mut content = vec![0];
            content.extend_from_slice(magnitude);
            tlv(INTEGER, &content)
        }
        Some(_) => tlv(INTEGER, magnitude),
    }
}

#[cfg(test)]
mod tests {
    use openssl::ec::PointConversionForm;
    use openssl::pkey::Private;

    use super::*;

    /// What OpenSSL's own decoder and encoder make of `spki`.
    fn by_openssl(spki: &[u8]) -> (PKey<Public>, Vec<u8>) {
        let key = PKey::public_key_from_der(spki).unwrap();
        let der = key.public_key_to_der().unwrap();
        (key, der)
    }

    fn assert_as_openssl(spki: &[u8], fast: bool) {
        assert_eq!(read_by_parts(spki).is_some(), fast, "read by parts");
        let read = read(spki).unwrap();
        let (key, der) = by_openssl(spki);
        assert_eq!(read.der, der);
        assert!(read.key.public_eq(&key));
        assert_eq!(read.key.id(), key.id());
    }

    fn ec_spki(nid: Nid, form: PointConversionForm) -> Vec<u8> {
        let group = EcGroup::from_curve_name(nid).unwrap();
        let key = EcKey::generate(&group).unwrap();
        let mut ctx = BigNumContext::new().unwrap();
        let point = key.public_key().to_bytes(&group, form, &mut ctx).unwrap();
        let curve = match nid {
            Nid::X9_62_PRIME256V1 => "1.2.840.10045.3.1.7",
            Nid::SECP384R1 => "1.3.132.0.34",
            Nid::SECP521R1 => "1.3.132.0.35",
            _ => "1.3.132.0.10", // secp256k1
        };
        let mut algorithm = tlv(der::OID, &der::oid(EC_PUBLIC_KEY));
        algorithm.extend(tlv(der::OID, &der::oid(curve)));
        spki_der(&algorithm, &point)
    }

    fn rsa_key(bits: u32, e: u32) -> PKey<Private> {
        let e = openssl::bn::BigNum::from_u32(e).unwrap();
        PKey::from_rsa(Rsa::generate_with_e(bits, &e).unwrap()).unwrap()
    }

    #[test]
    fn rsa_keys_read_as_openssl_reads_them() {
        for (bits, e) in [(2048, 65537), (3072, 65537), (2048, 3), (2049, 65537)] {
            let spki = rsa_key(bits, e).public_key_to_der().unwrap();
            assert_as_openssl(&spki, true);
        }
    }

    #[test]
    fn rsa_without_null_parameters_gets_them() {
        let key = rsa_key(2048, 65537);
        let pkcs1 = key.rsa().unwrap().public_key_to_der_pkcs1().unwrap();
        let spki = spki_der(&tlv(der::OID, &der::oid(RSA_ENCRYPTION)), &pkcs1);
        assert_as_openssl(&spki, true);
        assert_eq!(read(&spki).unwrap().der, key.public_key_to_der().unwrap());
    }

    #[test]
    fn a_pkcs1_key_has_the_spki_openssl_writes() {
        let key = rsa_key(2048, 65537);
        let pkcs1 = key.rsa().unwrap().public_key_to_der_pkcs1().unwrap();
        let read = read_rsa_public_key(&pkcs1).unwrap();
        assert_eq!(read.der, key.public_key_to_der().unwrap());
    }

    #[test]
    fn ec_keys_keep_their_point_form() {
        for nid in [Nid::X9_62_PRIME256V1, Nid::SECP384R1, Nid::SECP521R1] {
            for form in [
                PointConversionForm::UNCOMPRESSED,
                PointConversionForm::COMPRESSED,
                PointConversionForm::HYBRID,
            ] {
                assert_as_openssl(&ec_spki(nid, form), true);
            }
        }
    }

    #[test]
    fn other_keys_go_through_the_decoder() {
        let k1 = ec_spki(Nid::SECP256K1, PointConversionForm::UNCOMPRESSED);
        assert_as_openssl(&k1, false);
        let ed = PKey::generate_ed25519().unwrap();
        assert_as_openssl(&ed.public_key_to_der().unwrap(), false);
    }

    #[test]
    fn what_openssl_refuses_is_refused() {
        let spki = rsa_key(2048, 65537).public_key_to_der().unwrap();
        assert!(read(&spki[..spki.len() - 1]).is_err());
        let mut off_curve = ec_spki(Nid::X9_62_PRIME256V1, PointConversionForm::UNCOMPRESSED);
        let last = off_curve.len() - 1;
        off_curve[last] ^= 1;
        assert!(read(&off_curve).is_err());
        assert!(read(b"not der").is_err());
    }
}
