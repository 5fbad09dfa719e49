//! The fields of a keystore upload, read from the query string and the
//! multipart form.

use actix_web::HttpRequest;

use super::super::multipart::Part;
use super::dialect::Failure;
use crate::domain::tenants::TenantId;
use crate::service::tenants::pki::{ALIAS, ALIAS_PASS, FILE, KEYSTORE_PASS, KeystoreUpload};

/// The upload's fields, from the query string or the form (either may name
/// a field, not both with different values).
pub(super) struct UploadForm {
    pub(super) upload: KeystoreUpload,
    pub(super) csrf: Option<String>,
}

const FORCE_TRUST: &str = "forceTrust";

impl UploadForm {
    pub(super) fn read(
        req: &HttpRequest,
        tenant: &TenantId,
        parts: Vec<Part>,
    ) -> Result<Self, Failure> {
        let csrf_part = tenant.csrf_header();
        let text_fields = [ALIAS, KEYSTORE_PASS, ALIAS_PASS, FORCE_TRUST];
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut set =
            |name: &str, value: String, from: &str| match fields.iter().find(|(n, _)| n == name) {
                Some((_, existing)) if *existing != value => Err(Failure::bad(format!(
                    "{name}: given twice with different values ({from} too)"
                ))),
                Some(_) => Ok(()),
                None => {
                    fields.push((name.to_owned(), value));
                    Ok(())
                }
            };
        let query: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
            .map_err(|e| Failure::bad(format!("query: {e}")))?;
        let mut seen_query = Vec::new();
        for (name, value) in query {
            if !text_fields.contains(&name.as_str()) {
                return Err(Failure::bad(format!(
                    "query: '{name}' is not a parameter of this call; expected {}",
                    text_fields.join(", ")
                )));
            }
            if seen_query.contains(&name) {
                return Err(Failure::bad(format!("{name}: given twice in the query")));
            }
            seen_query.push(name.clone());
            set(&name, value, "query")?;
        }
        let mut file = None;
        let mut csrf = None;
        let mut seen_parts: Vec<String> = Vec::new();
        for part in parts {
            if seen_parts.contains(&part.name) {
                return Err(Failure::bad(format!(
                    "{}: more than one form part of that name",
                    part.name
                )));
            }
            seen_parts.push(part.name.clone());
            match part.name.as_str() {
                "path" | FILE => {
                    if file.is_some() {
                        return Err(Failure::bad(format!(
                            "{FILE}: give the keystore once, as part 'path' or 'fileName', not both"
                        )));
                    }
                    file = Some(part.data);
                }
                name if name == csrf_part => {
                    csrf = Some(text(&part)?);
                }
                name if text_fields.contains(&name) => {
                    let value = text(&part)?;
                    set(name, value, "form")?;
                }
                other => {
                    return Err(Failure::bad(format!(
                        "form: part '{other}' is not a field of this call; expected path or fileName, {}, {csrf_part}",
                        text_fields.join(", ")
                    )));
                }
            }
        }
        let get = |name: &str| {
            fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        let file = file.ok_or_else(|| {
            Failure::bad(format!(
                "{FILE}: required: a form part named 'path' or 'fileName' holding the PKCS#12 or JKS file"
            ))
        })?;
        let alias = get(ALIAS).filter(|a| !a.is_empty()).ok_or_else(|| {
            Failure::bad(format!(
                "{ALIAS}: required (query or form): the keystore entry to use"
            ))
        })?;
        let force_trust = match get(FORCE_TRUST).as_deref().map(str::to_ascii_lowercase) {
            None => false,
            Some(v) if v == "true" => true,
            Some(v) if v == "false" => false,
            Some(v) => {
                return Err(Failure::bad(format!(
                    "{FORCE_TRUST}: must be true or false, got '{v}'"
                )));
            }
        };
        Ok(Self {
            upload: KeystoreUpload {
                file,
                alias,
                keystore_pass: get(KEYSTORE_PASS).unwrap_or_default(),
                alias_pass: get(ALIAS_PASS),
                force_trust,
            },
            csrf,
        })
    }
}

/// A text field's value, which must be UTF-8.
fn text(part: &Part) -> Result<String, Failure> {
    String::from_utf8(part.data.clone())
        .map_err(|_| Failure::bad(format!("{}: must be UTF-8 text", part.name)))
}
