#!/usr/bin/env python3
"""Side-by-side quality of probity-pii and Presidio on labelled corpora.

    heldout_eval.py [--bin PII_BENCH] [--failures N] [--no-presidio] [CORPUS.jsonl ...]

Default corpora: corpus/corpus.jsonl (written together with the detectors)
and corpus/heldout.jsonl (corpus/generate_heldout.py: other locales,
templates and negatives, never used for tuning). Prints, per corpus, a
markdown table per entity type with truth in the corpus: truth count,
probity-pii precision and recall, Presidio precision and recall; then the
share of hard-negative and plain-text negative cells with any finding.

probity-pii: `pii-bench findings CORPUS.jsonl 0.5` gives every finding of
every cell (each cell scanned with its own column name, default
ScanConfig; with a pii-bench whose `findings` reads CSV only, the cells are
passed as one one-column CSV per column name); the counts follow src/eval.rs (a prediction is right when it
overlaps a truth span of the same type; a truth span is found when a
prediction of its type overlaps it) and are checked against
`pii-bench eval CORPUS.jsonl`.

Presidio: presidio_bench.engine() (pattern recognizers only,
NoOpNlpEngine, the predefined English registry minus SpacyRecognizer; the
column name is passed as context), plus the country recognizers Presidio
ships but leaves out of its default registry, registered for "en" so that
they run on these cells (listed in EXTRA). Presidio's entity names are
mapped onto probity-pii's in MAP; "n/a" where Presidio has no recognizer
for the type. Score threshold 0.5 for both tools.

--failures N prints, for every probity-pii entity below 0.95 precision or
recall, N missed and N falsely reported cells, and every hard-negative cell
with a finding grouped by column.
"""
import argparse
import csv
import importlib.metadata as md
import json
import logging
import os
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
CRATE = os.path.dirname(HERE)
sys.path.insert(0, HERE)

# src/entity.rs, EntityType::ALL order
ENTITIES = ["email", "phone", "credit_card", "iban", "us_ssn", "ipv4", "ipv6", "mac_address", "date_of_birth",
            "passport", "drivers_licence", "street_address", "person_name", "aws_access_key", "github_token",
            "slack_token", "stripe_key", "google_api_key", "jwt", "private_key", "url_credentials",
            "high_entropy_secret", "uk_nhs_number", "uk_nino", "de_tax_id", "fr_nir", "es_dni", "es_nie",
            "it_fiscal_code", "nl_bsn", "se_personnummer", "pl_pesel", "in_aadhaar", "in_pan", "au_tfn",
            "au_medicare", "ca_sin", "br_cpf", "br_cnpj", "sg_nric", "eu_vat"]

# Presidio entity -> probity-pii entity
MAP = {
    "EMAIL_ADDRESS": "email", "PHONE_NUMBER": "phone", "CREDIT_CARD": "credit_card", "IBAN_CODE": "iban",
    "US_SSN": "us_ssn", "IP_ADDRESS": "ip", "MAC_ADDRESS": "mac_address", "DATE_TIME": "date_of_birth",
    "US_PASSPORT": "passport", "UK_PASSPORT": "passport", "ES_PASSPORT": "passport", "IT_PASSPORT": "passport",
    "DE_PASSPORT": "passport", "IN_PASSPORT": "passport",
    "US_DRIVER_LICENSE": "drivers_licence", "UK_DRIVING_LICENCE": "drivers_licence",
    "IT_DRIVER_LICENSE": "drivers_licence", "DE_FUEHRERSCHEIN": "drivers_licence",
    "UK_NHS": "uk_nhs_number", "UK_NINO": "uk_nino", "DE_TAX_ID": "de_tax_id", "ES_NIF": "es_dni",
    "ES_NIE": "es_nie", "IT_FISCAL_CODE": "it_fiscal_code", "SE_PERSONNUMMER": "se_personnummer",
    "PL_PESEL": "pl_pesel", "IN_AADHAAR": "in_aadhaar", "IN_PAN": "in_pan", "AU_TFN": "au_tfn",
    "AU_MEDICARE": "au_medicare", "CA_SIN": "ca_sin", "SG_NRIC_FIN": "sg_nric", "DE_VAT_ID": "eu_vat",
    "IT_VAT_CODE": "eu_vat",
}
PRESIDIO_TYPES = {v for v in MAP.values() if v != "ip"} | {"ipv4", "ipv6"}
# shipped by Presidio, not in its default English registry
EXTRA = ["UkNinoRecognizer", "DeTaxIdRecognizer", "DeVatIdRecognizer", "EsNifRecognizer", "EsNieRecognizer",
         "ItFiscalCodeRecognizer", "ItVatCodeRecognizer", "SePersonnummerRecognizer", "PlPeselRecognizer",
         "InAadhaarRecognizer", "InPanRecognizer", "AuTfnRecognizer", "AuMedicareRecognizer", "CaSinRecognizer",
         "SgFinRecognizer", "UkPassportRecognizer", "EsPassportRecognizer", "ItPassportRecognizer",
         "DePassportRecognizer", "InPassportRecognizer", "ItDriverLicenseRecognizer", "UkDrivingLicenceRecognizer",
         "DeFuehrerscheinRecognizer"]
P_BAR = R_BAR = 0.95


def load(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


class Score:
    """Counts per entity, as src/eval.rs keeps them."""

    def __init__(self):
        self.tp_pred = Counter()
        self.fp = Counter()
        self.tp_truth = Counter()
        self.fn = Counter()

    def add(self, truth, pred, only=None):
        """truth, pred: lists of (type, start, end); only: the types scored."""
        for t, s, e in pred:
            if any(t == tt and overlaps((s, e), (ts, te)) for tt, ts, te in truth):
                self.tp_pred[t] += 1
            else:
                self.fp[t] += 1
        for t, s, e in truth:
            if only is not None and t not in only:
                continue
            if any(t == pt and overlaps((s, e), (ps, pe)) for pt, ps, pe in pred):
                self.tp_truth[t] += 1
            else:
                self.fn[t] += 1

    def p(self, t):
        d = self.tp_pred[t] + self.fp[t]
        return self.tp_pred[t] / d if d else 1.0

    def r(self, t):
        d = self.tp_truth[t] + self.fn[t]
        return self.tp_truth[t] / d if d else 1.0

    def truth(self, t):
        return self.tp_truth[t] + self.fn[t]

    def predicted(self, t):
        return self.tp_pred[t] + self.fp[t]


def truth_of(cell):
    return [(e["type"], e["start"], e["end"]) for e in cell["entities"]]


def probity_findings(binary, path, cells):
    """Per cell: probity-pii's findings (type, start, end) at the default threshold."""
    pred = [[] for _ in cells]
    run = subprocess.run([binary, "findings", path, "0.5"], capture_output=True, text=True)
    if run.returncode == 0:
        for line in run.stdout.splitlines():
            row, _col, ent, s, e, _conf = line.split("\t")
            pred[int(row)].append((ent, int(s), int(e)))
        return pred
    # a pii-bench whose `findings` reads CSV only: one one-column CSV per column name
    by_col = defaultdict(list)
    for i, c in enumerate(cells):
        by_col[c["column"]].append(i)
    with tempfile.TemporaryDirectory() as tmp:
        for col, idx in by_col.items():
            f = os.path.join(tmp, "cells.csv")
            with open(f, "w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh, lineterminator="\n")
                w.writerow([col])
                for i in idx:
                    w.writerow([cells[i]["text"]])
            out = subprocess.run([binary, "findings", f, "0.5"], capture_output=True, text=True, check=True).stdout
            for line in out.splitlines():
                row, _col, ent, s, e, _conf = line.split("\t")
                pred[idx[int(row)]].append((ent, int(s), int(e)))
    return pred


def probity_eval_table(binary, path):
    """`pii-bench eval`: entity -> (truth, pred, fp, fn), and the hard-negative line."""
    out = subprocess.run([binary, "eval", path], capture_output=True, text=True, check=True).stdout
    rows = {}
    hard = None
    for line in out.splitlines():
        f = line.split()
        if len(f) == 7 and f[0] in ENTITIES:
            rows[f[0]] = tuple(int(x) for x in f[1:5])
        elif line.startswith("hard_negative_cells_with_findings="):
            hard = line.split("=", 1)[1]
    return rows, hard


def presidio_engine():
    import presidio_analyzer.predefined_recognizers as pr
    import presidio_bench

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    an = presidio_bench.engine()
    for name in EXTRA:
        an.registry.add_recognizer(getattr(pr, name)(supported_language="en"))
    an.analyze(text="warm up a.b@example.com https://example.com", language="en")
    return an


def presidio_findings(an, cells):
    """Per cell: (mapped predictions, any entity at score >= 0.5, mapped entity at score >= 0.5)."""
    out = []
    for c in cells:
        text = c["text"]
        b = [0] * (len(text) + 1)
        for i, ch in enumerate(text):
            b[i + 1] = b[i] + len(ch.encode("utf-8"))
        res = [x for x in an.analyze(text=text, language="en", context=[c["column"]]) if x.score >= 0.5]
        pred = []
        for x in res:
            t = MAP.get(x.entity_type)
            if t is None:
                continue
            if t == "ip":
                t = "ipv6" if ":" in text[x.start:x.end] else "ipv4"
            pred.append((t, b[x.start], b[x.end]))
        out.append((pred, bool(res), bool(pred)))
    return out


def fmt(x):
    return f"{x:.3f}"


def clip(s, n=160):
    return s if len(s) <= n else s[:n] + "…"


def show(cell, pred):
    t = cell["text"].encode("utf-8")
    exp = ", ".join(f'{ty}:"{clip(t[s:e].decode(), 60)}"' for ty, s, e in truth_of(cell))
    got = ", ".join(f'{ty}:"{clip(t[s:e].decode(), 60)}"' for ty, s, e in pred)
    return f'[{cell["column"]}] {json.dumps(clip(cell["text"]), ensure_ascii=False)}\n      expected: {exp or "-"}\n      found:    {got or "-"}'


def report(path, binary, an, failures):
    cells = load(path)
    name = os.path.relpath(path, os.path.dirname(os.path.dirname(CRATE)))
    kinds = Counter(c["kind"] for c in cells)
    print(f"\n## {name} ({len(cells)} cells: " + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items())) + ")\n")

    pp = probity_findings(binary, path, cells)
    ps = Score()
    for c, pred in zip(cells, pp):
        ps.add(truth_of(c), pred)
    rows, hard_line = probity_eval_table(binary, path)
    mismatch = [t for t in rows if rows[t] != (ps.truth(t), ps.predicted(t), ps.fp[t], ps.fn[t])]
    if mismatch or set(rows) != {t for t in ENTITIES if ps.truth(t) or ps.predicted(t)}:
        print(f"WARNING: counts differ from `pii-bench eval` for {mismatch or 'the set of entities'}\n")

    pres = presidio_findings(an, cells) if an else None
    qs = Score()
    if pres:
        for c, (pred, _, _) in zip(cells, pres):
            qs.add(truth_of(c), pred, only=PRESIDIO_TYPES)

    print("| entity | truth | probity P | probity R | Presidio P | Presidio R |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    below = []
    for t in ENTITIES:
        if not ps.truth(t):
            continue
        bar = ps.p(t) < P_BAR or ps.r(t) < R_BAR
        if bar:
            below.append(t)
        p_s = fmt(ps.p(t)) if ps.p(t) >= P_BAR else f"**{fmt(ps.p(t))}**"
        r_s = fmt(ps.r(t)) if ps.r(t) >= R_BAR else f"**{fmt(ps.r(t))}**"
        if pres and t in PRESIDIO_TYPES:
            q = f"{fmt(qs.p(t))} | {fmt(qs.r(t))}"
        else:
            q = "n/a | n/a"
        print(f"| {t} | {ps.truth(t)} | {p_s} | {r_s} | {q} |")
    print(f"\nBold: below {P_BAR} (probity-pii). Entities probity-pii reported with no truth of that type in the corpus: "
          + (", ".join(f"{t} ({ps.fp[t]})" for t in ENTITIES if ps.fp[t] and not ps.truth(t)) or "none") + ".")

    def share(kind_names, flags):
        idx = [i for i, c in enumerate(cells) if c["kind"] in kind_names]
        hit = sum(1 for i in idx if flags[i])
        return hit, len(idx)

    def pct(h, n):
        return f"{h}/{n} ({100.0 * h / n:.2f} %)" if n else "-"

    print("\n| cells with any finding (score >= 0.5) | probity-pii | Presidio, any entity | Presidio, mapped entities |")
    print("| --- | ---: | ---: | ---: |")
    for label, names in (("hard negatives", {"hard_negative"}), ("plain-text negatives", {"plain_negative", "negative"})):
        h, n = share(names, [bool(p) for p in pp])
        if pres:
            ha, _ = share(names, [x[1] for x in pres])
            hm, _ = share(names, [x[2] for x in pres])
            print(f"| {label} | {pct(h, n)} | {pct(ha, n)} | {pct(hm, n)} |")
        else:
            print(f"| {label} | {pct(h, n)} | - | - |")
    print(f"\n(`pii-bench eval`: hard_negative_cells_with_findings={hard_line}; per-entity counts "
          + ("identical to the table above)" if not mismatch else "DIFFERENT, see the warning)"))

    if failures:
        print(f"\n### probity-pii failures on {name}\n")
        for t in below:
            print(f"\n{t}: precision {fmt(ps.p(t))} ({ps.tp_pred[t]}/{ps.predicted(t)}), recall {fmt(ps.r(t))} ({ps.tp_truth[t]}/{ps.truth(t)})")
            miss = [i for i, c in enumerate(cells)
                    if any(ty == t and not any(pt == t and overlaps((s, e), (a, b)) for pt, a, b in pp[i])
                           for ty, s, e in truth_of(c))]
            fps = [i for i, c in enumerate(cells)
                   if any(pt == t and not any(ty == t and overlaps((a, b), (s, e)) for ty, s, e in truth_of(c))
                          for pt, a, b in pp[i])]
            for i in miss[:failures]:
                print("  MISS " + show(cells[i], pp[i]))
            for i in fps[:failures]:
                print("  FP   " + show(cells[i], pp[i]))
        hits = defaultdict(list)
        for i, c in enumerate(cells):
            if c["kind"] == "hard_negative" and pp[i]:
                hits[c["column"]].append(i)
        if hits:
            print("\nhard-negative cells with a finding, by column:")
            for col, idx in sorted(hits.items(), key=lambda kv: -len(kv[1])):
                print(f"  {col}: {len(idx)}")
                for i in idx[:3]:
                    print("    " + show(cells[i], pp[i]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "release", "pii-bench"))
    ap.add_argument("--failures", type=int, default=0)
    ap.add_argument("--no-presidio", action="store_true")
    ap.add_argument("corpora", nargs="*", default=[os.path.join(CRATE, "corpus", "corpus.jsonl"),
                                                    os.path.join(CRATE, "corpus", "heldout.jsonl")])
    a = ap.parse_args()
    vers = {p: md.version(p) for p in ("presidio-analyzer", "faker", "python-stdnum") if _installed(p)}
    print("versions: " + ", ".join(f"{k} {v}" for k, v in vers.items()) + f"; pii-bench: {a.bin}")
    an = None if a.no_presidio else presidio_engine()
    for path in a.corpora:
        report(path, a.bin, an, a.failures)


def _installed(p):
    try:
        md.version(p)
        return True
    except md.PackageNotFoundError:
        return False


if __name__ == "__main__":
    main()
