//! "Importuj rekordy": choose the file and "Wczytaj dane" (code page detected, or picked
//! from the list when it cannot be told, with a preview in Polish letters); "Dalej" to
//! the import's name, description, source ("Dodaj" for a new one) and consents; "Dalej"
//! to the field mapping, import options and phone repair; "Importuj".

use crate::ids::ImportId;
use leptos::prelude::*;
#[cfg(not(feature = "ssr"))]
use leptos::wasm_bindgen::JsCast;
use leptos_router::hooks::use_navigate;

use super::api::{import_preview, import_start, import_upload};
use super::model::{validate, ImportSettings, LoadedFile, Preview, TextEncoding};
use super::wizard_steps::{DetailsStep, MappingStep};
use crate::error::AppError;
use crate::i18n::{t, use_lang, Msg};
use crate::shell::widgets::{ErrorBanner, FieldMessage};
use crate::shell::{Layout, Part};

/// The wizard's state, shared by its steps.
#[derive(Clone, Copy)]
pub struct Wizard {
    pub id: RwSignal<ImportId>,
    pub settings: RwSignal<ImportSettings>,
    pub preview: RwSignal<Preview>,
    /// Client-side check of a step, shown beside its fields like a server answer.
    pub checked: RwSignal<Option<Result<(), AppError>>>,
}

impl Wizard {
    /// Takes a new preview; the mapping follows when the columns changed.
    pub fn take_preview(&self, p: Preview) {
        let columns = p.headers.len();
        self.settings.update(|s| {
            s.encoding = p.encoding;
            s.delimiter = p.delimiter.clone();
            s.quote = p.quote.clone();
            s.has_header = p.has_header;
            if s.mapping.len() != columns || p.has_header {
                s.mapping = p.suggested.clone();
            }
        });
        self.preview.set(p);
    }

    /// The errors `validate` finds in the named fields only.
    pub fn check(&self, fields: &[&str]) -> bool {
        let s = self.settings.get_untracked();
        let columns = self.preview.with_untracked(|p| p.headers.len());
        let errors: Vec<_> = match validate(&s, columns) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .into_iter()
                .filter(|e| fields.contains(&e.field.as_str()))
                .collect(),
        };
        let ok = errors.is_empty();
        self.checked
            .set((!ok).then_some(Err(AppError::Validation(errors))));
        ok
    }
}

#[component]
pub fn ImportWizardPage() -> impl IntoView {
    let wizard = Wizard {
        id: RwSignal::new(ImportId::default()),
        settings: RwSignal::new(ImportSettings::default()),
        preview: RwSignal::new(Preview::default()),
        checked: RwSignal::new(None),
    };
    let step = RwSignal::new(1u8);
    let upload = Action::new_local(|form: &web_sys::FormData| {
        let form = form.clone();
        async move { import_upload(form.into()).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(LoadedFile {
            id,
            file_name,
            preview,
            ..
        })) = upload.value().get()
        {
            wizard.id.set(id);
            wizard.settings.update(|s| {
                *s = ImportSettings {
                    file_name: file_name.clone(),
                    name: s.name.clone(),
                    ..ImportSettings::default()
                };
                s.mapping.clear();
            });
            wizard.take_preview(preview);
        }
    });
    let loaded = move || wizard.id.get() != ImportId::default();
    let upload_result = Signal::derive(move || upload.value().get());
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let send = move || {
        #[cfg(not(feature = "ssr"))]
        if let Some(form) = form_ref.get() {
            let form: web_sys::HtmlFormElement = form.unchecked_into();
            if let Ok(data) = web_sys::FormData::new_with_form(&form) {
                upload.dispatch_local(data);
            }
        }
    };
    let start = Action::new(move |_: &()| {
        let (id, settings) = (wizard.id.get_untracked(), wizard.settings.get_untracked());
        async move { import_start(id, settings).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = start.value().get() {
            navigate(&format!("/menedzer/import/{id}"), Default::default());
        }
    });
    let start_result = Signal::derive(move || start.value().get());
    let checked = Signal::derive(move || wizard.checked.get());
    view! {
        <Layout part=Part::Manager>
            <p class="muted">{t(Msg::ImportSection)} " → " <a href="/menedzer/import">{t(Msg::ImportListTitle)}</a></p>
            <h1>{t(Msg::ImportWizardTitle)}</h1>
            <ol class="steps">
                <li class:active=move || step.get() == 1>{t(Msg::ImportStepFile)}</li>
                <li class:active=move || step.get() == 2>{t(Msg::ImportStepDetails)}</li>
                <li class:active=move || step.get() == 3>{t(Msg::ImportStepMapping)}</li>
            </ol>
            <ErrorBanner result=upload_result/>
            <ErrorBanner result=start_result fields_summary=true/>
            <section class="card" data-testid="import-step-file" hidden=move || step.get() != 1>
                <form node_ref=form_ref class="row-form" on:submit=move |ev| { ev.prevent_default(); send(); }>
                    <label>{t(Msg::ImportFileLabel)}
                        <input type="file" name="file" accept=".csv,.txt,.tsv,.xlsx,text/csv,text/plain"
                            data-testid="import-file"/>
                    </label>
                    <button type="submit" class="primary" disabled=move || upload.pending().get()>{t(Msg::ImportLoadButton)}</button>
                </form>
                <FieldMessage result=upload_result field="file"/>
                <Show when=loaded>
                    <FilePreview wizard/>
                    <div class="form-actions">
                        <button type="button" class="primary" data-testid="import-next-1"
                            on:click=move |_| if wizard.check(&["file_name"]) { step.set(2) }>{t(Msg::ImportNextButton)}</button>
                    </div>
                </Show>
            </section>
            <Show when=move || step.get() == 2>
                <DetailsStep wizard/>
                <div class="form-actions">
                    <button type="button" on:click=move |_| step.set(1)>{t(Msg::ImportBackButton)}</button>
                    <button type="button" class="primary" data-testid="import-next-2"
                        on:click=move |_| if wizard.check(&["name", "description", "source_id"]) { step.set(3) }>{t(Msg::ImportNextButton)}</button>
                </div>
            </Show>
            <Show when=move || step.get() == 3>
                <MappingStep wizard/>
                <FieldMessage result=start_result field="mapping"/>
                <FieldMessage result=start_result field="consents"/>
                <FieldMessage result=start_result field="source_id"/>
                <div class="form-actions">
                    <button type="button" on:click=move |_| step.set(2)>{t(Msg::ImportBackButton)}</button>
                    <button type="button" class="primary" data-testid="import-run" disabled=move || start.pending().get()
                        on:click=move |_| if wizard.check(&["mapping", "delimiter", "quote", "default_country"]) { start.dispatch(()); }>
                        {t(Msg::ImportRunButton)}
                    </button>
                </div>
            </Show>
            <FieldMessage result=checked field="mapping"/>
        </Layout>
    }
}

/// The loaded file's name (editable), its code page and the first rows as they will be
/// imported.
#[component]
fn FilePreview(wizard: Wizard) -> impl IntoView {
    let lang = use_lang();
    let repreview = Action::new(move |encoding: &TextEncoding| {
        let (id, encoding) = (wizard.id.get_untracked(), *encoding);
        async move { import_preview(id, Some(encoding), None, None, None).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(p)) = repreview.value().get() {
            wizard.take_preview(p);
        }
    });
    let checked = Signal::derive(move || wizard.checked.get());
    view! {
        <div class="record-form">
            <div class="grid">
                <div class="field">
                    <label>{t(Msg::ImportFileNameLabel)}
                        <input name="file_name" data-testid="import-file-name"
                            prop:value=move || wizard.settings.with(|s| s.file_name.clone())
                            on:input=move |ev| wizard.settings.update(|s| s.file_name = event_target_value(&ev))/>
                    </label>
                    <FieldMessage result=checked field="file_name"/>
                </div>
                <Show when=move || wizard.preview.with(|p| p.format == super::model::FileFormat::Delimited)>
                    <div class="field">
                        <label>{t(Msg::ImportEncodingLabel)}
                            <select data-testid="import-encoding"
                                prop:value=move || wizard.settings.with(|s| s.encoding.as_str().to_string())
                                on:change=move |ev| {
                                    if let Some(e) = TextEncoding::parse(&event_target_value(&ev)) {
                                        repreview.dispatch(e);
                                    }
                                }>
                                {TextEncoding::ALL.iter().map(|e| view! {
                                    <option value=e.as_str()>{t(e.label())}</option>
                                }).collect_view()}
                            </select>
                        </label>
                    </div>
                </Show>
            </div>
            <Show when=move || !wizard.preview.with(|p| p.encoding_certain)>
                <p class="notice" role="status" data-testid="import-encoding-uncertain">{t(Msg::ImportEncodingUncertain)}</p>
            </Show>
            {move || repreview.value().get().and_then(|r| r.err()).map(|e| view! { <p class="error" role="alert">{e.message(lang.get())}</p> })}
            <h2>{t(Msg::ImportPreviewTitle)}</h2>
            <div class="table-wrap">
                <table class="list" data-testid="import-preview">
                    <thead><tr>
                        {move || wizard.preview.with(|p| p.headers.iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view())}
                    </tr></thead>
                    <tbody>
                        {move || wizard.preview.with(|p| p.rows.iter().map(|r| view! {
                            <tr>{r.iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view()}</tr>
                        }).collect_view())}
                    </tbody>
                </table>
            </div>
        </div>
    }
}
