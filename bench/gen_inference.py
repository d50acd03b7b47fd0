#!/usr/bin/env python3
"""Writes the inference benchmark inputs: a Parquet dataset and a TorchScript MLP.

usage: gen_inference.py DATA.parquet MODEL.pt [ROWS]   (default 1,000,000)
DATA.parquet: `id` (int64, 0..ROWS-1) and 32 float32 feature columns f0..f31
(standard normal). MODEL.pt: a 3-layer MLP 32 -> 256 -> 256 -> 1 with ReLU,
returning one logit per row ([batch, 1]), traced with torch.jit and saved as
TorchScript. Next to it, MODEL.json: the `metadata` part of `POST /v1/models`
(name, version, features in input order, output `logit`, threshold 0.5).
Seeded (numpy and torch), so every run writes the same data and weights.
Needs numpy, pyarrow and torch (PYTHONPATH at the folder holding libtorch's `torch/`).
"""
import json
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import torch

FEATURES = [f"f{i}" for i in range(32)]


def mlp() -> torch.nn.Module:
    torch.manual_seed(7)
    return torch.nn.Sequential(
        torch.nn.Linear(len(FEATURES), 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 1),
    ).eval()


def main() -> None:
    data, model_path = sys.argv[1], sys.argv[2]
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
    rng = np.random.default_rng(42)
    values = rng.standard_normal((rows, len(FEATURES)), dtype=np.float32)
    columns = {"id": pa.array(np.arange(rows, dtype=np.int64))}
    columns.update({name: pa.array(values[:, j]) for j, name in enumerate(FEATURES)})
    pq.write_table(pa.table(columns), data)
    print(f"{data}: {rows} rows x (id + {len(FEATURES)} float32 features)")

    model = mlp()
    with torch.no_grad():
        traced = torch.jit.trace(model, torch.zeros(2, len(FEATURES)))
    traced.save(model_path)
    metadata = {"name": "bench-mlp", "version": "1", "features": FEATURES, "output": "logit", "threshold": 0.5}
    metadata_path = os.path.splitext(model_path)[0] + ".json"
    with open(metadata_path, "w") as f:
        json.dump(metadata, f)
    print(f"{model_path}: TorchScript MLP {len(FEATURES)}-256-256-1 (ReLU, logit); metadata in {metadata_path}")


if __name__ == "__main__":
    main()
