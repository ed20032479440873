//! On the card's "Aktywności" tab: the person's requests for a copy of their data with
//! their deadlines, and the buttons that record a new one during the call.

use leptos::prelude::*;

use super::api::{access_requests, AccessRequestRecord};
use super::model::AccessKind;
use crate::i18n::{t, Msg};
use crate::ids::ContactId;
use crate::shell::widgets::ErrorBanner;
use crate::time_fmt::format_utc;

#[component]
pub fn AccessRequestsPanel(contact_id: ContactId) -> impl IntoView {
    let record = ServerAction::<AccessRequestRecord>::new();
    let list = Resource::new(
        move || record.version().get(),
        move |_| access_requests(contact_id),
    );
    let result = Signal::derive(move || record.value().get());
    let button = move |kind: AccessKind, label: Msg| {
        view! {
            <ActionForm action=record attr:class="inline">
                <input type="hidden" name="contact_id" value=contact_id.to_string()/>
                <input type="hidden" name="kind" value=kind.as_str()/>
                <button type="submit">{t(label)}</button>
            </ActionForm>
        }
    };
    view! {
        <section class="card" data-testid="access-requests">
            <h3>{t(Msg::AccessRequestsTitle)}</h3>
            <ErrorBanner result/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let requests = list.await.unwrap_or_default();
                    view! {
                        <ul>
                            {requests.into_iter().map(|r| {
                                let state = match (r.delivered_at, r.overdue) {
                                    (Some(at), _) => view! {
                                        <span class="badge">{t(Msg::AccessRequestDelivered)}" "{format_utc(at)}</span>
                                    }.into_any(),
                                    (None, true) => view! {
                                        <span class="badge danger">{t(Msg::AccessRequestOverdue)}</span>
                                    }.into_any(),
                                    (None, false) => view! {
                                        <span class="badge warn">{t(Msg::AccessRequestOpen)}</span>
                                    }.into_any(),
                                };
                                view! {
                                    <li data-testid="access-request" data-kind=r.kind.as_str()
                                        data-open=r.delivered_at.is_none().to_string()>
                                        {t(r.kind.label())}" · "{format_utc(r.requested_at)}
                                        " · "{t(Msg::AccessRequestDeadline)}" "{format_utc(r.deadline_at)}
                                        " "{state}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                })}
            </Suspense>
            <div class="actions">
                {button(AccessKind::Access, Msg::AccessRequestRecordAccess)}
                {button(AccessKind::Portability, Msg::AccessRequestRecordPortability)}
            </div>
            <p class="hint">{t(Msg::AccessRequestHint)}</p>
        </section>
    }
}
