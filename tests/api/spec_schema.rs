//! Holds a JSON value to a schema of the directory's OpenAPI document, as
//! copied into `fixtures/spec/schemas.json`: types, enums,
//! lengths, patterns, `date` and `uri` formats, required properties, through
//! `$ref`s and `allOf`. A null stands for an unset field (the participants
//! document writes every key), so it passes any property's schema. And holds
//! a whole answer to the responses its operation lists
//! (`fixtures/spec/responses.json`): status, media type and body.

use std::sync::LazyLock;

use serde_json::Value;

/// Members whose maxLength in the spec no real value fits: a JWK's `n` and
/// each `x5c` certificate are limited to 255 characters, where a 2048-bit
/// modulus alone is 342 (docs/fidelity.md lists this).
const UNFITTABLE_LIMITS: &[&str] = &["n", "x5c"];

/// The member name a JSON path ends in, its indexes dropped: `$[0].x5c[1]` is `x5c`.
fn member(at: &str) -> &str {
    let name = at.rsplit('.').next().unwrap_or(at);
    name.split('[').next().unwrap_or(name)
}

pub struct Spec {
    schemas: serde_json::Map<String, Value>,
    /// `METHOD /path` -> status -> media type -> schema.
    responses: serde_json::Map<String, Value>,
}

static DIRECTORY: LazyLock<Spec> = LazyLock::new(|| {
    let read = |name: &str| -> Value {
        let path = format!("{}/fixtures/spec/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    Spec {
        schemas: read("schemas.json")["schemas"].as_object().unwrap().clone(),
        responses: read("responses.json")["operations"]
            .as_object()
            .unwrap()
            .clone(),
    }
});

impl Spec {
    pub fn directory() -> &'static Spec {
        &DIRECTORY
    }

    /// The operation `method path` is an instance of, when the spec has one:
    /// the template whose literal segments match most of the path's.
    fn operation(&self, method: &str, path: &str) -> Option<(&str, &Value)> {
        let path = path.split('?').next().unwrap_or(path);
        let segments: Vec<&str> = path.split('/').collect();
        self.responses
            .iter()
            .filter_map(|(operation, answers)| {
                let (verb, template) = operation.split_once(' ')?;
                let parts: Vec<&str> = template.split('/').collect();
                if verb != method || parts.len() != segments.len() {
                    return None;
                }
                let mut literal = 0;
                for (part, segment) in parts.iter().zip(&segments) {
                    if part.starts_with('{') {
                        continue;
                    }
                    if part != segment {
                        return None;
                    }
                    literal += 1;
                }
                Some((literal, operation.as_str(), answers))
            })
            .max_by_key(|(literal, _, _)| *literal)
            .map(|(_, operation, answers)| (operation, answers))
    }

    /// How an answer to `method path` breaks what the spec lists for its
    /// operation: a success status it does not list, another media type, or
    /// a JSON body off its schema. None when the spec has no such operation.
    /// Error statuses it does not list (405, 409, 415, ...) are obdir's own.
    pub fn response_problems(
        &self,
        method: &str,
        path: &str,
        status: u16,
        content_type: &str,
        body: &[u8],
    ) -> Option<Vec<String>> {
        let (operation, answers) = self.operation(method, path)?;
        let Some(media_types) = answers.get(status.to_string()) else {
            return Some(if (200..300).contains(&status) {
                vec![format!("{status} is not a response of {operation}")]
            } else {
                Vec::new()
            });
        };
        let media_types = media_types.as_object().unwrap();
        if media_types.is_empty() {
            return Some(Vec::new());
        }
        let media = content_type.split(';').next().unwrap_or("").trim();
        let Some(schema) = media_types.get(media) else {
            let listed: Vec<&String> = media_types.keys().collect();
            return Some(vec![format!(
                "{operation} {status} answers {listed:?}, not '{media}'"
            )]);
        };
        if !media.ends_with("json") {
            return Some(Vec::new());
        }
        let value: Value = match serde_json::from_slice(body) {
            Ok(value) => value,
            Err(e) => return Some(vec![format!("{operation} {status}: body is not JSON: {e}")]),
        };
        let mut problems = Vec::new();
        self.check(schema, &value, "$", &mut problems);
        Some(
            problems
                .into_iter()
                .map(|p| format!("{operation} {status}: {p}"))
                .collect(),
        )
    }

    /// Every way `value` breaks the schema `name`, each with its JSON path.
    pub fn problems(&self, name: &str, value: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        self.check(&self.schemas[name], value, "$", &mut problems);
        problems
    }

    fn check(&self, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
        if let Some(reference) = schema["$ref"].as_str() {
            let name = reference.rsplit('/').next().unwrap();
            let target = self
                .schemas
                .get(name)
                .unwrap_or_else(|| panic!("no schema {name}"));
            return self.check(target, value, at, problems);
        }
        for part in schema["allOf"].as_array().into_iter().flatten() {
            self.check(part, value, at, problems);
        }
        if value.is_null() {
            return;
        }
        let mut problem = |what: String| problems.push(format!("{at}: {what}"));
        let type_ok = match schema["type"].as_str() {
            Some("string") => value.is_string(),
            Some("boolean") => value.is_boolean(),
            Some("number") => value.is_number(),
            Some("integer") => value.is_i64() || value.is_u64(),
            Some("array") => value.is_array(),
            Some("object") => value.is_object(),
            _ => true,
        };
        if !type_ok {
            return problem(format!("is not a {}: {value}", schema["type"]));
        }
        if let Some(allowed) = schema["enum"].as_array()
            && !allowed.contains(value)
        {
            problem(format!(
                "{value} is not one of {}",
                Value::Array(allowed.clone())
            ));
        }
        if let Some(text) = value.as_str() {
            let chars = text.chars().count() as u64;
            if schema["maxLength"].as_u64().is_some_and(|max| chars > max)
                && !UNFITTABLE_LIMITS.contains(&member(at))
            {
                problem(format!("longer than {}", schema["maxLength"]));
            }
            if schema["minLength"].as_u64().is_some_and(|min| chars < min) {
                problem(format!("shorter than {}", schema["minLength"]));
            }
            if let Some(pattern) = schema["pattern"].as_str() {
                let regex = regex::Regex::new(&pattern.replace("\\/", "/")).unwrap();
                if !regex.is_match(text) {
                    problem(format!("'{text}' does not match {pattern}"));
                }
            }
            match schema["format"].as_str() {
                Some("date") if chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_err() => {
                    problem(format!("'{text}' is not a date"))
                }
                Some("uri") if !text.starts_with("https://") && !text.starts_with("http://") => {
                    problem(format!("'{text}' is not a URI"))
                }
                _ => {}
            }
        }
        if let Some(items) = value.as_array() {
            for (i, item) in items.iter().enumerate() {
                self.check(&schema["items"], item, &format!("{at}[{i}]"), problems);
            }
        }
        if let Some(object) = value.as_object() {
            for required in schema["required"].as_array().into_iter().flatten() {
                let name = required.as_str().unwrap();
                if !object.contains_key(name) {
                    problems.push(format!("{at}: lacks {name}"));
                }
            }
            if let Some(properties) = schema["properties"].as_object() {
                for (name, property) in properties {
                    if let Some(field) = object.get(name) {
                        self.check(property, field, &format!("{at}.{name}"), problems);
                    }
                }
            }
        }
    }

    /// The properties the schema `name` lists.
    pub fn properties(&self, name: &str) -> Vec<String> {
        self.schemas[name]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    }
}

#[test]
fn an_answer_off_its_operations_responses_is_named() {
    let spec = Spec::directory();
    let statement = "/organisations/o1/softwarestatements/s1";
    let json = "application/json";
    let good = br#"{"ClientName": "App", "Mode": "Live", "Status": "Active"}"#;
    assert_eq!(
        spec.response_problems("GET", statement, 200, json, good),
        Some(vec![])
    );
    let bad = br#"{"ClientName": 7, "Mode": "Sandbox"}"#;
    let problems = spec
        .response_problems("GET", statement, 200, json, bad)
        .unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("$.ClientName: is not a \"string\"")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("$.Mode: \"Sandbox\" is not one of")),
        "{problems:?}"
    );
    let problems = spec
        .response_problems("GET", statement, 201, json, good)
        .unwrap();
    assert!(
        problems[0].contains("201 is not a response of GET"),
        "{problems:?}"
    );
    let problems = spec
        .response_problems("GET", statement, 200, "application/xml", good)
        .unwrap();
    assert!(
        problems[0].contains("not 'application/xml'"),
        "{problems:?}"
    );
    // obdir's own error statuses, and paths the spec does not have, pass.
    assert_eq!(
        spec.response_problems("GET", statement, 409, json, b"{}"),
        Some(vec![])
    );
    assert_eq!(
        spec.response_problems("GET", "/health", 200, json, b"{}"),
        None
    );
    // A literal segment wins over a parameter: contacts, not a domain's users.
    let contacts = spec.response_problems("GET", "/organisations/o1/contacts", 200, json, b"[]");
    assert!(contacts.unwrap()[0].contains("is not a \"object\""));
}
