//! The committed OpenAPI document must drive a generated client: a Python
//! client generated from `openapi/openapi.json` with openapi-python-client
//! (pinned and installed by `scripts/setup-pyclient`) runs the whole flow —
//! upload a dataset, upload a model, audit, poll the job, fetch the report —
//! against the real server (`tests/python_client/flow.py`). The generator
//! must use every operation of the document without a warning.

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{TestApp, traced_linear_model};
use serde_json::{Value, json};
use tokio::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// Name of the generated package (and of its folder).
const PACKAGE: &str = "probity_client";

/// The version `scripts/setup-pyclient` pins.
fn pinned_version() -> String {
    let script = std::fs::read_to_string(Path::new(ROOT).join("scripts/setup-pyclient")).unwrap();
    script
        .lines()
        .find_map(|line| line.strip_prefix("version="))
        .expect("scripts/setup-pyclient pins `version=`")
        .trim()
        .to_string()
}

fn show(output: &Output) -> String {
    format!(
        "exit status: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Python module names of the generated operations (`api/<tag>/<operation>.py`).
fn generated_operations(package: &Path) -> BTreeSet<String> {
    let mut operations = BTreeSet::new();
    for tag in std::fs::read_dir(package.join("api")).unwrap().flatten() {
        if !tag.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(tag.path()).unwrap().flatten() {
            let path = file.path();
            let stem = path.file_stem().unwrap().to_string_lossy().to_string();
            if path.extension().is_some_and(|e| e == "py") && stem != "__init__" {
                operations.insert(stem);
            }
        }
    }
    operations
}

/// Operation ids of the document (all snake_case already, so also the module names).
fn document_operations(document: &Value) -> BTreeSet<String> {
    let mut operations = BTreeSet::new();
    for item in document["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                operations.insert(id.to_string());
            }
        }
    }
    operations
}

/// Generates the client into `dir/probity_client` and checks the generator used everything.
async fn generate(venv: &Path, dir: &Path) -> PathBuf {
    let generator = venv.join("bin/openapi-python-client");
    assert!(
        generator.is_file() && venv.join("bin/python").is_file(),
        "openapi-python-client is not installed in {}: run scripts/setup-pyclient \
         (or point PROBITY_PYCLIENT_VENV at a venv it made)",
        venv.display()
    );
    let version = Command::new(&generator)
        .arg("--version")
        .output()
        .await
        .unwrap();
    let pinned = pinned_version();
    assert!(
        String::from_utf8_lossy(&version.stdout).contains(&pinned),
        "{} is not openapi-python-client {pinned} as pinned in scripts/setup-pyclient; run it again\n{}",
        generator.display(),
        show(&version)
    );

    let document = Path::new(ROOT).join("openapi/openapi.json");
    let package = dir.join(PACKAGE);
    // The venv's bin first: the generator's post-hooks run its `ruff`.
    let path = format!(
        "{}:{}",
        venv.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new(&generator)
        .args([
            "generate",
            "--meta",
            "none",
            "--fail-on-warning",
            "--config",
        ])
        .arg(Path::new(ROOT).join("tests/python_client/generator.yml"))
        .arg("--path")
        .arg(&document)
        .arg("--output-path")
        .arg(&package)
        .current_dir(dir)
        .env("PATH", path)
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "openapi-python-client failed on openapi/openapi.json\n{}",
        show(&output)
    );
    // Everything but the "Generating <path>" line is a complaint: a warning, a part it
    // could not parse ("Unable to parse", "Cannot parse ... will be omitted"), a failed hook.
    let complaints: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .chain(String::from_utf8_lossy(&output.stderr).lines())
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("Generating "))
        .map(str::to_string)
        .collect();
    assert!(
        complaints.is_empty(),
        "openapi-python-client complained about openapi/openapi.json\n{}",
        show(&output)
    );

    let document: Value = serde_json::from_slice(&std::fs::read(&document).unwrap()).unwrap();
    assert_eq!(
        generated_operations(&package),
        document_operations(&document),
        "generated operations differ from the document's"
    );
    package
}

/// 300 rows: two numeric features, a sensitive `sex` column, a 0/1 label.
fn dataset_csv() -> String {
    let mut csv = String::from("x1,x2,sex,label\n");
    for i in 0..300u32 {
        let x1 = f64::from((i * 37) % 101) / 50.0 - 1.0;
        let x2 = f64::from((i * 53) % 97) / 48.0 - 1.0;
        let sex = if (i / 3) % 2 == 0 { "female" } else { "male" };
        let label = u8::from(x1 + 0.5 * x2 + if i % 7 == 0 { 0.8 } else { 0.0 } > 0.0);
        csv.push_str(&format!("{x1},{x2},{sex},{label}\n"));
    }
    csv
}

#[tokio::test]
async fn a_generated_python_client_runs_the_full_flow() {
    let venv = common::python_tools_venv();
    let dir = tempfile::tempdir().unwrap();
    let package = generate(&venv, dir.path()).await;

    let dataset = dir.path().join("credit.csv");
    std::fs::write(&dataset, dataset_csv()).unwrap();
    let model = dir.path().join("linear.pt");
    std::fs::write(&model, traced_linear_model(2, 1)).unwrap();
    let metadata = dir.path().join("metadata.json");
    let metadata_json = json!({"name": "python-client-linear", "version": "1", "features": ["x1", "x2"], "output": "logit", "threshold": 0.5});
    std::fs::write(&metadata, metadata_json.to_string()).unwrap();

    let app = TestApp::spawn().await;
    let output = Command::new(venv.join("bin/python"))
        .arg(Path::new(ROOT).join("tests/python_client/flow.py"))
        .arg("--client")
        .arg(&package)
        .args([
            "--url",
            &app.url,
            "--key",
            &app.admin,
            "--label-column",
            "label",
            "--sensitive",
            "sex",
        ])
        .arg("--dataset")
        .arg(&dataset)
        .arg("--model")
        .arg(&model)
        .arg("--metadata")
        .arg(&metadata)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .await
        .unwrap();
    let shown = show(&output);
    assert!(
        output.status.success(),
        "the flow through the generated client failed\n{shown}"
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("flow ok"),
        "{shown}"
    );
    println!("{shown}");

    // What the client did is in the service.
    let reports: Value = app
        .get("/v1/reports")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = reports["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{reports}");
    let models: Value = app
        .get("/v1/models")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(models["items"][0]["name"], "python-client-linear");
    assert_eq!(items[0]["model_id"], models["items"][0]["id"]);
    let datasets: Value = app
        .get("/v1/datasets")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(datasets["items"][0]["row_count"], 300);
    assert_eq!(items[0]["dataset_id"], datasets["items"][0]["id"]);
    app.stop().await;
}
