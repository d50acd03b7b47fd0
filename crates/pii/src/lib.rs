//! Probity's PII exposure engine: pure functions from text to findings.
//!
//! * [`Scanner`] detects e-mails, phones, payment cards, IBANs, US SSNs,
//!   IPv4/IPv6/MAC addresses, dates of birth, passport and driver's licence
//!   numbers, street addresses, person names, secrets (cloud/API tokens,
//!   JWTs, PEM private keys, URL credentials, high-entropy strings) and
//!   national identifiers and VAT numbers (`uk_nhs_number`, `uk_nino`,
//!   `de_tax_id`, `fr_nir`, `es_dni`, `es_nie`, `it_fiscal_code`, `nl_bsn`,
//!   `se_personnummer`, `pl_pesel`, `in_aadhaar`, `in_pan`, `au_tfn`,
//!   `au_medicare`, `ca_sin`, `br_cpf`, `br_cnpj`, `sg_nric`, `eu_vat`, each
//!   checked by its issuer's checksum or structure in [`validate`]), each
//!   with a byte span and a confidence that checksums and context words
//!   (in the cell or in the column name) move. A bare run of digits that
//!   only a checksum tells apart needs a context word or column name to
//!   reach the default threshold (see `BENCHMARK.md`).
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
pub mod phone;
mod quasi;
mod redact;
mod report;
mod scanner;
#[cfg(test)]
mod testgen;
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
