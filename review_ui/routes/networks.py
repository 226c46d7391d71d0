"""The network page: member ads on a timeline and the links that join them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from review_ui.audit import record
from review_ui.casefiles import cases_holding, open_cases
from review_ui.errors import UIError
from review_ui.graph import network_graph
from review_ui.labels import label_of
from review_ui.networkextras import photo_pairs, sightings
from review_ui.queries.access import network_visible
from review_ui.queries.history import packs_for
from review_ui.queries.network import network_detail
from review_ui.routes.common import page
from review_ui.security import READERS, require
from review_ui.timeline import timeline
from review_ui.viewer import Viewer
from review_ui.views import MemberView

router = APIRouter()


@router.get("/networks/{network_id}")
def network_page(
    request: Request, network_id: str, viewer: Annotated[Viewer, Depends(require(*READERS))]
) -> Response:
    """One network with its members, their timeline and joining links."""
    return render_network(request, network_id, viewer)


def render_network(
    request: Request, network_id: str, viewer: Viewer, form: Any = None, error_code: str = ""
) -> Response:
    """The network page; after a refused decision with the form as typed and a 400 status."""
    granted, wanted = viewer.municipalities, network_id[:40]
    with request.app.state.instance.db.reading() as session:
        visible = network_visible(session, wanted, granted)
        detail = network_detail(session, wanted) if visible else None
        packs = packs_for(session, granted, network_id=wanted)
        holding = cases_holding(session, granted, network_id=wanted)
        choices = open_cases(session, granted)
        graph = network_graph(session, detail) if detail else None
        members = [m.ad.id for m in detail.members] if detail else []
        pairs = photo_pairs(session, members)
        seen = sightings(session, members)
    if detail is None:
        record(request, viewer, "view_network", "network", [network_id[:40]], result="not_found")
        raise UIError(404)
    ids = [m.ad.id for m in detail.members]
    record(request, viewer, "view_network", "network", [detail.id], details={"ad_ids": ids})
    extra = {"error_code": error_code} if error_code else {}
    response = page(
        request,
        "network.html",
        viewer,
        network=detail,
        timeline=timeline(detail.members),
        linked=linked_labels(detail.members, request.app.state.labels),
        packs=packs,
        form=form,
        holding=holding,
        open_cases=choices,
        case_subject=("network_id", detail.id),
        graph=graph,
        pairs=pairs,
        sightings=seen,
        **extra,
    )
    if error_code:
        response.status_code = 400
    return response


def linked_labels(members: list[MemberView], labels: dict[str, str]) -> dict[tuple[str, ...], str]:
    """The labels of each set of codes that links members, joined.

    A network of n ads has up to n² links, nearly all with the same codes; joining their labels
    once here keeps the template to one short line per link (the nested per-link loops were most
    of the page). Escaping stays with the template.
    """
    sets = {codes for m in members for codes in m.linked_to.values()}
    return {codes: ", ".join(label_of(labels, code) for code in codes) for codes in sets}
