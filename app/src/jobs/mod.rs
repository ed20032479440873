//! Background jobs: one durable queue in the database for the work every node does
//! beside serving requests (imports, background exports, webhook deliveries, retention
//! runs, the key rotation check, purges, the search backfill). A job is queued in the
//! transaction of the change that asks for it, claimed by one node (`FOR UPDATE SKIP
//! LOCKED` on PostgreSQL), held by a lease the node renews, taken over by another node
//! when the lease runs out, retried with a growing delay and, when its attempts are used
//! up, failed with a reason the managers' "Zadania w tle" page and `zgoda jobs` show.
//! docs/architecture.md says why this is not an off-the-shelf queue.

pub mod api;
pub mod model;
mod page;

#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod runner;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod wake;

pub use model::{JobKind, JobRow, JobStatus};
pub use page::JobsPage;
