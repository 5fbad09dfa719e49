//! Holds a JSON value to a schema of the directory's OpenAPI document, as
//! copied into `fixtures/spec/schemas.json`: types, enums,
//! lengths, patterns, `date` and `uri` formats, required properties, through
//! `$ref`s. A null stands for an unset field (the participants document
//! writes every key), so it passes any property's schema.

use serde_json::Value;

pub struct Spec {
    schemas: serde_json::Map<String, Value>,
}

impl Spec {
    pub fn directory() -> Spec {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/spec/schemas.json");
        let document: Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        Spec {
            schemas: document["schemas"].as_object().unwrap().clone(),
        }
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
            if schema["maxLength"].as_u64().is_some_and(|max| chars > max) {
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
