#!/usr/bin/env python3
"""Writes a synthetic audit-style CSV of about SIZE_MB megabytes to PATH.

usage: gen_csv.py PATH SIZE_MB
Columns: id, age, income, score, group, region, label, prediction (mixed ints,
floats, strings, a few empty cells). Deterministic (seeded).
"""
import random
import sys

path, size_mb = sys.argv[1], int(sys.argv[2])
target = size_mb * 1024 * 1024
rng = random.Random(7)
groups = ["a", "b", "c", "d"]
regions = ["north", "south", "east", "west", "central"]
written = 0
with open(path, "w", buffering=1 << 22) as out:
    header = "id,age,income,score,group,region,label,prediction\n"
    out.write(header)
    written += len(header)
    i = 0
    while written < target:
        lines = []
        for _ in range(10_000):
            income = "" if rng.random() < 0.01 else f"{rng.uniform(10_000, 200_000):.2f}"
            lines.append(
                f"{i},{rng.randint(18, 90)},{income},{rng.random():.6f},{rng.choice(groups)},"
                f"{rng.choice(regions)},{rng.randint(0, 1)},{rng.randint(0, 1)}\n"
            )
            i += 1
        chunk = "".join(lines)
        out.write(chunk)
        written += len(chunk)
print(f"{path}: {written / 1e6:.1f} MB, {i} rows")
