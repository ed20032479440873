//! Consents: the customer's definitions with versioned statements, each contact's
//! decisions with their evidence, the consent icon and panel on the cards, required
//! consents before a case is saved, per-channel marketing and the contact check.

pub mod api;
#[cfg(feature = "ssr")]
pub mod bulk;
#[cfg(feature = "ssr")]
pub mod check;
mod definitions_page;
#[cfg(feature = "ssr")]
pub mod dialer;
#[cfg(feature = "ssr")]
pub mod evidence;
pub mod examples;
pub mod model;
#[cfg(feature = "ssr")]
pub mod objection;
#[cfg(all(test, feature = "ssr"))]
mod objection_tests;
mod panel;
pub mod sniff;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod upload;
pub mod validate;
pub mod web_form;
pub mod withdrawal;
mod withdrawal_page;

pub use definitions_page::DefinitionsPage;
pub use model::{ConsentStatus, ContactCheck, Definition};
pub use panel::{ConsentPanel, ContactToolbar};
pub use withdrawal_page::WithdrawalPage;
