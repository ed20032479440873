//! Webhooks: an integration is told within seconds when a consent is withdrawn, a
//! person objects to direct marketing, or an erasure is approved. Deliveries wait in a
//! durable outbox written with the change itself, are signed (HMAC-SHA-256 over the
//! timestamp and body), retried with backoff for a day by whichever node claims them,
//! and listed in a delivery log under "Integracje".

pub mod api;
pub mod model;
mod page;
pub mod rules;

#[cfg(feature = "ssr")]
pub mod deliver;
#[cfg(feature = "ssr")]
pub mod sign;
#[cfg(feature = "ssr")]
pub mod store;

pub use page::WebhooksSection;
