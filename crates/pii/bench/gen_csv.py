#!/usr/bin/env python3
"""Writes a deterministic mixed CSV (PII and non-PII text) for the throughput
benchmark: `gen_csv.py OUT.csv [MEGABYTES]` (default 200).

Faker fills value pools once (seeded); rows are then drawn from the pools
with a seeded RNG, so the file is identical on every run. About a third of
the cells carry PII; the rest are ids, amounts, timestamps, SKUs, versions,
hashes and lorem-style free text.
"""
import csv
import random
import sys

from faker import Faker

SEED = 7
POOL = 3000


def main():
    out = sys.argv[1]
    target = int(sys.argv[2] if len(sys.argv) > 2 else 200) * 1024 * 1024
    R = random.Random(SEED)
    fakers = [Faker(loc) for loc in ["en_US", "en_GB", "de_DE", "fr_FR", "en_IN"]]
    for i, f in enumerate(fakers):
        f.seed_instance(SEED + i)
    en = fakers[0]

    def pool(fn):
        return [fn(fakers[i % len(fakers)]) for i in range(POOL)]

    names = pool(lambda f: f"{f.first_name()} {f.last_name()}")
    emails = pool(lambda f: f.email())
    phones = pool(lambda f: f.phone_number())
    addresses = pool(lambda f: f.street_address().replace("\n", ", "))
    cities = pool(lambda f: f.city())
    sentences = [en.sentence(nb_words=R.randrange(6, 20)) for _ in range(POOL)]
    paragraphs = [en.paragraph(nb_sentences=3) for _ in range(POOL // 3)]
    ips = [en.ipv4() for _ in range(POOL)]
    ibans = [fakers[i % 5].iban() for i in range(POOL)]
    cards = [en.credit_card_number() for _ in range(POOL)]
    uuids = [en.uuid4() for _ in range(POOL)]
    sha = [en.sha1() for _ in range(POOL)]
    dates = [en.date_time().strftime("%Y-%m-%d %H:%M:%S") for _ in range(POOL)]
    jobs = pool(lambda f: f.job())
    companies = pool(lambda f: f.company())

    def notes():
        r = R.random()
        s = R.choice(sentences)
        if r < 0.10:
            return f"{s} Contact {R.choice(names)} at {R.choice(emails)}."
        if r < 0.18:
            return f"Customer called from {R.choice(phones)}: {s}"
        if r < 0.22:
            return f"Ship to {R.choice(addresses)}, {R.choice(cities)}. {s}"
        if r < 0.24:
            return f"Refund to IBAN {R.choice(ibans)}. {s}"
        if r < 0.25:
            return f"Paid with card {R.choice(cards)}"
        if r < 0.55:
            return R.choice(paragraphs)
        return s

    header = ["id", "customer_name", "email", "phone", "created_at", "amount", "sku", "ip",
              "app_version", "company", "job", "request_id", "checksum", "notes"]
    written = 0
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        row_id = 0
        while written < target:
            rows = []
            for _ in range(2000):
                row_id += 1
                rows.append([
                    str(row_id),
                    R.choice(names),
                    R.choice(emails) if R.random() < 0.9 else "",
                    R.choice(phones) if R.random() < 0.8 else "",
                    R.choice(dates),
                    f"{R.randrange(0, 100000)}.{R.randrange(0, 100):02d}",
                    f"SKU-{R.randrange(100, 1000)}-{R.randrange(1000, 10000)}",
                    R.choice(ips),
                    f"{R.randrange(1, 5)}.{R.randrange(0, 20)}.{R.randrange(0, 50)}",
                    R.choice(companies),
                    R.choice(jobs),
                    R.choice(uuids),
                    R.choice(sha),
                    notes(),
                ])
            w.writerows(rows)
            written = fh.tell()
    print(f"{out}: {row_id} rows, {written / 1e6:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
