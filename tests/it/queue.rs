//! The Postgres job queue across real worker processes: exactly-once
//! execution, recovery from a SIGKILLed worker, cancel, graceful shutdown.

use crate::common;

use std::time::Duration;

use common::{Options, TestApp, WorkerProcess, expect_problem, wait_until};
use nix::sys::signal::Signal;
use probity::jobs::kinds::CanaryPayload;
use probity::jobs::{JobPayload, JobQueue, NewJob};
use serde_json::Value;
use uuid::Uuid;

async fn enqueue_canary(app: &TestApp, duration_ms: u64) -> Uuid {
    JobQueue::new(app.pool.clone())
        .enqueue(&NewJob::new(JobPayload::Canary(CanaryPayload {
            duration_ms,
        })))
        .await
        .unwrap()
        .id
}

async fn job(app: &TestApp, id: Uuid) -> Value {
    app.get(&format!("/v1/jobs/{id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn wait_running(app: &TestApp, id: Uuid) -> Value {
    wait_until(Duration::from_secs(30), || async {
        let job = job(app, id).await;
        (job["status"] == "running").then_some(job)
    })
    .await
}

#[tokio::test]
async fn two_worker_processes_run_each_of_50_jobs_exactly_once() {
    let app = TestApp::spawn_with(Options {
        workers: 0,
        ..Options::default()
    })
    .await;
    let mut datasets = Vec::new();
    for i in 0..5 {
        let body = format!("x,y\n{i},a\n{},b\n", i + 1);
        let dataset: Value = app
            .upload_dataset(body.into_bytes(), "q.csv")
            .await
            .json()
            .await
            .unwrap();
        datasets.push(dataset["id"].as_str().unwrap().to_string());
    }
    let mut ids = Vec::new();
    for i in 0..50 {
        let created: Value = app
            .post(&format!(
                "/v1/datasets/{}/profile",
                datasets[i % datasets.len()]
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        ids.push(created["id"].as_str().unwrap().to_string());
    }
    let first = WorkerProcess::start(&app, 2);
    let second = WorkerProcess::start(&app, 2);
    for id in &ids {
        let done = app.wait_for_job(id).await;
        assert_eq!(done["status"], "succeeded", "{done}");
        assert_eq!(done["attempts"], 1);
    }
    let runs: Vec<(Uuid, i64)> =
        sqlx::query_as("SELECT job_id, count(*) FROM job_runs GROUP BY job_id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(runs.len(), 50);
    assert!(
        runs.iter().all(|(_, count)| *count == 1),
        "a job ran more than once: {runs:?}"
    );
    let processes: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT split_part(worker, ':', 2) FROM job_runs")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    let pids = [first.pid().to_string(), second.pid().to_string()];
    assert!(
        processes.iter().all(|p| pids.contains(p)),
        "{processes:?} not in {pids:?}"
    );
    drop((first, second));
    app.stop().await;
}

#[tokio::test]
async fn a_job_of_a_sigkilled_worker_is_finished_by_another_after_its_lease() {
    let app = TestApp::spawn_with(Options {
        workers: 0,
        ..Options::default()
    })
    .await;
    let id = enqueue_canary(&app, 3_000).await;
    let doomed = WorkerProcess::start(&app, 1);
    let running = wait_running(&app, id).await;
    assert!(
        running["locked_by"]
            .as_str()
            .unwrap()
            .contains(&format!(":{}:", doomed.pid()))
    );
    doomed.signal(Signal::SIGKILL);
    doomed.wait();

    let rescuer = WorkerProcess::start(&app, 1);
    let done = app.wait_for_job(&id.to_string()).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["attempts"], 2);
    let runs: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT worker, outcome FROM job_runs WHERE job_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].1.as_deref(), Some("lease_expired"));
    assert_eq!(runs[1].1.as_deref(), Some("succeeded"));
    assert!(runs[1].0.contains(&format!(":{}:", rescuer.pid())));
    app.stop().await;
}

#[tokio::test]
async fn cancel_a_queued_job_and_a_running_job() {
    let app = TestApp::spawn_with(Options {
        workers: 0,
        ..Options::default()
    })
    .await;
    let queued = enqueue_canary(&app, 60_000).await;
    let response = app
        .post(&format!("/v1/jobs/{queued}/cancel"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let cancelled: Value = response.json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    let again = expect_problem(
        app.post(&format!("/v1/jobs/{queued}/cancel"))
            .send()
            .await
            .unwrap(),
        409,
    )
    .await;
    assert!(
        again["detail"]
            .as_str()
            .unwrap()
            .contains("already finished")
    );
    expect_problem(
        app.post(&format!("/v1/jobs/{}/cancel", Uuid::new_v4()))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;

    let running = enqueue_canary(&app, 60_000).await;
    let _worker = WorkerProcess::start(&app, 1);
    wait_running(&app, running).await;
    let response = app
        .post(&format!("/v1/jobs/{running}/cancel"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let requested: Value = response.json().await.unwrap();
    assert_eq!(requested["cancel_requested"], true);
    let done = app.wait_for_job(&running.to_string()).await;
    assert_eq!(done["status"], "cancelled");
    assert!(done["progress"].as_f64().unwrap() < 1.0);

    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE resource_type = 'job' ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(actions, ["cancel", "cancel"]);
    app.stop().await;
}

#[tokio::test]
async fn sigterm_returns_a_running_job_to_the_queue_without_spending_an_attempt() {
    let app = TestApp::spawn_with(Options {
        workers: 0,
        ..Options::default()
    })
    .await;
    let id = enqueue_canary(&app, 60_000).await;
    let worker = WorkerProcess::start(&app, 1);
    wait_running(&app, id).await;
    worker.signal(Signal::SIGTERM);
    assert!(
        worker.wait().success(),
        "the worker exits cleanly on SIGTERM"
    );
    let job = job(&app, id).await;
    assert_eq!(job["status"], "queued");
    assert_eq!(job["attempts"], 0);
    assert!(job["locked_by"].is_null());
    app.stop().await;
}

#[tokio::test]
async fn progress_streams_over_server_sent_events_until_the_job_ends() {
    let app = TestApp::spawn_with(Options {
        workers: 1,
        ..Options::default()
    })
    .await;
    let id = enqueue_canary(&app, 1_500).await;
    let body = app
        .get(&format!("/v1/jobs/{id}/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(body.headers()["content-type"], "text/event-stream");
    let text = tokio::time::timeout(Duration::from_secs(30), body.text())
        .await
        .expect("stream ends")
        .unwrap();
    let events: Vec<Value> = text
        .lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .map(|data| serde_json::from_str(data).unwrap())
        .collect();
    assert!(events.len() >= 3, "{text}");
    assert_eq!(events.last().unwrap()["status"], "succeeded");
    assert!(
        events
            .iter()
            .any(|e| e["status"] == "running" && e["progress"].as_f64().unwrap() > 0.0),
        "{text}"
    );
    let progress: Vec<f64> = events
        .iter()
        .map(|e| e["progress"].as_f64().unwrap())
        .collect();
    assert!(progress.windows(2).all(|w| w[0] <= w[1]), "{progress:?}");
    app.stop().await;
}

#[tokio::test]
async fn a_worker_process_serves_its_own_health_and_metrics() {
    let app = TestApp::spawn_with(Options {
        workers: 0,
        ..Options::default()
    })
    .await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let address = format!("127.0.0.1:{port}");
    let worker = WorkerProcess::start_with(&app, 1, &["--metrics-bind", &address]);
    let id = enqueue_canary(&app, 50).await;
    assert_eq!(
        app.wait_for_job(&id.to_string()).await["status"],
        "succeeded"
    );

    let probes = reqwest::Client::new();
    let health = wait_until(Duration::from_secs(30), || async {
        probes
            .get(format!("http://{address}/healthz"))
            .send()
            .await
            .ok()
            .filter(|r| r.status() == 200)
    })
    .await;
    assert_eq!(health.json::<Value>().await.unwrap()["status"], "ok");
    assert_eq!(
        probes
            .get(format!("http://{address}/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    expect_problem(
        probes
            .get(format!("http://{address}/metrics"))
            .send()
            .await
            .unwrap(),
        401,
    )
    .await;
    let metrics = probes
        .get(format!("http://{address}/metrics"))
        .bearer_auth(&app.admin)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("probity_jobs_finished_total{kind=\"canary\",outcome=\"succeeded\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("probity_job_duration_seconds_bucket"),
        "{metrics}"
    );
    expect_problem(
        probes
            .get(format!("http://{address}/v1/datasets"))
            .bearer_auth(&app.admin)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;

    worker.signal(Signal::SIGTERM);
    assert!(
        worker.wait().success(),
        "the worker and its probes stop cleanly on SIGTERM"
    );
    app.stop().await;
}

/// With 100,000 due jobs, each claim statement reads a partial index (the
/// queued one in claim order, without sorting the backlog), and no index
/// covers a column a heartbeat writes, so heartbeats can be HOT updates.
#[tokio::test]
async fn a_claim_reads_an_index_not_the_backlog_and_heartbeats_touch_no_index() {
    let app = TestApp::spawn_with(Options {
        workers: 0,
        ..Options::default()
    })
    .await;
    sqlx::query(
        "INSERT INTO jobs (id, kind, status, payload, max_attempts, run_after, created_at)
         SELECT gen_random_uuid(), 'canary', 'queued', '{\"duration_ms\": 0}', 3,
                now() - (i || ' seconds')::interval, now() - (i || ' seconds')::interval
         FROM generate_series(1, 100000) AS i",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query("ANALYZE jobs")
        .execute(&app.pool)
        .await
        .unwrap();

    // Run the claim under EXPLAIN ANALYZE (rolled back): no step of it may touch more than a
    // few rows of the 100,000 in the backlog.
    let mut transaction = app.pool.begin().await.unwrap();
    let explain = format!(
        "EXPLAIN (ANALYZE, FORMAT JSON) {}",
        probity::jobs::queue::claim_statement()
    );
    let plan: Value = sqlx::query_scalar(sqlx::AssertSqlSafe(explain))
        .bind("probe")
        .bind(1000i64)
        .bind(vec!["canary".to_string()])
        .fetch_one(&mut *transaction)
        .await
        .unwrap();
    transaction.rollback().await.unwrap();
    fn most_rows(node: &Value) -> f64 {
        let own = node["Actual Rows"].as_f64().unwrap_or(0.0)
            * node["Actual Loops"].as_f64().unwrap_or(1.0)
            + node["Rows Removed by Filter"].as_f64().unwrap_or(0.0);
        node["Plans"]
            .as_array()
            .into_iter()
            .flatten()
            .map(most_rows)
            .fold(own, f64::max)
    }
    let text = plan.to_string();
    assert!(
        !text.contains("\"Seq Scan\""),
        "a claim scans the table: {text}"
    );
    assert!(text.contains("jobs_claimable"), "{text}");
    assert!(most_rows(&plan[0]["Plan"]) <= 10.0, "{text}");

    let oldest: Uuid = sqlx::query_scalar("SELECT id FROM jobs ORDER BY run_after LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let claimed = JobQueue::new(app.pool.clone())
        .claim("probe", &["canary"], Duration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.id, oldest, "the earliest due job comes first");

    let heartbeat_columns = [
        "lease_expires_at",
        "progress",
        "progress_message",
        "updated_at",
    ];
    let indexed: Vec<String> = sqlx::query_scalar(
        "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'jobs'::regclass",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    for definition in &indexed {
        for column in heartbeat_columns {
            assert!(!definition.contains(column), "{definition} covers {column}");
        }
    }
    let options: Vec<String> =
        sqlx::query_scalar("SELECT unnest(reloptions) FROM pg_class WHERE relname = 'jobs'")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert!(
        options.contains(&"fillfactor=70".to_string()),
        "{options:?}"
    );
    app.stop().await;
}
