//! The rules a request body's fields are held to, each broken rule
//! collected, so one answer names every field that is wrong.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::DomainError;

/// The members of a body that `T` cannot read, each read alone so the one of
/// the wrong type is named (every member of a request type is optional),
/// with serde's words but not its position, which names no place in a body.
pub(crate) fn mistyped_members<T: DeserializeOwned>(
    body: &Map<String, Value>,
) -> impl Iterator<Item = (&String, String)> {
    body.iter().filter_map(|(name, value)| {
        let alone = Map::from_iter([(name.clone(), value.clone())]);
        let error = serde_json::from_value::<T>(Value::Object(alone)).err()?;
        let message = error.to_string();
        let words = message.split(" at line ").next().unwrap_or(&message);
        Some((name, words.to_owned()))
    })
}

/// Collects every broken rule of a request, so one answer lists them all.
#[derive(Default)]
pub(crate) struct Rules(Vec<DomainError>);

impl Rules {
    /// A broken rule no helper here checks.
    pub(crate) fn broken(&mut self, error: DomainError) {
        self.0.push(error);
    }

    /// An optional text field: when given, its length in characters must be in range.
    pub(crate) fn text(
        &mut self,
        field: &str,
        value: Option<String>,
        min: usize,
        max: usize,
    ) -> Option<String> {
        let value = value?;
        let len = value.chars().count();
        if len < min || len > max {
            self.0.push(DomainError::field(
                field,
                format!("must be {min} to {max} characters, got {len}"),
            ));
        }
        Some(value)
    }

    /// A field that must be given: `missing` (the spec's x-required-message)
    /// when it is not.
    pub(crate) fn present<T>(&mut self, field: &str, value: Option<T>, missing: &str) -> Option<T> {
        if value.is_none() {
            self.0.push(DomainError::field(field, missing));
        }
        value
    }

    /// A required text field, its length in characters in range.
    pub(crate) fn required(
        &mut self,
        field: &str,
        value: Option<String>,
        min: usize,
        max: usize,
    ) -> String {
        let value = self.present(field, value, &format!("{field} must be provided"));
        self.text(field, value, min, max).unwrap_or_default()
    }

    pub(crate) fn one_of(
        &mut self,
        field: &str,
        value: Option<String>,
        allowed: &[&str],
    ) -> String {
        let value = value.unwrap_or_else(|| allowed[0].to_owned());
        if !allowed.contains(&value.as_str()) {
            self.0.push(DomainError::field(
                field,
                format!("must be one of {}, got '{value}'", allowed.join(", ")),
            ));
        }
        value
    }

    pub(crate) fn uri(
        &mut self,
        field: &str,
        value: Option<String>,
        schemes: &[&str],
    ) -> Option<String> {
        self.uri_of_length(field, value, schemes, 255)
    }

    /// An https URI of at most `max` characters.
    pub(crate) fn https_uri(
        &mut self,
        field: &str,
        value: Option<String>,
        max: usize,
    ) -> Option<String> {
        self.uri_of_length(field, value, &["https://"], max)
    }

    fn uri_of_length(
        &mut self,
        field: &str,
        value: Option<String>,
        schemes: &[&str],
        max: usize,
    ) -> Option<String> {
        let value = self.text(field, value, 1, max)?;
        if !schemes.iter().any(|s| value.starts_with(s)) {
            self.0.push(DomainError::field(
                field,
                format!("must be a URI starting with {}", schemes.join(" or ")),
            ));
        }
        Some(value)
    }

    pub(crate) fn id<T>(&mut self, parsed: Result<T, DomainError>) -> Option<T> {
        parsed.map_err(|e| self.0.push(e)).ok()
    }

    pub(crate) fn finish<T>(self, value: Option<T>) -> Result<T, Vec<DomainError>> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ => Err(self.0),
        }
    }
}
