//! The one error type of the HTTP layer and its single mapping to RFC 9457
//! `application/problem+json` responses.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::store::keys::Role;
use probity_audit::dataset::DatasetError;
use probity_audit::model::ModelError;
use probity_audit::sandbox::SandboxError;

/// Where in the input a problem was found.
#[derive(Debug, Clone, Default, Serialize, ToSchema, PartialEq)]
pub struct Location {
    /// Request field (JSON pointer-ish path, multipart part or query parameter).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Dataset column name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// 1-based line (CSV/NDJSON) or row number in the uploaded file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

impl Location {
    /// A location naming a request field.
    pub fn field(name: impl Into<String>) -> Self {
        Self {
            field: Some(name.into()),
            ..Self::default()
        }
    }
}

/// RFC 9457 problem details, as every error response carries them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Stable identifier of the problem kind (`urn:probity:problem:<slug>`).
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short, human-readable summary of the problem kind.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// What went wrong in this occurrence.
    pub detail: String,
    /// Where in the input the problem was found, for bad input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// Seconds a 503 asks clients to wait before retrying (`Retry-After`).
pub const UNAVAILABLE_RETRY_SECS: u64 = 5;

/// Every failure an HTTP handler can return.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{detail}")]
    Validation {
        detail: String,
        location: Option<Location>,
    },
    #[error("{0}")]
    BadRequest(String),
    #[error("missing or invalid API key")]
    Unauthorized,
    #[error("this operation needs the `{required}` role; the key has `{actual}`")]
    Forbidden { required: Role, actual: Role },
    #[error("{resource} {id} does not exist")]
    NotFound { resource: &'static str, id: String },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("too many requests for this API key; retry in {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error")]
    Internal(anyhow::Error),
}

impl ApiError {
    /// A 422 for a bad request field.
    pub fn invalid_field(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::Validation {
            detail: detail.into(),
            location: Some(Location::field(field)),
        }
    }

    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            Self::Validation { .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "Invalid input",
            ),
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad-request", "Bad request"),
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized", "Unauthorized"),
            Self::Forbidden { .. } => (StatusCode::FORBIDDEN, "forbidden", "Forbidden"),
            Self::NotFound { .. } => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict", "Conflict"),
            Self::PayloadTooLarge(_) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload-too-large",
                "Payload too large",
            ),
            Self::UnsupportedMediaType(_) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
            ),
            Self::TooManyRequests { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                "Too many requests",
            ),
            Self::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Service unavailable",
            ),
            Self::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal server error",
            ),
        }
    }

    /// The problem document this error is rendered as.
    pub fn problem(&self) -> Problem {
        let (status, slug, title) = self.parts();
        let location = match self {
            Self::Validation { location, .. } => location.clone(),
            _ => None,
        };
        Problem {
            problem_type: format!("urn:probity:problem:{slug}"),
            title: title.to_string(),
            status: status.as_u16(),
            detail: self.to_string(),
            location,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(error) = &self {
            tracing::error!(error = format!("{error:#}"), "request failed");
        }
        let problem = self.problem();
        let status =
            StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(problem)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if matches!(self, Self::Unauthorized) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Self::TooManyRequests { retry_after_secs } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        if matches!(self, Self::Unavailable(_)) {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(UNAVAILABLE_RETRY_SECS),
            );
        }
        response
    }
}

/// The client-facing problem a database error stands for, if any: Postgres
/// refuses the NUL character in text (SQLSTATE 22021) and `\u0000` in JSONB
/// (22P05), so the input carried one (422); the database cannot be reached
/// right now (down, restarting, or every connection busy), so a retry may
/// succeed (503). Anything else is an internal failure (`None`).
fn database_problem(error: &sqlx::Error) -> Option<ApiError> {
    let code = error
        .as_database_error()
        .and_then(|e| e.code())
        .unwrap_or_default();
    if matches!(code.as_ref(), "22021" | "22P05") {
        return Some(ApiError::Validation {
            detail: "text values must not contain the NUL character (U+0000)".into(),
            location: None,
        });
    }
    // datetime_field_overflow: a timestamp (a filter, a cursor) Postgres cannot store.
    if code == "22008" {
        return Some(ApiError::Validation {
            detail: "a timestamp is outside the range the database stores (4713 BC to 294276 AD)"
                .into(),
            location: None,
        });
    }
    // Connection exceptions (class 08) and shutdown or startup in progress (57P01-57P03).
    let unreachable = matches!(
        error,
        sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed
    ) || code.starts_with("08")
        || matches!(code.as_ref(), "57P01" | "57P02" | "57P03");
    if !unreachable {
        return None;
    }
    tracing::warn!(error = %error, "database unreachable");
    Some(ApiError::Unavailable(
        "the database is unreachable; retry shortly".into(),
    ))
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        database_problem(&error).unwrap_or_else(|| Self::Internal(error.into()))
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> Self {
        let database = error
            .chain()
            .find_map(|cause| cause.downcast_ref::<sqlx::Error>());
        database
            .and_then(database_problem)
            .unwrap_or(Self::Internal(error))
    }
}

impl From<DatasetError> for ApiError {
    fn from(error: DatasetError) -> Self {
        match error {
            DatasetError::Io(io) => Self::Internal(io.into()),
            other => Self::Validation {
                location: Some(Location {
                    field: Some("file".into()),
                    line: other.line(),
                    column: other.column(),
                }),
                detail: other.to_string(),
            },
        }
    }
}

impl From<ModelError> for ApiError {
    fn from(error: ModelError) -> Self {
        if let ModelError::Sandbox(SandboxError::Unavailable(_)) = &error {
            return Self::Internal(error.into());
        }
        Self::Validation {
            location: Some(Location::field(error.field())),
            detail: error.to_string(),
        }
    }
}

impl From<probity_audit::monitor::LineError> for ApiError {
    fn from(error: probity_audit::monitor::LineError) -> Self {
        Self::Validation {
            location: Some(Location {
                field: Some(error.field.clone()),
                column: None,
                line: (error.line > 0).then_some(error.line),
            }),
            detail: error.to_string(),
        }
    }
}

impl From<crate::monitoring::MonitorError> for ApiError {
    fn from(error: crate::monitoring::MonitorError) -> Self {
        match error {
            crate::monitoring::MonitorError::NotFound(id) => Self::NotFound {
                resource: "monitor",
                id: id.to_string(),
            },
            crate::monitoring::MonitorError::Line(line) => line.into(),
            crate::monitoring::MonitorError::Database(e) => e.into(),
        }
    }
}

impl From<probity_audit::audit::RequestError> for ApiError {
    fn from(error: probity_audit::audit::RequestError) -> Self {
        Self::Validation {
            location: Some(Location {
                field: Some(error.field.clone()),
                column: error.column.clone(),
                line: None,
            }),
            detail: error.detail,
        }
    }
}

/// Axum rejections (bad JSON, bad path or query, oversized bodies) as problems.
macro_rules! rejection_into_problem {
    ($($rejection:ty => $field:literal),* $(,)?) => {$(
        impl From<$rejection> for ApiError {
            fn from(rejection: $rejection) -> Self {
                match rejection.status() {
                    StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge(rejection.body_text()),
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::UnsupportedMediaType(rejection.body_text()),
                    _ => Self::invalid_field($field, rejection.body_text()),
                }
            }
        }
    )*};
}

rejection_into_problem!(
    axum::extract::rejection::JsonRejection => "body",
    axum::extract::rejection::QueryRejection => "query",
    axum::extract::rejection::PathRejection => "path",
);
