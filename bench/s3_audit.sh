#!/usr/bin/env bash
# An audit of a Parquet dataset by reference in S3 (a local s3s-fs server), as
# the rows grow and with one or two worker processes: wall time, the API's peak
# anonymous memory while it registers the dataset (profiling reads every object
# once) and each worker's while the audit runs in shards of
# PROBITY_AUDIT_SHARD_ROWS rows (polars reads the objects from S3 itself).
# usage: bench/s3_audit.sh [PARTS ...]   (default: 2 10, i.e. 20 M and 100 M rows)
# WORKERS (default "1 2") lists the worker-process counts to try.
# Each part is bench/gen_fairness.py's 10 M-row Parquet file (hard-linked, so
# 100 M rows take 200 MB of disk). Needs Python with numpy, pandas and pyarrow:
# set PYTHON (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
parts_list=("$@"); [ ${#parts_list[@]} -gt 0 ] || parts_list=(2 10)
python="${PYTHON:-python3}"
LIBTORCH="$(scripts/setup-libtorch)"; export LIBTORCH
cargo build --release --bin probity >&2
bin="${CARGO_TARGET_DIR:-target}/release/probity"
work="$(mktemp -d "${TMPDIR:-/tmp}/probity-s3-audit.XXXXXX")"; s3=""; server=""; workers=()
trap 'kill $server $s3 "${workers[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
part="${TMPDIR:-/tmp}/probity-fairness-10m.parquet"
[ -f "$part" ] || "$python" bench/gen_fairness.py "$part" 10000000 >&2
mkdir -p "$work/s3/bench"
RUST_LOG=info "$(scripts/setup-s3s)" --host 127.0.0.1 --port 0 --access-key bench --secret-key bench-secret-key \
    "$work/s3" >"$work/s3.log" 2>&1 &
s3=$!
for _ in $(seq 100); do grep -qs 'server is running at' "$work/s3.log" && break; sleep 0.1; done
for parts in "${parts_list[@]}"; do
    mkdir -p "$work/s3/bench/lake/rows-$parts"
    for i in $(seq -w 1 "$parts"); do ln "$part" "$work/s3/bench/lake/rows-$parts/part-$i.parquet"; done
done
export PROBITY_BLOB_URL=s3://bench/probity PROBITY_REFERENCE_URLS=s3://bench/lake
export AWS_ENDPOINT_URL="$(grep -o 'http://[0-9.:]*' "$work/s3.log" | head -n1)"
export AWS_ALLOW_HTTP=true AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret-key
db="probity_bench_$$"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" PROBITY_JOB_POLL_MS=100
PROBITY_DATA_DIR="$work/data" PROBITY_BIND=127.0.0.1:18183 PROBITY_UPLOAD_TIMEOUT_SECS=36000 \
PROBITY_RATE_LIMIT_PER_SECOND=0 "$bin" serve --workers 0 >"$work/out" 2>"$work/err" &
server=$!
workers=()
for _ in $(seq 100); do curl -sf http://127.0.0.1:18183/healthz >/dev/null && break; sleep 0.2; done
token="$(grep -o 'prb_[0-9a-f]*' "$work/out")"
api() { curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
# Runs "$@" while sampling the anonymous RSS of the processes $watch names every
# 20 ms; prints "seconds peak_kb_of_each...".
measured() {
    local start end pid now i
    local -a peaks=()
    for pid in $watch; do peaks+=(0); done
    start=$(date +%s.%N)
    "$@" &
    local task=$!
    while kill -0 $task 2>/dev/null; do
        i=0
        for pid in $watch; do
            now=$(awk '/RssAnon/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
            [ "${now:-0}" -gt "${peaks[$i]}" ] && peaks[$i]=$now
            i=$((i + 1))
        done
        sleep 0.02
    done
    wait $task
    end=$(date +%s.%N)
    echo "$(python3 -c "print(f'{$end - $start:.1f}')") ${peaks[*]}"
}
register() { api -o "$work/dataset.json" -d "{\"source\": \"s3://bench/lake/rows-$1/\"}" http://127.0.0.1:18183/v1/dataset-references; }
audit() {
    local dataset job status
    dataset=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/dataset.json")
    job=$(api -d "{\"dataset_id\": \"$dataset\", \"score_column\": \"score\", \"threshold\": 0.5, \"label_column\": \"label\",
        \"positive_label\": 1, \"sensitive_features\": [\"group\", \"region\"],
        \"checks\": {\"fairness\": {\"bootstrap\": {\"resamples\": 1000}}}}" http://127.0.0.1:18183/v1/audits |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    while :; do
        api -o "$work/job.json" "http://127.0.0.1:18183/v1/jobs/$job"
        status=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["status"])' "$work/job.json")
        case "$status" in succeeded|failed|cancelled) break ;; esac
        sleep 0.2
    done
}
for parts in "${parts_list[@]}"; do
    watch="$server"
    read -r reg_secs reg_peak < <(measured register "$parts")
    for count in ${WORKERS:-1 2}; do
        for _ in $(seq "$count"); do
            PROBITY_DATA_DIR="$work/data-worker-${#workers[@]}" "$bin" worker --workers 1 >/dev/null 2>>"$work/err" &
            workers+=($!)
        done
        watch="${workers[*]}"
        read -r audit_secs audit_peaks < <(measured audit)
        kill "${workers[@]}"; wait "${workers[@]}" 2>/dev/null || true; workers=()
        # Seconds the shards ran (summed) and the merge (the audit job's last run) took.
        psql -Atq "$DATABASE_URL" -c "SELECT coalesce(sum(extract(epoch FROM r.finished_at - r.started_at)), 0)::numeric(10,1)
            FROM job_runs r JOIN jobs j ON j.id = r.job_id WHERE j.parent_id = (SELECT id FROM jobs WHERE kind = 'audit' ORDER BY created_at DESC LIMIT 1)" >"$work/shard_secs"
        psql -Atq "$DATABASE_URL" -c "SELECT extract(epoch FROM r.finished_at - r.started_at)::numeric(10,1)
            FROM job_runs r WHERE r.job_id = (SELECT id FROM jobs WHERE kind = 'audit' ORDER BY created_at DESC LIMIT 1) ORDER BY r.id DESC LIMIT 1" >"$work/merge_secs"
        python3 - "$parts" "$reg_secs" "$reg_peak" "$audit_secs" "$count" "$work/dataset.json" "$work/job.json" \
            "$(cat "$work/shard_secs")" "$(cat "$work/merge_secs")" $audit_peaks <<'PY'
import json, sys
parts, reg_secs, reg_peak, audit_secs, count = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
dataset, job = json.load(open(sys.argv[6])), json.load(open(sys.argv[7]))
shard_secs, merge_secs = sys.argv[8], sys.argv[9]
peaks = ", ".join(f"{int(p) / 1024:.0f}" for p in sys.argv[10:])
assert job["status"] == "succeeded", job
print(f"{dataset['row_count']:,} rows in {parts} Parquet objects ({dataset['size_bytes'] / 1e6:.0f} MB) by reference in S3: "
      f"registered (listed, profiled) in {reg_secs:.1f} s, API peak anonymous RSS {reg_peak / 1024:.0f} MiB; "
      f"audited by {count} worker process(es) (2 features, 40 intersections, 1000 bootstrap resamples, shards of "
      f"16 Mi rows) in {audit_secs:.1f} s = {dataset['row_count'] / audit_secs / 1e6:.1f} M rows/s, "
      f"peak anonymous RSS per worker {peaks} MiB; shards ran {shard_secs} s in all, the merge (with the proxy "
      f"check's second pass) {merge_secs} s")
PY
    done
done
kill $server; wait $server 2>/dev/null || true
psql -q postgres://postgres@127.0.0.1:5432/postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
