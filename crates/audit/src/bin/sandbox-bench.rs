//! The model sandbox's overhead: the same TorchScript MLP (32-256-256-1)
//! scores the same rows in this process with libtorch, and through the
//! sandbox (a confined child, rows and scores over pipes), side by side. Each
//! side builds the feature matrix and scores it, as an inference job does;
//! the sandboxed side starts its child first, as the job does, so the
//! child's start-up overlaps building the matrix. The sides alternate and
//! the fastest run of each counts.
//!
//! usage: sandbox-bench [ROWS (1000000)] [REPEAT (3)] [THREADS (2)] [BATCH (8192)]
//! Build: `cargo build --release -p probity-audit --features bench --bin sandbox-bench`.
//! This binary is also its own model runner (`sandbox-bench model-runner`).

use std::time::{Duration, Instant};

use probity_audit::inference::FeatureMatrix;
use probity_audit::model::ModelOutput;
use probity_audit::sandbox::{self, ModelSandbox, RUNNER_SUBCOMMAND, SandboxLimits};
use tch::nn::{self, Module};
use tch::{Device, Kind, Tensor};

const WIDTH: usize = 32;

fn main() {
    if std::env::args().nth(1).as_deref() == Some(RUNNER_SUBCOMMAND) {
        std::process::exit(sandbox::run_child());
    }
    let arg = |i: usize, default: usize| {
        std::env::args()
            .nth(i)
            .map(|a| a.parse().expect("a number"))
            .unwrap_or(default)
    };
    let (rows, repeat, threads, batch) = (arg(1, 1_000_000), arg(2, 3), arg(3, 2), arg(4, 8192));
    let dir = std::env::temp_dir().join(format!("probity-sandbox-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("mlp.pt");
    mlp().save(&model).unwrap();
    tch::set_num_threads(threads as i32);
    let sandbox = ModelSandbox::new(
        std::env::current_exe().unwrap(),
        SandboxLimits {
            threads,
            ..SandboxLimits::default()
        },
        true,
    );
    sandbox.probe().expect("the sandbox works here");
    let started = Instant::now();
    for _ in 0..3 {
        sandbox.probe().unwrap();
    }
    let startup = started.elapsed() / 3;

    let (mut in_process, mut sandboxed) = (Duration::MAX, Duration::MAX);
    let mut reference = Vec::new();
    for round in 0..repeat {
        let started = Instant::now();
        let matrix = features(rows);
        let scores = score_in_process(&model, &matrix, batch);
        in_process = in_process.min(started.elapsed());
        drop(matrix);
        let started = Instant::now();
        let run = sandbox.start().unwrap();
        let matrix = features(rows);
        let scored = run
            .score_all(&model, ModelOutput::Logit, false, &matrix, batch, |_| true)
            .unwrap();
        sandboxed = sandboxed.min(started.elapsed());
        assert_eq!(scored.scores, scores, "round {round}: the scores differ");
        reference = scores;
    }
    std::fs::remove_dir_all(&dir).ok();
    let (a, b) = (in_process.as_secs_f64(), sandboxed.as_secs_f64());
    println!(
        "rows={rows} width={WIDTH} batch={batch} threads={threads} repeat={repeat} (fastest of each; scores identical, {} values)",
        reference.len()
    );
    println!(
        "child start-up (spawn, load libtorch, confine, exit) {:.3} s",
        startup.as_secs_f64()
    );
    println!(
        "in-process {a:.3} s ({:.0} rows/s) | sandboxed {b:.3} s ({:.0} rows/s) | ratio {:.3}x",
        rows as f64 / a,
        rows as f64 / b,
        b / a
    );
}

/// A 32-256-256-1 ReLU MLP with seeded weights, traced to TorchScript.
fn mlp() -> tch::CModule {
    tch::manual_seed(7);
    let mut vs = nn::VarStore::new(Device::Cpu);
    let root = vs.root();
    let net = nn::seq()
        .add(nn::linear(
            &root / "l1",
            WIDTH as i64,
            256,
            Default::default(),
        ))
        .add_fn(|x| x.relu())
        .add(nn::linear(&root / "l2", 256, 256, Default::default()))
        .add_fn(|x| x.relu())
        .add(nn::linear(&root / "l3", 256, 1, Default::default()));
    vs.freeze();
    let example = Tensor::zeros([4, WIDTH as i64], (Kind::Float, Device::Cpu));
    tch::no_grad(|| {
        tch::CModule::create_by_tracing("Mlp", "forward", &[example], &mut |inputs| {
            vec![net.forward(&inputs[0])]
        })
    })
    .unwrap()
}

/// Deterministic values in [-1, 1).
fn features(rows: usize) -> FeatureMatrix {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let values = (0..rows * WIDTH)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 40) as f32 / (1u64 << 23) as f32 - 1.0
        })
        .collect();
    FeatureMatrix {
        rows,
        width: WIDTH,
        values,
    }
}

/// What inference did before the sandbox: load in this process, batches under no-grad, sigmoid.
fn score_in_process(model: &std::path::Path, matrix: &FeatureMatrix, batch: usize) -> Vec<f32> {
    let mut module = tch::CModule::load_on_device(model, Device::Cpu).unwrap();
    module.set_eval();
    let mut scores = vec![0f32; matrix.rows];
    for (index, out) in scores.chunks_mut(batch).enumerate() {
        let start = index * batch;
        let rows = out.len();
        let slice = &matrix.values[start * WIDTH..(start + rows) * WIDTH];
        let input = Tensor::from_slice(slice).view([rows as i64, WIDTH as i64]);
        let output = tch::no_grad(|| module.forward_ts(&[input]))
            .unwrap()
            .sigmoid();
        output.to_kind(Kind::Float).copy_data(out, rows);
    }
    scores
}
