//! Amazon EC2's query protocol (`Action=DescribeRegions&Version=2016-11-15`)
//! for the one operation served: `DescribeRegions`. EC2 names list members
//! `RegionName.N` and `Filter.N.Name` / `Filter.N.Value.M` (no `.member.`),
//! answers `<DescribeRegionsResponse>` with a `requestId` and no `Result`
//! wrapper, and fails with `<Response><Errors><Error>…</Error></Errors>
//! <RequestID>…</RequestID></Response>`.
//!
//! Dispatched by [`crate::app`] over [`crate::protocol::ec2`], which owns
//! the envelopes.

use rootward_core::CoreError;
use rootward_core::ec2::{self, DescribeRegions};

use crate::error::{ApiError, from_core};
use rootward_model::ValidationErrors;
use rootward_model::ec2::Operation;

use crate::protocol::query::Params;
use crate::protocol::xml::Xml;
use crate::services::{Ctx, Output};

/// How EC2 answers input that breaks the model's constraints
/// (`InvalidParameterValue`) [UNCONFIRMED: EC2's wording differs per
/// parameter].
pub fn invalid(e: &ValidationErrors) -> ApiError {
    ApiError::new("InvalidParameterValue", 400, e.to_string())
}

/// A domain failure in EC2's words (`UnauthorizedOperation` for a refusal;
/// every other failure as the one table has it).
pub fn error(e: CoreError) -> ApiError {
    match e {
        CoreError::AccessDenied(m) => ApiError::new(
            "UnauthorizedOperation",
            403,
            format!("You are not authorized to perform this operation. {m}"),
        ),
        e => from_core(e),
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

type Handler = fn(&Ctx<'_>, &Params) -> Result<Xml, ApiError>;

/// The handler of each EC2 operation this endpoint serves (`None`: not
/// served; the operation tables mark exactly these as implemented).
pub(super) fn handler(op: Operation) -> Option<Handler> {
    match op {
        Operation::DescribeRegions => Some(describe_regions),
    }
}

/// Runs an EC2 operation: the children of `<{Op}Response>` after its
/// `requestId`. EC2's handlers read the form itself (its lists are
/// `Name.N`); the model's members were validated before.
pub fn call(op: Operation, ctx: &Ctx<'_>, params: &Params) -> Result<Output<Xml>, ApiError> {
    match handler(op) {
        Some(h) => h(ctx, params).map(Output::from),
        None => Err(crate::protocol::ec2::not_implemented(op.name())),
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

#[cfg(test)]
mod tests {
    use super::*;

    use crate::services::test_support::service;

    #[test]
    fn describe_regions_reads_ec2_lists_and_filters() {
        #![allow(clippy::unwrap_used)]
        let (_dir, svc, caller) = service();
        let parts = axum::http::Request::new(()).into_parts().0;
        let ctx = Ctx::new(&svc, &caller, &parts, false);
        let xml = |q: &str| {
            call(
                Operation::DescribeRegions,
                &ctx,
                &Params::parse(q.as_bytes()).unwrap(),
            )
            .map(|o| o.body.finish())
        };
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
    fn list_members_are_numbered_without_member() {
        let p =
            Params::parse(b"RegionName.1=us-east-1&RegionName.2=eu-west-1&RegionName.4=x").unwrap();
        assert_eq!(list(&p, "RegionName"), ["us-east-1", "eu-west-1"]);
    }
}
