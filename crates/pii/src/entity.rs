//! The kinds of personal or secret data the engine detects.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A kind of PII or secret. Serialized in snake_case (`credit_card`, `us_ssn`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityType {
    /// E-mail address.
    Email,
    /// Telephone number (E.164 or a national format).
    Phone,
    /// Payment card number (Luhn-valid, known IIN range).
    CreditCard,
    /// International Bank Account Number (ISO 13616, mod-97).
    Iban,
    /// US Social Security Number.
    UsSsn,
    /// IPv4 address.
    Ipv4,
    /// IPv6 address.
    Ipv6,
    /// MAC (EUI-48) address.
    MacAddress,
    /// A date next to birth context ("dob", "born", ...).
    DateOfBirth,
    /// Passport number (only next to passport context).
    Passport,
    /// Driver's licence number (only next to licence context).
    DriversLicence,
    /// Street address (house number, street name, street suffix).
    StreetAddress,
    /// Person name.
    PersonName,
    /// AWS access key id (AKIA/ASIA...).
    AwsAccessKey,
    /// GitHub token (ghp_/gho_/ghu_/ghs_/ghr_, github_pat_).
    GithubToken,
    /// Slack token (xoxb-, xoxp-, ...).
    SlackToken,
    /// Stripe API key (sk_/rk_/pk_ live or test).
    StripeKey,
    /// Google API key (AIza...).
    GoogleApiKey,
    /// JSON Web Token.
    Jwt,
    /// PEM private key block.
    PrivateKey,
    /// URL with embedded `user:password@`.
    UrlCredentials,
    /// High-entropy string next to key/secret/token/password.
    HighEntropySecret,
    /// UK NHS number (10 digits; mod-11 check digit).
    UkNhsNumber,
    /// UK National Insurance number (two prefix letters under HMRC's rules, six digits, suffix A-D).
    UkNino,
    /// German tax id, Steuer-IdNr (11 digits; one digit repeated 2-3 times, never 3 in a row; ISO 7064 MOD 11,10).
    DeTaxId,
    /// French social security number, INSEE/NIR (sex, year, month, department incl. Corsica 2A/2B; key 97 - n mod 97).
    FrNir,
    /// Spanish DNI (8 digits and a mod-23 check letter).
    EsDni,
    /// Spanish NIE (X/Y/Z, 7 digits and a mod-23 check letter).
    EsNie,
    /// Italian codice fiscale (16 characters, omocodia allowed; odd/even check character).
    ItFiscalCode,
    /// Dutch citizen service number, BSN (9 digits; 11-proef).
    NlBsn,
    /// Swedish personnummer (YYMMDD-NNNC or 12 digits; valid date, Luhn on 10 digits).
    SePersonnummer,
    /// Polish PESEL (11 digits; valid birth date with century in the month; weights 1-3-7-9).
    PlPesel,
    /// Indian Aadhaar number (12 digits, first digit 2-9; Verhoeff check digit).
    InAadhaar,
    /// Indian PAN (AAAPA9999A; 4th letter a holder type; shape only, no public checksum).
    InPan,
    /// Australian tax file number, TFN (8 or 9 digits; weighted mod 11).
    AuTfn,
    /// Australian Medicare card number (10 or 11 digits, first 2-6; weighted check digit).
    AuMedicare,
    /// Canadian Social Insurance Number, SIN (9 digits, first not 0 or 8; Luhn).
    CaSin,
    /// Brazilian CPF (11 digits, not all equal; two mod-11 check digits).
    BrCpf,
    /// Brazilian CNPJ (14 digits, not all equal; two mod-11 check digits).
    BrCnpj,
    /// Singapore NRIC/FIN (S/T/F/G/M, 7 digits and a weighted mod-11 check letter).
    SgNric,
    /// EU VAT number (country prefix and that country's format; check digits for AT, BE, DE, ES, FR, IT, NL, PL, SE, shape only for the others).
    EuVat,
}

impl EntityType {
    /// Every entity type, in declaration order.
    pub const ALL: [EntityType; 41] = [
        EntityType::Email,
        EntityType::Phone,
        EntityType::CreditCard,
        EntityType::Iban,
        EntityType::UsSsn,
        EntityType::Ipv4,
        EntityType::Ipv6,
        EntityType::MacAddress,
        EntityType::DateOfBirth,
        EntityType::Passport,
        EntityType::DriversLicence,
        EntityType::StreetAddress,
        EntityType::PersonName,
        EntityType::AwsAccessKey,
        EntityType::GithubToken,
        EntityType::SlackToken,
        EntityType::StripeKey,
        EntityType::GoogleApiKey,
        EntityType::Jwt,
        EntityType::PrivateKey,
        EntityType::UrlCredentials,
        EntityType::HighEntropySecret,
        EntityType::UkNhsNumber,
        EntityType::UkNino,
        EntityType::DeTaxId,
        EntityType::FrNir,
        EntityType::EsDni,
        EntityType::EsNie,
        EntityType::ItFiscalCode,
        EntityType::NlBsn,
        EntityType::SePersonnummer,
        EntityType::PlPesel,
        EntityType::InAadhaar,
        EntityType::InPan,
        EntityType::AuTfn,
        EntityType::AuMedicare,
        EntityType::CaSin,
        EntityType::BrCpf,
        EntityType::BrCnpj,
        EntityType::SgNric,
        EntityType::EuVat,
    ];

    /// The snake_case name used in serialization.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Email => "email",
            EntityType::Phone => "phone",
            EntityType::CreditCard => "credit_card",
            EntityType::Iban => "iban",
            EntityType::UsSsn => "us_ssn",
            EntityType::Ipv4 => "ipv4",
            EntityType::Ipv6 => "ipv6",
            EntityType::MacAddress => "mac_address",
            EntityType::DateOfBirth => "date_of_birth",
            EntityType::Passport => "passport",
            EntityType::DriversLicence => "drivers_licence",
            EntityType::StreetAddress => "street_address",
            EntityType::PersonName => "person_name",
            EntityType::AwsAccessKey => "aws_access_key",
            EntityType::GithubToken => "github_token",
            EntityType::SlackToken => "slack_token",
            EntityType::StripeKey => "stripe_key",
            EntityType::GoogleApiKey => "google_api_key",
            EntityType::Jwt => "jwt",
            EntityType::PrivateKey => "private_key",
            EntityType::UrlCredentials => "url_credentials",
            EntityType::HighEntropySecret => "high_entropy_secret",
            EntityType::UkNhsNumber => "uk_nhs_number",
            EntityType::UkNino => "uk_nino",
            EntityType::DeTaxId => "de_tax_id",
            EntityType::FrNir => "fr_nir",
            EntityType::EsDni => "es_dni",
            EntityType::EsNie => "es_nie",
            EntityType::ItFiscalCode => "it_fiscal_code",
            EntityType::NlBsn => "nl_bsn",
            EntityType::SePersonnummer => "se_personnummer",
            EntityType::PlPesel => "pl_pesel",
            EntityType::InAadhaar => "in_aadhaar",
            EntityType::InPan => "in_pan",
            EntityType::AuTfn => "au_tfn",
            EntityType::AuMedicare => "au_medicare",
            EntityType::CaSin => "ca_sin",
            EntityType::BrCpf => "br_cpf",
            EntityType::BrCnpj => "br_cnpj",
            EntityType::SgNric => "sg_nric",
            EntityType::EuVat => "eu_vat",
        }
    }

    /// Parses a snake_case name (the inverse of [`EntityType::as_str`]).
    pub fn from_name(name: &str) -> Option<EntityType> {
        EntityType::ALL.iter().copied().find(|e| e.as_str() == name)
    }

    /// Whether this entity is a credential/secret rather than personal data.
    pub fn is_secret(self) -> bool {
        matches!(
            self,
            EntityType::AwsAccessKey
                | EntityType::GithubToken
                | EntityType::SlackToken
                | EntityType::StripeKey
                | EntityType::GoogleApiKey
                | EntityType::Jwt
                | EntityType::PrivateKey
                | EntityType::UrlCredentials
                | EntityType::HighEntropySecret
        )
    }

    /// Whether this entity is a national identifier or tax number (a US SSN
    /// or one of the country-prefixed types). `br_cnpj` and `eu_vat` mostly
    /// identify companies, but a sole trader's VAT number identifies a person.
    pub fn is_national_id(self) -> bool {
        matches!(
            self,
            EntityType::UsSsn
                | EntityType::UkNhsNumber
                | EntityType::UkNino
                | EntityType::DeTaxId
                | EntityType::FrNir
                | EntityType::EsDni
                | EntityType::EsNie
                | EntityType::ItFiscalCode
                | EntityType::NlBsn
                | EntityType::SePersonnummer
                | EntityType::PlPesel
                | EntityType::InAadhaar
                | EntityType::InPan
                | EntityType::AuTfn
                | EntityType::AuMedicare
                | EntityType::CaSin
                | EntityType::BrCpf
                | EntityType::BrCnpj
                | EntityType::SgNric
                | EntityType::EuVat
        )
    }

    /// This entity's bit in the 64-bit entity sets (filters, column context).
    pub(crate) const fn bit(self) -> u64 {
        const _: () = assert!(EntityType::ALL.len() <= 64);
        1u64 << (self as u32)
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
