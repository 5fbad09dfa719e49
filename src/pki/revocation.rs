//! Revocation status as relying parties read it: CRLs (RFC 5280 section 5)
//! and OCSP responses (RFC 6960), built as DER with the RustCrypto types and
//! signed by the issuing CA's key with OpenSSL.

use std::time::Duration;

use chrono::{DateTime, Utc};
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::sign::Signer;
use openssl::x509::X509;
use x509_cert::crl::{RevokedCert, TbsCertList};
use x509_cert::der::asn1::{BitString, GeneralizedTime, Null, OctetString, Uint};
use x509_cert::der::{Any, Decode, Encode};
use x509_cert::ext::pkix::AuthorityKeyIdentifier;
use x509_cert::ext::pkix::crl::CrlReason;
use x509_cert::ext::{Extension, Extensions};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifierOwned, ObjectIdentifier};
use x509_cert::time::Time;
use x509_ocsp::{
    BasicOcspResponse, CertId, CertStatus, OcspGeneralizedTime, OcspRequest, OcspResponse,
    ResponderId, ResponseData, RevokedInfo, SingleResponse,
};

use super::PkiError;

const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const AUTHORITY_KEY_IDENTIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
const CRL_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.20");
const CRL_REASON: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.21");
const OCSP_NONCE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.2");

/// A revoked certificate as a CRL or OCSP response reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revoked {
    pub serial_hex: String,
    pub at: DateTime<Utc>,
    /// RFC 5280 CRLReason code.
    pub reason: u8,
}

/// What the responder knows of one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Good,
    Revoked(Revoked),
    Unknown,
}

use super::der::der_error;

fn time(t: DateTime<Utc>) -> Result<Time, PkiError> {
    super::der::rfc5280_time(t)
}

fn generalized(t: DateTime<Utc>) -> Result<OcspGeneralizedTime, PkiError> {
    let since = Duration::from_secs(t.timestamp().max(0) as u64);
    Ok(OcspGeneralizedTime(
        GeneralizedTime::from_unix_duration(since).map_err(der_error)?,
    ))
}

fn sha256_with_rsa() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: SHA256_WITH_RSA,
        parameters: Some(Any::from(Null)),
    }
}

fn serial(hex: &str) -> Result<SerialNumber, PkiError> {
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|_| PkiError::Unreadable(format!("serial '{hex}' is not hex")))?;
    SerialNumber::new(&bytes).map_err(der_error)
}

fn serial_hex(serial: &SerialNumber) -> String {
    let bytes = serial.as_bytes();
    // DER keeps a leading zero to mark a positive number; our serials are written without it.
    let bytes = if bytes.len() > 1 && bytes[0] == 0 {
        &bytes[1..]
    } else {
        bytes
    };
    super::encoding::hex(bytes)
}

fn reason(code: u8) -> CrlReason {
    match code {
        1 => CrlReason::KeyCompromise,
        4 => CrlReason::Superseded,
        5 => CrlReason::CessationOfOperation,
        9 => CrlReason::PrivilegeWithdrawn,
        _ => CrlReason::Unspecified,
    }
}

fn extension(oid: ObjectIdentifier, value: &impl Encode) -> Result<Extension, PkiError> {
    Ok(Extension {
        extn_id: oid,
        critical: false,
        extn_value: OctetString::new(value.to_der().map_err(der_error)?).map_err(der_error)?,
    })
}

fn sign(key: &PKey<Private>, tbs: &[u8]) -> Result<BitString, PkiError> {
    let mut signer = Signer::new(MessageDigest::sha256(), key)?;
    signer.update(tbs)?;
    BitString::from_bytes(&signer.sign_to_vec()?).map_err(der_error)
}

/// The issuing CA's subjectKeyIdentifier, which its CRLs name as their authority.
fn key_identifier(ca: &X509) -> Result<OctetString, PkiError> {
    let id = ca
        .subject_key_id()
        .map(|id| id.as_slice().to_vec())
        .ok_or_else(|| {
            PkiError::Unreadable("the CA certificate has no subjectKeyIdentifier".into())
        })?;
    OctetString::new(id).map_err(der_error)
}

/// The revoked-certificate entries of a CA's CRL, each encoded once when
/// added: signing a new CRL then costs a copy and the signature, however
/// many entries it lists, not an encoding (and its allocations) per entry.
#[derive(Debug, Clone, Default)]
pub struct RevokedEntries {
    der: Vec<u8>,
    count: usize,
}

impl RevokedEntries {
    pub fn push(&mut self, revoked: &Revoked) -> Result<(), PkiError> {
        let entry = RevokedCert {
            serial_number: serial(&revoked.serial_hex)?,
            revocation_date: time(revoked.at)?,
            crl_entry_extensions: Some(vec![extension(CRL_REASON, &reason(revoked.reason))?]),
        };
        self.der
            .extend_from_slice(&entry.to_der().map_err(der_error)?);
        self.count += 1;
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// A v2 CRL of `revoked`, signed by the CA, with the CRL number and the
/// authority key identifier RFC 5280 5.2 asks for, and no issuing
/// distribution point (so its scope is every certificate the CA issued).
pub fn crl(
    ca: &X509,
    key: &PKey<Private>,
    revoked: &RevokedEntries,
    number: u64,
    this_update: DateTime<Utc>,
    next_update: DateTime<Utc>,
) -> Result<Vec<u8>, PkiError> {
    let aki = AuthorityKeyIdentifier {
        key_identifier: Some(key_identifier(ca)?),
        authority_cert_issuer: None,
        authority_cert_serial_number: None,
    };
    let number = Uint::new(&number.to_be_bytes()).map_err(der_error)?;
    let extensions: Extensions = vec![
        extension(AUTHORITY_KEY_IDENTIFIER, &aki)?,
        extension(CRL_NUMBER, &number)?,
    ];
    let tbs = TbsCertList {
        version: x509_cert::Version::V2,
        signature: sha256_with_rsa(),
        issuer: Name::from_der(&ca.subject_name().to_der()?).map_err(der_error)?,
        this_update: time(this_update)?,
        next_update: Some(time(next_update)?),
        revoked_certificates: None,
        crl_extensions: Some(extensions),
    };
    let tbs_der = with_revoked(&tbs.to_der().map_err(der_error)?, revoked)?;
    let mut list = tbs_der.clone();
    list.extend(sha256_with_rsa().to_der().map_err(der_error)?);
    list.extend(sign(key, &tbs_der)?.to_der().map_err(der_error)?);
    Ok(super::der::tlv(super::der::SEQUENCE, &list))
}

/// A TBSCertList encoded without revokedCertificates, with them put in
/// their place: before crlExtensions, its last element (RFC 5280 5.1).
fn with_revoked(tbs: &[u8], revoked: &RevokedEntries) -> Result<Vec<u8>, PkiError> {
    use x509_cert::der::{AnyRef, Reader, SliceReader, Tagged};
    if revoked.is_empty() {
        return Ok(tbs.to_vec());
    }
    let content = AnyRef::from_der(tbs).map_err(der_error)?.value();
    let mut reader = SliceReader::new(content).map_err(der_error)?;
    let mut extensions_at = content.len();
    while !reader.is_finished() {
        let at = usize::try_from(reader.position()).map_err(der_error)?;
        let element: AnyRef<'_> = reader.decode().map_err(der_error)?;
        if element.tag().octet() == super::der::CONTEXT_0 {
            extensions_at = at;
        }
    }
    let mut fields = content[..extensions_at].to_vec();
    fields.extend(super::der::tlv(super::der::SEQUENCE, &revoked.der));
    fields.extend_from_slice(&content[extensions_at..]);
    Ok(super::der::tlv(super::der::SEQUENCE, &fields))
}

/// One certificate an OCSP request asks about.
pub struct OcspQuestion {
    cert_id: CertId,
    pub serial_hex: String,
}

/// A parsed OCSP request: its questions and the nonce extension to echo.
pub struct OcspQuery {
    pub questions: Vec<OcspQuestion>,
    nonce: Option<Extension>,
}

pub fn parse_ocsp_request(der: &[u8]) -> Option<OcspQuery> {
    let request = OcspRequest::from_der(der).ok()?;
    let nonce = request
        .tbs_request
        .request_extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == OCSP_NONCE)
        .cloned();
    let questions = request
        .tbs_request
        .request_list
        .into_iter()
        .map(|r| OcspQuestion {
            serial_hex: serial_hex(&r.req_cert.serial_number),
            cert_id: r.req_cert,
        })
        .collect();
    Some(OcspQuery { questions, nonce })
}

/// Whether `ca` is the issuer a CertID names: its name and key hashes match
/// under the CertID's hash algorithm (SHA-1 or SHA-256).
pub fn is_issuer_of(ca: &X509, question: &OcspQuestion) -> bool {
    let digest = match question.cert_id.hash_algorithm.oid {
        SHA1 => MessageDigest::sha1(),
        SHA256 => MessageDigest::sha256(),
        _ => return false,
    };
    let (Ok(name), Some(key)) = (ca.subject_name().to_der(), public_key_bits(ca)) else {
        return false;
    };
    let hash = |bytes: &[u8]| {
        openssl::hash::hash(digest, bytes)
            .map(|d| d.to_vec())
            .unwrap_or_default()
    };
    hash(&name) == question.cert_id.issuer_name_hash.as_bytes()
        && hash(&key) == question.cert_id.issuer_key_hash.as_bytes()
}

/// The subjectPublicKey BIT STRING contents, which OCSP key hashes cover.
fn public_key_bits(ca: &X509) -> Option<Vec<u8>> {
    let der = ca.to_der().ok()?;
    let cert = x509_cert::Certificate::from_der(&der).ok()?;
    Some(
        cert.tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes()
            .to_vec(),
    )
}

/// A successful OCSP response with one answer per question, signed by the
/// issuing CA itself (so no delegation certificate is needed) and echoing
/// the request's nonce.
pub fn ocsp_response(
    ca: &X509,
    key: &PKey<Private>,
    query: &OcspQuery,
    answers: &[Status],
    now: DateTime<Utc>,
    next_update: DateTime<Utc>,
) -> Result<Vec<u8>, PkiError> {
    let key_hash = openssl::hash::hash(
        MessageDigest::sha1(),
        &public_key_bits(ca)
            .ok_or_else(|| PkiError::Unreadable("the CA certificate does not parse".into()))?,
    )?;
    let responses = query
        .questions
        .iter()
        .zip(answers)
        .map(|(question, status)| {
            let cert_status = match status {
                Status::Good => CertStatus::good(),
                Status::Unknown => CertStatus::unknown(),
                Status::Revoked(r) => CertStatus::revoked(RevokedInfo {
                    revocation_time: generalized(r.at)?,
                    revocation_reason: Some(reason(r.reason)),
                }),
            };
            Ok(SingleResponse {
                cert_id: question.cert_id.clone(),
                cert_status,
                this_update: generalized(now)?,
                next_update: Some(generalized(next_update)?),
                single_extensions: None,
            })
        })
        .collect::<Result<Vec<_>, PkiError>>()?;
    let data = ResponseData {
        version: Default::default(),
        responder_id: ResponderId::ByKey(OctetString::new(key_hash.to_vec()).map_err(der_error)?),
        produced_at: generalized(now)?,
        responses,
        response_extensions: query.nonce.clone().map(|nonce| vec![nonce]),
    };
    let data_der = data.to_der().map_err(der_error)?;
    let basic = BasicOcspResponse {
        tbs_response_data: data,
        signature_algorithm: sha256_with_rsa(),
        signature: sign(key, &data_der)?,
        certs: None,
    };
    OcspResponse::successful(basic)
        .map_err(der_error)?
        .to_der()
        .map_err(der_error)
}

/// The OCSP answer for certificates of no CA here (RFC 6960 2.3).
pub fn ocsp_unauthorized() -> Vec<u8> {
    OcspResponse::unauthorized().to_der().unwrap_or_default()
}

/// The OCSP answer to a request that does not parse (RFC 6960 4.2.1).
pub fn ocsp_malformed() -> Vec<u8> {
    OcspResponse::malformed_request()
        .to_der()
        .unwrap_or_default()
}
