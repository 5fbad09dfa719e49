//! RA operators and clients as config and seed files write them, turned
//! into records with every rule checked.

use serde::{Deserialize, Serialize};

use super::{
    ApiKey, ClientReference, OperatorName, Product, ProductProfile, ProductReference, ProductState,
    RaClient, RaOperator,
};
use crate::domain::DomainError;

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperatorAccount {
    pub user_name: String,
    pub api_key: String,
    /// References of the clients the operator may act for; none: all.
    #[serde(default)]
    pub clients: Vec<String>,
}

/// The API key never prints, as `ApiKey` does not.
impl std::fmt::Debug for OperatorAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorAccount")
            .field("user_name", &self.user_name)
            .field("api_key", &"..")
            .field("clients", &self.clients)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientAccount {
    pub name: String,
    /// `cli-<uuid>`; when absent, one is derived from the name so it stays
    /// the same across starts.
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub products: Vec<ProductAccount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductAccount {
    pub name: String,
    pub profile: ProductProfile,
    #[serde(default = "enabled")]
    pub state: ProductState,
    /// `pma-<uuid>`; derived from the client's and product's names when absent.
    #[serde(default)]
    pub reference: Option<String>,
}

fn enabled() -> ProductState {
    ProductState::Enabled
}

fn check_name(field: &str, name: &str) -> Result<(), DomainError> {
    if name.trim().is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(DomainError::field(
            field,
            "must be 1 to 200 characters with no control characters",
        ));
    }
    Ok(())
}

impl OperatorAccount {
    pub fn into_operator(self) -> Result<RaOperator, DomainError> {
        Ok(RaOperator {
            user_name: OperatorName::parse(&self.user_name)?,
            api_key: ApiKey::parse(&self.api_key)?,
            clients: self
                .clients
                .iter()
                .map(|c| ClientReference::parse(c))
                .collect::<Result<_, _>>()?,
        })
    }
}

impl ClientAccount {
    /// `derive` makes a stable UUID from a text, for references left out.
    pub fn into_client(self, derive: impl Fn(&str) -> uuid::Uuid) -> Result<RaClient, DomainError> {
        check_name("name", &self.name)?;
        let reference = match &self.reference {
            Some(r) => ClientReference::parse(r)?,
            None => ClientReference::from_uuid(derive(&format!("client\0{}", self.name))),
        };
        let mut products: Vec<Product> = Vec::new();
        for product in self.products {
            check_name("products.name", &product.name)?;
            let product_reference = match &product.reference {
                Some(r) => ProductReference::parse(r)?,
                None => ProductReference::from_uuid(derive(&format!(
                    "product\0{}\0{}",
                    self.name, product.name
                ))),
            };
            if products.iter().any(|p| p.reference == product_reference) {
                return Err(DomainError::field(
                    "products.reference",
                    format!("{product_reference} is given twice"),
                ));
            }
            products.push(Product {
                reference: product_reference,
                name: product.name,
                profile: product.profile,
                state: product.state,
            });
        }
        Ok(RaClient {
            reference,
            name: self.name,
            products,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn derive(text: &str) -> uuid::Uuid {
        let mut bytes = [0u8; 16];
        for (i, b) in text.bytes().enumerate() {
            bytes[i % 16] ^= b;
        }
        uuid::Uuid::from_bytes(bytes)
    }

    #[test]
    fn references_left_out_are_derived_and_stable() {
        let account: ClientAccount = toml::from_str(
            "name = \"Client Alpha\"\n[[products]]\nname = \"TLS\"\nprofile = \"tls-server\"\n",
        )
        .unwrap();
        let a = account.clone().into_client(derive).unwrap();
        let b = account.into_client(derive).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.products[0].state, ProductState::Enabled);
        assert!(a.reference.as_str().starts_with("cli-"));
    }

    #[test]
    fn a_bad_operator_names_the_field() {
        let account = OperatorAccount {
            user_name: "ops".into(),
            api_key: "short".into(),
            clients: vec![],
        };
        assert!(
            !format!("{account:?}").contains("short"),
            "the key never prints"
        );
        assert_eq!(account.into_operator().unwrap_err().field, "apiKey");
    }
}
