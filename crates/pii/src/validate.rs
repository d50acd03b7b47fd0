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

/// A payment card brand, recognised from the IIN (leading digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardBrand {
    /// Visa (4; 13, 16 or 19 digits).
    Visa,
    /// Mastercard (51-55, 2221-2720; 16 digits).
    Mastercard,
    /// American Express (34, 37; 15 digits).
    Amex,
    /// Discover (6011, 65, 644-649; 16-19 digits).
    Discover,
    /// JCB (3528-3589; 16-19 digits).
    Jcb,
    /// Diners Club (300-305, 36, 38; 14-19 digits).
    Diners,
    /// UnionPay (62; 16-19 digits).
    UnionPay,
}

/// The brand whose IIN range *and* length match `digits` (ASCII digits only).
pub fn card_brand(digits: &[u8]) -> Option<CardBrand> {
    let len = digits.len();
    if !(13..=19).contains(&len) || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let p = |n: usize| -> u32 {
        digits[..n]
            .iter()
            .fold(0u32, |a, &b| a * 10 + (b - b'0') as u32)
    };
    let (p1, p2, p3, p4) = (p(1), p(2), p(3), p(4));
    if p1 == 4 && matches!(len, 13 | 16 | 19) {
        return Some(CardBrand::Visa);
    }
    if ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && len == 16 {
        return Some(CardBrand::Mastercard);
    }
    if (p2 == 34 || p2 == 37) && len == 15 {
        return Some(CardBrand::Amex);
    }
    if (p4 == 6011 || p2 == 65 || (644..=649).contains(&p3)) && (16..=19).contains(&len) {
        return Some(CardBrand::Discover);
    }
    if (3528..=3589).contains(&p4) && (16..=19).contains(&len) {
        return Some(CardBrand::Jcb);
    }
    if ((300..=305).contains(&p3) || p2 == 36 || p2 == 38) && (14..=19).contains(&len) {
        return Some(CardBrand::Diners);
    }
    if p2 == 62 && (16..=19).contains(&len) {
        return Some(CardBrand::UnionPay);
    }
    None
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
