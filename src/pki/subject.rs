//! The names a CSR or a certificate carries that the naming rules read:
//! the subject's attributes, and the subjectAltName's otherNames whose values
//! are strings (as ICP-Brasil's are).

use x509_parser::prelude::{GeneralName, X509Name};

use super::PkiError;
use crate::domain::certificate::{ICP_BRASIL_CNPJ_OID, SubjectAttributes};

/// Reads the naming attributes out of an X.509 name, and the CNPJ of an
/// ICP-Brasil otherName among the subjectAltName's string-valued otherNames.
/// Each attribute but OU may appear once: a name with two CNs (or UIDs...)
/// would name two software statements.
pub(super) fn subject_attributes(
    name: &X509Name<'_>,
    string_other_names: &[OtherName],
) -> Result<SubjectAttributes, PkiError> {
    let mut cnpjs = string_other_names
        .iter()
        .filter(|n| n.oid == ICP_BRASIL_CNPJ_OID);
    let icp_brasil_cnpj = cnpjs.next().map(|n| n.text.clone());
    if cnpjs.next().is_some() {
        return Err(PkiError::Unreadable(format!(
            "the subjectAltName has more than one otherName {ICP_BRASIL_CNPJ_OID} (CNPJ); it must name exactly one"
        )));
    }
    let mut subject = SubjectAttributes {
        icp_brasil_cnpj,
        ..Default::default()
    };
    for attribute in name.iter_attributes() {
        let oid = attribute.attr_type().to_id_string();
        let text = |label: &str| {
            attribute
                .as_str()
                .map(str::to_owned)
                .map_err(|_| PkiError::Unreadable(format!("subject {label} is not a text string")))
        };
        if oid == "2.5.4.11" {
            subject.organisational_units.push(text("OU")?);
            continue;
        }
        let (slot, label) = match oid.as_str() {
            "2.5.4.3" => (&mut subject.common_name, "CN"),
            "0.9.2342.19200300.100.1.1" => (&mut subject.uid, "UID"),
            "2.5.4.97" => (
                &mut subject.organisation_identifier,
                "organizationIdentifier",
            ),
            "2.5.4.5" => (&mut subject.serial_number, "serialNumber"),
            "2.5.4.15" => (&mut subject.business_category, "businessCategory"),
            "1.3.6.1.4.1.311.60.2.1.3" => {
                (&mut subject.jurisdiction_country, "jurisdictionCountryName")
            }
            "2.5.4.6" => (&mut subject.country, "C"),
            "2.5.4.10" => (&mut subject.organisation_name, "O"),
            "2.5.4.8" => (&mut subject.state, "ST"),
            "2.5.4.7" => (&mut subject.locality, "L"),
            _ => continue,
        };
        if slot.is_some() {
            return Err(PkiError::Unreadable(format!(
                "subject has more than one {label}; it must name exactly one"
            )));
        }
        *slot = Some(text(label)?);
    }
    Ok(subject)
}

/// A subjectAltName otherName whose value is a string, as ICP-Brasil's are.
pub(super) struct OtherName {
    pub oid: String,
    pub text: String,
}

/// The otherNames among `names` whose value is a string.
pub(super) fn other_names_of(names: &[GeneralName<'_>]) -> Vec<OtherName> {
    names
        .iter()
        .filter_map(|name| match name {
            GeneralName::OtherName(oid, value) => Some(OtherName {
                oid: oid.to_id_string(),
                text: other_name_text(value)?,
            }),
            _ => None,
        })
        .collect()
}

/// The string inside an otherName's `[0] EXPLICIT` value.
fn other_name_text(value: &[u8]) -> Option<String> {
    use x509_parser::der_parser::asn1_rs::{Any, FromDer as _};
    let (_, explicit) = Any::from_der(value).ok()?;
    let (_, inner) = Any::from_der(explicit.data).ok()?;
    String::from_utf8(inner.data.to_vec()).ok()
}
