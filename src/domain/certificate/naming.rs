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
    /// Open Finance Brasil (BRCAC): UID = SoftwareStatementId,
    /// organizationIdentifier = `OFBBR-<OrganisationId>`, and the company's
    /// attributes, its CNPJ (serialNumber) the organisation's RegistrationNumber.
    Brazil,
    /// As `Brazil`, but certificates issued before the 2022 standard carried
    /// the organisation in OU instead, and that is still accepted.
    BrazilOrUnit,
    /// Organisation-level OBIE certificates: OU = OrganisationId.
    ObieOrganisation,
    /// Open Finance Brasil signature certificate (BRSEAL): UID = OrganisationId
    /// (the participant code), C = BR, a CN, and the CNPJ in the ICP-Brasil
    /// otherName 2.16.76.1.3.3 (or serialNumber); any number of OUs.
    BrazilOrganisation,
    None,
}

/// The organizationIdentifier Open Finance Brasil certificates carry.
pub fn brazil_organisation_identifier(org: &OrganisationId) -> String {
    format!("OFBBR-{org}")
}

/// The subject attributes that can name a software statement and its
/// organisation, and the Brazil standard's company attributes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectAttributes {
    pub common_name: Option<String>,
    /// Every OU, in order: OBIE names the organisation in the only one, the
    /// Brazil signature template carries three of ICP-Brasil's.
    pub organisational_units: Vec<String>,
    pub uid: Option<String>,
    pub organisation_identifier: Option<String>,
    /// serialNumber (2.5.4.5): the CNPJ in Brazil's certificates.
    pub serial_number: Option<String>,
    pub business_category: Option<String>,
    /// jurisdictionCountryName (1.3.6.1.4.1.311.60.2.1.3).
    pub jurisdiction_country: Option<String>,
    pub country: Option<String>,
    pub organisation_name: Option<String>,
    pub state: Option<String>,
    pub locality: Option<String>,
    /// The subjectAltName's ICP-Brasil otherName 2.16.76.1.3.3: the CNPJ of
    /// the legal entity holding a signature certificate.
    pub icp_brasil_cnpj: Option<String>,
}

/// Whom a certificate must name: its organisation (with the registration
/// number Brazil's certificates carry as the CNPJ) and, for a statement's
/// own types, the software statement.
#[derive(Debug, Clone, Copy)]
pub struct CertificateOwner<'a> {
    pub org: &'a OrganisationId,
    pub registration_number: Option<&'a str>,
    pub ss: Option<&'a SoftwareStatementId>,
}

/// The businessCategory values the Brazil certificate standard lists.
pub const BUSINESS_CATEGORIES: &[&str] = &[
    "Private Organization",
    "Government Entity",
    "Business Entity",
    "Non-Commercial Entity",
];

const UID: &str = "UID (0.9.2342.19200300.100.1.1)";

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

fn require(name: &str, value: &Option<String>) -> Result<(), DomainError> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(()),
        _ => Err(DomainError::field(
            name,
            "is missing; the Brazil certificate standard requires it",
        )),
    }
}

/// OBIE's OU: exactly one, naming the organisation.
fn organisation_unit(subject: &SubjectAttributes, org: &OrganisationId) -> Result<(), DomainError> {
    match subject.organisational_units.as_slice() {
        [_, _, ..] => Err(DomainError::field(
            "OU",
            "subject has more than one OU; it must name exactly one organisation",
        )),
        units => expect_attribute("OU", &units.first().cloned(), org.as_str(), "organisation"),
    }
}

/// The ICP-Brasil otherName of a subjectAltName that holds the CNPJ of the
/// legal entity a certificate is issued to.
pub const ICP_BRASIL_CNPJ_OID: &str = "2.16.76.1.3.3";

/// A CNPJ as written, its punctuation aside (`43.142.666/0001-97` is
/// `43142666000197`): 14 characters, digits or (the alphanumeric CNPJ of
/// 2026) capital letters.
pub fn cnpj(value: &str) -> Result<String, String> {
    let plain: String = value
        .chars()
        .filter(|c| !matches!(c, '.' | '/' | '-') && !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    match plain.len() == 14 && plain.chars().all(|c| c.is_ascii_alphanumeric()) {
        true => Ok(plain),
        false => Err(format!(
            "'{value}' is not a CNPJ: 14 digits or capital letters, punctuation aside"
        )),
    }
}

/// A CNPJ given in a certificate against the organisation's RegistrationNumber.
fn expect_cnpj(
    name: &str,
    given: &Option<String>,
    registered: Option<&str>,
) -> Result<(), DomainError> {
    let Some(registered) = registered else {
        return Err(DomainError::field(
            name,
            "cannot be checked: the organisation has no RegistrationNumber (its CNPJ); set it first",
        ));
    };
    match given {
        Some(v) if cnpj(v).is_ok() && cnpj(v) == cnpj(registered) => Ok(()),
        Some(v) => Err(DomainError::field(
            name,
            format!("is '{v}' but the organisation's RegistrationNumber (CNPJ) is '{registered}'"),
        )),
        None => Err(DomainError::field(
            name,
            format!("is missing; expected the organisation's CNPJ '{registered}'"),
        )),
    }
}

/// The company the Brazil standard's transport certificate names
/// (ID1, BRCAC): businessCategory, jurisdictionC = BR, serialNumber = the
/// CNPJ, C = BR, O, ST, L, and CN (the FQDN).
fn brazil_company(
    subject: &SubjectAttributes,
    registration_number: Option<&str>,
) -> Result<(), DomainError> {
    match &subject.business_category {
        Some(category) if BUSINESS_CATEGORIES.contains(&category.as_str()) => {}
        other => {
            return Err(DomainError::field(
                "businessCategory (2.5.4.15)",
                format!(
                    "must be one of {}, got {}",
                    BUSINESS_CATEGORIES.join(", "),
                    other
                        .as_deref()
                        .map_or("nothing".into(), |c| format!("'{c}'"))
                ),
            ));
        }
    }
    expect_attribute(
        "jurisdictionCountryName (1.3.6.1.4.1.311.60.2.1.3)",
        &subject.jurisdiction_country,
        "BR",
        "standard's jurisdiction",
    )?;
    expect_cnpj(
        "serialNumber (2.5.4.5)",
        &subject.serial_number,
        registration_number,
    )?;
    expect_attribute("C", &subject.country, "BR", "standard's country")?;
    require("O", &subject.organisation_name)?;
    require("ST", &subject.state)?;
    require("L", &subject.locality)?;
    require("CN", &subject.common_name)
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

    pub fn check(
        self,
        subject: &SubjectAttributes,
        owner: CertificateOwner<'_>,
    ) -> Result<(), DomainError> {
        let org = owner.org;
        let org_identifier = brazil_organisation_identifier(org);
        let ss = owner
            .ss
            .map(SoftwareStatementId::as_str)
            .unwrap_or_default();
        let statement = "software statement";
        let brazil_org = || {
            expect_attribute(
                "organizationIdentifier (2.5.4.97)",
                &subject.organisation_identifier,
                &org_identifier,
                "organisation's participant code",
            )
        };
        let company = || brazil_company(subject, owner.registration_number);
        match self {
            Self::None => Ok(()),
            Self::Obie => {
                expect_attribute("CN", &subject.common_name, ss, statement)?;
                organisation_unit(subject, org)
            }
            // A subject with a UID is held to the Brazil form, else to OBIE's.
            Self::ObieOrBrazil if subject.uid.is_some() => Self::Brazil.check(subject, owner),
            Self::ObieOrBrazil => Self::Obie.check(subject, owner),
            Self::Brazil => {
                expect_attribute(UID, &subject.uid, ss, statement)?;
                brazil_org()?;
                company()
            }
            Self::ObieOrganisation => organisation_unit(subject, org),
            // BRSEAL: UID = the participant code, C = BR, CN = the company;
            // its CNPJ in the standard's otherName, or else in serialNumber.
            Self::BrazilOrganisation => {
                expect_attribute(
                    UID,
                    &subject.uid,
                    org.as_str(),
                    "organisation's participant code",
                )?;
                expect_attribute("C", &subject.country, "BR", "standard's country")?;
                require("CN", &subject.common_name)?;
                match &subject.icp_brasil_cnpj {
                    Some(_) => expect_cnpj(
                        "subjectAltName otherName 2.16.76.1.3.3 (CNPJ)",
                        &subject.icp_brasil_cnpj,
                        owner.registration_number,
                    ),
                    None => expect_cnpj(
                        "serialNumber (2.5.4.5)",
                        &subject.serial_number,
                        owner.registration_number,
                    ),
                }
            }
            // Before the 2022 standard the organisation was in OU.
            Self::BrazilOrUnit => {
                expect_attribute(UID, &subject.uid, ss, statement)?;
                if subject.organisation_identifier.is_none() {
                    organisation_unit(subject, org)?;
                } else {
                    brazil_org()?;
                }
                company()
            }
        }
    }
}

#[cfg(test)]
mod naming_tests {
    use super::*;

    const CNPJ: &str = "43142666000197";

    fn ids() -> (OrganisationId, SoftwareStatementId) {
        (
            OrganisationId::parse("org-1").unwrap(),
            SoftwareStatementId::parse("ss-1").unwrap(),
        )
    }

    fn check(naming: SubjectNaming, subject: &SubjectAttributes) -> Result<(), String> {
        let (org, ss) = ids();
        let owner = CertificateOwner {
            org: &org,
            registration_number: Some("43.142.666/0001-97"),
            ss: Some(&ss),
        };
        naming.check(subject, owner).map_err(|e| e.to_string())
    }

    fn some(text: &str) -> Option<String> {
        Some(text.into())
    }

    /// The certificate standard's BRCAC subject for org-1's ss-1.
    fn standard() -> SubjectAttributes {
        SubjectAttributes {
            common_name: some("tpp.example"),
            uid: some("ss-1"),
            organisation_identifier: some("OFBBR-org-1"),
            serial_number: some(CNPJ),
            business_category: some("Private Organization"),
            jurisdiction_country: some("BR"),
            country: some("BR"),
            organisation_name: some("Demo TPP Ltda"),
            state: some("SP"),
            locality: some("Sao Paulo"),
            ..Default::default()
        }
    }

    fn obie() -> SubjectAttributes {
        SubjectAttributes {
            common_name: some("ss-1"),
            organisational_units: vec!["org-1".into()],
            ..Default::default()
        }
    }

    #[test]
    fn brazil_takes_its_standards_form_for_transport_and_signing_and_the_uk_does_not() {
        let brazil = SubjectNaming::Obie.in_flavour(Flavour::Raidiam);
        assert_eq!(check(brazil, &standard()), Ok(()));
        assert_eq!(check(brazil, &obie()), Ok(()));
        let other_statement = SubjectAttributes {
            uid: some("ss-2"),
            ..standard()
        };
        assert!(
            check(brazil, &other_statement)
                .unwrap_err()
                .starts_with("UID")
        );
        let uk = SubjectNaming::Obie.in_flavour(Flavour::Obie);
        assert!(check(uk, &standard()).is_err());
        assert_eq!(check(uk, &obie()), Ok(()));
    }

    #[test]
    fn obie_naming_wants_cn_and_one_ou() {
        assert_eq!(check(SubjectNaming::Obie, &obie()), Ok(()));
        let wrong_cn = SubjectAttributes {
            common_name: some("abc"),
            ..obie()
        };
        assert_eq!(
            check(SubjectNaming::Obie, &wrong_cn).unwrap_err(),
            "CN: is 'abc' but the software statement is 'ss-1'"
        );
        let two_units = SubjectAttributes {
            organisational_units: vec!["org-1".into(), "org-2".into()],
            ..obie()
        };
        let err = check(SubjectNaming::Obie, &two_units).unwrap_err();
        assert!(err.contains("more than one OU"), "{err}");
    }

    #[test]
    fn brazil_wants_every_attribute_the_standard_lists() {
        assert_eq!(check(SubjectNaming::Brazil, &standard()), Ok(()));
        let without = |strip: fn(&mut SubjectAttributes)| {
            let mut subject = standard();
            strip(&mut subject);
            check(SubjectNaming::Brazil, &subject).unwrap_err()
        };
        assert!(without(|s| s.business_category = None).starts_with("businessCategory"));
        assert!(without(|s| s.jurisdiction_country = some("US")).starts_with("jurisdiction"));
        assert!(without(|s| s.serial_number = None).starts_with("serialNumber"));
        assert!(without(|s| s.country = None).starts_with("C:"));
        assert!(without(|s| s.organisation_name = None).starts_with("O:"));
        assert!(without(|s| s.state = None).starts_with("ST:"));
        assert!(without(|s| s.locality = None).starts_with("L:"));
        assert!(without(|s| s.common_name = None).starts_with("CN:"));
        let category = without(|s| s.business_category = some("Bank"));
        assert!(category.contains("Private Organization"), "{category}");
    }

    #[test]
    fn the_cnpj_is_the_organisations_registration_number() {
        let other = SubjectAttributes {
            serial_number: some("11222333000181"),
            ..standard()
        };
        assert_eq!(
            check(SubjectNaming::Brazil, &other).unwrap_err(),
            "serialNumber (2.5.4.5): is '11222333000181' but the organisation's \
             RegistrationNumber (CNPJ) is '43.142.666/0001-97'"
        );
        let suffixed = SubjectAttributes {
            serial_number: some("43142666000197-extra"),
            ..standard()
        };
        assert!(check(SubjectNaming::Brazil, &suffixed).is_err());
        assert_eq!(cnpj("12.ABC.345/0001-01"), Ok("12ABC345000101".into()));
        assert!(cnpj("12ABC3450001").is_err());
        let (org, ss) = ids();
        let unregistered = CertificateOwner {
            org: &org,
            registration_number: None,
            ss: Some(&ss),
        };
        let err = SubjectNaming::Brazil
            .check(&standard(), unregistered)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no RegistrationNumber"), "{err}");
    }

    #[test]
    fn brcac_accepts_ou_where_brcac_2022_wants_the_organisation_identifier() {
        let legacy = SubjectAttributes {
            organisation_identifier: None,
            organisational_units: vec!["org-1".into()],
            ..standard()
        };
        assert_eq!(check(SubjectNaming::BrazilOrUnit, &legacy), Ok(()));
        assert!(check(SubjectNaming::Brazil, &legacy).is_err());
        assert_eq!(check(SubjectNaming::Brazil, &standard()), Ok(()));
        assert_eq!(check(SubjectNaming::BrazilOrUnit, &standard()), Ok(()));
    }

    #[test]
    fn brseal_takes_the_standards_template_with_its_cnpj_in_the_other_name() {
        let template = SubjectAttributes {
            uid: some("org-1"),
            country: some("BR"),
            organisation_name: some("ICP-Brasil"),
            organisational_units: vec![
                "AC Demo".into(),
                "12345678000195".into(),
                "Videoconferencia".into(),
            ],
            common_name: some("Demo TPP Ltda"),
            icp_brasil_cnpj: some(CNPJ),
            ..Default::default()
        };
        assert_eq!(check(SubjectNaming::BrazilOrganisation, &template), Ok(()));
        let other = SubjectAttributes {
            icp_brasil_cnpj: some("11222333000181"),
            ..template.clone()
        };
        let err = check(SubjectNaming::BrazilOrganisation, &other).unwrap_err();
        assert!(
            err.starts_with("subjectAltName otherName 2.16.76.1.3.3"),
            "{err}"
        );
        let in_serial_number = SubjectAttributes {
            icp_brasil_cnpj: None,
            serial_number: some(CNPJ),
            ..template
        };
        assert_eq!(
            check(SubjectNaming::BrazilOrganisation, &in_serial_number),
            Ok(())
        );
    }
}
