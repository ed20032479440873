//! Every registered server function, called by anonymous, consultant, manager and
//! administrator, must answer exactly as the access table declares. A new endpoint that
//! is missing from the table fails here (and is refused at run time).

mod common;

use app::auth::access::{decide, endpoint_access, Refusal};
use app::auth::Role;
use reqwest::StatusCode;

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
