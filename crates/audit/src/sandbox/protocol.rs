//! What the service and a model-runner child say to each other over the
//! child's stdin and stdout: one JSON request line, then (for scoring) the
//! feature rows as little-endian f32, or (for tagging) batches of token ids,
//! each a little-endian u64 count of sequences and that many sequences of
//! `max_tokens` little-endian i64 ids (a count of 0 ends the run); back come
//! frames of a tag byte, a little-endian u64 length and a payload.

use std::io::{self, Read, Write};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::model::ModelOutput;

/// What the child is asked to do.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    /// Apply the confinement and report it; load nothing.
    Probe,
    /// Load the model and run one forward pass on a zero batch `[2, width]`.
    Validate,
    /// Load the model and score `rows` rows sent after the request, in batches.
    Score {
        /// Rows that follow.
        rows: usize,
        /// Rows per forward pass.
        batch_size: usize,
    },
    /// Load a token classifier and run it on token ids `[2, max_tokens]`:
    /// zeros, then `max_id` (its vocabulary's last id) everywhere; each output
    /// must be `[2, max_tokens, labels]`.
    ValidateTokens {
        /// Tokens per sequence.
        max_tokens: usize,
        /// Labels per token.
        labels: usize,
        /// Largest token id the parent will send.
        max_id: i64,
    },
    /// Load a token classifier and tag the batches of token ids that follow
    /// until a count of 0: one `TAGS` frame per batch.
    Tag {
        /// Tokens per sequence.
        max_tokens: usize,
        /// Labels per token.
        labels: usize,
        /// Most sequences in one batch.
        max_sequences: usize,
    },
}

/// The request line a child reads first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    /// What to do.
    pub operation: Operation,
    /// The TorchScript file (the only file the child may read besides libraries).
    pub model: PathBuf,
    /// What the model returns.
    pub output: ModelOutput,
    /// Features per row.
    pub width: usize,
    /// Run on CUDA when available.
    pub cuda: bool,
    /// Limits the child applies to itself before it touches the model.
    pub limits: super::SandboxLimits,
    /// Whether to confine with Landlock and seccomp (false only under the operator's opt-out).
    pub confine: bool,
}

/// Why a child could not do what it was asked; the parent turns these into
/// model or inference errors. None carries model output values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum ChildError {
    /// The request line was unreadable.
    Protocol(String),
    /// Landlock or seccomp could not be applied.
    Confinement(String),
    /// libtorch could not load the file.
    Load(String),
    /// The forward pass failed.
    Forward(String),
    /// The output does not have one value per row (per token and label for a token classifier).
    OutputShape,
    /// A token classifier failed on the vocabulary's largest token id.
    TokenRange(String),
    /// A `probability` model returned a value outside [0, 1] on the zero batch.
    NotAProbability,
    /// An allocation failed under the memory limit.
    OutOfMemory,
}

/// Frame tags, child to parent.
pub mod tag {
    /// Scores of one batch: f32 little-endian.
    pub const SCORES: u8 = b'S';
    /// Tags of one batch of token ids: the label index of every token (u32
    /// little-endian), then its probability (f32 little-endian).
    pub const TAGS: u8 = b'T';
    /// Success; payload: the device that ran, as text.
    pub const DONE: u8 = b'D';
    /// Failure; payload: a JSON `ChildError`.
    pub const ERROR: u8 = b'E';
}

/// Writes one frame.
pub fn write_frame(out: &mut impl Write, tag: u8, payload: &[u8]) -> io::Result<()> {
    out.write_all(&[tag])?;
    out.write_all(&(payload.len() as u64).to_le_bytes())?;
    out.write_all(payload)?;
    out.flush()
}

/// Reads one frame's tag and length (`None` at end of stream).
pub fn read_frame_header(input: &mut impl Read) -> io::Result<Option<(u8, u64)>> {
    let mut header = [0u8; 9];
    let mut filled = 0;
    while filled < header.len() {
        match input.read(&mut header[filled..])? {
            0 if filled == 0 => return Ok(None),
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => filled += n,
        }
    }
    let length = u64::from_le_bytes(header[1..].try_into().expect("8 bytes"));
    Ok(Some((header[0], length)))
}

// f32 values cross the pipe in the machine's byte order (both ends are the
// same binary on the same machine), as one copy of their bytes.
#[cfg(not(target_endian = "little"))]
compile_error!("the model sandbox's pipe format assumes a little-endian machine");

/// The bytes of `values`, as they go down the pipe.
pub fn f32_bytes(values: &[f32]) -> &[u8] {
    bytemuck::cast_slice(values)
}

/// Reads f32 values from `bytes` into `out` (replacing its contents).
pub fn read_f32s(bytes: &[u8], out: &mut Vec<f32>) {
    let count = bytes.len() / 4;
    out.clear();
    out.resize(count, 0.0);
    bytemuck::cast_slice_mut::<f32, u8>(out).copy_from_slice(&bytes[..count * 4]);
}
