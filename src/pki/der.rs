//! The few DER structures the openssl crate has no builder for: the CRL
//! distribution point and authority information access extensions (RFC 5280
//! 4.2.1.13 and 4.2.2.1), each holding one URI, and the writer `pkcs7` shares.

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
pub(super) const OCTET_STRING: u8 = 0x04;
pub(super) const NULL: u8 = 0x05;
pub(super) const OID: u8 = 0x06;
pub(super) const BMP_STRING: u8 = 0x1e;
pub(super) const SEQUENCE: u8 = 0x30;
pub(super) const SET: u8 = 0x31;
/// `[0]`, constructed: an explicit or constructed implicit first tag.
pub(super) const CONTEXT_0: u8 = 0xa0;
/// GeneralName uniformResourceIdentifier [6] IA5String, implicit.
const URI: u8 = 0x86;
/// id-ad-ocsp, 1.3.6.1.5.5.7.48.1.
const ID_AD_OCSP: [u8; 8] = [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01];

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
