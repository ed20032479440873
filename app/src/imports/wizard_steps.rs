//! The wizard's second and third steps: the import's description, source and consents;
//! the field mapping (with templates), import options and phone repair options.

use leptos::prelude::*;

use super::api::{import_preview, import_template_save, import_templates};
use super::mapping::{apply_template, fold_header};
use super::model::{DuplicateMode, InvalidPhone, MappingTemplate, Target};
use super::wizard::Wizard;
use crate::consents::api::consent_definitions;
use crate::i18n::{t, use_lang, Msg};
use crate::shell::widgets::{ErrorBanner, FieldMessage};
use crate::sources::api::{data_sources, DataSourceSave};
use crate::sources::SourceKind;

#[component]
pub fn DetailsStep(wizard: Wizard) -> impl IntoView {
    let add = ServerAction::<DataSourceSave>::new();
    let sources = Resource::new(move || add.version().get(), |_| data_sources());
    let definitions = Resource::new(|| (), |_| consent_definitions());
    let adding = RwSignal::new(false);
    let added = Signal::derive(move || add.value().get());
    Effect::new(move |_| {
        if let Some(Ok(id)) = add.value().get() {
            wizard.settings.update(|s| s.source_id = id);
            adding.set(false);
        }
    });
    let checked = Signal::derive(move || wizard.checked.get());
    let s = wizard.settings;
    view! {
        <section class="card record-form" data-testid="import-step-details">
            <div class="grid">
                <div class="field">
                    <label>{t(Msg::ImportNameLabel)}
                        <input name="name" data-testid="import-name" prop:value=move || s.with(|s| s.name.clone())
                            on:input=move |ev| s.update(|s| s.name = event_target_value(&ev))/>
                    </label>
                    <FieldMessage result=checked field="name"/>
                </div>
                <div class="field">
                    <label>{t(Msg::ImportSourceLabel)}
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                let list = sources.await.unwrap_or_default();
                                view! {
                                    <select data-testid="import-source"
                                        prop:value=move || s.with(|s| s.source_id.to_string())
                                        on:change=move |ev| s.update(|s| s.source_id = event_target_value(&ev).parse().unwrap_or_default())>
                                        <option value="0">{t(Msg::ImportSourcePick)}</option>
                                        {list.into_iter().filter(|x| x.active).map(|x| view! {
                                            <option value=x.id.to_string()>{x.name}</option>
                                        }).collect_view()}
                                    </select>
                                }
                            })}
                        </Suspense>
                    </label>
                    <FieldMessage result=checked field="source_id"/>
                    <button type="button" class="small" data-testid="import-add-source" on:click=move |_| adding.update(|a| *a = !*a)>{t(Msg::ImportAddSource)}</button>
                </div>
            </div>
            <Show when=move || adding.get()>
                <ActionForm action=add attr:class="card record-form" attr:data-testid="import-source-form">
                    <div class="grid">
                        <div class="field">
                            <label>{t(Msg::SourceNameLabel)}<input name="name" autocomplete="off"/></label>
                            <FieldMessage result=added field="name"/>
                        </div>
                        <div class="field">
                            <label>{t(Msg::SourceKindLabel)}
                                <select name="kind">
                                    {SourceKind::ALL.iter().filter(|k| **k != SourceKind::Consultant).map(|k| view! {
                                        <option value=k.as_str() selected=*k == SourceKind::ImportFile>{t(k.label())}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                        </div>
                        <div class="field">
                            <label>{t(Msg::SourceSellerLabel)}<input name="seller" autocomplete="off"/></label>
                            <FieldMessage result=added field="seller"/>
                        </div>
                        <div class="field">
                            <label>{t(Msg::SourceAcquiredOnLabel)}<input name="acquired_on" autocomplete="off"/></label>
                            <FieldMessage result=added field="acquired_on"/>
                        </div>
                        <div class="field">
                            <label>{t(Msg::SourceBasisLabel)}<input name="acquisition_basis" autocomplete="off"/></label>
                            <FieldMessage result=added field="acquisition_basis"/>
                        </div>
                    </div>
                    <input type="hidden" name="active" value="on"/>
                    <button type="submit" class="primary" data-testid="import-source-save">{t(Msg::ImportAddSource)}</button>
                </ActionForm>
            </Show>
            <div class="field">
                <label>{t(Msg::ImportDescriptionLabel)}
                    <textarea name="description" rows="3" prop:value=move || s.with(|s| s.description.clone())
                        on:input=move |ev| s.update(|s| s.description = event_target_value(&ev))></textarea>
                </label>
                <FieldMessage result=checked field="description"/>
            </div>
            <fieldset>
                <legend>{t(Msg::ImportConsentsLabel)}</legend>
                <p class="muted">{t(Msg::ImportConsentsHint)}</p>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let defs: Vec<_> = definitions.await.unwrap_or_default().into_iter().filter(|d| d.active).collect();
                        if defs.is_empty() {
                            return view! { <p>{t(Msg::ImportConsentsNone)}</p> }.into_any();
                        }
                        defs.into_iter().map(|d| {
                            let id = d.id;
                            view! {
                                <label class="choice" data-testid="import-consent">
                                    <input type="checkbox" prop:checked=move || s.with(|s| s.consents.contains(&id))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            s.update(|s| {
                                                s.consents.retain(|c| *c != id);
                                                if on { s.consents.push(id); }
                                            });
                                        }/>
                                    {d.name}
                                    {d.marketing.then(|| view! { " " <span class="badge">{t(Msg::MarketingBadge)} ": " {t(d.channel.label())}</span> })}
                                </label>
                            }
                        }).collect_view().into_any()
                    })}
                </Suspense>
            </fieldset>
        </section>
    }
}

#[component]
pub fn MappingStep(wizard: Wizard) -> impl IntoView {
    let lang = use_lang();
    let s = wizard.settings;
    let p = wizard.preview;
    let template_name = RwSignal::new(String::new());
    let save_template = Action::new(move |_: &()| {
        let headers = p.get_untracked().headers;
        let mapping = s.get_untracked().mapping;
        let template = MappingTemplate {
            id: 0,
            name: template_name.get_untracked(),
            columns: headers
                .iter()
                .zip(mapping)
                .filter(|(_, t)| *t != Target::Skip)
                .map(|(h, t)| (fold_header(h), t))
                .collect(),
        };
        async move { import_template_save(template).await }
    });
    let saved = Signal::derive(move || save_template.value().get());
    let templates = Resource::new(
        move || save_template.version().get(),
        |_| import_templates(),
    );
    let repreview = Action::new(move |_: &()| {
        let (id, st) = (wizard.id.get_untracked(), s.get_untracked());
        async move {
            import_preview(
                id,
                Some(st.encoding),
                Some(st.delimiter),
                Some(st.quote),
                Some(st.has_header),
            )
            .await
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(preview)) = repreview.value().get() {
            wizard.take_preview(preview);
        }
    });
    let reread = Signal::derive(move || repreview.value().get());
    let checked = Signal::derive(move || wizard.checked.get());
    let delimited = move || p.with(|p| p.format == super::model::FileFormat::Delimited);
    view! {
        <section class="card" data-testid="import-step-mapping">
            <div class="row-form">
                <label>{t(Msg::ImportTemplateLabel)}
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let list = templates.await.unwrap_or_default();
                            let all = list.clone();
                            view! {
                                <select data-testid="import-template" on:change=move |ev| {
                                    let id: i64 = event_target_value(&ev).parse().unwrap_or(0);
                                    if let Some(tpl) = all.iter().find(|x| x.id == id) {
                                        let mapping = apply_template(tpl, &p.get_untracked().headers);
                                        s.update(|s| s.mapping = mapping);
                                    }
                                }>
                                    <option value="0">{t(Msg::ImportTemplateNone)}</option>
                                    {list.into_iter().map(|x| view! { <option value=x.id.to_string()>{x.name}</option> }).collect_view()}
                                </select>
                            }
                        })}
                    </Suspense>
                </label>
            </div>
            <div class="table-wrap">
                <table class="list" data-testid="import-mapping">
                    <thead><tr>
                        <th>{t(Msg::ImportColumnHeader)}</th>
                        <th>{t(Msg::ImportSampleHeader)}</th>
                        <th>{t(Msg::ImportTargetHeader)}</th>
                    </tr></thead>
                    <tbody>
                        {move || p.with(|pv| pv.headers.iter().enumerate().map(|(i, h)| {
                            let sample = pv.rows.first().and_then(|r| r.get(i)).cloned().unwrap_or_default();
                            view! {
                                <tr data-testid="import-mapping-row" data-column=h.clone()>
                                    <td>{h.clone()}</td>
                                    <td class="muted">{sample}</td>
                                    <td>
                                        <select aria-label=h.clone()
                                            prop:value=move || s.with(|s| s.mapping.get(i).copied().unwrap_or_default().as_str().to_string())
                                            on:change=move |ev| {
                                                if let Some(target) = Target::parse(&event_target_value(&ev)) {
                                                    s.update(|s| if let Some(m) = s.mapping.get_mut(i) { *m = target });
                                                }
                                            }>
                                            {Target::ALL.iter().map(|x| view! { <option value=x.as_str()>{t(x.label())}</option> }).collect_view()}
                                        </select>
                                    </td>
                                </tr>
                            }
                        }).collect_view())}
                    </tbody>
                </table>
            </div>
            <FieldMessage result=checked field="mapping"/>
            <div class="row-form">
                <label>{t(Msg::ImportTemplateName)}
                    <input data-testid="import-template-name" prop:value=move || template_name.get()
                        on:input=move |ev| template_name.set(event_target_value(&ev))/>
                </label>
                <button type="button" class="small" data-testid="import-template-save"
                    on:click=move |_| { save_template.dispatch(()); }>{t(Msg::ImportTemplateSave)}</button>
                {move || matches!(saved.get(), Some(Ok(_))).then(|| view! { <span class="notice" role="status">{t(Msg::ImportTemplateSaved)}</span> })}
            </div>
            <FieldMessage result=saved field="template_name"/>

            <h2>{t(Msg::ImportOptionsTitle)}</h2>
            <div class="row-form">
                <Show when=delimited>
                    <label>{t(Msg::ImportDelimiterLabel)}
                        <input size="3" data-testid="import-delimiter" prop:value=move || s.with(|s| s.delimiter.clone())
                            on:change=move |ev| { s.update(|s| s.delimiter = event_target_value(&ev)); repreview.dispatch(()); }/>
                    </label>
                    <label>{t(Msg::ImportQuoteLabel)}
                        <input size="3" prop:value=move || s.with(|s| s.quote.clone())
                            on:change=move |ev| { s.update(|s| s.quote = event_target_value(&ev)); repreview.dispatch(()); }/>
                    </label>
                </Show>
                <label class="choice">
                    <input type="checkbox" data-testid="import-has-header" prop:checked=move || s.with(|s| s.has_header)
                        on:change=move |ev| { s.update(|s| s.has_header = event_target_checked(&ev)); repreview.dispatch(()); }/>
                    {t(Msg::ImportHeaderLabel)}
                </label>
                <label>{t(Msg::ImportDuplicatesLabel)}
                    <select data-testid="import-duplicates" prop:value=move || s.with(|s| s.duplicates.as_str().to_string())
                        on:change=move |ev| if let Some(d) = DuplicateMode::parse(&event_target_value(&ev)) { s.update(|s| s.duplicates = d) }>
                        {DuplicateMode::ALL.iter().map(|d| view! { <option value=d.as_str()>{t(d.label())}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <FieldMessage result=checked field="delimiter"/>
            <FieldMessage result=checked field="quote"/>
            {move || reread.get().and_then(|r| r.err()).map(|e| view! { <p class="error" role="alert">{e.message(lang.get())}</p> })}
            <p class="muted">{t(Msg::ImportErasedNote)}</p>

            <h2>{t(Msg::ImportPhoneTitle)}</h2>
            <div class="row-form">
                {[
                    (Msg::PhoneStripSeparators, 0u8),
                    (Msg::PhoneInternationalPrefix, 1),
                    (Msg::PhoneLeadingZero, 2),
                    (Msg::PhoneValidate, 3),
                ].into_iter().map(|(label, which)| {
                    let get = move |s: &super::model::ImportSettings| match which {
                        0 => s.phone.strip_separators,
                        1 => s.phone.international_prefix,
                        2 => s.phone.leading_zero,
                        _ => s.phone.validate,
                    };
                    view! {
                        <label class="choice">
                            <input type="checkbox" prop:checked=move || s.with(get)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    s.update(|s| match which {
                                        0 => s.phone.strip_separators = on,
                                        1 => s.phone.international_prefix = on,
                                        2 => s.phone.leading_zero = on,
                                        _ => s.phone.validate = on,
                                    });
                                }/>
                            {t(label)}
                        </label>
                    }
                }).collect_view()}
                <label>{t(Msg::PhoneDefaultCountry)}
                    <input size="4" data-testid="import-country" prop:value=move || s.with(|s| s.phone.default_country.clone())
                        on:input=move |ev| s.update(|s| s.phone.default_country = event_target_value(&ev))/>
                </label>
                <label>{t(Msg::PhoneInvalidLabel)}
                    <select prop:value=move || s.with(|s| s.phone.invalid.as_str().to_string())
                        on:change=move |ev| if let Some(v) = InvalidPhone::parse(&event_target_value(&ev)) { s.update(|s| s.phone.invalid = v) }>
                        {InvalidPhone::ALL.iter().map(|v| view! { <option value=v.as_str()>{t(v.label())}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <FieldMessage result=checked field="default_country"/>
            <ErrorBanner result=saved/>
        </section>
    }
}
