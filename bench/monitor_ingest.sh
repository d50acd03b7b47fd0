#!/usr/bin/env bash
# Monitor ingestion throughput: RECORDS decisions (bench/gen_monitor.py: 365 daily windows,
# 2 sensitive features, 70 % labelled) sent to `POST /v1/monitors/{id}/records` as NDJSON in
# requests of BATCH lines, one at a time, into a fresh Postgres database.
# usage: bench/monitor_ingest.sh [RECORDS] [BATCH] [IN_FLIGHT]   (default 1000000 100000 1)
# IN_FLIGHT > 1 keeps that many requests open at once (a producer that does not wait for each
# answer): the server parses one while Postgres stores another (a monitor's transactions still
# run one at a time; parsing happens before its lock).
# Prints records/s of wall clock (each request parses, validates, stores the records for late
# labels, adds the window counts and runs the alert test, in one transaction), and the CPU
# seconds of the server process and of the Postgres backends over the run (from /proc), so the
# server's per-core rate is records / server CPU seconds. Then sends the same records again
# (all duplicates) and the labels of the unlabelled 30 %.
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-1000000}"
batch="${2:-100000}"
in_flight="${3:-1}"
LIBTORCH="$(scripts/setup-libtorch)"; export LIBTORCH
cargo build --release --bin probity >&2
bin="${CARGO_TARGET_DIR:-target}/release/probity"
work="$(mktemp -d "${TMPDIR:-/tmp}/probity-monitor.XXXXXX")"; server=""
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
data="${TMPDIR:-/tmp}/probity-monitor-$records.ndjson"
[ -f "$data" ] || python3 bench/gen_monitor.py "$data" "$records" >&2
split -l "$batch" -d -a 4 "$data" "$work/part-"
db="probity_bench_$$"
DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" PROBITY_DATA_DIR="$work/data" PROBITY_BIND=127.0.0.1:18182 \
PROBITY_UPLOAD_LIMIT_BYTES=$((4 << 30)) RUST_LOG=warn \
    "$bin" serve --workers 0 >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18182/healthz >/dev/null && break; sleep 0.2; done
token="$(grep -o 'prb_[0-9a-f]*' "$work/out")"
api() { curl -sf -H "Authorization: Bearer $token" "$@"; }
monitor=$(api -H 'content-type: application/json' -d '{"name":"bench","sensitive_features":["sex","age_band"],"positive_label":1,"window":"day","label_retention_days":3650}' \
    http://127.0.0.1:18182/v1/monitors | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
cpu() {  # utime + stime in clock ticks: the server, then every postgres process
    awk '{print $14 + $15}' /proc/$server/stat
    for p in $(pgrep -x postgres); do awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null; done | awk '{s += $1} END {print s + 0}'
}
send() {  # $1: records or labels, $2..: files
    local what=$1; shift
    local before after start end
    before=($(cpu)); start=$(date +%s.%N)
    printf '%s\n' "$@" | xargs -P "$in_flight" -I{} curl -sf -H "Authorization: Bearer $token" \
        -H 'content-type: application/x-ndjson' --data-binary @{} -o {}.out \
        "http://127.0.0.1:18182/v1/monitors/$monitor/$what"
    cat "${@: -1}.out" > "$work/last"
    end=$(date +%s.%N); after=($(cpu))
    python3 - "$what" "$start" "$end" "${before[@]}" "${after[@]}" "$work/last" "$(getconf CLK_TCK)" "$@" <<'PY'
import json, sys
what, start, end, s0, p0, s1, p1, last, tick = sys.argv[1:10]
files = sys.argv[10:]
lines = sum(sum(1 for _ in open(f)) for f in files)
wall = float(end) - float(start)
server = (float(s1) - float(s0)) / float(tick)
postgres = (float(p1) - float(p0)) / float(tick)
outcome = json.load(open(last))
accepted = sum(json.load(open(f + ".out"))["accepted"] for f in files)
print(f"{what}: {lines} lines in {len(files)} requests ({accepted} counted), {wall:.2f} s = {lines / wall:,.0f} lines/s wall clock; "
      f"server CPU {server:.2f} s ({lines / max(server, 1e-9):,.0f} lines per server CPU second), Postgres CPU {postgres:.2f} s; "
      f"last request: duplicates {outcome['duplicates']}, alerts {len(outcome['alerts'])}")
PY
}
send records "$work"/part-[0-9][0-9][0-9][0-9]
send records "$work"/part-[0-9][0-9][0-9][0-9]
python3 - "$data" "$work/labels.ndjson" <<'PY'
import json, random, sys
rng = random.Random(3)
with open(sys.argv[2], "w") as out:
    for line in open(sys.argv[1]):
        record = json.loads(line)
        if "label" not in record:
            out.write(json.dumps({"record_id": record["record_id"], "label": int(rng.random() < record["score"])}) + "\n")
PY
split -l "$batch" -d -a 4 "$work/labels.ndjson" "$work/labels-"
send labels "$work"/labels-[0-9][0-9][0-9][0-9]
start=$(date +%s.%N)
api "http://127.0.0.1:18182/v1/monitors/$monitor/windows" > "$work/windows.json"
end=$(date +%s.%N)
python3 -c "import json,sys; w=json.load(open(sys.argv[1])); print(f'windows: {len(w)} read in {float(sys.argv[3])-float(sys.argv[2]):.2f} s (200 bootstrap resamples each), label coverage of the first {w[0][\"label_coverage\"]:.3f}')" "$work/windows.json" "$start" "$end"
