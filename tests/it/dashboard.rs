//! The dashboard at `/`: its assets and headers over HTTP, and the whole flow in
//! headless Chromium (`tests/browser/dashboard.mjs`, Playwright): sign in,
//! upload a CSV, start an audit from the form, follow it live, open the report.
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

    let run = tokio::process::Command::new("node")
        .arg("tests/browser/dashboard.mjs")
        .current_dir(repo_root())
        .env("BASE_URL", &app.url)
        .env("API_KEY", &app.admin)
        .env("DATASET_CSV", &csv)
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
