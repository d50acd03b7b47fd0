#!/usr/bin/env bash
# Cost of the checks that come with scores on 10 M rows: the same `probity audit`
# (a score column, 2 sensitive features, 1000 bootstrap resamples, proxies on the other
# columns) without the remedies (--no-remedies), with them (the default), and with them plus
# the nyc_ll144 profile (whose scoring-rate table reads the median score). Input:
# bench/gen_fairness.py's 10 M rows (scores in [0, 1], more than 10^6 distinct: binned).
# usage: bench/checks.sh [ROWS]   (needs Python with numpy, pandas, pyarrow: PYTHON)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-10000000}"
python="${PYTHON:-python3}"
LIBTORCH="$(scripts/setup-libtorch)"; export LIBTORCH
cargo build --release --bin probity >&2
bin="${CARGO_TARGET_DIR:-target}/release/probity"
data="${TMPDIR:-/tmp}/probity-fairness-$rows.parquet"
[ -f "$data" ] || "$python" bench/gen_fairness.py "$data" "$rows" >&2
out="$(mktemp -d)"
audit() {
  "$bin" audit --data "$data" --label label --score score --threshold 0.5 --sensitive group,region --bootstrap 1000 "$@"
}
for run in 1 2; do
  for variant in "--no-remedies" "" "--profile nyc_ll144"; do
    start=$(date +%s.%N); audit $variant > "$out/report.json"; end=$(date +%s.%N)
    echo "run $run ${variant:-(remedies on)}: $(echo "$end - $start" | bc) s"
  done
done
"$python" - "$out/report.json" <<'PY'
import json, sys
fairness = json.load(open(sys.argv[1]))["fairness"]
remedies = fairness["remedies"]
print(f"remedies over {len(remedies['demographic_parity']['thresholds']['groups'])} groups, approximate: {remedies['approximate']}")
for name in ["demographic_parity", "equalized_odds"]:
    r = remedies[name]["thresholds"]
    print(f"  {name}: found {r['found']}, accuracy {r['before']['accuracy']:.4f} -> {r['after']['accuracy']:.4f}; {r['search']}")
table = fairness["groupings"][0]["scoring_rate_impact_ratios"]
print(f"LL144 scoring rates by {table['features']}: median score {table['median_score']:.4f}, most selected {table['most_selected']}")
PY
