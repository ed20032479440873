//! The server functions of "Szukaj": a page of results for a URL query, and the
//! searches each manager saved by name.

use leptos::prelude::*;

use super::model::{SavedSearch, SearchPage};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::history::reads::ReadVia;

/// A page of contacts matching the filter in `query` (the page's URL query: filters,
/// `sort`, `kier`, `strona`), with the total count.
#[server(endpoint = "contact_filter", output = crate::codec::JsonText)]
pub async fn contact_filter(query: String) -> Result<SearchPage, AppError> {
    crate::auth::access::serve("contact_filter", |caller| async move {
        use super::model::{SearchFilter, SearchView};
        let filter = SearchFilter::from_query(&query)?;
        let view = SearchView::from_query(&query);
        let mut conn = caller.state.db.pool().acquire().await?;
        let page =
            super::store::search_page(&mut conn, &caller.state.vault, &filter, &view).await?;
        // The page shows names, phones and e-mails: a read of every contact on it.
        caller.state.reads.note_list(
            page.rows.iter().map(|row| row.id).collect(),
            caller.user_id(),
            ReadVia::Search,
        );
        Ok(page)
    })
    .await
}

/// The caller's own saved searches, by name.
#[server(endpoint = "saved_searches", output = crate::codec::JsonText)]
pub async fn saved_searches() -> Result<Vec<SavedSearch>, AppError> {
    crate::auth::access::serve("saved_searches", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        super::store::saved_list(&mut conn, caller.user_id())
            .await
            .map_err(AppError::from)
    })
    .await
}

pub const SAVED_NAME_MAX: usize = 100;

/// Saves the filter of `query` under `name` for the caller. Paging and order are not
/// part of a saved search; the filter is kept as `to_query` writes it.
#[server(endpoint = "saved_search_save", output = crate::codec::JsonText)]
pub async fn saved_search_save(name: String, query: String) -> Result<i64, AppError> {
    crate::auth::access::serve("saved_search_save", |caller| async move {
        use crate::i18n::Msg;
        let name = name.trim().to_string();
        if name.is_empty() {
            return Err(AppError::field("name", Msg::ErrRequired));
        }
        crate::domain::text::check_single_line(&name, SAVED_NAME_MAX)
            .map_err(|m| AppError::field("name", m))?;
        let filter = super::model::SearchFilter::from_query(&query)?;
        let mut tx = caller.state.db.begin_write().await?;
        let id = super::store::saved_insert(&mut tx, caller.user_id(), &name, &filter.to_query())
            .await?;
        caller
            .audit_in(&mut tx, "saved_search.saved", format!("saved_search:{id}"))
            .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Deletes one of the caller's own saved searches; anyone else's is not found.
#[server(endpoint = "saved_search_delete", output = crate::codec::JsonText)]
pub async fn saved_search_delete(id: i64) -> Result<(), AppError> {
    crate::auth::access::serve("saved_search_delete", |caller| async move {
        let mut tx = caller.state.db.begin_write().await?;
        super::store::saved_delete(&mut tx, caller.user_id(), id).await?;
        caller
            .audit_in(
                &mut tx,
                "saved_search.deleted",
                format!("saved_search:{id}"),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
