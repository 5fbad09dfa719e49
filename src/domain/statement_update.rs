//! The body of `PUT /organisations/{id}/softwarestatements/{id}`, held to
//! the spec's SoftwareStatementUpdateRequest: its required members given,
//! its Status Active or Suspended, and every other member refused by name,
//! the response's read-only ones (Locked, ClientId, ...) as read-only.

use serde_json::{Map, Value};

use super::DomainError;
use super::organisation::SoftwareStatementRequest;
use super::rules::{Rules, mistyped_members};

/// SoftwareStatementRequest's members, with the spec's message for each
/// required one; SoftwareStatementId may name the statement itself.
const MEMBERS: &[(&str, Option<&str>)] = &[
    ("AdditionalSoftwareMetadata", None),
    ("ClientName", Some("ClientName must be provided")),
    ("ClientUri", Some("ClientUri must be provided")),
    ("Description", None),
    ("Environment", None),
    ("LogoUri", Some("LogoUri must be provided")),
    ("Mode", None),
    ("NotificationWebhook", None),
    ("NotificationWebhookStatus", None),
    ("OnBehalfOf", None),
    ("PolicyUri", None),
    ("RedirectUri", Some("RedirectUri must be provided")),
    ("TermsOfServiceUri", None),
    ("Version", Some("Version must be provided")),
    ("Status", None),
    ("SoftwareStatementId", None),
    // Not the spec's: a shorthand for the statement's authority claims.
    ("SoftwareRoles", None),
];

/// Members of the SoftwareStatement response that only the directory sets.
const READ_ONLY: &[&str] = &[
    "ClientId",
    "Locked",
    "OrganisationId",
    "RtsClientCreated",
    "SoftwareStatementCertifications",
];

/// The statuses a PUT may set (the update request's enum).
pub const UPDATE_STATUSES: &[&str] = &["Active", "Suspended"];

/// Reads a PUT body: every broken rule of its members, or the request.
pub fn parse(body: Map<String, Value>) -> Result<SoftwareStatementRequest, Vec<DomainError>> {
    let mut r = Rules::default();
    for name in body.keys() {
        if READ_ONLY.contains(&name.as_str()) {
            r.broken(DomainError::field(
                name,
                "is read-only: the directory sets it",
            ));
        } else if !MEMBERS.iter().any(|(member, _)| member == name) {
            r.broken(DomainError::field(
                name,
                "is not a member of SoftwareStatementUpdateRequest",
            ));
        }
    }
    for (member, required) in MEMBERS {
        if let Some(message) = required {
            let given = body.get(*member).filter(|v| !v.is_null());
            r.present(member, given, message);
        }
    }
    if let Some(status) = body.get("Status").and_then(Value::as_str)
        && !UPDATE_STATUSES.contains(&status)
    {
        r.broken(DomainError::field(
            "Status",
            format!(
                "must be one of {}, got '{status}'",
                UPDATE_STATUSES.join(", ")
            ),
        ));
    }
    for (name, why) in mistyped_members::<SoftwareStatementRequest>(&body) {
        r.broken(DomainError::field(name, why));
    }
    let request = serde_json::from_value::<SoftwareStatementRequest>(Value::Object(body)).ok();
    r.finish(request)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn complete() -> Value {
        json!({"ClientName": "App", "ClientUri": "https://app.example",
            "LogoUri": "https://app.example/logo.png",
            "RedirectUri": ["https://app.example/cb"], "Version": 2})
    }

    fn messages(errors: Vec<DomainError>) -> Vec<String> {
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_complete_body_is_the_request() {
        let mut given = complete();
        given["Status"] = json!("Suspended");
        let request = parse(body(given)).unwrap();
        assert_eq!(request.client_name.as_deref(), Some("App"));
        assert_eq!(request.status.as_deref(), Some("Suspended"));
    }

    #[test]
    fn each_missing_required_member_is_named_with_the_specs_message() {
        let errors = messages(parse(body(json!({"ClientName": "App"}))).unwrap_err());
        assert_eq!(
            errors,
            [
                "ClientUri: ClientUri must be provided",
                "LogoUri: LogoUri must be provided",
                "RedirectUri: RedirectUri must be provided",
                "Version: Version must be provided",
            ]
        );
    }

    #[test]
    fn read_only_and_unknown_members_and_other_statuses_are_refused_by_name() {
        let mut given = complete();
        given["Locked"] = json!(false);
        given["ClientId"] = json!("x");
        given["Colour"] = json!("blue");
        given["Status"] = json!("Inactive");
        let errors = messages(parse(body(given)).unwrap_err());
        assert!(errors.contains(&"Locked: is read-only: the directory sets it".to_owned()));
        assert!(errors.contains(&"ClientId: is read-only: the directory sets it".to_owned()));
        assert!(
            errors
                .contains(&"Colour: is not a member of SoftwareStatementUpdateRequest".to_owned())
        );
        assert!(
            errors.contains(&"Status: must be one of Active, Suspended, got 'Inactive'".to_owned())
        );
    }

    #[test]
    fn a_member_of_the_wrong_type_is_named() {
        let mut given = complete();
        given["ClientName"] = json!(5);
        given["RedirectUri"] = json!("https://app.example/cb");
        let errors = messages(parse(body(given)).unwrap_err());
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("ClientName: invalid type: integer `5`")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("RedirectUri: invalid type: string")),
            "{errors:?}"
        );
    }
}
