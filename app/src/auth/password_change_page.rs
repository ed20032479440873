use leptos::prelude::*;

use super::api::{current_user, password_rules, ChangePassword};
use super::policy::PasswordPolicy;
use crate::i18n::{t, use_lang, Msg};
use crate::shell::widgets::{go_to, AuthCard, ErrorBanner, FormField};

/// "Zmiana hasła": reached by choice, or forced when the password expired or was reset.
#[component]
pub fn PasswordChangePage() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let result = Signal::derive(move || action.value().get());
    let me = Resource::new(|| (), |_| current_user());
    let rules = Resource::new(|| (), |_| password_rules());
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            go_to("/logowanie");
        }
    });
    view! {
        <AuthCard title=Msg::PasswordChangeTitle>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let forced = me.await.ok().flatten().is_some_and(|u| u.must_change_password);
                    let rules = rules.await.ok();
                    view! {
                        {forced.then(|| view! { <p class="notice" data-testid="forced-change">{t(Msg::PasswordChangeForced)}</p> })}
                        {rules.map(|r| view! { <PolicyRules policy=r/> })}
                    }
                })}
            </Suspense>
            <ActionForm action=action attr:class="stack">
                <FormField label=Msg::CurrentPasswordLabel name="current_password" result kind="password" autocomplete="current-password"/>
                <FormField label=Msg::NewPasswordLabel name="new_password" result kind="password" autocomplete="new-password"/>
                <FormField label=Msg::NewPasswordRepeatLabel name="new_password_repeat" result kind="password" autocomplete="new-password"/>
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {t(Msg::ChangePasswordButton)}
                </button>
            </ActionForm>
            <ErrorBanner result/>
        </AuthCard>
    }
}

#[component]
fn PolicyRules(policy: PasswordPolicy) -> impl IntoView {
    let lang = use_lang();
    let min = policy.min_length;
    view! {
        <ul class="rules">
            <li>{move || format!("{} {min}", Msg::RuleMinLength.text(lang.get()))}</li>
            {policy.require_lower.then(|| view! { <li>{t(Msg::RuleLower)}</li> })}
            {policy.require_upper.then(|| view! { <li>{t(Msg::RuleUpper)}</li> })}
            {policy.require_digit_or_special.then(|| view! { <li>{t(Msg::RuleDigitOrSpecial)}</li> })}
            <li>{t(Msg::RuleNotRecent)}</li>
            <li>{t(Msg::RuleNotCommon)}</li>
        </ul>
    }
}
