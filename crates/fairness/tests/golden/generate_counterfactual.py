#!/usr/bin/env python3
"""Regenerates the reference values of the counterfactual check's statistics.

Run by hand, not by CI:
    python3 -m venv /tmp/stats-venv
    /tmp/stats-venv/bin/pip install scipy==1.17.1 statsmodels==0.15.0 pandas numpy
    /tmp/stats-venv/bin/python crates/fairness/tests/golden/generate_counterfactual.py

Writes counterfactual.scipy.json:
- `mcnemar`: for discordant counts (b, c), statsmodels'
  `mcnemar([[0, b], [c, 0]], exact=True).pvalue` (2 · binom.cdf(min(b, c), b + c, ½), capped at 1);
- `wilson`: for (k, n, confidence), scipy's
  `binomtest(k, n).proportion_ci(confidence, method="wilson")`;
- `paired`: the per-variant comparison of counterfactual_pairs.csv (written
  too: 600 seeded cases of a "system" that favours variant "b" and ignores
  "c"; a few cases lack the reference variant "a"), computed with pandas
  (a merge on the case id) and the two functions above.
"""
import json
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import binomtest
from statsmodels.stats.contingency_tables import mcnemar

assert version("scipy") == "1.17.1", version("scipy")
assert version("statsmodels") == "0.15.0", version("statsmodels")
HERE = Path(__file__).parent


def mcnemar_p(b, c):
    return float(mcnemar([[0, b], [c, 0]], exact=True).pvalue)


def wilson(k, n, confidence):
    ci = binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    return [float(ci.low), float(ci.high)]


discordant = [
    (0, 1), (1, 0), (0, 10), (1, 5), (3, 17), (10, 40), (25, 26), (120, 170),
    (480, 530), (1000, 1200), (5000, 5300), (2, 300), (40000, 40600),
    (250000, 251500), (7, 7), (0, 60), (1, 1100),
]
trials = [
    (0, 1, 0.95), (0, 10_000, 0.95), (1, 30, 0.95), (15, 30, 0.9), (29, 30, 0.99),
    (30, 30, 0.95), (123, 4567, 0.95), (4000, 100_000, 0.999), (5, 80, 0.5),
]

rng = np.random.default_rng(23)
cases = 600
rows = []
for case in range(cases):
    score_a = rng.random()
    for variant, shift in [("a", 0.0), ("b", 0.12), ("c", 0.0)]:
        if variant == "a" and case % 97 == 5:
            continue  # a case without its reference variant
        noise = rng.normal(0, 0.03) if variant == "b" else 0.0
        score = float(np.clip(score_a + shift + noise, 0, 1))
        rows.append({"case": f"q{case}", "name": variant,
                     "answer": "approve" if score >= 0.5 else "decline",
                     "score": score})
frame = pd.DataFrame(rows).sample(frac=1, random_state=5)
frame.to_csv(HERE / "counterfactual_pairs.csv", index=False, float_format="%.17g")
frame = pd.read_csv(HERE / "counterfactual_pairs.csv")

reference = frame[frame.name == "a"][["case", "answer", "score"]]
paired = []
for variant in ["b", "c"]:
    other = frame[frame.name == variant].merge(reference, on="case", suffixes=("", "_ref"))
    before = other.answer_ref == "approve"
    after = other.answer == "approve"
    b = int((before & ~after).sum())
    c = int((~before & after).sum())
    change = other.score - other.score_ref
    n = len(other)
    paired.append({
        "from": "a", "to": variant, "pairs": n, "to_negative": b, "to_positive": c,
        "mcnemar_p_value": mcnemar_p(b, c),
        "flip_share_interval": wilson(b + c, n, 0.95),
        "mean_score_change": float(change.mean()),
        "largest_score_change": float(change[change.abs().idxmax()]),
    })
unpaired = int((frame.name != "a").sum()) - sum(p["pairs"] for p in paired)

golden = {
    "mcnemar": [{"b": b, "c": c, "p_value": mcnemar_p(b, c)} for b, c in discordant],
    "wilson": [{"k": k, "n": n, "confidence": conf, "interval": wilson(k, n, conf)}
               for k, n, conf in trials],
    "paired": {"comparisons": paired, "unpaired_rows": unpaired},
}
(HERE / "counterfactual.scipy.json").write_text(json.dumps(golden, indent=1) + "\n")
