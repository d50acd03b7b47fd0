//! Postal addresses: a house number followed by an English or French
//! street, a German street name followed by its number, and French streets
//! without a number; with the byte checks that gate them.

use super::numbers::NumericSpan;
use super::patterns::{DE_STRONG, DE_WEAK, RE_ADDR_EN, RE_ADDR_FR, RE_ADDR_FR_FREE};
use super::{CellContext, Scanner, floor_boundary, is_alnum};
use crate::entity::EntityType::{self, *};

/// The F_FR_STREET anchors without their trailing space, lower-case as
/// RE_ADDR_FR_FREE (case-sensitive) needs them.
const FR_STREET_WORDS: &[&[u8]] = &[
    b"rue",
    b"avenue",
    b"boulevard",
    b"chemin",
    b"impasse",
    "allée".as_bytes(),
    b"quai",
    b"route",
    b"cours",
    b"passage",
];

/// The last three bytes of `w`, packed.
#[inline]
const fn last_three_bytes(w: &[u8]) -> u32 {
    let n = w.len();
    (w[n - 3] as u32) << 16 | (w[n - 2] as u32) << 8 | w[n - 1] as u32
}

/// Whether one of [`FR_STREET_WORDS`] occurs right before a space in `b`.
/// RE_ADDR_FR_FREE needs one (a street word, then spaces and an upper-case
/// letter): where none occurs the regex cannot match, whatever the anchor
/// pass finds.
#[inline]
pub(super) fn fr_street_word(b: &[u8]) -> bool {
    const TAILS: [u32; FR_STREET_WORDS.len()] = {
        let mut t = [0; FR_STREET_WORDS.len()];
        let mut i = 0;
        while i < t.len() {
            t[i] = last_three_bytes(FR_STREET_WORDS[i]);
            i += 1;
        }
        t
    };
    /// The last bytes of the words (0xA9 ends 'é'), as a bitmap.
    const LAST: [u64; 4] = {
        let mut m = [0u64; 4];
        let mut i = 0;
        while i < FR_STREET_WORDS.len() {
            let w = FR_STREET_WORDS[i];
            let c = w[w.len() - 1];
            m[(c >> 6) as usize] |= 1 << (c & 63);
            i += 1;
        }
        m
    };
    let word_before = |sp: usize| {
        let c = b[sp - 1];
        if sp < 3 || LAST[(c >> 6) as usize] & (1 << (c & 63)) == 0 {
            return false;
        }
        let pre = &b[..sp];
        TAILS.contains(&last_three_bytes(pre)) && FR_STREET_WORDS.iter().any(|w| pre.ends_with(w))
    };
    // the spaces, 8 bytes at a time: a zero byte of `x` is a space
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    let mut base = 0;
    while base < b.len() {
        let word = match b.get(base..base + 8) {
            Some(w) => u64::from_le_bytes(w.try_into().expect("8 bytes")),
            // the last, shorter chunk, zero-padded (a zero is no space)
            None => b[base..].iter().rev().fold(0u64, |w, &c| w << 8 | c as u64),
        };
        let x = word ^ (b' ' as u64 * ONES);
        // bit 7 of each zero byte (and possibly of a byte above one: checked)
        let mut zeros = x.wrapping_sub(ONES) & !x & (0x80 * ONES);
        while zeros != 0 {
            let sp = base + (zeros.trailing_zeros() / 8) as usize;
            zeros &= zeros - 1;
            if sp > 0 && sp < b.len() && b[sp] == b' ' && word_before(sp) {
                return true;
            }
        }
        base += 8;
    }
    false
}

/// Whether `b` holds "rue".
#[inline]
pub(super) fn has_rue(b: &[u8]) -> bool {
    b.windows(3)
        .any(|w| w[0] == b'r' && w[1] == b'u' && w[2] == b'e')
}

impl Scanner {
    /// French streets without a house number.
    #[inline(never)]
    pub(super) fn fr_streets(
        &self,
        text: &str,
        ctx: &CellContext<'_>,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        for m in RE_ADDR_FR_FREE.find_iter(text) {
            let conf = ctx.boost(StreetAddress, m.start(), m.end(), 0.55, 0.2, 0.25);
            push(StreetAddress, m.start(), m.end(), conf);
        }
    }

    /// A street address around the house number `sp`.
    pub(super) fn address(
        &self,
        text: &str,
        sp: &NumericSpan,
        ctx: &CellContext<'_>,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let b = text.as_bytes();
        // house number: one group, or "67/56"
        let ok_shape = sp.group_count == 1
            || (sp.group_count == 2 && (sp.separators[0] == b'/' || sp.separators[0] == b'-'));
        if !ok_shape {
            return;
        }
        let end = sp.end;
        let tail_end = floor_boundary(text, (end + 160).min(text.len()));
        let tail = &text[end..tail_end];
        // "H.No. 840"
        let mut start = sp.start;
        let pre = &text[..start];
        for p in ["H.No. ", "H.No.", "House No. ", "No. "] {
            if pre.ends_with(p) {
                start -= p.len();
                break;
            }
        }
        if let Some(m) = RE_ADDR_EN.find(tail) {
            let e = end + m.end();
            if e == b.len() || !is_alnum(b[e]) {
                let conf = ctx.boost(StreetAddress, start, e, 0.65, 0.2, 0.25);
                push(StreetAddress, start, e, conf);
                return;
            }
        }
        if let Some(m) = RE_ADDR_FR.find(tail) {
            let e = end + m.end();
            let conf = ctx.boost(StreetAddress, start, e, 0.75, 0.15, 0.2);
            push(StreetAddress, start, e, conf);
            return;
        }
        // German: the street word precedes the number
        if sp.start >= 4 && b[sp.start - 1] == b' ' && sp.digits() <= 4 {
            let before = &text[..sp.start - 1];
            let ws = before
                .rfind([' ', '\n', '\t', ',', '('])
                .map(|p| p + 1)
                .unwrap_or(0);
            let word = &before[ws..];
            if word.chars().next().is_some_and(char::is_uppercase) {
                let lw = word.to_lowercase();
                let strong = DE_STRONG.iter().any(|s| lw.ends_with(s));
                let weak = lw.contains('-') && DE_WEAK.iter().any(|s| lw.ends_with(s));
                if strong || weak {
                    let mut s = ws;
                    // a separate suffix word ("Berliner Straße"): take the word before too
                    if DE_STRONG.iter().any(|x| lw == *x) && ws >= 2 {
                        let prev = &text[..ws - 1];
                        let ps = prev
                            .rfind([' ', '\n', '\t', ','])
                            .map(|p| p + 1)
                            .unwrap_or(0);
                        if prev[ps..].chars().next().is_some_and(char::is_uppercase) {
                            s = ps;
                        }
                    }
                    let mut e = sp.end;
                    if e < b.len()
                        && b[e].is_ascii_lowercase()
                        && (e + 1 == b.len() || !is_alnum(b[e + 1]))
                    {
                        e += 1;
                    }
                    let conf = ctx.boost(StreetAddress, s, e, 0.7, 0.2, 0.25);
                    push(StreetAddress, s, e, conf);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::patterns::RE_ADDR_FR_FREE;
    use super::super::tests::{Rng, random_text};
    use super::*;

    #[test]
    fn fr_street_word_finds_every_lower_case_word_before_a_space() {
        let mut r = Rng(3);
        for _ in 0..20000 {
            let t = random_text(&mut r);
            let b = t.as_bytes();
            let plain = FR_STREET_WORDS.iter().any(|w| {
                b.windows(w.len() + 1)
                    .any(|x| x[..w.len()] == **w && x[w.len()] == b' ')
            });
            assert_eq!(fr_street_word(b), plain, "{t:?}");
            // and RE_ADDR_FR_FREE cannot match without one
            if !plain {
                assert!(!RE_ADDR_FR_FREE.is_match(&t), "{t:?}");
            }
        }
    }
}
