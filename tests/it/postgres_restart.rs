//! Probity survives a Postgres restart: on a private Postgres cluster (initdb
//! in a temporary folder, its own port, so the shared server is untouched),
//! the API answers 503 problems while the database is down, `/readyz` says
//! why, and once Postgres is back the same server process (pool and
//! workers) serves requests and runs jobs again.

use crate::common;

use std::process::Command;
use std::time::Duration;

use common::{TestApp, expect_problem, wait_until};
use serde_json::{Value, json};

const BIN: &str = "/usr/lib/postgresql/15/bin";

/// A Postgres cluster owned by the `postgres` user in a temporary folder.
struct PrivatePostgres {
    dir: tempfile::TempDir,
    port: u16,
}

fn as_postgres(args: &[&str]) -> std::process::Output {
    let output = Command::new("runuser")
        .args(["-u", "postgres", "--"])
        .args(args)
        .output()
        .expect("runuser runs");
    assert!(
        output.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

impl PrivatePostgres {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Command::new("chown")
            .args(["-R", "postgres:postgres", dir.path().to_str().unwrap()])
            .status()
            .unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let data = dir.path().join("data");
        as_postgres(&[
            &format!("{BIN}/initdb"),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-D",
            data.to_str().unwrap(),
        ]);
        let cluster = Self { dir, port };
        cluster.pg_ctl("start");
        cluster
    }

    fn data(&self) -> String {
        self.dir.path().join("data").to_str().unwrap().to_string()
    }

    fn pg_ctl(&self, action: &str) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("postgres.log");
        as_postgres(&[
            &format!("{BIN}/pg_ctl"),
            "-D",
            &self.data(),
            "-o",
            &options,
            "-l",
            log.to_str().unwrap(),
            "-w",
            "-m",
            "fast",
            action,
        ]);
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        if self.dir.path().join("data/postmaster.pid").exists() {
            let _ = Command::new("runuser")
                .args([
                    "-u",
                    "postgres",
                    "--",
                    &format!("{BIN}/pg_ctl"),
                    "-D",
                    &self.data(),
                    "-m",
                    "immediate",
                    "stop",
                ])
                .output();
        }
    }
}

#[tokio::test]
async fn the_api_and_workers_survive_a_postgres_restart() {
    let postgres = PrivatePostgres::start();
    // SAFETY of the environment: this test binary holds this one test, so nothing else reads it.
    unsafe {
        std::env::set_var(
            "PROBITY_TEST_DATABASE_URL",
            format!("postgres://postgres@127.0.0.1:{}", postgres.port),
        )
    };
    let app = TestApp::spawn().await;
    let csv = format!(
        "sex,label,prediction\n{}",
        "F,1,1\nM,0,1\nF,0,0\nM,1,1\n".repeat(20)
    );
    let dataset: Value = app
        .upload_dataset(csv.into_bytes(), "before.csv")
        .await
        .json()
        .await
        .unwrap();
    let audit = |dataset: &Value| {
        json!({"dataset_id": dataset["id"], "label_column": "label", "prediction_column": "prediction", "positive_label": 1,
               "sensitive_features": ["sex"], "checks": {"fairness": {"min_group_size": 1, "bootstrap": {"resamples": 10}}}})
    };

    postgres.pg_ctl("stop");
    let ready = app
        .client
        .get(format!("{}/readyz", app.url))
        .send()
        .await
        .unwrap();
    let problem = expect_problem(ready, 503).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("database unreachable"),
        "{problem}"
    );
    for response in [
        app.get("/v1/datasets").send().await.unwrap(),
        app.post("/v1/audits")
            .json(&audit(&dataset))
            .send()
            .await
            .unwrap(),
    ] {
        let problem = expect_problem(response, 503).await;
        assert_eq!(
            problem["type"], "urn:probity:problem:unavailable",
            "{problem}"
        );
    }

    postgres.pg_ctl("start");
    wait_until(Duration::from_secs(30), || async {
        let ready = app
            .client
            .get(format!("{}/readyz", app.url))
            .send()
            .await
            .ok()?;
        (ready.status() == 200).then_some(())
    })
    .await;
    let listed: Value = app
        .get("/v1/datasets")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let started = app
        .post("/v1/audits")
        .json(&audit(&dataset))
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), 202);
    let job: Value = started.json().await.unwrap();
    let done = app.wait_for_job(job["id"].as_str().unwrap()).await;
    assert_eq!(
        done["status"], "succeeded",
        "the in-process workers run jobs again: {done}"
    );
    app.stop().await;
}
