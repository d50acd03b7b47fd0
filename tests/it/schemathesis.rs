//! The OpenAPI document survives schemathesis: every operation, fuzzed from
//! its schema (valid and invalid inputs, then stateful sequences following
//! the responses), must never get a 5xx. Bad input is a 4xx problem, always.
//! schemathesis is pinned and installed by `scripts/setup-pyclient`.

use crate::common;

use common::TestApp;

#[tokio::test]
async fn no_operation_answers_a_server_error() {
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
        .args([
            "run",
            &format!("{}/openapi.json", app.url),
            "--checks",
            "not_a_server_error",
            "--max-examples",
            "40",
            "--seed",
            "1",
        ])
        .args(["-H", &format!("Authorization: Bearer {}", app.admin)])
        .env("NO_COLOR", "1")
        .current_dir(app.data_dir.path()) // its `.schemathesis/` cache stays out of the checkout
        .output()
        .await
        .expect("schemathesis runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "schemathesis found server errors (exit {}):\n{stdout}\n{}",
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
