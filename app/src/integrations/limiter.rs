//! Each token's request rate, kept in this node's memory: a generic cell rate algorithm
//! (one "theoretical arrival time" per token), so a token may burst and then gets one
//! request per `1/rate` seconds. With several nodes each admits its own share.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::ids::ApiTokenId;

/// Last use is written at most this often per token and node, so calls stay reads.
const NOTE_USE_EVERY: Duration = Duration::from_secs(60);

#[derive(Debug, Default)]
pub struct Limiter {
    arrivals: Mutex<HashMap<ApiTokenId, Instant>>,
    noted: Mutex<HashMap<ApiTokenId, Instant>>,
}

impl Limiter {
    /// Admits one request, or says how long until the next one would be admitted.
    pub fn check(
        &self,
        id: ApiTokenId,
        per_sec: u32,
        burst: u32,
        now: Instant,
    ) -> Result<(), Duration> {
        let interval = Duration::from_secs(1) / per_sec.max(1);
        let tolerance = interval * burst.max(1).saturating_sub(1);
        let mut arrivals = self.arrivals.lock().unwrap_or_else(|p| p.into_inner());
        let due = arrivals.get(&id).copied().unwrap_or(now).max(now);
        if let Some(earliest) = due.checked_sub(tolerance) {
            if now < earliest {
                return Err(earliest - now);
            }
        }
        arrivals.insert(id, due + interval);
        Ok(())
    }

    /// Whether this request's use should be written (the first in a minute).
    pub fn should_note_use(&self, id: ApiTokenId, now: Instant) -> bool {
        let mut noted = self.noted.lock().unwrap_or_else(|p| p.into_inner());
        match noted.get(&id) {
            Some(at) if now.duration_since(*at) < NOTE_USE_EVERY => false,
            _ => {
                noted.insert(id, now);
                true
            }
        }
    }
}

/// Whole seconds to wait, at least one, for `Retry-After`.
pub fn retry_after_secs(wait: Duration) -> i64 {
    (wait.as_millis().div_ceil(1000) as i64).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_one_request_per_interval() {
        let limiter = Limiter::default();
        let id = ApiTokenId(1);
        let t0 = Instant::now();
        for _ in 0..4 {
            assert!(limiter.check(id, 2, 4, t0).is_ok());
        }
        let wait = limiter.check(id, 2, 4, t0).unwrap_err();
        assert_eq!(wait, Duration::from_millis(500));
        assert_eq!(retry_after_secs(wait), 1);
        // Half a second later one more is admitted, and only one.
        let t1 = t0 + Duration::from_millis(500);
        assert!(limiter.check(id, 2, 4, t1).is_ok());
        assert!(limiter.check(id, 2, 4, t1).is_err());
        // Another token has its own allowance.
        assert!(limiter.check(ApiTokenId(2), 2, 4, t1).is_ok());
    }

    #[test]
    fn use_is_noted_once_a_minute() {
        let limiter = Limiter::default();
        let t0 = Instant::now();
        assert!(limiter.should_note_use(ApiTokenId(1), t0));
        assert!(!limiter.should_note_use(ApiTokenId(1), t0 + Duration::from_secs(30)));
        assert!(limiter.should_note_use(ApiTokenId(1), t0 + Duration::from_secs(61)));
    }

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(1001)), 2);
    }
}
