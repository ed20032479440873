//! Reading contacts: the list (by lookup, a page at a time) and the card. Kept apart
//! from the server functions so benchmarks measure exactly what a request does.

use crate::ids::ContactId;
use sqlx::AnyConnection;

use super::lookup::{classify, Lookup};
use super::model::{ContactCard, ContactPage};
use crate::error::AppError;
use crate::vault::{TokenKind, Vault};

pub const PAGE_SIZE: usize = 25;

/// The tokens a lookup searches for, and whether a contact must hold all of them.
pub fn lookup_tokens(vault: &Vault, lookup: Lookup) -> (Vec<Vec<u8>>, bool) {
    let index = vault.index();
    match lookup {
        Lookup::Latest => (Vec::new(), false),
        Lookup::Email(e) => (vec![index.token(TokenKind::Email, &e)], false),
        Lookup::Number { phone, pesel, nip } => {
            let tokens = [
                phone.map(|p| index.token(TokenKind::Phone, &p)),
                pesel.map(|p| index.token(TokenKind::Pesel, &p)),
                nip.map(|n| index.token(TokenKind::Nip, &n)),
            ];
            (tokens.into_iter().flatten().collect(), false)
        }
        Lookup::Words(words) => (
            words
                .iter()
                .map(|w| index.token(TokenKind::NameWord, w))
                .collect(),
            true,
        ),
    }
}

pub async fn search(
    conn: &mut AnyConnection,
    vault: &Vault,
    q: &str,
    before: Option<i64>,
) -> Result<ContactPage, AppError> {
    let lookup = classify(q).map_err(|m| AppError::field("q", m))?;
    let (tokens, all_required) = lookup_tokens(vault, lookup);
    let before = before.unwrap_or(i64::MAX);
    let mut ids =
        super::store::find_ids(conn, &tokens, all_required, before, PAGE_SIZE as i64 + 1).await?;
    let next_before = (ids.len() > PAGE_SIZE).then(|| ids[PAGE_SIZE - 1].get());
    ids.truncate(PAGE_SIZE);
    let rows = super::store::rows(conn, vault, &ids).await?;
    Ok(ContactPage { rows, next_before })
}

pub async fn card(
    conn: &mut AnyConnection,
    vault: &Vault,
    id: ContactId,
) -> Result<ContactCard, AppError> {
    let (mut card, key) = super::store::load(conn, vault, id).await?;
    card.cases = crate::cases::store::list_for_contact(conn, key.as_ref(), id).await?;
    card.consents = crate::consents::store::statuses(conn, key.as_ref(), id).await?;
    card.erasure = crate::erasure::store::latest(conn, id).await?;
    card.restriction = crate::restriction::store::current(conn, key.as_ref(), id).await?;
    Ok(card)
}
