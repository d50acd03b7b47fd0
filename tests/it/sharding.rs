//! Sharded audits: a Parquet dataset larger than the shard size is audited by
//! `audit_shard` jobs and merged into the same report as one pass over every
//! row (bootstrap intervals, AUC, PII counts and the findings export byte for
//! byte), with a model or without; a shard whose worker is killed is retried
//! alone; cancelling the audit cancels its shards.

use nix::sys::signal::Signal;
use polars::prelude::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use probity_audit::audit::{AuditModels, AuditRequest, run};
use probity_audit::dataset::{DatasetFormat, DatasetLocation};
use probity_audit::report::DatasetInput;

use crate::common::{Options, TestApp, WorkerProcess, traced_linear_model, wait_until};

/// Rows of the test table: four shards of 65,536 rows (the last one short).
const ROWS: usize = 3 * 65_536 + 7_001;

/// A table with scores, model features, two sensitive features, dyadic
/// weights, quasi-identifiers and a free-text column holding PII in every
/// fourth row, as Parquet.
fn table() -> Vec<u8> {
    let text = |i: usize| match i % 4 {
        0 => format!("wrote from person{i}@example.org about the loan"),
        1 => format!("call +44 20 7946 {:04} after six", i % 10_000),
        _ => "no contact details given".to_string(),
    };
    let mut frame = df!(
        "x1" => (0..ROWS).map(|i| (i * 7919 % 1000) as f64 / 250.0 - 2.0).collect::<Vec<_>>(),
        "x2" => (0..ROWS).map(|i| (i * 104_729 % 997) as f64 / 300.0 - 1.5).collect::<Vec<_>>(),
        "band" => (0..ROWS).map(|i| (i / 5 % 3) as i64).collect::<Vec<_>>(),
        "score" => (0..ROWS).map(|i| (i * 2_654_435_761 % 9_973) as f64 / 9_973.0).collect::<Vec<_>>(),
        "sex" => (0..ROWS).map(|i| ["f", "m"][i % 2]).collect::<Vec<_>>(),
        "region" => (0..ROWS).map(|i| ["n", "s", "e", "w"][i / 3 % 4]).collect::<Vec<_>>(),
        "label" => (0..ROWS).map(|i| (i * 31 % 7 < 3) as i64).collect::<Vec<_>>(),
        "weight" => (0..ROWS).map(|i| [0.5, 1.0, 1.25][i % 3]).collect::<Vec<_>>(),
        "zip" => (0..ROWS).map(|i| format!("{:05}", i % 211)).collect::<Vec<_>>(),
        "age" => (0..ROWS).map(|i| (18 + i % 60) as i64).collect::<Vec<_>>(),
        "notes" => (0..ROWS).map(text).collect::<Vec<_>>(),
    )
    .unwrap();
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .with_row_group_size(Some(20_000))
        .finish(&mut frame)
        .unwrap();
    bytes
}

fn request(dataset: &Value, model: Option<&Value>) -> Value {
    let mut body = json!({
        "dataset_id": dataset["id"], "label_column": "label", "positive_label": 1,
        "sensitive_features": ["sex", "region"], "sample_weight_column": "weight",
        "checks": {
            "fairness": { "bootstrap": { "resamples": 200, "seed": 5 }, "subgroups": { "enabled": true } },
            "pii": { "quasi_identifiers": ["zip", "age"] },
        },
    });
    match model {
        Some(model) => {
            body["model_id"] = model["id"].clone();
            // a model input standing in for a sensitive feature, re-run on every 11th row
            body["checks"]["counterfactual"] =
                json!({"proxy_columns": ["band"], "max_rows": 20_000});
        }
        None => {
            body["score_column"] = json!("score");
            body["threshold"] = json!(0.5);
        }
    }
    body
}

/// The report of the same request run in this process over the file, in
/// one pass (on a blocking thread, as workers run audits).
async fn one_pass(bytes: &[u8], body: &Value, dataset: &Value, model: Option<&[u8]>) -> Value {
    let (bytes, body, dataset) = (bytes.to_vec(), body.clone(), dataset.clone());
    let model = model.map(<[u8]>::to_vec);
    tokio::task::spawn_blocking(move || one_pass_now(&bytes, &body, &dataset, model.as_deref()))
        .await
        .unwrap()
}

fn one_pass_now(bytes: &[u8], body: &Value, dataset: &Value, model: Option<&[u8]>) -> Value {
    use probity_audit::audit::ModelToRun;
    use probity_audit::model::ModelOutput;
    use probity_audit::report::ModelInput;
    use probity_audit::sandbox::SandboxLimits;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("table.parquet");
    std::fs::write(&path, bytes).unwrap();
    let request: AuditRequest = serde_json::from_value(body.clone()).unwrap();
    let model = model.map(|model| {
        let model_path = dir.path().join("model.pt");
        std::fs::write(&model_path, model).unwrap();
        ModelToRun {
            input: ModelInput {
                id: uuid::Uuid::nil(),
                name: "scorer".into(),
                version: "1".into(),
                sha256: String::new(),
                threshold: 0.5,
                features: vec!["x1".into(), "x2".into(), "band".into()],
                training: None,
            },
            path: model_path,
            features: vec!["x1".into(), "x2".into(), "band".into()],
            output: ModelOutput::Logit,
            batch_size: 8192,
            sandbox: crate::common::model_sandbox(SandboxLimits::default()),
            scratch_dir: dir.path().to_path_buf(),
        }
    });
    let mut export = Vec::new();
    let mut report = run(
        &request,
        &DatasetLocation::file(&path, DatasetFormat::Parquet),
        DatasetInput {
            id: None,
            name: dataset["name"].as_str().unwrap().into(),
            sha256: dataset["sha256"].as_str().unwrap().into(),
        },
        AuditModels {
            scorer: model,
            ner: None,
        },
        &mut export,
    )
    .unwrap();
    if let Some(pii) = report.pii.as_mut() {
        pii.findings_export.sha256 = Some(hex::encode(Sha256::digest(&export)));
    }
    serde_json::to_value(report).unwrap()
}

/// The figures of a report body: everything but ids, times and timings.
fn figures(body: &Value) -> Value {
    json!({
        "verdict": body["verdict"], "fairness": body["fairness"], "pii": body["pii"],
        "counterfactual": body["counterfactual"],
        "model_input_flags": body["model_input_flags"],
    })
}

async fn shard_jobs(app: &TestApp, audit: &str) -> Vec<(String, i32)> {
    sqlx::query_as(
        "SELECT status, attempts FROM jobs WHERE parent_id = $1::uuid ORDER BY payload->>'shard'",
    )
    .bind(audit)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

/// Starts the sharded audit of `dataset` and has a worker process plan its
/// four shards, then stops that worker (a running shard goes back to the
/// queue): the audit waits in the queue for its shards. Its job id.
async fn planned_audit(app: &TestApp, dataset: &Value) -> String {
    let response = app
        .post("/v1/audits")
        .json(&request(dataset, None))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let audit: Value = response.json().await.unwrap();
    let id = audit["id"].as_str().unwrap().to_string();
    let planner = WorkerProcess::start(app, 1);
    wait_until(std::time::Duration::from_secs(30), || async {
        (shard_jobs(app, &id).await.len() == 4).then_some(())
    })
    .await;
    planner.signal(Signal::SIGTERM);
    assert!(planner.wait().success());
    id
}

#[tokio::test]
async fn a_sharded_audit_equals_one_pass_over_every_row_with_and_without_a_model() {
    let app = TestApp::spawn_with(Options {
        audit_shard_rows: 65_536,
        ..Options::default()
    })
    .await;
    let bytes = table();
    let dataset = app.dataset(bytes.clone(), "decisions.parquet").await;
    let model_bytes = traced_linear_model(3, 1);
    let model: Value = app
        .upload_model(
            model_bytes.clone(),
            &json!({ "name": "scorer", "version": "1", "features": ["x1", "x2", "band"], "output": "logit" }),
        )
        .await
        .json()
        .await
        .unwrap();
    for with_model in [false, true] {
        let body = request(&dataset, with_model.then_some(&model));
        let job = app.run_job("/v1/audits", &body).await;
        let id = job["id"].as_str().unwrap().to_string();
        let shards = shard_jobs(&app, &id).await;
        assert_eq!(shards.len(), 4, "{shards:?}");
        assert!(shards.iter().all(|(status, _)| status == "succeeded"));
        let sharded = app.report_body(&job).await;
        let whole = one_pass(
            &bytes,
            &body,
            &dataset,
            with_model.then_some(model_bytes.as_slice()),
        )
        .await;
        assert_eq!(figures(&sharded), figures(&whole), "model: {with_model}");
        if with_model {
            let tested = &sharded["counterfactual"]["features"][0];
            assert_eq!(tested["feature"], "band", "{tested}");
            assert_eq!(sharded["counterfactual"]["rows"], ROWS.div_ceil(11) as u64);
            assert_eq!(tested["pairs"], 2 * ROWS.div_ceil(11) as u64);
            let search = &sharded["fairness"]["subgroups"];
            assert!(search["slices_tested"].as_u64().unwrap() > 0, "{search}");
        }
        assert!(sharded["fairness"]["groupings"][0]["aggregates"]["demographic_parity_difference"]
            ["between_groups"]["ci"]
            .is_array());
        assert_eq!(
            sharded["pii"]["totals"]["rows_affected"],
            ROWS.div_ceil(2) as u64
        );

        // The stored export is the one-pass export, byte for byte (its sha256 is in both reports).
        let export = app
            .get(&format!(
                "{}/pii-findings",
                job["result"]["report_url"].as_str().unwrap()
            ))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(
            Some(hex::encode(Sha256::digest(&export)).as_str()),
            whole["pii"]["findings_export"]["sha256"].as_str()
        );
    }
    // The shards' parts and findings blobs went with the merge.
    assert_eq!(app.count("audit_parts").await, 0);
    // Dataset, model and one export: the PII findings do not depend on the model.
    assert_eq!(app.count("blobs").await, 3);
    assert!(app.staging_files().is_empty(), "{:?}", app.staging_files());
    app.stop().await;
}

#[tokio::test]
async fn a_shard_whose_worker_is_killed_is_retried_alone_and_the_audit_stays_exact() {
    let app = TestApp::spawn_with(Options {
        workers: 0,
        audit_shard_rows: 65_536,
        ..Options::default()
    })
    .await;
    let bytes = table();
    let dataset = app.dataset(bytes.clone(), "decisions.parquet").await;
    let body = request(&dataset, None);
    let response = app.post("/v1/audits").json(&body).send().await.unwrap();
    assert_eq!(response.status(), 202);
    let audit: Value = response.json().await.unwrap();
    let id = audit["id"].as_str().unwrap().to_string();

    let doomed = WorkerProcess::start(&app, 1);
    let marker = format!(":{}:", doomed.pid());
    // Freeze the worker while it holds a shard, check it still does, then kill it:
    // the kill lands mid-shard, never between jobs.
    let killed: String = wait_until(std::time::Duration::from_secs(60), || async {
        let holding: Option<(String,)> = sqlx::query_as(
            "SELECT id::text FROM jobs WHERE parent_id = $1::uuid AND status = 'running' AND locked_by LIKE $2",
        )
        .bind(&id)
        .bind(format!("%{marker}%"))
        .fetch_optional(&app.pool)
        .await
        .unwrap();
        holding.as_ref()?;
        doomed.signal(Signal::SIGSTOP);
        let still: Option<(String,)> = sqlx::query_as(
            "SELECT id::text FROM jobs WHERE parent_id = $1::uuid AND status = 'running' AND locked_by LIKE $2",
        )
        .bind(&id)
        .bind(format!("%{marker}%"))
        .fetch_optional(&app.pool)
        .await
        .unwrap();
        match still {
            Some((shard,)) => {
                doomed.signal(Signal::SIGKILL);
                Some(shard)
            }
            None => {
                doomed.signal(Signal::SIGCONT);
                None
            }
        }
    })
    .await;
    drop(doomed);

    let _rescuer = WorkerProcess::start(&app, 1);
    let job = app.wait_for_job(&id).await;
    let sharded = app.report_body(&job).await;
    assert_eq!(
        figures(&sharded),
        figures(&one_pass(&bytes, &body, &dataset, None).await)
    );

    // Only the killed shard ran twice; its first run ended when its lease expired.
    let attempts: Vec<(String, i32)> = sqlx::query_as(
        "SELECT id::text, attempts FROM jobs WHERE parent_id = $1::uuid ORDER BY payload->>'shard'",
    )
    .bind(&id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(attempts.len(), 4);
    for (shard, tries) in &attempts {
        assert_eq!(*tries, if *shard == killed { 2 } else { 1 }, "{attempts:?}");
    }
    let outcomes: Vec<Option<String>> =
        sqlx::query_scalar("SELECT outcome FROM job_runs WHERE job_id = $1::uuid ORDER BY id")
            .bind(&killed)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        outcomes,
        [
            Some("lease_expired".to_string()),
            Some("succeeded".to_string())
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn cancelling_a_sharded_audit_cancels_its_shards() {
    let app = TestApp::spawn_with(Options {
        workers: 0,
        audit_shard_rows: 65_536,
        ..Options::default()
    })
    .await;
    let dataset = app.dataset(table(), "decisions.parquet").await;
    let id = planned_audit(&app, &dataset).await;
    let response = app
        .post(&format!("/v1/jobs/{id}/cancel"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let job = app.wait_for_job(&id).await;
    assert_eq!(job["status"], "cancelled", "{job}");
    let shards = shard_jobs(&app, &id).await;
    let errors: Vec<Option<String>> =
        sqlx::query_scalar("SELECT error FROM jobs WHERE parent_id = $1::uuid")
            .bind(&id)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert!(
        shards
            .iter()
            .all(|(status, _)| status == "cancelled" || status == "succeeded"),
        "{shards:?} {errors:?}"
    );
    assert!(shards.iter().any(|(status, _)| status == "cancelled"));
    assert_eq!(app.count("reports").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn shards_planned_by_one_worker_are_merged_by_a_worker_with_another_shard_size() {
    let app = TestApp::spawn_with(Options {
        workers: 0,
        audit_shard_rows: 65_536,
        ..Options::default()
    })
    .await;
    let dataset = app.dataset(table(), "decisions.parquet").await;
    let id = planned_audit(&app, &dataset).await;

    // A worker configured never to shard runs the planned shards and merges them.
    let _finisher = WorkerProcess::start_with(&app, 1, &["--audit-shard-rows", "0"]);
    let job = app.wait_for_job(&id).await;
    let body = app.report_body(&job).await;
    assert_eq!(body["fairness"]["rows"], ROWS as u64);
    let shards = shard_jobs(&app, &id).await;
    assert!(
        shards.iter().all(|(status, _)| status == "succeeded"),
        "{shards:?}"
    );
    // The report came from the shards' merge, which took their parts and blobs with it.
    assert_eq!(app.count("audit_parts").await, 0);
    assert_eq!(
        app.count("blobs").await,
        2,
        "the dataset and the findings export"
    );
    app.stop().await;
}
