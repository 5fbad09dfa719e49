//! The trust store's checks: does a certificate issued elsewhere chain to a
//! CA the directory trusts, and which CA would make it do so.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use openssl::error::ErrorStack;
use openssl::stack::Stack;
use openssl::x509::store::X509StoreBuilder;
use openssl::x509::verify::{X509VerifyFlags, X509VerifyParam};
use openssl::x509::{X509, X509NameRef, X509Ref, X509StoreContext};
use x509_parser::prelude::{FromDer, X509Certificate};

use super::PkiError;
use super::encoding::{hex, sha256};
use super::name::name_text;
use super::pem::{PemKind, blocks};

/// Why a chain was refused: its leaf, the issuer it names, and openssl's reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the certificate '{subject}' does not chain to the trust store: {reason}")]
pub struct NotTrusted {
    pub subject: String,
    /// The leaf's issuer: the CA the trust store would need.
    pub issuer: String,
    pub reason: String,
}

/// A certificate the trust store can hold, with what a listing shows of it.
#[derive(Debug, Clone)]
pub struct AnchorCertificate {
    pub der: Vec<u8>,
    pub fingerprint: String,
    pub subject: String,
    pub issuer: String,
    pub not_after: DateTime<Utc>,
}

/// Checks that chain[0] (DER) chains, through the other certificates of
/// `chain`, to one of `anchors` (DER), at `at`.
pub fn verify_chain(
    chain: &[Vec<u8>],
    anchors: &[Vec<u8>],
    at: DateTime<Utc>,
) -> Result<(), NotTrusted> {
    let Some(leaf) = chain.first().and_then(|der| decode(der)) else {
        return Err(NotTrusted {
            subject: String::new(),
            issuer: String::new(),
            reason: "the chain holds no certificate that decodes as X.509".into(),
        });
    };
    let refuse = |reason: String| NotTrusted {
        subject: name_text(leaf.subject_name()),
        issuer: name_text(leaf.issuer_name()),
        reason,
    };
    match verify(&leaf, &chain[1..], anchors, at) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(reason)) => Err(refuse(reason)),
        Err(stack) => Err(refuse(stack.to_string())),
    }
}

/// Ok(Err(reason)) when openssl refuses the chain; Err when openssl failed.
fn verify(
    leaf: &X509Ref,
    untrusted: &[Vec<u8>],
    anchors: &[Vec<u8>],
    at: DateTime<Utc>,
) -> Result<Result<(), String>, ErrorStack> {
    let mut store = X509StoreBuilder::new()?;
    // A stored anchor that no longer decodes anchors nothing.
    for anchor in anchors.iter().filter_map(|der| decode(der)) {
        store.add_cert(anchor)?;
    }
    let mut param = X509VerifyParam::new()?;
    // A CA of the trust store is an anchor even when it is not a root, as
    // with a sandbox's issuing CA added alone.
    param.set_flags(X509VerifyFlags::PARTIAL_CHAIN)?;
    param.set_time(at.timestamp());
    store.set_param(&param)?;
    let store = store.build();
    let mut intermediates = Stack::new()?;
    for certificate in untrusted.iter().filter_map(|der| decode(der)) {
        intermediates.push(certificate)?;
    }
    let mut context = X509StoreContext::new()?;
    let outcome = context.init(&store, leaf, &intermediates, |context| {
        Ok(match context.verify_cert()? {
            true => Ok(()),
            false => Err(context.error().error_string().to_owned()),
        })
    });
    super::clear_openssl_errors();
    outcome
}

/// What forceTrust adds to the trust store for this chain: the leaf's issuer
/// certificate if the chain carries it (subject == leaf issuer and it
/// verifies the leaf's signature), else the leaf itself if it is self-signed
/// (self-issued and its own signature verifies); None otherwise.
pub fn trust_candidate(chain: &[Vec<u8>]) -> Option<Vec<u8>> {
    let leaf = decode(chain.first()?)?;
    let issuer = chain[1..].iter().find(|der| {
        decode(der).is_some_and(|ca| {
            same_name(ca.subject_name(), leaf.issuer_name()) && signed_by(&leaf, &ca)
        })
    });
    match issuer {
        Some(der) => Some(der.clone()),
        None => (same_name(leaf.subject_name(), leaf.issuer_name()) && signed_by(&leaf, &leaf))
            .then(|| chain[0].clone()),
    }
}

/// SHA-256 of the DER, lower-case hex: a trust anchor's id.
pub fn fingerprint(der: &[u8]) -> String {
    hex(&sha256(der))
}

/// Every certificate of a PEM text (one or more CERTIFICATE blocks, text
/// between them ignored); any other block, or none, is refused.
pub fn read_anchors(pem: &str) -> Result<Vec<AnchorCertificate>, PkiError> {
    let refuse = |rule: String| PkiError::Unreadable(format!("certificate: {rule}"));
    let found = blocks(pem).map_err(|n| refuse(format!("PEM block {n} has no END line")))?;
    if found.is_empty() {
        return Err(refuse(
            "must hold one or more PEM CERTIFICATE blocks; the text holds none".into(),
        ));
    }
    found
        .iter()
        .enumerate()
        .map(|(i, (kind, block))| {
            let n = i + 1;
            if *kind != PemKind::Certificate {
                return Err(refuse(format!(
                    "must hold only PEM CERTIFICATE blocks; block {n} is {}",
                    kind.describe()
                )));
            }
            let der = X509::from_pem(block.as_bytes())
                .and_then(|c| c.to_der())
                .map_err(|_| refuse(format!("PEM block {n} does not decode as X.509")))?;
            anchor_certificate(&der)
                .map_err(|e| refuse(format!("PEM block {n} does not parse: {e}")))
        })
        .collect()
}

/// A DER certificate with what a listing shows of it.
pub fn anchor_certificate(der: &[u8]) -> Result<AnchorCertificate, PkiError> {
    let certificate = X509::from_der(der)
        .map_err(|_| PkiError::Unreadable("the certificate does not decode as X.509".into()))?;
    let (_, parsed) = X509Certificate::from_der(der)
        .map_err(|e| PkiError::Unreadable(format!("the certificate does not parse: {e}")))?;
    let not_after = parsed.validity().not_after.timestamp();
    Ok(AnchorCertificate {
        der: der.to_vec(),
        fingerprint: fingerprint(der),
        subject: name_text(certificate.subject_name()),
        issuer: name_text(certificate.issuer_name()),
        not_after: DateTime::from_timestamp(not_after, 0).unwrap_or_default(),
    })
}

fn decode(der: &[u8]) -> Option<X509> {
    X509::from_der(der).ok()
}

fn same_name(a: &X509NameRef, b: &X509NameRef) -> bool {
    a.try_cmp(b).is_ok_and(|order| order == Ordering::Equal)
}

fn signed_by(certificate: &X509Ref, issuer: &X509Ref) -> bool {
    let verified = issuer
        .public_key()
        .and_then(|key| certificate.verify(&key))
        .unwrap_or(false);
    super::clear_openssl_errors();
    verified
}

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::asn1::Asn1Time;
    use openssl::bn::BigNum;
    use openssl::ec::{EcGroup, EcKey};
    use openssl::hash::MessageDigest;
    use openssl::nid::Nid;
    use openssl::pkey::{PKey, Private};
    use openssl::x509::extension::{BasicConstraints, KeyUsage};
    use openssl::x509::{X509Builder, X509NameBuilder};

    struct Made {
        cert: X509,
        key: PKey<Private>,
    }

    impl Made {
        fn der(&self) -> Vec<u8> {
            self.cert.to_der().unwrap()
        }
    }

    /// Days from a fixed "now", so the tests read no clock.
    fn day(offset: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_767_225_600, 0).unwrap() + chrono::Duration::days(offset)
    }

    /// A certificate for `cn`, valid from `from` to `to` days from `day(0)`,
    /// signed by `issuer` (self-signed when None).
    fn make(cn: &str, ca: bool, issuer: Option<&Made>, from: i64, to: i64) -> Made {
        let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
        let key = PKey::from_ec_key(EcKey::generate(&group).unwrap()).unwrap();
        let mut name = X509NameBuilder::new().unwrap();
        name.append_entry_by_text("O", "Test").unwrap();
        name.append_entry_by_text("CN", cn).unwrap();
        let name = name.build();
        let mut builder = X509Builder::new().unwrap();
        builder.set_version(2).unwrap();
        let serial = BigNum::from_u32(rand_serial()).unwrap().to_asn1_integer();
        builder.set_serial_number(&serial.unwrap()).unwrap();
        builder.set_subject_name(&name).unwrap();
        builder
            .set_issuer_name(issuer.map_or(&name, |i| i.cert.subject_name()))
            .unwrap();
        builder.set_pubkey(&key).unwrap();
        let time = |days: i64| Asn1Time::from_unix(day(days).timestamp()).unwrap();
        builder.set_not_before(&time(from)).unwrap();
        builder.set_not_after(&time(to)).unwrap();
        if ca {
            let constraints = BasicConstraints::new().critical().ca().build().unwrap();
            builder.append_extension(constraints).unwrap();
            let usage = KeyUsage::new()
                .critical()
                .key_cert_sign()
                .crl_sign()
                .build()
                .unwrap();
            builder.append_extension(usage).unwrap();
        }
        let signer = issuer.map_or(&key, |i| &i.key);
        builder.sign(signer, MessageDigest::sha256()).unwrap();
        Made {
            cert: builder.build(),
            key,
        }
    }

    fn rand_serial() -> u32 {
        let mut bytes = [0u8; 4];
        openssl::rand::rand_bytes(&mut bytes).unwrap();
        u32::from_be_bytes(bytes) | 1
    }

    #[test]
    fn a_self_signed_certificate_is_trusted_only_as_its_own_anchor() {
        let leaf = make("self", false, None, -1, 30);
        assert_eq!(verify_chain(&[leaf.der()], &[leaf.der()], day(0)), Ok(()));
        let other = make("other", true, None, -1, 30);
        let refused = verify_chain(&[leaf.der()], &[other.der()], day(0)).unwrap_err();
        assert_eq!(refused.subject, "O=Test, CN=self");
        assert!(
            refused.to_string().starts_with(
                "the certificate 'O=Test, CN=self' does not chain to the trust store: "
            ),
            "{refused}"
        );
        assert_eq!(trust_candidate(&[leaf.der()]), Some(leaf.der()));
    }

    #[test]
    fn a_leaf_chains_to_its_ca_and_names_it_when_it_is_missing() {
        let ca = make("CA", true, None, -1, 365);
        let leaf = make("leaf", false, Some(&ca), -1, 30);
        assert_eq!(verify_chain(&[leaf.der()], &[ca.der()], day(0)), Ok(()));
        let refused = verify_chain(&[leaf.der()], &[], day(0)).unwrap_err();
        assert_eq!(refused.reason, "unable to get local issuer certificate");
        assert_eq!(refused.issuer, "O=Test, CN=CA");
        assert_eq!(
            refused.to_string(),
            "the certificate 'O=Test, CN=leaf' does not chain to the trust store: unable to get local issuer certificate"
        );
        // Carried in the chain, the CA is what forceTrust would add; not
        // carried, there is nothing to add.
        assert_eq!(trust_candidate(&[leaf.der(), ca.der()]), Some(ca.der()));
        assert_eq!(trust_candidate(&[leaf.der()]), None);
        let stranger = make("CA", true, None, -1, 365);
        assert_eq!(trust_candidate(&[leaf.der(), stranger.der()]), None);
    }

    #[test]
    fn an_expired_leaf_is_refused_at_the_given_time() {
        let ca = make("CA", true, None, -60, 365);
        let leaf = make("old", false, Some(&ca), -60, -30);
        let refused = verify_chain(&[leaf.der()], &[ca.der()], day(0)).unwrap_err();
        assert_eq!(refused.reason, "certificate has expired");
        assert_eq!(verify_chain(&[leaf.der()], &[ca.der()], day(-45)), Ok(()));
        let early = verify_chain(&[leaf.der()], &[ca.der()], day(-90)).unwrap_err();
        assert_eq!(early.reason, "certificate is not yet valid");
    }

    #[test]
    fn an_intermediate_ca_alone_is_enough_as_an_anchor() {
        let root = make("Root", true, None, -1, 3650);
        let issuing = make("Issuing", true, Some(&root), -1, 365);
        let leaf = make("leaf", false, Some(&issuing), -1, 30);
        assert_eq!(
            verify_chain(&[leaf.der()], &[issuing.der()], day(0)),
            Ok(())
        );
        // With the root as anchor the chain must carry the intermediate.
        assert_eq!(
            verify_chain(&[leaf.der(), issuing.der()], &[root.der()], day(0)),
            Ok(())
        );
        assert!(verify_chain(&[leaf.der()], &[root.der()], day(0)).is_err());
        // A root the upload carries is not trusted for being carried.
        let refused =
            verify_chain(&[leaf.der(), issuing.der(), root.der()], &[], day(0)).unwrap_err();
        assert_eq!(
            refused.reason,
            "self-signed certificate in certificate chain"
        );
    }

    #[test]
    fn anchors_are_read_from_every_certificate_block() {
        let a = make("A", true, None, -1, 30);
        let b = make("B", true, None, -1, 30);
        let pem = |m: &Made| String::from_utf8(m.cert.to_pem().unwrap()).unwrap();
        let bundle = format!("subject=CN=A\n{}\n{}", pem(&a), pem(&b));
        let read = read_anchors(&bundle).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].der, a.der());
        assert_eq!(read[0].subject, "O=Test, CN=A");
        assert_eq!(read[1].fingerprint, fingerprint(&b.der()));
        assert_eq!(read[1].fingerprint.len(), 64);
        assert!(
            read[1]
                .fingerprint
                .chars()
                .all(|c| matches!(c, '0'..='9' | 'a'..='f'))
        );

        let key = String::from_utf8(a.key.private_key_to_pem_pkcs8().unwrap()).unwrap();
        let refused = read_anchors(&format!("{}{key}", pem(&a))).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "certificate: must hold only PEM CERTIFICATE blocks; block 2 is a private key, which must never be uploaded"
        );
        assert!(
            read_anchors("hello")
                .unwrap_err()
                .to_string()
                .starts_with("certificate: must hold one or more")
        );
        let broken = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        assert_eq!(
            read_anchors(broken).unwrap_err().to_string(),
            "certificate: PEM block 1 does not decode as X.509"
        );
    }
}
