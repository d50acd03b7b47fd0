#!/usr/bin/env bash
# Cost of the audit checks beyond Fairlearn's figures on 10 M rows: the same
# `probity audit` (2 sensitive features, 1000 bootstrap resamples, proxies on
# the other columns) without and with the subgroup search and the nyc_ll144
# and four_fifths profiles (the disparity table with its tests and the
# inequality indices are always on). Input: bench/gen_subgroups.py (4 more
# low-cardinality columns and a planted slice).
# usage: bench/subgroups.sh [ROWS]   (needs Python with numpy, pandas, pyarrow: PYTHON)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-10000000}"
python="${PYTHON:-python3}"
LIBTORCH="$(scripts/setup-libtorch)"; export LIBTORCH
cargo build --release --bin probity >&2
bin="${CARGO_TARGET_DIR:-target}/release/probity"
data="${TMPDIR:-/tmp}/probity-subgroups-$rows.parquet"
[ -f "$data" ] || "$python" bench/gen_subgroups.py "$data" "$rows" >&2
out="$(mktemp -d)"
audit() {
  "$bin" audit --data "$data" --label label --prediction prediction --sensitive group,region --bootstrap 1000 "$@"
}
for run in 1 2; do
  start=$(date +%s.%N); audit > "$out/plain.json"; end=$(date +%s.%N)
  echo "run $run without the search: $(echo "$end - $start" | bc) s"
  start=$(date +%s.%N); audit --subgroups --profile nyc_ll144,four_fifths > "$out/search.json"; end=$(date +%s.%N)
  echo "run $run with --subgroups --profile nyc_ll144,four_fifths: $(echo "$end - $start" | bc) s"
done
"$python" - "$out/search.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
fairness = report["fairness"]
search = fairness["subgroups"]
print(f"columns sliced: {', '.join(search['columns'])}; slices tested: {search['slices_tested']}")
for s in search["error_rate"][:3]:
    where = " & ".join(f"{c['column']}={c['value']}" for c in s["conditions"])
    print(f"  error rate {s['rate']:.4f} vs {s['rest_rate']:.4f} in {where} ({s['rows']} rows, adjusted p {s['adjusted_p_value']:.3g})")
tables = sum(len(g["disparities"]["metrics"]) for g in fairness["groupings"])
print(f"disparity tables: {len(fairness['groupings'])} groupings, {tables} metric rows; inequality: {fairness['inequality']}")
PY
