//! The document's examples come from real calls. One test drives every
//! operation once against the real server (Postgres, libtorch workers, an
//! s3s-fs bucket, a signing key), checks every JSON answer against the schema
//! the document declares for its status and media type, and, with
//! `PROBITY_UPDATE_OPENAPI=1`, writes the calls to `openapi/examples.json`,
//! which `probity::api::openapi` embeds in the document. Then every operation
//! of the document must carry its examples (a request example where it takes
//! a body, a response example for its success answer unless that is empty or
//! a binary file), and each example must validate against its schema.
//!
//! To refresh: `PROBITY_UPDATE_OPENAPI=1 cargo nextest run -E 'test(examples::)'`,
//! then `PROBITY_UPDATE_OPENAPI=1 cargo nextest run -E 'test(committed_openapi)'`.

use std::collections::BTreeMap;

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::common::{self, Options, S3Server, TestApp, WorkerProcess};
use probity::store::bucket::Bucket;
use probity::store::references::ReferenceAccess;
use probity_audit::signing::ReportSigner;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// Longest text example kept (HTML pages, Markdown, metrics), cut at a line end.
const MAX_TEXT_EXAMPLE: usize = 1500;

/// One recorded call of an operation.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
struct Call {
    /// The request body's media type and value, for operations with a body.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    request: Option<MediaExample>,
    /// The answer's status.
    status: String,
    /// The answer's media type and value (absent for an empty or binary answer).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    response: Option<MediaExample>,
}

/// A value of a media type.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
struct MediaExample {
    media_type: String,
    value: Value,
}

/// The operations of a document: operation id → (path, method, operation).
fn operations(document: &Value) -> BTreeMap<String, (String, String, Value)> {
    let mut found = BTreeMap::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap().to_string();
            found.insert(id, (path.clone(), method.clone(), operation.clone()));
        }
    }
    found
}

/// Errors of `value` against `schema`, resolved within `document` (draft 2020-12, formats checked).
fn schema_errors(document: &Value, schema: &Value, value: &Value) -> Vec<String> {
    let mut rooted = schema.clone();
    if let Value::Object(map) = &mut rooted {
        map.insert("components".into(), document["components"].clone());
    }
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&rooted)
        .unwrap_or_else(|e| panic!("invalid schema {schema}: {e}"));
    validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// The items a streamed body holds, as its schema describes each: the JSON
/// object of each NDJSON line, or each server-sent event as `{event, id,
/// data}`; `None` for other media types (their schema describes the body).
fn stream_items(media_type: &str, text: &str) -> Option<Vec<Value>> {
    match media_type {
        "application/x-ndjson" => Some(
            text.lines()
                .filter(|line| !line.trim().is_empty())
                .map(|line| serde_json::from_str(line).unwrap())
                .collect(),
        ),
        "text/event-stream" => Some(
            text.split("\n\n")
                .filter(|block| block.lines().any(|line| !line.starts_with(':')))
                .map(|block| {
                    let mut event = serde_json::Map::new();
                    for line in block.lines().filter(|line| !line.starts_with(':')) {
                        let (field, value) = line.split_once(':').unwrap_or((line, ""));
                        event.insert(
                            field.into(),
                            value.strip_prefix(' ').unwrap_or(value).into(),
                        );
                    }
                    Value::Object(event)
                })
                .collect(),
        ),
        _ => None,
    }
}

/// Errors of an example or answer of `media_type` against `schema`: per item for streams.
fn body_errors(document: &Value, schema: &Value, media_type: &str, body: &Value) -> Vec<String> {
    match body
        .as_str()
        .and_then(|text| stream_items(media_type, text))
    {
        Some(items) => items
            .iter()
            .enumerate()
            .flat_map(|(i, item)| {
                schema_errors(document, schema, item)
                    .into_iter()
                    .map(move |e| format!("item {i}: {e}"))
            })
            .collect(),
        None => schema_errors(document, schema, body),
    }
}

/// The schema the document declares for a response (`$ref`s to components followed).
fn response_schema(document: &Value, operation: &Value, status: &str, media: &str) -> Value {
    let mut response = operation["responses"][status].clone();
    if let Some(target) = response.get("$ref").and_then(Value::as_str) {
        let name = target.rsplit('/').next().unwrap();
        response = document["components"]["responses"][name].clone();
    }
    response["content"][media]["schema"].clone()
}

/// Drives the calls and keeps one per operation.
struct Recorder {
    document: Value,
    operations: BTreeMap<String, (String, String, Value)>,
    calls: BTreeMap<String, Call>,
}

impl Recorder {
    fn new() -> Self {
        let document = serde_json::to_value(probity::api::openapi::document()).unwrap();
        let operations = operations(&document);
        Self {
            document,
            operations,
            calls: BTreeMap::new(),
        }
    }

    /// Sends `request` as operation `id`, expects `status`, checks the answer
    /// against its schema and records it with `request_example`. The answer's body.
    async fn call(
        &mut self,
        id: &str,
        request: reqwest::RequestBuilder,
        request_example: Option<MediaExample>,
        status: u16,
    ) -> Value {
        let (_, _, operation) = self
            .operations
            .get(id)
            .unwrap_or_else(|| panic!("no operation {id} in the document"))
            .clone();
        let response = request.send().await.unwrap();
        let got = response.status().as_u16();
        let media_type = response.headers().get("content-type").map(|v| {
            v.to_str()
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .trim()
                .to_string()
        });
        let bytes = response.bytes().await.unwrap();
        assert_eq!(got, status, "{id}: {}", String::from_utf8_lossy(&bytes));
        let (body, example) = match media_type.as_deref() {
            None => (Value::Null, None),
            Some(media) if bytes.is_empty() => {
                panic!("{id}: an empty body declared as {media}")
            }
            Some(media) if media == "application/json" || media.ends_with("+json") => {
                let body: Value = serde_json::from_slice(&bytes).unwrap();
                let schema =
                    response_schema(&self.document, &operation, &status.to_string(), media);
                assert!(
                    !schema.is_null(),
                    "{id}: the document declares no {media} schema for {status}"
                );
                let errors = schema_errors(&self.document, &schema, &body);
                assert!(
                    errors.is_empty(),
                    "{id}: the {status} answer does not match its schema:\n{}\n{body:#}",
                    errors.join("\n")
                );
                (body.clone(), Some(body))
            }
            Some(media) => {
                let schema =
                    response_schema(&self.document, &operation, &status.to_string(), media);
                assert!(
                    !schema.is_null(),
                    "{id}: the document declares no {media} content for {status}"
                );
                match std::str::from_utf8(&bytes) {
                    Ok(text) => {
                        let body = Value::String(text.into());
                        let errors = body_errors(&self.document, &schema, media, &body);
                        assert!(
                            errors.is_empty(),
                            "{id}: the {status} {media} answer does not match its schema:\n{}",
                            errors.join("\n")
                        );
                        let example = match stream_items(media, text) {
                            Some(_) => text.to_string(),
                            None => shortened(text),
                        };
                        (body, Some(Value::String(example)))
                    }
                    Err(_) => (Value::Null, None),
                }
            }
        };
        let call = Call {
            request: request_example,
            status: status.to_string(),
            response: example.map(|value| MediaExample {
                media_type: media_type.unwrap(),
                value,
            }),
        };
        self.calls.entry(id.to_string()).or_insert(call);
        body
    }
}

/// `text` up to [`MAX_TEXT_EXAMPLE`] bytes, cut after a whole line, marked when cut.
fn shortened(text: &str) -> String {
    if text.len() <= MAX_TEXT_EXAMPLE {
        return text.to_string();
    }
    let cut = text[..MAX_TEXT_EXAMPLE]
        .rfind('\n')
        .unwrap_or(MAX_TEXT_EXAMPLE);
    let cut = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap();
    format!("{}\n…", &text[..cut])
}

fn json_example(value: &Value) -> Option<MediaExample> {
    Some(MediaExample {
        media_type: "application/json".into(),
        value: value.clone(),
    })
}

const DATASET: &str = "applicant,sex,income,label,prediction,score,contact\n\
1,F,31.5,1,1,0.81,call 555-0100\n\
2,M,48.0,0,1,0.64,none\n\
3,F,27.1,0,0,0.22,none\n\
4,M,52.9,1,1,0.91,mail ana.lopez@example.org\n\
5,F,39.4,1,0,0.47,none\n\
6,M,33.3,0,0,0.18,none\n\
7,F,45.0,1,1,0.77,none\n\
8,M,29.8,0,1,0.58,none\n";

/// Calls every operation of the document once; the recorded calls.
async fn record_every_operation() -> BTreeMap<String, Call> {
    let s3 = S3Server::start();
    let bucket = Bucket::connect(&s3.settings("")).unwrap();
    common::put_parquet(&bucket, "lake/decisions.parquet", common::decisions(0, 60)).await;
    let app = TestApp::spawn_with(Options {
        workers: 0,
        signer: Some(ReportSigner::generate()),
        references: ReferenceAccess::new(
            &["s3://probity-test/lake".into()],
            s3.settings("").options,
        )
        .unwrap(),
        ..Options::default()
    })
    .await;
    let mut r = Recorder::new();

    r.call("healthz", app.get("/healthz"), None, 200).await;
    r.call("readyz", app.get("/readyz"), None, 200).await;
    r.call("docs", app.get("/docs"), None, 200).await;
    r.call("signing_key", app.get("/v1/signing-key"), None, 200)
        .await;

    let new_key = json!({ "name": "grafana", "role": "viewer" });
    let key = r
        .call(
            "create_key",
            app.post("/v1/keys").json(&new_key),
            json_example(&new_key),
            201,
        )
        .await;
    r.call("list_keys", app.get("/v1/keys"), None, 200).await;
    let key_id = key["id"].as_str().unwrap();
    r.call(
        "revoke_key",
        app.delete(&format!("/v1/keys/{key_id}")),
        None,
        204,
    )
    .await;

    let upload = Form::new()
        .part(
            "file",
            Part::bytes(DATASET.as_bytes().to_vec()).file_name("loans.csv"),
        )
        .text("name", "loans-2026-q3.csv");
    let upload_example = MediaExample {
        media_type: "multipart/form-data".into(),
        value: json!({ "file": DATASET, "name": "loans-2026-q3.csv" }),
    };
    let dataset = r
        .call(
            "upload_dataset",
            app.post("/v1/datasets").multipart(upload),
            Some(upload_example),
            201,
        )
        .await;
    let dataset_id = dataset["id"].as_str().unwrap().to_string();
    r.call("list_datasets", app.get("/v1/datasets?limit=10"), None, 200)
        .await;
    r.call(
        "get_dataset",
        app.get(&format!("/v1/datasets/{dataset_id}")),
        None,
        200,
    )
    .await;
    r.call(
        "download_dataset",
        app.get(&format!("/v1/datasets/{dataset_id}/download")),
        None,
        200,
    )
    .await;
    let reference =
        json!({ "source": "s3://probity-test/lake/decisions.parquet", "name": "decisions" });
    let referenced = r
        .call(
            "register_dataset_reference",
            app.post("/v1/dataset-references").json(&reference),
            json_example(&reference),
            201,
        )
        .await;

    let metadata = json!({
        "name": "loan-scorer", "version": "3", "features": ["income"], "output": "logit"
    });
    let model_form = Form::new()
        .part(
            "file",
            Part::bytes(common::traced_linear_model_with(&[0.08], -3.0)).file_name("scorer.pt"),
        )
        .text("metadata", metadata.to_string());
    let model_example = MediaExample {
        media_type: "multipart/form-data".into(),
        value: json!({ "file": "(the TorchScript archive's bytes)", "metadata": metadata }),
    };
    let model = r
        .call(
            "upload_model",
            app.post("/v1/models").multipart(model_form),
            Some(model_example),
            201,
        )
        .await;
    let model_id = model["id"].as_str().unwrap().to_string();
    r.call("list_models", app.get("/v1/models"), None, 200)
        .await;
    r.call(
        "get_model",
        app.get(&format!("/v1/models/{model_id}")),
        None,
        200,
    )
    .await;
    r.call(
        "download_model",
        app.get(&format!("/v1/models/{model_id}/download")),
        None,
        200,
    )
    .await;

    // No worker runs yet: this job is still queued, so cancelling it is immediate.
    let profiled = r
        .call(
            "profile_dataset",
            app.post(&format!(
                "/v1/datasets/{}/profile",
                referenced["id"].as_str().unwrap()
            )),
            None,
            202,
        )
        .await;
    let cancelled = r
        .call(
            "cancel_job",
            app.post(&format!(
                "/v1/jobs/{}/cancel",
                profiled["id"].as_str().unwrap()
            )),
            None,
            202,
        )
        .await;
    assert_eq!(cancelled["status"], "cancelled");

    let audit = json!({
        "dataset_id": dataset_id,
        "model_id": model_id,
        "label_column": "label",
        "positive_label": 1,
        "sensitive_features": ["sex"],
        "checks": {
            "fairness": { "bootstrap": { "resamples": 0 } },
            "pii": { "columns": ["contact"] }
        }
    });
    let audit_job = r
        .call(
            "start_audit",
            app.post("/v1/audits").json(&audit),
            json_example(&audit),
            202,
        )
        .await;
    let inference =
        json!({ "model_id": model_id, "dataset_id": dataset_id, "id_columns": ["applicant"] });
    r.call(
        "start_inference",
        app.post("/v1/inference-jobs").json(&inference),
        json_example(&inference),
        202,
    )
    .await;
    let training = json!({
        "dataset_id": dataset_id,
        "label_column": "label",
        "positive_label": 1,
        "feature_columns": ["income"],
        "model": { "type": "logistic_regression" },
        "epochs": 5,
        "mitigation": { "type": "reweighing", "sensitive_features": ["sex"] }
    });
    r.call(
        "start_training",
        app.post("/v1/training-jobs").json(&training),
        json_example(&training),
        202,
    )
    .await;

    let worker = WorkerProcess::start(&app, 1);
    let audit_job_id = audit_job["id"].as_str().unwrap().to_string();
    let finished = app.wait_for_job(&audit_job_id).await;
    assert_eq!(finished["status"], "succeeded", "{finished}");
    r.call(
        "get_job",
        app.get(&format!("/v1/jobs/{audit_job_id}")),
        None,
        200,
    )
    .await;
    r.call("list_jobs", app.get("/v1/jobs?kind=audit"), None, 200)
        .await;
    r.call(
        "job_events",
        app.get(&format!("/v1/jobs/{audit_job_id}/events")),
        None,
        200,
    )
    .await;

    let report_id = finished["result"]["report_id"]
        .as_str()
        .unwrap()
        .to_string();
    r.call(
        "list_reports",
        app.get("/v1/reports?verdict=fail"),
        None,
        200,
    )
    .await;
    r.call(
        "get_report",
        app.get(&format!("/v1/reports/{report_id}")),
        None,
        200,
    )
    .await;
    r.call(
        "compare_reports",
        app.get(&format!(
            "/v1/reports/compare?base={report_id}&head={report_id}"
        )),
        None,
        200,
    )
    .await;
    r.call(
        "verify_report",
        app.get(&format!("/v1/reports/{report_id}/verify")),
        None,
        200,
    )
    .await;
    r.call(
        "get_pii_findings",
        app.get(&format!("/v1/reports/{report_id}/pii-findings")),
        None,
        200,
    )
    .await;
    r.call(
        "reproduce_report",
        app.post(&format!("/v1/reports/{report_id}/reproduce")),
        None,
        202,
    )
    .await;
    let monitor_request = json!({
        "name": "loan approvals",
        "model_id": model_id,
        "sensitive_features": ["sex"],
        "positive_label": 1,
        "window": "day",
        "figures": { "resamples": 20, "min_group_size": 2 },
        "label_retention_days": 30,
    });
    let monitor = r
        .call(
            "create_monitor",
            app.post("/v1/monitors").json(&monitor_request),
            json_example(&monitor_request),
            201,
        )
        .await;
    let monitor_id = monitor["id"].as_str().unwrap().to_string();
    r.call("list_monitors", app.get("/v1/monitors"), None, 200)
        .await;
    r.call(
        "get_monitor",
        app.get(&format!("/v1/monitors/{monitor_id}")),
        None,
        200,
    )
    .await;
    let decisions = [
        r#"{"record_id": "a-1", "timestamp": "2026-03-01T09:30:00Z", "features": {"sex": "F"}, "prediction": 1, "score": 0.83}"#,
        r#"{"record_id": "a-2", "timestamp": "2026-03-01T10:05:00Z", "features": {"sex": "M"}, "prediction": 0, "score": 0.31, "label": 0}"#,
        r#"{"record_id": "a-3", "timestamp": "2026-03-01T11:40:00Z", "features": {"sex": "F"}, "score": 0.12, "label": 1}"#,
        r#"{"record_id": "a-4", "timestamp": "2026-03-01T12:15:00Z", "features": {"sex": "M"}, "prediction": 1, "label": 1}"#,
    ]
    .join("\n");
    r.call(
        "ingest_records",
        app.post(&format!("/v1/monitors/{monitor_id}/records"))
            .header("content-type", "application/x-ndjson")
            .body(decisions.clone()),
        Some(MediaExample {
            media_type: "application/x-ndjson".into(),
            value: Value::String(decisions),
        }),
        200,
    )
    .await;
    let labels = r#"{"record_id": "a-1", "label": 0}"#.to_string();
    r.call(
        "ingest_labels",
        app.post(&format!("/v1/monitors/{monitor_id}/labels"))
            .header("content-type", "application/x-ndjson")
            .body(labels.clone()),
        Some(MediaExample {
            media_type: "application/x-ndjson".into(),
            value: Value::String(labels),
        }),
        200,
    )
    .await;
    r.call(
        "list_windows",
        app.get(&format!("/v1/monitors/{monitor_id}/windows")),
        None,
        200,
    )
    .await;
    r.call(
        "list_alerts",
        app.get(&format!("/v1/monitors/{monitor_id}/alerts")),
        None,
        200,
    )
    .await;
    r.call(
        "delete_monitor",
        app.delete(&format!("/v1/monitors/{monitor_id}")),
        None,
        204,
    )
    .await;
    r.call("metrics", app.get("/metrics"), None, 200).await;
    r.call("openapi_json", app.get("/openapi.json"), None, 200)
        .await;

    r.call(
        "delete_model",
        app.delete(&format!("/v1/models/{model_id}")),
        None,
        204,
    )
    .await;
    r.call(
        "delete_dataset",
        app.delete(&format!("/v1/datasets/{dataset_id}")),
        None,
        204,
    )
    .await;
    let calls = r.calls;
    drop(worker);
    app.stop().await;
    calls
}

/// The example of the OpenAPI document itself: its head, not the whole document again.
fn trimmed_document_example(call: &mut Call) {
    if let Some(MediaExample { value, .. }) = &mut call.response {
        let first_path = value["paths"]
            .as_object()
            .and_then(|paths| paths.iter().next())
            .map(|(path, item)| (path.clone(), item.clone()));
        *value = json!({
            "openapi": value["openapi"],
            "info": value["info"],
            "paths": first_path.map(|(path, item)| json!({ path: item })).unwrap_or(json!({})),
            "components": { "securitySchemes": value["components"]["securitySchemes"] },
        });
    }
}

#[tokio::test]
async fn every_operation_has_examples_from_real_calls_that_match_their_schemas() {
    let mut calls = record_every_operation().await;
    if let Some(call) = calls.get_mut("openapi_json") {
        trimmed_document_example(call);
    }
    let document = serde_json::to_value(probity::api::openapi::document()).unwrap();
    let operations = operations(&document);
    let unrecorded: Vec<&String> = operations
        .keys()
        .filter(|id| !calls.contains_key(*id))
        .collect();
    assert!(
        unrecorded.is_empty(),
        "operations this test never called: {unrecorded:?}"
    );

    let path = format!("{ROOT}/openapi/examples.json");
    if std::env::var("PROBITY_UPDATE_OPENAPI").is_ok() {
        let text = serde_json::to_string_pretty(&calls).unwrap();
        std::fs::write(&path, format!("{text}\n")).unwrap();
        return;
    }
    let committed: BTreeMap<String, Call> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        committed.keys().collect::<Vec<_>>(),
        calls.keys().collect::<Vec<_>>(),
        "openapi/examples.json covers other operations than the document; refresh it (see this file's header)"
    );

    // The document carries each committed example, and each validates against its schema.
    let mut problems = Vec::new();
    for (id, (_, _, operation)) in &operations {
        let call = &committed[id];
        if let Some(request) = &call.request {
            let content = &operation["requestBody"]["content"][&request.media_type];
            if content["example"] != request.value {
                problems.push(format!("{id}: the document lacks the request example"));
            }
            for error in schema_errors(&document, &content["schema"], &request.value) {
                problems.push(format!("{id} request example: {error}"));
            }
        } else if operation.get("requestBody").is_some() {
            problems.push(format!("{id}: no request example"));
        }
        let Some(response) = &call.response else {
            continue;
        };
        let mut declared = operation["responses"][&call.status].clone();
        if declared.get("$ref").is_some() {
            declared = Value::Null;
        }
        let content = &declared["content"][&response.media_type];
        if content["example"] != response.value {
            problems.push(format!(
                "{id}: the document lacks the {} {} example",
                call.status, response.media_type
            ));
        }
        let schema = response_schema(&document, operation, &call.status, &response.media_type);
        for error in body_errors(&document, &schema, &response.media_type, &response.value) {
            problems.push(format!("{id} {} example: {error}", call.status));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
