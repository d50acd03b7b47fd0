//! Configuration from command-line flags and environment variables, with
//! defaults that run on a developer machine with nothing set.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use probity_audit::sandbox::{ModelSandbox, SandboxLimits};
use probity_audit::signing::{ReportSigner, SigningError};

/// Where Postgres is.
#[derive(Debug, Clone, Args)]
pub struct DatabaseConfig {
    /// Postgres connection URL; the database is created if it does not exist.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/probity"
    )]
    pub database_url: String,
    /// Maximum connections in the pool.
    #[arg(long, env = "PROBITY_DB_MAX_CONNECTIONS", default_value_t = 16)]
    pub db_max_connections: u32,
    /// Apply pending migrations at start. Set false where `probity migrate` runs as its own
    /// step on a direct connection (migrations take a session advisory lock, which a
    /// transaction-mode pooler cannot hold); a start then refuses a database that lacks any.
    #[arg(long, env = "PROBITY_MIGRATE_ON_START", default_value_t = true, action = clap::ArgAction::Set)]
    pub migrate_on_start: bool,
}

/// Where blobs (uploaded files) are kept.
#[derive(Debug, Clone, Args)]
pub struct StorageConfig {
    /// Directory of the content-addressed blob store (with a blob URL, of
    /// staging files and local copies only).
    #[arg(long, env = "PROBITY_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Keep blobs in an S3-compatible bucket, `s3://bucket/prefix`, reached
    /// with the usual `AWS_*` variables (`AWS_ENDPOINT_URL`, `AWS_REGION`,
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_ALLOW_HTTP`).
    #[arg(long, env = "PROBITY_BLOB_URL")]
    pub blob_url: Option<String>,
    /// Locations (`s3://bucket/prefix`, comma-separated) under which Parquet
    /// objects may be registered as datasets by reference; none by default.
    #[arg(long, env = "PROBITY_REFERENCE_URLS", value_delimiter = ',')]
    pub reference_urls: Vec<String>,
}

/// How workers claim and run jobs.
#[derive(Debug, Clone, Args)]
pub struct WorkerConfig {
    /// Seconds a claimed job stays leased without a heartbeat before another worker may take it.
    #[arg(long, env = "PROBITY_JOB_LEASE_SECS", default_value_t = 30)]
    pub job_lease_secs: u64,
    /// Milliseconds between polls of an empty queue.
    #[arg(long, env = "PROBITY_JOB_POLL_MS", default_value_t = 500)]
    pub job_poll_ms: u64,
    /// Seconds running jobs get to stop on shutdown before they are returned to the queue.
    #[arg(long, env = "PROBITY_SHUTDOWN_GRACE_SECS", default_value_t = 10)]
    pub shutdown_grace_secs: u64,
    /// Threads libtorch may use per job (0 keeps libtorch's default).
    #[arg(long, env = "PROBITY_TORCH_THREADS", default_value_t = 0)]
    pub torch_threads: i32,
    /// Rows per shard of an audit of a Parquet dataset (rounded up to a
    /// multiple of 65,536): a larger dataset is audited by shard jobs that
    /// any worker may run, then merged. 0 never shards.
    #[arg(long, env = "PROBITY_AUDIT_SHARD_ROWS", default_value_t = 16_777_216)]
    pub audit_shard_rows: u64,
    /// URL prefixes (comma-separated) monitor webhooks may be sent to, internal
    /// addresses included; none set: any http(s) URL whose host resolves to
    /// public addresses only.
    #[arg(long, env = "PROBITY_WEBHOOK_URLS", value_delimiter = ',')]
    pub webhook_urls: Vec<String>,
}

impl WorkerConfig {
    /// Lease length.
    pub fn lease(&self) -> Duration {
        Duration::from_secs(self.job_lease_secs.max(1))
    }
    /// Poll interval of an idle worker.
    pub fn poll_interval(&self) -> Duration {
        Duration::from_millis(self.job_poll_ms.max(10))
    }
    /// Grace period on shutdown.
    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(self.shutdown_grace_secs)
    }
}

/// The key that signs reports.
#[derive(Debug, Clone, Args)]
pub struct SigningConfig {
    /// Ed25519 private key (PKCS#8 PEM, e.g. from `probity signing-key generate` or
    /// `openssl genpkey -algorithm ed25519`) that signs every new report; unset: reports are not signed.
    #[arg(long, env = "PROBITY_SIGNING_KEY_FILE")]
    pub signing_key_file: Option<PathBuf>,
}

impl SigningConfig {
    /// Loads the key, if one is configured.
    pub fn load(&self) -> Result<Option<ReportSigner>, SigningError> {
        self.signing_key_file
            .as_deref()
            .map(ReportSigner::from_pem_file)
            .transpose()
    }
}

/// Where a `probity worker` serves its own health and metrics.
#[derive(Debug, Clone, Args)]
pub struct WorkerProbesConfig {
    /// Address for the worker's `/healthz`, `/readyz` and `/metrics` (job counters and durations
    /// of this process; `/metrics` needs an API key, as on the API); unset: none.
    #[arg(long, env = "PROBITY_WORKER_METRICS_BIND")]
    pub metrics_bind: Option<SocketAddr>,
}

/// HTTP server settings.
#[derive(Debug, Clone, Args)]
pub struct HttpConfig {
    /// Address the API listens on.
    #[arg(long, env = "PROBITY_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Largest accepted upload (datasets, models), in bytes.
    #[arg(long, env = "PROBITY_UPLOAD_LIMIT_BYTES", default_value_t = 2 * 1024 * 1024 * 1024)]
    pub upload_limit_bytes: u64,
    /// Largest accepted JSON body, in bytes.
    #[arg(long, env = "PROBITY_JSON_LIMIT_BYTES", default_value_t = 1024 * 1024)]
    pub json_limit_bytes: u64,
    /// Seconds an ordinary request may take.
    #[arg(long, env = "PROBITY_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,
    /// Seconds an upload request may take.
    #[arg(long, env = "PROBITY_UPLOAD_TIMEOUT_SECS", default_value_t = 3600)]
    pub upload_timeout_secs: u64,
    /// Most rows an uploaded dataset may hold (a Parquet file by its footer, before any row is read).
    #[arg(long, env = "PROBITY_MAX_DATASET_ROWS", default_value_t = 200_000_000)]
    pub max_dataset_rows: u64,
    /// Requests a second per API key (0: no limit); beyond the burst, 429.
    #[arg(long, env = "PROBITY_RATE_LIMIT_PER_SECOND", default_value_t = 50)]
    pub rate_limit_per_second: u32,
    /// Requests an API key may make at once before the per-second rate applies.
    #[arg(long, env = "PROBITY_RATE_LIMIT_BURST", default_value_t = 200)]
    pub rate_limit_burst: u32,
    /// Concurrent job event streams (SSE) per API key.
    #[arg(long, env = "PROBITY_SSE_STREAMS_PER_KEY", default_value_t = 8)]
    pub sse_streams_per_key: usize,
}

impl HttpConfig {
    /// Settings of a listener that serves only probes (no uploads, small bodies).
    pub fn probes(bind: SocketAddr) -> Self {
        Self {
            bind,
            upload_limit_bytes: 0,
            json_limit_bytes: 64 * 1024,
            request_timeout_secs: 30,
            upload_timeout_secs: 30,
            max_dataset_rows: 0,
            rate_limit_per_second: 50,
            rate_limit_burst: 200,
            sse_streams_per_key: 0,
        }
    }
}

/// How uploaded TorchScript models run: in a confined child process with limits.
#[derive(Debug, Clone, Args)]
pub struct SandboxConfig {
    /// Heap and anonymous memory a model run may use, in MiB.
    #[arg(long, env = "PROBITY_MODEL_MEMORY_MIB", default_value_t = 4096)]
    pub model_memory_mib: u64,
    /// CPU time a model run may use, in seconds.
    #[arg(long, env = "PROBITY_MODEL_CPU_SECS", default_value_t = 300)]
    pub model_cpu_secs: u64,
    /// Wall-clock time a model run may take, in seconds.
    #[arg(long, env = "PROBITY_MODEL_WALL_SECS", default_value_t = 300)]
    pub model_wall_secs: u64,
    /// libtorch threads of a model run.
    #[arg(long, env = "PROBITY_MODEL_THREADS", default_value_t = 4)]
    pub model_threads: usize,
    /// The `probity` binary that runs models (`probity model-runner`); default: this one.
    #[arg(long, env = "PROBITY_MODEL_RUNNER")]
    pub model_runner: Option<PathBuf>,
    /// Run uploaded models without Landlock and seccomp where the kernel lacks them (the
    /// limits and the separate process stay). Unsafe: a model can then read and write what the
    /// service user can. Logged loudly at every start.
    #[arg(
        long,
        env = "PROBITY_UNSAFE_UNCONFINED_MODELS",
        default_value_t = false
    )]
    pub unsafe_unconfined_models: bool,
}

impl SandboxConfig {
    /// The sandbox these settings describe.
    pub fn sandbox(&self) -> std::io::Result<ModelSandbox> {
        let runner = match &self.model_runner {
            Some(path) => path.clone(),
            None => std::env::current_exe()?,
        };
        let limits = SandboxLimits {
            memory_mib: self.model_memory_mib.max(64),
            cpu_seconds: self.model_cpu_secs.max(1),
            wall_seconds: self.model_wall_secs.max(1),
            threads: self.model_threads.max(1),
        };
        Ok(ModelSandbox::new(
            runner,
            limits,
            !self.unsafe_unconfined_models,
        ))
    }

    /// The sandbox, after a probe child showed that this kernel can confine
    /// models; refuses (saying why) unless the operator opted out.
    pub fn checked_sandbox(&self) -> anyhow::Result<ModelSandbox> {
        let sandbox = self.sandbox()?;
        if self.unsafe_unconfined_models {
            tracing::warn!(
                "PROBITY_UNSAFE_UNCONFINED_MODELS is set: uploaded models run WITHOUT Landlock and \
                 seccomp and can read and write what this service's user can"
            );
        }
        sandbox.probe().map_err(|e| {
            anyhow::anyhow!(
                "uploaded models cannot be sandboxed on this machine: {e}. Probity refuses to run \
                 them unconfined; set PROBITY_UNSAFE_UNCONFINED_MODELS=1 to accept the risk"
            )
        })?;
        Ok(sandbox)
    }
}
