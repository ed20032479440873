//! Blind indexes: HMAC-SHA-256, under a key of their own, over normalised values. A
//! lookup computes the same token from what the consultant typed, so the database finds
//! a contact without holding a readable phone number, address or name.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::keyring::Key32;

/// What a token was computed over; the prefix keeps kinds apart (a PESEL never matches
/// a phone number with the same digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Phone,
    Email,
    NameWord,
    Pesel,
    Nip,
    /// The whole city name, folded (`domain::words::city_key`).
    City,
    /// Letters and digits of the postal code (`domain::words::postal_key`).
    PostalCode,
    /// Not an index: the MAC of a consent withdrawal link (`consents::withdrawal`),
    /// under the same key in a domain of its own.
    WithdrawalLink,
    /// Not an index: a webhook's signing secret (`webhooks::sign`).
    WebhookSecret,
}

impl TokenKind {
    fn prefix(self) -> &'static str {
        match self {
            TokenKind::Phone => "phone:",
            TokenKind::Email => "email:",
            TokenKind::NameWord => "word:",
            TokenKind::Pesel => "pesel:",
            TokenKind::Nip => "nip:",
            TokenKind::City => "city:",
            TokenKind::PostalCode => "postal:",
            TokenKind::WithdrawalLink => "withdrawal-link:",
            TokenKind::WebhookSecret => "webhook-secret:",
        }
    }
}

#[derive(Clone)]
pub struct BlindIndex {
    /// Keyed once: the key's two padded blocks are hashed here, not again for every
    /// token (an import computes millions).
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for BlindIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BlindIndex(<redacted>)")
    }
}

impl BlindIndex {
    pub fn new(key: Key32) -> Self {
        Self {
            mac: <Hmac<Sha256> as Mac>::new_from_slice(key.bytes())
                .expect("HMAC takes a key of any length"),
        }
    }

    /// `normalised` must already be in its canonical form (E.164, lower-cased e-mail,
    /// a folded name word).
    pub fn token(&self, kind: TokenKind, normalised: &str) -> Vec<u8> {
        let mut mac = self.mac.clone();
        mac.update(kind.prefix().as_bytes());
        mac.update(normalised.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// A keyed check value, stored in the database, that tells whether a keyring is
    /// the one the database was written with.
    pub fn fingerprint(key: &Key32, label: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.bytes())
            .expect("HMAC takes a key of any length");
        mac.update(b"zgoda keyring check:");
        mac.update(label.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_depend_on_kind_value_and_key() {
        let index = BlindIndex::new(Key32([1; 32]));
        let a = index.token(TokenKind::Phone, "+48600100200");
        assert_eq!(a.len(), 32);
        assert_eq!(a, index.token(TokenKind::Phone, "+48600100200"));
        assert_ne!(a, index.token(TokenKind::Pesel, "+48600100200"));
        assert_ne!(a, index.token(TokenKind::Phone, "+48600100201"));
        assert_ne!(
            a,
            BlindIndex::new(Key32([2; 32])).token(TokenKind::Phone, "+48600100200")
        );
    }
}
