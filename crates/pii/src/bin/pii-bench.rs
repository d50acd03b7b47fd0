//! Benchmark driver (not a test). Built only with `--features bench`.
//!
//! * `pii-bench scan FILE.csv [SAMPLE_ROWS]`: reads the CSV into memory,
//!   scans every cell single-threaded and then per column in parallel (all
//!   cores), printing MB/s of cell text; also the single-threaded MB/s on the
//!   first SAMPLE_ROWS rows (the sample Presidio gets).
//!   It also prints the single-thread CPU time and `scan_column` on a
//!   one-thread pool.
//! * `pii-bench eval corpus.jsonl`: per-entity precision/recall table.
//! * `pii-bench digest FILE.csv|corpus.jsonl`: a hash of every finding, to
//!   check that two builds find exactly the same things.

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
        Some("digest") => digest(&args[2]),
        _ => {
            eprintln!(
                "usage: pii-bench scan FILE.csv [SAMPLE_ROWS] | pii-bench eval corpus.jsonl | pii-bench digest FILE.csv|corpus.jsonl"
            );
            std::process::exit(2);
        }
    }
}

/// Reads a CSV file into its header names and one `Vec` of cells per column.
fn read_columns(path: &str) -> (Vec<String>, Vec<Vec<String>>) {
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
    (headers, cols)
}

fn scan(path: &str, sample_rows: usize) {
    let t0 = Instant::now();
    let (headers, cols) = read_columns(path);
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
    let cpu0 = thread_cpu_s();
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
    let cpu = thread_cpu_s().zip(cpu0).map(|(b, a)| b - a);
    println!("single_thread_mb_s_per_column {}", per_col.join(" "));
    println!(
        "single_thread_s={st:.2} single_thread_mb_s={:.1} findings={findings}",
        mb / st
    );
    // on a shared machine the wall clock also counts time spent descheduled
    if let Some(cpu) = cpu.filter(|c| *c > 0.0) {
        println!(
            "single_thread_cpu_s={cpu:.2} single_thread_cpu_mb_s={:.1}",
            mb / cpu
        );
    }

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

    // the service's path (`scan_column`) on one thread: a rayon pool of one
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("rayon pool");
    let t = Instant::now();
    let findings_1t: usize = pool.install(|| {
        cols.iter()
            .enumerate()
            .map(|(c, col)| {
                let cells: Vec<Option<&str>> = col
                    .iter()
                    .map(|s| if s.is_empty() { None } else { Some(s.as_str()) })
                    .collect();
                scanner.scan_column(&headers[c], &cells).findings.len()
            })
            .sum()
    });
    let t1 = t.elapsed().as_secs_f64();
    println!(
        "scan_column_1_thread_s={t1:.2} scan_column_1_thread_mb_s={:.1} findings={findings_1t}",
        mb / t1
    );

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

/// Hash of every finding (Debug form, full precision) per column: two
/// builds that print the same digests found exactly the same things.
fn digest(path: &str) {
    use std::hash::{Hash, Hasher};
    if path.ends_with(".jsonl") {
        // a labeled corpus: every finding of every cell, with its own column name
        let data = std::fs::read_to_string(path).expect("read corpus");
        let scanner = Scanner::default();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let mut n = 0usize;
        for (i, line) in data.lines().enumerate() {
            let v: serde_json::Value = serde_json::from_str(line).expect("json");
            let (col, text) = (v["column"].as_str().unwrap(), v["text"].as_str().unwrap());
            for f in scanner.scan_cell(col, text) {
                (i, format!("{f:?}")).hash(&mut h);
                n += 1;
            }
        }
        println!("corpus findings={n} digest={:016x}", h.finish());
        return;
    }
    let (headers, cols) = read_columns(path);
    let scanner = Scanner::default();
    let mut all = std::collections::hash_map::DefaultHasher::new();
    for (c, col) in cols.iter().enumerate() {
        let ctx = ColumnContext::from_name(&headers[c]);
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let mut n = 0usize;
        for (row, cell) in col.iter().enumerate() {
            for f in scanner.scan_cell_ctx(&ctx, &headers[c], cell) {
                (row, format!("{f:?}")).hash(&mut h);
                n += 1;
            }
        }
        let cells: Vec<Option<&str>> = col
            .iter()
            .map(|s| if s.is_empty() { None } else { Some(s.as_str()) })
            .collect();
        let r = scanner.scan_column(&headers[c], &cells);
        let d = h.finish();
        d.hash(&mut all);
        format!("{r:?}").hash(&mut all);
        println!("{} findings={n} digest={d:016x}", headers[c]);
    }
    println!("total_digest={:016x}", all.finish());
}

/// CPU time of the calling thread (Linux: utime + stime from
/// /proc/thread-self/stat, in clock ticks of 10 ms), if available.
fn thread_cpu_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // fields after the parenthesized command name; utime and stime are 14 and 15
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
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
