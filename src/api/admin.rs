//! Administration routes: the audit events a harness can assert on, and
//! test control (reset, snapshot, restore); the RA's, the trust store's and
//! the tenants' admin routes are registered from here too. Admin token only.

use crate::api::routes::Routes;
use actix_web::{HttpResponse, web};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use super::audited::Audited;
use super::decode_json_object;
use super::directory::DirectoryError;
use crate::domain::Caller;
use crate::domain::fault_rules::{FaultRuleRequest, FaultRuleView};
use crate::domain::page::parse_limit;
use crate::service::directory::Directory;
use crate::service::ensure_admin;
use crate::service::events::{self, AuditLog};
use crate::service::fault_rules::FaultRules;
use crate::service::ra::Ra;
use crate::service::seed;
use crate::service::test_control::{self, SnapshotName, TestControl};

pub fn routes(r: &mut Routes) {
    r.get(
        "/admin/events",
        list_events,
        "Audit events (type, since, limit)",
    )
    .post(
        "/admin/reset",
        reset,
        "Empty the directory (keep the CA unless asked); ?seed=demo loads the demo again",
    )
    .post(
        "/admin/snapshot",
        snapshot,
        "Save the whole state under a name",
    )
    .get(
        "/admin/snapshots",
        list_snapshots,
        "The saved snapshot names",
    )
    .post("/admin/restore", restore, "Load a saved state")
    .post(
        "/admin/faults",
        set_fault_rule,
        "Set a fault rule: a status or delay for matching requests (the next N, by odds, until it expires)",
    )
    .accepts::<FaultRuleRequest>()
    .answers::<FaultRuleView>(201)
    .get(
        "/admin/faults",
        list_fault_rules,
        "The fault rules that can still fire, in order, with how often each fired",
    )
    .answers::<FaultRuleList>(200)
    .delete("/admin/faults", clear_fault_rules, "Remove every fault rule")
    .answers::<ClearedFaultRules>(200)
    .delete("/admin/faults/{id}", remove_fault_rule, "Remove one fault rule");
    super::ra_admin::routes(r);
    super::truststore::routes(r);
    super::tenants_admin::routes(r);
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ResetRequest {
    /// Also replace the CA with a new one.
    #[serde(default)]
    ca: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SnapshotRequest {
    name: String,
}

/// An optional JSON object body: empty means every default.
fn optional_body<T: serde::de::DeserializeOwned + Default>(
    body: &[u8],
) -> Result<T, DirectoryError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    decode_json_object(body).map_err(DirectoryError::from)
}

fn snapshot_name(body: &[u8]) -> Result<SnapshotName, DirectoryError> {
    let request: SnapshotRequest = decode_json_object(body).map_err(DirectoryError::from)?;
    Ok(SnapshotName::parse(&request.name)?)
}

/// POST /admin/reset?seed=demo {"ca": false}: empties organisations,
/// statements and certificates, keeping the CA unless `ca` is true; with
/// `seed=demo`, then creates the demo ecosystem `make run` starts with.
async fn reset(
    audited: Audited,
    body: web::Bytes,
    query: web::Query<HashMap<String, String>>,
    control: web::Data<TestControl>,
    directory: web::Data<Directory>,
    ra: web::Data<Ra>,
) -> Result<HttpResponse, DirectoryError> {
    ensure_admin(&audited.caller, "resetting the directory")?;
    let request: ResetRequest = optional_body(&body)?;
    let demo = match query.get("seed").map(String::as_str) {
        None => false,
        Some("demo") => true,
        Some(_) => {
            return Err(DirectoryError::BadRequest(vec![
                "seed: must be demo (the built-in demo ecosystem)".into(),
            ]));
        }
    };
    let work = async {
        let report = test_control::reset(&control, &audited.caller, request.ca).await?;
        let seeded = match demo {
            true => Some(seed::apply_demo(&directory, &ra).await?),
            false => None,
        };
        Ok((report, seeded))
    };
    let (report, seeded) = audited.record("ADMIN_RESET", work).await?;
    let mut answer =
        serde_json::json!({ "reset": true, "ca": request.ca, "records": report.records });
    if let Some(mut seeded) = seeded {
        // Shown in the log alone, as at start.
        seeded.client_secrets.clear();
        answer["seed"] = serde_json::json!({ "name": "demo", "created": seeded });
    }
    Ok(HttpResponse::Ok().json(answer))
}

/// POST /admin/snapshot {"name"}: saves the whole state under `name`.
async fn snapshot(
    audited: Audited,
    body: web::Bytes,
    control: web::Data<TestControl>,
) -> Result<HttpResponse, DirectoryError> {
    ensure_admin(&audited.caller, "taking a snapshot")?;
    let name = snapshot_name(&body)?;
    let work = test_control::snapshot(&control, &audited.caller, &name);
    let report = audited.record("ADMIN_SNAPSHOT", work).await?;
    Ok(HttpResponse::Created()
        .json(serde_json::json!({ "name": name.as_str(), "records": report.records })))
}

/// POST /admin/restore {"name"}: loads a saved state in place of this one.
async fn restore(
    audited: Audited,
    body: web::Bytes,
    control: web::Data<TestControl>,
) -> Result<HttpResponse, DirectoryError> {
    ensure_admin(&audited.caller, "restoring a snapshot")?;
    let name = snapshot_name(&body)?;
    let work = test_control::restore(&control, &audited.caller, &name);
    let report = audited.record("ADMIN_RESTORE", work).await?;
    Ok(HttpResponse::Ok()
        .json(serde_json::json!({ "name": name.as_str(), "records": report.records })))
}

/// GET /admin/snapshots: the names saved so far.
async fn list_snapshots(
    caller: Caller,
    control: web::Data<TestControl>,
) -> Result<HttpResponse, DirectoryError> {
    let names = test_control::snapshots(&control, &caller)?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "snapshots": names })))
}

/// GET /admin/events?type=&since=&limit= (admin token only).
async fn list_events(
    caller: Caller,
    query: web::Query<HashMap<String, String>>,
    audit_log: web::Data<AuditLog>,
) -> Result<HttpResponse, DirectoryError> {
    ensure_admin(&caller, "reading events")?;
    let since = query
        .get("since")
        .map(|s| chrono::DateTime::parse_from_rfc3339(s).map(|d| d.to_utc()))
        .transpose()
        .map_err(|_| {
            DirectoryError::BadRequest(vec!["since: must be an RFC 3339 date-time".into()])
        })?;
    let limit = parse_limit(query.get("limit").map(String::as_str))?;
    let events = events::list(
        &audit_log,
        query.get("type").map(String::as_str),
        since,
        limit,
    )?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "events": events })))
}

/// POST /admin/faults: sets a rule after the others; 201 with the rule.
async fn set_fault_rule(
    audited: Audited,
    body: web::Bytes,
    rules: web::Data<FaultRules>,
) -> Result<HttpResponse, DirectoryError> {
    ensure_admin(&audited.caller, "setting a fault rule")?;
    let request: FaultRuleRequest = decode_json_object(&body).map_err(DirectoryError::from)?;
    let work = rules.add(&audited.caller, request);
    let rule = audited.record("ADMIN_FAULT_RULE_SET", work).await?;
    Ok(HttpResponse::Created().json(rule))
}

/// The answer of GET /admin/faults.
#[derive(Serialize, JsonSchema)]
struct FaultRuleList {
    /// The rules that can still fire, in the order they apply.
    rules: Vec<FaultRuleView>,
}

/// The answer of DELETE /admin/faults.
#[derive(Serialize, JsonSchema)]
struct ClearedFaultRules {
    /// How many rules could still fire when they were removed.
    removed: usize,
}

/// GET /admin/faults: the rules that can still fire, in the order they apply.
async fn list_fault_rules(
    caller: Caller,
    rules: web::Data<FaultRules>,
) -> Result<HttpResponse, DirectoryError> {
    let rules = rules.list(&caller)?;
    Ok(HttpResponse::Ok().json(FaultRuleList { rules }))
}

/// DELETE /admin/faults: removes every rule.
async fn clear_fault_rules(
    audited: Audited,
    rules: web::Data<FaultRules>,
) -> Result<HttpResponse, DirectoryError> {
    ensure_admin(&audited.caller, "clearing the fault rules")?;
    let work = rules.clear(&audited.caller);
    let removed = audited.record("ADMIN_FAULT_RULES_CLEAR", work).await?;
    Ok(HttpResponse::Ok().json(ClearedFaultRules { removed }))
}

/// DELETE /admin/faults/{id}: removes one rule; 404 if none has the id.
async fn remove_fault_rule(
    audited: Audited,
    id: web::Path<String>,
    rules: web::Data<FaultRules>,
) -> Result<HttpResponse, DirectoryError> {
    ensure_admin(&audited.caller, "removing a fault rule")?;
    let work = rules.remove(&audited.caller, &id);
    audited.record("ADMIN_FAULT_RULE_REMOVE", work).await?;
    Ok(HttpResponse::NoContent().finish())
}
