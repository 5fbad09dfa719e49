//! `/organisations/{OrganisationId}/authorityclaims` (with each claim's
//! `authorisations`), `/authoritydomainclaims`, and a statement's
//! `authorityclaims`: what a regulator licensed an organisation for, and
//! the roles its software claims. Each write is audited.

use actix_web::{HttpRequest, HttpResponse, web};

use super::DirectoryError;
use super::request::{Ids, JsonBody, page_request};
use super::view::PageView;
use crate::api::audited::Audited;
use crate::api::routes::Routes;
use crate::domain::Caller;
use crate::domain::authority_claim::{
    AuthorisationRequest, AuthorityClaimRequest, DomainClaimRequest, SoftwareClaimRequest,
};
use crate::service::authority_claims::{self as claims, AuthorisationChange};
use crate::service::directory::Directory;

const CLAIM_EVENT: &str = "DIRECTORY_AUTHORITY_CLAIM";
const AUTHORISATION_EVENT: &str = "DIRECTORY_AUTHORITY_CLAIM_AUTHORISATION";
const DOMAIN_EVENT: &str = "DIRECTORY_AUTHORITY_DOMAIN_CLAIM";
const STATEMENT_EVENT: &str = "DIRECTORY_SOFTWARE_AUTHORITY_CLAIM";

/// Routes under `/organisations`.
pub fn routes(r: &mut Routes) {
    const CLAIMS: &str = "/{OrganisationId}/authorityclaims";
    const CLAIM: &str = "/{OrganisationId}/authorityclaims/{OrganisationAuthorityClaimId}";
    const AUTHORISATIONS: &str =
        "/{OrganisationId}/authorityclaims/{OrganisationAuthorityClaimId}/authorisations";
    const AUTHORISATION: &str = "/{OrganisationId}/authorityclaims/{OrganisationAuthorityClaimId}/authorisations/{OrganisationAuthorisationId}";
    const DOMAINS: &str = "/{OrganisationId}/authoritydomainclaims";
    const DOMAIN: &str =
        "/{OrganisationId}/authoritydomainclaims/{OrganisationAuthorityDomainClaimId}";
    const SS_CLAIMS: &str =
        "/{OrganisationId}/softwarestatements/{SoftwareStatementId}/authorityclaims";
    const SS_CLAIM: &str = "/{OrganisationId}/softwarestatements/{SoftwareStatementId}/authorityclaims/{SoftwareAuthorityClaimId}";
    r.get(CLAIMS, list, "List the organisation's authority claims")
        .post(CLAIMS, create, "Add an authority claim (admin)")
        .get(CLAIM, get, "Read an authority claim")
        .put(CLAIM, update, "Replace an authority claim (admin)")
        .delete(CLAIM, delete, "Delete an authority claim (admin)")
        .get(
            AUTHORISATIONS,
            authorisations,
            "List a claim's authorisations",
        )
        .post(
            AUTHORISATIONS,
            add_authorisation,
            "Add an authorisation (admin)",
        )
        .get(AUTHORISATION, authorisation, "Read an authorisation")
        .put(
            AUTHORISATION,
            replace_authorisation,
            "Replace an authorisation (admin)",
        )
        .delete(
            AUTHORISATION,
            remove_authorisation,
            "Delete an authorisation (admin)",
        )
        .get(
            DOMAINS,
            domain_claims,
            "List the organisation's authority domain claims (paged)",
        )
        .post(
            DOMAINS,
            create_domain_claim,
            "Add an authority domain claim (admin)",
        )
        .get(DOMAIN, domain_claim, "Read an authority domain claim")
        .put(
            DOMAIN,
            update_domain_claim,
            "Replace an authority domain claim (admin)",
        )
        .delete(
            DOMAIN,
            delete_domain_claim,
            "Delete an authority domain claim (admin)",
        )
        .get(
            SS_CLAIMS,
            statement_claims,
            "List the statement's authority claims",
        )
        .post(
            SS_CLAIMS,
            create_statement_claim,
            "Claim a role the organisation holds",
        )
        .get(
            SS_CLAIM,
            statement_claim,
            "Read a statement's authority claim",
        )
        .put(
            SS_CLAIM,
            update_statement_claim,
            "Change a statement claim's Status",
        )
        .delete(
            SS_CLAIM,
            delete_statement_claim,
            "Delete a statement's authority claim",
        );
}

// An organisation's authority claims.

/// GET …/authorityclaims
async fn list(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    Ok(HttpResponse::Ok().json(claims::claims(&directory, &caller, &ids.org)?))
}

/// GET …/authorityclaims/{OrganisationAuthorityClaimId}
async fn get(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let found = claims::claim(&directory, &caller, &ids.org, ids.authority_claim()?)?;
    Ok(HttpResponse::Ok().json(found))
}

/// POST …/authorityclaims
async fn create(
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<AuthorityClaimRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{CLAIM_EVENT}_CREATE"));
    let work = claims::write_claim(
        &directory,
        Some(&audit),
        &write.caller,
        &ids.org,
        None,
        request,
    );
    Ok(HttpResponse::Created().json(write.run(&audit, work).await?))
}

/// PUT …/authorityclaims/{OrganisationAuthorityClaimId}
async fn update(
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<AuthorityClaimRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{CLAIM_EVENT}_UPDATE"));
    let id = Some(ids.authority_claim()?);
    let work = claims::write_claim(
        &directory,
        Some(&audit),
        &write.caller,
        &ids.org,
        id,
        request,
    );
    Ok(HttpResponse::Ok().json(write.run(&audit, work).await?))
}

/// DELETE …/authorityclaims/{OrganisationAuthorityClaimId}
async fn delete(
    write: Audited,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{CLAIM_EVENT}_DELETE"));
    let id = ids.authority_claim()?;
    let work = claims::delete_claim(&directory, Some(&audit), &write.caller, &ids.org, id);
    write.run(&audit, work).await?;
    Ok(HttpResponse::NoContent().finish())
}

// The authorisations of a claim.

/// GET …/authorisations
async fn authorisations(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let claim = ids.authority_claim()?;
    let found = claims::authorisations(&directory, &caller, &ids.org, claim)?;
    Ok(HttpResponse::Ok().json(found))
}

/// GET …/authorisations/{OrganisationAuthorisationId}
async fn authorisation(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let (claim, id) = (ids.authority_claim()?, ids.authorisation()?);
    let found = claims::authorisation(&directory, &caller, &ids.org, claim, id)?;
    Ok(HttpResponse::Ok().json(found))
}

/// POST …/authorisations
async fn add_authorisation(
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<AuthorisationRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let change = AuthorisationChange::Add(request);
    let added = change_authorisation(&write, &ids, &directory, change, "CREATE").await?;
    Ok(HttpResponse::Created().json(added))
}

/// PUT …/authorisations/{OrganisationAuthorisationId}
async fn replace_authorisation(
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<AuthorisationRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let change = AuthorisationChange::Replace(ids.authorisation()?.clone(), request);
    let replaced = change_authorisation(&write, &ids, &directory, change, "UPDATE").await?;
    Ok(HttpResponse::Ok().json(replaced))
}

/// DELETE …/authorisations/{OrganisationAuthorisationId}
async fn remove_authorisation(
    write: Audited,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let change = AuthorisationChange::Remove(ids.authorisation()?.clone());
    change_authorisation(&write, &ids, &directory, change, "DELETE").await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Makes one audited change to a claim's authorisations.
async fn change_authorisation(
    write: &Audited,
    ids: &Ids,
    directory: &Directory,
    change: AuthorisationChange,
    action: &str,
) -> Result<Option<crate::domain::authority_claim::Authorisation>, DirectoryError> {
    let audit = write.audit(&format!("{AUTHORISATION_EVENT}_{action}"));
    let claim = ids.authority_claim()?;
    let work = claims::change_authorisation(
        directory,
        Some(&audit),
        &write.caller,
        &ids.org,
        claim,
        change,
    );
    Ok(write.run(&audit, work).await?)
}

// An organisation's domain claims.

/// GET …/authoritydomainclaims: one page, as the spec's
/// OrganisationAuthorityDomainClaimsPage.
async fn domain_claims(
    caller: Caller,
    req: HttpRequest,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let page = page_request(&req)?;
    let found = claims::domain_claims(&directory, &caller, &ids.org)?;
    Ok(HttpResponse::Ok().json(PageView::new(page.cut(found))))
}

/// GET …/authoritydomainclaims/{OrganisationAuthorityDomainClaimId}
async fn domain_claim(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let found = claims::domain_claim(&directory, &caller, &ids.org, ids.domain_claim()?)?;
    Ok(HttpResponse::Ok().json(found))
}

/// POST …/authoritydomainclaims
async fn create_domain_claim(
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<DomainClaimRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{DOMAIN_EVENT}_CREATE"));
    let (caller, org) = (&write.caller, &ids.org);
    let work = claims::write_domain_claim(&directory, Some(&audit), caller, org, None, request);
    Ok(HttpResponse::Created().json(write.run(&audit, work).await?))
}

/// PUT …/authoritydomainclaims/{OrganisationAuthorityDomainClaimId}
async fn update_domain_claim(
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<DomainClaimRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{DOMAIN_EVENT}_UPDATE"));
    let (caller, org, id) = (&write.caller, &ids.org, Some(ids.domain_claim()?));
    let work = claims::write_domain_claim(&directory, Some(&audit), caller, org, id, request);
    Ok(HttpResponse::Ok().json(write.run(&audit, work).await?))
}

/// DELETE …/authoritydomainclaims/{OrganisationAuthorityDomainClaimId}
async fn delete_domain_claim(
    write: Audited,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{DOMAIN_EVENT}_DELETE"));
    let (caller, org, id) = (&write.caller, &ids.org, ids.domain_claim()?);
    let work = claims::delete_domain_claim(&directory, Some(&audit), caller, org, id);
    write.run(&audit, work).await?;
    Ok(HttpResponse::NoContent().finish())
}

// A software statement's claims.

/// GET …/softwarestatements/{SoftwareStatementId}/authorityclaims
async fn statement_claims(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let found = claims::statement_claims(&directory, &caller, &ids.org, ids.statement()?)?;
    Ok(HttpResponse::Ok().json(found))
}

/// GET …/authorityclaims/{SoftwareAuthorityClaimId}
async fn statement_claim(
    caller: Caller,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let (ss, id) = (ids.statement()?, ids.software_claim()?);
    let found = claims::statement_claim(&directory, &caller, &ids.org, ss, id)?;
    Ok(HttpResponse::Ok().json(found))
}

/// POST …/softwarestatements/{SoftwareStatementId}/authorityclaims
async fn create_statement_claim(
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<SoftwareClaimRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{STATEMENT_EVENT}_CREATE"));
    let (caller, org, ss) = (&write.caller, &ids.org, ids.statement()?);
    let work =
        claims::write_statement_claim(&directory, Some(&audit), caller, org, ss, None, request);
    Ok(HttpResponse::Created().json(write.run(&audit, work).await?))
}

/// PUT …/authorityclaims/{SoftwareAuthorityClaimId}: the spec's update
/// request, a new Status.
async fn update_statement_claim(
    write: Audited,
    ids: Ids,
    JsonBody(request): JsonBody<SoftwareClaimRequest>,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{STATEMENT_EVENT}_UPDATE"));
    let (caller, org, ss) = (&write.caller, &ids.org, ids.statement()?);
    let id = Some(ids.software_claim()?);
    let work =
        claims::write_statement_claim(&directory, Some(&audit), caller, org, ss, id, request);
    Ok(HttpResponse::Ok().json(write.run(&audit, work).await?))
}

/// DELETE …/authorityclaims/{SoftwareAuthorityClaimId}
async fn delete_statement_claim(
    write: Audited,
    ids: Ids,
    directory: web::Data<Directory>,
) -> Result<HttpResponse, DirectoryError> {
    let audit = write.audit(&format!("{STATEMENT_EVENT}_DELETE"));
    let (caller, org) = (&write.caller, &ids.org);
    let (ss, id) = (ids.statement()?, ids.software_claim()?);
    let work = claims::delete_statement_claim(&directory, Some(&audit), caller, org, ss, id);
    write.run(&audit, work).await?;
    Ok(HttpResponse::NoContent().finish())
}
