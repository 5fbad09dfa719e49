//! Certificate orders: a CSR for a product, moving received -> validating
//! -> issued, or -> failed with reasons.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{ClientReference, OperatorName, OrderReference, ProductProfile, ProductReference};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderState {
    /// Accepted, not yet looked at.
    Received,
    /// Waiting until every name in the CSR is pre-validated for the client.
    Validating,
    Issued,
    Failed,
}

impl OrderState {
    pub const ALL: [OrderState; 4] = [Self::Received, Self::Validating, Self::Issued, Self::Failed];

    pub fn name(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Validating => "validating",
            Self::Issued => "issued",
            Self::Failed => "failed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(value))
    }
}

/// The certificate an order produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssuedOrderCertificate {
    /// The issuing CA that signed it (its CRL lists it once revoked).
    pub issuer_id: String,
    pub serial_hex: String,
    /// The issuing CA's subject, as `POST /v2/revoke` takes it back.
    pub issuer_name: String,
    /// Leaf first, then the CAs up to the root, as standard base64 DER.
    pub chain: Vec<String>,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
}

/// How fast orders move: a pause in each state before it is left (so
/// clients' polling is exercised), and how long validation may wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderTiming {
    pub state_delay: Duration,
    pub validation_timeout: Duration,
}

/// What an open order should do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderStep {
    Stay,
    Validate,
    Issue,
    Fail(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub reference: OrderReference,
    pub client: ClientReference,
    pub product: ProductReference,
    pub profile: ProductProfile,
    pub operator: OperatorName,
    pub csr: String,
    /// The DNS names the CSR asks for, ASCII form.
    pub names: Vec<String>,
    /// The CSR's subject, as text.
    pub subject: String,
    pub state: OrderState,
    pub state_since: DateTime<Utc>,
    pub created: DateTime<Utc>,
    /// Why it failed, when it did.
    #[serde(default)]
    pub reasons: Vec<String>,
    pub certificate: Option<IssuedOrderCertificate>,
}

impl Order {
    pub fn is_open(&self) -> bool {
        matches!(self.state, OrderState::Received | OrderState::Validating)
    }

    /// The next step at `now`, given the names not (yet) pre-validated for
    /// the client.
    pub fn next_step(
        &self,
        timing: &OrderTiming,
        now: DateTime<Utc>,
        unvalidated: &[String],
    ) -> OrderStep {
        let waited = now - self.state_since;
        match self.state {
            OrderState::Issued | OrderState::Failed => OrderStep::Stay,
            OrderState::Received if waited < timing.state_delay => OrderStep::Stay,
            OrderState::Received => OrderStep::Validate,
            OrderState::Validating if waited < timing.state_delay => OrderStep::Stay,
            OrderState::Validating if unvalidated.is_empty() => OrderStep::Issue,
            OrderState::Validating if waited >= timing.validation_timeout => OrderStep::Fail(
                unvalidated
                    .iter()
                    .map(|name| {
                        format!(
                            "{name} is not pre-validated for client {} (waited {} s)",
                            self.client,
                            timing.validation_timeout.num_seconds()
                        )
                    })
                    .collect(),
            ),
            OrderState::Validating => OrderStep::Stay,
        }
    }

    pub fn enter(&mut self, state: OrderState, now: DateTime<Utc>) {
        self.state = state;
        self.state_since = now;
    }
}

#[cfg(test)]
impl Order {
    /// A TLS server order for a.example.com, just received at `created`,
    /// its reference made from `n`.
    pub(crate) fn sample(n: u128, created: DateTime<Utc>) -> Order {
        Order {
            reference: OrderReference::from_uuid(uuid::Uuid::from_u128(n)),
            client: ClientReference::from_uuid(uuid::Uuid::nil()),
            product: ProductReference::from_uuid(uuid::Uuid::nil()),
            profile: ProductProfile::TlsServer,
            operator: OperatorName::parse("ops").expect("a valid operator name"),
            csr: String::new(),
            names: vec!["a.example.com".into()],
            subject: "CN=a.example.com".into(),
            state: OrderState::Received,
            state_since: created,
            created,
            reasons: vec![],
            certificate: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_order_pauses_in_each_state_then_issues_once_names_are_valid() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let timing = OrderTiming {
            state_delay: Duration::seconds(2),
            validation_timeout: Duration::seconds(60),
        };
        let mut o = Order::sample(0, t0);
        let pending = vec!["a.example.com".to_owned()];
        assert_eq!(o.next_step(&timing, t0, &pending), OrderStep::Stay);
        let t2 = t0 + Duration::seconds(2);
        assert_eq!(o.next_step(&timing, t2, &pending), OrderStep::Validate);
        o.enter(OrderState::Validating, t2);
        assert_eq!(
            o.next_step(&timing, t2 + Duration::seconds(5), &pending),
            OrderStep::Stay
        );
        assert_eq!(
            o.next_step(&timing, t2 + Duration::seconds(5), &[]),
            OrderStep::Issue
        );
        match o.next_step(&timing, t2 + Duration::seconds(60), &pending) {
            OrderStep::Fail(reasons) => assert!(reasons[0].contains("a.example.com")),
            other => panic!("{other:?}"),
        }
    }
}
