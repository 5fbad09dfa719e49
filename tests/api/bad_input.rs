//! The bad-input catalogue: malformed requests across every face. Each must
//! get a 4xx whose body names the problem, and after the whole table the
//! store holds exactly what it held before (the audit log aside, which
//! records refused requests on purpose). Adding a case is adding one row.

use std::collections::HashMap;

use reqwest::StatusCode;

use crate::helpers::*;

/// One malformed request: method, path, content type, body, expected status,
/// and a piece of text the answer must contain. In paths and bodies `{org}`,
/// `{ss}`, `{kid}`, `{root}`, `{no_anchor}` (a fingerprint no anchor has)
/// and `@name` (a PEM made below) are filled in.
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
    ("PUT", "/organisations/{org}/softwarestatements/{ss}", JSON, r#"{"Status": "Paused"}"#, 400, "Status: must be one of Active, Suspended, Inactive"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}", JSON, r#"{"SoftwareStatementId": "x"}"#, 400, "SoftwareStatementId: cannot be changed"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}/certificates/rtssigning/{kid}", JSON, "{}", 400, "RevokeReason: RevokeReason must be provided"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}/certificates/rtssigning/{kid}", JSON, r#"{"RevokeReason": "lost"}"#, 400, "unspecified, keycompromise, superseded, cessationofoperation, privilegewithdrawn"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}/certificates/rtssigning/{kid}", JSON, r#"{"RevokeReason": 1}"#, 400, "RevokeReason: invalid type"),
    ("PUT", "/organisations/{org}/softwarestatements/{ss}/certificates/rtssigning/{kid}", "text/plain", "x", 415, "Content-Type"),
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
    ("DELETE", "/v1/ecosystems/certificates/ca/{root}", "", "", 409, "deactivate it before deleting it"),
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
    ("GET", "/no/such/route", "", "", 404, "no route for GET /no/such/route"),
    ("DELETE", "/organisations/{org}", "", "", 404, "no route for DELETE"),
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
    m
}

#[tokio::test]
async fn every_malformed_request_gets_a_4xx_naming_the_problem_and_writes_nothing() {
    assert!(ROWS.len() >= 150, "the catalogue has {} rows", ROWS.len());
    let app = spawn_app_with(AppOptions {
        config: Some(crate::ra::ra_config("")),
        ..Default::default()
    })
    .await;
    let ra_token = crate::ra::session(&app, crate::ra::USER, crate::ra::API_KEY).await;
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
            .replace("{org}", ORG)
            .replace("{ss}", SS)
            .replace("{kid}", &kid)
            .replace("{root}", &root)
            .replace("{basic}", &basic)
            .replace("{ra_client}", crate::ra::ALPHA)
            .replace("{ra_product}", crate::ra::TLS_PRODUCT)
            .replace("{admin}", TOKEN)
            .replace("{no_anchor}", &"0".repeat(64))
    };
    let before = app.core.stored_contents().unwrap();

    let mut failures = Vec::new();
    for (i, (method, path, content_type, body, status, needle)) in ROWS.iter().enumerate() {
        let (path, header) = match path.split_once('|') {
            Some((path, header)) => (path, Some(header)),
            None => (*path, None),
        };
        let body: Vec<u8> = match body.strip_prefix('@').filter(|name| !name.contains('&')) {
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
        let mut request = app
            .client
            .request(method.clone(), app.url(&fill(path)))
            .body(body);
        let own_authorization = header.is_some_and(|h| h.starts_with("authorization:"));
        if own_authorization || path.starts_with("/token") || path.starts_with("/v2/jwt/") {
        } else if path.starts_with("/v2/") {
            request = request.bearer_auth(&ra_token);
        } else {
            request = request.bearer_auth(TOKEN);
        }
        if !content_type.is_empty() {
            request = request.header("Content-Type", *content_type);
        }
        if let Some((name, value)) = header.and_then(|h| h.split_once(": ")) {
            request = request.header(name, fill(value));
        }
        let response = request.send().await.unwrap();
        let got = response.status().as_u16();
        let text = response.text().await.unwrap();
        if got != *status || !text.contains(needle) {
            failures.push(format!(
                "row {i} {method} {path}: expected {status} with {needle:?}, got {got}: {text}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let after = app.core.stored_contents().unwrap();
    assert!(
        before == after,
        "the store changed under the bad-input table"
    );
}
