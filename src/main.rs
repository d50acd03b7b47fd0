//! The `probity` command line: serve, worker, migrate, openapi, keys.

use anyhow::Context;
use clap::{Parser, Subcommand};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use probity::config::{
    DatabaseConfig, HttpConfig, SandboxConfig, SigningConfig, StorageConfig, WorkerConfig,
    WorkerProbesConfig,
};
use probity::jobs::JobContext;
use probity::server;
use probity::store::blobs::BlobStore;
use probity::store::bucket::{Bucket, BucketSettings};
use probity::store::db;
use probity::store::keys::{self, Role};
use probity::store::references::ReferenceAccess;
use probity_audit::audit::{self, AuditChecks, AuditRequest};
use probity_audit::dataset::DatasetLocation;
use probity_audit::report::DatasetInput;
use probity_audit::sandbox::RUNNER_SUBCOMMAND;
use probity_fairness::{FairnessOptions, LabelValue};

#[derive(Parser)]
#[command(name = "probity", version, about = "Responsible-AI audit service")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP API and in-process job workers.
    Serve {
        #[command(flatten)]
        database: DatabaseConfig,
        #[command(flatten)]
        storage: StorageConfig,
        #[command(flatten)]
        http: HttpConfig,
        #[command(flatten)]
        worker: WorkerConfig,
        #[command(flatten)]
        signing: SigningConfig,
        #[command(flatten)]
        sandbox: SandboxConfig,
        /// In-process job workers (0 for an API-only replica).
        #[arg(long, env = "PROBITY_WORKERS", default_value_t = 2)]
        workers: usize,
    },
    /// Run job workers only; any number of these processes share the queue.
    Worker {
        #[command(flatten)]
        database: DatabaseConfig,
        #[command(flatten)]
        storage: StorageConfig,
        #[command(flatten)]
        worker: WorkerConfig,
        #[command(flatten)]
        signing: SigningConfig,
        #[command(flatten)]
        probes: WorkerProbesConfig,
        #[command(flatten)]
        sandbox: SandboxConfig,
        /// Concurrent jobs in this process.
        #[arg(long, env = "PROBITY_WORKERS", default_value_t = 2)]
        workers: usize,
    },
    /// Create the database if needed and apply migrations.
    Migrate {
        #[command(flatten)]
        database: DatabaseConfig,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Run a fairness (and optionally PII) audit of a local file and print the report JSON (no server needed).
    Audit(AuditArgs),
    /// Re-run an audit from its request on a local copy of its data and say whether the
    /// results digest matches the report's (no server needed; audits without a model).
    Reproduce(ReproduceArgs),
    /// Manage the Ed25519 key that signs reports.
    SigningKey {
        #[command(subcommand)]
        action: SigningKeyAction,
    },
    /// Manage API keys.
    Keys {
        #[command(flatten)]
        database: DatabaseConfig,
        #[command(subcommand)]
        action: KeysAction,
    },
}

#[derive(clap::Args)]
struct AuditArgs {
    /// Data file: CSV, Parquet or NDJSON (detected from content).
    #[arg(long)]
    data: std::path::PathBuf,
    /// Column of true labels.
    #[arg(long, required_unless_present = "no_fairness")]
    label: Option<String>,
    /// Column of predicted labels.
    #[arg(long, conflicts_with = "score", required_unless_present_any = ["score", "no_fairness"])]
    prediction: Option<String>,
    /// Column of probabilities in [0, 1] (instead of --prediction).
    #[arg(long)]
    score: Option<String>,
    /// Threshold for --score.
    #[arg(long, requires = "score")]
    threshold: Option<f64>,
    /// Sensitive feature columns, comma-separated.
    #[arg(long, value_delimiter = ',', required_unless_present = "no_fairness")]
    sensitive: Vec<String>,
    /// Skip the fairness check: a PII-only scan (needs --pii; no label, predictions or sensitive features).
    #[arg(long, requires = "pii", conflicts_with_all = ["label", "prediction", "score", "sensitive", "weights"])]
    no_fairness: bool,
    /// Column of sample weights.
    #[arg(long)]
    weights: Option<String>,
    /// The favourable label value (`1`, `true`, or text).
    #[arg(long, default_value = "1")]
    positive_label: String,
    /// Reference (privileged) group as FEATURE=VALUE; repeatable.
    #[arg(long = "reference-group", value_parser = parse_reference)]
    reference_groups: Vec<(String, String)>,
    /// Bootstrap resamples for confidence intervals.
    #[arg(long, default_value_t = 1000)]
    bootstrap: u32,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Also search the slices nobody declared (up to 3 low-cardinality columns).
    #[arg(long)]
    subgroups: bool,
    /// Regulation tables to add: nyc_ll144, four_fifths (comma-separated).
    #[arg(long, value_delimiter = ',', value_parser = parse_profile)]
    profile: Vec<probity_fairness::regulation::Profile>,
    /// Leave out the remedies (per-group thresholds) that scores otherwise bring.
    #[arg(long)]
    no_remedies: bool,
    /// Also scan every column for PII (default options: all rows, confidence >= 0.5).
    #[arg(long)]
    pii: bool,
    /// Write the redacted per-cell PII findings (NDJSON) to this file.
    #[arg(long, requires = "pii")]
    pii_findings: Option<std::path::PathBuf>,
    /// Also write the audit request (JSON) to this file, for `probity reproduce`.
    #[arg(long)]
    save_request: Option<std::path::PathBuf>,
}

#[derive(clap::Args)]
struct ReproduceArgs {
    /// The report to reproduce (its JSON body, or the stored report with the body under `body`).
    #[arg(long)]
    report: std::path::PathBuf,
    /// The audit request that made it: `probity audit --save-request`, or the `payload`
    /// of the audit job that made a service's report (`GET /v1/jobs/{job_id}`).
    #[arg(long)]
    request: std::path::PathBuf,
    /// The data file audited; its sha256 must be the report's dataset sha256.
    #[arg(long)]
    data: std::path::PathBuf,
}

fn parse_reference(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(f, v)| (f.to_string(), v.to_string()))
        .ok_or_else(|| "expected FEATURE=VALUE".into())
}

fn parse_profile(text: &str) -> Result<probity_fairness::regulation::Profile, String> {
    serde_json::from_value(serde_json::Value::String(text.to_string()))
        .map_err(|_| "expected nyc_ll144 or four_fifths".into())
}

fn parse_label(text: &str) -> LabelValue {
    if let Ok(b) = text.parse::<bool>() {
        LabelValue::Bool(b)
    } else if let Ok(i) = text.parse::<i64>() {
        LabelValue::Int(i)
    } else {
        LabelValue::Text(text.to_string())
    }
}

fn run_local_audit(args: AuditArgs) -> anyhow::Result<()> {
    let (sha256, _) = probity::store::blobs::hash_file(&args.data)
        .with_context(|| format!("reading {}", args.data.display()))?;
    let mut checks = AuditChecks::default();
    let mut fairness = FairnessOptions::default();
    fairness.bootstrap.resamples = args.bootstrap;
    fairness.bootstrap.seed = args.seed;
    fairness.subgroups.enabled = args.subgroups;
    fairness.profiles = args.profile;
    fairness.remedies.enabled = !args.no_remedies;
    checks.fairness = (!args.no_fairness).then_some(fairness);
    checks.pii = args.pii.then(Default::default);
    let request = AuditRequest {
        dataset_id: Uuid::nil(),
        model_id: None,
        prediction_column: args.prediction,
        score_column: args.score,
        threshold: args.threshold,
        positive_label: args
            .label
            .is_some()
            .then(|| parse_label(&args.positive_label)),
        label_column: args.label,
        sensitive_features: args.sensitive,
        sample_weight_column: args.weights,
        reference_groups: args.reference_groups.into_iter().collect(),
        checks,
        policy: Default::default(),
        reproduces: None,
    };
    if let Some(path) = &args.save_request {
        std::fs::write(path, serde_json::to_vec_pretty(&request)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let mut findings: Box<dyn std::io::Write> = match &args.pii_findings {
        None => Box::new(std::io::sink()),
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
    };
    let report = audit_file(&request, &args.data, sha256, &mut *findings)?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// Audits a local data file (whose sha256 is given) and seals the report's results digest.
fn audit_file(
    request: &AuditRequest,
    data: &std::path::Path,
    sha256: String,
    findings: &mut dyn std::io::Write,
) -> anyhow::Result<probity_audit::report::AuditReport> {
    let format = probity_audit::dataset::detect_format(data)?;
    let name = data
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut report = audit::run(
        request,
        &DatasetLocation::file(data, format),
        DatasetInput {
            id: None,
            name,
            sha256,
        },
        Default::default(),
        findings,
    )?;
    report.seal_results();
    Ok(report)
}

/// `probity reproduce`: re-runs the request on the data (checked against the
/// report's dataset hash), prints both results digests and whether they
/// match, and fails when they do not.
fn reproduce_locally(args: ReproduceArgs) -> anyhow::Result<()> {
    let read_json = |path: &std::path::Path| -> anyhow::Result<serde_json::Value> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
    };
    let stored = read_json(&args.report)?;
    let body = stored.get("body").cloned().unwrap_or(stored);
    let request: AuditRequest = serde_json::from_value(read_json(&args.request)?)
        .with_context(|| format!("{} is not an audit request", args.request.display()))?;
    anyhow::ensure!(
        request.model_id.is_none()
            && request
                .checks
                .pii
                .as_ref()
                .is_none_or(|p| p.ner_model_id.is_none()),
        "this audit ran a model; re-run it where the model is stored: POST /v1/reports/{{id}}/reproduce"
    );
    let (sha256, _) = probity::store::blobs::hash_file(&args.data)
        .with_context(|| format!("reading {}", args.data.display()))?;
    let expected = body
        .pointer("/inputs/dataset/sha256")
        .and_then(|v| v.as_str());
    anyhow::ensure!(
        expected == Some(sha256.as_str()),
        "{} has sha256 {sha256}, but the report audited a dataset with sha256 {}",
        args.data.display(),
        expected.unwrap_or("(none recorded)")
    );
    let original = probity_audit::report::results_digest_of(&body);
    let again = audit_file(&request, &args.data, sha256, &mut std::io::sink())?;
    let digest = again.results_sha256.clone().unwrap_or_default();
    let matches = digest == original;
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({
            "original_results_sha256": original,
            "results_sha256": digest,
            "matches": matches,
        }))?
    );
    anyhow::ensure!(matches, "the re-run's results differ from the report's");
    Ok(())
}

#[derive(Subcommand)]
enum SigningKeyAction {
    /// Write a new Ed25519 private key (PKCS#8 PEM, mode 0600) and print its public key.
    Generate {
        /// File to create; an existing file is never overwritten.
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

fn generate_signing_key(out: &std::path::Path) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let signer = probity_audit::signing::ReportSigner::generate();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(out)
        .with_context(|| format!("creating {}", out.display()))?;
    file.write_all(signer.private_key_pem().as_bytes())?;
    let public = signer.public_key();
    println!(
        "Wrote {} (key id {}). Set PROBITY_SIGNING_KEY_FILE to it. Public key:\n{}",
        out.display(),
        public.key_id,
        public.public_key_pem
    );
    Ok(())
}

#[derive(Subcommand)]
enum KeysAction {
    /// Create a key and print its token (shown once).
    Create {
        /// Name to recognise the key by.
        #[arg(long)]
        name: String,
        /// Role of the key.
        #[arg(long, value_enum, default_value_t = Role::Viewer)]
        role: Role,
    },
    /// List keys.
    List,
    /// Revoke a key by id.
    Revoke { id: Uuid },
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let json = std::env::var("PROBITY_LOG_FORMAT").is_ok_and(|f| f == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init()
    } else {
        builder.init()
    }
}

async fn open_database(database: &DatabaseConfig) -> anyhow::Result<sqlx::PgPool> {
    let pool = db::connect(database).await?;
    if database.migrate_on_start {
        db::migrate(&pool).await?;
    } else if !db::migrations_applied(&pool).await? {
        anyhow::bail!(
            "the database lacks migrations this binary needs and PROBITY_MIGRATE_ON_START is \
             false: run `probity migrate` first (on a direct connection, not through a \
             transaction-mode pooler)"
        );
    }
    Ok(pool)
}

/// Opens the blob store and removes staging files a crash or kill left
/// behind (nothing under way is a day old).
async fn open_blobs(storage: &StorageConfig) -> anyhow::Result<BlobStore> {
    let bucket = match &storage.blob_url {
        None => None,
        Some(url) => {
            let bucket = Bucket::connect(&BucketSettings::from_env(url))?;
            bucket.check().await?;
            Some(bucket)
        }
    };
    let blobs = BlobStore::open(&storage.data_dir, bucket)?;
    tracing::info!(blobs = %blobs.describe(), "blob store");
    let swept = blobs.sweep_staging(std::time::Duration::from_secs(24 * 3600))?;
    if swept > 0 {
        tracing::info!(files = swept, "removed stale staging files");
    }
    Ok(blobs)
}

fn main() -> anyhow::Result<()> {
    // A model-runner child confines itself before any other thread exists,
    // so it must not start the async runtime first.
    if std::env::args().nth(1).as_deref() == Some(RUNNER_SUBCOMMAND) {
        std::process::exit(probity_audit::sandbox::run_child());
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(Cli::parse()))
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    init_tracing();
    match cli.command {
        Command::Serve {
            database,
            storage,
            http,
            worker,
            signing,
            sandbox,
            workers,
        } => {
            let signer = signing.load()?;
            let sandbox = sandbox.checked_sandbox()?;
            let pool = open_database(&database).await?;
            let blobs = open_blobs(&storage).await?;
            if let Some(created) = keys::ensure_initial_admin(&pool).await? {
                println!(
                    "Created the first admin API key (shown once, store it now):\n  {}",
                    created.token
                );
            }
            let listener = tokio::net::TcpListener::bind(http.bind)
                .await
                .with_context(|| format!("binding {}", http.bind))?;
            let shutdown = CancellationToken::new();
            server::cancel_on_signal(shutdown.clone());
            server::serve(
                listener,
                JobContext {
                    pool,
                    blobs,
                    references: ReferenceAccess::from_env(&storage.reference_urls)?,
                    config: worker,
                    signer,
                    sandbox,
                },
                http,
                workers,
                shutdown,
            )
            .await
        }
        Command::Worker {
            database,
            storage,
            worker,
            signing,
            probes,
            sandbox,
            workers,
        } => {
            let signer = signing.load()?;
            let sandbox = sandbox.checked_sandbox()?;
            let pool = open_database(&database).await?;
            let blobs = open_blobs(&storage).await?;
            let listener = match probes.metrics_bind {
                None => None,
                Some(bind) => Some(
                    tokio::net::TcpListener::bind(bind)
                        .await
                        .with_context(|| format!("binding {bind}"))?,
                ),
            };
            let shutdown = CancellationToken::new();
            server::cancel_on_signal(shutdown.clone());
            server::run_workers(
                JobContext {
                    pool,
                    blobs,
                    references: ReferenceAccess::from_env(&storage.reference_urls)?,
                    config: worker,
                    signer,
                    sandbox,
                },
                workers,
                listener,
                shutdown,
            )
            .await
        }
        Command::SigningKey {
            action: SigningKeyAction::Generate { out },
        } => generate_signing_key(&out),
        Command::Migrate { database } => {
            db::migrate(&db::connect(&database).await?).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Audit(args) => run_local_audit(args),
        Command::Reproduce(args) => reproduce_locally(args),
        Command::Openapi => {
            println!(
                "{}",
                serde_json::to_string_pretty(&probity::api::openapi::document())?
            );
            Ok(())
        }
        Command::Keys { database, action } => {
            let pool = open_database(&database).await?;
            match action {
                KeysAction::Create { name, role } => {
                    let created = keys::create_key(&pool, &name, role).await?;
                    println!(
                        "{}\t{}\t{}",
                        created.key.id, created.key.role, created.token
                    );
                }
                KeysAction::List => {
                    for key in keys::list_keys(&pool).await? {
                        let state = if key.revoked_at.is_some() {
                            "revoked"
                        } else {
                            "active"
                        };
                        println!(
                            "{}\t{}\t{}\t{}…\t{}\t{}",
                            key.id,
                            key.name,
                            key.role,
                            key.token_prefix,
                            key.created_at.to_rfc3339(),
                            state
                        );
                    }
                }
                KeysAction::Revoke { id } => {
                    anyhow::ensure!(
                        keys::revoke_key(&pool, id).await?,
                        "no active key with id {id}"
                    );
                    println!("revoked {id}");
                }
            }
            Ok(())
        }
    }
}
