//! The prefilter: what one cheap look at a cell tells before any regex runs.
//!
//! * [`Features`]: byte-class counts (digits, letters, ':', '.', '-', hex
//!   letters, '@', non-ASCII) from one table-driven pass;
//! * the anchor pass: an Aho-Corasick automaton over fixed prefixes and
//!   context words whose matches set the `F_*` flags that gate the
//!   context-only and prefixed detectors, with the checks that skip the pass
//!   where it cannot find anything or its flags cannot matter.

use super::address::fr_street_word;
use super::secrets::{SECRET_CLASS, has_run};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::sync::LazyLock;

/// Anchor flag: an AWS access key prefix (`AKIA`, `ASIA`).
pub(super) const F_AWS: u32 = 1 << 0;
/// Anchor flag: a GitHub token prefix (`ghp_`, `github_pat_`, ...).
pub(super) const F_GITHUB: u32 = 1 << 1;
/// Anchor flag: a Slack token prefix (`xox`, `app-` of `xapp-`).
pub(super) const F_SLACK: u32 = 1 << 2;
/// Anchor flag: a Stripe key infix (`_live_`, `_test_`).
pub(super) const F_STRIPE: u32 = 1 << 3;
/// Anchor flag: a Google API key prefix (`AIza`).
pub(super) const F_GOOGLE: u32 = 1 << 4;
/// Anchor flag: a JWT header start (`eyJ`).
pub(super) const F_JWT: u32 = 1 << 5;
/// Anchor flag: a PEM block start (`-----BEGIN`).
pub(super) const F_PEM: u32 = 1 << 6;
/// Anchor flag: a URL scheme separator (`://`).
pub(super) const F_URL: u32 = 1 << 7;
/// Anchor flag: a date-of-birth context word.
pub(super) const F_DOB: u32 = 1 << 8;
/// Anchor flag: a passport context word.
pub(super) const F_PASSPORT: u32 = 1 << 9;
/// Anchor flag: a driver's licence context word.
pub(super) const F_LICENCE: u32 = 1 << 10;
/// Anchor flag: a secret context word (`key`, `token`, `pass`, ...).
pub(super) const F_SECRET: u32 = 1 << 11;
/// Anchor flag: a French street word followed by a space.
pub(super) const F_FR_STREET: u32 = 1 << 12;
/// Anchor flag: a NINO or PAN context word (lower-case ids need one).
pub(super) const F_LOWER_ID: u32 = 1 << 13;

/// Every anchor (ASCII case-insensitive) and the flag it sets.
const ANCHORS: &[(&str, u32)] = &[
    ("akia", F_AWS),
    ("asia", F_AWS),
    ("ghp_", F_GITHUB),
    ("gho_", F_GITHUB),
    ("ghu_", F_GITHUB),
    ("ghs_", F_GITHUB),
    ("ghr_", F_GITHUB),
    ("github_pat_", F_GITHUB),
    ("xox", F_SLACK),
    ("app-", F_SLACK),
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
    ("geburt", F_DOB),
    ("(*", F_DOB),
    (" *", F_DOB),
    ("naci", F_DOB),
    ("nac.", F_DOB),
    ("nasc", F_DOB),
    ("nato", F_DOB),
    ("nata", F_DOB),
    ("geboorte", F_DOB),
    ("född", F_DOB),
    ("födelse", F_DOB),
    ("født", F_DOB),
    ("fødd", F_DOB),
    ("fødsel", F_DOB),
    ("syntym", F_DOB),
    ("syntyn", F_DOB),
    ("synt.", F_DOB),
    ("urodz", F_DOB),
    ("ur.", F_DOB),
    ("naroz", F_DOB),
    ("narod", F_DOB),
    ("nar.", F_DOB),
    ("naște", F_DOB),
    ("naste", F_DOB),
    ("născ", F_DOB),
    ("szület", F_DOB),
    ("szül.", F_DOB),
    ("γέννη", F_DOB),
    ("γενν", F_DOB),
    ("gimimo", F_DOB),
    ("gimęs", F_DOB),
    ("dzimš", F_DOB),
    ("dzimis", F_DOB),
    ("sünni", F_DOB),
    ("sündi", F_DOB),
    ("rođen", F_DOB),
    ("rojen", F_DOB),
    ("rojstva", F_DOB),
    ("pass no", F_PASSPORT),
    ("pass-nr", F_PASSPORT),
    ("pass nr", F_PASSPORT),
    ("pass nº", F_PASSPORT),
    ("passnummer", F_PASSPORT),
    ("passnr", F_PASSPORT),
    ("pasnummer", F_PASSPORT),
    ("pas nr", F_PASSPORT),
    ("pasaport", F_PASSPORT),
    ("pașaport", F_PASSPORT),
    ("passaport", F_PASSPORT),
    ("paspoort", F_PASSPORT),
    ("paszport", F_PASSPORT),
    ("passi", F_PASSPORT),
    ("cestovní pas", F_PASSPORT),
    ("cestovního pasu", F_PASSPORT),
    ("cestovný pas", F_PASSPORT),
    ("útlevél", F_PASSPORT),
    ("διαβατήρι", F_PASSPORT),
    ("pasas", F_PASSPORT),
    ("pase nr", F_PASSPORT),
    ("pp#", F_PASSPORT),
    ("pp no", F_PASSPORT),
    ("pp nr", F_PASSPORT),
    ("travel document", F_PASSPORT),
    ("document de voyage", F_PASSPORT),
    ("documento de viaje", F_PASSPORT),
    ("documento di viaggio", F_PASSPORT),
    ("reisedokument", F_PASSPORT),
    ("fuehrerschein", F_LICENCE),
    ("patente", F_LICENCE),
    ("carteira de motorista", F_LICENCE),
    ("bilitação", F_LICENCE),
    ("cnh", F_LICENCE),
    ("carta de condução", F_LICENCE),
    ("carnet de conducir", F_LICENCE),
    ("rijbewijs", F_LICENCE),
    ("prawo jazdy", F_LICENCE),
    ("prawa jazdy", F_LICENCE),
    ("körkort", F_LICENCE),
    ("kørekort", F_LICENCE),
    ("førerkort", F_LICENCE),
    ("ajokortti", F_LICENCE),
    ("řidičsk", F_LICENCE),
    ("ridicsk", F_LICENCE),
    ("vodičsk", F_LICENCE),
    ("gosítvány", F_LICENCE),
    ("vezetői engedély", F_LICENCE),
    ("vozačk", F_LICENCE),
    ("vozniško", F_LICENCE),
    ("vairuotojo", F_LICENCE),
    ("autovadītāja", F_LICENCE),
    ("juhiluba", F_LICENCE),
    ("άδεια οδήγησης", F_LICENCE),
    ("contras", F_SECRET),
    ("clave", F_SECRET),
    ("senha", F_SECRET),
    ("chave", F_SECRET),
    ("achtw", F_SECRET),
    ("kennwort", F_SECRET),
    ("lösenord", F_SECRET),
    ("losenord", F_SECRET),
    ("adgangskode", F_SECRET),
    ("mdp", F_SECRET),
    ("parol", F_SECRET),
    ("parool", F_SECRET),
    ("asł", F_SECRET),
    ("aslo", F_SECRET),
    ("heslo", F_SECRET),
    ("salasana", F_SECRET),
    ("jelsz", F_SECRET),
    ("lozinka", F_SECRET),
    ("geslo", F_SECRET),
    ("slapta", F_SECRET),
    ("κωδικός", F_SECRET),
    ("geheim", F_SECRET),
    ("segret", F_SECRET),
    ("segredo", F_SECRET),
    ("chiave", F_SECRET),
    ("clé", F_SECRET),
    ("jeton", F_SECRET),
    ("klucz", F_SECRET),
    ("schlüssel", F_SECRET),
    ("nøgle", F_SECRET),
    ("nyckel", F_SECRET),
    ("avain", F_SECRET),
    ("kulcs", F_SECRET),
    ("cheie", F_SECRET),
    ("nin", F_LOWER_ID),
    ("ni ", F_LOWER_ID),
    ("ni#", F_LOWER_ID),
    ("national ins", F_LOWER_ID),
    ("nat ins", F_LOWER_ID),
    ("insurance", F_LOWER_ID),
    ("pan", F_LOWER_ID),
    ("permanent account", F_LOWER_ID),
    ("income tax", F_LOWER_ID),
    ("income-tax", F_LOWER_ID),
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

/// The automaton over [`ANCHORS`] (leftmost-longest, ASCII case-insensitive).
static ANCHOR_AUTOMATON: LazyLock<AhoCorasick> = LazyLock::new(|| {
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
        let k = pair_key(p[0], p[1]);
        t[k >> 6] |= 1 << (k & 63);
    }
    t
});

/// The index of the byte pair `a`, `b` (ASCII lower-cased) in [`ANCHOR_PAIRS`].
#[inline]
fn pair_key(a: u8, b: u8) -> usize {
    (a.to_ascii_lowercase() as usize) << 8 | b.to_ascii_lowercase() as usize
}

/// Whether the anchor pass can find anything in the short cell `b`: some
/// anchor's first two bytes occur in it (ASCII case-insensitively, as the
/// automaton matches). A necessary condition, so skipping the pass when it
/// fails changes nothing; names, e-mails and companies mostly fail it.
#[inline]
pub(super) fn anchors_possible(b: &[u8], f: &Features) -> bool {
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
        let k = pair_key(w[0], w[1]);
        t[k >> 6] & (1 << (k & 63)) != 0
    })
}

/// The flags of the anchors in `text` (leftmost-longest, non-overlapping).
#[inline(never)]
pub(super) fn anchor_flags(text: &str) -> u32 {
    let mut flags = 0;
    for m in ANCHOR_AUTOMATON.find_iter(text) {
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
#[inline]
pub(super) fn anchors_needed(b: &[u8], f: &Features) -> bool {
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

/// Byte-level features gathered in one pass.
#[derive(Default, Clone, Copy)]
pub(super) struct Features {
    /// ASCII digits.
    pub(super) digits: u32,
    /// ASCII upper-case letters.
    pub(super) upper: u32,
    /// ASCII lower-case letters.
    pub(super) lower: u32,
    /// Whether any byte is not ASCII.
    pub(super) non_ascii: bool,
    /// Whether any byte is '@'.
    pub(super) at: bool,
    /// ':' bytes.
    pub(super) colons: u32,
    /// '.' bytes.
    pub(super) dots: u32,
    /// '-' bytes.
    pub(super) hyphens: u32,
    /// Letters a-f / A-F.
    pub(super) hex_letters: u32,
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
    #[inline]
    pub(super) fn of(b: &[u8]) -> Features {
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

#[cfg(test)]
mod tests {
    use super::super::network::has_dotted_hex;
    use super::super::patterns::RE_MAC;
    use super::super::tests::{Rng, random_bytes};
    use super::*;

    /// Every context word of a detector that an anchor flag gates contains
    /// an anchor of that flag (ASCII case-insensitively), so the flag is set
    /// wherever the word can be found.
    #[test]
    fn every_gated_context_word_holds_its_anchor() {
        use crate::context::words;
        use crate::entity::EntityType::*;
        for (entity, flag) in [
            (DateOfBirth, F_DOB),
            (Passport, F_PASSPORT),
            (DriversLicence, F_LICENCE),
            (HighEntropySecret, F_SECRET),
            (UkNino, F_LOWER_ID),
            (InPan, F_LOWER_ID),
        ] {
            for word in words(entity).list {
                let word = word.trim_end_matches('*').to_lowercase();
                assert!(
                    ANCHORS
                        .iter()
                        .any(|(a, f)| *f == flag && word.contains(&a.to_lowercase())),
                    "{entity}: no anchor in {word:?}"
                );
                assert!(
                    anchor_flags(&word) & flag != 0,
                    "{entity}: {word:?} sets no flag"
                );
            }
        }
    }

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
                assert!(
                    ANCHOR_AUTOMATON.is_match(&t) && anchors_possible(t.as_bytes(), &f),
                    "{t}"
                );
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
                !ANCHOR_AUTOMATON.is_match(t) && !anchors_possible(t.as_bytes(), &f),
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
}
