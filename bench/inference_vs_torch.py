#!/usr/bin/env python3
"""Times the same batch inference in Probity and in plain torch from Python, in one run.

usage: inference_vs_torch.py PROBITY_BINARY DATA.parquet MODEL.pt [--metadata MODEL.json]
                             [--threads N] [--batch-size B] [--repeat N] [--poll SECONDS] [--keep]
Probity: `probity serve --workers 1` on a scratch database and data folder;
the dataset and the model are uploaded (timed, not counted), then
`POST /v1/inference-jobs` is timed until the job succeeds: read the stored
Parquet, build the feature matrix, forward passes in batches, sigmoid,
threshold, write the predictions Parquet (hashed as it is written), profile
and register it. The headline is the job record's created_at -> finished_at;
started_at -> finished_at (the worker's run), the client's wall clock (POST ->
success seen) and the worker's per-phase timings (its debug log) are printed too.
Python: pyarrow reads the same Parquet (memory-mapped) into a contiguous
float32 row-major array (filled in cache-sized row blocks), torch.jit.load
loads the same file, forward passes in the same batch size under
torch.inference_mode(), sigmoid, threshold, and a Parquet of id, score,
prediction is written (zstd, like Probity).
The sides alternate: a Probity job, then the Python run with the server
paused (SIGSTOP; its workers would poll the queue), and so on. With --repeat N
each side runs N times (N jobs on the same server, which must all store the
same predictions) and the fastest run of each side is compared: on a shared
machine noise only adds time.
Both sides get the same libtorch thread count: PROBITY_TORCH_THREADS for
Probity (tch::set_num_threads in the worker), torch.set_num_threads here.
The default is this process's torch.get_num_threads() before any change,
i.e. libtorch's own default, passed explicitly to both.
Probity's predictions are downloaded (GET /v1/datasets/{id}/download) and
compared: scores to 1e-5, predictions equal except within 1e-5 of the threshold.
The scratch database is dropped and the server stopped at the end.
Needs numpy, pyarrow, torch (PYTHONPATH at the folder holding libtorch's `torch/`),
curl and psql, and Postgres on 127.0.0.1:5432 (trust auth) unless --pg-url says otherwise.
"""
import argparse
import atexit
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

# Read libtorch's default before anything changes it.
import torch

DEFAULT_THREADS = torch.get_num_threads()

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("binary")
parser.add_argument("data")
parser.add_argument("model")
parser.add_argument("--metadata", help="model metadata JSON (default: MODEL with .json)")
parser.add_argument("--threads", type=int,
                    default=int(os.environ.get("PROBITY_TORCH_THREADS", "0") or 0) or DEFAULT_THREADS,
                    help=f"libtorch threads on both sides (default: $PROBITY_TORCH_THREADS, else libtorch's default, here {DEFAULT_THREADS})")
parser.add_argument("--batch-size", type=int, default=8192, help="rows per forward pass on both sides (default: Probity's 8192)")
parser.add_argument("--repeat", type=int, default=1,
                    help="runs per side; the fastest of each is compared (default 1)")
parser.add_argument("--poll", type=float, default=0.1, help="seconds between GET /v1/jobs/{id} (default 0.1)")
parser.add_argument("--pg-url", default=os.environ.get("PROBITY_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"),
                    help="Postgres server URL without database (default postgres://postgres@127.0.0.1:5432)")
parser.add_argument("--keep", action="store_true", help="keep the scratch folder (server logs, predictions)")
args = parser.parse_args()
if args.repeat < 1:
    parser.error("--repeat must be at least 1")
if not (os.path.isfile(args.binary) and os.access(args.binary, os.X_OK)):
    parser.error(f"{args.binary} is not an executable probity binary")
metadata_path = args.metadata or os.path.splitext(args.model)[0] + ".json"
with open(metadata_path) as f:
    metadata = json.load(f)
features, threshold = metadata["features"], float(metadata.get("threshold", 0.5))
assert metadata["output"] == "logit", "this benchmark applies the sigmoid: the model must declare output `logit`"

work = tempfile.mkdtemp(prefix="probity-bench-inference-")
database = f"probity_bench_{os.getpid()}"
server: subprocess.Popen | None = None
database_created = False


def stop_server() -> None:
    global server
    if server is not None and server.poll() is None:
        server.send_signal(signal.SIGCONT)  # in case it was paused
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    server = None


def drop_database() -> None:
    global database_created
    if not database_created:
        return
    database_created = False
    subprocess.run(["psql", "-q", f"{args.pg_url}/postgres", "-c", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'],
                   check=False, stdout=subprocess.DEVNULL, env=dict(os.environ, PGOPTIONS="-c client_min_messages=warning"))


def cleanup() -> None:
    stop_server()
    drop_database()
    if args.keep:
        print(f"scratch folder kept: {work}", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)


atexit.register(cleanup)
for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(sig, lambda signum, frame: sys.exit(128 + signum))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_log_tail() -> str:
    tail = []
    for name in ("out", "err"):
        try:
            with open(os.path.join(work, name), errors="replace") as f:
                tail.append(f"--- server std{name} ---\n" + "".join(f.readlines()[-30:]))
        except OSError:
            pass
    return "\n".join(tail)


def fail(message: str) -> None:
    print(message, file=sys.stderr)
    print(server_log_tail(), file=sys.stderr)
    sys.exit(1)


def parse_time(text: str) -> dt.datetime:
    # chrono writes RFC 3339 with up to 9 fractional digits; Python takes 6.
    match = re.fullmatch(r"(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)", text)
    assert match, text
    head, fraction, zone = match.groups()
    fraction = ((fraction or "") + "000000")[:6]
    return dt.datetime.fromisoformat(f"{head}.{fraction}{'+00:00' if zone == 'Z' else zone}")


# --------------------------------------------------------------------------------------------
# Probity, end to end
# --------------------------------------------------------------------------------------------
port = free_port()
api = f"http://127.0.0.1:{port}"
env = dict(os.environ,
           DATABASE_URL=f"{args.pg_url}/{database}",
           PROBITY_DATA_DIR=os.path.join(work, "data"),
           PROBITY_BIND=f"127.0.0.1:{port}",
           PROBITY_WORKERS="1",
           PROBITY_TORCH_THREADS=str(args.threads),
           PROBITY_JOB_POLL_MS="50",
           # JSON logs with the inference job's per-phase timings (debug level), printed below.
           PROBITY_LOG_FORMAT="json",
           RUST_LOG="info,sqlx=warn,tower_http=info,probity::jobs::kinds::inference=debug")
database_created = True  # by the server on start (migrations); dropped in cleanup
with open(os.path.join(work, "out"), "w") as out, open(os.path.join(work, "err"), "w") as err:
    server = subprocess.Popen([args.binary, "serve", "--workers", "1"], env=env, stdout=out, stderr=err)

token = None
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    if server.poll() is not None:
        fail(f"probity serve exited with {server.returncode}")
    try:
        with urllib.request.urlopen(f"{api}/healthz", timeout=2) as response:
            healthy = response.status == 200
    except OSError:
        healthy = False
    if healthy:
        with open(os.path.join(work, "out")) as f:
            found = re.search(r"prb_[0-9a-f]+", f.read())
        if found:
            token = found.group(0)
            break
    time.sleep(0.2)
if token is None:
    fail("probity serve did not become healthy with an admin key printed within 120 s")


def call(method: str, path: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{api}{path}", data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        fail(f"{method} {path}: {e.code} {e.read().decode(errors='replace')}")


def curl_upload(path: str, *form: str) -> tuple[dict, float]:
    start = time.perf_counter()
    result = subprocess.run(["curl", "-sS", "-w", "\n%{http_code}", "-H", f"Authorization: Bearer {token}", *form, f"{api}{path}"],
                            capture_output=True, text=True)
    seconds = time.perf_counter() - start
    body, _, status = result.stdout.rpartition("\n")
    if result.returncode != 0 or status != "201":
        fail(f"POST {path}: curl {result.returncode}, HTTP {status}: {body} {result.stderr}")
    return json.loads(body), seconds


dataset, dataset_upload_seconds = curl_upload("/v1/datasets", "-F", f"file=@{args.data}", "-F", "name=bench-inference")
model, model_upload_seconds = curl_upload("/v1/models", "-F", f"file=@{args.model}", "--form-string", f"metadata={json.dumps(metadata)}")
rows = dataset["row_count"]


def probity_run() -> dict:
    """One inference job, POST to success; its timings (the job record's and the worker's phases)."""
    wall_start = time.perf_counter()
    job = call("POST", "/v1/inference-jobs", {"model_id": model["id"], "dataset_id": dataset["id"], "id_columns": ["id"],
                                              "batch_size": args.batch_size, "device": "cpu"})
    while job["status"] in ("queued", "running"):
        time.sleep(args.poll)
        job = call("GET", f"/v1/jobs/{job['id']}")
    wall_seconds = time.perf_counter() - wall_start
    if job["status"] != "succeeded":
        fail(f"inference job {job['id']} ended {job['status']}: {job.get('error')}")
    created, started, finished = (parse_time(job[k]) for k in ("created_at", "started_at", "finished_at"))
    assert job["result"]["rows"] == rows, job["result"]
    return {"job": job, "seconds": (finished - created).total_seconds(), "run": (finished - started).total_seconds(),
            "queue": (started - created).total_seconds(), "wall": wall_seconds}


# --------------------------------------------------------------------------------------------
# Python torch, the same work on the same file
# --------------------------------------------------------------------------------------------


def python_run() -> dict:
    """Read, build the matrix, load, forward in batches, sigmoid, threshold, write: timed."""
    python_start = time.perf_counter()
    table = pq.read_table(args.data, columns=["id", *features], memory_map=True)
    matrix = np.empty((table.num_rows, len(features)), dtype=np.float32)  # row-major, like Probity's feature matrix
    columns = [table.column(name).to_numpy() for name in features]
    for begin in range(0, table.num_rows, 4096):  # in row blocks that stay in the cache while every column is written
        block = matrix[begin:begin + 4096]
        for j, values in enumerate(columns):
            block[:, j] = values[begin:begin + 4096]
    del columns
    ids = table.column("id")
    read_seconds = time.perf_counter() - python_start

    start = time.perf_counter()
    module = torch.jit.load(args.model, map_location="cpu")
    module.eval()
    load_seconds = time.perf_counter() - start

    start = time.perf_counter()
    scores = np.empty(table.num_rows, dtype=np.float32)
    with torch.inference_mode():
        for begin in range(0, table.num_rows, args.batch_size):
            end = min(begin + args.batch_size, table.num_rows)
            output = module(torch.from_numpy(matrix[begin:end]))
            scores[begin:end] = torch.sigmoid(output).reshape(-1).numpy()
    forward_seconds = time.perf_counter() - start

    start = time.perf_counter()
    predictions = (scores >= np.float32(threshold)).astype(np.int32)
    python_predictions_path = os.path.join(work, "python-predictions.parquet")
    pq.write_table(pa.table({"id": ids, "score": scores.astype(np.float64), "prediction": predictions}),
                   python_predictions_path, compression="zstd")
    write_seconds = time.perf_counter() - start
    return {"seconds": time.perf_counter() - python_start, "read": read_seconds, "load": load_seconds,
            "forward": forward_seconds, "write": write_seconds, "ids": ids, "scores": scores, "predictions": predictions}


# --------------------------------------------------------------------------------------------
# The runs, alternating sides so that both see the same background load
# --------------------------------------------------------------------------------------------
torch.set_num_threads(args.threads)
probity_runs, python_runs = [], []
for i in range(args.repeat):
    probity_runs.append(probity_run())
    # Pause the server (its workers poll the job queue) while the Python side runs.
    server.send_signal(signal.SIGSTOP)
    try:
        python_runs.append(python_run())
    finally:
        server.send_signal(signal.SIGCONT)
    if i > 0:  # the first run's results are compared; later runs only time
        for key in ("ids", "scores", "predictions"):
            python_runs[-1].pop(key)
ids, scores, predictions = (python_runs[0][k] for k in ("ids", "scores", "predictions"))

predictions_path = os.path.join(work, "probity-predictions.parquet")
download = subprocess.run(["curl", "-sSf", "-o", predictions_path, "-H", f"Authorization: Bearer {token}",
                           f"{api}/v1/datasets/{probity_runs[0]['job']['result']['dataset_id']}/download"],
                          capture_output=True, text=True)
if download.returncode != 0:
    fail(f"downloading the predictions: {download.stderr}")
probity_predictions = pq.read_table(predictions_path)
# Every run stored the same predictions file (same content hash).
probity_hashes = {call("GET", f"/v1/datasets/{r['job']['result']['dataset_id']}")["sha256"] for r in probity_runs}
assert len(probity_hashes) == 1, f"the {args.repeat} runs wrote different predictions: {probity_hashes}"
stop_server()
phases = {}
with open(os.path.join(work, "err"), errors="replace") as f:
    for line in f:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        fields = record.get("fields", {}) if isinstance(record, dict) else {}
        if fields.get("message") == "inference phases":
            phases[fields.get("job")] = fields
for r in probity_runs:
    r["phases"] = phases.get(r["job"]["id"])
drop_database()


# --------------------------------------------------------------------------------------------
# Same results?
# --------------------------------------------------------------------------------------------
assert probity_predictions.num_rows == rows == len(ids), (probity_predictions.num_rows, rows, len(ids))
assert probity_predictions.column_names == ["id", "score", "prediction"], probity_predictions.column_names
probity_ids = probity_predictions.column("id").to_numpy()
order = np.argsort(probity_ids, kind="stable")
python_ids = ids.to_numpy()
python_order = np.argsort(python_ids, kind="stable")
assert np.array_equal(probity_ids[order], python_ids[python_order]), "the id columns differ"
probity_scores = probity_predictions.column("score").to_numpy()[order]
expected_scores = scores.astype(np.float64)[python_order]
max_difference = float(np.max(np.abs(probity_scores - expected_scores))) if rows else 0.0
assert max_difference <= 1e-5, f"scores differ by up to {max_difference}"
probity_labels = probity_predictions.column("prediction").to_numpy()[order]
expected_labels = predictions[python_order]
disagree = probity_labels != expected_labels
assert not np.any(disagree & (np.abs(expected_scores - threshold) > 1e-5)), "predictions differ away from the threshold"
identical = int(np.count_nonzero(probity_scores == expected_scores))

# The headline is each side's fastest run (noise on a shared machine only ever adds time).
best_probity = min(probity_runs, key=lambda r: r["seconds"])
best_python = min(python_runs, key=lambda r: r["seconds"])
probity_seconds, python_seconds = best_probity["seconds"], best_python["seconds"]
ratio = probity_seconds / python_seconds
runs = f"best of {args.repeat} runs" if args.repeat > 1 else "1 run"
print(f"rows: {rows:,} x {len(features)} features; model: {os.path.basename(args.model)} (TorchScript, logit); "
      f"batch {args.batch_size}; libtorch threads {args.threads} on both sides; {runs} per side")
print(f"upload (not counted): dataset {os.path.getsize(args.data) / 1e6:.0f} MB in {dataset_upload_seconds:.2f} s, "
      f"model in {model_upload_seconds:.2f} s")
print(f"probity inference job, end to end (job created -> succeeded): {probity_seconds:.2f} s, {rows / probity_seconds:,.0f} rows/s")
print(f"  worker run (started -> finished): {best_probity['run']:.2f} s, {rows / best_probity['run']:,.0f} rows/s; "
      f"queue wait {best_probity['queue']:.2f} s; client wall clock (POST -> success seen, "
      f"{args.poll * 1000:.0f} ms polls): {best_probity['wall']:.2f} s")
if best_probity["phases"]:
    names = ["read", "matrix", "load", "forward", "write", "profile", "register"]
    print("  phases: " + ", ".join(f"{name} {best_probity['phases'][name + '_ms'] / 1000:.2f} s"
                                  for name in names if name + "_ms" in best_probity["phases"]))
print(f"python torch {torch.__version__} (read Parquet, jit.load, forward, sigmoid, threshold, write Parquet): "
      f"{python_seconds:.2f} s, {rows / python_seconds:,.0f} rows/s")
print(f"  read {best_python['read']:.2f} s, load {best_python['load']:.2f} s, forward+sigmoid {best_python['forward']:.2f} s "
      f"({rows / best_python['forward']:,.0f} rows/s), threshold+write {best_python['write']:.2f} s")
if args.repeat > 1:
    print("  every run (s): probity " + " ".join(f"{r['seconds']:.2f}" for r in probity_runs)
          + "; python " + " ".join(f"{r['seconds']:.2f}" for r in python_runs))
print(f"scores agree to 1e-5 (max |difference| {max_difference:.2e}; {identical:,} of {rows:,} bit-identical); "
      f"predictions {'identical' if not np.any(disagree) else f'identical but {int(np.count_nonzero(disagree))} at the threshold'}")
try:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
except OSError:
    load = "unknown"
print(f"ratio probity / python time: {ratio:.2f}x (target <= 1.2x: {'met' if ratio <= 1.2 else 'NOT met'}); "
      f"load average at the end: {load} on {os.cpu_count()} CPUs")
