//! Token classifiers in the sandbox: validating an upload (forward passes on
//! token ids) and a tagging session, one confined child that tags batch after
//! batch of token ids for a whole scan. The session keeps every limit of a
//! scoring run: the same child set-up, rlimits and confinement, and a timer
//! that kills the child at the wall-clock limit. The clock runs while the
//! worker waits for the child (from sending a batch to its answer), not
//! while the worker scans between batches, so a long scan does not use up
//! the model's time.

use std::io::{BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::protocol::{ChildError, Operation, read_frame_header, tag};
use super::{Ended, ModelSandbox, SandboxError, kill, stderr_tail};
use crate::model::{ModelError, ModelMetadata, ModelOutput};
use crate::ner::TokenTag;

/// Why tagging a batch failed.
#[derive(Debug, thiserror::Error)]
pub enum TagError {
    /// The model could not be loaded or its forward pass failed.
    #[error("the NER model failed: {0}")]
    Model(String),
    /// The output is not `[sequences, max_tokens, labels]`.
    #[error(
        "the NER model's output for token ids [{sequences}, {max_tokens}] is not one value per token and label; expected shape [{sequences}, {max_tokens}, {labels}]"
    )]
    OutputShape {
        sequences: usize,
        max_tokens: usize,
        labels: usize,
    },
    /// A sandbox limit, or the child died.
    #[error(transparent)]
    Sandbox(#[from] SandboxError),
}

impl ModelSandbox {
    /// Loads a token classifier and checks that a forward pass on a zero
    /// batch of token ids `[2, max_tokens]` returns `[2, max_tokens,
    /// len(labels)]` (probabilities in [0, 1] for `probability` models), and
    /// that a batch of its vocabulary's last id (`vocabulary_len - 1`) runs too.
    pub fn validate_token_classifier(
        &self,
        path: &Path,
        metadata: &ModelMetadata,
        vocabulary_len: usize,
    ) -> Result<(), ModelError> {
        let labels = metadata.labels.as_ref().map_or(0, Vec::len);
        let max_tokens = metadata.max_tokens.unwrap_or(0) as usize;
        let max_id = vocabulary_len.saturating_sub(1) as i64;
        let operation = Operation::ValidateTokens {
            max_tokens,
            labels,
            max_id,
        };
        let request = self.request(operation, path, metadata.output, max_tokens, false);
        match self
            .run(&request, None, |_| true)
            .map_err(ModelError::Sandbox)?
        {
            Ended::Done(_) | Ended::Stopped => Ok(()),
            Ended::Failed(error) => Err(match error {
                ChildError::Load(detail) => ModelError::NotTorchScript(detail),
                ChildError::Forward(detail) => {
                    ModelError::TokenForwardFailed { max_tokens, detail }
                }
                ChildError::OutputShape => ModelError::TokenOutputShape { max_tokens, labels },
                ChildError::NotAProbability => ModelError::NotAProbability,
                ChildError::TokenRange(detail) => ModelError::Vocabulary {
                    detail: format!(
                        "the model fails on token id {max_id}, the vocabulary's last line ({vocabulary_len} tokens); is it this model's vocabulary? {detail}"
                    ),
                },
                other => ModelError::Sandbox(self.sandbox_error(other)),
            }),
        }
    }

    /// Starts a child that loads the token classifier at `path` and tags
    /// batches of at most `max_sequences` sequences of `max_tokens` ids, each
    /// token with one of `labels` labels.
    pub fn start_tagger(
        &self,
        path: &Path,
        output: ModelOutput,
        max_tokens: usize,
        labels: usize,
        max_sequences: usize,
    ) -> Result<Tagger, SandboxError> {
        let mut child = self.spawn()?;
        let pid = child.id() as libc::pid_t;
        let mut stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let stderr = std::thread::spawn(move || stderr_tail(stderr));
        let timed_out = Arc::new(AtomicBool::new(false));
        let (clock, ticks) = mpsc::channel::<Clock>();
        let wall = Duration::from_secs(self.limits.wall_seconds);
        let flag = timed_out.clone();
        let timer = std::thread::spawn(move || {
            if busy_time_ran_out(&ticks, wall) {
                flag.store(true, Ordering::SeqCst);
                kill(pid);
            }
        });
        let operation = Operation::Tag {
            max_tokens,
            labels,
            max_sequences,
        };
        let request = self.request(operation, path, output, max_tokens, false);
        let line = serde_json::to_string(&request).expect("requests serialise") + "\n";
        // a child that died already is found out at the first batch
        let _ = stdin.write_all(line.as_bytes());
        Ok(Tagger {
            sandbox: self.clone(),
            child,
            stdin: Some(stdin),
            stdout: BufReader::with_capacity(1 << 20, stdout),
            stderr: Some(stderr),
            clock: Some(clock),
            timer: Some(timer),
            timed_out,
            max_tokens,
            labels,
            max_sequences,
            payload: Vec::new(),
            ended: false,
        })
    }
}

/// What the worker tells the timer of a tagging session.
enum Clock {
    /// The worker waits for the child: time counts.
    Busy,
    /// The child answered: time stops.
    Idle,
}

/// Follows the clock until the session ends (the sender is dropped): true
/// when the busy time reached `wall`.
fn busy_time_ran_out(ticks: &mpsc::Receiver<Clock>, wall: Duration) -> bool {
    let mut left = wall;
    let mut busy_since: Option<Instant> = None;
    loop {
        match busy_since {
            None => match ticks.recv() {
                Ok(Clock::Busy) => busy_since = Some(Instant::now()),
                Ok(Clock::Idle) => {}
                Err(_) => return false,
            },
            Some(since) => match ticks.recv_timeout(left.saturating_sub(since.elapsed())) {
                Ok(Clock::Idle) => {
                    left = left.saturating_sub(since.elapsed());
                    busy_since = None;
                }
                Ok(Clock::Busy) => {}
                Err(mpsc::RecvTimeoutError::Timeout) => return true,
                Err(mpsc::RecvTimeoutError::Disconnected) => return false,
            },
        }
    }
}

/// A tagging session: one model-runner child that tags batches of token ids
/// until `finish`; dropped before, the child is killed.
pub struct Tagger {
    sandbox: ModelSandbox,
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    stderr: Option<JoinHandle<String>>,
    clock: Option<mpsc::Sender<Clock>>,
    timer: Option<JoinHandle<()>>,
    timed_out: Arc<AtomicBool>,
    max_tokens: usize,
    labels: usize,
    max_sequences: usize,
    payload: Vec<u8>,
    ended: bool,
}

impl Tagger {
    /// Tags `sequences` sequences of token ids (`ids` holds `sequences *
    /// max_tokens` of them, at most `max_sequences` sequences): one tag per id.
    pub fn tag(&mut self, ids: &[i64], sequences: usize) -> Result<Vec<TokenTag>, TagError> {
        assert!(
            ids.len() == sequences * self.max_tokens
                && (1..=self.max_sequences).contains(&sequences),
            "a batch of whole sequences, within the announced size"
        );
        if self.ended {
            return Err(SandboxError::Crashed("the tagging run has ended".into()).into());
        }
        self.tick(Clock::Busy);
        let sent = match self.stdin.as_mut() {
            Some(stdin) => stdin
                .write_all(&(sequences as u64).to_le_bytes())
                .and_then(|()| stdin.write_all(bytemuck::cast_slice(ids)))
                .and_then(|()| stdin.flush()),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        };
        if sent.is_err() {
            return Err(self.died());
        }
        let tokens = ids.len();
        let frame = self.frame()?;
        self.tick(Clock::Idle);
        match frame {
            (tag::TAGS, length) if length == tokens * 8 => {
                let (labels, scores) = self.payload.split_at(tokens * 4);
                Ok(labels
                    .chunks_exact(4)
                    .zip(scores.chunks_exact(4))
                    .map(|(label, score)| TokenTag {
                        label: u32::from_le_bytes(label.try_into().expect("4 bytes")),
                        score: f32::from_le_bytes(score.try_into().expect("4 bytes")),
                    })
                    .collect())
            }
            (kind, _) => Err(self.failure(kind, sequences)),
        }
    }

    /// Ends the run: the child must answer that it is done.
    pub fn finish(mut self) -> Result<(), TagError> {
        self.tick(Clock::Busy);
        let sent = match self.stdin.as_mut() {
            Some(stdin) => stdin
                .write_all(&0u64.to_le_bytes())
                .and_then(|()| stdin.flush()),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        };
        if sent.is_err() {
            return Err(self.died());
        }
        let outcome = match self.frame()? {
            (tag::DONE, _) => Ok(()),
            (kind, _) => Err(self.failure(kind, 0)),
        };
        self.end();
        outcome
    }

    fn tick(&self, clock: Clock) {
        if let Some(sender) = &self.clock {
            let _ = sender.send(clock);
        }
    }

    /// Reads one frame into `payload`: its tag and length.
    fn frame(&mut self) -> Result<(u8, usize), TagError> {
        match read_frame_header(&mut self.stdout) {
            Ok(Some((kind, length))) if length <= 1 << 32 => {
                self.payload.resize(length as usize, 0);
                match self.stdout.read_exact(&mut self.payload) {
                    Ok(()) => Ok((kind, length as usize)),
                    Err(_) => Err(self.died()),
                }
            }
            Ok(Some(_)) => {
                self.end();
                Err(SandboxError::Crashed("the model runner sent a frame too large".into()).into())
            }
            _ => Err(self.died()),
        }
    }

    /// What an unexpected frame (in `payload`) means; the run is over.
    fn failure(&mut self, kind: u8, sequences: usize) -> TagError {
        self.end();
        if kind != tag::ERROR {
            return SandboxError::Crashed(format!("unexpected frame tag {kind}")).into();
        }
        let error = serde_json::from_slice(&self.payload)
            .unwrap_or_else(|e| ChildError::Protocol(e.to_string()));
        match error {
            ChildError::Load(detail) | ChildError::Forward(detail) => TagError::Model(detail),
            ChildError::OutputShape => TagError::OutputShape {
                sequences,
                max_tokens: self.max_tokens,
                labels: self.labels,
            },
            other => self.sandbox.sandbox_error(other).into(),
        }
    }

    /// Why the child stopped answering; the run is over.
    fn died(&mut self) -> TagError {
        let (status, stderr) = self.end();
        let timed_out = self.timed_out.load(Ordering::SeqCst);
        self.sandbox.death(status, timed_out, &stderr).into()
    }

    /// Stops the timer, kills and reaps the child, and returns how it
    /// ended and the tail of its stderr.
    fn end(&mut self) -> (Option<std::process::ExitStatus>, String) {
        if self.ended {
            return (None, String::new());
        }
        self.ended = true;
        drop(self.clock.take());
        if let Some(timer) = self.timer.take() {
            let _ = timer.join();
        }
        drop(self.stdin.take());
        // A child that answered is exiting anyway; one that broke the protocol must not go on.
        kill(self.child.id() as libc::pid_t);
        let status = self.child.wait().ok();
        let stderr = self
            .stderr
            .take()
            .map(|handle| handle.join().unwrap_or_default())
            .unwrap_or_default();
        (status, stderr)
    }
}

impl Drop for Tagger {
    fn drop(&mut self) {
        self.end();
    }
}
