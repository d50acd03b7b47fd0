//! The `Principal` extractor: the bearer token of a request looked up as an
//! API key, and the role check handlers call.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::AppState;
use super::error::ApiError;
use crate::store::keys::{Principal, Role, authenticate};

impl Principal {
    /// Fails with 403 unless the caller has at least `role`.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(ApiError::Forbidden {
                required: role,
                actual: self.role,
            })
        }
    }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|token| is_well_formed(token))
            .ok_or(ApiError::Unauthorized)?;
        let principal = authenticate(&state.pool, token)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        state.throttle.request(principal.key_id)?;
        Ok(principal)
    }
}

/// Whether `token` has the shape of a token this service issues (`prb_` and
/// 64 lower-case hex digits); anything else is refused without a database
/// round trip.
fn is_well_formed(token: &str) -> bool {
    token.len() == 68
        && token.starts_with("prb_")
        && token[4..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_issued_token_shapes_are_looked_up() {
        let issued = format!(
            "prb_{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        );
        assert!(is_well_formed(&issued));
        assert!(!is_well_formed(&issued[..67]));
        assert!(!is_well_formed(&issued.to_uppercase()));
        assert!(!is_well_formed(&format!("prx_{}", &issued[4..])));
        assert!(!is_well_formed(&"x".repeat(100_000)));
    }
}
