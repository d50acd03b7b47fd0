#!/usr/bin/env python3
"""Builds the bundled name lists of probity-pii:

  first_names.txt  first names (one a line)
  last_names.txt   surnames (one a line)
  name_words.txt   names of either list that are also function words or very
                   frequent words of some language (`Per`, `Will`, `Can`,
                   `Nacional`): the detector counts them as names only next
                   to a name that is not one, or with other evidence
  non_names.txt    function words of 33 languages that are in neither list
                   (`Ihre`, `Jag`, `The`): never part of a name

Sources (all from PyPI, installed into a venv; nothing is downloaded at run
time, and none of them is Faker, which generates the evaluation corpora, so the
name detector is never evaluated on its own dictionary):
  * `names` 0.3.0  - the 1990 US Census name frequency files
                     (dist.male.first, dist.female.first, dist.all.last)
  * `gender-guesser` 0.4.0 - Jörg Michael's nam_dict.txt: first names with a
                     frequency (1 = rare .. D = 13 = extremely common) in each
                     of 55 countries (all of Europe, the former USSR, Turkey,
                     Arabia/Persia, Israel, China, India, Japan, Korea, Vietnam)
  * `names-dataset` 3.3.1 - first names and surnames with their rank in each of
                     105 countries (aggregated from a large public social-network
                     dump); only the top N_DS_FIRST / N_DS_LAST of each country
                     are taken, in Latin, Greek or Cyrillic script
  * `stop-words` 2025.11.4 and `wordfreq` 3.1.1 - function words of 33
                     languages and word frequencies of 40: a dataset entry that
                     is a function word is dropped (`Olen`, "I am"); a name
                     that is a function word or a very frequent word (Zipf >=
                     ZIPF_WORD in some language, ZIPF_WORD_DATASET for a name
                     only names-dataset has) goes to name_words.txt

The output is sorted, lower case and deterministic for fixed package versions.
With the settings below (2026-12-05): 44,812 first names, 105,299 surnames,
1,965 name words, 7,058 non-names, 1.26 MB in all. The detector loads them
into a 1 MB table of 32-bit fingerprints (src/names.rs, about 15 ms once).

Usage (from the repository root):
  python3 -m venv /tmp/names-venv
  /tmp/names-venv/bin/pip install names==0.3.0 gender-guesser==0.4.0 \
      names-dataset==3.3.1 stop-words==2025.11.4 wordfreq==3.1.1
  /tmp/names-venv/bin/python crates/pii/data/build_names.py
"""
import collections
import gzip
import os
import pickle
import re
import sys
import unicodedata

import gender_guesser
import names
import names_dataset
import stop_words
import wordfreq

HERE = os.path.dirname(os.path.abspath(__file__))
N_CENSUS_FEMALE = 1500
N_CENSUS_MALE = 1000
N_CENSUS_LAST = 5000
# nam_dict.txt: a name counts when it is at least "not rare" (4) in one of the
# 55 country columns (offset 30 + index, see the header of the file)
NAM_DICT_COUNTRIES = 55
NAM_DICT_MIN_FREQ = 4
# names-dataset: the most frequent names of each country
N_DS_FIRST = 700
N_DS_LAST = 1500
# a dataset-only entry must be at least this long (`Li`, `Ng` come from the
# curated lists or not at all)
DS_MIN_LEN = 3
# a name that is this frequent as a word in some language is a "name word"
ZIPF_WORD = 6.0
# ... and a name that only names-dataset has, this frequent
ZIPF_WORD_DATASET = 5.0
WORDFREQ_LANGS = ["en", "es", "pt", "it", "fr", "de", "nl", "sv", "da", "nb", "fi", "pl", "cs",
                  "sk", "ro", "hu", "el", "lt", "lv", "tr", "id", "ms", "fil", "ca", "sl", "bg",
                  "ru", "uk", "is", "vi"]

TOKEN = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")


def script_ok(s):
    """Latin, Greek or Cyrillic letters (with '-' and apostrophes)."""
    for ch in s:
        if ch in "-'’":
            continue
        n = unicodedata.name(ch, "")
        if not (n.startswith("LATIN") or n.startswith("GREEK") or n.startswith("CYRILLIC")):
            return False
    return True


def norm(s):
    return unicodedata.normalize("NFC", s.strip())


def census(path, n):
    out = []
    with open(path) as f:
        for line in f:
            out.append(line.split()[0].capitalize())
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
            cols = line[30:30 + NAM_DICT_COUNTRIES]
            best = 0
            for c in cols:
                if c in "123456789ABCD":
                    best = max(best, int(c, 16))
            if best >= NAM_DICT_MIN_FREQ:
                out.append(norm(name))
    return out


def dataset(fn, n):
    path = os.path.join(os.path.dirname(names_dataset.__file__), "v3", fn)
    with gzip.open(path, "rb") as f:
        d = pickle.load(f)
    by_country = collections.defaultdict(list)
    for name, info in d.items():
        name = norm(name)
        if len(name) < DS_MIN_LEN or not TOKEN.match(name) or not script_ok(name):
            continue
        for country, rank in info["rank"].items():
            by_country[country].append((rank, name))
    out = set()
    for country in sorted(by_country):
        ranked = sorted(by_country[country])
        out.update(name for _, name in ranked[:n])
    return sorted(out)


def function_words():
    d = os.path.join(os.path.dirname(stop_words.__file__), "stop-words")
    words = set()
    for fn in sorted(os.listdir(d)):
        if fn.endswith(".txt"):
            with open(os.path.join(d, fn), encoding="utf-8") as f:
                words.update(norm(w).lower() for w in f if w.strip())
    return words


def usable(name):
    return len(name) >= 2 and TOKEN.match(name) is not None and script_ok(name)


def write(path, items):
    seen = set()
    uniq = []
    for it in items:
        k = it.lower()
        if k in seen:
            continue
        seen.add(k)
        uniq.append(k)
    uniq.sort()
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(uniq) + "\n")
    print(f"{path}: {len(uniq)} names, {os.path.getsize(path)} bytes", file=sys.stderr)
    return seen


def main():
    ndir = os.path.dirname(names.__file__)
    stop = function_words()
    curated_first = census(os.path.join(ndir, "dist.female.first"), N_CENSUS_FEMALE)
    curated_first += census(os.path.join(ndir, "dist.male.first"), N_CENSUS_MALE)
    curated_first += nam_dict()
    curated_last = census(os.path.join(ndir, "dist.all.last"), N_CENSUS_LAST)
    ds_first = [x for x in dataset("first_names.pkl.gz", N_DS_FIRST) if x.lower() not in stop]
    ds_last = [x for x in dataset("last_names.pkl.gz", N_DS_LAST) if x.lower() not in stop]
    first = [x for x in curated_first + ds_first if usable(x)]
    last = [x for x in curated_last + ds_last if usable(x)]
    all_first = write(os.path.join(HERE, "first_names.txt"), first)
    all_last = write(os.path.join(HERE, "last_names.txt"), last)
    curated = {x.lower() for x in curated_first + curated_last}
    words = []
    for name in sorted(all_first | all_last):
        z = max(wordfreq.zipf_frequency(name, lang) for lang in WORDFREQ_LANGS)
        if name in stop or z >= ZIPF_WORD or (name not in curated and z >= ZIPF_WORD_DATASET):
            words.append(name)
    write(os.path.join(HERE, "name_words.txt"), words)
    # function words that are no name at all: never part of a name
    names_all = all_first | all_last
    non_names = [w for w in sorted(stop) if w not in names_all and usable(w)]
    write(os.path.join(HERE, "non_names.txt"), non_names)


if __name__ == "__main__":
    main()
