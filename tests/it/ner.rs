//! Names and addresses from an uploaded token classifier (NER model) run in
//! the model sandbox by the PII check: a hand-set TorchScript classifier made
//! here with tch (an embedding lookup), its vocabulary and BIO labels, an
//! audit whose report says which detector found what, the same counts from a
//! sharded audit, and the 422s of bad uploads and models of the wrong kind.

use polars::prelude::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::common::{
    self, Options, TestApp, expect_problem, traced_linear_model, traced_token_classifier,
    upload_model_with_vocabulary,
};

const LABELS: [&str; 5] = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"];
const MAX_TOKENS: i64 = 16;

/// The vocabulary: line index = token id.
const VOCABULARY: &[&str] = &[
    "[PAD]",
    "[UNK]",
    "zorvath",
    "quillane",
    "brixley",
    "ondrake",
    "velmothgate",
    "met",
    "at",
    "the",
    "depot",
    ".",
    ",",
    "parcel",
];

fn vocabulary_text() -> String {
    VOCABULARY.iter().map(|t| format!("{t}\n")).collect()
}

/// The label each token gets (index into `LABELS`): the invented names are
/// people, the invented street word an address, everything else outside.
fn label_of(token: &str) -> usize {
    match token {
        "zorvath" | "brixley" => 1,
        "quillane" | "ondrake" => 2,
        "velmothgate" => 3,
        _ => 0,
    }
}

/// Logits `[vocabulary, labels]`: 8 for the token's label, 0 elsewhere.
fn logits(rows: usize, labels: usize) -> Vec<Vec<f32>> {
    (0..rows)
        .map(|id| {
            let label = VOCABULARY.get(id).map_or(0, |t| label_of(t));
            (0..labels)
                .map(|l| if l == label { 8.0 } else { 0.0 })
                .collect()
        })
        .collect()
}

fn metadata(labels: &[&str]) -> Value {
    json!({
        "name": "ner", "version": "1", "kind": "token_classifier", "output": "logit",
        "labels": labels, "max_tokens": MAX_TOKENS,
    })
}

async fn upload_ner(app: &TestApp) -> Value {
    let response = upload_model_with_vocabulary(
        app,
        traced_token_classifier(&logits(VOCABULARY.len(), LABELS.len()), MAX_TOKENS),
        &metadata(&LABELS),
        Some(&vocabulary_text()),
    )
    .await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// A free-text cell: invented names and a street the rules do not know,
/// e-mail addresses they do, and cells of one word the model never reads.
fn note(i: usize) -> String {
    match i % 6 {
        0 => format!("Met Zorvath Quillane at the depot, visit {i}."),
        1 => format!("Brixley Ondrake left parcel {i} at Velmothgate."),
        2 => format!("write to client{i}@example.org about the refund"),
        3 => "nothing to report today".to_string(),
        4 => "ok".to_string(),
        _ => format!("Zorvath Quillane and Brixley Ondrake, crate {i}"),
    }
}

fn csv(rows: usize) -> Vec<u8> {
    let mut text = String::from("id,notes,email\n");
    for i in 0..rows {
        text.push_str(&format!("{i},\"{}\",contact{i}@example.com\n", note(i)));
    }
    text.into_bytes()
}

fn pii_audit(dataset: &Value, ner: Option<&Value>) -> Value {
    let mut pii = json!({ "max_share_affected": 1.0 });
    if let Some(model) = ner {
        pii["ner_model_id"] = model["id"].clone();
    }
    json!({ "dataset_id": dataset["id"], "checks": { "fairness": null, "pii": pii } })
}

fn column<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["pii"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["column"] == name)
        .unwrap()
}

fn entity<'a>(column: &'a Value, name: &str) -> Option<&'a Value> {
    column["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entity"] == name)
}

#[tokio::test]
async fn a_token_classifier_finds_invented_names_the_rules_miss_and_the_report_says_which_detector()
{
    let app = TestApp::spawn().await;
    let model = upload_ner(&app).await;
    assert_eq!(model["kind"], "token_classifier");
    assert_eq!(model["labels"], json!(LABELS));
    assert_eq!(model["max_tokens"], MAX_TOKENS);
    assert_eq!(model["features"], json!([]));
    assert_eq!(model["vocabulary_tokens"], VOCABULARY.len());
    assert_eq!(
        model["vocabulary_sha256"],
        hex::encode(Sha256::digest(vocabulary_text()))
    );
    let rows = 60;
    let dataset = app.dataset(csv(rows), "notes.csv").await;

    // The rules alone find the e-mails but none of the invented names.
    let job = app.run_job("/v1/audits", &pii_audit(&dataset, None)).await;
    let rules_only = app.report_body(&job).await;
    let notes = column(&rules_only, "notes");
    assert!(
        entity(notes, "person_name").is_none() && entity(notes, "street_address").is_none(),
        "{notes}"
    );
    assert_eq!(notes["detectors"], json!(["rules"]));
    assert!(rules_only["pii"].get("ner").is_none());

    let job = app
        .run_job("/v1/audits", &pii_audit(&dataset, Some(&model)))
        .await;
    let report = app.report_body(&job).await;
    let notes = column(&report, "notes");
    assert_eq!(notes["detectors"], json!(["rules", "model"]));
    // rows 0, 1 and 5 of every six: one name, one name, two names
    let names = entity(notes, "person_name").expect("names found");
    assert_eq!(names["findings"], rows / 6 * 4, "{names}");
    assert_eq!(names["rows_affected"], rows / 6 * 3);
    assert_eq!(
        names["by_detector"],
        json!({ "rules": 0, "model": rows / 6 * 4 })
    );
    let streets = entity(notes, "street_address").expect("addresses found");
    assert_eq!(
        streets["by_detector"],
        json!({ "rules": 0, "model": rows / 6 })
    );
    let mails = entity(notes, "email").unwrap();
    assert_eq!(
        mails["by_detector"],
        json!({ "rules": rows / 6, "model": 0 })
    );
    // a structured column is left to the rules
    let email = column(&report, "email");
    assert_eq!(email["detectors"], json!(["rules"]));
    assert_eq!(
        entity(email, "email").unwrap()["by_detector"],
        json!({ "rules": rows, "model": 0 })
    );
    let totals = &report["pii"]["totals"];
    assert_eq!(
        totals["by_detector"],
        json!({ "rules": rows + rows / 6, "model": rows / 6 * 5 })
    );
    assert_eq!(
        totals["by_entity"]["person_name"]["by_detector"]["model"],
        rows / 6 * 4
    );
    // the model read the free-text cells of two words or more, and the report cites it
    let ner = &report["pii"]["ner"];
    assert_eq!(ner["model_id"], model["id"]);
    assert_eq!(ner["sha256"], model["sha256"]);
    assert_eq!(ner["columns"], json!(["notes"]));
    assert_eq!(ner["cells"], rows - rows / 6);
    let cited = &report["inputs"]["ner_model"];
    assert_eq!(cited["id"], model["id"]);
    assert_eq!(cited["sha256"], model["sha256"]);
    assert_eq!(cited["vocabulary_sha256"], model["vocabulary_sha256"]);
    assert_eq!(cited["labels"], json!(LABELS));

    // every export line names its detector; no raw name leaves the scan
    let report_url = job["result"]["report_url"].as_str().unwrap();
    let export = app
        .get(&format!("{report_url}/pii-findings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<Value> = export
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len() as u64,
        report["pii"]["totals"]["findings"].as_u64().unwrap()
    );
    for line in &lines {
        let expected = match line["entity"].as_str().unwrap() {
            "person_name" | "street_address" => "model",
            _ => "rules",
        };
        assert_eq!(line["detector"], expected, "{line}");
    }
    let first = lines.iter().find(|l| l["entity"] == "person_name").unwrap();
    assert_eq!(
        (first["row"].as_u64(), first["start"].as_u64()),
        (Some(0), Some(4))
    );
    assert_eq!(first["end"], 20);
    for raw in ["Zorvath", "Quillane", "Ondrake", "Velmothgate"] {
        assert!(!export.contains(raw), "{raw} in the export");
    }

    for format in ["html", "md"] {
        let page = app
            .get(&format!("{report_url}.{format}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("By NER model"), "{format}");
        assert!(page.contains(model["sha256"].as_str().unwrap()), "{format}");
        assert!(!page.contains("Quillane"), "{format}");
    }
    app.stop().await;
}

#[tokio::test]
async fn bad_token_classifier_uploads_are_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let model = || traced_token_classifier(&logits(VOCABULARY.len(), LABELS.len()), MAX_TOKENS);
    let vocabulary = vocabulary_text();
    let field = |problem: &Value| problem["location"]["field"].as_str().unwrap().to_string();

    let bad_label = expect_problem(
        upload_model_with_vocabulary(
            &app,
            model(),
            &metadata(&["O", "B-PER", "I-PER", "B-DOG", "I-LOC"]),
            Some(&vocabulary),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(field(&bad_label), "metadata.labels[3]", "{bad_label}");
    assert!(bad_label["detail"].as_str().unwrap().contains("B-DOG"));

    let missing = expect_problem(
        upload_model_with_vocabulary(&app, model(), &metadata(&LABELS), None).await,
        422,
    )
    .await;
    assert_eq!(field(&missing), "vocabulary", "{missing}");

    let no_unk = expect_problem(
        upload_model_with_vocabulary(
            &app,
            model(),
            &metadata(&LABELS),
            Some(&vocabulary.replace("[UNK]\n", "unknown\n")),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(field(&no_unk), "vocabulary", "{no_unk}");
    assert!(no_unk["detail"].as_str().unwrap().contains("[UNK]"));

    let twice = expect_problem(
        upload_model_with_vocabulary(
            &app,
            model(),
            &metadata(&LABELS),
            Some(&format!("{vocabulary}zorvath\n")),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(field(&twice), "vocabulary");
    assert!(
        twice["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("line {}", VOCABULARY.len() + 1)),
        "{twice}"
    );

    // three labels per token where five are declared
    let narrow = expect_problem(
        upload_model_with_vocabulary(
            &app,
            traced_token_classifier(&logits(VOCABULARY.len(), 3), MAX_TOKENS),
            &metadata(&LABELS),
            Some(&vocabulary),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(field(&narrow), "file", "{narrow}");
    assert!(
        narrow["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("expected shape [2, {MAX_TOKENS}, 5]")),
        "{narrow}"
    );

    // logits declared as probabilities
    let mut probability = metadata(&LABELS);
    probability["output"] = json!("probability");
    let logits_as_probabilities = expect_problem(
        upload_model_with_vocabulary(&app, model(), &probability, Some(&vocabulary)).await,
        422,
    )
    .await;
    assert_eq!(field(&logits_as_probabilities), "file");
    assert!(
        logits_as_probabilities["detail"]
            .as_str()
            .unwrap()
            .contains("outside [0, 1]"),
        "{logits_as_probabilities}"
    );

    // a vocabulary with more tokens than the model's embedding has rows
    let longer: String = format!(
        "{vocabulary}{}",
        (0..10).map(|i| format!("extra{i}\n")).collect::<String>()
    );
    let too_long = expect_problem(
        upload_model_with_vocabulary(&app, model(), &metadata(&LABELS), Some(&longer)).await,
        422,
    )
    .await;
    assert_eq!(field(&too_long), "vocabulary", "{too_long}");

    // a scorer is no token classifier
    let scorer = expect_problem(
        upload_model_with_vocabulary(
            &app,
            traced_linear_model(3, 1),
            &metadata(&LABELS),
            Some(&vocabulary),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(field(&scorer), "file", "{scorer}");

    // and a scorer takes no vocabulary, labels or max_tokens
    let scorer_metadata =
        json!({ "name": "s", "version": "1", "features": ["a", "b", "c"], "output": "logit" });
    let with_vocabulary = expect_problem(
        upload_model_with_vocabulary(
            &app,
            traced_linear_model(3, 1),
            &scorer_metadata,
            Some(&vocabulary),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(field(&with_vocabulary), "vocabulary");
    let mut with_labels = scorer_metadata.clone();
    with_labels["labels"] = json!(LABELS);
    let with_labels = expect_problem(
        upload_model_with_vocabulary(&app, traced_linear_model(3, 1), &with_labels, None).await,
        422,
    )
    .await;
    assert_eq!(field(&with_labels), "metadata.labels");

    assert_eq!(app.count("models").await, 0);
    assert!(app.blob_files().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn models_of_the_wrong_kind_are_422_where_they_are_used() {
    let app = TestApp::spawn().await;
    let ner = upload_ner(&app).await;
    let scorer: Value = app
        .upload_model(
            traced_linear_model(1, 1),
            &json!({ "name": "s", "version": "1", "features": ["x"], "output": "logit" }),
        )
        .await
        .json()
        .await
        .unwrap();
    let dataset = app
        .dataset(
            b"x,label,group,notes\n0.5,1,a,Zorvath Quillane\n".to_vec(),
            "d.csv",
        )
        .await;

    let problem = expect_problem(
        app.post("/v1/audits")
            .json(&pii_audit(&dataset, Some(&scorer)))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(problem["location"]["field"], "checks.pii.ner_model_id");
    assert!(problem["detail"].as_str().unwrap().contains("is a scorer"));

    let problem = expect_problem(
        app.post("/v1/audits")
            .json(&json!({
                "dataset_id": dataset["id"], "model_id": ner["id"], "label_column": "label",
                "positive_label": 1, "sensitive_features": ["group"],
            }))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(problem["location"]["field"], "model_id");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("token classifier")
    );

    let problem = expect_problem(
        app.post("/v1/inference-jobs")
            .json(&json!({ "dataset_id": dataset["id"], "model_id": ner["id"] }))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(problem["location"]["field"], "model_id");
    app.stop().await;
}

/// Rows of the sharded table: three shards of 65,536 rows (the last one short).
const SHARDED_ROWS: usize = 2 * 65_536 + 3_001;

#[tokio::test]
async fn a_sharded_audit_with_a_ner_model_merges_into_the_one_pass_report() {
    let app = TestApp::spawn_with(Options {
        audit_shard_rows: 65_536,
        ..Options::default()
    })
    .await;
    let model = upload_ner(&app).await;
    let mut frame = df!(
        "notes" => (0..SHARDED_ROWS).map(note).collect::<Vec<_>>(),
        "email" => (0..SHARDED_ROWS).map(|i| format!("c{i}@example.com")).collect::<Vec<_>>(),
    )
    .unwrap();
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .with_row_group_size(Some(20_000))
        .finish(&mut frame)
        .unwrap();
    let dataset = app.dataset(bytes.clone(), "notes.parquet").await;
    let body = pii_audit(&dataset, Some(&model));
    let job = app.run_job("/v1/audits", &body).await;
    let shards: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM jobs WHERE parent_id = $1::uuid AND status = 'succeeded'",
    )
    .bind(job["id"].as_str().unwrap())
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(shards, 3);
    let sharded = app.report_body(&job).await;
    let (body, model_bytes) = (body.clone(), upload_model_bytes());
    let model_record = model.clone();
    let whole =
        tokio::task::spawn_blocking(move || one_pass(&bytes, &body, &model_record, &model_bytes))
            .await
            .unwrap();
    assert_eq!(sharded["pii"], whole["pii"]);
    assert_eq!(sharded["inputs"]["ner_model"], whole["inputs"]["ner_model"]);
    let names = entity(column(&sharded, "notes"), "person_name").unwrap();
    assert_eq!(names["by_detector"]["model"], names["findings"]);
    assert!(names["findings"].as_u64().unwrap() > 80_000);
    app.stop().await;
}

fn upload_model_bytes() -> Vec<u8> {
    traced_token_classifier(&logits(VOCABULARY.len(), LABELS.len()), MAX_TOKENS)
}

/// The report of the audit `body` run in this process over the Parquet
/// `bytes` in one pass, with the token classifier `model` (its record and file).
fn one_pass(bytes: &[u8], body: &Value, model: &Value, model_bytes: &[u8]) -> Value {
    use probity_audit::audit::{AuditModels, AuditRequest, run};
    use probity_audit::dataset::{DatasetFormat, DatasetLocation};
    use probity_audit::model::ModelOutput;
    use probity_audit::ner::{LabelMap, NerModel, Vocabulary};
    use probity_audit::report::{DatasetInput, NerModelInput};
    use probity_audit::sandbox::SandboxLimits;
    let dir = tempfile::tempdir().unwrap();
    let (data, model_path) = (dir.path().join("notes.parquet"), dir.path().join("ner.pt"));
    std::fs::write(&data, bytes).unwrap();
    std::fs::write(&model_path, model_bytes).unwrap();
    let labels: Vec<String> = LABELS.iter().map(|l| l.to_string()).collect();
    let ner = NerModel {
        input: NerModelInput {
            id: model["id"].as_str().unwrap().parse().unwrap(),
            name: "ner".into(),
            version: "1".into(),
            sha256: model["sha256"].as_str().unwrap().into(),
            vocabulary_sha256: model["vocabulary_sha256"].as_str().unwrap().into(),
            labels: labels.clone(),
            max_tokens: MAX_TOKENS as u32,
        },
        path: model_path,
        output: ModelOutput::Logit,
        labels: LabelMap::parse(&labels).unwrap(),
        max_tokens: MAX_TOKENS as usize,
        vocabulary: Vocabulary::parse(vocabulary_text().as_bytes()).unwrap(),
        sandbox: common::model_sandbox(SandboxLimits::default()),
    };
    let request: AuditRequest = serde_json::from_value(body.clone()).unwrap();
    let mut export = Vec::new();
    let mut report = run(
        &request,
        &DatasetLocation::file(&data, DatasetFormat::Parquet),
        DatasetInput {
            id: None,
            name: "notes.parquet".into(),
            sha256: String::new(),
        },
        AuditModels {
            scorer: None,
            ner: Some(ner),
        },
        &mut export,
    )
    .unwrap();
    if let Some(pii) = report.pii.as_mut() {
        pii.findings_export.sha256 = Some(hex::encode(Sha256::digest(&export)));
    }
    serde_json::to_value(report).unwrap()
}
