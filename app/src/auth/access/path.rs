//! Pages are decided on the path the router renders, so a request path must already be
//! in that form: `/kontakty/../menedzer/audyt` would otherwise be checked as one path
//! and rendered as another. Every route and asset of Zgoda is lower-case ASCII letters,
//! digits, `-`, `_` and `.` between single slashes; anything else is either mended
//! into that form (and the browser sent there) or refused.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathVerdict {
    Canonical,
    /// The same place in canonical form: send the client there.
    Redirect(String),
    Refuse,
}

/// Longer paths are not ours; refusing them early bounds the work below.
const MAX_PATH: usize = 512;

pub fn is_canonical(path: &str) -> bool {
    if path == "/" {
        return true;
    }
    path.len() <= MAX_PATH
        && path.starts_with('/')
        && path[1..].split('/').all(|segment| {
            !segment.is_empty()
                && segment != "."
                && segment != ".."
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
        })
}

pub fn judge(path: &str) -> PathVerdict {
    if is_canonical(path) {
        return PathVerdict::Canonical;
    }
    if path.len() > MAX_PATH || !path.starts_with('/') {
        return PathVerdict::Refuse;
    }
    // Escapes are decoded once; an escape of an escape stays a '%' and is refused below.
    let Some(decoded) = percent_decode(path) else {
        return PathVerdict::Refuse;
    };
    let mut segments: Vec<String> = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other.to_ascii_lowercase()),
        }
    }
    let mended = format!("/{}", segments.join("/"));
    if is_canonical(&mended) {
        PathVerdict::Redirect(mended)
    } else {
        PathVerdict::Refuse
    }
}

fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn redirect(to: &str) -> PathVerdict {
        PathVerdict::Redirect(to.to_string())
    }

    #[test]
    fn our_own_paths_are_canonical() {
        for p in [
            "/",
            "/kontakty",
            "/kontakty/12",
            "/menedzer/audyt",
            "/menedzer/import/7/odrzucone.csv",
            "/pkg/zgoda_bg.wasm",
            "/favicon.ico",
            "/api/contact_get",
        ] {
            assert_eq!(judge(p), PathVerdict::Canonical, "{p}");
        }
    }

    #[test]
    fn dot_segments_slashes_escapes_and_case_are_mended() {
        assert_eq!(
            judge("/kontakty/../menedzer/uzytkownicy"),
            redirect("/menedzer/uzytkownicy")
        );
        assert_eq!(
            judge("/logowanie/../menedzer/audyt"),
            redirect("/menedzer/audyt")
        );
        assert_eq!(
            judge("/zmiana-hasla/../kontakty/1"),
            redirect("/kontakty/1")
        );
        assert_eq!(
            judge("/kontakty/%2e%2e/menedzer/audyt"),
            redirect("/menedzer/audyt")
        );
        assert_eq!(
            judge("/kontakty/..%2fmenedzer%2Faudyt"),
            redirect("/menedzer/audyt")
        );
        assert_eq!(judge("//menedzer//audyt"), redirect("/menedzer/audyt"));
        assert_eq!(judge("/menedzer/audyt/"), redirect("/menedzer/audyt"));
        assert_eq!(judge("/MENEDZER/Audyt"), redirect("/menedzer/audyt"));
        assert_eq!(judge("/./menedzer/./audyt"), redirect("/menedzer/audyt"));
        assert_eq!(judge("/pkg/../menedzer/audyt"), redirect("/menedzer/audyt"));
        assert_eq!(judge("/../../.."), redirect("/"));
    }

    #[test]
    fn what_cannot_be_ours_is_refused() {
        for p in [
            "/menedzer;x/audyt",
            "/menedzer/audyt;jsessionid=1",
            "/kontakty/%252e%252e/menedzer",
            "/kontakty/%zz",
            "/kontakty/%",
            "/kontakty/%c5%81",
            "/\\evil.example",
            "/kontakty/a b",
            "menedzer",
            "",
        ] {
            assert_eq!(judge(p), PathVerdict::Refuse, "{p}");
        }
        assert_eq!(judge(&format!("/{}", "a".repeat(600))), PathVerdict::Refuse);
    }

    proptest! {
        /// Whatever arrives, the verdict never panics, and a redirect always leads to a
        /// canonical path that cannot be read as another host (`//host`).
        #[test]
        fn any_path_gets_a_sound_verdict(path in "/[a-zA-Z0-9./%;\\\\_-]{0,60}") {
            match judge(&path) {
                PathVerdict::Canonical => prop_assert!(is_canonical(&path)),
                PathVerdict::Redirect(to) => {
                    prop_assert!(is_canonical(&to));
                    prop_assert!(!to.starts_with("//"));
                    prop_assert_eq!(judge(&to), PathVerdict::Canonical);
                }
                PathVerdict::Refuse => {}
            }
        }

        #[test]
        fn arbitrary_unicode_never_panics(path in "\\PC{0,80}") {
            let _ = judge(&path);
        }
    }
}
