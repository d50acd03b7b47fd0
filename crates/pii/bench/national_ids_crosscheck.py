#!/usr/bin/env python3
"""National ids and VAT numbers: probity-pii's validators against python-stdnum.

usage: national_ids_crosscheck.py PII_BENCH_BINARY [SEED]
(needs `pip install faker python-stdnum`; PII_BENCH_BINARY is
`pii-bench`, built with `--features bench`).

For each entity type, 600 values: 200 that python-stdnum (an independent
implementation of the same published algorithms) says are valid, drawn from
Faker's generator where it computes real check digits or else from random
digits kept when valid; 200 one-character changes of those; 200 random
strings of the same shape. Each value is written bare, compact and (where
stdnum has one) in its usual layout, in two columns: one named after the
type (`bsn`, `cpf`, ...: column context) and `notes` (no context).

Printed per type and layout: how many values stdnum accepts, how often
probity-pii reports the type in the named column exactly when stdnum
accepts the value (agreement), the values only one of the two accepts,
and the share of valid values reported in `notes` without any context.
NINO, NRIC/FIN and Medicare have no stdnum module and are not compared.
"""
import collections
import csv
import random
import string
import subprocess
import sys
import tempfile

from faker import Faker
from stdnum import luhn
from stdnum.au import tfn
from stdnum.br import cnpj, cpf
from stdnum.ca import sin
from stdnum.de import idnr
from stdnum.es import dni, nie
from stdnum.eu import vat
from stdnum.fr import nir
from stdnum.gb import nhs
from stdnum.in_ import aadhaar, pan
from stdnum.it import codicefiscale
from stdnum.nl import bsn
from stdnum.pl import pesel
from stdnum.se import personnummer

binary = sys.argv[1]
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
R = random.Random(seed)
Faker.seed(seed)
FK = {loc: Faker(loc) for loc in ["fr_FR", "it_IT", "es_ES", "sv_SE", "pt_BR", "nl_NL", "pl_PL", "en_IN", "en_CA"]}
DIGITS = string.digits
UPPER = string.ascii_uppercase


def digits(n, first=DIGITS):
    return R.choice(first) + "".join(R.choice(DIGITS) for _ in range(n - 1))


def mutate(v):
    """One letter or digit changed to another of its class."""
    positions = [k for k, c in enumerate(v) if c.isalnum()]
    k = R.choice(positions)
    pool = DIGITS if v[k].isdigit() else UPPER
    return v[:k] + R.choice([c for c in pool if c != v[k]]) + v[k + 1:]


def personnummer_shape():
    return f"{R.randrange(30, 100):02d}{R.randrange(1, 13):02d}{R.randrange(1, 29):02d}-{digits(4)}"


def luhn_siren():
    body = digits(8, "123456789")
    return body + luhn.calc_check_digit(body)


def vat_shape():
    cc, body = R.choice([
        ("AT", lambda: "U" + digits(8)),
        ("BE", lambda: digits(10, "01")),
        ("DE", lambda: digits(9, "123456789")),
        ("ES", lambda: R.choice("ABEHPQS") + digits(7) + R.choice(DIGITS + "JABCDEFGHI")),
        ("FR", lambda: digits(2) + digits(9, "123456789")),
        ("FR", lambda: "".join(R.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(2))
         + luhn_siren()),
        ("IT", lambda: digits(7, "123456789") + "0" + digits(2) + digits(1)),
        ("NL", lambda: digits(9) + "B" + digits(2)),
        ("PL", lambda: digits(10, "123456789")),
        ("SE", lambda: digits(10, "123456789") + "01"),
    ])
    return cc + body()


# type, named column, stdnum module, random shape, Faker generator of valid values (or None)
TYPES = [
    ("uk_nhs_number", "nhs_number", nhs, lambda: digits(10, "4679"), None),
    ("de_tax_id", "steuer_id", idnr, lambda: digits(11, "123456789"), None),
    ("fr_nir", "nir", nir, lambda: digits(15, "12"), lambda: FK["fr_FR"].ssn()),
    ("es_dni", "dni", dni, lambda: digits(8) + R.choice(UPPER), lambda: FK["es_ES"].nif()),
    ("es_nie", "nie", nie, lambda: R.choice("XYZ") + digits(7) + R.choice(UPPER), lambda: FK["es_ES"].nie()),
    ("it_fiscal_code", "codice_fiscale", codicefiscale, None, lambda: FK["it_IT"].ssn()),
    ("nl_bsn", "bsn", bsn, lambda: digits(9), lambda: FK["nl_NL"].ssn()),
    ("se_personnummer", "personnummer", personnummer, personnummer_shape, lambda: FK["sv_SE"].ssn()),
    ("pl_pesel", "pesel", pesel, lambda: digits(11), lambda: FK["pl_PL"].pesel()),
    ("in_aadhaar", "aadhaar", aadhaar, lambda: digits(12, "23456789"), None),
    ("in_pan", "pan", pan,
     lambda: "".join(R.choice(UPPER) for _ in range(5)) + digits(4) + R.choice(UPPER), None),
    ("au_tfn", "tfn", tfn, lambda: digits(R.choice([8, 9]), "123456789"), None),
    ("ca_sin", "sin", sin, lambda: digits(9), lambda: FK["en_CA"].ssn()),
    ("br_cpf", "cpf", cpf, lambda: digits(11), lambda: FK["pt_BR"].cpf()),
    ("br_cnpj", "cnpj", cnpj, lambda: digits(14), lambda: FK["pt_BR"].cnpj()),
    ("eu_vat", "vat_id", vat, vat_shape, None),
]


def values(module, shape, faker_make):
    """200 valid, 200 changed, 200 random values, compact."""
    valid, tries = [], 0
    while len(valid) < 200 and tries < 200000:
        tries += 1
        v = faker_make() if faker_make and tries % 2 else (shape() if shape else faker_make())
        v = module.compact(v)
        if module.is_valid(v) and v not in valid:
            valid.append(v)
    changed = [mutate(v) for v in valid]
    random_ = [module.compact(shape()) for _ in range(200)] if shape else [mutate(mutate(v)) for v in valid]
    return valid + changed + random_


def layouts(module, v):
    out = [("compact", v)]
    if hasattr(module, "format"):
        try:
            f = module.format(v)
            if f != v:
                out.append(("formatted", f))
        except Exception:
            pass
    return out


def main():
    work = tempfile.mkdtemp()
    print(f"python-stdnum {__import__('stdnum').__version__}; seed {seed}")
    print(f"{'entity':16s} {'layout':9s} {'values':>6s} {'stdnum ok':>9s} {'agree':>7s} "
          f"{'only probity':>12s} {'only stdnum':>11s} {'no-context found':>16s}")
    for entity, column, module, shape, faker_make in TYPES:
        rows = []
        for v in values(module, shape, faker_make):
            for name, text in layouts(module, v):
                rows.append((name, text, module.is_valid(v)))
        path = f"{work}/{entity}.csv"
        with open(path, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([column, "notes"])
            for _, text, _ in rows:
                w.writerow([text, text])
        out = subprocess.run([binary, "findings", path, "0.5"], check=True, capture_output=True, text=True).stdout
        found = collections.defaultdict(set)
        for line in out.splitlines():
            row, col, ent, *_ = line.split("\t")
            if ent == entity:
                found[col].add(int(row))
        by_layout = collections.defaultdict(lambda: [0, 0, 0, [], [], 0])
        for i, (name, text, ok) in enumerate(rows):
            s = by_layout[name]
            got = i in found[column]
            s[0] += 1
            s[1] += ok
            s[2] += got == ok
            if got and not ok:
                s[3].append(text)
            if ok and not got:
                s[4].append(text)
            s[5] += ok and i in found["notes"]
        for name, (n, ok, agree, only_p, only_s, bare) in by_layout.items():
            print(f"{entity:16s} {name:9s} {n:6d} {ok:9d} {agree / n:7.1%} {len(only_p):12d} {len(only_s):11d} "
                  f"{bare / max(ok, 1):16.1%}")
            for label, xs in (("only probity", only_p), ("only stdnum", only_s)):
                if xs:
                    print(f"    {label}: {', '.join(xs[:6])}")


if __name__ == "__main__":
    main()
