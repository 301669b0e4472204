"""Where a database's schema stands against the migrations dondoc ships: its Alembic
revision, the newest one, and the steps between — read without changing anything
(``dondoc migrate --check``, ``dondoc status``, a restore's check)."""

from __future__ import annotations

from dataclasses import dataclass, field

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from models.db import alembic_config


@dataclass(frozen=True)
class SchemaState:
    current: str | None  # None: an empty database (no dondoc tables yet)
    head: str
    pending: list[str] = field(default_factory=list)  # oldest first
    known: bool = True  # False: a revision this dondoc does not know (a newer dondoc's)

    @property
    def up_to_date(self) -> bool:
        return self.known and self.current == self.head

    def to_json(self) -> dict[str, object]:
        return {
            "current": self.current,
            "head": self.head,
            "pending": self.pending,
            "known": self.known,
            "up_to_date": self.up_to_date,
        }


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def _state(connection: Connection) -> SchemaState:
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head() or ""
    current = MigrationContext.configure(connection).get_current_revision()
    try:
        known = current is None or script.get_revision(current) is not None
    except CommandError:
        known = False
    pending: list[str] = []
    if known:
        pending = [rev.revision for rev in script.iterate_revisions(head, current)]
        pending.reverse()
    return SchemaState(current, head, pending, known)


async def schema_state(engine: AsyncEngine) -> SchemaState:
    async with engine.connect() as conn:
        return await conn.run_sync(_state)


def _table_names(connection: Connection) -> list[str]:
    return sorted(inspect(connection).get_table_names())


async def table_names(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        return await conn.run_sync(_table_names)
