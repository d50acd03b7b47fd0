//! Continuous monitoring through the API: decisions and late labels into a
//! monitor's windows, idempotently and all-or-nothing; windows equal to a
//! one-off audit of the same records; a drift in one group's false positive
//! rate that raises exactly one alert, with signed evidence, delivered to a
//! webhook that fails twice first; and a history file replayed into a second
//! monitor giving the same windows and alert.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};

use crate::common::{Options, TestApp, expect_problem};
use probity_audit::report::canonical_sha256;
use probity_audit::signing::{ReportSignature, ReportSigner};

/// One decision of the generated streams.
struct Decision {
    id: String,
    at: DateTime<Utc>,
    sex: &'static str,
    prediction: u8,
    label: u8,
}

impl Decision {
    fn line(&self, with_label: bool) -> String {
        let mut line = json!({
            "record_id": self.id,
            "timestamp": self.at.to_rfc3339(),
            "features": { "sex": self.sex },
            "prediction": self.prediction,
        });
        if with_label {
            line["label"] = json!(self.label);
        }
        line.to_string()
    }
}

fn day(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap() + Duration::days(n)
}

/// `per_group` decisions a day for groups F and M over `days` days: a fifth
/// labelled negative, positives selected at 0.7; false positive rate 0.1,
/// except M's from `drift_day` on (0.5).
fn decisions(days: i64, per_group: usize, drift_day: Option<i64>, seed: u64) -> Vec<Decision> {
    // splitmix64: uniform draws in [0, 1), the same for the same seed.
    let mut state = seed;
    let mut uniform = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) as f64 / 2f64.powi(64)
    };
    let mut out = Vec::new();
    for d in 0..days {
        for sex in ["F", "M"] {
            let fpr = match drift_day {
                Some(from) if sex == "M" && d >= from => 0.5,
                _ => 0.1,
            };
            for i in 0..per_group {
                let label = u8::from(i % 5 != 0);
                let p_select = if label == 1 { 0.7 } else { fpr };
                out.push(Decision {
                    id: format!("{sex}-{d}-{i}"),
                    at: day(d) + Duration::seconds((i as i64 * 137) % 86_000),
                    sex,
                    prediction: u8::from(uniform() < p_select),
                    label,
                });
            }
        }
    }
    out
}

async fn create_monitor(app: &TestApp, extra: Value) -> String {
    let mut body = json!({
        "name": "loan approvals",
        "sensitive_features": ["sex"],
        "positive_label": 1,
        "window": "day",
        "figures": { "resamples": 50, "min_group_size": 10 },
    });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let response = app.post("/v1/monitors").json(&body).send().await.unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let monitor: Value = response.json().await.unwrap();
    assert_eq!(
        location,
        format!("/v1/monitors/{}", monitor["id"].as_str().unwrap())
    );
    monitor["id"].as_str().unwrap().to_string()
}

async fn send(app: &TestApp, monitor: &str, what: &str, body: String) -> reqwest::Response {
    app.post(&format!("/v1/monitors/{monitor}/{what}"))
        .header("content-type", "application/x-ndjson")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn sent(app: &TestApp, monitor: &str, what: &str, body: String) -> Value {
    let response = send(app, monitor, what, body).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn windows(app: &TestApp, monitor: &str) -> Vec<Value> {
    let response = app
        .get(&format!("/v1/monitors/{monitor}/windows"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn group<'a>(window: &'a Value, sex: &str) -> &'a Value {
    window["features"][0]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == sex)
        .unwrap()
}

#[tokio::test]
async fn decisions_and_late_labels_fill_windows_idempotently_and_all_or_nothing() {
    let app = TestApp::spawn().await;
    let monitor = create_monitor(&app, json!({ "label_retention_days": 3 })).await;
    let stream = decisions(2, 40, None, 1);
    // Day 0 arrives without labels, day 1 with them.
    let body: String = stream
        .iter()
        .map(|d| d.line(d.at >= day(1)) + "\n")
        .collect();
    let first = sent(&app, &monitor, "records", body.clone()).await;
    assert_eq!(
        (first["accepted"].as_u64(), first["duplicates"].as_u64()),
        (Some(160), Some(0))
    );
    assert_eq!(first["windows"].as_array().unwrap().len(), 2);
    let again = sent(&app, &monitor, "records", body).await;
    assert_eq!(
        (again["accepted"].as_u64(), again["duplicates"].as_u64()),
        (Some(0), Some(160))
    );

    let before = windows(&app, &monitor).await;
    assert_eq!(before.len(), 2);
    assert_eq!(before[0]["records"], 80);
    assert_eq!(before[0]["label_coverage"], 0.0);
    assert_eq!(
        group(&before[0], "F")["false_positive_rate"]["value"],
        Value::Null
    );
    assert_eq!(before[1]["label_coverage"], 1.0);
    let selected_f = stream
        .iter()
        .filter(|d| d.at < day(1) && d.sex == "F" && d.prediction == 1)
        .count();
    assert_eq!(
        group(&before[0], "F")["selection_rate"]["value"]
            .as_f64()
            .unwrap(),
        selected_f as f64 / 40.0
    );

    // A bad line (3rd) or an unknown record stores nothing.
    let labels: Vec<String> = stream
        .iter()
        .filter(|d| d.at < day(1))
        .map(|d| json!({ "record_id": d.id, "label": d.label }).to_string())
        .collect();
    let mut bad = labels[..2].to_vec();
    bad.push(json!({ "record_id": "nobody", "label": 1 }).to_string());
    let problem = expect_problem(send(&app, &monitor, "labels", bad.join("\n")).await, 422).await;
    assert_eq!(problem["location"]["line"], 3, "{problem}");
    assert_eq!(problem["location"]["field"], "record_id");
    let mut bad = labels[..2].to_vec();
    bad.push(r#"{"record_id": "F-0-0", "label": {"secret": "078-05-1120"}}"#.into());
    let problem = expect_problem(send(&app, &monitor, "labels", bad.join("\n")).await, 422).await;
    assert_eq!(
        (
            problem["location"]["line"].as_u64(),
            problem["location"]["field"].as_str()
        ),
        (Some(3), Some("label"))
    );
    assert!(
        !problem.to_string().contains("078-05"),
        "a cell value in an error: {problem}"
    );
    let bad_records = format!(
        "{}\n{}\n",
        stream[0].line(true).replace("F-0-0", "new-1"),
        r#"{"record_id": "new-2", "timestamp": "2026-03-01T10:00:00Z", "features": {"sex": "F"}, "score": 7}"#
    );
    let problem = expect_problem(send(&app, &monitor, "records", bad_records).await, 422).await;
    assert_eq!(
        (
            problem["location"]["line"].as_u64(),
            problem["location"]["field"].as_str()
        ),
        (Some(2), Some("score"))
    );
    assert_eq!(
        windows(&app, &monitor).await,
        before,
        "a refused request changed the windows"
    );

    // The late labels complete day 0; sent twice, they count once.
    let labelled = sent(&app, &monitor, "labels", labels.join("\n")).await;
    assert_eq!(labelled["accepted"], 80);
    let repeated = sent(&app, &monitor, "labels", labels.join("\n")).await;
    assert_eq!(
        (
            repeated["accepted"].as_u64(),
            repeated["duplicates"].as_u64()
        ),
        (Some(0), Some(80))
    );
    let after = windows(&app, &monitor).await;
    assert_eq!(after[0]["label_coverage"], 1.0);
    assert_eq!(after[1], before[1], "labels of day 0 changed day 1");
    let negatives_f: Vec<&Decision> = stream
        .iter()
        .filter(|d| d.at < day(1) && d.sex == "F" && d.label == 0)
        .collect();
    let fpr_f =
        negatives_f.iter().filter(|d| d.prediction == 1).count() as f64 / negatives_f.len() as f64;
    assert_eq!(
        group(&after[0], "F")["false_positive_rate"]["value"]
            .as_f64()
            .unwrap(),
        fpr_f
    );
    for check in after[0]["features"][0]["checks"].as_array().unwrap() {
        assert!(["pass", "fail", "inconclusive"].contains(&check["outcome"].as_str().unwrap()));
    }

    // Ten days on, day 0 is past the 3-day label window: its records are refused, its counts stay.
    let later = decisions(1, 5, None, 2)
        .into_iter()
        .map(|mut d| {
            d.id = format!("late-{}", d.id);
            d.at += Duration::days(10);
            d.line(true) + "\n"
        })
        .collect::<String>();
    sent(&app, &monitor, "records", later).await;
    let problem = expect_problem(
        send(
            &app,
            &monitor,
            "records",
            stream[0].line(true).replace("F-0-0", "F-0-new"),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(problem["location"]["field"], "timestamp");
    let problem = expect_problem(
        send(
            &app,
            &monitor,
            "labels",
            json!({ "record_id": "F-0-1", "label": 1 }).to_string(),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        problem["location"]["field"], "record_id",
        "day 0's records are forgotten"
    );
    assert_eq!(
        windows(&app, &monitor).await[0],
        after[0],
        "day 0's counts stay"
    );
    assert_eq!(
        app.count("monitor_records").await,
        10,
        "only the newest day's records are kept"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_window_equals_a_one_off_audit_of_the_same_records() {
    let app = TestApp::spawn().await;
    let monitor = create_monitor(&app, json!({})).await;
    let stream = decisions(1, 300, None, 9);
    sent(
        &app,
        &monitor,
        "records",
        stream.iter().map(|d| d.line(true) + "\n").collect(),
    )
    .await;
    let mut csv = String::from("sex,label,prediction\n");
    for d in &stream {
        csv.push_str(&format!("{},{},{}\n", d.sex, d.label, d.prediction));
    }
    let dataset = app.dataset(csv.into_bytes(), "window.csv").await;
    let job = app
        .run_job(
            "/v1/audits",
            &json!({
                "dataset_id": dataset["id"],
                "label_column": "label",
                "prediction_column": "prediction",
                "positive_label": 1,
                "sensitive_features": ["sex"],
                "checks": { "fairness": { "bootstrap": { "resamples": 0 } } },
            }),
        )
        .await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let report = app.report_body(&job).await;
    let grouping = &report["fairness"]["groupings"][0];
    let window = &windows(&app, &monitor).await[0];
    for sex in ["F", "M"] {
        let audited = grouping["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["group"][0] == sex)
            .unwrap();
        let monitored = group(window, sex);
        for rate in [
            "selection_rate",
            "true_positive_rate",
            "false_positive_rate",
        ] {
            assert_eq!(
                monitored[rate]["value"].as_f64().unwrap(),
                audited["rates"][rate].as_f64().unwrap(),
                "{sex} {rate}"
            );
        }
    }
    let aggregates = &grouping["aggregates"];
    for (figure, audited) in [
        (
            "demographic_parity_difference",
            &aggregates["demographic_parity_difference"]["between_groups"],
        ),
        (
            "equalized_odds_difference",
            &aggregates["equalized_odds_difference"]["worst_case"]["between_groups"],
        ),
    ] {
        let audited = audited["value"].as_f64().unwrap();
        let monitored = window["features"][0][figure]["value"].as_f64().unwrap();
        assert!(
            (audited - monitored).abs() < 1e-12,
            "{figure}: {audited} vs {monitored}"
        );
    }
    app.stop().await;
}

/// What a webhook receiver saw: each delivery's signature and alert id headers and body.
type Deliveries = Arc<Mutex<Vec<(String, String, Vec<u8>)>>>;

/// A webhook receiver that answers 500 to its first `failures` deliveries.
async fn receiver(failures: usize) -> (String, Deliveries) {
    let seen: Deliveries = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let log = log.clone();
                async move {
                    let mut log = log.lock().unwrap();
                    let header = |name: &str| {
                        headers
                            .get(name)
                            .map(|v| v.to_str().unwrap().to_string())
                            .unwrap_or_default()
                    };
                    log.push((
                        header("probity-signature"),
                        header("probity-alert-id"),
                        body.to_vec(),
                    ));
                    if log.len() <= failures {
                        axum::http::StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        axum::http::StatusCode::NO_CONTENT
                    }
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

#[tokio::test]
async fn a_false_positive_rate_drift_raises_one_signed_alert_delivered_by_webhook_and_a_replay_raises_the_same()
 {
    let signer = ReportSigner::generate();
    let app = TestApp::spawn_with(Options {
        signer: Some(signer),
        ..Options::default()
    })
    .await;
    let (url, deliveries) = receiver(2).await;
    let secret = "a-shared-secret-of-32-characters";
    let live = create_monitor(&app, json!({ "webhook": { "url": url, "secret": secret } })).await;
    let stream = decisions(40, 300, Some(10), 4);
    let mut fired_on = Vec::new();
    for d in 0..40 {
        let body: String = stream
            .iter()
            .filter(|r| r.at >= day(d) && r.at < day(d + 1))
            .map(|r| r.line(true) + "\n")
            .collect();
        let outcome = sent(&app, &live, "records", body).await;
        if !outcome["alerts"].as_array().unwrap().is_empty() {
            fired_on.push(d);
        }
    }
    assert_eq!(fired_on.len(), 1, "alerts on days {fired_on:?}");
    assert!(
        fired_on[0] >= 10,
        "an alert before the drift (day {})",
        fired_on[0]
    );
    let alerts: Vec<Value> = app
        .get(&format!("/v1/monitors/{live}/alerts"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(alerts.len(), 1);
    let alert = &alerts[0];
    assert_eq!(
        (alert["feature"].as_str(), alert["rate"].as_str()),
        (Some("sex"), Some("false_positive_rate"))
    );
    assert_eq!(alert["evidence"]["alert"]["groups"], json!(["M", "F"]));
    assert!(alert["evidence"]["alert"]["lower_bound"].as_f64().unwrap() > 0.1);
    let sha256 = canonical_sha256(&alert["evidence"]);
    assert_eq!(alert["evidence_sha256"], sha256.as_str());
    let signature: ReportSignature = serde_json::from_value(alert["signature"].clone()).unwrap();
    assert_eq!(
        probity_audit::signing::verify(&signature, &sha256),
        Ok(true)
    );
    let window_start: DateTime<Utc> =
        serde_json::from_value(alert["window_start"].clone()).unwrap();
    assert_eq!(window_start, day(fired_on[0]));

    // The webhook job retries through two 500s, then delivers, signed.
    let jobs: Value = app
        .get("/v1/jobs?kind=webhook")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let job = app
        .wait_for_job(jobs["items"][0]["id"].as_str().unwrap())
        .await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["attempts"], 3);
    let deliveries = deliveries.lock().unwrap().clone();
    assert_eq!(deliveries.len(), 3);
    let (header, alert_id, body) = &deliveries[2];
    assert_eq!(alert_id, alert["id"].as_str().unwrap());
    let timestamp: i64 = header
        .strip_prefix("t=")
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        header,
        &probity::jobs::kinds::webhook::signature(secret, timestamp, body),
        "the signature is HMAC-SHA256 of `t.body`"
    );
    let delivered: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(delivered["id"], alert["id"]);

    // The same records as a CSV history file, into a new monitor: the same windows and the same alert.
    let mut csv = String::from("record_id,timestamp,sex,prediction,label\n");
    for r in &stream {
        csv.push_str(&format!(
            "{},{},{},{},{}\n",
            r.id,
            r.at.to_rfc3339(),
            r.sex,
            r.prediction,
            r.label
        ));
    }
    let replay = create_monitor(&app, json!({})).await;
    let upload = |bytes: Vec<u8>| {
        app.post(&format!("/v1/monitors/{replay}/records"))
            .multipart(reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("history.csv"),
            ))
            .send()
    };
    let response = upload(csv.clone().into_bytes()).await.unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let outcome: Value = response.json().await.unwrap();
    assert_eq!(outcome["accepted"], stream.len());
    assert_eq!(outcome["alerts"].as_array().unwrap().len(), 1);
    let replayed = &outcome["alerts"][0];
    assert_eq!(replayed["window_start"], alert["window_start"]);
    assert_eq!(replayed["evidence"]["alert"], alert["evidence"]["alert"]);
    assert_eq!(replayed["evidence"]["counts"], alert["evidence"]["counts"]);
    assert_eq!(windows(&app, &replay).await, windows(&app, &live).await);
    let again: Value = upload(csv.into_bytes())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            again["accepted"].as_u64(),
            again["alerts"].as_array().map(Vec::len)
        ),
        (Some(0), Some(0))
    );
    app.stop().await;
}

#[tokio::test]
async fn an_id_sent_as_a_feature_is_refused_at_the_first_value_past_max_groups() {
    let app = TestApp::spawn().await;
    let monitor = create_monitor(&app, json!({ "max_groups": 3 })).await;
    let line = |id: usize, sex: &str| {
        json!({
            "record_id": format!("r{id}"),
            "timestamp": "2026-03-01T10:00:00Z",
            "features": { "sex": sex },
            "prediction": 1,
        })
        .to_string()
    };
    sent(
        &app,
        &monitor,
        "records",
        [line(1, "F"), line(2, "M")].join("\n"),
    )
    .await;
    let body = [line(3, "X"), line(4, "F"), line(5, "customer-4711")].join("\n");
    let problem = expect_problem(send(&app, &monitor, "records", body).await, 422).await;
    assert_eq!(problem["location"]["line"], 3, "{problem}");
    assert_eq!(problem["location"]["field"], "features.sex");
    assert!(!problem.to_string().contains("4711"));
    assert_eq!(
        app.count("monitor_records").await,
        2,
        "nothing of the refused request is kept"
    );
    let problem = expect_problem(
        app.post("/v1/monitors")
            .json(
                &json!({ "name": "x", "sensitive_features": ["sex"], "positive_label": 1,
                           "window": "day", "max_groups": 1 }),
            )
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(problem["location"]["field"], "max_groups");
    app.stop().await;
}

#[tokio::test]
async fn a_history_file_that_is_not_a_table_of_decisions_is_refused_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let monitor = create_monitor(&app, json!({})).await;
    let upload = |bytes: &[u8], name: &str| {
        app.post(&format!("/v1/monitors/{monitor}/records"))
            .multipart(reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
            ))
            .send()
    };
    // Not a table at all.
    let problem = expect_problem(
        upload(b"\x00\x01PK\x03\x04 not a table", "x.csv")
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(problem["location"]["field"], "file", "{problem}");
    // A table whose second row lacks its sensitive value; the cell values never come back.
    let csv = b"record_id,timestamp,sex,prediction\nr1,2026-03-01T10:00:00Z,F,1\nr2,2026-03-01T11:00:00Z,,1\n";
    let problem = expect_problem(upload(csv, "h.csv").await.unwrap(), 422).await;
    assert_eq!(
        (
            problem["location"]["line"].as_u64(),
            problem["location"]["field"].as_str()
        ),
        (Some(2), Some("features.sex"))
    );
    let csv = b"record_id,timestamp,sex,prediction,ssn\nr1,2026-03-01T10:00:00Z,F,1,078-05-1120\n";
    let problem = expect_problem(upload(csv, "h.csv").await.unwrap(), 422).await;
    assert_eq!(problem["location"]["field"], "ssn");
    assert!(!problem.to_string().contains("078-05"), "{problem}");
    assert_eq!(app.count("monitor_records").await, 0);
    assert_eq!(app.count("monitor_counts").await, 0);
    app.stop().await;
}

/// A webhook may not point the service at its own network: with no
/// `PROBITY_WEBHOOK_URLS`, a URL whose host is or resolves to a loopback,
/// private or link-local address is refused when the monitor is created
/// (422 naming `webhook.url`), and nothing is stored; a listed prefix allows
/// exactly the URLs under it.
#[tokio::test]
async fn a_webhook_to_an_internal_address_is_refused_unless_listed() {
    let app = TestApp::spawn_with(Options {
        webhook_urls: vec![],
        ..Options::default()
    })
    .await;
    let body = |url: &str| {
        json!({ "name": "x", "sensitive_features": ["sex"], "positive_label": 1, "window": "day",
                "webhook": { "url": url, "secret": "0123456789abcdef" } })
    };
    for url in [
        "http://127.0.0.1:9/hook",
        "http://localhost:9/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.7/hook",
        "http://[::1]:9/hook",
    ] {
        let response = app
            .post("/v1/monitors")
            .json(&body(url))
            .send()
            .await
            .unwrap();
        let problem = expect_problem(response, 422).await;
        assert_eq!(
            problem["location"]["field"], "webhook.url",
            "{url}: {problem}"
        );
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("PROBITY_WEBHOOK_URLS"),
            "{problem}"
        );
    }
    let listed: Value = app
        .get("/v1/monitors")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(0),
        "{listed}"
    );
    app.stop().await;

    let app = TestApp::spawn_with(Options {
        webhook_urls: vec!["http://127.0.0.1:9/".to_string()],
        ..Options::default()
    })
    .await;
    let response = app
        .post("/v1/monitors")
        .json(&body("http://127.0.0.1:9/hook"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let response = app
        .post("/v1/monitors")
        .json(&body("http://127.0.0.1:10/hook"))
        .send()
        .await
        .unwrap();
    let problem = expect_problem(response, 422).await;
    assert_eq!(problem["location"]["field"], "webhook.url");
    app.stop().await;
}
