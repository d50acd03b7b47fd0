//! The OpenAPI document survives schemathesis with every check it has
//! (`--checks all`): every operation, fuzzed from its schema (examples,
//! coverage, valid and invalid inputs, then stateful sequences following the
//! responses), never gets a 5xx, answers only statuses, media types, headers
//! and bodies the document declares (server-sent events per event), refuses
//! schema-invalid input and accepts schema-valid input, except the 422s
//! `tests/schemathesis.toml` explains. schemathesis is pinned and installed
//! by `scripts/setup-pyclient`.

use crate::common;

use common::TestApp;

#[tokio::test]
async fn every_operation_passes_every_schemathesis_check() {
    let venv = common::python_tools_venv();
    let schemathesis = venv.join("bin/schemathesis");
    assert!(
        schemathesis.exists(),
        "missing {}: run `scripts/setup-pyclient` first",
        schemathesis.display()
    );
    let app = TestApp::spawn().await;
    // A dataset and a model, so reads have something to find besides 404s.
    app.upload_dataset(
        b"id,sex,label,prediction\n1,F,1,1\n2,M,0,1\n3,F,0,0\n".to_vec(),
        "fuzz.csv",
    )
    .await;
    app.upload_model(
        common::traced_linear_model(1, 1),
        &serde_json::json!({"name": "fuzz", "version": "1", "features": ["id"], "output": "logit"}),
    )
    .await;
    let output = tokio::process::Command::new(&schemathesis)
        .arg("--config-file")
        .arg(format!(
            "{}/tests/schemathesis.toml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .args([
            "run",
            &format!("{}/openapi.json", app.url),
            "--checks",
            "all",
            "--max-examples",
            "40",
            "--seed",
            "1",
        ])
        .args(["-H", &format!("Authorization: Bearer {}", app.admin)])
        .env("NO_COLOR", "1")
        .env(
            "SCHEMATHESIS_HOOKS",
            format!("{}/tests/schemathesis_hooks.py", env!("CARGO_MANIFEST_DIR")),
        )
        .current_dir(app.data_dir.path()) // its `.schemathesis/` cache stays out of the checkout
        .output()
        .await
        .expect("schemathesis runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "schemathesis found failures (exit {}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let total = stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix("Selected: "))
        .and_then(|selected| selected.split('/').nth(1))
        .expect("schemathesis prints `Selected: n/total`");
    assert!(
        stdout.contains(&format!("Tested: {total}\n")),
        "not every one of the {total} operations was tested:\n{stdout}"
    );
    app.stop().await;
}
