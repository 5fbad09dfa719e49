//! /openapi.json lists every route obdir serves (it is built from the same
//! registrations), and every route it lists answers.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::*;

/// A value for each path parameter, so the request reaches its handler.
fn fill(path: &str) -> String {
    let uuid = "6d8a1f7e-0000-4000-8000-000000000000";
    path.split('/')
        .map(|segment| match segment {
            "{OrganisationId}" | "{org}" => ORG.to_owned(),
            "{SoftwareStatementId}" | "{ss}" => SS.to_owned(),
            "{SoftwareStatementCertificateOrKeyType}" => "rtssigning".to_owned(),
            "{OrganisationCertificateType}" => "rtsseal".to_owned(),
            "{CertificateOrKeyId}" => "no-such-kid".to_owned(),
            "{file}" => "nothing.pem".to_owned(),
            "{dtsCaCertificateId}" | "{caCertificateId}" | "{ecosystemId}" => uuid.to_owned(),
            "{request}" => "MAA=".to_owned(),
            "{rest}" => "nothing".to_owned(),
            other => other.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn every_documented_route_answers() {
    let app = spawn_app().await;
    let document: Value = app.get("/openapi.json").await.json().await.unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    let paths = document["paths"].as_object().unwrap();
    for expected in [
        "/organisations",
        "/token",
        "/token/introspect",
        "/token/revoke",
        "/keystore/openbanking.jwks",
        "/admin/reset",
        "/openapi.json",
        "/console",
    ] {
        assert!(paths.contains_key(expected), "{expected} is documented");
    }

    let mut checked = 0;
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            assert!(
                operation["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{method} {path}"
            );
            // Resetting mid-walk would only empty the directory; skip it.
            if path == "/admin/reset" || path == "/admin/restore" {
                continue;
            }
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = app
                .client
                .request(method.clone(), app.url(&fill(path)))
                .bearer_auth(TOKEN)
                .header("Content-Type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            let status = response.status();
            let body = response.text().await.unwrap();
            assert!(
                !(status == StatusCode::NOT_FOUND && body.contains("no route for")),
                "{method} {path} is documented but not served"
            );
            assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            assert!(status.as_u16() < 500, "{method} {path}: {status} {body}");
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked} routes checked");
}

/// docs/fidelity.md's route table: `| METHOD | `path` | ... |` rows.
fn fidelity_rows() -> std::collections::BTreeSet<String> {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/fidelity.md"),
    )
    .unwrap();
    doc.lines()
        .filter_map(|line| {
            let mut cells = line.split('|').map(str::trim).skip(1);
            let method = cells.next()?;
            let path = cells.next()?.strip_prefix('`')?.strip_suffix('`')?;
            let is_method = !method.is_empty() && method.bytes().all(|b| b.is_ascii_uppercase());
            is_method.then(|| format!("{method} {path}"))
        })
        .collect()
}

#[tokio::test]
async fn every_route_has_a_row_in_the_fidelity_table_and_every_row_a_route() {
    let app = spawn_app().await;
    let document: Value = app.get("/openapi.json").await.json().await.unwrap();
    let served: std::collections::BTreeSet<String> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, operations)| {
            operations
                .as_object()
                .unwrap()
                .keys()
                .map(move |method| format!("{} {path}", method.to_ascii_uppercase()))
        })
        .collect();
    let rows = fidelity_rows();
    let missing: Vec<_> = served.difference(&rows).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in docs/fidelity.md: {missing:?}"
    );
    let stale: Vec<_> = rows.difference(&served).collect();
    assert!(
        stale.is_empty(),
        "rows in docs/fidelity.md without a route: {stale:?}"
    );
}

#[tokio::test]
async fn the_document_says_how_each_route_is_authenticated_and_what_an_id_may_be() {
    let app = spawn_app().await;
    let document: Value = app.get("/openapi.json").await.json().await.unwrap();
    let schemes = &document["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert!(
        schemes["oauth2"]["flows"]["clientCredentials"]["tokenUrl"]
            .as_str()
            .unwrap()
            .ends_with("/token")
    );
    assert_eq!(schemes["mutualTLS"]["type"], "mutualTLS");
    assert_eq!(schemes["tenantsCookie"]["in"], "cookie");
    assert_eq!(schemes["raSession"]["type"], "http");

    let paths = &document["paths"];
    let security = |path: &str, method: &str| paths[path][method]["security"].clone();
    let named = |value: Value, scheme: &str| {
        value
            .as_array()
            .unwrap()
            .iter()
            .any(|requirement| requirement.get(scheme).is_some())
    };
    assert!(named(
        security("/organisations/{OrganisationId}", "get"),
        "bearer"
    ));
    assert!(named(security("/admin/faults", "post"), "bearer"));
    assert_eq!(
        security("/keystore/openbanking.jwks", "get"),
        serde_json::json!([])
    );
    assert_eq!(security("/api/login", "post"), serde_json::json!([]));
    assert!(named(security("/api/login", "delete"), "tenantsCookie"));

    // A directory id's rule, as the document states it and as the server keeps it.
    let parameter = &paths["/organisations/{OrganisationId}"]["get"]["parameters"][0];
    assert_eq!(parameter["name"], "OrganisationId");
    assert_eq!(parameter["schema"]["maxLength"], 40);
    assert_eq!(parameter["schema"]["pattern"], "^[^<>]*$");
    let too_long = app
        .client
        .get(app.url(&format!("/organisations/{}", "a".repeat(41))))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(too_long.status(), StatusCode::BAD_REQUEST);
    let body = too_long.text().await.unwrap();
    assert!(body.contains("OrganisationId"), "{body}");
}

/// Checks `value` against the parts of a JSON Schema the document's body
/// schemas use: type, properties, required, items, maxLength, pattern.
pub fn conforms(value: &Value, schema: &Value, at: &str) -> Result<(), String> {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    if let Some(types) = schema.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let fits = allowed.contains(&kind) || (kind == "integer" && allowed.contains(&"number"));
        if !fits {
            return Err(format!("{at}: {kind} where the schema allows {allowed:?}"));
        }
    }
    if let (Value::String(s), Some(max)) = (value, schema["maxLength"].as_u64())
        && s.chars().count() as u64 > max
    {
        return Err(format!("{at}: longer than {max}"));
    }
    if let (Value::String(s), Some(pattern)) = (value, schema["pattern"].as_str())
        && !regex::Regex::new(pattern).unwrap().is_match(s)
    {
        return Err(format!("{at}: '{s}' does not match {pattern}"));
    }
    if let Value::Object(fields) = value {
        for required in schema["required"].as_array().into_iter().flatten() {
            let name = required.as_str().unwrap();
            if !fields.contains_key(name) {
                return Err(format!("{at}: {name} is required"));
            }
        }
        for (name, field) in fields {
            let Some(property) = schema["properties"].get(name) else {
                return Err(format!("{at}: {name} is not in the schema"));
            };
            conforms(field, property, &format!("{at}.{name}"))?;
        }
    }
    if let Value::Array(items) = value {
        for (i, item) in items.iter().enumerate() {
            conforms(item, &schema["items"], &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

#[tokio::test]
async fn an_organisation_sent_and_answered_matches_the_schemas_the_document_gives() {
    let app = spawn_app().await;
    let document: Value = app.get("/openapi.json").await.json().await.unwrap();
    let create = &document["paths"]["/organisations"]["post"];
    let request_schema = &create["requestBody"]["content"]["application/json"]["schema"];
    let answer_schema = &create["responses"]["201"]["content"]["application/json"]["schema"];
    let body = serde_json::json!({
        "OrganisationId": "org-schema",
        "OrganisationName": "Schema Pagamentos",
        "Country": "BR",
        "Tags": ["sandbox"]
    });
    conforms(&body, request_schema, "request").unwrap();
    let response = app.post_json("/organisations", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    conforms(&created, answer_schema, "answer").unwrap();
    assert!(
        conforms(
            &serde_json::json!({"OrganisationName": 7}),
            request_schema,
            "bad"
        )
        .is_err(),
        "the request schema says what a field's type is"
    );

    let read = app.get("/organisations/org-schema").await;
    let read_schema = &document["paths"]["/organisations/{OrganisationId}"]["get"]["responses"]["200"]
        ["content"]["application/json"]["schema"];
    conforms(&read.json().await.unwrap(), read_schema, "read").unwrap();
}

#[tokio::test]
async fn a_software_statement_sent_and_answered_matches_the_document() {
    let app = spawn_app().await;
    let document: Value = app.get("/openapi.json").await.json().await.unwrap();
    let statements = &document["paths"]["/organisations/{OrganisationId}/softwarestatements"];
    let json_schema = |operation: &Value, status: &str| {
        operation["responses"][status]["content"]["application/json"]["schema"].clone()
    };
    let body = serde_json::json!({
        "SoftwareStatementId": "ss-schema",
        "ClientName": "Schema TPP",
        "RedirectUri": ["https://tpp.example/cb"],
        "Version": 1.0
    });
    let request = &statements["post"]["requestBody"]["content"]["application/json"]["schema"];
    conforms(&body, request, "request").unwrap();
    let path = format!("/organisations/{ORG}/softwarestatements");
    let created = app.post_json(&path, &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    conforms(
        &created,
        &json_schema(&statements["post"], "201"),
        "created",
    )
    .unwrap();

    let one = &document["paths"]["/organisations/{OrganisationId}/softwarestatements/{SoftwareStatementId}"];
    let read: Value = app
        .get(&format!("{path}/ss-schema"))
        .await
        .json()
        .await
        .unwrap();
    conforms(&read, &json_schema(&one["get"], "200"), "read").unwrap();
    let list: Value = app.get(&path).await.json().await.unwrap();
    conforms(&list, &json_schema(&statements["get"], "200"), "list").unwrap();
}
