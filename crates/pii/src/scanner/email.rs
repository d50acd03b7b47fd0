//! Cells with an '@': URL credentials and e-mail addresses (found from each
//! '@' by hand, the domain checked in one byte pass).

use super::patterns::RE_URL_CREDS;
use super::prefilter::F_URL;
use super::{CellContext, Scanner};
use crate::entity::EntityType::{self, *};

impl Scanner {
    /// URL credentials and e-mail addresses (the cell has an '@').
    #[inline(never)]
    pub(super) fn at_sign(
        &self,
        text: &str,
        flags: u32,
        ctx: &CellContext<'_>,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        if flags & F_URL != 0 && self.is_enabled(UrlCredentials) {
            for m in RE_URL_CREDS.find_iter(text) {
                let s = m.as_str();
                let pw = s
                    .split_once("://")
                    .and_then(|(_, r)| r.rsplit_once('@'))
                    .and_then(|(c, _)| c.split_once(':'));
                let placeholder = pw.is_some_and(|(_, p)| {
                    p.starts_with('$')
                        || p.starts_with('{')
                        || p.starts_with('<')
                        || p.bytes().all(|c| c == b'*' || c == b'x')
                });
                push(
                    UrlCredentials,
                    m.start(),
                    m.end(),
                    if placeholder { 0.3 } else { 0.95 },
                );
            }
        }
        if self.is_enabled(Email) {
            emails(text, |s, e| {
                let conf = ctx.boost(Email, s, e, 0.9, 0.05, 0.05);
                push(Email, s, e, conf);
            });
        }
    }
}

/// Whether `c` can be in the local part of an e-mail address.
#[inline]
fn is_local_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c >= 0x80 || b"._%+-".contains(&c)
}

/// Whether `c` can be in a domain name.
#[inline]
fn is_domain_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'.' || c == b'-'
}

/// E-mail addresses, found from each '@': the local part extends left over
/// letters (Unicode included), digits and `._%+-`; the domain right over
/// LDH labels ending in an alphabetic TLD of 2-24 letters.
#[inline]
fn emails(text: &str, mut f: impl FnMut(usize, usize)) {
    let b = text.as_bytes();
    let mut last_end = 0;
    let mut from = 0;
    while let Some(off) = b[from..].iter().position(|&c| c == b'@') {
        let at = from + off;
        from = at + 1;
        if at < last_end {
            continue;
        }
        let mut s = at;
        while s > last_end && at - s < 64 && is_local_byte(b[s - 1]) {
            s -= 1;
        }
        // start on a char boundary, at a letter/digit
        while s < at
            && (!text.is_char_boundary(s) || !(b[s].is_ascii_alphanumeric() || b[s] >= 0x80))
        {
            s += 1;
        }
        if s == at {
            continue;
        }
        let mut e = at + 1;
        while e < b.len() && is_domain_byte(b[e]) {
            e += 1;
        }
        // trim trailing dots/hyphens
        while e > at + 1 && (b[e - 1] == b'.' || b[e - 1] == b'-') {
            e -= 1;
        }
        if !domain_ok(&b[at + 1..e]) {
            continue;
        }
        // a non-ASCII char right after the TLD means we cut a word
        if e < b.len() && b[e] >= 0x80 {
            continue;
        }
        f(s, e);
        last_end = e;
    }
}

/// Whether `d` is a domain: labels between dots, none empty, at most 63
/// bytes, no '-' at either end, the last one (the TLD, after at least one
/// dot) 2-24 ASCII letters.
#[inline]
fn domain_ok(d: &[u8]) -> bool {
    let mut dots = 0;
    let mut start = 0;
    for k in 0..=d.len() {
        if k < d.len() && d[k] != b'.' {
            continue;
        }
        let l = &d[start..k];
        if l.is_empty() || l.len() > 63 || l[0] == b'-' || l[l.len() - 1] == b'-' {
            return false;
        }
        if k < d.len() {
            dots += 1;
            start = k + 1;
        }
    }
    let tld = &d[start..];
    dots > 0 && (2..=24).contains(&tld.len()) && tld.iter().all(u8::is_ascii_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::super::network::has_dotted_hex;
    use super::super::tests::{Rng, random_bytes};
    use super::*;

    #[test]
    fn dotted_hex_and_domains_match_the_earlier_code() {
        fn dotted_hex_before(b: &[u8]) -> bool {
            let hex4 = |i: usize| b[i..i + 4].iter().all(u8::is_ascii_hexdigit);
            b.len() >= 14
                && (0..=b.len() - 14).any(|i| {
                    b[i + 4] == b'.' && b[i + 9] == b'.' && hex4(i) && hex4(i + 5) && hex4(i + 10)
                })
        }
        fn domain_before(domain: &str) -> bool {
            let Some((_, tld)) = domain.rsplit_once('.') else {
                return false;
            };
            let labels_ok = domain.split('.').all(|l| {
                !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-')
            });
            labels_ok
                && (2..=24).contains(&tld.len())
                && tld.bytes().all(|c| c.is_ascii_alphabetic())
        }
        let mut r = Rng(4);
        for _ in 0..50000 {
            let b = random_bytes(&mut r, b"0a9F.g", 30);
            assert_eq!(has_dotted_hex(&b), dotted_hex_before(&b), "{b:?}");
            let d = random_bytes(&mut r, b"ab-.9", 12);
            let d = std::str::from_utf8(&d).unwrap();
            assert_eq!(domain_ok(d.as_bytes()), domain_before(d), "{d:?}");
        }
        let long = format!("a.{}.com", "x".repeat(64));
        assert_eq!(domain_ok(long.as_bytes()), domain_before(&long));
    }
}
