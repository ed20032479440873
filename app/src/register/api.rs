//! The server functions of the Art. 30 register.

use leptos::prelude::*;

use super::model::RegisterView;
use crate::error::AppError;

/// The register as it stands now, or saved version `version`, with the list of versions.
#[server(endpoint = "register_get", output = crate::codec::JsonText)]
pub async fn register_get(version: Option<i64>) -> Result<RegisterView, AppError> {
    crate::auth::access::serve("register_get", |caller| async move {
        let mut conn = caller.state.db.pool().acquire().await?;
        let versions = super::store::versions(&mut conn).await?;
        let (version, document) = match version {
            Some(n) => {
                let (v, doc) = super::store::version(&mut conn, n).await?;
                (Some(v), doc)
            }
            None => (
                None,
                super::store::generate(&mut conn, crate::db::now_ms()).await?,
            ),
        };
        Ok(RegisterView {
            document,
            version,
            versions,
        })
    })
    .await
}

/// The controller, the data protection officer and the security measures (Art. 30(1)(a)
/// and (g)): what Zgoda cannot know.
#[server(endpoint = "register_settings_save", output = crate::codec::JsonText)]
pub async fn register_settings_save(
    controller: String,
    dpo: String,
    security_measures: String,
) -> Result<(), AppError> {
    crate::auth::access::serve("register_settings_save", |caller| async move {
        use super::model::{LINE_MAX, TEXT_MAX};
        let mut checks = crate::domain::text::TextChecks::default();
        let controller = checks.text("controller", &controller, LINE_MAX, false);
        let dpo = checks.text("dpo", &dpo, LINE_MAX, false);
        let measures = checks.text("security_measures", &security_measures, TEXT_MAX, false);
        if !checks.errors.is_empty() {
            return Err(AppError::Validation(checks.errors));
        }
        let mut tx = caller.state.db.begin_write().await?;
        super::store::save_settings(&mut tx, caller.user_id(), &controller, &dpo, &measures)
            .await?;
        caller
            .audit_in(&mut tx, "register.settings_saved", "register".into())
            .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// The categories of data and of people for one purpose (`key` from the register).
#[server(endpoint = "register_purpose_save", output = crate::codec::JsonText)]
pub async fn register_purpose_save(
    key: String,
    data_categories: String,
    subject_categories: String,
) -> Result<(), AppError> {
    crate::auth::access::serve("register_purpose_save", |caller| async move {
        use super::model::LINE_MAX;
        let mut checks = crate::domain::text::TextChecks::default();
        let data = checks.text("data_categories", &data_categories, LINE_MAX, true);
        let people = checks.text("subject_categories", &subject_categories, LINE_MAX, true);
        if !checks.errors.is_empty() {
            return Err(AppError::Validation(checks.errors));
        }
        let mut tx = caller.state.db.begin_write().await?;
        super::store::save_purpose(&mut tx, caller.user_id(), &key, &data, &people).await?;
        caller
            .audit_in(&mut tx, "register.purpose_saved", format!("register:{key}"))
            .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Keeps the register as it stands now as a new dated version; returns its number.
#[server(endpoint = "register_version_save", output = crate::codec::JsonText)]
pub async fn register_version_save() -> Result<i64, AppError> {
    crate::auth::access::serve("register_version_save", |caller| async move {
        let mut tx = caller.state.db.begin_write().await?;
        let version = super::store::save_version(
            &mut tx,
            caller.state.db.backend(),
            caller.user_id(),
            crate::db::now_ms(),
        )
        .await?;
        caller
            .audit_in(
                &mut tx,
                "register.version_saved",
                format!("register_version:{version}"),
            )
            .await?;
        tx.commit().await?;
        Ok(version)
    })
    .await
}
