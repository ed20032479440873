use leptos::prelude::*;

use super::admin::{password_policy_get, PasswordPolicySet};
use super::policy::{PasswordPolicy, Preset};
use crate::i18n::{t, Msg};
use crate::shell::widgets::{ErrorBanner, FieldMessage};
use crate::shell::{Layout, Part};

/// "Polityka haseł": the spec's preset, the ASVS / NIST preset, or custom settings.
#[component]
pub fn PolicyPage() -> impl IntoView {
    let save = ServerAction::<PasswordPolicySet>::new();
    let policy = Resource::new(move || save.version().get(), |_| password_policy_get());
    let result = Signal::derive(move || save.value().get());
    view! {
        <Layout part=Part::Manager>
            <h1>{t(Msg::PolicyTitle)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    policy.await.ok().map(|p| view! { <PolicyForm policy=p save/> })
                })}
            </Suspense>
            {move || matches!(result.get(), Some(Ok(_))).then(|| view! { <p class="notice">{t(Msg::Saved)}</p> })}
            <FieldMessage result field="min_length"/>
            <FieldMessage result field="max_age_days"/>
            <ErrorBanner result/>
        </Layout>
    }
}

#[component]
fn PolicyForm(policy: PasswordPolicy, save: ServerAction<PasswordPolicySet>) -> impl IntoView {
    let current = policy.preset;
    let preset = move |p: Preset| current == p;
    view! {
        <ActionForm action=save attr:class="card stack">
            <fieldset>
                <legend>{t(Msg::PolicyPreset)}</legend>
                <label class="choice"><input type="radio" name="preset" value="spec" checked=preset(Preset::Spec)/>{t(Msg::PolicyPresetSpec)}</label>
                <label class="choice"><input type="radio" name="preset" value="asvs_nist" checked=preset(Preset::AsvsNist)/>{t(Msg::PolicyPresetNist)}</label>
                <label class="choice"><input type="radio" name="preset" value="custom" checked=preset(Preset::Custom)/>{t(Msg::PolicyPresetCustom)}</label>
            </fieldset>
            <label>{t(Msg::RuleMinLength)}<input name="min_length" inputmode="numeric" value=policy.min_length/></label>
            <label>{t(Msg::PolicyMaxAge)}<input name="max_age_days" inputmode="numeric" value=policy.max_age_days/></label>
            <label class="choice"><input type="checkbox" name="require_lower" checked=policy.require_lower/>{t(Msg::RuleLower)}</label>
            <label class="choice"><input type="checkbox" name="require_upper" checked=policy.require_upper/>{t(Msg::RuleUpper)}</label>
            <label class="choice"><input type="checkbox" name="require_digit_or_special" checked=policy.require_digit_or_special/>{t(Msg::RuleDigitOrSpecial)}</label>
            <p class="muted">{t(Msg::PolicyAlways)}</p>
            <button type="submit" class="primary">{t(Msg::SaveButton)}</button>
        </ActionForm>
    }
}
