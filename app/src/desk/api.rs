//! The desk's one server function: every panel at once, for the caller only.

#[cfg(feature = "ssr")]
use crate::ids::{CaseId, ContactId};
use leptos::prelude::*;

use super::model::Desk;
use crate::error::AppError;

/// How many recently opened cards, open cases and answered requests the desk shows.
pub const RECENT: i64 = 10;
pub const CASES: i64 = 50;
pub const REQUESTS: i64 = 20;

/// The caller's desk. Whoever calls gets their own reads, cases and requests: the user
/// is the session's, never a parameter.
#[server(endpoint = "consultant_desk", output = crate::codec::JsonText)]
pub async fn consultant_desk() -> Result<Desk, AppError> {
    crate::auth::access::serve("consultant_desk", |caller| async move {
        use super::model::{MyCase, MyRequest, RecentItem};
        use crate::history::reads::{recent_for_user, ReadVia};
        // Reads are written in batches: the card opened a moment ago must be listed.
        if let Err(e) = caller.state.reads.flush(&caller.state.db).await {
            tracing::warn!(error = %e, "pending reads not written before the desk");
        }
        let me = caller.user_id();
        let vault = &caller.state.vault;
        let mut conn = caller.state.db.pool().acquire().await?;
        let recent = recent_for_user(&mut conn, me, RECENT).await?;
        let case_ids: Vec<CaseId> = recent.iter().filter_map(|r| r.case_id).collect();
        let recent_cases = crate::cases::store::desk_cases(&mut conn, vault, &case_ids).await?;
        let cases = crate::cases::store::open_assigned_to(&mut conn, vault, me, CASES).await?;
        let requests = crate::erasure::store::answered_for(&mut conn, me, REQUESTS).await?;

        let mut contact_ids: Vec<ContactId> = recent
            .iter()
            .map(|r| r.contact_id)
            .chain(cases.iter().map(|(contact, _)| *contact))
            .chain(requests.iter().map(|r| r.contact_id))
            .collect();
        contact_ids.sort_unstable();
        contact_ids.dedup();
        let mut contacts = crate::contacts::store::rows(&mut conn, vault, &contact_ids).await?;
        for row in &mut contacts {
            // Only what the desk shows leaves the server.
            row.email = None;
            row.city = None;
        }
        let contact = |id: ContactId| contacts.iter().find(|c| c.id == id).cloned();
        let desk = Desk {
            recent: recent
                .iter()
                .filter_map(|r| {
                    let case = match r.case_id {
                        None => None,
                        Some(case_id) => Some(
                            recent_cases
                                .iter()
                                .find(|(_, c)| c.id == case_id)?
                                .1
                                .clone(),
                        ),
                    };
                    Some(RecentItem {
                        contact: contact(r.contact_id)?,
                        case,
                        read_at: r.read_at,
                    })
                })
                .collect(),
            cases: cases
                .into_iter()
                .filter_map(|(contact_id, case)| {
                    Some(MyCase {
                        contact: contact(contact_id)?,
                        case,
                    })
                })
                .collect(),
            requests: requests
                .into_iter()
                .filter_map(|request| {
                    Some(MyRequest {
                        contact: contact(request.contact_id)?,
                        request,
                    })
                })
                .collect(),
        };
        // The desk shows names and phones: a read of each contact it lists.
        caller.state.reads.note_list(
            contacts
                .iter()
                .filter(|c| c.name.is_some() || c.phone.is_some())
                .map(|c| c.id)
                .collect(),
            me,
            ReadVia::Desk,
        );
        Ok(desk)
    })
    .await
}
