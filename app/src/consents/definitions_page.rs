//! "RODO → Zgody" in the manager part: the consents the customer defines, with their
//! statements (each change a new version), purpose, legal basis and channel.

use crate::ids::DefinitionId;
use leptos::prelude::*;

use super::api::{consent_definitions, ConsentDefinitionSave, ConsentExamplesAdopt};
use super::model::{ConsentChannel, Definition, LegalBasis};
use crate::error::AppError;
use crate::i18n::{t, Msg};
use crate::shell::widgets::{remember_sender, reset_after_create, ErrorBanner, FieldMessage};
use crate::shell::{Layout, Part};

#[component]
pub fn DefinitionsPage() -> impl IntoView {
    let save = ServerAction::<ConsentDefinitionSave>::new();
    let adopt = ServerAction::<ConsentExamplesAdopt>::new();
    let list = Resource::new(
        move || (save.version().get(), adopt.version().get()),
        |_| consent_definitions(),
    );
    let adopted = Signal::derive(move || adopt.value().get());
    let result = Signal::derive(move || save.value().get());
    let last_sent = remember_sender(move || save.input().get().map(|i| i.id.unwrap_or_default()));
    view! {
        <Layout part=Part::Manager>
            <h1>{t(Msg::ConsentDefinitionsTitle)}</h1>
            <p class="muted">{t(Msg::ConsentDefinitionsIntro)}</p>
            {move || matches!(result.get(), Some(Ok(_))).then(|| view! { <p class="notice" role="status">{t(Msg::Saved)}</p> })}
            <ErrorBanner result fields_summary=true/>
            <ErrorBanner result=adopted/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let defs = list.await.unwrap_or_default();
                    let empty = defs.is_empty();
                    view! {
                        {empty.then(|| view! { <Examples adopt/> })}
                        {defs.into_iter().map(|d| { let name = d.name.clone(); view! {
                            <section class="card" data-testid="consent-definition" data-name=name>
                                <h2>{d.name.clone()} " " <span class="muted">"v" {d.version}</span>
                                    {(!d.active).then(|| view! { " " <span class="badge">{t(Msg::InactiveBadge)}</span> })}
                                </h2>
                                <DefinitionForm definition=d save result last_sent/>
                            </section>
                        }}).collect_view()}
                        <section class="card" data-testid="consent-definition-new">
                            <h2>{t(Msg::ConsentDefinitionNew)}</h2>
                            <DefinitionForm definition=Definition { active: true, ..Definition::default() } save result last_sent/>
                        </section>
                    }
                })}
            </Suspense>
        </Layout>
    }
}

/// The example set, offered while no consent is defined.
#[component]
fn Examples(adopt: ServerAction<ConsentExamplesAdopt>) -> impl IntoView {
    view! {
        <section class="card" data-testid="consent-examples">
            <h2>{t(Msg::ConsentExamplesTitle)}</h2>
            <p>{t(Msg::ConsentExamplesIntro)}</p>
            <ul>
                {super::examples::examples().into_iter().map(|d| view! {
                    <li><strong>{d.name}</strong> " – " {d.purpose}</li>
                }).collect_view()}
            </ul>
            <ActionForm action=adopt>
                <button type="submit" class="primary">{t(Msg::ConsentExamplesAdopt)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn DefinitionForm(
    definition: Definition,
    save: ServerAction<ConsentDefinitionSave>,
    result: Signal<Option<Result<DefinitionId, AppError>>>,
    last_sent: RwSignal<Option<DefinitionId>>,
) -> impl IntoView {
    let d = definition;
    let is_new = d.id == DefinitionId::default();
    // Field messages belong to the form that was sent.
    let id = d.id;
    let mine = Signal::derive(move || {
        (last_sent.get() == Some(id))
            .then(|| result.get())
            .flatten()
    });
    let form_ref = NodeRef::<leptos::html::Form>::new();
    reset_after_create(form_ref, move || {
        is_new
            && matches!(save.value().get(), Some(Ok(_)))
            && last_sent.get_untracked() == Some(DefinitionId::default())
    });
    let check = |name: &'static str, label: Msg, on: bool| {
        view! {
            <label class="choice"><input type="checkbox" name=name value="on" checked=on/>{t(label)}</label>
        }
    };
    view! {
        <ActionForm action=save node_ref=form_ref attr:class="record-form">
            {(!is_new).then(|| view! { <input type="hidden" name="id" value=d.id/> })}
            <div class="grid">
                <div class="field">
                    <label>{t(Msg::ConsentNameLabel)}<input name="name" value=d.name.clone() autocomplete="off"/></label>
                    <FieldMessage result=mine field="name"/>
                </div>
                <div class="field">
                    <label>{t(Msg::ConsentPurposeLabel)}<input name="purpose" value=d.purpose.clone() autocomplete="off"/></label>
                    <FieldMessage result=mine field="purpose"/>
                </div>
                <div class="field">
                    <label>{t(Msg::LegalBasisLabel)}
                        <select name="legal_basis">
                            {LegalBasis::ALL.iter().map(|b| view! {
                                <option value=b.as_str() selected=*b == d.legal_basis>{t(b.label())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <FieldMessage result=mine field="legal_basis"/>
                </div>
                <div class="field">
                    <label>{t(Msg::ConsentChannelLabel)}
                        <select name="channel">
                            {ConsentChannel::ALL.iter().map(|c| view! {
                                <option value=c.as_str() selected=*c == d.channel>{t(c.label())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <FieldMessage result=mine field="channel"/>
                </div>
                <div class="field">
                    <label>{t(Msg::PositionLabel)}<input name="position" type="number" min="0" value=d.position/></label>
                    <FieldMessage result=mine field="position"/>
                </div>
            </div>
            <label>{t(Msg::StatementLabel)}<textarea name="statement" rows="3">{d.statement.clone()}</textarea></label>
            <FieldMessage result=mine field="statement"/>
            <label>{t(Msg::BalancingNoteLabel)}<textarea name="balancing_note" rows="2">{d.balancing_note.clone()}</textarea></label>
            <FieldMessage result=mine field="balancing_note"/>
            <FieldMessage result=mine field="sharing"/>
            <FieldMessage result=mine field="required"/>
            <div class="row-form">
                {check("marketing", Msg::MarketingLabel, d.marketing)}
                {check("sharing", Msg::SharingLabel, d.sharing)}
                {check("required", Msg::RequiredLabel, d.required)}
                {check("active", Msg::ActiveLabel, d.active)}
            </div>
            <div class="form-actions">
                <button type="submit" class="primary">{if is_new { t(Msg::UsersAddButton)() } else { t(Msg::SaveButton)() }}</button>
            </div>
        </ActionForm>
    }
}
