//! TLS material: the acceptor obdir serves HTTPS with, and reading the
//! client certificates it is shown.

use openssl::ec::{EcGroup, EcKey};
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::ssl::{SslAcceptor, SslAcceptorBuilder, SslMethod, SslVerifyMode};
use openssl::x509::X509;

use super::PkiError;
use super::encoding::hex;

/// A new P-256 key for the TLS server; it lives only in memory.
pub fn server_key() -> Result<PKey<Private>, PkiError> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1)?;
    Ok(PKey::from_ec_key(EcKey::generate(&group)?)?)
}

/// An acceptor sending `chain` (leaf first, DER) for `key`. With
/// `trust` non-empty it asks for a client certificate chaining to one of
/// them, and with `require` refuses a handshake without one.
pub fn acceptor(
    key: &PKey<Private>,
    chain: &[Vec<u8>],
    trust: &[&X509],
    require: bool,
) -> Result<SslAcceptorBuilder, PkiError> {
    let mut builder = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls())?;
    builder.set_private_key(key)?;
    let (leaf, rest) = chain
        .split_first()
        .ok_or_else(|| PkiError::Unreadable("a TLS chain needs a leaf".into()))?;
    let leaf = X509::from_der(leaf)?;
    builder.set_certificate(&leaf)?;
    for der in rest {
        builder.add_extra_chain_cert(X509::from_der(der)?)?;
    }
    if !trust.is_empty() {
        for certificate in trust {
            builder
                .cert_store_mut()
                .add_cert((*certificate).to_owned())?;
        }
        let mut mode = SslVerifyMode::PEER;
        if require {
            mode |= SslVerifyMode::FAIL_IF_NO_PEER_CERT;
        }
        builder.set_verify(mode);
    }
    Ok(builder)
}

/// The hex serial of a DER certificate and whether `issuer` signed it.
pub fn serial_issued_by(der: &[u8], issuer: &X509) -> Option<String> {
    let certificate = X509::from_der(der).ok()?;
    let key = issuer.public_key().ok()?;
    certificate
        .verify(&key)
        .unwrap_or(false)
        .then(|| Some(hex(&certificate.serial_number().to_bn().ok()?.to_vec())))?
}
