//! The model-runner child: reads its request from stdin, limits and confines
//! itself, and only then loads the TorchScript file and runs it, sending
//! results back as frames on stdout. Runs as `probity model-runner`, in a
//! process of its own, with an empty environment.

use std::io::{self, BufRead, BufReader, Read, Write};

use tch::{Device, Kind, Tensor};

use super::confine;
use super::protocol::{ChildError, Operation, Request, f32_bytes, tag, write_frame};
use crate::model::ModelOutput;

/// Runs one request from stdin to stdout; the process exit code.
pub fn run() -> i32 {
    let mut stdout = io::stdout().lock();
    let mut input = BufReader::with_capacity(1 << 20, io::stdin().lock());
    let outcome = serve(&mut input, &mut stdout);
    let frame = match outcome {
        Ok(device) => write_frame(&mut stdout, tag::DONE, device.as_bytes()),
        Err(error) => write_frame(
            &mut stdout,
            tag::ERROR,
            &serde_json::to_vec(&error).unwrap_or_default(),
        ),
    };
    i32::from(frame.is_err())
}

fn serve(input: &mut impl BufRead, out: &mut impl Write) -> Result<String, ChildError> {
    let mut line = String::new();
    input
        .read_line(&mut line)
        .map_err(|e| ChildError::Protocol(e.to_string()))?;
    let request: Request =
        serde_json::from_str(&line).map_err(|e| ChildError::Protocol(e.to_string()))?;
    confine::apply_limits(&request.limits).map_err(ChildError::Confinement)?;
    if request.confine {
        confine::confine(&request.model, request.cuda).map_err(ChildError::Confinement)?;
    }
    tch::set_num_threads(request.limits.threads.max(1) as i32);
    tch::set_num_interop_threads(1);
    let device = if request.cuda {
        Device::cuda_if_available()
    } else {
        Device::Cpu
    };
    let device_name = match device {
        Device::Cuda(_) => "cuda",
        _ => "cpu",
    };
    match request.operation {
        Operation::Probe => return Ok(device_name.into()),
        Operation::Validate => validate(&request, device)?,
        Operation::Score { rows, batch_size } => {
            score(&request, device, rows, batch_size, input, out)?
        }
        Operation::ValidateTokens {
            max_tokens,
            labels,
            max_id,
        } => validate_tokens(&request, device, [max_tokens, labels], max_id)?,
        Operation::Tag {
            max_tokens,
            labels,
            max_sequences,
        } => tag(
            &request,
            device,
            [max_tokens, labels],
            max_sequences,
            input,
            out,
        )?,
    }
    Ok(device_name.into())
}

/// The first non-empty line of a libtorch error, at most 300 characters;
/// allocation failures become `OutOfMemory`.
fn torch_failure(error: &tch::TchError, wrap: fn(String) -> ChildError) -> ChildError {
    let text = error.to_string();
    if text.contains("can't allocate memory")
        || text.contains("bad_alloc")
        || text.contains("out of memory")
    {
        return ChildError::OutOfMemory;
    }
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("unknown libtorch error");
    wrap(line.chars().take(300).collect())
}

fn load(request: &Request, device: Device) -> Result<tch::CModule, ChildError> {
    let mut module = tch::CModule::load_on_device(&request.model, device)
        .map_err(|e| torch_failure(&e, ChildError::Load))?;
    module.set_eval();
    Ok(module)
}

/// Forward pass of `rows` rows; the output must hold one value per row.
fn forward(
    module: &tch::CModule,
    input: Tensor,
    rows: usize,
    output: ModelOutput,
) -> Result<Tensor, ChildError> {
    let result = tch::no_grad(|| module.forward_ts(&[input]))
        .map_err(|e| torch_failure(&e, ChildError::Forward))?;
    let shape = result.size();
    if !(shape == [rows as i64] || shape == [rows as i64, 1]) {
        return Err(ChildError::OutputShape);
    }
    Ok(match output {
        ModelOutput::Logit => result.sigmoid(),
        ModelOutput::Probability => result,
    })
}

fn validate(request: &Request, device: Device) -> Result<(), ChildError> {
    let module = load(request, device)?;
    let batch = Tensor::zeros([2, request.width as i64], (Kind::Float, device));
    let raw = tch::no_grad(|| module.forward_ts(&[batch]))
        .map_err(|e| torch_failure(&e, ChildError::Forward))?;
    let shape = raw.size();
    if !(shape == [2] || shape == [2, 1]) {
        return Err(ChildError::OutputShape);
    }
    let values = Vec::<f64>::try_from(raw.to_kind(Kind::Double).flatten(0, -1))
        .map_err(|e| torch_failure(&e, ChildError::Forward))?;
    if request.output == ModelOutput::Probability && values.iter().any(|v| !(0.0..=1.0).contains(v))
    {
        return Err(ChildError::NotAProbability);
    }
    Ok(())
}

/// A token classifier's forward pass on `sequences` sequences: the most
/// likely label of every token (as i32) and its probability, after checking
/// that the output is `[sequences, max_tokens, labels]`.
fn forward_tokens(
    module: &tch::CModule,
    input: Tensor,
    sequences: usize,
    [max_tokens, labels]: [usize; 2],
    output: ModelOutput,
) -> Result<(Tensor, Tensor), ChildError> {
    let result = tch::no_grad(|| module.forward_ts(&[input]))
        .map_err(|e| torch_failure(&e, ChildError::Forward))?;
    if result.size() != [sequences as i64, max_tokens as i64, labels as i64] {
        return Err(ChildError::OutputShape);
    }
    let failed = |e: tch::TchError| torch_failure(&e, ChildError::Forward);
    let values = result.f_to_kind(Kind::Float).map_err(failed)?;
    let probabilities = match output {
        ModelOutput::Logit => values.f_softmax(-1, Kind::Float).map_err(failed)?,
        ModelOutput::Probability => values,
    };
    let (best, index) = probabilities.f_max_dim(-1, false).map_err(failed)?;
    let index = index.f_to_kind(Kind::Int).map_err(failed)?;
    Ok((index.to_device(Device::Cpu), best.to_device(Device::Cpu)))
}

fn validate_tokens(
    request: &Request,
    device: Device,
    shape: [usize; 2],
    max_id: i64,
) -> Result<(), ChildError> {
    let module = load(request, device)?;
    let ids = Tensor::zeros([2, shape[0] as i64], (Kind::Int64, device));
    let raw = tch::no_grad(|| module.forward_ts(&[ids]))
        .map_err(|e| torch_failure(&e, ChildError::Forward))?;
    if raw.size() != [2, shape[0] as i64, shape[1] as i64] {
        return Err(ChildError::OutputShape);
    }
    if request.output == ModelOutput::Probability {
        let values = Vec::<f64>::try_from(raw.to_kind(Kind::Double).flatten(0, -1))
            .map_err(|e| torch_failure(&e, ChildError::Forward))?;
        if values.iter().any(|v| !(0.0..=1.0).contains(v)) {
            return Err(ChildError::NotAProbability);
        }
    }
    let ids = Tensor::full([2, shape[0] as i64], max_id, (Kind::Int64, device));
    match forward_tokens(&module, ids, 2, shape, request.output) {
        Err(ChildError::Forward(detail)) => Err(ChildError::TokenRange(detail)),
        other => other.map(|_| ()),
    }
}

fn tag(
    request: &Request,
    device: Device,
    [max_tokens, labels]: [usize; 2],
    max_sequences: usize,
    input: &mut impl Read,
    out: &mut impl Write,
) -> Result<(), ChildError> {
    let module = load(request, device)?;
    let protocol = |e: io::Error| ChildError::Protocol(e.to_string());
    let mut ids = vec![0i64; max_sequences.max(1) * max_tokens];
    let mut payload = Vec::new();
    loop {
        let mut count = [0u8; 8];
        input.read_exact(&mut count).map_err(protocol)?;
        let sequences = u64::from_le_bytes(count) as usize;
        if sequences == 0 {
            return Ok(());
        }
        if sequences > max_sequences {
            return Err(ChildError::Protocol(format!(
                "a batch of {sequences} sequences; at most {max_sequences} were announced"
            )));
        }
        let ids = &mut ids[..sequences * max_tokens];
        input
            .read_exact(bytemuck::cast_slice_mut(ids))
            .map_err(protocol)?;
        let tensor = Tensor::from_slice(ids)
            .view([sequences as i64, max_tokens as i64])
            .to_device(device);
        let (index, best) = forward_tokens(
            &module,
            tensor,
            sequences,
            [max_tokens, labels],
            request.output,
        )?;
        let tokens = sequences * max_tokens;
        let mut indices = vec![0i32; tokens];
        let mut scores = vec![0f32; tokens];
        index
            .f_copy_data(&mut indices, tokens)
            .and_then(|()| best.f_copy_data(&mut scores, tokens))
            .map_err(|e| torch_failure(&e, ChildError::Forward))?;
        payload.clear();
        payload.extend_from_slice(bytemuck::cast_slice(&indices));
        payload.extend_from_slice(f32_bytes(&scores));
        write_frame(out, tag::TAGS, &payload).map_err(protocol)?;
    }
}

fn score(
    request: &Request,
    device: Device,
    rows: usize,
    batch_size: usize,
    input: &mut impl Read,
    out: &mut impl Write,
) -> Result<(), ChildError> {
    let module = load(request, device)?;
    let protocol = |e: io::Error| ChildError::Protocol(e.to_string());
    let width = request.width;
    let batch_size = batch_size.max(1);
    let mut values = vec![0f32; batch_size * width];
    let mut scores = vec![0f32; batch_size];
    let mut done = 0;
    while done < rows {
        let batch = batch_size.min(rows - done);
        let values = &mut values[..batch * width];
        input
            .read_exact(bytemuck::cast_slice_mut(values))
            .map_err(protocol)?;
        let tensor = Tensor::from_slice(values)
            .view([batch as i64, width as i64])
            .to_device(device);
        let result = forward(&module, tensor, batch, request.output)?;
        result
            .f_to_kind(Kind::Float)
            .and_then(|r| r.f_copy_data(&mut scores[..batch], batch))
            .map_err(|e| torch_failure(&e, ChildError::Forward))?;
        write_frame(out, tag::SCORES, f32_bytes(&scores[..batch])).map_err(protocol)?;
        done += batch;
    }
    Ok(())
}
