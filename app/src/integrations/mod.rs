//! Integrations: API tokens for dialers, CRMs and web forms. A token acts through an
//! account of its own (so the audit trail and card reads name the integration), may call
//! only the integrator endpoints (`auth::access::API`) its role admits, narrowed further
//! by its own list, from its allowed addresses, at its own rate.

pub mod api;
pub mod model;
mod page;

#[cfg(feature = "ssr")]
pub mod docs_page;
#[cfg(feature = "ssr")]
pub mod limiter;
#[cfg(feature = "ssr")]
pub mod openapi;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;

pub use model::{IssuedToken, TokenRow};
pub use page::IntegrationsPage;
