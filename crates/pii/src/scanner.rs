//! The scanner: one cheap pass over each cell (byte features + an
//! Aho-Corasick anchor/context pass), then only the precise validators whose
//! prerequisites the cell meets.

use crate::context::{self, AFTER, BEFORE, ColumnContext, VERSION_WORDS};
use crate::entity::EntityType::{self, *};
use crate::names::{self, TokenClassifier};
use crate::redact::redact;
use crate::validate::{
    card_brand, iban_length, iban_valid, jwt_header_valid, luhn_valid, shannon_entropy, ssn_valid,
};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::{Arc, LazyLock};

/// Scanner settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanConfig {
    /// Findings below this confidence are dropped (default 0.5).
    pub min_confidence: f64,
    /// Only these entity types are detected; `None` means all.
    pub entities: Option<Vec<EntityType>>,
}

impl Default for ScanConfig {
    fn default() -> Self {
        ScanConfig {
            min_confidence: 0.5,
            entities: None,
        }
    }
}

/// One detected value. It holds only the span, the entity, the confidence
/// and a redacted rendering: never the raw value, so `Debug`, `Display` and
/// serialization cannot leak it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// What was found.
    pub entity: EntityType,
    /// Byte offset of the first byte in the cell.
    pub start: usize,
    /// Byte offset one past the last byte in the cell.
    pub end: usize,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// The value, redacted with [`redact`].
    pub redacted: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} [{}..{}] {:.2} {}",
            self.entity, self.start, self.end, self.confidence, self.redacted
        )
    }
}

/// Scans text cells for PII and secrets. Cheap to clone; thread-safe.
#[derive(Clone)]
pub struct Scanner {
    config: ScanConfig,
    enabled: u32,
    classifier: Option<Arc<dyn TokenClassifier>>,
}

impl fmt::Debug for Scanner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scanner")
            .field("config", &self.config)
            .field("classifier", &self.classifier.is_some())
            .finish()
    }
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::new(ScanConfig::default())
    }
}

// ---------------------------------------------------------------------------
// prefilter

const F_AWS: u32 = 1 << 0;
const F_GH: u32 = 1 << 1;
const F_SLACK: u32 = 1 << 2;
const F_STRIPE: u32 = 1 << 3;
const F_GOOGLE: u32 = 1 << 4;
const F_JWT: u32 = 1 << 5;
const F_PEM: u32 = 1 << 6;
const F_URL: u32 = 1 << 7;
const F_DOB: u32 = 1 << 8;
const F_PASSPORT: u32 = 1 << 9;
const F_LICENCE: u32 = 1 << 10;
const F_SECRET: u32 = 1 << 11;
const F_FR_STREET: u32 = 1 << 12;

const ANCHORS: &[(&str, u32)] = &[
    ("akia", F_AWS),
    ("asia", F_AWS),
    ("ghp_", F_GH),
    ("gho_", F_GH),
    ("ghu_", F_GH),
    ("ghs_", F_GH),
    ("ghr_", F_GH),
    ("github_pat_", F_GH),
    ("xox", F_SLACK),
    ("_live_", F_STRIPE),
    ("_test_", F_STRIPE),
    ("aiza", F_GOOGLE),
    ("eyj", F_JWT),
    ("-----begin", F_PEM),
    ("://", F_URL),
    ("dob", F_DOB),
    ("d.o.b", F_DOB),
    ("born", F_DOB),
    ("birth", F_DOB),
    ("geboren", F_DOB),
    ("geb.", F_DOB),
    ("naissance", F_DOB),
    ("né", F_DOB),
    ("passport", F_PASSPORT),
    ("passeport", F_PASSPORT),
    ("reisepass", F_PASSPORT),
    ("licen", F_LICENCE),
    ("driv", F_LICENCE),
    ("dl", F_LICENCE),
    ("führerschein", F_LICENCE),
    ("permis", F_LICENCE),
    ("key", F_SECRET),
    ("secret", F_SECRET),
    ("token", F_SECRET),
    ("pass", F_SECRET),
    ("pwd", F_SECRET),
    ("credential", F_SECRET),
    ("auth", F_SECRET),
    ("bearer", F_SECRET),
    ("api", F_SECRET),
    ("access", F_SECRET),
    ("rue ", F_FR_STREET),
    ("avenue ", F_FR_STREET),
    ("boulevard ", F_FR_STREET),
    ("chemin ", F_FR_STREET),
    ("impasse ", F_FR_STREET),
    ("allée ", F_FR_STREET),
    ("quai ", F_FR_STREET),
    ("route ", F_FR_STREET),
    ("cours ", F_FR_STREET),
    ("passage ", F_FR_STREET),
];

static AC: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::DFA))
        .build(ANCHORS.iter().map(|(p, _)| p))
        .expect("anchor automaton")
});

/// The first two bytes (ASCII lower-cased) of every anchor, as a bitmap
/// over byte pairs (8 KiB): an anchor can only match where its first pair
/// occurs.
static ANCHOR_PAIRS: LazyLock<Box<[u64; 1024]>> = LazyLock::new(|| {
    let mut t = Box::new([0u64; 1024]);
    for (p, _) in ANCHORS {
        let p = p.as_bytes();
        let k = pair(p[0], p[1]);
        t[k >> 6] |= 1 << (k & 63);
    }
    t
});

fn pair(a: u8, b: u8) -> usize {
    (a.to_ascii_lowercase() as usize) << 8 | b.to_ascii_lowercase() as usize
}

/// Whether the anchor pass can find anything in the short cell `b`: some
/// anchor's first two bytes occur in it (ASCII case-insensitively, as the
/// automaton matches). A necessary condition, so skipping the pass when it
/// fails changes nothing; names, e-mails and companies mostly fail it.
fn anchors_possible(b: &[u8], f: &Features) -> bool {
    // every anchor has a byte that is neither a hex digit nor '-': hashes
    // and UUIDs cannot hold one
    if (f.digits + f.hex_letters + f.hyphens) as usize == b.len() {
        return false;
    }
    if b.len() >= 64 {
        return true;
    }
    let t = &**ANCHOR_PAIRS;
    b.windows(2).any(|w| {
        let k = pair(w[0], w[1]);
        t[k >> 6] & (1 << (k & 63)) != 0
    })
}

/// The flags of the anchors in `text` (leftmost-longest, non-overlapping).
#[inline(never)]
fn anchor_flags(text: &str) -> u32 {
    let mut flags = 0;
    for m in AC.find_iter(text) {
        flags |= ANCHORS[m.pattern().as_usize()].1;
    }
    flags
}

/// Whether the anchor flags of `b` can change any finding. Each flag only
/// gates detectors that need more than the anchor (a long token, digits,
/// an '@', ...): when no gated detector can match `b`, the flags are not
/// needed and the anchor pass is skipped. The pass itself is unchanged
/// (leftmost-longest, non-overlapping), so when it runs the flags are the
/// same as before.
fn anchors_needed(b: &[u8], f: &Features) -> bool {
    // dates of birth need 4 digits, passports and licences 3
    if f.digits >= 3 {
        return true;
    }
    // "-----BEGIN": ten hyphens; URL credentials: '@' and "://" + ':'
    if f.hyphens >= 10 || (f.at && f.colons >= 2) {
        return true;
    }
    // prefixed secrets, JWTs and high-entropy strings: a run of 16 or more
    // bytes of RE_ENTROPY's class or '.' (a superset of each secret's class;
    // the shortest, Slack's, has 16 bytes)
    if has_run(b, 16, &SECRET_CLASS) {
        return true;
    }
    // French street without a number: RE_ADDR_FR_FREE needs a lower-case
    // street word, a space and then an upper-case letter
    f.lower >= 3 && (f.upper > 0 || f.non_ascii) && fr_street_word(b)
}

/// Whether `c` is in RE_ENTROPY's class `[A-Za-z0-9+/_\\-!#%$&*?^~]`.
const fn entropy_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'+' | b'/'
                | b'_'
                | b'-'
                | b'!'
                | b'#'
                | b'%'
                | b'$'
                | b'&'
                | b'*'
                | b'?'
                | b'^'
                | b'~'
        )
}

/// RE_ENTROPY's class and, with `dot`, '.' (every byte of a secret token:
/// JWTs have dots).
const fn secret_set(dot: bool) -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = entropy_byte(i as u8) || (dot && i == b'.' as usize);
        i += 1;
    }
    t
}

/// RE_ENTROPY's class.
static ENTROPY_CLASS: [bool; 256] = secret_set(false);
/// RE_ENTROPY's class and '.'.
static SECRET_CLASS: [bool; 256] = secret_set(true);

/// Whether `b` holds `n` consecutive bytes of `class` (RE_ENTROPY matches
/// exactly where `b` holds 20 of [`ENTROPY_CLASS`]).
///
/// A run starting at `i` needs bytes `i..i + n` in the class: checking them
/// from the last one back, the first byte out of the class at `j` rules out
/// every start up to `j`, so most bytes are never looked at.
fn has_run(b: &[u8], n: usize, class: &[bool; 256]) -> bool {
    debug_assert!(n > 0);
    let mut i = 0;
    'start: while i + n <= b.len() {
        let mut j = i + n;
        while j > i {
            j -= 1;
            if !class[b[j] as usize] {
                i = j + 1;
                continue 'start;
            }
        }
        return true;
    }
    false
}

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
const fn tail3(w: &[u8]) -> u32 {
    let n = w.len();
    (w[n - 3] as u32) << 16 | (w[n - 2] as u32) << 8 | w[n - 1] as u32
}

/// Whether one of [`FR_STREET_WORDS`] occurs right before a space in `b`.
/// RE_ADDR_FR_FREE needs one (a street word, then spaces and an upper-case
/// letter): where none occurs the regex cannot match, whatever the anchor
/// pass finds.
fn fr_street_word(b: &[u8]) -> bool {
    const TAILS: [u32; FR_STREET_WORDS.len()] = {
        let mut t = [0; FR_STREET_WORDS.len()];
        let mut i = 0;
        while i < t.len() {
            t[i] = tail3(FR_STREET_WORDS[i]);
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
        TAILS.contains(&tail3(pre)) && FR_STREET_WORDS.iter().any(|w| pre.ends_with(w))
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

/// Whether `b` holds "::".
fn has_double_colon(b: &[u8]) -> bool {
    b.windows(2).any(|w| w[0] == b':' && w[1] == b':')
}

/// Whether `b` holds "rue".
fn has_rue(b: &[u8]) -> bool {
    b.windows(3)
        .any(|w| w[0] == b'r' && w[1] == b'u' && w[2] == b'e')
}

/// Whether `b` holds `hhhh.hhhh.hhhh` (hex digits), the dotted MAC form.
/// Only the dots are visited: the form is `hhhh.` at a dot.
fn has_dotted_hex(b: &[u8]) -> bool {
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

/// Byte-level features gathered in one pass.
#[derive(Default, Clone, Copy)]
struct Features {
    digits: u32,
    upper: u32,
    lower: u32,
    non_ascii: bool,
    at: bool,
    colons: u32,
    dots: u32,
    hyphens: u32,
    /// Letters a-f / A-F.
    hex_letters: u32,
}

/// Bit offsets of the 7-bit counters packed in a [`CLASS_COUNTS`] entry.
const C_DIGIT: u32 = 0;
const C_UPPER: u32 = 7;
const C_LOWER: u32 = 14;
const C_COLON: u32 = 21;
const C_DOT: u32 = 28;
const C_HYPHEN: u32 = 35;
const C_HEX: u32 = 42;
const C_AT: u32 = 49;
const C_NON_ASCII: u32 = 56;

/// Per byte, a 1 in each 7-bit counter field of the classes it belongs to:
/// summing the entries of up to 127 bytes counts every class at once, with
/// no carry between fields.
static CLASS_COUNTS: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        let mut v = 0u64;
        if c.is_ascii_digit() {
            v |= 1 << C_DIGIT;
        }
        if c.is_ascii_uppercase() {
            v |= 1 << C_UPPER;
        }
        if c.is_ascii_lowercase() {
            v |= 1 << C_LOWER;
        }
        if c == b':' {
            v |= 1 << C_COLON;
        }
        if c == b'.' {
            v |= 1 << C_DOT;
        }
        if c == b'-' {
            v |= 1 << C_HYPHEN;
        }
        if matches!(c | 0x20, b'a'..=b'f') {
            v |= 1 << C_HEX;
        }
        if c == b'@' {
            v |= 1 << C_AT;
        }
        if c >= 0x80 {
            v |= 1 << C_NON_ASCII;
        }
        t[i] = v;
        i += 1;
    }
    t
};

impl Features {
    /// One table lookup and one add per byte ([`CLASS_COUNTS`]), in runs
    /// of at most 127 bytes so no 7-bit counter overflows.
    fn of(b: &[u8]) -> Features {
        let mut f = Features::default();
        let mut non_ascii = 0;
        let mut at = 0;
        for run in b.chunks(127) {
            // two accumulators: the adds of consecutive bytes do not wait on each other
            let (mut a0, mut a1) = (0u64, 0u64);
            let mut pairs = run.chunks_exact(2);
            for p in &mut pairs {
                a0 += CLASS_COUNTS[p[0] as usize];
                a1 += CLASS_COUNTS[p[1] as usize];
            }
            if let [c] = pairs.remainder() {
                a0 += CLASS_COUNTS[*c as usize];
            }
            let a = a0 + a1;
            let field = |shift: u32| ((a >> shift) & 0x7f) as u32;
            f.digits += field(C_DIGIT);
            f.upper += field(C_UPPER);
            f.lower += field(C_LOWER);
            f.colons += field(C_COLON);
            f.dots += field(C_DOT);
            f.hyphens += field(C_HYPHEN);
            f.hex_letters += field(C_HEX);
            at += field(C_AT);
            non_ascii += field(C_NON_ASCII);
        }
        f.at = at > 0;
        f.non_ascii = non_ascii > 0;
        f
    }
}

// ---------------------------------------------------------------------------
// regexes (compiled once)

fn re(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|e| panic!("bad regex {p}: {e}"))
}

static RE_URL_CREDS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?-u:\b)[A-Za-z][A-Za-z0-9+.\-]{1,15}://[^\s:/@]{1,64}:[^\s/@]{1,128}@[A-Za-z0-9.\-]+(?::[0-9]{1,5})?",
    )
});
static RE_AWS: LazyLock<Regex> = LazyLock::new(|| re(r"(?-u:\b)(?:AKIA|ASIA)[A-Z0-9]{16}(?-u:\b)"));
static RE_GH: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?-u:\b)(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?-u:\b)")
});
static RE_SLACK: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?-u:\b)xox[baprs]-[A-Za-z0-9]{6,}(?:-[A-Za-z0-9]{4,}){1,5}(?-u:\b)"));
static RE_STRIPE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?-u:\b)(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,247}(?-u:\b)"));
/// Secrets found by a fixed prefix alone: anchor flag, entity, pattern, confidence.
static PREFIXED_SECRETS: [(u32, EntityType, &LazyLock<Regex>, f64); 4] = [
    (F_AWS, AwsAccessKey, &RE_AWS, 0.95),
    (F_GH, GithubToken, &RE_GH, 0.95),
    (F_SLACK, SlackToken, &RE_SLACK, 0.9),
    (F_STRIPE, StripeKey, &RE_STRIPE, 0.9),
];
static RE_GOOGLE: LazyLock<Regex> = LazyLock::new(|| re(r"(?-u:\b)AIza[0-9A-Za-z_\-]{35}"));
static RE_JWT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?-u:\b)eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}"));
static RE_PEM: LazyLock<Regex> =
    LazyLock::new(|| re(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"));
static RE_PEM_END: LazyLock<Regex> =
    LazyLock::new(|| re(r"-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"));
static RE_ENTROPY: LazyLock<Regex> = LazyLock::new(|| re(r"[A-Za-z0-9+/_\-!#%$&*?^~]{20,}={0,2}"));
static RE_IBAN_START: LazyLock<Regex> = LazyLock::new(|| re(r"(?-u:\b)[A-Z]{2}[0-9]{2} ?[A-Z0-9]"));
static RE_MAC: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?-u:\b)(?:[0-9A-Fa-f]{2}[:\-]){5}[0-9A-Fa-f]{2}(?-u:\b)|(?-u:\b)[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?-u:\b)",
    )
});
static RE_IPV6: LazyLock<Regex> = LazyLock::new(|| {
    re(r"[0-9A-Fa-f]{0,4}(?::(?:(?:[0-9]{1,3}\.){3}[0-9]{1,3}|[0-9A-Fa-f]{0,4})){2,8}")
});

const MONTHS: &str = r"(?:jan(?:uary|vier|uar)?|feb(?:ruary|ruar)?|f[ée]vr?(?:ier)?|mar(?:ch|s)?|m[äa]rz|apr(?:il)?|avr(?:il)?|may|mai|jun[ei]?|juin|jul[yi]?|juil(?:let)?|aug(?:ust)?|ao[ûu]t|sep(?:t|tember|tembre)?|oct(?:ober|obre)?|okt(?:ober)?|nov(?:ember|embre)?|d[ée]c(?:ember|embre)?|dez(?:ember)?)";

static RE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)(?-u:\b)(?:[0-9]{{4}}[-/.][0-9]{{1,2}}[-/.][0-9]{{1,2}}|[0-9]{{1,2}}[-/.][0-9]{{1,2}}[-/.](?:[0-9]{{4}}|[0-9]{{2}})|[0-9]{{1,2}}(?:st|nd|rd|th|er)?\.?[ \-]+(?:of[ ]+)?{m}\.?,?[ \-]+[0-9]{{4}}|{m}\.?[ ]+[0-9]{{1,2}}(?:st|nd|rd|th)?,?[ ]+[0-9]{{4}})(?-u:\b)",
        m = MONTHS
    ))
});
static RE_PASSPORT: LazyLock<Regex> = LazyLock::new(|| re(r"(?-u:\b)[A-Z0-9]{6,9}(?-u:\b)"));
static RE_LICENCE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?-u:\b)[A-Z0-9]{1,16}(?:[\- ][A-Z0-9]{2,8}){0,4}(?-u:\b)"));

const STREET_SUFFIXES: &str = "Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Crescent|Cres|Close|Gardens?|Grove|Row|Mews|Walk|Hill|Park|Green|Alley|Loop|Path|Pike|Plaza|Ridge|Run|Crossing|Point|Port|Estate|Pass|Mission|Island|Isle|Manor|Meadow|Mill|Mount|Mountain|Harbor|Harbour|Heights|Spring|Valley|View|Vista|Village|Villa|Junction|Forge|Center|Centre|Creek|Fort|Field|Glen|Haven|Hollow|Key|Knoll|Lake|Landing|Oval|Overpass|Plain|Radial|Ramp|Ranch|Rapid|Rest|Route|Shore|Shoal|Stream|Summit|Throughway|Trace|Track|Turnpike|Underpass|Union|Wall|Well|Bypass|Burg|Brook|Branch|Bridge|Cape|Causeway|Cliff|Club|Common|Corner|Cove|Dale|Dam|Divide|Expressway|Extension|Fall|Ferry|Flat|Ford|Forest|Freeway|Gateway|Inlet|Light|Lock|Lodge|Motorway|Neck|Orchard|Parade|Prairie|Spur|Station|Fork|Ville|Quay|Rise|Vale|Wharf|Wynd|Chase|Drove|Gate|Approach|Broadway|Tunnel|Crossroad|Course|River|Stravenue|Viaduct|Via|Curve|Camp|Canyon|Mall|Pine|Skyway|Trafficway|Crest|Bluff|Bottom|Bend|Beach|Bayou|Arcade|Anex|Annex|Loaf|Nagar|Marg|Ganj|Chowk|Zila|Colony|Bazar|Bagh|Puram|Pur";

static RE_ADDR_EN: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(?:[A-Za-z](?-u:\b))?,?[ \t]*\r?\n?[ \t]*(?:(?:\p{{Lu}}[\p{{L}}'’\-]*\.?|[0-9]{{1,3}}(?:st|nd|rd|th))[ ]+){{1,4}}?(?:{s})s?(?-u:\b)\.?(?:[ ]+(?:N|S|E|W|NE|NW|SE|SW)(?-u:\b))?(?:,?[ ]+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|#)[ ]*[A-Za-z0-9\-]{{1,6}})?",
        s = STREET_SUFFIXES
    ))
});
static RE_ADDR_FR_FREE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?-u:\b)(?:rue|avenue|boulevard|chemin|impasse|allée|quai|route|cours|passage)(?:[ ]+(?:de|du|des|la|le|les|d'|l'|\p{Lu}[\p{L}'’\-]*))*[ ]+\p{Lu}[\p{L}'’\-]*",
    )
});
static RE_ADDR_FR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:[ ]?(?:bis|ter))?,?[ ]+(?i:rue|avenue|av\.|boulevard|bd|chemin|impasse|place|allée|allee|quai|route|cours|passage|square|voie|sentier|rond-point)(?:[ ]+(?:de|du|des|la|le|les|d'|l'|\p{Lu}[\p{L}'’\-]*))+",
    )
});

const DE_STRONG: &[&str] = &[
    "straße", "strasse", "str.", "weg", "allee", "platz", "gasse", "damm", "ufer", "chaussee",
    "steig", "pfad", "stieg",
];
const DE_WEAK: &[&str] = &[
    "ring", "markt", "hof", "berg", "graben", "kamp", "wall", "park", "garten",
];

// ---------------------------------------------------------------------------

thread_local! {
    static CANDS: std::cell::Cell<Vec<Cand>> = const { std::cell::Cell::new(Vec::new()) };
}

#[cfg(test)]
thread_local! {
    /// Tests: scan without the pre-checks that only skip work.
    static EXHAUSTIVE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the pre-checks that only skip work are off (tests only; a
/// constant `false` otherwise).
#[inline(always)]
fn exhaustive() -> bool {
    #[cfg(test)]
    return EXHAUSTIVE.get();
    #[cfg(not(test))]
    false
}

#[derive(Clone, Copy, Debug)]
struct Cand {
    entity: EntityType,
    start: usize,
    end: usize,
    conf: f64,
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Context around a candidate: cell words or the column name.
struct Ctx<'a> {
    text: &'a str,
    col: &'a ColumnContext,
}

impl Ctx<'_> {
    fn cell(&self, e: EntityType, start: usize, end: usize) -> bool {
        context::around(self.text, start, end, BEFORE, AFTER, context::words(e))
    }
    fn col(&self, e: EntityType) -> bool {
        self.col.has(e)
    }
    /// `base` raised by cell context (+cell) and column context (+col), capped.
    fn boost(
        &self,
        e: EntityType,
        start: usize,
        end: usize,
        base: f64,
        cell: f64,
        col: f64,
    ) -> f64 {
        let mut c = base;
        if self.col(e) {
            c += col;
        }
        if self.cell(e, start, end) {
            c += if self.col(e) { cell / 2.0 } else { cell };
        }
        c.min(0.99)
    }
}

/// A run of digits joined by single separators, found by hand in one pass.
struct NumSpan {
    start: usize,
    end: usize,
    groups: [(usize, usize); 12],
    ng: usize,
    /// separator byte between group k and k+1 (the last non-paren byte, or b'(' / b')')
    seps: [u8; 12],
    glued_before: bool,
    glued_after: bool,
    ext_end: usize,
}

impl NumSpan {
    fn digits(&self) -> usize {
        self.groups[..self.ng].iter().map(|(s, e)| e - s).sum()
    }
    fn lens(&self) -> impl Iterator<Item = usize> + '_ {
        self.groups[..self.ng].iter().map(|(s, e)| e - s)
    }
}

const SEPS: &[u8] = b" -./()";

/// The first position from `i` on whose byte is a digit, '+' or '(' (where
/// a span can start), or `b.len()`: eight bytes at a time.
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

fn num_spans(b: &[u8], mut f: impl FnMut(&NumSpan)) {
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
        let mut sp = NumSpan {
            start,
            end: start,
            groups: [(0, 0); 12],
            ng: 0,
            seps: [0; 12],
            glued_before,
            glued_after: false,
            ext_end: 0,
        };
        loop {
            let gs = j;
            while j < n && b[j].is_ascii_digit() {
                j += 1;
            }
            if j == gs {
                break;
            }
            sp.groups[sp.ng] = (gs, j);
            sp.ng += 1;
            if sp.ng == 12 {
                break;
            }
            let mut k = j;
            let mut sep = 0u8;
            while k < n && k < j + 2 && SEPS.contains(&b[k]) {
                if sep == 0 || (b[k] != b' ' && b[k] != b'(' && b[k] != b')') {
                    sep = b[k];
                }
                k += 1;
            }
            if k > j && k < n && b[k].is_ascii_digit() {
                sp.seps[sp.ng - 1] = sep;
                j = k;
                continue;
            }
            break;
        }
        if sp.ng == 0 {
            i = j.max(i + 1);
            continue;
        }
        sp.end = sp.groups[sp.ng - 1].1;
        let e = sp.end;
        if e < n && is_alnum(b[e]) {
            // extension "x123"
            if (b[e] == b'x' || b[e] == b'X') && e + 1 < n && b[e + 1].is_ascii_digit() {
                let mut k = e + 1;
                while k < n && b[k].is_ascii_digit() {
                    k += 1;
                }
                if k == n || !is_alnum(b[k]) {
                    sp.ext_end = k;
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
                sp.ext_end = k;
            }
        }
        f(&sp);
        i = sp.end.max(sp.ext_end);
        while i < n && is_alnum(b[i]) {
            i += 1;
        }
    }
}

/// The octets of the span when its text is an IPv4 address in the form
/// `Ipv4Addr::from_str` accepts (four groups of 1-3 digits joined by single
/// dots, each at most 255, no leading zero), read from the groups.
fn ipv4_octets(b: &[u8], sp: &NumSpan) -> Option<[u8; 4]> {
    let g = &sp.groups;
    let mut o = [0u8; 4];
    let ok = sp.ng == 4
        && sp.start == g[0].0
        && (0..3).all(|k| g[k + 1].0 == g[k].1 + 1 && b[g[k].1] == b'.')
        && (0..4).all(|k| {
            let (s, e) = g[k];
            let v = num(b, g[k]);
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

fn num(b: &[u8], (s, e): (usize, usize)) -> u32 {
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
fn starts_with_date(b: &[u8], sp: &NumSpan) -> bool {
    if sp.ng < 3 {
        return false;
    }
    let (s0, s1) = (sp.seps[0], sp.seps[1]);
    if s0 != s1 || !b"-/.".contains(&s0) {
        return false;
    }
    let l = [
        sp.groups[0].1 - sp.groups[0].0,
        sp.groups[1].1 - sp.groups[1].0,
        sp.groups[2].1 - sp.groups[2].0,
    ];
    // the values only once the lengths fit a date
    let v = |k: usize| num(b, sp.groups[k]);
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
    /// A scanner with the given configuration.
    pub fn new(config: ScanConfig) -> Scanner {
        let enabled = match &config.entities {
            None => u32::MAX,
            Some(list) => list.iter().fold(0, |a, e| a | e.bit()),
        };
        Scanner {
            config,
            enabled,
            classifier: None,
        }
    }

    /// Adds a learned [`TokenClassifier`] whose spans join the rule-based
    /// findings (same confidence threshold, entity filter and overlap rules).
    pub fn with_classifier(mut self, classifier: Arc<dyn TokenClassifier>) -> Scanner {
        self.classifier = Some(classifier);
        self
    }

    /// The configuration.
    pub fn config(&self) -> &ScanConfig {
        &self.config
    }

    fn on(&self, e: EntityType) -> bool {
        self.enabled & e.bit() != 0
    }

    /// Scans one cell of the column `column_name` (the name counts as context).
    pub fn scan_cell(&self, column_name: &str, text: &str) -> Vec<Finding> {
        let ctx = ColumnContext::from_name(column_name);
        self.scan_cell_ctx(&ctx, column_name, text)
    }

    /// Like [`Scanner::scan_cell`] with the column context computed once by
    /// the caller ([`ColumnContext::from_name`]).
    pub fn scan_cell_ctx(
        &self,
        col: &ColumnContext,
        column_name: &str,
        text: &str,
    ) -> Vec<Finding> {
        if text.is_empty() {
            return Vec::new();
        }
        // The candidate buffer is reused across cells (taken out of the
        // thread-local, so a re-entrant classifier just gets a fresh one).
        let mut cands = CANDS.take();
        cands.clear();
        self.candidates(col, text, &mut cands);
        if let Some(cls) = &self.classifier {
            for s in cls.classify(column_name, text) {
                if self.on(s.entity) && s.start < s.end && s.end <= text.len() {
                    let start = floor_boundary(text, s.start);
                    let end = ceil_boundary(text, s.end);
                    cands.push(Cand {
                        entity: s.entity,
                        start,
                        end,
                        conf: s.score.clamp(0.0, 1.0),
                    });
                }
            }
        }
        let out = self.resolve(text, &mut cands);
        CANDS.set(cands);
        out
    }

    /// Overlap resolution (higher confidence, then longer span, wins), the
    /// confidence threshold, and the findings in span order.
    fn resolve(&self, text: &str, cands: &mut Vec<Cand>) -> Vec<Finding> {
        if cands.is_empty() {
            return Vec::new();
        }
        if cands.len() > 1 {
            cands.sort_by(|a, b| {
                b.conf
                    .total_cmp(&a.conf)
                    .then((b.end - b.start).cmp(&(a.end - a.start)))
                    .then(a.start.cmp(&b.start))
            });
            // keep, in order, each candidate that overlaps none kept before
            let mut kept = 0;
            for i in 0..cands.len() {
                let c = cands[i];
                if cands[..kept]
                    .iter()
                    .all(|k| c.end <= k.start || c.start >= k.end)
                {
                    cands[kept] = c;
                    kept += 1;
                }
            }
            cands.truncate(kept);
        }
        let min = self.config.min_confidence;
        cands.retain(|c| c.conf >= min);
        if cands.is_empty() {
            return Vec::new();
        }
        cands.sort_by_key(|c| c.start);
        let mut out = Vec::with_capacity(cands.len());
        out.extend(cands.iter().map(|c| Finding {
            entity: c.entity,
            start: c.start,
            end: c.end,
            confidence: (c.conf * 1000.0).round() / 1000.0,
            redacted: redact(c.entity, &text[c.start..c.end]),
        }));
        out
    }

    fn candidates(&self, col: &ColumnContext, text: &str, out: &mut Vec<Cand>) {
        let b = text.as_bytes();
        let f = Features::of(b);
        // tests: without the skips that only save work, to compare
        let all = exhaustive();
        let mut flags = 0u32;
        // every anchor and context word has ASCII letters
        if f.upper + f.lower >= 2 && (all || anchors_needed(b, &f)) && anchors_possible(b, &f) {
            flags = anchor_flags(text);
        }
        let ctx = Ctx { text, col };
        let mut push = |entity: EntityType, start: usize, end: usize, conf: f64| {
            if conf > 0.0 {
                out.push(Cand {
                    entity,
                    start,
                    end,
                    conf,
                });
            }
        };
        // Each detector has its own function: a cell needs few of them, and
        // their loops do not share one huge stack frame.

        // --- secrets with fixed prefixes
        if flags & (F_AWS | F_GH | F_SLACK | F_STRIPE | F_GOOGLE | F_JWT | F_PEM) != 0 {
            self.prefixed_secrets(text, flags, &mut push);
        }
        if f.at {
            self.at_sign(text, flags, &ctx, &mut push);
        }
        if (flags & F_SECRET != 0 || col.has(HighEntropySecret))
            && self.on(HighEntropySecret)
            && (all || has_run(b, 20, &ENTROPY_CLASS))
        {
            self.entropy_secrets(text, col, &mut push);
        }
        // --- IBAN
        if f.upper >= 2 && f.digits >= 8 && self.on(Iban) {
            self.ibans(text, &ctx, &mut push);
        }
        // --- IPv6 / MAC
        // a valid IPv6 text form has "::" or seven colons
        if f.colons >= 2 && (all || f.colons >= 7 || has_double_colon(b)) && self.on(Ipv6) {
            self.ipv6s(text, &ctx, &mut push);
        }
        // with fewer than five ':' and five '-', only the dotted form can
        // pass (a mixed-separator match is rejected in macs())
        if (f.colons >= 5
            || f.hyphens >= 5
            || (f.dots >= 2 && (all || f.digits + f.hex_letters >= 12) && has_dotted_hex(b)))
            && self.on(MacAddress)
        {
            self.macs(text, &ctx, &mut push);
        }
        // --- dates of birth (only with context)
        if (flags & F_DOB != 0 || col.has(DateOfBirth)) && f.digits >= 4 && self.on(DateOfBirth) {
            self.dates_of_birth(text, col, &mut push);
        }
        // --- passport / driver's licence (only with context)
        let pass_on = (flags & F_PASSPORT != 0 || col.has(Passport)) && self.on(Passport);
        let lic_on = (flags & F_LICENCE != 0 || col.has(DriversLicence)) && self.on(DriversLicence);
        if (pass_on || lic_on) && f.digits >= 3 {
            self.documents(text, col, pass_on, lic_on, &mut push);
        }
        // --- numeric spans: card, SSN, phone, IPv4, house numbers
        if f.digits > 0 {
            self.numeric(text, &f, &ctx, &mut push);
        }
        // French street without a house number ("rue de la Paix"); the
        // numbered forms come from address() with a higher confidence.
        if flags & F_FR_STREET != 0 && self.on(StreetAddress) {
            self.fr_streets(text, &ctx, &mut push);
        }
        // --- DE street names ("Klemmstraße 90/68") are handled in address();
        // --- person names
        // a name needs two capitalized words (or a title and a name), except in
        // a name column
        if self.on(PersonName)
            && (f.upper >= 2 || f.non_ascii || (col.has(PersonName) && f.upper > 0))
            && (all || col.has(PersonName) || f.non_ascii || names::may_hold_name(b))
        {
            self.person_names(text, &ctx, &mut push);
        }
    }
    /// Cloud and API tokens, JWTs and PEM private keys (anchored).
    #[inline(never)]
    fn prefixed_secrets(
        &self,
        text: &str,
        flags: u32,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let b = text.as_bytes();
        for &(flag, entity, pattern, conf) in &PREFIXED_SECRETS {
            if flags & flag != 0 && self.on(entity) {
                for m in pattern.find_iter(text) {
                    push(entity, m.start(), m.end(), conf);
                }
            }
        }
        if flags & F_GOOGLE != 0 && self.on(GoogleApiKey) {
            for m in RE_GOOGLE.find_iter(text) {
                let after = b.get(m.end()).copied();
                if !after.is_some_and(|c| is_alnum(c) || c == b'_' || c == b'-') {
                    push(GoogleApiKey, m.start(), m.end(), 0.9);
                }
            }
        }
        if flags & F_JWT != 0 && self.on(Jwt) {
            for m in RE_JWT.find_iter(text) {
                let header = m.as_str().split('.').next().unwrap_or("");
                if jwt_header_valid(header) {
                    push(Jwt, m.start(), m.end(), 0.95);
                }
            }
        }
        if flags & F_PEM != 0 && self.on(PrivateKey) {
            for m in RE_PEM.find_iter(text) {
                let end = RE_PEM_END
                    .find_at(text, m.end())
                    .map(|e| e.end())
                    .unwrap_or(text.len());
                push(PrivateKey, m.start(), end, 0.99);
            }
        }
    }

    /// URL credentials and e-mail addresses (the cell has an '@').
    #[inline(never)]
    fn at_sign(
        &self,
        text: &str,
        flags: u32,
        ctx: &Ctx,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        if flags & F_URL != 0 && self.on(UrlCredentials) {
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
        if self.on(Email) {
            emails(text, |s, e| {
                let conf = ctx.boost(Email, s, e, 0.9, 0.05, 0.05);
                push(Email, s, e, conf);
            });
        }
    }

    /// High-entropy strings near a secret word or in a secret column.
    #[inline(never)]
    fn entropy_secrets(
        &self,
        text: &str,
        col: &ColumnContext,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        for m in RE_ENTROPY.find_iter(text) {
            let s = m.as_str();
            let has_digit = s.bytes().any(|c| c.is_ascii_digit());
            let has_upper = s.bytes().any(|c| c.is_ascii_uppercase());
            let has_lower = s.bytes().any(|c| c.is_ascii_lowercase());
            let has_sym = s.bytes().any(|c| !c.is_ascii_alphanumeric());
            if !((has_digit && (has_upper || has_lower)) || (has_upper && has_lower && has_sym)) {
                continue;
            }
            let hex = s.bytes().all(|c| c.is_ascii_hexdigit());
            let h = shannon_entropy(s);
            if h < if hex && s.len() >= 32 { 3.0 } else { 3.5 } {
                continue;
            }
            let near =
                context::nearest_before(text, m.start(), 48, context::words(HighEntropySecret))
                    .is_some();
            if !near && !col.has(HighEntropySecret) {
                continue;
            }
            let conf = if s.len() >= 32 && h >= 4.0 {
                0.85
            } else {
                0.75
            };
            push(HighEntropySecret, m.start(), m.end(), conf);
        }
    }

    /// IBANs (checksum validated).
    #[inline(never)]
    fn ibans(&self, text: &str, ctx: &Ctx, push: &mut impl FnMut(EntityType, usize, usize, f64)) {
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

    /// IPv6 addresses.
    #[inline(never)]
    fn ipv6s(&self, text: &str, ctx: &Ctx, push: &mut impl FnMut(EntityType, usize, usize, f64)) {
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
    fn macs(&self, text: &str, ctx: &Ctx, push: &mut impl FnMut(EntityType, usize, usize, f64)) {
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

    /// Dates with a birth context word near them or in the column name.
    #[inline(never)]
    fn dates_of_birth(
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
                || (!next_close && context::around(text, e, e, 0, 14, context::words(DateOfBirth)));
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
    fn documents(
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
                if s.bytes().filter(u8::is_ascii_digit).count() < 5 {
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

    /// Numeric spans: cards, SSNs, phones, IPv4 addresses, house numbers.
    #[inline(never)]
    fn numeric(
        &self,
        text: &str,
        f: &Features,
        ctx: &Ctx,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let col = ctx.col;
        let b = text.as_bytes();
        let want_card = self.on(CreditCard) && f.digits >= 13;
        let want_ssn = self.on(UsSsn) && f.digits >= 9;
        let want_phone = self.on(Phone) && f.digits >= 7;
        let want_ip = self.on(Ipv4) && f.digits >= 4 && f.dots >= 3;
        let want_addr = self.on(StreetAddress)
            && (f.upper > 0
                || f.non_ascii
                // "rue": 3 lower-case letters, 'r' and 'u' not hex digits
                || (f.lower >= 3
                    && (exhaustive() || f.lower + f.upper >= f.hex_letters + 2)
                    && has_rue(b)));
        num_spans(b, |sp| {
            let d = sp.digits();
            let plain_edges = !sp.glued_before && !sp.glued_after;
            if want_addr && !sp.glued_before && d <= 6 {
                self.address(text, sp, ctx, push);
            }
            if !plain_edges {
                return;
            }
            if want_ip
                && sp.ng == 4
                && sp.seps[..3].iter().all(|&c| c == b'.')
                && sp.lens().all(|l| l <= 3)
            {
                if let Some(o) = ipv4_octets(b, sp) {
                    let small = o.iter().all(|&x| x < 20) && o[0] != 10;
                    let mut conf = if small { 0.4 } else { 0.8 };
                    let version = col.version
                        || context::nearest_before(text, sp.start, 24, &VERSION_WORDS).is_some();
                    if version {
                        conf = 0.15;
                    } else {
                        conf = ctx.boost(Ipv4, sp.start, sp.end, conf, 0.15, 0.15);
                    }
                    push(Ipv4, sp.start, sp.end, conf);
                }
                return;
            }
            if starts_with_date(b, sp) {
                return;
            }
            if want_ssn {
                ssn_candidate(b, sp, ctx, push);
            }
            if want_card && d >= 13 {
                card_candidate(b, sp, ctx, push);
            }
            if want_phone && (7..=15).contains(&d) {
                let conf = phone_score(b, sp);
                if conf > 0.0 {
                    let end = sp.end.max(sp.ext_end);
                    let conf = ctx.boost(Phone, sp.start, end, conf, 0.3, 0.35).min(0.97);
                    push(Phone, sp.start, end, conf);
                }
            }
        });
    }

    /// French streets without a house number.
    #[inline(never)]
    fn fr_streets(
        &self,
        text: &str,
        ctx: &Ctx,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        for m in RE_ADDR_FR_FREE.find_iter(text) {
            let conf = ctx.boost(StreetAddress, m.start(), m.end(), 0.55, 0.2, 0.25);
            push(StreetAddress, m.start(), m.end(), conf);
        }
    }

    /// Person names (rules, name lists and context).
    #[inline(never)]
    fn person_names(
        &self,
        text: &str,
        ctx: &Ctx,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let col = ctx.col;
        names::detect_each(text, col.has(PersonName), &mut |s, e, base| {
            let conf = if col.has(PersonName) {
                base
            } else {
                ctx.boost(PersonName, s, e, base, 0.25, 0.0).min(0.9)
            };
            push(PersonName, s, e, conf);
        });
    }

    fn address(
        &self,
        text: &str,
        sp: &NumSpan,
        ctx: &Ctx,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let b = text.as_bytes();
        // house number: one group, or "67/56"
        let ok_shape = sp.ng == 1 || (sp.ng == 2 && (sp.seps[0] == b'/' || sp.seps[0] == b'-'));
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

fn is_local_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c >= 0x80 || b"._%+-".contains(&c)
}

fn is_domain_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'.' || c == b'-'
}

/// E-mail addresses, found from each '@': the local part extends left over
/// letters (Unicode included), digits and `._%+-`; the domain right over
/// LDH labels ending in an alphabetic TLD of 2-24 letters.
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

fn ssn_candidate(
    b: &[u8],
    sp: &NumSpan,
    ctx: &Ctx,
    push: &mut impl FnMut(EntityType, usize, usize, f64),
) {
    let mut lens_buf = [0usize; 12];
    for (k, l) in sp.lens().enumerate() {
        lens_buf[k] = l;
    }
    let lens = &lens_buf[..sp.ng];
    let (base, cell, col) = if sp.ng == 3 && lens == [3, 2, 4] && sp.seps[0] == sp.seps[1] {
        match sp.seps[0] {
            b'-' => (0.75, 0.2, 0.2),
            b' ' => (0.4, 0.4, 0.4),
            _ => return,
        }
    } else if sp.ng == 1 && lens == [9] {
        (0.3, 0.45, 0.5)
    } else {
        return;
    };
    let g = &sp.groups;
    let (area, group, serial) = if sp.ng == 3 {
        (num(b, g[0]), num(b, g[1]), num(b, g[2]))
    } else {
        let (s, _) = g[0];
        (
            num(b, (s, s + 3)),
            num(b, (s + 3, s + 5)),
            num(b, (s + 5, s + 9)),
        )
    };
    if !ssn_valid(area, group, serial) {
        return;
    }
    let conf = ctx.boost(UsSsn, sp.start, sp.end, base, cell, col);
    push(UsSsn, sp.start, sp.end, conf);
}

fn card_candidate(
    b: &[u8],
    sp: &NumSpan,
    ctx: &Ctx,
    push: &mut impl FnMut(EntityType, usize, usize, f64),
) {
    if sp.seps[..sp.ng.saturating_sub(1)]
        .iter()
        .any(|&c| c != b' ' && c != b'-')
    {
        return;
    }
    // every run of consecutive groups with 13-19 digits, longest first from the left
    for i in 0..sp.ng {
        let mut best: Option<(usize, usize)> = None;
        let mut d = 0;
        for j in i..sp.ng {
            d += sp.groups[j].1 - sp.groups[j].0;
            if d > 19 {
                break;
            }
            if d >= 13 {
                best = Some((j, d));
            }
        }
        let Some(_) = best else { continue };
        // try the longest first, then shorter
        let mut ends: Vec<usize> = Vec::new();
        let mut d = 0;
        for j in i..sp.ng {
            d += sp.groups[j].1 - sp.groups[j].0;
            if d > 19 {
                break;
            }
            if d >= 13 {
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
            // a card inside a longer separated span must not be glued to a neighbour group
            let conf = if card_brand(digits).is_some() {
                ctx.boost(CreditCard, s, e, 0.9, 0.08, 0.08)
            } else {
                ctx.boost(CreditCard, s, e, 0.35, 0.3, 0.3)
            };
            push(CreditCard, s, e, conf);
            return;
        }
    }
}

/// Base confidence that a numeric span is a phone number, from its shape.
fn phone_score(b: &[u8], sp: &NumSpan) -> f64 {
    let d = sp.digits();
    let mut lens_buf = [0usize; 12];
    for (k, l) in sp.lens().enumerate() {
        lens_buf[k] = l;
    }
    let lens = &lens_buf[..sp.ng];
    let first = b[sp.start];
    let g0 = sp.groups[0];
    let g0_first = b[g0.0];
    let seps = &sp.seps[..sp.ng - 1];
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
    if sp.ng >= 2
        && lens[0] <= 3
        && lens[1..].iter().all(|&l| l == 3)
        && seps.iter().all(|&c| c == b' ')
    {
        return 0.2; // "1 234 567": a grouped number
    }
    if g0_first == b'0' && sp.ng >= 2 && (9..=13).contains(&d) && (2..=5).contains(&lens[0]) {
        return 0.7;
    }
    if d == 10 && lens == [5, 5] && (b'6'..=b'9').contains(&g0_first) {
        return 0.65;
    }
    if sp.ng >= 2 {
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
    use super::*;

    /// The pre-checks that skip the anchor pass and the MAC regex are only
    /// necessary conditions: wherever the skipped search finds something,
    /// they pass.
    #[test]
    fn prechecks_never_hide_a_match() {
        for (p, _) in ANCHORS {
            assert!(
                p.bytes().any(|c| !(c.is_ascii_hexdigit() || c == b'-')),
                "{p}"
            );
            for t in [
                p.to_string(),
                p.to_ascii_uppercase(),
                format!("x {} y", p.to_ascii_uppercase()),
            ] {
                let f = Features::of(t.as_bytes());
                assert!(AC.is_match(&t) && anchors_possible(t.as_bytes(), &f), "{t}");
            }
        }
        for t in [
            "John Smith",
            "bwilson@example.net",
            "Hayward and Sons",
            "9c00a693-ddd0-4c47-bf5b-da432246fa4e",
            "683d88fc3c43e7d6b705d14abc4da38f27d5a04d",
        ] {
            let f = Features::of(t.as_bytes());
            assert!(
                !AC.is_match(t) && !anchors_possible(t.as_bytes(), &f),
                "{t}"
            );
        }
        for t in [
            "0123.4567.89ab",
            "mac 0123.4567.89AB x",
            "a.b 0123.4567.89ab",
        ] {
            assert!(RE_MAC.is_match(t) && has_dotted_hex(t.as_bytes()), "{t}");
        }
        for t in ["192.168.1.1", "1.2.3", "0123.4567.89g0"] {
            assert!(!has_dotted_hex(t.as_bytes()), "{t}");
        }
    }

    /// A small deterministic generator (xorshift64*).
    pub(crate) struct Rng(pub(crate) u64);

    impl Rng {
        pub(crate) fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        pub(crate) fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Pieces random texts are made of: anchors and context words, names,
    /// numbers of many shapes, separators, non-ASCII letters and punctuation.
    const PIECES: &[&str] = &[
        "rue",
        "Rue",
        "avenue",
        "allée",
        "quai",
        "route",
        "cours",
        "passage",
        "de la",
        "Paix",
        "Victor",
        "Hugo",
        "dob",
        "D.O.B",
        "born",
        "birth",
        "geboren",
        "geb.",
        "né",
        "née",
        "passport",
        "passeport",
        "licen",
        "DL",
        "driver",
        "permis",
        "key",
        "secret",
        "token",
        "pass",
        "pwd",
        "api",
        "auth",
        "bearer",
        "access",
        "AKIA",
        "ghp_",
        "xoxb-",
        "sk_live_",
        "AIza",
        "eyJ",
        "-----BEGIN",
        "://",
        "@",
        "example.com",
        "John",
        "Smith",
        "Mr",
        "dr",
        "Dear",
        "Jean-Pierre",
        "O'Brien",
        "Müller",
        "Straße",
        "Berliner",
        "Str.",
        "Lane",
        "Street",
        "12",
        "123",
        "1234",
        "12345",
        "123456789",
        "4111 1111 1111 1111",
        "078-05-1120",
        "+1 (555) 123-4567",
        "x89",
        "ext. 12",
        "192.168.1.1",
        "10.0.0.1",
        "1.2.3",
        "2001:db8::1",
        "::",
        "00:1A:2B:3C:4D:5E",
        "0123.4567.89ab",
        "1985-03-12",
        "12/03/1985",
        "3 March 1990",
        "GB82 WEST 1234 5698 7654 32",
        "DE89370400440532013000",
        "X1234567",
        "AB-123-CD",
        "aZ9+/_-!#%$&*?^~aZ9+/_-!#%",
        "abcdefghijklmnopqrstuvwxyz0123456789ABCD",
        "a1b2c3d4e5f6",
        "’",
        "“",
        "\u{a0}",
        "é",
        "ÉCOLE",
        "日本",
        "-",
        "'",
        ".",
        ",",
        ":",
        "/",
        "(",
        ")",
        "#",
        "_",
        " ",
        "  ",
        "\n",
        "\t",
    ];

    pub(crate) fn random_text(r: &mut Rng) -> String {
        let mut t = String::new();
        for _ in 0..1 + r.below(12) {
            let p = PIECES[r.below(PIECES.len())];
            match r.below(6) {
                0 => t.push_str(&p.to_ascii_uppercase()),
                1 => t.push_str(&p.to_ascii_lowercase()),
                _ => t.push_str(p),
            }
            match r.below(4) {
                0 => {}
                1 => t.push_str(". "),
                _ => t.push(' '),
            }
        }
        t
    }

    fn corpus() -> Vec<(String, String)> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/corpus.jsonl");
        std::fs::read_to_string(path)
            .expect("corpus")
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("json");
                (
                    v["column"].as_str().unwrap().to_string(),
                    v["text"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    /// The pre-checks that only skip work (anchor pass, entropy regex,
    /// person names, MAC, IPv6 and "rue" checks) never change a finding:
    /// the same cells scanned with them switched off give the same findings,
    /// with the default threshold and with every candidate kept.
    #[test]
    fn skipping_work_never_changes_findings() {
        let scanners = [
            Scanner::default(),
            Scanner::new(ScanConfig {
                min_confidence: 0.0,
                entities: None,
            }),
        ];
        let columns = [
            "notes",
            "customer_name",
            "secret_key",
            "dob",
            "passport_no",
            "drivers_licence",
            "home_address",
            "ip_address",
        ];
        let mut r = Rng(0x5eed);
        let mut cells: Vec<(String, String)> = corpus();
        for _ in 0..4000 {
            let t = random_text(&mut r);
            cells.push((columns[r.below(columns.len())].to_string(), t));
        }
        for (k, (col, text)) in cells.iter().enumerate() {
            for c in [col.as_str(), columns[k % columns.len()]] {
                for sc in &scanners {
                    let fast = sc.scan_cell(c, text);
                    EXHAUSTIVE.set(true);
                    let all = sc.scan_cell(c, text);
                    EXHAUSTIVE.set(false);
                    assert_eq!(fast, all, "{c}: {text:?}");
                }
            }
        }
    }

    fn random_bytes(r: &mut Rng, alphabet: &[u8], max: usize) -> Vec<u8> {
        (0..r.below(max + 1))
            .map(|_| alphabet[r.below(alphabet.len())])
            .collect()
    }

    #[test]
    fn features_count_every_class() {
        let mut r = Rng(1);
        let all: Vec<u8> = (0..=255).collect();
        for _ in 0..3000 {
            let b = random_bytes(&mut r, &all, 400);
            let f = Features::of(&b);
            let count = |p: fn(&u8) -> bool| b.iter().filter(|c| p(c)).count() as u32;
            assert_eq!(f.digits, count(u8::is_ascii_digit));
            assert_eq!(f.upper, count(u8::is_ascii_uppercase));
            assert_eq!(f.lower, count(u8::is_ascii_lowercase));
            assert_eq!(f.colons, count(|c| *c == b':'));
            assert_eq!(f.dots, count(|c| *c == b'.'));
            assert_eq!(f.hyphens, count(|c| *c == b'-'));
            assert_eq!(f.hex_letters, count(|c| matches!(c | 0x20, b'a'..=b'f')));
            assert_eq!(f.at, b.contains(&b'@'));
            assert_eq!(f.non_ascii, !b.is_ascii());
        }
    }

    #[test]
    fn helpers_match_their_plain_forms() {
        let mut r = Rng(2);
        let alphabet = b"ab:.-_ e0F9+/rRuU!@ \xc3\xa9x";
        for _ in 0..20000 {
            let b = random_bytes(&mut r, alphabet, 60);
            // longest run of a class
            for (n, class) in [
                (16, &SECRET_CLASS),
                (20, &ENTROPY_CLASS),
                (1, &ENTROPY_CLASS),
            ] {
                let longest = b
                    .split(|c| !class[*c as usize])
                    .map(<[u8]>::len)
                    .max()
                    .unwrap_or(0);
                assert_eq!(has_run(&b, n, class), longest >= n, "{b:?}");
            }
            assert_eq!(has_double_colon(&b), b.windows(2).any(|w| w == b"::"));
            assert_eq!(has_rue(&b), b.windows(3).any(|w| w == b"rue"));
        }
        // "rue" needs two letters that are not hex digits
        for _ in 0..20000 {
            let t = random_text(&mut r);
            let f = Features::of(t.as_bytes());
            if t.contains("rue") {
                assert!(f.lower + f.upper >= f.hex_letters + 2, "{t}");
            }
        }
    }

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

    #[test]
    fn ipv4_octets_match_the_std_parser() {
        let mut r = Rng(5);
        for _ in 0..50000 {
            let b = random_bytes(&mut r, b"0125.9. (+", 24);
            num_spans(&b, |sp| {
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
            num_spans(t.as_bytes(), |sp| {
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
            assert_eq!(num(t.as_bytes(), (0, t.len())), before, "{t}");
        }
    }
}
