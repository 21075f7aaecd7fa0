//! The in-memory view of S3: buckets, their policies compiled once per
//! change, and object metadata ordered by key for listing.

use std::collections::{BTreeMap, HashMap};

use rootward_policy::{Policy, PolicyKind};

use super::model::{Bucket, Object, Upload};
use crate::model::{Record, table};

/// Buckets and objects.
#[derive(Default)]
pub struct S3State {
    /// Buckets by name.
    pub buckets: BTreeMap<String, Bucket>,
    /// Compiled bucket policies by bucket name.
    pub policies: HashMap<String, Policy>,
    /// Objects by bucket, then key.
    pub objects: HashMap<String, BTreeMap<String, Object>>,
    /// Multipart uploads in progress, by upload id.
    pub uploads: BTreeMap<String, Upload>,
}

impl S3State {
    /// Applies a stored S3 record.
    pub fn put(&mut self, r: Record) {
        match r {
            Record::Bucket(b) => {
                let compiled = b.policy.as_deref().map(|text| {
                    crate::policy_cache::compile_stored(&b.arn(), text, PolicyKind::Resource)
                });
                match compiled {
                    Some(p) => self.policies.insert(b.name.clone(), p),
                    None => self.policies.remove(&b.name),
                };
                self.buckets.insert(b.name.clone(), b);
            }
            Record::S3Object(o) => {
                self.objects
                    .entry(o.bucket.clone())
                    .or_default()
                    .insert(o.key.clone(), o);
            }
            Record::S3Upload(u) => {
                self.uploads.insert(u.id.clone(), u);
            }
            _ => {}
        }
    }

    /// Removes a stored S3 record.
    pub fn delete(&mut self, t: &str, key: &str) {
        match t {
            table::S3_BUCKETS => {
                self.buckets.remove(key);
                self.policies.remove(key);
                self.objects.remove(key);
            }
            table::S3_OBJECTS => {
                if let Some((bucket, k)) = key.split_once('/')
                    && let Some(objects) = self.objects.get_mut(bucket)
                {
                    objects.remove(k);
                }
            }
            table::S3_UPLOADS => {
                self.uploads.remove(key);
            }
            _ => {}
        }
    }

    /// Whether the bucket holds no object.
    pub fn is_empty(&self, bucket: &str) -> bool {
        self.objects.get(bucket).is_none_or(BTreeMap::is_empty)
    }
}
