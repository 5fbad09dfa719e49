//! An organisation's contacts (the spec's Contact): who to reach for
//! business, technical, billing, incident and security matters.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::rules::Rules;
use super::{ContactId, DomainError, OrganisationId};

/// The spec's EmailAddress pattern, word for word.
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^(([^<>()\[\]\\.,;:\s@"]+(\.[^<>()\[\]\\.,;:\s@"]+)*)|(".+"))@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\])|(([a-zA-Z\-0-9]+\.)+[a-zA-Z]{2,}))$"#,
    )
    .expect("static regex")
});

/// Whether `value` matches the spec's e-mail pattern.
pub fn is_email(value: &str) -> bool {
    EMAIL.is_match(value)
}

/// What a contact is for (the spec's ContactType enum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContactType {
    Business,
    Technical,
    Billing,
    Incident,
    Security,
}

impl ContactType {
    const ALL: [ContactType; 5] = [
        ContactType::Business,
        ContactType::Technical,
        ContactType::Billing,
        ContactType::Incident,
        ContactType::Security,
    ];

    /// The spec's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactType::Business => "Business",
            ContactType::Technical => "Technical",
            ContactType::Billing => "Billing",
            ContactType::Incident => "Incident",
            ContactType::Security => "Security",
        }
    }

    fn from_request(r: &mut Rules, value: Option<String>) -> ContactType {
        let value = r.present("ContactType", value, "ContactType must be provided");
        let Some(value) = value else {
            return ContactType::Business;
        };
        match Self::ALL.into_iter().find(|kind| kind.as_str() == value) {
            Some(kind) => kind,
            None => {
                let names: Vec<&str> = Self::ALL.map(ContactType::as_str).to_vec();
                r.broken(DomainError::field(
                    "ContactType",
                    format!("must be one of {}, got '{value}'", names.join(", ")),
                ));
                ContactType::Business
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Contact {
    pub contact_id: ContactId,
    pub organisation_id: OrganisationId,
    pub contact_type: ContactType,
    pub email_address: String,
    pub phone_number: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub department: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
    pub additional_information: Option<String>,
    pub pgp_public_key: Option<String>,
}

/// The body of a POST or PUT of a contact (the spec's ContactRequest).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ContactRequest {
    pub contact_type: Option<String>,
    pub email_address: Option<String>,
    pub phone_number: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub department: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
    pub additional_information: Option<String>,
    pub pgp_public_key: Option<String>,
}

impl Contact {
    pub fn from_request(
        req: ContactRequest,
        org: &OrganisationId,
        id: ContactId,
    ) -> Result<Contact, Vec<DomainError>> {
        let mut r = Rules::default();
        let contact_type = ContactType::from_request(&mut r, req.contact_type);
        let email = r.present(
            "EmailAddress",
            req.email_address,
            "EmailAddress must be provided",
        );
        let email_address = r.text("EmailAddress", email, 1, 255).unwrap_or_default();
        if !email_address.is_empty() && !is_email(&email_address) {
            r.broken(DomainError::field(
                "EmailAddress",
                "EmailAddress must be a valid email",
            ));
        }
        let phone_number = r.text("PhoneNumber", req.phone_number, 0, 18);
        let first_name = r.text("FirstName", req.first_name, 0, 255);
        let last_name = r.text("LastName", req.last_name, 0, 255);
        let department = r.text("Department", req.department, 0, 255);
        let address_line1 = r.text("AddressLine1", req.address_line1, 0, 255);
        let address_line2 = r.text("AddressLine2", req.address_line2, 0, 255);
        let city = r.text("City", req.city, 0, 255);
        let postcode = r.text("Postcode", req.postcode, 0, 40);
        let country = r.text("Country", req.country, 0, 255);
        let additional_information = r.text(
            "AdditionalInformation",
            req.additional_information,
            0,
            65535,
        );
        let pgp_public_key = r.text("PgpPublicKey", req.pgp_public_key, 0, 65535);
        r.finish(Some(Contact {
            contact_id: id,
            organisation_id: org.clone(),
            contact_type,
            email_address,
            phone_number,
            first_name,
            last_name,
            department,
            address_line1,
            address_line2,
            city,
            postcode,
            country,
            additional_information,
            pgp_public_key,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(email: &str, kind: Option<&str>) -> Result<Contact, Vec<DomainError>> {
        Contact::from_request(
            ContactRequest {
                contact_type: kind.map(str::to_owned),
                email_address: Some(email.to_owned()),
                ..Default::default()
            },
            &OrganisationId::parse("org-1").unwrap(),
            ContactId::parse("c-1").unwrap(),
        )
    }

    #[test]
    fn an_email_matches_the_specs_pattern() {
        for good in [
            "ops@bank.example",
            "a.b@x.co",
            "\"odd one\"@bank.example",
            "x@[10.0.0.1]",
        ] {
            assert!(contact(good, Some("Security")).is_ok(), "{good}");
        }
        for bad in ["ops", "ops@bank", "a..b@x.co", "a b@x.co", "ops@bank.c"] {
            let errors = contact(bad, Some("Security")).unwrap_err();
            assert_eq!(
                errors[0].to_string(),
                "EmailAddress: EmailAddress must be a valid email",
                "{bad}"
            );
        }
    }

    #[test]
    fn a_contact_type_is_required_and_one_of_five() {
        let missing = contact("ops@bank.example", None).unwrap_err();
        assert_eq!(
            missing[0].to_string(),
            "ContactType: ContactType must be provided"
        );
        let other = contact("ops@bank.example", Some("Legal")).unwrap_err();
        assert!(other[0].to_string().contains("got 'Legal'"));
    }
}
