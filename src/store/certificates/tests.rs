use super::*;
use crate::domain::PublicJwk;
use crate::domain::event::Outcome;

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000 + seconds, 0).unwrap()
}

fn record(kid: &str, spki: &str) -> CertificateOrKey {
    CertificateOrKey {
        organisation_id: OrganisationId::parse("org-1").unwrap(),
        software_statement_id: Some(SoftwareStatementId::parse("ss-1").unwrap()),
        client_name: "TPP".into(),
        key_type: CertOrKeyType::Rtstransport,
        status: RecordStatus::Active,
        valid_from: at(0),
        expiry: Some(at(1000)),
        revoked_at: None,
        revoke_reason: None,
        issuer_id: Some("ca-1".into()),
        kid: Kid::parse(kid).unwrap(),
        jwk: PublicJwk::Rsa {
            n: "n".into(),
            e: "AQAB".into(),
        },
        x5c: vec![],
        x5t: None,
        x5t_s256: None,
        serial: Some(format!("{kid}-serial")),
        spki_sha256: spki.into(),
    }
}

fn open(dir: &std::path::Path) -> (crate::store::Repositories, Certificates) {
    let store = crate::store::open(dir, 1).unwrap();
    let certificates = store.certificates.clone();
    (store, certificates)
}

#[tokio::test]
async fn a_second_active_upload_of_one_key_is_refused_until_the_first_is_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let (_store, certificates) = open(dir.path());
    assert_eq!(
        certificates
            .add(&record("a", "K"), at(1), &[])
            .await
            .unwrap(),
        Added::Stored
    );
    match certificates
        .add(&record("b", "K"), at(2), &[])
        .await
        .unwrap()
    {
        Added::KeyActive(active) => assert_eq!(active.kid.as_str(), "a"),
        other => panic!("{other:?}"),
    }
    let mut other_type = record("c", "K");
    other_type.key_type = CertOrKeyType::Rtssigning;
    assert_eq!(
        certificates.add(&other_type, at(2), &[]).await.unwrap(),
        Added::Stored
    );

    // Expired, the key may be uploaded again; revoking the expired record
    // afterwards does not hide the new active one.
    let mut renewed = record("d", "K");
    renewed.expiry = Some(at(5000));
    assert_eq!(
        certificates.add(&renewed, at(1001), &[]).await.unwrap(),
        Added::Stored
    );
    let mut revoked = record("a", "K");
    revoked.status = RecordStatus::Revoked;
    revoked.revoked_at = Some(at(1002));
    certificates.put(&revoked).await.unwrap();
    assert!(matches!(
        certificates
            .add(&record("e", "K"), at(1003), &[])
            .await
            .unwrap(),
        Added::KeyActive(_)
    ));
}

#[tokio::test]
async fn a_write_drops_the_documents_rendered_from_its_organisation() {
    let dir = tempfile::tempdir().unwrap();
    let (store, certificates) = open(dir.path());
    let doc = crate::domain::KeystoreDocument {
        organisation_id: OrganisationId::parse("org-1").unwrap(),
        software_statement_id: Some(SoftwareStatementId::parse("ss-1").unwrap()),
        keys: crate::domain::KeySet::Application,
        inactive: false,
    };
    let rendered = |certificates: &Certificates| {
        let ticket = certificates.documents().lookup(&doc, at(1)).unwrap_err();
        let body = bytes::Bytes::from_static(b"{}");
        certificates
            .documents()
            .keep(&doc, ticket, body, at(1), None);
        assert!(certificates.documents().lookup(&doc, at(1)).is_ok());
    };
    rendered(&certificates);
    certificates
        .add(&record("a", "K"), at(1), &[])
        .await
        .unwrap();
    assert!(
        certificates.documents().lookup(&doc, at(1)).is_err(),
        "an upload"
    );

    rendered(&certificates);
    let mut revoked = record("a", "K");
    revoked.status = RecordStatus::Revoked;
    certificates.put(&revoked).await.unwrap();
    assert!(
        certificates.documents().lookup(&doc, at(1)).is_err(),
        "a revocation"
    );

    rendered(&certificates);
    store.contents.replace(Vec::new()).await.unwrap();
    assert!(
        certificates.documents().lookup(&doc, at(1)).is_err(),
        "a reset"
    );
}

#[tokio::test]
async fn a_kid_is_taken_once_per_owner() {
    let dir = tempfile::tempdir().unwrap();
    let (_store, certificates) = open(dir.path());
    certificates
        .add(&record("a", "K1"), at(1), &[])
        .await
        .unwrap();
    match certificates
        .add(&record("a", "K2"), at(1), &[])
        .await
        .unwrap()
    {
        Added::KidTaken(existing) => assert_eq!(existing.spki_sha256, "K1"),
        other => panic!("{other:?}"),
    }
    let mut elsewhere = record("a", "K2");
    elsewhere.software_statement_id = None;
    assert_eq!(
        certificates.add(&elsewhere, at(1), &[]).await.unwrap(),
        Added::Stored
    );
}

#[tokio::test]
async fn a_revocation_reaches_the_serial_index_in_its_own_commit() {
    let dir = tempfile::tempdir().unwrap();
    let (store, certificates) = open(dir.path());
    let (serials, events) = (&store.serials, &store.events);
    let audit = NewEvent {
        event_type: "UPLOAD_SUCCESS".into(),
        time: at(1),
        actor: "admin".into(),
        interaction_id: None,
        outcome: Outcome::Success,
        detail: None,
    };
    let commits = store.db.commits();
    certificates
        .add(&record("a", "K"), at(1), &[audit])
        .await
        .unwrap();
    assert_eq!(
        store.db.commits(),
        commits + 1,
        "record, serial and event in one commit"
    );
    assert_eq!(events.all().unwrap().len(), 1);
    assert_eq!(
        serials.get("ca-1", "a-serial").unwrap().unwrap().revoked_at,
        None
    );

    let a = record("a", "K");
    let ss = a.software_statement_id.as_ref();
    let revoke = |key_type| {
        certificates.revoke(
            &a.organisation_id,
            ss,
            key_type,
            &a.kid,
            at(5),
            RevokeReason::KeyCompromise,
            &[],
        )
    };
    assert_eq!(
        revoke(Some(CertOrKeyType::Rtssigning)).await.unwrap(),
        Revocation::Missing
    );
    assert!(matches!(
        revoke(Some(CertOrKeyType::Rtstransport)).await.unwrap(),
        Revocation::Revoked(_)
    ));
    assert_eq!(store.db.commits(), commits + 2, "a refusal commits nothing");
    assert!(matches!(
        revoke(None).await.unwrap(),
        Revocation::AlreadyRevoked(_)
    ));
    assert_eq!(store.db.commits(), commits + 2);
    let entry = serials.get("ca-1", "a-serial").unwrap().unwrap();
    assert_eq!(entry.revoked_at, Some(at(5)));
    let listed = serials.revoked("ca-1").unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].0, "a-serial");
    assert_eq!(listed[0].1.revoke_reason, Some(RevokeReason::KeyCompromise));
}

#[tokio::test]
async fn a_refused_upload_commits_nothing_and_a_clock_set_back_revives_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let (store, certificates) = open(dir.path());
    certificates
        .add(&record("a", "K"), at(1), &[])
        .await
        .unwrap();
    let mut renewed = record("b", "K");
    renewed.expiry = Some(at(5000));
    certificates.add(&renewed, at(2000), &[]).await.unwrap();
    let commits = store.db.commits();
    assert!(matches!(
        certificates
            .add(&record("c", "K"), at(2001), &[])
            .await
            .unwrap(),
        Added::KeyActive(_)
    ));
    assert_eq!(store.db.commits(), commits, "a refusal commits nothing");
    // Back before the first record expired, both are active: either
    // one refuses a third.
    assert!(matches!(
        certificates
            .add(&record("c", "K"), at(10), &[])
            .await
            .unwrap(),
        Added::KeyActive(_)
    ));
}

#[tokio::test]
async fn a_store_written_before_the_key_index_gets_one() {
    let dir = tempfile::tempdir().unwrap();
    let (store, certificates) = open(dir.path());
    let old = record("a", "K");
    let written = old.clone();
    store
        .db
        .commit(move |tx| {
            tx.put_record(
                CERTIFICATES,
                &record_key(
                    &written.organisation_id,
                    written.software_statement_id.as_ref(),
                    &written.kid,
                ),
                &written,
            )?;
            tx.remove(OWNER_KEYS, INDEXED)
        })
        .await
        .unwrap();
    assert!(!store.db.read(is_indexed).unwrap());
    store.db.commit(index_keys).await.unwrap();
    assert!(matches!(
        certificates
            .add(&record("b", "K"), at(1), &[])
            .await
            .unwrap(),
        Added::KeyActive(_)
    ));

    // A snapshot leaves the index out; restoring it builds it again.
    let snapshot = store.contents.all().unwrap();
    assert!(snapshot.iter().all(|(table, _, _)| table != OWNER_KEYS));
    store.contents.replace(snapshot.clone()).await.unwrap();
    assert!(matches!(
        certificates
            .add(&record("b", "K"), at(1), &[])
            .await
            .unwrap(),
        Added::KeyActive(_)
    ));
}
