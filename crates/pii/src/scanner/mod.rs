//! The scanner: one cheap pass over each cell (byte features + an
//! Aho-Corasick anchor/context pass), then only the precise validators whose
//! prerequisites the cell meets.
//!
//! This module holds the public types ([`Scanner`], [`ScanConfig`],
//! [`Finding`]), the per-cell driver (which detectors a cell needs, overlap
//! resolution) and the context scoring the detectors share. The detectors
//! themselves live in the submodules, one per family of entities. They are
//! `Scanner` methods, so their code goes to this module's codegen unit; the
//! free helpers they call from the other files are `#[inline]` so that they
//! are inlined as they were when the scanner was one file.

mod address;
mod email;
mod national;
mod network;
mod numbers;
mod patterns;
mod personal;
mod prefilter;
mod secrets;
#[cfg(test)]
mod tests;

use crate::context::{self, AFTER, BEFORE, ColumnContext, IDENTIFIER_WORDS};
use crate::entity::EntityType::{self, *};
use crate::names::{self, TokenClassifier};
use crate::phone::PhoneRegion;
use crate::redact::redact;
use network::{has_dotted_hex, has_double_colon};
use prefilter::{
    F_AWS, F_DOB, F_FR_STREET, F_GITHUB, F_GOOGLE, F_JWT, F_LICENCE, F_LOWER_ID, F_PASSPORT, F_PEM,
    F_SECRET, F_SLACK, F_STRIPE, Features, anchor_flags, anchors_needed, anchors_possible,
};
use secrets::{ENTROPY_CLASS, has_run};
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::fmt;
use std::sync::Arc;

/// Scanner settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanConfig {
    /// Findings below this confidence are dropped (default 0.5).
    pub min_confidence: f64,
    /// Only these entity types are detected; `None` means all.
    pub entities: Option<Vec<EntityType>>,
    /// Regions (ISO 3166-1 alpha-2 codes) the data's phone numbers are
    /// written for. A number without a country code must then be a valid
    /// number of one of them (or of the region a column name gives) to be
    /// reported without a phone word or column. Empty: the numbers are
    /// checked against [`crate::phone::DEFAULT_REGIONS`] and only a valid one
    /// gains confidence. Codes libphonenumber does not know are ignored
    /// (callers check them with [`crate::phone::PhoneRegion::from_code`]).
    #[serde(default)]
    pub phone_regions: Vec<String>,
}

impl Default for ScanConfig {
    fn default() -> Self {
        ScanConfig {
            min_confidence: 0.5,
            entities: None,
            phone_regions: Vec::new(),
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
    enabled: u64,
    classifier: Option<Arc<dyn TokenClassifier>>,
    /// The regions the configuration declared (then required); empty: the
    /// defaults, which only lift ([`phone::default_regions`]).
    phone_regions: Vec<PhoneRegion>,
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

thread_local! {
    /// The candidate buffer, reused across the cells a thread scans.
    static CANDIDATE_BUFFER: Cell<Vec<Candidate>> = const { Cell::new(Vec::new()) };
}

#[cfg(test)]
thread_local! {
    /// Tests: scan without the pre-checks that only skip work.
    static EXHAUSTIVE: Cell<bool> = const { Cell::new(false) };
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

/// A detector's proposal, before overlap resolution and the threshold.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    entity: EntityType,
    start: usize,
    end: usize,
    confidence: f64,
}

/// Whether `b` is an ASCII letter or digit.
fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// `i`, moved back to the nearest char boundary of `text` (at most its length).
fn floor_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `i`, moved on to the nearest char boundary of `text` (at most its length).
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
struct CellContext<'a> {
    /// The cell.
    text: &'a str,
    /// What the column name says.
    column: &'a ColumnContext,
}

impl CellContext<'_> {
    /// Whether a context word of `e` is near `start..end` in the cell.
    fn in_cell(&self, e: EntityType, start: usize, end: usize) -> bool {
        context::around(self.text, start, end, BEFORE, AFTER, context::words(e))
    }
    /// Whether the column name points to `e`.
    fn in_column(&self, e: EntityType) -> bool {
        self.column.has(e)
    }
    /// Whether a product, order or document word stands within 16 bytes
    /// before `start` (`SKU 216-152-1179`), or the column holds such numbers:
    /// a number there is an identifier unless its own word or column says
    /// otherwise.
    fn names_an_identifier(&self, start: usize) -> bool {
        self.column.identifier
            || context::nearest_before(self.text, start, 16, &IDENTIFIER_WORDS).is_some()
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
        if self.in_column(e) {
            c += col;
        }
        if self.in_cell(e, start, end) {
            c += if self.in_column(e) { cell / 2.0 } else { cell };
        }
        c.min(0.99)
    }
}

impl Scanner {
    /// A scanner with the given configuration.
    pub fn new(config: ScanConfig) -> Scanner {
        let enabled = match &config.entities {
            None => u64::MAX,
            Some(list) => list.iter().fold(0, |a, e| a | e.bit()),
        };
        let phone_regions = config
            .phone_regions
            .iter()
            .filter_map(|code| PhoneRegion::from_code(code))
            .collect();
        Scanner {
            config,
            enabled,
            classifier: None,
            phone_regions,
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

    /// Whether the entity filter lets `e` through.
    fn is_enabled(&self, e: EntityType) -> bool {
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
        let mut cands = CANDIDATE_BUFFER.take();
        cands.clear();
        self.candidates(col, text, &mut cands);
        if let Some(cls) = &self.classifier {
            for s in cls.classify(column_name, text) {
                if self.is_enabled(s.entity) && s.start < s.end && s.end <= text.len() {
                    let start = floor_boundary(text, s.start);
                    let end = ceil_boundary(text, s.end);
                    cands.push(Candidate {
                        entity: s.entity,
                        start,
                        end,
                        confidence: s.score.clamp(0.0, 1.0),
                    });
                }
            }
        }
        let out = self.resolve(text, &mut cands);
        CANDIDATE_BUFFER.set(cands);
        out
    }

    /// Overlap resolution (higher confidence, then longer span, wins), the
    /// confidence threshold, and the findings in span order.
    fn resolve(&self, text: &str, cands: &mut Vec<Candidate>) -> Vec<Finding> {
        if cands.is_empty() {
            return Vec::new();
        }
        if cands.len() > 1 {
            cands.sort_by(|a, b| {
                b.confidence
                    .total_cmp(&a.confidence)
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
        cands.retain(|c| c.confidence >= min);
        if cands.is_empty() {
            return Vec::new();
        }
        cands.sort_by_key(|c| c.start);
        let mut out = Vec::with_capacity(cands.len());
        out.extend(cands.iter().map(|c| Finding {
            entity: c.entity,
            start: c.start,
            end: c.end,
            confidence: (c.confidence * 1000.0).round() / 1000.0,
            redacted: redact(c.entity, &text[c.start..c.end]),
        }));
        out
    }

    /// Runs the detectors that the cell's byte features and anchor flags
    /// call for, pushing their candidates to `out`.
    fn candidates(&self, col: &ColumnContext, text: &str, out: &mut Vec<Candidate>) {
        let b = text.as_bytes();
        let f = Features::of(b);
        // tests: without the skips that only save work, to compare
        let all = exhaustive();
        let mut flags = 0u32;
        // every anchor and context word has ASCII letters
        if f.upper + f.lower >= 2 && (all || anchors_needed(b, &f)) && anchors_possible(b, &f) {
            flags = anchor_flags(text);
        }
        let ctx = CellContext { text, column: col };
        let mut push = |entity: EntityType, start: usize, end: usize, conf: f64| {
            if conf > 0.0 {
                out.push(Candidate {
                    entity,
                    start,
                    end,
                    confidence: conf,
                });
            }
        };
        // Each detector has its own function: a cell needs few of them, and
        // their loops do not share one huge stack frame.

        // --- secrets with fixed prefixes
        if flags & (F_AWS | F_GITHUB | F_SLACK | F_STRIPE | F_GOOGLE | F_JWT | F_PEM) != 0 {
            self.prefixed_secrets(text, flags, &mut push);
        }
        if f.at {
            self.at_sign(text, flags, &ctx, &mut push);
        }
        if (flags & F_SECRET != 0 || col.has(HighEntropySecret))
            && self.is_enabled(HighEntropySecret)
            && (all || has_run(b, 20, &ENTROPY_CLASS))
        {
            self.entropy_secrets(text, col, &mut push);
        }
        // --- IBAN
        if f.upper >= 2 && f.digits >= 8 && self.is_enabled(Iban) {
            self.ibans(text, &ctx, &mut push);
        }
        // --- IPv6 / MAC
        // a valid IPv6 text form has "::" or seven colons
        if f.colons >= 2 && (all || f.colons >= 7 || has_double_colon(b)) && self.is_enabled(Ipv6) {
            self.ipv6_addresses(text, &ctx, &mut push);
        }
        // with fewer than five ':' and five '-', only the dotted form can
        // pass (a mixed-separator match is rejected in mac_addresses())
        if (f.colons >= 5
            || f.hyphens >= 5
            || (f.dots >= 2 && (all || f.digits + f.hex_letters >= 12) && has_dotted_hex(b)))
            && self.is_enabled(MacAddress)
        {
            self.mac_addresses(text, &ctx, &mut push);
        }
        // --- dates of birth (only with context)
        if (flags & F_DOB != 0 || col.has(DateOfBirth))
            && f.digits >= 4
            && self.is_enabled(DateOfBirth)
        {
            self.dates_of_birth(text, col, &mut push);
        }
        // --- passport / driver's licence (only with context)
        let pass_on = (flags & F_PASSPORT != 0 || col.has(Passport)) && self.is_enabled(Passport);
        let lic_on =
            (flags & F_LICENCE != 0 || col.has(DriversLicence)) && self.is_enabled(DriversLicence);
        if (pass_on || lic_on) && f.digits >= 3 {
            self.documents(text, col, pass_on, lic_on, &mut push);
        }
        // --- numeric spans: card, SSN, phone, IPv4, house numbers, national numbers
        if f.digits > 0 {
            self.numeric(text, &f, &ctx, &mut push);
        }
        // --- national and VAT numbers that start with a letter: each has
        // an upper-case letter and 4 digits, or (a codice fiscale whose
        // digits are letters) 12 upper-case letters
        if f.upper > 0
            && (all || f.digits >= 4 || f.upper >= 12)
            && self.enabled & national::LETTER_TYPES != 0
        {
            self.letter_ids(&ctx, &mut push);
        }
        // NINOs (2 + 1 letters, 6 digits) and PANs (6 letters, 4 digits) in
        // lower case, only with their word in the cell or their column
        if f.lower >= 3
            && f.digits >= 4
            && (flags & F_LOWER_ID != 0 || col.has(UkNino) || col.has(InPan))
            && self.enabled & (UkNino.bit() | InPan.bit()) != 0
        {
            self.lower_case_ids(&ctx, &mut push);
        }
        // French street without a house number ("rue de la Paix"); the
        // numbered forms come from address() with a higher confidence.
        if flags & F_FR_STREET != 0 && self.is_enabled(StreetAddress) {
            self.fr_streets(text, &ctx, &mut push);
        }
        // --- DE street names ("Klemmstraße 90/68") are handled in address();
        // --- person names
        // a name needs two capitalized words (or a title and a name), except in
        // a name column
        if self.is_enabled(PersonName)
            && (f.upper >= 2 || f.non_ascii || (col.has(PersonName) && f.upper > 0))
            && (all || col.has(PersonName) || f.non_ascii || names::may_hold_name(b))
        {
            self.person_names(text, &ctx, &mut push);
        }
    }
}
