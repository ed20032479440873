//! The import's server functions: stable endpoints for the wizard and for integrators
//! who load files the same way.

use crate::ids::ImportId;
use leptos::prelude::*;
use leptos::server_fn::codec::{Json, MultipartData, MultipartFormData};

use super::model::{
    ImportSettings, ImportView, LoadedFile, MappingTemplate, Preview, TextEncoding,
};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::Msg;

/// "Wczytaj dane": stores the file (field `file`) as a draft import and previews it.
#[server(endpoint = "import_upload", input = MultipartFormData, output = crate::codec::JsonText)]
pub async fn import_upload(data: MultipartData) -> Result<LoadedFile, AppError> {
    crate::auth::access::serve("import_upload", |caller| async move {
        let loaded = super::receive::receive(&caller.state, caller.user_id(), data).await?;
        caller
            .audit("import.uploaded", format!("import:{}", loaded.id))
            .await?;
        Ok(loaded)
    })
    .await
}

/// The preview again, read with the code page, delimiter, quote or header row the
/// manager chose.
#[server(endpoint = "import_preview", output = crate::codec::JsonText)]
pub async fn import_preview(
    id: ImportId,
    encoding: Option<TextEncoding>,
    delimiter: Option<String>,
    quote: Option<String>,
    has_header: Option<bool>,
) -> Result<Preview, AppError> {
    crate::auth::access::serve("import_preview", |caller| async move {
        use super::model::single_ascii;
        use super::receive::{preview, PreviewOptions};
        let one = |field: &str, v: Option<String>| match v {
            None => Ok(None),
            Some(s) => single_ascii(&s)
                .map(Some)
                .ok_or_else(|| AppError::field(field, Msg::ErrImportDelimiter)),
        };
        let options = PreviewOptions {
            encoding,
            delimiter: one("delimiter", delimiter)?,
            quote: one("quote", quote)?,
            has_header,
        };
        let mut conn = caller.state.db.pool().acquire().await?;
        let stored = super::store::stored(&mut conn, id).await?;
        let key = super::store::load_key(&mut conn, &caller.state.vault, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if stored.status != super::model::ImportStatus::Draft {
            return Err(AppError::Conflict(Msg::ErrImportStarted));
        }
        preview(&mut conn, &key, &stored, &options).await
    })
    .await
}

/// "Importuj": checks the settings and queues the import; the work runs in the
/// background on whichever node claims it first.
#[server(endpoint = "import_start", input = Json, output = crate::codec::JsonText)]
pub async fn import_start(id: ImportId, settings: ImportSettings) -> Result<ImportId, AppError> {
    crate::auth::access::serve("import_start", |caller| async move {
        use super::model::{single_ascii, validate, ImportStatus};
        use super::receive::{preview, PreviewOptions};
        let state = &caller.state;
        let mut conn = state.db.pool().acquire().await?;
        let stored = super::store::stored(&mut conn, id).await?;
        if stored.status != ImportStatus::Draft {
            return Err(AppError::Conflict(Msg::ErrImportStarted));
        }
        let key = super::store::load_key(&mut conn, &state.vault, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let seen = preview(
            &mut conn,
            &key,
            &stored,
            &PreviewOptions {
                encoding: Some(settings.encoding),
                delimiter: single_ascii(&settings.delimiter),
                quote: single_ascii(&settings.quote),
                has_header: Some(settings.has_header),
            },
        )
        .await?;
        let valid = validate(&settings, seen.headers.len()).map_err(AppError::Validation)?;
        drop(conn);
        let mut tx = state.db.begin_write().await?;
        if crate::sources::store::require_active(&mut tx, valid.source_id)
            .await
            .is_err()
        {
            return Err(AppError::field("source_id", Msg::ErrImportSourceInactive));
        }
        let active = crate::consents::store::definitions(&mut tx, true).await?;
        if valid
            .consents
            .iter()
            .any(|id| !active.iter().any(|d| d.id == *id))
        {
            return Err(AppError::field("consents", Msg::ErrNotFound));
        }
        super::store::queue(
            &mut tx,
            id,
            &valid,
            seen.has_header.then_some(&seen.headers),
        )
        .await?;
        crate::jobs::store::enqueue(
            &mut tx,
            crate::jobs::JobKind::Import,
            Some(id.get()),
            crate::db::now_ms(),
        )
        .await?;
        caller
            .audit_in(&mut tx, "import.queued", format!("import:{id}"))
            .await?;
        tx.commit().await?;
        state.jobs_wake.notify_one();
        Ok(id)
    })
    .await
}

/// An import's progress, or its report once finished.
#[server(endpoint = "import_status", output = crate::codec::JsonText)]
pub async fn import_status(id: ImportId) -> Result<ImportView, AppError> {
    crate::auth::access::serve("import_status", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        super::store::view(&mut conn, id)
            .await
            .map_err(AppError::from)
    })
    .await
}

/// Past and running imports with their counters, newest first.
#[server(endpoint = "import_list", output = crate::codec::JsonText)]
pub async fn import_list() -> Result<Vec<ImportView>, AppError> {
    crate::auth::access::serve("import_list", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        super::store::list(&mut conn).await.map_err(AppError::from)
    })
    .await
}

/// "Edycja": the import's description, added or changed later.
#[server(endpoint = "import_describe", output = crate::codec::JsonText)]
pub async fn import_describe(id: ImportId, description: String) -> Result<(), AppError> {
    crate::auth::access::serve("import_describe", |caller| async move {
        let mut checks = crate::domain::text::TextChecks::default();
        let description = checks.text("description", &description, 2000, false);
        if !checks.errors.is_empty() {
            return Err(AppError::Validation(checks.errors));
        }
        let mut tx = caller.state.db.begin_write().await?;
        super::store::set_description(&mut tx, id, &description).await?;
        caller
            .audit_in(&mut tx, "import.described", format!("import:{id}"))
            .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// "OK" under the report.
#[server(endpoint = "import_confirm", output = crate::codec::JsonText)]
pub async fn import_confirm(id: ImportId) -> Result<(), AppError> {
    crate::auth::access::serve("import_confirm", |caller| async move {
        let mut tx = caller.state.db.begin_write().await?;
        super::store::confirm(&mut tx, id, caller.user_id()).await?;
        caller
            .audit_in(&mut tx, "import.confirmed", format!("import:{id}"))
            .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

#[server(endpoint = "import_templates", output = crate::codec::JsonText)]
pub async fn import_templates() -> Result<Vec<MappingTemplate>, AppError> {
    crate::auth::access::serve("import_templates", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        super::store::templates(&mut conn)
            .await
            .map_err(AppError::from)
    })
    .await
}

/// Saves the mapping under a name (replacing a template of that name).
#[server(endpoint = "import_template_save", input = Json, output = crate::codec::JsonText)]
pub async fn import_template_save(template: MappingTemplate) -> Result<i64, AppError> {
    crate::auth::access::serve("import_template_save", |caller| async move {
        let mut checks = crate::domain::text::TextChecks::default();
        let name = checks.line("template_name", &template.name, 100, true);
        if !checks.errors.is_empty() {
            return Err(AppError::Validation(checks.errors));
        }
        let columns = template
            .columns
            .iter()
            .filter(|(h, _)| !h.is_empty() && h.chars().count() <= 200)
            .take(500)
            .cloned()
            .collect();
        let template = MappingTemplate {
            id: 0,
            name,
            columns,
        };
        let mut tx = caller.state.db.begin_write().await?;
        let id = super::store::save_template(&mut tx, caller.user_id(), &template).await?;
        caller
            .audit_in(
                &mut tx,
                "import.template_saved",
                format!("import_template:{id}"),
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}
