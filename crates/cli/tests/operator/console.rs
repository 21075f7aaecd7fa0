//! `rootward console` as a process over `serve --demo`, driven with raw
//! HTTP (the browser walk is `scenarios/console.sh`): the one-time sign-in
//! link, the cookie's flags, the Host check, CSRF, the security headers, the
//! export against `rootward audit --all --output json`, and a deletion that
//! the CLI then sees.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::Stdio;

use crate::fixture::{Endpoint, by_account};

struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
}

fn http(addr: &str, method: &str, path: &str, host: &str, cookie: &str, body: &str) -> Answer {
    let mut conn = std::net::TcpStream::connect(addr).unwrap();
    write!(
        conn,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    conn.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    Answer {
        status: head.split_whitespace().nth(1).unwrap().parse().unwrap(),
        head: head.to_owned(),
        body: body.to_owned(),
    }
}

#[test]
fn the_console_guards_its_door_and_shows_what_the_cli_shows() {
    let (ep, demo) = Endpoint::demo();
    let mut console = ep
        .command(
            &demo.operator,
            &["console", "--listen", "127.0.0.1:0", "--backup-dir"],
        )
        .arg(ep.dir.path().join("backups"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(console.stdout.take().unwrap());
    let mut printed = String::new();
    let link = loop {
        let mut line = String::new();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "console exited: {printed}"
        );
        printed.push_str(&line);
        if let Some(i) = line.find("http://")
            && line.contains("/signin?token=")
        {
            break line[i..].trim_end().to_owned();
        }
    };
    let rest = link.strip_prefix("http://").unwrap();
    // The link names the console's own host, `rw-<random>.localhost:PORT`
    // (browsers resolve it to loopback; the resolver here may not): connect
    // to 127.0.0.1 and send that Host.
    let (home, signin_path) = rest.split_at(rest.find('/').unwrap());
    let (name, port) = home.rsplit_once(':').unwrap();
    assert!(
        name.starts_with("rw-") && name.ends_with(".localhost"),
        "{link}"
    );
    let loopback = format!("127.0.0.1:{port}");
    let addr = loopback.as_str();
    let host = home;
    let get = |path: &str, cookie: &str| http(addr, "GET", path, host, cookie, "");

    // No session: a page that says where the link is; a wrong token: refused.
    let a = get("/accounts", "");
    assert_eq!(a.status, 401);
    assert!(a.body.contains("sign-in link"), "{}", a.body);
    assert_eq!(get("/signin?token=00", "").status, 403);

    // The link: once, for an HttpOnly, SameSite=Strict cookie.
    let a = get(signin_path, "");
    assert_eq!(a.status, 303, "{}", a.body);
    let set_cookie = a.header("set-cookie").unwrap();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"),
        "{set_cookie}"
    );
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    assert_eq!(get(signin_path, "").status, 403, "the link works once");

    // A foreign Host is refused even with the session (DNS rebinding).
    let a = http(addr, "GET", "/", "rebind.example:80", &cookie, "");
    assert_eq!(a.status, 403);
    assert!(a.body.contains("Host not allowed"));
    // The plain loopback names are sent to the console's own name, with
    // nothing else: no session, no cookie is ever made for 127.0.0.1 (a
    // cookie there would go to every web service on 127.0.0.1).
    for plain in [addr.to_owned(), format!("localhost:{port}")] {
        let a = http(addr, "GET", "/accounts?x=1", &plain, &cookie, "");
        assert_eq!(a.status, 307, "{plain}: {}", a.body);
        assert_eq!(
            a.header("location").as_deref(),
            Some(format!("http://{host}/accounts?x=1").as_str())
        );
        assert!(a.header("set-cookie").is_none());
    }
    // A page of another site (another local port is another site now)
    // cannot make the console start root sessions: the browser marks it.
    let mut conn = std::net::TcpStream::connect(addr).unwrap();
    write!(
        conn,
        "GET /accounts/{} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\nSec-Fetch-Site: same-site\r\nConnection: close\r\n\r\n",
        demo.data
    )
    .unwrap();
    let mut raw = String::new();
    conn.read_to_string(&mut raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 403"), "{raw}");
    // Two Host headers: 400.
    let mut conn = std::net::TcpStream::connect(addr).unwrap();
    write!(
        conn,
        "GET / HTTP/1.1\r\nHost: {host}\r\nHost: evil.example\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    conn.read_to_string(&mut raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 400"), "{raw}");

    // The overview, with the security headers.
    let a = get("/", &cookie);
    assert_eq!(a.status, 200);
    assert!(
        a.body.contains("Centralized root access is on"),
        "{}",
        a.body
    );
    let csp = a.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert_eq!(a.header("x-frame-options").as_deref(), Some("DENY"));
    assert_eq!(a.header("cache-control").as_deref(), Some("no-store"));
    let csrf = a
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();

    // The export is `rootward audit --all --output json`.
    let export: serde_json::Value =
        serde_json::from_str(&get("/accounts/export.json", &cookie).body).unwrap();
    let cli = ep
        .run_as(&demo.operator, &["audit", "--all", "--output", "json"])
        .json();
    let classes = |v: &serde_json::Value| {
        let mut m: Vec<(String, String)> = v["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["account_id"].as_str().unwrap().to_owned(),
                    r["class"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        m.sort();
        m
    };
    assert_eq!(classes(&export), classes(&cli));
    assert_eq!(export["summary"], cli["summary"]);
    let csv = get("/accounts/export.csv", &cookie).body;
    assert!(
        csv.starts_with("account,name,class,password,mfa,access_keys,certificates,error\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 6);
    let cli_csv = ep.run_as(&demo.operator, &["audit", "--all", "--output", "csv"]);
    assert_eq!(
        csv, cli_csv.stdout,
        "the export is `audit --all --output csv`, line for line"
    );

    // POSTs need the token.
    assert_eq!(http(addr, "POST", "/audit", host, &cookie, "").status, 403);
    assert_eq!(
        http(addr, "POST", "/audit", host, &cookie, "csrf=bad").status,
        403
    );
    let a = http(
        addr,
        "POST",
        "/delete",
        host,
        &cookie,
        &format!("account={}", demo.payments),
    );
    assert_eq!(a.status, 403, "no token, nothing deleted");
    assert_eq!(
        by_account(
            &ep.run_as(
                &demo.operator,
                &["audit", "--account", &demo.payments, "--output", "json"]
            )
            .json(),
            &demo.payments
        )["class"],
        "access-keys-present"
    );

    // With the token: the deletion, its result page, and the CLI agrees.
    let a = http(
        addr,
        "POST",
        "/delete",
        host,
        &cookie,
        &format!("csrf={csrf}&account={}", demo.payments),
    );
    assert_eq!(a.status, 303, "{}", a.body);
    let result = get(&a.header("location").unwrap(), &cookie);
    assert_eq!(result.status, 200);
    assert!(
        result
            .body
            .contains("<td class=\"after\">no-root-credentials</td>"),
        "{}",
        result.body
    );
    assert_eq!(
        by_account(
            &ep.run_as(
                &demo.operator,
                &["audit", "--account", &demo.payments, "--output", "json"]
            )
            .json(),
            &demo.payments
        )["class"],
        "no-root-credentials"
    );
    // The management account is never a target.
    assert_eq!(get("/accounts/111111111111", &cookie).status, 404);

    // An Origin of the console passes; https is for --allow-host names only.
    let post_with_origin = |origin: &str| {
        let mut conn = std::net::TcpStream::connect(addr).unwrap();
        let body = format!("csrf={csrf}");
        write!(
            conn,
            "POST /audit HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\nOrigin: {origin}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut raw = String::new();
        conn.read_to_string(&mut raw).unwrap();
        raw.split_whitespace().nth(1).unwrap().to_owned()
    };
    assert_eq!(post_with_origin(&format!("http://{host}")), "303");
    assert_eq!(post_with_origin(&format!("https://{host}")), "403");
    assert_eq!(post_with_origin(&format!("http://127.0.0.1:{port}")), "403");

    // A reason longer than the form allows is refused on the server, and
    // nothing is done or recorded.
    let long = "x".repeat(501);
    let a = http(
        addr,
        "POST",
        &format!("/accounts/{}/allow-recovery", demo.data),
        host,
        &cookie,
        &format!("csrf={csrf}&reason={long}"),
    );
    assert_eq!(a.status, 303, "{}", a.body);
    let result = get(&a.header("location").unwrap(), &cookie);
    assert!(
        result.body.contains("Nothing was done") && result.body.contains("at most 500"),
        "{}",
        result.body
    );
    assert!(
        !std::fs::read_to_string(ep.ledger())
            .unwrap_or_default()
            .contains(demo.data.as_str()),
        "nothing recorded"
    );

    // A queue URL naming another host than the console's SQS endpoint.
    let a = get(
        &format!(
            "/accounts/{}/unlock-queue?queue_url=https%3A%2F%2Fevil.example%2F{}%2Fq",
            demo.payments, demo.payments
        ),
        &cookie,
    );
    assert_eq!(a.status, 303, "{}", a.body);
    let page = get(&a.header("location").unwrap(), &cookie);
    assert!(
        page.body
            .contains("https://evil.example, but the calls go to"),
        "{}",
        page.body
    );

    // An unknown Activity task is an error, not every task.
    let a = get("/activity?task=bogus", &cookie);
    assert_eq!(a.status, 200);
    assert!(a.body.contains("unknown task `bogus`"), "{}", a.body);

    console.kill().unwrap();
    console.wait().unwrap();
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    printed.push_str(&rest);
    assert!(
        !printed.contains("ASIA"),
        "no session credentials printed: {printed}"
    );
}
