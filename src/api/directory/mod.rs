//! The directory face (Raidiam Connect): organisations, software statements
//! and their certificates and keys. Errors are `{"errors": [..]}`.

mod certificates;
mod error;
mod organisations;
mod request;

use actix_web::web;

pub use error::DirectoryError;

/// Routes under `/organisations`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    use certificates::upload;
    use organisations::*;
    cfg.route("", web::post().to(create_organisation))
        .route("/{OrganisationId}", web::get().to(get_organisation))
        .route(
            "/{OrganisationId}/softwarestatements",
            web::post().to(create_software_statement),
        )
        .route(
            "/{OrganisationId}/softwarestatements/{SoftwareStatementId}",
            web::get().to(get_software_statement),
        )
        .route(
            "/{OrganisationId}/softwarestatements/{SoftwareStatementId}/certificates",
            web::post().to(upload),
        )
        .route(
            "/{OrganisationId}/softwarestatements/{SoftwareStatementId}/certificates/{SoftwareStatementCertificateOrKeyType}",
            web::post().to(upload),
        );
}
