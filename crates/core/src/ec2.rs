//! Amazon EC2's region list (issue 14 §3): `DescribeRegions`, which
//! SDK-based tools call first to enumerate regions.
//!
//! The commercial regions, as `DescribeRegions` shows them: the seventeen
//! enabled in every account (`opt-in-not-required`) and the opt-in regions,
//! `opted-in` once Account Management's `EnableRegion` has completed for
//! the caller's account, else `not-opted-in` (also while `ENABLING`). Without `AllRegions` only enabled regions
//! are listed, as EC2 does; regions named in `RegionNames` are listed
//! whatever their status.

use crate::authz::Caller;
use crate::error::CoreError;
use crate::service::Service;

/// The commercial regions: name, and whether the account must opt in.
pub const REGIONS: [(&str, bool); 34] = [
    ("af-south-1", true),
    ("ap-east-1", true),
    ("ap-east-2", true),
    ("ap-northeast-1", false),
    ("ap-northeast-2", false),
    ("ap-northeast-3", false),
    ("ap-south-1", false),
    ("ap-south-2", true),
    ("ap-southeast-1", false),
    ("ap-southeast-2", false),
    ("ap-southeast-3", true),
    ("ap-southeast-4", true),
    ("ap-southeast-5", true),
    ("ap-southeast-6", true),
    ("ap-southeast-7", true),
    ("ca-central-1", false),
    ("ca-west-1", true),
    ("eu-central-1", false),
    ("eu-central-2", true),
    ("eu-north-1", false),
    ("eu-south-1", true),
    ("eu-south-2", true),
    ("eu-west-1", false),
    ("eu-west-2", false),
    ("eu-west-3", false),
    ("il-central-1", true),
    ("me-central-1", true),
    ("me-south-1", true),
    ("mx-central-1", true),
    ("sa-east-1", false),
    ("us-east-1", false),
    ("us-east-2", false),
    ("us-west-1", false),
    ("us-west-2", false),
];

/// Whether `region` is one of [`REGIONS`] that an account must opt in to.
pub fn is_opt_in(region: &str) -> bool {
    REGIONS.iter().any(|(r, opt_in)| *r == region && *opt_in)
}

/// An EC2 failure, named as EC2 names it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Ec2Error {
    /// A parameter value is not valid (`InvalidParameterValue`, 400).
    #[error("{0}")]
    InvalidParameterValue(String),
    /// A filter name is not known (`InvalidParameterValue`, 400, as EC2 answers).
    #[error("The filter '{0}' is invalid")]
    InvalidFilter(String),
    /// `DryRun` on a call that would have succeeded (`DryRunOperation`, 412).
    #[error("Request would have succeeded, but DryRun flag is set.")]
    DryRunOperation,
}

impl From<Ec2Error> for CoreError {
    fn from(e: Ec2Error) -> Self {
        CoreError::Ec2(e)
    }
}

/// The inputs of `DescribeRegions`.
#[derive(Debug, Clone, Default)]
pub struct DescribeRegions {
    /// `RegionName.N`.
    pub region_names: Vec<String>,
    /// `AllRegions`.
    pub all_regions: bool,
    /// `Filter.N`: name, values (`endpoint`, `opt-in-status`, `region-name`).
    pub filters: Vec<(String, Vec<String>)>,
    /// `DryRun`.
    pub dry_run: bool,
}

/// One region as `DescribeRegions` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionInfo {
    /// `regionName`.
    pub name: &'static str,
    /// `regionEndpoint`.
    pub endpoint: String,
    /// `optInStatus`: `opt-in-not-required`, `opted-in` or `not-opted-in`.
    pub opt_in_status: &'static str,
}

/// Whether `value` matches an EC2 filter value (`*` and `?` wildcards).
fn wildcard(pattern: &str, value: &str) -> bool {
    let (p, v): (Vec<char>, Vec<char>) = (pattern.chars().collect(), value.chars().collect());
    let (mut pi, mut vi, mut star, mut mark) = (0usize, 0usize, None, 0usize);
    while vi < v.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some(pi);
                mark = vi;
                pi += 1;
            }
            Some(c) if *c == '?' || Some(c) == v.get(vi) => {
                pi += 1;
                vi += 1;
            }
            _ => match star {
                Some(s) => {
                    pi = s + 1;
                    mark += 1;
                    vi = mark;
                }
                None => return false,
            },
        }
    }
    p.iter().skip(pi).all(|c| *c == '*')
}

/// `DescribeRegions` (`ec2:DescribeRegions`).
pub fn describe_regions(
    svc: &Service,
    caller: &Caller,
    input: &DescribeRegions,
) -> Result<Vec<RegionInfo>, CoreError> {
    svc.authorize(caller, "ec2:DescribeRegions", "*", None, &[])?;
    for (name, _) in &input.filters {
        if !["endpoint", "opt-in-status", "region-name"].contains(&name.as_str()) {
            return Err(Ec2Error::InvalidFilter(name.clone()).into());
        }
    }
    for n in &input.region_names {
        if !REGIONS.iter().any(|(r, _)| r == n) {
            // UNCONFIRMED wording.
            return Err(Ec2Error::InvalidParameterValue(format!("Invalid region: {n}")).into());
        }
    }
    if input.dry_run {
        return Err(Ec2Error::DryRunOperation.into());
    }
    let now = svc.now();
    let state = svc.read();
    let regions = REGIONS
        .iter()
        .map(|(name, opt_in)| RegionInfo {
            name,
            endpoint: format!("ec2.{name}.amazonaws.com"),
            opt_in_status: if !opt_in {
                "opt-in-not-required"
            } else if crate::account::region_enabled(&state, &caller.account, name, now) {
                "opted-in"
            } else {
                "not-opted-in"
            },
        })
        .filter(|r| {
            if input.region_names.is_empty() {
                input.all_regions || r.opt_in_status != "not-opted-in"
            } else {
                input.region_names.iter().any(|n| n == r.name)
            }
        })
        .filter(|r| {
            input.filters.iter().all(|(name, values)| {
                let field = match name.as_str() {
                    "endpoint" => r.endpoint.as_str(),
                    "opt-in-status" => r.opt_in_status,
                    _ => r.name,
                };
                values.iter().any(|v| wildcard(v, field))
            })
        })
        .collect();
    Ok(regions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_values_take_ec2_wildcards() {
        assert!(wildcard("eu-*", "eu-west-1"));
        assert!(wildcard("us-?ast-1", "us-east-1"));
        assert!(wildcard("*", ""));
        assert!(!wildcard("eu-*", "us-east-1"));
        assert!(!wildcard("us-east-1", "us-east-10"));
    }

    #[test]
    fn the_region_table_has_seventeen_default_regions() {
        assert_eq!(REGIONS.iter().filter(|(_, opt_in)| !opt_in).count(), 17);
        let mut names: Vec<&str> = REGIONS.iter().map(|(n, _)| *n).collect();
        names.dedup();
        assert_eq!(names.len(), REGIONS.len());
        assert!(names.windows(2).all(|w| matches!(w, [a, b] if a < b)));
    }
}
