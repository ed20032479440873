//! argon2id hashing, off the async runtime. A `PasswordHash` never leaves the server:
//! it is neither `Serialize` nor printable.

use std::sync::{LazyLock, OnceLock};

use tokio::sync::Semaphore;

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::AppError;

/// An argon2id PHC string.
#[derive(Clone)]
pub struct PasswordHash(String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

impl PasswordHash {
    pub fn from_stored(phc: String) -> Self {
        Self(phc)
    }

    pub fn as_phc(&self) -> &str {
        &self.0
    }
}

/// OWASP's minimum for argon2id: m = 19 MiB, t = 2, p = 1.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// argon2 work running at once in this process: one per core. Each run takes 19 MiB
/// and a core; beyond the cores more runs only queue inside the blocking pool, and
/// 500 parallel sign-ins would hold 9 GB. Waiting requests hold a permit request only.
/// A process-wide limit, like the cores it guards.
static HASHING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));

pub async fn hash(password: String) -> Result<PasswordHash, AppError> {
    let _permit = HASHING.acquire().await.map_err(|_| AppError::Internal)?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| PasswordHash(h.to_string()))
            .map_err(|_| AppError::Internal)
    })
    .await
    .map_err(|_| AppError::Internal)?
}

/// Verifies against a stored hash; with none (unknown login) it verifies against a
/// fixed hash anyway, so both paths cost the same time.
pub async fn verify(password: String, stored: Option<PasswordHash>) -> bool {
    let known = stored.is_some();
    let phc = stored
        .map(|h| h.0)
        .unwrap_or_else(|| dummy_hash().to_string());
    let Ok(_permit) = HASHING.acquire().await else {
        return false;
    };
    let matched = tokio::task::spawn_blocking(move || {
        argon2::PasswordHash::new(&phc)
            .map(|parsed| {
                argon2()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false);
    known && matched
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(b"zgoda-timing-equaliser", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// A random password that satisfies every preset: 20 characters from an unambiguous
/// alphabet, with lower, upper case and digits guaranteed.
pub fn generate() -> String {
    use rand::seq::SliceRandom;
    use rand::Rng;
    const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGITS: &[u8] = b"23456789";
    let mut rng = rand::rngs::OsRng;
    let all: Vec<u8> = [LOWER, UPPER, DIGITS].concat();
    let mut out: Vec<u8> = vec![
        LOWER[rng.gen_range(0..LOWER.len())],
        UPPER[rng.gen_range(0..UPPER.len())],
        DIGITS[rng.gen_range(0..DIGITS.len())],
    ];
    out.extend((0..17).map(|_| all[rng.gen_range(0..all.len())]));
    out.shuffle(&mut rng);
    String::from_utf8(out).expect("ASCII alphabet")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::policy::PasswordPolicy;

    #[tokio::test]
    async fn hash_and_verify() {
        let h = hash("Kot-w-butach7".into()).await.unwrap();
        assert!(h.as_phc().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("Kot-w-butach7".into(), Some(h.clone())).await);
        assert!(!verify("kot-w-butach7".into(), Some(h.clone())).await);
        assert!(!verify("Kot-w-butach7".into(), None).await);
        assert_eq!(format!("{h:?}"), "PasswordHash(<redacted>)");
    }

    #[test]
    fn generated_passwords_satisfy_both_presets() {
        for _ in 0..50 {
            let p = generate();
            assert!(PasswordPolicy::spec().check(&p).is_empty(), "{p}");
            assert!(PasswordPolicy::asvs_nist().check(&p).is_empty(), "{p}");
        }
    }
}
