//! The contact card's "Historia" (a timeline per field) and "Aktywności" tabs.

use crate::ids::ContactId;
use leptos::prelude::*;

use super::api::contact_history;
use super::model::{describe_activity, Activity, ContactTimeline, FIELDS};
use crate::i18n::{t, use_lang, Msg};
use crate::shell::widgets::or_dash;
use crate::time_fmt::format_utc;

fn loaded(contact_id: ContactId, render: fn(ContactTimeline) -> AnyView) -> impl IntoView {
    let data = Resource::new(move || contact_id, contact_history);
    let lang = use_lang();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(h) => render(h),
                    Err(e) => view! { <p class="error" role="alert">{e.message(lang.get_untracked())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn HistoryTab(contact_id: ContactId) -> impl IntoView {
    loaded(contact_id, |h| {
        let fields = FIELDS
            .iter()
            .filter_map(|(field, label)| {
                let rows: Vec<_> = h.changes.iter().filter(|c| c.field == *field).cloned().collect();
                (!rows.is_empty()).then(|| view! {
                    <section class="timeline" data-testid="history-field" data-field=*field>
                        <h3>{t(*label)}</h3>
                        <ol>
                            {rows.into_iter().map(|c| view! {
                                <li>
                                    <span class="meta">{format_utc(c.changed_at)} " · " {c.changed_by.unwrap_or_default()}
                                        " · " {t(Msg::SourceLabel)} ": " {or_dash(c.source)}</span>
                                    <div class="change">
                                        <span class="old">{or_dash(c.old_value)}</span>
                                        " → "
                                        <span class="new">{or_dash(c.new_value)}</span>
                                    </div>
                                    {c.reason.map(|r| view! { <div class="muted">{t(Msg::ReasonLabel)} ": " {r}</div> })}
                                </li>
                            }).collect_view()}
                        </ol>
                    </section>
                })
            })
            .collect_view();
        view! { <section class="card" data-testid="history">{fields}</section> }.into_any()
    })
}

#[component]
pub fn ActivitiesTab(contact_id: ContactId) -> impl IntoView {
    view! {
        <crate::subject_data::AccessRequestsPanel contact_id/>
        {activities(contact_id)}
    }
}

fn activities(contact_id: ContactId) -> impl IntoView {
    loaded(contact_id, |h| {
        view! {
            <section class="card" data-testid="activities">
                <ol class="activities">
                    {h.activities.into_iter().map(|a| view! { <ActivityItem activity=a/> }).collect_view()}
                </ol>
                <h3>{t(Msg::ReadersTitle)}</h3>
                <ul data-testid="readers">
                    {h.readers.into_iter().map(|r| view! {
                        <li>
                            {r.name} " · " {r.reads} "× · " {format_utc(r.last_read_at)}
                            {(r.listed > 0).then(|| view! {
                                " · " {t(Msg::ReadersListed)} " " {r.listed} "×"
                            })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
        .into_any()
    })
}

#[component]
fn ActivityItem(activity: Activity) -> impl IntoView {
    let lang = use_lang();
    let (kind, text) = describe_activity(&activity.detail, lang.get_untracked());
    view! {
        <li data-testid="activity">
            <span class="meta">{format_utc(activity.at)} " · " {activity.who.unwrap_or_default()}</span>
            " " <strong>{t(kind)}</strong> " " {text}
        </li>
    }
}
