//! Two browser bundles, one per part of the app.
//!
//! Consultants work on the pages outside `/menedzer`, and their bundle holds only those
//! pages: it is what every sign-in loads, under the 400 KB budget (docs/perf.md). The
//! manager part's bundle holds every page. The server renders every page either way and
//! names, in the page it sends, the bundle of the part the page belongs to; a link from
//! a consultant page to the manager part is followed by a full page load, which brings
//! the manager bundle with it (`ManagerPartLoader`).
//!
//! Why not Leptos's lazy routes (`#[lazy_route]`, `cargo leptos build --split`): in 0.8 a
//! chunk that fails to load panics the whole page, chunk names change between builds, and
//! the split needs the async hydration path of every type-erased view back (+23 % of the
//! bundle, see vendor/tachys/ZGODA-PATCH.md). Two bundles built by plain cargo have none
//! of these, and a page of one part never waits for a second download.

/// Where the manager part's pages live.
pub const MANAGER_PART: &str = "/menedzer";

/// Whether a page belongs to the manager part, so its page names the manager bundle.
/// The consultant bundle's router sends exactly these paths to `ManagerPartLoader`.
pub fn is_manager_path(path: &str) -> bool {
    path.strip_prefix(MANAGER_PART)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(feature = "ssr")]
pub use server::for_page;

#[cfg(feature = "ssr")]
mod server {
    use leptos::config::LeptosOptions;
    use leptos::prelude::use_context;

    /// The manager bundle's file names, written by scripts/lib/site.sh beside hash.txt.
    const MANAGER_HASH_FILE: &str = "hash-manager.txt";
    const MANAGER_SUFFIX: &str = "-manager";

    /// The options `HydrationScripts` names the bundle from: the manager bundle's for a
    /// page of the manager part, when the site has one. A site with one bundle (built by
    /// `cargo leptos`, which builds the crate with the manager part) serves it everywhere.
    pub fn for_page(options: LeptosOptions) -> LeptosOptions {
        let manager_page = use_context::<http::request::Parts>()
            .is_some_and(|parts| super::is_manager_path(parts.uri.path()));
        if !manager_page || !options.hash_files {
            return options;
        }
        let hash_file =
            std::path::Path::new(options.hash_file.as_ref()).with_file_name(MANAGER_HASH_FILE);
        if !hash_file.is_file() {
            return options;
        }
        let mut options = options;
        options.output_name = format!("{}{MANAGER_SUFFIX}", options.output_name).into();
        options.hash_file = hash_file.display().to_string().into();
        options
    }
}

#[cfg(all(feature = "hydrate", not(feature = "manager")))]
pub use loader::ManagerPartLoader;

#[cfg(all(feature = "hydrate", not(feature = "manager")))]
mod loader {
    use leptos::prelude::*;

    use super::load;
    use crate::i18n::{t, Msg};

    /// Stands for every page of the manager part in the consultant bundle. Reached by a
    /// link followed in the browser, it loads the page from the server, which sends it
    /// with the manager bundle. Rendered while the page hydrates, the server sent this
    /// bundle with a manager page (a site with one bundle missing): it says so instead of
    /// loading the page again and again.
    #[component]
    pub fn ManagerPartLoader() -> impl IntoView {
        let hydrating = Owner::current_shared_context().is_some_and(|sc| sc.during_hydration());
        if !hydrating {
            let location = leptos_router::hooks::use_location();
            let mut target = location.pathname.get_untracked();
            let search = location.search.get_untracked();
            if !search.is_empty() {
                target.push('?');
                target.push_str(&search);
            }
            let hash = location.hash.get_untracked();
            if !hash.is_empty() && !hash.starts_with('#') {
                target.push('#');
            }
            target.push_str(&hash);
            // The router puts a followed link's address into the history only once the
            // page it leads to is built, after this: the load waits for that, then takes
            // that history entry's place, so "back" returns to the page the link was on.
            set_timeout(move || load(&target), std::time::Duration::ZERO);
        }
        view! {
            <main class="auth-page">
                <section class="card">
                    <p role="status">{t(if hydrating { Msg::ManagerPartUnavailable } else { Msg::ManagerPartLoading })}</p>
                    <p><a href="/" rel="external">{t(Msg::NotFoundBack)}</a></p>
                </section>
            </main>
        }
    }
}

#[cfg(all(feature = "hydrate", not(feature = "manager")))]
fn load(target: &str) {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return;
    };
    let here = format!(
        "{}{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default(),
        location.hash().unwrap_or_default()
    );
    let _ = if here == target {
        location.replace(target)
    } else {
        location.assign(target)
    };
}

#[cfg(test)]
mod tests {
    use super::is_manager_path;

    #[test]
    fn the_manager_part_is_its_prefix_and_what_is_under_it() {
        for path in [
            "/menedzer",
            "/menedzer/",
            "/menedzer/import/7",
            "/menedzer/szukaj/eksport",
        ] {
            assert!(is_manager_path(path), "{path}");
        }
        for path in [
            "/",
            "/kontakty/3",
            "/menedzerowie",
            "/logowanie",
            "/x/menedzer",
        ] {
            assert!(!is_manager_path(path), "{path}");
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_manager_page_names_the_manager_bundle_when_the_site_has_one() {
        use leptos::prelude::{provide_context, Owner};

        let site = tempfile::tempdir().unwrap();
        let hashes = site.path().join("hash.txt");
        std::fs::write(&hashes, "js: 1\nwasm: 2\n").unwrap();
        let options = leptos::config::LeptosOptions::builder()
            .output_name("zgoda")
            .hash_files(true)
            .hash_file(hashes.display().to_string().into())
            .build();
        let page = |path: &str| {
            let owner = Owner::new();
            owner.with(|| {
                let (parts, _) = http::Request::get(path).body(()).unwrap().into_parts();
                provide_context(parts);
                super::for_page(options.clone())
            })
        };

        // A site with one bundle (cargo leptos) serves it everywhere.
        assert_eq!(&*page("/menedzer/import").output_name, "zgoda");

        std::fs::write(site.path().join("hash-manager.txt"), "js: 3\nwasm: 4\n").unwrap();
        let manager = page("/menedzer/import");
        assert_eq!(&*manager.output_name, "zgoda-manager");
        assert!(manager.hash_file.ends_with("hash-manager.txt"));
        let consultant = page("/kontakty/7");
        assert_eq!(&*consultant.output_name, "zgoda");
        assert_eq!(&*consultant.hash_file, &*options.hash_file);
    }
}
