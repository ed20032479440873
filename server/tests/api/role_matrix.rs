//! Every registered server function, called by anonymous, consultant, manager and
//! administrator, must answer exactly as the access table declares. A new endpoint that
//! is missing from the table fails here (and is refused at run time).

use crate::common;

use app::auth::access::{decide, endpoint_access, Refusal};
use app::auth::Role;
use app::error::AppError;
use reqwest::StatusCode;

/// One retired consent definition, so that adopting the example set (which takes no
/// ids) answers 409 in these tests and changes nothing either.
async fn retired_definition(app: &common::TestApp) {
    let setup = app.signed_in("matrix-setup", Role::Manager).await;
    let (status, body) = setup
        .call(
            "consent_definition_save",
            &[
                ("name", "Wycofana"),
                ("statement", "Treść."),
                ("purpose", "Cel."),
                ("legal_basis", "consent"),
                ("channel", "any"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

both_backends!(every_endpoint_follows_its_declaration, |app| async move {
    let mut endpoints: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    endpoints.sort();
    assert!(
        endpoints.len() >= 10,
        "server functions are registered: {endpoints:?}"
    );
    for endpoint in &endpoints {
        assert!(
            endpoint_access(endpoint).is_some(),
            "{endpoint} is missing from auth::access::ENDPOINTS"
        );
    }

    retired_definition(&app).await;

    let callers: [(&str, Option<Role>); 4] = [
        ("anonymous", None),
        ("consultant", Some(Role::Consultant)),
        ("manager", Some(Role::Manager)),
        ("administrator", Some(Role::Administrator)),
    ];
    for (n, (who, role)) in callers.into_iter().enumerate() {
        for endpoint in &endpoints {
            // A fresh session per call: some endpoints (logout) end the one they run in.
            let client = match role {
                None => app.client(),
                Some(role) => {
                    app.signed_in(&format!("{who}{n}-{endpoint}").replace('_', "-"), role)
                        .await
                }
            };
            let (status, body) = client.call(endpoint, &[]).await;
            let access = endpoint_access(endpoint).unwrap();
            match decide(access, role.map(|r| (r, false))) {
                Some(Refusal::NotSignedIn) => {
                    assert_eq!(
                        status,
                        StatusCode::UNAUTHORIZED,
                        "{who} → {endpoint}: {body}"
                    )
                }
                Some(_) => assert_eq!(status, StatusCode::FORBIDDEN, "{who} → {endpoint}: {body}"),
                None => assert!(
                    status != StatusCode::UNAUTHORIZED
                        && status != StatusCode::FORBIDDEN
                        && status.as_u16() < 500,
                    "{who} → {endpoint} should be allowed: {status} {body}"
                ),
            }
        }
    }
});

/// A server function called in-process, as a page render calls it: no access layer in
/// front, only the request's context. Each call uses ids that exist nowhere, so an
/// admitted caller gets "not found" or a field message, and changes nothing.
type Call =
    fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), AppError>> + Send>>;

fn boxed<T: 'static>(
    work: impl std::future::Future<Output = Result<T, AppError>> + Send + 'static,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), AppError>> + Send>> {
    Box::pin(async move { work.await.map(|_| ()) })
}

fn empty_multipart() -> leptos::server_fn::codec::MultipartData {
    let body = futures_util::stream::once(async {
        Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"--b--\r\n"))
    });
    leptos::server_fn::codec::MultipartData::Server(multer::Multipart::new(body, "b"))
}

const NOWHERE: i64 = 987_654_321;

fn in_process_calls() -> Vec<(&'static str, Call)> {
    use app::*;
    vec![
        ("system_info", || boxed(system::system_info())),
        ("set_language", || {
            boxed(i18n::switch::set_language("en".into()))
        }),
        ("login", || {
            boxed(auth::api::login("nobody".into(), "Wrong-Password-1".into()))
        }),
        ("current_user", || boxed(auth::api::current_user())),
        ("logout", || boxed(auth::api::logout())),
        ("change_password", || {
            boxed(auth::api::change_password(
                String::new(),
                String::new(),
                String::new(),
            ))
        }),
        ("password_rules", || boxed(auth::api::password_rules())),
        ("users_list", || boxed(auth::admin::users_list())),
        ("users_create", || {
            boxed(auth::admin::users_create(
                "x".into(),
                String::new(),
                "root".into(),
            ))
        }),
        ("users_set_role", || {
            boxed(auth::admin::users_set_role(
                app::ids::UserId(NOWHERE),
                "root".into(),
            ))
        }),
        ("users_set_disabled", || {
            boxed(auth::admin::users_set_disabled(
                app::ids::UserId(NOWHERE),
                false,
            ))
        }),
        ("users_reset_password", || {
            boxed(auth::admin::users_reset_password(app::ids::UserId(NOWHERE)))
        }),
        ("password_policy_get", || {
            boxed(auth::admin::password_policy_get())
        }),
        ("password_policy_set", || {
            boxed(auth::admin::password_policy_set(
                "none".into(),
                None,
                None,
                None,
                None,
                None,
            ))
        }),
        ("audit_list", || boxed(audit::audit_list(None))),
        ("dialer_check", || {
            boxed(consents::api::dialer_check(
                vec!["600100200".into()],
                None,
                None,
            ))
        }),
        ("webhooks_list", || {
            boxed(app::webhooks::api::webhooks_list())
        }),
        ("webhook_create", || {
            boxed(app::webhooks::api::webhook_create(
                String::new(),
                String::new(),
                None,
                None,
                None,
                None,
                None,
            ))
        }),
        ("webhook_set_active", || {
            boxed(app::webhooks::api::webhook_set_active(
                app::ids::WebhookId(NOWHERE),
                false,
            ))
        }),
        ("webhook_deliveries", || {
            boxed(app::webhooks::api::webhook_deliveries())
        }),
        ("api_tokens_list", || {
            boxed(app::integrations::api::api_tokens_list())
        }),
        ("api_token_create", || {
            boxed(app::integrations::api::api_token_create(
                String::new(),
                "none".into(),
                None,
                None,
                None,
                None,
            ))
        }),
        ("api_token_revoke", || {
            boxed(app::integrations::api::api_token_revoke(
                app::ids::ApiTokenId(NOWHERE),
            ))
        }),
        ("contact_search", || {
            boxed(contacts::api::contact_search("Wójcik".into(), None))
        }),
        ("contact_get", || {
            boxed(contacts::api::contact_get(app::ids::ContactId(NOWHERE)))
        }),
        ("contact_save", || {
            boxed(contacts::api::contact_save(contacts::model::ContactInput {
                id: Some(app::ids::ContactId(NOWHERE)),
                ..Default::default()
            }))
        }),
        ("case_get", || {
            boxed(cases::api::case_get(app::ids::CaseId(NOWHERE)))
        }),
        ("case_save", || {
            boxed(cases::api::case_save(cases::model::CaseInput {
                id: Some(app::ids::CaseId(NOWHERE)),
                ..Default::default()
            }))
        }),
        ("case_assignees", || boxed(cases::api::case_assignees())),
        ("consultant_desk", || {
            boxed(app::desk::api::consultant_desk())
        }),
        ("consent_definitions", || {
            boxed(consents::api::consent_definitions())
        }),
        ("consent_definition_save", || {
            boxed(consents::api::consent_definition_save(
                None,
                String::new(),
                String::new(),
                String::new(),
                "none".into(),
                None,
                "none".into(),
                None,
                None,
                None,
                None,
                None,
            ))
        }),
        ("retention_rules", || {
            boxed(app::retention::api::retention_rules())
        }),
        ("retention_rule_save", || {
            boxed(app::retention::api::retention_rule_save(
                None,
                String::new(),
                "none".into(),
                None,
                None,
                None,
                None,
                "none".into(),
                None,
            ))
        }),
        ("retention_preview", || {
            boxed(app::retention::api::retention_preview())
        }),
        ("retention_runs", || {
            boxed(app::retention::api::retention_runs())
        }),
        ("retention_run_now", || {
            boxed(app::retention::api::retention_run_now())
        }),
        ("jobs_list", || boxed(app::jobs::api::jobs_list(None))),
        ("job_retry", || {
            boxed(app::jobs::api::job_retry(app::ids::JobId(1)))
        }),
        ("consent_examples_adopt", || {
            boxed(consents::api::consent_examples_adopt())
        }),
        ("consent_record", || {
            boxed(consents::api::consent_record(empty_multipart()))
        }),
        ("consent_web_form", || {
            boxed(consents::api::consent_web_form(
                consents::web_form::WebFormConsent {
                    contact_id: app::ids::ContactId(NOWHERE),
                    definition_id: app::ids::DefinitionId(NOWHERE),
                    decision: Default::default(),
                    statement_version: 1,
                    form_url: "https://example.pl/".into(),
                    client_ip: "192.0.2.1".into(),
                    user_agent: None,
                    submitted_at: None,
                },
            ))
        }),
        ("consent_withdrawal_link", || {
            boxed(consents::api::consent_withdrawal_link(
                app::ids::ContactId(NOWHERE),
                app::ids::DefinitionId(NOWHERE),
            ))
        }),
        ("withdrawal_page", || {
            boxed(consents::api::withdrawal_page("1-1-00".into()))
        }),
        ("withdraw_by_link", || {
            boxed(consents::api::withdraw_by_link("1-1-00".into()))
        }),
        ("can_contact", || {
            boxed(consents::api::can_contact(
                app::ids::ContactId(NOWHERE),
                "none".into(),
                "none".into(),
                None,
            ))
        }),
        ("communication_log", || {
            boxed(consents::api::communication_log(
                app::ids::ContactId(NOWHERE),
                "none".into(),
                "none".into(),
                None,
            ))
        }),
        ("marketing_objection_set", || {
            boxed(consents::api::marketing_objection_set(
                app::ids::ContactId(NOWHERE),
                true,
            ))
        }),
        ("purpose_objection_record", || {
            boxed(consents::api::purpose_objection_record(
                app::ids::ContactId(NOWHERE),
                app::ids::DefinitionId(NOWHERE),
            ))
        }),
        ("purpose_objection_lift", || {
            boxed(consents::api::purpose_objection_lift(
                app::ids::ContactId(NOWHERE),
                app::ids::DefinitionId(NOWHERE),
                "withdrawn".into(),
            ))
        }),
        ("contact_restrict", || {
            boxed(app::restriction::api::contact_restrict(
                app::ids::ContactId(NOWHERE),
                app::restriction::RestrictionGround::Accuracy,
                String::new(),
            ))
        }),
        ("contact_restriction_lift", || {
            boxed(app::restriction::api::contact_restriction_lift(
                app::ids::ContactId(NOWHERE),
                true,
                String::new(),
            ))
        }),
        ("contact_data_export", || {
            boxed(app::subject_data::api::contact_data_export(
                app::ids::ContactId(NOWHERE),
            ))
        }),
        ("access_requests", || {
            boxed(app::subject_data::api::access_requests(
                app::ids::ContactId(NOWHERE),
            ))
        }),
        ("access_request_record", || {
            boxed(app::subject_data::api::access_request_record(
                app::ids::ContactId(NOWHERE),
                "access".into(),
            ))
        }),
        ("data_sources", || boxed(sources::api::data_sources())),
        ("data_source_save", || {
            boxed(sources::api::data_source_save(
                None,
                String::new(),
                "none".into(),
                None,
                None,
                None,
                None,
            ))
        }),
        ("contact_history", || {
            boxed(history::api::contact_history(app::ids::ContactId(NOWHERE)))
        }),
        ("recipients_list", || {
            boxed(recipients::api::recipients_list())
        }),
        ("recipient_save", || {
            boxed(recipients::api::recipient_save(
                None,
                String::new(),
                None,
                "none".into(),
                None,
                None,
                None,
            ))
        }),
        ("agreement_add", || {
            boxed(recipients::api::agreement_add(empty_multipart()))
        }),
        ("disclosure_record", || {
            boxed(recipients::api::disclosure_record(
                app::ids::RecipientId(NOWHERE),
                String::new(),
                None,
                String::new(),
            ))
        }),
        ("disclosures_list", || {
            boxed(recipients::api::disclosures_list(None, None, None))
        }),
        ("erasure_request", || {
            boxed(erasure::api::erasure_request(
                app::ids::ContactId(NOWHERE),
                None,
                "none".into(),
            ))
        }),
        ("erasure_withdraw", || {
            boxed(erasure::api::erasure_withdraw(app::ids::ErasureRequestId(
                NOWHERE,
            )))
        }),
        ("erasure_queue", || boxed(erasure::api::erasure_queue())),
        ("erasure_approve", || {
            boxed(erasure::api::erasure_approve(vec![
                app::ids::ErasureRequestId(NOWHERE),
            ]))
        }),
        ("erasure_refuse", || {
            boxed(erasure::api::erasure_refuse(
                app::ids::ErasureRequestId(NOWHERE),
                String::new(),
            ))
        }),
        ("erasure_extend", || {
            boxed(erasure::api::erasure_extend(
                app::ids::ErasureRequestId(NOWHERE),
                0,
                String::new(),
            ))
        }),
        ("legal_holds", || boxed(erasure::api::legal_holds())),
        ("legal_hold_add", || {
            boxed(erasure::api::legal_hold_add(
                app::ids::ContactId(NOWHERE),
                String::new(),
                String::new(),
            ))
        }),
        ("legal_hold_release", || {
            boxed(erasure::api::legal_hold_release(app::ids::HoldId(NOWHERE)))
        }),
        ("import_upload", || {
            boxed(imports::api::import_upload(empty_multipart()))
        }),
        ("import_preview", || {
            boxed(imports::api::import_preview(
                app::ids::ImportId(NOWHERE),
                None,
                None,
                None,
                None,
            ))
        }),
        ("import_start", || {
            boxed(imports::api::import_start(
                app::ids::ImportId(NOWHERE),
                Default::default(),
            ))
        }),
        ("import_status", || {
            boxed(imports::api::import_status(app::ids::ImportId(NOWHERE)))
        }),
        ("import_list", || boxed(imports::api::import_list())),
        ("import_describe", || {
            boxed(imports::api::import_describe(
                app::ids::ImportId(NOWHERE),
                String::new(),
            ))
        }),
        ("import_confirm", || {
            boxed(imports::api::import_confirm(app::ids::ImportId(NOWHERE)))
        }),
        ("import_templates", || {
            boxed(imports::api::import_templates())
        }),
        ("import_template_save", || {
            boxed(imports::api::import_template_save(
                imports::model::MappingTemplate {
                    id: NOWHERE,
                    name: String::new(),
                    columns: Vec::new(),
                },
            ))
        }),
        ("export_preview", || {
            boxed(exports::api::export_preview(String::new()))
        }),
        ("export_status", || {
            boxed(exports::api::export_status(app::ids::ExportId(NOWHERE)))
        }),
        ("contact_filter", || {
            boxed(search::api::contact_filter("stan=active".into()))
        }),
        ("saved_searches", || boxed(search::api::saved_searches())),
        ("saved_search_save", || {
            boxed(search::api::saved_search_save(
                "Warszawa".into(),
                "miasto=Warszawa".into(),
            ))
        }),
        ("saved_search_delete", || {
            boxed(search::api::saved_search_delete(NOWHERE))
        }),
        ("report_run", || {
            boxed(app::reports::api::report_run(
                "zbior=odczyty&grupuj=uzytkownik".into(),
            ))
        }),
        (
            "report_people",
            || boxed(app::reports::api::report_people()),
        ),
        (
            "reports_saved",
            || boxed(app::reports::api::reports_saved()),
        ),
        ("report_save", || {
            boxed(app::reports::api::report_save(
                "Odczyty".into(),
                "zbior=odczyty".into(),
            ))
        }),
        ("report_delete", || {
            boxed(app::reports::api::report_delete(NOWHERE))
        }),
        ("manager_counters", || {
            boxed(app::reports::api::manager_counters())
        }),
        ("register_get", || {
            boxed(app::register::api::register_get(None))
        }),
        ("register_settings_save", || {
            boxed(app::register::api::register_settings_save(
                "Zgoda sp. z o.o.".into(),
                String::new(),
                String::new(),
            ))
        }),
        ("register_purpose_save", || {
            boxed(app::register::api::register_purpose_save(
                "sprawy".into(),
                "imię i nazwisko".into(),
                "klienci".into(),
            ))
        }),
        ("register_version_save", || {
            boxed(app::register::api::register_version_save())
        }),
    ]
}

/// Runs one call with the request context a page render would have.
async fn in_process(
    state: &app::state::AppState,
    session: Option<app::auth::session::SessionInfo>,
    call: Call,
) -> Result<(), AppError> {
    use leptos::prelude::{provide_context, Owner, ScopedFuture};
    let owner = Owner::new();
    let (mut parts, ()) = http::Request::builder()
        .uri("/menedzer/audyt")
        .body(())
        .expect("request")
        .into_parts();
    parts.extensions.insert(app::auth::access::RequestContext {
        session,
        ip: "127.0.0.1".into(),
    });
    owner.with(|| {
        provide_context(state.clone());
        provide_context(parts);
        provide_context(leptos_axum::ResponseOptions::default());
    });
    let work = owner.with(call);
    ScopedFuture {
        owner: owner.clone(),
        observer: None,
        fut: work,
    }
    .await
}

fn session_of(id: i64, role: Role, must_change_password: bool) -> app::auth::session::SessionInfo {
    app::auth::session::SessionInfo {
        token_hash: format!("in-process-{id}"),
        user: app::auth::SessionUser {
            id: app::ids::UserId(id),
            login: format!("in-process-{id}"),
            display_name: "In Process".into(),
            role,
            must_change_password,
            password_changed_at: app::db::now_ms(),
            password_expires_at: None,
        },
        grant: None,
    }
}

both_backends!(in_process_calls_follow_the_same_table, |app| async move {
    let calls = in_process_calls();
    let mut covered: Vec<&str> = calls.iter().map(|(n, _)| *n).collect();
    covered.sort();
    let mut registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    registered.sort();
    assert_eq!(
        covered, registered,
        "every server function needs an in-process case here"
    );

    retired_definition(&app).await;
    let mut callers: Vec<(String, Option<app::auth::session::SessionInfo>)> =
        vec![("anonymous".into(), None)];
    for &role in Role::ALL {
        for must_change in [false, true] {
            let login = format!("inproc-{}-{must_change}", role.as_str());
            let id = app.add_user(&login, role, "Test-Password-42").await;
            callers.push((login, Some(session_of(id, role, must_change))));
        }
    }
    for (who, session) in &callers {
        let caller = session
            .as_ref()
            .map(|s| (s.user.role, s.user.must_change_password));
        for (endpoint, call) in &calls {
            let result = in_process(&app.state, session.clone(), *call).await;
            let access = endpoint_access(endpoint).expect("declared");
            match decide(access, caller) {
                Some(Refusal::NotSignedIn) => {
                    assert_eq!(result, Err(AppError::Unauthenticated), "{who} → {endpoint}")
                }
                Some(Refusal::PasswordChangeRequired) => assert_eq!(
                    result,
                    Err(AppError::PasswordChangeRequired),
                    "{who} → {endpoint}"
                ),
                Some(Refusal::WrongRole) => {
                    assert_eq!(result, Err(AppError::Forbidden), "{who} → {endpoint}")
                }
                None => assert!(
                    !matches!(
                        result,
                        Err(AppError::Unauthenticated
                            | AppError::Forbidden
                            | AppError::PasswordChangeRequired
                            | AppError::Internal)
                    ),
                    "{who} → {endpoint} should be admitted: {result:?}"
                ),
            }
        }
    }
});
