//! What an authorisation server offers: its API resources (an API family at
//! a version, with how far it is certified) and each resource's discovery
//! endpoints. A version is `x.y.z`; every endpoint is an https URL.

use serde::{Deserialize, Serialize};

use super::certification::{CertificationDate, CertificationStatus, certification_uri};
use super::rules::Rules;
use super::{ApiDiscoveryEndpointId, ApiResourceId, DomainError};

/// The spec's ApiResource, its discovery endpoints inside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ApiResource {
    pub api_resource_id: ApiResourceId,
    pub api_family_type: String,
    pub api_version: String,
    pub api_certification_uri: Option<String>,
    pub certification_status: CertificationStatus,
    pub certification_start_date: Option<CertificationDate>,
    pub certification_expiration_date: Option<CertificationDate>,
    pub family_complete: bool,
    pub api_discovery_endpoints: Vec<ApiDiscoveryEndpoint>,
}

/// The spec's ApiDiscoveryEndpoint: one URL of the API a resource names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ApiDiscoveryEndpoint {
    pub api_discovery_id: ApiDiscoveryEndpointId,
    pub api_endpoint: String,
}

/// The body of a POST or PUT of an API resource: the spec's
/// ApiResourceRequest, plus FamilyComplete and CertificationExpirationDate,
/// which the record carries and only its publisher knows.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ApiResourceRequest {
    pub api_certification_uri: Option<String>,
    /// When given, the resource has a discovery endpoint at this URL.
    pub api_endpoint: Option<String>,
    pub api_family_type: Option<String>,
    pub api_version: Option<String>,
    pub certification_start_date: Option<String>,
    pub certification_expiration_date: Option<String>,
    pub certification_status: Option<String>,
    pub family_complete: Option<bool>,
}

/// The body of a POST or PUT of a discovery endpoint (ApiDiscoveryEndpointRequest).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ApiDiscoveryEndpointRequest {
    pub api_endpoint: Option<String>,
}

/// The spec's ApiEndpoint rule, https only.
fn api_endpoint(r: &mut Rules, value: Option<String>) -> String {
    let value = r.present("ApiEndpoint", value, "ApiEndpoint must be provided");
    r.https_uri("ApiEndpoint", value, 255).unwrap_or_default()
}

/// `^[0-9]+\.[0-9]+\.[0-9]+$`
fn is_version(value: &str) -> bool {
    let parts: Vec<&str> = value.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

impl ApiResource {
    /// Checks a request against the ApiResourceRequest rules. `previous` is
    /// the resource a PUT replaces: its discovery endpoints stay, and
    /// `new_endpoint` is the id an ApiEndpoint not among them is given.
    pub fn from_request(
        req: ApiResourceRequest,
        id: ApiResourceId,
        previous: Option<&ApiResource>,
        new_endpoint: ApiDiscoveryEndpointId,
    ) -> Result<ApiResource, Vec<DomainError>> {
        let mut r = Rules::default();
        let family = r.present(
            "ApiFamilyType",
            req.api_family_type,
            "Family Type must be provided",
        );
        let api_family_type = r.text("ApiFamilyType", family, 1, 128).unwrap_or_default();
        let api_version = match r.present("ApiVersion", req.api_version, "Version must be provided")
        {
            None => String::new(),
            Some(version) if !is_version(&version) => {
                r.broken(DomainError::field(
                    "ApiVersion",
                    format!("must match ^[0-9]+\\.[0-9]+\\.[0-9]+$, got '{version}'"),
                ));
                version
            }
            Some(version) => version,
        };
        let api_certification_uri =
            certification_uri(&mut r, "ApiCertificationUri", req.api_certification_uri);
        let certification_start_date = CertificationDate::from_request(
            &mut r,
            "CertificationStartDate",
            req.certification_start_date,
        );
        let certification_expiration_date = CertificationDate::from_request(
            &mut r,
            "CertificationExpirationDate",
            req.certification_expiration_date,
        );
        let certification_status = CertificationStatus::from_request(
            &mut r,
            "CertificationStatus",
            req.certification_status,
        );
        let mut api_discovery_endpoints = previous
            .map(|p| p.api_discovery_endpoints.clone())
            .unwrap_or_default();
        if req.api_endpoint.is_some() {
            let url = api_endpoint(&mut r, req.api_endpoint);
            if !api_discovery_endpoints
                .iter()
                .any(|e| e.api_endpoint == url)
            {
                api_discovery_endpoints.push(ApiDiscoveryEndpoint {
                    api_discovery_id: new_endpoint,
                    api_endpoint: url,
                });
            }
        }
        r.finish(Some(ApiResource {
            api_resource_id: id,
            api_family_type,
            api_version,
            api_certification_uri,
            certification_status,
            certification_start_date,
            certification_expiration_date,
            family_complete: req.family_complete.unwrap_or(false),
            api_discovery_endpoints,
        }))
    }

    /// The numeric parts of the version, for finding a family's latest.
    pub fn version_parts(&self) -> Vec<u64> {
        self.api_version
            .split('.')
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    }

    /// The latest version of each API family among `resources`, in family order.
    pub fn latest_of_each_family(resources: Vec<ApiResource>) -> Vec<ApiResource> {
        let mut latest: std::collections::BTreeMap<String, ApiResource> = Default::default();
        for resource in resources {
            match latest.get(&resource.api_family_type) {
                Some(kept) if kept.version_parts() >= resource.version_parts() => {}
                _ => {
                    latest.insert(resource.api_family_type.clone(), resource);
                }
            }
        }
        latest.into_values().collect()
    }
}

impl ApiDiscoveryEndpoint {
    pub fn from_request(
        req: ApiDiscoveryEndpointRequest,
        id: ApiDiscoveryEndpointId,
    ) -> Result<ApiDiscoveryEndpoint, Vec<DomainError>> {
        let mut r = Rules::default();
        let api_endpoint = api_endpoint(&mut r, req.api_endpoint);
        r.finish(Some(ApiDiscoveryEndpoint {
            api_discovery_id: id,
            api_endpoint,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(resource: &str, endpoint: &str) -> (ApiResourceId, ApiDiscoveryEndpointId) {
        (
            ApiResourceId::parse(resource).unwrap(),
            ApiDiscoveryEndpointId::parse(endpoint).unwrap(),
        )
    }

    fn request(family: &str, version: &str) -> ApiResourceRequest {
        ApiResourceRequest {
            api_family_type: Some(family.into()),
            api_version: Some(version.into()),
            api_endpoint: Some(format!("https://api.wren.example/{family}/v{version}")),
            ..Default::default()
        }
    }

    #[test]
    fn a_resource_names_its_family_and_an_x_y_z_version_and_its_endpoint() {
        let (id, endpoint) = ids("r-1", "e-1");
        let made =
            ApiResource::from_request(request("accounts", "2.0.1"), id, None, endpoint).unwrap();
        assert_eq!(
            made.certification_status,
            CertificationStatus::AwaitingCertification
        );
        assert_eq!(made.api_discovery_endpoints.len(), 1);
        let (id, endpoint) = ids("r-1", "e-1");
        let bad = ApiResourceRequest {
            api_version: Some("2.0".into()),
            api_endpoint: Some("http://api.wren.example/accounts".into()),
            certification_start_date: Some("2021-12-31".into()),
            certification_status: Some("Done".into()),
            ..Default::default()
        };
        let errors = ApiResource::from_request(bad, id, None, endpoint).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "ApiFamilyType",
                "ApiVersion",
                "CertificationStartDate",
                "CertificationStatus",
                "ApiEndpoint"
            ]
        );
    }

    #[test]
    fn a_replaced_resource_keeps_its_endpoints_and_adds_a_new_url_once() {
        let (id, endpoint) = ids("r-1", "e-1");
        let first =
            ApiResource::from_request(request("accounts", "2.0.1"), id.clone(), None, endpoint)
                .unwrap();
        let again = ApiResource::from_request(
            request("accounts", "2.0.1"),
            id.clone(),
            Some(&first),
            ApiDiscoveryEndpointId::parse("e-2").unwrap(),
        )
        .unwrap();
        assert_eq!(again.api_discovery_endpoints, first.api_discovery_endpoints);
        let other = ApiResourceRequest {
            api_endpoint: Some("https://api.wren.example/accounts/v2/balances".into()),
            ..request("accounts", "2.0.1")
        };
        let grown = ApiResource::from_request(
            other,
            id,
            Some(&first),
            ApiDiscoveryEndpointId::parse("e-2").unwrap(),
        )
        .unwrap();
        assert_eq!(grown.api_discovery_endpoints.len(), 2);
    }

    #[test]
    fn the_latest_of_a_family_compares_versions_as_numbers() {
        let make = |id: &str, family: &str, version: &str| {
            let (id, endpoint) = ids(id, &format!("{id}-e"));
            ApiResource::from_request(request(family, version), id, None, endpoint).unwrap()
        };
        let latest = ApiResource::latest_of_each_family(vec![
            make("a", "accounts", "2.10.0"),
            make("b", "accounts", "2.9.3"),
            make("c", "payments", "1.0.0"),
        ]);
        let kept: Vec<&str> = latest.iter().map(|r| r.api_resource_id.as_str()).collect();
        assert_eq!(kept, ["a", "c"]);
    }

    #[test]
    fn an_endpoint_is_an_https_url() {
        let id = ApiDiscoveryEndpointId::parse("e-1").unwrap();
        let plain = ApiDiscoveryEndpointRequest {
            api_endpoint: Some("http://api.wren.example/accounts".into()),
        };
        assert_eq!(
            ApiDiscoveryEndpoint::from_request(plain, id.clone()).unwrap_err()[0].field,
            "ApiEndpoint"
        );
        assert!(ApiDiscoveryEndpoint::from_request(Default::default(), id).is_err());
    }
}
