//! Sending deliveries: each delivery is a job, queued with the change that caused it, so
//! a receiver hears of a withdrawal within seconds from whichever node claims it. A
//! delivery that fails is retried with a doubling delay (from
//! `Security::webhook_retry_base_ms`, at most two hours apart) for a day after the
//! change, then given up; the log shows each one's attempts and the receiver's last
//! answer.

use std::time::Duration;

use super::model::FailureCode;
use super::store::{finish, Attempt, Due};
use crate::error::AppError;
use crate::jobs::runner::Outcome;
use crate::jobs::store::{Claimed, Next};
use crate::state::AppState;

/// How long after the change a delivery is still tried.
pub const RETRY_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;
const MAX_DELAY_MS: i64 = 2 * 60 * 60 * 1000;
const TIMEOUT: Duration = Duration::from_secs(10);
/// Finished deliveries stay in the log this long.
pub const KEEP_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// The receiver's client: no redirects (a receiver does not get to point Zgoda
/// elsewhere), a short timeout, bundled root certificates (nothing downloads).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Zgoda/", env!("CARGO_PKG_VERSION"), " (webhooks)"))
        .build()
        .unwrap_or_default()
}

/// The delay before attempt `attempts + 1`: base, 2×base, 4×base, …, at most two hours.
pub fn delay_after(attempts: i64, base_ms: i64) -> i64 {
    let doublings = attempts.clamp(0, 20) as u32;
    base_ms.saturating_mul(1 << doublings).min(MAX_DELAY_MS)
}

/// What becomes of a failed attempt made at `now`.
pub fn after_failure(
    due: &Due,
    now: i64,
    base_ms: i64,
    status: Option<i64>,
    failure: Option<FailureCode>,
) -> Attempt {
    let next_at = now + delay_after(due.attempts, base_ms);
    if next_at > due.created_at + RETRY_WINDOW_MS {
        Attempt::GaveUp { status, failure }
    } else {
        Attempt::Retry {
            next_at,
            status,
            failure,
        }
    }
}

/// The body the receiver gets.
pub fn body(due: &Due) -> Vec<u8> {
    let data: serde_json::Value =
        serde_json::from_str(&due.payload).unwrap_or(serde_json::Value::Null);
    serde_json::to_vec(&serde_json::json!({
        "id": due.id,
        "event": due.event,
        "occurred_at": crate::time_fmt::iso_utc(due.created_at),
        "data": data,
    }))
    .unwrap_or_default()
}

async fn send(state: &AppState, client: &reqwest::Client, due: &Due) -> Attempt {
    let secret = super::sign::secret(&state.vault.index(), due.webhook_id, &due.salt);
    let body = body(due);
    let now = crate::db::now_ms();
    let signature = super::sign::signature(&secret, now / 1000, &body);
    let sent = client
        .post(&due.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(super::model::SIGNATURE_HEADER, signature)
        .header("zgoda-event", &due.event)
        .header("zgoda-delivery", due.id.to_string())
        .body(body)
        .send()
        .await;
    let base = state.security.webhook_retry_base_ms;
    let now = crate::db::now_ms();
    match sent {
        Ok(response) if response.status().is_success() => Attempt::Delivered {
            status: i64::from(response.status().as_u16()),
        },
        Ok(response) => {
            let status = i64::from(response.status().as_u16());
            after_failure(due, now, base, Some(status), None)
        }
        // The error's kind only: its text may quote the address, which an administrator
        // typed and neither the log nor the delivery log need repeat.
        Err(err) => {
            let failure = if err.is_timeout() {
                FailureCode::Timeout
            } else if err.is_connect() {
                FailureCode::Connect
            } else {
                FailureCode::Request
            };
            after_failure(due, now, base, None, Some(failure))
        }
    }
}

/// Sends one delivery (the job's subject) and records the attempt, if the job is still
/// this node's; a failed attempt comes back at the delivery's own next retry time.
pub async fn run_job(state: &AppState, job: &Claimed) -> Outcome {
    let id = job.subject.ok_or(AppError::NotFound)?;
    let due = {
        let mut conn = state.db.pool().acquire().await?;
        super::store::due(&mut conn, id).await?
    };
    // Delivered, given up or switched off meanwhile.
    let Some(delivery) = due else {
        return Ok(Next::Done);
    };
    // Taken over early (its last attempt's ending was lost): the receiver's own
    // schedule still holds.
    if delivery.next_at > crate::db::now_ms() {
        return Ok(Next::At(delivery.next_at));
    }
    let attempt = send(state, &state.http, &delivery).await;
    match &attempt {
        Attempt::Delivered { .. } => {}
        Attempt::Retry {
            status, failure, ..
        } => tracing::info!(
            delivery = delivery.id,
            status = ?status,
            failure = ?failure,
            "a webhook delivery will be retried"
        ),
        Attempt::GaveUp { status, failure } => tracing::warn!(
            delivery = delivery.id,
            status = ?status,
            failure = ?failure,
            "a webhook delivery was given up"
        ),
    }
    let mut tx = state.db.begin_write().await?;
    if !crate::jobs::store::holds(&mut tx, job.id, &job.owner).await?
        || !finish(&mut tx, &delivery, &attempt).await?
    {
        tracing::info!(
            delivery = delivery.id,
            "a webhook delivery was taken over or switched off while it was sent"
        );
        return Ok(Next::Done);
    }
    tx.commit().await?;
    Ok(match attempt {
        Attempt::Retry { next_at, .. } => Next::At(next_at),
        Attempt::Delivered { .. } | Attempt::GaveUp { .. } => Next::Done,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::WebhookId;

    fn due(attempts: i64) -> Due {
        Due {
            id: 9,
            webhook_id: WebhookId(1),
            url: "https://a.pl".into(),
            salt: "s".into(),
            event: "consent_withdrawn".into(),
            payload: r#"{"contact_id":42}"#.into(),
            attempts,
            created_at: 0,
            next_at: 0,
        }
    }

    #[test]
    fn delays_double_up_to_two_hours_and_stop_after_a_day() {
        let base = 30_000;
        let delays: Vec<i64> = (0..4).map(|a| delay_after(a, base)).collect();
        assert_eq!(delays, [30_000, 60_000, 120_000, 240_000]);
        assert_eq!(delay_after(30, base), MAX_DELAY_MS);
        assert!(matches!(
            after_failure(&due(0), 1_000, base, Some(500), None),
            Attempt::Retry {
                next_at: 31_000,
                status: Some(500),
                ..
            }
        ));
        let late = RETRY_WINDOW_MS - 1_000;
        assert!(matches!(
            after_failure(&due(12), late, base, None, Some(FailureCode::Timeout)),
            Attempt::GaveUp { status: None, .. }
        ));
    }

    #[test]
    fn the_body_names_the_event_and_ids_only() {
        let body: serde_json::Value = serde_json::from_slice(&body(&due(0))).unwrap();
        assert_eq!(body["id"], 9);
        assert_eq!(body["event"], "consent_withdrawn");
        assert_eq!(body["occurred_at"], "1970-01-01T00:00:00.000Z");
        assert_eq!(body["data"]["contact_id"], 42);
    }
}
