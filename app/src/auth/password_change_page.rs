use leptos::prelude::*;

use super::api::{current_user, password_rules, ChangePassword};
use super::policy::PasswordPolicy;
use crate::i18n::{t, use_lang, LanguageSwitch, Msg};
use crate::shell::widgets::{go_to, ErrorBanner, FieldMessage};

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
        <main class="auth-page">
            <section class="card auth-card">
                <div class="card-head">
                    <h1>{t(Msg::PasswordChangeTitle)}</h1>
                    <LanguageSwitch/>
                </div>
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
                    <label for="current_password">{t(Msg::CurrentPasswordLabel)}</label>
                    <input id="current_password" name="current_password" type="password" autocomplete="current-password"/>
                    <FieldMessage result field="current_password"/>
                    <label for="new_password">{t(Msg::NewPasswordLabel)}</label>
                    <input id="new_password" name="new_password" type="password" autocomplete="new-password"/>
                    <FieldMessage result field="new_password"/>
                    <label for="new_password_repeat">{t(Msg::NewPasswordRepeatLabel)}</label>
                    <input id="new_password_repeat" name="new_password_repeat" type="password" autocomplete="new-password"/>
                    <FieldMessage result field="new_password_repeat"/>
                    <button type="submit" class="primary" disabled=move || action.pending().get()>
                        {t(Msg::ChangePasswordButton)}
                    </button>
                </ActionForm>
                <ErrorBanner result/>
            </section>
        </main>
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
