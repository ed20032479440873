//! Webhooks as administrators see them and as receivers get them.

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;
use crate::ids::WebhookId;

plain_enum!(
    /// What a webhook may be told about. The payload names ids only; a receiver that
    /// needs more asks `contact_get`, which is recorded as a read.
    WebhookEvent {
        /// A consent was withdrawn (on a card, by a web form, by a withdrawal link):
        /// `contact_id`, `definition_id`, `channel`.
        ConsentWithdrawn = "consent_withdrawn" => WebhookConsentWithdrawn,
        /// The person objected to direct marketing (Art. 21(2)): `contact_id`.
        MarketingObjection = "marketing_objection" => WebhookMarketingObjection,
        /// A manager approved an erasure; the data is gone: `contact_id`.
        ErasureApproved = "erasure_approved" => WebhookErasureApproved,
        /// Processing of the contact's data was restricted (Art. 18): call nobody, send
        /// nothing, change nothing until it is lifted: `contact_id`, `ground`.
        ProcessingRestricted = "processing_restricted" => WebhookProcessingRestricted,
        /// The restriction was lifted: `contact_id`.
        RestrictionLifted = "restriction_lifted" => WebhookRestrictionLifted,
    }
);

plain_enum!(DeliveryState {
    Pending = "pending" => DeliveryPending,
    Delivered = "delivered" => DeliveryDelivered,
    Failed = "failed" => DeliveryFailed,
});

plain_enum!(
    /// Why an attempt got no HTTP answer (an answer's status is kept as a number).
    FailureCode {
        Timeout = "timeout" => WebhookErrTimeout,
        Connect = "connect" => WebhookErrConnect,
        Request = "request" => WebhookErrRequest,
        SwitchedOff = "switched_off" => WebhookErrSwitchedOff,
    }
);

/// A subscription in the administrators' list, with how its deliveries went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookRow {
    pub id: WebhookId,
    pub name: String,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub active: bool,
    pub created_at: i64,
    pub pending: i64,
    pub delivered: i64,
    pub failed: i64,
}

/// A new subscription with its signing secret, shown once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedWebhook {
    pub id: WebhookId,
    pub name: String,
    pub secret: String,
}

impl std::fmt::Debug for IssuedWebhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedWebhook")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// One line of the delivery log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRow {
    pub id: i64,
    pub webhook: String,
    pub event: WebhookEvent,
    pub state: DeliveryState,
    pub attempts: i64,
    pub created_at: i64,
    /// When the next attempt is due (pending ones).
    pub next_at: i64,
    /// The receiver's last HTTP status, or why there was none.
    pub last_status: Option<i64>,
    pub failure: Option<FailureCode>,
    pub finished_at: Option<i64>,
}

/// The prefix of a signing secret, so a leaked one is recognisable in a scan.
pub const SECRET_PREFIX: &str = "zgw_";
/// The header carrying `t=<unix seconds>,v1=<hex HMAC-SHA-256>`.
pub const SIGNATURE_HEADER: &str = "zgoda-signature";
