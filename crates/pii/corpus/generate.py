#!/usr/bin/env python3
"""Generates the labeled PII corpus of probity-pii (corpus.jsonl).

One JSON object per line:
  {"column": str, "text": str, "kind": "positive" | "negative" | "hard_negative",
   "entities": [{"type": <EntityType snake_case>, "start": int, "end": int}]}
Offsets are UTF-8 byte offsets into `text`. Hard negatives (Luhn-failing
numbers, order ids, timestamps, ISO dates without context, version strings,
UUIDs, hashes, product codes, random numbers) have empty ground truth.

Deterministic: Faker and `random` are seeded. Regenerate with
  python3 -m venv /root/.cache/probity/piienv
  /root/.cache/probity/piienv/bin/pip install faker
  /root/.cache/probity/piienv/bin/python crates/pii/corpus/generate.py
"""
import base64
import ipaddress
import json
import os
import random
import string
import sys

from faker import Faker

SEED = 20240617
R = random.Random(SEED)
Faker.seed(SEED)
LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "en_IN"]
FK = {loc: Faker(loc) for loc in LOCALES}
for i, loc in enumerate(LOCALES):
    FK[loc].seed_instance(SEED + i)
IBAN_LOCALES = ["de_DE", "fr_FR", "en_GB", "nl_NL", "es_ES", "it_IT", "pt_PT", "fr_BE", "de_AT", "fi_FI", "pl_PL"]
FI = {loc: Faker(loc) for loc in IBAN_LOCALES}
for i, loc in enumerate(IBAN_LOCALES):
    FI[loc].seed_instance(SEED + 100 + i)
EN = FK["en_US"]

OUT = []


def rec(column, parts, kind="positive"):
    """parts: list of str or (entity_type, str)."""
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
    OUT.append({"column": column, "text": text, "kind": kind, "entities": ents})


def pick(xs):
    return xs[R.randrange(len(xs))]


def loc():
    return pick(LOCALES)


# ---------------------------------------------------------------- helpers

def luhn_digit(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(num):
    return luhn_digit(num[:-1]) == num[-1]


CARD_BRANDS = [
    ("visa", ["4"], [16, 16, 16, 13, 19]),
    ("mastercard", ["51", "52", "53", "54", "55", "2221", "2500", "2720"], [16]),
    ("amex", ["34", "37"], [15]),
    ("discover", ["6011", "65", "644", "649"], [16, 19]),
    ("jcb", ["3528", "3550", "3589"], [16]),
    ("diners", ["300", "305", "36", "38"], [14]),
    ("unionpay", ["62"], [16, 19]),
]


def card_number():
    brand, prefixes, lengths = pick(CARD_BRANDS)
    prefix = pick(prefixes)
    n = pick(lengths)
    body = prefix + "".join(R.choice(string.digits) for _ in range(n - len(prefix) - 1))
    return brand, body + luhn_digit(body)


def group(num, sizes, sep):
    out, i = [], 0
    for s in sizes:
        out.append(num[i:i + s])
        i += s
    if i < len(num):
        out.append(num[i:])
    return sep.join(x for x in out if x)


def fmt_card(brand, num):
    style = R.random()
    if style < 0.35:
        return num
    sep = " " if style < 0.75 else "-"
    if brand == "amex":
        return group(num, [4, 6, 5], sep)
    if brand == "diners" and len(num) == 14:
        return group(num, [4, 6, 4], sep)
    return group(num, [4, 4, 4, 4, 4], sep)


def rand_alnum(n, alphabet=string.ascii_letters + string.digits):
    return "".join(R.choice(alphabet) for _ in range(n))


def b64url(obj):
    raw = json.dumps(obj, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def jwt():
    header = {"alg": pick(["HS256", "RS256", "ES256"]), "typ": "JWT"}
    payload = {"sub": str(R.randrange(10**6, 10**7)), "name": EN.name(), "iat": R.randrange(1500000000, 1700000000)}
    sig = base64.urlsafe_b64encode(bytes(R.randrange(256) for _ in range(32))).decode().rstrip("=")
    return f"{b64url(header)}.{b64url(payload)}.{sig}"


def pem():
    kind = pick(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY"])
    body = base64.b64encode(bytes(R.randrange(256) for _ in range(R.randrange(120, 400)))).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {kind}-----\n" + "\n".join(lines) + f"\n-----END {kind}-----"


def secret_token(n):
    return "".join(R.choice(string.ascii_letters + string.digits + "+/") for _ in range(n))


def ipv6():
    a = ipaddress.IPv6Address(EN.ipv6())
    r = R.random()
    if r < 0.4:
        return a.exploded if R.random() < 0.5 else str(a)
    if r < 0.7:  # with zero runs, compressed
        words = a.exploded.split(":")
        k = R.randrange(1, 6)
        i = R.randrange(0, 8 - k)
        for j in range(i, i + k):
            words[j] = "0000"
        return str(ipaddress.IPv6Address(":".join(words)))
    if r < 0.85:
        return "fe80::" + ":".join(f"{R.randrange(65536):x}" for _ in range(4))
    return f"2001:db8::{R.randrange(65536):x}"


def mac():
    m = EN.mac_address()
    r = R.random()
    if r < 0.5:
        return m
    if r < 0.8:
        return m.upper().replace(":", "-")
    h = m.replace(":", "")
    return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"


def dob_str(lc):
    d = FK[lc].date_of_birth(minimum_age=18, maximum_age=90)
    months_en = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    months_de = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]
    months_fr = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
    r = R.random()
    if r < 0.3:
        return d.isoformat()
    if r < 0.45:
        return d.strftime("%m/%d/%Y") if lc == "en_US" else d.strftime("%d/%m/%Y")
    if r < 0.55:
        return d.strftime("%d.%m.%Y")
    if r < 0.7:
        m = {"de_DE": months_de, "fr_FR": months_fr}.get(lc, months_en)[d.month - 1]
        return f"{d.day} {m} {d.year}"
    if r < 0.85:
        return f"{months_en[d.month - 1]} {d.day}, {d.year}"
    return f"{d.day:02d}-{months_en[d.month - 1][:3]}-{d.year}"


def licence():
    r = R.random()
    if r < 0.25:
        return R.choice(string.ascii_uppercase) + "".join(R.choice(string.digits) for _ in range(7))  # CA
    if r < 0.4:
        return " ".join("".join(R.choice(string.digits) for _ in range(3)) for _ in range(3))  # NY
    if r < 0.55:
        d = "".join(R.choice(string.digits) for _ in range(12))
        return f"{R.choice(string.ascii_uppercase)}{d[:3]}-{d[3:6]}-{d[6:8]}-{d[8:11]}-{d[11]}"  # FL
    if r < 0.75:
        last = FK["en_GB"].last_name().upper().replace("'", "")[:5].ljust(5, "9")
        return f"{last}{R.randrange(10**5, 10**6)}{R.choice(string.ascii_uppercase)}{R.choice(string.ascii_uppercase)}9{R.choice(string.ascii_uppercase)}{R.choice(string.ascii_uppercase)}"  # UK
    if r < 0.9:
        return R.choice(string.ascii_uppercase) + f"{R.randrange(100, 1000)}" + rand_alnum(4, string.ascii_uppercase + string.digits) + f"{R.randrange(10, 100)}"  # DE
    return f"{R.randrange(10, 100)}{rand_alnum(2, string.ascii_uppercase)}{R.randrange(10**7, 10**8)}"  # FR


def person(lc):
    f = FK[lc]
    return f"{f.first_name()} {f.last_name()}"


# ---------------------------------------------------------------- positives

def gen_email(n):
    for _ in range(n):
        lc = loc()
        e = pick([FK[lc].email, FK[lc].free_email, FK[lc].company_email])()
        t = R.randrange(6)
        if t == 0:
            rec("email", [("email", e)])
        elif t == 1:
            rec("notes", ["Contact me at ", ("email", e), " for details."])
        elif t == 2:
            rec("comment", ["Please forward the invoice to ", ("email", e), " asap"])
        elif t == 3:
            rec("message", ["cc: ", ("email", e), "; ", ("email", FK[lc].email())])
        elif t == 4:
            rec("customer_email", [("email", e.upper() if R.random() < 0.2 else e)])
        else:
            rec("notes", ["Reply-To <", ("email", e), ">"])


def gen_phone(n):
    for _ in range(n):
        lc = loc()
        p = FK[lc].phone_number()
        t = R.randrange(9)
        if t == 7:
            # no context word: the format alone has to carry it
            rec("notes", ["Office ", ("phone", p)])
        elif t == 8:
            rec("notes", [FK[lc].first_name(), ": ", ("phone", p), " (weekdays)"])
        elif t == 0:
            rec("phone", [("phone", p)])
        elif t == 1:
            rec("notes", ["Call me on ", ("phone", p), " after 6pm"])
        elif t == 2:
            rec("contact", ["Tel.: ", ("phone", p)])
        elif t == 3:
            rec("comment", ["Customer asked for a callback, mobile ", ("phone", p), "."])
        elif t == 4:
            rec("mobile_number", [("phone", p)])
        elif t == 5:
            rec("notes", ["Phone number: ", ("phone", p), ", email preferred"])
        else:
            rec("notes", ["You can reach me at ", ("phone", p), " during office hours"])


def gen_card(n):
    for _ in range(n):
        brand, num = card_number()
        c = fmt_card(brand, num)
        t = R.randrange(6)
        if t == 0:
            rec("card_number", [("credit_card", c)])
        elif t == 1:
            rec("notes", ["Paid with card ", ("credit_card", c), " exp 09/27"])
        elif t == 2:
            rec("payment", ["CC: ", ("credit_card", c)])
        elif t == 3:
            rec("comment", ["Customer read out ", ("credit_card", c), " over the phone"])
        elif t == 4:
            rec("cc", [("credit_card", c)])
        else:
            rec("notes", ["Refund to ", brand.capitalize(), " ", ("credit_card", c), " please"])


def gen_iban(n):
    for _ in range(n):
        lc = pick(IBAN_LOCALES)
        i = FI[lc].iban()
        if R.random() < 0.5:
            i = " ".join(i[k:k + 4] for k in range(0, len(i), 4))
        t = R.randrange(5)
        if t == 0:
            rec("iban", [("iban", i)])
        elif t == 1:
            rec("notes", ["IBAN: ", ("iban", i)])
        elif t == 2:
            rec("comment", ["Please transfer the deposit to ", ("iban", i), " by Friday"])
        elif t == 3:
            rec("bank_account", [("iban", i)])
        else:
            rec("notes", ["Refund account ", ("iban", i), " (", FK[loc()].company(), ")"])


def gen_ssn(n):
    for _ in range(n):
        s = EN.ssn()
        t = R.randrange(7)
        if t == 0:
            rec("ssn", [("us_ssn", s)])
        elif t == 1:
            rec("ssn", [("us_ssn", s.replace("-", ""))])
        elif t == 2:
            rec("notes", ["SSN: ", ("us_ssn", s)])
        elif t == 3:
            rec("notes", ["social security number ", ("us_ssn", s.replace("-", " "))])
        elif t == 4:
            rec("comment", ["Applicant SSN ", ("us_ssn", s.replace("-", "")), " verified"])
        elif t == 5:
            rec("notes", ["Tax form on file, ref ", ("us_ssn", s)])
        else:
            rec("social_security_number", [("us_ssn", s)])


def gen_ipv4(n):
    for _ in range(n):
        ip = pick([EN.ipv4, EN.ipv4_private, EN.ipv4_public])()
        t = R.randrange(6)
        if t == 0:
            rec("ip_address", [("ipv4", ip)])
        elif t == 1:
            rec("notes", ["Login from ", ("ipv4", ip), " failed twice"])
        elif t == 2:
            rec("log", [("ipv4", ip), ' - - [10/Oct/2023:13:55:36 +0000] "GET /index.html HTTP/1.1" 200 2326'])
        elif t == 3:
            rec("config", ["server=", ("ipv4", ip), ":8080"])
        elif t == 4:
            rec("notes", ["Blocked ", ("ipv4", ip), " after abuse report"])
        else:
            rec("client_ip", [("ipv4", ip)])


def gen_ipv6(n):
    for _ in range(n):
        ip = ipv6()
        t = R.randrange(5)
        if t == 0:
            rec("ip_address", [("ipv6", ip)])
        elif t == 1:
            rec("notes", ["Login from ", ("ipv6", ip), " failed"])
        elif t == 2:
            rec("log", ["src=", ("ipv6", ip), " dst=", ("ipv6", ipv6()), " proto=tcp"])
        elif t == 3:
            rec("notes", ["Client address ", ("ipv6", ip)])
        else:
            rec("remote_addr", [("ipv6", ip)])


def gen_mac(n):
    for _ in range(n):
        m = mac()
        t = R.randrange(4)
        if t == 0:
            rec("mac_address", [("mac_address", m)])
        elif t == 1:
            rec("notes", ["Device MAC ", ("mac_address", m), " registered"])
        elif t == 2:
            rec("log", ["DHCPACK on 10.0.0.", str(R.randrange(2, 250)), " to ", ("mac_address", m), " via eth0"])
        else:
            rec("notes", ["new device ", ("mac_address", m), " joined the network"])
    # the DHCP template contains a partial IPv4 ("10.0.0.N") that is an IP too
    for r in OUT[-n:]:
        if r["column"] == "log" and r["text"].startswith("DHCPACK"):
            s = r["text"].index("10.0.0.")
            e = r["text"].index(" to ")
            r["entities"].append({"type": "ipv4", "start": s, "end": e})


def gen_dob(n):
    for _ in range(n):
        lc = loc()
        d = dob_str(lc)
        t = R.randrange(7)
        if t == 0:
            rec("dob", [("date_of_birth", d)])
        elif t == 1:
            rec("notes", ["DOB: ", ("date_of_birth", d)])
        elif t == 2:
            rec("notes", ["Patient was born on ", ("date_of_birth", d), " in ", FK[lc].city()])
        elif t == 3:
            rec("comment", ["Date of birth ", ("date_of_birth", d), ", verified by phone"])
        elif t == 4:
            rec("date_of_birth", [("date_of_birth", d)])
        elif t == 5:
            if lc == "de_DE":
                rec("notes", ["geboren am ", ("date_of_birth", d)])
            elif lc == "fr_FR":
                rec("notes", ["né le ", ("date_of_birth", d), " à ", FK[lc].city()])
            else:
                rec("notes", ["Birthday: ", ("date_of_birth", d)])
        else:
            rec("notes", ["Joined 2019-03-01, born ", ("date_of_birth", d)])


def gen_passport(n):
    for _ in range(n):
        lc = loc()
        p = FK[lc].passport_number()
        t = R.randrange(4)
        if t == 0:
            rec("passport_number", [("passport", p)])
        elif t == 1:
            rec("notes", ["Passport No: ", ("passport", p)])
        elif t == 2:
            rec("comment", ["Traveller presented passport ", ("passport", p), " at check-in"])
        else:
            rec("notes", ["passport number ", ("passport", p), ", expires 2031"])


def gen_licence(n):
    for _ in range(n):
        lcn = licence()
        t = R.randrange(4)
        if t == 0:
            rec("drivers_license", [("drivers_licence", lcn)])
        elif t == 1:
            rec("notes", ["Driver's license: ", ("drivers_licence", lcn)])
        elif t == 2:
            rec("notes", ["DL# ", ("drivers_licence", lcn), " (state issued)"])
        else:
            rec("comment", ["driving licence number ", ("drivers_licence", lcn), " checked"])


def gen_address(n):
    for _ in range(n):
        lc = loc()
        a = FK[lc].street_address()
        t = R.randrange(5)
        if t == 0:
            rec("address", [("street_address", a)])
        elif t == 1:
            rec("notes", ["Ship to: ", ("street_address", a), ", ", FK[lc].city()])
        elif t == 2:
            rec("comment", ["Customer lives at ", ("street_address", a)])
        elif t == 3:
            rec("street_address", [("street_address", a)])
        else:
            rec("notes", [("street_address", a), ", ", FK[lc].postcode(), " ", FK[lc].city()])


def gen_name(n):
    for _ in range(n):
        lc = loc()
        f = FK[lc]
        t = R.randrange(7)
        if t == 0:
            rec("name", [("person_name", person(lc))])
        elif t == 1:
            rec("customer_name", [("person_name", person(lc))])
        elif t == 2:
            rec("notes", ["Meeting with ", ("person_name", person(lc)), " tomorrow at 10"])
        elif t == 3:
            rec("notes", ["Dear ", ("person_name", person(lc)), ","])
        elif t == 4:
            rec("comment", ["Approved by Mrs. ", ("person_name", f.last_name()), " on Monday"])
        elif t == 5:
            rec("notes", ["My name is ", ("person_name", person(lc)), " and I need help"])
        else:
            rec("first_name", [("person_name", f.first_name())])


def gen_secrets(n):
    for _ in range(n):
        t = R.randrange(16)
        if t == 0:
            k = pick(["AKIA", "ASIA"]) + rand_alnum(16, string.ascii_uppercase + string.digits)
            rec("config", ["aws_access_key_id=", ("aws_access_key", k)])
        elif t == 1:
            k = "AKIA" + rand_alnum(16, string.ascii_uppercase + string.digits)
            rec("notes", ["leaked key ", ("aws_access_key", k), " in repo"])
        elif t == 2:
            k = pick(["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]) + rand_alnum(36)
            rec("notes", ["export GITHUB_TOKEN=", ("github_token", k)])
        elif t == 3:
            k = "github_pat_" + rand_alnum(22) + "_" + rand_alnum(59)
            rec("config", [("github_token", k)])
        elif t == 4:
            k = pick(["xoxb", "xoxp", "xoxa"]) + f"-{R.randrange(10**11, 10**12)}-{R.randrange(10**12, 10**13)}-" + rand_alnum(24)
            rec("notes", ["slack bot ", ("slack_token", k)])
        elif t == 5:
            k = pick(["sk", "rk", "pk"]) + "_" + pick(["live", "test"]) + "_" + rand_alnum(R.randrange(24, 40))
            rec("config", ["STRIPE_KEY=", ("stripe_key", k)])
        elif t == 6:
            k = "AIza" + rand_alnum(35, string.ascii_letters + string.digits + "_-")
            rec("notes", ["maps key ", ("google_api_key", k)])
        elif t == 7:
            rec("notes", ["Authorization: Bearer ", ("jwt", jwt())])
        elif t == 8:
            rec("token", [("jwt", jwt())])
        elif t == 9:
            rec("notes", ["key file:\n", ("private_key", pem())])
        elif t == 10:
            user = EN.user_name()
            pw = rand_alnum(R.randrange(8, 16))
            scheme = pick(["postgres", "mysql", "https", "ftp", "redis", "mongodb"])
            host = pick([EN.domain_name(), EN.ipv4_private(), "db.internal"])
            port = pick(["", ":5432", ":3306", ":8443"])
            url = f"{scheme}://{user}:{pw}@{host}{port}"
            rec("notes", ["DATABASE_URL=", ("url_credentials", url), "/app"])
        elif t == 11:
            rec("config", ["api_key = ", ("high_entropy_secret", secret_token(R.randrange(32, 48)))])
        elif t == 12:
            rec("notes", ["client secret: ", ("high_entropy_secret", secret_token(R.randrange(24, 40)))])
        elif t == 13:
            rec("notes", ["password=", ("high_entropy_secret", rand_alnum(R.randrange(20, 28), string.ascii_letters + string.digits + "!#%"))])
        elif t == 14:
            rec("api_token", [("high_entropy_secret", secret_token(40))])
        else:
            rec("notes", ["access token ", ("high_entropy_secret", rand_alnum(32, "0123456789abcdef"))])


def gen_mixed(n):
    """Cells with several entities at once."""
    for _ in range(n):
        lc = pick(["en_US", "en_GB"])
        f = FK[lc]
        nm = person(lc)
        em = f.email()
        ph = f.phone_number()
        rec("notes", [("person_name", nm), " <", ("email", em), ">, phone ", ("phone", ph)])


# ---------------------------------------------------------------- negatives

def luhn_failing_16():
    while True:
        n = pick(["4", "5", "6", "3"]) + "".join(R.choice(string.digits) for _ in range(15))
        if not luhn_ok(n):
            return n


def gen_hard_negatives(n):
    kinds = [
        lambda: ("reference", luhn_failing_16()),
        lambda: ("notes", "Invoice ref " + group(luhn_failing_16(), [4, 4, 4, 4], " ")),
        lambda: ("order_id", f"ORD-{R.randrange(2015, 2025)}-{R.randrange(0, 10**6):06d}"),
        lambda: ("order_id", f"#{R.randrange(10**7, 10**9)}"),
        lambda: ("notes", f"PO {R.randrange(10**9, 10**10)} received"),
        lambda: ("timestamp", EN.date_time().strftime("%Y-%m-%d %H:%M:%S")),
        lambda: ("created_at", EN.iso8601()),
        lambda: ("notes", "Updated " + EN.date_time().strftime("%d/%m/%Y %H:%M")),
        lambda: ("epoch", str(R.randrange(1_000_000_000, 1_800_000_000))),
        lambda: ("ship_date", EN.date()),
        lambda: ("notes", "Shipped on " + EN.date() + " via UPS"),
        lambda: ("app_version", ".".join(str(R.randrange(0, 20)) for _ in range(4))),
        lambda: ("notes", "Upgraded to v" + ".".join(str(R.randrange(0, 30)) for _ in range(4))),
        lambda: ("notes", "build " + ".".join(str(R.randrange(0, 300)) for _ in range(4))),
        lambda: ("notes", "running version " + ".".join(str(R.randrange(0, 12)) for _ in range(3))),
        lambda: ("uuid", EN.uuid4()),
        lambda: ("notes", "request id " + EN.uuid4()),
        lambda: ("checksum", EN.md5()),
        lambda: ("checksum", EN.sha1()),
        lambda: ("notes", "sha256 " + EN.sha256()),
        lambda: ("sku", f"SKU-{R.randrange(100, 1000)}-{R.randrange(1000, 10000)}"),
        lambda: ("notes", f"Part PN {R.randrange(1000, 10000)}-{R.randrange(100, 1000)}-{R.randrange(10, 100)} backordered"),
        lambda: ("sku", f"A{R.randrange(1, 10)}-{R.randrange(1000, 10000)}-{R.randrange(1000, 10000)}"),
        lambda: ("model", f"MOD-{R.randrange(1000, 10000)}-{R.randrange(1000, 10000)}"),
        lambda: ("amount", f"{R.randrange(0, 10**7)}.{R.randrange(0, 100):02d}"),
        lambda: ("notes", f"Qty {R.randrange(1, 50)}, total {R.randrange(1, 99)},{R.randrange(100, 1000)}.{R.randrange(0, 100):02d} USD"),
        lambda: ("value", str(R.randrange(0, 10**R.randrange(2, 12)))),
        lambda: ("measurement", f"{R.random() * 1000:.5f}"),
        lambda: ("notes", f"Room {R.randrange(100, 999)}, floor {R.randrange(1, 30)}"),
        lambda: ("tracking", "1Z" + rand_alnum(16, string.ascii_uppercase + string.digits)),
        lambda: ("customer_id", f"{R.randrange(0, 10**8):010d}"),
        lambda: ("notes", f"Account {R.randrange(10**9, 10**11)} closed"),
    ]
    for _ in range(n):
        col, text = pick(kinds)()
        rec(col, [text], kind="hard_negative")


def gen_negatives(n):
    for _ in range(n):
        lc = loc()
        f = FK[lc]
        t = R.randrange(6)
        if t == 0:
            rec("notes", [f.sentence(nb_words=R.randrange(6, 16))], kind="negative")
        elif t == 1:
            rec("company", [f.company()], kind="negative")
        elif t == 2:
            rec("city", [f.city()], kind="negative")
        elif t == 3:
            rec("description", [EN.paragraph(nb_sentences=2)], kind="negative")
        elif t == 4:
            rec("job", [f.job()], kind="negative")
        else:
            rec("product", [EN.catch_phrase()], kind="negative")


def main():
    gen_email(300)
    gen_phone(800)
    gen_card(400)
    gen_iban(300)
    gen_ssn(300)
    gen_ipv4(250)
    gen_ipv6(250)
    gen_mac(200)
    gen_dob(300)
    gen_passport(200)
    gen_licence(200)
    gen_address(400)
    gen_name(400)
    gen_secrets(1300)
    gen_mixed(100)
    gen_hard_negatives(2000)
    gen_negatives(800)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus.jsonl")
    with open(path, "w", encoding="utf-8") as fh:
        for r in OUT:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{path}: {len(OUT)} cells, {os.path.getsize(path)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
