//! Public keys as JWK members, RFC 7638 thumbprints, and the certificate
//! digests JOSE carries (x5t, x5t#S256).

use openssl::bn::BigNumContext;
use openssl::nid::Nid;
use openssl::pkey::{Id, PKey};

use super::PkiError;
use super::encoding::{base64url, sha1, sha256};
use crate::domain::PublicJwk;
use crate::domain::certificate::Curve;

pub fn public_jwk<T: openssl::pkey::HasPublic>(key: &PKey<T>) -> Result<PublicJwk, PkiError> {
    match key.id() {
        Id::RSA => {
            let rsa = key.rsa()?;
            Ok(PublicJwk::Rsa {
                n: base64url(&rsa.n().to_vec()),
                e: base64url(&rsa.e().to_vec()),
            })
        }
        Id::EC => {
            let ec = key.ec_key()?;
            let group = ec.group();
            let crv = group
                .curve_name()
                .and_then(curve_of)
                .ok_or_else(|| PkiError::KeyPolicy("EC key on an unsupported curve".into()))?;
            let mut ctx = BigNumContext::new()?;
            let mut x = openssl::bn::BigNum::new()?;
            let mut y = openssl::bn::BigNum::new()?;
            ec.public_key()
                .affine_coordinates(group, &mut x, &mut y, &mut ctx)?;
            // RFC 7518 6.2.1.2: coordinates are the full field size, zero-padded.
            let size = match crv {
                Curve::P256 => 32,
                Curve::P384 => 48,
                Curve::P521 => 66,
            };
            Ok(PublicJwk::Ec {
                crv,
                x: base64url(&x.to_vec_padded(size)?),
                y: base64url(&y.to_vec_padded(size)?),
            })
        }
        _ => Err(PkiError::KeyPolicy(
            "only RSA and EC keys can be published as JWKs".into(),
        )),
    }
}

/// The RFC 7638 thumbprint input: required members only, sorted, no white space.
pub fn thumbprint_input(jwk: &PublicJwk) -> String {
    match jwk {
        PublicJwk::Rsa { n, e } => format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#),
        PublicJwk::Ec { crv, x, y } => {
            let crv = serde_json::to_string(crv).unwrap_or_default();
            format!(r#"{{"crv":{crv},"kty":"EC","x":"{x}","y":"{y}"}}"#)
        }
    }
}

/// RFC 7638 SHA-256 JWK thumbprint, base64url without padding.
pub fn thumbprint_sha256(jwk: &PublicJwk) -> String {
    base64url(&sha256(thumbprint_input(jwk).as_bytes()))
}

/// The RFC 7638 thumbprint input hashed with SHA-1: the UK directory's kid.
pub fn thumbprint_sha1(jwk: &PublicJwk) -> String {
    base64url(&sha1(thumbprint_input(jwk).as_bytes()))
}

/// x5t: base64url SHA-1 of the certificate DER.
pub fn x5t(der: &[u8]) -> String {
    base64url(&sha1(der))
}

/// x5t#S256: base64url SHA-256 of the certificate DER. The directory also uses
/// it as the kid of a certificate.
pub fn x5t_s256(der: &[u8]) -> String {
    base64url(&sha256(der))
}

/// The JWK `crv` of an EC group, if it is one the directory accepts.
pub fn curve_of(nid: Nid) -> Option<Curve> {
    match nid {
        Nid::X9_62_PRIME256V1 => Some(Curve::P256),
        Nid::SECP384R1 => Some(Curve::P384),
        Nid::SECP521R1 => Some(Curve::P521),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprint_matches_rfc_7638_section_3_1() {
        let jwk = PublicJwk::Rsa {
            n: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw".into(),
            e: "AQAB".into(),
        };
        assert_eq!(
            thumbprint_sha256(&jwk),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn sha1_thumbprint_is_27_characters() {
        let jwk = PublicJwk::Rsa {
            n: "AQAB".into(),
            e: "AQAB".into(),
        };
        assert_eq!(thumbprint_sha1(&jwk).len(), 27);
    }

    #[test]
    fn ec_thumbprint_input_has_members_in_order() {
        let jwk = PublicJwk::Ec {
            crv: Curve::P256,
            x: "X".into(),
            y: "Y".into(),
        };
        assert_eq!(
            thumbprint_input(&jwk),
            r#"{"crv":"P-256","kty":"EC","x":"X","y":"Y"}"#
        );
    }

    #[test]
    fn ec_coordinates_are_padded_to_the_field_size() {
        let group = openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::SECP521R1).unwrap();
        for _ in 0..8 {
            let key = openssl::ec::EcKey::generate(&group).unwrap();
            let public = openssl::ec::EcKey::from_public_key(&group, key.public_key()).unwrap();
            let jwk = public_jwk(&PKey::from_ec_key(public).unwrap()).unwrap();
            let PublicJwk::Ec { x, y, .. } = jwk else {
                panic!("not EC")
            };
            assert_eq!((x.len(), y.len()), (88, 88)); // 66 bytes in base64url
        }
    }
}
