//! Event selectors: their validation, `PutEventSelectors`, and which
//! events a trail's selectors select. Split from the trail operations in
//! `cloudtrail/trails.rs`.

use super::*;

/// The data resource types basic event selectors accept.
pub const DATA_RESOURCE_TYPES: [&str; 3] = [
    "AWS::S3::Object",
    "AWS::Lambda::Function",
    "AWS::DynamoDB::Table",
];

/// The fields advanced event selectors accept.
const ADVANCED_FIELDS: [&str; 12] = [
    "eventCategory",
    "readOnly",
    "eventSource",
    "eventName",
    "eventType",
    "errorCode",
    "resources.type",
    "resources.ARN",
    "userIdentity.arn",
    "sessionCredentialFromConsole",
    "vpcEndpointId",
    "eventTypeName",
];

fn validate_selectors(selectors: &Selectors) -> Result<(), CoreError> {
    let bad = |m: String| -> CoreError { CloudTrailError::InvalidEventSelectors(m).into() };
    match selectors {
        Selectors::Basic(list) => {
            if list.is_empty() || list.len() > 5 {
                return Err(bad(
                    "A trail can have between 1 and 5 event selectors.".to_owned()
                ));
            }
            let mut values = 0usize;
            for s in list {
                for d in &s.data_resources {
                    if !DATA_RESOURCE_TYPES.contains(&d.kind.as_str()) {
                        return Err(bad(format!(
                            "Value {} for DataResource Type is invalid.",
                            d.kind
                        )));
                    }
                    values += d.values.len();
                }
            }
            if values > 250 {
                return Err(bad(
                    "A trail's event selectors can have at most 250 data resource values."
                        .to_owned(),
                ));
            }
        }
        Selectors::Advanced(list) => {
            if list.is_empty() {
                return Err(bad(
                    "At least one advanced event selector is required.".to_owned()
                ));
            }
            let total: usize = list.iter().map(|s| s.field_selectors.len()).sum();
            if total > 500 {
                return Err(bad(
                    "Advanced event selectors can have at most 500 field conditions.".to_owned(),
                ));
            }
            for s in list {
                if s.field_selectors.is_empty() {
                    return Err(bad(
                        "Each advanced event selector needs at least one field selector."
                            .to_owned(),
                    ));
                }
                if !s.field_selectors.iter().any(|f| f.field == "eventCategory") {
                    return Err(bad(
                        "Each advanced event selector must include the eventCategory field."
                            .to_owned(),
                    ));
                }
                for f in &s.field_selectors {
                    if !ADVANCED_FIELDS.contains(&f.field.as_str()) {
                        return Err(bad(format!("Field {} is not valid.", f.field)));
                    }
                    let ops = [
                        &f.equals,
                        &f.starts_with,
                        &f.ends_with,
                        &f.not_equals,
                        &f.not_starts_with,
                        &f.not_ends_with,
                    ];
                    if ops.iter().all(|o| o.is_empty()) {
                        return Err(bad(format!(
                            "Field {} needs at least one operator.",
                            f.field
                        )));
                    }
                }
            }
        }
    }
    Ok(())
}

/// `PutEventSelectors`: replaces the trail's selectors (basic ones replace
/// advanced ones and the other way round).
pub fn put_event_selectors(
    svc: &Service,
    caller: &Caller,
    name: &str,
    selectors: Selectors,
) -> Result<Trail, CoreError> {
    validate_selectors(&selectors)?;
    change(svc, caller, name, "PutEventSelectors", |t, _| {
        match selectors {
            Selectors::Basic(list) => {
                t.event_selectors = Some(list);
                t.advanced_event_selectors = None;
            }
            Selectors::Advanced(list) => {
                t.event_selectors = None;
                t.advanced_event_selectors = Some(list);
            }
        }
        t.has_custom_event_selectors = true;
    })
}

/// The selectors in force: the advanced ones, else the basic ones, else the
/// default (every management event).
pub fn selects(trail: &Trail, source: &str, name: &str, read_only: bool) -> bool {
    if let Some(advanced) = &trail.advanced_event_selectors {
        return advanced.iter().any(|s| {
            s.field_selectors.iter().all(|f| {
                let value = match f.field.as_str() {
                    "eventCategory" => Some("Management"),
                    "readOnly" => Some(if read_only { "true" } else { "false" }),
                    "eventSource" => Some(source),
                    "eventName" => Some(name),
                    "eventType" => Some("AwsApiCall"),
                    _ => None,
                };
                f.matches(value)
            })
        });
    }
    let default = [EventSelector::default_selector()];
    let basic = trail.event_selectors.as_deref().unwrap_or(&default);
    basic.iter().any(|s| {
        s.include_management_events
            && s.read_write_type.selects(read_only)
            && !s
                .exclude_management_event_sources
                .iter()
                .any(|x| x == source)
    })
}
