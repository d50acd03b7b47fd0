//! Evaluation of the scanner on a labelled corpus of `corpus/` (shared by the
//! held-out and blind corpus tests): per-entity precision and recall (a
//! prediction is right when it overlaps a truth span of its type), the share
//! of hard-negative cells with any finding, the bars of issue #15 and the
//! recorded floors.
//!
//! `PROBITY_PII_EXAMPLES=N` prints N examples of every kind of failure.

use probity_pii::eval::{Evaluation, Truth};
use probity_pii::{EntityType, Finding, ScanConfig, Scanner};
use serde_json::Value;

struct Cell {
    column: String,
    text: String,
    kind: String,
    truth: Vec<Truth>,
}

/// The cells of `corpus/NAME.jsonl`.
fn load(name: &str) -> Vec<Cell> {
    let path = format!("{}/corpus/{name}.jsonl", env!("CARGO_MANIFEST_DIR"));
    let data = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
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

/// Precision and recall every entity type must reach on a held-out corpus.
const MIN_PRECISION: f64 = 0.95;
const MIN_RECALL: f64 = 0.95;
/// Share of hard-negative cells allowed to have any finding.
const MAX_HARD_NEGATIVE_RATE: f64 = 0.005;
/// Examples printed per failing entity and per kind (miss, false positive);
/// `PROBITY_PII_EXAMPLES` overrides it.
fn examples(default: usize) -> usize {
    std::env::var("PROBITY_PII_EXAMPLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
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
pub struct Outcome {
    /// Precision and recall per entity type with truth in the corpus.
    pub figures: Vec<(EntityType, f64, f64)>,
    /// Share of hard-negative cells with any finding.
    pub hard_rate: f64,
    /// Every miss of a bar, described.
    pub failures: Vec<String>,
}

/// Panics with every miss of a bar in `outcome`.
pub fn assert_bars(name: &str, outcome: &Outcome) {
    assert!(
        outcome.failures.is_empty(),
        "{name} below the bars (precision and recall >= {MIN_PRECISION}, hard negatives < {:.1}%):\n  {}",
        MAX_HARD_NEGATIVE_RATE * 100.0,
        outcome.failures.join("\n  ")
    );
}

/// Asserts that no figure of `outcome` fell below min(bar, its value in
/// `corpus/NAME_floor.json`); with `PROBITY_UPDATE_PII_FLOOR` set, first
/// records the figures there (rounded down to 3 decimals, the hard-negative
/// share up).
pub fn assert_floor(name: &str, outcome: &Outcome) {
    let path = format!("{}/corpus/{name}_floor.json", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("PROBITY_UPDATE_PII_FLOOR").is_some() {
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
        std::fs::write(&path, serde_json::to_string_pretty(&floor).unwrap() + "\n").unwrap();
    }
    let floor: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("the recorded floor")).unwrap();
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
        "{name} figures fell below their floor:\n  {}",
        worse.join("\n  ")
    );
}

/// Scans every cell of `corpus/NAME.jsonl` with its column name at the
/// default configuration, prints the per-entity table, the hard-negative and
/// plain-negative shares and `default_examples` (or `PROBITY_PII_EXAMPLES`)
/// examples of every failure, and returns the figures with every miss of a
/// bar.
pub fn evaluate(name: &str, default_examples: usize) -> Outcome {
    let examples = examples(default_examples);
    let cells = load(name);
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
        "\n{name}: per-entity precision/recall on {} cells (min_confidence {}):\n{}",
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
            for (_, d) in misses.iter().filter(|(m, _)| m == e).take(examples) {
                println!("  MISS {d}");
            }
            for (_, d) in false_pos.iter().filter(|(m, _)| m == e).take(examples) {
                println!("  FP   {d}");
            }
        }
    }
    if !hard_examples.is_empty() {
        println!(
            "\n== hard-negative cells with findings (first {}):",
            examples
        );
        for d in hard_examples.iter().take(examples) {
            println!("  {d}");
        }
    }
    if !plain_examples.is_empty() {
        println!(
            "\n== plain-text negative cells with findings (first {}):",
            examples
        );
        for d in plain_examples.iter().take(examples) {
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
        "entity types with no truth in {name}: {absent:?}"
    );
    Outcome {
        figures,
        hard_rate,
        failures,
    }
}
