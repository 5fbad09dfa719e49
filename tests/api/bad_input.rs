//! The bad-input catalogue: malformed requests across every face. Each must
//! get a 4xx whose body names the problem, and after each row the store
//! holds exactly what it held before (the audit log aside, which records
//! refused requests on purpose). Adding a case is adding one row.

use std::collections::HashMap;

use reqwest::StatusCode;

use crate::helpers::*;

/// One malformed request: method, path, content type, body, expected status,
/// and a piece of text the answer must contain. In paths and bodies `{org}`,
/// `{ss}`, `{kid}`, `{res}` (an API resource of the server `as-rows`), `{root}`, `{no_anchor}` (a fingerprint no anchor has),
/// the tenants face's `{pki}`, `{tenant}`, `{email}`, `{password}`,
/// `{session}` (the login cookie's value) and `{csrf}`, and `@name` (a PEM or
/// keystore made or read below) are filled in. A body `form:a=1&b=@name` is
/// sent as multipart/form-data with `BOUNDARY`, `@name` as a file part.
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    u16,
    &'static str,
);

const PEM: &str = "application/x-pem-file";
const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";
const UPLOAD: &str = "/organisations/{org}/softwarestatements/{ss}/certificates";
const BOUNDARY: &str = "row-boundary";
const FORM_DATA: &str = "multipart/form-data; boundary=row-boundary";
const PKI: &str = "/api/tenants/{tenant}/theme/default/pki";
/// The tenants face's user, logged in before the rows run.
const TENANT: &str = "acmepaymentscorp";
const TENANT_EMAIL: &str = "admin@acmepaymentscorp.example";
const TENANT_PASSWORD: &str = "rows-password-1";

#[rustfmt::skip]
const ROWS: &[Row] = &[
    // Directory: path values.
    ("POST", "/organisations/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/softwarestatements/{ss}/certificates/sigkey", PEM, "@sigkey", 400, "OrganisationId: must be at most 40"),
    ("POST", "/organisations/{org}/softwarestatements/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/certificates/sigkey", PEM, "@sigkey", 400, "SoftwareStatementId: must be at most 40"),
    ("POST", "/organisations/a%3Cb/softwarestatements/{ss}/certificates/sigkey", PEM, "@sigkey", 400, "OrganisationId: must match"),
    ("POST", "/organisations/a%3Eb/softwarestatements/{ss}/certificates/sigkey", PEM, "@sigkey", 400, "OrganisationId: must match"),
    ("POST", "/organisations/{org}/softwarestatements/x%3C/certificates/sigkey", PEM, "@sigkey", 400, "SoftwareStatementId: must match"),
    ("POST", "/organisations/{org}/softwarestatements/%3E/certificates/sigkey", PEM, "@sigkey", 400, "SoftwareStatementId: must match"),
    ("POST", "/organisations/../softwarestatements/{ss}/certificates/sigkey", PEM, "@sigkey", 404, "no route"),
    ("POST", "/organisations/%2E%2E/softwarestatements/{ss}/certificates/sigkey", PEM, "@sigkey", 404, "no route"),
    ("POST", "/organisations", JSON, r#"{"OrganisationName": "A", "OrganisationId": ".."}"#, 400, "must not be '.' or '..'"),
    ("POST", "/organisations/a%0Ab/softwarestatements/{ss}/certificates/sigkey", PEM, "@sigkey", 400, "control characters"),
    ("POST", "/organisations/a%2Fb/softwarestatements/{ss}/certificates/sigkey", PEM, "@sigkey", 400, "'/'"),
    ("POST", "/organisations/{org}/softwarestatements/{ss}/certificates/qwac", PEM, "@sigkey", 400, "SoftwareStatementCertificateOrKeyType: must be one of"),
    ("POST", "/organisations/{org}/softwarestatements/{ss}/certificates/RTSSIGNING", PEM, "@sigkey", 400, "got 'RTSSIGNING'"),
    ("POST", "/organisations/{org}/softwarestatements/{ss}/certificates/rtssigning%20", PEM, "@sigkey", 400, "must be one of"),
    ("POST", "/organisations/{org}/certificates/sigkey", PEM, "@sigkey", 400, "OrganisationCertificateType: must be one of"),
    ("POST", "/organisations/{org}/certificates/brcac", PEM, "@sigkey", 400, "OrganisationCertificateType"),
    ("GET", "/organisations/{org}/softwarestatements/{ss}/certificates/rtssigning/a%2Fb", "", "", 400, "CertificateOrKeyId"),
    ("GET", "/organisations/{org}/softwarestatements/{ss}/certificates/nope/abc", "", "", 400, "SoftwareStatementCertificateOrKeyType"),
    ("GET", "/organisations/{org}/certificates/kid/a%2Bb", "", "", 400, "CertificateOrKeyId"),
    // Directory: owners that do not exist, or other organisations'.
    ("POST", "/organisations/nobody/softwarestatements/{ss}/certificates/sigkey", PEM, "@sigkey", 404, "organisation 'nobody' does not exist"),
    ("POST", "/organisations/{org}/softwarestatements/nothing/certificates/sigkey", PEM, "@sigkey", 404, "software statement 'nothing' does not exist"),
    ("POST", "/organisations/other-org/softwarestatements/{ss}/certificates/sigkey", PEM, "@sigkey", 404, "does not exist"),
    ("GET", "/organisations/nobody", "", "", 404, "does not exist"),
    ("GET", "/organisations/{org}/softwarestatements/nothing", "", "", 404, "does not exist"),
    ("GET", "/organisations/{org}/softwarestatements/{ss}/certificates/rtssigning/NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", "", "", 404, "no rtssigning certificate or key"),
    ("GET", "/organisations/{org}/softwarestatements/{ss}/certificates/enckey/{kid}", "", "", 404, "no enckey"),
    ("GET", "/organisations/{org}/certificates/kid/{kid}", "", "", 404, "no certificate or key"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}/certificates/rtssigning/NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", JSON, r#"{"RevokeReason":"superseded"}"#, 404, "no rtssigning"),
    ("GET", "/organisations/{org}/softwarestatements/nothing/assertion", "", "", 404, "does not exist"),
    // Directory: methods a known path does not take, and Accept headers it cannot answer.
    ("DELETE", "/organisations", "", "", 405, "this path takes GET, POST"),
    ("PATCH", "/organisations/{org}/softwarestatements/{ss}", JSON, "{}", 405, "this path takes GET, PUT"),
    ("POST", "/organisations/{org}/softwarestatements/{ss}/certificates/sigkey|accept: application/xml", PEM, "@sigkey", 406, "Accept: this path answers application/json or application/jwk+json or application/jwk-set+json only"),
    ("PUT", "/organisations/{org}|accept: text/csv", JSON, r#"{"OrganisationName": "Renamed"}"#, 406, "Accept: this path answers application/json only, got 'text/csv'"),
    ("GET", "/organisations/{org}/softwarestatements/{ss}/assertion|accept: text/html", "", "", 406, "application/jwt or application/json only"),
    // Directory: FAPI headers are in the header column as "name: value" after a '|'.
    ("POST", "/organisations/{org}/softwarestatements/{ss}/certificates/sigkey|x-fapi-auth-date: yesterday", PEM, "@sigkey", 400, "x-fapi-auth-date"),
    ("POST", "/organisations/{org}/softwarestatements/{ss}/certificates/sigkey|x-fapi-auth-date: Sun, 10 Sep 2017 19:43:31 CET", PEM, "@sigkey", 400, "x-fapi-auth-date"),
    ("POST", "/organisations/{org}/softwarestatements/{ss}/certificates/sigkey|x-fapi-auth-date: Sun, 10 Sep 17 19:43:31 UTC", PEM, "@sigkey", 400, "x-fapi-auth-date"),
    ("POST", "/organisations/{org}/softwarestatements/{ss}/certificates/sigkey|x-fapi-customer-ip-address: 999.1.1.1", PEM, "@sigkey", 400, "x-fapi-customer-ip-address"),
    ("POST", "/organisations/{org}/softwarestatements/{ss}/certificates/sigkey|x-fapi-customer-ip-address: ::g", PEM, "@sigkey", 400, "x-fapi-customer-ip-address"),
    ("POST", "/organisations/{org}/softwarestatements/{ss}/certificates/sigkey|x-fapi-customer-ip-address: example.com", PEM, "@sigkey", 400, "x-fapi-customer-ip-address"),
    ("POST", "/organisations/{org}/softwarestatements/{ss}/certificates/sigkey|x-fapi-interaction-id: _underscore", PEM, "@sigkey", 400, "x-fapi-interaction-id"),
    ("POST", "/organisations/{org}/softwarestatements/{ss}/certificates/sigkey|x-fapi-interaction-id: has space", PEM, "@sigkey", 400, "x-fapi-interaction-id"),
    ("GET", "/organisations/{org}|x-fapi-auth-date: now", "", "", 400, "x-fapi-auth-date"),
    ("GET", "/organisations|x-fapi-customer-ip-address: 1.2.3", "", "", 400, "x-fapi-customer-ip-address"),
    // Directory: the upload body.
    ("POST", "{upload}/sigkey", "text/plain", "@sigkey", 415, "Content-Type: must be application/x-pem-file"),
    ("POST", "{upload}/sigkey", JSON, "{}", 415, "Content-Type"),
    ("POST", "{upload}/sigkey", "", "@sigkey", 415, "Content-Type"),
    ("POST", "{upload}/sigkey", "application/pem-file", "@sigkey", 415, "Content-Type"),
    ("POST", "{upload}/sigkey", PEM, "", 400, "body: is required"),
    ("POST", "{upload}/sigkey", PEM, "   \n\t", 400, "body: is required"),
    ("POST", "{upload}/sigkey", PEM, "@huge", 413, "at most 65536 bytes"),
    ("POST", "{upload}/sigkey", PEM, "-----BEGIN PUBLIC KEY-----<x>", 400, "must match ^[^<>]*$"),
    ("POST", "{upload}/sigkey", PEM, "<html></html>", 400, "must match ^[^<>]*$"),
    ("POST", "{upload}/sigkey", PEM, "@non_utf8", 400, "body: must be UTF-8"),
    ("POST", "{upload}/sigkey", PEM, "hello", 400, "the body is not PEM"),
    ("POST", "{upload}/rtssigning", PEM, "garbage", 400, "the body is not PEM"),
    ("POST", "{upload}/brcac_ext", PEM, "garbage", 400, "the body is not PEM"),
    ("POST", "{upload}/sigkey", PEM, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", 400, "does not decode"),
    ("POST", "{upload}/sigkey", PEM, "-----BEGIN RSA PUBLIC KEY-----\n!!!!\n-----END RSA PUBLIC KEY-----\n", 400, "does not decode"),
    ("POST", "{upload}/sigkey", PEM, "@truncated_key", 400, "does not decode"),
    ("POST", "{upload}/rtssigning", PEM, "@truncated_csr", 400, "does not decode"),
    ("POST", "{upload}/brcac_ext", PEM, "@truncated_cert", 400, "does not decode"),
    ("POST", "{upload}/rtssigning", PEM, "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n", 400, "does not decode"),
    ("POST", "{upload}/rtssigning", PEM, "-----BEGIN NEW CERTIFICATE REQUEST-----\n\n-----END NEW CERTIFICATE REQUEST-----\n", 400, "does not decode"),
    ("POST", "{upload}/sigkey", PEM, "-----BEGIN DSA PARAMETERS-----\nAA==\n-----END DSA PARAMETERS-----\n", 400, "an unsupported PEM block"),
    ("POST", "{upload}/sigkey", PEM, "@private_key", 400, "a private key, which must never be uploaded"),
    ("POST", "{upload}/rtssigning", PEM, "@private_key", 400, "a private key"),
    ("POST", "{upload}/brcac_ext", PEM, "@private_key", 400, "a private key"),
    // Directory: what the body holds against what the type wants.
    ("POST", "{upload}/sigkey", PEM, "@csr", 400, "expected a public key"),
    ("POST", "{upload}/enckey", PEM, "@csr", 400, "expected a public key"),
    ("POST", "{upload}/sigkey", PEM, "@external", 400, "expected a public key"),
    ("POST", "{upload}/rtstransport", PEM, "@sigkey", 400, "expected a certificate signing request"),
    ("POST", "{upload}/rtssigning", PEM, "@sigkey", 400, "expected a certificate signing request"),
    ("POST", "{upload}/brcac", PEM, "@sigkey", 400, "expected a certificate signing request"),
    ("POST", "{upload}/brcac_2022", PEM, "@external", 400, "expected a certificate signing request"),
    ("POST", "{upload}/rtstransport", PEM, "@external", 400, "expected a certificate signing request"),
    ("POST", "{upload}/brcac_ext", PEM, "@csr", 400, "expected an issued certificate"),
    ("POST", "{upload}/brcac_ext", PEM, "@sigkey", 400, "expected an issued certificate"),
    ("POST", "/organisations/{org}/certificates/qwac", PEM, "@csr", 400, "expected an issued certificate"),
    ("POST", "/organisations/{org}/certificates/qseal", PEM, "@sigkey", 400, "expected an issued certificate"),
    ("POST", "/organisations/{org}/certificates/brseal", PEM, "@sigkey", 400, "expected a certificate signing request"),
    ("POST", "/organisations/{org}/certificates/rtsseal", PEM, "@external", 400, "expected a certificate signing request"),
    // Directory: keys and signatures.
    ("POST", "{upload}/rtstransport", PEM, "@csr_rsa1024", 400, "RSA key is 1024 bits"),
    ("POST", "{upload}/rtssigning", PEM, "@csr_rsa1024", 400, "RSA key is 1024 bits"),
    ("POST", "{upload}/brcac_2022", PEM, "@csr_brazil_rsa1024", 400, "RSA key is 1024 bits"),
    ("POST", "{upload}/sigkey", PEM, "@key_rsa1024", 400, "RSA key is 1024 bits"),
    ("POST", "{upload}/enckey", PEM, "@key_rsa1024", 400, "RSA key is 1024 bits"),
    ("POST", "{upload}/sigkey", PEM, "@key_rsa1024_pkcs1", 400, "RSA key is 1024 bits"),
    ("POST", "{upload}/rtstransport", PEM, "@csr_e3", 400, "exponent 3 is not accepted"),
    ("POST", "{upload}/sigkey", PEM, "@key_e3", 400, "exponent 3 is not accepted"),
    ("POST", "{upload}/enckey", PEM, "@key_e3", 400, "exponent 3"),
    ("POST", "{upload}/sigkey", PEM, "@key_secp256k1", 400, "an unsupported curve"),
    ("POST", "{upload}/enckey", PEM, "@key_secp256k1", 400, "an unsupported curve"),
    ("POST", "{upload}/sigkey", PEM, "@key_ed25519", 400, "key algorithm is not accepted"),
    ("POST", "{upload}/rtssigning", PEM, "@csr_p521", 400, "EC key on P-521 is not accepted for rtssigning"),
    ("POST", "{upload}/rtstransport", PEM, "@csr_p256", 400, "EC key on P-256 is not accepted for rtstransport"),
    ("POST", "{upload}/brcac", PEM, "@csr_brazil_p256", 400, "EC key on P-256 is not accepted for brcac"),
    ("POST", "{upload}/rtssigning", PEM, "@csr_sha1", 400, "sha1WithRSAEncryption"),
    ("POST", "{upload}/rtstransport", PEM, "@csr_sha1", 400, "sha1WithRSAEncryption"),
    ("POST", "{upload}/rtssigning", PEM, "@csr_sha224", 400, "sha224WithRSAEncryption"),
    ("POST", "{upload}/rtssigning", PEM, "@csr_bad_signature", 400, "proof of possession failed"),
    ("POST", "{upload}/rtstransport", PEM, "@csr_bad_signature", 400, "proof of possession failed"),
    ("POST", "{upload}/rtstransport", PEM, "@csr_broken_san", 400, "subjectAltName extension does not parse"),
    ("POST", "{upload}/rtstransport", PEM, "@csr_two_cns", 400, "more than one CN"),
    ("POST", "{upload}/rtstransport", PEM, "@csr_two_ous", 400, "more than one OU"),
    // Directory: subject naming.
    ("POST", "{upload}/rtstransport", PEM, "@csr_other_cn", 400, "CN: is 'someone-else'"),
    ("POST", "{upload}/rtssigning", PEM, "@csr_other_cn", 400, "CN: is 'someone-else'"),
    ("POST", "{upload}/rtstransport", PEM, "@csr_other_ou", 400, "OU: is 'other-org'"),
    ("POST", "{upload}/rtstransport", PEM, "@csr_no_cn", 400, "CN: is missing"),
    ("POST", "{upload}/brcac_2022", PEM, "@csr", 400, "UID (0.9.2342.19200300.100.1.1): is missing"),
    ("POST", "{upload}/brcac_2022", PEM, "@csr_brazil_other_uid", 400, "UID (0.9.2342.19200300.100.1.1): is 'someone-else'"),
    ("POST", "{upload}/brcac_2022", PEM, "@csr_brazil_other_org", 400, "organizationIdentifier (2.5.4.97): is 'OFBBR-other-org'"),
    ("POST", "{upload}/brcac_2022", PEM, "@csr_brazil_ou_only", 400, "organizationIdentifier (2.5.4.97): is missing"),
    ("POST", "{upload}/brcac_2022", PEM, "@csr_brazil_other_cnpj", 400, "serialNumber (2.5.4.5): is '11222333000181' but the organisation's RegistrationNumber (CNPJ) is '43142666000197'"),
    ("POST", "{upload}/brcac_2022", PEM, "@csr_brazil_no_business_category", 400, "businessCategory (2.5.4.15): must be one of Private Organization, Government Entity, Business Entity, Non-Commercial Entity"),
    ("POST", "/organisations/{org}/certificates/brseal", PEM, "@csr_brseal_other_cnpj", 400, "subjectAltName otherName 2.16.76.1.3.3 (CNPJ): is '11222333000181'"),
    ("POST", "{upload}/brcac", PEM, "@csr_brazil_other_org", 400, "organizationIdentifier"),
    ("POST", "{upload}/brcac_ext", PEM, "@external_other_uid", 400, "UID (0.9.2342.19200300.100.1.1): is 'someone-else'"),
    // Directory: a certificate issued elsewhere must chain to the trust store.
    ("POST", "{upload}/brcac_ext", PEM, "@external", 400, "does not chain to the trust store: self-signed certificate"),
    ("POST", "{upload}/brcac_ext", PEM, "@external_by_unknown_ca", 400, "does not chain to the trust store: unable to get local issuer certificate"),
    ("POST", "/organisations/{org}/certificates/qwac", PEM, "@external", 400, "does not chain to the trust store"),
    ("POST", "/organisations/{org}/certificates/brseal", PEM, "@csr", 400, "UID (0.9.2342.19200300.100.1.1): is missing"),
    ("POST", "/organisations/{org}/certificates/rtswac", PEM, "@csr_other_ou", 400, "OU: is 'other-org'"),
    // Directory: JSON bodies.
    ("POST", "/organisations", JSON, "{", 400, "body:"),
    ("POST", "/organisations", JSON, "[]", 400, "body: must be a JSON object"),
    ("POST", "/v1/ecosystems/certificates/ca", JSON, r#"["Positional Root", "BR", "Positional Inc.", null, null]"#, 400, "body: must be a JSON object"),
    ("POST", "/organisations", JSON, "", 400, "body:"),
    ("POST", "/organisations", JSON, "@non_utf8", 400, "body:"),
    ("POST", "/organisations", "text/plain", "{}", 415, "Content-Type: must be application/json"),
    ("POST", "/organisations", JSON, "{}", 400, "OrganisationName: OrganisationName must be provided"),
    ("POST", "/organisations", JSON, r#"{"OrganisationName": ""}"#, 400, "OrganisationName: must be 1 to 255 characters"),
    ("POST", "/organisations", JSON, r#"{"OrganisationName": 42}"#, 400, "OrganisationName: invalid type"),
    ("POST", "/organisations", JSON, r#"{"OrganisationName": "A", "Status": "Gone"}"#, 400, "Status: must be one of Active, Pending, Withdrawn"),
    ("POST", "/organisations", JSON, r#"{"OrganisationName": "A", "OrganisationId": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#, 400, "OrganisationId: must be at most 40"),
    ("POST", "/organisations", JSON, r#"{"OrganisationName": "A", "OrganisationId": "<b>"}"#, 400, "OrganisationId: must match"),
    ("POST", "/organisations", JSON, r#"{"OrganisationName": "A", "OrganisationId": "{org}"}"#, 409, "already exists"),
    ("POST", "/organisations", JSON, r#"{"OrganisationName": "A", "Postcode": "1"}"#, 400, "Postcode: must be 3 to 40 characters"),
    ("POST", "/organisations", JSON, r#"{"OrganisationName": "A", "Tags": "x"}"#, 400, "Tags: invalid type"),
    ("POST", "/organisations", JSON, r#"{"OrganisationName": "A", "RequiresParticipantTermsAndConditionsSigning": "yes"}"#, 400, "invalid type"),
    ("PUT", "/organisations/{org}", JSON, r#"{"OrganisationId": "another"}"#, 400, "OrganisationId: cannot be changed"),
    ("PUT", "/organisations/{org}", JSON, r#"{"Status": "Closed"}"#, 400, "Status: must be one of"),
    ("PUT", "/organisations/nobody", JSON, "{}", 404, "does not exist"),
    ("POST", "/organisations/{org}/softwarestatements", JSON, "{}", 400, "ClientName: ClientName must be provided"),
    ("POST", "/organisations/{org}/softwarestatements", JSON, r#"{"ClientName": "A", "RedirectUri": ["http://plain"]}"#, 400, "RedirectUri[0]: must be a URI starting with https://"),
    ("POST", "/organisations/{org}/softwarestatements", JSON, r#"{"ClientName": "A", "Version": 0}"#, 400, "Version: must be a number from 1 to 40"),
    ("POST", "/organisations/{org}/softwarestatements", JSON, r#"{"ClientName": "A", "Version": "one"}"#, 400, "Version: invalid type"),
    ("POST", "/organisations/{org}/softwarestatements", JSON, r#"{"ClientName": "A", "Mode": "Prod"}"#, 400, "Mode: must be one of Live, Test"),
    ("POST", "/organisations/{org}/softwarestatements", JSON, r#"{"ClientName": "A", "ClientUri": "ftp://x"}"#, 400, "ClientUri: must be a URI"),
    ("POST", "/organisations/{org}/softwarestatements", JSON, r#"{"ClientName": "A", "Status": "Active"}"#, 400, "Status: a new software statement is always Active"),
    ("POST", "/organisations/{org}/softwarestatements", JSON, r#"{"ClientName": "A", "SoftwareStatementId": "{ss}"}"#, 409, "already exists"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}", JSON, r#"{"Status": "Paused"}"#, 400, "Status: must be one of Active, Suspended, got 'Paused'"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}", JSON, r#"{"ClientName": "A", "ClientUri": "https://a.example", "LogoUri": "https://a.example/l.png", "RedirectUri": ["https://a.example/cb"], "Version": 1, "SoftwareStatementId": "x"}"#, 400, "SoftwareStatementId: cannot be changed"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}", JSON, r#"{"ClientName": "A"}"#, 400, "ClientUri: ClientUri must be provided"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}", JSON, r#"{"ClientName": 5, "ClientUri": "https://a.example", "LogoUri": "https://a.example/l.png", "RedirectUri": ["https://a.example/cb"], "Version": 1}"#, 400, "ClientName: invalid type: integer `5`, expected a string"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}", JSON, r#"{"ClientName": "A", "ClientUri": "https://a.example", "LogoUri": "https://a.example/l.png", "Version": 1}"#, 400, "RedirectUri: RedirectUri must be provided"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}", JSON, r#"{"ClientName": "A", "ClientUri": "https://a.example", "LogoUri": "https://a.example/l.png", "RedirectUri": ["https://a.example/cb"], "Version": 1, "Locked": false}"#, 400, "Locked: is read-only"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}", JSON, r#"{"ClientName": "A", "ClientUri": "https://a.example", "LogoUri": "https://a.example/l.png", "RedirectUri": ["https://a.example/cb"], "Version": 1, "RtsClientCreated": true}"#, 400, "RtsClientCreated: is read-only"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}", JSON, r#"{"ClientName": "A", "ClientUri": "https://a.example", "LogoUri": "https://a.example/l.png", "RedirectUri": ["https://a.example/cb"], "Version": 1, "Nickname": "x"}"#, 400, "Nickname: is not a member of SoftwareStatementUpdateRequest"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}", JSON, r#"{"ClientName": "A", "ClientUri": "https://a.example", "LogoUri": "https://a.example/l.png", "RedirectUri": ["https://a.example/cb"], "Version": 1, "NotificationWebhook": "ftp://hooks.example"}"#, 400, "NotificationWebhook: must be a URI starting with"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}/certificates/rtssigning/{kid}", JSON, "{}", 400, "RevokeReason: RevokeReason must be provided"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}/certificates/rtssigning/{kid}", JSON, r#"{"RevokeReason": "lost"}"#, 400, "unspecified, keycompromise, superseded, cessationofoperation, privilegewithdrawn"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}/certificates/rtssigning/{kid}", JSON, r#"{"RevokeReason": 1}"#, 400, "RevokeReason: invalid type"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}/certificates/rtssigning/{kid}", "text/plain", "x", 415, "Content-Type"),
    ("POST", "/organisations/{org}/authorisationservers", JSON, "{}", 400, "AutoRegistrationSupported: AutoRegistrationSupported must be provided"),
    ("POST", "/organisations/{org}/authorisationservers", JSON, "{}", 400, "CustomerFriendlyDescription: CustomerFriendlyDescription must be provided"),
    ("POST", "/organisations/{org}/authorisationservers", JSON, "[]", 400, "body: must be a JSON object"),
    ("POST", "/organisations/{org}/authorisationservers", JSON, r#"{"AutoRegistrationSupported": true, "CustomerFriendlyName": "A", "CustomerFriendlyDescription": "B", "CustomerFriendlyName": ""}"#, 400, "CustomerFriendlyName: must be 1 to 255 characters"),
    ("POST", "/organisations/{org}/authorisationservers", JSON, r#"{"AutoRegistrationSupported": true, "CustomerFriendlyName": "A", "CustomerFriendlyDescription": "B", "OpenIDDiscoveryDocument": "http://as.example/.well-known/openid-configuration"}"#, 400, "OpenIDDiscoveryDocument: must be a URI starting with https://"),
    ("POST", "/organisations/{org}/authorisationservers", JSON, r#"{"AutoRegistrationSupported": true, "CustomerFriendlyName": "A", "CustomerFriendlyDescription": "B", "CustomerFriendlyLogoUri": "https://as.example/logo.png"}"#, 400, "CustomerFriendlyLogoUri: must be an https URI of an .svg image"),
    ("POST", "/organisations/{org}/authorisationservers", JSON, r#"{"AutoRegistrationSupported": true, "CustomerFriendlyName": "A", "CustomerFriendlyDescription": "B", "DeprecatedDate": "2021-1-30"}"#, 400, "DeprecatedDate: Date must match the format of yyyy-MM-dd"),
    ("POST", "/organisations/{org}/authorisationservers", JSON, r#"{"AutoRegistrationSupported": true, "CustomerFriendlyName": "A", "CustomerFriendlyDescription": "B", "RetirementDate": "2021-02-30"}"#, 400, "RetirementDate: Date must match the format of yyyy-MM-dd"),
    ("POST", "/organisations/{org}/authorisationservers", JSON, r#"{"AutoRegistrationSupported": true, "CustomerFriendlyName": "A", "CustomerFriendlyDescription": "B", "SupportsDCR": "yes"}"#, 400, "SupportsDCR: invalid type"),
    ("POST", "/organisations/{org}/authorisationservers", JSON, r#"{"AutoRegistrationSupported": true, "CustomerFriendlyName": "A", "CustomerFriendlyDescription": "B", "AuthorisationServerId": "<b>"}"#, 400, "AuthorisationServerId: must match"),
    ("POST", "/organisations/{org}/authorisationservers", JSON, r#"{"AutoRegistrationSupported": true, "CustomerFriendlyName": "A", "CustomerFriendlyDescription": "B", "ParentAuthorisationServerId": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#, 400, "ParentAuthorisationServerId: must be at most 40"),
    ("POST", "/organisations/{org}/authorisationservers", JSON, r#"{"AutoRegistrationSupported": true, "CustomerFriendlyName": "A", "CustomerFriendlyDescription": "B", "NotificationWebhook": "ftp://hooks.example"}"#, 400, "NotificationWebhook: must be a URI starting with https://"),
    ("POST", "/organisations/{org}/authorisationservers", JSON, r#"{"AutoRegistrationSupported": true, "CustomerFriendlyName": "A", "CustomerFriendlyDescription": "B", "Flavour": 1}"#, 400, "unknown field `Flavour`"),
    ("POST", "/organisations/nobody/authorisationservers", JSON, r#"{"AutoRegistrationSupported": true, "CustomerFriendlyName": "A", "CustomerFriendlyDescription": "B"}"#, 404, "OrganisationId: organisation 'nobody' does not exist"),
    ("PUT", "/organisations/{org}/authorisationservers/nothing", JSON, r#"{"AutoRegistrationSupported": true, "CustomerFriendlyName": "A", "CustomerFriendlyDescription": "B"}"#, 404, "AuthorisationServerId: authorisation server 'nothing' does not exist"),
    ("DELETE", "/organisations/{org}/authorisationservers/nothing", "", "", 404, "AuthorisationServerId: authorisation server 'nothing' does not exist"),
    ("GET", "/organisations/{org}/authorisationservers/%3Cb%3E", "", "", 400, "AuthorisationServerId: must match"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/apiresources", JSON, "{}", 400, "ApiFamilyType: Family Type must be provided"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/apiresources", JSON, "{}", 400, "ApiVersion: Version must be provided"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/apiresources", JSON, r#"{"ApiFamilyType": "accounts", "ApiVersion": "2.0"}"#, 400, "ApiVersion: must match ^[0-9]+"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/apiresources", JSON, r#"{"ApiFamilyType": "", "ApiVersion": "2.0.0"}"#, 400, "ApiFamilyType: must be 1 to 128 characters"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/apiresources", JSON, r#"{"ApiFamilyType": "accounts", "ApiVersion": "2.0.0", "ApiEndpoint": "http://api.example/accounts"}"#, 400, "ApiEndpoint: must be a URI starting with https://"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/apiresources", JSON, r#"{"ApiFamilyType": "accounts", "ApiVersion": "2.0.0", "ApiCertificationUri": "http://conformance.example/a.zip"}"#, 400, "ApiCertificationUri: must be a URI starting with https://"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/apiresources", JSON, r#"{"ApiFamilyType": "accounts", "ApiVersion": "2.0.0", "CertificationStatus": "Approved"}"#, 400, "CertificationStatus: must be one of Awaiting Certification, Certified, Deprecated, Rejected, Self-Certified"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/apiresources", JSON, r#"{"ApiFamilyType": "accounts", "ApiVersion": "2.0.0", "CertificationStartDate": "2021-12-31"}"#, 400, "CertificationStartDate: Date must match the format of dd/mm/yyyy"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/apiresources", JSON, r#"{"ApiFamilyType": "accounts", "ApiVersion": "2.0.0", "FamilyComplete": "yes"}"#, 400, "FamilyComplete: invalid type"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/apiresources", JSON, r#"{"ApiFamilyType": "accounts", "ApiVersion": "2.0.0", "ApiResourceId": "mine"}"#, 400, "unknown field `ApiResourceId`"),
    ("POST", "/organisations/{org}/authorisationservers/nothing/apiresources", JSON, r#"{"ApiFamilyType": "accounts", "ApiVersion": "2.0.0"}"#, 404, "AuthorisationServerId: authorisation server 'nothing' does not exist"),
    ("PUT", "/organisations/{org}/authorisationservers/as-rows/apiresources/nothing", JSON, r#"{"ApiFamilyType": "accounts", "ApiVersion": "2.0.0"}"#, 404, "ApiResourceId: API resource 'nothing' does not exist on authorisation server 'as-rows'"),
    ("DELETE", "/organisations/{org}/authorisationservers/as-rows/apiresources/nothing", "", "", 404, "ApiResourceId: API resource 'nothing' does not exist"),
    ("GET", "/organisations/{org}/authorisationservers/as-rows/apiresources/a%3Cb", "", "", 400, "ApiResourceId: must match"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/apiresources/{res}/apidiscoveryendpoints", JSON, "{}", 400, "ApiEndpoint: ApiEndpoint must be provided"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/apiresources/{res}/apidiscoveryendpoints", JSON, r#"{"ApiEndpoint": "http://api.example/accounts/v2/accounts"}"#, 400, "ApiEndpoint: must be a URI starting with https://"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/apiresources/{res}/apidiscoveryendpoints", JSON, r#"{"ApiEndpoint": 7}"#, 400, "ApiEndpoint: invalid type"),
    ("PUT", "/organisations/{org}/authorisationservers/as-rows/apiresources/{res}/apidiscoveryendpoints/nothing", JSON, r#"{"ApiEndpoint": "https://api.example/x"}"#, 404, "ApiDiscoveryEndpointId: discovery endpoint 'nothing' does not exist"),
    ("DELETE", "/organisations/{org}/authorisationservers/as-rows/apiresources/{res}/apidiscoveryendpoints/nothing", "", "", 404, "ApiDiscoveryEndpointId: discovery endpoint 'nothing' does not exist"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/certifications", JSON, "{}", 400, "ProfileVariant: Certification needs to have a variant"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/certifications", JSON, "{}", 400, "ProfileVersion: Version must be provided"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/certifications", JSON, r#"{"ProfileVariant": "FAPI Adv. OP w/ MTLS", "ProfileVersion": "one"}"#, 400, "ProfileVersion: invalid type"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/certifications", JSON, r#"{"ProfileVariant": "FAPI Adv. OP w/ MTLS", "ProfileVersion": 1, "CertificationURI": "ftp://c.example/p.zip"}"#, 400, "CertificationURI: must be a URI starting with https://"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/certifications", JSON, r#"{"ProfileVariant": "FAPI Adv. OP w/ MTLS", "ProfileVersion": 1, "CertificationStartDate": "31/02/2026"}"#, 400, "CertificationStartDate: Date must match the format of dd/mm/yyyy"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/certifications", JSON, r#"{"ProfileVariant": "FAPI Adv. OP w/ MTLS", "ProfileVersion": 1, "Status": "Passed"}"#, 400, "Status: must be one of Awaiting Certification"),
    ("POST", "/organisations/{org}/authorisationservers/as-rows/certifications", JSON, r#"{"ProfileVariant": "FAPI Adv. OP w/ MTLS", "ProfileVersion": 1, "CertificationId": "mine"}"#, 400, "unknown field `CertificationId`"),
    ("PUT", "/organisations/{org}/authorisationservers/as-rows/certifications/nothing", JSON, r#"{"ProfileVariant": "FAPI Adv. OP w/ MTLS", "ProfileVersion": 1}"#, 404, "AuthorisationServerCertificationId: certification 'nothing' does not exist"),
    ("DELETE", "/organisations/{org}/authorisationservers/as-rows/certifications/nothing", "", "", 404, "AuthorisationServerCertificationId: certification 'nothing' does not exist"),
    ("GET", "/organisations/{org}/authorisationservers/nothing/familystatus", "", "", 404, "AuthorisationServerId: authorisation server 'nothing' does not exist"),
    ("POST", "/organisations/{org}/authorityclaims", JSON, "{}", 400, "AuthorityId: AuthorityId must be provided"),
    ("POST", "/organisations/{org}/authorityclaims", JSON, "{}", 400, "AuthorisationDomain: AuthorisationDomain must be provided"),
    ("POST", "/organisations/{org}/authorityclaims", JSON, "{}", 400, "Role: Authorisation domain role name must be provided"),
    ("POST", "/organisations/{org}/authorityclaims", JSON, "{}", 400, "RegistrationId: RegistrationId must be provided"),
    ("POST", "/organisations/{org}/authorityclaims", JSON, "{}", 400, "Status: Status must be provided"),
    ("POST", "/organisations/{org}/authorityclaims", JSON, r#"{"AuthorityId": "FCAGBR", "AuthorisationDomain": "Open Banking", "Role": "DADOS", "RegistrationId": "r", "Status": "Active"}"#, 400, "AuthorityId: no authority 'FCAGBR' in /references/authorities"),
    ("POST", "/organisations/{org}/authorityclaims", JSON, r#"{"AuthorityId": "687a1c94-b360-4e04-9589-0fa5cb16451b", "AuthorisationDomain": "PSD2", "Role": "DADOS", "RegistrationId": "r", "Status": "Active"}"#, 400, "AuthorisationDomain: no authorisation domain 'PSD2'"),
    ("POST", "/organisations/{org}/authorityclaims", JSON, r#"{"AuthorityId": "687a1c94-b360-4e04-9589-0fa5cb16451b", "AuthorisationDomain": "Open Banking", "Role": "AISP", "RegistrationId": "r", "Status": "Active"}"#, 400, "Role: no role 'AISP' in /references/authorisationdomainroles"),
    ("POST", "/organisations/{org}/authorityclaims", JSON, r#"{"AuthorityId": "687a1c94-b360-4e04-9589-0fa5cb16451b", "AuthorisationDomain": "Open Banking", "Role": "DADOS", "RegistrationId": "r", "Status": "Revoked"}"#, 400, "Status: must be one of Active, Inactive, got 'Revoked'"),
    ("POST", "/organisations/{org}/authorityclaims", JSON, r#"{"AuthorityId": "687a1c94-b360-4e04-9589-0fa5cb16451b", "AuthorisationDomain": "Open Banking", "Role": "DADOS", "RegistrationId": "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr", "Status": "Active"}"#, 400, "RegistrationId: must be 1 to 40 characters"),
    ("POST", "/organisations/{org}/authorityclaims", JSON, r#"{"AuthorityId": "687a1c94-b360-4e04-9589-0fa5cb16451b", "AuthorisationDomain": "Open Banking", "Role": "DADOS", "RegistrationId": "r", "Status": "Active", "Authorisations": []}"#, 400, "unknown field `Authorisations`"),
    ("POST", "/organisations/nobody/authorityclaims", JSON, r#"{"AuthorityId": "687a1c94-b360-4e04-9589-0fa5cb16451b", "AuthorisationDomain": "Open Banking", "Role": "DADOS", "RegistrationId": "r", "Status": "Active"}"#, 404, "OrganisationId: organisation 'nobody' does not exist"),
    ("PUT", "/organisations/{org}/authorityclaims/nothing", JSON, r#"{"AuthorityId": "687a1c94-b360-4e04-9589-0fa5cb16451b", "AuthorisationDomain": "Open Banking", "Role": "DADOS", "RegistrationId": "r", "Status": "Active"}"#, 404, "OrganisationAuthorityClaimId: authority claim 'nothing' does not exist"),
    ("DELETE", "/organisations/{org}/authorityclaims/nothing", "", "", 404, "OrganisationAuthorityClaimId: authority claim 'nothing' does not exist"),
    ("GET", "/organisations/{org}/authorityclaims/a%3Cb", "", "", 400, "OrganisationAuthorityClaimId: must match"),
    ("POST", "/organisations/{org}/authorityclaims/nothing/authorisations", JSON, r#"{"MemberState": "BR", "Status": "Active"}"#, 404, "OrganisationAuthorityClaimId: authority claim 'nothing' does not exist"),
    ("POST", "/organisations/{org}/authoritydomainclaims", JSON, "{}", 400, "AuthorityId: The Authority ID is mandatory"),
    ("POST", "/organisations/{org}/authoritydomainclaims", JSON, "{}", 400, "AuthorisationDomainName: The authorisation domain name is mandatory"),
    ("POST", "/organisations/{org}/authoritydomainclaims", JSON, r#"{"AuthorityId": "687a1c94-b360-4e04-9589-0fa5cb16451b", "AuthorisationDomainName": "Open Banking", "AuthorityName": "BCB"}"#, 400, "AuthorityName: must be 'Banco Central do Brasil'"),
    ("PUT", "/organisations/{org}/authoritydomainclaims/nothing", JSON, r#"{"AuthorityId": "687a1c94-b360-4e04-9589-0fa5cb16451b", "AuthorisationDomainName": "Open Banking", "AuthorityName": "Banco Central do Brasil", "Status": "Active"}"#, 404, "OrganisationAuthorityDomainClaimId: authority domain claim 'nothing' does not exist"),
    ("POST", "/organisations/{org}/softwarestatements/{ss}/authorityclaims", JSON, "{}", 400, "Role: Authorisation domain role name must be provided"),
    ("POST", "/organisations/{org}/softwarestatements/{ss}/authorityclaims", JSON, r#"{"AuthorisationDomain": "Open Banking", "Role": "CONTA", "Status": "Active"}"#, 400, "Role: organisation 'c8f0bf49-4744-4933-8960-7add6e590841' holds 'CONTA' in 'Open Banking' by no active authority claim"),
    ("POST", "/organisations/{org}/softwarestatements/nothing/authorityclaims", JSON, r#"{"AuthorisationDomain": "Open Banking", "Role": "DADOS", "Status": "Active"}"#, 404, "SoftwareStatementId: software statement 'nothing' does not exist"),
    ("DELETE", "/organisations/{org}/softwarestatements/{ss}/authorityclaims/nothing", "", "", 404, "SoftwareAuthorityClaimId: authority claim 'nothing' does not exist"),
    ("GET", "/references/authorities/nothing", "", "", 404, "AuthorityId: no reference 'nothing'"),
    ("POST", "/organisations/{org}/contacts", JSON, "{}", 400, "ContactType: ContactType must be provided"),
    ("POST", "/organisations/{org}/contacts", JSON, "{}", 400, "EmailAddress: EmailAddress must be provided"),
    ("POST", "/organisations/{org}/contacts", JSON, r#"{"ContactType": "Legal", "EmailAddress": "ops@bank.example"}"#, 400, "ContactType: must be one of Business, Technical, Billing, Incident, Security, got 'Legal'"),
    ("POST", "/organisations/{org}/contacts", JSON, r#"{"ContactType": "Business", "EmailAddress": "ops@bank"}"#, 400, "EmailAddress: EmailAddress must be a valid email"),
    ("POST", "/organisations/{org}/contacts", JSON, r#"{"ContactType": "Business", "EmailAddress": "ops@bank.example", "PhoneNumber": "+55 11 98765-4321 ramal 12"}"#, 400, "PhoneNumber: must be 0 to 18 characters"),
    ("POST", "/organisations/{org}/contacts", JSON, r#"{"ContactType": "Business", "EmailAddress": "ops@bank.example", "ContactId": "mine"}"#, 400, "unknown field `ContactId`"),
    ("POST", "/organisations/nobody/contacts", JSON, r#"{"ContactType": "Business", "EmailAddress": "ops@bank.example"}"#, 404, "OrganisationId: organisation 'nobody' does not exist"),
    ("PUT", "/organisations/{org}/contacts/nothing", JSON, r#"{"ContactType": "Business", "EmailAddress": "ops@bank.example"}"#, 404, "ContactId: contact 'nothing' does not exist"),
    ("DELETE", "/organisations/{org}/contacts/nothing", "", "", 404, "ContactId: contact 'nothing' does not exist"),
    ("GET", "/organisations/{org}/contacts/a%3Cb", "", "", 400, "ContactId: must match"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}/unlock", JSON, "{}", 400, "Unlock: Unlock equal to true must be provided"),
    ("GET", "/organisations/nobody/tnchistory", "", "", 404, "OrganisationId: organisation 'nobody' does not exist"),
    ("POST", "/organisations/{org}/Open%20Banking/users", JSON, "{}", 400, "Email: Email must be provided"),
    ("POST", "/organisations/{org}/Open%20Banking/users", JSON, "{}", 400, "AuthorisationDomainRole: Authorisation domain role name must be provided"),
    ("POST", "/organisations/{org}/Open%20Banking/users", JSON, r#"{"Email": "a@b.example", "AuthorisationDomainRole": "DADOS", "ContactRole": "CEO", "System": "Directory"}"#, 400, "ContactRole: must be one of PTC"),
    ("POST", "/organisations/{org}/Open%20Banking/users", JSON, r#"{"Email": "a@b.example", "AuthorisationDomainRole": "DADOS", "ContactRole": "PTC", "System": "Directory", "Status": "Inactive"}"#, 400, "Status: a new user is Active"),
    ("POST", "/organisations/{org}/PSD2/users", JSON, r#"{"Email": "a@b.example", "AuthorisationDomainRole": "DADOS", "ContactRole": "PTC", "System": "Directory"}"#, 404, "AuthorisationDomainName: authorisation domain 'PSD2'"),
    ("PUT", "/organisations/{org}/Open%20Banking/users/nobody@b.example", JSON, r#"{"Status": "Inactive"}"#, 404, "UserEmailId: user 'nobody@b.example' does not exist"),
    ("DELETE", "/organisations/{org}/Open%20Banking/users/nobody@b.example", "", "", 404, "UserEmailId: user 'nobody@b.example' does not exist"),
    ("POST", "/organisations/{org}/softwarestatements/{ss}/certifications", JSON, "{}", 400, "ProfileVariant: Certification needs to have a variant"),
    ("POST", "/organisations/{org}/softwarestatements/{ss}/certifications", JSON, r#"{"ProfileVariant": "FAPI RP", "ProfileVersion": 1, "Status": "Passed"}"#, 400, "Status: must be one of Awaiting Certification"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}/certifications/nothing", JSON, r#"{"ProfileVariant": "FAPI RP", "ProfileVersion": 1}"#, 404, "SoftwareStatementCertificationId: certification 'nothing' does not exist"),
    ("GET", "/organisations/{org}/softwarestatements/{ss}/certifications/a%3Cb", "", "", 400, "SoftwareStatementCertificationId: must match"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}/unlock", JSON, r#"{"Unlock": "yes"}"#, 400, "Unlock: invalid type"),
    ("GET", "/references/authorisationdomainroles/DADOS/metadata/DADOS-99", "", "", 404, "MetadataId: no reference 'DADOS-99'"),
    ("GET", "/organisations?page=-1", "", "", 400, "page:"),
    ("GET", "/organisations?page=x", "", "", 400, "page:"),
    ("GET", "/organisations?size=0", "", "", 400, "size:"),
    ("GET", "/organisations?size=50001", "", "", 400, "size:"),
    ("GET", "/organisations/{org}/softwarestatements/{ss}/certificates/rtssigning?size=-5", "", "", 400, "size:"),
    ("GET", "/organisations/{org}/softwarestatements/{ss}/certificates/rtssigning?page=1.5", "", "", 400, "page:"),
    // Keystore.
    ("GET", "/keystore/nobody/application.jwks", "", "", 404, "does not exist"),
    ("GET", "/keystore/{org}/nothing/application.jwks", "", "", 404, "does not exist"),
    ("GET", "/keystore/{org}/{ss}/inactive/transport.jwks?x=1", "", "", 200, "keys"),
    ("GET", "/keystore/{org}/{ss}/NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs.pem", "", "", 404, "does not exist"),
    ("GET", "/keystore/{org}/{ss}/a%2Fb.pem", "", "", 404, "no such keystore document"),
    ("GET", "/keystore/{org}/{ss}/readme.txt", "", "", 404, "no such keystore document"),
    ("GET", "/keystore/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/application.jwks", "", "", 404, "no such keystore document"),
    ("GET", "/keystore/{org}/NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs.pem", "", "", 404, "does not exist"),
    // OAuth.
    ("POST", "/token", FORM, "grant_type=password", 400, "unsupported_grant_type"),
    ("POST", "/token", FORM, "", 400, "grant_type is required"),
    ("POST", "/token", FORM, "grant_type=client_credentials", 401, "client authentication is required"),
    ("POST", "/token", FORM, "grant_type=client_credentials&scope=openid", 400, "invalid_scope"),
    ("POST", "/token", JSON, "{}", 400, "x-www-form-urlencoded"),
    ("POST", "/token", FORM, "grant_type=client_credentials&client_assertion=abc", 400, "client_assertion_type must be"),
    ("POST", "/token", FORM, "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=abc", 401, "malformed"),
    ("POST", "/token", FORM, "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=@assertion_unknown_client", 401, "is not a software statement"),
    ("POST", "/token", FORM, "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=@assertion_no_kid", 401, "no kid"),
    ("POST", "/token", FORM, "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=@assertion_none", 401, "alg 'none' is not accepted"),
    ("POST", "/token/introspect", JSON, r#"{"token": "x"}"#, 400, "Content-Type must be application/x-www-form-urlencoded"),
    ("POST", "/token/introspect", FORM, "token=x", 401, "client authentication is required"),
    ("POST", "/token/revoke", FORM, "token=x&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=@assertion_none", 401, "alg 'none' is not accepted"),
    ("POST", "/token", FORM, "grant_type=client_credentials&client_id=other&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=@assertion_no_kid", 401, "does not match the authenticated client"),
    ("POST", "/token|Authorization: Basic !!!", FORM, "grant_type=client_credentials", 401, "client authentication is required"),
    ("POST", "/token|Authorization: Basic {basic}", FORM, "grant_type=client_credentials", 401, "client_secret_basic is not enabled"),
    // Ecosystem.
    ("POST", "/v1/ecosystems/certificates/ca", JSON, "{", 400, "body"),
    ("POST", "/v1/ecosystems/certificates/ca", JSON, "{}", 400, "organisationName: is required"),
    ("POST", "/v1/ecosystems/certificates/ca", JSON, r#"{"organisationName": "O", "commonName": ""}"#, 400, "commonName"),
    ("POST", "/v1/ecosystems/certificates/ca", JSON, r#"{"organisationName": "O", "commonName": "a_b"}"#, 400, "PrintableString"),
    ("POST", "/v1/ecosystems/certificates/ca", JSON, r#"{"organisationName": "O", "country": "XX"}"#, 400, "country"),
    ("POST", "/v1/ecosystems/certificates/ca", JSON, r#"{"organisationName": "O", "country": "bra"}"#, 400, "country"),
    ("POST", "/v1/ecosystems/certificates/ca", JSON, r#"{"organisationName": "O", "notBefore": "2001-01-01T00:00:00Z"}"#, 400, "notBefore: must not be in the past"),
    ("POST", "/v1/ecosystems/certificates/ca", JSON, r#"{"organisationName": "O", "notBefore": "tomorrow"}"#, 400, "notBefore: must be an RFC 3339"),
    ("POST", "/v1/ecosystems/certificates/ca", JSON, r#"{"organisationName": "O", "notAfter": "2999-01-01T00:00:00Z"}"#, 400, "notAfter: must be at most 20 years"),
    ("POST", "/v1/ecosystems/certificates/ca", JSON, r#"{"organisationName": "O", "notAfter": "2001-01-01T00:00:00Z"}"#, 400, "notAfter: must be after notBefore"),
    ("POST", "/v1/ecosystems/certificates/ca", JSON, r#"{"organisationName": 5}"#, 400, "organisationName: invalid type"),
    ("POST", "/v1/ecosystems/certificates/ca", JSON, r#"{"organisationName": "O", "commonName": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#, 400, "commonName: must be at most 64"),
    ("POST", "/v1/ecosystems/certificates/ca", JSON, r#"{"organisationName": "ooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo"}"#, 400, "organisationName: must be at most 64"),
    ("POST", "/v1/ecosystems/certificates/ca", JSON, r#"{"organisationName": "O\u0001"}"#, 400, "organisationName: must not contain control characters"),
    ("POST", "/v1/ecosystems/certificates/ca", JSON, r#"{"organisationName": "O", "notBefore": "9999-12-31T00:00:00Z"}"#, 400, "notBefore: must leave room"),
    ("PUT", "/v1/ecosystems/certificates/ca/{root}", JSON, "[false]", 400, "body: must be a JSON object"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}/certificates/rtssigning/{kid}", JSON, r#"["superseded"]"#, 400, "body: must be a JSON object"),
    ("PUT", "/organisations/{org}", JSON, r#"["x"]"#, 400, "body: must be a JSON object"),
    ("GET", "/v1/ecosystems/certificates/ca?limit=0", "", "", 400, "limit"),
    ("GET", "/v1/ecosystems/certificates/ca?limit=1001", "", "", 400, "limit"),
    ("GET", "/v1/ecosystems/certificates/ca?limit=ten", "", "", 400, "limit"),
    ("GET", "/v1/ecosystems/certificates/ca?cursor=%%%", "", "", 400, "cursor"),
    ("GET", "/v1/ecosystems/certificates/ca?cursor=bm90IGEgY3Vyc29y", "", "", 400, "cursor"),
    ("GET", "/v1/ecosystems/certificates/ca/not-a-uuid", "", "", 400, "must be a UUID"),
    ("GET", "/v1/ecosystems/certificates/ca/6d8a1f7e-0000-4000-8000-000000000000", "", "", 404, "does not exist"),
    ("PUT", "/v1/ecosystems/certificates/ca/{root}", JSON, "{}", 400, "active: is required"),
    ("PUT", "/v1/ecosystems/certificates/ca/{root}", JSON, r#"{"active": "yes"}"#, 400, "active: invalid type"),
    ("PUT", "/v1/ecosystems/certificates/ca/not-a-uuid", JSON, r#"{"active": true}"#, 400, "must be a UUID"),
    ("DELETE", "/v1/ecosystems/certificates/ca/{root}", "", "", 400, "deactivate it before deleting it"),
    ("DELETE", "/v1/ecosystems/certificates/ca/x", "", "", 400, "must be a UUID"),
    ("GET", "/v1/ecosystems/certificates/ca/zzz/crl", "", "", 400, "must be a UUID"),
    ("GET", "/v1/ecosystems/not-a-uuid/vicals/public/certificates/ca/latest", "", "", 400, "ecosystemId: must be a UUID"),
    ("GET", "/v1/ecosystems/6d8a1f7e-0000-4000-8000-000000000000/vicals/public/certificates/ca/6d8a1f7e-0000-4000-8000-000000000000/crl", "", "", 404, "does not exist"),
    // Revocation and administration.
    ("GET", "/crl/nothing.crl", "", "", 404, "no CA"),
    ("GET", "/crl/nothing.pem", "", "", 404, "no CRL named"),
    ("GET", "/admin/events?limit=0", "", "", 400, "limit"),
    ("GET", "/admin/events?since=yesterday", "", "", 400, "since: must be an RFC 3339"),
    ("POST", "/admin/reset", JSON, "[]", 400, "body: must be a JSON object"),
    ("POST", "/admin/reset", JSON, r#"{"ca":1}"#, 400, "ca: invalid type"),
    ("POST", "/admin/reset", JSON, r#"{"everything":true}"#, 400, "unknown field `everything`"),
    ("POST", "/admin/reset?seed=uk", JSON, "{}", 400, "seed: must be demo"),
    ("POST", "/admin/snapshot", JSON, "{}", 400, "missing field `name`"),
    ("POST", "/admin/snapshot", JSON, r#"{"name":"a/b"}"#, 400, "name: must be 1 to 64 letters"),
    ("POST", "/admin/snapshot", JSON, r#"{"name":""}"#, 400, "name: must be 1 to 64 letters"),
    ("POST", "/admin/restore", JSON, r#"{"name":"..x"}"#, 400, "name: must be 1 to 64 letters"),
    ("POST", "/admin/restore", JSON, r#"{"name":"missing"}"#, 404, "snapshot 'missing' does not exist"),
    // RA face (seed 002): `/v2` rows carry an operator's session token.
    ("POST", "/v2/jwt/service.account", FORM, "userSecret=wrong", 401, "009.353.0223"),
    ("POST", "/v2/jwt/nobody", FORM, "userSecret=wrong", 401, "009.353.0223"),
    ("POST", "/v2/jwt/a%20b", FORM, "userSecret=x", 401, "009.353.0223"),
    ("POST", "/v2/jwt/service.account", FORM, "", 400, "011.351.0229"),
    ("POST", "/v2/jwt/service.account", FORM, "userSecret=", 400, "userSecret"),
    ("POST", "/v2/jwt/service.account", JSON, r#"{"userSecret":"x"}"#, 400, "Content-Type: must be application/x-www-form-urlencoded"),
    ("POST", "/v2/clients|authorization: Bearer not.a.jwt", "", "", 401, "009.250.0228"),
    ("POST", "/v2/clients|authorization: Basic eDp5", "", "", 401, "009.250.0228"),
    ("POST", "/v2/clients|authorization: Bearer {admin}", "", "", 401, "009.250.0228"),
    ("POST", "/v2/clients?search=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "", "", 400, "search: must be at most 200"),
    ("POST", "/v2/client/cli-xyz", "", "", 400, "clientReference: must be 'cli-'"),
    ("POST", "/v2/client/%3Cscript%3E", "", "", 400, "011.351.0226"),
    ("POST", "/v2/client/pma-aaaaaaaa-0000-4000-8000-000000000001", "", "", 400, "clientReference"),
    ("POST", "/v2/client/cli-99999999-9999-4999-8999-999999999999", "", "", 404, "011.351.0231"),
    ("POST", "/v2/client/domain/{ra_client}/register", JSON, r#"{"names":["a.com"]}"#, 400, "body: invalid type"),
    ("POST", "/v2/client/domain/{ra_client}/register", JSON, "[]", 400, "011.351.0229"),
    ("POST", "/v2/client/domain/{ra_client}/register", JSON, r#"["bad..name"]"#, 400, "[0] 'bad..name'"),
    ("POST", "/v2/client/domain/{ra_client}/register", JSON, r#"["ok.example.com", "*.wild.example.com"]"#, 400, "[1] '*.wild.example.com' is a wildcard"),
    ("POST", "/v2/client/domain/{ra_client}/register", JSON, r#"["localhost"]"#, 400, "at least 2 labels"),
    ("POST", "/v2/client/domain/{ra_client}/register", JSON, r#"["-x.example.com"]"#, 400, "011.351.0226"),
    ("POST", "/v2/client/domain/{ra_client}/register", JSON, r#"["<b>.example.com"]"#, 400, "has label '<b>'"),
    ("POST", "/v2/client/domain/{ra_client}/register", JSON, r#"["xn--a.example.com"]"#, 400, "not a valid internationalised domain name"),
    ("POST", "/v2/client/domain/{ra_client}/register", JSON, r#"[1]"#, 400, "[0]: invalid type"),
    ("POST", "/v2/client/domain/{ra_client}/register", JSON, r#"["a.com""#, 400, "body: EOF"),
    ("POST", "/v2/client/domain/{ra_client}/register", "text/plain", r#"["a.com"]"#, 400, "Content-Type: must be application/json"),
    ("POST", "/v2/client/domain/{ra_client}/register", JSON, "@huge", 413, "at most 65536 bytes"),
    ("POST", "/v2/client/domain/{ra_client}/register", JSON, "@non_utf8", 400, "011.351.0226"),
    ("POST", "/v2/client/domain/{ra_client}/register", JSON, "@many_names", 400, "at most 100 domain names"),
    ("POST", "/v2/client/domain/cli-99999999-9999-4999-8999-999999999999/register", JSON, r#"["a.example.com"]"#, 404, "011.351.0231"),
    ("POST", "/v2/client/domains/cli-1/list", "", "", 400, "clientReference"),
    ("POST", "/v2/client/domain/cld-1", "", "", 400, "prevalidatedDomainReference: must be 'cld-'"),
    ("POST", "/v2/client/domain/cld-99999999-9999-4999-8999-999999999999", "", "", 404, "no pre-validated domain"),
    ("POST", "/v2/client/domain/cld-99999999-9999-4999-8999-999999999999/validate", "", "", 404, "011.351.0226"),
    ("POST", "/v2/client/domain/cld-99999999-9999-4999-8999-999999999999/token/reset", "", "", 404, "no pre-validated domain"),
    ("POST", "/v2/client/domain/cld-99999999-9999-4999-8999-999999999999/delete", "", "", 404, "no pre-validated domain"),
    ("POST", "/v2/issue/csr/pma-1", "text/plain", "@csr", 400, "productReference: must be 'pma-'"),
    ("POST", "/v2/issue/csr/pma-99999999-9999-4999-8999-999999999999", "text/plain", "@csr", 404, "011.351.0243"),
    ("POST", "/v2/issue/csr/{ra_product}", JSON, "@csr", 400, "Content-Type: must be text/plain"),
    ("POST", "/v2/issue/csr/{ra_product}", "text/plain", "", 400, "011.351.0229"),
    ("POST", "/v2/issue/csr/{ra_product}", "text/plain", "hello", 400, "011.351.0241"),
    ("POST", "/v2/issue/csr/{ra_product}", "text/plain", "@truncated_csr", 400, "011.351.0241"),
    ("POST", "/v2/issue/csr/{ra_product}", "text/plain", "@sigkey", 400, "expected a certificate signing request"),
    ("POST", "/v2/issue/csr/{ra_product}", "text/plain", "@private_key", 400, "a private key"),
    ("POST", "/v2/issue/csr/{ra_product}", "text/plain", "@non_utf8", 400, "must be UTF-8"),
    ("POST", "/v2/issue/csr/{ra_product}", "text/plain", "@huge", 413, "at most 65536 bytes"),
    ("POST", "/v2/issue/csr/{ra_product}", "text/plain", "@csr_rsa1024", 400, "011.351.0240"),
    ("POST", "/v2/issue/csr/{ra_product}", "text/plain", "@csr_e3", 400, "exponent 3"),
    ("POST", "/v2/issue/csr/{ra_product}", "text/plain", "@csr_sha1", 400, "sha1WithRSAEncryption"),
    ("POST", "/v2/issue/csr/{ra_product}", "text/plain", "@csr_bad_signature", 400, "proof of possession failed"),
    ("POST", "/v2/issue/csr/{ra_product}", "text/plain", "@csr_broken_san", 400, "011.351.0241"),
    ("POST", "/v2/issue/csr/{ra_product}", "text/plain", "@csr", 400, "011.351.0244"),
    ("POST", "/v2/issue/csr/pma-aaaaaaaa-0000-4000-8000-000000000003", "text/plain", "@csr", 400, "011.351.0245"),
    ("POST", "/v2/issue/csr/pma-aaaaaaaa-0000-4000-8000-000000000004", "text/plain", "@csr", 400, "011.351.0246"),
    ("POST", "/v2/issue/csr/pma-aaaaaaaa-0000-4000-8000-000000000005", "text/plain", "@csr", 400, "011.351.0247"),
    ("POST", "/v2/order/ord-1/status", "", "", 400, "orderReference: must be 'ord-'"),
    ("POST", "/v2/order/ord-99999999-9999-4999-8999-999999999999/status", "", "", 404, "no order"),
    ("POST", "/v2/order/ord-99999999-9999-4999-8999-999999999999", "", "", 404, "no order"),
    ("POST", "/v2/order/ord-99999999-9999-4999-8999-999999999999/certificate/chain", "", "", 404, "no order"),
    ("POST", "/v2/orders", JSON, r#"{"status":"done"}"#, 400, "status: must be one of"),
    ("POST", "/v2/orders", JSON, r#"{"createdFrom":"yesterday"}"#, 400, "createdFrom: 'yesterday' is not an RFC 3339"),
    ("POST", "/v2/orders", JSON, r#"{"colour":"red"}"#, 400, "unknown field `colour`"),
    ("POST", "/v2/orders", JSON, r#"{"clientReference":"x"}"#, 400, "clientReference"),
    ("POST", "/v2/orders", JSON, r#"{"dnsName":"bad..name"}"#, 400, "domainName"),
    ("POST", "/v2/orders", JSON, "[1]", 400, "body: must be a JSON object"),
    ("POST", "/v2/orders", JSON, r#"{"limit":0}"#, 400, "limit: must be 1 to 1000"),
    ("POST", "/v2/orders", JSON, r#"{"limit":5000}"#, 400, "limit: must be 1 to 1000"),
    ("POST", "/v2/revoke", JSON, "[]", 400, "011.351.0229"),
    ("POST", "/v2/revoke", JSON, r#"{"serialNumber":"01"}"#, 400, "body: invalid type"),
    ("POST", "/v2/revoke", JSON, r#"[{"serialNumber":1}]"#, 400, "[0].serialNumber: invalid type"),
    ("POST", "/v2/revoke", JSON, r#"[{"serial":"01"}]"#, 400, "unknown field `serial`"),
    ("POST", "/v2/revoke", "text/plain", r#"[]"#, 400, "Content-Type"),
    // RA administration.
    ("POST", "/admin/ra/operators", JSON, r#"{"userName":"a b"}"#, 400, "userName: must be 1 to 64"),
    ("POST", "/admin/ra/operators", JSON, r#"{"userName":"x","apiKey":"short"}"#, 400, "apiKey: must be 32 to 512"),
    ("POST", "/admin/ra/operators", JSON, r#"{"userName":"x","clients":["cli-bad"]}"#, 400, "clientReference"),
    ("POST", "/admin/ra/operators", JSON, r#"{"userName":"x","clients":["cli-99999999-9999-4999-8999-999999999999"]}"#, 400, "clients: no client"),
    ("POST", "/admin/ra/operators", JSON, "[]", 400, "body: must be a JSON object"),
    ("POST", "/admin/ra/clients", JSON, r#"{"name":""}"#, 400, "name: must be 1 to 200"),
    ("POST", "/admin/ra/clients", JSON, r#"{"name":"x","products":[{"name":"p","profile":"nope"}]}"#, 400, "unknown variant `nope`"),
    ("POST", "/admin/ra/clients", JSON, r#"{"name":"x","reference":"pma-aaaaaaaa-0000-4000-8000-000000000001"}"#, 400, "clientReference"),
    ("POST", "/admin/ra/clients", JSON, r#"{"name":"x","products":[{"name":"p","profile":"tls-server","reference":"pma-aaaaaaaa-0000-4000-8000-000000000001"}]}"#, 409, "already belongs to client"),
    ("PUT", "/admin/dns/txt/bad..name", JSON, r#"["x"]"#, 400, "domainName"),
    ("PUT", "/admin/dns/txt/a.example.com", JSON, r#""x""#, 400, "must be a JSON array of strings"),
    ("PUT", "/admin/dns/txt/a.example.com", JSON, "[\"a\\u0007b\"]", 400, "control characters"),
    ("GET", "/admin/dns/txt/localhost", "", "", 400, "at least 2 labels"),
    // Trust store administration.
    ("GET", "/admin/truststore/abc", "", "", 400, "fingerprint: must be the SHA-256 of the certificate's DER as 64 hex digits"),
    ("GET", "/admin/truststore/{no_anchor}", "", "", 404, "no trust anchor has the fingerprint"),
    ("DELETE", "/admin/truststore/{no_anchor}", "", "", 404, "no trust anchor has the fingerprint"),
    ("DELETE", "/admin/truststore/gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg", "", "", 400, "fingerprint: must be"),
    ("DELETE", "/admin/truststore/a%3Ab", "", "", 400, "fingerprint: must be"),
    ("POST", "/admin/truststore", JSON, "{}", 415, "Content-Type: must be application/x-pem-file or text/plain"),
    ("POST", "/admin/truststore", "", "@external", 415, "Content-Type"),
    ("POST", "/admin/truststore", PEM, "", 400, "body: is required"),
    ("POST", "/admin/truststore", "text/plain", "hello", 400, "certificate: must hold one or more PEM CERTIFICATE blocks"),
    ("POST", "/admin/truststore", PEM, "@csr", 400, "certificate: must hold only PEM CERTIFICATE blocks; block 1 is a certificate signing request"),
    ("POST", "/admin/truststore", PEM, "@sigkey", 400, "block 1 is a public key"),
    ("POST", "/admin/truststore", PEM, "@external_then_key", 400, "block 2 is a private key"),
    ("POST", "/admin/truststore", PEM, "@truncated_cert", 400, "certificate: PEM block 1 has no END line"),
    ("POST", "/admin/truststore", PEM, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", 400, "certificate: PEM block 1 does not decode as X.509"),
    ("POST", "/admin/truststore", PEM, "@non_utf8", 400, "body: must be UTF-8"),
    ("POST", "/admin/truststore", PEM, "<b>", 400, "must match ^[^<>]*$"),
    ("POST", "/admin/truststore", PEM, "@huge_bundle", 413, "at most 262144 bytes"),
    // Tenants face (seed 003): login.
    ("POST", "/api/login", JSON, "{", 400, "body: EOF"),
    ("POST", "/api/login", JSON, "", 400, "body:"),
    ("POST", "/api/login", JSON, "@non_utf8", 400, "body:"),
    ("POST", "/api/login", JSON, "[]", 400, "body: must be a JSON object"),
    ("POST", "/api/login", JSON, r#"["{email}", "{password}"]"#, 400, "body: must be a JSON object"),
    ("POST", "/api/login", JSON, r#"{"email": "{email}"}"#, 400, "missing field `password`"),
    ("POST", "/api/login", JSON, r#"{"password": "{password}"}"#, 400, "missing field `email`"),
    ("POST", "/api/login", JSON, r#"{"email": "{email}", "password": "{password}", "remember": true}"#, 400, "unknown field `remember`"),
    ("POST", "/api/login", JSON, r#"{"email": 7, "password": "{password}"}"#, 400, "email: invalid type: integer"),
    ("POST", "/api/login", JSON, r#"{"email": ["{email}"], "password": "{password}"}"#, 400, "email: invalid type: sequence"),
    ("POST", "/api/login", JSON, r#"{"email": "{email}", "password": null}"#, 400, "password: invalid type: null"),
    ("POST", "/api/login", JSON, r#"{"email": "{email}", "password": "wrong password"}"#, 401, "email or password is wrong"),
    ("POST", "/api/login", JSON, r#"{"email": "{email}", "password": ""}"#, 401, "email or password is wrong"),
    ("POST", "/api/login", JSON, r#"{"email": "nobody@acmepaymentscorp.example", "password": "{password}"}"#, 401, "email or password is wrong"),
    ("POST", "/api/login", JSON, r#"{"email": "not an address", "password": "{password}"}"#, 401, "email or password is wrong"),
    ("POST", "/api/login|accept: application/xml", JSON, r#"{"email": "{email}", "password": "wrong password"}"#, 401, "<code>401</code><message>email or password is wrong</message>"),
    ("DELETE", "/api/login", "", "", 401, "AtmoAuthToken_{FedmemberID}: missing cookie; there is no session to end"),
    ("DELETE", "/api/login|cookie: AtmoAuthToken_{tenant}=garbage", "", "", 401, "not a session of tenant 'acmepaymentscorp'"),
    // Tenants: who is asking. `/api/tenants` rows carry the session cookie and
    // CSRF header login answered, unless the header column names its own
    // `cookie` or `x-csrf-token_*`; a name with no value sends none.
    ("GET", "{pki}|cookie: _ga=GA1.2.126252262.1516220845", "", "", 401, "AtmoAuthToken_acmepaymentscorp: missing cookie"),
    ("POST", "{pki}|cookie: _ga=GA1.2.126252262.1516220845", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test&keystorePass=changeit", 401, "missing cookie"),
    ("DELETE", "{pki}|cookie:", "", "", 401, "missing cookie"),
    ("GET", "{pki}|cookie: AtmoAuthToken_{tenant}=garbage", "", "", 401, "AtmoAuthToken_acmepaymentscorp: not a session of tenant 'acmepaymentscorp'"),
    ("GET", "{pki}|cookie: AtmoAuthToken_{tenant}=TokenID%3D%2CexpirationTime%3D4102444800000", "", "", 401, "not a session of tenant"),
    ("DELETE", "{pki}|cookie: AtmoAuthToken_{tenant}=TokenID%3D6d8a1f7e-0000-4000-8000-000000000000%2CexpirationTime%3D4102444800000", "", "", 401, "(unknown, ended or expired)"),
    ("GET", "{pki}|cookie: AtmoAuthToken_{tenant}={csrf}", "", "", 401, "not a session of tenant"),
    ("GET", "/api/tenants/othertenant/theme/default/pki", "", "", 401, "AtmoAuthToken_othertenant: missing cookie"),
    ("GET", "/api/tenants/othertenant/theme/default/pki|cookie: AtmoAuthToken_othertenant={session}", "", "", 401, "not a session of tenant 'othertenant'"),
    ("POST", "{pki}|x-csrf-token_{tenant}:", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test&keystorePass=changeit", 401, "X-Csrf-Token_acmepaymentscorp: missing"),
    ("DELETE", "{pki}|x-csrf-token_{tenant}:", "", "", 401, "X-Csrf-Token_acmepaymentscorp: missing"),
    ("POST", "{pki}|x-csrf-token_othertenant: {csrf}", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test&keystorePass=changeit", 401, "X-Csrf-Token_acmepaymentscorp: missing"),
    ("POST", "{pki}|x-csrf-token_{tenant}: TokenID%3D6d8a1f7e-0000-4000-8000-000000000000%2CexpirationTime%3D4102444800000", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test&keystorePass=changeit", 401, "X-Csrf-Token_acmepaymentscorp: not this session's CSRF token"),
    ("POST", "{pki}|x-csrf-token_{tenant}: {session}", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test&keystorePass=changeit", 401, "not this session's CSRF token"),
    ("DELETE", "{pki}|x-csrf-token_{tenant}: garbage", "", "", 401, "not this session's CSRF token"),
    ("POST", "{pki}|x-csrf-token_{tenant}:", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test&keystorePass=changeit&X-Csrf-Token_{tenant}=garbage", 401, "not this session's CSRF token"),
    ("POST", "{pki}|accept: application/xml", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test&keystorePass=changeit&X-Csrf-Token_othertenant={csrf}", 400, "<code>400</code><message>form: part &#39;X-Csrf-Token_othertenant&#39; is not a field of this call"),
    // Tenants: path ids.
    ("GET", "/api/tenants/acme%20corp/theme/default/pki", "", "", 400, "FedmemberID: must be 1 to 64 characters of A-Z, a-z, 0-9 and . _ -"),
    ("GET", "/api/tenants/acme%3Bcorp/theme/default/pki", "", "", 400, "FedmemberID: must be 1 to 64"),
    ("DELETE", "/api/tenants/acme%2Fcorp/theme/default/pki", "", "", 400, "FedmemberID: must be 1 to 64"),
    ("GET", "/api/tenants/a%C3%A7%C3%A3o/theme/default/pki", "", "", 400, "FedmemberID: must be 1 to 64"),
    ("POST", "/api/tenants/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/theme/default/pki", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test", 400, "FedmemberID: must be 1 to 64"),
    ("GET", "/api/tenants/{tenant}/theme/%3Cclone%3E/pki", "", "", 400, "theme: must be 1 to 64 characters of A-Z, a-z, 0-9 and . _ -"),
    ("GET", "/api/tenants/{tenant}/theme/a%0Ab/pki", "", "", 400, "theme: must be 1 to 64"),
    ("DELETE", "/api/tenants/{tenant}/theme/a%2Fb/pki", "", "", 400, "theme: must be 1 to 64"),
    ("POST", "/api/tenants/{tenant}/theme/tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt/pki", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test", 400, "theme: must be 1 to 64"),
    ("GET", "/api/tenants/{tenant}/theme/%2E%2E/pki", "", "", 404, "no route"),
    ("GET", "/api/tenants/{tenant}/theme/default", "", "", 404, "no route"),
    ("PUT", "{pki}", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test", 405, "this path takes DELETE, GET, POST"),
    // Tenants: the upload's media type and multipart framing.
    ("POST", "{pki}", "application/octet-stream", "@aes256.p12", 415, "Content-Type: must be multipart/form-data, got 'application/octet-stream'"),
    ("POST", "{pki}", JSON, r#"{"alias": "obdir-test"}"#, 415, "got 'application/json'"),
    ("POST", "{pki}", FORM, "alias=obdir-test&keystorePass=changeit", 415, "got 'application/x-www-form-urlencoded'"),
    ("POST", "{pki}", "", "form:path=@aes256.p12&alias=obdir-test", 415, "Content-Type: must be multipart/form-data, got ''"),
    ("POST", "{pki}", "multipart/mixed; boundary=row-boundary", "form:path=@aes256.p12&alias=obdir-test", 415, "got 'multipart/mixed'"),
    ("POST", "{pki}|accept: application/xml", "text/plain", "x", 415, "<code>415</code><message>Content-Type: must be multipart/form-data"),
    ("POST", "{pki}", "multipart/form-data", "form:path=@aes256.p12&alias=obdir-test", 415, "multipart/form-data must name its boundary (boundary=...)"),
    ("POST", "{pki}", "multipart/form-data; boundary=", "form:path=@aes256.p12&alias=obdir-test", 415, "the boundary must be 1 to 70 characters of RFC 2046's set"),
    ("POST", "{pki}", "multipart/form-data; boundary=a<b", "form:path=@aes256.p12&alias=obdir-test", 415, "the boundary must be 1 to 70"),
    ("POST", "{pki}", "multipart/form-data; boundary=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "form:path=@aes256.p12&alias=obdir-test", 415, "the boundary must be 1 to 70"),
    ("POST", "{pki}", FORM_DATA, "@huge_upload", 413, "body: must be at most 1048576 bytes"),
    ("POST", "{pki}", FORM_DATA, "", 400, "body: no multipart boundary in the body"),
    ("POST", "{pki}", FORM_DATA, "@aes256.p12", 400, "body: no multipart boundary in the body"),
    ("POST", "{pki}", "multipart/form-data; boundary=another-boundary", "form:path=@aes256.p12&alias=obdir-test", 400, "no multipart boundary in the body"),
    ("POST", "{pki}", FORM_DATA, "--row-boundaryxx\r\n", 400, "body: a multipart boundary must end its line (CRLF)"),
    ("POST", "{pki}", FORM_DATA, "--row-boundary\r\nContent-Disposition: form-data; name=\"alias\"\r\n\r\nobdir-test", 400, "body: the multipart body ends before its closing boundary"),
    ("POST", "{pki}", FORM_DATA, "--row-boundary\r\nContent-Disposition: form-data; name=\"alias\"\r\n\r\nobdir-test\r\n--row-boundary\r\n", 400, "ends before its closing boundary"),
    ("POST", "{pki}", FORM_DATA, "--row-boundary\r\nContent-Type: text/plain\r\n\r\nobdir-test\r\n--row-boundary--", 400, "body: multipart part 1: no Content-Disposition header"),
    ("POST", "{pki}", FORM_DATA, "--row-boundary\r\n\r\nobdir-test\r\n--row-boundary--", 400, "multipart part 1: no Content-Disposition header"),
    ("POST", "{pki}", FORM_DATA, "--row-boundary\r\nContent-Disposition: form-data; name=\"alias\"\r\nobdir-test\r\n--row-boundary--", 400, "multipart part 1: no blank line after its headers"),
    ("POST", "{pki}", FORM_DATA, "--row-boundary\r\nContent-Disposition form-data\r\n\r\nobdir-test\r\n--row-boundary--", 400, "header line 'Content-Disposition form-data' has no ':'"),
    ("POST", "{pki}", FORM_DATA, "--row-boundary\r\nContent-Disposition: attachment; name=\"alias\"\r\n\r\nobdir-test\r\n--row-boundary--", 400, "Content-Disposition must be form-data, got 'attachment'"),
    ("POST", "{pki}", FORM_DATA, "--row-boundary\r\nContent-Disposition: form-data; filename=\"a.p12\"\r\n\r\nobdir-test\r\n--row-boundary--", 400, "Content-Disposition: no name parameter"),
    ("POST", "{pki}", FORM_DATA, "--row-boundary\r\nContent-Disposition: form-data; name=\"alias\r\n\r\nobdir-test\r\n--row-boundary--", 400, "Content-Disposition: a quoted value is not closed"),
    ("POST", "{pki}", FORM_DATA, "--row-boundary\r\nContent-Disposition: form-data; name=\"alias\"; name=\"path\"\r\n\r\nobdir-test\r\n--row-boundary--", 400, "Content-Disposition: 'name' given twice"),
    ("POST", "{pki}", FORM_DATA, "--row-boundary\r\nContent-Disposition: form-data; name=alias\r\ncontent-disposition: form-data; name=path\r\n\r\nobdir-test\r\n--row-boundary--", 400, "more than one Content-Disposition"),
    ("POST", "{pki}", FORM_DATA, "--row-boundary\r\nContent-Disposition: form-data; name\r\n\r\nobdir-test\r\n--row-boundary--", 400, "Content-Disposition: parameter 'name' has no value"),
    ("POST", "{pki}", FORM_DATA, "@many_parts", 400, "body: more than 64 multipart parts"),
    // Tenants: the form's fields.
    ("POST", "{pki}", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test&alias=obdir-test", 400, "alias: more than one form part of that name"),
    ("POST", "{pki}", FORM_DATA, "form:path=@aes256.p12&path=@aes256.p12&alias=obdir-test", 400, "path: more than one form part of that name"),
    ("POST", "{pki}", FORM_DATA, "form:path=@aes256.p12&fileName=@aes256.p12&alias=obdir-test", 400, "fileName: give the keystore once, as part 'path' or 'fileName', not both"),
    ("POST", "{pki}", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test&colour=red", 400, "form: part 'colour' is not a field of this call; expected path or fileName, alias, keystorePass, aliasPass, forceTrust, X-Csrf-Token_acmepaymentscorp"),
    ("POST", "{pki}?colour=red", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test", 400, "query: 'colour' is not a parameter of this call; expected alias, keystorePass, aliasPass, forceTrust"),
    ("POST", "{pki}?path=x", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test", 400, "query: 'path' is not a parameter of this call"),
    ("POST", "{pki}?alias=a&alias=b", FORM_DATA, "form:path=@aes256.p12", 400, "alias: given twice in the query"),
    ("POST", "{pki}?alias=obdir-test", FORM_DATA, "form:path=@aes256.p12&alias=first", 400, "alias: given twice with different values (form too)"),
    ("POST", "{pki}", FORM_DATA, "form:alias=obdir-test&keystorePass=changeit", 400, "fileName: required: a form part named 'path' or 'fileName' holding the PKCS#12 or JKS file"),
    ("POST", "{pki}?alias=obdir-test&keystorePass=changeit", FORM_DATA, "form:", 400, "fileName: required"),
    ("POST", "{pki}", FORM_DATA, "form:path=@aes256.p12&keystorePass=changeit", 400, "alias: required (query or form): the keystore entry to use"),
    ("POST", "{pki}?alias=", FORM_DATA, "form:path=@aes256.p12&keystorePass=changeit", 400, "alias: required"),
    ("POST", "{pki}", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test&keystorePass=changeit&forceTrust=yes", 400, "forceTrust: must be true or false, got 'yes'"),
    ("POST", "{pki}?forceTrust=1", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test&keystorePass=changeit", 400, "forceTrust: must be true or false, got '1'"),
    ("POST", "{pki}?forceTrust=", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test&keystorePass=changeit", 400, "forceTrust: must be true or false, got ''"),
    ("POST", "{pki}", FORM_DATA, "form:path=@aes256.p12&alias=@non_utf8", 400, "alias: must be UTF-8 text"),
    // Tenants: the keystore, its passwords and its entry.
    ("POST", "{pki}", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test&keystorePass=wrong", 400, "keystorePass: the keystore password is wrong"),
    ("POST", "{pki}", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test", 400, "keystorePass: the keystore password is wrong"),
    ("POST", "{pki}?keystorePass=wrong&alias=obdir-test", FORM_DATA, "form:fileName=@keystore.jks", 400, "keystorePass: the keystore password is wrong"),
    ("POST", "{pki}", FORM_DATA, "form:path=@keystore.jceks&alias=obdir-test&keystorePass=wrong", 400, "keystorePass: the keystore password is wrong"),
    ("POST", "{pki}", FORM_DATA, "form:path=@keystore.jks&alias=separate-keypass&keystorePass=changeit&aliasPass=wrong", 400, "aliasPass: the password for alias 'separate-keypass' is wrong"),
    ("POST", "{pki}", FORM_DATA, "form:path=@keystore.jceks&alias=separate-keypass&keystorePass=changeit&aliasPass=changeit", 400, "aliasPass: the password for alias 'separate-keypass' is wrong"),
    ("POST", "{pki}", FORM_DATA, "form:path=@keystore.jks&alias=separate-keypass&keystorePass=changeit", 400, "keystorePass: the password for alias 'separate-keypass' is wrong"),
    ("POST", "{pki}", FORM_DATA, "form:path=@aes256.p12&alias=gencert&keystorePass=changeit", 400, "alias: the keystore has no entry with alias 'gencert'; the aliases present are 'obdir-test'"),
    ("POST", "{pki}", FORM_DATA, "form:path=@keystore.jks&alias=nope&keystorePass=changeit", 400, "the aliases present are 'separate-keypass', 'obdir-test', 'chained', 'test-ca'"),
    ("POST", "{pki}", FORM_DATA, "form:path=@ca.pem&alias=obdir-test&keystorePass=changeit", 400, "fileName: the keystore file cannot be read: it is PEM text, not a keystore"),
    ("POST", "{pki}", FORM_DATA, "form:path=@external&alias=obdir-test&keystorePass=changeit", 400, "it is PEM text, not a keystore"),
    ("POST", "{pki}", FORM_DATA, "form:path=&alias=obdir-test&keystorePass=changeit", 400, "fileName: the keystore file cannot be read: it is not a PKCS#12 (.p12, .pfx), JKS or JCEKS keystore"),
    ("POST", "{pki}", FORM_DATA, "form:path=@truncated_p12&alias=obdir-test&keystorePass=changeit", 400, "fileName: the keystore file cannot be read"),
    ("POST", "{pki}", FORM_DATA, "form:path=@nomac.p12&alias=no-mac&keystorePass=changeit", 400, "fileName: the PKCS#12 file has no MAC"),
    ("POST", "{pki}", FORM_DATA, "form:path=@secret-key.jceks&alias=aes-key&keystorePass=changeit", 400, "fileName: 'aes-key' is a secret-key entry"),
    // Tenants: an entry whose certificate the trust store does not trust.
    ("POST", "{pki}", FORM_DATA, "form:path=@aes256.p12&alias=obdir-test&keystorePass=changeit", 400, "the certificate 'CN=obdir keystore test leaf' does not chain to the trust store: self-signed certificate in certificate chain"),
    ("POST", "{pki}?keystorePass=changeit&alias=chained&aliasPass=changeit&forceTrust=false", FORM_DATA, "form:path=@keystore.jks", 400, "does not chain to the trust store: self-signed certificate in certificate chain"),
    ("POST", "{pki}", FORM_DATA, "form:path=@unnamed.p12&alias=1&keystorePass=changeit&forceTrust=False", 400, "'CN=obdir keystore test unnamed' does not chain to the trust store: self-signed certificate"),
    ("POST", "{pki}", FORM_DATA, "form:path=@lonely.p12&alias=lonely&keystorePass=changeit&forceTrust=true", 400, "the keystore does not carry its issuer 'C=BR, O=Elsewhere, CN=Unknown CA'"),
    // Tenants: a theme that holds no PKI.
    ("GET", "{pki}", "", "", 404, "theme 'default' of tenant 'acmepaymentscorp' holds no PKI"),
    ("DELETE", "{pki}", "", "", 404, "theme 'default' of tenant 'acmepaymentscorp' holds no PKI"),
    ("GET", "/api/tenants/{tenant}/theme/clone/pki|accept: application/xml", "", "", 404, "<Error xmlns=\"http://soa.com/uri/products/restapi/xsd/1.0\"><code>404</code><message>theme &#39;clone&#39; of tenant &#39;acmepaymentscorp&#39; holds no PKI</message></Error>"),
    // Tenants administration (a refused admin token gets a 401 with no body).
    ("POST", "/admin/tenants/users", JSON, r#"{"tenant": "{tenant}", "email": "not-an-address", "password": "long enough"}"#, 400, "email: must be an e-mail address"),
    ("POST", "/admin/tenants/users", JSON, r#"{"tenant": "{tenant}", "email": "new@acmepaymentscorp.example", "password": "short"}"#, 400, "password: must be 8 to 1024 characters"),
    ("POST", "/admin/tenants/users", JSON, r#"{"tenant": "acme corp", "email": "new@acmepaymentscorp.example", "password": "long enough"}"#, 400, "FedmemberID: must be 1 to 64"),
    ("POST", "/admin/tenants/users", JSON, r#"{"tenant": "", "email": "", "password": ""}"#, 400, r#"["FedmemberID: must be"#),
    ("POST", "/admin/tenants/users", JSON, r#"{"tenant": "{tenant}", "email": "new@acmepaymentscorp.example", "password": "long enough", "role": "admin"}"#, 400, "unknown field `role`"),
    ("POST", "/admin/tenants/users", JSON, r#"{"tenant": "{tenant}", "email": "new@acmepaymentscorp.example"}"#, 400, "missing field `password`"),
    ("POST", "/admin/tenants/users", JSON, r#"{"tenant": 1, "email": "new@acmepaymentscorp.example", "password": "long enough"}"#, 400, "tenant: invalid type"),
    ("POST", "/admin/tenants/users", JSON, "[]", 400, "body: must be a JSON object"),
    ("POST", "/admin/tenants/users", JSON, "{", 400, "body:"),
    ("POST", "/admin/tenants/users|authorization:", JSON, r#"{"tenant": "{tenant}", "email": "new@acmepaymentscorp.example", "password": "long enough"}"#, 401, ""),
    ("POST", "/admin/tenants/users|authorization: Bearer wrong-token", JSON, r#"{"tenant": "{tenant}", "email": "new@acmepaymentscorp.example", "password": "long enough"}"#, 401, ""),
    ("GET", "/admin/tenants/users|authorization:", "", "", 401, ""),
    ("DELETE", "/admin/tenants/users/{email}|authorization:", "", "", 401, ""),
    ("DELETE", "/admin/tenants/users/not-an-address", "", "", 400, "email: must be an e-mail address"),
    ("DELETE", "/admin/tenants/users/nobody@acmepaymentscorp.example", "", "", 404, "no tenant user 'nobody@acmepaymentscorp.example'"),
    ("GET", "/no/such/route", "", "", 404, "no route for GET /no/such/route"),
    ("DELETE", "/organisations/{org}", "", "", 405, "is not served; this path takes GET, PUT"),
];

/// The PEMs and tokens `@name` stands for.
fn materials(tpp: &Tpp) -> HashMap<&'static str, Vec<u8>> {
    let obie = obie_subject(ORG, SS);
    let brazil = brazil_subject(ORG, SS);
    let rsa = tpp.rsa_key("rsa.key", 2048);
    let rsa1024 = tpp.rsa_key("rsa1024.key", 1024);
    let e3 = tpp.rsa_key_with_exponent("e3.key", 3);
    let p256 = tpp.ec_key("p256.key", "P-256");
    let p521 = tpp.ec_key("p521.key", "P-521");
    let k1 = tpp.ec_key("k1.key", "secp256k1");
    let ed25519 = tpp.path("ed25519.key");
    assert!(
        std::process::Command::new("openssl")
            .args([
                "genpkey",
                "-algorithm",
                "ED25519",
                "-out",
                ed25519.to_str().unwrap()
            ])
            .status()
            .unwrap()
            .success()
    );
    let csr = tpp.csr(&rsa, &obie, &[]);
    let tampered = {
        use base64::Engine;
        let body: String = csr.lines().filter(|l| !l.starts_with("-----")).collect();
        let mut der = base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap();
        let last = der.len() - 1;
        der[last] ^= 1;
        format!(
            "-----BEGIN CERTIFICATE REQUEST-----\n{}\n-----END CERTIFICATE REQUEST-----\n",
            base64::engine::general_purpose::STANDARD.encode(der)
        )
    };
    let truncate =
        |pem: &str| pem.lines().take(4).collect::<Vec<_>>().join("\n") + "\n-----END X-----\n";
    let external = tpp.self_signed(&rsa, &brazil, 30);
    let jwt = |header: &str, claims: &str| {
        use base64::Engine;
        let e = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.c2ln", e(header), e(claims))
    };
    let key = |k: &std::path::Path| tpp.public_key_pem(k);
    let mut m: HashMap<&'static str, Vec<u8>> = HashMap::new();
    let mut put = |name: &'static str, value: String| {
        m.insert(name, value.into_bytes());
    };
    put("sigkey", key(&p256));
    put("csr", csr.clone());
    put("external", external.clone());
    put("huge", "A".repeat(64 * 1024 + 1));
    let names: Vec<String> = (0..101).map(|i| format!("n{i}.example.com")).collect();
    put("many_names", serde_json::to_string(&names).unwrap());
    put("private_key", std::fs::read_to_string(&rsa).unwrap());
    put("truncated_key", truncate(&key(&rsa)));
    put("truncated_csr", truncate(&csr));
    put("truncated_cert", truncate(&external));
    put("csr_rsa1024", tpp.csr(&rsa1024, &obie, &[]));
    put("csr_brazil_rsa1024", tpp.csr(&rsa1024, &brazil, &[]));
    put("key_rsa1024", key(&rsa1024));
    put("key_rsa1024_pkcs1", tpp.rsa_public_key_pem(&rsa1024));
    put("csr_e3", tpp.csr(&e3, &obie, &[]));
    put("key_e3", key(&e3));
    put("key_secp256k1", key(&k1));
    put("key_ed25519", key(&ed25519));
    put("csr_p521", tpp.csr(&p521, &obie, &[]));
    put("csr_p256", tpp.csr(&p256, &obie, &[]));
    put("csr_brazil_p256", tpp.csr(&p256, &brazil, &[]));
    put("csr_sha1", tpp.csr(&rsa, &obie, &["-sha1"]));
    put("csr_sha224", tpp.csr(&rsa, &obie, &["-sha224"]));
    put("csr_bad_signature", tampered);
    put(
        "csr_broken_san",
        tpp.csr(&rsa, &obie, &["-addext", "2.5.29.17=DER:0102030405"]),
    );
    put(
        "csr_two_cns",
        tpp.csr(&rsa, &format!("{obie}/CN=someone-else"), &[]),
    );
    put(
        "csr_two_ous",
        tpp.csr(&rsa, &format!("/OU={ORG}/OU=other/CN={SS}"), &[]),
    );
    put(
        "csr_other_cn",
        tpp.csr(&rsa, &obie_subject(ORG, "someone-else"), &[]),
    );
    put(
        "csr_other_ou",
        tpp.csr(&rsa, &obie_subject("other-org", SS), &[]),
    );
    put("csr_no_cn", tpp.csr(&rsa, &format!("/OU={ORG}"), &[]));
    put(
        "csr_brazil_other_uid",
        tpp.csr(&rsa, &brazil_subject(ORG, "someone-else"), &[]),
    );
    put(
        "csr_brazil_other_org",
        tpp.csr(&rsa, &brazil_subject("other-org", SS), &[]),
    );
    put(
        "csr_brazil_other_cnpj",
        tpp.csr(
            &rsa,
            &brazil_subject(ORG, SS).replace("43142666000197", "11222333000181"),
            &[],
        ),
    );
    put(
        "csr_brazil_no_business_category",
        tpp.csr(
            &rsa,
            &brazil_subject(ORG, SS).replace("/businessCategory=Private Organization", ""),
            &[],
        ),
    );
    put(
        "csr_brseal_other_cnpj",
        tpp.csr(
            &rsa,
            &format!("/UID={ORG}/C=BR/O=ICP-Brasil/OU=AC Demo/OU=12345678000195/OU=Videoconferencia/CN=Demo TPP Ltda"),
            &["-addext", "subjectAltName=otherName:2.16.76.1.3.3;PRINTABLESTRING:11222333000181"],
        ),
    );
    put(
        "csr_brazil_ou_only",
        tpp.csr(&rsa, &format!("/OU={ORG}/UID={SS}/CN=tpp.example"), &[]),
    );
    put(
        "external_other_uid",
        tpp.self_signed(&rsa, &brazil_subject(ORG, "someone-else"), 30),
    );
    let unknown_ca = tpp.ca("unknown-ca", "/C=BR/O=Elsewhere/CN=Unknown CA");
    put(
        "external_by_unknown_ca",
        tpp.signed_by(&unknown_ca, &rsa, &brazil, 30),
    );
    put(
        "external_then_key",
        external.clone() + &std::fs::read_to_string(&rsa).unwrap(),
    );
    put("huge_bundle", "A".repeat(256 * 1024 + 1));
    put(
        "assertion_unknown_client",
        jwt(
            r#"{"alg":"RS256","kid":"k"}"#,
            r#"{"iss":"nobody","sub":"nobody"}"#,
        ),
    );
    put(
        "assertion_no_kid",
        jwt(
            r#"{"alg":"RS256"}"#,
            &format!(r#"{{"iss":"{SS}","sub":"{SS}"}}"#),
        ),
    );
    put(
        "assertion_none",
        jwt(
            r#"{"alg":"none","kid":"k"}"#,
            &format!(r#"{{"iss":"{SS}","sub":"{SS}"}}"#),
        ),
    );
    m.insert("non_utf8", vec![0xff, 0xfe, 0xfd]);
    // The tenants face's uploads: the keystore fixtures, and a PKCS#12 whose
    // leaf comes without the CA that issued it.
    let keystores = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/keystores");
    for name in [
        "aes256.p12",
        "unnamed.p12",
        "nomac.p12",
        "keystore.jks",
        "keystore.jceks",
        "secret-key.jceks",
        "ca.pem",
    ] {
        m.insert(name, std::fs::read(keystores.join(name)).unwrap());
    }
    let p12 = m["aes256.p12"].clone();
    m.insert("truncated_p12", p12[..p12.len() / 2].to_vec());
    let leaf = tpp.path("lonely.pem");
    std::fs::write(
        &leaf,
        tpp.signed_by(&unknown_ca, &rsa, "/CN=lonely leaf", 30),
    )
    .unwrap();
    let lonely = tpp.path("lonely.p12");
    let path = |p: &std::path::Path| p.to_str().unwrap().to_owned();
    #[rustfmt::skip]
    let export = [
        "pkcs12", "-export", "-name", "lonely", "-passout", "pass:changeit",
        "-inkey", &path(&rsa), "-in", &path(&leaf), "-out", &path(&lonely),
    ];
    assert!(
        std::process::Command::new("openssl")
            .args(export)
            .status()
            .unwrap()
            .success()
    );
    m.insert("lonely.p12", std::fs::read(&lonely).unwrap());
    m.insert("huge_upload", vec![b'A'; 1024 * 1024 + 1]);
    let many: Vec<String> = (0..65).map(|i| format!("colour{i}=red")).collect();
    m.insert("many_parts", form(&many.join("&"), &m));
    m
}

/// A `form:` row's body: its `name=value` parts as multipart/form-data, a
/// value `@name` sent as a file of that name.
fn form(parts: &str, materials: &HashMap<&'static str, Vec<u8>>) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match value.strip_prefix('@') {
            Some(file) => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                         Content-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                let data = materials
                    .get(file)
                    .unwrap_or_else(|| panic!("no material @{file}"));
                body.extend_from_slice(data);
            }
            None => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}")
                        .as_bytes(),
                );
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Logs the rows' tenant user in: the session cookie's value and the CSRF
/// token login answered.
async fn tenant_login(app: &TestApp) -> (String, String) {
    let response = app
        .client
        .post(app.url("/api/login"))
        .json(&serde_json::json!({"email": TENANT_EMAIL, "password": TENANT_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let prefix = format!("AtmoAuthToken_{TENANT}=");
    let session = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.strip_prefix(prefix.as_str()))
        .map(|rest| rest.split(';').next().unwrap_or("").to_owned())
        .next()
        .expect("a session cookie");
    let body: serde_json::Value = response.json().await.unwrap();
    (session, body["csrfToken"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn every_malformed_request_gets_a_4xx_naming_the_problem_and_writes_nothing() {
    assert!(ROWS.len() >= 150, "the catalogue has {} rows", ROWS.len());
    let config = format!(
        "{}\n[[tenants.users]]\ntenant = \"{TENANT}\"\nemail = \"{TENANT_EMAIL}\"\npassword = \"{TENANT_PASSWORD}\"\n",
        crate::ra::ra_config("")
    );
    let app = spawn_app_with(AppOptions {
        config: Some(Box::leak(config.into_boxed_str())),
        ..Default::default()
    })
    .await;
    let ra_token = crate::ra::session(&app, crate::ra::USER, crate::ra::API_KEY).await;
    // A login writes a session: done before the store is looked at.
    let (session, csrf) = tenant_login(&app).await;
    let tpp = Tpp::new();
    let materials = materials(&tpp);
    // One real record, so rows can name a kid that exists.
    let response = app
        .upload(
            "rtssigning",
            &tpp.csr(&tpp.rsa_key("real.key", 2048), &obie_subject(ORG, SS), &[]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let kid = response.json::<serde_json::Value>().await.unwrap()["kid"]
        .as_str()
        .unwrap()
        .to_owned();
    // One authorisation server with one API resource, for the rows under them.
    let servers = format!("/organisations/{ORG}/authorisationservers");
    let server = serde_json::json!({"AuthorisationServerId": "as-rows", "AutoRegistrationSupported": true,
        "CustomerFriendlyName": "A", "CustomerFriendlyDescription": "B"});
    assert_eq!(
        app.post_json(&servers, &server).await.status(),
        StatusCode::CREATED
    );
    let resource = serde_json::json!({"ApiFamilyType": "accounts", "ApiVersion": "2.0.0",
        "ApiEndpoint": "https://api.rows.example/accounts/v2"});
    let response = app
        .post_json(&format!("{servers}/as-rows/apiresources"), &resource)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let resource = response.json::<serde_json::Value>().await.unwrap()["ApiResourceId"]
        .as_str()
        .unwrap()
        .to_owned();
    let roots: serde_json::Value = app
        .get("/v1/ecosystems/certificates/ca")
        .await
        .json()
        .await
        .unwrap();
    let root = roots["data"][0]["id"].as_str().unwrap().to_owned();
    let basic = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(format!("{SS}:guess"))
    };
    let fill = |text: &str| {
        text.replace("{upload}", UPLOAD)
            .replace("{pki}", PKI)
            .replace("{tenant}", TENANT)
            .replace("{email}", TENANT_EMAIL)
            .replace("{password}", TENANT_PASSWORD)
            .replace("{session}", &session)
            .replace("{csrf}", &csrf)
            .replace("{org}", ORG)
            .replace("{ss}", SS)
            .replace("{kid}", &kid)
            .replace("{res}", &resource)
            .replace("{root}", &root)
            .replace("{basic}", &basic)
            .replace("{ra_client}", crate::ra::ALPHA)
            .replace("{ra_product}", crate::ra::TLS_PRODUCT)
            .replace("{admin}", TOKEN)
            .replace("{no_anchor}", &"0".repeat(64))
    };
    let mut before = app.services.test_control.stored_contents().unwrap();

    let mut failures = Vec::new();
    for (i, (method, path, content_type, body, status, needle)) in ROWS.iter().enumerate() {
        let (path, header) = match path.split_once('|') {
            Some((path, header)) => (path, Some(fill(header))),
            None => (*path, None),
        };
        let header = header.as_deref();
        let body: Vec<u8> = match body.strip_prefix('@').filter(|name| !name.contains('&')) {
            _ if body.starts_with("form:") => form(&fill(&body["form:".len()..]), &materials),
            Some(name) => materials
                .get(name)
                .unwrap_or_else(|| panic!("row {i}: no material @{name}"))
                .clone(),
            None => {
                let text = fill(body);
                match text.split_once("client_assertion=@") {
                    Some((head, name)) => {
                        let value = materials
                            .get(name)
                            .unwrap_or_else(|| panic!("row {i}: no material @{name}"));
                        format!("{head}client_assertion={}", String::from_utf8_lossy(value))
                            .into_bytes()
                    }
                    None => text.into_bytes(),
                }
            }
        };
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let url_path = fill(path);
        let mut request = app
            .client
            .request(method.clone(), app.url(&url_path))
            .body(body);
        let own = |name: &str| header.is_some_and(|h| h.to_ascii_lowercase().starts_with(name));
        if url_path.starts_with("/api/") {
            // The tenants face knows cookies and CSRF tokens, not bearers.
            if url_path.starts_with("/api/tenants/") {
                if !own("cookie:") {
                    request = request.header("Cookie", format!("AtmoAuthToken_{TENANT}={session}"));
                }
                if !own("x-csrf-token_") {
                    request = request.header(format!("X-Csrf-Token_{TENANT}"), &csrf);
                }
            }
        } else if own("authorization:")
            || path.starts_with("/token")
            || path.starts_with("/v2/jwt/")
        {
        } else if path.starts_with("/v2/") {
            request = request.bearer_auth(&ra_token);
        } else {
            request = request.bearer_auth(TOKEN);
        }
        if !content_type.is_empty() {
            request = request.header("Content-Type", *content_type);
        }
        if let Some((name, value)) = header.and_then(|h| h.split_once(": ")) {
            request = request.header(name, value);
        }
        let response = request.send().await.unwrap();
        let got = response.status().as_u16();
        let text = response.text().await.unwrap();
        if got != *status || !text.contains(needle) {
            failures.push(format!(
                "row {i} {method} {path}: expected {status} with {needle:?}, got {got}: {text}"
            ));
        }
        let after = app.services.test_control.stored_contents().unwrap();
        if after != before {
            failures.push(format!(
                "row {i} {method} {path}: the store changed under it"
            ));
            before = after;
        }
    }
    assert!(
        failures.is_empty(),
        "{} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
