//! The directory face (Raidiam Connect): organisations, software statements,
//! their certificates and keys, and assertions. Errors are `{"errors": [..]}`.

mod certificates;
mod error;
mod organisations;
mod request;
mod software_statements;
mod view;

use actix_web::web;

pub use error::DirectoryError;

/// Routes under `/organisations`, in the order of the API document.
pub fn routes(cfg: &mut web::ServiceConfig) {
    use certificates as c;
    use organisations as o;
    use software_statements as s;
    const SS: &str = "/{OrganisationId}/softwarestatements/{SoftwareStatementId}";
    cfg.route("", web::get().to(o::list))
        .route("", web::post().to(o::create))
        .route("/{OrganisationId}", web::get().to(o::get))
        .route("/{OrganisationId}", web::put().to(o::update))
        .route("/{OrganisationId}/certificates", web::get().to(c::list))
        .route("/{OrganisationId}/certificates", web::post().to(c::upload))
        .route(
            "/{OrganisationId}/certificates/kid/{CertificateOrKeyId}",
            web::get().to(c::get),
        )
        .route(
            "/{OrganisationId}/certificates/{OrganisationCertificateType}",
            web::get().to(c::list),
        )
        .route(
            "/{OrganisationId}/certificates/{OrganisationCertificateType}",
            web::post().to(c::upload),
        )
        .route(
            "/{OrganisationId}/softwarestatements",
            web::get().to(s::list),
        )
        .route(
            "/{OrganisationId}/softwarestatements",
            web::post().to(s::create),
        )
        .route(SS, web::get().to(s::get))
        .route(SS, web::put().to(s::update))
        .route(&format!("{SS}/assertion"), web::get().to(s::assertion))
        .route(&format!("{SS}/certificates"), web::get().to(c::list))
        .route(&format!("{SS}/certificates"), web::post().to(c::upload))
        .route(
            &format!("{SS}/certificates/{{SoftwareStatementCertificateOrKeyType}}"),
            web::get().to(c::list_page),
        )
        .route(
            &format!("{SS}/certificates/{{SoftwareStatementCertificateOrKeyType}}"),
            web::post().to(c::upload),
        )
        .route(
            &format!(
                "{SS}/certificates/{{SoftwareStatementCertificateOrKeyType}}/{{CertificateOrKeyId}}"
            ),
            web::get().to(c::get),
        )
        .route(
            &format!(
                "{SS}/certificates/{{SoftwareStatementCertificateOrKeyType}}/{{CertificateOrKeyId}}"
            ),
            web::put().to(c::revoke),
        );
}
