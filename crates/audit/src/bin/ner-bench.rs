//! The NER pass of the PII check: how many rows of a free-text column per
//! second the PII check scans with the rules alone, and with a token
//! classifier run through the model sandbox (a confined child, token ids and
//! tags over pipes) on top. Two hand-set classifiers: `lookup` (an embedding
//! of the labels' logits, the cost of the path itself) and `mlp` (embedding
//! 64, 256 hidden, per token). The fastest of REPEAT runs of each counts.
//!
//! usage: ner-bench [ROWS (200000)] [REPEAT (3)] [THREADS (2)] [MAX_TOKENS (32)]
//! Build: `cargo build --release -p probity-audit --features bench --bin ner-bench`.
//! This binary is also its own model runner (`ner-bench model-runner`).

use std::time::{Duration, Instant};

use polars::prelude::{IntoLazy, df};
use probity_audit::model::ModelOutput;
use probity_audit::ner::{LabelMap, NerModel, Vocabulary};
use probity_audit::pii_check::{PiiOptions, scan};
use probity_audit::report::NerModelInput;
use probity_audit::sandbox::{self, ModelSandbox, RUNNER_SUBCOMMAND, SandboxLimits};
use tch::nn::{self, Module};
use tch::{Device, Kind, Tensor};

const LABELS: [&str; 5] = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"];
/// Words of the generated notes; the first four are the names the models tag.
const WORDS: [&str; 24] = [
    "zorvath", "quillane", "brixley", "ondrake", "met", "at", "the", "depot", "on", "tuesday",
    "parcel", "left", "for", "with", "about", "refund", "order", "call", "back", "later", "and",
    "crate", "visit", "today",
];

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
    let (rows, repeat, threads, max_tokens) = (arg(1, 200_000), arg(2, 3), arg(3, 2), arg(4, 32));
    let dir = std::env::temp_dir().join(format!("probity-ner-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sandbox = ModelSandbox::new(
        std::env::current_exe().unwrap(),
        SandboxLimits {
            threads,
            ..SandboxLimits::default()
        },
        true,
    );
    sandbox.probe().expect("the sandbox works here");
    let vocabulary_text: String = ["[PAD]", "[UNK]", ".", ","]
        .iter()
        .chain(&WORDS)
        .map(|w| format!("{w}\n"))
        .collect();
    let vocabulary = Vocabulary::parse(vocabulary_text.as_bytes()).unwrap();
    let notes: Vec<String> = (0..rows).map(note).collect();
    let bytes: usize = notes.iter().map(String::len).sum();
    let frame = df!("notes" => notes).unwrap();
    println!(
        "rows={rows} ({:.1} MB of text, {:.0} bytes a row) threads={threads} max_tokens={max_tokens} repeat={repeat}",
        bytes as f64 / 1e6,
        bytes as f64 / rows as f64
    );
    let run = |ner: Option<&NerModel>| {
        let options = PiiOptions {
            ner_model_id: ner.map(|m| m.input.id),
            max_share_affected: 1.0,
            ..PiiOptions::default()
        };
        let mut fastest = Duration::MAX;
        let mut report = None;
        for _ in 0..repeat {
            let started = Instant::now();
            let scanned = scan(frame.clone().lazy(), &options, &mut std::io::sink(), ner).unwrap();
            fastest = fastest.min(started.elapsed());
            report = Some(scanned);
        }
        (fastest, report.unwrap())
    };
    let (rules, _) = run(None);
    let show = |name: &str, took: Duration| {
        let seconds = took.as_secs_f64();
        println!(
            "{name:>14}: {seconds:.3} s, {:.0} rows/s, {:.2} MB/s",
            rows as f64 / seconds,
            bytes as f64 / 1e6 / seconds
        );
    };
    show("rules only", rules);
    for (name, module) in [
        ("rules + lookup", lookup(&vocabulary_text, max_tokens)),
        ("rules + mlp", mlp(&vocabulary_text, max_tokens)),
    ] {
        let path = dir.join(format!("{}.pt", name.replace(' ', "")));
        module.save(&path).unwrap();
        let labels: Vec<String> = LABELS.iter().map(|l| l.to_string()).collect();
        let model = NerModel {
            input: NerModelInput {
                id: uuid::Uuid::new_v4(),
                name: name.into(),
                version: "1".into(),
                sha256: String::new(),
                vocabulary_sha256: vocabulary.sha256().into(),
                labels: labels.clone(),
                max_tokens: max_tokens as u32,
            },
            path,
            output: ModelOutput::Logit,
            labels: LabelMap::parse(&labels).unwrap(),
            max_tokens,
            vocabulary: vocabulary.clone(),
            sandbox: sandbox.clone(),
        };
        let (took, report) = run(Some(&model));
        show(name, took);
        let ner = report.ner.unwrap();
        println!(
            "{:>14}  model read {} cells, {} sequences, {} tokens; {} findings by the model",
            "", ner.cells, ner.sequences, ner.tokens, report.totals.by_detector.model
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A free-text note of 8 to 15 words; every third one holds a name.
fn note(i: usize) -> String {
    let mut state = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let words = 8 + (next() % 8) as usize;
    let mut text: Vec<String> = (0..words)
        .map(|_| WORDS[4 + (next() % (WORDS.len() as u64 - 4)) as usize].to_string())
        .collect();
    if i.is_multiple_of(3) {
        text.insert(1, "Zorvath Quillane".into());
    }
    text.push(format!("{i}."));
    text.join(" ")
}

/// The label each vocabulary line gets.
fn label_of(token: &str) -> i64 {
    match token {
        "zorvath" | "brixley" => 1,
        "quillane" | "ondrake" => 2,
        _ => 0,
    }
}

fn example(max_tokens: usize) -> Tensor {
    Tensor::zeros([2, max_tokens as i64], (Kind::Int64, Device::Cpu))
}

/// An embedding of the labels' logits (8 for each token's label).
fn lookup(vocabulary: &str, max_tokens: usize) -> tch::CModule {
    let logits: Vec<f32> = vocabulary
        .lines()
        .flat_map(|t| {
            (0..LABELS.len() as i64).map(move |l| if l == label_of(t) { 8.0 } else { 0.0 })
        })
        .collect();
    let table = Tensor::from_slice(&logits).view([-1, LABELS.len() as i64]);
    tch::no_grad(|| {
        tch::CModule::create_by_tracing(
            "Lookup",
            "forward",
            &[example(max_tokens)],
            &mut |inputs| vec![Tensor::embedding(&table, &inputs[0], -1, false, false)],
        )
    })
    .unwrap()
}

/// Embedding 64, then 256 hidden units and the labels, per token (seeded weights).
fn mlp(vocabulary: &str, max_tokens: usize) -> tch::CModule {
    tch::manual_seed(7);
    let mut vs = nn::VarStore::new(Device::Cpu);
    let root = vs.root();
    let embedding = nn::embedding(
        &root / "embedding",
        vocabulary.lines().count() as i64,
        64,
        Default::default(),
    );
    let net = nn::seq()
        .add(nn::linear(&root / "l1", 64, 256, Default::default()))
        .add_fn(|x| x.relu())
        .add(nn::linear(
            &root / "l2",
            256,
            LABELS.len() as i64,
            Default::default(),
        ));
    vs.freeze();
    tch::no_grad(|| {
        tch::CModule::create_by_tracing("Mlp", "forward", &[example(max_tokens)], &mut |inputs| {
            vec![net.forward(&embedding.forward(&inputs[0]))]
        })
    })
    .unwrap()
}
