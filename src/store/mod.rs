//! Storage: the Postgres pool and migrations, content-addressed blobs (in a
//! local folder or an S3-compatible bucket), and
//! the records of datasets, models, reports, API keys and the activity log.
//! The store imports neither `jobs` nor `api`.

pub mod activity;
pub mod blobs;
pub mod bucket;
pub mod catalog;
pub mod cursor;
pub mod db;
pub mod keys;
pub mod monitors;
pub mod parts;
pub mod references;
pub mod reports;
