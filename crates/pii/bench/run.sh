#!/usr/bin/env bash
# Throughput and quality benchmark of probity-pii against Microsoft Presidio.
# Usage: crates/pii/bench/run.sh [MEGABYTES=200] [PRESIDIO_SAMPLE_ROWS=2000]
# Needs python3 (a venv with faker + presidio-analyzer is created if missing)
# and cargo. Scratch files go to $PII_BENCH_DIR (default /root/.cache/probity/pii-bench).
set -euo pipefail
MB=${1:-200}
SAMPLE=${2:-2000}
HERE=$(cd "$(dirname "$0")" && pwd)
CRATE=$(dirname "$HERE")
ROOT=$(cd "$CRATE/../.." && pwd)
WORK=${PII_BENCH_DIR:-/root/.cache/probity/pii-bench}
VENV=${PII_VENV:-/root/.cache/probity/piienv}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/root/.cache/probity/target-pii}
mkdir -p "$WORK"

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q faker presidio-analyzer
fi
PY="$VENV/bin/python"
echo "== versions"
"$PY" -c 'import importlib.metadata as m; print("faker", m.version("faker"), "presidio-analyzer", m.version("presidio-analyzer"))'
rustc --version
echo "cpus: $(nproc) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"

CSV="$WORK/mixed-${MB}mb.csv"
if [ ! -s "$CSV" ]; then
  echo "== generating $CSV"
  "$PY" "$HERE/gen_csv.py" "$CSV" "$MB"
fi
ls -l "$CSV"

echo "== building pii-bench (release)"
(cd "$ROOT" && cargo build -q -p probity-pii --release --features bench --bin pii-bench)
BIN="$CARGO_TARGET_DIR/release/pii-bench"

echo "== probity-pii throughput"
"$BIN" scan "$CSV" "$SAMPLE" | tee "$WORK/rust-scan.txt"

echo "== presidio throughput (first $SAMPLE rows of the same CSV, single thread)"
"$PY" "$HERE/presidio_bench.py" speed "$CSV" "$SAMPLE" | tee "$WORK/presidio-scan.txt"

rust=$(grep -o 'sample_single_thread_mb_s=[0-9.]*' "$WORK/rust-scan.txt" | cut -d= -f2)
pres=$(grep -o 'presidio_mb_s=[0-9.]*' "$WORK/presidio-scan.txt" | cut -d= -f2)
echo "speed ratio on the sample, single thread: probity-pii / presidio = $(awk -v a="$rust" -v b="$pres" 'BEGIN{printf "%.0f", a/b}')x"

echo "== probity-pii precision/recall on corpus/corpus.jsonl (min_confidence 0.5)"
"$BIN" eval "$CRATE/corpus/corpus.jsonl"
echo "== presidio precision/recall on corpus/corpus.jsonl (score >= 0.5, mapped entity types)"
"$PY" "$HERE/presidio_bench.py" eval "$CRATE/corpus/corpus.jsonl"
