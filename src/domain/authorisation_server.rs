//! A bank's authorisation server as the directory publishes it (the API's
//! AuthorisationServer and AuthorisationServerRequest), with the rules each
//! field keeps: lengths as the spec has them, every URL an https URL.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::rules::Rules;
use super::{ApiResource, AuthorisationServerId, DomainError, OrganisationId, ServerCertification};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthorisationServer {
    pub authorisation_server_id: AuthorisationServerId,
    pub organisation_id: OrganisationId,
    pub auto_registration_supported: bool,
    pub auto_registration_notification_webhook: Option<String>,
    pub customer_friendly_name: String,
    pub customer_friendly_description: String,
    pub customer_friendly_logo_uri: Option<String>,
    pub deprecated_date: Option<NaiveDate>,
    pub developer_portal_uri: Option<String>,
    pub issuer: Option<String>,
    pub notification_webhook: Option<String>,
    pub notification_webhook_status: Option<WebhookStatus>,
    pub notification_webhook_added_date: Option<NaiveDate>,
    #[serde(rename = "OpenIDDiscoveryDocument")]
    pub open_id_discovery_document: Option<String>,
    pub parent_authorisation_server_id: Option<AuthorisationServerId>,
    pub payload_signing_cert_location_uri: Option<String>,
    pub retirement_date: Option<NaiveDate>,
    pub superseded_by_authorisation_server_id: Option<AuthorisationServerId>,
    pub supports_ciba: bool,
    #[serde(rename = "SupportsDCR")]
    pub supports_dcr: bool,
    pub supports_redirect: bool,
    pub terms_of_service_uri: Option<String>,
}

/// An authorisation server as the API and the participants document show
/// it (the spec's AuthorisationServer): its fields, its API resources and
/// its certifications.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublishedServer {
    #[serde(flatten)]
    pub server: AuthorisationServer,
    pub api_resources: Vec<ApiResource>,
    pub authorisation_server_certifications: Vec<ServerCertification>,
}

/// The API's NotificationWebhookStatusEnum: a new webhook is Pending until
/// its subscription is confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum WebhookStatus {
    Pending,
    Confirmed,
    Deactivated,
}

impl WebhookStatus {
    pub const ALL: [WebhookStatus; 3] = [
        WebhookStatus::Pending,
        WebhookStatus::Confirmed,
        WebhookStatus::Deactivated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookStatus::Pending => "Pending",
            WebhookStatus::Confirmed => "Confirmed",
            WebhookStatus::Deactivated => "Deactivated",
        }
    }
}

/// The body of a POST or PUT of an authorisation server, before its rules
/// are checked. A PUT replaces the server's fields with these.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AuthorisationServerRequest {
    pub authorisation_server_id: Option<String>,
    pub auto_registration_supported: Option<bool>,
    pub auto_registration_notification_webhook: Option<String>,
    pub customer_friendly_name: Option<String>,
    pub customer_friendly_description: Option<String>,
    pub customer_friendly_logo_uri: Option<String>,
    pub deprecated_date: Option<String>,
    pub developer_portal_uri: Option<String>,
    pub issuer: Option<String>,
    pub notification_webhook: Option<String>,
    #[serde(rename = "OpenIDDiscoveryDocument")]
    pub open_id_discovery_document: Option<String>,
    pub parent_authorisation_server_id: Option<String>,
    pub payload_signing_cert_location_uri: Option<String>,
    pub retirement_date: Option<String>,
    pub superseded_by_authorisation_server_id: Option<String>,
    pub supports_ciba: Option<bool>,
    #[serde(rename = "SupportsDCR")]
    pub supports_dcr: Option<bool>,
    pub supports_redirect: Option<bool>,
    pub terms_of_service_uri: Option<String>,
}

const HTTPS: &[&str] = &["https://"];

impl AuthorisationServer {
    /// Checks a request against the AuthorisationServerRequest rules. `id` is
    /// the server's (given by the caller, or made by the directory);
    /// `previous` is the server a PUT replaces, whose webhook state carries
    /// over while the webhook stays the same.
    pub fn from_request(
        req: AuthorisationServerRequest,
        org: &OrganisationId,
        id: &str,
        previous: Option<&AuthorisationServer>,
        now: DateTime<Utc>,
    ) -> Result<AuthorisationServer, Vec<DomainError>> {
        let mut r = Rules::default();
        let authorisation_server_id = r.id(AuthorisationServerId::parse(id));
        let auto_registration_supported = r
            .present(
                "AutoRegistrationSupported",
                req.auto_registration_supported,
                "AutoRegistrationSupported must be provided",
            )
            .unwrap_or(false);
        let customer_friendly_name =
            r.required("CustomerFriendlyName", req.customer_friendly_name, 1, 255);
        let customer_friendly_description = r.required(
            "CustomerFriendlyDescription",
            req.customer_friendly_description,
            1,
            255,
        );
        let customer_friendly_logo_uri = r.uri(
            "CustomerFriendlyLogoUri",
            req.customer_friendly_logo_uri,
            HTTPS,
        );
        if customer_friendly_logo_uri
            .as_deref()
            .is_some_and(|uri| !uri.ends_with(".svg"))
        {
            r.broken(DomainError::field(
                "CustomerFriendlyLogoUri",
                "must be an https URI of an .svg image",
            ));
        }
        let notification_webhook = r.uri("NotificationWebhook", req.notification_webhook, HTTPS);
        // A webhook kept as it was keeps its status; a new one waits to be confirmed.
        let kept = previous.filter(|p| p.notification_webhook == notification_webhook);
        let (notification_webhook_status, notification_webhook_added_date) =
            match (&notification_webhook, kept) {
                (None, _) => (None, None),
                (Some(_), Some(previous)) => (
                    previous.notification_webhook_status,
                    previous.notification_webhook_added_date,
                ),
                (Some(_), None) => (Some(WebhookStatus::Pending), Some(now.date_naive())),
            };
        let auto_registration_notification_webhook = r.uri(
            "AutoRegistrationNotificationWebhook",
            req.auto_registration_notification_webhook,
            HTTPS,
        );
        let deprecated_date = date(&mut r, "DeprecatedDate", req.deprecated_date);
        let developer_portal_uri = r.uri("DeveloperPortalUri", req.developer_portal_uri, HTTPS);
        let issuer = r.uri("Issuer", req.issuer, HTTPS);
        let open_id_discovery_document = r.uri(
            "OpenIDDiscoveryDocument",
            req.open_id_discovery_document,
            HTTPS,
        );
        let parent_authorisation_server_id = server_id(
            &mut r,
            "ParentAuthorisationServerId",
            req.parent_authorisation_server_id,
        );
        let payload_signing_cert_location_uri = r.uri(
            "PayloadSigningCertLocationUri",
            req.payload_signing_cert_location_uri,
            HTTPS,
        );
        let retirement_date = date(&mut r, "RetirementDate", req.retirement_date);
        let superseded_by_authorisation_server_id = server_id(
            &mut r,
            "SupersededByAuthorisationServerId",
            req.superseded_by_authorisation_server_id,
        );
        let terms_of_service_uri = r.uri("TermsOfServiceUri", req.terms_of_service_uri, HTTPS);
        r.finish(
            authorisation_server_id.map(|authorisation_server_id| AuthorisationServer {
                authorisation_server_id,
                organisation_id: org.clone(),
                auto_registration_supported,
                auto_registration_notification_webhook,
                customer_friendly_name,
                customer_friendly_description,
                customer_friendly_logo_uri,
                deprecated_date,
                developer_portal_uri,
                issuer,
                notification_webhook,
                notification_webhook_status,
                notification_webhook_added_date,
                open_id_discovery_document,
                parent_authorisation_server_id,
                payload_signing_cert_location_uri,
                retirement_date,
                superseded_by_authorisation_server_id,
                supports_ciba: req.supports_ciba.unwrap_or(false),
                supports_dcr: req.supports_dcr.unwrap_or(false),
                supports_redirect: req.supports_redirect.unwrap_or(false),
                terms_of_service_uri,
            }),
        )
    }
}

/// A `yyyy-MM-dd` date, as the spec's AuthDeprecatedDate and AuthRetirementDate.
fn date(r: &mut Rules, field: &str, value: Option<String>) -> Option<NaiveDate> {
    let value = value?;
    match NaiveDate::parse_from_str(&value, "%Y-%m-%d") {
        Ok(date) if value.len() == 10 => Some(date),
        _ => {
            r.broken(DomainError::field(
                field,
                format!("Date must match the format of yyyy-MM-dd, for example 2021-01-30, got '{value}'"),
            ));
            None
        }
    }
}

fn server_id(r: &mut Rules, field: &str, value: Option<String>) -> Option<AuthorisationServerId> {
    let value = value?;
    r.id(AuthorisationServerId::parse(&value).map_err(|e| DomainError::field(field, e.rule)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> AuthorisationServerRequest {
        AuthorisationServerRequest {
            auto_registration_supported: Some(true),
            customer_friendly_name: Some("Wren Bank".into()),
            customer_friendly_description: Some("Wren's retail banking".into()),
            open_id_discovery_document: Some(
                "https://auth.wren.example/.well-known/openid-configuration".into(),
            ),
            ..Default::default()
        }
    }

    fn org() -> OrganisationId {
        OrganisationId::parse("org-1").unwrap()
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-07T10:00:00Z")
            .unwrap()
            .to_utc()
    }

    #[test]
    fn a_request_with_the_required_fields_is_a_server() {
        let server =
            AuthorisationServer::from_request(request(), &org(), "as-1", None, now()).unwrap();
        assert_eq!(server.authorisation_server_id.as_str(), "as-1");
        assert!(server.auto_registration_supported);
        assert!(!server.supports_dcr);
        assert_eq!(server.notification_webhook_status, None);
    }

    #[test]
    fn every_broken_rule_is_named() {
        let req = AuthorisationServerRequest {
            customer_friendly_logo_uri: Some("https://wren.example/logo.png".into()),
            open_id_discovery_document: Some("http://auth.wren.example/.well-known".into()),
            deprecated_date: Some("30/01/2021".into()),
            ..Default::default()
        };
        let errors =
            AuthorisationServer::from_request(req, &org(), "as-1", None, now()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for field in [
            "AutoRegistrationSupported",
            "CustomerFriendlyName",
            "CustomerFriendlyDescription",
            "CustomerFriendlyLogoUri",
            "OpenIDDiscoveryDocument",
            "DeprecatedDate",
        ] {
            assert!(fields.contains(&field), "{field} not in {fields:?}");
        }
    }

    #[test]
    fn a_new_webhook_is_pending_and_a_kept_one_keeps_its_status() {
        let webhook = Some("https://hooks.wren.example/directory".to_owned());
        let req = AuthorisationServerRequest {
            notification_webhook: webhook.clone(),
            ..request()
        };
        let mut first =
            AuthorisationServer::from_request(req, &org(), "as-1", None, now()).unwrap();
        assert_eq!(
            first.notification_webhook_status,
            Some(WebhookStatus::Pending)
        );
        first.notification_webhook_status = Some(WebhookStatus::Confirmed);
        let again = AuthorisationServerRequest {
            notification_webhook: webhook,
            ..request()
        };
        let kept =
            AuthorisationServer::from_request(again, &org(), "as-1", Some(&first), now()).unwrap();
        assert_eq!(
            kept.notification_webhook_status,
            Some(WebhookStatus::Confirmed)
        );
    }
}
