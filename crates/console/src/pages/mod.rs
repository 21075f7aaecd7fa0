//! The pages: one module per page, one layout, the static assets.

pub mod accounts;
pub mod actions;
pub mod activity;
pub mod detail;
pub mod overview;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};
use rootward_operator::Failure;
use rootward_operator::audit::Class;

use crate::security::{Ctx, Flash};

/// The stylesheet.
const CSS: &str = include_str!("../../assets/console.css");
/// The one script: the audit's progress.
const JS: &str = include_str!("../../assets/console.js");

/// `GET /assets/{name}`.
pub async fn asset(Path(name): Path<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "console.css" => (CSS, "text/css; charset=utf-8"),
        "console.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return not_found().await,
    };
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=300"),
    );
    r
}

/// Anything else: 404.
pub async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        bare("Not found", "There is no such page in the console."),
    )
        .into_response()
}

/// The pairs of a query string.
pub fn query(q: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(q.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The first non-empty value of `name` in a query.
pub fn param<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// Which section of the navigation is current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Overview.
    Overview,
    /// Accounts and account pages.
    Accounts,
    /// Activity.
    Activity,
    /// None (results, confirmations of several accounts).
    None,
}

/// A page without navigation (sign-in, refusals).
pub fn bare(title: &str, text: &str) -> Html<String> {
    bare_with_link(title, text, None)
}

/// [`bare`] with a link (`href`, label) under the text.
pub fn bare_with_link(title: &str, text: &str, link: Option<(&str, &str)>) -> Html<String> {
    Html(
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " · Rootward console" }
                    link rel="stylesheet" href="/assets/console.css";
                }
                body {
                    main id="main" class="narrow" {
                        h1 { (title) }
                        p { (text) }
                        @if let Some((href, label)) = link { p { a href=(href) { (label) } } }
                    }
                }
            }
        }
        .into_string(),
    )
}

/// A page of the console: navigation, the session's messages, `body`.
pub fn layout(
    title: &str,
    section: Section,
    ctx: &Ctx,
    caller: &str,
    body: Markup,
    script: bool,
) -> Html<String> {
    let nav = [
        (Section::Overview, "/", "Overview"),
        (Section::Accounts, "/accounts", "Accounts"),
        (Section::Activity, "/activity", "Activity"),
    ];
    Html(
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " · Rootward console" }
                    link rel="stylesheet" href="/assets/console.css";
                    @if script { script src="/assets/console.js" defer {} }
                }
                body {
                    a class="skip" href="#main" { "Skip to content" }
                    header class="top" {
                        span class="brand" { "Rootward" }
                        nav aria-label="Sections" {
                            ul {
                                @for (s, href, label) in nav {
                                    li {
                                        @if s == section {
                                            a href=(href) aria-current="page" { (label) }
                                        } @else {
                                            a href=(href) { (label) }
                                        }
                                    }
                                }
                            }
                        }
                        div class="who" {
                            span class="caller" title="Signed in with these AWS credentials" { (caller) }
                            form method="post" action="/signout" {
                                input type="hidden" name="csrf" value=(ctx.csrf);
                                button type="submit" class="link" { "Sign out" }
                            }
                        }
                    }
                    main id="main" {
                        @for f in &ctx.flash {
                            @match f {
                                Flash::Info(m) => div class="flash info" role="status" { (m) },
                                Flash::Error(m) => div class="flash error" role="alert" { (m) },
                            }
                        }
                        (body)
                    }
                }
            }
        }
        .into_string(),
    )
}

/// A class as a badge.
pub fn class_badge(class: Class) -> Markup {
    html! { span class={"badge " (class.name())} { (class.name()) } }
}

/// A failure: the AWS error code and message.
pub fn failure(f: &Failure) -> Markup {
    html! {
        span class="failure" { code { (f.code) } ": " (f.message) }
    }
}

/// The hidden CSRF field of a form.
pub fn csrf(ctx: &Ctx) -> Markup {
    html! { input type="hidden" name="csrf" value=(ctx.csrf); }
}

/// Results of actions, shown once by `/results/{id}` to the session that
/// ran them (the 100 most recent are kept).
#[derive(Debug, Default)]
pub struct Results {
    kept: Mutex<HashMap<String, Stored>>,
}

#[derive(Debug)]
struct Stored {
    session: String,
    at: Instant,
    title: String,
    body: String,
}

impl Results {
    /// Keeps a result page's body; its id.
    pub fn keep(&self, session: &str, title: &str, body: Markup) -> String {
        let id = format!("{:016x}", rand::random::<u64>());
        if let Ok(mut k) = self.kept.lock() {
            if k.len() >= 100
                && let Some(oldest) = k.iter().min_by_key(|(_, s)| s.at).map(|(id, _)| id.clone())
            {
                k.remove(&oldest);
            }
            k.insert(
                id.clone(),
                Stored {
                    session: session.to_owned(),
                    at: Instant::now(),
                    title: title.to_owned(),
                    body: body.into_string(),
                },
            );
        }
        id
    }

    /// The title and body of a result of this session.
    pub fn get(&self, session: &str, id: &str) -> Option<(String, String)> {
        let k = self.kept.lock().ok()?;
        k.get(id)
            .filter(|s| s.session == session)
            .map(|s| (s.title.clone(), s.body.clone()))
    }
}

/// A 303 to `to`.
pub fn see_other(to: &str) -> Response {
    let mut r = axum::response::Redirect::to(to).into_response();
    *r.status_mut() = StatusCode::SEE_OTHER;
    r
}

/// A 12-digit id.
pub fn is_account_id(s: &str) -> bool {
    rootward_operator::select::account_id(s).is_ok()
}
