//! Contacts: the contact card (karta kontaktu), the contact list with lookups by phone,
//! e-mail, PESEL, NIP or name, and their storage, sealed under each contact's data key.

pub mod api;
#[cfg(feature = "ssr")]
pub mod bulk;
mod card_page;
mod form;
mod list_page;
pub mod lookup;
pub mod model;
#[cfg(feature = "ssr")]
pub mod sample;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod tokens;
#[cfg(all(test, feature = "ssr"))]
mod tokens_tests;
pub mod validate;

pub use card_page::{ContactCardPage, ContactNewPage};
pub use list_page::{urlencode, ContactListPage, ContactSearchForm, ContactTable};
pub use model::{
    Channel, ContactCard, ContactData, ContactInput, ContactKind, ContactRow, ContactState,
};
