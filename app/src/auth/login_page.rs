use leptos::prelude::*;

use super::api::Login;
use crate::i18n::{t, Msg};
use crate::shell::widgets::{go_to, AuthCard, ErrorBanner, FormField};

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
        <AuthCard title=Msg::LoginTitle>
            <p class="muted">{t(Msg::LoginIntro)}</p>
            <ActionForm action=action attr:class="stack" attr:data-testid="login-form">
                <FormField label=Msg::LoginLabel name="login" result autocomplete="username"/>
                <FormField label=Msg::PasswordLabel name="password" result kind="password" autocomplete="current-password"/>
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {t(Msg::LoginButton)}
                </button>
            </ActionForm>
            <ErrorBanner result/>
        </AuthCard>
    }
}
