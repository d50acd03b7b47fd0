//! Jobs: the durable Postgres queue, the worker runtime, and the job kinds.

pub mod kinds;
pub mod queue;
pub mod worker;

pub use queue::{Job, JobQueue, JobStatus, NewJob};
