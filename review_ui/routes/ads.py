"""The ad page and the re-encoded images."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from adwatch.errors import AdwatchError
from review_ui.audit import record
from review_ui.casefiles import cases_holding, open_cases
from review_ui.errors import UIError
from review_ui.highlight import segments, spans_for
from review_ui.images import blurred_preview, reencode
from review_ui.links import links_by_ad
from review_ui.queries.access import ad_visible, any_ad_visible
from review_ui.queries.adpage import ad_detail, image_ad_ids, image_sha256
from review_ui.queries.history import packs_for
from review_ui.routes.common import page
from review_ui.security import READERS, require
from review_ui.viewer import Viewer

router = APIRouter()


@router.get("/ads/{ad_id}")
def ad_page(
    request: Request, ad_id: int, viewer: Annotated[Viewer, Depends(require(*READERS))]
) -> Response:
    """One ad: signals, the decision form, text, images, links, versions and evidence packs."""
    return render_ad(request, ad_id, viewer)


def render_ad(
    request: Request, ad_id: int, viewer: Viewer, form: Any = None, error_code: str = ""
) -> Response:
    """The ad page; after a refused decision with the form as typed and a 400 status."""
    granted = viewer.municipalities
    with request.app.state.instance.db.reading() as session:
        visible = ad_visible(session, ad_id, granted)
        detail = ad_detail(session, ad_id) if visible else None
        packs = packs_for(session, granted, ad_id=ad_id)
        holding = cases_holding(session, granted, ad_id=ad_id)
        choices = open_cases(session, granted)
    if detail is None:
        record(request, viewer, "view_ad", "ad", [ad_id], result="not_found")
        raise UIError(404)
    record(request, viewer, "view_ad", "ad", [ad_id])
    latest = detail.versions[-1] if detail.versions else None
    highlighted = {}
    if latest is not None:
        for field in ("title", "text"):
            spans = spans_for(detail.hits, field, latest.id)
            highlighted[field] = segments(latest.fields[field], spans)
    extra = {"error_code": error_code} if error_code else {}
    response = page(
        request,
        "ad.html",
        viewer,
        ad=detail,
        latest=latest,
        highlighted=highlighted,
        links=links_by_ad(detail.hits, ad_id),
        packs=packs,
        form=form,
        holding=holding,
        open_cases=choices,
        case_subject=("ad_id", ad_id),
        **extra,
    )
    if error_code:
        response.status_code = 400
    return response


@router.get("/images/{image_id}")
def image(
    request: Request,
    image_id: int,
    viewer: Annotated[Viewer, Depends(require(*READERS))],
    blur: int = 0,
) -> Response:
    """An image re-encoded from the server's copy; `blur=1` is the preview shown before a click."""
    with request.app.state.instance.db.reading() as session:
        owners = image_ad_ids(session, image_id)
        visible = any_ad_visible(session, owners, viewer.municipalities)
        digest = image_sha256(session, image_id) if visible else None
    action = "view_image_blurred" if blur else "view_image"
    if digest is None:
        record(request, viewer, action, "image", [image_id], result="not_found")
        raise UIError(404)
    try:
        data, media_type = reencode(request.app.state.instance.blobs.read(digest))
    except AdwatchError as exc:
        record(request, viewer, action, "image", [image_id], result="unreadable")
        raise UIError(404) from exc
    record(request, viewer, action, "image", [image_id], details={"ad_ids": owners})
    if blur:
        return Response(blurred_preview(data), media_type="image/jpeg")
    return Response(data, media_type=media_type)
