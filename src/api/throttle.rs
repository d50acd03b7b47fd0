//! Per-key request rates and event streams: each API key gets a token
//! bucket (the `governor` crate; 429 with `Retry-After` when it is empty)
//! and at most a few concurrent server-sent-event streams, which also end
//! when the server shuts down.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::error::ApiError;

/// The limits every API key is held to.
pub struct Throttle {
    requests: Option<DefaultKeyedRateLimiter<Uuid>>,
    streams: Arc<Mutex<HashMap<Uuid, usize>>>,
    streams_per_key: usize,
    shutdown: CancellationToken,
}

impl Throttle {
    /// `per_second` requests a second per key with bursts of `burst` (0
    /// turns the rate limit off), `streams_per_key` concurrent event
    /// streams, all ended by `shutdown`.
    pub fn new(
        per_second: u32,
        burst: u32,
        streams_per_key: usize,
        shutdown: CancellationToken,
    ) -> Self {
        let requests = NonZeroU32::new(per_second).map(|rate| {
            let burst = NonZeroU32::new(burst).unwrap_or(rate);
            RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst))
        });
        Self {
            requests,
            streams: Arc::default(),
            streams_per_key,
            shutdown,
        }
    }

    /// Takes one request from the key's bucket.
    pub fn request(&self, key: Uuid) -> Result<(), ApiError> {
        let Some(limiter) = &self.requests else {
            return Ok(());
        };
        limiter.check_key(&key).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::TooManyRequests {
                retry_after_secs: wait.as_secs() + 1,
            }
        })
    }

    /// A slot for one more event stream of `key`, given back when dropped.
    pub fn stream(&self, key: Uuid) -> Result<StreamSlot, ApiError> {
        let mut open = self.streams.lock().expect("stream slots lock");
        let count = open.entry(key).or_default();
        if *count >= self.streams_per_key {
            return Err(ApiError::TooManyRequests {
                retry_after_secs: 5,
            });
        }
        *count += 1;
        Ok(StreamSlot {
            key,
            streams: self.streams.clone(),
        })
    }

    /// Fires when the server shuts down; streams end then.
    pub fn shutdown(&self) -> CancellationToken {
        self.shutdown.clone()
    }
}

/// One open event stream of a key.
pub struct StreamSlot {
    key: Uuid,
    streams: Arc<Mutex<HashMap<Uuid, usize>>>,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.streams.lock().expect("stream slots lock");
        if let Some(count) = open.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_and_stream_slots_are_per_key() {
        let throttle = Throttle::new(1, 2, 1, CancellationToken::new());
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        assert!(throttle.request(a).is_ok());
        assert!(throttle.request(a).is_ok());
        assert!(matches!(
            throttle.request(a),
            Err(ApiError::TooManyRequests { .. })
        ));
        assert!(throttle.request(b).is_ok());
        let slot = throttle.stream(a).unwrap();
        assert!(throttle.stream(a).is_err());
        assert!(throttle.stream(b).is_ok());
        drop(slot);
        assert!(throttle.stream(a).is_ok());
    }
}
