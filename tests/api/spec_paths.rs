//! Every operation of the directory's OpenAPI document is served, or listed
//! in docs/fidelity.md with the reason it is not; and nothing listed there
//! is in fact served.

use serde_json::Value;

use crate::helpers::*;

fn spec_operations() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/spec/paths.json");
    let document: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    document["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap().to_owned())
        .collect()
}

/// The operations docs/fidelity.md lists as not served: the first cell of
/// each table row, in backticks.
fn left_out() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/fidelity.md");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`'))
        .map(|(operation, _)| operation.to_owned())
        .collect()
}

#[tokio::test]
async fn every_spec_operation_is_served_or_listed_with_its_reason() {
    let app = spawn_app().await;
    let document: Value = app.get("/openapi.json").await.json().await.unwrap();
    let served: Vec<String> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| format!("{} {path}", method.to_uppercase()))
        })
        .collect();
    let operations = spec_operations();
    assert_eq!(operations.len(), 50, "the 1.3.7 document's operations");
    let left_out = left_out();
    for operation in &operations {
        let is_served = served.contains(operation);
        let is_listed = left_out.contains(operation);
        assert!(
            is_served || is_listed,
            "{operation} is neither served nor listed in docs/fidelity.md"
        );
        assert!(
            !(is_served && is_listed),
            "{operation} is served: take it out of docs/fidelity.md"
        );
    }
    for listed in &left_out {
        assert!(
            operations.contains(listed),
            "docs/fidelity.md lists {listed}, which the document does not have"
        );
    }
}
