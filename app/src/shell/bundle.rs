//! Two browser bundles, one per part of the app.
//!
//! Consultants work on the pages outside `/menedzer`, and their bundle
//! (`zgoda-consultant`) holds only those pages: it is what a sign-in loads (issue #18,
//! docs/perf.md). The other bundle (`zgoda`) holds every page and serves the manager
//! part. The server renders every page either way and names, in the page it sends, the
//! bundle of the part the page belongs to; a link from a consultant page to the manager
//! part is followed by a full page load, which brings the whole bundle with it
//! (`ManagerPartLoader`). Whenever the consultant bundle is missing (a site built by
//! `cargo leptos`, or by an older release during an upgrade), the whole bundle serves
//! every page, so a page is never hydrated by a bundle without it.
//!
//! Why not Leptos's lazy routes (`#[lazy_route]`, `cargo leptos build --split`): in 0.8 a
//! chunk that fails to load panics the whole page, chunk names change between builds, and
//! the split needs the async hydration path of every type-erased view back (+23 % of the
//! bundle, see vendor/tachys/ZGODA-PATCH.md). Two bundles built by plain cargo have none
//! of these, and a page of one part never waits for a second download.

/// Where the manager part's pages live.
pub const MANAGER_PART: &str = "/menedzer";

/// Whether a page belongs to the manager part, so its page names the whole bundle.
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

    /// The consultant bundle's file names, written by scripts/lib/site.sh beside hash.txt
    /// (which names the whole bundle).
    const CONSULTANT_HASH_FILE: &str = "hash-consultant.txt";
    const CONSULTANT_SUFFIX: &str = "-consultant";

    /// The options `HydrationScripts` names the bundle from: the consultant bundle's for a
    /// page outside the manager part, when the site has one; otherwise the whole bundle.
    pub fn for_page(options: LeptosOptions) -> LeptosOptions {
        let consultant_page = use_context::<http::request::Parts>()
            .is_some_and(|parts| !super::is_manager_path(parts.uri.path()));
        if !consultant_page || !options.hash_files {
            return options;
        }
        let hash_file =
            std::path::Path::new(options.hash_file.as_ref()).with_file_name(CONSULTANT_HASH_FILE);
        if !hash_file.is_file() {
            return options;
        }
        let mut options = options;
        options.output_name = format!("{}{CONSULTANT_SUFFIX}", options.output_name).into();
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
    /// with the whole bundle. Rendered while the page hydrates, this bundle came with a
    /// manager page, which the server never sends it with (`for_page`): it says so instead
    /// of loading the page again and again.
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
            // page it leads to is built, after this: the load waits a turn and takes that
            // entry's place when it is there. (Seen in Chromium: it is often not there
            // yet, and the history then holds the address twice; "back" still returns to
            // the page the link was on. Intercepting such clicks before the router is the
            // cleaner way, left for the next step of issue #18.)
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
    fn a_consultant_page_names_the_consultant_bundle_when_the_site_has_one() {
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

        // A site with one bundle (cargo leptos, an older release) serves it everywhere.
        assert_eq!(&*page("/kontakty/7").output_name, "zgoda");

        std::fs::write(site.path().join("hash-consultant.txt"), "js: 3\nwasm: 4\n").unwrap();
        let consultant = page("/kontakty/7");
        assert_eq!(&*consultant.output_name, "zgoda-consultant");
        assert!(consultant.hash_file.ends_with("hash-consultant.txt"));
        for path in ["/menedzer", "/menedzer/import/3"] {
            let manager = page(path);
            assert_eq!(&*manager.output_name, "zgoda");
            assert_eq!(&*manager.hash_file, &*options.hash_file);
        }
    }
}
