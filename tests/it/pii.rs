//! The PII check of audits through the real `probity serve` binary: per-column
//! counts on a dataset of planted values, the redacted findings export, the
//! flag on a model that takes a sensitive feature, and the leak test: every
//! report, export, job, Postgres row and log line is searched for each
//! planted value, with zero hits allowed.

use crate::common;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

const ROWS: usize = 60;

/// Appends the Luhn check digit to `digits`.
fn with_luhn(digits: &str) -> String {
    let sum: u32 = digits
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap();
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    format!("{digits}{}", (10 - sum % 10) % 10)
}

/// A German IBAN with valid ISO 13616 check digits for an 18-digit BBAN.
fn german_iban(bban: &str) -> String {
    let rearranged = format!("{bban}131400"); // "DE00" as digits: D=13, E=14, 00
    let remainder = rearranged
        .chars()
        .fold(0u64, |r, c| (r * 10 + c.to_digit(10).unwrap() as u64) % 97);
    format!("DE{:02}{bban}", 98 - remainder)
}

/// One planted row: the raw values no output may contain.
struct Planted {
    email: String,
    ssn: String,
    card: String,
    phone: String,
    iban: String,
    name: String,
}

fn planted(i: usize) -> Planted {
    let first = ["Maria", "Jonas", "Amelie", "Lukas", "Sophie", "Felix"][i % 6];
    let last = [
        "Schneider",
        "Hoffmann",
        "Zimmermann",
        "Hartmann",
        "Krause",
        "Lehmann",
    ][(i / 6) % 6];
    Planted {
        email: format!(
            "{}.{}{i}@kliniknord-mail.de",
            first.to_lowercase(),
            last.to_lowercase()
        ),
        ssn: format!("{:03}-{:02}-{:04}", 123 + i, 45 + i % 40, 6789 - i),
        card: with_luhn(&format!("4539{:011}", 57_310_000_000u64 + 7919 * i as u64)),
        phone: format!("+33 7 92 79 {:02} {:02}", 10 + i % 80, 43 + i % 50),
        iban: german_iban(&format!(
            "{:018}",
            370_400_440_532_013_000u64 + 104_729 * i as u64
        )),
        name: format!("{first} {last}"),
    }
}

fn dataset() -> (Vec<u8>, Vec<Planted>) {
    let mut csv = String::from("id,sex,age,zip,label,email,ssn,card,phone,notes\n");
    let rows: Vec<Planted> = (0..ROWS).map(planted).collect();
    for (i, p) in rows.iter().enumerate() {
        let sex = i % 2;
        let age = 30 + (i % 4) * 10;
        let zip = ["10115", "20095"][i % 2];
        let label = (i % 3 == 0) as u8;
        csv.push_str(&format!(
            "{i},{sex},{age},{zip},{label},{},{},{},{},\"Refund to {} for {}, call back\"\n",
            p.email, p.ssn, p.card, p.phone, p.iban, p.name
        ));
    }
    (csv.into_bytes(), rows)
}

/// A running `probity serve` whose stdout and stderr (debug logs) go to a file.
struct Server {
    child: std::process::Child,
    url: String,
    token: String,
    log: tempfile::NamedTempFile,
    database_url: String,
    _data: tempfile::TempDir,
}

impl Server {
    async fn start() -> Self {
        let database_url = format!(
            "{}/probity_test_{}",
            common::postgres_base(),
            uuid::Uuid::new_v4().simple()
        );
        let data = tempfile::tempdir().unwrap();
        let log = tempfile::NamedTempFile::new().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_probity"))
            .args(["serve", "--workers", "1"])
            .env("DATABASE_URL", &database_url)
            .env("PROBITY_BIND", format!("127.0.0.1:{port}"))
            .env("PROBITY_DATA_DIR", data.path())
            .env("RUST_LOG", "trace")
            .stdout(Stdio::from(log.reopen().unwrap()))
            .stderr(Stdio::from(log.reopen().unwrap()))
            .spawn()
            .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        common::wait_until(Duration::from_secs(60), || async {
            let ready = client.get(format!("{url}/readyz")).send().await.ok()?;
            (ready.status() == 200).then_some(())
        })
        .await;
        let mut printed = String::new();
        log.reopen().unwrap().read_to_string(&mut printed).unwrap();
        let token = printed
            .split_whitespace()
            .find(|w| w.starts_with("prb_"))
            .expect("first start prints a key")
            .to_string();
        Self {
            child,
            url,
            token,
            log,
            database_url,
            _data: data,
        }
    }

    fn get(&self, path: &str) -> reqwest::RequestBuilder {
        reqwest::Client::new()
            .get(format!("{}{path}", self.url))
            .bearer_auth(&self.token)
    }

    fn post(&self, path: &str) -> reqwest::RequestBuilder {
        reqwest::Client::new()
            .post(format!("{}{path}", self.url))
            .bearer_auth(&self.token)
    }

    async fn text(&self, path: &str) -> String {
        let response = self.get(path).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        response.text().await.unwrap()
    }

    async fn wait_for_job(&self, id: &str) -> Value {
        common::wait_until(Duration::from_secs(60), || async {
            let job: Value = self
                .get(&format!("/v1/jobs/{id}"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            matches!(
                job["status"].as_str(),
                Some("succeeded" | "failed" | "cancelled")
            )
            .then_some(job)
        })
        .await
    }

    /// Stops the server and returns everything it logged.
    fn stop(mut self) -> String {
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(self.child.id() as i32),
            nix::sys::signal::Signal::SIGTERM,
        )
        .unwrap();
        assert!(
            self.child.wait().unwrap().success(),
            "serve exits cleanly on SIGTERM"
        );
        let mut logged = String::new();
        self.log
            .reopen()
            .unwrap()
            .read_to_string(&mut logged)
            .unwrap();
        logged
    }
}

/// Every row of every table of the database, as text.
async fn dump_database(database_url: &str) -> String {
    let pool = sqlx::PgPool::connect(database_url).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(tables.iter().any(|t| t == "reports"), "{tables:?}");
    let mut dump = String::new();
    for table in tables {
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT t::text FROM \"{table}\" t"
        )))
        .fetch_all(&pool)
        .await
        .unwrap();
        dump.push_str(&rows.join("\n"));
    }
    dump
}

fn column<'a>(pii: &'a Value, name: &str) -> &'a Value {
    pii["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["column"] == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

fn entity_rows(pii: &Value, column_name: &str, entity: &str) -> u64 {
    column(pii, column_name)["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entity"] == entity)
        .map(|e| e["rows_affected"].as_u64().unwrap())
        .unwrap_or(0)
}

#[tokio::test]
async fn pii_audit_reports_counts_and_no_planted_value_leaves_the_scan() {
    let server = Server::start().await;
    let (csv, planted) = dataset();
    let form = Form::new().part("file", Part::bytes(csv).file_name("patients.csv"));
    let dataset: Value = server
        .post("/v1/datasets")
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let dataset_id = dataset["id"].as_str().unwrap().to_string();
    let model_form = Form::new()
        .part("file", Part::bytes(common::traced_linear_model(2, 1)).file_name("model.pt"))
        .text("metadata", json!({"name": "triage", "version": "1", "features": ["age", "sex"], "output": "logit"}).to_string());
    let model: Value = server
        .post("/v1/models")
        .multipart(model_form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let response = server
        .post("/v1/audits")
        .json(&json!({
            "dataset_id": dataset_id,
            "model_id": model["id"],
            "label_column": "label",
            "positive_label": 1,
            "sensitive_features": ["sex"],
            "checks": {
                "fairness": {"bootstrap": {"resamples": 50}},
                "pii": {"quasi_identifiers": ["zip", "age"], "min_k_anonymity": 20},
            },
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    let job: Value = response.json().await.unwrap();
    let job = server.wait_for_job(job["id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let report_url = job["result"]["report_url"].as_str().unwrap().to_string();
    let report: Value = server
        .get(&report_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let pii = &report["body"]["pii"];

    let rows = ROWS as u64;
    assert_eq!(
        (pii["rows_total"].as_u64(), pii["rows_scanned"].as_u64()),
        (Some(rows), Some(rows))
    );
    assert_eq!(entity_rows(pii, "email", "email"), rows);
    assert_eq!(entity_rows(pii, "ssn", "us_ssn"), rows);
    assert_eq!(entity_rows(pii, "card", "credit_card"), rows);
    assert_eq!(entity_rows(pii, "phone", "phone"), rows);
    assert_eq!(entity_rows(pii, "notes", "iban"), rows);
    for clean in ["id", "sex", "age", "zip", "label"] {
        assert_eq!(
            column(pii, clean)["rows_affected"],
            0,
            "{clean}: {}",
            column(pii, clean)
        );
    }
    let email_examples = column(pii, "email")["examples"].as_array().unwrap();
    assert!(!email_examples.is_empty() && email_examples.len() <= 5);
    assert!(
        email_examples
            .iter()
            .all(|e| e.as_str().unwrap().contains("***")),
        "{email_examples:?}"
    );
    assert_eq!(pii["totals"]["rows_affected"], rows);
    assert_eq!(pii["risk"]["level"], "high");
    let quasi = &pii["quasi_identifiers"];
    assert_eq!(
        (
            quasi["k_anonymity"].as_u64(),
            quasi["equivalence_classes"].as_u64()
        ),
        (Some(15), Some(4))
    );
    assert_eq!(pii["verdict"], "fail");
    assert_eq!(report["body"]["verdict"], "fail");
    let k_verdict = pii["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["check"] == "k_anonymity")
        .unwrap();
    assert_eq!(k_verdict["outcome"], "fail", "{k_verdict}");
    let flags = report["body"]["model_input_flags"].as_array().unwrap();
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0]["feature"], "sex");

    let export = server.text(&format!("{report_url}/pii-findings")).await;
    let lines: Vec<Value> = export
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len() as u64,
        pii["findings_export"]["findings"].as_u64().unwrap()
    );
    assert_eq!(
        lines.len() as u64,
        pii["totals"]["findings"].as_u64().unwrap()
    );
    let ssn_rows: Vec<u64> = lines
        .iter()
        .filter(|l| l["entity"] == "us_ssn")
        .map(|l| l["row"].as_u64().unwrap())
        .collect();
    assert_eq!(ssn_rows, (0..rows).collect::<Vec<_>>());
    let sha = report["pii_findings_sha256"].as_str().unwrap();
    assert_eq!(pii["findings_export"]["sha256"], sha);
    let digest = <sha2::Sha256 as sha2::Digest>::digest(export.as_bytes());
    assert_eq!(
        hex::encode(digest),
        sha,
        "the report vouches for the export"
    );

    let mut outputs = vec![report.to_string(), export];
    for path in [
        "/v1/reports",
        "/v1/jobs",
        "/v1/datasets",
        "/v1/models",
        &format!("/v1/jobs/{}", job["id"].as_str().unwrap()),
    ] {
        outputs.push(server.text(path).await);
    }
    outputs.push(dump_database(&server.database_url).await);
    let database_url = server.database_url.clone();
    let logs = server.stop();
    assert!(
        logs.lines().count() > 20,
        "the server logged at trace level"
    );
    outputs.push(logs);
    let everything = outputs.join("\n");
    let job_id = job["id"].as_str().unwrap();
    assert!(
        outputs.last().unwrap().contains(job_id),
        "the logs cover the audit job"
    );
    let redacted_example = email_examples[0].as_str().unwrap();
    assert!(
        outputs[outputs.len() - 2].contains(redacted_example),
        "the dump covers the stored report"
    );
    let mut leaks = Vec::new();
    for p in &planted {
        let card_spaced = p
            .card
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(" ");
        for value in [
            &p.email,
            &p.ssn,
            &p.card,
            &card_spaced,
            &p.phone,
            &p.iban,
            &p.name,
            &p.ssn.replace('-', ""),
        ] {
            if everything.contains(value.as_str()) {
                leaks.push(value.clone());
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "planted values found in outputs: {leaks:?}"
    );
    let admin = sqlx::PgPool::connect(&format!("{}/postgres", common::postgres_base()))
        .await
        .unwrap();
    let name = database_url.rsplit('/').next().unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
    )))
    .execute(&admin)
    .await
    .unwrap();
}

#[tokio::test]
async fn bad_pii_options_are_rejected_with_the_option_and_column() {
    let app = common::TestApp::spawn().await;
    let (csv, _) = dataset();
    let dataset: Value = app
        .upload_dataset(csv, "patients.csv")
        .await
        .json()
        .await
        .unwrap();
    let audit = |pii: Value| {
        json!({
            "dataset_id": dataset["id"],
            "prediction_column": "label",
            "label_column": "label",
            "positive_label": 1,
            "sensitive_features": ["sex"],
            "checks": {"pii": pii},
        })
    };
    let problem = common::expect_problem(
        app.post("/v1/audits")
            .json(&audit(json!({"entities": ["emails"]})))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(
        problem["location"]["field"], "checks.pii.entities",
        "{problem}"
    );
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("unknown entity type `emails`"),
        "{problem}"
    );
    let problem = common::expect_problem(
        app.post("/v1/audits")
            .json(&audit(json!({"columns": ["e_mail"]})))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(
        (
            problem["location"]["field"].as_str(),
            problem["location"]["column"].as_str()
        ),
        (Some("checks.pii.columns"), Some("e_mail")),
        "{problem}"
    );
    let problem = common::expect_problem(
        app.post("/v1/audits")
            .json(&audit(json!({"min_confidence": 2})))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(
        problem["location"]["field"], "checks.pii.min_confidence",
        "{problem}"
    );
    let problem = common::expect_problem(
        app.post("/v1/audits")
            .json(&audit(json!({"phone_regions": ["ES", "Atlantis"]})))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(
        problem["location"]["field"], "checks.pii.phone_regions",
        "{problem}"
    );
    assert!(
        problem["detail"].as_str().unwrap().contains("`Atlantis`"),
        "{problem}"
    );
    let problem = common::expect_problem(
        app.post("/v1/audits")
            .json(&audit(json!({"colums": ["email"]})))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(
        problem["detail"].as_str().unwrap().contains("colums"),
        "{problem}"
    );

    let scoped = app
        .post("/v1/audits")
        .json(&audit(
            json!({"columns": ["email", "id"], "entities": ["email"]}),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(scoped.status(), 202);
    let job: Value = scoped.json().await.unwrap();
    let job = app.wait_for_job(job["id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let report: Value = app
        .get(job["result"]["report_url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let pii = &report["body"]["pii"];
    let scanned: Vec<&str> = pii["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["column"].as_str().unwrap())
        .collect();
    assert_eq!(scanned, ["id", "email"]);
    assert_eq!(pii["entities_searched"], json!(["email"]));
    assert_eq!(pii["totals"]["findings"], ROWS as u64);

    let plain = app
        .post("/v1/audits")
        .json(&json!({
            "dataset_id": dataset["id"], "prediction_column": "label", "label_column": "label",
            "positive_label": 1, "sensitive_features": ["sex"],
        }))
        .send()
        .await
        .unwrap();
    let job: Value = plain.json().await.unwrap();
    let job = app.wait_for_job(job["id"].as_str().unwrap()).await;
    let url = format!(
        "{}/pii-findings",
        job["result"]["report_url"].as_str().unwrap()
    );
    common::expect_problem(app.get(&url).send().await.unwrap(), 404).await;
}

/// National identifiers through the service: counted per type, rated high
/// risk, named in the HTML and Markdown reports, never shown raw.
#[tokio::test]
async fn national_identifiers_are_counted_rated_and_rendered() {
    let app = common::TestApp::spawn().await;
    let mut csv = String::from("id,nhs_number,bsn,supplier\n");
    for i in 0..40 {
        csv.push_str(&format!(
            "{i},943 476 5919,123456782,\"ACME GmbH, VAT DE136695976\"\n"
        ));
    }
    let dataset = app.dataset(csv.into_bytes(), "suppliers.csv").await;
    let response = app
        .post("/v1/audits")
        .json(&json!({"dataset_id": dataset["id"], "checks": {"fairness": null, "pii": {}}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let job: Value = response.json().await.unwrap();
    let job = app.wait_for_job(job["id"].as_str().unwrap()).await;
    let body = app.report_body(&job).await;
    let by_entity = &body["pii"]["totals"]["by_entity"];
    for entity in ["uk_nhs_number", "nl_bsn", "eu_vat"] {
        assert_eq!(by_entity[entity]["findings"], 40, "{entity}: {by_entity}");
    }
    assert_eq!(
        body["pii"]["risk"]["level"], "high",
        "{}",
        body["pii"]["risk"]
    );
    let id = job["result"]["report_id"].as_str().unwrap();
    for suffix in ["html", "md"] {
        let page = app
            .get(&format!("/v1/reports/{id}.{suffix}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for entity in ["uk_nhs_number", "nl_bsn", "eu_vat"] {
            // Markdown escapes the underscores
            let shown = if suffix == "md" {
                entity.replace('_', "\\_")
            } else {
                entity.to_string()
            };
            assert!(page.contains(&shown), "{suffix} lacks {shown}");
        }
        for raw in ["943 476 5919", "123456782", "DE136695976"] {
            assert!(!page.contains(raw), "{suffix} shows {raw}");
        }
    }
}
