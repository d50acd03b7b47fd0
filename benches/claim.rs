//! Claim latency and heartbeat HOT share at several queue depths.
//!
//! usage: `cargo bench --bench claim -- [DEPTH ...]` (default 0 10000 100000);
//! `DATABASE_URL` names the server (default postgres://postgres@127.0.0.1:5432).
//! For each depth: a scratch database with every migration, DEPTH due jobs,
//! then 200 claims with the single statement the queue used before #11 and
//! 200 with `JobQueue::claim` (median and 95th percentile of each), then
//! 1000 heartbeats of one claimed job and the share of them that Postgres
//! made HOT (no index entry written), on today's schema and with the
//! previous one (the lease index back, fillfactor 100).

use std::time::{Duration, Instant};

use probity::jobs::JobQueue;
use probity::store::db;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

const CLAIMS: usize = 200;
const HEARTBEATS: usize = 1000;
const LEASE: Duration = Duration::from_secs(600);

/// The claim statement before #11: one OR over queued and expired jobs.
const CLAIM_BEFORE: &str = "WITH next AS (
        SELECT id FROM jobs
        WHERE kind = ANY($3)
          AND ((status = 'queued' AND run_after <= now())
            OR (status = 'running' AND lease_expires_at < now()
                AND attempts < max_attempts AND NOT cancel_requested))
        ORDER BY run_after, created_at
        LIMIT 1
        FOR UPDATE SKIP LOCKED
     ), lost AS (
        UPDATE job_runs SET finished_at = now(), outcome = 'lease_expired'
        WHERE finished_at IS NULL AND job_id IN (SELECT id FROM next)
     ), claimed AS (
        UPDATE jobs j SET
            status = 'running', attempts = j.attempts + 1, locked_by = $1,
            lease_expires_at = now() + $2 * interval '1 millisecond',
            started_at = coalesce(j.started_at, now()), updated_at = now()
        FROM next WHERE j.id = next.id
        RETURNING j.*
     ), run AS (
        INSERT INTO job_runs (job_id, attempt, worker) SELECT id, attempts, $1 FROM claimed
     )
     SELECT id FROM claimed";

fn summary(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    format!(
        "median {:.3} ms, p95 {:.3} ms",
        at(0.5).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3
    )
}

async fn fill(pool: &PgPool, depth: usize) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO jobs (id, kind, status, payload, max_attempts, run_after, created_at)
         SELECT gen_random_uuid(), 'canary', 'queued', '{\"duration_ms\": 0}', 3,
                now() - (i || ' seconds')::interval, now() - (i || ' seconds')::interval
         FROM generate_series(1, $1::int) AS i",
    )
    .bind(depth as i32)
    .execute(pool)
    .await?;
    sqlx::query("ANALYZE jobs").execute(pool).await?;
    Ok(())
}

/// Heartbeats of one claimed job on one connection, and the share Postgres made HOT.
async fn hot_share(pool: &PgPool, queue: &JobQueue) -> anyhow::Result<f64> {
    let Some(job) = queue.claim("bench", &["canary"], LEASE).await? else {
        return Ok(f64::NAN);
    };
    let counts = "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'jobs'";
    sqlx::query("SELECT pg_stat_force_next_flush()")
        .execute(pool)
        .await?;
    let (updates_before, hot_before): (i64, i64) = sqlx::query_as(counts).fetch_one(pool).await?;
    for i in 0..HEARTBEATS {
        let progress = (i as f64 / HEARTBEATS as f64, "benchmark");
        queue
            .heartbeat(job.id, "bench", LEASE, Some(progress))
            .await?;
    }
    sqlx::query("SELECT pg_stat_force_next_flush()")
        .execute(pool)
        .await?;
    let (updates, hot): (i64, i64) = sqlx::query_as(counts).fetch_one(pool).await?;
    Ok((hot - hot_before) as f64 / (updates - updates_before).max(1) as f64)
}

async fn run(server: &str, depth: usize) -> anyhow::Result<()> {
    let name = format!("probity_claim_bench_{}_{depth}", std::process::id());
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect(&format!("{server}/postgres"))
        .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await?;
    // One connection, so the statistics flushed are those of the heartbeats themselves.
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(&format!("{server}/{name}"))
        .await?;
    db::migrate(&pool).await?;
    fill(&pool, depth).await?;
    let queue = JobQueue::new(pool.clone());

    let mut before = Vec::with_capacity(CLAIMS);
    let mut after = Vec::with_capacity(CLAIMS);
    for _ in 0..CLAIMS {
        let started = Instant::now();
        sqlx::query(CLAIM_BEFORE)
            .bind("bench")
            .bind(LEASE.as_millis() as i64)
            .bind(vec!["canary".to_string()])
            .fetch_optional(&pool)
            .await?;
        before.push(started.elapsed());
        let started = Instant::now();
        queue.claim("bench", &["canary"], LEASE).await?;
        after.push(started.elapsed());
    }
    let hot_now = hot_share(&pool, &queue).await?;
    sqlx::query("CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE status = 'running'")
        .execute(&pool)
        .await?;
    sqlx::query("ALTER TABLE jobs SET (fillfactor = 100)")
        .execute(&pool)
        .await?;
    sqlx::query("VACUUM FULL jobs").execute(&pool).await?;
    let hot_then = hot_share(&pool, &queue).await?;
    println!(
        "{depth} queued jobs: claim before {}; after {}; heartbeats HOT {:.0} % now, {:.0} % with the previous schema",
        summary(before),
        summary(after),
        hot_now * 100.0,
        hot_then * 100.0
    );
    pool.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE {name} WITH (FORCE)"
    )))
    .execute(&admin)
    .await?;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let server = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let depths: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(|a| a.parse())
        .collect::<Result<_, _>>()?;
    let depths = if depths.is_empty() {
        vec![0, 10_000, 100_000]
    } else {
        depths
    };
    for depth in depths {
        run(&server, depth).await?;
    }
    Ok(())
}
