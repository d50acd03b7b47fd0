//! Access under load: per-key request rates, floods of bad tokens, and
//! event streams that are capped per key and end when their key is revoked
//! or the server stops.

use std::time::{Duration, Instant};

use futures::StreamExt;

use crate::common;

use common::{Options, TestApp, expect_problem};
use probity::jobs::kinds::CanaryPayload;
use probity::jobs::{JobPayload, JobQueue, NewJob};
use probity::store::keys::{self, Role};

#[tokio::test]
async fn a_key_over_its_rate_gets_429_and_other_keys_do_not() {
    let app = TestApp::spawn_with(Options {
        rate_limit_per_second: 5,
        ..Options::default()
    })
    .await;
    let busy = app.key(Role::Viewer).await;
    let mut limited = None;
    for _ in 0..40 {
        let response = app.get_as(&busy, "/v1/datasets").send().await.unwrap();
        if response.status() == 429 {
            limited = Some(response);
            break;
        }
        assert_eq!(response.status(), 200);
    }
    let limited = limited.expect("the rate limit never answered 429");
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    let problem = expect_problem(limited, 429).await;
    assert_eq!(problem["type"], "urn:probity:problem:rate-limited");
    let calm = app.key(Role::Viewer).await;
    let other = app.get_as(&calm, "/v1/datasets").send().await.unwrap();
    assert_eq!(other.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn a_flood_of_bad_tokens_leaves_an_authenticated_client_fast() {
    let app = TestApp::spawn().await;
    let flood = futures::stream::iter(0..2_000)
        .map(|i| {
            let request = app
                .client
                .get(format!("{}/v1/datasets", app.url))
                .bearer_auth(format!("prb_bad-{i}-{}", "x".repeat(i % 300)));
            async move { request.send().await.map(|r| r.status().as_u16()) }
        })
        .buffer_unordered(64)
        .collect::<Vec<_>>();
    let client = async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let mut slowest = Duration::ZERO;
        for _ in 0..20 {
            let started = Instant::now();
            let response = app.get("/v1/datasets").send().await.unwrap();
            assert_eq!(response.status(), 200);
            slowest = slowest.max(started.elapsed());
        }
        slowest
    };
    let (statuses, slowest) = tokio::join!(flood, client);
    assert!(
        statuses.iter().all(|s| matches!(s, Ok(401))),
        "every bad token is a 401"
    );
    assert!(
        slowest < Duration::from_secs(1),
        "slowest authenticated request {slowest:?}"
    );
    app.stop().await;
}

/// Opens the event stream of `job` with `token`.
async fn events(app: &TestApp, job: uuid::Uuid, token: &str) -> reqwest::Response {
    app.get_as(token, &format!("/v1/jobs/{job}/events"))
        .send()
        .await
        .unwrap()
}

/// Reads a stream to its end; `None` when it is still open after `limit`.
async fn ends_within(response: reqwest::Response, limit: Duration) -> Option<()> {
    let mut body = response.bytes_stream();
    tokio::time::timeout(limit, async { while body.next().await.is_some() {} })
        .await
        .ok()
}

#[tokio::test]
async fn event_streams_are_capped_per_key_and_end_with_the_key_and_the_server() {
    let app = TestApp::spawn().await;
    let job = JobQueue::new(app.pool.clone())
        .enqueue(&NewJob::new(JobPayload::Canary(CanaryPayload {
            duration_ms: 120_000,
        })))
        .await
        .unwrap()
        .id;
    let created = keys::create_key(&app.pool, "dashboard", Role::Viewer)
        .await
        .unwrap();
    let mut open = Vec::new();
    for _ in 0..8 {
        let response = events(&app, job, &created.token).await;
        assert_eq!(response.status(), 200);
        open.push(response);
    }
    let refused = events(&app, job, &created.token).await;
    expect_problem(refused, 429).await;
    // Another key still gets a stream.
    let admin_stream = events(&app, job, &app.admin).await;
    assert_eq!(admin_stream.status(), 200);

    keys::revoke_key(&app.pool, created.key.id).await.unwrap();
    for response in open {
        assert!(
            ends_within(response, Duration::from_secs(5))
                .await
                .is_some(),
            "a stream outlived its key's revocation"
        );
    }
    let started = Instant::now();
    let (ended, ()) = tokio::join!(
        ends_within(admin_stream, Duration::from_secs(20)),
        app.stop()
    );
    assert!(ended.is_some(), "a stream outlived the server");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[tokio::test]
async fn a_metrics_key_scrapes_metrics_and_reads_nothing_else() {
    let app = TestApp::spawn().await;
    let scraper = app.key(Role::Metrics).await;
    let metrics = app.get_as(&scraper, "/metrics").send().await.unwrap();
    assert_eq!(metrics.status(), 200);
    assert!(
        metrics.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    for path in ["/v1/datasets", "/v1/reports", "/v1/jobs", "/v1/models"] {
        let problem = expect_problem(app.get_as(&scraper, path).send().await.unwrap(), 403).await;
        assert!(
            problem["detail"].as_str().unwrap().contains("viewer"),
            "{path}: {problem}"
        );
    }
    // Created over the API too.
    let created = app
        .post("/v1/keys")
        .json(&serde_json::json!({ "name": "prometheus", "role": "metrics" }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
    app.stop().await;
}
