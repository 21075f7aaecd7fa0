//! The durable record of a CloudTrail trail: its settings, event
//! selectors, logging state and delivery progress.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// `ReadOnly`, `WriteOnly` or `All` management events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReadWriteType {
    /// Read-only events.
    ReadOnly,
    /// Write events.
    WriteOnly,
    /// Both.
    All,
}

impl ReadWriteType {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            ReadWriteType::ReadOnly => "ReadOnly",
            ReadWriteType::WriteOnly => "WriteOnly",
            ReadWriteType::All => "All",
        }
    }

    /// The value of a wire name.
    pub fn from_name(s: &str) -> Option<ReadWriteType> {
        [
            ReadWriteType::ReadOnly,
            ReadWriteType::WriteOnly,
            ReadWriteType::All,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }

    /// Whether an event with this `readOnly` is selected.
    pub fn selects(self, read_only: bool) -> bool {
        match self {
            ReadWriteType::All => true,
            ReadWriteType::ReadOnly => read_only,
            ReadWriteType::WriteOnly => !read_only,
        }
    }
}

/// A data resource of an event selector (`Type`, `Values`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataResource {
    /// `AWS::S3::Object`, `AWS::Lambda::Function`, `AWS::DynamoDB::Table`.
    pub kind: String,
    /// ARNs or ARN prefixes.
    pub values: Vec<String>,
}

/// A basic event selector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSelector {
    /// `ReadWriteType`.
    pub read_write_type: ReadWriteType,
    /// `IncludeManagementEvents`.
    pub include_management_events: bool,
    /// `DataResources`.
    #[serde(default)]
    pub data_resources: Vec<DataResource>,
    /// `ExcludeManagementEventSources`.
    #[serde(default)]
    pub exclude_management_event_sources: Vec<String>,
}

impl EventSelector {
    /// The selector every trail starts with: all management events.
    pub fn default_selector() -> EventSelector {
        EventSelector {
            read_write_type: ReadWriteType::All,
            include_management_events: true,
            data_resources: Vec::new(),
            exclude_management_event_sources: Vec::new(),
        }
    }
}

/// One field condition of an advanced event selector.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSelector {
    /// `Field` (`eventCategory`, `readOnly`, `eventSource`, …).
    pub field: String,
    /// `Equals`.
    #[serde(default)]
    pub equals: Vec<String>,
    /// `StartsWith`.
    #[serde(default)]
    pub starts_with: Vec<String>,
    /// `EndsWith`.
    #[serde(default)]
    pub ends_with: Vec<String>,
    /// `NotEquals`.
    #[serde(default)]
    pub not_equals: Vec<String>,
    /// `NotStartsWith`.
    #[serde(default)]
    pub not_starts_with: Vec<String>,
    /// `NotEndsWith`.
    #[serde(default)]
    pub not_ends_with: Vec<String>,
}

impl FieldSelector {
    /// Whether `value` satisfies every operator given (an absent field
    /// value satisfies only negative operators).
    pub fn matches(&self, value: Option<&str>) -> bool {
        let v = value.unwrap_or("");
        let any = |list: &[String], f: &dyn Fn(&str) -> bool| {
            list.is_empty() || list.iter().any(|x| f(x))
        };
        let none = |list: &[String], f: &dyn Fn(&str) -> bool| !list.iter().any(|x| f(x));
        let present = value.is_some();
        any(&self.equals, &|x| present && v == x)
            && any(&self.starts_with, &|x| present && v.starts_with(x))
            && any(&self.ends_with, &|x| present && v.ends_with(x))
            && none(&self.not_equals, &|x| v == x)
            && none(&self.not_starts_with, &|x| present && v.starts_with(x))
            && none(&self.not_ends_with, &|x| present && v.ends_with(x))
    }
}

/// An advanced event selector.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvancedEventSelector {
    /// `Name`.
    #[serde(default)]
    pub name: Option<String>,
    /// `FieldSelectors`, all of which must match.
    pub field_selectors: Vec<FieldSelector>,
}

/// A period of logging: from `start` until `stop` (still logging when `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggingPeriod {
    /// `StartLogging`.
    #[serde(with = "time::serde::rfc3339")]
    pub start: OffsetDateTime,
    /// `StopLogging`.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub stop: Option<OffsetDateTime>,
}

/// A trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trail {
    /// `Name`.
    pub name: String,
    /// The owning account (the management account of an organization trail).
    pub account: String,
    /// `HomeRegion`: where it was created and may be changed.
    pub home_region: String,
    /// `S3BucketName`.
    pub s3_bucket: String,
    /// `S3KeyPrefix`.
    #[serde(default)]
    pub s3_key_prefix: Option<String>,
    /// `IncludeGlobalServiceEvents`.
    pub include_global_service_events: bool,
    /// `IsMultiRegionTrail`.
    pub is_multi_region: bool,
    /// `IsOrganizationTrail`: the organization whose accounts it logs.
    #[serde(default)]
    pub organization: Option<String>,
    /// `TagsList`.
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    /// The basic event selectors (`None` once advanced ones are put).
    #[serde(default)]
    pub event_selectors: Option<Vec<EventSelector>>,
    /// The advanced event selectors, when put.
    #[serde(default)]
    pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
    /// Whether selectors other than the default were put.
    #[serde(default)]
    pub has_custom_event_selectors: bool,
    /// Logging periods, oldest first (the last one open while logging);
    /// periods delivered long ago are dropped.
    #[serde(default)]
    pub logging: Vec<LoggingPeriod>,
    /// The event history's sequence number up to which events were
    /// considered for delivery.
    #[serde(default)]
    pub delivered_upto: u64,
    /// `LatestDeliveryTime`: the last log file delivered.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub latest_delivery: Option<OffsetDateTime>,
    /// The last delivery attempt.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub latest_delivery_attempt: Option<OffsetDateTime>,
    /// `LatestDeliveryError` of the last failed attempt (cleared by a
    /// successful one).
    #[serde(default)]
    pub latest_delivery_error: Option<String>,
}

impl Trail {
    /// `arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME`.
    pub fn arn(&self) -> String {
        trail_arn(&self.home_region, &self.account, &self.name)
    }

    /// The store key: `ACCOUNT/HOMEREGION/NAME`.
    pub fn key(&self) -> String {
        trail_key(&self.account, &self.home_region, &self.name)
    }

    /// Whether it is logging now.
    pub fn is_logging(&self) -> bool {
        self.logging.last().is_some_and(|p| p.stop.is_none())
    }

    /// When logging last started.
    pub fn start_logging_time(&self) -> Option<OffsetDateTime> {
        self.logging.last().map(|p| p.start)
    }

    /// When logging last stopped (`None` while logging).
    pub fn stop_logging_time(&self) -> Option<OffsetDateTime> {
        self.logging.last().and_then(|p| p.stop)
    }

    /// Whether an event at `t` happened while the trail was logging.
    pub fn logged_at(&self, t: OffsetDateTime) -> bool {
        self.logged(t, false)
    }

    /// [`Trail::logged_at`], where `stopping` says the event is a
    /// `StopLogging` call: the call that ends a logging period is part of it
    /// (its event is built just after the stop it recorded), so a trail
    /// delivers the `StopLogging` that stopped it, as the detections of trail
    /// tampering that read a trail's own files expect (UNCONFIRMED: AWS
    /// does not document it; a stop within a second of the period's end is
    /// taken as the one that ended it).
    pub fn logged(&self, t: OffsetDateTime, stopping: bool) -> bool {
        self.logging.iter().any(|p| {
            p.start <= t
                && p.stop
                    .is_none_or(|s| t < s || (stopping && t < s + time::Duration::seconds(1)))
        })
    }

    /// Whether it is an organization trail.
    pub fn is_organization_trail(&self) -> bool {
        self.organization.is_some()
    }
}

/// A trail ARN.
pub fn trail_arn(region: &str, account: &str, name: &str) -> String {
    crate::ident::Arn::trail(region, account, name).to_string()
}

/// A trail's store key.
pub fn trail_key(account: &str, region: &str, name: &str) -> String {
    format!("{account}/{region}/{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(f: &str) -> FieldSelector {
        FieldSelector {
            field: f.into(),
            ..FieldSelector::default()
        }
    }

    #[test]
    fn field_selectors_combine_their_operators() {
        let mut s = field("eventSource");
        s.equals = vec!["iam.amazonaws.com".into(), "sts.amazonaws.com".into()];
        assert!(s.matches(Some("iam.amazonaws.com")));
        assert!(!s.matches(Some("s3.amazonaws.com")));
        assert!(!s.matches(None));
        let mut n = field("eventSource");
        n.not_equals = vec!["kms.amazonaws.com".into()];
        n.not_starts_with = vec!["rds".into()];
        assert!(n.matches(Some("iam.amazonaws.com")));
        assert!(n.matches(None));
        assert!(!n.matches(Some("kms.amazonaws.com")));
        assert!(!n.matches(Some("rdsdata.amazonaws.com")));
    }

    #[test]
    fn events_are_logged_inside_a_logging_period_only() {
        let t = |s: i64| OffsetDateTime::UNIX_EPOCH + time::Duration::seconds(s);
        let mut trail = Trail {
            name: "t".into(),
            account: "111111111111".into(),
            home_region: "us-east-1".into(),
            s3_bucket: "b".into(),
            s3_key_prefix: None,
            include_global_service_events: true,
            is_multi_region: false,
            organization: None,
            tags: Vec::new(),
            created: t(0),
            event_selectors: None,
            advanced_event_selectors: None,
            has_custom_event_selectors: false,
            logging: vec![LoggingPeriod {
                start: t(10),
                stop: Some(t(20)),
            }],
            delivered_upto: 0,
            latest_delivery: None,
            latest_delivery_attempt: None,
            latest_delivery_error: None,
        };
        assert!(!trail.is_logging());
        assert!(!trail.logged_at(t(9)) && trail.logged_at(t(10)) && !trail.logged_at(t(20)));
        // The StopLogging that ended the period, recorded just after it.
        let just_after = t(20) + time::Duration::milliseconds(3);
        assert!(trail.logged(just_after, true) && !trail.logged(just_after, false));
        assert!(!trail.logged(t(21), true));
        trail.logging.push(LoggingPeriod {
            start: t(30),
            stop: None,
        });
        assert!(trail.is_logging() && trail.logged_at(t(15)) && trail.logged_at(t(1_000)));
        assert_eq!(
            trail.arn(),
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/t"
        );
    }
}
