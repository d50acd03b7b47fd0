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
