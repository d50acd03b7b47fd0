#!/usr/bin/env bash
# Inference benchmark: 1 M rows through a 3-layer MLP (32-256-256-1, TorchScript), Probity's
# inference job end to end vs the same TorchScript file called from Python torch, in one run.
# usage: bench/inference.sh [ROWS] [inference_vs_torch.py options, e.g. --threads 4 --batch-size 8192 --repeat 3]
# The sides alternate; --repeat N runs each N times and compares the fastest of each (on a shared
# machine noise only adds time). Probity's line includes its per-phase timings (debug log).
# Needs Python with numpy and pyarrow: set PYTHON (default python3). Its torch is the libtorch that
# scripts/setup-libtorch installs (put on PYTHONPATH here), so that Python also needs torch's import
# dependencies (pure-Python ones and the nvidia-* CUDA wheels torch==2.13.0 declares), e.g.
# PYTHON=~/.cache/probity/refenv/bin/python. Postgres on 127.0.0.1:5432 as for bench/upload.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
shift || true
python="${PYTHON:-python3}"
LIBTORCH="$(scripts/setup-libtorch)"; export LIBTORCH
cargo build --release --bin probity >&2
bin="${CARGO_TARGET_DIR:-target}/release/probity"
PYTHONPATH="$(cd "$LIBTORCH/.." && pwd)${PYTHONPATH:+:$PYTHONPATH}"; export PYTHONPATH
data="${TMPDIR:-/tmp}/probity-inference-$rows.parquet"
model="${TMPDIR:-/tmp}/probity-inference-$rows-mlp.pt"
if [ ! -f "$data" ] || [ ! -f "$model" ] || [ ! -f "${model%.pt}.json" ]; then
    "$python" bench/gen_inference.py "$data" "$model" "$rows" >&2
fi
"$python" bench/inference_vs_torch.py "$bin" "$data" "$model" "$@"
