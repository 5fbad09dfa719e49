//! One registration per route: the server mounts it and `/openapi.json`
//! lists it, so the document cannot drift from what is served.

use actix_web::{FromRequest, Handler, Responder, web};
use schemars::generate::{Contract, SchemaSettings};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value, json};

use crate::domain::face::Face;
use crate::domain::ids::{DIRECTORY_ID_FIELDS, directory_id_schema};

/// A route as the OpenAPI document lists it.
#[derive(Debug, Clone)]
pub struct DocumentedRoute {
    pub method: &'static str,
    /// The full path, with `{name}` parameters (regex constraints dropped).
    pub path: String,
    /// The full path as the router matches it, constraints kept.
    pub pattern: String,
    pub face: Face,
    pub summary: &'static str,
    /// The JSON body it takes, when the registration says.
    pub body: Option<Describe>,
    /// The answers the registration declares: status and JSON body.
    pub answers: Vec<(u16, Describe)>,
}

/// Writes a type's JSON Schema: how a route's body or answer is described,
/// from the type its handler reads or writes.
pub type Describe = fn(&mut SchemaGenerator) -> Schema;

fn describe<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// Where a face's `routes` function puts its routes: into actix, or into
/// the document.
pub struct Routes<'a> {
    target: Target<'a>,
    /// The scope the face is mounted under, for the document's full paths.
    prefix: String,
    face: Face,
}

enum Target<'a> {
    Serve(&'a mut web::ServiceConfig),
    Document(&'a mut Vec<DocumentedRoute>),
}

macro_rules! method {
    ($name:ident, $builder:path, $verb:literal) => {
        pub fn $name<F, Args>(&mut self, path: &str, handler: F, summary: &'static str) -> &mut Self
        where
            F: Handler<Args>,
            Args: FromRequest + 'static,
            F::Output: Responder + 'static,
        {
            match &mut self.target {
                Target::Serve(cfg) => {
                    cfg.route(path, $builder().to(handler));
                }
                Target::Document(routes) => routes.push(DocumentedRoute {
                    method: $verb,
                    path: template(&format!("{}{path}", self.prefix)),
                    pattern: format!("{}{path}", self.prefix),
                    face: self.face,
                    summary,
                    body: None,
                    answers: Vec::new(),
                }),
            }
            self
        }
    };
}

impl<'a> Routes<'a> {
    pub fn serve(cfg: &'a mut web::ServiceConfig, face: Face) -> Self {
        Routes {
            target: Target::Serve(cfg),
            prefix: String::new(),
            face,
        }
    }

    pub fn document(routes: &'a mut Vec<DocumentedRoute>, prefix: &str, face: Face) -> Self {
        Routes {
            target: Target::Document(routes),
            prefix: prefix.to_owned(),
            face,
        }
    }

    /// Registers `register`'s routes under `path`.
    pub fn scope(&mut self, path: &str, register: impl FnOnce(&mut Routes)) -> &mut Self {
        let face = self.face;
        match &mut self.target {
            Target::Serve(cfg) => {
                cfg.service(
                    web::scope(path).configure(|cfg| register(&mut Routes::serve(cfg, face))),
                );
            }
            Target::Document(routes) => {
                register(&mut Routes::document(
                    routes,
                    &format!("{}{path}", self.prefix),
                    face,
                ));
            }
        }
        self
    }

    /// The route registered last takes a JSON body of `T`.
    pub fn accepts<T: JsonSchema>(&mut self) -> &mut Self {
        if let Target::Document(routes) = &mut self.target
            && let Some(route) = routes.last_mut()
        {
            route.body = Some(describe::<T>);
        }
        self
    }

    /// The route registered last answers `status` with a JSON `T`.
    pub fn answers<T: JsonSchema>(&mut self, status: u16) -> &mut Self {
        if let Target::Document(routes) = &mut self.target
            && let Some(route) = routes.last_mut()
        {
            route.answers.push((status, describe::<T>));
        }
        self
    }

    method!(get, web::get, "get");
    method!(post, web::post, "post");
    method!(put, web::put, "put");
    method!(delete, web::delete, "delete");
}

/// `{name:regex}` becomes `{name}`; an empty path is the scope's root.
fn template(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        let inner = &rest[open + 1..close];
        out.push('{');
        out.push_str(inner.split(':').next().unwrap_or(inner));
        out.push('}');
        rest = rest.get(close + 1..).unwrap_or("");
    }
    out.push_str(rest);
    if out.is_empty() { "/".to_owned() } else { out }
}

/// A path parameter's schema: a directory id's rule where the name is one.
fn parameter_schema(name: &str) -> Value {
    if DIRECTORY_ID_FIELDS.contains(&name) {
        directory_id_schema().to_value()
    } else {
        json!({"type": "string"})
    }
}

/// How a route's callers prove who they are, as `components.securitySchemes`
/// names them; an empty list: no credentials needed.
fn security(route: &DocumentedRoute) -> Value {
    // Where a session starts, none is needed yet.
    let starts_session = route.method == "post"
        && matches!(route.face, Face::Ra | Face::Tenants)
        && (route.path.ends_with("/login") || route.path.contains("/jwt/"));
    if starts_session {
        return json!([]);
    }
    match route.face {
        Face::Directory => {
            json!([{"bearer": []}, {"oauth2": []}, {"mutualTLS": [], "oauth2": []}])
        }
        Face::Ecosystem | Face::Admin => json!([{"bearer": []}]),
        Face::Ra => json!([{"raSession": []}]),
        Face::Tenants => json!([{"tenantsCookie": []}]),
        Face::Keystore | Face::Data | Face::Revocation | Face::OAuth | Face::Root => json!([]),
    }
}

fn security_schemes(server: &str) -> Value {
    json!({
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "The admin token (the data dir's admin-token file), or an access token from /token."
        },
        "oauth2": {
            "type": "oauth2",
            "description": "Client credentials at /token, the client authenticated by private_key_jwt (or client_secret_basic when oauth.client_secret_basic is on, or tls_client_auth over mutual TLS).",
            "flows": {"clientCredentials": {"tokenUrl": format!("{}/token", server.trim_end_matches('/')), "scopes": {}}}
        },
        "mutualTLS": {
            "type": "mutualTLS",
            "description": "A client certificate on the TLS listener (tls.client_auth): it binds the access token (RFC 8705)."
        },
        "raSession": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "An RA operator's session JWT from POST /v2/jwt/{userName}."
        },
        "tenantsCookie": {
            "type": "apiKey",
            "in": "cookie",
            "name": "AtmoAuthToken_{FedmemberID}",
            "description": "The session cookie POST /api/login sets, named after the tenant."
        }
    })
}

/// A generator of self-contained schemas (no `$ref` into `$defs`) of what
/// is read (`Contract::Deserialize`) or written (`Contract::Serialize`).
fn generator(contract: Contract) -> SchemaGenerator {
    SchemaSettings::draft2020_12()
        .with(|settings| {
            settings.inline_subschemas = true;
            settings.meta_schema = None;
            settings.contract = contract;
        })
        .into_generator()
}

/// An OpenAPI 3.1 document of `routes`, served at `server`.
pub fn openapi(routes: &[DocumentedRoute], server: &str) -> Value {
    let mut reads = generator(Contract::Deserialize);
    let mut writes = generator(Contract::Serialize);
    let mut paths = Map::new();
    for route in routes {
        let parameters: Vec<Value> = route
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": parameter_schema(name)}))
            .collect();
        let mut responses = Map::new();
        for (status, describe) in &route.answers {
            responses.insert(
                status.to_string(),
                json!({"description": route.summary, "content": {"application/json": {"schema": describe(&mut writes)}}}),
            );
        }
        responses.insert(
            "default".into(),
            json!({"description": "the face's answer or its error shape"}),
        );
        let item = paths.entry(route.path.clone()).or_insert_with(|| json!({}));
        item[route.method] = json!({
            "summary": route.summary,
            "tags": [route.face.name()],
            "operationId": format!("{}{}", route.method, route.path.replace(['/', '{', '}', '.', '-'], "_")),
            "parameters": parameters,
            "security": security(route),
            "responses": responses,
        });
        if let Some(describe) = route.body {
            item[route.method]["requestBody"] = json!({
                "required": true,
                "content": {"application/json": {"schema": describe(&mut reads)}},
            });
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "obdir",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "An Open Banking directory emulator: directory, keystore, OAuth, ecosystem CA, revocation, admin and console faces.",
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {"securitySchemes": security_schemes(server)},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_constraints_leave_the_template() {
        assert_eq!(template("/ocsp/{request:.*}"), "/ocsp/{request}");
        assert_eq!(template("/organisations"), "/organisations");
        assert_eq!(template(""), "/");
        assert_eq!(template("/{a}/x/{b:\\d+}"), "/{a}/x/{b}");
    }
}
