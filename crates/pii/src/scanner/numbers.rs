//! Numbers: the hand-written scan for runs of digit groups ([`NumericSpan`])
//! and the detectors that read them (payment cards, US SSNs, phones, IPv4
//! addresses, house numbers), plus IBANs.

use super::address::has_rue;
use super::national::{DIGIT_TYPES, national_layout_possible};
use super::network::ipv4_octets;
use super::patterns::RE_IBAN_START;
use super::prefilter::Features;
use super::{CellContext, Scanner, exhaustive, is_alnum};
use crate::context::{self, ColumnContext, VERSION_WORDS};
use crate::entity::EntityType::{self, *};
use crate::phone::{self, International, National};
use crate::validate::{card_brand, iban_length, iban_valid, luhn_valid, ssn_valid};

/// A run of digits joined by single separators, found by hand in one pass.
#[derive(Clone, Copy)]
pub(super) struct NumericSpan {
    /// Byte offset of the first byte (a digit, '+' or '(').
    pub(super) start: usize,
    /// Byte offset one past the last digit.
    pub(super) end: usize,
    /// The digit groups (start, end); the first `group_count` are set.
    pub(super) groups: [(usize, usize); 12],
    /// How many of `groups` are set.
    pub(super) group_count: usize,
    /// separator byte between group k and k+1 (the last non-paren byte, or b'(' / b')')
    pub(super) separators: [u8; 12],
    /// Whether a word runs into the span's start ("#12", "ab-12").
    pub(super) glued_before: bool,
    /// Whether a word runs on from the span's end ("12ab", "12-ab").
    pub(super) glued_after: bool,
    /// Where a phone extension after the span ("x12", " ext. 12") ends, or 0.
    extension_end: usize,
}

impl NumericSpan {
    /// How many digits the groups hold.
    #[inline]
    pub(super) fn digits(&self) -> usize {
        self.groups[..self.group_count]
            .iter()
            .map(|(s, e)| e - s)
            .sum()
    }
    /// The length of each group.
    #[inline]
    fn group_lengths(&self) -> impl Iterator<Item = usize> + '_ {
        self.groups[..self.group_count].iter().map(|(s, e)| e - s)
    }
}

/// The bytes that join two groups of a span (at most two in a row).
const SPAN_SEPARATORS: &[u8] = b" -./()";

/// The first position from `i` on whose byte is a digit, '+' or '(' (where
/// a span can start), or `b.len()`: eight bytes at a time.
#[inline]
fn next_span_start(b: &[u8], mut i: usize) -> usize {
    let start = |c: u8| c.is_ascii_digit() || c == b'+' || c == b'(';
    // the next start is often close: a few bytes one by one first
    for _ in 0..4 {
        if i >= b.len() || start(b[i]) {
            return i.min(b.len());
        }
        i += 1;
    }
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = 0x80 * ONES;
    // bit 7 of each zero byte of `x`, exactly (no borrow between bytes)
    let zeros = |x: u64| !(((x & !HIGH) + !HIGH) | x) & HIGH;
    while let Some(w) = b.get(i..i + 8) {
        let w = u64::from_le_bytes(w.try_into().expect("8 bytes"));
        let low = w & !HIGH;
        // '0'..='9': at least 0x30 and below 0x3A, and ASCII
        let digits = (low + (0x80 - 0x30) * ONES) & !(low + (0x80 - 0x3A) * ONES) & !w & HIGH;
        let m = digits | zeros(w ^ (b'+' as u64 * ONES)) | zeros(w ^ (b'(' as u64 * ONES));
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && !start(b[i]) {
        i += 1;
    }
    i
}

/// Calls `f` with each numeric span of `b`, left to right.
#[inline]
fn for_each_numeric_span(b: &[u8], mut f: impl FnMut(&NumericSpan)) {
    let n = b.len();
    let mut i = 0;
    loop {
        // bytes that cannot start a span are skipped
        i = next_span_start(b, i);
        if i >= n {
            break;
        }
        let c = b[i];
        let starts = c.is_ascii_digit()
            || ((c == b'+' || c == b'(')
                && i + 1 < n
                && (b[i + 1].is_ascii_digit() || (c == b'+' && b[i + 1] == b'(')));
        if !starts {
            i += 1;
            continue;
        }
        if i > 0 && is_alnum(b[i - 1]) {
            i += 1;
            while i < n && is_alnum(b[i]) {
                i += 1;
            }
            continue;
        }
        let glued_before = i >= 1
            && (b[i - 1] == b'#' || (i >= 2 && b"-_/.".contains(&b[i - 1]) && is_alnum(b[i - 2])));
        let start = i;
        let mut j = i;
        while j < n && (b[j] == b'+' || b[j] == b'(') && j < i + 2 {
            j += 1;
        }
        let mut sp = NumericSpan {
            start,
            end: start,
            groups: [(0, 0); 12],
            group_count: 0,
            separators: [0; 12],
            glued_before,
            glued_after: false,
            extension_end: 0,
        };
        loop {
            let gs = j;
            while j < n && b[j].is_ascii_digit() {
                j += 1;
            }
            if j == gs {
                break;
            }
            sp.groups[sp.group_count] = (gs, j);
            sp.group_count += 1;
            if sp.group_count == 12 {
                break;
            }
            let mut k = j;
            let mut sep = 0u8;
            while k < n && k < j + 2 && SPAN_SEPARATORS.contains(&b[k]) {
                if sep == 0 || (b[k] != b' ' && b[k] != b'(' && b[k] != b')') {
                    sep = b[k];
                }
                k += 1;
            }
            if k > j && k < n && b[k].is_ascii_digit() {
                sp.separators[sp.group_count - 1] = sep;
                j = k;
                continue;
            }
            break;
        }
        if sp.group_count == 0 {
            i = j.max(i + 1);
            continue;
        }
        sp.end = sp.groups[sp.group_count - 1].1;
        let e = sp.end;
        if e < n && is_alnum(b[e]) {
            // extension "x123"
            if (b[e] == b'x' || b[e] == b'X') && e + 1 < n && b[e + 1].is_ascii_digit() {
                let mut k = e + 1;
                while k < n && b[k].is_ascii_digit() {
                    k += 1;
                }
                if k == n || !is_alnum(b[k]) {
                    sp.extension_end = k;
                } else {
                    sp.glued_after = true;
                }
            } else {
                sp.glued_after = true;
            }
        } else if e + 1 < n && b"-_/.".contains(&b[e]) && is_alnum(b[e + 1]) {
            sp.glued_after = true;
        } else if b[e..].len() > 5 && b[e..].starts_with(b" ext") {
            let mut k = e + 4;
            while k < n && (b[k] == b'.' || b[k] == b' ') {
                k += 1;
            }
            let ds = k;
            while k < n && b[k].is_ascii_digit() {
                k += 1;
            }
            if k > ds && k - ds <= 6 {
                sp.extension_end = k;
            }
        }
        f(&sp);
        i = sp.end.max(sp.extension_end);
        while i < n && is_alnum(b[i]) {
            i += 1;
        }
    }
}

/// The value of the digits `b[s..e]` (saturating at `u32::MAX`).
#[inline]
pub(super) fn group_value(b: &[u8], (s, e): (usize, usize)) -> u32 {
    let digits = &b[s..e];
    if digits.len() <= 9 {
        // at most 999,999,999: no overflow
        digits.iter().fold(0u32, |a, &c| a * 10 + (c - b'0') as u32)
    } else {
        digits.iter().fold(0u32, |a, &c| {
            a.saturating_mul(10).saturating_add((c - b'0') as u32)
        })
    }
}

/// Whether the span starts with a calendar date (y-m-d or d.m.y).
#[inline]
fn starts_with_date(b: &[u8], sp: &NumericSpan) -> bool {
    if sp.group_count < 3 {
        return false;
    }
    let (s0, s1) = (sp.separators[0], sp.separators[1]);
    if s0 != s1 || !b"-/.".contains(&s0) {
        return false;
    }
    let l = [
        sp.groups[0].1 - sp.groups[0].0,
        sp.groups[1].1 - sp.groups[1].0,
        sp.groups[2].1 - sp.groups[2].0,
    ];
    // the values only once the lengths fit a date
    let v = |k: usize| group_value(b, sp.groups[k]);
    if l[0] == 4 && l[1] <= 2 && l[2] <= 2 {
        return (1..=12).contains(&v(1)) && (1..=31).contains(&v(2));
    }
    if l[0] <= 2 && l[1] <= 2 && (l[2] == 4 || l[2] == 2) {
        let (d0, d1) = (v(0), v(1));
        return (1..=31).contains(&d0) && (1..=31).contains(&d1) && (d0 <= 12 || d1 <= 12);
    }
    false
}

impl Scanner {
    /// IBANs (checksum validated).
    #[inline(never)]
    pub(super) fn ibans(
        &self,
        text: &str,
        ctx: &CellContext<'_>,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let b = text.as_bytes();
        for m in RE_IBAN_START.find_iter(text) {
            let s = m.start();
            let Some(len) = iban_length(&text[s..s + 2]) else {
                continue;
            };
            // collect `len` alphanumerics allowing single spaces
            let mut k = s;
            let mut got = 0;
            while k < b.len() && got < len {
                if b[k].is_ascii_digit() || b[k].is_ascii_uppercase() {
                    got += 1;
                    k += 1;
                } else if b[k] == b' ' && k + 1 < b.len() && is_alnum(b[k + 1]) && got > 0 {
                    k += 1;
                } else {
                    break;
                }
            }
            if got == len && (k == b.len() || !is_alnum(b[k])) && iban_valid(&text[s..k]) {
                let conf = ctx.boost(Iban, s, k, 0.95, 0.03, 0.03);
                push(Iban, s, k, conf);
            }
        }
    }

    /// Numeric spans: cards, SSNs, phones, IPv4 addresses, house numbers.
    #[inline(never)]
    pub(super) fn numeric(
        &self,
        text: &str,
        f: &Features,
        ctx: &CellContext<'_>,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let col = ctx.column;
        let b = text.as_bytes();
        let want_card = self.is_enabled(CreditCard) && f.digits >= 12;
        let want_ssn = self.is_enabled(UsSsn) && f.digits >= 9;
        let want_phone = self.is_enabled(Phone) && f.digits >= 7;
        let want_ip = self.is_enabled(Ipv4) && f.digits >= 4 && f.dots >= 3;
        // national numbers have 6 (personnummer before its "+") to 15 digits
        let want_national = f.digits >= 6 && self.enabled & DIGIT_TYPES != 0;
        let want_addr = self.is_enabled(StreetAddress)
            && (f.upper > 0
                || f.non_ascii
                // "rue": 3 lower-case letters, 'r' and 'u' not hex digits
                || (f.lower >= 3
                    && (exhaustive() || f.lower + f.upper >= f.hex_letters + 2)
                    && has_rue(b)));
        for_each_numeric_span(b, |sp| {
            let d = sp.digits();
            let plain_edges = !sp.glued_before && !sp.glued_after;
            if want_addr && !sp.glued_before && d <= 6 {
                self.address(text, sp, ctx, push);
            }
            // "(87071947L)", "(10.0.0.1)": the parenthesis a span may start
            // with is not the id's or the address's
            let unbracketed;
            let id_span = if b[sp.start] == b'(' {
                unbracketed = NumericSpan {
                    start: sp.groups[0].0,
                    ..*sp
                };
                &unbracketed
            } else {
                sp
            };
            // a DNI's letter or Corsica's 2A/2B runs on from the digits
            if sp.glued_after
                && (d == 8 || d == 6)
                && want_national
                && !sp.glued_before
                && b[sp.start] != b'+'
            {
                self.national_numbers(ctx, id_span, push);
            }
            let ip_layout = |groups: usize| {
                sp.separators[..3].iter().all(|&c| c == b'.')
                    && sp.groups[..4].iter().all(|&(s, e)| e - s <= 3)
                    && (groups == 4 || sp.separators[3] == b' ')
            };
            // an address with more numbers after a space ("192.168.1.10 9865.656d.e4d6")
            if want_ip && !sp.glued_before && sp.group_count > 4 && ip_layout(sp.group_count) {
                let head = NumericSpan {
                    end: sp.groups[3].1,
                    group_count: 4,
                    glued_after: false,
                    extension_end: 0,
                    ..*id_span
                };
                ipv4_candidate(b, &head, ctx, push);
                return;
            }
            if !plain_edges {
                return;
            }
            if want_ip && sp.group_count == 4 && ip_layout(4) {
                ipv4_candidate(b, id_span, ctx, push);
                return;
            }
            if starts_with_date(b, sp) {
                return;
            }
            // (no national layout is an IPv4 address or starts with a date)
            if want_national && national_layout_possible(d, sp.group_count) && b[sp.start] != b'+' {
                self.national_numbers(ctx, id_span, push);
            }
            if want_ssn {
                ssn_candidate(b, sp, ctx, push);
            }
            if want_card && d >= 12 {
                card_candidate(b, sp, ctx, push);
            }
            if want_phone && (7..=15).contains(&d) {
                let conf = self.checked_phone_score(b, sp, col, phone_score(b, sp));
                if conf > 0.0 {
                    let end = sp.end.max(sp.extension_end);
                    // A product, order or document word right before the number, or such a
                    // column, says no, unless a phone word or column says yes.
                    let conf = if ctx.names_an_identifier(sp.start)
                        && !ctx.in_cell(Phone, sp.start, end)
                        && !col.has(Phone)
                    {
                        conf.min(0.2)
                    } else {
                        ctx.boost(Phone, sp.start, end, conf, 0.3, 0.35).min(0.97)
                    };
                    push(Phone, sp.start, end, conf);
                }
            }
        });
    }
}

impl Scanner {
    /// `shape` (the span's [`phone_score`]) after libphonenumber's data has
    /// had its say. An international number needs a country code; with a
    /// valid number of that country (`+44 (0)20…` read without its `(0)`)
    /// it is 0.9, otherwise 0.55. A
    /// number without one is checked against the scan's regions and the
    /// column's: valid and grouped as one of them writes its numbers (`020
    /// 7946 0958`, `06 12 34 56 78`, `(202) 555-0143`), it is at least 0.75;
    /// when the scan declared its regions or the column names one, a number
    /// valid in none of them is at most 0.3 (a phone word or column can still
    /// lift it); otherwise the shape decides.
    fn checked_phone_score(
        &self,
        b: &[u8],
        sp: &NumericSpan,
        col: &ColumnContext,
        shape: f64,
    ) -> f64 {
        // "00" is the international call prefix of most of the world (`0043 650 5832693`)
        let call_prefix = b[sp.start] == b'0' && b.get(sp.start + 1) == Some(&b'0');
        if shape <= 0.0 && !call_prefix {
            return shape;
        }
        let mut buffer = [0u8; 16];
        let mut n = 0;
        for &c in &b[sp.start..sp.end] {
            if c.is_ascii_digit() && n < buffer.len() {
                buffer[n] = c;
                n += 1;
            }
        }
        let digits = &buffer[..n];
        if call_prefix {
            // only a valid number of a known country: zero-padded ids start with "00" too
            if n >= 10 && phone::international(&digits[2..]) == International::Valid {
                return shape.max(0.8);
            }
            if shape <= 0.0 {
                return shape;
            }
        }
        if b[sp.start] == b'+' {
            return match phone::international(digits) {
                International::Valid => 0.9,
                // a `+`, a country code and 8-15 digits: a phone number,
                // if one libphonenumber does not know (`+49 (0) 0525…`)
                International::Invalid => 0.55,
                International::NoSuchCountry => 0.0,
            };
        }
        let declared = !self.phone_regions.is_empty();
        let strict = declared || col.phone_region.is_some();
        // without declared regions the data only lifts a grouped number its
        // shape alone would not report (a shape of 0.5 or more is reported
        // already; checking it too halved the phone column's speed)
        if !strict && (shape >= 0.5 || (sp.group_count < 2 && b[sp.start] != b'(')) {
            return shape;
        }
        let mut groups = [0usize; 12];
        for (k, length) in sp.group_lengths().enumerate() {
            groups[k] = length;
        }
        let groups = &groups[..sp.group_count];
        let mut valid = false;
        let regions = if declared {
            self.phone_regions.as_slice()
        } else {
            phone::default_regions()
        };
        for region in regions.iter().chain(col.phone_region.as_ref()) {
            match region.check(digits, groups) {
                // (an SSN's layout is a phone's only in regions the scan declared)
                National::WrittenLikeTheRegion if shape >= 0.2 || declared => {
                    return shape.max(0.75);
                }
                National::WrittenLikeTheRegion | National::Valid => valid = true,
                National::Invalid => {}
            }
        }
        if !valid && strict {
            shape.min(0.3)
        } else {
            shape
        }
    }
}

/// A US SSN in the span (`123-45-6789`, `123 45 6789` or nine digits).
#[inline]
fn ssn_candidate(
    b: &[u8],
    sp: &NumericSpan,
    ctx: &CellContext<'_>,
    push: &mut impl FnMut(EntityType, usize, usize, f64),
) {
    let mut lens_buf = [0usize; 12];
    for (k, l) in sp.group_lengths().enumerate() {
        lens_buf[k] = l;
    }
    let lens = &lens_buf[..sp.group_count];
    let (base, cell, col) =
        if sp.group_count == 3 && lens == [3, 2, 4] && sp.separators[0] == sp.separators[1] {
            match sp.separators[0] {
                b'-' => (0.75, 0.2, 0.2),
                b' ' => (0.4, 0.4, 0.4),
                _ => return,
            }
        } else if sp.group_count == 1 && lens == [9] {
            (0.3, 0.45, 0.5)
        } else {
            return;
        };
    let g = &sp.groups;
    let (area, group, serial) = if sp.group_count == 3 {
        (
            group_value(b, g[0]),
            group_value(b, g[1]),
            group_value(b, g[2]),
        )
    } else {
        let (s, _) = g[0];
        (
            group_value(b, (s, s + 3)),
            group_value(b, (s + 3, s + 5)),
            group_value(b, (s + 5, s + 9)),
        )
    };
    if !ssn_valid(area, group, serial) {
        return;
    }
    let conf = ctx.boost(UsSsn, sp.start, sp.end, base, cell, col);
    push(UsSsn, sp.start, sp.end, conf);
}

/// An IPv4 address in the four groups of `sp` (which starts at its first
/// digit): 0.8 (0.4 when every octet is small, as in version numbers),
/// raised by context, 0.15 after a version word or in a version column.
#[inline]
fn ipv4_candidate(
    b: &[u8],
    sp: &NumericSpan,
    ctx: &CellContext<'_>,
    push: &mut impl FnMut(EntityType, usize, usize, f64),
) {
    let Some(o) = ipv4_octets(b, sp) else { return };
    let small = o.iter().all(|&x| x < 20) && o[0] != 10;
    let conf = if small { 0.4 } else { 0.8 };
    let version = ctx.column.version
        || context::nearest_before(ctx.text, sp.start, 24, &VERSION_WORDS).is_some();
    let conf = if version {
        0.15
    } else {
        ctx.boost(Ipv4, sp.start, sp.end, conf, 0.15, 0.15)
    };
    push(Ipv4, sp.start, sp.end, conf);
}

/// The longest Luhn-valid card number among the span's groups.
#[inline]
fn card_candidate(
    b: &[u8],
    sp: &NumericSpan,
    ctx: &CellContext<'_>,
    push: &mut impl FnMut(EntityType, usize, usize, f64),
) {
    if sp.separators[..sp.group_count.saturating_sub(1)]
        .iter()
        .any(|&c| c != b' ' && c != b'-')
    {
        return;
    }
    // every run of consecutive groups with 12-19 digits, longest first from the left
    for i in 0..sp.group_count {
        let mut best: Option<(usize, usize)> = None;
        let mut d = 0;
        for j in i..sp.group_count {
            d += sp.groups[j].1 - sp.groups[j].0;
            if d > 19 {
                break;
            }
            if d >= 12 {
                best = Some((j, d));
            }
        }
        let Some(_) = best else { continue };
        // try the longest first, then shorter
        let mut ends: Vec<usize> = Vec::new();
        let mut d = 0;
        for j in i..sp.group_count {
            d += sp.groups[j].1 - sp.groups[j].0;
            if d > 19 {
                break;
            }
            if d >= 12 {
                ends.push(j);
            }
        }
        for &j in ends.iter().rev() {
            let s = sp.groups[i].0;
            let e = sp.groups[j].1;
            let mut digits = [0u8; 19];
            let mut n = 0;
            for &c in &b[s..e] {
                if c.is_ascii_digit() {
                    digits[n] = c;
                    n += 1;
                }
            }
            let digits = &digits[..n];
            let text = std::str::from_utf8(digits).unwrap_or("");
            if !luhn_valid(text) {
                continue;
            }
            // A known scheme's range and length is strong evidence; a Luhn-valid number of
            // no scheme, or a 12-digit Maestro, needs a card word or column name.
            // A product, order or document word right before a number of an article
            // number's length (EAN-13, GTIN-14: either can be a Luhn-valid 13-digit
            // Visa or 14-digit Diners), or such a column, says no, unless a card word
            // or column says yes.
            if n <= 14
                && ctx.names_an_identifier(s)
                && !ctx.in_column(CreditCard)
                && !ctx.in_cell(CreditCard, s, e)
            {
                continue;
            }
            let conf = match card_brand(digits) {
                Some(_) if n > 12 => ctx.boost(CreditCard, s, e, 0.9, 0.08, 0.08),
                Some(_) => ctx.boost(CreditCard, s, e, 0.35, 0.3, 0.3),
                None if n > 12 => ctx.boost(CreditCard, s, e, 0.35, 0.3, 0.3),
                None => continue,
            };
            push(CreditCard, s, e, conf);
            return;
        }
    }
}

/// Base confidence that a numeric span is a phone number, from its shape.
#[inline]
fn phone_score(b: &[u8], sp: &NumericSpan) -> f64 {
    let d = sp.digits();
    let mut lens_buf = [0usize; 12];
    for (k, l) in sp.group_lengths().enumerate() {
        lens_buf[k] = l;
    }
    let lens = &lens_buf[..sp.group_count];
    let first = b[sp.start];
    let g0 = sp.groups[0];
    let g0_first = b[g0.0];
    let seps = &sp.separators[..sp.group_count - 1];
    let has_dot = seps.contains(&b'.');
    let has_slash = seps.contains(&b'/');
    if has_slash {
        return 0.0;
    }
    if first == b'+' {
        return if (8..=15).contains(&d) && g0_first != b'0' {
            0.85
        } else {
            0.0
        };
    }
    if d == 10 && lens == [3, 3, 4] && (b'2'..=b'9').contains(&g0_first) {
        return 0.8;
    }
    if d == 11 && lens == [1, 3, 3, 4] && g0_first == b'1' {
        return 0.8;
    }
    if d == 10 && lens == [2, 2, 2, 2, 2] && g0_first == b'0' {
        return 0.8;
    }
    if has_dot {
        return 0.0;
    }
    if sp.group_count >= 2
        && lens[0] <= 3
        && lens[1..].iter().all(|&l| l == 3)
        && seps.iter().all(|&c| c == b' ')
    {
        return 0.2; // "1 234 567": a grouped number
    }
    if lens == [3, 2, 4] && seps == b"--" {
        return 0.1; // a US SSN's layout: a phone only where a region writes numbers so
    }
    if g0_first == b'0'
        && sp.group_count >= 2
        && (9..=13).contains(&d)
        && (2..=5).contains(&lens[0])
    {
        return 0.7;
    }
    if d == 10 && lens == [5, 5] && (b'6'..=b'9').contains(&g0_first) {
        return 0.65;
    }
    if sp.group_count >= 2 {
        return if (7..=12).contains(&d) { 0.4 } else { 0.0 };
    }
    // a national trunk prefix ("0" then a non-zero area code digit) on a
    // 10-11 digit run is phone-like; zero-padded ids start with "00"
    if g0_first == b'0' && (10..=11).contains(&d) && b[g0.0 + 1] != b'0' {
        0.5
    } else {
        0.3
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{Rng, random_bytes};
    use super::*;
    use std::net::Ipv4Addr;

    fn found(entity: EntityType, column: &str, text: &str) -> usize {
        Scanner::new(crate::ScanConfig::default())
            .scan_cell(column, text)
            .iter()
            .filter(|f| f.entity == entity)
            .count()
    }

    fn cards(column: &str, text: &str) -> usize {
        found(CreditCard, column, text)
    }

    #[test]
    fn a_twelve_digit_maestro_needs_a_card_word_or_column_and_an_id_column_is_not_one() {
        // 5038 5412 2481 is Luhn-valid and in Maestro's range.
        assert_eq!(cards("payment", "503854122481"), 1);
        assert_eq!(cards("card", "503854122481"), 1);
        assert_eq!(cards("notes", "paid with card 503854122481"), 1);
        assert_eq!(cards("notes", "503854122481"), 0);
        assert_eq!(cards("payment_id", "503854122481"), 0);
        assert_eq!(cards("order", "503854122481"), 0);
        // A 16-digit number of a known scheme stands on its own; JCB's legacy 15-digit range too.
        assert_eq!(cards("notes", "3589218401107041"), 1);
        assert_eq!(cards("notes", "180056508899576"), 1);
    }

    fn phones(column: &str, text: &str) -> usize {
        found(Phone, column, text)
    }

    #[test]
    fn a_product_or_order_word_or_column_says_a_number_is_not_a_phone() {
        assert_eq!(phones("notes", "SKU 216-152-1179"), 0);
        assert_eq!(phones("notes", "Order 216-152-1179 shipped"), 0);
        assert_eq!(phones("sku", "216-152-1179"), 0);
        assert_eq!(phones("order_number", "216-152-1179"), 0);
        // A phone word or column still says yes.
        assert_eq!(phones("notes", "To order, call 216-152-1179"), 1);
        assert_eq!(phones("notes", "216-152-1179"), 1);
        assert_eq!(phones("phone", "216-152-1179"), 1);
        assert_eq!(phones("notes", "Contact 2161521179 today"), 1);
    }

    #[test]
    fn ipv4_octets_match_the_std_parser() {
        let mut r = Rng(5);
        for _ in 0..50000 {
            let b = random_bytes(&mut r, b"0125.9. (+", 24);
            for_each_numeric_span(&b, |sp| {
                let std = std::str::from_utf8(&b[sp.start..sp.end])
                    .ok()
                    .and_then(|t| t.parse::<Ipv4Addr>().ok())
                    .map(|ip| ip.octets());
                assert_eq!(ipv4_octets(&b, sp), std, "{b:?}");
            });
        }
        for t in [
            "255.255.255.255",
            "256.1.1.1",
            "01.2.3.4",
            "0.0.0.0",
            "1.2.3.4",
        ] {
            for_each_numeric_span(t.as_bytes(), |sp| {
                assert_eq!(
                    ipv4_octets(t.as_bytes(), sp),
                    t.parse::<Ipv4Addr>().ok().map(|ip| ip.octets())
                );
            });
        }
    }

    #[test]
    fn num_saturates_like_before() {
        for t in [
            "0",
            "7",
            "123456789",
            "4294967295",
            "4294967296",
            "99999999999999999999",
        ] {
            let before = t.bytes().fold(0u32, |a, c| {
                a.saturating_mul(10).saturating_add((c - b'0') as u32)
            });
            assert_eq!(group_value(t.as_bytes(), (0, t.len())), before, "{t}");
        }
    }
}
