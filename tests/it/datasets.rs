//! Dataset uploads end to end: real Postgres, real blob store, real polars.

use crate::common;

use common::{Options, TestApp, expect_problem};
use polars::prelude::*;
use probity::store::keys::Role;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

const CSV: &[u8] = b"age,income,group,label\n34,52000.5,a,1\n45,,b,0\n29,31000,a,\n";

fn parquet_bytes() -> Vec<u8> {
    let mut frame = df!(
        "age" => [34i64, 45, 29],
        "income" => [Some(52000.5f64), None, Some(31000.0)],
        "group" => ["a", "b", "a"],
    )
    .unwrap();
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes).finish(&mut frame).unwrap();
    bytes
}

const NDJSON: &[u8] = b"{\"age\": 34, \"group\": \"a\"}\n{\"age\": null, \"group\": \"b\"}\n{\"age\": 29, \"group\": null}\n";

async fn round_trip(
    app: &TestApp,
    bytes: Vec<u8>,
    filename: &str,
    format: &str,
    columns: &[(&str, &str, u64)],
) {
    let response = app.upload_dataset(bytes.clone(), filename).await;
    assert_eq!(response.status(), 201);
    let dataset: Value = response.json().await.unwrap();
    assert_eq!(dataset["format"], format);
    assert_eq!(dataset["row_count"], 3);
    let got: Vec<(String, String, u64)> = dataset["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().into(),
                c["dtype"].as_str().unwrap().into(),
                c["null_count"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, String, u64)> = columns
        .iter()
        .map(|(n, d, c)| (n.to_string(), d.to_string(), *c))
        .collect();
    assert_eq!(got, want);
    let id = dataset["id"].as_str().unwrap();

    let fetched: Value = app
        .get(&format!("/v1/datasets/{id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(fetched, dataset);

    let download = app
        .get(&format!("/v1/datasets/{id}/download"))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    assert_eq!(download.bytes().await.unwrap().to_vec(), bytes);

    let job: Value = app
        .post(&format!("/v1/datasets/{id}/profile"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let job = app.wait_for_job(job["id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["result"]["rows"], 3);
    assert_eq!(job["progress"], 1.0);
}

#[tokio::test]
async fn csv_parquet_and_ndjson_round_trip_through_upload_profile_and_download() {
    let app = TestApp::spawn().await;
    round_trip(
        &app,
        CSV.to_vec(),
        "loans.csv",
        "csv",
        &[
            ("age", "i64", 0),
            ("income", "f64", 1),
            ("group", "str", 0),
            ("label", "i64", 1),
        ],
    )
    .await;
    // The name says .csv; the content is Parquet: content wins.
    round_trip(
        &app,
        parquet_bytes(),
        "mislabelled.csv",
        "parquet",
        &[("age", "i64", 0), ("income", "f64", 1), ("group", "str", 0)],
    )
    .await;
    round_trip(
        &app,
        NDJSON.to_vec(),
        "events.json",
        "ndjson",
        &[("age", "i64", 1), ("group", "str", 1)],
    )
    .await;
    assert_eq!(app.count("datasets").await, 3);
    assert_eq!(app.blob_files().len(), 3);
    assert!(app.staging_files().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn identical_content_is_stored_once_and_removed_with_its_last_reference() {
    let app = TestApp::spawn().await;
    let first: Value = app
        .upload_dataset(CSV.to_vec(), "a.csv")
        .await
        .json()
        .await
        .unwrap();
    let second: Value = app
        .upload_dataset(CSV.to_vec(), "b.csv")
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(first["id"], second["id"]);
    assert_eq!(first["sha256"], second["sha256"]);
    assert_eq!(app.count("blobs").await, 1);
    assert_eq!(app.blob_files().len(), 1);

    let response = app
        .delete(&format!("/v1/datasets/{}", first["id"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(
        app.blob_files().len(),
        1,
        "still referenced by the second dataset"
    );
    let response = app
        .delete(&format!("/v1/datasets/{}", second["id"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(app.count("blobs").await, 0);
    assert!(app.blob_files().is_empty());
    let gone = app
        .get(&format!("/v1/datasets/{}", second["id"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    expect_problem(gone, 404).await;

    let log: Vec<(String, String)> =
        sqlx::query_as("SELECT action, resource_type FROM audit_log ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    let log: Vec<(&str, &str)> = log.iter().map(|(a, r)| (a.as_str(), r.as_str())).collect();
    assert_eq!(
        log,
        [
            ("create", "dataset"),
            ("create", "dataset"),
            ("delete", "dataset"),
            ("delete", "dataset")
        ]
    );
    app.stop().await;
}

async fn assert_nothing_stored(app: &TestApp) {
    assert_eq!(app.count("datasets").await, 0);
    assert_eq!(app.count("blobs").await, 0);
    assert!(app.blob_files().is_empty());
    assert!(
        app.staging_files().is_empty(),
        "staging left behind: {:?}",
        app.staging_files()
    );
}

#[tokio::test]
async fn bad_files_are_rejected_with_their_location_and_nothing_is_stored() {
    let app = TestApp::spawn_with(Options {
        upload_limit_bytes: 4096,
        ..Options::default()
    })
    .await;

    let ragged = expect_problem(
        app.upload_dataset(b"a,b,c\n1,2,3\n4,5\n".to_vec(), "r.csv")
            .await,
        422,
    )
    .await;
    assert_eq!(ragged["location"]["line"], 3);
    assert_eq!(ragged["location"]["field"], "file");
    assert!(
        ragged["detail"]
            .as_str()
            .unwrap()
            .contains("expected 3 fields"),
        "{ragged}"
    );

    // A file cut off in the middle of its last record.
    let truncated = expect_problem(
        app.upload_dataset(b"a,b,c\n1,2,3\n4,5,6\n7,8".to_vec(), "t.csv")
            .await,
        422,
    )
    .await;
    assert_eq!(truncated["location"]["line"], 4);

    let utf8 = expect_problem(
        app.upload_dataset(b"a,b\n1,x\n2,\xc3\x28\n".to_vec(), "u.csv")
            .await,
        422,
    )
    .await;
    assert_eq!(utf8["location"]["line"], 3);
    assert!(utf8["detail"].as_str().unwrap().contains("UTF-8"));

    let empty = expect_problem(app.upload_dataset(Vec::new(), "e.csv").await, 422).await;
    assert!(empty["detail"].as_str().unwrap().contains("empty"));

    let ndjson = expect_problem(
        app.upload_dataset(b"{\"a\":1}\n[1,2]\n".to_vec(), "n.ndjson")
            .await,
        422,
    )
    .await;
    assert_eq!(ndjson["location"]["line"], 2);

    let big = expect_problem(app.upload_dataset(vec![b'1'; 10_000], "big.csv").await, 413).await;
    assert!(big["detail"].as_str().unwrap().contains("4096"));

    let unknown = Form::new()
        .part("file", Part::bytes(CSV.to_vec()).file_name("x.csv"))
        .text("colour", "blue");
    let unknown = expect_problem(
        app.post("/v1/datasets")
            .multipart(unknown)
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(unknown["location"]["field"], "colour");

    let no_file = Form::new().text("name", "nothing");
    let no_file = expect_problem(
        app.post("/v1/datasets")
            .multipart(no_file)
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(no_file["location"]["field"], "file");

    let not_multipart = app
        .post("/v1/datasets")
        .body("a,b\n1,2\n")
        .header("content-type", "text/csv")
        .send()
        .await
        .unwrap();
    expect_problem(not_multipart, 415).await;

    assert_nothing_stored(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn keys_and_roles_are_enforced() {
    let app = TestApp::spawn().await;
    let anonymous = app
        .client
        .get(format!("{}/v1/datasets", app.url))
        .send()
        .await
        .unwrap();
    expect_problem(anonymous, 401).await;
    let wrong = app
        .client
        .get(format!("{}/v1/datasets", app.url))
        .bearer_auth("prb_not-a-key")
        .send()
        .await
        .unwrap();
    expect_problem(wrong, 401).await;

    let viewer = app.key(Role::Viewer).await;
    let listed = app
        .client
        .get(format!("{}/v1/datasets", app.url))
        .bearer_auth(&viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200);
    let form = Form::new().part("file", Part::bytes(CSV.to_vec()).file_name("x.csv"));
    let upload = app
        .client
        .post(format!("{}/v1/datasets", app.url))
        .bearer_auth(&viewer)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let problem = expect_problem(upload, 403).await;
    assert!(problem["detail"].as_str().unwrap().contains("auditor"));
    assert_nothing_stored(&app).await;

    let auditor = app.key(Role::Auditor).await;
    let keys = app
        .client
        .get(format!("{}/v1/keys", app.url))
        .bearer_auth(&auditor)
        .send()
        .await
        .unwrap();
    expect_problem(keys, 403).await;

    // Admin creates and revokes a key over HTTP; the revoked token stops working.
    let created: Value = app
        .post("/v1/keys")
        .json(&serde_json::json!({"name": "ci", "role": "viewer"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = created["token"].as_str().unwrap();
    assert_eq!(
        app.client
            .get(format!("{}/v1/jobs", app.url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let revoked = app
        .delete(&format!("/v1/keys/{}", created["id"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 204);
    expect_problem(
        app.client
            .get(format!("{}/v1/jobs", app.url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap(),
        401,
    )
    .await;

    let bad_role = app
        .post("/v1/keys")
        .json(&serde_json::json!({"name": "x", "role": "root"}))
        .send()
        .await
        .unwrap();
    expect_problem(bad_role, 422).await;
    let unknown_field = app
        .post("/v1/keys")
        .json(&serde_json::json!({"name": "x", "role": "viewer", "ttl": 3}))
        .send()
        .await
        .unwrap();
    let problem = expect_problem(unknown_field, 422).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("ttl"),
        "{problem}"
    );
    app.stop().await;
}

#[tokio::test]
async fn lists_paginate_with_an_opaque_cursor_and_filter() {
    let app = TestApp::spawn().await;
    for i in 0..5 {
        let body = format!("n,v\n{i},{i}\n");
        assert_eq!(
            app.upload_dataset(body.into_bytes(), &format!("set-{i}.csv"))
                .await
                .status(),
            201
        );
    }
    let mut names = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/datasets?limit=2&cursor={c}"),
            None => "/v1/datasets?limit=2".into(),
        };
        let page: Value = app.get(&path).send().await.unwrap().json().await.unwrap();
        names.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["name"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(
        names,
        [
            "set-4.csv",
            "set-3.csv",
            "set-2.csv",
            "set-1.csv",
            "set-0.csv"
        ]
    );
    let filtered: Value = app
        .get("/v1/datasets?name=SET-3")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(filtered["items"].as_array().unwrap().len(), 1);
    expect_problem(app.get("/v1/datasets?limit=0").send().await.unwrap(), 422).await;
    expect_problem(
        app.get("/v1/datasets?cursor=nonsense")
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    expect_problem(
        app.get("/v1/datasets?format=xlsx").send().await.unwrap(),
        422,
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn an_idempotency_key_returns_the_same_job() {
    let app = TestApp::spawn_with(Options {
        workers: 0,
        ..Options::default()
    })
    .await;
    let dataset: Value = app
        .upload_dataset(CSV.to_vec(), "a.csv")
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/v1/datasets/{}/profile", dataset["id"].as_str().unwrap());
    let first: Value = app
        .post(&path)
        .header("Idempotency-Key", "k-1")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let second: Value = app
        .post(&path)
        .header("Idempotency-Key", "k-1")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let third: Value = app
        .post(&path)
        .header("Idempotency-Key", "k-2")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(first["id"], second["id"]);
    assert_ne!(first["id"], third["id"]);
    assert_eq!(app.count("jobs").await, 2);
    app.stop().await;
}

#[tokio::test]
async fn nul_characters_and_a_vanished_file_are_client_errors() {
    let app = TestApp::spawn().await;
    // NUL characters: Postgres refuses them in text and JSONB; the caller gets a 422, not a 500.
    let key = app
        .post("/v1/keys")
        .json(&serde_json::json!({"name": "a\u{0}b", "role": "viewer"}))
        .send()
        .await
        .unwrap();
    let problem = expect_problem(key, 422).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("NUL"),
        "{problem}"
    );
    // A file deleted between reading its record and opening it (a concurrent DELETE) is gone: 404.
    let dataset: Value = app
        .upload_dataset(b"a\n1\n".to_vec(), "gone.csv")
        .await
        .json()
        .await
        .unwrap();
    for file in app.blob_files() {
        std::fs::remove_file(file).unwrap();
    }
    let download = app
        .get(&format!(
            "/v1/datasets/{}/download",
            dataset["id"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    expect_problem(download, 404).await;
}
