"""Decisions of a deployed model as NDJSON for bench/monitor_ingest.sh.

usage: python3 bench/gen_monitor.py OUT RECORDS [DAYS]

Deterministic (seeded). Each line: a record id, a timestamp spread over DAYS
days (default 365), two sensitive features (sex: 2 values, age_band: 4), a
prediction, a score, and a label on 70 % of the lines (the rest arrive later).
"""

import json
import random
import sys
from datetime import datetime, timedelta, timezone

out, records = sys.argv[1], int(sys.argv[2])
days = int(sys.argv[3]) if len(sys.argv) > 3 else 365
rng = random.Random(12)
start = datetime(2026, 1, 1, tzinfo=timezone.utc)
step = days * 86400 / records
with open(out, "w") as f:
    for i in range(records):
        score = rng.random()
        line = {
            "record_id": f"r{i}",
            "timestamp": (start + timedelta(seconds=i * step)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "features": {"sex": rng.choice("FM"), "age_band": rng.choice(["18-25", "26-40", "41-65", "65+"])},
            "prediction": int(score >= 0.5),
            "score": round(score, 4),
        }
        if rng.random() < 0.7:
            line["label"] = int(rng.random() < score)
        f.write(json.dumps(line, separators=(",", ":")) + "\n")
