#!/usr/bin/env bash
# Upload throughput and peak server memory for one large CSV.
# usage: bench/upload.sh [SIZE_MB] [s3]   (default 1024, blobs in the data folder)
# Builds the release binary, starts `probity serve` on a scratch database and
# data folder, uploads a generated CSV with curl, and prints MB/s (upload +
# validation + profiling + storing, i.e. until the 201 response) and the server's
# peak RSS. With `s3`, blobs go to a local S3 server (s3s-fs, scripts/setup-s3s)
# and the time of the upload to the bucket (multipart) is printed too.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb="${1:-1024}"
mode="${2:-folder}"
LIBTORCH="$(scripts/setup-libtorch)"; export LIBTORCH
cargo build --release --bin probity >&2
bin="${CARGO_TARGET_DIR:-target}/release/probity"
work="$(mktemp -d "${TMPDIR:-/tmp}/probity-upload.XXXXXX")"; s3=""; server=""
trap 'kill $server $s3 2>/dev/null || true; rm -rf "$work"' EXIT
data="${TMPDIR:-/tmp}/probity-upload-$size_mb.csv"
[ -f "$data" ] || python3 bench/gen_csv.py "$data" "$size_mb" >&2
if [ "$mode" = s3 ]; then
    mkdir -p "$work/s3/bench"
    RUST_LOG=info "$(scripts/setup-s3s)" --host 127.0.0.1 --port 0 --access-key bench --secret-key bench-secret-key \
        "$work/s3" >"$work/s3.log" 2>&1 &
    s3=$!
    for _ in $(seq 100); do grep -qs 'server is running at' "$work/s3.log" && break; sleep 0.1; done
    export PROBITY_BLOB_URL=s3://bench/probity AWS_ENDPOINT_URL="$(grep -o 'http://[0-9.:]*' "$work/s3.log" | head -n1)"
    export AWS_ALLOW_HTTP=true AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret-key
fi
db="probity_bench_$$"
DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" PROBITY_DATA_DIR="$work/data" PROBITY_BIND=127.0.0.1:18181 \
PROBITY_UPLOAD_LIMIT_BYTES=$((64 << 30)) RUST_LOG=info PROBITY_LOG_FORMAT=json \
    "$bin" serve --workers 0 >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18181/healthz >/dev/null && break; sleep 0.2; done
token="$(grep -o 'prb_[0-9a-f]*' "$work/out")"
bytes=$(stat -c %s "$data")
# Peak anonymous memory (heap), sampled every 20 ms: VmHWM also counts the file pages polars maps.
( peak=0; while kill -0 $server 2>/dev/null; do
    now=$(awk '/RssAnon/ {print $2}' /proc/$server/status 2>/dev/null || echo 0)
    [ "${now:-0}" -gt "$peak" ] && peak=$now && echo "$peak" > "$work/anon_peak"
    sleep 0.02; done ) &
sampler=$!
start=$(date +%s.%N)
status=$(curl -s -o "$work/resp" -w '%{http_code}' -H "Authorization: Bearer $token" -F "file=@$data" http://127.0.0.1:18181/v1/datasets)
end=$(date +%s.%N)
peak_kb=$(awk '/VmHWM/ {print $2}' /proc/$server/status)
kill $sampler 2>/dev/null || true
anon_kb=$(cat "$work/anon_peak")
python3 - "$status" "$bytes" "$start" "$end" "$peak_kb" "$work/resp" "$anon_kb" "$mode" "$work/err" <<'PY'
import json, sys
status, size, start, end, peak_kb, resp, anon_kb, mode, log = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6], int(sys.argv[7]), sys.argv[8], sys.argv[9]
bucket = None
for line in open(log):
    try:
        event = json.loads(line)
    except ValueError:
        continue
    if event.get("fields", {}).get("message") == "blob uploaded to the bucket":
        bucket = event["fields"]["seconds"]
body = json.load(open(resp))
assert status == "201", (status, body)
secs = end - start
line = (f"upload {size/1e6:.0f} MB, {body['row_count']} rows, blobs in {mode}: {secs:.1f} s, {size/1e6/secs:.1f} MB/s, "
        f"server peak RSS {peak_kb/1024:.0f} MiB (of which anonymous/heap {anon_kb/1024:.0f} MiB; the rest is the mapped file)")
if bucket:
    line += f"; the multipart upload to the bucket took {bucket:.1f} s = {size/1e6/bucket:.1f} MB/s"
print(line)
PY
kill $server; wait $server 2>/dev/null || true
psql -q postgres://postgres@127.0.0.1:5432/postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
