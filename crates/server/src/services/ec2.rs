//! Amazon EC2's query protocol (`Action=DescribeRegions&Version=2016-11-15`)
//! for the one operation served: `DescribeRegions`. EC2 names list members
//! `RegionName.N` and `Filter.N.Name` / `Filter.N.Value.M` (no `.member.`),
//! answers `<DescribeRegionsResponse>` with a `requestId` and no `Result`
//! wrapper, and fails with `<Response><Errors><Error>…</Error></Errors>
//! <RequestID>…</RequestID></Response>`.
//!
//! Not dispatched yet (issue 13 brings the EC2 query protocol). To plug in:
//! for SigV4 service `ec2`, decode the form (body and query) into
//! [`Params`], check `Version=2016-11-15`, call [`call`] with `Action`,
//! answer 200 `text/xml;charset=UTF-8` with [`success`], or the error's
//! status with [`error_body`]; record the call (event source
//! `ec2.amazonaws.com`, the endpoint's region); then mark `DescribeRegions`
//! implemented in `models/extra/ec2.txt`.

use rootward_core::CoreError;
use rootward_core::ec2::{self, DescribeRegions};

use crate::error::{ApiError, from_core};
use crate::protocol::query::Params;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

/// The namespace of EC2's answers.
pub const NS: &str = "http://ec2.amazonaws.com/doc/2016-11-15/";

/// The API version EC2's query requests carry.
pub const VERSION: &str = "2016-11-15";

/// A domain failure in EC2's words (`UnauthorizedOperation` for a refusal).
pub fn error(e: CoreError) -> ApiError {
    match from_core(e) {
        a if a.code == "AccessDenied" => ApiError::new(
            "UnauthorizedOperation",
            403,
            format!(
                "You are not authorized to perform this operation. {}",
                a.message
            ),
        ),
        a => a,
    }
}

/// `Name.1`, `Name.2`, … up to the first gap.
fn list<'a>(p: &'a Params, name: &str) -> Vec<&'a str> {
    (1..).map_while(|i| p.get(&format!("{name}.{i}"))).collect()
}

fn boolean(p: &Params, name: &str) -> Result<bool, ApiError> {
    match p.get(name) {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(v) => Err(ApiError::new(
            "InvalidParameterValue",
            400,
            format!("Value ({v}) for parameter {name} is invalid. Expected: 'true' or 'false'."),
        )),
    }
}

/// Runs an EC2 operation: the children of `<{Op}Response>` after its
/// `requestId`.
pub fn call(op: &str, ctx: &Ctx<'_>, params: &Params) -> Result<Xml, ApiError> {
    match op {
        "DescribeRegions" => describe_regions(ctx, params),
        other => Err(ApiError::new(
            "InvalidAction",
            400,
            format!("The action {other} is not valid for this web service."),
        )),
    }
}

fn describe_regions(ctx: &Ctx<'_>, p: &Params) -> Result<Xml, ApiError> {
    let filters = (1..)
        .map_while(|i| {
            p.get(&format!("Filter.{i}.Name")).map(|name| {
                let values = list(p, &format!("Filter.{i}.Value"))
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                (name.to_owned(), values)
            })
        })
        .collect();
    let input = DescribeRegions {
        region_names: list(p, "RegionName")
            .into_iter()
            .map(str::to_owned)
            .collect(),
        all_regions: boolean(p, "AllRegions")?,
        filters,
        dry_run: boolean(p, "DryRun")?,
    };
    let regions = ec2::describe_regions(ctx.svc, ctx.caller, &input).map_err(error)?;
    let mut x = Xml::new();
    x.open("regionInfo");
    for r in &regions {
        x.open("item")
            .elem("regionName", r.name)
            .elem("regionEndpoint", &r.endpoint)
            .elem("optInStatus", r.opt_in_status)
            .close("item");
    }
    x.close("regionInfo");
    Ok(x)
}

/// `<{Op}Response xmlns=…><requestId>…</requestId>…</{Op}Response>`.
pub fn success(op: &str, request_id: &str, inner: Xml) -> String {
    let mut x = Xml::new();
    let root = format!("{op}Response");
    x.open_ns(&root, NS)
        .elem("requestId", request_id)
        .raw(&inner.finish())
        .close(&root);
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}", x.finish())
}

/// EC2's error document.
pub fn error_body(e: &ApiError, request_id: &str) -> String {
    let mut x = Xml::new();
    x.open("Response")
        .open("Errors")
        .open("Error")
        .elem("Code", &e.code)
        .elem("Message", &e.message)
        .close("Error")
        .close("Errors")
        .elem("RequestID", request_id)
        .close("Response");
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}", x.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A service on a temporary store, with its bootstrap account's root.
    fn service() -> (
        tempfile::TempDir,
        rootward_core::Service,
        rootward_core::authz::Caller,
    ) {
        use std::sync::Arc;
        let dir = tempfile::tempdir().unwrap();
        let store =
            rootward_core::store::sqlite::SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let keys = rootward_core::keys::Keys::new(
            &rootward_core::keys::MasterKey::read_or_create(&dir.path().join("k")).unwrap(),
            None,
        );
        let svc = rootward_core::Service::open(
            Box::new(store),
            Arc::new(rootward_core::clock::SystemClock::default()),
            keys,
        )
        .unwrap();
        let b = rootward_core::bootstrap::bootstrap(&svc, Some("111111111111"), None, None)
            .unwrap()
            .unwrap();
        let caller = svc.credential(&b.access_key_id, None).unwrap().caller;
        (dir, svc, caller)
    }

    #[test]
    fn describe_regions_reads_ec2_lists_and_filters() {
        #![allow(clippy::unwrap_used)]
        let (_dir, svc, caller) = service();
        let ctx = Ctx::new(&svc, &caller, false);
        let xml =
            |q: &str| call("DescribeRegions", &ctx, &Params::parse(q.as_bytes())).map(Xml::finish);
        let all = xml("AllRegions=true").unwrap();
        assert_eq!(all.matches("<item>").count(), 34);
        assert!(all.contains("<item><regionName>af-south-1</regionName><regionEndpoint>ec2.af-south-1.amazonaws.com</regionEndpoint><optInStatus>not-opted-in</optInStatus></item>"));
        assert_eq!(xml("").unwrap().matches("<item>").count(), 17);
        let named = xml("RegionName.1=eu-west-1&RegionName.2=us-east-1").unwrap();
        assert_eq!(named.matches("<item>").count(), 2);
        let filtered = xml("Filter.1.Name=region-name&Filter.1.Value.1=us-*&Filter.2.Name=opt-in-status&Filter.2.Value.1=opt-in-not-required").unwrap();
        assert_eq!(filtered.matches("<item>").count(), 4);
        let e = xml("Filter.1.Name=colour&Filter.1.Value.1=red").unwrap_err();
        assert_eq!((e.code.as_str(), e.status), ("InvalidParameterValue", 400));
        let e = xml("DryRun=true").unwrap_err();
        assert_eq!((e.code.as_str(), e.status), ("DryRunOperation", 412));
        let e = xml("AllRegions=maybe").unwrap_err();
        assert_eq!(e.code, "InvalidParameterValue");
    }

    #[test]
    fn envelopes_are_ec2_shaped() {
        let mut inner = Xml::new();
        inner.open("regionInfo").close("regionInfo");
        assert_eq!(
            success("DescribeRegions", "r-1", inner),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeRegionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r-1</requestId><regionInfo></regionInfo></DescribeRegionsResponse>"
        );
        let e = ApiError::new("UnauthorizedOperation", 403, "no & no");
        assert_eq!(
            error_body(&e, "r-2"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>no &amp; no</Message></Error></Errors><RequestID>r-2</RequestID></Response>"
        );
    }

    #[test]
    fn list_members_are_numbered_without_member() {
        let p = Params::parse(b"RegionName.1=us-east-1&RegionName.2=eu-west-1&RegionName.4=x");
        assert_eq!(list(&p, "RegionName"), ["us-east-1", "eu-west-1"]);
    }
}
