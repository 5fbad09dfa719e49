//! The directory's participants and the certificates and keys they hold,
//! beside the CA that signs them and the trust store external certificates
//! chain to: what the upload, certificate, keystore, SSA and console use
//! cases work with.

use std::sync::Arc;

use super::certificate_authority::CertificateAuthority;
use super::organisations::Participants;
use super::truststore::TrustStore;
use crate::domain::reference::Catalogue;
use crate::domain::{Clock, PublicUrls};
use crate::store::{
    AuthorisationServers, AuthorityClaims, Certificates, Contacts, DomainUsers,
    StatementCertifications,
};

pub struct Directory {
    pub(crate) participants: Participants,
    pub(crate) certificates: Certificates,
    pub(crate) authorisation_servers: AuthorisationServers,
    pub(crate) authority_claims: AuthorityClaims,
    pub(crate) contacts: Contacts,
    pub(crate) domain_users: DomainUsers,
    pub(crate) statement_certifications: StatementCertifications,
    pub(crate) authority: Arc<CertificateAuthority>,
    pub(crate) trust_store: Arc<TrustStore>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) urls: PublicUrls,
    /// The `iss` of software statement assertions.
    pub(crate) ssa_issuer: String,
}

impl Directory {
    /// The organisation and software statement use cases' part.
    pub fn participants(&self) -> &Participants {
        &self.participants
    }

    pub fn urls(&self) -> &PublicUrls {
        &self.urls
    }

    /// The reference catalogue of the ecosystem this directory plays: the
    /// one every authority, domain and role name is checked against.
    pub fn catalogue(&self) -> &'static Catalogue {
        Catalogue::of(self.urls.flavour())
    }
}
