//! Process wiring: `serve` (HTTP API plus in-process workers) and `worker`
//! (workers only), both with graceful shutdown on SIGINT/SIGTERM.

use crate::jobs::kinds::webhook::WebhookAccess;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::api::throttle::Throttle;
use crate::api::{self, AppState};
use crate::config::HttpConfig;
use crate::jobs::JobContext;
use crate::jobs::worker::spawn_workers;

/// The per-key limits `http` asks for, ended by `shutdown`.
fn throttle(http: &HttpConfig, shutdown: &CancellationToken) -> Throttle {
    Throttle::new(
        http.rate_limit_per_second,
        http.rate_limit_burst,
        http.sse_streams_per_key,
        shutdown.clone(),
    )
}

/// Cancels `token` on SIGINT or SIGTERM.
pub fn cancel_on_signal(token: CancellationToken) {
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("installing the SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
        tracing::info!("shutdown requested");
        token.cancel();
    });
}

/// Serves the API on `listener` and runs `workers` job workers until `shutdown` fires;
/// then stops accepting requests, lets running jobs stop (or hands them back to the queue) and returns.
pub async fn serve(
    listener: TcpListener,
    context: JobContext,
    http: HttpConfig,
    workers: usize,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let state = AppState {
        pool: context.pool.clone(),
        blobs: context.blobs.clone(),
        references: context.references.clone(),
        throttle: Arc::new(throttle(&http, &shutdown)),
        http: Arc::new(http),
        metrics: crate::metrics::recorder(),
        signer: context.signer.clone(),
        sandbox: context.sandbox.clone(),
        webhooks: WebhookAccess::new(&context.config.webhook_urls),
    };
    let mut worker_set = spawn_workers(workers, context, shutdown.clone());
    tracing::info!(address = %listener.local_addr()?, workers, "serving");
    axum::serve(listener, api::router(state))
        .with_graceful_shutdown(shutdown.clone().cancelled_owned())
        .await?;
    shutdown.cancel();
    while worker_set.join_next().await.is_some() {}
    Ok(())
}

/// Runs `workers` job workers without the HTTP API until `shutdown` fires;
/// with `probes`, also serves `/healthz`, `/readyz` and `/metrics` there.
pub async fn run_workers(
    context: JobContext,
    workers: usize,
    probes: Option<TcpListener>,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let metrics = crate::metrics::recorder();
    let probes = match probes {
        None => None,
        Some(listener) => {
            let http = HttpConfig::probes(listener.local_addr()?);
            let state = AppState {
                pool: context.pool.clone(),
                blobs: context.blobs.clone(),
                references: context.references.clone(),
                throttle: Arc::new(throttle(&http, &shutdown)),
                http: Arc::new(http),
                metrics,
                signer: context.signer.clone(),
                sandbox: context.sandbox.clone(),
                webhooks: WebhookAccess::new(&context.config.webhook_urls),
            };
            tracing::info!(address = %listener.local_addr()?, "serving worker probes");
            let server = axum::serve(listener, api::probes_router(state))
                .with_graceful_shutdown(shutdown.clone().cancelled_owned());
            Some(tokio::spawn(server.into_future()))
        }
    };
    let mut worker_set = spawn_workers(workers, context, shutdown.clone());
    while worker_set.join_next().await.is_some() {}
    shutdown.cancel();
    if let Some(probes) = probes {
        probes.await??;
    }
    Ok(())
}
