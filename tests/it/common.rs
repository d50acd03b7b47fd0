//! Test harness: a real Postgres database per test, the real server on a
//! random port, real libtorch for model fixtures.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use probity::config::{DatabaseConfig, HttpConfig, WorkerConfig};
use probity::jobs::JobContext;
use probity::server;
use probity::store::blobs::BlobStore;
use probity::store::bucket::{Bucket, BucketSettings};
use probity::store::db;
use probity::store::keys::{self, Role};
use probity::store::references::ReferenceAccess;
use probity_audit::sandbox::{ModelSandbox, SandboxLimits};
use probity_audit::signing::ReportSigner;
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use sqlx::PgPool;
use tch::nn::Module;
use tokio_util::sync::CancellationToken;

/// Postgres server the tests create their databases on.
pub fn postgres_base() -> String {
    std::env::var("PROBITY_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// Options of a test server.
pub struct Options {
    pub workers: usize,
    pub upload_limit_bytes: u64,
    /// Signs reports when set.
    pub signer: Option<ReportSigner>,
    /// Limits of model runs.
    pub model_limits: SandboxLimits,
    /// Requests a second per key (bursts twice that); 0 turns the limit off.
    pub rate_limit_per_second: u32,
    /// Most rows an uploaded dataset may hold.
    pub max_dataset_rows: u64,
    /// Keep blobs in this bucket instead of the data folder.
    pub bucket: Option<BucketSettings>,
    /// Where datasets by reference may be read.
    pub references: ReferenceAccess,
    /// Rows per shard of a Parquet audit (0: never sharded).
    pub audit_shard_rows: u64,
    /// URL prefixes monitor webhooks may be sent to (the tests' receivers
    /// listen on 127.0.0.1, listed by default).
    pub webhook_urls: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            workers: 2,
            upload_limit_bytes: 2 * 1024 * 1024 * 1024,
            signer: None,
            model_limits: SandboxLimits::default(),
            rate_limit_per_second: 0,
            max_dataset_rows: u64::MAX,
            bucket: None,
            references: ReferenceAccess::default(),
            audit_shard_rows: 16_777_216,
            webhook_urls: vec!["http://127.0.0.1:".to_string()],
        }
    }
}

/// The model sandbox the test servers use: children run the `probity` binary
/// built for these tests, confined as in production.
pub fn model_sandbox(limits: SandboxLimits) -> ModelSandbox {
    let sandbox = ModelSandbox::new(env!("CARGO_BIN_EXE_probity").into(), limits, true);
    sandbox
        .probe()
        .expect("the model sandbox works on this machine");
    sandbox
}

/// A running Probity server on its own fresh database.
pub struct TestApp {
    pub url: String,
    pub database_url: String,
    pub pool: PgPool,
    pub data_dir: tempfile::TempDir,
    pub admin: String,
    pub client: reqwest::Client,
    pub shutdown: CancellationToken,
    pub references: ReferenceAccess,
    audit_shard_rows: u64,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
}

/// Worker settings that make lease expiry observable within seconds.
pub fn fast_worker_config() -> WorkerConfig {
    WorkerConfig {
        job_lease_secs: 2,
        job_poll_ms: 50,
        shutdown_grace_secs: 2,
        torch_threads: 1,
        audit_shard_rows: 16_777_216,
        webhook_urls: vec!["http://127.0.0.1:".to_string()],
    }
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(Options::default()).await
    }

    pub async fn spawn_with(options: Options) -> Self {
        let database_url = format!(
            "{}/probity_test_{}",
            postgres_base(),
            uuid::Uuid::new_v4().simple()
        );
        let database = DatabaseConfig {
            database_url: database_url.clone(),
            db_max_connections: 10,
            migrate_on_start: true,
        };
        let pool = db::connect(&database)
            .await
            .expect("connect to test Postgres");
        db::migrate(&pool).await.expect("migrate");
        let data_dir = tempfile::tempdir().unwrap();
        let bucket = options
            .bucket
            .as_ref()
            .map(|settings| Bucket::connect(settings).unwrap());
        let blobs = BlobStore::open(data_dir.path(), bucket).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let http = HttpConfig {
            bind: address,
            upload_limit_bytes: options.upload_limit_bytes,
            json_limit_bytes: 64 * 1024,
            request_timeout_secs: 30,
            upload_timeout_secs: 300,
            max_dataset_rows: options.max_dataset_rows,
            rate_limit_per_second: options.rate_limit_per_second,
            rate_limit_burst: options.rate_limit_per_second.saturating_mul(2),
            sse_streams_per_key: 8,
        };
        let shutdown = CancellationToken::new();
        let context = JobContext {
            pool: pool.clone(),
            blobs,
            references: options.references.clone(),
            config: WorkerConfig {
                audit_shard_rows: options.audit_shard_rows,
                webhook_urls: options.webhook_urls.clone(),
                ..fast_worker_config()
            },
            signer: options.signer,
            sandbox: model_sandbox(options.model_limits),
        };
        let server = tokio::spawn(server::serve(
            listener,
            context,
            http,
            options.workers,
            shutdown.clone(),
        ));
        let admin = keys::create_key(&pool, "test-admin", Role::Admin)
            .await
            .unwrap()
            .token;
        Self {
            url: format!("http://{address}"),
            database_url,
            pool,
            data_dir,
            admin,
            client: reqwest::Client::new(),
            shutdown,
            references: options.references,
            audit_shard_rows: options.audit_shard_rows,
            server,
        }
    }

    /// A fresh key with `role`.
    pub async fn key(&self, role: Role) -> String {
        keys::create_key(&self.pool, &format!("test-{role}"), role)
            .await
            .unwrap()
            .token
    }

    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.client
            .get(format!("{}{path}", self.url))
            .bearer_auth(&self.admin)
    }

    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.client
            .post(format!("{}{path}", self.url))
            .bearer_auth(&self.admin)
    }

    pub fn delete(&self, path: &str) -> reqwest::RequestBuilder {
        self.client
            .delete(format!("{}{path}", self.url))
            .bearer_auth(&self.admin)
    }

    /// Uploads a dataset file as the admin.
    pub async fn upload_dataset(&self, bytes: Vec<u8>, filename: &str) -> reqwest::Response {
        let form = Form::new().part("file", Part::bytes(bytes).file_name(filename.to_string()));
        self.post("/v1/datasets")
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    /// Uploads a dataset file as the admin; the upload must be accepted (201). The dataset.
    pub async fn dataset(&self, bytes: Vec<u8>, filename: &str) -> Value {
        let response = self.upload_dataset(bytes, filename).await;
        let status = response.status();
        let location = response.headers().get("location").cloned();
        let dataset: Value = response.json().await.unwrap();
        assert_eq!(status, 201, "{dataset}");
        assert_eq!(
            location.unwrap().to_str().unwrap(),
            format!("/v1/datasets/{}", dataset["id"].as_str().unwrap())
        );
        dataset
    }

    /// Uploads a model file with metadata as the admin.
    pub async fn upload_model(&self, bytes: Vec<u8>, metadata: &Value) -> reqwest::Response {
        let form = Form::new()
            .part("file", Part::bytes(bytes).file_name("model.pt"))
            .text("metadata", metadata.to_string());
        self.post("/v1/models")
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    /// Starts a job with `POST path` (answered 202) and waits for its end.
    pub async fn run_job(&self, path: &str, body: &Value) -> Value {
        let response = self.post(path).json(body).send().await.unwrap();
        assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
        let location = response.headers().get("location").cloned();
        let job: Value = response.json().await.unwrap();
        let id = job["id"].as_str().unwrap();
        assert_eq!(
            location.unwrap().to_str().unwrap(),
            format!("/v1/jobs/{id}")
        );
        self.wait_for_job(id).await
    }

    /// A GET request with another key than the admin's.
    pub fn get_as(&self, token: &str, path: &str) -> reqwest::RequestBuilder {
        self.client
            .get(format!("{}{path}", self.url))
            .bearer_auth(token)
    }

    /// Polls a job until it reaches a terminal state.
    pub async fn wait_for_job(&self, id: &str) -> Value {
        wait_until(Duration::from_secs(60), || async {
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

    /// The stored report body of a job that must have succeeded.
    pub async fn report_body(&self, job: &Value) -> Value {
        self.report(job).await["body"].clone()
    }

    /// The stored report (id, sha256, body, ...) a succeeded audit job links to.
    pub async fn report(&self, job: &Value) -> Value {
        assert_eq!(job["status"], "succeeded", "{job}");
        self.get(job["result"]["report_url"].as_str().unwrap())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Number of rows in a table.
    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    /// Files in the blob store (excluding staging).
    pub fn blob_files(&self) -> Vec<PathBuf> {
        files_under(&self.data_dir.path().join("blobs"))
    }

    /// Files left in the staging folder.
    pub fn staging_files(&self) -> Vec<PathBuf> {
        files_under(&self.data_dir.path().join("staging"))
    }

    /// Job workers of their own in this process, with their own empty data
    /// folder: they share only Postgres (and the bucket, if given) with the API.
    pub fn spawn_workers(&self, workers: usize, bucket: Option<&BucketSettings>) -> TestWorkers {
        let data_dir = tempfile::tempdir().unwrap();
        let bucket = bucket.map(|settings| Bucket::connect(settings).unwrap());
        let context = JobContext {
            pool: self.pool.clone(),
            blobs: BlobStore::open(data_dir.path(), bucket).unwrap(),
            references: self.references.clone(),
            config: WorkerConfig {
                audit_shard_rows: self.audit_shard_rows,
                ..fast_worker_config()
            },
            signer: None,
            sandbox: model_sandbox(SandboxLimits::default()),
        };
        let shutdown = CancellationToken::new();
        let handle = tokio::spawn(server::run_workers(
            context,
            workers,
            None,
            shutdown.clone(),
        ));
        TestWorkers {
            data_dir,
            shutdown,
            handle,
        }
    }

    /// Stops the server and its workers.
    pub async fn stop(self) {
        self.shutdown.cancel();
        let _ = self.server.await;
    }
}

/// A `probity worker` process on the test app's database and data folder
/// (leases of 2 s, polls every 50 ms, the app's shard size).
pub struct WorkerProcess(std::process::Child);

impl WorkerProcess {
    pub fn start(app: &TestApp, workers: usize) -> Self {
        Self::start_with(app, workers, &[])
    }

    pub fn start_with(app: &TestApp, workers: usize, extra: &[&str]) -> Self {
        use std::process::{Command, Stdio};
        let child = Command::new(env!("CARGO_BIN_EXE_probity"))
            .args(["worker", "--workers", &workers.to_string()])
            .args(extra)
            .env("DATABASE_URL", &app.database_url)
            .env("PROBITY_DATA_DIR", app.data_dir.path())
            .env("PROBITY_JOB_LEASE_SECS", "2")
            .env("PROBITY_JOB_POLL_MS", "50")
            .env("PROBITY_SHUTDOWN_GRACE_SECS", "1")
            .env("PROBITY_AUDIT_SHARD_ROWS", app.audit_shard_rows.to_string())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawning probity worker");
        Self(child)
    }

    pub fn pid(&self) -> u32 {
        self.0.id()
    }

    pub fn signal(&self, signal: nix::sys::signal::Signal) {
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(self.pid() as i32), signal).unwrap();
    }

    /// Waits for the process to exit.
    pub fn wait(mut self) -> std::process::ExitStatus {
        self.0.wait().unwrap()
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Job workers started by `TestApp::spawn_workers`.
pub struct TestWorkers {
    pub data_dir: tempfile::TempDir,
    shutdown: CancellationToken,
    handle: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl TestWorkers {
    /// Files anywhere in the workers' data folder.
    pub fn files(&self) -> Vec<PathBuf> {
        files_under(self.data_dir.path())
    }

    /// Stops the workers.
    pub async fn stop(self) {
        self.shutdown.cancel();
        let _ = self.handle.await;
    }
}

/// Bucket the S3 test server starts with.
pub const S3_BUCKET: &str = "probity-test";
const S3_ACCESS_KEY: &str = "probity-test-key";
const S3_SECRET_KEY: &str = "probity-test-secret-0123456789";

/// A real S3 server (s3s-fs, `$PROBITY_S3S_FS` as `scripts/setup-s3s`
/// installs it) on a random loopback port, serving a temporary folder in
/// which each bucket is a directory and each object a file.
pub struct S3Server {
    child: std::process::Child,
    pub root: tempfile::TempDir,
    pub endpoint: String,
}

impl S3Server {
    pub fn start() -> Self {
        use std::io::BufRead;
        let binary = std::env::var("PROBITY_S3S_FS")
            .expect("PROBITY_S3S_FS names the s3s-fs binary (scripts/setup-s3s installs it)");
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join(S3_BUCKET)).unwrap();
        let mut child = std::process::Command::new(binary)
            .args(["--host", "127.0.0.1", "--port", "0"])
            .args(["--access-key", S3_ACCESS_KEY, "--secret-key", S3_SECRET_KEY])
            .arg(root.path())
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("starting s3s-fs");
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let endpoint = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|line| {
                line.split("server is running at ")
                    .nth(1)
                    .map(|url| url.trim().to_string())
            })
            .expect("s3s-fs printed its address");
        // Keep draining its log so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Self {
            child,
            root,
            endpoint,
        }
    }

    /// Settings for `s3://probity-test/<prefix>` on this server.
    pub fn settings(&self, prefix: &str) -> BucketSettings {
        self.settings_with_secret(prefix, S3_SECRET_KEY)
    }

    /// The same with another secret key (a wrong one is refused).
    pub fn settings_with_secret(&self, prefix: &str, secret: &str) -> BucketSettings {
        BucketSettings {
            url: format!("s3://{S3_BUCKET}/{prefix}"),
            options: [
                ("aws_endpoint", self.endpoint.as_str()),
                ("aws_allow_http", "true"),
                ("aws_region", "us-east-1"),
                ("aws_access_key_id", S3_ACCESS_KEY),
                ("aws_secret_access_key", secret),
            ]
            .into_iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect(),
        }
    }

    /// The file holding object `key` of the test bucket.
    pub fn object_file(&self, key: &str) -> PathBuf {
        self.root.path().join(S3_BUCKET).join(key)
    }

    /// The file holding the blob with this sha256 under `prefix` (empty: none).
    pub fn blob_file(&self, prefix: &str, sha256: &str) -> PathBuf {
        let key = format!("blobs/{}/{}", &sha256[..2], &sha256[2..]);
        match prefix {
            "" => self.object_file(&key),
            prefix => self.object_file(&format!("{prefix}/{key}")),
        }
    }

    /// Files of objects under `prefix` in the test bucket (s3s-fs keeps its
    /// own bookkeeping in dot-files, left out).
    pub fn objects(&self, prefix: &str) -> Vec<PathBuf> {
        files_under(&self.object_file(prefix))
            .into_iter()
            .filter(|path| !path.file_name().unwrap().to_string_lossy().starts_with('.'))
            .collect()
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn files_under(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path)
            } else {
                found.push(path)
            }
        }
    }
    found
}

/// Retries `probe` every 50 ms until it returns Some, or panics after `limit`.
pub async fn wait_until<T, F, Fut>(limit: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "condition not met within {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Asserts an RFC 9457 problem response and returns its body.
pub async fn expect_problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status, "unexpected status");
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert!(
        body["type"]
            .as_str()
            .unwrap()
            .starts_with("urn:probity:problem:")
    );
    assert!(!body["detail"].as_str().unwrap().is_empty());
    body
}

/// A TorchScript file made by tracing a linear layer `width -> outputs` under no-grad.
pub fn traced_linear_model(width: i64, outputs: i64) -> Vec<u8> {
    let mut vs = tch::nn::VarStore::new(tch::Device::Cpu);
    let linear = tch::nn::linear(vs.root(), width, outputs, Default::default());
    vs.freeze();
    let example = tch::Tensor::zeros([4, width], (tch::Kind::Float, tch::Device::Cpu));
    let module = tch::no_grad(|| {
        tch::CModule::create_by_tracing("LinearModel", "forward", &[example], &mut |inputs| {
            vec![linear.forward(&inputs[0])]
        })
    })
    .expect("tracing");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.pt");
    module.save(&path).unwrap();
    std::fs::read(path).unwrap()
}

/// A TorchScript file of a linear model with the given weights and bias
/// (one logit per row), traced under no-grad.
pub fn traced_linear_model_with(weights: &[f32], bias: f32) -> Vec<u8> {
    let width = weights.len() as i64;
    let mut vs = tch::nn::VarStore::new(tch::Device::Cpu);
    let mut linear = tch::nn::linear(vs.root(), width, 1, Default::default());
    tch::no_grad(|| {
        linear
            .ws
            .copy_(&tch::Tensor::from_slice(weights).view([1, width]));
        if let Some(bs) = linear.bs.as_mut() {
            bs.copy_(&tch::Tensor::from_slice(&[bias]));
        }
    });
    vs.freeze();
    let example = tch::Tensor::zeros([4, width], (tch::Kind::Float, tch::Device::Cpu));
    let module = tch::no_grad(|| {
        tch::CModule::create_by_tracing("LinearModel", "forward", &[example], &mut |inputs| {
            vec![linear.forward(&inputs[0])]
        })
    })
    .expect("tracing");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.pt");
    module.save(&path).unwrap();
    std::fs::read(path).unwrap()
}

/// A hand-set TorchScript token classifier: an embedding lookup whose row
/// `id` holds the per-label logits of token `id` (`logits[id]`), traced on
/// Int64 ids `[2, max_tokens]`; it answers `[batch, tokens, labels]` for any
/// batch. The bytes of the saved module.
pub fn traced_token_classifier(logits: &[Vec<f32>], max_tokens: i64) -> Vec<u8> {
    let labels = logits[0].len() as i64;
    let table = tch::Tensor::from_slice(&logits.concat()).view([logits.len() as i64, labels]);
    let example = tch::Tensor::zeros([2, max_tokens], (tch::Kind::Int64, tch::Device::Cpu));
    let module = tch::no_grad(|| {
        tch::CModule::create_by_tracing("TokenClassifier", "forward", &[example], &mut |inputs| {
            vec![tch::Tensor::embedding(&table, &inputs[0], -1, false, false)]
        })
    })
    .expect("tracing");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ner.pt");
    module.save(&path).unwrap();
    std::fs::read(path).unwrap()
}

/// Uploads a model file with metadata and, when given, a vocabulary part, as the admin.
pub async fn upload_model_with_vocabulary(
    app: &TestApp,
    bytes: Vec<u8>,
    metadata: &Value,
    vocabulary: Option<&str>,
) -> reqwest::Response {
    let mut form = Form::new()
        .part("file", Part::bytes(bytes).file_name("model.pt"))
        .text("metadata", metadata.to_string());
    if let Some(vocabulary) = vocabulary {
        form = form.part(
            "vocabulary",
            Part::bytes(vocabulary.as_bytes().to_vec()).file_name("vocab.txt"),
        );
    }
    app.post("/v1/models").multipart(form).send().await.unwrap()
}

/// The virtual environment with openapi-python-client and schemathesis: `$PROBITY_PYCLIENT_VENV`
/// or `$HOME/.cache/probity/pyclient-venv`, as `scripts/setup-pyclient` makes it.
pub fn python_tools_venv() -> PathBuf {
    match std::env::var_os("PROBITY_PYCLIENT_VENV") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
            .join(".cache/probity/pyclient-venv"),
    }
}

/// Asserts that `job` failed and that its error says `reason`.
pub fn assert_failed_saying(job: &Value, reason: &str) {
    assert_eq!(job["status"], "failed", "{job}");
    let error = job["error"].as_str().unwrap_or_default();
    assert!(error.contains(reason), "{error:?} does not say {reason:?}");
}

/// Rows `start..end` of the reference table: a score, a group, a label and
/// a contact column with an e-mail address in every fifth row.
pub fn decisions(start: usize, end: usize) -> polars::prelude::DataFrame {
    use polars::prelude::*;
    let rows = start..end;
    df!(
        "score" => rows.clone().map(|i| (i * 7919 % 1000) as f64 / 1000.0).collect::<Vec<_>>(),
        "group" => rows.clone().map(|i| ["a", "b", "c"][i % 3]).collect::<Vec<_>>(),
        "label" => rows.clone().map(|i| (i * 31 % 7 < 3) as i64).collect::<Vec<_>>(),
        "contact" => rows
            .map(|i| if i % 5 == 0 { format!("mail person{i}@example.org") } else { "none".into() })
            .collect::<Vec<_>>(),
    )
    .unwrap()
}

/// Writes `frame` as Parquet to `key` of the test bucket through the S3 API.
pub async fn put_parquet(bucket: &Bucket, key: &str, mut frame: polars::prelude::DataFrame) {
    use polars::prelude::ParquetWriter;
    let file = tempfile::NamedTempFile::new().unwrap();
    ParquetWriter::new(std::fs::File::create(file.path()).unwrap())
        .finish(&mut frame)
        .unwrap();
    bucket
        .upload_file(file.path(), &object_store::path::Path::from(key))
        .await
        .unwrap();
}
