//! Restriction of processing (Art. 18 GDPR): a consultant or manager restricts a contact
//! on one of the grounds of Art. 18(1) and lifts it once the person has been told.
//! While restricted the data is kept and shown, but not changed, disclosed, exported,
//! imported over or used to contact the person; the check says "restricted".

pub mod api;
pub mod model;
mod panel;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(all(test, feature = "ssr"))]
mod store_tests;

pub use model::{RestrictionGround, RestrictionStatus};
pub use panel::{RestrictionMenuItem, RestrictionNotice};
