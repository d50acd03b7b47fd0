//! Evaluates the scanner on the HELD-OUT corpus (corpus/heldout.jsonl, made
//! by corpus/generate_heldout.py): other locales, sentence templates, column
//! names and negatives than corpus/corpus.jsonl, never used for tuning.
//!
//! Bars (issue #15, item 5): every entity type with truth in the corpus has
//! precision >= 0.95 and recall >= 0.95, and under 0.5 % of the hard-negative
//! cells have any finding. `heldout_bars` asserts them and lists every entity
//! below a bar; it is ignored while some are (see crates/pii/BENCHMARK.md).
//! `heldout_never_falls_below_its_floor` runs in CI: no entity may fall below
//! min(bar, its figure recorded in corpus/heldout_floor.json), so a change
//! cannot make the held-out figures worse unnoticed. Regenerate the floor
//! after an improvement with `PROBITY_UPDATE_HELDOUT_FLOOR=1`.
//!
//! `cargo test -p probity-pii --test heldout -- --nocapture --include-ignored`
//! prints the per-entity table and, for each failing entity, a few misses and
//! false positives.

use probity_pii::eval::{Evaluation, Truth};
use probity_pii::{EntityType, Finding, ScanConfig, Scanner};
use serde_json::Value;

struct Cell {
    column: String,
    text: String,
    kind: String,
    truth: Vec<Truth>,
}

fn heldout() -> Vec<Cell> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/heldout.jsonl");
    let data = std::fs::read_to_string(path)
        .expect("corpus/heldout.jsonl (run corpus/generate_heldout.py)");
    data.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("json line");
            let text = v["text"].as_str().unwrap().to_string();
            let truth = v["entities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    let t = Truth {
                        entity: EntityType::from_name(e["type"].as_str().unwrap())
                            .expect("known entity type"),
                        start: e["start"].as_u64().unwrap() as usize,
                        end: e["end"].as_u64().unwrap() as usize,
                    };
                    assert!(
                        t.start < t.end
                            && t.end <= text.len()
                            && text.is_char_boundary(t.start)
                            && text.is_char_boundary(t.end),
                        "bad byte offsets in {l}"
                    );
                    t
                })
                .collect();
            Cell {
                column: v["column"].as_str().unwrap().to_string(),
                text,
                kind: v["kind"].as_str().unwrap().to_string(),
                truth,
            }
        })
        .collect()
}

/// Precision and recall every entity type must reach on this corpus.
const MIN_PRECISION: f64 = 0.95;
const MIN_RECALL: f64 = 0.95;
/// Share of hard-negative cells allowed to have any finding.
const MAX_HARD_NEGATIVE_RATE: f64 = 0.005;
/// Examples printed per failing entity and per kind (miss, false positive);
/// `PROBITY_PII_EXAMPLES` overrides it.
fn examples() -> usize {
    std::env::var("PROBITY_PII_EXAMPLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6)
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// At most `n` characters of `s`, with an ellipsis when cut.
fn clip(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn describe(c: &Cell, found: &[Finding]) -> String {
    let found: Vec<String> = found
        .iter()
        .map(|f| {
            format!(
                "{}:{:?}@{:.2}",
                f.entity,
                clip(&c.text[f.start..f.end], 60),
                f.confidence
            )
        })
        .collect();
    let truth: Vec<String> = c
        .truth
        .iter()
        .map(|t| format!("{}:{:?}", t.entity, clip(&c.text[t.start..t.end], 60)))
        .collect();
    format!(
        "[{}] {:?}\n        expected {}\n        found    {}",
        c.column,
        clip(&c.text, 200),
        truth.join(", "),
        found.join(", ")
    )
}

/// What the scanner scored on the corpus.
struct Outcome {
    /// Precision and recall per entity type with truth in the corpus.
    figures: Vec<(EntityType, f64, f64)>,
    /// Share of hard-negative cells with any finding.
    hard_rate: f64,
    /// Every miss of a bar, described.
    failures: Vec<String>,
}

#[test]
#[ignore = "issue #15: 18 of 41 entity types and the hard-negative share are below the bars on the held-out corpus (crates/pii/BENCHMARK.md); heldout_never_falls_below_its_floor keeps them from getting worse"]
fn heldout_bars() {
    let outcome = evaluate();
    assert!(
        outcome.failures.is_empty(),
        "held-out corpus below the bars (precision and recall >= {MIN_PRECISION}, hard negatives < {:.1}%):\n  {}",
        MAX_HARD_NEGATIVE_RATE * 100.0,
        outcome.failures.join("\n  ")
    );
}

/// Path of the recorded floor.
const FLOOR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/heldout_floor.json");

#[test]
fn heldout_never_falls_below_its_floor() {
    let outcome = evaluate();
    if std::env::var_os("PROBITY_UPDATE_HELDOUT_FLOOR").is_some() {
        // figures rounded down to 3 decimals, the hard-negative share up
        let entities: serde_json::Map<String, Value> = outcome
            .figures
            .iter()
            .map(|&(e, p, r)| {
                let down = |x: f64| (x * 1000.0).floor() / 1000.0;
                (
                    e.as_str().to_string(),
                    serde_json::json!({"precision": down(p), "recall": down(r)}),
                )
            })
            .collect();
        let floor = serde_json::json!({
            "entities": entities,
            "hard_negative_rate": (outcome.hard_rate * 1000.0).ceil() / 1000.0,
        });
        std::fs::write(FLOOR, serde_json::to_string_pretty(&floor).unwrap() + "\n").unwrap();
    }
    let floor: Value =
        serde_json::from_str(&std::fs::read_to_string(FLOOR).expect("corpus/heldout_floor.json"))
            .unwrap();
    let mut worse = Vec::new();
    for &(e, p, r) in &outcome.figures {
        let recorded = &floor["entities"][e.as_str()];
        let min_p = recorded["precision"]
            .as_f64()
            .unwrap_or(0.0)
            .min(MIN_PRECISION);
        let min_r = recorded["recall"].as_f64().unwrap_or(0.0).min(MIN_RECALL);
        if p < min_p || r < min_r {
            worse.push(format!(
                "{e}: precision {p:.3} (floor {min_p}), recall {r:.3} (floor {min_r})"
            ));
        }
    }
    let max_hard = floor["hard_negative_rate"]
        .as_f64()
        .unwrap()
        .max(MAX_HARD_NEGATIVE_RATE);
    if outcome.hard_rate > max_hard {
        worse.push(format!(
            "hard negatives: {:.4} of cells (floor {max_hard})",
            outcome.hard_rate
        ));
    }
    assert!(
        worse.is_empty(),
        "held-out figures fell below their floor:\n  {}",
        worse.join("\n  ")
    );
}

fn evaluate() -> Outcome {
    let cells = heldout();
    assert!(cells.len() > 5000, "corpus too small: {}", cells.len());
    let scanner = Scanner::new(ScanConfig::default());
    let mut eval = Evaluation::default();
    let (mut hard, mut hard_hit, mut plain, mut plain_hit) = (0usize, 0usize, 0usize, 0usize);
    let mut hard_examples = Vec::new();
    let mut plain_examples = Vec::new();
    let mut misses: Vec<(EntityType, String)> = Vec::new();
    let mut false_pos: Vec<(EntityType, String)> = Vec::new();
    for c in &cells {
        let found = scanner.scan_cell(&c.column, &c.text);
        eval.add_findings(&c.truth, &found);
        match c.kind.as_str() {
            "hard_negative" => {
                hard += 1;
                if !found.is_empty() {
                    hard_hit += 1;
                    hard_examples.push(describe(c, &found));
                }
            }
            "plain_negative" => {
                plain += 1;
                if !found.is_empty() {
                    plain_hit += 1;
                    plain_examples.push(describe(c, &found));
                }
            }
            _ => {}
        }
        for t in &c.truth {
            if !found
                .iter()
                .any(|f| f.entity == t.entity && overlaps((f.start, f.end), (t.start, t.end)))
            {
                misses.push((t.entity, describe(c, &found)));
            }
        }
        for f in &found {
            if !c
                .truth
                .iter()
                .any(|t| f.entity == t.entity && overlaps((f.start, f.end), (t.start, t.end)))
            {
                false_pos.push((f.entity, describe(c, &found)));
            }
        }
    }

    println!(
        "\nheld-out corpus: per-entity precision/recall on {} cells (min_confidence {}):\n{}",
        cells.len(),
        ScanConfig::default().min_confidence,
        eval.table()
    );
    let hard_rate = hard_hit as f64 / hard.max(1) as f64;
    let plain_rate = plain_hit as f64 / plain.max(1) as f64;
    println!(
        "hard-negative cells with any finding: {hard_hit}/{hard} = {:.2}% (bar < {:.1}%)",
        hard_rate * 100.0,
        MAX_HARD_NEGATIVE_RATE * 100.0
    );
    println!(
        "plain-text negative cells with any finding: {plain_hit}/{plain} = {:.2}%",
        plain_rate * 100.0
    );

    // every entity type of the crate must be in the corpus
    let absent: Vec<&str> = EntityType::ALL
        .iter()
        .filter(|e| {
            eval.per_entity
                .get(e)
                .is_none_or(|c| c.tp_truth + c.fn_ == 0)
        })
        .map(|e| e.as_str())
        .collect();

    let mut failures = Vec::new();
    let mut figures = Vec::new();
    for (e, c) in &eval.per_entity {
        let truth = c.tp_truth + c.fn_;
        if truth == 0 {
            continue;
        }
        let (p, r) = (c.precision(), c.recall());
        figures.push((*e, p, r));
        if p < MIN_PRECISION || r < MIN_RECALL {
            failures.push(format!(
                "{e}: precision {p:.3} ({} of {} predictions right), recall {r:.3} ({} of {truth} found)",
                c.tp_pred,
                c.tp_pred + c.fp,
                c.tp_truth
            ));
            println!("\n== {e}: precision {p:.3}, recall {r:.3}");
            for (_, d) in misses.iter().filter(|(m, _)| m == e).take(examples()) {
                println!("  MISS {d}");
            }
            for (_, d) in false_pos.iter().filter(|(m, _)| m == e).take(examples()) {
                println!("  FP   {d}");
            }
        }
    }
    if !hard_examples.is_empty() {
        println!(
            "\n== hard-negative cells with findings (first {}):",
            examples()
        );
        for d in hard_examples.iter().take(examples()) {
            println!("  {d}");
        }
    }
    if !plain_examples.is_empty() {
        println!(
            "\n== plain-text negative cells with findings (first {}):",
            examples()
        );
        for d in plain_examples.iter().take(examples()) {
            println!("  {d}");
        }
    }

    if hard_rate >= MAX_HARD_NEGATIVE_RATE {
        failures.push(format!(
            "hard negatives: {hard_hit}/{hard} cells ({:.2}%) have a finding, bar < {:.1}%",
            hard_rate * 100.0,
            MAX_HARD_NEGATIVE_RATE * 100.0
        ));
    }
    assert!(
        absent.is_empty(),
        "entity types with no truth in the held-out corpus: {absent:?}"
    );
    Outcome {
        figures,
        hard_rate,
        failures,
    }
}
