//! Network identifiers: IPv6 and MAC addresses, the byte checks that gate
//! their regexes, and the IPv4 check of a numeric span (IPv4 addresses are
//! found among the numeric spans, see `numbers`).

use super::numbers::{NumericSpan, group_value};
use super::patterns::{RE_IPV6, RE_MAC};
use super::{CellContext, Scanner, is_alnum};
use crate::entity::EntityType::{self, *};
use std::net::{Ipv4Addr, Ipv6Addr};

/// Whether `b` holds "::".
#[inline]
pub(super) fn has_double_colon(b: &[u8]) -> bool {
    b.windows(2).any(|w| w[0] == b':' && w[1] == b':')
}

/// Whether `b` holds `hhhh.hhhh.hhhh` (hex digits), the dotted MAC form.
/// Only the dots are visited: the form is `hhhh.` at a dot.
#[inline]
pub(super) fn has_dotted_hex(b: &[u8]) -> bool {
    let hex4 = |i: usize| b[i..i + 4].iter().all(u8::is_ascii_hexdigit);
    if b.len() < 14 {
        return false;
    }
    let last = b.len() - 14;
    let mut from = 4;
    while let Some(k) = b[from..=last + 4].iter().position(|&c| c == b'.') {
        let i = from + k - 4;
        from += k + 1;
        if b[i + 9] == b'.' && hex4(i) && hex4(i + 5) && hex4(i + 10) {
            return true;
        }
    }
    false
}

/// The octets of the span when its text is an IPv4 address in the form
/// `Ipv4Addr::from_str` accepts (four groups of 1-3 digits joined by single
/// dots, each at most 255, no leading zero), read from the groups.
#[inline]
pub(super) fn ipv4_octets(b: &[u8], sp: &NumericSpan) -> Option<[u8; 4]> {
    let g = &sp.groups;
    let mut o = [0u8; 4];
    let ok = sp.group_count == 4
        && sp.start == g[0].0
        && (0..3).all(|k| g[k + 1].0 == g[k].1 + 1 && b[g[k].1] == b'.')
        && (0..4).all(|k| {
            let (s, e) = g[k];
            let v = group_value(b, g[k]);
            o[k] = v as u8;
            (1..=3).contains(&(e - s)) && v <= 255 && (e - s == 1 || b[s] != b'0')
        });
    let octets = ok.then_some(o);
    debug_assert_eq!(
        octets,
        std::str::from_utf8(&b[sp.start..sp.end])
            .ok()
            .and_then(|t| t.parse::<Ipv4Addr>().ok())
            .map(|ip| ip.octets()),
    );
    octets
}

impl Scanner {
    /// IPv6 addresses.
    #[inline(never)]
    pub(super) fn ipv6_addresses(
        &self,
        text: &str,
        ctx: &CellContext<'_>,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let b = text.as_bytes();
        for m in RE_IPV6.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            if m.as_str().bytes().filter(|&c| c == b':').count() < 2 {
                continue;
            }
            if s > 0 && (is_alnum(b[s - 1]) || b[s - 1] == b':') {
                continue;
            }
            if e < b.len() && (is_alnum(b[e]) || b[e] == b':') {
                continue;
            }
            if let Ok(addr) = m.as_str().parse::<Ipv6Addr>() {
                let base = if addr.is_unspecified() || addr.is_loopback() {
                    0.55
                } else {
                    0.85
                };
                let conf = ctx.boost(Ipv6, s, e, base, 0.1, 0.1);
                push(Ipv6, s, e, conf);
            }
        }
    }

    /// MAC addresses.
    #[inline(never)]
    pub(super) fn mac_addresses(
        &self,
        text: &str,
        ctx: &CellContext<'_>,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let b = text.as_bytes();
        for m in RE_MAC.find_iter(text) {
            let s = m.as_str();
            let (ms, me) = (m.start(), m.end());
            if s.len() == 17 {
                let sep = s.as_bytes()[2];
                if !s.bytes().skip(2).step_by(3).all(|c| c == sep) {
                    continue;
                }
                // not part of a longer colon/hyphen sequence
                if me + 1 < b.len()
                    && (b[me] == b':' || b[me] == b'-')
                    && b[me + 1].is_ascii_hexdigit()
                {
                    continue;
                }
                if ms >= 2
                    && (b[ms - 1] == b':' || b[ms - 1] == b'-')
                    && b[ms - 2].is_ascii_hexdigit()
                {
                    continue;
                }
            }
            let conf = ctx.boost(MacAddress, ms, me, 0.85, 0.1, 0.1);
            push(MacAddress, ms, me, conf);
        }
    }
}
