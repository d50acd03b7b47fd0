//! Personal details found through context: dates of birth, passport and
//! driver's licence numbers (only near a context word or in a matching
//! column) and person names.

use super::patterns::{RE_DATE, RE_LICENCE, RE_PASSPORT};
use super::{CellContext, Scanner, is_alnum};
use crate::context::{self, ColumnContext};
use crate::entity::EntityType::{self, *};
use crate::names;

impl Scanner {
    /// Dates with a birth context word near them or in the column name.
    #[inline(never)]
    pub(super) fn dates_of_birth(
        &self,
        text: &str,
        col: &ColumnContext,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let dates: Vec<(usize, usize, bool)> = RE_DATE
            .find_iter(text)
            .map(|m| (m.start(), m.end(), plausible_date(m.as_str())))
            .collect();
        let mut prev_end = 0usize;
        for (k, &(s, e, ok)) in dates.iter().enumerate() {
            if !ok {
                prev_end = e;
                continue;
            }
            let win = (s - prev_end).min(48);
            let next_close = dates.get(k + 1).is_some_and(|n| n.0 < e + 40);
            let near = context::nearest_before(text, s, win, context::words(DateOfBirth)).is_some()
                || (!next_close && context::around(text, e, e, 0, 14, context::words(DateOfBirth)))
                || birth_sign_before(text.as_bytes(), s);
            let conf = if near {
                0.85
            } else if col.has(DateOfBirth) {
                0.8
            } else {
                0.0
            };
            push(
                DateOfBirth,
                s,
                e,
                if near && col.has(DateOfBirth) {
                    0.9
                } else {
                    conf
                },
            );
            prev_end = e;
        }
    }

    /// Passport and driver's licence numbers (only with context).
    #[inline(never)]
    pub(super) fn documents(
        &self,
        text: &str,
        col: &ColumnContext,
        pass_on: bool,
        lic_on: bool,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let pw = context::words(Passport);
        let lw = context::words(DriversLicence);
        if pass_on {
            for m in RE_PASSPORT.find_iter(text) {
                let s = m.as_str();
                // most passports have 5 or more digits; the alphanumeric
                // numbers of some countries (`C01X00T47`) as few as one
                let digits = s.bytes().filter(u8::is_ascii_digit).count();
                if digits < 5 && (digits == 0 || s.len() < 8) {
                    continue;
                }
                let dp = context::nearest_before(text, m.start(), 40, pw);
                let dl = context::nearest_before(text, m.start(), 40, lw);
                let cell = match (dp, dl) {
                    (Some(p), Some(l)) => p < l,
                    (Some(_), None) => true,
                    _ => false,
                };
                let conf = if cell {
                    0.85
                } else if col.has(Passport) && dl.is_none() {
                    0.8
                } else {
                    0.0
                };
                push(Passport, m.start(), m.end(), conf);
            }
        }
        if lic_on {
            for m in RE_LICENCE.find_iter(text) {
                // drop leading groups without digits ("DL", "NO")
                let mut s = m.start();
                let e = m.end();
                let mut rest = m.as_str();
                while let Some(pos) = rest.find([' ', '-']) {
                    if rest[..pos].bytes().any(|c| c.is_ascii_digit()) {
                        break;
                    }
                    s += pos + 1;
                    rest = &rest[pos + 1..];
                }
                let v = &text[s..e];
                let alnum = v.bytes().filter(|c| is_alnum(*c)).count();
                let digits = v.bytes().filter(u8::is_ascii_digit).count();
                if !(5..=20).contains(&alnum)
                    || digits < 3
                    || !v.as_bytes()[0].is_ascii_alphanumeric()
                {
                    continue;
                }
                if !v.bytes().next().is_some_and(is_alnum) {
                    continue;
                }
                let dp = context::nearest_before(text, s, 40, pw);
                let dl = context::nearest_before(text, s, 40, lw);
                let cell = match (dl, dp) {
                    (Some(l), Some(p)) => l < p,
                    (Some(_), None) => true,
                    _ => false,
                };
                let conf = if cell {
                    0.8
                } else if col.has(DriversLicence) && dp.is_none() {
                    0.75
                } else {
                    0.0
                };
                push(DriversLicence, s, e, conf);
            }
        }
    }

    /// Person names (rules, name lists and context).
    #[inline(never)]
    pub(super) fn person_names(
        &self,
        text: &str,
        ctx: &CellContext<'_>,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let col = ctx.column;
        names::detect_each(text, col.has(PersonName), &mut |s, e, base, window| {
            // cell context words ("customer", "name") raise a candidate that
            // no structural cue has placed yet
            let conf = if col.has(PersonName) || !window {
                base
            } else {
                ctx.boost(PersonName, s, e, base, 0.25, 0.0).min(0.9)
            };
            push(PersonName, s, e, conf);
        });
    }
}

/// Whether the genealogical birth sign stands right before the date at `s`,
/// after a space or a parenthesis: `Name (*22.11.1967)`, `Name *3. März
/// 1950` (German and Nordic usage; a list bullet has a space after it).
fn birth_sign_before(b: &[u8], s: usize) -> bool {
    s >= 2 && b[s - 1] == b'*' && matches!(b[s - 2], b' ' | b'(')
}

/// Whether the numbers of a matched date make a plausible calendar date
/// (day, month and a year in 1900-2030 or two digits).
#[inline]
fn plausible_date(s: &str) -> bool {
    let nums: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    let year_ok = |y: u32| (1900..=2030).contains(&y) || y < 100;
    match nums.as_slice() {
        [y, m, d] if *y >= 1000 => year_ok(*y) && (1..=12).contains(m) && (1..=31).contains(d),
        [a, b, y] => {
            year_ok(*y) && (1..=31).contains(a) && (1..=31).contains(b) && (*a <= 12 || *b <= 12)
        }
        [d, y] => (1..=31).contains(d) && year_ok(*y),
        _ => false,
    }
}
