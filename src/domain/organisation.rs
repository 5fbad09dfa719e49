//! Organisations and their software statements: the owners of every
//! certificate and key. Field names and limits are the directory API's
//! (OrganisationRequest, SoftwareStatementRequest).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{DomainError, OrganisationId, SoftwareStatementId};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// The body of `POST /organisations`, before its rules are checked.
#[derive(Debug, Default, Deserialize)]
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

/// Collects every broken rule of a request, so one answer lists them all.
#[derive(Default)]
struct Rules(Vec<DomainError>);

impl Rules {
    /// An optional text field: when given, its length in characters must be in range.
    fn text(
        &mut self,
        field: &str,
        value: Option<String>,
        min: usize,
        max: usize,
    ) -> Option<String> {
        let value = value?;
        let len = value.chars().count();
        if len < min || len > max {
            self.0.push(DomainError::field(
                field,
                format!("must be {min} to {max} characters, got {len}"),
            ));
        }
        Some(value)
    }

    fn required(&mut self, field: &str, value: Option<String>, min: usize, max: usize) -> String {
        if value.is_none() {
            self.0.push(DomainError::field(
                field,
                format!("{field} must be provided"),
            ));
        }
        self.text(field, value, min, max).unwrap_or_default()
    }

    fn one_of(&mut self, field: &str, value: Option<String>, allowed: &[&str]) -> String {
        let value = value.unwrap_or_else(|| allowed[0].to_owned());
        if !allowed.contains(&value.as_str()) {
            self.0.push(DomainError::field(
                field,
                format!("must be one of {}, got '{value}'", allowed.join(", ")),
            ));
        }
        value
    }

    fn uri(&mut self, field: &str, value: Option<String>, schemes: &[&str]) -> Option<String> {
        let value = self.text(field, value, 1, 255)?;
        if !schemes.iter().any(|s| value.starts_with(s)) {
            self.0.push(DomainError::field(
                field,
                format!("must be a URI starting with {}", schemes.join(" or ")),
            ));
        }
        Some(value)
    }

    fn id<T>(&mut self, parsed: Result<T, DomainError>) -> Option<T> {
        parsed.map_err(|e| self.0.push(e)).ok()
    }

    fn finish<T>(self, value: Option<T>) -> Result<T, Vec<DomainError>> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ => Err(self.0),
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
        let created_on = now;
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
}

/// The body of `POST /organisations/{OrganisationId}/softwarestatements`.
#[derive(Debug, Default, Deserialize)]
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
            r.0.push(DomainError::field(
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
        let status = "Active".to_owned();
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
