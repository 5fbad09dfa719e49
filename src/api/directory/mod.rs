//! The directory face (Raidiam Connect): organisations, software statements,
//! their certificates and keys, and assertions. Errors are `{"errors": [..]}`.

mod authorisation_servers;
mod certificates;
mod error;
mod organisations;
pub(crate) mod request;
mod software_statements;
mod view;

use crate::api::routes::Routes;

pub use error::DirectoryError;

/// Routes under `/organisations`, in the order of the API document.
pub fn routes(r: &mut Routes) {
    use authorisation_servers as a;
    use certificates as c;
    use organisations as o;
    use software_statements as s;
    const SS: &str = "/{OrganisationId}/softwarestatements/{SoftwareStatementId}";
    const AS: &str = "/{OrganisationId}/authorisationservers/{AuthorisationServerId}";
    const SS_CERTS: &str =
        "/{OrganisationId}/softwarestatements/{SoftwareStatementId}/certificates";
    const SS_TYPE: &str = "/{OrganisationId}/softwarestatements/{SoftwareStatementId}/certificates/{SoftwareStatementCertificateOrKeyType}";
    const SS_KID: &str = "/{OrganisationId}/softwarestatements/{SoftwareStatementId}/certificates/{SoftwareStatementCertificateOrKeyType}/{CertificateOrKeyId}";
    r.get("", o::list, "List organisations (paged)")
        .post("", o::create, "Create an organisation")
        .get("/{OrganisationId}", o::get, "Read an organisation")
        .put("/{OrganisationId}", o::update, "Update an organisation")
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
        .post(
            "/{OrganisationId}/softwarestatements",
            s::create,
            "Create a software statement",
        )
        .get(SS, s::get, "Read a software statement")
        .put(SS, s::update, "Update a software statement")
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
        .delete(AS, a::delete, "Delete an authorisation server");
}
