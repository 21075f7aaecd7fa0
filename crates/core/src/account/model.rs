//! The durable records of the Account Management service: an account's
//! primary contact information and its alternate contacts.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The latest `EnableRegion` or `DisableRegion` of an opt-in region in an
/// account (kept on the account record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionOptChange {
    /// `true`: enabled (`ENABLING`, then `ENABLED`); `false`: disabled
    /// (`DISABLING`, then `DISABLED`).
    pub enable: bool,
    /// When it was asked for.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// `ContactInformation`: the account's primary contact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactInformation {
    /// `FullName`.
    pub full_name: String,
    /// `AddressLine1`.
    pub address_line1: String,
    /// `AddressLine2`.
    #[serde(default)]
    pub address_line2: Option<String>,
    /// `AddressLine3`.
    #[serde(default)]
    pub address_line3: Option<String>,
    /// `City`.
    pub city: String,
    /// `StateOrRegion`.
    #[serde(default)]
    pub state_or_region: Option<String>,
    /// `DistrictOrCounty`.
    #[serde(default)]
    pub district_or_county: Option<String>,
    /// `PostalCode`.
    pub postal_code: String,
    /// `CountryCode` (ISO 3166-1 alpha-2).
    pub country_code: String,
    /// `PhoneNumber`.
    pub phone_number: String,
    /// `CompanyName`.
    #[serde(default)]
    pub company_name: Option<String>,
    /// `WebsiteUrl`.
    #[serde(default)]
    pub website_url: Option<String>,
}

/// `BILLING`, `OPERATIONS` or `SECURITY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AlternateContactType {
    /// Billing.
    #[serde(rename = "BILLING")]
    Billing,
    /// Operations.
    #[serde(rename = "OPERATIONS")]
    Operations,
    /// Security.
    #[serde(rename = "SECURITY")]
    Security,
}

impl AlternateContactType {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            AlternateContactType::Billing => "BILLING",
            AlternateContactType::Operations => "OPERATIONS",
            AlternateContactType::Security => "SECURITY",
        }
    }

    /// The type of a wire value.
    pub fn from_name(s: &str) -> Option<AlternateContactType> {
        [
            AlternateContactType::Billing,
            AlternateContactType::Operations,
            AlternateContactType::Security,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

/// An alternate contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlternateContact {
    /// `AlternateContactType`.
    pub kind: AlternateContactType,
    /// `Name`.
    pub name: String,
    /// `Title`.
    pub title: String,
    /// `EmailAddress`.
    pub email_address: String,
    /// `PhoneNumber`.
    pub phone_number: String,
}

/// One account's primary contact (a store row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountContact {
    /// The account.
    pub account: String,
    /// The contact.
    pub info: ContactInformation,
}

/// One account's alternate contact of one type (a store row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountAlternateContact {
    /// The account.
    pub account: String,
    /// The contact.
    pub contact: AlternateContact,
}

impl AccountAlternateContact {
    /// The store key: `ACCOUNT/TYPE`.
    pub fn key(&self) -> String {
        alternate_key(&self.account, self.contact.kind)
    }
}

/// The store key of an alternate contact.
pub fn alternate_key(account: &str, kind: AlternateContactType) -> String {
    format!("{account}/{}", kind.as_str())
}
