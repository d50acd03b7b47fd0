//! Keyset pagination: `limit` + an opaque `cursor` encoding the last item's
//! creation time and id.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::error::ApiError;

/// Position after which the next page starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cursor {
    pub created_at: DateTime<Utc>,
    pub id: Uuid,
}

impl Cursor {
    /// Opaque string form handed to clients.
    pub fn encode(&self) -> String {
        let mut bytes = self.created_at.timestamp_micros().to_be_bytes().to_vec();
        bytes.extend_from_slice(self.id.as_bytes());
        hex::encode(bytes)
    }

    /// Parses a cursor received from a client.
    pub fn decode(text: &str) -> Result<Self, ApiError> {
        let invalid = || ApiError::invalid_field("cursor", "cursor is not one this API returned");
        let bytes = hex::decode(text).map_err(|_| invalid())?;
        if bytes.len() != 24 {
            return Err(invalid());
        }
        let micros = i64::from_be_bytes(bytes[..8].try_into().expect("8 bytes"));
        let created_at = DateTime::from_timestamp_micros(micros).ok_or_else(invalid)?;
        let id = Uuid::from_slice(&bytes[8..]).map_err(|_| invalid())?;
        Ok(Self { created_at, id })
    }
}

/// `limit` and `cursor` query parameters of list endpoints.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Items per page, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// Cursor from the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

impl PageParams {
    /// Validated limit and decoded cursor.
    pub fn resolve(&self) -> Result<(i64, Option<Cursor>), ApiError> {
        let limit = self.limit.unwrap_or(50);
        if !(1..=500).contains(&limit) {
            return Err(ApiError::invalid_field(
                "limit",
                "limit must be between 1 and 500",
            ));
        }
        let cursor = self.cursor.as_deref().map(Cursor::decode).transpose()?;
        Ok((limit, cursor))
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// Items on this page.
    #[schema(schema_with = page_items::<T>)]
    pub items: Vec<T>,
    /// Cursor of the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// The schema of `Page::items`: an array of `$ref`s to `T`'s component. utoipa would
/// inline `T`'s whole schema into every `Page_*`, so generated clients would define
/// each item type twice (`PageDatasetItemsItem` besides `Dataset`).
fn page_items<T: ToSchema>() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(utoipa::openapi::Ref::from_schema_name(T::name()))
        .description(Some("Items on this page."))
        .build()
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` fetched rows; the extra row only signals that more exist.
    pub fn from_rows(mut rows: Vec<T>, limit: i64, cursor_of: impl Fn(&T) -> Cursor) -> Self {
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = if more {
            rows.last().map(|last| cursor_of(last).encode())
        } else {
            None
        };
        Self {
            items: rows,
            next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let cursor = Cursor {
            created_at: DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap(),
            id: Uuid::new_v4(),
        };
        assert_eq!(Cursor::decode(&cursor.encode()).unwrap(), cursor);
        assert!(Cursor::decode("zz").is_err());
        assert!(Cursor::decode("abcd").is_err());
    }
}
