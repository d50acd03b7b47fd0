//! Checksum and format validators used by the detectors (all pure, no allocation
//! unless stated).

/// Luhn (mod 10) check over the ASCII digits of `s`; any other byte is skipped.
/// Returns false when `s` has fewer than 2 digits.
pub fn luhn_valid(s: &str) -> bool {
    let mut sum = 0u32;
    let mut n = 0usize;
    for b in s.bytes().rev() {
        if !b.is_ascii_digit() {
            continue;
        }
        let mut d = (b - b'0') as u32;
        if n % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
        n += 1;
    }
    n >= 2 && sum.is_multiple_of(10)
}

/// A payment card brand, recognised from the IIN (leading digits) and the
/// length, after the published ranges of each scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardBrand {
    /// Visa (4; 13, 16 or 19 digits).
    Visa,
    /// Mastercard (51-55, 2221-2720; 16 digits).
    Mastercard,
    /// American Express (34, 37; 15 digits).
    Amex,
    /// Discover (6011, 644-649, 65; 16-19 digits).
    Discover,
    /// JCB (3528-3589; 16-19 digits; the legacy 1800 and 2131 with 15, 3088, 3096, 3112,
    /// 3158 and 3337 with 16).
    Jcb,
    /// Diners Club (300-305, 3095, 36, 38, 39; 14-19 digits).
    Diners,
    /// UnionPay (62, 8100-8171; 16-19 digits).
    UnionPay,
    /// Maestro (5018, 5020, 5038, 5893, 56-58, 6304, 639, 6759, 6761-6763; 12-19 digits).
    Maestro,
    /// Mir (2200-2204; 16-19 digits).
    Mir,
    /// RuPay (60, 6521-6522, 81, 82, 508; 16 digits).
    RuPay,
    /// Verve (506099-506198, 507865-507964, 650002-650027; 16, 18 or 19 digits).
    Verve,
    /// Elo (its published six-digit ranges; 16 digits).
    Elo,
    /// Troy (9792; 16 digits).
    Troy,
    /// Dankort (5019; 16 digits).
    Dankort,
}

/// Elo's six-digit IIN ranges.
const ELO: &[(u32, u32)] = &[
    (401178, 401179),
    (431274, 431274),
    (438935, 438935),
    (451416, 451416),
    (457393, 457393),
    (457631, 457632),
    (504175, 504175),
    (506699, 506778),
    (509000, 509999),
    (627780, 627780),
    (636297, 636297),
    (636368, 636368),
    (650031, 650033),
    (650035, 650051),
    (650405, 650439),
    (650485, 650538),
    (650541, 650598),
    (650700, 650718),
    (650720, 650727),
    (650901, 650978),
    (651652, 651679),
    (655000, 655019),
    (655021, 655058),
];

/// The brand whose IIN range *and* length match `digits` (ASCII digits only).
pub fn card_brand(digits: &[u8]) -> Option<CardBrand> {
    use CardBrand::*;
    let len = digits.len();
    if !(12..=19).contains(&len) || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let p = |n: usize| -> u32 {
        digits[..n]
            .iter()
            .fold(0u32, |a, &b| a * 10 + (b - b'0') as u32)
    };
    let (p1, p2, p3, p4, p6) = (p(1), p(2), p(3), p(4), p(6));
    let in_any = |prefix: u32, ranges: &[(u32, u32)]| {
        ranges
            .iter()
            .any(|&(low, high)| (low..=high).contains(&prefix))
    };
    if (p4 == 5018 || p4 == 5020 || p4 == 5038 || p4 == 5893 || p4 == 6304)
        || p4 == 6759
        || (6761..=6763).contains(&p4)
        || (56..=58).contains(&p2)
        || p3 == 639
    {
        Some(Maestro)
    } else if len == 12 {
        None
    } else if in_any(p6, ELO) && len == 16 {
        Some(Elo)
    } else if in_any(p6, &[(506099, 506198), (507865, 507964), (650002, 650027)])
        && matches!(len, 16 | 18 | 19)
    {
        Some(Verve)
    } else if p1 == 4 && matches!(len, 13 | 16 | 19) {
        Some(Visa)
    } else if ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && len == 16 {
        Some(Mastercard)
    } else if (2200..=2204).contains(&p4) && (16..=19).contains(&len) {
        Some(Mir)
    } else if (p2 == 34 || p2 == 37) && len == 15 {
        Some(Amex)
    } else if (p4 == 6011 || p2 == 65 || (644..=649).contains(&p3)) && (16..=19).contains(&len) {
        Some(Discover)
    } else if ((3528..=3589).contains(&p4) && (16..=19).contains(&len))
        || ((p4 == 1800 || p4 == 2131) && len == 15)
        || (matches!(p4, 3088 | 3096 | 3112 | 3158 | 3337) && len == 16)
    {
        Some(Jcb)
    } else if ((300..=305).contains(&p3) || p4 == 3095 || matches!(p2, 36 | 38 | 39))
        && (14..=19).contains(&len)
    {
        Some(Diners)
    } else if (p2 == 62 || (8100..=8171).contains(&p4)) && (16..=19).contains(&len) {
        Some(UnionPay)
    } else if (p2 == 60 || p2 == 81 || p2 == 82 || p3 == 508 || (6521..=6522).contains(&p4))
        && len == 16
    {
        Some(RuPay)
    } else if p4 == 9792 && len == 16 {
        Some(Troy)
    } else if p4 == 5019 && len == 16 {
        Some(Dankort)
    } else {
        None
    }
}

/// IBAN length per country (ISO 13616 registry): all SEPA countries, GB and
/// the other common IBAN countries.
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NL", 18),
    ("NO", 15),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("SA", 24),
    ("SC", 31),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
];

/// The registered IBAN length of a country code, if known.
pub fn iban_length(country: &str) -> Option<usize> {
    IBAN_LENGTHS
        .iter()
        .find(|(c, _)| *c == country)
        .map(|&(_, l)| l)
}

/// Validates an IBAN: spaces are ignored, letters must be upper case, the
/// length must match the country and the ISO 7064 mod-97 remainder must be 1.
pub fn iban_valid(s: &str) -> bool {
    let mut buf = [0u8; 34];
    let mut n = 0;
    for b in s.bytes() {
        if b == b' ' {
            continue;
        }
        if n == 34 || !(b.is_ascii_digit() || b.is_ascii_uppercase()) {
            return false;
        }
        buf[n] = b;
        n += 1;
    }
    if n < 15 {
        return false;
    }
    let iban = &buf[..n];
    if !iban[0].is_ascii_uppercase() || !iban[1].is_ascii_uppercase() {
        return false;
    }
    if !iban[2].is_ascii_digit() || !iban[3].is_ascii_digit() {
        return false;
    }
    let country = std::str::from_utf8(&iban[..2]).unwrap_or("");
    if iban_length(country) != Some(n) {
        return false;
    }
    mod97(iban[4..].iter().chain(iban[..4].iter())) == 1
}

fn mod97<'a>(bytes: impl Iterator<Item = &'a u8>) -> u32 {
    let mut r = 0u32;
    for &b in bytes {
        if b.is_ascii_digit() {
            r = (r * 10 + (b - b'0') as u32) % 97;
        } else {
            let v = (b - b'A') as u32 + 10;
            r = (r * 100 + v) % 97;
        }
    }
    r
}

/// US SSN rules on the 9 digits (area-group-serial): area not 000, 666 or
/// 900-999; group not 00; serial not 0000.
pub fn ssn_valid(area: u32, group: u32, serial: u32) -> bool {
    area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        && group < 100
        && serial < 10000
}

/// Decodes unpadded (or padded) base64url; `None` on an invalid character.
pub fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for b in s.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        } as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// True when `header` (the first JWT segment) decodes to a JSON object with an
/// `"alg"` member.
pub fn jwt_header_valid(header: &str) -> bool {
    let Some(bytes) = base64url_decode(header) else {
        return false;
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return false;
    };
    let t = text.trim();
    t.starts_with('{') && t.ends_with('}') && t.contains("\"alg\"")
}

/// Shannon entropy of `s` in bits per byte.
pub fn shannon_entropy(s: &str) -> f64 {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let n = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

// ---------------------------------------------------------------------------
// National identifiers and VAT numbers. Each validator takes the compact
// value (ASCII, separators already removed) and checks its length, its
// character classes, the structure its issuer documents (prefixes, dates)
// and its check digits or letters.

/// The value of the ASCII digit `b`.
#[inline]
fn dv(b: u8) -> u32 {
    (b - b'0') as u32
}

/// Whether `d` is `len` ASCII digits.
#[inline]
fn digits_of_len(d: &[u8], len: usize) -> bool {
    d.len() == len && d.iter().all(u8::is_ascii_digit)
}

/// Whether every byte of `d` is the same.
#[inline]
fn all_same(d: &[u8]) -> bool {
    d.iter().all(|&c| c == d[0])
}

/// Σ digit × weight over `d` and `w` (as far as the shorter goes).
#[inline]
fn weighted_sum(d: &[u8], w: &[u32]) -> u32 {
    d.iter().zip(w).map(|(&c, &k)| dv(c) * k).sum()
}

/// Whether `day` is a day of `month` in `year` (Gregorian calendar).
pub fn valid_date(year: u32, month: u32, day: u32) -> bool {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// The ISO 7064 MOD 11,10 check digit of the ASCII digits `d`.
pub fn iso7064_mod11_10(d: &[u8]) -> u32 {
    let mut p = 10;
    for &c in d {
        let mut s = (dv(c) + p) % 10;
        if s == 0 {
            s = 10;
        }
        p = (2 * s) % 11;
    }
    (11 - p) % 10
}

/// UK NHS number: 10 digits, not all equal; the weights 10..2 on the first
/// nine give `11 - sum mod 11` (11 reads 0, 10 is never issued) = the tenth.
pub fn uk_nhs_valid(d: &[u8]) -> bool {
    if !digits_of_len(d, 10) || all_same(d) {
        return false;
    }
    let c = 11 - weighted_sum(&d[..9], &[10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11;
    let c = if c == 11 { 0 } else { c };
    c != 10 && c == dv(d[9])
}

/// UK National Insurance number `LLDDDDDDS` (HMRC's rules): the first
/// letter is not D, F, I, Q, U or V, the second not D, F, I, O, Q, U or V,
/// the prefixes BG, GB, KN, NK, NT, TN and ZZ are never allocated, and the
/// suffix is A, B, C or D. There is no check digit.
pub fn uk_nino_valid(s: &[u8]) -> bool {
    if s.len() != 9
        || !s[0].is_ascii_uppercase()
        || !s[1].is_ascii_uppercase()
        || !s[2..8].iter().all(u8::is_ascii_digit)
        || !(b'A'..=b'D').contains(&s[8])
    {
        return false;
    }
    !b"DFIQUV".contains(&s[0])
        && !b"DFIOQUV".contains(&s[1])
        && !matches!(
            &s[..2],
            b"BG" | b"GB" | b"KN" | b"NK" | b"NT" | b"TN" | b"ZZ"
        )
}

/// German tax id (Steuer-IdNr): 11 digits, the first not 0; among the
/// first ten exactly one digit occurs more than once, two or three times
/// (three times never in three adjacent positions); the eleventh is the
/// ISO 7064 MOD 11,10 check digit of the first ten.
pub fn de_tax_id_valid(d: &[u8]) -> bool {
    if !digits_of_len(d, 11) || d[0] == b'0' {
        return false;
    }
    let mut count = [0u8; 10];
    for &c in &d[..10] {
        count[dv(c) as usize] += 1;
    }
    let mut repeated = None;
    for (k, &n) in count.iter().enumerate() {
        if n > 1 {
            if repeated.is_some() {
                return false;
            }
            repeated = Some(k as u8);
        }
    }
    let Some(digit) = repeated else {
        return false;
    };
    match count[digit as usize] {
        2 => {}
        3 => {
            let c = b'0' + digit;
            if d[..10].windows(3).any(|w| w == [c, c, c]) {
                return false;
            }
        }
        _ => return false,
    }
    iso7064_mod11_10(&d[..10]) == dv(d[10])
}

/// French NIR (INSEE number), 15 characters: sex (1, 2; 3, 4, 7, 8 for
/// provisional numbers), year, month (01-12, or 20-42 and 50-99 where the
/// month is unknown), department (2A and 2B for Corsica, counted as 19 and
/// 18 in the key; not 00), commune, order number and the key
/// `97 - (first 13 as a number) mod 97`.
pub fn fr_nir_valid(s: &[u8]) -> bool {
    if s.len() != 15 || !b"123478".contains(&s[0]) {
        return false;
    }
    let corsica = match &s[5..7] {
        b"2A" => Some(19),
        b"2B" => Some(18),
        _ => None,
    };
    let digits_ok = s
        .iter()
        .enumerate()
        .all(|(k, c)| c.is_ascii_digit() || (corsica.is_some() && (k == 5 || k == 6)));
    if !digits_ok {
        return false;
    }
    let month = dv(s[3]) * 10 + dv(s[4]);
    if !matches!(month, 1..=12 | 20..=42 | 50..=99) {
        return false;
    }
    if corsica.is_none() && &s[5..7] == b"00" {
        return false;
    }
    let mut n: u64 = 0;
    for (k, &c) in s[..13].iter().enumerate() {
        match (k, corsica) {
            (5, Some(v)) => n = n * 100 + v,
            (6, Some(_)) => {}
            _ => n = n * 10 + dv(c) as u64,
        }
    }
    let key = dv(s[13]) as u64 * 10 + dv(s[14]) as u64;
    97 - n % 97 == key
}

/// The Spanish DNI/NIE check letters, indexed by the number mod 23.
const ES_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// The mod-23 check letter of the ASCII digits `d`.
fn es_check_letter(d: &[u8]) -> u8 {
    let n = d.iter().fold(0u32, |a, &c| (a * 10 + dv(c)) % 23);
    ES_LETTERS[n as usize]
}

/// Spanish DNI: 8 digits and the letter `TRWAGMYFPDXBNJZSQVHLCKE[n mod 23]`.
pub fn es_dni_valid(s: &[u8]) -> bool {
    s.len() == 9 && digits_of_len(&s[..8], 8) && es_check_letter(&s[..8]) == s[8]
}

/// Spanish NIE: X, Y or Z (read as 0, 1, 2), 7 digits and the DNI check
/// letter of the resulting 8-digit number.
pub fn es_nie_valid(s: &[u8]) -> bool {
    if s.len() != 9 || !digits_of_len(&s[1..8], 7) {
        return false;
    }
    let lead = match s[0] {
        b'X' => b'0',
        b'Y' => b'1',
        b'Z' => b'2',
        _ => return false,
    };
    let mut d = [0u8; 8];
    d[0] = lead;
    d[1..].copy_from_slice(&s[1..8]);
    es_check_letter(&d) == s[8]
}

/// Value of each character of a codice fiscale at an odd (1st, 3rd, ...)
/// position, for 0-9 then A-Z.
const CF_ODD: [u8; 36] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // 0-9
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
    23, // A-Z
];
/// The letters that replace the digits 0-9 in an omocodic codice fiscale.
const CF_OMOCODIA: &[u8; 10] = b"LMNPQRSTUV";
/// The month letters of a codice fiscale, January to December.
const CF_MONTHS: &[u8; 12] = b"ABCDEHLMPRST";

/// Italian codice fiscale of a person, 16 characters `LLLLLLDDLDDLDDDL`:
/// the digits may be replaced by `LMNPQRSTUV` (omocodia), the month is one
/// of `ABCDEHLMPRST`, the day 1-31 (41-71 for women), and the last letter is
/// the sum of the odd-position values (table) and the even-position values
/// (0-9, A-Z = 0-25) mod 26.
pub fn it_fiscal_code_valid(s: &[u8]) -> bool {
    if s.len() != 16 {
        return false;
    }
    const DIGIT_POS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];
    let digit_at = |k: usize| -> Option<u32> {
        let c = s[k];
        if c.is_ascii_digit() {
            Some(dv(c))
        } else {
            CF_OMOCODIA.iter().position(|&o| o == c).map(|p| p as u32)
        }
    };
    for (k, c) in s.iter().enumerate() {
        let ok = if DIGIT_POS.contains(&k) {
            digit_at(k).is_some()
        } else {
            c.is_ascii_uppercase()
        };
        if !ok {
            return false;
        }
    }
    if !CF_MONTHS.contains(&s[8]) {
        return false;
    }
    let day = digit_at(9).unwrap_or(0) * 10 + digit_at(10).unwrap_or(0);
    if !matches!(day, 1..=31 | 41..=71) {
        return false;
    }
    let mut sum = 0u32;
    for (k, &c) in s[..15].iter().enumerate() {
        let idx = if c.is_ascii_digit() {
            (c - b'0') as usize
        } else {
            (c - b'A') as usize + 10
        };
        sum += if k % 2 == 0 {
            CF_ODD[idx] as u32
        } else if c.is_ascii_digit() {
            dv(c)
        } else {
            (c - b'A') as u32
        };
    }
    s[15] == b'A' + (sum % 26) as u8
}

/// Dutch BSN: 9 digits with Σ d_i × (9 - i) over the first eight minus the
/// ninth ≡ 0 (mod 11) (the "11-proef"), not all zero.
pub fn nl_bsn_valid(d: &[u8]) -> bool {
    if !digits_of_len(d, 9) || all_same(d) && d[0] == b'0' {
        return false;
    }
    let s = weighted_sum(&d[..8], &[9, 8, 7, 6, 5, 4, 3, 2]);
    (s + 11 * 9 - dv(d[8])).is_multiple_of(11)
}

/// Swedish personnummer (or samordningsnummer, day + 60) from its ten
/// digits `YYMMDDNNNC` and, for the 12-digit form, the century (18-20):
/// a valid date and the Luhn check over the ten digits.
pub fn se_personnummer_valid(d: &[u8], century: Option<u32>) -> bool {
    if !digits_of_len(d, 10) {
        return false;
    }
    let yy = dv(d[0]) * 10 + dv(d[1]);
    let month = dv(d[2]) * 10 + dv(d[3]);
    let mut day = dv(d[4]) * 10 + dv(d[5]);
    if day > 60 {
        day -= 60;
    }
    let year = match century {
        Some(c @ 18..=20) => c * 100 + yy,
        Some(_) => return false,
        // the century is not written: 2000 is a leap year, so any YY
        // divisible by 4 may have a 29 February
        None => 2000 + yy,
    };
    valid_date(year, month, day) && luhn_valid(std::str::from_utf8(d).unwrap_or(""))
}

/// Polish PESEL: 11 digits `YYMMDDZZZXC`; the month carries the century
/// (+80: 1800s, +0: 1900s, +20: 2000s, +40: 2100s, +60: 2200s), the date
/// must exist, and the weights 1-3-7-9-1-3-7-9-1-3 give
/// `(10 - sum mod 10) mod 10` = the last digit.
pub fn pl_pesel_valid(d: &[u8]) -> bool {
    if !digits_of_len(d, 11) {
        return false;
    }
    let yy = dv(d[0]) * 10 + dv(d[1]);
    let mm = dv(d[2]) * 10 + dv(d[3]);
    let day = dv(d[4]) * 10 + dv(d[5]);
    let (century, month) = match mm {
        81..=92 => (1800, mm - 80),
        1..=12 => (1900, mm),
        21..=32 => (2000, mm - 20),
        41..=52 => (2100, mm - 40),
        61..=72 => (2200, mm - 60),
        _ => return false,
    };
    if !valid_date(century + yy, month, day) {
        return false;
    }
    let s = weighted_sum(&d[..10], &[1, 3, 7, 9, 1, 3, 7, 9, 1, 3]);
    (10 - s % 10) % 10 == dv(d[10])
}

/// Verhoeff's multiplication table (the dihedral group D5).
const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

/// Verhoeff's permutation table: row k is the base permutation
/// (1 5 7 6 2 8 3 0 9 4) applied k times, computed here from it.
const VERHOEFF_P: [[u8; 10]; 8] = {
    const BASE: [u8; 10] = [1, 5, 7, 6, 2, 8, 3, 0, 9, 4];
    let mut t = [[0u8; 10]; 8];
    let mut i = 0;
    while i < 10 {
        t[0][i] = i as u8;
        i += 1;
    }
    let mut k = 1;
    while k < 8 {
        let mut i = 0;
        while i < 10 {
            t[k][i] = BASE[t[k - 1][i] as usize];
            i += 1;
        }
        k += 1;
    }
    t
};

/// Verhoeff check over the ASCII digits `d` (the last one is the check digit).
pub fn verhoeff_valid(d: &[u8]) -> bool {
    if d.is_empty() || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut c = 0u8;
    for (i, &b) in d.iter().rev().enumerate() {
        c = VERHOEFF_D[c as usize][VERHOEFF_P[i % 8][(b - b'0') as usize] as usize];
    }
    c == 0
}

/// Indian Aadhaar number: 12 digits, the first 2-9, Verhoeff check digit.
pub fn in_aadhaar_valid(d: &[u8]) -> bool {
    digits_of_len(d, 12) && d[0] >= b'2' && verhoeff_valid(d)
}

/// Indian PAN `AAAPA9999A`: five letters, the fourth a holder type (A, B,
/// C, F, G, H, J, K, L, P, T), four digits (not 0000) and a letter. The
/// last letter's algorithm is not published: this is a shape check.
pub fn in_pan_valid(s: &[u8]) -> bool {
    s.len() == 10
        && s[..5].iter().all(u8::is_ascii_uppercase)
        && b"ABCFGHJKLPT".contains(&s[3])
        && s[5..9].iter().all(u8::is_ascii_digit)
        && &s[5..9] != b"0000"
        && s[9].is_ascii_uppercase()
}

/// Australian TFN: 9 digits with weights 1,4,3,7,5,8,6,9,10 (the older
/// 8-digit numbers: the first eight weights) summing to a multiple of 11,
/// not all zero.
pub fn au_tfn_valid(d: &[u8]) -> bool {
    const W: [u32; 9] = [1, 4, 3, 7, 5, 8, 6, 9, 10];
    let w: &[u32] = match d.len() {
        9 => &W,
        8 => &W[..8],
        _ => return false,
    };
    d.iter().all(u8::is_ascii_digit)
        && !(all_same(d) && d[0] == b'0')
        && weighted_sum(d, w).is_multiple_of(11)
}

/// Australian Medicare card number: 10 digits (card number, check digit,
/// issue number) or 11 (and the person's reference number, 1-9); the first
/// digit 2-6; the weights 1,3,7,9,1,3,7,9 on the first eight give the ninth
/// (sum mod 10).
pub fn au_medicare_valid(d: &[u8]) -> bool {
    if !(digits_of_len(d, 10) || digits_of_len(d, 11)) || !(b'2'..=b'6').contains(&d[0]) {
        return false;
    }
    if d.len() == 11 && d[10] == b'0' {
        return false;
    }
    weighted_sum(&d[..8], &[1, 3, 7, 9, 1, 3, 7, 9]) % 10 == dv(d[8])
}

/// Canadian SIN: 9 digits, the first not 0 (never assigned) or 8 (unused), Luhn.
pub fn ca_sin_valid(d: &[u8]) -> bool {
    digits_of_len(d, 9)
        && d[0] != b'0'
        && d[0] != b'8'
        && luhn_valid(std::str::from_utf8(d).unwrap_or(""))
}

/// The Brazilian mod-11 check digit: `sum mod 11`, below 2 reads 0, else 11 minus it.
fn br_check_digit(d: &[u8], w: &[u32]) -> u32 {
    let r = weighted_sum(d, w) % 11;
    if r < 2 { 0 } else { 11 - r }
}

/// Brazilian CPF: 11 digits, not all equal; the 10th digit from the
/// weights 10..2 on the first nine, the 11th from 11..2 on the first ten.
pub fn br_cpf_valid(d: &[u8]) -> bool {
    digits_of_len(d, 11)
        && !all_same(d)
        && br_check_digit(&d[..9], &[10, 9, 8, 7, 6, 5, 4, 3, 2]) == dv(d[9])
        && br_check_digit(&d[..10], &[11, 10, 9, 8, 7, 6, 5, 4, 3, 2]) == dv(d[10])
}

/// Brazilian CNPJ: 14 digits, not all equal; two check digits from the
/// weights 5,4,3,2,9,...,2 and 6,5,4,3,2,9,...,2.
pub fn br_cnpj_valid(d: &[u8]) -> bool {
    digits_of_len(d, 14)
        && !all_same(d)
        && br_check_digit(&d[..12], &[5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]) == dv(d[12])
        && br_check_digit(&d[..13], &[6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]) == dv(d[13])
}

/// Singapore NRIC/FIN `S1234567D`: S or T (citizens and residents), F or G
/// (foreigners), M (foreigners from 2022); weights 2,7,6,5,4,3,2 on the
/// digits, +4 for T and G, +3 for M; the remainder mod 11 picks the letter.
pub fn sg_nric_valid(s: &[u8]) -> bool {
    if s.len() != 9 || !digits_of_len(&s[1..8], 7) {
        return false;
    }
    let sum = weighted_sum(&s[1..8], &[2, 7, 6, 5, 4, 3, 2]);
    let (offset, table): (u32, &[u8; 11]) = match s[0] {
        b'S' => (0, b"JZIHGFEDCBA"),
        b'T' => (4, b"JZIHGFEDCBA"),
        b'F' => (0, b"XWUTRQPNMLK"),
        b'G' => (4, b"XWUTRQPNMLK"),
        b'M' => (3, b"XWUTRQPNJLK"),
        _ => return false,
    };
    // M: "KLJNPQRTUWX"[10 - r], written here as a table indexed by r
    s[8] == table[((sum + offset) % 11) as usize]
}

/// How far an EU VAT number could be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VatCheck {
    /// The country's check digits (or letter) are right.
    Checked,
    /// The country's format fits; its check digits are not verified.
    ShapeOnly,
}

/// The EU VAT prefixes (Greece is EL; XI is Northern Ireland) and the body
/// lengths their formats allow.
const VAT_BODY_LENGTHS: &[(&[u8; 2], &[usize])] = &[
    (b"AT", &[9]),
    (b"BE", &[10]),
    (b"BG", &[9, 10]),
    (b"CY", &[9]),
    (b"CZ", &[8, 9, 10]),
    (b"DE", &[9]),
    (b"DK", &[8]),
    (b"EE", &[9]),
    (b"EL", &[9]),
    (b"ES", &[9]),
    (b"FI", &[8]),
    (b"FR", &[11]),
    (b"HR", &[11]),
    (b"HU", &[8]),
    (b"IE", &[8, 9]),
    (b"IT", &[11]),
    (b"LT", &[9, 12]),
    (b"LU", &[8]),
    (b"LV", &[11]),
    (b"MT", &[8]),
    (b"NL", &[12]),
    (b"PL", &[10]),
    (b"PT", &[9]),
    // 2-10 digits issued; fewer than 4 are not looked for
    (b"RO", &[4, 5, 6, 7, 8, 9, 10]),
    (b"SE", &[12]),
    (b"SI", &[8]),
    (b"SK", &[10]),
    (b"XI", &[9, 12]),
];

/// The body lengths allowed after the EU VAT prefix `cc`, if it is one.
pub fn vat_body_lengths(cc: &[u8]) -> Option<&'static [usize]> {
    VAT_BODY_LENGTHS
        .iter()
        .find(|(c, _)| c.as_slice() == cc)
        .map(|&(_, l)| l)
}

/// Whether the prefix `cc` has its check digits verified by [`eu_vat_check`].
pub fn vat_checked_country(cc: &[u8]) -> bool {
    matches!(
        cc,
        b"AT" | b"BE" | b"DE" | b"ES" | b"FR" | b"IT" | b"NL" | b"PL" | b"SE"
    )
}

/// Checks an EU VAT number: `cc` the prefix, `body` the rest (compact).
/// AT, BE, DE, ES, FR, IT, NL, PL and SE are checked; the other countries
/// only by shape. `None`: invalid.
pub fn eu_vat_check(cc: &[u8], body: &[u8]) -> Option<VatCheck> {
    let lengths = vat_body_lengths(cc)?;
    if !lengths.contains(&body.len()) {
        return None;
    }
    let ok = |v: bool| v.then_some(VatCheck::Checked);
    let all_digits = body.iter().all(u8::is_ascii_digit);
    match cc {
        b"AT" => {
            // U + 8 digits; the doubled digits add their digit sums
            if body[0] != b'U' || !digits_of_len(&body[1..], 8) {
                return None;
            }
            let d = &body[1..];
            let s: u32 = (0..7)
                .map(|i| {
                    let v = dv(d[i]);
                    if i % 2 == 1 {
                        v * 2 / 10 + v * 2 % 10
                    } else {
                        v
                    }
                })
                .sum();
            ok((10 - (s + 4) % 10) % 10 == dv(d[7]))
        }
        b"BE" => {
            if !all_digits || body[0] > b'1' {
                return None;
            }
            let n = body[..8].iter().fold(0u32, |a, &c| a * 10 + dv(c));
            ok(97 - n % 97 == dv(body[8]) * 10 + dv(body[9]))
        }
        b"DE" => ok(all_digits && body[0] != b'0' && iso7064_mod11_10(&body[..8]) == dv(body[8])),
        b"ES" => es_vat_valid(body).then_some(VatCheck::Checked),
        b"FR" => {
            // a two-character key and the 9-digit SIREN, which passes Luhn
            // (except Monaco's numbers, 000...)
            let siren_digits = &body[2..];
            if !digits_of_len(siren_digits, 9)
                || (&siren_digits[..3] != b"000"
                    && !luhn_valid(std::str::from_utf8(siren_digits).unwrap_or("")))
            {
                return None;
            }
            let siren = siren_digits
                .iter()
                .fold(0u64, |a, &c| a * 10 + dv(c) as u64);
            // the key's characters: digits, then letters without I and O
            const KEY: &[u8; 34] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
            let index = |c: u8| KEY.iter().position(|&k| k == c).map(|p| p as u64);
            match (index(body[0]), index(body[1])) {
                // the old numeric key: (12 + 3 × (SIREN mod 97)) mod 97
                (Some(a), Some(b)) if a < 10 && b < 10 => {
                    ok((12 + 3 * (siren % 97)) % 97 == a * 10 + b)
                }
                // the newer keys with a letter: a rank c of the pair, and
                // (SIREN + 1 + c / 11) mod 11 = c mod 11
                (Some(a), Some(b)) => {
                    let c = if a < 10 {
                        a * 24 + b - 10
                    } else {
                        a * 34 + b - 100
                    };
                    ok((siren + 1 + c / 11) % 11 == c % 11)
                }
                _ => None,
            }
        }
        b"IT" => ok(it_vat_valid(body)),
        b"NL" => {
            // 9 digits, B, 2 digits: the 11-proef (companies) or ISO 7064
            // mod 97 over "NL" + body (sole proprietors since 2020)
            if !digits_of_len(&body[..9], 9) || body[9] != b'B' || !digits_of_len(&body[10..], 2) {
                return None;
            }
            let s = weighted_sum(&body[..8], &[9, 8, 7, 6, 5, 4, 3, 2]) % 11;
            let mod97 = mod97(b"NL".iter().chain(body.iter())) == 1;
            ok((s != 10 && s == dv(body[8])) || mod97)
        }
        b"PL" => ok(pl_nip_valid(body)),
        b"SE" => ok(all_digits
            && &body[10..] == b"01"
            && luhn_valid(std::str::from_utf8(&body[..10]).unwrap_or(""))),
        _ => vat_shape(cc, body).then_some(VatCheck::ShapeOnly),
    }
}

/// Italian partita IVA (11 digits, the body of an IT VAT number): Luhn
/// over the 11 digits; the company number (first 7) not all zero; the
/// office code (digits 8-10) 001-100, 120, 121, 888 or 999.
pub fn it_vat_valid(d: &[u8]) -> bool {
    if !digits_of_len(d, 11) || all_same(&d[..7]) && d[0] == b'0' {
        return false;
    }
    let office = dv(d[7]) * 100 + dv(d[8]) * 10 + dv(d[9]);
    matches!(office, 1..=100 | 120 | 121 | 888 | 999)
        && luhn_valid(std::str::from_utf8(d).unwrap_or(""))
}

/// Polish NIP (10 digits, the body of a PL VAT number): the weights
/// 6,5,7,2,3,4,5,6,7 on the first nine give the tenth (sum mod 11, never 10).
pub fn pl_nip_valid(d: &[u8]) -> bool {
    if !digits_of_len(d, 10) {
        return false;
    }
    let s = weighted_sum(&d[..9], &[6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11;
    s != 10 && s == dv(d[9])
}

/// Spanish NIF as used in a VAT number: a DNI (8 digits + letter), a NIE
/// (X/Y/Z + 7 digits + letter), K/L/M + 7 digits + the mod-23 letter, or
/// a legal entity (a letter, 7 digits and a control digit or letter).
fn es_vat_valid(b: &[u8]) -> bool {
    if b.len() != 9 {
        return false;
    }
    if b[0].is_ascii_digit() {
        return es_dni_valid(b);
    }
    if matches!(b[0], b'X' | b'Y' | b'Z') {
        return es_nie_valid(b);
    }
    if !digits_of_len(&b[1..8], 7) {
        return false;
    }
    if matches!(b[0], b'K' | b'L' | b'M') {
        return es_check_letter(&b[1..8]) == b[8];
    }
    if !b"ABCDEFGHJNPQRSUVW".contains(&b[0]) {
        return false;
    }
    let d = &b[1..8];
    let mut s = 0;
    for (i, &c) in d.iter().enumerate() {
        let v = dv(c);
        s += if i % 2 == 0 {
            v * 2 / 10 + v * 2 % 10
        } else {
            v
        };
    }
    let c = (10 - s % 10) % 10;
    let letter = b"JABCDEFGHI"[c as usize];
    match b[0] {
        // these always end in a letter, these always in a digit
        b'N' | b'P' | b'Q' | b'R' | b'S' | b'W' => b[8] == letter,
        b'A' | b'B' | b'E' | b'H' => b[8] == b'0' + c as u8,
        _ => b[8] == letter || b[8] == b'0' + c as u8,
    }
}

/// The published format of the VAT numbers checked by shape only.
fn vat_shape(cc: &[u8], b: &[u8]) -> bool {
    let digits = b.iter().all(u8::is_ascii_digit);
    match cc {
        // 8 digits and a letter
        b"CY" => digits_of_len(&b[..8], 8) && b[8].is_ascii_uppercase(),
        // 7 digits and one or two letters, or digit, letter/+/*, 5 digits, letter
        b"IE" => {
            let new = digits_of_len(&b[..7], 7)
                && b[7..].iter().all(u8::is_ascii_uppercase)
                && (b'A'..=b'W').contains(&b[7]);
            let old = b.len() == 8
                && b[0].is_ascii_digit()
                && (b[1].is_ascii_uppercase() || b[1] == b'+' || b[1] == b'*')
                && digits_of_len(&b[2..7], 5)
                && (b'A'..=b'W').contains(&b[7]);
            new || old
        }
        // Estonia: 9 digits starting 10
        b"EE" => digits && b.starts_with(b"10"),
        _ => digits && !all_same(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `prefix` padded with zeros to `len` digits and given its Luhn check digit.
    fn luhn_number(prefix: &str, len: usize) -> String {
        let mut body: String = format!("{prefix:0<width$}", width = len - 1);
        for check in 0..10 {
            body.push(char::from(b'0' + check));
            if luhn_valid(&body) {
                return body;
            }
            body.pop();
        }
        unreachable!("one check digit always fits")
    }

    #[test]
    fn every_scheme_is_recognised_by_range_and_length() {
        use CardBrand::*;
        let cases: &[(&str, usize, CardBrand)] = &[
            ("4", 13, Visa),
            ("4", 19, Visa),
            ("2221", 16, Mastercard),
            ("37", 15, Amex),
            ("6011", 19, Discover),
            ("3528", 16, Jcb),
            ("1800", 15, Jcb),
            ("2131", 15, Jcb),
            ("3337", 16, Jcb),
            ("3095", 14, Diners),
            ("62", 17, UnionPay),
            ("8171", 16, UnionPay),
            ("6759", 12, Maestro),
            ("5018", 19, Maestro),
            ("57", 12, Maestro),
            ("6390", 16, Maestro),
            ("2204", 16, Mir),
            ("508", 16, RuPay),
            ("506099", 19, Verve),
            ("509000", 16, Elo),
            ("9792", 16, Troy),
            ("5019", 16, Dankort),
        ];
        for &(prefix, len, brand) in cases {
            let number = luhn_number(prefix, len);
            assert_eq!(card_brand(number.as_bytes()), Some(brand), "{number}");
        }
        for (prefix, len) in [
            ("3527", 16),
            ("1800", 16),
            ("4", 14),
            ("9792", 19),
            ("6", 12),
        ] {
            let number = luhn_number(prefix, len);
            assert_eq!(card_brand(number.as_bytes()), None, "{number}");
        }
    }

    #[test]
    fn luhn() {
        assert!(luhn_valid("4242 4242 4242 4242"));
        assert!(luhn_valid("4111111111111111"));
        assert!(luhn_valid("378282246310005"));
        assert!(luhn_valid("79927398713"));
        assert!(!luhn_valid("4111111111111112"));
        assert!(!luhn_valid("79927398710"));
        assert!(!luhn_valid("0"));
    }

    #[test]
    fn brands() {
        let b = |s: &str| card_brand(s.as_bytes());
        assert_eq!(b("4111111111111111"), Some(CardBrand::Visa));
        assert_eq!(b("5555555555554444"), Some(CardBrand::Mastercard));
        assert_eq!(b("2223003122003222"), Some(CardBrand::Mastercard));
        assert_eq!(b("378282246310005"), Some(CardBrand::Amex));
        assert_eq!(b("6011111111111117"), Some(CardBrand::Discover));
        assert_eq!(b("3530111333300000"), Some(CardBrand::Jcb));
        assert_eq!(b("30569309025904"), Some(CardBrand::Diners));
        assert_eq!(b("6200000000000005"), Some(CardBrand::UnionPay));
        assert_eq!(b("37828224631000"), None, "amex must be 15 digits");
        assert_eq!(b("9111111111111111"), None);
        assert_eq!(b("411111111111111"), None, "visa 15 digits is not a length");
    }

    #[test]
    fn iban_mod97() {
        assert!(iban_valid("DE89370400440532013000"));
        assert!(iban_valid("DE89 3704 0044 0532 0130 00"));
        assert!(iban_valid("GB29NWBK60161331926819"));
        assert!(iban_valid("FR1420041010050500013M02606"));
        assert!(iban_valid("NL91ABNA0417164300"));
        assert!(!iban_valid("DE89370400440532013001"), "checksum");
        assert!(!iban_valid("DE8937040044053201300"), "length");
        assert!(!iban_valid("ZZ89370400440532013000"), "country");
        assert!(!iban_valid("de89370400440532013000"), "lower case");
        assert_eq!(iban_length("NO"), Some(15));
    }

    #[test]
    fn ssn_rules() {
        assert!(ssn_valid(123, 45, 6789));
        assert!(!ssn_valid(0, 45, 6789));
        assert!(!ssn_valid(666, 45, 6789));
        assert!(!ssn_valid(900, 45, 6789));
        assert!(!ssn_valid(999, 45, 6789));
        assert!(!ssn_valid(123, 0, 6789));
        assert!(!ssn_valid(123, 45, 0));
        assert!(ssn_valid(899, 99, 9999));
    }

    #[test]
    fn jwt_and_base64() {
        assert_eq!(base64url_decode("aGVsbG8").unwrap(), b"hello");
        assert!(jwt_header_valid("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"));
        // {"typ":"JWT"} has no alg
        assert!(!jwt_header_valid("eyJ0eXAiOiJKV1QifQ"));
        assert!(!jwt_header_valid("eyJ!!"));
    }

    #[test]
    fn entropy() {
        assert_eq!(shannon_entropy("aaaa"), 0.0);
        assert!((shannon_entropy("abcd") - 2.0).abs() < 1e-9);
        assert!(shannon_entropy("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") > 4.0);
    }

    use crate::testgen::{self, Gen};

    /// `s` with the character at `k` replaced by every other character of
    /// the same class (digit or upper-case letter).
    fn variants(s: &str, k: usize) -> Vec<Vec<u8>> {
        let b = s.as_bytes();
        let class: Vec<u8> = if b[k].is_ascii_digit() {
            (b'0'..=b'9').collect()
        } else {
            (b'A'..=b'Z').collect()
        };
        class
            .into_iter()
            .filter(|&c| c != b[k])
            .map(|c| {
                let mut v = b.to_vec();
                v[k] = c;
                v
            })
            .collect()
    }

    /// Every generated value passes; changing any character at the
    /// positions `exact` (where the scheme detects every single change)
    /// fails.
    fn check_scheme(
        name: &str,
        valid: impl Fn(&[u8]) -> bool,
        mut make: impl FnMut(&mut Gen) -> String,
        exact: impl Fn(usize) -> bool,
    ) {
        let mut g = Gen(0x1d_5eed ^ name.len() as u64);
        for _ in 0..300 {
            let s = make(&mut g);
            assert!(valid(s.as_bytes()), "{name}: generated {s} rejected");
            for k in (0..s.len()).filter(|&k| exact(k)) {
                for v in variants(&s, k) {
                    assert!(
                        !valid(&v),
                        "{name}: {s} with position {k} changed to {} accepted",
                        String::from_utf8_lossy(&v)
                    );
                }
            }
        }
    }

    #[test]
    fn national_ids_generated_pass_and_single_changes_fail() {
        let all = |_: usize| true;
        check_scheme("nhs", uk_nhs_valid, testgen::nhs, all);
        check_scheme("de_tax_id", de_tax_id_valid, testgen::de_tax_id, all);
        check_scheme("nir", fr_nir_valid, |g| testgen::nir(g, false), all);
        // Corsica: the letters of 2A/2B are part of the structure
        check_scheme("nir 2A/2B", fr_nir_valid, |g| testgen::nir(g, true), all);
        check_scheme("dni", es_dni_valid, testgen::dni, all);
        check_scheme("nie", es_nie_valid, testgen::nie, all);
        check_scheme(
            "codice fiscale",
            it_fiscal_code_valid,
            |g| testgen::codice_fiscale(g, false),
            all,
        );
        // the check letter sums the omocodic letters as letters
        check_scheme(
            "codice fiscale (omocodia)",
            it_fiscal_code_valid,
            |g| testgen::codice_fiscale(g, true),
            all,
        );
        check_scheme("bsn", nl_bsn_valid, testgen::bsn, all);
        check_scheme(
            "personnummer",
            |d| se_personnummer_valid(&d[2..], Some(dv(d[0]) * 10 + dv(d[1]))),
            testgen::personnummer,
            |k| k >= 2,
        );
        check_scheme(
            "pesel",
            pl_pesel_valid,
            |g| testgen::pesel(g, (1800, 2299)),
            all,
        );
        check_scheme("aadhaar", in_aadhaar_valid, testgen::aadhaar, all);
        check_scheme("tfn", au_tfn_valid, testgen::tfn, all);
        check_scheme("tfn (8 digits)", au_tfn_valid, testgen::tfn8, all);
        // the issue number and the IRN carry no check
        check_scheme(
            "medicare",
            au_medicare_valid,
            |g| testgen::medicare(g, false),
            |k| k < 9,
        );
        check_scheme(
            "medicare irn",
            au_medicare_valid,
            |g| testgen::medicare(g, true),
            |k| k < 9,
        );
        check_scheme("sin", ca_sin_valid, testgen::sin, all);
        check_scheme("nric", sg_nric_valid, testgen::nric, all);
        // CPF and CNPJ read remainders 0 and 1 both as 0: one change in
        // the body can go unnoticed; the check digits themselves cannot
        check_scheme("cpf", br_cpf_valid, testgen::cpf, |k| k >= 9);
        check_scheme("cnpj", br_cnpj_valid, testgen::cnpj, |k| k >= 12);
        for cc in testgen::VAT_CHECKED {
            let valid = |s: &[u8]| eu_vat_check(&s[..2], &s[2..]) == Some(VatCheck::Checked);
            // a Spanish company's letter only picks the control's class;
            // Dutch numbers pass either of two schemes (below)
            let exact = |k: usize| match cc {
                "ES" => k >= 3,
                "NL" => false,
                _ => k >= 2,
            };
            check_scheme(cc, valid, |g| testgen::vat(g, cc), exact);
        }
    }

    /// A Dutch VAT number passes the 11-proef or (sole proprietors since
    /// 2020) ISO 7064 mod 97 over "NL" + number: a changed digit is accepted
    /// exactly when the changed number passes one of the two, computed here
    /// on the decimal expansion (N = 23, L = 21, B = 11).
    #[test]
    fn dutch_vat_changes_fail_unless_the_other_scheme_fits() {
        let eleven = |s: &[u8]| {
            let r = (0..8).map(|k| dv(s[2 + k]) * (9 - k as u32)).sum::<u32>() % 11;
            r == dv(s[10])
        };
        let mod97 = |s: &[u8]| {
            let mut expanded = String::new();
            for &c in s {
                if c.is_ascii_digit() {
                    expanded.push(c as char);
                } else {
                    expanded += &(c - b'A' + 10).to_string();
                }
            }
            let n: u128 = expanded.parse().unwrap();
            n % 97 == 1
        };
        let mut g = Gen(11);
        let (mut changed, mut accepted) = (0, 0);
        for _ in 0..300 {
            let s = testgen::vat(&mut g, "NL");
            assert!(eleven(s.as_bytes()));
            for k in 2..14 {
                for v in variants(&s, k) {
                    let got = eu_vat_check(b"NL", &v[2..]) == Some(VatCheck::Checked);
                    let want = v[11] == b'B'
                        && v[2..11].iter().all(u8::is_ascii_digit)
                        && (eleven(&v) || mod97(&v));
                    assert_eq!(got, want, "{}", String::from_utf8_lossy(&v));
                    changed += 1;
                    accepted += usize::from(got);
                }
            }
        }
        // the suffix digits are only checked by mod 97
        assert!(
            (accepted as f64) < 0.2 * changed as f64,
            "{accepted}/{changed}"
        );
    }

    #[test]
    fn cpf_and_cnpj_catch_most_single_changes() {
        let mut g = Gen(7);
        let (mut tried, mut caught) = (0, 0);
        for _ in 0..300 {
            for (s, valid) in [
                (testgen::cpf(&mut g), br_cpf_valid as fn(&[u8]) -> bool),
                (testgen::cnpj(&mut g), br_cnpj_valid),
            ] {
                for k in 0..s.len() {
                    for v in variants(&s, k) {
                        tried += 1;
                        caught += usize::from(!valid(&v));
                    }
                }
            }
        }
        assert!(caught as f64 / tried as f64 > 0.99, "{caught}/{tried}");
    }

    /// Published or hand-computed values (the working is in the comments).
    #[test]
    fn national_ids_known_values() {
        // NHS: 9×10+4×9+3×8+4×7+7×6+6×5+5×4+9×3+1×2 = 299, 299 mod 11 = 2, 11-2 = 9
        assert!(uk_nhs_valid(b"9434765919"));
        assert!(!uk_nhs_valid(b"9434765918"));
        assert!(!uk_nhs_valid(b"0000000000"), "all equal");
        // CPF 123.456.789-09: 210 mod 11 = 1 -> 0; 255 mod 11 = 2 -> 9
        assert!(br_cpf_valid(b"12345678909"));
        assert!(
            !br_cpf_valid(b"11111111111"),
            "all equal digits pass the sums"
        );
        // CNPJ 12.345.678/0001-95: 222 mod 11 = 2 -> 9; 237 mod 11 = 6 -> 5
        assert!(br_cnpj_valid(b"12345678000195"));
        assert!(!br_cnpj_valid(b"00000000000000"));
        // Mario Rossi: odd positions 80 + even positions 42 = 122, mod 26 = 18 = S
        assert!(it_fiscal_code_valid(b"RSSMRA85T10A562S"));
        assert!(!it_fiscal_code_valid(b"RSSMRA85T10A562T"));
        assert!(!it_fiscal_code_valid(b"RSSMRA85Z10A562S"), "Z is no month");
        // ATU13585627: 1+5+5+2 + (6)+(1+6)+(1+2) = 29; (10 - 33 mod 10) mod 10 = 7
        assert_eq!(eu_vat_check(b"AT", b"U13585627"), Some(VatCheck::Checked));
        assert_eq!(eu_vat_check(b"AT", b"U13585628"), None);
        // DNI 12345678 mod 23 = 14 = Z; NIE X1234567: 1234567 mod 23 = 19 = L
        assert!(es_dni_valid(b"12345678Z"));
        assert!(!es_dni_valid(b"12345678A"));
        assert!(es_nie_valid(b"X1234567L"));
        assert!(!es_nie_valid(b"W1234567L"), "W is no NIE prefix");
        // checked with python-stdnum 2.2, an independent implementation
        assert!(fr_nir_valid(b"185057800608491"));
        assert!(fr_nir_valid(b"285052A00608482"));
        assert!(pl_pesel_valid(b"85031212343"));
        assert!(de_tax_id_valid(b"12345678911"));
        assert_eq!(eu_vat_check(b"DE", b"136695976"), Some(VatCheck::Checked));
        assert!(in_aadhaar_valid(b"234567890124"));
        // 123456782 is a valid BSN, TFN and SIN at once
        assert!(nl_bsn_valid(b"123456782") && ca_sin_valid(b"123456782"));
        // TFN 123 456 782: 1+8+9+28+25+48+42+72+20 = 253 = 11×23
        assert!(au_tfn_valid(b"123456782"));
        assert!(!au_tfn_valid(b"123456783"));
        // 8 digits, the first eight weights: 1+8+9+28+25+48+42+81 = 242 = 11×22
        assert!(au_tfn_valid(b"12345679"));
        assert!(!au_tfn_valid(b"12345678"));
        // Verhoeff check digits computed with python-stdnum 2.2 (an
        // independent implementation): 236 -> 3, 12345 -> 1, 142857 -> 0, ...
        for (body, check) in [
            ("236", 3),
            ("12345", 1),
            ("142857", 0),
            ("65684778671", 1),
            ("23456789012", 4),
            ("99999999999", 9),
            ("50000000000", 6),
        ] {
            let digits: Vec<u32> = body.bytes().map(dv).collect();
            assert_eq!(testgen::verhoeff_digit(&digits), check, "{body}");
            for c in 0..10 {
                let v = format!("{body}{c}");
                assert_eq!(verhoeff_valid(v.as_bytes()), c == check, "{v}");
            }
        }
        // row k of the permutation table is the base permutation k times
        assert_eq!(VERHOEFF_P[4], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0]);
        // SIN 046 454 286 passes Luhn (digit sum 50) but 0 is never assigned
        assert!(luhn_valid("046454286"));
        assert!(!ca_sin_valid(b"046454286"));
        // NINO: HMRC's specimen prefix QQ is not allocatable (Q is never first)
        assert!(!uk_nino_valid(b"QQ123456C"));
        assert!(uk_nino_valid(b"AB123456C"));
        assert!(!uk_nino_valid(b"AB123456E"), "suffix A-D");
        assert!(!uk_nino_valid(b"GB123456A"), "GB is not allocated");
        assert!(!uk_nino_valid(b"AO123456A"), "O is never second");
        assert!(!uk_nino_valid(b"DA123456A"), "D is never first");
    }

    #[test]
    fn national_id_structure() {
        // Steuer-IdNr: one digit twice (or thrice, never three in a row); first not 0
        let with_check = |ten: &[u8]| {
            let mut v = ten.to_vec();
            v.push(b'0' + iso7064_mod11_10(ten) as u8);
            v
        };
        assert!(de_tax_id_valid(&with_check(b"1234567891")));
        assert!(
            de_tax_id_valid(&with_check(b"1234567811")),
            "three, not adjacent"
        );
        assert!(
            !de_tax_id_valid(&with_check(b"1234567111")),
            "three adjacent"
        );
        assert!(
            !de_tax_id_valid(&with_check(b"1234567890")),
            "no digit repeated"
        );
        assert!(
            !de_tax_id_valid(&with_check(b"1123456788")),
            "two digits repeated"
        );
        assert!(!de_tax_id_valid(&with_check(b"1111234567")), "four times");
        assert!(!de_tax_id_valid(&with_check(b"0234567891")), "leading zero");
        // PESEL: the month carries the century; the date must exist
        let pesel = |first10: &[u8]| {
            let s = weighted_sum(first10, &[1, 3, 7, 9, 1, 3, 7, 9, 1, 3]);
            let mut v = first10.to_vec();
            v.push(b'0' + ((10 - s % 10) % 10) as u8);
            v
        };
        assert!(
            pl_pesel_valid(&pesel(b"0022291234")),
            "29 Feb 2000 (month 22)"
        );
        assert!(!pl_pesel_valid(&pesel(b"0002291234")), "29 Feb 1900");
        assert!(pl_pesel_valid(&pesel(b"8512310000")));
        assert!(!pl_pesel_valid(&pesel(b"8513010000")), "month 13");
        assert!(!pl_pesel_valid(&pesel(b"8504310000")), "31 April");
        assert!(pl_pesel_valid(&pesel(b"9992310000")), "31 Dec 1899");
        // personnummer: a real date (or day + 60); 12-digit form's century 18-20
        let pnr = |nine: &[u8]| {
            let body: Vec<u32> = nine.iter().map(|&c| dv(c)).collect();
            let mut v = nine.to_vec();
            v.push(b'0' + testgen::luhn_digit(&body) as u8);
            v
        };
        assert!(se_personnummer_valid(&pnr(b"811228987"), None));
        assert!(
            se_personnummer_valid(&pnr(b"811288987"), None),
            "samordningsnummer"
        );
        assert!(!se_personnummer_valid(&pnr(b"811328987"), None), "month 13");
        assert!(!se_personnummer_valid(&pnr(b"810230987"), None), "30 Feb");
        assert!(se_personnummer_valid(&pnr(b"000229987"), Some(20)));
        assert!(
            !se_personnummer_valid(&pnr(b"000229987"), Some(19)),
            "1900 not leap"
        );
        assert!(!se_personnummer_valid(&pnr(b"811228987"), Some(21)));
        // NIR: sex digit, month, department 00
        let nir = |thirteen: &str| {
            let n: u64 = thirteen
                .replace("2A", "19")
                .replace("2B", "18")
                .parse()
                .unwrap();
            format!("{thirteen}{:02}", 97 - n % 97)
        };
        assert!(fr_nir_valid(nir("1850578006084").as_bytes()));
        assert!(fr_nir_valid(nir("285052A006084").as_bytes()));
        assert!(
            fr_nir_valid(nir("2850520006084").as_bytes()),
            "Corsica before 1976"
        );
        assert!(!fr_nir_valid(nir("5850578006084").as_bytes()), "sex digit");
        assert!(!fr_nir_valid(nir("1851378006084").as_bytes()), "month 13");
        assert!(
            !fr_nir_valid(nir("1850500006084").as_bytes()),
            "department 00"
        );
        let corsica_c = nir("285052A006084").replace("2A", "2C");
        assert!(!fr_nir_valid(corsica_c.as_bytes()), "2C");
        // Aadhaar: first digit 2-9
        let mut a = vec![1u32; 11];
        a.push(testgen::verhoeff_digit(&a));
        let a: Vec<u8> = a.iter().map(|&x| b'0' + x as u8).collect();
        assert!(verhoeff_valid(&a) && !in_aadhaar_valid(&a));
        // PAN: the fourth letter is a holder type; 0000 is no sequence number
        assert!(in_pan_valid(b"ABCPE1234F"));
        assert!(!in_pan_valid(b"ABCDE1234F"), "D is no holder type");
        assert!(!in_pan_valid(b"ABCPE0000F"));
        // Medicare: first digit 2-6, IRN 1-9
        let mc = |eight: &[u8]| {
            let mut v = eight.to_vec();
            v.push(b'0' + (weighted_sum(eight, &[1, 3, 7, 9, 1, 3, 7, 9]) % 10) as u8);
            v.push(b'1');
            v
        };
        assert!(au_medicare_valid(&mc(b"21234567")));
        assert!(!au_medicare_valid(&mc(b"71234567")), "first digit 7");
        let mut irn0 = mc(b"21234567");
        irn0.push(b'0');
        assert!(!au_medicare_valid(&irn0), "IRN 0");
        // SIN: first digit 8 is not used
        let mut s8 = vec![8u32, 1, 2, 3, 4, 5, 6, 7];
        s8.push(testgen::luhn_digit(&s8));
        let s8: Vec<u8> = s8.iter().map(|&x| b'0' + x as u8).collect();
        assert!(!ca_sin_valid(&s8));
        // NRIC: no such prefix
        assert!(!sg_nric_valid(b"A1234567D"));
        // VAT shapes: the other EU countries by format only
        assert_eq!(eu_vat_check(b"DK", b"12345678"), Some(VatCheck::ShapeOnly));
        assert_eq!(eu_vat_check(b"DK", b"1234567"), None);
        assert_eq!(eu_vat_check(b"IE", b"1234567WA"), Some(VatCheck::ShapeOnly));
        assert_eq!(eu_vat_check(b"IE", b"1A23456B"), Some(VatCheck::ShapeOnly));
        assert_eq!(eu_vat_check(b"CY", b"12345678L"), Some(VatCheck::ShapeOnly));
        assert_eq!(eu_vat_check(b"EE", b"200000000"), None, "EE starts 10");
        assert_eq!(
            eu_vat_check(b"GB", b"123456789"),
            None,
            "GB is not in the EU"
        );
        // FR: the SIREN passes Luhn (123456782 does: 1+4+3+8+5+3+7+7+2 = 40);
        // a letter key fits 1 SIREN in 11
        assert_eq!(
            eu_vat_check(b"FR", b"00123456789"),
            None,
            "SIREN fails Luhn"
        );
        let key = |k: &str| eu_vat_check(b"FR", format!("{k}123456782").as_bytes());
        let numeric = (12 + 3 * (123456782u64 % 97)) % 97;
        assert_eq!(key(&format!("{numeric:02}")), Some(VatCheck::Checked));
        let alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
        let lettered = alphabet
            .chars()
            .flat_map(|a| alphabet.chars().map(move |b| format!("{a}{b}")))
            .filter(|k| !k.bytes().all(|c| c.is_ascii_digit()))
            .collect::<Vec<_>>();
        let passing = lettered.iter().filter(|k| key(k).is_some()).count();
        assert!(
            (lettered.len() / 13..lettered.len() / 9).contains(&passing),
            "{passing}"
        );
        assert_eq!(key("IO"), None, "no I or O in keys");
        assert_eq!(eu_vat_check(b"BE", b"2123456789"), None, "BE starts 0 or 1");
        assert_eq!(eu_vat_check(b"SE", b"123456789002"), None, "SE ends 01");
        assert_eq!(eu_vat_check(b"IT", b"12345670000"), None, "office 000");
        assert_eq!(eu_vat_check(b"DE", b"012345678"), None, "DE starts 1-9");
    }
}
