//! obdir's own TLS: a server certificate from its signing CA, and client
//! certificates it issued standing for their software statements.

use openssl::ssl::SslAcceptorBuilder;

use super::ServiceError;
use super::directory::Directory;
use super::error::Unavailable;
use crate::domain::Caller;
use crate::domain::authority::SerialHolder;
use crate::pki::tls;

/// Whether the TLS listener asks clients for a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientCertificates {
    Off,
    Optional,
    Required,
}

/// An acceptor for HTTPS: a fresh key (never stored), certified for `names`
/// by the CA that signs now; with client auth, client certificates must
/// chain to one of obdir's CAs.
pub fn acceptor(
    directory: &Directory,
    names: &[String],
    client_auth: ClientCertificates,
) -> Result<SslAcceptorBuilder, ServiceError> {
    let key = tls::server_key().map_err(ServiceError::Crypto)?;
    let now = directory.clock.now();
    let hierarchy = directory.authority.hierarchy();
    let issuing = hierarchy.current(now).ok_or(Unavailable::NoRootForTls)?;
    let issued = issuing
        .authority
        .certify_server_key(
            &key,
            &directory.authority.ca_naming,
            names,
            now,
            &directory.urls,
        )
        .map_err(ServiceError::Crypto)?;
    let trust: Vec<_> = match client_auth {
        ClientCertificates::Off => Vec::new(),
        ClientCertificates::Optional | ClientCertificates::Required => hierarchy
            .roots
            .iter()
            .map(|r| r.authority.certificate())
            .chain(hierarchy.issuing.iter().map(|i| i.authority.certificate()))
            .collect(),
    };
    tls::acceptor(
        &key,
        &issued.chain,
        &trust,
        client_auth == ClientCertificates::Required,
    )
    .map_err(ServiceError::Crypto)
}

/// The software statement a client certificate stands for: a transport
/// certificate (rtstransport, brcac) one of obdir's issuing CAs issued,
/// not revoked and not expired. None for anything else.
pub fn certificate_caller(directory: &Directory, der: &[u8]) -> Option<Caller> {
    let (issuer_id, serial) = {
        let hierarchy = directory.authority.hierarchy();
        hierarchy.issuing.iter().find_map(|i| {
            let serial = tls::serial_issued_by(der, i.authority.certificate())?;
            Some((i.record.id.clone(), serial))
        })?
    };
    let issued = directory
        .authority
        .serials
        .get(&issuer_id, &serial)
        .ok()??;
    // RA certificates stand for no software statement.
    let SerialHolder::Record {
        organisation_id,
        software_statement_id: Some(ss),
        kid,
    } = issued.holder
    else {
        return None;
    };
    let record = directory
        .certificates
        .get(&organisation_id, Some(&ss), &kid)
        .ok()??;
    let transport = record.key_type.rule().transport_client;
    (transport && record.is_active_at(directory.clock.now())).then_some(Caller::Software {
        organisation_id,
        software_statement_id: ss,
    })
}
