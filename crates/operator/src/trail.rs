//! The trail: AssumeRoot events of the caller's
//! account from CloudTrail `LookupEvents`: who, which account, which task,
//! when, from where, and the outcome.

use std::time::{Duration, SystemTime};

use aws_sdk_cloudtrail::primitives::DateTime;
use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
use serde::Serialize;
use serde_json::Value;

use crate::audit::date;
use crate::aws::Aws;
use crate::error::sdk;
use crate::root::Task;
use crate::table::{Table, cell};

/// `90s`, `15m`, `24h`, `7d`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = n
        .parse()
        .map_err(|_| format!("`{s}` is not a duration like 90m, 24h or 7d"))?;
    let secs = match unit {
        "s" => Some(n),
        "m" => n.checked_mul(60),
        "h" => n.checked_mul(3600),
        "d" => n.checked_mul(86_400),
        _ => None,
    }
    .ok_or_else(|| format!("`{s}` is not a duration like 90m, 24h or 7d"))?;
    Ok(Duration::from_secs(secs))
}

/// One AssumeRoot event (`--output json`: `events[]`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Event {
    /// `eventTime`.
    pub time: String,
    /// `userIdentity.arn` of the caller.
    pub caller: Option<String>,
    /// `requestParameters.targetPrincipal`.
    pub target_account: Option<String>,
    /// The task policy's name.
    pub task: Option<String>,
    /// `sourceIPAddress`.
    pub source_ip: Option<String>,
    /// `userAgent`.
    pub user_agent: Option<String>,
    /// `errorCode` of a refused call; absent when it succeeded.
    pub error_code: Option<String>,
    /// The session's access key id (to find its calls in the target's trail).
    pub session_access_key_id: Option<String>,
}

/// The fields of one CloudTrail event record.
pub fn event(raw: &str, fallback_time: Option<String>) -> Option<Event> {
    let v: Value = serde_json::from_str(raw).ok()?;
    let s = |p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_owned);
    Some(Event {
        time: s("/eventTime").or(fallback_time).unwrap_or_default(),
        caller: s("/userIdentity/arn"),
        target_account: s("/requestParameters/targetPrincipal"),
        task: s("/requestParameters/taskPolicyArn/arn").map(|a| Task::name_of_arn(&a).to_owned()),
        source_ip: s("/sourceIPAddress"),
        user_agent: s("/userAgent"),
        error_code: s("/errorCode"),
        session_access_key_id: s("/responseElements/credentials/accessKeyId"),
    })
}

/// The document of `trail` (`--output json`).
#[derive(Debug, Clone, Serialize)]
pub struct TrailReport {
    /// The start of the window.
    pub since: String,
    /// The events, as `LookupEvents` returned them (newest first).
    pub events: Vec<Event>,
}

impl TrailReport {
    /// The table (and CSV) columns.
    pub fn table(&self) -> Table {
        let mut t = Table::new(&["time", "caller", "account", "task", "from", "result"]);
        for e in &self.events {
            t.row(vec![
                e.time.clone(),
                cell(e.caller.as_deref()),
                cell(e.target_account.as_deref()),
                cell(e.task.as_deref()),
                cell(e.source_ip.as_deref()),
                e.error_code.clone().unwrap_or_else(|| "ok".into()),
            ]);
        }
        t
    }
}

/// The AssumeRoot events of the last `since` (what `rootward trail` shows).
pub async fn lookup(aws: &Aws, since: Duration) -> Result<TrailReport, String> {
    let start = SystemTime::now()
        .checked_sub(since)
        .unwrap_or(SystemTime::UNIX_EPOCH);
    let ct = aws.cloudtrail();
    let mut events = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = ct
            .lookup_events()
            .lookup_attributes(
                LookupAttribute::builder()
                    .attribute_key(LookupAttributeKey::EventName)
                    .attribute_value("AssumeRoot")
                    .build()
                    .map_err(|e| e.to_string())?,
            )
            .start_time(DateTime::from(start))
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| format!("LookupEvents: {}", sdk(e)))?;
        for e in out.events() {
            if let Some(ev) = e
                .cloud_trail_event()
                .and_then(|raw| event(raw, e.event_time().map(date)))
            {
                events.push(ev);
            }
        }
        match out.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_owned()),
            _ => break,
        }
    }
    Ok(TrailReport {
        since: date(&DateTime::from(start)),
        events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(604_800)));
        assert!(parse_duration("7").is_err());
        assert!(parse_duration("h").is_err());
        assert!(parse_duration("1w").is_err());
    }

    #[test]
    fn the_documented_assume_root_event() {
        let raw = r#"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111111111111:assumed-role/JohnDoe/JohnRole1"},"eventTime":"2024-10-25T20:52:11Z","eventName":"AssumeRoot","sourceIPAddress":"192.0.2.1","requestParameters":{"targetPrincipal":"222222222222","taskPolicyArn":{"arn":"arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy"}},"responseElements":{"credentials":{"accessKeyId":"ASIAIOSFODNN7EXAMPLE","sessionToken":"x","expiration":"Oct 25, 2024, 9:07:11 PM"}}}"#;
        let e = event(raw, None).unwrap();
        assert_eq!(
            e.caller.as_deref(),
            Some("arn:aws:sts::111111111111:assumed-role/JohnDoe/JohnRole1")
        );
        assert_eq!(e.target_account.as_deref(), Some("222222222222"));
        assert_eq!(e.task.as_deref(), Some("S3UnlockBucketPolicy"));
        assert_eq!(e.source_ip.as_deref(), Some("192.0.2.1"));
        assert_eq!(e.time, "2024-10-25T20:52:11Z");
        assert_eq!(
            e.session_access_key_id.as_deref(),
            Some("ASIAIOSFODNN7EXAMPLE")
        );
        assert_eq!(e.error_code, None);
    }
}
