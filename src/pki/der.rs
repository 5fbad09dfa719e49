//! The few DER structures the openssl crate has no builder for: the CRL
//! distribution point and authority information access extensions (RFC 5280
//! 4.2.1.13 and 4.2.2.1), each holding one URI, RFC 5280's choice of time
//! encoding, and the writer `pkcs7` and `leaf` share.

use chrono::{DateTime, Datelike, Utc};
use x509_cert::der::asn1::{GeneralizedTime, UtcTime};
use x509_cert::time::Time;

use super::PkiError;

pub(super) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

// Tags (X.690 8.1.2), for every DER obdir writes or reads by hand.
pub(super) const INTEGER: u8 = 0x02;
pub(super) const BIT_STRING: u8 = 0x03;
pub(super) const OCTET_STRING: u8 = 0x04;
pub(super) const NULL: u8 = 0x05;
pub(super) const OID: u8 = 0x06;
pub(super) const BMP_STRING: u8 = 0x1e;
pub(super) const SEQUENCE: u8 = 0x30;
pub(super) const SET: u8 = 0x31;
/// `[0]`, constructed: an explicit or constructed implicit first tag.
pub(super) const CONTEXT_0: u8 = 0xa0;
/// `[3]`, constructed: a TBSCertificate's extensions.
pub(super) const CONTEXT_3: u8 = 0xa3;
/// GeneralName uniformResourceIdentifier [6] IA5String, implicit.
const URI: u8 = 0x86;
/// id-ad-ocsp, 1.3.6.1.5.5.7.48.1.
const ID_AD_OCSP: [u8; 8] = [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01];

/// A time as RFC 5280 4.1.2.5 and 5.1.2.4 want it in certificates and CRLs:
/// UTCTime through 2049, GeneralizedTime from 2050.
pub(super) fn rfc5280_time(t: DateTime<Utc>) -> Result<Time, PkiError> {
    let since = std::time::Duration::from_secs(t.timestamp().max(0) as u64);
    let time = if t.year() <= i32::from(UtcTime::MAX_YEAR) {
        UtcTime::from_unix_duration(since).map(Time::UtcTime)
    } else {
        GeneralizedTime::from_unix_duration(since).map(Time::GeneralTime)
    };
    time.map_err(der_error)
}

/// An encoding failure of the RustCrypto DER types, as a PkiError.
pub(super) fn der_error(e: x509_cert::der::Error) -> PkiError {
    PkiError::Unreadable(format!("DER encoding failed: {e}"))
}

/// The content octets of an OBJECT IDENTIFIER given dotted (X.690 8.19).
pub(super) fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').filter_map(|a| a.parse().ok()).collect();
    let mut out = Vec::new();
    let first = arcs.first().copied().unwrap_or(0) * 40 + arcs.get(1).copied().unwrap_or(0);
    for arc in std::iter::once(first).chain(arcs.iter().skip(2).copied()) {
        let mut groups = vec![(arc & 0x7f) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            groups.push((rest & 0x7f) as u8 | 0x80);
            rest >>= 7;
        }
        out.extend(groups.into_iter().rev());
    }
    out
}

/// CRLDistributionPoints with one DistributionPoint whose fullName is `uri`.
pub fn crl_distribution_points(uri: &str) -> Vec<u8> {
    let general_names = tlv(URI, uri.as_bytes());
    let full_name = tlv(0xa0, &general_names); // fullName [0] GeneralNames
    let point_name = tlv(0xa0, &full_name); // distributionPoint [0]
    tlv(SEQUENCE, &tlv(SEQUENCE, &point_name))
}

/// AuthorityInfoAccessSyntax with one OCSP AccessDescription.
pub fn authority_info_access_ocsp(uri: &str) -> Vec<u8> {
    let mut description = tlv(OID, &ID_AD_OCSP);
    description.extend(tlv(URI, uri.as_bytes()));
    tlv(SEQUENCE, &tlv(SEQUENCE, &description))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_encode_as_x690_says() {
        assert_eq!(oid("2.5.29.17"), [0x55, 0x1d, 0x11]);
        assert_eq!(
            oid("1.2.840.113549.1.1.11"),
            [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]
        );
        assert_eq!(oid("1.3.6.1.5.5.7.3.2"), [0x2b, 6, 1, 5, 5, 7, 3, 2]);
    }

    #[test]
    fn times_before_2050_are_utc_time_and_after_generalized() {
        let at = |y| {
            DateTime::parse_from_rfc3339(&format!("{y}-06-01T00:00:00Z"))
                .unwrap()
                .to_utc()
        };
        assert!(matches!(rfc5280_time(at(2049)).unwrap(), Time::UtcTime(_)));
        assert!(matches!(
            rfc5280_time(at(2050)).unwrap(),
            Time::GeneralTime(_)
        ));
    }

    #[test]
    fn long_lengths_use_the_long_form() {
        assert_eq!(tlv(0x04, &[0; 3])[..2], [0x04, 3]);
        assert_eq!(tlv(0x04, &[0; 200])[..3], [0x04, 0x81, 200]);
        assert_eq!(tlv(0x04, &[0; 300])[..4], [0x04, 0x82, 0x01, 0x2c]);
    }

    #[test]
    fn crl_distribution_point_has_the_rfc_5280_shape() {
        let der = crl_distribution_points("http://a/b.crl");
        assert_eq!(der[..8], [0x30, 0x16, 0x30, 0x14, 0xa0, 0x12, 0xa0, 0x10]);
        assert_eq!(der[8..10], [0x86, 0x0e]);
    }
}
