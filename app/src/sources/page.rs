//! "RODO: Źródła danych" in the manager part.

use crate::ids::SourceId;
use leptos::prelude::*;

use super::api::{data_sources, DataSourceSave};
use super::model::{DataSource, SourceKind};
use crate::error::AppError;
use crate::i18n::{t, Msg};
use crate::shell::widgets::{remember_sender, reset_after_create, ErrorBanner, FieldMessage};
use crate::shell::{Layout, Part};

#[component]
pub fn SourcesPage() -> impl IntoView {
    let save = ServerAction::<DataSourceSave>::new();
    let list = Resource::new(move || save.version().get(), |_| data_sources());
    let result = Signal::derive(move || save.value().get());
    let last_sent = remember_sender(move || save.input().get().map(|i| i.id.unwrap_or_default()));
    view! {
        <Layout part=Part::Manager>
            <h1>{t(Msg::SourcesTitle)}</h1>
            {move || matches!(result.get(), Some(Ok(_))).then(|| view! { <p class="notice" role="status">{t(Msg::Saved)}</p> })}
            <ErrorBanner result fields_summary=true/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let sources = list.await.unwrap_or_default();
                    view! {
                        {sources.into_iter().map(|s| { let name = s.name.clone(); view! {
                            <section class="card" data-testid="data-source" data-name=name>
                                <SourceForm source=s save result last_sent/>
                            </section>
                        }}).collect_view()}
                        <section class="card" data-testid="data-source-new">
                            <h2>{t(Msg::SourceNew)}</h2>
                            <SourceForm source=DataSource { active: true, ..DataSource::default() } save result last_sent/>
                        </section>
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
fn SourceForm(
    source: DataSource,
    save: ServerAction<DataSourceSave>,
    result: Signal<Option<Result<SourceId, AppError>>>,
    last_sent: RwSignal<Option<SourceId>>,
) -> impl IntoView {
    let s = source;
    let id = s.id;
    let mine = Signal::derive(move || {
        (last_sent.get() == Some(id))
            .then(|| result.get())
            .flatten()
    });
    let form_ref = NodeRef::<leptos::html::Form>::new();
    reset_after_create(form_ref, move || {
        id == SourceId::default()
            && matches!(save.value().get(), Some(Ok(_)))
            && last_sent.get_untracked() == Some(SourceId::default())
    });
    let text = move |name: &'static str, label: Msg, value: String| {
        view! {
            <div class="field">
                <label>{t(label)}<input name=name value=value autocomplete="off"/></label>
                <FieldMessage result=mine field=name/>
            </div>
        }
    };
    view! {
        <ActionForm action=save node_ref=form_ref attr:class="record-form">
            {(id != SourceId::default()).then(|| view! { <input type="hidden" name="id" value=id/> })}
            <div class="grid">
                {text("name", Msg::SourceNameLabel, s.name.clone())}
                <div class="field">
                    <label>{t(Msg::SourceKindLabel)}
                        <select name="kind">
                            {SourceKind::ALL.iter().map(|k| view! {
                                <option value=k.as_str() selected=*k == s.kind>{t(k.label())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                {text("seller", Msg::SourceSellerLabel, s.seller.clone())}
                {text("acquired_on", Msg::SourceAcquiredOnLabel, s.acquired_on.clone())}
                {text("acquisition_basis", Msg::SourceBasisLabel, s.acquisition_basis.clone())}
            </div>
            <div class="form-actions">
                <label class="choice"><input type="checkbox" name="active" value="on" checked=s.active/>{t(Msg::ActiveLabel)}</label>
                <button type="submit" class="primary">{if id == SourceId::default() { t(Msg::UsersAddButton)() } else { t(Msg::SaveButton)() }}</button>
            </div>
        </ActionForm>
    }
}
