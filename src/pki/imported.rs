//! A keystore entry brought in from elsewhere, described as the API platform
//! answers it (seed 003's PKIAndCertificateInfo), and tenant users'
//! passwords, kept as PBKDF2 hashes.

use chrono::DateTime;
use openssl::hash::MessageDigest;
use openssl::pkcs5::pbkdf2_hmac;
use openssl::x509::{X509, X509NameRef};

use super::PkiError;
use super::encoding::{base64, constant_time_eq, decode_base64};
use crate::domain::tenants::{CertificateInfo, Password, PasswordHash};

/// A certificate's public key (base64 SubjectPublicKeyInfo) and the facts the
/// platform reports about it.
pub fn describe_certificate(der: &[u8]) -> Result<(String, CertificateInfo), PkiError> {
    let cert = X509::from_der(der).map_err(super::unreadable(
        "the keystore entry's certificate does not decode as X.509",
    ))?;
    let public_key = cert.public_key().map_err(|_| {
        PkiError::Unreadable("the certificate's public key is of an unsupported type".into())
    })?;
    let spki = public_key.public_key_to_der()?;
    let time = |t: &openssl::asn1::Asn1TimeRef| {
        let epoch = openssl::asn1::Asn1Time::from_unix(0)?;
        let diff = epoch.diff(t)?;
        let seconds = i64::from(diff.days) * 86_400 + i64::from(diff.secs);
        Ok::<_, PkiError>(DateTime::from_timestamp(seconds, 0).unwrap_or_default())
    };
    let info = CertificateInfo {
        subject_dn: java_name(cert.subject_name()),
        issuer_dn: java_name(cert.issuer_name()),
        serial_no: cert.serial_number().to_bn()?.to_dec_str()?.to_string(),
        effective_date: time(cert.not_before())?,
        expiration_date: time(cert.not_after())?,
    };
    Ok((base64(&spki), info))
}

/// A name as Java's `X500Principal.toString` prints it: most specific RDN
/// first, `, ` between them.
fn java_name(name: &X509NameRef) -> String {
    let mut parts: Vec<String> = name
        .entries()
        .map(|e| {
            let nid = e.object().nid();
            let key = match nid.short_name() {
                Ok("emailAddress") => "EMAILADDRESS".to_owned(),
                Ok(short) => short.to_owned(),
                Err(_) => e.object().to_string(),
            };
            let value = String::from_utf8_lossy(e.data().as_slice()).into_owned();
            format!("{key}={value}")
        })
        .collect();
    parts.reverse();
    parts.join(", ")
}

/// OWASP's 2023 floor for PBKDF2-HMAC-SHA256 is 600,000; a test double for
/// a login page does not need to resist offline cracking, and every login
/// pays this, so it is far lower. The stored hash names its count, so it can
/// be raised without breaking stored users.
const ITERATIONS: u32 = 20_000;
const SALT_BYTES: usize = 16;
const HASH_BYTES: usize = 32;

pub fn hash_password(password: &Password) -> Result<PasswordHash, PkiError> {
    let mut salt = [0u8; SALT_BYTES];
    openssl::rand::rand_bytes(&mut salt)?;
    let hash = derive(password, &salt, ITERATIONS)?;
    Ok(PasswordHash {
        iterations: ITERATIONS,
        salt: base64(&salt),
        hash: base64(&hash),
    })
}

/// Whether `password` is the one `stored` was made from.
pub fn password_matches(password: &Password, stored: &PasswordHash) -> Result<bool, PkiError> {
    let (Some(salt), Some(expected)) = (decode_base64(&stored.salt), decode_base64(&stored.hash))
    else {
        return Ok(false);
    };
    let hash = derive(password, &salt, stored.iterations)?;
    Ok(constant_time_eq(&hash, &expected))
}

fn derive(password: &Password, salt: &[u8], iterations: u32) -> Result<Vec<u8>, PkiError> {
    let mut hash = vec![0u8; HASH_BYTES];
    pbkdf2_hmac(
        password.as_bytes(),
        salt,
        iterations as usize,
        MessageDigest::sha256(),
        &mut hash,
    )?;
    Ok(hash)
}

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::asn1::Asn1Time;
    use openssl::bn::BigNum;
    use openssl::pkey::PKey;
    use openssl::x509::{X509Builder, X509NameBuilder};

    fn certificate() -> Vec<u8> {
        let key = PKey::ec_gen("prime256v1").unwrap();
        let mut name = X509NameBuilder::new().unwrap();
        for (k, v) in [
            ("C", "US"),
            ("ST", "FL"),
            ("O", "acmepaymentscorp"),
            ("CN", "GenCert"),
        ] {
            name.append_entry_by_text(k, v).unwrap();
        }
        let name = name.build();
        let mut builder = X509Builder::new().unwrap();
        builder.set_version(2).unwrap();
        let serial = BigNum::from_dec_str("1532468375").unwrap();
        builder
            .set_serial_number(&serial.to_asn1_integer().unwrap())
            .unwrap();
        builder.set_subject_name(&name).unwrap();
        builder.set_issuer_name(&name).unwrap();
        builder.set_pubkey(&key).unwrap();
        builder
            .set_not_before(&Asn1Time::from_unix(1_532_468_375).unwrap())
            .unwrap();
        builder
            .set_not_after(&Asn1Time::from_unix(1_564_004_375).unwrap())
            .unwrap();
        builder.sign(&key, MessageDigest::sha256()).unwrap();
        builder.build().to_der().unwrap()
    }

    #[test]
    fn a_certificate_is_described_as_the_platform_does() {
        let (public_key, info) = describe_certificate(&certificate()).unwrap();
        assert!(public_key.starts_with("MFkwEwYHKoZIzj0CAQ"), "{public_key}");
        assert_eq!(
            info.subject_dn,
            "CN=GenCert, O=acmepaymentscorp, ST=FL, C=US"
        );
        assert_eq!(info.issuer_dn, info.subject_dn);
        assert_eq!(info.serial_no, "1532468375");
        assert_eq!(info.effective_date.timestamp_millis(), 1_532_468_375_000);
        assert_eq!(info.expiration_date.timestamp_millis(), 1_564_004_375_000);
        assert!(describe_certificate(b"not a certificate").is_err());
    }

    #[test]
    fn a_password_matches_its_hash_only() {
        let password = Password::parse_new("correct horse").unwrap();
        let stored = hash_password(&password).unwrap();
        assert!(password_matches(&password, &stored).unwrap());
        assert!(!password_matches(&Password::presented("correct horsE"), &stored).unwrap());
        let again = hash_password(&password).unwrap();
        assert_ne!(stored.salt, again.salt);
        let broken = PasswordHash {
            salt: "*".into(),
            ..stored
        };
        assert!(!password_matches(&password, &broken).unwrap());
    }
}
