//! The RA face's records: operators, clients, pre-validated domains, orders
//! and the emulated DNS zone. An order is indexed by client and creation time
//! and listed as open until issued or failed, in the transaction that writes
//! it; an issued order's serial enters the serial index in that same one.

use super::StoreError;
use super::engine::{Database, Direction, RecordWrites, Records, Table, prefix};
use super::serials;
use crate::domain::authority::IssuedSerial;
use crate::domain::ra::{
    ClientDomain, ClientReference, DomainReference, OperatorName, Order, OrderReference, RaClient,
    RaOperator,
};

pub(super) const RA_OPERATORS: Table = "ra_operators";
pub(super) const RA_CLIENTS: Table = "ra_clients";
pub(super) const RA_DOMAINS: Table = "ra_domains";
pub(super) const RA_ORDERS: Table = "ra_orders";
/// The references of orders still moving, so the order worker reads only those.
pub(super) const RA_OPEN_ORDERS: Table = "ra_open_orders";
/// `client\0created (big-endian ms)\0order` -> nothing: a client's orders by time.
pub(super) const RA_CLIENT_ORDERS: Table = "ra_client_orders";
/// ASCII name -> TXT values, the emulated DNS.
pub(super) const DNS_TXT: Table = "dns_txt";

/// The serial an order's certificate was issued under: issuer, hex serial, entry.
pub type IssuedUnder<'a> = (&'a str, &'a str, &'a IssuedSerial);

#[derive(Clone)]
pub struct RaRecords {
    db: Database,
}

impl RaRecords {
    pub(super) fn new(db: Database) -> Self {
        RaRecords { db }
    }

    pub fn operator(&self, name: &OperatorName) -> Result<Option<RaOperator>, StoreError> {
        self.db
            .read(|tx| tx.record(RA_OPERATORS, name.as_str().as_bytes()))
    }

    pub fn operators(&self) -> Result<Vec<RaOperator>, StoreError> {
        self.db.read(|tx| tx.records(RA_OPERATORS, b""))
    }

    pub async fn put_operator(&self, operator: &RaOperator) -> Result<(), StoreError> {
        let operator = operator.clone();
        self.db
            .commit(move |tx| {
                let k = operator.user_name.as_str().as_bytes();
                tx.put_record(RA_OPERATORS, k, &operator)
            })
            .await
    }

    pub fn client(&self, reference: &ClientReference) -> Result<Option<RaClient>, StoreError> {
        self.db
            .read(|tx| tx.record(RA_CLIENTS, reference.as_str().as_bytes()))
    }

    /// Every client, in reference order.
    pub fn clients(&self) -> Result<Vec<RaClient>, StoreError> {
        self.db.read(|tx| tx.records(RA_CLIENTS, b""))
    }

    pub async fn put_client(&self, client: &RaClient) -> Result<(), StoreError> {
        let client = client.clone();
        self.db
            .commit(move |tx| {
                let k = client.reference.as_str().as_bytes();
                tx.put_record(RA_CLIENTS, k, &client)
            })
            .await
    }

    pub fn domain(&self, reference: &DomainReference) -> Result<Option<ClientDomain>, StoreError> {
        self.db
            .read(|tx| tx.record(RA_DOMAINS, reference.as_str().as_bytes()))
    }

    /// Every domain registered for any client.
    pub fn domains(&self) -> Result<Vec<ClientDomain>, StoreError> {
        self.db.read(|tx| tx.records(RA_DOMAINS, b""))
    }

    pub async fn put_domain(&self, domain: &ClientDomain) -> Result<(), StoreError> {
        let domain = domain.clone();
        self.db
            .commit(move |tx| {
                let k = domain.reference.as_str().as_bytes();
                tx.put_record(RA_DOMAINS, k, &domain)
            })
            .await
    }

    pub async fn remove_domain(&self, reference: &DomainReference) -> Result<(), StoreError> {
        let k = reference.as_str().as_bytes().to_vec();
        self.db
            .commit(move |tx| tx.remove(RA_DOMAINS, &k).map(drop))
            .await
    }

    pub fn order(&self, reference: &OrderReference) -> Result<Option<Order>, StoreError> {
        self.db
            .read(|tx| tx.record(RA_ORDERS, reference.as_str().as_bytes()))
    }

    /// A client's orders, newest first, that `keep` accepts, at most `limit`
    /// of them: read through the per-client index, so the cost follows the
    /// page, not the number of orders stored.
    pub fn orders_newest(
        &self,
        client: &ClientReference,
        limit: usize,
        keep: &mut dyn FnMut(&Order) -> bool,
    ) -> Result<Vec<Order>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let start = prefix(&[client.as_str()]);
        // The byte after the NUL separator: every key of this client sorts below it.
        let mut end = start.clone();
        if let Some(last) = end.last_mut() {
            *last = 1;
        }
        self.db.read(|tx| {
            let mut found = Vec::new();
            let mut below = end.clone();
            // The index is read a page at a time (a scan may not read the
            // orders it passes), until `keep` accepted `limit` of them.
            loop {
                let mut page = Vec::new();
                tx.scan(
                    RA_CLIENT_ORDERS,
                    &start,
                    Some(&below),
                    Direction::Descending,
                    &mut |k, _| {
                        page.push(k.to_vec());
                        Ok(page.len() < limit.max(16))
                    },
                )?;
                let Some(oldest) = page.last().cloned() else {
                    return Ok(found);
                };
                for k in &page {
                    let reference = k.rsplit(|b| *b == 0).next().unwrap_or_default();
                    if let Some(order) = tx.record::<Order>(RA_ORDERS, reference)?
                        && keep(&order)
                    {
                        found.push(order);
                        if found.len() >= limit {
                            return Ok(found);
                        }
                    }
                }
                below = oldest;
            }
        })
    }

    /// The orders not yet issued or failed, read without visiting the rest.
    pub fn open_orders(&self) -> Result<Vec<Order>, StoreError> {
        self.db.read(|tx| {
            let mut found = Vec::new();
            for k in tx.keys(RA_OPEN_ORDERS, b"")? {
                if let Some(order) = tx.record(RA_ORDERS, &k)? {
                    found.push(order);
                }
            }
            Ok(found)
        })
    }

    /// Writes an order with its indexes, and with it the serial entry of the
    /// certificate it was just issued, if it was.
    pub async fn put_order(
        &self,
        order: &Order,
        issued: Option<IssuedUnder<'_>>,
    ) -> Result<(), StoreError> {
        let k = order.reference.as_str().as_bytes().to_vec();
        let created = order.created.timestamp_millis().max(0) as u64;
        let mut by_client = prefix(&[order.client.as_str()]);
        by_client.extend_from_slice(&created.to_be_bytes());
        by_client.push(0);
        by_client.extend_from_slice(&k);
        let order = order.clone();
        let issued = issued
            .map(|(issuer, serial, entry)| (issuer.to_owned(), serial.to_owned(), entry.clone()));
        self.db
            .commit(move |tx| {
                tx.put_record(RA_ORDERS, &k, &order)?;
                tx.put(RA_CLIENT_ORDERS, &by_client, b"")?;
                if order.is_open() {
                    tx.put(RA_OPEN_ORDERS, &k, b"")?;
                } else {
                    tx.remove(RA_OPEN_ORDERS, &k)?;
                }
                if let Some((issuer, serial, entry)) = &issued {
                    serials::write(tx, issuer, serial, entry)?;
                }
                Ok(())
            })
            .await
    }

    /// The TXT values the emulated DNS publishes at an ASCII name.
    pub fn dns_txt(&self, name: &str) -> Result<Vec<String>, StoreError> {
        Ok(self
            .db
            .read(|tx| tx.record(DNS_TXT, name.as_bytes()))?
            .unwrap_or_default())
    }

    /// Sets them; none removes the name.
    pub async fn put_dns_txt(&self, name: &str, values: &[String]) -> Result<(), StoreError> {
        let (name, values) = (name.to_owned(), values.to_vec());
        self.db
            .commit(move |tx| {
                if values.is_empty() {
                    tx.remove(DNS_TXT, name.as_bytes()).map(drop)
                } else {
                    tx.put_record(DNS_TXT, name.as_bytes(), &values)
                }
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration};

    use super::*;
    use crate::domain::ra::OrderState;
    use crate::store::Serials;

    /// The number an order's reference (`ord-<uuid>`) was made from.
    fn number(order: &Order) -> u128 {
        let uuid = order.reference.as_str().trim_start_matches("ord-");
        uuid::Uuid::parse_str(uuid).unwrap().as_u128()
    }

    #[tokio::test]
    async fn an_order_is_open_until_issued_and_its_serial_lands_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open(dir.path(), 1).unwrap();
        let ra = RaRecords::new(store.db.clone());
        let serials = Serials::new(store.db.clone());
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        for n in 1..=40 {
            ra.put_order(&Order::sample(n, at + Duration::seconds(n as i64)), None)
                .await
                .unwrap();
        }
        assert_eq!(ra.open_orders().unwrap().len(), 40);

        let mut issued = Order::sample(7, at + Duration::seconds(7));
        issued.state = OrderState::Issued;
        let entry = IssuedSerial::of_order(&issued.reference);
        ra.put_order(&issued, Some(("ca-1", "0a", &entry)))
            .await
            .unwrap();
        assert_eq!(ra.open_orders().unwrap().len(), 39);
        assert_eq!(serials.get("ca-1", "0a").unwrap(), Some(entry));

        let client = ClientReference::from_uuid(uuid::Uuid::nil());
        let newest = ra.orders_newest(&client, 3, &mut |_| true).unwrap();
        let numbers: Vec<u128> = newest.iter().map(number).collect();
        assert_eq!(numbers, [40, 39, 38]);
        // A filter that refuses most orders still pages through the index.
        let mut odd_early = |o: &Order| number(o) % 2 == 1 && number(o) < 10;
        let found = ra.orders_newest(&client, 10, &mut odd_early).unwrap();
        let numbers: Vec<u128> = found.iter().map(number).collect();
        assert_eq!(numbers, [9, 7, 5, 3, 1]);
        assert!(
            ra.orders_newest(&client, 0, &mut |_| true)
                .unwrap()
                .is_empty()
        );
    }
}
