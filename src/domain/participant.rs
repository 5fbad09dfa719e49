//! One entry of the public participants document (the spec's
//! OrganisationExportOpenData): an organisation's own fields, its
//! authorisation servers with what hangs from them, and its claims. A field
//! that is unset is written as null, never left out, as consumers of the
//! real document expect every key.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::authorisation_server::PublishedServer;
use super::authority_claim::{AuthorityClaim, DomainClaim, OrganisationClaims};
use super::contact::Contact;
use super::{Organisation, OrganisationId};

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Participant<'a> {
    pub organisation_id: &'a OrganisationId,
    pub status: &'a str,
    pub organisation_name: &'a str,
    pub created_on: DateTime<Utc>,
    pub legal_entity_name: Option<&'a str>,
    pub country_of_registration: Option<&'a str>,
    pub company_register: Option<&'a str>,
    /// The spec's single label: the organisation's tags, comma-separated.
    pub tag: Option<String>,
    pub size: Option<&'a str>,
    pub registration_number: Option<&'a str>,
    pub registration_id: Option<&'a str>,
    pub registered_name: Option<&'a str>,
    pub address_line1: Option<&'a str>,
    pub address_line2: Option<&'a str>,
    pub city: Option<&'a str>,
    pub postcode: Option<&'a str>,
    pub country: Option<&'a str>,
    pub parent_organisation_reference: Option<&'a str>,
    pub authorisation_servers: &'a [PublishedServer],
    pub contacts: &'a [Contact],
    pub org_domain_claims: &'a [DomainClaim],
    pub org_domain_role_claims: &'a [AuthorityClaim],
}

impl<'a> Participant<'a> {
    pub fn new(
        org: &'a Organisation,
        servers: &'a [PublishedServer],
        claims: &'a OrganisationClaims,
        contacts: &'a [Contact],
    ) -> Self {
        Participant {
            organisation_id: &org.organisation_id,
            status: &org.status,
            organisation_name: &org.organisation_name,
            created_on: org.created_on,
            legal_entity_name: org.legal_entity_name.as_deref(),
            country_of_registration: org.country_of_registration.as_deref(),
            company_register: org.company_register.as_deref(),
            tag: (!org.tags.is_empty()).then(|| org.tags.join(", ")),
            size: org.size.as_deref(),
            registration_number: org.registration_number.as_deref(),
            registration_id: org.registration_id.as_deref(),
            registered_name: org.registered_name.as_deref(),
            address_line1: org.address_line1.as_deref(),
            address_line2: org.address_line2.as_deref(),
            city: org.city.as_deref(),
            postcode: org.postcode.as_deref(),
            country: org.country.as_deref(),
            parent_organisation_reference: org.parent_organisation_reference.as_deref(),
            authorisation_servers: servers,
            contacts,
            org_domain_claims: &claims.domain_claims,
            org_domain_role_claims: &claims.role_claims,
        }
    }
}
