use leptos::prelude::*;

use super::api::Login;
use crate::i18n::{t, LanguageSwitch, Msg};
use crate::shell::widgets::{go_to, ErrorBanner, FieldMessage};

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let result = Signal::derive(move || action.value().get());
    Effect::new(move |_| {
        if let Some(Ok(user)) = action.value().get() {
            go_to(if user.must_change_password {
                "/zmiana-hasla"
            } else {
                "/"
            });
        }
    });
    view! {
        <main class="auth-page">
            <section class="card auth-card">
                <div class="card-head">
                    <h1>{t(Msg::LoginTitle)}</h1>
                    <LanguageSwitch/>
                </div>
                <p class="muted">{t(Msg::LoginIntro)}</p>
                <ActionForm action=action attr:class="stack" attr:data-testid="login-form">
                    <label for="login">{t(Msg::LoginLabel)}</label>
                    <input id="login" name="login" autocomplete="username" autocapitalize="none"/>
                    <FieldMessage result field="login"/>
                    <label for="password">{t(Msg::PasswordLabel)}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password"/>
                    <FieldMessage result field="password"/>
                    <button type="submit" class="primary" disabled=move || action.pending().get()>
                        {t(Msg::LoginButton)}
                    </button>
                </ActionForm>
                <ErrorBanner result/>
            </section>
        </main>
    }
}
