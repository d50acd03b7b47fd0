//! Model uploads validated by the real libtorch.

use crate::common;

use common::{TestApp, expect_problem, traced_linear_model};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

fn metadata(features: &[&str], output: &str) -> Value {
    json!({ "name": "credit", "version": "1.0", "features": features, "output": output, "threshold": 0.4 })
}

#[tokio::test]
async fn a_traced_model_is_validated_stored_downloaded_and_deleted() {
    let app = TestApp::spawn().await;
    let bytes = traced_linear_model(3, 1);
    let response = app
        .upload_model(
            bytes.clone(),
            &metadata(&["age", "income", "tenure"], "logit"),
        )
        .await;
    assert_eq!(response.status(), 201);
    let model: Value = response.json().await.unwrap();
    assert_eq!(model["features"], json!(["age", "income", "tenure"]));
    assert_eq!(model["output"], "logit");
    assert_eq!(model["threshold"], 0.4);
    let id = model["id"].as_str().unwrap();

    let listed: Value = app
        .get("/v1/models")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"][0]["id"], id);
    let download = app
        .get(&format!("/v1/models/{id}/download"))
        .send()
        .await
        .unwrap();
    assert_eq!(download.bytes().await.unwrap().to_vec(), bytes);

    assert_eq!(
        app.delete(&format!("/v1/models/{id}"))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(app.count("models").await, 0);
    assert!(app.blob_files().is_empty());
    app.stop().await;
}

async fn assert_no_model_stored(app: &TestApp) {
    assert_eq!(app.count("models").await, 0);
    assert_eq!(app.count("blobs").await, 0);
    assert!(app.blob_files().is_empty());
    assert!(app.staging_files().is_empty());
}

#[tokio::test]
async fn files_that_are_not_torchscript_are_rejected() {
    let app = TestApp::spawn().await;
    let problem = expect_problem(
        app.upload_model(b"not a model at all".to_vec(), &metadata(&["a"], "logit"))
            .await,
        422,
    )
    .await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("not a loadable TorchScript model"),
        "{problem}"
    );
    assert_eq!(problem["location"]["field"], "file");
    assert_no_model_stored(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn a_model_whose_output_or_width_contradicts_its_metadata_is_rejected() {
    let app = TestApp::spawn().await;
    // Three outputs per row where one score is declared: said, but the shape the
    // model chose is not echoed (a shape can carry data).
    let wide = expect_problem(
        app.upload_model(traced_linear_model(2, 3), &metadata(&["a", "b"], "logit"))
            .await,
        422,
    )
    .await;
    let detail = wide["detail"].as_str().unwrap();
    assert!(detail.contains("not one value per row"), "{wide}");
    assert!(!detail.contains("[2, 3]"), "{wide}");
    // Declared 4 features, the model takes 2.
    let narrow = expect_problem(
        app.upload_model(
            traced_linear_model(2, 1),
            &metadata(&["a", "b", "c", "d"], "logit"),
        )
        .await,
        422,
    )
    .await;
    assert!(
        narrow["detail"].as_str().unwrap().contains("forward pass"),
        "{narrow}"
    );
    assert_no_model_stored(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn bad_metadata_is_rejected_by_field() {
    let app = TestApp::spawn().await;
    let model = traced_linear_model(1, 1);
    let mut unknown = metadata(&["a"], "logit");
    unknown["owner"] = json!("me");
    let problem = expect_problem(app.upload_model(model.clone(), &unknown).await, 422).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("unknown field `owner`"),
        "{problem}"
    );
    assert_eq!(problem["location"]["field"], "metadata");

    let problem = expect_problem(
        app.upload_model(
            model.clone(),
            &json!({"name": "m", "version": "1", "features": [], "output": "logit"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(problem["location"]["field"], "metadata.features");

    let problem = expect_problem(
        app.upload_model(model.clone(), &metadata(&["a"], "odds"))
            .await,
        422,
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains("odds"));

    let form = Form::new().part("file", Part::bytes(model).file_name("m.pt"));
    let problem = expect_problem(
        app.post("/v1/models").multipart(form).send().await.unwrap(),
        422,
    )
    .await;
    assert_eq!(problem["location"]["field"], "metadata");
    assert_no_model_stored(&app).await;
    app.stop().await;
}
