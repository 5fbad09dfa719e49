//! The faces obdir answers as.

/// The parts of obdir, by the names config uses for them (fault scopes,
/// host names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face {
    Directory,
    Keystore,
    OAuth,
    Ecosystem,
    /// The RA-operator API (seed 002), under `/v2`.
    Ra,
    /// The API platform's tenant PKI face (seed 003), under `/api`.
    Tenants,
    Revocation,
    Admin,
    /// The public data host: the participants document.
    Data,
    /// Health, the CA chain and anything no face claims.
    Root,
}

impl Face {
    /// Every face; the keystore last, as it may own a host's whole root.
    pub const ALL: [Face; 10] = [
        Face::Root,
        Face::OAuth,
        Face::Revocation,
        Face::Ecosystem,
        Face::Ra,
        Face::Tenants,
        Face::Admin,
        Face::Directory,
        Face::Data,
        Face::Keystore,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Face::Directory => "directory",
            Face::Keystore => "keystore",
            Face::OAuth => "oauth",
            Face::Ecosystem => "ecosystem",
            Face::Ra => "ra",
            Face::Tenants => "tenants",
            Face::Revocation => "revocation",
            Face::Admin => "admin",
            Face::Data => "data",
            Face::Root => "root",
        }
    }

    pub fn parse(name: &str) -> Option<Face> {
        Face::ALL.into_iter().find(|f| f.name() == name)
    }
}
