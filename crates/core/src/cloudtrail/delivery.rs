//! Log file delivery: a logging trail's events, read from the event history,
//! written to its S3 bucket as CloudTrail writes them, one gzipped JSON file
//! (`{"Records":[…]}`) per account and region per delivery, under
//! `[PREFIX/]AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_RANDOM.json.gz`.
//!
//! Delivery runs in the background every few seconds ([`start`],
//! [`DEFAULT_INTERVAL`]; CloudTrail itself delivers about every five
//! minutes). Each trail keeps the history's sequence number up to which it
//! has delivered; the log files of a pass and the trails' new positions are
//! committed together, so an event in the history is delivered once, and
//! after a restart the next pass takes up where the last committed one
//! stopped. Before each file the bucket policy is evaluated again for
//! `cloudtrail.amazonaws.com`: a bucket that is gone or no longer allows
//! CloudTrail gets nothing, and `GetTrailStatus` reports
//! `LatestDeliveryError` (`NoSuchBucket`, `AccessDenied`); those events are
//! not retried.
//!
//! What a trail delivers: the management events of the event history (data
//! events are not kept in it, so data-event selectors deliver nothing here)
//! of its account, or of every account of its organization, in its home
//! region or every region, recorded while it was logging and chosen by its
//! event selectors.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::sync::{Arc, Weak};
use std::time::Duration;

use md5::{Digest, Md5};
use parking_lot::{Condvar, Mutex};
use rand::Rng;
use rand::distr::Alphanumeric;
use time::OffsetDateTime;

use super::model::Trail;
use super::trails::{DeliveryRefused, bucket_allows, log_prefix, selects};
use crate::error::CoreError;
use crate::model::{Change, Record};
use crate::s3::checksum::{Algorithm, Checksum};
use crate::s3::model::Object;
use crate::service::Service;
use crate::state::State;
use crate::trail::TrailEvent;

/// How often a background delivery pass runs by default.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);

/// The most history events one pass reads at a time.
const BATCH: usize = 2_000;

/// Event sources of global services (their events are recorded in
/// us-east-1; `IncludeGlobalServiceEvents` chooses them).
const GLOBAL_SOURCES: [&str; 5] = [
    "iam.amazonaws.com",
    "organizations.amazonaws.com",
    "signin.amazonaws.com",
    "cloudfront.amazonaws.com",
    "route53.amazonaws.com",
];

/// What a delivery pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    /// Log files written.
    pub files: usize,
    /// Events in them.
    pub events: usize,
}

/// The organization an account belongs to.
fn org_of<'a>(state: &'a State, account: &str) -> Option<&'a str> {
    state.org.org_of(account).map(|o| o.id.as_str())
}

/// Whether `trail` delivers `event`.
pub fn delivers(state: &State, trail: &Trail, event: &TrailEvent) -> bool {
    let account = event.account == trail.account
        || trail
            .organization
            .as_deref()
            .is_some_and(|o| org_of(state, &event.account) == Some(o));
    account
        && (trail.is_multi_region || event.region == trail.home_region)
        && (trail.include_global_service_events || !GLOBAL_SOURCES.contains(&event.source.as_str()))
        && trail.logged(
            event.time,
            event.name == "StopLogging" && event.source == "cloudtrail.amazonaws.com",
        )
        && selects(trail, &event.source, &event.name, event.read_only)
}

/// The key of a log file delivered at `now`.
pub fn file_key(trail: &Trail, account: &str, region: &str, now: OffsetDateTime) -> String {
    let random: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(16)
        .map(char::from)
        .collect();
    let (y, m, d) = (now.year(), u8::from(now.month()), now.day());
    format!(
        "{}{y:04}/{m:02}/{d:02}/{account}_CloudTrail_{region}_{y:04}{m:02}{d:02}T{:02}{:02}Z_{random}.json.gz",
        log_prefix(trail, account, region),
        now.hour(),
        now.minute(),
    )
}

/// `{"Records":[…]}`, gzipped.
pub fn log_file(events: &[&TrailEvent]) -> Result<Vec<u8>, CoreError> {
    let mut json =
        String::with_capacity(events.iter().map(|e| e.json.len() + 1).sum::<usize>() + 16);
    json.push_str("{\"Records\":[");
    for (i, e) in events.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&e.json);
    }
    json.push_str("]}");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(json.as_bytes())
        .and_then(|()| gz.finish())
        .map_err(|e| CoreError::Internal(format!("gzip: {e}")))
}

/// One trail's share of a pass: the log files it writes (key, events, then
/// their gzipped bytes once packed outside the state lock).
struct Plan<'a> {
    key: String,
    created: OffsetDateTime,
    files: Vec<(String, Vec<&'a TrailEvent>)>,
    packed: Vec<(String, Vec<u8>, usize)>,
    error: Option<&'static str>,
    attempted: bool,
}

/// The S3 object of a log file, owned by the bucket's owner.
fn log_object(bucket: &str, owner: &str, key: String, body: &[u8], now: OffsetDateTime) -> Object {
    let etag = hex::encode(Md5::digest(body));
    let mut headers = BTreeMap::new();
    // UNCONFIRMED: CloudTrail's log objects as seen through S3 (JSON,
    // gzip-encoded, `.json.gz` keys).
    headers.insert("content-encoding".to_owned(), "gzip".to_owned());
    Object {
        bucket: bucket.to_owned(),
        key,
        size: body.len() as u64,
        etag: format!("\"{etag}\""),
        content_type: "application/json".to_owned(),
        headers,
        metadata: BTreeMap::new(),
        last_modified: now,
        writer: owner.to_owned(),
        blob: crate::ids::unique_id("S3OBJ"),
        checksum: Some(Box::new(Checksum::of(Algorithm::Crc64Nvme, body))),
    }
}

/// Delivers whatever the trails have not delivered yet: reads the history
/// after the trails' positions, writes the log files and moves the
/// positions on, all committed together.
pub fn deliver_once(svc: &Service) -> Result<Report, CoreError> {
    let Some(history) = svc.trail() else {
        return Ok(Report::default());
    };
    let mut report = Report::default();
    loop {
        let trails: Vec<Trail> = svc.read().trails.values().cloned().collect();
        if trails.is_empty() {
            return Ok(report);
        }
        let last = history.last_seq()?;
        // A position beyond the history (a history started afresh) starts
        // again from its beginning.
        let position = |t: &Trail| {
            if t.delivered_upto > last {
                0
            } else {
                t.delivered_upto
            }
        };
        let from = trails.iter().map(position).min().unwrap_or(0);
        if from >= last {
            return Ok(report);
        }
        // Only what a power loss can no longer take: the history commits
        // read-only calls' events without a sync, and a history that lost
        // its last batches would hand their sequence numbers to new events,
        // which a trail past them would then never deliver.
        history.sync()?;
        let mut batch = history.events_after(from, BATCH)?;
        let read = batch.len();
        batch.retain(|(seq, _)| *seq <= last);
        let Some(upto) = batch.last().map(|(s, _)| *s) else {
            return Ok(report);
        };
        let now = svc.now();
        let mut plans: Vec<Plan<'_>> = {
            let state = svc.read();
            trails
                .iter()
                .map(|t| plan(&state, t, position(t), &batch, now))
                .collect()
        };
        // Compressing takes a while: not under the state lock.
        for p in &mut plans {
            for (key, events) in std::mem::take(&mut p.files) {
                let n = events.len();
                p.packed.push((key, log_file(&events)?, n));
            }
        }
        let written = svc.mutate(|state| {
            let mut changes = Vec::new();
            let mut written = Report::default();
            for p in &plans {
                let Some(t) = state.trails.get(&p.key).filter(|t| t.created == p.created) else {
                    continue;
                };
                let mut t = t.clone();
                t.delivered_upto = upto.max(if t.delivered_upto > last {
                    0
                } else {
                    t.delivered_upto
                });
                if p.attempted {
                    t.latest_delivery_attempt = Some(now);
                    t.latest_delivery_error = p.error.map(str::to_owned);
                }
                match state.s3.buckets.get(&t.s3_bucket) {
                    Some(bucket) if !p.packed.is_empty() => {
                        for (key, body, n) in &p.packed {
                            let o = log_object(&bucket.name, &bucket.owner, key.clone(), body, now);
                            changes.push(Change::PutBlob {
                                key: o.blob.clone(),
                                value: body.clone(),
                            });
                            changes.push(Change::Put(Record::S3Object(o)));
                            written.files += 1;
                            written.events += n;
                        }
                        t.latest_delivery = Some(now);
                    }
                    None if !p.packed.is_empty() => {
                        t.latest_delivery_error = Some("NoSuchBucket".to_owned());
                    }
                    _ => {}
                }
                changes.push(Change::Put(Record::Trail(Box::new(t))));
            }
            Ok((written, changes))
        })?;
        report.files += written.files;
        report.events += written.events;
        if read < BATCH || batch.len() < read {
            return Ok(report);
        }
    }
}

/// What one trail delivers of `batch` (events after `position`).
fn plan<'a>(
    state: &State,
    trail: &Trail,
    position: u64,
    batch: &'a [(u64, TrailEvent)],
    now: OffsetDateTime,
) -> Plan<'a> {
    let mut groups: BTreeMap<(&str, &str), Vec<&TrailEvent>> = BTreeMap::new();
    for (seq, e) in batch {
        if *seq > position && delivers(state, trail, e) {
            groups
                .entry((e.account.as_str(), e.region.as_str()))
                .or_default()
                .push(e);
        }
    }
    let mut p = Plan {
        key: trail.key(),
        created: trail.created,
        files: Vec::new(),
        packed: Vec::new(),
        error: None,
        attempted: !groups.is_empty(),
    };
    for ((account, region), events) in groups {
        let key = file_key(trail, account, region, now);
        match bucket_allows(state, trail, &key) {
            Ok(()) => p.files.push((key, events)),
            Err(DeliveryRefused::NoSuchBucket) => p.error = Some("NoSuchBucket"),
            Err(DeliveryRefused::AccessDenied) => p.error = Some("AccessDenied"),
        }
    }
    p
}

struct Shared {
    stop: Mutex<bool>,
    wake: Condvar,
}

/// The background delivery: a thread running [`deliver_once`] every
/// interval until dropped.
pub struct Delivery {
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Starts delivering for `svc` every `every`.
pub fn start(svc: &Arc<Service>, every: Duration) -> Result<Delivery, CoreError> {
    let shared = Arc::new(Shared {
        stop: Mutex::new(false),
        wake: Condvar::new(),
    });
    let weak: Weak<Service> = Arc::downgrade(svc);
    let s = shared.clone();
    let thread = std::thread::Builder::new()
        .name("trail-delivery".into())
        .spawn(move || {
            loop {
                {
                    let mut stop = s.stop.lock();
                    if !*stop {
                        s.wake.wait_for(&mut stop, every);
                    }
                    if *stop {
                        return;
                    }
                }
                let Some(svc) = weak.upgrade() else {
                    return;
                };
                match deliver_once(&svc) {
                    Ok(r) if r.files > 0 => {
                        tracing::debug!(
                            files = r.files,
                            events = r.events,
                            "trail: log files delivered"
                        );
                    }
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "trail: log file delivery failed"),
                }
            }
        })
        .map_err(|e| CoreError::Internal(format!("trail delivery: {e}")))?;
    Ok(Delivery {
        shared,
        thread: Some(thread),
    })
}

impl Drop for Delivery {
    fn drop(&mut self) {
        *self.shared.stop.lock() = true;
        self.shared.wake.notify_all();
        if let Some(t) = self.thread.take()
            && t.thread().id() != std::thread::current().id()
        {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::io::Read as _;

    fn event(json: &str) -> TrailEvent {
        TrailEvent {
            id: "x".into(),
            account: "111111111111".into(),
            region: "us-east-1".into(),
            time: OffsetDateTime::UNIX_EPOCH,
            name: "CreateUser".into(),
            source: "iam.amazonaws.com".into(),
            read_only: false,
            access_key: None,
            username: None,
            resources: Vec::new(),
            json: json.into(),
        }
    }

    #[test]
    fn a_log_file_is_gzipped_records() {
        let (a, b) = (event(r#"{"eventName":"A"}"#), event(r#"{"eventName":"B"}"#));
        let gz = log_file(&[&a, &b]).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(gz.as_slice())
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, r#"{"Records":[{"eventName":"A"},{"eventName":"B"}]}"#);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["Records"].as_array().unwrap().len(), 2);
    }
}
