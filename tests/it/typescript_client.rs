//! The committed OpenAPI document must drive a generated TypeScript client:
//! openapi-typescript generates the types from `openapi/openapi.json`
//! (`tests/typescript_client/generate.mjs`, into a temporary folder, never
//! committed), `tsc --strict` type-checks `tests/typescript_client/flow.ts`
//! against them, and the compiled flow runs through openapi-fetch against the
//! real server: upload a dataset, upload a model, audit, poll the job, fetch
//! the report and print its typed fields, which must be the report's.
//!
//! `flow.ts` may not cast (` as `), use `any` or silence the compiler (`@ts-`):
//! what it reads, it reads through the generated types.
//!
//! Needs `tests/typescript_client/node_modules`: `scripts/setup-tsclient` installs
//! it exactly as pinned (`scripts/test` runs it first), and Node.js.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use common::{TestApp, traced_linear_model};
use probity::store::keys::Role;
use serde_json::Value;
use tokio::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const ROWS: u32 = 300;

fn client_dir() -> PathBuf {
    Path::new(ROOT).join("tests/typescript_client")
}

fn show(output: &Output) -> String {
    format!(
        "exit status: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Every dependency of `package.json` is installed at exactly its pinned version.
fn require_setup() {
    let dir = client_dir();
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.join("package.json")).unwrap()).unwrap();
    let dependencies = manifest["dependencies"].as_object().unwrap();
    for name in ["openapi-typescript", "openapi-fetch", "typescript"] {
        assert!(dependencies.contains_key(name), "package.json lacks {name}");
    }
    for (name, pinned) in dependencies {
        let installed = std::fs::read(dir.join("node_modules").join(name).join("package.json"))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
            .and_then(|package| package["version"].as_str().map(str::to_string));
        assert_eq!(
            installed.as_deref(),
            pinned.as_str(),
            "{name} in tests/typescript_client/node_modules is not the pinned version: \
             run scripts/setup-tsclient"
        );
    }
}

/// `flow.ts` reads the report through the generated types only: no cast, no
/// `any`, no `@ts-ignore` / `@ts-expect-error` / `@ts-nocheck`.
fn untyped_escapes(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (number, line) in source.lines().enumerate() {
        let words = line
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
            .collect::<Vec<_>>();
        let escape = if line.contains(" as ") {
            Some("a cast (` as `)")
        } else if words.contains(&"any") {
            Some("`any`")
        } else if line.contains("@ts-") {
            Some("a `@ts-` comment")
        } else {
            None
        };
        if let Some(what) = escape {
            found.push(format!("flow.ts:{}: {what}: {}", number + 1, line.trim()));
        }
    }
    found
}

/// `x1,x2,sex,email,label`: two numeric features, `sex` 0/1 (a sensitive
/// feature the model takes as an input, for the counterfactual check), an
/// email on every third row (for the PII check), a 0/1 label.
fn dataset_csv() -> String {
    let mut csv = String::from("x1,x2,sex,email,label\n");
    for i in 0..ROWS {
        let x1 = f64::from((i * 37) % 101) / 50.0 - 1.0;
        let x2 = f64::from((i * 53) % 97) / 48.0 - 1.0;
        let sex = (i / 3) % 2;
        let email = if i % 3 == 0 {
            format!("applicant{i}@example.org")
        } else {
            String::new()
        };
        let label = u8::from(x1 + 0.5 * x2 + if i % 7 == 0 { 0.8 } else { 0.0 } > 0.0);
        csv.push_str(&format!("{x1},{x2},{sex},{email},{label}\n"));
    }
    csv
}

async fn node(args: &[&std::ffi::OsStr], dir: &Path) -> Output {
    let run = Command::new("node")
        .args(args)
        .current_dir(dir)
        .kill_on_drop(true)
        .output();
    tokio::time::timeout(Duration::from_secs(180), run)
        .await
        .unwrap_or_else(|_| panic!("node {args:?} took longer than 180 s"))
        .expect("run node (is Node.js installed?)")
}

/// Generates `schema.d.ts` into `work` and type-checks and compiles `flow.ts`
/// there (`work/out/flow.js`); `work` holds copies of the client's sources and
/// a link to its `node_modules`.
async fn build(work: &Path) {
    let dir = client_dir();
    for file in ["flow.ts", "tsconfig.json", "package.json"] {
        std::fs::copy(dir.join(file), work.join(file)).unwrap();
    }
    std::os::unix::fs::symlink(dir.join("node_modules"), work.join("node_modules")).unwrap();

    let generate = dir.join("generate.mjs");
    let document = Path::new(ROOT).join("openapi/openapi.json");
    let schema = work.join("schema.d.ts");
    let output = node(
        &[
            generate.as_os_str(),
            document.as_os_str(),
            schema.as_os_str(),
        ],
        work,
    )
    .await;
    assert!(
        output.status.success() && output.stdout.is_empty() && output.stderr.is_empty(),
        "openapi-typescript failed on or complained about openapi/openapi.json\n{}",
        show(&output)
    );

    let tsc = dir.join("node_modules/typescript/bin/tsc");
    let check = node(
        &[
            tsc.as_os_str(),
            "-p".as_ref(),
            work.as_os_str(),
            "--strict".as_ref(),
            "--noEmit".as_ref(),
            "--pretty".as_ref(),
            "false".as_ref(),
        ],
        work,
    )
    .await;
    assert!(
        check.status.success(),
        "tsc --strict finds errors in tests/typescript_client/flow.ts against the types \
         generated from openapi/openapi.json\n{}",
        show(&check)
    );
    // Checked above; now only the JavaScript.
    let emit = node(
        &[
            tsc.as_os_str(),
            "-p".as_ref(),
            work.as_os_str(),
            "--noCheck".as_ref(),
        ],
        work,
    )
    .await;
    assert!(
        emit.status.success() && work.join("out/flow.js").is_file(),
        "tsc could not compile flow.ts\n{}",
        show(&emit)
    );
}

/// `a` and `b` are the same JSON, numbers compared as f64 (JavaScript writes `1.0` as `1`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[track_caller]
fn assert_same(printed: &Value, expected: &Value, what: &str) {
    assert!(
        same(printed, expected),
        "{what}: the flow printed {printed}, the report has {expected}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_typescript_client_runs_the_full_flow() {
    require_setup();
    // The check itself finds what it must, and only that.
    let found = untyped_escapes(
        "const a = b as Report;\nlet c: any = 1;\n// @ts-ignore\nconst company = many;\n",
    );
    assert_eq!(found.len(), 3, "{found:?}");
    let flow = std::fs::read_to_string(client_dir().join("flow.ts")).unwrap();
    let escapes = untyped_escapes(&flow);
    assert!(
        escapes.is_empty(),
        "flow.ts must read everything through the generated types:\n{}",
        escapes.join("\n")
    );

    let work = tempfile::tempdir().unwrap();
    build(work.path()).await;

    let dataset = work.path().join("applicants.csv");
    std::fs::write(&dataset, dataset_csv()).unwrap();
    let model = work.path().join("linear.pt");
    std::fs::write(&model, traced_linear_model(3, 1)).unwrap();

    let app = TestApp::spawn().await;
    let key = app.key(Role::Auditor).await;
    let run = Command::new("node")
        .arg(work.path().join("out/flow.js"))
        .current_dir(work.path())
        .env("PROBITY_URL", &app.url)
        .env("PROBITY_API_KEY", &key)
        .env("PROBITY_DATASET", &dataset)
        .env("PROBITY_MODEL", &model)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(240), run)
        .await
        .expect("the TypeScript flow took longer than 240 s")
        .expect("run node (is Node.js installed?)");
    let shown = show(&output);
    assert!(
        output.status.success(),
        "the flow through the generated TypeScript client failed\n{shown}"
    );
    println!("{shown}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let printed: Value = stdout
        .lines()
        .last()
        .and_then(|line| serde_json::from_str(line).ok())
        .unwrap_or_else(|| panic!("the flow printed no JSON line\n{shown}"));

    // What the flow read is what the service holds.
    let report: Value = app
        .get(&format!(
            "/v1/reports/{}",
            printed["report_id"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let job: Value = app
        .get(&format!("/v1/jobs/{}", printed["job_id"].as_str().unwrap()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["result"]["report_id"], report["id"], "{job}");
    assert_eq!(report["job_id"], job["id"]);
    assert_eq!(report["dataset_id"], printed["dataset_id"]);
    assert_eq!(report["model_id"], printed["model_id"]);
    assert_eq!(report["sha256"], printed["report_sha256"]);
    assert_eq!(report["verdict"], printed["verdict"]);
    assert_same(
        &printed["demographic_parity_difference"],
        &report["demographic_parity_difference"],
        "summary demographic_parity_difference",
    );

    let body = &report["body"];
    let out = &printed["body"];
    assert_eq!(out["verdict"], body["verdict"]);
    assert_eq!(out["schema_version"], body["schema_version"]);
    assert_eq!(out["model_sha256"], body["inputs"]["model"]["sha256"]);
    assert_same(
        &out["model_threshold"],
        &body["inputs"]["model"]["threshold"],
        "inputs.model.threshold",
    );
    assert_eq!(out["sensitive_features"], serde_json::json!(["sex"]));
    assert_eq!(
        out["sensitive_features"],
        body["inputs"]["sensitive_features"]
    );

    let fairness = &body["fairness"];
    let grouping = &fairness["groupings"][0];
    let aggregates = &grouping["aggregates"];
    let printed_fairness = &out["fairness"];
    assert_eq!(printed_fairness["rows"], ROWS);
    assert_eq!(printed_fairness["rows"], fairness["rows"]);
    assert_eq!(printed_fairness["verdict"], fairness["verdict"]);
    assert_eq!(printed_fairness["bootstrap_resamples"], 50);
    assert_eq!(
        printed_fairness["bootstrap_resamples"],
        fairness["options"]["bootstrap"]["resamples"]
    );
    assert_eq!(printed_fairness["grouping_features"], grouping["features"]);
    assert_eq!(printed_fairness["grouping_kind"], grouping["kind"]);
    let groups: Vec<Value> = grouping["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| {
            serde_json::json!({
                "group": group["group"],
                "rows": group["rows"],
                "selection_rate": group["rates"]["selection_rate"],
            })
        })
        .collect();
    assert_eq!(groups.len(), 2, "{grouping}");
    assert_same(&printed_fairness["groups"], &Value::from(groups), "groups");
    let parity = &aggregates["demographic_parity_difference"]["between_groups"];
    assert!(parity["value"].is_number(), "{parity}");
    assert_same(
        &printed_fairness["demographic_parity_difference"],
        &parity["value"],
        "demographic_parity_difference.between_groups.value",
    );
    assert!(parity["ci"].is_array(), "50 resamples give an interval");
    assert_same(
        &printed_fairness["demographic_parity_difference_ci"],
        &parity["ci"],
        "demographic_parity_difference.between_groups.ci",
    );
    assert_same(
        &printed_fairness["equalized_odds_difference"],
        &aggregates["equalized_odds_difference"]["worst_case"]["between_groups"]["value"],
        "equalized_odds_difference.worst_case.between_groups.value",
    );

    let pii = &body["pii"];
    let printed_pii = &out["pii"];
    assert_eq!(printed_pii["rows_scanned"], pii["rows_scanned"]);
    assert_eq!(printed_pii["findings"], pii["totals"]["findings"]);
    assert_eq!(printed_pii["findings"], ROWS / 3, "{pii}");
    assert_eq!(
        printed_pii["columns_affected"],
        serde_json::json!(["email"])
    );
    assert_eq!(
        printed_pii["columns_affected"],
        pii["totals"]["columns_affected"]
    );
    assert_eq!(printed_pii["verdict"], pii["verdict"]);

    let counterfactual = &body["counterfactual"];
    let printed_counterfactual = &out["counterfactual"];
    assert_eq!(printed_counterfactual["method"], "model");
    assert_eq!(printed_counterfactual["rows"], counterfactual["rows"]);
    assert_eq!(printed_counterfactual["verdict"], counterfactual["verdict"]);
    let sex = counterfactual["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|feature| feature["feature"] == "sex")
        .unwrap_or_else(|| panic!("{counterfactual}"));
    assert_eq!(printed_counterfactual["sex_pairs"], sex["pairs"]);
    assert_same(
        &printed_counterfactual["sex_flip_share"],
        &sex["flip_share"],
        "counterfactual sex flip_share",
    );
    let comparisons: Vec<Value> = sex["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            serde_json::json!({"from": c["from"], "to": c["to"], "flips": c["flips"], "outcome": c["outcome"]})
        })
        .collect();
    assert!(!comparisons.is_empty(), "{sex}");
    assert_eq!(
        printed_counterfactual["sex_comparisons"],
        Value::from(comparisons)
    );

    let models: Value = app
        .get("/v1/models")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(models["items"][0]["name"], "typescript-client-linear");
    assert_eq!(models["items"][0]["id"], printed["model_id"]);
    app.stop().await;
}
