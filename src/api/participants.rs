//! `GET /participants`, the data host's public participants document:
//! unauthenticated, with a strong ETag, a 304 for an If-None-Match that
//! matches it, and a Cache-Control max-age.

use std::convert::Infallible;

use actix_web::body::{BoxBody, MessageBody, SizedStream};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, web};
use bytes::Bytes;
use futures_util::Stream;

use super::directory::DirectoryError;
use crate::api::auth::PlainConnection;
use crate::api::routes::Routes;
use crate::service::participants::ParticipantsDocument;

pub fn routes(r: &mut Routes) {
    r.get(
        "/participants",
        participants,
        "Every organisation with its authorisation servers, API resources and certifications (public)",
    );
}

async fn participants(
    req: HttpRequest,
    document: web::Data<ParticipantsDocument>,
) -> Result<HttpResponse, DirectoryError> {
    let rendered = document.current()?;
    let not_modified = matches(&req, &rendered.etag);
    let mut answer = match not_modified {
        true => HttpResponse::NotModified(),
        false => HttpResponse::Ok(),
    };
    answer
        .insert_header((ETAG, rendered.etag.clone()))
        .insert_header((
            CACHE_CONTROL,
            format!("max-age={}", document.max_age_seconds),
        ));
    Ok(match not_modified {
        true => answer.finish(),
        false => answer
            .content_type("application/json")
            .body(in_slices(rendered.body.clone())),
    })
}

/// How much of a large body goes to the connection at a time.
const SLICE_BYTES: usize = 64 * 1024;

/// `body` handed to the connection a slice at a time (slices share the
/// bytes, nothing is copied here). Handed whole, the connection's write
/// buffer grows to the document's size and is freed after each answer;
/// in slices it stays small and is reused.
fn in_slices(body: Bytes) -> SizedStream<impl Stream<Item = Result<Bytes, Infallible>>> {
    let len = body.len();
    let slices = (0..len)
        .step_by(SLICE_BYTES)
        .map(move |at| Ok::<_, Infallible>(body.slice(at..len.min(at + SLICE_BYTES))));
    SizedStream::new(len as u64, futures_util::stream::iter(slices))
}

/// On a plain listener kept for the participants document alone (TLS on,
/// `tls.plain` off), every other path but `/health` is refused.
pub async fn plain_listener_serves_them_alone(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let plain = req.conn_data::<PlainConnection>().is_some();
    if plain && !matches!(req.path(), "/participants" | "/health") {
        let refusal = DirectoryError::MisdirectedRequest(format!(
            "{} is served over https only; plain http serves /participants and /health",
            req.path()
        ));
        return Ok(req.error_response(refusal));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// Whether If-None-Match names `etag`, by RFC 9110's weak comparison: `*`,
/// or any listed tag whose opaque part is the same, `W/` or not.
fn matches(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get_all(IF_NONE_MATCH)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim())
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn if_none_match_compares_weakly_and_takes_a_list_or_a_star() {
        let etag = "\"abc\"";
        let with = |value: &str| {
            TestRequest::default()
                .insert_header((IF_NONE_MATCH, value))
                .to_http_request()
        };
        assert!(matches(&with("\"abc\""), etag));
        assert!(matches(&with("W/\"abc\""), etag));
        assert!(matches(&with("\"x\", \"abc\""), etag));
        assert!(matches(&with("*"), etag));
        assert!(!matches(&with("\"abcd\""), etag));
        assert!(!matches(&with("abc"), etag));
        assert!(!matches(&TestRequest::default().to_http_request(), etag));
    }
}
