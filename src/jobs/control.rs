//! What every job kind uses: the context a handler runs in, the control
//! shared with its heartbeat (progress, stop flag), how an attempt fails
//! (classified once, by `From` impls, as permanent or worth a retry), and
//! the look-ups of the records a job works on.

use std::fmt::Display;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};

use probity_audit::audit::AuditError;
use probity_audit::dataset::{DatasetError, DatasetLocation};
use probity_audit::inference::InferenceError;
use probity_audit::model::ModelError;
use probity_audit::pii_check::PiiError;
use probity_audit::training::TrainingError;
use uuid::Uuid;

use crate::config::WorkerConfig;
use crate::store::blobs::{BlobDefect, BlobStore, LocalBlob};
use crate::store::catalog;
use crate::store::references::ReferenceAccess;
use probity_audit::sandbox::{ModelSandbox, SandboxError};
use probity_audit::signing::ReportSigner;

/// What a job handler needs from the outside world.
#[derive(Clone)]
pub struct JobContext {
    pub pool: sqlx::PgPool,
    pub blobs: BlobStore,
    /// Where datasets by reference may be read, and how.
    pub references: ReferenceAccess,
    pub config: WorkerConfig,
    /// Signs every stored report, when a signing key is configured.
    pub signer: Option<ReportSigner>,
    /// Where uploaded models run.
    pub sandbox: ModelSandbox,
}

/// Why a running job was asked to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// A user cancelled the job.
    Cancelled,
    /// The worker is shutting down; the job goes back to the queue.
    Shutdown,
    /// The lease was lost; another worker owns the job now.
    LeaseLost,
}

/// Shared between a running handler and its heartbeat: the stop flag and
/// the latest progress report.
#[derive(Default)]
pub struct JobControl {
    stop: AtomicU8,
    progress: Mutex<Option<(f64, String)>>,
}

impl JobControl {
    /// Records progress (0–1) with a message; sent with the next heartbeat.
    pub fn set_progress(&self, fraction: f64, message: impl Into<String>) {
        *self.progress.lock().expect("progress lock") = Some((fraction, message.into()));
    }

    /// Returns an error to propagate when the job was asked to stop.
    pub fn check(&self) -> Result<(), JobFailure> {
        match self.stop_reason() {
            Some(_) => Err(JobFailure::Stopped),
            None => Ok(()),
        }
    }

    /// Whether the job may go on (for engine callbacks that poll).
    pub fn keep_going(&self) -> bool {
        self.stop_reason().is_none()
    }

    /// Why the job was asked to stop, if it was.
    pub fn stop_reason(&self) -> Option<StopReason> {
        match self.stop.load(Ordering::SeqCst) {
            1 => Some(StopReason::Cancelled),
            2 => Some(StopReason::Shutdown),
            3 => Some(StopReason::LeaseLost),
            _ => None,
        }
    }

    pub(super) fn request_stop(&self, reason: StopReason) {
        let code = match reason {
            StopReason::Cancelled => 1,
            StopReason::Shutdown => 2,
            StopReason::LeaseLost => 3,
        };
        let _ = self
            .stop
            .compare_exchange(0, code, Ordering::SeqCst, Ordering::SeqCst);
    }

    pub(super) fn take_progress(&self) -> Option<(f64, String)> {
        self.progress.lock().expect("progress lock").take()
    }
}

/// How a job attempt ended other than with a result.
#[derive(Debug)]
pub enum JobFailure {
    /// The attempt failed; `retryable` says whether another attempt may help.
    Failed { message: String, retryable: bool },
    /// The job stopped because it was asked to (the worker knows why: `JobControl::stop_reason`).
    Stopped,
    /// The job waits for other jobs (its shards): back to the queue until
    /// `after`, its attempt not counted, with this progress.
    Wait {
        /// How long until it looks again.
        after: std::time::Duration,
        /// Progress so far, from 0 to 1.
        progress: f64,
        /// What it waits for.
        message: String,
    },
}

impl JobFailure {
    /// A failure that another attempt will not fix (bad payload, missing input).
    pub fn permanent(message: impl Into<String>) -> Self {
        Self::Failed {
            message: message.into(),
            retryable: false,
        }
    }

    /// A failure that may pass on retry (database or filesystem trouble).
    pub fn transient(message: impl Into<String>) -> Self {
        Self::Failed {
            message: message.into(),
            retryable: true,
        }
    }

    /// The same failure, its message prefixed with what was being done.
    pub fn context(self, doing: impl Display) -> Self {
        match self {
            Self::Failed { message, retryable } => Self::Failed {
                message: format!("{doing}: {message}"),
                retryable,
            },
            other => other,
        }
    }
}

/// `context` on results whose error converts into a `JobFailure`.
pub trait FailureContext<T> {
    /// Converts the error (keeping its classification) and says what was being done.
    fn context(self, doing: impl Display) -> Result<T, JobFailure>;
}

impl<T, E: Into<JobFailure>> FailureContext<T> for Result<T, E> {
    fn context(self, doing: impl Display) -> Result<T, JobFailure> {
        self.map_err(|e| e.into().context(doing))
    }
}

/// Database trouble: another attempt may find Postgres back.
impl From<sqlx::Error> for JobFailure {
    fn from(error: sqlx::Error) -> Self {
        Self::transient(format!("database: {error}"))
    }
}

/// Filesystem trouble (blobs, staging files): worth a retry.
impl From<std::io::Error> for JobFailure {
    fn from(error: std::io::Error) -> Self {
        Self::transient(error.to_string())
    }
}

/// Storage steps that report `anyhow` errors (blob commits in a transaction).
impl From<anyhow::Error> for JobFailure {
    fn from(error: anyhow::Error) -> Self {
        Self::transient(format!("{error:#}"))
    }
}

/// A blocking task that panicked or was cancelled.
impl From<tokio::task::JoinError> for JobFailure {
    fn from(error: tokio::task::JoinError) -> Self {
        Self::transient(format!("worker thread failed: {error}"))
    }
}

/// A dataset that cannot be read or profiled will not change on retry.
impl From<DatasetError> for JobFailure {
    fn from(error: DatasetError) -> Self {
        Self::permanent(error.to_string())
    }
}

/// A model that fails validation or breaks a sandbox limit will not change
/// on retry; a sandbox that could not start may come back.
impl From<ModelError> for JobFailure {
    fn from(error: ModelError) -> Self {
        match error {
            ModelError::Sandbox(sandbox) => sandbox.into(),
            other => Self::permanent(other.to_string()),
        }
    }
}

/// Limits the model broke are permanent; a sandbox that could not start is not.
impl From<SandboxError> for JobFailure {
    fn from(error: SandboxError) -> Self {
        match error {
            SandboxError::Unavailable(_) => Self::transient(error.to_string()),
            other => Self::permanent(other.to_string()),
        }
    }
}

/// Bad inputs are permanent; a stop request is a stop.
impl From<InferenceError> for JobFailure {
    fn from(error: InferenceError) -> Self {
        match error {
            InferenceError::Stopped => Self::Stopped,
            InferenceError::Sandbox(sandbox) => sandbox.into(),
            other => Self::permanent(other.to_string()),
        }
    }
}

/// Bad inputs are permanent; a stop request is a stop.
impl From<TrainingError> for JobFailure {
    fn from(error: TrainingError) -> Self {
        match error {
            TrainingError::Stopped => Self::Stopped,
            other => Self::permanent(other.to_string()),
        }
    }
}

/// Reading the data and writing the findings export may pass on retry; bad
/// data, options and models will not.
impl From<AuditError> for JobFailure {
    fn from(error: AuditError) -> Self {
        match error {
            AuditError::Read(message) | AuditError::Pii(PiiError::Dataset(message)) => {
                Self::transient(message)
            }
            AuditError::Inference(inference) => inference.into(),
            AuditError::Pii(PiiError::Ner(ner)) => match ner.sandbox() {
                Some(sandbox) => sandbox.clone().into(),
                None => Self::permanent(ner.to_string()),
            },
            AuditError::Pii(PiiError::Export(e)) => {
                Self::transient(format!("writing the PII findings: {e}"))
            }
            other => Self::permanent(other.to_string()),
        }
    }
}

/// The dataset a job works on; gone is a permanent failure, unreachable a transient one.
pub async fn load_dataset(context: &JobContext, id: Uuid) -> Result<catalog::Dataset, JobFailure> {
    catalog::get_dataset(&context.pool, id)
        .await
        .context(format!("reading dataset {id}"))?
        .ok_or_else(|| JobFailure::permanent(format!("dataset {id} no longer exists")))
}

/// The model a job runs; gone is a permanent failure, unreachable a transient one.
pub async fn load_model(context: &JobContext, id: Uuid) -> Result<catalog::Model, JobFailure> {
    catalog::get_model(&context.pool, id)
        .await
        .context(format!("reading model {id}"))?
        .ok_or_else(|| JobFailure::permanent(format!("model {id} no longer exists")))
}

/// The rows of a dataset as a job reads them; keep it alive while reading
/// (an uploaded dataset's verified local copy is deleted with it).
pub struct DatasetRows {
    /// Where polars reads the rows.
    pub location: DatasetLocation,
    _copy: Option<LocalBlob>,
}

/// The rows of `dataset`: a verified local copy of an uploaded file, or the
/// objects of a dataset by reference after checking that none changed since
/// it was registered.
pub async fn dataset_rows(
    context: &JobContext,
    dataset: &catalog::Dataset,
) -> Result<DatasetRows, JobFailure> {
    match &dataset.source {
        None => {
            let what = format!("dataset {}", dataset.id);
            let copy = verified_blob(context, &dataset.sha256, &what).await?;
            Ok(DatasetRows {
                location: DatasetLocation::file(copy.path(), dataset.format),
                _copy: Some(copy),
            })
        }
        Some(source) => {
            ensure_unchanged(context, dataset).await?;
            Ok(DatasetRows {
                location: context.references.location(source),
                _copy: None,
            })
        }
    }
}

/// Fails the job (permanently) when an object of a dataset by reference is
/// gone or differs in size or ETag from when it was registered.
pub async fn ensure_unchanged(
    context: &JobContext,
    dataset: &catalog::Dataset,
) -> Result<(), JobFailure> {
    let Some(source) = &dataset.source else {
        return Ok(());
    };
    let change = context
        .references
        .changes(source)
        .await
        .context(format!("checking the objects of dataset {}", dataset.id))?;
    match change {
        None => Ok(()),
        Some(change) => Err(JobFailure::permanent(format!(
            "dataset {} cannot be read as registered: {change}",
            dataset.id
        ))),
    }
}

/// A stored blob as a local file after re-hashing it: a file swapped or
/// altered in storage fails the job instead of yielding a report that cites
/// the wrong hash. `what` names the record in the error ("dataset <id>").
pub async fn verified_blob(
    context: &JobContext,
    sha256: &str,
    what: &str,
) -> Result<LocalBlob, JobFailure> {
    match context
        .blobs
        .local_copy(sha256)
        .await
        .context(format!("reading the stored file of {what}"))?
    {
        Ok(blob) => Ok(blob),
        Err(BlobDefect::Altered) => Err(JobFailure::permanent(format!(
            "the stored file of {what} no longer matches its sha256 (it was changed in storage)"
        ))),
        Err(BlobDefect::Missing) => Err(JobFailure::permanent(format!(
            "the stored file of {what} is missing from storage"
        ))),
    }
}
