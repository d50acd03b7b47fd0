//! Reports for people and dashboards, through the real server: HTML and
//! Markdown renderings, comparison, integrity (hash + Ed25519 signature,
//! checked independently with the openssl CLI), Prometheus gauges and the
//! Grafana dashboard that reads them.

use crate::common;

use std::process::Command;

use common::{Options, TestApp, expect_problem, traced_linear_model};
use probity_audit::report::{AuditReport, canonical_sha256};
use probity_audit::signing::ReportSigner;
use serde_json::{Value, json};

/// A group value that must come out escaped wherever it is shown.
const HOSTILE_GROUP: &str = "<b>x</b>&";

/// 900 rows: scores that favour `sex = M`, three race groups (one named
/// [`HOSTILE_GROUP`]), a feature column for a model, and planted emails.
fn biased_csv() -> (String, Vec<String>) {
    let mut state: u64 = 42;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as f64 / (1u64 << 31) as f64
    };
    let mut csv = String::from("id,sex,race,x,label,score,contact\n");
    let mut emails = Vec::new();
    for i in 0..900 {
        let sex = if i % 2 == 0 { "F" } else { "M" };
        let race = ["A", "B", HOSTILE_GROUP][i % 3];
        let label = u8::from(next() < 0.45);
        let bias = if sex == "M" { 0.25 } else { 0.0 };
        let score = (0.15 + 0.4 * f64::from(label) + bias + 0.2 * next()).min(1.0);
        let email = format!("person{i}.secret@example.org");
        let race = if race.contains(',') || race.contains('"') {
            format!("\"{race}\"")
        } else {
            race.to_string()
        };
        csv.push_str(&format!(
            "{i},{sex},{race},{:.3},{label},{score:.4},{email}\n",
            next()
        ));
        emails.push(email);
    }
    (csv, emails)
}

async fn audit(app: &TestApp, body: Value) -> Value {
    let response = app.post("/v1/audits").json(&body).send().await.unwrap();
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    let job: Value = response.json().await.unwrap();
    let done = app.wait_for_job(job["id"].as_str().unwrap()).await;
    app.report(&done).await
}

fn audit_request(dataset: &Value, policy: Value) -> Value {
    json!({
        "dataset_id": dataset["id"],
        "label_column": "label",
        "score_column": "score",
        "threshold": 0.5,
        "positive_label": 1,
        "sensitive_features": ["sex", "race"],
        "checks": {"fairness": {"bootstrap": {"resamples": 300, "seed": 7}}, "pii": {"columns": ["contact"]}},
        "policy": policy,
    })
}

fn openssl(args: &[&str]) -> std::process::Output {
    Command::new("openssl")
        .args(args)
        .output()
        .expect("the openssl CLI runs")
}

#[tokio::test]
async fn reports_render_compare_verify_and_feed_metrics() {
    // An Ed25519 key made by openssl, not by Probity: the PKCS#8 PEM interoperates.
    let keys = tempfile::tempdir().unwrap();
    let key_path = keys.path().join("signing.pem");
    let made = openssl(&[
        "genpkey",
        "-algorithm",
        "ed25519",
        "-out",
        key_path.to_str().unwrap(),
    ]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let signer = ReportSigner::from_pem_file(&key_path).unwrap();
    let app = TestApp::spawn_with(Options {
        signer: Some(signer),
        ..Options::default()
    })
    .await;

    let (csv, emails) = biased_csv();
    let dataset: Value = app
        .upload_dataset(csv.into_bytes(), "biased.csv")
        .await
        .json()
        .await
        .unwrap();
    let lenient = json!({"demographic_parity_difference_max": 0.9, "demographic_parity_ratio_min": 0.0, "equalized_odds_difference_max": 0.9});
    let strict = json!({"demographic_parity_difference_max": 0.01, "demographic_parity_ratio_min": 0.99, "equalized_odds_difference_max": 0.01});
    let base = audit(&app, audit_request(&dataset, lenient)).await;
    let head = audit(&app, audit_request(&dataset, strict)).await;
    let (base_id, head_id) = (base["id"].as_str().unwrap(), head["id"].as_str().unwrap());
    assert_eq!(head["verdict"], "fail");

    // The stored body reads back as the typed report and writes out to the same canonical JSON.
    let typed: AuditReport = serde_json::from_value(base["body"].clone()).unwrap();
    assert_eq!(
        canonical_sha256(&serde_json::to_value(&typed).unwrap()),
        base["sha256"]
    );
    // Per-group rate intervals come from the bootstrap and cover the rates.
    let sex = &base["body"]["fairness"]["groupings"][0];
    for group in sex["groups"].as_array().unwrap() {
        for rate in [
            "selection_rate",
            "true_positive_rate",
            "false_positive_rate",
        ] {
            let [low, high] = [0, 1].map(|i| group["rate_intervals"][rate][i].as_f64().unwrap());
            let value = group["rates"][rate].as_f64().unwrap();
            assert!(
                low <= value && value <= high,
                "{rate} {value} not in [{low}, {high}]"
            );
        }
    }

    // HTML: self-contained, escaped, with the charts and the same figures as the JSON.
    let response = app
        .get(&format!("/v1/reports/{base_id}?format=html"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/html; charset=utf-8"
    );
    assert!(
        response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("default-src 'none'")
    );
    let html = response.text().await.unwrap();
    for forbidden in [
        "<script",
        "<link",
        "src=\"http",
        "href=\"http",
        "url(http",
        "@import",
    ] {
        assert!(
            !html.contains(forbidden),
            "the page must not load anything: found {forbidden}"
        );
    }
    assert!(
        html.matches("<svg").count() >= 5,
        "rates per grouping (3), threshold sweeps (3), PII columns"
    );
    assert!(
        !html.contains(HOSTILE_GROUP),
        "a group value reached the page unescaped"
    );
    assert!(html.contains("&lt;b&gt;x&lt;/b&gt;&amp;"));
    let dpd = &sex["aggregates"]["demographic_parity_difference"]["between_groups"];
    let dpd_text = format!("{:.4}", dpd["value"].as_f64().unwrap());
    assert!(
        html.contains(&dpd_text),
        "DPD {dpd_text} missing from the page"
    );
    assert!(
        html.contains(
            base["body"]["inputs"]["dataset"]["sha256"]
                .as_str()
                .unwrap()
        )
    );
    assert!(html.contains(base["sha256"].as_str().unwrap()));
    assert!(html.contains("Threshold sweep") && html.contains("Personal data (PII)"));
    assert!(
        html.contains("p***@e***.org"),
        "redacted examples are shown"
    );
    let artifacts = std::path::Path::new(
        &std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into()),
    )
    .join("artifacts/reports");
    std::fs::create_dir_all(&artifacts).unwrap();
    std::fs::write(artifacts.join("report.html"), &html).unwrap();
    // The same page by `Accept` and by the `.html` alias; JSON by default.
    let negotiated = app
        .get(&format!("/v1/reports/{base_id}"))
        .header("accept", "text/html,application/xhtml+xml;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(negotiated.headers()["vary"], "accept");
    assert_eq!(negotiated.text().await.unwrap(), html);
    let alias = app
        .get(&format!("/v1/reports/{base_id}.html"))
        .send()
        .await
        .unwrap();
    assert_eq!(alias.text().await.unwrap(), html);
    let json = app
        .get(&format!("/v1/reports/{base_id}"))
        .header("accept", "*/*")
        .send()
        .await
        .unwrap();
    assert_eq!(json.headers()["content-type"], "application/json");
    expect_problem(
        app.get(&format!("/v1/reports/{base_id}?format=pdf"))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;

    // Markdown: the same figures, tables, no charts.
    let response = app
        .get(&format!("/v1/reports/{head_id}"))
        .header("accept", "text/markdown")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/markdown; charset=utf-8"
    );
    let markdown = response.text().await.unwrap();
    assert!(markdown.starts_with(&format!("# Audit report {head_id}")));
    assert!(markdown.contains("**Verdict: FAIL**"));
    assert!(markdown.contains(&dpd_text));
    assert!(
        markdown.contains("\\<b\\>x\\</b\\>&"),
        "markup in values is escaped"
    );
    assert!(!markdown.contains("<svg"));
    std::fs::write(artifacts.join("report.md"), &markdown).unwrap();
    let alias = app
        .get(&format!("/v1/reports/{head_id}.md"))
        .send()
        .await
        .unwrap();
    assert_eq!(alias.text().await.unwrap(), markdown);
    let by_query = app
        .get(&format!("/v1/reports/{head_id}?format=markdown"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(
        by_query.text().await.unwrap(),
        markdown,
        "format wins over Accept"
    );
    for email in &emails {
        assert!(
            !html.contains(email.as_str()) && !markdown.contains(email.as_str()),
            "raw PII in a rendering"
        );
    }
    expect_problem(
        app.get("/v1/reports/not-a-uuid.html").send().await.unwrap(),
        422,
    )
    .await;
    expect_problem(
        app.get(&format!("/v1/reports/{}.md", uuid::Uuid::new_v4()))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;

    // Compare: same data and figures, stricter policy: the verdict flips, no figure moves.
    let comparison: Value = app
        .get(&format!(
            "/v1/reports/compare?base={base_id}&head={head_id}"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(comparison["base"]["id"], base_id);
    assert_eq!(
        comparison["verdict_flipped"],
        base["verdict"] != head["verdict"]
    );
    assert_eq!(
        (
            comparison["same_dataset"].clone(),
            comparison["same_policy"].clone()
        ),
        (json!(true), json!(false))
    );
    let figures = comparison["figures"].as_array().unwrap();
    assert!(
        figures.len() >= 3 * 6 + 3,
        "six figures for sex, race, sex+race, plus overall and PII"
    );
    for figure in figures {
        assert_eq!(figure["base"], figure["head"], "{figure}");
        assert!(
            figure["change"].is_null() || figure["change"] == 0.0,
            "{figure}"
        );
    }
    let dpd_sex = figures
        .iter()
        .find(|f| f["grouping"] == "sex" && f["figure"] == "demographic_parity_difference")
        .unwrap();
    assert_eq!(dpd_sex["base"], dpd["value"]);
    let flipped = comparison["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "sex: demographic_parity_difference")
        .unwrap();
    assert_eq!(
        (
            flipped["base"].clone(),
            flipped["head"].clone(),
            flipped["flipped"].clone()
        ),
        (json!("pass"), json!("fail"), json!(true))
    );
    expect_problem(
        app.get(&format!("/v1/reports/compare?base={base_id}"))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;

    // Integrity: hash and signature hold; openssl agrees with the signature on its own.
    let verification: Value = app
        .get(&format!("/v1/reports/{base_id}/verify"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(verification["valid"], true, "{verification}");
    assert_eq!(verification["signature_valid"], true);
    assert_eq!(verification["signed_with_current_key"], true);
    assert_eq!(verification["findings_export_matches"], true);
    let public: Value = app
        .client
        .get(format!("{}/v1/signing-key", app.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(public["key_id"], base["signature"]["key_id"]);
    std::fs::write(
        keys.path().join("public.pem"),
        public["public_key_pem"].as_str().unwrap(),
    )
    .unwrap();
    std::fs::write(
        keys.path().join("message"),
        base["sha256"].as_str().unwrap(),
    )
    .unwrap();
    std::fs::write(
        keys.path().join("signature"),
        hex::decode(base["signature"]["signature"].as_str().unwrap()).unwrap(),
    )
    .unwrap();
    let path = |name: &str| keys.path().join(name).to_str().unwrap().to_string();
    let checked = openssl(&[
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        &path("public.pem"),
        "-rawin",
        "-in",
        &path("message"),
        "-sigfile",
        &path("signature"),
    ]);
    assert!(
        checked.status.success(),
        "openssl rejects the signature: {}",
        String::from_utf8_lossy(&checked.stdout)
    );

    // Tampering with a stored body (past the immutability trigger) is detected.
    sqlx::query("ALTER TABLE reports DISABLE TRIGGER reports_immutable")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE reports SET body = jsonb_set(body, '{fairness,rows}', '1') WHERE id = $1::uuid",
    )
    .bind(base_id)
    .execute(&app.pool)
    .await
    .unwrap();
    let verification: Value = app
        .get(&format!("/v1/reports/{base_id}/verify"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            verification["valid"].clone(),
            verification["sha256_matches"].clone()
        ),
        (json!(false), json!(false))
    );
    assert_eq!(
        verification["signature_valid"], true,
        "the signature still covers the stored hash"
    );
    assert!(
        verification["problems"][0]
            .as_str()
            .unwrap()
            .contains("altered")
    );
    // So is a findings export changed on disk.
    let export_sha = head["pii_findings_sha256"].as_str().unwrap();
    let export = app
        .data_dir
        .path()
        .join("blobs")
        .join(&export_sha[..2])
        .join(&export_sha[2..]);
    std::fs::write(&export, b"{}\n").unwrap();
    let verification: Value = app
        .get(&format!("/v1/reports/{head_id}/verify"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            verification["valid"].clone(),
            verification["findings_export_matches"].clone()
        ),
        (json!(false), json!(false)),
        "{verification}"
    );
    assert_eq!(verification["sha256_matches"], true);

    // Metrics: the newest figures per model and feature, as gauges.
    let model: Value = app
        .upload_model(
            traced_linear_model(1, 1),
            &json!({"name": "scorer", "version": "3", "features": ["x"], "output": "logit"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let mut with_model = audit_request(&dataset, json!({}));
    with_model["model_id"] = model["id"].clone();
    with_model.as_object_mut().unwrap().remove("score_column");
    with_model.as_object_mut().unwrap().remove("threshold");
    let modelled = audit(&app, with_model).await;
    // History: the list filters by model, verdict and creation time.
    let list = |query: String| {
        let app = &app;
        async move {
            let page: Value = app
                .get(&format!("/v1/reports?{query}"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    let modelled_id = modelled["id"].as_str().unwrap().to_string();
    assert_eq!(
        list(format!("model_id={}", model["id"].as_str().unwrap())).await,
        vec![modelled_id.clone()]
    );
    assert!(
        list("verdict=fail".into())
            .await
            .contains(&head_id.to_string())
    );
    let head_created = head["created_at"].as_str().unwrap().replace('+', "%2B");
    assert_eq!(
        list(format!("created_after={head_created}")).await,
        vec![modelled_id.clone(), head_id.to_string()]
    );
    assert_eq!(
        list(format!("created_before={head_created}")).await,
        vec![base_id.to_string()]
    );

    let metrics = app
        .get("/metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let model_dpd =
        modelled["body"]["fairness"]["groupings"][0]["aggregates"]["demographic_parity_difference"]
            ["between_groups"]["value"]
            .as_f64()
            .unwrap();
    let series = format!(
        "probity_demographic_parity_difference{{model=\"scorer\",model_version=\"3\",model_id=\"{}\",dataset=\"biased.csv\",feature=\"sex\"}} {model_dpd}",
        model["id"].as_str().unwrap()
    );
    assert!(metrics.contains(&series), "missing {series} in\n{metrics}");
    assert!(metrics.contains("feature=\"sex+race\""));
    assert!(metrics.contains(&format!("probity_report_verdict{{model=\"scorer\",model_version=\"3\",model_id=\"{}\",dataset=\"biased.csv\",verdict=", model["id"].as_str().unwrap())));
    // Without a model the dataset is the subject; its newest report is the strict one.
    let head_sex_dpd = head["body"]["fairness"]["groupings"][0]["aggregates"]["demographic_parity_difference"]["between_groups"]["value"]
        .as_f64()
        .unwrap();
    assert!(metrics.contains(&format!(
        "probity_demographic_parity_difference{{model=\"\",model_version=\"\",model_id=\"\",dataset=\"biased.csv\",feature=\"sex\"}} {head_sex_dpd}"
    )));

    // Every metric the committed Grafana dashboard queries is one /metrics exposes.
    let grafana: Value =
        serde_json::from_str(include_str!("../../deploy/grafana/probity-fairness.json")).unwrap();
    let mut queried = Vec::new();
    for panel in grafana["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().into_iter().flatten() {
            let expr = target["expr"].as_str().unwrap();
            queried.extend(
                expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .filter(|w| w.starts_with("probity_"))
                    .map(String::from),
            );
        }
    }
    assert!(queried.len() >= 4, "{queried:?}");
    for name in queried {
        assert!(
            metrics.lines().any(|l| l.starts_with(&format!("{name}{{"))),
            "the dashboard queries {name}, which /metrics lacks"
        );
    }
}

/// Charts of many groups show the largest ones and say so; the tables keep every group.
#[test]
fn charts_of_many_groups_show_the_largest_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.csv");
    let mut csv = String::from("group,label,score\n");
    for group in 0..30 {
        for row in 0..(20 + group * 3) {
            csv.push_str(&format!(
                "g{group:02},{},{:.3}\n",
                row % 2,
                (row % 10) as f64 / 10.0
            ));
        }
    }
    std::fs::write(&path, csv).unwrap();
    let request: probity_audit::audit::AuditRequest = serde_json::from_value(json!({
        "dataset_id": uuid::Uuid::nil(), "label_column": "label", "score_column": "score", "threshold": 0.5,
        "positive_label": 1, "sensitive_features": ["group"], "checks": {"fairness": {"bootstrap": {"resamples": 20}}},
    }))
    .unwrap();
    let input = probity_audit::report::DatasetInput {
        id: None,
        name: "many.csv".into(),
        sha256: "0".repeat(64),
    };
    let format = probity_audit::dataset::detect_format(&path).unwrap();
    let report = probity_audit::audit::run(
        &request,
        &probity_audit::dataset::DatasetLocation::file(&path, format),
        input,
        Default::default(),
        &mut std::io::sink(),
    )
    .unwrap();
    let facts = probity_audit::render::StoredFacts {
        id: report.id,
        stored_at: report.created_at,
        sha256: "0".repeat(64),
        signature: None,
    };
    let html = probity_audit::render::to_html(&report, &facts);
    assert!(
        html.contains("the 12 largest of 30 groups"),
        "the rates chart says what it leaves out"
    );
    assert!(
        html.contains("the 8 largest of 30 groups"),
        "the sweep says what it leaves out"
    );
    assert!(
        html.contains("<td>g00</td>") && html.contains("<td>g29</td>"),
        "the group table lists every group"
    );
    assert!(
        !html.contains("g00: selection rate") && html.contains("g29: selection rate"),
        "the sweep table keeps the largest"
    );
}

/// A PII-only audit needs no labels, predictions or sensitive features; its report,
/// renderings, comparison and gauges carry the PII figures alone.
#[tokio::test]
async fn a_pii_only_audit_needs_no_fairness_inputs() {
    let app = TestApp::spawn().await;
    let csv: String = std::iter::once("id,contact,note\n".to_string())
        .chain((0..40).map(|i| {
            format!(
                "{i},user{i}.private@example.net,{}\n",
                if i % 4 == 0 { "call 555-0100" } else { "ok" }
            )
        }))
        .collect();
    let dataset: Value = app
        .upload_dataset(csv.into_bytes(), "contacts.csv")
        .await
        .json()
        .await
        .unwrap();
    let id = dataset["id"].clone();

    // Fairness off and PII off is nothing to do; fairness inputs with fairness off are a mistake;
    // fairness on still needs its inputs.
    let problem = expect_problem(
        app.post("/v1/audits")
            .json(&json!({"dataset_id": id, "checks": {"fairness": null}}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(problem["location"]["field"], "checks");
    let body =
        json!({"dataset_id": id, "label_column": "id", "checks": {"fairness": null, "pii": {}}});
    let problem = expect_problem(
        app.post("/v1/audits").json(&body).send().await.unwrap(),
        422,
    )
    .await;
    assert_eq!(problem["location"]["field"], "label_column");
    let body = json!({"dataset_id": id, "prediction_column": "id", "positive_label": 1, "sensitive_features": ["note"]});
    let problem = expect_problem(
        app.post("/v1/audits").json(&body).send().await.unwrap(),
        422,
    )
    .await;
    assert_eq!(problem["location"]["field"], "label_column");

    let report = audit(
        &app,
        json!({"dataset_id": id, "checks": {"fairness": null, "pii": {"max_share_affected": 0.5}}}),
    )
    .await;
    let body = &report["body"];
    assert!(body.get("fairness").is_none(), "{body}");
    assert_eq!(
        body["pii"]["totals"]["columns_affected"],
        json!(["contact", "note"])
    );
    assert_eq!(report["verdict"], body["pii"]["verdict"]);
    assert_eq!(
        report["verdict"], "fail",
        "every row of `contact` holds an email, over the 50 % bound"
    );
    assert!(
        report["demographic_parity_difference"].is_null()
            && report["equalized_odds_difference"].is_null()
    );
    let typed: AuditReport = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(
        canonical_sha256(&serde_json::to_value(&typed).unwrap()),
        report["sha256"]
    );

    let report_id = report["id"].as_str().unwrap();
    let html = app
        .get(&format!("/v1/reports/{report_id}.html"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("A PII-only audit")
            && html.contains("Personal data (PII)")
            && !html.contains("Fairness —")
    );
    assert!(!html.contains("private@example.net"), "raw PII in the page");
    let markdown = app
        .get(&format!("/v1/reports/{report_id}.md"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(markdown.contains("**Verdict: FAIL**"));
    let comparison: Value = app
        .get(&format!(
            "/v1/reports/compare?base={report_id}&head={report_id}"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        comparison["figures"].as_array().unwrap().len(),
        1,
        "{comparison}"
    );
    assert_eq!(comparison["figures"][0]["figure"], "share_rows_affected");
    let metrics = app
        .get("/metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("probity_pii_share_rows_affected{model=\"\",model_version=\"\",model_id=\"\",dataset=\"contacts.csv\",feature=\"pii\"} 1"), "{metrics}");
    assert!(!metrics.contains("probity_demographic_parity_difference{"));
}

/// `POST /v1/reports/{id}/reproduce` re-runs each kind of audit from its
/// stored request (scores with bootstrap, PII and proxies; PII only with its
/// findings export; a model run over the data) and finds the same results
/// digest in a new report with another id and body hash; verify recomputes
/// the digest; a report whose dataset is gone cannot be re-run.
#[tokio::test]
async fn reproduce_finds_the_same_results_for_every_kind_of_audit() {
    let app = TestApp::spawn().await;
    let (csv, _) = biased_csv();
    let dataset = app.dataset(csv.into_bytes(), "biased.csv").await;
    let model_response = app
        .upload_model(
            traced_linear_model(1, 1),
            &json!({"name": "scorer", "version": "1", "features": ["x"], "output": "logit"}),
        )
        .await;
    assert_eq!(model_response.status(), 201);
    let model: Value = model_response.json().await.unwrap();
    let requests = [
        audit_request(&dataset, json!({})),
        json!({"dataset_id": dataset["id"], "checks": {"fairness": null, "pii": {}}}),
        json!({
            "dataset_id": dataset["id"], "model_id": model["id"], "label_column": "label",
            "positive_label": 1, "sensitive_features": ["sex"],
            "checks": {"fairness": {"subgroups": {"enabled": true}, "profiles": ["four_fifths"]}},
        }),
    ];
    for request in requests {
        let original = audit(&app, request.clone()).await;
        let id = original["id"].as_str().unwrap();
        let digest = original["body"]["results_sha256"]
            .as_str()
            .unwrap()
            .to_string();
        let response = app
            .post(&format!("/v1/reports/{id}/reproduce"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 202, "{request}");
        let job: Value = response.json().await.unwrap();
        let done = app.wait_for_job(job["id"].as_str().unwrap()).await;
        assert_eq!(done["status"], "succeeded", "{done}");
        let reproduction = &done["result"]["reproduction"];
        assert_eq!(reproduction["matches"], true, "{request}: {reproduction}");
        assert_eq!(reproduction["original_results_sha256"], digest.as_str());
        assert_eq!(reproduction["report_id"], id);
        if request.get("model_id").is_some() {
            // the slice search reads the model's decisions where they are made
            let search = &original["body"]["fairness"]["subgroups"];
            assert!(search["slices_tested"].as_u64().unwrap() > 0, "{search}");
        }
        let again = app.report(&done).await;
        assert_ne!(again["id"], original["id"]);
        assert_ne!(again["sha256"], original["sha256"], "ids and times differ");
        assert_eq!(again["body"]["results_sha256"], digest.as_str());
        let verification: Value = app
            .get(&format!("/v1/reports/{id}/verify"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(verification["computed_results_sha256"], digest.as_str());
        assert_eq!(verification["valid"], true, "{verification}");
    }
    // no dataset, nothing to re-run
    let last = audit(
        &app,
        json!({"dataset_id": dataset["id"], "checks": {"fairness": null, "pii": {}}}),
    )
    .await;
    let deleted = app
        .delete(&format!("/v1/datasets/{}", dataset["id"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert!(deleted.status().is_success(), "{}", deleted.status());
    let problem = expect_problem(
        app.post(&format!(
            "/v1/reports/{}/reproduce",
            last["id"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap(),
        409,
    )
    .await;
    assert!(
        problem["detail"].as_str().unwrap().contains("was deleted"),
        "{problem}"
    );
}
