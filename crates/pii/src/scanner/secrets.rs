//! Secrets: tokens with a fixed prefix (AWS, GitHub, Slack, Stripe,
//! Google), JWTs, PEM private keys, and high-entropy strings near a secret
//! word or in a secret column, with the byte-class run check that gates the
//! entropy regex.

use super::patterns::{
    RE_AWS, RE_ENTROPY, RE_GITHUB, RE_GOOGLE, RE_JWT, RE_PEM, RE_PEM_END, RE_SLACK, RE_STRIPE,
};
use super::prefilter::{F_AWS, F_GITHUB, F_GOOGLE, F_JWT, F_PEM, F_SLACK, F_STRIPE};
use super::{Scanner, is_alnum};
use crate::context::{self, ColumnContext, DIGEST_WORDS, KEY_ID_WORDS};
use crate::entity::EntityType::{self, *};
use crate::validate::{jwt_header_valid, shannon_entropy};
use regex::Regex;
use std::sync::LazyLock;

/// Lengths of hex digests: MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512.
const DIGEST_HEX_LENGTHS: [usize; 6] = [32, 40, 56, 64, 96, 128];

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
pub(super) static ENTROPY_CLASS: [bool; 256] = secret_set(false);
/// RE_ENTROPY's class and '.'.
pub(super) static SECRET_CLASS: [bool; 256] = secret_set(true);

/// Whether `b` holds `n` consecutive bytes of `class` (RE_ENTROPY matches
/// exactly where `b` holds 20 of [`ENTROPY_CLASS`]).
///
/// A run starting at `i` needs bytes `i..i + n` in the class: checking them
/// from the last one back, the first byte out of the class at `j` rules out
/// every start up to `j`, so most bytes are never looked at.
#[inline]
pub(super) fn has_run(b: &[u8], n: usize, class: &[bool; 256]) -> bool {
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

/// Secrets found by a fixed prefix alone: anchor flag, entity, pattern,
/// shortest match reported, confidence. A Slack prefix and a short word
/// (`xoxb-sample`) is no token: the shortest real ones (`xoxb-` with a team
/// id, a bot id and a secret) are over 40 bytes.
static PREFIXED_SECRETS: [(u32, EntityType, &LazyLock<Regex>, usize, f64); 4] = [
    (F_AWS, AwsAccessKey, &RE_AWS, 0, 0.95),
    (F_GITHUB, GithubToken, &RE_GITHUB, 0, 0.95),
    (F_SLACK, SlackToken, &RE_SLACK, 24, 0.9),
    (F_STRIPE, StripeKey, &RE_STRIPE, 0, 0.9),
];

impl Scanner {
    /// Cloud and API tokens, JWTs and PEM private keys (anchored).
    #[inline(never)]
    pub(super) fn prefixed_secrets(
        &self,
        text: &str,
        flags: u32,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let b = text.as_bytes();
        for &(flag, entity, pattern, shortest, conf) in &PREFIXED_SECRETS {
            if flags & flag != 0 && self.is_enabled(entity) {
                for m in pattern.find_iter(text).filter(|m| m.len() >= shortest) {
                    push(entity, m.start(), m.end(), conf);
                }
            }
        }
        if flags & F_GOOGLE != 0 && self.is_enabled(GoogleApiKey) {
            for m in RE_GOOGLE.find_iter(text) {
                let after = b.get(m.end()).copied();
                if !after.is_some_and(|c| is_alnum(c) || c == b'_' || c == b'-') {
                    push(GoogleApiKey, m.start(), m.end(), 0.9);
                }
            }
        }
        if flags & F_JWT != 0 && self.is_enabled(Jwt) {
            for m in RE_JWT.find_iter(text) {
                let header = m.as_str().split('.').next().unwrap_or("");
                if jwt_header_valid(header) {
                    push(Jwt, m.start(), m.end(), 0.95);
                }
            }
        }
        if flags & F_PEM != 0 && self.is_enabled(PrivateKey) {
            for m in RE_PEM.find_iter(text) {
                let end = RE_PEM_END
                    .find_at(text, m.end())
                    .map(|e| e.end())
                    .unwrap_or(text.len());
                push(PrivateKey, m.start(), end, 0.99);
            }
        }
    }

    /// High-entropy strings near a secret word or in a secret column (not
    /// hex digests named as such).
    #[inline(never)]
    pub(super) fn entropy_secrets(
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
            let secret_word =
                context::nearest_before(text, m.start(), 48, context::words(HighEntropySecret));
            if secret_word.is_none() && !col.has(HighEntropySecret) {
                continue;
            }
            // a key's or account's id nearer than any secret word ("private_key_id": "…")
            let id_word = context::nearest_before(text, m.start(), 48, &KEY_ID_WORDS);
            if id_word.is_some_and(|d| secret_word.is_none_or(|k| d < k)) {
                continue;
            }
            // a hex digest's length after a hash word nearer than any secret word: a hash
            if hex && DIGEST_HEX_LENGTHS.contains(&s.len()) {
                let digest_word = context::nearest_before(text, m.start(), 48, &DIGEST_WORDS);
                if digest_word.is_some_and(|d| secret_word.is_none_or(|k| d <= k)) {
                    continue;
                }
            }
            let conf = if s.len() >= 32 && h >= 4.0 {
                0.85
            } else {
                0.75
            };
            push(HighEntropySecret, m.start(), m.end(), conf);
        }
    }
}
