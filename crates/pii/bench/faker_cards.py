#!/usr/bin/env python3
"""Card recall on Faker's card numbers, which no detector was tuned on.

usage: faker_cards.py PROBITY_BINARY [SEED]   (needs `pip install faker`)
Writes 2,000 rows (200 of each of Faker's ten card types, five locales):
`payment` holds the bare number, `note` the number in a sentence. Runs
`probity audit --no-fairness --pii` on them and prints, per card type, the
share of rows whose cell got a `credit_card` finding, and any other entity
reported on those cells.
"""
import collections
import csv
import json
import subprocess
import sys
import tempfile

from faker import Faker

binary = sys.argv[1]
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
fake = Faker(["en_US", "de_DE", "fr_FR", "ja_JP", "pt_BR"])
Faker.seed(seed)
kinds = ["visa16", "visa13", "visa19", "mastercard", "amex", "discover", "diners", "jcb15", "jcb16", "maestro"]
work = tempfile.mkdtemp()
data, findings = f"{work}/cards.csv", f"{work}/findings.ndjson"
rows = []
with open(data, "w", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(["kind", "payment", "note"])
    for i in range(2000):
        kind = kinds[i % len(kinds)]
        number = fake.credit_card_number(card_type=kind)
        rows.append(kind)
        writer.writerow([kind, number, f"Paid with card {number} on {fake.date()}"])
subprocess.run([binary, "audit", "--data", data, "--no-fairness", "--pii", "--pii-findings", findings],
               check=True, capture_output=True)
found = collections.defaultdict(set)
other = collections.Counter()
for line in open(findings):
    finding = json.loads(line)
    if finding["column"] in ("payment", "note"):
        if finding["entity"] == "credit_card":
            found[finding["column"]].add(finding["row"])
        else:
            other[(finding["column"], finding["entity"])] += 1
by_kind = collections.defaultdict(lambda: [0, 0, 0])
for i, kind in enumerate(rows):
    counts = by_kind[kind]
    counts[0] += 1
    counts[1] += i in found["payment"]
    counts[2] += i in found["note"]
total = [0, 0, 0]
for kind, (n, bare, text) in sorted(by_kind.items()):
    print(f"{kind:11s} {n:5d}  payment {bare / n:6.1%}  in text {text / n:6.1%}")
    total = [a + b for a, b in zip(total, (n, bare, text))]
print(f"{'all':11s} {total[0]:5d}  payment {total[1] / total[0]:6.1%}  in text {total[2] / total[0]:6.1%}")
print("other entities on card cells:", dict(other))
