#!/usr/bin/env python3
"""Generates the HELD-OUT labelled PII corpus of probity-pii (heldout.jsonl).

This corpus is for measuring generalisation only. It is never used for
tuning: detectors must not be changed to fit it, and this generator is only
ever changed to fix a labelling bug (a wrong offset, a value that is not
really what its label says), never after looking at what a detector finds.

It was written independently of corpus/generate.py: other Faker locales
(none of en_US, en_GB, de_DE, fr_FR, en_IN), other sentence templates (support
tickets, CRM notes, log lines, chat messages, form dumps, e-mail signatures,
in Spanish, Italian, Dutch, Portuguese, Swedish, Polish, English, German and
French), other column names and other negatives.

One JSON object per line, the same format as corpus.jsonl:
  {"column": str, "text": str,
   "kind": "positive" | "hard_negative" | "plain_negative",
   "entities": [{"type": <EntityType snake_case>, "start": int, "end": int}]}
Offsets are UTF-8 BYTE offsets into `text` (what tests/corpus.rs and the
eval module compare with the scanner's byte offsets). Every piece of
personal data or secret in a cell is labelled, the main value and anything
around it (names, e-mails, phones, addresses, dates of birth).

Truthful labels: every national identifier, card number and IBAN is checked
with python-stdnum (its own implementation of the issuers' algorithms) before
it is written; NINO, Medicare and NRIC/FIN, which stdnum has no module for,
are checked with the issuers' published rules implemented below. Every phone
number is checked with python-phonenumbers (is_valid_number). The writer
re-checks every label at the end (`check_labels`).

Deterministic: `random.Random(SEED)` and seeded Faker instances. Pinned
versions (other versions may draw other values):
  faker==40.63.0  python-stdnum==2.2  phonenumbers==9.0.43
Regenerate (from the repository root):
  python3 -m venv /tmp/pii-venv
  /tmp/pii-venv/bin/pip install faker==40.63.0 python-stdnum==2.2 phonenumbers==9.0.43
  /tmp/pii-venv/bin/python crates/pii/corpus/generate_heldout.py
"""
import base64
import datetime
import json
import os
import random
import re
import string
import sys
import unicodedata
import uuid

if os.environ.get("PYTHONHASHSEED") != "0":
    # some Faker locales (it_IT cities) draw from sets, whose order follows the
    # string hash seed: fix it, so that the output is the same on every run
    os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, "PYTHONHASHSEED": "0"})

import phonenumbers
from faker import Faker
from stdnum import ean as std_ean
from stdnum import iban as std_iban
from stdnum import isbn as std_isbn
from stdnum import luhn, verhoeff
from stdnum.au import tfn as std_tfn
from stdnum.br import cnpj as std_cnpj
from stdnum.br import cpf as std_cpf
from stdnum.ca import sin as std_sin
from stdnum.de import idnr as std_idnr
from stdnum.es import dni as std_dni
from stdnum.es import nie as std_nie
from stdnum.eu import vat as std_vat
from stdnum.fr import nir as std_nir
from stdnum.gb import nhs as std_nhs
from stdnum.in_ import aadhaar as std_aadhaar
from stdnum.in_ import pan as std_pan
from stdnum.it import codicefiscale as std_cf
from stdnum.nl import bsn as std_bsn
from stdnum.pl import pesel as std_pesel
from stdnum.se import personnummer as std_pnr
from stdnum.us import ssn as std_ssn

SEED = 90_417_2026
R = random.Random(SEED)
LOCALES = ["es_ES", "es_MX", "it_IT", "nl_NL", "pt_BR", "sv_SE", "pl_PL", "en_AU",
           "en_CA", "en_NZ", "en_IE", "de_AT", "de_CH", "fr_CA", "fr_CH"]
LANG = {"es_ES": "es", "es_MX": "es", "it_IT": "it", "nl_NL": "nl", "pt_BR": "pt",
        "sv_SE": "sv", "pl_PL": "pl", "en_AU": "en", "en_CA": "en", "en_NZ": "en",
        "en_IE": "en", "de_AT": "de", "de_CH": "de", "fr_CA": "fr", "fr_CH": "fr"}
REGION = {"es_ES": "ES", "es_MX": "MX", "it_IT": "IT", "nl_NL": "NL", "pt_BR": "BR",
          "sv_SE": "SE", "pl_PL": "PL", "en_AU": "AU", "en_CA": "CA", "en_NZ": "NZ",
          "en_IE": "IE", "de_AT": "AT", "de_CH": "CH", "fr_CA": "CA", "fr_CH": "CH"}
FK = {}
for _i, _lc in enumerate(LOCALES):
    FK[_lc] = Faker(_lc)
    FK[_lc].seed_instance(SEED + 17 * _i)

CELLS = []


def pick(xs):
    return xs[R.randrange(len(xs))]


def chance(p):
    return R.random() < p


def digits(n):
    return "".join(R.choice(string.digits) for _ in range(n))


def upper(n):
    return "".join(R.choice(string.ascii_uppercase) for _ in range(n))


def emit(column, parts, kind="positive"):
    """parts: str, or (entity_type, value) for a labelled span."""
    text = ""
    ents = []
    for p in parts:
        if isinstance(p, tuple):
            typ, val = p
            start = len(text.encode("utf-8"))
            text += val
            ents.append({"type": typ, "start": start, "end": len(text.encode("utf-8"))})
        else:
            text += p
    assert kind == "positive" or not ents, (kind, text)
    CELLS.append({"column": column, "text": text, "kind": kind, "entities": ents})


# ------------------------------------------------------------------ people

IN_FIRST = ["Aarav", "Vihaan", "Ananya", "Diya", "Rohan", "Priya", "Karthik", "Meera", "Arjun", "Sneha",
            "Rahul", "Kavya", "Siddharth", "Pooja", "Aditya", "Lakshmi", "Nikhil", "Divya", "Varun", "Shreya"]
IN_LAST = ["Sharma", "Iyer", "Reddy", "Nair", "Patel", "Gupta", "Menon", "Kulkarni", "Chatterjee", "Rao",
           "Deshpande", "Pillai", "Banerjee", "Joshi", "Mehta", "Bhat", "Saxena", "Verma", "Krishnan", "Desai"]
SG_NAMES = ["Tan Wei Ming", "Lim Hui Ling", "Nur Aisyah binte Rahman", "Muhammad Faris bin Ismail",
            "Priya d/o Subramaniam", "Ong Jia Hui", "Goh Kok Leong", "Siti Nurhaliza binte Ahmad",
            "Lee Jun Jie", "Chua Mei Ling", "Rajesh s/o Kumar", "Wong Kai Xin", "Ng Zhi Hao",
            "Koh Li Ting", "Farah binte Osman", "Teo Boon Kiat"]

FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE",
                      "đ": "d", "ı": "i", "œ": "oe"})


def ascii_fold(s):
    s = unicodedata.normalize("NFKD", s.translate(FOLD))
    return "".join(c for c in s if c.isascii())


MAIL_DOMAINS = {
    "es_ES": ["gmail.com", "hotmail.es", "yahoo.es", "telefonica.net", "outlook.es"],
    "es_MX": ["gmail.com", "hotmail.com", "prodigy.net.mx", "yahoo.com.mx"],
    "it_IT": ["libero.it", "virgilio.it", "tiscali.it", "alice.it", "gmail.com"],
    "nl_NL": ["ziggo.nl", "kpnmail.nl", "hotmail.nl", "xs4all.nl", "gmail.com"],
    "pt_BR": ["uol.com.br", "bol.com.br", "terra.com.br", "gmail.com", "hotmail.com"],
    "sv_SE": ["telia.com", "bredband.net", "gmail.com", "hotmail.se"],
    "pl_PL": ["wp.pl", "onet.pl", "interia.pl", "o2.pl", "gmail.com"],
    "en_AU": ["bigpond.com", "optusnet.com.au", "gmail.com", "outlook.com.au"],
    "en_CA": ["rogers.com", "shaw.ca", "sympatico.ca", "gmail.com"],
    "en_NZ": ["xtra.co.nz", "gmail.com", "slingshot.co.nz"],
    "en_IE": ["eircom.net", "gmail.com", "hotmail.ie"],
    "de_AT": ["gmx.at", "aon.at", "chello.at", "gmail.com"],
    "de_CH": ["bluewin.ch", "gmx.ch", "hispeed.ch", "gmail.com"],
    "fr_CA": ["videotron.ca", "gmail.com", "hotmail.ca"],
    "fr_CH": ["bluewin.ch", "gmail.com", "sunrise.ch"],
}
CO_WORDS = {
    "es": (["Logística", "Suministros", "Talleres", "Distribuciones", "Servicios"], ["Atlántica", "del Norte", "Iberia", "Sur", "Levante"], ["S.L.", "S.A.", "SL"]),
    "it": (["Ferramenta", "Trasporti", "Officine", "Forniture", "Servizi"], ["Nord", "Adriatica", "Lombarda", "Tirrena", "Alpina"], ["S.r.l.", "S.p.A.", "srl"]),
    "nl": (["Transport", "Installatie", "Bouw", "Techniek", "Groothandel"], ["Noord", "Delta", "Randstad", "Oost", "Zuid"], ["B.V.", "BV", "N.V."]),
    "pt": (["Comércio", "Transportes", "Distribuidora", "Serviços", "Indústria"], ["Paulista", "do Sul", "Atlântico", "Central", "Nordeste"], ["Ltda.", "S.A.", "ME"]),
    "sv": (["Bygg", "Transport", "Teknik", "Logistik", "Fastighets"], ["Norr", "Väst", "Syd", "Öst", "Mälardalen"], ["AB", "HB"]),
    "pl": (["Transport", "Budownictwo", "Usługi", "Handel", "Serwis"], ["Północ", "Mazowsze", "Śląsk", "Pomorze", "Polska"], ["Sp. z o.o.", "S.A."]),
    "en": (["Coastal", "Summit", "Harbour", "Pacific", "Maple"], ["Logistics", "Supplies", "Engineering", "Traders", "Holdings"], ["Pty Ltd", "Ltd", "Inc.", "Limited"]),
    "de": (["Alpen", "Donau", "Rhein", "Berg", "Tal"], ["Logistik", "Handel", "Technik", "Bau", "Versand"], ["GmbH", "AG", "KG"]),
    "fr": (["Transports", "Ateliers", "Services", "Distribution", "Fournitures"], ["du Léman", "Laurentides", "Romandie", "Alpes", "Québec"], ["SA", "Sàrl", "inc."]),
}


def company(lc):
    a, b, c = CO_WORDS[LANG[lc]]
    return f"{pick(a)} {pick(b)} {pick(c)}"


def co_domain(lc):
    a, b, _ = CO_WORDS[LANG[lc]]
    tld = {"es_ES": "es", "es_MX": "com.mx", "it_IT": "it", "nl_NL": "nl", "pt_BR": "com.br", "sv_SE": "se",
           "pl_PL": "pl", "en_AU": "com.au", "en_CA": "ca", "en_NZ": "co.nz", "en_IE": "ie", "de_AT": "at",
           "de_CH": "ch", "fr_CA": "ca", "fr_CH": "ch"}[lc]
    w = re.sub(r"[^a-z]", "", ascii_fold(pick(a)).lower()) + "-" + re.sub(r"[^a-z]", "", ascii_fold(pick(b)).lower())
    return f"{w}.{tld}"


class Who:
    """One person of a locale: name parts and an e-mail built from them."""

    def __init__(self, lc, pool=None):
        self.lc = lc
        if pool == "in":
            self.first, self.last = pick(IN_FIRST), pick(IN_LAST)
        elif pool == "sg":
            self.full = pick(SG_NAMES)
            m = re.match(r"(.+?) (bin|binte|d/o|s/o) (.+)", self.full)
            if m:
                self.first, self.last = m.group(1), m.group(3)
            else:
                self.last, self.first = self.full.split(" ", 1)
        else:
            f = FK[lc]
            self.first, self.last = f.first_name(), f.last_name()
            if LANG[lc] == "es" and chance(0.5):
                self.last = f"{self.last} {f.last_name()}"
        if pool != "sg":
            self.full = f"{self.first} {self.last}"

    @property
    def name(self):
        return self.full

    def email(self):
        fo = re.sub(r"[^a-z0-9]", "", ascii_fold(self.first).lower()) or "info"
        la = re.sub(r"[^a-z0-9]", "", ascii_fold(self.last.split(" ")[0]).lower()) or "mail"
        r = R.random()
        if r < 0.3:
            local = f"{fo}.{la}"
        elif r < 0.5:
            local = f"{fo[0]}{la}"
        elif r < 0.65:
            local = f"{fo}{la}{R.randrange(1, 99)}"
        elif r < 0.75:
            local = f"{la}.{fo}"
        elif r < 0.85:
            local = f"{fo}_{la}"
        else:
            local = f"{fo}.{la}+{pick(['pedidos', 'shop', 'news', 'work', 'facturas', 'orders'])}"
        dom = pick(MAIL_DOMAINS.get(self.lc, ["gmail.com"])) if chance(0.6) else co_domain(self.lc)
        return f"{local}@{dom}"


# ------------------------------------------------------------------ values

def email_value(lc):
    r = R.random()
    if r < 0.55:
        e = Who(lc).email()
    elif r < 0.8:
        e = pick([FK[lc].free_email, FK[lc].company_email, FK[lc].email])()
    else:
        e = pick(["soporte", "info", "facturacion", "ventas", "contatto", "klantenservice", "kundtjanst",
                  "biuro", "atendimento", "office", "buchhaltung", "comptabilite", "accounts", "helpdesk"]) + "@" + co_domain(lc)
    e = ascii_fold(e)
    if chance(0.05):
        e = e.upper()
    elif chance(0.05):
        local, dom = e.split("@")
        e = local.capitalize() + "@" + dom
    assert re.fullmatch(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", e), e
    return e


# leading national digits and total national length, per region
PHONE_PLANS = {
    "ES": [("6", 9), ("7", 9), ("91", 9), ("93", 9), ("95", 9), ("96", 9), ("98", 9)],
    "MX": [("55", 10), ("33", 10), ("81", 10), ("222", 10), ("442", 10), ("998", 10), ("664", 10)],
    "IT": [("32", 10), ("33", 10), ("34", 10), ("36", 10), ("38", 10), ("39", 10), ("06", 10), ("02", 10), ("011", 10), ("055", 10), ("081", 9)],
    "NL": [("6", 9), ("20", 9), ("10", 9), ("70", 9), ("30", 9), ("40", 9), ("50", 9)],
    "BR": [("119", 11), ("219", 11), ("319", 11), ("419", 11), ("519", 11), ("619", 11), ("719", 11), ("819", 11), ("113", 10), ("213", 10), ("312", 10)],
    "SE": [("70", 9), ("72", 9), ("73", 9), ("76", 9), ("79", 9), ("8", 9), ("31", 9), ("40", 9), ("18", 8)],
    "PL": [("50", 9), ("51", 9), ("53", 9), ("57", 9), ("60", 9), ("66", 9), ("69", 9), ("72", 9), ("78", 9), ("79", 9), ("88", 9), ("22", 9), ("12", 9), ("61", 9)],
    "AU": [("4", 9), ("2", 9), ("3", 9), ("7", 9), ("8", 9)],
    "CA": [("416", 10), ("647", 10), ("604", 10), ("778", 10), ("514", 10), ("438", 10), ("403", 10), ("613", 10), ("902", 10), ("780", 10), ("905", 10), ("819", 10), ("418", 10)],
    "NZ": [("21", 9), ("22", 9), ("27", 9), ("9", 8), ("4", 8), ("3", 8), ("7", 8)],
    "IE": [("83", 9), ("85", 9), ("86", 9), ("87", 9), ("89", 9), ("1", 8), ("21", 9), ("91", 9)],
    "AT": [("664", 10), ("650", 10), ("660", 10), ("676", 10), ("699", 11), ("1", 9), ("316", 10), ("512", 10)],
    "CH": [("75", 9), ("76", 9), ("77", 9), ("78", 9), ("79", 9), ("21", 9), ("22", 9), ("31", 9), ("44", 9), ("61", 9), ("91", 9)],
}
CC = {"ES": "34", "MX": "52", "IT": "39", "NL": "31", "BR": "55", "SE": "46", "PL": "48", "AU": "61",
      "CA": "1", "NZ": "64", "IE": "353", "AT": "43", "CH": "41"}
PNF = phonenumbers.PhoneNumberFormat


def phone_value(lc):
    reg = REGION[lc]
    while True:
        lead, n = pick(PHONE_PLANS[reg])
        nat = lead + digits(n - len(lead))
        if reg == "CA" and (nat[3] in "01" or nat[3:6] == "555"):
            continue
        num = phonenumbers.parse("+" + CC[reg] + nat)
        if phonenumbers.is_valid_number(num) and phonenumbers.region_code_for_number(num) == reg:
            break
    national = phonenumbers.format_number(num, PNF.NATIONAL)
    intl = phonenumbers.format_number(num, PNF.INTERNATIONAL)
    r = R.random()
    if r < 0.33:
        out = national
    elif r < 0.6:
        out = intl
    elif r < 0.7:
        out = phonenumbers.format_number(num, PNF.E164)
    elif r < 0.8:
        out = re.sub(r"[^0-9]", "", national)
    elif r < 0.87:
        out = "00" + intl[1:]
    elif r < 0.94:
        if reg == "CA":
            out = pick(["{a}-{b}-{c}", "{a}.{b}.{c}", "+1-{a}-{b}-{c}", "1 ({a}) {b}-{c}"]).format(a=nat[:3], b=nat[3:6], c=nat[6:])
        elif national.startswith("0") and reg in ("NL", "CH", "AT", "SE", "NZ", "IE", "AU"):
            out = f"+{CC[reg]} (0){national[1:]}"
        else:
            out = national.replace(" ", "-")
    else:
        out = intl.replace(" ", "-") if reg != "CA" else intl
    return out


CARD_SCHEMES = [
    ("visa", lambda: "4" + digits(2), [16, 16, 16, 19, 13]),
    ("mastercard", lambda: str(R.randrange(51, 56)), [16]),
    ("mastercard2", lambda: str(R.randrange(2221, 2721)), [16]),
    ("amex", lambda: pick(["34", "37"]), [15]),
    ("discover", lambda: pick(["6011", str(R.randrange(644, 650)), "65"]), [16]),
    ("jcb", lambda: str(R.randrange(3528, 3590)), [16]),
    ("maestro", lambda: pick(["5018", "5020", "5038", "5893", "6304", "6759", "6761", "6762", "6763"]), [16, 16, 19]),
    ("unionpay", lambda: pick(["62" + str(R.randrange(2126, 2926)), "624", "625", "626", "6282", "6288"]), [16, 16, 19]),
    ("diners", lambda: pick(["36", "300", "301", "302", "303", "304", "305", "38"]), [14]),
]


def card_value():
    brand, prefix, lengths = pick(CARD_SCHEMES)
    p = prefix()
    n = pick(lengths)
    body = p + digits(n - 1 - len(p))
    num = body + luhn.calc_check_digit(body)
    assert luhn.is_valid(num) and len(num) == n
    r = R.random()
    if r < 0.3:
        return num
    sep = " " if r < 0.75 else "-"
    if n == 15:
        sizes = [4, 6, 5]
    elif n == 14:
        sizes = [4, 6, 4]
    else:
        sizes = [4] * (n // 4) + ([n % 4] if n % 4 else [])
    out, i = [], 0
    for s in sizes:
        out.append(num[i:i + s])
        i += s
    return sep.join(out)


# country: (BBAN length, character classes: n digit, a upper letter, c alnum)
IBAN_SPECS = {"ES": "20n", "IT": "1a10n12c", "NL": "4a10n", "SE": "20n", "PL": "24n", "IE": "4a14n",
              "AT": "16n", "CH": "5n12c", "BR": "23n1a1c", "PT": "21n", "BE": "12n", "DK": "14n",
              "FI": "14n", "LU": "3n13c", "NO": "11n"}
IBAN_W = ["ES", "ES", "IT", "IT", "NL", "NL", "SE", "PL", "PL", "IE", "AT", "CH", "BR", "PT", "BE", "DK", "FI", "LU", "NO"]


def iban_value():
    cc = pick(IBAN_W)
    while True:
        bban = ""
        for cnt, cls in re.findall(r"(\d+)([nac])", IBAN_SPECS[cc]):
            alphabet = {"n": string.digits, "a": string.ascii_uppercase, "c": string.ascii_uppercase + string.digits}[cls]
            bban += "".join(R.choice(alphabet) for _ in range(int(cnt)))
        check = 98 - int("".join(str(int(ch, 36)) for ch in bban + cc + "00")) % 97
        ib = f"{cc}{check:02d}{bban}"
        if std_iban.is_valid(ib):
            break
    if chance(0.6):
        return " ".join(ib[i:i + 4] for i in range(0, len(ib), 4))
    return ib


def ssn_value():
    while True:
        s = f"{R.randrange(1, 900):03d}{R.randrange(1, 100):02d}{R.randrange(1, 10000):04d}"
        if std_ssn.is_valid(s):
            break
    r = R.random()
    if r < 0.6:
        return f"{s[:3]}-{s[3:5]}-{s[5:]}"
    if r < 0.75:
        return f"{s[:3]} {s[3:5]} {s[5:]}"
    return s


def ipv4_value():
    r = R.random()
    if r < 0.25:
        return f"10.{R.randrange(256)}.{R.randrange(256)}.{R.randrange(1, 255)}"
    if r < 0.4:
        return f"192.168.{R.randrange(256)}.{R.randrange(1, 255)}"
    if r < 0.5:
        return f"172.{R.randrange(16, 32)}.{R.randrange(256)}.{R.randrange(1, 255)}"
    while True:
        a = R.randrange(1, 224)
        if a not in (10, 127, 172, 192):
            return f"{a}.{R.randrange(256)}.{R.randrange(256)}.{R.randrange(1, 255)}"


def ipv6_value():
    r = R.random()
    if r < 0.35:
        words = [f"{R.randrange(65536):x}" for _ in range(8)]
        words[0] = pick(["2001", "2a02", "2a01", "2600", "2804", "2403", "2c0f"])
        s = ":".join(words)
    elif r < 0.6:
        pre = pick(["2001:db8", "2a02:1810", "2001:67c:2e8", "2804:14c", "2a00:1450:4001", "2607:f8b0:4004"])
        s = pre + "::" + ":".join(f"{R.randrange(65536):x}" for _ in range(R.randrange(1, 4)))
    elif r < 0.8:
        s = "fe80::" + ":".join(f"{R.randrange(65536):x}" for _ in range(4))
    elif r < 0.9:
        s = f"fd{R.randrange(256):02x}:{R.randrange(65536):x}:{R.randrange(65536):x}::{R.randrange(1, 65536):x}"
    else:
        words = [f"{R.randrange(65536):04x}" for _ in range(8)]
        words[0] = "2001"
        s = ":".join(words)
    if chance(0.15):
        s = s.upper()
    return s


def mac_value(bare_ok=False):
    b = [R.randrange(256) for _ in range(6)]
    b[0] &= 0xFC
    h = "".join(f"{x:02x}" for x in b)
    r = R.random()
    if r < 0.35:
        return ":".join(h[i:i + 2] for i in range(0, 12, 2))
    if r < 0.6:
        return ":".join(h[i:i + 2] for i in range(0, 12, 2)).upper()
    if r < 0.8:
        return "-".join(h[i:i + 2] for i in range(0, 12, 2)).upper()
    if r < 0.92 or not bare_ok:
        return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"
    return h.upper() if chance(0.5) else h


MONTHS = {
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"],
    "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"],
    "pl": ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
}


def fmt_date(d, lc, long_ok=True):
    lang = LANG[lc]
    months = list(MONTHS[lang])
    if lc == "de_AT":
        months[0] = "Jänner"
    r = R.random()
    if long_ok and r < 0.25:
        m = months[d.month - 1]
        if lang in ("es", "pt"):
            return f"{d.day} de {m} de {d.year}"
        if lang == "de":
            return f"{d.day}. {m} {d.year}"
        if lc == "en_CA":
            return f"{m} {d.day}, {d.year}"
        if lang == "en" and chance(0.3):
            return f"{d.day:02d}-{m[:3]}-{d.year}"
        return f"{d.day} {m} {d.year}"
    if lc in ("sv_SE", "en_CA", "fr_CA") or (r > 0.9):
        return d.isoformat()
    if lang in ("de", "pl") or lc == "fr_CH":
        if lang == "de" and chance(0.15):
            return f"{d.day:02d}.{d.month:02d}.{d.year % 100:02d}"
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if lang == "nl":
        return f"{d.day:02d}-{d.month:02d}-{d.year}" if chance(0.7) else f"{d.day}-{d.month}-{d.year}"
    if chance(0.8):
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    return f"{d.day}/{d.month}/{d.year}"


def birth_date(lo=1930, hi=2007):
    """A date of birth (Faker's are relative to today, which would make the file change daily)."""
    start = datetime.date(lo, 1, 1)
    return start + datetime.timedelta(days=R.randrange((datetime.date(hi, 12, 31) - start).days + 1))


def dob_value(lc):
    d = birth_date(2008, 2023) if chance(0.1) else birth_date()
    return fmt_date(d, lc)


def recent_date(lc):
    d = datetime.date(2023, 1, 1) + datetime.timedelta(days=R.randrange(0, 1000))
    return fmt_date(d, lc, long_ok=False)


def passport_value(lc):
    reg = REGION[lc]
    if lc == "es_ES":
        return upper(3) + digits(6)
    if lc == "es_MX":
        return upper(1) + digits(8)
    if reg == "IT":
        return upper(2) + digits(7)
    if reg == "NL":
        alnum = "ABCDEFGHIJKLMNPQRSTUVWXYZ0123456789"
        return "".join(R.choice("ABCDEFGHIJKLMNPRSTUVWXYZ") for _ in range(2)) + "".join(R.choice(alnum) for _ in range(6)) + digits(1)
    if reg == "BR":
        return upper(2) + digits(6)
    if reg == "SE":
        return digits(8)
    if reg == "PL":
        return upper(2) + digits(7)
    if reg == "AU":
        return pick(["PA", "PB", "PE", "N", "M"]) + digits(7)
    if reg == "CA":
        return upper(2) + digits(6)
    if reg == "NZ":
        return pick(["LA", "LB", "LH", "LM", "RA"]) + digits(6)
    if reg == "IE":
        return pick(["P", "L", "T"]) + upper(1) + digits(7)
    if reg == "AT":
        return pick(["P", "U"]) + digits(7)
    return pick(["X", "S"]) + digits(7)  # CH


def licence_value(lc):
    reg = REGION[lc]
    if reg == "IT":
        return upper(2) + digits(7) + upper(1)
    if reg == "NL":
        return str(R.randrange(1, 10)) + digits(9)
    if reg == "BR":
        return digits(11)
    if reg == "PL":
        return f"{digits(5)}/{R.randrange(0, 25):02d}/{digits(4)}"
    if reg == "AU":
        return pick([digits(8), digits(9), digits(10)]) if chance(0.7) else upper(1) + digits(7)
    if reg == "CA":
        if lc == "fr_CA" or chance(0.3):
            return f"{upper(1)}{digits(4)}-{digits(6)}-{digits(2)}"  # Quebec
        return f"{upper(1)}{digits(4)}-{digits(5)}-{digits(5)}"  # Ontario
    if reg == "NZ":
        return upper(2) + digits(6)
    if reg == "IE":
        return digits(9)
    if reg == "AT":
        return digits(8)
    if reg == "MX":
        return upper(1) + digits(8)
    raise KeyError(lc)


def street_value(lc):
    while True:
        a = FK[lc].street_address()
        if not re.search(r"\b(box|bag|apartado|casilla|postbus|caixa postal|skrytka)\b", a, re.I):
            break  # a post-office box is an address, but not a street address
    return re.sub(r"\s+,", ",", re.sub(r"\s+", " ", a.replace("\n", ", "))).strip()


# ---- national identifiers (each checked by stdnum or the issuer's rules)

def nhs_value():
    while True:
        body = pick(["4", "6", "7"]) + digits(8)
        total = sum(int(d) * w for d, w in zip(body, range(10, 1, -1)))
        c = 11 - total % 11
        if c == 11:
            c = 0
        if c == 10:
            continue
        v = body + str(c)
        if std_nhs.is_valid(v) and len(set(v)) > 1:
            break
    r = R.random()
    if r < 0.55:
        return f"{v[:3]} {v[3:6]} {v[6:]}"
    if r < 0.65:
        return f"{v[:3]}-{v[3:6]}-{v[6:]}"
    return v


NINO_BAD1 = set("DFIQUV")
NINO_BAD2 = set("DFIOQUV")
NINO_BAD_PAIR = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def nino_valid(s):
    s = s.replace(" ", "").upper()
    return (re.fullmatch(r"[A-Z]{2}\d{6}[A-D]", s) is not None and s[0] not in NINO_BAD1
            and s[1] not in NINO_BAD2 and s[:2] not in NINO_BAD_PAIR)


def nino_value():
    while True:
        v = upper(2) + digits(6) + pick("ABCD")
        if nino_valid(v):
            break
    r = R.random()
    if r < 0.45:
        out = v
    elif r < 0.85:
        out = f"{v[:2]} {v[2:4]} {v[4:6]} {v[6:8]} {v[8]}"
    else:
        out = f"{v[:2]} {v[2:8]} {v[8]}"
    return out


def de_idnr_value():
    while True:
        body = str(R.randrange(1, 10)) + digits(9)
        counts = [body.count(d) for d in set(body)]
        if sorted(counts, reverse=True)[:2] not in ([2, 1], [3, 1]):
            continue
        if re.search(r"(\d)\1\1", body):  # BZSt: no digit three times in a row
            continue
        for c in string.digits:
            if std_idnr.is_valid(body + c):
                v = body + c
                break
        else:
            continue
        if not re.search(r"(\d)\1\1", v):
            break
    return f"{v[:2]} {v[2:5]} {v[5:8]} {v[8:]}" if chance(0.5) else v


def nir_value():
    while True:
        sex = pick("1212")
        yy = f"{R.randrange(0, 100):02d}"
        mm = f"{R.randrange(1, 13):02d}"
        dep = pick([f"{R.randrange(1, 96):02d}", f"{R.randrange(1, 96):02d}", "2A", "2B", "75", "69", "13"])
        if dep == "20":
            continue
        com = f"{R.randrange(1, 900):03d}"
        order = f"{R.randrange(1, 1000):03d}"
        body = sex + yy + mm + dep + com + order
        v = body + std_nir.calc_check_digits(body)
        if std_nir.is_valid(v):
            break
    r = R.random()
    if r < 0.5:
        return f"{v[0]} {v[1:3]} {v[3:5]} {v[5:7]} {v[7:10]} {v[10:13]} {v[13:]}"
    if r < 0.65:
        return f"{v[:13]} {v[13:]}"
    return v


def dni_value():
    body = f"{R.randrange(1, 100_000_000):08d}"
    v = body + std_dni.calc_check_digit(body)
    assert std_dni.is_valid(v)
    r = R.random()
    if r < 0.6:
        return v
    if r < 0.8:
        return f"{body}-{v[-1]}"
    if r < 0.93:
        return f"{body[:2]}.{body[2:5]}.{body[5:]}-{v[-1]}"
    return f"{body} {v[-1]}"


def nie_value():
    body = pick("XXYZ") + digits(7)
    v = body + std_nie.calc_check_digit(body)
    assert std_nie.is_valid(v)
    r = R.random()
    if r < 0.7:
        return v
    if r < 0.9:
        return f"{v[0]}-{v[1:8]}-{v[8]}"
    return f"{v[0]} {v[1:8]} {v[8]}"


def cf_value():
    while True:
        v = FK["it_IT"].ssn()
        if std_cf.is_valid(v):
            return v


def bsn_value():
    while True:
        v = FK["nl_NL"].ssn() if chance(0.5) else str(R.randrange(1, 10)) + digits(8)
        if std_bsn.is_valid(v):
            break
    return f"{v[:4]}.{v[4:6]}.{v[6:]}" if chance(0.25) else v


def pnr_value():
    while True:
        d = birth_date(1935, 2015)
        body = f"{d.year % 100:02d}{d.month:02d}{d.day:02d}{digits(3)}"
        v = f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"  # YYMMDD-NNNC
        if std_pnr.is_valid(v):
            break
    full = f"{d.year}{v[2:6]}"
    r = R.random()
    if r < 0.45:
        out = v
    elif r < 0.7:
        out = f"{full}-{v[7:]}"
    elif r < 0.85:
        out = f"{full}{v[7:]}"
    else:
        out = v.replace("-", "")
    assert std_pnr.is_valid(out), out
    return out


def pesel_value():
    while True:
        d = birth_date(1930, 2015)
        month = d.month + (20 if d.year >= 2000 else 0)
        body = f"{d.year % 100:02d}{month:02d}{d.day:02d}{digits(4)}"
        check = (10 - sum(int(x) * w for x, w in zip(body, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3])) % 10) % 10
        v = body + str(check)
        if std_pesel.is_valid(v):
            return v


def aadhaar_value():
    while True:
        body = str(R.randrange(2, 10)) + digits(10)
        v = body + verhoeff.calc_check_digit(body)
        if std_aadhaar.is_valid(v):
            break
    r = R.random()
    if r < 0.6:
        return f"{v[:4]} {v[4:8]} {v[8:]}"
    if r < 0.7:
        return f"{v[:4]}-{v[4:8]}-{v[8:]}"
    return v


def pan_value(last=None):
    while True:
        holder = pick("PPPPPPCCHFAT")
        init = (ascii_fold(last)[0].upper() if last and holder == "P" else R.choice(string.ascii_uppercase))
        v = upper(3) + holder + init + f"{R.randrange(1, 10000):04d}" + upper(1)
        if std_pan.is_valid(v):
            break
    return v


def tfn_value():
    while True:
        body = str(R.randrange(1, 10)) + digits(7)
        ok = [body + c for c in string.digits if std_tfn.is_valid(body + c)]
        if ok:
            v = ok[0]
            break
    return f"{v[:3]} {v[3:6]} {v[6:]}" if chance(0.6) else v


def medicare_check(d8):
    return sum(int(d) * w for d, w in zip(d8, [1, 3, 7, 9, 1, 3, 7, 9])) % 10


def medicare_valid(s):
    s = s.replace(" ", "")
    return (re.fullmatch(r"[2-6]\d{9,10}", s) is not None and medicare_check(s[:8]) == int(s[8])
            and s[9] != "0" and (len(s) == 10 or s[10] != "0"))


def medicare_value():
    d8 = str(R.randrange(2, 7)) + digits(7)
    v = d8 + str(medicare_check(d8)) + str(R.randrange(1, 10))
    r = R.random()
    if r < 0.55:
        out = f"{v[:4]} {v[4:9]} {v[9]}"
    elif r < 0.8:
        out = v
    else:
        out = v + str(R.randrange(1, 10))
    assert medicare_valid(out)
    return out


def sin_value():
    while True:
        v = FK["en_CA"].ssn().replace(" ", "") if chance(0.5) else str(pick([1, 2, 3, 4, 5, 6, 7, 9])) + digits(8)
        if std_sin.is_valid(v):
            break
    r = R.random()
    if r < 0.5:
        return f"{v[:3]} {v[3:6]} {v[6:]}"
    if r < 0.7:
        return f"{v[:3]}-{v[3:6]}-{v[6:]}"
    return v


def cpf_value():
    while True:
        v = FK["pt_BR"].cpf()
        if std_cpf.is_valid(v):
            break
    return v if chance(0.7) else re.sub(r"\D", "", v)


def cnpj_value():
    while True:
        v = FK["pt_BR"].cnpj()
        if std_cnpj.is_valid(v):
            break
    return v if chance(0.7) else re.sub(r"\D", "", v)


def nric_letter(prefix, d7):
    total = sum(int(d) * w for d, w in zip(d7, [2, 7, 6, 5, 4, 3, 2]))
    if prefix in "TG":
        total += 4
    r = total % 11
    return ("JZIHGFEDCBA" if prefix in "ST" else "XWUTRQPNMLK")[r]


def nric_valid(s):
    return re.fullmatch(r"[STFG]\d{7}[A-Z]", s) is not None and nric_letter(s[0], s[1:8]) == s[8]


def nric_value():
    p = pick("SSSTTFG")
    d7 = digits(7)
    v = p + d7 + nric_letter(p, d7)
    assert nric_valid(v)
    return v


VAT_GEN = {
    "ES": lambda: pick("ABBBCEFGHJ") + digits(7) + R.choice(string.digits),
    "IT": lambda: digits(7) + f"{R.randrange(1, 101):03d}" + R.choice(string.digits),
    "NL": lambda: digits(9) + "B" + f"{R.randrange(1, 20):02d}",
    "SE": lambda: "55" + digits(8) + "01",
    "PL": lambda: digits(10),
    "IE": lambda: digits(7) + R.choice("ABCDEFGHIJKLMNOPQRSTUVW"),
    "AT": lambda: "U" + digits(8),
    "BE": lambda: "0" + digits(9),
    "PT": lambda: pick("5569") + digits(8),
    "DK": lambda: digits(8),
    "FI": lambda: digits(8),
    "LU": lambda: digits(8),
    "CZ": lambda: digits(8),
}
VAT_W = ["ES", "ES", "IT", "IT", "NL", "NL", "SE", "PL", "PL", "IE", "AT", "AT", "BE", "PT", "DK", "FI", "LU", "CZ"]


def vat_value(cc=None):
    cc = cc or pick(VAT_W)
    while True:
        body = VAT_GEN[cc]()
        v = cc + body
        if std_vat.is_valid(v):
            break
    if chance(0.25):
        return f"{cc} {body}"
    return v


# ------------------------------------------------------------------ secrets

B64 = string.ascii_letters + string.digits + "+/"
ALNUM = string.ascii_letters + string.digits


def rs(n, alphabet=ALNUM):
    return "".join(R.choice(alphabet) for _ in range(n))


def aws_value():
    return pick(["AKIA", "AKIA", "ASIA"]) + rs(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def github_value():
    if chance(0.25):
        return "github_pat_11" + rs(20, string.ascii_uppercase + string.digits) + "_" + rs(59)
    return pick(["ghp_", "ghp_", "gho_", "ghs_", "ghu_", "ghr_"]) + rs(36)


def slack_value():
    r = R.random()
    if r < 0.45:
        return f"xoxb-{digits(12)}-{digits(13)}-{rs(24)}"
    if r < 0.8:
        return f"xoxp-{digits(12)}-{digits(12)}-{digits(13)}-{rs(32, '0123456789abcdef')}"
    if r < 0.9:
        return f"xapp-1-A{rs(10, string.ascii_uppercase + string.digits)}-{digits(13)}-{rs(64, '0123456789abcdef')}"
    return f"xoxe.xoxp-1-{rs(140)}"


def stripe_value():
    kind = pick(["sk_live_", "sk_live_", "sk_test_", "rk_live_", "rk_test_", "pk_live_", "pk_test_"])
    return kind + rs(pick([24, 34, 99]))


def google_value():
    return "AIza" + rs(35, ALNUM + "-_")


def b64u(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt_value(lc):
    alg = pick(["HS256", "RS256", "ES256", "HS512", "PS256"])
    head = {"alg": alg, "typ": "JWT"} if chance(0.7) else {"typ": "JWT", "alg": alg, "kid": rs(8)}
    body = {"iss": "https://" + co_domain(lc) + "/auth", "sub": str(uuid.UUID(int=R.getrandbits(128))),
            "exp": R.randrange(1_700_000_000, 1_800_000_000)}
    if chance(0.5):
        body["scope"] = pick(["read:orders", "openid profile", "admin", "api"])
    sig_len = {"HS256": 32, "HS512": 64, "ES256": 64}.get(alg, 256)
    return ".".join([b64u(json.dumps(head, separators=(",", ":")).encode()),
                     b64u(json.dumps(body, separators=(",", ":")).encode()),
                     b64u(bytes(R.randrange(256) for _ in range(sig_len)))])


def pem_value(escaped=False):
    kind = pick(["PRIVATE KEY", "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY",
                 "DSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY"])
    n = {"EC PRIVATE KEY": 121, "OPENSSH PRIVATE KEY": 400}.get(kind, pick([300, 600, 1200]))
    body = base64.b64encode(bytes(R.randrange(256) for _ in range(n))).decode()
    width = 70 if kind == "OPENSSH PRIVATE KEY" else 64
    lines = [f"-----BEGIN {kind}-----"] + [body[i:i + width] for i in range(0, len(body), width)] + [f"-----END {kind}-----"]
    return ("\\n" if escaped else "\n").join(lines)


def url_cred_value(lc):
    who = Who(lc)
    user = re.sub(r"[^a-z0-9]", "", ascii_fold(who.first).lower()) or "app"
    user = pick([user, "admin", "svc_" + user, "deploy", "readonly", user + "." + re.sub(r"[^a-z]", "", ascii_fold(who.last).lower())])
    pw = rs(R.randrange(10, 24), ALNUM + "-_") if chance(0.8) else rs(8) + "%40" + rs(6) + "%21"
    scheme, port, path = pick([("postgresql", ":5432", "/billing"), ("mysql", ":3306", "/crm"), ("mongodb+srv", "", "/prod?retryWrites=true"),
                               ("amqp", ":5672", "/vhost"), ("redis", ":6379", "/0"), ("https", "", "/repo.git"),
                               ("smtp", ":587", ""), ("ftp", ":21", "/upload"), ("sftp", ":22", "/in")])
    host = pick(["db." + co_domain(lc), "cluster0.ab12c.mongodb.net", "mq.internal", co_domain(lc)])
    return f"{scheme}://{user}:{pw}@{host}{port}{path}", host


def entropy_value():
    r = R.random()
    if r < 0.3:
        return rs(R.randrange(24, 48), B64)
    if r < 0.5:
        return rs(pick([32, 40, 64]), "0123456789abcdef")
    if r < 0.7:
        return rs(R.randrange(20, 40), ALNUM + "!#$%&*-_")
    if r < 0.8:
        return "SG." + rs(22, ALNUM + "-_") + "." + rs(43, ALNUM + "-_")
    if r < 0.9:
        return rs(86, B64) + "=="
    return "sk-proj-" + rs(48, ALNUM + "-_")


# ------------------------------------------------------------------ templates

FREE_COLS = {
    "es": ["comentarios", "observaciones", "notas", "descripcion", "mensaje", "nota_interna"],
    "it": ["note", "commenti", "descrizione", "messaggio", "note_interne"],
    "nl": ["opmerkingen", "notities", "omschrijving", "bericht", "toelichting"],
    "pt": ["observacoes", "comentarios", "descricao", "mensagem", "anotacoes"],
    "sv": ["anteckningar", "kommentar", "beskrivning", "meddelande"],
    "pl": ["uwagi", "komentarz", "opis", "wiadomosc", "notatki"],
    "en": ["notes", "comment", "description", "message", "ticket_body", "details", "body"],
    "de": ["bemerkungen", "kommentar", "beschreibung", "nachricht", "notiz"],
    "fr": ["remarques", "commentaire", "description", "message", "notes_internes"],
}
LOG_COLS = ["log", "message", "event", "raw", "log_line", "payload"]


def free_col(lang):
    return pick(FREE_COLS[lang]) if chance(0.8) else pick(FREE_COLS["en"])


PH = re.compile(r"\{(\w+)\}")


def ticket():
    return pick([f"#{R.randrange(10000, 99999)}", f"INC{R.randrange(10**6, 10**7)}", f"TCK-{R.randrange(1000, 99999)}",
                 f"SR {R.randrange(100000, 999999)}", f"CASE-{R.randrange(1000, 9999)}"])


def render(tpl, lc, who, etype=None, value=None):
    parts = []
    pos = 0
    for m in PH.finditer(tpl):
        parts.append(tpl[pos:m.start()])
        key = m.group(1)
        if key == "v":
            parts.append((etype, value))
        elif key == "name":
            parts.append(("person_name", who.name))
        elif key == "first":
            parts.append(("person_name", who.first))
        elif key == "last":
            parts.append(("person_name", who.last))
        elif key == "email":
            parts.append(("email", who.email()))
        elif key == "phone":
            parts.append(("phone", phone_value(lc if lc in REGION else "en_AU")))
        elif key == "dob":
            parts.append(("date_of_birth", dob_value(lc)))
        elif key == "street":
            parts.append(("street_address", street_value(lc)))
        elif key == "ip":
            parts.append(("ipv4", ipv4_value()))
        elif key == "ip6":
            parts.append(("ipv6", ipv6_value()))
        elif key == "mac":
            parts.append(("mac_address", mac_value()))
        elif key == "city":
            parts.append(FK[lc].city())
        elif key == "postcode":
            parts.append(FK[lc].postcode())
        elif key == "domain":
            parts.append(co_domain(lc))
        elif key == "company":
            parts.append(company(lc))
        elif key == "date":
            parts.append(recent_date(lc))
        elif key == "time":
            parts.append(f"{R.randrange(7, 22):02d}:{R.randrange(60):02d}")
        elif key == "ticket":
            parts.append(ticket())
        elif key == "n":
            parts.append(str(R.randrange(2, 40)))
        elif key == "ts":
            t = datetime.datetime(2024, 1, 1) + datetime.timedelta(seconds=R.randrange(0, 86400 * 500))
            parts.append(t.strftime("%Y-%m-%dT%H:%M:%S") + pick(["Z", "+01:00", ".%03dZ" % R.randrange(1000)]))
        elif key == "clf":
            t = datetime.datetime(2024, 1, 1) + datetime.timedelta(seconds=R.randrange(0, 86400 * 500))
            parts.append(t.strftime("%d/%b/%Y:%H:%M:%S +0000"))
        elif key == "pid":
            parts.append(str(R.randrange(200, 65000)))
        elif key == "port":
            parts.append(str(R.randrange(1024, 65535)))
        else:
            raise KeyError(key)
        pos = m.end()
    parts.append(tpl[pos:])
    return parts


def generate(etype, n, value, cols, tpls, locales=None, bare=None, p_col=0.35, p_bare=0.15, pool=None):
    """n cells whose main value is `etype`: bare in a column named for it
    (p_col), in free text without a word naming the type (p_bare, where the
    shape or the situation says what it is), else in a sentence with one.
    tpls: lang -> list of templates (str, or (column, str))."""
    langs = [lang for lang in tpls if lang != "any"]
    locales = locales or [lc for lc in LOCALES if LANG[lc] in langs] or LOCALES
    for _ in range(n):
        lc = pick(locales)
        lang = LANG[lc]
        who = Who(lc, pool)
        v = value(lc, who)
        r = R.random()
        if r < p_col:
            emit(pick(cols), [(etype, v)])
            continue
        if bare and r < p_col + p_bare:
            tpl = pick(bare)
        else:
            pool_t = list(tpls.get(lang, [])) + list(tpls.get("any", []))
            if not pool_t or ("en" in tpls and lang != "en" and chance(0.15)):
                pool_t = tpls["en"]
            tpl = pick(pool_t)
        col = free_col(lang)
        if isinstance(tpl, tuple):
            col, tpl = tpl
            if col == "LOG":
                col = pick(LOG_COLS)
        emit(col, render(tpl, lc, who, etype, v))


# ---- generic personal data

def gen_email(n):
    tpls = {
        "es": ["Por favor, envíen la factura a {v} antes del viernes", "Mi correo es {v}, gracias",
               "El cliente pide cambiar el email de contacto a {v}", "{name} <{v}> ha abierto la incidencia {ticket}",
               "No me llegan los correos a {v}, ¿pueden revisarlo?"],
        "it": ["Inviare la conferma d'ordine a {v}", "La mia mail è {v}", "Il cliente {name} ha aggiornato l'indirizzo email: {v}",
               "Rispondere a {v} per la pratica {ticket}"],
        "nl": ["Stuur de offerte naar {v} aub", "Mijn e-mailadres is gewijzigd naar {v}", "Klant {name} wil alleen contact via {v}",
               "Bevestiging verstuurd naar {v} op {date}"],
        "pt": ["Favor enviar o boleto para {v}", "Meu e-mail é {v}", "Cliente {name} pediu retorno pelo e-mail {v}",
               "Não estou recebendo as notificações no {v}"],
        "sv": ["Skicka kvittot till {v}", "Min mejladress är {v}", "Kunden {name} nås enklast på {v}"],
        "pl": ["Proszę wysłać fakturę na adres {v}", "Mój e-mail to {v}", "Klient {name} prosi o kontakt mailowy: {v}"],
        "en": ["Please loop in {v} on this thread", ("LOG", "{ts} WARN smtp: delivery to <{v}> failed: 550 mailbox unavailable"),
               ("LOG", "{ts} INFO auth: user={v} login ok from {ip}"), "Customer changed their e-mail address to {v} on {date}",
               "Forwarded message from {v} re: {ticket}", "Email: {v}"],
        "de": ["Bitte die Rechnung an {v} schicken", "Meine E-Mail-Adresse lautet {v}", "Kunde {name} bittet um Rückmeldung an {v}"],
        "fr": ["Merci d'envoyer le devis à {v}", "Mon courriel : {v}", "Le client {name} souhaite être contacté à {v}"],
    }
    bare = ["{name} <{v}>", "De: {v}", ("LOG", "to=<{v}>, relay=mx.{domain}, status=sent (250 OK)"),
            "{v}; {email}", "RE: pedido {ticket} — {v}"]
    cols = ["email", "correo", "correo_electronico", "e_mail", "email_address", "indirizzo_email", "emailadres",
            "epost", "adres_email", "contact_email", "courriel", "emailAddress", "mail", "e-post", "mailadresse"]
    generate("email", n, lambda lc, who: email_value(lc), cols, tpls, bare=bare)


def gen_phone(n):
    tpls = {
        "es": ["Llámame al {v} por la tarde", "Teléfono de contacto: {v}", "Móvil {v} (solo WhatsApp)",
               "El cliente pide que le devuelvan la llamada al {v}", "Tlf. {v} / {email}"],
        "it": ["Chiamami al {v} dopo le 18", "Cell. {v}", "Recapito telefonico: {v}", "Il cliente chiede di essere richiamato al {v}"],
        "nl": ["Bel me op {v} na 17:00", "Tel.nr. {v}", "Mobiel: {v}", "Klant wil teruggebeld worden op {v}"],
        "pt": ["Me liga no {v} depois das 18h", "Celular/WhatsApp: {v}", "Telefone para contato {v}", "Ligar para {name} no {v}"],
        "sv": ["Ring mig på {v} efter lunch", "Mobil: {v}", "Kunden vill bli uppringd på {v}", "Tfn {v}"],
        "pl": ["Proszę dzwonić pod numer {v}", "Tel. kom. {v}", "Klient prosi o kontakt telefoniczny: {v}", "nr tel. {v}"],
        "en": ["Best number to reach me is {v}", "Ph: {v}", "Customer requested a call back on {v} re {ticket}",
               "Missed call from {v} at {time}", "SMS sent to {v}: your code is 482913", "mob. {v}"],
        "de": ["Rückruf erbeten unter {v}", "Tel. {v}", "Handy: {v}", "Erreichbar unter {v} ab 14 Uhr", "Natel {v}"],
        "fr": ["Rappelez-moi au {v} svp", "Tél. : {v}", "Portable {v}", "Le client souhaite être rappelé au {v}"],
    }
    bare = ["{name} · {v}", "{name}\n{v}", "{v} ({first})", "{first}: {v}"]
    cols = ["telefono", "movil", "celular", "telefone", "telefoonnummer", "mobiel", "telefonnummer", "mobilnummer",
            "numer_telefonu", "tel", "phone_number", "mobile", "phoneNumber", "handy", "natel", "cellulare", "telephone", "contact_phone"]
    generate("phone", n, lambda lc, who: phone_value(lc), cols, tpls, bare=bare)


def gen_card(n):
    tpls = {
        "es": ["Pago con tarjeta {v}, caducidad 08/27", "El cliente facilitó la tarjeta {v} por teléfono", "Nº de tarjeta: {v}"],
        "it": ["Pagamento con carta {v} scad. 11/26", "Numero carta: {v}", "Addebitare sulla carta di credito {v}"],
        "nl": ["Betaald met creditcard {v}", "Kaartnummer {v}, vervalt 03/28"],
        "pt": ["Cartão de crédito {v} validade 05/29", "Pagamento no cartão {v} em 3x sem juros"],
        "sv": ["Betalt med kort {v}", "Kortnummer: {v} (giltigt t.o.m. 09/27)"],
        "pl": ["Płatność kartą {v}", "Numer karty: {v}, ważna do 12/26"],
        "en": ["Charge declined for card {v}", "cardholder {name}, number {v}, exp 10/28",
               "Customer pasted the full card number in chat: {v}", "Refund issued to the Visa/Mastercard {v}",
               ("LOG", "{ts} ERROR payment: card={v} status=declined code=05")],
        "de": ["Zahlung per Kreditkarte {v}", "Kartennummer {v}, gültig bis 07/27"],
        "fr": ["Paiement par carte {v}", "Numéro de carte bancaire : {v}, expire 02/28"],
    }
    bare = ["{v} 08/27 {name}", "ok aquí va: {v}", "{name} | {v} | 11/29", "here you go {v} exp 04/28"]
    cols = ["card_number", "numero_tarjeta", "tarjeta", "numero_carta", "carta_di_credito", "creditcard", "kaartnummer",
            "kortnummer", "numer_karty", "cartao", "numero_cartao", "kreditkarte", "kartennummer", "numero_carte", "cc_number", "pan"]
    generate("credit_card", n, lambda lc, who: card_value(), cols, tpls, bare=bare)


def gen_iban(n):
    tpls = {
        "es": ["IBAN para la devolución: {v}", "Domiciliar los recibos en la cuenta {v}", "Titular: {name}, IBAN {v}"],
        "it": ["Coordinate bancarie: IBAN {v}", "Effettuare il bonifico sul conto {v} intestato a {name}"],
        "nl": ["Graag terugstorten op {v} t.n.v. {name}", "Rekeningnummer (IBAN): {v}"],
        "pt": ["Dados bancários: IBAN {v}", "Favor depositar na conta {v}"],
        "sv": ["Betala till IBAN {v}", "Kontonummer (IBAN) {v}, BIC NDEASESS"],
        "pl": ["Numer rachunku: {v}", "Proszę o przelew na konto {v}"],
        "en": ["Refund to IBAN {v}", "SEPA mandate signed, debtor account {v}", "beneficiary {name} / {v}",
               "Bank details updated: {v}"],
        "de": ["Bankverbindung: {v}", "Bitte überweisen Sie den Betrag auf {v}", "IBAN {v} lautend auf {name}"],
        "fr": ["RIB : {v}", "Virement à effectuer sur l'IBAN {v}", "Coordonnées bancaires {v}"],
    }
    bare = ["{name}, {v}", "{v} / {company}", "{company}\n{v}"]
    cols = ["iban", "cuenta_bancaria", "iban_cliente", "conto_corrente", "rekeningnummer", "bankkonto", "numer_konta",
            "conta_bancaria", "bankverbindung", "compte_bancaire", "bank_account", "debtor_iban"]
    generate("iban", n, lambda lc, who: iban_value(), cols, tpls, bare=bare)


def gen_ipv4(n):
    tpls = {
        "any": [("LOG", '{v} - - [{clf}] "POST /api/v2/login HTTP/1.1" 401 53 "-" "Mozilla/5.0"'),
                ("LOG", "sshd[{pid}]: Failed password for invalid user admin from {v} port {port} ssh2"),
                ("LOG", "kernel: [UFW BLOCK] IN=eth0 OUT= SRC={v} DST={ip} LEN=60 PROTO=TCP SPT={port} DPT=22"),
                ("LOG", '{"ts":"{ts}","client_ip":"{v}","status":403}'),
                ("LOG", "X-Forwarded-For: {v}, {ip}"),
                ("config", "bind_address = {v}")],
        "es": ["Acceso bloqueado desde la IP {v}", "El usuario se conectó desde {v}"],
        "it": ["Accesso sospetto dall'indirizzo {v}"],
        "nl": ["Inlogpoging vanaf {v} geweigerd"],
        "pt": ["Login realizado a partir do IP {v}"],
        "sv": ["Inloggning från {v} blockerad"],
        "pl": ["Logowanie z adresu {v} zablokowane"],
        "en": ["Customer's static IP is {v}", "Whitelist {v} for the VPN please"],
        "de": ["Anmeldung von {v} blockiert"],
        "fr": ["Connexion depuis l'adresse {v} refusée"],
    }
    cols = ["ip", "ip_address", "client_ip", "direccion_ip", "indirizzo_ip", "ip_adres", "ip_adresse", "adres_ip", "remote_addr", "src_ip"]
    generate("ipv4", n, lambda lc, who: ipv4_value(), cols, tpls, p_col=0.3)


def gen_ipv6(n):
    tpls = {
        "any": [("LOG", "{ts} sshd[{pid}]: Accepted publickey for deploy from {v} port {port}"),
                ("LOG", "inet6 {v}/64 scope global dynamic"),
                ("LOG", "client [{v}]:{port} connected"),
                ("LOG", '{"remote":"{v}","method":"GET","path":"/health"}'),
                ("LOG", "src={v} dst={ip6} proto=udp")],
        "es": ["Conexión desde {v} rechazada"], "it": ["Accesso dall'indirizzo IPv6 {v}"],
        "nl": ["Verbinding vanaf {v}"], "pt": ["Acesso do IPv6 {v}"], "sv": ["Anslutning från {v}"],
        "pl": ["Połączenie z adresu {v}"], "en": ["Login from {v} flagged as unusual"],
        "de": ["Zugriff von {v} gesperrt"], "fr": ["Connexion depuis {v}"],
    }
    cols = ["ipv6", "ip_address", "client_ip", "remote_addr", "ip6", "direccion_ip", "src_addr"]
    generate("ipv6", n, lambda lc, who: ipv6_value(), cols, tpls, p_col=0.3)


def gen_mac(n):
    tpls = {
        "any": [("LOG", "ether {v}  txqueuelen 1000  (Ethernet)"),
                ("LOG", "dnsmasq-dhcp[{pid}]: DHCPREQUEST(br-lan) {ip} {v}"),
                ("LOG", "? ({ip}) at {v} [ether] on eth0"),
                ("LOG", "wlan0: associated with BSSID {v}"),
                ("LOG", "hostapd: wlan0: STA {v} IEEE 802.11: authenticated")],
        "es": ["Dirección MAC del equipo: {v}"], "it": ["Indirizzo MAC della stampante {v}"],
        "nl": ["MAC-adres van de laptop: {v}"], "pt": ["Endereço MAC {v} bloqueado"],
        "sv": ["MAC-adress {v}"], "pl": ["Adres MAC karty sieciowej: {v}"],
        "en": ["Device with MAC {v} keeps dropping off the Wi-Fi"], "de": ["MAC-Adresse {v} im WLAN gesperrt"],
        "fr": ["Adresse MAC du routeur : {v}"],
    }
    cols = ["mac", "mac_address", "macaddr", "hw_addr", "bssid", "direccion_mac", "mac_adres", "adresse_mac"]
    generate("mac_address", n, lambda lc, who: mac_value(bare_ok=False), cols, tpls, p_col=0.0)
    for _ in range(n // 3):
        emit(pick(cols), [("mac_address", mac_value(bare_ok=True))])


def gen_dob(n):
    tpls = {
        "es": ["Fecha de nacimiento: {v}", "Nacido el {v} en {city}", "{name}, nacida el {v}", "F. nac. {v}",
               "Paciente {name} (fecha nac. {v})"],
        "it": ["Data di nascita: {v}", "Nato a {city} il {v}", "{name}, nata il {v}", "nato il {v}"],
        "nl": ["Geboortedatum: {v}", "{name}, geboren op {v} te {city}", "geb. {v}"],
        "pt": ["Data de nascimento: {v}", "{name}, nascido em {v}", "Nasc.: {v}"],
        "sv": ["Födelsedatum: {v}", "{name}, född {v} i {city}", "f. {v}"],
        "pl": ["Data urodzenia: {v}", "{name}, ur. {v}", "urodzony {v} w miejscowości {city}"],
        "en": ["DOB {v}", "Patient {name}, born {v}", "Birthdate: {v}", "d.o.b.: {v}", "date of birth {v}"],
        "de": ["Geburtsdatum: {v}", "{name}, geb. {v} in {city}", "geboren am {v}", "{name} (*{v})"],
        "fr": ["Date de naissance : {v}", "{name}, né le {v} à {city}", "née le {v}"],
    }
    cols = ["date_of_birth", "dob", "birthdate", "birth_date", "fecha_nacimiento", "fecha_de_nacimiento", "data_nascita",
            "data_di_nascita", "geboortedatum", "data_nascimento", "fodelsedatum", "data_urodzenia", "geburtsdatum",
            "date_naissance", "date_de_naissance", "birthday", "dateOfBirth"]
    generate("date_of_birth", n, lambda lc, who: dob_value(lc), cols, tpls)


def gen_passport(n):
    tpls = {
        "es": ["Pasaporte nº {v}", "Número de pasaporte: {v}", "{name} viaja con pasaporte {v}"],
        "it": ["Passaporto n. {v}", "Numero passaporto {v} rilasciato a {city}"],
        "nl": ["Paspoortnummer {v}", "Paspoort: {v}, geldig tot {date}"],
        "pt": ["Passaporte nº {v}", "Número do passaporte: {v}"],
        "sv": ["Passnummer {v}", "Pass nr {v}"],
        "pl": ["Numer paszportu: {v}", "Paszport {v}"],
        "en": ["Passport No. {v}", "PP# {v}", "{name} - passport number {v} (expires {date})", "travel document no. {v}"],
        "de": ["Reisepass-Nr. {v}", "Passnummer: {v}"],
        "fr": ["Passeport n° {v}", "Numéro de passeport : {v}"],
    }
    cols = ["passport", "passport_number", "passport_no", "pasaporte", "numero_pasaporte", "passaporto", "paspoortnummer",
            "passaporte", "passnummer", "numer_paszportu", "reisepass", "passeport", "num_passeport"]
    generate("passport", n, lambda lc, who: passport_value(lc), cols, tpls)


def gen_licence(n):
    tpls = {
        "es": ["Licencia de conducir {v}", "Núm. de licencia: {v}"],
        "it": ["Patente di guida n. {v}", "Patente: {v}, categoria B"],
        "nl": ["Rijbewijsnummer {v}", "rijbewijs {v}"],
        "pt": ["CNH nº {v}", "Carteira de motorista {v}"],
        "pl": ["Prawo jazdy nr {v}", "Numer prawa jazdy: {v}"],
        "en": ["Driver licence no. {v}", "DL {v} (class C)", "driver's license number {v}", "Licence: {v}"],
        "de": ["Führerschein-Nr. {v}", "Führerscheinnummer {v}"],
        "fr": ["Permis de conduire {v}", "No de permis : {v}"],
    }
    locales = ["es_MX", "it_IT", "nl_NL", "pt_BR", "pl_PL", "en_AU", "en_CA", "en_NZ", "en_IE", "de_AT", "fr_CA"]
    cols = ["drivers_license", "driver_licence", "licence_number", "licencia_conducir", "patente", "rijbewijsnummer",
            "cnh", "prawo_jazdy", "fuehrerschein", "permis_conduire", "dl_number", "license_no"]
    generate("drivers_licence", n, lambda lc, who: licence_value(lc), cols, tpls, locales=locales)


def gen_address(n):
    tpls = {
        "es": ["Dirección de envío: {v}, {postcode} {city}", "Vive en {v}", "Entregar en {v} (dejar en conserjería)"],
        "it": ["Indirizzo: {v}, {postcode} {city}", "Consegnare in {v}", "Residente in {v}"],
        "nl": ["Afleveradres: {v}, {postcode} {city}", "Woont op {v}"],
        "pt": ["Endereço: {v}, {city}", "Entregar na {v}"],
        "sv": ["Leveransadress: {v}, {postcode} {city}", "Bor på {v}"],
        "pl": ["Adres dostawy: {v}, {postcode} {city}", "Zamieszkały: {v}"],
        "en": ["Ship to {v}, {city} {postcode}", "Residential address: {v}", "Moved to {v} last month"],
        "de": ["Lieferadresse: {v}, {postcode} {city}", "Anschrift: {v}"],
        "fr": ["Adresse de livraison : {v}, {postcode} {city}", "Domicilié au {v}"],
    }
    bare = ["{name}\n{v}\n{postcode} {city}", "{v}, {postcode} {city}"]
    cols = ["address", "street_address", "direccion", "domicilio", "indirizzo", "adres", "endereco", "logradouro",
            "gatuadress", "adres_zamieszkania", "adresse", "strasse", "anschrift", "calle", "shipping_address"]
    generate("street_address", n, lambda lc, who: street_value(lc), cols, tpls, bare=bare)


def gen_name(n):
    tpls = {
        "es": ["Hola, soy {v} y necesito ayuda con mi pedido", "Atendido por {v}", "Saludos,\n{v}", "Reunión con {v} el lunes"],
        "it": ["Buongiorno, sono {v}", "Cordiali saluti,\n{v}", "Ha chiamato {v} per il preventivo"],
        "nl": ["Met vriendelijke groet,\n{v}", "Gesprek gehad met {v} over de levering"],
        "pt": ["Olá, meu nome é {v}", "Atenciosamente,\n{v}", "Falei com {v} sobre a entrega"],
        "sv": ["Med vänliga hälsningar,\n{v}", "Hej! Jag heter {v}", "Möte med {v} på tisdag"],
        "pl": ["Dzień dobry, nazywam się {v}", "Z poważaniem,\n{v}"],
        "en": ["Assigned to {v}", "Spoke with {v} from accounts", "cc {v}", "Escalated by {v} on {date}"],
        "de": ["Mit freundlichen Grüßen\n{v}", "Termin mit {v} am Donnerstag"],
        "fr": ["Cordialement,\n{v}", "Bonjour, je m'appelle {v}"],
        "any": [("chat", "[{time}] {v}: hola, ¿alguien me puede ayudar?"), ("chat", "<{v}> ok, thanks!")],
    }
    cols = ["name", "full_name", "nombre", "nombre_completo", "nome", "nome_completo", "naam", "volledige_naam", "namn",
            "imie_nazwisko", "nom", "nom_complet", "customer_name", "titular", "assignee", "kundenname", "contact_name"]
    generate("person_name", n, lambda lc, who: who.name, cols, tpls)
    # surname-only and honorific forms, and first-name/last-name columns
    hon = {"es": ["La Sra. {v} llamó", "El Sr. {v} no estaba"], "it": ["Il sig. {v} ha chiamato", "La dott.ssa {v} è in ferie"],
           "nl": ["Mevrouw {v} belde terug", "Dhr. {v} was niet thuis"], "pt": ["O Sr. {v} ligou", "A Sra. {v} pediu reembolso"],
           "sv": ["{v} ringde igen"], "pl": ["Pan {v} dzwonił w sprawie zamówienia", "Pani {v} prosi o fakturę"],
           "en": ["Mr {v} called again", "Ms. {v} approved the refund"], "de": ["Herr {v} bittet um Rückruf", "Frau {v} ist im Urlaub"],
           "fr": ["Mme {v} a rappelé", "M. {v} est absent"]}
    for _ in range(n // 4):
        lc = pick(LOCALES)
        who = Who(lc)
        emit(free_col(LANG[lc]), render(pick(hon[LANG[lc]]), lc, who, "person_name", who.last))
    for _ in range(n // 4):
        lc = pick(LOCALES)
        who = Who(lc)
        if chance(0.5):
            emit(pick(["first_name", "nombre_pila", "voornaam", "fornamn", "imie", "vorname", "prenom", "primeiro_nome"]),
                 [("person_name", who.first)])
        else:
            emit(pick(["last_name", "apellidos", "cognome", "achternaam", "efternamn", "nazwisko", "nachname", "nom_de_famille", "sobrenome"]),
                 [("person_name", who.last)])


# ---- secrets

def gen_secrets(n):
    for _ in range(n):
        lc = pick(LOCALES)
        lang = LANG[lc]
        t = R.randrange(9)
        if t == 0:
            v = aws_value()
            emit(pick(["config", "env", "log", "notes"]), pick([
                ["AWS_ACCESS_KEY_ID=", ("aws_access_key", v)],
                ["[default]\naws_access_key_id = ", ("aws_access_key", v), "\nregion = eu-west-1"],
                ["Found credentials in commit: ", ("aws_access_key", v)],
                ['{"AccessKeyId": "', ("aws_access_key", v), '", "Expiration": "2025-06-01T12:00:00Z"}'],
            ]))
        elif t == 1:
            v = github_value()
            emit(pick(["config", "ci_log", "notes", "env"]), pick([
                ["GH_TOKEN=", ("github_token", v)],
                ["export GITHUB_TOKEN=", ("github_token", v), "  # CI only"],
                ["el token de GitHub es ", ("github_token", v), ", no lo compartas"],
                ["Authorization: token ", ("github_token", v)],
            ]))
        elif t == 2:
            v = slack_value()
            emit(pick(["config", "notes", "env"]), pick([
                ["SLACK_BOT_TOKEN=", ("slack_token", v)],
                ["slack:\n  token: ", ("slack_token", v)],
                ["nuovo token slack ", ("slack_token", v)],
                ['curl -H "Authorization: Bearer ', ("slack_token", v), '" https://slack.com/api/chat.postMessage'],
            ]))
        elif t == 3:
            v = stripe_value()
            emit(pick(["config", "notes", "env"]), pick([
                ["STRIPE_SECRET_KEY=", ("stripe_key", v)],
                ["stripe.api_key = '", ("stripe_key", v), "'"],
                ["chave do Stripe: ", ("stripe_key", v)],
                ["Stripe-Schlüssel ", ("stripe_key", v), " bitte rotieren"],
            ]))
        elif t == 4:
            v = google_value()
            emit(pick(["config", "html", "notes"]), pick([
                ["GOOGLE_MAPS_API_KEY=", ("google_api_key", v)],
                ['<script src="https://maps.googleapis.com/maps/api/js?key=', ("google_api_key", v), '&callback=initMap"></script>'],
                ["clé API Google : ", ("google_api_key", v)],
                ['"apiKey": "', ("google_api_key", v), '",'],
            ]))
        elif t == 5:
            v = jwt_value(lc)
            emit(pick(["log", "request_headers", "notes", "cookie"]), pick([
                ["Authorization: Bearer ", ("jwt", v)],
                ["Set-Cookie: session=", ("jwt", v), "; Path=/; HttpOnly; Secure"],
                ["token expirado: ", ("jwt", v)],
                ['{"access_token":"', ("jwt", v), '","token_type":"Bearer","expires_in":3600}'],
            ]) if chance(0.8) else [("jwt", v)])
        elif t == 6:
            esc = chance(0.3)
            v = pem_value(escaped=esc)
            if esc:
                emit(pick(["service_account", "config", "secret_json"]),
                     ['{"type": "service_account", "private_key_id": "', rs(40, "0123456789abcdef"), '", "private_key": "',
                      ("private_key", v), '\\n", "client_email": "', ("email", f"svc-{pick(['etl', 'billing', 'ci'])}@acme-prod.iam.gserviceaccount.com"), '"}'])
            else:
                emit(pick(["notes", "config", "attachment", "key"]), pick([
                    [("private_key", v)], ["clave privada del servidor:\n", ("private_key", v)],
                    ["ssh_key: |\n", ("private_key", v)],
                ]))
        elif t == 7:
            v, _host = url_cred_value(lc)
            emit(pick(["config", "env", "notes", "log"]), pick([
                ["DATABASE_URL=", ("url_credentials", v)],
                ["conexión: ", ("url_credentials", v)],
                ["{ts} ERROR could not connect to ".replace("{ts}", "2024-05-02T10:11:12Z"), ("url_credentials", v)],
                ["broker_url = ", ("url_credentials", v)],
            ]))
        else:
            v = entropy_value()
            word = {"es": ["contraseña", "clave secreta", "token de acceso"], "it": ["password", "chiave segreta", "token"],
                    "nl": ["wachtwoord", "geheime sleutel", "API-sleutel"], "pt": ["senha", "chave secreta", "token de acesso"],
                    "sv": ["lösenord", "hemlig nyckel", "API-nyckel"], "pl": ["hasło", "klucz tajny", "token dostępu"],
                    "en": ["password", "client secret", "API key"], "de": ["Passwort", "geheimer Schlüssel", "API-Schlüssel"],
                    "fr": ["mot de passe", "clé secrète", "jeton d'accès"]}[lang]
            emit(pick(["config", "env", "notes", "chat"]), pick([
                [pick(["SECRET_KEY", "CLIENT_SECRET", "DB_PASSWORD", "API_KEY", "SENDGRID_API_KEY", "AZURE_STORAGE_KEY", "JWT_SECRET"]), "=", ("high_entropy_secret", v)],
                [pick(word), ": ", ("high_entropy_secret", v)],
                [f'"{pick(["client_secret", "password", "apiKey", "secret"])}": "', ("high_entropy_secret", v), '"'],
                [pick(word).capitalize(), " ", ("high_entropy_secret", v), " (", pick(["no compartir", "da ruotare", "niet delen", "rotate asap", "bitte ändern"]), ")"],
            ]))


# ---- national identifiers

def chat_lower(etype, n, value, locales, pool, tpls):
    """Chat lines where the person typed a letter-bearing id in lower case."""
    for _ in range(n):
        lc = pick(locales)
        who = Who(lc, pool)
        emit(pick(["chat", "chat_log", "transcript"]),
             [f"[{R.randrange(8, 20):02d}:{R.randrange(60):02d}] ", ("person_name", who.first), ": "]
             + render(pick(tpls), lc, who, etype, value().lower()))


def gen_us_ssn(n):
    tpls = {"en": ["SSN: {v}", "Social Security No. {v} on the W-9", "Employee {name}, SSN {v}",
                   "social security number {v} verified", "ss# {v}", "US tax info for {name}: SSN {v}, filing jointly",
                   "Name: {name} | SSN: {v} | Phone: {phone}"]}
    cols = ["ssn", "social_security_number", "us_ssn", "ss_number", "ssn_full", "socialSecurityNumber"]
    generate("us_ssn", n, lambda lc, who: ssn_value(), cols, tpls, locales=["en_CA", "en_AU", "en_IE", "en_NZ", "es_MX"])


def gen_nhs(n):
    tpls = {"en": ["NHS number {v}", "NHS No: {v}", "Patient {name} (NHS {v}) referred to cardiology", "nhs no. {v}",
                   "Your NHS number is {v}", "Name: {name}\nDOB: {dob}\nNHS Number: {v}", "GP registration for {name}, NHS no {v}"]}
    cols = ["nhs_number", "nhs_no", "nhs", "patient_nhs_number", "nhsnumber", "nhs_id"]
    generate("uk_nhs_number", n, lambda lc, who: nhs_value(), cols, tpls, locales=["en_IE", "en_AU", "en_NZ"])


def gen_nino(n):
    tpls = {"en": ["National Insurance number: {v}", "NI No. {v}", "NINO {v}", "{name}'s NI number is {v}",
                   "P60 for {name}, NI {v}", "new starter form: {name}, NI number {v}, tax code 1257L"]}
    bare = ["{name}, {v}, 1257L", "{name} ({v})"]
    cols = ["nino", "ni_number", "national_insurance_number", "ni_no", "nationalInsuranceNumber"]
    generate("uk_nino", n, lambda lc, who: nino_value(), cols, tpls, bare=bare, locales=["en_IE", "en_AU", "en_NZ", "en_CA"])
    chat_lower("uk_nino", n // 10, nino_value, ["en_IE", "en_AU", "en_NZ"], None,
               ["my national insurance number is {v}", "ni number {v}", "here's my NI no: {v}"])


def gen_de_idnr(n):
    tpls = {"de": ["Steuer-ID: {v}", "Steuerliche Identifikationsnummer {v}", "IdNr. {v}",
                   "Ihre Steuer-Identifikationsnummer lautet {v}", "Steuer-IdNr: {v}", "{name}, Steuer-ID {v}, Lohnsteuerklasse 1",
                   "Name: {name} | Geb.-Datum: {dob} | Steuer-ID: {v}"],
            "en": ["German tax ID (Steuer-ID) {v}", "TIN (DE): {v}"]}
    cols = ["steuer_id", "steuerid", "steuer_idnr", "idnr", "steuerliche_identifikationsnummer", "tax_id_de", "identifikationsnummer"]
    generate("de_tax_id", n, lambda lc, who: de_idnr_value(), cols, tpls, locales=["de_AT", "de_CH", "de_AT", "en_IE"])


def gen_nir(n):
    tpls = {"fr": ["N° de sécurité sociale : {v}", "NIR {v}", "numéro INSEE : {v}", "Sécu : {v}",
                   "{name}, immatriculé sous le n° {v}", "Nom : {name} / Né(e) le : {dob} / N° SS : {v}",
                   "Carte Vitale de {name} : {v}"]}
    bare = ["{name} — {v}"]
    cols = ["nir", "numero_secu", "num_secu", "numero_securite_sociale", "insee", "n_ss", "securite_sociale"]
    generate("fr_nir", n, lambda lc, who: nir_value(), cols, tpls, bare=bare, p_bare=0.1)


def gen_dni(n):
    tpls = {"es": ["DNI: {v}", "{name}, con DNI {v}, en calidad de comprador", "NIF {v}", "D.N.I. nº {v}",
                   "Documento Nacional de Identidad {v}", "Nombre: {name} | DNI: {v} | Tel: {phone} | Email: {email}",
                   "El titular {name} (DNI {v}) solicita la baja"]}
    bare = ["{name} ({v})", "{name}; {v}; {city}"]
    cols = ["dni", "nif", "numero_dni", "documento", "doc_identidad", "dni_nif"]
    generate("es_dni", n, lambda lc, who: dni_value(), cols, tpls, bare=bare, locales=["es_ES"])


def gen_nie(n):
    tpls = {"es": ["NIE: {v}", "Número de identidad de extranjero: {v}", "tarjeta de residencia con NIE {v}", "N.I.E. {v}",
                   "{name}, NIE {v}, nacionalidad {country}".replace("{country}", "italiana"),
                   "Nombre: {name} | NIE: {v} | Móvil: {phone}"]}
    bare = ["{name} ({v})", "{name}; {v}; {city}"]
    cols = ["nie", "numero_nie", "nie_extranjero", "documento", "nif_nie"]
    generate("es_nie", n, lambda lc, who: nie_value(), cols, tpls, bare=bare, locales=["es_ES", "es_MX"])


def gen_cf(n):
    tpls = {"it": ["Codice fiscale: {v}", "C.F. {v}", "CF {v}", "cod. fiscale {v}", "{name}, codice fiscale {v}",
                   "Nome: {name}; C.F.: {v}; Cell: {phone}; Email: {email}", "Intestatario {name} - CF {v}"]}
    bare = ["{name} {v}", "{name}\n{v}\n{street}"]
    cols = ["codice_fiscale", "cod_fiscale", "cf", "codicefiscale", "tax_code", "cf_cliente"]
    generate("it_fiscal_code", n, lambda lc, who: cf_value(), cols, tpls, bare=bare)


def gen_bsn(n):
    tpls = {"nl": ["BSN: {v}", "burgerservicenummer {v}", "Uw BSN is {v}", "sofinummer {v}", "BSN-nummer {v}",
                   "Naam: {name}\nBSN: {v}\nTelefoon: {phone}\nE-mail: {email}", "Cliënt {name} (BSN {v}) heeft een afspraak op {date}"]}
    cols = ["bsn", "burgerservicenummer", "bsn_nummer", "sofinummer", "bsn_client"]
    generate("nl_bsn", n, lambda lc, who: bsn_value(), cols, tpls)


def gen_pnr(n):
    tpls = {"sv": ["Personnummer: {v}", "pnr {v}", "pers.nr {v}", "personnr: {v}", "Namn: {name}, Personnr: {v}, Tel: {phone}",
                   "{name} med personnummer {v} har bokat tid"]}
    bare = ["{name} ({v})", "{name}, {v}, {city}"]
    cols = ["personnummer", "personnr", "pnr", "person_nr", "personal_number"]
    generate("se_personnummer", n, lambda lc, who: pnr_value(), cols, tpls, bare=bare)


def gen_pesel(n):
    tpls = {"pl": ["PESEL: {v}", "nr PESEL {v}", "numer PESEL {v}", "{name}, PESEL {v}",
                   "Imię i nazwisko: {name}; PESEL: {v}; tel. {phone}; e-mail: {email}", "Pacjent {name} (PESEL {v}) zapisany na {date}"]}
    cols = ["pesel", "nr_pesel", "numer_pesel", "pesel_pacjenta"]
    generate("pl_pesel", n, lambda lc, who: pesel_value(), cols, tpls)


def gen_aadhaar(n):
    tpls = {"en": ["Aadhaar No. {v}", "Aadhaar card number {v}", "UID {v}", "Aadhaar: {v}", "e-KYC done with Aadhaar {v}",
                   "Name: {name} | Aadhaar: {v} | Mobile: {phone}", "{name} linked Aadhaar {v} to the account"]}
    cols = ["aadhaar", "aadhaar_number", "aadhar_no", "uid", "uidai_number", "aadhaar_no"]
    generate("in_aadhaar", n, lambda lc, who: aadhaar_value(), cols, tpls, locales=["en_AU", "en_NZ", "en_CA"], pool="in")


def gen_pan(n):
    tpls = {"en": ["PAN: {v}", "PAN card {v}", "Permanent Account Number {v}", "TDS deducted, PAN of deductee {v}",
                   "{name} (PAN {v})"]}
    bare = ["{name}, {v}, Mumbai", "{name} {v}"]
    cols = ["pan", "pan_number", "pan_no", "pan_card", "pan_id"]
    generate("in_pan", n, lambda lc, who: pan_value(who.last), cols, tpls, bare=bare,
             locales=["en_AU", "en_NZ", "en_CA"], pool="in")
    chat_lower("in_pan", n // 10, lambda: pan_value(), ["en_AU", "en_NZ"], "in",
               ["my pan is {v}", "pan card no {v}", "PAN: {v} (sorry for lowercase)"])


def gen_tfn(n):
    tpls = {"en": ["TFN: {v}", "Tax File Number {v}", "tax file no. {v}", "{name} TFN declaration: {v}",
                   "Name: {name} | TFN: {v} | Mobile: {phone} | Email: {email}", "Super fund needs your TFN ({v}) to avoid extra tax"]}
    cols = ["tfn", "tax_file_number", "tfn_number", "tfn_no"]
    generate("au_tfn", n, lambda lc, who: tfn_value(), cols, tpls, locales=["en_AU"])


def gen_medicare(n):
    tpls = {"en": ["Medicare card {v}", "Medicare No. {v}", "Medicare number: {v}", "{name} - Medicare {v}",
                   "Bulk billed, Medicare {v}, ref {n}", "Patient: {name}, DOB {dob}, Medicare {v}"]}
    cols = ["medicare", "medicare_number", "medicare_no", "medicare_card"]
    generate("au_medicare", n, lambda lc, who: medicare_value(), cols, tpls, locales=["en_AU"])


def gen_sin(n):
    tpls = {"en": ["SIN: {v}", "Social Insurance Number {v}", "{name}, SIN {v}, T4 attached", "sin# {v}",
                   "Name: {name}, SIN: {v}, Phone: {phone}"],
            "fr": ["NAS : {v}", "numéro d'assurance sociale {v}", "{name}, NAS {v}"]}
    cols = ["sin", "social_insurance_number", "nas", "numero_assurance_sociale", "sin_number"]
    generate("ca_sin", n, lambda lc, who: sin_value(), cols, tpls, locales=["en_CA", "fr_CA"])


def gen_cpf(n):
    tpls = {"pt": ["CPF: {v}", "inscrito no CPF sob o nº {v}", "CPF/MF {v}", "{name}, CPF {v}", "nota fiscal emitida para o CPF {v}",
                   "Nome: {name} | CPF: {v} | Celular: {phone} | E-mail: {email}"]}
    bare = ["{name} - {v}"]
    cols = ["cpf", "numero_cpf", "cpf_cliente", "cpf_titular"]
    generate("br_cpf", n, lambda lc, who: cpf_value(), cols, tpls, bare=bare)


def gen_cnpj(n):
    tpls = {"pt": ["CNPJ: {v}", "inscrita no CNPJ sob o nº {v}", "CNPJ/MF {v}", "{company}, CNPJ {v}",
                   "Fornecedor: {company} | CNPJ {v} | contato {name}"]}
    bare = ["{company} — {v}"]
    cols = ["cnpj", "cnpj_empresa", "numero_cnpj", "cnpj_fornecedor"]
    generate("br_cnpj", n, lambda lc, who: cnpj_value(), cols, tpls, bare=bare)


def gen_nric(n):
    tpls = {"en": ["NRIC: {v}", "NRIC/FIN {v}", "IC no. {v}", "FIN {v} (work pass holder)", "Name: {name} | NRIC: {v} | HP: {phone}"]}
    bare = ["{name} ({v})"]
    cols = ["nric", "nric_fin", "fin", "ic_number", "nric_no"]
    generate("sg_nric", n, lambda lc, who: nric_value(), cols, tpls, bare=bare, locales=["en_AU", "en_NZ"], pool="sg")


def gen_vat(n):
    tpls = {
        "es": ["NIF-IVA: {v}", "CIF intracomunitario {v}", "Factura a {company}, NIF/IVA {v}"],
        "it": ["P.IVA {v}", "Partita IVA: {v}", "{company} - P. IVA {v}"],
        "nl": ["BTW-nummer {v}", "btw-id {v}", "{company}, btw {v}"],
        "sv": ["Momsregistreringsnummer {v}", "VAT-nr {v}", "{company}, momsnr {v}"],
        "pl": ["NIP UE {v}", "NIP: {v}", "{company}, VAT UE {v}"],
        "en": ["VAT No. {v}", "VAT reg {v}", "intra-community VAT number {v}", "Reverse charge: customer VAT ID {v}"],
        "de": ["USt-IdNr. {v}", "UID-Nummer {v}", "{company}, UID {v}"],
        "fr": ["N° TVA intracommunautaire : {v}", "TVA {v}", "{company}, TVA intracom. {v}"],
        "pt": ["NIF/VAT {v}", "VAT europeu do fornecedor: {v}"],
    }
    bare = ["{company}\n{street}\n{v}", "{company}, {v}"]
    cols = ["vat", "vat_number", "vat_id", "nif_iva", "partita_iva", "p_iva", "btw_nummer", "momsnr", "nip_ue", "ust_id",
            "uid_nummer", "tva_intracom", "vatId"]
    home = {"es": "ES", "it": "IT", "nl": "NL", "sv": "SE", "pl": "PL", "de": "AT"}

    def val(lc, who):
        cc = home.get(LANG[lc]) if chance(0.6) else None
        return vat_value(cc)
    generate("eu_vat", n, val, cols, tpls, bare=bare)
    # domestic forms in their own column: Italian partita IVA, Polish NIP
    for _ in range(n // 8):
        if chance(0.5):
            v = vat_value("IT").replace(" ", "")[2:]
            emit(pick(["partita_iva", "p_iva", "piva"]), [("eu_vat", v)])
        else:
            v = vat_value("PL").replace(" ", "")[2:]
            emit(pick(["nip", "nip_firmy"]), [("eu_vat", f"{v[:3]}-{v[3:6]}-{v[6:8]}-{v[8:]}")])


# ---- mixed cells: signatures, chats, tickets

SIGN = {
    "es": ("Saludos cordiales,", "Tel.", "Responsable de compras"), "it": ("Cordiali saluti,", "Tel.", "Ufficio acquisti"),
    "nl": ("Met vriendelijke groet,", "T", "Accountmanager"), "pt": ("Atenciosamente,", "Cel.", "Gerente comercial"),
    "sv": ("Vänliga hälsningar,", "Mobil", "Inköpsansvarig"), "pl": ("Pozdrawiam,", "tel.", "Kierownik ds. zakupów"),
    "en": ("Kind regards,", "M:", "Operations Manager"), "de": ("Freundliche Grüße", "Tel.", "Leitung Einkauf"),
    "fr": ("Bien cordialement,", "Tél.", "Responsable achats"),
}


def gen_signatures(n):
    for _ in range(n):
        lc = pick(LOCALES)
        lang = LANG[lc]
        who = Who(lc)
        greet, tel, job = SIGN[lang]
        parts = [greet + "\n", ("person_name", who.name), f"\n{job} | {company(lc)}\n{tel} ", ("phone", phone_value(lc)), "\n",
                 ("email", who.email())]
        if chance(0.4):
            parts += ["\n", ("street_address", street_value(lc)), f", {FK[lc].postcode()} {FK[lc].city()}"]
        emit(pick(["email_body", "signature", "mensaje", "bericht", "message"]), parts)


CHAT = {
    "es": ["hola, mi número es {phone}", "podéis escribirme a {email}", "vivo en {street}", "soy {name}, el del pedido {ticket}"],
    "it": ["ciao, il mio numero è {phone}", "scrivetemi a {email}", "abito in {street}", "sono {name}, ordine {ticket}"],
    "nl": ["hoi, mijn nummer is {phone}", "mail me op {email}", "ik woon op {street}", "dit is {name} van bestelling {ticket}"],
    "pt": ["oi, meu número é {phone}", "me manda no {email}", "moro na {street}", "aqui é {name}, pedido {ticket}"],
    "sv": ["hej, mitt nummer är {phone}", "mejla mig på {email}", "jag bor på {street}", "det är {name}, order {ticket}"],
    "pl": ["cześć, mój numer to {phone}", "proszę pisać na {email}", "mieszkam przy {street}", "tu {name}, zamówienie {ticket}"],
    "en": ["hey, my number is {phone}", "email me at {email}", "I live at {street}", "this is {name} about order {ticket}"],
    "de": ["hallo, meine Nummer ist {phone}", "schreibt mir an {email}", "ich wohne in der {street}", "hier ist {name} wegen Bestellung {ticket}"],
    "fr": ["bonjour, mon numéro est le {phone}", "écrivez-moi à {email}", "j'habite au {street}", "c'est {name} pour la commande {ticket}"],
}


def gen_chats(n):
    for _ in range(n):
        lc = pick(LOCALES)
        who = Who(lc)
        lines = []
        for k in range(R.randrange(1, 3)):
            lines += ([f"\n[{R.randrange(8, 20):02d}:{R.randrange(60):02d}] "] if k else [f"[{R.randrange(8, 20):02d}:{R.randrange(60):02d}] "])
            lines += [("person_name", who.first), ": "] + render(pick(CHAT[LANG[lc]]), lc, who)
        emit(pick(["chat", "chat_log", "conversacion", "transcript"]), lines)


# ------------------------------------------------------------------ negatives

def ean13(prefix):
    body = prefix + digits(12 - len(prefix))
    for c in string.digits:
        if std_ean.is_valid(body + c):
            return body + c
    raise AssertionError


def isbn13():
    body = pick(["97884", "97888", "97890", "97885", "97891", "97883", "978021", "979104"])
    body = body + digits(12 - len(body))
    for c in string.digits:
        if std_isbn.is_valid(body + c):
            return body + c
    raise AssertionError


def s10():
    d8 = digits(8)
    c = 11 - sum(int(d) * w for d, w in zip(d8, [8, 6, 4, 2, 3, 5, 9, 7])) % 11
    c = {10: 0, 11: 5}.get(c, c)
    return f"{pick(['RR', 'LX', 'CP', 'EE', 'RA'])}{d8}{c}{pick(['ES', 'IT', 'NL', 'SE', 'PL', 'AT', 'CH', 'BR', 'AU', 'CA'])}"


def hexs(n):
    return rs(n, "0123456789abcdef")


def semver():
    v = f"{R.randrange(0, 20)}.{R.randrange(0, 40)}.{R.randrange(0, 30)}"
    if chance(0.3):
        v += pick(["-rc.1", "-beta.2", "-alpha", "+build.15", "-SNAPSHOT"])
    return v


def money(lang):
    a = R.randrange(1, 99999)
    c = R.randrange(100)
    if lang in ("es", "it", "nl", "pt", "de", "pl", "sv", "fr"):
        whole = f"{a:,}".replace(",", "." if lang not in ("sv", "pl", "fr") else "\u00a0")
        return pick({"es": ["{w},{c} €", "€{w},{c}"], "it": ["€ {w},{c}", "{w},{c} EUR"], "nl": ["€ {w},{c}"],
                     "pt": ["R$ {w},{c}"], "sv": ["{w},{c} kr"], "pl": ["{w},{c} zł"], "de": ["{w},{c} €", "€ {w},{c}"],
                     "fr": ["{w},{c} €", "{w},{c} $"]}[lang]).format(w=whole, c=f"{c:02d}")
    return pick(["${a:,}.{c:02d}", "AU${a:,}.{c:02d}", "NZD {a:,}.{c:02d}", "CAD {a:,}.{c:02d}"]).format(a=a, c=c)


def gen_hard_negatives(n):
    L = lambda: pick(LOCALES)  # noqa: E731
    kinds = [
        # invoices, tickets, bookings
        lambda: (pick(["numero_factura", "invoice_no", "fattura"]), pick([f"FAC-{R.randrange(2019, 2026)}-{R.randrange(1, 99999):05d}", f"Factura nº {R.randrange(2020, 2026)}/{R.randrange(1, 9999):04d}", f"Fattura n. {R.randrange(1, 9999)}/{R.randrange(2020, 2026)}"])),
        lambda: ("omschrijving", f"Factuur {R.randrange(2020, 2026)}-{R.randrange(1, 13):02d}-{R.randrange(1, 9999):04d} is betaald"),
        lambda: ("uwagi", f"Faktura VAT nr FV/{R.randrange(2020, 2026)}/{R.randrange(1, 13):02d}/{R.randrange(1, 999)} opłacona"),
        lambda: ("bemerkungen", f"Rechnungsnr. RE-{R.randrange(20, 26)}-{R.randrange(10000, 99999)} storniert"),
        lambda: ("remarques", f"Facture n° F{R.randrange(2020, 2026)}-{R.randrange(1, 99999):05d} réglée par virement"),
        lambda: ("ticket_id", pick([f"INC{R.randrange(10**6, 10**7):07d}", f"SR-{R.randrange(100000, 999999)}", f"OPS-{R.randrange(100, 9999)}", f"case {R.randrange(0, 10**8):08d}"])),
        lambda: ("notes", f"Zendesk ticket #{R.randrange(100000, 9999999)} merged into #{R.randrange(100000, 9999999)}"),
        lambda: ("booking_ref", pick([upper(2) + str(R.randrange(1, 10)) + upper(1) + str(R.randrange(10, 99)), "".join(R.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))])),
        lambda: ("comentarios", f"Reserva confirmada, localizador {''.join(R.choice('ABCDEFGHJKLMNPQRSTUVWXYZ23456789') for _ in range(6))}, vuelo IB{R.randrange(1000, 9999)}"),
        lambda: ("notes", f"Hotel confirmation number {R.randrange(10**7, 10**10)} for 2 nights"),
        # tracking numbers
        lambda: ("tracking_number", pick([s10(), digits(12), "JD" + digits(18), "3S" + upper(4) + digits(7), "00" + digits(18), "9400" + digits(18)])),
        lambda: ("anteckningar", f"Kollinummer {s10()} har skickats med PostNord"),
        lambda: ("notes", f"FedEx tracking {digits(4)} {digits(4)} {digits(4)} – out for delivery"),
        lambda: ("observacoes", f"Código de rastreio {s10()} postado em {recent_date('pt_BR')}"),
        lambda: ("bemerkungen", f"Sendungsnummer {digits(20)} (DHL)"),
        # ISBN, EAN, GTIN, UPC
        lambda: ("isbn", pick([isbn13(), std_isbn.format(isbn13())])),
        lambda: ("descripcion", f"Libro ISBN {std_isbn.format(isbn13())}, tapa blanda"),
        lambda: ("ean", ean13(pick(["84", "80", "87", "73", "59", "789", "40", "76", "93", "94", "30"]))),
        lambda: ("gtin", "0" + ean13(pick(["84", "80", "87", "40"]))),
        lambda: ("codigo_barras", ean13("0")[1:]),
        lambda: ("beschreibung", f"EAN {ean13(pick(['40', '41', '42', '43', '90', '91', '76']))} – Karton à 12 Stück"),
        # versions, shas, digests, uuids
        lambda: ("version", pick(["v" + semver(), semver(), f"release-{semver()}"])),
        lambda: ("notes", f"Upgraded node to {semver()} and npm to {semver()}"),
        lambda: ("log", f"pip install requests=={semver()} urllib3=={semver()}"),
        lambda: ("commit", pick([hexs(40), hexs(7), hexs(12)])),
        lambda: ("notes", f"fixed in commit {hexs(40)} (cherry-picked from {hexs(7)})"),
        lambda: ("comentarios", f"Corregido en el commit {hexs(10)}, pendiente de desplegar"),
        lambda: ("log", f"{datetime.date(2024, 1, 1) + datetime.timedelta(days=R.randrange(400))}T10:{R.randrange(60):02d}:00Z INFO pulled image registry.example.com/api@sha256:{hexs(64)}"),
        lambda: ("log", f"SHA512 (release-{semver()}.tar.gz) = {hexs(128)}"),
        lambda: ("digest", pick(["sha256:" + hexs(64), hexs(64), hexs(128)])),
        lambda: ("package_lock", f'"integrity": "sha512-{rs(86, B64)}=="'),
        lambda: ("trace_id", str(uuid.UUID(int=R.getrandbits(128))) if chance(0.7) else "{" + str(uuid.UUID(int=R.getrandbits(128))).upper() + "}"),
        lambda: ("log", f"GET /api/v1/orders/{uuid.UUID(int=R.getrandbits(128))} 200 {R.randrange(3, 900)}ms"),
        # epochs, coordinates, durations
        lambda: ("created_ms", str(R.randrange(1_500_000_000_000, 1_800_000_000_000))),
        lambda: ("log", f"ts={R.randrange(1_600_000_000_000, 1_800_000_000_000)} level=info msg=\"cache warmed\" took={R.randrange(1, 9999)}ms"),
        lambda: ("coordinates", f"{R.uniform(-60, 70):.6f}, {R.uniform(-170, 170):.6f}"),
        lambda: ("ubicacion", f"lat: {R.uniform(35, 44):.4f}, lng: {R.uniform(-9, 3):.4f}"),
        lambda: ("notes", f"{R.randrange(30, 60)}°{R.randrange(60)}'{R.uniform(0, 60):.1f}\"N {R.randrange(0, 20)}°{R.randrange(60)}'{R.uniform(0, 60):.1f}\"E"),
        lambda: ("duration", pick([f"{R.randrange(0, 99):02d}:{R.randrange(60):02d}:{R.randrange(60):02d}.{R.randrange(1000):03d}", f"P{R.randrange(1, 9)}DT{R.randrange(24)}H{R.randrange(60)}M", f"{R.randrange(1, 10**6)} ms", f"{R.uniform(0, 100):.3f}s"])),
        lambda: ("log", f"job finished in {R.randrange(1, 10**7)} ms (uptime {R.randrange(1, 400)}d {R.randrange(24):02d}:{R.randrange(60):02d}:{R.randrange(60):02d})"),
        # money
        lambda: ("importe", money(LANG[L()])),
        lambda: ("price", f"{R.randrange(1, 5000)}.{R.randrange(100):02d}"),
        lambda: ("notes", f"Total: {money(LANG[L()])} (IVA incl.), {R.randrange(1, 20)} x {money('es')}"),
        # phone-like product codes next to product words
        lambda: ("sku", f"SKU {re.sub(r'^[+]', '', phone_value(L()).replace('+', ''))}"),
        lambda: ("descripcion", f"Ref. artículo {R.randrange(600, 700)} {R.randrange(10, 99)} {R.randrange(10, 99)} {R.randrange(10, 99)}, talla M"),
        lambda: ("beschreibung", f"Art.-Nr. 0{R.randrange(600, 700)} {R.randrange(1000000, 9999999)} nachbestellt"),
        lambda: ("notes", f"Part No. 0{R.randrange(400, 499)} {R.randrange(100, 999)} {R.randrange(100, 999)} backordered"),
        lambda: ("descrizione", f"Articolo cod. {R.randrange(300, 399)} {R.randrange(100, 999)} {R.randrange(1000, 9999)} esaurito"),
        lambda: ("item", f"Item #{R.randrange(10, 99)}-{R.randrange(100, 999)}-{R.randrange(10, 99)}-{R.randrange(10, 99)}"),
        # account-like ids
        lambda: ("customer_no", pick([f"{R.randrange(0, 10**9):09d}", f"{R.randrange(0, 10**10):010d}", f"K-{R.randrange(10**5, 10**7)}"])),
        lambda: ("bemerkungen", f"Kundennummer {R.randrange(10**6, 10**9)} gesperrt"),
        lambda: ("comentarios", f"Cliente nº {R.randrange(0, 10**9):09d} dado de baja"),
        lambda: ("opmerkingen", f"Klantnummer {R.randrange(10**6, 10**9)} samengevoegd"),
        lambda: ("uwagi", f"Zamówienie nr {R.randrange(10**8, 10**11)} wysłane"),
        lambda: ("observacoes", f"Pedido {R.randrange(10**8, 10**11)} entregue"),
        lambda: ("anteckningar", f"Ordernummer {R.randrange(10**7, 10**10)} levererad"),
        lambda: ("notes", f"member #{R.randrange(0, 10**8):08d} renewed"),
        lambda: ("user_id", str(R.randrange(10**5, 10**12))),
        # IP-shaped things that are not IPs
        lambda: ("notes", f"running version {R.randrange(1, 12)}.{R.randrange(0, 20)}.{R.randrange(0, 50)}.{R.randrange(0, 250)}"),
        lambda: ("firmware", f"{R.randrange(1, 10)}.{R.randrange(0, 20)}.{R.randrange(0, 50)}.{R.randrange(0, 250)}"),
        lambda: ("user_agent", f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{R.randrange(100, 130)}.0.{R.randrange(4000, 7000)}.{R.randrange(10, 200)} Safari/537.36"),
        lambda: ("log", f"snmpget -v2c -c public host 1.3.6.1.2.1.{R.randrange(1, 30)}.{R.randrange(1, 9)}.0"),
        lambda: ("comentarios", f"Ver apartado {R.randrange(1, 9)}.{R.randrange(1, 9)}.{R.randrange(1, 9)}.{R.randrange(1, 9)} del contrato"),
        lambda: ("build", f"build {R.randrange(1, 20)}.{R.randrange(0, 5)}.{R.randrange(1000, 30000)}.{R.randrange(1, 999)}"),
        # other structured ids
        lambda: ("notes", f"Stripe charge {pick(['ch_', 'pi_', 'cus_', 'in_', 'evt_'])}{rs(24)} succeeded"),
        lambda: ("log", f"segfault at 0x{hexs(12)} ip 0x{hexs(12)} sp 0x{hexs(12)}"),
        lambda: ("pod", f"api-{hexs(9)}-{rs(5, string.ascii_lowercase + string.digits)}"),
        lambda: ("serial_number", pick(["C02" + rs(9, string.ascii_uppercase + string.digits), "SN" + digits(10), upper(3) + "-" + digits(6)])),
        lambda: ("bic", pick(["CAIXESBBXXX", "BSCHESMM", "UNCRITMM", "INGBNL2A", "NDEASESS", "PKOPPLPW", "BKAUATWW", "UBSWCHZH80A", "ITAUBRSP"])),
        lambda: ("descrizione", f"Riferimento normativo: D.Lgs. {R.randrange(1, 300)}/{R.randrange(1990, 2024)}, art. {R.randrange(1, 99)}"),
        lambda: ("color", "#" + hexs(6)),
        lambda: ("measurements", ", ".join(f"{R.uniform(0, 100):.2f}" for _ in range(R.randrange(3, 8)))),
        lambda: ("log", f"{datetime.datetime(2024, 1, 1) + datetime.timedelta(seconds=R.randrange(10**7))} pid={R.randrange(100, 65000)} port={R.randrange(1024, 65535)} rss={R.randrange(10**4, 10**7)}kB"),
        # dates that are not dates of birth
        lambda: ("comentarios", f"Fecha de entrega: {recent_date('es_ES')}"),
        lambda: ("note", f"Scadenza fattura {recent_date('it_IT')}"),
        lambda: ("opmerkingen", f"Leverdatum {recent_date('nl_NL')} bevestigd"),
        lambda: ("bemerkungen", f"Lieferdatum {recent_date('de_AT')}, Zahlungsziel 30 Tage"),
        lambda: ("remarques", f"Date d'échéance : {recent_date('fr_CA')}"),
        lambda: ("due_date", recent_date(L())),
        lambda: ("thumbnail", "data:image/png;base64," + rs(R.randrange(40, 120), B64)),
    ]
    for _ in range(n):
        col, text = pick(kinds)()
        emit(col, [text], kind="hard_negative")


PLAIN = {
    "es": ["El pedido llegará el {day} entre las {h} y las {h2}.", "La reunión de equipo se ha movido a la sala {n}.",
           "Hemos actualizado la política de devoluciones para productos de {prod}.", "El almacén de {city} cierra por inventario el {day}.",
           "Gracias por su paciencia, estamos revisando la incidencia.", "El producto {prod} vuelve a estar disponible en tienda.",
           "Se recomienda reiniciar el router antes de llamar al soporte.", "La entrega se retrasa por la huelga de transportes."],
    "it": ["La consegna è prevista per {day} mattina.", "Il magazzino di {city} resterà chiuso per inventario.",
           "Abbiamo aggiornato il listino dei {prod}.", "La riunione è spostata alle {h}.", "Grazie per la pazienza, stiamo verificando.",
           "Il prodotto {prod} è di nuovo disponibile."],
    "nl": ["De levering staat gepland voor {day} tussen {h} en {h2}.", "Het magazijn in {city} is {day} gesloten.",
           "We hebben de prijzen van {prod} aangepast.", "Bedankt voor uw geduld, we kijken ernaar.", "De vergadering begint om {h}."],
    "pt": ["A entrega está prevista para {day} à tarde.", "O depósito de {city} fecha para balanço na {day}.",
           "Atualizamos a tabela de preços de {prod}.", "Obrigado pela paciência, estamos verificando.", "A reunião foi remarcada para as {h}."],
    "sv": ["Leveransen beräknas komma på {day}.", "Lagret i {city} är stängt för inventering.", "Vi har uppdaterat priserna på {prod}.",
           "Tack för ditt tålamod, vi tittar på ärendet.", "Mötet börjar klockan {h}."],
    "pl": ["Dostawa planowana jest na {day}.", "Magazyn w mieście {city} jest zamknięty z powodu inwentaryzacji.",
           "Zaktualizowaliśmy cennik produktów {prod}.", "Dziękujemy za cierpliwość, sprawdzamy zgłoszenie.", "Spotkanie przeniesiono na {h}."],
    "en": ["The delivery is expected on {day} between {h} and {h2}.", "The {city} warehouse is closed for stocktake.",
           "We have updated the returns policy for {prod}.", "Thanks for your patience, we are looking into it.",
           "Please restart the router before contacting support.", "Stand-up moved to {h} in room {n}.",
           "Quarterly results will be shared at the all-hands.", "The {prod} are back in stock."],
    "de": ["Die Lieferung ist für {day} zwischen {h} und {h2} geplant.", "Das Lager in {city} bleibt wegen Inventur geschlossen.",
           "Wir haben die Preise für {prod} angepasst.", "Danke für Ihre Geduld, wir prüfen den Fall.", "Die Besprechung beginnt um {h}."],
    "fr": ["La livraison est prévue {day} entre {h} et {h2}.", "L'entrepôt de {city} est fermé pour inventaire.",
           "Nous avons mis à jour les tarifs des {prod}.", "Merci de votre patience, nous vérifions le dossier.", "La réunion commence à {h}."],
}
DAYS = {"es": ["lunes", "martes", "miércoles", "jueves", "viernes"], "it": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì"],
        "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"], "pt": ["segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira"],
        "sv": ["måndag", "tisdag", "onsdag", "torsdag", "fredag"], "pl": ["poniedziałek", "wtorek", "środę", "czwartek", "piątek"],
        "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"],
        "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi"]}
PRODS = {"es": ["muebles de jardín", "cafeteras", "bicicletas"], "it": ["elettrodomestici", "scarpe da corsa", "caffettiere"],
         "nl": ["fietsen", "tuinmeubelen", "koffiezetapparaten"], "pt": ["eletrodomésticos", "bicicletas", "móveis"],
         "sv": ["cyklar", "trädgårdsmöbler", "kaffebryggare"], "pl": ["rowerów", "mebli ogrodowych", "ekspresów do kawy"],
         "en": ["garden furniture", "running shoes", "coffee machines"], "de": ["Gartenmöbel", "Fahrräder", "Kaffeemaschinen"],
         "fr": ["meubles de jardin", "vélos", "cafetières"]}


def gen_plain_negatives(n):
    for _ in range(n):
        lc = pick(LOCALES)
        lang = LANG[lc]
        r = R.random()
        if r < 0.8:
            s = pick(PLAIN[lang])
            k = R.randrange(1, 3)
            sents = [s] + [pick(PLAIN[lang]) for _ in range(k - 1)]
            text = " ".join(sents)
            h = R.randrange(8, 17)
            text = (text.replace("{day}", pick(DAYS[lang])).replace("{h2}", f"{h + 2}:00").replace("{h}", f"{h}:{pick(['00', '30'])}")
                    .replace("{n}", str(R.randrange(1, 12))).replace("{prod}", pick(PRODS[lang])).replace("{city}", FK[lc].city()))
            emit(free_col(lang), [text], kind="plain_negative")
        elif r < 0.9:
            emit(pick(["ciudad", "citta", "plaats", "cidade", "stad", "miasto", "city", "ort", "ville"]), [FK[lc].city()], kind="plain_negative")
        else:
            emit(pick(["empresa", "azienda", "bedrijf", "empresa", "foretag", "firma", "company", "societe"]), [company(lc)], kind="plain_negative")


# ------------------------------------------------------------------ checks

def check_labels():
    """Every label must cover exactly a value of its type: re-validated here."""
    checks = {
        "iban": lambda s: std_iban.is_valid(s),
        "credit_card": lambda s: luhn.is_valid(re.sub(r"[ -]", "", s)) and 12 <= len(re.sub(r"[ -]", "", s)) <= 19,
        "us_ssn": lambda s: std_ssn.is_valid(re.sub(r"[ -]", "", s)),
        "uk_nhs_number": lambda s: std_nhs.is_valid(s),
        "uk_nino": nino_valid,
        "de_tax_id": lambda s: std_idnr.is_valid(s) and not re.search(r"(\d)\1\1", s.replace(" ", "")),
        "fr_nir": lambda s: std_nir.is_valid(s),
        "es_dni": lambda s: std_dni.is_valid(s.replace(".", "")),
        "es_nie": lambda s: std_nie.is_valid(s),
        "it_fiscal_code": lambda s: std_cf.is_valid(s),
        "nl_bsn": lambda s: std_bsn.is_valid(s),
        "se_personnummer": lambda s: std_pnr.is_valid(s),
        "pl_pesel": lambda s: std_pesel.is_valid(s),
        "in_aadhaar": lambda s: std_aadhaar.is_valid(s),
        "in_pan": lambda s: std_pan.is_valid(s.upper()),
        "au_tfn": lambda s: std_tfn.is_valid(s),
        "au_medicare": medicare_valid,
        "ca_sin": lambda s: std_sin.is_valid(s),
        "br_cpf": lambda s: std_cpf.is_valid(s),
        "br_cnpj": lambda s: std_cnpj.is_valid(s),
        "sg_nric": nric_valid,
        "eu_vat": lambda s: std_vat.is_valid(s) or std_vat.is_valid("IT" + s) or std_vat.is_valid("PL" + s.replace("-", "")),
        "ipv4": lambda s: all(0 <= int(x) <= 255 for x in s.split(".")) and len(s.split(".")) == 4,
        "email": lambda s: re.fullmatch(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", s) is not None,
        "aws_access_key": lambda s: re.fullmatch(r"(AKIA|ASIA)[A-Z2-7]{16}", s) is not None,
    }
    names = {"email", "phone", "credit_card", "iban", "us_ssn", "ipv4", "ipv6", "mac_address", "date_of_birth", "passport",
             "drivers_licence", "street_address", "person_name", "aws_access_key", "github_token", "slack_token", "stripe_key",
             "google_api_key", "jwt", "private_key", "url_credentials", "high_entropy_secret"} | set(checks)
    for c in CELLS:
        raw = c["text"].encode("utf-8")
        spans = sorted((e["start"], e["end"]) for e in c["entities"])
        for a, b in zip(spans, spans[1:]):
            assert a[1] <= b[0], ("overlapping labels", c)
        for e in c["entities"]:
            assert e["type"] in names, e
            s = raw[e["start"]:e["end"]].decode("utf-8")
            assert s and s == s.strip(), (s, c)
            if e["type"] in checks:
                assert checks[e["type"]](s), (e["type"], s, c)
            if e["type"] == "phone":
                assert 7 <= len(re.sub(r"\D", "", s)) <= 15, s


def main():
    gen_email(170)
    gen_phone(200)
    gen_card(200)
    gen_iban(170)
    gen_ipv4(160)
    gen_ipv6(160)
    gen_mac(120)
    gen_dob(180)
    gen_passport(160)
    gen_licence(160)
    gen_address(170)
    gen_name(160)
    gen_secrets(1600)
    gen_us_ssn(160)
    gen_nhs(160)
    gen_nino(160)
    gen_de_idnr(160)
    gen_nir(160)
    gen_dni(160)
    gen_nie(160)
    gen_cf(160)
    gen_bsn(160)
    gen_pnr(160)
    gen_pesel(160)
    gen_aadhaar(160)
    gen_pan(160)
    gen_tfn(160)
    gen_medicare(160)
    gen_sin(160)
    gen_cpf(160)
    gen_cnpj(160)
    gen_nric(160)
    gen_vat(180)
    gen_signatures(150)
    gen_chats(150)
    gen_hard_negatives(2500)
    gen_plain_negatives(1000)
    check_labels()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "heldout.jsonl")
    with open(path, "w", encoding="utf-8") as fh:
        for c in CELLS:
            fh.write(json.dumps(c, ensure_ascii=False) + "\n")
    per = {}
    for c in CELLS:
        for e in c["entities"]:
            per[e["type"]] = per.get(e["type"], 0) + 1
    kinds = {}
    for c in CELLS:
        kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
    print(f"{path}: {len(CELLS)} cells, {os.path.getsize(path)} bytes, {kinds}", file=sys.stderr)
    print(" ".join(f"{k}={v}" for k, v in sorted(per.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
