//! TagResource, UntagResource, ListTagsForResource.

use rootward_core::org::tags as dom;
use serde_json::{Value, json};

use super::{e, missing, page_req, paged, tags_input};
use crate::error::ApiError;
use crate::protocol::input::Input;
use crate::services::Ctx;

pub(crate) fn tag_resource(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let id = i.required("ResourceId")?;
    if !i.has("Tags") {
        return Err(missing("Tags"));
    }
    dom::tag_resource(ctx.svc, ctx.caller, id, &tags_input(i)?).map_err(e)?;
    Ok(None)
}

pub(crate) fn untag_resource(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let id = i.required("ResourceId")?;
    if !i.has("TagKeys") {
        return Err(missing("TagKeys"));
    }
    dom::untag_resource(
        ctx.svc,
        ctx.caller,
        id,
        &i.list("TagKeys")
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>(),
    )
    .map_err(e)?;
    Ok(None)
}

pub(crate) fn list_tags_for_resource(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let page = dom::list_tags_for_resource(
        ctx.svc,
        ctx.caller,
        i.required("ResourceId")?,
        page_req(ctx, i)?,
    )
    .map_err(e)?;
    Ok(paged(
        "Tags",
        page,
        |t| json!({"Key": t.key, "Value": t.value}),
    ))
}
