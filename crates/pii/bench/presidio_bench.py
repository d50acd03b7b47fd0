#!/usr/bin/env python3
"""Presidio side of the benchmark.

`presidio_bench.py speed FILE.csv SAMPLE_ROWS`: analyzes every cell of the
first SAMPLE_ROWS rows with Presidio's AnalyzerEngine and prints MB/s.
`presidio_bench.py eval corpus.jsonl`: precision/recall per entity on the
labeled corpus, with Presidio entity names mapped onto probity-pii's.

Presidio is set up with pattern recognizers only and no spaCy model: the
NLP engine is presidio's NoOpNlpEngine (documented for registries whose
recognizers need no NLP artifacts), the registry holds the predefined
recognizers minus the NER-backed SpacyRecognizer. Context words are given
per cell from the column name, like probity-pii's column context.
"""
import csv
import json
import logging
import sys
import time
from collections import defaultdict

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine.no_op_nlp_engine import NoOpNlpEngine

# Presidio entity -> probity-pii entity types it may match
MAP = {
    "EMAIL_ADDRESS": ["email"],
    "PHONE_NUMBER": ["phone"],
    "CREDIT_CARD": ["credit_card"],
    "IBAN_CODE": ["iban"],
    "US_SSN": ["us_ssn"],
    "IP_ADDRESS": ["ipv4", "ipv6"],
    "US_PASSPORT": ["passport"],
    "US_DRIVER_LICENSE": ["drivers_licence"],
    "DATE_TIME": ["date_of_birth"],
}
COMPARED = sorted({t for ts in MAP.values() for t in ts})


def engine():
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    nlp.load()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp)
    for name in ["SpacyRecognizer"]:
        try:
            registry.remove_recognizer(name)
        except Exception:
            pass
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])


def speed(path, n):
    an = engine()
    with open(path, newline="", encoding="utf-8") as fh:
        rd = csv.reader(fh)
        header = next(rd)
        rows = [r for _, r in zip(range(n), rd)]
    nbytes = sum(len(c.encode()) for r in rows for c in r)
    an.analyze(text="warm up a.b@example.com https://example.com", language="en")  # loads lazy resources
    t = time.perf_counter()
    found = 0
    for r in rows:
        for col, cell in zip(header, r):
            if cell:
                found += len(an.analyze(text=cell, language="en", context=[col]))
    dt = time.perf_counter() - t
    print(f"presidio_sample_rows={len(rows)} presidio_sample_mb={nbytes / 1e6:.3f} presidio_s={dt:.2f} "
          f"presidio_mb_s={nbytes / 1e6 / dt:.3f} presidio_findings={found}")


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def eval_corpus(path):
    an = engine()
    tp_pred = defaultdict(int)
    fp = defaultdict(int)
    tp_truth = defaultdict(int)
    fn = defaultdict(int)
    hard = hard_hit = 0
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        text = r["text"]
        # presidio reports char offsets; the corpus has UTF-8 byte offsets
        b = [len(text[:i].encode()) for i in range(len(text) + 1)]
        res = an.analyze(text=text, language="en", context=[r["column"]])
        pred = []
        for x in res:
            if x.score < 0.5 or x.entity_type not in MAP:
                continue
            pred.append((MAP[x.entity_type], b[x.start], b[x.end]))
        if r["kind"] == "hard_negative":
            hard += 1
            hard_hit += bool([x for x in res if x.score >= 0.5])
        truth = [(t["type"], t["start"], t["end"]) for t in r["entities"]]
        for types, s, e in pred:
            hit = [t for t in truth if t[0] in types and overlaps((s, e), (t[1], t[2]))]
            key = hit[0][0] if hit else types[0]
            if hit:
                tp_pred[key] += 1
            else:
                fp[key] += 1
        for typ, s, e in truth:
            if typ not in COMPARED:
                continue
            if any(typ in types and overlaps((s, e), (ps, pe)) for types, ps, pe in pred):
                tp_truth[typ] += 1
            else:
                fn[typ] += 1
    print(f"{'entity':<22} {'truth':>6} {'pred':>6} {'fp':>6} {'fn':>6} {'precision':>9} {'recall':>7}")
    for t in COMPARED:
        p_den = tp_pred[t] + fp[t]
        r_den = tp_truth[t] + fn[t]
        p = tp_pred[t] / p_den if p_den else 1.0
        rc = tp_truth[t] / r_den if r_den else 1.0
        print(f"{t:<22} {r_den:>6} {p_den:>6} {fp[t]:>6} {fn[t]:>6} {p:>9.3f} {rc:>7.3f}")
    print(f"hard_negative_cells_with_findings={hard_hit}/{hard} (any Presidio entity, score >= 0.5)")


if __name__ == "__main__":
    if sys.argv[1] == "speed":
        speed(sys.argv[2], int(sys.argv[3]))
    else:
        eval_corpus(sys.argv[2])
