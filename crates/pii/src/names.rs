//! Person names: a bundled first/last name list, title and context rules, and
//! the [`TokenClassifier`] hook for a learned model.

use crate::entity::EntityType;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// First names (US Census 1990 + common GB/US/FR/DE/IN names from
/// nam_dict.txt); built by `data/build_names.py`.
const FIRST_NAMES: &str = include_str!("../data/first_names.txt");
/// The 5,000 most common US Census 1990 surnames; built by `data/build_names.py`.
const LAST_NAMES: &str = include_str!("../data/last_names.txt");

/// Bit of a first name in [`NameTable`] values.
const FIRST_BIT: u8 = 1;
/// Bit of a last name in [`NameTable`] values.
const LAST_BIT: u8 = 2;
/// Names of at most this many (lower-case ASCII) bytes are keyed inline.
const INLINE: usize = 16;

/// Hasher for the inline keys: one multiply-xorshift mix of the two halves
/// (SipHash, or even FNV over the bytes, would dominate a lookup).
#[derive(Default)]
struct Mix(u64);

impl Hasher for Mix {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // only used for the length-prefixed `Box<str>` keys of the fallback map
        let mut h = self.0 ^ 0xcbf2_9ce4_8422_2325;
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
    fn write_u128(&mut self, v: u128) {
        let lo = v as u64;
        let hi = (v >> 64) as u64;
        let mut x = lo.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ hi.wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
        x ^= x >> 29;
        x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x ^= x >> 32;
        self.0 = x;
    }
}

type Build = BuildHasherDefault<Mix>;

/// First and last names in one table: lower-case ASCII names of up to
/// [`INLINE`] bytes keyed by their bytes packed in a `u128` (no pointer to
/// follow), the others by string. Values: [`FIRST_BIT`] | [`LAST_BIT`].
struct NameTable {
    inline: HashMap<u128, u8, Build>,
    other: HashMap<Box<str>, u8, Build>,
    first: usize,
    last: usize,
}

/// `s` (lower-case) packed little-endian, zero-padded; `None` when it is not
/// ASCII or longer than [`INLINE`] bytes. Names hold no NUL, so the packing
/// is injective.
fn pack(s: &[u8]) -> Option<u128> {
    if s.len() > INLINE || !s.is_ascii() {
        return None;
    }
    let mut buf = [0u8; INLINE];
    buf[..s.len()].copy_from_slice(s);
    Some(u128::from_le_bytes(buf))
}

impl NameTable {
    fn add(&mut self, list: &str, bit: u8) -> usize {
        let mut distinct = std::collections::HashSet::new();
        for l in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let lower = l.to_lowercase();
            match pack(lower.as_bytes()) {
                Some(k) => *self.inline.entry(k).or_insert(0) |= bit,
                None => {
                    *self
                        .other
                        .entry(lower.clone().into_boxed_str())
                        .or_insert(0) |= bit
                }
            }
            distinct.insert(lower);
        }
        distinct.len()
    }

    /// Flags of `lower` (already lower-cased).
    fn get_lower(&self, lower: &[u8]) -> u8 {
        match pack(lower) {
            Some(k) => self.inline.get(&k).copied().unwrap_or(0),
            None => std::str::from_utf8(lower)
                .ok()
                .and_then(|s| self.other.get(s).copied())
                .unwrap_or(0),
        }
    }
}

static NAMES: LazyLock<NameTable> = LazyLock::new(|| {
    let mut t = NameTable {
        inline: HashMap::default(),
        other: HashMap::default(),
        first: 0,
        last: 0,
    };
    t.first = t.add(FIRST_NAMES, FIRST_BIT);
    t.last = t.add(LAST_NAMES, LAST_BIT);
    t
});

/// Number of bundled (first, last) names.
pub fn name_list_sizes() -> (usize, usize) {
    (NAMES.first, NAMES.last)
}

/// Whether `token` (any case) is a bundled first name.
pub fn is_first_name(token: &str) -> bool {
    name_flags(token) & FIRST_BIT != 0
}

/// Whether `token` (any case) is a bundled last name.
pub fn is_last_name(token: &str) -> bool {
    name_flags(token) & LAST_BIT != 0
}

/// [`FIRST_BIT`] | [`LAST_BIT`] of `token` (any case), one lookup.
fn name_flags(token: &str) -> u8 {
    let b = token.as_bytes();
    if b.len() <= INLINE && b.is_ascii() {
        // the inline key of the lower-cased token, lower-cased in the word:
        // ASCII bytes (< 0x80) plus 0x3F / 0x25 carry into bit 7 exactly
        // from 'A' / from '[' on, and never into the next byte
        const ONES: u128 = u128::from_le_bytes([1; INLINE]);
        let k = b.iter().rev().fold(0u128, |k, &c| k << 8 | c as u128);
        let upper = (k + 0x3F * ONES) & !(k + 0x25 * ONES) & (0x80 * ONES);
        return NAMES.inline.get(&(k | upper >> 2)).copied().unwrap_or(0);
    }
    if token.len() > 40 {
        return 0;
    }
    if token.is_ascii() {
        let mut buf = [0u8; 40];
        let b = &mut buf[..token.len()];
        b.copy_from_slice(token.as_bytes());
        b.make_ascii_lowercase();
        NAMES.get_lower(b)
    } else {
        NAMES.get_lower(token.to_lowercase().as_bytes())
    }
}

/// A span labelled by a [`TokenClassifier`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassifiedSpan {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// The entity the classifier assigns.
    pub entity: EntityType,
    /// The classifier's score in [0, 1], used as the finding's confidence.
    pub score: f64,
}

/// A learned token classifier (for instance a TorchScript NER model adapter)
/// that adds spans to the rule-based detectors. Plug one in with
/// [`crate::Scanner::with_classifier`]. Implementations must be thread-safe:
/// `scan_column` calls them from several threads.
pub trait TokenClassifier: Send + Sync {
    /// Labels spans of `text` (byte offsets on char boundaries). `column` is
    /// the column name, for classifiers that use it.
    fn classify(&self, column: &str, text: &str) -> Vec<ClassifiedSpan>;
}

/// Honorifics and titles that introduce a name.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady", "herr", "frau",
    "mme", "mlle", "monsieur", "madame", "shri", "smt", "sri", "rev", "capt",
];

/// Street words that come before a street name (`rue Claude Menard`).
const STREET_BEFORE: &[&str] = &[
    "rue",
    "avenue",
    "boulevard",
    "chemin",
    "impasse",
    "allée",
    "place",
    "quai",
    "route",
    "via",
    "cours",
    "passage",
];

/// Street words that must not end a name (`Taylor Lane`).
const STREETISH: &[&str] = &[
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "lane",
    "ln",
    "drive",
    "way",
    "court",
    "place",
    "boulevard",
    "blvd",
    "square",
    "park",
    "hill",
    "close",
    "gardens",
    "terrace",
    "crescent",
];

#[derive(Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    upper: bool,
    alpha: bool,
}

/// [`TOKEN_CLASS`] bits: a letter byte (ASCII letter or any non-ASCII byte).
const T_LETTER: u8 = 1;
/// An ASCII digit.
const T_DIGIT: u8 = 2;
/// '-' or '\'', which join two parts of a token when a letter follows.
const T_JOIN: u8 = 4;

static TOKEN_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if c.is_ascii_alphabetic() || c >= 0x80 {
            T_LETTER
        } else if c.is_ascii_digit() {
            T_DIGIT
        } else if c == b'-' || c == b'\'' {
            T_JOIN
        } else {
            0
        };
        i += 1;
    }
    t
};

/// Tokens: runs of letters (non-ASCII bytes count as letters) and digits,
/// joined over '-' or '\'' followed by a letter; trailing non-alphabetic
/// non-ASCII characters (’, “) are trimmed off.
fn tokens(text: &str, out: &mut Vec<Tok>) {
    let b = text.as_bytes();
    let class = |i: usize| TOKEN_CLASS[b[i] as usize];
    out.clear();
    let n = b.len();
    let mut i = 0;
    loop {
        while i < n && class(i) & (T_LETTER | T_DIGIT) == 0 {
            i += 1;
        }
        if i == n {
            break;
        }
        let s = i;
        let mut kinds = 0;
        loop {
            while i < n {
                let c = class(i);
                if c & (T_LETTER | T_DIGIT) == 0 {
                    break;
                }
                kinds |= c;
                i += 1;
            }
            if i + 1 < n && class(i) == T_JOIN && class(i + 1) == T_LETTER {
                i += 1;
                continue;
            }
            break;
        }
        // a non-ASCII byte might be punctuation (’, “); trim trailing ones
        let mut e = i;
        while e > s && b[e - 1] >= 0x80 {
            match text[s..e].chars().next_back() {
                Some(ch) if !ch.is_alphabetic() => e -= ch.len_utf8(),
                _ => break,
            }
        }
        if e > s {
            let upper = if b[s] < 0x80 {
                b[s].is_ascii_uppercase()
            } else {
                text[s..e].chars().next().is_some_and(char::is_uppercase)
            };
            out.push(Tok {
                start: s,
                end: e,
                upper,
                alpha: kinds & T_DIGIT == 0,
            });
        }
    }
}

thread_local! {
    static TOKENS: std::cell::RefCell<Vec<Tok>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn gap_is_name_sep(text: &str, a: &Tok, b: &Tok) -> bool {
    let gap = &text[a.end..b.start];
    gap == " " || gap == ". " || gap == "\u{a0}"
}

/// A short word list with, per (lower-cased) first byte, the bit set of the
/// lengths of its words: most tokens are rejected by one lookup.
struct WordSet {
    words: &'static [&'static str],
    lens: [u16; 256],
}

const fn word_set(words: &'static [&'static str]) -> WordSet {
    let mut lens = [0u16; 256];
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_bytes();
        assert!(w.len() < 16 && !w.is_empty());
        lens[w[0] as usize] |= 1 << w.len();
        i += 1;
    }
    WordSet { words, lens }
}

static TITLE_SET: WordSet = word_set(TITLES);
static STREET_BEFORE_SET: WordSet = word_set(STREET_BEFORE);
static STREETISH_SET: WordSet = word_set(STREETISH);

/// Whether `tok` (non-empty) is one of the words of `set`, ASCII
/// case-insensitively (the lists are lower-case).
fn eq_any(tok: &str, set: &WordSet) -> bool {
    let b = tok.as_bytes();
    if b.len() >= 16 {
        return false;
    }
    let f = b[0].to_ascii_lowercase();
    if set.lens[f as usize] & (1 << b.len()) == 0 {
        return false;
    }
    set.words
        .iter()
        .any(|w| w.len() == b.len() && w.as_bytes()[0] == f && tok.eq_ignore_ascii_case(w))
}

/// For ASCII text outside a name column: whether [`detect_each`] can find
/// anything. Outside a name column a candidate is a capitalized token
/// followed by another capitalized token, or one right after a title (a
/// token ending 1-2 bytes before it). Every capitalized token starts with
/// an upper-case letter that follows no letter or digit, so this needs two
/// such letters, or one with a letter 2-3 bytes before it.
pub(crate) fn may_hold_name(b: &[u8]) -> bool {
    let mut first = None;
    for (i, &c) in b.iter().enumerate() {
        if c.is_ascii_uppercase() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            if first.is_some() {
                return true;
            }
            first = Some(i);
        }
    }
    first.is_some_and(|p| {
        (p >= 2 && b[p - 2].is_ascii_alphabetic()) || (p >= 3 && b[p - 3].is_ascii_alphabetic())
    })
}

/// Rule-based person-name candidates: (start, end, confidence before
/// context). `name_column` is true when the column name says "name".
#[cfg(test)]
pub(crate) fn detect(text: &str, name_column: bool, out: &mut Vec<(usize, usize, f64)>) {
    detect_each(text, name_column, &mut |s, e, c| out.push((s, e, c)));
}

/// Like `detect`, handing each candidate to `out` (no allocation).
pub(crate) fn detect_each(text: &str, name_column: bool, out: &mut dyn FnMut(usize, usize, f64)) {
    TOKENS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            tokens(text, &mut buf);
            detect_in(text, &buf, name_column, out);
        }
        Err(_) => {
            let mut buf = Vec::new();
            tokens(text, &mut buf);
            detect_in(text, &buf, name_column, out);
        }
    })
}

fn detect_in(text: &str, toks: &[Tok], name_column: bool, out: &mut dyn FnMut(usize, usize, f64)) {
    if toks.is_empty() {
        return;
    }
    let s = |t: &Tok| &text[t.start..t.end];

    // whole-cell mode for name columns: 1-4 capitalized alphabetic tokens
    if name_column && toks.len() <= 5 {
        // the tokens that are not titles ("body"), without collecting them
        let mut n = 0;
        let mut all_names = true;
        let (mut first, mut last) = (0, 0);
        for t in toks {
            if eq_any(s(t), &TITLE_SET) {
                continue;
            }
            if n == 0 {
                first = t.start;
            }
            last = t.end;
            n += 1;
            all_names &= t.upper && t.alpha;
        }
        if n > 0 && n <= 4 && all_names {
            let known = toks
                .iter()
                .any(|t| !eq_any(s(t), &TITLE_SET) && name_flags(s(t)) != 0);
            let conf = if known {
                0.85
            } else if n >= 2 {
                0.65
            } else {
                0.45
            };
            out(first, last, conf);
            return;
        }
    }

    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        if !t.upper || !t.alpha || eq_any(s(&t), &TITLE_SET) {
            i += 1;
            continue;
        }
        let prev = if i > 0 { Some(toks[i - 1]) } else { None };
        let after_number = prev.is_some_and(|p| {
            (!p.alpha && text[p.end..t.start].trim().is_empty())
                || eq_any(&text[p.start..p.end], &STREET_BEFORE_SET)
        });
        let titled =
            prev.is_some_and(|p| eq_any(s(&p), &TITLE_SET) && text[p.end..t.start].len() <= 2);
        // extend over following capitalized tokens (middle names, initials)
        let mut j = i + 1;
        while j < toks.len()
            && j < i + 4
            && toks[j].upper
            && toks[j].alpha
            && gap_is_name_sep(text, &toks[j - 1], &toks[j])
        {
            j += 1;
        }
        let last = toks[j - 1];
        let next_streetish = j < toks.len() && eq_any(s(&toks[j]), &STREETISH_SET)
            || eq_any(s(&last), &STREETISH_SET);
        if after_number || next_streetish {
            i = j;
            continue;
        }
        // "Dear Jeremy Andrews": start the run at its first known first name
        let mut b0 = i;
        let mut t = t;
        if !titled
            && j - b0 >= 3
            && !is_first_name(s(&t))
            && let Some(k) = (b0 + 1..j - 1).find(|&k| is_first_name(s(&toks[k])))
        {
            b0 = k;
            t = toks[k];
        }
        let n = j - b0;
        if titled {
            out(t.start, last.end, if n >= 2 { 0.85 } else { 0.75 });
            i = j;
            continue;
        }
        if n >= 2 {
            let first_known = is_first_name(s(&t));
            let last_known = is_last_name(s(&last)) || (n >= 2 && is_last_name(s(&toks[b0 + 1])));
            let conf = match (first_known, last_known) {
                (true, true) => 0.8,
                (true, false) => 0.45,
                (false, true) => 0.35,
                // two unknown capitalized words: a name only with context
                _ => 0.3,
            };
            if conf > 0.0 {
                out(t.start, last.end, conf);
            }
        }
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_loaded() {
        let (f, l) = name_list_sizes();
        assert!(f > 2000 && l >= 5000, "{f} {l}");
        assert!(is_first_name("john") && is_first_name("JOHN") && is_last_name("Smith"));
    }

    #[test]
    fn rules() {
        let mut out = Vec::new();
        detect("Please contact John Smith today", false, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(
            &"Please contact John Smith today"[out[0].0..out[0].1],
            "John Smith"
        );
        out.clear();
        detect("Dr. Xyzzy will see you", false, &mut out);
        assert_eq!(out.len(), 1);
        out.clear();
        detect("12 Taylor Lane", false, &mut out);
        assert!(out.is_empty());
    }

    /// The name lookup before the in-word lower-casing, for comparison.
    fn name_flags_before(token: &str) -> u8 {
        if token.len() > 40 {
            return 0;
        }
        if token.is_ascii() {
            NAMES.get_lower(token.to_ascii_lowercase().as_bytes())
        } else {
            NAMES.get_lower(token.to_lowercase().as_bytes())
        }
    }

    const PIECES: &[&str] = &[
        "John",
        "SMITH",
        "o'brien",
        "Jean-Pierre",
        "Müller",
        "ÉMILE",
        "ÉCOLE",
        "’",
        "“",
        "\u{a0}",
        "x-",
        "-y",
        "'",
        "12",
        "a1",
        "Dr",
        "mr.",
        "Rue",
        "avenue",
        "Lane",
        "st",
        "the",
        "Mary",
        "Ann",
        "McDonald",
        "VAN",
        "der",
        "  ",
        " ",
        ".",
        ", ",
        "日本",
        "ß",
        "Ωmega",
        "abcdefghijklmnopq",
    ];

    fn random_text(seed: &mut u64) -> String {
        let mut next = |n: usize| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            (*seed % n as u64) as usize
        };
        let mut t = String::new();
        for _ in 0..1 + next(10) {
            t.push_str(PIECES[next(PIECES.len())]);
            if next(3) > 0 {
                t.push(' ');
            }
        }
        t
    }

    #[test]
    fn lookups_match_the_earlier_code_and_plain_lists() {
        let mut seed = 7u64;
        let mut buf = Vec::new();
        for _ in 0..30000 {
            let t = random_text(&mut seed);
            tokens(&t, &mut buf);
            for k in &buf {
                let w = &t[k.start..k.end];
                assert_eq!(name_flags(w), name_flags_before(w), "{w:?}");
                for (set, list) in [
                    (&TITLE_SET, TITLES),
                    (&STREET_BEFORE_SET, STREET_BEFORE),
                    (&STREETISH_SET, STREETISH),
                ] {
                    let plain = w.len() <= 10 && list.iter().any(|x| w.eq_ignore_ascii_case(x));
                    assert_eq!(eq_any(w, set), plain, "{w:?}");
                }
            }
        }
        for l in FIRST_NAMES.lines().chain(LAST_NAMES.lines()).step_by(7) {
            for w in [l.to_string(), l.to_uppercase(), l.to_lowercase()] {
                assert_eq!(name_flags(&w), name_flags_before(&w), "{w:?}");
            }
        }
    }

    /// Outside a name column, ASCII text that `may_hold_name` rejects gets
    /// no candidate.
    #[test]
    fn may_hold_name_is_necessary() {
        let mut seed = 11u64;
        let mut out = Vec::new();
        let mut rejected = 0;
        for _ in 0..50000 {
            let t = random_text(&mut seed);
            if !t.is_ascii() || may_hold_name(t.as_bytes()) {
                continue;
            }
            rejected += 1;
            out.clear();
            detect(&t, false, &mut out);
            assert!(out.is_empty(), "{t:?}");
        }
        assert!(rejected > 1000, "{rejected}");
    }
}
