//! The `webhooks` and `webhook_deliveries` tables: subscriptions, and the outbox their
//! deliveries wait in. Features that change what a webhook reports call [`enqueue`] in
//! the same transaction, so a delivery exists exactly when the change does.

use sqlx::{AnyConnection, Row};

use super::model::{DeliveryRow, DeliveryState, FailureCode, WebhookEvent, WebhookRow};
use super::rules::NewWebhook;
use crate::db::now_ms;
use crate::ids::{UserId, WebhookId};
use crate::store_error::{Doing, StoreError};

fn events_text(events: &[WebhookEvent]) -> String {
    events
        .iter()
        .map(|e| e.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse_events(text: &str) -> Vec<WebhookEvent> {
    text.split_whitespace()
        .filter_map(WebhookEvent::parse)
        .collect()
}

/// Creates a subscription; its secret is derived from the returned salt.
pub async fn create(
    conn: &mut AnyConnection,
    by: UserId,
    new: &NewWebhook,
    salt: &str,
) -> Result<WebhookId, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO webhooks (name, url, events, secret_salt, active, created_by, created_at) \
         VALUES ($1, $2, $3, $4, 1, $5, $6) RETURNING id",
    )
    .bind(&new.name)
    .bind(&new.url)
    .bind(events_text(&new.events))
    .bind(salt)
    .bind(by)
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await
    .doing("creating a webhook")
}

pub async fn set_active(
    conn: &mut AnyConnection,
    id: WebhookId,
    active: bool,
) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE webhooks SET active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(id)
        .execute(&mut *conn)
        .await
        .doing("switching a webhook")?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    // A switched-off subscription sends nothing more, not even what was waiting; and one
    // switched on again does not send what a change committing during the switch-off
    // queued for it.
    sqlx::query(
        "UPDATE webhook_deliveries SET state = 'failed', last_error = $1, finished_at = $2, \
         claimed_until = NULL WHERE webhook_id = $3 AND state = 'pending'",
    )
    .bind(FailureCode::SwitchedOff.as_str())
    .bind(now_ms())
    .bind(id)
    .execute(&mut *conn)
    .await
    .doing("dropping a switched webhook's waiting deliveries")?;
    Ok(())
}

pub async fn list(conn: &mut AnyConnection) -> Result<Vec<WebhookRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT w.id, w.name, w.url, w.events, w.active, w.created_at, \
         (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.state = 'pending') AS pending, \
         (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.state = 'delivered') AS delivered, \
         (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.state = 'failed') AS failed \
         FROM webhooks w ORDER BY w.id",
    )
    .fetch_all(&mut *conn)
    .await
    .doing("listing webhooks")?;
    rows.into_iter()
        .map(|r| {
            Ok(WebhookRow {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                url: r.try_get("url")?,
                events: parse_events(&r.try_get::<String, _>("events")?),
                active: r.try_get::<i64, _>("active")? == 1,
                created_at: r.try_get("created_at")?,
                pending: r.try_get("pending")?,
                delivered: r.try_get("delivered")?,
                failed: r.try_get("failed")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .doing("reading webhooks")
}

/// Queues `payload` (ids only) for every active subscription to `event`, each delivery
/// with its job; returns how many deliveries were queued.
pub async fn enqueue(
    conn: &mut AnyConnection,
    event: WebhookEvent,
    payload: &serde_json::Value,
) -> Result<u64, StoreError> {
    let now = now_ms();
    let ids: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO webhook_deliveries (webhook_id, event, payload, created_at, next_at) \
         SELECT id, $1, $2, $3, $4 FROM webhooks \
         WHERE active = 1 AND (' ' || events || ' ') LIKE $5 RETURNING id",
    )
    .bind(event.as_str())
    .bind(payload.to_string())
    .bind(now)
    .bind(now)
    .bind(format!("% {} %", event.as_str()))
    .fetch_all(&mut *conn)
    .await
    .doing("queueing webhook deliveries")?;
    for id in &ids {
        crate::jobs::store::enqueue(conn, crate::jobs::JobKind::Webhook, Some(*id), now).await?;
    }
    Ok(ids.len() as u64)
}

/// A delivery still to be sent, with what sending it needs.
#[derive(Debug, Clone)]
pub struct Due {
    pub id: i64,
    pub webhook_id: WebhookId,
    pub url: String,
    pub salt: String,
    pub event: String,
    pub payload: String,
    pub attempts: i64,
    pub created_at: i64,
    /// When the receiver's schedule lets it be sent.
    pub next_at: i64,
}

/// The delivery `id` if it is still to be sent (pending, its subscription switched on).
pub async fn due(conn: &mut AnyConnection, id: i64) -> Result<Option<Due>, StoreError> {
    let row = sqlx::query(
        "SELECT d.id, d.webhook_id, w.url, w.secret_salt, d.event, d.payload, d.attempts, \
         d.created_at, d.next_at FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
         WHERE d.id = $1 AND d.state = 'pending' AND w.active = 1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .doing("reading a webhook delivery")?;
    let Some(r) = row else {
        return Ok(None);
    };
    Ok(Some(Due {
        id: r.try_get("id")?,
        webhook_id: r.try_get("webhook_id")?,
        url: r.try_get("url")?,
        salt: r.try_get("secret_salt")?,
        event: r.try_get("event")?,
        payload: r.try_get("payload")?,
        attempts: r.try_get("attempts")?,
        created_at: r.try_get("created_at")?,
        next_at: r.try_get("next_at")?,
    }))
}

/// How one attempt ended. `failure` is set when the receiver gave no HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    Delivered {
        status: i64,
    },
    /// Try again at `next_at`.
    Retry {
        next_at: i64,
        status: Option<i64>,
        failure: Option<FailureCode>,
    },
    /// Given up: the retry window is over.
    GaveUp {
        status: Option<i64>,
        failure: Option<FailureCode>,
    },
}

/// Records an attempt if the delivery is still pending; `false` when it is not (its
/// subscription was switched off while it was sent), in which case nothing is written.
/// The caller checks in the same transaction that its job's lease still holds.
pub async fn finish(
    conn: &mut AnyConnection,
    due: &Due,
    attempt: &Attempt,
) -> Result<bool, StoreError> {
    let now = now_ms();
    let (state, next_at, status, failure, finished) = match attempt {
        Attempt::Delivered { status } => (
            DeliveryState::Delivered,
            None,
            Some(*status),
            None,
            Some(now),
        ),
        Attempt::Retry {
            next_at,
            status,
            failure,
        } => (
            DeliveryState::Pending,
            Some(*next_at),
            *status,
            *failure,
            None,
        ),
        Attempt::GaveUp { status, failure } => {
            (DeliveryState::Failed, None, *status, *failure, Some(now))
        }
    };
    let done = sqlx::query(
        "UPDATE webhook_deliveries SET state = $1, attempts = attempts + 1, \
         next_at = COALESCE($2, next_at), last_status = $3, last_error = $4, finished_at = $5, \
         claimed_until = NULL WHERE id = $6 AND state = 'pending'",
    )
    .bind(state.as_str())
    .bind(next_at)
    .bind(status)
    .bind(failure.map(FailureCode::as_str))
    .bind(finished)
    .bind(due.id)
    .execute(&mut *conn)
    .await
    .doing("recording a webhook attempt")?;
    Ok(done.rows_affected() == 1)
}

/// Removes finished deliveries older than `before` (the log keeps a month).
pub async fn purge_finished(conn: &mut AnyConnection, before: i64) -> Result<u64, StoreError> {
    let done =
        sqlx::query("DELETE FROM webhook_deliveries WHERE state <> 'pending' AND finished_at < $1")
            .bind(before)
            .execute(&mut *conn)
            .await
            .doing("purging old webhook deliveries")?;
    Ok(done.rows_affected())
}

/// The newest deliveries, for the log.
pub async fn deliveries(
    conn: &mut AnyConnection,
    limit: i64,
) -> Result<Vec<DeliveryRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT d.id, w.name, d.event, d.state, d.attempts, d.created_at, d.next_at, \
         d.last_status, d.last_error, d.finished_at FROM webhook_deliveries d \
         JOIN webhooks w ON w.id = d.webhook_id ORDER BY d.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
    .doing("listing webhook deliveries")?;
    rows.into_iter()
        .map(|r| {
            Ok(DeliveryRow {
                id: r.try_get("id")?,
                webhook: r.try_get("name")?,
                event: WebhookEvent::parse(&r.try_get::<String, _>("event")?).unwrap_or_default(),
                state: DeliveryState::parse(&r.try_get::<String, _>("state")?).unwrap_or_default(),
                attempts: r.try_get("attempts")?,
                created_at: r.try_get("created_at")?,
                next_at: r.try_get("next_at")?,
                last_status: r.try_get("last_status")?,
                failure: r
                    .try_get::<Option<String>, _>("last_error")?
                    .and_then(|code| FailureCode::parse(&code)),
                finished_at: r.try_get("finished_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .doing("reading webhook deliveries")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_db::{store_test, TestDb};
    use crate::webhooks::model::WebhookEvent::*;

    async fn subscriptions(t: &TestDb, conn: &mut AnyConnection) -> (WebhookId, WebhookId) {
        t.exec(
            "INSERT INTO users (id, login, display_name, role, password_hash, \
             password_changed_at, created_at) \
             VALUES (1, 'admin', 'Admin', 'administrator', '-', 0, 0)",
        )
        .await;
        let dialer = NewWebhook {
            name: "Dialer".into(),
            url: "https://dialer.example.pl/h".into(),
            events: vec![ConsentWithdrawn, MarketingObjection],
        };
        let crm = NewWebhook {
            name: "CRM".into(),
            url: "https://crm.example.pl/h".into(),
            events: vec![ErasureApproved],
        };
        (
            create(conn, UserId(1), &dialer, "s1").await.unwrap(),
            create(conn, UserId(1), &crm, "s2").await.unwrap(),
        )
    }

    store_test!(deliveries_are_queued_for_subscribers_only, |t| async move {
        let mut conn = t.db.pool().acquire().await.unwrap();
        let (dialer, _) = subscriptions(&t, &mut conn).await;
        let payload = serde_json::json!({"contact_id": 1});
        assert_eq!(
            enqueue(&mut conn, ConsentWithdrawn, &payload)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            enqueue(&mut conn, ErasureApproved, &payload).await.unwrap(),
            1
        );
        set_active(&mut conn, dialer, false).await.unwrap();
        assert_eq!(
            enqueue(&mut conn, ConsentWithdrawn, &payload)
                .await
                .unwrap(),
            0
        );
        let rows = list(&mut conn).await.unwrap();
        assert_eq!(
            (rows[0].pending, rows[0].failed),
            (0, 1),
            "dropped when switched off"
        );
        assert_eq!(rows[1].pending, 1);
        let log = deliveries(&mut conn, 10).await.unwrap();
        assert_eq!(log[1].failure, Some(FailureCode::SwitchedOff));
    });

    store_test!(
        each_delivery_has_its_job_and_its_attempts_are_recorded,
        |t| async move {
            let mut conn = t.db.pool().acquire().await.unwrap();
            let (dialer, _) = subscriptions(&t, &mut conn).await;
            let payload = serde_json::json!({"contact_id": 1});
            enqueue(&mut conn, ConsentWithdrawn, &payload)
                .await
                .unwrap();
            enqueue(&mut conn, MarketingObjection, &payload)
                .await
                .unwrap();
            let jobs: Vec<i64> = sqlx::query_scalar(
                "SELECT subject FROM jobs WHERE kind = 'webhook' AND status = 'waiting' ORDER BY subject",
            )
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM webhook_deliveries ORDER BY id")
                .fetch_all(&mut *conn)
                .await
                .unwrap();
            assert_eq!(jobs, ids, "one job per delivery");
            let first = due(&mut conn, ids[0]).await.unwrap().unwrap();
            let second = due(&mut conn, ids[1]).await.unwrap().unwrap();
            let delivered = Attempt::Delivered { status: 204 };
            assert!(finish(&mut conn, &first, &delivered).await.unwrap());
            assert!(due(&mut conn, ids[0]).await.unwrap().is_none(), "sent once");
            assert!(!finish(&mut conn, &first, &delivered).await.unwrap());
            let now = now_ms();
            let retry = Attempt::Retry {
                next_at: now + 120_000,
                status: Some(503),
                failure: None,
            };
            assert!(finish(&mut conn, &second, &retry).await.unwrap());
            let again = due(&mut conn, ids[1]).await.unwrap().unwrap();
            assert_eq!(again.attempts, 1);
            // Switched off while being sent: the sender's late answer changes nothing.
            set_active(&mut conn, dialer, false).await.unwrap();
            assert!(due(&mut conn, ids[1]).await.unwrap().is_none());
            assert!(!finish(&mut conn, &again, &retry).await.unwrap());
            let states: Vec<DeliveryState> = deliveries(&mut conn, 10)
                .await
                .unwrap()
                .iter()
                .map(|d| d.state)
                .collect();
            assert_eq!(states, [DeliveryState::Failed, DeliveryState::Delivered]);
            assert_eq!(purge_finished(&mut conn, now_ms() + 1).await.unwrap(), 2);
            assert!(deliveries(&mut conn, 10).await.unwrap().is_empty());
        }
    );
}
