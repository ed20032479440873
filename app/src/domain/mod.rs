//! Domain values validated once, shared by the browser and the server. Each `parse`
//! returns the normalised value or the message to show beside the field.

pub mod email;
pub mod nip;
pub mod pesel;
pub mod phone;
pub mod text;
pub mod words;

pub use email::Email;
pub use nip::Nip;
pub use pesel::Pesel;
pub use phone::Phone;
