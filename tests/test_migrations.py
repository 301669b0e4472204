"""Migrations go up from empty, down to nothing, and up again, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from models.db import downgrade, upgrade
from tests.conftest import BACKENDS

pytestmark = pytest.mark.parametrize("database_url", BACKENDS, indirect=True)

TABLES = {"organization", "unit", "person", "identity", "membership", "invite", "plan", "section", "task", "task_unit", "status_update", "sent_message", "chat_state", "outbox", "link_code", "evidence_file", "score_sheet", "score_item", "score_item_unit", "score_entry"}


async def _tables(engine) -> set[str]:  # noqa: ANN001
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


async def test_upgrade_downgrade_upgrade(empty_engine) -> None:  # noqa: ANN001
    await upgrade(empty_engine)
    assert TABLES <= await _tables(empty_engine)
    await downgrade(empty_engine, "base")
    assert not (TABLES & await _tables(empty_engine))
    await upgrade(empty_engine)
    assert TABLES <= await _tables(empty_engine)
