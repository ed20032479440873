//! Signing deliveries. The secret of a subscription is derived, not stored: the
//! keyring's blind-index key over the subscription's id and a random salt, shown once to
//! the administrator as `zgw_` and 64 hex digits. The receiver checks
//! `Zgoda-Signature: t=<unix seconds>,v1=<hex>` where `v1` is HMAC-SHA-256, keyed with
//! the secret's text, of `<t>.<body>`, and refuses old timestamps (replays).

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::model::SECRET_PREFIX;
use crate::ids::WebhookId;
use crate::vault::{BlindIndex, TokenKind};

/// The subscription's secret, as the administrator was shown it.
pub fn secret(index: &BlindIndex, id: WebhookId, salt: &str) -> String {
    let derived = index.token(TokenKind::WebhookSecret, &format!("{id}:{salt}"));
    format!("{SECRET_PREFIX}{}", hex::encode(derived))
}

/// The signature header's value for a body sent at `unix_secs`.
pub fn signature(secret: &str, unix_secs: i64, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(unix_secs.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!(
        "t={unix_secs},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// A fresh salt: each subscription (and each new secret) gets its own.
pub fn new_salt() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_time_dot_body_under_the_secret_text() {
        // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac zgw_test
        assert_eq!(
            signature("zgw_test", 1_700_000_000, br#"{"a":1}"#),
            "t=1700000000,v1=d06ccce25f1e99d27084ef8ff1da2221ccaffa2b0e1c4730e8462094d611575f"
        );
    }

    #[test]
    fn each_subscription_and_salt_has_its_own_secret() {
        let index = BlindIndex::new(crate::vault::keyring::Key32([3; 32]));
        let a = secret(&index, WebhookId(1), "aa");
        assert!(a.starts_with("zgw_") && a.len() == 4 + 64);
        assert_eq!(a, secret(&index, WebhookId(1), "aa"));
        assert_ne!(a, secret(&index, WebhookId(2), "aa"));
        assert_ne!(a, secret(&index, WebhookId(1), "ab"));
        let other = BlindIndex::new(crate::vault::keyring::Key32([4; 32]));
        assert_ne!(a, secret(&other, WebhookId(1), "aa"));
    }
}
