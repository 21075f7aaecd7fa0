//! AWS Account Management (REST-JSON, `POST /getAlternateContact`, …): the
//! contact operations over the domain (`rootward_core::account`). The
//! operation comes from the path (`rootward_model::account::resolve`); the
//! body is a JSON object of the input members; answers are JSON (or empty).
//! Errors carry the REST-JSON shape's name: `AccessDeniedException` (403),
//! `ResourceNotFoundException` (404), `ValidationException` (400),
//! `ConflictException` (409).
//!
//! Dispatched by [`crate::app`] over [`crate::protocol::rest_json`]; the
//! trail's `requestParameters` hide the members the model marks sensitive
//! (names, addresses, phone numbers, e-mail addresses).

use rootward_core::CoreError;
use rootward_core::account::{self, model};
use serde_json::{Map, Value, json};

use rootward_model::ValidationErrors;
use rootward_model::account::Operation;

use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::services::{Ctx, Output};

/// How Account Management answers input that breaks the model's
/// constraints: `ValidationException` with the Coral message
/// [UNCONFIRMED: its `fieldList` is not sent].
pub fn invalid(e: &ValidationErrors) -> ApiError {
    ApiError::new("ValidationException", 400, e.to_string())
}

type Handler = fn(&Ctx<'_>, &Input<'_>) -> Result<Option<Value>, ApiError>;

/// The handler of each Account operation this endpoint serves (`None`: not
/// served; the operation tables mark exactly these as implemented).
pub(super) fn handler(op: Operation) -> Option<Handler> {
    use Operation::*;
    Some(match op {
        GetContactInformation => get_contact_information,
        PutContactInformation => put_contact_information,
        GetAlternateContact => get_alternate_contact,
        PutAlternateContact => put_alternate_contact,
        DeleteAlternateContact => delete_alternate_contact,
        GetAccountInformation => get_account_information,
        PutAccountName => put_account_name,
        GetPrimaryEmail => get_primary_email,
        ListRegions => list_regions,
        GetRegionOptStatus => get_region_opt_status,
        EnableRegion => enable_region,
        DisableRegion => disable_region,
        _ => return None,
    })
}

/// Runs an Account Management operation; `None` answers an empty body.
pub fn call(
    op: Operation,
    ctx: &Ctx<'_>,
    input: &Input<'_>,
) -> Result<Output<Option<Value>>, ApiError> {
    match handler(op) {
        Some(h) => h(ctx, input).map(Output::from),
        None => Err(crate::protocol::rest_json::unknown_operation()),
    }
}

/// A domain failure in Account Management's words (its denial is the
/// modelled `AccessDeniedException`; every other failure as the one table
/// has it).
pub fn error(e: CoreError) -> ApiError {
    match e {
        CoreError::AccessDenied(m) => {
            ApiError::modelled(&rootward_model::account::ER_ACCESS_DENIED_EXCEPTION, m)
        }
        e => from_core(e),
    }
}

fn get_account_information(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let a =
        account::get_account_information(ctx.svc, ctx.caller, i.str("AccountId")).map_err(error)?;
    Ok(Some(json!({
        "AccountId": a.id,
        "AccountName": a.name,
        // `iso8601` in the model.
        "AccountCreatedDate": rootward_core::clock::iso8601(a.created),
        "AccountState": a.state,
    })))
}

fn put_account_name(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    account::put_account_name(
        ctx.svc,
        ctx.caller,
        i.str("AccountId"),
        i.required("AccountName")?,
    )
    .map_err(error)?;
    Ok(None)
}

fn get_primary_email(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let email =
        account::get_primary_email(ctx.svc, ctx.caller, i.required("AccountId")?).map_err(error)?;
    Ok(Some(json!({ "PrimaryEmail": email })))
}

fn list_regions(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let statuses: Vec<&str> = i.list("RegionOptStatusContains");
    let regions =
        account::list_regions(ctx.svc, ctx.caller, i.str("AccountId"), &statuses).map_err(error)?;
    // The model bounds MaxResults to 1–50. A token names the next page's
    // first region, so a script enabling each page's regions before asking
    // for the next misses none (a position skipped those that moved up),
    // and is bound to the listing that issued it (the filter, the account
    // asked about, the caller's account): another's is not valid.
    let max = usize::try_from(i.int("MaxResults")?.unwrap_or(20)).unwrap_or(20);
    let mut filter = statuses.clone();
    filter.sort_unstable();
    let scope = rootward_policy::policy::fnv1a(
        format!(
            "{filter:?}/{}/{}",
            i.str("AccountId").unwrap_or_default(),
            ctx.caller.account
        )
        .bytes(),
    );
    let invalid = || ApiError::new("ValidationException", 400, "The NextToken is not valid.");
    let key = |(r, _): &(&str, &str)| (*r).to_owned();
    let start = match i.str("NextToken") {
        None | Some("") => 0,
        Some(t) => {
            rootward_core::paging::scoped_start(&regions, t, scope, key).ok_or_else(invalid)?
        }
    };
    let page: Vec<Value> = regions
        .iter()
        .skip(start)
        .take(max)
        .map(|(r, s)| json!({"RegionName": r, "RegionOptStatus": s}))
        .collect();
    let mut out = json!({ "Regions": page });
    let end = start.saturating_add(max);
    if let Some(next) = regions.get(end)
        && let Value::Object(m) = &mut out
    {
        let token = rootward_core::paging::scoped(scope, end, &key(next));
        m.insert("NextToken".into(), Value::String(token));
    }
    Ok(Some(out))
}

fn get_region_opt_status(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let region = i.required("RegionName")?;
    let status = account::get_region_opt_status(ctx.svc, ctx.caller, i.str("AccountId"), region)
        .map_err(error)?;
    Ok(Some(
        json!({ "RegionName": region, "RegionOptStatus": status }),
    ))
}

fn enable_region(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let region = i.required("RegionName")?;
    account::set_region_opt(ctx.svc, ctx.caller, i.str("AccountId"), region, true)
        .map_err(error)?;
    Ok(None)
}

fn disable_region(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let region = i.required("RegionName")?;
    account::set_region_opt(ctx.svc, ctx.caller, i.str("AccountId"), region, false)
        .map_err(error)?;
    Ok(None)
}

fn get_contact_information(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let c =
        account::get_contact_information(ctx.svc, ctx.caller, i.str("AccountId")).map_err(error)?;
    Ok(Some(json!({ "ContactInformation": contact_json(&c) })))
}

fn put_contact_information(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let c = i
        .object("ContactInformation")
        .ok_or_else(|| i.missing("ContactInformation"))?;
    let text = |name: &str| -> Result<String, ApiError> { Ok(c.required(name)?.to_owned()) };
    let opt = |name: &str| c.str(name).map(str::to_owned);
    let info = model::ContactInformation {
        full_name: text("FullName")?,
        address_line1: text("AddressLine1")?,
        address_line2: opt("AddressLine2"),
        address_line3: opt("AddressLine3"),
        city: text("City")?,
        state_or_region: opt("StateOrRegion"),
        district_or_county: opt("DistrictOrCounty"),
        postal_code: text("PostalCode")?,
        country_code: text("CountryCode")?,
        phone_number: text("PhoneNumber")?,
        company_name: opt("CompanyName"),
        website_url: opt("WebsiteUrl"),
    };
    account::put_contact_information(ctx.svc, ctx.caller, i.str("AccountId"), info)
        .map_err(error)?;
    Ok(None)
}

fn get_alternate_contact(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let kind = contact_type(i)?;
    let c = account::get_alternate_contact(ctx.svc, ctx.caller, i.str("AccountId"), kind)
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

fn put_alternate_contact(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let contact = model::AlternateContact {
        kind: contact_type(i)?,
        name: i.required("Name")?.to_owned(),
        title: i.required("Title")?.to_owned(),
        email_address: i.required("EmailAddress")?.to_owned(),
        phone_number: i.required("PhoneNumber")?.to_owned(),
    };
    account::put_alternate_contact(ctx.svc, ctx.caller, i.str("AccountId"), contact)
        .map_err(error)?;
    Ok(None)
}

fn delete_alternate_contact(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let kind = contact_type(i)?;
    account::delete_alternate_contact(ctx.svc, ctx.caller, i.str("AccountId"), kind)
        .map_err(error)?;
    Ok(None)
}

fn contact_type(i: &Input<'_>) -> Result<model::AlternateContactType, ApiError> {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    use crate::services::test_support::service;

    #[test]
    fn contacts_are_put_and_read_in_the_model_shapes() {
        let (_dir, svc, caller) = service();
        let parts = axum::http::Request::new(()).into_parts().0;
        let ctx = Ctx::new(&svc, &caller, &parts, false);
        let call = |name: &str, body: &[u8]| {
            let op = Operation::from_name(name).unwrap();
            let object = crate::protocol::json::body(body)?;
            let tree = crate::protocol::json::decode(op.info().input, &object)?;
            crate::protocol::input::validate(op.info().input, &tree, invalid)?;
            super::call(op, &ctx, &Input::new(&tree, invalid)).map(|o| o.body)
        };
        let e = call(
            "GetAlternateContact",
            br#"{"AlternateContactType":"SECURITY"}"#,
        )
        .unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.status),
            ("ResourceNotFoundException", 404)
        );
        let put = br#"{"AlternateContactType":"SECURITY","Name":"Sec","Title":"CISO","EmailAddress":"sec@example.com","PhoneNumber":"+1 555 0100"}"#;
        assert_eq!(call("PutAlternateContact", put).unwrap(), None);
        let got = call(
            "GetAlternateContact",
            br#"{"AlternateContactType":"SECURITY"}"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(got["AlternateContact"]["EmailAddress"], "sec@example.com");
        assert_eq!(got["AlternateContact"]["AlternateContactType"], "SECURITY");
        let e = call(
            "GetAlternateContact",
            br#"{"AlternateContactType":"LEGAL"}"#,
        )
        .unwrap_err();
        assert_eq!((e.code.as_str(), e.status), ("ValidationException", 400));
        let e = call(
            "GetAlternateContact",
            br#"{"AlternateContactType":"SECURITY","AccountId":"222222222222"}"#,
        )
        .unwrap_err();
        assert_eq!((e.code.as_str(), e.status), ("AccessDeniedException", 403));
        let info = br#"{"ContactInformation":{"FullName":"Jane Doe","AddressLine1":"1 Main St","City":"Seattle","PostalCode":"98101","CountryCode":"US","PhoneNumber":"+1 206 555 0100"}}"#;
        assert_eq!(call("PutContactInformation", info).unwrap(), None);
        let got = call("GetContactInformation", b"{}").unwrap().unwrap();
        assert_eq!(got["ContactInformation"]["City"], "Seattle");
        assert!(got["ContactInformation"].get("AddressLine2").is_none());
        assert_eq!(
            call(
                "DeleteAlternateContact",
                br#"{"AlternateContactType":"SECURITY"}"#
            )
            .unwrap(),
            None
        );
    }

    #[test]
    fn the_trail_hides_contact_details() {
        let op = Operation::PutAlternateContact.info();
        let object = crate::protocol::json::body(
            br#"{"AccountId":"222222222222","AlternateContactType":"SECURITY","Name":"Jane","Title":"T","EmailAddress":"j@example.com","PhoneNumber":"1"}"#,
        )
        .unwrap();
        let tree = crate::protocol::json::decode(op.input, &object).unwrap();
        let v = crate::trail::request_parameters(op.input, &tree);
        assert_eq!(v["accountId"], "222222222222");
        assert_eq!(v["alternateContactType"], "SECURITY");
        assert_eq!(v["name"], crate::trail::HIDDEN);
        assert_eq!(v["emailAddress"], crate::trail::HIDDEN);
        let op = Operation::PutContactInformation.info();
        let object = crate::protocol::json::body(
            br#"{"ContactInformation":{"FullName":"Jane Doe","AddressLine1":"a","City":"c","PostalCode":"p","CountryCode":"US","PhoneNumber":"1"}}"#,
        )
        .unwrap();
        let tree = crate::protocol::json::decode(op.input, &object).unwrap();
        let v = crate::trail::request_parameters(op.input, &tree);
        assert_eq!(v["contactInformation"]["fullName"], crate::trail::HIDDEN);
        assert_eq!(v["contactInformation"]["countryCode"], crate::trail::HIDDEN);
    }
}
