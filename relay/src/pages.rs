//! The pages phones open, a friend's live view and the take-home page: in the language the
//! phone asks for (`Accept-Language`, see `i18n::pages`) and in the chain's brand (`[theme]`: its
//! accent and logo, the same section as the kiosk's). Every language's page is rendered once at
//! start; a logo that cannot be read leaves the pages without one and says why in the log.

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use i18n::{Language, Strings, pages::LocalizedPage};
use protocol::config::{ThemeSection, ink_on, parse_hex_colour};

const VIEWER: &str = include_str!("viewer.html");
const TAKE_HOME: &str = include_str!("takehome.html");

/// The built-in accents: amber on the viewer's dark page, a deeper amber on the take-home's
/// light one. Text on either takes black or white, whichever reads better (`ink_on`).
const VIEWER_ACCENT: [u8; 3] = [0xee, 0xa8, 0x59];
const TAKE_HOME_ACCENT: [u8; 3] = [0xb8, 0x65, 0x1b];

/// Which page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Viewer,
    TakeHome,
}

/// A logo to serve at `/brand/logo`.
#[derive(Debug)]
struct Logo {
    content_type: &'static str,
    bytes: Vec<u8>,
}

/// Every page in every language, rendered.
#[derive(Debug)]
pub struct Pages {
    viewer: LocalizedPage,
    take_home: LocalizedPage,
    logo: Option<Logo>,
}

fn css([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn read_logo(path: &str) -> Option<Logo> {
    if path.is_empty() {
        return None;
    }
    let content_type = if path.to_ascii_lowercase().ends_with(".svg") { "image/svg+xml" } else { "image/png" };
    match std::fs::read(path) {
        Ok(bytes) => Some(Logo { content_type, bytes }),
        Err(e) => {
            tracing::warn!("theme.logo: cannot read {path}: {e}; the pages show no logo");
            None
        }
    }
}

impl Pages {
    pub fn new(theme: &ThemeSection) -> Result<Self, i18n::LoadError> {
        let strings = Strings::load()?;
        let logo = read_logo(&theme.logo);
        let brand = parse_hex_colour(&theme.accent);
        let logo_tag = if logo.is_some() { r#"<img class="logo" src="/brand/logo" alt="">"# } else { "" };
        let render = |template: &str, prefix: &str, default_accent: [u8; 3]| {
            let accent = brand.unwrap_or(default_accent);
            LocalizedPage::new(&strings, prefix, template, |page| {
                page.replace("{{accent}}", &css(accent))
                    .replace("{{on-accent}}", &css(ink_on(accent)))
                    .replace("{{logo}}", logo_tag)
            })
        };
        Ok(Self {
            viewer: render(VIEWER, "viewer-", VIEWER_ACCENT),
            take_home: render(TAKE_HOME, "home-", TAKE_HOME_ACCENT),
            logo,
        })
    }

    /// `page` in the language `headers` ask for (English when none of ours), with that language.
    pub fn render(&self, page: Page, headers: &HeaderMap) -> (Language, &str) {
        let asked = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        match page {
            Page::Viewer => self.viewer.for_accept_language(asked),
            Page::TakeHome => self.take_home.for_accept_language(asked),
        }
    }

    /// The headers every page answers with besides its own: its language, and that it varies
    /// with the phone's.
    pub fn language_headers(language: Language) -> [(header::HeaderName, HeaderValue); 2] {
        [
            (header::CONTENT_LANGUAGE, HeaderValue::from_static(language.tag())),
            (header::VARY, HeaderValue::from_static("accept-language")),
        ]
    }

    /// `GET /brand/logo`.
    pub fn logo(&self) -> Response {
        match &self.logo {
            Some(logo) => (
                [
                    (header::CONTENT_TYPE, logo.content_type),
                    (header::CACHE_CONTROL, "public, max-age=3600"),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                    // An SVG opened on its own runs no script and loads nothing.
                    (header::CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'"),
                ],
                logo.bytes.clone(),
            )
                .into_response(),
            None => (StatusCode::NOT_FOUND, "no logo").into_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asking(language: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers
            .insert(header::ACCEPT_LANGUAGE, HeaderValue::from_str(language).unwrap_or(HeaderValue::from_static("")));
        headers
    }

    #[test]
    fn each_page_comes_in_the_phone_s_language_with_no_mark_left() {
        let pages = Pages::new(&ThemeSection::default()).unwrap_or_else(|e| panic!("{e}"));
        for page in [Page::Viewer, Page::TakeHome] {
            for language in Language::ALL {
                let (served, html) = pages.render(page, &asking(&format!("{}, en;q=0.5", language.tag())));
                assert_eq!(served, language);
                let dir = if language.is_rtl() { "rtl" } else { "ltr" };
                assert!(
                    html.contains(&format!("<html lang=\"{}\" dir=\"{dir}\">", language.tag())),
                    "{page:?} {language}"
                );
                assert!(!html.contains("{{"), "{page:?} {language}: a mark is left");
            }
        }
        let (_, japanese) = pages.render(Page::Viewer, &asking("ja-JP,ja;q=0.9"));
        assert!(japanese.contains("<title>ライブのルック</title>"));
        let (fallback, _) = pages.render(Page::TakeHome, &asking("fi-FI, sv;q=0.8"));
        assert_eq!(fallback, Language::En);
    }

    #[test]
    fn the_chain_s_accent_and_logo_go_on_both_pages() {
        let built_in = Pages::new(&ThemeSection::default()).unwrap_or_else(|e| panic!("{e}"));
        let (_, viewer) = built_in.render(Page::Viewer, &HeaderMap::new());
        assert!(viewer.contains("--accent: #eea859; --on-accent: #000000;") && !viewer.contains("class=\"logo\""));
        let dir = std::env::temp_dir().join(format!("relay-logo-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let logo = dir.join("logo.svg");
        let _ = std::fs::write(&logo, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        let theme = ThemeSection { accent: "#3b4f9a".into(), logo: logo.display().to_string(), ..Default::default() };
        let branded = Pages::new(&theme).unwrap_or_else(|e| panic!("{e}"));
        for page in [Page::Viewer, Page::TakeHome] {
            let (_, html) = branded.render(page, &HeaderMap::new());
            assert!(html.contains("--accent: #3b4f9a; --on-accent: #ffffff;"), "{page:?}");
            assert!(html.contains(r#"<img class="logo" src="/brand/logo" alt="">"#), "{page:?}");
        }
        let served = branded.logo();
        assert_eq!(served.headers().get(header::CONTENT_TYPE).map(|v| v.as_bytes()), Some(&b"image/svg+xml"[..]));
        let _ = std::fs::remove_dir_all(&dir);
        let missing = ThemeSection { logo: "/nonexistent/logo.png".into(), ..Default::default() };
        let without = Pages::new(&missing).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(without.logo().status(), StatusCode::NOT_FOUND);
    }
}
