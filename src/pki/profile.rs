//! Certificate profiles: which key usages each issued certificate carries.

use openssl::x509::X509Extension;
use openssl::x509::extension::{ExtendedKeyUsage, KeyUsage};

use crate::domain::CertOrKeyType;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// TLS client and server: OBIE transport, RTS WAC, resource-server transport.
    Transport,
    /// JWS signatures, non-repudiable: OBIE signing, RTS seal, and the Open
    /// Finance Brasil signature certificate (BRSEAL, standard section 5.3).
    Signing,
    /// Open Finance Brasil client certificate (BRCAC), standard section 5.2.1.
    BrazilClient,
}

impl Profile {
    /// The profile a CSR of this type is issued under; None for types that are not signed.
    pub fn for_type(key_type: CertOrKeyType) -> Option<Profile> {
        match key_type {
            CertOrKeyType::Rtstransport | CertOrKeyType::Rtswac | CertOrKeyType::RtstransportRs => {
                Some(Self::Transport)
            }
            CertOrKeyType::Rtssigning | CertOrKeyType::Rtsseal | CertOrKeyType::Brseal => {
                Some(Self::Signing)
            }
            CertOrKeyType::Brcac | CertOrKeyType::Brcac2022 => Some(Self::BrazilClient),
            _ => None,
        }
    }

    pub(super) fn key_usage(self) -> Result<X509Extension, openssl::error::ErrorStack> {
        let mut ku = KeyUsage::new();
        ku.critical().digital_signature();
        match self {
            Self::Transport => {}
            Self::Signing => {
                ku.non_repudiation();
            }
            Self::BrazilClient => {
                ku.key_encipherment();
            }
        }
        ku.build()
    }

    pub(super) fn extended_key_usage(
        self,
    ) -> Option<Result<X509Extension, openssl::error::ErrorStack>> {
        match self {
            Self::Transport => Some(ExtendedKeyUsage::new().server_auth().client_auth().build()),
            Self::BrazilClient => Some(ExtendedKeyUsage::new().client_auth().build()),
            Self::Signing => None,
        }
    }
}
