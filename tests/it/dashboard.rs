//! The dashboard at `/`: its assets and headers over HTTP, and the whole flow in
//! headless Chromium (`tests/browser/dashboard.mjs`, Playwright): sign in,
//! upload a CSV, start an audit from the form, follow it live, open the report,
//! and read a fairness monitor's trends (seeded through the API beforehand).
//! The screenshots stay under `<target>/artifacts/dashboard/`.
//!
//! Needs `/usr/bin/chromium` and `tests/browser/node_modules`: `scripts/setup-browser`
//! installs both (`scripts/test` runs it first).

use crate::common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::TestApp;

const ROWS: usize = 200;

/// A deterministic audit fixture: `id,sex,race,label,prediction` with 0/1
/// labels and predictions, groups of about 33 rows per sex × race, and
/// predictions that favour one sex (so the figures are not all zero).
fn fixture_csv() -> String {
    let races = ["asian", "black", "white"];
    let mut csv = String::from("id,sex,race,label,prediction\n");
    for i in 0..ROWS {
        let sex = if i % 2 == 0 { "female" } else { "male" };
        let race = races[(i / 2) % 3];
        let label = u8::from((i * 7) % 10 < 4);
        // Right most of the time; wrong more often for women, mostly by missing positives.
        let flip = if sex == "female" {
            i % 5 == 0
        } else {
            i % 11 == 0
        };
        let prediction = if flip { 1 - label } else { label };
        csv.push_str(&format!("{},{sex},{race},{label},{prediction}\n", 1000 + i));
    }
    csv
}

/// The monitor the browser opens.
const MONITOR_NAME: &str = "credit-decisions";
const MONITOR_DAYS: usize = 3;
const MONITOR_RECORDS_PER_DAY: usize = 200;

/// One day of decisions as NDJSON, and the late labels of that day: records
/// alternate between sexes `F` and `M`, 40 % are positive, predictions are
/// right but for a little noise, except that from the second day most of the
/// women's negatives are selected (so their false positive rate is far higher).
/// One record in four comes without its label; that label is sent later.
fn monitor_day(day: usize) -> (String, String) {
    let (mut records, mut labels) = (String::new(), String::new());
    for i in 0..MONITOR_RECORDS_PER_DAY {
        let sex = if i % 2 == 0 { "F" } else { "M" };
        let label = (i * 7) % 10 < 4;
        let drifted = day >= 1 && sex == "F" && !label && (i / 2) % 3 != 0;
        let prediction = if drifted {
            true
        } else {
            label != (i % 11 == 0)
        };
        let score = if prediction { 0.55 } else { 0.05 } + (i % 9) as f64 * 0.05;
        let minute = (i * 7) % 1440;
        let id = format!("d{day}-r{i}");
        let mut record = serde_json::json!({
            "record_id": id,
            "timestamp": format!("2026-03-{:02}T{:02}:{:02}:00Z", day + 1, minute / 60, minute % 60),
            "features": { "sex": sex },
            "prediction": u8::from(prediction),
            "score": score,
        });
        if i % 4 == 0 {
            labels.push_str(&format!(
                "{}\n",
                serde_json::json!({ "record_id": id, "label": u8::from(label) })
            ));
        } else {
            record["label"] = u8::from(label).into();
        }
        records.push_str(&format!("{record}\n"));
    }
    (records, labels)
}

/// Creates the monitor and sends it three days of decisions and the late
/// labels of the first two (the third stays at 75 % label coverage); its id.
async fn seed_monitor(app: &TestApp) -> String {
    let response = app
        .post("/v1/monitors")
        .json(&serde_json::json!({
            "name": MONITOR_NAME,
            "sensitive_features": ["sex"],
            "positive_label": 1,
            "window": "day",
            "policy": {
                "demographic_parity_difference_max": 0.2,
                "demographic_parity_ratio_min": 0.8,
                "equalized_odds_difference_max": 0.15,
            },
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let monitor: serde_json::Value = response.json().await.unwrap();
    let id = monitor["id"].as_str().unwrap().to_string();
    let ndjson = |path: String, body: String| {
        app.post(&path)
            .header("content-type", "application/x-ndjson")
            .body(body)
            .send()
    };
    let mut late = String::new();
    for day in 0..MONITOR_DAYS {
        let (records, labels) = monitor_day(day);
        let response = ndjson(format!("/v1/monitors/{id}/records"), records)
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        let outcome: serde_json::Value = response.json().await.unwrap();
        assert_eq!(outcome["accepted"], MONITOR_RECORDS_PER_DAY, "{outcome}");
        if day + 1 < MONITOR_DAYS {
            late.push_str(&labels);
        }
    }
    let response = ndjson(format!("/v1/monitors/{id}/labels"), late)
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let outcome: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        outcome["accepted"],
        (MONITOR_DAYS - 1) * MONITOR_RECORDS_PER_DAY / 4,
        "{outcome}"
    );
    id
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `<CARGO_TARGET_DIR or target>/artifacts/dashboard`, emptied.
fn artifacts_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    let dir = target.join("artifacts").join("dashboard");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the artifacts folder");
    dir
}

fn require_browser_setup() {
    let chromium = Path::new("/usr/bin/chromium");
    let modules = repo_root().join("tests/browser/node_modules/playwright-core");
    let mut missing = Vec::new();
    if !chromium.exists() {
        missing.push("/usr/bin/chromium (Debian's `chromium` package)");
    }
    if !modules.exists() {
        missing.push("tests/browser/node_modules (playwright-core)");
    }
    assert!(
        missing.is_empty(),
        "missing {}: run `scripts/setup-browser` first",
        missing.join(" and ")
    );
}

#[tokio::test]
async fn dashboard_assets_are_public_self_contained_and_locked_down() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    for (path, content_type) in [
        ("/", "text/html; charset=utf-8"),
        ("/assets/app.js", "text/javascript; charset=utf-8"),
        ("/assets/app.css", "text/css; charset=utf-8"),
    ] {
        // No API key: the page holds no data, the API calls it makes do.
        let response = client
            .get(format!("{}{path}", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], content_type, "{path}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("default-src 'self'") && csp.contains("script-src 'self'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-eval"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let body = response.text().await.unwrap();
        assert!(
            !body.contains("http://") && !body.contains("https://"),
            "{path} must not reference external URLs"
        );
    }
    let page = client
        .get(format!("{}/", app.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"<script src="/assets/app.js""#));
    // The API behind it still needs the key.
    let listing = client
        .get(format!("{}/v1/reports", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(listing.status(), 401);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_uploads_audits_and_opens_the_report_in_chromium() {
    require_browser_setup();
    let app = TestApp::spawn().await;
    let fixtures = tempfile::tempdir().unwrap();
    let csv = fixtures.path().join("dashboard-fixture.csv");
    std::fs::write(&csv, fixture_csv()).unwrap();
    let screenshots = artifacts_dir();
    let monitor_id = seed_monitor(&app).await;

    let run = tokio::process::Command::new("node")
        .arg("tests/browser/dashboard.mjs")
        .current_dir(repo_root())
        .env("BASE_URL", &app.url)
        .env("API_KEY", &app.admin)
        .env("DATASET_CSV", &csv)
        .env("MONITOR_ID", &monitor_id)
        .env("MONITOR_NAME", MONITOR_NAME)
        .env("MONITOR_WINDOWS", MONITOR_DAYS.to_string())
        .env("SCREENSHOT_DIR", &screenshots)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(240), run)
        .await
        .expect("the browser test took longer than 240 s")
        .expect("run node (is Node.js installed?)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    println!("dashboard screenshots: {}", screenshots.display());
    assert!(
        output.status.success(),
        "tests/browser/dashboard.mjs failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    for name in [
        "audit.png",
        "dashboard.png",
        "report.png",
        "reports.png",
        "report-pii-only.png",
        "monitors.png",
        "monitor.png",
    ] {
        let path = screenshots.join(name);
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        assert!(
            size > 10_000,
            "screenshot {} is missing or empty",
            path.display()
        );
    }

    // What the page did is what the API holds: two audits (newest first), succeeded, with their
    // reports: the PII-only one, then the fairness + PII one.
    let jobs: serde_json::Value = app
        .get("/v1/jobs?kind=audit")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let jobs = jobs["items"].as_array().unwrap();
    assert_eq!(jobs.len(), 2, "{jobs:?}");
    assert!(jobs.iter().all(|j| j["status"] == "succeeded"), "{jobs:?}");
    let mut reports = Vec::new();
    for job in jobs {
        let url = format!(
            "/v1/reports/{}",
            job["result"]["report_id"].as_str().unwrap()
        );
        reports.push(
            app.get(&url)
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap(),
        );
    }
    assert_eq!(
        jobs[1]["payload"]["sensitive_features"],
        serde_json::json!(["sex", "race"]),
        "{}",
        jobs[1]["payload"]
    );
    let (pii_only, full) = (&reports[0], &reports[1]);
    assert_eq!(full["body"]["fairness"]["rows"], ROWS);
    assert!(
        full["body"]["pii"].is_object(),
        "the form's PII check was asked for"
    );
    assert!(
        pii_only["body"].get("fairness").is_none()
            && pii_only["body"]["pii"]["rows_scanned"] == ROWS,
        "{}",
        pii_only["body"]
    );
    app.stop().await;
}

/// Every metric the committed monitors dashboard for Grafana queries is one
/// `/metrics` exposes once a monitor has a window.
#[tokio::test]
async fn grafana_monitor_dashboard_queries_metrics_the_server_exposes() {
    let app = TestApp::spawn().await;
    let monitor_id = seed_monitor(&app).await;
    let metrics = app
        .get("/metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let grafana: serde_json::Value =
        serde_json::from_str(include_str!("../../deploy/grafana/probity-monitors.json")).unwrap();
    let mut queried = Vec::new();
    for panel in grafana["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().into_iter().flatten() {
            let expr = target["expr"].as_str().unwrap();
            queried.extend(
                expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .filter(|w| w.starts_with("probity_monitor_"))
                    .map(String::from),
            );
        }
    }
    assert!(queried.len() >= 4, "{queried:?}");
    for name in queried {
        assert!(
            metrics
                .lines()
                .any(|l| l.starts_with(&format!("{name}{{")) && l.contains(&monitor_id)),
            "the monitors dashboard queries {name}, which /metrics lacks for monitor {monitor_id}:\n{metrics}"
        );
    }
    app.stop().await;
}
