//! The directory face (Raidiam Connect): organisations, software statements,
//! their certificates and keys, and assertions. Errors are `{"errors": [..]}`.

mod api_resources;
mod authorisation_servers;
mod authority_claims;
mod certificates;
mod contacts;
mod domain_users;
mod error;
mod organisations;
mod references;
pub(crate) mod request;
mod server_certifications;
mod software_statements;
mod statement_certifications;
mod view;

use crate::api::routes::Routes;
use crate::domain::Organisation;
use crate::domain::SoftwareStatement;
use crate::domain::organisation::{
    OrganisationRequest, OrganisationWithTnc, SoftwareStatementRequest,
};

pub use error::DirectoryError;

/// The directory's routes: `/organisations` and `/references`.
pub fn routes(r: &mut Routes) {
    r.scope("/organisations", |r| {
        organisation_routes(r);
        authority_claims::routes(r);
        contacts::routes(r);
        statement_certifications::routes(r);
        domain_users::routes(r);
    })
    .scope("/references", references::routes);
}

/// Routes under `/organisations`, in the order of the API document.
fn organisation_routes(r: &mut Routes) {
    use api_resources as r;
    use authorisation_servers as a;
    use certificates as c;
    use organisations as o;
    use server_certifications as sc;
    use software_statements as s;
    const SS: &str = "/{OrganisationId}/softwarestatements/{SoftwareStatementId}";
    const AS: &str = "/{OrganisationId}/authorisationservers/{AuthorisationServerId}";
    const RES: &str = "/{OrganisationId}/authorisationservers/{AuthorisationServerId}/apiresources/{ApiResourceId}";
    const ENDPOINT: &str = "/{OrganisationId}/authorisationservers/{AuthorisationServerId}/apiresources/{ApiResourceId}/apidiscoveryendpoints/{ApiDiscoveryEndpointId}";
    const CERT: &str = "/{OrganisationId}/authorisationservers/{AuthorisationServerId}/certifications/{AuthorisationServerCertificationId}";
    const SS_CERTS: &str =
        "/{OrganisationId}/softwarestatements/{SoftwareStatementId}/certificates";
    const SS_TYPE: &str = "/{OrganisationId}/softwarestatements/{SoftwareStatementId}/certificates/{SoftwareStatementCertificateOrKeyType}";
    const SS_KID: &str = "/{OrganisationId}/softwarestatements/{SoftwareStatementId}/certificates/{SoftwareStatementCertificateOrKeyType}/{CertificateOrKeyId}";
    r.get("", o::list, "List organisations (paged)")
        .post("", o::create, "Create an organisation")
        .accepts::<OrganisationRequest>()
        .answers::<Organisation>(201)
        .get("/{OrganisationId}", o::get, "Read an organisation")
        .answers::<OrganisationWithTnc>(200)
        .put("/{OrganisationId}", o::update, "Update an organisation")
        .accepts::<OrganisationRequest>()
        .answers::<Organisation>(200)
        .get(
            "/{OrganisationId}/tnchistory",
            o::tnc_history,
            "The terms and conditions the organisation accepted (paged)",
        )
        .get(
            "/{OrganisationId}/certificates",
            c::list,
            "List the organisation's certificates and keys",
        )
        .post(
            "/{OrganisationId}/certificates",
            c::upload,
            "Upload an organisation certificate, CSR or key (rtsseal)",
        )
        .get(
            "/{OrganisationId}/certificates/kid/{CertificateOrKeyId}",
            c::get,
            "Read an organisation certificate or key by kid",
        )
        .get(
            "/{OrganisationId}/certificates/{OrganisationCertificateType}",
            c::list,
            "List the organisation's certificates of a type",
        )
        .post(
            "/{OrganisationId}/certificates/{OrganisationCertificateType}",
            c::upload,
            "Upload an organisation certificate, CSR or key of a type",
        )
        .get(
            "/{OrganisationId}/softwarestatements",
            s::list,
            "List the organisation's software statements",
        )
        .answers::<Vec<SoftwareStatement>>(200)
        .post(
            "/{OrganisationId}/softwarestatements",
            s::create,
            "Create a software statement",
        )
        .accepts::<SoftwareStatementRequest>()
        .answers::<s::CreatedStatement>(201)
        .get(SS, s::get, "Read a software statement")
        .answers::<SoftwareStatement>(200)
        .put(SS, s::update, "Update a software statement")
        .get(
            &format!("{SS}/metadata"),
            s::metadata,
            "The metadata (scopes) of the roles a statement holds",
        )
        .put(
            &format!("{SS}/unlock"),
            s::unlock,
            "Unlock a software statement an assertion locked",
        )
        .get(
            &format!("{SS}/assertion"),
            s::assertion,
            "Issue a software statement assertion (SSA)",
        )
        .get(
            SS_CERTS,
            c::list,
            "List the statement's certificates and keys",
        )
        .post(
            SS_CERTS,
            c::upload,
            "Upload a statement CSR, certificate or key (rtssigning)",
        )
        .get(
            SS_TYPE,
            c::list_page,
            "List the statement's certificates of a type (paged)",
        )
        .post(
            SS_TYPE,
            c::upload,
            "Upload a statement CSR, certificate or key of a type",
        )
        .get(SS_KID, c::get, "Read a statement certificate or key")
        .put(
            SS_KID,
            c::revoke,
            "Revoke a statement certificate or key (RevokeReason)",
        )
        .get(
            "/{OrganisationId}/authorisationservers",
            a::list,
            "List the organisation's authorisation servers",
        )
        .post(
            "/{OrganisationId}/authorisationservers",
            a::create,
            "Publish an authorisation server",
        )
        .get(AS, a::get, "Read an authorisation server")
        .put(AS, a::update, "Replace an authorisation server's fields")
        .delete(AS, a::delete, "Delete an authorisation server")
        .get(
            &format!("{AS}/apiresources"),
            r::list,
            "List the server's API resources",
        )
        .post(
            &format!("{AS}/apiresources"),
            r::create,
            "Publish an API resource",
        )
        .get(RES, r::get, "Read an API resource")
        .put(RES, r::update, "Replace an API resource's fields")
        .delete(
            RES,
            r::delete,
            "Delete an API resource and its discovery endpoints",
        )
        .get(
            &format!("{RES}/apidiscoveryendpoints"),
            r::endpoints,
            "List the resource's discovery endpoints",
        )
        .post(
            &format!("{RES}/apidiscoveryendpoints"),
            r::create_endpoint,
            "Add a discovery endpoint",
        )
        .get(ENDPOINT, r::endpoint, "Read a discovery endpoint")
        .put(
            ENDPOINT,
            r::update_endpoint,
            "Replace a discovery endpoint's URL",
        )
        .delete(ENDPOINT, r::delete_endpoint, "Delete a discovery endpoint")
        .get(
            &format!("{AS}/certifications"),
            sc::list,
            "List the server's certifications",
        )
        .post(
            &format!("{AS}/certifications"),
            sc::create,
            "Add a certification",
        )
        .get(CERT, sc::get, "Read a certification")
        .put(CERT, sc::update, "Replace a certification's fields")
        .delete(CERT, sc::delete, "Delete a certification")
        .get(
            &format!("{AS}/familystatus"),
            r::family_status,
            "The latest version of each API family the server offers",
        );
}
