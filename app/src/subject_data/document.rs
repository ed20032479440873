//! The person's copy as a document to read and print, in Polish: the same value the
//! JSON holds, every text escaped.

use std::fmt::Write;

use super::model::SubjectData;
use crate::domain::text::escape_html as esc;
use crate::history::model::{describe_activity, field_label, values_of};
use crate::i18n::{Lang, Msg};
use crate::time_fmt::format_utc;

const PL: Lang = Lang::Pl;

fn text(m: Msg) -> &'static str {
    m.text(PL)
}

fn or_dash(v: Option<&str>) -> String {
    match v {
        Some(v) if !v.is_empty() => esc(v),
        _ => "—".to_string(),
    }
}

/// Numbers or addresses, one per line, each with the channels it serves, in words.
fn channels(list: &[crate::contacts::Channel], phones: bool) -> String {
    if list.is_empty() {
        return "—".to_string();
    }
    list.iter()
        .map(|c| {
            let value = if phones {
                crate::domain::Phone::display(&c.value)
            } else {
                c.value.clone()
            };
            let serves: Vec<&str> = [
                (c.for_call, Msg::ForCall),
                (c.for_sms, Msg::ForSms),
                (c.for_email, Msg::ForEmail),
            ]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, m)| text(m))
            .collect();
            if serves.is_empty() {
                esc(&value)
            } else {
                format!("{} ({})", esc(&value), esc(&serves.join(", ")))
            }
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

/// A table with a header row; cells are escaped by the caller.
fn table(out: &mut String, head: &[&str], rows: &[Vec<String>]) {
    out.push_str("<table><thead><tr>");
    for h in head {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

pub fn html(d: &SubjectData, json_name: &str) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!doctype html><html lang=\"pl\"><head><meta charset=\"utf-8\">\
         <title>{title} — {id}</title><style>\
         body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#111}}\
         table{{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}}\
         th,td{{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}}\
         th{{background:#f2f2f2}} h2{{margin-top:2rem;border-bottom:2px solid #333}}\
         .meta{{color:#555}} blockquote{{margin:.3rem 0;padding:.3rem .8rem;border-left:3px solid #999}}\
         @media print{{h2{{break-after:avoid}} tr{{break-inside:avoid}}}}\
         </style></head><body>",
        title = esc(text(Msg::SubjectDocTitle)),
        id = d.contact_id,
    );
    let _ = write!(
        o,
        "<h1>{}</h1><p class=\"meta\">{} {} · {} {} · {}</p><p>{}</p>",
        esc(text(Msg::SubjectDocTitle)),
        esc(text(Msg::SubjectDocGenerated)),
        format_utc(d.generated_at),
        esc(text(Msg::SubjectDocContact)),
        d.contact_id,
        esc(text(d.state.label())),
        esc(&text(Msg::SubjectDocIntro).replace("{json}", json_name)),
    );

    // The personal data, each number and address with the channels it serves.
    let _ = write!(o, "<h2>{}</h2>", esc(text(Msg::SubjectDocData)));
    let rows: Vec<Vec<String>> = values_of(&d.data)
        .into_iter()
        .map(|(field, value)| {
            let value = match field {
                "phones" => channels(&d.data.phones, true),
                "emails" => channels(&d.data.emails, false),
                _ => or_dash(Some(&value)),
            };
            vec![esc(text(field_label(field))), value]
        })
        .collect();
    table(
        &mut o,
        &[text(Msg::SubjectDocField), text(Msg::SubjectDocValue)],
        &rows,
    );
    let _ = write!(
        o,
        "<p>{}: {} · {} {} · {} {}</p>",
        esc(text(Msg::SourceLabel)),
        or_dash(d.source.as_deref()),
        esc(text(Msg::CreatedAt)),
        format_utc(d.created_at),
        esc(text(Msg::UpdatedAt)),
        format_utc(d.updated_at),
    );

    // Consents: the decision in force, then every decision with the words heard.
    let _ = write!(o, "<h2>{}</h2>", esc(text(Msg::SubjectDocConsents)));
    if d.consents.is_empty() {
        let _ = write!(o, "<p>{}</p>", esc(text(Msg::SubjectDocNone)));
    }
    for c in &d.consents {
        let _ = write!(
            o,
            "<h3>{}</h3><p>{}: {} · {}: {} · {}: {}</p>",
            esc(&c.name),
            esc(text(Msg::SubjectDocPurpose)),
            or_dash(Some(&c.purpose)),
            esc(text(Msg::SubjectDocLegalBasis)),
            esc(text(c.legal_basis.label())),
            esc(text(Msg::SubjectDocChannel)),
            esc(text(c.channel.label())),
        );
        for e in &c.decisions {
            let _ = write!(
                o,
                "<p><strong>{}</strong> — {} ({}), {} {}{}</p><blockquote>{}</blockquote>",
                esc(text(e.decision.label())),
                format_utc(e.recorded_at),
                esc(text(e.method.label())),
                esc(text(Msg::SubjectDocStatementVersion)),
                e.statement_version,
                e.evidence
                    .as_deref()
                    .map(|ev| format!(" · {}: {}", esc(text(Msg::SubjectDocEvidence)), esc(ev)))
                    .unwrap_or_default(),
                esc(&e.statement),
            );
        }
    }
    if d.marketing_objection {
        let _ = write!(
            o,
            "<p><strong>{}</strong></p>",
            esc(text(Msg::SubjectDocObjection))
        );
    }

    // Restriction and erasure, when there is something to say.
    if let Some(r) = &d.restriction {
        let _ = write!(
            o,
            "<h2>{}</h2><p>{} · {} {}</p>",
            esc(text(Msg::ActivityRestricted).trim_end_matches(':')),
            esc(text(r.ground.label())),
            esc(text(Msg::RestrictionSince)),
            format_utc(r.since),
        );
    }
    if let Some(e) = &d.erasure {
        let _ = write!(
            o,
            "<h2>{}</h2><p>{} · {} · {} {}{}</p>",
            esc(text(Msg::ActivityErasureRequested).trim_end_matches(':')),
            esc(text(e.ground.label())),
            esc(text(e.state.label())),
            esc(text(Msg::ErasureRequestedAt)),
            format_utc(e.requested_at),
            e.refusal_reason
                .as_deref()
                .map(|r| format!(" · {}", esc(r)))
                .unwrap_or_default(),
        );
    }

    // Every change of a field, with where the new value came from.
    let _ = write!(o, "<h2>{}</h2>", esc(text(Msg::SubjectDocChanges)));
    let rows: Vec<Vec<String>> = d
        .changes
        .iter()
        .map(|c| {
            vec![
                format_utc(c.changed_at),
                esc(text(field_label(&c.field))),
                or_dash(c.old_value.as_deref()),
                or_dash(c.new_value.as_deref()),
                or_dash(c.source.as_deref()),
                or_dash(c.reason.as_deref()),
            ]
        })
        .collect();
    table(
        &mut o,
        &[
            text(Msg::SubjectDocWhen),
            text(Msg::SubjectDocField),
            text(Msg::SubjectDocOld),
            text(Msg::SubjectDocNew),
            text(Msg::SourceLabel),
            text(Msg::ReasonLabel),
        ],
        &rows,
    );

    let _ = write!(o, "<h2>{}</h2>", esc(text(Msg::CasesTitle)));
    let rows: Vec<Vec<String>> = d
        .cases
        .iter()
        .map(|c| {
            vec![
                c.id.to_string(),
                or_dash(c.subject.as_deref()),
                esc(text(c.status.label())),
                esc(text(c.channel.label())),
                format_utc(c.updated_at),
            ]
        })
        .collect();
    table(
        &mut o,
        &[
            "Id",
            text(Msg::SubjectLabel),
            text(Msg::CaseStatusLabel),
            text(Msg::CaseChannelLabel),
            text(Msg::UpdatedAt),
        ],
        &rows,
    );

    // Contacts made or refused, disclosures (to whom, what, on which basis), requests.
    let _ = write!(o, "<h2>{}</h2>", esc(text(Msg::SubjectDocActivities)));
    let rows: Vec<Vec<String>> = d
        .activities
        .iter()
        .map(|a| {
            let (kind, detail) = describe_activity(&a.detail, PL);
            vec![format_utc(a.at), esc(text(kind)), esc(&detail)]
        })
        .collect();
    table(
        &mut o,
        &[text(Msg::SubjectDocWhen), text(Msg::SubjectDocWhat), ""],
        &rows,
    );

    let _ = write!(
        o,
        "<h2>{}</h2><p>{}</p></body></html>",
        esc(text(Msg::SubjectDocRetention)),
        d.retention
            .as_deref()
            .map(esc)
            .unwrap_or_else(|| esc(text(Msg::SubjectDocRetentionNone))),
    );
    o
}
