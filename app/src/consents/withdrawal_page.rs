//! `/wycofanie-zgody/<token>`: the page a withdrawal link opens, for anyone holding the
//! link, signed in or not. It names the consent and its statement, never the person;
//! opening it changes nothing, the button withdraws. Works without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{withdrawal_page, WithdrawByLink};
use super::withdrawal::LinkPage;
use crate::i18n::{t, use_lang, Msg};
use crate::shell::widgets::{AuthCard, ErrorBanner};

#[component]
pub fn WithdrawalPage() -> impl IntoView {
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let action = ServerAction::<WithdrawByLink>::new();
    // Read again after the button, so the page says what is now true.
    let page = Resource::new(
        move || (token.get(), action.version().get()),
        |(token, _)| withdrawal_page(token),
    );
    let lang = use_lang();
    let result = Signal::derive(move || action.value().get());
    view! {
        <AuthCard title=Msg::WithdrawalTitle>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(_) => view! {
                            <p class="error" role="alert" data-testid="withdrawal-invalid">{t(Msg::WithdrawalLinkInvalid)}</p>
                        }.into_any(),
                        Ok(p) => view! { <Consent page=p token=token.get_untracked() action=action/> }.into_any(),
                    }
                })}
            </Suspense>
            <ErrorBanner result/>
            <p class="muted">{move || Msg::WithdrawalNote.text(lang.get())}</p>
        </AuthCard>
    }
}

#[component]
fn Consent(page: LinkPage, token: String, action: ServerAction<WithdrawByLink>) -> impl IntoView {
    view! {
        <dl class="facts">
            <dt>{t(Msg::WithdrawalConsent)}</dt><dd data-testid="withdrawal-consent">{page.consent}</dd>
            <dt>{t(Msg::WithdrawalStatement)}</dt><dd>{page.statement}</dd>
        </dl>
        {if page.granted {
            view! {
                <ActionForm action=action attr:class="stack">
                    <input type="hidden" name="token" value=token/>
                    <button type="submit" class="primary" data-testid="withdraw-button"
                        disabled=move || action.pending().get()>
                        {t(Msg::WithdrawalButton)}
                    </button>
                </ActionForm>
            }.into_any()
        } else {
            view! { <p class="ok" role="status" data-testid="withdrawal-done">{t(Msg::WithdrawalDone)}</p> }.into_any()
        }}
    }
}
