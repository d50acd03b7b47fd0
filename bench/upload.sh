#!/usr/bin/env bash
# Upload throughput and peak server memory for one large CSV.
# usage: bench/upload.sh [SIZE_MB]   (default 1024)
# Builds the release binary, starts `probity serve` on a scratch database and
# data folder, uploads a generated CSV with curl, and prints MB/s (upload +
# validation + profiling, i.e. until the 201 response) and the server's peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb="${1:-1024}"
LIBTORCH="$(scripts/setup-libtorch)"; export LIBTORCH
cargo build --release --bin probity >&2
bin="${CARGO_TARGET_DIR:-target}/release/probity"
work="$(mktemp -d)"; trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
python3 bench/gen_csv.py "$work/big.csv" "$size_mb" >&2
db="probity_bench_$$"
DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" PROBITY_DATA_DIR="$work/data" PROBITY_BIND=127.0.0.1:18181 \
    "$bin" serve --workers 0 >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18181/healthz >/dev/null && break; sleep 0.2; done
token="$(grep -o 'prb_[0-9a-f]*' "$work/out")"
bytes=$(stat -c %s "$work/big.csv")
# Peak anonymous memory (heap), sampled every 20 ms: VmHWM also counts the file pages polars maps.
( peak=0; while kill -0 $server 2>/dev/null; do
    now=$(awk '/RssAnon/ {print $2}' /proc/$server/status 2>/dev/null || echo 0)
    [ "${now:-0}" -gt "$peak" ] && peak=$now && echo "$peak" > "$work/anon_peak"
    sleep 0.02; done ) &
sampler=$!
start=$(date +%s.%N)
status=$(curl -s -o "$work/resp" -w '%{http_code}' -H "Authorization: Bearer $token" -F "file=@$work/big.csv" http://127.0.0.1:18181/v1/datasets)
end=$(date +%s.%N)
peak_kb=$(awk '/VmHWM/ {print $2}' /proc/$server/status)
kill $sampler 2>/dev/null || true
anon_kb=$(cat "$work/anon_peak")
python3 - "$status" "$bytes" "$start" "$end" "$peak_kb" "$work/resp" "$anon_kb" <<'PY'
import json, sys
status, size, start, end, peak_kb, resp, anon_kb = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6], int(sys.argv[7])
body = json.load(open(resp))
assert status == "201", (status, body)
secs = end - start
print(f"upload {size/1e6:.0f} MB, {body['row_count']} rows: {secs:.1f} s, {size/1e6/secs:.1f} MB/s, server peak RSS {peak_kb/1024:.0f} MiB (of which anonymous/heap {anon_kb/1024:.0f} MiB; the rest is the mapped file)")
PY
kill $server; wait $server 2>/dev/null || true
psql -q postgres://postgres@127.0.0.1:5432/postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
