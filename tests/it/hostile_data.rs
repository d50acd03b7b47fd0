//! Hostile data against the running server: files and form parts built to
//! make the service materialise or loop over far more than they are worth.
//! Each is refused with a 422 (or a failed job) that names where and which
//! limit, and nothing is stored.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use crate::common;

use common::{TestApp, assert_failed_saying, expect_problem};
use reqwest::multipart::{Form, Part};
use serde_json::json;

async fn assert_nothing_stored(app: &TestApp) {
    assert_eq!(app.count("datasets").await, 0);
    assert!(app.blob_files().is_empty());
    assert!(app.staging_files().is_empty());
}

#[tokio::test]
async fn a_single_ndjson_line_past_the_limit_is_refused() {
    let app = TestApp::spawn().await;
    let mut line = String::from("{\"text\":\"");
    line.push_str(&"x".repeat(4 << 20));
    line.push_str("\"}\n");
    let problem = expect_problem(
        app.upload_dataset(line.into_bytes(), "one.ndjson").await,
        422,
    )
    .await;
    assert_eq!(problem["location"]["line"], 1, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("longer than the limit of 1048576 bytes"),
        "{problem}"
    );
    // Nesting deeper than the readers after validation can recurse is refused too (it once
    // overflowed the stack of a polars thread and took the server down).
    let deep = format!("{{\"a\":{}1{}}}\n", "[".repeat(500), "]".repeat(500));
    let problem = expect_problem(
        app.upload_dataset(deep.into_bytes(), "deep.ndjson").await,
        422,
    )
    .await;
    assert_eq!(problem["location"]["line"], 1, "{problem}");
    assert_nothing_stored(&app).await;
    // Within the limit, the readers after validation cope.
    let nested = format!("{{\"a\":{}1{}}}\n", "[".repeat(60), "]".repeat(60));
    let accepted = app
        .upload_dataset(nested.into_bytes(), "nested.ndjson")
        .await;
    assert_eq!(accepted.status(), 201, "{}", accepted.text().await.unwrap());
    app.stop().await;
}

#[tokio::test]
async fn a_csv_field_past_the_limit_is_refused_with_its_column() {
    let app = TestApp::spawn().await;
    let mut csv = String::from("id,notes\n1,short\n2,\"");
    csv.push_str(&"y".repeat(2 << 20));
    csv.push_str("\"\n");
    let problem = expect_problem(app.upload_dataset(csv.into_bytes(), "big.csv").await, 422).await;
    assert_eq!(problem["location"]["line"], 3, "{problem}");
    assert_eq!(problem["location"]["column"], "notes", "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("1048576 bytes"),
        "{problem}"
    );
    assert_nothing_stored(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn a_huge_text_part_is_refused_while_it_is_read() {
    let app = TestApp::spawn().await;
    let form = Form::new()
        .part("file", Part::bytes(b"a\n1\n".to_vec()).file_name("x.csv"))
        .text("name", "n".repeat(16 << 20));
    let problem = expect_problem(
        app.post("/v1/datasets")
            .multipart(form)
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(problem["location"]["field"], "name", "{problem}");
    assert_nothing_stored(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn a_million_value_sensitive_feature_is_refused_before_any_per_group_work() {
    let app = TestApp::spawn().await;
    let mut csv = String::with_capacity(20 << 20);
    csv.push_str("id,label,pred\n");
    for i in 0..1_000_000u32 {
        writeln!(csv, "{i},{},{}", i % 2, (i / 2) % 2).unwrap();
    }
    let dataset = app.dataset(csv.into_bytes(), "ids.csv").await;
    let started = Instant::now();
    let job = app
        .run_job(
            "/v1/audits",
            &json!({
                "dataset_id": dataset["id"], "label_column": "label", "prediction_column": "pred",
                "positive_label": 1, "sensitive_features": ["id"],
            }),
        )
        .await;
    assert_failed_saying(&job, "column `id` alone has 1000000 distinct values");
    assert_failed_saying(&job, "the limit is 10000");
    assert!(started.elapsed() < Duration::from_secs(120));
    assert_eq!(app.count("reports").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_parquet_file_declaring_more_rows_than_allowed_is_refused_before_reading_them() {
    use polars::prelude::*;
    let app = TestApp::spawn_with(common::Options {
        max_dataset_rows: 1_000,
        ..common::Options::default()
    })
    .await;
    // 100,000 identical rows: a few hundred bytes of Parquet (run-length encoded).
    let mut frame = df!("flag" => vec![true; 100_000], "group" => vec!["a"; 100_000]).unwrap();
    let mut bomb = Vec::new();
    ParquetWriter::new(&mut bomb).finish(&mut frame).unwrap();
    assert!(bomb.len() < 10_000, "{} bytes", bomb.len());
    let problem = expect_problem(app.upload_dataset(bomb, "bomb.parquet").await, 422).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("holds 100000 rows; the limit is 1000"),
        "{problem}"
    );
    assert_nothing_stored(&app).await;
    let mut csv = String::from("a\n");
    for i in 0..1_001 {
        writeln!(csv, "{i}").unwrap();
    }
    expect_problem(app.upload_dataset(csv.into_bytes(), "long.csv").await, 422).await;
    assert_nothing_stored(&app).await;
    app.stop().await;
}
