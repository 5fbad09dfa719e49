//! TLS and mutual TLS, with curl and `openssl s_client` as the clients: the
//! served chain verifies against /ca/chain.pem, a transport certificate
//! obdir issued authenticates its statement, a revoked one is refused.

use std::path::{Path, PathBuf};
use std::process::Command;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

fn tls_config(client_auth: &str) -> &'static str {
    match client_auth {
        "off" => {
            "[tls]\nenabled = true\nbind = \"127.0.0.1:0\"\nnames = [\"localhost\", \"127.0.0.1\"]\n"
        }
        "optional" => {
            "[tls]\nenabled = true\nbind = \"127.0.0.1:0\"\nnames = [\"localhost\", \"127.0.0.1\"]\nclient_auth = \"optional\"\n"
        }
        _ => {
            "[tls]\nenabled = true\nbind = \"127.0.0.1:0\"\nnames = [\"localhost\", \"127.0.0.1\"]\nclient_auth = \"required\"\n"
        }
    }
}

async fn chain_file(app: &TestApp, tpp: &Tpp) -> PathBuf {
    let chain = app.get("/ca/chain.pem").await.text().await.unwrap();
    let path = tpp.path("chain.pem");
    std::fs::write(&path, chain).unwrap();
    path
}

/// curl over TLS: (exit status success, HTTP status, body).
fn curl(args: &[&str]) -> (bool, u16, String) {
    let output = Command::new("curl")
        .args(["-sS", "-o", "-", "-w", "\n%{http_code}"])
        .args(args)
        .output()
        .expect("curl runs (make deps installs it)");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let (body, code) = text.rsplit_once('\n').unwrap_or(("", "0"));
    (
        output.status.success(),
        code.trim().parse().unwrap_or(0),
        body.to_owned(),
    )
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// An rtstransport certificate for the demo statement: (cert file, key file, kid).
async fn transport_certificate(app: &TestApp, tpp: &Tpp) -> (PathBuf, PathBuf, String) {
    let key = tpp.rsa_key("transport.key", 2048);
    let response = app
        .upload("rtstransport", &tpp.csr(&key, &obie_subject(ORG, SS), &[]))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let record: Value = response.json().await.unwrap();
    let cert = tpp.path("transport.pem");
    std::fs::write(&cert, pem_of(record["x5c"][0].as_str().unwrap())).unwrap();
    (cert, key, record["kid"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn the_tls_listener_serves_a_chain_that_verifies_against_the_served_ca() {
    let app = spawn_app_with(AppOptions {
        config: Some(tls_config("off")),
        ..Default::default()
    })
    .await;
    let tpp = Tpp::new();
    let chain = chain_file(&app, &tpp).await;
    let tls = app.tls_address.clone().expect("a TLS listener");
    let connect = tls.trim_start_matches("https://");

    let output = Command::new("openssl")
        .args(["s_client", "-connect", connect, "-servername", "localhost"])
        .args([
            "-CAfile",
            s(&chain),
            "-verify_return_error",
            "-verify_hostname",
            "localhost",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Verify return code: 0 (ok)"), "{text}");

    let (ok, status, body) = curl(&["--cacert", s(&chain), &format!("{tls}/health")]);
    assert!(ok && status == 200, "{status} {body}");
    // The plain listener goes on beside it.
    assert_eq!(app.get("/health").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_transport_certificate_gets_a_token_and_opens_the_directory_until_revoked() {
    let app = spawn_app_with(AppOptions {
        config: Some(tls_config("optional")),
        ..Default::default()
    })
    .await;
    let tpp = Tpp::new();
    let chain = chain_file(&app, &tpp).await;
    let tls = app.tls_address.clone().unwrap();
    let discovery: Value = app
        .get("/.well-known/openid-configuration")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        discovery["token_endpoint_auth_methods_supported"],
        serde_json::json!(["private_key_jwt", "tls_client_auth"])
    );
    let (cert, key, kid) = transport_certificate(&app, &tpp).await;
    let mutual = ["--cacert", s(&chain), "--cert", s(&cert), "--key", s(&key)];

    let token_form = format!("grant_type=client_credentials&client_id={SS}");
    let (ok, status, body) =
        curl(&[&mutual[..], &["-d", &token_form, &format!("{tls}/token")]].concat());
    assert!(ok && status == 200, "{status} {body}");
    let token: Value = serde_json::from_str(&body).unwrap();
    assert!(
        token["access_token"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );

    let organisation = format!("{tls}/organisations/{ORG}");
    let (_, status, body) = curl(&[&mutual[..], &[organisation.as_str()]].concat());
    assert_eq!(
        status, 200,
        "the certificate alone opens the directory: {body}"
    );
    let (_, status, _) = curl(&["--cacert", s(&chain), &organisation]);
    assert_eq!(status, 401, "without a certificate or token");

    // Another statement's client id with this certificate is refused.
    let (_, status, body) = curl(
        &[
            &mutual[..],
            &[
                "-d",
                "grant_type=client_credentials&client_id=other",
                &format!("{tls}/token"),
            ],
        ]
        .concat(),
    );
    assert_eq!(status, 401, "{body}");

    let revoked = app
        .put_json(
            &format!(
                "{}/{kid}",
                TestApp::certificates_path(ORG, SS, "rtstransport")
            ),
            &serde_json::json!({"RevokeReason": "keycompromise"}),
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    let (_, status, body) =
        curl(&[&mutual[..], &["-d", &token_form, &format!("{tls}/token")]].concat());
    assert_eq!(status, 401, "a revoked certificate is refused: {body}");
    assert!(body.contains("invalid_client"), "{body}");
    let (_, status, _) = curl(&[&mutual[..], &[organisation.as_str()]].concat());
    assert_eq!(status, 401);
}

#[tokio::test]
async fn required_client_auth_refuses_a_handshake_without_one_of_its_certificates() {
    let app = spawn_app_with(AppOptions {
        config: Some(tls_config("required")),
        ..Default::default()
    })
    .await;
    let tpp = Tpp::new();
    let chain = chain_file(&app, &tpp).await;
    let tls = app.tls_address.clone().unwrap();
    let health = format!("{tls}/health");

    let (ok, _, _) = curl(&["--cacert", s(&chain), &health]);
    assert!(!ok, "no client certificate: no handshake");

    let stranger_key = tpp.rsa_key("stranger.key", 2048);
    let stranger = tpp.path("stranger.pem");
    std::fs::write(
        &stranger,
        tpp.self_signed(&stranger_key, "/CN=stranger", 30),
    )
    .unwrap();
    let (ok, _, _) = curl(&[
        "--cacert",
        s(&chain),
        "--cert",
        s(&stranger),
        "--key",
        s(&stranger_key),
        &health,
    ]);
    assert!(!ok, "a certificate of no CA here: no handshake");

    let (cert, key, _) = transport_certificate(&app, &tpp).await;
    let (ok, status, _) = curl(&[
        "--cacert",
        s(&chain),
        "--cert",
        s(&cert),
        "--key",
        s(&key),
        &health,
    ]);
    assert!(ok && status == 200);
}

#[tokio::test]
async fn a_token_asked_for_over_mutual_tls_is_bound_to_the_certificate() {
    let app = spawn_app_with(AppOptions {
        config: Some(tls_config("optional")),
        ..Default::default()
    })
    .await;
    let tpp = Tpp::new();
    let chain = chain_file(&app, &tpp).await;
    let tls = app.tls_address.clone().unwrap();
    let discovery: Value = app
        .get("/.well-known/openid-configuration")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        discovery["tls_client_certificate_bound_access_tokens"],
        true
    );
    // On the first of tls.names, which the listener's certificate carries.
    let mtls = tls.replace("127.0.0.1", "localhost");
    let aliases = &discovery["mtls_endpoint_aliases"];
    assert_eq!(aliases["token_endpoint"], format!("{mtls}/token"));
    assert_eq!(
        aliases["introspection_endpoint"],
        format!("{mtls}/token/introspect")
    );
    assert_eq!(
        aliases["revocation_endpoint"],
        format!("{mtls}/token/revoke")
    );

    let (cert, key, _) = transport_certificate(&app, &tpp).await;
    let mutual = ["--cacert", s(&chain), "--cert", s(&cert), "--key", s(&key)];
    let token_form = format!("grant_type=client_credentials&client_id={SS}");
    let (ok, status, body) = curl(
        &[
            &mutual[..],
            &[
                "-d",
                &token_form,
                aliases["token_endpoint"].as_str().unwrap(),
            ],
        ]
        .concat(),
    );
    assert!(ok && status == 200, "{status} {body}");
    let token: Value = serde_json::from_str(&body).unwrap();
    let token = token["access_token"].as_str().unwrap().to_owned();

    // cnf names the certificate: RFC 8705 3.1's base64url SHA-256 of its DER.
    let claims = unverified_claims(&token);
    let der = openssl::x509::X509::from_pem(&std::fs::read(&cert).unwrap())
        .unwrap()
        .to_der()
        .unwrap();
    let thumbprint = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        openssl::sha::sha256(&der),
    );
    assert_eq!(claims["cnf"]["x5t#S256"], thumbprint);

    let organisation = format!("{tls}/organisations/{ORG}");
    let bearer = format!("Authorization: Bearer {token}");
    let (_, status, body) = curl(&[&mutual[..], &["-H", &bearer, &organisation]].concat());
    assert_eq!(status, 200, "the token with its certificate: {body}");
    let (_, status, _) = curl(&["--cacert", s(&chain), "-H", &bearer, &organisation]);
    assert_eq!(status, 401, "the token without its certificate");
    let plain = app
        .client
        .get(app.url(&format!("/organisations/{ORG}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), StatusCode::UNAUTHORIZED, "over plain HTTP");

    // Introspection over the alias shows the binding.
    let introspect = aliases["introspection_endpoint"].as_str().unwrap();
    let form = format!("token={token}&client_id={SS}");
    let (_, status, body) = curl(&[&mutual[..], &["-d", &form, introspect]].concat());
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["active"], true);
    assert_eq!(answer["cnf"]["x5t#S256"], thumbprint);
}
