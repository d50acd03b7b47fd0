//! The model sandbox: every load and forward pass of an uploaded TorchScript
//! file runs in a child process (`probity model-runner`), never in the API
//! or worker process. The child starts with an empty environment and only
//! its stdin, stdout and stderr; before it touches the model it limits its
//! memory and CPU time and may write no file, then (unless the operator opted
//! out) confines itself with Landlock (it can read the model file and the
//! libraries it already mapped, nothing else, and open no TCP connection)
//! and seccomp (no sockets, exec, new processes, ptrace or namespaces).
//! Feature rows go in through its stdin and scores come back through its
//! stdout; a timer kills it at the wall-clock limit.

mod child;
mod confine;
mod protocol;
mod tagger;

use std::io::{BufReader, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use child::run as run_child;
use protocol::{ChildError, Operation, Request, f32_bytes, read_f32s, read_frame_header, tag};
pub use tagger::{TagError, Tagger};

use crate::inference::{FeatureMatrix, InferenceError};
use crate::model::{ModelError, ModelKind, ModelMetadata, ModelOutput};

/// The subcommand of the `probity` binary that runs one model request.
pub const RUNNER_SUBCOMMAND: &str = "model-runner";

/// What a model run may use; each is configurable, with safe defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxLimits {
    /// Heap and anonymous memory of the child, in MiB (default 4096).
    pub memory_mib: u64,
    /// CPU time of the child, in seconds (default 300).
    pub cpu_seconds: u64,
    /// Wall-clock time of one run, in seconds (default 300).
    pub wall_seconds: u64,
    /// libtorch threads in the child (default 4).
    pub threads: usize,
}

impl Default for SandboxLimits {
    fn default() -> Self {
        Self {
            memory_mib: 4096,
            cpu_seconds: 300,
            wall_seconds: 300,
            threads: 4,
        }
    }
}

/// Why a sandboxed model run ended without an answer from the model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SandboxError {
    /// An allocation failed under the memory limit.
    #[error("the model exceeded its {0} MiB memory limit")]
    Memory(u64),
    /// The CPU-time limit was reached.
    #[error("the model exceeded its {0} s CPU time limit")]
    CpuTime(u64),
    /// The wall-clock limit was reached.
    #[error("the model exceeded its {0} s time limit")]
    WallTime(u64),
    /// The child ended some other way (a signal, a crash, a refused write).
    #[error("the model process ended abnormally: {0}")]
    Crashed(String),
    /// The child could not be started or could not confine itself.
    #[error("the model sandbox is unavailable: {0}")]
    Unavailable(String),
}

/// Runs models in confined child processes.
#[derive(Debug, Clone)]
pub struct ModelSandbox {
    runner: PathBuf,
    limits: SandboxLimits,
    confine: bool,
}

/// Scores of every row and the device that computed them (`cpu` or `cuda`).
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// One probability per row.
    pub scores: Vec<f32>,
    /// `cpu` or `cuda`.
    pub device: String,
}

/// How a child run ended.
enum Ended {
    /// The child finished; the payload of its last frame.
    Done(String),
    /// The child reported an error.
    Failed(ChildError),
    /// The caller asked to stop between batches.
    Stopped,
}

impl ModelSandbox {
    /// A sandbox whose children run `runner model-runner`. `confine: false`
    /// is the operator's explicit opt-out of Landlock and seccomp (the
    /// limits and the separate process stay).
    pub fn new(runner: PathBuf, limits: SandboxLimits, confine: bool) -> Self {
        Self {
            runner,
            limits,
            confine,
        }
    }

    /// Starts a child that confines itself and loads nothing: fails when
    /// this kernel cannot give the sandbox what it needs.
    pub fn probe(&self) -> Result<(), SandboxError> {
        let request = self.request(Operation::Probe, &self.runner, ModelOutput::Logit, 0, false);
        match self.run(&request, None, |_| true)? {
            Ended::Done(_) | Ended::Stopped => Ok(()),
            Ended::Failed(error) => Err(self.sandbox_error(error)),
        }
    }

    /// Loads the TorchScript file and checks that one forward pass on a zero
    /// batch of the declared width returns one value per row (and, for
    /// `probability` models, values in [0, 1]). A token classifier is
    /// checked by `validate_token_classifier` instead, which needs its
    /// vocabulary's size: here it fails.
    pub fn validate(&self, path: &Path, metadata: &ModelMetadata) -> Result<(), ModelError> {
        if metadata.kind == ModelKind::TokenClassifier {
            return Err(ModelError::Vocabulary {
                detail: "a token classifier is validated with its vocabulary".into(),
            });
        }
        let width = metadata.features.len();
        let request = self.request(Operation::Validate, path, metadata.output, width, false);
        match self
            .run(&request, None, |_| true)
            .map_err(ModelError::Sandbox)?
        {
            Ended::Done(_) | Ended::Stopped => Ok(()),
            Ended::Failed(error) => Err(match error {
                ChildError::Load(detail) => ModelError::NotTorchScript(detail),
                ChildError::Forward(detail) => ModelError::ForwardFailed { width, detail },
                ChildError::OutputShape => ModelError::OutputShape {
                    output: metadata.output,
                },
                ChildError::NotAProbability => ModelError::NotAProbability,
                other => ModelError::Sandbox(self.sandbox_error(other)),
            }),
        }
    }

    /// Starts a child now, so that its start-up (exec, loading libtorch)
    /// overlaps whatever the caller does before it has rows to score.
    pub fn start(&self) -> Result<ModelRun<'_>, SandboxError> {
        Ok(ModelRun {
            sandbox: self,
            child: Some(self.spawn()?),
        })
    }

    /// Scores every row of `matrix` in batches of `batch_size` (on CUDA when
    /// `cuda` and available); `between_batches` gets the rows done and may
    /// stop the run.
    pub fn score_all(
        &self,
        path: &Path,
        output: ModelOutput,
        cuda: bool,
        matrix: &FeatureMatrix,
        batch_size: usize,
        between_batches: impl FnMut(usize) -> bool,
    ) -> Result<Scored, InferenceError> {
        self.start().map_err(InferenceError::Sandbox)?.score_all(
            path,
            output,
            cuda,
            matrix,
            batch_size,
            between_batches,
        )
    }

    fn request(
        &self,
        operation: Operation,
        model: &Path,
        output: ModelOutput,
        width: usize,
        cuda: bool,
    ) -> Request {
        Request {
            operation,
            model: model.to_path_buf(),
            output,
            width,
            cuda,
            limits: self.limits,
            confine: self.confine,
        }
    }

    /// A child error that is the sandbox's, not the model's.
    fn sandbox_error(&self, error: ChildError) -> SandboxError {
        match error {
            ChildError::OutOfMemory => SandboxError::Memory(self.limits.memory_mib),
            ChildError::Confinement(detail) => SandboxError::Unavailable(detail),
            ChildError::Protocol(detail) => SandboxError::Crashed(detail),
            ChildError::Load(_)
            | ChildError::Forward(_)
            | ChildError::OutputShape
            | ChildError::NotAProbability
            | ChildError::TokenRange(_) => {
                SandboxError::Crashed("the model failed where no model runs".into())
            }
        }
    }

    fn spawn(&self) -> Result<Child, SandboxError> {
        Command::new(&self.runner)
            .arg(RUNNER_SUBCOMMAND)
            .env_clear()
            .env("MALLOC_ARENA_MAX", "2")
            .env("OMP_NUM_THREADS", self.limits.threads.max(1).to_string())
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                SandboxError::Unavailable(format!(
                    "cannot start {} {RUNNER_SUBCOMMAND}: {e}",
                    self.runner.display()
                ))
            })
    }

    /// Runs one request: feeds the request line (and the rows, from a thread), reads frames until the child is done, fails, stops or
    /// dies, and kills it at the wall-clock limit or when `on_scores` says stop.
    fn run(
        &self,
        request: &Request,
        feed: Option<Feed<'_>>,
        on_scores: impl FnMut(&[u8]) -> bool,
    ) -> Result<Ended, SandboxError> {
        self.run_child(self.spawn()?, request, feed, on_scores)
    }

    /// `run` on a child already started.
    fn run_child(
        &self,
        mut child: Child,
        request: &Request,
        feed: Option<Feed<'_>>,
        mut on_scores: impl FnMut(&[u8]) -> bool,
    ) -> Result<Ended, SandboxError> {
        let pid = child.id() as libc::pid_t;
        let mut stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut stderr = child.stderr.take().expect("piped stderr");
        let line = serde_json::to_string(request).expect("requests serialise") + "\n";
        let timed_out = AtomicBool::new(false);
        let (finished, wait_finished) = mpsc::channel::<()>();
        let wall = Duration::from_secs(self.limits.wall_seconds);
        std::thread::scope(|scope| {
            let timed_out = &timed_out;
            scope.spawn(move || {
                if let Err(mpsc::RecvTimeoutError::Timeout) = wait_finished.recv_timeout(wall) {
                    timed_out.store(true, Ordering::SeqCst);
                    kill(pid);
                }
            });
            scope.spawn(move || {
                if stdin.write_all(line.as_bytes()).is_err() {
                    return;
                }
                match feed {
                    None => {}
                    Some(Feed::Matrix(matrix, batch_size)) => {
                        for rows in matrix.values.chunks(batch_size * matrix.width.max(1)) {
                            if stdin.write_all(f32_bytes(rows)).is_err() {
                                return;
                            }
                        }
                    }
                    Some(Feed::Rows(batches)) => {
                        for rows in batches {
                            if stdin.write_all(f32_bytes(&rows)).is_err() {
                                return;
                            }
                        }
                    }
                }
            });
            let diagnostics = scope.spawn(move || stderr_tail(&mut stderr));
            let ended = read_frames(BufReader::with_capacity(1 << 20, stdout), &mut on_scores);
            // A child that answered is exiting anyway; one that was stopped or
            // spoke out of turn must not go on.
            kill(pid);
            let _ = finished.send(());
            let status = child.wait();
            let stderr = diagnostics.join().unwrap_or_default();
            match ended {
                Ok(Some(ended)) => Ok(ended),
                _ => Err(self.death(status.ok(), timed_out.load(Ordering::SeqCst), &stderr)),
            }
        })
    }

    /// Why a child ended without a final frame.
    fn death(
        &self,
        status: Option<std::process::ExitStatus>,
        timed_out: bool,
        stderr: &str,
    ) -> SandboxError {
        if timed_out {
            return SandboxError::WallTime(self.limits.wall_seconds);
        }
        if stderr.contains("bad_alloc") || stderr.contains("can't allocate memory") {
            return SandboxError::Memory(self.limits.memory_mib);
        }
        match status.and_then(|s| s.signal()) {
            Some(libc::SIGXCPU) => SandboxError::CpuTime(self.limits.cpu_seconds),
            Some(libc::SIGKILL) => SandboxError::Crashed(
                "killed (the CPU time limit's hard stop, or the system ran out of memory)".into(),
            ),
            Some(libc::SIGXFSZ) => SandboxError::Crashed("it tried to write a file".into()),
            Some(libc::SIGSYS) => SandboxError::Crashed("it made a forbidden system call".into()),
            Some(signal) => SandboxError::Crashed(format!("signal {signal}")),
            None => SandboxError::Crashed(match status.and_then(|s| s.code()) {
                Some(code) => format!("exit code {code} without an answer"),
                None => "no answer".into(),
            }),
        }
    }
}

/// A model-runner child started ahead of its request (`ModelSandbox::start`);
/// dropped unused, it is killed.
pub struct ModelRun<'a> {
    sandbox: &'a ModelSandbox,
    child: Option<Child>,
}

impl ModelRun<'_> {
    /// `ModelSandbox::score_all` on this child.
    pub fn score_all(
        self,
        path: &Path,
        output: ModelOutput,
        cuda: bool,
        matrix: &FeatureMatrix,
        batch_size: usize,
        mut between_batches: impl FnMut(usize) -> bool,
    ) -> Result<Scored, InferenceError> {
        let shape = RowShape {
            rows: matrix.rows,
            width: matrix.width,
            batch_size: batch_size.max(1),
        };
        let mut scores = Vec::with_capacity(matrix.rows);
        let device = self.score(
            path,
            output,
            cuda,
            shape,
            Feed::Matrix(matrix, shape.batch_size),
            |batch| {
                scores.extend_from_slice(batch);
                between_batches(scores.len())
            },
        )?;
        Ok(Scored { scores, device })
    }

    /// Scores `shape.rows` rows that arrive through `rows` (row-major f32
    /// values, in any slices) while they are read, so no caller holds them
    /// all; `on_scores` gets each batch's scores in row order and may stop
    /// the run. Returns the device the model ran on.
    pub fn score_rows(
        self,
        path: &Path,
        output: ModelOutput,
        cuda: bool,
        shape: RowShape,
        rows: mpsc::Receiver<Vec<f32>>,
        on_scores: impl FnMut(&[f32]) -> bool,
    ) -> Result<String, InferenceError> {
        self.score(path, output, cuda, shape, Feed::Rows(rows), on_scores)
    }

    fn score(
        mut self,
        path: &Path,
        output: ModelOutput,
        cuda: bool,
        shape: RowShape,
        feed: Feed<'_>,
        mut on_scores: impl FnMut(&[f32]) -> bool,
    ) -> Result<String, InferenceError> {
        let child = self.child.take().expect("a run scores once");
        let batch_size = shape.batch_size.max(1);
        let operation = Operation::Score {
            rows: shape.rows,
            batch_size,
        };
        let request = self
            .sandbox
            .request(operation, path, output, shape.width, cuda);
        let mut received = 0;
        let mut batch = Vec::with_capacity(batch_size);
        let ended = self
            .sandbox
            .run_child(child, &request, Some(feed), |payload| {
                read_f32s(payload, &mut batch);
                received += batch.len();
                on_scores(&batch)
            })
            .map_err(InferenceError::Sandbox)?;
        match ended {
            Ended::Stopped => Err(InferenceError::Stopped),
            Ended::Done(_) if received != shape.rows => Err(InferenceError::Sandbox(
                SandboxError::Crashed("the model runner returned too few scores".into()),
            )),
            Ended::Done(device) => Ok(device),
            Ended::Failed(error) => Err(match error {
                ChildError::Load(detail) | ChildError::Forward(detail) => {
                    InferenceError::Model(detail)
                }
                ChildError::OutputShape => InferenceError::OutputShape {
                    rows: batch_size.min(shape.rows),
                },
                other => InferenceError::Sandbox(self.sandbox.sandbox_error(other)),
            }),
        }
    }
}

/// How many rows a run scores, of how many features, in forward passes of how many rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowShape {
    /// Rows to score.
    pub rows: usize,
    /// Features per row.
    pub width: usize,
    /// Rows per forward pass.
    pub batch_size: usize,
}

/// Where a child's feature rows come from.
enum Feed<'a> {
    /// A matrix held by the caller, written in slices of this many rows.
    Matrix(&'a FeatureMatrix, usize),
    /// Slices of rows sent while the run goes on.
    Rows(mpsc::Receiver<Vec<f32>>),
}

impl Drop for ModelRun<'_> {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Reads frames: `Some(ended)` on a final frame or a stop, `None` when the
/// stream ends first (the child died).
fn read_frames(
    mut stdout: impl Read,
    on_scores: &mut impl FnMut(&[u8]) -> bool,
) -> std::io::Result<Option<Ended>> {
    let mut payload = Vec::new();
    while let Some((kind, length)) = read_frame_header(&mut stdout)? {
        if length > 1 << 32 {
            return Ok(Some(Ended::Failed(ChildError::Protocol(
                "frame too large".into(),
            ))));
        }
        payload.resize(length as usize, 0);
        stdout.read_exact(&mut payload)?;
        match kind {
            tag::SCORES => {
                if !on_scores(&payload) {
                    return Ok(Some(Ended::Stopped));
                }
            }
            tag::DONE => {
                return Ok(Some(Ended::Done(
                    String::from_utf8_lossy(&payload).into_owned(),
                )));
            }
            tag::ERROR => {
                let error = serde_json::from_slice(&payload)
                    .unwrap_or_else(|e| ChildError::Protocol(e.to_string()));
                return Ok(Some(Ended::Failed(error)));
            }
            other => {
                return Ok(Some(Ended::Failed(ChildError::Protocol(format!(
                    "unknown frame tag {other}"
                )))));
            }
        }
    }
    Ok(None)
}

/// Reads a child's stderr to its end, keeping the last few KiB (the
/// libtorch diagnostics that say why a child died).
fn stderr_tail(mut stderr: impl Read) -> String {
    let mut tail = Vec::new();
    let mut chunk = [0u8; 4096];
    while let Ok(n) = stderr.read(&mut chunk) {
        if n == 0 {
            break;
        }
        tail.extend_from_slice(&chunk[..n]);
        if tail.len() > 16 * 1024 {
            tail.drain(..tail.len() - 8 * 1024);
        }
    }
    String::from_utf8_lossy(&tail).into_owned()
}

fn kill(pid: libc::pid_t) {
    // SAFETY: kill(2) with a pid we spawned and have not reaped yet.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
    }
}
