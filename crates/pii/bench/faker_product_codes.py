#!/usr/bin/env python3
"""Phone findings on product and order numbers (hard negatives) and on real
phone numbers, with data no detector was tuned on.

usage: faker_product_codes.py PROBITY_BINARY [SEED]   (needs `pip install faker`)
Writes 3,000 rows: `code` holds a product or order number shaped like a US
phone number after a word such as SKU, Order or Part No.; `contact` holds a
Faker phone number of the en_US locale after "call" or "reach me at". Runs
`probity audit --no-fairness --pii` and prints the share of cells of each
column with a `phone` finding.
"""
import csv
import json
import subprocess
import sys
import tempfile

from faker import Faker

binary = sys.argv[1]
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
fake = Faker("en_US")
Faker.seed(seed)
words = ["SKU", "Order", "Order #", "Part No.", "Item", "Invoice", "Tracking", "Serial", "Ref"]
work = tempfile.mkdtemp()
data, findings = f"{work}/codes.csv", f"{work}/findings.ndjson"
rows = 3000
with open(data, "w", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(["code", "contact"])
    for i in range(rows):
        code = fake.numerify("###-###-####")
        lead = ["call", "reach me at", "phone:"][i % 3]
        writer.writerow([f"{words[i % len(words)]} {code}", f"{lead} {fake.phone_number()}"])
subprocess.run([binary, "audit", "--data", data, "--no-fairness", "--pii", "--pii-findings", findings],
               check=True, capture_output=True)
hits = {"code": set(), "contact": set()}
for line in open(findings):
    finding = json.loads(line)
    if finding["entity"] == "phone" and finding["column"] in hits:
        hits[finding["column"]].add(finding["row"])
print(f"product/order codes with a phone finding: {len(hits['code']) / rows:.1%} (lower is better)")
print(f"phone numbers found: {len(hits['contact']) / rows:.1%}")
