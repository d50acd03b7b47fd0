#!/usr/bin/env bash
# Peak memory of an audit as the dataset grows, and of a Parquet bomb's upload.
# usage: bench/audit_memory.sh [SIZE_MB ...]   (default: 128 512 1024)
# Needs Python with polars (for the bomb): set PYTHON (default python3).
#
# For each size, generates a CSV (bench/gen_csv.py) and runs `probity audit`
# on it with fairness (score column, two sensitive features, 1000 bootstrap
# resamples, proxies) and a PII scan of every column, sampling its memory:
# the peak anonymous RSS should stay flat while the rows grow. Then starts `probity
# serve` and uploads a Parquet file of a few hundred kilobytes that declares 3·10^8
# rows: it must be refused (422) before any row is read.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(128 512 1024)
python="${PYTHON:-python3}"
LIBTORCH="$(scripts/setup-libtorch)"; export LIBTORCH
cargo build --release --bin probity >&2
bin="${PROBITY_BIN:-${CARGO_TARGET_DIR:-target}/release/probity}"
work="$(mktemp -d)"; server=""; trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
for size in "${sizes[@]}"; do
    data="${TMPDIR:-/tmp}/probity-audit-memory-$size.csv"
    [ -f "$data" ] || python3 bench/gen_csv.py "$data" "$size" >&2
    start=$(date +%s.%N)
    "$bin" audit --data "$data" --label label --score score --sensitive group,region \
        --pii --pii-findings "$work/findings.ndjson" >"$work/report.json" &
    audit=$!
    # Peak anonymous memory (heap), sampled every 20 ms; VmHWM also counts the pages of the
    # file polars maps, which the kernel can drop at will.
    peak=0; hwm=0
    while kill -0 $audit 2>/dev/null; do
        now=$(awk '/RssAnon/ {print $2}' /proc/$audit/status 2>/dev/null || echo 0)
        [ "${now:-0}" -gt "$peak" ] && peak=$now
        top=$(awk '/VmHWM/ {print $2}' /proc/$audit/status 2>/dev/null || echo 0)
        [ "${top:-0}" -gt "$hwm" ] && hwm=$top
        sleep 0.02
    done
    wait $audit
    end=$(date +%s.%N)
    python3 - "$size" "$peak" "$hwm" "$start" "$end" "$work/report.json" <<'PY'
import json, sys
size, peak_kb, hwm_kb, start, end, report = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
body = json.load(open(report))
body = body.get("report", body)
fairness, pii = body["fairness"], body["pii"]
auc = fairness["overall"].get("roc_auc") or {}
print(f"audit of {size} MB CSV ({fairness['rows']} rows; fairness with scores, 2 features, 1000 "
      f"resamples, proxies; PII over {pii['rows_scanned']} rows, {pii['findings_export']['findings']} findings): "
      f"{end - start:.1f} s, peak anonymous RSS {peak_kb / 1024:.0f} MiB (VmHWM {hwm_kb / 1024:.0f} MiB "
      f"with the mapped file); overall AUC {auc.get('value')} (error bound {auc.get('error_bound')})")
PY
done

bomb="$work/bomb.parquet"
"$python" - "$bomb" <<'PY'
import sys
import polars as pl
pl.select(pl.repeat(0, 300_000_000, dtype=pl.Int8).alias("x")).write_parquet(sys.argv[1], statistics=False)
PY
db="probity_bench_$$"
DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" PROBITY_DATA_DIR="$work/data" PROBITY_BIND=127.0.0.1:18182 \
    "$bin" serve --workers 0 >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18182/healthz >/dev/null && break; sleep 0.2; done
token="$(grep -o 'prb_[0-9a-f]*' "$work/out")"
before_kb=$(awk '/VmHWM/ {print $2}' /proc/$server/status)
start=$(date +%s.%N)
status=$(curl -s -o "$work/resp" -w '%{http_code}' -H "Authorization: Bearer $token" -F "file=@$bomb" http://127.0.0.1:18182/v1/datasets)
end=$(date +%s.%N)
after_kb=$(awk '/VmHWM/ {print $2}' /proc/$server/status)
python3 - "$status" "$(stat -c %s "$bomb")" "$start" "$end" "$before_kb" "$after_kb" "$work/resp" <<'PY'
import json, sys
status, size, start, end, before, after, resp = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
body = json.load(open(resp))
assert status == "422", (status, body)
print(f"Parquet bomb ({size} bytes declaring 3e8 rows): {status} in {(end - start) * 1000:.0f} ms "
      f"({body['detail']}); server peak RSS {before / 1024:.0f} MiB before, {after / 1024:.0f} MiB after")
PY
kill $server; wait $server 2>/dev/null || true; server=""
psql -q postgres://postgres@127.0.0.1:5432/postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
