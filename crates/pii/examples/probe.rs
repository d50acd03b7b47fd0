//! Prints the findings of one cell: `cargo run -p probity-pii --example probe -- COLUMN TEXT [MIN]`.
use probity_pii::{ScanConfig, Scanner};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let config = ScanConfig {
        min_confidence: args.get(3).and_then(|m| m.parse().ok()).unwrap_or(0.0),
        ..ScanConfig::default()
    };
    let scanner = Scanner::new(config);
    for f in scanner.scan_cell(&args[1], &args[2]) {
        println!(
            "{} {:?} {:.3}",
            f.entity,
            &args[2][f.start..f.end],
            f.confidence
        );
    }
}
