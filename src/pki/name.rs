//! Distinguished names as text, for what the directory shows and names.

use openssl::x509::X509NameRef;

/// A name as `C=BR, O=obdir, CN=...`, in the order of its RDNs.
pub(super) fn name_text(name: &X509NameRef) -> String {
    name.entries()
        .map(|e| {
            let key = e.object().nid().short_name().unwrap_or("?").to_owned();
            let value = String::from_utf8_lossy(e.data().as_slice()).into_owned();
            format!("{key}={value}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}
