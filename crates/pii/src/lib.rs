//! Probity's PII exposure engine: pure functions from text to findings.
//!
//! * [`Scanner`] detects e-mails, phones, payment cards, IBANs, US SSNs,
//!   IPv4/IPv6/MAC addresses, dates of birth, passport and driver's licence
//!   numbers, street addresses, person names and secrets (cloud/API tokens,
//!   JWTs, PEM private keys, URL credentials, high-entropy strings), each
//!   with a byte span and a confidence that checksums and context words
//!   (in the cell or in the column name) move.
//! * [`Scanner::scan_column`] scans a column in parallel and summarizes it
//!   ([`ColumnReport`]), keeping per-cell findings for export.
//! * [`redact`] renders a value the way reports may show it; a [`Finding`]
//!   never holds the raw value.
//! * [`quasi_identifiers`] measures k-anonymity and re-identification risk.
//!
//! No I/O: the service feeds cells in and writes the results out.

mod context;
mod entity;
pub mod eval;
mod names;
mod quasi;
mod redact;
mod report;
mod scanner;
pub mod validate;

pub use context::ColumnContext;
pub use entity::EntityType;
pub use names::{ClassifiedSpan, TokenClassifier, is_first_name, is_last_name, name_list_sizes};
pub use quasi::{
    QuasiIdentifierCounter, QuasiIdentifierError, QuasiIdentifierReport, quasi_identifiers,
};
pub use redact::redact;
pub use report::{CellFinding, ColumnReport, EntitySummary, MAX_EXAMPLES, summarize};
pub use scanner::{Finding, ScanConfig, Scanner};
