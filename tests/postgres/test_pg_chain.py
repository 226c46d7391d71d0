"""The hash chain stays one unbroken sequence when several processes append at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from adwatch.storage.chain import append, verify_chain
from adwatch.storage.db import Database
from adwatch.storage.models import AuditEvent, CustodyEvent

pytestmark = pytest.mark.postgres
WRITERS = 8
PER_WRITER = 15


def _append_many(url: str, model, writer: int) -> None:
    db = Database(url)
    try:
        for n in range(PER_WRITER):
            with db.writing() as session:
                append(session, model, actor=f"w{writer}", action="view_ad", object_ids=[n])
    finally:
        db.dispose()


@pytest.mark.parametrize("model", [AuditEvent, CustodyEvent])
def test_concurrent_appends_form_one_chain(pg_database: Database, model) -> None:
    with ThreadPoolExecutor(WRITERS) as pool:
        futures = [pool.submit(_append_many, pg_database.url, model, w) for w in range(WRITERS)]
        for future in futures:
            future.result()
    with pg_database.reading() as session:
        report = verify_chain(session, model)
        seqs = session.scalars(select(model.seq).order_by(model.id)).all()
    assert report.ok, report.problems[:5]
    assert report.entries == WRITERS * PER_WRITER
    assert seqs == list(range(1, WRITERS * PER_WRITER + 1))
