#!/usr/bin/env bash
# Fairness benchmark: 10 M rows x 2 sensitive features, Probity vs Fairlearn 0.15 in one run.
# usage: bench/fairness.sh [ROWS]
# Needs Python with fairlearn==0.15.0, pandas and pyarrow: set PYTHON (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-10000000}"
python="${PYTHON:-python3}"
LIBTORCH="$(scripts/setup-libtorch)"; export LIBTORCH
cargo build --release --bin probity >&2
bin="${CARGO_TARGET_DIR:-target}/release/probity"
data="${TMPDIR:-/tmp}/probity-fairness-$rows.parquet"
[ -f "$data" ] || "$python" bench/gen_fairness.py "$data" "$rows" >&2
"$python" bench/fairness_vs_fairlearn.py "$bin" "$data"
