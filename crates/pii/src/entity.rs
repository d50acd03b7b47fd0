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
}

impl EntityType {
    /// Every entity type, in declaration order.
    pub const ALL: [EntityType; 22] = [
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

    pub(crate) fn bit(self) -> u32 {
        1u32 << (self as u32)
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
