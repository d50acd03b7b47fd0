//! Redaction: keep only what an auditor needs to recognise the kind of value.

use crate::entity::EntityType;

const MAX_STARS: usize = 12;

/// Redacts `text` (the matched value) for `entity`:
///
/// * email: `j***@e***.com`
/// * US SSN: `***-**-6789`
/// * card: `**** **** **** 4242`
/// * phone: every digit but the last two becomes `*` (separators kept)
/// * IBAN: country code + stars + last 4 characters
/// * national ids and VAT numbers (`uk_nhs_number` ... `eu_vat`): every
///   letter and digit but the last two becomes `*`, separators kept
///   (`*** *** **19`, `***.***.***-09`); a VAT number keeps its country
///   prefix (`DE*******89`)
/// * secrets: a 4-character prefix + `********` (PEM: the BEGIN line; URL
///   credentials: scheme, first letter of the user and the host)
/// * anything else: first character + stars
pub fn redact(entity: EntityType, text: &str) -> String {
    match entity {
        EntityType::Email => redact_email(text),
        EntityType::UsSsn => with_last_digits("***-**-", text, 4),
        EntityType::CreditCard => with_last_digits("**** **** **** ", text, 4),
        EntityType::Phone => redact_phone(text),
        EntityType::Iban => {
            let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let n = compact.chars().count();
            if n <= 6 {
                return generic(text);
            }
            let head: String = compact.chars().take(2).collect();
            let tail: String = compact.chars().skip(n - 4).collect();
            format!("{head}{}{tail}", "*".repeat(n - 6))
        }
        EntityType::PrivateKey => {
            let first = text.lines().next().unwrap_or("").trim();
            if first.starts_with("-----BEGIN") && first.len() < 64 {
                format!("{first} ********")
            } else {
                prefix4(text)
            }
        }
        EntityType::UrlCredentials => redact_url(text),
        EntityType::EuVat => redact_id(text, 2),
        e if e.is_national_id() => redact_id(text, 0),
        e if e.is_secret() => prefix4(text),
        _ => generic(text),
    }
}

fn generic(text: &str) -> String {
    const STARS: &str = "************";
    const _: () = assert!(STARS.len() == MAX_STARS);
    let mut chars = text.chars();
    match chars.next() {
        None => String::new(),
        Some(c) => {
            // the stars stand for the other characters, at most MAX_STARS:
            // no need to count past that (a char starts at each byte that is
            // not a UTF-8 continuation byte)
            let mut n = 0;
            for &b in chars.as_str().as_bytes() {
                if n == MAX_STARS {
                    break;
                }
                n += usize::from((b as i8) >= -0x40);
            }
            let mut s = String::with_capacity(c.len_utf8() + n);
            s.push(c);
            s.push_str(&STARS[..n]);
            s
        }
    }
}

fn prefix4(text: &str) -> String {
    let p: String = text.chars().take(4).collect();
    format!("{p}********")
}

/// `prefix` followed by the last `n` (at most 8) ASCII digits of `text`.
fn with_last_digits(prefix: &str, text: &str, n: usize) -> String {
    // ASCII digits are single bytes, so the bytes give the same digits as the chars
    let mut tail = [0u8; 8];
    let n = n.min(tail.len());
    let mut k = 0;
    for &c in text.as_bytes().iter().rev() {
        if k == n {
            break;
        }
        if c.is_ascii_digit() {
            k += 1;
            tail[n - k] = c;
        }
    }
    let mut s = String::with_capacity(prefix.len() + k);
    s.push_str(prefix);
    s.extend(tail[n - k..n].iter().map(|&c| c as char));
    s
}

fn first_char(s: &str) -> Option<char> {
    s.chars().next()
}

fn redact_email(text: &str) -> String {
    // '@' and '.' are ASCII: their byte positions are char boundaries
    let b = text.as_bytes();
    let Some(at) = b.iter().rposition(|&c| c == b'@') else {
        return generic(text);
    };
    let (local, domain) = (&text[..at], &text[at + 1..]);
    let (host, tld) = match domain.as_bytes().iter().rposition(|&c| c == b'.') {
        Some(dot) => (&domain[..dot], &domain[dot + 1..]),
        None => (domain, ""),
    };
    let mut s = String::with_capacity(16 + tld.len());
    if let Some(c) = first_char(local) {
        s.push(c);
    }
    s.push_str("***@");
    if let Some(c) = first_char(host) {
        s.push(c);
    }
    s.push_str("***");
    if !tld.is_empty() {
        s.push('.');
        s.push_str(tld);
    }
    s
}

fn redact_phone(text: &str) -> String {
    // every digit before the last two becomes '*': find where the
    // second-to-last digit is, from the end
    let mut bytes = text.as_bytes().to_vec();
    let mut cut = 0;
    let mut kept = 0;
    for (i, &c) in bytes.iter().enumerate().rev() {
        if c.is_ascii_digit() {
            kept += 1;
            if kept == 2 {
                cut = i;
                break;
            }
        }
    }
    for c in &mut bytes[..cut] {
        if c.is_ascii_digit() {
            *c = b'*';
        }
    }
    // ASCII digits became ASCII '*': still valid UTF-8
    String::from_utf8(bytes).expect("only ASCII digits were replaced")
}

/// Every ASCII letter and digit of `text` becomes `*` except the first
/// `keep` and the last two; other bytes are kept. A value of no more than
/// `keep + 2` letters and digits gets the generic form.
fn redact_id(text: &str, keep: usize) -> String {
    let alnum = text.bytes().filter(u8::is_ascii_alphanumeric).count();
    if alnum <= keep + 2 {
        return generic(text);
    }
    let mut seen = 0;
    let bytes: Vec<u8> = text
        .bytes()
        .map(|c| {
            if !c.is_ascii_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= keep || seen > alnum - 2 {
                c
            } else {
                b'*'
            }
        })
        .collect();
    // ASCII letters and digits became ASCII '*': still valid UTF-8
    String::from_utf8(bytes).expect("only ASCII bytes were replaced")
}

fn redact_url(text: &str) -> String {
    let Some((scheme, rest)) = text.split_once("://") else {
        return prefix4(text);
    };
    let Some((creds, host)) = rest.rsplit_once('@') else {
        return prefix4(text);
    };
    let u = creds.chars().next().map(String::from).unwrap_or_default();
    format!("{scheme}://{u}***:****@{host}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityType::*;

    #[test]
    fn formats() {
        assert_eq!(redact(Email, "john.doe@example.com"), "j***@e***.com");
        assert_eq!(redact(UsSsn, "123-45-6789"), "***-**-6789");
        assert_eq!(redact(UsSsn, "123456789"), "***-**-6789");
        assert_eq!(
            redact(CreditCard, "4242 4242 4242 4242"),
            "**** **** **** 4242"
        );
        assert_eq!(redact(CreditCard, "378282246310005"), "**** **** **** 0005");
        assert_eq!(redact(Phone, "+1 (555) 123-4567"), "+* (***) ***-**67");
        assert_eq!(
            redact(Iban, "DE89 3704 0044 0532 0130 00"),
            "DE****************3000"
        );
        assert_eq!(redact(AwsAccessKey, "AKIAIOSFODNN7EXAMPLE"), "AKIA********");
        assert_eq!(
            redact(GithubToken, "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            "ghp_********"
        );
        assert_eq!(redact(PersonName, "John Smith"), "J*********");
        assert_eq!(redact(DateOfBirth, "1985-03-12"), "1*********");
        assert_eq!(
            redact(UrlCredentials, "postgres://admin:hunter2@db.example.com"),
            "postgres://a***:****@db.example.com"
        );
        assert_eq!(
            redact(
                PrivateKey,
                "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----"
            ),
            "-----BEGIN RSA PRIVATE KEY----- ********"
        );
        assert_eq!(redact(Passport, ""), "");
        assert_eq!(redact(UkNhsNumber, "943 476 5919"), "*** *** **19");
        assert_eq!(redact(BrCpf, "123.456.789-09"), "***.***.***-09");
        assert_eq!(redact(BrCnpj, "12.345.678/0001-95"), "**.***.***/****-95");
        assert_eq!(redact(ItFiscalCode, "RSSMRA85T10A562S"), "**************2S");
        assert_eq!(redact(EuVat, "DE 136695976"), "DE *******76");
        assert_eq!(redact(EuVat, "DE1"), "D**");
        assert_eq!(redact(UkNino, "AB 12 34 56 C"), "** ** ** *6 C");
        assert_eq!(redact(UsSsn, "12"), "***-**-12");
        assert_eq!(redact(Email, "é@x"), "é***@x***");
        assert_eq!(redact(Email, "a@b.c.de"), "a***@b***.de");
    }

    #[test]
    fn never_contains_the_secret_part() {
        let raw = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
        let r = redact(StripeKey, raw);
        assert!(!r.contains("4eC39HqLyjWDarjtT1zdp7dc"));
        let r = redact(HighEntropySecret, "Zx9vQ2LmT7pR4sW8yB1nC6kD");
        assert_eq!(r, "Zx9v********");
    }

    /// Generic, e-mail and phone redaction as they were written before
    /// (char by char), for comparison.
    fn before(entity: EntityType, text: &str) -> String {
        let generic = |text: &str| {
            let mut chars = text.chars();
            match chars.next() {
                None => String::new(),
                Some(c) => {
                    let n = chars.count().min(MAX_STARS);
                    let mut s = String::new();
                    s.push(c);
                    s.extend(std::iter::repeat_n('*', n));
                    s
                }
            }
        };
        match entity {
            Email => {
                let Some((local, domain)) = text.rsplit_once('@') else {
                    return generic(text);
                };
                let (host, tld) = domain.rsplit_once('.').unwrap_or((domain, ""));
                let mut s = String::new();
                s.extend(local.chars().next());
                s.push_str("***@");
                s.extend(host.chars().next());
                s.push_str("***");
                if !tld.is_empty() {
                    s.push('.');
                    s.push_str(tld);
                }
                s
            }
            Phone => {
                let total = text.bytes().filter(u8::is_ascii_digit).count();
                let mut seen = 0;
                let mut s = String::new();
                for c in text.chars() {
                    if c.is_ascii_digit() {
                        seen += 1;
                        s.push(if seen + 2 > total { c } else { '*' });
                    } else {
                        s.push(c);
                    }
                }
                s
            }
            _ => generic(text),
        }
    }

    #[test]
    fn same_as_before() {
        let pieces = [
            "a", "é", "日", "@", ".", "1", "23", "+", "(", ")", "-", " ", "x", "com", "ß", "’",
        ];
        let mut seed = 3u64;
        for _ in 0..50000 {
            let mut t = String::new();
            for _ in 0..(seed % 30) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                t.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            seed = seed.wrapping_add(1);
            for e in [Email, Phone, PersonName, Ipv4] {
                assert_eq!(redact(e, &t), before(e, &t), "{e} {t:?}");
            }
        }
    }
}
