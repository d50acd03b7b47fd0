//! The `probity` binary as a user starts it: database creation, migrations,
//! the first admin key printed once, and the `keys` and `openapi` commands.

use crate::common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

fn probity(database_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_probity"));
    command
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn");
    command
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `probity serve`, returns the first stdout line mentioning a key (if any) once healthy.
async fn serve_once(database_url: &str, data_dir: &std::path::Path) -> Option<String> {
    let port = free_port();
    let mut child = probity(database_url)
        .args(["serve", "--workers", "1"])
        .env("PROBITY_BIND", format!("127.0.0.1:{port}"))
        .env("PROBITY_DATA_DIR", data_dir)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    });
    let client = reqwest::Client::new();
    common::wait_until(Duration::from_secs(60), || async {
        let ready = client
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await
            .ok()?;
        (ready.status() == 200).then_some(())
    })
    .await;
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    assert!(
        child.wait().unwrap().success(),
        "serve exits cleanly on SIGTERM"
    );
    reader.join().unwrap().into_iter().find_map(|line| {
        line.split_whitespace()
            .find(|w| w.starts_with("prb_"))
            .map(str::to_string)
    })
}

#[tokio::test]
async fn first_start_creates_the_database_and_prints_one_admin_key_once() {
    let database_url = format!(
        "{}/probity_test_{}",
        common::postgres_base(),
        uuid::Uuid::new_v4().simple()
    );
    let data_dir = tempfile::tempdir().unwrap();
    let token = serve_once(&database_url, data_dir.path())
        .await
        .expect("first start prints an admin key");
    assert!(
        serve_once(&database_url, data_dir.path()).await.is_none(),
        "the second start prints no key"
    );

    let listed = probity(&database_url)
        .args(["keys", "list"])
        .output()
        .unwrap();
    let listing = String::from_utf8(listed.stdout).unwrap();
    assert!(listing.contains("initial-admin\tadmin\t"), "{listing}");
    assert!(
        listing.contains(&token[..12]) && !listing.contains(&token),
        "the list shows a prefix, never the token"
    );

    let created = probity(&database_url)
        .args(["keys", "create", "--name", "ci", "--role", "auditor"])
        .output()
        .unwrap();
    assert!(created.status.success());
    let created = String::from_utf8(created.stdout).unwrap();
    let id = created.split('\t').next().unwrap().to_string();
    let revoked = probity(&database_url)
        .args(["keys", "revoke", &id])
        .output()
        .unwrap();
    assert!(revoked.status.success());
    let again = probity(&database_url)
        .args(["keys", "revoke", &id])
        .output()
        .unwrap();
    assert!(!again.status.success(), "revoking twice fails");
}

#[test]
fn openapi_command_prints_the_committed_document() {
    let printed = Command::new(env!("CARGO_BIN_EXE_probity"))
        .arg("openapi")
        .output()
        .unwrap();
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .unwrap();
    assert_eq!(
        String::from_utf8(printed.stdout).unwrap().trim_end(),
        committed.trim_end()
    );
}

#[test]
fn audit_command_runs_the_engine_on_a_local_file() {
    let golden = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/fairness/tests/golden/user_guide.csv"
    );
    let output = Command::new(env!("CARGO_BIN_EXE_probity"))
        .args([
            "audit",
            "--data",
            golden,
            "--label",
            "y_true",
            "--prediction",
            "y_pred",
            "--sensitive",
            "sf",
            "--bootstrap",
            "100",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let aggregates = &report["fairness"]["groupings"][0]["aggregates"];
    assert_eq!(
        aggregates["demographic_parity_difference"]["between_groups"]["value"],
        0.25
    );
    assert_eq!(
        aggregates["equalized_odds_difference"]["worst_case"]["between_groups"]["value"],
        1.0
    );
    assert_eq!(report["inputs"]["dataset"]["name"], "user_guide.csv");
    assert_eq!(
        report["inputs"]["dataset"]["sha256"]
            .as_str()
            .unwrap()
            .len(),
        64
    );

    let bad = Command::new(env!("CARGO_BIN_EXE_probity"))
        .args([
            "audit",
            "--data",
            golden,
            "--label",
            "y_true",
            "--prediction",
            "y_pred",
            "--sensitive",
            "nope",
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("column `nope` does not exist"));

    // A PII-only scan of a local file: no label, predictions or sensitive features.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("contacts.csv");
    std::fs::write(
        &data,
        "id,email\n1,ann.lee@example.com\n2,bob.ray@example.org\n3,none\n",
    )
    .unwrap();
    let findings = dir.path().join("findings.ndjson");
    let output = Command::new(env!("CARGO_BIN_EXE_probity"))
        .args([
            "audit",
            "--data",
            data.to_str().unwrap(),
            "--no-fairness",
            "--pii",
            "--pii-findings",
            findings.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report.get("fairness").is_none());
    assert_eq!(report["pii"]["totals"]["rows_affected"], 2);
    assert_eq!(
        std::fs::read_to_string(&findings).unwrap().lines().count(),
        2
    );
    let no_pii = Command::new(env!("CARGO_BIN_EXE_probity"))
        .args(["audit", "--data", data.to_str().unwrap(), "--no-fairness"])
        .output()
        .unwrap();
    assert!(!no_pii.status.success(), "--no-fairness needs --pii");
}

/// Where `probity migrate` runs as its own step (behind a transaction-mode pooler), a
/// start with `PROBITY_MIGRATE_ON_START=false` refuses a database that lacks migrations
/// and says what to run; after `probity migrate` it starts.
#[test]
fn without_migrations_at_start_a_start_refuses_an_unmigrated_database() {
    let database_url = format!(
        "{}/probity_test_{}",
        common::postgres_base(),
        uuid::Uuid::new_v4().simple()
    );
    let refused = probity(&database_url)
        .env("PROBITY_MIGRATE_ON_START", "false")
        .args(["keys", "list"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("run `probity migrate` first"), "{said}");

    let migrated = probity(&database_url).arg("migrate").output().unwrap();
    assert!(migrated.status.success(), "{migrated:?}");
    let listed = probity(&database_url)
        .env("PROBITY_MIGRATE_ON_START", "false")
        .args(["keys", "list"])
        .output()
        .unwrap();
    assert!(listed.status.success(), "{listed:?}");
}

/// `probity reproduce` re-runs a saved request on the data and compares the
/// results digests: a match exits 0; altered results or another data file fail.
#[test]
fn reproduce_command_re_runs_a_saved_request_and_compares_digests() {
    let golden = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/fairness/tests/golden/user_guide.csv"
    );
    let dir = tempfile::tempdir().unwrap();
    let request = dir.path().join("request.json");
    let audited = Command::new(env!("CARGO_BIN_EXE_probity"))
        .args([
            "audit",
            "--data",
            golden,
            "--label",
            "y_true",
            "--prediction",
            "y_pred",
        ])
        .args([
            "--sensitive",
            "sf",
            "--bootstrap",
            "200",
            "--seed",
            "3",
            "--pii",
        ])
        .arg("--save-request")
        .arg(&request)
        .output()
        .unwrap();
    assert!(
        audited.status.success(),
        "{}",
        String::from_utf8_lossy(&audited.stderr)
    );
    let report_path = dir.path().join("report.json");
    std::fs::write(&report_path, &audited.stdout).unwrap();
    let reproduce = |report: &std::path::Path, data: &str| {
        Command::new(env!("CARGO_BIN_EXE_probity"))
            .arg("reproduce")
            .arg("--report")
            .arg(report)
            .arg("--request")
            .arg(&request)
            .args(["--data", data])
            .output()
            .unwrap()
    };
    let same = reproduce(&report_path, golden);
    assert!(
        same.status.success(),
        "{}",
        String::from_utf8_lossy(&same.stderr)
    );
    let said: serde_json::Value = serde_json::from_slice(&same.stdout).unwrap();
    let report: serde_json::Value = serde_json::from_slice(&audited.stdout).unwrap();
    assert_eq!(said["matches"], true);
    assert_eq!(said["original_results_sha256"], report["results_sha256"]);

    // an altered figure: the digest of the report's results no longer matches
    let mut altered = report.clone();
    altered["fairness"]["rows"] = serde_json::json!(9);
    let altered_path = dir.path().join("altered.json");
    std::fs::write(&altered_path, altered.to_string()).unwrap();
    let differs = reproduce(&altered_path, golden);
    assert!(!differs.status.success());
    assert!(String::from_utf8_lossy(&differs.stderr).contains("differ"));

    // another data file is refused before anything runs
    let other = dir.path().join("other.csv");
    std::fs::write(&other, "y_true,y_pred,sf\n1,1,a\n").unwrap();
    let refused = reproduce(&report_path, other.to_str().unwrap());
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("sha256"));
}
