//! The integration tests: one binary (one link of libtorch) with a module
//! per area, against the real Postgres, the real libtorch and the real
//! server on a random port. `common` starts servers and makes fixtures.

mod common;

mod access;
mod api;
mod audits;
mod cli;
mod contract;
mod counterfactual;
mod dashboard;
mod datasets;
mod examples;
mod hostile;
mod hostile_data;
mod layers;
mod loose_ends;
mod ml;
mod models;
mod monitors;
mod ner;
mod object_storage;
mod openapi_client;
mod packaging;
mod pii;
mod postgres_restart;
mod queue;
mod reports;
mod schemathesis;
mod sharding;
mod typescript_client;
