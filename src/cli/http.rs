//! A blocking HTTP client for the directory that turns error answers into
//! `CliError::Refused` carrying the server's own message.

use std::time::Duration;

use serde_json::Value;
use ureq::Agent;
use ureq::http::{Response, StatusCode};

use super::error::CliError;

pub struct Client {
    agent: Agent,
    token: Option<String>,
}

impl Client {
    pub fn new(token: Option<String>) -> Self {
        let agent = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        Self { agent, token }
    }

    pub fn get(&self, url: &str) -> Result<String, CliError> {
        let mut request = self.agent.get(url);
        if let Some(token) = &self.token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        answer(url, request.call(), self.token.is_some())
    }

    pub fn post(&self, url: &str, content_type: &str, body: &str) -> Result<String, CliError> {
        let mut request = self.agent.post(url).header("Content-Type", content_type);
        if let Some(token) = &self.token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        answer(url, request.send(body), self.token.is_some())
    }

    pub fn post_form(&self, url: &str, form: &[(&str, &str)]) -> Result<String, CliError> {
        let sent = self.agent.post(url).send_form(form.iter().copied());
        answer(url, sent, self.token.is_some())
    }
}

/// The body of a 2xx answer; any other status is the server refusing.
fn answer(
    url: &str,
    sent: Result<Response<ureq::Body>, ureq::Error>,
    had_token: bool,
) -> Result<String, CliError> {
    let unreachable = |e: ureq::Error| CliError::Unreachable {
        url: url.to_owned(),
        reason: e.to_string(),
    };
    let mut response = sent.map_err(unreachable)?;
    let status = response.status();
    let body = response.body_mut().read_to_string().map_err(unreachable)?;
    if status.is_success() {
        return Ok(body);
    }
    Err(CliError::Refused {
        status: status_line(status),
        message: refusal(status, &body, had_token),
    })
}

fn status_line(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

/// The message in an error body, in whichever face's dialect it came:
/// directory `{"errors"}`, OAuth `{"error", "error_description"}`,
/// ecosystem `{"message"}`, or plain text.
fn refusal(status: StatusCode, body: &str, had_token: bool) -> String {
    let json: Option<Value> = serde_json::from_str(body).ok();
    let text = |name: &str| json.as_ref()?.get(name)?.as_str().map(str::to_owned);
    if let Some(Value::Array(errors)) = json.as_ref().and_then(|j| j.get("errors")) {
        let errors: Vec<&str> = errors.iter().filter_map(Value::as_str).collect();
        return errors.join("; ");
    }
    if let (Some(code), Some(description)) = (text("error"), text("error_description")) {
        return format!("{code}: {description}");
    }
    if let Some(message) = text("message") {
        return message;
    }
    match body.trim() {
        "" if status == StatusCode::UNAUTHORIZED && had_token => "the token was not accepted".into(),
        "" if status == StatusCode::UNAUTHORIZED => {
            "a token is needed: give --token, set OBDIR_TOKEN, or point --data-dir at the server's data dir".into()
        }
        "" => "the server gave no reason".into(),
        text => text.to_owned(),
    }
}

/// A JSON answer, or a refusal saying the server sent something else.
pub fn json(url: &str, body: &str) -> Result<Value, CliError> {
    serde_json::from_str(body).map_err(|e| CliError::Refused {
        status: format!("unexpected answer from {url}"),
        message: format!("not JSON ({e})"),
    })
}

pub use obdir::domain::urls::segment;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_read_every_dialect() {
        let bad = StatusCode::BAD_REQUEST;
        assert_eq!(
            refusal(bad, r#"{"errors":["CN: is 'a'","OU: is missing"]}"#, true),
            "CN: is 'a'; OU: is missing"
        );
        assert_eq!(
            refusal(
                StatusCode::UNAUTHORIZED,
                r#"{"error":"invalid_client","error_description":"kid 'x' is unknown"}"#,
                false
            ),
            "invalid_client: kid 'x' is unknown"
        );
        assert_eq!(refusal(bad, r#"{"code":"x","message":"no"}"#, true), "no");
        assert!(refusal(StatusCode::UNAUTHORIZED, "", false).contains("--token"));
        assert_eq!(status_line(StatusCode::NOT_FOUND), "404 Not Found");
    }

    #[test]
    fn segments_escape_what_a_path_cannot_hold() {
        assert_eq!(segment("ss 1/x"), "ss%201%2Fx");
        assert_eq!(segment("c8f0bf49-4744"), "c8f0bf49-4744");
    }
}
