//! Probity: a responsible-AI audit service. Three floors (see
//! `docs/architecture.md`): the engines are crates (`probity-fairness`,
//! `probity-pii`, `probity-audit`); this crate is the service around them,
//! with `store` (Postgres and blobs), `jobs` (queue, worker, job kinds) and
//! `api` (HTTP), plus the process wiring (`config`, `server`, `metrics`).
//! `store` imports neither `jobs` nor `api`; `jobs` does not import `api`.

pub mod api;
pub mod config;
pub mod jobs;
pub mod metrics;
pub mod monitoring;
pub mod server;
pub mod store;
