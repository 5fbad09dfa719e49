//! Organisations and their software statements: the owners of every
//! certificate and key. Field names and limits are the directory API's
//! (OrganisationRequest, SoftwareStatementRequest).

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

use super::authorisation_server::WebhookStatus;
use super::reference::{Catalogue, TermsAndConditions};
use super::rules::Rules;
use super::{DomainError, OrganisationId, SoftwareStatementId};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct Organisation {
    pub organisation_id: OrganisationId,
    pub status: String,
    pub organisation_name: String,
    pub created_on: DateTime<Utc>,
    pub legal_entity_name: Option<String>,
    pub country_of_registration: Option<String>,
    pub company_register: Option<String>,
    pub tags: Vec<String>,
    pub size: Option<String>,
    pub registration_number: Option<String>,
    pub registration_id: Option<String>,
    pub registered_name: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
    pub parent_organisation_reference: Option<String>,
    pub requires_participant_terms_and_conditions_signing: bool,
}

/// `GET /organisations/{OrganisationId}` as the spec answers it
/// (OrganisationWithTnc): the organisation, and where it stands with the
/// directory's terms and conditions.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct OrganisationWithTnc {
    #[serde(rename = "OrgDetails")]
    pub org_details: Organisation,
    #[serde(rename = "TncDetails")]
    pub tnc_details: TncDetails,
}

/// The spec's TncDetails.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TncDetails {
    /// Nothing is left for the organisation to sign.
    #[serde(rename = "TnCSigned")]
    pub signed: bool,
    /// A version it signed has been replaced since.
    #[serde(rename = "TnCUpdated")]
    pub updated: bool,
    /// The versions it has still to sign (the spec's TermsAndConditionsItem).
    #[serde(rename = "TnCsToBeSigned")]
    pub to_be_signed: Vec<serde_json::Value>,
}

/// One entry of an organisation's `tnchistory` (the spec's
/// OrgTermsAndConditionsDetail): terms it accepted, and when.
#[derive(Debug, Serialize)]
pub struct AcceptedTerms {
    #[serde(rename = "InitiatedBy")]
    pub initiated_by: Option<String>,
    #[serde(rename = "Role")]
    pub role: Option<String>,
    #[serde(rename = "TermsAndConditionsDetail")]
    pub detail: AcceptedTermsDetail,
}

/// The spec's TermsAndConditionsDetail.
#[derive(Debug, Serialize)]
pub struct AcceptedTermsDetail {
    #[serde(rename = "ExternalSigningServiceEnvelopeStatus")]
    pub status: &'static str,
    /// Spelled as the spec spells it.
    #[serde(rename = "InititatedDate")]
    pub initiated_date: String,
    #[serde(rename = "TermsAndConditionsItem")]
    pub item: &'static TermsAndConditions,
}

impl AcceptedTerms {
    /// The terms an organisation accepted: the catalogue's participant
    /// terms, accepted when it was registered.
    pub fn of(org: &Organisation, catalogue: &Catalogue) -> Vec<AcceptedTerms> {
        catalogue
            .terms
            .iter()
            .filter(|t| t.kind == "Participant")
            .map(|item| AcceptedTerms {
                initiated_by: None,
                role: None,
                detail: AcceptedTermsDetail {
                    status: "completed",
                    initiated_date: org.created_on.to_rfc3339_opts(SecondsFormat::Secs, true),
                    item,
                },
            })
            .collect()
    }
}

impl OrganisationWithTnc {
    /// An organisation with the terms it has still to sign: none, as it
    /// accepts the participant terms when it is registered (`AcceptedTerms`).
    pub fn new(org_details: Organisation) -> Self {
        let to_be_signed = Vec::new();
        OrganisationWithTnc {
            org_details,
            tnc_details: TncDetails {
                signed: to_be_signed.is_empty(),
                updated: false,
                to_be_signed,
            },
        }
    }
}

/// The body of `POST /organisations`, before its rules are checked.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct OrganisationRequest {
    pub organisation_id: Option<String>,
    pub status: Option<String>,
    pub organisation_name: Option<String>,
    pub legal_entity_name: Option<String>,
    pub country_of_registration: Option<String>,
    pub company_register: Option<String>,
    pub tags: Option<Vec<String>>,
    pub size: Option<String>,
    pub registration_number: Option<String>,
    pub registration_id: Option<String>,
    pub registered_name: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
    pub parent_organisation_reference: Option<String>,
    pub requires_participant_terms_and_conditions_signing: Option<bool>,
}

impl OrganisationRequest {
    /// An update: the fields this request gives, the organisation's own elsewhere.
    pub fn over(self, base: &Organisation) -> OrganisationRequest {
        OrganisationRequest {
            organisation_id: Some(base.organisation_id.to_string()),
            status: self.status.or(Some(base.status.clone())),
            organisation_name: self
                .organisation_name
                .or(Some(base.organisation_name.clone())),
            legal_entity_name: self.legal_entity_name.or(base.legal_entity_name.clone()),
            country_of_registration: self
                .country_of_registration
                .or(base.country_of_registration.clone()),
            company_register: self.company_register.or(base.company_register.clone()),
            tags: self.tags.or(Some(base.tags.clone())),
            size: self.size.or(base.size.clone()),
            registration_number: self
                .registration_number
                .or(base.registration_number.clone()),
            registration_id: self.registration_id.or(base.registration_id.clone()),
            registered_name: self.registered_name.or(base.registered_name.clone()),
            address_line1: self.address_line1.or(base.address_line1.clone()),
            address_line2: self.address_line2.or(base.address_line2.clone()),
            city: self.city.or(base.city.clone()),
            postcode: self.postcode.or(base.postcode.clone()),
            country: self.country.or(base.country.clone()),
            parent_organisation_reference: self
                .parent_organisation_reference
                .or(base.parent_organisation_reference.clone()),
            requires_participant_terms_and_conditions_signing: self
                .requires_participant_terms_and_conditions_signing
                .or(Some(base.requires_participant_terms_and_conditions_signing)),
        }
    }
}

impl Organisation {
    /// Checks a request against the OrganisationRequest limits. The id must
    /// already be chosen (given by the caller, or made by the directory).
    pub fn from_request(
        req: OrganisationRequest,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Organisation, Vec<DomainError>> {
        let mut r = Rules::default();
        let organisation_id = r.id(OrganisationId::parse(id));
        let status = r.one_of("Status", req.status, &["Active", "Pending", "Withdrawn"]);
        let organisation_name = r.required("OrganisationName", req.organisation_name, 1, 255);
        // Whole seconds, like every other time the directory writes.
        let created_on = now.trunc_subsecs(0);
        let legal_entity_name = r.text("LegalEntityName", req.legal_entity_name, 1, 255);
        let country_of_registration =
            r.text("CountryOfRegistration", req.country_of_registration, 2, 255);
        let company_register = r.text("CompanyRegister", req.company_register, 1, 255);
        let tags = req.tags.unwrap_or_default();
        let size = r.text("Size", req.size, 0, 255);
        let registration_number = r.text("RegistrationNumber", req.registration_number, 1, 255);
        let registration_id = r.text("RegistrationId", req.registration_id, 0, 40);
        let registered_name = r.text("RegisteredName", req.registered_name, 0, 255);
        let address_line1 = r.text("AddressLine1", req.address_line1, 5, 255);
        let address_line2 = r.text("AddressLine2", req.address_line2, 0, 255);
        let city = r.text("City", req.city, 2, 255);
        let postcode = r.text("Postcode", req.postcode, 3, 40);
        let country = r.text("Country", req.country, 2, 255);
        let parent_organisation_reference = r.text(
            "ParentOrganisationReference",
            req.parent_organisation_reference,
            0,
            65535,
        );
        let requires_participant_terms_and_conditions_signing = req
            .requires_participant_terms_and_conditions_signing
            .unwrap_or(true);
        r.finish(organisation_id.map(|organisation_id| Organisation {
            organisation_id,
            status,
            organisation_name,
            created_on,
            legal_entity_name,
            country_of_registration,
            company_register,
            tags,
            size,
            registration_number,
            registration_id,
            registered_name,
            address_line1,
            address_line2,
            city,
            postcode,
            country,
            parent_organisation_reference,
            requires_participant_terms_and_conditions_signing,
        }))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SoftwareStatement {
    pub organisation_id: OrganisationId,
    pub software_statement_id: SoftwareStatementId,
    pub client_id: String,
    pub client_name: String,
    pub description: Option<String>,
    pub environment: Option<String>,
    pub mode: String,
    pub status: String,
    pub version: serde_json::Number,
    pub client_uri: Option<String>,
    pub logo_uri: Option<String>,
    pub policy_uri: Option<String>,
    pub terms_of_service_uri: Option<String>,
    pub redirect_uri: Vec<String>,
    pub on_behalf_of: Option<String>,
    pub additional_software_metadata: Option<String>,
    pub rts_client_created: bool,
    pub locked: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_webhook: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_webhook_status: Option<WebhookStatus>,
    /// The roles of the statement's authority claims in force, filled in
    /// when it is answered (`service::statement_roles`); in a request, a
    /// shorthand for those claims.
    #[serde(default)]
    pub software_roles: Vec<String>,
}

/// The body of `POST /organisations/{OrganisationId}/softwarestatements`.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SoftwareStatementRequest {
    pub software_statement_id: Option<String>,
    pub client_name: Option<String>,
    pub description: Option<String>,
    pub environment: Option<String>,
    pub mode: Option<String>,
    pub version: Option<serde_json::Number>,
    pub client_uri: Option<String>,
    pub logo_uri: Option<String>,
    pub policy_uri: Option<String>,
    pub terms_of_service_uri: Option<String>,
    pub redirect_uri: Option<Vec<String>>,
    pub on_behalf_of: Option<String>,
    pub additional_software_metadata: Option<String>,
    pub software_roles: Option<Vec<String>>,
    pub notification_webhook: Option<String>,
    pub notification_webhook_status: Option<String>,
    /// Only in updates, which `statement_update` holds to Active or Suspended.
    pub status: Option<String>,
}

impl SoftwareStatementRequest {
    /// An update: the fields this request gives, the statement's own elsewhere.
    pub fn over(self, base: &SoftwareStatement) -> SoftwareStatementRequest {
        SoftwareStatementRequest {
            software_statement_id: Some(base.software_statement_id.to_string()),
            client_name: self.client_name.or(Some(base.client_name.clone())),
            description: self.description.or(base.description.clone()),
            environment: self.environment.or(base.environment.clone()),
            mode: self.mode.or(Some(base.mode.clone())),
            version: self.version.or(Some(base.version.clone())),
            client_uri: self.client_uri.or(base.client_uri.clone()),
            logo_uri: self.logo_uri.or(base.logo_uri.clone()),
            policy_uri: self.policy_uri.or(base.policy_uri.clone()),
            terms_of_service_uri: self
                .terms_of_service_uri
                .or(base.terms_of_service_uri.clone()),
            redirect_uri: self.redirect_uri.or(Some(base.redirect_uri.clone())),
            on_behalf_of: self.on_behalf_of.or(base.on_behalf_of.clone()),
            additional_software_metadata: self
                .additional_software_metadata
                .or(base.additional_software_metadata.clone()),
            software_roles: self.software_roles.or(Some(base.software_roles.clone())),
            notification_webhook_status: match &self.notification_webhook {
                // A new webhook waits to be confirmed again.
                Some(hook) if base.notification_webhook.as_ref() != Some(hook) => self
                    .notification_webhook_status
                    .or(Some(WebhookStatus::Pending.as_str().to_owned())),
                _ => self.notification_webhook_status.or(base
                    .notification_webhook_status
                    .map(|s| s.as_str().to_owned())),
            },
            notification_webhook: self
                .notification_webhook
                .or(base.notification_webhook.clone()),
            status: self.status.or(Some(base.status.clone())),
        }
    }
}

impl SoftwareStatement {
    pub fn from_request(
        req: SoftwareStatementRequest,
        org: &OrganisationId,
        id: &str,
    ) -> Result<SoftwareStatement, Vec<DomainError>> {
        let mut r = Rules::default();
        let software_statement_id = r.id(SoftwareStatementId::parse(id));
        let version = req.version.unwrap_or_else(|| 1.into());
        if !version.as_f64().is_some_and(|v| (1.0..=40.0).contains(&v)) {
            r.broken(DomainError::field(
                "Version",
                format!("must be a number from 1 to 40, got {version}"),
            ));
        }
        let redirect_uri = req.redirect_uri.unwrap_or_default();
        for (i, uri) in redirect_uri.iter().enumerate() {
            r.uri(
                &format!("RedirectUri[{i}]"),
                Some(uri.clone()),
                &["https://"],
            );
        }
        let organisation_id = org.clone();
        let client_id = id.to_owned();
        let client_name = r.required("ClientName", req.client_name, 1, 255);
        let description = r.text("Description", req.description, 0, 255);
        let environment = r.text("Environment", req.environment, 0, 40);
        let mode = r.one_of("Mode", req.mode, &["Live", "Test"]);
        // A stored statement may be Inactive; a PUT sets Active or
        // Suspended only (`statement_update`).
        let status = r.one_of("Status", req.status, &["Active", "Suspended", "Inactive"]);
        let notification_webhook = r.uri(
            "NotificationWebhook",
            req.notification_webhook,
            &["http://", "https://"],
        );
        let notification_webhook_status = match req.notification_webhook_status {
            None if notification_webhook.is_some() => Some(WebhookStatus::Pending),
            None => None,
            Some(given) => {
                let names: Vec<&str> = WebhookStatus::ALL.map(WebhookStatus::as_str).to_vec();
                let known = r.one_of("NotificationWebhookStatus", Some(given), &names);
                WebhookStatus::ALL.into_iter().find(|s| s.as_str() == known)
            }
        };
        let software_roles = req.software_roles.unwrap_or_default();
        let client_uri = r.uri("ClientUri", req.client_uri, &["http://", "https://"]);
        let logo_uri = r.uri("LogoUri", req.logo_uri, &["http://", "https://"]);
        let policy_uri = r.uri("PolicyUri", req.policy_uri, &["http://", "https://"]);
        let terms_of_service_uri = r.uri(
            "TermsOfServiceUri",
            req.terms_of_service_uri,
            &["http://", "https://"],
        );
        let on_behalf_of = r.text("OnBehalfOf", req.on_behalf_of, 0, 255);
        let additional_software_metadata = r.text(
            "AdditionalSoftwareMetadata",
            req.additional_software_metadata,
            0,
            255,
        );
        let rts_client_created = false;
        let locked = false;
        r.finish(
            software_statement_id.map(|software_statement_id| SoftwareStatement {
                software_statement_id,
                organisation_id,
                client_id,
                client_name,
                description,
                environment,
                mode,
                status,
                version,
                client_uri,
                logo_uri,
                policy_uri,
                terms_of_service_uri,
                redirect_uri,
                on_behalf_of,
                additional_software_metadata,
                rts_client_created,
                locked,
                notification_webhook,
                notification_webhook_status,
                software_roles,
            }),
        )
    }

    pub fn is_active(&self) -> bool {
        self.status == "Active"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .into()
    }

    #[test]
    fn an_organisation_needs_only_a_name() {
        let req = OrganisationRequest {
            organisation_name: Some("Acme".into()),
            ..Default::default()
        };
        let org = Organisation::from_request(req, "org-1", now()).unwrap();
        assert_eq!(org.organisation_id.as_str(), "org-1");
        assert_eq!(org.status, "Active");
        assert!(org.requires_participant_terms_and_conditions_signing);
    }

    #[test]
    fn every_broken_rule_is_reported_at_once() {
        let req = OrganisationRequest {
            status: Some("Gone".into()),
            postcode: Some("1".into()),
            ..Default::default()
        };
        let errors = Organisation::from_request(req, &"x".repeat(41), now()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["OrganisationId", "Status", "OrganisationName", "Postcode"]
        );
    }

    #[test]
    fn a_statement_needs_a_client_name_and_https_redirects() {
        let org = OrganisationId::parse("org-1").unwrap();
        let req = SoftwareStatementRequest {
            redirect_uri: Some(vec!["http://tpp.example/cb".into()]),
            version: Some(41.into()),
            ..Default::default()
        };
        let errors = SoftwareStatement::from_request(req, &org, "ss-1").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["Version", "RedirectUri[0]", "ClientName"]);

        let ok = SoftwareStatementRequest {
            client_name: Some("TPP".into()),
            ..Default::default()
        };
        let ss = SoftwareStatement::from_request(ok, &org, "ss-1").unwrap();
        assert_eq!(ss.client_id, "ss-1");
        assert_eq!(ss.mode, "Live");
    }
}
