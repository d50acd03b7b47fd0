//! The dashboard: a single page at `/` with its script and stylesheet under
//! `/assets/`, all compiled into the binary from `web/` (no CDN, no build step).
//!
//! The page itself is public, like `/docs`: it holds no data. It asks for an API
//! key and calls the `/v1` API with it, so every figure it shows passes the same
//! authentication and roles as any other client. Responses carry a strict
//! Content-Security-Policy: scripts, styles and connections only from this
//! origin, no plugins, no framing by other sites. Inline styles are allowed
//! because the rendered report is shown in a sandboxed `<iframe srcdoc>`, which
//! inherits this policy and keeps its CSS inline to stay self-contained.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// The page: markup only; behaviour and style come from `/assets/`.
const INDEX_HTML: &str = include_str!("../../web/index.html");
/// The page's script (plain JavaScript, no framework).
const APP_JS: &str = include_str!("../../web/app.js");
/// The page's stylesheet.
const APP_CSS: &str = include_str!("../../web/app.css");

/// Content-Security-Policy of the dashboard's responses.
///
/// `frame-src`/`child-src` admit the `about:srcdoc` frame of a rendered report
/// (and `data:` images inside it); nothing may be loaded from another origin.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-src 'self' about: data:; \
     child-src 'self' about: data:; worker-src 'none'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// Routes of the dashboard: `GET /`, `GET /assets/app.js`, `GET /assets/app.css`
/// (and their `HEAD`). None of them needs an API key.
pub fn router() -> Router<super::AppState> {
    Router::new()
        .route("/", get(index))
        .route("/assets/app.js", get(app_js))
        .route("/assets/app.css", get(app_css))
}

/// The dashboard page.
async fn index() -> Response {
    asset("text/html; charset=utf-8", INDEX_HTML)
}

/// The dashboard's script.
async fn app_js() -> Response {
    asset("text/javascript; charset=utf-8", APP_JS)
}

/// The dashboard's stylesheet.
async fn app_css() -> Response {
    asset("text/css; charset=utf-8", APP_CSS)
}

/// An embedded file with its content type and the security headers.
///
/// `no-cache` makes browsers revalidate, so a new binary's assets are used at
/// once; the files are small.
fn asset(content_type: &'static str, body: &'static str) -> Response {
    let headers: [(HeaderName, HeaderValue); 6] = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    ];
    (headers, body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_are_self_contained() {
        for (name, text) in [
            ("index.html", INDEX_HTML),
            ("app.js", APP_JS),
            ("app.css", APP_CSS),
        ] {
            assert!(
                !text.contains("http://") && !text.contains("https://"),
                "{name} must not reference external URLs"
            );
            assert!(!text.contains("//cdn"), "{name} must not load from a CDN");
        }
        assert!(INDEX_HTML.contains(r#"src="/assets/app.js""#));
        assert!(INDEX_HTML.contains(r#"href="/assets/app.css""#));
        assert!(
            !INDEX_HTML.contains("<script>") && !INDEX_HTML.contains("style="),
            "the page has no inline script or style"
        );
    }

    #[test]
    fn the_policy_is_a_valid_header_value() {
        assert!(HeaderValue::from_str(CONTENT_SECURITY_POLICY).is_ok());
        assert!(CONTENT_SECURITY_POLICY.contains("default-src 'self'"));
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-eval"));
    }
}
