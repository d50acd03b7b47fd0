//! Benchmark driver (not a test). Built only with `--features bench`.
//!
//! * `pii-bench scan FILE.csv [SAMPLE_ROWS]`: reads the CSV into memory,
//!   scans every cell single-threaded and then per column in parallel (all
//!   cores), printing MB/s of cell text; also the single-threaded MB/s on the
//!   first SAMPLE_ROWS rows (the sample Presidio gets).
//!   It also prints the single-thread CPU time and `scan_column` on a
//!   one-thread pool. Cells are held the way an Arrow / Polars string column
//!   holds them (one text buffer per column, plus offsets); the single-thread
//!   loop is also timed on one heap `String` per cell, allocated row by row
//!   (`single_thread_scattered_mb_s`, the layout of earlier versions).
//! * `pii-bench eval corpus.jsonl`: per-entity precision/recall table.
//! * `pii-bench digest FILE.csv|corpus.jsonl`: a hash of every finding, to
//!   check that two builds find exactly the same things.
//! * `pii-bench findings FILE.csv|corpus.jsonl [MIN_CONFIDENCE]`: every finding of every
//!   cell, one per line: `row<TAB>column<TAB>entity<TAB>start<TAB>end<TAB>confidence`
//!   (rows from 0; for cross-checks against other validators).
//! * `pii-bench cells FILE.csv [COLUMN]`: a warm-up pass, then the timed
//!   single-thread `scan_cell_ctx` loop over every cell (of one column if
//!   given); for profilers: `valgrind --tool=callgrind
//!   --toggle-collect='*scan_all_cells*'` counts the timed pass only.

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
        Some("cells") => cells(&args[2], args.get(3).map(String::as_str)),
        Some("findings") => findings(
            &args[2],
            args.get(3).and_then(|s| s.parse().ok()).unwrap_or(0.5),
        ),
        _ => {
            eprintln!(
                "usage: pii-bench scan FILE.csv [SAMPLE_ROWS] | pii-bench eval corpus.jsonl | pii-bench digest FILE.csv|corpus.jsonl | pii-bench cells FILE.csv [COLUMN] | pii-bench findings FILE.csv|corpus.jsonl [MIN_CONFIDENCE]"
            );
            std::process::exit(2);
        }
    }
}

/// One column: the text of every cell back to back in one buffer and where
/// each cell ends, as an Arrow / Polars string column holds its values.
struct Column {
    text: String,
    ends: Vec<usize>,
}

impl Column {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Bytes of cell text.
    fn bytes(&self) -> usize {
        self.text.len()
    }

    /// `scan_column`'s input: empty cells are nulls.
    fn cells(&self) -> Vec<Option<&str>> {
        self.iter()
            .map(|s| if s.is_empty() { None } else { Some(s) })
            .collect()
    }
}

/// Reads a CSV file into its header names and one [`Column`] per column.
fn read_columns(path: &str) -> (Vec<String>, Vec<Column>) {
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
    let mut cols: Vec<Column> = (0..headers.len())
        .map(|_| Column {
            text: String::new(),
            ends: Vec::new(),
        })
        .collect();
    let mut rec = csv::StringRecord::new();
    while rdr.read_record(&mut rec).expect("csv record") {
        for (i, f) in rec.iter().enumerate().take(headers.len()) {
            let col = &mut cols[i];
            col.text.push_str(f);
            col.ends.push(col.text.len());
        }
    }
    (headers, cols)
}

/// The same cells as one heap `String` per cell, allocated row by row (the
/// layout of a `Vec<Vec<String>>` filled while reading a CSV): the cells of
/// a column lie far apart in memory.
fn scattered(cols: &[Column]) -> Vec<Vec<String>> {
    let rows = cols.first().map(Column::len).unwrap_or(0);
    let mut out: Vec<Vec<String>> = cols.iter().map(|_| Vec::with_capacity(rows)).collect();
    for r in 0..rows {
        for (c, col) in cols.iter().enumerate() {
            out[c].push(col.get(r).to_string());
        }
    }
    out
}

fn scan(path: &str, sample_rows: usize) {
    let t0 = Instant::now();
    let (headers, cols) = read_columns(path);
    let load_s = t0.elapsed().as_secs_f64();
    let rows = cols.first().map(Column::len).unwrap_or(0);
    let bytes: usize = cols.iter().map(Column::bytes).sum();
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
        for cell in col.iter() {
            findings += scanner.scan_cell_ctx(&ctxs[c], &headers[c], cell).len();
        }
        per_col.push(format!(
            "{}={:.0}",
            headers[c],
            col.bytes() as f64 / 1e6 / tc.elapsed().as_secs_f64()
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

    // single thread, every cell in its own heap String (earlier layout)
    {
        let scattered = scattered(&cols);
        let t = Instant::now();
        let mut findings = 0usize;
        for (c, col) in scattered.iter().enumerate() {
            for cell in col {
                findings += scanner.scan_cell_ctx(&ctxs[c], &headers[c], cell).len();
            }
        }
        let st = t.elapsed().as_secs_f64();
        println!(
            "single_thread_scattered_s={st:.2} single_thread_scattered_mb_s={:.1} findings={findings}",
            mb / st
        );
    }

    // all cores, scan_column per column (rayon)
    let threads = rayon::current_num_threads();
    let t = Instant::now();
    let mut findings_mt = 0usize;
    let mut affected = Vec::new();
    for (c, col) in cols.iter().enumerate() {
        let r = scanner.scan_column(&headers[c], &col.cells());
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
    // the pool's one thread runs the closure: its CPU time, read there,
    // leaves out the time a shared machine keeps it descheduled
    let (findings_1t, cpu_1t) = pool.install(|| {
        let cpu0 = thread_cpu_s();
        let n: usize = cols
            .iter()
            .enumerate()
            .map(|(c, col)| {
                scanner
                    .scan_column(&headers[c], &col.cells())
                    .findings
                    .len()
            })
            .sum();
        (n, thread_cpu_s().zip(cpu0).map(|(b, a)| b - a))
    });
    let t1 = t.elapsed().as_secs_f64();
    println!(
        "scan_column_1_thread_s={t1:.2} scan_column_1_thread_mb_s={:.1} findings={findings_1t}",
        mb / t1
    );
    if let Some(cpu) = cpu_1t.filter(|c| *c > 0.0) {
        println!(
            "scan_column_1_thread_cpu_s={cpu:.2} scan_column_1_thread_cpu_mb_s={:.1}",
            mb / cpu
        );
    }

    // the sample Presidio scans: first SAMPLE_ROWS rows, single thread, repeated for timing
    let n = sample_rows.min(rows);
    let sample_bytes: usize = cols
        .iter()
        .map(|c| (0..n).map(|i| c.get(i).len()).sum::<usize>())
        .sum();
    let reps = 20;
    let t = Instant::now();
    for _ in 0..reps {
        for (c, col) in cols.iter().enumerate() {
            for cell in col.iter().take(n) {
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

/// Scans every cell once on this thread; returns the number of findings.
#[inline(never)]
fn scan_all_cells(scanner: &Scanner, headers: &[String], cols: &[Column]) -> usize {
    let mut n = 0;
    for (c, col) in cols.iter().enumerate() {
        let ctx = ColumnContext::from_name(&headers[c]);
        for cell in col.iter() {
            n += scanner.scan_cell_ctx(&ctx, &headers[c], cell).len();
        }
    }
    n
}

/// The same loop as [`scan_all_cells`], under another name (profilers
/// toggle on that one).
#[inline(never)]
fn warm_up(scanner: &Scanner, headers: &[String], cols: &[Column]) -> usize {
    let mut n = 0;
    for (c, col) in cols.iter().enumerate() {
        let ctx = ColumnContext::from_name(&headers[c]);
        for cell in col.iter() {
            n += scanner.scan_cell_ctx(&ctx, &headers[c], cell).len();
        }
    }
    n
}

fn cells(path: &str, only: Option<&str>) {
    let (mut headers, mut cols) = read_columns(path);
    if let Some(only) = only {
        let k = headers
            .iter()
            .position(|h| h == only)
            .expect("no such column");
        headers = vec![headers.swap_remove(k)];
        cols = vec![cols.swap_remove(k)];
    }
    let mb = cols.iter().map(Column::bytes).sum::<usize>() as f64 / 1e6;
    let scanner = Scanner::default();
    // warm-up outside the measured function (regex compilation, lazy DFA
    // states): one pass over the same cells
    std::hint::black_box(warm_up(&scanner, &headers, &cols));
    let t = Instant::now();
    let n = scan_all_cells(&scanner, &headers, &cols);
    let s = t.elapsed().as_secs_f64();
    println!("cell_mb={mb:.2} findings={n} s={s:.3} mb_s={:.1}", mb / s);
}

/// Prints every finding of every cell (tab-separated, one per line).
fn findings(path: &str, min_confidence: f64) {
    use std::io::Write;
    let scanner = Scanner::new(probity_pii::ScanConfig {
        min_confidence,
        ..Default::default()
    });
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    if path.ends_with(".jsonl") {
        // a labeled corpus: line number, column, entity, span, confidence
        let data = std::fs::read_to_string(path).expect("read corpus");
        for (line_number, line) in data.lines().enumerate() {
            let v: serde_json::Value = serde_json::from_str(line).expect("json");
            let (col, text) = (v["column"].as_str().unwrap(), v["text"].as_str().unwrap());
            for f in scanner.scan_cell(col, text) {
                writeln!(
                    out,
                    "{line_number}\t{col}\t{}\t{}\t{}\t{}",
                    f.entity, f.start, f.end, f.confidence
                )
                .expect("write");
            }
        }
        return;
    }
    let (headers, cols) = read_columns(path);
    for (c, col) in cols.iter().enumerate() {
        let ctx = ColumnContext::from_name(&headers[c]);
        for (row, cell) in col.iter().enumerate() {
            for f in scanner.scan_cell_ctx(&ctx, &headers[c], cell) {
                writeln!(
                    out,
                    "{row}\t{}\t{}\t{}\t{}\t{}",
                    headers[c], f.entity, f.start, f.end, f.confidence
                )
                .expect("write");
            }
        }
    }
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
        let r = scanner.scan_column(&headers[c], &col.cells());
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
