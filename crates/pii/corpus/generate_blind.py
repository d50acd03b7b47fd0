#!/usr/bin/env python3
"""Blind labelled evaluation corpus for the PII detection engine (crates/pii).

What it is
----------
A generator for ``crates/pii/corpus/blind.jsonl``: about ten thousand labelled
table cells (one JSON object per line, same schema as ``corpus.jsonl`` and
``heldout.jsonl``) covering all 41 entity types, 2,500+ hard negatives and
1,000+ plain negatives.  Spans are BYTE offsets into the UTF-8 text.

Why it exists
-------------
``corpus.jsonl`` is the tuning set and ``heldout.jsonl`` became a development
set once its failures were read.  This third corpus is the BLIND test set: it
was written without reading the detector sources (only ``src/entity.rs`` for
the list of type names), without reading the earlier generators or benchmark
reports, and without running any detector on it.  Its locales (pt_PT, da_DK,
fi_FI, no_NO, cs_CZ, sk_SK, ro_RO, hu_HU, el_GR, hr_HR, sl_SI, lt_LT, lv_LV,
et_EE, nl_BE, fr_BE, it_CH, es_AR, es_CO, es_CL, en_PH, en_TH, plus hi_IN and
Singapore names) and its templates are disjoint from the earlier corpora.

RULE: never tune on it.  This file and blind.jsonl may only be changed to fix
a LABELLING bug (a wrong offset, a missing or wrong label) found by reading
the corpus itself -- never after looking at detector output on it, and never
to make a detector score better.  Results on it are reported, not optimised.

Regenerate
----------
    python3 -m venv /tmp/pii-venv
    /tmp/pii-venv/bin/pip install faker==40.63.0 python-stdnum==2.2 phonenumbers
    /tmp/pii-venv/bin/python crates/pii/corpus/generate_blind.py

The output is deterministic (fixed seeds; phonenumbers 9.0.x was used).

Validation
----------
Identifiers are generated valid and re-checked at the end (check_labels()):
python-stdnum validates IBAN, Luhn, de.idnr, fr.nir, es.dni, es.nie,
it.codicefiscale, nl.bsn, se.personnummer, pl.pesel, in_.aadhaar, in_.pan,
au.tfn, ca.sin, br.cpf, br.cnpj, eu.vat and gb.nhs; phonenumbers validates
phone numbers.  stdnum has no module for these, so the published rules are
implemented here: UK NINO (HMRC prefix rules, six digits, suffix A-D), AU
Medicare (first digit 2-6, weights 1,3,7,9,1,3,7,9 mod 10 on digits 1-8,
issue number), SG NRIC/FIN (weights 2,7,6,5,4,3,2; S/F offset 0, T/G offset
4, M offset 3 with the M table), US SSN (area not 000/666/9xx, group and
serial not zero).

Labelling conventions (see crates/pii/bench/BLIND.md)
-----------------------------------------------------
* url_credentials covers the WHOLE URL, from the scheme to the end of the URL
  (path, query included); the password is not labelled separately.
* Slack incoming-webhook URLs are labelled slack_token over the whole URL.
* private_key covers the PEM block from "-----BEGIN" to the closing "-----",
  including escaped "\\n" when the block sits inside a JSON/.env string.
* An AWS secret access key (40 chars) or session token is high_entropy_secret;
  only the AKIA/ASIA key id is aws_access_key.
* person_name excludes titles (Dr., Ing., Mgr., Sr., ...); "SURNAME, Given"
  is one span; on OCR'd ID pages where surname and given names are on
  separate lines each line is its own person_name span.  Person names inside
  company names or street names are not labelled (they are part of an
  organisation or of a street_address).  E-mail local parts are not names.
* street_address is the street line (street, house number, unit/floor);
  postcode, city and country are outside the span.
* date_of_birth is labelled only when the text or column says it is a birth
  date; other dates (delivery, invoice, expiry, arrival) are never labelled.
"""

import base64
import datetime as dt
import hashlib
import ipaddress
import json
import os
import random
import re
import string
import sys
import uuid
from collections import Counter
from xml.sax.saxutils import escape as xml_escape

import phonenumbers
from faker import Faker
from faker.decode import unidecode
from stdnum import iban as std_iban
from stdnum import luhn, verhoeff, isbn as std_isbn, ean as std_ean, imei as std_imei
from stdnum import iso11649, iso6346
from stdnum.iso7064 import mod_11_10, mod_97_10
from stdnum.au import tfn as std_tfn
from stdnum.br import cnpj as std_cnpj, cpf as std_cpf
from stdnum.ca import sin as std_sin
from stdnum.de import idnr as std_idnr
from stdnum.es import dni as std_dni, nie as std_nie
from stdnum.eu import vat as std_vat
from stdnum.fr import nir as std_nir
from stdnum.gb import nhs as std_nhs
from stdnum.in_ import aadhaar as std_aadhaar, pan as std_pan
from stdnum.it import codicefiscale as std_cf
from stdnum.nl import bsn as std_bsn
from stdnum.pl import pesel as std_pesel
from stdnum.se import personnummer as std_pnr

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "blind.jsonl")

SEED = 20250917
R = random.Random(SEED)

ENTITY_TYPES = [
    "email", "phone", "credit_card", "iban", "us_ssn", "ipv4", "ipv6", "mac_address",
    "date_of_birth", "passport", "drivers_licence", "street_address", "person_name",
    "aws_access_key", "github_token", "slack_token", "stripe_key", "google_api_key", "jwt",
    "private_key", "url_credentials", "high_entropy_secret", "uk_nhs_number", "uk_nino",
    "de_tax_id", "fr_nir", "es_dni", "es_nie", "it_fiscal_code", "nl_bsn", "se_personnummer",
    "pl_pesel", "in_aadhaar", "in_pan", "au_tfn", "au_medicare", "ca_sin", "br_cpf", "br_cnpj",
    "sg_nric", "eu_vat",
]

DIG = string.digits
UP = string.ascii_uppercase
LOW = string.ascii_lowercase
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
B64 = string.ascii_letters + string.digits + "+/"
B64URL = string.ascii_letters + string.digits + "-_"


def rs(alphabet, n):
    return "".join(R.choice(alphabet) for _ in range(n))


def pick(seq):
    return R.choice(seq)


def chance(p):
    return R.random() < p


# ---------------------------------------------------------------------------
# Fragments: text pieces with optional labels.  Offsets are computed from the
# UTF-8 encoding when a cell is rendered, never by hand.
# ---------------------------------------------------------------------------

class Frag:
    __slots__ = ("parts",)

    def __init__(self, parts=None):
        self.parts = parts or []

    def __add__(self, other):
        return Frag(self.parts + F(other).parts)

    def __radd__(self, other):
        return Frag(F(other).parts + self.parts)

    def map(self, fn, labelled=True):
        out = []
        for text, typ in self.parts:
            if typ is None or labelled:
                text = fn(text)
            out.append((text, typ))
        return Frag(out)

    def plain(self):
        return "".join(t for t, _ in self.parts)

    def render(self):
        text_parts, ents, pos = [], [], 0
        for text, typ in self.parts:
            b = len(text.encode("utf-8"))
            if typ is not None:
                if not text:
                    raise ValueError("empty labelled span of type %s" % typ)
                ents.append({"type": typ, "start": pos, "end": pos + b})
            text_parts.append(text)
            pos += b
        return "".join(text_parts), ents


def F(x):
    if isinstance(x, Frag):
        return x
    if x is None:
        return Frag([])
    if isinstance(x, (int, float)):
        x = str(x)
    return Frag([(x, None)])


def L(typ, value):
    assert typ in ENTITY_TYPES, typ
    return Frag([(value, typ)])


_FMT_RE = re.compile(r"\{(\w+)\}")


def fmt(tpl, **kw):
    """Template with {name} slots; slot values may be str or Frag."""
    out = Frag([])
    pos = 0
    for m in _FMT_RE.finditer(tpl):
        if m.start() > pos:
            out = out + tpl[pos:m.start()]
        out = out + F(kw[m.group(1)])
        pos = m.end()
    if pos < len(tpl):
        out = out + tpl[pos:]
    return out


def join(sep, items):
    out = Frag([])
    for i, it in enumerate(items):
        if i:
            out = out + sep
        out = out + F(it)
    return out


def json_esc(s):
    return json.dumps(s, ensure_ascii=False)[1:-1]


def sql_esc(s):
    return s.replace("'", "''")


def xml_esc(s):
    return xml_escape(s)


# ---------------------------------------------------------------------------
# Counters and output
# ---------------------------------------------------------------------------

CELLS = []
COUNT = Counter()          # labelled values per type
BARE = Counter()           # values standing alone in a column named for them
KIND = Counter()
TARGET = {t: 190 for t in ENTITY_TYPES}
# how many values of a type may be added as a side entity of another type's cell
SIDE_CAP = Counter({t: 0 for t in ENTITY_TYPES})
SIDE_CAP.update({"br_cpf": 30, "email": 95, "phone": 95, "street_address": 90, "date_of_birth": 95,
                 "ipv4": 80, "iban": 30, "mac_address": 20, "ipv6": 20, "high_entropy_secret": 70,
                 "eu_vat": 25, "passport": 25})


def side(t):
    """Whether an optional side value of type t may be added to the current cell."""
    return COUNT[t] < SIDE_CAP[t]


SEEN = set()


def emit(column, frag, kind="positive", bare=False, unique=False):
    text, ents = F(frag).render()
    if unique and text in SEEN:
        return False
    SEEN.add(text)
    if kind == "positive" and not ents:
        raise ValueError("positive cell without entities: %r" % text)
    if kind != "positive" and ents:
        raise ValueError("negative cell with entities: %r" % text)
    CELLS.append({"column": column, "text": text, "kind": kind, "entities": ents})
    KIND[kind] += 1
    for e in ents:
        COUNT[e["type"]] += 1
        if bare:
            BARE[e["type"]] += 1
    return True


# ---------------------------------------------------------------------------
# Languages: field labels and phrases
# ---------------------------------------------------------------------------

KEYS = ("name first last dob born phone mobile email address city zip passport passport_word dl "
        "dl_word iban card password taxid idno customer patient guest employee nationality arrival "
        "departure room policy claim amount invoice order delivery expiry tracking ref hello thanks "
        "regards wrote transfer salary note date issued doctor allergies insurance company department "
        "sex").split()

_W = {
"pt": ["Nome completo", "Nome", "Apelido", "Data de nascimento", "nascido(a) em", "Telefone", "Telemóvel",
       "E-mail", "Morada", "Localidade", "Código postal", "N.º do passaporte", "passaporte",
       "N.º da carta de condução", "carta de condução", "IBAN", "N.º do cartão", "palavra-passe", "NIF",
       "N.º de identificação", "Cliente", "Utente", "Hóspede", "Colaborador", "Nacionalidade", "Chegada",
       "Partida", "Quarto", "Apólice n.º", "Sinistro n.º", "Montante", "Fatura n.º", "Encomenda n.º",
       "Data de entrega", "Válido até", "N.º de seguimento", "Referência", "Olá", "Obrigado",
       "Cumprimentos", "Em {d}, {n} <{e}> escreveu:", "Transferência", "Vencimento", "Observações", "Data",
       "Emitido em", "Médico", "Alergias", "Seguradora", "Empresa", "Departamento", "Sexo"],
"da": ["Fulde navn", "Fornavn", "Efternavn", "Fødselsdato", "født", "Telefon", "Mobil", "E-mail", "Adresse",
       "By", "Postnr.", "Pasnummer", "pas", "Kørekortnummer", "kørekort", "IBAN", "Kortnummer",
       "adgangskode", "Skattenummer", "ID-nummer", "Kunde", "Patient", "Gæst", "Medarbejder", "Nationalitet",
       "Ankomst", "Afrejse", "Værelse", "Policenr.", "Skadenr.", "Beløb", "Fakturanr.", "Ordrenr.",
       "Leveringsdato", "Gyldig til", "Forsendelsesnr.", "Reference", "Hej", "Tak", "Med venlig hilsen",
       "Den {d} skrev {n} <{e}>:", "Overførsel", "Løn", "Bemærkninger", "Dato", "Udstedt", "Læge",
       "Allergier", "Forsikringsselskab", "Firma", "Afdeling", "Køn"],
"fi": ["Koko nimi", "Etunimi", "Sukunimi", "Syntymäaika", "syntynyt", "Puhelin", "Matkapuhelin", "Sähköposti",
       "Osoite", "Postitoimipaikka", "Postinumero", "Passin numero", "passi", "Ajokortin numero", "ajokortti",
       "IBAN", "Kortin numero", "salasana", "Veronumero", "Tunnistenumero", "Asiakas", "Potilas", "Vieras",
       "Työntekijä", "Kansalaisuus", "Saapuminen", "Lähtö", "Huone", "Vakuutusnumero", "Vahinkonumero",
       "Summa", "Laskun numero", "Tilausnumero", "Toimituspäivä", "Voimassa", "Seurantakoodi", "Viite", "Hei",
       "Kiitos", "Ystävällisin terveisin", "{n} <{e}> kirjoitti {d}:", "Tilisiirto", "Palkka", "Lisätiedot",
       "Päivämäärä", "Myönnetty", "Lääkäri", "Allergiat", "Vakuutusyhtiö", "Yritys", "Osasto", "Sukupuoli"],
"no": ["Fullt navn", "Fornavn", "Etternavn", "Fødselsdato", "født", "Telefon", "Mobil", "E-post", "Adresse",
       "Poststed", "Postnr.", "Passnummer", "pass", "Førerkortnummer", "førerkort", "IBAN", "Kortnummer",
       "passord", "Skattenummer", "ID-nummer", "Kunde", "Pasient", "Gjest", "Ansatt", "Statsborgerskap",
       "Ankomst", "Avreise", "Rom", "Polisenr.", "Skadenr.", "Beløp", "Fakturanr.", "Ordrenr.", "Leveringsdato",
       "Gyldig til", "Sporingsnummer", "Referanse", "Hei", "Takk", "Med vennlig hilsen",
       "{d} skrev {n} <{e}>:", "Overføring", "Lønn", "Merknader", "Dato", "Utstedt", "Lege", "Allergier",
       "Forsikringsselskap", "Firma", "Avdeling", "Kjønn"],
"cs": ["Jméno a příjmení", "Jméno", "Příjmení", "Datum narození", "narozen(a)", "Telefon", "Mobil", "E-mail",
       "Adresa", "Obec", "PSČ", "Číslo pasu", "cestovní pas", "Číslo řidičského průkazu", "řidičský průkaz",
       "IBAN", "Číslo karty", "heslo", "Daňové číslo", "Číslo dokladu", "Zákazník", "Pacient", "Host",
       "Zaměstnanec", "Státní příslušnost", "Příjezd", "Odjezd", "Pokoj", "Číslo pojistky",
       "Číslo pojistné události", "Částka", "Faktura č.", "Objednávka č.", "Datum doručení", "Platnost do",
       "Číslo zásilky", "Variabilní symbol", "Dobrý den", "Děkuji", "S pozdravem",
       "Dne {d} {n} <{e}> napsal(a):", "Převod", "Mzda", "Poznámka", "Datum", "Vydáno", "Lékař", "Alergie",
       "Pojišťovna", "Firma", "Oddělení", "Pohlaví"],
"sk": ["Meno a priezvisko", "Meno", "Priezvisko", "Dátum narodenia", "narodený(á)", "Telefón", "Mobil",
       "E-mail", "Adresa", "Obec", "PSČ", "Číslo pasu", "cestovný pas", "Číslo vodičského preukazu",
       "vodičský preukaz", "IBAN", "Číslo karty", "heslo", "DIČ", "Číslo dokladu", "Zákazník", "Pacient",
       "Hosť", "Zamestnanec", "Štátna príslušnosť", "Príchod", "Odchod", "Izba", "Číslo poistky",
       "Číslo poistnej udalosti", "Suma", "Faktúra č.", "Objednávka č.", "Dátum doručenia", "Platnosť do",
       "Číslo zásielky", "Variabilný symbol", "Dobrý deň", "Ďakujem", "S pozdravom",
       "Dňa {d} {n} <{e}> napísal(a):", "Prevod", "Mzda", "Poznámka", "Dátum", "Vydané", "Lekár", "Alergie",
       "Poisťovňa", "Firma", "Oddelenie", "Pohlavie"],
"ro": ["Nume și prenume", "Prenume", "Nume", "Data nașterii", "născut(ă) la", "Telefon", "Mobil", "E-mail",
       "Adresă", "Localitate", "Cod poștal", "Număr pașaport", "pașaport", "Număr permis de conducere",
       "permis de conducere", "IBAN", "Număr card", "parolă", "Cod fiscal", "Număr act identitate", "Client",
       "Pacient", "Oaspete", "Angajat", "Cetățenie", "Sosire", "Plecare", "Camera", "Număr poliță",
       "Număr dosar daună", "Sumă", "Factura nr.", "Comanda nr.", "Data livrării", "Valabil până la", "AWB",
       "Referință", "Bună ziua", "Mulțumesc", "Cu stimă", "Pe {d}, {n} <{e}> a scris:", "Transfer", "Salariu",
       "Observații", "Data", "Emis la", "Medic", "Alergii", "Asigurător", "Firmă", "Departament", "Sex"],
"hu": ["Teljes név", "Utónév", "Vezetéknév", "Születési dátum", "született", "Telefon", "Mobil", "E-mail",
       "Lakcím", "Település", "Irányítószám", "Útlevélszám", "útlevél", "Jogosítvány száma", "jogosítvány",
       "IBAN", "Kártyaszám", "jelszó", "Adóazonosító jel", "Igazolványszám", "Ügyfél", "Beteg", "Vendég",
       "Munkavállaló", "Állampolgárság", "Érkezés", "Távozás", "Szoba", "Kötvényszám", "Kárszám", "Összeg",
       "Számlaszám", "Rendelésszám", "Szállítási dátum", "Érvényes", "Csomagszám", "Közlemény", "Jó napot",
       "Köszönöm", "Üdvözlettel", "{n} <{e}> ezt írta ({d}):", "Átutalás", "Bér", "Megjegyzés", "Dátum",
       "Kiállítva", "Orvos", "Allergiák", "Biztosító", "Cég", "Osztály", "Nem"],
"el": ["Ονοματεπώνυμο", "Όνομα", "Επώνυμο", "Ημερομηνία γέννησης", "γεννήθηκε", "Τηλέφωνο", "Κινητό", "Email",
       "Διεύθυνση", "Πόλη", "Τ.Κ.", "Αριθμός διαβατηρίου", "διαβατήριο", "Αριθμός άδειας οδήγησης",
       "δίπλωμα οδήγησης", "IBAN", "Αριθμός κάρτας", "κωδικός", "ΑΦΜ", "Αριθμός εγγράφου", "Πελάτης", "Ασθενής",
       "Επισκέπτης", "Υπάλληλος", "Υπηκοότητα", "Άφιξη", "Αναχώρηση", "Δωμάτιο", "Αρ. συμβολαίου",
       "Αρ. ζημιάς", "Ποσό", "Αρ. τιμολογίου", "Αρ. παραγγελίας", "Ημερομηνία παράδοσης", "Ισχύει έως",
       "Αριθμός αποστολής", "Αιτιολογία", "Καλησπέρα", "Ευχαριστώ", "Με εκτίμηση",
       "Στις {d}, ο/η {n} <{e}> έγραψε:", "Μεταφορά", "Μισθός", "Σημειώσεις", "Ημερομηνία", "Εκδόθηκε",
       "Ιατρός", "Αλλεργίες", "Ασφαλιστική", "Εταιρεία", "Τμήμα", "Φύλο"],
"hr": ["Ime i prezime", "Ime", "Prezime", "Datum rođenja", "rođen(a)", "Telefon", "Mobitel", "E-pošta",
       "Adresa", "Mjesto", "Poštanski broj", "Broj putovnice", "putovnica", "Broj vozačke dozvole",
       "vozačka dozvola", "IBAN", "Broj kartice", "lozinka", "Porezni broj", "Broj isprave", "Kupac",
       "Pacijent", "Gost", "Zaposlenik", "Državljanstvo", "Dolazak", "Odlazak", "Soba", "Broj police",
       "Broj štete", "Iznos", "Račun br.", "Narudžba br.", "Datum isporuke", "Vrijedi do", "Broj pošiljke",
       "Poziv na broj", "Poštovani", "Hvala", "Srdačan pozdrav", "{d} {n} <{e}> je napisao/la:", "Uplata",
       "Plaća", "Napomena", "Datum", "Izdano", "Liječnik", "Alergije", "Osiguravatelj", "Tvrtka", "Odjel",
       "Spol"],
"sl": ["Ime in priimek", "Ime", "Priimek", "Datum rojstva", "rojen(a)", "Telefon", "GSM", "E-pošta", "Naslov",
       "Kraj", "Poštna številka", "Številka potnega lista", "potni list", "Številka vozniškega dovoljenja",
       "vozniško dovoljenje", "IBAN", "Številka kartice", "geslo", "Davčna številka", "Številka dokumenta",
       "Stranka", "Pacient", "Gost", "Zaposleni", "Državljanstvo", "Prihod", "Odhod", "Soba",
       "Številka police", "Številka škode", "Znesek", "Račun št.", "Naročilo št.", "Datum dostave",
       "Velja do", "Številka pošiljke", "Sklic", "Pozdravljeni", "Hvala", "Lep pozdrav",
       "{d} je {n} <{e}> napisal(a):", "Nakazilo", "Plača", "Opomba", "Datum", "Izdano", "Zdravnik",
       "Alergije", "Zavarovalnica", "Podjetje", "Oddelek", "Spol"],
"lt": ["Vardas, pavardė", "Vardas", "Pavardė", "Gimimo data", "gimęs (-usi)", "Telefonas", "Mobilusis",
       "El. paštas", "Adresas", "Miestas", "Pašto kodas", "Paso numeris", "pasas",
       "Vairuotojo pažymėjimo nr.", "vairuotojo pažymėjimas", "IBAN", "Kortelės numeris", "slaptažodis",
       "Mokesčių mokėtojo kodas", "Dokumento nr.", "Klientas", "Pacientas", "Svečias", "Darbuotojas",
       "Pilietybė", "Atvykimas", "Išvykimas", "Kambarys", "Poliso nr.", "Žalos nr.", "Suma", "Sąskaitos nr.",
       "Užsakymo nr.", "Pristatymo data", "Galioja iki", "Siuntos nr.", "Mokėjimo paskirtis", "Laba diena",
       "Ačiū", "Pagarbiai", "{d} {n} <{e}> rašė:", "Pervedimas", "Atlyginimas", "Pastabos", "Data", "Išduota",
       "Gydytojas", "Alergijos", "Draudikas", "Įmonė", "Skyrius", "Lytis"],
"lv": ["Vārds, uzvārds", "Vārds", "Uzvārds", "Dzimšanas datums", "dzimis(-usi)", "Tālrunis", "Mobilais",
       "E-pasts", "Adrese", "Pilsēta", "Pasta indekss", "Pases numurs", "pase", "Vadītāja apliecības nr.",
       "vadītāja apliecība", "IBAN", "Kartes numurs", "parole", "Nodokļu maksātāja nr.", "Dokumenta nr.",
       "Klients", "Pacients", "Viesis", "Darbinieks", "Pilsonība", "Ierašanās", "Izbraukšana", "Numurs",
       "Polises nr.", "Atlīdzības lietas nr.", "Summa", "Rēķina nr.", "Pasūtījuma nr.", "Piegādes datums",
       "Derīgs līdz", "Sūtījuma nr.", "Maksājuma mērķis", "Labdien", "Paldies", "Ar cieņu",
       "{d} {n} <{e}> rakstīja:", "Pārskaitījums", "Alga", "Piezīmes", "Datums", "Izsniegts", "Ārsts",
       "Alerģijas", "Apdrošinātājs", "Uzņēmums", "Nodaļa", "Dzimums"],
"et": ["Ees- ja perekonnanimi", "Eesnimi", "Perekonnanimi", "Sünniaeg", "sündinud", "Telefon", "Mobiil",
       "E-post", "Aadress", "Linn", "Postiindeks", "Passi number", "pass", "Juhiloa number", "juhiluba",
       "IBAN", "Kaardi number", "parool", "Maksukohustuslase number", "Dokumendi number", "Klient",
       "Patsient", "Külaline", "Töötaja", "Kodakondsus", "Saabumine", "Lahkumine", "Tuba", "Poliisi nr",
       "Kahjunumber", "Summa", "Arve nr", "Tellimuse nr", "Tarnekuupäev", "Kehtiv kuni", "Saadetise nr",
       "Selgitus", "Tere", "Aitäh", "Lugupidamisega", "{d} kirjutas {n} <{e}>:", "Ülekanne", "Palk",
       "Märkused", "Kuupäev", "Välja antud", "Arst", "Allergiad", "Kindlustusandja", "Ettevõte", "Osakond",
       "Sugu"],
"nl": ["Volledige naam", "Voornaam", "Achternaam", "Geboortedatum", "geboren op", "Telefoon", "GSM", "E-mail",
       "Adres", "Gemeente", "Postcode", "Paspoortnummer", "paspoort", "Rijbewijsnummer", "rijbewijs", "IBAN",
       "Kaartnummer", "wachtwoord", "Fiscaal nummer", "Documentnummer", "Klant", "Patiënt", "Gast",
       "Werknemer", "Nationaliteit", "Aankomst", "Vertrek", "Kamer", "Polisnummer", "Schadedossier",
       "Bedrag", "Factuurnr.", "Bestelnr.", "Leverdatum", "Geldig tot", "Zendingsnummer", "Mededeling",
       "Beste", "Bedankt", "Met vriendelijke groeten", "Op {d} schreef {n} <{e}>:", "Overschrijving",
       "Loon", "Opmerkingen", "Datum", "Afgegeven op", "Arts", "Allergieën", "Verzekeraar", "Bedrijf",
       "Afdeling", "Geslacht"],
"fr": ["Nom complet", "Prénom", "Nom", "Date de naissance", "né(e) le", "Téléphone", "GSM", "Courriel",
       "Adresse", "Localité", "Code postal", "N° de passeport", "passeport", "N° de permis de conduire",
       "permis de conduire", "IBAN", "N° de carte", "mot de passe", "Numéro fiscal", "N° de document",
       "Client", "Patient", "Voyageur", "Employé", "Nationalité", "Arrivée", "Départ", "Chambre",
       "N° de police", "N° de sinistre", "Montant", "Facture n°", "Commande n°", "Date de livraison",
       "Valable jusqu'au", "N° de suivi", "Communication", "Bonjour", "Merci", "Cordialement",
       "Le {d}, {n} <{e}> a écrit :", "Virement", "Salaire", "Remarques", "Date", "Délivré le", "Médecin",
       "Allergies", "Assureur", "Société", "Service", "Sexe"],
"it": ["Nome e cognome", "Nome", "Cognome", "Data di nascita", "nato/a il", "Telefono", "Cellulare", "E-mail",
       "Indirizzo", "Località", "NPA", "N. passaporto", "passaporto", "N. licenza di condurre",
       "licenza di condurre", "IBAN", "N. carta", "password", "Numero fiscale", "N. documento", "Cliente",
       "Paziente", "Ospite", "Dipendente", "Nazionalità", "Arrivo", "Partenza", "Camera", "N. polizza",
       "N. sinistro", "Importo", "Fattura n.", "Ordine n.", "Data di consegna", "Valido fino al",
       "N. di spedizione", "Causale", "Buongiorno", "Grazie", "Cordiali saluti",
       "Il giorno {d} {n} <{e}> ha scritto:", "Bonifico", "Stipendio", "Osservazioni", "Data",
       "Rilasciato il", "Medico", "Allergie", "Assicurazione", "Ditta", "Reparto", "Sesso"],
"es": ["Nombre completo", "Nombre", "Apellido", "Fecha de nacimiento", "nacido/a el", "Teléfono", "Celular",
       "Correo electrónico", "Dirección", "Ciudad", "Código postal", "N° de pasaporte", "pasaporte",
       "N° de licencia de conducir", "licencia de conducir", "IBAN", "N° de tarjeta", "contraseña",
       "Identificación tributaria", "N° de documento", "Cliente", "Paciente", "Huésped", "Empleado",
       "Nacionalidad", "Llegada", "Salida", "Habitación", "N° de póliza", "N° de siniestro", "Monto",
       "Factura N°", "Pedido N°", "Fecha de entrega", "Vence", "N° de seguimiento", "Concepto", "Hola",
       "Gracias", "Saludos cordiales", "El {d}, {n} <{e}> escribió:", "Transferencia", "Sueldo",
       "Observaciones", "Fecha", "Emitido el", "Médico", "Alergias", "Aseguradora", "Empresa", "Área", "Sexo"],
"en": ["Full name", "First name", "Surname", "Date of birth", "born", "Phone", "Mobile", "Email", "Address",
       "City", "Postal code", "Passport no.", "passport", "Driver's license no.", "driver's license", "IBAN",
       "Card number", "password", "Tax ID", "ID number", "Customer", "Patient", "Guest", "Employee",
       "Nationality", "Arrival", "Departure", "Room", "Policy no.", "Claim no.", "Amount", "Invoice no.",
       "Order no.", "Delivery date", "Valid until", "Tracking no.", "Reference", "Hi", "Thanks",
       "Best regards", "On {d}, {n} <{e}> wrote:", "Transfer", "Salary", "Remarks", "Date", "Issued",
       "Physician", "Allergies", "Insurer", "Company", "Department", "Sex"],
}
W = {}
for _lang, _vals in _W.items():
    assert len(_vals) == len(KEYS), (_lang, len(_vals), len(KEYS))
    W[_lang] = dict(zip(KEYS, _vals))

# column names (snake-case, as found in exports) for bare values, per language
COLS = {
"pt": {"name": ["nome_completo", "nome_cliente", "nome"], "dob": ["data_nascimento", "dt_nasc"],
       "phone": ["telefone", "telemovel", "contacto_tel"], "email": ["email", "correio_eletronico", "email_cliente"],
       "address": ["morada", "morada_fiscal", "endereco"], "passport": ["num_passaporte", "passaporte"],
       "dl": ["carta_conducao", "n_carta_conducao"], "iban": ["iban", "iban_conta", "nib_iban"],
       "card": ["numero_cartao", "cartao_credito"], "vat": ["nif_iva", "numero_iva", "nif_intracomunitario"]},
"da": {"name": ["navn", "fulde_navn"], "dob": ["fodselsdato", "foedselsdato"], "phone": ["telefon", "mobilnr"],
       "email": ["email", "e_mail"], "address": ["adresse", "bopael"], "passport": ["pasnummer", "pas_nr"],
       "dl": ["koerekort_nr", "korekortnummer"], "iban": ["iban", "kontonummer_iban"],
       "card": ["kortnummer", "betalingskort"], "vat": ["momsnr", "cvr_moms"]},
"fi": {"name": ["nimi", "koko_nimi"], "dob": ["syntymaaika", "syntymapaiva"], "phone": ["puhelin", "puhelinnumero"],
       "email": ["sahkoposti", "email"], "address": ["osoite", "katuosoite"], "passport": ["passin_numero", "passi"],
       "dl": ["ajokortti", "ajokortin_nro"], "iban": ["iban", "tilinumero"], "card": ["kortin_numero", "korttinumero"],
       "vat": ["alv_tunnus", "alv_numero"]},
"no": {"name": ["navn", "fullt_navn"], "dob": ["fodselsdato", "fdato"], "phone": ["telefon", "mobilnummer"],
       "email": ["epost", "e_post"], "address": ["adresse", "gateadresse"], "passport": ["passnummer"],
       "dl": ["forerkort_nr", "forerkortnummer"], "iban": ["iban", "kontonr_iban"], "card": ["kortnummer"],
       "vat": ["eu_mva_nr"]},
"cs": {"name": ["jmeno", "jmeno_prijmeni"], "dob": ["datum_narozeni", "dat_nar"], "phone": ["telefon", "tel_cislo"],
       "email": ["email", "e_mail"], "address": ["adresa", "adresa_bydliste"], "passport": ["cislo_pasu"],
       "dl": ["ridicsky_prukaz", "cislo_rp"], "iban": ["iban", "cislo_uctu_iban"], "card": ["cislo_karty"],
       "vat": ["dic", "dic_dodavatele"]},
"sk": {"name": ["meno", "meno_priezvisko"], "dob": ["datum_narodenia"], "phone": ["telefon", "tel_cislo"],
       "email": ["email"], "address": ["adresa", "trvale_bydlisko"], "passport": ["cislo_pasu"],
       "dl": ["vodicsky_preukaz"], "iban": ["iban"], "card": ["cislo_karty"], "vat": ["ic_dph"]},
"ro": {"name": ["nume", "nume_complet"], "dob": ["data_nasterii"], "phone": ["telefon", "nr_telefon"],
       "email": ["email"], "address": ["adresa", "domiciliu"], "passport": ["nr_pasaport"],
       "dl": ["permis_conducere"], "iban": ["iban", "cont_iban"], "card": ["nr_card"], "vat": ["cod_tva", "cif_tva"]},
"hu": {"name": ["nev", "teljes_nev"], "dob": ["szuletesi_datum", "szul_datum"], "phone": ["telefonszam"],
       "email": ["email_cim"], "address": ["lakcim", "cim"], "passport": ["utlevelszam"],
       "dl": ["jogositvany_szam"], "iban": ["iban", "bankszamla_iban"], "card": ["kartyaszam"],
       "vat": ["kozossegi_adoszam"]},
"el": {"name": ["onomateponymo", "onoma"], "dob": ["imerominia_gennisis"], "phone": ["tilefono", "kinito"],
       "email": ["email"], "address": ["dieuthynsi"], "passport": ["arithmos_diavatiriou"],
       "dl": ["adeia_odigisis"], "iban": ["iban"], "card": ["arithmos_kartas"], "vat": ["afm_vies", "vat_el"]},
"hr": {"name": ["ime_prezime"], "dob": ["datum_rodjenja"], "phone": ["telefon", "mobitel"],
       "email": ["email", "e_posta"], "address": ["adresa"], "passport": ["broj_putovnice"],
       "dl": ["vozacka_dozvola"], "iban": ["iban"], "card": ["broj_kartice"], "vat": ["pdv_id", "pdv_broj"]},
"sl": {"name": ["ime_priimek"], "dob": ["datum_rojstva"], "phone": ["telefon", "gsm"], "email": ["eposta", "email"],
       "address": ["naslov"], "passport": ["st_potnega_lista"], "dl": ["voznisko_dovoljenje"],
       "iban": ["iban", "trr"], "card": ["st_kartice"], "vat": ["id_ddv"]},
"lt": {"name": ["vardas_pavarde"], "dob": ["gimimo_data"], "phone": ["telefonas", "tel_nr"], "email": ["el_pastas"],
       "address": ["adresas"], "passport": ["paso_nr"], "dl": ["vairuotojo_pazymejimas"],
       "iban": ["iban", "saskaitos_nr"], "card": ["korteles_nr"], "vat": ["pvm_kodas"]},
"lv": {"name": ["vards_uzvards"], "dob": ["dzimsanas_datums", "dzim_dat"], "phone": ["talrunis", "telefons"],
       "email": ["epasts"], "address": ["adrese", "dzivesvieta"], "passport": ["pases_nr"],
       "dl": ["vaditaja_apliecibas_nr"], "iban": ["iban", "konta_nr"], "card": ["kartes_nr"], "vat": ["pvn_numurs"]},
"et": {"name": ["nimi", "ees_ja_perekonnanimi"], "dob": ["synniaeg", "sunniaeg"], "phone": ["telefon"],
       "email": ["e_post"], "address": ["aadress", "elukoht"], "passport": ["passi_nr"], "dl": ["juhiloa_nr"],
       "iban": ["iban", "arveldusarve"], "card": ["kaardi_nr"], "vat": ["kmkr_nr"]},
"nl": {"name": ["naam", "volledige_naam"], "dob": ["geboortedatum"], "phone": ["telefoon", "gsm_nummer"],
       "email": ["email", "e_mailadres"], "address": ["adres", "straat_huisnr"], "passport": ["paspoortnummer"],
       "dl": ["rijbewijsnummer"], "iban": ["iban", "rekeningnummer"], "card": ["kaartnummer"],
       "vat": ["btw_nummer", "btw_nr"]},
"fr": {"name": ["nom_complet", "nom_prenom"], "dob": ["date_naissance"], "phone": ["telephone", "gsm"],
       "email": ["courriel", "email"], "address": ["adresse"], "passport": ["num_passeport"],
       "dl": ["permis_conduire"], "iban": ["iban", "compte_iban"], "card": ["num_carte"], "vat": ["num_tva", "tva_intracom"]},
"it": {"name": ["nome_cognome", "nominativo"], "dob": ["data_nascita"], "phone": ["telefono", "cellulare"],
       "email": ["email"], "address": ["indirizzo"], "passport": ["num_passaporto"], "dl": ["licenza_condurre"],
       "iban": ["iban"], "card": ["num_carta"], "vat": ["partita_iva_ue", "num_iva"]},
"es": {"name": ["nombre_completo", "nombre"], "dob": ["fecha_nacimiento", "fec_nac"], "phone": ["telefono", "celular"],
       "email": ["correo", "email"], "address": ["direccion", "domicilio"], "passport": ["num_pasaporte", "pasaporte"],
       "dl": ["licencia_conducir", "licencia"], "iban": ["iban", "cuenta_iban"], "card": ["num_tarjeta", "tarjeta"],
       "vat": ["nif_iva", "vat_ue"]},
"en": {"name": ["full_name", "customer_name"], "dob": ["date_of_birth", "dob", "birth_date"],
       "phone": ["phone", "mobile_number", "contact_no"], "email": ["email", "email_address"],
       "address": ["street_address", "address_line1"], "passport": ["passport_no", "passport_number"],
       "dl": ["drivers_license_no", "license_number"], "iban": ["iban", "bank_iban"], "card": ["card_number", "pan"],
       "vat": ["vat_number", "vat_id"]},
}

MONTHS = {
"pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
"da": "januar februar marts april maj juni juli august september oktober november december",
"fi": "tammikuuta helmikuuta maaliskuuta huhtikuuta toukokuuta kesäkuuta heinäkuuta elokuuta syyskuuta lokakuuta marraskuuta joulukuuta",
"no": "januar februar mars april mai juni juli august september oktober november desember",
"cs": "ledna února března dubna května června července srpna září října listopadu prosince",
"sk": "januára februára marca apríla mája júna júla augusta septembra októbra novembra decembra",
"ro": "ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie noiembrie decembrie",
"hu": "január február március április május június július augusztus szeptember október november december",
"el": "Ιανουαρίου Φεβρουαρίου Μαρτίου Απριλίου Μαΐου Ιουνίου Ιουλίου Αυγούστου Σεπτεμβρίου Οκτωβρίου Νοεμβρίου Δεκεμβρίου",
"hr": "siječnja veljače ožujka travnja svibnja lipnja srpnja kolovoza rujna listopada studenoga prosinca",
"sl": "januarja februarja marca aprila maja junija julija avgusta septembra oktobra novembra decembra",
"lt": "sausio vasario kovo balandžio gegužės birželio liepos rugpjūčio rugsėjo spalio lapkričio gruodžio",
"lv": "janvāris februāris marts aprīlis maijs jūnijs jūlijs augusts septembris oktobris novembris decembris",
"et": "jaanuar veebruar märts aprill mai juuni juuli august september oktoober november detsember",
"nl": "januari februari maart april mei juni juli augustus september oktober november december",
"fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
"it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
"es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
"en": "January February March April May June July August September October November December",
}
MONTHS = {k: v.split() for k, v in MONTHS.items()}
EN_MON3 = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

LONG_DATE = {
    "pt": "{d} de {m} de {y}", "da": "{d}. {m} {y}", "fi": "{d}. {m} {y}", "no": "{d}. {m} {y}",
    "cs": "{d}. {m} {y}", "sk": "{d}. {m} {y}", "ro": "{d} {m} {y}", "hu": "{y}. {m} {d}.",
    "el": "{d} {m} {y}", "hr": "{d}. {m} {y}.", "sl": "{d}. {m} {y}", "lt": "{y} m. {m} {d} d.",
    "lv": "{y}. gada {d}. {m}", "et": "{d}. {m} {y}", "nl": "{d} {m} {y}", "fr": "{d} {m} {y}",
    "it": "{d} {m} {y}", "es": "{d} de {m} de {y}", "en": "{m} {d}, {y}",
}


class Locale:
    def __init__(self, code, lang, region, numeric, faker_names=True, faker_addr=True):
        self.code, self.lang, self.region = code, lang, region
        self.numeric = numeric          # numeric date formats (strftime-like, %-d allowed)
        self.fk = Faker(code)
        self.fk.seed_instance(SEED + sum(map(ord, code)))
        self.faker_names, self.faker_addr = faker_names, faker_addr

    @property
    def w(self):
        return W[self.lang]


def _strf(d, f):
    return (f.replace("%-d", str(d.day)).replace("%-m", str(d.month))
            .replace("%d", "%02d" % d.day).replace("%m", "%02d" % d.month).replace("%Y", str(d.year))
            .replace("%b", EN_MON3[d.month - 1]))


LOCALES = [
    Locale("pt_PT", "pt", "PT", ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]),
    Locale("da_DK", "da", "DK", ["%d.%m.%Y", "%d-%m-%Y", "%-d/%-m %Y"]),
    Locale("fi_FI", "fi", "FI", ["%-d.%-m.%Y", "%d.%m.%Y"]),
    Locale("no_NO", "no", "NO", ["%d.%m.%Y", "%d.%m.%Y"]),
    Locale("cs_CZ", "cs", "CZ", ["%-d. %-m. %Y", "%d.%m.%Y"]),
    Locale("sk_SK", "sk", "SK", ["%-d. %-m. %Y", "%d.%m.%Y"]),
    Locale("ro_RO", "ro", "RO", ["%d.%m.%Y", "%d/%m/%Y"]),
    Locale("hu_HU", "hu", "HU", ["%Y.%m.%d.", "%Y. %m. %d.", "%Y.%m.%d"]),
    Locale("el_GR", "el", "GR", ["%d/%m/%Y", "%-d/%-m/%Y", "%d-%m-%Y"]),
    Locale("hr_HR", "hr", "HR", ["%d.%m.%Y.", "%-d. %-m. %Y."]),
    Locale("sl_SI", "sl", "SI", ["%-d. %-m. %Y", "%d.%m.%Y"]),
    Locale("lt_LT", "lt", "LT", ["%Y-%m-%d", "%Y.%m.%d"], faker_addr=False),
    Locale("lv_LV", "lv", "LV", ["%d.%m.%Y.", "%d.%m.%Y"], faker_addr=False),
    Locale("et_EE", "et", "EE", ["%d.%m.%Y", "%-d.%-m.%Y"], faker_addr=False),
    Locale("nl_BE", "nl", "BE", ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]),
    Locale("fr_BE", "fr", "BE", ["%d/%m/%Y", "%d.%m.%Y"], faker_addr=False),
    Locale("it_CH", "it", "CH", ["%d.%m.%Y", "%d/%m/%Y"], faker_names=False, faker_addr=False),
    Locale("es_AR", "es", "AR", ["%d/%m/%Y", "%d-%m-%Y"]),
    Locale("es_CO", "es", "CO", ["%d/%m/%Y", "%Y/%m/%d"]),
    Locale("es_CL", "es", "CL", ["%d-%m-%Y", "%d/%m/%Y"]),
    Locale("en_PH", "en", "PH", ["%m/%d/%Y", "%d %b %Y", "%b %d, %Y"], faker_names=False),
    Locale("en_TH", "en", "TH", ["%d/%m/%Y", "%d %b %Y"], faker_addr=False),
]
LOC = {l.code: l for l in LOCALES}
HI = Faker("hi_IN")
HI.seed_instance(SEED + 7)


def any_loc():
    return pick(LOCALES)


def fmt_date(lp, d, style=None):
    """A date as the locale writes it.  style: 'num', 'long', 'iso' or None (random)."""
    style = style or pick(["num", "num", "num", "long", "iso"])
    if style == "iso":
        return d.isoformat()
    if style == "long":
        m = MONTHS[lp.lang][d.month - 1]
        day = str(d.day)
        if lp.lang == "fr" and d.day == 1:
            day = "1er"
        if lp.lang == "en" and lp.region != "PH" and chance(0.5):
            return "%d %s %d" % (d.day, m, d.year)
        return LONG_DATE[lp.lang].format(d=day, m=m, y=d.year)
    return _strf(d, pick(lp.numeric))


def rand_date(y0, y1):
    start = dt.date(y0, 1, 1).toordinal()
    end = dt.date(y1, 12, 31).toordinal()
    return dt.date.fromordinal(R.randint(start, end))


def rand_dob():
    return rand_date(1942, 2006)


def rand_recent():
    return rand_date(2022, 2025)


def rand_ts():
    d = rand_recent()
    return dt.datetime(d.year, d.month, d.day, R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))


# ---------------------------------------------------------------------------
# People: names, e-mails, addresses, phones
# ---------------------------------------------------------------------------

IT_M = "Marco Luca Andrea Matteo Alessandro Davide Simone Fabio Giorgio Stefano Claudio Paolo Nicola Mattia Lorenzo Gianluca Remo Fiorenzo".split()
IT_F = "Giulia Chiara Sara Francesca Laura Elena Martina Valentina Alessia Federica Silvia Monica Paola Anna Elisa Ornella Manuela".split()
IT_L = ("Bernasconi Cattaneo Lurati Fontana Rossi Ferrari Bianchi Colombo Galli Pedrazzini Gianella Bernardoni "
        "Rezzonico Ghisletta Induni Lepori Zanetti Bottani Canonica Foletti Soldati Beffa Tamò Quadri Cereghetti "
        "Delcò Mombelli Martinoni D'Alessandro Dell'Era").split()
PH_M = ["Jose", "Juan Carlos", "Mark Anthony", "John Paul", "Rodel", "Jerome", "Ramil", "Noel", "Jomar",
        "Christian", "Rommel", "Arnel", "Jayson", "Ferdinand", "Emmanuel", "Reynaldo", "Elmer"]
PH_F = ["Maria Cristina", "Maricel", "Rowena", "Jocelyn", "Lorna", "Rhea", "Kristine", "Angelica", "Mary Grace",
        "Jennelyn", "Liza", "Analyn", "Rosalie", "Divina", "Girlie", "Precious", "Joy"]
PH_L = ["Dela Cruz", "Santos", "Reyes", "Bautista", "Ocampo", "Mendoza", "Garcia", "Villanueva", "Aquino",
        "Ramos", "Castillo", "Pascual", "Macaraeg", "Dimaculangan", "Manalo", "Soriano", "Navarro", "Agbayani",
        "Tolentino", "Lacson", "Magbanua", "Panganiban", "Salazar", "De Guzman", "Evangelista"]
SG_SUR = "Tan Lim Lee Ng Ong Wong Goh Chua Chan Koh Teo Ang Yeo Tay Ho Low Toh Sim Chong Chia".split()
SG_GIVEN_M = ["Wei Ming", "Jun Jie", "Zhi Hao", "Kai Wen", "Yong Sheng", "Boon Keng", "Kok Wah", "Chee Keong", "Jian Hong"]
SG_GIVEN_F = ["Hui Min", "Xin Yi", "Li Ting", "Jia Hui", "Shu Fen", "Siew Ling", "Mei Ling", "Pei Shan", "Yu Xuan"]
SG_ENG_M = ["Jason", "Daniel", "Marcus", "Ryan", "Benjamin", "Darren"]
SG_ENG_F = ["Michelle", "Rachel", "Cheryl", "Vanessa", "Jasmine", "Felicia"]
SG_MALAY_M = ["Muhammad Hafiz", "Ahmad Faizal", "Mohamed Irfan", "Nur Hakim", "Syed Azmi"]
SG_MALAY_F = ["Nur Aisyah", "Siti Nurhaliza", "Nurul Huda", "Farah Diana", "Aishah"]
SG_MALAY_FATHER = ["Rahman", "Ismail", "Yusof", "Osman", "Abdullah", "Hassan", "Salleh"]
SG_IND_M = ["Ravi", "Suresh", "Arun", "Ganesh", "Vijay"]
SG_IND_F = ["Priya", "Kavitha", "Deepa", "Lakshmi", "Revathi"]
SG_IND_FATHER = ["Krishnan", "Subramaniam", "Nair", "Pillai", "Rajendran", "Muthu", "Ramasamy"]
IN_M = "Rahul Amit Vikram Arjun Suresh Rajesh Anil Karthik Pranav Rohit Sandeep Manoj Aditya Siddharth".split()
IN_F = "Priya Anjali Sneha Kavya Pooja Neha Divya Lakshmi Meera Aishwarya Ritu Swati Ananya Shruti".split()
IN_L = ("Sharma Verma Iyer Nair Reddy Patel Gupta Singh Kumar Menon Pillai Chatterjee Banerjee Deshmukh "
        "Kulkarni Joshi Rao Agarwal Mehta Shah Bhat Saxena").split()

TITLES = {
    "pt": (["Sr.", "Eng."], ["Sra.", "Dra."]), "da": ([], []), "fi": ([], []), "no": ([], []),
    "cs": (["Ing.", "Mgr.", "pan"], ["Ing.", "Mgr.", "paní"]), "sk": (["Ing.", "Mgr.", "pán"], ["Ing.", "Mgr.", "pani"]),
    "ro": (["Dl.", "Ing."], ["Dna.", "Ing."]), "hu": (["dr."], ["dr."]), "el": (["κ."], ["κα"]),
    "hr": (["g."], ["gđa"]), "sl": (["g."], ["ga."]), "lt": (["p."], ["p."]), "lv": (["k-gs"], ["k-dze"]),
    "et": (["hr"], ["pr"]), "nl": (["dhr."], ["mevr."]), "fr": (["M."], ["Mme"]), "it": (["Sig.", "Dott."], ["Sig.ra", "Dott.ssa"]),
    "es": (["Sr."], ["Sra."]), "en": (["Mr", "Mr."], ["Ms", "Mrs."]),
}
DOCTOR = {"pt": "Dr.", "da": "Dr.", "fi": "LL", "no": "Dr.", "cs": "MUDr.", "sk": "MUDr.", "ro": "Dr.", "hu": "Dr.",
          "el": "Δρ.", "hr": "dr. med.", "sl": "dr.", "lt": "gyd.", "lv": "Dr.", "et": "dr", "nl": "Dr.",
          "fr": "Dr", "it": "Dott.", "es": "Dr.", "en": "Dr."}

FREE_DOMAINS = {
    "pt_PT": ["sapo.pt", "gmail.com", "hotmail.com", "outlook.pt", "netcabo.pt", "iol.pt"],
    "da_DK": ["gmail.com", "hotmail.dk", "live.dk", "mail.dk", "outlook.dk", "jubii.dk"],
    "fi_FI": ["gmail.com", "hotmail.fi", "luukku.com", "elisanet.fi", "kolumbus.fi", "suomi24.fi"],
    "no_NO": ["gmail.com", "online.no", "hotmail.no", "live.no", "yahoo.no"],
    "cs_CZ": ["seznam.cz", "email.cz", "centrum.cz", "post.cz", "gmail.com", "volny.cz"],
    "sk_SK": ["azet.sk", "zoznam.sk", "centrum.sk", "gmail.com", "post.sk"],
    "ro_RO": ["yahoo.ro", "yahoo.com", "gmail.com", "email.ro"],
    "hu_HU": ["freemail.hu", "citromail.hu", "gmail.com", "t-online.hu", "indamail.hu"],
    "el_GR": ["gmail.com", "yahoo.gr", "otenet.gr", "hol.gr", "hotmail.gr"],
    "hr_HR": ["gmail.com", "net.hr", "t-com.hr", "hotmail.com", "inet.hr"],
    "sl_SI": ["gmail.com", "siol.net", "t-2.net", "amis.net", "email.si"],
    "lt_LT": ["gmail.com", "inbox.lt", "one.lt", "yahoo.com"],
    "lv_LV": ["inbox.lv", "gmail.com", "apollo.lv", "mail.lv"],
    "et_EE": ["gmail.com", "hot.ee", "mail.ee", "online.ee"],
    "nl_BE": ["telenet.be", "skynet.be", "gmail.com", "hotmail.be", "proximus.be"],
    "fr_BE": ["skynet.be", "gmail.com", "hotmail.be", "voo.be", "live.be"],
    "it_CH": ["bluewin.ch", "gmail.com", "hispeed.ch", "ticino.com", "sunrise.ch"],
    "es_AR": ["gmail.com", "hotmail.com.ar", "yahoo.com.ar", "fibertel.com.ar", "outlook.com"],
    "es_CO": ["gmail.com", "hotmail.com", "yahoo.es", "une.net.co", "outlook.com"],
    "es_CL": ["gmail.com", "vtr.net", "hotmail.cl", "yahoo.cl", "outlook.cl"],
    "en_PH": ["gmail.com", "yahoo.com.ph", "yahoo.com", "outlook.ph", "hotmail.com"],
    "en_TH": ["gmail.com", "hotmail.co.th", "hotmail.com", "yahoo.co.th"],
    "sg": ["gmail.com", "singnet.com.sg", "yahoo.com.sg", "hotmail.sg"],
    "in": ["gmail.com", "rediffmail.com", "yahoo.co.in", "outlook.in"],
}
TLD = {"pt_PT": "pt", "da_DK": "dk", "fi_FI": "fi", "no_NO": "no", "cs_CZ": "cz", "sk_SK": "sk", "ro_RO": "ro",
       "hu_HU": "hu", "el_GR": "gr", "hr_HR": "hr", "sl_SI": "si", "lt_LT": "lt", "lv_LV": "lv", "et_EE": "ee",
       "nl_BE": "be", "fr_BE": "be", "it_CH": "ch", "es_AR": "com.ar", "es_CO": "com.co", "es_CL": "cl",
       "en_PH": "com.ph", "en_TH": "co.th", "sg": "com.sg", "in": "co.in"}
DOMAIN_STEMS = {
    "pt": ["transnorte", "lusomed", "atlanticoseguros", "casadoporto", "vinhosdouro", "techlisboa", "minhologistica"],
    "da": ["nordisktrae", "fynsbyg", "havnelogistik", "kobenhavnmedia", "jyskrevision", "danvarme"],
    "fi": ["pohjolasoft", "saimaalogistiikka", "lapinmatkat", "tampereenkone", "kuopionrakennus"],
    "no": ["fjordsoft", "bergenbygg", "nordlysreiser", "trondhjemtech", "vestlandfrakt"],
    "cs": ["stavbyvysocina", "pragosoft", "moravskadoprava", "brnotech", "sumavadrevo"],
    "sk": ["tatrasoft", "dunajstav", "kosicelog", "zilinamedia", "vahtrans"],
    "ro": ["carpatitrans", "dunareasoft", "transilvaniamed", "bucurestiexpert", "moldovaagro"],
    "hu": ["dunaszoft", "alfoldkft", "balatonutazas", "pecsiepito", "tiszalogisztika"],
    "el": ["aigaiosoft", "olymposlog", "kritiagro", "athenstech", "ionionmed"],
    "hr": ["jadransoft", "slavonijatrans", "dalmacijatours", "zagrebgradnja", "istratech"],
    "sl": ["triglavsoft", "savalogistika", "krasvino", "ljubljanatech", "pohorjegradnja"],
    "lt": ["nemunosoft", "baltijoslogistika", "vilniausprojektai", "kaunotech"],
    "lv": ["daugavasoft", "rigastransports", "kurzemesbuve", "latgalesagro"],
    "et": ["toomsoft", "tallinnalogistika", "tartutech", "saaremaaehitus"],
    "nl": ["scheldelogistiek", "kempenbouw", "gentsoftware", "vlaamsezorg", "antwerptrade"],
    "fr": ["meusetransport", "ardennesbois", "liegeconsult", "namurmedical", "walloniesoft"],
    "it": ["ticinologistica", "luganoconsulenze", "ceresiotech", "bellinzonaedil", "verzascaviaggi"],
    "es": ["pampalogistica", "andesconsultores", "rioplatasoft", "cafeterasdelvalle", "patagoniatur", "biobioagro"],
    "en": ["islandlogistics", "manilatechhub", "cebushipping", "siamtrading", "bangkokdigital", "lanaservices"],
}
CITIES = {
    "lt_LT": ["Vilnius", "Kaunas", "Klaipėda", "Šiauliai", "Panevėžys", "Alytus", "Marijampolė", "Utena"],
    "lv_LV": ["Rīga", "Daugavpils", "Liepāja", "Jelgava", "Jūrmala", "Ventspils", "Rēzekne", "Valmiera"],
    "et_EE": ["Tallinn", "Tartu", "Narva", "Pärnu", "Kohtla-Järve", "Viljandi", "Rakvere", "Haapsalu"],
    "fr_BE": ["Bruxelles", "Liège", "Namur", "Charleroi", "Mons", "Wavre", "Tournai", "Arlon", "Verviers"],
    "it_CH": ["Lugano", "Bellinzona", "Locarno", "Mendrisio", "Chiasso", "Biasca", "Ascona", "Minusio", "Massagno"],
    "en_TH": ["Bangkok", "Chiang Mai", "Phuket", "Khon Kaen", "Nonthaburi", "Pattaya", "Hat Yai"],
    "en_PH": ["Makati City", "Quezon City", "Pasig City", "Taguig", "Cebu City", "Davao City", "Iloilo City", "Baguio"],
    "sg": ["Singapore"],
}
STREETS = {
    "lt_LT": ["Gedimino pr.", "Vilniaus g.", "Savanorių pr.", "Laisvės al.", "Ukmergės g.", "Konstitucijos pr.",
              "Žirmūnų g.", "Taikos pr.", "Kalvarijų g.", "Pylimo g.", "Basanavičiaus g."],
    "lv_LV": ["Brīvības iela", "Krišjāņa Barona iela", "Elizabetes iela", "Tērbatas iela", "Dzirnavu iela",
              "Maskavas iela", "Lāčplēša iela", "Raiņa bulvāris", "Ganību dambis", "Kalnciema iela"],
    "et_EE": ["Pärnu mnt", "Narva mnt", "Tartu mnt", "Liivalaia", "Tamme tn", "Kaluri tee", "Lõuna tn",
              "Vabaduse pst", "Rüütli", "Aia tn", "Sõpruse pst"],
    "fr_BE": ["Rue de la Loi", "Avenue Louise", "Chaussée de Waterloo", "Rue Neuve", "Boulevard d'Avroy",
              "Rue Saint-Gilles", "Avenue de Tervueren", "Rue des Guillemins", "Rue de Namur", "Rue de Fer"],
    "it_CH": ["Via Nassa", "Via Cantonale", "Corso San Gottardo", "Via Ciseri", "Viale Stefano Franscini",
              "Via Motta", "Piazza Indipendenza", "Via Pretorio", "Via Trevano", "Via Luini", "Via San Gottardo"],
    "en_TH": ["Sukhumvit Road", "Silom Road", "Ratchadaphisek Road", "Phahonyothin Road", "Rama IV Road",
              "Charoen Krung Road", "Nimmanhaemin Road", "Soi Sukhumvit 23", "Soi Thong Lo 10", "Witthayu Road"],
    "sg": ["Ang Mo Kio Avenue 3", "Tampines Street 21", "Jurong West Street 52", "Bedok North Road",
           "Toa Payoh Lorong 1", "Woodlands Drive 14", "Yishun Ring Road", "Clementi Avenue 2"],
}


class Person:
    def __init__(self, origin=None, sex=None, dob=None):
        self.origin = origin or any_loc().code
        self.sex = sex or pick("MF")
        self.dob = dob or rand_dob()
        first, last, full = _names(self.origin, self.sex)
        self.first, self.last, self._full = first.strip(), last.strip(), full
        self._email = None

    @property
    def lang(self):
        return LOC[self.origin].lang if self.origin in LOC else "en"

    def full(self):
        if self._full:
            return self._full
        if self.origin == "hu_HU":
            return "%s %s" % (self.last, self.first)
        return "%s %s" % (self.first, self.last)

    def display(self):
        """A random but common written form of the name."""
        r = R.random()
        if self.origin in ("sg", "hi"):
            return self.full()
        if r < 0.72:
            return self.full()
        if r < 0.82:
            return "%s, %s" % (self.last, self.first)
        if r < 0.92:
            return "%s %s" % (self.last.upper(), self.first)
        return self.full().upper()

    def name(self, style=None):
        return L("person_name", self.display() if style is None else style)

    def email(self):
        if self._email is None:
            self._email = make_email(self)
        return self._email


def _names(origin, sex):
    """(first, last, full-or-None)."""
    m = sex == "M"
    if origin == "it_CH":
        return pick(IT_M if m else IT_F), pick(IT_L), None
    if origin == "en_PH":
        return pick(PH_M if m else PH_F), pick(PH_L), None
    if origin == "in":
        return pick(IN_M if m else IN_F), pick(IN_L), None
    if origin == "hi":
        fn = HI.first_name_male() if m else HI.first_name_female()
        return fn, HI.last_name(), None
    if origin == "sg":
        r = R.random()
        if r < 0.55:
            given, sur = pick(SG_GIVEN_M if m else SG_GIVEN_F), pick(SG_SUR)
            if chance(0.3):
                eng = pick(SG_ENG_M if m else SG_ENG_F)
                return eng, sur, "%s %s %s" % (eng, sur, given)
            return given, sur, "%s %s" % (sur, given)
        if r < 0.8:
            given = pick(SG_MALAY_M if m else SG_MALAY_F)
            last = ("bin " if m else "binte ") + pick(SG_MALAY_FATHER)
            return given, last, "%s %s" % (given, last)
        given = pick(SG_IND_M if m else SG_IND_F)
        last = ("s/o " if m else "d/o ") + pick(SG_IND_FATHER)
        return given, last, "%s %s" % (given, last)
    fk = LOC[origin].fk
    for _ in range(20):
        fn = fk.first_name_male() if m else fk.first_name_female()
        ln = fk.last_name_male() if m else fk.last_name_female()
        if "-" not in fn[1:] or chance(0.3):
            break
    return re.sub(r"\s+", " ", fn).strip(), re.sub(r"\s+", " ", ln).strip(), None


def _ascii(s):
    return re.sub(r"[^a-z0-9]", "", unidecode(s).lower())


def company_domain(lang=None, origin=None):
    lang = lang or "en"
    tld = TLD.get(origin, pick(["com", "eu", "net"]))
    return "%s.%s" % (pick(DOMAIN_STEMS[lang]), tld if chance(0.8) else "com")


def make_email(p, corporate=None):
    first = _ascii(p.first.split()[0]) or "info"
    last = _ascii(p.last.replace("bin ", "").replace("binte ", "").replace("s/o ", "").replace("d/o ", "")) or "x"
    if p.origin == "hi":
        first, last = pick(IN_M + IN_F).lower(), pick(IN_L).lower()
        corporate = False
    pat = pick(["{f}.{l}", "{f}{l}", "{f}_{l}", "{fi}{l}", "{l}.{f}", "{f}.{l}{n}", "{f}{n}", "{l}{fi}{n}", "{fi}.{l}"])
    local = pat.format(f=first, l=last, fi=first[0], n=R.randint(1, 99) if chance(0.5) else R.randint(1960, 2005))
    if corporate is None:
        corporate = chance(0.35) and p.origin != "hi"
    if corporate:
        dom = company_domain(LOC[p.origin].lang if p.origin in LOC else "en", p.origin)
        local = pick(["{f}.{l}", "{fi}.{l}", "{fi}{l}", "{f}"]).format(f=first, l=last, fi=first[0])
    else:
        dom = pick(FREE_DOMAINS.get(p.origin, FREE_DOMAINS["in"]))
    e = "%s@%s" % (local, dom)
    if chance(0.04):
        e = e.upper()
    return e


ROLE_LOCALS = {"pt": ["geral", "faturacao", "rh", "apoio.cliente"], "da": ["info", "bogholderi", "kundeservice"],
               "fi": ["asiakaspalvelu", "laskutus", "info"], "no": ["post", "faktura", "kundeservice"],
               "cs": ["info", "fakturace", "podpora"], "sk": ["info", "fakturacia", "podpora"],
               "ro": ["contact", "facturare", "office"], "hu": ["info", "szamlazas", "ugyfelszolgalat"],
               "el": ["info", "logistirio", "support"], "hr": ["info", "racunovodstvo", "prodaja"],
               "sl": ["info", "racunovodstvo", "podpora"], "lt": ["info", "buhalterija"], "lv": ["info", "gramatvediba"],
               "et": ["info", "arved", "klienditugi"], "nl": ["info", "boekhouding", "klantendienst"],
               "fr": ["info", "comptabilite", "service.client"], "it": ["info", "contabilita", "amministrazione"],
               "es": ["contacto", "facturacion", "atencionalcliente"], "en": ["support", "billing", "hr"]}


def role_email(lp):
    return "%s@%s" % (pick(ROLE_LOCALS[lp.lang]), company_domain(lp.lang, lp.code))


def street_line(lp):
    if lp.code in STREETS:
        s = pick(STREETS[lp.code])
        n = R.randint(1, 180)
        if lp.code == "fr_BE":
            return pick(["%s %d" % (s, n), "%s %d bte %d" % (s, n, R.randint(1, 30)), "%s, %d" % (s, n)])
        if lp.code in ("lt_LT", "et_EE", "lv_LV"):
            return pick(["%s %d" % (s, n), "%s %d-%d" % (s, n, R.randint(1, 90)), "%s %d%s" % (s, n, pick("ABC"))])
        if lp.code == "it_CH":
            return pick(["%s %d" % (s, n), "%s %d%s" % (s, n, pick("abc"))])
        if lp.code == "en_TH":
            return pick(["%d/%d %s" % (n, R.randint(1, 400), s), "%d Moo %d, %s" % (n, R.randint(1, 12), s)])
        if lp.code == "sg":
            return "Blk %d %s #%02d-%03d" % (R.randint(100, 999), s, R.randint(2, 25), R.randint(1, 400))
    if lp.code == "en_PH" and chance(0.3):
        return "Unit %d%s, %d %s" % (R.randint(1, 30), pick("ABCDEF"), R.randint(1, 9000),
                                      pick(["Ayala Avenue", "EDSA", "Ortigas Avenue", "Shaw Boulevard", "Osmeña Boulevard", "Katipunan Avenue"]))
    for _ in range(50):
        s = re.sub(r"\s+", " ", lp.fk.street_address()).strip()
        if re.search(r"\d", s):
            return s
    raise RuntimeError("no street for " + lp.code)


def pc_city(lp):
    c = lp.code
    if c == "lt_LT":
        return "LT-%05d %s" % (R.randint(1000, 99999), pick(CITIES[c]))
    if c == "lv_LV":
        return "LV-%04d %s" % (R.randint(1001, 5799), pick(CITIES[c]))
    if c == "et_EE":
        return "%05d %s" % (R.randint(10001, 99999), pick(CITIES[c]))
    if c == "fr_BE":
        return "%04d %s" % (R.randint(1000, 7999), pick(CITIES[c]))
    if c == "it_CH":
        return "%04d %s" % (R.randint(6500, 6999), pick(CITIES[c]))
    if c == "en_TH":
        return "%s %05d" % (pick(CITIES[c]), R.randint(10100, 90110))
    if c == "en_PH":
        return "%s %04d" % (pick(CITIES[c]), R.randint(1000, 9800))
    if c == "es_AR":
        return "%s%04d %s" % (pick(["", "", "C", "B"]), R.randint(1000, 9400), lp.fk.city())
    if c == "sg":
        return "Singapore %06d" % R.randint(100000, 829999)
    return "%s %s" % (lp.fk.postcode(), lp.fk.city())


def city(lp):
    if lp.code in CITIES:
        return pick(CITIES[lp.code])
    return lp.fk.city()


SG_LP = Locale("en_PH", "en", "SG", ["%d/%m/%Y", "%d %b %Y"], faker_names=False)
SG_LP.code = "sg"

PHONE_REGIONS = ["PT", "DK", "FI", "NO", "CZ", "SK", "RO", "HU", "GR", "HR", "SI", "LT", "LV", "EE", "BE", "CH",
                 "AR", "CO", "CL", "PH", "TH", "LU", "SG", "IN", "AU", "BR", "MT", "CY", "IS", "GB", "US", "CA", "DE",
                 "FR", "ES", "IT", "NL", "SE", "PL"]
_PT = phonenumbers.PhoneNumberType
_PF = phonenumbers.PhoneNumberFormat


def gen_phone(region, mobile=None):
    mobile = chance(0.7) if mobile is None else mobile
    want = _PT.MOBILE if mobile else _PT.FIXED_LINE
    ex = phonenumbers.example_number_for_type(region, want) or phonenumbers.example_number(region)
    nsn = phonenumbers.national_significant_number(ex)
    for keep in (2, 2, 2, 1, 3, 3):
        for _ in range(60):
            cand = nsn[:keep] + rs(DIG, len(nsn) - keep)
            try:
                num = phonenumbers.parse("+%d%s" % (ex.country_code, cand))
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(num) and phonenumbers.region_code_for_number(num) == region:
                t = phonenumbers.number_type(num)
                if t in (want, _PT.FIXED_LINE_OR_MOBILE):
                    return num
    return ex


def phone_text(num, local=True):
    """Format a phone number the way people and systems write it."""
    nat = phonenumbers.format_number(num, _PF.NATIONAL)
    intl = phonenumbers.format_number(num, _PF.INTERNATIONAL)
    e164 = phonenumbers.format_number(num, _PF.E164)
    opts = [intl, intl, e164, "00" + e164[1:], "00" + intl[1:]]
    if local:
        opts += [nat, nat, nat, re.sub(r"[^\d+]", "", nat)]
    r = pick(opts + ["intl-dash", "intl-dot", "paren-cc"])
    if r == "intl-dash":
        r = intl.replace(" ", "-", intl.count(" ")).replace("+%d-" % num.country_code, "+%d " % num.country_code)
    elif r == "intl-dot":
        r = intl.replace(" ", ".").replace("+%d." % num.country_code, "+%d " % num.country_code)
    elif r == "paren-cc":
        r = "(+%d) %s" % (num.country_code, intl.split(" ", 1)[1])
    # keep only forms phonenumbers still accepts as this valid number
    test = "+" + r[2:] if r.startswith("00") else r
    try:
        back = phonenumbers.parse(test.replace("(+", "+").replace(")", " ", 1) if test.startswith("(+") else test,
                                  phonenumbers.region_code_for_number(num))
        if phonenumbers.is_valid_number(back) and back.national_number == num.national_number:
            return r
    except phonenumbers.NumberParseException:
        pass
    return intl


# ---------------------------------------------------------------------------
# Value generators (valid by construction, re-validated in check_labels)
# ---------------------------------------------------------------------------

def luhn_number(prefix, length):
    body = prefix + rs(DIG, length - len(prefix) - 1)
    return body + luhn.calc_check_digit(body)


def _rng(a, b):
    return lambda: str(R.randint(a, b))


CARD_SCHEMES = [
    ("Visa", [lambda: "4"], [16, 16, 16, 16, 13, 19]),
    ("Mastercard", [lambda: pick(["51", "52", "53", "54", "55"]), _rng(2221, 2720)], [16]),
    ("American Express", [lambda: pick(["34", "37"])], [15]),
    ("Discover", [lambda: pick(["6011", "644", "645", "646", "647", "648", "649", "65"])], [16, 16, 19]),
    ("JCB", [_rng(3528, 3589)], [16, 16, 19]),
    ("Diners Club", [lambda: pick(["300", "301", "302", "303", "304", "305", "36", "38", "39"])], [14]),
    ("Maestro", [lambda: pick(["5018", "5020", "5038", "6304", "6759", "6761", "6762", "6763"])], [16, 19]),
    ("UnionPay", [lambda: pick(["62", "6212", "6222", "6282"])], [16, 19]),
    ("Mir", [_rng(2200, 2204)], [16]),
    ("RuPay", [lambda: pick(["60", "6521", "6522", "508", "81", "82"])], [16]),
    ("Elo", [lambda: pick(["636368", "438935", "504175", "451416", "636297", "5067", "4576", "4011"])], [16]),
    ("Dankort", [lambda: pick(["5019", "4571"])], [16]),
    ("Bancontact", [lambda: "6703"], [17, 19]),
    ("Troy", [lambda: "9792"], [16]),
    ("Verve", [_rng(506099, 506198), _rng(650002, 650027)], [16, 19]),
]


def gen_card(scheme=None):
    name, prefixes, lengths = scheme or pick(CARD_SCHEMES)
    return name, luhn_number(pick(prefixes)(), pick(lengths))


def card_text(num, style=None):
    n = len(num)
    style = style or pick(["bare", "space", "space", "dash"])
    if style == "bare":
        return num
    sep = " " if style == "space" else "-"
    if n == 15:
        groups = [num[:4], num[4:10], num[10:]]
    elif n == 14:
        groups = [num[:4], num[4:10], num[10:]]
    else:
        groups = [num[i:i + 4] for i in range(0, n, 4)]
    return sep.join(groups)


def _load_iban_structs():
    path = os.path.join(os.path.dirname(std_iban.__file__), "iban.dat")
    out = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r'^([A-Z]{2}) .*bban="([^"]+)"', line)
        if m:
            out[m.group(1)] = re.findall(r"(\d+)!([nac])", m.group(2))
    return out


IBAN_STRUCT = _load_iban_structs()
IBAN_LOCAL = {"pt": "PT", "da": "DK", "fi": "FI", "no": "NO", "cs": "CZ", "sk": "SK", "ro": "RO", "hu": "HU",
              "el": "GR", "hr": "HR", "sl": "SI", "lt": "LT", "lv": "LV", "et": "EE", "nl": "BE", "fr": "BE",
              "it": "CH", "es": "ES", "en": "GB"}
IBAN_OTHER = ["LU", "LI", "MT", "CY", "BG", "IS", "AT", "IE", "FR", "ES", "IT", "DE", "NL", "PL", "SE", "BR",
              "TR", "SA", "AE", "IL", "MC", "SM", "FO", "GL", "GI", "GE", "AD", "KZ", "QA", "CR", "UA", "RS",
              "BA", "ME", "MK", "AL", "MD", "XK", "GB"]


def gen_iban(cc):
    struct = IBAN_STRUCT[cc]
    for _ in range(3000):
        bban = ""
        for n, t in struct:
            n = int(n)
            if t == "n":
                bban += rs(DIG, n)
            elif t == "a":
                bban += rs(UP, n)
            else:
                bban += rs(DIG, n) if chance(0.8) else rs(UP + DIG, n)
        check = std_iban.calc_check_digits(cc + "00" + bban)
        iban = cc + check + bban
        if std_iban.is_valid(iban):
            return iban
    raise RuntimeError("iban " + cc)


def iban_text(iban, style=None):
    style = style or pick(["print", "print", "compact"])
    if style == "print":
        return std_iban.format(iban)
    return iban


def gen_ssn():
    area = R.choice([x for x in range(1, 900) if x != 666])
    return "%03d-%02d-%04d" % (area, R.randint(1, 99), R.randint(1, 9999))


def ssn_text(ssn):
    r = R.random()
    if r < 0.65:
        return ssn
    if r < 0.85:
        return ssn.replace("-", "")
    return ssn.replace("-", " ")


def gen_ipv4(kind=None):
    kind = kind or pick(["priv", "pub", "pub"])
    if kind == "priv":
        return pick([lambda: "10.%d.%d.%d" % (R.randint(0, 255), R.randint(0, 255), R.randint(1, 254)),
                     lambda: "172.%d.%d.%d" % (R.randint(16, 31), R.randint(0, 255), R.randint(1, 254)),
                     lambda: "192.168.%d.%d" % (R.randint(0, 255), R.randint(1, 254))])()
    while True:
        a = R.randint(1, 223)
        if a in (10, 127, 169, 172, 192, 100, 198, 203):
            continue
        return "%d.%d.%d.%d" % (a, R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))


def gen_ipv6():
    r = R.random()
    if r < 0.55:
        pfx = pick(["2001:%x" % R.randint(0x400, 0xfff), "2a0%x:%x" % (R.randint(0, 9), R.randint(0x100, 0xffff)),
                    "2600:%x" % R.randint(0x1000, 0xffff), "2804:%x" % R.randint(0x100, 0xffff),
                    "2405:%x" % R.randint(0x100, 0xffff)])
        groups = [pfx] + ["%x" % R.randint(0, 0xffff) for _ in range(6)]
        if chance(0.5):
            for i in range(3, 3 + R.randint(1, 3)):
                groups[i] = "0"
        addr = ipaddress.IPv6Address(":".join(groups))
    elif r < 0.8:
        addr = ipaddress.IPv6Address("fe80::%x:%x:%x:%x" % tuple(R.randint(0, 0xffff) for _ in range(4)))
    else:
        addr = ipaddress.IPv6Address("fd%02x:%x:%x::%x" % (R.randint(0, 255), R.randint(0, 0xffff), R.randint(0, 0xffff), R.randint(1, 0xffff)))
    s = addr.compressed if chance(0.8) else addr.exploded
    return s.upper() if chance(0.12) else s


OUIS = ["3c:22:fb", "f8:bc:12", "00:1b:54", "b8:27:eb", "dc:a6:32", "8c:f5:a3", "00:50:56", "a4:83:e7",
        "00:0c:29", "f0:18:98", "34:29:8f", "e4:5f:01", "00:1a:11", "70:85:c2", "d8:3a:dd"]


def gen_mac(style=None):
    octs = (pick(OUIS).split(":") if chance(0.5) else ["%02x" % (R.randint(0, 255) & 0xfc)] + ["%02x" % R.randint(0, 255) for _ in range(2)])
    octs += ["%02x" % R.randint(0, 255) for _ in range(3)]
    style = style or pick(["colon", "colon", "COLON", "DASH", "cisco", "dash"])
    if style == "colon":
        return ":".join(octs)
    if style == "COLON":
        return ":".join(octs).upper()
    if style == "DASH":
        return "-".join(octs).upper()
    if style == "dash":
        return "-".join(octs)
    h = "".join(octs)
    return "%s.%s.%s" % (h[:4], h[4:8], h[8:])


def _pattern(p):
    out = ""
    for ch in p:
        out += pick(UP) if ch == "L" else pick(DIG) if ch == "#" else ch
    return out


PASSPORT_FMT = {
    "PT": ["LL######", "L######"], "DK": ["#########"], "FI": ["LL#######"], "NO": ["LL#######", "L########"],
    "CZ": ["########"], "SK": ["LL#######"], "RO": ["########", "0########"], "HU": ["LL#######", "LL######"],
    "GR": ["LL#######"], "HR": ["#########"], "SI": ["PL#######"], "LT": ["########"], "LV": ["LL#######"],
    "EE": ["L#######", "LL#######"], "BE": ["LL######"], "CH": ["L#######"], "AR": ["LLL######"],
    "CO": ["LL######", "LL#######"], "CL": ["L########", "#########"], "PH": ["P#######L", "LL#######"],
    "TH": ["LL#######"], "US": ["#########", "L########"], "IN": ["L#######"], "SG": ["K#######L", "E#######L"],
    "AU": ["LL#######", "L#######"], "GB": ["#########"], "BR": ["LL######"],
}
DL_FMT = {
    "PT": ["LL-###### #", "L-####### #"], "DK": ["########"], "FI": ["########"], "NO": ["###########"],
    "CZ": ["LL ######", "LL######"], "SK": ["LL######"], "RO": ["#########"], "HU": ["LL######"], "GR": ["#########"],
    "HR": ["########"], "SI": ["########"], "LT": ["########"], "LV": ["LL######"], "EE": ["LL######"],
    "BE": ["##########"], "CH": ["######-###", "L######"], "AR": ["########"], "CO": ["##########"],
    "CL": ["########"], "PH": ["L##-##-######"], "TH": ["########"], "US": ["L#######", "L###-####-####"],
    "AU": ["########", "#########"], "IN": ["LL## ###########"], "SG": ["S#######L"],
}


def gen_passport(region):
    return _pattern(pick(PASSPORT_FMT.get(region, PASSPORT_FMT["US"])))


def gen_dl(region, p=None):
    if region == "GB" and p is not None:
        return uk_licence(p)
    v = _pattern(pick(DL_FMT.get(region, DL_FMT["US"])))
    if region == "PH":
        v = pick("NDKA") + v[1:]
    if region == "SI" or region == "CZ":
        v = v
    return v


def uk_licence(p):
    sur = re.sub(r"[^A-Z]", "", unidecode(p.last).upper())
    sur = (sur + "99999")[:5]
    d = p.dob
    month = d.month + (50 if p.sex == "F" else 0)
    fi = re.sub(r"[^A-Z]", "", unidecode(p.first).upper()) or "X"
    initials = (fi[0] + "9")
    return "%s%s%02d%02d%s%s9%s" % (sur, str(d.year)[2], month, d.day, str(d.year)[3], initials, rs(UP, 2))


# --- secrets ---------------------------------------------------------------

AWS_ALPHA = UP + "234567"


def gen_aws_key():
    return pick(["AKIA", "AKIA", "AKIA", "ASIA"]) + rs(AWS_ALPHA, 16)


def gen_aws_secret():
    return rs(ALNUM + "/+", 40)


def gen_github():
    r = R.random()
    if r < 0.45:
        return "ghp_" + rs(ALNUM, 36)
    if r < 0.7:
        return "github_pat_11" + rs(UP + DIG, 20) + "_" + rs(ALNUM, 59)
    return pick(["gho_", "ghs_", "ghu_", "ghr_"]) + rs(ALNUM, 36)


def gen_slack(kind=None):
    kind = kind or pick(["xoxb", "xoxb", "xoxp", "xapp", "hook", "hook"])
    if kind == "xoxb":
        return "xoxb-%s-%s-%s" % (rs(DIG, R.choice([11, 12, 13])), rs(DIG, R.choice([12, 13])), rs(ALNUM, 24))
    if kind == "xoxp":
        return "xoxp-%s-%s-%s-%s" % (rs(DIG, 11), rs(DIG, 12), rs(DIG, 13), rs(HEX, 32))
    if kind == "xapp":
        return "xapp-1-A%s-%s-%s" % (rs(UP + DIG, 10), rs(DIG, 13), rs(HEX, 64))
    return "https://hooks.slack.com/services/T%s/B%s/%s" % (rs(UP + DIG, 8 + R.randint(0, 2)), rs(UP + DIG, 8 + R.randint(0, 3)), rs(ALNUM, 24))


def gen_stripe(kind=None):
    kind = kind or pick(["sk_live_", "sk_live_", "sk_live_", "rk_live_", "rk_live_", "sk_test_", "pk_live_"])
    if chance(0.5):
        return kind + "51" + rs(ALNUM, 97)
    return kind + rs(ALNUM, pick([24, 24, 34]))


def gen_google_key():
    return "AIza" + rs(ALNUM + "-_", 35)


def b64url(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def gen_jwt(p=None):
    alg = pick(["HS256", "HS256", "RS256", "ES256", "HS512"])
    header = {"alg": alg, "typ": "JWT"}
    if alg in ("RS256", "ES256") and chance(0.7):
        header["kid"] = rs(ALNUM, 20)
    now = 1700000000 + R.randint(0, 60000000)
    payload = {"sub": pick([str(uuid.UUID(int=R.getrandbits(128))), str(R.randint(10000, 9999999)), "auth0|" + rs(HEX, 24)]),
               "iat": now, "exp": now + pick([900, 3600, 86400])}
    if chance(0.6):
        payload["iss"] = "https://" + pick(["auth.", "login.", "sso.", "id."]) + company_domain(pick(list(DOMAIN_STEMS)))
    if chance(0.5):
        payload["scope"] = pick(["openid profile", "read:orders write:orders", "admin", "api"])
    if chance(0.4):
        payload["role"] = pick(["user", "admin", "support", "service"])
    h = b64url(json.dumps(header, separators=(",", ":")).encode())
    pl = b64url(json.dumps(payload, separators=(",", ":")).encode())
    siglen = {"HS256": 32, "HS512": 64, "RS256": 256, "ES256": 64}[alg]
    sig = b64url(bytes(R.getrandbits(8) for _ in range(siglen)))
    return "%s.%s.%s" % (h, pl, sig)


def gen_pem(kind=None):
    kind = kind or pick(["RSA", "RSA", "PKCS8", "EC", "OPENSSH", "OPENSSH"])
    if kind == "RSA":
        head, start, size = "RSA PRIVATE KEY", pick(["MIIEpAIBAAKCAQEA", "MIIEowIBAAKCAQEA", "MIICXQIBAAKBgQ"]), None
        size = 1190 if start.startswith("MIIC") else 1590
    elif kind == "PKCS8":
        head, start, size = "PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ", 1620
    elif kind == "EC":
        head, start, size = "EC PRIVATE KEY", "MHcCAQEEI", 220
    else:
        head, start, size = "OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", 380
    body = start + rs(ALNUM + "+/", size - len(start))
    if kind != "OPENSSH":
        body = body[:-2] + pick(["==", "=", "AB"])
    width = 70 if kind == "OPENSSH" else 64
    lines = [body[i:i + width] for i in range(0, len(body), width)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----" % (head, "\n".join(lines), head)


def gen_password(n=None):
    n = n or R.randint(14, 24)
    alpha = ALNUM + "!#$%*-_+=?@^"
    while True:
        s = rs(alpha, n)
        if re.search(r"[A-Z]", s) and re.search(r"[a-z]", s) and re.search(r"\d", s):
            return s


def gen_url_password():
    n = R.randint(12, 28)
    s = rs(ALNUM + "-_.~", n)
    if chance(0.3):
        s = s[:5] + pick(["%40", "%23", "%21", "%24"]) + s[5:]
    return s if re.search(r"\d", s) else s + str(R.randint(0, 9))


def gen_secret_value(kind=None):
    kind = kind or pick(["alnum", "alnum", "hex32", "hex40", "hex64", "b64", "pw", "django", "key-hex", "b64long"])
    if kind == "alnum":
        return rs(ALNUM, pick([24, 32, 40, 48]))
    if kind == "hex32":
        return rs(HEX, 32)
    if kind == "hex40":
        return rs(HEX, 40)
    if kind == "hex64":
        return rs(HEX, 64)
    if kind == "b64":
        return base64.b64encode(bytes(R.getrandbits(8) for _ in range(32))).decode()
    if kind == "b64long":
        return base64.b64encode(bytes(R.getrandbits(8) for _ in range(64))).decode()
    if kind == "django":
        return rs(LOW + DIG + "!@#$%^&*(-_=+)", 50)
    if kind == "key-hex":
        return "key-" + rs(HEX, 32)
    return gen_password()


# --- national identifiers -----------------------------------------------------

def gen_de_idnr():
    while True:
        d = R.randint(0, 9)
        c = pick([2, 2, 3])
        others = R.sample([x for x in range(10) if x != d], 10 - c)
        digits = [d] * c + others
        R.shuffle(digits)
        if digits[0] == 0:
            continue
        s = "".join(map(str, digits))
        s += mod_11_10.calc_check_digit(s)
        if std_idnr.is_valid(s):
            return s


def de_idnr_text(v):
    return pick([v, v, "%s %s %s %s" % (v[:2], v[2:5], v[5:8], v[8:]), "%s/%s/%s" % (v[:2], v[2:5], v[5:])])


FR_DEPTS = ["75", "13", "69", "59", "33", "2A", "2B", "99", "99", "06", "31", "67", "44", "57", "93", "35", "971"]


def gen_fr_nir(p):
    sex = "1" if p.sex == "M" else "2"
    dep = pick(FR_DEPTS)
    if len(dep) == 3:
        rest = dep + "%02d" % R.randint(1, 34)
    else:
        rest = dep + "%03d" % R.randint(1, 990)
    base = sex + "%02d" % (p.dob.year % 100) + "%02d" % p.dob.month + rest + "%03d" % R.randint(1, 999)
    return base + std_nir.calc_check_digits(base)


def fr_nir_text(v):
    spaced = "%s %s %s %s %s %s %s" % (v[0], v[1:3], v[3:5], v[5:7], v[7:10], v[10:13], v[13:])
    return pick([spaced, spaced, v, "%s %s" % (v[:13], v[13:])])


def gen_es_dni():
    n = "%08d" % R.randint(1000000, 79999999)
    return n + std_dni.calc_check_digit(n)


def es_dni_text(v):
    return pick([v, v, v, v[:8] + "-" + v[8], v[:8] + "-" + v[8], v[:8] + " " + v[8], "%s.%s.%s-%s" % (v[:2], v[2:5], v[5:8], v[8])])


def gen_es_nie():
    n = pick("XXYYZ") + "%07d" % R.randint(0, 9999999)
    return n + std_nie.calc_check_digit(n)


def es_nie_text(v):
    return pick([v, v, v, "%s-%s-%s" % (v[0], v[1:8], v[8]), "%s %s %s" % (v[0], v[1:8], v[8])])


CF_MONTH = "ABCDEHLMPRST"
CF_PLACES = ["H501", "F205", "F839", "L219", "G273", "A944", "D612", "L736", "Z133", "Z133", "Z110", "Z112",
             "Z129", "Z131", "Z600", "Z602", "E507", "C933"]


def _cf_part(s, is_name):
    s = re.sub(r"[^A-Z]", "", unidecode(s).upper())
    cons = [c for c in s if c not in "AEIOU"]
    vow = [c for c in s if c in "AEIOU"]
    if is_name and len(cons) >= 4:
        return cons[0] + cons[2] + cons[3]
    return ("".join(cons + vow) + "XXX")[:3]


def gen_it_cf(p, omocodia=None):
    day = p.dob.day + (40 if p.sex == "F" else 0)
    base = (_cf_part(p.last, False) + _cf_part(p.first, True) + "%02d" % (p.dob.year % 100) +
            CF_MONTH[p.dob.month - 1] + "%02d" % day + pick(CF_PLACES))
    if omocodia or (omocodia is None and chance(0.06)):
        pos = [14, 13, 12, 10, 9, 7, 6]
        b = list(base)
        for i in pos[:R.randint(1, 2)]:
            b[i] = "LMNPQRSTUV"[int(b[i])]
        base = "".join(b)
    return base + std_cf.calc_check_digit(base)


def gen_nl_bsn():
    while True:
        d = [R.randint(1, 6)] + [R.randint(0, 9) for _ in range(7)]
        s = sum(x * w for x, w in zip(d, range(9, 1, -1)))
        c = s % 11
        if c < 10:
            v = "".join(map(str, d)) + str(c)
            if std_bsn.is_valid(v):
                return v


def nl_bsn_text(v):
    return pick([v, v, v, "%s.%s.%s" % (v[:4], v[4:6], v[6:]), "%s %s %s" % (v[:3], v[3:6], v[6:])])


def gen_se_pnr(p):
    d = p.dob
    serial = "%02d" % R.randint(0, 99) + str(pick([1, 3, 5, 7, 9] if p.sex == "M" else [0, 2, 4, 6, 8]))
    core = d.strftime("%y%m%d") + serial
    return d, core + luhn.calc_check_digit(core)


def se_pnr_text(d, v):
    age_sep = "+" if (2025 - d.year) >= 100 else "-"
    r = R.random()
    if r < 0.5:
        return v[:6] + age_sep + v[6:]
    if r < 0.75:
        return str(d.year)[:2] + v[:6] + "-" + v[6:]
    if r < 0.9:
        return str(d.year)[:2] + v
    return v


def gen_pesel(p):
    d = p.dob
    m = d.month + (20 if d.year >= 2000 else 0)
    sexd = pick([1, 3, 5, 7, 9] if p.sex == "M" else [0, 2, 4, 6, 8])
    base = "%02d%02d%02d%03d%d" % (d.year % 100, m, d.day, R.randint(0, 999), sexd)
    return base + std_pesel.calc_check_digit(base)


def gen_aadhaar():
    while True:
        base = str(R.randint(2, 9)) + rs(DIG, 10)
        v = base + verhoeff.calc_check_digit(base)
        if std_aadhaar.is_valid(v):
            return v


def aadhaar_text(v):
    return pick(["%s %s %s" % (v[:4], v[4:8], v[8:])] * 3 + [v, "%s-%s-%s" % (v[:4], v[4:8], v[8:])])


def gen_pan(p=None, holder="P"):
    last = re.sub(r"[^A-Z]", "", unidecode(p.last).upper()) if p is not None else ""
    fifth = last[0] if last else pick(UP)
    v = rs(UP, 3) + holder + fifth + rs(DIG, 4) + pick(UP)
    assert std_pan.is_valid(v), v
    return v


def gen_tfn():
    while True:
        if chance(0.12):
            w = [10, 7, 8, 4, 6, 3, 5, 1]
            d = [R.randint(0, 9) for _ in range(7)]
            s = sum(a * b for a, b in zip(d, w))
            for last in range(10):
                if (s + last * w[7]) % 11 == 0:
                    v = "".join(map(str, d + [last]))
                    if std_tfn.is_valid(v):
                        return v
            continue
        w = [1, 4, 3, 7, 5, 8, 6, 9, 10]
        d = [R.randint(1, 9)] + [R.randint(0, 9) for _ in range(7)]
        s = sum(a * b for a, b in zip(d, w))
        last = (-s * 10) % 11
        if last < 10:
            v = "".join(map(str, d + [last]))
            if std_tfn.is_valid(v):
                return v


def tfn_text(v):
    if len(v) == 8:
        return pick([v, "%s %s %s" % (v[:3], v[3:6], v[6:])])
    return pick([v, "%s %s %s" % (v[:3], v[3:6], v[6:]), "%s %s %s" % (v[:3], v[3:6], v[6:]), "%s-%s-%s" % (v[:3], v[3:6], v[6:])])


def medicare_valid(v):
    v = re.sub(r"\D", "", v)
    if len(v) not in (10, 11) or v[0] not in "23456":
        return False
    w = [1, 3, 7, 9, 1, 3, 7, 9]
    return sum(int(a) * b for a, b in zip(v[:8], w)) % 10 == int(v[8]) and v[9] != "0"


def gen_medicare():
    d = [R.randint(2, 6)] + [R.randint(0, 9) for _ in range(7)]
    c = sum(a * b for a, b in zip(d, [1, 3, 7, 9, 1, 3, 7, 9])) % 10
    v = "".join(map(str, d)) + str(c) + str(R.randint(1, 9))
    assert medicare_valid(v)
    return v


def medicare_text(v):
    r = R.random()
    if r < 0.55:
        return "%s %s %s" % (v[:4], v[4:9], v[9])
    if r < 0.8:
        return v
    return v + str(R.randint(1, 5))


def gen_sin():
    while True:
        v = luhn_number(str(pick([1, 2, 3, 4, 5, 6, 7, 9])), 9)
        if std_sin.is_valid(v):
            return v


def sin_text(v):
    return pick(["%s %s %s" % (v[:3], v[3:6], v[6:]), "%s-%s-%s" % (v[:3], v[3:6], v[6:]), v])


def gen_cpf():
    while True:
        d = [R.randint(0, 9) for _ in range(9)]
        if len(set(d)) == 1:
            continue
        s1 = sum(a * b for a, b in zip(d, range(10, 1, -1)))
        d1 = (s1 * 10) % 11 % 10
        s2 = sum(a * b for a, b in zip(d + [d1], range(11, 1, -1)))
        d2 = (s2 * 10) % 11 % 10
        v = "".join(map(str, d + [d1, d2]))
        if std_cpf.is_valid(v):
            return v


def cpf_text(v):
    return pick(["%s.%s.%s-%s" % (v[:3], v[3:6], v[6:9], v[9:])] * 3 + [v])


def gen_cnpj():
    while True:
        base = rs(DIG, 8) + pick(["0001", "0001", "0002", "%04d" % R.randint(3, 40)])
        v = base + std_cnpj.calc_check_digits(base)
        if std_cnpj.is_valid(v):
            return v


def cnpj_text(v):
    return pick(["%s.%s.%s/%s-%s" % (v[:2], v[2:5], v[5:8], v[8:12], v[12:])] * 3 + [v])


NRIC_W = [2, 7, 6, 5, 4, 3, 2]


def nric_check(prefix, digits):
    s = sum(int(a) * b for a, b in zip(digits, NRIC_W))
    if prefix == "M":
        return "KLJNPQRTUWX"[10 - (s + 3) % 11]
    off = 4 if prefix in "TG" else 0
    table = "JZIHGFEDCBA" if prefix in "ST" else "XWUTRQPNMLK"
    return table[(s + off) % 11]


def nric_valid(v):
    v = v.upper()
    return bool(re.fullmatch(r"[STFGM]\d{7}[A-Z]", v)) and nric_check(v[0], v[1:8]) == v[8]


def gen_nric(p=None, foreign=None):
    foreign = chance(0.45) if foreign is None else foreign
    year = p.dob.year if p is not None else R.randint(1950, 2006)
    if foreign:
        prefix = pick(["F", "G", "G", "M"]) if year >= 2000 or chance(0.5) else "F"
        digits = rs(DIG, 7)
    else:
        prefix = "T" if year >= 2000 else "S"
        digits = ("%02d" % (year % 100) if year >= 1968 else pick(["0", "1"]) + rs(DIG, 1)) + rs(DIG, 5)
    v = prefix + digits + nric_check(prefix, digits)
    assert nric_valid(v)
    return v


NINO_BAD_FIRST = set("DFIQUV")
NINO_BAD_SECOND = set("DFIOQUV")
NINO_BAD_PREFIX = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def nino_valid(v):
    v = re.sub(r"\s", "", v).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{6}[A-D]", v):
        return False
    return v[0] not in NINO_BAD_FIRST and v[1] not in NINO_BAD_SECOND and v[:2] not in NINO_BAD_PREFIX


def gen_nino():
    while True:
        v = rs(UP, 2) + rs(DIG, 6) + pick("ABCD")
        if nino_valid(v):
            return v


def nino_text(v):
    return pick([v, "%s %s %s %s %s" % (v[:2], v[2:4], v[4:6], v[6:8], v[8])] * 2 + [v[:8] + " " + v[8]])


def gen_nhs():
    while True:
        d = [R.randint(3, 9)] + [R.randint(0, 9) for _ in range(8)]
        s = sum(a * b for a, b in zip(d, range(10, 1, -1)))
        c = 11 - s % 11
        if c == 11:
            c = 0
        if c == 10:
            continue
        v = "".join(map(str, d)) + str(c)
        if std_nhs.is_valid(v):
            return v


def nhs_text(v):
    return pick(["%s %s %s" % (v[:3], v[3:6], v[6:])] * 3 + [v, "%s-%s-%s" % (v[:3], v[3:6], v[6:])])


VAT_PATTERNS = {
    "AT": lambda: "U" + rs(DIG, 8), "BE": lambda: pick("01") + rs(DIG, 9), "BG": lambda: rs(DIG, 9),
    "CY": lambda: pick("0139") + rs(DIG, 7) + pick(UP), "CZ": lambda: str(R.randint(1, 8)) + rs(DIG, 7),
    "DE": lambda: str(R.randint(1, 9)) + rs(DIG, 8), "DK": lambda: str(R.randint(1, 9)) + rs(DIG, 7),
    "EE": lambda: "10" + rs(DIG, 7), "EL": lambda: "0" + rs(DIG, 8), "ES": lambda: pick("ABB") + rs(DIG, 8),
    "FI": lambda: rs(DIG, 8), "FR": lambda: rs(DIG, 11), "HR": lambda: rs(DIG, 11), "HU": lambda: str(R.randint(1, 2)) + rs(DIG, 7),
    "IE": lambda: rs(DIG, 7) + pick(UP) + pick(["", "", "H"]), "IT": lambda: "0" + rs(DIG, 10),
    "LT": lambda: rs(DIG, 7) + "1" + rs(DIG, 1), "LU": lambda: rs(DIG, 8), "LV": lambda: "4000" + rs(DIG, 7),
    "MT": lambda: str(R.randint(1, 9)) + rs(DIG, 7), "NL": lambda: rs(DIG, 9) + "B" + pick(["01", "01", "02"]),
    "PL": lambda: str(R.randint(1, 9)) + rs(DIG, 9), "PT": lambda: pick("5") + rs(DIG, 8),
    "RO": lambda: str(R.randint(1, 4)) + rs(DIG, R.randint(5, 7)), "SE": lambda: "55" + rs(DIG, 8) + "01",
    "SI": lambda: str(R.randint(1, 9)) + rs(DIG, 7), "SK": lambda: "202" + rs(DIG, 7),
}
VAT_LOCAL = {"pt": "PT", "da": "DK", "fi": "FI", "no": "SE", "cs": "CZ", "sk": "SK", "ro": "RO", "hu": "HU", "el": "EL",
             "hr": "HR", "sl": "SI", "lt": "LT", "lv": "LV", "et": "EE", "nl": "BE", "fr": "BE", "it": "IT", "es": "ES", "en": "IE"}


def gen_vat(cc=None):
    cc = cc or pick(list(VAT_PATTERNS))
    for _ in range(20000):
        v = cc + VAT_PATTERNS[cc]()
        if std_vat.is_valid(v):
            return v
    raise RuntimeError("vat " + cc)


def vat_text(v):
    cc, rest = v[:2], v[2:]
    r = R.random()
    if r < 0.7:
        return v
    if r < 0.85:
        return cc + " " + rest
    if cc == "BE":
        return "BE %s.%s.%s" % (rest[:4], rest[4:7], rest[7:])
    if cc == "DK":
        return "DK %s %s %s %s" % (rest[:2], rest[2:4], rest[4:6], rest[6:])
    if cc == "FR":
        return "FR %s %s" % (rest[:2], rest[2:])
    return v


# ---------------------------------------------------------------------------
# Renderers: one record (list of (label, Frag)) in the shapes real systems use
# ---------------------------------------------------------------------------

NOTE_COLS = {
    "pt": ["observacoes", "notas", "descricao"], "da": ["bemaerkninger", "noter", "beskrivelse"],
    "fi": ["lisatiedot", "huomautukset", "kuvaus"], "no": ["merknader", "notater"], "cs": ["poznamka", "popis"],
    "sk": ["poznamka", "popis"], "ro": ["observatii", "note", "descriere"], "hu": ["megjegyzes", "leiras"],
    "el": ["simeioseis", "perigrafi"], "hr": ["napomena", "opis"], "sl": ["opomba", "opis"], "lt": ["pastabos", "aprasymas"],
    "lv": ["piezimes", "apraksts"], "et": ["markused", "kirjeldus"], "nl": ["opmerkingen", "notities", "omschrijving"],
    "fr": ["remarques", "commentaire", "description"], "it": ["osservazioni", "note", "descrizione"],
    "es": ["observaciones", "notas", "descripcion"], "en": ["notes", "comments", "description"],
}
TECH_COLS = ["raw", "message", "log_line", "payload", "body", "content", "event_data", "request", "details", "value"]


def note_col(lp):
    return pick(NOTE_COLS[lp.lang] + ["notes", "comment"])


def colname(label):
    s = unidecode(label).lower()
    s = re.sub(r"[^a-z0-9]+", "_", s).strip("_")
    return s or "field"


def r_form(lp, fields, sep=None):
    sep = sep or pick(["\n", "\n", "\n", " | ", "; ", "\r\n"])
    kv = pick([": ", ": ", ": ", " : ", ":\t", " - "]) if lp.lang != "fr" else pick([" : ", ": "])
    return join(sep, [F(k) + kv + v for k, v in fields])


def r_csv(lp, fields, header=None):
    d = pick([";", ";", ",", "\t", "|"])
    vals = []
    for _, v in fields:
        v = F(v)
        txt = v.plain()
        if d in txt or '"' in txt or "\n" in txt or chance(0.15):
            v = '"' + v.map(lambda s: s.replace('"', '""')) + '"'
        vals.append(v)
    row = join(d, vals)
    if header is None:
        header = chance(0.65)
    if header:
        return join(d, [colname(k) for k, _ in fields]) + "\n" + row
    return row


def r_xml(lp, fields, root="registo"):
    root = colname(root)
    indent = chance(0.5)
    parts = []
    for k, v in fields:
        tag = colname(k)
        parts.append(fmt("<{t}>{v}</{t}>", t=tag, v=F(v).map(xml_esc)))
    if indent:
        return "<%s>\n  " % root + join("\n  ", parts) + "\n</%s>" % root
    return "<%s>" % root + join("", parts) + "</%s>" % root


def r_html(lp, fields):
    r = R.random()
    vals = [F(v).map(xml_esc) for _, v in fields]
    if r < 0.35:
        return "<tr>" + join("", [fmt("<td>{v}</td>", v=v) for v in vals]) + "</tr>"
    if r < 0.7:
        rows = [fmt("<tr><th>{k}</th><td>{v}</td></tr>", k=xml_esc(k), v=v) for (k, _), v in zip(fields, vals)]
        return '<table class="%s">' % pick(["details", "form", "record", "tbl"]) + join("", rows) + "</table>"
    if r < 0.85:
        rows = [fmt("<dt>{k}</dt><dd>{v}</dd>", k=xml_esc(k), v=v) for (k, _), v in zip(fields, vals)]
        return "<dl>" + join("", rows) + "</dl>"
    rows = [fmt('<input type="text" name="{k}" value="{v}">', k=colname(k), v=F(v).map(lambda s: xml_escape(s, {"\"": "&quot;"})))
            for (k, _), v in zip(fields, vals)]
    return "<form>" + join("\n", rows) + "</form>"


def r_sql(lp, fields, table="clientes"):
    cols = ", ".join(colname(k) for k, _ in fields)
    vals = join(", ", [F("'") + F(v).map(sql_esc) + "'" for _, v in fields])
    return fmt("INSERT INTO {t} ({c}) VALUES (", t=table, c=cols) + vals + ");"


def r_json(lp, fields):
    sep = pick([", ", ","])
    items = [fmt('"{k}": "{v}"' if sep == ", " else '"{k}":"{v}"', k=colname(k), v=F(v).map(json_esc)) for k, v in fields]
    if chance(0.3):
        return "{\n  " + join(",\n  ", items) + "\n}"
    return "{" + join(sep, items) + "}"


def r_md(lp, fields):
    head = "| " + " | ".join(k for k, _ in fields) + " |"
    sep = "|" + "|".join(["---"] * len(fields)) + "|"
    row = F("| ") + join(" | ", [F(v).map(lambda s: s.replace("|", "\\|")) for _, v in fields]) + " |"
    return F(head + "\n" + sep + "\n") + row


def r_yaml(lp, fields):
    return join("\n", [F(colname(k) + ": ") + v for k, v in fields])


def r_kvlog(lp, fields, svc=None):
    svc = svc or pick(["crm-sync", "onboarding", "hr-import", "kyc-worker", "billing", "api-gateway", "etl"])
    parts = []
    for k, v in fields:
        v = F(v)
        if " " in v.plain():
            v = '"' + v + '"'
        parts.append(F(colname(k) + "=") + v)
    return fmt("{ts} {lvl} {svc}: ", ts=rand_ts().isoformat() + "Z", lvl=pick(["INFO", "WARN", "DEBUG", "ERROR"]), svc=svc) + join(" ", parts)


def _ocr_label(k):
    k2 = k.upper() if chance(0.6) else k
    if chance(0.3) and len(k2) > 6:
        i = R.randint(2, len(k2) - 2)
        k2 = k2[:i] + pick([" ", "  ", "-\n"]) + k2[i:]
    return k2


def r_ocr(lp, fields, title=None):
    out = F(title + pick(["\n", "\n\n", "  \n"]) if title else "")
    for i, (k, v) in enumerate(fields):
        sep = pick([": ", " : ", ":  ", " .", "\n", " ", ":\n", " ‘ "])
        line = F(_ocr_label(k)) + sep + v
        tail = pick(["", "", "", " |", "  ", " _", " ."])
        out = out + line + tail + (pick(["\n", "\n", "\n\n", "\n \n"]) if i < len(fields) - 1 else "")
    return out


RENDER = {"form": r_form, "csv": r_csv, "xml": r_xml, "html": r_html, "sql": r_sql, "json": r_json,
          "md": r_md, "yaml": r_yaml, "kv": r_kvlog, "ocr": r_ocr}
RENDER_COL = {"form": None, "csv": ["csv_row", "linha_csv", "import_row", "raw_line"], "xml": ["xml", "xml_payload", "payload"],
              "html": ["html", "html_fragment", "body_html"], "sql": ["sql", "query", "audit_sql"],
              "json": ["json", "payload", "request_body", "data"], "md": ["markdown", "table_md", "notes"],
              "yaml": ["yaml", "config"], "kv": ["log_line", "message", "raw"], "ocr": ["ocr_text", "scan_text", "ocr"]}


def render(lp, fields, how, **kw):
    fr = RENDER[how](lp, fields, **kw) if how in ("xml", "sql", "ocr", "kv") and kw else RENDER[how](lp, fields)
    col = pick(RENDER_COL[how]) if RENDER_COL[how] else note_col(lp)
    return col, fr


# ---------------------------------------------------------------------------
# Side values (names are always labelled; other side values obey SIDE_CAP)
# ---------------------------------------------------------------------------

def opt_dob(lp, p, fields, prob=0.45):
    if side("date_of_birth") and chance(prob):
        fields.append((lp.w["dob"], L("date_of_birth", fmt_date(lp, p.dob))))


def opt_email(lp, p, fields, prob=0.35):
    if side("email") and chance(prob):
        fields.append((lp.w["email"], L("email", p.email())))


def nationality_word(lp, p):
    return {"pt_PT": "PRT", "da_DK": "DNK", "fi_FI": "FIN", "no_NO": "NOR", "cs_CZ": "CZE", "sk_SK": "SVK", "ro_RO": "ROU",
            "hu_HU": "HUN", "el_GR": "GRC", "hr_HR": "HRV", "sl_SI": "SVN", "lt_LT": "LTU", "lv_LV": "LVA", "et_EE": "EST",
            "nl_BE": "BEL", "fr_BE": "BEL", "it_CH": "CHE", "es_AR": "ARG", "es_CO": "COL", "es_CL": "CHL", "en_PH": "PHL",
            "en_TH": "THA", "sg": "SGP", "in": "IND", "hi": "IND"}.get(p.origin, "XXX")


def region_of(p):
    return LOC[p.origin].region if p.origin in LOC else {"sg": "SG", "in": "IN", "hi": "IN"}.get(p.origin, "US")


# ---------------------------------------------------------------------------
# Free-text sentences
# ---------------------------------------------------------------------------

ID_SENT = {
"pt": ["O cliente {n} enviou cópia do documento ({k} {v}) para validação.", "Ligou {n} a pedir atualização dos dados: {k} {v}.",
       "Verificado {k} {v} de {n}; sem pendências.", "{n} — {k}: {v} — processo de adesão concluído.",
       "Nota interna: confirmar com {n} se o {k} {v} ainda está válido."],
"da": ["Kunden {n} har sendt en kopi af dokumentet ({k} {v}) til godkendelse.", "{n} ringede og bad os opdatere oplysningerne: {k} {v}.",
       "Kontrolleret {k} {v} for {n} – ingen bemærkninger.", "{n} – {k}: {v} – oprettelse afsluttet.",
       "Husk at bekræfte med {n}, om {k} {v} stadig er gyldigt."],
"fi": ["Asiakas {n} lähetti kopion asiakirjasta ({k} {v}) tarkistettavaksi.", "{n} soitti ja pyysi päivittämään tiedot: {k} {v}.",
       "Tarkistettu {k} {v}, {n} – ei huomautettavaa.", "{n} – {k}: {v} – asiakkuus avattu.",
       "Sisäinen huomio: varmista asiakkaalta {n}, onko {k} {v} yhä voimassa."],
"no": ["Kunden {n} har sendt kopi av dokumentet ({k} {v}) for kontroll.", "{n} ringte og ba oss oppdatere opplysningene: {k} {v}.",
       "Kontrollert {k} {v} for {n} – ingen merknader.", "{n} – {k}: {v} – kundeforhold opprettet.",
       "Husk å bekrefte med {n} om {k} {v} fortsatt er gyldig."],
"cs": ["Zákazník {n} zaslal kopii dokladu ({k} {v}) k ověření.", "Volal(a) {n} s žádostí o změnu údajů: {k} {v}.",
       "Ověřeno {k} {v} u klienta {n}, bez nálezu.", "{n} – {k}: {v} – registrace dokončena.",
       "Interní poznámka: ověřit u klienta {n}, zda je {k} {v} stále platné."],
"sk": ["Zákazník {n} poslal kópiu dokladu ({k} {v}) na overenie.", "Volal(a) {n} so žiadosťou o zmenu údajov: {k} {v}.",
       "Overené {k} {v} u klienta {n}, bez pripomienok.", "{n} – {k}: {v} – registrácia dokončená.",
       "Interná poznámka: overiť u klienta {n}, či je {k} {v} stále platné."],
"ro": ["Clientul {n} a trimis copia documentului ({k} {v}) pentru verificare.", "A sunat {n} pentru actualizarea datelor: {k} {v}.",
       "Verificat {k} {v} pentru {n}, fără observații.", "{n} – {k}: {v} – înrolare finalizată.",
       "Notă internă: de confirmat cu {n} dacă {k} {v} mai este valabil."],
"hu": ["{n} ügyfél elküldte a dokumentum másolatát ({k} {v}) ellenőrzésre.", "{n} telefonált, adatmódosítást kért: {k} {v}.",
       "Ellenőrizve: {k} {v} ({n}), eltérés nincs.", "{n} – {k}: {v} – regisztráció lezárva.",
       "Belső megjegyzés: egyeztetni kell {n} ügyféllel, hogy a(z) {k} {v} még érvényes-e."],
"el": ["Ο πελάτης {n} έστειλε αντίγραφο του εγγράφου ({k} {v}) για έλεγχο.", "Τηλεφώνησε ο/η {n} για αλλαγή στοιχείων: {k} {v}.",
       "Ελέγχθηκε {k} {v} για {n}, χωρίς παρατηρήσεις.", "{n} – {k}: {v} – η εγγραφή ολοκληρώθηκε.",
       "Εσωτερική σημείωση: να επιβεβαιωθεί με {n} ότι το {k} {v} ισχύει ακόμη."],
"hr": ["Klijent {n} poslao je presliku isprave ({k} {v}) na provjeru.", "Zvao/la je {n} radi izmjene podataka: {k} {v}.",
       "Provjeren {k} {v} za {n}, bez primjedbi.", "{n} – {k}: {v} – registracija završena.",
       "Interna napomena: provjeriti s klijentom {n} vrijedi li {k} {v} još uvijek."],
"sl": ["Stranka {n} je poslala kopijo dokumenta ({k} {v}) v preverjanje.", "Klical(a) je {n} zaradi spremembe podatkov: {k} {v}.",
       "Preverjeno {k} {v} za {n}, brez pripomb.", "{n} – {k}: {v} – registracija zaključena.",
       "Interna opomba: preveriti pri stranki {n}, ali {k} {v} še velja."],
"lt": ["Klientas {n} atsiuntė dokumento kopiją ({k} {v}) patikrinimui.", "Skambino {n} dėl duomenų keitimo: {k} {v}.",
       "Patikrinta: {k} {v} ({n}), pastabų nėra.", "{n} – {k}: {v} – registracija baigta.",
       "Vidinė pastaba: pasitikslinti su klientu {n}, ar {k} {v} dar galioja."],
"lv": ["Klients {n} nosūtīja dokumenta kopiju ({k} {v}) pārbaudei.", "Zvanīja {n} par datu maiņu: {k} {v}.",
       "Pārbaudīts {k} {v} ({n}), piezīmju nav.", "{n} – {k}: {v} – reģistrācija pabeigta.",
       "Iekšēja piezīme: pārjautāt klientam {n}, vai {k} {v} joprojām ir derīgs."],
"et": ["Klient {n} saatis dokumendi koopia ({k} {v}) kontrollimiseks.", "Helistas {n} andmete muutmiseks: {k} {v}.",
       "Kontrollitud {k} {v} ({n}), märkusi pole.", "{n} – {k}: {v} – registreerimine lõpetatud.",
       "Sisemine märkus: kontrollida kliendilt {n}, kas {k} {v} kehtib veel."],
"nl": ["Klant {n} heeft een kopie van het document ({k} {v}) ter controle bezorgd.", "{n} belde om de gegevens aan te passen: {k} {v}.",
       "Gecontroleerd: {k} {v} van {n}, geen opmerkingen.", "{n} – {k}: {v} – onboarding afgerond.",
       "Interne nota: bij {n} nagaan of {k} {v} nog geldig is."],
"fr": ["Le client {n} a transmis une copie du document ({k} {v}) pour vérification.", "{n} a appelé pour mettre à jour ses données : {k} {v}.",
       "Vérifié {k} {v} pour {n}, rien à signaler.", "{n} – {k} : {v} – ouverture du dossier terminée.",
       "Note interne : confirmer avec {n} que le {k} {v} est toujours valable."],
"it": ["Il cliente {n} ha inviato copia del documento ({k} {v}) per la verifica.", "Ha chiamato {n} per aggiornare i dati: {k} {v}.",
       "Verificato {k} {v} di {n}, nessuna anomalia.", "{n} – {k}: {v} – apertura pratica completata.",
       "Nota interna: confermare con {n} che il {k} {v} sia ancora valido."],
"es": ["El cliente {n} envió copia del documento ({k} {v}) para su verificación.", "Llamó {n} para actualizar sus datos: {k} {v}.",
       "Verificado {k} {v} de {n}, sin observaciones.", "{n} – {k}: {v} – alta completada.",
       "Nota interna: confirmar con {n} si el {k} {v} sigue vigente."],
"en": ["Customer {n} sent a copy of the document ({k} {v}) for verification.", "{n} called to update their details: {k} {v}.",
       "Checked {k} {v} for {n}, no issues.", "{n} – {k}: {v} – onboarding complete.",
       "Internal note: confirm with {n} that {k} {v} is still valid."],
}

CALL_ME = {"pt": "Liga-me para o {v}", "da": "Ring til mig på {v}", "fi": "Soita minulle numeroon {v}", "no": "Ring meg på {v}",
           "cs": "Zavolejte mi na {v}", "sk": "Zavolajte mi na {v}", "ro": "Sunați-mă la {v}", "hu": "Hívjon a {v} számon",
           "el": "Καλέστε με στο {v}", "hr": "Nazovite me na {v}", "sl": "Pokličite me na {v}", "lt": "Skambinkite man {v}",
           "lv": "Zvaniet man uz {v}", "et": "Helistage mulle numbril {v}", "nl": "Bel me op {v}", "fr": "Appelez-moi au {v}",
           "it": "Mi chiami al {v}", "es": "Llámeme al {v}", "en": "Call me at {v}"}
NEW_NUMBER = {"pt": "O meu novo número é {v}", "da": "Mit nye nummer er {v}", "fi": "Uusi numeroni on {v}", "no": "Mitt nye nummer er {v}",
              "cs": "Moje nové číslo je {v}", "sk": "Moje nové číslo je {v}", "ro": "Noul meu număr este {v}", "hu": "Az új számom: {v}",
              "el": "Το νέο μου νούμερο είναι {v}", "hr": "Moj novi broj je {v}", "sl": "Moja nova številka je {v}",
              "lt": "Mano naujas numeris {v}", "lv": "Mans jaunais numurs ir {v}", "et": "Minu uus number on {v}",
              "nl": "Mijn nieuw nummer is {v}", "fr": "Mon nouveau numéro est le {v}", "it": "Il mio nuovo numero è {v}",
              "es": "Mi nuevo número es {v}", "en": "My new number is {v}"}
WRITE_ME = {"pt": "Escreva-me para {v}", "da": "Skriv til mig på {v}", "fi": "Kirjoita minulle osoitteeseen {v}", "no": "Skriv til meg på {v}",
            "cs": "Napište mi na {v}", "sk": "Napíšte mi na {v}", "ro": "Scrieți-mi la {v}", "hu": "Írjon nekem a {v} címre",
            "el": "Γράψτε μου στο {v}", "hr": "Pišite mi na {v}", "sl": "Pišite mi na {v}", "lt": "Rašykite man {v}",
            "lv": "Rakstiet man uz {v}", "et": "Kirjutage mulle aadressil {v}", "nl": "Mail me op {v}", "fr": "Écrivez-moi à {v}",
            "it": "Scrivetemi a {v}", "es": "Escríbame a {v}", "en": "Email me at {v}"}
DELIVER_TO = {"pt": "Por favor entreguem em {v}", "da": "Lever venligst til {v}", "fi": "Toimitus osoitteeseen {v}", "no": "Vennligst lever til {v}",
              "cs": "Prosím doručit na adresu {v}", "sk": "Prosím doručiť na adresu {v}", "ro": "Vă rog livrați la {v}",
              "hu": "Kérem, erre a címre szállítsák: {v}", "el": "Παρακαλώ παράδοση στη διεύθυνση {v}", "hr": "Molim dostavu na {v}",
              "sl": "Prosim za dostavo na {v}", "lt": "Prašome pristatyti adresu {v}", "lv": "Lūdzu piegādāt uz {v}",
              "et": "Palun toimetage aadressile {v}", "nl": "Gelieve te leveren op {v}", "fr": "Merci de livrer au {v}",
              "it": "Si prega di consegnare in {v}", "es": "Por favor entregar en {v}", "en": "Please deliver to {v}"}
MOVED_TO = {"pt": "Mudei de casa, a nova morada é {v}", "da": "Jeg er flyttet til {v}", "fi": "Muutin osoitteeseen {v}",
            "no": "Jeg har flyttet til {v}", "cs": "Přestěhoval(a) jsem se na adresu {v}", "sk": "Presťahoval(a) som sa na adresu {v}",
            "ro": "M-am mutat la adresa {v}", "hu": "Elköltöztem, az új címem: {v}", "el": "Μετακόμισα στη διεύθυνση {v}",
            "hr": "Preselio/la sam se na adresu {v}", "sl": "Preselil(a) sem se na naslov {v}", "lt": "Persikėliau gyventi adresu {v}",
            "lv": "Esmu pārcēlies uz {v}", "et": "Kolisin aadressile {v}", "nl": "Ik ben verhuisd naar {v}",
            "fr": "J'ai déménagé au {v}", "it": "Mi sono trasferito in {v}", "es": "Me mudé a {v}", "en": "I have moved to {v}"}
BORN_SENT = {"pt": ["{n} nasceu a {d}.", "{n}, nascido(a) em {d}, residente em {c}."],
             "da": ["{n} er født den {d}.", "{n}, født {d}, bosat i {c}."],
             "fi": ["{n} on syntynyt {d}.", "{n}, s. {d}, asuu paikkakunnalla {c}."],
             "no": ["{n} er født {d}.", "{n}, f. {d}, bosatt i {c}."],
             "cs": ["{n} se narodil(a) {d}.", "{n}, nar. {d}, bytem {c}.", "{n} (* {d})"],
             "sk": ["{n} sa narodil(a) {d}.", "{n}, nar. {d}, bytom {c}.", "{n} (* {d})"],
             "ro": ["{n} s-a născut pe {d}.", "{n}, născut(ă) la {d}, domiciliat(ă) în {c}."],
             "hu": ["{n} született: {d}.", "{n} (szül. {d}), {c}i lakos."],
             "el": ["Ο/Η {n} γεννήθηκε στις {d}.", "{n}, γενν. {d}, κάτοικος {c}."],
             "hr": ["{n} rođen(a) je {d}", "{n}, rođ. {d}, s prebivalištem u mjestu {c}."],
             "sl": ["{n} je rojen(a) {d}.", "{n}, roj. {d}, stanujoč(a) v kraju {c}."],
             "lt": ["{n} gimė {d}.", "{n}, gim. {d}, gyvenantis (-i) {c}."],
             "lv": ["{n} dzimis(-usi) {d}.", "{n}, dz. {d}, dzīvo {c}."],
             "et": ["{n} on sündinud {d}.", "{n}, sünd. {d}, elukoht {c}."],
             "nl": ["{n} is geboren op {d}.", "{n}, ° {d}, wonende te {c}."],
             "fr": ["{n} est né(e) le {d}.", "{n}, né(e) le {d}, domicilié(e) à {c}."],
             "it": ["{n} è nato/a il {d}.", "{n}, nato/a il {d}, residente a {c}."],
             "es": ["{n} nació el {d}.", "{n}, nacido/a el {d}, con domicilio en {c}."],
             "en": ["{n} was born on {d}.", "{n} (DOB {d}) lives in {c}."]}


# ---------------------------------------------------------------------------
# Text locales for foreign identifiers (labels/dates of the issuing country;
# no Faker data of those countries is used)
# ---------------------------------------------------------------------------

def _pseudo(code, lang, region, numeric):
    lp = Locale(code, lang, region, numeric)
    lp.pseudo = True
    return lp


for _l in LOCALES:
    _l.pseudo = False
SG_LP.pseudo = True
TXT = {
    "GB": _pseudo("en_PH", "en", "GB", ["%d/%m/%Y", "%d %b %Y", "%d.%m.%Y"]),
    "US": _pseudo("en_PH", "en", "US", ["%m/%d/%Y", "%Y-%m-%d", "%m-%d-%Y"]),
    "AU": _pseudo("en_PH", "en", "AU", ["%d/%m/%Y", "%d %b %Y"]),
    "CA": _pseudo("en_PH", "en", "CA", ["%Y-%m-%d", "%d/%m/%Y"]),
    "QC": _pseudo("fr_BE", "fr", "CA", ["%Y-%m-%d", "%d/%m/%Y"]),
    "IN": _pseudo("en_PH", "en", "IN", ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]),
    "SG": _pseudo("en_PH", "en", "SG", ["%d/%m/%Y", "%d %b %Y", "%d-%m-%Y"]),
    "FR": _pseudo("fr_BE", "fr", "FR", ["%d/%m/%Y", "%d.%m.%Y"]),
    "ES": _pseudo("es_AR", "es", "ES", ["%d/%m/%Y", "%d-%m-%Y"]),
    "IT": _pseudo("it_CH", "it", "IT", ["%d/%m/%Y", "%d.%m.%Y"]),
    "NL": _pseudo("nl_BE", "nl", "NL", ["%d-%m-%Y", "%d/%m/%Y"]),
    "BR": _pseudo("pt_PT", "pt", "BR", ["%d/%m/%Y"]),
    "DE": _pseudo("en_PH", "en", "DE", ["%d.%m.%Y"]),
    "SE": _pseudo("en_PH", "en", "SE", ["%Y-%m-%d"]),
    "PL": _pseudo("en_PH", "en", "PL", ["%d.%m.%Y", "%Y-%m-%d"]),
}
EN = TXT["GB"]


def home_lp(p, lp):
    """Locale for a person's own phone/address when the text locale is a foreign one."""
    if getattr(lp, "pseudo", False) or chance(0.5):
        return LOC.get(p.origin, SG_LP if p.origin == "sg" else TXT["IN"] if p.origin in ("in", "hi") else lp)
    return lp


def opt_phone(lp, p, fields, prob=0.35):
    if side("phone") and chance(prob):
        hl = home_lp(p, lp)
        fields.append((pick([lp.w["phone"], lp.w["mobile"]]), phone_for(hl, local=hl.region == lp.region)))


def opt_addr(lp, p, fields, prob=0.3):
    if side("street_address") and chance(prob):
        fields.append((lp.w["address"], addr_frag(home_lp(p, lp))))


def phone_for(lp, local=True, mobile=None):
    region = lp.region if chance(0.9) else pick(PHONE_REGIONS)
    return L("phone", phone_text(gen_phone(region, mobile), local and region == lp.region))


def addr_frag(lp, with_city=True, sep=", "):
    if getattr(lp, "pseudo", False) and lp.code != "sg":
        lp = pick(LOCALES)
    s = L("street_address", street_line(lp))
    if with_city:
        return s + sep + pc_city(lp)
    return s


COMPANIES = {
    "pt": ["Transportes Minho Norte, Lda.", "Lusomed – Clínicas Integradas, S.A.", "Atlântico Seguros, S.A.",
           "Vinhos do Douro Superior, Lda.", "TecLisboa Software, Unipessoal Lda.", "Cerâmica da Beira, S.A."],
    "da": ["Nordisk Træ ApS", "Fyns Byg A/S", "Havnelogistik Aarhus ApS", "Jysk Revision I/S", "DanVarme A/S", "Sjællands Vinduer ApS"],
    "fi": ["Pohjolan Ohjelmistot Oy", "Saimaan Logistiikka Oy", "Lapin Matkat Oy", "Tampereen Konepaja Oy", "Kuopion Rakennus Oy"],
    "no": ["Fjord Programvare AS", "Bergen Bygg AS", "Nordlys Reiser AS", "Vestland Frakt AS", "Trøndelag Energi AS"],
    "cs": ["Stavby Vysočina s.r.o.", "Pragosoft a.s.", "Moravská doprava s.r.o.", "Šumavské dřevo s.r.o.", "Brněnské strojírny a.s."],
    "sk": ["Tatrasoft s.r.o.", "Dunajstav a.s.", "Košická logistika s.r.o.", "Považské strojárne a.s.", "Záhorácka pekáreň s.r.o."],
    "ro": ["Carpați Trans SRL", "Dunărea Soft SRL", "Transilvania Med SA", "Moldova Agro SRL", "Delta Construct SRL"],
    "hu": ["Duna Szoftver Kft.", "Alföldi Gabona Zrt.", "Balaton Utazási Iroda Kft.", "Pécsi Építő Kft.", "Tisza Logisztika Kft."],
    "el": ["Αιγαίο Λογισμικό Α.Ε.", "Όλυμπος Μεταφορές Ε.Π.Ε.", "Κρητικά Αγροτικά Προϊόντα Α.Ε.", "Ιόνιο Ιατρικά Ι.Κ.Ε."],
    "hr": ["Jadran Soft d.o.o.", "Slavonija Trans d.o.o.", "Dalmacija Tours d.o.o.", "Zagreb Gradnja d.d.", "Istra Tech d.o.o."],
    "sl": ["Triglav Soft d.o.o.", "Sava Logistika d.o.o.", "Kraški vinarji d.o.o.", "Pohorje Gradnje d.d."],
    "lt": ["UAB „Nemuno programinė įranga“", "UAB Baltijos logistika", "AB Vilniaus projektai", "UAB Kauno technika"],
    "lv": ["SIA Daugavas Programmatūra", "SIA Rīgas Transports", "AS Kurzemes Būve", "SIA Latgales Agro"],
    "et": ["Toompea Tarkvara OÜ", "Tallinna Logistika AS", "Tartu Tehnika OÜ", "Saaremaa Ehitus OÜ"],
    "nl": ["Schelde Logistiek NV", "Kempen Bouw BV", "Gentse Software BV", "Vlaamse Zorggroep VZW", "Antwerp Diamond Trade NV"],
    "fr": ["Transports de la Meuse SA", "Bois des Ardennes SRL", "Liège Conseil SRL", "Namur Médical SA", "Wallonie Logiciels SRL"],
    "it": ["Ticino Logistica SA", "Consulenze Lugano Sagl", "Ceresio Tech SA", "Edilizia Bellinzona Sagl", "Verzasca Viaggi Sagl"],
    "es": ["Logística Pampa S.A.", "Andes Consultores S.A.S.", "Río de la Plata Software S.R.L.", "Cafeteras del Valle S.A.S.",
           "Patagonia Turismo S.A.", "Agrícola Biobío SpA"],
    "en": ["Island Logistics Inc.", "Manila Tech Hub Corp.", "Cebu Shipping Lines Inc.", "Siam Trading Co., Ltd.",
           "Bangkok Digital Co., Ltd.", "Lanna Services Co., Ltd."],
}
ALLERGIES = {"pt": ["nenhuma", "penicilina", "pólen"], "da": ["ingen", "penicillin", "pollen"], "fi": ["ei tiedossa", "penisilliini", "siitepöly"],
             "no": ["ingen", "penicillin", "pollen"], "cs": ["žádné", "penicilin", "pyl"], "sk": ["žiadne", "penicilín", "peľ"],
             "ro": ["niciuna", "penicilină", "polen"], "hu": ["nincs", "penicillin", "pollen"], "el": ["καμία", "πενικιλίνη", "γύρη"],
             "hr": ["nema", "penicilin", "pelud"], "sl": ["brez", "penicilin", "cvetni prah"], "lt": ["nėra", "penicilinas", "žiedadulkės"],
             "lv": ["nav", "penicilīns", "ziedputekšņi"], "et": ["puuduvad", "penitsilliin", "õietolm"], "nl": ["geen", "penicilline", "pollen"],
             "fr": ["aucune", "pénicilline", "pollen"], "it": ["nessuna", "penicillina", "polline"], "es": ["ninguna", "penicilina", "polen"],
             "en": ["none known", "penicillin", "pollen", "NKDA"]}
SENDING = {"pt": "Seguem os dados pedidos – {k}: {v}", "da": "Her er de ønskede oplysninger – {k}: {v}",
           "fi": "Tässä pyydetyt tiedot – {k}: {v}", "no": "Her er opplysningene dere ba om – {k}: {v}",
           "cs": "Zasílám požadované údaje – {k}: {v}", "sk": "Posielam požadované údaje – {k}: {v}",
           "ro": "Vă trimit datele solicitate – {k}: {v}", "hu": "Küldöm a kért adatokat – {k}: {v}",
           "el": "Σας στέλνω τα στοιχεία που ζητήσατε – {k}: {v}", "hr": "Šaljem tražene podatke – {k}: {v}",
           "sl": "Pošiljam zahtevane podatke – {k}: {v}", "lt": "Siunčiu prašomus duomenis – {k}: {v}",
           "lv": "Nosūtu pieprasītos datus – {k}: {v}", "et": "Saadan küsitud andmed – {k}: {v}",
           "nl": "Hierbij de gevraagde gegevens – {k}: {v}", "fr": "Voici les informations demandées – {k} : {v}",
           "it": "Le invio i dati richiesti – {k}: {v}", "es": "Le envío los datos solicitados – {k}: {v}",
           "en": "Here are the details you asked for – {k}: {v}"}
REQUEST = {"pt": "Pode enviar-nos os dados em falta?", "da": "Kan du sende os de manglende oplysninger?",
           "fi": "Voisitteko lähettää puuttuvat tiedot?", "no": "Kan du sende oss de manglende opplysningene?",
           "cs": "Můžete nám prosím poslat chybějící údaje?", "sk": "Môžete nám prosím poslať chýbajúce údaje?",
           "ro": "Ne puteți trimite datele lipsă?", "hu": "Elküldené a hiányzó adatokat?",
           "el": "Μπορείτε να μας στείλετε τα στοιχεία που λείπουν;", "hr": "Možete li nam poslati podatke koji nedostaju?",
           "sl": "Nam lahko pošljete manjkajoče podatke?", "lt": "Ar galėtumėte atsiųsti trūkstamus duomenis?",
           "lv": "Vai varat atsūtīt trūkstošos datus?", "et": "Kas saaksite saata puuduvad andmed?",
           "nl": "Kunt u ons de ontbrekende gegevens bezorgen?", "fr": "Pouvez-vous nous transmettre les informations manquantes ?",
           "it": "Può inviarci i dati mancanti?", "es": "¿Nos puede enviar los datos que faltan?", "en": "Could you send us the missing details?"}
YESNO = {"pt": "não", "da": "nej", "fi": "ei", "no": "nei", "cs": "ne", "sk": "nie", "ro": "nu", "hu": "nem", "el": "όχι", "hr": "ne",
         "sl": "ne", "lt": "ne", "lv": "nē", "et": "ei", "nl": "nee", "fr": "non", "it": "no", "es": "no", "en": "no"}
DEPTS = ["FIN", "OPS", "IT", "HR", "LOG", "SALES", "R&D", "QA", "WH-2", "CS"]


def agent(lp):
    return Person(lp.code if lp.code in LOC and not getattr(lp, "pseudo", False) else pick(LOCALES).code)


def wa_stamp(lp):
    t = rand_ts()
    if lp.lang == "en" and lp.region in ("US", "PH"):
        return "[%d/%d/%02d, %d:%02d %s]" % (t.month, t.day, t.year % 100, (t.hour % 12) or 12, t.minute, "AM" if t.hour < 12 else "PM")
    return "[%02d/%02d/%d, %02d:%02d:%02d]" % (t.day, t.month, t.year, t.hour, t.minute, t.second)


def s_hr(T, lp, p, v, k):
    fields = [("ID", str(R.randint(1000, 99999))), (lp.w["name"], p.name()), (lp.w["department"], pick(DEPTS)), (k, v)]
    opt_dob(lp, p, fields, 0.5)
    if side("iban") and chance(0.25):
        fields.append(("IBAN", L("iban", iban_text(gen_iban(IBAN_LOCAL[lp.lang]), "compact"))))
    if chance(0.5):
        fields.append((lp.w["salary"], "%d,%02d" % (R.randint(900, 7800), R.randint(0, 99))))
    how = pick(["csv", "csv", "sql", "json", "xml", "md"])
    return render(lp, fields, how, **({"table": pick(["employees", "payroll_import", "hr_staff", "colaboradores"])} if how == "sql" else
                                      {"root": pick(["employee", "worker", "zamestnanec", "funcionario"])} if how == "xml" else {}))


def s_med(T, lp, p, v, k):
    fields = [(lp.w["patient"], p.name())]
    opt_dob(lp, p, fields, 0.8)
    fields.append((k, v))
    opt_phone(lp, p, fields, 0.3)
    fields.append((lp.w["allergies"], pick(ALLERGIES[lp.lang])))
    doc = agent(lp)
    fields.append((lp.w["doctor"], F(DOCTOR[lp.lang] + " ") + doc.name(doc.full())))
    how = pick(["form", "form", "ocr", "html"])
    return render(lp, fields, how)


def s_hotel(T, lp, p, v, k):
    arr = rand_recent()
    dfmt = pick(lp.numeric)
    fields = [(lp.w["guest"], p.name()), (lp.w["nationality"], nationality_word(lp, p)), (k, v),
              (lp.w["arrival"], _strf(arr, dfmt)), (lp.w["departure"], _strf(arr + dt.timedelta(days=R.randint(1, 9)), dfmt)),
              (lp.w["room"], str(R.randint(101, 640)))]
    opt_dob(lp, p, fields, 0.35)
    opt_email(lp, p, fields, 0.25)
    return render(lp, fields, pick(["form", "html", "csv", "form"]))


def s_kyc(T, lp, p, v, k):
    fields = [(lp.w["name"], p.name())]
    opt_dob(lp, p, fields, 0.55)
    fields += [(lp.w["nationality"], nationality_word(lp, p)), (k, v)]
    opt_addr(lp, p, fields, 0.3)
    fields += [("PEP", YESNO[lp.lang]), ("Risk score", str(R.randint(1, 40)))]
    return render(lp, fields, pick(["form", "json", "md", "yaml", "kv"]))


def s_ins(T, lp, p, v, k):
    fields = [(lp.w["policy"], "%s-%d" % (pick(["AUT", "HLT", "VIA", "HOM", "LIF"]), R.randint(100000, 9999999))),
              (lp.w["claim"], "%d/%d" % (R.randint(2022, 2025), R.randint(1000, 99999))), (lp.w["name"], p.name()), (k, v)]
    opt_phone(lp, p, fields, 0.35)
    fields.append((lp.w["date"], fmt_date(lp, rand_recent(), "num")))
    return render(lp, fields, pick(["form", "xml", "html", "json"]))


def s_sent(T, lp, p, v, k):
    return note_col(lp), fmt(pick(ID_SENT[lp.lang]), n=p.name(), k=k, v=v)


def s_email(T, lp, p, v, k):
    ag = agent(lp)
    body = fmt(SENDING[lp.lang], k=k, v=v)
    sig = [p.name(p.full())]
    if side("phone") and chance(0.4):
        sig.append(phone_for(home_lp(p, lp)))
    d = fmt_date(lp, rand_recent(), "num") + " " + "%02d:%02d" % (R.randint(7, 19), R.randint(0, 59))
    if side("email"):
        wrote = fmt(lp.w["wrote"], d=d, n=ag.name(ag.full()), e=L("email", role_email(lp)))
    else:
        wrote = fmt(lp.w["wrote"].replace(" <{e}>", "").replace(" (<{e}>)", ""), d=d, n=ag.name(ag.full()))
    text = (F(lp.w["hello"] + ",\n\n") + body + "\n\n" + lp.w["regards"] + "\n" + join("\n", sig) +
            "\n\n" + wrote + "\n> " + REQUEST[lp.lang] + "\n> " + lp.w["regards"] + "\n> " + L("person_name", ag.first))
    return pick(["email_body", "body", "mensagem", "message_text"]), text


def s_sms(T, lp, p, v, k):
    if chance(0.6):
        return "whatsapp_export", fmt("{s} {n}: {k} {v} " + pick(["🙏", "👍", "", lp.w["thanks"] + "!"]), s=wa_stamp(lp), n=p.name(p.full()), k=k, v=v)
    return "sms_text", fmt(pick(["{k}: {v}. " + lp.w["thanks"] + ", {f}", "{k} {v} – {f}", lp.w["hello"] + "! {k} {v}"]), k=k, v=v, f=L("person_name", p.first))


def s_log(T, lp, p, v, k, compact=None):
    col = colname(k) if not re.search(r"[^\x00-\x7f]", k) else T
    cid = R.randint(10000, 9999999)
    svc = pick(["kyc-service", "hr-connector", "crm-sync", "onboarding-api", "claims-worker", "patient-portal"])
    r = R.random()
    ts = rand_ts()
    if r < 0.2:
        return "log_line", fmt("{ts}Z WARN {svc}[{pid}]: validation failed for field {c}: value '{v}' (customer_id={cid})",
                               ts=ts.isoformat(), svc=svc, pid=R.randint(100, 32000), c=col, v=v, cid=cid)
    if r < 0.35:
        return "stacktrace", fmt('Traceback (most recent call last):\n  File "/srv/{svc}/app/validators.py", line {ln}, in validate_{c}\n'
                                 '    raise ValueError("invalid {c}: %s" % value)\nValueError: invalid {c}: {v}',
                                 svc=svc, ln=R.randint(20, 400), c=col, v=v)
    if r < 0.5:
        return "stacktrace", fmt("java.lang.IllegalArgumentException: Invalid {c} '{v}' for customer {cid}\n\tat com.{co}.{s2}.DocumentValidator.check(DocumentValidator.java:{ln})\n"
                                 "\tat com.{co}.{s2}.OnboardingService.submit(OnboardingService.java:{ln2})",
                                 c=col, v=v, cid=cid, co=pick(["acme", "northwind", "probity", "contoso"]), s2=svc.split("-")[0], ln=R.randint(20, 300), ln2=R.randint(20, 300))
    if r < 0.65 and compact is not None:
        return "request", fmt("GET /api/v2/customers/search?{c}={v}&page={pg} HTTP/1.1", c=col, v=L(T, compact), pg=R.randint(1, 9))
    if r < 0.8:
        return "journald", fmt('{"__REALTIME_TIMESTAMP":"{rt}","_HOSTNAME":"{h}","SYSLOG_IDENTIFIER":"{svc}","PRIORITY":"{pr}","MESSAGE":"record accepted {c}={v} name=',
                               rt=str(int(ts.timestamp() * 1e6)), h=pick(["app-03", "worker-1", "kyc-02", "hr-app01"]), svc=svc, pr=R.randint(3, 6), c=col,
                               v=v.map(json_esc)) + p.name().map(json_esc) + '"}'
    if r < 0.9:
        return "k8s_log", fmt('{pod} {ts}Z level=info msg="document stored" {c}="{v}" tenant={t}',
                              pod="%s-%s-%s" % (svc, rs(HEX[:10] + "bcdf", 9), rs(LOW + DIG, 5)), ts=ts.isoformat(), c=col, v=v, t=pick(["eu1", "eu2", "intl"]))
    return "event_log", fmt("Log Name: Application\nSource: {src}\nEvent ID: {eid}\nLevel: Warning\nDescription:\nImport of record failed. {k}: {v}. Name: ",
                            src=pick(["HRConnector", "PayrollSync", "DocuImport"]), eid=R.randint(1000, 9000), k=k, v=v) + p.name()


def s_crm(T, lp, p, v, k):
    ag = agent(lp)
    ts = rand_ts()
    return pick(["crm_note", "activity_log", note_col(lp)]), fmt("{ts} [{a}] ", ts=ts.strftime("%Y-%m-%d %H:%M"), a=ag.name(ag.full())) + fmt(pick(ID_SENT[lp.lang]), n=p.name(), k=k, v=v)


def s_multi(T, lp, mk, k, holders):
    rows = []
    n = R.randint(2, 4)
    ppl = [Person(pick(holders)) for _ in range(n)]
    how = pick(["md", "csv", "html"])
    if how == "md":
        head = "| # | %s | %s |\n|---|---|---|\n" % (lp.w["name"], k)
        for i, q in enumerate(ppl):
            rows.append(fmt("| {i} | {n} | {v} |", i=i + 1, n=q.name(), v=L(T, mk(q))))
        return "markdown", F(head) + join("\n", rows)
    if how == "csv":
        d = pick([";", ","])
        head = d.join(["id", colname(lp.w["name"]), colname(k) if not k.isupper() else k.lower()])
        for q in ppl:
            rows.append(fmt("{i}{d}{n}{d}{v}", i=R.randint(100, 9999), d=d, n=q.name(q.full()), v=L(T, mk(q))))
        return "csv_export", F(head + "\n") + join("\n", rows)
    head = "<table><thead><tr><th>%s</th><th>%s</th></tr></thead><tbody>" % (xml_esc(lp.w["name"]), xml_esc(k))
    for q in ppl:
        rows.append(fmt("<tr><td>{n}</td><td>{v}</td></tr>", n=q.name(q.full()), v=L(T, mk(q))))
    return "html", F(head) + join("", rows) + "</tbody></table>"


SITUATIONS = {"hr": s_hr, "med": s_med, "hotel": s_hotel, "kyc": s_kyc, "ins": s_ins, "sent": s_sent, "email": s_email,
              "sms": s_sms, "log": s_log, "crm": s_crm}


# ---------------------------------------------------------------------------
# Personal identifiers: one spec per type
# ---------------------------------------------------------------------------

DOC_TITLE = {"pt": "PASSAPORTE", "da": "PAS", "fi": "PASSI", "no": "PASS", "cs": "CESTOVNÍ PAS", "sk": "CESTOVNÝ PAS", "ro": "PAȘAPORT",
             "hu": "ÚTLEVÉL", "el": "ΔΙΑΒΑΤΗΡΙΟ", "hr": "PUTOVNICA", "sl": "POTNI LIST", "lt": "PASAS", "lv": "PASE", "et": "PASS",
             "nl": "PASPOORT", "fr": "PASSEPORT", "it": "PASSAPORTO", "es": "PASAPORTE", "en": "PASSPORT"}
DE_TAX_LOCAL = {"pt": "n.º fiscal alemão", "da": "tysk skattenummer", "fi": "Saksan verotunniste", "no": "tysk skattenummer",
                "cs": "německé daňové IdNr", "sk": "nemecké daňové číslo", "ro": "cod fiscal german", "hu": "német adóazonosító",
                "el": "γερμανικός ΑΦΜ", "hr": "njemački porezni broj", "sl": "nemška davčna številka", "lt": "Vokietijos mokesčių kodas",
                "lv": "Vācijas nodokļu numurs", "et": "Saksamaa maksunumber", "nl": "Duits fiscaal nummer", "fr": "numéro fiscal allemand",
                "it": "numero fiscale tedesco", "es": "número fiscal alemán", "en": "German tax ID"}


def lp_of(origin):
    if origin in LOC:
        return LOC[origin]
    return {"sg": TXT["SG"], "in": TXT["IN"], "hi": TXT["IN"]}.get(origin, EN)


def s_ocr_id(T, lp, p, v, k, title):
    fields = []
    if chance(0.5) and p.origin not in ("sg",):
        fields += [(lp.w["last"], L("person_name", p.last.upper())), (lp.w["first"], L("person_name", p.first.upper()))]
    else:
        fields.append((lp.w["name"], p.name()))
    if side("date_of_birth") and chance(0.8):
        fields.append((lp.w["dob"], L("date_of_birth", fmt_date(lp, p.dob, "num"))))
    fields.append((k, v))
    if chance(0.5):
        fields.append((lp.w["expiry"], fmt_date(lp, rand_date(2026, 2034), "num")))
    return pick(RENDER_COL["ocr"]), r_ocr(lp, fields, title)


class IdSpec:
    def __init__(self, T, holders, text, mk, kw, situ, cols, title=None, specials=(), special_p=0.0, compact=None):
        self.T, self.holders, self.text, self.mk, self.kw = T, holders, text, mk, kw
        self.situ = [s for s, w in situ.items() for _ in range(w)]
        self.cols, self.title, self.specials, self.special_p = cols, title, list(specials), special_p
        self.compact = compact or (lambda s: re.sub(r"[\s.\-/]", "", s))

    def context(self):
        if self.specials and chance(self.special_p):
            return pick(self.specials)()
        p = Person(pick(self.holders))
        lp = self.text(p)
        k = self.kw(lp, p)
        s = pick(self.situ)
        if s == "multi":
            return s_multi(self.T, lp, lambda q: self.mk(q, lp), k, self.holders)
        val = self.mk(p, lp)
        if self.T == "sg_nric":
            k = pick(["FIN", "FIN No.", "NRIC/FIN"]) if val[0] in "FGM" else pick(["NRIC", "NRIC No.", "IC No.", "NRIC/FIN"])
        v = L(self.T, val)
        if s == "ocr":
            return s_ocr_id(self.T, lp, p, v, k, (self.title(lp) if callable(self.title) else self.title) or k.upper())
        if s == "log":
            return s_log(self.T, lp, p, v, k, compact=self.compact(val))
        return SITUATIONS[s](self.T, lp, p, v, k)

    def bare(self):
        p = Person(pick(self.holders))
        lp = self.text(p)
        return pick(self.cols), L(self.T, self.mk(p, lp))


ALL_ORIGINS = [l.code for l in LOCALES]
EU_MIGRANTS = ["lt_LT", "lv_LV", "ro_RO", "pt_PT", "hu_HU", "sk_SK", "cs_CZ", "el_GR", "hr_HR", "sl_SI", "et_EE", "en_PH", "in", "es_CO"]


def text_mix(foreign, own=0.4, rand=0.15):
    def f(p):
        r = R.random()
        if r < own and p.origin in LOC:
            return LOC[p.origin]
        if r < own + rand:
            return pick(LOCALES)
        return foreign
    return f


def pp_text(p):
    r = R.random()
    if r < 0.4:
        return lp_of(p.origin)
    if r < 0.8:
        return pick(LOCALES)
    return EN


def pp_kw(lp, p):
    r = R.random()
    if r < 0.55:
        return lp.w["passport"]
    if r < 0.75:
        return pick(["Passport No.", "Passport"])
    return lp.w["passport"] + " / Passport No."


def dl_mk(p, lp):
    if lp.region == "GB" and chance(0.7):
        return uk_licence(p)
    return gen_dl(region_of(p))


SSN_KW = {"pt": ["N.º de Segurança Social (EUA)", "SSN"], "es": ["Número de Seguro Social", "SSN (EE. UU.)", "SSN"],
          "el": ["SSN (ΗΠΑ)", "SSN"], "hr": ["SSN (SAD)", "SSN"]}


def ssn_kw(lp, p):
    if lp.lang == "en":
        return pick(["SSN", "Social Security No.", "Social Security Number", "SSN#"])
    return pick(SSN_KW.get(lp.lang, ["SSN", "US SSN"]))


def medicare_kw(lp, p):
    return pick(["Medicare No.", "Medicare card number", "Medicare", "Medicare card no."])


def sin_kw(lp, p):
    if lp.lang == "fr":
        return pick(["NAS", "Numéro d'assurance sociale", "N° d'assurance sociale"])
    return pick(["SIN", "Social Insurance Number", "SIN #", "S.I.N."])


def sg_mk(p, lp):
    return gen_nric(p, foreign=p.origin != "sg") if not (p.origin != "sg" and chance(0.05)) else gen_nric(p, foreign=False)


def se_mk(p, lp):
    return se_pnr_text(*gen_se_pnr(p))


def _cf_text(p, lp):
    v = gen_it_cf(p)
    return v.lower() if chance(0.04) else v


ID_SPECS = {}


def _spec(T, **kw):
    ID_SPECS[T] = IdSpec(T, **kw)


_spec("passport", holders=ALL_ORIGINS + ["sg", "in"], text=pp_text, mk=lambda p, lp: gen_passport(region_of(p)), kw=pp_kw,
      situ={"hotel": 4, "kyc": 3, "sent": 2, "email": 1, "sms": 1, "crm": 1, "log": 1, "hr": 1, "ins": 1, "multi": 1, "ocr": 2},
      cols=None, title=lambda lp: DOC_TITLE[lp.lang] + " / PASSPORT")
_spec("drivers_licence", holders=ALL_ORIGINS + ["sg"], text=lambda p: pick([lp_of(p.origin), lp_of(p.origin), pick(LOCALES), TXT["GB"]]),
      mk=dl_mk, kw=lambda lp, p: pick([lp.w["dl"], lp.w["dl"], "Driving licence no.", "DL No."]),
      situ={"hr": 2, "ins": 3, "kyc": 2, "sent": 2, "email": 1, "crm": 1, "log": 1, "ocr": 2, "multi": 1}, cols=None,
      title=lambda lp: lp.w["dl_word"].upper())
_spec("us_ssn", holders=["en_PH", "en_PH", "es_CO", "es_AR", "es_CL", "pt_PT", "el_GR", "hr_HR", "in", "en_TH"],
      text=text_mix(TXT["US"], own=0.3, rand=0.05), mk=lambda p, lp: ssn_text(gen_ssn()), kw=ssn_kw,
      situ={"hr": 3, "kyc": 2, "sent": 2, "email": 1, "log": 2, "crm": 1, "ocr": 1, "multi": 1, "ins": 1},
      cols=["ssn", "us_ssn", "social_security_no", "ssn_employee"], title="Form W-2 Wage and Tax Statement 2023")
_spec("uk_nhs_number", holders=EU_MIGRANTS, text=text_mix(TXT["GB"], own=0.35, rand=0.0), mk=lambda p, lp: nhs_text(gen_nhs()),
      kw=lambda lp, p: pick(["NHS number", "NHS No.", "NHS no", "NHS Number"]),
      situ={"med": 4, "sent": 2, "email": 1, "sms": 2, "log": 1, "ocr": 2, "multi": 1, "ins": 1},
      cols=["nhs_number", "nhs_no", "patient_nhs_no"], title="NHS – Appointment letter")
_spec("uk_nino", holders=EU_MIGRANTS, text=text_mix(TXT["GB"], own=0.35, rand=0.0), mk=lambda p, lp: nino_text(gen_nino()),
      kw=lambda lp, p: pick(["National Insurance number", "NI number", "NINO", "NI No.", "Nat. Ins. No."]),
      situ={"hr": 4, "kyc": 2, "sent": 2, "email": 1, "log": 1, "ocr": 2, "crm": 1, "multi": 1},
      cols=["ni_number", "nino", "national_insurance_no"], title="PAYSLIP – HMRC P60 End of Year Certificate")
_spec("de_tax_id", holders=["hr_HR", "cs_CZ", "sk_SK", "hu_HU", "ro_RO", "el_GR", "sl_SI", "pt_PT", "it_CH", "lt_LT", "lv_LV", "es_CO"],
      text=text_mix(TXT["DE"], own=0.55, rand=0.15), mk=lambda p, lp: de_idnr_text(gen_de_idnr()),
      kw=lambda lp, p: pick(["Steuer-IdNr.", "Steuer-ID", "Steuerliche Identifikationsnummer", "IdNr.", DE_TAX_LOCAL[lp.lang]]),
      situ={"hr": 4, "kyc": 1, "sent": 2, "email": 2, "log": 1, "ocr": 2, "multi": 1, "crm": 1},
      cols=["steuer_id", "steuerid", "idnr", "de_tax_id", "tax_id_de"], title="Ausdruck der elektronischen Lohnsteuerbescheinigung für 2023")
_spec("fr_nir", holders=["fr_BE", "fr_BE", "pt_PT", "ro_RO", "it_CH", "es_AR", "es_CO", "el_GR", "hr_HR", "nl_BE"],
      text=text_mix(TXT["FR"], own=0.4, rand=0.05), mk=lambda p, lp: fr_nir_text(gen_fr_nir(p)),
      kw=lambda lp, p: pick(["N° de sécurité sociale", "NIR", "Numéro INSEE", "N° SS", "n° Sécu"]) if lp.lang == "fr" else pick(["NIR", "N° de sécurité sociale", "n° Sécu (FR)"]),
      situ={"med": 3, "hr": 2, "ins": 2, "sent": 2, "email": 1, "log": 1, "ocr": 2, "multi": 1},
      cols=["nir", "num_secu", "numero_ss", "insee", "n_securite_sociale"], title="ATTESTATION DE DROITS À L'ASSURANCE MALADIE")
_spec("es_dni", holders=["es_AR", "es_CO", "es_CL", "es_AR", "pt_PT", "it_CH", "ro_RO", "en_PH"], text=text_mix(TXT["ES"], own=0.3, rand=0.15),
      mk=lambda p, lp: es_dni_text(gen_es_dni()), kw=lambda lp, p: pick(["DNI", "NIF", "D.N.I.", "DNI/NIF"]),
      situ={"hotel": 3, "kyc": 2, "hr": 2, "sent": 2, "email": 1, "sms": 1, "log": 1, "ocr": 1, "ins": 1, "multi": 1, "crm": 1},
      cols=["dni", "nif", "dni_nif", "documento_dni"], title="REINO DE ESPAÑA – DOCUMENTO NACIONAL DE IDENTIDAD")
_spec("es_nie", holders=["ro_RO", "es_CO", "es_AR", "en_PH", "pt_PT", "it_CH", "hu_HU", "el_GR", "lt_LT", "sk_SK", "in"],
      text=text_mix(TXT["ES"], own=0.35, rand=0.1), mk=lambda p, lp: es_nie_text(gen_es_nie()),
      kw=lambda lp, p: pick(["NIE", "N.I.E.", "Número de Identidad de Extranjero", "NIE/TIE"]),
      situ={"hotel": 2, "kyc": 2, "hr": 3, "sent": 2, "email": 1, "sms": 1, "log": 1, "ocr": 1, "ins": 1, "multi": 1, "crm": 1},
      cols=["nie", "nie_extranjero", "num_nie"], title="TARJETA DE IDENTIDAD DE EXTRANJERO – RESIDENCIA")
_spec("it_fiscal_code", holders=["it_CH"] * 5 + ["es_AR", "ro_RO", "el_GR", "hr_HR", "sl_SI"], text=text_mix(TXT["IT"], own=0.35, rand=0.1),
      mk=_cf_text, kw=lambda lp, p: pick(["Codice fiscale", "C.F.", "Cod. fiscale", "CF"]),
      situ={"hr": 3, "med": 2, "kyc": 2, "sent": 2, "email": 1, "log": 1, "ocr": 1, "multi": 1, "ins": 1},
      cols=["codice_fiscale", "cf", "cod_fisc", "cf_dipendente"], title="TESSERA SANITARIA – CARTA NAZIONALE DEI SERVIZI")
_spec("nl_bsn", holders=["nl_BE"] * 3 + ["fr_BE", "pt_PT", "ro_RO", "lt_LT", "lv_LV", "hu_HU", "el_GR", "sk_SK"],
      text=text_mix(TXT["NL"], own=0.35, rand=0.1), mk=lambda p, lp: nl_bsn_text(gen_nl_bsn()),
      kw=lambda lp, p: pick(["BSN", "Burgerservicenummer", "BSN-nummer", "sofinummer"]),
      situ={"hr": 3, "med": 2, "kyc": 2, "sent": 2, "email": 1, "log": 1, "ins": 1, "ocr": 1, "multi": 1},
      cols=["bsn", "burgerservicenummer", "bsn_nummer"], title="Loonstrook – Jaaropgaaf 2023")
_spec("se_personnummer", holders=["fi_FI", "fi_FI", "da_DK", "no_NO", "et_EE", "el_GR", "hr_HR", "lt_LT", "lv_LV"],
      text=text_mix(TXT["SE"], own=0.45, rand=0.2), mk=se_mk, kw=lambda lp, p: pick(["Personnummer", "Pers.nr", "Personnr", "personnummer"]),
      situ={"hr": 2, "med": 2, "kyc": 2, "sent": 2, "email": 1, "sms": 1, "log": 1, "ocr": 1, "multi": 1, "crm": 1},
      cols=["personnummer", "pnr", "personnr", "person_nr"], title="Försäkringskassan – Intyg",
      compact=lambda s: s.replace("-", "").replace("+", ""))
_spec("pl_pesel", holders=["lt_LT", "lv_LV", "cs_CZ", "sk_SK", "hu_HU", "ro_RO", "el_GR", "hr_HR", "sl_SI", "pt_PT", "da_DK", "no_NO", "fi_FI", "en_PH", "in"],
      text=text_mix(TXT["PL"], own=0.5, rand=0.2), mk=lambda p, lp: gen_pesel(p), kw=lambda lp, p: pick(["PESEL", "Nr PESEL", "numer PESEL"]),
      situ={"hr": 3, "med": 2, "kyc": 1, "sent": 2, "email": 1, "log": 1, "ocr": 1, "multi": 1, "ins": 1},
      cols=["pesel", "nr_pesel", "pesel_no"], title="ZUS – Zaświadczenie")
_spec("in_aadhaar", holders=["in", "in", "hi"], text=lambda p: TXT["IN"], mk=lambda p, lp: aadhaar_text(gen_aadhaar()),
      kw=lambda lp, p: pick(["Aadhaar No.", "Aadhaar", "Aadhaar Number", "UID", "Aadhaar card no."]),
      situ={"kyc": 4, "hr": 2, "sent": 2, "email": 1, "sms": 1, "log": 1, "multi": 1, "crm": 1}, cols=["aadhaar", "aadhaar_no", "uid_aadhaar", "aadhaar_number"])
_spec("in_pan", holders=["in", "in", "hi"], text=lambda p: TXT["IN"], mk=lambda p, lp: gen_pan(p),
      kw=lambda lp, p: pick(["PAN", "PAN No.", "Permanent Account Number", "PAN Card No."]),
      situ={"kyc": 4, "hr": 2, "sent": 2, "email": 1, "log": 1, "multi": 1, "crm": 1}, cols=["pan", "pan_no", "pan_card", "pan_number"])
AU_HOLDERS = ["el_GR", "el_GR", "en_PH", "hr_HR", "it_CH", "in", "lt_LT", "pt_PT", "en_TH", "es_CL"]
_spec("au_tfn", holders=AU_HOLDERS, text=lambda p: TXT["AU"], mk=lambda p, lp: tfn_text(gen_tfn()),
      kw=lambda lp, p: pick(["TFN", "Tax File Number", "Tax file number (TFN)", "TFN:"]).rstrip(":"),
      situ={"hr": 4, "kyc": 1, "sent": 2, "email": 2, "log": 1, "ocr": 1, "multi": 1}, cols=["tfn", "tax_file_number", "employee_tfn"],
      title="Tax file number declaration")
_spec("au_medicare", holders=AU_HOLDERS, text=lambda p: TXT["AU"], mk=lambda p, lp: medicare_text(gen_medicare()), kw=medicare_kw,
      situ={"med": 4, "ins": 1, "sent": 2, "email": 1, "sms": 1, "log": 1, "ocr": 1, "multi": 1}, cols=["medicare_no", "medicare_number", "medicare_card"],
      title="Patient registration form")
_spec("ca_sin", holders=["en_PH", "en_PH", "fr_BE", "pt_PT", "ro_RO", "in", "es_CO", "el_GR"],
      text=lambda p: pick([TXT["CA"], TXT["CA"], TXT["QC"], lp_of(p.origin)]), mk=lambda p, lp: sin_text(gen_sin()), kw=sin_kw,
      situ={"hr": 4, "kyc": 2, "sent": 2, "email": 1, "log": 1, "ocr": 1, "multi": 1}, cols=["sin", "nas", "social_insurance_no", "sin_number"],
      title="T4 Statement of Remuneration Paid")
_spec("br_cpf", holders=["pt_PT"] * 4 + ["es_AR", "es_CO", "it_CH"], text=lambda p: pick([TXT["BR"], TXT["BR"], LOC["pt_PT"], EN]),
      mk=lambda p, lp: cpf_text(gen_cpf()), kw=lambda lp, p: pick(["CPF", "CPF/MF", "C.P.F.", "CPF do titular"]),
      situ={"kyc": 3, "sent": 2, "email": 1, "sms": 2, "hr": 1, "log": 2, "ins": 1, "multi": 1, "crm": 1}, cols=["cpf", "cpf_titular", "nr_cpf", "cpf_cliente"])
_spec("sg_nric", holders=["sg"] * 5 + ["en_PH", "en_PH", "in", "en_TH", "el_GR"], text=lambda p: TXT["SG"], mk=sg_mk,
      kw=lambda lp, p: "NRIC/FIN",
      situ={"med": 3, "hr": 2, "kyc": 2, "hotel": 1, "sent": 2, "email": 1, "sms": 1, "log": 1, "multi": 1}, cols=["nric", "nric_fin", "fin_no", "nric_no"])
for _T in ("passport", "drivers_licence"):
    ID_SPECS[_T].cols = None


# ---------------------------------------------------------------------------
# Contact data: e-mail, phone, street address, date of birth, person name
# ---------------------------------------------------------------------------

DELETE_ME = {"pt": "Peço a eliminação dos meus dados associados ao e-mail {v}.", "da": "Jeg ønsker mine data slettet – e-mail {v}.",
             "fi": "Pyydän poistamaan tietoni, sähköposti {v}.", "no": "Jeg ber om at mine data slettes – e-post {v}.",
             "cs": "Žádám o výmaz mých údajů spojených s e-mailem {v}.", "sk": "Žiadam o vymazanie mojich údajov spojených s e-mailom {v}.",
             "ro": "Solicit ștergerea datelor mele asociate adresei {v}.", "hu": "Kérem a(z) {v} címhez tartozó adataim törlését.",
             "el": "Ζητώ τη διαγραφή των δεδομένων μου που συνδέονται με το {v}.", "hr": "Molim brisanje mojih podataka povezanih s adresom {v}.",
             "sl": "Prosim za izbris mojih podatkov, povezanih z naslovom {v}.", "lt": "Prašau ištrinti mano duomenis, susietus su {v}.",
             "lv": "Lūdzu dzēst manus datus, kas saistīti ar {v}.", "et": "Palun kustutage minu andmed, mis on seotud aadressiga {v}.",
             "nl": "Graag mijn gegevens gekoppeld aan {v} verwijderen.", "fr": "Je demande la suppression de mes données liées à l'adresse {v}.",
             "it": "Chiedo la cancellazione dei miei dati associati a {v}.", "es": "Solicito la eliminación de mis datos asociados a {v}.",
             "en": "Please delete all data linked to {v}."}
ROLE_TITLES = {"pt": ["Diretora Comercial", "Técnico de Contabilidade", "Gestor de Projeto"], "da": ["Salgschef", "Bogholder", "Projektleder"],
               "fi": ["Myyntipäällikkö", "Kirjanpitäjä", "Projektipäällikkö"], "no": ["Salgssjef", "Regnskapsfører", "Prosjektleder"],
               "cs": ["Obchodní ředitel", "Účetní", "Projektový manažer"], "sk": ["Obchodný riaditeľ", "Účtovníčka", "Projektový manažér"],
               "ro": ["Director vânzări", "Contabil", "Manager de proiect"], "hu": ["Értékesítési vezető", "Könyvelő", "Projektvezető"],
               "el": ["Διευθυντής Πωλήσεων", "Λογίστρια", "Υπεύθυνος Έργου"], "hr": ["Voditelj prodaje", "Računovođa", "Voditelj projekta"],
               "sl": ["Vodja prodaje", "Računovodkinja", "Vodja projekta"], "lt": ["Pardavimų vadovas", "Buhalterė", "Projekto vadovas"],
               "lv": ["Pārdošanas vadītājs", "Grāmatvede", "Projekta vadītājs"], "et": ["Müügijuht", "Raamatupidaja", "Projektijuht"],
               "nl": ["Verkoopmanager", "Boekhouder", "Projectleider"], "fr": ["Directrice commerciale", "Comptable", "Chef de projet"],
               "it": ["Responsabile vendite", "Contabile", "Capo progetto"], "es": ["Gerente comercial", "Contadora", "Jefe de proyecto"],
               "en": ["Sales Manager", "Accountant", "Project Lead"]}
SUBJECTS = {"pt": "Pedido de orçamento", "da": "Tilbud", "fi": "Tarjouspyyntö", "no": "Tilbudsforespørsel", "cs": "Poptávka",
            "sk": "Dopyt", "ro": "Cerere de ofertă", "hu": "Árajánlatkérés", "el": "Αίτημα προσφοράς", "hr": "Upit za ponudu",
            "sl": "Povpraševanje", "lt": "Užklausa", "lv": "Cenu pieprasījums", "et": "Hinnapäring", "nl": "Offerteaanvraag",
            "fr": "Demande de devis", "it": "Richiesta di preventivo", "es": "Solicitud de cotización", "en": "Quote request"}


def signature(lp, p, with_email=True, with_phone=None):
    lines = [p.name(p.full())]
    if chance(0.7):
        lines.append(pick(ROLE_TITLES[lp.lang]))
    if chance(0.6):
        lines.append(pick(COMPANIES[lp.lang]))
    if with_phone or (with_phone is None and side("phone") and chance(0.6)):
        lines.append(F(pick(["Tel. ", "T: ", "", "M: ", "📞 "])) + phone_for(lp))
    if with_email:
        lines.append(L("email", p.email()))
    return join(pick(["\n", "\n", " | "]), lines)


def vcard(lp, p, main):
    lines = ["BEGIN:VCARD", "VERSION:3.0", F("FN:") + p.name(p.full()),
             F("N:") + L("person_name", p.last) + ";" + L("person_name", p.first) + ";;;"]
    if main == "phone" or (side("phone") and chance(0.6)):
        lines.append(F(pick(["TEL;TYPE=CELL:", "TEL;TYPE=WORK,VOICE:", "TEL:"])) + L("phone", phone_text(gen_phone(lp.region), False)))
    if main == "email" or (side("email") and chance(0.6)):
        lines.append(F("EMAIL;TYPE=INTERNET:") + L("email", p.email()))
    if main == "street_address" or (side("street_address") and chance(0.4)):
        pcc = pc_city(lp)
        lines.append(F("ADR;TYPE=HOME:;;") + L("street_address", street_line(lp)) + ";" + pcc.replace(" ", ";", 1) + ";;" + nationality_word(lp, p))
    lines.append("END:VCARD")
    return "vcard", join("\r\n" if chance(0.5) else "\n", lines)


def contact_record(lp, p, main):
    fields = [(lp.w["name"], p.name())]
    if main == "email":
        fields.append((lp.w["email"], L("email", p.email())))
        opt_phone(lp, p, fields, 0.4)
    elif main == "phone":
        fields.append((pick([lp.w["phone"], lp.w["mobile"]]), phone_for(lp)))
        opt_email(lp, p, fields, 0.4)
    elif main == "street_address":
        fields.append((lp.w["address"], L("street_address", street_line(lp))))
        fields.append((lp.w["zip"], pc_city(lp).split(" ")[0] if lp.code not in ("en_TH", "en_PH") else str(R.randint(1000, 99999))))
        fields.append((lp.w["city"], city(lp)))
        opt_phone(lp, p, fields, 0.3)
    elif main == "date_of_birth":
        fields.append((lp.w["dob"], L("date_of_birth", fmt_date(lp, p.dob))))
        opt_email(lp, p, fields, 0.2)
        if chance(0.4):
            fields.append((lp.w["city"], city(lp)))
    how = pick(["form", "csv", "csv", "json", "sql", "xml", "html", "md", "yaml"])
    kw = {}
    if how == "sql":
        kw = {"table": pick(["contacts", "customers", "newsletter_subscribers", colname(lp.w["customer"]) + "_data"])}
    elif how == "xml":
        kw = {"root": pick(["contact", "cliente", "customer", lp.w["customer"]])}
    return render(lp, fields, how, **kw)


def email_ctx():
    lp = any_loc()
    p = Person(lp.code)
    r = R.random()
    if r < 0.16:
        return contact_record(lp, p, "email")
    if r < 0.26:
        q = agent(lp)
        to = L("email", q.email()) if chance(0.8) else L("email", role_email(lp))
        ts = rand_ts()
        return "raw_headers", fmt("From: {n} <{e}>\nTo: {n2} <{e2}>\nSubject: {s}\nDate: {d}", n=p.name(p.full()), e=L("email", p.email()),
                                  n2=q.name(q.full()), e2=to, s=SUBJECTS[lp.lang], d=ts.strftime("%a, %d %b %Y %H:%M:%S +0100"))
    if r < 0.36:
        d = fmt_date(lp, rand_recent(), "num") + " %02d:%02d" % (R.randint(7, 20), R.randint(0, 59))
        return pick(["email_body", "thread"]), fmt(lp.w["wrote"], d=d, n=p.name(p.full()), e=L("email", p.email())) + "\n> " + REQUEST[lp.lang]
    if r < 0.46:
        return pick(["email_signature", "signature", "body"]), F(lp.w["regards"] + ",\n") + signature(lp, p)
    if r < 0.54:
        return note_col(lp), fmt(pick([WRITE_ME[lp.lang], DELETE_ME[lp.lang]]), v=L("email", p.email())) + pick(["", " " + lp.w["thanks"] + "."])
    if r < 0.66:
        e = p.email()
        ts = rand_ts()
        t = pick(["postfix", "auth", "bounce", "login", "ses"])
        if t == "postfix":
            ip = L("ipv4", gen_ipv4("pub")) if side("ipv4") else F(gen_ipv4("pub")).map(lambda s: "mx")
            dom = e.split("@")[1]
            return "syslog", fmt("{ts} mail01 postfix/smtp[{pid}]: {qid}: to=<{e}>, relay=mx1.{dom}[{ip}]:25, delay=1.{d}, status=sent (250 2.0.0 OK)",
                                 ts=ts.strftime("%b %d %H:%M:%S"), pid=R.randint(1000, 40000), qid=rs("0123456789ABCDEF", 10), e=L("email", e), dom=dom.lower(), ip=ip, d=R.randint(0, 9))
        if t == "auth":
            ipf = L("ipv4", gen_ipv4()) if side("ipv4") else F("-")
            return "log_line", fmt("{ts}Z INFO auth: user={e} login ok from {ip}", ts=ts.isoformat(), e=L("email", e), ip=ipf)
        if t == "bounce":
            return "event_data", fmt('{"event":"hard_bounce","email":"{e}","reason":"550 5.1.1 mailbox unavailable","ts":{t}}', e=L("email", e), t=int(ts.timestamp()))
        if t == "login":
            return "request", fmt("GET /api/v1/users?email={e}&include=orders HTTP/1.1", e=L("email", e))
        return "log_line", fmt("{ts} WARN mailer: SES rejected message for {e}: Address blacklisted", ts=ts.isoformat(), e=L("email", e))
    if r < 0.74:
        return vcard(lp, p, "email")
    if r < 0.82:
        e = p.email()
        return "html", fmt('<p>{c}: <a href="mailto:{e}">{e2}</a></p>', c=pick(["Contacto", "Kontakt", "Contact", "Yhteystiedot", lp.w["email"]]), e=L("email", e), e2=L("email", e))
    if r < 0.9:
        ppl = [Person(lp.code) for _ in range(R.randint(2, 4))]
        return "cc", F("Cc: ") + join(", ", [fmt("{n} <{e}>", n=q.name(q.full()), e=L("email", q.email())) for q in ppl])
    return "whatsapp_export", fmt("{s} {n}: {w}", s=wa_stamp(lp), n=p.name(p.full()), w=fmt(WRITE_ME[lp.lang], v=L("email", p.email())))


def email_bare():
    lp = any_loc()
    p = Person(lp.code)
    e = role_email(lp) if chance(0.12) else p.email()
    return pick(COLS[lp.lang]["email"] + ["email", "e_mail", "contact_email"]), L("email", e)


def phone_ctx():
    lp = any_loc()
    p = Person(lp.code)
    r = R.random()
    if r < 0.16:
        return contact_record(lp, p, "phone")
    if r < 0.3:
        msg = pick([NEW_NUMBER, CALL_ME])[lp.lang]
        if chance(0.6):
            return "whatsapp_export", fmt("{s} {n}: {m}", s=wa_stamp(lp), n=p.name(p.full()), m=fmt(msg, v=phone_for(lp)))
        return "sms_text", fmt(msg, v=phone_for(lp)) + pick(["", ". " + p.first, " – " + lp.w["thanks"]])
    if r < 0.4:
        return pick(["email_signature", "signature"]), F(lp.w["regards"] + "\n") + signature(lp, p, with_email=side("email") and chance(0.5), with_phone=True)
    if r < 0.48:
        return vcard(lp, p, "phone")
    if r < 0.6:
        ts = rand_ts()
        num = gen_phone(lp.region)
        e164 = phonenumbers.format_number(num, _PF.E164)
        t = pick(["call", "sms", "otp", "msisdn"])
        if t == "call":
            ag = agent(lp)
            return "call_log", fmt("{ts} INBOUND from={ph} to=IVR-{q} duration={dur} agent=", ts=ts.isoformat(), ph=L("phone", e164), q=R.randint(1, 9),
                                   dur="%02d:%02d" % (R.randint(0, 20), R.randint(0, 59))) + ag.name(ag.full())
        if t == "sms":
            return "log_line", fmt("{ts} sms-gateway: message SM{h} to {ph} status=delivered segments=1", ts=ts.isoformat(), h=rs(HEX, 32), ph=L("phone", e164))
        if t == "otp":
            return "log_line", fmt("{ts} INFO otp-service: sent verification code to {ph} (attempt {a}/3)", ts=ts.strftime("%Y-%m-%d %H:%M:%S"),
                                   ph=L("phone", phone_text(num)), a=R.randint(1, 3))
        return "payload", fmt('{"msisdn":"{m}","operator":"{op}","ported":{pt}}', m=L("phone", e164[1:]), op=pick(["MEO", "TDC", "Elisa", "Telenor", "O2", "Orange", "Vodafone", "Globe", "AIS"]),
                              pt=pick(["true", "false"]))
    if r < 0.7:
        num = gen_phone(lp.region)
        e164 = phonenumbers.format_number(num, _PF.E164)
        nat = phonenumbers.format_number(num, _PF.NATIONAL)
        return "html", fmt('<a href="tel:{e}" class="phone">{n}</a>', e=L("phone", e164), n=L("phone", nat))
    if r < 0.85:
        lines = [p.name(p.full() if chance(0.5) else p.full().upper()), addr_frag(lp, sep="\n") if side("street_address") else F(pc_city(lp)),
                 F(pick(["Tel.: ", "Tlf.: ", "Tel: ", "☎ ", lp.w["phone"] + ": "])) + phone_for(lp)]
        return pick(["shipping_label", "ocr_text", "etiqueta"]), join("\n", lines)
    return note_col(lp), fmt(pick(ID_SENT[lp.lang]), n=p.name(), k=pick([lp.w["phone"], lp.w["mobile"]]), v=phone_for(lp))


def phone_bare():
    lp = any_loc()
    return pick(COLS[lp.lang]["phone"] + ["phone", "tel", "msisdn"]), phone_for(lp)


COUNTRY_NAME = {"pt_PT": "PORTUGAL", "da_DK": "DANMARK", "fi_FI": "SUOMI", "no_NO": "NORGE", "cs_CZ": "ČESKÁ REPUBLIKA", "sk_SK": "SLOVENSKO",
                "ro_RO": "ROMÂNIA", "hu_HU": "MAGYARORSZÁG", "el_GR": "ΕΛΛΑΔΑ", "hr_HR": "HRVATSKA", "sl_SI": "SLOVENIJA", "lt_LT": "LIETUVA",
                "lv_LV": "LATVIJA", "et_EE": "EESTI", "nl_BE": "BELGIË", "fr_BE": "BELGIQUE", "it_CH": "SVIZZERA", "es_AR": "ARGENTINA",
                "es_CO": "COLOMBIA", "es_CL": "CHILE", "en_PH": "PHILIPPINES", "en_TH": "THAILAND"}


def addr_ctx():
    lp = any_loc()
    p = Person(lp.code)
    r = R.random()
    if r < 0.18:
        return contact_record(lp, p, "street_address")
    if r < 0.34:
        msg = pick([DELIVER_TO, MOVED_TO])[lp.lang]
        return note_col(lp), fmt(msg, v=addr_frag(lp)) + pick(["", ". " + lp.w["thanks"] + "!", " – "]) + (p.name() if chance(0.3) else F(""))
    if r < 0.46:
        lines = [p.name(p.full()), L("street_address", street_line(lp)), F(pc_city(lp))]
        if chance(0.4):
            lines.append(F(COUNTRY_NAME[lp.code]))
        if side("phone") and chance(0.3):
            lines.append(F("Tel. ") + phone_for(lp))
        return pick(["shipping_label", "bill_to", "ocr_text", "endereco_envio"]), join("\n", lines)
    if r < 0.54:
        return vcard(lp, p, "street_address")
    if r < 0.64:
        street = street_line(lp)
        pcc = pc_city(lp)
        pc, c = (pcc.split(" ", 1) + [""])[:2]
        return "payload", fmt('{"name":"{n}","address":{"line1":"{s}","postal_code":"{pc}","city":"{c}","country":"{cc}"}}',
                              n=p.name(p.full()).map(json_esc), s=L("street_address", json_esc(street)), pc=pc, c=json_esc(c), cc=lp.region)
    if r < 0.74:
        ts = rand_ts()
        return "log_line", fmt("{ts} WARN geocoder: no match for address \"{s}\" (order {o})", ts=ts.isoformat(), s=L("street_address", street_line(lp)),
                               o="%s-%d" % (pick(["WEB", "APP", "POS"]), R.randint(100000, 999999)))
    if r < 0.84:
        arr = rand_recent()
        fields = [(lp.w["guest"], p.name()), (lp.w["address"], addr_frag(lp)), (lp.w["arrival"], fmt_date(lp, arr, "num")), (lp.w["room"], str(R.randint(100, 500)))]
        opt_phone(lp, p, fields, 0.3)
        return render(lp, fields, pick(["form", "html", "ocr"]))
    return pick(["crm_note", note_col(lp)]), fmt("{ts} [{a}] ", ts=rand_ts().strftime("%d.%m.%Y %H:%M"), a=agent(lp).name()) + fmt(MOVED_TO[lp.lang], v=addr_frag(lp))


def addr_bare():
    lp = any_loc()
    v = L("street_address", street_line(lp))
    if chance(0.3):
        v = v + ", " + pc_city(lp)
    return pick(COLS[lp.lang]["address"] + ["street", "address_line1", "addr1"]), v


DOB_ABBR = {"pt": ["n. {d}"], "da": ["f. {d}"], "no": ["f. {d}"], "fi": ["s. {d}"], "cs": ["nar. {d}", "* {d}"], "sk": ["nar. {d}", "* {d}"],
            "ro": ["n. {d}"], "hu": ["szül. {d}"], "el": ["γενν. {d}"], "hr": ["rođ. {d}"], "sl": ["roj. {d}"], "lt": ["gim. {d}"],
            "lv": ["dz. {d}"], "et": ["sünd. {d}"], "nl": ["° {d}", "°{d}"], "fr": ["né(e) le {d}", "° {d}"], "it": ["n. il {d}"],
            "es": ["nac. {d}"], "en": ["DOB {d}", "b. {d}", "D.O.B. {d}"]}


def dob_ctx():
    lp = any_loc()
    p = Person(lp.code)
    d = L("date_of_birth", fmt_date(lp, p.dob))
    r = R.random()
    if r < 0.18:
        return contact_record(lp, p, "date_of_birth")
    if r < 0.34:
        return note_col(lp), fmt(pick(BORN_SENT[lp.lang]), n=p.name(), d=d, c=city(lp))
    if r < 0.46:
        ppl = [Person(lp.code) for _ in range(R.randint(2, 5))]
        return pick(["participants", "lista", note_col(lp)]), join(pick(["\n", "; "]), [fmt("{n} ({a})", n=q.name(q.full()), a=fmt(pick(DOB_ABBR[lp.lang]), d=L("date_of_birth", fmt_date(lp, q.dob, "num")))) for q in ppl])
    if r < 0.56:
        g = "male" if p.sex == "M" else "female"
        return "fhir_resource", fmt('{"resourceType":"Patient","id":"{i}","name":[{"family":"{f}","given":["{g}"]}],"gender":"{s}","birthDate":"{d}"}',
                                    i=rs(LOW + DIG, 12), f=L("person_name", p.last), g=L("person_name", p.first), s=g, d=L("date_of_birth", p.dob.isoformat()))
    if r < 0.64:
        ts = rand_ts()
        return "log_line", fmt("{ts} INFO age-gate: verification passed user_id={u} dob={d} min_age=18", ts=ts.isoformat(), u=R.randint(10000, 999999),
                               d=L("date_of_birth", pick([p.dob.isoformat(), p.dob.strftime("%Y%m%d"), fmt_date(lp, p.dob, "num")])))
    if r < 0.76:
        start = rand_date(2010, 2024)
        fields = [("ID", str(R.randint(100, 99999))), (lp.w["name"], p.name()), (lp.w["dob"], d), (lp.w["department"], pick(DEPTS)),
                  ({"pt": "Data de admissão", "da": "Ansat fra", "fi": "Työsuhde alkanut", "no": "Ansatt fra", "cs": "Nástup", "sk": "Nástup",
                    "ro": "Data angajării", "hu": "Belépés", "el": "Πρόσληψη", "hr": "Datum zaposlenja", "sl": "Datum zaposlitve",
                    "lt": "Įdarbinimo data", "lv": "Pieņemts darbā", "et": "Tööle asumine", "nl": "In dienst sinds", "fr": "Date d'entrée",
                    "it": "Data assunzione", "es": "Fecha de ingreso", "en": "Start date"}[lp.lang], fmt_date(lp, start, "num"))]
        return render(lp, fields, pick(["csv", "sql", "json", "md"]))
    if r < 0.88:
        fields = [(lp.w["patient"], p.name()), (lp.w["dob"], d), (lp.w["allergies"], pick(ALLERGIES[lp.lang]))]
        opt_phone(lp, p, fields, 0.3)
        return render(lp, fields, pick(["form", "ocr", "html"]))
    ins = {"pt": "Segurado", "da": "Forsikringstager", "fi": "Vakuutettu", "no": "Forsikringstaker", "cs": "Pojištěný", "sk": "Poistený",
           "ro": "Asigurat", "hu": "Biztosított", "el": "Ασφαλισμένος", "hr": "Osiguranik", "sl": "Zavarovanec", "lt": "Apdraustasis",
           "lv": "Apdrošinātais", "et": "Kindlustatu", "nl": "Verzekerde", "fr": "Assuré", "it": "Assicurato", "es": "Asegurado", "en": "Insured"}[lp.lang]
    fields = [(lp.w["policy"], "%s-%d" % (pick(["LIF", "HLT", "TRV"]), R.randint(100000, 9999999))), (ins, p.name()), (lp.w["dob"], d)]
    return render(lp, fields, pick(["form", "xml", "json"]))


def dob_bare():
    lp = any_loc()
    p = Person(lp.code)
    v = fmt_date(lp, p.dob) if chance(0.85) else p.dob.strftime("%Y%m%d")
    return pick(COLS[lp.lang]["dob"] + ["dob", "birth_date", "date_of_birth"]), L("date_of_birth", v)


MEETING = {"pt": "Reunião com {a} e {b} adiada para quinta-feira.", "da": "Møde med {a} og {b} er flyttet til torsdag.",
           "fi": "Palaveri {a} ja {b} kanssa siirtyy torstaille.", "no": "Møtet med {a} og {b} er flyttet til torsdag.",
           "cs": "Schůzka s {a} a {b} se přesouvá na čtvrtek.", "sk": "Stretnutie s {a} a {b} sa presúva na štvrtok.",
           "ro": "Întâlnirea cu {a} și {b} se mută joi.", "hu": "A megbeszélés {a} és {b} részvételével csütörtökre tolódik.",
           "el": "Η συνάντηση με {a} και {b} μεταφέρεται για την Πέμπτη.", "hr": "Sastanak s {a} i {b} pomiče se na četvrtak.",
           "sl": "Sestanek z {a} in {b} je prestavljen na četrtek.", "lt": "Susitikimas su {a} ir {b} perkeltas į ketvirtadienį.",
           "lv": "Tikšanās ar {a} un {b} pārcelta uz ceturtdienu.", "et": "Kohtumine {a} ja {b} osalusel lükkub neljapäevale.",
           "nl": "Vergadering met {a} en {b} verschoven naar donderdag.", "fr": "La réunion avec {a} et {b} est reportée à jeudi.",
           "it": "La riunione con {a} e {b} è rinviata a giovedì.", "es": "La reunión con {a} y {b} se pasa al jueves.",
           "en": "Meeting with {a} and {b} moved to Thursday."}
ASSIGNED = {"pt": "Atribuído a", "da": "Tildelt", "fi": "Vastuuhenkilö", "no": "Tildelt", "cs": "Řešitel", "sk": "Riešiteľ", "ro": "Alocat lui",
            "hu": "Felelős", "el": "Ανατέθηκε σε", "hr": "Dodijeljeno", "sl": "Dodeljeno", "lt": "Atsakingas", "lv": "Atbildīgais",
            "et": "Vastutaja", "nl": "Toegewezen aan", "fr": "Assigné à", "it": "Assegnato a", "es": "Asignado a", "en": "Assigned to"}


def name_ctx():
    lp = any_loc()
    p, q = Person(lp.code), Person(lp.code)
    r = R.random()
    if r < 0.3:
        return note_col(lp), fmt(MEETING[lp.lang], a=p.name(p.full()), b=q.name(q.full()))
    if r < 0.55:
        return pick(["ticket", "jira_issue", "task"]), fmt("{t}-{n} | {a}: {p} | {s}", t=pick(["OPS", "HR", "FIN", "IT"]), n=R.randint(100, 9999),
                                                         a=ASSIGNED[lp.lang], p=p.name(p.full()), s=pick(["Open", "In progress", "Done"]))
    if r < 0.75:
        return pick(["org_chart", "csv_row"]), fmt("{a};{b};{d}", a=p.name(p.full()), b=q.name(q.full()), d=pick(DEPTS))
    title = pick(TITLES[lp.lang][0 if p.sex == "M" else 1] or ["-"])
    return pick(["recipient", "att", "addressee"]), fmt("{t} {n}", t=title if title != "-" else "Att.", n=p.name(p.full()))


def name_bare():
    lp = any_loc() if chance(0.85) else pick([SG_LP, TXT["IN"]])
    origin = lp.code if lp in LOCALES else ("sg" if lp is SG_LP else pick(["in", "hi"]))
    p = Person(origin)
    return pick(COLS[lp.lang]["name"] + ["name", "full_name", "holder_name"]), p.name()


# ---------------------------------------------------------------------------
# Financial: IBAN and payment cards
# ---------------------------------------------------------------------------

BICS = {"PT": ["CGDIPTPL", "BCOMPTPL", "TOTAPTPL", "BESCPTPL"], "DK": ["DABADKKK", "NDEADKKK", "JYBADKKK"], "FI": ["NDEAFIHH", "OKOYFIHH", "HELSFIHH"],
        "NO": ["DNBANOKK", "NDEANOKK", "SPRONO22"], "CZ": ["KOMBCZPP", "GIBACZPX", "CEKOCZPP"], "SK": ["SUBASKBX", "TATRSKBX", "GIBASKBX"],
        "RO": ["RNCBROBU", "BTRLRO22", "BRDEROBU"], "HU": ["OTPVHUHB", "GIBAHUHB", "MKKBHUHB"], "GR": ["ETHNGRAA", "PIRBGRAA", "EFGBGRAA"],
        "HR": ["ZABAHR2X", "PBZGHR2X", "ESBCHR22"], "SI": ["LJBASI2X", "KBMASI2X", "BAKOSI2X"], "LT": ["HABALT22", "CBVILT2X", "REVOLT21"],
        "LV": ["HABALV22", "UNLALV2X", "PARXLV22"], "EE": ["EEUHEE2X", "HABAEE2X", "LHVBEE22"], "BE": ["GEBABEBB", "KREDBEBB", "BBRUBEBB"],
        "CH": ["UBSWCHZH80A", "POFICHBEXXX", "BSCTCH22"], "ES": ["CAIXESBBXXX", "BBVAESMM"], "GB": ["NWBKGB2L", "BARCGB22"]}
TRANSFER_SENT = {
    "pt": ["Transferência de {a} € para {n} – IBAN {v} – ref. {r}", "{n} pediu o reembolso para o IBAN {v}."],
    "da": ["Overførsel på {a} kr. til {n} – IBAN {v} – ref. {r}", "{n} ønsker tilbagebetaling til IBAN {v}."],
    "fi": ["Tilisiirto {a} € saajalle {n} – IBAN {v} – viite {r}", "{n} pyysi palautuksen tilille {v}."],
    "no": ["Overføring {a} kr til {n} – IBAN {v} – ref. {r}", "{n} ønsker refusjon til IBAN {v}."],
    "cs": ["Převod {a} Kč pro {n} – IBAN {v} – VS {r}", "{n} žádá vrácení peněz na účet {v}."],
    "sk": ["Prevod {a} € pre {n} – IBAN {v} – VS {r}", "{n} žiada vrátenie peňazí na účet {v}."],
    "ro": ["Transfer {a} lei către {n} – IBAN {v} – ref. {r}", "{n} solicită rambursarea în contul {v}."],
    "hu": ["Átutalás {a} Ft – kedvezményezett: {n} – IBAN {v} – közlemény {r}", "{n} a visszatérítést a(z) {v} számlára kéri."],
    "el": ["Μεταφορά {a} € προς {n} – IBAN {v} – αιτιολογία {r}", "Ο/Η {n} ζητά επιστροφή στο IBAN {v}."],
    "hr": ["Uplata {a} € za {n} – IBAN {v} – poziv na broj {r}", "{n} traži povrat na IBAN {v}."],
    "sl": ["Nakazilo {a} € za {n} – IBAN {v} – sklic {r}", "{n} prosi za vračilo na TRR {v}."],
    "lt": ["Pervedimas {a} € gavėjui {n} – IBAN {v} – paskirtis {r}", "{n} prašo grąžinti pinigus į sąskaitą {v}."],
    "lv": ["Pārskaitījums {a} € saņēmējam {n} – IBAN {v} – mērķis {r}", "{n} lūdz atmaksu uz kontu {v}."],
    "et": ["Ülekanne {a} € saajale {n} – IBAN {v} – viitenumber {r}", "{n} palub tagastuse kontole {v}."],
    "nl": ["Overschrijving {a} € naar {n} – IBAN {v} – mededeling {r}", "{n} vraagt terugbetaling op rekening {v}."],
    "fr": ["Virement de {a} € à {n} – IBAN {v} – communication {r}", "{n} demande le remboursement sur le compte {v}."],
    "it": ["Bonifico di CHF {a} a {n} – IBAN {v} – causale {r}", "{n} chiede il rimborso sull'IBAN {v}."],
    "es": ["Transferencia de {a} € a {n} – IBAN {v} – concepto {r}", "{n} solicita el reembolso a la cuenta {v}."],
    "en": ["Transfer of EUR {a} to {n} – IBAN {v} – ref {r}", "{n} asked for the refund to go to IBAN {v}."],
}


def amount():
    return "%d,%02d" % (R.randint(5, 9000), R.randint(0, 99))


def iban_for(lp, p=None):
    cc = IBAN_LOCAL[lp.lang] if chance(0.6) else pick(IBAN_OTHER + list(IBAN_LOCAL.values()))
    if lp.code == "it_CH" and chance(0.5):
        cc = "CH"
    return gen_iban(cc)


def iban_ctx():
    lp = any_loc()
    p = Person(lp.code)
    ib = iban_for(lp)
    v = L("iban", iban_text(ib))
    ref = "%s%d" % (pick(["", "FT ", "INV-", "RF"]), R.randint(1000, 9999999))
    r = R.random()
    if r < 0.2:
        return pick(["descricao_movimento", "transfer_description", "purpose", note_col(lp)]), fmt(pick(TRANSFER_SENT[lp.lang]), a=amount(), n=p.name(p.full()), v=v, r=ref)
    if r < 0.3:
        return "xml_payload", fmt("<CdtTrfTxInf><Amt><InstdAmt Ccy=\"EUR\">{a}</InstdAmt></Amt><Cdtr><Nm>{n}</Nm></Cdtr><CdtrAcct><Id><IBAN>{v}</IBAN></Id></CdtrAcct>"
                                  "<RmtInf><Ustrd>{r}</Ustrd></RmtInf></CdtTrfTxInf>", a=amount().replace(",", "."), n=p.name(p.full()).map(xml_esc), v=L("iban", ib), r=ref)
    if r < 0.38:
        return "mt940", fmt(":20:STMT{d}\n:25:{v}\n:28C:{s}/1\n:61:{dt}C{a}NTRFNONREF\n:86:/NAME/{n}/REMI/{r}", d=R.randint(100000, 999999), v=L("iban", ib),
                            s=R.randint(1, 300), dt=rand_recent().strftime("%y%m%d"), a=amount(), n=p.name(p.full().upper()), r=ref)
    if r < 0.5:
        fields = [("ID", str(R.randint(100, 99999))), (lp.w["name"], p.name()), ("IBAN", v), (lp.w["salary"], amount())]
        opt_email(lp, p, fields, 0.2)
        return render(lp, fields, pick(["csv", "sql", "json", "xml", "md"]), **{})
    if r < 0.6:
        co = pick(COMPANIES[lp.lang])
        bic = pick(BICS.get(ib[:2], ["XXXXXXXX"]))
        return pick(["invoice_footer", "rodape_fatura", "footer"]), fmt("{c} · IBAN {v} · BIC {b}", c=co, v=v, b=bic)
    if r < 0.68:
        ts = rand_ts()
        return "log_line", fmt('{ts}Z ERROR payouts: SEPA credit transfer rejected iban={v} holder="{n}" reason=AC04', ts=ts.isoformat(), v=L("iban", ib), n=p.name(p.full()))
    if r < 0.78:
        return s_email("iban", lp, p, v, "IBAN")
    if r < 0.86:
        return s_sms("iban", lp, p, v, "IBAN")
    if r < 0.93:
        return s_multi("iban", lp, lambda q: iban_text(iban_for(lp)), "IBAN", [lp.code])
    return s_kyc("iban", lp, p, v, "IBAN")


def iban_bare():
    lp = any_loc()
    return pick(COLS[lp.lang]["iban"] + ["iban", "account_iban"]), L("iban", iban_text(iban_for(lp)))


def card_ctx():
    lp = any_loc()
    p = Person(lp.code)
    scheme, num = gen_card()
    v = L("credit_card", card_text(num))
    exp = "%02d/%02d" % (R.randint(1, 12), R.randint(25, 31))
    r = R.random()
    ts = rand_ts()
    if r < 0.14:
        return "log_line", fmt("{ts} ERROR payment-svc: charge failed card={v} exp={e} amount={a} EUR code=05", ts=ts.isoformat(), v=L("credit_card", num), e=exp, a=amount().replace(",", "."))
    if r < 0.26:
        return "request_body", fmt('{"card_number":"{v}","exp_month":{m},"exp_year":20{y},"cvc":"{c}","holder":"{n}"}', v=L("credit_card", card_text(num, pick(["bare", "space"]))),
                                   m=int(exp[:2]), y=exp[3:], c=rs(DIG, 3), n=p.name(p.full().upper()).map(json_esc))
    if r < 0.38:
        return note_col(lp), fmt(pick(ID_SENT[lp.lang]), n=p.name(), k=lp.w["card"], v=v)
    if r < 0.48:
        return pick(["ocr_text", "scan_text"]), fmt("{b}\n{v}\n{vt} {e}\n{n}", b=pick(["VISA", "Mastercard", "DEBIT", scheme.upper(), pick(COMPANIES[lp.lang]).upper()]), v=L("credit_card", card_text(num, "space")),
                                                    vt=pick(["VALID THRU", "VALID\nTHRU", "GOOD THRU", "EXP"]), e=exp, n=p.name(p.full().upper()))
    if r < 0.6:
        fields = [(lp.w["name"], p.name()), (lp.w["card"], v), (lp.w["expiry"], exp)]
        opt_email(lp, p, fields, 0.3)
        return render(lp, fields, pick(["form", "csv", "sql", "json", "html", "md"]))
    if r < 0.68:
        return s_email("credit_card", lp, p, v, lp.w["card"])
    if r < 0.76:
        return "stacktrace", fmt("com.{co}.payments.CardDeclinedException: card {v} declined (51 insufficient funds)\n\tat com.{co}.payments.Gateway.authorize(Gateway.java:{l})",
                                 co=pick(["acme", "shopify", "northwind"]), v=L("credit_card", num), l=R.randint(40, 400))
    if r < 0.84:
        return "request", fmt("GET /checkout/confirm?order={o}&pan={v}&exp={e} HTTP/1.1", o=R.randint(100000, 999999), v=L("credit_card", num), e=exp.replace("/", ""))
    if r < 0.92:
        return s_sms("credit_card", lp, p, v, lp.w["card"])
    return s_crm("credit_card", lp, p, v, lp.w["card"])


def card_bare():
    lp = any_loc()
    return pick(COLS[lp.lang]["card"] + ["card_number", "pan", "cc_number"]), L("credit_card", card_text(gen_card()[1]))


# ---------------------------------------------------------------------------
# Network: IPv4, IPv6, MAC
# ---------------------------------------------------------------------------

NEW_LOGIN = {"pt": "Novo início de sessão a partir do IP {v} ({c}).", "da": "Nyt login fra IP-adressen {v} ({c}).",
             "fi": "Uusi kirjautuminen IP-osoitteesta {v} ({c}).", "no": "Ny pålogging fra IP-adressen {v} ({c}).",
             "cs": "Nové přihlášení z IP adresy {v} ({c}).", "sk": "Nové prihlásenie z IP adresy {v} ({c}).",
             "ro": "Autentificare nouă de la adresa IP {v} ({c}).", "hu": "Új bejelentkezés a(z) {v} IP-címről ({c}).",
             "el": "Νέα σύνδεση από τη διεύθυνση IP {v} ({c}).", "hr": "Nova prijava s IP adrese {v} ({c}).",
             "sl": "Nova prijava z IP naslova {v} ({c}).", "lt": "Naujas prisijungimas iš IP adreso {v} ({c}).",
             "lv": "Jauna pieteikšanās no IP adreses {v} ({c}).", "et": "Uus sisselogimine IP-aadressilt {v} ({c}).",
             "nl": "Nieuwe aanmelding vanaf IP-adres {v} ({c}).", "fr": "Nouvelle connexion depuis l'adresse IP {v} ({c}).",
             "it": "Nuovo accesso dall'indirizzo IP {v} ({c}).", "es": "Nuevo inicio de sesión desde la IP {v} ({c}).",
             "en": "New sign-in from IP {v} ({c})."}
IP_WORD = {"pt": "Endereço IP", "da": "IP-adresse", "fi": "IP-osoite", "no": "IP-adresse", "cs": "IP adresa", "sk": "IP adresa", "ro": "Adresă IP",
           "hu": "IP-cím", "el": "Διεύθυνση IP", "hr": "IP adresa", "sl": "IP naslov", "lt": "IP adresas", "lv": "IP adrese", "et": "IP-aadress",
           "nl": "IP-adres", "fr": "Adresse IP", "it": "Indirizzo IP", "es": "Dirección IP", "en": "IP address"}
MAC_WORD = {"pt": "Endereço MAC", "da": "MAC-adresse", "fi": "MAC-osoite", "no": "MAC-adresse", "cs": "MAC adresa", "sk": "MAC adresa", "ro": "Adresă MAC",
            "hu": "MAC-cím", "el": "Διεύθυνση MAC", "hr": "MAC adresa", "sl": "MAC naslov", "lt": "MAC adresas", "lv": "MAC adrese", "et": "MAC-aadress",
            "nl": "MAC-adres", "fr": "Adresse MAC", "it": "Indirizzo MAC", "es": "Dirección MAC", "en": "MAC address"}
UAS = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
       'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
       'curl/8.5.0', 'okhttp/4.12.0', 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0']
PATHS = ["/api/v1/orders?page=2", "/login", "/wp-login.php", "/static/app.9f3c2.js", "/api/v2/invoices/export", "/health", "/cart/checkout", "/.env"]


def _ip(t):
    return gen_ipv4() if t == "ipv4" else gen_ipv6()


def ip_ctx(T):
    lp = any_loc()
    ip = _ip(T)
    v = L(T, ip)
    ts = rand_ts()
    r = R.random()
    if r < 0.13:
        return "access_log", fmt('{v} - - [{t}] "{m} {p} HTTP/1.1" {s} {b} "-" "{ua}"', v=v, t=ts.strftime("%d/%b/%Y:%H:%M:%S +0000"), m=pick(["GET", "POST"]),
                                 p=pick(PATHS), s=pick([200, 200, 301, 404, 403, 500]), b=R.randint(120, 90000), ua=pick(UAS))
    if r < 0.24:
        return "syslog", fmt("{t} {h} sshd[{pid}]: Failed password for {u} from {v} port {port} ssh2", t=ts.strftime("%b %d %H:%M:%S"),
                             h=pick(["web01", "bastion", "db-02", "vps-" + str(R.randint(100, 999))]), pid=R.randint(1000, 60000),
                             u=pick(["invalid user admin", "root", "invalid user oracle", "invalid user test"]), v=v, port=R.randint(30000, 65000))
    if r < 0.33:
        other = _ip(T)
        return "http_headers", fmt("Host: {h}\nX-Forwarded-For: {a}, {b}\nX-Real-IP: {c}\nUser-Agent: {ua}", h=company_domain(lp.lang, lp.code), a=v, b=L(T, other), c=L(T, ip), ua=pick(UAS))
    if r < 0.42:
        dst = _ip(T)
        if T == "ipv4":
            return "kern_log", fmt("{t} fw01 kernel: [UFW BLOCK] IN=eth0 OUT= MAC= SRC={v} DST={d} LEN=60 TOS=0x00 PROTO=TCP SPT={s} DPT={p} SYN",
                                   t=ts.strftime("%b %d %H:%M:%S"), v=v, d=L(T, dst), s=R.randint(1024, 65535), p=pick([22, 23, 3389, 445, 8080]))
        return "kern_log", fmt("{t} fw01 kernel: ip6tables DROP IN=eth0 SRC={v} DST={d} PROTO=TCP SPT={s} DPT={p}", t=ts.strftime("%b %d %H:%M:%S"),
                               v=v, d=L(T, dst), s=R.randint(1024, 65535), p=pick([22, 443, 25]))
    if r < 0.5:
        p = Person(lp.code)
        return "event_log", fmt("An account failed to log on.\nAccount For Which Logon Failed:\n\tAccount Name:\t{u}\nNetwork Information:\n\tWorkstation Name:\t{w}\n\tSource Network Address:\t{v}\n\tSource Port:\t{port}\nEvent ID: 4625",
                                u=pick(["svc_backup", "administrator", "scanner", "u" + str(R.randint(1000, 99999))]), w=pick(["DESKTOP-" + rs(UP + DIG, 7), "LAPTOP-" + rs(UP + DIG, 6)]),
                                v=v, port=R.randint(40000, 65000))
    if r < 0.58:
        city_ = city(lp)
        return pick(["security_email", "notification", note_col(lp)]), fmt(NEW_LOGIN[lp.lang], v=v, c=city_)
    if r < 0.66:
        return "audit_json", fmt('{"ts":"{t}","event":"login","user_id":{u},"src_ip":"{v}","success":{s}}', t=ts.isoformat() + "Z", u=R.randint(1000, 999999), v=v, s=pick(["true", "false"]))
    if r < 0.73:
        if T == "ipv4":
            return "config", pick([fmt("host    all    all    {v}/32    scram-sha-256", v=v), fmt("{v}\tdb-primary.internal db-primary", v=v),
                                   fmt("listen_address = {v}\nport = 5432", v=v), fmt("upstream api {\n    server {v}:8080;\n}", v=v)])
        return "config", pick([fmt("interface eth0\n ipv6 address {v}/64\n no shutdown", v=v),
                               fmt("network:\n  ethernets:\n    eth0:\n      addresses:\n        - \"{v}/64\"", v=v),
                               fmt("{v}\tgw.internal", v=v), fmt("server_url: \"http://[{v}]:8080/api\"", v=v)])
    if r < 0.8:
        if T == "ipv4":
            return "fail2ban_log", fmt("{t},{ms} fail2ban.actions [{pid}]: NOTICE [sshd] Ban {v}", t=ts.strftime("%Y-%m-%d %H:%M:%S"), ms=R.randint(100, 999), pid=R.randint(500, 3000), v=v)
        return "syslog", fmt("{t} router dhcp6[{pid}]: REPLY to {mac}: lease {v} valid 86400", t=ts.strftime("%b %d %H:%M:%S"), pid=R.randint(100, 9000),
                             mac=L("mac_address", gen_mac("colon")) if side("mac_address") else "client-" + rs(HEX, 6), v=v)
    if r < 0.87:
        fields = [(lp.w["customer"], Person(lp.code).name()), (IP_WORD[lp.lang], v), (lp.w["date"], fmt_date(lp, rand_recent(), "num"))]
        return render(lp, fields, pick(["form", "csv", "json", "html"]))
    if r < 0.93:
        pod = "%s-%s-%s" % (pick(["api", "web", "worker", "payments"]), rs("bcdf" + DIG, 9), rs(LOW + DIG, 5))
        return "kubectl", fmt("NAME  READY  STATUS  RESTARTS  AGE  IP  NODE\n{pod}  1/1  Running  0  {a}d  {v}  node-{n}", pod=pod, a=R.randint(1, 90), v=v, n=R.randint(1, 9)) if T == "ipv4" else \
            fmt("{t} level=warn msg=\"rate limit exceeded\" client={v} path={p} pod={pod}", t=ts.isoformat() + "Z", v=v, p=pick(PATHS), pod=pod)
    return "log_line", fmt("{t} WARN rate-limiter: client {v} exceeded {n} req/min on {p}", t=ts.isoformat() + "Z", v=L(T, ip), n=pick([60, 120, 600]), p=pick(PATHS))


def ip_bare(T):
    lp = any_loc()
    return pick([colname(IP_WORD[lp.lang]), "ip_address", "client_ip", "src_ip", "last_login_ip", "ip"] if T == "ipv4" else
                ["ipv6_address", "client_ipv6", "ip6", colname(IP_WORD[lp.lang]) + "_v6", "remote_addr"]), L(T, _ip(T))


def mac_ctx():
    lp = any_loc()
    ts = rand_ts()
    r = R.random()
    host = pick(["laptop-" + rs(LOW, 4), "iphone", "android-" + rs(HEX, 8), "printer-hp", "DESKTOP-" + rs(UP + DIG, 7), "raspberrypi", "tv-sala"])
    ipf = (lambda: L("ipv4", gen_ipv4("priv"))) if side("ipv4") else (lambda: F("-"))
    if r < 0.15:
        return "syslog", fmt("{t} gw dnsmasq-dhcp[{pid}]: DHCPACK(br0) {ip} {m} {h}", t=ts.strftime("%b %d %H:%M:%S"), pid=R.randint(300, 9000), ip=ipf(), m=L("mac_address", gen_mac("colon")), h=host)
    if r < 0.27:
        return "arp_output", fmt("? ({ip}) at {m} on en0 ifscope [ethernet]", ip=ipf(), m=L("mac_address", gen_mac("colon")))
    if r < 0.38:
        return "ipconfig", fmt("Ethernet adapter Ethernet:\n   Description . . . . . . . . . . . : Intel(R) Ethernet Connection I219-LM\n   Physical Address. . . . . . . . . : {m}\n   DHCP Enabled. . . . . . . . . . . : Yes",
                               m=L("mac_address", gen_mac("DASH")))
    if r < 0.48:
        return "switch_output", fmt("Vlan    Mac Address       Type        Ports\n----    -----------       --------    -----\n  {vl}    {m}    DYNAMIC     Gi1/0/{p}",
                                    vl=R.randint(1, 99), m=L("mac_address", gen_mac("cisco")), p=R.randint(1, 48))
    if r < 0.58:
        return "syslog", fmt("{t} ap-{n} hostapd: wlan0: STA {m} IEEE 802.11: associated (aid {a})", t=ts.strftime("%b %d %H:%M:%S"), n=R.randint(1, 20), m=L("mac_address", gen_mac("colon")), a=R.randint(1, 40))
    if r < 0.68:
        return "payload", fmt('{"mac":"{m}","hostname":"{h}","ip":"{ip}","last_seen":{t}}', m=L("mac_address", gen_mac(pick(["colon", "COLON"]))), h=host, ip=ipf(), t=int(ts.timestamp()))
    if r < 0.8:
        p = Person(lp.code)
        fields = [(lp.w["employee"], p.name()), ("Hostname", host), (MAC_WORD[lp.lang], L("mac_address", gen_mac()))]
        return render(lp, fields, pick(["form", "csv", "md", "html"]))
    if r < 0.88:
        return "shell_history", fmt("wakeonlan {m}", m=L("mac_address", gen_mac("colon")))
    if r < 0.94:
        return "radius_log", fmt('{t} radiusd: Login OK: [{m}] (from client wlc-{n} port 0 cli {m2})', t=ts.strftime("%a %b %d %H:%M:%S %Y"),
                                 m=L("mac_address", gen_mac("dash")), n=R.randint(1, 5), m2=L("mac_address", gen_mac("DASH")))
    return note_col(lp), fmt("{w}: {m}", w=MAC_WORD[lp.lang], m=L("mac_address", gen_mac()))


def mac_bare():
    lp = any_loc()
    return pick(["mac", "mac_address", colname(MAC_WORD[lp.lang]), "device_mac", "bssid"]), L("mac_address", gen_mac())


# ---------------------------------------------------------------------------
# Secrets
# ---------------------------------------------------------------------------

PASSWORD_IS = {"pt": "A palavra-passe do portal é {v}", "da": "Adgangskoden til portalen er {v}", "fi": "Portaalin salasana on {v}",
               "no": "Passordet til portalen er {v}", "cs": "Heslo do portálu je {v}", "sk": "Heslo do portálu je {v}",
               "ro": "Parola pentru portal este {v}", "hu": "A portál jelszava: {v}", "el": "Ο κωδικός για την πύλη είναι {v}",
               "hr": "Lozinka za portal je {v}", "sl": "Geslo za portal je {v}", "lt": "Portalo slaptažodis: {v}", "lv": "Portāla parole ir {v}",
               "et": "Portaali parool on {v}", "nl": "Het wachtwoord voor het portaal is {v}", "fr": "Le mot de passe du portail est {v}",
               "it": "La password del portale è {v}", "es": "La contraseña del portal es {v}", "en": "The portal password is {v}"}
HERE_TOKEN = {"pt": "Aqui está o {k} que pediste: {v}", "da": "Her er den {k}, du bad om: {v}", "fi": "Tässä pyytämäsi {k}: {v}",
              "no": "Her er {k} du ba om: {v}", "cs": "Tady je ten {k}, co jsi chtěl: {v}", "sk": "Tu je ten {k}, čo si chcel: {v}",
              "ro": "Uite {k} cerut: {v}", "hu": "Itt a kért {k}: {v}", "el": "Ορίστε το {k} που ζήτησες: {v}", "hr": "Evo {k} koji si tražio: {v}",
              "sl": "Tukaj je {k}, ki si ga želel: {v}", "lt": "Štai tavo prašytas {k}: {v}", "lv": "Lūk, prasītais {k}: {v}",
              "et": "Siin on küsitud {k}: {v}", "nl": "Hier is de {k} die je vroeg: {v}", "fr": "Voici le {k} demandé : {v}",
              "it": "Ecco il {k} che mi hai chiesto: {v}", "es": "Acá está el {k} que pediste: {v}", "en": "Here's the {k} you asked for: {v}"}
PLACEHOLDERS = ["${SECRET}", "<redacted>", "********", "{{ vault_secret }}", "changeme-in-prod", "REPLACE_ME", "***"]
ORGS = ["acme", "northwind", "lusotech", "nordlys", "pragosoft", "tatra-dev", "carpati", "ticino-it", "andes-labs", "manila-dev"]
REPOS = ["billing-api", "infra", "mobile-app", "data-pipeline", "website", "hr-portal", "terraform-modules"]


def hes(kind=None):
    """A high-entropy secret if the side cap allows, else a non-secret placeholder."""
    if side("high_entropy_secret"):
        return L("high_entropy_secret", gen_secret_value(kind))
    return F(pick(PLACEHOLDERS))


def chat(k, v):
    lp = any_loc()
    p = Person(lp.code)
    if chance(0.5):
        return pick(["slack_message", "chat_log", "teams_message"]), fmt("{s} {n}: ", s=wa_stamp(lp), n=p.name(p.full())) + fmt(HERE_TOKEN[lp.lang], k=k, v=v)
    return pick(["ticket_comment", note_col(lp)]), fmt(HERE_TOKEN[lp.lang], k=k, v=v)


def aws_ctx():
    k = gen_aws_key()
    v = L("aws_access_key", k)
    r = R.random()
    reg = pick(["eu-west-1", "eu-central-1", "eu-north-1", "eu-south-2", "ap-southeast-1", "sa-east-1"])
    if r < 0.12:
        return ".env", fmt("AWS_ACCESS_KEY_ID={v}\nAWS_SECRET_ACCESS_KEY={s}\nAWS_DEFAULT_REGION={r}", v=v, s=_aws_sec(), r=reg)
    if r < 0.22:
        return "config", fmt("[default]\naws_access_key_id = {v}\naws_secret_access_key = {s}\nregion = {r}", v=v, s=_aws_sec(), r=reg)
    if r < 0.3:
        return "config", fmt("storage:\n  s3:\n    bucket: {b}\n    region: {r}\n    access_key_id: {v}\n    secret_access_key: {s}", b=pick(ORGS) + "-backups", r=reg, v=v, s=_aws_sec())
    if r < 0.37:
        return "terraform", fmt('provider "aws" {\n  region     = "{r}"\n  access_key = "{v}"\n  secret_key = "{s}"\n}', r=reg, v=v, s=_aws_sec())
    if r < 0.44:
        return "shell_history", pick([fmt("export AWS_ACCESS_KEY_ID={v}", v=v), fmt("aws configure set aws_access_key_id {v} --profile prod", v=v)])
    if r < 0.53:
        ip = L("ipv4", gen_ipv4("pub")) if side("ipv4") else F("AWS Internal")
        return "cloudtrail", fmt('{"eventTime":"{t}Z","eventName":"{e}","userIdentity":{"type":"IAMUser","principalId":"AIDA{pid}","accountId":"{acct}","accessKeyId":"{v}","userName":"ci-deploy"},"sourceIPAddress":"{ip}"}',
                                 t=rand_ts().isoformat(), e=pick(["ListBuckets", "GetObject", "AssumeRole", "DescribeInstances"]), pid=rs(AWS_ALPHA, 17), acct=rs(DIG, 12), v=v, ip=ip)
    if r < 0.62:
        return "url", fmt("https://{b}.s3.{r}.amazonaws.com/exports/{f}.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={v}%2F{d}%2F{r}%2Fs3%2Faws4_request&X-Amz-Date={d}T101500Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature={sig}",
                          b=pick(ORGS) + "-data", r=reg, f=rs(LOW + DIG, 10), v=v, d=rand_recent().strftime("%Y%m%d"), sig=rs(HEX, 64))
    if r < 0.7:
        return "http_headers", fmt("Authorization: AWS4-HMAC-SHA256 Credential={v}/{d}/{r}/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={sig}",
                                   v=v, d=rand_recent().strftime("%Y%m%d"), r=reg, sig=rs(HEX, 64))
    if r < 0.78:
        return "snippet", fmt("s3 = boto3.client(\n    \"s3\",\n    aws_access_key_id=\"{v}\",\n    aws_secret_access_key=\"{s}\",\n)", v=v, s=_aws_sec())
    if r < 0.86:
        key = "ASIA" + k[4:]
        tok = L("high_entropy_secret", "IQoJb3JpZ2luX2Vj" + rs(ALNUM + "/+", 300)) if side("high_entropy_secret") else F("<session-token>")
        return "payload", fmt('{"Credentials": {"AccessKeyId": "{v}", "SecretAccessKey": "{s}", "SessionToken": "{t}", "Expiration": "{e}"}}',
                              v=L("aws_access_key", key), s=_aws_sec(), t=tok, e=rand_ts().isoformat() + "+00:00")
    if r < 0.93:
        return "ci_yaml", fmt("deploy:\n  stage: deploy\n  variables:\n    AWS_ACCESS_KEY_ID: \"{v}\"\n    AWS_SECRET_ACCESS_KEY: \"{s}\"\n  script:\n    - aws s3 sync dist/ s3://{b}", v=v, s=_aws_sec(), b=pick(ORGS) + "-web")
    return chat("AWS access key", v)


def _aws_sec():
    if side("high_entropy_secret"):
        return L("high_entropy_secret", gen_aws_secret())
    return F(pick(["${AWS_SECRET_ACCESS_KEY}", "<redacted>", "****************"]))


def gh_ctx():
    t = gen_github()
    v = L("github_token", t)
    r = R.random()
    org, repo = pick(ORGS), pick(REPOS)
    if r < 0.12:
        return ".env", fmt("GITHUB_TOKEN={v}\nGITHUB_OWNER={o}", v=v, o=org)
    if r < 0.24:
        return "git_config", fmt('[remote "origin"]\n\turl = https://{v}@github.com/{o}/{r}.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*', v=v, o=org, r=repo)
    if r < 0.32:
        return ".npmrc", fmt("@{o}:registry=https://npm.pkg.github.com\n//npm.pkg.github.com/:_authToken={v}", o=org, v=v)
    if r < 0.42:
        return "shell_history", fmt('curl -H "Authorization: token {v}" https://api.github.com/repos/{o}/{r}/issues', v=v, o=org, r=repo)
    if r < 0.5:
        return "http_headers", fmt("GET /user/repos HTTP/1.1\nHost: api.github.com\nAuthorization: Bearer {v}\nAccept: application/vnd.github+json", v=v)
    if r < 0.58:
        return "shell_history", fmt("echo {v} | docker login ghcr.io -u {u} --password-stdin", v=v, u=pick(["ci-bot", "deploy", org + "-bot"]))
    if r < 0.66:
        return "config", fmt("renovate:\n  platform: github\n  token: {v}\n  repositories:\n    - {o}/{r}", v=v, o=org, r=repo)
    if r < 0.74:
        return "json", fmt('{"github": {"owner": "{o}", "repo": "{r}", "token": "{v}"}}', o=org, r=repo, v=v)
    if r < 0.82:
        return "snippet", fmt('from github import Github\ng = Github("{v}")\nrepo = g.get_repo("{o}/{r}")', v=v, o=org, r=repo)
    if r < 0.9:
        return "log_line", fmt("{t} DEBUG sync-job: cloning https://{v}@github.com/{o}/{r}.git into /tmp/build-{n}", t=rand_ts().isoformat(), v=v, o=org, r=repo, n=R.randint(100, 9999))
    return chat("GitHub token", v)


def slack_ctx():
    r = R.random()
    if r < 0.3:
        hook = gen_slack("hook")
        v = L("slack_token", hook)
        r2 = R.random()
        if r2 < 0.3:
            return "shell_history", fmt("curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"Deploy {n} OK\"}' {v}", n=R.randint(100, 999), v=v)
        if r2 < 0.55:
            return "config", fmt("receivers:\n  - name: team-ops\n    slack_configs:\n      - api_url: '{v}'\n        channel: '#alerts'", v=v)
        if r2 < 0.75:
            return "json", fmt('{"notifications": {"slack": {"webhook_url": "{v}", "username": "build-bot"}}}', v=v)
        if r2 < 0.88:
            return ".env", fmt("SLACK_WEBHOOK_URL={v}", v=v)
        return chat("Slack webhook", v)
    t = gen_slack(pick(["xoxb", "xoxb", "xoxp", "xapp"]))
    v = L("slack_token", t)
    r2 = R.random()
    if r2 < 0.2:
        return ".env", fmt("SLACK_BOT_TOKEN={v}\nSLACK_SIGNING_SECRET={s}", v=v, s=hes("hex32"))
    if r2 < 0.35:
        return "snippet", fmt('from slack_sdk import WebClient\nclient = WebClient(token="{v}")\nclient.chat_postMessage(channel="#general", text="hi")', v=v)
    if r2 < 0.5:
        return "http_headers", fmt("POST /api/chat.postMessage HTTP/1.1\nHost: slack.com\nAuthorization: Bearer {v}\nContent-Type: application/json; charset=utf-8", v=v)
    if r2 < 0.62:
        return "stacktrace", fmt("slack_sdk.errors.SlackApiError: The request to the Slack API failed. (url: https://slack.com/api/conversations.list, token: {v})\nThe server responded with: {'ok': False, 'error': 'invalid_auth'}", v=v)
    if r2 < 0.74:
        return "config", fmt("slack:\n  app_token: {v}\n  channel: C0{c}", v=v, c=rs(UP + DIG, 9))
    if r2 < 0.86:
        return "docker_compose", fmt("services:\n  bot:\n    image: {o}/slackbot:1.4\n    environment:\n      - SLACK_TOKEN={v}", o=pick(ORGS), v=v)
    return chat("Slack token", v)


def stripe_ctx():
    k = gen_stripe()
    v = L("stripe_key", k)
    r = R.random()
    if k.startswith("pk_") and chance(0.7):
        return "html", fmt("<script src=\"https://js.stripe.com/v3/\"></script>\n<script>const stripe = Stripe('{v}');</script>", v=v)
    if r < 0.15:
        return ".env", fmt("STRIPE_SECRET_KEY={v}\nSTRIPE_CURRENCY=eur", v=v)
    if r < 0.28:
        return "snippet", fmt('import stripe\nstripe.api_key = "{v}"\nstripe.PaymentIntent.create(amount={a}, currency="eur")', v=v, a=R.randint(100, 99999))
    if r < 0.4:
        return "shell_history", fmt("curl https://api.stripe.com/v1/charges -u {v}: -d amount={a} -d currency=eur -d source=tok_visa", v=v, a=R.randint(100, 9999))
    if r < 0.5:
        return "snippet", fmt("<?php\n\\Stripe\\Stripe::setApiKey('{v}');\n$intent = \\Stripe\\PaymentIntent::create(['amount' => {a}, 'currency' => 'eur']);", v=v, a=R.randint(100, 9999))
    if r < 0.62:
        return "log_line", fmt("{t} DEBUG billing: stripe client initialised api_key={v} account=acct_{a}", t=rand_ts().isoformat(), v=v, a=rs(ALNUM, 16))
    if r < 0.72:
        return "config", fmt("payments:\n  provider: stripe\n  secret_key: \"{v}\"\n  statement_descriptor: {d}", v=v, d=pick(ORGS).upper())
    if r < 0.82:
        return "http_headers", fmt("POST /v1/payment_intents HTTP/1.1\nHost: api.stripe.com\nAuthorization: Bearer {v}\nStripe-Version: 2024-04-10", v=v)
    if r < 0.9:
        return "docker_compose", fmt("  api:\n    environment:\n      STRIPE_KEY: {v}\n      NODE_ENV: production", v=v)
    return chat("Stripe key", v)


def google_ctx():
    k = gen_google_key()
    v = L("google_api_key", k)
    r = R.random()
    proj = pick(ORGS) + "-" + pick(["prod", "app", "web"])
    if r < 0.16:
        return "html", fmt('<script src="https://maps.googleapis.com/maps/api/js?key={v}&callback=initMap" async defer></script>', v=v)
    if r < 0.3:
        return "snippet", fmt('const firebaseConfig = {\n  apiKey: "{v}",\n  authDomain: "{p}.firebaseapp.com",\n  projectId: "{p}",\n  storageBucket: "{p}.appspot.com",\n  messagingSenderId: "{m}",\n  appId: "1:{m}:web:{a}"\n};',
                              v=v, p=proj, m=rs(DIG, 12), a=rs(HEX, 22))
    if r < 0.42:
        return "xml", fmt('<meta-data\n    android:name="com.google.android.geo.API_KEY"\n    android:value="{v}" />', v=v)
    if r < 0.52:
        return ".env", fmt("GOOGLE_API_KEY={v}\nGOOGLE_PROJECT={p}", v=v, p=proj)
    if r < 0.64:
        return "access_log", fmt('GET https://www.googleapis.com/youtube/v3/search?part=snippet&q={q}&key={v} 200', q=pick(["fado", "sauna", "hygge", "tango", "jazz"]), v=v)
    if r < 0.74:
        return "shell_history", fmt('curl -H "X-goog-api-key: {v}" "https://generativelanguage.googleapis.com/v1beta/models"', v=v)
    if r < 0.84:
        return "xml", fmt('<string name="google_maps_key" templateMergeStrategy="preserve" translatable="false">{v}</string>', v=v)
    if r < 0.92:
        return "json", fmt('{"client": [{"api_key": [{"current_key": "{v}"}], "client_info": {"android_client_info": {"package_name": "com.{o}.app"}}}]}', v=v, o=pick(ORGS).replace("-", ""))
    return chat("Google API key", v)


def jwt_ctx():
    t = gen_jwt()
    v = L("jwt", t)
    r = R.random()
    if r < 0.16:
        return "http_headers", fmt("GET /api/v1/me HTTP/1.1\nHost: api.{d}\nAuthorization: Bearer {v}\nAccept: application/json", d=company_domain("en"), v=v)
    if r < 0.28:
        return "http_headers", fmt("Cookie: session={v}; lang={l}; _ga=GA1.1.{g}.{h}", v=v, l=pick(["pt", "da", "fi", "cs", "en"]), g=R.randint(10 ** 8, 10 ** 9), h=R.randint(10 ** 9, 2 * 10 ** 9))
    if r < 0.4:
        return "payload", fmt('{"token_type":"Bearer","access_token":"{v}","expires_in":3600,"refresh_token":"{rt}"}', v=v, rt=hes("alnum"))
    if r < 0.5:
        return "url", fmt("https://app.{d}/auth/callback#id_token={v}&state={s}", d=company_domain("en"), v=v, s=rs(HEX, 16))
    if r < 0.62:
        return "log_line", fmt("{t} WARN auth-middleware: JWT verification failed (expired) token={v}", t=rand_ts().isoformat(), v=v)
    if r < 0.72:
        return "shell_history", fmt("curl -s -H 'Authorization: Bearer {v}' https://api.{d}/v2/orders", v=v, d=company_domain("en"))
    if r < 0.8:
        return "local_storage", fmt('{"auth":{"idToken":"{v}","user":{"id":{u}}}}', v=v, u=R.randint(1000, 99999))
    if r < 0.88:
        return "stacktrace", fmt("jwt.exceptions.InvalidSignatureError: Signature verification failed\n  token: {v}", v=v)
    return chat("JWT", v)


def pem_ctx():
    kind = pick(["RSA", "RSA", "PKCS8", "EC", "OPENSSH", "OPENSSH"])
    pem = gen_pem(kind)
    r = R.random()
    if r < 0.18:
        return pick(["file_content", "id_rsa", "key_file"]), L("private_key", pem)
    if r < 0.32:
        ind = "    "
        return "config", fmt("tls:\n  cert_file: /etc/ssl/app.crt\n  key: |\n    {v}", v=L("private_key", pem.replace("\n", "\n" + ind)))
    if r < 0.48:
        pk = gen_pem("PKCS8")
        proj = pick(ORGS) + "-prod"
        mail = L("email", "%s@%s.iam.gserviceaccount.com" % (pick(["deployer", "etl", "backup"]), proj))
        return "service_account_json", fmt('{"type": "service_account", "project_id": "{p}", "private_key": "{k}\\n", "client_email": "{m}", "token_uri": "https://oauth2.googleapis.com/token"}',
                                           p=proj, k=L("private_key", json_esc(pk + "\n")[:-2]), m=mail if side("email") else F("<client-email>"))
    if r < 0.6:
        return ".env", fmt('JWT_PRIVATE_KEY="{v}"', v=L("private_key", pem.replace("\n", "\\n")))
    if r < 0.7:
        return "terraform", fmt('resource "tls_private_key" "imported" {\n  private_key_pem = <<EOT\n{v}\nEOT\n}', v=L("private_key", pem))
    if r < 0.8:
        return "k8s_manifest", fmt("apiVersion: v1\nkind: Secret\nmetadata:\n  name: ingress-tls\ntype: kubernetes.io/tls\nstringData:\n  tls.key: |\n    {v}", v=L("private_key", pem.replace("\n", "\n    ")))
    if r < 0.88:
        return "log_line", fmt("{t} DEBUG sshclient: loaded identity {v}", t=rand_ts().isoformat(), v=L("private_key", pem))
    lp = any_loc()
    return pick(["email_body", "chat_log"]), F(lp.w["hello"] + ",\n") + fmt(HERE_TOKEN[lp.lang], k="SSH key", v=F("\n") + L("private_key", pem))


URL_USERS = ["app", "svc_billing", "admin", "deploy", "etl_user", "grafana", "backup", "reporting", "root", "ci", "api", "postgres"]


def url_cred(db=False):
    u = pick(URL_USERS)
    pw = gen_url_password()
    dom = company_domain(pick(list(DOMAIN_STEMS)))
    opts = [
        lambda: "postgres://%s:%s@db.%s:5432/%s" % (u, pw, dom, pick(["app", "billing", "crm"])),
        lambda: "postgresql://%s:%s@%s:5432/%s?sslmode=require" % (u, pw, pick(["10.0.%d.%d" % (R.randint(0, 9), R.randint(2, 250)), "pg-primary", "db.internal"]), pick(["app", "hr"])),
        lambda: "mysql://%s:%s@mysql.%s:3306/%s" % (u, pw, dom, pick(["shop", "wordpress", "erp"])),
        lambda: "mongodb+srv://%s:%s@cluster0.%s.mongodb.net/%s?retryWrites=true&w=majority" % (u, pw, rs(LOW + DIG, 5), pick(["prod", "events"])),
        lambda: "redis://:%s@redis.%s:6379/0" % (pw, dom),
        lambda: "amqp://%s:%s@rabbitmq:5672/%%2F" % (u, pw),
        lambda: "ftp://%s:%s@ftp.%s/upload" % (u, pw, dom),
        lambda: "smtp://%s:%s@smtp.%s:587" % (u, pw, dom),
        lambda: "https://%s:%s@nexus.%s/repository/pypi/simple" % (u, pw, dom),
        lambda: "https://%s:%s@git.%s/%s/%s.git" % (u, pw, dom, pick(ORGS), pick(REPOS)),
        lambda: "sftp://%s:%s@files.%s:22/incoming" % (u, pw, dom),
    ]
    return pick(opts[:5] if db else opts)()


def url_ctx():
    r = R.random()
    url = url_cred(db=r < 0.38 or 0.5 <= r < 0.6 or 0.8 <= r < 0.9)
    v = L("url_credentials", url)
    if r < 0.16:
        return ".env", fmt("{k}={v}", k=pick(["DATABASE_URL", "MONGO_URI", "REDIS_URL", "BROKER_URL", "SMTP_URL", "DSN"]), v=v)
    if r < 0.28:
        return "config", fmt("database:\n  url: \"{v}\"\n  pool_size: {n}", v=v, n=R.randint(5, 50))
    if r < 0.38:
        return "docker_compose", fmt("services:\n  worker:\n    image: {o}/worker:latest\n    environment:\n      - DATABASE_URL={v}", o=pick(ORGS), v=v)
    if r < 0.5:
        return "log_line", fmt("{t} INFO {w}: connecting to {v} (attempt {a})", t=rand_ts().isoformat(), w=pick(["sync", "uploader", "mirror", "fetch"]), v=v, a=R.randint(1, 5))
    if r < 0.6:
        return "stacktrace", fmt('sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server failed\n[SQL: SELECT 1]\n(Background on this error at: https://sqlalche.me/e/20/e3q8)\nengine url: {v}', v=v)
    if r < 0.7:
        return "config", fmt("[global]\nindex-url = {v}\ntrusted-host = nexus", v=v)
    if r < 0.8:
        return "shell_history", fmt(pick(["git clone {v}", "curl -fsSL {v}", "psql {v} -c 'select count(*) from orders'"]), v=v)
    if r < 0.9:
        return "snippet", fmt('engine = create_engine("{v}", pool_pre_ping=True)', v=v)
    return chat("connection string", v)


def url_bare():
    return pick(["database_url", "dsn", "connection_string", "broker_url", "db_uri", "sync_target"]), L("url_credentials", url_cred())


HES_KEYS = ["API_SECRET", "CLIENT_SECRET", "JWT_SECRET", "SESSION_SECRET", "DB_PASSWORD", "ENCRYPTION_KEY", "TWILIO_AUTH_TOKEN",
            "DATADOG_API_KEY", "MAILGUN_API_KEY", "WEBHOOK_SECRET", "APP_KEY", "SECRET_KEY", "REDIS_PASSWORD", "SMTP_PASSWORD", "API_KEY"]


def hes_ctx():
    key = pick(HES_KEYS)
    kind = {"TWILIO_AUTH_TOKEN": "hex32", "DATADOG_API_KEY": "hex32", "MAILGUN_API_KEY": "key-hex", "DB_PASSWORD": "pw",
            "REDIS_PASSWORD": "pw", "SMTP_PASSWORD": "pw", "SECRET_KEY": "django", "ENCRYPTION_KEY": "b64"}.get(key)
    val = gen_secret_value(kind)
    v = L("high_entropy_secret", val)
    r = R.random()
    lp = any_loc()
    if r < 0.16:
        return ".env", fmt("{k}={v}", k=key, v=v) if chance(0.6) else fmt('{k}="{v}"\nLOG_LEVEL=info', k=key, v=v)
    if r < 0.28:
        return "config", fmt("{k}: {v}", k=key.lower(), v=v) if chance(0.5) else fmt("auth:\n  client_id: {c}\n  client_secret: {v}", c=rs(DIG, 12) + ".apps", v=v)
    if r < 0.38:
        return "json", fmt('{"client_id": "{c}", "client_secret": "{v}", "redirect_uri": "https://app.{d}/cb"}', c=str(uuid.UUID(int=R.getrandbits(128))), v=v, d=company_domain(lp.lang))
    if r < 0.46:
        return "config", fmt("[database]\nhost = db.internal\nuser = {u}\npassword = {v}", u=pick(URL_USERS), v=v)
    if r < 0.54:
        return "http_headers", fmt("POST /v1/events HTTP/1.1\nHost: ingest.{d}\nX-API-Key: {v}\nContent-Type: application/json", d=company_domain(lp.lang), v=v)
    if r < 0.6:
        return "settings.py", fmt("SECRET_KEY = '{v}'\nDEBUG = False", v=L("high_entropy_secret", gen_secret_value("django")))
    if r < 0.66:
        return "shell_history", fmt("docker run -d -e {k}={v} {o}/api:2.3", k=key, v=v, o=pick(ORGS))
    if r < 0.76:
        return pick(["chat_log", note_col(lp), "sms_text"]), fmt(PASSWORD_IS[lp.lang], v=L("high_entropy_secret", gen_password()))
    if r < 0.84:
        return "log_line", fmt("{t} DEBUG config: loaded {k}={v} from environment", t=rand_ts().isoformat(), k=key.lower(), v=v)
    if r < 0.9:
        return "url", fmt("https://api.{d}/v2/export?format=json&api_key={v}", d=company_domain(lp.lang), v=L("high_entropy_secret", rs(ALNUM, 32)))
    if r < 0.95:
        fields = [("service", pick(["sftp-partner", "erp-api", "payroll-portal", "bank-api"])), ("username", pick(URL_USERS)), (lp.w["password"], L("high_entropy_secret", gen_password()))]
        return render(lp, fields, pick(["csv", "form", "md"]))
    return chat(lp.w["password"], L("high_entropy_secret", gen_password()))


def hes_bare():
    return pick(["client_secret", "api_secret", "secret_key", "app_password", "encryption_key", "api_key", "webhook_secret", "auth_token"]), L("high_entropy_secret", gen_secret_value())


def simple_bare(T, cols, mk):
    return lambda: (pick(cols), L(T, mk()))


# ---------------------------------------------------------------------------
# Company identifiers: EU VAT, Brazilian CNPJ
# ---------------------------------------------------------------------------

VAT_KW = {"pt": ["NIF/IVA", "N.º IVA", "NIPC"], "da": ["Momsnr.", "CVR/moms"], "fi": ["ALV-tunniste", "ALV-nro"], "no": ["EU-MVA-nr.", "VAT No."],
          "cs": ["DIČ"], "sk": ["IČ DPH"], "ro": ["CIF", "Cod TVA"], "hu": ["Közösségi adószám", "EU adószám"], "el": ["ΑΦΜ", "VAT"],
          "hr": ["PDV ID broj", "OIB/PDV"], "sl": ["ID za DDV"], "lt": ["PVM mokėtojo kodas"], "lv": ["PVN reģ. nr."], "et": ["KMKR nr"],
          "nl": ["BTW-nr.", "BTW"], "fr": ["N° TVA", "TVA"], "it": ["Partita IVA", "P.IVA", "N. IVA"], "es": ["NIF-IVA", "CIF intracomunitario"],
          "en": ["VAT No.", "VAT ID", "VAT reg. no."]}
INVOICE_TO = {"pt": "Faturar a {c}, {k} {v}.", "da": "Fakturér til {c}, {k} {v}.", "fi": "Laskutus: {c}, {k} {v}.", "no": "Fakturer til {c}, {k} {v}.",
              "cs": "Fakturujte na {c}, {k} {v}.", "sk": "Fakturujte na {c}, {k} {v}.", "ro": "Facturați către {c}, {k} {v}.",
              "hu": "Számlázási név: {c}, {k} {v}.", "el": "Τιμολόγηση σε {c}, {k} {v}.", "hr": "Račun glasi na {c}, {k} {v}.",
              "sl": "Račun izstavite na {c}, {k} {v}.", "lt": "Sąskaitą išrašyti {c}, {k} {v}.", "lv": "Rēķinu izrakstīt {c}, {k} {v}.",
              "et": "Arve saaja {c}, {k} {v}.", "nl": "Gelieve te factureren aan {c}, {k} {v}.", "fr": "Merci de facturer {c}, {k} {v}.",
              "it": "Fatturare a {c}, {k} {v}.", "es": "Facturar a {c}, {k} {v}.", "en": "Please invoice {c}, {k} {v}."}
VAT_BY_LOCALE = {"pt_PT": "PT", "da_DK": "DK", "fi_FI": "FI", "no_NO": None, "cs_CZ": "CZ", "sk_SK": "SK", "ro_RO": "RO", "hu_HU": "HU",
                 "el_GR": "EL", "hr_HR": "HR", "sl_SI": "SI", "lt_LT": "LT", "lv_LV": "LV", "et_EE": "EE", "nl_BE": "BE", "fr_BE": "BE",
                 "it_CH": "IT", "es_AR": "ES", "es_CO": "ES", "es_CL": "ES", "en_PH": None, "en_TH": None}
BR_COMPANIES = ["Comercial Andrade Ltda.", "Distribuidora Paulista de Alimentos S.A.", "Metalúrgica Vale do Aço Ltda.", "Transportadora Rio Sul Ltda.",
                "Agropecuária Cerrado Verde Ltda.", "Recife Digital Tecnologia Ltda. ME", "Farmácia Boa Saúde EIRELI", "Construtora Horizonte S.A."]


def company_ctx(T, lp, v, company, k):
    r = R.random()
    if getattr(lp, "pseudo", False) and lp.region == "BR":
        lp = LOC["pt_PT"]
    if r < 0.18:
        lines = [F(company)]
        if side("street_address") and chance(0.6):
            lines.append(addr_frag(lp if not getattr(lp, "pseudo", False) else pick(LOCALES)))
        else:
            lines.append(F(pc_city(lp if not getattr(lp, "pseudo", False) else pick(LOCALES))))
        lines.append(fmt("{k}: {v}", k=k, v=v))
        lines.append(F("%s %s-%d · %s %s" % (lp.w["invoice"], pick(["FT", "INV", "FA", "F"]), R.randint(1000, 99999), lp.w["date"], fmt_date(lp, rand_recent(), "num"))))
        return pick(["invoice_header", "ocr_text", "cabecalho_fatura"]), join("\n", lines)
    if r < 0.34:
        fields = [("ID", "S%05d" % R.randint(1, 99999)), (lp.w["company"], company), (k, v), (lp.w["city"], city(lp if not getattr(lp, "pseudo", False) else pick(LOCALES)))]
        if side("email") and chance(0.3):
            fields.append((lp.w["email"], L("email", role_email(lp if lp.lang in ROLE_LOCALS else EN))))
        how = pick(["csv", "csv", "sql", "json", "md", "xml"])
        return render(lp, fields, how, **({"table": "suppliers"} if how == "sql" else {"root": "supplier"} if how == "xml" else {}))
    if r < 0.46:
        return "ubl_xml", fmt("<cac:AccountingSupplierParty><cac:Party><cac:PartyName><cbc:Name>{c}</cbc:Name></cac:PartyName><cac:PartyTaxScheme>"
                              "<cbc:CompanyID>{v}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme></cac:Party></cac:AccountingSupplierParty>",
                              c=xml_esc(company), v=v)
    if r < 0.6:
        p = agent(lp)
        lines = [p.name(p.full()), F(pick(ROLE_TITLES[lp.lang])), F(company), fmt("{k} {v}", k=k, v=v)]
        if side("phone") and chance(0.5):
            lines.append(phone_for(lp if not getattr(lp, "pseudo", False) else pick(LOCALES)))
        return pick(["email_signature", "signature"]), F(lp.w["regards"] + "\n") + join("\n", lines)
    if r < 0.72:
        ts = rand_ts()
        return "log_line", pick([fmt("{t} INFO vies-check: {v} valid=true name=\"{c}\"", t=ts.isoformat(), v=v, c=company),
                                 fmt("{t} WARN invoicing: reverse charge requires customer VAT id, got {v} for order {o}", t=ts.isoformat(), v=v, o=R.randint(10000, 999999))])
    if r < 0.86:
        return note_col(lp), fmt(INVOICE_TO[lp.lang], c=company, k=k, v=v)
    return pick(["request", "url"]), fmt("GET /api/v1/vat/validate?number={v}&requester={c} HTTP/1.1", v=v, c=pick(ORGS))


def vat_pick(lp):
    cc = VAT_BY_LOCALE.get(lp.code)
    if cc is None or chance(0.3):
        cc = pick(list(VAT_PATTERNS))
    return gen_vat(cc)


def vat_ctx():
    lp = any_loc()
    val = vat_pick(lp)
    v = L("eu_vat", vat_text(val) if not chance(0.1) else val)
    return company_ctx("eu_vat", lp, v, pick(COMPANIES[lp.lang]), pick(VAT_KW[lp.lang]))


def vat_bare():
    lp = any_loc()
    return pick(COLS[lp.lang]["vat"] + ["vat_number", "vat_id", "tax_id_eu"]), L("eu_vat", vat_text(vat_pick(lp)))


def cnpj_ctx():
    lp = pick([TXT["BR"], TXT["BR"], LOC["pt_PT"], EN, LOC["es_AR"]])
    v = L("br_cnpj", cnpj_text(gen_cnpj()))
    r = R.random()
    k = pick(["CNPJ", "CNPJ/MF", "C.N.P.J."])
    if r < 0.2:
        p = Person(pick(["pt_PT", "pt_PT", "es_AR"]))
        cpf = fmt("\nCPF: {c}", c=L("br_cpf", cpf_text(gen_cpf()))) if side("br_cpf") else F("")
        return "nfe_text", fmt("NF-e Nº {n} Série 1\nEMITENTE: {c}\nCNPJ: {v}\nDESTINATÁRIO: {p}{cpf}\nVALOR TOTAL: R$ {a}",
                               n="%03d.%03d.%03d" % (R.randint(0, 999), R.randint(0, 999), R.randint(0, 999)), c=pick(BR_COMPANIES).upper(), v=v, p=p.name(p.full().upper()), cpf=cpf, a=amount())
    if r < 0.3:
        return "pix_payload", fmt('{"chave":"{v}","tipo":"CNPJ","recebedor":"{c}","valor":"{a}"}', v=L("br_cnpj", re.sub(r"\D", "", v.plain())), c=pick(BR_COMPANIES), a=amount().replace(",", "."))
    return company_ctx("br_cnpj", lp, v, pick(BR_COMPANIES), k)


def cnpj_bare():
    return pick(["cnpj", "cnpj_fornecedor", "cnpj_emitente", "nr_cnpj"]), L("br_cnpj", cnpj_text(gen_cnpj()))


def cpf_special():
    r = R.random()
    p = Person(pick(["pt_PT", "pt_PT", "es_AR"]))
    v = L("br_cpf", cpf_text(gen_cpf()))
    if r < 0.5:
        return "pix_payload", fmt('{"chave":"{v}","tipo":"CPF","nome":"{n}","valor":"{a}"}', v=L("br_cpf", re.sub(r"\D", "", v.plain())), n=p.name(p.full()), a=amount().replace(",", "."))
    return "mensagem", fmt("Oi! Pode fazer o PIX para a chave CPF {v}, em nome de {n}. Obrigado!", v=v, n=p.name(p.full()))


def aadhaar_special():
    p = Person("hi")
    latin = Person("in", sex=p.sex)
    v = L("in_aadhaar", aadhaar_text(gen_aadhaar()))
    d = L("date_of_birth", p.dob.strftime("%d/%m/%Y")) if side("date_of_birth") else F(str(p.dob.year)).map(lambda s: "XX/XX/" + s)
    sex = "पुरुष / MALE" if p.sex == "M" else "महिला / FEMALE"
    return "ocr_text", fmt("भारत सरकार\nGovernment of India\n{hn}\n{ln}\nजन्म तिथि / DOB: {d}\n{s}\n{v}\nमेरा आधार, मेरी पहचान", hn=L("person_name", p.full()), ln=L("person_name", latin.full()), d=d, s=sex, v=v)


def pan_special():
    if chance(0.5):
        p = Person("in")
        d = L("date_of_birth", p.dob.strftime("%d/%m/%Y")) if side("date_of_birth") else F("")
        return "ocr_text", fmt("INCOME TAX DEPARTMENT  GOVT. OF INDIA\nPermanent Account Number Card\n{v}\nName\n{n}\nDate of Birth\n{d}", v=L("in_pan", gen_pan(p)), n=L("person_name", p.full().upper()), d=d)
    co = pick(["Reliance Textiles Pvt Ltd", "Sharma Logistics LLP", "Pune Software Services Pvt. Ltd.", "Kaveri Agro Exports"])
    holder = "C" if "Pvt" in co else pick(["F", "C"])
    v = L("in_pan", rs(UP, 3) + holder + co[0] + rs(DIG, 4) + pick(UP))
    return "invoice_header", fmt("{c}\nCIN: U{n}MH{y}PTC{m}\nPAN: {v}", c=co, n=rs(DIG, 5), y=R.randint(1995, 2020), m=rs(DIG, 6), v=v)


def medicare_special():
    p = Person(pick(AU_HOLDERS))
    v = L("au_medicare", medicare_text(gen_medicare())[:12])
    return "ocr_text", fmt("medicare\n{v}\n1 {n}\nVALID TO {m}/{y}", v=v, n=L("person_name", ("%s %s %s" % (p.first.split()[0], pick(UP), p.last)).upper()), m="%02d" % R.randint(1, 12), y=R.randint(2026, 2031))


def apis_special():
    p = Person(pick(ALL_ORIGINS))
    nat = nationality_word(LOC[p.origin], p)
    pp = gen_passport(region_of(p))
    last = re.sub(r"[^A-Z]", "", unidecode(p.last).upper()) or "X"
    first = re.sub(r"[^A-Z]", "", unidecode(p.first).upper()) or "X"
    dob = L("date_of_birth", "%02d%s%02d" % (p.dob.day, EN_MON3[p.dob.month - 1].upper(), p.dob.year % 100)) if side("date_of_birth") else None
    if dob is None:
        return "pnr_ssr", fmt("SSR DOCS {a} HK1 P/{n}/{v}", a=pick(["TP", "LH", "SK", "AY", "LO"]), n=nat, v=L("passport", pp))
    return "pnr_ssr", fmt("SSR DOCS {a} HK1 P/{n}/{v}/{n}/{d}/{s}/{e}/{l}/{f}", a=pick(["TP", "LH", "SK", "AY", "LO", "OS"]), n=nat, v=L("passport", pp), d=dob,
                          s=p.sex, e="%02d%s%02d" % (R.randint(1, 28), pick(EN_MON3).upper(), R.randint(26, 34)), l=L("person_name", last), f=L("person_name", first))


def rental_special():
    lp = any_loc()
    p = Person(pick(ALL_ORIGINS))
    lines = [F("RENTAL AGREEMENT %s-%d" % (pick(["LIS", "CPH", "HEL", "PRG", "OTP", "ATH", "ZAG"]), R.randint(100000, 999999))), F("Driver: ") + p.name(p.full()),
             F(lp.w["dl"] + ": ") + L("drivers_licence", gen_dl(region_of(p))), F("Issued: " + nationality_word(lp, p))]
    if side("date_of_birth"):
        lines.insert(2, F("DOB: ") + L("date_of_birth", fmt_date(EN, p.dob, "num")))
    return "contract_text", join("\n", lines)


ID_SPECS["br_cpf"].specials, ID_SPECS["br_cpf"].special_p = [cpf_special], 0.15
ID_SPECS["in_aadhaar"].specials, ID_SPECS["in_aadhaar"].special_p = [aadhaar_special], 0.15
ID_SPECS["in_pan"].specials, ID_SPECS["in_pan"].special_p = [pan_special], 0.2
ID_SPECS["au_medicare"].specials, ID_SPECS["au_medicare"].special_p = [medicare_special], 0.12
ID_SPECS["passport"].specials, ID_SPECS["passport"].special_p = [apis_special], 0.08
ID_SPECS["drivers_licence"].specials, ID_SPECS["drivers_licence"].special_p = [rental_special], 0.1


# ---------------------------------------------------------------------------
# Hard negatives: shapes that look like PII or secrets but are not
# ---------------------------------------------------------------------------

CUSTNO = {"pt": "N.º de cliente", "da": "Kundenr.", "fi": "Asiakasnumero", "no": "Kundenummer", "cs": "Zákaznické číslo", "sk": "Zákaznícke číslo",
          "ro": "Cod client", "hu": "Ügyfélazonosító", "el": "Αρ. πελάτη", "hr": "Broj kupca", "sl": "Številka stranke", "lt": "Kliento nr.",
          "lv": "Klienta nr.", "et": "Kliendinumber", "nl": "Klantnummer", "fr": "N° client", "it": "N. cliente", "es": "N° de cliente", "en": "Customer no."}
TICKET = {"pt": "Pedido", "da": "Sag", "fi": "Tiketti", "no": "Sak", "cs": "Požadavek", "sk": "Požiadavka", "ro": "Tichet", "hu": "Jegy",
          "el": "Αίτημα", "hr": "Prijava", "sl": "Zahtevek", "lt": "Užklausa", "lv": "Pieteikums", "et": "Pöördumine", "nl": "Ticket",
          "fr": "Ticket", "it": "Ticket", "es": "Caso", "en": "Ticket"}
ARTNO = {"pt": "Ref.ª", "da": "Varenr.", "fi": "Tuotenumero", "no": "Varenr.", "cs": "Kód zboží", "sk": "Kód tovaru", "ro": "Cod produs",
         "hu": "Cikkszám", "el": "Κωδικός είδους", "hr": "Šifra artikla", "sl": "Šifra artikla", "lt": "Prekės kodas", "lv": "Preces kods",
         "et": "Tootekood", "nl": "Artikelnr.", "fr": "Réf. article", "it": "Cod. articolo", "es": "Código de artículo", "en": "SKU"}
SERIAL = {"pt": "N.º de série", "da": "Serienr.", "fi": "Sarjanumero", "no": "Serienr.", "cs": "Výrobní číslo", "sk": "Výrobné číslo",
          "ro": "Serie", "hu": "Sorozatszám", "el": "Σειριακός αριθμός", "hr": "Serijski broj", "sl": "Serijska številka", "lt": "Serijos nr.",
          "lv": "Sērijas nr.", "et": "Seerianumber", "nl": "Serienummer", "fr": "N° de série", "it": "N. di serie", "es": "N° de serie", "en": "Serial no."}
CURRENCY = {"pt": "{a} €", "da": "{a} kr.", "fi": "{a} €", "no": "kr {a}", "cs": "{a} Kč", "sk": "{a} €", "ro": "{a} lei", "hu": "{a} Ft",
            "el": "{a} €", "hr": "{a} €", "sl": "{a} €", "lt": "{a} €", "lv": "{a} €", "et": "{a} €", "nl": "€ {a}", "fr": "{a} €",
            "it": "CHF {a}", "es": "$ {a}", "en": "₱{a}"}
PAID = {"pt": "Total a pagar", "da": "I alt", "fi": "Yhteensä", "no": "Totalt", "cs": "Celkem k úhradě", "sk": "Spolu na úhradu", "ro": "Total de plată",
        "hu": "Fizetendő", "el": "Σύνολο", "hr": "Ukupno", "sl": "Skupaj za plačilo", "lt": "Iš viso", "lv": "Kopā", "et": "Kokku", "nl": "Totaal",
        "fr": "Total à payer", "it": "Totale", "es": "Total", "en": "Total due"}
MEETING_DATE = {"pt": "Reunião marcada para {d}", "da": "Mødet er aftalt til {d}", "fi": "Palaveri sovittu {d}", "no": "Møtet er avtalt til {d}",
                "cs": "Schůzka je naplánována na {d}", "sk": "Stretnutie je naplánované na {d}", "ro": "Întâlnirea este programată pe {d}",
                "hu": "A megbeszélés időpontja: {d}", "el": "Η συνάντηση ορίστηκε για {d}", "hr": "Sastanak je zakazan za {d}",
                "sl": "Sestanek je načrtovan za {d}", "lt": "Susitikimas numatytas {d}", "lv": "Tikšanās paredzēta {d}", "et": "Kohtumine on kokku lepitud {d}",
                "nl": "Vergadering gepland op {d}", "fr": "Réunion prévue le {d}", "it": "Riunione fissata per il {d}", "es": "Reunión agendada para el {d}",
                "en": "Meeting scheduled for {d}"}
EAN_PREFIX = {"PT": "560", "DK": "57", "FI": "64", "NO": "70", "CZ": "859", "SK": "858", "RO": "594", "HU": "599", "GR": "520", "HR": "385",
              "SI": "383", "LT": "477", "LV": "475", "EE": "474", "BE": "54", "CH": "76", "AR": "779", "CO": "770", "CL": "780", "PH": "480", "TH": "885"}


def nlp():
    return any_loc()


def hn_order():
    lp = nlp()
    v = pick(["%s-%d-%06d" % (lp.region, R.randint(2022, 2025), R.randint(1, 999999)), "#%d" % R.randint(10000, 9999999), "SO%08d" % R.randint(1, 10 ** 8),
              "%09d" % R.randint(10 ** 8, 10 ** 9 - 1), "WEB-%s" % rs(UP + DIG, 8), "%d/%d" % (R.randint(1, 99999), R.randint(2022, 2025))])
    return pick([colname(lp.w["order"]), "order_ref", note_col(lp)]), "%s %s" % (lp.w["order"], v)


def hn_invoice():
    lp = nlp()
    v = pick(["FT %d/%d" % (R.randint(2022, 2025), R.randint(1, 99999)), "FV/%d/%02d/%d" % (R.randint(2022, 2025), R.randint(1, 12), R.randint(1, 999)),
              "INV-%d-%06d" % (R.randint(2022, 2025), R.randint(1, 999999)), "%d-%05d" % (R.randint(2022, 2025), R.randint(1, 99999)),
              "%d%02d%02d%03d" % (R.randint(2022, 2025), R.randint(1, 12), R.randint(1, 28), R.randint(1, 999))])
    if chance(0.5):
        return colname(lp.w["invoice"]), v
    return note_col(lp), "%s %s, %s %s" % (lp.w["invoice"], v, lp.w["date"].lower(), fmt_date(lp, rand_recent(), "num"))


def hn_ticket():
    lp = nlp()
    v = pick(["INC%07d" % R.randint(1, 9999999), "SR-%s-%04d" % (rand_recent().strftime("%Y%m%d"), R.randint(1, 9999)),
              "%s-%d" % (pick(["PAY", "OPS", "HR", "CRM", "WMS"]), R.randint(10, 99999)), "#%d" % R.randint(100000, 999999)])
    return pick(["ticket_id", "ticket", note_col(lp)]), "%s %s" % (TICKET[lp.lang], v)


def _s10():
    d = rs(DIG, 8)
    w = [8, 6, 4, 2, 3, 5, 9, 7]
    c = 11 - sum(int(a) * b for a, b in zip(d, w)) % 11
    c = 5 if c == 11 else 0 if c == 10 else c
    return pick(["RR", "LA", "CP", "EE", "RB", "UA"]) + d + str(c) + pick(["PT", "DK", "FI", "NO", "CZ", "SK", "RO", "HU", "GR", "HR", "SI", "LT", "LV", "EE", "BE", "CH"])


def _ups():
    body = rs(UP + DIG, 6) + rs(DIG, 9)
    vals = [int(ch) if ch.isdigit() else (ord(ch) - 63) % 10 for ch in body]
    s = sum(v * (2 if i % 2 else 1) for i, v in enumerate(vals))
    return "1Z" + body + str((10 - s % 10) % 10)


def hn_tracking():
    lp = nlp()
    v = pick([_s10, _ups, lambda: "JJD%018d" % R.randint(0, 10 ** 18 - 1), lambda: "%011d" % R.randint(0, 10 ** 11 - 1),
              lambda: "%014d" % R.randint(0, 10 ** 14 - 1), lambda: "00%s" % rs(DIG, 18)])()
    return pick(["tracking_no", colname(lp.w["tracking"]), note_col(lp)]), pick(["%s: %s", "%s %s"]) % (lp.w["tracking"], v)


def hn_isbn():
    lp = nlp()
    base = "978" + pick(["972", "87", "951", "82", "80", "973", "963", "960", "953", "961", "609", "9984", "9985", "90", "2", "88", "950", "958", "956", "971", "974"])
    base += rs(DIG, 12 - len(base))
    num = base + std_ean.calc_check_digit(base)
    txt = std_isbn.format(num) if chance(0.7) else num
    if chance(0.25):
        txt = std_isbn.format(std_isbn.to_isbn10(num))
    return pick(["isbn", "product_code", note_col(lp)]), "ISBN " + txt


def hn_ean():
    lp = nlp()
    base = EAN_PREFIX.get(lp.region, "40")
    r = R.random()
    if r < 0.6:
        b = base + rs(DIG, 12 - len(base))
        v = b + std_ean.calc_check_digit(b)
        lab = "EAN"
    elif r < 0.8:
        b = "1" + base + rs(DIG, 12 - len(base))
        v = b + std_ean.calc_check_digit(b)
        lab = "GTIN"
    else:
        b = "0" + rs(DIG, 10)
        v = b + std_ean.calc_check_digit(b)
        v = v[1:] if len(v) == 12 else v
        lab = "UPC"
    return pick(["ean", "gtin", "barcode", colname(ARTNO[lp.lang])]), pick(["%s %s", "%s: %s"]) % (lab, v)


def hn_imei():
    lp = nlp()
    body = pick(["35", "86", "01", "99"]) + rs(DIG, 12)
    v = body + luhn.calc_check_digit(body)
    if chance(0.3):
        v = "%s-%s-%s-%s" % (v[:2], v[2:8], v[8:14], v[14])
    return pick(["imei", "device_imei", note_col(lp)]), "IMEI %s" % v


def hn_luhn_account():
    lp = nlp()
    n = pick([12, 13, 16, 16])
    v = luhn_number(pick(["98", "90", "77", "71"]), n)
    if n == 16 and chance(0.6):
        v = " ".join(v[i:i + 4] for i in range(0, 16, 4))
    lab = pick([CUSTNO[lp.lang], {"pt": "Cartão de fidelização", "da": "Kundekort", "fi": "Kanta-asiakaskortti", "no": "Kundekort", "cs": "Věrnostní karta",
                                  "sk": "Vernostná karta", "ro": "Card de fidelitate", "hu": "Törzsvásárlói kártya", "el": "Κάρτα πιστότητας",
                                  "hr": "Kartica vjernosti", "sl": "Kartica zvestobe", "lt": "Lojalumo kortelė", "lv": "Lojalitātes karte",
                                  "et": "Kliendikaart", "nl": "Klantenkaart", "fr": "Carte de fidélité", "it": "Carta fedeltà", "es": "Tarjeta de fidelidad",
                                  "en": "Loyalty card"}[lp.lang], "Gift card", "Account"])
    return pick(["loyalty_card", "account_id", note_col(lp)]), "%s %s" % (lab, v)


def hn_custno():
    lp = nlp()
    v = rs(DIG, R.randint(9, 15))
    v = str(R.randint(1, 9)) + v[1:]
    if chance(0.5):
        return colname(CUSTNO[lp.lang]), v
    return note_col(lp), "%s %s" % (CUSTNO[lp.lang], v)


def hn_time():
    ts = rand_ts()
    return pick(["created_at", "event_time", "ts", "timestamp", "log_line"]), pick([
        str(int(ts.timestamp())), str(int(ts.timestamp() * 1000)), ts.isoformat() + ".%06dZ" % R.randint(0, 999999), ts.strftime("%Y%m%d%H%M%S"),
        "%s INFO scheduler: job nightly-export finished in %d ms" % (ts.isoformat(), R.randint(10, 99999)),
        "epoch=%d tz=UTC" % int(ts.timestamp())])


def hn_version():
    return pick(["version", "build", "user_agent", "firmware", "log_line"]), pick([
        "v%d.%d.%d" % (R.randint(0, 9), R.randint(0, 30), R.randint(0, 99)), "10.0.%d.%d" % (R.randint(17000, 26000), R.randint(1, 5000)),
        "Chrome/%d.0.%d.%d" % (R.randint(100, 130), R.randint(4000, 7000), R.randint(1, 250)), "build %s.%d" % (rand_recent().strftime("%Y%m%d"), R.randint(1, 20)),
        "Android 14 (UP1A.%s.%03d)" % (rand_recent().strftime("%y%m%d"), R.randint(1, 99)), "firmware %d.%d.%d.%d" % (R.randint(1, 9), R.randint(0, 20), R.randint(0, 9), R.randint(0, 99)),
        "kernel %d.%d.0-%d-generic" % (R.randint(5, 6), R.randint(0, 15), R.randint(10, 120)), "Version %d.%d.%d.%d" % (R.randint(1, 12), R.randint(0, 9), R.randint(0, 9), R.randint(0, 255)),
        "app_version=%d.%d.%d (%d)" % (R.randint(1, 9), R.randint(0, 30), R.randint(0, 30), R.randint(100, 9999))])


def hn_oid():
    return pick(["oid", "snmp", "cert_policy"]), pick([
        "OID 1.3.6.1.4.1.%d.%d.%d" % (R.randint(1, 60000), R.randint(1, 20), R.randint(1, 99)), "2.16.840.1.113730.3.1.%d" % R.randint(1, 300),
        "1.2.840.113549.1.1.%d" % R.randint(1, 14), "iso.3.6.1.2.1.2.2.1.%d.%d" % (R.randint(1, 22), R.randint(1, 48)),
        "Policy OID: 2.23.140.1.%d.%d" % (R.randint(1, 3), R.randint(1, 3))])


def hn_hash():
    h = {"md5": 32, "sha1": 40, "sha256": 64, "sha512": 128}
    alg = pick(list(h))
    v = rs(HEX, h[alg])
    return pick(["checksum", "log_line", "artifact", "commit"]), pick([
        "%s: %s" % (alg.upper(), v), "%s  release-%d.%d.tar.gz" % (v, R.randint(1, 9), R.randint(0, 30)), "commit %s" % rs(HEX, 40),
        "Merge pull request #%d from %s/feature-%s (%s)" % (R.randint(10, 9999), pick(ORGS), rs(LOW, 5), rs(HEX, 7)),
        "ETag: \"%s\"" % rs(HEX, 32), "file hash mismatch: expected %s got %s" % (rs(HEX, 64), rs(HEX, 64)), "sha256:%s" % rs(HEX, 64)])


def hn_uuid():
    u = str(uuid.UUID(int=R.getrandbits(128), version=4))
    return pick(["request_id", "correlation_id", "log_line", "id"]), pick([u, "request_id=%s status=200" % u, "X-Correlation-ID: %s" % u, "trace %s span %s" % (rs(HEX, 32), rs(HEX, 16))])


def hn_b64blob():
    raw = bytes(R.getrandbits(8) for _ in range(R.randint(30, 120)))
    b = base64.b64encode(raw).decode()
    return pick(["thumbnail", "lockfile", "headers", "payload"]), pick([
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAA" + b, '"integrity": "sha512-%s"' % base64.b64encode(bytes(R.getrandbits(8) for _ in range(64))).decode(),
        "Content-MD5: %s" % base64.b64encode(bytes(R.getrandbits(8) for _ in range(16))).decode(),
        "Digest: SHA-256=%s" % base64.b64encode(bytes(R.getrandbits(8) for _ in range(32))).decode(),
        "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/" + b])


def hn_pod():
    svc = pick(["payments-api", "web", "worker", "checkout", "crm-sync", "ingest"])
    pod = "%s-%s-%s" % (svc, rs("bcdf" + DIG, R.choice([9, 10])), rs(LOW + DIG, 5))
    return pick(["k8s_event", "pod", "log_line"]), pick([
        pod, "Back-off restarting failed container %s in pod %s_default(%s)" % (svc, pod, str(uuid.UUID(int=R.getrandbits(128), version=4))),
        "%s   1/1   Running   %d   %dd" % (pod, R.randint(0, 9), R.randint(1, 60)), "Successfully pulled image \"registry.local/%s:%s\"" % (svc, rs(HEX, 7))])


def hn_container():
    return pick(["docker_ps", "container_id", "log_line"]), pick([
        "%s   %s:%s   \"docker-entrypoint.s…\"   %d hours ago   Up %d hours" % (rs(HEX, 12), pick(["nginx", "postgres", "redis", "node"]), pick(["1.25", "16", "7.2", "20-alpine"]), R.randint(1, 40), R.randint(1, 40)),
        "container %s exited with code %d" % (rs(HEX, 64), R.randint(0, 137)), "containerd: id=%s" % rs(HEX, 64)])


def hn_sku():
    lp = nlp()
    v = pick(["%s-%s-%04d-%s" % (rs(UP, 2), rs(UP, 2), R.randint(1, 9999), pick(["BLK-M", "WHT-L", "RED-S", "NAT"])), "%d-%03d" % (R.randint(1000, 9999), R.randint(1, 999)),
              "%02d.%03d.%02d" % (R.randint(1, 99), R.randint(1, 999), R.randint(1, 99)), rs(UP, 3) + rs(DIG, 6)])
    return pick([colname(ARTNO[lp.lang]), "sku", note_col(lp)]), "%s %s" % (ARTNO[lp.lang], v)


def hn_amount():
    lp = nlp()
    n = R.randint(1, 99999999)
    if lp.lang in ("en",):
        a = "{:,}.{:02d}".format(n // 100, n % 100)
    elif lp.lang in ("it",):
        a = "{:,}.{:02d}".format(n // 100, n % 100).replace(",", "'")
    else:
        a = "{:,},{:02d}".format(n // 100, n % 100).replace(",", pick([" ", "."]), ("{:,}".format(n // 100)).count(","))
    return pick([colname(PAID[lp.lang]), "amount", note_col(lp)]), "%s: %s" % (PAID[lp.lang], CURRENCY[lp.lang].format(a=a))


def hn_coords():
    lat, lon = R.uniform(-55, 70), R.uniform(-75, 125)
    return pick(["gps", "location", "coords", "geo"]), pick(["%.6f, %.6f" % (lat, lon), "lat=%.4f&lon=%.4f" % (lat, lon), "POINT(%.5f %.5f)" % (lon, lat),
                                                          "%d°%02d'%02d\"N %d°%02d'%02d\"E" % (abs(int(lat)), R.randint(0, 59), R.randint(0, 59), abs(int(lon)), R.randint(0, 59), R.randint(0, 59))])


def hn_postcode():
    lp = nlp()
    pcc = pc_city(lp)
    return pick([colname(lp.w["zip"]), "postal_code", colname(lp.w["city"])]), pick([pcc, pcc.split(" ")[0], "%s %s" % (lp.w["zip"], pcc.split(" ")[0])])


def hn_bic():
    lp = nlp()
    b = pick([x for v in BICS.values() for x in v])
    return pick(["bic", "swift", note_col(lp)]), pick([b, "BIC: " + b, "SWIFT/BIC %s" % b])


def hn_date():
    lp = nlp()
    d = fmt_date(lp, rand_date(2021, 2027))
    r = R.random()
    if r < 0.25:
        return colname(lp.w["delivery"]), d
    if r < 0.45:
        return note_col(lp), "%s: %s" % (lp.w["delivery"], d)
    if r < 0.6:
        return note_col(lp), "%s %s" % (lp.w["expiry"], d)
    if r < 0.75:
        return note_col(lp), MEETING_DATE[lp.lang].format(d=d)
    if r < 0.87:
        return colname(lp.w["issued"]), d
    return pick(["valid_thru", "exp"]), "%02d/%02d" % (R.randint(1, 12), R.randint(25, 32))


def hn_masked():
    lp = nlp()
    return pick(["card_masked", "iban_masked", note_col(lp), "payment_method"]), pick([
        "**** **** **** %04d" % R.randint(0, 9999), "%s **** %04d" % (pick(["VISA", "MC", "AMEX"]), R.randint(0, 9999)), "XXXX XXXX %04d" % R.randint(0, 9999),
        "%s%02d **** **** **** %04d" % (IBAN_LOCAL[lp.lang], R.randint(10, 99), R.randint(0, 9999)), "S****%03d%s" % (R.randint(0, 999), pick(UP)),
        "***-**-%04d" % R.randint(0, 9999), "%s ending in %04d" % (lp.w["card"], R.randint(0, 9999)), "sk_live_****%s" % rs(ALNUM, 4)])


def hn_payref():
    lp = nlp()
    r = R.random()
    if r < 0.3:
        return "referencia_mb", "Entidade %05d Referência %03d %03d %03d Valor %d,%02d €" % (R.randint(10000, 99999), R.randint(100, 999), R.randint(0, 999), R.randint(0, 999), R.randint(5, 900), R.randint(0, 99))
    if r < 0.5:
        n = R.randint(10 ** 9, 10 ** 10 - 1)
        c = n % 97 or 97
        s = "%010d%02d" % (n, c)
        return "mededeling", "+++%s/%s/%s+++" % (s[:3], s[3:7], s[7:])
    if r < 0.7:
        for _ in range(200):
            cand = "RF00" + rs(DIG, R.randint(8, 16))
            chk = 98 - int("".join(str(int(ch, 36)) for ch in cand[4:] + "RF00")) % 97
            cand = "RF%02d%s" % (chk, cand[4:])
            if iso11649.is_valid(cand):
                return "viite", "Viite %s" % iso11649.format(cand)
    if r < 0.85:
        return "variabilni_symbol", "VS: %d, KS: 0308, SS: %d" % (R.randint(10 ** 7, 10 ** 10), R.randint(1, 9999))
    return "fik", "+71<%015d+%08d<" % (R.randint(0, 10 ** 15 - 1), R.randint(10 ** 7, 10 ** 8 - 1))


def _valid(gen, check, tries=5000):
    for _ in range(tries):
        v = gen()
        if check(v):
            return v
    return gen()


def hn_company_reg():
    from stdnum.dk import cvr
    from stdnum.fi import ytunnus
    from stdnum.ro import cui
    from stdnum.ch import uid
    from stdnum.ar import cuit
    from stdnum.co import nit
    from stdnum.cl import rut
    from stdnum.be import vat as bevat
    from stdnum.pt import nif as ptnif
    r = R.randint(0, 9)
    if r == 0:
        return "cvr", "CVR-nr. " + _valid(lambda: str(R.randint(1, 9)) + rs(DIG, 7), cvr.is_valid)
    if r == 1:
        return "y_tunnus", "Y-tunnus " + ytunnus.format(_valid(lambda: rs(DIG, 8), ytunnus.is_valid))
    if r == 2:
        return "ico", "IČO: %s" % rs(DIG, 8)
    if r == 3:
        return "cui", "CUI " + _valid(lambda: str(R.randint(1, 4)) + rs(DIG, 7), cui.is_valid)
    if r == 4:
        return "uid", "UID " + uid.format(_valid(lambda: "CHE" + rs(DIG, 9), uid.is_valid)) + pick(["", " IVA", " MWST"])
    if r == 5:
        return "cuit", "CUIT " + cuit.format(_valid(lambda: pick(["30", "33"]) + rs(DIG, 9), cuit.is_valid))
    if r == 6:
        return "nit", "NIT " + nit.format(_valid(lambda: "9" + rs(DIG, 9), nit.is_valid))
    if r == 7:
        return "rut_empresa", "RUT " + rut.format(_valid(lambda: "7" + rs(DIG, 7) + pick(DIG + "K"), rut.is_valid))
    if r == 8:
        v = _valid(lambda: "0" + rs(DIG, 9), lambda x: bevat.is_valid("BE" + x))
        return "kbo", "Ondernemingsnummer %s.%s.%s" % (v[:4], v[4:7], v[7:])
    return "nipc", "NIPC " + _valid(lambda: "5" + rs(DIG, 8), ptnif.is_valid)


def hn_serial():
    lp = nlp()
    return pick([colname(SERIAL[lp.lang]), "serial", note_col(lp)]), "%s %s" % (SERIAL[lp.lang], pick([rs(UP + DIG, 12), "5CG" + rs(DIG, 4) + rs(UP, 3), rs(UP, 2) + rs(DIG, 8)]))


def hn_macish():
    return pick(["timecode", "oui", "ble", "css"]), pick([
        "OUI %s" % pick(OUIS).upper(), "TC %02d:%02d:%02d:%02d" % (R.randint(0, 23), R.randint(0, 59), R.randint(0, 59), R.randint(0, 24)),
        "BLE service 0000%04x-0000-1000-8000-00805f9b34fb" % R.randint(0x1800, 0x18ff), "color: #%s; background: #%s;" % (rs(HEX, 6), rs(HEX, 6)),
        "at %02d:%02d:%02d" % (R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))])


def hn_ipv6ish():
    return pick(["snippet", "stacktrace", "log_line"]), pick([
        "auto t0 = std::chrono::steady_clock::now();", "use std::collections::HashMap;", "Foo::Bar::baz() at src/lib.rs:%d:%d" % (R.randint(1, 900), R.randint(1, 80)),
        "thread 'main' panicked at src/main.rs:%d:%d" % (R.randint(1, 500), R.randint(1, 60)), "ns::detail::impl::run()", "Time: 10:%02d:%02d" % (R.randint(0, 59), R.randint(0, 59))])


def hn_cursor():
    j = json.dumps({"page": R.randint(2, 90)} if chance(0.5) else {"id": R.randint(1000, 99999), "ts": R.randint(1600000000, 1750000000)}, separators=(",", ":"))
    c = b64url(j.encode())
    return pick(["next_cursor", "request", "url"]), pick(["next_cursor=%s" % c, "GET /api/v1/items?cursor=%s&limit=50" % c, c])


def hn_awsids():
    return pick(["arn", "log_line", "instance", "cloudtrail"]), pick([
        "arn:aws:iam::%s:role/%s" % (rs(DIG, 12), pick(["deploy", "ReadOnly", "lambda-exec"])), '"principalId": "AROA%s:session-%d"' % (rs(AWS_ALPHA, 17), R.randint(1, 999)),
        "AIDA%s" % rs(AWS_ALPHA, 17), "i-0%s" % rs(HEX, 16), "ami-0%s" % rs(HEX, 16), "sg-0%s" % rs(HEX, 16),
        "x-amz-request-id: %s" % rs("0123456789ABCDEF", 16), "arn:aws:s3:::%s-logs/%s" % (pick(ORGS), rand_recent().isoformat())])


def hn_stripeids():
    return pick(["stripe_event", "log_line", "payment_ref"]), pick([
        "ch_3%s" % rs(ALNUM, 23), "pi_3%s" % rs(ALNUM, 23), "cus_%s" % rs(ALNUM, 14), "evt_1%s" % rs(ALNUM, 23), "txn_1%s" % rs(ALNUM, 23),
        "price_1%s" % rs(ALNUM, 23), "Stripe charge %s succeeded" % ("ch_3" + rs(ALNUM, 23)), "invoice in_1%s paid" % rs(ALNUM, 23)])


def hn_ghids():
    o, r = pick(ORGS), pick(REPOS)
    return pick(["ci_log", "log_line", "url"]), pick([
        "https://github.com/%s/%s/actions/runs/%d" % (o, r, R.randint(10 ** 9, 10 ** 10)), "uses: actions/checkout@v4", "ghcr.io/%s/%s:sha-%s" % (o, r, rs(HEX, 7)),
        "git push origin gh-pages", "token: ***", "GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}", "https://github.com/%s/%s.git" % (o, r)])


def hn_slackids():
    return pick(["slack_event", "url", "log_line"]), pick([
        "channel=C0%s user=U0%s ts=%d.%06d" % (rs(UP + DIG, 9), rs(UP + DIG, 9), R.randint(1600000000, 1750000000), R.randint(0, 999999)),
        "https://%s.slack.com/archives/C0%s/p%d" % (pick(ORGS), rs(UP + DIG, 9), R.randint(10 ** 15, 10 ** 16)), "team_id=T0%s" % rs(UP + DIG, 8)])


def hn_gids():
    return pick(["analytics", "html"]), pick([
        "G-%s" % rs(UP + DIG, 10), "UA-%d-%d" % (R.randint(10 ** 7, 10 ** 8), R.randint(1, 9)), "GTM-%s" % rs(UP + DIG, 7),
        "<script async src=\"https://www.googletagmanager.com/gtag/js?id=G-%s\"></script>" % rs(UP + DIG, 10)])


def hn_public_pem():
    kind = pick(["CERTIFICATE", "PUBLIC KEY", "CERTIFICATE REQUEST", "SSH"])
    if kind == "SSH":
        return "authorized_keys", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI%s %s@%s" % (rs(ALNUM + "+/", 43), pick(["deploy", "ci", "build"]), pick(["laptop", "runner01", "jumphost"]))
    body = ("MIID" if kind == "CERTIFICATE" else "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" if kind == "PUBLIC KEY" else "MIICvDCCAaQCAQAw") + rs(ALNUM + "+/", R.randint(300, 900))
    lines = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
    return pick(["ca_bundle", "cert_pem", "public_key"]), "-----BEGIN %s-----\n%s\n-----END %s-----" % (kind, lines, kind)


def hn_url_nocreds():
    dom = company_domain(pick(list(DOMAIN_STEMS)))
    return pick(["url", "endpoint", "config"]), pick([
        "postgres://db.%s:5432/app" % dom, "https://%s/login" % dom, "https://%s/api/v2/users?page=%d" % (dom, R.randint(1, 9)),
        "redis://cache.internal:6379/0", "http://localhost:%d/health" % R.randint(3000, 9000), "mongodb://mongo-0.mongo:27017/?replicaSet=rs0",
        "DATABASE_URL=postgres://${DB_USER}:${DB_PASSWORD}@db:5432/app"])


def hn_placeholder():
    lp = nlp()
    return pick(["config", ".env", note_col(lp)]), pick([
        "password: ********", "api_key: <YOUR_API_KEY>", "DB_PASSWORD=${DB_PASSWORD}", "token: REDACTED", "secret: changeme",
        "%s: ********" % lp.w["password"], "Authorization: Bearer <token>", "client_secret: {{ vault.client_secret }}", "STRIPE_KEY=sk_test_xxx",
        "AWS_SECRET_ACCESS_KEY=", "PASSWORD_MIN_LENGTH=12", "%s %s" % (lp.w["password"], {"pt": "alterada com sucesso", "es": "actualizada", "en": "changed successfully"}.get(lp.lang, "OK"))])


def hn_lowentropy():
    return pick(["config", ".env"]), pick(["LOG_LEVEL=debug", "region: eu-west-1", "timeout=30", "MAX_WORKERS=8", "feature_flags: [beta_checkout, new_search]",
                                           "cache_ttl_seconds: 3600", "NODE_ENV=production", "retry_backoff=exponential"])


def hn_measure():
    lp = nlp()
    return note_col(lp), pick(["%d,%d kg" % (R.randint(1, 300), R.randint(0, 9)), "%d.%03d %s" % (R.randint(1, 999), R.randint(0, 999), pick(["un.", "pcs", "ks", "db", "kpl"])),
                               "%d x %d x %d mm" % (R.randint(10, 900), R.randint(10, 900), R.randint(10, 900)), "Lote %d%06d" % (R.randint(2022, 2025), R.randint(0, 999999))])


def hn_streetname():
    lp = pick([l for l in LOCALES if l.code in STREETS] + [LOC["pt_PT"], LOC["da_DK"], LOC["cs_CZ"]])
    s = pick(STREETS[lp.code]) if lp.code in STREETS else re.sub(r"\s*\d.*$", "", street_line(lp)).rstrip(", ")
    roadworks = {"lt": "Remonto darbai: {s} uždaryta iki penktadienio.", "lv": "Ceļa remonts: {s} slēgta līdz piektdienai.",
                 "et": "Teetööd: {s} on suletud reedeni.", "fr": "Travaux : la {s} est fermée jusqu'à vendredi.",
                 "it": "Lavori in corso: {s} chiusa fino a venerdì.", "en": "Roadworks: {s} closed until Friday.",
                 "pt": "Obras: {s} cortada ao trânsito até sexta-feira.", "da": "Vejarbejde: {s} er spærret til fredag.",
                 "cs": "Uzavírka: {s} je uzavřena do pátku."}
    return pick(["traffic_note", note_col(lp)]), roadworks.get(lp.lang, roadworks["en"]).format(s=s)


def hn_company_name():
    lp = nlp()
    co = pick(COMPANIES[lp.lang])
    return pick([colname(lp.w["company"]), "supplier"]), co


HARD_SHAPES = [hn_order, hn_invoice, hn_ticket, hn_tracking, hn_isbn, hn_ean, hn_imei, hn_luhn_account, hn_custno, hn_custno, hn_time, hn_version,
               hn_version, hn_oid, hn_hash, hn_hash, hn_uuid, hn_b64blob, hn_pod, hn_container, hn_sku, hn_amount, hn_coords, hn_postcode, hn_bic,
               hn_date, hn_date, hn_masked, hn_payref, hn_company_reg, hn_company_reg, hn_serial, hn_macish, hn_ipv6ish, hn_cursor, hn_awsids,
               hn_stripeids, hn_ghids, hn_slackids, hn_gids, hn_public_pem, hn_url_nocreds, hn_placeholder, hn_lowentropy, hn_measure,
               hn_streetname, hn_company_name]


# ---------------------------------------------------------------------------
# Plain negatives: ordinary business text
# ---------------------------------------------------------------------------

PLAIN = {
"pt": ["A reunião de equipa foi adiada para a próxima semana.", "O armazém de Braga fecha mais cedo na sexta-feira.", "Agradecemos a sua preferência e ficamos ao dispor.",
       "A encomenda segue por transportadora dentro de três dias úteis.", "O relatório trimestral já está disponível na intranet.",
       "Por favor confirme a disponibilidade para a formação de segurança.", "O novo catálogo de primavera chega às lojas em abril.",
       "A manutenção do servidor está prevista para o fim de semana."],
"da": ["Teammødet er flyttet til næste uge.", "Lageret i Odense lukker tidligt på fredag.", "Tak for din henvendelse, vi vender tilbage hurtigst muligt.",
       "Ordren sendes med fragtmand inden for tre hverdage.", "Kvartalsrapporten ligger nu på intranettet.", "Bekræft venligst din deltagelse i sikkerhedskurset.",
       "Det nye forårskatalog kommer i butikkerne i april.", "Servervedligeholdelse er planlagt til weekenden."],
"fi": ["Tiimipalaveri siirtyy ensi viikolle.", "Oulun varasto sulkeutuu perjantaina aikaisemmin.", "Kiitos yhteydenotostasi, palaamme asiaan pian.",
       "Tilaus lähetetään kolmen arkipäivän kuluessa.", "Neljännesvuosiraportti on nyt intranetissä.", "Vahvistathan osallistumisesi turvallisuuskoulutukseen.",
       "Uusi kevätkuvasto saapuu myymälöihin huhtikuussa.", "Palvelimen huoltokatko on suunniteltu viikonlopulle."],
"no": ["Teammøtet er flyttet til neste uke.", "Lageret i Stavanger stenger tidlig på fredag.", "Takk for henvendelsen, vi svarer så snart som mulig.",
       "Bestillingen sendes med transportør innen tre virkedager.", "Kvartalsrapporten er nå tilgjengelig på intranett.", "Vennligst bekreft deltakelse på sikkerhetskurset.",
       "Den nye vårkatalogen kommer i butikkene i april.", "Vedlikehold av serveren er planlagt til helgen."],
"cs": ["Porada týmu se přesouvá na příští týden.", "Sklad v Ostravě v pátek zavírá dříve.", "Děkujeme za Váš dotaz, brzy se Vám ozveme.",
       "Objednávka bude odeslána do tří pracovních dnů.", "Čtvrtletní zpráva je k dispozici na intranetu.", "Potvrďte prosím účast na školení bezpečnosti.",
       "Nový jarní katalog bude v prodejnách v dubnu.", "Údržba serveru je naplánována na víkend."],
"sk": ["Porada tímu sa presúva na budúci týždeň.", "Sklad v Žiline v piatok zatvára skôr.", "Ďakujeme za Vašu otázku, čoskoro sa Vám ozveme.",
       "Objednávka bude odoslaná do troch pracovných dní.", "Štvrťročná správa je k dispozícii na intranete.", "Potvrďte prosím účasť na školení bezpečnosti.",
       "Nový jarný katalóg bude v predajniach v apríli.", "Údržba servera je naplánovaná na víkend."],
"ro": ["Ședința echipei a fost mutată săptămâna viitoare.", "Depozitul din Cluj se închide mai devreme vineri.", "Vă mulțumim pentru mesaj, revenim în cel mai scurt timp.",
       "Comanda va fi expediată prin curier în trei zile lucrătoare.", "Raportul trimestrial este disponibil pe intranet.",
       "Vă rugăm să confirmați participarea la instruirea de securitate.", "Noul catalog de primăvară ajunge în magazine în aprilie.",
       "Mentenanța serverului este programată în weekend."],
"hu": ["A csapatmegbeszélés jövő hétre tolódik.", "A debreceni raktár pénteken korábban zár.", "Köszönjük megkeresését, hamarosan válaszolunk.",
       "A rendelést három munkanapon belül futárral küldjük.", "A negyedéves jelentés elérhető az intraneten.", "Kérjük, erősítse meg részvételét a biztonsági képzésen.",
       "Az új tavaszi katalógus áprilisban érkezik az üzletekbe.", "A szerver karbantartása hétvégére van ütemezve."],
"el": ["Η σύσκεψη της ομάδας μεταφέρθηκε για την επόμενη εβδομάδα.", "Η αποθήκη της Θεσσαλονίκης κλείνει νωρίτερα την Παρασκευή.",
       "Σας ευχαριστούμε για το μήνυμά σας, θα επικοινωνήσουμε σύντομα.", "Η παραγγελία θα αποσταλεί με courier εντός τριών εργάσιμων ημερών.",
       "Η τριμηνιαία αναφορά είναι διαθέσιμη στο intranet.", "Παρακαλούμε επιβεβαιώστε τη συμμετοχή σας στην εκπαίδευση ασφαλείας.",
       "Ο νέος ανοιξιάτικος κατάλογος έρχεται στα καταστήματα τον Απρίλιο.", "Η συντήρηση του διακομιστή έχει προγραμματιστεί για το Σαββατοκύριακο."],
"hr": ["Sastanak tima pomaknut je na sljedeći tjedan.", "Skladište u Splitu u petak zatvara ranije.", "Zahvaljujemo na upitu, javit ćemo se uskoro.",
       "Narudžba će biti poslana dostavnom službom u roku od tri radna dana.", "Kvartalno izvješće dostupno je na intranetu.",
       "Molimo potvrdite sudjelovanje na edukaciji o sigurnosti.", "Novi proljetni katalog stiže u trgovine u travnju.", "Održavanje poslužitelja planirano je za vikend."],
"sl": ["Sestanek ekipe je prestavljen na naslednji teden.", "Skladišče v Mariboru v petek zapre prej.", "Zahvaljujemo se vam za vprašanje, odgovorili vam bomo kmalu.",
       "Naročilo bo odposlano v treh delovnih dneh.", "Četrtletno poročilo je na voljo na intranetu.", "Prosimo, potrdite udeležbo na varnostnem usposabljanju.",
       "Novi pomladni katalog bo v trgovinah aprila.", "Vzdrževanje strežnika je načrtovano za konec tedna."],
"lt": ["Komandos susitikimas perkeltas į kitą savaitę.", "Kauno sandėlis penktadienį užsidaro anksčiau.", "Dėkojame už užklausą, netrukus susisieksime.",
       "Užsakymas bus išsiųstas per tris darbo dienas.", "Ketvirčio ataskaita jau paskelbta intranete.", "Prašome patvirtinti dalyvavimą saugos mokymuose.",
       "Naujas pavasario katalogas parduotuvėse pasirodys balandį.", "Serverio priežiūra suplanuota savaitgaliui."],
"lv": ["Komandas sanāksme pārcelta uz nākamo nedēļu.", "Liepājas noliktava piektdien slēdz agrāk.", "Paldies par jūsu jautājumu, drīzumā sazināsimies.",
       "Pasūtījums tiks nosūtīts trīs darba dienu laikā.", "Ceturkšņa pārskats ir pieejams intranetā.", "Lūdzu, apstipriniet dalību drošības apmācībā.",
       "Jaunais pavasara katalogs veikalos būs aprīlī.", "Servera apkope plānota nedēļas nogalē."],
"et": ["Meeskonna koosolek lükkub järgmisse nädalasse.", "Tartu ladu suletakse reedel varem.", "Täname pöördumise eest, vastame peagi.",
       "Tellimus saadetakse kolme tööpäeva jooksul.", "Kvartaliaruanne on nüüd intranetis saadaval.", "Palun kinnitage osalemine ohutuskoolitusel.",
       "Uus kevadkataloog jõuab kauplustesse aprillis.", "Serveri hooldus on planeeritud nädalavahetusele."],
"nl": ["Het teamoverleg is verplaatst naar volgende week.", "Het magazijn in Gent sluit vrijdag vroeger.", "Bedankt voor uw bericht, we nemen zo snel mogelijk contact op.",
       "De bestelling wordt binnen drie werkdagen verzonden.", "Het kwartaalrapport staat nu op het intranet.", "Gelieve uw deelname aan de veiligheidsopleiding te bevestigen.",
       "De nieuwe lentecatalogus ligt in april in de winkels.", "Het serveronderhoud is gepland tijdens het weekend."],
"fr": ["La réunion d'équipe est reportée à la semaine prochaine.", "L'entrepôt de Charleroi ferme plus tôt vendredi.", "Merci pour votre message, nous revenons vers vous rapidement.",
       "La commande sera expédiée sous trois jours ouvrables.", "Le rapport trimestriel est disponible sur l'intranet.", "Merci de confirmer votre présence à la formation sécurité.",
       "Le nouveau catalogue de printemps arrive en magasin en avril.", "La maintenance du serveur est prévue ce week-end."],
"it": ["La riunione del team è spostata alla prossima settimana.", "Il magazzino di Bellinzona chiude prima venerdì.", "Grazie per il messaggio, la ricontatteremo al più presto.",
       "L'ordine sarà spedito entro tre giorni lavorativi.", "Il rapporto trimestrale è disponibile sull'intranet.", "Si prega di confermare la partecipazione al corso sulla sicurezza.",
       "Il nuovo catalogo primaverile arriva nei negozi ad aprile.", "La manutenzione del server è prevista per il fine settimana."],
"es": ["La reunión del equipo se pasó a la próxima semana.", "El depósito de Córdoba cierra más temprano el viernes.", "Gracias por su mensaje, le responderemos a la brevedad.",
       "El pedido se despacha dentro de tres días hábiles.", "El informe trimestral ya está disponible en la intranet.", "Por favor confirme su asistencia a la capacitación de seguridad.",
       "El nuevo catálogo de primavera llega a las tiendas en septiembre.", "El mantenimiento del servidor está programado para el fin de semana."],
"en": ["The team meeting has been moved to next week.", "The Cebu warehouse closes early on Friday.", "Thank you for reaching out, we will get back to you shortly.",
       "Your order will ship within three business days.", "The quarterly report is now available on the intranet.", "Please confirm attendance for the safety training.",
       "The new rainy-season collection arrives in stores in June.", "Server maintenance is scheduled for the weekend."],
}
PRODUCTS = {
"pt": ["Camisola de lã merino, azul-marinho, tamanho M", "Azeite virgem extra, garrafa de 750 ml", "Cadeira de escritório ergonómica com apoio lombar", "Conjunto de 6 copos de vidro temperado", "Mochila impermeável de 25 litros"],
"da": ["Uldtrøje i merinould, marineblå, str. M", "Ekstra jomfru olivenolie, 750 ml flaske", "Ergonomisk kontorstol med lændestøtte", "Sæt med 6 glas i hærdet glas", "Vandtæt rygsæk, 25 liter"],
"fi": ["Merinovillaneule, tummansininen, koko M", "Ekstra-neitsytoliiviöljy, 750 ml pullo", "Ergonominen työtuoli ristiseläntuella", "6 karkaistun lasin setti", "Vedenpitävä reppu, 25 litraa"],
"no": ["Genser i merinoull, marineblå, str. M", "Extra virgin olivenolje, 750 ml flaske", "Ergonomisk kontorstol med korsryggstøtte", "Sett med 6 glass i herdet glass", "Vanntett sekk, 25 liter"],
"cs": ["Svetr z merino vlny, tmavě modrý, vel. M", "Extra panenský olivový olej, láhev 750 ml", "Ergonomická kancelářská židle s bederní opěrkou", "Sada 6 sklenic z tvrzeného skla", "Voděodolný batoh 25 l"],
"sk": ["Sveter z merino vlny, tmavomodrý, veľ. M", "Extra panenský olivový olej, fľaša 750 ml", "Ergonomická kancelárska stolička s bedrovou opierkou", "Súprava 6 pohárov z tvrdeného skla", "Nepremokavý batoh 25 l"],
"ro": ["Pulover din lână merinos, bleumarin, mărimea M", "Ulei de măsline extravirgin, sticlă de 750 ml", "Scaun de birou ergonomic cu suport lombar", "Set de 6 pahare din sticlă călită", "Rucsac impermeabil de 25 de litri"],
"hu": ["Merinó gyapjú pulóver, sötétkék, M méret", "Extra szűz olívaolaj, 750 ml-es üveg", "Ergonomikus irodai szék deréktámasszal", "6 darabos edzett üvegpohár készlet", "Vízálló hátizsák, 25 literes"],
"el": ["Πουλόβερ από μαλλί merino, μπλε σκούρο, μέγεθος M", "Εξαιρετικό παρθένο ελαιόλαδο, φιάλη 750 ml", "Εργονομική καρέκλα γραφείου με οσφυϊκή στήριξη", "Σετ 6 ποτηριών από σκληρυμένο γυαλί", "Αδιάβροχο σακίδιο 25 λίτρων"],
"hr": ["Džemper od merino vune, tamnoplavi, vel. M", "Ekstra djevičansko maslinovo ulje, boca 750 ml", "Ergonomska uredska stolica s lumbalnom potporom", "Set od 6 čaša od kaljenog stakla", "Vodootporni ruksak od 25 litara"],
"sl": ["Pulover iz merino volne, temno modra, vel. M", "Ekstra deviško oljčno olje, steklenica 750 ml", "Ergonomski pisarniški stol z ledveno oporo", "Komplet 6 kozarcev iz kaljenega stekla", "Nepremočljiv nahrbtnik, 25 litrov"],
"lt": ["Merino vilnos megztinis, tamsiai mėlynas, M dydis", "Ypač tyras alyvuogių aliejus, 750 ml butelis", "Ergonominė biuro kėdė su juosmens atrama", "6 grūdinto stiklo stiklinių rinkinys", "Neperšlampama 25 litrų kuprinė"],
"lv": ["Merino vilnas džemperis, tumši zils, izmērs M", "Ekstra neapstrādāta olīveļļa, 750 ml pudele", "Ergonomisks biroja krēsls ar jostasvietas atbalstu", "6 rūdīta stikla glāžu komplekts", "Ūdensnecaurlaidīga mugursoma, 25 litri"],
"et": ["Meriinovillast kampsun, tumesinine, suurus M", "Ekstra-neitsioliiviõli, 750 ml pudel", "Ergonoomiline kontoritool nimmetoega", "6 karastatud klaasist joogiklaasi komplekt", "Veekindel seljakott, 25 liitrit"],
"nl": ["Trui in merinowol, marineblauw, maat M", "Extra vierge olijfolie, fles van 750 ml", "Ergonomische bureaustoel met lendensteun", "Set van 6 glazen in gehard glas", "Waterdichte rugzak van 25 liter"],
"fr": ["Pull en laine mérinos, bleu marine, taille M", "Huile d'olive vierge extra, bouteille de 750 ml", "Chaise de bureau ergonomique avec soutien lombaire", "Lot de 6 verres en verre trempé", "Sac à dos imperméable de 25 litres"],
"it": ["Maglione in lana merino, blu navy, taglia M", "Olio extravergine d'oliva, bottiglia da 750 ml", "Sedia da ufficio ergonomica con supporto lombare", "Set di 6 bicchieri in vetro temperato", "Zaino impermeabile da 25 litri"],
"es": ["Suéter de lana merino, azul marino, talle M", "Aceite de oliva extra virgen, botella de 750 ml", "Silla de oficina ergonómica con soporte lumbar", "Juego de 6 vasos de vidrio templado", "Mochila impermeable de 25 litros"],
"en": ["Merino wool sweater, navy, size M", "Extra virgin olive oil, 750 ml bottle", "Ergonomic office chair with lumbar support", "Set of 6 tempered glass tumblers", "Waterproof 25-litre backpack"],
}


def plain_cell():
    lp = nlp()
    r = R.random()
    if r < 0.5:
        n = 1 if chance(0.6) else 2
        return note_col(lp), " ".join(R.sample(PLAIN[lp.lang], n))
    if r < 0.68:
        return pick([colname(lp.w["city"]), "city"]), city(lp)
    if r < 0.8:
        return pick([colname(lp.w["company"]), "company", "supplier_name"]), pick(COMPANIES[lp.lang])
    if r < 0.95:
        return pick(["product_description", "descricao_produto", "title", "item"]), pick(PRODUCTS[lp.lang])
    return pick(["status", "state"]), pick(["OK", "Pago", "Betalt", "Maksettu", "Zaplaceno", "Plătit", "Kifizetve", "Εξοφλήθηκε", "Plaćeno", "Apmokėta",
                                             "Samaksāts", "Makstud", "Betaald", "Payé", "Pagato", "Pagado", "Paid", "Shipped", "Enviado"])


# ---------------------------------------------------------------------------
# Registry and driver
# ---------------------------------------------------------------------------

def pp_bare():
    p = Person(pick(ALL_ORIGINS + ["sg", "in"]))
    lp = lp_of(p.origin)
    return pick(COLS[lp.lang]["passport"] + ["passport_no"]), L("passport", gen_passport(region_of(p)))


def dl_bare():
    p = Person(pick(ALL_ORIGINS))
    lp = lp_of(p.origin)
    return pick(COLS[lp.lang]["dl"] + ["driving_licence_no"]), L("drivers_licence", gen_dl(region_of(p)))


def pem_bare():
    return pick(["private_key", "private_key_pem", "ssh_private_key", "tls_key"]), L("private_key", gen_pem())


GEN = {
    "email": (email_ctx, email_bare), "phone": (phone_ctx, phone_bare), "street_address": (addr_ctx, addr_bare),
    "date_of_birth": (dob_ctx, dob_bare), "credit_card": (card_ctx, card_bare), "iban": (iban_ctx, iban_bare),
    "ipv4": (lambda: ip_ctx("ipv4"), lambda: ip_bare("ipv4")), "ipv6": (lambda: ip_ctx("ipv6"), lambda: ip_bare("ipv6")),
    "mac_address": (mac_ctx, mac_bare),
    "aws_access_key": (aws_ctx, simple_bare("aws_access_key", ["aws_access_key_id", "access_key", "aws_key_id"], gen_aws_key)),
    "github_token": (gh_ctx, simple_bare("github_token", ["github_token", "gh_token", "ci_token", "git_token"], gen_github)),
    "slack_token": (slack_ctx, simple_bare("slack_token", ["slack_bot_token", "slack_webhook_url", "slack_token"], gen_slack)),
    "stripe_key": (stripe_ctx, simple_bare("stripe_key", ["stripe_secret_key", "stripe_key", "payment_api_key"], gen_stripe)),
    "google_api_key": (google_ctx, simple_bare("google_api_key", ["google_api_key", "maps_api_key", "firebase_api_key"], gen_google_key)),
    "jwt": (jwt_ctx, simple_bare("jwt", ["access_token", "id_token", "jwt", "session_token"], gen_jwt)),
    "private_key": (pem_ctx, pem_bare), "url_credentials": (url_ctx, url_bare), "high_entropy_secret": (hes_ctx, hes_bare),
    "eu_vat": (vat_ctx, vat_bare), "br_cnpj": (cnpj_ctx, cnpj_bare),
    "passport": (ID_SPECS["passport"].context, pp_bare), "drivers_licence": (ID_SPECS["drivers_licence"].context, dl_bare),
}
for _T, _s in ID_SPECS.items():
    if _T not in GEN:
        GEN[_T] = (_s.context, _s.bare)

# types that appear as side values of other cells are generated last
ORDER = [t for t in ENTITY_TYPES if SIDE_CAP[t] == 0 and t != "person_name"]
ORDER += sorted([t for t in ENTITY_TYPES if SIDE_CAP[t] > 0], key=lambda t: SIDE_CAP[t])
N_HARD = 2650
N_PLAIN = 1100


def generate_type(t):
    ctx, bare = GEN[t]
    target = TARGET[t]
    n_bare = round(target / 3)
    made_bare = 0
    while COUNT[t] < target:
        need = target - COUNT[t]
        left_bare = n_bare - made_bare
        if left_bare > 0 and (chance(0.38) or need <= left_bare):
            col, fr = bare()
            emit(col, fr, bare=True)
            made_bare += 1
        else:
            col, fr = ctx()
            if not any(typ == t for _, typ in F(fr).parts):
                continue
            emit(col, fr)


def generate():
    for t in ORDER:
        generate_type(t)
    for _ in range(320):
        col, fr = name_bare()
        emit(col, fr, bare=True)
    for _ in range(160):
        col, fr = name_ctx()
        emit(col, fr)
    for kind, n, make in (("hard_negative", N_HARD, lambda: pick(HARD_SHAPES)()), ("plain_negative", N_PLAIN, plain_cell)):
        made = tries = 0
        while made < n:
            col, text = make()
            tries += 1
            if emit(col, text, kind=kind, unique=tries < 50 * n):
                made += 1


# ---------------------------------------------------------------------------
# Label re-validation
# ---------------------------------------------------------------------------

def phone_ok(s):
    t = s.strip()
    if t.startswith("(+"):
        t = "+" + t[2:].replace(")", " ", 1)
    if t.startswith("00"):
        t = "+" + t[2:]
    if t.startswith("+"):
        try:
            return phonenumbers.is_valid_number(phonenumbers.parse(t, None))
        except phonenumbers.NumberParseException:
            return False
    if re.fullmatch(r"\d{10,15}", t):
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse("+" + t, None)):
                return True
        except phonenumbers.NumberParseException:
            pass
    for reg in PHONE_REGIONS:
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(t, reg)):
                return True
        except phonenumbers.NumberParseException:
            continue
    return False


CARD_PREFIXES = ["4", "51", "52", "53", "54", "55", "34", "37", "6011", "644", "645", "646", "647", "648", "649", "65", "30", "36", "38", "39",
                 "5018", "5020", "5038", "6304", "6759", "6761", "6762", "6763", "62", "60", "81", "82", "508", "636", "504175", "5067", "5019",
                 "6703", "9792", "5060", "5061", "650"] + [str(x) for x in range(2200, 2205)] + [str(x) for x in range(2221, 2721)] + [str(x) for x in range(3528, 3590)]


def card_like(d):
    return 13 <= len(d) <= 19 and luhn.is_valid(d) and any(d.startswith(p) for p in CARD_PREFIXES)


def _jwt_ok(s):
    parts = s.split(".")
    if len(parts) != 3:
        return False
    try:
        h = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
        return "alg" in h
    except Exception:
        return False


def _cmp(s):
    return re.sub(r"[\s.\-/]", "", s)


VALIDATE = {
    "email": lambda s: re.fullmatch(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", s),
    "phone": phone_ok,
    "credit_card": lambda s: re.fullmatch(r"[\d -]+", s) and card_like(re.sub(r"[ -]", "", s)),
    "iban": lambda s: std_iban.is_valid(s),
    "us_ssn": lambda s: re.fullmatch(r"\d{3}[- ]?\d{2}[- ]?\d{4}", s) and s[:3] not in ("000", "666") and s[0] != "9"
                        and re.sub(r"\D", "", s)[3:5] != "00" and re.sub(r"\D", "", s)[5:] != "0000",
    "ipv4": lambda s: ipaddress.IPv4Address(s),
    "ipv6": lambda s: ipaddress.IPv6Address(s),
    "mac_address": lambda s: re.fullmatch(r"([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}", s),
    "date_of_birth": lambda s: re.search(r"\d", s) and len(s) <= 40 and re.search(r"(19|20)\d\d|\b\d{2}\b|[A-Z]{3}\d\d", s),
    "passport": lambda s: re.fullmatch(r"[A-Z0-9]{6,10}", s),
    "drivers_licence": lambda s: re.fullmatch(r"[A-Z0-9][A-Z0-9 \-]{4,18}[A-Z0-9]", s),
    "street_address": lambda s: re.search(r"\d", s) and re.search(r"[^\W\d_]{2}", s) and len(s) < 100 and "\n" not in s,
    "person_name": lambda s: not re.search(r"[\d@\n:]", s) and 2 <= len(s) < 80,
    "aws_access_key": lambda s: re.fullmatch(r"(AKIA|ASIA)[A-Z2-7]{16}", s),
    "github_token": lambda s: re.fullmatch(r"gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82}", s),
    "slack_token": lambda s: re.fullmatch(r"xoxb-\d+-\d+-[A-Za-z0-9]+|xoxp-\d+-\d+-\d+-[a-f0-9]{32}|xapp-1-A[A-Z0-9]+-\d+-[a-f0-9]{64}|"
                                         r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{24}", s),
    "stripe_key": lambda s: re.fullmatch(r"(sk|rk|pk)_(live|test)_[A-Za-z0-9]{24,}", s),
    "google_api_key": lambda s: re.fullmatch(r"AIza[0-9A-Za-z_\-]{35}", s),
    "jwt": _jwt_ok,
    "private_key": lambda s: s.startswith("-----BEGIN ") and s.endswith("PRIVATE KEY-----") and "-----END " in s,
    "url_credentials": lambda s: re.fullmatch(r"[a-z][a-z0-9+.\-]*://[^\s:/@]*:[^\s@/]+@\S+", s),
    "high_entropy_secret": lambda s: len(s) >= 14 and not re.search(r"\s", s),
    "uk_nhs_number": lambda s: std_nhs.is_valid(re.sub(r"[\s-]", "", s)),
    "uk_nino": nino_valid,
    "de_tax_id": lambda s: std_idnr.is_valid(_cmp(s)),
    "fr_nir": lambda s: std_nir.is_valid(_cmp(s)),
    "es_dni": lambda s: std_dni.is_valid(_cmp(s)),
    "es_nie": lambda s: std_nie.is_valid(_cmp(s)),
    "it_fiscal_code": lambda s: std_cf.is_valid(_cmp(s)),
    "nl_bsn": lambda s: std_bsn.is_valid(_cmp(s)),
    "se_personnummer": lambda s: std_pnr.is_valid(s),
    "pl_pesel": lambda s: std_pesel.is_valid(_cmp(s)),
    "in_aadhaar": lambda s: std_aadhaar.is_valid(_cmp(s)),
    "in_pan": lambda s: std_pan.is_valid(_cmp(s)),
    "au_tfn": lambda s: std_tfn.is_valid(_cmp(s)),
    "au_medicare": medicare_valid,
    "ca_sin": lambda s: std_sin.is_valid(_cmp(s)),
    "br_cpf": lambda s: std_cpf.is_valid(_cmp(s)),
    "br_cnpj": lambda s: std_cnpj.is_valid(_cmp(s)),
    "sg_nric": nric_valid,
    "eu_vat": lambda s: std_vat.is_valid(_cmp(s)),
}

# Patterns that must never occur outside a labelled span (completeness lint).
LINT_ALL = [
    ("email", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")),
    ("aws", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z2-7]{16}(?![A-Z0-9])")),
    ("github", re.compile(r"gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{20,}")),
    ("slack", re.compile(r"xox[abpe]-\d[0-9A-Za-z-]{10,}|xapp-\d-[A-Z0-9]+-\d+-[a-f0-9]+|hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+")),
    ("stripe", re.compile(r"[spr]k_(?:live|test)_[A-Za-z0-9]{20,}")),
    ("google", re.compile(r"AIza[0-9A-Za-z_\-]{35}")),
    ("jwt", re.compile(r"eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")),
    ("pem", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("urlcred", re.compile(r"[a-z][a-z0-9+.-]*://[^\s:/@$]*:[^\s@/${]+@")),
]
LINT_POS = [
    ("ipv4", re.compile(r"(?<![\w/.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])")),
    ("mac", re.compile(r"(?<![0-9A-Fa-f:-])(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}(?![0-9A-Fa-f:-])")),
]
IBAN_CAND = re.compile(r"(?<![A-Z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Z0-9])")
CARD_CAND = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")


def check_labels(cells):
    errors = []
    for i, c in enumerate(cells):
        text, ents = c["text"], c["entities"]
        b = text.encode("utf-8")
        spans = []
        last_end = -1
        for e in sorted(ents, key=lambda e: e["start"]):
            if e["type"] not in ENTITY_TYPES:
                errors.append((i, "unknown type", e))
                continue
            if e["start"] < last_end:
                errors.append((i, "overlap", e))
            last_end = e["end"]
            try:
                s = b[e["start"]:e["end"]].decode("utf-8")
                char_start = len(b[:e["start"]].decode("utf-8"))
            except UnicodeDecodeError:
                errors.append((i, "offset splits a character", e))
                continue
            if not s or s != s.strip():
                errors.append((i, "empty or padded span", e, s))
            try:
                ok = VALIDATE[e["type"]](s)
            except Exception:
                ok = False
            if not ok:
                errors.append((i, "invalid %s" % e["type"], s))
            spans.append((char_start, char_start + len(s)))
        if (c["kind"] == "positive") != bool(ents):
            errors.append((i, "kind/entities mismatch", c["kind"]))

        def covered(a, z):
            return any(s0 <= a and z <= s1 for s0, s1 in spans)
        lints = LINT_ALL + (LINT_POS if c["kind"] == "positive" else [])
        for name, rx in lints:
            for m in rx.finditer(text):
                if name == "ipv4":
                    try:
                        ipaddress.IPv4Address(m.group(0))
                    except ValueError:
                        continue
                if covered(m.start(), m.end()):
                    continue
                if name == "email" and covered(m.start(), m.start() + m.group(0).index("@")):
                    continue  # token used as URL user name: "https://<token>@host"
                errors.append((i, "unlabelled %s" % name, m.group(0)[:60], text[:120]))
        for m in IBAN_CAND.finditer(text):
            if std_iban.is_valid(m.group(0)) and not covered(m.start(), m.end()):
                errors.append((i, "unlabelled iban", m.group(0), text[:120]))
        if c["kind"] == "positive":
            for m in CARD_CAND.finditer(text):
                d = re.sub(r"\D", "", m.group(0))
                if card_like(d) and not covered(m.start(), m.end()):
                    errors.append((i, "unlabelled card-like number", m.group(0), text[:120]))
    if errors:
        for e in errors[:60]:
            print("LABEL ERROR:", e, file=sys.stderr)
        raise SystemExit("check_labels: %d errors" % len(errors))


def main():
    generate()
    R.shuffle(CELLS)
    check_labels(CELLS)
    with open(OUT, "w", encoding="utf-8") as fh:
        for c in CELLS:
            fh.write(json.dumps(c, ensure_ascii=False) + "\n")
    print("wrote %d cells to %s" % (len(CELLS), OUT))
    print("kinds:", dict(KIND))
    for t in ENTITY_TYPES:
        print("  %-20s %5d  (bare %d)" % (t, COUNT[t], BARE[t]))


if __name__ == "__main__":
    main()
