//! Operations endpoints, the committed OpenAPI document, and the audit log.

use crate::common;

use common::{TestApp, expect_problem};
use probity::store::keys::Role;
use serde_json::Value;

#[test]
fn committed_openapi_matches_the_server() {
    let generated = serde_json::to_string_pretty(&probity::api::openapi::document()).unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");
    if std::env::var("PROBITY_UPDATE_OPENAPI").is_ok() {
        std::fs::write(path, format!("{generated}\n")).unwrap();
    }
    let committed = std::fs::read_to_string(path).expect("openapi/openapi.json is committed");
    assert!(
        committed.trim_end() == generated,
        "openapi/openapi.json is stale; regenerate with `PROBITY_UPDATE_OPENAPI=1 cargo test --test it api::committed_openapi`"
    );
}

#[test]
fn every_operation_documents_its_errors_and_security() {
    let spec: Value = serde_json::to_value(probity::api::openapi::document()).unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            assert!(responses.contains_key("500"), "{method} {path} lacks 500");
            if path == "/v1/signing-key" {
                assert!(
                    operation.get("security").is_none(),
                    "the public key is public"
                );
            } else if path.starts_with("/v1/") || path == "/metrics" {
                assert!(
                    responses.contains_key("401") && responses.contains_key("403"),
                    "{method} {path} lacks 401/403"
                );
                assert!(
                    operation["security"].is_array(),
                    "{method} {path} lacks security"
                );
            }
        }
    }
}

#[tokio::test]
async fn health_readiness_metrics_and_docs() {
    let app = TestApp::spawn().await;
    let health = app
        .client
        .get(format!("{}/healthz", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let ready = app
        .client
        .get(format!("{}/readyz", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);

    expect_problem(
        app.client
            .get(format!("{}/metrics", app.url))
            .send()
            .await
            .unwrap(),
        401,
    )
    .await;
    // Without a configured signing key there is no public key to show.
    expect_problem(
        app.client
            .get(format!("{}/v1/signing-key", app.url))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    let viewer = app.key(Role::Viewer).await;
    app.upload_dataset(b"a\n1\n".to_vec(), "m.csv").await;
    let metrics = app
        .client
        .get(format!("{}/metrics", app.url))
        .bearer_auth(&viewer)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("probity_http_requests_total"), "{metrics}");
    assert!(metrics.contains("route=\"/v1/datasets\""), "{metrics}");
    assert!(
        metrics.contains("probity_http_request_duration_seconds_bucket"),
        "{metrics}"
    );

    let spec: Value = app
        .client
        .get(format!("{}/openapi.json", app.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        spec,
        serde_json::to_value(probity::api::openapi::document()).unwrap()
    );
    let docs = app
        .client
        .get(format!("{}/docs", app.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(docs.contains("/openapi.json"));
    assert!(
        !docs.contains("http://") && !docs.contains("https://"),
        "the docs page must not load external assets"
    );

    let missing = app.get("/v1/nothing-here").send().await.unwrap();
    expect_problem(missing, 404).await;
    let bad_id = app.get("/v1/datasets/not-a-uuid").send().await.unwrap();
    expect_problem(bad_id, 422).await;
    let too_big = app
        .post("/v1/keys")
        .header("content-type", "application/json")
        .body(vec![b' '; 100_000])
        .send()
        .await
        .unwrap();
    expect_problem(too_big, 413).await;
    app.stop().await;
}

#[tokio::test]
async fn the_audit_log_is_append_only() {
    let app = TestApp::spawn().await;
    app.upload_dataset(b"a\n1\n".to_vec(), "x.csv").await;
    assert_eq!(app.count("audit_log").await, 1);
    let update = sqlx::query("UPDATE audit_log SET actor = 'someone else'")
        .execute(&app.pool)
        .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM audit_log")
        .execute(&app.pool)
        .await;
    assert!(delete.is_err());
    assert_eq!(app.count("audit_log").await, 1);
    app.stop().await;
}

/// Problems of a schema and the schemas inside it: a schema with no type at
/// all, or an object with neither properties nor a value schema (what
/// generators turn into `never`, `dict` or `any`).
fn untyped_schemas(schema: &Value, path: &str, found: &mut Vec<String>) {
    let Some(map) = schema.as_object() else {
        return;
    };
    const TYPED_BY: [&str; 7] = ["type", "$ref", "oneOf", "anyOf", "allOf", "enum", "const"];
    if !TYPED_BY.iter().any(|key| map.contains_key(*key)) {
        found.push(format!("{path}: no type"));
    }
    let is_object = match &map.get("type") {
        Some(Value::String(t)) => t == "object",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "object"),
        _ => false,
    };
    if is_object && !map.contains_key("properties") && !map.contains_key("additionalProperties") {
        found.push(format!("{path}: an object with no properties"));
    }
    for (name, property) in map
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        untyped_schemas(property, &format!("{path}.{name}"), found);
    }
    for key in ["items", "additionalProperties"] {
        if let Some(inner) = map.get(key).filter(|v| v.is_object()) {
            untyped_schemas(inner, &format!("{path}/{key}"), found);
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        for (i, member) in map
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            untyped_schemas(member, &format!("{path}/{key}/{i}"), found);
        }
    }
}

#[test]
fn no_schema_is_an_untyped_object() {
    let spec: Value = serde_json::to_value(probity::api::openapi::document()).unwrap();
    let mut found = Vec::new();
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        // The OpenAPI document's own path items and components are not modelled here.
        if name != "OpenApiDocument" {
            untyped_schemas(schema, name, &mut found);
        }
    }
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let bodies = operation["responses"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(status, response)| (status.clone(), response))
                .chain(
                    operation
                        .get("requestBody")
                        .map(|body| ("request".to_string(), body)),
                );
            for (status, response) in bodies {
                for (media, content) in response["content"].as_object().into_iter().flatten() {
                    if let Some(schema) = content.get("schema") {
                        let at = format!("{method} {path} {status} {media}");
                        untyped_schemas(schema, &at, &mut found);
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "untyped schemas:\n{}", found.join("\n"));
}
