//! Jobs: the durable Postgres queue, the worker runtime, and the job kinds.

pub mod inference_job;
pub mod kinds;
pub mod queue;
pub mod training_job;
pub mod worker;

pub use queue::{Job, JobQueue, JobStatus, NewJob};
pub use worker::JobContext;
