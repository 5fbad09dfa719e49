//! The reference catalogue a directory is built on: the authorities that
//! licence participants, the authorisation domains they licence them in, the
//! roles of each domain with the OAuth scopes a role grants, and the terms
//! and conditions participants accept. Built in per flavour and read-only,
//! as the real directory's `/references` are to its participants.

use serde::Serialize;

use super::Flavour;

/// Every reference record is live: the catalogue holds no retired entries.
const ACTIVE: &str = "Active";

/// A regulator that licences participants (`Authority`).
#[derive(Debug, Serialize)]
pub struct Authority {
    #[serde(rename = "AuthorityId")]
    pub id: &'static str,
    #[serde(rename = "AuthorityName")]
    pub name: &'static str,
    #[serde(rename = "AuthorityCode")]
    pub code: &'static str,
    #[serde(rename = "AuthorityUri")]
    pub uri: &'static str,
    #[serde(rename = "AuthorityCountry")]
    pub country: &'static str,
    #[serde(rename = "Status")]
    status: &'static str,
}

/// A regulated activity area roles belong to (`AuthorisationDomain`).
#[derive(Debug, Serialize)]
pub struct AuthorisationDomain {
    #[serde(rename = "AuthorisationDomainName")]
    pub name: &'static str,
    #[serde(rename = "AuthorisationDomainRegion")]
    pub region: &'static str,
    #[serde(rename = "AuthorisationDomainDescription")]
    pub description: &'static str,
    #[serde(rename = "Status")]
    status: &'static str,
}

/// A role a participant may be licensed for in a domain
/// (`AuthorisationDomainRole`), with the OAuth scopes it grants.
#[derive(Debug, Serialize)]
pub struct Role {
    #[serde(rename = "AuthorisationDomainRoleName")]
    pub name: &'static str,
    #[serde(rename = "AuthorisationDomainName")]
    pub domain: &'static str,
    #[serde(rename = "AuthorisationDomainRoleDescription")]
    pub description: &'static str,
    #[serde(rename = "Status")]
    status: &'static str,
    #[serde(skip)]
    pub scopes: &'static [&'static str],
}

/// Which authority licences in which domain (`AuthorityAuthorisationDomain`).
#[derive(Debug, Serialize)]
pub struct AuthorityDomain {
    #[serde(rename = "AuthorityAuthorisationDomainId")]
    pub id: &'static str,
    #[serde(rename = "AuthorityId")]
    pub authority: &'static str,
    #[serde(rename = "AuthorisationDomainName")]
    pub domain: &'static str,
    #[serde(rename = "Status")]
    status: &'static str,
}

/// One item of a role's metadata (`MetadataResponse`): here, a scope it grants.
#[derive(Debug, Serialize)]
pub struct RoleMetadata {
    #[serde(rename = "MetadataId")]
    pub id: String,
    #[serde(rename = "DomainRoleName")]
    pub role: &'static str,
    #[serde(rename = "Type")]
    pub kind: &'static str,
    #[serde(rename = "Name")]
    pub name: &'static str,
}

/// Terms participants accept (`TermsAndConditionsItem`).
#[derive(Debug, Serialize)]
pub struct TermsAndConditions {
    #[serde(rename = "TnCId")]
    pub id: u32,
    #[serde(rename = "Name")]
    pub name: &'static str,
    /// `Participant` or `Directory`.
    #[serde(rename = "Type")]
    pub kind: &'static str,
    #[serde(rename = "Content")]
    pub content: &'static str,
    #[serde(rename = "Status")]
    status: &'static str,
}

/// One flavour's reference data.
#[derive(Debug)]
pub struct Catalogue {
    pub authorities: &'static [Authority],
    pub domains: &'static [AuthorisationDomain],
    pub roles: &'static [Role],
    pub mappings: &'static [AuthorityDomain],
    pub terms: &'static [TermsAndConditions],
}

impl Catalogue {
    /// The catalogue of the ecosystem `flavour` plays.
    pub fn of(flavour: Flavour) -> &'static Catalogue {
        match flavour {
            Flavour::Raidiam => &BRAZIL,
            Flavour::Obie => &UK,
        }
    }

    /// Whether `role` is not this catalogue's but another flavour's: what a
    /// seed written for both ecosystems names, and this one passes over.
    pub fn is_foreign_role(&self, role: &str) -> bool {
        self.role(role).is_none() && Catalogue::of_some_flavour(role)
    }

    /// Whether some flavour's catalogue has `role`.
    pub fn of_some_flavour(role: &str) -> bool {
        [&BRAZIL, &UK].iter().any(|c| c.role(role).is_some())
    }

    pub fn authority(&self, id: &str) -> Option<&'static Authority> {
        self.authorities.iter().find(|a| a.id == id)
    }

    pub fn domain(&self, name: &str) -> Option<&'static AuthorisationDomain> {
        self.domains.iter().find(|d| d.name == name)
    }

    pub fn role(&self, name: &str) -> Option<&'static Role> {
        self.roles.iter().find(|r| r.name == name)
    }

    /// The domains `authority` licences in.
    pub fn mappings_of(&self, authority: &str) -> Vec<&'static AuthorityDomain> {
        self.mappings
            .iter()
            .filter(|m| m.authority == authority)
            .collect()
    }

    pub fn mapping(&self, authority: &str, id: &str) -> Option<&'static AuthorityDomain> {
        self.mappings
            .iter()
            .find(|m| m.authority == authority && m.id == id)
    }
}

impl Role {
    /// The role's metadata: one `scope` item per scope it grants, each with
    /// an id that stays the same from one run to the next.
    pub fn metadata(&self) -> Vec<RoleMetadata> {
        self.scopes
            .iter()
            .enumerate()
            .map(|(position, scope)| RoleMetadata {
                id: format!("{}-{}", self.name, position + 1),
                role: self.name,
                kind: "scope",
                name: scope,
            })
            .collect()
    }
}

/// Open Finance Brasil: the central bank licences in the "Open Banking"
/// domain; roles and scopes as the DCR standard's table of regulatory roles.
static BRAZIL: Catalogue = Catalogue {
    authorities: &[Authority {
        id: "687a1c94-b360-4e04-9589-0fa5cb16451b",
        name: "Banco Central do Brasil",
        code: "BCB",
        uri: "https://www.bcb.gov.br",
        country: "BR",
        status: ACTIVE,
    }],
    domains: &[AuthorisationDomain {
        name: "Open Banking",
        region: "Brazil",
        description: "Open Finance Brasil, regulated by Banco Central do Brasil",
        status: ACTIVE,
    }],
    roles: &[
        Role {
            name: "DADOS",
            domain: "Open Banking",
            description: "Instituição transmissora ou receptora de dados (AISP)",
            status: ACTIVE,
            scopes: &[
                "openid",
                "accounts",
                "credit-cards-accounts",
                "consents",
                "customers",
                "invoice-financings",
                "financings",
                "loans",
                "unarranged-accounts-overdraft",
                "resources",
            ],
        },
        Role {
            name: "PAGTO",
            domain: "Open Banking",
            description: "Instituição prestadora de serviço de iniciação de pagamentos (PISP)",
            status: ACTIVE,
            scopes: &["openid", "payments"],
        },
        Role {
            name: "CONTA",
            domain: "Open Banking",
            description: "Instituição detentora de conta (ASPSP)",
            status: ACTIVE,
            scopes: &["openid"],
        },
        Role {
            name: "CCORR",
            domain: "Open Banking",
            description: "Correspondente de crédito",
            status: ACTIVE,
            scopes: &["openid"],
        },
    ],
    mappings: &[AuthorityDomain {
        id: "2b1d7b4e-6a2f-4b8e-9c1d-3f5a7e9b0c21",
        authority: "687a1c94-b360-4e04-9589-0fa5cb16451b",
        domain: "Open Banking",
        status: ACTIVE,
    }],
    terms: &[TermsAndConditions {
        id: 1,
        name: "Open Finance Brasil participant terms",
        kind: "Participant",
        content: "# Participant terms\n\nThis is a sandbox directory. Participants accept that \
                  its certificates and assertions are for testing only and are trusted by no \
                  production ecosystem.",
        status: ACTIVE,
    }],
};

/// UK Open Banking: the FCA licences in the "Open Banking" domain; the
/// roles of the UK directory, with the scopes of the Read/Write API.
static UK: Catalogue = Catalogue {
    authorities: &[Authority {
        id: "FCAGBR",
        name: "Financial Conduct Authority",
        code: "FCA",
        uri: "https://www.fca.org.uk",
        country: "GB",
        status: ACTIVE,
    }],
    domains: &[AuthorisationDomain {
        name: "Open Banking",
        region: "United Kingdom",
        description: "UK Open Banking, regulated by the Financial Conduct Authority",
        status: ACTIVE,
    }],
    roles: &[
        Role {
            name: "AISP",
            domain: "Open Banking",
            description: "Account information service provider",
            status: ACTIVE,
            scopes: &["openid", "accounts"],
        },
        Role {
            name: "PISP",
            domain: "Open Banking",
            description: "Payment initiation service provider",
            status: ACTIVE,
            scopes: &["openid", "payments"],
        },
        Role {
            name: "CBPII",
            domain: "Open Banking",
            description: "Card-based payment instrument issuer",
            status: ACTIVE,
            scopes: &["openid", "fundsconfirmations"],
        },
        Role {
            name: "ASPSP",
            domain: "Open Banking",
            description: "Account servicing payment service provider",
            status: ACTIVE,
            scopes: &["openid"],
        },
    ],
    mappings: &[AuthorityDomain {
        id: "8c0f4d2a-1e3b-4c5d-9a7f-6b2e0d4c8a13",
        authority: "FCAGBR",
        domain: "Open Banking",
        status: ACTIVE,
    }],
    terms: &[TermsAndConditions {
        id: 1,
        name: "UK Open Banking participant terms",
        kind: "Participant",
        content: "# Participant terms\n\nThis is a sandbox directory. Participants accept that \
                  its certificates and assertions are for testing only and are trusted by no \
                  production ecosystem.",
        status: ACTIVE,
    }],
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Every role names a domain of its catalogue, and every mapping an
    /// authority and a domain of it: a claim checked against the catalogue
    /// can always be resolved.
    #[test]
    fn every_catalogue_refers_only_to_its_own_records() {
        for flavour in [Flavour::Raidiam, Flavour::Obie] {
            let c = Catalogue::of(flavour);
            for role in c.roles {
                assert!(c.domain(role.domain).is_some(), "{}", role.name);
                assert!(role.scopes.contains(&"openid"), "{}", role.name);
            }
            for m in c.mappings {
                assert!(c.authority(m.authority).is_some(), "{}", m.id);
                assert!(c.domain(m.domain).is_some(), "{}", m.id);
            }
            for r in c.roles {
                for m in r.metadata() {
                    assert!(m.id.len() <= 40, "MetadataId is at most 40: {}", m.id);
                }
            }
        }
    }
}
