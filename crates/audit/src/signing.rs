//! Ed25519 signatures of reports. The signed message is the report's sha256
//! (64 lower-case hex characters, ASCII), which is itself the hash of the
//! body's canonical JSON; so a signature vouches for every figure of the
//! body. Keys are PKCS#8 PEM files, as `openssl genpkey -algorithm ed25519`
//! writes them; anyone holding the public key can verify with any Ed25519
//! implementation (for example `openssl pkeyutl -verify -rawin`). Pure: no I/O
//! beyond reading the key file.

use std::path::Path;

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

/// The only algorithm Probity signs with.
pub const ALGORITHM: &str = "ed25519";

/// Why a signing key could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SigningError {
    #[error("reading the signing key {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the signing key {path} is not an Ed25519 PKCS#8 PEM private key: {detail}")]
    Parse { path: String, detail: String },
}

/// A report's signature as stored beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReportSignature {
    /// Always `ed25519`.
    pub algorithm: String,
    /// First 16 hex characters of the sha256 of the raw public key.
    pub key_id: String,
    /// The raw 32-byte public key, hex.
    pub public_key: String,
    /// The 64-byte signature of the report's sha256 (its ASCII hex text), hex.
    pub signature: String,
}

/// The public half of the configured key, for others to verify with.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PublicKeyInfo {
    /// Always `ed25519`.
    pub algorithm: String,
    /// First 16 hex characters of the sha256 of the raw public key.
    pub key_id: String,
    /// The raw 32-byte public key, hex.
    pub public_key: String,
    /// The same key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
    pub public_key_pem: String,
    /// What the signature covers.
    pub signed_message: String,
}

/// Signs reports with one Ed25519 key.
#[derive(Clone)]
pub struct ReportSigner {
    key: SigningKey,
}

impl std::fmt::Debug for ReportSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportSigner")
            .field("key_id", &key_id(&self.key.verifying_key()))
            .finish()
    }
}

fn key_id(key: &VerifyingKey) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))[..16].to_string()
}

impl ReportSigner {
    /// Loads a PKCS#8 PEM private key file.
    pub fn from_pem_file(path: &Path) -> Result<Self, SigningError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| SigningError::Read {
            path: shown.clone(),
            source,
        })?;
        Self::from_pem(&text).map_err(|detail| SigningError::Parse {
            path: shown,
            detail,
        })
    }

    /// Parses a PKCS#8 PEM private key.
    pub fn from_pem(text: &str) -> Result<Self, String> {
        SigningKey::from_pkcs8_pem(text.trim())
            .map(|key| Self { key })
            .map_err(|e| e.to_string())
    }

    /// A new random key.
    pub fn generate() -> Self {
        Self {
            key: SigningKey::from_bytes(&rand::random::<[u8; 32]>()),
        }
    }

    /// The private key as PKCS#8 PEM, for `probity signing-key generate`.
    pub fn private_key_pem(&self) -> String {
        self.key
            .to_pkcs8_pem(LineEnding::LF)
            .expect("Ed25519 keys encode")
            .to_string()
    }

    /// The public key and how to use it.
    pub fn public_key(&self) -> PublicKeyInfo {
        let verifying = self.key.verifying_key();
        PublicKeyInfo {
            algorithm: ALGORITHM.into(),
            key_id: key_id(&verifying),
            public_key: hex::encode(verifying.as_bytes()),
            public_key_pem: verifying
                .to_public_key_pem(LineEnding::LF)
                .expect("Ed25519 keys encode"),
            signed_message:
                "the report's sha256 as 64 lower-case hex characters (ASCII, no newline)".into(),
        }
    }

    /// Signs a report's sha256 (hex).
    pub fn sign(&self, report_sha256: &str) -> ReportSignature {
        let verifying = self.key.verifying_key();
        ReportSignature {
            algorithm: ALGORITHM.into(),
            key_id: key_id(&verifying),
            public_key: hex::encode(verifying.as_bytes()),
            signature: hex::encode(self.key.sign(report_sha256.as_bytes()).to_bytes()),
        }
    }
}

/// Checks `signature` over `report_sha256` with the public key it names.
/// `Err` says why it could not be checked (malformed key or signature).
pub fn verify(signature: &ReportSignature, report_sha256: &str) -> Result<bool, String> {
    if signature.algorithm != ALGORITHM {
        return Err(format!(
            "unknown signature algorithm `{}`",
            signature.algorithm
        ));
    }
    let key: [u8; 32] = hex::decode(&signature.public_key)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or("the public key is not 32 bytes of hex")?;
    let key = VerifyingKey::from_bytes(&key)
        .map_err(|e| format!("the public key is not a valid Ed25519 point: {e}"))?;
    let bytes: [u8; 64] = hex::decode(&signature.signature)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or("the signature is not 64 bytes of hex")?;
    Ok(key
        .verify(report_sha256.as_bytes(), &Signature::from_bytes(&bytes))
        .is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_fail_on_any_change() {
        let signer = ReportSigner::generate();
        let digest = "a".repeat(64);
        let signature = signer.sign(&digest);
        assert_eq!(verify(&signature, &digest), Ok(true));
        assert_eq!(verify(&signature, &"b".repeat(64)), Ok(false));
        let other = ReportSigner::generate().sign(&digest);
        let forged = ReportSignature {
            signature: other.signature,
            ..signature.clone()
        };
        assert_eq!(verify(&forged, &digest), Ok(false));
        assert!(
            verify(
                &ReportSignature {
                    public_key: "00".into(),
                    ..signature
                },
                &digest
            )
            .is_err()
        );
    }

    #[test]
    fn pem_round_trip_keeps_the_key() {
        let signer = ReportSigner::generate();
        let again = ReportSigner::from_pem(&signer.private_key_pem()).unwrap();
        assert_eq!(signer.public_key(), again.public_key());
        assert!(
            signer
                .public_key()
                .public_key_pem
                .starts_with("-----BEGIN PUBLIC KEY-----")
        );
        assert!(
            ReportSigner::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")
                .is_err()
        );
    }

    /// RFC 8032 section 7.1, test 1: the secret key, public key and the signature of the empty message.
    #[test]
    fn matches_rfc_8032_test_vector() {
        let secret: [u8; 32] =
            hex::decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
                .unwrap()
                .try_into()
                .unwrap();
        let key = SigningKey::from_bytes(&secret);
        assert_eq!(
            hex::encode(key.verifying_key().as_bytes()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        );
        assert_eq!(
            hex::encode(key.sign(b"").to_bytes()),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        );
    }
}
