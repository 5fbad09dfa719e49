//! `obdir csr`: a new private key and the CSR (or, for bare-key types, the
//! public key) to upload, its subject named the way the type's rule wants.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use obdir::domain::certificate::{Curve, MIN_RSA_BITS, UploadBody, brazil_organisation_identifier};
use obdir::domain::certificate::{ICP_BRASIL_CNPJ_OID, SubjectNaming, cnpj};
use obdir::domain::{CertOrKeyType, OrganisationId, SoftwareStatementId};

use openssl::asn1::Asn1Object;
use openssl::ec::{EcGroup, EcKey};
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::stack::Stack;
use openssl::x509::extension::SubjectAlternativeName;
use openssl::x509::{X509Name, X509NameBuilder, X509ReqBuilder};

use super::error::CliError;
use super::{check_owner, files};

#[derive(Clone, Copy, ValueEnum)]
enum KeyKind {
    Rsa,
    /// P-256, for the types that allow EC keys.
    Ec,
}

#[derive(Args)]
pub struct CsrArgs {
    /// Organisation id: OU, or organizationIdentifier OFBBR-<org> for Brazil types.
    #[arg(long, value_parser = super::organisation_id)]
    org: OrganisationId,
    /// Software statement id (CN, or UID for Brazil types); leave it out for an
    /// organisation's own types.
    #[arg(long, value_parser = super::statement_id)]
    ss: Option<SoftwareStatementId>,
    /// The type the upload goes to; it decides the subject's naming.
    #[arg(long = "type", value_name = "TYPE", value_parser = super::key_type)]
    key_type: CertOrKeyType,
    /// The kind of key to make.
    #[arg(long, value_enum, default_value = "rsa")]
    key: KeyKind,
    /// RSA modulus size [default: 2048].
    #[arg(long, value_parser = clap::value_parser!(u32).range(i64::from(MIN_RSA_BITS)..=16384))]
    bits: Option<u32>,
    /// Organisation name, the subject's O.
    #[arg(long, value_name = "NAME")]
    org_name: Option<String>,
    /// DNS name for subjectAltName (repeatable); the first is the CN of Brazil certificates.
    #[arg(long, value_name = "NAME")]
    dns: Vec<String>,
    /// Subject country C [default: GB; Brazil types are always BR].
    #[arg(long, value_name = "CC", value_parser = country)]
    country: Option<String>,
    /// The organisation's CNPJ, its RegistrationNumber: serialNumber of Brazil
    /// transport certificates, the ICP-Brasil otherName of brseal (required for both).
    #[arg(long, value_name = "CNPJ", value_parser = cnpj)]
    cnpj: Option<String>,
    /// businessCategory of Brazil transport certificates.
    #[arg(long, value_name = "CATEGORY", default_value = "Private Organization")]
    business_category: String,
    /// State of the organisation's address, ST (Brazil transport certificates).
    #[arg(long, value_name = "UF")]
    state: Option<String>,
    /// City of the organisation's address, L (Brazil transport certificates).
    #[arg(long, value_name = "CITY")]
    locality: Option<String>,
    /// Where to write the private key [default: <type>.key].
    #[arg(long, value_name = "FILE")]
    out_key: Option<PathBuf>,
    /// Where to write the CSR [default: <type>.csr; <type>.pub, the public key, for sigkey and enckey].
    #[arg(long, value_name = "FILE")]
    out_csr: Option<PathBuf>,
    /// Replace an existing key file.
    #[arg(long)]
    force: bool,
}

fn country(value: &str) -> Result<String, String> {
    match value.len() == 2 && value.bytes().all(|b| b.is_ascii_uppercase()) {
        true => Ok(value.to_owned()),
        false => Err("must be two capital letters (ISO 3166), e.g. GB or BR".into()),
    }
}

pub fn run(args: CsrArgs) -> Result<(), CliError> {
    check_owner(args.key_type, args.ss.as_ref())?;
    let key = generate_key(&args)?;
    let (request, described) = match args.key_type.upload_body() {
        UploadBody::PublicKey => (public_key_pem(&key)?, "public key".to_owned()),
        UploadBody::Csr | UploadBody::Certificate => {
            let subject = subject(&args)?;
            (
                csr_pem(&args, &key, &subject)?,
                format!("CSR for {}", one_line(&subject)),
            )
        }
    };
    let key_pem = key
        .private_key_to_pem_pkcs8()
        .map_err(|e| CliError::Local(format!("cannot encode the new key: {e}")))?;
    let (key_path, request_path) = paths(&args);
    files::write_private(&key_path, &String::from_utf8_lossy(&key_pem), args.force)?;
    files::write(&request_path, &request)?;
    files::print(&format!(
        "{}: {} private key (mode 0600)\n{}: {described}",
        key_path.display(),
        describe_key(&args),
        request_path.display()
    ))
}

fn paths(args: &CsrArgs) -> (PathBuf, PathBuf) {
    let name = args.key_type.as_str();
    let request = match args.key_type.upload_body() {
        UploadBody::PublicKey => format!("{name}.pub"),
        _ => format!("{name}.csr"),
    };
    (
        args.out_key
            .clone()
            .unwrap_or_else(|| format!("{name}.key").into()),
        args.out_csr.clone().unwrap_or_else(|| request.into()),
    )
}

fn describe_key(args: &CsrArgs) -> String {
    match args.key {
        KeyKind::Rsa => format!("RSA {}", args.bits.unwrap_or(MIN_RSA_BITS)),
        KeyKind::Ec => "EC P-256".into(),
    }
}

fn generate_key(args: &CsrArgs) -> Result<PKey<Private>, CliError> {
    let generated = match args.key {
        KeyKind::Rsa => Rsa::generate(args.bits.unwrap_or(MIN_RSA_BITS)).and_then(PKey::from_rsa),
        KeyKind::Ec if args.bits.is_some() => {
            return Err(CliError::Usage(
                "--bits is for RSA keys; drop it with --key ec".into(),
            ));
        }
        KeyKind::Ec if !args.key_type.allowed_curves().contains(&Curve::P256) => {
            return Err(CliError::Usage(format!(
                "{} takes RSA keys only: drop --key ec",
                args.key_type
            )));
        }
        KeyKind::Ec => EcGroup::from_curve_name(Nid::X9_62_PRIME256V1)
            .and_then(|group| EcKey::generate(&group))
            .and_then(PKey::from_ec_key),
    };
    generated.map_err(|e| CliError::Local(format!("cannot make a key: {e}")))
}

/// The subject `SubjectNaming::check` looks for: OBIE's (C, O, OU, CN), or
/// the Brazil certificate standard's templates, in their order.
fn subject(args: &CsrArgs) -> Result<Vec<(&'static str, String)>, CliError> {
    let org = args.org.as_str().to_owned();
    let ss = args
        .ss
        .as_ref()
        .map_or_else(|| org.clone(), |ss| ss.as_str().to_owned());
    let dns = args.dns.first().cloned();
    let org_name = args.org_name.clone();
    let country = args.country.clone().unwrap_or_else(|| "GB".into());
    let obie = |naming: Vec<(&'static str, String)>| {
        let mut subject = vec![("C", country.clone())];
        subject.extend(org_name.clone().map(|name| ("O", name)));
        subject.extend(naming);
        subject
    };
    let needed = |value: &Option<String>, flag: &str| {
        value.clone().ok_or_else(|| {
            CliError::Usage(format!(
                "{flag} is needed: the Brazil certificate standard's {} subject carries it",
                args.key_type
            ))
        })
    };
    Ok(match args.key_type.subject_naming() {
        SubjectNaming::Obie | SubjectNaming::ObieOrBrazil => obie(vec![("OU", org), ("CN", ss)]),
        SubjectNaming::ObieOrganisation => obie(vec![("OU", org.clone()), ("CN", org)]),
        // BRCAC: the organisation's attributes, then its participant code,
        // the statement (UID) and the FQDN (CN).
        SubjectNaming::Brazil | SubjectNaming::BrazilOrUnit => vec![
            ("businessCategory", args.business_category.clone()),
            ("jurisdictionC", "BR".into()),
            ("serialNumber", needed(&args.cnpj, "--cnpj")?),
            ("C", "BR".into()),
            ("O", needed(&org_name, "--org-name")?),
            ("ST", needed(&args.state, "--state")?),
            ("L", needed(&args.locality, "--locality")?),
            (
                "organizationIdentifier",
                brazil_organisation_identifier(&args.org),
            ),
            ("UID", ss),
            ("CN", needed(&dns, "--dns")?),
        ],
        // BRSEAL: the participant code, ICP-Brasil, the company; its CNPJ
        // goes in the subjectAltName (`csr_pem`).
        SubjectNaming::BrazilOrganisation => {
            needed(&args.cnpj, "--cnpj")?;
            vec![
                ("UID", org),
                ("C", "BR".into()),
                ("O", "ICP-Brasil".into()),
                ("CN", needed(&org_name, "--org-name")?),
            ]
        }
        SubjectNaming::None => obie(vec![("CN", dns.or(org_name.clone()).unwrap_or(ss))]),
    })
}

/// `/C=GB/OU=.../CN=...`, as `openssl req -subj` takes it.
fn one_line(subject: &[(&str, String)]) -> String {
    subject
        .iter()
        .map(|(field, value)| format!("/{field}={value}"))
        .collect()
}

fn name(subject: &[(&str, String)]) -> Result<X509Name, CliError> {
    let mut name = X509NameBuilder::new().map_err(crypto)?;
    for (field, value) in subject {
        name.append_entry_by_text(field, value).map_err(|e| {
            CliError::Usage(format!(
                "the subject's {field} '{value}' is not accepted: {e}"
            ))
        })?;
    }
    Ok(name.build())
}

fn csr_pem(
    args: &CsrArgs,
    key: &PKey<Private>,
    subject: &[(&str, String)],
) -> Result<String, CliError> {
    let subject = name(subject)?;
    let mut request = X509ReqBuilder::new().map_err(crypto)?;
    request.set_subject_name(&subject).map_err(crypto)?;
    request.set_pubkey(key).map_err(crypto)?;
    // The ICP-Brasil otherName that carries a signature certificate's CNPJ.
    let icp_brasil_cnpj = args
        .cnpj
        .as_ref()
        .filter(|_| args.key_type.subject_naming() == SubjectNaming::BrazilOrganisation);
    if !args.dns.is_empty() || icp_brasil_cnpj.is_some() {
        let mut san = SubjectAlternativeName::new();
        for dns in &args.dns {
            san.dns(dns);
        }
        if let Some(cnpj) = icp_brasil_cnpj {
            let oid = Asn1Object::from_str(ICP_BRASIL_CNPJ_OID).map_err(crypto)?;
            // A PrintableString of the 14 characters `cnpj` leaves, as the
            // standard's template writes it.
            let mut value = vec![0x13, 14];
            value.extend_from_slice(cnpj.as_bytes());
            san.other_name2(oid, &value);
        }
        let extension = san
            .build(&request.x509v3_context(None))
            .map_err(|e| CliError::Usage(format!("--dns {:?} is not accepted: {e}", args.dns)))?;
        let mut extensions = Stack::new().map_err(crypto)?;
        extensions.push(extension).map_err(crypto)?;
        request.add_extensions(&extensions).map_err(crypto)?;
    }
    request.sign(key, MessageDigest::sha256()).map_err(crypto)?;
    let pem = request.build().to_pem().map_err(crypto)?;
    Ok(String::from_utf8_lossy(&pem).into_owned())
}

fn public_key_pem(key: &PKey<Private>) -> Result<String, CliError> {
    let pem = key.public_key_to_pem().map_err(crypto)?;
    Ok(String::from_utf8_lossy(&pem).into_owned())
}

fn crypto(e: ErrorStack) -> CliError {
    CliError::Local(format!("cannot make the CSR: {e}"))
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use obdir::domain::Flavour;
    use obdir::domain::certificate::CertificateOwner;
    use obdir::pki::CheckedCsr;
    use obdir::pki::key::parse_public_key;

    use super::*;

    #[derive(Parser)]
    struct Command {
        #[command(flatten)]
        args: CsrArgs,
    }

    const ORG: &str = "c8f0bf49-4744-4933-8960-7add6e590841";
    const SS: &str = "d6a3b1c4-9e2f-4a7b-8c5d-0f1e2d3c4b5a";

    const CNPJ: &str = "43142666000197";

    /// What a Brazil subject needs beside the ids.
    const BRAZIL_COMPANY: &[&str] = &[
        "--dns",
        "tpp.example",
        "--org-name",
        "Demo TPP",
        "--cnpj",
        CNPJ,
        "--state",
        "SP",
        "--locality",
        "Sao Paulo",
    ];

    fn owner(args: &CsrArgs) -> CertificateOwner<'_> {
        CertificateOwner {
            org: &args.org,
            registration_number: Some(CNPJ),
            ss: args.ss.as_ref(),
        }
    }

    fn args(key_type: CertOrKeyType, extra: &[&str]) -> CsrArgs {
        let mut argv = vec!["csr", "--org", ORG, "--type", key_type.as_str()];
        if !key_type.is_organisation_level() {
            argv.extend(["--ss", SS]);
        }
        argv.extend(extra);
        Command::try_parse_from(argv).unwrap().args
    }

    #[test]
    fn every_request_passes_the_directorys_own_intake() {
        let types = CertOrKeyType::all();
        for key_type in types {
            let args = args(key_type, BRAZIL_COMPANY);
            let key = generate_key(&args).unwrap();
            match key_type.upload_body() {
                UploadBody::PublicKey => {
                    parse_public_key(&public_key_pem(&key).unwrap(), key_type).unwrap();
                }
                _ => {
                    let pem = csr_pem(&args, &key, &subject(&args).unwrap()).unwrap();
                    if let Err(e) = CheckedCsr::parse(&pem, key_type, Flavour::Obie, owner(&args)) {
                        panic!("{key_type}: {e}");
                    }
                }
            }
        }
    }

    #[test]
    fn ec_keys_are_made_only_where_the_type_allows_them() {
        let args_ec = args(CertOrKeyType::Rtssigning, &["--key", "ec"]);
        let key = generate_key(&args_ec).unwrap();
        let pem = csr_pem(&args_ec, &key, &subject(&args_ec).unwrap()).unwrap();
        let parsed = CheckedCsr::parse(
            &pem,
            CertOrKeyType::Rtssigning,
            Flavour::Obie,
            owner(&args_ec),
        );
        assert!(parsed.is_ok());
        let err = generate_key(&args(CertOrKeyType::Rtstransport, &["--key", "ec"])).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(
            err.to_string().contains("rtstransport takes RSA keys only"),
            "{err}"
        );
    }

    #[test]
    fn subjects_follow_the_naming_rule_of_the_type() {
        let obie = subject(&args(CertOrKeyType::Rtstransport, &[])).unwrap();
        assert_eq!(one_line(&obie), format!("/C=GB/OU={ORG}/CN={SS}"));
        let brazil = subject(&args(CertOrKeyType::Brcac2022, BRAZIL_COMPANY)).unwrap();
        assert_eq!(
            one_line(&brazil),
            format!(
                "/businessCategory=Private Organization/jurisdictionC=BR/serialNumber={CNPJ}\
                 /C=BR/O=Demo TPP/ST=SP/L=Sao Paulo/organizationIdentifier=OFBBR-{ORG}\
                 /UID={SS}/CN=tpp.example"
            )
        );
        let seal = subject(&args(CertOrKeyType::Brseal, BRAZIL_COMPANY)).unwrap();
        assert_eq!(
            one_line(&seal),
            format!("/UID={ORG}/C=BR/O=ICP-Brasil/CN=Demo TPP")
        );
    }

    #[test]
    fn a_brazil_subject_without_the_companys_attributes_is_a_usage_error() {
        let err = subject(&args(CertOrKeyType::Brcac2022, &["--dns", "tpp.example"])).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("--cnpj is needed"), "{err}");
    }
}
