//! The client commands, run as the real binary against a running directory:
//! what they write and print, and the exit code each failure ends with.

use std::path::Path;
use std::process::{Command, Output};

use reqwest::StatusCode;
use serde_json::Value;
use tempfile::TempDir;

use crate::helpers::*;

/// Runs `obdir args..` in `dir`, off the test's runtime, with no OBDIR_*
/// settings from the environment.
async fn obdir(dir: &Path, args: &[&str]) -> Output {
    let dir = dir.to_path_buf();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_obdir"));
        command.current_dir(dir).args(args);
        for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("OBDIR_")) {
            command.env_remove(name);
        }
        command.output().expect("obdir runs")
    })
    .await
    .expect("obdir finished")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts the exit code, showing what the command said when it differs.
fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        stdout(output),
        stderr(output)
    );
}

fn with_url<'a>(app: &'a TestApp, args: &[&'a str]) -> Vec<&'a str> {
    let mut args = args.to_vec();
    args.extend(["--url", app.address.as_str()]);
    args
}

/// `obdir upload` as the admin; answers the record it printed.
async fn upload(app: &TestApp, dir: &Path, key_type: &str, file: &str) -> Value {
    let args = [
        "upload", "--org", ORG, "--ss", SS, "--type", key_type, file, "--token", TOKEN,
    ];
    let output = obdir(dir, &with_url(app, &args)).await;
    assert_exit(&output, 0);
    serde_json::from_str(&stdout(&output)).expect("upload prints the record as JSON")
}

async fn make_csr(dir: &Path, key_type: &str, extra: &[&str]) {
    let mut args = vec!["csr", "--org", ORG, "--ss", SS, "--type", key_type];
    args.extend(extra);
    assert_exit(&obdir(dir, &args).await, 0);
}

fn openssl_stdout(args: &[&str]) -> String {
    let output = Command::new("openssl").args(args).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

#[tokio::test]
async fn csr_names_the_subject_the_directory_wants_and_its_upload_is_signed() {
    let app = spawn_app().await;
    let dir = TempDir::new().unwrap();
    make_csr(dir.path(), "rtstransport", &["--dns", "tpp.example"]).await;

    let subject = openssl_stdout(&[
        "req",
        "-in",
        dir.path().join("rtstransport.csr").to_str().unwrap(),
        "-noout",
        "-subject",
    ]);
    assert_eq!(
        subject.trim(),
        format!("subject=C = GB, OU = {ORG}, CN = {SS}")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let key = std::fs::metadata(dir.path().join("rtstransport.key")).unwrap();
        assert_eq!(key.permissions().mode() & 0o777, 0o600);
    }

    // The token comes from the data dir, as when obdir runs beside the server.
    let data = TempDir::new().unwrap();
    std::fs::write(data.path().join("admin-token"), format!("{TOKEN}\n")).unwrap();
    let args = [
        "upload",
        "--org",
        ORG,
        "--ss",
        SS,
        "--type",
        "rtstransport",
        "rtstransport.csr",
        "--data-dir",
        data.path().to_str().unwrap(),
    ];
    let output = obdir(dir.path(), &with_url(&app, &args)).await;
    assert_exit(&output, 0);
    let record: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(record["keyType"], "rtstransport");
    assert_eq!(record["use"], "tls");
}

#[tokio::test]
async fn upload_prints_the_record_and_jwks_lists_its_kid() {
    let app = spawn_app().await;
    let dir = TempDir::new().unwrap();
    make_csr(dir.path(), "sigkey", &["--key", "ec"]).await;
    assert!(
        std::fs::read_to_string(dir.path().join("sigkey.pub"))
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    let record = upload(&app, dir.path(), "sigkey", "sigkey.pub").await;
    let kid = record["kid"].as_str().expect("the record has a kid");

    let output = obdir(
        dir.path(),
        &with_url(&app, &["jwks", "--org", ORG, "--ss", SS]),
    )
    .await;
    assert_exit(&output, 0);
    let jwks: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|k| k["kid"].as_str())
        .collect();
    assert_eq!(kids, [kid]);

    // The same document as the one the record points at.
    assert_eq!(
        app.jwks_kids(record["JwkPath"].as_str().unwrap()).await,
        [kid]
    );
    let output = obdir(
        dir.path(),
        &with_url(&app, &["jwks", "--org", ORG, "--ss", SS, "--inactive"]),
    )
    .await;
    assert_exit(&output, 0);
    assert!(!stdout(&output).contains(kid));
}

#[tokio::test]
async fn token_signs_with_the_statements_signing_key_and_its_token_opens_the_directory() {
    let app = spawn_app().await;
    let dir = TempDir::new().unwrap();
    for key in ["rsa", "ec"] {
        let key_file = format!("{key}.key");
        let csr_file = format!("{key}.csr");
        let out = [
            "--key",
            key,
            "--out-key",
            key_file.as_str(),
            "--out-csr",
            csr_file.as_str(),
        ];
        make_csr(dir.path(), "rtssigning", &out).await;
        let record = upload(&app, dir.path(), "rtssigning", &csr_file).await;
        let kid = record["kid"].as_str().unwrap();

        let args = [
            "token",
            "--client-id",
            SS,
            "--key",
            key_file.as_str(),
            "--kid",
            kid,
        ];
        let output = obdir(dir.path(), &with_url(&app, &args)).await;
        assert_exit(&output, 0);
        let token = stdout(&output).trim().to_owned();
        let response = app
            .client
            .get(app.url(&format!("/organisations/{ORG}/softwarestatements/{SS}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{key}");
    }

    // --json prints the whole answer.
    let args = [
        "token",
        "--client-id",
        SS,
        "--key",
        "rsa.key",
        "--kid",
        "unknown",
        "--json",
    ];
    let output = obdir(dir.path(), &with_url(&app, &args)).await;
    assert_exit(&output, 1);
    assert!(
        stderr(&output).contains("401 Unauthorized: invalid_client: kid 'unknown'"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test]
async fn ca_export_writes_a_chain_that_verifies_an_issued_certificate() {
    let app = spawn_app().await;
    let dir = TempDir::new().unwrap();
    make_csr(dir.path(), "rtstransport", &[]).await;
    let record = upload(&app, dir.path(), "rtstransport", "rtstransport.csr").await;

    let output = obdir(
        dir.path(),
        &with_url(&app, &["ca", "export", "--out", "chain.pem"]),
    )
    .await;
    assert_exit(&output, 0);
    let chain = std::fs::read_to_string(dir.path().join("chain.pem")).unwrap();
    let leaf = pem_of(record["x5c"][0].as_str().unwrap());
    let (verified, said) = Tpp::new().verify(&chain, &leaf);
    assert!(verified, "{said}");

    let output = obdir(dir.path(), &with_url(&app, &["ca", "export"])).await;
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), chain);
}

#[tokio::test]
async fn a_refused_upload_exits_1_with_the_servers_message() {
    let app = spawn_app().await;
    let dir = TempDir::new().unwrap();
    // A CSR named for another statement.
    let args = [
        "csr",
        "--org",
        ORG,
        "--ss",
        "another-statement",
        "--type",
        "rtstransport",
    ];
    assert_exit(&obdir(dir.path(), &args).await, 0);
    let args = [
        "upload",
        "--org",
        ORG,
        "--ss",
        SS,
        "--type",
        "rtstransport",
        "rtstransport.csr",
        "--token",
        TOKEN,
    ];
    let output = obdir(dir.path(), &with_url(&app, &args)).await;
    assert_exit(&output, 1);
    assert!(stdout(&output).is_empty());
    let said = stderr(&output);
    assert!(said.starts_with("obdir: 400 Bad Request: "), "{said}");
    assert!(
        said.contains(&format!(
            "CN: is 'another-statement' but the software statement is '{SS}'"
        )),
        "{said}"
    );

    // No token at all: the server's 401, and where a token comes from.
    let args = [
        "upload",
        "--org",
        ORG,
        "--ss",
        SS,
        "--type",
        "rtstransport",
        "rtstransport.csr",
    ];
    let output = obdir(dir.path(), &with_url(&app, &args)).await;
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("401 Unauthorized"));
    assert!(stderr(&output).contains("--token"));
}

#[tokio::test]
async fn an_unreachable_directory_exits_3_naming_the_url() {
    let dir = TempDir::new().unwrap();
    // A port that was just free: nothing listens on it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let output = obdir(dir.path(), &["ca", "export", "--url", &url]).await;
    assert_exit(&output, 3);
    assert!(
        stderr(&output).contains(&format!("cannot reach {url}/ca/chain.pem")),
        "{}",
        stderr(&output)
    );
}

#[tokio::test]
async fn usage_errors_exit_2() {
    let dir = TempDir::new().unwrap();
    let missing = obdir(
        dir.path(),
        &["upload", "--org", ORG, "--type", "rtstransport"],
    )
    .await;
    assert_exit(&missing, 2);
    assert!(stderr(&missing).contains("<FILE>"), "{}", stderr(&missing));

    let unknown = obdir(dir.path(), &["csr", "--org", ORG, "--type", "tls"]).await;
    assert_exit(&unknown, 2);
    assert!(stderr(&unknown).contains("rtstransport, rtssigning"));

    // A statement's type without the statement, and an RSA-only type with EC.
    let no_ss = obdir(dir.path(), &["csr", "--org", ORG, "--type", "rtssigning"]).await;
    assert_exit(&no_ss, 2);
    assert!(stderr(&no_ss).contains("give --ss"));
    let args = [
        "csr",
        "--org",
        ORG,
        "--ss",
        SS,
        "--type",
        "rtstransport",
        "--key",
        "ec",
    ];
    let ec = obdir(dir.path(), &args).await;
    assert_exit(&ec, 2);
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());

    for command in [
        vec!["csr"],
        vec!["upload"],
        vec!["jwks"],
        vec!["token"],
        vec!["ca", "export"],
    ] {
        let mut args = command.clone();
        args.push("--help");
        let help = obdir(dir.path(), &args).await;
        assert_exit(&help, 0);
        assert!(stdout(&help).contains("Exit codes:"), "{command:?}");
    }
}

#[tokio::test]
async fn an_existing_key_file_is_kept_unless_forced() {
    let dir = TempDir::new().unwrap();
    make_csr(dir.path(), "rtssigning", &[]).await;
    let key = std::fs::read(dir.path().join("rtssigning.key")).unwrap();

    let args = ["csr", "--org", ORG, "--ss", SS, "--type", "rtssigning"];
    let again = obdir(dir.path(), &args).await;
    assert_exit(&again, 3);
    assert!(
        stderr(&again).contains("rtssigning.key: exists; keep it, or pass --force"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read(dir.path().join("rtssigning.key")).unwrap(),
        key
    );

    make_csr(dir.path(), "rtssigning", &["--force"]).await;
    assert_ne!(
        std::fs::read(dir.path().join("rtssigning.key")).unwrap(),
        key
    );
}

/// `obdir serve` starts with a banner of the URLs a harness points at, each
/// of which answers, and where the admin token is.
#[tokio::test]
async fn serve_prints_the_urls_a_harness_needs_and_each_answers() {
    use std::io::{BufRead, BufReader};
    let data_dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_obdir"))
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir.path())
        .env_remove("OBDIR_ADMIN_TOKEN")
        .env_remove("OBDIR_CONFIG")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The banner goes to stderr beside the log lines; it ends with the
    // admin token's line.
    let mut banner: Vec<String> = Vec::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        let last = line.trim_start().starts_with("admin token");
        banner.push(line);
        if last {
            break;
        }
    }
    let url_of = |label: &str| {
        banner
            .iter()
            .find_map(|l| l.trim_start().strip_prefix(label))
            .map(|rest| rest.split_whitespace().next().unwrap().to_owned())
            .unwrap_or_else(|| panic!("no {label} in {banner:?}"))
    };
    let client = reqwest::Client::new();
    for label in ["discovery", "CA chain", "console"] {
        let response = client.get(url_of(label)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{label}");
    }
    let discovery: Value = client
        .get(url_of("discovery"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(discovery["token_endpoint"], url_of("token endpoint"));
    assert!(url_of("keystore").ends_with("/keystore"));
    // The RA face answers in its own dialect: a session JWT is asked for.
    let ra: Value = client
        .post(format!("{}/clients", url_of("RA operator API")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ra["errorCode"], "009.250.0228");
    // So does the tenants face: a login cookie is asked for.
    let tenants = client
        .get(format!(
            "{}/tenants/acme/theme/default/pki",
            url_of("tenants API")
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(tenants.status(), 401);
    let tenants: Value = tenants.json().await.unwrap();
    assert_eq!(tenants["code"], 401);
    assert!(
        tenants["message"]
            .as_str()
            .unwrap()
            .starts_with("AtmoAuthToken_acme: missing cookie")
    );
    // Generated on this start: the banner names the file, and shows the
    // token once.
    let token = std::fs::read_to_string(data_dir.path().join("admin-token")).unwrap();
    assert_eq!(
        url_of("admin token"),
        data_dir.path().join("admin-token").display().to_string()
    );
    let token_line = banner.iter().find(|l| l.contains("admin token")).unwrap();
    assert!(token_line.ends_with(&format!("(generated on this start: {})", token.trim())));
    let _ = child.kill();
    let _ = child.wait();
}

#[tokio::test]
async fn obdir_reset_with_seed_returns_a_running_directory_to_the_demo() {
    let app = spawn_app().await;
    let dir = TempDir::new().unwrap();
    let args = ["reset", "--seed", "--token", TOKEN];
    let output = obdir(dir.path(), &with_url(&app, &args)).await;
    assert_exit(&output, 0);
    let printed: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(printed["seed"]["created"]["organisations"], 3, "{printed}");
    let listed: Value = app.get("/organisations").await.json().await.unwrap();
    assert_eq!(listed["content"].as_array().unwrap().len(), 3, "{listed}");

    let output = obdir(dir.path(), &with_url(&app, &["reset", "--token", TOKEN])).await;
    assert_exit(&output, 0);
    let listed: Value = app.get("/organisations").await.json().await.unwrap();
    assert_eq!(listed["content"], serde_json::json!([]), "{listed}");

    let output = obdir(dir.path(), &with_url(&app, &["reset", "--token", "wrong"])).await;
    assert_ne!(output.status.code(), Some(0), "a refused reset fails");
}
