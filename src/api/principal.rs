//! The `Principal` extractor: the bearer token of a request looked up as an
//! API key, and the role check handlers call.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::AppState;
use super::error::ApiError;
use crate::store::keys::{Principal, Role, authenticate, is_well_formed};

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
