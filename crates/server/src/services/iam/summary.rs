//! GetAccountSummary.

use rootward_core::iam::summary;

use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

pub(super) fn get_account_summary(ctx: &Ctx<'_>, _p: &Input<'_>) -> Result<Option<Xml>, ApiError> {
    let map = summary::get_account_summary(ctx.svc, ctx.caller).map_err(from_core)?;
    let mut x = Xml::new();
    x.open("SummaryMap");
    for (k, v) in &map {
        x.open("entry")
            .elem("key", k)
            .elem("value", &v.to_string())
            .close("entry");
    }
    x.close("SummaryMap");
    Ok(Some(x))
}
