"""The second opinion in the pages: a template function that reads it through the core.

Registered as the Jinja global `second_opinion(ad_id)`. On a queue page it loads the opinions of
every row at its first call (one query per page, not one per row) and keeps them on the request.
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context

from adwatch.casework.opinions import ShownOpinion, disagreements


@pass_context
def second_opinion(context: Any, ad_id: int) -> ShownOpinion | None:
    """The second opinion that disagrees with this ad's tier, or None."""
    request = context["request"]
    state = request.state
    if not hasattr(state, "second_opinions"):
        state.second_opinions, state.second_opinion_ids = {}, set()
    if ad_id not in state.second_opinion_ids:
        ids = {ad_id, *_ids_on_page(context)}
        with request.app.state.instance.db.reading() as session:
            state.second_opinions.update(disagreements(session, ids))
        state.second_opinion_ids.update(ids)
    return state.second_opinions.get(ad_id)


def _ids_on_page(context: Any) -> set[int]:
    rows = getattr(context.get("result"), "rows", None) or ()
    return {row.id for row in rows if isinstance(getattr(row, "id", None), int)}
