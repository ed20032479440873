//! The history of each contact's personal data (per field, with source and reason), the
//! activities timeline, and who read the contact card.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod reads;
#[cfg(feature = "ssr")]
pub mod store;
mod tabs;

pub use model::{values_of, ContactTimeline};
pub use tabs::{ActivitiesTab, HistoryTab};
