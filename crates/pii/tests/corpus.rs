//! Evaluates the scanner on the labeled corpus (corpus/corpus.jsonl, made by
//! corpus/generate.py) and asserts precision, recall and the false-positive
//! rate on hard negatives.

use probity_pii::eval::{Evaluation, Truth};
use probity_pii::{EntityType, ScanConfig, Scanner};
use serde_json::Value;

struct Cell {
    column: String,
    text: String,
    kind: String,
    truth: Vec<Truth>,
}

fn corpus() -> Vec<Cell> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/corpus.jsonl");
    let data = std::fs::read_to_string(path).expect("corpus/corpus.jsonl (run corpus/generate.py)");
    data.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("json line");
            let truth = v["entities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| Truth {
                    entity: EntityType::from_name(e["type"].as_str().unwrap())
                        .expect("known entity type"),
                    start: e["start"].as_u64().unwrap() as usize,
                    end: e["end"].as_u64().unwrap() as usize,
                })
                .collect();
            Cell {
                column: v["column"].as_str().unwrap().to_string(),
                text: v["text"].as_str().unwrap().to_string(),
                kind: v["kind"].as_str().unwrap().to_string(),
                truth,
            }
        })
        .collect()
}

/// Checksum/format entities: >= 0.95 precision and recall required.
const STRICT: &[EntityType] = &[
    EntityType::Email,
    EntityType::CreditCard,
    EntityType::Iban,
    EntityType::UsSsn,
    EntityType::Ipv4,
    EntityType::Ipv6,
    EntityType::MacAddress,
    EntityType::AwsAccessKey,
    EntityType::GithubToken,
    EntityType::Jwt,
    EntityType::PrivateKey,
    EntityType::UrlCredentials,
    EntityType::Phone,
];

/// Share of hard-negative cells allowed to have any finding at min_confidence 0.5.
const MAX_HARD_NEGATIVE_FP_RATE: f64 = 0.01;

#[test]
fn corpus_precision_recall() {
    let cells = corpus();
    assert!(cells.len() > 5000, "corpus too small: {}", cells.len());
    let scanner = Scanner::new(ScanConfig::default());
    let mut eval = Evaluation::default();
    let (mut hard, mut hard_hit, mut neg, mut neg_hit) = (0usize, 0usize, 0usize, 0usize);
    let mut hard_examples = Vec::new();
    for c in &cells {
        let found = scanner.scan_cell(&c.column, &c.text);
        eval.add_findings(&c.truth, &found);
        match c.kind.as_str() {
            "hard_negative" => {
                hard += 1;
                if !found.is_empty() {
                    hard_hit += 1;
                    if hard_examples.len() < 10 {
                        hard_examples.push(format!("{} | {:?}", c.column, found));
                    }
                }
            }
            "negative" => {
                neg += 1;
                if !found.is_empty() {
                    neg_hit += 1;
                }
            }
            _ => {}
        }
    }
    println!(
        "\nper-entity precision/recall on {} corpus cells (min_confidence 0.5):\n{}",
        cells.len(),
        eval.table()
    );
    let hard_rate = hard_hit as f64 / hard as f64;
    let neg_rate = neg_hit as f64 / neg as f64;
    println!(
        "hard negatives with any finding: {hard_hit}/{hard} = {:.2}% (bound {:.0}%)",
        hard_rate * 100.0,
        MAX_HARD_NEGATIVE_FP_RATE * 100.0
    );
    println!(
        "plain-text negatives with any finding: {neg_hit}/{neg} = {:.2}%",
        neg_rate * 100.0
    );
    for e in &hard_examples {
        println!("  hard-negative hit: {e}");
    }

    let mut failures = Vec::new();
    for e in STRICT {
        let c = eval.per_entity.get(e).copied().unwrap_or_default();
        assert!(c.tp_truth + c.fn_ >= 50, "corpus has too few {e} cells");
        if c.precision() < 0.95 || c.recall() < 0.95 {
            failures.push(format!(
                "{e}: precision {:.3} recall {:.3}",
                c.precision(),
                c.recall()
            ));
        }
    }
    assert!(failures.is_empty(), "below 0.95: {failures:?}");
    assert!(
        hard_rate < MAX_HARD_NEGATIVE_FP_RATE,
        "hard-negative FP rate {hard_rate}"
    );
}

/// Debug helper: `cargo test --test corpus dump_misses -- --ignored --nocapture`
/// with PII_DUMP=<entity> prints false positives and misses of that entity.
#[test]
#[ignore]
fn dump_misses() {
    let want = std::env::var("PII_DUMP").unwrap_or_else(|_| "date_of_birth".into());
    let want = EntityType::from_name(&want).expect("entity name");
    let scanner = Scanner::new(ScanConfig::default());
    for c in corpus() {
        let found = scanner.scan_cell(&c.column, &c.text);
        let t: Vec<_> = c.truth.iter().filter(|t| t.entity == want).collect();
        let p: Vec<_> = found.iter().filter(|f| f.entity == want).collect();
        let miss = t
            .iter()
            .any(|t| !p.iter().any(|f| f.start < t.end && t.start < f.end));
        let fp = p
            .iter()
            .any(|f| !t.iter().any(|t| f.start < t.end && t.start < f.end));
        if miss || fp {
            let spans: Vec<_> = found
                .iter()
                .map(|f| (f.entity, &c.text[f.start..f.end], f.confidence))
                .collect();
            println!(
                "{} {} | {:?} | {:?}",
                if miss { "MISS" } else { "FP  " },
                c.column,
                c.text,
                spans
            );
        }
    }
}
