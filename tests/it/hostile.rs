//! Hostile TorchScript against the running server: a TorchScript archive is
//! a program, and these are the programs an attacker with an `auditor` key
//! would upload. Each is a traced linear model whose `forward` source is
//! rewritten (the archive keeps it as text), so no fixture file is needed.
//! The sandbox must keep every file out of reach, stop endless loops and
//! huge allocations at their limits, and leave the server serving.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use crate::common;

use common::{Options, TestApp, expect_problem, traced_linear_model};
use probity_audit::sandbox::SandboxLimits;
use serde_json::{Value, json};

/// A two-feature model whose `forward(argument_1)` is `body` (TorchScript,
/// indented four spaces).
fn hostile_model(body: &str) -> Vec<u8> {
    let base = traced_linear_model(2, 1);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(base)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::FileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let name = entry.name().to_string();
        if name.ends_with(".debug_pkl") {
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name.ends_with("code/__torch__.py") {
            bytes = format!(
                "class LinearModel(Module):\n  __parameters__ = []\n  __buffers__ = []\n  \
                 def forward(self: __torch__.LinearModel,\n    argument_1: Tensor) -> Tensor:\n{body}"
            )
            .into_bytes();
        }
        out.start_file(name, stored).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn metadata() -> Value {
    json!({ "name": "hostile", "version": "1", "features": ["a", "b"], "output": "logit" })
}

/// A file only the service user can read, with a recognisable secret.
fn secret_file() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let secret = format!("PROBITY-SECRET-{}", uuid::Uuid::new_v4().simple());
    let path = dir.path().join("signing-key.pem");
    std::fs::write(&path, &secret).unwrap();
    (dir, path, secret)
}

async fn assert_still_serving(app: &TestApp) {
    let started = Instant::now();
    let health = app.get("/healthz").send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(2));
    let honest = app
        .upload_model(traced_linear_model(2, 1), &metadata())
        .await;
    assert_eq!(honest.status(), 201, "{}", honest.text().await.unwrap());
}

#[tokio::test]
async fn a_model_cannot_read_a_file_at_upload_or_at_inference() {
    let app = TestApp::spawn().await;
    let (_dir, path, secret) = secret_file();
    let read = format!(
        "torch.from_file(\"{}\", False, {}, dtype=0)",
        path.display(),
        secret.len()
    );
    // At upload: the validation pass reads the file and returns its bytes' sum.
    let at_upload = hostile_model(&format!(
        "    t = {read}\n    return torch.sum(argument_1, [1]) + torch.sum(t)\n"
    ));
    let response = app.upload_model(at_upload, &metadata()).await;
    let text = response.text().await.unwrap();
    assert!(!text.contains(&secret), "{text}");
    let problem: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(problem["status"], 422, "{problem}");
    assert_eq!(app.count("models").await, 0);

    // At inference: harmless on the validation batch of 2, reads on larger batches.
    let later = hostile_model(&format!(
        "    if torch.size(argument_1, 0) > 2:\n      t = {read}\n      \
         return torch.sum(argument_1, [1]) + torch.sum(t)\n    return torch.sum(argument_1, [1])\n"
    ));
    let model: Value = app
        .upload_model(later, &metadata())
        .await
        .json()
        .await
        .unwrap();
    let csv = "a,b\n1,2\n3,4\n5,6\n7,8\n";
    let dataset = app.dataset(csv.as_bytes().to_vec(), "data.csv").await;
    let job = app
        .run_job(
            "/v1/inference-jobs",
            &json!({ "model_id": model["id"], "dataset_id": dataset["id"] }),
        )
        .await;
    assert_eq!(job["status"], "failed", "{job}");
    assert!(!job.to_string().contains(&secret), "{job}");
    assert_eq!(app.count("datasets").await, 1, "no predictions dataset");

    // In an audit with the model: its rows stream through the same confined child.
    let audited = app
        .dataset(
            b"a,b,g,label\n1,2,x,1\n3,4,y,0\n5,6,x,0\n7,8,y,1\n".to_vec(),
            "audit.csv",
        )
        .await;
    let audit = app
        .run_job(
            "/v1/audits",
            &json!({
                "dataset_id": audited["id"], "model_id": model["id"], "label_column": "label",
                "positive_label": 1, "sensitive_features": ["g"],
            }),
        )
        .await;
    assert_eq!(audit["status"], "failed", "{audit}");
    assert!(!audit.to_string().contains(&secret), "{audit}");
    assert_eq!(app.count("reports").await, 0);
    assert!(app.staging_files().is_empty(), "no scratch copy is left");
    let stored: Vec<String> = sqlx::query_scalar("SELECT coalesce(error, '') FROM jobs")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(stored.iter().all(|e| !e.contains(&secret)), "{stored:?}");
    assert_still_serving(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn a_model_cannot_create_or_overwrite_a_file() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("authorized_keys");
    let existing = dir.path().join("blob");
    std::fs::write(&existing, b"original bytes!!").unwrap();
    for path in [&target, &existing] {
        let model = hostile_model(&format!(
            "    t = torch.from_file(\"{}\", True, 16, dtype=0)\n    \
             t2 = torch.fill_(t, 65)\n    return torch.sum(argument_1, [1]) + torch.sum(t2)\n",
            path.display()
        ));
        expect_problem(app.upload_model(model, &metadata()).await, 422).await;
    }
    assert!(!target.exists(), "the model created a file");
    assert_eq!(std::fs::read(&existing).unwrap(), b"original bytes!!");
    assert_eq!(app.count("models").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn an_endless_loop_is_stopped_at_its_time_limits() {
    let endless = hostile_model(
        "    x = argument_1\n    while True:\n      x = torch.add(x, 1)\n    return torch.sum(x, [1])\n",
    );
    // Wall clock first.
    let app = TestApp::spawn_with(Options {
        model_limits: SandboxLimits {
            wall_seconds: 3,
            ..SandboxLimits::default()
        },
        ..Options::default()
    })
    .await;
    let started = Instant::now();
    let (problem, ()) = tokio::join!(
        async { expect_problem(app.upload_model(endless.clone(), &metadata()).await, 422).await },
        async {
            // The API keeps answering while the model spins.
            tokio::time::sleep(Duration::from_millis(500)).await;
            let health = app.get("/healthz").send().await.unwrap();
            assert_eq!(health.status(), 200);
        }
    );
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("exceeded its 3 s time limit"),
        "{problem}"
    );
    assert!(started.elapsed() < Duration::from_secs(15));
    assert_still_serving(&app).await;
    app.stop().await;

    // CPU time, where the wall clock would allow more.
    let app = TestApp::spawn_with(Options {
        model_limits: SandboxLimits {
            cpu_seconds: 2,
            wall_seconds: 60,
            threads: 1,
            ..SandboxLimits::default()
        },
        ..Options::default()
    })
    .await;
    let problem = expect_problem(app.upload_model(endless, &metadata()).await, 422).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("exceeded its 2 s CPU time limit"),
        "{problem}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_huge_allocation_fails_at_the_memory_limit() {
    let app = TestApp::spawn_with(Options {
        model_limits: SandboxLimits {
            memory_mib: 512,
            ..SandboxLimits::default()
        },
        ..Options::default()
    })
    .await;
    // 2 GiB of floats.
    let greedy = hostile_model(
        "    t = torch.ones([536870912])\n    return torch.sum(argument_1, [1]) + torch.sum(t)\n",
    );
    let problem = expect_problem(app.upload_model(greedy, &metadata()).await, 422).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("exceeded its 512 MiB memory limit"),
        "{problem}"
    );
    assert_still_serving(&app).await;
    app.stop().await;
}
