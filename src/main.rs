//! The `probity` command line: serve, worker, migrate, openapi, keys.

use anyhow::Context;
use clap::{Parser, Subcommand};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use probity::auth::{self, Role};
use probity::blobs::BlobStore;
use probity::config::{DatabaseConfig, HttpConfig, StorageConfig, WorkerConfig};
use probity::{db, server};

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
    /// Manage API keys.
    Keys {
        #[command(flatten)]
        database: DatabaseConfig,
        #[command(subcommand)]
        action: KeysAction,
    },
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
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json { builder.json().init() } else { builder.init() }
}

async fn open_database(database: &DatabaseConfig) -> anyhow::Result<sqlx::PgPool> {
    let pool = db::connect(database).await?;
    db::migrate(&pool).await?;
    Ok(pool)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_tracing();
    match cli.command {
        Command::Serve { database, storage, http, worker, workers } => {
            let pool = open_database(&database).await?;
            let blobs = BlobStore::open(&storage.data_dir)?;
            if let Some(created) = auth::ensure_initial_admin(&pool).await? {
                println!("Created the first admin API key (shown once, store it now):\n  {}", created.token);
            }
            let listener = tokio::net::TcpListener::bind(http.bind).await.with_context(|| format!("binding {}", http.bind))?;
            let shutdown = CancellationToken::new();
            server::cancel_on_signal(shutdown.clone());
            server::serve(listener, pool, blobs, http, worker, workers, shutdown).await
        }
        Command::Worker { database, storage, worker, workers } => {
            let pool = open_database(&database).await?;
            let blobs = BlobStore::open(&storage.data_dir)?;
            let shutdown = CancellationToken::new();
            server::cancel_on_signal(shutdown.clone());
            server::run_workers(pool, blobs, worker, workers, shutdown).await;
            Ok(())
        }
        Command::Migrate { database } => {
            open_database(&database).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Openapi => {
            println!("{}", serde_json::to_string_pretty(&probity::api::openapi())?);
            Ok(())
        }
        Command::Keys { database, action } => {
            let pool = open_database(&database).await?;
            match action {
                KeysAction::Create { name, role } => {
                    let created = auth::create_key(&pool, &name, role).await?;
                    println!("{}\t{}\t{}", created.key.id, created.key.role, created.token);
                }
                KeysAction::List => {
                    for key in auth::list_keys(&pool).await? {
                        let state = if key.revoked_at.is_some() { "revoked" } else { "active" };
                        println!("{}\t{}\t{}\t{}…\t{}\t{}", key.id, key.name, key.role, key.token_prefix, key.created_at.to_rfc3339(), state);
                    }
                }
                KeysAction::Revoke { id } => {
                    anyhow::ensure!(auth::revoke_key(&pool, id).await?, "no active key with id {id}");
                    println!("revoked {id}");
                }
            }
            Ok(())
        }
    }
}
