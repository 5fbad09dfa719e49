//! Holding a whole seed to the rules its records will meet when created,
//! before anything is written, so a seed that breaks one writes nothing.

use super::{SeedError, SeedProblem, key_thumbprint, ours, without_foreign_roles};
use crate::domain::authority_claim::{AuthorityClaim, check_software_roles};
use crate::domain::certificate::CertificateOwner;
use crate::domain::seed::{Seed, SeedCertificate};
use crate::domain::{Organisation, SoftwareStatement};
use crate::service::ServiceError;
use crate::service::directory::Directory;
use crate::service::ra::Ra;

/// Holds every record of the seed to the rules its creation will, so a seed
/// that breaks one writes nothing; the answer lists every broken rule. What
/// only the store can say (an id taken elsewhere, a fourth root) is left to
/// the creation itself.
pub(super) fn check(directory: &Directory, ra: &Ra, seed: &Seed) -> Result<(), SeedError> {
    let now = directory.clock.now();
    let mut problems = Vec::new();
    let mut note = |place: &str, result: Result<(), ServiceError>| {
        if let Err(error) = result {
            problems.push(SeedProblem {
                place: place.to_owned(),
                error,
            });
        }
    };
    let mut seeded_clients = Vec::new();
    for (i, account) in seed.ra_clients.iter().enumerate() {
        let checked = account
            .clone()
            .into_client(crate::service::ra::accounts::derived_uuid)
            .map_err(ServiceError::from)
            .and_then(|client| {
                crate::service::ra::accounts::ensure_products_unique(ra, &client)?;
                Ok(client.reference)
            });
        match checked {
            Ok(reference) => seeded_clients.push(reference),
            Err(e) => note(&format!("ra_clients[{i}]"), Err(e)),
        }
    }
    for (i, account) in seed.ra_operators.iter().enumerate() {
        let checked = account
            .clone()
            .into_operator()
            .map_err(ServiceError::from)
            .and_then(|operator| {
                for client in &operator.clients {
                    if !seeded_clients.contains(client) && ra.records.client(client)?.is_none() {
                        return Err(crate::service::ra::accounts::unknown_client(client).into());
                    }
                }
                Ok(())
            });
        note(&format!("ra_operators[{i}]"), checked);
    }
    let roots = crate::service::ecosystem::public_roots(&directory.authority)?;
    for (i, anchor) in seed.trust_anchors.iter().enumerate() {
        // A notBefore that was ahead when the root was made is past now.
        if roots.iter().any(|r| anchor.is_subject(&r.data.subject)) {
            continue;
        }
        let checked = anchor
            .request()
            .check(now, "", &directory.authority.ca_naming.country);
        note(
            &format!("trust_anchors[{i}]"),
            checked.map(drop).map_err(Into::into),
        );
    }
    let certificates =
        |place: &str,
         owner: CertificateOwner<'_>,
         list: &[SeedCertificate],
         note: &mut dyn FnMut(&str, Result<(), ServiceError>)| {
            for (k, certificate) in list.iter().enumerate() {
                let pem = certificate.pem_text().unwrap_or_default();
                let read = key_thumbprint(pem, certificate.key_type, owner, now).map(drop);
                note(&format!("{place}.Certificates[{k}]"), read);
            }
        };
    for (i, entry) in seed.organisations.iter().enumerate() {
        let place = format!("organisations[{i}]");
        let organisation = entry
            .request()
            .map_err(ServiceError::from)
            .and_then(|r| Ok(Organisation::from_request(r, entry.id.as_str(), now)?));
        // Its certificates name the CNPJ the seed gives it.
        let registration_number = organisation
            .as_ref()
            .ok()
            .and_then(|o| o.registration_number.clone());
        note(&place, organisation.map(drop));
        let owner = |ss| CertificateOwner {
            org: &entry.id,
            registration_number: registration_number.as_deref(),
            ss,
        };
        certificates(&place, owner(None), &entry.certificates, &mut note);
        super::records::check(directory, entry, &place, &mut note);
        let catalogue = directory.catalogue();
        let mut held = directory.authority_claims.claims_of(&entry.id)?;
        for (c, request) in ours(catalogue, entry) {
            // Checked as the claim it will be; its id is made when it is recorded.
            let id = crate::domain::AuthorityClaimId::parse("seed").expect("a valid id");
            let claim =
                AuthorityClaim::from_request(request.clone(), catalogue, &entry.id, id, Vec::new());
            match claim {
                Ok(claim) => held.push(claim),
                Err(e) => note(&format!("{place}.AuthorityClaims[{c}]"), Err(e.into())),
            }
        }
        for (j, statement) in entry.software_statements.iter().enumerate() {
            let place = format!("{place}.SoftwareStatements[{j}]");
            let built = statement
                .request()
                .map(|r| without_foreign_roles(catalogue, r))
                .map_err(ServiceError::from)
                .and_then(|r| {
                    let roles = r.software_roles.clone().unwrap_or_default();
                    let statement =
                        SoftwareStatement::from_request(r, &entry.id, statement.id.as_str())?;
                    // Held once the seed's own claims are recorded.
                    check_software_roles(catalogue, &entry.id, &held, &roles)?;
                    Ok(statement)
                });
            note(&place, built.map(drop));
            let ss = Some(&statement.id);
            certificates(&place, owner(ss), &statement.certificates, &mut note);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(SeedError::Entries(problems))
    }
}
