//! The right to be forgotten: the consultant's request and its undo, the managers'
//! queue with approval, refusal, extension and legal holds, and an erasure that leaves
//! nothing readable (the contact's data key is destroyed).

pub mod api;
mod menu;
pub mod model;
mod queue_page;
#[cfg(feature = "ssr")]
pub mod register;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(all(test, feature = "ssr"))]
mod store_tests;

pub use menu::{ErasureMenuItem, ErasureNotice};
pub use model::{ErasureStatus, RequestState};
pub use queue_page::ErasureQueuePage;
