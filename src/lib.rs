//! Probity: a responsible-AI audit service. See `docs/architecture.md` for
//! the map of modules; the domain modules (`datasets`, `models`) do no I/O
//! beyond reading the file they are given.

pub mod api;
pub mod audit_log;
pub mod audit_report;
pub mod audits;
pub mod auth;
pub mod blobs;
pub mod catalog;
pub mod config;
pub mod datasets;
pub mod db;
pub mod error;
pub mod fairness;
pub mod inference;
pub mod jobs;
pub mod metrics;
pub mod models;
pub mod pagination;
pub mod pii_check;
pub mod report_compare;
pub mod report_render;
pub mod reports;
pub mod server;
pub mod signing;
pub mod training;
