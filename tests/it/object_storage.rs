//! Blobs in an S3-compatible bucket, against a real S3 server (s3s-fs on a
//! random port): the upload, download, dedup and delete round trip, an audit
//! whose API and workers share nothing but Postgres and the bucket, and what
//! happens when an object changes behind Probity's back.

use std::fmt::Write as _;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use probity::store::bucket::Bucket;

use crate::common::{
    Options, S3Server, TestApp, assert_failed_saying, decisions, expect_problem, put_parquet,
    traced_linear_model,
};

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

async fn download(app: &TestApp, dataset: &Value) -> (String, Vec<u8>) {
    let response = app
        .get(&format!(
            "/v1/datasets/{}/download",
            dataset["id"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let media_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    (media_type, response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn blobs_round_trip_through_an_s3_bucket() {
    let s3 = S3Server::start();
    let app = TestApp::spawn_with(Options {
        bucket: Some(s3.settings("tenant-a")),
        ..Options::default()
    })
    .await;

    let small = b"x,group,label\n1,a,1\n2,b,0\n".to_vec();
    let first = app.dataset(small.clone(), "small.csv").await;
    let hash = sha256(&small);
    let object = s3.blob_file("tenant-a", &hash);
    assert_eq!(
        std::fs::read(&object).unwrap(),
        small,
        "stored under its hash"
    );
    assert!(
        app.blob_files().is_empty(),
        "nothing in the local data folder"
    );
    assert!(app.staging_files().is_empty(), "no staging file left");
    assert_eq!(
        download(&app, &first).await,
        ("text/csv".into(), small.clone())
    );

    // The same content again: a second record, one object.
    let second = app.dataset(small.clone(), "again.csv").await;
    assert_ne!(first["id"], second["id"]);
    assert_eq!(s3.objects("tenant-a/blobs").len(), 1);

    // 20 MiB goes up in parts (8 MiB each) and comes back whole.
    let mut large = String::from("x,group,label\n");
    let mut row = 0u64;
    while large.len() < 20 << 20 {
        writeln!(
            large,
            "{},{},{}",
            row * 7919 % 100_003,
            ["a", "b"][row as usize % 2],
            row % 3 % 2
        )
        .unwrap();
        row += 1;
    }
    let large = large.into_bytes();
    let big = app.dataset(large.clone(), "large.csv").await;
    assert_eq!(big["row_count"], row);
    assert_eq!(s3.objects("tenant-a/blobs").len(), 2);
    let (_, downloaded) = download(&app, &big).await;
    assert_eq!(sha256(&downloaded), sha256(&large));

    // The object goes with the last record that references it.
    let delete = |dataset: &Value| {
        app.delete(&format!("/v1/datasets/{}", dataset["id"].as_str().unwrap()))
            .send()
    };
    assert_eq!(delete(&first).await.unwrap().status(), 204);
    assert!(object.exists(), "still referenced by the second record");
    assert_eq!(delete(&second).await.unwrap().status(), 204);
    assert!(!object.exists(), "removed with its last reference");
    assert_eq!(delete(&big).await.unwrap().status(), 204);
    assert!(s3.objects("tenant-a/blobs").is_empty());
    assert_eq!(app.count("blobs").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn an_audit_runs_with_api_and_workers_sharing_only_postgres_and_s3() {
    let s3 = S3Server::start();
    let settings = s3.settings("shared");
    let app = TestApp::spawn_with(Options {
        workers: 0,
        bucket: Some(settings.clone()),
        ..Options::default()
    })
    .await;
    let workers = app.spawn_workers(1, Some(&settings));

    let model: Value = app
        .upload_model(
            traced_linear_model(2, 1),
            &json!({ "name": "scorer", "version": "1", "features": ["a", "b"], "output": "logit" }),
        )
        .await
        .json()
        .await
        .unwrap();
    let mut csv = String::from("a,b,g,label,contact\n");
    for i in 0..200 {
        let contact = if i % 4 == 0 {
            format!("write to person{i}@example.org")
        } else {
            "none".to_string()
        };
        writeln!(
            csv,
            "{},{},{},{},{contact}",
            i % 7,
            i % 5,
            ["x", "y"][i % 2],
            i % 3 % 2
        )
        .unwrap();
    }
    let dataset = app.dataset(csv.into_bytes(), "decisions.csv").await;
    let job = app
        .run_job(
            "/v1/audits",
            &json!({
                "dataset_id": dataset["id"], "model_id": model["id"], "label_column": "label",
                "positive_label": 1, "sensitive_features": ["g"],
                "checks": { "fairness": {}, "pii": {} },
            }),
        )
        .await;
    let body = app.report_body(&job).await;
    assert_eq!(body["inputs"]["dataset"]["sha256"], dataset["sha256"]);
    let report_url = job["result"]["report_url"].as_str().unwrap();
    let export = app
        .get(&format!("{report_url}/pii-findings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        export.lines().count(),
        50,
        "one e-mail finding per fourth row"
    );
    assert!(!export.contains("@example.org"), "findings are redacted");
    let verified: Value = app
        .get(&format!("{report_url}/verify"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(verified["valid"], true, "{verified}");
    assert_eq!(verified["findings_export_matches"], true, "{verified}");

    // Dataset, model and findings export are objects; neither process kept a file.
    assert_eq!(s3.objects("shared/blobs").len(), 3);
    assert!(app.blob_files().is_empty() && app.staging_files().is_empty());
    assert!(workers.files().is_empty(), "{:?}", workers.files());
    workers.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn a_changed_object_fails_the_job_and_a_wrong_secret_is_refused() {
    let s3 = S3Server::start();
    let app = TestApp::spawn_with(Options {
        bucket: Some(s3.settings("")),
        ..Options::default()
    })
    .await;
    let original = b"x,group,label,score\n1,a,1,0.9\n2,b,0,0.2\n3,a,0,0.4\n".to_vec();
    let dataset = app.dataset(original.clone(), "scores.csv").await;
    let hash = sha256(&original);
    let object = s3.blob_file("", &hash);
    std::fs::write(
        &object,
        b"x,group,label,score\n1,a,1,0.1\n2,b,0,0.2\n3,a,0,0.4\n",
    )
    .unwrap();
    let job = app
        .run_job(
            "/v1/audits",
            &json!({
                "dataset_id": dataset["id"], "score_column": "score", "threshold": 0.5,
                "label_column": "label", "positive_label": 1, "sensitive_features": ["group"],
            }),
        )
        .await;
    assert_failed_saying(
        &job,
        "no longer matches its sha256 (it was changed in storage)",
    );
    assert_eq!(app.count("reports").await, 0);
    assert!(app.staging_files().is_empty(), "the fetched copy is gone");

    std::fs::remove_file(&object).unwrap();
    let job = app
        .run_job(
            "/v1/audits",
            &json!({
                "dataset_id": dataset["id"], "score_column": "score", "threshold": 0.5,
                "label_column": "label", "positive_label": 1, "sensitive_features": ["group"],
            }),
        )
        .await;
    assert_failed_saying(&job, "is missing from storage");
    expect_problem(
        app.get(&format!(
            "/v1/datasets/{}/download",
            dataset["id"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap(),
        404,
    )
    .await;

    let refused = Bucket::connect(&s3.settings_with_secret("", "not-the-secret"))
        .unwrap()
        .check()
        .await
        .unwrap_err();
    assert!(
        format!("{refused:#}").contains("reaching s3://probity-test"),
        "{refused:#}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_dataset_by_reference_is_audited_in_place_and_refused_once_changed() {
    use probity::store::references::ReferenceAccess;

    let s3 = S3Server::start();
    let options = s3.settings("").options;
    let app = TestApp::spawn_with(Options {
        references: ReferenceAccess::new(&["s3://probity-test/lake".into()], options).unwrap(),
        ..Options::default()
    })
    .await;
    let bucket = Bucket::connect(&s3.settings("")).unwrap();
    for (part, rows) in [(0, 0..40_000), (1, 40_000..90_000), (2, 90_000..100_000)] {
        let key = format!("lake/decisions/part-{part}.parquet");
        put_parquet(&bucket, &key, decisions(rows.start, rows.end)).await;
    }
    bucket
        .upload_file(
            tempfile::NamedTempFile::new().unwrap().path(),
            &object_store::path::Path::from("lake/decisions/_SUCCESS"),
        )
        .await
        .unwrap();

    let response = app
        .post("/v1/datasets")
        .json(&json!({ "source": "s3://probity-test/lake/decisions/" }))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let referenced: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{referenced}");
    assert_eq!(referenced["name"], "decisions");
    assert_eq!(referenced["format"], "parquet");
    assert_eq!(referenced["row_count"], 100_000);
    let objects = referenced["source"]["objects"].as_array().unwrap();
    assert_eq!(objects.len(), 3, "the _SUCCESS marker is not a part");
    assert_eq!(
        objects[1]["url"],
        "s3://probity-test/lake/decisions/part-1.parquet"
    );
    assert!(
        objects
            .iter()
            .all(|o| !o["etag"].as_str().unwrap().is_empty())
    );
    let null_counts: Vec<u64> = referenced["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["null_count"].as_u64().unwrap())
        .collect();
    assert_eq!(null_counts, [0, 0, 0, 0]);

    // The same rows uploaded as one file audit to the same figures.
    let mut whole = decisions(0, 100_000);
    let mut bytes = Vec::new();
    polars::prelude::ParquetWriter::new(&mut bytes)
        .finish(&mut whole)
        .unwrap();
    let uploaded = app.dataset(bytes, "decisions.parquet").await;
    let audit = |dataset: &Value| {
        json!({
            "dataset_id": dataset["id"], "score_column": "score", "threshold": 0.5,
            "label_column": "label", "positive_label": 1, "sensitive_features": ["group"],
            "checks": { "fairness": { "bootstrap": { "resamples": 50, "seed": 7 } }, "pii": {} },
        })
    };
    let mut bodies = Vec::new();
    for dataset in [&referenced, &uploaded] {
        let job = app.run_job("/v1/audits", &audit(dataset)).await;
        let body = app.report_body(&job).await;
        assert_eq!(body["inputs"]["dataset"]["sha256"], dataset["sha256"]);
        bodies.push(body);
    }
    assert_eq!(bodies[0]["fairness"], bodies[1]["fairness"]);
    assert_eq!(bodies[0]["pii"]["totals"], bodies[1]["pii"]["totals"]);
    assert_eq!(bodies[0]["pii"]["totals"]["rows_affected"], 20_000);

    // Its bytes are not Probity's to serve.
    expect_problem(
        app.get(&format!(
            "/v1/datasets/{}/download",
            referenced["id"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap(),
        409,
    )
    .await;

    // Rewritten after registration: jobs refuse it and say which object changed.
    put_parquet(
        &bucket,
        "lake/decisions/part-1.parquet",
        decisions(0, 50_000),
    )
    .await;
    let job = app.run_job("/v1/audits", &audit(&referenced)).await;
    assert_failed_saying(
        &job,
        "part-1.parquet changed since the dataset was registered",
    );

    // Deleting the record leaves the objects alone.
    let deleted = app
        .delete(&format!(
            "/v1/datasets/{}",
            referenced["id"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(s3.objects("lake/decisions").len(), 4);
    app.stop().await;
}

#[tokio::test]
async fn references_outside_the_allowed_locations_or_to_nothing_are_refused() {
    use probity::store::references::ReferenceAccess;

    let s3 = S3Server::start();
    let bucket = Bucket::connect(&s3.settings("")).unwrap();
    put_parquet(&bucket, "lake/ok.parquet", decisions(0, 10)).await;
    put_parquet(&bucket, "private/secret.parquet", decisions(0, 10)).await;
    let allowed = ReferenceAccess::new(&["s3://probity-test/lake".into()], s3.settings("").options);
    let app = TestApp::spawn_with(Options {
        references: allowed.unwrap(),
        ..Options::default()
    })
    .await;
    let register = |source: &str| {
        app.post("/v1/dataset-references")
            .json(&json!({ "source": source }))
            .send()
    };
    for (source, says) in [
        (
            "s3://probity-test/private/secret.parquet",
            "outside the locations",
        ),
        (
            "s3://probity-test/lake-other/x.parquet",
            "outside the locations",
        ),
        ("s3://probity-test/lake/missing/", "no Parquet object"),
        ("https://example.org/x.parquet", "must start with s3://"),
        (
            "s3://probity-test/lake/../private/secret.parquet",
            "`..` segment",
        ),
    ] {
        let problem = expect_problem(register(source).await.unwrap(), 422).await;
        assert_eq!(problem["location"]["field"], "source", "{problem}");
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains(says), "{source}: {detail}");
    }
    // The single object works.
    assert_eq!(
        register("s3://probity-test/lake/ok.parquet")
            .await
            .unwrap()
            .status(),
        201
    );

    // A server that allows no location refuses every reference.
    let closed = TestApp::spawn().await;
    let problem = expect_problem(
        closed
            .post("/v1/datasets")
            .json(&json!({ "source": "s3://probity-test/lake/ok.parquet" }))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("PROBITY_REFERENCE_URLS")
    );
    assert_eq!(closed.count("datasets").await, 0);
    closed.stop().await;
    app.stop().await;
}
