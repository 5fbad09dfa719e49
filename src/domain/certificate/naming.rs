//! How a certificate's subject must name the software statement or the
//! organisation that holds it, per type family.

use crate::domain::{DomainError, Flavour, OrganisationId, SoftwareStatementId};

/// The subject attributes that tie a certificate to its software statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectNaming {
    /// OBIE: CN = SoftwareStatementId, OU = OrganisationId.
    Obie,
    /// Open Finance Brasil transport and signing certificates: the Brazil
    /// certificate standard's form (UID = SoftwareStatementId,
    /// organizationIdentifier = `OFBBR-<OrganisationId>`, CN = the FQDN), or
    /// the OBIE form.
    ObieOrBrazil,
    /// Open Finance Brasil: UID = SoftwareStatementId,
    /// organizationIdentifier = `OFBBR-<OrganisationId>`.
    Brazil,
    /// As `Brazil`, but certificates issued before the 2022 standard carried
    /// the organisation in OU instead, and that is still accepted.
    BrazilOrUnit,
    /// Organisation-level OBIE certificates: OU = OrganisationId.
    ObieOrganisation,
    /// Open Finance Brasil signature certificate (BRSEAL): UID = OrganisationId
    /// (the participant code), per the certificate standard.
    BrazilOrganisation,
    None,
}

/// The organizationIdentifier Open Finance Brasil certificates carry.
pub fn brazil_organisation_identifier(org: &OrganisationId) -> String {
    format!("OFBBR-{org}")
}

/// The subject attributes that can name a software statement and its organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectAttributes {
    pub common_name: Option<String>,
    pub organisational_unit: Option<String>,
    pub uid: Option<String>,
    pub organisation_identifier: Option<String>,
}

fn expect_attribute(
    name: &str,
    value: &Option<String>,
    expected: &str,
    what: &str,
) -> Result<(), DomainError> {
    match value {
        Some(v) if v == expected => Ok(()),
        Some(v) => Err(DomainError::field(
            name,
            format!("is '{v}' but the {what} is '{expected}'"),
        )),
        None => Err(DomainError::field(
            name,
            format!("is missing; expected the {what} '{expected}'"),
        )),
    }
}

impl SubjectNaming {
    /// The rule as the ecosystem `flavour` applies it: Open Finance Brasil
    /// also takes its own certificate standard's form where OBIE's is asked.
    pub fn in_flavour(self, flavour: Flavour) -> SubjectNaming {
        match (self, flavour) {
            (Self::Obie, Flavour::Raidiam) => Self::ObieOrBrazil,
            (naming, _) => naming,
        }
    }

    /// `ss` is None for organisation-level certificates.
    pub fn check(
        self,
        subject: &SubjectAttributes,
        org: &OrganisationId,
        ss: Option<&SoftwareStatementId>,
    ) -> Result<(), DomainError> {
        let org_identifier = brazil_organisation_identifier(org);
        let statement_id = ss;
        let ss = ss.map(SoftwareStatementId::as_str).unwrap_or_default();
        let statement = "software statement";
        let brazil_org = || {
            expect_attribute(
                "organizationIdentifier (2.5.4.97)",
                &subject.organisation_identifier,
                &org_identifier,
                "organisation's participant code",
            )
        };
        match self {
            Self::None => Ok(()),
            Self::Obie => {
                expect_attribute("CN", &subject.common_name, ss, statement)?;
                expect_attribute(
                    "OU",
                    &subject.organisational_unit,
                    org.as_str(),
                    "organisation",
                )
            }
            // A subject with a UID is held to the Brazil form, else to OBIE's.
            Self::ObieOrBrazil if subject.uid.is_some() => {
                Self::Brazil.check(subject, org, statement_id)
            }
            Self::ObieOrBrazil => Self::Obie.check(subject, org, statement_id),
            Self::Brazil => {
                expect_attribute(
                    "UID (0.9.2342.19200300.100.1.1)",
                    &subject.uid,
                    ss,
                    statement,
                )?;
                brazil_org()
            }
            Self::ObieOrganisation => expect_attribute(
                "OU",
                &subject.organisational_unit,
                org.as_str(),
                "organisation",
            ),
            Self::BrazilOrganisation => expect_attribute(
                "UID (0.9.2342.19200300.100.1.1)",
                &subject.uid,
                org.as_str(),
                "organisation's participant code",
            ),
            Self::BrazilOrUnit => {
                expect_attribute(
                    "UID (0.9.2342.19200300.100.1.1)",
                    &subject.uid,
                    ss,
                    statement,
                )?;
                if subject.organisation_identifier.is_none()
                    && subject.organisational_unit.as_deref() == Some(org.as_str())
                {
                    return Ok(());
                }
                brazil_org()
            }
        }
    }
}

#[cfg(test)]
mod naming_tests {
    use super::*;

    fn ids() -> (OrganisationId, SoftwareStatementId) {
        (
            OrganisationId::parse("org-1").unwrap(),
            SoftwareStatementId::parse("ss-1").unwrap(),
        )
    }

    #[test]
    fn brazil_takes_its_standards_form_for_transport_and_signing_and_the_uk_does_not() {
        let (org, ss) = ids();
        let standard = SubjectAttributes {
            common_name: Some("tpp.example".into()),
            uid: Some("ss-1".into()),
            organisation_identifier: Some("OFBBR-org-1".into()),
            ..Default::default()
        };
        let obie = SubjectAttributes {
            common_name: Some("ss-1".into()),
            organisational_unit: Some("org-1".into()),
            ..Default::default()
        };
        let brazil = SubjectNaming::Obie.in_flavour(Flavour::Raidiam);
        assert!(brazil.check(&standard, &org, Some(&ss)).is_ok());
        assert!(brazil.check(&obie, &org, Some(&ss)).is_ok());
        let other_statement = SubjectAttributes {
            uid: Some("ss-2".into()),
            ..standard.clone()
        };
        let err = brazil.check(&other_statement, &org, Some(&ss)).unwrap_err();
        assert!(err.to_string().starts_with("UID"), "{err}");
        let uk = SubjectNaming::Obie.in_flavour(Flavour::Obie);
        assert!(uk.check(&standard, &org, Some(&ss)).is_err());
        assert!(uk.check(&obie, &org, Some(&ss)).is_ok());
    }

    #[test]
    fn obie_naming_wants_cn_and_ou() {
        let (org, ss) = ids();
        let good = SubjectAttributes {
            common_name: Some("ss-1".into()),
            organisational_unit: Some("org-1".into()),
            ..Default::default()
        };
        assert!(SubjectNaming::Obie.check(&good, &org, Some(&ss)).is_ok());
        let wrong_cn = SubjectAttributes {
            common_name: Some("abc".into()),
            ..good.clone()
        };
        let err = SubjectNaming::Obie
            .check(&wrong_cn, &org, Some(&ss))
            .unwrap_err()
            .to_string();
        assert_eq!(err, "CN: is 'abc' but the software statement is 'ss-1'");
    }

    #[test]
    fn brcac_accepts_ou_where_brcac_2022_wants_the_organisation_identifier() {
        let (org, ss) = ids();
        let legacy = SubjectAttributes {
            uid: Some("ss-1".into()),
            organisational_unit: Some("org-1".into()),
            ..Default::default()
        };
        assert!(
            SubjectNaming::BrazilOrUnit
                .check(&legacy, &org, Some(&ss))
                .is_ok()
        );
        assert!(
            SubjectNaming::Brazil
                .check(&legacy, &org, Some(&ss))
                .is_err()
        );
        let modern = SubjectAttributes {
            uid: Some("ss-1".into()),
            organisation_identifier: Some("OFBBR-org-1".into()),
            ..Default::default()
        };
        assert!(
            SubjectNaming::Brazil
                .check(&modern, &org, Some(&ss))
                .is_ok()
        );
        assert!(
            SubjectNaming::BrazilOrUnit
                .check(&modern, &org, Some(&ss))
                .is_ok()
        );
    }
}
