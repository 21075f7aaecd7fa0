//! AWS Account Management (REST-JSON, `POST /getAlternateContact`, …): the
//! contact operations over the domain (`rootward_core::account`). The
//! operation comes from the path (`rootward_model::account::resolve`); the
//! body is a JSON object of the input members; answers are JSON (or empty).
//! Errors carry the REST-JSON shape's name: `AccessDeniedException` (403),
//! `ResourceNotFoundException` (404), `ValidationException` (400).
//!
//! Not dispatched yet (issue 13 brings `rest_json`). To plug in: resolve
//! the operation with `rootward_model::account::resolve` (`POST /<op>`),
//! call [`call`]; answer 200 with the JSON (empty body for `None`); render
//! an error as REST-JSON does (status, `x-amzn-ErrorType: <code>`, body
//! `{"message": …}`: Account's shapes use lower-case `message`); record the
//! call with [`trail_request`] as `requestParameters` (sensitive members
//! hidden), event source `account.amazonaws.com`, in us-east-1 (the
//! service's endpoint is global); then mark the five operations
//! implemented in `models/extra/account.txt`.

use rootward_core::CoreError;
use rootward_core::account::{self, model};
use serde_json::{Map, Value, json};

use crate::error::{ApiError, from_core};
use crate::protocol::json::Input;
use crate::services::Ctx;

/// The value CloudTrail shows for a sensitive member.
const HIDDEN: &str = crate::trail::HIDDEN;

fn missing(name: &str) -> ApiError {
    ApiError::new(
        "ValidationException",
        400,
        format!("Invalid request body: {name} is required"),
    )
}

/// A domain failure in Account Management's words.
pub fn error(e: CoreError) -> ApiError {
    match from_core(e) {
        a if a.code == "AccessDenied" => ApiError::new("AccessDeniedException", 403, a.message),
        a => a,
    }
}

/// Runs an Account Management operation.
pub fn call(op: &str, ctx: &Ctx<'_>, body: &[u8]) -> Result<Option<Value>, ApiError> {
    let i = Input::parse(body, missing)?;
    let account_id = i.str("AccountId")?;
    match op {
        "GetContactInformation" => {
            let c =
                account::get_contact_information(ctx.svc, ctx.caller, account_id).map_err(error)?;
            Ok(Some(json!({ "ContactInformation": contact_json(&c) })))
        }
        "PutContactInformation" => {
            let c = i
                .object("ContactInformation")?
                .ok_or_else(|| missing("ContactInformation"))?;
            let text =
                |name: &str| -> Result<String, ApiError> { Ok(c.required(name)?.to_owned()) };
            let opt = |name: &str| -> Result<Option<String>, ApiError> {
                Ok(c.str(name)?.map(str::to_owned))
            };
            let info = model::ContactInformation {
                full_name: text("FullName")?,
                address_line1: text("AddressLine1")?,
                address_line2: opt("AddressLine2")?,
                address_line3: opt("AddressLine3")?,
                city: text("City")?,
                state_or_region: opt("StateOrRegion")?,
                district_or_county: opt("DistrictOrCounty")?,
                postal_code: text("PostalCode")?,
                country_code: text("CountryCode")?,
                phone_number: text("PhoneNumber")?,
                company_name: opt("CompanyName")?,
                website_url: opt("WebsiteUrl")?,
            };
            account::put_contact_information(ctx.svc, ctx.caller, account_id, info)
                .map_err(error)?;
            Ok(None)
        }
        "GetAlternateContact" => {
            let kind = contact_type(&i)?;
            let c = account::get_alternate_contact(ctx.svc, ctx.caller, account_id, kind)
                .map_err(error)?;
            Ok(Some(json!({
                "AlternateContact": {
                    "AlternateContactType": c.kind.as_str(),
                    "EmailAddress": c.email_address,
                    "Name": c.name,
                    "PhoneNumber": c.phone_number,
                    "Title": c.title,
                }
            })))
        }
        "PutAlternateContact" => {
            let contact = model::AlternateContact {
                kind: contact_type(&i)?,
                name: i.required("Name")?.to_owned(),
                title: i.required("Title")?.to_owned(),
                email_address: i.required("EmailAddress")?.to_owned(),
                phone_number: i.required("PhoneNumber")?.to_owned(),
            };
            account::put_alternate_contact(ctx.svc, ctx.caller, account_id, contact)
                .map_err(error)?;
            Ok(None)
        }
        "DeleteAlternateContact" => {
            let kind = contact_type(&i)?;
            account::delete_alternate_contact(ctx.svc, ctx.caller, account_id, kind)
                .map_err(error)?;
            Ok(None)
        }
        other => Err(ApiError::new(
            "UnknownOperationException",
            400,
            format!("The Account operation {other} is not implemented by this endpoint."),
        )),
    }
}

fn contact_type(i: &Input) -> Result<model::AlternateContactType, ApiError> {
    let t = i.required("AlternateContactType")?;
    model::AlternateContactType::from_name(t).ok_or_else(|| {
        ApiError::new(
            "ValidationException",
            400,
            format!(
                "Invalid AlternateContactType: {t}; it must be one of BILLING, OPERATIONS, SECURITY"
            ),
        )
    })
}

fn contact_json(c: &model::ContactInformation) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: Option<&String>| {
        if let Some(v) = v {
            m.insert(k.to_owned(), v.clone().into());
        }
    };
    put("FullName", Some(&c.full_name));
    put("AddressLine1", Some(&c.address_line1));
    put("AddressLine2", c.address_line2.as_ref());
    put("AddressLine3", c.address_line3.as_ref());
    put("City", Some(&c.city));
    put("StateOrRegion", c.state_or_region.as_ref());
    put("DistrictOrCounty", c.district_or_county.as_ref());
    put("PostalCode", Some(&c.postal_code));
    put("CountryCode", Some(&c.country_code));
    put("PhoneNumber", Some(&c.phone_number));
    put("CompanyName", c.company_name.as_ref());
    put("WebsiteUrl", c.website_url.as_ref());
    Value::Object(m)
}

/// The members the Account model marks sensitive (names, addresses, phone
/// numbers, e-mail addresses): CloudTrail shows them hidden.
const SENSITIVE: [&str; 17] = [
    "FullName",
    "AddressLine1",
    "AddressLine2",
    "AddressLine3",
    "City",
    "StateOrRegion",
    "DistrictOrCounty",
    "PostalCode",
    "CountryCode",
    "PhoneNumber",
    "CompanyName",
    "WebsiteUrl",
    "Name",
    "Title",
    "EmailAddress",
    "AccountName",
    "PrimaryEmail",
];

/// `requestParameters` of an Account Management call: lower-camel names as
/// CloudTrail writes them, sensitive members hidden.
pub fn trail_request(body: &[u8]) -> Value {
    fn hide(v: &Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| {
                        let v = if SENSITIVE.contains(&k.as_str()) {
                            Value::String(HIDDEN.to_owned())
                        } else {
                            hide(v)
                        };
                        (lower_camel(k), v)
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    fn lower_camel(s: &str) -> String {
        let mut c = s.chars();
        match c.next() {
            Some(f) => f.to_lowercase().chain(c).collect(),
            None => String::new(),
        }
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(v) => hide(&v),
        Err(_) => Value::Object(Map::new()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
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
    fn contacts_are_put_and_read_in_the_model_shapes() {
        let (_dir, svc, caller) = service();
        let ctx = Ctx::new(&svc, &caller, false);
        let e = call(
            "GetAlternateContact",
            &ctx,
            br#"{"AlternateContactType":"SECURITY"}"#,
        )
        .unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.status),
            ("ResourceNotFoundException", 404)
        );
        let put = br#"{"AlternateContactType":"SECURITY","Name":"Sec","Title":"CISO","EmailAddress":"sec@example.com","PhoneNumber":"+1 555 0100"}"#;
        assert_eq!(call("PutAlternateContact", &ctx, put).unwrap(), None);
        let got = call(
            "GetAlternateContact",
            &ctx,
            br#"{"AlternateContactType":"SECURITY"}"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(got["AlternateContact"]["EmailAddress"], "sec@example.com");
        assert_eq!(got["AlternateContact"]["AlternateContactType"], "SECURITY");
        let e = call(
            "GetAlternateContact",
            &ctx,
            br#"{"AlternateContactType":"LEGAL"}"#,
        )
        .unwrap_err();
        assert_eq!((e.code.as_str(), e.status), ("ValidationException", 400));
        let e = call(
            "GetAlternateContact",
            &ctx,
            br#"{"AlternateContactType":"SECURITY","AccountId":"222222222222"}"#,
        )
        .unwrap_err();
        assert_eq!((e.code.as_str(), e.status), ("AccessDeniedException", 403));
        let info = br#"{"ContactInformation":{"FullName":"Jane Doe","AddressLine1":"1 Main St","City":"Seattle","PostalCode":"98101","CountryCode":"US","PhoneNumber":"+1 206 555 0100"}}"#;
        assert_eq!(call("PutContactInformation", &ctx, info).unwrap(), None);
        let got = call("GetContactInformation", &ctx, b"{}").unwrap().unwrap();
        assert_eq!(got["ContactInformation"]["City"], "Seattle");
        assert!(got["ContactInformation"].get("AddressLine2").is_none());
        assert_eq!(
            call(
                "DeleteAlternateContact",
                &ctx,
                br#"{"AlternateContactType":"SECURITY"}"#
            )
            .unwrap(),
            None
        );
    }

    #[test]
    fn the_trail_hides_contact_details() {
        let v = trail_request(
            br#"{"AccountId":"222222222222","AlternateContactType":"SECURITY","Name":"Jane","EmailAddress":"j@example.com","ContactInformation":{"FullName":"Jane Doe","CountryCode":"US"}}"#,
        );
        assert_eq!(v["accountId"], "222222222222");
        assert_eq!(v["alternateContactType"], "SECURITY");
        assert_eq!(v["name"], HIDDEN);
        assert_eq!(v["emailAddress"], HIDDEN);
        assert_eq!(v["contactInformation"]["fullName"], HIDDEN);
        assert_eq!(v["contactInformation"]["countryCode"], HIDDEN);
    }
}
