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
}
