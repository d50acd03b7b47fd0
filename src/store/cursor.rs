//! Keyset pagination positions: the last item's creation time and id,
//! encoded as an opaque string for clients.

use chrono::{DateTime, Datelike, Utc};
use uuid::Uuid;

/// A cursor string that this API did not hand out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cursor is not one this API returned")]
pub struct InvalidCursor;

/// Position after which the next page starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cursor {
    /// Creation time of the last item of the previous page.
    pub created_at: DateTime<Utc>,
    /// Id of that item (ties on the creation time).
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
    pub fn decode(text: &str) -> Result<Self, InvalidCursor> {
        let invalid = || InvalidCursor;
        let bytes = hex::decode(text).map_err(|_| invalid())?;
        if bytes.len() != 24 {
            return Err(invalid());
        }
        let micros = i64::from_be_bytes(bytes[..8].try_into().expect("8 bytes"));
        let created_at = DateTime::from_timestamp_micros(micros)
            .filter(|t| (-4713..=294_276).contains(&t.year()))
            .ok_or_else(invalid)?;
        let id = Uuid::from_slice(&bytes[8..]).map_err(|_| invalid())?;
        Ok(Self { created_at, id })
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
