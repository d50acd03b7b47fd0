//! Benchmark driver (not a test). Built only with `--features bench`.
//!
//! * `pii-bench scan FILE.csv [SAMPLE_ROWS]`: reads the CSV into memory,
//!   scans every cell single-threaded and then per column in parallel (all
//!   cores), printing MB/s of cell text; also the single-threaded MB/s on the
//!   first SAMPLE_ROWS rows (the sample Presidio gets).
//! * `pii-bench eval corpus.jsonl`: per-entity precision/recall table.

use probity_pii::eval::{Evaluation, Truth};
use probity_pii::{ColumnContext, EntityType, Scanner};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("scan") => scan(
            &args[2],
            args.get(3).and_then(|s| s.parse().ok()).unwrap_or(2000),
        ),
        Some("eval") => eval(&args[2]),
        _ => {
            eprintln!("usage: pii-bench scan FILE.csv [SAMPLE_ROWS] | pii-bench eval corpus.jsonl");
            std::process::exit(2);
        }
    }
}

fn scan(path: &str, sample_rows: usize) {
    let t0 = Instant::now();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .expect("open csv");
    let headers: Vec<String> = rdr
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let mut cols: Vec<Vec<String>> = vec![Vec::new(); headers.len()];
    let mut rec = csv::StringRecord::new();
    while rdr.read_record(&mut rec).expect("csv record") {
        for (i, f) in rec.iter().enumerate().take(headers.len()) {
            cols[i].push(f.to_string());
        }
    }
    let load_s = t0.elapsed().as_secs_f64();
    let rows = cols.first().map(Vec::len).unwrap_or(0);
    let bytes: usize = cols.iter().flatten().map(String::len).sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "file={path} rows={rows} columns={} cell_mb={mb:.1} csv_load_s={load_s:.2}",
        headers.len()
    );

    let scanner = Scanner::default();
    let ctxs: Vec<ColumnContext> = headers
        .iter()
        .map(|h| ColumnContext::from_name(h))
        .collect();

    // single thread, every cell
    let t = Instant::now();
    let mut findings = 0usize;
    let mut per_col = Vec::new();
    for (c, col) in cols.iter().enumerate() {
        let tc = Instant::now();
        for cell in col {
            findings += scanner.scan_cell_ctx(&ctxs[c], &headers[c], cell).len();
        }
        let cb: usize = col.iter().map(String::len).sum();
        per_col.push(format!(
            "{}={:.0}",
            headers[c],
            cb as f64 / 1e6 / tc.elapsed().as_secs_f64()
        ));
    }
    let st = t.elapsed().as_secs_f64();
    println!("single_thread_mb_s_per_column {}", per_col.join(" "));
    println!(
        "single_thread_s={st:.2} single_thread_mb_s={:.1} findings={findings}",
        mb / st
    );

    // all cores, scan_column per column (rayon)
    let threads = rayon::current_num_threads();
    let t = Instant::now();
    let mut findings_mt = 0usize;
    let mut affected = Vec::new();
    for (c, col) in cols.iter().enumerate() {
        let cells: Vec<Option<&str>> = col
            .iter()
            .map(|s| if s.is_empty() { None } else { Some(s.as_str()) })
            .collect();
        let r = scanner.scan_column(&headers[c], &cells);
        findings_mt += r.findings.len();
        affected.push(format!(
            "{}:{:.3}:{}",
            r.column,
            r.share_affected,
            r.entity_types()
                .iter()
                .map(|e| e.as_str())
                .collect::<Vec<_>>()
                .join("+")
        ));
    }
    let mt = t.elapsed().as_secs_f64();
    println!(
        "threads={threads} all_cores_s={mt:.2} all_cores_mb_s={:.1} findings={findings_mt}",
        mb / mt
    );
    println!("columns_share_affected {}", affected.join(" "));

    // the sample Presidio scans: first SAMPLE_ROWS rows, single thread, repeated for timing
    let n = sample_rows.min(rows);
    let sample_bytes: usize = cols
        .iter()
        .map(|c| c[..n].iter().map(String::len).sum::<usize>())
        .sum();
    let reps = 20;
    let t = Instant::now();
    for _ in 0..reps {
        for (c, col) in cols.iter().enumerate() {
            for cell in &col[..n] {
                std::hint::black_box(scanner.scan_cell_ctx(&ctxs[c], &headers[c], cell));
            }
        }
    }
    let s = t.elapsed().as_secs_f64() / reps as f64;
    println!(
        "sample_rows={n} sample_mb={:.3} sample_single_thread_mb_s={:.1}",
        sample_bytes as f64 / 1e6,
        sample_bytes as f64 / 1e6 / s
    );
}

fn eval(path: &str) {
    let data = std::fs::read_to_string(path).expect("read corpus");
    let scanner = Scanner::default();
    let mut ev = Evaluation::default();
    let (mut hard, mut hard_hit) = (0, 0);
    for line in data.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        let truth: Vec<Truth> = v["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| Truth {
                entity: EntityType::from_name(e["type"].as_str().unwrap()).unwrap(),
                start: e["start"].as_u64().unwrap() as usize,
                end: e["end"].as_u64().unwrap() as usize,
            })
            .collect();
        let found = scanner.scan_cell(v["column"].as_str().unwrap(), v["text"].as_str().unwrap());
        if v["kind"] == "hard_negative" {
            hard += 1;
            hard_hit += usize::from(!found.is_empty());
        }
        ev.add_findings(&truth, &found);
    }
    print!("{}", ev.table());
    println!("hard_negative_cells_with_findings={hard_hit}/{hard}");
}
