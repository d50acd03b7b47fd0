//! Jobs: the durable Postgres queue, the worker runtime, what every kind
//! uses (`control`), and the kinds themselves (`kinds/`, one file each).
//! Jobs use the store; nothing here imports the API.

pub mod control;
pub mod kinds;
pub mod queue;
pub mod worker;

pub use control::{JobContext, JobFailure};
pub use kinds::JobPayload;
pub use queue::{Job, JobQueue, JobStatus, NewJob};
