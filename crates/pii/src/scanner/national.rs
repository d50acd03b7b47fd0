//! National identifiers and VAT numbers, each validated by its issuer's
//! checksum or structure ([`crate::validate`]).
//!
//! * Digit-only numbers (NHS, Steuer-IdNr, NIR, BSN, personnummer, PESEL,
//!   Aadhaar, TFN, Medicare, SIN, CPF, CNPJ, and the DNI, whose letter
//!   follows its digits) come from the numeric spans of
//!   [`super::numbers`]: no extra pass over the cell.
//! * Numbers that start with a letter (NINO, NIE, NRIC/FIN, PAN, codice
//!   fiscale, VAT numbers) come from one pass over the cell's tokens, run
//!   only when the cell has an upper-case letter and 4 digits (or 12
//!   upper-case letters, for a codice fiscale whose digits are letters).
//!
//! A bare run of digits that only a checksum tells apart (9 digits: BSN,
//! SIN, TFN; 10: NHS, Medicare; 11: Steuer-IdNr, PESEL, CPF; 12: Aadhaar)
//! is as likely an order number, a phone or another country's id: it gets
//! a low confidence (below the default threshold) that a context word of
//! its type in the cell, or a column named after it, lifts. A product,
//! order or document word before it, or such a column, caps it at 0.2
//! unless its own context is there (so are a personnummer's `YYMMDD-NNNC`,
//! which a date and time also fit). Distinctive layouts (`123.456.789-09`,
//! `12.345.678/0001-95`, `QQ 12 34 56 C`-style NINOs, a codice fiscale,
//! prefixed VAT numbers) stand on their own.

use super::numbers::NumericSpan;
use super::{CellContext, Scanner, exhaustive, is_alnum};
use crate::entity::EntityType::{self, *};
use crate::names::{is_first_name, is_last_name};
use crate::validate::{
    VatCheck, au_medicare_valid, au_tfn_valid, br_cnpj_valid, br_cpf_valid, ca_sin_valid,
    de_tax_id_valid, es_dni_valid, es_nie_valid, eu_vat_check, fr_nir_valid, in_aadhaar_valid,
    in_pan_valid, it_fiscal_code_valid, it_vat_valid, nl_bsn_valid, pl_nip_valid, pl_pesel_valid,
    se_personnummer_valid, sg_nric_valid, uk_nhs_valid, uk_nino_valid, vat_body_lengths,
    vat_checked_country,
};

/// Raise for a context word of the type in the cell.
const CELL: f64 = 0.55;
/// Raise for a column named after the type.
const COLUMN: f64 = 0.6;
/// Raise for a column named after a tax or national id of no named country.
const GENERIC_COLUMN: f64 = 0.3;
/// Cap under a product, order or document word or column.
const IDENTIFIER_CAP: f64 = 0.2;

/// The types found in numeric spans.
pub(super) const DIGIT_TYPES: u64 = UkNhsNumber.bit()
    | DeTaxId.bit()
    | FrNir.bit()
    | EsDni.bit()
    | NlBsn.bit()
    | SePersonnummer.bit()
    | PlPesel.bit()
    | InAadhaar.bit()
    | AuTfn.bit()
    | AuMedicare.bit()
    | CaSin.bit()
    | BrCpf.bit()
    | BrCnpj.bit()
    | EuVat.bit();

/// The types that start with a letter.
pub(super) const LETTER_TYPES: u64 =
    UkNino.bit() | EsNie.bit() | ItFiscalCode.bit() | InPan.bit() | SgNric.bit() | EuVat.bit();

/// Whether some national layout has `d` digits in `groups` groups (bit k
/// of row d: k groups), before a span's groups are looked at.
#[inline]
pub(super) fn national_layout_possible(d: usize, groups: usize) -> bool {
    const fn bits(counts: &[usize]) -> u16 {
        let mut m = 0;
        let mut i = 0;
        while i < counts.len() {
            m |= 1 << counts[i];
            i += 1;
        }
        m
    }
    const BY_DIGITS: [u16; 16] = [
        0,
        0,
        0,
        0,
        0,
        0,
        bits(&[1]),          // YYMMDD(+NNNC)
        0,                   //
        bits(&[1, 3]),       // TFN
        bits(&[1, 3]),       // BSN, SIN, TFN
        bits(&[1, 2, 3, 4]), // NHS, Medicare, personnummer, NIP
        bits(&[1, 4]),       // Steuer-IdNr, PESEL, CPF, Medicare, partita IVA
        bits(&[1, 2, 3]),    // Aadhaar, personnummer
        0,                   //
        bits(&[1, 5]),       // CNPJ
        bits(&[1, 2, 7]),    // NIR
    ];
    d < 16 && groups < 16 && BY_DIGITS[d] & (1 << groups) != 0
}

/// The confidence of a valid `e` at `s..end` whose shape alone earns `base`:
/// raised by its context words in the cell or its column, or by a generic
/// tax-id column; capped after a product/order/document word or in such a
/// column when it has no context of its own.
#[inline]
fn confidence(ctx: &CellContext<'_>, e: EntityType, s: usize, end: usize, base: f64) -> f64 {
    let col = ctx.column;
    let in_col = col.has(e);
    let in_cell = ctx.in_cell(e, s, end);
    if in_col || in_cell {
        let mut c = base;
        if in_col {
            c += COLUMN;
        }
        if in_cell {
            c += if in_col { CELL / 2.0 } else { CELL };
        }
        return c.min(0.99);
    }
    if ctx.names_an_identifier(s) {
        return base.min(IDENTIFIER_CAP);
    }
    if col.national {
        return (base + GENERIC_COLUMN).min(0.99);
    }
    if PERSONAL_IDS & e.bit() != 0 && after_a_name(ctx.text.as_bytes(), s) {
        return base + AFTER_A_NAME;
    }
    base
}

/// The digit-only ids that [`after_a_name`] raises: a person's, with a
/// checksum and (but for the DNI's letter) a structure that few other
/// numbers of their length pass. The 9- and 10-digit ones (BSN, SIN, TFN,
/// NHS, Medicare) pass each other's checks too often to be told apart
/// without a word.
const PERSONAL_IDS: u64 = DeTaxId.bit()
    | FrNir.bit()
    | EsDni.bit()
    | SePersonnummer.bit()
    | PlPesel.bit()
    | InAadhaar.bit()
    | BrCpf.bit();
/// Raise for a personal id written right after a person's name.
const AFTER_A_NAME: f64 = 0.25;

/// Whether the value at `s` follows a name: two or three capitalised words,
/// one of them in the bundled name lists, and a separator (`Karl Holst (960323-1557)`, `Thomas Pereira -
/// 18277820488`, `Helmer Nilsson, 198712191983`, `Pascal Mottiez — 1040…`),
/// as a person's id follows their name in a list or a record.
fn after_a_name(b: &[u8], s: usize) -> bool {
    // the separator: spaces and at most one of ( - , : · — (2-3 bytes)
    let mut i = s;
    let mut marks = 0;
    while i > 0 && s - i < 6 {
        match b[i - 1] {
            b' ' => i -= 1,
            b'(' | b'-' | b',' | b':' => {
                marks += 1;
                i -= 1;
            }
            0x80..=0xBF if i >= 2 && b[..i].ends_with("·".as_bytes()) => {
                marks += 1;
                i -= 2;
            }
            0x80..=0xBF if b[..i].ends_with("—".as_bytes()) || b[..i].ends_with("–".as_bytes()) =>
            {
                marks += 1;
                i -= 3;
            }
            _ => break,
        }
    }
    if i == s || marks > 1 {
        return false;
    }
    // two or three words of letters, each capitalised, separated by one
    // space, one of them a known first or last name
    let mut words = 0;
    let mut known = false;
    loop {
        let end = i;
        while i > 0 && (b[i - 1].is_ascii_alphabetic() || b[i - 1] >= 0x80 || b[i - 1] == b'\'') {
            i -= 1;
        }
        let word = &b[i..end];
        let capitalised = word.len() >= 2
            && (word[0].is_ascii_uppercase() || word[0] >= 0xC3)
            && word[1..]
                .iter()
                .any(|c| c.is_ascii_lowercase() || *c >= 0x80);
        if !capitalised {
            return words >= 2 && known;
        }
        known =
            known || std::str::from_utf8(word).is_ok_and(|w| is_first_name(w) || is_last_name(w));
        words += 1;
        if words == 3 || i == 0 || b[i - 1] != b' ' {
            return words >= 2 && known;
        }
        i -= 1;
    }
}

/// The first position from `i` on whose byte is an ASCII upper-case
/// letter, or `b.len()`: eight bytes at a time.
#[inline]
fn next_upper(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = 0x80 * ONES;
    while let Some(w) = b.get(i..i + 8) {
        let w = u64::from_le_bytes(w.try_into().expect("8 bytes"));
        let low = w & !HIGH;
        // 'A'..='Z': at least 0x41 and below 0x5B, and ASCII
        let m = (low + (0x80 - 0x41) * ONES) & !(low + (0x80 - 0x5B) * ONES) & !w & HIGH;
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && !b[i].is_ascii_uppercase() {
        i += 1;
    }
    i
}

/// Whether the token `i..j` (upper-case first) can start a letter-bearing
/// id: every one has a digit among its first 7 characters (NINO at 2,
/// NIE and NRIC at 1, PAN at 5, codice fiscale at 6, VAT at 2-4), or a
/// prefix of 1-2 letters is followed by a space or hyphen and then a digit
/// or a letter and a digit within 3 bytes ("AB 12 34 56 C", "X-1234567-L",
/// "DE 123456789", "AT U13585627", "FR XX123456789"), or (a codice fiscale
/// whose digits are all letters) it has 16 characters. A necessary
/// condition: the tests check that skipping on it changes no finding.
#[inline]
fn may_start_id(b: &[u8], i: usize, j: usize) -> bool {
    let len = j - i;
    if len <= 2 {
        if !matches!(b.get(j), Some(b' ' | b'-')) {
            return false;
        }
        return match b.get(j + 1) {
            Some(c) if c.is_ascii_digit() => true,
            Some(c) if c.is_ascii_uppercase() => {
                b[j + 2..b.len().min(j + 5)].iter().any(u8::is_ascii_digit)
            }
            _ => false,
        };
    }
    len == 16 || b[i + 1..j.min(i + 7)].iter().any(u8::is_ascii_digit)
}

/// Reads `n` ASCII letters and digits from `i` on into `out`, allowing one
/// byte of `seps` between two of them. Returns where the last one ends and
/// how many separators were read, when the value ends there: the next byte
/// is not a letter or digit and, if separators were read, not a separator
/// followed by a digit (the grouped number would go on).
#[inline]
fn read_compact(
    b: &[u8],
    i: usize,
    n: usize,
    seps: &[u8],
    out: &mut [u8; 16],
) -> Option<(usize, usize)> {
    let (mut k, mut got, mut used) = (i, 0, 0);
    while got < n {
        let c = *b.get(k)?;
        if is_alnum(c) {
            out[got] = c;
            got += 1;
        } else if got > 0 && seps.contains(&c) && b.get(k + 1).is_some_and(|&x| is_alnum(x)) {
            used += 1;
        } else {
            return None;
        }
        k += 1;
    }
    if b.get(k).is_some_and(|&c| is_alnum(c)) {
        return None;
    }
    if used > 0
        && b.get(k).is_some_and(|c| seps.contains(c))
        && b.get(k + 1).is_some_and(u8::is_ascii_digit)
    {
        return None;
    }
    Some((k, used))
}

impl Scanner {
    /// Digit-only national numbers in a numeric span that starts with a
    /// digit, is not glued to a word before it and holds 6-15 digits (a
    /// DNI's letter and the 2A/2B of a Corsican NIR may follow it).
    #[inline(never)]
    pub(super) fn national_numbers(
        &self,
        ctx: &CellContext<'_>,
        sp: &NumericSpan,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let b = ctx.text.as_bytes();
        let n = sp.group_count;
        let mut lens_buf = [0usize; 12];
        for (k, l) in lens_buf.iter_mut().zip(&sp.groups[..n]) {
            *k = l.1 - l.0;
        }
        let lens = &lens_buf[..n];
        let seps = &sp.separators[..n - 1];
        let uniform = |c: u8| seps.iter().all(|&s| s == c);
        let mut digits = [0u8; 15];
        let mut d = 0;
        for g in &sp.groups[..n] {
            for &c in &b[g.0..g.1] {
                if d == digits.len() {
                    return;
                }
                digits[d] = c;
                d += 1;
            }
        }
        let dg = &digits[..d];
        let (s, e) = (sp.start, sp.end);
        let on = |t: EntityType| self.is_enabled(t);
        let mut emit = |t: EntityType, end: usize, base: f64| {
            push(t, s, end, confidence(ctx, t, s, end, base));
        };

        if sp.glued_after {
            // DNI: "12345678Z", "12345678-Z", "12.345.678-Z"
            if d == 8 && on(EsDni) && (lens == [8] || (lens == [2, 3, 3] && uniform(b'.'))) {
                let at = if b[e].is_ascii_uppercase() {
                    e
                } else if b[e] == b'-' && b.get(e + 1).is_some_and(u8::is_ascii_uppercase) {
                    e + 1
                } else {
                    return;
                };
                if b.get(at + 1).is_some_and(|&c| is_alnum(c)) {
                    return;
                }
                let mut v = [0u8; 9];
                v[..8].copy_from_slice(dg);
                v[8] = b[at];
                if es_dni_valid(&v) {
                    emit(EsDni, at + 1, if n == 1 { 0.55 } else { 0.7 });
                }
            }
            // NIR of a person born in Corsica: "2 85 05 2A 006 084 82"; the
            // span holds sex, year, month and the 2 of 2A/2B
            if d == 6 && on(FrNir) && matches!(b[e], b'A' | b'B') && b[e - 1] == b'2' {
                let mut v = [0u8; 16];
                if let Some((end, used)) = read_compact(b, s, 15, b" .", &mut v)
                    && fr_nir_valid(&v[..15])
                {
                    emit(FrNir, end, if used > 0 { 0.92 } else { 0.6 });
                }
            }
            return;
        }

        match d {
            // personnummer of someone over 100: "YYMMDD+NNNC"
            6 if lens == [6] && on(SePersonnummer) => {
                let tail = b.get(e + 1..e + 5);
                if b.get(e) == Some(&b'+')
                    && tail.is_some_and(|t| t.iter().all(u8::is_ascii_digit))
                    && !b.get(e + 5).is_some_and(|&c| is_alnum(c))
                {
                    let mut v = [0u8; 10];
                    v[..6].copy_from_slice(dg);
                    v[6..].copy_from_slice(&b[e + 1..e + 5]);
                    if se_personnummer_valid(&v, None) {
                        emit(SePersonnummer, e + 5, 0.5);
                    }
                }
            }
            8 => {
                // DNI with a space before its letter: "12345678 Z" (a number and a
                // word's initial fit it too, so it needs context like a bare number)
                if on(EsDni)
                    && lens == [8]
                    && b.get(e) == Some(&b' ')
                    && b.get(e + 1).is_some_and(u8::is_ascii_uppercase)
                    && !b.get(e + 2).is_some_and(|&c| is_alnum(c))
                {
                    let mut v = [0u8; 9];
                    v[..8].copy_from_slice(dg);
                    v[8] = b[e + 1];
                    if es_dni_valid(&v) {
                        emit(EsDni, e + 2, 0.3);
                    }
                }
                let spaced = lens == [3, 3, 2] && uniform(b' ');
                if on(AuTfn) && (lens == [8] || spaced) && au_tfn_valid(dg) {
                    emit(AuTfn, e, if spaced { 0.35 } else { 0.3 });
                }
            }
            9 => {
                let plain = lens == [9];
                let threes = lens == [3, 3, 3] && (uniform(b' ') || uniform(b'-'));
                let dotted = lens == [4, 2, 3] && uniform(b'.');
                if on(NlBsn) && (plain || threes || dotted) && nl_bsn_valid(dg) {
                    emit(NlBsn, e, if dotted { 0.45 } else { 0.3 });
                }
                if on(CaSin) && (plain || threes) && ca_sin_valid(dg) {
                    emit(CaSin, e, if threes { 0.35 } else { 0.3 });
                }
                if on(AuTfn) && (plain || (threes && uniform(b' '))) && au_tfn_valid(dg) {
                    emit(AuTfn, e, if threes { 0.35 } else { 0.3 });
                }
            }
            10 => {
                let plain = lens == [10];
                let nhs_grouped = lens == [3, 3, 4] && (uniform(b' ') || uniform(b'-'));
                if on(UkNhsNumber) && (plain || nhs_grouped) && uk_nhs_valid(dg) {
                    emit(UkNhsNumber, e, if nhs_grouped { 0.35 } else { 0.3 });
                }
                let medicare_grouped = lens == [4, 5, 1] && uniform(b' ');
                if on(AuMedicare) && (plain || medicare_grouped) && au_medicare_valid(dg) {
                    emit(AuMedicare, e, if medicare_grouped { 0.45 } else { 0.3 });
                }
                // "YYMMDD-NNNC" is also a date and a time or serial number
                // (1 in 10 pass Luhn): it needs context like a bare number
                let dashed = lens == [6, 4] && uniform(b'-');
                if on(SePersonnummer) && (plain || dashed) && se_personnummer_valid(dg, None) {
                    emit(SePersonnummer, e, if dashed { 0.45 } else { 0.3 });
                }
                // a Polish NIP without its PL prefix: only with VAT/NIP context
                let nip = (lens == [3, 3, 2, 2] || lens == [3, 2, 2, 3]) && uniform(b'-');
                if on(EuVat) && (plain || nip) && pl_nip_valid(dg) {
                    emit(EuVat, e, 0.3);
                }
            }
            11 => {
                let plain = lens == [11];
                let de_grouped = lens == [2, 3, 3, 3] && uniform(b' ');
                if on(DeTaxId) && (plain || de_grouped) && de_tax_id_valid(dg) {
                    emit(DeTaxId, e, if de_grouped { 0.4 } else { 0.3 });
                }
                if on(PlPesel) && plain && pl_pesel_valid(dg) {
                    emit(PlPesel, e, 0.3);
                }
                let cpf_formatted = lens == [3, 3, 3, 2] && seps == [b'.', b'.', b'-'];
                if on(BrCpf) && (plain || cpf_formatted) && br_cpf_valid(dg) {
                    emit(BrCpf, e, if cpf_formatted { 0.85 } else { 0.3 });
                }
                let medicare_grouped = lens == [4, 5, 1, 1] && uniform(b' ');
                if on(AuMedicare) && (plain || medicare_grouped) && au_medicare_valid(dg) {
                    emit(AuMedicare, e, if medicare_grouped { 0.45 } else { 0.3 });
                }
                // an Italian partita IVA without its IT prefix: only with VAT/IVA context
                if on(EuVat) && plain && it_vat_valid(dg) {
                    emit(EuVat, e, 0.3);
                }
            }
            12 => {
                let plain = lens == [12];
                let grouped = lens == [4, 4, 4] && (uniform(b' ') || uniform(b'-'));
                if on(InAadhaar) && (plain || grouped) && in_aadhaar_valid(dg) {
                    emit(InAadhaar, e, if grouped { 0.45 } else { 0.3 });
                }
                let dashed = lens == [8, 4] && uniform(b'-');
                if on(SePersonnummer) && (plain || dashed) {
                    let century = (dg[0] - b'0') as u32 * 10 + (dg[1] - b'0') as u32;
                    if se_personnummer_valid(&dg[2..], Some(century)) {
                        emit(SePersonnummer, e, if dashed { 0.45 } else { 0.3 });
                    }
                }
            }
            14 => {
                let formatted = lens == [2, 3, 3, 4, 2] && seps == [b'.', b'.', b'/', b'-'];
                if on(BrCnpj) && (lens == [14] || formatted) && br_cnpj_valid(dg) {
                    emit(BrCnpj, e, if formatted { 0.9 } else { 0.4 });
                }
            }
            15 => {
                let formatted = lens == [1, 2, 2, 2, 3, 3, 2] && (uniform(b' ') || uniform(b'.'));
                let keyed = lens == [13, 2] && uniform(b' ');
                if on(FrNir) && (lens == [15] || formatted || keyed) && fr_nir_valid(dg) {
                    // The grouped layout is the NIR's own: it beats a legacy
                    // 15-digit JCB card (1800, 2131: men born in 1980,
                    // women born in 1913) whose Luhn it may also pass. Bare,
                    // 1 and 2 (men, women) are the common first digits, the
                    // others provisional numbers.
                    let base = if formatted {
                        0.92
                    } else if matches!(dg[0], b'1' | b'2') {
                        0.45
                    } else {
                        0.35
                    };
                    emit(FrNir, e, base);
                }
            }
            _ => {}
        }
    }

    /// National numbers and VAT numbers that start with an upper-case
    /// letter: one pass over the cell's tokens (runs of ASCII letters and
    /// digits).
    #[inline(never)]
    pub(super) fn letter_ids(
        &self,
        ctx: &CellContext<'_>,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let b = ctx.text.as_bytes();
        let mut i = 0;
        loop {
            i = next_upper(b, i);
            if i >= b.len() {
                return;
            }
            let mut j = i + 1;
            while j < b.len() && is_alnum(b[j]) {
                j += 1;
            }
            // only a token's first letter starts a candidate
            if (i == 0 || !is_alnum(b[i - 1])) && (exhaustive() || may_start_id(b, i, j)) {
                self.letter_token(ctx, i, j, push);
            }
            i = j;
        }
    }

    /// NINOs and PANs typed in lower case (`ab123456c`, `ab 12 34 56 c`,
    /// `abcpe1234f`, as people type them in chats), looked for only where a
    /// NINO or PAN word is in the cell or the column names one: valid ones
    /// get the confidence of a bare number, so only their own context word
    /// or column reports them.
    #[inline(never)]
    pub(super) fn lower_case_ids(
        &self,
        ctx: &CellContext<'_>,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let b = ctx.text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if !b[i].is_ascii_lowercase() || (i > 0 && is_alnum(b[i - 1])) {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < b.len() && is_alnum(b[j]) {
                j += 1;
            }
            let len = j - i;
            let mut v = [0u8; 16];
            if matches!(len, 2 | 9)
                && b[i + 1].is_ascii_lowercase()
                && self.is_enabled(UkNino)
                && let Some((end, _)) = read_compact(b, i, 9, b" ", &mut v)
            {
                v[..9].make_ascii_uppercase();
                if uk_nino_valid(&v[..9]) {
                    push(UkNino, i, end, confidence(ctx, UkNino, i, end, 0.3));
                }
            }
            if len == 10 && self.is_enabled(InPan) {
                v[..10].copy_from_slice(&b[i..j]);
                v[..10].make_ascii_uppercase();
                if in_pan_valid(&v[..10]) {
                    push(InPan, i, j, confidence(ctx, InPan, i, j, 0.3));
                }
            }
            i = j;
        }
    }

    /// The candidates that start at the token `i..j` (upper-case first).
    #[inline]
    fn letter_token(
        &self,
        ctx: &CellContext<'_>,
        i: usize,
        j: usize,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let b = ctx.text.as_bytes();
        let len = j - i;
        let c0 = b[i];
        let second_upper = len >= 2 && b[i + 1].is_ascii_uppercase();
        let on = |t: EntityType| self.is_enabled(t);
        if second_upper && on(EuVat) {
            self.vat(ctx, i, j, push);
        }
        let mut emit = |t: EntityType, end: usize, base: f64| {
            push(t, i, end, confidence(ctx, t, i, end, base));
        };
        let mut v = [0u8; 16];
        // NINO: "AB123456C", "AB 12 34 56 C", "AB 123456 C"
        if second_upper
            && matches!(len, 2 | 4 | 8 | 9)
            && on(UkNino)
            && let Some((end, used)) = read_compact(b, i, 9, b" ", &mut v)
            && uk_nino_valid(&v[..9])
        {
            emit(UkNino, end, if used >= 3 { 0.75 } else { 0.6 });
        }
        // NIE: "X1234567L", "X-1234567-L"
        if matches!(c0, b'X' | b'Y' | b'Z')
            && matches!(len, 1 | 8 | 9)
            && on(EsNie)
            && let Some((end, _)) = read_compact(b, i, 9, b"- ", &mut v)
            && es_nie_valid(&v[..9])
        {
            emit(EsNie, end, 0.7);
        }
        let token = &b[i..j];
        if len == 9 && matches!(c0, b'S' | b'T' | b'F' | b'G' | b'M') && on(SgNric) {
            if sg_nric_valid(token) {
                emit(SgNric, j, 0.7);
            }
        } else if len == 10 && on(InPan) {
            if in_pan_valid(token) {
                emit(InPan, j, 0.55);
            }
        } else if len == 16 && on(ItFiscalCode) && it_fiscal_code_valid(token) {
            emit(ItFiscalCode, j, 0.9);
        }
    }

    /// An EU VAT number whose two-letter prefix starts the token `i..j`:
    /// "DE123456789", "DE 123456789", "BE 0123.456.789", "ATU12345678".
    #[inline]
    fn vat(
        &self,
        ctx: &CellContext<'_>,
        i: usize,
        j: usize,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let b = ctx.text.as_bytes();
        let cc = &b[i..i + 2];
        // the body starts with a digit, except AT's U, ES's and FR's letters,
        // or follows a space or hyphen
        let third = b.get(i + 2).copied().unwrap_or(0);
        let may_be_body = third.is_ascii_digit()
            || third == b' '
            || third == b'-'
            || (third.is_ascii_uppercase() && matches!(cc, b"AT" | b"ES" | b"FR"));
        if !(exhaustive() || may_be_body) {
            return;
        }
        let Some(lengths) = vat_body_lengths(cc) else {
            return;
        };
        // the body follows the prefix, or one space or hyphen after it
        let body_start = if j > i + 2 {
            i + 2
        } else if matches!(b.get(j), Some(b' ' | b'-'))
            && b.get(j + 1).is_some_and(|&c| is_alnum(c))
        {
            j + 1
        } else {
            return;
        };
        let mut v = [0u8; 16];
        let (end, check) = if vat_checked_country(cc) {
            // one length; groups may be split by spaces, dots or hyphens
            let len = lengths[0];
            let Some((end, _)) = read_compact(b, body_start, len, b" .-", &mut v) else {
                return;
            };
            (end, eu_vat_check(cc, &v[..len]))
        } else {
            let mut end = body_start;
            while end < b.len() && is_alnum(b[end]) {
                end += 1;
            }
            (end, eu_vat_check(cc, &b[body_start..end]))
        };
        let base = match check {
            Some(VatCheck::Checked) => 0.85,
            Some(VatCheck::ShapeOnly) => 0.4,
            None => return,
        };
        push(EuVat, i, end, confidence(ctx, EuVat, i, end, base));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testgen::{self, Gen};
    use crate::validate;
    use crate::{Finding, ScanConfig};

    fn scan(col: &str, text: &str) -> Vec<Finding> {
        Scanner::default().scan_cell(col, text)
    }

    /// The entity reported over `needle` in `text`, if any (default threshold).
    fn entity_at(col: &str, text: &str, needle: &str) -> Option<EntityType> {
        let s = text.find(needle).expect("needle in text");
        let e = s + needle.len();
        scan(col, text)
            .into_iter()
            .find(|f| f.start < e && s < f.end)
            .map(|f| f.entity)
    }

    /// Whether `col`/`text` yields `e` over exactly `needle`.
    fn finds(col: &str, text: &str, needle: &str, e: EntityType) -> bool {
        let s = text.find(needle).expect("needle in text");
        scan(col, text)
            .iter()
            .any(|f| f.entity == e && f.start == s && f.end == s + needle.len())
    }

    /// Whether a scanner of `e` alone, keeping every candidate, proposes it.
    fn proposed(col: &str, text: &str, e: EntityType) -> bool {
        Scanner::new(ScanConfig {
            min_confidence: 0.0,
            entities: Some(vec![e]),
            ..Default::default()
        })
        .scan_cell(col, text)
        .iter()
        .any(|f| f.entity == e)
    }

    #[test]
    fn a_personal_id_right_after_a_name_is_reported() {
        for (text, value, e) in [
            ("Karl Holst (960323-1557)", "960323-1557", SePersonnummer),
            (
                "Helmer Nilsson, 198712191983, Uppsala",
                "198712191983",
                SePersonnummer,
            ),
            ("Thomas Pereira - 18277820488", "18277820488", BrCpf),
            ("Ágatha Gomes - 60183417275", "60183417275", BrCpf),
            ("Pascal Mottiez — 104022250064636", "104022250064636", FrNir),
            ("Hortensia Ródenas Ruiz (87071947L)", "87071947L", EsDni),
        ] {
            assert!(finds("notes", text, value, e), "{text}");
        }
        for text in [
            "total 18277820488",
            "see the list - 18277820488",
            "ORDER REF - 18277820488",
            "Invoice Total Amount (18277820488)",
        ] {
            assert!(entity_at("notes", text, "18277820488").is_none(), "{text}");
        }
    }

    #[test]
    fn lower_case_ninos_and_pans_need_their_own_context() {
        for (e, value) in [
            (UkNino, "ab123456c"),
            (UkNino, "ab 12 34 56 c"),
            (InPan, "abcpe1234f"),
        ] {
            let word = if e == UkNino {
                "NI number"
            } else {
                "PAN card no"
            };
            let column = if e == UkNino { "nino" } else { "pan" };
            assert!(
                finds("chat", &format!("my {word} {value} thanks"), value, e),
                "{value}"
            );
            assert!(finds(column, value, value, e), "{value}");
            assert!(
                entity_at("chat", &format!("see {value} thanks"), value).is_none(),
                "{value}"
            );
            assert!(
                entity_at("sku", &format!("order {value}"), value).is_none(),
                "{value}"
            );
        }
    }

    /// `s` cut into groups of `sizes` joined by `seps` (one per gap).
    fn group(s: &str, sizes: &[usize], seps: &[&str]) -> String {
        let mut out = String::new();
        let mut k = 0;
        for (i, &n) in sizes.iter().enumerate() {
            if i > 0 {
                out += seps[(i - 1).min(seps.len() - 1)];
            }
            out += &s[k..k + n];
            k += n;
        }
        assert_eq!(k, s.len());
        out
    }

    /// `s` with its last character replaced by the next one of its class.
    fn bad_last(s: &str) -> String {
        let mut b = s.as_bytes().to_vec();
        let c = b.last_mut().unwrap();
        *c = match *c {
            b'9' => b'0',
            b'Z' => b'A',
            x => x + 1,
        };
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn distinctive_formats_stand_on_their_own() {
        let mut g = Gen(1);
        for _ in 0..100 {
            let cpf = group(&testgen::cpf(&mut g), &[3, 3, 3, 2], &[".", ".", "-"]);
            assert!(
                finds("notes", &format!("cliente {cpf}"), &cpf, BrCpf),
                "{cpf}"
            );
            let cnpj = group(
                &testgen::cnpj(&mut g),
                &[2, 3, 3, 4, 2],
                &[".", ".", "/", "-"],
            );
            assert!(finds(
                "notes",
                &format!("empresa {cnpj} ltda"),
                &cnpj,
                BrCnpj
            ));
            let nino = testgen::nino(&mut g);
            let spaced = group(&nino, &[2, 2, 2, 2, 1], &[" "]);
            assert!(finds(
                "notes",
                &format!("record {spaced}."),
                &spaced,
                UkNino
            ));
            assert!(finds("notes", &nino, &nino, UkNino));
            let nir = group(&testgen::nir(&mut g, false), &[1, 2, 2, 2, 3, 3, 2], &[" "]);
            assert!(finds("notes", &format!("n° {nir}"), &nir, FrNir), "{nir}");
            let corsica = testgen::nir(&mut g, true);
            let corsica_spaced = group(&corsica, &[1, 2, 2, 2, 3, 3, 2], &[" "]);
            assert!(finds("notes", &corsica_spaced, &corsica_spaced, FrNir));
            assert!(finds("notes", &format!("{corsica};"), &corsica, FrNir));
            let dni = testgen::dni(&mut g);
            assert!(finds("notes", &dni, &dni, EsDni));
            let dni_dotted = format!("{}-{}", group(&dni[..8], &[2, 3, 3], &["."]), &dni[8..]);
            assert!(
                finds("notes", &dni_dotted, &dni_dotted, EsDni),
                "{dni_dotted}"
            );
            let nie = testgen::nie(&mut g);
            assert!(finds("notes", &nie, &nie, EsNie));
            let nie_dashed = group(&nie, &[1, 7, 1], &["-"]);
            assert!(finds("notes", &nie_dashed, &nie_dashed, EsNie));
            for omocodia in [false, true] {
                let cf = testgen::codice_fiscale(&mut g, omocodia);
                assert!(
                    finds("notes", &format!("CF {cf}"), &cf, ItFiscalCode),
                    "{cf}"
                );
                assert!(finds("anagrafica", &cf, &cf, ItFiscalCode));
            }
            let nric = testgen::nric(&mut g);
            assert!(finds("notes", &nric, &nric, SgNric), "{nric}");
            let pan = testgen::pan(&mut g);
            assert!(finds("notes", &pan, &pan, InPan), "{pan}");
            for cc in testgen::VAT_CHECKED {
                let vat = testgen::vat(&mut g, cc);
                assert!(finds("notes", &format!("{vat} GmbH"), &vat, EuVat), "{vat}");
                let spaced = format!("{} {}", &vat[..2], &vat[2..]);
                assert!(finds("notes", &spaced, &spaced, EuVat), "{spaced}");
            }
        }
        // the forms people write
        assert!(finds(
            "notes",
            "CPF 123.456.789-09",
            "123.456.789-09",
            BrCpf
        ));
        let cnpj = "12.345.678/0001-95";
        assert!(finds("notes", cnpj, cnpj, BrCnpj));
        assert!(finds("notes", "NIE X-1234567-L", "X-1234567-L", EsNie));
        assert!(finds("notes", "DNI 12345678Z", "12345678Z", EsDni));
        assert!(finds(
            "notes",
            "RSSMRA85T10A562S",
            "RSSMRA85T10A562S",
            ItFiscalCode
        ));
        assert!(finds("notes", "UID ATU13585627", "ATU13585627", EuVat));
        let be = "BE 0123.456.749";
        assert_eq!(
            validate::eu_vat_check(b"BE", b"0123456749"),
            Some(VatCheck::Checked)
        );
        assert!(finds("notes", be, be, EuVat));
    }

    /// The real-world layouts of numbers only a checksum tells apart, in
    /// a sentence with their context word, and bare in a named column.
    #[test]
    fn digit_only_numbers_are_found_with_context() {
        type Make = fn(&mut Gen) -> String;
        /// Type, generator, groups, separators, context word, column name.
        type Case = (
            EntityType,
            Make,
            &'static [usize],
            &'static [&'static str],
            &'static str,
            &'static str,
        );
        #[rustfmt::skip]
        let cases: &[Case] = &[
            (UkNhsNumber, testgen::nhs, &[3, 3, 4], &[" "], "NHS number", "nhs_number"),
            (UkNhsNumber, testgen::nhs, &[10], &[], "NHS no.", "nhs"),
            (DeTaxId, testgen::de_tax_id, &[2, 3, 3, 3], &[" "], "Steuer-ID", "steuer_id"),
            (DeTaxId, testgen::de_tax_id, &[11], &[], "Steueridentifikationsnummer:", "steuerid"),
            (NlBsn, testgen::bsn, &[9], &[], "BSN", "bsn"),
            (NlBsn, testgen::bsn, &[4, 2, 3], &["."], "burgerservicenummer", "BSN"),
            (PlPesel, |g| testgen::pesel(g, (1900, 2020)), &[11], &[], "PESEL", "pesel"),
            (InAadhaar, testgen::aadhaar, &[4, 4, 4], &[" "], "Aadhaar", "aadhaar_no"),
            (InAadhaar, testgen::aadhaar, &[12], &[], "aadhar card", "aadhaarNumber"),
            (AuTfn, testgen::tfn, &[3, 3, 3], &[" "], "TFN", "tfn"),
            (AuTfn, testgen::tfn, &[9], &[], "tax file number", "tax_file_number"),
            (AuMedicare, |g| testgen::medicare(g, false), &[4, 5, 1], &[" "], "Medicare", "medicare_number"),
            (AuMedicare, |g| testgen::medicare(g, true), &[11], &[], "Medicare card", "medicare"),
            (CaSin, testgen::sin, &[3, 3, 3], &[" "], "SIN", "sin"),
            (CaSin, testgen::sin, &[3, 3, 3], &["-"], "social insurance number", "social_insurance_number"),
            (BrCpf, testgen::cpf, &[11], &[], "CPF", "cpf"),
            (BrCnpj, testgen::cnpj, &[14], &[], "CNPJ", "cnpj"),
            (FrNir, |g| testgen::nir(g, false), &[15], &[], "numéro de sécurité sociale", "nir"),
            (FrNir, |g| testgen::nir(g, false), &[13, 2], &[" "], "INSEE", "numero_securite_sociale"),
            (SePersonnummer, testgen::personnummer, &[12], &[], "personnummer", "personnummer"),
            (SePersonnummer, testgen::personnummer, &[8, 4], &["-"], "Personnummer", "pnr"),
            (SePersonnummer, |g| testgen::personnummer(g)[2..].to_string(), &[6, 4], &["-"], "personnr", "personnr"),
        ];
        let mut g = Gen(2);
        for &(e, make, sizes, seps, word, column) in cases {
            for _ in 0..40 {
                let v = group(&make(&mut g), sizes, seps);
                let sentence = format!("{word}: {v}");
                assert!(finds("notes", &sentence, &v, e), "{e}: {sentence:?}");
                assert!(finds(column, &v, &v, e), "{e} in {column}: {v}");
            }
        }
        // a tax-id column of no named country lifts a bare number to the threshold
        let v = testgen::de_tax_id(&mut g);
        assert!(finds("tax_id", &v, &v, DeTaxId));
        // the domestic forms of PL and IT VAT numbers, with their words
        assert!(finds("notes", "NIP 526-000-12-46", "526-000-12-46", EuVat));
        let it = testgen::vat(&mut g, "IT");
        assert!(finds(
            "notes",
            &format!("P.IVA {}", &it[2..]),
            &it[2..],
            EuVat
        ));
        // "YYMMDD+NNNC": over 100 years old
        let p = testgen::personnummer(&mut g);
        let plus = format!("{}+{}", &p[2..8], &p[8..]);
        assert!(
            finds("personnummer", &plus, &plus, SePersonnummer),
            "{plus}"
        );
        let e = EsDni;
        assert!(finds("notes", "D.N.I. 12.345.678-Z", "12.345.678-Z", e));
    }

    /// Bare numbers of the lengths national ids have, with no context:
    /// nothing reaches the default threshold, whatever the checksums say.
    #[test]
    fn bare_numbers_without_context_are_not_reported() {
        let mut g = Gen(3);
        let columns = ["value", "id", "notes", "epoch", "customer_id", "amount"];
        for k in 0..6000 {
            let len = 8 + (k % 8);
            let v = testgen::text(&g.digits(len, (1, 9)));
            let col = columns[k % columns.len()];
            let found = scan(col, &v);
            assert!(
                found.iter().all(|f| !f.entity.is_national_id()),
                "{col}: {v} -> {found:?}"
            );
        }
        // valid ones too: BSN, SIN, TFN, NHS, Medicare, PESEL, CPF, DE, Aadhaar, CNPJ, NIR
        type Make = fn(&mut Gen) -> String;
        let makes: [Make; 11] = [
            testgen::bsn,
            testgen::sin,
            testgen::tfn,
            testgen::nhs,
            |g| testgen::medicare(g, false),
            |g| testgen::pesel(g, (1900, 2020)),
            testgen::cpf,
            testgen::de_tax_id,
            testgen::aadhaar,
            testgen::cnpj,
            |g| testgen::nir(g, false),
        ];
        for make in makes {
            for _ in 0..50 {
                let v = make(&mut g);
                for text in [v.clone(), format!("Total {v} received")] {
                    let found = scan("notes", &text);
                    assert!(
                        found.iter().all(|f| !f.entity.is_national_id()),
                        "{text} -> {found:?}"
                    );
                }
            }
        }
    }

    /// Order ids, timestamps, product codes and phones of the same lengths.
    #[test]
    fn ids_timestamps_and_product_codes_are_not_national_numbers() {
        let mut g = Gen(4);
        for _ in 0..300 {
            let bsn = testgen::bsn(&mut g);
            let nhs = testgen::nhs(&mut g);
            let cnpj = testgen::cnpj(&mut g);
            let nino = testgen::nino(&mut g);
            let cells = [
                ("notes", format!("Order {bsn} shipped")),
                ("notes", format!("Invoice no. {nhs}")),
                (
                    "notes",
                    format!("Tracking {}", group(&nhs, &[3, 3, 4], &[" "])),
                ),
                ("order_id", bsn.clone()),
                ("sku", nino.clone()),
                ("notes", format!("SKU {nino}")),
                (
                    "serial",
                    group(&cnpj, &[2, 3, 3, 4, 2], &[".", ".", "/", "-"]),
                ),
                ("notes", format!("#{bsn}")),
                ("notes", format!("ORD-{bsn}")),
            ];
            for (col, text) in &cells {
                let found = scan(col, text);
                assert!(
                    found.iter().all(|f| !f.entity.is_national_id()),
                    "{col}: {text} -> {found:?}"
                );
            }
            // timestamps: YYYYMMDDhhmmss, YYMMDDhhmm, ISO forms
            let (y, m, d) = (1990 + g.below(40), 1 + g.below(12), 1 + g.below(28));
            let (h, mi, s) = (g.below(24), g.below(60), g.below(60));
            for (col, text) in [
                ("created_at", format!("{y}{m:02}{d:02}{h:02}{mi:02}{s:02}")),
                (
                    "created_at",
                    format!("{:02}{m:02}{d:02}{h:02}{mi:02}", y % 100),
                ),
                (
                    "created_at",
                    format!("{y}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}"),
                ),
                ("ts", format!("{y}{m:02}{d:02}-{h:02}{mi:02}")),
            ] {
                let found = scan(col, &text);
                assert!(
                    found.iter().all(|f| !f.entity.is_national_id()),
                    "{col}: {text} -> {found:?}"
                );
            }
        }
        // a US phone keeps its phone finding; a product code is no PAN
        assert_eq!(entity_at("notes", "call 943 476 5919", "943"), Some(Phone));
        assert!(scan("sku", "ABCPE1234F").is_empty());
        assert!(scan("notes", "SKU-123-4567 A1-1234-5678").is_empty());
    }

    #[test]
    fn a_changed_check_digit_or_a_broken_rule_is_never_proposed() {
        let mut g = Gen(5);
        for _ in 0..100 {
            let cases: [(EntityType, String, &str); 17] = [
                (UkNhsNumber, bad_last(&testgen::nhs(&mut g)), "NHS"),
                (DeTaxId, bad_last(&testgen::de_tax_id(&mut g)), "Steuer-ID"),
                (FrNir, bad_last(&testgen::nir(&mut g, false)), "NIR"),
                (EsDni, bad_last(&testgen::dni(&mut g)), "DNI"),
                (EsNie, bad_last(&testgen::nie(&mut g)), "NIE"),
                (
                    ItFiscalCode,
                    bad_last(&testgen::codice_fiscale(&mut g, false)),
                    "CF",
                ),
                (NlBsn, bad_last(&testgen::bsn(&mut g)), "BSN"),
                (
                    SePersonnummer,
                    bad_last(&testgen::personnummer(&mut g)),
                    "personnummer",
                ),
                (
                    PlPesel,
                    bad_last(&testgen::pesel(&mut g, (1900, 2020))),
                    "PESEL",
                ),
                (InAadhaar, bad_last(&testgen::aadhaar(&mut g)), "Aadhaar"),
                (AuTfn, bad_last(&testgen::tfn(&mut g)), "TFN"),
                (
                    AuMedicare,
                    {
                        // the check digit is the 9th
                        let mut m = testgen::medicare(&mut g, false).into_bytes();
                        m[8] = b'0' + (m[8] - b'0' + 1) % 10;
                        String::from_utf8(m).unwrap()
                    },
                    "Medicare",
                ),
                (CaSin, bad_last(&testgen::sin(&mut g)), "SIN"),
                (BrCpf, bad_last(&testgen::cpf(&mut g)), "CPF"),
                (BrCnpj, bad_last(&testgen::cnpj(&mut g)), "CNPJ"),
                (SgNric, bad_last(&testgen::nric(&mut g)), "NRIC"),
                (EuVat, bad_last(&testgen::vat(&mut g, "DE")), "VAT"),
            ];
            for (e, v, word) in &cases {
                let text = format!("{word}: {v}");
                assert!(
                    !proposed(&e.as_str().replace('_', ""), &text, *e),
                    "{e}: {text}"
                );
            }
        }
        // prefixes, letters and dates that the rules exclude
        for (e, text) in [
            (UkNino, "QQ 12 34 56 C"), // HMRC's specimen: Q is never first
            (UkNino, "DA 12 34 56 A"),
            (UkNino, "AO123456A"),
            (UkNino, "GB123456A"),
            (UkNino, "AB123456E"),
            (UkNino, "ab123456e"),
            (InPan, "abcde1234f"),
            (CaSin, "SIN 046 454 286"), // Luhn-valid, but 0 is never assigned
            (SgNric, "A1234567D"),
            (InPan, "ABCDE1234F"),
            (EsNie, "W1234567L"),
            (ItFiscalCode, "RSSMRA85Z10A562S"),
            (EuVat, "GB123456789"),
            (EuVat, "VAT RO12"),
        ] {
            assert!(!proposed("notes", text, e), "{e}: {text}");
        }
        // impossible dates with valid check digits
        let pesel_check = |ten: &str| {
            let w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
            let s: u32 = ten.bytes().zip(w).map(|(c, k)| (c - b'0') as u32 * k).sum();
            format!("{ten}{}", (10 - s % 10) % 10)
        };
        for ten in ["8513011234", "8502301234", "8500011234", "8592321234"] {
            assert!(!proposed("pesel", &pesel_check(ten), PlPesel), "{ten}");
        }
        let pnr = |nine: &str| {
            let body: Vec<u32> = nine.bytes().map(|c| (c - b'0') as u32).collect();
            format!(
                "{}-{}{}",
                &nine[..6],
                &nine[6..],
                testgen::luhn_digit(&body)
            )
        };
        for nine in ["811328987", "810230987", "811200987", "811232987"] {
            assert!(
                !proposed("personnummer", &pnr(nine), SePersonnummer),
                "{nine}"
            );
        }
    }

    /// The stronger evidence wins a span two types claim.
    #[test]
    fn context_and_format_decide_between_types() {
        // a 9-digit number valid as a BSN and as a SIN
        let mut g = Gen(6);
        let both = loop {
            let v = testgen::bsn(&mut g);
            if validate::ca_sin_valid(v.as_bytes()) {
                break v;
            }
        };
        assert_eq!(
            entity_at("notes", &format!("BSN {both}"), &both),
            Some(NlBsn)
        );
        assert_eq!(
            entity_at("notes", &format!("SIN {both}"), &both),
            Some(CaSin)
        );
        assert_eq!(entity_at("bsn", &both, &both), Some(NlBsn));
        assert_eq!(entity_at("sin", &both, &both), Some(CaSin));
        assert_eq!(entity_at("notes", &both, &both), None);
        // an 11-digit number valid as a PESEL and as a CPF
        let both = loop {
            let v = testgen::pesel(&mut g, (1950, 2010));
            if validate::br_cpf_valid(v.as_bytes()) {
                break v;
            }
        };
        assert_eq!(entity_at("pesel", &both, &both), Some(PlPesel));
        assert_eq!(entity_at("cpf", &both, &both), Some(BrCpf));
        assert_eq!(
            entity_at("notes", &format!("CPF: {both}"), &both),
            Some(BrCpf)
        );
        // a NHS number in a US phone's layout: a phone, unless NHS is said
        let nhs = "943 476 5919";
        assert_eq!(entity_at("notes", nhs, nhs), Some(Phone));
        assert_eq!(
            entity_at("notes", &format!("NHS no {nhs}"), nhs),
            Some(UkNhsNumber)
        );
        assert_eq!(entity_at("nhs_number", nhs, nhs), Some(UkNhsNumber));
        // a NIR of a man born in January 1980 starts with JCB's legacy 1800
        let nir = loop {
            let v = testgen::nir(&mut g, false);
            let v = format!("18001{}", &v[5..13]);
            let n: u64 = v.parse().unwrap();
            let v = format!("{v}{:02}", 97 - n % 97);
            if validate::luhn_valid(&v) {
                break v;
            }
        };
        assert_eq!(entity_at("notes", &nir, &nir), Some(CreditCard));
        assert_eq!(entity_at("notes", &format!("NIR {nir}"), &nir), Some(FrNir));
        let grouped = group(&nir, &[1, 2, 2, 2, 3, 3, 2], &[" "]);
        assert_eq!(entity_at("notes", &grouped, &grouped), Some(FrNir));
        // a social insurance number is not a US SSN
        let sin = loop {
            let v = testgen::sin(&mut g);
            if v.as_bytes()[0] < b'6' {
                break v;
            }
        };
        assert_eq!(
            entity_at("social_insurance_number", &sin, &sin),
            Some(CaSin)
        );
        assert_eq!(
            entity_at("notes", &format!("social insurance number {sin}"), &sin),
            Some(CaSin)
        );
        // a checksum-valid letter format over a bare checksum: the DNI's 8
        // digits are never proposed as a bare number
        let dni = testgen::dni(&mut g);
        assert_eq!(entity_at("notes", &dni, &dni), Some(EsDni));
    }

    #[test]
    fn findings_are_redacted_and_filtered() {
        let mut g = Gen(7);
        let cpf = testgen::cpf(&mut g);
        let vat = testgen::vat(&mut g, "DE");
        let cf = testgen::codice_fiscale(&mut g, false);
        let text = format!(
            "CPF {}, VAT {vat}, CF {cf}",
            group(&cpf, &[3, 3, 3, 2], &[".", ".", "-"])
        );
        let found = scan("notes", &text);
        assert_eq!(
            found.iter().map(|f| f.entity).collect::<Vec<_>>(),
            [BrCpf, EuVat, ItFiscalCode]
        );
        for f in &found {
            let shown = format!("{f:?} {f}");
            for raw in [&cpf[..9], &vat[2..9], &cf[..14]] {
                assert!(!shown.contains(raw), "{shown} shows {raw}");
            }
        }
        assert!(found[1].redacted.starts_with("DE*******"));
        // the entity filter: only the asked types are proposed
        let only_vat = Scanner::new(ScanConfig {
            min_confidence: 0.5,
            entities: Some(vec![EuVat]),
            ..Default::default()
        });
        let found = only_vat.scan_cell("notes", &text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].entity, EuVat);
    }
}
