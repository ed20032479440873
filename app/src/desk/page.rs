//! The desk's panels under the lookup: recently opened cards, my open cases, my erasure
//! requests a manager refused or extended.

use leptos::prelude::*;

use super::model::{Desk, MyCase, MyRequest, RecentItem};
use crate::contacts::{ContactRow, ContactState};
use crate::erasure::RequestState;
use crate::i18n::{t, Msg};
use crate::shell::widgets::{or_dash, phone_link};
use crate::time_fmt::format_utc;

#[component]
pub fn DeskPanels(desk: Desk) -> impl IntoView {
    view! {
        <div class="desk">
            <section class="card" data-testid="desk-recent">
                <h2>{t(Msg::DeskRecentTitle)}</h2>
                {list(desk.recent, Msg::DeskNothingRecent, recent_item)}
            </section>
            <section class="card" data-testid="desk-cases">
                <h2>{t(Msg::DeskMyCasesTitle)}</h2>
                {list(desk.cases, Msg::DeskNoCases, case_item)}
            </section>
            <section class="card" data-testid="desk-erasures">
                <h2>{t(Msg::DeskMyErasuresTitle)}</h2>
                {list(desk.requests, Msg::DeskNoErasures, request_item)}
            </section>
        </div>
    }
}

fn list<T>(items: Vec<T>, empty: Msg, item: fn(T) -> AnyView) -> AnyView {
    if items.is_empty() {
        return view! { <p class="muted">{t(empty)}</p> }.into_any();
    }
    view! { <ul class="desk-list">{items.into_iter().map(item).collect_view()}</ul> }.into_any()
}

/// The contact's name linking to its card, or the mark of an erased contact (no data).
fn contact_name(contact: &ContactRow) -> AnyView {
    let href = format!("/kontakty/{}", contact.id);
    if contact.state == ContactState::Erased {
        view! { <a href=href><span class="badge">{t(ContactState::Erased.label())}</span></a> }
            .into_any()
    } else {
        view! { <a href=href data-testid="desk-contact-name">{or_dash(contact.name.clone())}</a> }
            .into_any()
    }
}

fn contact_phone(contact: &ContactRow) -> Option<AnyView> {
    contact
        .phone
        .clone()
        .map(|phone| view! { <span class="nowrap">{phone_link(Some(phone))}</span> }.into_any())
}

fn recent_item(item: RecentItem) -> AnyView {
    let contact = &item.contact;
    let case_id = item.case.as_ref().map(|c| c.id.to_string());
    let case = item.case.map(|case| {
        view! {
            <a href=format!("/sprawy/{}", case.id) data-testid="desk-case-link">
                {t(Msg::DeskCaseLabel)} " #" {case.id} ": " {or_dash(case.subject)}
            </a>
            <span class="badge">{t(case.status.label())}</span>
        }
    });
    view! {
        <li data-testid="recent-item" data-contact=contact.id
            data-case=case_id>
            <div class="line">{case}{contact_name(contact)}{contact_phone(contact)}</div>
            <span class="meta">{format_utc(item.read_at)}</span>
        </li>
    }
    .into_any()
}

fn case_item(item: MyCase) -> AnyView {
    let MyCase { contact, case } = item;
    view! {
        <li data-testid="my-case" data-case=case.id>
            <div class="line">
                <a href=format!("/sprawy/{}", case.id)>
                    {t(Msg::DeskCaseLabel)} " #" {case.id} ": " {or_dash(case.subject)}
                </a>
                <span class="badge">{t(case.status.label())}</span>
            </div>
            <div class="line">{contact_name(&contact)}{contact_phone(&contact)}</div>
            <span class="meta">{t(Msg::UpdatedAt)} " " {format_utc(case.updated_at)}</span>
        </li>
    }
    .into_any()
}

fn request_item(item: MyRequest) -> AnyView {
    let MyRequest { contact, request } = item;
    let refused = request.state == RequestState::Refused;
    let badge = if refused {
        RequestState::Refused.label()
    } else {
        Msg::ErasureExtendedBadge
    };
    let answer = if refused {
        view! {
            <div class="line">
                {t(Msg::DeskErasureReason)} " " {or_dash(request.refusal_reason)}
                {request.decided_by.map(|who| view! { " · " {who} })}
                {request.decided_at.map(|at| view! { " · " {format_utc(at)} })}
            </div>
        }
        .into_any()
    } else {
        view! {
            <div class="line">
                {t(Msg::DeskErasureNewDeadline)} " " {request.extended_until.map(format_utc)}
                " · " {t(Msg::DeskErasureReason)} " " {or_dash(request.extension_reason)}
            </div>
        }
        .into_any()
    };
    view! {
        <li data-testid="my-erasure" data-request=request.id data-state=request.state.as_str()>
            <div class="line">
                {contact_name(&contact)}
                <span class="badge" class:danger=refused>{t(badge)}</span>
            </div>
            {answer}
            <span class="meta">{t(Msg::ErasureRequestedAt)} " " {format_utc(request.requested_at)}</span>
        </li>
    }
    .into_any()
}
